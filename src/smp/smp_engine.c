/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Spatial Model of Politics as KTAB's smpc plays it (docs/forecast.md;
 * Wise, Lester & Efird; KAPSARC's KTAB documentation).
 *
 * Two promises shape this file. (1) The same bits as KTAB: every quantity
 * that feeds a comparison (best target, most probable bargain) is computed
 * with KTAB's operations in KTAB's order, so exact ties between identical
 * actors break the same way and final positions agree to rounding. Sums are
 * therefore never reassociated: loops are vectorised across the independent
 * index (targets j, voters a) while the reduction index runs in order.
 * (2) Orders of magnitude faster: KTAB builds N utility matrices of N x N per
 * round, evaluates O(N^4) challenge estimates it only logs, and writes N^3 rows
 * to SQLite. Here each initiator's view is formed on the fly from the distance
 * matrix (O(N) memory per thread), only the quantities the dynamics use are
 * computed (O(N^3) per round), and work is split across threads by index so
 * that the result does not depend on the thread count.
 *
 * The shortcuts on top never change a bit (smp_run_reference runs without
 * them; tests/unit/test_smp.c compares the two): an initiator evaluates only
 * the targets whose gain can still beat the best found (best_target: exact
 * bounds, a single-precision estimate with a proven error bound to rule most
 * targets out, the exact sums for the rest), and the coalition and valuation
 * kernels process several options or bargains per pass over the voters so
 * that each row is loaded once, each sum still running in its own order. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "smp/smp.h"
#include "util/util.h"

/* ---- scalar building blocks (KTAB's definitions) ------------------------- */

double smp_round4(double x)
{
    /* KTAB truncates x*1e4 + 0.5 toward zero; positions are >= 0, so floor. */
    return floor(0.5 + x * 10000.0) / 10000.0;
}

double smp_distance(const double *a, const double *b, const double *s, size_t d)
{
    double ds2 = 0, ss2 = 0;
    for (size_t k = 0; k < d; k++) {
        const double t = (a[k] - b[k]) * s[k];
        ds2 = ds2 + t * t;
        ss2 = ss2 + s[k] * s[k];
    }
    return sqrt(ds2 / ss2);
}

double smp_vote(pl_smp_vote rule, double w, double u1, double u2)
{
    const double du = u1 - u2;
    double bin = du / 1e-8;
    bin = bin > 1 ? 1 : bin;
    bin = bin < -1 ? -1 : bin;
    switch (rule) {
    case PL_SMP_VOTE_BINARY: return w * bin;
    case PL_SMP_VOTE_PROPBIN: return w * ((1 - 0.2) * du + 0.2 * bin);
    case PL_SMP_VOTE_PROP: return w * du;
    case PL_SMP_VOTE_PROPCBC: return w * ((1 - 0.5) * du + 0.5 * (du * du * du));
    case PL_SMP_VOTE_CUBIC: return w * (du * du * du);
    case PL_SMP_VOTE_ASYMPROSP:
        if (du < 0)
            return w * du;
        if (du > 0)
            return (2.0 * w * du) / 3.0;
        return 0;
    }
    return w * du;
}

void smp_vprob(pl_smp_vpm vpm, double s1, double s2, double *p1, double *p2)
{
    double x1 = s1, x2 = s2;
    switch (vpm) {
    case PL_SMP_VPM_LINEAR: break;
    case PL_SMP_VPM_SQUARE: x1 = s1 * s1; x2 = s2 * s2; break;
    case PL_SMP_VPM_QUARTIC:
        x1 = (s1 * s1) * (s1 * s1);
        x2 = (s2 * s2) * (s2 * s2);
        break;
    case PL_SMP_VPM_OCTIC: {
        double q1 = (s1 * s1) * (s1 * s1), q2 = (s2 * s2) * (s2 * s2);
        x1 = q1 * q1;
        x2 = q2 * q2;
        break;
    }
    case PL_SMP_VPM_BINARY: {
        /* Certain beyond a 10% edge; a linear ramp inside it avoids jumps. */
        const double t = 1.10;
        if (s1 >= t * s2) {
            x1 = 1.0;
            x2 = 1e-6;
        } else if (s2 >= t * s1) {
            x1 = 1e-6;
            x2 = 1.0;
        } else {
            double r12 = s1 / (s1 + s2);
            double p = (r12 * (t + 1.0) - 1.0) / (t - 1.0);
            x1 = p;
            x2 = 1 - p;
        }
        break;
    }
    }
    *p1 = x1 / (x1 + x2);
    *p2 = x2 / (x1 + x2);
}

void smp_coalitions(pl_smp_vote rule, const double *w, const double *u, size_t n, size_t m,
                    double *c)
{
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < i; j++) {
            double cij = 1e-8, cji = 1e-8;
            for (size_t k = 0; k < n; k++) {
                double v = smp_vote(rule, w[k], u[k * m + i], u[k * m + j]);
                if (v > 0)
                    cij = cij + v;
                if (v < 0)
                    cji = cji - v;
            }
            c[i * m + j] = cij;
            c[j * m + i] = cji;
        }
        c[i * m + i] = 1e-8;
    }
}

static void victory_matrix(pl_smp_vpm vpm, const double *c, size_t m, double *pv)
{
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < i; j++)
            smp_vprob(vpm, c[i * m + j], c[j * m + i], &pv[i * m + j], &pv[j * m + i]);
        pv[i * m + i] = 0.5;
    }
}

static void cond_pce(const double *pv, size_t m, double *p)
{
    for (size_t i = 0; i < m; i++) {
        double pi = 1.0;
        for (size_t j = 0; j < m; j++)
            pi = pi * pv[i * m + j];
        p[i] = pi;
    }
    double one = 0;
    for (size_t i = 0; i < m; i++)
        one = one + p[i];
    for (size_t i = 0; i < m; i++)
        p[i] = p[i] / one;
}

static int markov_uniform(const double *pv, size_t m, double *p)
{
    double *q = pl__malloc(m * sizeof *q);
    if (!q)
        return -1;
    for (size_t i = 0; i < m; i++)
        p[i] = 1.0 / (double)m;
    double change = 1.0;
    unsigned iter = 0;
    while (1e-6 < change) {
        change = 0;
        for (size_t i = 0; i < m; i++) {
            double s = 0.0;
            for (size_t j = 0; j < m; j++)
                s = s + pv[i * m + j] * (p[i] + p[j]);
            q[i] = s / (double)m;
            double c = fabs(q[i] - p[i]);
            change = c > change ? c : change;
        }
        for (size_t i = 0; i < m; i++)
            p[i] = (p[i] + q[i]) / 2.0;
        if (++iter >= 1000) {
            pl__free(q);
            return -1;
        }
    }
    pl__free(q);
    return 0;
}

static int markov_incentive(const double *c, const double *pv, size_t m, double *p)
{
    double *inc = pl__malloc(m * m * sizeof *inc);
    double *chl = pl__malloc(m * m * sizeof *chl);
    double *q = pl__malloc(m * sizeof *q);
    double *ct = pl__malloc(m * m * sizeof *ct);
    int rc = -1;
    if (!inc || !chl || !q || !ct)
        goto done;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            inc[i * m + j] = c[i * m + j] * pv[i * m + j] + (i == j ? 1e-10 : 0);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            double s = 0.0;
            for (size_t k = 0; k < m; k++)
                s = s + inc[k * m + j];
            chl[i * m + j] = inc[i * m + j] / s;
        }
    for (size_t i = 0; i < m; i++)
        p[i] = 1.0 / (double)m;
    double change = 1.0;
    unsigned iter = 0;
    while (1e-8 < change) {
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++)
                ct[i * m + j] = p[i] * chl[j * m + i];
        change = 0.0;
        for (size_t i = 0; i < m; i++) {
            double qi = 0.0;
            for (size_t j = 0; j < m; j++)
                qi = qi + pv[i * m + j] * (ct[i * m + j] + ct[j * m + i]);
            q[i] = qi;
            double d = fabs(q[i] - p[i]);
            change = d > change ? d : change;
        }
        for (size_t i = 0; i < m; i++)
            p[i] = (p[i] + q[i]) / 2.0;
        if (++iter >= 1000)
            goto done;
    }
    rc = 0;
done:
    pl__free(inc);
    pl__free(chl);
    pl__free(q);
    pl__free(ct);
    return rc;
}

int smp_pce(pl_smp_pce pce, pl_smp_vpm vpm, const double *c, size_t m, double *pv, double *p)
{
    victory_matrix(vpm, c, m, pv);
    switch (pce) {
    case PL_SMP_PCE_CONDITIONAL: cond_pce(pv, m, p); return 0;
    case PL_SMP_PCE_MARKOV_UNIFORM: return markov_uniform(pv, m, p);
    case PL_SMP_PCE_MARKOV_INCENTIVE: return markov_incentive(c, pv, m, p);
    }
    return -1;
}

