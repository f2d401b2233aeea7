/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kho-inspect error codes.
 *
 * One convention everywhere, in the host and in plugins: a function that
 * can fail returns 0 (or a documented non-negative value) on success and
 * one of the negative KHO_E* codes below on failure.  A bare -1 is not a
 * code; neither is -errno.
 *
 * The values are part of the plugin ABI (see plugin.h): a value, once
 * given, keeps its meaning, and new codes take new values.  KHO_ENOMEM
 * was -1 up to plugin API 1.4; since 1.5 it is -10, so that a stray -1
 * can no longer pass for "out of memory".  A plugin built against an
 * older minor (KHO_PLUGIN_TARGET_MINOR < 5) still sees -1 here, and the
 * host reads a -1 that such a plugin's decoder returns as KHO_ENOMEM.
 */
#ifndef KHO_ERR_H
#define KHO_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

enum kho_err {
	KHO_OK = 0,
	KHO_ENOTCAPTURED = -2, /* plausible address, but the image lacks it */
	KHO_ERANGE = -3,       /* address outside any physical range / wraps */
	KHO_ECORRUPT = -4,     /* structure is malformed */
	KHO_ENOENT = -5,       /* not found (no block, no decoder, no key) */
	KHO_ELIMIT = -6,       /* a resource limit was reached */
	KHO_EINVAL = -7,       /* bad argument from the caller */
	KHO_EIO = -8,          /* the host could not read or write a file */
	KHO_EFORMAT = -9,      /* input is not in a format it should be */
#if defined(KHO_PLUGIN_TARGET_MINOR) && KHO_PLUGIN_TARGET_MINOR < 5
	KHO_ENOMEM = -1,       /* allocation failed (API 1.0 to 1.4) */
#else
	KHO_ENOMEM = -10,      /* allocation failed */
#endif
};

/* The lowest code in use: every code lies in [KHO_ERR_MIN, -1]. */
#define KHO_ERR_MIN (-10)

/*
 * A short description of err ("out of memory"), without a trailing
 * period, for a front end to print.  For 0 it is "success"; for any
 * value that is not a KHO_E* code (a bare -1 among them) it is
 * "unknown error".  The string is static: never freed, never changed.
 *
 * Implemented by the host (src/base/err.c), not part of the plugin ABI:
 * plugins never print, they return the code.
 */
const char *kho_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* KHO_ERR_H */
