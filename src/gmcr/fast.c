/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fast stability engine: individual decision makers, any conflict size.
 *
 * Every concept reduces to a few whole-cube array transforms:
 *
 *   sweep_j(v)(x) = min (or max) of v over x and every state DM j can reach
 *                   from x in one move. A DM's move changes any subset of its
 *                   options, so the reachable set is a product of per-option
 *                   choices and the min over it is one pass per option bit
 *                   (infeasible cells hold the neutral value, so a move may
 *                   "pass through" them: it is one move, not several).
 *   ui_min_j(v)(x) = min of v over DM j's unilateral improvements from x.
 *                   Within one fiber (states equal outside j's options) all
 *                   states are mutually reachable when j's options are
 *                   reversible, so this is a prefix minimum over the fiber
 *                   sorted by j's preference; otherwise it enumerates moves.
 *
 * With c(y) = the least preference level of the focal DM i that the others
 * can force from y (min over their reachable set), s is stable for i iff
 * every state y that i reaches from s has min(p_i(y), c(y)) <= p_i(s): a
 * non-improving y passes by its own level, an improving one only when it is
 * sanctioned. That is one more max-sweep over i's moves. GMR uses the
 * opponents' moves for c, SEQ their improvements, SMR replaces p_i by i's
 * best reply level q_i = max-sweep_i(p_i) before taking the min.
 *
 * Under closure semantics c is a fixpoint over all opponents. Allowing a DM
 * to move twice in a row changes nothing: two consecutive moves of one DM (or
 * two consecutive improvements) reach only what one move reaches, because
 * moves are option changes and preferences are transitive. So the textbook
 * rule "never twice in a row" needs no bookkeeping.
 *
 * SIM has no such algebra. With two DMs on a plain cube (every state
 * feasible, reversible options, no misperception) it is a walk per fiber of
 * the opponent in the opponent's order with one vector operation per state
 * (sim2 below). Otherwise it is checked state by state where the focal DM has
 * an improvement, after a sound pre-test with the GMR closure (a simultaneous
 * sanction is also a sequence of moves when the intermediate states are
 * feasible), trying the opponents' most harmful moves first so that most
 * improvements are sanctioned at the first try. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gmcr/gmcr.h"
#include "util/util.h"

#define INF UINT32_MAX

typedef struct eng {
    const pl_conflict *c;
    uint32_t N;
    int threads;
    uint32_t **fib;   /* per DM: cube states grouped by fiber, sorted by preference (or NULL) */
} eng;

/* ---- a tiny parallel for -------------------------------------------------- */

typedef void (*range_fn)(void *ctx, size_t lo, size_t hi);

typedef struct par_job {
    range_fn fn;
    void *ctx;
    size_t lo, hi;
} par_job;

static void *par_run(void *arg)
{
    par_job *j = arg;
    j->fn(j->ctx, j->lo, j->hi);
    return NULL;
}

/* Each thread gets a fixed contiguous range and writes disjoint cells, so the
 * result is the same whatever the thread count. Below `least` items a thread
 * costs more than it saves. */
static void par_for_min(int threads, size_t n, size_t least, range_fn fn, void *ctx)
{
    if (threads <= 1 || n < least) {
        fn(ctx, 0, n);
        return;
    }
    par_job job[8];
    pthread_t tid[8];
    int started[8] = {0};
    if (threads > 8)
        threads = 8;
    for (int t = 0; t < threads; t++) {
        job[t].fn = fn;
        job[t].ctx = ctx;
        job[t].lo = n * (size_t)t / (size_t)threads;
        job[t].hi = n * (size_t)(t + 1) / (size_t)threads;
    }
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, par_run, &job[t]) == 0;
    fn(ctx, job[0].lo, job[0].hi);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(ctx, job[t].lo, job[t].hi); /* could not start: do it here */
    }
}

static void par_for(int threads, size_t n, range_fn fn, void *ctx)
{
    par_for_min(threads, n, 4096, fn, ctx);
}

/* ---- sweeps ------------------------------------------------------------- */

typedef struct sweep_ctx {
    const pl_conflict *c;
    const gm_dm *mover;  /* for misperceptions; NULL when none apply */
    const uint32_t *v;
    uint32_t *out;
    int is_max;
    int bit;
    int up, down;
} sweep_ctx;

static void sweep_init(void *p, size_t lo, size_t hi)
{
    sweep_ctx *s = p;
    uint32_t neutral = s->is_max ? 0 : INF;
    for (size_t x = lo; x < hi; x++) {
        uint32_t ux = (uint32_t)x;
        s->out[x] = gm_feasible(s->c, ux) && !(s->mover && gm_misp(s->mover, ux)) ? s->v[x]
                                                                                 : neutral;
    }
}

static void sweep_bit(void *p, size_t lo, size_t hi)
{
    sweep_ctx *s = p;
    uint32_t B = 1u << s->bit;
    uint32_t *o = s->out;
    for (size_t q = lo; q < hi; q++) {
        uint32_t x = (uint32_t)(((q >> s->bit) << (s->bit + 1)) | (q & (B - 1)));
        uint32_t y = x | B;
        uint32_t a = o[x], b = o[y];
        if (s->is_max) {
            if (s->up && b > a)
                o[x] = b;
            if (s->down && a > b)
                o[y] = a;
        } else {
            if (s->up && b < a)
                o[x] = b;
            if (s->down && a < b)
                o[y] = a;
        }
    }
}

