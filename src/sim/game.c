/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley game`: the talks as a finite alternating-offers game, solved by
 * backward induction over the best candidate packages, and its export to
 * Gambit's .efg format (docs/simulate.md, "game"). */
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

typedef struct gm {
    const pl_scenario *sc;
    size_t n;           /* players: veto actors with preferences */
    size_t act[PL_MAX_ACTORS];
    size_t K;           /* candidate packages */
    long *pkg;          /* K x I */
    double *u;          /* K x n */
    double res[PL_MAX_ACTORS], cost[PL_MAX_ACTORS];
    int T;
    double p;           /* breakdown probability after a rejection */
} gm;

static void gm_free(gm *g)
{
    pl__free(g->pkg);
    pl__free(g->u);
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
    size_t K = pl_space_package_count(z), I = sc->n_issues;
    if (K > (size_t)o->offers)
        K = (size_t)o->offers;
    g->K = K;
    g->pkg = pl__malloc(sizeof *g->pkg * (K * I + 1));
    g->u = pl__malloc(sizeof *g->u * (K * g->n + 1));
    if (!g->pkg || !g->u) {
        pl_space_free(z);
        pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < K; k++) {
        memcpy(&g->pkg[k * I], pl_space_package(z, k), sizeof(long) * I);
        for (size_t j = 0; j < g->n; j++)
            g->u[k * g->n + j] = pl_space_utility(z, k, g->act[j]);
    }
    pl_space_free(z);
    return 0;
}

/* Backward induction. V[t*n + j]: player j's value of the game at the start
 * of round t; offer[t]: the candidate proposed and accepted at t, or -1. */
static void gm_solve(const gm *g, double *V, long *offer)
{
    size_t n = g->n, K = g->K;
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
        for (size_t k = 0; k < K; k++) {
            int ok = 1;
            for (size_t j = 0; j < n && ok; j++)
                if (j != i && g->u[k * n + j] - t * g->cost[j] < W[j])
                    ok = 0; /* a responder indifferent accepts */
            double v = g->u[k * n + i] - t * g->cost[i];
            if (ok && v > bv) {
                bv = v;
                best = (long)k;
            }
        }
        if (best >= 0 && bv < W[i])
            best = -1; /* the proposer prefers to let the round pass */
        offer[t] = best;
        for (size_t j = 0; j < n; j++)
            V[(size_t)t * n + j] = best >= 0 ? g->u[(size_t)best * n + j] - t * g->cost[j] : W[j];
    }
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
    if (!V || !offer) {
        pl__free(V);
        pl__free(offer);
        gm_free(&g);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    if (g.K > 0)
        gm_solve(&g, V, offer);
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
    int at = -1;
    for (int t = 0; t < g.T && g.K > 0; t++)
        if (offer[t] >= 0) {
            at = t;
            break;
        }
    json_t *eq = sim_chk(&J, json_object());
    if (at >= 0) {
        sim_set(&J, eq, "round", sim_chk(&J, json_integer(at + 1)));
        sim_set(&J, eq, "proposer", sim_chk(&J, json_string(sc->actor[g.act[(size_t)at % n]].id)));
        sim_set(&J, eq, "package", sim_jpkg(&J, sc, &g.pkg[(size_t)offer[at] * sc->n_issues]));
    } else {
        sim_set(&J, eq, "round", sim_chk(&J, json_null()));
    }
    json_t *val = sim_chk(&J, json_object());
    for (size_t j = 0; j < n; j++)
        sim_set(&J, val, sc->actor[g.act[j]].id, sim_jreal(&J, g.K > 0 ? V[j] : g.res[j]));
    sim_set(&J, eq, "payoffs", val);
    sim_set(&J, root, "equilibrium", eq);
    pl__free(V);
    pl__free(offer);
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

static void efg_round(efg *E, int t)
{
    const gm *g = E->g;
    size_t n = g->n;
    double pay[2];
    if (t == g->T) {
        for (size_t j = 0; j < n; j++)
            pay[j] = g->res[j] - t * g->cost[j];
        efg_terminal(E, "no agreement", pay);
        return;
    }
    int i = t % 2;
    pl_buf_printf(&E->b, "p \"round %d\" %d %d \"\" {", t + 1, i + 1, ++E->infoset[i + 1]);
    for (size_t k = 0; k < g->K; k++)
        pl_buf_printf(&E->b, " \"offer %zu\"", k + 1);
    pl_buf_puts(&E->b, " } 0\n");
    for (size_t k = 0; k < g->K; k++) {
        pl_buf_printf(&E->b, "p \"\" %d %d \"\" { \"accept\" \"reject\" } 0\n", 2 - i,
                      ++E->infoset[2 - i]);
        for (size_t j = 0; j < n; j++)
            pay[j] = g->u[k * n + j] - t * g->cost[j];
        efg_terminal(E, "agreement", pay);
        pl_buf_printf(&E->b, "c \"\" %d \"\" { \"breakdown\" %.6f \"continue\" %.6f } 0\n",
                      ++E->infoset[0], g->p, 1 - g->p);
        for (size_t j = 0; j < n; j++)
            pay[j] = g->res[j] - (t + 1) * g->cost[j];
        efg_terminal(E, "breakdown", pay);
        efg_round(E, t + 1);
    }
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
    /* The tree has K^T offer nodes: refuse what Gambit could not load. */
    double nodes = pow((double)g.K, (double)g.T);
    if (nodes > 1e5) {
        gm_free(&g);
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0,
                     "the game tree would have %.3g offer paths (%zu offers, %d rounds); "
                     "export at most 100000 (fewer --offers or --rounds)",
                     nodes, g.K, g.T);
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
