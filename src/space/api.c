/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public face of the agreement space: zopa, pareto, solve, bridges and
 * the timeline, with their JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "space/space.h"
#include "util/json.h"
#include "util/util.h"

struct pl_space {
    const char *kind;      /* "zopa", "pareto", "solve" */
    const char *scope;     /* "zopa" or "feasible" */
    pl_objective by;
    int weighted;
    uint64_t count;
    int exact;
    size_t I, A;
    size_t n;
    long *pk;              /* n * I */
    double *u;             /* n * A; NAN for actors without preferences */
    double *score;         /* n */
    unsigned char *veto;   /* A: considered (veto) actors */
    double *res;           /* A: reservation values */
};

const char *pl_objective_string(pl_objective obj)
{
    switch (obj) {
    case PL_OBJ_NASH: return "nash";
    case PL_OBJ_KS: return "ks";
    case PL_OBJ_EGALITARIAN: return "egalitarian";
    case PL_OBJ_UTILITARIAN: return "utilitarian";
    case PL_OBJ_ACTOR: return "actor";
    }
    return "unknown";
}

void pl_space_options_init(pl_space_options *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 0;
    o->top_k = 10;
    o->by = PL_OBJ_NASH;
    o->by_actor = -1;
}

static pl_status nomem(pl_diag *d)
{
    pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

void pl_space_free(pl_space *s)
{
    if (!s)
        return;
    pl__free(s->pk);
    pl__free(s->u);
    pl__free(s->score);
    pl__free(s->veto);
    pl__free(s->res);
    pl__free(s);
}

static pl_space *space_new(const pl_scenario *sc, const char *kind, size_t n)
{
    pl_space *s = pl__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->kind = kind;
    s->scope = "zopa";
    s->I = sc->n_issues;
    s->A = sc->n_actors;
    s->n = n;
    s->pk = pl__malloc(sizeof *s->pk * (n * s->I + 1));
    s->u = pl__malloc(sizeof *s->u * (n * s->A + 1));
    s->score = pl__malloc(sizeof *s->score * (n + 1));
    s->veto = pl__calloc(s->A + 1, 1);
    s->res = pl__malloc(sizeof *s->res * (s->A + 1));
    if (!s->pk || !s->u || !s->score || !s->veto || !s->res) {
        pl_space_free(s);
        return NULL;
    }
    for (size_t a = 0; a < s->A; a++) {
        s->veto[a] = sc->actor[a].has_pref && sc->actor[a].veto;
        s->res[a] = sc->cur.res[a];
    }
    return s;
}

static void space_fill(pl_space *s, const pl_scenario *sc, size_t x, const sp_pkg *p)
{
    memcpy(s->pk + x * s->I, p->opt, sizeof *s->pk * s->I);
    for (size_t a = 0; a < s->A; a++)
        s->u[x * s->A + a] = sc->actor[a].has_pref ? model_utility(sc, a, p->opt) : NAN;
    s->score[x] = p->score;
}

static int check_args(const pl_scenario *sc, const pl_space_options *o, pl_diag *d)
{
    if (!sc || !o) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return -1;
    }
    size_t nv = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        nv += sc->actor[a].has_pref && sc->actor[a].veto;
    if (nv == 0) {
        pl__diag_set(d, PL_E_INPUT, sc->file, 0, 0,
                     "no actor with a veto has preferences: the agreement space needs at "
                     "least one (set 'veto: true' and give it preferences)");
        return -1;
    }
    if (o->by == PL_OBJ_ACTOR &&
        (o->by_actor < 0 || o->by_actor >= (long)sc->n_actors ||
         !sc->actor[o->by_actor].has_pref || !sc->actor[o->by_actor].veto)) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "ordering by an actor needs an actor with a veto "
                                               "and preferences");
        return -1;
    }
    return 0;
}

static int threads_of(const pl_space_options *o)
{
    return o->threads > 0 ? o->threads : 2;
}

/* Fill the objective arguments; KS needs each actor's ideal in the ZOPA. */
static int best_args(const sp_ctx *c, const pl_space_options *o, sp_best_args *a,
                     double *ideal, double *weight, pl_diag *d)
{
    memset(a, 0, sizeof *a);
    a->top_k = 1;
    switch (o->by) {
    case PL_OBJ_NASH: a->obj = o->weighted ? SP_NASH_WEIGHTED : SP_NASH; break;
    case PL_OBJ_KS: a->obj = SP_KS; break;
    case PL_OBJ_EGALITARIAN: a->obj = SP_EGALITARIAN; break;
    case PL_OBJ_UTILITARIAN: a->obj = SP_UTILITARIAN; break;
    case PL_OBJ_ACTOR: a->obj = SP_ACTOR; break;
    }
    if (a->obj == SP_ACTOR) {
        for (size_t k = 0; k < c->K; k++)
            if ((long)c->act[k] == o->by_actor)
                a->actor_k = k;
    }
    if (a->obj == SP_NASH_WEIGHTED) {
        double sum = 0;
        for (size_t k = 0; k < c->K; k++)
            sum += c->sc->cur.cap[c->act[k]];
        if (!(sum > 0)) {
            pl__diag_set(d, PL_E_INPUT, c->sc->file, 0, 0,
                         "weighted Nash needs a positive capability for the veto actors");
            return -1;
        }
        for (size_t k = 0; k < c->K; k++)
            weight[k] = c->sc->cur.cap[c->act[k]] / sum;
        a->weight = weight;
    }
    if (a->obj == SP_KS) {
        for (size_t k = 0; k < c->K; k++) {
            sp_best_args b;
            memset(&b, 0, sizeof b);
            b.obj = SP_ACTOR;
            b.actor_k = k;
            b.top_k = 1;
            sp_pkg *p;
            size_t n;
            if (sp_best(c, &b, &p, &n) != 0)
                return -2;
            ideal[k] = n ? p[0].u[k] : 0;
            sp_pkgs_free(p, n);
        }
        a->ideal = ideal;
    }
    return 0;
}

