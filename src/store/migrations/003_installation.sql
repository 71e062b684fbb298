-- 003_installation.sql — the installation itself: one row, owned by the
-- system tenant (SPEC X1).
--
-- key_check is a keyed hash of a fixed text under the installation's
-- master key (store.c, key_check): it says which key this database
-- belongs to without revealing it. A database opened with another key —
-- a lost key file replaced by a new one, the key of another installation
-- after a restore or a move to PostgreSQL — is refused before anything
-- is sealed, hashed or chained under the wrong key.
CREATE TABLE installation (
	tenant_id BIGINT NOT NULL PRIMARY KEY REFERENCES tenants(id),  -- always 0
	key_check TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
