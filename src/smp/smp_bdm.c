/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The classic Bueno de Mesquita expected-utility model on one dimension
 * (Bueno de Mesquita 1994, 2002; the reconstruction of Scholz, Calbert &
 * Smith 2011). Written from the published definitions; docs/forecast.md says
 * where a published choice is ambiguous and which reading is used here.
 *
 * Each round: the weighted median position mu; for every ordered pair the
 * probability that i prevails over j (capability x salience votes, each
 * actor voting by its distance to i and to j); i's expected utility of
 * challenging j with i's risk attitude; risk attitudes from each actor's
 * exposure to challenges; then offers: a challenger with a positive expected
 * gain that exceeds the target's gain from the reverse challenge makes the
 * target move (fully when both would fight or the target gives in, partly in
 * a compromise). Each target takes the most credible offer (largest expected
 * gain of its author; first actor on ties). */
#include <math.h>
#include <string.h>

#include "smp/smp.h"
#include "util/util.h"

static double weighted_median(const double *x, const double *w, size_t n, size_t *idx)
{
    /* Insertion sort of indices by position: n is small (one dimension,
     * at most a few thousand actors) and the order must be stable. */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && x[idx[j - 1]] > x[i]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    double total = 0, acc = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    for (size_t q = 0; q < n; q++) {
        acc += w[idx[q]];
        if (acc >= total / 2)
            return x[idx[q]];
    }
    return x[idx[n - 1]];
}

/* 2 - 4 (1/2 -+ delta)^r, the family of utilities of the model. */
static double bu(double delta, double r)
{
    double b = 0.5 + delta;
    if (b < 0)
        b = 0;
    return 2 - 4 * pow(b, r);
}

pl_status smp_run_bdm(const pl_smp_model *m, const pl_smp_params *p, pl_smp_result *r,
                      pl_diag *diag)
{
    const size_t n = m->n;
    double *x = pl__malloc(n * sizeof *x), *w = pl__malloc(n * sizeof *w);
    double *s = pl__malloc(n * sizeof *s), *risk = pl__malloc(n * sizeof *risk);
    double *P = pl__malloc(n * n * sizeof *P), *EU = pl__malloc(n * n * sizeof *EU);
    double *xn = pl__malloc(n * sizeof *xn), *best = pl__malloc(n * sizeof *best);
    double *sec = pl__malloc(n * sizeof *sec);
    size_t *idx = pl__malloc(n * sizeof *idx);
    r->group = pl__malloc(n * sizeof *r->group);
    pl_status st = PL_OK;
    if (!x || !w || !s || !risk || !P || !EU || !xn || !best || !sec || !idx || !r->group) {
        st = PL_E_NOMEM;
        pl__diag_set(diag, st, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = m->pos[i] / 100.0;
        s[i] = m->sal[i] / 100.0;
        w[i] = m->cap[i] * s[i];
        risk[i] = 1;
    }
    double d01 = 0;
    for (size_t t = 0;; t++) {
        if (smp_result_push(r, x) != 0) {
            st = PL_E_NOMEM;
            pl__diag_set(diag, st, NULL, 0, 0, "out of memory");
            goto done;
        }
        /* Probability of each distinct position: its share of capability x
         * salience (the model has no probability of its own). */
        double tot = 0;
        for (size_t i = 0; i < n; i++)
            tot += w[i];
        r->distinct = 0;
        for (size_t i = 0; i < n; i++) {
            size_t g = i;
            for (size_t j = 0; j < i && g == i; j++)
                if (fabs(x[i] - x[j]) < 1e-3)
                    g = r->group[j];
            r->group[i] = g;
            r->distinct += g == i;
        }
        for (size_t i = 0; i < n; i++) {
            double sh = 0;
            for (size_t j = 0; j < n; j++)
                if (r->group[j] == r->group[i])
                    sh += w[j];
            r->prob[(r->n_states - 1) * n + i] = sh / tot;
        }
        if (t > 0) {
            double dt = 0;
            const double *prev = r->pos + (r->n_states - 2) * n;
            for (size_t i = 0; i < n; i++)
                dt += fabs(prev[i] / 100 - x[i]);
            if (t == 1)
                d01 = dt + p->stop_epsilon;
            r->change[t] = dt / d01;
            if (t >= p->min_rounds && r->change[t] < p->stop_ratio) {
                r->converged = 1;
                break;
            }
            if (t >= p->max_rounds)
                break;
        }
        const double mu = weighted_median(x, w, n, idx);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double fav = 0, all = 0;
                for (size_t k = 0; k < n; k++) {
                    double v = w[k] * (fabs(x[k] - x[j]) - fabs(x[k] - x[i]));
                    fav += v > 0 ? v : 0;
                    all += fabs(v);
                }
                P[i * n + j] = all > 0 ? fav / all : 0.5;
            }
        /* Twice: once with the current risk attitudes to measure exposure,
         * once with the attitudes that exposure implies. */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    if (i == j) {
                        EU[i * n + j] = 0;
                        continue;
                    }
                    double dij = fabs(x[i] - x[j]), dm = fabs(x[i] - mu), ri = risk[i];
                    double us = bu(-0.5 * dij, ri), uf = bu(0.5 * dij, ri);
                    double ub = bu(-0.25 * (dm + dij), ri), uw = bu(0.25 * (dm + dij), ri);
                    double usq = bu(0, ri), pij = P[i * n + j];
                    const double Q = 0.5, T = 1.0;
                    EU[i * n + j] = s[j] * (pij * us + (1 - pij) * uf) + (1 - s[j]) * us -
                                    Q * usq - (1 - Q) * (T * ub + (1 - T) * uw);
                }
            if (pass == 1)
                break;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < n; i++) {
                sec[i] = 0;
                for (size_t j = 0; j < n; j++)
                    sec[i] += EU[j * n + i];
                lo = sec[i] < lo ? sec[i] : lo;
                hi = sec[i] > hi ? sec[i] : hi;
            }
            for (size_t i = 0; i < n; i++) {
                double R = hi > lo ? (2 * sec[i] - hi - lo) / (hi - lo) : 0;
                risk[i] = (1 - R / 3) / (1 + R / 3);
            }
        }
        memcpy(xn, x, n * sizeof *x);
        for (size_t j = 0; j < n; j++)
            best[j] = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double ei = EU[i * n + j], ej = EU[j * n + i];
                if (i == j || !(ei > 0) || !(ei > ej) || !(ei > best[j]))
                    continue;
                /* Conflict (both would challenge) or capitulation moves the
                 * target all the way; a compromise when the target would lose
                 * by challenging back, by the share of the challenger's gain. */
                double f = ej < 0 ? ei / (ei + fabs(ej)) : 1;
                best[j] = ei;
                xn[j] = x[j] + f * (x[i] - x[j]);
            }
        for (size_t i = 0; i < n; i++)
            x[i] = smp_round4(xn[i]);
    }
done:
    pl__free(x);
    pl__free(w);
    pl__free(s);
    pl__free(risk);
    pl__free(P);
    pl__free(EU);
    pl__free(xn);
    pl__free(best);
    pl__free(sec);
    pl__free(idx);
    return st;
}