static pl_status run_best(const pl_scenario *sc, const pl_space_options *o, const char *kind,
                          size_t top_k, int ties, pl_space **out, pl_diag *d)
{
    *out = NULL;
    if (check_args(sc, o, d) != 0)
        return d ? d->status : PL_E_ARG;
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    if (sp_ctx_init(&c, sc, &spec) != 0)
        return nomem(d);
    sp_total tot;
    pl_status st = PL_OK;
    double *ideal = pl__malloc(sizeof *ideal * (c.K + 1));
    double *weight = pl__malloc(sizeof *weight * (c.K + 1));
    sp_pkg *pk = NULL;
    size_t n = 0;
    pl_space *s = NULL;
    if (!ideal || !weight || sp_count(&c, threads_of(o), 0, &tot, NULL) != 0) {
        st = nomem(d);
        goto done;
    }
    if (tot.n > 0 && top_k > 0) {
        sp_best_args a;
        int r = best_args(&c, o, &a, ideal, weight, d);
        if (r == -1) {
            st = d ? d->status : PL_E_INPUT;
            goto done;
        }
        if (r != 0) {
            st = nomem(d);
            goto done;
        }
        a.top_k = top_k;
        a.ties = ties;
        if (sp_best(&c, &a, &pk, &n) != 0) {
            st = nomem(d);
            goto done;
        }
    }
    s = space_new(sc, kind, n);
    if (!s) {
        st = nomem(d);
        goto done;
    }
    s->by = o->by;
    s->weighted = o->weighted;
    s->count = tot.n;
    s->exact = !tot.overflow;
    for (size_t x = 0; x < n; x++)
        space_fill(s, sc, x, &pk[x]);
    *out = s;
done:
    sp_pkgs_free(pk, n);
    pl__free(ideal);
    pl__free(weight);
    sp_ctx_free(&c);
    return st;
}

pl_status pl_zopa(const pl_scenario *sc, const pl_space_options *o, pl_space **out,
                  pl_diag *d)
{
    if (!out) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    return run_best(sc, o, "zopa", o ? o->top_k : 0, 0, out, d);
}

pl_status pl_solve(const pl_scenario *sc, const pl_space_options *o, pl_space **out,
                   pl_diag *d)
{
    if (!out) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    return run_best(sc, o, "solve", 1, 1, out, d);
}

pl_status pl_pareto(const pl_scenario *sc, const pl_space_options *o, pl_space **out,
                    pl_diag *d)
{
    if (!out) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (check_args(sc, o, d) != 0)
        return d ? d->status : PL_E_ARG;
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    if (sp_ctx_init(&c, sc, &spec) != 0)
        return nomem(d);
    sp_total one;
    if (sp_count(&c, 1, 1, &one, NULL) != 0) {
        sp_ctx_free(&c);
        return nomem(d);
    }
    const char *scope = "zopa";
    if (one.n == 0) {
        /* No agreement: show what the feasible space offers instead. */
        sp_ctx_free(&c);
        spec.red_lines = 0;
        spec.reservations = 0;
        if (sp_ctx_init(&c, sc, &spec) != 0)
            return nomem(d);
        scope = "feasible";
    }
    sp_pkg *pk = NULL;
    size_t n = 0;
    uint64_t total = 0;
    if (sp_pareto(&c, &pk, &n, &total) != 0) {
        sp_ctx_free(&c);
        return nomem(d);
    }
    pl_space *s = space_new(sc, "pareto", n);
    if (!s) {
        sp_pkgs_free(pk, n);
        sp_ctx_free(&c);
        return nomem(d);
    }
    s->scope = scope;
    s->by = PL_OBJ_UTILITARIAN;
    s->count = total;
    s->exact = total != UINT64_MAX;
    for (size_t x = 0; x < n; x++)
        space_fill(s, sc, x, &pk[x]);
    sp_pkgs_free(pk, n);
    sp_ctx_free(&c);
    *out = s;
    return PL_OK;
}

int pl_space_count(const pl_space *s, uint64_t *count)
{
    if (!s) {
        if (count)
            *count = 0;
        return 0;
    }
    if (count)
        *count = s->count;
    return s->exact;
}

const char *pl_space_scope(const pl_space *s)
{
    return s ? s->scope : "";
}

size_t pl_space_package_count(const pl_space *s)
{
    return s ? s->n : 0;
}

const long *pl_space_package(const pl_space *s, size_t k)
{
    return s && k < s->n ? s->pk + k * s->I : NULL;
}

