/* Internal helpers shared by every layer of libparley: the allocator hook,
 * growable buffers and diagnostics. Not part of the public API. */
#ifndef PL_UTIL_H
#define PL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "parley.h"

/* All of parley's own allocations go through the hook set with
 * pl_set_allocator(), so an embedding program can account for or cap them. */
void *pl__malloc(size_t n);
void *pl__calloc(size_t count, size_t size);
void *pl__realloc(void *p, size_t n);
void pl__free(void *p);
char *pl__strdup(const char *s);
char *pl__strndup(const char *s, size_t n);

/* Grow *arr (of *cap elements of size elem) so that it holds at least need.
 * Returns 0 on success, -1 on allocation failure (arr untouched). */
int pl__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* A growable NUL-terminated string. */
typedef struct pl_buf {
    char *s;
    size_t len, cap;
    int oom; /* sticky: set once an append failed */
} pl_buf;

void pl_buf_init(pl_buf *b);
void pl_buf_free(pl_buf *b);
void pl_buf_add(pl_buf *b, const char *s, size_t n);
void pl_buf_puts(pl_buf *b, const char *s);
void pl_buf_printf(pl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the string over to the caller (who frees it with pl__free); the buffer is reset. */
char *pl_buf_take(pl_buf *b);

/* Fill a diagnostic. file may be NULL. line/col are 1-based, 0 when unknown. */
void pl__diag_set(pl_diag *d, pl_status st, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void pl__diag_vset(pl_diag *d, pl_status st, const char *file, int line, int col,
                   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* Levenshtein distance, capped: returns a value > cap as soon as it is known to
 * exceed cap. Used for "did you mean" suggestions. */
size_t pl__edit_distance(const char *a, const char *b, size_t cap);

/* Pick the closest of n candidates to word, or NULL if none is close enough. */
const char *pl__suggest(const char *word, const char *const *cands, size_t n);

/* The text of line `line` (1-based) of text[0..len) without its line break,
 * into buf (size bytes, NUL-terminated, truncated at a character boundary);
 * "" when the line does not exist. For pl_diag.source_line, which front ends
 * print under an error with a caret. */
void pl__source_line(const char *text, size_t len, int line, char *buf, size_t size);

#endif
