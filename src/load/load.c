/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario loader: YAML tree -> validated model. Every check produces one
 * precise, positioned message; the first failure stops loading and nothing of
 * the half-built scenario escapes. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "load/ld.h"
#include "load/yaml.h"
#include "util/util.h"

#define CITE_DEPTH 16

struct ld {
    pl_scenario *sc;
    pl_diag *diag;
    const char *file;
    const char *buf;
    size_t len;
    pl_cite cite[CITE_DEPTH];
    int ncite;
    /* base-state assignments, collected before the pools are complete */
    int *w_num, *s_num, *res_num, *cap_num, *sup_num;
    uint32_t *sq;
    unsigned char *rule_base, *inter_base; /* grown with the pools */
    size_t rule_cap, inter_cap, num_cap, rb_cap, ib_cap;
};

/* ---- diagnostics ------------------------------------------------------- */

static void fill_source_line(ld *L, int line)
{
    if (L->diag)
        pl__source_line(L->buf, L->len, line, L->diag->source_line,
                        sizeof L->diag->source_line);
}

static int fail_at(ld *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(ld *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(L->diag, PL_E_INPUT, L->file, line, col, fmt, ap);
    va_end(ap);
    fill_source_line(L, line);
    return -1;
}

#define FAIL(n, ...) fail_at(L, (n)->line, (n)->col, __VA_ARGS__)

static int oom(ld *L)
{
    pl__diag_set(L->diag, PL_E_NOMEM, L->file, 0, 0, "out of memory");
    return -1;
}

static void *A(ld *L, size_t n)
{
    return arena_alloc(&L->sc->arena, n);
}

static const char *kind_name(const ynode *n)
{
    if (n->type == YN_MAP)
        return "a mapping";
    if (n->type == YN_SEQ)
        return "a list";
    if (n->len == 0 && n->style == YS_PLAIN)
        return "nothing";
    return "a scalar";
}

/* ---- tree access ------------------------------------------------------- */

static ynode *map_get(const ynode *m, const char *key)
{
    if (!m || m->type != YN_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->kid[2 * i];
        if (k->type == YN_SCALAR && strcmp(k->text, key) == 0)
            return m->kid[2 * i + 1];
    }
    return NULL;
}

static int expect_map(ld *L, const ynode *n, const char *what)
{
    if (n->type != YN_MAP)
        return FAIL(n, "%s must be a mapping, found %s", what, kind_name(n));
    return 0;
}

static int expect_seq(ld *L, const ynode *n, const char *what)
{
    if (n->type != YN_SEQ)
        return FAIL(n, "%s must be a list, found %s", what, kind_name(n));
    return 0;
}

/* Unknown and duplicate keys are errors everywhere: a typo must never be
 * silently ignored, because an ignored weight is a wrong answer. */
static int check_keys(ld *L, const ynode *m, const char *const *allowed, const char *what)
{
    if (expect_map(L, m, what) != 0)
        return -1;
    size_t na = 0;
    while (allowed[na])
        na++;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->kid[2 * i];
        if (k->type != YN_SCALAR)
            return FAIL(k, "keys in %s must be plain names", what);
        for (size_t j = 0; j < i; j++) {
            const ynode *k2 = m->kid[2 * j];
            if (strcmp(k2->text, k->text) == 0)
                return FAIL(k, "duplicate key '%s' in %s (first at line %d)", k->text, what,
                            k2->line);
        }
        size_t a;
        for (a = 0; a < na; a++)
            if (strcmp(allowed[a], k->text) == 0)
                break;
        if (a == na) {
            const char *s = pl__suggest(k->text, allowed, na);
            if (s)
                return FAIL(k, "unknown key '%s' in %s (did you mean '%s'?)", k->text, what, s);
            return FAIL(k, "unknown key '%s' in %s", k->text, what);
        }
    }
    return 0;
}

static ynode *need(ld *L, const ynode *m, const char *key, const char *what)
{
    ynode *v = map_get(m, key);
    if (!v)
        FAIL(m, "%s is missing the required key '%s'", what, key);
    return v;
}

static int get_str(ld *L, const ynode *n, const char *what, const char **out)
{
    if (n->type != YN_SCALAR)
        return FAIL(n, "%s must be a string, found %s", what, kind_name(n));
    if (strlen(n->text) != n->len)
        return FAIL(n, "%s contains a NUL character", what);
    *out = n->text;
    return 0;
}

static int valid_id(const char *s, size_t len)
{
    if (len == 0 || len > PL_MAX_ID)
        return 0;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

static int get_id(ld *L, const ynode *n, const char *what, const char **out)
{
    if (n->type != YN_SCALAR)
        return FAIL(n, "%s must be an identifier, found %s", what, kind_name(n));
    if (!valid_id(n->text, n->len))
        return FAIL(n, "invalid %s '%s': identifiers are letters, digits and '_', "
                       "start with a letter or '_', at most %d characters",
                    what, n->text, PL_MAX_ID);
    *out = n->text;
    return 0;
}

static int get_bool(ld *L, const ynode *n, const char *what, int *out)
{
    if (n->type == YN_SCALAR && n->style == YS_PLAIN) {
        if (strcmp(n->text, "true") == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(n->text, "false") == 0) {
            *out = 0;
            return 0;
        }
    }
    return FAIL(n, "%s must be true or false", what);
}

static int get_date(ld *L, const ynode *n, const char *what, const char **out)
{
    if (n->type != YN_SCALAR || !model_valid_date(n->text, n->len))
        return FAIL(n, "%s must be a date written YYYY-MM-DD%s%s%s", what,
                    n->type == YN_SCALAR ? ", found '" : "",
                    n->type == YN_SCALAR ? n->text : "", n->type == YN_SCALAR ? "'" : "");
    *out = n->text;
    return 0;
}

/* A plain YAML number. Quoted strings, YAML's .inf/.nan and anything strtod
 * would stretch (hex, "infinity") are refused: numbers must mean one thing. */
static int get_double(ld *L, const ynode *n, const char *what, double *out)
{
    if (n->type != YN_SCALAR)
        return FAIL(n, "%s must be a number, found %s", what, kind_name(n));
    if (n->style != YS_PLAIN)
        return FAIL(n, "%s must be a number, found the quoted string \"%s\"", what, n->text);
    const char *s = n->text;
    size_t len = n->len;
    if (len == 0)
        return FAIL(n, "%s must be a number, found nothing", what);
    if (strcmp(s, ".inf") == 0 || strcmp(s, "-.inf") == 0 || strcmp(s, "+.inf") == 0 ||
        strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".Inf") == 0)
        return FAIL(n, "%s must be a finite number, found '%s'", what, s);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return FAIL(n, "%s must be a number, found '%s'", what, s);
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len)
        return FAIL(n, "%s must be a number, found '%s'", what, s);
    if (!isfinite(v) || errno == ERANGE)
        return FAIL(n, "%s must be a finite number, found '%s'", what, s);
    *out = v;
    return 0;
}

/* ---- lookups ----------------------------------------------------------- */

typedef const char *(*name_at_fn)(const pl_scenario *sc, size_t i, const void *ctx);

static const char *actor_name_at(const pl_scenario *sc, size_t i, const void *ctx)
{
    (void)ctx;
    return sc->actor[i].id;
}

static const char *issue_name_at(const pl_scenario *sc, size_t i, const void *ctx)
{
    (void)ctx;
    return sc->issue[i].id;
}

static const char *ev_name_at(const pl_scenario *sc, size_t i, const void *ctx)
{
    (void)ctx;
    return sc->ev[i].id;
}

static const char *prop_name_at(const pl_scenario *sc, size_t i, const void *ctx)
{
    (void)ctx;
    return sc->prop[i].id;
}

static const char *option_name_at(const pl_scenario *sc, size_t i, const void *ctx)
{
    (void)sc;
    return ((const pl_issue *)ctx)->opt[i].id;
}

/* Resolve a reference by id among n names; unknown ids get "did you mean". */
static long resolve(ld *L, const ynode *n, const char *kind, size_t count, name_at_fn at,
                    const void *ctx, const char *suffix)
{
    const char *id;
    if (get_id(L, n, kind, &id) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(at(L->sc, i, ctx), id) == 0)
            return (long)i;
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t cap = strlen(id) < 3 ? 1 : strlen(id) / 3 + 1;
    for (size_t i = 0; i < count; i++) {
        size_t d = pl__edit_distance(id, at(L->sc, i, ctx), cap);
        if (d <= cap && d < bestd) {
            bestd = d;
            best = at(L->sc, i, ctx);
        }
    }
    if (best)
        FAIL(n, "unknown %s '%s'%s (did you mean '%s'?)", kind, id, suffix, best);
    else
        FAIL(n, "unknown %s '%s'%s", kind, id, suffix);
    return -1;
}

#define RESOLVE_ACTOR(n) resolve(L, (n), "actor", L->sc->n_actors, actor_name_at, NULL, "")
#define RESOLVE_ISSUE(n) resolve(L, (n), "issue", L->sc->n_issues, issue_name_at, NULL, "")

static long resolve_option(ld *L, const ynode *n, size_t issue)
{
    char suffix[128];
    snprintf(suffix, sizeof suffix, " of issue '%s'", L->sc->issue[issue].id);
    return resolve(L, n, "option", L->sc->issue[issue].n_opt, option_name_at,
                   &L->sc->issue[issue], suffix);
}

