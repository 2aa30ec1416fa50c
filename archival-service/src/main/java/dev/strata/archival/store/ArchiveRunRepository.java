package dev.strata.archival.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** One run at a time, as the API shows it. Everything that takes, keeps or ends a lease is {@link RunStore}'s. */
@ApplicationScoped
public class ArchiveRunRepository implements PanacheRepositoryBase<ArchiveRun, UUID> {

    @WithSession
    public Uni<ArchiveRun> findRun(UUID id) {
        return findById(id);
    }

    /** The running run (null if none: a unique partial index allows one) and the latest run of a kind. */
    public record ActiveAndLast(ArchiveRun active, ArchiveRun last) {}

    /** Both in one session, one query after the other: a session runs one statement at a time. */
    @WithSession
    public Uni<ActiveAndLast> activeAndLast(String kind) {
        return find("status", RunStore.RUNNING)
                .firstResult()
                .chain(active -> find("kind = ?1 order by startedAt desc", kind)
                        .firstResult()
                        .map(last -> new ActiveAndLast(active, last)));
    }
}
