-- An import's Idempotency-Key: a retried upload (same key, same body and options) is answered with the job the
-- first upload created instead of importing everything again. The body's SHA-256 tells a retry from a key reused
-- for another file.
ALTER TABLE import_jobs ADD COLUMN idempotency_key text, ADD COLUMN request_sha256 text;
CREATE UNIQUE INDEX import_jobs_idempotency_key ON import_jobs (group_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
