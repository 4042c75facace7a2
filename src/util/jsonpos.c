/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding a value's position in a JSON text by its path (see jsonpos.h).
 *
 * The scan only needs to tell where each value starts and ends, not whether
 * the text is valid: the reader has already parsed it with jansson. Skipping a
 * container counts brackets instead of recursing, so nesting depth costs
 * nothing, and every loop checks the length, so a malformed text (a caller
 * that passes the wrong bytes) ends the walk early instead of overrunning. */
#include "util/jsonpos.h"

#include <stdint.h>
#include <string.h>

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

/* Past the closing quote of the string that opens at i. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return n;
}

/* Past the value that starts at i; always moves forward when i < n, so the
 * callers' loops end even on text that is not JSON. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return n;
    if (s[i] == '"')
        return skip_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, n, i);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return n;
    }
    size_t start = i;
    while (i < n && !is_ws(s[i]) && !strchr(",:]}[{\"", s[i]))
        i++;
    return i > start ? i : i + 1;
}

static int hex4(const char *s, size_t n, size_t i, unsigned *out)
{
    if (i + 4 > n)
        return 0;
    unsigned v = 0;
    for (size_t k = i; k < i + 4; k++) {
        char c = s[k];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return 0;
        v = v * 16 + d;
    }
    *out = v;
    return 1;
}

static size_t utf8_put(unsigned cp, unsigned char *o)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Whether the string that opens at i decodes to key[0..klen): jansson looked
 * keys up by their decoded bytes, so "caf\u00e9" must match "café". *end is
 * set past the string. */
static int key_eq(const char *s, size_t n, size_t i, const char *key, size_t klen, size_t *end)
{
    size_t k = 0;
    int eq = 1;
    for (i++; i < n && s[i] != '"';) {
        unsigned char out[4];
        size_t no = 1;
        if (s[i] != '\\') {
            out[0] = (unsigned char)s[i++];
        } else if (i + 1 >= n) {
            i = n;
            eq = 0;
            break;
        } else {
            char e = s[i + 1];
            unsigned cp, lo;
            i += 2;
            switch (e) {
            case 'b': out[0] = '\b'; break;
            case 'f': out[0] = '\f'; break;
            case 'n': out[0] = '\n'; break;
            case 'r': out[0] = '\r'; break;
            case 't': out[0] = '\t'; break;
            case 'u':
                if (!hex4(s, n, i, &cp)) {
                    eq = 0;
                    no = 0;
                    break;
                }
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= n && s[i] == '\\' &&
                    s[i + 1] == 'u' && hex4(s, n, i + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                no = utf8_put(cp, out);
                break;
            default: out[0] = (unsigned char)e; break; /* \" \\ \/ */
            }
        }
        for (size_t j = 0; j < no; j++, k++)
            if (k >= klen || (unsigned char)key[k] != out[j])
                eq = 0;
    }
    *end = i < n ? i + 1 : n;
    return eq && k == klen;
}

/* One step of a path: a key (key, klen) or an index (key NULL). Returns the
 * rest of the path, or NULL when the step is malformed. */
static const char *next_step(const char *p, const char **key, size_t *klen, size_t *index)
{
    if (*p == '.')
        p++;
    if (*p == '[') {
        size_t v = 0;
        const char *q = p + 1;
        if (*q < '0' || *q > '9')
            return NULL;
        for (; *q >= '0' && *q <= '9'; q++) {
            if (v > (SIZE_MAX - 9) / 10)
                return NULL;
            v = v * 10 + (size_t)(*q - '0');
        }
        if (*q != ']')
            return NULL;
        *key = NULL;
        *index = v;
        return q + 1;
    }
    size_t l = strcspn(p, ".[");
    if (!l)
        return NULL;
    *key = p;
    *klen = l;
    return p + l;
}

/* Offset of the value at path in *at; the return value as for pl__jsonpos(). */
static int walk(const char *s, size_t n, const char *path, size_t *at)
{
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    i = skip_ws(s, n, i);
    *at = i;
    if (i >= n) {
        *at = 0;
        return -1;
    }
    const char *p = path ? path : "";
    while (*p) {
        const char *key = NULL;
        size_t klen = 0, index = 0;
        p = next_step(p, &key, &klen, &index);
        if (!p)
            return 1;
        size_t j;
        if (key) {
            if (s[i] != '{')
                return 1;
            int found = 0;
            for (j = skip_ws(s, n, i + 1); j < n && s[j] == '"';) {
                size_t e;
                int eq = key_eq(s, n, j, key, klen, &e);
                j = skip_ws(s, n, e);
                if (j >= n || s[j] != ':')
                    return 1;
                j = skip_ws(s, n, j + 1);
                if (j >= n)
                    return 1;
                if (eq) {
                    found = 1;
                    break;
                }
                j = skip_ws(s, n, skip_value(s, n, j));
                if (j >= n || s[j] != ',')
                    return 1;
                j = skip_ws(s, n, j + 1);
            }
            if (!found)
                return 1;
        } else {
            if (s[i] != '[')
                return 1;
            j = skip_ws(s, n, i + 1);
            if (j >= n || s[j] == ']')
                return 1;
            for (size_t k = 0; k < index; k++) {
                j = skip_ws(s, n, skip_value(s, n, j));
                if (j >= n || s[j] != ',')
                    return 1;
                j = skip_ws(s, n, j + 1);
                if (j >= n || s[j] == ']')
                    return 1;
            }
        }
        i = j;
        *at = i;
    }
    return 0;
}

/* Line and column of offsets visited in increasing order, so that the
 * elements of a long array cost one pass in all. */
typedef struct cursor {
    size_t off;
    int line, col;
} cursor;

static void advance(cursor *c, const char *s, size_t n, size_t to)
{
    if (to > n)
        to = n;
    for (; c->off < to; c->off++) {
        unsigned char b = (unsigned char)s[c->off];
        if (b == '\n') {
            c->line++;
            c->col = 1;
        } else if ((b & 0xC0) != 0x80) {
            c->col++;
        }
    }
}

int pl__jsonpos(const char *text, size_t len, const char *path, int *line, int *col)
{
    size_t at = 0;
    int rc = text ? walk(text, len, path, &at) : -1;
    cursor c = {0, 1, 1};
    if (text)
        advance(&c, text, len, at);
    if (line)
        *line = c.line;
    if (col)
        *col = c.col;
    return rc;
}

long pl__jsonpos_each(const char *text, size_t len, const char *path,
                      void (*fn)(void *ctx, size_t index, int line, int col), void *ctx)
{
    size_t i;
    if (!text || walk(text, len, path, &i) != 0 || i >= len || text[i] != '[')
        return -1;
    cursor c = {0, 1, 1};
    long count = 0;
    size_t j = skip_ws(text, len, i + 1);
    while (j < len && text[j] != ']') {
        advance(&c, text, len, j);
        if (fn)
            fn(ctx, (size_t)count, c.line, c.col);
        count++;
        j = skip_ws(text, len, skip_value(text, len, j));
        if (j >= len || text[j] != ',')
            break;
        j = skip_ws(text, len, j + 1);
    }
    return count;
}
