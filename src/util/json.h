/* JSON output: jansson builds the tree; pl__json_dump() writes it with sorted
 * keys, two-space indentation and the shortest decimal form of each double
 * that reads back to the same bits, so output is stable and round-trips.
 * jansson's own dumper prints a fixed number of digits instead. Internal. */
#ifndef PL_JSON_H
#define PL_JSON_H

#include <jansson.h>

/* The document as a NUL-terminated string (pl__malloc'd), or NULL when out of
 * memory. indent 0 gives compact output. */
char *pl__json_dump(const json_t *root, int indent);

/* Shortest round-trip decimal form of v into buf (at least 32 bytes).
 * Non-finite values become "null". */
void pl__fmt_double(double v, char *buf);

#endif
