-- 013_site_grants.sql — which estates an account may see (SPEC X1:
-- "users see only the tenants and sites they are granted").
--
-- An account sees every site of its organisation (sites_limited = 0, what
-- every account had before) or only the estates (项目/小区) listed for it
-- in user_sites, with their buildings, units and households. A grant is
-- of an estate: an estate is what a property company's project team or
-- a gas company's district office is given, and a building's households
-- are its estate's. An admin always sees the whole organisation
-- (store_user.c refuses to limit one). The flag sits on the account's
-- row, so the session's one read already knows whether a request is
-- limited; the list is read only by the statements that limit
-- (SCOPE_SITE_IDS, store_internal.h).

ALTER TABLE users ADD COLUMN sites_limited INTEGER NOT NULL DEFAULT 0;

CREATE TABLE user_sites (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	estate_id BIGINT NOT NULL REFERENCES sites(id),
	PRIMARY KEY (user_id, estate_id)
);
