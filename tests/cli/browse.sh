#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `kho-inspect browse`: drives the real binary inside tmux on images built by
# kho-mkimage.  Expected values come from the scenarios and from
# kho-mkimage --layout (addresses, file offsets), never from a recording of
# kho-inspect's own screens.
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"

SOCK="kho-browse-$$"
tm() { tmux -L "$SOCK" "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# screen NAME: the visible pane as text.
screen() { tm capture-pane -p -t "$1" 2>/dev/null; }

# wait_for NAME STRING: poll (bounded) until the screen shows STRING.
wait_for() {
	i=0
	while [ "$i" -lt 100 ]; do
		if screen "$1" | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_file FILE: poll (bounded) until FILE exists and is not empty.
wait_file() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ -s "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start NAME COLS ROWS IMAGE [ENV...]: browse IMAGE in a new session; the
# exit status goes to $T/NAME.rc when the browser ends.
start() {
	n=$1 w=$2 h=$3 img=$4
	shift 4
	rm -f "$T/$n.rc"
	tm new-session -d -x "$w" -y "$h" -s "$n" \
		"env $* '$KI' browse '$img'; echo \$? >'$T/$n.rc'; sleep 600"
}

stop() { tm kill-session -t "$1" >/dev/null 2>&1; }

# show NAME: the screen, indented, after a failure.
show() { screen "$1" | sed 's/^/    | /'; }

# right NAME: the right pane (text after the first '|' on each line).
right() { screen "$1" | awk '{ i = index($0, "|"); print (i ? substr($0, i + 1) : "") }'; }

layout_get() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
layout_obj() { awk -v k="$2" -v f="$3" '$1 == "obj" && $2 == k { print $f; exit }' "$1"; }

if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed"
	finish
	exit $?
fi

# ------------------------------------------------------------ the images
SESS=browse-vm7
mkimg good "# browse test: one session with a memfd
generation = g3
[luo]
version = v1
session_format = v2
serialized = yes
liveupdate_num = 1
[session $SESS]
[file]
compatible = memfd-v1
token = 77
size = 8192
folios = 2 x order0 flags 1" --layout="$T/good.layout" || { finish; exit 1; }

mkimg broken "# browse test: an order-0 block inside an order-1 block
generation = g4
preserve 0x123460000 1
preserve 0x123461000 0" --layout="$T/broken.layout" || { finish; exit 1; }

GOOD="$T/good.img"
ROOT_COMPAT=$(layout_get "$T/good.layout" root_compatible)
GEN=$(layout_get "$T/good.layout" generation)
PS=$(($(layout_get "$T/good.layout" page_size)))
check "layout names the root compat" [ -n "$ROOT_COMPAT" ]

# ------------------------------------------------- no terminal: refused
"$KI" browse "$GOOD" </dev/null >"$T/nt.out" 2>"$T/nt.err"
rc=$?
check "no tty: exit 2 (got $rc)" [ "$rc" -eq 2 ]
contains "no tty: message" "$T/nt.err" "kho-inspect: browse needs a terminal"
"$KI" browse "$GOOD" 2>"$T/nt2.err" | cat >/dev/null
contains "stdout not a tty: message" "$T/nt2.err" "browse needs a terminal"

# ----------------------------------------- first screen, search, g, q
start main 120 40 "$GOOD"
if wait_for main "$ROOT_COMPAT"; then ok; else
	fail "first screen shows the root compat $ROOT_COMPAT"
	show main
fi
if screen main | tail -n 1 | grep -qi -- "$GEN"; then ok; else
	fail "status line shows the generation $GEN"
	show main
fi
if screen main | tail -n 1 | grep -qF "good.img"; then ok; else
	fail "status line shows the image path"
fi
# The session is collapsed away at first: searching must reveal and select it.
tm send-keys -t main /
tm send-keys -t main -l "$SESS"
tm send-keys -t main Enter
i=0
while [ $i -lt 100 ] && ! right main | head -n 1 | grep -qF -- "$SESS"; do
	sleep 0.1
	i=$((i + 1))
done
if right main | head -n 1 | grep -qF -- "$SESS"; then ok; else
	fail "search selects session $SESS"
	show main
fi
if screen main | awk '{ i = index($0, "|"); print (i ? substr($0, 1, i - 1) : $0) }' |
	grep -qF -- "$SESS"; then ok; else
	fail "search reveals $SESS in the tree"
fi

# g: the second page of the session's file array, compared with od.
FPHYS=$(layout_obj "$T/good.layout" "session[0].files" 3)
FOFF=$(layout_obj "$T/good.layout" "session[0].files" 6)
FSIZE=$(layout_obj "$T/good.layout" "session[0].files" 4)
check "layout lists the file array" [ -n "$FPHYS" ] && [ -n "$FOFF" ]
ADDR=$((FPHYS + FSIZE - PS + 0x10))
PAGE=$((ADDR / PS * PS))
ADDRX=$(printf '0x%x' "$ADDR")
tm send-keys -t main g
tm send-keys -t main -l "$ADDRX"
tm send-keys -t main Enter
PAGEX=$(printf '%x' "$PAGE")
if wait_for main "$ADDRX"; then ok; else fail "g $ADDRX"; show main; fi
# Every hex line on screen: 0xADDR b0 b1 ... -> compare with the file.
right main | awk '$1 ~ /^0x[0-9a-f]+$/ { print }' >"$T/hex.txt"
lines=0
bad=0
prev=""
bpl=0
while read -r a rest; do
	if [ -n "$prev" ] && [ "$bpl" -eq 0 ]; then
		bpl=$((a - prev))
	fi
	prev=$a
done <"$T/hex.txt"
[ "$bpl" -gt 0 ] || bpl=16
while read -r a rest; do
	av=$((a))
	if [ "$av" -lt "$PAGE" ] || [ "$av" -ge $((PAGE + PS)) ]; then
		bad=$((bad + 1))
		continue
	fi
	got=$(printf '%s\n' "$rest" | awk -v n="$bpl" '{ s = ""; for (i = 1; i <= n; i++) s = s $i " "; print s }')
	want=$(od -An -v -tx1 -j $((FOFF + av - FPHYS)) -N "$bpl" "$GOOD" |
		tr -s ' \n' '  ' | sed 's/^ //')
	if [ "$got" != "$want" ]; then
		fail "hex line $a: '$got' != od '$want'"
		bad=$((bad + 1))
	fi
	lines=$((lines + 1))
done <"$T/hex.txt"
check "g shows hex lines of page 0x$PAGEX ($lines lines)" [ "$lines" -ge 8 ]
check "hex lines outside page 0x$PAGEX or differing from od: $bad" [ "$bad" -eq 0 ]
if right main | grep -qF "$ADDRX"; then ok; else fail "the address line is on screen"; fi

# g on memory the image does not hold, and beyond the physical limit
tm send-keys -t main g
tm send-keys -t main -l 0x7770000000
tm send-keys -t main Enter
if wait_for main "0x7770000000 is not captured"; then ok; else
	fail "g uncaptured address"
	show main
fi
tm send-keys -t main g
tm send-keys -t main -l fff0000000000000
tm send-keys -t main Enter
if wait_for main "outside the image's physical ranges"; then ok; else
	fail "g address beyond the physical ranges"
	show main
fi

tm send-keys -t main q
if wait_file "$T/main.rc"; then
	check "q exits 0 (got $(cat "$T/main.rc"))" [ "$(cat "$T/main.rc")" = 0 ]
else
	fail "q does not end the browser"
fi
stop main

# ------------------------------------------------- f on a broken image
"$KI" check "$T/broken.img" | awk '/^\[/ { print $2 }' | sort -u >"$T/ids"
FIRST_PATH=$("$KI" check "$T/broken.img" | awk '/^\[/ { print $3; exit }')
check "the broken image has findings" [ -s "$T/ids" ]
start brk 120 40 "$T/broken.img"
wait_for brk "findings" || true
tm send-keys -t brk f
if wait_for brk "$(head -n 1 "$T/ids")"; then ok; else fail "f lists findings"; fi
while read -r id; do
	if screen brk | grep -qF -- "$id"; then ok; else
		fail "f lists $id"
		show brk
	fi
done <"$T/ids"
# Enter goes to the object of the first finding and closes the list.
tm send-keys -t brk Enter
i=0
while [ $i -lt 100 ] && ! right brk | grep -qF -- "$FIRST_PATH"; do
	sleep 0.1
	i=$((i + 1))
done
if right brk | grep -qF -- "$FIRST_PATH" &&
	! screen brk | tail -n 1 | grep -qF "Esc: close"; then ok; else
	fail "Enter in the findings list goes to $FIRST_PATH"
	show brk
fi
tm send-keys -t brk q
wait_file "$T/brk.rc" && check "q exits 0 on a broken image" [ "$(cat "$T/brk.rc")" = 0 ]
stop brk

# Colour: severities are coloured, and NO_COLOR turns it off.
start col 120 40 "$T/broken.img"
wait_for col "findings" || true
if tm capture-pane -p -e -t col | grep -q "$(printf '\033')\[[0-9;]*3[1-6]m"; then ok; else
	fail "severities are coloured"
fi
stop col
start nocol 120 40 "$T/broken.img" NO_COLOR=1
wait_for nocol "findings" || true
if tm capture-pane -p -e -t nocol | grep -q "$(printf '\033')\[[0-9;]*3[1-6]m"; then
	fail "NO_COLOR still shows colours"
else ok; fi
stop nocol

# ------------------------------------------------------------- 80 x 24
start small 80 24 "$GOOD"
if wait_for small "$ROOT_COMPAT"; then ok; else fail "80x24: root compat"; show small; fi
screen small >"$T/small.txt"
check "80x24: 24 lines" [ "$(wc -l <"$T/small.txt")" -eq 24 ]
check "80x24: no line wider than 80" [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/small.txt")" -le 80 ]
if tail -n 1 "$T/small.txt" | grep -qF "finding"; then ok; else fail "80x24: status line"; show small; fi
# The hex view still fits: every hex line holds whole bytes.
if right small | awk '$1 ~ /^0x/ { n++ } END { exit !(n > 0) }'; then ok; else
	fail "80x24: hex view of the root"
	show small
fi

# ----------------------------------------------------------- resize
tm resize-window -t small -x 100 -y 30 >/dev/null 2>&1
i=0
while [ $i -lt 100 ] && [ "$(screen small | wc -l)" -ne 30 ]; do sleep 0.1; i=$((i + 1)); done
screen small >"$T/big.txt"
check "resize: 30 lines" [ "$(wc -l <"$T/big.txt")" -eq 30 ]
if tail -n 1 "$T/big.txt" | grep -qF "finding"; then ok; else
	fail "resize: status line on the new last line"
	show small
fi
if grep -qF "$ROOT_COMPAT" "$T/big.txt"; then ok; else fail "resize: tree redrawn"; fi
tm resize-window -t small -x 70 -y 20 >/dev/null 2>&1
i=0
while [ $i -lt 100 ] && [ "$(screen small | wc -l)" -ne 20 ]; do sleep 0.1; i=$((i + 1)); done
screen small >"$T/tiny.txt"
if tail -n 1 "$T/tiny.txt" | grep -qF "finding" &&
	[ "$(grep -c "finding" "$T/tiny.txt")" -eq 1 ]; then ok; else
	fail "resize smaller: one clean status line"
	sed 's/^/    | /' "$T/tiny.txt"
fi
tm send-keys -t small q
wait_file "$T/small.rc" && check "q exits 0 after a resize" [ "$(cat "$T/small.rc")" = 0 ]
stop small

finish
