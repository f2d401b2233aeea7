/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check registry of the host core (issue 13, in the manner of dtc's
 * checks.c): every finding id that src/ reports, declared once.  An X-macro
 * table with no include guard: define CHECK(id, severity, cap, summary)
 * and include it.
 *
 *   id        the stable finding id, "component.what".
 *   severity  NOTE, WARNING, ERROR or UNKNOWN: what the reporting code
 *             passes in the usual case.  The consequence table
 *             (consequence_rules.h) and the three-state rule (findings.c)
 *             may change it per finding; --error raises it.
 *   cap       0, or how many findings of the id one plugin decode call
 *             lists; the rest are counted in one closing entry (the rule
 *             is in findings.c, struct kho_cap_scope in checks.h).  Only
 *             ids a decoder can report once per entry of a hostile image
 *             are capped.  Capped ids keep their order here: closing
 *             entries come in declaration order.
 *   summary   one line: what the check finds.
 *
 * Ids that a plugin reports are declared in that plugin's check list
 * (struct kho_check: id and cap) instead, and the host reads them from
 * there.  tests/cli/registry.sh
 * fails when an id reported anywhere is declared nowhere, or twice.
 */

/* ---- input: the image container */
CHECK("image.fdt-not-captured", UNKNOWN, 0, "the root FDT is neither in the captured memory nor in an NT_KHO_FDT note")
CHECK("image.fdt-note-mismatch", WARNING, 0, "the root FDT in memory differs from its NT_KHO_FDT copy")
CHECK("image.flat-truncated", WARNING, 0, "a flattened kdump file ends without its end mark")
CHECK("image.info-bad-value", WARNING, 0, "an NT_KHO_INFO line holds a value that cannot be read")
CHECK("image.info-missing-key", WARNING, 0, "an NT_KHO_INFO note lacks a required key")
CHECK("image.info-unknown-format", WARNING, 0, "an NT_KHO_INFO note has a FORMAT this reader does not know")
CHECK("image.no-fdt", ERROR, 0, "the image holds no root FDT to decode")
CHECK("image.note-invalid", WARNING, 0, "a KHO note is malformed and is skipped")
CHECK("image.note-truncated", ERROR, 0, "a note segment runs past the end of the file")
CHECK("image.page-size-structure", NOTE, 0, "the page size was decided from the structures alone")
CHECK("image.page-size-unknown", UNKNOWN, 0, "several page sizes fit the structures equally well")
CHECK("image.problems-truncated", NOTE, 0, "more image problems than are listed one by one")
CHECK("image.scan-ignored", NOTE, 0, "--scan does not apply to this kind of input")
CHECK("image.scan-multiple", NOTE, 0, "--scan found several pages holding a KHO root FDT")
CHECK("image.scan-no-fdt", WARNING, 0, "--scan found no page holding a KHO root FDT")
CHECK("image.scratch-bad-value", WARNING, 0, "a debugfs scratch file holds a line that is not a number")
CHECK("image.scratch-mismatch", ERROR, 0, "the debugfs scratch files cannot be read or disagree")
CHECK("image.segment-bad-size", WARNING, 0, "a PT_LOAD segment has p_filesz larger than p_memsz")
CHECK("image.segment-ignored", NOTE, 0, "PT_LOAD segments without a physical address are ignored")
CHECK("image.segment-out-of-range", ERROR, 0, "a PT_LOAD segment reaches above the physical-address limit")
CHECK("image.segment-overlap", ERROR, 0, "two PT_LOAD segments cover the same physical memory")
CHECK("image.segment-truncated", UNKNOWN, 0, "a PT_LOAD segment runs past the end of the file")
CHECK("image.segment-unordered", NOTE, 0, "PT_LOAD segments are not sorted by physical address")
CHECK("image.side-blob-bad-name", WARNING, 0, "a sub-blob outside memory has a name that cannot be used")
CHECK("image.side-blob-duplicate", WARNING, 0, "two sub-blobs outside memory claim the same address")
CHECK("image.too-many-notes", WARNING, 0, "more notes than the reader takes; the rest are ignored")
CHECK("image.too-many-scratch", WARNING, 0, "more scratch areas than the reader takes; the rest are ignored")
CHECK("image.too-many-segments", ERROR, 0, "more PT_LOAD segments than the reader takes; the rest are ignored")
CHECK("image.too-many-side-blobs", WARNING, 0, "more sub-blobs outside memory than the reader takes")