/* ---- citations --------------------------------------------------------- */

static int parse_cite(ld *L, const ynode *m, pl_cite *out)
{
    memset(out, 0, sizeof *out);
    const ynode *ev = map_get(m, "evidence");
    const ynode *as = map_get(m, "assume");
    if (ev) {
        if (expect_seq(L, ev, "'evidence'") != 0)
            return -1;
        uint32_t *idx = A(L, sizeof *idx * (ev->n ? ev->n : 1));
        if (!idx)
            return oom(L);
        for (size_t i = 0; i < ev->n; i++) {
            long k = resolve(L, ev->kid[i], "evidence id", L->sc->n_ev, ev_name_at, NULL, "");
            if (k < 0)
                return -1;
            idx[i] = (uint32_t)k;
        }
        out->ev = idx;
        out->n_ev = (uint32_t)ev->n;
    }
    if (as) {
        if (get_str(L, as, "'assume'", &out->assume) != 0)
            return -1;
        if (out->assume[0] == '\0')
            return FAIL(as, "'assume' needs a rationale, found an empty string");
    }
    return 0;
}

static int cited(const pl_cite *c)
{
    return c->n_ev > 0 || c->assume != NULL;
}

/* Enter an object that may carry a citation inherited by the numbers in it. */
static int cite_push(ld *L, const ynode *m, pl_cite *own)
{
    pl_cite c;
    if (parse_cite(L, m, &c) != 0)
        return -1;
    if (own)
        *own = c;
    if (L->ncite >= CITE_DEPTH)
        return fail_at(L, m->line, m->col, "citations nested too deeply");
    if (!cited(&c) && L->ncite > 0)
        c = L->cite[L->ncite - 1];
    L->cite[L->ncite++] = c;
    return 0;
}

static void cite_pop(ld *L)
{
    L->ncite--;
}

/* ---- numbers ----------------------------------------------------------- */

typedef struct range {
    double lo, hi;   /* inclusive bounds; NAN when unbounded */
    const char *desc;
} range;

static const range R_ANY = {NAN, NAN, NULL};
static const range R_NONNEG = {0, NAN, "non-negative"};
static const range R_UNIT = {0, 1, "between 0 and 1"};

static int in_range(const range *r, double v)
{
    return !(!isnan(r->lo) && v < r->lo) && !(!isnan(r->hi) && v > r->hi);
}

static int range_fail(ld *L, const ynode *n, const char *what, const range *r, double v)
{
    return FAIL(n, "%s must be %s, found %g", what, r->desc, v);
}

static double norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

static double norm_pdf(double z)
{
    return exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846);
}

static int new_num(ld *L, int *idx)
{
    pl_scenario *sc = L->sc;
    if (pl__grow((void **)&sc->num, &L->num_cap, sc->n_nums + 1, sizeof *sc->num) != 0)
        return oom(L);
    *idx = (int)sc->n_nums++;
    memset(&sc->num[*idx], 0, sizeof sc->num[*idx]);
    return 0;
}

static const char *const NUM_KEYS[] = {"value", "evidence", "assume", "note", NULL};
static const char *const DIST_KEYS[] = {"dist", "low", "high", "mode", "mean", "sd", "value",
                                        "alternatives", "evidence", "assume", "note", NULL};
static const char *const ALT_KEYS[] = {"value", "p", "evidence", "assume", "note", NULL};

static int num_param(ld *L, const ynode *m, const char *key, const char *what, double *out,
                     int required)
{
    const ynode *v = map_get(m, key);
    if (!v) {
        if (required)
            return FAIL(m, "%s: a '%s' distribution needs '%s'", what,
                        map_get(m, "dist")->text, key);
        *out = NAN;
        return 0;
    }
    char w[160];
    snprintf(w, sizeof w, "'%s' of %s", key, what);
    return get_double(L, v, w, out);
}

/* Only the keys of the chosen distribution may appear. */
static int dist_keys_only(ld *L, const ynode *m, const char *const *ok, const char *dist)
{
    static const char *const common[] = {"dist", "evidence", "assume", "note"};
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->kid[2 * i];
        int fine = 0;
        for (size_t c = 0; c < 4 && !fine; c++)
            fine = strcmp(k->text, common[c]) == 0;
        for (size_t c = 0; ok[c] && !fine; c++)
            fine = strcmp(k->text, ok[c]) == 0;
        if (!fine)
            return FAIL(k, "key '%s' does not apply to a '%s' distribution", k->text, dist);
    }
    return 0;
}

static int parse_num(ld *L, const ynode *n, const char *path, const char *what, const range *r,
                     int *out)
{
    int idx;
    if (new_num(L, &idx) != 0)
        return -1;
    pl_num num = {0};
    num.line = n->line;
    num.col = n->col;
    num.path = arena_strdup(&L->sc->arena, path);
    if (!num.path)
        return oom(L);
    if (n->type == YN_SCALAR) {
        if (get_double(L, n, what, &num.value) != 0)
            return -1;
        if (!in_range(r, num.value))
            return range_fail(L, n, what, r, num.value);
    } else if (n->type == YN_MAP) {
        const ynode *d = map_get(n, "dist");
        if (check_keys(L, n, d ? DIST_KEYS : NUM_KEYS, what) != 0)
            return -1;
        if (parse_cite(L, n, &num.cite) != 0)
            return -1;
        num.own_cite = cited(&num.cite);
        if (!d) {
            const ynode *v = need(L, n, "value", what);
            if (!v || get_double(L, v, what, &num.value) != 0)
                return -1;
            if (!in_range(r, num.value))
                return range_fail(L, v, what, r, num.value);
        } else {
            const char *dn = "";
            if (get_str(L, d, "'dist'", &dn) != 0)
                return -1;
            double *p = num.p;
            if (strcmp(dn, "point") == 0) {
                static const char *const k[] = {"value", NULL};
                if (dist_keys_only(L, n, k, dn) || num_param(L, n, "value", what, &p[0], 1))
                    return -1;
                num.dist = DIST_POINT;
                num.value = p[0];
                if (!in_range(r, p[0]))
                    return range_fail(L, n, what, r, p[0]);
            } else if (strcmp(dn, "uniform") == 0) {
                static const char *const k[] = {"low", "high", NULL};
                if (dist_keys_only(L, n, k, dn) || num_param(L, n, "low", what, &p[0], 1) ||
                    num_param(L, n, "high", what, &p[1], 1))
                    return -1;
                if (p[0] > p[1])
                    return FAIL(n, "%s: uniform distribution with low %g above high %g", what,
                                p[0], p[1]);
                num.dist = DIST_UNIFORM;
                num.value = 0.5 * (p[0] + p[1]);
                if (!in_range(r, p[0]) || !in_range(r, p[1]))
                    return FAIL(n, "%s must be %s: the distribution reaches outside [%g, %g]",
                                what, r->desc, p[0], p[1]);
            } else if (strcmp(dn, "triangular") == 0) {
                static const char *const k[] = {"low", "mode", "high", NULL};
                if (dist_keys_only(L, n, k, dn) || num_param(L, n, "low", what, &p[0], 1) ||
                    num_param(L, n, "mode", what, &p[1], 1) ||
                    num_param(L, n, "high", what, &p[2], 1))
                    return -1;
                if (!(p[0] <= p[1] && p[1] <= p[2]))
                    return FAIL(n, "%s: triangular distribution needs low <= mode <= high, "
                                   "found %g, %g, %g", what, p[0], p[1], p[2]);
                num.dist = DIST_TRIANGULAR;
                num.value = (p[0] + p[1] + p[2]) / 3.0;
                if (!in_range(r, p[0]) || !in_range(r, p[2]))
                    return FAIL(n, "%s must be %s: the distribution reaches outside [%g, %g]",
                                what, r->desc, p[0], p[2]);
            } else if (strcmp(dn, "normal") == 0) {
                static const char *const k[] = {"mean", "sd", "low", "high", NULL};
                if (dist_keys_only(L, n, k, dn) || num_param(L, n, "mean", what, &p[0], 1) ||
                    num_param(L, n, "sd", what, &p[1], 1) ||
                    num_param(L, n, "low", what, &p[2], 0) ||
                    num_param(L, n, "high", what, &p[3], 0))
                    return -1;
                if (!(p[1] > 0))
                    return FAIL(n, "%s: normal distribution needs sd > 0, found %g", what, p[1]);
                if (isnan(p[2]))
                    p[2] = -INFINITY;
                if (isnan(p[3]))
                    p[3] = INFINITY;
                if (!(p[2] < p[3]))
                    return FAIL(n, "%s: normal distribution needs low < high, found %g and %g",
                                what, p[2], p[3]);
                if ((!isnan(r->lo) && p[2] < r->lo) || (!isnan(r->hi) && p[3] > r->hi))
                    return FAIL(n, "%s must be %s: give the normal distribution 'low' and "
                                   "'high' within that range", what, r->desc);
                /* The exact mean of the truncated normal. */
                double a = (p[2] - p[0]) / p[1], b = (p[3] - p[0]) / p[1];
                double z = norm_cdf(b) - norm_cdf(a);
                if (!(z > 1e-12))
                    return FAIL(n, "%s: the normal distribution has almost no mass between "
                                   "low and high", what);
                double pa = isinf(a) ? 0 : norm_pdf(a), pb = isinf(b) ? 0 : norm_pdf(b);
                num.value = p[0] + p[1] * (pa - pb) / z;
                num.dist = DIST_NORMAL;
            } else if (strcmp(dn, "discrete") == 0) {
                static const char *const k[] = {"alternatives", NULL};
                if (dist_keys_only(L, n, k, dn) != 0)
                    return -1;
                const ynode *al = need(L, n, "alternatives", what);
                if (!al || expect_seq(L, al, "'alternatives'") != 0)
                    return -1;
                if (al->n < 1)
                    return FAIL(al, "%s: a discrete distribution needs at least one "
                                    "alternative", what);
                num.alt = A(L, sizeof *num.alt * al->n);
                if (!num.alt)
                    return oom(L);
                num.n_alt = (uint32_t)al->n;
                double sum = 0, mean = 0;
                for (size_t i = 0; i < al->n; i++) {
                    const ynode *it = al->kid[i];
                    if (check_keys(L, it, ALT_KEYS, "an alternative") != 0)
                        return -1;
                    const ynode *v = need(L, it, "value", "an alternative");
                    const ynode *pp = need(L, it, "p", "an alternative");
                    if (!v || !pp || get_double(L, v, "'value' of an alternative",
                                                &num.alt[i].value) != 0 ||
                        get_double(L, pp, "'p' of an alternative", &num.alt[i].p) != 0)
                        return -1;
                    if (num.alt[i].p < 0 || num.alt[i].p > 1)
                        return FAIL(pp, "probability must be between 0 and 1, found %g",
                                    num.alt[i].p);
                    if (!in_range(r, num.alt[i].value))
                        return range_fail(L, v, what, r, num.alt[i].value);
                    if (parse_cite(L, it, &num.alt[i].cite) != 0)
                        return -1;
                    sum += num.alt[i].p;
                    mean += num.alt[i].p * num.alt[i].value;
                }
                if (fabs(sum - 1.0) > 1e-9)
                    return FAIL(al, "%s: the probabilities of the alternatives sum to %.10g, "
                                    "not 1", what, sum);
                num.value = mean;
                num.dist = DIST_DISCRETE;
                /* Alternatives that cite evidence justify the number. */
                if (!num.own_cite) {
                    int all = 1;
                    for (size_t i = 0; i < al->n; i++)
                        all &= cited(&num.alt[i].cite);
                    if (all) {
                        num.cite = num.alt[0].cite;
                        num.own_cite = 1;
                    }
                }
            } else {
                static const char *const dists[] = {"point", "uniform", "triangular",
                                                    "normal", "discrete", NULL};
                const char *s = pl__suggest(dn, dists, 5);
                return FAIL(d, "unknown distribution '%s'%s%s%s; expected point, uniform, "
                               "triangular, normal or discrete", dn,
                            s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            }
        }
    } else {
        return FAIL(n, "%s must be a number or a mapping with 'value' or 'dist', found a list",
                    what);
    }
    if (!num.own_cite && L->ncite > 0)
        num.cite = L->cite[L->ncite - 1];
    L->sc->num[idx] = num;
    *out = idx;
    return 0;
}

/* ---- sections ---------------------------------------------------------- */

static int check_unique(ld *L, const ynode *n, const char *id, const char *kind,
                        const char *(*at)(const pl_scenario *, size_t, const void *),
                        const void *ctx, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(at(L->sc, i, ctx), id) == 0)
            return FAIL(n, "duplicate %s id '%s'", kind, id);
    return 0;
}

