package dev.strata.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks a minted token the way a service does: signature against the public key file, then the claims. */
class DevTokensTest {

    @TempDir
    Path keys;

    @Test
    void shouldMintATokenThePublicKeyFileVerifiesWithTenantsAndRoles() throws Exception {
        DevTokens tokens = DevTokens.inDirectory(keys);
        UUID group = UUID.fromString("0190a5e0-0000-7000-8000-000000000001");

        String token = tokens.mint("alice", List.of(group), List.of("member"), Duration.ofMinutes(5));

        JwtClaims claims = consumer(readPublicKey(tokens.publicKeyFile())).processToClaims(token);
        assertEquals(DevTokens.ISSUER, claims.getIssuer());
        assertEquals("alice", claims.getSubject());
        assertEquals("alice", claims.getStringClaimValue("upn"));
        assertEquals(List.of("member"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of("0190a5e0-0000-7000-8000-000000000001"), claims.getStringListClaimValue("tenants"));
        assertEquals(
                300,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertTrue(claims.getJwtId() != null && !claims.getJwtId().isBlank());
    }

    @Test
    void shouldKeepTheKeyPairAcrossInstancesSoTokensOutliveARestart() throws Exception {
        String token = DevTokens.inDirectory(keys).forTenants(List.of(), List.of("admin"), Duration.ofMinutes(1));
        String publicKey = Files.readString(keys.resolve(DevTokens.PUBLIC_KEY_FILE));

        DevTokens again = DevTokens.inDirectory(keys);

        assertEquals(publicKey, Files.readString(again.publicKeyFile()));
        assertEquals(
                List.of("admin"),
                consumer(readPublicKey(again.publicKeyFile()))
                        .processToClaims(token)
                        .getStringListClaimValue("groups"));
    }

    @Test
    void shouldNotVerifyWithAnotherKeyPair(@TempDir Path otherKeys) throws Exception {
        String token = DevTokens.inDirectory(keys).forTenants(List.of(), List.of("admin"), Duration.ofMinutes(1));
        PublicKey other = readPublicKey(DevTokens.inDirectory(otherKeys).publicKeyFile());

        assertThrows(InvalidJwtException.class, () -> consumer(other).processToClaims(token));
    }

    private static org.jose4j.jwt.consumer.JwtConsumer consumer(PublicKey key) {
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setExpectedIssuer(DevTokens.ISSUER)
                .setRequireExpirationTime()
                .build();
    }

    private static PublicKey readPublicKey(Path file) throws Exception {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
