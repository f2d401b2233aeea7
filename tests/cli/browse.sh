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

# tree NAME: the left pane (text before the first '|' on each line).
tree() { screen "$1" | awk '{ i = index($0, "|"); print (i ? substr($0, 1, i - 1) : $0) }'; }

# wait_head NAME STRING: poll (bounded) until the right pane's first line,
# the heading of what is selected, holds STRING.
wait_head() {
	i=0
	while [ "$i" -lt 100 ]; do
		if right "$1" | head -n 1 | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# poll CMD...: retry CMD (bounded) until it succeeds; for what a screen
# shows once it has settled (a redraw may reach tmux in pieces).
poll() {
	j=0
	while [ "$j" -lt 50 ]; do
		"$@" && return 0
		sleep 0.1
		j=$((j + 1))
	done
	return 1
}

# right_has NAME STRING: the right pane shows STRING.
right_has() { right "$1" | grep -qF -- "$2"; }
# tree_has NAME STRING: the left pane shows STRING.
tree_has() { tree "$1" | grep -qF -- "$2"; }
# status_has NAME STRING: the status line shows STRING.
status_has() { screen "$1" | tail -n 1 | grep -qF -- "$2"; }

# has_line NAME TEXT: the right pane has a line that is exactly TEXT
# (leading and trailing blanks aside).
has_line() {
	right "$1" | awk -v t="$2" '{ sub(/^ +/, ""); sub(/ +$/, "") } $0 == t { f = 1 } END { exit !f }'
}

layout_get() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
layout_obj() { awk -v k="$2" -v f="$3" '$1 == "obj" && $2 == k { print $f; exit }' "$1"; }

if ! command -v tmux >/dev/null 2>&1; then
	skip "browse: tmux is not installed, every browse check skipped"
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
# The file array is one preserved block of the order the layout gives, so
# the page names that block (asked of the memory map through the session).
FORDER=$(layout_obj "$T/good.layout" "session[0].files" 5)
check "layout gives the file array's order" [ -n "$FORDER" ]
FBLOCK=$(printf 'preserved block 0x%x order %d' "$((FPHYS))" "$((FORDER))")
if poll has_line main "$FBLOCK"; then ok; else
	fail "g $ADDRX: '$FBLOCK'"
	show main
fi

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
# An empty NO_COLOR is not a request (no-color.org): colours stay.
start emptync 120 40 "$T/broken.img" NO_COLOR=
wait_for emptync "findings" || true
if tm capture-pane -p -e -t emptync | grep -q "$(printf '\033')\[[0-9;]*3[1-6]m"; then ok; else
	fail "an empty NO_COLOR turned colours off"
fi
stop emptync

# ------------------------------- a file, its memfd and its folios (Right)
# Two files in one session; the second has an order-2 folio and two order-0
# folios, so the folio indices are 0, 4 and 5 (each follows the previous
# one).  Their pfns and orders come from the layout: the memfd's folio[0]
# object and the preserved blocks that follow it.
CSESS=browse-chain
CTOK=4242
mkimg chain "# browse test: follow a file to its memfd and its folios
generation = g4
[luo]
version = v5
serialized = yes
[session $CSESS]
[file]
compatible = memfd-v2
token = 5
folios = 1 x order0
[file]
compatible = memfd-v2
token = $CTOK
folios = 1 x order2 flags 1
folios = 2 x order0 flags 1" --layout="$T/chain.layout" || { finish; exit 1; }
CIDX="0 4 5"
MPHYS=$(layout_obj "$T/chain.layout" "session[0].file[1].memfd" 3)
F0=$(layout_obj "$T/chain.layout" "session[0].file[1].memfd.folio[0]" 3)
check "layout lists the memfd and its first folio" [ -n "$MPHYS" ] && [ -n "$F0" ]
MPHYSX=$(printf '0x%x' "$MPHYS")
CROOT=$(layout_get "$T/chain.layout" root_compatible)
# "pfn order" of each folio: the blocks from folio[0] on, in address order.
awk '$1 == "block" { print $2, $3 }' "$T/chain.layout" |
	while read -r p o; do
		[ $((p)) -ge $((F0)) ] && printf '0x%x %s\n' $((p / PS)) "$o"
	done | head -n 3 >"$T/folios.want"
check "layout: three folio blocks ($(wc -l <"$T/folios.want"))" [ "$(wc -l <"$T/folios.want")" -eq 3 ]

start chain 160 40 "$T/chain.img"
wait_for chain "$CROOT" || true
tm send-keys -t chain /
tm send-keys -t chain -l "$CTOK"
tm send-keys -t chain Enter
if wait_head chain "luo-file $CTOK"; then ok; else
	fail "search $CTOK selects the luo file"
	show chain
fi
if poll right_has chain "path: /LUO/sessions/$CSESS/$CTOK"; then ok; else
	fail "the luo file is in session $CSESS"
fi
if poll right_has chain "data: $MPHYSX -> "; then ok; else
	fail "the file's data field points at the memfd ($MPHYSX)"
	show chain
fi
# Right expands, Right again goes to the first child: the memfd.
tm send-keys -t chain Right Right
if wait_head chain "memfd memfd-v2"; then ok; else
	fail "Right Right: the file's memfd"
	show chain
fi
if poll has_line chain "phys: $MPHYSX, size 48 B"; then ok; else
	fail "the memfd is at $MPHYSX"
	show chain
fi
if poll right_has chain "path: /LUO/sessions/$CSESS/$CTOK/memfd"; then ok; else
	fail "the memfd's path"
fi
# The memfd's first child is its folio table.
tm send-keys -t chain Right Right
if wait_head chain "table folios"; then ok; else
	fail "Right Right: the folio table"
	show chain
fi
if poll tree_has chain "+ folios (3 rows)"; then ok; else
	fail "the tree shows 'folios (3 rows)', collapsed"
	show chain
fi
tm send-keys -t chain Right Right
k=0
for idx in $CIDX; do
	read -r pfn ord <<EOF
$(sed -n "$((k + 1))p" "$T/folios.want")
EOF
	if wait_head chain "folios row $k of 3"; then ok; else
		fail "folio row $k selected"
		show chain
	fi
	for want in "index: $idx" "pfn: $pfn" "order: $ord" "flags: 0x1"; do
		if poll has_line chain "$want"; then ok; else
			fail "folio row $k: '$want'"
			show chain
		fi
	done
	if poll tree_has chain "#$k index=$idx pfn=$pfn"; then ok; else
		fail "tree line of folio row $k: #$k index=$idx pfn=$pfn"
		show chain
	fi
	tm send-keys -t chain Down
	k=$((k + 1))
done
tm send-keys -t chain q
wait_file "$T/chain.rc" && check "q exits 0 after the folios" [ "$(cat "$T/chain.rc")" = 0 ]
stop chain

# ---------------------- Enter on a pointer field; b and Backspace go back
start ptr 120 40 "$T/chain.img"
wait_for ptr "$CROOT" || true
if wait_head ptr "kho-root"; then ok; else fail "the root is selected at start"; show ptr; fi
tm send-keys -t ptr b
if wait_for ptr "no earlier place to go back to"; then ok; else
	fail "b with no jump behind"
	show ptr
fi
tm send-keys -t ptr /
tm send-keys -t ptr -l "$CTOK"
tm send-keys -t ptr Enter
wait_head ptr "luo-file $CTOK" || { fail "search $CTOK (pointer test)"; show ptr; }
# Tab to the right pane, down to the data field, Enter.
poll right_has ptr "data: $MPHYSX" || true
n=$(right ptr | awk '/^ *data: 0x/ { print NR; exit }')
check "the data field is on screen" [ -n "$n" ]
tm send-keys -t ptr Tab
i=1
while [ "$i" -lt "${n:-1}" ]; do
	tm send-keys -t ptr Down
	i=$((i + 1))
done
tm send-keys -t ptr Enter
if wait_head ptr "memfd memfd-v2"; then ok; else
	fail "Enter on data: goes to the memfd"
	show ptr
fi
if poll has_line ptr "phys: $MPHYSX, size 48 B" &&
	poll right_has ptr "path: /LUO/sessions/$CSESS/$CTOK/memfd"; then ok; else
	fail "Enter on data: the memfd at $MPHYSX"
	show ptr
fi
if poll status_has ptr "jumped to /LUO/sessions/$CSESS/$CTOK/memfd"; then ok; else
	fail "Enter on data: status line names the memfd"
	show ptr
fi
# b: back to the file (the pointer jump), then to the root (the search).
tm send-keys -t ptr b
if wait_head ptr "luo-file $CTOK"; then ok; else
	fail "b: back to the luo file"
	show ptr
fi
if poll status_has ptr "back to /LUO/sessions/$CSESS/$CTOK"; then ok; else
	fail "b: status line says where it went back to"
	show ptr
fi
tm send-keys -t ptr BSpace
if wait_head ptr "kho-root"; then ok; else
	fail "Backspace: back to the root (before the search)"
	show ptr
fi
# g then Backspace: back from the page to the object.
GADDR=$(printf '0x%x' $((MPHYS + 0x10)))
tm send-keys -t ptr g
tm send-keys -t ptr -l "$GADDR"
tm send-keys -t ptr Enter
if wait_head ptr "address $GADDR"; then ok; else fail "g $GADDR"; show ptr; fi
if poll right_has ptr "in: /LUO/sessions/$CSESS/$CTOK/memfd"; then ok; else
	fail "g $GADDR: in the memfd"
	show ptr
fi
tm send-keys -t ptr BSpace
if wait_head ptr "kho-root"; then ok; else
	fail "Backspace after g: back to the root"
	show ptr
fi
tm send-keys -t ptr b
if wait_for ptr "no earlier place to go back to"; then ok; else
	fail "b: the history is used up"
	show ptr
fi
# The help lists the key.
tm send-keys -t ptr ?
if wait_for ptr "b, Backspace"; then ok; else fail "? lists b, Backspace"; show ptr; fi
tm send-keys -t ptr q q
wait_file "$T/ptr.rc" && check "q exits 0 after going back" [ "$(cat "$T/ptr.rc")" = 0 ]
stop ptr

# ------------------------------------- each finding next to its object
# Folio 1 of the memfd points at a page that is not preserved: the memfd
# gets the error memfd.folio-unpreserved (the check of the same break in
# tests/cli/memfd.sh), at the folio's entry in the folio array (16 bytes
# each), and its tree line the marker [E]; the file above it gets none.
BTOK=91
mkimg badfolio "# browse test: a memfd with an unpreserved folio
generation = g3
[luo]
version = v1
session_format = v2
serialized = yes
liveupdate_num = 1
[session browse-bad]
[file]
compatible = memfd-v1
token = $BTOK
size = 12288
folios = 3 x order0 flags 1
break session[0].file[0].memfd.folio[1].pfn = unpreserved" --layout="$T/badfolio.layout" || { finish; exit 1; }
AREA=$(layout_obj "$T/badfolio.layout" "session[0].file[0].memfd.folios.area" 3)
check "layout lists the folio array" [ -n "$AREA" ]
AT=$(printf '@0x%x' $((AREA + 16)))
start bad 120 40 "$T/badfolio.img"
wait_for bad "$(layout_get "$T/badfolio.layout" root_compatible)" || true
tm send-keys -t bad /
tm send-keys -t bad -l "$BTOK"
tm send-keys -t bad Enter
wait_head bad "luo-file $BTOK" || { fail "search $BTOK (finding test)"; show bad; }
tm send-keys -t bad Right Right
if wait_head bad "memfd memfd-v1"; then ok; else
	fail "the broken file's memfd"
	show bad
fi
if poll right_has bad "[E] memfd.folio-unpreserved $AT:"; then ok; else
	fail "the memfd's pane lists [E] memfd.folio-unpreserved $AT"
	show bad
fi
if poll has_line bad "findings (1)"; then ok; else fail "the memfd has one finding"; show bad; fi
if poll tree_has bad "memfd memfd-v1 [E]"; then ok; else
	fail "the memfd's tree line carries [E]"
	show bad
fi
if tree bad | grep -F -- "luo-file $BTOK" | grep -qF "["; then
	fail "the luo file's tree line carries a marker of its own"
	show bad
else ok; fi
tm send-keys -t bad q
wait_file "$T/bad.rc" && check "q exits 0 on the broken memfd" [ "$(cat "$T/bad.rc")" = 0 ]
stop bad

# ------------------------- two sessions: one clean, one with an error below
# Folio 1 of broken-s's memfd points at pfn 0x7654321, a page nothing
# preserves: memfd.folio-unpreserved, an error (as in tests/cli/memfd.sh).
# The folio's address is the scenario's pfn times the page size.
IPFN=0x7654321
mkimg inside "# browse test: an error deep inside one session
generation = g3
[luo]
version = v1
session_format = v2
serialized = yes
liveupdate_num = 1
[session clean-s]
[file]
compatible = memfd-v1
token = 30
size = 8192
folios = 2 x order0 flags 1
[session broken-s]
[file]
compatible = memfd-v1
token = 31
size = 12288
folios = 3 x order0 flags 1
break session[1].file[0].memfd.folio[1].pfn = $IPFN" --layout="$T/inside.layout" || { finish; exit 1; }
IPS=$(($(layout_get "$T/inside.layout" page_size)))
IADDR=$(printf '0x%x' $((IPFN * IPS)))
IROOT=$(layout_get "$T/inside.layout" root_compatible)

# A collapsed node shows the worst finding below it as text ([in:E]), so it
# needs no colour: NO_COLOR=1 here.
start ins 120 40 "$T/inside.img" NO_COLOR=1
wait_for ins "$IROOT" || true
tm send-keys -t ins /
tm send-keys -t ins -l broken-s
tm send-keys -t ins Enter
if wait_head ins "luo-session broken-s"; then ok; else
	fail "search broken-s selects the session"
	show ins
fi
if poll tree_has ins "+ luo-session broken-s [in:E]"; then ok; else
	fail "the collapsed broken session shows [in:E]"
	show ins
fi
if tree ins | grep -F -- "luo-session clean-s" | grep -qF "["; then
	fail "the clean session (collapsed) carries a marker"
	show ins
else ok; fi
if tree_has ins "+ luo-session clean-s"; then ok; else
	fail "the clean session is on screen, collapsed"
	show ins
fi
# Expanded, the error is in sight below: the marker moves down to the file.
tm send-keys -t ins Right
if poll tree_has ins "+ luo-file 31 (memfd-v1) [in:E]"; then ok; else
	fail "expanded: the file shows [in:E]"
	show ins
fi
if tree ins | grep -F -- "luo-session broken-s" | grep -qF "in:"; then
	fail "the expanded session still shows in:"
	show ins
else ok; fi
# Collapsed again: the marker is back.
tm send-keys -t ins Left
if poll tree_has ins "+ luo-session broken-s [in:E]"; then ok; else
	fail "collapsed again: [in:E] is back"
	show ins
fi
tm send-keys -t ins q
wait_file "$T/ins.rc" && check "q exits 0 (inside markers)" [ "$(cat "$T/ins.rc")" = 0 ]
stop ins

# A long finding in a narrow window: the right pane wraps it.  What must be
# there is the finding as `check -j` reports it; the screen is compared with
# blanks removed, since a line may end where a blank was.
"$KI" check -j "$T/inside.img" >"$T/inside.json"
IMSG=$(json_get "$T/inside.json" '[f["message"] for f in d["findings"] if f["check"] == "memfd.folio-unpreserved"][0]')
ICQ=$(json_get "$T/inside.json" '[f["consequence"] for f in d["findings"] if f["check"] == "memfd.folio-unpreserved"][0]')
IAT=$(json_get "$T/inside.json" '[f["phys"] for f in d["findings"] if f["check"] == "memfd.folio-unpreserved"][0]')
case "$IMSG" in
*"$IADDR"*) ok ;;
*) fail "check -j names the folio address $IADDR: $IMSG" ;;
esac
start narrow 70 30 "$T/inside.img"
wait_for narrow "$IROOT" || true
tm send-keys -t narrow /
tm send-keys -t narrow -l 31
tm send-keys -t narrow Enter
wait_head narrow "luo-file 31" || { fail "search 31 (wrap test)"; show narrow; }
tm send-keys -t narrow Right Right
if wait_head narrow "memfd memfd-v1"; then ok; else
	fail "the broken memfd (wrap test)"
	show narrow
