-- A group's archive runs, newest first (GET /groups/{g}/archival/runs): the runs found by the group's batches and by
-- the group's objects their manifests list.
CREATE INDEX archive_run_batches_group ON archive_run_batches (group_id, run_id);
CREATE INDEX archived_objects_group_manifest ON archived_objects (group_id, manifest_run_id);
