-- 002_master_data.sql — the site tree, households (gas customers) and
-- staff profiles, the imports that bring them in, and the substring
-- search over households.
--
-- Every table carries tenant_id (SPEC X1). Choices (category, status …)
-- are stored as their codes (core/household.h, core/staff.h). ID numbers
-- are never stored in the clear: id_sealed is the sealed text
-- (core/secret.h), id_masked what lists show, id_hash a keyed hash for
-- finding equal numbers.

CREATE TABLE sites (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	parent_id BIGINT NOT NULL,          -- 0 for an estate
	estate_id BIGINT NOT NULL,          -- itself for an estate
	building_id BIGINT NOT NULL,        -- itself for a building, its building for a unit, else 0
	kind TEXT NOT NULL CHECK (kind IN ('estate', 'building', 'unit')),
	name TEXT NOT NULL,
	code TEXT NOT NULL DEFAULT '',
	province TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	district TEXT NOT NULL DEFAULT '',
	street TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	path TEXT NOT NULL,                 -- "幸福里 / 3栋 / 2单元"
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX sites_sibling ON sites (tenant_id, parent_id, name);
CREATE INDEX sites_estate ON sites (tenant_id, estate_id);
CREATE INDEX sites_building ON sites (tenant_id, building_id);

-- One row per import run: what came in, from where, and what it did.
-- Households and staff created by an import point at it (import_id),
-- and its audit entry covers them; updated rows are audited one by one.
CREATE TABLE imports (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL CHECK (kind IN ('households', 'staff')),
	source TEXT NOT NULL,               -- file name
	sha256 TEXT NOT NULL,
	encoding TEXT NOT NULL,
	rows_total INTEGER NOT NULL DEFAULT 0,
	inserted INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	unchanged INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	actor TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE households (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	site_id BIGINT NOT NULL DEFAULT 0,
	account_no TEXT NOT NULL,
	name TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	phone2 TEXT NOT NULL DEFAULT '',
	room TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	address_auto INTEGER NOT NULL DEFAULT 0,  -- 1: made from the site and room, and remade when the site is renamed
	category TEXT NOT NULL CHECK (category IN ('resident', 'industrial', 'commercial', 'public', 'special')),
	meter_location TEXT NOT NULL DEFAULT 'unknown',
	meter_type TEXT NOT NULL DEFAULT 'unknown',
	meter_no TEXT NOT NULL DEFAULT '',
	flags INTEGER NOT NULL DEFAULT 0,   -- bits: vulnerable 1, group_rental 2, vacant 4, first_conversion 8
	id_sealed TEXT NOT NULL DEFAULT '',
	id_masked TEXT NOT NULL DEFAULT '',
	id_hash TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
	import_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX households_account ON households (tenant_id, account_no);
CREATE INDEX households_tenant ON households (tenant_id);  -- (tenant, id): lists in id order stop at the page
CREATE INDEX households_site ON households (tenant_id, site_id);
-- Names: sorting, and the short-query path of the search (a name or a
-- given name that starts with one or two characters).
CREATE INDEX households_name ON households (tenant_id, name);
CREATE INDEX households_given_name ON households (tenant_id, substr(name, 2));

-- Substring search over name, phones, address and account number.
-- SQLite: an FTS5 trigram index (three characters or more; shorter
-- queries take the name indexes above), kept in step by triggers. The
-- unit separator (char 31) between the fields keeps a match from
-- spanning two of them; spaces are left out (the query's too), so that
-- 幸福里3栋 finds 幸福里 3栋. PostgreSQL: pg_trgm over the same text.
-- @sqlite
CREATE VIEW households_search_text AS
	SELECT id, replace(name || char(31) || phone || char(31) || phone2 || char(31) || address || char(31) || account_no, ' ', '') AS t
	FROM households;
CREATE VIRTUAL TABLE households_fts USING fts5(t, content='households_search_text', content_rowid='id',
	tokenize='trigram', detail='none', columnsize=0);
CREATE TRIGGER households_fts_insert AFTER INSERT ON households BEGIN
	INSERT INTO households_fts (rowid, t) VALUES (new.id,
		replace(new.name || char(31) || new.phone || char(31) || new.phone2 || char(31) || new.address || char(31) || new.account_no, ' ', ''));
END;
CREATE TRIGGER households_fts_update AFTER UPDATE OF name, phone, phone2, address, account_no ON households BEGIN
	INSERT INTO households_fts (households_fts, rowid, t) VALUES ('delete', old.id,
		replace(old.name || char(31) || old.phone || char(31) || old.phone2 || char(31) || old.address || char(31) || old.account_no, ' ', ''));
	INSERT INTO households_fts (rowid, t) VALUES (new.id,
		replace(new.name || char(31) || new.phone || char(31) || new.phone2 || char(31) || new.address || char(31) || new.account_no, ' ', ''));
END;
CREATE TRIGGER households_fts_delete AFTER DELETE ON households BEGIN
	INSERT INTO households_fts (households_fts, rowid, t) VALUES ('delete', old.id,
		replace(old.name || char(31) || old.phone || char(31) || old.phone2 || char(31) || old.address || char(31) || old.account_no, ' ', ''));
END;
-- @pg
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX households_search ON households USING gin
	((replace(name || chr(31) || phone || chr(31) || phone2 || chr(31) || address || chr(31) || account_no, ' ', '')) gin_trgm_ops);
-- @end

CREATE TABLE staff (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_no TEXT NOT NULL,
	name TEXT NOT NULL,
	id_sealed TEXT NOT NULL DEFAULT '',
	id_masked TEXT NOT NULL DEFAULT '',
	id_hash TEXT NOT NULL DEFAULT '',
	birth_date TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD or ''
	phone TEXT NOT NULL DEFAULT '',
	employment TEXT NOT NULL CHECK (employment IN ('own', 'subcontractor')),
	employer TEXT NOT NULL DEFAULT '',
	job_types INTEGER NOT NULL DEFAULT 0,  -- bits, core/staff.h job_type_set
	level TEXT NOT NULL CHECK (level IN ('junior', 'middle', 'senior')),
	badge_no TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('candidate', 'active', 'suspended', 'left', 'dismissed', 'blacklisted')),
	user_id BIGINT NOT NULL DEFAULT 0,
	notes TEXT NOT NULL DEFAULT '',
	photo_type TEXT NOT NULL DEFAULT '',  -- image/jpeg or image/png, '' when none
	photo TEXT NOT NULL DEFAULT '',       -- the image in base64 (the badge card prints it)
	import_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX staff_no ON staff (tenant_id, staff_no);
CREATE UNIQUE INDEX staff_badge ON staff (tenant_id, badge_no) WHERE badge_no <> '';
CREATE UNIQUE INDEX staff_person ON staff (tenant_id, id_hash) WHERE id_hash <> '';
CREATE INDEX staff_name ON staff (tenant_id, name);
