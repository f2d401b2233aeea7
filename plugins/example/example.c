// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * example.c - a complete kho-inspect decoder, written as a tutorial.
 *
 * The scenario: a (made-up) kernel driver preserves a counter across kexec
 * through the Live Update Orchestrator.  Its LUO file handler has the
 * compatible string "example-counter-v1", and the handler's `data` word in
 * struct luo_file_ser holds the physical address of this structure, which
 * the driver allocated with kho_alloc_preserve() (so it sits alone in one
 * preserved order-0 page):
 *
 *	struct example_counter_ser {
 *		u64 magic;	// 0x45584d504c435452, "EXMPLCTR"
 *		u64 counter;
 *	};
 *
 * The LUO decoder finds the file, sees its compatible string and asks the
 * host to decode `data`; the host looks for a plugin that lists
 * "example-counter-v1" in its `compats` and calls its `decode` function.
 * Without this plugin, kho-inspect reports the note "no decoder for
 * example-counter-v1" and shows the file's data as an opaque address.
 *
 * Build it with the Makefile next to this file, then load it with
 * `kho-inspect --plugin-dir DIR` or by putting DIR into
 * $KHO_INSPECT_PLUGIN_PATH.  See kho-inspect-plugins(7).
 */

/*
 * The plugin API is this one header (it brings kho/err.h, the error
 * codes, along).  A plugin must not include anything from the kho-inspect
 * sources: the host may change them at will, while plugin.h is versioned
 * (major.minor, KHO_PLUGIN_API_VERSION).  This file uses nothing newer
 * than 1.0, so it also builds with -DKHO_PLUGIN_TARGET_MINOR=0 and then
 * loads into any kho-inspect of major version 1.
 */
#include "kho/plugin.h"

/*
 * Name the constants of the format once.  Use the kernel's spelling, so
 * that someone reading the driver and the decoder side by side recognises
 * every number.
 */
#define EXAMPLE_COMPAT "example-counter-v1"
#define EXAMPLE_MAGIC 0x45584d504c435452ull /* "EXMPLCTR" */
#define EXAMPLE_SER_SIZE 16u

/*
 * Every check this plugin can report, by stable id.  The host lists them in
 * `kho-inspect checks`, users filter findings by them, and test suites grep
 * for them, so an id never changes meaning once released.  The convention is
 * "<plugin>.<what-is-wrong>", lower case, words joined by '-'.
 */
static const char *const example_checks[] = {
	"example.null-data",    /* luo_file_ser.data is 0 */
	"example.not-captured", /* the structure is not in the image */
	"example.bad-magic",    /* magic is not "EXMPLCTR" */
	NULL,
};

/* The compat strings we decode.  The list is NULL-terminated. */
static const char *const example_compats[] = { EXAMPLE_COMPAT, NULL };

/*
 * The decoder.  `parent` is the object of the LUO file whose handler we
 * decode; we hang our own object below it.  `blob` says what to decode:
 * for a LUO file, blob->compat is the handler's compatible string,
 * blob->phys is luo_file_ser.data, blob->token is the file's token and
 * blob->size is 0 (the LUO ABI does not record a size).
 *
 * The return value is for real failures of the tool (out of memory, a
 * limit reached).  A broken image is *not* a failure: it is the normal case
 * for a validator.  Report what is wrong as findings and return 0.
 */
