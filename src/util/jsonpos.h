/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a value sits in a JSON text. jansson keeps no positions of values, so
 * a reader that finds a semantic error in a parsed tree looks the offending
 * value up again in the text it parsed, by its path. Internal.
 *
 * A path is a sequence of steps: a key (`options`, `.name`) or an array index
 * (`[3]`), e.g. `decision_makers[1].preference.ranking[3]`; the empty path is
 * the whole document. Keys are compared with the text's keys after decoding
 * their escapes; a key in a path cannot contain '.' or '['.
 *
 * Positions are 1-based; lines end at '\n' and columns count characters
 * (UTF-8 sequences, not bytes), as jansson counts them for syntax errors and
 * as the rest of parley counts them. The scan never reads past len, does not
 * recurse and tolerates malformed text (it then stops at the last place it
 * understood). */
#ifndef PL_JSONPOS_H
#define PL_JSONPOS_H

#include <stddef.h>

/* The start of the value at path: *line and *col are always set (at least
 * 1). Returns 0 when the whole path was found; 1 when only a prefix was (a
 * missing key, an index past the end, a step into a scalar), the position
 * then being that of the deepest value found, e.g. the object that lacks the
 * key; -1 when the text holds no value at all (position 1:1, or the first
 * character that is not white space). */
int pl__jsonpos(const char *text, size_t len, const char *path, int *line, int *col);

/* For each element of the array at path, in order, calls fn with its index
 * and position: one pass over the text however long the array, where a
 * pl__jsonpos() per element would rescan it each time. Returns the number of
 * elements, or -1 when path does not lead to an array. */
long pl__jsonpos_each(const char *text, size_t len, const char *path,
                      void (*fn)(void *ctx, size_t index, int line, int col), void *ctx);


#endif