fi
poll right_has narrow "[E] memfd.folio-unpreserved" || true
# The finding's line and the indented lines that continue it.
right narrow | awk '
	/\[E\] memfd\.folio-unpreserved/ { on = 1; print; next }
	on && /^      / { print; next }
	{ on = 0 }' >"$T/wrapped"
nl=$(wc -l <"$T/wrapped")
check "the finding takes more than one line in a narrow pane ($nl)" [ "$nl" -gt 1 ]
got=$(tr -d ' \n' <"$T/wrapped")
want=$(printf '[E] memfd.folio-unpreserved @%s: %s [consequence: %s]' "$IAT" "$IMSG" "$ICQ" | tr -d ' \n')
if [ "$got" = "$want" ]; then ok; else
	fail "the wrapped finding is the whole message: '$got' != '$want'"
	show narrow
fi
# Nothing of it runs past the right edge of the pane.
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/wrapped")
check "wrapped lines fit the 70-column screen ($w)" [ "$w" -le 70 ]
tm send-keys -t narrow q
wait_file "$T/narrow.rc" && check "q exits 0 (wrap)" [ "$(cat "$T/narrow.rc")" = 0 ]
stop narrow

# ---------------------------------------- / and g find a memfd folio's row
# The folio's address, $IADDR, is the scenario's pfn times the page size;
# it is folio 1 of the 3 in broken-s's memfd, and nothing else holds it.
start rows 160 40 "$T/inside.img"
wait_for rows "$IROOT" || true
tm send-keys -t rows /
tm send-keys -t rows -l "$IADDR"
tm send-keys -t rows Enter
if wait_head rows "folios row 1 of 3"; then ok; else
	fail "/$IADDR selects folio row 1"
	show rows
