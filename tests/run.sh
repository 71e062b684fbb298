#!/bin/sh
# run.sh — every test ruhu has, as `make check` runs them. Each suite
# prints "N passed, N failed" as its last line; this script adds them up
# and prints the total as its own last line. Logs go to tests/out/.
#
#   tests/run.sh            everything
#   tests/run.sh unit api   only those suites (unit, api, pg, asan, browser, fuzz, docs)
set -u
cd "$(dirname "$0")/.."
out=tests/out
mkdir -p "$out"
passed=0
failed=0
only="${*:-unit api pg asan browser fuzz docs}"
wants() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }

# day_guard SECS: waits for the next day in Asia/Shanghai when fewer than
# SECS seconds of this one are left. The field-staff suites fix "today"
# (the organisation's) when they start, and the demo is made for the
# server's; a suite that straddles midnight asks about the wrong day (47
# cases failed so at 23:59:59). tests/browser/run.sh waits the same way.
day_guard() {
	left=$(( 86400 - $(TZ=Asia/Shanghai date +'(%-H * 3600 + %-M * 60 + %-S)') ))
	if [ "$left" -le "$1" ]; then
		echo "  waiting ${left}s for midnight in Asia/Shanghai, so that the next suite does not straddle the day"
		sleep $((left + 5))
	fi
}

# suite NAME COMMAND…: runs it, logs it, adds its last line to the totals.
suite() {
	name=$1
	shift
	case $name in */fieldstaff) day_guard 120 ;; esac	# 5–20 s a run
	log="$out/$name.log"
	mkdir -p "$(dirname "$log")"
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	last=$(tail -n 1 "$log")
	p=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		p=0
		f=1
		echo "  $name: no result line (exit $rc); see $log"
		tail -n 20 "$log" | sed 's/^/    /'
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "  $name: exit status $rc; see $log"
	fi
	[ "$f" -gt 0 ] && grep -E '^(FAIL|  )' "$log" | head -n 40 | sed 's/^/    /'
	printf '%-22s %5s passed, %3s failed  (%ss)\n' "$name" "$p" "$f" "$(( $(date +%s) - start ))"
	passed=$((passed + p))
	failed=$((failed + f))
}

jobs=$(nproc 2>/dev/null || echo 2)
echo "building…"
if ! make -s -j"$jobs" all unit api >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi

if wants unit; then
	# test_db_pg needs a server: the pg suite runs it
	for t in build/tests/test_*; do [ "$t" = build/tests/test_db_pg ] || suite "unit/$(basename "$t")" "$t"; done
fi
if wants api; then
	suite api build/tests/api_test build/ruhu
	suite api/master build/tests/api_master build/ruhu
	suite api/fieldstaff build/tests/api_fieldstaff build/ruhu
fi
# The same API suites on PostgreSQL: a throwaway cluster on loopback
# (tests/pg.sh), a fresh database per test server.
if wants pg; then
	pgdir=$(mktemp -d /tmp/ruhu-pg-XXXXXX)
	if pgurl=$(tests/pg.sh start "$pgdir" 2>"$out/pg-start.log"); then
		suite pg/driver env RUHU_TEST_PG="$pgurl" build/tests/test_db_pg
		suite pg/api env RUHU_TEST_PG="$pgurl" RUHU_TEST_PG_DIR="$pgdir" build/tests/api_test build/ruhu
		suite pg/api/master env RUHU_TEST_PG="$pgurl" RUHU_TEST_PG_DIR="$pgdir" build/tests/api_master build/ruhu
		suite pg/api/fieldstaff env RUHU_TEST_PG="$pgurl" RUHU_TEST_PG_DIR="$pgdir" build/tests/api_fieldstaff build/ruhu
		suite pg/move tests/store_move.sh build/ruhu "$pgurl" "$pgdir"
	else
		echo "  pg: the PostgreSQL cluster did not start; see $out/pg-start.log"
		tail -n 20 "$out/pg-start.log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
	tests/pg.sh stop "$pgdir"
	# Two nodes on one PostgreSQL database behind nginx (deploy/nginx.conf).
	suite cluster tests/cluster.sh
fi
if wants asan; then
	if make -s -j"$jobs" asan >"$out/build-asan.log" 2>&1; then
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		for t in build/asan/tests/test_*; do [ "$t" = build/asan/tests/test_db_pg ] || suite "asan/unit/$(basename "$t")" "$t"; done
		if wants pg; then	# the PostgreSQL driver's own test, on a cluster of its own
			pgdir=$(mktemp -d /tmp/ruhu-pg-XXXXXX)
			if pgurl=$(tests/pg.sh start "$pgdir" 2>"$out/pg-start-asan.log"); then
				suite asan/pg/driver env RUHU_TEST_PG="$pgurl" build/asan/tests/test_db_pg
			else
				echo "  asan/pg: the PostgreSQL cluster did not start; see $out/pg-start-asan.log"
				failed=$((failed + 1))
			fi
			tests/pg.sh stop "$pgdir"
		fi
		suite asan/api build/asan/tests/api_test build/asan/ruhu
		suite asan/api/master build/asan/tests/api_master build/asan/ruhu
		suite asan/api/fieldstaff build/asan/tests/api_fieldstaff build/asan/ruhu
		unset ASAN_OPTIONS UBSAN_OPTIONS
	else
		tail -n 30 "$out/build-asan.log"
		failed=$((failed + 1))
	fi
fi
if wants browser; then
	suite browser tests/browser/run.sh
fi
if wants fuzz; then
	suite fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-15}"
fi
if wants docs; then
	suite docs tests/docs_check.sh
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
