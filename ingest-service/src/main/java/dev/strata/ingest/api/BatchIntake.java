package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.BatchLimits;
import dev.strata.ingest.service.BatchOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ParsedBatch;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.Set;
import java.util.UUID;

/**
 * The steps every batch endpoint takes before its use case: the group id, the caller's access to it, the body
 * limit, then parsing by format. Resources keep only their HTTP shape and name the use case to run.
 */
@ApplicationScoped
public class BatchIntake {

    /** A batch use case: ingest's services that write a parsed batch. */
    @FunctionalInterface
    public interface BatchWrite {
        Uni<Answer> write(UUID groupId, ParsedBatch batch, String idempotencyKey, byte[] body);
    }

    private final BatchParser parser;
    private final BatchLimits limits;
    private final TenantAccess access;

    public BatchIntake(BatchParser parser, BatchLimits limits, TenantAccess access) {
        this.parser = parser;
        this.limits = limits;
        this.access = access;
    }

    /** {@code {"items": [...], "options": {...}}} (options among {@code allowed}) or a bare array. */
    public Uni<Response> json(String groupId, String idempotencyKey, byte[] body, BatchOptions queryOptions,
                              Set<String> allowed, BatchWrite write) {
        UUID group = authorize(groupId, body);
        return run(group, parser.json(body, queryOptions, allowed), idempotencyKey, body, write);
    }

    public Uni<Response> ndjson(String groupId, String idempotencyKey, byte[] body, BatchOptions queryOptions,
                                BatchWrite write) {
        UUID group = authorize(groupId, body);
        return run(group, parser.ndjson(body, queryOptions), idempotencyKey, body, write);
    }

    public Uni<Response> csv(String groupId, String idempotencyKey, byte[] body, BatchOptions queryOptions,
                             BatchWrite write) {
        UUID group = authorize(groupId, body);
        return run(group, parser.csv(body, queryOptions), idempotencyKey, body, write);
    }

    public BatchOptions queryOptions(Boolean atomic, String defaultStatus) {
        return parser.queryOptions(atomic, defaultStatus);
    }

    private UUID authorize(String groupId, byte[] body) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        limits.checkBodySize(body == null ? 0 : body.length);
        return group;
    }

    private static Uni<Response> run(UUID group, ParsedBatch batch, String idempotencyKey, byte[] body,
                                     BatchWrite write) {
        return write.write(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }
}
