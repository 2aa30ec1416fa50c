-- The archive's own retention (strata.archival.retention-days, 7 years): an archived object whose newest event is
-- older than that is expired (recorded first), deleted from S3, then removed; its removal is listed by a manifest
-- like a restore's. A legal hold on a group stops that, and every other deletion of the group's archived objects.
ALTER TABLE archived_objects DROP CONSTRAINT archived_objects_state_check;
ALTER TABLE archived_objects ADD CONSTRAINT archived_objects_state_check CHECK (state IN
    ('planned', 'verified', 'archived', 'restoring', 'superseded', 'expired', 'removed'));
DROP INDEX archived_objects_unfinished;
CREATE INDEX archived_objects_unfinished ON archived_objects (created_at)
    WHERE state IN ('planned', 'verified', 'restoring', 'superseded', 'expired');
CREATE INDEX archived_objects_expiry ON archived_objects (max_time) WHERE state = 'archived';

ALTER TABLE archive_runs ADD COLUMN expired_objects integer NOT NULL DEFAULT 0;

CREATE TABLE legal_holds (
    group_id   uuid        PRIMARY KEY,
    reason     text        NOT NULL CHECK (length(btrim(reason)) > 0 AND length(reason) <= 1000),
    placed_by  text,
    placed_at  timestamptz NOT NULL DEFAULT now()
);
