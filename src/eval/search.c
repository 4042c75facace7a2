/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eval/search.h"

#include <math.h>
#include <string.h>

#include "util/util.h"

typedef struct srch {
    const pl_scenario *sc;
    size_t a;
    int sign;
    long *pkg;
    size_t *open;
    size_t n_open;
    double *rest;      /* rest[d]: best possible signed gain from open[d..] */
    uint8_t **order;   /* per depth: options in decreasing signed value */
    int found;
    double best;       /* signed */
    long *best_pkg;
} srch;

static int rule_broken(const pl_rule *r, int val)
{
    return r->kind == PL_RULE_REQUIRE ? val == 0 : val == 1;
}

int model_feasible(const pl_scenario *sc, const long *pkg, long *broken)
{
    for (size_t k = 0; k < sc->cur.n_cons; k++) {
        const pl_rule *r = &sc->rule[sc->cur.cons[k]];
        if (rule_broken(r, px_eval3(&r->ex, pkg, sc->n_opts))) {
            if (broken)
                *broken = (long)sc->cur.cons[k];
            return 0;
        }
    }
    return 1;
}

static double inter_bound(const srch *S)
{
    const pl_scenario *sc = S->sc;
    double b = 0;
    for (size_t k = 0; k < sc->cur.n_inter[S->a]; k++) {
        const pl_inter *in = &sc->inter[sc->cur.inter[S->a][k]];
        double bonus = S->sign * sc->num[in->bonus_num].value;
        int v = px_eval3(&in->ex, S->pkg, sc->n_opts);
        if (v == 1 || (v == -1 && bonus > 0))
            b += bonus;
    }
    return b;
}

static void dfs(srch *S, size_t d, double fixed)
{
    const pl_scenario *sc = S->sc;
    /* A constraint already broken by the fixed issues prunes the subtree. */
    if (!model_feasible(sc, S->pkg, NULL))
        return;
    if (d == S->n_open) {
        double u = S->sign * model_utility(sc, S->a, S->pkg);
        if (!S->found || u > S->best) {
            S->found = 1;
            S->best = u;
            memcpy(S->best_pkg, S->pkg, sizeof *S->pkg * sc->n_issues);
        }
        return;
    }
    if (S->found && fixed + S->rest[d] + inter_bound(S) <= S->best)
        return;
    size_t i = S->open[d];
    const pl_issue *is = &sc->issue[i];
    for (size_t k = 0; k < is->n_opt; k++) {
        size_t o = S->order[d][k];
        S->pkg[i] = (long)o;
        dfs(S, d + 1, fixed + S->sign * model_ws(sc, S->a, i, o));
    }
    S->pkg[i] = -1;
}

int search_extreme(const pl_scenario *sc, size_t a, const long *pkg, int sign, double *u,
                   long *out)
{
    size_t I = sc->n_issues;
    srch S;
    memset(&S, 0, sizeof S);
    S.sc = sc;
    S.a = a;
    S.sign = sign;
    S.pkg = pl__malloc(sizeof *S.pkg * I);
    S.open = pl__malloc(sizeof *S.open * I);
    S.rest = pl__malloc(sizeof *S.rest * (I + 1));
    S.order = pl__calloc(I, sizeof *S.order);
    S.best_pkg = out;
    int rc = -1;
    if (!S.pkg || !S.open || !S.rest || !S.order)
        goto done;
    double fixed = 0;
    for (size_t i = 0; i < I; i++) {
        S.pkg[i] = pkg[i];
        if (pkg[i] < 0)
            S.open[S.n_open++] = i;
        else
            fixed += sign * model_ws(sc, a, i, (size_t)pkg[i]);
    }
    /* Widest-spread issues first: decisions that matter most are taken at the
     * top of the tree, where they prune the most. Insertion sort: stable. */
    double *spread = pl__malloc(sizeof *spread * (S.n_open ? S.n_open : 1));
    if (!spread)
        goto done;
    for (size_t d = 0; d < S.n_open; d++) {
        size_t i = S.open[d];
        double lo = INFINITY, hi = -INFINITY;
        for (size_t o = 0; o < sc->issue[i].n_opt; o++) {
            double v = model_ws(sc, a, i, o);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        spread[d] = hi - lo;
    }
    for (size_t d = 1; d < S.n_open; d++) {
        size_t oi = S.open[d];
        double sp = spread[d];
        size_t e = d;
        while (e > 0 && spread[e - 1] < sp) {
            spread[e] = spread[e - 1];
            S.open[e] = S.open[e - 1];
            e--;
        }
        spread[e] = sp;
        S.open[e] = oi;
    }
    pl__free(spread);
    S.rest[S.n_open] = 0;
    for (size_t d = S.n_open; d-- > 0;) {
        size_t i = S.open[d];
        const pl_issue *is = &sc->issue[i];
        S.order[d] = pl__malloc(is->n_opt);
        if (!S.order[d])
            goto done;
        double best = -INFINITY;
        for (size_t o = 0; o < is->n_opt; o++) {
            double v = sign * model_ws(sc, a, i, o);
            best = v > best ? v : best;
            /* insertion by decreasing value, stable in option order */
            size_t e = o;
            while (e > 0 && sign * model_ws(sc, a, i, S.order[d][e - 1]) < v) {
                S.order[d][e] = S.order[d][e - 1];
                e--;
            }
            S.order[d][e] = (uint8_t)o;
        }
        S.rest[d] = S.rest[d + 1] + best;
    }
    dfs(&S, 0, fixed);
    rc = S.found;
    if (S.found)
        *u = sign * S.best;
done:
    if (S.order)
        for (size_t d = 0; d < I; d++)
            pl__free(S.order[d]);
    pl__free(S.order);
    pl__free(S.pkg);
    pl__free(S.open);
    pl__free(S.rest);
    return rc;
}
