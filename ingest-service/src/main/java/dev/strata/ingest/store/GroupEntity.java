package dev.strata.ingest.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A group (tenant), row of {@code groups} (migrations V1, V9). */
@Entity
@Table(name = "groups")
public class GroupEntity {

    @Id
    public UUID id;

    public String name;

    public String plan;

    @Column(name = "created_at")
    public Instant createdAt;

    /**
     * The plan's time, the same instant as the {@code group_plan_changed} event's: quota-service orders the plan it
     * learns from {@code GET /groups/{g}} against the events by it (GroupResource.GroupView).
     */
    @Column(name = "updated_at")
    public Instant updatedAt;
}
