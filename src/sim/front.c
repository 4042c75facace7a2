/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monthly Nash package from a kept frontier instead of a fresh search.
 *
 * Within a run only the reservations and the scores of the options the war
 * moves (effects, gates) change from month to month; the veto actors' other
 * scores, their red lines and the constraints change only when a run draws
 * another sample or the battlefield lifts a red line, and the samples repeat
 * (discrete alternatives). So per sample ("key"), and per combination of the
 * moved issues' options ("class", in which the moved scores only shift every
 * package alike), the packages that can ever be the Nash package above a
 * floor are built once (sp_front_build) and each month is a branch and bound
 * over a few thousand points.
 *
 * The answer is the one sp_best gives, not an approximation of it:
 *  - a package the frontier left out is beaten, along at most one chain of
 *    build steps, by a kept one that is at least as good for every actor to
 *    within SP_FRONT_SLACK and better for one by SP_FRONT_MARGIN less that;
 *    whenever the gains near the optimum are large enough for that margin to
 *    beat the slack in the Nash product (checked every month), the kept one
 *    has the larger product, so the winner is kept;
 *  - every kept package within 1e-9 of the best product is re-evaluated with
 *    the canonical utilities and score sp_best uses, ties to the first in
 *    package order;
 *  - anything else (too small gains, packages whose sums coincide bit for
 *    bit, a key not yet worth a frontier, more than three veto actors) is left to
 *    sp_best.
 * Which months take which path therefore never shows in the output, nor
 * does which thread built a frontier: one cache serves every thread of a
 * simulation; a class, once published, is never changed (a rebuild
 * publishes a new one and retires the old until the end). */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simi.h"
#include "space/space.h"
#include "util/util.h"

#define FR_MAX_KEYS 32
#define FR_MAX_CLASSES 64
#define FR_TOL 1e-9        /* relative: products this close are re-evaluated */
#define FR_LEAF 8
#define FR_MAX_CAND 64
#define FR_BUY 64          /* searches a key's frontiers are worth */
#define FR_WIDTH 20        /* a first build's floor, below the reservations */

typedef struct kd_node {
    double max[3];
    uint32_t lo, hi;       /* points [lo, hi) */
    int32_t left, right;   /* -1: a leaf */
} kd_node;

typedef struct fr_class {
    double floor[3];       /* reservations the frontier was built for */
    double base[3];        /* the moved options' summed scores at the build */
    double width;          /* how far below the reservations the floor goes */
    sp_front f;
    kd_node *node;
    size_t n_node;
} fr_class;

typedef struct fr_key {
    unsigned char *bytes;
    size_t len;
    atomic_long calls;     /* months that asked for it, until it is bought */
    long noted;            /* probe: months that would ask */
    double (*lo)[3];       /* probe: per class the least res - moved met */
    long *first;           /* probe: per class the first probe run meeting it */
    unsigned char *plan;   /* per class: this part's to build in the probe */
    atomic_int bought;     /* its frontiers are worth it (or were given): use them */
    double free_max[3];    /* best sum over the unmoved issues, bonuses included */
    double posb[3];        /* the positive bonuses alone */
    _Atomic(fr_class *) *cls; /* per class: published, or NULL */
    unsigned char *building; /* per class: a thread is building it */
} fr_key;

struct sim_front {
    size_t K, I, O;
    size_t act[3];
    int ok;                /* 0: never applicable (leave everything to sp_best) */
    size_t nE;
    size_t E[8];           /* the moved issues */
    unsigned char moved[PL_MAX_ISSUES];
    size_t n_cls;
    /* Keys are added under mu and published by n_pub once complete: a
     * month reads the published ones, and their classes, without the lock,
     * since every month asks and the threads would otherwise queue there. */
    fr_key key[FR_MAX_KEYS];
    size_t n_key;
    atomic_size_t n_pub;
    size_t *n_opts;
    fr_class **retired;
    size_t n_retired, cap_retired;
    sp_front_work *pool[64]; /* build scratch not in use */
    size_t n_pool;
    pthread_mutex_t mu;
    pthread_cond_t built;  /* a build finished */
    long runs_total;       /* of this simulation */
    struct fr_item {       /* the frontiers a prepare will build */
        fr_key *e;
        size_t c;
    } *item;
    long n_item;
    uint64_t source;       /* the scenario file's hash, as-of date, parley version */
    atomic_long runs_done;
};

void sim_front_run(sim_front *f)
{
    if (f)
        atomic_fetch_add_explicit(&f->runs_done, 1, memory_order_relaxed);
}

static uint64_t fnv_str(uint64_t h, const char *p)
{
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

sim_front *sim_front_new(const pl_scenario *sc, const war_model *w, long runs)
{
    sim_front *f = pl__calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->I = sc->n_issues;
    f->O = sc->total_opts;
    f->runs_total = runs;
    /* Another build may build frontiers differently: the version counts. */
    f->source = fnv_str(fnv_str(fnv_str(0, sc->hash), sc->as_of), PL_BUILD_VERSION);
    for (size_t a = 0; a < sc->n_actors; a++)
        if (sc->actor[a].has_pref && sc->actor[a].veto) {
            if (f->K == 3) {
                f->K = 4;
                break;
            }
            f->act[f->K++] = a;
        }
    f->ok = f->K >= 1 && f->K <= 3 && f->I <= PL_MAX_ISSUES;
    for (size_t fr = 0; fr < w->n_front && f->ok; fr++) {
        const war_front *F = &w->front[fr];
        for (size_t k = 0; k < F->n_eff + F->n_gate; k++) {
            long i = k < F->n_eff ? F->eff[k].issue : F->gate[k - F->n_eff].issue;
            if (i < 0 || f->moved[i])
                continue;
            if (f->nE == 8) {
                f->ok = 0;
                break;
            }
            f->moved[i] = 1;
            f->E[f->nE++] = (size_t)i;
        }
    }
    f->n_cls = 1;
    for (size_t e = 0; e < f->nE && f->ok; e++) {
        f->n_cls *= sc->issue[f->E[e]].n_opt;
        if (f->n_cls > FR_MAX_CLASSES)
            f->ok = 0;
    }
    f->n_opts = pl__malloc(sizeof *f->n_opts * (f->I ? f->I : 1));
    if (!f->n_opts || pthread_mutex_init(&f->mu, NULL) != 0) {
        pl__free(f->n_opts);
        pl__free(f);
        return NULL;
    }
    if (pthread_cond_init(&f->built, NULL) != 0) {
        pthread_mutex_destroy(&f->mu);
        pl__free(f->n_opts);
        pl__free(f);
        return NULL;
    }
    for (size_t i = 0; i < f->I; i++)
        f->n_opts[i] = sc->issue[i].n_opt;
    return f;
}

static void class_free(fr_class *c)
{
    if (!c)
        return;
    sp_front_free(&c->f);
    pl__free(c->node);
    pl__free(c);
}

void sim_front_free(sim_front *f)
{
    if (!f)
        return;
    for (size_t k = 0; k < f->n_key; k++) {
        pl__free(f->key[k].bytes);
        if (f->key[k].cls)
            for (size_t c = 0; c < f->n_cls; c++)
                class_free(f->key[k].cls[c]);
        pl__free(f->key[k].cls);
        pl__free(f->key[k].building);
        pl__free(f->key[k].lo);
        pl__free(f->key[k].first);
        pl__free(f->key[k].plan);
    }
    for (size_t k = 0; k < f->n_retired; k++)
        class_free(f->retired[k]);
    for (size_t k = 0; k < f->n_pool; k++)
        sp_front_work_free(f->pool[k]);
    pl__free(f->retired);
    pl__free(f->item);
    pl__free(f->n_opts);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->built);
    pl__free(f);
}