void smp_big_r(pl_smp_risk_range rr, const double *p, size_t n, double *r)
{
    double lo = 1.0, hi = 0.0;
    for (size_t i = 0; i < n; i++) {
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    for (size_t i = 0; i < n; i++) {
        /* KTAB divides by zero when every option is equally likely; no
         * position is then stronger than another, so everyone is neutral. */
        if (!(hi - lo > 0)) {
            r[i] = 0;
            continue;
        }
        switch (rr) {
        case PL_SMP_RISK_MIN: r[i] = (p[i] - lo) / (hi - lo); break;
        case PL_SMP_RISK_MID: r[i] = (3 * p[i] - (hi + 2 * lo)) / (2 * (hi - lo)); break;
        case PL_SMP_RISK_MAX: r[i] = (2 * p[i] - (hi + lo)) / (hi - lo); break;
        }
    }
}

double smp_est_r(pl_smp_risk_adjust ra, double rh, double ri)
{
    switch (ra) {
    case PL_SMP_RISK_ADJ_FULL: return ri;
    case PL_SMP_RISK_ADJ_TWO_THIRDS: return (rh + (2.0 * ri)) / 3.0;
    case PL_SMP_RISK_ADJ_HALF: return (rh + ri) / 2;
    case PL_SMP_RISK_ADJ_ONE_THIRD: return ((2.0 * rh) + ri) / 3.0;
    case PL_SMP_RISK_ADJ_NONE: return rh;
    }
    return ri;
}

void smp_interp(pl_smp_interp ivb, const double *ti, const double *si, double pi,
                const double *tj, const double *sj, double pj, size_t d, double *bi,
                double *bj)
{
    for (size_t k = 0; k < d; k++) {
        const double tik = ti[k], sik = si[k], tjk = tj[k], sjk = sj[k];
        if (ivb == PL_SMP_INTERP_S2PMAX) {
            double di = pj > pi ? pj - pi : 0, dj = pi > pj ? pi - pj : 0;
            double sik2 = sik * sik, sjk2 = sjk * sjk;
            double dik = (di * sjk2) / ((di * sjk2) + 1e-6 + ((1 - di) * sik2));
            double djk = (dj * sik2) / ((dj * sik2) + 1e-6 + ((1 - dj) * sjk2));
            bi[k] = tik + dik * (tjk - tik);
            bj[k] = tjk + djk * (tik - tjk);
            continue;
        }
        double wik, wjk;
        if (ivb == PL_SMP_INTERP_S1P1) {
            wik = sik * pi;
            wjk = sjk * pj;
        } else {
            wik = (sik * sik) * (pi * pi);
            wjk = (sjk * sjk) * (pj * pj);
        }
        /* The 1e-6 keeps 0/0 away when neither side cares or can coerce;
         * the rounding removes spurious precision, as in KTAB. */
        bi[k] = smp_round4(((wik + 1e-6) * tik + wjk * tjk) / (wik + 1e-6 + wjk));
        bj[k] = smp_round4((wik * tik + (1e-6 + wjk) * tjk) / (wik + 1e-6 + wjk));
    }
}

double smp_uniform(uint64_t seed, uint64_t round, uint64_t actor)
{
    uint64_t z = smp_mix64(seed ^ smp_mix64(round * 0x100000001b3ULL + smp_mix64(actor + 1)));
    return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- a tiny deterministic parallel-for ------------------------------------ */

typedef void (*task_fn)(void *ctx, size_t lo, size_t hi, unsigned tid);

typedef struct pool_job {
    task_fn fn;
    void *ctx;
    size_t n, grain;
    atomic_size_t next;
} pool_job;

typedef struct worker_arg {
    pool_job *job;
    unsigned tid;
} worker_arg;

static void run_chunks(pool_job *job, unsigned tid)
{
    for (;;) {
        size_t lo = atomic_fetch_add(&job->next, job->grain);
        if (lo >= job->n)
            break;
        size_t hi = lo + job->grain < job->n ? lo + job->grain : job->n;
        job->fn(job->ctx, lo, hi, tid);
    }
}

static void *worker(void *a)
{
    worker_arg *w = a;
    run_chunks(w->job, w->tid);
    return NULL;
}

#define SMP_MAX_THREADS 64

/* Items are independent, so which thread runs which chunk never changes a
 * result; only the speed depends on the thread count. */
static void par_for(unsigned nth, size_t n, size_t grain, task_fn fn, void *ctx)
{
    pool_job job = {fn, ctx, n, grain ? grain : 1, 0};
    atomic_init(&job.next, 0);
    pthread_t th[SMP_MAX_THREADS];
    worker_arg args[SMP_MAX_THREADS];
    unsigned started = 0;
    size_t chunks = (n + job.grain - 1) / job.grain;
    if (nth > chunks)
        nth = (unsigned)(chunks ? chunks : 1);
    for (unsigned t = 1; t < nth; t++) {
        args[t].job = &job;
        args[t].tid = t;
        if (pthread_create(&th[t], NULL, worker, &args[t]) != 0)
            break;
        started = t;
    }
    run_chunks(&job, 0);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
}

/* ---- vector kernels --------------------------------------------------------
 * GCC/Clang vector extensions, compiled twice (AVX2 and baseline) and picked
 * at run time. Neither enables FMA, so both give identical IEEE results. */

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));

#define V4(x) ((v4d){(x), (x), (x), (x)})
#define VSEL(m, a, b) ((v4d)(((m) & (v4i)(a)) | (~(m) & (v4i)(b))))
#define VPOS(v) ((v4d)((v4i)((v) > V4(0.0)) & (v4i)(v)))
/* b - VNEGP(v) is b + VPOS(-v) without the negation. */
#define VNEGP(v) ((v4d)((v4i)((v) < V4(0.0)) & (v4i)(v)))

/* Third parties n != i of initiator i, Prop voting and semi-commitment, for
 * every target j in [j0, j1): A[j] and B[j] accumulate the coalitions for and
 * against i, with each third party judging against the principals' own
 * contributions A0[j], B0[j] (KTAB's probEduChlg). */
static inline __attribute__((always_inline)) void
tp_semi_prop_body(const double *dn, double rn, double wn, double uni, double unn,
                  const double *A0, const double *B0, double *A, double *B, size_t j0, size_t j1)
{
    size_t j = j0;
    const v4d one = V4(1.0), vr = V4(rn), vw = V4(wn), vuni = V4(uni), vunn = V4(unn);
    const v4d a1 = V4((uni + uni) + unn), a3 = V4((uni + uni) + uni);
    for (; j + 4 <= j1; j += 4) {
        v4d d, a0, b0, a, b;
        memcpy(&d, dn + j, sizeof d);
        memcpy(&a0, A0 + j, sizeof a0);
        memcpy(&b0, B0 + j, sizeof b0);
        memcpy(&a, A + j, sizeof a);
        memcpy(&b, B + j, sizeof b);
        v4d near = (one - d) * (one + d * vr), far = (one - d) * (one + vr);
        v4d unj = VSEL((v4i)(d <= one), near, far);
        v4d v0 = vw * (vuni - unj);
        v4d cni = a0 + VPOS(v0);
        v4d cnj = b0 + VPOS(-v0);
        v4d pin = cni / (cni + cnj);
        v4d pjn = one - pin;
        v4d a2 = (unj + unj) + unj, a4 = (unj + unj) + vunn;
        v4d vk = vw * ((pin * a1 + pjn * a2) - (pin * a3 + pjn * a4));
        a += VPOS(vk);
        b += VPOS(-vk);
        memcpy(A + j, &a, sizeof a);
        memcpy(B + j, &b, sizeof b);
    }
    for (; j < j1; j++) {
        double unj = smp_util(dn[j], rn);
        double v0 = wn * (uni - unj);
        double cni = v0 > 0 ? A0[j] + v0 : A0[j];
        double cnj = v0 < 0 ? B0[j] - v0 : B0[j];
        double pin = cni / (cni + cnj), pjn = 1.0 - pin;
        double vk = wn * ((pin * ((uni + uni) + unn) + pjn * ((unj + unj) + unj)) -
                          (pin * ((uni + uni) + uni) + pjn * ((unj + unj) + unn)));
        if (vk > 0)
            A[j] = A[j] + vk;
        if (vk < 0)
            B[j] = B[j] - vk;
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SMP_DISPATCH 1
__attribute__((target("avx2"))) static void
tp_semi_prop_avx2(const double *dn, double rn, double wn, double uni, double unn,
                  const double *A0, const double *B0, double *A, double *B, size_t j0, size_t j1)
{
    tp_semi_prop_body(dn, rn, wn, uni, unn, A0, B0, A, B, j0, j1);
}
#endif

static void tp_semi_prop_base(const double *dn, double rn, double wn, double uni, double unn,
                              const double *A0, const double *B0, double *A, double *B,
                              size_t j0, size_t j1)
{
    tp_semi_prop_body(dn, rn, wn, uni, unn, A0, B0, A, B, j0, j1);
}

typedef void (*tp_fn)(const double *, double, double, double, double, const double *,
                      const double *, double *, double *, size_t, size_t);

static tp_fn pick_tp(void)
{
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        return tp_semi_prop_avx2;
#endif
    return tp_semi_prop_base;
}

#define TB 8 /* targets evaluated together by an initiator */

/* The same sums as tp_semi_prop_body for TB chosen targets cj[] at once:
 * each target's coalitions stay in registers while the third parties m run
 * in actor order, so every target gets exactly the operations, in exactly
 * the order, of the full sweep. col[t] is target cj[t]'s column of the
 * distance matrix (a row of its transpose). The lane of a target that is
 * itself the third party adds +0, which leaves the positive sums as they
 * are. */
static inline __attribute__((always_inline)) void
tp_cand_row(const double *const *col, size_t m, const v4i *id, int masked, const double *r,
            const double *wv, const double *uni, const double *unn, const v4d *a0,
            const v4d *b0, v4d *a, v4d *b)
{
    const v4d one = V4(1.0), zero = V4(0.0);
    const double um = uni[m], nm = unn[m];
    const v4d vr = V4(r[m]), vw = V4(wv[m]), vuni = V4(um), vunn = V4(nm);
    const v4d a1 = V4((um + um) + nm), a3 = V4((um + um) + um);
    const long long lm = (long long)m;
    const v4i vm = {lm, lm, lm, lm};
    for (size_t h = 0; h < TB / 4; h++) {
        const double *const *c = col + 4 * h;
        v4d d = {c[0][m], c[1][m], c[2][m], c[3][m]};
        /* smp_util's two branches share their first factor. */
        v4d unj = (one - d) * (one + VSEL((v4i)(d <= one), d * vr, vr));
        v4d v0 = vw * (vuni - unj);
        v4d cni = a0[h] + VPOS(v0);
        v4d cnj = b0[h] - VNEGP(v0);
        v4d pin = cni / (cni + cnj);
        v4d pjn = one - pin;
        v4d a2 = (unj + unj) + unj, a4 = (unj + unj) + vunn;
        v4d vk = vw * ((pin * a1 + pjn * a2) - (pin * a3 + pjn * a4));
        if (masked)
            vk = VSEL(id[h] == vm, zero, vk);
        a[h] += VPOS(vk);
        b[h] -= VNEGP(vk);
    }
}

/* The same sums as tp_semi_prop_body for TB chosen targets cj[] at once:
 * each target's coalitions stay in registers while the third parties m run
 * in actor order, so every target gets exactly the operations, in exactly
 * the order, of the full sweep. col[t] is target cj[t]'s column of the
 * distance matrix (a row of its transpose). In the rows of the targets
 * themselves, a target's own lane adds +0, which leaves its positive sums as
 * they are. */
static inline __attribute__((always_inline)) void
tp_cand_body(const double *const *col, const long long *cj, size_t n, size_t i, const double *r,
             const double *wv, const double *uni, const double *unn, double *A, double *B)
{
    v4d a0[TB / 4], b0[TB / 4], a[TB / 4], b[TB / 4];
    v4i id[TB / 4];
    memcpy(a0, A, sizeof a0);
    memcpy(b0, B, sizeof b0);
    memcpy(a, A, sizeof a);
    memcpy(b, B, sizeof b);
    memcpy(id, cj, sizeof id);
    size_t sp[TB + 1];
    for (size_t x = 0; x <= TB; x++) {
        size_t v = x < TB ? (size_t)cj[x] : i, y = x;
        for (; y > 0 && sp[y - 1] > v; y--)
            sp[y] = sp[y - 1];
        sp[y] = v;
    }
    size_t m = 0;
    for (size_t x = 0; x <= TB + 1; x++) {
        const size_t end = x <= TB && sp[x] < n ? sp[x] : n;
        for (; m < end; m++)
            tp_cand_row(col, m, id, 0, r, wv, uni, unn, a0, b0, a, b);
        if (x <= TB && m == sp[x] && m < n) {
            if (m != i)
                tp_cand_row(col, m, id, 1, r, wv, uni, unn, a0, b0, a, b);
            m++;
        }
    }
    memcpy(A, a, sizeof a);
    memcpy(B, b, sizeof b);
}

typedef void (*cand_fn)(const double *const *, const long long *, size_t, size_t, const double *,
                        const double *, const double *, const double *, double *, double *);

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void
tp_cand_avx2(const double *const *col, const long long *cj, size_t n, size_t i, const double *r,
             const double *wv, const double *uni, const double *unn, double *A, double *B)
{
    tp_cand_body(col, cj, n, i, r, wv, uni, unn, A, B);
}
#endif

static void tp_cand_base(const double *const *col, const long long *cj, size_t n, size_t i,
                         const double *r, const double *wv, const double *uni, const double *unn,
                         double *A, double *B)
{
    tp_cand_body(col, cj, n, i, r, wv, uni, unn, A, B);
}

static cand_fn pick_cand(void)
{
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        return tp_cand_avx2;
#endif
    return tp_cand_base;
}

/* A single-precision estimate of the sums of tp_cand_body for 8 targets, 8
 * lanes wide: only used to rule targets out, with the error bound of
 * approx_bound. Same formulas; col[t] is target cj[t]'s column in float. */
typedef float v8f __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));

