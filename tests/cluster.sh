#!/usr/bin/env bash
# cluster.sh — two ruhu nodes on one PostgreSQL database behind nginx, as
# docs/deployment.md describes them (issue 4), on loopback:
#
#   a. nginx (deploy/nginx.conf itself, its ports and log path swapped by
#      sed) spreads requests over both nodes; a session made on one node
#      works on the other, and signing out on one ends it on both;
#   b. no lost update: writers on both nodes and through nginx change one
#      household at once, each with the version it read, re-reading on
#      409; every 200 is one version and one audit entry, none lost;
#   c. background jobs run once: jobs claimed by both nodes at once each
#      run once; a node killed (SIGKILL) while it holds a job leaves the
#      job to its lease, and the survivor takes it over when the lease
#      has run out — not before; a job that runs longer than its lease
#      on a live node keeps it (renewed) and is not run twice; nginx
#      keeps answering through the survivor;
#   d. the killed node, started again, rejoins; a node frozen (SIGSTOP)
#      inside a write transaction holds the one write lock until
#      PostgreSQL ends its transaction (idle_in_transaction_session_timeout,
#      set as docs/deployment.md says), then writes go on elsewhere and
#      the frozen write is not made;
#   e. what nginx answers itself (a body over 32 MiB, too many sign-ins,
#      no node up) matches ruhu's limits and ruhu's JSON errors.
#
#   tests/cluster.sh        (needs build/ruhu: make all)
#
# Prints one line per check and ends with "N passed, M failed"; exits
# non-zero when a check failed. Everything it starts (the PostgreSQL
# cluster, the nodes, nginx) is stopped on the way out, whatever happens;
# on failure the logs are kept in tests/out/cluster/.
#
# No check is a timing limit: waits are generous and only wait for
# something to happen. The one shortcut: the nodes lease jobs for
# LEASE seconds (RUHU_JOB_LEASE) instead of the default 300, so that a
# lease can run out, and be renewed, within the test.
set -u
cd "$(dirname "$0")/.." || exit 1

RUHU=build/ruhu
NGINX=/usr/sbin/nginx
PASSWORD='Ruhu@2026'
WRITERS_EACH=10		# changes each writer makes
CLAIM_JOBS=200		# jobs both nodes claim at once
LEASE=5			# seconds a node's claim on a job lasts unless renewed

passed=0
failed=0
pids=()			# what we started, stopped on the way out
psql_pid=""
T=""
slowed=0		# 1 while calendar_years is the sleeping view of section c

ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
# check DESCRIPTION COMMAND… — a check passes when COMMAND succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
say() { echo "  $*"; }
die() { bad "$*"; exit 1; }

cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	exec 7>&-
	# a node stopping lets its job in hand finish: one held in the slowed
	# read (section c) is let go first
	[ "$slowed" = 1 ] && unslow
	for p in "${pids[@]}" $psql_pid; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	for p in "${pids[@]}" $psql_pid; do wait "$p" 2>/dev/null; done
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
			rm -rf tests/out/cluster
			mkdir -p tests/out/cluster
			cp "$T"/*.log "$T"/nginx/*.log "$T"/nginx/*.conf tests/out/cluster/ 2>/dev/null
			echo "  logs: tests/out/cluster/"
		fi
		[ -d "$T/pg" ] && tests/pg.sh stop "$T/pg"
		rm -rf "$T"
	fi
	[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A port nothing listens on, outside the kernel's ephemeral range.
used_ports=" "
free_port() {
	local p _
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 12000))
		case "$used_ports" in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			used_ports="$used_ports$p "
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_for SECONDS COMMAND… — true once COMMAND succeeds
wait_for() {
	local tries=$(($1 * 10))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$DB" -c "$1"; }
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@"; }
healthy() { [ "$(status "$1/healthz")" = 200 ]; }
# metric BASE ROUTE — the node's count of 2xx answers on ROUTE
metric() {
	curl -s --max-time 30 "$1/metrics" |
		awk -v k="ruhu_http_requests_total{route=\"$2\",status=\"2xx\"}" 'index($0, k " ") == 1 { n = $NF } END { print n + 0 }'
}

# signin BASE USER PREFIX — signs in; PREFIX.cookie holds the Cookie
# header line, PREFIX.csrf the CSRF token
signin() {
	local body
	body=$(curl -s --max-time 30 -D "$3.h" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$2\",\"password\":\"$PASSWORD\"}" "$1/api/v1/session") || return 1
	sed -n 's/^[Ss]et-[Cc]ookie: *\(ruhu_session=[^;]*\).*/Cookie: \1/p' "$3.h" | tr -d '\r' >"$3.cookie"
	printf '%s' "$body" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' >"$3.csrf"
	[ -s "$3.cookie" ] && [ -s "$3.csrf" ]
}
# as PREFIX CURL-ARGS… — curl with that session (and its CSRF token)
as() {
	local p=$1
	shift
	curl -s --max-time 30 -H "$(cat "$p.cookie")" -H "X-CSRF-Token: $(cat "$p.csrf")" "$@"
}

