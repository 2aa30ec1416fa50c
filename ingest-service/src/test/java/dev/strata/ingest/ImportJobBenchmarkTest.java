package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.things;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Imports one million things, prints how long it took and what the heap held (after a collection) while it ran, and
 * checks that this stayed flat: within a bound that does not grow with the file. Runs only on demand, with a body
 * limit that fits:
 * <pre>
 * mvn -B test -pl ingest-service -Dtest=ImportJobBenchmarkTest -Dstrata.benchmark=true \
 *     -Dstrata.ingest.imports.max-body-bytes=200000000
 * </pre>
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
@EnabledIfSystemProperty(named = "strata.benchmark", matches = "true")
class ImportJobBenchmarkTest {

    private static final int ITEMS = Integer.getInteger("strata.benchmark.items", 1_000_000);

    /**
     * How far the heap after a full collection may rise, while the job runs, above what it held before the upload.
     * A streaming import holds, whatever the file's size, one chunk in flight (3,000 items in the test profile: their
     * trees, checked things and events, a few MiB), the relay's batch of outbox rows (1,000 events of about 1 KB)
     * and what the Kafka producer has not sent yet (a few MiB, at most its 32 MiB buffer). An import that held every
     * item would hold at least each line as a String: 24 + 16 bytes of headers and about 95 bytes of text, for
     * 1,000,000 items 129 MiB, twice this bound; kept as the checked things a chunk makes, about 270 bytes each
     * (an import made to keep them measured +78 MiB for 300,000), some 250 MiB. Streaming measured +14 MiB. (With a
     * smaller {@code strata.benchmark.items} the bound still holds, but below about 250,000 items no longer tells
     * streaming from holding.)
     */
    private static final long FLAT_BOUND_BYTES = 64L << 20;

    @Test
    void shouldImportAMillionThingsWithFlatMemory() throws Exception {
        UUID group = newGroup("enterprise");
        Path file = Files.createTempFile("million-", ".ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ITEMS; i++) {
                out.write("{\"type\":\"" + (i % 2 == 0 ? "user" : "video") + "\",\"name\":\"item " + i
                        + "\",\"properties\":{\"n\":" + i + ",\"tag\":\"benchmark\"}}\n");
            }
        }
        long baseline = heapAfterCollection();
        long[] peak = {baseline};
        long started = System.nanoTime();
        HttpRequest upload = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/groups/" + group + "/imports"))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Authorization", "Bearer " + TestTokens.forTenants(group))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(upload, HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = accepted.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        double uploadSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("upload of %,d bytes: %.1f s%n", Files.size(file), uploadSeconds);

        String[] status = new String[1];
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    var job = given().auth()
                            .oauth2(TestTokens.forTenants(group))
                            .get("/imports/{id}", id)
                            .then()
                            .statusCode(200)
                            .extract();
                    status[0] = job.path("status");
                    long heap = heapAfterCollection();
                    peak[0] = Math.max(peak[0], heap);
                    System.out.printf(
                            "%6.1f s  %-9s processed %,9d  percent %5.1f  heap after GC %,5d MiB%n",
                            (System.nanoTime() - started) / 1e9,
                            status[0],
                            job.<Integer>path("processed"),
                            job.<Float>path("percent"),
                            heap >> 20);
                    return status[0].equals("succeeded") || status[0].equals("failed");
                });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%,d things in %.1f s (%,.0f a second)%n", ITEMS, seconds, ITEMS / seconds);
        System.out.printf(
                "heap after GC: %,d MiB before the upload, at most %,d MiB while the job ran (+%,d MiB, bound +%,d)%n",
                baseline >> 20, peak[0] >> 20, (peak[0] - baseline) >> 20, FLAT_BOUND_BYTES >> 20);
        assertThat(status[0]).isEqualTo("succeeded");
        assertThat(things(group)).isEqualTo(ITEMS);
        assertThat(peak[0] - baseline).isLessThanOrEqualTo(FLAT_BOUND_BYTES);
        Files.deleteIfExists(file);
    }

    /** Heap in use after a full collection: what is live, not what is waiting to be collected. */
    private static long heapAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
