-- A thing's group is checked once per write, in the write's transaction (GroupStore.findForWrite locks the group
-- row FOR KEY SHARE, the lock the foreign key took), instead of by the foreign key's trigger once per row: that
-- trigger was a third of the time a 10,000-thing insert took (and of an import's inserts). Import chunks write
-- for their job's group, which import_jobs still references. Groups are never deleted; a future deletion must
-- remove the group's things itself.
ALTER TABLE things DROP CONSTRAINT things_group_id_fkey;
