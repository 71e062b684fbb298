#!/usr/bin/env bash
# bench/run.sh — what `make bench` runs (see issue 2, "Benchmarks").
#
# Measures ruhu side by side with a reference nginx on the same machine, in
# the same run, and reports each figure as a ratio to that reference:
#
#   - nginx `return 200` with exactly ruhu's /healthz body   (reference 1)
#   - ruhu  GET /healthz
#   - nginx `return 200` with exactly ruhu's GET /api/v1/users/1 body (reference 2)
#   - ruhu  GET /api/v1/users/1 with a session cookie (session check, role
#           check, one indexed query, JSON)
#   - ruhu idle RSS after start-up (VmRSS) and peak RSS after the load (VmHWM)
#
# Each measurement is `wrk -t1 -c64 -d10s --latency` (keep-alive) after a 2 s
# warm-up; references and ruhu alternate. A missed target is a finding and
# does not fail the run; the exit status is non-zero only when the harness
# itself could not measure (missing tools, server that does not start or
# dies, answers that differ between ruhu and nginx).
#
# Environment:
#   RUHU_BIN        the binary (default build/ruhu, relative to the repo root)
#   BENCH_OUT       output dir (default bench/out); results.md, wrk-*.txt,
#                   ruhu.log (ruhu's stderr, the access log), nginx-error.log
#   BENCH_DURATION  seconds per measured run (default 10)
#   BENCH_WARMUP    seconds of warm-up before each run (default 2)
#   BENCH_CONNS     wrk connections (default 64)
#   BENCH_ROUNDS    repeat the whole alternating sequence N times and report
#                   the median of each figure (default 1)
#   BENCH_RETRIES   how many times a run is measured again when other work
#                   took >= 10% of the machine during it (default 2); the
#                   least disturbed attempt counts, the table says so
#   BENCH_KEEP_LOG  1 keeps ruhu's whole access log; by default only its
#                   first and last 200 lines are kept (it grows ~150 MB/run)
#   RUHU_SERVE_ARGS extra arguments for `ruhu serve` (e.g. --threads 1);
#                   the default is to run ruhu as it runs by default (any
#                   other RUHU_* variable is removed from its environment)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

RUHU_BIN=${RUHU_BIN:-build/ruhu}
OUT=${BENCH_OUT:-$here/out}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNS:-64}
ROUNDS=${BENCH_ROUNDS:-3}
KEEP_LOG=${BENCH_KEEP_LOG:-0}
RETRIES=${BENCH_RETRIES:-2}
EXTRA_ARGS=${RUHU_SERVE_ARGS:-}

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

# ---- prerequisites -------------------------------------------------------
missing=""
for t in wrk nginx curl awk sed; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
[ -z "$missing" ] || die "missing:$missing — install them with: scripts/deps.sh bench (or: make bench)"
[ -x "$RUHU_BIN" ] || die "no ruhu binary at $RUHU_BIN — build it first (make all, or make B=build/x all and RUHU_BIN=build/x/ruhu)"
case "$DURATION$WARMUP$CONNS$ROUNDS$RETRIES" in
	*[!0-9]*) die "BENCH_DURATION, BENCH_WARMUP, BENCH_CONNS, BENCH_ROUNDS and BENCH_RETRIES must be whole numbers" ;;
esac
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"
[ "$DURATION" -ge 1 ] || die "BENCH_DURATION must be at least 1"
RUHU_BIN=$(cd "$(dirname "$RUHU_BIN")" && pwd)/$(basename "$RUHU_BIN")

mkdir -p "$OUT"
rm -f "$OUT"/wrk-*.txt "$OUT"/wrk-*.try "$OUT"/ruhu.log "$OUT"/nginx-error.log "$OUT"/results.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ruhu-bench.XXXXXX")