double pl_space_utility(const pl_space *s, size_t k, size_t actor)
{
    if (!s || k >= s->n || actor >= s->A)
        return NAN;
    return s->u[k * s->A + actor];
}

double pl_space_score(const pl_space *s, size_t k)
{
    return s && k < s->n ? s->score[k] : NAN;
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *jpkg(pl_jb *J, const pl_scenario *sc, const long *pkg)
{
    json_t *o = pl__jb_chk(J, json_object());
    for (size_t i = 0; i < sc->n_issues; i++)
        if (pkg[i] >= 0)
            pl__jb_set(J, o, sc->issue[i].id, pl__jb_str(J, sc->issue[i].opt[pkg[i]].id));
    return o;
}

static json_t *jcount(pl_jb *J, uint64_t n, int exact)
{
    if (!exact || n > (uint64_t)INT64_MAX)
        return pl__jb_chk(J, json_null());
    return pl__jb_chk(J, json_integer((json_int_t)n));
}

static json_t *jscen(pl_jb *J, const pl_scenario *sc)
{
    json_t *o = pl__jb_chk(J, json_object());
    pl__jb_set(J, o, "id", pl__jb_str(J, sc->id));
    pl__jb_set(J, o, "hash", pl__jb_str(J, sc->hash));
    pl__jb_set(J, o, "as_of", sc->as_of[0] ? pl__jb_str(J, sc->as_of) : pl__jb_chk(J, json_null()));
    return o;
}

static pl_status finish(pl_jb *J, json_t *root, char **json, pl_diag *d)
{
    *json = NULL;
    if (!J->err)
        *json = pl__json_dump(root, 2);
    json_decref(root);
    if (!*json)
        return nomem(d);
    return PL_OK;
}

pl_status pl_space_to_json(const pl_scenario *sc, const pl_space *s, char **json, pl_diag *d)
{
    if (!sc || !s || !json) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    pl_jb J = {0};
    json_t *root = pl__jb_chk(&J, json_object());
    pl__jb_set(&J, root, "parley_version", pl__jb_str(&J, PL_VERSION_STRING));
    pl__jb_set(&J, root, "scenario", jscen(&J, sc));
    pl__jb_set(&J, root, "kind", pl__jb_str(&J, s->kind));
    pl__jb_set(&J, root, "scope", pl__jb_str(&J, s->scope));
    pl__jb_set(&J, root, "count", jcount(&J, s->count, s->exact));
    pl__jb_set(&J, root, "count_exact", pl__jb_chk(&J, json_boolean(s->exact)));
    pl__jb_set(&J, root, "by", pl__jb_str(&J, pl_objective_string(s->by)));
    pl__jb_set(&J, root, "weighted", pl__jb_chk(&J, json_boolean(s->weighted)));
    json_t *act = pl__jb_chk(&J, json_array());
    json_t *dis = pl__jb_chk(&J, json_object());
    for (size_t a = 0; a < s->A; a++)
        if (s->veto[a]) {
            pl__jb_push(&J, act, pl__jb_str(&J, sc->actor[a].id));
            pl__jb_set(&J, dis, sc->actor[a].id, pl__jb_real(&J, s->res[a]));
        }
    pl__jb_set(&J, root, "veto_actors", act);
    pl__jb_set(&J, root, "disagreement", dis);
    json_t *pk = pl__jb_chk(&J, json_array());
    for (size_t x = 0; x < s->n; x++) {
        json_t *p = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, p, "options", jpkg(&J, sc, s->pk + x * s->I));
        json_t *u = pl__jb_chk(&J, json_object()), *m = pl__jb_chk(&J, json_object());
        for (size_t a = 0; a < s->A; a++) {
            double v = s->u[x * s->A + a];
            if (isnan(v))
                continue;
            pl__jb_set(&J, u, sc->actor[a].id, pl__jb_real(&J, v));
            pl__jb_set(&J, m, sc->actor[a].id, pl__jb_real(&J, v - s->res[a]));
        }
        pl__jb_set(&J, p, "utility", u);
        pl__jb_set(&J, p, "margin", m);
        pl__jb_set(&J, p, "score", pl__jb_real(&J, s->score[x]));
        pl__jb_push(&J, pk, p);
    }
    pl__jb_set(&J, root, "packages", pk);
    return finish(&J, root, json, d);
}

/* ---- bridges ------------------------------------------------------------ */

typedef struct bridge {
    pl_bridge_info info;
    long *pkg;
    char *text;
    uint64_t count;    /* ZOPA size after the change (red lines) */
    int counted;       /* count is exact (else only known to be > 0) */
} bridge;

struct pl_bridges {
    bridge *b;
    size_t n, cap;
    uint64_t zopa;
    int zopa_exact;    /* 0: quick mode, zopa is only known to be 0 or > 0 */
    size_t I;
};

void pl_bridges_free(pl_bridges *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < b->n; k++) {
        pl__free(b->b[k].pkg);
        pl__free(b->b[k].text);
    }
    pl__free(b->b);
    pl__free(b);
}

size_t pl_bridges_count(const pl_bridges *b)
{
    return b ? b->n : 0;
}

const pl_bridge_info *pl_bridges_get(const pl_bridges *b, size_t k)
{
    return b && k < b->n ? &b->b[k].info : NULL;
}

