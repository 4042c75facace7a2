/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Readers for the plain gmcr-json/1 form and GMCR+ save files (.gmcr).
 *
 * Syntax errors carry jansson's line and column. jansson keeps no positions of
 * values, so a semantic error names the JSON path of the offending value
 * ("decision_makers[1].preference.ranking[3]") and that path is looked up
 * again in the text (util/jsonpos.h) for its line and column. The builder's
 * positions, for the errors gm_build() finds, are looked up the same way once
 * the tree has been read. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "gmcr/gmcr.h"
#include "util/jsonpos.h"
#include "util/util.h"

/* Imported ids stay well under the scenario limit of 63 characters. */
#define PL_MAX_ID_GUESS 48

typedef struct jr {
    const char *file;
    const char *text; /* the bytes jansson parsed, for positions */
    size_t len;
    pl_diag *diag;
    gm_builder *b;
    int n;            /* options */
    int *pos;         /* GMCR+: original option index -> position */
    char path[256];   /* jp()'s result */
    /* Per DM, the path of its preferences below the DM's object
     * (".preference.ranking"), for the positions of gm_build()'s errors. */
    const char *pref_key[PL_GMCR_MAX_DMS];
} jr;

/* A path built with printf, for jfail(). */
static const char *jp(jr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *jp(jr *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->path, sizeof r->path, fmt, ap);
    va_end(ap);
    return r->path;
}

static void source_line(jr *r)
{
    if (r->diag && r->diag->line > 0)
        pl__source_line(r->text, r->len, r->diag->line, r->diag->source_line,
                         sizeof r->diag->source_line);
}

/* An error at the value that path leads to (or at its deepest existing
 * ancestor, e.g. the object that lacks a required key). */
