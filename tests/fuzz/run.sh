#!/bin/sh
# run.sh [SECONDS] — builds the libFuzzer targets with clang (ASan + UBSan)
# and runs each for SECONDS (default 15), starting from the committed seed
# corpus in tests/fuzz/corpus/TARGET. New inputs go to tests/out/fuzz/,
# crashes to tests/out/fuzz/crash-*. `make fuzz` runs them for longer.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-15}
B=build/fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
out=tests/out/fuzz
mkdir -p "$out"
if ! make -s B=$B CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san" \
	LDFLAGS="$san" $B/libruhu.a >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
libs="$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter libmagic libqrencode expat zlib) -lcsv -lpthread -lm"
passed=0
failed=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	target=${name#fuzz_}
	exe=$B/$name
	# shellcheck disable=SC2086
	if ! clang -std=c17 -D_GNU_SOURCE -O1 -g -Isrc -I$B/gen -fsanitize=fuzzer $san \
		$(pkg-config --cflags jansson) -o "$exe" "$src" $B/libruhu.a $libs >"$out/$name.build.log" 2>&1; then
		cat "$out/$name.build.log"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$out/$target"
	if "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash-$target-" "$out/$target" "tests/fuzz/corpus/$target" >"$out/$name.log" 2>&1; then
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
		echo "$name: ${runs:-?} inputs in ${secs}s, no failure"
		passed=$((passed + 1))
	else
		echo "FAIL $name: see $out/$name.log"
		grep -E 'ERROR|runtime error|==[0-9]+==' "$out/$name.log" | head -n 10
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
