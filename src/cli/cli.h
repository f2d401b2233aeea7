/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kho-inspect command: shared state, option parsing and messages.  Only
 * src/cli prints messages; the library returns codes and text.
 *
 * Adding a command: write cmd_NAME.c with
 *	int cmd_NAME(struct cli *g, int argc, char **argv);
 *	void help_NAME(FILE *f);
 * declare both below and add one line to the table in main.c.
 */
#ifndef KHO_CLI_H
#define KHO_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "image/image.h"
#include "output/json_writer.h"
#include "decode/session.h"

/* Exit status: stable, documented in kho-inspect(1). */
#define KHO_EXIT_OK 0       /* no error finding */
#define KHO_EXIT_FINDINGS 1 /* at least one error finding */
#define KHO_EXIT_USAGE 2    /* usage error, unreadable or not an image */
/* No error shown, but some findings unknown: an answer this input cannot
 * give, which the project's contract puts on 2 with preflight's CANNOT TELL. */
#define KHO_EXIT_UNKNOWN 2

#define CLI_NAME "kho-inspect"
#define CLI_MAX_PLUGIN_DIRS 64

enum cli_color { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli {
	int json;
	int pretty;
	enum cli_color color_mode;
	const char *plugin_dirs[CLI_MAX_PLUGIN_DIRS + 1]; /* NULL-terminated */
	unsigned int nplugin_dirs;
	struct kho_image_opts iopts;
	struct jsonw *jw; /* the stdout writer in JSON mode */
	const char *cmd;  /* current command name, for messages */
	int checks_validated; /* --ignore / --error ids looked up */
};

/*
 * Values returned by a command's option handler: 0 accepted, or an exit code
 * after a message was printed (e.g. KHO_EXIT_USAGE).
 */
typedef int (*cli_opt_fn)(struct cli *g, void *arg, int val,
			  const char *optarg);

/*
 * Parse argv[1..] with the options common to every command plus `extra`
 * (terminated by a zero entry; its `val`s must be >= 256 or a letter not
 * used by the common options).  Options and operands may be mixed, unless
 * stop_at_operand (the top level), and "--" ends the options.  On success
 * return 0 with *first set to the index of the first operand in argv; the
 * operands are argv[*first..argc).  --help calls help(stdout) and returns
 * -1 (exit 0); errors print a message and return an exit code.
 */
int cli_parse(struct cli *g, int argc, char **argv,
	      const struct option *extra, cli_opt_fn fn, void *arg,
	      void (*help)(FILE *f), int stop_at_operand, int *first);

/*
 * For commands that take no operand and read the plugins (plugins,
 * checks): parse the options, refuse operands, load the plugins into
 * *set.  Returns -1 to go on (the caller frees *set), else the exit
 * status to return (--help, a usage error; *set already freed).
 */
struct kho_plugin_set;
int cli_plugins_command(struct cli *g, int argc, char **argv,
			void (*help)(FILE *f), struct kho_plugin_set *set);

/*
 * Every --ignore / --error id must name a declared check (checks.h): 0,
 * or a usage message and KHO_EXIT_USAGE.  cli_parse calls it at the end
 * of a command's options; later calls do nothing.
 */
int cli_checks_validate(struct cli *g);

/* The common options as help text (for every command's --help). */
void cli_help_common(FILE *f);

/* Report an error: JSON object on stdout in JSON mode, else stderr. */
__attribute__((format(printf, 2, 3))) void cli_error(struct cli *g,
						     const char *fmt, ...);
/* cli_error() and return KHO_EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int cli_usage(struct cli *g,
						    const char *fmt, ...);

/*
 * The scripting contract (kho-inspect-json(5)).  The exit status for a set
 * of findings: KHO_EXIT_FINDINGS when one is an error, KHO_EXIT_UNKNOWN
 * when none is but one is unknown, else KHO_EXIT_OK.  The verdict that
 * goes with it in JSON: "broken", "unknown", "clean".
 */
int cli_counts_exit(const struct kho_counts *n);
const char *cli_findings_verdict(int code);
/* n += the compat findings counted in counts[0..nsev). */
void cli_counts_add(struct kho_counts *n, const size_t *counts,
		    unsigned int nsev);

/* Whether text output should be coloured (resolves --color auto). */
int cli_color(const struct cli *g);
/* NO_COLOR set to a non-empty value. */
int cli_no_color_env(void);

/* Parse a number (decimal or 0x hex, whole argument): 0, or KHO_EINVAL. */
int cli_parse_u64(const char *s, uint64_t *v);

/*
 * Open INPUT and decode it.  On success return 0; otherwise a message was
 * printed and the exit code is returned.
 */
int cli_decode(struct cli *g, const char *path, struct kho_image **img,
	       struct kho_ctx **ctx);
/* Free both, check stdout, and return the exit code for the findings. */
int cli_finish(struct cli *g, struct kho_image *img, struct kho_ctx *ctx,
	       int render_rc);

/* Commands. */
int cmd_dump(struct cli *g, int argc, char **argv);
int cmd_check(struct cli *g, int argc, char **argv);
int cmd_memmap(struct cli *g, int argc, char **argv);
void help_dump(FILE *f);
void help_check(FILE *f);
void help_memmap(FILE *f);

/* compat-table, check --target, preflight, diff: src/cli/cmd_compat.c,
 * cmd_preflight.c, cmd_diff.c. */
int cmd_compat_table(struct cli *g, int argc, char **argv);
int cmd_preflight(struct cli *g, int argc, char **argv);
int cmd_diff(struct cli *g, int argc, char **argv);
void help_compat_table(FILE *f);
void help_preflight(FILE *f);
void help_diff(FILE *f);

/* --target T (repeatable) as collected by cli_target_opt. */
#define CLI_MAX_TARGETS 32
struct cli_targets {
	const char *v[CLI_MAX_TARGETS];
	unsigned int n;
};
/* Option handler piece for --target: 0 or an exit code. */
int cli_target_add(struct cli *g, struct cli_targets *t, const char *arg);
/*
 * `check --target`: judge the decoded image against the targets, render
 * the findings plus the verdicts, free img and ctx, return the exit code.
 */
int cli_check_targets(struct cli *g, const struct cli_targets *t,
		      struct kho_image *img, struct kho_ctx *ctx);

/* Targets read and merged (src/cli/cmd_compat.c). */
struct kho_target_table;
struct kho_cc_report;
struct cli_target_set {
	struct kho_target_table *t[CLI_MAX_TARGETS];
	unsigned int n;
	struct kho_target_table *merged; /* t[0] itself when n == 1 */
};
/* Read every target; 0, or KHO_EXIT_USAGE with the reason in err. */
int cli_targets_load(struct cli *g, const struct cli_targets *in,
		     struct cli_target_set *out, char *err, size_t errlen);
void cli_targets_free(struct cli_target_set *s);
/* The verdicts as a JSON object / as text lines. */
void cli_compat_json(struct jsonw *w, const struct cli_target_set *ts,
		     const struct kho_cc_report *r);
void cli_compat_text(FILE *f, const struct cli_target_set *ts,
		     const struct kho_cc_report *r, int color);
/* The "at_risk" object shared by check --target and preflight. */
void cli_json_at_risk(struct jsonw *w, const struct kho_cc_report *r);

/* checks: src/cli/cmd_checks.c */
int cmd_checks(struct cli *g, int argc, char **argv);
void help_checks(FILE *f);

/* plugins: src/cli/cmd_plugins.c */
int cmd_plugins(struct cli *g, int argc, char **argv);
void help_plugins(FILE *f);

/* capture: src/cli/cmd_capture.c */
int cmd_capture(struct cli *g, int argc, char **argv);
void help_capture(FILE *f);

#endif /* KHO_CLI_H */
