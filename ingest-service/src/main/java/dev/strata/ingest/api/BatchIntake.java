package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchBody;
import dev.strata.ingest.service.BatchExecutor.Answer;
import dev.strata.ingest.service.BatchOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ItemValidator;
import dev.strata.ingest.service.LargeBatchGate;
import dev.strata.ingest.service.ParsedBatch;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.UUID;

/**
 * The steps every batch endpoint takes before its use case, in this order: the group id and the caller's access
 * to it (nothing about the request is looked at before that), the Idempotency-Key and the query options, then
 * the body, read as it arrives (within the platform's limit for batch paths) and parsed item by item on the worker thread that serves the
 * request (resources are {@code @Blocking}), never on the event loop. Resources keep only their HTTP shape and
 * name the use case to run.
 */
@ApplicationScoped
public class BatchIntake {

    /** A batch use case: ingest's services that write a checked batch. */
    @FunctionalInterface
    public interface BatchWrite<T> {
        Uni<Answer> write(UUID groupId, ParsedBatch<T> batch, String idempotencyKey, String requestHash);
    }

    /** A batch body format: how it is parsed into checked items. */
    @FunctionalInterface
    private interface Format<T> {
        ParsedBatch<T> parse(InputStream body, BatchOptions queryOptions);
    }

    static final int MAX_KEY_LENGTH = 255;

    private final BatchParser parser;
    private final LargeBatchGate gate;
    private final TenantAccess access;

    public BatchIntake(BatchParser parser, LargeBatchGate gate, TenantAccess access) {
        this.parser = parser;
        this.gate = gate;
        this.access = access;
    }

    /**
     * {@code {"items": [...], "options": {...}}} (options among {@code allowed}) or a bare array; query options
     * apply unless the body's own override them.
     */
    public <T> Uni<Response> json(
            String groupId,
            String idempotencyKey,
            String atomic,
            String defaultStatus,
            InputStream body,
            Set<String> allowed,
            ItemValidator<T> validator,
            BatchWrite<T> write) {
        return run(
                groupId,
                idempotencyKey,
                atomic,
                defaultStatus,
                body,
                (in, options) -> parser.json(in, options, allowed, validator),
                write);
    }

    public <T> Uni<Response> ndjson(
            String groupId,
            String idempotencyKey,
            String atomic,
            String defaultStatus,
            InputStream body,
            ItemValidator<T> validator,
            BatchWrite<T> write) {
        return run(
                groupId,
                idempotencyKey,
                atomic,
                defaultStatus,
                body,
                (in, options) -> parser.ndjson(in, options, validator),
                write);
    }

    public <T> Uni<Response> csv(
            String groupId,
            String idempotencyKey,
            String atomic,
            String defaultStatus,
            InputStream body,
            ItemValidator<T> validator,
            BatchWrite<T> write) {
        return run(
                groupId,
                idempotencyKey,
                atomic,
                defaultStatus,
                body,
                (in, options) -> parser.csv(in, options, validator),
                write);
    }

    private <T> Uni<Response> run(
            String groupId,
            String idempotencyKey,
            String atomic,
            String defaultStatus,
            InputStream stream,
            Format<T> format,
            BatchWrite<T> write) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        checkKey(idempotencyKey);
        BatchOptions options = parser.queryOptions(atomic, defaultStatus);
        BatchBody body = new BatchBody(stream, idempotencyKey != null, gate);
        ParsedBatch<T> batch;
        String hash;
        try {
            batch = format.parse(body, options);
            hash = idempotencyKey == null ? null : hashOfWhole(body);
        } catch (RuntimeException e) {
            body.close();
            throw e;
        }
        return write.write(group, batch, idempotencyKey, hash)
                .map(BatchResponses::of)
                .onTermination()
                .invoke(body::close);
    }

    /** The body's hash once every byte is read (a parser may stop at the end of its value). */
    private static String hashOfWhole(BatchBody body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read.");
        }
        return body.sha256();
    }

    /** The key is data (it is stored and compared): 1 to 255 visible characters, nothing else. */
    static void checkKey(String key) {
        if (key == null) {
            return;
        }
        boolean visible =
                !key.isBlank() && key.length() <= MAX_KEY_LENGTH && key.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
        if (!visible) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " characters, none of them a control character.");
        }
    }
}