uint64_t pl_bridges_zopa_count(const pl_bridges *b)
{
    return b ? b->zopa : 0;
}

static int bridge_add(pl_bridges *B, const pl_bridge_info *info, const long *pkg, pl_buf *text,
                      size_t I)
{
    if (pl__grow((void **)&B->b, &B->cap, B->n + 1, sizeof *B->b) != 0)
        return -1;
    bridge *x = &B->b[B->n];
    memset(x, 0, sizeof *x);
    x->info = *info;
    x->pkg = pl__malloc(sizeof *x->pkg * (I + 1));
    x->text = pl_buf_take(text);
    if (!x->pkg || !x->text) {
        pl__free(x->pkg);
        pl__free(x->text);
        return -1;
    }
    memcpy(x->pkg, pkg, sizeof *pkg * I);
    x->info.package = x->pkg;
    x->info.explanation = x->text;
    B->n++;
    return 0;
}

/* Margins of every veto actor at pkg, as "ua +4.0, ru +1.2". */
static void margins_text(const pl_scenario *sc, const long *pkg, pl_buf *b, long skip)
{
    int first = 1;
    for (size_t a = 0; a < sc->n_actors; a++) {
        if (!sc->actor[a].has_pref || !sc->actor[a].veto || (long)a == skip)
            continue;
        double m = model_utility(sc, a, pkg) - sc->cur.res[a];
        pl_buf_printf(b, "%s%s %+.1f", first ? "" : ", ", sc->actor[a].id, m);
        first = 0;
    }
}

/* The issues an expression tests, with the package's options there. */
static void tested_text(const pl_scenario *sc, const px_expr *ex, const long *pkg, pl_buf *b)
{
    unsigned char used[PL_MAX_ISSUES];
    memset(used, 0, sc->n_issues);
    px_issues_used(ex, used);
    int first = 1;
    for (size_t i = 0; i < sc->n_issues; i++)
        if (used[i]) {
            pl_buf_printf(b, "%s%s: %s", first ? "" : "; ", sc->issue[i].id,
                          sc->issue[i].opt[pkg[i]].label);
            first = 0;
        }
}

static int exists(const pl_scenario *sc, const sp_spec *spec, long *witness, int *found)
{
    sp_ctx c;
    if (sp_ctx_init(&c, sc, spec) != 0)
        return -1;
    sp_total t;
    int rc = sp_count(&c, 1, 1, &t, witness);
    sp_ctx_free(&c);
    *found = t.n > 0;
    return rc;
}

/* Best package for objective a under spec; *found 0 when none. */
static int best_under(const pl_scenario *sc, const sp_spec *spec, sp_objective obj,
                      long actor, long *pkg, int *found)
{
    sp_ctx c;
    if (sp_ctx_init(&c, sc, spec) != 0)
        return -1;
    sp_best_args a;
    memset(&a, 0, sizeof a);
    a.obj = obj;
    a.top_k = 1;
    for (size_t k = 0; k < c.K; k++)
        if ((long)c.act[k] == actor)
            a.actor_k = k;
    sp_pkg *p = NULL;
    size_t n = 0;
    int rc = sp_best(&c, &a, &p, &n);
    *found = n > 0;
    if (n)
        memcpy(pkg, p[0].opt, sizeof *pkg * sc->n_issues);
    sp_pkgs_free(p, n);
    sp_ctx_free(&c);
    return rc;
}

/* An actor's value of one unit of a transferable issue's attribute: its
 * weighted score change between the options with the smallest and largest
 * attribute value, per unit. */
static int unit_value(const pl_scenario *sc, size_t a, size_t i, double *v)
{
    const pl_issue *is = &sc->issue[i];
    long ai = -1;
    for (size_t q = 0; q < is->opt[0].n_attrs; q++)
        if (strcmp(is->opt[0].attr_name[q], is->transfer_attr) == 0)
            ai = (long)q;
    if (ai < 0)
        return -1;
    size_t lo = 0, hi = 0;
    double xlo = INFINITY, xhi = -INFINITY;
    for (size_t o = 0; o < is->n_opt; o++) {
        double x = NAN;
        for (size_t q = 0; q < is->opt[o].n_attrs; q++)
            if (strcmp(is->opt[o].attr_name[q], is->transfer_attr) == 0)
                x = is->opt[o].attr_value[q];
        if (x < xlo) {
            xlo = x;
            lo = o;
        }
        if (x > xhi) {
            xhi = x;
            hi = o;
        }
    }
    if (!(xhi > xlo))
        return -1;
    *v = (model_ws(sc, a, i, hi) - model_ws(sc, a, i, lo)) / (xhi - xlo);
    return 0;
}

enum { BR_RESERVATION = 1, BR_RED_LINE = 2, BR_PAYMENT = 4, BR_WEIGHT = 8, BR_ALL = 15 };

static pl_status bridges_find(const pl_scenario *sc, const pl_space_options *o, unsigned kinds,
                              pl_bridges **out, pl_diag *d);

pl_status pl_bridges_find(const pl_scenario *sc, const pl_space_options *o, pl_bridges **out,
                          pl_diag *d)
{
    return bridges_find(sc, o, BR_ALL, out, d);
}