static int jfail(jr *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int jfail(jr *r, const char *path, const char *fmt, ...)
{
    int line, col;
    pl__jsonpos(r->text, r->len, path, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(r->diag, PL_E_INPUT, r->file, line, col, fmt, ap);
    va_end(ap);
    source_line(r);
    return -1;
}

static int joom(jr *r)
{
    pl__diag_set(r->diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return -2;
}

/* An identifier from a display name: lower case, runs of other characters
 * become '_', made unique with a numeric suffix. */
static char *make_id(const char *name, const char *prefix, char **taken, size_t n_taken)
{
    char base[PL_MAX_ID_GUESS];
    size_t k = 0;
    int us = 0;
    for (const char *p = name; *p && k < sizeof base - 8; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch)) {
            base[k++] = (char)tolower(ch);
            us = 0;
        } else if (!us && k) {
            base[k++] = '_';
            us = 1;
        }
    }
    while (k && base[k - 1] == '_')
        k--;
    base[k] = '\0';
    char buf[PL_MAX_ID_GUESS + 16];
    if (!k || isdigit((unsigned char)base[0]))
        snprintf(buf, sizeof buf, "%s%s", prefix, base);
    else
        snprintf(buf, sizeof buf, "%s", base);
    char cand[PL_MAX_ID_GUESS + 32];
    snprintf(cand, sizeof cand, "%s", buf);
    for (int suffix = 2;; suffix++) {
        int clash = 0;
        for (size_t t = 0; t < n_taken && !clash; t++)
            clash = taken[t] && strcmp(taken[t], cand) == 0;
        if (!clash)
            break;
        snprintf(cand, sizeof cand, "%s_%d", buf, suffix);
    }
    return pl__strdup(cand);
}

/* "a and not b" for a Y/N/- pattern, over option ids. */
static int pattern_text(jr *r, const char *pat, pl_buf *out)
{
    int terms = 0;
    for (int k = 0; k < r->n; k++) {
        char ch = pat[k];
        if (ch == '-')
            continue;
        pl_buf_printf(out, "%s%s%s", terms ? " and " : "", ch == 'N' || ch == 'n' ? "not " : "",
                      r->b->opt[k].id);
        terms++;
    }
    if (!terms)
        pl_buf_puts(out, "true");
    return terms;
}

static int add_pattern(jr *r, gx_expr *e, const char *pat, const char *where, const char *path)
{
    int bad;
    if (gx_pattern(e, pat, r->n, &bad) != 0) {
        if (bad < 0)
            return joom(r);
        if ((int)strlen(pat) != r->n)
            return jfail(r, path,
                         "%s: pattern '%s' has %zu characters; the conflict has %d options", where,
                         pat, strlen(pat), r->n);
        return jfail(r, path, "%s: pattern '%s' has '%c' at position %d; use Y, N or -", where, pat,
                     pat[bad], bad + 1);
    }
    return 0;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* gm_build() checks the coalitions too, but points every error that concerns
 * the whole model at one place (the infeasibility conditions, for a conflict
 * without feasible states); checked here, the error points at the group. */
static int check_coalitions(jr *r)
{
    const gm_builder *b = r->b;
    uint32_t seen = 0, all = (1u << b->n_dm) - 1;
    for (size_t k = 0; k < b->n_coal; k++) {
        if (!b->coal[k] || (b->coal[k] & seen) || (b->coal[k] & ~all))
            return jfail(r, jp(r, "coalitions[%zu]", k),
                         "the coalitions must split the decision makers into non-empty groups, "
                         "each decision maker in exactly one");
        seen |= b->coal[k];
    }
    if (seen != all)
        return jfail(r, "coalitions", "the coalitions must cover every decision maker");
    return 0;
}

/* ---- positions for gm_build()'s errors ---------------------------------- */

/* The arrays' elements are located in one pass each (pl__jsonpos_each), so
 * that a ranking of thousands of states does not rescan the text per state. */
enum { AT_OPT, AT_DM, AT_RANK };

typedef struct at_ctx {
    gm_builder *b;
    int what;
    size_t dm;      /* AT_RANK: whose ranking */
    const int *map; /* AT_OPT: text order -> builder order (GMCR+), or NULL */
} at_ctx;

static void at_elem(void *ctx, size_t index, int line, int col)
{
    at_ctx *a = ctx;
    gm_builder *b = a->b;
    if (a->what == AT_OPT) {
        if (index >= b->n_opt)
            return;
        size_t k = a->map ? (size_t)a->map[index] : index;
        if (k < b->n_opt) {
            b->opt[k].line = line;
            b->opt[k].col = col;
        }
    } else if (a->what == AT_DM) {
        if (index < b->n_dm) {
            b->dm[index].dline = line;
            b->dm[index].dcol = col;
        }
    } else if (a->dm < b->n_dm && index < b->dm[a->dm].n_rank) {
        b->dm[a->dm].rank[index].line = line;
        b->dm[a->dm].rank[index].col = col;
    }
}

static void at_path(jr *r, const char *path, int *line, int *col)
{
    pl__jsonpos(r->text, r->len, path, line, col);
}

/* Options, decision makers, their preferences and ranking entries, the
 * infeasibility conditions (for "every state is infeasible") and the status
 * quo. opts, dms, inf: the keys of the format; map as in at_ctx. */
static void place(jr *r, const char *opts, const char *dms, const char *inf, const int *map)
{
    gm_builder *b = r->b;
    at_path(r, inf, &b->line, &b->col);
    at_path(r, "status_quo", &b->sq_line, &b->sq_col);
    at_ctx a = {b, AT_OPT, 0, map};
    pl__jsonpos_each(r->text, r->len, opts, at_elem, &a);
    a.what = AT_DM;
    pl__jsonpos_each(r->text, r->len, dms, at_elem, &a);
    a.what = AT_RANK;
    for (size_t i = 0; i < b->n_dm; i++) {
        char path[128];
        const char *key = i < PL_GMCR_MAX_DMS && r->pref_key[i] ? r->pref_key[i] : "";
        snprintf(path, sizeof path, "%s[%zu]%s", dms, i, key);
        at_path(r, path, &b->dm[i].line, &b->dm[i].col);
        a.dm = i;
        if (!b->dm[i].prioritization)
            pl__jsonpos_each(r->text, r->len, path, at_elem, &a);
    }
}

/* ---- gmcr-json/1 -------------------------------------------------------- */

static int rd_plain(jr *r, json_t *root)
{
    gm_builder *b = r->b;
    const char *fmt = jstr(root, "format");
    if (!fmt || strcmp(fmt, "gmcr-json/1") != 0)
        return jfail(r, "format", "\"format\" must be \"gmcr-json/1\"");
    const char *nm = jstr(root, "name");
    const char *src = jstr(root, "source");
    if ((nm && !(b->name = pl__strdup(nm))) || (src && !(b->source = pl__strdup(src))))
        return joom(r);
    json_t *opts = json_object_get(root, "options");
    json_t *dms = json_object_get(root, "decision_makers");
    if (!json_is_array(opts) || !json_array_size(opts))
        return jfail(r, "options", "\"options\" must be a non-empty array");
    if (!json_is_array(dms) || !json_array_size(dms))
        return jfail(r, "decision_makers", "\"decision_makers\" must be a non-empty array");
    /* The first one too many. */
    if (json_array_size(opts) > PL_GMCR_MAX_OPTIONS)
        return jfail(r, jp(r, "options[%d]", PL_GMCR_MAX_OPTIONS),
                     "the conflict has %zu options; at most %d are supported",
                     json_array_size(opts), PL_GMCR_MAX_OPTIONS);
    if (json_array_size(dms) > PL_GMCR_MAX_DMS)
        return jfail(r, jp(r, "decision_makers[%d]", PL_GMCR_MAX_DMS),
                     "the conflict has %zu decision makers; at most %d are supported",
                     json_array_size(dms), PL_GMCR_MAX_DMS);
    r->n = (int)json_array_size(opts);
    char *taken[PL_GMCR_MAX_OPTIONS + PL_GMCR_MAX_DMS];
    size_t nt = 0;
    for (size_t k = 0; k < json_array_size(opts); k++) {
        json_t *o = json_array_get(opts, k);
        const char *name = jstr(o, "name");
        json_t *dm = json_object_get(o, "dm");
        if (!json_is_object(o) || !name)
            return jfail(r, jp(r, "options[%zu].name", k), "options[%zu]: needs a \"name\" string",
                         k);
        if (!json_is_integer(dm) || json_integer_value(dm) < 0 ||
            (size_t)json_integer_value(dm) >= json_array_size(dms))
            return jfail(r, jp(r, "options[%zu].dm", k),
                         "options[%zu] ('%s'): \"dm\" must index decision_makers "
                            "(0..%zu): the option is controlled by no decision maker",
                         k, name, json_array_size(dms) - 1);
        gb_option *go = gb_add_option(b);
        if (!go)
            return joom(r);
        go->dm = (int)json_integer_value(dm);
        go->name = pl__strdup(name);
        go->id = make_id(name, "o_", taken, nt);
        if (!go->name || !go->id)
            return joom(r);
        taken[nt++] = go->id;
        const char *dir = jstr(o, "direction");
        if (!dir || strcmp(dir, "both") == 0)
            go->dir = PL_GMCR_BOTH;
        else if (strcmp(dir, "N_to_Y_only") == 0)
            go->dir = PL_GMCR_N_TO_Y;
        else if (strcmp(dir, "Y_to_N_only") == 0)
            go->dir = PL_GMCR_Y_TO_N;
        else
            return jfail(r, jp(r, "options[%zu].direction", k),
                         "options[%zu] ('%s'): unknown direction '%s' (both, N_to_Y_only, "
                            "Y_to_N_only)",
                         k, name, dir);
    }
    nt = 0;
    for (size_t i = 0; i < json_array_size(dms); i++) {
        json_t *d = json_array_get(dms, i);
        const char *name = jstr(d, "name");
        if (!json_is_object(d) || !name)
            return jfail(r, jp(r, "decision_makers[%zu].name", i),
                         "decision_makers[%zu]: needs a \"name\" string", i);
        gb_dm *gd = gb_add_dm(b);
        if (!gd)
            return joom(r);
        gd->name = pl__strdup(name);
        gd->id = make_id(name, "dm_", taken, nt);
        if (!gd->name || !gd->id)
            return joom(r);
        taken[nt++] = gd->id;
        json_t *pref = json_object_get(d, "preference");
        const char *method = jstr(pref, "method");
        char where[96];
        if (!method)
            return jfail(r, jp(r, "decision_makers[%zu].preference.method", i),
                         "decision_makers[%zu] ('%s'): needs a \"preference\" with a "
                            "\"method\"",
                         i, name);
        if (strcmp(method, "prioritization") == 0) {
            r->pref_key[i] = ".preference.statements";
            json_t *sts = json_object_get(pref, "statements");
            if (!json_is_array(sts))
                return jfail(r, jp(r, "decision_makers[%zu].preference.statements", i),
                             "decision_makers[%zu].preference.statements must be an array", i);
            for (size_t k = 0; k < json_array_size(sts); k++) {
                json_t *alts = json_array_get(sts, k);
                snprintf(where, sizeof where, "decision_makers[%zu].preference.statements[%zu]",
                         i, k);
                if (!json_is_array(alts) || !json_array_size(alts))
                    return jfail(r, where, "%s must be a non-empty array of patterns", where);
                gx_expr *e;
                if (gb_dm_add_stmt(gd, &e) != 0)
                    return joom(r);
                pl_buf t;
                pl_buf_init(&t);
                for (size_t a = 0; a < json_array_size(alts); a++) {
                    json_t *p = json_array_get(alts, a);
                    char path[128];
                    snprintf(path, sizeof path, "%s[%zu]", where, a);
                    if (!json_is_string(p)) {
                        pl_buf_free(&t);
                        return jfail(r, path, "%s[%zu] must be a pattern string", where, a);
                    }
                    int rc = add_pattern(r, e, json_string_value(p), where, path);
                    if (rc) {
                        pl_buf_free(&t);
                        return rc;
                    }
                    if (a && gx_push(e, GX_OR, 0) != 0) {
                        pl_buf_free(&t);
                        return joom(r);
                    }
                    int many = json_array_size(alts) > 1;
                    if (a)
                        pl_buf_puts(&t, " or ");
                    if (many)
                        pl_buf_puts(&t, "(");
                    pattern_text(r, json_string_value(p), &t);
                    if (many)
                        pl_buf_puts(&t, ")");
                }
                int bad = t.oom;
                char *txt = pl_buf_take(&t);
                if (bad || !txt || gb_strv_add(&gd->text, &gd->n_text, txt) != 0) {
                    pl__free(txt);
                    return joom(r);
                }
                pl__free(txt);
            }
        } else if (strcmp(method, "ranking") == 0) {
            r->pref_key[i] = ".preference.ranking";
            json_t *rk = json_object_get(pref, "ranking");
            if (!json_is_array(rk))
                return jfail(r, jp(r, "decision_makers[%zu].preference.ranking", i),
                             "decision_makers[%zu].preference.ranking must be an array", i);
            gd->prioritization = 0;
            gd->rank_exact = 1;
            for (size_t k = 0; k < json_array_size(rk); k++) {
                json_t *it = json_array_get(rk, k);
                snprintf(where, sizeof where, "decision_makers[%zu].preference.ranking[%zu]", i,
                         k);
                gb_rank_item *ri;
                if (gb_dm_add_rank(gd, &ri) != 0)
                    return joom(r);
                size_t na = json_is_array(it) ? json_array_size(it) : 1;
                if (json_is_array(it) && !na)
                    return jfail(r, where, "%s: an empty tie group", where);
                for (size_t a = 0; a < na; a++) {
                    json_t *p = json_is_array(it) ? json_array_get(it, a) : it;
                    char path[128];
                    if (json_is_array(it))
                        snprintf(path, sizeof path, "%s[%zu]", where, a);
                    else
                        snprintf(path, sizeof path, "%s", where);
                    if (!json_is_string(p))
                        return jfail(r, path, "%s must be a state string or a list of them",
                                     where);
                    const char *sv = json_string_value(p);
                    if (strchr(sv, '-'))
                        return jfail(r, path, "%s: '%s' is a pattern; a ranking lists states",
                                     where, sv);
                    gx_expr *e;
                    if (gb_rank_add_alt(ri, &e) != 0)
                        return joom(r);
                    int rc = add_pattern(r, e, sv, where, path);
                    if (rc)
                        return rc;
                }
            }
        } else {
            return jfail(r, jp(r, "decision_makers[%zu].preference.method", i),
                         "decision_makers[%zu]: unknown preference method '%s' "
                            "(prioritization or ranking)",
                         i, method);
        }
    }
    json_t *inf = json_object_get(root, "infeasible");
    if (inf && !json_is_null(inf)) {
        if (!json_is_array(inf))
            return jfail(r, "infeasible", "\"infeasible\" must be an array of patterns");
        for (size_t k = 0; k < json_array_size(inf); k++) {
            json_t *p = json_array_get(inf, k);
            char where[48];
            snprintf(where, sizeof where, "infeasible[%zu]", k);
            if (!json_is_string(p))
                return jfail(r, where, "%s must be a pattern string", where);
            gx_expr *e = gb_add_infeasible(b);
            if (!e)
                return joom(r);
            int rc = add_pattern(r, e, json_string_value(p), where, where);
            if (rc)
                return rc;
            if (gb_strv_add(&b->itext, &b->n_itext, json_string_value(p)) != 0)
                return joom(r);
        }
    }
    json_t *co = json_object_get(root, "coalitions");
    if (co && !json_is_null(co)) {
        if (!json_is_array(co))
            return jfail(r, "coalitions",
                         "\"coalitions\" must be null or a list of lists of DM indices");
        b->coal = pl__calloc(json_array_size(co) + 1, sizeof *b->coal);
        if (!b->coal)
            return joom(r);
        for (size_t k = 0; k < json_array_size(co); k++) {
            json_t *g = json_array_get(co, k);
            if (!json_is_array(g))
                return jfail(r, jp(r, "coalitions[%zu]", k),
                             "coalitions[%zu] must be a list of DM indices", k);
            for (size_t a = 0; a < json_array_size(g); a++) {
                json_t *v = json_array_get(g, a);
                if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                    (size_t)json_integer_value(v) >= json_array_size(dms))
                    return jfail(r, jp(r, "coalitions[%zu][%zu]", k, a),
                                 "coalitions[%zu][%zu] must index decision_makers", k, a);
                b->coal[k] |= 1u << json_integer_value(v);
            }
        }
        b->n_coal = json_array_size(co);
        if (b->n_coal && check_coalitions(r) != 0)
            return -1;
    }
    json_t *mp = json_object_get(root, "misperceived");
    if (mp && !json_is_null(mp)) {
        if (!json_is_array(mp) || json_array_size(mp) != json_array_size(dms))
            return jfail(r, "misperceived",
                         "\"misperceived\" must be null or one list of patterns per DM");
        for (size_t i = 0; i < json_array_size(mp); i++) {
            json_t *l = json_array_get(mp, i);
            if (!json_is_array(l))
                return jfail(r, jp(r, "misperceived[%zu]", i),
                             "misperceived[%zu] must be a list of patterns", i);
            gb_dm *gd = &b->dm[i];
            for (size_t a = 0; a < json_array_size(l); a++) {
                json_t *p = json_array_get(l, a);
                char where[64];
                snprintf(where, sizeof where, "misperceived[%zu][%zu]", i, a);
                if (!json_is_string(p))
                    return jfail(r, where, "%s must be a pattern string", where);
                int rc = add_pattern(r, &gd->misp, json_string_value(p), where, where);
                if (rc)
                    return rc;
                if (gd->has_misp && gx_push(&gd->misp, GX_OR, 0) != 0)
                    return joom(r);
                gd->has_misp = 1;
            }
        }
    }
    json_t *sqv = json_object_get(root, "status_quo");
    if (sqv && !json_is_null(sqv) && !json_is_string(sqv))
        return jfail(r, "status_quo", "\"status_quo\" must be a state of %d Y/N characters",
                     r->n);
    const char *sq = jstr(root, "status_quo");
    if (sq) {
        long x = 0;
        if ((int)strlen(sq) != r->n)
            return jfail(r, "status_quo", "\"status_quo\" must be a state of %d Y/N characters",
                         r->n);
        for (int k = 0; k < r->n; k++) {
            if (sq[k] == 'Y')
                x |= 1L << k;
            else if (sq[k] != 'N')
                return jfail(r, "status_quo", "\"status_quo\" must be a state of Y/N characters");
        }
        b->sq = x;
    }
    place(r, "options", "decision_makers", "infeasible", NULL);
    return 0;
}

/* ---- GMCR+ .gmcr -------------------------------------------------------- */

/* A GMCR+ condition: [[opt, "Y"], ...] (and) or {"compound": true,
 * "members": [cond, ...]} (or). Appends the program and its text. where names
 * the top-level condition in messages; path is this (possibly nested) one. */
static int rd_cond(jr *r, json_t *cond, gx_expr *e, pl_buf *t, const char *where,
                   const char *path, int depth)
{
    if (depth > 8)
        return jfail(r, path, "%s: conditions nested too deeply", where);
    char sub[320];
    if (json_is_object(cond)) {
        json_t *mem = json_object_get(cond, "members");
        snprintf(sub, sizeof sub, "%s.members", path);
        if (!json_is_array(mem) || !json_array_size(mem))
            return jfail(r, sub, "%s: a compound condition needs a non-empty \"members\" list",
                         where);
        for (size_t a = 0; a < json_array_size(mem); a++) {
            if (a)
                pl_buf_puts(t, " or ");
            pl_buf_puts(t, "(");
            snprintf(sub, sizeof sub, "%s.members[%zu]", path, a);
            int rc = rd_cond(r, json_array_get(mem, a), e, t, where, sub, depth + 1);
            if (rc)
                return rc;
            pl_buf_puts(t, ")");
            if (a && gx_push(e, GX_OR, 0) != 0)
                return joom(r);
        }
        return 0;
    }
    if (!json_is_array(cond))
        return jfail(r, path, "%s: a condition is a list of [option, \"Y\"|\"N\"] pairs",
                     where);
    size_t n = json_array_size(cond);
    if (!n) {
        pl_buf_puts(t, "true");
        return gx_push(e, GX_TRUE, 0) ? joom(r) : 0;
    }
    for (size_t a = 0; a < n; a++) {
        json_t *pr = json_array_get(cond, a);
        json_t *o = json_array_get(pr, 0), *v = json_array_get(pr, 1);
        /* The pair, or the half of it that is wrong. */
        snprintf(sub, sizeof sub, "%s[%zu]%s", path, a,
                 !json_is_array(pr) ? "" : !json_is_integer(o) ? "[0]" : "[1]");
        if (!json_is_array(pr) || !json_is_integer(o) || !json_is_string(v))
            return jfail(r, sub, "%s: a condition is a list of [option, \"Y\"|\"N\"] pairs",
                         where);
        json_int_t oi = json_integer_value(o);
        const char *yn = json_string_value(v);
        if (oi < 0 || oi >= r->n)
            return jfail(r, jp(r, "%s[%zu][0]", path, a),
                         "%s: option %lld does not exist (the conflict has %d)", where,
                         (long long)oi, r->n);
        if (strcmp(yn, "Y") != 0 && strcmp(yn, "N") != 0)
            return jfail(r, sub, "%s: option value must be \"Y\" or \"N\", not \"%s\"", where,
                         yn);
        int p = r->pos[oi];
        if (gx_push(e, GX_VAR, (uint8_t)p) != 0 || (yn[0] == 'N' && gx_push(e, GX_NOT, 0) != 0) ||
            (a && gx_push(e, GX_AND, 0) != 0))
            return joom(r);
        pl_buf_printf(t, "%s%s%s", a ? " and " : "", yn[0] == 'N' ? "not " : "", r->b->opt[p].id);
    }
    return 0;
}

/* GMCR+ has named a DM's manual ranking both ways. */
static const char *rank_key(json_t *d)
{
    return json_object_get(d, "preferenceRanking") || !json_object_get(d, "preferenceVector")
               ? "preferenceRanking"
               : "preferenceVector";
}

static int rd_gmcrplus(jr *r, json_t *root)
{
    gm_builder *b = r->b;
    json_t *opts = json_object_get(root, "options");
    json_t *dms = json_object_get(root, "decisionMakers");
    if (!json_is_array(opts) || !json_array_size(opts))
        return jfail(r, "options", "\"options\" must be a non-empty array");
    if (!json_is_array(dms) || !json_array_size(dms))
        return jfail(r, "decisionMakers", "\"decisionMakers\" must be a non-empty array");
    size_t no = json_array_size(opts), nd = json_array_size(dms);
    if (no > PL_GMCR_MAX_OPTIONS)
        return jfail(r, jp(r, "options[%d]", PL_GMCR_MAX_OPTIONS),
                     "the conflict has %zu options; at most %d are supported", no,
                     PL_GMCR_MAX_OPTIONS);
    if (nd > PL_GMCR_MAX_DMS)
        return jfail(r, jp(r, "decisionMakers[%d]", PL_GMCR_MAX_DMS),
                     "the conflict has %zu decision makers; at most %d are supported", nd,
                     PL_GMCR_MAX_DMS);
    r->n = (int)no;
    int pos[PL_GMCR_MAX_OPTIONS], owner[PL_GMCR_MAX_OPTIONS];
    r->pos = pos;
    for (size_t k = 0; k < no; k++)
        pos[k] = -1;
    /* GMCR+ numbers states after grouping the options by DM; do the same so
     * that ordinals (and its manual rankings) agree. */
    int next = 0;
    for (size_t i = 0; i < nd; i++) {
        json_t *ol = json_object_get(json_array_get(dms, i), "options");
        if (!json_is_array(ol))
            return jfail(r, jp(r, "decisionMakers[%zu].options", i),
                         "decisionMakers[%zu]: \"options\" must be a list of option indices", i);
        for (size_t a = 0; a < json_array_size(ol); a++) {
            json_t *v = json_array_get(ol, a);
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                (size_t)json_integer_value(v) >= no)
                return jfail(r, jp(r, "decisionMakers[%zu].options[%zu]", i, a),
                             "decisionMakers[%zu].options[%zu] must index \"options\"", i, a);
            json_int_t oi = json_integer_value(v);
            if (pos[oi] >= 0)
                return jfail(r, jp(r, "decisionMakers[%zu].options[%zu]", i, a),
                             "option %lld is controlled by two decision makers", (long long)oi);
            pos[oi] = next++;
            owner[oi] = (int)i;
        }
    }
    for (size_t k = 0; k < no; k++) {
        const char *name = jstr(json_array_get(opts, k), "name");
        if (pos[k] < 0)
            return jfail(r, jp(r, "options[%zu]", k),
                         "option %zu ('%s') is controlled by no decision maker", k,
                         name ? name : "?");
    }
    char *taken[PL_GMCR_MAX_OPTIONS + PL_GMCR_MAX_DMS];
    size_t nt = 0;
    for (int p = 0; p < (int)no; p++) {
        size_t k = 0;
        while (pos[k] != p)
            k++;
        json_t *o = json_array_get(opts, k);
        const char *name = jstr(o, "name");
        if (!name)
            return jfail(r, jp(r, "options[%zu].name", k), "options[%zu]: needs a \"name\" string",
                         k);
        gb_option *go = gb_add_option(b);
        if (!go)
            return joom(r);
        go->dm = owner[k];
        go->name = pl__strdup(name);
        go->id = make_id(name, "o_", taken, nt);
        if (!go->name || !go->id)
            return joom(r);
        taken[nt++] = go->id;
        const char *dir = jstr(o, "permittedDirection");
        if (!dir || strcmp(dir, "both") == 0)
            go->dir = PL_GMCR_BOTH;
        else if (strcmp(dir, "fwd") == 0)
            go->dir = PL_GMCR_N_TO_Y;
        else if (strcmp(dir, "back") == 0)
            go->dir = PL_GMCR_Y_TO_N;
        else
            return jfail(r, jp(r, "options[%zu].permittedDirection", k),
                         "options[%zu]: unknown permittedDirection '%s' (both, fwd, back)", k,
                         dir);
    }
    /* Infeasible states first: GMCR+ rankings are by ordinal. */
    json_t *inf = json_object_get(root, "infeasibles");
    if (inf && !json_is_array(inf))
        return jfail(r, "infeasibles", "\"infeasibles\" must be a list of conditions");
    for (size_t k = 0; inf && k < json_array_size(inf); k++) {
        char where[48];
        snprintf(where, sizeof where, "infeasibles[%zu]", k);
        gx_expr *e = gb_add_infeasible(b);
        if (!e)
            return joom(r);
        pl_buf t;
        pl_buf_init(&t);
        int rc = rd_cond(r, json_array_get(inf, k), e, &t, where, where, 0);
        char *txt = pl_buf_take(&t);
        if (rc == 0 && (!txt || gb_strv_add(&b->itext, &b->n_itext, txt) != 0))
            rc = joom(r);
        pl__free(txt);
        if (rc)
            return rc;
    }
    json_t *manual = json_object_get(root, "useManualPreferenceRanking");
    if (!manual)
        manual = json_object_get(root, "useManualPreferenceVectors");
    int use_rank = json_is_true(manual);
    uint32_t *feas = NULL;
    size_t nfeas = 0;
    if (use_rank) {
        /* Feasible decimals in increasing order, to resolve ordinals. */
        uint32_t cube = 1u << r->n;
        size_t words = cube >= 64 ? cube / 64 : 1;
        uint64_t *bad = pl__calloc(words, sizeof *bad);
        feas = pl__malloc((size_t)cube * sizeof *feas);
        if (!bad || !feas) {
            pl__free(bad);
            pl__free(feas);
            return joom(r);
        }
        for (size_t k = 0; k < b->n_infeas; k++) {
            uint64_t *t = gx_truth(&b->infeas[k], r->n);
            if (!t) {
                pl__free(bad);
                pl__free(feas);
                return joom(r);
            }
            for (size_t w = 0; w < words; w++)
                bad[w] |= t[w];
            pl__free(t);
        }
        for (uint32_t x = 0; x < cube; x++)
            if (!((bad[x >> 6] >> (x & 63)) & 1u))
                feas[nfeas++] = x;
        pl__free(bad);
    }
    int rc = 0;
    nt = 0;
    for (size_t i = 0; i < nd && rc == 0; i++) {
        json_t *d = json_array_get(dms, i);
        const char *name = jstr(d, "name");
        if (!name) {
            rc = jfail(r, jp(r, "decisionMakers[%zu].name", i),
                       "decisionMakers[%zu]: needs a \"name\" string", i);
            break;
        }
        gb_dm *gd = gb_add_dm(b);
        if (!gd || !(gd->name = pl__strdup(name)) ||
            !(gd->id = make_id(name, "dm_", taken, nt))) {
            rc = joom(r);
            break;
        }
        taken[nt++] = gd->id;
        char where[96];
        if (use_rank) {
            const char *rkey = rank_key(d);
            r->pref_key[i] =
                strcmp(rkey, "preferenceRanking") == 0 ? ".preferenceRanking" : ".preferenceVector";
            json_t *rk = json_object_get(d, rkey);
            if (!json_is_array(rk)) {
                rc = jfail(r, jp(r, "decisionMakers[%zu].%s", i, rkey),
                           "decisionMakers[%zu] ('%s'): manual ranking in use but no "
                              "\"preferenceRanking\"",
                           i, name);
                break;
            }
            gd->prioritization = 0;
            gd->rank_exact = 1;
            for (size_t k = 0; k < json_array_size(rk) && rc == 0; k++) {
                json_t *it = json_array_get(rk, k);
                snprintf(where, sizeof where, "decisionMakers[%zu].preferenceRanking[%zu]", i, k);
                gb_rank_item *ri;
                if (gb_dm_add_rank(gd, &ri) != 0) {
                    rc = joom(r);
                    break;
                }
                size_t na = json_is_array(it) ? json_array_size(it) : 1;
                for (size_t a = 0; a < na && rc == 0; a++) {
                    json_t *v = json_is_array(it) ? json_array_get(it, a) : it;
                    char path[128];
                    if (json_is_array(it))
                        snprintf(path, sizeof path, "decisionMakers[%zu].%s[%zu][%zu]", i, rkey,
                                 k, a);
                    else
                        snprintf(path, sizeof path, "decisionMakers[%zu].%s[%zu]", i, rkey, k);
                    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                        (size_t)json_integer_value(v) > nfeas) {
                        rc = jfail(r, path, "%s: must be a state ordinal between 1 and %zu",
                                   where, nfeas);
                        break;
                    }
                    uint32_t x = feas[json_integer_value(v) - 1];
                    char pat[PL_GMCR_MAX_OPTIONS + 1];
                    for (int o = 0; o < r->n; o++)
                        pat[o] = (x >> o) & 1u ? 'Y' : 'N';
                    pat[r->n] = '\0';
                    gx_expr *e;
                    if (gb_rank_add_alt(ri, &e) != 0)
                        rc = joom(r);
                    else
                        rc = add_pattern(r, e, pat, where, path);
                }
            }
        } else {
            r->pref_key[i] = ".preferences";
            json_t *pr = json_object_get(d, "preferences");
            if (!json_is_array(pr)) {
                rc = jfail(r, jp(r, "decisionMakers[%zu].preferences", i),
                           "decisionMakers[%zu] ('%s'): \"preferences\" must be a list", i, name);
                break;
            }
            for (size_t k = 0; k < json_array_size(pr) && rc == 0; k++) {
                snprintf(where, sizeof where, "decisionMakers[%zu].preferences[%zu]", i, k);
                gx_expr *e;
                if (gb_dm_add_stmt(gd, &e) != 0) {
                    rc = joom(r);
                    break;
                }
                pl_buf t;
                pl_buf_init(&t);
                rc = rd_cond(r, json_array_get(pr, k), e, &t, where, where, 0);
                char *txt = pl_buf_take(&t);
                if (rc == 0 && (!txt || gb_strv_add(&gd->text, &gd->n_text, txt) != 0))
                    rc = joom(r);
                pl__free(txt);
            }
        }
        json_t *mp = json_object_get(d, "misperceptions");
        for (size_t a = 0; rc == 0 && json_is_array(mp) && a < json_array_size(mp); a++) {
            snprintf(where, sizeof where, "decisionMakers[%zu].misperceptions[%zu]", i, a);
            pl_buf t;
            pl_buf_init(&t);
            rc = rd_cond(r, json_array_get(mp, a), &gd->misp, &t, where, where, 0);
            pl_buf_free(&t);
            if (rc == 0 && gd->has_misp && gx_push(&gd->misp, GX_OR, 0) != 0)
                rc = joom(r);
            gd->has_misp = 1;
        }
    }
    pl__free(feas);
    if (rc)
        return rc;
    json_t *co = json_object_get(root, "coalitions");
    if (json_is_array(co)) {
        /* [0, [1, 2]]: a lone index is a DM on its own. A list of plain
         * indices only (every DM alone) means no coalitions. */
        int any = 0;
        for (size_t k = 0; k < json_array_size(co); k++)
            any |= json_is_array(json_array_get(co, k)) &&
                   json_array_size(json_array_get(co, k)) > 1;
        if (any) {
            b->coal = pl__calloc(json_array_size(co) + 1, sizeof *b->coal);
            if (!b->coal)
                return joom(r);
            for (size_t k = 0; k < json_array_size(co); k++) {
                json_t *g = json_array_get(co, k);
                size_t na = json_is_array(g) ? json_array_size(g) : 1;
                for (size_t a = 0; a < na; a++) {
                    json_t *v = json_is_array(g) ? json_array_get(g, a) : g;
                    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                        (size_t)json_integer_value(v) >= nd)
                        return jfail(r,
                                     json_is_array(g) ? jp(r, "coalitions[%zu][%zu]", k, a)
                                                      : jp(r, "coalitions[%zu]", k),
                                     "coalitions[%zu] must hold decision maker indices", k);
                    b->coal[k] |= 1u << json_integer_value(v);
                }
            }
            b->n_coal = json_array_size(co);
            if (check_coalitions(r) != 0)
                return -1;
        }
    }
    const char *prog = jstr(root, "program");
    const char *ver = jstr(root, "version");
    char src[128];
    snprintf(src, sizeof src, "%s %s save file", prog ? prog : "GMCR+", ver ? ver : "");
    if (!(b->source = pl__strdup(src)))
        return joom(r);
    place(r, "options", "decisionMakers", "infeasibles", pos);
    return 0;
}