static const char *const SCEN_KEYS[] = {"id", "name", "description", "date", "note", NULL};

static int parse_header(ld *L, const ynode *m)
{
    pl_scenario *sc = L->sc;
    if (check_keys(L, m, SCEN_KEYS, "'scenario'") != 0)
        return -1;
    const ynode *id = need(L, m, "id", "'scenario'");
    const ynode *nm = need(L, m, "name", "'scenario'");
    if (!id || !nm || get_id(L, id, "scenario id", &sc->id) || get_str(L, nm, "'name'", &sc->name))
        return -1;
    const ynode *v;
    sc->description = "";
    sc->date = "";
    if ((v = map_get(m, "description")) && get_str(L, v, "'description'", &sc->description))
        return -1;
    if ((v = map_get(m, "date")) && get_date(L, v, "'date'", &sc->date))
        return -1;
    return 0;
}

static const char *const EV_KEYS[] = {"id", "source", "quote", "reliability", "contradicts",
                                      "note", NULL};
static const char *const SRC_KEYS[] = {"outlet", "title", "url", "date", NULL};

static int parse_evidence(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    if (expect_seq(L, seq, "'evidence'") != 0)
        return -1;
    sc->ev = A(L, sizeof *sc->ev * (seq->n ? seq->n : 1));
    if (!sc->ev)
        return oom(L);
    /* Ids first, so that 'contradicts' may point forward. */
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = seq->kid[i];
        if (check_keys(L, m, EV_KEYS, "an evidence entry") != 0)
            return -1;
        const ynode *id = need(L, m, "id", "an evidence entry");
        if (!id || get_id(L, id, "evidence id", &sc->ev[i].id) != 0 ||
            check_unique(L, id, sc->ev[i].id, "evidence", ev_name_at, NULL, i) != 0)
            return -1;
        sc->ev[i].line = m->line;
        sc->ev[i].col = m->col;
    }
    sc->n_ev = seq->n;
    static const char *const REL[] = {"corroborated", "single", "disputed", "unverified", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = seq->kid[i];
        pl_evidence *e = &sc->ev[i];
        char what[128];
        snprintf(what, sizeof what, "evidence '%s'", e->id);
        const ynode *src = need(L, m, "source", what);
        const ynode *rel = need(L, m, "reliability", what);
        if (!src || !rel || check_keys(L, src, SRC_KEYS, "'source'") != 0)
            return -1;
        const ynode *o = need(L, src, "outlet", "'source'");
        const ynode *d = need(L, src, "date", "'source'");
        if (!o || !d || get_str(L, o, "'outlet'", &e->outlet) || get_date(L, d, "'date'", &e->date))
            return -1;
        const ynode *v;
        e->title = e->url = e->quote = e->note = "";
        if ((v = map_get(src, "title")) && get_str(L, v, "'title'", &e->title))
            return -1;
        if ((v = map_get(src, "url")) && get_str(L, v, "'url'", &e->url))
            return -1;
        if ((v = map_get(m, "quote")) && get_str(L, v, "'quote'", &e->quote))
            return -1;
        if ((v = map_get(m, "note")) && get_str(L, v, "'note'", &e->note))
            return -1;
        if (get_str(L, rel, "'reliability'", &e->reliability) != 0)
            return -1;
        size_t r;
        for (r = 0; REL[r]; r++)
            if (strcmp(REL[r], e->reliability) == 0)
                break;
        if (!REL[r]) {
            const char *s = pl__suggest(e->reliability, REL, 4);
            return FAIL(rel, "unknown reliability '%s'%s%s%s; expected corroborated, single, "
                             "disputed or unverified", e->reliability,
                        s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
        }
        if ((v = map_get(m, "contradicts"))) {
            if (expect_seq(L, v, "'contradicts'") != 0)
                return -1;
            e->contra = A(L, sizeof *e->contra * (v->n ? v->n : 1));
            if (!e->contra)
                return oom(L);
            for (size_t k = 0; k < v->n; k++) {
                long j = resolve(L, v->kid[k], "evidence id", sc->n_ev, ev_name_at, NULL, "");
                if (j < 0)
                    return -1;
                if ((size_t)j == i)
                    return FAIL(v->kid[k], "evidence '%s' cannot contradict itself", e->id);
                e->contra[k] = sc->ev[j].id;
            }
            e->n_contra = (uint32_t)v->n;
        }
    }
    return 0;
}

static const char *const ACTOR_KEYS[] = {"id", "name", "role", "veto", "capability",
                                         "reservation", "ratification", "evidence", "assume",
                                         "note", NULL};
static const char *const RAT_KEYS[] = {"required", "kind", "support", "note", "evidence",
                                       "assume", NULL};

static int parse_actors(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    if (expect_seq(L, seq, "'actors'") != 0)
        return -1;
    if (seq->n == 0)
        return FAIL(seq, "'actors' must list at least one actor");
    if (seq->n > PL_MAX_ACTORS)
        return FAIL(seq, "too many actors: %zu (at most %d)", seq->n, PL_MAX_ACTORS);
    sc->actor = A(L, sizeof *sc->actor * seq->n);
    if (!sc->actor)
        return oom(L);
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = seq->kid[i];
        pl_actor *ac = &sc->actor[i];
        if (check_keys(L, m, ACTOR_KEYS, "an actor") != 0)
            return -1;
        const ynode *id = need(L, m, "id", "an actor");
        if (!id || get_id(L, id, "actor id", &ac->id) != 0 ||
            check_unique(L, id, ac->id, "actor", actor_name_at, NULL, i) != 0)
            return -1;
        const ynode *nm = need(L, m, "name", "an actor");
        const ynode *role = need(L, m, "role", "an actor");
        if (!nm || !role || get_str(L, nm, "'name'", &ac->name) != 0)
            return -1;
        const char *rs = "";
        if (get_str(L, role, "'role'", &rs) != 0)
            return -1;
        static const char *const ROLES[] = {"party", "mediator", "guarantor", "observer", NULL};
        size_t r;
        for (r = 0; ROLES[r]; r++)
            if (strcmp(rs, ROLES[r]) == 0)
                break;
        if (!ROLES[r]) {
            const char *s = pl__suggest(rs, ROLES, 4);
            return FAIL(role, "unknown role '%s'%s%s%s; expected party, mediator, guarantor "
                              "or observer", rs, s ? " (did you mean '" : "", s ? s : "",
                        s ? "'?)" : "");
        }
        ac->role = (pl_role)r;
        ac->line = m->line;
        ac->col = m->col;
        ac->cap_num = ac->res_num = ac->sup_num = -1;
        ac->rat_kind = "";
        ac->rat_note = "";
        sc->n_actors = i + 1; /* later actors' ids are checked against earlier ones */
    }
    return 0;
}