/* short_by[] below is NAN for actors without a reservation bridge. */

static pl_status bridges_find(const pl_scenario *sc, const pl_space_options *o, unsigned kinds,
                              pl_bridges **out, pl_diag *d)
{
    if (!out) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (check_args(sc, o, d) != 0)
        return d ? d->status : PL_E_ARG;
    size_t I = sc->n_issues, A = sc->n_actors;
    pl_bridges *B = pl__calloc(1, sizeof *B);
    long *pkg = pl__malloc(sizeof *pkg * (I + 1));
    long *resv_pkg = pl__malloc(sizeof *resv_pkg * (A * I + 1));
    double *short_by = pl__malloc(sizeof *short_by * (A + 1));
    if (!B || !pkg || !resv_pkg || !short_by)
        goto oom;
    B->I = I;
    sp_spec spec;
    sp_spec_default(&spec);
    {
        sp_ctx c;
        if (sp_ctx_init(&c, sc, &spec) != 0)
            goto oom;
        sp_total t;
        int rc = sp_count(&c, threads_of(o), o->quick_bridges, &t, NULL);
        sp_ctx_free(&c);
        if (rc != 0)
            goto oom;
        B->zopa = t.n;
        B->zopa_exact = !o->quick_bridges || t.n == 0;
        if (t.n > 0) {
            pl__free(pkg);
            pl__free(resv_pkg);
            pl__free(short_by);
            *out = B;
            return PL_OK;
        }
    }
    pl_buf tb;
    pl_buf_init(&tb);

    /* 1. Reservation values: the best package for each veto actor among those
     * every other veto actor accepts. */
    for (size_t a = 0; a < A; a++) {
        short_by[a] = NAN;
        if (!sc->actor[a].has_pref || !sc->actor[a].veto ||
            !(kinds & (BR_RESERVATION | BR_PAYMENT)))
            continue;
        sp_spec s = spec;
        s.relax_actor = (long)a;
        int found;
        if (best_under(sc, &s, SP_ACTOR, (long)a, pkg, &found) != 0)
            goto oom;
        if (!found)
            continue;
        double u = model_utility(sc, a, pkg);
        double drop = sc->cur.res[a] - u;
        short_by[a] = drop;
        memcpy(resv_pkg + a * I, pkg, sizeof *pkg * I);
        if (!(kinds & BR_RESERVATION))
            continue;
        pl_bridge_info in = {0};
        in.kind = PL_BRIDGE_RESERVATION;
        in.actor = a;
        in.red_line = "";
        in.issue = -1;
        in.amount = drop;
        in.relative = drop / 100.0;
        in.payer = -1;
        pl_buf_printf(&tb, "If %s lowered its reservation value by %.1f points (from %.1f to "
                           "%.1f), the package below would be acceptable to every veto actor; "
                           "margins then: ", sc->actor[a].name, drop, sc->cur.res[a], u);
        margins_text(sc, pkg, &tb, -1);
        if (bridge_add(B, &in, pkg, &tb, I) != 0)
            goto oom;
    }

    /* 2. One red line at a time. */
    for (size_t a = 0; a < A && (kinds & BR_RED_LINE); a++) {
        if (!sc->actor[a].has_pref || !sc->actor[a].veto)
            continue;
        for (size_t q = 0; q < sc->cur.n_red[a]; q++) {
            uint32_t ri = sc->cur.red[a][q];
            const pl_rule *r = &sc->rule[ri];
            sp_spec s = spec;
            s.drop_rule = (long)ri;
            sp_ctx c;
            if (sp_ctx_init(&c, sc, &s) != 0)
                goto oom;
            sp_total t;
            int rc = sp_count(&c, threads_of(o), o->quick_bridges, &t, NULL);
            sp_ctx_free(&c);
            if (rc != 0)
                goto oom;
            if (t.n == 0)
                continue;
            int found;
            if (best_under(sc, &s, SP_NASH, -1, pkg, &found) != 0 ||
                !found)
                goto oom;
            pl_bridge_info in = {0};
            in.kind = PL_BRIDGE_RED_LINE;
            in.actor = a;
            in.red_line = r->id;
            in.issue = -1;
            in.amount = 1;
            /* Uncounted zones all rank alike (the sort is stable: file order). */
            in.relative = o->quick_bridges ? 1.0 : 1.0 / (double)(t.n ? t.n : 1);
            in.payer = -1;
            if (o->quick_bridges)
                pl_buf_printf(&tb, "If %s dropped its red line '%s'%s%s%s, packages acceptable "
                                   "to every veto actor would exist (not counted); the Nash "
                                   "package has ",
                              sc->actor[a].name, r->id, r->text[0] ? " (" : "", r->text,
                              r->text[0] ? ")" : "");
            else
                pl_buf_printf(&tb, "If %s dropped its red line '%s'%s%s%s, %llu package%s would "
                                   "be acceptable to every veto actor; the Nash package has ",
                              sc->actor[a].name, r->id, r->text[0] ? " (" : "", r->text,
                              r->text[0] ? ")" : "", (unsigned long long)t.n,
                              t.n == 1 ? "" : "s");
            tested_text(sc, &r->ex, pkg, &tb);
            pl_buf_puts(&tb, "; margins then: ");
            margins_text(sc, pkg, &tb, -1);
            if (bridge_add(B, &in, pkg, &tb, I) != 0)
                goto oom;
            B->b[B->n - 1].count = t.n;
            B->b[B->n - 1].counted = !o->quick_bridges;
        }
    }

    /* 3. Side payments on transferable issues, closing the gap found in 1. */
    for (size_t i = 0; i < I && (kinds & BR_PAYMENT); i++) {
        if (!sc->issue[i].transfer_attr)
            continue;
        for (size_t a = 0; a < A; a++) {
            double va;
            if (isnan(short_by[a]) || short_by[a] <= 0 || unit_value(sc, a, i, &va) != 0 ||
                !(va > 0))
                continue;
            const long *p = resv_pkg + a * I;
            double units = short_by[a] / va;
            long payer = -1;
            double cost = 0;
            for (size_t b = 0; b < A; b++) {
                double vb;
                if (b == a || !sc->actor[b].has_pref || unit_value(sc, b, i, &vb) != 0 ||
                    !(vb < 0))
                    continue;
                double cb = units * -vb;
                double mb = model_utility(sc, b, p) - sc->cur.res[b];
                int can = !sc->actor[b].veto || mb >= cb;
                if (can && (payer < 0 || cb < cost)) {
                    payer = (long)b;
                    cost = cb;
                }
            }
            pl_bridge_info in = {0};
            in.kind = PL_BRIDGE_SIDE_PAYMENT;
            in.actor = a;
            in.red_line = "";
            in.issue = (long)i;
            in.amount = units;
            in.relative = short_by[a] / 100.0;
            in.payer = payer;
            in.payer_cost = cost;
            pl_buf_printf(&tb, "%s falls %.1f points short at the package below; %.3g more %s "
                               "on '%s' (at %.3g of its points per unit) would close the gap",
                          sc->actor[a].name, short_by[a], units, sc->issue[i].transfer_attr,
                          sc->issue[i].id, va);
            if (payer >= 0)
                pl_buf_printf(&tb, ", paid by %s at a cost of %.1f of its points",
                              sc->actor[payer].name, cost);
            else
                pl_buf_puts(&tb, "; no actor that values this issue negatively can pay it "
                                 "without losing its own acceptance");
            if (bridge_add(B, &in, p, &tb, I) != 0)
                goto oom;
        }
    }

    /* 4. One issue weight: the set of changes that open the ZOPA is a ray
     * (see docs/space.md), so its end is found by bisection. */
    for (size_t a = 0; a < A && (kinds & BR_WEIGHT); a++) {
        /* A weight moves only a's own utility, so it can help only where
         * relaxing a's reservation alone already opens the ZOPA (step 1). */
        if (!sc->actor[a].has_pref || !sc->actor[a].veto || isnan(short_by[a]))
            continue;
        double sum = 0;
        for (size_t i = 0; i < I; i++) {
            int wn = sc->cur.w_num[a * I + i];
            sum += wn < 0 ? 0 : sc->num[wn].value;
        }
        for (size_t i = 0; i < I; i++) {
            int wn = sc->cur.w_num[a * I + i];
            double raw = wn < 0 ? 0 : sc->num[wn].value;
            for (int dir = 1; dir >= -1; dir -= 2) {
                double far = dir > 0 ? 20 * sum : -raw;
                if (far == 0 || (dir < 0 && raw >= sum))
                    continue;
                if (dir > 0) {
                    /* scores must exist for a weight to be raised */
                    int ok = 1;
                    for (size_t q = 0; q < sc->issue[i].n_opt; q++)
                        ok &= sc->cur.s_num[a * sc->total_opts + sc->issue[i].opt_base + q] >= 0;
                    if (!ok)
                        continue;
                }
                sp_spec s = spec;
                s.weight_actor = (long)a;
                s.actor_weight_issue = (long)i;
                s.weight_delta = far;
                int found;
                if (exists(sc, &s, pkg, &found) != 0)
                    goto oom;
                if (!found)
                    continue;
                double lo = 0, hi = far;
                for (int it = 0; it < 50; it++) {
                    double mid = 0.5 * (lo + hi);
                    s.weight_delta = mid;
                    if (exists(sc, &s, NULL, &found) != 0)
                        goto oom;
                    if (found)
                        hi = mid;
                    else
                        lo = mid;
                    if (fabs(hi - lo) <= 1e-9 * (1 + fabs(hi)))
                        break;
                }
                s.weight_delta = hi;
                if (exists(sc, &s, pkg, &found) != 0 || !found)
                    goto oom;
                pl_bridge_info in = {0};
                in.kind = PL_BRIDGE_WEIGHT;
                in.actor = a;
                in.red_line = "";
                in.issue = (long)i;
                in.amount = hi;
                in.relative = fabs(hi) / sum;
                in.payer = -1;
                /* The actor's own margin under its new weights. */
                double unew = NAN;
                {
                    sp_ctx c;
                    if (sp_ctx_init(&c, sc, &s) != 0)
                        goto oom;
                    for (size_t k = 0; k < c.K; k++)
                        if (c.act[k] == a)
                            unew = sp_utility(&c, k, pkg);
                    sp_ctx_free(&c);
                }
                pl_buf_printf(&tb, "If %s %s the weight it puts on '%s' from %.3g to %.3g "
                                   "(%.1f%% to %.1f%% of its total), the package below would be "
                                   "acceptable to every veto actor: its margin would be %+.1f; "
                                   "the others' margins: ", sc->actor[a].name,
                              hi > 0 ? "raised" : "lowered", sc->issue[i].id, raw, raw + hi,
                              100 * raw / sum, 100 * (raw + hi) / (sum + hi),
                              unew - sc->cur.res[a]);
                margins_text(sc, pkg, &tb, (long)a);
                if (bridge_add(B, &in, pkg, &tb, I) != 0)
                    goto oom;
            }
        }
    }
    pl_buf_free(&tb);

    /* Rank: by kind as the analyst reads them, then by relative size. */
    for (size_t x = 1; x < B->n; x++) {
        bridge t = B->b[x];
        size_t y = x;
        while (y > 0) {
            const bridge *p = &B->b[y - 1];
            int before = t.info.kind != p->info.kind ? t.info.kind < p->info.kind
                                                     : t.info.relative < p->info.relative;
            if (!before)
                break;
            B->b[y] = *p;
            y--;
        }
        B->b[y] = t;
    }
    pl__free(pkg);
    pl__free(resv_pkg);
    pl__free(short_by);
    *out = B;
    return PL_OK;
oom:
    pl_bridges_free(B);
    pl__free(pkg);
    pl__free(resv_pkg);
    pl__free(short_by);
    return nomem(d);
}

