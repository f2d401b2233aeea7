#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`: build large hand-over images with kho-mkimage, time
# `kho-inspect check` on each and compare it with a plain read of the same
# file (`cat IMAGE >/dev/null`, page cache warm) in the same run.
#
# Shapes (tests/scenarios/bench/bench-*.scn), each at size N and 2N:
#   memfd-16M  one memfd with 16,777,216 order-0 folios (256 MiB folio array)
#   sessions   2000 LUO sessions, one of them holding 500 files
#   huge       1 TiB preserved in 2 MiB folios
#
# Columns: image, file size, median read time, median check time (5 runs
# each), check/read ratio, peak RSS of check, peak RSS minus the image's
# metadata (the captured bytes of its PT_LOAD segments), and on 2N rows the
# 2N/N check-time ratio (2.00 is linear growth).
#
# Goals: ratio <= 2, RSS-minus-metadata < 64 MiB, scaling within 10 % of
# 2.00.  Figures are printed, never asserted: this is not a test.
#
# Dump formats: the same dump as an ELF core (mapped, libelf) and
# kdump-compressed (libkdumpfile, zlib), `check --scan` on each (the scan
# reads every page): the memfd-16M image and tests/cli/mkdiskdump.py's
# conversion of it, and, when `make vmtest KEEP=1` left them in
# build/vmtest/run, QEMU's ELF and -z dumps of the real 7.2 handover.
# KDUMP_RUNS (default 3) runs each.  No RSS-minus-metadata column: a VM
# dump's PT_LOADs are all of its memory, not metadata.
#
# Environment: B (build directory, default build), RUNS (default 5),
# BENCH_SHAPES (default "memfd-16M sessions huge"), BENCH_DIR (default
# $B/bench; images are kept there and rebuilt only when missing or older
# than kho-mkimage or their scenario).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$top/build}
KI="$B/kho-inspect"
MK="$B/kho-mkimage"
RUNS=${RUNS:-5}
KDUMP_RUNS=${KDUMP_RUNS:-3}
DIR=${BENCH_DIR:-$B/bench}
SHAPES=${BENCH_SHAPES:-"memfd-16M sessions huge"}
S="$top/tests/scenarios/bench"
unset KHO_INSPECT_PLUGIN_PATH

for t in "$KI" "$MK"; do
	[ -x "$t" ] || { echo "bench: $t missing (run make)" >&2; exit 2; }
done
mkdir -p "$DIR"

# Nanosecond clock: GNU date, else python3.
now_ns() {
	if [ "${_date_ns:-}" = yes ]; then
		date +%s%N
	else
		python3 -c 'import time; print(time.time_ns())'
	fi
}
case $(date +%s%N 2>/dev/null) in
*N* | '') _date_ns=no ;;
*) _date_ns=yes ;;
esac

# Peak RSS: GNU time, else python3's getrusage of the child.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	rss_kib() { # rss_kib CMD...: runs CMD (stdout discarded), prints KiB
		/usr/bin/time -f %M -o "$DIR/.rss" "$@" >/dev/null 2>&1 || :
		tail -n 1 "$DIR/.rss"
	}
else
	rss_kib() {
		python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
	}
fi

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# time_ns CMD...: one run, stdout and stderr discarded; prints ns.
time_ns() {
	t0=$(now_ns)
	"$@" >/dev/null 2>&1 || :
	t1=$(now_ns)
	echo $((t1 - t0))
}

# Captured bytes: sum of the PT_LOAD file sizes (readelf), else file size.
meta_bytes() {
	if command -v readelf >/dev/null 2>&1; then
		sum=0
		for fs in $(readelf -lW "$1" 2>/dev/null |
			awk '$1 == "LOAD" { print $5 }'); do
			sum=$((sum + fs))
		done
		[ "$sum" -gt 0 ] && { echo "$sum"; return; }
	fi
	wc -c <"$1" | tr -d ' '
}

# build NAME SCENARIO [-s KEY=VALUE...]
build() {
	name=$1
	scn=$2
	shift 2
	img="$DIR/$name.img"
	if [ -f "$img" ] && [ "$img" -nt "$MK" ] && [ "$img" -nt "$scn" ]; then
		return 0
	fi
	echo "bench: building $name" >&2
	"$MK" "$scn" -o "$img.tmp" "$@" && mv "$img.tmp" "$img"
}

# measure NAME [PREV_CHECK_NS]: prints one table row, sets LAST_CHECK.
measure() {
	name=$1
	prev=${2:-}
	img="$DIR/$name.img"
	cat "$img" >/dev/null # warm the page cache
	cat "$img" >/dev/null
	"$KI" check "$img" >/dev/null 2>&1 || :
	st=0
	"$KI" check "$img" >"$DIR/$name.check" 2>&1 || st=$?
	if [ "$st" -gt 1 ]; then
		echo "bench: kho-inspect check $name failed (exit $st)" >&2
		sed 's/^/    | /' "$DIR/$name.check" | tail -n 5 >&2
	fi
	i=0
	: >"$DIR/.read"
	: >"$DIR/.check"
	while [ "$i" -lt "$RUNS" ]; do
		time_ns cat "$img" >>"$DIR/.read"
		time_ns "$KI" check "$img" >>"$DIR/.check"
		i=$((i + 1))
	done
	rd=$(median <"$DIR/.read")
	ck=$(median <"$DIR/.check")
	rss=$(rss_kib "$KI" check "$img")
	size=$(wc -c <"$img" | tr -d ' ')
	meta=$(meta_bytes "$img")
	LAST_CHECK=$ck
	awk -v n="$name" -v sz="$size" -v rd="$rd" -v ck="$ck" -v rss="$rss" \
		-v meta="$meta" -v prev="$prev" 'BEGIN {
		sc = prev == "" ? "-" : sprintf("%.2f", ck / prev);
		printf "%-14s %9.1f %9.4f %9.4f %7.2f %11.1f %13.1f %9s\n",
			n, sz / 1048576, rd / 1e9, ck / 1e9, ck / rd,
			rss / 1024, rss / 1024 - meta / 1048576, sc }'
}