static void sweep_fin(void *p, size_t lo, size_t hi)
{
    sweep_ctx *s = p;
    uint32_t neutral = s->is_max ? 0 : INF;
    for (size_t x = lo; x < hi; x++) {
        uint32_t ux = (uint32_t)x;
        if (!gm_feasible(s->c, ux))
            s->out[x] = neutral;
        else if (s->mover && gm_misp(s->mover, ux))
            s->out[x] = s->v[x];
        else if (s->is_max ? s->v[x] > s->out[x] : s->v[x] < s->out[x])
            s->out[x] = s->v[x];
    }
}

/* out = min/max of v over x and the states `mover` reaches from x in one move
 * of the options in mask. */
static void sweep(const eng *e, const gm_dm *mover, uint32_t mask, const uint32_t *v,
                  uint32_t *out, int is_max)
{
    sweep_ctx s = {e->c, mover && mover->misp ? mover : NULL, v, out, is_max, 0, 0, 0};
    par_for(e->threads, e->N, sweep_init, &s);
    for (int b = 0; b < e->c->n; b++) {
        if (!((mask >> b) & 1u))
            continue;
        s.bit = b;
        s.up = !((e->c->back >> b) & 1u);   /* N -> Y */
        s.down = !((e->c->fwd >> b) & 1u);  /* Y -> N */
        par_for(e->threads, e->N / 2, sweep_bit, &s);
    }
    par_for(e->threads, e->N, sweep_fin, &s);
}

/* ---- unilateral improvements -------------------------------------------- */

static int dm_simple(const pl_conflict *c, const gm_dm *d)
{
    return !(d->mask & (c->fwd | c->back)) && !d->misp;
}

typedef struct fib_ctx {
    const pl_conflict *c;
    uint32_t N;
    const gm_dm *d;
    uint32_t K;
    uint32_t top;     /* highest level of d */
    uint32_t *ord;
    volatile int failed;
} fib_ctx;

/* By preference, descending; ties by state code. tmp holds K entries. */
static void sort_fiber(uint32_t *v, uint32_t K, const uint32_t *pay, uint32_t *tmp)
{
    for (uint32_t w = 1; w < K; w *= 2) {
        for (uint32_t lo = 0; lo < K; lo += 2 * w) {
            uint32_t mid = lo + w < K ? lo + w : K, hi = lo + 2 * w < K ? lo + 2 * w : K;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                uint32_t a = v[i], b = v[j];
                if (pay[a] > pay[b] || (pay[a] == pay[b] && a < b))
                    tmp[k++] = v[i++];
                else
                    tmp[k++] = v[j++];
            }
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, (size_t)K * sizeof *v);
    }
}

/* Fiber f is the f-th state (in increasing order) with no bit of mask set:
 * the bits of f deposited into the positions outside mask. */
static uint32_t fiber_base(uint32_t f, uint32_t mask, uint32_t N)
{
    uint32_t x = 0;
    for (uint32_t comp = ~mask & (N - 1); comp && f; comp &= comp - 1, f >>= 1)
        if (f & 1u)
            x |= comp & -comp;
    return x;
}

/* The same order when the levels are few: the states come in increasing code,
 * so a stable counting sort by level keeps ties by code. pos has top + 1
 * entries. */
static void count_fiber(uint32_t *v, uint32_t K, const uint32_t *pay, uint32_t top,
                        uint32_t *pos, uint32_t *tmp)
{
    memset(pos, 0, ((size_t)top + 1) * sizeof *pos);
    for (uint32_t k = 0; k < K; k++)
        pos[pay[v[k]]]++;
    uint32_t above = 0;
    for (uint32_t l = top + 1; l-- > 0;) {
        uint32_t n = pos[l];
        pos[l] = above;
        above += n;
    }
    for (uint32_t k = 0; k < K; k++)
        tmp[pos[pay[v[k]]]++] = v[k];
    memcpy(v, tmp, (size_t)K * sizeof *v);
}

static void fib_build(void *p, size_t lo, size_t hi)
{
    fib_ctx *s = p;
    uint32_t mask = s->d->mask;
    int counting = s->top < 4 * s->K;
    uint32_t *tmp = pl__malloc((size_t)s->K * sizeof *tmp);
    uint32_t *pos = counting ? pl__malloc(((size_t)s->top + 1) * sizeof *pos) : NULL;
    if (!tmp || (counting && !pos)) {
        s->failed = 1;
        pl__free(tmp);
        pl__free(pos);
        return;
    }
    for (size_t f = lo; f < hi; f++) {
        uint32_t base = fiber_base((uint32_t)f, mask, s->N);
        uint32_t *v = s->ord + f * s->K;
        uint32_t k = 0, sub = 0;
        do {
            v[k++] = base | sub;
            sub = (sub - mask) & mask;
        } while (sub);
        if (counting)
            count_fiber(v, s->K, s->d->pay, s->top, pos, tmp);
        else
            sort_fiber(v, s->K, s->d->pay, tmp);
    }
    pl__free(tmp);
    pl__free(pos);
}

