package dev.strata.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.CliException;
import dev.strata.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @TempDir
    Path home;

    @Test
    void shouldPreferTheGivenTokenOverTheKey() throws Exception {
        writeKey(KeyPairGenerator.getInstance("RSA").generateKeyPair());

        assertThat(Tokens.resolve("  given.token  ", home)).isEqualTo("given.token");
    }

    @Test
    void shouldSayWhatToSetWhenThereIsNeitherTokenNorKey() {
        assertThatThrownBy(() -> Tokens.resolve(" ", home)).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCodes.NO_CREDENTIALS);
            assertThat(String.join("\n", e.lines()))
                    .contains("STRATA_TOKEN")
                    .contains(home.resolve("keys/jwt-private.pem").toString());
        });
    }

    @Test
    void shouldRefuseAKeyFileThatIsNoKey() throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve(Tokens.PRIVATE_KEY), "not a key");

        assertThatThrownBy(() -> Tokens.resolve(null, home))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.NO_CREDENTIALS));
    }

    @Test
    void shouldMintAnAdminTokenSignedWithTheLocalKeyAsTheServicesExpect() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        writeKey(pair);
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());

        String token = Tokens.mint(home.resolve(Tokens.PRIVATE_KEY), now);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(claims.path("iss").asText()).isEqualTo("https://strata.dev/issuer");
        assertThat(claims.path("sub").asText()).isEqualTo("dev-admin");
        assertThat(claims.path("upn").asText()).isEqualTo("dev-admin");
        assertThat(claims.path("groups")).hasSize(1);
        assertThat(claims.path("groups").get(0).asText()).isEqualTo("admin");
        assertThat(claims.path("tenants").isArray()).isTrue();
        assertThat(claims.path("tenants")).isEmpty();
        assertThat(claims.path("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(now.getEpochSecond() + 12 * 3600);
        assertThat(claims.path("jti").asText()).isNotBlank();
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(pair.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    /** As deploy/local's DevTokens writes it: PKCS#8 in PEM, 64 characters a line. */
    private void writeKey(KeyPair pair) throws Exception {
        Files.createDirectories(home.resolve("keys"));
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(home.resolve(Tokens.PRIVATE_KEY), pem);
    }

    private static JsonNode json(String part) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(part));
    }
}
