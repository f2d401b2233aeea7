/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Consequence rules: what the next kernel does with the condition a finding
 * reports (issue 12).  An X-macro table with no include guard: define
 * RULE(id, family, vmin, vmax, consequence, source) and include it.
 *
 *   id           a finding id, a prefix ending in '*' ("image.*"), or
 *                id@qualifier (below).
 *   family       whose version selects the rule: "kho" (root kho-vN),
 *                "luo" (luo-vN), "memfd" (memfd-vN) or "any".
 *   vmin, vmax   inclusive version range of that family (kho 1..4,
 *                luo 1..5, memfd 1..2).  With "any" both are 0 and the
 *                version is not looked at.
 *   consequence  PANIC, ALL_LOST, SESSION_LOST, FILE_EIO, DATA_LOST, MEMORY_LEAKED,
 *                WARNING_ONLY, NONE or UNKNOWN.
 *   source       the kernel file:function that decides it, and why.  Rules
 *                about our own tool or container say "tool:".
 *
 * Lookup, first hit wins:
 *   1. id@qualifier (the id part may be a prefix, "vmalloc.*@kho-test";
 *      an exact id beats a prefix at the same object).  The qualifier is an object kind (the kind strings of
 *      kho_obj_new: "luo", "luo-session", "memfd", "vmalloc", "block-chain",
 *      "luo-file", "luo-flb", "luo-flbs", "kho-root", "kho-test", ...).  It
 *      is compared with the kind of the finding's own object first, then
 *      with its parent's kind, and so on up to the root: the nearest match
 *      wins.  So block.count-zero@luo matches the session chain (its
 *      block-chain object hangs directly under the "luo" object) and
 *      block.count-zero@luo-session the file chain of a session (whose
 *      block-chain hangs under a "luo-session").
 *      root.* findings about a sub-node are all reported on the root object
 *      ("kho-root"), so kind cannot tell the consumers apart; for them the
 *      qualifier is "subnode:" and the sub-node name, e.g.
 *      root.blob-size-missing@subnode:LUO.  The host has to pass the name
 *      along with the finding for this to match.
 *   2. the exact id.
 *   3. the longest matching prefix.
 *   Within one of these, the rule whose family/version range holds the
 *   image's version of that family; when rules of two families both hold
 *   (luo.bad-compat, luo.fdt), the one of the id's own family wins (they
 *   agree today).  No rule at all means UNKNOWN.
 *
 * Family of a finding: luo.* and block.* rules use the LUO version, memfd.*
 * the memfd version, everything else the root kho version.  When the
 * finding is precisely that the family version could not be determined
 * (luo.bad-compat), the rule is keyed on the root kho version, which says
 * which kernel will read the blob.  compat.* findings are judged in
 * src/analysis/compat_check.c, against the target table.
 *
 * Generations: kho-v4 / luo-v5 / memfd-v2 is linux 7.2 (7.2.13 read at
 * build/vmtest/linux-7.2.13-1).  Older generations are in the second part;
 * where their sources could not be confirmed the rule says UNKNOWN.
 *
 * Ids marked "proposed" below are not emitted by any decoder yet: they are
 * the splits of an id whose situations have different consequences, see
 * rules-notes.md.  Until a decoder emits them, the unsplit id's rule holds
 * the worst confirmed consequence and says so.
 *
 * Written from reading the kernel's restore paths; no kernel text is copied.
 */

/* ================================================================ 7.2 ==
 * kho-v4, luo-v5, memfd-v2: linux 7.2.13 */

