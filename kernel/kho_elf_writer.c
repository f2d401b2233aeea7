// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The serializer shared with the userspace tools, built into the module
 * from the one source file (it is also compiled, and tested byte for byte,
 * by the userspace build: tests/unit/test_elf_writer.c).
 */
#include "../lib/kho_elf_writer.c"