static int ensure_fibers(eng *e, int j)
{
    if (e->fib[j])
        return 0;
    const gm_dm *d = &e->c->dm[j];
    uint32_t K = 1u << __builtin_popcount(d->mask);
    e->fib[j] = pl__malloc((size_t)e->N * sizeof *e->fib[j]);
    if (!e->fib[j])
        return -1;
    uint32_t top = 0;
    for (uint32_t x = 0; x < e->N; x++)
        if (d->pay[x] > top)
            top = d->pay[x];
    fib_ctx s = {e->c, e->N, d, K, top, e->fib[j], 0};
    par_for(e->threads, e->N / K, fib_build, &s);
    if (s.failed) {
        pl__free(e->fib[j]);
        e->fib[j] = NULL;
        return -1;
    }
    return 0;
}

typedef struct ui_ctx {
    const pl_conflict *c;
    const gm_dm *d;
    uint32_t K;
    const uint32_t *ord;
    const uint32_t *v;
    uint32_t *out;
} ui_ctx;

static void ui_fast(void *p, size_t lo, size_t hi)
{
    ui_ctx *s = p;
    const uint32_t *pay = s->d->pay;
    for (size_t f = lo; f < hi; f++) {
        const uint32_t *m = s->ord + f * s->K;
        uint32_t run = INF;
        uint32_t k = 0;
        while (k < s->K) {
            uint32_t level = pay[m[k]];
            uint32_t g = k;
            uint32_t gmin = INF;
            while (g < s->K && pay[m[g]] == level) {
                uint32_t x = m[g];
                s->out[x] = run;
                if (level && s->v[x] < gmin)
                    gmin = s->v[x];
                g++;
            }
            if (gmin < run)
                run = gmin;
            k = g;
        }
    }
}

static void ui_slow(void *p, size_t lo, size_t hi)
{
    ui_ctx *s = p;
    const pl_conflict *c = s->c;
    const gm_dm *d = s->d;
    for (size_t xi = lo; xi < hi; xi++) {
        uint32_t x = (uint32_t)xi;
        uint32_t best = INF;
        if (gm_feasible(c, x) && !gm_misp(d, x)) {
            uint32_t fr = gm_free_bits(c, d->mask, x);
            for (uint32_t sub = fr; sub; sub = (sub - 1) & fr) {
                uint32_t y = x ^ sub;
                if (gm_feasible(c, y) && !gm_misp(d, y) && d->pay[y] > d->pay[x] && s->v[y] < best)
                    best = s->v[y];
            }
        }
        s->out[x] = best;
    }
}

/* out(x) = min of v over DM j's unilateral improvements from x (INF: none). */
static int ui_min(eng *e, int j, const uint32_t *v, uint32_t *out)
{
    const gm_dm *d = &e->c->dm[j];
    ui_ctx s = {e->c, d, 1u << __builtin_popcount(d->mask), NULL, v, out};
    if (dm_simple(e->c, d)) {
        if (ensure_fibers(e, j) != 0)
            return -1;
        s.ord = e->fib[j];
        par_for(e->threads, e->N / s.K, ui_fast, &s);
        /* infeasible cells were written with the running minimum */
        for (uint32_t x = 0; x < e->N; x++)
            if (!gm_feasible(e->c, x))
                out[x] = INF;
    } else {
        par_for(e->threads, e->N, ui_slow, &s);
    }
    return 0;
}

/* ---- sanction closures ---------------------------------------------------- */

/* One step of opponent j: min over x itself and j's moves (ui = 0) or j's
 * improvements (ui = 1). */
static int step(eng *e, int j, int ui, const uint32_t *v, uint32_t *out)
{
    if (!ui) {
        sweep(e, &e->c->dm[j], e->c->dm[j].mask, v, out, 0);
        return 0;
    }
    if (ui_min(e, j, v, out) != 0)
        return -1;
    for (uint32_t x = 0; x < e->N; x++)
        if (v[x] < out[x])
            out[x] = v[x];
    return 0;
}

/* c = least value of base the opponents of i can reach, under the semantics.
 * base and c are cube arrays (INF on infeasible cells). */
