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

/* Building a document without checking every call: each helper records an
 * allocation failure in the builder, and the caller checks it once at the
 * end (pl__jb_finish). */
typedef struct pl_jb {
    int err;
} pl_jb;

json_t *pl__jb_chk(pl_jb *J, json_t *v);                 /* v, noting NULL */
void pl__jb_set(pl_jb *J, json_t *o, const char *k, json_t *v);
void pl__jb_push(pl_jb *J, json_t *a, json_t *v);
json_t *pl__jb_real(pl_jb *J, double v);                 /* null when not finite */
json_t *pl__jb_str(pl_jb *J, const char *s);             /* "" for NULL */
json_t *pl__jb_strs(pl_jb *J, const char *const *s, size_t n);
/* Dump root (indent 2) into *json and release root; PL_E_NOMEM on failure. */
int pl__jb_finish(pl_jb *J, json_t *root, char **json);

#endif
