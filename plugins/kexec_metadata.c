// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-metadata decoder: the raw `kexec-metadata` sub-blob (kho-abi.md §7,
 * invariants §11.9 item 21).
 *
 * struct kho_kexec_metadata is packed, 73 bytes:
 *   @0  u32  version           (1)
 *   @4  char previous_release[65], NUL-terminated
 *   @69 u32  kexec_count       (unaligned; 1 after the first kexec)
 * It sits in its own preserved order-0 block.  The next kernel ignores it,
 * with a warning, when blob-size is short or the version is not 1.
 */
#include <string.h>

#include "kho/plugin.h"

#define KM_SIZE 73u
#define KM_VERSION 1u
#define KM_RELEASE_OFF 4u
#define KM_RELEASE_LEN 65u
#define KM_COUNT_OFF 69u

static const char *const km_nodes[] = { "kexec-metadata", NULL };
static const char *const km_compats[] = { NULL };

static const char *const km_checks[] = {
	"kexec-metadata.blob-size",
	"kexec-metadata.version",
	"kexec-metadata.release-no-nul",
	"kexec-metadata.kexec-count",
	"kexec-metadata.not-captured",
	NULL,
};

static int km_decode(struct kho_ctx *c, struct kho_obj *parent,
		     const struct kho_blob *blob)
{
	const char *name = blob->node_name ? blob->node_name : "kexec-metadata";
	uint8_t b[KM_SIZE];
	char rel[KM_RELEASE_LEN + 1];
	uint64_t have; /* bytes of the struct the blob really holds */
	uint32_t version, count;
	struct kho_obj *o;
	long rlen;
	int rc = 0;
	size_t i;

	o = kho_obj_new(c, parent, "kexec-metadata", name);
	if (!o)
		return KHO_ELIMIT;
	if (blob->phys) {
		kho_phys(c, o, blob->phys, blob->size ? blob->size : KM_SIZE);
		kho_expect_block(c, o, "kexec-metadata", blob->phys, 0);
	}
	if (blob->size)
		kho_size(c, o, "blob-size", blob->size);

	/* The struct may only be read as far as blob-size says it goes. */
	have = blob->size && blob->size < KM_SIZE ? blob->size : KM_SIZE;
	if (blob->size && blob->size < KM_SIZE)
		kho_finding(c, o, KHO_SEV_ERROR, "kexec-metadata.blob-size",
			    blob->phys,
			    "blob-size %llu is smaller than struct kho_kexec_metadata (%u bytes)",
			    (unsigned long long)blob->size, KM_SIZE);

	memset(b, 0, sizeof(b));
	if (blob->data) {
		if (blob->data_len < have)
			have = blob->data_len;
		memcpy(b, blob->data, have);
	} else if (blob->phys) {
		rc = kho_read(c, blob->phys, b, have);
	} else {
		rc = KHO_ENOTCAPTURED;
	}
	if (rc) {
		kho_finding(c, o, rc == KHO_ERANGE ? KHO_SEV_ERROR :
			    KHO_SEV_WARNING, "kexec-metadata.not-captured",
			    blob->phys, "kexec-metadata at 0x%llx is %s",
			    (unsigned long long)blob->phys,
			    rc == KHO_ERANGE ? "outside physical memory" :
			    "not captured");
		return 0;
	}

	if (have < 4)
		return 0;
	version = kho_get_u32(c, b);
	kho_u64(c, o, "version", version);
	if (version != KM_VERSION)
		kho_finding(c, o, KHO_SEV_WARNING, "kexec-metadata.version",
			    blob->phys,
			    "version %u is not %u; the next kernel ignores the metadata",
			    (unsigned int)version, KM_VERSION);

	if (have < KM_RELEASE_OFF + KM_RELEASE_LEN)
		return 0;
	rlen = kho_strnlen_field(b + KM_RELEASE_OFF, KM_RELEASE_LEN);
	if (rlen < 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "kexec-metadata.release-no-nul",
			    blob->phys + KM_RELEASE_OFF,
			    "previous_release has no NUL within %u bytes",
			    KM_RELEASE_LEN);
		rlen = KM_RELEASE_LEN;
	}
	/* Show it as text, unprintable bytes replaced. */
	for (i = 0; i < (size_t)rlen; i++) {
		uint8_t ch = b[KM_RELEASE_OFF + i];

		rel[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	rel[rlen] = '\0';
	kho_str(c, o, "previous_release", rel);

	if (have < KM_SIZE)
		return 0;
	count = kho_get_u32(c, b + KM_COUNT_OFF);
	kho_u64(c, o, "kexec_count", count);
	if (count == 0)
		kho_finding(c, o, KHO_SEV_WARNING, "kexec-metadata.kexec-count",
			    blob->phys + KM_COUNT_OFF,
			    "kexec_count is 0; the producer writes at least 1");
	return 0;
}

KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "kexec-metadata",
	.description = "kexec-metadata: previous release and kexec count",
	.role = KHO_ROLE_BLOB,
	.compats = km_compats,
	.node_names = km_nodes,
	.checks = km_checks,
	.decode = km_decode,
};
