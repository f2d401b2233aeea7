/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check registry of the host core (issue 13, in the manner of dtc's
 * checks.c): every finding id that src/ reports, declared once.  An X-macro
 * table with no include guard: define CHECK(id, severity, summary) and
 * include it.
 *
 *   id        the stable finding id, "component.what".
 *   severity  NOTE, WARNING, ERROR or UNKNOWN: what the reporting code
 *             passes in the usual case.  The consequence table
 *             (consequence_rules.h) and the three-state rule (findings.c)
 *             may change it per finding; --error raises it.
 *   summary   one line: what the check finds.
 *
 * Ids that a plugin reports are declared in that plugin's checks[] list
 * instead, and the host reads them from there.  tests/cli/registry.sh
 * fails when an id reported anywhere is declared nowhere, or twice.
 */

/* ---- input: the image container */
CHECK("image.fdt-not-captured", ERROR, "the root FDT is neither in the captured memory nor in an NT_KHO_FDT note")
CHECK("image.fdt-note-mismatch", WARNING, "the root FDT in memory differs from its NT_KHO_FDT copy")
CHECK("image.flat-truncated", WARNING, "a flattened kdump file ends without its end mark")
CHECK("image.info-bad-value", WARNING, "an NT_KHO_INFO line holds a value that cannot be read")
CHECK("image.info-missing-key", WARNING, "an NT_KHO_INFO note lacks a required key")
CHECK("image.info-unknown-format", WARNING, "an NT_KHO_INFO note has a FORMAT this reader does not know")
CHECK("image.no-fdt", ERROR, "the image holds no root FDT to decode")
CHECK("image.note-invalid", WARNING, "a KHO note is malformed and is skipped")
CHECK("image.note-truncated", ERROR, "a note segment runs past the end of the file")
CHECK("image.page-size-structure", NOTE, "the page size was decided from the structures alone")
CHECK("image.page-size-unknown", UNKNOWN, "several page sizes fit the structures equally well")
CHECK("image.problems-truncated", NOTE, "more image problems than are listed one by one")
CHECK("image.scan-ignored", NOTE, "--scan does not apply to this kind of input")
CHECK("image.scan-multiple", NOTE, "--scan found several pages holding a KHO root FDT")
CHECK("image.scan-no-fdt", WARNING, "--scan found no page holding a KHO root FDT")
CHECK("image.scratch-bad-value", WARNING, "a debugfs scratch file holds a line that is not a number")
CHECK("image.scratch-mismatch", ERROR, "the debugfs scratch files cannot be read or disagree")
CHECK("image.segment-bad-size", WARNING, "a PT_LOAD segment has p_filesz larger than p_memsz")
CHECK("image.segment-ignored", NOTE, "PT_LOAD segments without a physical address are ignored")
CHECK("image.segment-out-of-range", ERROR, "a PT_LOAD segment reaches above the physical-address limit")
CHECK("image.segment-overlap", ERROR, "two PT_LOAD segments cover the same physical memory")
CHECK("image.segment-truncated", UNKNOWN, "a PT_LOAD segment runs past the end of the file")
CHECK("image.segment-unordered", NOTE, "PT_LOAD segments are not sorted by physical address")
CHECK("image.side-blob-bad-name", WARNING, "a sub-blob outside memory has a name that cannot be used")
CHECK("image.side-blob-duplicate", WARNING, "two sub-blobs outside memory claim the same address")
CHECK("image.too-many-notes", WARNING, "more notes than the reader takes; the rest are ignored")
CHECK("image.too-many-scratch", WARNING, "more scratch areas than the reader takes; the rest are ignored")
CHECK("image.too-many-segments", ERROR, "more PT_LOAD segments than the reader takes; the rest are ignored")
CHECK("image.too-many-side-blobs", WARNING, "more sub-blobs outside memory than the reader takes")