ruhu_pid=""
nginx_pid=""
stop_pid() {	# stop_pid PID NAME — TERM, wait up to 5 s, then KILL
	local pid=$1 _
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "$2 (pid $pid) did not stop on TERM; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$ruhu_pid" ruhu
	stop_pid "$nginx_pid" nginx
	[ -s "$tmp/nginx/error.log" ] && cp "$tmp/nginx/error.log" "$OUT/nginx-error.log"
	if [ -f "$OUT/ruhu.log" ] && [ "$KEEP_LOG" != 1 ]; then
		local n
		n=$(wc -l <"$OUT/ruhu.log")
		if [ "$n" -gt 400 ]; then
			{ head -n 200 "$OUT/ruhu.log"
			  echo "{\"bench\":\"$((n - 400)) lines cut (BENCH_KEEP_LOG=1 keeps them)\"}"
			  tail -n 200 "$OUT/ruhu.log"; } >"$tmp/log.cut" && mv "$tmp/log.cut" "$OUT/ruhu.log"
		fi
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- helpers -------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
	local p
	if command -v python3 >/dev/null 2>&1 &&
		p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) &&
		[ -n "$p" ]; then
		echo "$p"; return 0
	fi
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		port_free "$p" && { echo "$p"; return 0; }
	done
	return 1
}

# wait_http URL PID NAME — until URL answers 200, or the process dies, or 20 s
wait_http() {
	local _
	for _ in $(seq 200); do
		kill -0 "$2" 2>/dev/null || return 1
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null)" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

kb_of() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# wrk's times come as 1.23us / 4.56ms / 7.89s / 1.00m: print milliseconds.
to_ms() {
	awk -v t="$1" 'BEGIN {
		if (t ~ /us$/)      { sub(/us$/, "", t); printf "%.3f", t / 1000 }
		else if (t ~ /ms$/) { sub(/ms$/, "", t); printf "%.3f", t }
		else if (t ~ /s$/)  { sub(/s$/, "", t);  printf "%.3f", t * 1000 }
		else if (t ~ /m$/)  { sub(/m$/, "", t);  printf "%.3f", t * 60000 }
		else if (t ~ /h$/)  { sub(/h$/, "", t);  printf "%.3f", t * 3600000 }
		else exit 1 }'
}

# parse_wrk FILE — prints "rps p50_ms p99_ms non2xx socket_errors"
parse_wrk() {
	local rps p50 p99 non2xx errs
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$1")
	p50=$(awk '$1 == "50%" { print $2 }' "$1")
	p99=$(awk '$1 == "99%" { print $2 }' "$1")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1")
	errs=$(awk '/Socket errors:/ { n = 0; for (i = 3; i <= NF; i += 2) { v = $(i + 1); sub(/,$/, "", v); n += v } print n }' "$1")
	[ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || return 1
	p50=$(to_ms "$p50") && p99=$(to_ms "$p99") || return 1
	echo "$rps $p50 $p99 ${non2xx:-0} ${errs:-0}"
}

# cpu_ticks PID... — user+system clock ticks used so far by these processes
# (all their threads), plus nginx's workers (children of the master).
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() {
	local p all="" c
	for p in "$@"; do
		all="$all $p"
		c=$(cat "/proc/$p/task/$p/children" 2>/dev/null || pgrep -P "$p" 2>/dev/null || true)
		all="$all $c"
	done
	for p in $all; do cat "/proc/$p/stat" 2>/dev/null || true; done |
		awk '{ sub(/^.*\) /, ""); n += $12 + $13 } END { print n + 0 }'
}

# The machine's busy and total ticks, all CPUs. Busy is all but idle and
# iowait: steal counts (a noisy neighbour takes our CPU as surely as a
# local process), and so do irq and softirq, which the tick also charges
# to the task it interrupts (the loopback TCP work of our own requests
# mostly lands in the server's and wrk's system time that way).
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
# Our children's CPU ticks (wrk's, around one run). `times` must run in
# this shell, not in a $(…) subshell, which has children of its own.
child_ticks() {	# child_ticks VAR
	times >"$tmp/times"
	printf -v "$1" '%s' "$(awk -v hz="$clk_tck" 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) {
		split($i, a, /[ms]/); n += a[1] * 60 + a[2] } printf "%.0f", n * hz }' "$tmp/times")"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- ruhu ----------------------------------------------------------------
unset=""
for v in $(compgen -e | grep '^RUHU_' || true); do unset="$unset -u $v"; done
start_ruhu() {
	local try
	for try in 1 2 3; do
		ruhu_port=$(free_port) || die "cannot find a free port"
		# As it runs by default: no RUHU_* settings from our environment.
		# shellcheck disable=SC2086 # EXTRA_ARGS and unset are lists of words
		env $unset RUHU_PWHASH=min "$RUHU_BIN" serve --demo --db "$tmp/bench.db" \
			--listen "127.0.0.1:$ruhu_port" $EXTRA_ARGS \
			>"$OUT/ruhu.stdout" 2>>"$OUT/ruhu.log" </dev/null &
		ruhu_pid=$!
		wait_http "http://127.0.0.1:$ruhu_port/healthz" "$ruhu_pid" ruhu && return 0
		stop_pid "$ruhu_pid" ruhu
		ruhu_pid=""
		say "ruhu did not come up on port $ruhu_port (try $try); see $OUT/ruhu.log"
	done
	tail -n 20 "$OUT/ruhu.log" >&2 || true
	die "ruhu serve did not answer /healthz"
}