#define F8(x) ((v8f){(x), (x), (x), (x), (x), (x), (x), (x)})
#define FSEL(m, a, b) ((v8f)(((m) & (v8i)(a)) | (~(m) & (v8i)(b))))
#define FPOS(v) ((v8f)((v8i)((v) > F8(0.0f)) & (v8i)(v)))
#define FNEGP(v) ((v8f)((v8i)((v) < F8(0.0f)) & (v8i)(v)))

#define TA 16 /* targets estimated together (two vectors of 8) */

/* Per-third-party inputs of tp_approx_body, in single precision; a1 and a3
 * are KTAB's (2 U_ni + U_nn) and 3 U_ni. */
typedef struct approx_in {
    const float *r, *w, *u, *nn, *a1, *a3;
} approx_in;

static inline __attribute__((always_inline)) void
tp_approx_row(const float *const *col, size_t m, const v8i *id, int masked, const approx_in *in,
              const v8f *a0, const v8f *b0, v8f *a, v8f *b)
{
    const v8f one = F8(1.0f), zero = F8(0.0f);
    const v8f vr = F8(in->r[m]), vw = F8(in->w[m]), vuni = F8(in->u[m]), vunn = F8(in->nn[m]);
    const v8f a1 = F8(in->a1[m]), a3 = F8(in->a3[m]);
    const int im = (int)m;
    const v8i vm = {im, im, im, im, im, im, im, im};
    for (size_t h = 0; h < TA / 8; h++) {
        const float *const *c = col + 8 * h;
        v8f d = {c[0][m], c[1][m], c[2][m], c[3][m], c[4][m], c[5][m], c[6][m], c[7][m]};
        v8f unj = (one - d) * (one + FSEL((v8i)(d <= one), d * vr, vr));
        v8f v0 = vw * (vuni - unj);
        v8f cni = a0[h] + FPOS(v0);
        v8f cnj = b0[h] - FNEGP(v0);
        v8f pin = cni / (cni + cnj);
        v8f pjn = one - pin;
        v8f a2 = (unj + unj) + unj, a4 = (unj + unj) + vunn;
        v8f vk = vw * ((pin * a1 + pjn * a2) - (pin * a3 + pjn * a4));
        if (masked)
            vk = FSEL(id[h] == vm, zero, vk);
        a[h] += FPOS(vk);
        b[h] -= FNEGP(vk);
    }
}

static inline __attribute__((always_inline)) void
tp_approx_body(const float *const *col, const int *cj, size_t n, size_t i, const approx_in *in,
               float *A, float *B)
{
    v8f a0[TA / 8], b0[TA / 8], a[TA / 8], b[TA / 8];
    v8i id[TA / 8];
    memcpy(a0, A, sizeof a0);
    memcpy(b0, B, sizeof b0);
    memcpy(a, A, sizeof a);
    memcpy(b, B, sizeof b);
    memcpy(id, cj, sizeof id);
    size_t sp[TA + 1];
    for (size_t x = 0; x <= TA; x++) {
        size_t v = x < TA ? (size_t)cj[x] : i, y = x;
        for (; y > 0 && sp[y - 1] > v; y--)
            sp[y] = sp[y - 1];
        sp[y] = v;
    }
    size_t m = 0;
    for (size_t x = 0; x <= TA + 1; x++) {
        const size_t end = x <= TA && sp[x] < n ? sp[x] : n;
        for (; m < end; m++)
            tp_approx_row(col, m, id, 0, in, a0, b0, a, b);
        if (x <= TA && m == sp[x] && m < n) {
            if (m != i)
                tp_approx_row(col, m, id, 1, in, a0, b0, a, b);
            m++;
        }
    }
    memcpy(A, a, sizeof a);
    memcpy(B, b, sizeof b);
}

typedef void (*approx_fn)(const float *const *, const int *, size_t, size_t, const approx_in *,
                          float *, float *);

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void tp_approx_avx2(const float *const *col,
                                                            const int *cj, size_t n, size_t i,
                                                            const approx_in *in, float *A,
                                                            float *B)
{
    tp_approx_body(col, cj, n, i, in, A, B);
}
#endif

static void tp_approx_base(const float *const *col, const int *cj, size_t n, size_t i,
                           const approx_in *in, float *A, float *B)
{
    tp_approx_body(col, cj, n, i, in, A, B);
}

static approx_fn pick_approx(void)
{
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        return tp_approx_avx2;
#endif
    return tp_approx_base;
}

/* Coalitions of option i against every option j < i under Prop voting:
 * voters k in order, options j across the vector. */
static inline __attribute__((always_inline)) void
coal_prop_body(const double *w, const double *u, size_t n, size_t m, size_t i, double *A,
               double *B)
{
    for (size_t j = 0; j < i; j++)
        A[j] = B[j] = 1e-8;
    for (size_t k = 0; k < n; k++) {
        const double *uk = u + k * m;
        const double wk = w[k], uki = uk[i];
        const v4d vw = V4(wk), vu = V4(uki);
        size_t j = 0;
        for (; j + 4 <= i; j += 4) {
            v4d x, a, b;
            memcpy(&x, uk + j, sizeof x);
            memcpy(&a, A + j, sizeof a);
            memcpy(&b, B + j, sizeof b);
            v4d v = vw * (vu - x);
            a += VPOS(v);
            b += VPOS(-v);
            memcpy(A + j, &a, sizeof a);
            memcpy(B + j, &b, sizeof b);
        }
        for (; j < i; j++) {
            double v = wk * (uki - uk[j]);
            if (v > 0)
                A[j] = A[j] + v;
            if (v < 0)
                B[j] = B[j] - v;
        }
    }
}

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void coal_prop_avx2(const double *w, const double *u,
                                                            size_t n, size_t m, size_t i,
                                                            double *A, double *B)
{
    coal_prop_body(w, u, n, m, i, A, B);
}
#endif

static void coal_prop_base(const double *w, const double *u, size_t n, size_t m, size_t i,
                           double *A, double *B)
{
    coal_prop_body(w, u, n, m, i, A, B);
}

typedef void (*coal_fn)(const double *, const double *, size_t, size_t, size_t, double *,
                        double *);

/* Coalitions of the four options i0..i0+3 against every option j < i0 (i0 a
 * multiple of 4), written to c (m x m): four options by four opponents held
 * in registers while the voters k run in order, so each voter's utilities are
 * read once per four options instead of once per option, and each pair gets
 * the sums of coal_prop_body. ucol holds the utilities by groups of four
 * options (ucol[(j / 4) 4n + 4k + j % 4] = u[k m + j]), so that the voters'
 * values of four options lie next to each other and a pass over the voters
 * reads memory in order. */
