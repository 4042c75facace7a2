/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Random streams and sampled views of a scenario. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/sim.h"
#include "util/util.h"

uint64_t sim_splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

uint64_t sim_run_seed(uint64_t seed, uint64_t run)
{
    /* Hash both halves so that nearby seeds and nearby runs give unrelated
     * streams. */
    return sim_splitmix64(sim_splitmix64(seed) ^ sim_splitmix64(run + 0x632BE59BD9B4E019ull));
}

/* ---- xoshiro256** as a GSL generator ------------------------------------- */

typedef struct xo_state {
    uint64_t s[4];
} xo_state;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xo_next(xo_state *st)
{
    uint64_t *s = st->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

static void xo_set(void *vs, unsigned long seed)
{
    xo_state *st = vs;
    uint64_t x = (uint64_t)seed;
    for (int k = 0; k < 4; k++) {
        x += 0x9E3779B97F4A7C15ull;
        st->s[k] = sim_splitmix64(x);
    }
}

/* GSL's integer interface promises [min, max]; 32 bits keeps every GSL
 * routine (which may assume 32-bit generators) exact. */
static unsigned long xo_get(void *vs)
{
    return (unsigned long)(xo_next(vs) >> 32);
}

static double xo_get_double(void *vs)
{
    return (double)(xo_next(vs) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xo_type = {"xoshiro256**", 0xffffffffUL, 0, sizeof(xo_state),
                                     xo_set, xo_get, xo_get_double};

gsl_rng *sim_rng_new(void)
{
    return gsl_rng_alloc(&xo_type);
}

void sim_rng_seed(gsl_rng *r, uint64_t seed)
{
    /* unsigned long is 64 bits on every platform parley targets (LP64); on
     * others the high half would be dropped, so mix it in first. */
    xo_set(r->state, 0);
    xo_state *st = r->state;
    for (int k = 0; k < 4; k++)
        st->s[k] = sim_splitmix64(seed + (uint64_t)k * 0x9E3779B97F4A7C15ull);
}

double sim_draw_num(const pl_num *n, gsl_rng *r)
{
    switch (n->dist) {
    case DIST_UNIFORM:
        return n->p[0] + (n->p[1] - n->p[0]) * gsl_rng_uniform(r);
    case DIST_TRIANGULAR: {
        double a = n->p[0], c = n->p[1], b = n->p[2], u = gsl_rng_uniform(r);
        if (!(b > a))
            return a;
        double f = (c - a) / (b - a);
        return u < f ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case DIST_NORMAL: {
        /* Truncation by rejection; the loader refuses ranges without mass, but
         * a range far in a tail could still take long, so after 256 tries the
         * draw is clamped (documented in docs/simulate.md). */
        double x = n->p[0];
        for (int t = 0; t < 256; t++) {
            x = n->p[0] + n->p[1] * gsl_ran_gaussian_ziggurat(r, 1.0);
            if (x >= n->p[2] && x <= n->p[3])
                return x;
        }
        return x < n->p[2] ? n->p[2] : x > n->p[3] ? n->p[3] : x;
    }
    case DIST_DISCRETE: {
        double u = gsl_rng_uniform(r), acc = 0;
        for (uint32_t k = 0; k < n->n_alt; k++) {
            acc += n->alt[k].p;
            if (u < acc)
                return n->alt[k].value;
        }
        return n->n_alt ? n->alt[n->n_alt - 1].value : n->value;
    }
    default:
        return n->value;
    }
}

/* ---- views ----------------------------------------------------------------- */

int sim_view_init(sim_view *v, const pl_scenario *src)
{
    memset(v, 0, sizeof *v);
    v->src = src;
    v->sc = *src;
    /* The arena belongs to src: a view must never allocate in it. */
    v->sc.arena.head = NULL;
    size_t A = src->n_actors, I = src->n_issues, O = src->total_opts, R = src->n_rules,
           N = src->n_inters;
    pl_state *st = &v->sc.cur;
    pl_num *num = pl__malloc(sizeof *num * (src->n_nums ? src->n_nums : 1));
    v->is_cred = pl__calloc(src->n_nums ? src->n_nums : 1, 1);
    st->w = pl__malloc(sizeof(double) * (A * I + 1));
    st->s = pl__malloc(sizeof(double) * (A * O + 1));
    st->ws = pl__malloc(sizeof(double) * (A * O + 1));
    v->base_ws = pl__malloc(sizeof(double) * (A * O + 1));
    st->res = pl__malloc(sizeof(double) * (A + 1));
    v->base_res = pl__malloc(sizeof(double) * (A + 1));
    st->cap = pl__malloc(sizeof(double) * (A + 1));
    st->sup = pl__malloc(sizeof(double) * (A + 1));
    st->red = pl__calloc(A + 1, sizeof *st->red);
    st->inter = pl__calloc(A + 1, sizeof *st->inter);
    st->n_red = pl__calloc(A + 1, sizeof *st->n_red);
    st->n_inter = pl__calloc(A + 1, sizeof *st->n_inter);
    st->cons = pl__malloc(sizeof *st->cons * (R + 1));
    v->base_red = pl__calloc(A + 1, sizeof *v->base_red);
    v->base_nred = pl__calloc(A + 1, sizeof *v->base_nred);
    v->nash_hint = pl__malloc(sizeof *v->nash_hint * (I + 1));
    v->has_hint = 0;
    v->sc.num = num;
    if (!num || !v->is_cred || !st->w || !st->s || !st->ws || !v->base_ws || !st->res ||
        !v->base_res || !st->cap || !st->sup || !st->red || !st->inter || !st->n_red ||
        !st->n_inter || !st->cons || !v->base_red || !v->base_nred || !v->nash_hint) {
        sim_view_free(v);
        return -1;
    }
    for (size_t a = 0; a < A; a++) {
        st->red[a] = pl__malloc(sizeof **st->red * (R + 1));
        st->inter[a] = pl__malloc(sizeof **st->inter * (N + 1));
        v->base_red[a] = pl__malloc(sizeof **v->base_red * (R + 1));
        if (!st->red[a] || !st->inter[a] || !v->base_red[a]) {
            sim_view_free(v);
            return -1;
        }
    }
    if (src->n_nums)
        memcpy(num, src->num, sizeof *num * src->n_nums);
    for (size_t r = 0; r < R; r++)
        if (src->rule[r].credence_num >= 0)
            v->is_cred[src->rule[r].credence_num] = 1;
    return 0;
}

void sim_view_free(sim_view *v)
{
    if (!v->src)
        return;
    pl_state *st = &v->sc.cur;
    if (st->red)
        for (size_t a = 0; a < v->src->n_actors; a++)
            pl__free(st->red[a]);
    if (st->inter)
        for (size_t a = 0; a < v->src->n_actors; a++)
            pl__free(st->inter[a]);
    if (v->base_red)
        for (size_t a = 0; a < v->src->n_actors; a++)
            pl__free(v->base_red[a]);
    pl__free(v->base_red);
    pl__free(v->base_nred);
    pl__free(v->nash_hint);
    if (v->cache_free)
        v->cache_free(v->cache);
    pl__free(st->red);
    pl__free(st->inter);
    pl__free(st->n_red);
    pl__free(st->n_inter);
    pl__free(st->cons);
    pl__free(st->w);
    pl__free(st->s);
    pl__free(st->ws);
    pl__free(st->res);
    pl__free(st->cap);
    pl__free(st->sup);
    pl__free(v->base_ws);
    pl__free(v->base_res);
    pl__free(v->is_cred);
    pl__free(v->sc.num);
    memset(v, 0, sizeof *v);
}

int sim_view_rederive(sim_view *v, pl_diag *diag)
{
    if (model_derive(&v->sc, &v->sc.cur, diag) != 0)
        return -1;
    size_t A = v->src->n_actors, O = v->src->total_opts;
    memcpy(v->base_ws, v->sc.cur.ws, sizeof(double) * A * O);
    memcpy(v->base_res, v->sc.cur.res, sizeof(double) * A);
    for (size_t a = 0; a < A; a++) {
        v->base_nred[a] = v->sc.cur.n_red[a];
        memcpy(v->base_red[a], v->sc.cur.red[a], sizeof **v->base_red * v->sc.cur.n_red[a]);
    }
    return 0;
}

int sim_view_sample(sim_view *v, gsl_rng *r, pl_diag *diag)
{
    const pl_scenario *src = v->src;
    pl_num *num = v->sc.num;
    /* Every number is drawn, in pool order, whether the state uses it or not:
     * the stream's position then never depends on the as-of date or on the
     * war section's use of a number. */
    for (size_t k = 0; k < src->n_nums; k++) {
        double x = r ? sim_draw_num(&src->num[k], r) : src->num[k].value;
        if (v->is_cred[k]) {
            /* A rule is real with probability credence: a coin per run. With
             * no stream (central values), the deterministic >= 0.5 reading. */
            if (r)
                x = gsl_rng_uniform(r) < x ? 1.0 : 0.0;
        }
        num[k].value = x;
    }
    return sim_view_rederive(v, diag);
}
