package dev.strata.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How CSV rows become thing items; no server needed. */
class CsvThingsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CsvThings csv(String text, int maxRecordChars) {
        return new CsvThings(new StringReader(text), MAPPER, maxRecordChars);
    }

    private static List<String> items(String text) {
        List<String> items = new ArrayList<>();
        try (CsvThings rows = csv(text, 1_000)) {
            for (ObjectNode item = rows.next(); item != null; item = rows.next()) {
                items.add(item.toString());
            }
        }
        return items;
    }

    private static Problem problem(String text, int maxRecordChars) {
        try (CsvThings rows = csv(text, maxRecordChars)) {
            while (rows.next() != null) {
                // reads to the end or to the problem
            }
        } catch (ProblemException e) {
            return e.problem();
        }
        throw new AssertionError("no problem for " + text);
    }

    @Test
    void shouldReadQuotedCellsWithCommasDoubledQuotesAndLineBreaks() {
        assertThat(items("type,name\r\n" + "product,\"Mug, large\"\r\n" + "product,\"Say \"\"hi\"\"\"\r\n"
                        + "video,\"Line\nbreak\"\r\n"))
                .containsExactly(
                        "{\"type\":\"product\",\"name\":\"Mug, large\"}",
                        "{\"type\":\"product\",\"name\":\"Say \\\"hi\\\"\"}",
                        "{\"type\":\"video\",\"name\":\"Line\\nbreak\"}");
    }

    @Test
    void shouldLeaveEmptyCellsOutAndSkipBlankLinesButNotWhitespace() {
        assertThat(items("type,name,status,properties.a\n" + "user,u1,,\n" + "\n" + "\"\"\n" + ",,,\n" + " \n"))
                .containsExactly("{\"type\":\"user\",\"name\":\"u1\"}", "{}", "{\"type\":\" \"}");
    }

    @Test
    void shouldReadRowsEndedByCrLfLfOrCrAndALastRowWithoutLineEnd() {
        assertThat(items("type,name\r\nuser,a\nuser,b\ruser,c"))
                .containsExactly(
                        "{\"type\":\"user\",\"name\":\"a\"}",
                        "{\"type\":\"user\",\"name\":\"b\"}",
                        "{\"type\":\"user\",\"name\":\"c\"}");
    }

    @Test
    void shouldTypePropertyCellsAsBooleansAndExactNumbersAndKeepTheRestAsText() {
        String digits = "9".repeat(CsvThings.MAX_NUMBER_CHARS + 1);
        JsonNode properties = csv(
                        "type,name,properties.live,properties.n,properties.price,properties.sku,"
                                + "properties.big,properties.long,properties.text\n"
                                + "product,p,true,-42,12.50,007,1e400," + digits + ",True\n",
                        1_000)
                .next()
                .get("properties");
        assertThat(properties.get("live").isBoolean()).isTrue();
        assertThat(properties.get("n").isLong()).isTrue();
        assertThat(properties.get("n").longValue()).isEqualTo(-42L);
        assertThat(properties.get("price").isBigDecimal()).isTrue();
        assertThat(properties.get("price").decimalValue()).hasToString("12.50");
        assertThat(properties.get("sku").textValue()).isEqualTo("007");
        assertThat(properties.get("big").textValue()).isEqualTo("1e400");
        assertThat(properties.get("long").textValue()).isEqualTo(digits);
        assertThat(properties.get("text").textValue()).isEqualTo("True");
    }

    @Test
    void shouldKeepTextThatLooksLikeACommentOrHasSpacesAsItIs() {
        assertThat(items("type,name\n#video, padded \n"))
                .containsExactly("{\"type\":\"#video\",\"name\":\" padded \"}");
    }

    @Test
    void shouldHandANulByteInACellToTheValidator() {
        assertThat(items("type,name\ncreator,a\u0000b\n"))
                .containsExactly("{\"type\":\"creator\",\"name\":\"a\\u0000b\"}");
    }

    @Test
    void shouldRefuseAHeaderWithUnknownColumnsNamingEach() {
        Problem problem = problem("type,name,owner,properties.\nuser,u,me,x\n", 1_000);
        assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_FAILED.uri());
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("owner", "properties.");
    }

    @Test
    void shouldRefuseAHeaderWithoutTypeAndName() {
        Problem problem = problem("kind,title\nuser,x\n", 1_000);
        assertThat(problem.errors())
                .containsExactly(
                        FieldError.of("kind", "unknown column; expected type, name, status or properties.<key>"),
                        FieldError.of("title", "unknown column; expected type, name, status or properties.<key>"),
                        FieldError.of("header", "needs the columns type and name"));
    }

    @Test
    void shouldRefuseAHeaderWithANulByte() {
        Problem problem = problem("type,name,properties.a\u0000\ncreator,n,1\n", 1_000);
        assertThat(problem.errors())
                .containsExactly(FieldError.of("header", "a column name must not contain control characters"));
    }

    @Test
    void shouldRefuseAnEmptyBodyForWantOfAHeader() {
        Problem problem = problem("", 1_000);
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED_REQUEST.uri());
        assertThat(problem.detail()).isEqualTo("The CSV body is empty: it needs a header row.");
    }

    @Test
    void shouldMarkARowWithMoreCellsThanTheHeaderAndReadTheNextOne() {
        assertThat(items("type,name\ncreator,n,extra\nuser,u\n"))
                .containsExactly(
                        "{\"type\":\"creator\",\"name\":\"n\",\"_csvRow\":\"the row has 3 cells but the header 2\"}",
                        "{\"type\":\"user\",\"name\":\"u\"}");
    }

    @Test
    void shouldStopAtAQuoteThatIsNeverClosedNamingTheLineTheInputEnds() {
        // Line 1 the header, line 2 opens the quote, line 3 is inside it, the input ends on line 4.
        Problem problem = problem("type,name\ncreator,\"never closed\nmore\n", 1_000);
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED_REQUEST.uri());
        assertThat(problem.detail()).isEqualTo("CSV line 4: a quoted field is not closed.");
    }

    @Test
    void shouldRefuseACellLongerThanTheItemLimit() {
        Problem problem = problem("type,name\ncreator,\"" + "x".repeat(5_000) + "\"\n", 1_000);
        assertThat(problem.type()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.uri());
        assertThat(problem.extensions()).containsEntry("maximum", 1_000);
    }

    @Test
    void shouldRefuseARecordOfShortCellsLongerThanTheItemLimit() {
        // Two cells of 10 characters and the comma between them: 21 characters.
        String row = "x".repeat(10) + "," + "y".repeat(10);
        assertThat(items("type,name\n" + row + "\n")).hasSize(1);
        assertThat(csv("type,name\n" + row + "\n", 21).next()).isNotNull();
        Problem problem = problem("type,name\n" + row + "\n", 20);
        assertThat(problem.type()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.uri());
        assertThat(problem.extensions()).containsEntry("maximum", 20);
    }

    @Test
    void shouldRefuseARecordOfManyEmptyCellsLongerThanTheItemLimit() {
        // 101 empty cells are 100 commas: 100 characters against a limit of 20.
        assertThat(problem("type,name\n" + ",".repeat(100) + "\n", 20).type())
                .isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.uri());
    }
}
