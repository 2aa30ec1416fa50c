-- Runs become leases: one running run at a time across replicas (unique partial index), kept alive by a
-- heartbeat so a run whose replica died is reported failed instead of staying "running" for ever.
ALTER TABLE archive_runs
    ADD COLUMN kind                 text        NOT NULL DEFAULT 'archive' CHECK (kind IN ('archive', 'restore')),
    ADD COLUMN trigger              text        NOT NULL DEFAULT 'api',
    ADD COLUMN owner                text,
    ADD COLUMN heartbeat_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN next_part            integer     NOT NULL DEFAULT 0,
    ADD COLUMN groups_total         integer     NOT NULL DEFAULT 0,
    ADD COLUMN groups_processed     integer     NOT NULL DEFAULT 0,
    ADD COLUMN eligible_at_start    bigint      NOT NULL DEFAULT 0,
    ADD COLUMN total_archived       bigint      NOT NULL DEFAULT 0,
    ADD COLUMN total_failed         bigint      NOT NULL DEFAULT 0,
    ADD COLUMN restore_from         timestamptz,
    ADD COLUMN restore_to           timestamptz,
    ADD COLUMN restored             bigint,
    ADD COLUMN already_present      bigint,
    ADD COLUMN objects_read         integer,
    ADD COLUMN manifest_claimed_at  timestamptz,
    ADD COLUMN manifest_key         text;
ALTER TABLE archive_runs ALTER COLUMN days_cutoff DROP NOT NULL;

CREATE UNIQUE INDEX archive_runs_one_running ON archive_runs ((true)) WHERE status = 'running';
CREATE INDEX archive_runs_started ON archive_runs (started_at DESC);

-- What each run did, one row per object it committed (or could not), for GET /archival/runs/{id}.
CREATE TABLE archive_run_batches (
    run_id       uuid        NOT NULL REFERENCES archive_runs (id),
    seq          integer     NOT NULL,
    group_id     uuid        NOT NULL,
    day          date,
    object_key   text,
    archived     integer     NOT NULL,
    failed       integer     NOT NULL,
    duration_ms  bigint      NOT NULL,
    recovered    boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (run_id, seq)
);

-- Every object the archive holds or is about to hold. A row is written BEFORE its object is uploaded, with
-- the ids of the events it carries, so a crash at any step leaves a record that the next run finishes under
-- the same key. States:
--   planned    key and events decided; the object may or may not be in S3 yet; its events are hot
--   verified   the object in S3 was read back and matches sha256/bytes; its events may still be hot
--   archived   committed: hot copies deleted (and events_archived queued) in the transaction that set it
--   restoring  a restore of [restore_from, restore_to) is taking events out of it
--   superseded its events are hot again or in its replacement; the S3 object is being deleted
--   removed    gone from S3
CREATE TABLE archived_objects (
    id                       uuid        PRIMARY KEY,
    run_id                   uuid        NOT NULL REFERENCES archive_runs (id),
    group_id                 uuid        NOT NULL,
    day                      date        NOT NULL,
    key                      text        NOT NULL UNIQUE,
    state                    text        NOT NULL CHECK (state IN
                                 ('planned', 'verified', 'archived', 'restoring', 'superseded', 'removed')),
    event_ids                uuid[]      NOT NULL,
    event_count              integer     NOT NULL,
    min_time                 timestamptz NOT NULL,
    max_time                 timestamptz NOT NULL,
    summary                  jsonb       NOT NULL,
    sha256                   text,
    bytes                    bigint,
    replaces                 uuid        REFERENCES archived_objects (id),
    restore_run_id           uuid        REFERENCES archive_runs (id),
    restore_from             timestamptz,
    restore_to               timestamptz,
    manifest_run_id          uuid        REFERENCES archive_runs (id),
    removal_manifest_run_id  uuid        REFERENCES archive_runs (id),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX archived_objects_group_time ON archived_objects (group_id, min_time) WHERE state = 'archived';
CREATE INDEX archived_objects_unfinished ON archived_objects (created_at)
    WHERE state IN ('planned', 'verified', 'restoring', 'superseded');
CREATE INDEX archived_objects_unlisted ON archived_objects (created_at)
    WHERE manifest_run_id IS NULL OR (state = 'removed' AND removal_manifest_run_id IS NULL);
CREATE INDEX archived_objects_manifest ON archived_objects (manifest_run_id);
CREATE INDEX archived_objects_removal_manifest ON archived_objects (removal_manifest_run_id);
