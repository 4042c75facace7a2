/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void pl__fmt_double(double v, char *buf)
{
    if (!isfinite(v)) {
        strcpy(buf, "null");
        return;
    }
    if (v == 0) {
        strcpy(buf, "0");  /* -0 too: it compares equal and reads back as 0 */
        return;
    }
    /* Integers print as integers: 80, not 8e+01. */
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(buf, 32, "%lld", (long long)v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static void put_string(pl_buf *b, const char *s, size_t n)
{
    pl_buf_add(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': pl_buf_add(b, "\\\"", 2); break;
        case '\\': pl_buf_add(b, "\\\\", 2); break;
        case '\n': pl_buf_add(b, "\\n", 2); break;
        case '\r': pl_buf_add(b, "\\r", 2); break;
        case '\t': pl_buf_add(b, "\\t", 2); break;
        default:
            if (c < 0x20)
                pl_buf_printf(b, "\\u%04x", c);
            else
                pl_buf_add(b, (const char *)&s[i], 1);
        }
    }
    pl_buf_add(b, "\"", 1);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void newline(pl_buf *b, int indent, int level)
{
    if (!indent)
        return;
    pl_buf_add(b, "\n", 1);
    for (int i = 0; i < indent * level; i++)
        pl_buf_add(b, " ", 1);
}

static void dump(pl_buf *b, const json_t *j, int indent, int level)
{
    char num[40];
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(j);
        if (n == 0) {
            pl_buf_puts(b, "{}");
            return;
        }
        const char **keys = pl__malloc(sizeof *keys * n);
        if (!keys) {
            b->oom = 1;
            return;
        }
        size_t k = 0;
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)j, key, val)
            keys[k++] = key;
        qsort(keys, n, sizeof *keys, key_cmp);
        pl_buf_puts(b, "{");
        for (k = 0; k < n; k++) {
            newline(b, indent, level + 1);
            put_string(b, keys[k], strlen(keys[k]));
            pl_buf_puts(b, indent ? ": " : ":");
            dump(b, json_object_get(j, keys[k]), indent, level + 1);
            if (k + 1 < n)
                pl_buf_puts(b, ",");
        }
        newline(b, indent, level);
        pl_buf_puts(b, "}");
        pl__free(keys);
        return;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        if (n == 0) {
            pl_buf_puts(b, "[]");
            return;
        }
        pl_buf_puts(b, "[");
        for (size_t k = 0; k < n; k++) {
            newline(b, indent, level + 1);
            dump(b, json_array_get(j, k), indent, level + 1);
            if (k + 1 < n)
                pl_buf_puts(b, ",");
        }
        newline(b, indent, level);
        pl_buf_puts(b, "]");
        return;
    }
    case JSON_STRING:
        put_string(b, json_string_value(j), json_string_length(j));
        return;
    case JSON_INTEGER:
        pl_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        return;
    case JSON_REAL:
        pl__fmt_double(json_real_value(j), num);
        pl_buf_puts(b, num);
        return;
    case JSON_TRUE: pl_buf_puts(b, "true"); return;
    case JSON_FALSE: pl_buf_puts(b, "false"); return;
    case JSON_NULL: pl_buf_puts(b, "null"); return;
    }
}

char *pl__json_dump(const json_t *root, int indent)
{
    pl_buf b;
    pl_buf_init(&b);
    dump(&b, root, indent, 0);
    pl_buf_add(&b, "\n", 1);
    return pl_buf_take(&b);
}

json_t *pl__jb_chk(pl_jb *J, json_t *v)
{
    if (!v)
        J->err = 1;
    return v;
}

void pl__jb_set(pl_jb *J, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        J->err = 1;
}

void pl__jb_push(pl_jb *J, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        J->err = 1;
}

json_t *pl__jb_real(pl_jb *J, double v)
{
    return pl__jb_chk(J, isfinite(v) ? json_real(v) : json_null());
}

json_t *pl__jb_str(pl_jb *J, const char *s)
{
    return pl__jb_chk(J, json_string(s ? s : ""));
}

json_t *pl__jb_strs(pl_jb *J, const char *const *s, size_t n)
{
    json_t *a = pl__jb_chk(J, json_array());
    for (size_t k = 0; k < n; k++)
        pl__jb_push(J, a, pl__jb_str(J, s[k]));
    return a;
}

int pl__jb_finish(pl_jb *J, json_t *root, char **json)
{
    *json = NULL;
    if (!J->err)
        *json = pl__json_dump(root, 2);
    json_decref(root);
    return *json ? 0 : -1;
}
