package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.client.QuotaGate;
import dev.strata.ingest.store.BatchOutcomeStore;
import dev.strata.ingest.store.GroupRepository;
import dev.strata.ingest.store.IdempotencyStore;
import dev.strata.ingest.store.IdempotencyStore.StoredAnswer;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.problem.DatabaseProblems;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs a write in one transaction and makes it safe to retry: with an {@code Idempotency-Key}, the first answer
 * is stored in the same transaction as the writes, and a repeat (even a concurrent one) gets that answer back
 * without writing anything. After the commit the outbox relay is woken, so the events leave at once.
 */
@ApplicationScoped
public class BatchExecutor {

    private final Pool pool;
    private final GroupRepository groups;
    private final IdempotencyStore keys;
    private final OutboxRelay relay;
    private final ObjectMapper mapper;
    private final QuotaGate quota;

    public BatchExecutor(
            Pool pool,
            GroupRepository groups,
            IdempotencyStore keys,
            OutboxRelay relay,
            ObjectMapper mapper,
            QuotaGate quota) {
        this.pool = pool;
        this.groups = groups;
        this.keys = keys;
        this.relay = relay;
        this.mapper = mapper;
        this.quota = quota;
    }

    /**
     * A write's answer as JSON text, and whether it is a stored first answer being replayed. The resource decides
     * the HTTP status.
     */
    public record Answer(String json, boolean replayed) {}

    /**
     * @param idempotencyKey the client's key, or null
     * @param requestHash    the request body's SHA-256 (recognises a key reused for another request); null
     *                       without a key
     * @param work           the writes, given the transaction (the group exists and is locked); their item is the
     *                       answer's body
     */
    public Uni<Answer> execute(
            UUID groupId, String idempotencyKey, String requestHash, Function<SqlConnection, Uni<?>> work) {
        return execute(groupId, idempotencyKey, requestHash, null, QuotaDemand.none(), work);
    }

    /**
     * Like {@link #execute(UUID, String, String, Function)}, reserving {@code demand} at quota-service with the
     * batch id as the reservation's reference. The reservation is asked for while the writes run in the open
     * transaction (nothing is visible before the commit, and the commit waits for the grant), so a batch waits
     * for the slower of the two rather than for both; a refusal rolls the writes back, and whatever was granted is
     * given back if nothing commits, or confirmed once the write committed (see {@link QuotaGate#transaction}).
     */
    public Uni<Answer> execute(
            UUID groupId,
            String idempotencyKey,
            String requestHash,
            UUID batchId,
            QuotaDemand demand,
            Function<SqlConnection, Uni<?>> work) {
        if (idempotencyKey == null) {
            return transaction(groupId, null, null, batchId, demand, work);
        }
        return keys.find(pool, groupId, idempotencyKey)
                .chain(stored -> stored != null
                        ? Uni.createFrom().item(replay(stored, requestHash))
                        : transaction(groupId, idempotencyKey, requestHash, batchId, demand, work)
                                .onFailure(BatchExecutor::isKeyConflict)
                                .recoverWithUni(() -> keys.find(pool, groupId, idempotencyKey)
                                        .map(winner -> replay(winner, requestHash))));
    }

    private Uni<Answer> transaction(
            UUID groupId,
            String key,
            String hash,
            UUID batchId,
            QuotaDemand demand,
            Function<SqlConnection, Uni<?>> work) {
        AtomicReference<QuotaGate.Granted> granted = new AtomicReference<>(QuotaGate.Granted.NONE);
        return quota.transaction(
                        tx -> lockGroup(tx, groupId, batchId, demand)
                                // an unknown group is a 404 here and now, not a reservation quota-service cannot place
                                .chain(found -> found
                                        ? reservedWhile(groupId, batchId, demand, granted, work.apply(tx))
                                        : Uni.createFrom()
                                                .failure(ProblemException.notFound("No group " + groupId + ".")))
                                .chain(body -> {
                                    Answer answer = new Answer(toJson(body), false);
                                    if (key == null) {
                                        return Uni.createFrom().item(answer);
                                    }
                                    return keys.save(tx, groupId, key, new StoredAnswer(hash, answer.json()))
                                            .replaceWith(answer);
                                }),
                        granted::get)
                .onFailure(BatchOutcomeStore::isFenced)
                .transform(fenced -> new ProblemException(Problem.of(
                        ProblemType.SERVICE_UNAVAILABLE,
                        "The write took so long that its quota reservation was given up before it could commit; "
                                + "nothing was written. Send the batch again.")))
                .invoke(relay::wake);
    }

    /**
     * Whether the group exists, locked for the write if so; a write that reserves quota also records its batch id, in the same round
     * trip (pipelined), before its reservation is even asked for: so quota-service, asking about the reservation,
     * always finds the record or waits for this transaction to end.
     */
    private Uni<Boolean> lockGroup(SqlConnection tx, UUID groupId, UUID batchId, QuotaDemand demand) {
        if (batchId == null || !quota.reserves(demand)) {
            return groups.lockForWrite(tx, groupId);
        }
        return Uni.combine()
                .all()
                .unis(groups.lockForWrite(tx, groupId), quota.recordWrite(tx, groupId, batchId))
                .asTuple()
                .map(Tuple2::getItem1);
    }

    /**
     * Runs the reservation and the writes at once and waits for both (so a grant is never left behind by writes
     * that failed first). When both fail, the quota refusal is the answer, as if it had been asked first.
     */
    private Uni<?> reservedWhile(
            UUID groupId, UUID batchId, QuotaDemand demand, AtomicReference<QuotaGate.Granted> granted, Uni<?> writes) {
        if (demand.isEmpty()) {
            return writes;
        }
        return Uni.combine()
                .all()
                .unis(quota.reserve(groupId, batchId, demand).invoke(granted::set), writes)
                .collectFailures()
                .asTuple()
                .map(Tuple2::getItem2)
                .onFailure(CompositeException.class)
                .transform(failure -> ((CompositeException) failure).getCauses().get(0));
    }

    private static Answer replay(StoredAnswer stored, String hash) {
        if (!stored.requestHash().equals(hash)) {
            throw ProblemException.of(
                    ProblemType.CONFLICT, "This Idempotency-Key was already used for a different request.");
        }
        return new Answer(stored.response(), true);
    }

    private static boolean isKeyConflict(Throwable failure) {
        return DatabaseProblems.violates(failure, "idempotency_keys_pkey");
    }

    private String toJson(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response", e);
        }
    }
}
