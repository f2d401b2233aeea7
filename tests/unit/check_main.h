/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one runner every Check unit-test binary ends with. */
#ifndef KHO_CHECK_MAIN_H
#define KHO_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Run every test of s; the exit status says whether any failed. */
static inline int kho_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