/* Numbers of the actors need the evidence section and the base arrays. */
static int parse_actor_numbers(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = seq->kid[i];
        pl_actor *ac = &sc->actor[i];
        char path[160], what[160];
        const ynode *v;
        if (cite_push(L, m, NULL) != 0)
            return -1;
        if ((v = map_get(m, "veto")) && get_bool(L, v, "'veto'", &ac->veto))
            return -1;
        if ((v = map_get(m, "capability"))) {
            snprintf(path, sizeof path, "actors.%s.capability", ac->id);
            snprintf(what, sizeof what, "the capability of '%s'", ac->id);
            if (parse_num(L, v, path, what, &R_NONNEG, &ac->cap_num) != 0)
                return -1;
            L->cap_num[i] = ac->cap_num;
        }
        if ((v = map_get(m, "reservation"))) {
            snprintf(path, sizeof path, "actors.%s.reservation", ac->id);
            snprintf(what, sizeof what, "the reservation value of '%s'", ac->id);
            if (parse_num(L, v, path, what, &R_ANY, &ac->res_num) != 0)
                return -1;
            L->res_num[i] = ac->res_num;
        }
        if ((v = map_get(m, "ratification"))) {
            if (check_keys(L, v, RAT_KEYS, "'ratification'") != 0 || cite_push(L, v, NULL) != 0)
                return -1;
            const ynode *w;
            if ((w = map_get(v, "required")) && get_bool(L, w, "'required'", &ac->rat_required))
                return -1;
            if ((w = map_get(v, "kind"))) {
                static const char *const KINDS[] = {"referendum", "parliament", "senate",
                                                    "none", NULL};
                if (get_str(L, w, "'kind'", &ac->rat_kind) != 0)
                    return -1;
                size_t k;
                for (k = 0; KINDS[k]; k++)
                    if (strcmp(KINDS[k], ac->rat_kind) == 0)
                        break;
                if (!KINDS[k])
                    return FAIL(w, "unknown ratification kind '%s'; expected referendum, "
                                   "parliament, senate or none", ac->rat_kind);
            }
            if ((w = map_get(v, "note")) && get_str(L, w, "'note'", &ac->rat_note))
                return -1;
            if ((w = map_get(v, "support"))) {
                snprintf(path, sizeof path, "actors.%s.ratification.support", ac->id);
                snprintf(what, sizeof what, "the public support for '%s'", ac->id);
                if (parse_num(L, w, path, what, &R_UNIT, &ac->sup_num) != 0)
                    return -1;
                L->sup_num[i] = ac->sup_num;
            }
            cite_pop(L);
        }
        cite_pop(L);
    }
    return 0;
}

static const char *const ISSUE_KEYS[] = {"id", "name", "status_quo", "options", "evidence",
                                         "assume", "note", "transferable", NULL};
static const char *const OPT_KEYS[] = {"id", "label", "position", "attrs", "note", NULL};

static int parse_issues(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    if (expect_seq(L, seq, "'issues'") != 0)
        return -1;
    if (seq->n == 0)
        return FAIL(seq, "'issues' must list at least one issue");
    if (seq->n > PL_MAX_ISSUES)
        return FAIL(seq, "too many issues: %zu (at most %d)", seq->n, PL_MAX_ISSUES);
    sc->issue = A(L, sizeof *sc->issue * seq->n);
    sc->n_opts = A(L, sizeof *sc->n_opts * seq->n);
    if (!sc->issue || !sc->n_opts)
        return oom(L);
    size_t base = 0;
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = seq->kid[i];
        pl_issue *is = &sc->issue[i];
        if (check_keys(L, m, ISSUE_KEYS, "an issue") != 0)
            return -1;
        const ynode *id = need(L, m, "id", "an issue");
        if (!id || get_id(L, id, "issue id", &is->id) != 0 ||
            check_unique(L, id, is->id, "issue", issue_name_at, NULL, i) != 0)
            return -1;
        static const char *const KEYWORDS[] = {"and", "or", "not", "implies", "in", "true",
                                               "false", NULL};
        for (size_t k = 0; KEYWORDS[k]; k++)
            if (strcmp(is->id, KEYWORDS[k]) == 0)
                return FAIL(id, "issue id '%s' is a keyword of the expression language; "
                                "choose another id", is->id);
        sc->n_issues = i + 1;
        char what[128];
        snprintf(what, sizeof what, "issue '%s'", is->id);
        const ynode *nm = need(L, m, "name", what);
        const ynode *opts = need(L, m, "options", what);
        const ynode *sq = need(L, m, "status_quo", what);
        if (!nm || !opts || !sq || get_str(L, nm, "'name'", &is->name) != 0 ||
            expect_seq(L, opts, "'options'") != 0)
            return -1;
        if (opts->n < 2)
            return FAIL(opts, "issue '%s' needs at least 2 options, found %zu", is->id, opts->n);
        if (opts->n > PL_MAX_OPTIONS)
            return FAIL(opts, "issue '%s' has %zu options; at most %d are allowed", is->id,
                        opts->n, PL_MAX_OPTIONS);
        is->opt = A(L, sizeof *is->opt * opts->n);
        if (!is->opt)
            return oom(L);
        for (size_t o = 0; o < opts->n; o++) {
            const ynode *om = opts->kid[o];
            pl_option *op = &is->opt[o];
            if (check_keys(L, om, OPT_KEYS, "an option") != 0)
                return -1;
            const ynode *oid = need(L, om, "id", "an option");
            if (!oid || get_id(L, oid, "option id", &op->id) != 0)
                return -1;
            for (size_t p = 0; p < o; p++)
                if (strcmp(is->opt[p].id, op->id) == 0)
                    return FAIL(oid, "duplicate option id '%s' in issue '%s'", op->id, is->id);
            const ynode *v;
            op->label = op->id;
            if ((v = map_get(om, "label")) && get_str(L, v, "'label'", &op->label))
                return -1;
            const ynode *pos = need(L, om, "position", "an option");
            if (!pos || get_double(L, pos, "'position'", &op->position) != 0)
                return -1;
            if (op->position < 0 || op->position > 100)
                return FAIL(pos, "position of option '%s' must be between 0 and 100, found %g",
                            op->id, op->position);
            if (o > 0 && op->position < is->opt[o - 1].position)
                return FAIL(pos, "options out of order in issue '%s': option '%s' at position "
                                 "%g comes after '%s' at %g; list options by non-decreasing "
                                 "position", is->id, op->id, op->position, is->opt[o - 1].id,
                            is->opt[o - 1].position);
            if ((v = map_get(om, "attrs"))) {
                if (expect_map(L, v, "'attrs'") != 0)
                    return -1;
                op->n_attrs = (uint32_t)v->n;
                op->attr_name = A(L, sizeof *op->attr_name * (v->n ? v->n : 1));
                op->attr_value = A(L, sizeof *op->attr_value * (v->n ? v->n : 1));
                if (!op->attr_name || !op->attr_value)
                    return oom(L);
                for (size_t k = 0; k < v->n; k++) {
                    const ynode *an = v->kid[2 * k], *av = v->kid[2 * k + 1];
                    if (get_id(L, an, "attribute name", &op->attr_name[k]) != 0)
                        return -1;
                    for (size_t j = 0; j < k; j++)
                        if (strcmp(op->attr_name[j], op->attr_name[k]) == 0)
                            return FAIL(an, "duplicate attribute '%s'", an->text);
                    if (get_double(L, av, "an attribute value", &op->attr_value[k]) != 0)
                        return -1;
                }
            }
        }
        is->n_opt = (uint32_t)opts->n;
        sc->n_opts[i] = is->n_opt;
        is->opt_base = (uint32_t)base;
        base += is->n_opt;
        long s = resolve_option(L, sq, i);
        if (s < 0)
            return -1;
        is->sq = (uint32_t)s;
        const ynode *tr = map_get(m, "transferable");
        if (tr) {
            static const char *const TR_KEYS[] = {"attr", "note", NULL};
            if (check_keys(L, tr, TR_KEYS, "'transferable'") != 0)
                return -1;
            const ynode *an = need(L, tr, "attr", "'transferable'");
            if (!an || get_id(L, an, "attribute name", &is->transfer_attr) != 0)
                return -1;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t o = 0; o < is->n_opt; o++) {
                const pl_option *op = &is->opt[o];
                size_t k;
                for (k = 0; k < op->n_attrs; k++)
                    if (strcmp(op->attr_name[k], is->transfer_attr) == 0)
                        break;
                if (k == op->n_attrs)
                    return FAIL(an, "issue '%s' is transferable in '%s', but option '%s' has no "
                                    "attribute '%s'", is->id, is->transfer_attr, op->id,
                                is->transfer_attr);
                lo = op->attr_value[k] < lo ? op->attr_value[k] : lo;
                hi = op->attr_value[k] > hi ? op->attr_value[k] : hi;
            }
            if (!(hi > lo))
                return FAIL(an, "issue '%s' is transferable in '%s', but every option has the "
                                "same amount", is->id, is->transfer_attr);
        }
        is->line = m->line;
        is->col = m->col;
    }
    sc->total_opts = base;
    return 0;
}

