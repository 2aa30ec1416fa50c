package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.RawHttp;
import dev.strata.testing.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The corpus file and the harness's pure parts, in seconds and without a service: the file reads and checks (the
 * IT would stop on the same mistakes after minutes of start-up), generated bodies have the length they announce,
 * placeholders and the response reader do what the cases rely on.
 */
class CorpusFileTest {

    @Test
    void shouldHoldAtLeast300WellFormedCasesForEveryService() {
        List<HostileCase> cases = Corpus.load();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
        Map<String, Long> perService =
                cases.stream().collect(Collectors.groupingBy(HostileCase::service, Collectors.counting()));
        assertThat(perService).containsOnlyKeys(Corpus.SERVICES);
        assertThat(cases).allSatisfy(c -> assertThat(c.why()).isNotBlank());
    }

    @Test
    void shouldRefuseAMisspeltPlaceholderAndAStatusThatIsNotItsTypes() throws IOException {
        JsonNode root = Corpus.MAPPER.readTree("""
                {"cases": [
                  {"id": "a", "why": "w", "service": "ingest", "method": "GET", "path": "/groups/{owm}/things",
                   "token": "own", "expect": {"status": 400, "type": "malformed-request"}},
                  {"id": "b", "why": "w", "service": "ingest", "method": "GET", "path": "/groups/{own}",
                   "token": "own", "expect": {"status": 400, "type": "validation-failed"}},
                  {"id": "b", "why": "w", "service": "ingest", "method": "GET", "path": "/groups/{own}",
                   "token": "own", "expected": {"status": 403, "type": "forbidden"}}
                ]}""");

        assertThatThrownBy(() -> Corpus.parse(root))
                .hasMessageContaining("case 0 (a): unknown placeholder {owm}")
                .hasMessageContaining("case 1 (b): expect.type validation-failed is a 422, not a 400")
                .hasMessageContaining("case 2 (b): unknown field 'expected'");
    }

    @Test
    void shouldGenerateExactlyTheAnnouncedBytesWithoutHoldingThem() throws IOException {
        RequestBody body = RequestBody.generated(List.of(
                new RequestBody.Segment("[".getBytes(StandardCharsets.UTF_8), 1),
                new RequestBody.Segment("{},".getBytes(StandardCharsets.UTF_8), 100_003),
                new RequestBody.Segment("{}]".getBytes(StandardCharsets.UTF_8), 1)));

        // 1 + 3 * 100,003 + 3 bytes
        assertThat(body.length()).isEqualTo(300_013);
        byte[] all;
        try (InputStream in = body.open()) {
            all = in.readAllBytes();
        }
        String text = new String(all, StandardCharsets.UTF_8);
        assertThat(text).hasSize(300_013).startsWith("[{},{},").endsWith("{},{},{}]");
        assertThat(text.chars().filter(c -> c == '{').count()).isEqualTo(100_004);
    }

    @Test
    void shouldFillPlaceholdersInnermostFirst() {
        Placeholders values = Placeholders.dummies();
        String own = values.value("own");

        assertThat(values.apply("/groups/{own}/x?cursor={b64:{own}|a}&n={repeat:3:ab}"))
                .isEqualTo("/groups/" + own + "/x?cursor="
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString((own + "|a").getBytes(StandardCharsets.UTF_8))
                        + "&n=ababab");
        assertThat(values.apply("{\"items\":[{}]}")).isEqualTo("{\"items\":[{}]}");
        assertThat(values.forCase().value("randomUuid"))
                .isNotEqualTo(values.forCase().value("randomUuid"));
    }

    @Test
    void shouldReadChunkedAndSizedResponses() {
        String chunked = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Request Entity Too Large\r\n"
                + "Content-Type: application/problem+json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\n\r\n";
        RawHttp.Response response =
                RawHttp.read(new ByteArrayInputStream(chunked.getBytes(StandardCharsets.UTF_8)), System.nanoTime());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.bodyText()).isEqualTo("{\"a\":1}\n");

        String sized = "HTTP/1.1 400 Bad Request\r\ncontent-length: 4\r\n\r\nnopeEXTRA";
        assertThat(RawHttp.read(new ByteArrayInputStream(sized.getBytes(StandardCharsets.UTF_8)), System.nanoTime())
                        .bodyText())
                .isEqualTo("nope");
    }

    @Test
    void shouldSumTheHeapPoolsOfAPrometheusScrape() {
        String scrape = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
                """;

        assertThat(HeapWatch.heapUsed(scrape)).isEqualTo(31_457_280L);
    }
}
