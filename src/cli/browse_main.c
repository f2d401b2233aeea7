// SPDX-License-Identifier: GPL-2.0-or-later
/* `kho-inspect browse`: the command, setup, layout and main loop. */
#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "browse.h"

void help_browse(FILE *f)
{
	fprintf(f,
		"Usage: %s browse [OPTIONS] INPUT\n"
		"\n"
		"Decode INPUT and explore it in an interactive terminal browser: the object\n"
		"tree on the left; the selected object's fields, findings and bytes on the\n"
		"right.  Needs a terminal on standard input and output.\n"
		"\n"
		"Keys: arrows or j/k move, Enter or Right expands, Left collapses or goes to\n"
		"the parent, Tab switches panes, PgUp/PgDn/Home/End page, / n N search,\n"
		"g goes to a physical address, f lists the findings, b or Backspace goes\n"
		"back to where the last jump came from, ? help, q quits.\n"
		"See kho-inspect-browse(1).\n"
		"\n",
		CLI_NAME);
	cli_help_common(f);
}

void browse_msg(struct browse *b, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->msg, sizeof(b->msg), fmt, ap);
	va_end(ap);
	b->msg_err = err;
}

int browse_sev_attr(const struct browse *b, int sev)
{
	if (b->color) {
		switch (sev) {
		case KHO_SEV_ERROR:
			return COLOR_PAIR(BP_ERROR) | A_BOLD;
		case KHO_SEV_WARNING:
		case KHO_SEV_UNKNOWN:
			return COLOR_PAIR(BP_WARNING);
		case KHO_SEV_NOTE:
			return COLOR_PAIR(BP_NOTE);
		}
		return A_NORMAL;
	}
	return sev == KHO_SEV_ERROR ? A_BOLD : A_NORMAL;
}

void browse_put(int y, int x, int w, const char *s)
{
	int n = 0;

	if (w <= 0)
		return;
	move(y, x);
	for (; s && *s && n < w; s++, n++)
		addch((chtype)(unsigned char)*s);
	for (; n < w; n++)
		addch(' ');
}

void browse_layout(struct browse *b)
{
	int lw;

	getmaxyx(stdscr, b->rows, b->cols);
	lw = b->cols / 3;
	if (lw < 20)
		lw = 20;
	if (lw > 60)
		lw = 60;
	if (lw > b->cols - 10)
		lw = b->cols > 12 ? b->cols - 10 : 1;
	b->lw = lw;
	kho_cursor_clamp(&b->m.cur, browse_height(b));
	/* Bytes per hex line follow the pane width. */
	if (b->page_mode && b->dvalid)
		browse_detail_page(b, b->page_phys);
	else
		b->dvalid = 0;
}

void browse_here(const struct browse *b, struct kho_bm_mark *k)
{
	kho_bm_mark(&b->m, b->m.cur.sel, k);
	k->page = b->page_mode;
	k->page_phys = b->page_mode ? b->page_phys : 0;
}

void browse_remember(struct browse *b, const struct kho_bm_mark *before)
{
	struct kho_bm_mark now;

	browse_here(b, &now);
	if (!kho_bm_mark_eq(before, &now))
		kho_bm_push(&b->m, before);
}

int browse_goto_obj(struct browse *b, const struct kho_obj *o)
{
	struct kho_bm_mark k = { .kind = KHO_BM_OBJ,
				 .obj = (struct kho_obj *)o };

	return browse_goto_mark(b, &k);
}

int browse_goto_mark(struct browse *b, const struct kho_bm_mark *k)
{
	struct kho_bm_mark before;
	int64_t idx;

	browse_here(b, &before);
	idx = kho_bm_locate(&b->m, k);
	if (idx < 0)
		return (int)idx;
	kho_cursor_set(&b->m.cur, (uint64_t)idx, browse_height(b));
	b->page_mode = 0;
	b->dvalid = 0;
	browse_remember(b, &before);
	return 0;
}