/* ---- the boot hand-off and the scratch areas */
CHECK("handoff.dt-prop-size", ERROR, 0, "/chosen linux,kho-fdt or linux,kho-scratch has the wrong size")
CHECK("handoff.fdt-size", WARNING, 0, "the hand-off's fdt_size is not what the kernel passes")
CHECK("handoff.kho-duplicate", WARNING, 0, "several setup_data nodes of type SETUP_KEXEC_KHO")
CHECK("handoff.kho-len", WARNING, 0, "the SETUP_KEXEC_KHO node's len is not the size of kho_data")
CHECK("handoff.multiple", NOTE, 0, "several places hold a KHO boot hand-off")
CHECK("handoff.no-kho-entry", WARNING, 0, "no SETUP_KEXEC_KHO node in the setup_data chain")
CHECK("handoff.probes-capped", NOTE, 0, "too many boot_params signatures; the rest were not looked at")
CHECK("handoff.scan-mismatch", WARNING, 0, "the hand-off names a root FDT that --scan does not find")
CHECK("handoff.setup-data-cycle", ERROR, 0, "the setup_data chain loops")
CHECK("handoff.setup-data-long", WARNING, 0, "the setup_data chain is longer than the walk allows")
CHECK("handoff.setup-data-not-captured", WARNING, 0, "a setup_data node is not in the image")
CHECK("scratch.array-outside", NOTE, 0, "the scratch array lies in none of the areas it lists")
CHECK("scratch.empty", ERROR, 0, "the scratch array holds no entry")
CHECK("scratch.few", WARNING, 0, "fewer scratch areas than the kernel writes")
CHECK("scratch.mismatch", WARNING, 0, "the scratch array in memory differs from the image's list")
CHECK("scratch.no-lowmem", WARNING, 0, "no scratch area below 4 GiB")
CHECK("scratch.not-captured", WARNING, 0, "the scratch array is not in the image")
CHECK("scratch.overlap", WARNING, 0, "two scratch areas overlap")
CHECK("scratch.range", WARNING, 0, "a scratch area runs past the physical-address limit")
CHECK("scratch.size-partial", WARNING, 0, "scratch_size is not a multiple of the entry size")
CHECK("scratch.staged", NOTE, 0, "the scratch array reads as zeros: a kexec segment not yet copied")
CHECK("scratch.too-many", WARNING, 0, "more scratch areas than are checked")
CHECK("scratch.unaligned", WARNING, 0, "a scratch area is not aligned to PAGE_SIZE << MAX_PAGE_ORDER")
CHECK("scratch.zero-size", NOTE, 0, "a scratch area has size 0")