static int closure(eng *e, int i, int ui, pl_gmcr_semantics sem, const uint32_t *base, uint32_t *c)
{
    const pl_conflict *cf = e->c;
    size_t bytes = (size_t)e->N * sizeof(uint32_t);
    uint32_t *w = pl__malloc(bytes);
    if (!w)
        return -1;
    memcpy(c, base, bytes);
    int rc = 0;
    if (sem == PL_GMCR_CLOSURE) {
        int changed = 1;
        while (changed && rc == 0) {
            changed = 0;
            for (int j = 0; j < cf->n_dm && rc == 0; j++) {
                if (j == i)
                    continue;
                if ((rc = step(e, j, ui, c, w)) != 0)
                    break;
                for (uint32_t x = 0; x < e->N; x++)
                    if (w[x] < c[x]) {
                        c[x] = w[x];
                        changed = 1;
                    }
            }
        }
    } else if (sem == PL_GMCR_SINGLE) {
        for (int j = 0; j < cf->n_dm && rc == 0; j++) {
            if (j == i)
                continue;
            if ((rc = step(e, j, ui, base, w)) != 0)
                break;
            for (uint32_t x = 0; x < e->N; x++)
                if (w[x] < c[x])
                    c[x] = w[x];
        }
    } else {
        /* Each opponent at most once, in any order: G[S] = min over j in S of
         * step_j(G[S - j]); the answer is G[all opponents]. */
        int opp[PL_GMCR_MAX_DMS], m = 0;
        for (int j = 0; j < cf->n_dm; j++)
            if (j != i)
                opp[m++] = j;
        size_t nsub = (size_t)1 << m;
        uint32_t **G = pl__calloc(nsub, sizeof *G);
        if (!G) {
            pl__free(w);
            return -1;
        }
        G[0] = (uint32_t *)base;
        for (size_t S = 1; S < nsub && rc == 0; S++) {
            G[S] = pl__malloc(bytes);
            if (!G[S]) {
                rc = -1;
                break;
            }
            memset(G[S], 0xff, bytes);
            for (int t = 0; t < m && rc == 0; t++) {
                if (!((S >> t) & 1u))
                    continue;
                if ((rc = step(e, opp[t], ui, G[S & ~((size_t)1 << t)], w)) != 0)
                    break;
                for (uint32_t x = 0; x < e->N; x++)
                    if (w[x] < G[S][x])
                        G[S][x] = w[x];
            }
        }
        if (rc == 0)
            memcpy(c, G[nsub - 1], bytes);
        for (size_t S = 1; S < nsub; S++)
            pl__free(G[S]);
        pl__free(G);
    }
    pl__free(w);
    return rc;
}

/* Stable states of i: sweep_max_i(min(p_i, c)) <= p_i. */
static void verdict(eng *e, int i, const uint32_t *c, uint32_t *w, uint32_t *m, uint64_t *bits)
{
    const gm_dm *d = &e->c->dm[i];
    for (uint32_t x = 0; x < e->N; x++)
        w[x] = gm_feasible(e->c, x) ? (c && c[x] < d->pay[x] ? c[x] : d->pay[x]) : 0;
    sweep(e, d, d->mask, w, m, 1);
    for (uint32_t x = 0; x < e->N; x++)
        if (gm_feasible(e->c, x) && m[x] <= d->pay[x])
            bits[x >> 6] |= 1ull << (x & 63);
}

/* ---- SIM ------------------------------------------------------------------ */

typedef struct sim_ctx {
    const pl_conflict *c;
    int i;
    const uint32_t *gmr;      /* closure of p_i over opponents' moves, or NULL */
    const uint64_t *nash;
    const uint64_t *gmr_ok;   /* GMR (closure) verdicts: SIM-stable implies GMR-stable */
    uint32_t *const *fib;     /* sorted fibers per DM (NULL when not simple) */
    const uint8_t *p8;        /* p_i in one byte when it fits (cache-friendly), or NULL */
    const uint16_t *p16;      /* ... or in two */
    int all_feasible;
    uint64_t *bits;
    volatile int failed;
} sim_ctx;

/* Index of x's fiber for a DM with option mask `mask`. */
static uint32_t fiber_index(uint32_t x, uint32_t mask, uint32_t N)
{
    uint32_t f = 0, bit = 1;
    for (uint32_t comp = ~mask & (N - 1); comp; comp &= comp - 1, bit <<= 1)
        if (x & comp & -comp)
            f |= bit;
    return f;
}

/* The improvements of DM j from x, as option changes, into l (after l[0]);
 * returns the count written. Sorted fibers list them as a prefix. */
static uint32_t ui_list(const pl_conflict *c, const uint32_t *fib, int j, uint32_t x, uint32_t *l)
{
    const gm_dm *o = &c->dm[j];
    uint32_t n = 0;
    if (fib) {
        uint32_t K = 1u << __builtin_popcount(o->mask);
        const uint32_t *m = fib + (size_t)fiber_index(x, o->mask, c->cube) * K;
        uint32_t px = o->pay[x];
        for (uint32_t t = 0; t < K && o->pay[m[t]] > px; t++)
            l[n++] = m[t] ^ x;
        return n;
    }
    if (gm_misp(o, x))
        return 0;
    uint32_t fr = gm_free_bits(c, o->mask, x);
    for (uint32_t sub = fr; sub; sub = (sub - 1) & fr) {
        uint32_t y = x ^ sub;
        if (gm_feasible(c, y) && !gm_misp(o, y) && o->pay[y] > o->pay[x])
            l[n++] = sub;
    }
    return n;
}

