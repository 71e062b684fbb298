#!/bin/sh
# pg.sh — a throwaway PostgreSQL cluster on loopback, for the tests and
# the benchmark (issue 4). Nothing of the machine's own PostgreSQL is
# touched: the cluster lives in a directory of its own, listens on
# 127.0.0.1 at a free port, and is gone after `stop`.
#
#   tests/pg.sh start DIR    initdb into DIR (made if missing), start the
#                            server, print its base URL on stdout:
#                            postgres://ruhu@127.0.0.1:PORT
#                            (append /DBNAME; `createdb` makes one)
#   tests/pg.sh createdb DIR NAME   a fresh database NAME in that cluster
#   tests/pg.sh stop DIR     stop the server at once and remove DIR
#
# RUHU_PGPORT, when set, is the port to listen at instead of a free one
# picked at random (a machine that gives a test run only some ports).
#
# PostgreSQL refuses to run as root, and CI runs as root: then initdb and
# the server run as the `postgres` user (runuser), and DIR is handed to
# it. The cluster trusts loopback connections (it holds test data only,
# and listens nowhere else). Durability is off (fsync, full pages): a
# crash of a test cluster loses nothing anyone needs, and the tests run
# several times faster.
set -eu

die() { echo "pg.sh: $*" >&2; exit 1; }

bindir() {
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	die "no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb); scripts/deps.sh check installs it"
}

# as_pg CMD… — runs CMD as the cluster's owner
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
	python3 - 2>/dev/null <<'EOF' || echo $((20000 + $$ % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
EOF
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: pg.sh start|createdb|stop DIR [NAME]"
bin=$(bindir)

case "$cmd" in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "no postgres user to run the server as"
		chown postgres "$dir"
		chmod 700 "$dir"
	fi
	as_pg "$bin/initdb" -D "$dir/data" -U ruhu -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	port=${RUHU_PGPORT:-$(free_port)}
	# shellcheck disable=SC2016 # the options are for postgres, not the shell
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
		"-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off \
		 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
		 -c shared_buffers=128MB" start >"$dir/pg_ctl.log" 2>&1 ||
		{ cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null; die "the server did not start"; }
	echo "$port" >"$dir/port"
	echo "postgres://ruhu@127.0.0.1:$port"
	;;
createdb)
	name=${3:-}
	[ -n "$name" ] || die "usage: pg.sh createdb DIR NAME"
	port=$(cat "$dir/port") || die "no cluster in $dir"
	"$bin/createdb" -h 127.0.0.1 -p "$port" -U ruhu -T template0 -E UTF8 --locale=C.UTF-8 "$name"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*) die "unknown command $cmd (start, createdb, stop)" ;;
esac
