-- 022_background_check_person.sql — a background check (背景调查) is of a
-- person: a passed one keeps the keyed hash of the ID number it was made
-- on (staff.id_hash at the time), and activation asks that the worker's
-- number be that one still. A candidate's number taken off or changed
-- after the check otherwise carried one person's check to another.
-- Checks recorded before this migration hold '' and are taken as made
-- on the number on file.
ALTER TABLE staff_steps ADD COLUMN id_hash TEXT NOT NULL DEFAULT '';