static const char *bridge_kind_string(pl_bridge_kind k)
{
    switch (k) {
    case PL_BRIDGE_RESERVATION: return "reservation";
    case PL_BRIDGE_RED_LINE: return "red_line";
    case PL_BRIDGE_SIDE_PAYMENT: return "side_payment";
    case PL_BRIDGE_WEIGHT: return "weight";
    }
    return "unknown";
}

pl_status pl_bridges_to_json(const pl_scenario *sc, const pl_bridges *b, char **json,
                             pl_diag *d)
{
    if (!sc || !b || !json) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    pl_jb J = {0};
    json_t *root = pl__jb_chk(&J, json_object());
    pl__jb_set(&J, root, "parley_version", pl__jb_str(&J, PL_VERSION_STRING));
    pl__jb_set(&J, root, "scenario", jscen(&J, sc));
    pl__jb_set(&J, root, "zopa_count", jcount(&J, b->zopa, b->zopa_exact));
    json_t *arr = pl__jb_chk(&J, json_array());
    for (size_t k = 0; k < b->n; k++) {
        const bridge *x = &b->b[k];
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "kind", pl__jb_str(&J, bridge_kind_string(x->info.kind)));
        pl__jb_set(&J, o, "actor", pl__jb_str(&J, sc->actor[x->info.actor].id));
        pl__jb_set(&J, o, "red_line", x->info.red_line[0] ? pl__jb_str(&J, x->info.red_line)
                                                   : pl__jb_chk(&J, json_null()));
        pl__jb_set(&J, o, "issue", x->info.issue >= 0 ? pl__jb_str(&J, sc->issue[x->info.issue].id)
                                               : pl__jb_chk(&J, json_null()));
        pl__jb_set(&J, o, "amount", pl__jb_real(&J, x->info.amount));
        pl__jb_set(&J, o, "payer", x->info.payer >= 0 ? pl__jb_str(&J, sc->actor[x->info.payer].id)
                                               : pl__jb_chk(&J, json_null()));
        if (x->info.kind == PL_BRIDGE_SIDE_PAYMENT)
            pl__jb_set(&J, o, "payer_cost", pl__jb_real(&J, x->info.payer_cost));
        if (x->info.kind == PL_BRIDGE_RED_LINE)
            pl__jb_set(&J, o, "zopa_count", jcount(&J, x->count, x->counted));
        pl__jb_set(&J, o, "package", jpkg(&J, sc, x->pkg));
        json_t *m = pl__jb_chk(&J, json_object());
        for (size_t a = 0; a < sc->n_actors; a++)
            if (sc->actor[a].has_pref)
                pl__jb_set(&J, m, sc->actor[a].id,
                    pl__jb_real(&J, model_utility(sc, a, x->pkg) - sc->cur.res[a]));
        pl__jb_set(&J, o, "margins", m);
        pl__jb_set(&J, o, "explanation", pl__jb_str(&J, x->text));
        pl__jb_push(&J, arr, o);
    }
    pl__jb_set(&J, root, "bridges", arr);
    return finish(&J, root, json, d);
}