static inline __attribute__((always_inline)) void
coal_block_body(const double *w, const double *ucol, size_t n, size_t m, size_t i0, double *c)
{
    const double *xi = ucol + i0 * n;
    for (size_t j = 0; j < i0; j += 4) {
        const double *xj = ucol + j * n;
        v4d a[4], b[4];
        for (size_t t = 0; t < 4; t++)
            a[t] = b[t] = V4(1e-8);
        for (size_t k = 0; k < n; k++) {
            v4d x;
            memcpy(&x, xj + 4 * k, sizeof x);
            const v4d vw = V4(w[k]);
            for (size_t t = 0; t < 4; t++) {
                v4d v = vw * (V4(xi[4 * k + t]) - x);
                a[t] += VPOS(v);
                b[t] -= VNEGP(v);
            }
        }
        for (size_t t = 0; t < 4; t++)
            for (size_t l = 0; l < 4; l++) {
                c[(i0 + t) * m + j + l] = a[t][l];
                c[(j + l) * m + i0 + t] = b[t][l];
            }
    }
}

typedef void (*coal_block_fn)(const double *, const double *, size_t, size_t, size_t, double *);

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void coal_block_avx2(const double *w, const double *u,
                                                             size_t n, size_t m, size_t i0,
                                                             double *c)
{
    coal_block_body(w, u, n, m, i0, c);
}
#endif

static void coal_block_base(const double *w, const double *u, size_t n, size_t m, size_t i0,
                            double *c)
{
    coal_block_body(w, u, n, m, i0, c);
}

static coal_block_fn pick_coal_block(void)
{
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        return coal_block_avx2;
#endif
    return coal_block_base;
}

static coal_fn pick_coal(void)
{
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        return coal_prop_avx2;
#endif
    return coal_prop_base;
}

/* ---- the engine ----------------------------------------------------------- */

#define VB 32 /* voters per block in the bargain valuation */
#define SCRATCH_ROWS 11 /* per-thread work arrays of np doubles */

typedef struct smp_cand {
    double ub; /* gain_bound */
    size_t j;
} smp_cand;

typedef struct bargain {
    size_t init, rcvr;
    double *bi, *bj; /* d each */
} bargain;

typedef struct eng {
    const pl_smp_params *p;
    size_t n, d, np; /* np: n rounded up to VB */
    unsigned nth;
    double *cap, *sal, *S, *w, *ss;
    double *x, *xnew;
    double *dist;       /* n x n: dist[i*n+j] = d(ideal i, position j) under i's saliences */
    double *u;          /* n x n scratch (utilities by voter row) */
    double *c, *pv, *pr, *R;
    double *scratch;    /* per thread: SCRATCH_ROWS x np */
    smp_cand *cidx;     /* per thread: 2 np candidate targets (heap, kept) */
    double *distT;      /* n x n: distT[j*n+m] = dist[m*n+j], column j as a row */
    double *ucol;       /* n x np: utilities by groups of four options (coal_block_body) */
    double *utb;        /* np x n: ut by blocks of four voters, utb[(a/4)*4n + 4m + a%4] */
    int reference;      /* 1: the plain computation, no pruning or blocking */
    /* round */
    long *target;
    double *bestp;
    bargain *barg;
    size_t nbarg;
    double *bpos;       /* storage of bargain positions */
    double *ut;         /* np x ... : ut[nn*np + a] = U^a(a, nn) */
    double *val;        /* (nbarg+1) x np: value of each bargain (row 0: status quo) to voter a */
    size_t *qoff, *qlist; /* queues: per actor offsets into qlist (entries: 0 = SQ, b+1 = bargain b) */
    double *qu, *qc, *qpv, *qp, *qab; /* per-thread queue scratch */
    size_t qmax;
    tp_fn tp;
    coal_fn coal;
    coal_block_fn coal_block;
    cand_fn cand;
    approx_fn approx;
    float *distTf;      /* distT in single precision, for tp_approx_body */
    atomic_int dist_out; /* some distance of the round lies outside [0, 1] */
    int fail;
    size_t round;
} eng;

static void task_dist(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    const size_t n = e->n, d = e->d;
    for (size_t i = lo; i < hi; i++) {
        double *row = e->dist + i * n;
        for (size_t j = 0; j < n; j++) {
            double ds2 = 0;
            for (size_t k = 0; k < d; k++) {
                const double t = (e->x[i * d + k] - e->x[j * d + k]) * e->sal[i * d + k];
                ds2 = ds2 + t * t;
            }
            row[j] = sqrt(ds2 / e->ss[i]);
        }
    }
}

/* distT = dist transposed, so that a target's column reads as a row. */
static void task_transpose(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    const size_t n = e->n;
    int out = 0;
    for (size_t m = 0; m < n; m++)
        for (size_t j = lo; j < hi; j++) {
            const double v = e->dist[m * n + j];
            e->distT[j * n + m] = v;
            e->distTf[j * n + m] = (float)v;
            out |= !(v >= 0 && v <= 1);
        }
    if (out)
        atomic_store(&e->dist_out, 1);
}

/* u[k*m+j] = u(d_kj, 0): risk-neutral value of position j to actor k. */
static void task_rn_util(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    for (size_t k = lo; k < hi; k++)
        for (size_t j = 0; j < e->n; j++)
            e->u[k * e->n + j] = smp_util(e->dist[k * e->n + j], 0);
}

typedef struct coal_ctx {
    eng *e;
    const double *w, *u;
    size_t n, m;
    double *c;
} coal_ctx;

static void task_coal(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    coal_ctx *cc = ctx;
    eng *e = cc->e;
    double *A = e->scratch + (size_t)tid * SCRATCH_ROWS * e->np, *B = A + e->np;
    const size_t m = cc->m;
    for (size_t t = lo; t < hi; t++) {
        /* Rows paired from both ends balance the triangle across chunks. */
        size_t i = (t % 2 == 0) ? t / 2 : m - 1 - t / 2;
        e->coal(cc->w, cc->u, cc->n, m, i, A, B);
        for (size_t j = 0; j < i; j++) {
            cc->c[i * m + j] = A[j];
            cc->c[j * m + i] = B[j];
        }
        cc->c[i * m + i] = 1e-8;
    }
}

/* The same coalitions as task_coal, four options at a time (coal_block_body)
 * plus, for the pairs inside each group of four, the plain sum over voters. */
static void task_coal_blocked(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    coal_ctx *cc = ctx;
    eng *e = cc->e;
    (void)tid;
    const size_t m = cc->m, n = cc->n, nblk = m / 4;
    const double *w = cc->w, *u = cc->u;
    double *c = cc->c;
    for (size_t t = lo; t < hi; t++) {
        size_t g = (t % 2 == 0) ? t / 2 : nblk - 1 - t / 2;
        size_t i0 = 4 * g;
        e->coal_block(w, e->ucol, n, m, i0, c);
        for (size_t i = i0; i < i0 + 4; i++) {
            for (size_t j = i0; j < i; j++) {
                double a = 1e-8, b = 1e-8;
                for (size_t k = 0; k < n; k++) {
                    double v = w[k] * (u[k * m + i] - u[k * m + j]);
                    if (v > 0)
                        a = a + v;
                    if (v < 0)
                        b = b - v;
                }
                c[i * m + j] = a;
                c[j * m + i] = b;
            }
            c[i * m + i] = 1e-8;
        }
    }
}

/* ucol (coal_block_body) from u, for the options in whole groups of four. */
static void task_ucol(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    coal_ctx *cc = ctx;
    (void)tid;
    const size_t m = cc->m, n = cc->n;
    for (size_t g = lo; g < hi; g++) {
        double *dst = cc->e->ucol + 4 * g * n;
        for (size_t k = 0; k < n; k++)
            memcpy(dst + 4 * k, cc->u + k * m + 4 * g, 4 * sizeof *dst);
    }
}

/* The last m % 4 options, one at a time. */
static void task_coal_tail(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    coal_ctx *cc = ctx;
    eng *e = cc->e;
    double *A = e->scratch + (size_t)tid * SCRATCH_ROWS * e->np, *B = A + e->np;
    const size_t m = cc->m;
    for (size_t i = lo; i < hi; i++) {
        e->coal(cc->w, cc->u, cc->n, m, i, A, B);
        for (size_t j = 0; j < i; j++) {
            cc->c[i * m + j] = A[j];
            cc->c[j * m + i] = B[j];
        }
        cc->c[i * m + i] = 1e-8;
    }
}

/* Coalitions of m options under n voters: Prop rule in parallel, others serial. */
static void coalitions(eng *e, pl_smp_vote rule, const double *w, const double *u, size_t n,
                       size_t m, double *c)
{
    if (rule != PL_SMP_VOTE_PROP) {
        smp_coalitions(rule, w, u, n, m, c);
        return;
    }
    coal_ctx cc = {e, w, u, n, m, c};
    if (e->reference) {
        par_for(m >= 64 ? e->nth : 1, m, 8, task_coal, &cc);
        return;
    }
    par_for(m >= 64 ? e->nth : 1, m / 4, 16, task_ucol, &cc);
    par_for(m >= 64 ? e->nth : 1, m / 4, 2, task_coal_blocked, &cc);
    task_coal_tail(&cc, m / 4 * 4, m, 0);
}

/* Risk attitudes of the current state (KTAB's setAllAUtil). */
static int risk_attitudes(eng *e)
{
    const size_t n = e->n;
    par_for(n >= 64 ? e->nth : 1, n, 16, task_dist, e);
    par_for(n >= 64 ? e->nth : 1, n, 64, task_rn_util, e);
    coalitions(e, e->p->vote, e->cap, e->u, n, n, e->c);
    if (smp_pce(e->p->pce, e->p->vpm, e->c, n, e->pv, e->pr) != 0)
        return -1;
    smp_big_r(e->p->risk_range, e->pr, n, e->R);
    return 0;
}

/* Probability of each actor's position in the current state (KTAB's
 * pDist(-1)): distinct positions, each actor judging them by its own view,
 * capability-weighted proportional voting. */
