/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley simulate`: bargaining while fighting, month by month, over the
 * scenario's war: section (model and equations: docs/simulate.md). */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/simi.h"
#include "space/space.h"
#include "util/util.h"

/* ---- per-run records -------------------------------------------------------
 * Fixed-size, little-endian, so that MPI ranks can exchange raw bytes and
 * the summary only ever reads records, whoever computed them. */

typedef struct rec_layout {
    size_t I, A, F, S;
    size_t size;
} rec_layout;

enum { R_DEAL = 0, R_REF, R_RENEGE, R_IMPL, R_NINT };

static void layout(const pl_scenario *sc, rec_layout *L)
{
    const war_model *w = war_get(sc);
    L->I = sc->n_issues;
    L->A = sc->n_actors;
    L->F = w ? w->n_front : 0;
    L->S = w ? w->n_seq : 0;
    L->size = 4 * (R_NINT + L->S + L->I) + 8 * (2 * L->F + L->A);
}

size_t pl_sim_record_size(const pl_scenario *sc)
{
    rec_layout L;
    layout(sc, &L);
    return L.size;
}

static void put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(u >> (8 * k));
}

static int32_t get_i32(const unsigned char *p)
{
    uint32_t u = 0;
    for (int k = 0; k < 4; k++)
        u |= (uint32_t)p[k] << (8 * k);
    return (int32_t)u;
}

static void put_f64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(u >> (8 * k));
}

static double get_f64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int k = 0; k < 8; k++)
        u |= (uint64_t)p[k] << (8 * k);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* Offsets inside one record. */
static size_t off_int(const rec_layout *L, size_t k) { (void)L; return 4 * k; }
static size_t off_seq(const rec_layout *L, size_t s) { (void)L; return 4 * (R_NINT + s); }
static size_t off_pkg(const rec_layout *L, size_t i) { return 4 * (R_NINT + L->S + i); }
static size_t off_f64(const rec_layout *L) { return 4 * (R_NINT + L->S + L->I); }
static size_t off_share_deal(const rec_layout *L, size_t f) { return off_f64(L) + 8 * f; }
static size_t off_share_end(const rec_layout *L, size_t f)
{
    return off_f64(L) + 8 * (L->F + f);
}
static size_t off_cost(const rec_layout *L, size_t a) { return off_f64(L) + 8 * (2 * L->F + a); }

/* ---- one run ------------------------------------------------------------- */

typedef struct sm_ctx {
    const pl_scenario *sc;
    const war_model *w;
    uint64_t seed;
    int H;
    int fix_num;          /* sensitivity: pool number held fixed, -1 none */
    double fix_val;
    rec_layout L;
    unsigned char *rec;   /* count records */
    sim_front *front;     /* Nash frontiers, shared by the threads */
    int probe;            /* 0 runs; 1, 2: probe runs (sim_front_probe's build + 1) */
    long runs, probes;    /* probe p is run p * runs / probes */
    pl_sim_claim_fn claim; /* probe 2: each slot builds the item this claims */
    void *claim_arg;
    long items;
    sim_pool *pool;       /* views kept across calls, or NULL */
} sm_ctx;

typedef struct sm_run {
    double *share, *share0, *trend, *vol;
    double *res, *cum_cost, *extra;
    long *pkg;
} sm_run;

static double numv(const sim_view *v, int k, double dflt)
{
    return k < 0 ? dflt : v->sc.num[k].value;
}

/* Every active red line of a and every global constraint kept? */
static int keeps_rules(const pl_scenario *vs, long a, const uint8_t *ch)
{
    const pl_state *st = &vs->cur;
    for (size_t k = 0; k < st->n_cons; k++) {
        const pl_rule *r = &vs->rule[st->cons[k]];
        int t = px_eval(&r->ex, ch);
        if ((r->kind == PL_RULE_REQUIRE) != (t != 0))
            return 0;
    }
    if (a < 0)
        return 1;
    for (size_t k = 0; k < st->n_red[a]; k++) {
        const pl_rule *r = &vs->rule[st->red[a][k]];
        int t = px_eval(&r->ex, ch);
        if ((r->kind == PL_RULE_REQUIRE) != (t != 0))
            return 0;
    }
    return 1;
}

/* Rebuild the view's reservations and weighted scores from the battlefield:
 *   res_a = res_a(0) + sum_f e_af (c_f - c_f(0)) - C_a + D_a
 *   ws_a,io = ws_a,io(0) + w_a,i * sum_f e_af,io (c_f - c_f(0))
 * and close the options a gate has shut (scored out of reach). */
static void apply_state(sim_view *v, const war_model *w, const sm_run *R)
{
    pl_scenario *vs = &v->sc;
    size_t A = vs->n_actors, O = vs->total_opts, I = vs->n_issues;
    /* Back to the sample's scores: only the options the war moves or gates
     * can differ from them (every other score is left alone from one month
     * to the next), so only those are restored, all before any is moved. */
    for (size_t f = 0; f < w->n_front; f++) {
        const war_front *F = &w->front[f];
        for (size_t k = 0; k < F->n_eff; k++)
            if (F->eff[k].issue >= 0) {
                size_t x = (size_t)F->eff[k].actor * O + vs->issue[F->eff[k].issue].opt_base +
                           (size_t)F->eff[k].option;
                vs->cur.ws[x] = v->base_ws[x];
            }
        for (size_t k = 0; k < F->n_gate; k++)
            for (size_t a = 0; a < A; a++) {
                size_t x = a * O + vs->issue[F->gate[k].issue].opt_base + (size_t)F->gate[k].option;
                vs->cur.ws[x] = v->base_ws[x];
            }
    }
    for (size_t a = 0; a < A; a++)
        R->res[a] = v->base_res[a] - R->cum_cost[a] + R->extra[a];
    for (size_t f = 0; f < w->n_front; f++) {
        const war_front *F = &w->front[f];
        double dc = R->share[f] - R->share0[f];
        for (size_t k = 0; k < F->n_eff; k++) {
            const war_effect *e = &F->eff[k];
            double x = numv(v, e->per_share_num, 0) * dc;
            size_t a = (size_t)e->actor;
            if (e->issue < 0)
                R->res[a] += x;
            else
                vs->cur.ws[a * O + vs->issue[e->issue].opt_base + (size_t)e->option] +=
                    vs->cur.w[a * I + (size_t)e->issue] * x;
        }
        for (size_t k = 0; k < F->n_gate; k++) {
            const war_gate *g = &F->gate[k];
            if (!war_crossed(&g->at, R->share[f]))
                continue;
            for (size_t a = 0; a < A; a++)
                if (vs->actor[a].has_pref)
                    vs->cur.ws[a * O + vs->issue[g->issue].opt_base + (size_t)g->option] = -1e9;
        }
    }
    memcpy(vs->cur.res, R->res, sizeof(double) * A);
    /* Red lines in force: those of the sample, less the ones the battlefield
     * has made moot. */
    for (size_t a = 0; a < A; a++) {
        uint32_t n = 0;
        for (uint32_t k = 0; k < v->base_nred[a]; k++) {
            uint32_t rule = v->base_red[a][k];
            int lifted = 0;
            for (size_t f = 0; f < w->n_front && !lifted; f++)
                for (size_t q = 0; q < w->front[f].n_lift; q++) {
                    const war_lift *l = &w->front[f].lift[q];
                    if (l->rule == (long)rule && war_crossed(&l->at, R->share[f]))
                        lifted = 1;
                }
            if (!lifted)
                vs->cur.red[a][n++] = rule;
        }
        vs->cur.n_red[a] = n;
    }
}

/* The mediator's Nash package of the current state: the exact maximiser of
 * the Nash product over the ZOPA (red lines, constraints, reservations of
 * the veto actors), ties to the first package in package order -- what
 * pl_solve returns first, without counting the zone. 1 found, 0 empty ZOPA,
 * -1 out of memory. */
static int sim_nash_package(const pl_scenario *vs, const long *hint, long *pkg)
{
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    if (sp_ctx_init(&c, vs, &spec) != 0)
        return -1;
    sp_best_args a;
    memset(&a, 0, sizeof a);
    a.obj = SP_NASH;
    a.top_k = 1;
    a.hint = hint;
    sp_pkg *p = NULL;
    size_t n = 0;
    int rc = sp_best(&c, &a, &p, &n);
    if (rc == 0 && n > 0)
        memcpy(pkg, p[0].opt, sizeof(long) * vs->n_issues);
    sp_pkgs_free(p, n);
    sp_ctx_free(&c);
    return rc != 0 ? -1 : n > 0;
}

/* Can any package keep every constraint and the veto actors' red lines in
 * force, whatever the utilities? 1 yes, 0 no, -1 out of memory. */
static int sim_rules_feasible(const pl_scenario *vs)
{
    sp_spec spec;
    sp_spec_default(&spec);
    spec.reservations = 0;
    sp_ctx c;
    if (sp_ctx_init(&c, vs, &spec) != 0)
        return -1;
    sp_total one;
    int rc = sp_count(&c, 1, 1, &one, NULL);
    sp_ctx_free(&c);
    return rc != 0 ? -1 : one.n > 0;
}

/* Which red lines and constraints are in force: a month's search is skipped
 * outright while they cannot all be kept at once, and that only changes when
 * the battlefield lifts one. sig holds n_cons and cons[...], then n_red[a]
 * and red[a][...] for every veto actor; returns 1 when it differs from what it
 * held (and updates it). */
static int red_lines_changed(const pl_scenario *vs, uint32_t *sig, size_t cap, size_t *len)
{
    size_t n = 0;
    int changed = 0;
    if (n + 1 + vs->cur.n_cons > cap) {
        *len = (size_t)-1;
        return 1;
    }
    changed |= *len == 0 || *len == (size_t)-1 || sig[0] != (uint32_t)vs->cur.n_cons;
    sig[n++] = (uint32_t)vs->cur.n_cons;
    for (size_t k = 0; k < vs->cur.n_cons; k++) {
        changed |= n >= *len || sig[n] != vs->cur.cons[k];
        sig[n++] = vs->cur.cons[k];
    }
    for (size_t a = 0; a < vs->n_actors; a++) {
        if (!vs->actor[a].veto || !vs->actor[a].has_pref)
            continue; /* the searches consider the veto actors' alone */
        uint32_t m = (uint32_t)vs->cur.n_red[a];
        if (n >= cap) {
            *len = (size_t)-1;
            return 1;
        }
        changed |= n >= *len || sig[n] != m;
        sig[n++] = m;
        for (uint32_t k = 0; k < m; k++) {
            if (n >= cap) {
                *len = (size_t)-1;
                return 1;
            }
            changed |= n >= *len || sig[n] != vs->cur.red[a][k];
            sig[n++] = vs->cur.red[a][k];
        }
    }
    changed |= n != *len;
    *len = n;
    return changed;
}

int pl__sim_front_mode = 0;
atomic_long pl__sim_front_checked, pl__sim_front_mismatch;

/* Tests: the frontier's answer against a fresh search. */
static void front_check(const pl_scenario *vs, int found, const long *pkg)
{
    long *p = pl__malloc(sizeof *p * (vs->n_issues ? vs->n_issues : 1));
    int f2 = p ? sim_nash_package(vs, NULL, p) : -1;
    atomic_fetch_add(&pl__sim_front_checked, 1);
    if (f2 != found || (found == 1 && memcmp(p, pkg, sizeof *p * vs->n_issues) != 0))
        atomic_fetch_add(&pl__sim_front_mismatch, 1);
    pl__free(p);
}

/* A thread's memory across runs: the feasibility of each set of rules met
 * (a few sets recur in every run). */
#define SM_FEAS 64
typedef struct sm_cache {
    size_t n_feas;
    size_t feas_len[SM_FEAS];
    uint32_t feas_sig[SM_FEAS][256];
    int feas[SM_FEAS];
    sim_front_local front;
} sm_cache;

static void sm_cache_free(void *p)
{
    sm_cache *c = p;
    if (c)
        sim_front_local_free(&c->front);
    pl__free(p);
}

/* sim_rules_feasible, remembered per signature (sig, len as from
 * red_lines_changed; len (size_t)-1 means "not comparable"). */
static int rules_feasible_cached(sm_cache *C, const pl_scenario *vs, const uint32_t *sig,
                                 size_t len)
{
    if (len > 256)
        return sim_rules_feasible(vs);
    for (size_t k = 0; k < C->n_feas; k++)
        if (C->feas_len[k] == len && memcmp(C->feas_sig[k], sig, sizeof *sig * len) == 0)
            return C->feas[k];
    int ok = sim_rules_feasible(vs);
    if (ok >= 0 && C->n_feas < SM_FEAS) {
        C->feas_len[C->n_feas] = len;
        memcpy(C->feas_sig[C->n_feas], sig, sizeof *sig * len);
        C->feas[C->n_feas++] = ok;
    }
    return ok;
}

static int sm_run_one(void *vctx, sim_view *v, gsl_rng *rng, long r, long slot, pl_diag *diag)
{
    sm_ctx *C = vctx;
    const war_model *w = C->w;
    const rec_layout *L = &C->L;
    size_t A = L->A, F = L->F, S = L->S, I = L->I;
    unsigned char *rec = C->rec + (size_t)slot * L->size;
    memset(rec, 0, L->size);
    long probe = slot;
    if (C->claim) {
        long item = C->claim(C->claim_arg);
        if (item < 0 || item >= C->items)
            return 0;
        if ((probe = sim_front_claim(C->front, item)) < 0) {
            pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            return -1;
        }
    }
    if (C->probe)
        r = (long)((long long)probe * C->runs / C->probes);
    sim_rng_seed(rng, sim_run_seed(C->seed, (uint64_t)r));
    pl_diag local;
    memset(&local, 0, sizeof local);
    if (sim_view_sample(v, rng, &local) != 0) {
        *diag = local;
        if (local.status == PL_E_INPUT)
            pl__diag_set(diag, PL_E_INPUT, local.file, local.line, local.col,
                         "run %ld drew an invalid sample: %s", r, local.message);
        return -1;
    }
    if (C->fix_num >= 0) {
        v->sc.num[C->fix_num].value = C->fix_val;
        if (sim_view_rederive(v, diag) != 0)
            return -1;
    }
    pl_scenario *vs = &v->sc;
    if (!C->probe)
        sim_front_run(C->front);
    if (!v->cache) {
        sm_cache *mc = pl__calloc(1, sizeof *mc);
        if (!mc) {
            pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            return -1;
        }
        v->cache = mc;
        v->cache_free = sm_cache_free;
    }
    sm_cache *mc = v->cache;

    double buf_d[8 * 64];
    long buf_l[64];
    double *heap_d = NULL;
    long *heap_l = NULL;
    size_t nd = 4 * F + 3 * A;
    double *D = nd <= 8 * 64 ? buf_d : (heap_d = pl__malloc(sizeof(double) * nd));
    long *pkg = I <= 64 ? buf_l : (heap_l = pl__malloc(sizeof(long) * I));
    uint8_t ch[PL_MAX_ISSUES];
    if (!D || !pkg) {
        pl__free(heap_d);
        pl__free(heap_l);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    sm_run R = {D, D + F, D + 2 * F, D + 3 * F, D + 4 * F, D + 4 * F + A, D + 4 * F + 2 * A,
                pkg};
    for (size_t f = 0; f < F; f++) {
        R.share[f] = R.share0[f] = numv(v, w->front[f].control_num, 0);
        R.trend[f] = numv(v, w->front[f].trend_num, 0);
        R.vol[f] = numv(v, w->front[f].vol_num, 0);
    }
    for (size_t a = 0; a < A; a++)
        R.cum_cost[a] = R.extra[a] = 0;
    double noise = numv(v, w->noise_num, 0);
    /* Months of 30 days: the referendum comes in the first month by whose
     * end the ceasefire has lasted long enough. */
    int months_cf = (int)ceil(numv(v, w->ceasefire_num, 60) / 30.0 - 1e-9);

    int deal = -1, n_ref = 0, n_ren = 0, n_impl = 0;
    int have_last = 0; /* pkg holds this run's last Nash package (a hint) */
    uint32_t sig[256];
    size_t sig_len = (size_t)-1;
    int rules_ok = 1;
    int32_t held[64] = {0};
    int signed_at = -1, vote_at = -1;
    int rc = 0;
    for (int t = 1; t <= C->H && deal < 0; t++) {
        int cm = (w->start_month - 1 + t) % 12 + 1;
        int ceasefire = signed_at >= 0;
        /* The battlefield moves and fighting costs, except under a ceasefire. */
        if (!ceasefire) {
            for (size_t f = 0; f < F; f++) {
                double x = R.share[f] + R.trend[f];
                if (R.vol[f] > 0)
                    x += R.vol[f] * gsl_ran_gaussian_ziggurat(rng, 1.0);
                R.share[f] = x < 0 ? 0 : x > 1 ? 1 : x;
            }
            for (size_t a = 0; a < A; a++)
                R.cum_cost[a] += numv(v, w->cost_num[a], 0);
            for (size_t k = 0; k < w->n_shock; k++)
                if (w->shock[k].months_mask & (1u << cm))
                    R.cum_cost[w->shock[k].actor] += numv(v, w->shock[k].cost_num, 0);
        }
        for (size_t k = 0; k < w->n_dl; k++)
            if (w->dl[k].month == t)
                R.extra[w->dl[k].actor] += numv(v, w->dl[k].delta_num, 0);
        apply_state(v, w, &R);
        if (w->rule == WAR_RULE_NASH && red_lines_changed(vs, sig, 256, &sig_len)) {
            rules_ok = rules_feasible_cached(mc, vs, sig, sig_len);
            if (rules_ok < 0) {
                pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
                rc = -1;
                break;
            }
        }

        if (ceasefire) {
            if (t < vote_at)
                continue;
            /* The referendum: every actor whose ratification is required
             * votes; each passes with its (sampled) support. */
            int pass = 1;
            for (size_t a = 0; a < A; a++) {
                if (!vs->actor[a].rat_required)
                    continue;
                double sup = vs->cur.sup[a] < 0 ? 0.5 : vs->cur.sup[a];
                if (!(gsl_rng_uniform(rng) < sup))
                    pass = 0;
            }
            if (!pass) {
                n_ref++;
                signed_at = vote_at = -1;
                continue;
            }
        } else {
            /* The mediator's proposal this month. */
            int have = 0;
            if (w->rule == WAR_RULE_NASH) {
                const long *hint = have_last ? pkg : v->has_hint ? v->nash_hint : NULL;
                int found = 0;
                if (rules_ok && C->probe) {
                    /* No package: the probe follows the war to the horizon. */
                    found = sim_front_probe(C->front, &mc->front, vs, C->probe - 1, probe);
                    found = found < 0 ? -1 : 0;
                } else if (rules_ok) {
                    found = pl__sim_front_mode == 1
                                ? 2
                                : sim_front_nash(C->front, &mc->front, vs, pkg);
                    if (found != 2 && pl__sim_front_mode == 2)
                        front_check(vs, found, pkg);
                    if (found == 2)
                        found = sim_nash_package(vs, hint, pkg);
                }
                if (found > 0) {
                    memcpy(v->nash_hint, pkg, sizeof(long) * I);
                    v->has_hint = 1;
                }
                if (found < 0) {
                    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
                    rc = -1;
                    break;
                }
                have = found;
                have_last |= found;
            } else {
                size_t k = (size_t)(t - 1) / (size_t)w->draft_every;
                if (k >= w->n_drafts)
                    k = w->n_drafts - 1;
                const pl_proposal *p = &vs->prop[w->drafts[k]];
                for (size_t i = 0; i < I; i++)
                    pkg[i] = p->opt[i] >= 0 ? p->opt[i] : (long)vs->cur.sq[i];
                have = 1;
            }
            if (!have)
                continue;
            for (size_t i = 0; i < I; i++)
                ch[i] = (uint8_t)pkg[i];
            /* Acceptance: red lines kept and u - res + noise >= 0 for every
             * veto actor (one normal draw per veto actor, always, so the
             * stream does not depend on who rejected first). */
            int all = keeps_rules(vs, -1, ch);
            for (size_t a = 0; a < A; a++) {
                if (!vs->actor[a].veto || !vs->actor[a].has_pref)
                    continue;
                double e = noise > 0 ? noise * gsl_ran_gaussian_ziggurat(rng, 1.0) : 0;
                double u = model_utility(vs, a, pkg);
                if (!keeps_rules(vs, (long)a, ch) || u - vs->cur.res[a] + e < 0)
                    all = 0;
            }
            if (!all)
                continue;
            signed_at = t;
            int need_vote = 0;
            for (size_t a = 0; a < A; a++)
                need_vote |= vs->actor[a].rat_required;
            if (need_vote) {
                vote_at = t + (months_cf > 0 ? months_cf : 0);
                if (vote_at > t)
                    continue;
                /* No ceasefire needed before the vote: it is held at once. */
                int pass = 1;
                for (size_t a = 0; a < A; a++) {
                    if (!vs->actor[a].rat_required)
                        continue;
                    double sup = vs->cur.sup[a] < 0 ? 0.5 : vs->cur.sup[a];
                    if (!(gsl_rng_uniform(rng) < sup))
                        pass = 0;
                }
                if (!pass) {
                    n_ref++;
                    signed_at = vote_at = -1;
                    continue;
                }
            }
        }
        /* Implementation: each sequencing is tried against the same trust
         * deficit (one draw per sequencing and actor, fixed order); the one in
         * use decides what happens. */
        n_impl++;
        int used_held = 1;
        for (size_t s = 0; s < S; s++) {
            int ok = 1;
            for (size_t a = 0; a < A; a++) {
                double p = numv(v, w->seq[s].renege_num[a], 0);
                int reneges = gsl_rng_uniform(rng) < p;
                if (reneges) {
                    ok = 0;
                    if (s == w->use_seq)
                        R.extra[a] -= numv(v, w->seq[s].cost_num[a], 0);
                }
            }
            if (s < 64)
                held[s] += ok;
            if (s == w->use_seq)
                used_held = ok;
        }
        if (used_held) {
            deal = signed_at;
            put_i32(rec + off_int(L, R_DEAL), deal);
            for (size_t i = 0; i < I; i++)
                put_i32(rec + off_pkg(L, i), (int32_t)pkg[i]);
            for (size_t f = 0; f < F; f++)
                put_f64(rec + off_share_deal(L, f), R.share[f]);
            for (size_t a = 0; a < A; a++)
                put_f64(rec + off_cost(L, a), R.cum_cost[a]);
        } else {
            n_ren++;
            signed_at = vote_at = -1;
        }
    }
    if (deal < 0) {
        put_i32(rec + off_int(L, R_DEAL), -1);
        for (size_t i = 0; i < I; i++)
            put_i32(rec + off_pkg(L, i), -1);
        for (size_t f = 0; f < F; f++)
            put_f64(rec + off_share_deal(L, f), NAN);
        for (size_t a = 0; a < A; a++)
            put_f64(rec + off_cost(L, a), R.cum_cost[a]);
    }
    for (size_t f = 0; f < F; f++)
        put_f64(rec + off_share_end(L, f), R.share[f]);
    put_i32(rec + off_int(L, R_REF), n_ref);
    put_i32(rec + off_int(L, R_RENEGE), n_ren);
    put_i32(rec + off_int(L, R_IMPL), n_impl);
    for (size_t s = 0; s < S; s++)
        put_i32(rec + off_seq(L, s), s < 64 ? held[s] : 0);
    pl__free(heap_d);
    pl__free(heap_l);
    return rc;
}

static int check_war(const pl_scenario *sc, const pl_sim_options *o, pl_diag *d, int *H)
{
    if (!sc) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return -1;
    }
    const war_model *w = war_get(sc);
    if (!w) {
        pl__diag_set(d, PL_E_INPUT, sc->file, 0, 0,
                     "the scenario has no 'war:' section to simulate (docs/simulate.md)");
        return -1;
    }
    if (sim_check_options(o, d) != 0)
        return -1;
    if (w->n_seq > 64) {
        pl__diag_set(d, PL_E_INPUT, sc->file, 0, 0, "at most 64 sequencing options");
        return -1;
    }
    *H = o->horizon > 0 ? o->horizon : w->horizon;
    return 0;
}

static int ctx_init(sm_ctx *C, const pl_scenario *sc, const pl_sim_options *o, pl_diag *diag)
{
    memset(C, 0, sizeof *C);
    C->fix_num = -1;
    if (check_war(sc, o, diag, &C->H) != 0)
        return -1;
    C->sc = sc;
    C->w = war_get(sc);
    C->seed = o->seed;
    layout(sc, &C->L);
    return 0;
}

static pl_status parallel(sm_ctx *C, int threads, long first, long count, pl_diag *diag)
{
    pl_diag local;
    memset(&local, 0, sizeof local);
    if (sim_parallel(C->sc, threads, first, count, sm_run_one, C, C->pool, &local) == 0)
        return PL_OK;
    if (diag)
        *diag = local;
    return local.status != PL_OK ? local.status : PL_E_INTERNAL;
}

/* front: the caller's kept frontiers, or NULL for ones of this call; pool:
 * the caller's kept views, or NULL. */
static pl_status run_range(const pl_scenario *sc, const pl_sim_options *o, long first,
                           long count, unsigned char *records, int fix_num, double fix_val,
                           sim_front *front, sim_pool *pool, pl_diag *diag)
{
    sm_ctx C;
    if (ctx_init(&C, sc, o, diag) != 0)
        return diag ? diag->status : PL_E_ARG;
    C.fix_num = fix_num;
    C.fix_val = fix_val;
    if (first < 0 || count < 0 || first + count > o->runs || (!records && count > 0)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "run range [%ld, %ld) outside [0, %ld)", first,
                     first + count, o->runs);
        return PL_E_ARG;
    }
    if (count == 0)
        return PL_OK;
    C.rec = records;
    C.front = front;
    C.pool = pool;
    if (!front && C.w->rule == WAR_RULE_NASH && !(C.front = sim_front_new(sc, C.w, count))) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_status st = parallel(&C, o->threads, first, count, diag);
    if (!front)
        sim_front_free(C.front);
    return st;
}

pl_status pl_sim_run_range(const pl_scenario *sc, const pl_sim_options *o, long first,
                           long count, unsigned char *records, pl_diag *diag)
{
    return run_range(sc, o, first, count, records, -1, 0, NULL, NULL, diag);
}

/* ---- a cache of frontiers kept between calls ------------------------------- */

/* Probe runs: a fiftieth of the runs, from 512 to 4096 (never more than the
 * runs). Keys rarer than that are left to the runs to build. */
#define SM_PROBES_MIN 512
#define SM_PROBES_MAX 4096

struct pl_sim_cache {
    const pl_scenario *sc;
    pl_sim_options o;
    sim_front *front;     /* NULL: the mediator's rule searches nothing */
    /* The threads' views, kept between calls: a simulation run in batches
     * (MPI ranks, a progress bar) would otherwise make them afresh and
     * relearn which rule sets are feasible each time, some 1.4 ms a batch
     * on the reference. */
    sim_pool pool;
};

pl_status pl_sim_cache_new(const pl_scenario *sc, const pl_sim_options *o, pl_sim_cache **out,
                           pl_diag *diag)
{
    int H;
    if (!out) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (check_war(sc, o, diag, &H) != 0)
        return diag ? diag->status : PL_E_ARG;
    pl_sim_cache *c = pl__calloc(1, sizeof *c);
    if (!c) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    c->sc = sc;
    c->o = *o;
    const war_model *w = war_get(sc);
    if (w->rule == WAR_RULE_NASH && !(c->front = sim_front_new(sc, w, o->runs))) {
        pl__free(c);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    *out = c;
    return PL_OK;
}

void pl_sim_cache_free(pl_sim_cache *c)
{
    if (!c)
        return;
    sim_pool_clear(&c->pool);
    sim_front_free(c->front);
    pl__free(c);
}

pl_status pl_sim_cache_prepare_claimed(pl_sim_cache *c, pl_sim_claim_fn claim, void *arg,
                                       pl_diag *diag)
{
    if (!c || !claim) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    if (!c->front)
        return PL_OK;
    sm_ctx C;
    if (ctx_init(&C, c->sc, &c->o, diag) != 0)
        return diag ? diag->status : PL_E_ARG;
    C.front = c->front;
    C.pool = &c->pool;
    C.runs = c->o.runs;
    C.probes = c->o.runs / 50;
    C.probes = C.probes < SM_PROBES_MIN ? SM_PROBES_MIN : C.probes;
    C.probes = C.probes > SM_PROBES_MAX ? SM_PROBES_MAX : C.probes;
    C.probes = C.probes > c->o.runs ? c->o.runs : C.probes;
    C.rec = pl__malloc(C.L.size * (size_t)C.probes);
    if (!C.rec) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    C.probe = 1;
    pl_status st = parallel(&C, c->o.threads, 0, C.probes, diag);
    long n = 0;
    if (st == PL_OK && (n = sim_front_items(c->front, C.runs, C.probes)) < 0) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        st = PL_E_NOMEM;
    }
    if (st == PL_OK && n > C.probes) {
        pl__free(C.rec);
        if (!(C.rec = pl__malloc(C.L.size * (size_t)n))) {
            pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            st = PL_E_NOMEM;
        }
    }
    if (st == PL_OK && n > 0) {
        /* A part may claim every item: as many slots as items, each
         * replaying the probe run that first met the item it claims. */
        C.probe = 2;
        C.claim = claim;
        C.claim_arg = arg;
        C.items = n;
        st = parallel(&C, c->o.threads, 0, n, diag);
    }
    pl__free(C.rec);
    return st;
}

/* Every parts-th item from part: the k-th claim (from any thread) gets
 * part + k * parts. */
typedef struct static_claim {
    atomic_long k;
    long part, parts;
} static_claim;

static long claim_static(void *arg)
{
    static_claim *s = arg;
    return s->part + atomic_fetch_add_explicit(&s->k, 1, memory_order_relaxed) * s->parts;
}

pl_status pl_sim_cache_prepare(pl_sim_cache *c, int part, int parts, pl_diag *diag)
{
    if (!c || parts < 1 || part < 0 || part >= parts) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    static_claim s;
    atomic_init(&s.k, 0);
    s.part = part;
    s.parts = parts;
    return pl_sim_cache_prepare_claimed(c, claim_static, &s, diag);
}

pl_status pl_sim_cache_export(pl_sim_cache *c, unsigned char **bytes, size_t *len,
                              pl_diag *diag)
{
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    if (!c || !bytes || !len) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    if (sim_front_export(c->front, bytes, len) != 0) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    return PL_OK;
}

pl_status pl_sim_cache_import(pl_sim_cache *c, const unsigned char *bytes, size_t len,
                              pl_diag *diag)
{
    if (!c || (!bytes && len > 0)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    char why[160];
    int rc = sim_front_import(c->front, bytes ? bytes : (const unsigned char *)"", len, why,
                              sizeof why);
    if (rc == -2) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    if (rc != 0) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0, "simulation cache, %s", why);
        return PL_E_INPUT;
    }
    return PL_OK;
}

pl_status pl_sim_cache_run_range(pl_sim_cache *c, long first, long count,
                                 unsigned char *records, pl_diag *diag)
{
    if (!c) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    return run_range(c->sc, &c->o, first, count, records, -1, 0, c->front, &c->pool, diag);
}

int sim_front_shared(const pl_scenario *sc, long runs, sim_front **out)
{
    const war_model *w = war_get(sc);
    *out = NULL;
    if (!w || w->rule != WAR_RULE_NASH)
        return 0;
    return (*out = sim_front_new(sc, w, runs)) ? 0 : -1;
}

int sim_deal_within(const pl_scenario *sc, const pl_sim_options *o, int months, int fix_num,
                    double fix_val, sim_front *front, double *p, double *p_horizon,
                    pl_diag *diag)
{
    size_t sz = pl_sim_record_size(sc);
    unsigned char *rec = pl__malloc(sz * (size_t)o->runs + 1);
    if (!rec) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    if (run_range(sc, o, 0, o->runs, rec, fix_num, fix_val, front, NULL, diag) != PL_OK) {
        pl__free(rec);
        return -1;
    }
    rec_layout L;
    layout(sc, &L);
    long n = 0, nh = 0;
    for (long r = 0; r < o->runs; r++) {
        int d = get_i32(rec + (size_t)r * L.size + off_int(&L, R_DEAL));
        n += d >= 1 && d <= months;
        nh += d >= 1;
    }
    *p = (double)n / (double)o->runs;
    *p_horizon = (double)nh / (double)o->runs;
    pl__free(rec);
    return 0;
}

/* ---- the summary ------------------------------------------------------------ */

pl_status pl_sim_summary_json(const pl_scenario *sc, const pl_sim_options *o,
                              const unsigned char *records, char **json, pl_diag *diag)
{
    int H;
    if (json)
        *json = NULL;
    if (!json || !records) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    if (check_war(sc, o, diag, &H) != 0)
        return diag ? diag->status : PL_E_ARG;
    const war_model *w = war_get(sc);
    rec_layout L;
    layout(sc, &L);
    size_t N = (size_t)o->runs, I = L.I, A = L.A, F = L.F, S = L.S;
    double *x = pl__malloc(sizeof *x * (N + 1));
    double *by = pl__calloc((size_t)H + 1, sizeof *by);
    double *terms = pl__calloc(sc->total_opts + 1, sizeof *terms);
    if (!x || !by || !terms) {
        pl__free(x);
        pl__free(by);
        pl__free(terms);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    size_t n_deal = 0, n_coll = 0;
    double sum_ref = 0, sum_ren = 0, n_impl = 0;
    for (size_t r = 0; r < N; r++) {
        const unsigned char *rec = records + r * L.size;
        int d = get_i32(rec + off_int(&L, R_DEAL));
        int nr = get_i32(rec + off_int(&L, R_REF)), nn = get_i32(rec + off_int(&L, R_RENEGE));
        sum_ref += nr;
        sum_ren += nn;
        n_coll += (nr + nn) > 0;
        n_impl += get_i32(rec + off_int(&L, R_IMPL));
        if (d >= 1 && d <= H) {
            by[d - 1] += 1;
            x[n_deal++] = d;
            for (size_t i = 0; i < I; i++) {
                int opt = get_i32(rec + off_pkg(&L, i));
                if (opt >= 0 && (size_t)opt < sc->issue[i].n_opt)
                    terms[sc->issue[i].opt_base + (size_t)opt] += 1;
            }
        }
    }
    sim_jb J = {0};
    json_t *root = sim_chk(&J, json_object());
    double dN = (double)N, dD = n_deal ? (double)n_deal : NAN;
    sim_set(&J, root, "runs", sim_chk(&J, json_integer((json_int_t)N)));
    sim_set(&J, root, "seed", sim_chk(&J, json_integer((json_int_t)(o->seed & INT64_MAX))));
    sim_set(&J, root, "horizon", sim_chk(&J, json_integer(H)));
    sim_set(&J, root, "scenario", sim_jscen(&J, sc));
    sim_set(&J, root, "start", sim_chk(&J, json_string(w->start)));
    json_t *bm = sim_chk(&J, json_array());
    double acc = 0;
    for (int m = 0; m < H; m++) {
        acc += by[m];
        sim_push(&J, bm, sim_jreal(&J, acc / dN));
    }
    sim_set(&J, root, "deal_by_month", bm);
    sim_set(&J, root, "p_deal", sim_jreal(&J, (double)n_deal / dN));
    sim_set(&J, root, "month_of_deal", sim_jstats(&J, x, n_deal));
    json_t *tj = sim_chk(&J, json_object());
    for (size_t i = 0; i < I; i++) {
        json_t *ij = sim_chk(&J, json_object());
        for (size_t k = 0; k < sc->issue[i].n_opt; k++)
            sim_set(&J, ij, sc->issue[i].opt[k].id,
                    sim_jreal(&J, terms[sc->issue[i].opt_base + k] / dD));
        sim_set(&J, tj, sc->issue[i].id, ij);
    }
    sim_set(&J, root, "terms", tj);
    json_t *cd = sim_chk(&J, json_object()), *ch = sim_chk(&J, json_object());
    for (size_t f = 0; f < F; f++) {
        size_t n = 0;
        for (size_t r = 0; r < N; r++) {
            double s = get_f64(records + r * L.size + off_share_deal(&L, f));
            if (!isnan(s))
                x[n++] = s;
        }
        sim_set(&J, cd, w->front[f].id, sim_jstats(&J, x, n));
        for (size_t r = 0; r < N; r++)
            x[r] = get_f64(records + r * L.size + off_share_end(&L, f));
        sim_set(&J, ch, w->front[f].id, sim_jstats(&J, x, N));
    }
    sim_set(&J, root, "control_at_deal", cd);
    sim_set(&J, root, "control_at_horizon", ch);
    json_t *cj = sim_chk(&J, json_object());
    for (size_t a = 0; a < A; a++) {
        if (w->cost_num[a] < 0) {
            int any = 0;
            for (size_t k = 0; k < w->n_shock; k++)
                any |= w->shock[k].actor == (long)a;
            if (!any)
                continue;
        }
        size_t n = 0;
        for (size_t r = 0; r < N; r++) {
            const unsigned char *rec = records + r * L.size;
            if (get_i32(rec + off_int(&L, R_DEAL)) >= 1)
                x[n++] = get_f64(rec + off_cost(&L, a));
        }
        sim_set(&J, cj, sc->actor[a].id, sim_jstats(&J, x, n));
    }
    sim_set(&J, root, "cost_at_deal", cj);
    json_t *col = sim_chk(&J, json_object()), *cause = sim_chk(&J, json_object());
    sim_set(&J, col, "p_any", sim_jreal(&J, (double)n_coll / dN));
    sim_set(&J, col, "mean", sim_jreal(&J, (sum_ref + sum_ren) / dN));
    sim_set(&J, cause, "rejected_referendum", sim_jreal(&J, sum_ref / dN));
    sim_set(&J, cause, "reneged", sim_jreal(&J, sum_ren / dN));
    sim_set(&J, col, "by_cause", cause);
    sim_set(&J, root, "collapse", col);
    json_t *sq = sim_chk(&J, json_object());
    for (size_t s = 0; s < S; s++) {
        double h = 0;
        for (size_t r = 0; r < N; r++)
            h += get_i32(records + r * L.size + off_seq(&L, s));
        json_t *e = sim_chk(&J, json_object());
        sim_set(&J, e, "held", sim_jreal(&J, n_impl > 0 ? h / n_impl : NAN));
        sim_set(&J, e, "used", sim_chk(&J, json_boolean(s == w->use_seq)));
        sim_set(&J, sq, w->seq[s].id, e);
    }
    sim_set(&J, root, "sequencing", sq);
    pl__free(x);
    pl__free(by);
    pl__free(terms);
    return sim_finish(&J, root, json, diag);
}

pl_status pl_simulate_json(const pl_scenario *sc, const pl_sim_options *o, char **json,
                           pl_diag *diag)
{
    int H;
    if (json)
        *json = NULL;
    if (check_war(sc, o, diag, &H) != 0)
        return diag ? diag->status : PL_E_ARG;
    size_t sz = pl_sim_record_size(sc);
    unsigned char *rec = pl__malloc(sz * (size_t)o->runs + 1);
    if (!rec) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_status st = pl_sim_run_range(sc, o, 0, o->runs, rec, diag);
    if (st == PL_OK)
        st = pl_sim_summary_json(sc, o, rec, json, diag);
    pl__free(rec);
    return st;
}