# ---- the cluster -----------------------------------------------------------
[ -x "$RUHU" ] || die "no $RUHU: run make all first"
[ -x "$NGINX" ] || die "no $NGINX (nginx-light; scripts/deps.sh check installs it)"
for t in curl psql awk sed; do command -v "$t" >/dev/null || die "$t is missing"; done
start=$(date +%s)

T=$(mktemp -d /tmp/ruhu-cluster-XXXXXX) || die "mktemp failed"
# Run as root, PostgreSQL runs as postgres and nginx's workers as nobody:
# both must be able to pass through the directory.
chmod 711 "$T"
PG=$(tests/pg.sh start "$T/pg" 2>"$T/pg-start.log") || { cat "$T/pg-start.log"; die "PostgreSQL did not start"; }
tests/pg.sh createdb "$T/pg" ruhu >/dev/null 2>&1 || die "createdb failed"
DB=$PG/ruhu
# As docs/deployment.md sets it up: a node frozen inside a write
# transaction must not hold the write lock for ever.
psql -X -q "$DB" -c "ALTER DATABASE ruhu SET idle_in_transaction_session_timeout = '10s'" ||
	die "cannot set idle_in_transaction_session_timeout"
say "PostgreSQL at $PG"

# One key for every node, made before the first start (docs/deployment.md).
export RUHU_KEY_FILE=$T/ruhu.key RUHU_PWHASH=min
(umask 077 && head -c 32 /dev/urandom | base64 >"$RUHU_KEY_FILE") || die "cannot make the key"
# The nodes believe nginx's X-Real-IP (RUHU_TRUSTED_PROXY, as
# docs/deployment.md says). Every client of this test is 127.0.0.1, and it
# signs in far more often than a person: the nodes' per-address limit is
# raised for it (nginx's own per-client limit is checked in e.).
export RUHU_TRUSTED_PROXY=127.0.0.1 RUHU_LOGIN_RATE=600 RUHU_LOGIN_BURST=200

declare -A node_pid node_url node_log
# start_node NAME [PORT] — the first starts alone, so the demo data is
# made once; a node started again keeps its port (nginx's upstream)
start_node() {
	local port=${2:-}
	[ -n "$port" ] || port=$(free_port) || die "no free port"
	RUHU_JOB_LEASE=$LEASE "$RUHU" serve --demo --db "$DB" --listen "127.0.0.1:$port" >"$T/$1.out" 2>>"$T/$1.log" &
	node_pid[$1]=$!
	pids+=("$!")
	node_url[$1]="http://127.0.0.1:$port"
	node_log[$1]="$T/$1.log"
	wait_for 60 healthy "${node_url[$1]}" || { tail -n 5 "$T/$1.log"; die "node $1 did not start"; }
	say "node $1: ${node_url[$1]} (pid ${node_pid[$1]})"
}
start_node A
start_node B

# nginx: deploy/nginx.conf with the nodes' ports, nginx's own port and the
# log directory swapped in; the rest of the file is used as it is.
mkdir -p "$T/nginx"
NGINX_PORT=$(free_port) || die "no free port"
NGX="http://127.0.0.1:$NGINX_PORT"
sed -e "s/127\.0\.0\.1:8081 /127.0.0.1:${node_url[A]##*:} /" \
	-e "s/127\.0\.0\.1:8082 /127.0.0.1:${node_url[B]##*:} /" \
	-e "s/^\( *listen\) 80;/\1 127.0.0.1:$NGINX_PORT;/" \
	-e "s#/var/log/nginx/#$T/nginx/#" deploy/nginx.conf >"$T/nginx/ruhu.conf"
changed=$(diff deploy/nginx.conf "$T/nginx/ruhu.conf" | grep -c '^>')
[ "$changed" = 4 ] || die "deploy/nginx.conf: expected 4 lines to swap (two nodes, listen 80, the log path), swapped $changed"
# Around it, what /etc/nginx/nginx.conf gives it on a real machine, with
# every path in the temporary directory.
{
	echo "worker_processes 1;"
	echo "daemon off;"
	echo "pid $T/nginx/nginx.pid;"
	echo "error_log $T/nginx/error.log warn;"
	echo "events { worker_connections 512; }"
	echo "http {"
	echo "    client_body_temp_path $T/nginx/body;"
	v=$("$NGINX" -V 2>&1)
	for m in proxy fastcgi uwsgi scgi; do
		case "$v" in *"--without-http_${m}_module"*) ;; *) echo "    ${m}_temp_path $T/nginx/$m;" ;; esac
	done
	echo "    include $T/nginx/ruhu.conf;"
	echo "}"
} >"$T/nginx/nginx.conf"
"$NGINX" -t -q -p "$T/nginx" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" 2>"$T/nginx/t.log" ||
	{ cat "$T/nginx/t.log"; die "nginx refused deploy/nginx.conf"; }
