// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kho-mkimage: the boot hand-off the next kernel reads (kho-abi.md §1.4),
 * laid out in place at its destination:
 *
 *  x86 (handoff = x86): a zero page with boot_flag 0xAA55 at 0x1FE, the
 *  jump and "HdrS" at 0x200, the command line at +0x1000 (cmd_line_ptr,
 *  as kexec_file puts it right after boot_params), then a setup_data chain
 *  RNG seed (type 9) -> KHO (type 10, struct kho_data) as 7.2 links them,
 *  and the scratch array at +0x2000.
 *
 *  device tree (handoff = dt): a DTB with #address-cells = #size-cells = 2
 *  and /chosen linux,kho-fdt / linux,kho-scratch, the array at +0x2000.
 *
 * The array holds the scenario's scratch lines as struct kho_scratch
 * {u64 addr; u64 size}.  Placement: handoff_at, else the top 64 KiB of the
 * last scratch area (kexec loads its segments into scratch), else the
 * metadata allocator.  Every field is a break target.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "mk.h"

#define SPAN 0x3000u
#define SD0 0x1040u
#define SD1 0x1070u
#define ARR 0x2000u

static void field(const char *name, uint64_t pa, uint32_t size, unsigned flags,
		  uint64_t aux, uint64_t owner)
{
	struct mk_field *f = mk_field_add(name, pa, size, flags);

	f->aux = aux;
	f->owner = owner;
}

static uint64_t place(uint8_t **buf)
{
	struct mk_scn *s = mk.s;
	uint64_t len = (SPAN + mk.ps - 1) & ~((uint64_t)mk.ps - 1);
	uint64_t pa;

	if (s->handoff_at_set) {
		pa = s->handoff_at;
	} else if (s->nscratch && s->scratch[s->nscratch - 1].size >= 0x10000) {
		const struct mk_area *a = &s->scratch[s->nscratch - 1];

		pa = (a->addr + a->size - 0x10000) & ~((uint64_t)mk.ps - 1);
	} else {
		return mk_alloc_pages(len >> mk.shift, 0, buf);
	}
	if (pa & (mk.ps - 1))
		mk_fatal(2, "%s: handoff_at 0x%llx is not page aligned", s->file,
			 (unsigned long long)pa);
	*buf = mk_calloc(1, len);
	mk_capture(pa, len, *buf);
	return pa;
}

static void scratch_array(uint8_t *b, uint64_t pa)
{
	struct mk_scn *s = mk.s;

	for (size_t i = 0; i < s->nscratch; i++) {
		char *nm;

		mk_put64(b + ARR + 16 * i, s->scratch[i].addr);
		mk_put64(b + ARR + 16 * i + 8, s->scratch[i].size);
		nm = mk_fmt("scratch_array[%zu].addr", i);
		field(nm, pa + ARR + 16 * i, 8, 0, 0, pa + ARR);
		free(nm);
		nm = mk_fmt("scratch_array[%zu].size", i);
		field(nm, pa + ARR + 16 * i + 8, 8, 0, 0, pa + ARR);
		free(nm);
	}
	mk_obj_add("scratch_array", pa + ARR, 16 * s->nscratch, -1);
}