static int position_probs(eng *e, double *out, size_t *group, size_t *n_groups)
{
    const size_t n = e->n, d = e->d;
    size_t *rep = pl__malloc(n * sizeof *rep), *of = pl__malloc(n * sizeof *of);
    if (!rep || !of) {
        pl__free(rep);
        pl__free(of);
        return -1;
    }
    size_t nu = 0;
    for (size_t i = 0; i < n; i++) {
        size_t hit = SIZE_MAX;
        for (size_t q = 0; q < nu; q++) {
            double s = 0;
            for (size_t k = 0; k < d; k++) {
                double t = e->x[i * d + k] - e->x[rep[q] * d + k];
                s = s + t * t;
            }
            if (sqrt(s) < 1e-3)
                hit = q; /* KTAB keeps the last match */
        }
        if (hit == SIZE_MAX) {
            rep[nu] = i;
            hit = nu++;
        }
        of[i] = hit;
    }
    for (size_t a = 0; a < n; a++) {
        double r = smp_est_r(e->p->risk_adjust, e->R[a], e->R[a]);
        for (size_t q = 0; q < nu; q++)
            e->u[a * nu + q] = smp_util(e->dist[a * n + rep[q]], r);
    }
    coalitions(e, PL_SMP_VOTE_PROP, e->cap, e->u, n, nu, e->c);
    int rc = smp_pce(e->p->pce, e->p->vpm, e->c, nu, e->pv, e->pr);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) {
            out[i] = e->pr[of[i]];
            group[i] = rep[of[i]];
        }
        *n_groups = nu;
    }
    pl__free(rep);
    pl__free(of);
    return rc;
}

/* h's estimate of the chance that i beats j and of k's expected gain from
 * i challenging j (KTAB's probEduChlg), for any rules: used outside the hot
 * loop (the receiver's view of a bargain). */
static void edu_challenge(const eng *e, size_t h, size_t k, size_t i, size_t j, double *prob,
                          double *gain)
{
    const size_t n = e->n;
    const pl_smp_params *p = e->p;
#define U(a, b) smp_util(e->dist[(a) * n + (b)], smp_est_r(p->risk_adjust, e->R[h], e->R[a]))
    double uii = U(i, i), uij = U(i, j), uji = U(j, i), ujj = U(j, j);
    double eusq = U(k, i) + U(k, j), vict = U(k, i) + U(k, i), lose = U(k, j) + U(k, j);
    double ci = smp_vote(p->vote, e->S[i] * e->cap[i], uii, uij);
    double cj = smp_vote(p->vote, e->S[j] * e->cap[j], uji, ujj);
    double A = 1e-10, B = 1e-10;
    if (ci > 0) A = A + ci;
    if (ci < 0) B = B - ci;
    if (cj > 0) A = A + cj;
    if (cj < 0) B = B - cj;
    const double A0 = A, B0 = B;
    for (size_t m = 0; m < n; m++) {
        if (m == i || m == j)
            continue;
        double wn = e->S[m] * e->cap[m], uni = U(m, i), unj = U(m, j), unn = U(m, m);
        double v0 = smp_vote(p->vote, wn, uni, unj);
        double cni = v0 > 0 ? A0 + v0 : A0, cnj = v0 < 0 ? B0 - v0 : B0;
        double pin = cni / (cni + cnj), pjn = 1.0 - pin;
        double a1, a2, a3, a4;
        switch (p->third_party) {
        case PL_SMP_TP_FULL_COMMIT:
            a1 = uni + uni + uni; a2 = unj + unj + unj; a3 = uni + uni + uni; a4 = unj + unj + unj;
            break;
        case PL_SMP_TP_NO_COMMIT:
            a1 = uni + uni + unn; a2 = unj + unj + unn; a3 = uni + uni + unn; a4 = unj + unj + unn;
            break;
        default:
            a1 = uni + uni + unn; a2 = unj + unj + unj; a3 = uni + uni + uni; a4 = unj + unj + unn;
            break;
        }
        double vk = smp_vote(p->vote, wn, pin * a1 + pjn * a2, pin * a3 + pjn * a4);
        if (vk > 0) A = A + vk;
        if (vk < 0) B = B - vk;
    }
#undef U
    double pij = A / (A + B), pji = B / (A + B);
    double sj = e->S[j];
    double cntst = pij * vict + pji * lose;
    double chlg = (1 - sj) * vict + sj * cntst;
    *prob = pij;
    *gain = chlg - eusq;
}

/* An upper bound on i's expected gain from challenging j, valid whatever the
 * third parties do. With pij + pji = 1 the gain is g (1 - 2 s_j pji) for
 * g = U_ii - U_ij, linear in pji on [0, 1]; the margin covers the rounding of
 * the actual formula (errors of order 1e-16 against a margin of 1e-9). A NaN
 * bound becomes +inf so that such a target is always evaluated. */
static double gain_bound(double uii, double uij, double sj)
{
    const double g = uii - uij, g2 = g * (1 - 2 * sj);
    const double ub = (g > g2 ? g : g2) + 1e-9 * (1 + fabs(uii) + fabs(uij)) * (1 + fabs(sj));
    return ub == ub ? ub : HUGE_VAL;
}

/* Candidates leave a binary heap by decreasing bound, then increasing index:
 * only the few that get evaluated pay for their place in the order. */
static int cand_first(const smp_cand *x, const smp_cand *y)
{
    return x->ub > y->ub || (x->ub == y->ub && x->j < y->j);
}

static void cand_sift(smp_cand *h, size_t n, size_t at)
{
    const smp_cand v = h[at];
    for (;;) {
        size_t c = 2 * at + 1;
        if (c >= n)
            break;
        if (c + 1 < n && cand_first(&h[c + 1], &h[c]))
            c++;
        if (!cand_first(&h[c], &v))
            break;
        h[at] = h[c];
        at = c;
    }
    h[at] = v;
}

/* An upper bound on i's gain from challenging j given single-precision
 * estimates Af, Bf of its coalitions from tp_approx_body; valid when the
 * utilities lie in [0, 1], risk attitudes in [-1, 1], and weights are 0 or in
 * [1e-30, 1e30] (approx_usable). Rounding analysis, u = 2^-24: a vote
 * v = w (p (a1 - a3) + (1 - p) (a2 - a4)) has |dv/dp| <= 2w and |dv/dU_nj| <= w;
 * in floats U_nj is off by <= 11u, the principals' share p by
 * <= 4u + 64u w / (A0 + B0) (its numerator and denominator each by
 * <= 2u x + 14u w), the rest by <= 110u w: all told under
 * 1000u w (1 + w / (A0 + B0)) per third party, W1 and W2 summing w and w^2.
 * Summing n + 1 non-negative floats adds at most 3(n + 1)u relative; an
 * absolute n 1e-38 covers underflow. The true sums then bound
 * pji = B / (A + B) from below, and the gain g (1 - 2 s_j pji) from above. */
static double approx_bound(double uii, double uij, double sj, float Af, float Bf, double a0,
                           double b0, double W1, double W2, size_t n)
{
    const double u = 0x1p-24, base = gain_bound(uii, uij, sj), g = uii - uij;
    if (!(g >= 0 && sj >= 0) || !isfinite(Af) || !isfinite(Bf))
        return base;
    const double acc = 3.0 * (double)(n + 1) * u;
    const double term = 1000.0 * u * (W1 + W2 / (a0 + b0)) + (double)n * 1e-38;
    const double aup = (double)Af * (1 + acc) + term, blo = (double)Bf * (1 - acc) - term;
    const double plo = blo > 0 ? blo / (aup + blo) : 0;
    const double ub = g * (1 - 2 * sj * plo) + 1e-9 * (1 + fabs(uii) + fabs(uij)) * (1 + sj);
    return ub < base ? ub : base;
}

/* The exact sums for up to TB targets take[0..k) and the running choice:
 * the greatest gain above KTAB's 1e-5, the first index among equals (the
 * choice of the full sweep in index order). */
static void eval_exact(eng *e, size_t i, unsigned tid, const size_t *take, size_t k, long *best,
                       double *bestp, double *bestu)
{
    const size_t n = e->n, np = e->np;
    double *r = e->scratch + (size_t)tid * SCRATCH_ROWS * np;
    double *A0 = r + np, *B0 = A0 + np, *uni = B0 + 3 * np, *unn = uni + np, *wv = unn + np;
    const double uii = uni[i];
    const double *col[TB];
    long long cj[TB];
    double A[TB], B[TB];
    for (size_t t = 0; t < TB; t++) {
        const size_t j = take[t < k ? t : k - 1];
        col[t] = e->distT + j * n;
        cj[t] = (long long)j;
        A[t] = A0[j];
        B[t] = B0[j];
    }
    e->cand(col, cj, n, i, r, wv, uni, unn, A, B);
    for (size_t t = 0; t < k; t++) {
        const size_t j = (size_t)cj[t];
        double uij = smp_util(e->dist[i * n + j], r[i]);
        double pij = A[t] / (A[t] + B[t]), pji = B[t] / (A[t] + B[t]);
        double sq = uii + uij, vict = uii + uii, lose = uij + uij;
        double sj = e->S[j];
        double du = ((1 - sj) * vict + sj * (pij * vict + pji * lose)) - sq;
        if (1e-5 < du && (*bestu < du || (*bestu == du && (long)j < *best))) {
            *best = (long)j;
            *bestp = pij;
            *bestu = du;
        }
    }
}

/* Initiator i's best target under Prop voting and semi-commitment, exactly as
 * the full sweep of task_targets finds it but evaluating only the targets
 * that can still win. Targets leave a heap by decreasing gain_bound; the first
 * TB are evaluated exactly, the rest first in single precision (8 at a time),
 * and only those whose approx_bound still reaches the best gain found go on
 * to the exact sums, TB at a time. The search stops once no bound reaches the
 * best gain (or KTAB's 1e-5 floor). A target ruled out has a gain below the
 * best, so it could neither be chosen nor, as the choice is the first index
 * of the greatest gain, change which equal-gain target is. Needs the scratch
 * arrays task_targets filled (r, A0, B0, uni, unn, wv). */