# How busy the machine is before we start: other load skews every figure.
cpu_sample() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6 }' /proc/stat; }
read -r ta ia < <(cpu_sample)
sleep 1
read -r tb ib < <(cpu_sample)
busy=$(awk -v t="$((tb - ta))" -v i="$((ib - ia))" 'BEGIN { printf "%.0f", (t > 0) ? 100 * (t - i) / t : 0 }')
busy_note=""
if [ "$busy" -ge 10 ]; then
	busy_note="Warning: the machine was ${busy}% busy with other work just before the run; these figures are less reliable than usual."
	say "$busy_note"
fi

say "starting ruhu ($RUHU_BIN)"
start_ruhu
ruhu="http://127.0.0.1:$ruhu_port"
sleep 1	# let start-up work (migrations, demo data, scheduler) settle
rss_idle_kb=$(kb_of "$ruhu_pid" VmRSS)
threads=$(grep -o '[0-9]* threads' "$OUT/ruhu.stdout" | head -n 1 || true)
ruhu_version=$("$RUHU_BIN" version 2>/dev/null | head -n 1 || true)

# Log in, keep the session cookie, capture the two answers byte for byte.
login=$(curl -s -o "$tmp/login.json" -w '%{http_code}' -c "$tmp/jar" \
	-H 'Content-Type: application/json' \
	-d '{"username":"gas.admin","password":"Ruhu@2026"}' "$ruhu/api/v1/session") || true
[ "$login" = 200 ] || { cat "$tmp/login.json" >&2 2>/dev/null || true; die "login as gas.admin failed (HTTP $login)"; }
cookie=$(awk '$6 == "ruhu_session" { print $7 }' "$tmp/jar")
[ -n "$cookie" ] || die "the login answer set no ruhu_session cookie"
hdr="Cookie: ruhu_session=$cookie"

code=$(curl -s -o "$tmp/healthz.body" -w '%{http_code}' "$ruhu/healthz") || true
[ "$code" = 200 ] || die "GET /healthz answered $code"
code=$(curl -s -o "$tmp/user.body" -w '%{http_code}' -H "$hdr" "$ruhu/api/v1/users/1") || true
[ "$code" = 200 ] || die "GET /api/v1/users/1 with the session answered $code: $(cat "$tmp/user.body")"

# ---- nginx ---------------------------------------------------------------
# An nginx single-quoted string unescapes \\ \' \" \n \r \t, and expands
# $name; so every backslash and quote is escaped and every $ comes from a
# geo variable. The answers are compared byte for byte below anyway.
nginx_string() {
	local s
	# shellcheck disable=SC2016 # a literal ${bench_dollar} for nginx
	s=$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" -e 's/\$/${bench_dollar}/g' "$1"; printf x)
	printf "'%s'" "${s%x}"
}

mkdir -p "$tmp/nginx/tmp"
nginx_port=$(free_port) || die "cannot find a free port"
nginx_temp_paths() {
	local m v
	v=$(nginx -V 2>&1)
	echo "    client_body_temp_path $tmp/nginx/tmp/body;"
	for m in proxy fastcgi uwsgi scgi; do
		case "$v" in *"--without-http_${m}_module"*) ;; *) echo "    ${m}_temp_path $tmp/nginx/tmp/$m;" ;; esac
	done
}
nginx_dollar() {	# the geo module's values are not scripts, so "$" stays "$"
	if grep -q '\$' "$tmp/healthz.body" "$tmp/user.body"; then
		# shellcheck disable=SC2016 # literal nginx text
		echo '    geo $bench_dollar { default "$"; }'
	fi
}
write_nginx_conf() {
	cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
$(nginx_temp_paths)
$(nginx_dollar)
    server {
        listen 127.0.0.1:$nginx_port;
        server_name _;
        keepalive_requests 1000000;
        location = /healthz {
            default_type application/json;
            return 200 $(nginx_string "$tmp/healthz.body");
        }
        location = /api/v1/users/1 {
            default_type application/json;
            return 200 $(nginx_string "$tmp/user.body");
        }
    }
}
EOF
}
write_nginx_conf
nginx -t -q -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx/t.err" ||
	{ cat "$tmp/nginx/t.err" >&2; die "nginx rejected the generated config ($tmp/nginx/nginx.conf)"; }
