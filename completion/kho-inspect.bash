# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for kho-inspect(1): commands, the options of each command
# and of every command, option values, and file names for INPUT.
# Installed as $(PREFIX)/share/bash-completion/completions/kho-inspect.
# Self-contained: needs only bash's compgen, not the bash-completion package.

_kho_inspect()
{
	local cur prev cmd i w
	local cmds="dump check memmap browse compat-table preflight diff capture checks plugins help"
	local common="--json --pretty --help --version --plugin-dir --fdt-phys --scan --page-size --radix-depth --v1-bitmap-bytes --color --ignore --error"
	local extra=""

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=""
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# The command: the first word that is not an option or its value.
	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--plugin-dir | --fdt-phys | --page-size | --radix-depth | \
			--v1-bitmap-bytes | --color | --ignore | --error)
			((i++))
			continue
			;;
		-*) continue ;;
		esac
		cmd=$w
		break
	done

	# Values of the options that take one.
	case $prev in
	--plugin-dir | --debugfs)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	--page-size)
		COMPREPLY=($(compgen -W "4096 16384 65536" -- "$cur"))
		return 0
		;;
	--radix-depth)
		COMPREPLY=($(compgen -W "orig plus1" -- "$cur"))
		return 0
		;;
	--v1-bitmap-bytes)
		COMPREPLY=($(compgen -W "512 4096" -- "$cur"))
		return 0
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return 0
		;;
	--direction)
		COMPREPLY=($(compgen -W "in out" -- "$cur"))
		return 0
		;;
	--fdt-phys | --depth | --rows | --max-data | --path)
		return 0
		;;
	--target | --output | -o | --kcore | --from | --exporter | --kallsyms)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	esac

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		fi
		return 0
	fi

	case $cmd in
	dump) extra="--depth --path --rows --all-rows --no-rows" ;;
	check) extra="--target" ;;
	memmap) extra="--unattributed" ;;
	preflight) extra="--target --live --quiet --debugfs --kcore --exporter --kallsyms" ;;
	capture) extra="--output --debugfs --kcore --direction --with-data --max-data --from --exporter --kallsyms" ;;
	help)
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$extra $common" -- "$cur"))
		return 0
	fi
	case $cmd in
	plugins) return 0 ;;
	esac
	COMPREPLY=($(compgen -f -- "$cur"))
	return 0
}

complete -o filenames -o bashdefault -F _kho_inspect kho-inspect
