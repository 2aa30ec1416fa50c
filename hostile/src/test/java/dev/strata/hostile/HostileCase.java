package dev.strata.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One case of the corpus, as written in {@code hostile-corpus.json} (its README says how to add one).
 *
 * @param id             stable, unique: reports and the lead's to-do lists name cases by it
 * @param why            one line: what is hostile about it and why the expected answer is right
 * @param service        {@code ingest}, {@code quota}, {@code metrics} or {@code archival}
 * @param path           sent as written, after placeholders: percent-escapes stay escapes, a raw NUL is a raw NUL
 * @param query          the raw query string, without {@code ?}; null for none
 * @param headers        sent in order; a null value leaves out a default ({@code Content-Type: application/json}
 *                       whenever there is a body)
 * @param token          {@code own} (tenant A, the attacker), {@code other} (tenant B), {@code admin},
 *                       {@code service}, {@code none}, {@code expired} (A's, an hour past) or {@code forged} (A's,
 *                       signed with a key no service trusts)
 * @param text           the body as text (placeholders applied), or null
 * @param json           the body as JSON (serialized compactly, placeholders applied), or null
 * @param generate       a generated body (see {@link Corpus#body}), or null
 * @param chunked        {@code Transfer-Encoding: chunked} instead of {@code Content-Length}
 * @param declaredLength a {@code Content-Length} that differs from the body actually sent, or null
 * @param large          heap is sampled while it runs, health checked after it; by default, bodies of 1 MiB or more
 * @param expect         the exact answer a correct service gives
 */
record HostileCase(
        String id,
        String why,
        String service,
        String method,
        String path,
        String query,
        Map<String, String> headers,
        String token,
        String text,
        JsonNode json,
        JsonNode generate,
        boolean chunked,
        Long declaredLength,
        Boolean large,
        Expect expect) {

    /**
     * A 4xx status and the slug of its problem type ({@code https://strata.dev/problems/<slug>}), or
     * {@value #HTTP_CODEC}: a request the HTTP codec (Netty, under Vert.x) refuses before any Strata or Quarkus code
     * runs (a raw NUL in the request line or a header, a Content-Length that is no number). Vert.x answers those
     * with an empty 400 and closes; neither Quarkus nor Vert.x lets an application replace that answer.
     */
    record Expect(int status, String type) {

        static final String HTTP_CODEC = "http-codec";

        boolean byCodec() {
            return HTTP_CODEC.equals(type);
        }
    }

    boolean hasBody() {
        return text != null || json != null || generate != null;
    }

    /** The request target, path and query, after placeholders. */
    String target(Placeholders values) {
        String path = values.apply(path());
        return query == null ? path : path + "?" + values.apply(query);
    }
}
