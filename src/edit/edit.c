/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Live editing of a loaded scenario, and writing the edited scenario back as
 * YAML (issue #7; API in include/parley.h, design in docs/api.md).
 *
 * Design: an edit changes one entry of the number pool in place, the entry
 * that the selected state reads. A pool entry is one number written at one
 * place in the file, so an in-place change means exactly "the file, with this
 * number written differently": it survives re-selecting the as-of date and
 * timeline replays, and it can be written back by patching that one place in
 * the original text. The only edit that needs a number the file does not
 * have is a red line's credence (absent = 1): it is appended to the pool, and
 * the writer inserts a "credence:" key into that rule.
 *
 * The writer does not keep an edit log: it re-loads the original text and
 * compares pools entry by entry (the loader is deterministic), so whatever
 * changed is what gets written, and a scenario without edits writes back
 * byte-identical.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "load/yaml.h"
#include "parley.h"
#include "util/json.h"
#include "util/util.h"

/* ---- mutation ------------------------------------------------------------- */

/* Re-derive both states after a pool change; base because model_select()
 * copies only indices from it, but other readers may use its derived arrays. */
static int rederive(pl_scenario *sc, pl_diag *diag)
{
    if (model_derive(sc, &sc->cur, diag) != 0)
        return -1;
    /* base may be invalid on its own where an event fixes it; ignore then. */
    (void)model_derive(sc, &sc->base, NULL);
    return 0;
}

/* Set pool entry k to a plain number, keeping its place and citation; undo
 * when the model no longer derives (e.g. every weight zero). */
static pl_status set_num(pl_scenario *sc, int k, double v, pl_diag *diag)
{
    if (!isfinite(v)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "the new value must be a finite number");
        return PL_E_ARG;
    }
    pl_num old = sc->num[k];
    pl_num *n = &sc->num[k];
    n->value = v;
    n->dist = DIST_NONE;
    n->alt = NULL;
    n->n_alt = 0;
    memset(n->p, 0, sizeof n->p);
    if (rederive(sc, diag) != 0) {
        sc->num[k] = old;
        (void)rederive(sc, NULL);
        return PL_E_INPUT;
    }
    return PL_OK;
}

pl_status pl_scenario_set_reservation(pl_scenario *sc, size_t actor, double value,
                                      pl_diag *diag)
{
    if (!sc || actor >= sc->n_actors) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "no actor with index %zu", actor);
        return PL_E_ARG;
    }
    int k = sc->cur.res_num[actor];
    if (k < 0) {
        pl__diag_set(diag, PL_E_NOTFOUND, NULL, 0, 0,
                     "actor '%s' has no reservation value written in the scenario",
                     sc->actor[actor].id);
        return PL_E_NOTFOUND;
    }
    return set_num(sc, k, value, diag);
}

pl_status pl_scenario_set_weight(pl_scenario *sc, size_t actor, size_t issue, double raw,
                                 pl_diag *diag)
{
    if (!sc || actor >= sc->n_actors || issue >= sc->n_issues) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "no actor %zu or issue %zu", actor, issue);
        return PL_E_ARG;
    }
    if (!(raw >= 0)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "a weight must be 0 or more");
        return PL_E_ARG;
    }
    int k = sc->cur.w_num[actor * sc->n_issues + issue];
    if (k < 0) {
        pl__diag_set(diag, PL_E_NOTFOUND, NULL, 0, 0,
                     "actor '%s' has no weight written for issue '%s'", sc->actor[actor].id,
                     sc->issue[issue].id);
        return PL_E_NOTFOUND;
    }
    return set_num(sc, k, raw, diag);
}

double pl_scenario_weight_raw(const pl_scenario *sc, size_t actor, size_t issue)
{
    if (!sc || actor >= sc->n_actors || issue >= sc->n_issues)
        return 0;
    int k = sc->cur.w_num[actor * sc->n_issues + issue];
    return k < 0 ? 0 : sc->num[k].value;
}