"$NGINX" -p "$T/nginx" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" </dev/null >/dev/null 2>&1 &
pids+=("$!")
wait_for 30 healthy "$NGX" || { tail -n 5 "$T/nginx/error.log"; die "nginx did not start"; }
say "nginx: $NGX (pid $!)"
ok "two nodes and nginx (deploy/nginx.conf) up on one database"

# ---- a. both nodes answer, sessions are shared ------------------------------
echo "a. requests reach both nodes; sessions work on every node"
a0=$(metric "${node_url[A]}" "GET /readyz")
b0=$(metric "${node_url[B]}" "GET /readyz")
bad_answers=0
for _ in $(seq 20); do [ "$(status "$NGX/readyz")" = 200 ] || bad_answers=$((bad_answers + 1)); done
a1=$(metric "${node_url[A]}" "GET /readyz")
b1=$(metric "${node_url[B]}" "GET /readyz")
say "20 GET /readyz through nginx: node A answered $((a1 - a0)), node B $((b1 - b0)), not 200: $bad_answers"
check "nginx spreads requests over both nodes" \
	test "$bad_answers" = 0 -a $((a1 - a0)) -gt 0 -a $((b1 - b0)) -gt 0 -a $((a1 - a0 + b1 - b0)) = 20

signin "${node_url[A]}" gas.admin "$T/admin" || die "cannot sign in as gas.admin on node A"
me=$(as "$T/admin" "${node_url[B]}/api/v1/session")
check "a session made on node A works on node B" grep -q '"username":"gas.admin"' <<<"$me"
tid=$(sed -n 's/^{"user":{"id":[0-9]*,"tenant_id":\([0-9]*\),.*/\1/p' <<<"$me")
[ -n "$tid" ] || die "no organisation in the session: $me"
signin "$NGX" gas.auditor "$T/auditor" || die "cannot sign in as gas.auditor through nginx"
n200=0
for _ in $(seq 6); do [ "$(as "$T/auditor" -o /dev/null -w '%{http_code}' "$NGX/api/v1/session")" = 200 ] && n200=$((n200 + 1)); done
s_a=$(as "$T/auditor" -o /dev/null -w '%{http_code}' "${node_url[A]}/api/v1/session")
s_b=$(as "$T/auditor" -o /dev/null -w '%{http_code}' "${node_url[B]}/api/v1/session")
check "a session made through nginx works through nginx and on each node ($n200/6, A $s_a, B $s_b)" \
	test "$n200" = 6 -a "$s_a" = 200 -a "$s_b" = 200
signin "${node_url[B]}" gas.manager "$T/leaver" || die "cannot sign in as gas.manager on node B"
out=$(as "$T/leaver" -o /dev/null -w '%{http_code}' -X DELETE "${node_url[B]}/api/v1/session")
after=$(as "$T/leaver" -o /dev/null -w '%{http_code}' "${node_url[A]}/api/v1/session")
signed_out() { case "$out" in 200 | 204) [ "$after" = 401 ] ;; *) false ;; esac; }
check "signing out on node B ends the session on node A too (sign-out $out, then A answers $after)" signed_out

