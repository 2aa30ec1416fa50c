-- A restore leaves an archived object untouched when an id of the range is hot for another group or type (event
-- ids are never reused, so such a row was written around ingest's rule); the run counts the events it left.
ALTER TABLE archive_runs ADD COLUMN refused bigint;
