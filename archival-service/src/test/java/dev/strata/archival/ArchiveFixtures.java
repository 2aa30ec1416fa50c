package dev.strata.archival;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.EventsArchived;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestS3;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.Flyway;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Test data straight into ingest.events (JDBC), and an outside look at the results: the hot table, the objects
 * and manifests in the bucket, the runs over HTTP. Nothing here uses the service's own code.
 */
final class ArchiveFixtures {

    static final String BUCKET = "strata-archive";
    static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private ArchiveFixtures() {}

    /** ingest-service's own migrations (from its module, not a copy) applied to the test database, once. */
    static synchronized void ingestSchema() {
        if (Boolean.getBoolean("strata.test.ingest-schema")) {
            return;
        }
        String location = System.getProperty(
                "strata.ingest.migrations",
                Path.of("..", "ingest-service", "src", "main", "resources", "db", "ingest")
                        .toString());
        TestEndpoints db = TestServers.ensureStarted();
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.dbUser(), db.dbPassword())
                .schemas("ingest")
                .defaultSchema("ingest")
                .locations("filesystem:" + Path.of(location).toAbsolutePath().normalize())
                .load()
                .migrate();
        System.setProperty("strata.test.ingest-schema", "true");
    }

    /** An event as ingest-service stores it. */
    record Event(
            UUID id,
            UUID groupId,
            String type,
            UUID actorId,
            UUID targetId,
            Instant timestamp,
            String metadata,
            Instant recordedAt) {}

    /** Noon (UTC) of the day {@code daysAgo} before today, plus {@code offset}. */
    static Instant daysAgo(int daysAgo, Duration offset) {
        return LocalDate.now(ZoneOffset.UTC)
                .minusDays(daysAgo)
                .atTime(12, 0)
                .toInstant(ZoneOffset.UTC)
                .plus(offset);
    }

    /** {@code count} events of one group, one every {@code step} from {@code first}, types taking turns. */
    static List<Event> events(UUID group, Instant first, int count, Duration step, String... types) {
        List<Event> events = new ArrayList<>(count);
        UUID actor = UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            String type = types[i % types.length];
            String metadata = switch (type) {
                case "revenue_generated" ->
                    "{\"amount\": " + (i % 2 == 0 ? "9.99" : "20.005") + ", \"currency\": \""
                            + (i % 3 == 0 ? "USD" : "EUR") + "\"}";
                case "content_event" -> "{\"action\": \"viewed\", \"n\": " + i + "}";
                default -> "{}";
            };
            Instant at = first.plus(step.multipliedBy(i)).plus(i * 123L, ChronoUnit.MICROS);
            events.add(new Event(
                    UUID.randomUUID(),
                    group,
                    type,
                    actor,
                    i % 2 == 0 ? UUID.randomUUID() : null,
                    at,
                    metadata,
                    at.plusSeconds(1).plus(7, ChronoUnit.MICROS)));
        }
        return events;
    }

    static void insert(List<Event> events) {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO ingest.events (id, group_id, type, actor_id, target_id, "timestamp", metadata, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
            for (Event event : events) {
                insert.setObject(1, event.id());
                insert.setObject(2, event.groupId());
                insert.setString(3, event.type());
                insert.setObject(4, event.actorId(), Types.OTHER);
                insert.setObject(5, event.targetId(), Types.OTHER);
                insert.setTimestamp(6, Timestamp.from(event.timestamp()));
                insert.setString(7, event.metadata());
                insert.setTimestamp(8, Timestamp.from(event.recordedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<UUID> hotIds(UUID group) {
        return TestDatabase.rows("SELECT id FROM ingest.events WHERE group_id = ?", group).stream()
                .map(row -> (UUID) row.get(0))
                .collect(Collectors.toSet());
    }

    /** The group's ids in ingest's record of archived events: the ids ingest lets no one use again. */
    static Set<UUID> recordedIds(UUID group) {
        return TestDatabase.rows("SELECT id FROM ingest.archived_event_ids WHERE group_id = ?", group).stream()
                .map(row -> (UUID) row.get(0))
                .collect(Collectors.toSet());
    }

    static Set<UUID> ids(List<Event> events) {
        return events.stream().map(Event::id).collect(Collectors.toSet());
    }

    // --- runs over HTTP ---

    static String startGroupRun(UUID group, int daysCutoff) {
        return given().auth()
                .oauth2(TestTokens.admin())
                .post("/groups/" + group + "/archival?daysCutoff=" + daysCutoff)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    static JsonPath run(String id) {
        return given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/runs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath awaitRun(String id, String status) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !"running".equals(run(id).getString("status")));
        JsonPath run = run(id);
        if (!status.equals(run.getString("status"))) {
            throw new AssertionError("run " + id + " ended " + run.getString("status") + ": " + run.prettify());
        }
        return run;
    }

    // --- the bucket, read as an outside reader would ---

    static S3Client s3() {
        return TestS3.client();
    }

    /** Object keys under a prefix; S3Proxy's filesystem store also lists its folders (".../"): not objects. */
    static List<String> keys(String prefix) {
        try (S3Client s3 = s3()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                    .map(S3Object::key)
                    .filter(key -> !key.endsWith("/"))
                    .sorted()
                    .toList();
        }
    }

    static List<String> objectKeys(UUID group) {
        return keys("events/group=" + group + "/");
    }

    static byte[] bytes(String key) {
        try (S3Client s3 = s3()) {
            return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        }
    }

    static boolean exists(String key) {
        try (S3Client s3 = s3()) {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The NDJSON lines of a gzip object, parsed. */
    static List<JsonNode> lines(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event id in the group's objects, with repeats (a repeat would be a duplicate across objects). */
    static List<UUID> archivedIds(UUID group) {
        List<UUID> ids = new ArrayList<>();
        for (String key : objectKeys(group)) {
            for (JsonNode line : lines(bytes(key))) {
                ids.add(UUID.fromString(line.get("id").asText()));
            }
        }
        return ids;
    }

    static JsonNode json(String key) {
        try {
            return JSON.readTree(bytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every manifest in the bucket. */
    static List<JsonNode> manifests() {
        return keys("manifests/").stream().map(ArchiveFixtures::json).toList();
    }

    /**
     * The group's events_archived seen on the topic, by event id (delivery is at least once, so a redelivery
     * repeats an id), once {@code expected} have arrived and a second more has passed.
     */
    /** An events_archived event's payload, bound as consumers bind it. */
    static EventsArchived archived(EventEnvelope event) {
        return EventEnvelopeCodec.payload(event, EventsArchived.class);
    }

    static Map<String, EventEnvelope> archivedEvents(EventStreamProbe stream, UUID group, int expected) {
        Map<String, EventEnvelope> distinct = new LinkedHashMap<>();
        Runnable collect = () -> stream.all(group, Duration.ofMillis(200)).stream()
                .filter(EventStreamProbe.ofType(EventType.EVENTS_ARCHIVED))
                .forEach(e -> distinct.put(e.id(), e));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            collect.run();
            return distinct.size() >= expected;
        });
        stream.all(group, Duration.ofSeconds(1));
        collect.run();
        return distinct;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path download(List<String> keys) throws IOException {
        Path root = Files.createTempDirectory("archive-");
        for (String key : keys) {
            Path file = root.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes(key));
        }
        return root;
    }
}