static char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    s = s ? s + 1 : path;
    const char *dot = strrchr(s, '.');
    size_t n = dot && dot != s ? (size_t)(dot - s) : strlen(s);
    return pl__strndup(s, n);
}

pl_status pl_conflict_load_json_buffer(const char *name, const char *data, size_t len,
                                       pl_conflict **out, pl_diag *diag)
{
    if (!out || (!data && len)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (!name)
        name = "<buffer>";
    json_error_t err;
    json_t *root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        pl__diag_set(diag, PL_E_INPUT, name, err.line > 0 ? err.line : 0,
                     err.column > 0 ? err.column : 0, "invalid JSON: %s", err.text);
        if (diag && diag->line > 0)
            pl__source_line(data, len, diag->line, diag->source_line, sizeof diag->source_line);
        return PL_E_INPUT;
    }
    gm_builder b;
    gb_init(&b);
    b.file = name;
    jr r = {.file = name, .text = data ? data : "", .len = len, .diag = diag, .b = &b};
    int rc;
    if (!json_is_object(root))
        rc = jfail(&r, "", "a conflict file must hold a JSON object");
    else if (json_object_get(root, "decisionMakers"))
        rc = rd_gmcrplus(&r, root);
    else
        rc = rd_plain(&r, root);
    json_decref(root);
    pl_status st;
    if (rc == -2)
        st = PL_E_NOMEM;
    else if (rc)
        st = PL_E_INPUT;
    else {
        if (!b.name && !(b.name = base_name(name)))
            st = PL_E_NOMEM;
        else if ((st = gm_build(&b, out, diag)) == PL_E_INPUT)
            source_line(&r);
    }
    gb_free(&b);
    return st;
}

pl_status pl_conflict_load_json(const char *path, pl_conflict **out, pl_diag *diag)
{
    if (!path || !out) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot open the file");
        return PL_E_IO;
    }
    pl_buf b;
    pl_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        pl_buf_add(&b, chunk, n);
        if (b.len > (64u << 20))
            break;
    }
    int ioerr = ferror(f);
    fclose(f);
    if (b.oom) {
        pl_buf_free(&b);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    if (ioerr || b.len > (64u << 20)) {
        pl_buf_free(&b);
        pl__diag_set(diag, ioerr ? PL_E_IO : PL_E_INPUT, path, 0, 0,
                     ioerr ? "cannot read the file" : "the file is larger than 64 MiB");
        return ioerr ? PL_E_IO : PL_E_INPUT;
    }
    pl_status st = pl_conflict_load_json_buffer(path, b.s ? b.s : "", b.len, out, diag);
    pl_buf_free(&b);
    return st;
}