/* ---- timeline ----------------------------------------------------------- */

pl_status pl_timeline_json(pl_scenario *sc, const pl_space_options *o, char **json, pl_diag *d)
{
    if (!sc || !o || !json) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *json = NULL;
    if (check_args(sc, o, d) != 0)
        return d ? d->status : PL_E_ARG;
    char saved[11];
    snprintf(saved, sizeof saved, "%s", sc->as_of);
    pl_jb J = {0};
    json_t *root = pl__jb_chk(&J, json_object());
    pl__jb_set(&J, root, "parley_version", pl__jb_str(&J, PL_VERSION_STRING));
    json_t *steps = pl__jb_chk(&J, json_array());
    pl_status st = PL_OK;
    /* The base model, then each distinct event date. */
    size_t ne = sc->n_events;
    for (size_t e = 0; e <= ne && st == PL_OK; e++) {
        const char *date;
        const char *label;
        if (e == 0) {
            date = NULL;
            label = "base";
        } else {
            if (e < ne && strcmp(sc->event[e - 1].date, sc->event[e].date) == 0)
                continue; /* the last event of a date stands for the date */
            date = sc->event[e - 1].date;
            label = sc->event[e - 1].id;
        }
        /* The base model is the state before the first event. */
        if (e == 0) {
            model_state_copy(sc, &sc->cur, &sc->base);
            sc->cur.n_applied = 0;
            if (model_derive(sc, &sc->cur, d) != 0) {
                st = PL_E_INPUT;
                break;
            }
            sc->as_of[0] = '\0';
        } else if (model_select(sc, date, d) != 0) {
            st = PL_E_INPUT;
            break;
        }
        pl_space *s = NULL;
        pl_space_options so = *o;
        so.by = PL_OBJ_NASH;
        so.top_k = 1;
        st = pl_zopa(sc, &so, &s, d);
        if (st != PL_OK)
            break;
        json_t *row = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, row, "date", date ? pl__jb_str(&J, date) : (sc->date[0] ? pl__jb_str(&J, sc->date)
                                                                  : pl__jb_chk(&J, json_null())));
        pl__jb_set(&J, row, "event", pl__jb_str(&J, label));
        if (e > 0) {
            json_t *evs = pl__jb_chk(&J, json_array());
            for (size_t q = 0; q < ne; q++)
                if (strcmp(sc->event[q].date, date) == 0)
                    pl__jb_push(&J, evs, pl__jb_str(&J, sc->event[q].title));
            pl__jb_set(&J, row, "titles", evs);
        }
        pl__jb_set(&J, row, "count", jcount(&J, s->count, s->exact));
        const char *binding = NULL;
        if (s->n > 0) {
            pl__jb_set(&J, row, "nash", jpkg(&J, sc, s->pk));
            double best = INFINITY;
            for (size_t a = 0; a < sc->n_actors; a++) {
                if (!s->veto[a])
                    continue;
                double m = s->u[a] - s->res[a];
                if (m < best) {
                    best = m;
                    binding = sc->actor[a].id;
                }
            }
            pl__jb_set(&J, row, "binding_reason", pl__jb_str(&J, "smallest margin at the Nash package"));
        } else {
            pl__jb_set(&J, row, "nash", pl__jb_chk(&J, json_null()));
            pl_bridges *B = NULL;
            st = bridges_find(sc, o, BR_RESERVATION, &B, d);
            if (st != PL_OK) {
                pl_space_free(s);
                break;
            }
            double best = INFINITY;
            for (size_t k = 0; k < B->n; k++)
                if (B->b[k].info.kind == PL_BRIDGE_RESERVATION && B->b[k].info.amount < best) {
                    best = B->b[k].info.amount;
                    binding = sc->actor[B->b[k].info.actor].id;
                }
            pl_bridges_free(B);
            json_t *rls = pl__jb_chk(&J, json_array());
            if (!binding) {
                /* Red lines close the ZOPA whatever the reservations: name
                 * each one whose removal alone would open it. */
                sp_spec spec;
                sp_spec_default(&spec);
                for (size_t a = 0; a < sc->n_actors; a++) {
                    if (!sc->actor[a].has_pref || !sc->actor[a].veto)
                        continue;
                    for (size_t q = 0; q < sc->cur.n_red[a]; q++) {
                        sp_spec sx = spec;
                        sx.drop_rule = (long)sc->cur.red[a][q];
                        int found;
                        if (exists(sc, &sx, NULL, &found) != 0) {
                            st = nomem(d);
                            break;
                        }
                        if (!found)
                            continue;
                        char buf[160];
                        snprintf(buf, sizeof buf, "%s:%s", sc->actor[a].id,
                                 sc->rule[sc->cur.red[a][q]].id);
                        pl__jb_push(&J, rls, pl__jb_str(&J, buf));
                        if (!binding)
                            binding = sc->actor[a].id;
                    }
                }
            }
            pl__jb_set(&J, row, "binding_red_lines", rls);
            pl__jb_set(&J, row, "binding_reason",
                pl__jb_str(&J, json_array_size(rls) ? "red lines close the ZOPA; dropping any one of "
                                                "binding_red_lines alone would open it"
                         : binding ? "smallest reservation drop that opens the ZOPA"
                                   : "no single reservation drop or red line opens the ZOPA"));
        }
        pl__jb_set(&J, row, "binding", binding ? pl__jb_str(&J, binding) : pl__jb_chk(&J, json_null()));
        pl__jb_push(&J, steps, row);
        pl_space_free(s);
        if (st != PL_OK)
            break;
    }
    pl__jb_set(&J, root, "steps", steps);
    pl_diag tmp;
    model_select(sc, saved[0] ? saved : NULL, &tmp);
    pl__jb_set(&J, root, "scenario", jscen(&J, sc));
    if (st != PL_OK) {
        json_decref(root);
        return st;
    }
    return finish(&J, root, json, d);
}