/* ---- the root FDT */
CHECK("root.bad-magic", ERROR, 0, "the root FDT has no FDT magic")
CHECK("root.blob-size-missing", ERROR, 0, "a sub-node lacks the blob-size its root version requires")
CHECK("root.blob-size-mixed", WARNING, 0, "some sub-nodes carry blob-size and others do not")
CHECK("root.blob-size-range", ERROR, 0, "a sub-node's blob-size is out of range")
CHECK("root.blob-size-zero", WARNING, 0, "a sub-node's blob-size is 0")
CHECK("root.compat-list", ERROR, 0, "the root compatible is a string list, not one string")
CHECK("root.composite-order", ERROR, 0, "the components of a composite root compatible are out of order")
CHECK("root.debugfs-prefix", NOTE, 0, "debugfs shows only a prefix of the root FDT")
CHECK("root.in-scratch", ERROR, 0, "the root FDT page lies in a scratch area")
CHECK("root.invalid", ERROR, 0, "the root FDT fails structural validation")
CHECK("root.memmap-consumed", NOTE, 0, "incoming image: the memory map was consumed at boot and is not decoded")
CHECK("root.memmap-unaligned", ERROR, 0, "preserved-memory-map is not page aligned")
CHECK("root.memmap-zero", ERROR, 0, "preserved-memory-map is 0")
CHECK("root.memrsv", WARNING, 0, "the root FDT has memory reservation entries")
CHECK("root.missing", ERROR, 0, "the image holds no root KHO FDT")
CHECK("root.nested", WARNING, 0, "a sub-node is nested deeper than KHO writes")
CHECK("root.no-compatible", ERROR, 0, "the root FDT has no NUL-terminated compatible")
CHECK("root.no-memmap", ERROR, 0, "the root FDT has no preserved-memory-map")
CHECK("root.not-finalized", ERROR, 0, "preserved-memory-map is 0: never finalized, or nothing preserved")
CHECK("root.prop-size", ERROR, 0, "a root or sub-node property has the wrong size")
CHECK("root.subnode-duplicate", ERROR, 0, "two sub-nodes share a name")
CHECK("root.subnode-missing-prop", ERROR, 0, "a sub-node lacks its blob pointer property")
CHECK("root.subnode-name", ERROR, 0, "a sub-node name is empty or unusable")
CHECK("root.subnode-not-captured", WARNING, 0, "a sub-node's blob is not in the image")
CHECK("root.subnode-not-fdt", WARNING, 0, "a sub-node's blob is not an FDT where one is expected")
CHECK("root.subnode-null", ERROR, 0, "a sub-node's blob pointer is 0")
CHECK("root.subnode-prop", WARNING, 0, "a sub-node has a property KHO does not write")
CHECK("root.subnode-size", ERROR, 0, "a sub-node's blob size is wrong")
CHECK("root.subnode-unaligned", ERROR, 0, "a sub-node's blob pointer is not aligned")
CHECK("root.too-large", ERROR, 0, "the root FDT is larger than one page")
CHECK("root.truncated", ERROR, 0, "the root FDT runs past the bytes available")
CHECK("root.unknown-compat", ERROR, 0, "the root compatible names no known KHO version")
CHECK("root.version", ERROR, 0, "the root FDT version is older than 16")

/* ---- the memory map, seen by the host */
CHECK("coverage.not-preserved", ERROR, 0, "memory a decoder needs preserved is not in the memory map")
CHECK("coverage.order-mismatch", ERROR, 0, "memory is preserved, but not as the block order expected")
CHECK("coverage.range-wraps", ERROR, 0, "a range a decoder asks about wraps the address space")
CHECK("memmap.block-in-scratch", ERROR, 0, "a preserved block overlaps a scratch area")
CHECK("memmap.overlap", ERROR, 0, "two preserved blocks overlap (double preservation)")
CHECK("memmap.scratch-overlap", ERROR, 32, "a preserved block overlaps a scratch area (reported by the memory-map plugin)")
CHECK("memmap.block-over-map-page", ERROR, 32, "a preserved block covers a page of the memory map itself (reported by the memory-map plugin)")
CHECK("memmap.unattributed", NOTE, 0, "preserved blocks no decoded object accounts for")

/* ---- the host's services: vmalloc areas (vmalloc.c) and block chains
 * (block_chain.c), which plugins reach through kho_vmalloc() and
 * kho_block_chain() */