static int put(sim_front_local *L, size_t *n, const void *p, size_t len)
{
    if (*n + len > L->cap) {
        size_t nc = L->cap ? L->cap : 4096;
        while (nc < *n + len)
            nc *= 2;
        unsigned char *b = pl__realloc(L->buf, nc);
        if (!b)
            return -1;
        L->buf = b;
        L->cap = nc;
    }
    memcpy(L->buf + *n, p, len);
    *n += len;
    return 0;
}

void sim_front_local_free(sim_front_local *L)
{
    if (L)
        pl__free(L->buf);
}

/* Everything the frontier depends on: the veto actors' scores off the moved
 * issues, their interaction terms (and bonuses) and red lines in force, and
 * the constraints. */
static int make_key(sim_front *f, sim_front_local *L, const pl_scenario *vs, size_t *len)
{
    const pl_state *st = &vs->cur;
    size_t n = 0;
    for (size_t k = 0; k < f->K; k++) {
        size_t a = f->act[k];
        for (size_t i = 0; i < f->I; i++)
            if (!f->moved[i] &&
                put(L, &n, st->ws + a * f->O + vs->issue[i].opt_base,
                    sizeof(double) * vs->issue[i].n_opt) != 0)
                return -1;
        uint32_t m = (uint32_t)st->n_red[a];
        if (put(L, &n, &m, sizeof m) != 0 || put(L, &n, st->red[a], sizeof(uint32_t) * m) != 0)
            return -1;
        /* A zero bonus adds exactly nothing: such terms stay out of the key,
         * so that samples that differ only there share a frontier. */
        for (uint32_t q = 0; q < st->n_inter[a]; q++) {
            uint32_t x = st->inter[a][q];
            double b = vs->num[vs->inter[x].bonus_num].value;
            if (b != 0 && (put(L, &n, &x, sizeof x) != 0 || put(L, &n, &b, sizeof b) != 0))
                return -1;
        }
        m = UINT32_MAX; /* end of the actor's terms */
        if (put(L, &n, &m, sizeof m) != 0)
            return -1;
    }
    uint32_t m = (uint32_t)st->n_cons;
    if (put(L, &n, &m, sizeof m) != 0 || put(L, &n, st->cons, sizeof(uint32_t) * m) != 0)
        return -1;
    *len = n;
    return 0;
}

/* The entry of key bytes b[0, len), made (with its bounds unset) if new;
 * NULL when the table is full or memory is short (then sp_best decides). */
static fr_key *key_entry(sim_front *f, const unsigned char *b, size_t len, int *fresh)
{
    *fresh = 0;
    for (size_t k = 0; k < f->n_key; k++)
        if (f->key[k].len == len && memcmp(f->key[k].bytes, b, len) == 0)
            return &f->key[k];
    if (f->n_key == FR_MAX_KEYS)
        return NULL;
    fr_key *e = &f->key[f->n_key];
    memset(e, 0, sizeof *e);
    e->bytes = pl__malloc(len ? len : 1);
    e->cls = pl__malloc(sizeof *e->cls * f->n_cls);
    e->building = pl__calloc(f->n_cls, 1);
    if (!e->bytes || !e->cls || !e->building) {
        pl__free(e->bytes);
        pl__free(e->cls);
        pl__free(e->building);
        return NULL;
    }
    atomic_init(&e->calls, 0);
    atomic_init(&e->bought, 0);
    for (size_t c = 0; c < f->n_cls; c++)
        atomic_init(&e->cls[c], NULL);
    memcpy(e->bytes, b, len);
    e->len = len;
    f->n_key++;
    *fresh = 1;
    return e;
}

/* The entry of vs's key (made if new, unless the table is full). A key
 * already published is found without the lock. */
static fr_key *find_key(sim_front *f, sim_front_local *L, const pl_scenario *vs)
{
    size_t len;
    if (make_key(f, L, vs, &len) != 0)
        return NULL;
    size_t n = atomic_load_explicit(&f->n_pub, memory_order_acquire);
    for (size_t k = 0; k < n; k++)
        if (f->key[k].len == len && memcmp(f->key[k].bytes, L->buf, len) == 0)
            return &f->key[k];
    int fresh;
    pthread_mutex_lock(&f->mu);
    fr_key *e = key_entry(f, L->buf, len, &fresh);
    if (e && fresh) {
        /* Upper bounds of the unmoved part: best option per issue plus every
         * positive bonus. */
        const pl_state *st = &vs->cur;
        for (size_t k = 0; k < f->K; k++) {
            size_t a = f->act[k];
            double s = 0;
            for (size_t i = 0; i < f->I; i++) {
                if (f->moved[i])
                    continue;
                double hi = -INFINITY;
                for (size_t o = 0; o < vs->issue[i].n_opt; o++) {
                    double v = st->ws[a * f->O + vs->issue[i].opt_base + o];
                    hi = v > hi ? v : hi;
                }
                s += hi;
            }
            for (size_t q = 0; q < st->n_inter[a]; q++) {
                double b = vs->num[vs->inter[st->inter[a][q]].bonus_num].value;
                e->posb[k] += b > 0 ? b : 0;
            }
            e->free_max[k] = s + e->posb[k];
        }
    }
    /* Every key in the table has its bounds by now (each was made under
     * the lock, bounds and all). */
    atomic_store_explicit(&f->n_pub, f->n_key, memory_order_release);
    pthread_mutex_unlock(&f->mu);
    return e;
}

