package dev.strata.testing;

import dev.strata.local.DevTokens;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Bearer tokens signed with the test JVM's key, which every service under test trusts. */
public final class TestTokens {

    private TestTokens() {}

    /** A tenant user who may touch exactly these groups. */
    public static String forTenants(UUID... groups) {
        return tokens().forTenants(Arrays.asList(groups), List.of("user"), Duration.ofHours(1));
    }

    public static String admin() {
        return tokens().mint("test-admin", List.of(), List.of("admin"), Duration.ofHours(1));
    }

    public static String service() {
        return tokens().mint("test-service", List.of(), List.of("service"), Duration.ofHours(1));
    }

    public static String expired(UUID... groups) {
        return tokens().forTenants(Arrays.asList(groups), List.of("user"), Duration.ofHours(-1));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static DevTokens tokens() {
        return DevTokens.inDirectory(TestServers.ensureStarted().keyDir());
    }
}