/* ---- expressions ------------------------------------------------------- */

/* Map a byte offset inside a scalar's value back to the file. Exact for plain
 * and quoted one-line scalars whose text appears verbatim in the source; for
 * block scalars or escapes, the scalar's own position is the best we know. */
static void expr_pos(ld *L, const ynode *n, size_t off, int *line, int *col)
{
    *line = n->line;
    *col = n->col;
    if (n->style == YS_LITERAL || n->style == YS_FOLDED || memchr(n->text, '\n', n->len))
        return;
    /* libfyaml marks a quoted scalar at its opening quote or just after it,
     * depending on context: accept whichever start matches the text. */
    static const int shift[] = {0, 1, -1};
    for (size_t k = 0; k < 3; k++) {
        long start = (long)n->pos + shift[k];
        if (start < 0 || (size_t)start + n->len > L->len)
            continue;
        if (memcmp(L->buf + start, n->text, n->len) == 0) {
            *col = n->col + shift[k] + (int)off;
            return;
        }
    }
}

static int compile_expr(ld *L, const ynode *n, const char *what, const char **src, px_expr *out)
{
    if (get_str(L, n, what, src) != 0)
        return -1;
    px_symbols sym;
    model_symbols(L->sc, &sym);
    px_error err;
    int rc = px_compile(n->text, n->len, &sym, out, &err);
    if (rc == -2)
        return oom(L);
    if (rc != 0) {
        int line, col;
        expr_pos(L, n, err.offset, &line, &col);
        if (col == n->col && err.offset > 0)
            return fail_at(L, line, col, "in %s, at character %zu: %s", what, err.offset + 1,
                           err.msg);
        return fail_at(L, line, col, "in %s: %s", what, err.msg);
    }
    return 0;
}

static const char *const RULE_KEYS[] = {"id", "require", "forbid", "text", "credence",
                                        "evidence", "assume", "note", NULL};

/* A red line (actor >= 0) or a global constraint (actor < 0), into the pool. */
static int parse_rule(ld *L, const ynode *m, long actor, int in_base, long *out)
{
    pl_scenario *sc = L->sc;
    const char *kindname = actor >= 0 ? "a red line" : "a constraint";
    if (check_keys(L, m, RULE_KEYS, kindname) != 0)
        return -1;
    if (pl__grow((void **)&sc->rule, &L->rule_cap, sc->n_rules + 1, sizeof *sc->rule) != 0 ||
        pl__grow((void **)&L->rule_base, &L->rb_cap, sc->n_rules + 1, 1) != 0)
        return oom(L);
    pl_rule r;
    memset(&r, 0, sizeof r);
    r.actor = actor;
    r.credence_num = -1;
    r.line = m->line;
    r.col = m->col;
    const ynode *id = need(L, m, "id", kindname);
    if (!id || get_id(L, id, actor >= 0 ? "red line id" : "constraint id", &r.id) != 0)
        return -1;
    /* Base red lines of one actor (and constraints) must be unique. */
    if (in_base)
        for (size_t k = 0; k < sc->n_rules; k++)
            if (L->rule_base[k] && sc->rule[k].actor == actor && strcmp(sc->rule[k].id, r.id) == 0)
                return FAIL(id, "duplicate %s id '%s'", actor >= 0 ? "red line" : "constraint",
                            r.id);
    const ynode *rq = map_get(m, "require"), *fb = map_get(m, "forbid");
    if (rq && fb)
        return FAIL(fb, "%s '%s' has both 'require' and 'forbid'; give exactly one", kindname,
                    r.id);
    if (!rq && !fb)
        return FAIL(m, "%s '%s' needs 'require' or 'forbid'", kindname, r.id);
    r.kind = rq ? PL_RULE_REQUIRE : PL_RULE_FORBID;
    char what[200];
    if (actor >= 0)
        snprintf(what, sizeof what, "red line '%s' of '%s'", r.id, sc->actor[actor].id);
    else
        snprintf(what, sizeof what, "constraint '%s'", r.id);
    if (cite_push(L, m, &r.cite) != 0)
        return -1;
    if (!cited(&r.cite) && L->ncite > 1)
        r.cite = L->cite[L->ncite - 1];
    const ynode *v;
    r.text = "";
    if ((v = map_get(m, "text")) && get_str(L, v, "'text'", &r.text))
        return -1;
    if ((v = map_get(m, "credence"))) {
        char path[300];
        snprintf(path, sizeof path, "%s.credence", what);
        if (parse_num(L, v, path, "'credence'", &R_UNIT, &r.credence_num) != 0)
            return -1;
    }
    cite_pop(L);
    if (compile_expr(L, rq ? rq : fb, what, &r.src, &r.ex) != 0)
        return -1;
    sc->rule[sc->n_rules] = r;
    L->rule_base[sc->n_rules] = (unsigned char)in_base;
    *out = (long)sc->n_rules++;
    return 0;
}

static const char *const INTER_KEYS[] = {"id", "when", "bonus", "note", "evidence", "assume",
                                         NULL};

static int parse_inter(ld *L, const ynode *m, long actor, int in_base, long *out)
{
    pl_scenario *sc = L->sc;
    if (check_keys(L, m, INTER_KEYS, "an interaction") != 0)
        return -1;
    if (pl__grow((void **)&sc->inter, &L->inter_cap, sc->n_inters + 1, sizeof *sc->inter) != 0 ||
        pl__grow((void **)&L->inter_base, &L->ib_cap, sc->n_inters + 1, 1) != 0)
        return oom(L);
    pl_inter in;
    memset(&in, 0, sizeof in);
    in.actor = actor;
    in.line = m->line;
    in.col = m->col;
    const ynode *id = need(L, m, "id", "an interaction");
    if (!id || get_id(L, id, "interaction id", &in.id) != 0)
        return -1;
    if (in_base)
        for (size_t k = 0; k < sc->n_inters; k++)
            if (L->inter_base[k] && sc->inter[k].actor == actor &&
                strcmp(sc->inter[k].id, in.id) == 0)
                return FAIL(id, "duplicate interaction id '%s'", in.id);
    char what[200];
    snprintf(what, sizeof what, "interaction '%s' of '%s'", in.id, sc->actor[actor].id);
    const ynode *w = need(L, m, "when", what);
    const ynode *b = need(L, m, "bonus", what);
    if (!w || !b)
        return -1;
    if (cite_push(L, m, NULL) != 0)
        return -1;
    char path[200];
    snprintf(path, sizeof path, "preferences.%s.interactions.%s.bonus", sc->actor[actor].id,
             in.id);
    if (parse_num(L, b, path, "'bonus'", &R_ANY, &in.bonus_num) != 0)
        return -1;
    cite_pop(L);
    const ynode *v;
    in.note = "";
    if ((v = map_get(m, "note")) && get_str(L, v, "'note'", &in.note))
        return -1;
    if (compile_expr(L, w, what, &in.when, &in.ex) != 0)
        return -1;
    sc->inter[sc->n_inters] = in;
    L->inter_base[sc->n_inters] = (unsigned char)in_base;
    *out = (long)sc->n_inters++;
    return 0;
}

static const char *const PREF_KEYS[] = {"weights", "scores", "interactions", "red_lines",
                                        "evidence", "assume", "note", NULL};

static int parse_scores(ld *L, const ynode *m, size_t a)
{
    pl_scenario *sc = L->sc;
    const char *aid = sc->actor[a].id;
    if (expect_map(L, m, "'scores'") != 0)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        const ynode *kn = m->kid[2 * k], *v = m->kid[2 * k + 1];
        for (size_t j = 0; j < k; j++)
            if (strcmp(m->kid[2 * j]->text, kn->text) == 0)
                return FAIL(kn, "duplicate key '%s' in 'scores'", kn->text);
        long i = RESOLVE_ISSUE(kn);
        if (i < 0)
            return -1;
        const pl_issue *is = &sc->issue[i];
        int *row = L->s_num + a * sc->total_opts + is->opt_base;
        char path[200], what[200];
        if (v->type == YN_SEQ) {
            if (v->n != is->n_opt)
                return FAIL(v, "scores of '%s' for issue '%s' list %zu values, but the issue "
                               "has %u options", aid, is->id, v->n, is->n_opt);
            for (size_t o = 0; o < v->n; o++) {
                snprintf(path, sizeof path, "preferences.%s.scores.%s.%s", aid, is->id,
                         is->opt[o].id);
                snprintf(what, sizeof what, "the score of '%s' for '%s'", aid, is->opt[o].id);
                if (parse_num(L, v->kid[o], path, what, &R_ANY, &row[o]) != 0)
                    return -1;
            }
        } else if (v->type == YN_MAP) {
            for (size_t q = 0; q < v->n; q++) {
                const ynode *on = v->kid[2 * q];
                long o = resolve_option(L, on, (size_t)i);
                if (o < 0)
                    return -1;
                if (row[o] >= 0)
                    return FAIL(on, "option '%s' is scored twice", on->text);
                snprintf(path, sizeof path, "preferences.%s.scores.%s.%s", aid, is->id,
                         is->opt[o].id);
                snprintf(what, sizeof what, "the score of '%s' for '%s'", aid, is->opt[o].id);
                if (parse_num(L, v->kid[2 * q + 1], path, what, &R_ANY, &row[o]) != 0)
                    return -1;
            }
        } else {
            return FAIL(v, "scores of '%s' for issue '%s' must be a mapping option -> score "
                           "or a list in option order", aid, is->id);
        }
    }
    return 0;
}