/* ---- k-d tree over a class's points ------------------------------------- */

/* Partially order perm[lo, hi) so that perm[mid] holds the point it would
 * hold sorted by coordinate dim, smaller ones before it: a three-way
 * partition around a middle pivot, then on into the part holding mid. */
static void kd_select(const double *u, size_t K, size_t dim, uint32_t *perm, size_t lo,
                      size_t hi, size_t mid)
{
    while (hi - lo > 1) {
        double piv = u[(size_t)perm[lo + (hi - lo) / 2] * K + dim];
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double v = u[(size_t)perm[i] * K + dim];
            uint32_t t = perm[i];
            if (v < piv) {
                perm[i++] = perm[lt];
                perm[lt++] = t;
            } else if (v > piv) {
                perm[i] = perm[--gt];
                perm[gt] = t;
            } else {
                i++;
            }
        }
        if (mid < lt)
            hi = lt;
        else if (mid >= gt)
            lo = gt;
        else
            return;
    }
}

static int32_t kd_build(fr_class *c, uint32_t *perm, uint32_t lo, uint32_t hi)
{
    size_t K = c->f.K;
    int32_t me = (int32_t)c->n_node++;
    kd_node *nd = &c->node[me];
    nd->lo = lo;
    nd->hi = hi;
    nd->left = nd->right = -1;
    double mn[3] = {INFINITY, INFINITY, INFINITY};
    for (size_t k = 0; k < 3; k++)
        nd->max[k] = k < K ? -INFINITY : 0;
    for (uint32_t x = lo; x < hi; x++)
        for (size_t k = 0; k < K; k++) {
            double v = c->f.u[(size_t)perm[x] * K + k];
            nd->max[k] = v > nd->max[k] ? v : nd->max[k];
            mn[k] = v < mn[k] ? v : mn[k];
        }
    if (hi - lo <= FR_LEAF)
        return me;
    size_t dim = 0;
    for (size_t k = 1; k < K; k++)
        if (nd->max[k] - mn[k] > nd->max[dim] - mn[dim])
            dim = k;
    uint32_t mid = lo + (hi - lo) / 2;
    kd_select(c->f.u, K, dim, perm, lo, hi, mid);
    int32_t l = kd_build(c, perm, lo, mid);
    int32_t r = kd_build(c, perm, mid, hi);
    c->node[me].left = l;
    c->node[me].right = r;
    return me;
}

/* Put the points in tree order, so that a leaf's points are contiguous. */
static int kd_make(fr_class *c)
{
    size_t n = c->f.n, K = c->f.K;
    c->node = pl__malloc(sizeof *c->node * (2 * n + 8));
    uint32_t *perm = pl__malloc(sizeof *perm * (n ? n : 1));
    double *u = pl__malloc(sizeof *u * (n ? n : 1) * K);
    uint64_t *code = pl__malloc(sizeof *code * (n ? n : 1));
    uint8_t *sh = pl__malloc(n ? n : 1);
    if (!c->node || !perm || !u || !code || !sh) {
        pl__free(perm);
        pl__free(u);
        pl__free(code);
        pl__free(sh);
        return -1;
    }
    for (size_t x = 0; x < n; x++)
        perm[x] = (uint32_t)x;
    c->n_node = 0;
    if (n)
        kd_build(c, perm, 0, (uint32_t)n);
    for (size_t x = 0; x < n; x++) {
        memcpy(u + x * K, c->f.u + (size_t)perm[x] * K, sizeof *u * K);
        code[x] = c->f.code[perm[x]];
        sh[x] = c->f.shared[perm[x]];
    }
    pl__free(perm);
    pl__free(c->f.u);
    pl__free(c->f.code);
    pl__free(c->f.shared);
    c->f.u = u;
    c->f.code = code;
    c->f.shared = sh;
    return 0;
}

/* Is node[0, n_node) a tree kd_build could have made over n points? Root
 * [0, n); a node splits at its middle exactly when it holds more than
 * FR_LEAF points, its left child next in the array and its right one after
 * that; bounds finite. Children after parents and halving ranges: a search
 * ends, at a depth logarithmic in n. */
static int kd_check(const kd_node *node, size_t n_node, size_t n, size_t K)
{
    if (n == 0)
        return n_node == 0 ? 0 : -1;
    if (n_node == 0 || node[0].lo != 0 || node[0].hi != n)
        return -1;
    for (size_t x = 0; x < n_node; x++) {
        const kd_node *nd = &node[x];
        if (nd->lo >= nd->hi || nd->hi > n)
            return -1;
        for (size_t k = 0; k < K; k++)
            if (!isfinite(nd->max[k]) || fabs(nd->max[k]) > 1e12)
                return -1;
        if (nd->hi - nd->lo <= FR_LEAF) {
            if (nd->left != -1 || nd->right != -1)
                return -1;
            continue;
        }
        uint32_t mid = nd->lo + (nd->hi - nd->lo) / 2;
        if (nd->left != (int32_t)(x + 1) || nd->right <= nd->left ||
            (size_t)nd->right >= n_node)
            return -1;
        const kd_node *l = &node[nd->left], *r = &node[nd->right];
        if (l->lo != nd->lo || l->hi != mid || r->lo != mid || r->hi != nd->hi)
            return -1;
    }
    return 0;
}

/* The options of class c's moved issues into pkg (others untouched). */
static void class_opts(const sim_front *f, const pl_scenario *vs, size_t c, long *pkg)
{
    for (size_t e = f->nE; e-- > 0;) {
        size_t no = vs->issue[f->E[e]].n_opt;
        pkg[f->E[e]] = (long)(c % no);
        c /= no;
    }
}

/* A new class frontier, floor `width` below the reservations res; *out
 * NULL when the build does not apply here. */