CHECK("vmalloc.flags", ERROR, 0, "a vmalloc descriptor's flags have bits outside ALLOC|HUGE_VMAP")
CHECK("vmalloc.order", ERROR, 0, "a vmalloc descriptor's order exceeds MAX_PAGE_ORDER, or is above 0 without HUGE_VMAP")
CHECK("vmalloc.first-vs-total", ERROR, 0, "a vmalloc descriptor has a first chunk and no pages, or pages and no first chunk")
CHECK("vmalloc.cycle", ERROR, 0, "a vmalloc chunk list loops")
CHECK("vmalloc.unaligned-chunk", ERROR, 0, "a vmalloc chunk is not page aligned")
CHECK("vmalloc.unaligned-run", ERROR, 0, "a vmalloc run is not aligned to its size")
CHECK("vmalloc.total-pages", ERROR, 0, "the runs of a vmalloc area do not add up to its total_pages")
CHECK("vmalloc.full-chunk-no-next", WARNING, 0, "a full vmalloc chunk ends the list, where the producer links another")
CHECK("vmalloc.duplicate-run", ERROR, 0, "a vmalloc run appears more than once")
CHECK("vmalloc.run-overlaps-chunk", ERROR, 0, "a vmalloc run contains a page of the area's chunk list")
CHECK("vmalloc.not-captured", WARNING, 0, "a vmalloc chunk is not in the image (an error when it lies outside physical memory)")
CHECK("block.cycle", ERROR, 0, "a chain of KHO blocks loops")
CHECK("block.too-many", ERROR, 0, "a chain of KHO blocks goes on past KHO_MAX_BLOCKS (10000)")
CHECK("block.count-zero", ERROR, 0, "a KHO block has count 0")
CHECK("block.count-over", ERROR, 0, "a KHO block's count is above the entries it can hold")
CHECK("block.unaligned", ERROR, 0, "a KHO block is not page aligned")
CHECK("block.not-captured", WARNING, 0, "a KHO block is not in the image (an error when it lies outside physical memory)")

/* ---- dispatch and resource limits */
CHECK("plugin.no-decoder", NOTE, 0, "no loaded plugin decodes this compatible")
CHECK("plugin.none-loaded", UNKNOWN, 0, "no decoder plugin was found in any plugin directory: nothing below the root FDT is checked")
CHECK("limit.depth", ERROR, 0, "decoder nesting reached the depth limit")
CHECK("limit.findings", ERROR, 0, "the findings limit was reached; later findings are only counted")
CHECK("limit.memory", ERROR, 0, "the session memory limit was reached")
CHECK("limit.objects", ERROR, 0, "the object limit was reached")
CHECK("limit.subnodes", ERROR, 0, "the root FDT sub-node limit was reached")

/* ---- compatibility with a target kernel (preflight, check --target) */
CHECK("compat.component-differs", NOTE, 0, "a component's compatible differs between image and target")
CHECK("compat.composite-order", ERROR, 0, "a composite compatible's components are out of order")
CHECK("compat.undetermined-kexec-metadata", NOTE, 0, "whether the target reads kexec-metadata cannot be told")
CHECK("compat.unknown-to-inspector", WARNING, 0, "the target reads a component whose accepted version the table cannot show")
CHECK("compat.unsupported", ERROR, 0, "the target does not support a compatible the image uses")
CHECK("compat.unsupported-flb", ERROR, 0, "the target does not support an FLB the image uses")
CHECK("compat.unsupported-handler", ERROR, 0, "the target has no LUO file handler for a file the image holds")
CHECK("compat.unsupported-kexec-metadata", ERROR, 0, "the target does not support the image's kexec-metadata")
CHECK("compat.unsupported-luo", ERROR, 0, "the target does not support the image's LUO version")
CHECK("compat.unsupported-memblock", ERROR, 0, "the target does not support the image's reserve_mem format")
CHECK("compat.unsupported-root", ERROR, 0, "the target does not support the image's root KHO version")
CHECK("compat.unsupported-subfdt", ERROR, 0, "the target does not support a sub-FDT the image holds")