static int parse_preferences(ld *L, const ynode *m)
{
    pl_scenario *sc = L->sc;
    if (expect_map(L, m, "'preferences'") != 0)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        const ynode *an = m->kid[2 * k], *pm = m->kid[2 * k + 1];
        for (size_t j = 0; j < k; j++)
            if (strcmp(m->kid[2 * j]->text, an->text) == 0)
                return FAIL(an, "duplicate preferences for actor '%s'", an->text);
        long a = RESOLVE_ACTOR(an);
        if (a < 0)
            return -1;
        pl_actor *ac = &sc->actor[a];
        char what[160];
        snprintf(what, sizeof what, "the preferences of '%s'", ac->id);
        if (check_keys(L, pm, PREF_KEYS, what) != 0 || cite_push(L, pm, NULL) != 0)
            return -1;
        ac->has_pref = 1;
        if (ac->res_num < 0)
            return FAIL(an, "actor '%s' has preferences but no reservation value (add "
                            "'reservation' to the actor: the utility of no deal)", ac->id);
        const ynode *w = need(L, pm, "weights", what);
        if (!w || expect_map(L, w, "'weights'") != 0)
            return -1;
        for (size_t q = 0; q < w->n; q++) {
            const ynode *in = w->kid[2 * q];
            for (size_t j = 0; j < q; j++)
                if (strcmp(w->kid[2 * j]->text, in->text) == 0)
                    return FAIL(in, "duplicate key '%s' in 'weights'", in->text);
            long i = RESOLVE_ISSUE(in);
            if (i < 0)
                return -1;
            char path[200], wh[200];
            snprintf(path, sizeof path, "preferences.%s.weights.%s", ac->id, sc->issue[i].id);
            snprintf(wh, sizeof wh, "the weight of '%s' on '%s'", ac->id, sc->issue[i].id);
            if (parse_num(L, w->kid[2 * q + 1], path, wh, &R_NONNEG,
                          &L->w_num[(size_t)a * sc->n_issues + (size_t)i]) != 0)
                return -1;
        }
        const ynode *s = map_get(pm, "scores");
        if (s && parse_scores(L, s, (size_t)a) != 0)
            return -1;
        const ynode *v;
        if ((v = map_get(pm, "interactions"))) {
            if (expect_seq(L, v, "'interactions'") != 0)
                return -1;
            for (size_t q = 0; q < v->n; q++) {
                long idx;
                if (parse_inter(L, v->kid[q], a, 1, &idx) != 0)
                    return -1;
            }
        }
        if ((v = map_get(pm, "red_lines"))) {
            if (expect_seq(L, v, "'red_lines'") != 0)
                return -1;
            for (size_t q = 0; q < v->n; q++) {
                long idx;
                if (parse_rule(L, v->kid[q], a, 1, &idx) != 0)
                    return -1;
            }
        }
        /* Every weighted issue must be fully scored. */
        for (size_t i = 0; i < sc->n_issues; i++) {
            int wn = L->w_num[(size_t)a * sc->n_issues + i];
            if (wn < 0 || sc->num[wn].value == 0)
                continue;
            const pl_issue *is = &sc->issue[i];
            for (size_t o = 0; o < is->n_opt; o++)
                if (L->s_num[(size_t)a * sc->total_opts + is->opt_base + o] < 0)
                    return FAIL(an, "actor '%s' gives issue '%s' a weight but no score for "
                                    "option '%s'", ac->id, is->id, is->opt[o].id);
        }
        double sum = 0;
        for (size_t i = 0; i < sc->n_issues; i++) {
            int wn = L->w_num[(size_t)a * sc->n_issues + i];
            sum += wn < 0 ? 0 : sc->num[wn].value;
        }
        if (!(sum > 0))
            return FAIL(w, "the issue weights of actor '%s' are all zero", ac->id);
        cite_pop(L);
    }
    return 0;
}

static int parse_constraints(ld *L, const ynode *seq)
{
    if (expect_seq(L, seq, "'constraints'") != 0)
        return -1;
    for (size_t q = 0; q < seq->n; q++) {
        long idx;
        if (parse_rule(L, seq->kid[q], -1, 1, &idx) != 0)
            return -1;
    }
    return 0;
}

static const char *const PROP_KEYS[] = {"id", "name", "date", "author", "options", "evidence",
                                        "assume", "note", NULL};

static int parse_proposals(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    if (expect_seq(L, seq, "'proposals'") != 0)
        return -1;
    sc->prop = A(L, sizeof *sc->prop * (seq->n ? seq->n : 1));
    if (!sc->prop)
        return oom(L);
    for (size_t p = 0; p < seq->n; p++) {
        const ynode *m = seq->kid[p];
        pl_proposal *pr = &sc->prop[p];
        if (check_keys(L, m, PROP_KEYS, "a proposal") != 0)
            return -1;
        const ynode *id = need(L, m, "id", "a proposal");
        if (!id || get_id(L, id, "proposal id", &pr->id) != 0 ||
            check_unique(L, id, pr->id, "proposal", prop_name_at, NULL, p) != 0)
            return -1;
        sc->n_props = p + 1;
        char what[160];
        snprintf(what, sizeof what, "proposal '%s'", pr->id);
        const ynode *nm = need(L, m, "name", what);
        const ynode *op = need(L, m, "options", what);
        if (!nm || !op || get_str(L, nm, "'name'", &pr->name) != 0 ||
            expect_map(L, op, "'options'") != 0)
            return -1;
        const ynode *v;
        pr->date = pr->author = pr->note = "";
        if ((v = map_get(m, "date")) && get_date(L, v, "'date'", &pr->date))
            return -1;
        if ((v = map_get(m, "author"))) {
            long a = RESOLVE_ACTOR(v);
            if (a < 0)
                return -1;
            pr->author = sc->actor[a].id;
        }
        if ((v = map_get(m, "note")) && get_str(L, v, "'note'", &pr->note))
            return -1;
        if (parse_cite(L, m, &pr->cite) != 0)
            return -1;
        pr->opt = A(L, sizeof *pr->opt * sc->n_issues);
        if (!pr->opt)
            return oom(L);
        for (size_t i = 0; i < sc->n_issues; i++)
            pr->opt[i] = -1;
        for (size_t q = 0; q < op->n; q++) {
            const ynode *in = op->kid[2 * q];
            long i = RESOLVE_ISSUE(in);
            if (i < 0)
                return -1;
            if (pr->opt[i] >= 0)
                return FAIL(in, "issue '%s' appears twice in proposal '%s'", in->text, pr->id);
            long o = resolve_option(L, op->kid[2 * q + 1], (size_t)i);
            if (o < 0)
                return -1;
            pr->opt[i] = o;
        }
        if (op->n == 0)
            return FAIL(op, "proposal '%s' settles no issue", pr->id);
        pr->n_specified = (uint32_t)op->n;
        pr->line = m->line;
        pr->col = m->col;
    }
    return 0;
}

static const char *const EVENT_KEYS[] = {"id", "date", "title", "changes", "evidence",
                                         "assume", "note", NULL};

typedef struct op_spec {
    const char *name;
    pl_change_op op;
    const char *const keys[6]; /* besides 'op' and 'note' */
} op_spec;

static const op_spec OPS[] = {
    {"set_weight", CH_SET_WEIGHT, {"actor", "issue", "value", NULL}},
    {"set_score", CH_SET_SCORE, {"actor", "issue", "option", "value", NULL}},
    {"set_reservation", CH_SET_RESERVATION, {"actor", "value", NULL}},
    {"set_capability", CH_SET_CAPABILITY, {"actor", "value", NULL}},
    {"set_support", CH_SET_SUPPORT, {"actor", "value", NULL}},
    {"add_red_line", CH_ADD_RED_LINE, {"actor", "red_line", NULL}},
    {"drop_red_line", CH_DROP_RED_LINE, {"actor", "id", NULL}},
    {"add_interaction", CH_ADD_INTERACTION, {"actor", "interaction", NULL}},
    {"drop_interaction", CH_DROP_INTERACTION, {"actor", "id", NULL}},
    {"set_status_quo", CH_SET_STATUS_QUO, {"issue", "option", NULL}},
    {"withdraw_proposal", CH_WITHDRAW_PROPOSAL, {"proposal", NULL}},
};
#define N_OPS (sizeof OPS / sizeof OPS[0])