for try in 1 2 3; do
	nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" </dev/null >/dev/null 2>&1 &
	nginx_pid=$!
	wait_http "http://127.0.0.1:$nginx_port/healthz" "$nginx_pid" nginx && break
	stop_pid "$nginx_pid" nginx
	nginx_pid=""
	[ "$try" = 3 ] && { tail -n 20 "$tmp/nginx/error.log" >&2 || true; die "nginx did not start"; }
	nginx_port=$(free_port) || die "cannot find a free port"
	write_nginx_conf
done
nginx_ref="http://127.0.0.1:$nginx_port"

for what in healthz:/healthz user:/api/v1/users/1; do
	name=${what%%:*} path=${what#*:}
	curl -s -o "$tmp/$name.nginx" -D "$tmp/$name.nginx.h" "$nginx_ref$path" || die "nginx did not answer $path"
	cmp -s "$tmp/$name.body" "$tmp/$name.nginx" ||
		die "nginx's answer to $path differs from ruhu's ($(wc -c <"$tmp/$name.body") vs $(wc -c <"$tmp/$name.nginx") bytes)"
	grep -qi '^content-type: application/json' "$tmp/$name.nginx.h" || die "nginx's $path is not application/json"
done
hbytes=$(wc -c <"$tmp/healthz.body")
ubytes=$(wc -c <"$tmp/user.body")
say "ruhu on :$ruhu_port (pid $ruhu_pid, idle RSS $(mib "$rss_idle_kb")), nginx on :$nginx_port (pid $nginx_pid); bodies $hbytes and $ubytes bytes, identical"

# ---- measure -------------------------------------------------------------
# run_wrk KEY URL [HEADER] — warm-up, then the measured run into wrk-KEY-rN.txt
declare -A res
disturbed=""
runs=()
run_wrk() {
	local key=$1 url=$2 f pid attempt best="" best_other=101
	local -a h=()
	[ $# -ge 3 ] && h=(-H "$3")
	case $key in ruhu-*) pid=$ruhu_pid ;; *) pid=$nginx_pid ;; esac
	f="$OUT/wrk-$key-r$round.txt"
	# A run during which other work took a tenth of the machine is tried
	# again (BENCH_RETRIES times at most); the least disturbed one counts.
	for attempt in $(seq $((RETRIES + 1))); do
		kill -0 "$pid" 2>/dev/null || die "${key%%-*} (pid $pid) is not running before $key"
		wrk -t1 -c"$CONNS" -d"${WARMUP}s" "${h[@]}" "$url" >/dev/null 2>&1 || true
		local t0 t1 c0 c1 m0 m1 n cpu other r
		m0=$(machine_ticks) t0=$(cpu_ticks "$pid")
		child_ticks c0
		wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${h[@]}" "$url" >"$f.try" 2>&1 ||
			{ cat "$f.try" >&2; die "wrk failed on $url"; }
		child_ticks c1
		t1=$(cpu_ticks "$pid") m1=$(machine_ticks)
		kill -0 "$pid" 2>/dev/null ||
			{ tail -n 20 "$OUT/ruhu.log" >&2; die "${key%%-*} (pid $pid) died during $key (see $f.try)"; }
		r=$(parse_wrk "$f.try") || { cat "$f.try" >&2; die "cannot read wrk's output ($f.try)"; }
		# The server's own CPU time per request: less noisy than req/s.
		n=$(awk '/ requests in / { print $1; exit }' "$f.try")
		cpu=$(awk -v a="$t0" -v b="$t1" -v n="${n:-0}" -v hz="$clk_tck" \
			'BEGIN { printf "%.1f", (n > 0) ? (b - a) / hz * 1e6 / n : 0 }')
		# CPU that neither the server nor wrk used: other work on the
		# machine (or the hypervisor), in % of all CPUs, during the run.
		other=$(awk -v a="$m0" -v b="$m1" -v s="$((t1 - t0))" -v w="$((c1 - c0))" 'BEGIN {
			split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; tot = y[2] - x[2]
			o = (tot > 0) ? 100 * (busy - s - w) / tot : 0; printf "%.0f", (o < 0) ? 0 : o }')
		r="$r $cpu $other"
		# shellcheck disable=SC2086 # split into its seven fields
		set -- $r
		say "round $round $key: $1 req/s, p50 $2 ms, p99 $3 ms, server CPU $6 µs/req, other load $7%, non-2xx $4, socket errors $5"
		if [ "$other" -lt "$best_other" ]; then
			best=$r best_other=$other
			mv "$f.try" "$f"
		else
			rm -f "$f.try"
		fi
		runs+=("$key $round $attempt $r")
		[ "$other" -ge 10 ] || break
		[ "$attempt" -le "$RETRIES" ] && say "other work took $other% of the machine during $key; measuring it again"
	done
	res[$key]="${res[$key]:-} $best"
	if [ "$best_other" -ge 10 ]; then disturbed="$disturbed $key-r$round ($best_other%)"; fi
	return 0
}