static int sim_state(const sim_ctx *s, uint32_t x, uint32_t *const *lists, uint32_t *ui)
{
    const pl_conflict *c = s->c;
    int i = s->i;
    const gm_dm *d = &c->dm[i];
    uint32_t px = d->pay[x];
    if (gm_misp(d, x))
        return 1;
    /* Opponents' improvements from x, as option changes (0 = stay). */
    uint32_t lens[PL_GMCR_MAX_DMS];
    int nl = 0;
    for (int j = 0; j < c->n_dm; j++) {
        if (j == i)
            continue;
        uint32_t *l = lists[nl];
        l[0] = 0;
        uint32_t n = 1 + ui_list(c, s->fib[j], j, x, l + 1);
        /* The most harmful move for i first (by what i gets if only this
         * opponent moves): the first combination then sanctions most UIs.
         * Order never changes the verdict. */
        uint32_t best = 0, bv = UINT32_MAX;
        for (uint32_t a = 1; a < n; a++) {
            uint32_t v = d->pay[x ^ l[a]];
            if (v < bv) {
                bv = v;
                best = a;
            }
        }
        if (best) {
            uint32_t t = l[0];
            l[0] = l[best];
            l[best] = t;
        }
        lens[nl++] = n;
    }
    uint32_t nu = ui_list(c, s->fib[i], i, x, ui);
    for (uint32_t a = 0; a < nu; a++) {
        uint32_t y = x ^ ui[a];
        if (s->gmr && s->gmr[y] > px)
            return 0; /* not even a sequence of moves sanctions it */
        int found = 0;
        if (s->all_feasible && nl <= 2 && (s->p8 || s->p16)) {
            /* The common case, unrolled: one or two opponents, no infeasible
             * state, compact payoffs. */
            const uint32_t *l0 = lists[0], *l1 = nl == 2 ? lists[1] : NULL;
            uint32_t n0 = lens[0], n1 = nl == 2 ? lens[1] : 1;
            static const uint32_t zero = 0;
            if (!l1)
                l1 = &zero;
            for (uint32_t a0 = 0; a0 < n0 && !found; a0++) {
                uint32_t y0 = y ^ l0[a0];
                if (s->p8) {
                    for (uint32_t a1 = 0; a1 < n1; a1++)
                        if (s->p8[y0 ^ l1[a1]] <= px) {
                            found = 1;
                            break;
                        }
                } else {
                    for (uint32_t a1 = 0; a1 < n1; a1++)
                        if (s->p16[y0 ^ l1[a1]] <= px) {
                            found = 1;
                            break;
                        }
                }
            }
        } else {
            /* Odometer over the opponents' choices. */
            uint32_t idx[PL_GMCR_MAX_DMS] = {0};
            for (;;) {
                uint32_t z = y;
                for (int t = 0; t < nl; t++)
                    z ^= lists[t][idx[t]];
                if (gm_feasible(c, z) && d->pay[z] <= px) {
                    found = 1;
                    break;
                }
                int t = 0;
                while (t < nl && ++idx[t] == lens[t])
                    idx[t++] = 0;
                if (t == nl)
                    break;
            }
        }
        if (!found)
            return 0;
    }
    return 1;
}

static void sim_range(void *p, size_t lo, size_t hi)
{
    sim_ctx *s = p;
    uint32_t *lists[PL_GMCR_MAX_DMS] = {0};
    uint32_t *ui = pl__malloc(((size_t)1 << __builtin_popcount(s->c->dm[s->i].mask)) *
                              sizeof(uint32_t));
    int nl = 0;
    if (!ui) {
        s->failed = 1;
        return;
    }
    for (int j = 0; j < s->c->n_dm; j++) {
        if (j == s->i)
            continue;
        lists[nl] = pl__malloc(((size_t)1 + (1u << __builtin_popcount(s->c->dm[j].mask))) *
                               sizeof(uint32_t));
        if (!lists[nl++]) {
            s->failed = 1;
            goto out;
        }
    }
    /* Ranges are aligned to 64 states by the caller, so words are private. */
    for (size_t x = lo * 64; x < hi * 64 && x < s->c->cube; x++) {
        uint32_t ux = (uint32_t)x;
        if (!gm_feasible(s->c, ux))
            continue;
        if ((s->nash[x >> 6] >> (x & 63)) & 1u) {
            s->bits[x >> 6] |= 1ull << (x & 63);
            continue;
        }
        if (s->gmr_ok && !((s->gmr_ok[x >> 6] >> (x & 63)) & 1u))
            continue;
        if (sim_state(s, ux, lists, ui))
            s->bits[x >> 6] |= 1ull << (x & 63);
    }
out:
    pl__free(ui);
    for (int t = 0; t < nl; t++)
        pl__free(lists[t]);
}

/* ---- SIM for two DMs ------------------------------------------------------
 *
 * With two DMs, every state feasible, no misperception and only reversible
 * options, a state is a pair (a, b) of the focal DM i's options and the
 * opponent j's. i's improvements from (a, b) are the (a', b) that i prefers;
 * j's replies are staying and the (a, b') that j prefers to (a, b), i.e. the
 * part of j's sorted fiber at a above (a, b). The joint outcome of a' and b'
 * is (a', b'), so with P = p_i(a, b), (a, b) is SIM-stable iff every a' has
 *
 *     min(p_i(a', b), g(a')) <= P,   g(a') = min over j's improvements b' of p_i(a', b')
 *
 * (the first term is j staying: it passes every a' that is no improvement and
 * sanctions none that is, so an improvement needs some b' of g). g depends
 * on (a, b) only through the number of states j ranks strictly above it in
 * the fiber, and only falls as that number grows, so one walk down j's order
 * per fiber keeps g current with one elementwise min per state, and each
 * verdict is one min-max over i's 2^{n_i} option sets. That is 2^n * 2^{n_i}
 * byte operations per focal DM, vectorised, instead of a search over the
 * product of both DMs' move lists at every state. */

typedef struct sim2_ctx {
    const pl_conflict *c;
    int i, j;
    uint32_t Ki, Kj;              /* 2^(options of i), 2^(options of j) */
    const uint32_t *fib_j;        /* j's fibers, indexed by i's compact option set */
    const void *q;                /* q[b * Ki + a] = p_i at (a, b), `width` bytes each */
    int width;
    const uint64_t *nash, *gmr_ok;
    uint64_t *bits;
    uint32_t comp_j[4][256];      /* a state's bytes -> j's compact option set */
    volatile int failed;
} sim2_ctx;

