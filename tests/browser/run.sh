#!/bin/sh
# run.sh — the browser tests of the web UI: starts the server with the demo
# data on a fresh database and a free port, runs ui.test.mjs against it
# with the system Chromium, stops the server. The last line of output is
# the test's "N passed, N failed"; the exit status is the test's.
#
#   tests/browser/run.sh                       uses build/ruhu
#   RUHU_BIN=build/ui/ruhu tests/browser/run.sh
#   RUHU_ONLY='X4' tests/browser/run.sh        only the cases whose name matches
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

RUHU_PWHASH=min RUHU_LOGIN_BURST=1000 "$bin" serve --demo --db "$tmp/ui.db" --listen "127.0.0.1:$port" --no-scheduler >"$tmp/server.log" 2>&1 &
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

"$node" tests/browser/ui.test.mjs "$url"
exit $?