for round in $(seq "$ROUNDS"); do
	run_wrk nginx-healthz "$nginx_ref/healthz"
	run_wrk ruhu-healthz "$ruhu/healthz"
	run_wrk nginx-user "$nginx_ref/api/v1/users/1"
	run_wrk ruhu-user "$ruhu/api/v1/users/1" "$hdr"
done
rss_peak_kb=$(kb_of "$ruhu_pid" VmHWM)
rss_after_kb=$(kb_of "$ruhu_pid" VmRSS)

# The session must still be good: a run of 401s is not a measurement.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$hdr" "$ruhu/api/v1/users/1") || true
[ "$code" = 200 ] || die "after the load GET /api/v1/users/1 answers $code"

# ---- report --------------------------------------------------------------
# field KEY N — median over the rounds of field N (1 rps, 2 p50, 3 p99,
# 4 non-2xx, 5 socket errors, 6 server CPU µs per request, 7 other load %)
field() {
	echo "${res[$1]}" | awk -v n="$2" -v k=7 '{ for (i = n; i <= NF; i += k) printf "%s ", $i }' | median
}
fmt_rps() {
	awk -v v="$1" 'BEGIN {
		s = sprintf("%.0f", v); o = ""
		while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
		print s o }'
}
fmt_ms() { awk -v v="$1" 'BEGIN { printf "%.2f ms", v }'; }

missed=0
fmt_us() { awk -v v="$1" 'BEGIN { printf "%.1f µs", v }'; }
row_ref() {	# row_ref KEY LABEL
	printf '| %s | %s | %s | %s | 100%% (reference) | — | — | %s |\n' "$2" "$(fmt_rps "$(field "$1" 1)")" \
		"$(fmt_ms "$(field "$1" 2)")" "$(fmt_ms "$(field "$1" 3)")" "$(fmt_us "$(field "$1" 6)")"
}
row_ruhu() {	# row_ruhu KEY REFKEY LABEL MIN_RATIO_PERCENT
	local rps p50 p99 ref ratio ok why=""
	rps=$(field "$1" 1) p50=$(field "$1" 2) p99=$(field "$1" 3) ref=$(field "$2" 1)
	ratio=$(awk -v a="$rps" -v b="$ref" 'BEGIN { printf "%.1f", (b > 0) ? 100 * a / b : 0 }')
	awk -v r="$ratio" -v m="$4" 'BEGIN { exit !(r >= m) }' || why="req/s"
	awk -v p="$p99" 'BEGIN { exit !(p < 5) }' || why="${why:+$why, }p99"
	local bad
	bad=$(awk -v a="$(field "$1" 4)" -v b="$(field "$1" 5)" 'BEGIN { print a + b }')
	[ "$bad" = 0 ] || why="${why:+$why, }$bad non-2xx/socket errors"
	if [ -z "$why" ]; then ok=yes; else ok="**no** ($why)"; missed=$((missed + 1)); fi
	printf '| %s | %s | %s | %s | %s%% | ≥ %s%%, p99 < 5 ms | %s | %s |\n' "$3" "$(fmt_rps "$rps")" \
		"$(fmt_ms "$p50")" "$(fmt_ms "$p99")" "$ratio" "$4" "$ok" "$(fmt_us "$(field "$1" 6)")"
}

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$cpu" ] || cpu=$(awk -F': *' '/^(Hardware|cpu model|uarch)/ { print $2; exit }' /proc/cpuinfo)
nginx_v=$(nginx -v 2>&1 | sed 's/^nginx version: //' || true)
wrk_v=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)
idle_ok=$(awk -v k="$rss_idle_kb" 'BEGIN { print ((k < 30 * 1024) ? "yes" : "**no**") }')
[ "$idle_ok" = yes ] || missed=$((missed + 1))
rounds_note=""
alog=on
case " $EXTRA_ARGS " in *" --no-access-log "*) alog=off ;; esac
[ "$ROUNDS" -gt 1 ] && rounds_note=" Each figure is the median of $ROUNDS rounds."

