package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.local.DevTokens;
import dev.strata.testing.PackagedStack;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The PACKAGED CLI ({@code java -jar strata-cli-*-runner.jar}, a process of its own) against the four PACKAGED
 * services on the test JVM's real PostgreSQL, Kafka and S3: what a user types, what the user sees, and what the
 * services then hold, worked out from the files the test writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrataCliIT {

    static final Path WORK = Path.of("target", "cli-it").toAbsolutePath();
    static final String HEAP = "384m";
    static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);
    static final Duration SETTLE = Duration.ofSeconds(60);
    /** Users are few: the pro plan allows 50 (SPEC section 3), and 4000 lines hold 40 of them. */
    static final int USER_EVERY = 100;

    static final Pattern UUID_LINE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** A progress line as printed to a log: {@code import running 45.2%  1234 items  560 items/s  ETA 12s}. */
    static final Pattern IMPORT_PROGRESS_LINE =
            Pattern.compile("(?m)^import \\w+ \\d{1,3}\\.\\d%  \\d+ items  [0-9.]+ items/s  (ETA \\S+|in \\S+)$");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PackagedStack stack;
    private Path cliJar;
    private String adminToken;

    /** What one run of the CLI did. */
    record Run(int exit, String out, String err) {

        /** The cells of the table row whose first cell is {@code first}. */
        Optional<List<String>> row(String first) {
            return out.lines()
                    .map(String::strip)
                    .map(line -> Arrays.asList(line.split("\\s{2,}")))
                    .filter(cells -> cells.get(0).equals(first))
                    .findFirst();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    void startStack() throws IOException {
        cliJar = Path.of(System.getProperty("cli.jar", "target/strata-cli-0.1.0-SNAPSHOT-runner.jar"))
                .toAbsolutePath()
                .normalize();
        TestEndpoints servers = TestServers.ensureStarted();
        stack = new PackagedStack(servers, WORK, HEAP)
                // A run at 02:30 would be none of this test's doing.
                .with("archival", "strata.archival.schedule.enabled", "false");
        assumeTrue(
                stack.missingJars().isEmpty() && Files.isRegularFile(cliJar),
                () -> "StrataCliIT needs the "
                        + "packaged CLI and the four packaged services, and " + missing()
                        + " is missing: run it through the "
                        + "reactor (mvn -B verify, or mvn -B -pl cli -am verify), which packages them first");
        Files.createDirectories(WORK);
        stack.start();
        adminToken = TestTokens.admin();
    }

    private List<Path> missing() {
        List<Path> missing = new ArrayList<>(stack.missingJars());
        if (!Files.isRegularFile(cliJar)) {
            missing.add(cliJar);
        }
        return missing;
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldCreateAGroupThatIngestThenReturns() throws Exception {
        String name = "cli-group-" + UUID.randomUUID();

        Run run = cli(adminEnv(), "groups", "create", "--name", name, "--plan", "pro");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().strip()).as(run.toString()).matches(UUID_LINE);
        JsonNode group = get(stack.base("ingest") + "/groups/" + run.out().strip());
        assertThat(group.path("id").asText()).isEqualTo(run.out().strip());
        assertThat(group.path("name").asText()).isEqualTo(name);
        assertThat(group.path("plan").asText()).isEqualTo("pro");
    }

    @Test
    void shouldMintADevelopmentAdminTokenFromTheLocalRunsKeyWhenNoTokenIsGiven() throws Exception {
        Path home = Files.createTempDirectory(WORK, "home-");
        Files.createDirectories(home.resolve("keys"));
        Files.copy(
                TestServers.ensureStarted().keyDir().resolve(DevTokens.PRIVATE_KEY_FILE),
                home.resolve("keys").resolve("jwt-private.pem"));
        Map<String, String> env = urls();
        env.put("STRATA_HOME", home.toString());

        Run run = cli(env, "groups", "create", "--name", "minted", "--plan", "starter");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(get(stack.base("ingest") + "/groups/" + run.out().strip())
                        .path("name")
                        .asText())
                .isEqualTo("minted");
    }

    @Test
    void shouldImportAnNdjsonFileWithProgressUntilTheInventoryHoldsEveryLine() throws Exception {
        UUID group = createGroup("pro");
        Path file = things("import-big.ndjson", 4000, Set.of());
        long expected = nonBlankLines(file);

        Run run = cli(adminEnv(), "import", file.toString(), "--group", group.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(IMPORT_PROGRESS_LINE.matcher(run.err()).find())
                .as(run.toString())
                .isTrue();
        assertThat(run.err()).as("no terminal: no redrawing").doesNotContain("\r");
        assertThat(run.out())
                .as(run.toString())
                .containsPattern("Import " + UUID_LINE + " succeeded( in \\S+)?: " + expected + " processed, "
                        + expected + " created, 0 failed");
        assertThat(get(stack.base("ingest") + "/groups/" + group + "/inventory")
                        .path("things")
                        .asLong())
                .isEqualTo(expected);
    }

    @Test
    void shouldReportTheInvalidLinesOfAnImportByIndexAndExitNonZero() throws Exception {
        UUID group = createGroup("pro");
        Set<Integer> bad = new TreeSet<>(List.of(0, 17, 150, 298));
        Path file = things("import-bad.ndjson", 300, bad);
        long valid = nonBlankLines(file) - bad.size();

        Run run = cli(adminEnv(), "import", file.toString(), "--group", group.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(run.out()).as(run.toString()).contains(valid + " created, " + bad.size() + " failed");
        for (int index : bad) {
            assertThat(run.out()).as(run.toString()).containsPattern("(?m)^  item " + index + "\\b.*: .+$");
        }
        assertThat(get(stack.base("ingest") + "/groups/" + group + "/inventory")
                        .path("things")
                        .asLong())
                .isEqualTo(valid);
    }

    @Test
    void shouldImportACsvFileByItsExtensionFromTheIngestUrlOption() throws Exception {
        UUID group = createGroup("pro");
        Path file = Files.createTempFile(WORK, "import-", ".csv");
        StringBuilder csv = new StringBuilder("type,name,status,properties.n\n");
        for (int i = 0; i < 30; i++) {
            csv.append("document,\"csv, thing ")
                    .append(i)
                    .append("\",active,")
                    .append(i)
                    .append('\n');
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        long rows = nonBlankLines(file) - 1;
        Map<String, String> env = adminEnv();
        env.remove("STRATA_INGEST_URL");

        Run run =
                cli(env, "import", file.toString(), "--group", group.toString(), "--ingest-url", stack.base("ingest"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains(rows + " processed, " + rows + " created, 0 failed");
        assertThat(get(stack.base("ingest") + "/groups/" + group + "/inventory")
                        .path("things")
                        .asLong())
                .isEqualTo(rows);
    }

    @Test
    void shouldShowQuotasWhoseEntitiesTotalIsTheInventory() throws Exception {
        UUID group = createGroup("pro");
        Path file = things("import-quotas.ndjson", 250, Set.of());
        Run imported = cli(adminEnv(), "import", file.toString(), "--group", group.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        long things = get(stack.base("ingest") + "/groups/" + group + "/inventory")
                .path("things")
                .asLong();
        assertThat(things).isEqualTo(nonBlankLines(file));

        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Run run = cli(adminEnv(), "quotas", group.toString());
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.row("entities_total"))
                    .as(run.toString())
                    .hasValueSatisfying(cells -> assertThat(cells.subList(1, cells.size()))
                            .containsExactly(Long.toString(things), "10000", "2.5 %", "ok"));
        });
        Run run = cli(adminEnv(), "quotas", group.toString());
        assertThat(run.out())
                .startsWith("Group " + group + ", plan pro\nMETRIC")
                .contains("No warnings.");

        Run json = cli(adminEnv(), "--json", "quotas", group.toString());
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode answer = MAPPER.readTree(json.out());
        assertThat(answer.path("groupId").asText()).isEqualTo(group.toString());
        assertThat(answer.path("quotas").path("entities_total").path("current").asLong())
                .isEqualTo(things);
    }

    @Test
    void shouldPrintTheGroupsFiguresFromMetrics() throws Exception {
        UUID group = createGroup("pro");
        Path file = things("import-metrics.ndjson", 240, Set.of());
        long users = Files.readAllLines(file).stream()
                .filter(line -> line.contains("\"type\":\"user\""))
                .count();
        Run imported = cli(adminEnv(), "import", file.toString(), "--group", group.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();

        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Run run = cli(adminEnv(), "metrics", group.toString());
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).as(run.toString()).startsWith("Group " + group);
            assertThat(run.row("totalEntities")).as(run.toString()).contains(List.of("totalEntities", "240"));
            assertThat(run.row("userCount")).as(run.toString()).contains(List.of("userCount", Long.toString(users)));
        });
    }

    @Test
    void shouldRunAnArchiveAndWaitForItsEnd() {
        Run run = cli(adminEnv(), "archival", "run", "--wait");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err())
                .as(run.toString())
                .containsPattern("Archive run " + UUID_LINE)
                .containsPattern("(?m)^archive succeeded 100\\.0%");
        assertThat(run.out())
                .as(run.toString())
                .containsPattern(
                        "(?m)^Archive run " + UUID_LINE + " succeeded in \\S+: \\d+ events archived, 0 failed");
    }

    @Test
    void shouldSayWhatIsMissingWhenThereIsNeitherTokenNorKey() throws Exception {
        Path home = Files.createTempDirectory(WORK, "empty-home-");
        Map<String, String> env = urls();
        env.put("STRATA_HOME", home.toString());

        Run run = cli(env, "quotas", UUID.randomUUID().toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.NO_CREDENTIALS);
        assertThat(run.err())
                .as(run.toString())
                .contains("No token")
                .contains("STRATA_TOKEN")
                .contains(home.resolve("keys").resolve("jwt-private.pem").toString());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldPrintTheForbiddenProblemForAnotherTenantsGroup() throws Exception {
        UUID group = createGroup("starter");
        Map<String, String> env = urls();
        env.put("STRATA_TOKEN", TestTokens.forTenants(UUID.randomUUID()));
        Path file = things("import-forbidden.ndjson", 5, Set.of());

        Run quotas = cli(env, "quotas", group.toString());
        Run upload = cli(env, "import", file.toString(), "--group", group.toString());

        for (Run run : List.of(quotas, upload)) {
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.SERVICE_ERROR);
            assertThat(run.err()).as(run.toString()).containsPattern("(?m)^403 Forbidden: \\S.*$");
            assertThat(run.out()).as(run.toString()).isEmpty();
        }
        assertThat(get(stack.base("ingest") + "/groups/" + group + "/inventory")
                        .path("things")
                        .asLong())
                .isZero();
    }

    // ---------------------------------------------------------------------------------------------------------

    private UUID createGroup(String plan) {
        Run run = cli(adminEnv(), "groups", "create", "--name", "cli-it", "--plan", plan);
        assertThat(run.exit()).as(run.toString()).isZero();
        return UUID.fromString(run.out().strip());
    }

    /**
     * {@code count} lines of things, one in {@link #USER_EVERY} a user (people-like), the others documents; the
     * lines at {@code bad} are wrong each in its own way (unknown type, blank name, broken JSON, unknown status).
     */
    private static Path things(String name, int count, Set<Integer> bad) throws IOException {
        Path file = Files.createTempFile(WORK, name.replace(".ndjson", "-"), ".ndjson");
        StringBuilder body = new StringBuilder();
        int fault = 0;
        for (int i = 0; i < count; i++) {
            if (bad.contains(i)) {
                body.append(
                        switch (fault++ % 4) {
                            case 0 -> "{\"type\":\"spaceship\",\"name\":\"bad " + i + "\"}";
                            case 1 -> "{\"type\":\"document\",\"name\":\"   \"}";
                            case 2 -> "{\"type\":\"document\",\"name\":";
                            default -> "{\"type\":\"document\",\"name\":\"bad " + i + "\",\"status\":\"lost\"}";
                        });
            } else {
                String type = i % USER_EVERY == 0 ? "user" : "document";
                body.append("{\"type\":\"")
                        .append(type)
                        .append("\",\"name\":\"thing ")
                        .append(i)
                        .append("\",\"properties\":{\"n\":")
                        .append(i)
                        .append("}}");
            }
            body.append('\n');
        }
        Files.writeString(file, body, StandardCharsets.UTF_8);
        return file;
    }

    /** Counted from the file as written, not from what the test meant to write. */
    private static long nonBlankLines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> !line.isBlank()).count();
        }
    }

    private Map<String, String> urls() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STRATA_INGEST_URL", stack.base("ingest"));
        env.put("STRATA_QUOTA_URL", stack.base("quota"));
        env.put("STRATA_METRICS_URL", stack.base("metrics"));
        env.put("STRATA_ARCHIVAL_URL", stack.base("archival"));
        return env;
    }

    private Map<String, String> adminEnv() {
        Map<String, String> env = urls();
        env.put("STRATA_TOKEN", adminToken);
        return env;
    }

    /** {@code java -jar} the packaged CLI in a directory of its own (no .strata there), stdout and stderr apart. */
    private Run cli(Map<String, String> env, String... args) {
        try {
            Path dir = Files.createTempDirectory(WORK, "run-");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-jar",
                    cliJar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().keySet().removeIf(key -> key.startsWith("STRATA_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("strata " + String.join(" ", args) + " did not end within " + CLI_TIMEOUT
                        + "\n" + Files.readString(dir.resolve("stderr")));
            }
            return new Run(
                    process.exitValue(),
                    Files.readString(dir.resolve("stdout")),
                    Files.readString(dir.resolve("stderr")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + adminToken)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }
}