void browse_back(struct browse *b)
{
	struct kho_bm_mark k;
	char path[200];
	int64_t idx;

	if (kho_bm_pop(&b->m, &k)) {
		browse_msg(b, 0, "no earlier place to go back to");
		return;
	}
	idx = kho_bm_locate(&b->m, &k);
	if (idx < 0) {
		browse_msg(b, 1, "cannot go back: the place is gone");
		return;
	}
	kho_cursor_set(&b->m.cur, (uint64_t)idx, browse_height(b));
	b->page_mode = 0;
	b->dvalid = 0;
	if (k.page) {
		browse_detail_page(b, k.page_phys);
		browse_msg(b, 0, "back to the page of 0x%" PRIx64, k.page_phys);
		return;
	}
	b->focus = BROWSE_TREE;
	kho_safe_copy(path, sizeof(path), k.obj->path);
	browse_msg(b, 0, "back to %s", path);
}

static void fit_path(const char *p, char *buf, size_t len, size_t max)
{
	size_t n = strlen(p);
	char tmp[512];

	if (max < 8)
		max = 8;
	if (n > max)
		snprintf(tmp, sizeof(tmp), "...%s", p + n - (max - 3));
	else
		snprintf(tmp, sizeof(tmp), "%s", p);
	kho_safe_copy(buf, len, tmp);
}

void browse_draw_status(struct browse *b)
{
	char path[256], gen[32], line[512];
	const struct kho_ctx *c = b->c;
	const char *generation = kho_session_generation(c);
	size_t n;
	int y = b->rows - 1, w;

	kho_session_findings(c, &n);
	fit_path(b->path, path, sizeof(path), (size_t)(b->cols / 3));
	kho_safe_copy(gen, sizeof(gen), generation ? generation : "?");
	snprintf(line, sizeof(line), " %s  %s  %zu finding%s (%zuE %zuU %zuW %zuN) ",
		 path, gen, n, n == 1 ? "" : "s",
		 kho_session_count(c, KHO_SEV_ERROR),
		 kho_session_count(c, KHO_SEV_UNKNOWN),
		 kho_session_count(c, KHO_SEV_WARNING),
		 kho_session_count(c, KHO_SEV_NOTE));
	/* A message that would not fit gets the room of the path. */
	if (b->msg[0] && strlen(line) + strlen(b->msg) > (size_t)b->cols)
		snprintf(line, sizeof(line), " %s  %zu finding%s ", gen, n,
			 n == 1 ? "" : "s");
	attrset(A_REVERSE);
	browse_put(y, 0, b->cols, line);
	w = (int)strlen(line);
	if (w < b->cols) {
		if (b->msg[0]) {
			attrset(b->msg_err ? (browse_sev_attr(b, KHO_SEV_ERROR) |
					      A_REVERSE) : A_REVERSE);
			browse_put(y, w, b->cols - w, b->msg);
		} else {
			browse_put(y, w, b->cols - w,
				   "| ?:help /:search g:addr f:findings b:back q:quit");
		}
	}
	attrset(A_NORMAL);
}

void browse_draw(struct browse *b)
{
	int y;
	unsigned int h = browse_height(b);

	erase();
	if (b->cols < 30 || b->rows < 5) {
		browse_put(0, 0, b->cols, "terminal too small");
		refresh();
		return;
	}
	kho_cursor_clamp(&b->m.cur, h);
	browse_detail_sync(b);
	browse_tree_draw(b);
	for (y = 0; y < (int)h; y++)
		mvaddch(y, b->lw, '|');
	browse_detail_draw(b);
	browse_draw_status(b);
	move(b->rows - 1, b->cols - 1);
	refresh();
}

