package dev.strata.metrics;

import static dev.strata.metrics.Scenario.content;
import static dev.strata.metrics.Scenario.link;
import static dev.strata.metrics.Scenario.login;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static dev.strata.metrics.TestClock.NOW;

import java.time.Duration;
import java.time.Instant;

/**
 * A creator platform's group over 400 days: two creators, five users, an organization, four pieces of content,
 * followers, enrolments, revenue in earlier months, last week and this week, views, logins, API calls, knowledge
 * (one item with a 1 MiB embedding) and updates. Times sit on both sides of every window edge: the week starts
 * 2026-06-11T00:00Z (NOW is Wednesday 2026-06-17T12:00Z), the week before starts 2026-06-04, the month 2026-06-01,
 * the activity window 90 days back.
 */
final class CreatorScenario {

    static final Instant T_A = ago(Duration.ofDays(400));
    static final Instant T_B = ago(Duration.ofDays(100));
    static final Instant T_C = ago(Duration.ofDays(10));

    private static Scenario main;
    private static Scenario other;

    private CreatorScenario() {}

    /** The scenario, published once per test JVM and applied. */
    static synchronized Scenario main() {
        if (main == null) {
            Scenario s = build();
            Scenario o = buildOther();
            StreamWriter.send(s.envelopes);
            StreamWriter.send(o.envelopes);
            Api.awaitApplied(s.group, s.lastEventId());
            Api.awaitApplied(o.group, o.lastEventId());
            main = s;
            other = o;
        }
        return main;
    }

    /** Another tenant with a creator and revenue this week: none of it may show in the main group. */
    static synchronized Scenario other() {
        main();
        return other;
    }

    static Instant ago(Duration duration) {
        return NOW.minus(duration);
    }

    private static Scenario build() {
        Scenario s = new Scenario();
        s.groupCreated(T_A);
        s.things(
                T_A,
                "C1",
                "creator",
                "Ada",
                props("{\"handle\":\"ada\",\"bio\":\"Writes about maths\"}"),
                "U1",
                "user",
                "Ben",
                props("{}"),
                "U2",
                "user",
                "Cy",
                props("{\"city\":\"Zürich\"}"),
                "O1",
                "organization",
                "Analytical Engines Ltd",
                props("{\"seats\":12}"));
        s.events(T_A.plusSeconds(3600), revenue("C1", null, T_A.plusSeconds(3600), "100.00", "USD"));
        s.things(
                T_B,
                "V1",
                "video",
                "Engines explained",
                props("{\"minutes\":14}"),
                "P1",
                "blog_post",
                "Notes on notes",
                props("{\"words\":1200}"),
                "K1",
                "course",
                "Maths 101",
                props("{\"lessons\":8,\"level\":\"intro\"}"),
                "U3",
                "user",
                "Dee",
                props("{}"),
                "U4",
                "user",
                "Eve",
                props("{\"plan\":\"annual\"}"));
        s.connections(
                T_B.plusSeconds(3600),
                link("U1", "following", "C1"),
                link("U2", "following", "C1"),
                link("U3", "following", "C1"),
                link("U4", "following", "C1"),
                link("C1", "authored", "V1"),
                link("C1", "authored", "P1"),
                link("C1", "authored", "K1"));
        s.knowledge(
                T_B.plusSeconds(7200),
                "K1",
                "chunk",
                "Lesson one: numbers",
                8,
                "K1",
                "chunk",
                "Übung zwei — café",
                0,
                "C1",
                "label",
                "Ada",
                4);
        s.events(
                ago(Duration.ofDays(40)),
                revenue("C1", "K1", ago(Duration.ofDays(40)), "20.50", "USD"),
                content("U4", "viewed", "V1", ago(Duration.ofDays(50))));
        s.things(
                T_C,
                "C2",
                "creator",
                "Grace",
                props("{\"handle\":\"grace\"}"),
                "D1",
                "document",
                "Compiler manual",
                props("{\"pages\":320}"),
                "U5",
                "user",
                "Hal",
                props("{}"));
        s.connections(
                T_C.plusSeconds(3600),
                link("U5", "following", "C2"),
                link("C2", "following", "C1"),
                link("C2", "authored", "D1"),
                link("U1", "enrolled_in", "K1"),
                link("U2", "enrolled_in", "K1"),
                link("U3", "enrolled_in", "K1"),
                link("P1", "references", "V1"),
                link("U4", "purchased", "K1"),
                link("U5", "moderates", "P1"),
                new Scenario.NewConnection("U1", "member_of", "O1", props("{\"since\":\"2026\"}"), 0.5));
        s.knowledge(T_C.plusSeconds(7200), "D1", "chunk", "manual text", 262_144);
        s.update(
                ago(Duration.ofDays(3)),
                "C1",
                "Ada L.",
                props("{\"handle\":\"ada\",\"bio\":\"Writes about maths and engines\","
                        + "\"site\":\"https://ada.example\"}"),
                null);
        s.update(ago(Duration.ofDays(2)), "V1", null, null, "published");
        s.apiCalls(5, Instant.parse("2026-05-31T23:59:59Z"));
        s.apiCalls(3, Instant.parse("2026-06-01T00:00:00Z"));
        s.apiCalls(7, ago(Duration.ofDays(1)));
        s.events(
                ago(Duration.ofHours(1)),
                revenue("C1", "K1", ago(Duration.ofDays(9)), "30.25", "USD"),
                revenue("C1", "K1", ago(Duration.ofDays(2)), "15", "USD"),
                revenue("C1", "V1", ago(Duration.ofHours(1)), "4.75", "USD"),
                revenue("C2", "D1", ago(Duration.ofDays(3)), "9.99", "EUR"),
                content("U1", "viewed", "V1", ago(Duration.ofDays(1))),
                content("U2", "viewed", "V1", ago(Duration.ofDays(5))),
                content("U3", "viewed", "P1", ago(Duration.ofDays(8))),
                content("U1", "viewed", "K1", ago(Duration.ofDays(12))),
                content("U2", "liked", "P1", Instant.parse("2026-06-11T00:00:00Z")),
                login("U3", Instant.parse("2026-06-10T23:59:59Z")),
                login("U5", ago(Duration.ofDays(20))),
                login("C1", ago(Duration.ofHours(6))),
                login("C2", ago(Duration.ofDays(13))));
        return s;
    }

    private static Scenario buildOther() {
        Scenario s = new Scenario();
        s.groupCreated(T_C);
        s.things(T_C, "X1", "creator", "Other", props("{}"), "XV", "video", "Other video", props("{}"));
        s.connections(T_C, link("X1", "authored", "XV"));
        s.events(ago(Duration.ofDays(1)), revenue("X1", "XV", ago(Duration.ofDays(1)), "1000", "USD"));
        s.apiCalls(50, ago(Duration.ofDays(1)));
        return s;
    }
}