/* Pool index of the k-th red line of actor that is in force (added, not
 * dropped) in the selected state, whatever its credence; -1 when none. */
static long nth_red_line(const pl_scenario *sc, size_t actor, size_t k)
{
    for (size_t r = 0; r < sc->n_rules; r++) {
        if (!sc->cur.rule_on[r] || sc->rule[r].actor != (long)actor)
            continue;
        if (k-- == 0)
            return (long)r;
    }
    return -1;
}

size_t pl_scenario_red_line_all_count(const pl_scenario *sc, size_t actor)
{
    size_t n = 0;
    if (!sc || actor >= sc->n_actors)
        return 0;
    for (size_t r = 0; r < sc->n_rules; r++)
        n += sc->cur.rule_on[r] && sc->rule[r].actor == (long)actor;
    return n;
}

pl_status pl_scenario_red_line_all(const pl_scenario *sc, size_t actor, size_t k,
                                   pl_rule_info *out)
{
    long r = sc && actor < sc->n_actors ? nth_red_line(sc, actor, k) : -1;
    if (r < 0)
        return PL_E_NOTFOUND;
    const pl_rule *ru = &sc->rule[r];
    out->id = ru->id;
    out->kind = ru->kind;
    out->expr = ru->src;
    out->text = ru->text ? ru->text : "";
    out->credence = ru->credence_num < 0 ? 1.0 : sc->num[ru->credence_num].value;
    out->active = out->credence >= 0.5;
    return PL_OK;
}

pl_status pl_scenario_set_red_line_active(pl_scenario *sc, size_t actor, size_t k, int on,
                                          pl_diag *diag)
{
    long r = sc && actor < sc->n_actors ? nth_red_line(sc, actor, k) : -1;
    if (r < 0) {
        pl__diag_set(diag, PL_E_NOTFOUND, NULL, 0, 0, "actor %zu has no red line %zu", actor, k);
        return PL_E_NOTFOUND;
    }
    pl_rule *ru = &sc->rule[r];
    if (ru->credence_num >= 0)
        return set_num(sc, ru->credence_num, on ? 1.0 : 0.0, diag);
    if (on)
        return PL_OK; /* no credence written: already 1 */
    /* The pool was grown with pl__grow, so pl__realloc may resize it; states
     * hold indices, never pointers into it. */
    pl_num *np = pl__realloc(sc->num, (sc->n_nums + 1) * sizeof *np);
    if (!np) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    sc->num = np;
    pl_num *n = &sc->num[sc->n_nums];
    memset(n, 0, sizeof *n);
    n->value = 0;
    n->dist = DIST_NONE;
    n->cite = ru->cite;
    n->line = ru->line;
    n->col = ru->col;
    n->path = "red_line.credence (edited)";
    ru->credence_num = (int)sc->n_nums++;
    if (rederive(sc, diag) != 0)
        return PL_E_INPUT;
    return PL_OK;
}

/* ---- writing back --------------------------------------------------------- */

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The first node, in document order, that starts at line:col; parents come
 * before their first child, so a block mapping wins over its first key. */
static const ynode *node_at(const ynode *n, int line, int col)
{
    if (!n)
        return NULL;
    if (n->line == line && n->col == col)
        return n;
    if (n->type == YN_SCALAR)
        return NULL;
    size_t kids = n->type == YN_MAP ? 2 * n->n : n->n;
    for (size_t k = 0; k < kids; k++) {
        const ynode *f = node_at(n->kid[k], line, col);
        if (f)
            return f;
    }
    return NULL;
}

/* The byte just past node n in src. Scalars end at their closing quote or at
 * the first character that ends a plain scalar; flow collections at their
 * matching bracket; block collections with their last value. */
