package dev.strata.metrics;

import static dev.strata.metrics.TestClock.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.metrics.Scenario.Connection;
import dev.strata.metrics.Scenario.LogEntry;
import dev.strata.metrics.Scenario.Thing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Expected answers worked out from a scenario's plain facts and the definitions in the README, without the
 * service's code: people-like and content-like types as listed in SPEC section 1, windows from the fixed clock.
 */
final class Expected {

    static final Set<String> PEOPLE = Set.of("user", "creator");
    static final Set<String> CONTENT =
            Set.of("blog_post", "article", "newsletter", "video", "podcast", "image", "course", "lesson", "document");
    static final LocalDate TODAY = LocalDate.of(2026, 6, 17);
    static final LocalDate WEEK_START = LocalDate.of(2026, 6, 11);
    static final LocalDate PREVIOUS_WEEK_START = LocalDate.of(2026, 6, 4);
    static final LocalDate MONTH_START = LocalDate.of(2026, 6, 1);
    static final Instant ACTIVE_SINCE = NOW.minus(Duration.ofDays(30));
    static final Instant WINDOW_START = NOW.minus(Duration.ofDays(90));

    private Expected() {}

    static BigDecimal ratio(BigDecimal a, long b) {
        return b == 0 ? BigDecimal.ZERO : a.divide(BigDecimal.valueOf(b), 2, RoundingMode.HALF_UP);
    }

    static BigDecimal ratio(long a, long b) {
        return ratio(BigDecimal.valueOf(a), b);
    }

    static LocalDate day(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /**
     * The test profile's rates (application.properties): USD is the reporting currency, 1 EUR = 1.10 USD, no other
     * currency has a rate.
     */
    static final Map<String, BigDecimal> RATES = Map.of("USD", BigDecimal.ONE, "EUR", new BigDecimal("1.10"));

    /** Revenue of the entries in USD: each currency with a rate converted, the others left out; two decimals. */
    static BigDecimal revenue(List<LogEntry> entries) {
        BigDecimal usd = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> sum : revenueByCurrency(entries).entrySet()) {
            BigDecimal rate = RATES.get(sum.getKey());
            if (rate != null) {
                usd = usd.add(sum.getValue().multiply(rate));
            }
        }
        return usd.setScale(2, RoundingMode.HALF_UP);
    }

    /** The exact sums of the entries' amounts per currency. */
    static Map<String, BigDecimal> revenueByCurrency(List<LogEntry> entries) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (LogEntry e : entries) {
            if (e.amount() != null) {
                sums.merge(e.metadata().get("currency").asText(), e.amount(), BigDecimal::add);
            }
        }
        return sums;
    }

    /** A {@code ...ByCurrency} object of an answer: the same currencies, each sum equal by value. */
    static void assertByCurrency(JsonNode actual, Map<String, BigDecimal> expected, String what) {
        assertThat(actual.isObject()).as("%s is an object: %s", what, actual).isTrue();
        Map<String, BigDecimal> sums = new TreeMap<>();
        actual.fields().forEachRemaining(f -> sums.put(f.getKey(), f.getValue().decimalValue()));
        assertThat(sums.keySet()).as(what).containsExactlyElementsOf(new TreeMap<>(expected).keySet());
        expected.forEach((currency, sum) ->
                assertThat(sums.get(currency)).as("%s %s", what, currency).isEqualByComparingTo(sum));
    }

    static long connectionCount(Scenario s, UUID thing) {
        return s.connections.stream().filter(c -> c.from().equals(thing)).count()
                + s.connections.stream().filter(c -> c.to().equals(thing)).count();
    }

    static long connections(Scenario s, UUID thing, String direction, String type) {
        return s.connections.stream()
                .filter(c -> ("inbound".equals(direction) ? c.to() : c.from()).equals(thing))
                .filter(c -> type == null || type.equals(c.type()))
                .count();
    }

    static Map<String, Long> connectionTypes(Scenario s, UUID thing, String direction) {
        Map<String, Long> types = new TreeMap<>();
        for (Connection c : s.connections) {
            if (("inbound".equals(direction) ? c.to() : c.from()).equals(thing)) {
                types.merge(c.type(), 1L, Long::sum);
            }
        }
        return types;
    }

    /** Every (connection, direction) of a thing, newest first: createdAt, then id, descending; then direction. */
    record Seen(String id, String direction) {}

    static List<Seen> relationshipOrder(Scenario s, UUID thing, boolean inbound, boolean outbound, String type) {
        record Row(Connection c, String direction) {}
        java.util.ArrayList<Row> rows = new java.util.ArrayList<>();
        for (Connection c : s.connections) {
            if (type != null && !type.equals(c.type())) {
                continue;
            }
            if (inbound && c.to().equals(thing)) {
                rows.add(new Row(c, "inbound"));
            }
            if (outbound && c.from().equals(thing)) {
                rows.add(new Row(c, "outbound"));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.c().createdAt())
                .reversed()
                .thenComparing((Row r) -> r.c().id().toString(), Comparator.reverseOrder())
                .thenComparing(Row::direction));
        return rows.stream()
                .map(r -> new Seen(r.c().id().toString(), r.direction()))
                .toList();
    }

    /** Log entries naming the thing as actor or target, newest first, within the activity window. */
    static List<LogEntry> feed(Scenario s, UUID thing) {
        return s.log.stream()
                .filter(e -> thing.equals(e.actor()) || thing.equals(e.target()))
                .filter(e -> !e.time().isBefore(WINDOW_START))
                .sorted(Comparator.comparing(LogEntry::time)
                        .reversed()
                        .thenComparing(LogEntry::id, Comparator.reverseOrder()))
                .toList();
    }

    static void assertThing(JsonNode actual, Scenario s, Thing thing) {
        assertThat(actual.path("id").asText()).isEqualTo(thing.id().toString());
        assertThat(actual.path("groupId").asText()).isEqualTo(s.group.toString());
        assertThat(actual.path("type").asText()).isEqualTo(thing.type());
        assertThat(actual.path("name").asText()).isEqualTo(thing.name());
        assertThat(actual.path("status").asText()).isEqualTo(thing.status());
        assertThat(actual.path("properties")).isEqualTo(thing.properties());
        assertThat(actual.path("createdAt").asText())
                .isEqualTo(thing.createdAt().toString());
        assertThat(actual.path("updatedAt").asText())
                .isEqualTo(thing.updatedAt().toString());
    }

    static void assertDecimal(JsonNode actual, BigDecimal expected, String what) {
        assertThat(actual.isNumber()).as("%s is a number: %s", what, actual).isTrue();
        assertThat(actual.decimalValue()).as(what).isEqualByComparingTo(expected);
    }
}