# ---- b. no lost update ------------------------------------------------------
echo "b. concurrent writers on both nodes and through nginx, one household"
hh=$(as "$T/admin" "${node_url[B]}/api/v1/households?limit=1" | sed -n 's/^{"items":\[{"id":\([0-9]*\),.*/\1/p')
[ -n "$hh" ] || die "no household to change"
v0=$(as "$T/admin" "$NGX/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
seq0=$(sql "SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE tenant_id = $tid")
audit_total() {
	as "$T/admin" "$1/api/v1/audit?entity=household&entity_id=$hh&action=update&limit=1" |
		sed -n 's/.*"total":\([0-9]*\).*/\1/p'
}
u0=$(audit_total "${node_url[A]}")
{ [ -n "$v0" ] && [ -n "$u0" ]; } || die "cannot read household $hh or its audit trail"

# writer N BASE USER — makes WRITERS_EACH changes to household $hh at
# BASE: reads it, sends the version read, re-reads on 409. Its changes
# go to $T/wN.ok (the note written, which names the version it read);
# its counts (200s, 409s, anything else) to $T/wN.count.
writer() {
	local n=$1 base=$2 w=$T/w$1 done_=0 conflicts=0 other=0 tries=0 v note code
	if ! signin "$base" "$3" "$w"; then
		echo "0 0 1" >"$w.count"
		return
	fi
	while [ "$done_" -lt "$WRITERS_EACH" ] && [ "$tries" -lt 500 ]; do
		tries=$((tries + 1))
		v=$(as "$w" "$base/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
		if [ -z "$v" ]; then
			other=$((other + 1))
			continue
		fi
		note="w$n-$done_-v$v"
		code=$(as "$w" -o "$w.body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
			-d "{\"version\":$v,\"notes\":\"$note\"}" "$base/api/v1/households/$hh")
		case $code in
		200) done_=$((done_ + 1)); echo "$note" >>"$w.ok" ;;
		409) conflicts=$((conflicts + 1)) ;;
		*) other=$((other + 1)); echo "$code $(head -c 300 "$w.body")" >>"$w.err" ;;
		esac
	done
	echo "$done_ $conflicts $other" >"$w.count"
}
wpids=()
writer 1 "$NGX" gas.admin & wpids+=("$!")
writer 2 "$NGX" gas.service-desk & wpids+=("$!")
writer 3 "${node_url[A]}" gas.manager & wpids+=("$!")
writer 4 "${node_url[A]}" gas.admin & wpids+=("$!")
writer 5 "${node_url[B]}" gas.service-desk & wpids+=("$!")
writer 6 "${node_url[B]}" gas.manager & wpids+=("$!")
pids+=("${wpids[@]}")
for p in "${wpids[@]}"; do wait "$p"; done
oks=0 conflicts=0 others=0
for n in 1 2 3 4 5 6; do
	read -r o c x <"$T/w$n.count" || { o=0 c=0 x=1; }
	oks=$((oks + o)) conflicts=$((conflicts + c)) others=$((others + x))
	[ -s "$T/w$n.err" ] && say "writer $n: $(head -n 1 "$T/w$n.err")"
done
say "6 writers (2 through nginx, 2 on A, 2 on B): $oks changes answered 200, $conflicts answered 409, $others other answers"
check "every writer made its $WRITERS_EACH changes; every failed attempt was a 409" \
	test "$oks" = $((6 * WRITERS_EACH)) -a "$others" = 0
