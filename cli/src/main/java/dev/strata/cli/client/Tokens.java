package dev.strata.cli.client;

import dev.strata.cli.CliException;
import dev.strata.cli.ExitCodes;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The bearer token the CLI sends: {@code --token} or {@code STRATA_TOKEN} when given; otherwise a development admin
 * token minted with the local run's private key ({@code $STRATA_HOME/keys/jwt-private.pem}), shaped as
 * deploy/local's {@code DevTokens} shapes them (issuer, roles in {@code groups}, group ids in {@code tenants}). The
 * services of a real deployment trust only their identity provider, whose key the CLI never has, so there the token
 * must be given.
 */
public final class Tokens {

    /** deploy/local's {@code DevTokens.ISSUER}: what the local run's services verify. */
    public static final String ISSUER = "https://strata.dev/issuer";

    public static final String SUBJECT = "dev-admin";
    public static final String PRIVATE_KEY = "keys/jwt-private.pem";
    /** Long enough for an import of millions of things, which is polled with this one token. */
    static final Duration TTL = Duration.ofHours(12);

    private Tokens() {}

    /** {@code explicit}: from {@code --token} or {@code STRATA_TOKEN}, null or blank when neither is set. */
    public static String resolve(String explicit, Path home) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        Path key = home.resolve(PRIVATE_KEY).toAbsolutePath().normalize();
        if (!Files.isRegularFile(key)) {
            throw new CliException(
                    ExitCodes.NO_CREDENTIALS,
                    List.of(
                            "No token: set STRATA_TOKEN (or --token) to a bearer token the services trust,",
                            "or run deploy/local/run.sh so that " + key + " exists and a development admin token can be"
                                    + " minted from it (STRATA_HOME, now "
                                    + home.toAbsolutePath().normalize()
                                    + ", says where the local run keeps it)."));
        }
        return mint(key, Instant.now());
    }

    /** A token with role {@code admin} for every group, signed RS256 with the key in {@code privateKeyFile}. */
    public static String mint(Path privateKeyFile, Instant now) {
        PrivateKey key;
        try {
            key = KeyUtils.decodePrivateKey(Files.readString(privateKeyFile));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CliException(
                    ExitCodes.NO_CREDENTIALS,
                    "Cannot read the private key " + privateKeyFile + " to mint a development token: "
                            + e.getMessage());
        }
        return Jwt.issuer(ISSUER)
                .subject(SUBJECT)
                .upn(SUBJECT)
                .groups(Set.of("admin"))
                .claim("tenants", List.of())
                .issuedAt(now)
                .expiresAt(now.plus(TTL))
                .sign(key);
    }
}
