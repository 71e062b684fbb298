-- 018_attempt_at.sql — when an account's last password attempt was
-- taken (store_login_reserve), so that attempts whose checks were lost
-- (a server stopped mid-check) stop counting once no check could still
-- be running, instead of holding the account refused for ever.
ALTER TABLE users ADD COLUMN attempt_at BIGINT NOT NULL DEFAULT 0;