static int parse_change(ld *L, const ynode *m, pl_event *ev, pl_change *ch)
{
    pl_scenario *sc = L->sc;
    if (expect_map(L, m, "a change") != 0)
        return -1;
    const ynode *opn = need(L, m, "op", "a change");
    const char *name = "";
    if (!opn || get_str(L, opn, "'op'", &name) != 0)
        return -1;
    const op_spec *spec = NULL;
    const char *names[N_OPS];
    for (size_t k = 0; k < N_OPS; k++) {
        names[k] = OPS[k].name;
        if (strcmp(OPS[k].name, name) == 0)
            spec = &OPS[k];
    }
    if (!spec) {
        const char *s = pl__suggest(name, names, N_OPS);
        return FAIL(opn, "unknown change '%s'%s%s%s", name, s ? " (did you mean '" : "",
                    s ? s : "", s ? "'?)" : "");
    }
    const char *allowed[10];
    size_t na = 0;
    allowed[na++] = "op";
    allowed[na++] = "note";
    for (size_t k = 0; spec->keys[k]; k++)
        allowed[na++] = spec->keys[k];
    allowed[na] = NULL;
    char what[160];
    snprintf(what, sizeof what, "a '%s' change", spec->name);
    if (check_keys(L, m, allowed, what) != 0)
        return -1;
    for (size_t k = 0; spec->keys[k]; k++)
        if (!need(L, m, spec->keys[k], what))
            return -1;
    memset(ch, 0, sizeof *ch);
    ch->op = spec->op;
    ch->actor = ch->issue = ch->option = ch->proposal = ch->rule = ch->inter = -1;
    ch->num = -1;
    ch->line = m->line;
    ch->col = m->col;
    const ynode *v;
    if ((v = map_get(m, "actor")) && (ch->actor = RESOLVE_ACTOR(v)) < 0)
        return -1;
    if ((v = map_get(m, "issue")) && (ch->issue = RESOLVE_ISSUE(v)) < 0)
        return -1;
    if ((v = map_get(m, "option")) && (ch->option = resolve_option(L, v, (size_t)ch->issue)) < 0)
        return -1;
    if ((v = map_get(m, "proposal")) &&
        (ch->proposal = resolve(L, v, "proposal", sc->n_props, prop_name_at, NULL, "")) < 0)
        return -1;
    if ((v = map_get(m, "id")) && get_id(L, v, "id", &ch->id) != 0)
        return -1;
    if (ch->actor >= 0 && !sc->actor[ch->actor].has_pref &&
        (ch->op == CH_SET_WEIGHT || ch->op == CH_SET_SCORE || ch->op == CH_ADD_RED_LINE ||
         ch->op == CH_ADD_INTERACTION || ch->op == CH_DROP_RED_LINE ||
         ch->op == CH_DROP_INTERACTION))
        return FAIL(map_get(m, "actor"), "event '%s' changes the preferences of actor '%s', "
                                         "which has none", ev->id, sc->actor[ch->actor].id);
    if ((v = map_get(m, "value"))) {
        char path[200];
        const range *r = &R_ANY;
        if (ch->op == CH_SET_WEIGHT || ch->op == CH_SET_CAPABILITY)
            r = &R_NONNEG;
        else if (ch->op == CH_SET_SUPPORT)
            r = &R_UNIT;
        snprintf(path, sizeof path, "timeline.%s.%s", ev->id, spec->name);
        if (parse_num(L, v, path, "'value'", r, &ch->num) != 0)
            return -1;
    }
    if ((v = map_get(m, "red_line")) && parse_rule(L, v, ch->actor, 0, &ch->rule) != 0)
        return -1;
    if ((v = map_get(m, "interaction")) && parse_inter(L, v, ch->actor, 0, &ch->inter) != 0)
        return -1;
    return 0;
}

static int event_cmp(const void *pa, const void *pb)
{
    const pl_event *a = pa, *b = pb;
    int c = strcmp(a->date, b->date);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int parse_timeline(ld *L, const ynode *seq)
{
    pl_scenario *sc = L->sc;
    if (expect_seq(L, seq, "'timeline'") != 0)
        return -1;
    sc->event = A(L, sizeof *sc->event * (seq->n ? seq->n : 1));
    if (!sc->event)
        return oom(L);
    for (size_t e = 0; e < seq->n; e++) {
        const ynode *m = seq->kid[e];
        pl_event *ev = &sc->event[e];
        if (check_keys(L, m, EVENT_KEYS, "an event") != 0)
            return -1;
        const ynode *id = need(L, m, "id", "an event");
        if (!id || get_id(L, id, "event id", &ev->id) != 0)
            return -1;
        for (size_t j = 0; j < e; j++)
            if (strcmp(sc->event[j].id, ev->id) == 0)
                return FAIL(id, "duplicate event id '%s'", ev->id);
        char what[160];
        snprintf(what, sizeof what, "event '%s'", ev->id);
        const ynode *d = need(L, m, "date", what);
        const ynode *ti = need(L, m, "title", what);
        const ynode *chs = need(L, m, "changes", what);
        if (!d || !ti || !chs || get_date(L, d, "'date'", &ev->date) != 0 ||
            get_str(L, ti, "'title'", &ev->title) != 0 || expect_seq(L, chs, "'changes'") != 0)
            return -1;
        if (sc->date[0] && strcmp(ev->date, sc->date) < 0)
            return FAIL(d, "event '%s' is dated %s, before the scenario's base date %s (the "
                           "base model already includes it)", ev->id, ev->date, sc->date);
        if (cite_push(L, m, &ev->cite) != 0)
            return -1;
        ev->ch = A(L, sizeof *ev->ch * (chs->n ? chs->n : 1));
        if (!ev->ch)
            return oom(L);
        for (size_t c = 0; c < chs->n; c++)
            if (parse_change(L, chs->kid[c], ev, &ev->ch[c]) != 0)
                return -1;
        ev->n_ch = (uint32_t)chs->n;
        cite_pop(L);
        ev->ev_ids = A(L, sizeof *ev->ev_ids * (ev->cite.n_ev ? ev->cite.n_ev : 1));
        if (!ev->ev_ids)
            return oom(L);
        for (size_t k = 0; k < ev->cite.n_ev; k++)
            ev->ev_ids[k] = sc->ev[ev->cite.ev[k]].id;
        ev->order = (uint32_t)e;
        ev->line = m->line;
        ev->col = m->col;
        sc->n_events = e + 1;
    }
    qsort(sc->event, sc->n_events, sizeof *sc->event, event_cmp);
    return 0;
}

/* ---- top level --------------------------------------------------------- */

static const char *const TOP_KEYS[] = {"parley", "scenario", "evidence", "actors", "issues",
                                       "preferences", "constraints", "proposals", "timeline",
                                       NULL};

static int base_arrays(ld *L)
{
    pl_scenario *sc = L->sc;
    size_t A_ = sc->n_actors, I = sc->n_issues, O = sc->total_opts;
    L->w_num = A(L, sizeof(int) * A_ * I);
    L->s_num = A(L, sizeof(int) * A_ * O);
    L->res_num = A(L, sizeof(int) * A_);
    L->cap_num = A(L, sizeof(int) * A_);
    L->sup_num = A(L, sizeof(int) * A_);
    L->sq = A(L, sizeof(uint32_t) * I);
    if (!L->w_num || !L->s_num || !L->res_num || !L->cap_num || !L->sup_num || !L->sq)
        return oom(L);
    for (size_t k = 0; k < A_ * I; k++)
        L->w_num[k] = -1;
    for (size_t k = 0; k < A_ * O; k++)
        L->s_num[k] = -1;
    for (size_t a = 0; a < A_; a++)
        L->res_num[a] = L->cap_num[a] = L->sup_num[a] = -1;
    for (size_t i = 0; i < I; i++)
        L->sq[i] = sc->issue[i].sq;
    return 0;
}

static int build_states(ld *L)
{
    pl_scenario *sc = L->sc;
    if (model_state_init(sc, &sc->base, NULL) != 0 || model_state_init(sc, &sc->cur, NULL) != 0)
        return oom(L);
    pl_state *b = &sc->base;
    memcpy(b->w_num, L->w_num, sizeof(int) * sc->n_actors * sc->n_issues);
    memcpy(b->s_num, L->s_num, sizeof(int) * sc->n_actors * sc->total_opts);
    memcpy(b->res_num, L->res_num, sizeof(int) * sc->n_actors);
    memcpy(b->cap_num, L->cap_num, sizeof(int) * sc->n_actors);
    memcpy(b->sup_num, L->sup_num, sizeof(int) * sc->n_actors);
    memcpy(b->sq, L->sq, sizeof(uint32_t) * sc->n_issues);
    if (sc->n_rules)
        memcpy(b->rule_on, L->rule_base, sc->n_rules);
    if (sc->n_inters)
        memcpy(b->inter_on, L->inter_base, sc->n_inters);
    if (model_derive(sc, b, L->diag) != 0)
        return -1;
    /* Replay the timeline once so that every event is known to apply. */
    model_state_copy(sc, &sc->cur, b);
    for (size_t e = 0; e < sc->n_events; e++) {
        const pl_event *ev = &sc->event[e];
        for (size_t c = 0; c < ev->n_ch; c++)
            if (model_apply_change(sc, &sc->cur, &ev->ch[c], ev, L->diag) != 0) {
                fill_source_line(L, ev->ch[c].line);
                return -1;
            }
        pl_diag tmp;
        if (model_derive(sc, &sc->cur, &tmp) != 0)
            return fail_at(L, ev->line, ev->col, "after event '%s' (%s): %s", ev->id, ev->date,
                           tmp.message);
    }
    return model_select(sc, NULL, L->diag);
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int load(ld *L, const ynode *root)
{
    if (root->type != YN_MAP)
        return FAIL(root, "a scenario file must be a mapping at the top level, found %s",
                    kind_name(root));
    /* Core keys plus the lens sections this build knows. */
    const char *allowed[32];
    size_t na = 0;
    for (size_t k = 0; TOP_KEYS[k]; k++)
        allowed[na++] = TOP_KEYS[k];
    for (size_t k = 0; ld_sections[k].name && na < 31; k++)
        allowed[na++] = ld_sections[k].name;
    allowed[na] = NULL;
    if (check_keys(L, root, allowed, "the scenario file") != 0)
        return -1;
    const ynode *ver = need(L, root, "parley", "the scenario file");
    double v;
    if (!ver || get_double(L, ver, "'parley' (the format version)", &v) != 0)
        return -1;
    if (v != 1)
        return FAIL(ver, "unsupported format version %g: this parley reads version 1", v);
    const ynode *hd = need(L, root, "scenario", "the scenario file");
    if (!hd || parse_header(L, hd) != 0)
        return -1;
    const ynode *n;
    if ((n = map_get(root, "evidence")) && parse_evidence(L, n) != 0)
        return -1;
    const ynode *actors = need(L, root, "actors", "the scenario file");
    const ynode *issues = need(L, root, "issues", "the scenario file");
    if (!actors || !issues || parse_actors(L, actors) != 0)
        return -1;
    if (cite_push(L, issues, NULL) != 0)
        return -1;
    int rc = parse_issues(L, issues);
    cite_pop(L);
    if (rc != 0 || base_arrays(L) != 0 || parse_actor_numbers(L, actors) != 0)
        return -1;
    if ((n = map_get(root, "preferences")) && parse_preferences(L, n) != 0)
        return -1;
    if ((n = map_get(root, "constraints")) && parse_constraints(L, n) != 0)
        return -1;
    if ((n = map_get(root, "proposals")) && parse_proposals(L, n) != 0)
        return -1;
    if ((n = map_get(root, "timeline")) && parse_timeline(L, n) != 0)
        return -1;
    if (build_states(L) != 0)
        return -1;
    for (size_t i = 0; i < root->n; i++) {
        const ynode *key = root->kid[2 * i];
        for (size_t k = 0; ld_sections[k].name; k++) {
            if (strcmp(key->text, ld_sections[k].name) != 0)
                continue;
            if (!ld_sections[k].parse)
                return FAIL(key, "section '%s' is not supported by this version of parley (%s)",
                            key->text, PL_VERSION_STRING);
            if (ld_sections[k].parse(L, root->kid[2 * i + 1]) != 0)
                return -1;
        }
    }
    return 0;
}

/* Line and column (1-based, columns in characters) of byte offset off. */
static void pos_of(const char *buf, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* 0 when buf is NUL-free, valid UTF-8; 1 for a NUL, 2 for bad UTF-8, with
 * the offending offset. Checked before parsing: libfyaml 0.7.12 can loop
 * forever on invalid UTF-8 inside a directive. */
static int text_check(const char *buf, size_t len, size_t *where)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == 0) {
            *where = i;
            return 1;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07;
        } else {
            *where = i;
            return 2;
        }
        if (i + n > len) {
            *where = i;
            return 2;
        }
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                *where = i;
                return 2;
            }
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
            *where = i;
            return 2;
        }
        i += n;
    }
    return 0;
}

