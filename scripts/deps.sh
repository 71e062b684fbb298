#!/bin/sh
# deps.sh GOAL — installs the Debian packages ruhu needs for GOAL, if any
# are missing: build (compile and run), check (every test), bench.
# Uses apt-get as root, or through sudo. Installs nothing when all is there.
set -eu
goal=${1:-build}

build="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libcsv-dev libxlsxwriter-dev libmagic-dev libqrencode-dev libexpat1-dev zlib1g-dev"
case "$goal" in
	build) want="$build" ;;
	check) want="$build libcurl4-openssl-dev clang libclang-rt-14-dev sqlite3 postgresql postgresql-contrib nginx-light chromium fonts-noto-cjk curl procps" ;;
	bench) want="$build wrk nginx-light sqlite3 postgresql postgresql-contrib curl procps" ;;
	*) echo "deps.sh: unknown goal $goal (build, check, bench)" >&2; exit 2 ;;
esac
# Browser tests need Node.js; a machine that already has one keeps it.
if [ "$goal" = check ] && ! command -v node >/dev/null 2>&1; then want="$want nodejs npm"; fi

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
	echo "deps.sh: need root or sudo to install:$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