static int class_build(const sim_front *f, const pl_scenario *vs, size_t ci, double width,
                       const double *res, const double *moved, sp_front_work *ws,
                       fr_class **out)
{
    *out = NULL;
    fr_class *c = pl__calloc(1, sizeof *c);
    long fixed[PL_MAX_ISSUES];
    if (!c)
        return -1;
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx x;
    if (sp_ctx_init(&x, vs, &spec) != 0) {
        pl__free(c);
        return -1;
    }
    for (size_t i = 0; i < f->I; i++)
        fixed[i] = -1;
    class_opts(f, vs, ci, fixed);
    for (size_t k = 0; k < f->K; k++) {
        c->floor[k] = res[k] - width;
        c->base[k] = moved[k];
        x.res[k] = c->floor[k];
    }
    int rc = sp_front_build(&x, fixed, ws, &c->f);
    sp_ctx_free(&x);
    if (rc == 0 && kd_make(c) != 0)
        rc = -1;
    if (rc != 0) {
        class_free(c);
        return rc < 0 ? -1 : 0;
    }
    c->width = width;
    *out = c;
    return 0;
}

/* Retire c (a reader may still hold it) and publish n in its place. */
static int class_publish(sim_front *f, _Atomic(fr_class *) *slot, fr_class *n)
{
    fr_class *old = atomic_load_explicit(slot, memory_order_relaxed);
    if (old) {
        if (f->n_retired == f->cap_retired) {
            size_t nc = f->cap_retired ? 2 * f->cap_retired : 16;
            fr_class **r = pl__realloc(f->retired, sizeof *r * nc);
            if (!r)
                return -1;
            f->retired = r;
            f->cap_retired = nc;
        }
        /* A thread may still be reading it: freed with the cache. */
        f->retired[f->n_retired++] = old;
    }
    atomic_store_explicit(slot, n, memory_order_release);
    return 0;
}

typedef struct cand {
    const fr_class *cl;
    size_t pt;
    double prod;
} cand;

typedef struct query {
    const double *rq;      /* reservations in the class's build units */
    size_t K;
    const fr_class *cls;
    double best;           /* best product so far (0: none) */
    double bg[3];          /* its gains */
    int near;              /* a point within the slack of acceptable */
    int overflow;
    cand cand[FR_MAX_CAND];
    size_t n_cand;
} query;

static void add_cand(query *q, const fr_class *cls, size_t pt, double prod)
{
    if (prod > q->best)
        q->best = prod;
    double lim = q->best * (1 - FR_TOL);
    if (q->n_cand == FR_MAX_CAND) {
        size_t m = 0;
        for (size_t x = 0; x < q->n_cand; x++)
            if (q->cand[x].prod >= lim)
                q->cand[m++] = q->cand[x];
        q->n_cand = m;
        if (m == FR_MAX_CAND) {
            q->overflow = 1;
            return;
        }
    }
    q->cand[q->n_cand++] = (cand){cls, pt, prod};
}

static double node_bound(const query *q, const kd_node *nd, int *reach)
{
    double b = 1;
    *reach = 1;
    for (size_t k = 0; k < q->K; k++) {
        double g = nd->max[k] - q->rq[k];
        if (g < -SP_FRONT_SLACK)
            *reach = 0;
        b *= g > 0 ? g : 0;
    }
    return b;
}

static void kd_search(query *q, const fr_class *c, int32_t id)
{
    const kd_node *nd = &c->node[id];
    int reach;
    double b = node_bound(q, nd, &reach);
    if (!reach || (q->best > 0 && b < q->best * (1 - FR_TOL)))
        return;
    if (nd->left < 0) {
        for (uint32_t x = nd->lo; x < nd->hi; x++) {
            const double *u = c->f.u + (size_t)x * q->K;
            double prod = 1;
            int pos = 1, nr = 1;
            for (size_t k = 0; k < q->K; k++) {
                double g = u[k] - q->rq[k];
                nr &= g >= -SP_FRONT_SLACK;
                pos &= g > 0;
                prod *= g;
            }
            q->near |= nr;
            if (pos && prod > q->best)
                for (size_t k = 0; k < q->K; k++)
                    q->bg[k] = u[k] - q->rq[k];
            if (pos && prod >= q->best * (1 - FR_TOL))
                add_cand(q, q->cls, x, prod);
        }
        return;
    }
    int rl, rr;
    double bl = node_bound(q, &c->node[nd->left], &rl);
    double br = node_bound(q, &c->node[nd->right], &rr);
    if (bl >= br) {
        kd_search(q, c, nd->left);
        kd_search(q, c, nd->right);
    } else {
        kd_search(q, c, nd->right);
        kd_search(q, c, nd->left);
    }
}

/* Build class c of key e for reservations res (its floor width below) and
 * publish it into *out. Called with mu held, returns with it released. */
static int build_class(sim_front *f, fr_key *e, const pl_scenario *vs, size_t c, double width,
                       const double *res, const double *moved, fr_class **out)
{
    e->building[c] = 1;
    sp_front_work *ws = f->n_pool ? f->pool[--f->n_pool] : NULL;
    pthread_mutex_unlock(&f->mu);
    fr_class *nc = NULL;
    if (!ws)
        ws = sp_front_work_new();
    int rc = !ws ? -1 : width > 1e4 ? 2 : class_build(f, vs, c, width, res, moved, ws, &nc);
    if (rc == 0 && !nc)
        rc = 2;
    pthread_mutex_lock(&f->mu);
    if (ws && f->n_pool < 64)
        f->pool[f->n_pool++] = ws;
    else
        sp_front_work_free(ws);
    if (rc == 0 && class_publish(f, &e->cls[c], nc) != 0) {
        class_free(nc);
        rc = -1;
    }
    e->building[c] = 0;
    pthread_cond_broadcast(&f->built);
    pthread_mutex_unlock(&f->mu);
    *out = rc == 0 ? nc : NULL;
    return rc;
}

/* Class c's moved scores (per veto actor) into moved, and *ub the box
 * bound of its Nash product at reservations res; 1 when c is shut: an
 * option gated off, or an actor's best cannot reach its reservation. */
static int class_moved(const sim_front *f, const pl_scenario *vs, const fr_key *e, size_t c,
                       const double *res, double *moved, double *ub)
{
    const pl_state *st = &vs->cur;
    long tmp[PL_MAX_ISSUES];
    int shut = 0;
    class_opts(f, vs, c, tmp);
    *ub = 1;
    for (size_t k = 0; k < f->K; k++) {
        double s = 0;
        for (size_t x = 0; x < f->nE; x++) {
            size_t i = f->E[x];
            double v = st->ws[f->act[k] * f->O + vs->issue[i].opt_base + (size_t)tmp[i]];
            shut |= v <= -1e8;
            s += v;
        }
        moved[k] = s;
        double g = e->free_max[k] + s - res[k];
        /* A bound, so loosened by far more than its rounding. */
        if (g < -1e-6 * (1 + fabs(res[k])))
            shut = 1;
        *ub *= g > 0 ? g : 0;
    }
    return shut;
}