fi
if poll right_has rows "of: /LUO/sessions/broken-s/31/memfd" &&
	poll has_line rows "phys: $IADDR" && poll has_line rows "pfn: $IPFN"; then ok; else
	fail "/$IADDR: the row's values"
	show rows
fi
if poll tree_has rows "#1 index=1 pfn=$IPFN"; then ok; else
	fail "/$IADDR: the row is shown in the tree"
	show rows
fi
if poll status_has rows "folios row 1 of /LUO/sessions/broken-s/31/memfd"; then ok; else
	fail "/$IADDR: the status line names the row"
	show rows
fi
# The pfn alone (a hex column) finds the same row, from the root, and n
# finds it again as the only match.
tm send-keys -t rows Home
if wait_head rows "kho-root"; then ok; else fail "Home: the root"; show rows; fi
tm send-keys -t rows /
tm send-keys -t rows -l "$IPFN"
tm send-keys -t rows Enter
if wait_head rows "folios row 1 of 3"; then ok; else
	fail "/$IPFN: folio row 1"
	show rows
fi
tm send-keys -t rows n
if poll status_has rows "only match: folios row 1 of"; then ok; else
	fail "n after /$IPFN: the only match"
	show rows
fi
tm send-keys -t rows q
wait_file "$T/rows.rc" && check "q exits 0 (row search)" [ "$(cat "$T/rows.rc")" = 0 ]
stop rows

