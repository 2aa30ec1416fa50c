package dev.strata.archival.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * An archival or restore run (table {@code archive_runs}). Read as an entity where one run is looked up
 * ({@link ArchiveRunRepository}); never written through Hibernate: a running run is the lease of its replica, so
 * starting, heartbeats, progress and finishing stay on the reactive client ({@link RunStore}), in the transactions
 * that take and fence the lease. Accessors are named as a record's, for the code that reads runs either way.
 */
@Entity
@Table(name = "archive_runs")
@Immutable
public class ArchiveRun {
    @Id
    private UUID id;

    private String kind;
    private String trigger;
    private String status;

    @Column(name = "group_id")
    private UUID groupId;

    @Column(name = "days_cutoff")
    private Integer daysCutoff;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    private String owner;
    private String error;

    @Column(name = "groups_total")
    private int groupsTotal;

    @Column(name = "groups_processed")
    private int groupsProcessed;

    @Column(name = "eligible_at_start")
    private long eligibleAtStart;

    @Column(name = "total_archived")
    private long totalArchived;

    @Column(name = "total_failed")
    private long totalFailed;

    @Column(name = "restore_from")
    private Instant restoreFrom;

    @Column(name = "restore_to")
    private Instant restoreTo;

    private Long restored;

    @Column(name = "already_present")
    private Long alreadyPresent;

    private Long refused;

    @Column(name = "objects_read")
    private Integer objectsRead;

    @Column(name = "manifest_key")
    private String manifestKey;

    @Column(name = "manifest_claimed_at")
    private Instant manifestClaimedAt;

    @Column(name = "expired_objects")
    private int expiredObjects;

    protected ArchiveRun() {}

    public ArchiveRun(
            UUID id,
            String kind,
            String trigger,
            String status,
            UUID groupId,
            Integer daysCutoff,
            Instant startedAt,
            Instant finishedAt,
            Instant heartbeatAt,
            String owner,
            String error,
            int groupsTotal,
            int groupsProcessed,
            long eligibleAtStart,
            long totalArchived,
            long totalFailed,
            Instant restoreFrom,
            Instant restoreTo,
            Long restored,
            Long alreadyPresent,
            Long refused,
            Integer objectsRead,
            String manifestKey,
            Instant manifestClaimedAt,
            int expiredObjects) {
        this.id = id;
        this.kind = kind;
        this.trigger = trigger;
        this.status = status;
        this.groupId = groupId;
        this.daysCutoff = daysCutoff;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.heartbeatAt = heartbeatAt;
        this.owner = owner;
        this.error = error;
        this.groupsTotal = groupsTotal;
        this.groupsProcessed = groupsProcessed;
        this.eligibleAtStart = eligibleAtStart;
        this.totalArchived = totalArchived;
        this.totalFailed = totalFailed;
        this.restoreFrom = restoreFrom;
        this.restoreTo = restoreTo;
        this.restored = restored;
        this.alreadyPresent = alreadyPresent;
        this.refused = refused;
        this.objectsRead = objectsRead;
        this.manifestKey = manifestKey;
        this.manifestClaimedAt = manifestClaimedAt;
        this.expiredObjects = expiredObjects;
    }

    public boolean running() {
        return RunStore.RUNNING.equals(status);
    }

    public UUID id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public String trigger() {
        return trigger;
    }

    public String status() {
        return status;
    }

    public UUID groupId() {
        return groupId;
    }

    public Integer daysCutoff() {
        return daysCutoff;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant heartbeatAt() {
        return heartbeatAt;
    }

    public String owner() {
        return owner;
    }

    public String error() {
        return error;
    }

    public int groupsTotal() {
        return groupsTotal;
    }

    public int groupsProcessed() {
        return groupsProcessed;
    }

    public long eligibleAtStart() {
        return eligibleAtStart;
    }

    public long totalArchived() {
        return totalArchived;
    }

    public long totalFailed() {
        return totalFailed;
    }

    public Instant restoreFrom() {
        return restoreFrom;
    }

    public Instant restoreTo() {
        return restoreTo;
    }

    public Long restored() {
        return restored;
    }

    public Long alreadyPresent() {
        return alreadyPresent;
    }

    public Long refused() {
        return refused;
    }

    public Integer objectsRead() {
        return objectsRead;
    }

    public String manifestKey() {
        return manifestKey;
    }

    public Instant manifestClaimedAt() {
        return manifestClaimedAt;
    }

    public int expiredObjects() {
        return expiredObjects;
    }
}
