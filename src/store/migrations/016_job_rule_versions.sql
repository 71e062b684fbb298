-- 016_job_rule_versions.sql — a job rule (工种要求, S3) is changed with the
-- version it was read at, as every record is (X3): two admins editing
-- the same rule at once no longer overwrite each other without either
-- knowing. A rule never set (the defaults, no row) is version 0; the
-- first change makes it 1.
ALTER TABLE job_rules ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
