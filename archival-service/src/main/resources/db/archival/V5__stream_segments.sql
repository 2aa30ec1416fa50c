-- The stream archive (stream-archive module): every record of the event topic in S3, one object per segment of a
-- partition, [from_offset, to_offset). A row is written after its object is stored, so the rows are what the
-- archive holds; the largest to_offset of a partition is where the archiver goes on. Segments chain: each starts
-- where the one before ends. A segment that starts where none ends marks records the topic deleted before they
-- were archived: the archive of that partition begins again there.
CREATE TABLE stream_segments (
    topic           text        NOT NULL,
    partition       integer     NOT NULL CHECK (partition >= 0),
    from_offset     bigint      NOT NULL CHECK (from_offset >= 0),
    to_offset       bigint      NOT NULL,
    records         integer     NOT NULL CHECK (records > 0),
    bytes           bigint      NOT NULL CHECK (bytes > 0),
    sha256          text        NOT NULL,
    object_key      text        NOT NULL UNIQUE,
    first_timestamp timestamptz NOT NULL,
    last_timestamp  timestamptz NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, from_offset),
    CHECK (to_offset > from_offset)
);
CREATE UNIQUE INDEX stream_segments_to ON stream_segments (topic, partition, to_offset);
