#!/bin/sh
# run.sh — the browser tests of the web UI: starts the server with the demo
# data on a fresh database and a free port, runs ui.test.mjs (the signed-in
# UI), badge.test.mjs (the public badge check page) and a11y.test.mjs
# (focus, screen-reader names and contrast) against it with the system
# Chromium, stops the server. Each test prints its own
# "N passed, N failed"; the last line of output is their sum, and the exit
# status fails when either test does.
#
#   tests/browser/run.sh                       uses build/ruhu
#   RUHU_BIN=build/ui/ruhu tests/browser/run.sh
#   RUHU_ONLY='X4' tests/browser/run.sh        only the cases whose name matches
#   RUHU_BROWSER_ONLY=a11y tests/browser/run.sh  only those files (ui, badge, a11y)
#
# Screenshots go to tests/out/screenshots/, the server's log to
# tests/out/browser-server.log.
set -u
cd "$(dirname "$0")/../.."
bin=${RUHU_BIN:-build/ruhu}
out=tests/out

fail() {
	echo "$1"
	echo "0 passed, 1 failed"
	exit 1
}

[ -x "$bin" ] || fail "run.sh: no server binary at $bin (build it with make, or set RUHU_BIN)"
command -v node >/dev/null 2>&1 || fail "run.sh: node is not installed (scripts/deps.sh check installs it)"
# playwright-core (pinned in package.json) needs Node.js 20 or newer, and
# Debian 12's own nodejs is 18: then a Node.js 20 comes from the npm
# registry (the node-linux-ARCH package carries the official binary) into
# tests/browser/.node, and the tests run on that.
node=node
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
	pkg="node-linux-$(node -p process.arch)"
	node="$PWD/tests/browser/.node/node_modules/$pkg/bin/node"
	if [ ! -x "$node" ]; then
		echo "run.sh: Node.js $(node -v) is too old for playwright-core; fetching $pkg@20 from npm"
		npm install --no-save --no-audit --no-fund --prefix tests/browser/.node "$pkg@20" >/dev/null ||
			fail "run.sh: could not install $pkg@20 from the npm registry"
	fi
	"$node" -v >/dev/null 2>&1 || fail "run.sh: $node does not run"
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	(cd tests/browser && npm ci --no-audit --no-fund) || fail "run.sh: npm ci failed in tests/browser"
fi

# The demo's data and the cases' "today" are the organisation's day
# (Asia/Shanghai), fixed when the server starts and when a test file
# loads. A run that straddles its midnight (about five minutes) asks
# about a day the demo was not made for: two cases once failed so at
# 23:57. Begun in the last ten minutes of the day, the run waits for the
# next one first.
left=$(( 86400 - $(TZ=Asia/Shanghai date +'(%-H * 3600 + %-M * 60 + %-S)') ))
if [ "$left" -le 600 ]; then
	echo "run.sh: waiting ${left}s for midnight in Asia/Shanghai, so that the run does not straddle the demo's day"
	sleep $((left + 5))
fi

mkdir -p "$out/screenshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ruhu-browser.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	[ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$out/browser-server.log"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: bind port 0, read what the kernel gave, let it go.
port=$("$node" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})') ||
	fail "run.sh: could not find a free port"
url="http://127.0.0.1:$port"

# The public badge check is rate-limited per client address (120 a minute,
# bursts of 30, by default); the browser tests ask it from one address far
# more often than a customer at a door would, so the limit is raised here.
# badge.test.mjs still proves the limit: it floods from a second loopback
# address (127.0.0.2) until it is refused, which leaves 127.0.0.1 alone.
RUHU_PWHASH=min RUHU_LOGIN_BURST=1000 RUHU_PUBLIC_RATE=1200 RUHU_PUBLIC_BURST=300 "$bin" serve --demo --db "$tmp/ui.db" --listen "127.0.0.1:$port" --no-scheduler >"$tmp/server.log" 2>&1 &
pid=$!

# Up to 15 s for /healthz to answer.
if ! "$node" -e '
	const url = process.argv[1] + "/healthz", end = Date.now() + 15000;
	(async () => {
		for (;;) {
			try { if ((await fetch(url)).ok) process.exit(0); } catch {}
			if (Date.now() > end) process.exit(1);
			await new Promise((r) => setTimeout(r, 100));
		}
	})();' "$url"; then
	tail -n 20 "$tmp/server.log"
	fail "run.sh: the server did not answer $url/healthz"
fi
kill -0 "$pid" 2>/dev/null || fail "run.sh: the server exited"

# Each test's output goes through as it comes and is kept, for its last
# line; a test that ends without "N passed, N failed" counts as one failure.
total_passed=0
total_failed=0
summary=""
status=0
for t in ${RUHU_BROWSER_ONLY:-ui badge a11y}; do
	{ "$node" "tests/browser/$t.test.mjs" "$url"; echo $? >"$tmp/$t.rc"; } | tee "$tmp/$t.out"
	rc=$(cat "$tmp/$t.rc" 2>/dev/null || echo 1)
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/$t.out" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed}
	else
		p=0
		f=1
		line="no result line"
	fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$rc" -ne 0 ] || [ "$f" -ne 0 ] && status=1
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	summary="$summary${summary:+; }$t.test.mjs: $line"
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "run.sh: the server exited during $t.test.mjs"
		total_failed=$((total_failed + 1))
		status=1
		break
	fi
done
echo "run.sh: $summary"
echo "$total_passed passed, $total_failed failed"
exit $status
