// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The front ends' way into a decode: decide a page size the image does not
 * state (page_probe.c, which itself runs whole decodes), then decode at it.
 * Apart from session.c so that the probe and the session do not call each
 * other.
 */
#include "page_probe.h"
#include "session_internal.h"

int kho_session_run(struct kho_image *img, const struct kho_session_opts *o,
		    struct kho_ctx **out, char *err, size_t errlen)
{
	int rc = kho_page_size_probe(img, o, err, errlen);

	*out = NULL;
	if (rc)
		return rc;
	return kho_session_run_as_is(img, o, out, err, errlen);
}