static void best_target(eng *e, size_t i, unsigned tid)
{
    const size_t n = e->n, np = e->np;
    double *r = e->scratch + (size_t)tid * SCRATCH_ROWS * np;
    double *A0 = r + np, *B0 = A0 + np, *uni = B0 + 3 * np, *unn = uni + np, *wv = unn + np;
    float *rf = (float *)(wv + np), *wf = rf + np, *uf = wf + np, *nf = uf + np;
    float *a1f = nf + np, *a3f = a1f + np;
    const approx_in in = {rf, wf, uf, nf, a1f, a3f};
    smp_cand *cand = e->cidx + (size_t)tid * 2 * np, *keep = cand + np;
    const double uii = uni[i];
    /* approx_bound's premises, and sums for its error terms. */
    int usable = !atomic_load(&e->dist_out) && n < 100000;
    double W1 = 0, W2 = 0;
    for (size_t m = 0; m < n && usable; m++) {
        const double w = wv[m];
        usable = r[m] >= -1 && r[m] <= 1 && (w == 0 || (w >= 1e-30 && w <= 1e30)) &&
                 A0[m] <= 1e30 && B0[m] <= 1e30;
        if (m == i)
            continue;
        W1 += w;
        W2 += w * w;
        rf[m] = (float)r[m];
        wf[m] = (float)w;
        uf[m] = (float)uni[m];
        nf[m] = (float)unn[m];
        a1f[m] = (uf[m] + uf[m]) + nf[m];
        a3f[m] = (uf[m] + uf[m]) + uf[m];
    }
    size_t nc = 0;
    for (size_t j = 0; j < n; j++) {
        if (j == i)
            continue;
        double b = gain_bound(uii, smp_util(e->dist[i * n + j], r[i]), e->S[j]);
        if (b > 1e-5) {
            cand[nc].ub = b;
            cand[nc++].j = j;
        }
    }
    for (size_t at = nc / 2; at-- > 0;)
        cand_sift(cand, nc, at);
    long best = -1;
    double bestp = 0, bestu = -1.0;
    size_t nk = 0, k0 = 0, take[TB];
    int first = 1;
    for (;;) {
        size_t k = 0;
        if (first || !usable) {
            while (k < TB && nc > 0 && cand[0].ub > 1e-5 && !(cand[0].ub < bestu)) {
                take[k++] = cand[0].j;
                cand[0] = cand[--nc];
                cand_sift(cand, nc, 0);
            }
            first = 0;
            if (k == 0)
                break;
            eval_exact(e, i, tid, take, k, &best, &bestp, &bestu);
            continue;
        }
        /* Kept targets go to the exact sums TB at a time, or all at the end. */
        int drained = nc == 0 || cand[0].ub <= 1e-5 || cand[0].ub < bestu;
        if (nk - k0 >= TB || (drained && nk > k0)) {
            while (k < TB && k0 < nk) {
                const smp_cand *c = &keep[k0++];
                if (c->ub > 1e-5 && !(c->ub < bestu))
                    take[k++] = c->j;
            }
            if (k > 0)
                eval_exact(e, i, tid, take, k, &best, &bestp, &bestu);
            continue;
        }
        if (drained)
            break;
        const float *col[TA];
        int cj[TA];
        float Af[TA], Bf[TA];
        size_t got[TA];
        while (k < TA && nc > 0 && cand[0].ub > 1e-5 && !(cand[0].ub < bestu)) {
            got[k++] = cand[0].j;
            cand[0] = cand[--nc];
            cand_sift(cand, nc, 0);
        }
        for (size_t t = 0; t < TA; t++) {
            const size_t j = got[t < k ? t : k - 1];
            col[t] = e->distTf + j * n;
            cj[t] = (int)j;
            Af[t] = (float)A0[j];
            Bf[t] = (float)B0[j];
        }
        e->approx(col, cj, n, i, &in, Af, Bf);
        for (size_t t = 0; t < k; t++) {
            const size_t j = got[t];
            double b = approx_bound(uii, smp_util(e->dist[i * n + j], r[i]), e->S[j], Af[t],
                                    Bf[t], A0[j], B0[j], W1, W2, n);
            if (b > 1e-5 && !(b < bestu)) {
                keep[nk].ub = b;
                keep[nk++].j = j;
            }
        }
    }
    e->target[i] = best;
    e->bestp[i] = bestp;
}

/* Each initiator i: its best target and the chance it wins (from its view). */
static void task_targets(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    const size_t n = e->n;
    const pl_smp_params *p = e->p;
    double *r = e->scratch + (size_t)tid * SCRATCH_ROWS * e->np;
    double *A0 = r + e->np, *B0 = A0 + e->np, *A = B0 + e->np, *B = A + e->np;
    double *uni = B + e->np, *unn = uni + e->np, *wv = unn + e->np;
    const int fast = p->vote == PL_SMP_VOTE_PROP && p->third_party == PL_SMP_TP_SEMI_COMMIT;
    for (size_t i = lo; i < hi; i++) {
        if (!fast) {
            long best = -1;
            double bestp = 0, bestu = -1.0;
            for (size_t j = 0; j < n; j++) {
                if (j == i)
                    continue;
                double pr, du;
                edu_challenge(e, i, i, i, j, &pr, &du);
                if (1e-5 < du && bestu < du) {
                    best = (long)j;
                    bestp = pr;
                    bestu = du;
                }
            }
            e->target[i] = best;
            e->bestp[i] = bestp;
            continue;
        }
        const double rh = e->R[i];
        for (size_t m = 0; m < n; m++) {
            r[m] = smp_est_r(p->risk_adjust, rh, e->R[m]);
            uni[m] = smp_util(e->dist[m * n + i], r[m]);
            unn[m] = smp_util(e->dist[m * n + m], r[m]);
            wv[m] = e->S[m] * e->cap[m];
        }
        const double uii = uni[i];
        for (size_t j = 0; j < n; j++) {
            double uij = smp_util(e->dist[i * n + j], r[i]);
            double uji = uni[j], ujj = unn[j];
            double ci = wv[i] * (uii - uij), cj = wv[j] * (uji - ujj);
            double a = 1e-10, b = 1e-10;
            if (ci > 0) a = a + ci;
            if (ci < 0) b = b - ci;
            if (cj > 0) a = a + cj;
            if (cj < 0) b = b - cj;
            A0[j] = A[j] = a;
            B0[j] = B[j] = b;
        }
        if (!e->reference) {
            best_target(e, i, tid);
            continue;
        }
        for (size_t m = 0; m < n; m++) {
            if (m == i)
                continue;
            const double *dm = e->dist + m * n;
            e->tp(dm, r[m], wv[m], uni[m], unn[m], A0, B0, A, B, 0, m);
            e->tp(dm, r[m], wv[m], uni[m], unn[m], A0, B0, A, B, m + 1, n);
        }
        long best = -1;
        double bestp = 0, bestu = -1.0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double uij = smp_util(e->dist[i * n + j], r[i]);
            double pij = A[j] / (A[j] + B[j]), pji = B[j] / (A[j] + B[j]);
            double sq = uii + uij, vict = uii + uii, lose = uij + uij;
            double sj = e->S[j];
            double du = ((1 - sj) * vict + sj * (pij * vict + pji * lose)) - sq;
            if (1e-5 < du && bestu < du) {
                best = (long)j;
                bestp = pij;
                bestu = du;
            }
        }
        e->target[i] = best;
        e->bestp[i] = bestp;
    }
}

/* ut[m*np + a] = U^a(a, m): voter a's value of actor m's current position. */
static void task_ut(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    const size_t n = e->n;
    for (size_t a = lo; a < hi; a++) {
        double r = smp_est_r(e->p->risk_adjust, e->R[a], e->R[a]);
        if (e->reference) {
            for (size_t m = 0; m < n; m++)
                e->ut[m * e->np + a] = smp_util(e->dist[a * n + m], r);
            continue;
        }
        double *dst = e->utb + (a / 4) * 4 * n + a % 4;
        for (size_t m = 0; m < n; m++)
            dst[4 * m] = smp_util(e->dist[a * n + m], r);
    }
}

/* Sum rows [m0, m1) of ut over a block of VB voters into acc, in row order. */
static inline __attribute__((always_inline)) void vb_rows_body(const double *ut, size_t np,
                                                               size_t m0, size_t m1, double *acc)
{
    v4d s[VB / 4];
    memcpy(s, acc, sizeof s);
    for (size_t m = m0; m < m1; m++) {
        v4d row[VB / 4];
        memcpy(row, ut + m * np, sizeof row);
        for (size_t q = 0; q < VB / 4; q++)
            s[q] += row[q];
    }
    memcpy(acc, s, sizeof s);
}

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void vb_rows_avx2(const double *ut, size_t np, size_t m0,
                                                          size_t m1, double *acc)
{
    vb_rows_body(ut, np, m0, m1, acc);
}
#endif

static void vb_rows_base(const double *ut, size_t np, size_t m0, size_t m1, double *acc)
{
    vb_rows_body(ut, np, m0, m1, acc);
}

/* Value of every bargain (and of the status quo) to voters in blocks of VB:
 * (1/N) [u(b_init) + u(b_rcvr) + sum of unchanged positions in actor order]. */
static void task_values(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    const size_t n = e->n, d = e->d, nb = e->nbarg, np = e->np;
    void (*rows)(const double *, size_t, size_t, size_t, double *) = vb_rows_base;
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        rows = vb_rows_avx2;
#endif
    for (size_t blk = lo; blk < hi; blk++) {
        const size_t a0 = blk * VB;
        for (size_t b = 0; b <= nb; b++) {
            double acc[VB];
            for (size_t t = 0; t < VB; t++) {
                size_t a = a0 + t;
                acc[t] = 0.0;
                if (b == 0 || a >= n)
                    continue;
                const bargain *g = &e->barg[b - 1];
                const double *xa = e->x + a * d, *sa = e->sal + a * d;
                double ui = smp_util(smp_distance(xa, g->bi, sa, d), e->R[a]);
                double ur = smp_util(smp_distance(xa, g->bj, sa, d), e->R[a]);
                acc[t] = (0.0 + ui) + ur;
            }
            const double *base = e->ut + a0;
            if (b == 0) {
                rows(base, np, 0, n, acc);
            } else {
                size_t p = e->barg[b - 1].init, q = e->barg[b - 1].rcvr;
                if (p > q) {
                    size_t t = p;
                    p = q;
                    q = t;
                }
                rows(base, np, 0, p, acc);
                rows(base, np, p + 1, q, acc);
                rows(base, np, q + 1, n, acc);
            }
            for (size_t t = 0; t < VB; t++)
                e->val[b * np + a0 + t] = acc[t] / (double)n;
        }
    }
}

