/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "plugins" section: which decoders were loaded, from where, and which
 * files were refused and why.  It describes the host, not the image, so it
 * never counts in an image's findings, summary or exit status.
 *
 * JSON: { "searched": [dir], "loaded": [ { name, path } ],
 *         "refused": [ { path, reason, ignored } ] }
 * "ignored" is true for a build-tree plugin an installed binary leaves
 * alone by design (see kho_plugins_load).
 */
#ifndef KHO_OUTPUT_PLUGINS_H
#define KHO_OUTPUT_PLUGINS_H

#include <stdio.h>

#include "json_writer.h"
#include "decode/plugins.h"

void kho_json_plugins(struct jsonw *w, const struct kho_plugin_set *s);
/* The same members, written into an object the caller opened. */
void kho_json_plugins_members(struct jsonw *w, const struct kho_plugin_set *s);
/*
 * Text.  full: the `plugins` command's listing.  Otherwise the short form
 * that follows a check or dump: nothing when no plugin was refused, else a
 * "plugins:" block with each refusal (build-tree ones only counted).
 */
void kho_text_plugins(FILE *f, const struct kho_plugin_set *s, int full);

#endif