{
	echo "## ruhu benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r); load generator on the same CPUs."
	echo "ruhu ${ruhu_version#ruhu } (${threads:-? threads}${EXTRA_ARGS:+, serve $EXTRA_ARGS}, access log $alog), $nginx_v (1 worker, access_log off, keepalive_requests 1000000), wrk $wrk_v."
	echo "\`wrk -t1 -c$CONNS -d${DURATION}s --latency\`, keep-alive, ${WARMUP} s warm-up before each run, references and ruhu alternating.$rounds_note"
	echo "CPU busy with other work just before the run: ${busy}%."
	echo "nginx returns the same body bytes from \`return 200\` ($hbytes and $ubytes bytes)."
	echo
	echo "| what | req/s | p50 | p99 | ratio to nginx | target | met? | server CPU per request |"
	echo "|---|---|---|---|---|---|---|---|"
	row_ref nginx-healthz "nginx \`return 200\`, /healthz body"
	row_ruhu ruhu-healthz nginx-healthz "ruhu GET /healthz" 70
	row_ref nginx-user "nginx \`return 200\`, users/1 body"
	row_ruhu ruhu-user nginx-user "ruhu GET /api/v1/users/1 (session, role, 1 query, JSON)" 40
	echo "| ruhu idle RSS (VmRSS after start-up with the demo data) | $(mib "$rss_idle_kb") | | | | < 30 MB | $idle_ok | |"
	echo "| ruhu peak RSS (VmHWM after all the load) | $(mib "$rss_peak_kb") | | | | — | — | |"
	echo
	cpu_ratio() { awk -v a="$(field "$1" 6)" -v b="$(field "$2" 6)" 'BEGIN { printf "%.0f%%", (a > 0) ? 100 * b / a : 0 }'; }
	echo "CPU-time ratio (nginx's server CPU per request ÷ ruhu's; less sensitive to other load than req/s): /healthz $(cpu_ratio ruhu-healthz nginx-healthz), authenticated read $(cpu_ratio ruhu-user nginx-user)."
	echo
	echo "RSS rows: the figure is in the req/s column. RSS after the load: $(mib "$rss_after_kb"). Server CPU per request: the server's user+system time (all threads; nginx's master and worker) during the measured run over the requests served, kernel network work charged to it included. Raw wrk output: bench/out/wrk-*.txt."
	[ -z "$busy_note" ] || { echo; echo "$busy_note"; }
	echo
	echo "<details><summary>Every measured run (other load: CPU used by neither the server nor wrk, in % of the machine)</summary>"
	echo
	echo "| run | round | try | req/s | p50 | p99 | server CPU per request | other load |"
	echo "|---|---|---|---|---|---|---|---|"
	for x in "${runs[@]}"; do
		# shellcheck disable=SC2086 # key round attempt and the seven fields
		set -- $x
		printf '| %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$1" "$2" "$3" "$(fmt_rps "$4")" "$(fmt_ms "$5")" \
			"$(fmt_ms "$6")" "$(fmt_us "$9")" "${10}"
	done
	echo
	echo "</details>"
	if [ -n "$disturbed" ]; then
		echo
		echo "Warning: other work used ≥ 10% of the machine during:$disturbed (even after $RETRIES retries). Ratios from this run are less reliable; run again when the machine is quiet (BENCH_ROUNDS=3 takes medians)."
	fi
	if [ "$missed" -gt 0 ]; then echo; echo "Targets missed: $missed."; fi
} >"$tmp/results.md"
cp "$tmp/results.md" "$OUT/results.md"
echo
cat "$OUT/results.md"
