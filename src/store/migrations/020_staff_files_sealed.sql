-- 020_staff_files_sealed.sql — staff documents are stored sealed with the
-- installation key (an ID card's copy holds the number SPEC X5 keeps
-- encrypted): `data` holds secret_seal of the file's bytes where
-- data_sealed is 1. Rows from before are sealed when a node starts
-- (store_file_seal_pending); this column finds them without reading
-- them, and its migration keeps a release that could not open a sealed
-- document from starting on the database.
ALTER TABLE staff_files ADD COLUMN data_sealed INTEGER NOT NULL DEFAULT 0;
