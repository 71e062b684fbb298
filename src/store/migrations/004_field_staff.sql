-- 004_field_staff.sql — what makes a worker fit to enter a home (SPEC
-- S2–S6, V3): the hiring pipeline's decisions and documents, trainings,
-- certificates and what each job type requires, discipline, the things a
-- leaver must hand back, the badge the customer checks at the door, the
-- assignments that eligibility guards, and each user's notifications.
--
-- Records are evidence (X3): steps, trainings and discipline are only
-- ever added; a certificate is corrected as a new version (audited) or
-- revoked, never deleted. Days are TEXT 'YYYY-MM-DD' as in 002.

-- Uploaded documents (ID copy, 户口本, diplomas, certificates, contracts,
-- evidence), in the database so that any node can serve them (issue 4).
CREATE TABLE staff_files (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	kind TEXT NOT NULL,                 -- core/fieldstaff.h document kinds
	name TEXT NOT NULL,                 -- the file name as uploaded
	content_type TEXT NOT NULL,         -- what libmagic says it is
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	data TEXT NOT NULL,                 -- base64
	uploaded_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX staff_files_staff ON staff_files (tenant_id, staff_id);

-- The hiring pipeline (招聘, S2): one row per decision. A step decided
-- again (an interview repeated) adds a row; the latest row of a step is
-- its result.
CREATE TABLE staff_steps (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	step TEXT NOT NULL,                 -- core/fieldstaff.h hiring steps
	result TEXT NOT NULL CHECK (result IN ('passed', 'failed')),
	day TEXT NOT NULL,
	decided_by TEXT NOT NULL,           -- the person who decided (may have no account)
	notes TEXT NOT NULL DEFAULT '',
	file_id BIGINT NOT NULL DEFAULT 0,
	recorded_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX staff_steps_staff ON staff_steps (tenant_id, staff_id, step, id);

-- Training (培训, S4).
CREATE TABLE trainings (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('pre_job', 'in_service', 'safety', 'annual')),
	topic TEXT NOT NULL,
	day TEXT NOT NULL,
	hours INTEGER NOT NULL,
	mode TEXT NOT NULL CHECK (mode IN ('online', 'offline', 'drill')),
	exam TEXT NOT NULL CHECK (exam IN ('none', 'passed', 'failed')),
	score INTEGER NOT NULL DEFAULT -1,  -- -1: no score
	file_id BIGINT NOT NULL DEFAULT 0,
	recorded_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX trainings_staff ON trainings (tenant_id, staff_id, day);

-- Certificates (证书): 健康证, 燃气安检, 电工/焊工 特种作业 …
CREATE TABLE certificates (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	type TEXT NOT NULL,                 -- core/fieldstaff.h certificate types
	number TEXT NOT NULL,
	issuer TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to TEXT NOT NULL,
	file_id BIGINT NOT NULL DEFAULT 0,
	revoked INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX certificates_staff ON certificates (tenant_id, staff_id);
CREATE INDEX certificates_expiry ON certificates (tenant_id, valid_to);

-- What each job type needs, per organisation: the certificate types
-- (bits of core/fieldstaff.h cert_type) and the lowest level.
CREATE TABLE job_rules (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	job_type TEXT NOT NULL,
	certs INTEGER NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('junior', 'middle', 'senior')),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, job_type)
);

-- Discipline (奖惩, S6).
CREATE TABLE discipline (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	kind TEXT NOT NULL,                 -- core/fieldstaff.h discipline kinds
	reason TEXT NOT NULL,
	rule TEXT NOT NULL,
	evidence TEXT NOT NULL DEFAULT '',
	file_id BIGINT NOT NULL DEFAULT 0,
	amount BIGINT NOT NULL DEFAULT 0,   -- fen, for a fine or a bonus
	day TEXT NOT NULL,
	decided_by TEXT NOT NULL,
	recorded_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX discipline_staff ON discipline (tenant_id, staff_id);

-- What a leaver hands back (000: 工作证、公司财物): made when a worker
-- leaves, is dismissed or blacklisted; ticked off as it comes back.
CREATE TABLE staff_returns (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	item TEXT NOT NULL CHECK (item IN ('badge', 'property')),
	returned_at BIGINT NOT NULL DEFAULT 0,
	received_by BIGINT NOT NULL DEFAULT 0,
	notes TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_returns_staff ON staff_returns (tenant_id, staff_id);

-- Badges (工作证, S5). token is what the QR code carries: 128 random
-- bits, so it can be neither guessed nor enumerated. A badge is valid
-- while it is not voided and its worker is active — checked at read
-- time, so a suspension voids it at once.
CREATE TABLE badges (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	issued_at BIGINT NOT NULL,
	voided_at BIGINT NOT NULL DEFAULT 0,
	void_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX badges_token ON badges (token);
CREATE INDEX badges_staff ON badges (tenant_id, staff_id);

-- A worker sent to a household for a job type on a day: what eligibility
-- guards, and what the home-visit module (SPEC section 2) builds on.
-- token is the appointment link's (the badge page shows whether this
-- worker is expected at that door today).
CREATE TABLE assignments (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	staff_id BIGINT NOT NULL,
	household_id BIGINT NOT NULL,
	job_type TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('junior', 'middle', 'senior')),
	day TEXT NOT NULL,
	time_window TEXT NOT NULL DEFAULT '',  -- "09:00-11:00" or ''
	status TEXT NOT NULL CHECK (status IN ('assigned', 'cancelled')),
	token TEXT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX assignments_staff_day ON assignments (tenant_id, staff_id, day);
CREATE INDEX assignments_day ON assignments (tenant_id, day);
CREATE UNIQUE INDEX assignments_token ON assignments (token);

-- The notification centre: one row per user and message. dedup makes a
-- scheduler's daily notice idempotent (a job run twice notifies once).
CREATE TABLE notifications (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	user_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	title_zh TEXT NOT NULL,
	title_en TEXT NOT NULL,
	body_zh TEXT NOT NULL DEFAULT '',
	body_en TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	dedup TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	read_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX notifications_dedup ON notifications (user_id, dedup);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- Who supervises a worker (a senior worker, 高级: 000), whose account
-- then sees the workers it supervises.
ALTER TABLE staff ADD COLUMN supervisor_id BIGINT NOT NULL DEFAULT 0;
-- Where the worker's current hiring pipeline starts: decisions with a
-- larger id count. A leaver taken on again starts a new pipeline, so the
-- checks of years ago do not let them through.
ALTER TABLE staff ADD COLUMN steps_after BIGINT NOT NULL DEFAULT 0;
