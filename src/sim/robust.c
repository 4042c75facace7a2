/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley robust`: how often do the static answers hold when the uncertain
 * numbers are drawn from their distributions? Every analysis is the library's
 * own (sp_count, pl_evaluate, pl_pareto, pl_solve) run on a sampled view. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simi.h"
#include "space/space.h"
#include "util/util.h"

typedef struct rb_ctx {
    const pl_scenario *sc;
    uint64_t seed;
    size_t P, A, I;          /* proposals on the table, actors with preferences, issues */
    long *prop;              /* their proposal indices */
    size_t *actor;           /* their actor indices */
    /* per run */
    unsigned char *ok;       /* 1 sampled, 0 invalid sample */
    double *zcount;
    unsigned char *accept;   /* run x P x A */
    unsigned char *agreed;   /* run x P */
    unsigned char *pareto;   /* run x P */
    long *nash;              /* run x I, -1 when the ZOPA is empty */
} rb_ctx;

static int fail_st(pl_status st, pl_diag *d)
{
    if (st == PL_OK)
        return 0;
    if (d && d->status == PL_OK)
        pl__diag_set(d, st, NULL, 0, 0, "%s", pl_status_string(st));
    return -1;
}

static int same_pkg(const long *a, const long *b, size_t I)
{
    return memcmp(a, b, sizeof *a * I) == 0;
}

static int rb_run(void *vctx, sim_view *v, gsl_rng *rng, long r, long slot, pl_diag *diag)
{
    rb_ctx *C = vctx;
    const pl_scenario *vs = &v->sc;
    size_t P = C->P, A = C->A, I = C->I, s = (size_t)slot;
    pl_diag local;
    memset(&local, 0, sizeof local);
    sim_rng_seed(rng, sim_run_seed(C->seed, (uint64_t)r));
    for (size_t i = 0; i < I; i++)
        C->nash[s * I + i] = -1;
    if (sim_view_sample(v, rng, &local) != 0) {
        if (local.status != PL_E_INPUT) {
            *diag = local;
            return -1;
        }
        C->ok[s] = 0; /* an impossible draw: counted, not fatal */
        return 0;
    }
    C->ok[s] = 1;

    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    if (sp_ctx_init(&c, vs, &spec) != 0)
        return fail_st(PL_E_NOMEM, diag);
    sp_total tot;
    int rc = sp_count(&c, 1, 0, &tot, NULL);
    sp_ctx_free(&c);
    if (rc != 0)
        return fail_st(PL_E_NOMEM, diag);
    C->zcount[s] = tot.overflow ? 18446744073709551615.0 : (double)tot.n;

    pl_space_options so;
    pl_space_options_init(&so);
    so.threads = 1;
    so.top_k = 1;
    if (tot.n > 0) {
        pl_space *sol = NULL;
        pl_status st = pl_solve(vs, &so, &sol, diag);
        if (st != PL_OK)
            return fail_st(st, diag);
        if (pl_space_package_count(sol) > 0)
            memcpy(&C->nash[s * I], pl_space_package(sol, 0), sizeof(long) * I);
        pl_space_free(sol);
    }
    if (P == 0)
        return 0;

    pl_evaluation *ev = NULL;
    pl_status st = pl_evaluate(vs, -1, &ev, diag);
    if (st != PL_OK)
        return fail_st(st, diag);
    /* On the frontier of the ZOPA: with an empty ZOPA no package is (the
     * feasible frontier pl_pareto falls back to can be huge, and is not what
     * "robustly efficient" asks). */
    pl_space *par = NULL;
    size_t npar = 0;
    if (tot.n > 0) {
        so.top_k = 0;
        st = pl_pareto(vs, &so, &par, diag);
        if (st != PL_OK) {
            pl_evaluation_free(ev);
            return fail_st(st, diag);
        }
        npar = pl_space_package_count(par);
    }
    for (size_t p = 0; p < P && p < pl_evaluation_count(ev); p++) {
        C->agreed[s * P + p] = (unsigned char)pl_evaluation_agreed(ev, p);
        const long *pkg = pl_evaluation_package(ev, p);
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, p); j++) {
            const pl_verdict *vd = pl_evaluation_verdict(ev, p, j);
            for (size_t a = 0; a < A; a++)
                if (C->actor[a] == vd->actor)
                    C->accept[(s * P + p) * A + a] = (unsigned char)(vd->accept != 0);
        }
        unsigned char on = 0;
        for (size_t k = 0; k < npar && !on; k++)
            on = (unsigned char)same_pkg(pl_space_package(par, k), pkg, I);
        C->pareto[s * P + p] = on;
    }
    pl_space_free(par);
    pl_evaluation_free(ev);
    return 0;
}

static void rb_free(rb_ctx *C)
{
    pl__free(C->prop);
    pl__free(C->actor);
    pl__free(C->ok);
    pl__free(C->zcount);
    pl__free(C->accept);
    pl__free(C->agreed);
    pl__free(C->pareto);
    pl__free(C->nash);
}

typedef struct nash_freq {
    long first;   /* first run (slot) with this package */
    long n;
} nash_freq;

static int cmp_freq(const void *a, const void *b)
{
    const nash_freq *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

pl_status pl_robust_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
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
    rb_ctx C;
    memset(&C, 0, sizeof C);
    C.sc = sc;
    C.seed = o->seed;
    C.I = sc->n_issues;
    size_t N = (size_t)o->runs;

    /* Which proposals and actors: those pl_evaluate reports on the scenario
     * as loaded (the table does not depend on sampled numbers). */
    pl_evaluation *ev0 = NULL;
    pl_status st = pl_evaluate(sc, -1, &ev0, diag);
    if (st != PL_OK)
        return st;
    C.P = pl_evaluation_count(ev0);
    C.prop = pl__malloc(sizeof *C.prop * (C.P + 1));
    C.actor = pl__malloc(sizeof *C.actor * (sc->n_actors + 1));
    if (!C.prop || !C.actor) {
        pl_evaluation_free(ev0);
        rb_free(&C);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    for (size_t p = 0; p < C.P; p++)
        C.prop[p] = pl_evaluation_proposal(ev0, p);
    pl_evaluation_free(ev0);
    for (size_t a = 0; a < sc->n_actors; a++)
        if (sc->actor[a].has_pref)
            C.actor[C.A++] = a;
    size_t P = C.P, A = C.A, I = C.I;
    C.ok = pl__calloc(N, 1);
    C.zcount = pl__calloc(N, sizeof *C.zcount);
    C.accept = pl__calloc(N * P * A + 1, 1);
    C.agreed = pl__calloc(N * P + 1, 1);
    C.pareto = pl__calloc(N * P + 1, 1);
    C.nash = pl__malloc(sizeof *C.nash * (N * I + 1));
    if (!C.ok || !C.zcount || !C.accept || !C.agreed || !C.pareto || !C.nash) {
        rb_free(&C);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_diag local;
    memset(&local, 0, sizeof local);
    if (sim_parallel(sc, o->threads, 0, o->runs, rb_run, &C, NULL, &local) != 0) {
        if (diag)
            *diag = local;
        rb_free(&C);
        return local.status != PL_OK ? local.status : PL_E_INTERNAL;
    }

    /* Merge in run order. */
    size_t n_ok = 0, n_open = 0;
    double *zc = pl__malloc(sizeof *zc * (N + 1));
    nash_freq *nf = pl__calloc(N + 1, sizeof *nf);
    size_t n_nf = 0;
    if (!zc || !nf) {
        pl__free(zc);
        pl__free(nf);
        rb_free(&C);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    for (size_t r = 0; r < N; r++) {
        if (!C.ok[r])
            continue;
        zc[n_ok++] = C.zcount[r];
        if (C.zcount[r] > 0) {
            n_open++;
            if (C.nash[r * I] < 0)
                continue;
            size_t k = 0;
            while (k < n_nf && !same_pkg(&C.nash[(size_t)nf[k].first * I], &C.nash[r * I], I))
                k++;
            if (k == n_nf)
                nf[n_nf++] = (nash_freq){(long)r, 0};
            nf[k].n++;
        }
    }
    if (n_nf > 1)
        qsort(nf, n_nf, sizeof *nf, cmp_freq);

    sim_jb J = {0};
    json_t *root = sim_chk(&J, json_object());
    sim_set(&J, root, "runs", sim_chk(&J, json_integer((json_int_t)N)));
    sim_set(&J, root, "seed", sim_chk(&J, json_integer((json_int_t)(o->seed & INT64_MAX))));
    sim_set(&J, root, "failed_runs", sim_chk(&J, json_integer((json_int_t)(N - n_ok))));
    sim_set(&J, root, "scenario", sim_jscen(&J, sc));
    double dn = n_ok ? (double)n_ok : NAN, pz = (double)n_open / dn;
    json_t *z = sim_chk(&J, json_object());
    sim_set(&J, z, "p", sim_jreal(&J, pz));
    sim_set(&J, z, "se", sim_jreal(&J, sqrt(pz * (1 - pz) / dn)));
    sim_set(&J, root, "zopa_nonempty", z);
    sim_set(&J, root, "zopa_count", sim_jstats(&J, zc, n_ok));
    json_t *props = sim_chk(&J, json_object());
    for (size_t p = 0; p < P; p++) {
        size_t nag = 0, npa = 0;
        json_t *pj = sim_chk(&J, json_object()), *acc = sim_chk(&J, json_object());
        for (size_t a = 0; a < A; a++) {
            size_t n = 0;
            for (size_t r = 0; r < N; r++)
                if (C.ok[r])
                    n += C.accept[(r * P + p) * A + a];
            sim_set(&J, acc, sc->actor[C.actor[a]].id, sim_jreal(&J, (double)n / dn));
        }
        for (size_t r = 0; r < N; r++)
            if (C.ok[r]) {
                nag += C.agreed[r * P + p];
                npa += C.pareto[r * P + p];
            }
        sim_set(&J, pj, "accept", acc);
        sim_set(&J, pj, "agreed", sim_jreal(&J, (double)nag / dn));
        sim_set(&J, pj, "pareto", sim_jreal(&J, (double)npa / dn));
        sim_set(&J, props, sc->prop[C.prop[p]].id, pj);
    }
    sim_set(&J, root, "proposals", props);
    json_t *na = sim_chk(&J, json_array());
    for (size_t k = 0; k < n_nf && k < 5; k++) {
        json_t *e = sim_chk(&J, json_object());
        sim_set(&J, e, "package", sim_jpkg(&J, sc, &C.nash[(size_t)nf[k].first * I]));
        sim_set(&J, e, "p", sim_jreal(&J, (double)nf[k].n / dn));
        sim_push(&J, na, e);
    }
    sim_set(&J, root, "nash", na);
    pl__free(zc);
    pl__free(nf);
    rb_free(&C);
    return sim_finish(&J, root, json, diag);
}
