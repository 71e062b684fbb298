-- 015_discipline_corrections.sql — a discipline entry (奖惩, S6) can be
-- corrected (a typo in its reason, the wrong rule cited) and annulled
-- (撤销: an appeal upheld), each a new version of the entry, audited with
-- before and after; it is never deleted (X3). An annulled entry stays in
-- the personal file, marked, with why it was annulled.
ALTER TABLE discipline ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE discipline ADD COLUMN annulled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE discipline ADD COLUMN annulment TEXT NOT NULL DEFAULT '';
ALTER TABLE discipline ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
