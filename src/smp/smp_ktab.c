/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KTAB's SMP actor table (CSV):
 *
 *   name, description, number of actors, number of dimensions [, ignored...]
 *   Actor, Description, Power, Dim1 Position, Dim1 Salience, ... [,]
 *   actor name, description, capability, position, salience, ... [,]   (one per actor)
 *
 * Fields are trimmed; a field may be double-quoted ("" inside for a quote).
 * KTAB aborts on most malformed tables; here every error names its line and
 * column. libcsv is not used: it is not packaged for every target, and the
 * format is small enough to read by hand with exact positions. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/smp.h"
#include "util/util.h"

#define KTAB_MAX_FIELDS 8300 /* 3 + 2 * 4096 dimensions, and a little slack */

typedef struct field {
    char *s;  /* trimmed, unquoted, NUL-terminated (pl__malloc'd) */
    int col;  /* 1-based column of its first character */
} field;

typedef struct csv_line {
    field *f;
    size_t n;
    int line;
    const char *text; /* start of the line in the buffer */
    size_t len;
} csv_line;

typedef struct rd {
    const char *name, *buf;
    size_t len, pos;
    int line;
    pl_diag *diag;
} rd;

static void free_line(csv_line *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl__free(l->f[i].s);
    pl__free(l->f);
    l->f = NULL;
    l->n = 0;
}