static size_t node_end(const ynode *n, const char *src, size_t len)
{
    size_t p = n->pos;
    if (p >= len)
        return len;
    if (n->type == YN_SCALAR) {
        char q = src[p];
        if (q == '"' || q == '\'') {
            for (p++; p < len; p++) {
                if (q == '"' && src[p] == '\\') {
                    p++;
                    continue;
                }
                if (src[p] == q) {
                    if (q == '\'' && p + 1 < len && src[p + 1] == '\'') {
                        p++;
                        continue;
                    }
                    return p + 1;
                }
            }
            return len;
        }
        while (p < len && !strchr("\r\n,]}#", src[p]))
            p++;
        while (p > n->pos && (src[p - 1] == ' ' || src[p - 1] == '\t'))
            p--;
        return p;
    }
    if (src[p] == '{' || src[p] == '[') {
        int depth = 0;
        char q = 0;
        for (; p < len; p++) {
            char c = src[p];
            if (q) {
                if (q == '"' && c == '\\')
                    p++;
                else if (c == q)
                    q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return p + 1;
            }
        }
        return len;
    }
    size_t kids = n->type == YN_MAP ? 2 * n->n : n->n;
    if (kids == 0)
        return p;
    return node_end(n->kid[kids - 1], src, len);
}

static const ynode *map_get(const ynode *m, const char *key)
{
    if (!m || m->type != YN_MAP)
        return NULL;
    for (size_t k = 0; k < m->n; k++)
        if (m->kid[2 * k]->type == YN_SCALAR && strcmp(m->kid[2 * k]->text, key) == 0)
            return m->kid[2 * k + 1];
    return NULL;
}

typedef struct patch {
    size_t from, to;
    char *text;
} patch;

typedef struct patches {
    patch *p;
    size_t n, cap;
} patches;

static int add_patch(patches *ps, size_t from, size_t to, char *text)
{
    if (!text)
        return -1;
    if (pl__grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof *ps->p) != 0) {
        pl__free(text);
        return -1;
    }
    ps->p[ps->n++] = (patch){from, to, text};
    return 0;
}

static int cmp_patch(const void *a, const void *b)
{
    const patch *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* A YAML double-quoted string. */
static void yaml_quote(pl_buf *b, const char *s)
{
    pl_buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            pl_buf_printf(b, "\\%c", *s);
        else if (*s == '\n')
            pl_buf_puts(b, "\\n");
        else if ((unsigned char)*s < 0x20)
            pl_buf_printf(b, "\\x%02x", (unsigned char)*s);
        else
            pl_buf_add(b, s, 1);
    }
    pl_buf_puts(b, "\"");
}

/* The patch that writes pool entry k of the edited scenario over node n. */
static int patch_num(patches *ps, const pl_scenario *sc, const pl_num *num, const ynode *n,
                     const char *src, size_t len)
{
    char v[40];
    pl__fmt_double(num->value, v);
    const ynode *target = n;
    if (n->type == YN_MAP && map_get(n, "value") && !map_get(n, "dist"))
        target = map_get(n, "value"); /* {value: X, evidence: ...}: only X changes */
    if (target->type == YN_SCALAR)
        return add_patch(ps, target->pos, node_end(target, src, len), pl__strdup(v));
    /* A distribution becomes a plain value; its own citation is kept. */
    pl_buf b;
    pl_buf_init(&b);
    pl_buf_printf(&b, "{value: %s", v);
    if (num->own_cite && num->cite.n_ev) {
        pl_buf_puts(&b, ", evidence: [");
        for (uint32_t e = 0; e < num->cite.n_ev; e++)
            pl_buf_printf(&b, "%s%s", e ? ", " : "", sc->ev[num->cite.ev[e]].id);
        pl_buf_puts(&b, "]");
    }
    if (num->own_cite && num->cite.assume) {
        pl_buf_puts(&b, ", assume: ");
        yaml_quote(&b, num->cite.assume);
    }
    pl_buf_puts(&b, "}");
    if (b.oom) {
        pl_buf_free(&b);
        return -1;
    }
    return add_patch(ps, target->pos, node_end(target, src, len), pl_buf_take(&b));
}

