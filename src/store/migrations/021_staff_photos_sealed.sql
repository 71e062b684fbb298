-- 021_staff_photos_sealed.sql — a worker's photo is stored sealed with
-- the installation key, as the worker's documents are (020): `photo`
-- holds secret_seal of the picture's bytes where photo_sealed is 1.
-- Photos from before are sealed when a node starts (store_seal.c); this
-- column finds them, and its migration keeps a release that could not
-- open a sealed photo from starting on the database.
ALTER TABLE staff ADD COLUMN photo_sealed INTEGER NOT NULL DEFAULT 0;
