package dev.strata.ingest.service;

import dev.strata.ingest.store.GroupRepository;
import dev.strata.ingest.store.InventoryStore;
import dev.strata.ingest.store.InventoryStore.Inventory;
import dev.strata.model.ontology.Ontology;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A group's source-of-truth counts, which quota-service reconciles its event-fed counters against. */
@ApplicationScoped
public class InventoryService {

    private final Pool pool;
    private final GroupRepository groups;
    private final InventoryStore inventory;
    private final Ontology ontology;

    public InventoryService(Pool pool, GroupRepository groups, InventoryStore inventory, Ontology ontology) {
        this.pool = pool;
        this.groups = groups;
        this.inventory = inventory;
        this.ontology = ontology;
    }

    /** The counts, read in one snapshot; people-like things are those of the ontology's person category. */
    public Uni<Inventory> count(UUID groupId) {
        String[] personTypes = ontology.thingTypesIn(Ontology.PERSON).toArray(String[]::new);
        return groups.find(groupId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No group " + groupId + "."))
                .chain(found -> inventory.count(pool, groupId, personTypes));
    }
}
