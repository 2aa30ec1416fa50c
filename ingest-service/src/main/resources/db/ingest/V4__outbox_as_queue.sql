-- The relay removes rows in the transaction that publishes them (cheaper than updating each row, and the
-- topic is the record of what was published), so every row left in the outbox is pending.
DROP INDEX outbox_pending;
DROP INDEX outbox_published;
ALTER TABLE outbox DROP COLUMN published_at;
CREATE INDEX outbox_shard_position ON outbox (shard, position);
