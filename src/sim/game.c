/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley game`: the talks as a finite alternating-offers game, solved by
 * backward induction over the best candidate packages and, when the war
 * section names sequencings, over how the deal is implemented; and its export
 * to Gambit's .efg format (docs/simulate.md, "game"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/simi.h"
#include "util/util.h"

void pl_game_options_init(pl_game_options *o)
{
    o->rounds = 12;
    o->offers = 10;
    o->breakdown = 0.05;
}

/* An offer is o = k * S + s: candidate package k implemented under
 * sequencing s. Without sequencings S = 1 and the one "sequencing" is
 * everyone at once with nobody failing, which is the plain game. */
typedef struct gm {
    const pl_scenario *sc;
    const war_model *w;
    size_t n;           /* players: veto actors with preferences */
    size_t act[PL_MAX_ACTORS];
    size_t K;           /* candidate packages */
    size_t S;           /* sequencings (1 without any) */
    long *pkg;          /* K x I */
    double *u;          /* K x n */
    double *ucp;        /* K x n x n: u_j of the package late mover a cherry-picks from k */
    double *B;          /* KS x n: expected payoff of agreeing at round 0 */
    double *gain;       /* KS x n: a late mover's gain from reneging (NAN: not one) */
    long *reneger;      /* KS: the player who reneges for sure, or -1 */
    double *ps;         /* S: P(no non-strategic failure) */
    double *q, *cs;     /* S x n: players' failure probabilities and reneging costs */
    double *q_others;   /* S: P(some actor outside the game fails) */
    double res[PL_MAX_ACTORS], cost[PL_MAX_ACTORS];
    int T;
    double p;           /* breakdown probability after a rejection */
} gm;

static void gm_free(gm *g)
{
    pl__free(g->pkg);
    pl__free(g->u);
    pl__free(g->ucp);
    pl__free(g->B);
    pl__free(g->gain);
    pl__free(g->reneger);
    pl__free(g->ps);
    pl__free(g->q);
    pl__free(g->cs);
    pl__free(g->q_others);
}

static double numv(const pl_scenario *sc, int k)
{
    return k >= 0 ? sc->num[k].value : 0;
}

/* x'_a: package k with every issue on which player a prefers the status quo
 * taken back to it (ties keep the package's option). */
static void gm_cherry(const gm *g, size_t k, size_t a, long *out)
{
    const pl_scenario *sc = g->sc;
    size_t I = sc->n_issues, actor = g->act[a];
    for (size_t i = 0; i < I; i++) {
        long o = g->pkg[k * I + i];
        long sq = (long)sc->cur.sq[i];
        out[i] = model_ws(sc, actor, i, (size_t)sq) > model_ws(sc, actor, i, (size_t)o) ? sq : o;
    }
}

static int gm_is_late(const gm *g, size_t s, size_t j)
{
    if (!g->w || g->w->n_seq == 0)
        return 0;
    const war_seq *q = &g->w->seq[s];
    return q->n_first > 0 && !q->is_first[g->act[j]];
}

/* Self-enforcement, the reneger and the expected payoffs of every offer. */
static void gm_commit(gm *g)
{
    size_t n = g->n, S = g->S;
    for (size_t k = 0; k < g->K; k++)
        for (size_t s = 0; s < S; s++) {
            size_t o = k * S + s;
            long r = -1;
            double best = 0;
            for (size_t a = 0; a < n; a++) {
                g->gain[o * n + a] = NAN;
                if (!gm_is_late(g, s, a))
                    continue;
                double gv = g->ucp[(k * n + a) * n + a] - g->cs[s * n + a] - g->u[k * n + a];
                g->gain[o * n + a] = gv;
                if (gv > best) { /* strictly: a tie with complying complies */
                    best = gv;
                    r = (long)a;
                }
            }
            g->reneger[o] = r;
            double P = g->ps[s];
            for (size_t j = 0; j < n; j++) {
                double out = r < 0 ? g->u[k * n + j]
                                   : g->ucp[(k * n + (size_t)r) * n + j] -
                                         ((size_t)r == j ? g->cs[s * n + j] : 0);
                g->B[o * n + j] = P * out + (1 - P) * (g->res[j] - g->cost[j]) -
                                  g->q[s * n + j] * g->cs[s * n + j];
            }
        }
}

static int gm_init(gm *g, const pl_scenario *sc, const pl_game_options *o, pl_diag *d)
{
    memset(g, 0, sizeof *g);
    g->sc = sc;
    g->T = o->rounds;
    g->p = o->breakdown;
    if (o->rounds < 1 || o->rounds > 1000 || o->offers < 1 || o->offers > 100000 ||
        !(o->breakdown >= 0 && o->breakdown <= 1)) {
        pl__diag_set(d, PL_E_ARG, NULL, 0, 0,
                     "rounds must be 1-1000, offers 1-100000 and the breakdown probability "
                     "0-1");
        return -1;
    }
    const war_model *w = war_get(sc);
    g->w = w;
    g->S = w && w->n_seq > 0 ? w->n_seq : 1;
    for (size_t a = 0; a < sc->n_actors; a++)
        if (sc->actor[a].veto && sc->actor[a].has_pref) {
            g->act[g->n] = a;
            g->res[g->n] = sc->cur.res[a];
            g->cost[g->n] = w && w->cost_num[a] >= 0 ? sc->num[w->cost_num[a]].value : 0;
            g->n++;
        }
    if (g->n < 2) {
        pl__diag_set(d, PL_E_INPUT, sc->file, 0, 0,
                     "a bargaining game needs at least two veto actors with preferences");
        return -1;
    }
    pl_space_options so;
    pl_space_options_init(&so);
    so.threads = 1;
    so.top_k = (size_t)o->offers;
    pl_space *z = NULL;
    pl_status st = pl_zopa(sc, &so, &z, d);
    if (st != PL_OK)
        return -1;
    size_t K = pl_space_package_count(z), I = sc->n_issues, n = g->n, S = g->S;
    if (K > (size_t)o->offers)
        K = (size_t)o->offers;
    g->K = K;
    g->pkg = pl__malloc(sizeof *g->pkg * (K * I + 1));
    g->u = pl__malloc(sizeof *g->u * (K * n + 1));
    g->ucp = pl__malloc(sizeof *g->ucp * (K * n * n + 1));
    g->B = pl__malloc(sizeof *g->B * (K * S * n + 1));
    g->gain = pl__malloc(sizeof *g->gain * (K * S * n + 1));
    g->reneger = pl__malloc(sizeof *g->reneger * (K * S + 1));
    g->ps = pl__malloc(sizeof *g->ps * S);
    g->q = pl__malloc(sizeof *g->q * S * n);
    g->cs = pl__malloc(sizeof *g->cs * S * n);
    g->q_others = pl__malloc(sizeof *g->q_others * S);
    long *cp = pl__malloc(sizeof *cp * (I + 1));
    if (!g->pkg || !g->u || !g->ucp || !g->B || !g->gain || !g->reneger || !g->ps || !g->q ||
        !g->cs || !g->q_others || !cp) {
        pl__free(cp);
        pl_space_free(z);
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < K; k++) {
        memcpy(&g->pkg[k * I], pl_space_package(z, k), sizeof(long) * I);
        for (size_t j = 0; j < n; j++)
            g->u[k * n + j] = pl_space_utility(z, k, g->act[j]);
    }
    pl_space_free(z);
    for (size_t k = 0; k < K; k++)
        for (size_t a = 0; a < n; a++) {
            gm_cherry(g, k, a, cp);
            int same = memcmp(cp, &g->pkg[k * I], sizeof(long) * I) == 0;
            for (size_t j = 0; j < n; j++)
                /* An untouched package keeps its ZOPA utility to the last
                 * bit, so a late mover with nothing to take has gain -c. */
                g->ucp[(k * n + a) * n + j] = same ? g->u[k * n + j]
                                                   : model_utility(sc, g->act[j], cp);
        }
    pl__free(cp);
    for (size_t s = 0; s < S; s++) {
        const war_seq *q = w && w->n_seq > 0 ? &w->seq[s] : NULL;
        double P = 1, Po = 1;
        for (size_t a = 0; q && a < sc->n_actors; a++) {
            double qa = numv(sc, q->renege_num[a]);
            P *= 1 - qa;
            int player = sc->actor[a].veto && sc->actor[a].has_pref;
            if (!player)
                Po *= 1 - qa;
        }
        g->ps[s] = P;
        g->q_others[s] = 1 - Po;
        for (size_t j = 0; j < n; j++) {
            g->q[s * n + j] = q ? numv(sc, q->renege_num[g->act[j]]) : 0;
            g->cs[s * n + j] = q ? numv(sc, q->cost_num[g->act[j]]) : 0;
        }
    }
    gm_commit(g);
    return 0;
}

/* Backward induction over the offers of sequencing only (all when only < 0).
 * V[t*n + j]: player j's value of the game at the start of round t; offer[t]:
 * the offer proposed and accepted at t, or -1. Agreement on offer o at round
 * t pays B_o - t c: every outcome of an agreement at t costs t months more
 * than the same agreement at round 0. */
static void gm_solve(const gm *g, long only, double *V, long *offer)
{
    size_t n = g->n, K = g->K, S = g->S;
    int T = g->T;
    for (size_t j = 0; j < n; j++)
        V[(size_t)T * n + j] = g->res[j] - T * g->cost[j];
    double W[PL_MAX_ACTORS];
    for (int t = T - 1; t >= 0; t--) {
        size_t i = (size_t)t % n; /* proposer */
        for (size_t j = 0; j < n; j++)
            W[j] = g->p * (g->res[j] - (t + 1) * g->cost[j]) + (1 - g->p) * V[(size_t)(t + 1) * n + j];
        long best = -1;
        double bv = -INFINITY;
        for (size_t k = 0; k < K; k++)
            for (size_t s = 0; s < S; s++) {
                if (only >= 0 && s != (size_t)only)
                    continue;
                const double *b = &g->B[(k * S + s) * n];
                int ok = 1;
                for (size_t j = 0; j < n && ok; j++)
                    if (j != i && b[j] - t * g->cost[j] < W[j])
                        ok = 0; /* a responder indifferent accepts */
                double v = b[i] - t * g->cost[i];
                if (ok && v > bv) {
                    bv = v;
                    best = (long)(k * S + s);
                }
            }
        if (best >= 0 && bv < W[i])
            best = -1; /* the proposer prefers to let the round pass */
        offer[t] = best;
        for (size_t j = 0; j < n; j++)
            V[(size_t)t * n + j] =
                best >= 0 ? g->B[(size_t)best * n + j] - t * g->cost[j] : W[j];
    }
}

/* ---- JSON ------------------------------------------------------------------- */

static const char *gm_seq_id(const gm *g, size_t s)
{
    return g->w && g->w->n_seq > 0 ? g->w->seq[s].id : NULL;
}

static json_t *jstr_or_null(sim_jb *J, const char *s)
{
    return sim_chk(J, s ? json_string(s) : json_null());
}

/* The agreement reached first on the path of a solution (V, offer). */
static json_t *gm_jeq(sim_jb *J, const gm *g, const double *V, const long *offer, long *cp)
{
    const pl_scenario *sc = g->sc;
    size_t n = g->n, S = g->S, I = sc->n_issues;
    int at = -1;
    for (int t = 0; t < g->T && g->K > 0; t++)
        if (offer[t] >= 0) {
            at = t;
            break;
        }
    json_t *eq = sim_chk(J, json_object());
    if (at >= 0) {
        size_t o = (size_t)offer[at], k = o / S, s = o % S;
        long r = g->reneger[o];
        sim_set(J, eq, "round", sim_chk(J, json_integer(at + 1)));
        sim_set(J, eq, "proposer",
                sim_chk(J, json_string(sc->actor[g->act[(size_t)at % n]].id)));
        sim_set(J, eq, "package", sim_jpkg(J, sc, &g->pkg[k * I]));
        sim_set(J, eq, "rank", sim_chk(J, json_integer((json_int_t)k + 1)));
        sim_set(J, eq, "sequencing", jstr_or_null(J, gm_seq_id(g, s)));
        sim_set(J, eq, "p_holds", sim_jreal(J, g->ps[s]));
        sim_set(J, eq, "self_enforcing", sim_chk(J, json_boolean(r < 0)));
        sim_set(J, eq, "reneger", jstr_or_null(J, r < 0 ? NULL : sc->actor[g->act[r]].id));
        if (r >= 0)
            gm_cherry(g, k, (size_t)r, cp);
        sim_set(J, eq, "implemented", sim_jpkg(J, sc, r < 0 ? &g->pkg[k * I] : cp));
    } else {
        sim_set(J, eq, "round", sim_chk(J, json_null()));
    }
    json_t *val = sim_chk(J, json_object());
    for (size_t j = 0; j < n; j++)
        sim_set(J, val, sc->actor[g->act[j]].id, sim_jreal(J, g->K > 0 ? V[j] : g->res[j]));
    sim_set(J, eq, "payoffs", val);
    return eq;
}

/* One row of the sequencing table: sequencing s tested on candidate k, and
 * the game with s as the only sequencing allowed. */
static json_t *gm_jseq(sim_jb *J, const gm *g, size_t s, long k, double *V, long *offer,
                       long *cp)
{
    const pl_scenario *sc = g->sc;
    const war_seq *q = &g->w->seq[s];
    size_t n = g->n, S = g->S;
    json_t *row = sim_chk(J, json_object());
    sim_set(J, row, "id", sim_chk(J, json_string(q->id)));
    json_t *first = sim_chk(J, json_array());
    for (size_t f = 0; f < q->n_first; f++)
        sim_push(J, first, sim_chk(J, json_string(sc->actor[q->first[f]].id)));
    sim_set(J, row, "first", first);
    sim_set(J, row, "p_holds", sim_jreal(J, g->ps[s]));
    json_t *late = sim_chk(J, json_object());
    json_t *pay = sim_chk(J, json_object());
    if (k >= 0) {
        size_t o = (size_t)k * S + s;
        long r = g->reneger[o];
        sim_set(J, row, "self_enforcing", sim_chk(J, json_boolean(r < 0)));
        sim_set(J, row, "reneger", jstr_or_null(J, r < 0 ? NULL : sc->actor[g->act[r]].id));
        for (size_t a = 0; a < n; a++) {
            if (!gm_is_late(g, s, a))
                continue;
            json_t *lm = sim_chk(J, json_object());
            sim_set(J, lm, "gain", sim_jreal(J, g->gain[o * n + a]));
            gm_cherry(g, (size_t)k, a, cp);
            sim_set(J, lm, "package", sim_jpkg(J, sc, cp));
            sim_set(J, late, sc->actor[g->act[a]].id, lm);
        }
        for (size_t j = 0; j < n; j++)
            sim_set(J, pay, sc->actor[g->act[j]].id, sim_jreal(J, g->B[o * n + j]));
    } else {
        sim_set(J, row, "self_enforcing", sim_chk(J, json_null()));
        sim_set(J, row, "reneger", sim_chk(J, json_null()));
    }
    sim_set(J, row, "late_movers", late);
    sim_set(J, row, "payoffs_if_agreed", pay);
    if (g->K > 0)
        gm_solve(g, (long)s, V, offer);
    sim_set(J, row, "alone", gm_jeq(J, g, V, offer, cp));
    return row;
}

pl_status pl_game_json(const pl_scenario *sc, const pl_game_options *o, char **json,
                       pl_diag *diag)
{
    if (json)
        *json = NULL;
    if (!sc || !o || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    gm g;
    if (gm_init(&g, sc, o, diag) != 0) {
        gm_free(&g);
        return diag ? diag->status : PL_E_INPUT;
    }
    size_t n = g.n;
    double *V = pl__malloc(sizeof *V * ((size_t)(g.T + 1) * n));
    long *offer = pl__malloc(sizeof *offer * (size_t)g.T);
    long *cp = pl__malloc(sizeof *cp * (sc->n_issues + 1));
    if (!V || !offer || !cp) {
        pl__free(V);
        pl__free(offer);
        pl__free(cp);
        gm_free(&g);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    for (int t = 0; t < g.T; t++)
        offer[t] = -1;
    if (g.K > 0)
        gm_solve(&g, -1, V, offer);
    sim_jb J = {0};
    json_t *root = sim_chk(&J, json_object());
    sim_set(&J, root, "scenario", sim_jscen(&J, sc));
    sim_set(&J, root, "rounds", sim_chk(&J, json_integer(g.T)));
    sim_set(&J, root, "candidates", sim_chk(&J, json_integer((json_int_t)g.K)));
    sim_set(&J, root, "breakdown", sim_jreal(&J, g.p));
    json_t *pl = sim_chk(&J, json_array());
    for (size_t j = 0; j < n; j++)
        sim_push(&J, pl, sim_chk(&J, json_string(sc->actor[g.act[j]].id)));
    sim_set(&J, root, "players", pl);
    /* The sequencing table tests the equilibrium package, or the best-ranked
     * candidate when the equilibrium has no agreement. */
    long tested = g.K > 0 ? 0 : -1;
    for (int t = 0; t < g.T && g.K > 0; t++)
        if (offer[t] >= 0) {
            tested = offer[t] / (long)g.S;
            break;
        }
    sim_set(&J, root, "equilibrium", gm_jeq(&J, &g, V, offer, cp));
    sim_set(&J, root, "tested_rank",
            sim_chk(&J, tested >= 0 ? json_integer(tested + 1) : json_null()));
    sim_set(&J, root, "tested_package",
            tested >= 0 ? sim_jpkg(&J, sc, &g.pkg[(size_t)tested * sc->n_issues])
                        : sim_chk(&J, json_null()));
    json_t *seqs = sim_chk(&J, json_array());
    for (size_t s = 0; g.w && s < g.w->n_seq; s++)
        sim_push(&J, seqs, gm_jseq(&J, &g, s, tested, V, offer, cp));
    sim_set(&J, root, "sequencings", seqs);
    pl__free(V);
    pl__free(offer);
    pl__free(cp);
    gm_free(&g);
    return sim_finish(&J, root, json, diag);
}

/* ---- Gambit .efg ----------------------------------------------------------- */

typedef struct efg {
    const gm *g;
    pl_buf b;
    int infoset[3];   /* next information set per player (1-based); [0]: chance */
    int outcome;
} efg;

static void efg_payoffs(efg *E, const double *pay)
{
    E->outcome++;
    pl_buf_printf(&E->b, " %d \"\" { ", E->outcome);
    for (size_t j = 0; j < E->g->n; j++)
        pl_buf_printf(&E->b, "%s%.6f", j ? ", " : "", pay[j]);
    pl_buf_puts(&E->b, " }\n");
}

static void efg_terminal(efg *E, const char *name, const double *pay)
{
    pl_buf_printf(&E->b, "t \"%s\"", name);
    efg_payoffs(E, pay);
}

/* The chance node of the non-strategic failures after an agreement under s:
 * the deal holds, or it collapses because player 1, player 2, both, or only
 * actors outside the game failed. Probabilities with nothing in them are left
 * out. */
typedef struct efg_fail {
    const char *name;
    double p;
    int f[2];         /* which players failed (and pay their reneging cost) */
} efg_fail;

static size_t efg_failures(const gm *g, size_t s, efg_fail *out)
{
    double q1 = g->q[s * 2], q2 = g->q[s * 2 + 1], qo = g->q_others[s];
    efg_fail all[5] = {
        {"holds", g->ps[s], {0, 0}},
        {"collapse: player 1 fails", q1 * (1 - q2), {1, 0}},
        {"collapse: player 2 fails", (1 - q1) * q2, {0, 1}},
        {"collapse: both fail", q1 * q2, {1, 1}},
        {"collapse: others fail", (1 - q1) * (1 - q2) * qo, {0, 0}},
    };
    size_t m = 0;
    for (size_t k = 0; k < 5; k++)
        if (all[k].p > 0)
            out[m++] = all[k];
    return m;
}

/* Nodes below an acceptance of offer o (the acceptance node excluded). */
static double efg_accept_nodes(const gm *g, size_t o)
{
    double holds = g->reneger[o] < 0 ? 1 : 3;
    if (g->ps[o % g->S] >= 1)
        return holds;
    efg_fail f[5];
    size_t nf = efg_failures(g, o % g->S, f);
    return 1 + (double)(nf - 1) + (f[0].p > 0 && strcmp(f[0].name, "holds") == 0 ? holds : 1);
}

/* What happens once offer o is accepted at round t. */
static void efg_agreement(efg *E, int t, size_t o)
{
    const gm *g = E->g;
    size_t S = g->S, k = o / S, s = o % S, n = 2;
    double pay[2];
    long r = g->reneger[o];
    efg_fail f[5];
    size_t nf = 1;
    f[0] = (efg_fail){"holds", 1, {0, 0}};
    if (g->ps[s] < 1) {
        nf = efg_failures(g, s, f);
        /* Probabilities in billionths, the last one taking the rounding, so
         * that they add up to exactly 1 as Gambit reads them. */
        long long units[5], left = 1000000000LL;
        for (size_t m = 0; m < nf; m++) {
            units[m] = m + 1 < nf ? llround(f[m].p * 1e9) : left;
            left -= units[m];
        }
        pl_buf_printf(&E->b, "c \"implementation\" %d \"\" {", ++E->infoset[0]);
        for (size_t m = 0; m < nf; m++)
            pl_buf_printf(&E->b, " \"%s\" %lld.%09lld", f[m].name, units[m] / 1000000000LL,
                          units[m] % 1000000000LL);
        pl_buf_puts(&E->b, " } 0\n");
    }
    for (size_t m = 0; m < nf; m++) {
        if (strcmp(f[m].name, "holds") != 0) {
            for (size_t j = 0; j < n; j++)
                pay[j] = g->res[j] - (t + 1) * g->cost[j] - (f[m].f[j] ? g->cs[s * n + j] : 0);
            efg_terminal(E, "collapse", pay);
            continue;
        }
        for (size_t j = 0; j < n; j++)
            pay[j] = g->u[k * n + j] - t * g->cost[j];
        if (r < 0) {
            efg_terminal(E, "agreement", pay);
            continue;
        }
        pl_buf_printf(&E->b, "p \"temptation\" %ld %d \"\" { \"comply\" \"renege\" } 0\n",
                      r + 1, ++E->infoset[r + 1]);
        efg_terminal(E, "comply", pay);
        for (size_t j = 0; j < n; j++)
            pay[j] = g->ucp[(k * n + (size_t)r) * n + j] - t * g->cost[j] -
                     ((size_t)r == j ? g->cs[s * n + j] : 0);
        efg_terminal(E, "renege", pay);
    }
}

static void efg_round(efg *E, int t)
{
    const gm *g = E->g;
    size_t n = g->n, KS = g->K * g->S;
    double pay[2];
    if (t == g->T) {
        for (size_t j = 0; j < n; j++)
            pay[j] = g->res[j] - t * g->cost[j];
        efg_terminal(E, "no agreement", pay);
        return;
    }
    int i = t % 2;
    pl_buf_printf(&E->b, "p \"round %d\" %d %d \"\" {", t + 1, i + 1, ++E->infoset[i + 1]);
    for (size_t o = 0; o < KS; o++) {
        const char *sid = gm_seq_id(g, o % g->S);
        if (sid)
            pl_buf_printf(&E->b, " \"offer %zu %s\"", o / g->S + 1, sid);
        else
            pl_buf_printf(&E->b, " \"offer %zu\"", o + 1);
    }
    pl_buf_puts(&E->b, " } 0\n");
    for (size_t o = 0; o < KS; o++) {
        pl_buf_printf(&E->b, "p \"\" %d %d \"\" { \"accept\" \"reject\" } 0\n", 2 - i,
                      ++E->infoset[2 - i]);
        efg_agreement(E, t, o);
        pl_buf_printf(&E->b, "c \"\" %d \"\" { \"breakdown\" %.6f \"continue\" %.6f } 0\n",
                      ++E->infoset[0], g->p, 1 - g->p);
        for (size_t j = 0; j < n; j++)
            pay[j] = g->res[j] - (t + 1) * g->cost[j];
        efg_terminal(E, "breakdown", pay);
        efg_round(E, t + 1);
    }
}

/* Nodes of the whole tree (player, chance and terminal). */
static double efg_nodes(const gm *g)
{
    double below = 1, per = 0; /* the subtree of a round, from the last one up */
    size_t KS = g->K * g->S;
    for (size_t o = 0; o < KS; o++)
        per += 3 + efg_accept_nodes(g, o); /* accept, breakdown chance and leaf */
    for (int t = g->T - 1; t >= 0; t--)
        below = 1 + per + (double)KS * below;
    return below;
}

pl_status pl_game_efg(const pl_scenario *sc, const pl_game_options *o, char **efg_text,
                      pl_diag *diag)
{
    if (efg_text)
        *efg_text = NULL;
    if (!sc || !o || !efg_text) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    gm g;
    if (gm_init(&g, sc, o, diag) != 0) {
        gm_free(&g);
        return diag ? diag->status : PL_E_INPUT;
    }
    if (g.n != 2 || g.K == 0) {
        gm_free(&g);
        if (g.n != 2)
            pl__diag_set(diag, PL_E_INPUT, sc->file, 0, 0,
                         "the Gambit export handles two veto actors (this scenario has %zu)",
                         g.n);
        else
            pl__diag_set(diag, PL_E_INPUT, sc->file, 0, 0,
                         "the ZOPA is empty: no offers to put in a game tree");
        return PL_E_INPUT;
    }
    /* The tree has (K S)^T offer paths: refuse what Gambit could not load. */
    double paths = pow((double)(g.K * g.S), (double)g.T);
    if (paths > 1e5) {
        double nodes = efg_nodes(&g);
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0,
                     "the game tree would have %.3g offer paths and %.3g nodes (%zu packages x "
                     "%zu sequencings, %d rounds); export at most 100000 offer paths (fewer "
                     "--offers or --rounds)",
                     paths, nodes, g.K, g.S, g.T);
        gm_free(&g);
        return PL_E_ARG;
    }
    efg E;
    memset(&E, 0, sizeof E);
    E.g = &g;
    pl_buf_init(&E.b);
    pl_buf_printf(&E.b, "EFG 2 R \"parley: %s, alternating offers\" { \"%s\" \"%s\" }\n\"\"\n\n",
                  sc->id, sc->actor[g.act[0]].id, sc->actor[g.act[1]].id);
    efg_round(&E, 0);
    gm_free(&g);
    if (E.b.oom) {
        pl_buf_free(&E.b);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    *efg_text = pl_buf_take(&E.b);
    return PL_OK;
}
