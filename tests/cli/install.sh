#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging: `make install` under DESTDIR puts exactly the expected files
# there (binaries, our plugins, man pages, the plugin API header, the
# pkg-config file, bash and zsh completion); the example plugin builds
# against the *installed* header found through pkg-config and the installed
# binary loads it; bash completion completes commands and options; `make
# uninstall` removes exactly what install put there, and a third-party
# plugin survives.  The expected list is derived from the source tree (one
# .so per plugins/*.c, one page per man/*), never from make's output.
# Prints "N passed, M failed, K skipped".
set -u
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib.sh"
unset KHO_INSPECT_PLUGIN_PATH NO_COLOR
P=/usr/local

# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok; else
		fail "$1"
		printf '%s\n' "--- got" "$2" "--- want" "$3" | sed 's/^/    | /' | head -n 40
	fi
}

# The files install must write, relative to DESTDIR.
expected() {
	echo "$P/bin/kho-inspect"
	echo "$P/bin/kho-mkimage"
	for c in "$top"/plugins/*.c; do
		echo "$P/lib/kho-inspect/plugins/$(basename "$c" .c).so"
	done
	for m in "$top"/man/*.[157]; do
		echo "$P/share/man/man${m##*.}/$(basename "$m")"
	done
	echo "$P/include/kho/plugin.h"
	echo "$P/include/kho/err.h"
	echo "$P/include/kho/kinds.h"
	echo "$P/lib/pkgconfig/kho-inspect-plugin.pc"
	echo "$P/share/bash-completion/completions/kho-inspect"
	echo "$P/share/zsh/site-functions/_kho-inspect"
}
files_under() {
	(cd "$1" && find . -type f | sed 's|^\.||' | LC_ALL=C sort)
}
minst() {
	make -s -C "$top" B="$B" PREFIX="$P" DESTDIR="$1" "$2" >"$T/make.out" 2>&1
}

D=$T/dest
expected | LC_ALL=C sort >"$T/want"
if minst "$D" install; then ok; else
	fail "make install"
	sed 's/^/    | /' "$T/make.out" | tail -n 5
fi
same "install: exactly the expected files, all under DESTDIR" \
	"$(files_under "$D")" "$(cat "$T/want")"
check "install: header is the source's" cmp -s "$top/include/kho/plugin.h" "$D$P/include/kho/plugin.h"
check "install: err.h is the source's" cmp -s "$top/include/kho/err.h" "$D$P/include/kho/err.h"
check "install: kinds.h is the source's" cmp -s "$top/include/kho/kinds.h" "$D$P/include/kho/kinds.h"
check "install: completion is the source's" cmp -s "$top/completion/kho-inspect.bash" \
	"$D$P/share/bash-completion/completions/kho-inspect"
contains "install: .pc names PREFIX, not DESTDIR" "$D$P/lib/pkgconfig/kho-inspect-plugin.pc" "prefix=$P"
lacks "install: .pc does not name DESTDIR" "$D$P/lib/pkgconfig/kho-inspect-plugin.pc" "$D"
check "install: binary executable" [ -x "$D$P/bin/kho-inspect" ]

# ------------------------- an installed binary whose plugins are not there
# Run from DESTDIR, the binary looks in PREFIX's plugin directory, which
# does not exist: with no decoder at all it must not pass the sample as
# clean (a copied binary or a wrong PREFIX), and preflight cannot tell.
if "$MK" "$top/tests/scenarios/sample.scn" -o "$T/s.img" 2>"$T/mk.err"; then
	IK="$D$P/bin/kho-inspect"
	expect_exit "no plugins: check exits 2" 2 "$IK" check "$T/s.img"
	contains "no plugins: the finding names the directory" "$T/out" \
		"[unknown] plugin.none-loaded /: no decoder plugin was loaded (searched: $P/lib/kho-inspect/plugins)"
	expect_exit "no plugins: preflight exits 2" 2 "$IK" preflight --target "$T/s.img" "$T/s.img"
	contains "no plugins: preflight cannot tell" "$T/out" \
		"CANNOT TELL: no decoder plugin was loaded: the sub-blobs and the memory map cannot be checked (install the plugins or pass --plugin-dir)"
	expect_exit "installed plugins via --plugin-dir: check exits 0" 0 \
		"$IK" check --plugin-dir "$D$P/lib/kho-inspect/plugins" "$T/s.img"
	lacks "installed plugins via --plugin-dir: no plugin.none-loaded" "$T/out" "plugin.none-loaded"
else
	fail "mkimage sample: $(cat "$T/mk.err")"
fi

# ----------------------------------- the example against the installed API
if command -v pkg-config >/dev/null 2>&1; then
	cflags=$(PKG_CONFIG_PATH="$D$P/lib/pkgconfig" pkg-config \
		--define-variable=prefix="$D$P" --cflags kho-inspect-plugin 2>"$T/pc.err")
	cflags=$(echo $cflags) # pkgconf ends it with a blank
	same "pkg-config --cflags" "$cflags" "-I$D$P/include"
	pdir=$(PKG_CONFIG_PATH="$D$P/lib/pkgconfig" pkg-config \
		--variable=plugindir kho-inspect-plugin 2>/dev/null)
	same "pkg-config plugindir" "$pdir" "$P/lib/kho-inspect/plugins"
	# A copy of example.c away from the source tree, so that only the -I
	# of pkg-config can find kho/plugin.h.
	mkdir -p "$T/exsrc" "$T/exp"
	cp "$top/plugins/example/example.c" "$T/exsrc/"
	(cd "$T/exsrc" && ${CC:-cc} $cflags -std=c11 -Wall -Wextra -Werror \
		-fPIC -shared -o "$T/exp/example.so" example.c -MD -MF "$T/ex.d") \
		2>"$T/cc.err"
	check "example builds against the installed header" [ -f "$T/exp/example.so" ]
	contains "example used the installed plugin.h" "$T/ex.d" "$D$P/include/kho/plugin.h"
	lacks "example did not use the source tree's" "$T/ex.d" "$top/include"
	expect_exit "installed binary: plugins" 0 "$D$P/bin/kho-inspect" plugins --plugin-dir "$T/exp"
	contains "installed binary loads the example" "$T/out" "  example $T/exp/example.so"
	# Only the example: the build tree's plugins are not for this binary.
	contains "installed binary: only the example loaded" "$T/out" "loaded: 1"
	lacks "installed binary: build tree not searched" "$T/out" "  $B/plugins"
else
	skip "pkg-config not installed: example against the installed header"
fi

# ------------------------------------------------------- bash completion
if command -v bash >/dev/null 2>&1; then
	comp() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
			_kho_inspect; printf "%s\n" "${COMPREPLY[@]}"' \
			sh "$D$P/share/bash-completion/completions/kho-inspect" "$@"
	}
	same "bash: 'pre' completes to preflight" "$(comp kho-inspect pre)" "preflight"
	same "bash: 'd' offers dump and diff" "$(comp kho-inspect d)" "dump
diff"
	same "bash: preflight --ta completes to --target" "$(comp kho-inspect preflight --ta)" "--target"
	same "bash: --unattributed for memmap" "$(comp kho-inspect memmap --un)" "--unattributed"
	same "bash: --color values" "$(comp kho-inspect check --color '')" "auto
always
never"
	same "bash: global option before the command" "$(comp kho-inspect --page-size 4096 me)" "memmap"
	: >"$T/inp.img"
	same "bash: INPUT is a file" "$(cd "$T" && comp kho-inspect check inp)" "inp.img"
	bash -c ". '$D$P/share/bash-completion/completions/kho-inspect'; complete -p kho-inspect" >"$T/cp" 2>&1
	contains "bash: registered for kho-inspect" "$T/cp" "-F _kho_inspect kho-inspect"
else
	skip "bash not installed: bash completion"
fi
if command -v zsh >/dev/null 2>&1; then
	check "zsh: completion parses (zsh -n)" zsh -n "$D$P/share/zsh/site-functions/_kho-inspect"
	# compinit, given the installed site-functions directory, registers
	# _kho-inspect for kho-inspect through its #compdef line.
	got=$(zsh -fc 'fpath=("$1" $fpath); autoload -Uz compinit;
		compinit -u -d "$2"; print -r -- ${_comps[kho-inspect]}' \
		zsh "$D$P/share/zsh/site-functions" "$T/zcompdump" 2>&1)
	same "zsh: compinit registers _kho-inspect" "$got" "_kho-inspect"
else
	skip "zsh not installed: zsh completion not exercised (and no zsh -n)"
fi
contains "zsh: compdef line" "$D$P/share/zsh/site-functions/_kho-inspect" "#compdef kho-inspect"

# ------------------------------------------------------------- uninstall
# Foreign files: a third-party plugin in our plugin directory, a man page
# and a completion of another package.
printf 'not ours\n' >"$D$P/lib/kho-inspect/plugins/thirdparty.so"
printf 'not ours\n' >"$D$P/share/man/man1/other.1"
printf 'not ours\n' >"$D$P/share/bash-completion/completions/other"
if minst "$D" uninstall; then ok; else
	fail "make uninstall"
	sed 's/^/    | /' "$T/make.out" | tail -n 5
fi
same "uninstall: only the foreign files remain" "$(files_under "$D")" \
	"$P/lib/kho-inspect/plugins/thirdparty.so
$P/share/bash-completion/completions/other
$P/share/man/man1/other.1"
check "uninstall: the plugin directory survives with its plugin" \
	[ -d "$D$P/lib/kho-inspect/plugins" ]
# Without foreign files, our own directories go too.
D2=$T/dest2
minst "$D2" install || fail "make install (2)"
minst "$D2" uninstall || fail "make uninstall (2)"
same "uninstall: nothing left" "$(files_under "$D2")" ""
check "uninstall: our plugin directory removed" [ ! -e "$D2$P/lib/kho-inspect" ]
check "uninstall: our include directory removed" [ ! -e "$D2$P/include/kho" ]

finish