/* ---- the boot hand-off and the scratch areas */
CHECK("handoff.dt-prop-size", ERROR, "/chosen linux,kho-fdt or linux,kho-scratch has the wrong size")
CHECK("handoff.fdt-size", WARNING, "the hand-off's fdt_size is not what the kernel passes")
CHECK("handoff.kho-duplicate", WARNING, "several setup_data nodes of type SETUP_KEXEC_KHO")
CHECK("handoff.kho-len", WARNING, "the SETUP_KEXEC_KHO node's len is not the size of kho_data")
CHECK("handoff.multiple", NOTE, "several places hold a KHO boot hand-off")
CHECK("handoff.no-kho-entry", WARNING, "no SETUP_KEXEC_KHO node in the setup_data chain")
CHECK("handoff.probes-capped", NOTE, "too many boot_params signatures; the rest were not looked at")
CHECK("handoff.scan-mismatch", WARNING, "the hand-off names a root FDT that --scan does not find")
CHECK("handoff.setup-data-cycle", ERROR, "the setup_data chain loops")
CHECK("handoff.setup-data-long", WARNING, "the setup_data chain is longer than the walk allows")
CHECK("handoff.setup-data-not-captured", WARNING, "a setup_data node is not in the image")
CHECK("scratch.array-outside", NOTE, "the scratch array lies in none of the areas it lists")
CHECK("scratch.empty", ERROR, "the scratch array holds no entry")
CHECK("scratch.few", WARNING, "fewer scratch areas than the kernel writes")
CHECK("scratch.mismatch", WARNING, "the scratch array in memory differs from the image's list")
CHECK("scratch.no-lowmem", WARNING, "no scratch area below 4 GiB")
CHECK("scratch.not-captured", WARNING, "the scratch array is not in the image")
CHECK("scratch.overlap", WARNING, "two scratch areas overlap")
CHECK("scratch.range", WARNING, "a scratch area runs past the physical-address limit")
CHECK("scratch.size-partial", WARNING, "scratch_size is not a multiple of the entry size")
CHECK("scratch.staged", NOTE, "the scratch array reads as zeros: a kexec segment not yet copied")
CHECK("scratch.too-many", WARNING, "more scratch areas than are checked")
CHECK("scratch.unaligned", WARNING, "a scratch area is not aligned to PAGE_SIZE << MAX_PAGE_ORDER")
CHECK("scratch.zero-size", NOTE, "a scratch area has size 0")

/* ---- the root FDT */
CHECK("root.bad-magic", ERROR, "the root FDT has no FDT magic")
CHECK("root.blob-size-missing", ERROR, "a sub-node lacks the blob-size its root version requires")
CHECK("root.blob-size-mixed", WARNING, "some sub-nodes carry blob-size and others do not")
CHECK("root.blob-size-range", ERROR, "a sub-node's blob-size is out of range")
CHECK("root.blob-size-zero", WARNING, "a sub-node's blob-size is 0")
CHECK("root.compat-list", ERROR, "the root compatible is a string list, not one string")
CHECK("root.composite-order", ERROR, "the components of a composite root compatible are out of order")
CHECK("root.debugfs-prefix", NOTE, "debugfs shows only a prefix of the root FDT")
CHECK("root.in-scratch", ERROR, "the root FDT page lies in a scratch area")
CHECK("root.invalid", ERROR, "the root FDT fails structural validation")
CHECK("root.memmap-consumed", NOTE, "incoming image: the memory map was consumed at boot and is not decoded")
CHECK("root.memmap-unaligned", ERROR, "preserved-memory-map is not page aligned")
CHECK("root.memmap-zero", ERROR, "preserved-memory-map is 0")
CHECK("root.memrsv", WARNING, "the root FDT has memory reservation entries")
CHECK("root.missing", ERROR, "the image holds no root KHO FDT")
CHECK("root.nested", WARNING, "a sub-node is nested deeper than KHO writes")
CHECK("root.no-compatible", ERROR, "the root FDT has no NUL-terminated compatible")
CHECK("root.no-memmap", ERROR, "the root FDT has no preserved-memory-map")
CHECK("root.not-finalized", ERROR, "preserved-memory-map is 0: never finalized, or nothing preserved")
CHECK("root.prop-size", ERROR, "a root or sub-node property has the wrong size")
CHECK("root.subnode-duplicate", ERROR, "two sub-nodes share a name")
CHECK("root.subnode-missing-prop", ERROR, "a sub-node lacks its blob pointer property")
CHECK("root.subnode-name", ERROR, "a sub-node name is empty or unusable")
CHECK("root.subnode-not-captured", WARNING, "a sub-node's blob is not in the image")
CHECK("root.subnode-not-fdt", WARNING, "a sub-node's blob is not an FDT where one is expected")
CHECK("root.subnode-null", ERROR, "a sub-node's blob pointer is 0")
CHECK("root.subnode-prop", WARNING, "a sub-node has a property KHO does not write")
CHECK("root.subnode-size", ERROR, "a sub-node's blob size is wrong")
CHECK("root.subnode-unaligned", ERROR, "a sub-node's blob pointer is not aligned")
CHECK("root.too-large", ERROR, "the root FDT is larger than one page")
CHECK("root.truncated", ERROR, "the root FDT runs past the bytes available")
CHECK("root.unknown-compat", ERROR, "the root compatible names no known KHO version")
CHECK("root.version", ERROR, "the root FDT version is older than 16")