/* Where the bits of mask sit, for each compact index k < 2^popcount(mask). */
static void deposit_table(uint32_t mask, uint32_t *dep)
{
    uint32_t k = 0, sub = 0;
    do {
        dep[k++] = sub;
        sub = (sub - mask) & mask;
    } while (sub);
}

static uint32_t sim2_comp(const sim2_ctx *s, uint32_t x)
{
    return s->comp_j[0][x & 255] | s->comp_j[1][(x >> 8) & 255] |
           s->comp_j[2][(x >> 16) & 255] | s->comp_j[3][x >> 24];
}

/* Still to decide: not Nash-stable (those are SIM-stable, and set already)
 * and GMR-stable (a simultaneous reply is also a sequence of moves here). */
static int sim2_open(const sim2_ctx *s, uint32_t x)
{
    if ((s->nash[x >> 6] >> (x & 63)) & 1u)
        return 0;
    return !s->gmr_ok || ((s->gmr_ok[x >> 6] >> (x & 63)) & 1u);
}

/* The kernels, for levels in 1, 2 or 4 bytes (the narrowest that holds them:
 * twice the elements per vector instruction and half the memory traffic).
 * vmin: g = min(g, q) elementwise. vover: 1 when some k has
 * min(g[k], q[k]) > P, an improvement nothing sanctions; it looks at blocks
 * of 64 so that an unstable state usually stops early while each block is
 * still a loop compilers vectorise. */
#define SIM2_KERNELS(T, W)                                                          \
    static void vmin##W(T *restrict g, const T *restrict q, uint32_t K)             \
    {                                                                               \
        for (uint32_t k = 0; k < K; k++)                                            \
            g[k] = q[k] < g[k] ? q[k] : g[k];                                       \
    }                                                                               \
    static int vover##W(const T *restrict g, const T *restrict q, uint32_t K, T P)  \
    {                                                                               \
        uint32_t step = K < 64 ? K : 64;                                            \
        for (uint32_t k0 = 0; k0 < K; k0 += step) {                                 \
            T m = 0;                                                                \
            for (uint32_t k = k0; k < k0 + step; k++) {                             \
                T v = q[k] < g[k] ? q[k] : g[k];                                    \
                m = v > m ? v : m;                                                  \
            }                                                                       \
            if (m > P)                                                              \
                return 1;                                                           \
        }                                                                           \
        return 0;                                                                   \
    }

SIM2_KERNELS(uint8_t, 8)
SIM2_KERNELS(uint16_t, 16)
SIM2_KERNELS(uint32_t, 32)

static void sim2_min(const sim2_ctx *s, void *g, size_t row)
{
    if (s->width == 1)
        vmin8(g, (const uint8_t *)s->q + row, s->Ki);
    else if (s->width == 2)
        vmin16(g, (const uint16_t *)s->q + row, s->Ki);
    else
        vmin32(g, (const uint32_t *)s->q + row, s->Ki);
}

static int sim2_over(const sim2_ctx *s, const void *g, size_t row, uint32_t P)
{
    if (s->width == 1)
        return vover8(g, (const uint8_t *)s->q + row, s->Ki, (uint8_t)P);
    if (s->width == 2)
        return vover16(g, (const uint16_t *)s->q + row, s->Ki, (uint16_t)P);
    return vover32(g, (const uint32_t *)s->q + row, s->Ki, P);
}

static void sim2_range(void *p, size_t lo, size_t hi)
{
    sim2_ctx *s = p;
    const uint32_t *pi = s->c->dm[s->i].pay, *pj = s->c->dm[s->j].pay;
    uint32_t Ki = s->Ki, Kj = s->Kj;
    size_t gbytes = (size_t)Ki * (size_t)s->width;
    void *g = pl__malloc(gbytes);
    if (!g) {
        s->failed = 1;
        return;
    }
    for (size_t a = lo; a < hi; a++) {
        const uint32_t *m = s->fib_j + a * Kj;
        /* g is only needed down to the last open state of the fiber */
        uint32_t last = Kj;
        for (uint32_t t = Kj; t-- > 0;)
            if (sim2_open(s, m[t])) {
                last = t;
                break;
            }
        if (last == Kj)
            continue;
        /* "no reply yet": all ones is at least every level, and a reply that
         * reaches no lower than P sanctions nothing either */
        memset(g, 0xff, gbytes);
        uint32_t t = 0;
        for (;;) {
            /* j's states tied with m[t] are not replies to one another */
            uint32_t level = pj[m[t]], u = t + 1;
            while (u < Kj && pj[m[u]] == level)
                u++;
            for (uint32_t k = t; k < u; k++) {
                uint32_t x = m[k];
                if (!sim2_open(s, x))
                    continue;
                if (!sim2_over(s, g, (size_t)sim2_comp(s, x) * Ki, pi[x]))
                    /* fibers of different threads share words */
                    __atomic_fetch_or(&s->bits[x >> 6], 1ull << (x & 63), __ATOMIC_RELAXED);
            }
            if (u > last)
                break;
            for (uint32_t k = t; k < u; k++)
                sim2_min(s, g, (size_t)sim2_comp(s, m[k]) * Ki);
            t = u;
        }
    }
    pl__free(g);
}

