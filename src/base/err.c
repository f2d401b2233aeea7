// SPDX-License-Identifier: GPL-2.0-or-later
/* Descriptions of the KHO_E* codes (include/kho/err.h). */
#include "kho/err.h"

const char *kho_strerror(int err)
{
	switch (err) {
	case KHO_OK:
		return "success";
	case KHO_ENOMEM:
		return "out of memory";
	case KHO_ENOTCAPTURED:
		return "memory not captured in the image";
	case KHO_ERANGE:
		return "address outside physical memory";
	case KHO_ECORRUPT:
		return "malformed structure";
	case KHO_ENOENT:
		return "not found";
	case KHO_ELIMIT:
		return "resource limit reached";
	case KHO_EINVAL:
		return "invalid argument";
	case KHO_EIO:
		return "input/output error";
	case KHO_EFORMAT:
		return "unrecognised or malformed format";
	}
	return "unknown error";
}