#define BG 8 /* bargains summed together over a block of 4 voters */

/* BG values (row sums of ut for 4 voters) at once: acc[t] starts as given
 * and adds rows 0..n-1 in order except skip[2t] and skip[2t+1], as vb_rows
 * does for one bargain; each row is loaded once for the BG sums. */
static inline __attribute__((always_inline)) void
vals_group_body(const double *ut, size_t np, size_t n, const size_t *skip, double *acc)
{
    v4d s[BG];
    memcpy(s, acc, sizeof s);
    size_t sp[2 * BG];
    for (size_t x = 0; x < 2 * BG; x++) {
        size_t v = skip[x], y = x;
        for (; y > 0 && sp[y - 1] > v; y--)
            sp[y] = sp[y - 1];
        sp[y] = v;
    }
    size_t m = 0;
    for (size_t x = 0; x <= 2 * BG; x++) {
        const size_t end = x < 2 * BG && sp[x] < n ? sp[x] : n;
        for (; m < end; m++) {
            v4d row;
            memcpy(&row, ut + m * np, sizeof row);
            for (size_t t = 0; t < BG; t++)
                s[t] += row;
        }
        if (x < 2 * BG && m == sp[x] && m < n) {
            v4d row;
            memcpy(&row, ut + m * np, sizeof row);
            for (size_t t = 0; t < BG; t++)
                if (m != skip[2 * t] && m != skip[2 * t + 1])
                    s[t] += row;
            m++;
        }
    }
    memcpy(acc, s, sizeof s);
}

typedef void (*vals_fn)(const double *, size_t, size_t, const size_t *, double *);

#ifdef SMP_DISPATCH
__attribute__((target("avx2"))) static void vals_group_avx2(const double *ut, size_t np,
                                                             size_t n, const size_t *skip,
                                                             double *acc)
{
    vals_group_body(ut, np, n, skip, acc);
}
#endif

static void vals_group_base(const double *ut, size_t np, size_t n, const size_t *skip,
                            double *acc)
{
    vals_group_body(ut, np, n, skip, acc);
}

/* task_values with BG bargains (the status quo counting as bargain 0, which
 * skips nothing) and 4 voters per step: the same sums in the same order. */
static void task_values_grouped(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    (void)tid;
    const size_t n = e->n, d = e->d, nb = e->nbarg, np = e->np;
    vals_fn group = vals_group_base;
#ifdef SMP_DISPATCH
    if (__builtin_cpu_supports("avx2"))
        group = vals_group_avx2;
#endif
    for (size_t blk = lo; blk < hi; blk++) {
        const size_t a0 = blk * 4;
        for (size_t b0 = 0; b0 <= nb; b0 += BG) {
            double acc[BG * 4];
            size_t skip[2 * BG];
            for (size_t t = 0; t < BG; t++) {
                const size_t b = b0 + t <= nb ? b0 + t : nb;
                skip[2 * t] = skip[2 * t + 1] = SIZE_MAX;
                if (b > 0) {
                    skip[2 * t] = e->barg[b - 1].init;
                    skip[2 * t + 1] = e->barg[b - 1].rcvr;
                }
                for (size_t v = 0; v < 4; v++) {
                    const size_t a = a0 + v;
                    acc[4 * t + v] = 0.0;
                    if (b == 0 || a >= n)
                        continue;
                    const bargain *g = &e->barg[b - 1];
                    const double *xa = e->x + a * d, *sa = e->sal + a * d;
                    double ui = smp_util(smp_distance(xa, g->bi, sa, d), e->R[a]);
                    double ur = smp_util(smp_distance(xa, g->bj, sa, d), e->R[a]);
                    acc[4 * t + v] = (0.0 + ui) + ur;
                }
            }
            group(e->utb + a0 * n, 4, n, skip, acc);
            for (size_t t = 0; t < BG && b0 + t <= nb; t++)
                for (size_t v = 0; v < 4; v++)
                    e->val[(b0 + t) * np + a0 + v] = acc[4 * t + v] / (double)n;
        }
    }
}

/* Each actor k resolves its queue: the status quo and the bargains it is
 * party to, valued by all actors, capability-weighted. */
static void task_resolve(void *ctx, size_t lo, size_t hi, unsigned tid)
{
    eng *e = ctx;
    const size_t n = e->n, d = e->d, np = e->np;
    const size_t qm = e->qmax;
    double *u = e->qu + (size_t)tid * n * qm;
    double *c = e->qc + (size_t)tid * qm * qm, *pv = e->qpv + (size_t)tid * qm * qm;
    double *pr = e->qp + (size_t)tid * qm;
    for (size_t k = lo; k < hi; k++) {
        const size_t *q = e->qlist + e->qoff[k];
        const size_t nb = e->qoff[k + 1] - e->qoff[k];
        size_t pick = 0;
        if (nb > 1) {
            for (size_t a = 0; a < n; a++)
                for (size_t m = 0; m < nb; m++)
                    u[a * nb + m] = e->val[q[m] * np + a];
            if (e->p->vote == PL_SMP_VOTE_PROP && !e->reference) {
                /* coal_prop_body gives smp_coalitions' sums for Prop. */
                double *A = e->qab + (size_t)tid * 2 * qm, *B = A + qm;
                for (size_t i = 0; i < nb; i++) {
                    e->coal(e->cap, u, n, nb, i, A, B);
                    for (size_t j = 0; j < i; j++) {
                        c[i * nb + j] = A[j];
                        c[j * nb + i] = B[j];
                    }
                    c[i * nb + i] = 1e-8;
                }
            } else {
                smp_coalitions(e->p->vote, e->cap, u, n, nb, c);
            }
            if (smp_pce(e->p->pce, e->p->vpm, c, nb, pv, pr) != 0) {
                e->fail = 1;
                continue;
            }
            if (e->p->transition == PL_SMP_STOCHASTIC) {
                double x = smp_uniform(e->p->seed, e->round, k), cum = 0;
                pick = nb - 1;
                for (size_t m = 0; m < nb; m++) {
                    cum += pr[m];
                    if (x < cum) {
                        pick = m;
                        break;
                    }
                }
            } else {
                double best = -1.0;
                for (size_t m = 0; m < nb; m++)
                    if (best < fabs(pr[m])) {
                        best = fabs(pr[m]);
                        pick = m;
                    }
            }
        }
        const double *src = e->x + k * d;
        if (q[pick] > 0) {
            const bargain *g = &e->barg[q[pick] - 1];
            src = g->init == k ? g->bi : g->bj;
        }
        memcpy(e->xnew + k * d, src, d * sizeof *src);
    }
}

static void eng_free(eng *e)
{
    pl__free(e->cap);
    pl__free(e->sal);
    pl__free(e->S);
    pl__free(e->w);
    pl__free(e->ss);
    pl__free(e->x);
    pl__free(e->xnew);
    pl__free(e->dist);
    pl__free(e->u);
    pl__free(e->c);
    pl__free(e->pv);
    pl__free(e->pr);
    pl__free(e->R);
    pl__free(e->scratch);
    pl__free(e->cidx);
    pl__free(e->distT);
    pl__free(e->distTf);
    pl__free(e->ucol);
    pl__free(e->utb);
    pl__free(e->target);
    pl__free(e->bestp);
    pl__free(e->barg);
    pl__free(e->bpos);
    pl__free(e->ut);
    pl__free(e->val);
    pl__free(e->qoff);
    pl__free(e->qlist);
    pl__free(e->qu);
    pl__free(e->qc);
    pl__free(e->qpv);
    pl__free(e->qp);
    pl__free(e->qab);
}

static unsigned thread_count(unsigned want)
{
    if (want == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        want = c > 0 ? (unsigned)c : 1;
    }
    return want > SMP_MAX_THREADS ? SMP_MAX_THREADS : want;
}

/* Form the round's bargains and queues. */
static int make_bargains(eng *e)
{
    const size_t n = e->n, d = e->d;
    const pl_smp_params *p = e->p;
    const int two = p->bargain == PL_SMP_BARGAIN_INIT_RCVR;
    e->nbarg = 0;
    for (size_t i = 0; i < n; i++) {
        if (e->target[i] < 0)
            continue;
        size_t j = (size_t)e->target[i];
        const double pij = e->bestp[i];
        bargain *g = &e->barg[e->nbarg];
        g->init = i;
        g->rcvr = j;
        g->bi = e->bpos + (2 * e->nbarg) * d;
        g->bj = g->bi + d;
        smp_interp(p->interp, e->x + i * d, e->sal + i * d, pij, e->x + j * d, e->sal + j * d,
                   1 - pij, d, g->bi, g->bj);
        e->nbarg++;
        if (p->bargain == PL_SMP_BARGAIN_INIT_ONLY)
            continue;
        double pj, gain;
        edu_challenge(e, j, i, i, j, &pj, &gain);
        double view = p->ktab_receiver_view ? gain : pj;
        bargain *h = &e->barg[e->nbarg];
        h->init = i;
        h->rcvr = j;
        h->bi = e->bpos + (2 * e->nbarg) * d;
        h->bj = h->bi + d;
        smp_interp(p->interp, e->x + i * d, e->sal + i * d, view, e->x + j * d, e->sal + j * d,
                   1 - view, d, h->bi, h->bj);
        if (two) {
            e->nbarg++;
            continue;
        }
        /* Power-weighted compromise; KTAB weighs the receiver's view with the
         * initiator's capability (kept for comparability). */
        double wi = e->cap[i] * e->S[i], wj = e->cap[i] * e->S[j];
        for (size_t k = 0; k < d; k++) {
            g->bi[k] = (wi * g->bi[k] + wj * h->bi[k]) / (wi + wj);
            g->bj[k] = (wi * g->bj[k] + wj * h->bj[k]) / (wi + wj);
        }
    }
    /* Queues: status quo first, then bargains by initiator order. */
    for (size_t k = 0; k <= n; k++)
        e->qoff[k] = 0;
    for (size_t b = 0; b < e->nbarg; b++) {
        e->qoff[e->barg[b].init + 1]++;
        e->qoff[e->barg[b].rcvr + 1]++;
    }
    e->qmax = 1;
    for (size_t k = 0; k < n; k++) {
        if (e->qoff[k + 1] + 1 > e->qmax)
            e->qmax = e->qoff[k + 1] + 1;
        e->qoff[k + 1] += e->qoff[k] + 1;
    }
    size_t *fill = pl__malloc(n * sizeof *fill);
    if (!fill)
        return -1;
    for (size_t k = 0; k < n; k++) {
        fill[k] = e->qoff[k];
        e->qlist[fill[k]++] = 0;
    }
    for (size_t b = 0; b < e->nbarg; b++) {
        e->qlist[fill[e->barg[b].init]++] = b + 1;
        e->qlist[fill[e->barg[b].rcvr]++] = b + 1;
    }
    pl__free(fill);
    pl__free(e->qu);
    pl__free(e->qc);
    pl__free(e->qpv);
    pl__free(e->qp);
    pl__free(e->qab);
    e->qab = pl__malloc((size_t)e->nth * 2 * e->qmax * sizeof(double));
    e->qu = pl__malloc((size_t)e->nth * n * e->qmax * sizeof(double));
    e->qc = pl__malloc((size_t)e->nth * e->qmax * e->qmax * sizeof(double));
    e->qpv = pl__malloc((size_t)e->nth * e->qmax * e->qmax * sizeof(double));
    e->qp = pl__malloc((size_t)e->nth * e->qmax * sizeof(double));
    return e->qu && e->qc && e->qpv && e->qp && e->qab ? 0 : -1;
}

