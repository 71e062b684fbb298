-- 019_certificate_numbers_sealed.sql — a certificate's number is stored
-- as SPEC X5 stores ID numbers: a 特种作业操作证 is numbered by its
-- holder's ID number. `number` keeps what may be shown (the ID number in
-- it masked, core/idcard.h), `number_sealed` the whole number encrypted
-- (empty when it holds no ID number: nothing is hidden), `number_hash`
-- its keyed hash, which tells a certificate sent twice. Rows written
-- before this are sealed at the next start (store_cert_seal_pending):
-- an empty number_hash marks them.
ALTER TABLE certificates ADD COLUMN number_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN number_hash TEXT NOT NULL DEFAULT '';