/* ---- the memory map, seen by the host */
CHECK("coverage.not-preserved", ERROR, "memory a decoder needs preserved is not in the memory map")
CHECK("coverage.order-mismatch", ERROR, "memory is preserved, but not as the block order expected")
CHECK("coverage.range-wraps", ERROR, "a range a decoder asks about wraps the address space")
CHECK("memmap.block-over-map-page", ERROR, "a preserved block covers a page of the memory map itself (reported by the memory-map plugin)")
CHECK("memmap.block-in-scratch", ERROR, "a preserved block overlaps a scratch area")
CHECK("memmap.overlap", ERROR, "two preserved blocks overlap (double preservation)")
CHECK("memmap.scratch-overlap", ERROR, "a preserved block overlaps a scratch area (reported by the memory-map plugin)")
CHECK("memmap.unattributed", NOTE, "preserved blocks no decoded object accounts for")

/* ---- the host's services: vmalloc areas (vmalloc.c) and block chains
 * (block_chain.c), which plugins reach through kho_vmalloc() and
 * kho_block_chain() */
CHECK("vmalloc.flags", ERROR, "a vmalloc descriptor's flags have bits outside ALLOC|HUGE_VMAP")
CHECK("vmalloc.order", ERROR, "a vmalloc descriptor's order exceeds MAX_PAGE_ORDER, or is above 0 without HUGE_VMAP")
CHECK("vmalloc.first-vs-total", ERROR, "a vmalloc descriptor has a first chunk and no pages, or pages and no first chunk")
CHECK("vmalloc.cycle", ERROR, "a vmalloc chunk list loops")
CHECK("vmalloc.unaligned-chunk", ERROR, "a vmalloc chunk is not page aligned")
CHECK("vmalloc.unaligned-run", ERROR, "a vmalloc run is not aligned to its size")
CHECK("vmalloc.total-pages", ERROR, "the runs of a vmalloc area do not add up to its total_pages")
CHECK("vmalloc.full-chunk-no-next", WARNING, "a full vmalloc chunk ends the list, where the producer links another")
CHECK("vmalloc.duplicate-run", ERROR, "a vmalloc run appears more than once")
CHECK("vmalloc.run-overlaps-chunk", ERROR, "a vmalloc run contains a page of the area's chunk list")
CHECK("vmalloc.not-captured", WARNING, "a vmalloc chunk is not in the image (an error when it lies outside physical memory)")
CHECK("block.cycle", ERROR, "a chain of KHO blocks loops")
CHECK("block.too-many", ERROR, "a chain of KHO blocks goes on past KHO_MAX_BLOCKS (10000)")
CHECK("block.count-zero", ERROR, "a KHO block has count 0")
CHECK("block.count-over", ERROR, "a KHO block's count is above the entries it can hold")
CHECK("block.unaligned", ERROR, "a KHO block is not page aligned")
CHECK("block.not-captured", WARNING, "a KHO block is not in the image (an error when it lies outside physical memory)")

/* ---- dispatch and resource limits */
CHECK("plugin.no-decoder", NOTE, "no loaded plugin decodes this compatible")
CHECK("limit.depth", ERROR, "decoder nesting reached the depth limit")
CHECK("limit.findings", ERROR, "the findings limit was reached; later findings are only counted")
CHECK("limit.memory", ERROR, "the session memory limit was reached")
CHECK("limit.objects", ERROR, "the object limit was reached")
CHECK("limit.subnodes", ERROR, "the root FDT sub-node limit was reached")

/* ---- compatibility with a target kernel (preflight, check --target) */
CHECK("compat.component-differs", NOTE, "a component's compatible differs between image and target")
CHECK("compat.composite-order", ERROR, "a composite compatible's components are out of order")
CHECK("compat.undetermined-kexec-metadata", NOTE, "whether the target reads kexec-metadata cannot be told")
CHECK("compat.unknown-to-inspector", WARNING, "the target reads a component whose accepted version the table cannot show")
CHECK("compat.unsupported", ERROR, "the target does not support a compatible the image uses")
CHECK("compat.unsupported-flb", ERROR, "the target does not support an FLB the image uses")
CHECK("compat.unsupported-handler", ERROR, "the target has no LUO file handler for a file the image holds")
CHECK("compat.unsupported-kexec-metadata", ERROR, "the target does not support the image's kexec-metadata")
CHECK("compat.unsupported-luo", ERROR, "the target does not support the image's LUO version")
CHECK("compat.unsupported-memblock", ERROR, "the target does not support the image's reserve_mem format")
CHECK("compat.unsupported-root", ERROR, "the target does not support the image's root KHO version")
CHECK("compat.unsupported-subfdt", ERROR, "the target does not support a sub-FDT the image holds")
