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

    /** The running run (at most one: a unique partial index), or null. */
    @WithSession
    public Uni<ArchiveRun> running() {
        return find("status", RunStore.RUNNING).firstResult();
    }

    /** The most recent run of a kind ({@link RunStore#ARCHIVE}, {@link RunStore#RESTORE}), or null. */
    @WithSession
    public Uni<ArchiveRun> latest(String kind) {
        return find("kind = ?1 order by startedAt desc", kind).firstResult();
    }
}