static void build_x86(uint8_t *b, uint64_t pa)
{
	static const char cmdline[] = "console=ttyS0 kho=on";
	uint64_t kd = pa + SD1 + 16;

	b[0x1fe] = 0x55;
	b[0x1ff] = 0xaa;
	b[0x200] = 0xeb;
	b[0x201] = 0x6a;
	memcpy(b + 0x202, "HdrS", 4);
	b[0x206] = 0x0f;
	b[0x207] = 0x02;
	mk_put32(b + 0x228, (pa + 0x1000) & 0xffffffffu);
	mk_put32(b + 0xc8, (pa + 0x1000) >> 32);
	memcpy(b + 0x1000, cmdline, sizeof(cmdline));
	mk_put64(b + 0x250, pa + SD0);
	/* RNG seed first: 7.2 links it last, and links prepend. */
	mk_put64(b + SD0, pa + SD1);
	mk_put32(b + SD0 + 8, 9);
	mk_put32(b + SD0 + 12, 32);
	memset(b + SD0 + 16, 0x5a, 32);
	mk_put64(b + SD1, 0);
	mk_put32(b + SD1 + 8, 10);
	mk_put32(b + SD1 + 12, 32);
	mk_put64(b + SD1 + 16, mk.root_pa);
	mk_put64(b + SD1 + 24, mk.ps);
	mk_put64(b + SD1 + 32, pa + ARR);
	mk_put64(b + SD1 + 40, 16 * mk.s->nscratch);

	mk_obj_add("boot_params", pa, 0x1000, -1);
	mk_obj_add("setup_data[0]", pa + SD0, 48, -1);
	mk_obj_add("setup_data[1]", pa + SD1, 48, -1);
	mk_obj_add("kho_data", kd, 32, -1);
	field("boot_params.boot_flag", pa + 0x1fe, 2, 0, 0, pa);
	field("boot_params.header", pa + 0x202, 4, MKF_STR, 0, pa);
	field("boot_params.cmd_line_ptr", pa + 0x228, 4, 0, 0, pa);
	field("boot_params.setup_data", pa + 0x250, 8, MKF_NEXT, pa + SD0, pa);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t n = pa + (i ? SD1 : SD0);
		char *nm;

		nm = mk_fmt("setup_data[%u].next", i);
		field(nm, n, 8, MKF_NEXT, pa + SD0, n);
		free(nm);
		nm = mk_fmt("setup_data[%u].type", i);
		field(nm, n + 8, 4, 0, 0, n);
		free(nm);
		nm = mk_fmt("setup_data[%u].len", i);
		field(nm, n + 12, 4, 0, 0, n);
		free(nm);
	}
	field("kho_data.fdt_addr", kd, 8, 0, 0, kd);
	field("kho_data.fdt_size", kd + 8, 8, 0, 0, kd);
	field("kho_data.scratch_addr", kd + 16, 8, 0, 0, kd);
	field("kho_data.scratch_size", kd + 24, 8, 0, 0, kd);
}

static void addrrange(void *fdt, const char *name, uint64_t a, uint64_t s)
{
	uint8_t v[16];

	mk_put32be(v, (uint32_t)(a >> 32));
	mk_put32be(v + 4, (uint32_t)a);
	mk_put32be(v + 8, (uint32_t)(s >> 32));
	mk_put32be(v + 12, (uint32_t)s);
	if (fdt_property(fdt, name, v, sizeof(v)))
		mk_fatal(1, "handoff DTB: cannot add %s", name);
}

static void build_dt(uint8_t *b, uint64_t pa)
{
	uint8_t two[4];
	int err = 0;

	mk_put32be(two, 2);
	err |= fdt_create(b, ARR);
	err |= fdt_finish_reservemap(b);
	err |= fdt_begin_node(b, "");
	err |= fdt_property(b, "#address-cells", two, 4);
	err |= fdt_property(b, "#size-cells", two, 4);
	err |= fdt_begin_node(b, "chosen");
	if (err)
		mk_fatal(1, "handoff DTB: libfdt failed");
	addrrange(b, "linux,kho-fdt", mk.root_pa, mk.ps);
	addrrange(b, "linux,kho-scratch", pa + ARR, 16 * mk.s->nscratch);
	err |= fdt_end_node(b);
	err |= fdt_end_node(b);
	err |= fdt_finish(b);
	if (err)
		mk_fatal(1, "handoff DTB: libfdt failed");
	mk_obj_add("handoff_dtb", pa, ARR, -1);
}

/*
 * handoff_copy: the booted kernel's own copy of its boot_params (any
 * alignment), whose setup_data still leads to the chain at the kexec
 * destination, which then survives as a second hand-off.
 */
static void copy_boot_params(const uint8_t *b)
{
	uint64_t at = mk.s->handoff_copy;
	uint64_t base = at & ~((uint64_t)mk.ps - 1);
	uint64_t len = (at - base + 0x1000 + mk.ps - 1) & ~((uint64_t)mk.ps - 1);
	uint8_t *c;

	if (mk.s->handoff != 1)
		mk_fatal(2, "%s: handoff_copy needs handoff = x86", mk.s->file);
	c = mk_calloc(1, len);
	memcpy(c + (at - base), b, 0x1000);
	mk_capture(base, len, c);
	mk_obj_add("boot_params_copy", at, 0x1000, -1);
}

void mk_build_handoff(void)
{
	uint8_t *b = NULL;
	uint64_t pa;

	if (!mk.s->handoff)
		return;
	pa = place(&b);
	if (mk.s->handoff == 1)
		build_x86(b, pa);
	else
		build_dt(b, pa);
	scratch_array(b, pa);
	if (mk.s->handoff_copy)
		copy_boot_params(b);
}
