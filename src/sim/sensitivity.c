/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley sensitivity`: one uncertain number at a time, moved from its low to
 * its high value, and what it does to the headline answers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simi.h"
#include "space/space.h"
#include "util/util.h"

/* The low and high value of an uncertain number: the bounds of a uniform or
 * triangular, the truncation bounds of a normal (or its 5% and 95% points
 * when a bound is infinite), the smallest and largest alternative. */
static int range_of(const pl_num *n, double *lo, double *hi)
{
    switch (n->dist) {
    case DIST_UNIFORM: *lo = n->p[0]; *hi = n->p[1]; return 1;
    case DIST_TRIANGULAR: *lo = n->p[0]; *hi = n->p[2]; return 1;
    case DIST_NORMAL:
        *lo = isfinite(n->p[2]) ? n->p[2] : n->p[0] - 1.6448536269514722 * n->p[1];
        *hi = isfinite(n->p[3]) ? n->p[3] : n->p[0] + 1.6448536269514722 * n->p[1];
        return 1;
    case DIST_DISCRETE:
        if (!n->n_alt)
            return 0;
        *lo = *hi = n->alt[0].value;
        for (uint32_t k = 1; k < n->n_alt; k++) {
            *lo = n->alt[k].value < *lo ? n->alt[k].value : *lo;
            *hi = n->alt[k].value > *hi ? n->alt[k].value : *hi;
        }
        return 1;
    default: return 0;
    }
}

/* ZOPA size and Nash package of the view as it stands. */
static int headline(sim_view *v, double *zcount, long *nash, pl_diag *d)
{
    const pl_scenario *vs = &v->sc;
    size_t I = vs->n_issues;
    for (size_t i = 0; i < I; i++)
        nash[i] = -1;
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    if (sp_ctx_init(&c, vs, &spec) != 0) {
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    sp_total tot;
    int rc = sp_count(&c, 1, 0, &tot, NULL);
    sp_ctx_free(&c);
    if (rc != 0) {
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    *zcount = tot.overflow ? 18446744073709551615.0 : (double)tot.n;
    if (tot.n == 0)
        return 0;
    pl_space_options so;
    pl_space_options_init(&so);
    so.threads = 1;
    so.top_k = 1;
    pl_space *sol = NULL;
    if (pl_solve(vs, &so, &sol, d) != PL_OK)
        return -1;
    if (pl_space_package_count(sol) > 0)
        memcpy(nash, pl_space_package(sol, 0), sizeof(long) * I);
    pl_space_free(sol);
    return 0;
}

typedef struct row {
    int num;
    double lo, hi, zlo, zhi, dlo, dhi, hlo, hhi, swing;
    int nash_moves;
} row;

static int cmp_row(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->swing != y->swing)
        return x->swing > y->swing ? -1 : 1;
    return x->num - y->num;
}

pl_status pl_sensitivity_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
                              pl_diag *diag)
{
    if (json)
        *json = NULL;
    if (!sc || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    if (sim_check_options(o, diag) != 0)
        return PL_E_ARG;
    int war = pl_scenario_has_war(sc);
    size_t I = sc->n_issues, n_rows = 0;
    sim_view v;
    row *rows = pl__calloc(sc->n_nums + 1, sizeof *rows);
    long *base = pl__malloc(sizeof *base * (I + 1)), *pk = pl__malloc(sizeof *pk * (I + 1));
    if (!rows || !base || !pk || sim_view_init(&v, sc) != 0) {
        pl__free(rows);
        pl__free(base);
        pl__free(pk);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_status st = PL_OK;
    double zbase = 0, dbase = NAN, hbase = NAN;
    /* One frontier cache for every simulation of the table: their samples
     * are the same but for the number held, so most keys recur. */
    sim_front *front = NULL;
    long n_sims = 1;
    for (size_t k = 0; k < sc->n_nums; k++) {
        double lo, hi;
        n_sims += range_of(&sc->num[k], &lo, &hi) && !v.is_cred[k] ? 2 : 0;
    }
    if (war && sim_front_shared(sc, o->runs * n_sims, &front) != 0) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        st = PL_E_NOMEM;
        goto done;
    }
    if (sim_view_sample(&v, NULL, diag) != 0 || headline(&v, &zbase, base, diag) != 0 ||
        (war && sim_deal_within(sc, o, 12, -1, 0, front, &dbase, &hbase, diag) != 0)) {
        st = diag ? diag->status : PL_E_INTERNAL;
        goto done;
    }
    for (size_t k = 0; k < sc->n_nums; k++) {
        double lo, hi;
        if (!range_of(&sc->num[k], &lo, &hi) || v.is_cred[k])
            continue;
        row *R = &rows[n_rows];
        R->num = (int)k;
        R->lo = lo;
        R->hi = hi;
        R->dlo = R->dhi = R->hlo = R->hhi = NAN;
        for (int side = 0; side < 2; side++) {
            double z;
            pl_diag tmp;
            memset(&tmp, 0, sizeof tmp);
            v.sc.num[k].value = side ? hi : lo;
            if (sim_view_rederive(&v, &tmp) != 0) {
                /* e.g. a weight at 0 leaving an actor without weights: the
                 * row says so by a null, the table goes on. */
                z = NAN;
                for (size_t i = 0; i < I; i++)
                    pk[i] = -2;
            } else if (headline(&v, &z, pk, diag) != 0) {
                st = diag ? diag->status : PL_E_INTERNAL;
                goto done;
            }
            if (side)
                R->zhi = z;
            else
                R->zlo = z;
            R->nash_moves |= memcmp(pk, base, sizeof *pk * I) != 0;
            if (war) {
                double p, ph;
                if (sim_deal_within(sc, o, 12, (int)k, side ? hi : lo, front, &p, &ph, &tmp) != 0)
                    p = ph = NAN;
                if (side) {
                    R->dhi = p;
                    R->hhi = ph;
                } else {
                    R->dlo = p;
                    R->hlo = ph;
                }
            }
        }
        v.sc.num[k].value = sc->num[k].value;
        /* Ranked by the larger swing of the two deal probabilities when there
         * is a war model (within 12 months, the issue's headline, and within
         * the horizon, which is what moves where no deal comes in the first
         * year), else by the ZOPA size's swing (in decades), then by whether
         * the Nash package moves. */
        double zs = fabs(log10(1 + (isnan(R->zhi) ? 0 : R->zhi)) -
                         log10(1 + (isnan(R->zlo) ? 0 : R->zlo)));
        double s12 = fabs((isnan(R->dhi) ? 0 : R->dhi) - (isnan(R->dlo) ? 0 : R->dlo));
        double sh = fabs((isnan(R->hhi) ? 0 : R->hhi) - (isnan(R->hlo) ? 0 : R->hlo));
        R->swing = war ? (s12 > sh ? s12 : sh) + 1e-3 * zs : zs + 1e-3 * R->nash_moves;
        n_rows++;
    }
    if (sim_view_rederive(&v, diag) != 0) {
        st = diag ? diag->status : PL_E_INTERNAL;
        goto done;
    }
    if (n_rows > 1)
        qsort(rows, n_rows, sizeof *rows, cmp_row);
    {
        sim_jb J = {0};
        json_t *root = sim_chk(&J, json_object()), *b = sim_chk(&J, json_object());
        sim_set(&J, b, "zopa", sim_jreal(&J, zbase));
        sim_set(&J, b, "nash", base[0] >= 0 ? sim_jpkg(&J, sc, base) : sim_chk(&J, json_null()));
        sim_set(&J, b, "deal12", sim_jreal(&J, dbase));
        sim_set(&J, b, "deal_horizon", sim_jreal(&J, hbase));
        sim_set(&J, root, "base", b);
        const war_model *wm = war ? war_get(sc) : NULL;
        sim_set(&J, root, "horizon",
                sim_chk(&J, json_integer(!wm ? 0 : o->horizon ? o->horizon : wm->horizon)));
        sim_set(&J, root, "scenario", sim_jscen(&J, sc));
        sim_set(&J, root, "runs", sim_chk(&J, json_integer(war ? (json_int_t)o->runs : 0)));
        sim_set(&J, root, "seed", sim_chk(&J, json_integer((json_int_t)(o->seed & INT64_MAX))));
        json_t *arr = sim_chk(&J, json_array());
        for (size_t k = 0; k < n_rows; k++) {
            const row *R = &rows[k];
            const pl_num *n = &sc->num[R->num];
            json_t *e = sim_chk(&J, json_object());
            sim_set(&J, e, "path", sim_chk(&J, json_string(n->path ? n->path : "")));
            char where[64];
            snprintf(where, sizeof where, "%d:%d", n->line, n->col);
            sim_set(&J, e, "at", sim_chk(&J, json_string(where)));
            sim_set(&J, e, "low", sim_jreal(&J, R->lo));
            sim_set(&J, e, "high", sim_jreal(&J, R->hi));
            sim_set(&J, e, "zopa_low", sim_jreal(&J, R->zlo));
            sim_set(&J, e, "zopa_high", sim_jreal(&J, R->zhi));
            sim_set(&J, e, "nash_changes", sim_chk(&J, json_boolean(R->nash_moves)));
            sim_set(&J, e, "deal12_low", sim_jreal(&J, R->dlo));
            sim_set(&J, e, "deal12_high", sim_jreal(&J, R->dhi));
            sim_set(&J, e, "deal_horizon_low", sim_jreal(&J, R->hlo));
            sim_set(&J, e, "deal_horizon_high", sim_jreal(&J, R->hhi));
            sim_set(&J, e, "swing", sim_jreal(&J, R->swing));
            sim_push(&J, arr, e);
        }
        sim_set(&J, root, "rows", arr);
        st = sim_finish(&J, root, json, diag);
    }
done:
    sim_front_free(front);
    sim_view_free(&v);
    pl__free(rows);
    pl__free(base);
    pl__free(pk);
    return st;
}
