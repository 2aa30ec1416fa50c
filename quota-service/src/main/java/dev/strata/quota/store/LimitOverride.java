package dev.strata.quota.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A per-group limit that replaces the plan's for one metric (table {@code overrides}); -1 is unlimited. */
@Entity
@Table(name = "overrides")
@IdClass(LimitOverride.Key.class)
public class LimitOverride {

    /** The primary key: one override per (group, metric). */
    public record Key(UUID groupId, String metric) implements Serializable {}

    @Id
    @Column(name = "group_id")
    public UUID groupId;

    @Id
    public String metric;

    @Column(name = "limit_value")
    public long limitValue;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