static void init_colors(struct browse *b)
{
	b->color = 0;
	if (cli_no_color_env() || b->g->color_mode == CLI_COLOR_NEVER || !has_colors())
		return;
	if (start_color() != OK)
		return;
	b->color = 1;
	if (use_default_colors() == OK) {
		init_pair(BP_ERROR, COLOR_RED, -1);
		init_pair(BP_WARNING, COLOR_YELLOW, -1);
		init_pair(BP_NOTE, COLOR_CYAN, -1);
		init_pair(BP_HEADING, COLOR_GREEN, -1);
		init_pair(BP_POINTER, COLOR_BLUE, -1);
	} else {
		init_pair(BP_ERROR, COLOR_RED, COLOR_BLACK);
		init_pair(BP_WARNING, COLOR_YELLOW, COLOR_BLACK);
		init_pair(BP_NOTE, COLOR_CYAN, COLOR_BLACK);
		init_pair(BP_HEADING, COLOR_GREEN, COLOR_BLACK);
		init_pair(BP_POINTER, COLOR_BLUE, COLOR_BLACK);
	}
}

static void handle_key(struct browse *b, int ch)
{
	switch (ch) {
	case 'q':
		b->quit = 1;
		return;
	case KEY_RESIZE:
		browse_layout(b);
		clear();
		return;
	case '\t':
		b->focus = b->focus == BROWSE_TREE ? BROWSE_DETAIL : BROWSE_TREE;
		return;
	case '/':
		browse_search_prompt(b);
		return;
	case 'n':
		browse_search_step(b, 0);
		return;
	case 'N':
		browse_search_step(b, 1);
		return;
	case 'g':
		browse_goto_prompt(b);
		return;
	case 'f':
		browse_findings(b);
		return;
	case 'b':
	case KEY_BACKSPACE:
	case 127:
	case 8:
		browse_back(b);
		return;
	case '?':
		browse_help(b);
		return;
	case 12: /* ^L */
		clear();
		return;
	}
	if (b->focus == BROWSE_DETAIL)
		browse_detail_key(b, ch);
	else
		browse_tree_key(b, ch);
}

static int run(struct browse *b)
{
	SCREEN *scr;
	int ch;

	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "%s: browse: cannot initialise the terminal (TERM=%s)\n",
			CLI_NAME, getenv("TERM") ? getenv("TERM") : "");
		return KHO_EXIT_USAGE;
	}
	set_term(scr);
	set_escdelay(50);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	init_colors(b);
	browse_layout(b);
	while (!b->quit) {
		browse_draw(b);
		ch = getch();
		if (ch == ERR)
			continue;
		b->msg[0] = '\0';
		handle_key(b, ch);
	}
	endwin();
	delscreen(scr);
	return KHO_EXIT_OK;
}

int cmd_browse(struct cli *g, int argc, char **argv)
{
	struct browse b;
	int first, rc;

	rc = cli_parse(g, argc, argv, NULL, NULL, NULL, help_browse, 0, &first);
	if (rc)
		return rc < 0 ? KHO_EXIT_OK : rc;
	if (g->json)
		return cli_usage(g, "browse is interactive and has no JSON output");
	if (first == argc)
		return cli_usage(g, "missing INPUT (see '%s browse --help')",
				 CLI_NAME);
	if (argc - first > 1)
		return cli_usage(g, "unexpected argument '%s'",
				 argv[first + 1]);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: browse needs a terminal\n", CLI_NAME);
		return KHO_EXIT_USAGE;
	}
	memset(&b, 0, sizeof(b));
	b.g = g;
	b.path = argv[first];
	rc = cli_decode(g, b.path, &b.img, &b.c);
	if (rc)
		return rc;
	if (kho_bm_init(&b.m, kho_session_root(b.c))) {
		cli_error(g, "out of memory");
		rc = KHO_EXIT_USAGE;
	} else {
		rc = run(&b);
	}
	kho_detail_free(&b.d);
	kho_bm_free(&b.m);
	kho_session_free(b.c);
	kho_image_close(b.img);
	return rc;
}
