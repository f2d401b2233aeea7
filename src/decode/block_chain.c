// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's block-chain service (host op block_chain, kho_block_chain() for
 * plugins): walks a chain of KHO serialization blocks (kho-abi.md §5,
 * invariants §11.6) for an owner that knows the entry size.  Its check ids
 * are declared in check_registry.h.
 *
 * Each block is one page, starting with a 16-byte header {u64 next; u64
 * count} followed by `count` entries of entry_size bytes; a block holds at
 * most (PAGE_SIZE - 16) / entry_size entries.  The reader in the kernel
 * refuses chains longer than 10000 blocks, cyclic chains and blocks whose
 * count is 0 or above the capacity.
 *
 * The chain is walked twice: first only along `next` (Brent's cycle
 * detection in chain.h, no memory) to learn how many distinct, readable
 * blocks there are, then over exactly those blocks, checking each header
 * and handing every entry to the owner's callback in order.
 *
 * It was a plugin once and still goes through the plugin API's accessors
 * (the host's own ops), so that it reads image memory as every decoder does.
 */
#include <stdlib.h>
#include <string.h>

#include "kho/plugin.h"

#include "chain.h"
#include "session_internal.h"

#define KHO_MAX_BLOCKS 10000u
#define BLOCK_HDR 16u

/* ---------------------------------------------------------- the service */

static void report_unreadable(struct kho_ctx *c, struct kho_obj *o,
			      uint64_t idx, uint64_t phys, int err)
{
	if (err == 1)
		kho_finding(c, o, KHO_SEV_ERROR, "block.unaligned", phys,
			    "block %llu at 0x%llx is not page aligned",
			    (unsigned long long)idx, (unsigned long long)phys);
	else if (err == KHO_ERANGE)
		kho_finding(c, o, KHO_SEV_ERROR, "block.not-captured", phys,
			    "block %llu at 0x%llx lies outside physical memory",
			    (unsigned long long)idx, (unsigned long long)phys);
	else
		kho_finding(c, o, KHO_SEV_WARNING, "block.not-captured", phys,
			    "block %llu at 0x%llx is not captured",
			    (unsigned long long)idx, (unsigned long long)phys);
}

int kho_block_chain_walk(struct kho_ctx *c, struct kho_obj *parent,
			const char *name, uint64_t first, size_t entry_size,
			kho_block_entry_fn fn, void *arg,
			struct kho_block_chain_result *out)
{
	const uint64_t ps = kho_page_size(c);
	uint64_t capacity, nblocks, nentries = 0, cur, k, e;
	int complete = 1, have_map = 1, walked_all = 1, calling = fn != NULL;
	int ret = 0;
	uint8_t *buf;
	struct kho_obj *o;
	struct chain_walk w;

	if (out)
		memset(out, 0, sizeof(*out));
	if (entry_size == 0 || entry_size > ps - BLOCK_HDR)
		return KHO_EINVAL;
	capacity = (ps - BLOCK_HDR) / entry_size;

	o = kho_obj_new(c, parent, "block-chain", name ? name : "blocks");
	if (!o)
		return KHO_ELIMIT;
	if (first)
		kho_phys(c, o, first, ps);
	kho_hex(c, o, "first", first);

	/* First pass: how many distinct, readable blocks are there? */
	chain_walk(c, first, KHO_MAX_BLOCKS, chain_page_next, &w);
	nblocks = w.n;

	buf = malloc(ps);
	if (!buf)
		return KHO_ENOMEM;

	/* Second pass: exactly those blocks, in chain order. */
	cur = first;
	for (k = 0; k < nblocks; k++) {
		const void *mapped;
		const uint8_t *blk;
		uint64_t next, count, n;
		int rc;

		rc = kho_map(c, cur, ps, &mapped);
		blk = mapped;
		if (rc) {
			/* The page may straddle two segments: copy it. */
			rc = kho_read(c, cur, buf, ps);
			blk = buf;
		}
		if (rc) {
			report_unreadable(c, o, k, cur, rc);
			complete = 0;
			walked_all = 0;
			break;
		}
		if (have_map &&
		    kho_expect_block(c, o, "KHO block", cur, 0) ==
		    KHO_ENOTCAPTURED)
			have_map = 0;

		next = kho_get_u64(c, blk);
		count = kho_get_u64(c, blk + 8);
		n = count;
		if (count == 0) {
			kho_finding(c, o, KHO_SEV_ERROR, "block.count-zero", cur,
				    "block %llu at 0x%llx has count 0; every block must hold 1..%llu entries",
				    (unsigned long long)k,
				    (unsigned long long)cur,
				    (unsigned long long)capacity);
			complete = 0;
		} else if (count > capacity) {
			kho_finding(c, o, KHO_SEV_ERROR, "block.count-over", cur,
				    "block %llu at 0x%llx has count %llu, above the %llu entries of %zu bytes a block holds; its entries are not decoded",
				    (unsigned long long)k,
				    (unsigned long long)cur,
				    (unsigned long long)count,
				    (unsigned long long)capacity, entry_size);
			complete = 0;
			/*
			 * The kernel rejects the chain; which of the slots
			 * hold real entries is unknown, so hand none of them
			 * to the owner rather than a page of guesses.
			 */
			n = 0;
		}
		for (e = 0; e < n && calling; e++) {
			uint64_t off = BLOCK_HDR + e * entry_size;

			rc = fn(c, arg, nentries + e, cur + off, blk + off);
			if (rc > 0) {
				calling = 0; /* the owner has seen enough */
			} else if (rc < 0) {
				calling = 0;
				ret = rc;
			}
		}
		nentries += n;
		cur = next;
	}
	free(buf);

	/* Why the first pass stopped, when it was not the end of the chain. */
	if (walked_all) {
		switch (w.why) {
		case CHAIN_END:
			break;
		case CHAIN_BAD:
			report_unreadable(c, o, w.n, w.bad, w.err);
			complete = 0;
			break;
		case CHAIN_CYCLE:
			kho_finding(c, o, KHO_SEV_ERROR, "block.cycle", w.bad,
				    "block chain loops: block %llu links back to block 0x%llx",
				    (unsigned long long)(w.distinct - 1),
				    (unsigned long long)w.bad);
			complete = 0;
			break;
		case CHAIN_LIMIT:
			kho_finding(c, o, KHO_SEV_ERROR, "block.too-many", cur,
				    "block chain goes on past %u blocks (KHO_MAX_BLOCKS); walk stopped",
				    KHO_MAX_BLOCKS);
			complete = 0;
			break;
		}
	}

	kho_u64(c, o, "nr_blocks", k);
	kho_u64(c, o, "nr_entries", nentries);
	kho_u64(c, o, "entry_size", entry_size);
	kho_u64(c, o, "capacity", capacity);

	if (out) {
		out->nr_blocks = k;
		out->nr_entries = nentries;
		out->complete = complete;
	}
	return ret;
}
