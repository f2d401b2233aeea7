/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every string that comes from an image (names, compat strings, messages
 * quoting them) reaches the terminal through here, so that image bytes
 * cannot move the cursor or change colours.
 */
#ifndef KHO_TEXT_PUT_H
#define KHO_TEXT_PUT_H

#include <stdio.h>

/*
 * Print an untrusted string: printable ASCII and well-formed UTF-8 (except
 * C1 controls) unchanged, anything else as \xNN.  NULL prints "(null)".
 */
void kho_text_put(FILE *f, const char *s);

#endif /* KHO_TEXT_PUT_H */