static pl_status fail_at(rd *r, const csv_line *l, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static pl_status fail_at(rd *r, const csv_line *l, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(r->diag, PL_E_INPUT, r->name, l ? l->line : r->line, col, fmt, ap);
    va_end(ap);
    if (r->diag && l && l->text) {
        size_t n = l->len < sizeof r->diag->source_line - 1 ? l->len : sizeof r->diag->source_line - 1;
        memcpy(r->diag->source_line, l->text, n);
        r->diag->source_line[n] = '\0';
    }
    return PL_E_INPUT;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Read the next physical line into l; returns 0 at end of input, 1 for a line,
 * -1 on error (diagnostic set). */
static int next_line(rd *r, csv_line *l)
{
    free_line(l);
    if (r->pos >= r->len)
        return 0;
    r->line++;
    l->line = r->line;
    const char *b = r->buf;
    size_t start = r->pos, end = start;
    while (end < r->len && b[end] != '\n')
        end++;
    size_t next = end < r->len ? end + 1 : end;
    if (end > start && b[end - 1] == '\r')
        end--;
    l->text = b + start;
    l->len = end - start;
    r->pos = next;
    size_t cap = 0;
    size_t p = start;
    for (;;) {
        if (l->n >= KTAB_MAX_FIELDS)
            return fail_at(r, l, (int)(p - start + 1), "too many fields (more than %d)",
                           KTAB_MAX_FIELDS), -1;
        while (p < end && is_space(b[p]))
            p++;
        int col = (int)(p - start + 1);
        pl_buf v;
        pl_buf_init(&v);
        if (p < end && b[p] == '"') {
            size_t q = p + 1;
            for (;;) {
                if (q >= end) {
                    pl_buf_free(&v);
                    return fail_at(r, l, col, "unterminated quoted field"), -1;
                }
                if (b[q] == '"') {
                    if (q + 1 < end && b[q + 1] == '"') {
                        pl_buf_add(&v, "\"", 1);
                        q += 2;
                        continue;
                    }
                    q++;
                    break;
                }
                pl_buf_add(&v, b + q, 1);
                q++;
            }
            while (q < end && is_space(b[q]))
                q++;
            if (q < end && b[q] != ',') {
                pl_buf_free(&v);
                return fail_at(r, l, (int)(q - start + 1),
                               "unexpected text after a quoted field"), -1;
            }
            p = q;
        } else {
            size_t q = p;
            while (q < end && b[q] != ',')
                q++;
            size_t e = q;
            while (e > p && is_space(b[e - 1]))
                e--;
            pl_buf_add(&v, b + p, e - p);
            p = q;
        }
        if (!v.s)
            pl_buf_add(&v, "", 0);
        if (v.oom || !v.s) {
            pl_buf_free(&v);
            pl__diag_set(r->diag, PL_E_NOMEM, r->name, 0, 0, "out of memory");
            return -1;
        }
        if (memchr(v.s, '\0', v.len)) {
            pl_buf_free(&v);
            return fail_at(r, l, col, "NUL byte in field"), -1;
        }
        if (pl__grow((void **)&l->f, &cap, l->n + 1, sizeof *l->f) != 0) {
            pl_buf_free(&v);
            pl__diag_set(r->diag, PL_E_NOMEM, r->name, 0, 0, "out of memory");
            return -1;
        }
        l->f[l->n].s = pl_buf_take(&v);
        l->f[l->n].col = col;
        l->n++;
        if (p >= end)
            break;
        p++; /* the comma */
    }
    return 1;
}

static int blank_line(const csv_line *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->f[i].s[0])
            return 0;
    return 1;
}

/* Non-empty fields after the first `used` (KTAB's files end rows with a comma). */
static size_t used_fields(const csv_line *l)
{
    size_t n = l->n;
    while (n > 0 && l->f[n - 1].s[0] == '\0')
        n--;
    return n;
}

static int parse_num(const char *s, double *out)
{
    if (!s[0])
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    /* strtod accepts hex floats and "inf"; a spreadsheet never writes them. */
    for (const char *p = s; *p; p++)
        if (*p == 'x' || *p == 'X' || *p == 'n' || *p == 'N' || *p == 'i' || *p == 'I')
            return -1;
    *out = v;
    return 0;
}

static int parse_count(const char *s, unsigned long *out)
{
    if (!s[0])
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    unsigned long v = strtoul(s, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

pl_status pl_smp_read_ktab(const char *name, const char *data, size_t len, pl_smp_model **out,
                           pl_diag *diag)
{
    if (!out)
        return PL_E_ARG;
    *out = NULL;
    if (!data && len)
        return PL_E_ARG;
    rd r = {name ? name : "<csv>", data ? data : "", len, 0, 0, diag};
    csv_line l = {0};
    pl_smp_model *m = NULL;
    pl_status st = PL_E_INPUT;
    /* UTF-8 byte-order mark, as spreadsheets write it. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    int got = next_line(&r, &l);
    if (got < 0)
        goto done;
    if (got == 0) {
        st = fail_at(&r, NULL, 0, "empty file: expected a KTAB actor table "
                                  "(name, description, actors, dimensions)");
        goto done;
    }
    if (used_fields(&l) < 4) {
        st = fail_at(&r, &l, l.n ? l.f[l.n - 1].col : 1,
                     "line 1 must hold: scenario name, description, number of actors, "
                     "number of dimensions (found %zu field%s)",
                     used_fields(&l), used_fields(&l) == 1 ? "" : "s");
        goto done;
    }
    unsigned long na, nd;
    if (parse_count(l.f[2].s, &na) != 0) {
        st = fail_at(&r, &l, l.f[2].col, "number of actors must be a whole number, found '%s'",
                     l.f[2].s);
        goto done;
    }
    if (parse_count(l.f[3].s, &nd) != 0) {
        st = fail_at(&r, &l, l.f[3].col,
                     "number of dimensions must be a whole number, found '%s'", l.f[3].s);
        goto done;
    }
    if (na < 2) {
        st = fail_at(&r, &l, l.f[2].col, "a forecast needs at least 2 actors, the table says %lu",
                     na);
        goto done;
    }
    if (na > 100000) {
        st = fail_at(&r, &l, l.f[2].col, "too many actors (%lu; at most 100000)", na);
        goto done;
    }
    if (nd < 1 || nd > 4096) {
        st = fail_at(&r, &l, l.f[3].col, "number of dimensions must be 1..4096, found %lu", nd);
        goto done;
    }
    /* Every actor row holds 3 + 2 * dimensions fields of at least one
     * character and a comma each: a table the file cannot possibly hold is
     * refused before anything is allocated for it. */
    if ((double)na * (double)(3 + 2 * nd) * 2.0 > (double)len) {
        st = fail_at(&r, &l, l.f[2].col,
                     "the table declares %lu actors and %lu dimensions, more values than "
                     "the file's %zu bytes can hold", na, nd, len);
        goto done;
    }
    if ((st = pl_smp_model_new(na, nd, &m, diag)) != PL_OK)
        goto done;
    st = PL_E_INPUT;
    if (pl_smp_model_set_name(m, l.f[0].s, l.f[1].s) != PL_OK)
        goto oom;

    got = next_line(&r, &l);
    if (got < 0)
        goto done;
    if (got == 0) {
        st = fail_at(&r, NULL, 0, "missing the header line (Actor, Description, Power, "
                                  "then a position and a salience per dimension)");
        goto done;
    }
    size_t want = 3 + 2 * (size_t)nd, have = used_fields(&l);
    if (have != want) {
        size_t dims = have > 3 ? (have - 3) / 2 : 0;
        st = fail_at(&r, &l, have > want ? l.f[want].col : (l.n ? l.f[l.n - 1].col : 1),
                     "the header has %zu column%s (%zu dimension%s%s) but line 1 says %lu "
                     "dimension%s (%zu columns)",
                     have, have == 1 ? "" : "s", dims, dims == 1 ? "" : "s",
                     have > 3 && (have - 3) % 2 ? " and a stray column" : "", nd,
                     nd == 1 ? "" : "s", want);
        goto done;
    }
    for (size_t k = 0; k < nd; k++) {
        char id[64];
        const char *dn = l.f[3 + 2 * k].s;
        smp_make_id(dn, "d", k, m->dim_id, k, id);
        if (pl_smp_model_set_dim(m, k, id, dn) != PL_OK)
            goto oom;
    }
    /* Ids of actors come from their names; clear the defaults first so that
     * a name like "a2" does not clash with a placeholder. */
    for (size_t i = 0; i < na; i++) {
        pl__free(m->actor_id[i]);
        m->actor_id[i] = NULL;
    }
    for (size_t i = 0; i < na; i++) {
        for (;;) {
            got = next_line(&r, &l);
            if (got < 0)
                goto done;
            if (got == 0 || !blank_line(&l))
                break;
        }
        if (got == 0) {
            st = fail_at(&r, NULL, 0,
                         "line 1 says %lu actors but the table ends after %zu", na, i);
            goto done;
        }
        have = used_fields(&l);
        if (have != want) {
            st = fail_at(&r, &l, have > want ? l.f[want].col : (l.n ? l.f[l.n - 1].col : 1),
                         "actor row has %zu field%s; with %lu dimension%s it needs %zu (name, "
                         "description, capability, then position and salience per dimension)",
                         have, have == 1 ? "" : "s", nd, nd == 1 ? "" : "s", want);
            goto done;
        }
        const char *an = l.f[0].s;
        if (!an[0]) {
            st = fail_at(&r, &l, l.f[0].col, "actor name is empty");
            goto done;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->actor_name[j], an) == 0) {
                st = fail_at(&r, &l, l.f[0].col, "actor '%s' appears twice", an);
                goto done;
            }
        double cap;
        if (parse_num(l.f[2].s, &cap) != 0) {
            st = fail_at(&r, &l, l.f[2].col,
                         "capability of '%s' must be a number, found '%s'", an, l.f[2].s);
            goto done;
        }
        if (cap <= 0) {
            st = fail_at(&r, &l, l.f[2].col,
                         "capability of '%s' must be positive, found %s%s", an, l.f[2].s,
                         cap < 0 ? "" : " (KTAB cannot weigh a vote of 0)");
            goto done;
        }
        char id[64];
        smp_make_id(an, "a", i, m->actor_id, i, id);
        if (pl_smp_model_set_actor(m, i, id, an, cap) != PL_OK ||
            pl_smp_model_set_actor_description(m, i, l.f[1].s) != PL_OK)
            goto oom;
        double total = 0;
        for (size_t k = 0; k < nd; k++) {
            const field *fp = &l.f[3 + 2 * k], *fs = &l.f[4 + 2 * k];
            double x, s;
            if (parse_num(fp->s, &x) != 0) {
                st = fail_at(&r, &l, fp->col, "position of '%s' on '%s' must be a number, "
                                              "found '%s'", an, m->dim_name[k], fp->s);
                goto done;
            }
            if (x < 0 || x > 100) {
                st = fail_at(&r, &l, fp->col, "position of '%s' on '%s' must be between 0 "
                                              "and 100, found %s", an, m->dim_name[k], fp->s);
                goto done;
            }
            if (parse_num(fs->s, &s) != 0) {
                st = fail_at(&r, &l, fs->col, "salience of '%s' on '%s' must be a number, "
                                              "found '%s'", an, m->dim_name[k], fs->s);
                goto done;
            }
            if (s < 0 || s > 100) {
                st = fail_at(&r, &l, fs->col, "salience of '%s' on '%s' must be between 0 "
                                              "and 100, found %s", an, m->dim_name[k], fs->s);
                goto done;
            }
            total = total + s;
            if (total > 100) {
                st = fail_at(&r, &l, fs->col,
                             "saliences of '%s' sum to %g, more than 100 (an actor cannot give "
                             "more than all its attention)", an, total);
                goto done;
            }
            pl_smp_model_set_value(m, i, k, x, s);
        }
        if (total <= 0) {
            st = fail_at(&r, &l, l.f[4].col,
                         "every salience of '%s' is 0: it would take no part", an);
            goto done;
        }
    }
    while ((got = next_line(&r, &l)) == 1) {
        if (!blank_line(&l)) {
            st = fail_at(&r, &l, l.f[0].col, "line 1 says %lu actors but the table has more",
                         na);
            goto done;
        }
    }
    if (got < 0)
        goto done;
    free_line(&l);
    *out = m;
    return PL_OK;
oom:
    st = PL_E_NOMEM;
    pl__diag_set(diag, st, r.name, 0, 0, "out of memory");
done:
    free_line(&l);
    pl_smp_model_free(m);
    return st;
}

pl_status pl_smp_read_ktab_file(const char *path, pl_smp_model **out, pl_diag *diag)
{
    if (!path || !out)
        return PL_E_ARG;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        return PL_E_IO;
    }
    pl_buf b;
    pl_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        pl_buf_add(&b, chunk, got);
        if (b.len > (64u << 20)) {
            fclose(f);
            pl_buf_free(&b);
            pl__diag_set(diag, PL_E_INPUT, path, 0, 0, "file larger than 64 MiB");
            return PL_E_INPUT;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        pl_buf_free(&b);
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "read error");
        return PL_E_IO;
    }
    if (b.oom) {
        pl_buf_free(&b);
        pl__diag_set(diag, PL_E_NOMEM, path, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_status st = pl_smp_read_ktab(path, b.s ? b.s : "", b.len, out, diag);
    pl_buf_free(&b);
    return st;
}
