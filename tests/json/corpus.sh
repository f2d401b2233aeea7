# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/lib.sh (and cli.sh): keeps every JSON document the CLI
# suite makes kho-inspect print, for tests/cli/zz-json.sh to validate
# against tests/json/schema.json.
#
# json_corpus_wrap REAL DIR prints the path of a wrapper (written in DIR)
# to use instead of REAL.  The wrapper execs REAL unchanged unless the
# command line asks for JSON (-j, --json, -p, --pretty, or a short-option
# cluster holding j or p, before any "--") and not for --help/--version;
# then it runs REAL with standard output to a file of the corpus, copies
# that file to its own standard output, and writes beside it NAME.meta:
# the exit status, then the arguments, NUL-separated.  Its exit status is
# REAL's.  The corpus is $KHO_JSON_CORPUS, by default $B/json-corpus;
# KHO_JSON_CORPUS=off turns the wrapper off.
json_corpus_wrap() {
	_real=$1
	_corpus=${KHO_JSON_CORPUS:-$B/json-corpus}
	if [ "$_corpus" = off ]; then
		printf '%s\n' "$_real"
		return
	fi
	mkdir -p "$2/json-wrap" "$_corpus" || {
		printf '%s\n' "$_real"
		return
	}
	cat >"$2/json-wrap/kho-inspect" <<WRAP
#!/bin/sh
real='$_real'
corpus='$_corpus'
from='$(basename "$0" .sh)'
json=0
for a in "\$@"; do
	case \$a in
	--) break ;;
	--help | --version | -h | -V) exec "\$real" "\$@" ;;
	--j | --js | --jso | --json | --pre | --pret | --prett | --pretty) json=1 ;;
	--*) ;;
	-*[!a-zA-Z]*) ;;
	-*[hV]*) exec "\$real" "\$@" ;;
	-*[jp]*) json=1 ;;
	esac
done
[ \$json = 1 ] || exec "\$real" "\$@"
f=\$(mktemp "\$corpus/\$from.XXXXXXXX") || exec "\$real" "\$@"
"\$real" "\$@" >"\$f"
rc=\$?
{ echo \$rc; printf '%s\0' "\$from" "\$@"; } >"\$f.meta"
cat "\$f"
exit \$rc
WRAP
	chmod +x "$2/json-wrap/kho-inspect"
	printf '%s\n' "$2/json-wrap/kho-inspect"
}