static int example_decode(struct kho_ctx *c, struct kho_obj *parent,
			  const struct kho_blob *blob)
{
	uint8_t ser[EXAMPLE_SER_SIZE];
	uint64_t magic, counter;
	struct kho_obj *o;
	int rc;

	/*
	 * Step 1: create the object first, before looking at any byte, so
	 * that every finding below has an object (and a path such as
	 * /LUO/sessions/vm0/files/3/counter) to hang on.  The host limits the
	 * number of objects; NULL means that limit was hit: stop quietly.
	 */
	o = kho_obj_new(c, parent, "example-counter", "counter");
	if (!o)
		return KHO_ELIMIT;
	if (blob->compat)
		kho_compat(c, o, blob->compat);

	/*
	 * Step 2: check the pointer before following it.  Physical address 0
	 * always means "none" in KHO; the driver never writes it.
	 */
	if (blob->phys == 0) {
		kho_finding(c, o, KHO_SEV_ERROR, "example.null-data", 0,
			    "luo_file_ser.data is 0; " EXAMPLE_COMPAT
			    " always points at its state page");
		return 0;
	}
	kho_phys(c, o, blob->phys, EXAMPLE_SER_SIZE);

	/*
	 * Step 3: coverage.  The driver allocated the structure with
	 * kho_alloc_preserve(), so exactly one order-0 block must start at
	 * blob->phys in the preserved-memory map.  kho_expect_block() checks
	 * that, reports coverage.not-preserved or coverage.order-mismatch on
	 * our object if it is wrong, and marks the block as accounted for, so
	 * that it is not listed as "unattributed" at the end.  This is also
	 * what catches a misaligned pointer: no block starts there.
	 */
	kho_expect_block(c, o, "example counter", blob->phys, 0);

	/*
	 * Step 4: read the bytes.  Image memory is reached only through
	 * kho_read()/kho_map(), which check the bounds for us.  A capture may
	 * legitimately lack this page (e.g. a debugfs-only capture): that is
	 * a warning, "not captured", not a corrupt image.  An address outside
	 * any physical memory, however, is corruption.
	 */
	rc = kho_read(c, blob->phys, ser, sizeof(ser));
	if (rc) {
		kho_finding(c, o, rc == KHO_ERANGE ? KHO_SEV_ERROR :
			    KHO_SEV_WARNING, "example.not-captured", blob->phys,
			    "counter state at 0x%llx is %s",
			    (unsigned long long)blob->phys,
			    rc == KHO_ERANGE ? "outside physical memory" :
			    "not captured");
		return 0;
	}

	/*
	 * Step 5: decode the integers in the *image's* byte order, never with
	 * a cast: the image may come from a big-endian machine, and the bytes
	 * need not be aligned for the host CPU.
	 */
	magic = kho_get_u64(c, ser);
	counter = kho_get_u64(c, ser + 8);

	/*
	 * Step 6: publish the fields under the names the driver uses.
	 * kho_hex() is for addresses, flags and magic numbers (shown as
	 * "0x..."), kho_u64() for counts and values.
	 */
	kho_hex(c, o, "magic", magic);
	kho_u64(c, o, "counter", counter);

	/*
	 * Step 7: validate.  One finding per problem, one line, naming the
	 * field, the value found and the value expected, no trailing period.
	 * Errors are what the next kernel would reject; warnings are
	 * suspicious but survivable; notes are information.
	 */
	if (magic != EXAMPLE_MAGIC)
		kho_finding(c, o, KHO_SEV_ERROR, "example.bad-magic", blob->phys,
			    "magic 0x%016llx, expected 0x%016llx (\"EXMPLCTR\")",
			    (unsigned long long)magic,
			    (unsigned long long)EXAMPLE_MAGIC);
	return 0;
}

/*
 * Step 8: export the plugin.  The host dlopen()s the shared object, finds
 * this one symbol and refuses it unless api_version names the host's major
 * version and a minor no newer than the host's.
 * There is no init or exit hook and no global mutable state: one process
 * may run several sessions, and everything a decoder needs arrives through
 * its arguments.
 */
KHO_PLUGIN_DEFINE = {
	.api_version = KHO_PLUGIN_API_VERSION,
	.name = "example",
	.description = "example-counter-v1 LUO file handler (tutorial)",
	.role = KHO_ROLE_BLOB,
	.compats = example_compats,
	.checks = example_checks,
	.decode = example_decode,
};