/* Insert "credence: V" into the rule mapping n. */
static int patch_credence(patches *ps, double value, const ynode *n, const char *src,
                          size_t len)
{
    char v[40];
    pl__fmt_double(value, v);
    pl_buf b;
    pl_buf_init(&b);
    size_t at;
    if (src[n->pos] == '{') {
        at = node_end(n, src, len) - 1; /* before the closing brace */
        pl_buf_printf(&b, ", credence: %s", v);
    } else {
        at = node_end(n, src, len);
        pl_buf_puts(&b, "\n");
        for (int c = 1; c < n->col; c++)
            pl_buf_puts(&b, " ");
        pl_buf_printf(&b, "credence: %s", v);
    }
    if (b.oom) {
        pl_buf_free(&b);
        return -1;
    }
    return add_patch(ps, at, at, pl_buf_take(&b));
}

pl_status pl_scenario_write_yaml(const pl_scenario *sc, const char *src, size_t len,
                                 char **yaml, pl_diag *diag)
{
    if (yaml)
        *yaml = NULL;
    if (!sc || !src || !yaml) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_scenario_write_yaml: NULL argument");
        return PL_E_ARG;
    }
    char h[17];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)fnv1a(src, len));
    if (strcmp(h, sc->hash) != 0) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0,
                     "the text given is not the one the scenario was loaded from");
        return PL_E_ARG;
    }
    pl_scenario *orig = NULL;
    pl_status st = pl_scenario_load_buffer(sc->file, src, len, &orig, diag);
    if (st != PL_OK)
        return st;
    pl_arena arena = {0};
    ynode *root = NULL;
    patches ps = {0};
    if (yaml_parse(&arena, sc->file, src, len, &root, diag) != 0) {
        st = PL_E_INPUT;
        goto done;
    }
    st = PL_E_NOMEM;
    for (size_t k = 0; k < orig->n_nums && k < sc->n_nums; k++) {
        const pl_num *a = &orig->num[k], *b = &sc->num[k];
        if (a->value == b->value && a->dist == b->dist)
            continue;
        const ynode *n = node_at(root, b->line, b->col);
        if (!n) {
            st = PL_E_INTERNAL;
            pl__diag_set(diag, st, sc->file, b->line, b->col,
                         "no YAML node for the edited number %s", b->path ? b->path : "");
            goto done;
        }
        if (patch_num(&ps, sc, b, n, src, len) != 0)
            goto done;
    }
    for (size_t r = 0; r < sc->n_rules; r++) {
        const pl_rule *ru = &sc->rule[r];
        if (ru->credence_num < (int)orig->n_nums)
            continue;
        const ynode *n = node_at(root, ru->line, ru->col);
        if (!n || n->type != YN_MAP) {
            st = PL_E_INTERNAL;
            pl__diag_set(diag, st, sc->file, ru->line, ru->col,
                         "no YAML mapping for red line '%s'", ru->id);
            goto done;
        }
        if (patch_credence(&ps, sc->num[ru->credence_num].value, n, src, len) != 0)
            goto done;
    }
    if (ps.n > 1)
        qsort(ps.p, ps.n, sizeof *ps.p, cmp_patch);
    pl_buf out;
    pl_buf_init(&out);
    size_t at = 0;
    for (size_t k = 0; k < ps.n; k++) {
        if (ps.p[k].from < at) {
            pl_buf_free(&out);
            st = PL_E_INTERNAL;
            pl__diag_set(diag, st, sc->file, 0, 0, "overlapping edits");
            goto done;
        }
        pl_buf_add(&out, src + at, ps.p[k].from - at);
        pl_buf_puts(&out, ps.p[k].text);
        at = ps.p[k].to;
    }
    pl_buf_add(&out, src + at, len - at);
    if (out.oom || !(*yaml = pl_buf_take(&out))) {
        pl_buf_free(&out);
        goto done;
    }
    st = PL_OK;
done:
    if (st == PL_E_NOMEM)
        pl__diag_set(diag, st, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < ps.n; k++)
        pl__free(ps.p[k].text);
    pl__free(ps.p);
    arena_free(&arena);
    pl_scenario_free(orig);
    return st;
}
