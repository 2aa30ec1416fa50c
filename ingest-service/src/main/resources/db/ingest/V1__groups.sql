-- ingest-service owns groups (tenants) and everything written into them.
CREATE TABLE groups (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(btrim(name)) > 0 AND length(name) <= 256),
    plan        text        NOT NULL CHECK (plan IN ('starter', 'pro', 'enterprise')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
