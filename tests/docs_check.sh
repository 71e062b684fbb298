#!/bin/sh
# docs_check.sh — the documentation stays true: every route in the route
# table (src/http/routes.c) has its section in docs/api.md, and every
# section there is a route that exists; every RUHU_* setting the program
# reads is in docs/configuration.md; every error code is in the error
# table; the README shows the two commands.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

routes=$(sed -n 's/^[[:space:]]*{ "\([A-Z]*\)", "\([^"]*\)".*/\1 \2/p' src/http/routes.c)
echo "$routes" | while read -r m p; do
	grep -qF "### $m $p" docs/api.md || echo "MISSING $m $p"
done >tests/out/docs-missing.txt
if [ -s tests/out/docs-missing.txt ]; then bad "routes without a section in docs/api.md:"; sed 's/^/  /' tests/out/docs-missing.txt; else ok; fi

grep '^### [A-Z]* /' docs/api.md | sed 's/^### //' | while read -r m p; do
	echo "$routes" | grep -qxF "$m $p" || echo "STALE $m $p"
done >tests/out/docs-stale.txt
if [ -s tests/out/docs-stale.txt ]; then bad "docs/api.md documents routes that do not exist:"; sed 's/^/  /' tests/out/docs-stale.txt; else ok; fi

for v in $(grep -rhoE '"RUHU_[A-Z_]+"' src | tr -d '"' | sort -u); do
	grep -q "$v" docs/configuration.md || echo "$v"
done >tests/out/docs-settings.txt
if [ -s tests/out/docs-settings.txt ]; then bad "settings missing from docs/configuration.md:"; sed 's/^/  /' tests/out/docs-settings.txt; else ok; fi

# every error code (src/core/error.c) in the error table
for c in $(sed -n 's/^[[:space:]]*{ RH_[A-Z_]*, "\([a-z_]*\)".*/\1/p' src/core/error.c); do
	[ "$c" = ok ] || grep -q "| .*\`$c\`" docs/api.md || echo "$c"
done >tests/out/docs-errors.txt
if [ -s tests/out/docs-errors.txt ]; then bad "error codes missing from docs/api.md's table:"; sed 's/^/  /' tests/out/docs-errors.txt; else ok; fi
if grep -q 'make demo' README.md && grep -q 'make check' README.md; then ok; else bad "README.md must show make demo and make check"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