typedef struct sim2_fill {
    const uint32_t *pay, *dep_i, *dep_j;
    uint32_t Ki;
    void *q;
    int width;
} sim2_fill;

static void sim2_fill_range(void *p, size_t lo, size_t hi)
{
    sim2_fill *f = p;
    for (size_t b = lo; b < hi; b++)
        for (uint32_t a = 0; a < f->Ki; a++) {
            uint32_t v = f->pay[f->dep_i[a] | f->dep_j[b]];
            size_t at = b * f->Ki + a;
            if (f->width == 1)
                ((uint8_t *)f->q)[at] = (uint8_t)v;
            else if (f->width == 2)
                ((uint16_t *)f->q)[at] = (uint16_t)v;
            else
                ((uint32_t *)f->q)[at] = v;
        }
}

/* The walk's premises: a state is exactly a pair (a, b) (every option is one
 * of the two DMs', every combination feasible) and both move sets are whole
 * fibers (no irreversible option, no misperception). */
static int sim2_applies(const pl_conflict *c)
{
    if (c->n_dm != 2 || c->n_states != c->cube)
        return 0;
    for (int j = 0; j < 2; j++)
        if (!dm_simple(c, &c->dm[j]))
            return 0;
    return (c->dm[0].mask | c->dm[1].mask) == c->cube - 1;
}

/* SIM verdicts of DM i (bits: its Nash verdicts on entry); -1: out of memory. */
static int sim2(eng *e, int i, const uint64_t *nash, const uint64_t *gmr_ok, uint64_t *bits)
{
    const pl_conflict *c = e->c;
    int j = 1 - i;
    uint32_t top = 0;
    for (uint32_t x = 0; x < e->N; x++)
        if (c->dm[i].pay[x] > top)
            top = c->dm[i].pay[x];
    if (ensure_fibers(e, j) != 0)
        return -1;
    sim2_ctx *s = pl__calloc(1, sizeof *s);
    sim2_fill f = {c->dm[i].pay, NULL, NULL, 0, NULL, top < 256 ? 1 : top < 65536 ? 2 : 4};
    uint32_t *dep_i = NULL, *dep_j = NULL;
    int rc = -1;
    if (!s)
        return -1;
    s->c = c;
    s->i = i;
    s->j = j;
    s->Ki = 1u << __builtin_popcount(c->dm[i].mask);
    s->Kj = 1u << __builtin_popcount(c->dm[j].mask);
    s->fib_j = e->fib[j];
    s->nash = nash;
    s->gmr_ok = gmr_ok;
    s->bits = bits;
    dep_i = pl__malloc((size_t)s->Ki * sizeof *dep_i);
    dep_j = pl__malloc((size_t)s->Kj * sizeof *dep_j);
    if (!dep_i || !dep_j)
        goto out;
    deposit_table(c->dm[i].mask, dep_i);
    deposit_table(c->dm[j].mask, dep_j);
    for (int byte = 0; byte < 4; byte++) {
        uint32_t below = c->dm[j].mask & ((1ull << (8 * byte)) - 1);
        int shift = __builtin_popcount(below);
        for (uint32_t v = 0; v < 256; v++) {
            uint32_t x = (v << (8 * byte)) & c->dm[j].mask, out = 0;
            int k = 0;
            for (uint32_t bit = 0; bit < 8; bit++) {
                uint32_t B = 1u << (8 * byte + bit);
                if (c->dm[j].mask & B)
                    out |= (x & B ? 1u : 0u) << k++;
            }
            s->comp_j[byte][v] = out << shift;
        }
    }
    s->width = f.width;
    s->q = f.q = pl__malloc((size_t)e->N * (size_t)f.width);
    if (!f.q)
        goto out;
    f.dep_i = dep_i;
    f.dep_j = dep_j;
    f.Ki = s->Ki;
    par_for_min(e->threads, s->Kj, 64, sim2_fill_range, &f);
    par_for_min(e->threads, s->Ki, 2, sim2_range, s);
    rc = s->failed ? -1 : 0;
out:
    pl__free(f.q);
    pl__free(dep_i);
    pl__free(dep_j);
    pl__free(s);
    return rc;
}

/* ---- driver --------------------------------------------------------------- */

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > 8 ? 8 : (int)n;
}

