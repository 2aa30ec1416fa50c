package dev.strata.metrics.service;

import dev.strata.metrics.service.TopCreators.CreatorSummary;
import dev.strata.metrics.store.CreatorRankingStore;
import dev.strata.model.ontology.Ontology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A group's creators with their stats, most followed first. A creator is what {@link CreatorStatsService} answers
 * for: a thing of the ontology's people-like category, decided at read time. The figures come from the same rollup
 * rows as the stats' {@code totalFollowers}, {@code contentCount}, {@code totalEvents} and {@code lastActive}.
 */
@ApplicationScoped
public class TopCreatorsService {

    private final Pool pool;
    private final CreatorRankingStore store;
    private final Ontology ontology;

    public TopCreatorsService(Pool pool, CreatorRankingStore store, Ontology ontology) {
        this.pool = pool;
        this.store = store;
        this.ontology = ontology;
    }

    public Uni<TopCreators> top(UUID groupId, int limit) {
        String[] people = ontology.thingTypesIn(Ontology.PERSON).toArray(String[]::new);
        return store.top(pool, groupId, people, limit)
                .map(rows -> new TopCreators(
                        groupId,
                        rows.stream()
                                .map(r -> new CreatorSummary(
                                        r.id(),
                                        r.name(),
                                        r.type(),
                                        r.followers(),
                                        r.content(),
                                        r.events(),
                                        r.lastActiveAt()))
                                .toList()));
    }
}