# measure_dump LABEL FILE: one row for `check --scan FILE`.
measure_dump() {
	label=$1
	f=$2
	cat "$f" >/dev/null
	st=0
	"$KI" check --scan "$f" >"$DIR/$label.check" 2>&1 || st=$?
	[ "$st" -le 1 ] || {
		echo "bench: kho-inspect check --scan $label failed (exit $st)" >&2
		sed 's/^/    | /' "$DIR/$label.check" | tail -n 5 >&2
	}
	i=0
	: >"$DIR/.read"
	: >"$DIR/.check"
	while [ "$i" -lt "$KDUMP_RUNS" ]; do
		time_ns cat "$f" >>"$DIR/.read"
		time_ns "$KI" check --scan "$f" >>"$DIR/.check"
		i=$((i + 1))
	done
	rd=$(median <"$DIR/.read")
	ck=$(median <"$DIR/.check")
	rss=$(rss_kib "$KI" check --scan "$f")
	size=$(wc -c <"$f" | tr -d ' ')
	awk -v n="$label" -v sz="$size" -v rd="$rd" -v ck="$ck" -v rss="$rss" \
		'BEGIN {
		printf "%-16s %9.1f %9.4f %9.4f %7.2f %11.1f\n",
			n, sz / 1048576, rd / 1e9, ck / 1e9, ck / rd, rss / 1024 }'
}

# shape SHAPE: sets scn (scenario) and set2, set2b (-s overrides for 2N).
shape() {
	case $1 in
	memfd-16M)
		scn="$S/bench-memfd.scn"
		set2="file:folios=33554432 x order0"
		;;
	sessions)
		scn="$S/bench-sessions.scn"
		set2="luo:sessions=3999 x vm%d files 1 x memfd-v2"
		set2b="session big:files=1000 x memfd-v2 folios 16"
		;;
	huge)
		scn="$S/bench-huge.scn"
		set2="file:folios=1048576 x order9"
		;;
	*)
		echo "bench: unknown shape $1" >&2
		exit 2
		;;
	esac
}

for sh in $SHAPES; do
	set2b=""
	shape "$sh"
	build "$sh" "$scn"
	if [ -n "$set2b" ]; then
		build "$sh-2N" "$scn" -s "$set2" -s "$set2b"
	else
		build "$sh-2N" "$scn" -s "$set2"
	fi
done

echo "kho-inspect check vs. plain read (median of $RUNS runs, cache warm)"
printf '%-14s %9s %9s %9s %7s %11s %13s %9s\n' image 'size(MiB)' 'read(s)' \
	'check(s)' ratio 'peakRSS(MiB)' 'RSS-meta(MiB)' 'N->2N'
for sh in $SHAPES; do
	measure "$sh"
	measure "$sh-2N" "$LAST_CHECK"
done
for sh in $SHAPES; do
	for v in "$sh" "$sh-2N"; do
		printf '%-14s %s\n' "$v" "$(grep '^summary:' "$DIR/$v.check" || echo '(no summary)')"
	done
done

# ---------------------------------------------------------- dump formats
kd=$DIR/memfd-16M.kdump
[ -f "$DIR/memfd-16M.img" ] || build memfd-16M "$S/bench-memfd.scn"
if [ ! -f "$kd" ] || [ "$DIR/memfd-16M.img" -nt "$kd" ]; then
	echo "bench: converting memfd-16M to kdump-compressed" >&2
	python3 "$top/tests/cli/mkdiskdump.py" "$DIR/memfd-16M.img" "$kd.tmp" &&
		mv "$kd.tmp" "$kd"
fi
echo
echo "dump formats: kho-inspect check --scan (median of $KDUMP_RUNS runs, cache warm)"
printf '%-16s %9s %9s %9s %7s %11s\n' dump 'size(MiB)' 'read(s)' \
	'check(s)' ratio 'peakRSS(MiB)'
labels="memfd-16M.elf memfd-16M.kdump"
measure_dump memfd-16M.elf "$DIR/memfd-16M.img"
[ -f "$kd" ] && measure_dump memfd-16M.kdump "$kd"
run=$B/vmtest/run
if [ -f "$run/out.elf" ] && [ -f "$run/out.kdump-z" ]; then
	labels="$labels vmtest.elf vmtest.kdump-z"
	measure_dump vmtest.elf "$run/out.elf"
	measure_dump vmtest.kdump-z "$run/out.kdump-z"
else
	echo "(no build/vmtest/run/out.elf and out.kdump-z: run make vmtest KEEP=1 for the real dump)"
fi
for v in $labels; do
	printf '%-16s %s\n' "$v" "$(grep '^summary:' "$DIR/$v.check" || echo '(no summary)')"
done
