package dev.strata.local;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.UUID;
import org.eclipse.microprofile.jwt.Claims;

/**
 * Mints RS256 bearer tokens in Strata's shape (SPEC section 6): roles in the MP-JWT {@code groups} claim, the
 * group ids a caller may touch in {@code tenants}. For tests and the local run only: production tokens come
 * from the deployment's identity provider, the services only hold its public key.
 */
public final class DevTokens {

    public static final String ISSUER = "https://strata.dev/issuer";
    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";
    /** The group ids a caller may touch (SPEC section 6). */
    public static final String TENANTS_CLAIM = "tenants";

    private final PrivateKey privateKey;
    private final Path publicKeyFile;

    private DevTokens(PrivateKey privateKey, Path publicKeyFile) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
    }

    /** Loads the key pair from {@code keyDir}, creating it on first use so tokens outlive a restart. */
    public static DevTokens inDirectory(Path keyDir) {
        try {
            Path privateFile = keyDir.resolve(PRIVATE_KEY_FILE);
            Path publicFile = keyDir.resolve(PUBLIC_KEY_FILE);
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                Files.createDirectories(keyDir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(
                        privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
            return new DevTokens(readPrivateKey(privateFile), publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A token for a caller who may touch the given groups. */
    public String forTenants(Collection<UUID> tenants, Collection<String> roles, Duration ttl) {
        return mint("dev-user", tenants, roles, ttl);
    }

    public String mint(String subject, Collection<UUID> tenants, Collection<String> roles, Duration ttl) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .claim(Claims.jti.name(), UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .groups(new LinkedHashSet<>(roles))
                .claim(TENANTS_CLAIM, tenants.stream().map(UUID::toString).toList())
                .sign(privateKey);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        return KeyUtils.decodePrivateKey(Files.readString(file));
    }
}
