-- How a rebuild replaces the projections (ProjectionRebuilder, RebuildStore): create_projection_tables(prefix)
-- makes an empty copy of every live projection table (<prefix><table>), the rebuild fills it by replaying the
-- stream while reads use the live set, and swap_projection_tables(prefix) puts the copies in place in one
-- transaction. The copies take their columns, defaults, keys and indexes from the live tables, which the
-- versioned migrations own: a migration that changes a projection table changes only the live one, and a new
-- projection table is added to projection_table_names() here. Repeatable: Flyway runs it after the versioned
-- migrations and again whenever it changes; it only (re)defines functions.

CREATE OR REPLACE FUNCTION projection_table_names() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['applied_events', 'group_positions', 'things', 'connections', 'knowledge', 'recent_events',
                 'group_totals', 'group_thing_types', 'group_daily', 'thing_activity', 'actor_event_types',
                 'thing_connections', 'api_calls_monthly', 'group_last_active', 'group_revenue',
                 'group_revenue_monthly', 'thing_revenue']
$$;

-- Every index of a copy is named <prefix><live index name> (primary keys included), so a swap can restore the
-- live names by dropping the prefix.
CREATE OR REPLACE FUNCTION create_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
    idx record;
BEGIN
    IF prefix = '' THEN
        RAISE EXCEPTION 'the live projection tables are created by the versioned migrations';
    END IF;
    FOREACH t IN ARRAY projection_table_names() LOOP
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL EXCLUDING INDEXES)', prefix || t, t);
        FOR idx IN SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def, c.conname, c.contype
                   FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                   WHERE x.indrelid = to_regclass(quote_ident(t)) LOOP
            -- 'CREATE [UNIQUE] INDEX name ON schema.table USING ...', renamed and pointed at the copy
            EXECUTE regexp_replace(idx.def, '^(CREATE (UNIQUE )?INDEX )\S+ ON \S+ ',
                                   '\1' || quote_ident(prefix || idx.name) || ' ON ' || quote_ident(prefix || t) || ' ');
            IF idx.contype IN ('p', 'u') THEN
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s USING INDEX %I', prefix || t,
                               prefix || idx.conname, CASE idx.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,
                               prefix || idx.name);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION drop_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    IF prefix = '' THEN
        RAISE EXCEPTION 'refusing to drop the live projection tables';
    END IF;
    FOREACH t IN ARRAY projection_table_names() LOOP
        IF to_regclass(quote_ident(prefix || t)) IS NOT NULL THEN
            EXECUTE format('DROP TABLE %I', prefix || t);
        END IF;
    END LOOP;
END
$$;

-- Replaces every live projection table by its copy, restoring the live table and index names. Run in one
-- transaction: readers see either the old set or the new one. Where the copy reached the same position as the
-- live set for a group, the live set's publish and apply times are kept, so freshness does not report the
-- replay's delay as lag.
CREATE OR REPLACE FUNCTION swap_projection_tables(prefix text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t text;
    idx record;
BEGIN
    IF prefix = '' THEN
        RAISE EXCEPTION 'a swap needs the prefix of the rebuild tables';
    END IF;
    EXECUTE format('UPDATE %I s SET published_at = l.published_at, applied_at = l.applied_at
                    FROM group_positions l WHERE s.group_id = l.group_id AND s.event_id = l.event_id',
                   prefix || 'group_positions');
    FOREACH t IN ARRAY projection_table_names() LOOP
        EXECUTE format('DROP TABLE %I', t);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', prefix || t, t);
        FOR idx IN SELECT indexname FROM pg_indexes
                   WHERE schemaname = current_schema() AND tablename = t
                     AND left(indexname, length(prefix)) = prefix LOOP
            EXECUTE format('ALTER INDEX %I RENAME TO %I', idx.indexname, substr(idx.indexname, length(prefix) + 1));
        END LOOP;
    END LOOP;
END
$$;