static void free_pools(pl_scenario *sc)
{
    for (size_t r = 0; r < sc->n_rules; r++)
        px_free(&sc->rule[r].ex);
    for (size_t k = 0; k < sc->n_inters; k++)
        px_free(&sc->inter[k].ex);
    pl__free(sc->rule);
    pl__free(sc->inter);
    pl__free(sc->num);
}

void pl_scenario_free(pl_scenario *sc)
{
    if (!sc)
        return;
    for (size_t k = 0; k < PL_EXT_MAX; k++)
        if (sc->ext[k] && sc->ext_free[k])
            sc->ext_free[k](sc->ext[k]);
    free_pools(sc);
    arena_free(&sc->arena);
    pl__free(sc);
}

pl_status pl_scenario_load_buffer(const char *name, const char *data, size_t len,
                                  pl_scenario **out, pl_diag *diag)
{
    if (!out || (!data && len)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_scenario_load_buffer: invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (!name)
        name = "<buffer>";
    if (len > PL_MAX_FILE_BYTES) {
        pl__diag_set(diag, PL_E_INPUT, name, 0, 0, "file is larger than %u MiB",
                     PL_MAX_FILE_BYTES >> 20);
        return PL_E_INPUT;
    }
    pl_scenario *sc = pl__calloc(1, sizeof *sc);
    if (!sc) {
        pl__diag_set(diag, PL_E_NOMEM, name, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_diag local;
    ld L;
    memset(&L, 0, sizeof L);
    L.sc = sc;
    L.diag = diag ? diag : &local;
    L.file = name;
    L.buf = data ? data : "";
    L.len = len;
    memset(L.diag, 0, sizeof *L.diag);
    sc->file = arena_strdup(&sc->arena, name);
    snprintf(sc->hash, sizeof sc->hash, "%016llx", (unsigned long long)fnv1a(L.buf, len));
    ynode *root = NULL;
    int rc = -1;
    size_t bad = 0;
    int bad_kind = 0;
    if (!sc->file)
        oom(&L);
    else if ((bad_kind = text_check(L.buf, len, &bad)) != 0) {
        int line, col;
        pos_of(L.buf, bad, &line, &col);
        fail_at(&L, line, col, bad_kind == 1 ? "the file contains a NUL byte; scenarios are "
                                               "UTF-8 text"
                                             : "the file is not valid UTF-8 here (byte 0x%02x)",
                (unsigned char)L.buf[bad]);
    } else if (yaml_parse(&sc->arena, name, L.buf, len, &root, L.diag) == 0) {
        rc = load(&L, root);
    } else if (L.diag->line > 0) {
        fill_source_line(&L, L.diag->line);
    }
    pl__free(L.rule_base);
    pl__free(L.inter_base);
    if (rc != 0) {
        pl_status st = L.diag->status == PL_OK ? PL_E_INTERNAL : L.diag->status;
        pl_scenario_free(sc);
        return st;
    }
    memset(L.diag, 0, sizeof *L.diag);
    *out = sc;
    return PL_OK;
}

pl_status pl_scenario_load_file(const char *path, pl_scenario **out, pl_diag *diag)
{
    if (!path || !out) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_scenario_load_file: invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        return PL_E_IO;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (pl__grow((void **)&buf, &cap, len + 65536, 1) != 0) {
            fclose(f);
            pl__free(buf);
            pl__diag_set(diag, PL_E_NOMEM, path, 0, 0, "out of memory");
            return PL_E_NOMEM;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len > PL_MAX_FILE_BYTES)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        pl__free(buf);
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        return PL_E_IO;
    }
    pl_status st = pl_scenario_load_buffer(path, buf, len, out, diag);
    pl__free(buf);
    return st;
}

/* ---- the toolkit for section parsers (load/ld.h) ----------------------- */

pl_scenario *ld_scenario(ld *L) { return L->sc; }
const char *ld_file(ld *L) { return L->file; }

int ld_fail(ld *L, const ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(L->diag, PL_E_INPUT, L->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
    if (n)
        fill_source_line(L, n->line);
    return -1;
}

int ld_oom(ld *L) { return oom(L); }
void *ld_alloc(ld *L, size_t n) { return A(L, n); }
ynode *ld_get(const ynode *m, const char *key) { return map_get(m, key); }
ynode *ld_need(ld *L, const ynode *m, const char *key, const char *what)
{
    return need(L, m, key, what);
}
int ld_expect_map(ld *L, const ynode *n, const char *what) { return expect_map(L, n, what); }
int ld_expect_seq(ld *L, const ynode *n, const char *what) { return expect_seq(L, n, what); }
int ld_check_keys(ld *L, const ynode *m, const char *const *allowed, const char *what)
{
    return check_keys(L, m, allowed, what);
}
int ld_str(ld *L, const ynode *n, const char *what, const char **out)
{
    return get_str(L, n, what, out);
}
int ld_id(ld *L, const ynode *n, const char *what, const char **out)
{
    return get_id(L, n, what, out);
}
int ld_bool(ld *L, const ynode *n, const char *what, int *out)
{
    return get_bool(L, n, what, out);
}
int ld_double(ld *L, const ynode *n, const char *what, double *out)
{
    return get_double(L, n, what, out);
}
int ld_date(ld *L, const ynode *n, const char *what, const char **out)
{
    return get_date(L, n, what, out);
}
long ld_actor(ld *L, const ynode *n) { return RESOLVE_ACTOR(n); }
long ld_issue(ld *L, const ynode *n) { return RESOLVE_ISSUE(n); }
long ld_option(ld *L, const ynode *n, size_t issue) { return resolve_option(L, n, issue); }
long ld_evidence(ld *L, const ynode *n)
{
    return resolve(L, n, "evidence id", L->sc->n_ev, ev_name_at, NULL, "");
}
int ld_cite(ld *L, const ynode *m, pl_cite *out) { return parse_cite(L, m, out); }
int ld_num(ld *L, const ynode *n, const char *path, const char *what, double lo, double hi,
           const char *desc, int *out)
{
    range r = {lo, hi, desc ? desc : "in range"};
    return parse_num(L, n, path, what, &r, out);
}