pl_status gm_fast(pl_stability *st, pl_diag *diag)
{
    const pl_conflict *c = st->c;
    eng e = {c, c->cube, st->opts.threads > 0 ? st->opts.threads : default_threads(), NULL};
    size_t bytes = (size_t)e.N * sizeof(uint32_t);
    size_t words = e.N >= 64 ? e.N / 64 : 1;
    uint32_t *base = pl__malloc(bytes), *cl = pl__malloc(bytes), *w = pl__malloc(bytes),
             *m = pl__malloc(bytes), *gmr = NULL;
    uint64_t *gmr_ok = NULL;
    e.fib = pl__calloc((size_t)c->n_dm, sizeof *e.fib);
    pl_status rc = PL_OK;
    if (!base || !cl || !w || !m || !e.fib)
        goto oom;
    unsigned want = st->have;
    int need_sim = (want >> PL_GMCR_SIM) & 1u;
    /* A simultaneous sanction is a sequence of moves (hence bounded by the GMR
     * closure) when no intermediate state can be infeasible or misperceived. */
    int any_misp = 0;
    for (int j = 0; j < c->n_dm; j++)
        any_misp |= c->dm[j].misp != NULL;
    int prune = !any_misp && (c->n_dm == 2 || c->n_states == c->cube);

    for (int i = 0; i < c->n_dm; i++) {
        const gm_dm *d = &c->dm[i];
        for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
            if (!((want >> k) & 1u))
                continue;
            st->stable[k][i] = pl__calloc(words, sizeof(uint64_t));
            if (!st->stable[k][i])
                goto oom;
        }
        for (uint32_t x = 0; x < e.N; x++)
            base[x] = gm_feasible(c, x) ? d->pay[x] : INF;
        uint64_t *nash = st->stable[PL_GMCR_NASH][i];
        verdict(&e, i, NULL, w, m, nash);
        if ((want >> PL_GMCR_GMR) & 1u || (need_sim && prune)) {
            if (closure(&e, i, 0, st->opts.semantics, base, cl) != 0)
                goto oom;
            if ((want >> PL_GMCR_GMR) & 1u)
                verdict(&e, i, cl, w, m, st->stable[PL_GMCR_GMR][i]);
            if (need_sim && prune) {
                if (st->opts.semantics != PL_GMCR_CLOSURE &&
                    closure(&e, i, 0, PL_GMCR_CLOSURE, base, cl) != 0)
                    goto oom;
                gmr = pl__malloc(bytes);
                gmr_ok = pl__calloc(words, sizeof *gmr_ok);
                if (!gmr || !gmr_ok)
                    goto oom;
                memcpy(gmr, cl, bytes);
                /* every UI of a SIM-stable state is GMR-sanctioned */
                verdict(&e, i, cl, w, m, gmr_ok);
            }
        }
        if ((want >> PL_GMCR_SEQ) & 1u || (want >> PL_GMCR_SEQSIM) & 1u) {
            if (closure(&e, i, 1, st->opts.semantics, base, cl) != 0)
                goto oom;
            verdict(&e, i, cl, w, m, st->stable[PL_GMCR_SEQ][i]);
        }
        if ((want >> PL_GMCR_SMR) & 1u) {
            /* q_i: the best i can get from x by one more move (or by staying). */
            sweep(&e, d, d->mask, base, m, 1);
            for (uint32_t x = 0; x < e.N; x++)
                w[x] = gm_feasible(c, x) ? m[x] : INF;
            if (closure(&e, i, 0, st->opts.semantics, w, cl) != 0)
                goto oom;
            verdict(&e, i, cl, w, m, st->stable[PL_GMCR_SMR][i]);
        }
        int sim_done = need_sim && sim2_applies(c);
        if (sim_done) {
            uint64_t *sim = st->stable[PL_GMCR_SIM][i];
            memcpy(sim, nash, words * sizeof *sim);
            if (sim2(&e, i, nash, gmr_ok, sim) != 0)
                goto oom;
        }
        if (need_sim && !sim_done) {
            for (int j = 0; j < c->n_dm; j++)
                if (dm_simple(c, &c->dm[j]) && ensure_fibers(&e, j) != 0)
                    goto oom;
            /* A byte (or two) per state when the levels fit keeps the random
             * probes of the search in cache. */
            uint32_t top = 0;
            for (uint32_t x = 0; x < e.N; x++)
                if (d->pay[x] > top)
                    top = d->pay[x];
            uint8_t *p8 = NULL;
            uint16_t *p16 = NULL;
            if (top < 256 && (p8 = pl__malloc(e.N)) != NULL)
                for (uint32_t x = 0; x < e.N; x++)
                    p8[x] = (uint8_t)d->pay[x];
            else if (top < 65536 && (p16 = pl__malloc((size_t)e.N * 2)) != NULL)
                for (uint32_t x = 0; x < e.N; x++)
                    p16[x] = (uint16_t)d->pay[x];
            sim_ctx s = {c, i, gmr, nash, gmr_ok, e.fib, p8, p16, c->n_states == c->cube,
                         st->stable[PL_GMCR_SIM][i], 0};
            par_for(e.threads, words, sim_range, &s);
            pl__free(p8);
            pl__free(p16);
            if (s.failed)
                goto oom;
        }
        if (need_sim) {
            pl__free(gmr);
            pl__free(gmr_ok);
            gmr = NULL;
            gmr_ok = NULL;
        }
        if ((want >> PL_GMCR_SEQSIM) & 1u)
            for (size_t k = 0; k < words; k++)
                st->stable[PL_GMCR_SEQSIM][i][k] =
                    st->stable[PL_GMCR_SEQ][i][k] | st->stable[PL_GMCR_SIM][i][k];
    }
    goto done;
oom:
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0,
                 "out of memory while analysing %u states", (unsigned)c->cube);
    rc = PL_E_NOMEM;
done:
    if (e.fib)
        for (int j = 0; j < c->n_dm; j++)
            pl__free(e.fib[j]);
    pl__free(e.fib);
    pl__free(base);
    pl__free(cl);
    pl__free(w);
    pl__free(m);
    pl__free(gmr);
    pl__free(gmr_ok);
    return rc;
}
