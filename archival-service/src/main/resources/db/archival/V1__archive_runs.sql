-- One row per archival run: its state survives a crash, so a dead run is resumed or reported.
CREATE TABLE archive_runs (
    id           uuid        PRIMARY KEY,
    status       text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    group_id     uuid,
    days_cutoff  integer     NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    error        text
);
