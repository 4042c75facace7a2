/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

static pl_alloc_fn g_alloc = default_alloc;
static void *g_alloc_ud = NULL;

void pl_set_allocator(pl_alloc_fn fn, void *ud)
{
    g_alloc = fn ? fn : default_alloc;
    g_alloc_ud = fn ? ud : NULL;
}

void *pl__malloc(size_t n)
{
    return g_alloc(g_alloc_ud, NULL, 0, n ? n : 1);
}

void *pl__calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t n = count * size;
    void *p = pl__malloc(n);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

void *pl__realloc(void *p, size_t n)
{
    return g_alloc(g_alloc_ud, p, 0, n ? n : 1);
}

void pl__free(void *p)
{
    if (p)
        g_alloc(g_alloc_ud, p, 0, 0);
}

void pl_free(void *p)
{
    pl__free(p);
}

char *pl__strndup(const char *s, size_t n)
{
    char *d = pl__malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pl__strdup(const char *s)
{
    return pl__strndup(s, strlen(s));
}

int pl__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem)
            return -1;
        nc *= 2;
    }
    void *p = pl__realloc(*arr, nc * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

void pl_buf_init(pl_buf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

void pl_buf_free(pl_buf *b)
{
    pl__free(b->s);
    pl_buf_init(b);
}

void pl_buf_add(pl_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (pl__grow((void **)&b->s, &b->cap, b->len + n + 1, 1) != 0) {
        b->oom = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void pl_buf_puts(pl_buf *b, const char *s)
{
    pl_buf_add(b, s, strlen(s));
}

void pl_buf_printf(pl_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        pl_buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = pl__malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pl_buf_add(b, big, (size_t)n);
    pl__free(big);
}

char *pl_buf_take(pl_buf *b)
{
    if (b->oom) {
        pl_buf_free(b);
        return NULL;
    }
    char *s = b->s ? b->s : pl__strdup("");
    pl_buf_init(b);
    return s;
}

void pl__diag_vset(pl_diag *d, pl_status st, const char *file, int line, int col,
                   const char *fmt, va_list ap)
{
    if (!d)
        return;
    d->status = st;
    d->line = line;
    d->col = col;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    d->source_line[0] = '\0';
}

void pl__diag_set(pl_diag *d, pl_status st, const char *file, int line, int col,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(d, st, file, line, col, fmt, ap);
    va_end(ap);
}

size_t pl__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            size_t m = sub < del ? sub : del;
            row[j] = m < ins ? m : ins;
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}

const char *pl__suggest(const char *word, const char *const *cands, size_t n)
{
    /* Suggest only plausible typos: about a third of the word may differ. */
    size_t len = strlen(word);
    size_t cap = len < 3 ? 1 : len / 3 + 1;
    const char *best = NULL;
    size_t bestd = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t d = pl__edit_distance(word, cands[i], cap);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return best;
}

const char *pl_status_string(pl_status st)
{
    switch (st) {
    case PL_OK: return "success";
    case PL_E_INPUT: return "bad input";
    case PL_E_INTERNAL: return "internal error";
    case PL_E_NOMEM: return "out of memory";
    case PL_E_IO: return "input/output error";
    case PL_E_ARG: return "invalid argument";
    case PL_E_NOTFOUND: return "not found";
    }
    return "unknown status";
}

const char *pl_version(void)
{
    return PL_VERSION_STRING;
}

void pl__source_line(const char *text, size_t len, int line, char *buf, size_t size)
{
    if (!buf || !size)
        return;
    buf[0] = '\0';
    if (!text || line < 1)
        return;
    const char *p = text, *end = text + len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return;
        p = nl + 1;
    }
    const char *e = p;
    while (e < end && *e != '\n' && *e != '\r')
        e++;
    size_t k = (size_t)(e - p);
    if (k >= size) {
        k = size - 1;
        while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80)
            k--; /* never cut a character in two */
    }
    memcpy(buf, p, k);
    buf[k] = '\0';
}
