package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchExecutor.Answer;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Writes a batch answer (200, always) as it was stored, marking replays of an Idempotency-Key. */
final class BatchResponses {

    static final String REPLAYED = "Idempotent-Replayed";

    private BatchResponses() {}

    static Response of(Answer answer) {
        Response.ResponseBuilder response =
                Response.ok().type(MediaType.APPLICATION_JSON_TYPE).entity(answer.json());
        if (answer.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }
}
