/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one runner every Check unit-test binary ends with.
 *
 * Check counts test functions, which hide how much is asserted.  So the
 * runner also counts assertion sites: every ck_assert* that holds calls
 * Check's _mark_point(file, line), and the macro below records the line in
 * a table shared with the forked test processes.  The closing line
 * "N passed, M failed, 0 skipped" gives N = distinct assertion sites that
 * held (an assertion in a loop or a helper counts once) and M = failed
 * test functions; tests/run-all.sh reads that line. */
#ifndef KHO_CHECK_MAIN_H
#define KHO_CHECK_MAIN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define KHO_CHECK_MAX_LINE 16384

/* Shared (MAP_SHARED) so the forked test processes' hits reach the runner. */
static unsigned char *kho_check_sites;

static inline void kho_check_site(int line)
{
	if (kho_check_sites && line > 0 && line < KHO_CHECK_MAX_LINE)
		kho_check_sites[line] = 1;
}

/* A function-like macro naming itself is not expanded again, so the inner
 * _mark_point is Check's own function (declared above by check.h). */
#define _mark_point(file, line) (kho_check_site(line), _mark_point(file, line))

/* Run every test of s; the exit status says whether any failed. */
static inline int kho_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed, tests, sites = 0;

	kho_check_sites = mmap(NULL, KHO_CHECK_MAX_LINE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kho_check_sites == MAP_FAILED)
		kho_check_sites = NULL;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	tests = srunner_ntests_run(sr);
	srunner_free(sr);
	for (int i = 0; kho_check_sites && i < KHO_CHECK_MAX_LINE; i++)
		sites += kho_check_sites[i];
	printf("%d passed, %d failed, 0 skipped (assertion sites that held; "
	       "%d test functions)\n", sites, failed, tests);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
