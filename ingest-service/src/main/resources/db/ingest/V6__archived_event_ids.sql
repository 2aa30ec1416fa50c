-- Event ids are unique for ever, hot or archived (SPEC section 7). An event archived to S3 leaves `events`, so
-- archival-service records its id here, with its group and type, in the statement that deletes the hot row, and
-- removes it in the transaction that puts the row back on restore: at any snapshot an id is in at most one of the
-- two tables. ingest answers a client id found here as it answers one found in `events` (a duplicate for the same
-- group and type, `id already used` otherwise); see ActivityStore.insertNew. archival-service reaches this table
-- through `strata.archival.events.archived-ids-table` and needs SELECT, INSERT, DELETE on it.
CREATE TABLE archived_event_ids (
    id        uuid  PRIMARY KEY,
    group_id  uuid  NOT NULL,
    type      text  NOT NULL
);