v1=$(as "$T/admin" "${node_url[A]}/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
check "the household's version went from $v0 to $v1: one version per 200 ($oks)" test "$v1" = $((v0 + oks))
u1=$(audit_total "${node_url[B]}")
check "the audit trail has $((u1 - u0)) update entries for it: one per 200" test $((u1 - u0)) = "$oks"
# Each entry, in order: the note one writer was told was saved, written
# over the version that writer read, and making the next version.
sql "SELECT (after_json::json->>'notes') || ' ' || (before_json::json->>'version') || ' ' ||
	(after_json::json->>'version') FROM audit_log WHERE tenant_id = $tid AND seq > $seq0
	AND entity = 'household' AND entity_id = $hh AND action = 'update' ORDER BY seq" >"$T/trail"
cat "$T"/w*.ok | sort >"$T/acked"
cut -d' ' -f1 "$T/trail" | sort >"$T/trail.notes"
check "every change answered 200 is in the trail exactly once, and nothing else is" cmp -s "$T/acked" "$T/trail.notes"
chain=$(awk -v v="$v0" '{ split($1, p, "-v"); if (p[2] != $2 || $2 != v || $3 != v + 1) bad++; v = $3 }
	END { print bad + 0 }' "$T/trail")
check "the trail's versions run $v0…$v1 without a gap or a repeat, each change over the version its writer read" \
	test "$chain" = 0
verify=$(as "$T/admin" "$NGX/api/v1/audit/verify")
check "the audit chain verifies after the concurrent writes" grep -q '"intact":true' <<<"$verify"

# ---- c. background jobs run once ----------------------------------------------
echo "c. background jobs: claimed once by two nodes, taken over from a killed node"
# The recurring jobs the schedulers keep queued (session purge, audit
# verification, calendar coverage, the certificate and yearly-training
# warnings, the pruning of old jobs and notices; app/jobs.c job_kinds):
# both nodes queued them, one each per organisation and kind exists, and
# the first runs ran once.
kinds=6
tenants=$(sql "SELECT COUNT(*) FROM tenants WHERE id <> 0")	# 0 is the system
queued=$(sql "SELECT COUNT(*) FROM (SELECT tenant_id, kind FROM jobs WHERE dedup_key IS NOT NULL
	AND state IN ('pending', 'running') GROUP BY 1, 2 HAVING COUNT(*) = 1) q")
ran=$(sql "SELECT COUNT(*) FROM (SELECT tenant_id, kind FROM jobs WHERE dedup_key IS NOT NULL
	AND state = 'done' AND attempts = 1 GROUP BY 1, 2 HAVING COUNT(*) = 1) q")
rows=$(sql "SELECT COUNT(*) FROM jobs WHERE dedup_key IS NOT NULL")
check "recurring jobs: one queued per organisation and kind ($queued of $((tenants * kinds))), the first runs ran once ($ran), $rows rows in all" \
	test "$queued" = $((tenants * kinds)) -a "$ran" = $((tenants * kinds)) -a "$rows" = $((tenants * kinds * 2))

# Jobs due at once for both schedulers: each audit.verify run writes one
# "audit chain … intact" line to its node's log, so a job run twice would
# show as one line too many.
lines() { cat "${node_log[A]}" "${node_log[B]}" | grep -c 'audit chain of tenant [0-9]* intact'; }
l0=$(lines)
la0=$(grep -c 'audit chain of tenant [0-9]* intact' "${node_log[A]}")
first=$(sql "SELECT COALESCE(MAX(id), 0) FROM jobs")
sql "INSERT INTO jobs (tenant_id, kind, payload, run_at, state, max_attempts, created_at, updated_at)
	WITH t AS (SELECT array_agg(id ORDER BY id) AS ids FROM tenants WHERE id <> 0)
	SELECT ids[1 + g % cardinality(ids)], 'audit.verify', '{}', EXTRACT(EPOCH FROM now())::bigint, 'pending', 3,
	EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint FROM t, generate_series(1, $CLAIM_JOBS) g" ||
	die "cannot queue jobs"
all_done() { [ "$(sql "SELECT COUNT(*) FROM jobs WHERE id > $first AND state = 'done'")" = "$CLAIM_JOBS" ]; }
wait_for 60 all_done
once=$(sql "SELECT COUNT(*) FROM jobs WHERE id > $first AND state = 'done' AND attempts = 1
	AND result LIKE '%audit chain intact%'")
l1=$(lines)
la1=$(grep -c 'audit chain of tenant [0-9]* intact' "${node_log[A]}")
say "$CLAIM_JOBS jobs due at once: node A ran $((la1 - la0)), node B $((l1 - l0 - la1 + la0))"
check "each of $CLAIM_JOBS jobs claimed by two nodes ran exactly once ($once done at the first attempt, $((l1 - l0)) runs logged)" \
	test "$once" = "$CLAIM_JOBS" -a $((l1 - l0)) = "$CLAIM_JOBS"

# A job that runs longer than its lease, then its node killed while it
# runs. To keep a node inside a job, the job is slowed where it reads:
# the table the calendar check reads is swapped for a view of it that
# sleeps once per statement (no lock is waited for, so no lock timeout
# ends it), one calendar.coverage job is made due, and whichever node
# claims it stays inside it — until it is killed.
# (45 s: under the nodes' statement_timeout of 60 s, which would end it.)
sql "ALTER TABLE calendar_years RENAME TO calendar_years_held;
	CREATE VIEW calendar_years AS SELECT * FROM calendar_years_held WHERE (SELECT pg_sleep(45)) IS NOT NULL" ||
	die "cannot slow calendar_years"
slowed=1
# unslow — ends the statements sleeping in the view (PostgreSQL notices a
# client gone only when it next writes to it) and puts the table back
unslow() {
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
		AND state = 'active' AND query LIKE '%FROM calendar_years%'" >/dev/null
	sql "DROP VIEW calendar_years; ALTER TABLE calendar_years_held RENAME TO calendar_years" && slowed=0
}
job=$(sql "UPDATE jobs SET run_at = 0 WHERE id = (SELECT MIN(id) FROM jobs WHERE kind = 'calendar.coverage'
	AND state = 'pending') RETURNING id")
[ -n "$job" ] || die "no calendar.coverage job to make due"
claimed() { [ -n "$(sql "SELECT locked_by FROM jobs WHERE id = $job AND state = 'running'")" ]; }
wait_for 30 claimed || die "no node claimed job $job"
holder=$(sql "SELECT locked_by FROM jobs WHERE id = $job")
victim=""
for n in A B; do case "$holder" in *":${node_pid[$n]}") victim=$n ;; esac; done
[ -n "$victim" ] || die "job $job is held by $holder, which is neither node"
survivor=$([ "$victim" = A ] && echo B || echo A)
# Held there for more than two leases, the job stays its node's: the
# node renews the lease while the job runs, and the other node, ticking
# every second, never finds it stale.
requeued() { cat "${node_log[A]}" "${node_log[B]}" | grep -c 're-queued'; }
rq0=$(requeued)
lease0=$(sql "SELECT locked_until FROM jobs WHERE id = $job")
renewed() { [ "$(sql "SELECT locked_until FROM jobs WHERE id = $job")" -ge $((lease0 + 2 * LEASE)) ]; }
wait_for $((6 * LEASE)) renewed
held=$(sql "SELECT state || ' ' || locked_by || ' attempts=' || attempts FROM jobs WHERE id = $job")
moved=$(sql "SELECT locked_until - $lease0 FROM jobs WHERE id = $job")
check "a job running past two leases keeps its node's lease, renewed (its end moved on by $moved s), and is not given to the other ($held)" \
	test "$held" = "running $holder attempts=1" -a "$moved" -ge $((2 * LEASE)) -a "$(requeued)" = "$rq0"
kill -9 "${node_pid[$victim]}"
wait "${node_pid[$victim]}" 2>/dev/null
lease_end=$(sql "SELECT locked_until FROM jobs WHERE id = $job")
say "job $job (calendar.coverage) claimed by node $victim ($holder); node $victim killed with SIGKILL"
unslow || die "cannot restore calendar_years"
# From here the dead node's lease runs out by itself. The first moment
# the job is seen to leave it must come after its lease end (not a time
# limit: an order).
gone() { [ "$(sql "SELECT state || ' ' || COALESCE(locked_by, '') FROM jobs WHERE id = $job")" != "running $holder" ]; }
wait_for $((6 * LEASE)) gone
seen=$(sql "SELECT floor(EXTRACT(EPOCH FROM now()))::bigint")
check "the dead node's job stays its own until its lease ends (lease end $lease_end, taken over by $seen)" \
	test "$seen" -gt "$lease_end"

n200=0
for _ in $(seq 20); do [ "$(status "$NGX/readyz")" = 200 ] && n200=$((n200 + 1)); done
w=$(as "$T/admin" -o /dev/null -w '%{http_code}' "$NGX/api/v1/households/$hh")
v=$(as "$T/admin" "$NGX/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
p=$(as "$T/admin" -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
	-d "{\"version\":$v,\"notes\":\"after the kill\"}" "$NGX/api/v1/households/$hh")
check "with node $victim dead, nginx answers through node $survivor ($n200/20 GET /readyz, a read $w, a change $p)" \
	test "$n200" = 20 -a "$w" = 200 -a "$p" = 200

taken() { [ "$(sql "SELECT state FROM jobs WHERE id = $job")" = "done" ]; }
wait_for 60 taken
row=$(sql "SELECT state || ' attempts=' || attempts || ' ' || COALESCE(last_error, '') FROM jobs WHERE id = $job")
check "after its lease ends, node $survivor takes the job over and finishes it ($row)" \
	test "$row" = "done attempts=2 lease expired: the worker stopped before finishing"
check "node $survivor logged re-queuing it" grep -q 're-queued 1 jobs whose worker stopped' "${node_log[$survivor]}"
sleep 2
stale=$(sql "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND locked_until < EXTRACT(EPOCH FROM now())")
queued=$(sql "SELECT COUNT(*) FROM (SELECT tenant_id, kind FROM jobs WHERE dedup_key IS NOT NULL
	AND state IN ('pending', 'running') GROUP BY 1, 2 HAVING COUNT(*) = 1) q")
check "no job is left running past its lease ($stale), the next runs are queued once ($queued of $((tenants * kinds)))" \
	test "$stale" = 0 -a "$queued" = $((tenants * kinds))
verify=$(as "$T/admin" "$NGX/api/v1/audit/verify")
check "the audit chain still verifies" grep -q '"intact":true' <<<"$verify"

# ---- d. a node frozen inside a write -----------------------------------------
echo "d. the killed node restarted; a node frozen inside a write transaction"
start_node "$victim" "${node_url[$victim]##*:}"
frozen=$victim other=$survivor
# A write is held inside its transaction (its audit entry waits for a
# table lock taken here), then its node is stopped (SIGSTOP): a node whose
# VM is paused or whose host hangs, still holding the one write lock.
mkfifo "$T/freeze.fifo"
psql -X -q -At -v ON_ERROR_STOP=1 "$DB" <"$T/freeze.fifo" >"$T/freeze.out" 2>&1 &
psql_pid=$!
exec 7>"$T/freeze.fifo"
echo "BEGIN; LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE; SELECT 'locked';" >&7
locked2() { grep -q '^locked$' "$T/freeze.out"; }
wait_for 30 locked2 || die "cannot lock audit_log: $(cat "$T/freeze.out")"
v=$(as "$T/admin" "${node_url[$other]}/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
as "$T/admin" -o "$T/frozen.body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
	-d "{\"version\":$v,\"notes\":\"frozen write\"}" "${node_url[$frozen]}/api/v1/households/$hh" \
	>"$T/frozen.code" 7>&- &
frozen_curl=$!
pids+=("$frozen_curl")
# The write's own wait — a session holding the write lock and the
# household it changed — not any reader the lock holds up (a node's
# reading of the audit chains was once taken for it), nor another writer
# (a restarted node's scheduler writes its jobs' audit entries at start:
# taken for the PATCH, the node was stopped before the PATCH had the write
# lock, and node B's write then went through).
waiting() {
	[ "$(sql "SELECT COUNT(*) FROM pg_locks l WHERE l.relation = 'audit_log'::regclass AND NOT l.granted
		AND l.pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)
		AND l.pid IN (SELECT pid FROM pg_locks WHERE relation = 'households'::regclass
			AND mode = 'RowExclusiveLock' AND granted)")" -ge 1 ]
}
wait_for 30 waiting || die "the write on node $frozen did not reach its audit entry"
[ ! -s "$T/frozen.code" ] || die "the write on node $frozen was answered before its node was stopped: $(cat "$T/frozen.code")"
kill -STOP "${node_pid[$frozen]}"
echo "COMMIT;" >&7
exec 7>&-
wait "$psql_pid"
psql_pid=""
holders() {
	sql "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.state = 'idle in transaction'"
}
frozen_holds() { [ "$(holders)" = 1 ]; }
wait_for 30 frozen_holds
check "node $frozen, stopped inside a write, holds the write lock (idle in transaction)" frozen_holds
codes="" wrote=0 until_=$((SECONDS + 60))
while [ "$SECONDS" -lt "$until_" ]; do
	v=$(as "$T/admin" "${node_url[$other]}/api/v1/households/$hh" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
	c=$(as "$T/admin" -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
		-d "{\"version\":$v,\"notes\":\"while frozen\"}" "${node_url[$other]}/api/v1/households/$hh")
	codes="$codes $c"
	[ "$c" = 200 ] && { wrote=1; break; }
done
say "a write on node $other meanwhile, answers:$codes (503: the write lock did not come within 5 s)"
check "writes on node $other go on once PostgreSQL ends the frozen transaction (idle_in_transaction_session_timeout)" \
	test "$wrote" = 1 -a "$(holders)" = 0
kill -CONT "${node_pid[$frozen]}"
wait "$frozen_curl"
fc=$(cat "$T/frozen.code")
gone=$(sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'household' AND entity_id = $hh
	AND after_json LIKE '%frozen write%'")
notes=$(as "$T/admin" "${node_url[$other]}/api/v1/households/$hh" | sed -n 's/.*"notes":"\([^"]*\)".*/\1/p')
check "node $frozen, resumed, answers its held write $fc; nothing of it was written (household: \"$notes\", trail: $gone)" \
	test "$fc" -ge 500 -a "$gone" = 0 -a "$notes" = "while frozen"
# PostgreSQL ended the frozen node's session; the node makes it again
# at its next transaction (src/store/db_pg.c, ensure_connected).
codes=""
for _ in $(seq 10); do codes="$codes $(status "${node_url[$frozen]}/readyz")"; done
ready_again() { case "$codes" in *" 200 200 200") true ;; *) false ;; esac; }
check "node $frozen, resumed, connects to PostgreSQL again by itself: GET /readyz answers$codes" ready_again
w=$(as "$T/admin" -o /dev/null -w '%{http_code}' "${node_url[$frozen]}/api/v1/households/$hh")
check "… and serves the API again without a restart ($w)" test "$w" = 200
# Every connection of a node ended at once (a PostgreSQL restart or a
# failover looks like this to the node), some of them used within the
# last second: the node answers every next request (the session's end is
# found by what is sent next and a read is sent again: db_pg.c).
sql "SELECT COUNT(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
	WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ''" >/dev/null
codes=""
for _ in $(seq 10); do
	codes="$codes $(as "$T/admin" -o /dev/null -w '%{http_code}' "${node_url[$frozen]}/api/v1/households/$hh")"
done
all_ok() { local c; for c in $codes; do [ "$c" = 200 ] || return 1; done; }
check "after PostgreSQL ended every connection of both nodes, node $frozen answers every request:$codes" all_ok
kill "${node_pid[$frozen]}"
wait "${node_pid[$frozen]}" 2>/dev/null
start_node "$frozen" "${node_url[$frozen]##*:}"
rejoined() {
	status "$NGX/readyz" >/dev/null
	[ "$(metric "${node_url[$frozen]}" "GET /readyz")" -gt 0 ]
}
wait_for 60 rejoined
check "node $frozen restarted on its port: nginx sends it requests again" rejoined

# ---- e. what nginx itself answers -------------------------------------------------
echo "e. the client's address through nginx; nginx's own limits match ruhu's and answer in ruhu's JSON"
# A client on another loopback address (127.0.0.7) signs in through nginx:
# the node records that address (nginx's X-Real-IP from a trusted peer).
# A client that sends the header itself, straight to a node, does not get
# to choose its address.
curl -s -o /dev/null --interface 127.0.0.7 -H 'Content-Type: application/json' \
	-d "{\"username\":\"gas.manager\",\"password\":\"$PASSWORD\"}" "$NGX/api/v1/session"
ip1=$(sql "SELECT count(*) FROM audit_log WHERE action = 'login' AND ip = '127.0.0.7'")
check "a sign-in through nginx from 127.0.0.7 is audited as 127.0.0.7, not as nginx's address ($ip1 entry)" test "$ip1" = 1
code8=$(curl -s -o "$T/direct.body" -w "%{http_code}" --interface 127.0.0.8 -H 'X-Real-IP: 203.0.113.9' -H 'Content-Type: application/json' \
	-d "{\"username\":\"gas.manager\",\"password\":\"$PASSWORD\"}" "${node_url[$survivor]}/api/v1/session")
ip2=$(sql "SELECT string_agg(ip, ' ') FROM audit_log WHERE action = 'login' AND ip IN ('127.0.0.8', '203.0.113.9')")
check "X-Real-IP sent by a client itself (127.0.0.8, not the proxy) is not believed: audited as 127.0.0.8 ($code8: $ip2)" \
	test "$ip2" = 127.0.0.8
[ "$ip2" = 127.0.0.8 ] || say "direct sign-in: $code8 $(cat "$T/direct.body")"
# A body of exactly RUHU_UPLOAD_LIMIT (32 MiB) reaches ruhu, which reads
# it (a dry run: its one header names no column, so nothing is written);
# one byte more is nginx's 413.
head -c 33554432 /dev/zero | tr '\0' x >"$T/upload"
up=$(as "$T/admin" -o "$T/up.body" -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @"$T/upload" \
	"$NGX/api/v1/imports/households?dry_run=true")
check "a 32 MiB upload passes nginx to ruhu (ruhu answers $up: $(grep -o '"code":"[a-z_]*"' "$T/up.body" | head -n 1))" \
	grep -q '"code":"import_invalid"' "$T/up.body"
echo x >>"$T/upload"
up=$(as "$T/admin" -o "$T/up.body" -w '%{http_code}' -H 'Content-Type: text/csv' --data-binary @"$T/upload" \
	"$NGX/api/v1/imports/households?dry_run=true")
check "one byte more is refused by nginx with 413 body_too_large in Chinese ($up)" \
	grep -q '^{"error":{"code":"body_too_large","message":"请求内容过大（最多 33554432 字节）","number":18}}$' "$T/up.body"
rm -f "$T/upload"
# Password checks are limited per client at nginx (the nodes see only
# nginx's address): a burst of 20, then 429 in ruhu's JSON, in English
# when asked. The name is nobody's: ruhu answers 401, and 423 from its
# fifth try on a node (http/phantom.h), both answers that reached it.
codes="" before=0
for _ in $(seq 40); do
	c=$(curl -s -o "$T/signin.body" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H 'Accept-Language: en-GB,en' -d '{"username":"nobody.here","password":"Wrong@2026x"}' "$NGX/api/v1/session")
	codes="$codes $c"
	[ "$c" = 429 ] && break
	case $c in 401 | 423) before=$((before + 1)) ;; esac
done
say "wrong sign-ins through nginx:$codes"
check "nginx limits password checks per client: $before reach ruhu (401, then 423), then 429 rate_limited in English" \
	grep -q '^{"error":{"code":"rate_limited","message":"Too many requests, please slow down","number":36}}$' "$T/signin.body"
check "… not before the burst of 20" test "$before" -ge 20
check "… and the name that is nobody's was locked on the nodes as an account would be (423 before the limit)" \
	sh -c "echo '$codes' | grep -q ' 423'"
# With no node left, nginx answers 503 busy itself.
for n in A B; do kill "${node_pid[$n]}"; done
for n in A B; do wait "${node_pid[$n]}" 2>/dev/null; done
down=$(curl -s -o "$T/down.body" -w '%{http_code}' "$NGX/api/v1/households/$hh")
busy_json() {
	[ "$down" = 503 ] && grep -q '^{"error":{"code":"busy","message":"服务繁忙，请稍后重试","number":4}}$' "$T/down.body"
}
check "with every node down, nginx answers $down busy in ruhu's JSON" busy_json
say "run time $(($(date +%s) - start)) s"