typedef struct cls_order {
    size_t c;
    double ub;
} cls_order;

static int by_ub(const void *x, const void *y)
{
    const cls_order *a = x, *b = y;
    if (a->ub != b->ub)
        return a->ub > b->ub ? -1 : 1;
    return a->c < b->c ? -1 : a->c > b->c;
}

/* The veto actors' reservations; -1 when one is beyond what a frontier
 * serves (sp_best decides). */
static int veto_res(const sim_front *f, const pl_scenario *vs, double *res)
{
    for (size_t k = 0; k < f->K; k++) {
        res[k] = vs->cur.res[f->act[k]];
        if (!isfinite(res[k]) || fabs(res[k]) > 1e8)
            return -1;
    }
    return 0;
}

/* Can class cl (NULL: not built) answer at reservations res with the moved
 * scores moved? Its floor must lie below them; rq gets them in its build's
 * units. */
static int class_serves(const fr_class *cl, size_t K, const double *res, const double *moved,
                        double *rq)
{
    if (!cl)
        return 0;
    for (size_t k = 0; k < K; k++) {
        rq[k] = res[k] - (moved[k] - cl->base[k]);
        if (rq[k] < cl->floor[k])
            return 0;
    }
    return 1;
}

int sim_front_nash(sim_front *f, sim_front_local *L, const pl_scenario *vs, long *pkg)
{
    if (!f || !f->ok)
        return 2;
    const pl_state *st = &vs->cur;
    size_t K = f->K;
    double res[3];
    if (veto_res(f, vs, res) != 0)
        return 2;
    long tmp[PL_MAX_ISSUES];
    fr_key *e = find_key(f, L, vs);
    if (!e)
        return 2;
    /* Rent before buying: a key's frontiers cost about FR_BUY searches to
     * build, so they are bought once the key is on course for more searches
     * than that in this simulation (its searches so far, scaled by the runs
     * still to come), and kept from then on. A short simulation never
     * builds any. */
    if (!atomic_load_explicit(&e->bought, memory_order_relaxed)) {
        long calls = atomic_fetch_add_explicit(&e->calls, 1, memory_order_relaxed) + 1;
        long done = atomic_load_explicit(&f->runs_done, memory_order_relaxed);
        done = done > 0 ? done : 1;
        if ((double)calls * (double)f->runs_total < (double)FR_BUY * (double)done)
            return 2;
        atomic_store_explicit(&e->bought, 1, memory_order_relaxed);
    }
    cls_order ord[FR_MAX_CLASSES];
    double moved[FR_MAX_CLASSES][3], gmax[3] = {0, 0, 0};
    size_t n_ord = 0;
    for (size_t c = 0; c < f->n_cls; c++) {
        double ub;
        if (class_moved(f, vs, e, c, res, moved[c], &ub))
            continue;
        for (size_t k = 0; k < K; k++) {
            double g = e->free_max[k] + moved[c][k] - res[k];
            gmax[k] = g > gmax[k] ? g : gmax[k];
        }
        ord[n_ord++] = (cls_order){c, ub * (1 + 1e-9)};
    }
    qsort(ord, n_ord, sizeof *ord, by_ub);
    query q;
    memset(&q, 0, sizeof q);
    q.K = K;
    double t_at = 0, tw[3], tconst = 0;
    /* Classes another thread is building come last (deferred), so that
     * meanwhile this thread searches or builds the others. */
    size_t def[FR_MAX_CLASSES], n_def = 0;
    for (size_t y = 0; y < n_ord + n_def; y++) {
        int last = y >= n_ord;
        size_t x = last ? def[y - n_ord] : y;
        size_t c = ord[x].c;
        if (q.best > 0 && ord[x].ub < q.best * (1 - FR_TOL)) {
            if (!last)
                y = n_ord - 1; /* the rest of the order is lower still */
            continue;
        }
        if (q.best > 0) {
            /* The tangent plane at the best so far: log g <= log g0 - 1 +
             * g / g0, and the linear part is best issue by issue -- a class
             * far from the optimum is ruled out before its frontier is
             * ever built. */
            if (q.best != t_at) {
                t_at = q.best;
                tconst = 0;
                for (size_t k = 0; k < K; k++) {
                    tw[k] = 1 / q.bg[k];
                    tconst += log(q.bg[k]) - 1 - res[k] * tw[k] + tw[k] * e->posb[k];
                }
                for (size_t i = 0; i < f->I; i++) {
                    if (f->moved[i])
                        continue;
                    double hi = -INFINITY;
                    for (size_t o = 0; o < vs->issue[i].n_opt; o++) {
                        double v = 0;
                        for (size_t k = 0; k < K; k++)
                            v += tw[k] * st->ws[f->act[k] * f->O + vs->issue[i].opt_base + o];
                        hi = v > hi ? v : hi;
                    }
                    tconst += hi;
                }
            }
            double t = tconst;
            for (size_t k = 0; k < K; k++)
                t += tw[k] * moved[c][k];
            if (t + 1e-9 * (1 + fabs(t)) < log(q.best * (1 - FR_TOL)))
                continue;
        }
        double rq[3];
        /* A published class whose floor is low enough needs no lock. */
        const fr_class *cl = atomic_load_explicit(&e->cls[c], memory_order_acquire);
        if (!class_serves(cl, K, res, moved[c], rq)) {
            /* A class another thread is building is waited for (after the
             * others), not built twice. */
            pthread_mutex_lock(&f->mu);
            if (e->building[c] && !last) {
                def[n_def++] = x;
                pthread_mutex_unlock(&f->mu);
                continue;
            }
            while (e->building[c])
                pthread_cond_wait(&f->built, &f->mu);
            cl = e->cls[c];
            double width = cl ? 2 * cl->width : FR_WIDTH;
            if (!class_serves(cl, K, res, moved[c], rq)) {
                fr_class *nc;
                int rc = build_class(f, e, vs, c, width, res, moved[c], &nc);
                if (rc != 0)
                    return rc;
                cl = nc;
                for (size_t k = 0; k < K; k++)
                    rq[k] = res[k];
            } else {
                pthread_mutex_unlock(&f->mu);
            }
        }
        if (cl->f.n == 0)
            continue;
        q.rq = rq;
        q.cls = cl;
        kd_search(&q, cl, 0);
        if (q.overflow)
            return 2;
    }
    if (q.best <= 0)
        return q.near ? 2 : 0;
    /* The margin must beat the slack for every package that could compete:
     * their gains are at least gmin. */
    double lim = q.best * (1 - FR_TOL);
    double gm = 0, worst = 0;
    for (size_t k = 0; k < K; k++) {
        double p = 1;
        for (size_t j = 0; j < K; j++)
            if (j != k)
                p *= gmax[j];
        worst = p > worst ? p : worst;
        gm = gmax[k] > gm ? gmax[k] : gm;
    }
    if (K > 1) {
        double gmin = lim / worst;
        double up = log1p((SP_FRONT_MARGIN - SP_FRONT_SLACK) / gm);
        double down = (double)(K - 1) * log1p(-SP_FRONT_SLACK / gmin);
        if (!(gmin > SP_FRONT_SLACK) || !(up + down > 1e-11))
            return 2;
    }
    /* The near ties, on canonical utilities and sp_best's score. */
    int found = 0;
    double best_s = -INFINITY;
    uint64_t best_code = 0;
    for (size_t x = 0; x < q.n_cand; x++) {
        const cand *cd = &q.cand[x];
        if (cd->prod < lim)
            continue;
        const fr_class *cl = cd->cl;
        if (cl->f.shared[cd->pt])
            return 2;
        uint64_t code = cl->f.code[cd->pt];
        sp_front_decode(f->n_opts, f->I, code, tmp);
        double s = 0;
        for (size_t k = 0; k < K && s > -INFINITY; k++) {
            double g = model_utility(vs, f->act[k], tmp) - res[k];
            s = g < 0 ? -INFINITY : s + log(g > 1e-300 ? g : 1e-300);
        }
        if (s == -INFINITY)
            continue;
        if (!found || s > best_s || (s == best_s && code < best_code)) {
            found = 1;
            best_s = s;
            best_code = code;
        }
    }
    if (!found)
        return 2;
    sp_front_decode(f->n_opts, f->I, best_code, pkg);
    return 1;
}