/* ---- root FDT: kernel/liveupdate/kexec_handover.c:kho_populate() */
RULE("root.bad-magic", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_check_header() fails -> 'disabling KHO revival'")
RULE("root.invalid", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate(): only fdt_check_header() + root compatible + preserved-memory-map are read; a header error disables revival, a bad sub-node only breaks its consumer; the id does not say which")
RULE("root.version", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_check_header() rejects only versions < 2 or last_comp_version > 17; how libfdt reads a v2..v15 tree was not checked")
RULE("root.too-large", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_check_header() does not compare totalsize with the mapped length; only the root page is preserved, later reads go through phys_to_virt()")
RULE("root.truncated", "any", 0, 0, UNKNOWN, "tool: the image holds fewer bytes than the FDT's totalsize")
RULE("root.missing", "any", 0, 0, UNKNOWN, "tool: no root FDT found in the image")
RULE("root.no-compatible", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_node_check_compatible(root, 'kho-v4') fails without a NUL-terminated kho-v4 string -> 'disabling KHO revival'")
RULE("root.compat-list", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_node_check_compatible() accepts a string list that contains kho-v4")
RULE("root.unknown-compat", "any", 0, 0, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate(): fdt_node_check_compatible() fails unless the list holds the target's own kho-vN -> 'disabling KHO revival' (a later list entry equal to it is accepted; root.c only looks at the first)")
RULE("root.composite-order", "any", 0, 0, UNKNOWN, "RFC composite compatible (kho-v4;radix-v1;...), not merged: no released reader; 7.2 itself rejects any root string other than kho-v4 (ALL_LOST)")
RULE("root.no-memmap", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_get_mem_map_phys() returns 0 -> kho_populate() 'disabling KHO revival'")
RULE("root.memmap-zero", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate(): mem_map_phys == 0 -> 'disabling KHO revival'")
RULE("root.memmap-unaligned", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_mem_retrieve(): no alignment check, the walk reads table slots at the unaligned address")
RULE("root.memmap-consumed", "any", 0, 0, NONE, "tool: incoming image, the map was already consumed at boot")
RULE("root.debugfs-prefix", "any", 0, 0, NONE, "tool: debugfs out/fdt shows a prefix of the root FDT")
RULE("root.memrsv", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_populate(): the memory reservation block of the KHO FDT is never read")
RULE("root.in-scratch", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate() -> memblock_set_kho_scratch_only(): early allocations come from scratch, the root FDT is re-read later via phys_to_virt() (kho_retrieve_subtree); whether it is overwritten first depends on the boot")
RULE("root.nested", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): fdt_subnode_offset() of the root only; children of sub-nodes are never read")
RULE("root.subnode-name", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): consumers look sub-nodes up by fixed names; an empty name is never asked for")
RULE("root.subnode-prop", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): reads only preserved-data and blob-size")
RULE("root.subnode-unaligned", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): any address is returned and used through phys_to_virt(); coverage.* says whether the bytes are preserved")
RULE("root.blob-size-range", "kho", 4, 4, NONE, "kernel/liveupdate/luo_core.c:luo_early_startup() and kexec_handover.c:kho_in_kexec_metadata() only compare blob-size with a minimum; memblock ignores it (debugfs in/sub_fdts would expose that many bytes)")
RULE("root.subnode-duplicate", "kho", 4, 4, MEMORY_LEAKED, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): fdt_subnode_offset() returns the first; the second node's preserved blob is never restored")
RULE("root.subnode-not-captured", "any", 0, 0, UNKNOWN, "tool: the sub-FDT is not in the image")
/* root sub-node findings by consumer (qualifier subnode:<name>) */
RULE("root.prop-size", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_get_mem_map_phys(): preserved-memory-map len != 8 -> kho_populate() 'disabling KHO revival' (unsplit id: also used for sub-node properties, see @subnode: rules)")
RULE("root.prop-size@subnode:LUO", "kho", 4, 4, PANIC, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree() -EINVAL -> luo_core.c:luo_early_startup() error -> liveupdate_early_init() luo_restore_fail() = panic")
RULE("root.prop-size@subnode:memblock", "kho", 4, 4, DATA_LOST, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): kho_retrieve_subtree() -EINVAL -> no region revived, the preserved regions stay reserved and a new one is allocated; the region's contents are lost (and its old pages stay reserved)")
RULE("root.prop-size@subnode:kexec-metadata", "kho", 4, 4, WARNING_ONLY, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): retrieve error -> metadata ignored (blob-size of the wrong length is warned by kho_retrieve_subtree())")
RULE("root.prop-size@subnode:kho_test", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_init(): retrieve -EINVAL -> warning, test state never restored")
RULE("root.subnode-missing-prop", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): no preserved-data -> -EINVAL; the consequence is the consumer's, see @subnode: rules")
RULE("root.subnode-missing-prop@subnode:LUO", "kho", 4, 4, PANIC, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree() -EINVAL -> luo_core.c:luo_early_startup() error -> luo_restore_fail() = panic")
RULE("root.subnode-missing-prop@subnode:memblock", "kho", 4, 4, DATA_LOST, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): -EINVAL -> no region revived, the preserved regions stay reserved; the region's contents are lost (and its old pages stay reserved)")
RULE("root.subnode-missing-prop@subnode:kexec-metadata", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): any retrieve error is ignored silently (metadata is informational)")
RULE("root.subnode-missing-prop@subnode:kho_test", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_init(): -EINVAL -> test state never restored")
RULE("root.blob-size-missing", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): no blob-size -> warning + -EINVAL; the consequence is the consumer's, see @subnode: rules")
RULE("root.blob-size-missing@subnode:LUO", "kho", 4, 4, PANIC, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree() -EINVAL -> luo_core.c:luo_early_startup() error -> luo_restore_fail() = panic")
RULE("root.blob-size-missing@subnode:memblock", "kho", 4, 4, DATA_LOST, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): kho_retrieve_subtree() checks blob-size even with size NULL -> -EINVAL -> no region revived; the region's contents are lost (and its old pages stay reserved)")
RULE("root.blob-size-missing@subnode:kexec-metadata", "kho", 4, 4, WARNING_ONLY, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree() warns 'broken KHO subnode' -> kho_in_kexec_metadata() ignores the metadata")
RULE("root.blob-size-missing@subnode:kho_test", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_init(): -EINVAL -> test state never restored")
RULE("root.blob-size-zero", "kho", 4, 4, UNKNOWN, "blob-size 0 is accepted by kho_retrieve_subtree(); the consequence is the consumer's, see @subnode: rules")
RULE("root.blob-size-zero@subnode:LUO", "kho", 4, 4, PANIC, "kernel/liveupdate/luo_core.c:luo_early_startup(): len < sizeof(struct luo_ser) -> -EINVAL -> luo_restore_fail() = panic")
RULE("root.blob-size-zero@subnode:memblock", "kho", 4, 4, NONE, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): passes size NULL, never reads blob-size's value")
RULE("root.blob-size-zero@subnode:kexec-metadata", "kho", 4, 4, WARNING_ONLY, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): blob_size < 4 -> 'kexec-metadata blob too small', ignored")
RULE("root.blob-size-zero@subnode:kho_test", "kho", 4, 4, NONE, "lib/test_kho.c:kho_test_init(): passes size NULL")
RULE("root.subnode-null", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree() returns phys 0 without a check; each consumer reads physical page 0 as its blob")
RULE("root.subnode-null@subnode:LUO", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/luo_core.c:luo_early_startup(): reads page 0 as luo_ser; panics (luo_restore_fail) unless it happens to start with luo-v5")

/* ---- radix memory map: kernel/liveupdate/kexec_handover.c:kho_mem_retrieve() */
RULE("radix.zero-map", "kho", 4, 4, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate(): preserved-memory-map 0 -> 'disabling KHO revival'")
RULE("radix.unaligned-node", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:__kho_radix_walk_tree(): follows phys_to_virt(table[i]) without an alignment check")
RULE("radix.node-out-of-range", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:__kho_radix_walk_tree(): dereferences phys_to_virt() of any non-zero slot at early boot; an unmapped address faults, a mapped one is read as a node")
RULE("radix.node-not-captured", "any", 0, 0, UNKNOWN, "tool: the node is not in the image")
RULE("radix.cycle", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:__kho_radix_walk_tree(): fixed depth, so no loop; the revisited node is read as a lower level and its words as pointers or bitmap bits")
RULE("radix.shared-node", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:__kho_radix_walk_tree(): the shared subtree is walked once per parent with different key prefixes; the extra blocks are memblock_reserve()d and their struct page written")
RULE("radix.bad-root-index", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_radix_decode_key(): decodes every set bit without checking the key; kho_preserved_memory_reserve() reserves and writes the struct page of whatever it gives")
RULE("radix.bad-index", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_radix_decode_key(): as radix.bad-root-index")
RULE("radix.bad-key", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_radix_walk_leaf() -> kho_preserved_memory_reserve(): no check of the decoded (phys, order); a struct page past memory may be written at early boot")
RULE("radix.order-too-large", "kho", 4, 4, NONE, "only fires for a kho-v2 target (int overflow in that generation); 7.2 computes the size in u64 (kho_preserved_memory_reserve)")
RULE("radix.too-many-nodes", "any", 0, 0, UNKNOWN, "tool: node cap reached, the rest of the tree is not checked")
RULE("radix.lossy-depth", "kho", 4, 4, UNKNOWN, "note on the depth formula for the page size: how the 7.2 walk (KHO_TREE_MAX_DEPTH) treats such keys was not checked here")
RULE("radix.page-size", "any", 0, 0, UNKNOWN, "tool: page size not supported by the decoder")

/* ---- map vs objects (src/decode/memmap_host.c, plugins/radix.c) */
RULE("memmap.overlap", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_preserved_memory_reserve(): both blocks get a head magic; which restore succeeds depends on the order of restores")
RULE("memmap.block-in-scratch", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate() memblock_set_kho_scratch_only(): early allocations come from scratch before kho_memory_init() reserves the block; whether its bytes are overwritten depends on the boot")
RULE("memmap.scratch-overlap", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_memory_init(): the map is walked after early allocations from scratch; a node there may already be overwritten")
RULE("memmap.block-over-map-page", "kho", 4, 4, UNKNOWN, "map nodes are plain pages (kho_radix_add_page), not preserved; a block covering one means one of the two is corrupt")
RULE("memmap.unattributed", "any", 0, 0, NONE, "tool: blocks no decoder claims (the kernel reserves them; an owner we do not decode may restore them)")
RULE("coverage.not-preserved", "kho", 4, 4, UNKNOWN, "memory not in the map is free in the next kernel; what breaks depends on the object, see @kind rules")
RULE("coverage.not-preserved@memfd", "kho", 4, 4, UNKNOWN, "mm/memfd_luo.c: a folio not preserved -> kho_restore_folio() NULL -> retrieve -EIO (FILE_EIO); memfd_luo_ser itself not preserved -> read through phys_to_virt() after boot (may be reused); split by 'what' needed")
RULE("coverage.not-preserved@vmalloc", "kho", 4, 4, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): kho_restore_pages() of a chunk or run without the head magic returns NULL -> memfd_luo_retrieve() -EINVAL")
RULE("coverage.not-preserved@block-chain", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kho_block.c: blocks are read through phys_to_virt() after the page allocator runs; unpreserved ones may be reused; kho_restore_free() then WARNs")
RULE("coverage.not-preserved@luo", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/luo_core.c:luo_early_startup(): luo_ser read at early_initcall, after free memory may be reused; kho_restore_free() WARNs")
RULE("coverage.not-preserved@kho-root", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_retrieve_subtree(): the root FDT is re-read through phys_to_virt() at initcalls; an unpreserved page may be reused by then")
RULE("coverage.not-preserved@reserve-mem", "kho", 4, 4, UNKNOWN, "mm/memblock.c:reserve_mem_kho_revive(): the region is revived without memblock_reserve(); the unpreserved part is free memory while its user keeps writing it")
RULE("coverage.not-preserved@memblock", "kho", 4, 4, NONE, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): read only from early_param reserve_mem, while allocations are confined to scratch")
RULE("coverage.not-preserved@kho-test", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore_data(): kho_restore_folio() NULL -> loop stops, checksum fails, the rest stays reserved")
RULE("coverage.order-mismatch", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_restore_page(): works when the object's address is the bigger block's head (with that block's order), fails with a WARN otherwise")
RULE("coverage.range-wraps", "any", 0, 0, UNKNOWN, "tool: the object's range wraps, it cannot be checked")

/* ---- vmalloc (used by memfd-v2 folios and lib/test_kho.c):
 *      kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc() */
RULE("vmalloc.flags", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_flags_to_vmalloc(): bits other than ALLOC|HUGE_VMAP are dropped, so the SUPPORTED_FLAGS check never fails")
RULE("vmalloc.order", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): order is neither checked against HUGE_VMAP nor MAX_PAGE_ORDER; it is used as the run size and mapping shift")
RULE("vmalloc.first-vs-total", "kho", 4, 4, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): first 0 -> idx != total_pages; total 0 -> first run exceeds it -> NULL -> memfd_luo_retrieve() -EINVAL")
RULE("vmalloc.total-pages", "kho", 4, 4, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): idx + run > total_pages or idx != total_pages -> NULL -> memfd_luo_retrieve() -EINVAL")
RULE("vmalloc.cycle", "kho", 4, 4, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): no cycle check, but the revisited runs exceed total_pages or have lost their magic -> NULL (WARN) -> retrieve -EINVAL")
RULE("vmalloc.duplicate-run", "kho", 4, 4, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_page(): second restore finds the magic cleared -> WARN, NULL -> retrieve -EINVAL")
RULE("vmalloc.run-overlaps-chunk", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): fails if the chunk page was a restored head of the run, else the page ends up both mapped and freed")
RULE("vmalloc.unaligned-chunk", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): no alignment check; kho_restore_pages(virt_to_phys(chunk)) truncates to the page, content read from the unaligned address")
RULE("vmalloc.unaligned-run", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_restore_pages(): splits by alignment and needs a magic on each piece head; depends on how the pages were preserved")
RULE("vmalloc.full-chunk-no-next", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_restore_vmalloc(): a full chunk with next 0 simply ends the list")
RULE("vmalloc.*@kho-test", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore_data(): kho_restore_vmalloc() NULL -> -EINVAL 'KHO restore failed', folios never restored")
RULE("vmalloc.*@guest-memfd", "kho", 4, 4, NONE, "7.2 has no guest_memfd handler; the descriptor is never read")
RULE("vmalloc.not-captured", "any", 0, 0, UNKNOWN, "tool: chunk not in the image (or outside memory: the kernel dereferences it unchecked)")

/* ---- KHO block chains: kernel/liveupdate/kho_block.c:kho_block_set_restore() */
RULE("block.count-zero", "luo", 5, 5, PANIC, "unsplit id, worst case (session chain); see @luo / @luo-session")
RULE("block.count-over", "luo", 5, 5, PANIC, "unsplit id, worst case (session chain); see @luo / @luo-session")
RULE("block.cycle", "luo", 5, 5, PANIC, "unsplit id, worst case (session chain); see @luo / @luo-session")
RULE("block.too-many", "luo", 5, 5, PANIC, "unsplit id, worst case (session chain); see @luo / @luo-session")
RULE("block.count-zero@luo", "luo", 5, 5, PANIC, "kernel/liveupdate/kho_block.c:kho_block_set_restore() count 0 -> -EINVAL -> luo_session.c:luo_session_setup_incoming() -> luo_core.c:liveupdate_early_init() luo_restore_fail() = panic")
RULE("block.count-over@luo", "luo", 5, 5, PANIC, "kernel/liveupdate/kho_block.c:kho_block_set_restore() count > count_per_block -> -EINVAL -> luo_restore_fail() = panic")
RULE("block.cycle@luo", "luo", 5, 5, PANIC, "kernel/liveupdate/kho_block.c:kho_block_set_is_cyclic() -> -EINVAL -> luo_restore_fail() = panic")
RULE("block.too-many@luo", "luo", 5, 5, PANIC, "kernel/liveupdate/kho_block.c:kho_block_add() -ENOSPC past KHO_MAX_BLOCKS (or is_cyclic count) -> luo_restore_fail() = panic")
RULE("block.count-zero@luo-session", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize() -> kho_block_set_restore() -EINVAL -> luo_session_deserialize() fails -> luo_core.c:luo_open() -EIO")
RULE("block.count-over@luo-session", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize() -> kho_block_set_restore() -EINVAL -> luo_open() -EIO")
RULE("block.cycle@luo-session", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize() -> kho_block_set_is_cyclic() -EINVAL -> luo_open() -EIO")
RULE("block.too-many@luo-session", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize() -> kho_block_add() -ENOSPC -> luo_open() -EIO")
RULE("block.unaligned", "luo", 5, 5, UNKNOWN, "kernel/liveupdate/kho_block.c:kho_block_set_restore(): no alignment check; header read at the unaligned address, kho_restore_free() truncates it to its page")
RULE("block.not-captured", "any", 0, 0, UNKNOWN, "tool: block not in the image (or outside memory: the kernel dereferences it unchecked)")

/* ---- LUO: kernel/liveupdate/luo_core.c, luo_session.c, luo_file.c, luo_flb.c */
RULE("luo.blob-size", "luo", 5, 5, PANIC, "kernel/liveupdate/luo_core.c:luo_early_startup(): len < sizeof(struct luo_ser) (32) -> -EINVAL -> luo_restore_fail() = panic")
RULE("luo.bad-compat", "kho", 4, 4, PANIC, "kernel/liveupdate/luo_core.c:luo_early_startup(): strncmp(compatible, 'luo-v5', 8) != 0 -> -EINVAL -> luo_restore_fail() = panic (NOT for bytes after the NUL: see luo.compat-trailing-bytes)")
RULE("luo.compat-padding", "kho", 4, 4, NONE, "kernel/liveupdate/luo_core.c:luo_early_startup(): strncmp() stops at the NUL, bytes after it are not compared")
RULE("luo.fdt", "kho", 4, 4, PANIC, "kernel/liveupdate/luo_core.c:luo_early_startup(): 7.2 reads the blob as a raw luo_ser; an FDT's first bytes are not luo-v5 -> luo_restore_fail() = panic")
RULE("luo.bad-pointer", "luo", 5, 5, UNKNOWN, "unsplit id: a 0 or wild LUO blob pointer is read unchecked by luo_early_startup(); flbs_pa 0 is fine (see luo.flbs-null)")
RULE("luo.flbs-null", "luo", 5, 5, NONE, "proposed id: kernel/liveupdate/luo_flb.c:luo_flb_setup_incoming(): flbs_pa 0 means no FLBs, sessions are still restored")
RULE("luo.session-duplicate", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_session.c:luo_session_insert() -EEXIST on the incoming list -> luo_session_deserialize() fails -> luo_core.c:luo_open() -EIO (not a panic: luo_restore_fail is only reached from early init)")
RULE("luo.session-name-no-nul", "luo", 5, 5, SESSION_LOST, "kernel/liveupdate/luo_session.c:luo_session_alloc(): strscpy() cuts the name to 63 bytes, so the session comes back under a name the kernel that made it never gave (luo_session_create() keeps the NUL): a retrieve by the real name finds nothing")
RULE("luo.file-count", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize(): restored entries != count -> 'File count mismatch' -EINVAL -> luo_open() -EIO")
RULE("luo.files-null-count", "luo", 5, 5, WARNING_ONLY, "kernel/liveupdate/luo_file.c:luo_file_deserialize(): files 0 -> WARN_ON(count) and returns 0 (a panic only with panic_on_warn)")
RULE("luo.file-compat-no-nul", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_file_deserialize_one(): strcmp() with every handler's shorter string fails -> -ENOENT -> luo_open() -EIO")
RULE("luo.token-duplicate", "luo", 5, 5, FILE_EIO, "kernel/liveupdate/luo_file.c:luo_retrieve_file(): the first file with the token is returned; the second can never be retrieved (no error is returned for it) and memfd_luo_finish() discards it")
RULE("luo.session-count", "luo", 5, 5, NONE, "not emitted for luo-v5 (session count of the luo-v1..v3 session block)")
RULE("luo.flb-pgcnt", "luo", 5, 5, NONE, "kernel/liveupdate/luo_flb.c:luo_flb_setup_incoming(): pgcnt is never read on restore")
RULE("luo.flb-count", "luo", 5, 5, UNKNOWN, "kernel/liveupdate/luo_flb.c:luo_flb_retrieve_one(): loops to header count without a bound, reading past the FLB page")
RULE("luo.flb-duplicate", "luo", 5, 5, NONE, "kernel/liveupdate/luo_flb.c:luo_flb_retrieve_one(): first match wins, the duplicate is ignored (7.2's only FLBs are the CONFIG_LIVEUPDATE_TEST ones, whose data is a constant)")
RULE("luo.flb-name-no-nul", "luo", 5, 5, WARNING_ONLY, "kernel/liveupdate/luo_flb.c:luo_flb_retrieve_one(): strcmp() never matches -> -ENOENT; liveupdate_flb_put_incoming() then warns (refcount underflow or WARN_ON); only CONFIG_LIVEUPDATE_TEST registers FLBs in 7.2")
RULE("luo.flb-refcount", "luo", 5, 5, WARNING_ONLY, "kernel/liveupdate/luo_flb.c:luo_flb_retrieve_one(): refcount_set(0), then refcount_inc() on 0 warns (only CONFIG_LIVEUPDATE_TEST registers FLBs in 7.2)")
RULE("luo.flb-missing", "luo", 5, 5, NONE, "not emitted for luo-v5 (luo-v1 FDT without /luo-flb)")
RULE("luo.liveupdate-num", "luo", 5, 5, NONE, "kernel/liveupdate/luo_core.c:luo_early_startup(): the number is only printed and incremented")
RULE("luo.not-serialized", "any", 0, 0, NONE, "tool: outgoing image taken before reboot serialization")
RULE("luo.consumed", "any", 0, 0, NONE, "tool: incoming image, LUO already consumed")
RULE("luo.not-captured", "any", 0, 0, UNKNOWN, "tool: LUO memory not in the image")
RULE("luo.feature-flags", "any", 0, 0, UNKNOWN, "linux-mm feature-flag luo_ser: no released reader (7.2 would read it as a luo_ser whose compatible is not luo-v5 and panic)")
RULE("luo-test-flb.magic", "kho", 4, 4, WARNING_ONLY, "lib/tests/liveupdate.c:test_flb_retrieve() 'incorrect data handle' -EINVAL -> luo_flb.c:liveupdate_flb_put_incoming() WARN_ON")

/* ---- memfd-v2: mm/memfd_luo.c:memfd_luo_retrieve() at LIVEUPDATE_SESSION_RETRIEVE_FD */
RULE("memfd.bad-pointer", "memfd", 2, 2, UNKNOWN, "mm/memfd_luo.c:memfd_luo_retrieve(): phys_to_virt(0) is not NULL, so page 0 (or a wild address) is read as memfd_luo_ser")
RULE("memfd.seals", "memfd", 2, 2, FILE_EIO, "mm/memfd_luo.c:memfd_luo_retrieve(): seals & ~MEMFD_LUO_ALL_SEALS -> -EOPNOTSUPP, retrieve fails")
RULE("memfd.flags", "memfd", 2, 2, NONE, "mm/memfd_luo.c:memfd_luo_retrieve(): memfd_luo_ser.flags is never read")
RULE("memfd.nr-folios", "memfd", 2, 2, FILE_EIO, "unsplit id, worst case: nr_folios > 0 with a zero descriptor -> kho_restore_vmalloc() size 0 -> NULL -> -EINVAL; see the proposed memfd.nr-folios-* ids")
RULE("memfd.nr-folios-no-desc", "memfd", 2, 2, FILE_EIO, "proposed id: mm/memfd_luo.c:memfd_luo_retrieve() -> kho_restore_vmalloc(total 0): __get_vm_area_node() of size 0 -> NULL -> -EINVAL")
RULE("memfd.nr-folios-zero-desc", "memfd", 2, 2, MEMORY_LEAKED, "proposed id: mm/memfd_luo.c:memfd_luo_retrieve(): nr_folios 0 skips the descriptor; whatever it references stays reserved")
RULE("memfd.nr-folios-zero-size", "memfd", 2, 2, NONE, "proposed id: mm/memfd_luo.c:memfd_luo_retrieve(): nr_folios 0 with size > 0 gives a sparse file, no error")
RULE("memfd.total-pages", "memfd", 2, 2, UNKNOWN, "mm/memfd_luo.c:memfd_luo_retrieve_folios() reads nr_folios entries from a total_pages area: fine when total_pages is larger, out of bounds when smaller")
RULE("memfd.folio-pfn-zero", "memfd", 2, 2, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): pfn 0 entries are skipped; that index reads as zeros")
RULE("memfd.folio-pfn-range", "memfd", 2, 2, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_page(): pfn_to_online_page() NULL -> memfd_luo_retrieve_folios() -EIO")
RULE("memfd.folio-flags", "memfd", 2, 2, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): only UPTODATE and DIRTY are tested, other bits ignored")
RULE("memfd.folio-unpreserved", "memfd", 2, 2, FILE_EIO, "kernel/liveupdate/kexec_handover.c:kho_restore_page(): no KHO_PAGE_MAGIC -> WARN_ON_ONCE, NULL -> memfd_luo_retrieve_folios() -EIO")
RULE("memfd.folio-misaligned", "memfd", 2, 2, UNKNOWN, "mm/shmem.c:shmem_add_to_page_cache(): only a VM_BUG_ON (CONFIG_DEBUG_VM); otherwise the xarray stores the folio at the aligned-down index, -EEXIST if that collides")
RULE("memfd.folio-order", "memfd", 2, 2, UNKNOWN, "mm/shmem.c:shmem_add_to_page_cache(): an equal index collides (-EEXIST -> retrieve fails), a lower distinct index is accepted")
RULE("memfd.folio-overlap", "memfd", 2, 2, FILE_EIO, "mm/shmem.c:shmem_add_to_page_cache(): xas_for_each_conflict() -> -EEXIST -> memfd_luo_retrieve_folios() fails")
RULE("memfd.folio-hole", "memfd", 2, 2, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): indices are inserted as given, missing ones are holes")
RULE("memfd.folio-beyond-size", "memfd", 2, 2, NONE, "mm/shmem.c:shmem_add_to_page_cache() does not check i_size; the folio sits past EOF")
RULE("memfd.folios-incomplete", "any", 0, 0, UNKNOWN, "tool: part of the folio array is not in the image")
RULE("memfd.not-captured", "any", 0, 0, UNKNOWN, "tool: memfd memory not in the image")
RULE("memfd.feature-flags", "any", 0, 0, UNKNOWN, "linux-mm feature-flag memfd: no released reader (7.2 registers only memfd-v2)")

/* ---- memblock reserve_mem: mm/memblock.c:reserve_mem_kho_revive() */
RULE("memblock.bad-fdt", "kho", 4, 4, UNKNOWN, "mm/memblock.c:reserve_mem_kho_retrieve_fdt(): the blob-size is never compared; an invalid FDT fails fdt_node_check_compatible() (no revival) or not, depending on where it is broken")
RULE("memblock.bad-compat", "kho", 4, 4, DATA_LOST, "mm/memblock.c:reserve_mem_kho_retrieve_fdt() / reserve_mem_kho_revive(): incompatible -> warning, region not revived: a new one is allocated and the preserved one stays reserved; the region's contents are lost (and its old pages stay reserved)")
RULE("memblock.prop-size", "kho", 4, 4, DATA_LOST, "mm/memblock.c:reserve_mem_kho_revive(): start/size missing or not 8 bytes -> not revived (no message), preserved range stays reserved; the region's contents are lost (and its old pages stay reserved)")
RULE("memblock.size-zero", "kho", 4, 4, WARNING_ONLY, "mm/memblock.c:reserve_mem_kho_revive(): size differs from the command line's (never 0) -> 'wrong size' warning, a new region is allocated")
RULE("memblock.duplicate-name", "kho", 4, 4, MEMORY_LEAKED, "mm/memblock.c:reserve_mem_kho_revive(): fdt_subnode_offset() finds the first; the second's preserved range is never revived")
RULE("memblock.name-length", "kho", 4, 4, NONE, "mm/memblock.c:reserve_mem(): names come from the command line (1..15 chars); such a node is never looked up")
RULE("memblock.too-many", "kho", 4, 4, NONE, "mm/memblock.c:reserve_mem(): only names on the new command line are looked up (at most RESERVE_MEM_MAX_ENTRIES)")
RULE("memblock.range-wraps", "kho", 4, 4, UNKNOWN, "mm/memblock.c:reserve_mem_kho_revive(): only alignment and size are checked; the region's user gets the wrapping range")
RULE("memblock.overlap", "kho", 4, 4, UNKNOWN, "mm/memblock.c:reserve_mem_kho_revive(): no overlap check; two users share memory")
RULE("memblock.size-not-page-multiple", "kho", 4, 4, UNKNOWN, "mm/memblock.c:reserved_mem_preserve() preserves size >> PAGE_SHIFT pages; revive accepts it, the tail page is free memory in the next kernel")
RULE("memblock.not-captured", "any", 0, 0, UNKNOWN, "tool: memblock FDT not in the image (or outside memory)")

/* ---- kexec-metadata: kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata() */
RULE("kexec-metadata.blob-size", "kho", 4, 4, WARNING_ONLY, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): blob_size < sizeof (73) -> 'kexec-metadata blob too small', ignored")
RULE("kexec-metadata.version", "kho", 4, 4, WARNING_ONLY, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): version != 1 -> 'not supported' warning, ignored")
RULE("kexec-metadata.release-no-nul", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): strscpy() truncates to 64 characters silently")
RULE("kexec-metadata.kexec-count", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_in_kexec_metadata(): count printed as is, next kernel writes count + 1")
RULE("kexec-metadata.not-captured", "any", 0, 0, UNKNOWN, "tool: metadata not in the image (or outside memory)")

/* ---- lib/test_kho.c (CONFIG_TEST_KEXEC_HANDOVER) */
RULE("kho-test.bad-compat", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore(): incompatible -> -EINVAL 'KHO restore failed', folios never restored")
RULE("kho-test.magic", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore(): magic mismatch -> -EINVAL 'KHO restore failed', folios never restored")
RULE("kho-test.prop-size", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore_data(): property missing or wrong size -> -EINVAL before any restore")
RULE("kho-test.bad-folio", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore_data(): kho_restore_folio() NULL -> loop stops, checksum fails, the rest stays reserved")
RULE("kho-test.folio-order", "kho", 4, 4, MEMORY_LEAKED, "lib/test_kho.c:kho_test_restore_data(): folio_order() != recorded order -> loop stops, checksum fails")
RULE("kho-test.nr-folios", "kho", 4, 4, UNKNOWN, "lib/test_kho.c:kho_test_restore_data(): reads nr_folios entries past the vmalloc area (guard page) without a bound")
RULE("kho-test.bad-fdt", "kho", 4, 4, UNKNOWN, "lib/test_kho.c:kho_test_restore(): libfdt on an invalid FDT; depends on where it is broken")
RULE("kho-test.consumed", "any", 0, 0, NONE, "tool: incoming image, test data already consumed")
RULE("kho-test.not-captured", "any", 0, 0, UNKNOWN, "tool: test data not in the image")

/* ---- handlers and FLBs 7.2 does not register (linux-mm kvm, pci) */
RULE("kvm.*", "kho", 4, 4, NONE, "7.2 registers no kvm_vm_luo_v1 / guest_memfd_luo_v1 handler, so this data is never read; the file itself makes luo_open() fail with -EIO (luo_file.c:luo_file_deserialize_one -ENOENT), reported by compat.unsupported-handler")
RULE("pci.*", "kho", 4, 4, NONE, "7.2 registers no pci-v2 FLB: luo_flb.c never retrieves it")
RULE("plugin.no-decoder", "any", 0, 0, NONE, "tool: no decoder for this blob; nothing in it is checked")
RULE("plugin.none-loaded", "any", 0, 0, UNKNOWN, "tool: no decoder at all (a broken install or a wrong PREFIX); what the next kernel does with the sub-blobs and the memory map cannot be told")
RULE("plugin.no-decoder@luo-file", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/luo_file.c:luo_file_deserialize_one(): a handler the next kernel does not register gives -ENOENT and luo_open() -EIO, but which handlers it registers is its configuration, not its generation: check --target judges it (compat.unsupported-handler)")
RULE("plugin.no-decoder@luo-flb", "kho", 4, 4, NONE, "kernel/liveupdate/luo_flb.c: an FLB nobody registers is never looked up")
RULE("example.*", "any", 0, 0, NONE, "tool: example plugin, no kernel reader")

/* ---- the boot hand-off (src/decode/handoff_check.c): x86 setup_data, DT /chosen */
RULE("handoff.setup-data-cycle", "kho", 4, 4, PANIC, "arch/x86/kernel/setup.c:parse_setup_data() follows next until 0 with no cycle check: the next kernel never finishes booting (a hang, the nearest class)")
RULE("handoff.no-kho-entry", "kho", 4, 4, ALL_LOST, "arch/x86/kernel/setup.c:add_kho() runs only for a SETUP_KEXEC_KHO node: without one kho_populate() never runs and nothing preserved is revived")
RULE("handoff.dt-prop-size", "kho", 4, 4, ALL_LOST, "drivers/of/fdt.c:early_init_dt_check_kho(): a linux,kho-fdt or linux,kho-scratch that is not one <addr size> pair is ignored, so kho_populate() never runs")
RULE("handoff.kho-len", "kho", 4, 4, NONE, "arch/x86/kernel/setup.c:add_kho() reads the 32 bytes of struct kho_data whatever setup_data.len says")
RULE("handoff.kho-duplicate", "kho", 4, 4, UNKNOWN, "arch/x86/kernel/setup.c:add_kho() runs for each node and the last wins: whether that one is right is not in the image")
RULE("handoff.fdt-size", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate() maps fdt_size bytes and checks only the FDT header; what a short mapping does depends on the tree")
RULE("handoff.setup-data-long", "any", 0, 0, UNKNOWN, "tool: we stop walking after 64 nodes")
RULE("handoff.setup-data-not-captured", "any", 0, 0, UNKNOWN, "tool: a node of the chain is not in the image")
RULE("handoff.multiple", "any", 0, 0, NONE, "tool: more than one place holds a hand-off (staged copies and the boot_params global)")
RULE("handoff.probes-capped", "any", 0, 0, UNKNOWN, "tool: too many boot_params signatures to try them all")
RULE("handoff.scan-mismatch", "any", 0, 0, UNKNOWN, "tool: --scan finds a root FDT where the hand-off does not point; the kernel uses the hand-off")
RULE("scratch.zero-size", "kho", 4, 4, NONE, "kernel/liveupdate/kexec_handover.c:kho_populate(): memblock_add() of 0 bytes adds nothing; 7.2 itself writes a 0-byte global area")
RULE("scratch.staged", "any", 0, 0, NONE, "tool: at machine_kexec the array is still in kexec's staging pages; relocate_kernel copies it before the jump")
RULE("scratch.array-outside", "any", 0, 0, NONE, "tool: the array is read wherever it is; 7.2 happens to load it into a scratch area")
RULE("scratch.*", "kho", 4, 4, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_populate() takes the areas as given and restricts early memblock allocations to them; what a wrong area does to the boot was not established")

/*
 * ---- compat.*: judged per compat string against the target table, in
 * src/analysis/compat_check.c (entry_cq), where the role of the string (root, LUO,
 * handler, FLB, memblock, kexec-metadata) decides; its sources are cited
 * there.
 */

/* ---- our tool and container */
RULE("image.*", "any", 0, 0, UNKNOWN, "tool: container/capture problem; the kernel never sees it, but what it hides is unchecked")
RULE("image.scan-ignored", "any", 0, 0, NONE, "tool: note on the scan")
RULE("image.page-size-structure", "any", 0, 0, NONE, "tool: how the page size was decided")
RULE("image.segment-ignored", "any", 0, 0, NONE, "tool: note on ignored segments")
/* image.problems-truncated stands for the problems past the cap, at their
 * severity: it falls under image.* and keeps it. */
RULE("limit.*", "any", 0, 0, UNKNOWN, "tool: our limit was reached; what lies beyond it is unchecked")

/* ===================================================== older generations ==
 * Sources (torvalds/linux unless said otherwise; read through the public
 * index, commits as in /work/shared/spec/kho-abi.md §0.2):
 *   kho-v1 v6.16  kernel/kexec_handover.c @00c010e1 (S1)
 *   kho-v1 G1c    kernel/liveupdate/kexec_handover.c @dd03dd60 (S4)
 *   kho-v2        kernel/liveupdate/kexec_handover.c @019fc368 (S7)
 *   luo-v1        kernel/liveupdate/luo_core.c, luo_flb.c @cab056f2 (S22,
 *                 S25), luo_session.c @7f790dd2 (S23), luo_file.c @00d0b372
 *   luo-v2..v4    the liveupdate "Remove limits on sessions and files"
 *                 series as posted (lore copies in the index: patch 3 luo-v2,
 *                 patch 4 luo-v3, patch 9 luo-v4)
 *   memfd-v1      mm/memfd_luo.c @a182a62f (S28)
 * kho-v1 spans v6.16 .. v6.19; only v6.19 (G1c) has LUO.  Rules about the
 * LUO sub-node for kho 1..2 describe a LUO-capable target (pre-LUO kho-v1
 * kernels never look at the LUO node: NONE there). */

/* fall-backs: anything not listed below for these generations */
RULE("*", "kho", 3, 3, UNKNOWN, "no kho-v3 reader located (kho-abi.md §12 Q1); the string is replaced by kho-v4 in the block series")
RULE("*", "kho", 1, 2, UNKNOWN, "not checked against the kho-v1/kho-v2 sources")
RULE("luo.*", "luo", 1, 4, UNKNOWN, "not checked against the luo-v1..v4 sources")
RULE("memfd.*", "memfd", 1, 1, UNKNOWN, "not checked against the memfd-v1 source")

/* ---- root FDT, kho-v1 and kho-v2: kho_populate() as in 7.2 */
RULE("root.bad-magic", "kho", 1, 2, ALL_LOST, "kexec_handover.c:kho_populate() (S1, S4, S7): fdt_check_header() fails -> 'disabling KHO revival'")
RULE("root.no-compatible", "kho", 1, 2, ALL_LOST, "kexec_handover.c:kho_populate() (S1, S4, S7): fdt_node_check_compatible() fails -> 'disabling KHO revival'")
RULE("root.compat-list", "kho", 1, 2, NONE, "kexec_handover.c:kho_populate() (S1, S4, S7): fdt_node_check_compatible() accepts a list holding the string")
RULE("root.no-memmap", "kho", 1, 2, ALL_LOST, "S4/S7 kho_populate(): kho_get_mem_map_phys() 0 -> 'disabling KHO revival'; v6.16 (S1) kho_mem_deserialize() only logs and reserves nothing, so every preserved page is free memory")
RULE("root.prop-size", "kho", 1, 2, ALL_LOST, "preserved-memory-map len != 8: as root.no-memmap (unsplit id, see @subnode: rules)")
RULE("root.memmap-zero", "kho", 2, 2, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate() (S7): map 0 -> 'disabling KHO revival'")
RULE("root.not-finalized", "kho", 1, 1, UNKNOWN, "kho-v1 builds the map at finalize, just before the jump: an image taken earlier legitimately has 0 and the kernel fills it; only a map still 0 at kexec makes S4 kho_populate() disable KHO revival (ALL_LOST), and the image does not say which")
RULE("root.memmap-unaligned", "kho", 1, 2, UNKNOWN, "the chunk list (v1) or radix root (v2) is read at the unaligned address without a check")
RULE("root.memrsv", "kho", 1, 2, NONE, "kho_populate() never reads the reservation block")
RULE("root.nested", "kho", 1, 2, NONE, "kho_retrieve_subtree(): fdt_subnode_offset() of the root only")
RULE("root.subnode-name", "kho", 1, 2, NONE, "consumers look sub-nodes up by fixed names")
RULE("root.subnode-prop", "kho", 1, 2, NONE, "kho_retrieve_subtree() (S1, S4, S7) reads only the pointer property")
RULE("root.subnode-unaligned", "kho", 1, 2, NONE, "kho_retrieve_subtree() returns any address")
RULE("root.subnode-duplicate", "kho", 1, 2, MEMORY_LEAKED, "kho_retrieve_subtree(): the first node wins, the second blob is never restored")
RULE("root.prop-size@subnode:LUO", "kho", 1, 2, PANIC, "kho_retrieve_subtree() -EINVAL -> luo_core.c:luo_early_startup() (S22) returns it -> liveupdate_early_init() luo_restore_fail() = panic")
RULE("root.subnode-missing-prop@subnode:LUO", "kho", 1, 2, PANIC, "kho_retrieve_subtree() -EINVAL -> luo_core.c:luo_early_startup() (S22) -> luo_restore_fail() = panic")
RULE("root.subnode-not-fdt", "kho", 1, 1, UNKNOWN, "kho-v1 sub-blobs are FDTs; what a non-FDT does depends on the consumer, see @subnode:")
RULE("root.subnode-not-fdt@subnode:LUO", "kho", 1, 1, PANIC, "luo_core.c:luo_early_startup() (S22): fdt_node_check_compatible() on a non-FDT fails -> -EINVAL -> luo_restore_fail() = panic")
RULE("root.subnode-size", "any", 0, 0, UNKNOWN, "tool: the sub-FDT's totalsize runs past the bytes the image holds")
RULE("root.blob-size-zero", "kho", 2, 2, UNKNOWN, "kho-v2 covers kernels that ignore blob-size (S7 kho_retrieve_subtree has no size) and ones that require it (S8, linux-mm)")
RULE("root.blob-size-mixed", "kho", 2, 2, UNKNOWN, "kho-v2 without blob-size support ignores it (S7); with it (S8) a missing blob-size is -EINVAL for that sub-node")
RULE("root.blob-size-range", "kho", 2, 2, NONE, "S7 never reads blob-size; S8 readers only compare it with a minimum")

/* ---- kho-v1 chunk list: kho_mem_deserialize()/deserialize_bitmap() (S1, S4) */
RULE("v1.zero-map", "kho", 1, 1, ALL_LOST, "S4 kho_populate(): map 0 -> 'disabling KHO revival'; S1: nothing reserved")
RULE("v1.cycle", "kho", 1, 1, PANIC, "kexec_handover.c:kho_mem_deserialize() (S1, S4): while (chunk) follows next with no bound: boot never completes (a hang; PANIC is the nearest class)")
RULE("v1.bitmap-null", "kho", 1, 1, PANIC, "kexec_handover.c:deserialize_bitmap() (S1, S4): KHOSER_LOAD_PTR() gives NULL and bitmap->preserve is read at early boot: NULL dereference in the boot task")
RULE("v1.num-elms", "kho", 1, 1, UNKNOWN, "kexec_handover.c:kho_mem_deserialize(): loops to num_elms without a bound, reading entries past the chunk page")
RULE("v1.order", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): no range check; int size overflows for order >= 19 and struct pages past memory are written")
RULE("v1.order-above-max", "kho", 1, 1, UNKNOWN, "S4 kho_restore_page() refuses order > MAX_PAGE_ORDER (WARN, NULL): the owner's restore fails; S1 has no such check")
RULE("v1.order-decreasing", "kho", 1, 1, NONE, "kexec_handover.c:kho_mem_deserialize(): each chunk carries its own order, no ordering is assumed")
RULE("v1.phys-start-order", "kho", 1, 1, NONE, "kexec_handover.c:deserialize_bitmap(): entries are independent; a repeated range is reserved twice")
RULE("v1.phys-start-unaligned", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): blocks are placed at phys_start + bit offset unchecked; the real blocks then lack their magic")
RULE("v1.phys-limit", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): phys_to_page() past memory is written at early boot")
RULE("v1.bitmap-unaligned", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): the bitmap is read at the unaligned address")
RULE("v1.shared-bitmap", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): the same bits are reserved again at another phys_start")
RULE("v1.unaligned-chunk", "kho", 1, 1, UNKNOWN, "kexec_handover.c:kho_mem_deserialize(): chunk read at the unaligned address")
RULE("v1.chunk-out-of-range", "kho", 1, 1, UNKNOWN, "kexec_handover.c:kho_mem_deserialize(): phys_to_virt() of the next pointer unchecked at early boot")
RULE("v1.bitmap-out-of-range", "kho", 1, 1, UNKNOWN, "kexec_handover.c:deserialize_bitmap(): phys_to_virt() of the bitmap pointer unchecked at early boot")
RULE("v1.bitmap-size", "any", 0, 0, NONE, "tool: which bitmap size was assumed")
RULE("v1.too-many-chunks", "any", 0, 0, UNKNOWN, "tool: chunk cap reached, the rest is not checked")
RULE("v1.page-size", "any", 0, 0, UNKNOWN, "tool: page size not supported by the decoder")
RULE("v1.chunk-not-captured", "any", 0, 0, UNKNOWN, "tool: chunk not in the image")
RULE("v1.bitmap-not-captured", "any", 0, 0, UNKNOWN, "tool: bitmap not in the image")

/* ---- kho-v2 radix: same walk as 7.2 (S7 __kho_radix_walk_tree, kho_preserved_memory_reserve) */
RULE("radix.zero-map", "kho", 2, 2, ALL_LOST, "kernel/liveupdate/kexec_handover.c:kho_populate() (S7): map 0 -> 'disabling KHO revival'")
RULE("radix.order-too-large", "kho", 2, 2, UNKNOWN, "kernel/liveupdate/kexec_handover.c:kho_preserved_memory_reserve() (S7): size computed as int 1 << (order + PAGE_SHIFT), undefined from order 19; memblock_reserve() gets a sign-extended size")
RULE("radix.unaligned-node", "kho", 2, 2, UNKNOWN, "S7 __kho_radix_walk_tree(): no alignment check")
RULE("radix.node-out-of-range", "kho", 2, 2, UNKNOWN, "S7 __kho_radix_walk_tree(): phys_to_virt() of any slot at early boot")
RULE("radix.cycle", "kho", 2, 2, UNKNOWN, "S7 __kho_radix_walk_tree(): fixed depth; the revisited node is read as another level")
RULE("radix.shared-node", "kho", 2, 2, UNKNOWN, "S7 __kho_radix_walk_tree(): the subtree is walked once per parent, extra ranges reserved")
RULE("radix.bad-root-index", "kho", 2, 2, UNKNOWN, "S7 kho_radix_decode_key(): keys are not validated")
RULE("radix.bad-index", "kho", 2, 2, UNKNOWN, "S7 kho_radix_decode_key(): keys are not validated")
RULE("radix.bad-key", "kho", 2, 2, UNKNOWN, "S7 kho_preserved_memory_reserve(): no check of the decoded block")
RULE("radix.lossy-depth", "kho", 2, 2, UNKNOWN, "depth formula note; the S7 walk was not checked for such keys")

/* ---- vmalloc: kho_restore_vmalloc() of G1c (S4) and kho-v2 (S7) has the
 *      checks of 7.2 (v6.16 has no vmalloc preservation) */
RULE("vmalloc.flags", "kho", 1, 2, NONE, "kho_flags_to_vmalloc() (S4, S7) maps only ALLOC and HUGE_VMAP; other bits are dropped")
RULE("vmalloc.order", "kho", 1, 2, NONE, "kho_restore_vmalloc() (S4, S7) does not check the order")
RULE("vmalloc.first-vs-total", "kho", 1, 2, FILE_EIO, "kho_restore_vmalloc() (S4, S7): idx != total_pages or the first run exceeds 0 -> NULL -> memfd_luo_retrieve() -EINVAL")
RULE("vmalloc.total-pages", "kho", 1, 2, FILE_EIO, "kho_restore_vmalloc() (S4, S7): idx + run > total_pages or idx != total_pages -> NULL -> memfd_luo_retrieve() -EINVAL")
RULE("vmalloc.cycle", "kho", 1, 2, FILE_EIO, "kho_restore_vmalloc() (S4, S7): revisited runs exceed total_pages or lost their magic -> NULL")
RULE("vmalloc.duplicate-run", "kho", 1, 2, FILE_EIO, "kho_restore_page() (S4, S7): magic already cleared -> WARN, NULL")
RULE("vmalloc.full-chunk-no-next", "kho", 1, 2, NONE, "kho_restore_vmalloc() (S4, S7): next 0 ends the list")

/* ---- LUO luo-v1 (FDT): luo_core.c @cab056f2, luo_session.c @7f790dd2,
 *      luo_file.c @00d0b372, luo_flb.c @cab056f2 */
RULE("luo.bad-compat", "luo", 1, 1, PANIC, "luo_core.c:luo_early_startup() / luo_session.c:luo_session_setup_incoming() / luo_flb.c:luo_flb_setup_incoming(): fdt_node_check_compatible() fails -> -EINVAL -> luo_restore_fail() = panic")
RULE("luo.bad-compat", "kho", 1, 2, PANIC, "LUO-capable kho-v1/v2 targets read a luo-v1 FDT: luo_core.c:luo_early_startup() (S22) compatible mismatch -> luo_restore_fail() = panic")
RULE("luo.fdt", "luo", 1, 1, PANIC, "luo_core.c:luo_early_startup(): liveupdate-number, /luo-session, luo-session-header missing or not 8 bytes -> -EINVAL -> panic (a malformed FDT is caught only where libfdt trips over it)")
RULE("luo.flb-missing", "luo", 1, 1, UNKNOWN, "luo_flb.c:luo_flb_setup_incoming() (S25): no /luo-flb -> -ENOENT -> luo_early_startup() -> luo_restore_fail() = panic, but luo-v1 kernels before the FLB code ignore it: the generation does not say which")
RULE("luo.blob-size", "luo", 1, 2, UNKNOWN, "the LUO FDT is read by libfdt up to its totalsize; only its first page is preserved")
RULE("luo.bad-pointer", "luo", 1, 1, UNKNOWN, "luo_session.c:luo_session_setup_incoming() / luo_flb.c:luo_flb_setup_incoming(): a header pointer of 0 becomes phys_to_virt(0), read later")
RULE("luo.session-count", "luo", 1, 3, UNKNOWN, "luo_session.c:luo_session_deserialize() (7f790dd2 and the series before patch 9): for (i < header_ser->count) with no bound, reads past the session block")
RULE("luo.session-duplicate", "luo", 1, 4, FILE_EIO, "luo_session.c:luo_session_insert() -EEXIST -> luo_session_deserialize() returns it (saved) -> luo_core.c:luo_open() -EIO")
RULE("luo.session-name-no-nul", "luo", 1, 4, SESSION_LOST, "luo_session.c:luo_session_alloc(): strscpy() cuts the name to 63 bytes, a name the outgoing kernel never gave: a retrieve by the real name finds nothing")
RULE("luo.file-count", "luo", 1, 4, UNKNOWN, "luo_file.c:luo_file_deserialize() (00d0b372 and the series before patch 10): count taken from the entry, no bound against the 8 KiB array")
RULE("luo.files-null-count", "luo", 1, 4, WARNING_ONLY, "luo_file.c:luo_file_deserialize(): files 0 -> WARN_ON(count), returns 0")
RULE("luo.file-compat-no-nul", "luo", 1, 1, FILE_EIO, "luo_file.c:luo_file_deserialize() -ENOENT, which luo_session_deserialize() (7f790dd2) ignores: the session's remaining files are missing and their retrieve gives -ENOENT")
RULE("luo.file-compat-no-nul", "luo", 2, 4, FILE_EIO, "luo_file.c:luo_file_deserialize_one() -ENOENT -> luo_session_deserialize_one() fails -> luo_open() -EIO")
RULE("luo.token-duplicate", "luo", 1, 4, FILE_EIO, "luo_file.c:luo_retrieve_file() returns the first match; the second is discarded by memfd_luo_finish()")
RULE("luo.liveupdate-num", "luo", 1, 4, NONE, "luo_core.c:luo_early_startup(): only printed and incremented")
RULE("luo.flbs-null", "luo", 2, 4, NONE, "proposed id: luo_flb.c:luo_flb_setup_incoming(u64) ignores flbs_pa 0 (series patch 3 on)")

/* ---- luo-v2 (FDT + luo_ser), luo-v3 / luo-v4 (raw luo_ser): the series */
RULE("luo.bad-compat", "luo", 2, 4, PANIC, "luo_core.c:luo_early_startup(): luo-v2 fdt_node_check_compatible(), luo-v3+ strncmp() of luo_ser.compatible -> -EINVAL -> luo_restore_fail() = panic")
RULE("luo.fdt", "luo", 2, 2, PANIC, "luo_core.c:luo_early_startup() (patch 3): luo-abi-header missing or not 8 bytes -> -EINVAL -> panic")
RULE("luo.blob-size", "luo", 3, 4, PANIC, "luo_core.c:luo_early_startup() (patch 4): len < sizeof(struct luo_ser) -> -EINVAL -> panic")
RULE("block.count-zero", "luo", 4, 4, PANIC, "luo-v4 has only session chains: kho_block.c:kho_block_set_restore() -EINVAL -> luo_session_setup_incoming() (patch 9) -> luo_restore_fail() = panic")
RULE("block.count-over", "luo", 4, 4, PANIC, "as block.count-zero (luo-v4 session chain)")
RULE("block.cycle", "luo", 4, 4, PANIC, "as block.count-zero (luo-v4 session chain)")
RULE("block.too-many", "luo", 4, 4, PANIC, "as block.count-zero (luo-v4 session chain)")

/* ---- memfd-v1: mm/memfd_luo.c @a182a62f (S28) */
RULE("memfd.nr-folios", "memfd", 1, 1, FILE_EIO, "unsplit id, worst case: nr_folios > 0 with a zero descriptor -> kho_restore_vmalloc() NULL -> memfd_luo_retrieve() -EINVAL")
RULE("memfd.folio-pfn-zero", "memfd", 1, 1, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): pfn 0 entries are skipped")
RULE("memfd.folio-flags", "memfd", 1, 1, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): only UPTODATE and DIRTY are tested")
RULE("memfd.folio-hole", "memfd", 1, 1, NONE, "mm/memfd_luo.c:memfd_luo_retrieve_folios(): indices inserted as given")
RULE("memfd.folio-beyond-size", "memfd", 1, 1, NONE, "shmem_add_to_page_cache() does not check i_size")
RULE("memfd.folio-overlap", "memfd", 1, 1, FILE_EIO, "shmem_add_to_page_cache() -EEXIST -> memfd_luo_retrieve_folios() returns it")
RULE("memfd.folio-unpreserved", "memfd", 1, 1, UNKNOWN, "mm/memfd_luo.c:memfd_luo_retrieve_folios() (S28): err is still 0 after an earlier successful folio, so the retrieve can succeed with a partial file; -EIO only when no folio came before")
RULE("memfd.folio-pfn-range", "memfd", 1, 1, UNKNOWN, "as memfd.folio-unpreserved: kho_restore_folio() NULL, error returned only if no folio came before")