# g: an address inside the folio's page (not captured: nothing preserves
# it) selects the row and shows the page.
GIN=$(printf '0x%x' $((IPFN * IPS + 0x10)))
start grow 160 40 "$T/inside.img"
wait_for grow "$IROOT" || true
tm send-keys -t grow g
tm send-keys -t grow -l "$GIN"
tm send-keys -t grow Enter
if wait_head grow "address $GIN"; then ok; else
	fail "g $GIN shows the address"
	show grow
fi
if poll right_has grow "row: folios row 1 of /LUO/sessions/broken-s/31/memfd"; then ok; else
	fail "g $GIN: the page names the folio row"
	show grow
fi
if poll tree_has grow "#1 index=1 pfn=$IPFN"; then ok; else
	fail "g $GIN: the row is shown in the tree"
	show grow
fi
if poll status_has grow "not captured"; then ok; else
	fail "g $GIN: the status line says the page is not captured"
	show grow
fi
if poll has_line grow "in no preserved block"; then ok; else
	fail "g $GIN: the page is in no preserved block"
	show grow
fi
# The tree's selection is the row: down and up again come back to it.
tm send-keys -t grow Tab Down Up
if wait_head grow "folios row 1 of 3"; then ok; else
	fail "g $GIN selected folio row 1"
	show grow
fi
tm send-keys -t grow q
wait_file "$T/grow.rc" && check "q exits 0 (g on a row)" [ "$(cat "$T/grow.rc")" = 0 ]
stop grow

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