static double state_dist(const double *a, const double *b, size_t n, size_t d)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double s = 0.0;
        for (size_t k = 0; k < d; k++) {
            double t = a[i * d + k] - b[i * d + k];
            s = s + t * t;
        }
        sum = sum + sqrt(s);
    }
    return sum;
}

static pl_status run_smp(const pl_smp_model *m, const pl_smp_params *p, pl_smp_result *res,
                         pl_diag *diag, int reference)
{
    eng E;
    memset(&E, 0, sizeof E);
    eng *e = &E;
    atomic_init(&e->dist_out, 0);
    const size_t n = m->n, d = m->d;
    e->p = p;
    e->reference = reference;
    e->n = n;
    e->d = d;
    e->np = (n + VB - 1) / VB * VB;
    e->nth = thread_count(p->threads);
    e->tp = pick_tp();
    e->coal = pick_coal();
    e->cand = pick_cand();
    e->approx = pick_approx();
    e->coal_block = pick_coal_block();
    const size_t nbmax = p->bargain == PL_SMP_BARGAIN_INIT_ONLY ? n : 2 * n;
    e->cap = pl__malloc(n * sizeof(double));
    e->sal = pl__malloc(n * d * sizeof(double));
    e->S = pl__malloc(n * sizeof(double));
    e->w = pl__malloc(n * sizeof(double));
    e->ss = pl__malloc(n * sizeof(double));
    e->x = pl__malloc(n * d * sizeof(double));
    e->xnew = pl__malloc(n * d * sizeof(double));
    e->dist = pl__malloc(n * n * sizeof(double));
    e->u = pl__malloc(n * n * sizeof(double));
    e->c = pl__malloc(n * n * sizeof(double));
    e->pv = pl__malloc(n * n * sizeof(double));
    e->pr = pl__malloc(n * sizeof(double));
    e->R = pl__malloc(n * sizeof(double));
    e->scratch = pl__malloc((size_t)e->nth * SCRATCH_ROWS * e->np * sizeof(double));
    e->cidx = pl__malloc((size_t)e->nth * 2 * e->np * sizeof(smp_cand));
    e->distT = pl__malloc(n * n * sizeof(double));
    e->distTf = pl__malloc(n * n * sizeof(float));
    e->ucol = pl__malloc(n * e->np * sizeof(double));
    e->utb = pl__calloc(n * e->np, sizeof(double));
    e->target = pl__malloc(n * sizeof(long));
    e->bestp = pl__malloc(n * sizeof(double));
    e->barg = pl__malloc(nbmax * sizeof(bargain));
    e->bpos = pl__malloc(2 * nbmax * d * sizeof(double));
    e->ut = pl__calloc(n * e->np, sizeof(double));
    e->val = pl__calloc((nbmax + 1) * e->np, sizeof(double));
    e->qoff = pl__malloc((n + 1) * sizeof(size_t));
    e->qlist = pl__malloc((n + 2 * nbmax) * sizeof(size_t));
    double *probs = pl__malloc(n * sizeof(double));
    res->group = pl__malloc(n * sizeof *res->group);
    for (size_t i = 0; res->group && i < n; i++)
        res->group[i] = i;
    pl_status st = PL_OK;
    if (!e->cap || !e->sal || !e->S || !e->w || !e->ss || !e->x || !e->xnew || !e->dist ||
        !e->u || !e->c || !e->pv || !e->pr || !e->R || !e->scratch || !e->cidx || !e->distT ||
        !e->distTf || !e->ucol || !e->utb || !e->target ||
        !e->bestp || !e->barg || !e->bpos || !e->ut || !e->val || !e->qoff || !e->qlist ||
        !probs || !res->group)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        e->cap[i] = m->cap[i];
        double s = 0.0, s2 = 0;
        for (size_t k = 0; k < d; k++) {
            e->x[i * d + k] = m->pos[i * d + k] / 100.0;
            e->sal[i * d + k] = m->sal[i * d + k] / 100.0;
            s = s + e->sal[i * d + k];
            s2 = s2 + e->sal[i * d + k] * e->sal[i * d + k];
        }
        e->S[i] = s;
        e->ss[i] = s2;
        e->w[i] = s * e->cap[i];
    }
    if (smp_result_push(res, e->x) != 0)
        goto oom;
    double d01 = 0;
    for (size_t t = 1;; t++) {
        e->round = t;
        if (risk_attitudes(e) != 0)
            goto fail;
        if (p->probabilities >= 2) {
            if (position_probs(e, probs, res->group, &res->distinct) != 0)
                goto fail;
            memcpy(res->prob + (res->n_states - 1) * n, probs, n * sizeof *probs);
        }
        if (!e->reference && p->vote == PL_SMP_VOTE_PROP &&
            p->third_party == PL_SMP_TP_SEMI_COMMIT) {
            atomic_store(&e->dist_out, 0);
            par_for(n >= 64 ? e->nth : 1, n, 16, task_transpose, e);
        }
        par_for(n >= 16 ? e->nth : 1, n, 1, task_targets, e);
        if (make_bargains(e) != 0)
            goto oom;
        par_for(n >= 64 ? e->nth : 1, n, 16, task_ut, e);
        if (e->reference)
            par_for(n >= 64 ? e->nth : 1, e->np / VB, 1, task_values, e);
        else
            par_for(n >= 64 ? e->nth : 1, e->np / 4, 4, task_values_grouped, e);
        e->fail = 0;
        par_for(n >= 64 ? e->nth : 1, n, 8, task_resolve, e);
        if (e->fail)
            goto fail;
        /* Ideals follow positions (KTAB's identity accommodation). */
        double dt = state_dist(e->x, e->xnew, n, d);
        memcpy(e->x, e->xnew, n * d * sizeof *e->x);
        if (smp_result_push(res, e->x) != 0)
            goto oom;
        if (t == 1)
            d01 = dt + p->stop_epsilon;
        double ratio = dt / d01;
        res->change[t] = ratio;
        int quiet = t >= p->min_rounds && ratio < p->stop_ratio;
        if (quiet || t >= p->max_rounds) {
            res->converged = quiet;
            if (p->probabilities >= 1) {
                if (risk_attitudes(e) != 0 ||
                    position_probs(e, probs, res->group, &res->distinct) != 0)
                    goto fail;
                memcpy(res->prob + (res->n_states - 1) * n, probs, n * sizeof *probs);
            }
            break;
        }
    }
    goto done;
oom:
    st = PL_E_NOMEM;
    pl__diag_set(diag, st, NULL, 0, 0, "out of memory");
    goto done;
fail:
    st = PL_E_INTERNAL;
    pl__diag_set(diag, st, NULL, 0, 0,
                 "the position-probability model did not converge (or memory ran out)");
done:
    pl__free(probs);
    eng_free(e);
    return st;
}

static pl_status run_any(const pl_smp_model *m, const pl_smp_params *params,
                         pl_smp_result **out, pl_diag *diag, int reference)
{
    if (!m || !out)
        return PL_E_ARG;
    *out = NULL;
    pl_smp_model tmp = *m;
    if (params)
        tmp.params = *params;
    pl_status st = pl_smp_model_validate(&tmp, diag);
    if (st != PL_OK)
        return st;
    pl_smp_result *r = pl__calloc(1, sizeof *r);
    if (!r) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    r->n = m->n;
    r->d = m->d;
    if (tmp.params.kind == PL_SMP_BDM)
        st = smp_run_bdm(&tmp, &tmp.params, r, diag);
    else
        st = run_smp(&tmp, &tmp.params, r, diag, reference);
    if (st == PL_OK && smp_result_finish(r, &tmp) != 0) {
        st = PL_E_NOMEM;
        pl__diag_set(diag, st, NULL, 0, 0, "out of memory");
    }
    if (st != PL_OK) {
        pl_smp_result_free(r);
        return st;
    }
    *out = r;
    return PL_OK;
}

pl_status pl_smp_run(const pl_smp_model *m, const pl_smp_params *params, pl_smp_result **out,
                     pl_diag *diag)
{
    return run_any(m, params, out, diag, 0);
}

pl_status smp_run_reference(const pl_smp_model *m, const pl_smp_params *params,
                            pl_smp_result **out, pl_diag *diag)
{
    return run_any(m, params, out, diag, 1);
}
