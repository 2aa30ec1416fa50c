-- Import jobs: a body of 100K to millions of things, spooled to a file, written chunk by chunk by a worker.
-- Progress is committed with each chunk, in the chunk's own transaction, so a job that is interrupted resumes
-- after its last committed chunk and never writes an item twice.
CREATE TABLE import_jobs (
    id              uuid        PRIMARY KEY,
    group_id        uuid        NOT NULL REFERENCES groups (id),
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    format          text        NOT NULL CHECK (format IN ('ndjson', 'csv')),
    default_status  text        NOT NULL,
    spool_path      text        NOT NULL,
    -- The replica that holds the spool file (unless the spool directory is shared).
    spool_node      text        NOT NULL,
    bytes           bigint      NOT NULL,
    bytes_read      bigint      NOT NULL DEFAULT 0,
    processed       bigint      NOT NULL DEFAULT 0,
    created         bigint      NOT NULL DEFAULT 0,
    failed          bigint      NOT NULL DEFAULT 0,
    -- The first item errors ({index, field, error}), up to strata.ingest.imports.max-reported-errors.
    errors          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    error           text,
    attempts        integer     NOT NULL DEFAULT 0,
    -- The current claim: a token fencing off any earlier worker, the replica holding it and its last sign of life.
    claim           uuid,
    worker          text,
    heartbeat_at    timestamptz,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX import_jobs_waiting ON import_jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX import_jobs_group ON import_jobs (group_id, created_at);