/* ---- preparing frontiers ahead of the runs, and handing them over -------- */

int sim_front_probe(sim_front *f, sim_front_local *L, const pl_scenario *vs, int build,
                    long probe)
{
    double res[3], moved[3], ub;
    if (!f || !f->ok || veto_res(f, vs, res) != 0)
        return 0;
    fr_key *e = find_key(f, L, vs);
    if (!e)
        return 0;
    pthread_mutex_lock(&f->mu);
    if (!build) {
        if (!e->lo) {
            e->lo = pl__malloc(sizeof *e->lo * f->n_cls);
            e->first = pl__malloc(sizeof *e->first * f->n_cls);
            if (!e->lo || !e->first) {
                pl__free(e->lo);
                pl__free(e->first);
                e->lo = NULL;
                e->first = NULL;
                pthread_mutex_unlock(&f->mu);
                return -1;
            }
            for (size_t c = 0; c < f->n_cls; c++) {
                e->lo[c][0] = e->lo[c][1] = e->lo[c][2] = INFINITY;
                e->first[c] = LONG_MAX;
            }
        }
        e->noted++;
        for (size_t c = 0; c < f->n_cls; c++)
            if (!class_moved(f, vs, e, c, res, moved, &ub)) {
                for (size_t k = 0; k < f->K; k++)
                    e->lo[c][k] = fmin(e->lo[c][k], res[k] - moved[k]);
                e->first[c] = probe < e->first[c] ? probe : e->first[c];
            }
        pthread_mutex_unlock(&f->mu);
        return 0;
    }
    /* The first open meeting with a planned class builds it, with the floor
     * below everything the probe met. */
    for (size_t c = 0; c < f->n_cls && e->plan; c++) {
        if (!e->plan[c] || e->cls[c] || e->building[c] ||
            class_moved(f, vs, e, c, res, moved, &ub))
            continue;
        double at[3];
        for (size_t k = 0; k < f->K; k++)
            at[k] = e->lo[c][k] + moved[k];
        fr_class *nc;
        int rc = build_class(f, e, vs, c, FR_WIDTH, at, moved, &nc);
        pthread_mutex_lock(&f->mu);
        if (rc < 0) {
            pthread_mutex_unlock(&f->mu);
            return -1;
        }
        if (rc == 0)
            atomic_store_explicit(&e->bought, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static int by_bytes(const void *x, const void *y)
{
    const fr_key *a = *(fr_key *const *)x, *b = *(fr_key *const *)y;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return memcmp(a->bytes, b->bytes, a->len);
}

long sim_front_items(sim_front *f, long runs, long probes)
{
    if (!f || !f->ok)
        return 0;
    /* Every part probed the same runs, so each finds the same keys, in
     * whatever order: the list follows the keys' bytes, not the table. */
    fr_key *ord[FR_MAX_KEYS];
    size_t n = 0;
    for (size_t k = 0; k < f->n_key; k++) {
        fr_key *e = &f->key[k];
        if (e->lo && (double)e->noted * (double)runs >= (double)FR_BUY * (double)probes)
            ord[n++] = e;
    }
    qsort(ord, n, sizeof *ord, by_bytes);
    pl__free(f->item);
    f->n_item = 0;
    if (!(f->item = pl__malloc(sizeof *f->item * (n * f->n_cls + 1))))
        return -1;
    /* Class-major, so that parts taking every parts-th item get a share of
     * every class (their frontiers differ in size far more than the keys'
     * do). */
    for (size_t c = 0; c < f->n_cls; c++)
        for (size_t k = 0; k < n; k++) {
            fr_key *e = ord[k];
            if (isfinite(e->lo[c][0]) && e->first[c] >= 0 && e->first[c] < probes)
                f->item[f->n_item++] = (struct fr_item){e, c};
        }
    return f->n_item;
}

long sim_front_claim(sim_front *f, long item)
{
    if (!f || item < 0 || item >= f->n_item)
        return -1;
    fr_key *e = f->item[item].e;
    pthread_mutex_lock(&f->mu);
    if (!e->plan && !(e->plan = pl__calloc(f->n_cls, 1))) {
        pthread_mutex_unlock(&f->mu);
        return -2;
    }
    e->plan[f->item[item].c] = 1;
    pthread_mutex_unlock(&f->mu);
    return e->first[f->item[item].c];
}

/* The exchange format (native byte order: for processes of one build on
 * machines alike, which the fingerprint and version check as far as they
 * can): "PLFC", u32 version, u64 fingerprint, u32 K, u32 items, then per
 * item u32 key length, the key's bytes, f64 free_max[K], f64 posb[K], u32
 * class, f64 floor[K], f64 base[K], f64 width, u32 n, f64 u[n K],
 * u64 code[n], u8 shared[n] (the points in k-d tree order), u32 nodes, and
 * per node f64 max[K], u32 lo, u32 hi, i32 left, i32 right (-1: a leaf). */
#define FR_MAGIC "PLFC"
#define FR_VERSION 2u

static uint64_t fingerprint(const sim_front *f)
{
    uint64_t h = 1469598103934665603ull;
    uint64_t v[5 + 3 + 8];
    size_t n = 0;
    v[n++] = f->source;
    v[n++] = f->K;
    v[n++] = f->I;
    v[n++] = f->O;
    v[n++] = f->n_cls;
    for (size_t k = 0; k < f->K && k < 3; k++)
        v[n++] = f->act[k];
    for (size_t e = 0; e < f->nE; e++)
        v[n++] = f->E[e];
    for (size_t x = 0; x < n; x++)
        for (size_t b = 0; b < 8; b++) {
            h ^= (v[x] >> (8 * b)) & 0xff;
            h *= 1099511628211ull;
        }
    for (size_t i = 0; i < f->I; i++) {
        h ^= f->n_opts[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Binary appends on the project's growable buffer (its trailing NUL is
 * never part of the bytes). */
static void wput(pl_buf *b, const void *x, size_t len)
{
    pl_buf_add(b, (const char *)x, len);
}

static void wu32(pl_buf *b, size_t v)
{
    uint32_t x = (uint32_t)v;
    wput(b, &x, sizeof x);
}

int sim_front_export(sim_front *f, unsigned char **out, size_t *len)
{
    pl_buf b;
    pl_buf_init(&b);
    *out = NULL;
    *len = 0;
    size_t K = f && f->ok ? f->K : 0, items = 0;
    uint64_t fp = f ? fingerprint(f) : 0;
    wput(&b, FR_MAGIC, 4);
    wu32(&b, FR_VERSION);
    wput(&b, &fp, sizeof fp);
    wu32(&b, K);
    size_t at_items = b.len;
    wu32(&b, 0);
    if (f && f->ok) {
        pthread_mutex_lock(&f->mu);
        /* The size first: one allocation instead of a doubling's copies. */
        size_t need = b.len + 1;
        for (size_t k = 0; k < f->n_key; k++)
            for (size_t c = 0; c < f->n_cls; c++)
                if (f->key[k].cls[c])
                    need += 4 * sizeof(uint32_t) + f->key[k].len + sizeof(double) * (4 * K + 1) +
                            f->key[k].cls[c]->f.n * (sizeof(double) * K + sizeof(uint64_t) + 1) +
                            f->key[k].cls[c]->n_node * (sizeof(double) * K + 16);
        b.oom |= pl__grow((void **)&b.s, &b.cap, need, 1) != 0;
        for (size_t k = 0; k < f->n_key; k++) {
            const fr_key *e = &f->key[k];
            for (size_t c = 0; c < f->n_cls; c++) {
                const fr_class *cl = e->cls[c];
                if (!cl)
                    continue;
                wu32(&b, e->len);
                wput(&b, e->bytes, e->len);
                wput(&b, e->free_max, sizeof(double) * K);
                wput(&b, e->posb, sizeof(double) * K);
                wu32(&b, c);
                wput(&b, cl->floor, sizeof(double) * K);
                wput(&b, cl->base, sizeof(double) * K);
                wput(&b, &cl->width, sizeof cl->width);
                wu32(&b, cl->f.n);
                wput(&b, cl->f.u, sizeof(double) * K * cl->f.n);
                wput(&b, cl->f.code, sizeof(uint64_t) * cl->f.n);
                wput(&b, cl->f.shared, cl->f.n);
                /* The tree too: an import checks it instead of rebuilding it. */
                wu32(&b, cl->n_node);
                for (size_t x = 0; x < cl->n_node; x++) {
                    const kd_node *nd = &cl->node[x];
                    wput(&b, nd->max, sizeof(double) * K);
                    wu32(&b, nd->lo);
                    wu32(&b, nd->hi);
                    wput(&b, &nd->left, sizeof nd->left);
                    wput(&b, &nd->right, sizeof nd->right);
                }
                items++;
            }
        }
        pthread_mutex_unlock(&f->mu);
    }
    if (b.oom) {
        pl_buf_free(&b);
        return -1;
    }
    uint32_t ni = (uint32_t)items;
    memcpy(b.s + at_items, &ni, sizeof ni);
    *len = b.len;
    *out = (unsigned char *)b.s;
    return 0;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    char *why;
    size_t whylen;
} rbuf;

static int rfail(rbuf *r, const char *msg)
{
    snprintf(r->why, r->whylen, "byte %zu: %s", r->at, msg);
    return -1;
}

static int rget(rbuf *r, void *x, size_t len)
{
    if (len > r->n - r->at)
        return rfail(r, "ends early");
    memcpy(x, r->p + r->at, len);
    r->at += len;
    return 0;
}

static int rf64s(rbuf *r, double *x, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (rget(r, &x[k], sizeof x[k]) != 0)
            return -1;
        if (!isfinite(x[k]) || fabs(x[k]) > 1e12)
            return rfail(r, "a number that is not finite or out of range");
    }
    return 0;
}

/* One pass over the bytes: checking only, or (commit) publishing too. */
static int import_pass(sim_front *f, rbuf *r, int commit)
{
    char magic[4];
    uint32_t ver, K, items;
    uint64_t fp;
    r->at = 0;
    if (rget(r, magic, 4) != 0 || memcmp(magic, FR_MAGIC, 4) != 0)
        return rfail(r, "not a parley simulation cache");
    if (rget(r, &ver, sizeof ver) != 0)
        return -1;
    if (ver != FR_VERSION)
        return rfail(r, "another version of the cache format, or another byte order");
    if (rget(r, &fp, sizeof fp) != 0 || rget(r, &K, sizeof K) != 0 ||
        rget(r, &items, sizeof items) != 0)
        return -1;
    /* No frontiers here (f NULL, or never applicable): only an empty cache. */
    size_t fK = f && f->ok ? f->K : 0;
    if (fp != (f ? fingerprint(f) : 0) || K != fK)
        return rfail(r, "made for another scenario or another section of it");
    if (items > (fK ? (uint64_t)FR_MAX_KEYS * f->n_cls : 0))
        return rfail(r, "more frontiers than a cache holds");
    /* The codes' range: the package count, when it fits. */
    uint64_t total = 1;
    for (size_t i = 0; fK && i < f->I && total; i++)
        total = total > UINT64_MAX / f->n_opts[i] ? 0 : total * f->n_opts[i];
    for (uint32_t it = 0; it < items; it++) {
        uint32_t klen, c, n;
        double fm[3], pb[3], floor[3], base[3], width;
        if (rget(r, &klen, sizeof klen) != 0)
            return -1;
        if (klen > r->n - r->at)
            return rfail(r, "a key longer than what follows");
        const unsigned char *kb = r->p + r->at;
        r->at += klen;
        if (rf64s(r, fm, K) != 0 || rf64s(r, pb, K) != 0 || rget(r, &c, sizeof c) != 0)
            return -1;
        if (c >= f->n_cls)
            return rfail(r, "a class out of range");
        if (rf64s(r, floor, K) != 0 || rf64s(r, base, K) != 0 || rf64s(r, &width, 1) != 0 ||
            rget(r, &n, sizeof n) != 0)
            return -1;
        if (!(width > 0))
            return rfail(r, "a floor width that is not positive");
        size_t per = sizeof(double) * K + sizeof(uint64_t) + 1;
        if (n > (r->n - r->at) / per)
            return rfail(r, "more points than bytes");
        const unsigned char *pu = r->p + r->at;
        for (size_t x = 0; x < (size_t)n * K; x++) {
            double v;
            memcpy(&v, pu + x * sizeof v, sizeof v);
            if (!isfinite(v) || fabs(v) > 1e12)
                return rfail(r, "a point that is not finite or out of range");
        }
        const unsigned char *pc = pu + sizeof(double) * K * n;
        const unsigned char *ps = pc + sizeof(uint64_t) * n;
        for (size_t x = 0; x < n; x++) {
            uint64_t code;
            memcpy(&code, pc + x * sizeof code, sizeof code);
            if (total && code >= total)
                return rfail(r, "a package code out of range");
            if (ps[x] > 1)
                return rfail(r, "a flag that is neither 0 nor 1");
        }
        r->at += per * n;
        uint32_t n_node;
        if (rget(r, &n_node, sizeof n_node) != 0)
            return -1;
        size_t nper = sizeof(double) * K + 16;
        if (n_node > 2 * (size_t)n + 8 || n_node > (r->n - r->at) / nper)
            return rfail(r, "more tree nodes than points allow, or than bytes");
        kd_node *node = pl__malloc(sizeof *node * (n_node ? n_node : 1));
        if (!node)
            return -2;
        for (size_t x = 0; x < n_node; x++) {
            const unsigned char *q = r->p + r->at + x * nper;
            kd_node *nd = &node[x];
            nd->max[0] = nd->max[1] = nd->max[2] = 0;
            memcpy(nd->max, q, sizeof(double) * K);
            memcpy(&nd->lo, q + sizeof(double) * K, 4);
            memcpy(&nd->hi, q + sizeof(double) * K + 4, 4);
            memcpy(&nd->left, q + sizeof(double) * K + 8, 4);
            memcpy(&nd->right, q + sizeof(double) * K + 12, 4);
        }
        /* (The commit pass reads bytes the check pass has passed.) */
        if (!commit && kd_check(node, n_node, n, K) != 0) {
            pl__free(node);
            return rfail(r, "a k-d tree that is not the one its points make");
        }
        r->at += nper * n_node;
        if (!commit) {
            pl__free(node);
            continue;
        }
        int fresh;
        pthread_mutex_lock(&f->mu);
        fr_key *e = key_entry(f, kb, klen, &fresh);
        if (!e || e->cls[c] || e->building[c]) {
            /* A full table, or a class already here: skipped. */
            pthread_mutex_unlock(&f->mu);
            pl__free(node);
            if (!e && f->n_key < FR_MAX_KEYS)
                return -2;
            continue;
        }
        if (fresh) {
            memcpy(e->free_max, fm, sizeof(double) * K);
            memcpy(e->posb, pb, sizeof(double) * K);
            atomic_store_explicit(&f->n_pub, f->n_key, memory_order_release);
        }
        fr_class *cl = pl__calloc(1, sizeof *cl);
        if (cl) {
            memcpy(cl->floor, floor, sizeof(double) * K);
            memcpy(cl->base, base, sizeof(double) * K);
            cl->width = width;
            cl->f.n = n;
            cl->f.K = K;
            cl->f.u = pl__malloc(sizeof(double) * K * (n ? n : 1));
            cl->f.code = pl__malloc(sizeof(uint64_t) * (n ? n : 1));
            cl->f.shared = pl__malloc(n ? n : 1);
        }
        if (!cl || !cl->f.u || !cl->f.code || !cl->f.shared) {
            class_free(cl);
            pl__free(node);
            pthread_mutex_unlock(&f->mu);
            return -2;
        }
        memcpy(cl->f.u, pu, sizeof(double) * K * n);
        memcpy(cl->f.code, pc, sizeof(uint64_t) * n);
        memcpy(cl->f.shared, ps, n);
        cl->node = node;
        cl->n_node = n_node;
        if (class_publish(f, &e->cls[c], cl) != 0) {
            class_free(cl);
            pthread_mutex_unlock(&f->mu);
            return -2;
        }
        atomic_store_explicit(&e->bought, 1, memory_order_relaxed);
        pthread_mutex_unlock(&f->mu);
    }
    if (r->at != r->n)
        return rfail(r, "bytes after the last frontier");
    return 0;
}

int sim_front_import(sim_front *f, const unsigned char *b, size_t len, char *why, size_t whylen)
{
    rbuf r = {b, len, 0, why, whylen};
    int rc = import_pass(f, &r, 0);
    return rc != 0 ? rc : import_pass(f, &r, 1);
}
