/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analysis API: options, units (DMs or coalitions), the generic engine,
 * explanations and improvement paths.
 *
 * The generic engine follows the definitions literally, state by state, with
 * a breadth-first search for sanctions. It handles what the fast engine does
 * not (coalitions, whose preferences are not a total preorder, and GMCR+'s
 * SIM), and its search is also what explains a verdict, so a printed
 * explanation is always a witness that can be checked by hand. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gmcr/gmcr.h"
#include "util/util.h"

#define SLOW_MAX_STATES 4096

static const char *const CONCEPT_NAMES[PL_GMCR_N_CONCEPTS] = {"nash", "gmr", "smr",
                                                              "seq",  "sim", "seqsim"};

const char *pl_gmcr_concept_name(pl_gmcr_concept k)
{
    return (unsigned)k < PL_GMCR_N_CONCEPTS ? CONCEPT_NAMES[k] : "?";
}

int pl_gmcr_concept_find(const char *name)
{
    if (!name)
        return -1;
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
        if (strcasecmp(name, CONCEPT_NAMES[k]) == 0)
            return k;
    if (strcasecmp(name, "seq&sim") == 0 || strcasecmp(name, "seq+sim") == 0 ||
        strcasecmp(name, "r") == 0)
        return strcasecmp(name, "r") == 0 ? PL_GMCR_NASH : PL_GMCR_SEQSIM;
    return -1;
}

const char *pl_gmcr_semantics_name(pl_gmcr_semantics s)
{
    switch (s) {
    case PL_GMCR_CLOSURE: return "closure";
    case PL_GMCR_CHAIN_DISTINCT: return "chain-distinct";
    case PL_GMCR_SINGLE: return "single";
    }
    return "?";
}

void pl_gmcr_opts_init(pl_gmcr_opts *o)
{
    memset(o, 0, sizeof *o);
}

/* ---- units -------------------------------------------------------------- */

int gm_improves(const pl_conflict *c, uint32_t members, uint32_t from, uint32_t to)
{
    for (int m = 0; m < c->n_dm; m++)
        if (((members >> m) & 1u) && c->dm[m].pay[to] <= c->dm[m].pay[from])
            return 0;
    return 1;
}

int gm_not_better(const pl_conflict *c, uint32_t members, uint32_t ref, uint32_t to)
{
    for (int m = 0; m < c->n_dm; m++)
        if (((members >> m) & 1u) && c->dm[m].pay[to] <= c->dm[m].pay[ref])
            return 1;
    return 0;
}

static int unit_misp(const pl_conflict *c, uint32_t members, uint32_t x)
{
    for (int m = 0; m < c->n_dm; m++)
        if (((members >> m) & 1u) && gm_misp(&c->dm[m], x))
            return 1;
    return 0;
}

int gm_can_move(const pl_conflict *c, const gm_unit *u, uint32_t x, uint32_t y)
{
    uint32_t d = x ^ y;
    if (!d || (d & ~u->mask) || !gm_feasible(c, x) || !gm_feasible(c, y))
        return 0;
    if ((d & c->fwd & x) || (d & c->back & ~x))
        return 0;
    return !unit_misp(c, u->members, x) && !unit_misp(c, u->members, y);
}

/* The moves of unit u from x, in increasing state order. Returns the count;
 * out holds at least 2^|mask| entries. */
static uint32_t unit_moves(const pl_conflict *c, const gm_unit *u, uint32_t x, int ui,
                           uint32_t *out)
{
    uint32_t n = 0;
    if (!gm_feasible(c, x) || unit_misp(c, u->members, x))
        return 0;
    uint32_t fr = gm_free_bits(c, u->mask, x);
    for (uint32_t sub = fr; sub; sub = (sub - 1) & fr) {
        uint32_t y = x ^ sub;
        if (!gm_feasible(c, y) || unit_misp(c, u->members, y))
            continue;
        if (ui && !gm_improves(c, u->members, x, y))
            continue;
        out[n++] = y;
    }
    /* insertion sort: move lists are short */
    for (uint32_t i = 1; i < n; i++) {
        uint32_t t = out[i], j = i;
        while (j > 0 && out[j - 1] > t) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = t;
    }
    return n;
}

/* ---- sanction search ---------------------------------------------------- */

enum { SK_GMR, SK_SEQ, SK_SMR };

typedef struct search {
    const pl_stability *st;
    int focal;          /* unit index */
    uint32_t s;         /* the state under test */
    int kind;           /* SK_* */
    uint32_t *buf;      /* move scratch, cube-sized */
    /* the witness */
    uint32_t path_state[64];
    int path_unit[64];
    int path_len;
} search;

/* Does state z end a sanction for the focal unit? */
static int is_sanction(search *q, uint32_t z)
{
    const pl_stability *st = q->st;
    const pl_conflict *c = st->c;
    const gm_unit *F = &st->unit[q->focal];
    if (!gm_not_better(c, F->members, q->s, z))
        return 0;
    if (q->kind != SK_SMR)
        return 1;
    /* SMR: no reply of the focal unit from z gets it above s. */
    uint32_t tmp[1u << 12];
    uint32_t *mv = __builtin_popcount(F->mask) <= 12 ? tmp : NULL;
    if (!mv)
        mv = pl__malloc(((size_t)1 << __builtin_popcount(F->mask)) * sizeof *mv);
    if (!mv)
        return 0;
    uint32_t n = unit_moves(c, F, z, 0, mv);
    int ok = 1;
    for (uint32_t k = 0; k < n && ok; k++)
        if (!gm_not_better(c, F->members, q->s, mv[k]))
            ok = 0;
    if (mv != tmp)
        pl__free(mv);
    return ok;
}

/* Chain semantics: depth-first over orders of distinct opponents. */
static int chain_dfs(search *q, uint32_t x, uint32_t used, int depth, int single)
{
    const pl_stability *st = q->st;
    const pl_conflict *c = st->c;
    for (int u = 0; u < st->n_units; u++) {
        if (u == q->focal || ((used >> u) & 1u))
            continue;
        size_t cap = (size_t)1 << __builtin_popcount(st->unit[u].mask);
        uint32_t *mv = pl__malloc(cap * sizeof *mv);
        if (!mv)
            return -1;
        uint32_t n = unit_moves(c, &st->unit[u], x, q->kind == SK_SEQ, mv);
        for (uint32_t k = 0; k < n; k++) {
            q->path_state[depth] = mv[k];
            q->path_unit[depth] = u;
            if (is_sanction(q, mv[k])) {
                q->path_len = depth + 1;
                pl__free(mv);
                return 1;
            }
            if (!single && depth + 1 < 64) {
                int r = chain_dfs(q, mv[k], used | (1u << u), depth + 1, 0);
                if (r) {
                    pl__free(mv);
                    return r;
                }
            }
        }
        pl__free(mv);
    }
    return 0;
}

/* Closure semantics: breadth-first over all opponents' moves. */
static int closure_bfs(search *q, uint32_t y)
{
    const pl_stability *st = q->st;
    const pl_conflict *c = st->c;
    size_t words = c->cube >= 64 ? c->cube / 64 : 1;
    uint64_t *seen = pl__calloc(words, sizeof *seen);
    uint32_t *queue = pl__malloc((size_t)c->cube * sizeof *queue);
    uint32_t *par = pl__malloc((size_t)c->cube * sizeof *par);
    int8_t *who = pl__malloc((size_t)c->cube);
    uint32_t *mv = pl__malloc((size_t)c->cube * sizeof *mv);
    int rc = 0;
    if (!seen || !queue || !par || !who || !mv) {
        rc = -1;
        goto out;
    }
    size_t head = 0, tail = 0;
    queue[tail++] = y;
    seen[y >> 6] |= 1ull << (y & 63);
    par[y] = y;
    who[y] = -1;
    while (head < tail) {
        uint32_t x = queue[head++];
        for (int u = 0; u < st->n_units; u++) {
            if (u == q->focal)
                continue;
            uint32_t n = unit_moves(c, &st->unit[u], x, q->kind == SK_SEQ, mv);
            for (uint32_t k = 0; k < n; k++) {
                uint32_t z = mv[k];
                if ((seen[z >> 6] >> (z & 63)) & 1u)
                    continue;
                seen[z >> 6] |= 1ull << (z & 63);
                par[z] = x;
                who[z] = (int8_t)u;
                if (is_sanction(q, z)) {
                    /* unwind */
                    int len = 0;
                    for (uint32_t t = z; t != y && len < 64; t = par[t])
                        len++;
                    if (len > 64)
                        len = 64;
                    int k2 = len;
                    for (uint32_t t = z; t != y && k2 > 0; t = par[t]) {
                        k2--;
                        q->path_state[k2] = t;
                        q->path_unit[k2] = who[t];
                    }
                    q->path_len = len;
                    rc = 1;
                    goto out;
                }
                queue[tail++] = z;
            }
        }
    }
out:
    pl__free(seen);
    pl__free(queue);
    pl__free(par);
    pl__free(who);
    pl__free(mv);
    return rc;
}

/* 1: the UI y of the focal unit from q->s is sanctioned (witness in q), 0: not,
 * -1: out of memory. */
static int find_sanction(search *q, uint32_t y)
{
    q->path_len = 0;
    switch (q->st->opts.semantics) {
    case PL_GMCR_CLOSURE: return closure_bfs(q, y);
    case PL_GMCR_CHAIN_DISTINCT: return chain_dfs(q, y, 0, 0, 0);
    case PL_GMCR_SINGLE: return chain_dfs(q, y, 0, 0, 1);
    }
    return 0;
}

/* SIM: the combinations of the opponents' UIs from s (each may stay), in the
 * order GMCR+ enumerates them (odometer, last opponent fastest, its UIs in
 * increasing state order). With `resume`, the odometer is shared across the
 * focal unit's UIs, reproducing GMCR+'s defect. */
typedef struct sim_iter {
    int n;
    int unit[PL_GMCR_MAX_DMS];
    uint32_t *list[PL_GMCR_MAX_DMS];
    uint32_t len[PL_GMCR_MAX_DMS];
    uint32_t idx[PL_GMCR_MAX_DMS];
    int done;
} sim_iter;

static void sim_iter_free(sim_iter *it)
{
    for (int t = 0; t < it->n; t++)
        pl__free(it->list[t]);
}

static int sim_iter_init(const pl_stability *st, int focal, uint32_t s, sim_iter *it)
{
    const pl_conflict *c = st->c;
    memset(it, 0, sizeof *it);
    for (int u = 0; u < st->n_units; u++) {
        if (u == focal)
            continue;
        size_t cap = ((size_t)1 << __builtin_popcount(st->unit[u].mask)) + 1;
        uint32_t *l = pl__malloc(cap * sizeof *l);
        if (!l) {
            sim_iter_free(it);
            return -1;
        }
        l[0] = s;
        uint32_t n = unit_moves(c, &st->unit[u], s, 1, l + 1);
        it->unit[it->n] = u;
        it->list[it->n] = l;
        it->len[it->n++] = n + 1;
    }
    return 0;
}

/* Combined state of focal UI y with the current combination. */
static uint32_t sim_combine(const sim_iter *it, uint32_t s, uint32_t y)
{
    uint32_t z = y;
    for (int t = 0; t < it->n; t++)
        z ^= it->list[t][it->idx[t]] ^ s;
    return z;
}

static void sim_next(sim_iter *it)
{
    int t = it->n - 1;
    while (t >= 0 && ++it->idx[t] == it->len[t])
        it->idx[t--] = 0;
    if (t < 0)
        it->done = 1;
}

/* ---- the generic engine ------------------------------------------------- */

static void set_bit(uint64_t *b, uint32_t x)
{
    b[x >> 6] |= 1ull << (x & 63);
}

static int get_bit(const uint64_t *b, uint32_t x)
{
    return (int)((b[x >> 6] >> (x & 63)) & 1u);
}

/* Verdict of one state for one unit under one concept (not SEQSIM); fills
 * the search witness of the last UI examined. */
static int slow_state(const pl_stability *st, int u, uint32_t s, int k, uint32_t *mv,
                      search *q)
{
    const pl_conflict *c = st->c;
    const gm_unit *F = &st->unit[u];
    uint32_t n = unit_moves(c, F, s, 1, mv);
    if (k == PL_GMCR_NASH || n == 0)
        return n == 0;
    if (k == PL_GMCR_SIM) {
        sim_iter it;
        if (sim_iter_init(st, u, s, &it) != 0)
            return -1;
        int stable = 1;
        for (uint32_t a = 0; a < n && stable; a++) {
            int found = 0;
            if (!st->opts.gmcrplus_sim) {
                memset(it.idx, 0, sizeof it.idx);
                it.done = 0;
            }
            for (; !it.done; sim_next(&it)) {
                uint32_t z = sim_combine(&it, s, mv[a]);
                if (gm_feasible(c, z) && gm_not_better(c, F->members, s, z)) {
                    found = 1;
                    if (st->opts.gmcrplus_sim)
                        sim_next(&it); /* GMCR+ resumes after this combination */
                    break;
                }
            }
            if (!found)
                stable = 0;
        }
        sim_iter_free(&it);
        return stable;
    }
    q->st = st;
    q->focal = u;
    q->s = s;
    q->kind = k == PL_GMCR_GMR ? SK_GMR : k == PL_GMCR_SEQ ? SK_SEQ : SK_SMR;
    uint32_t list[1u << 12];
    if (n > (1u << 12))
        return -1;
    memcpy(list, mv, n * sizeof *mv);
    for (uint32_t a = 0; a < n; a++) {
        int r = find_sanction(q, list[a]);
        if (r < 0)
            return -1;
        if (!r)
            return 0;
    }
    return 1;
}

pl_status gm_slow(pl_stability *st, pl_diag *diag)
{
    const pl_conflict *c = st->c;
    size_t words = c->cube >= 64 ? c->cube / 64 : 1;
    uint32_t *mv = pl__malloc((size_t)c->cube * sizeof *mv);
    search *q = pl__calloc(1, sizeof *q);
    if (!mv || !q)
        goto oom;
    for (int u = 0; u < st->n_units; u++) {
        for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
            if (!((st->have >> k) & 1u))
                continue;
            uint64_t *b = st->stable[k][u] = pl__calloc(words, sizeof *b);
            if (!b)
                goto oom;
            if (k == PL_GMCR_SEQSIM)
                continue;
            for (uint32_t i = 0; i < c->n_states; i++) {
                uint32_t s = c->states[i];
                int r = slow_state(st, u, s, k, mv, q);
                if (r < 0)
                    goto oom;
                if (r)
                    set_bit(b, s);
            }
        }
        if ((st->have >> PL_GMCR_SEQSIM) & 1u)
            for (size_t w = 0; w < words; w++)
                st->stable[PL_GMCR_SEQSIM][u][w] =
                    st->stable[PL_GMCR_SEQ][u][w] | st->stable[PL_GMCR_SIM][u][w];
    }
    pl__free(mv);
    pl__free(q);
    return PL_OK;
oom:
    pl__free(mv);
    pl__free(q);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

/* ---- the API ------------------------------------------------------------ */

static char *unit_name(const pl_conflict *c, uint32_t members)
{
    pl_buf b;
    pl_buf_init(&b);
    int first = 1;
    for (int m = 0; m < c->n_dm; m++)
        if ((members >> m) & 1u) {
            pl_buf_printf(&b, "%s%s", first ? "" : "+", c->dm[m].name);
            first = 0;
        }
    return pl_buf_take(&b);
}

void pl_stability_free(pl_stability *st)
{
    if (!st)
        return;
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
        for (int u = 0; u < PL_GMCR_MAX_DMS; u++)
            pl__free(st->stable[k][u]);
    if (st->unit)
        for (int u = 0; u < st->n_units; u++)
            pl__free(st->unit[u].name);
    pl__free(st->unit);
    pl__free(st);
}

pl_status pl_stability_analyse(const pl_conflict *c, const pl_gmcr_opts *o, pl_stability **out,
                               pl_diag *diag)
{
    if (!out || !c) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    pl_stability *st = pl__calloc(1, sizeof *st);
    if (!st)
        goto oom;
    st->c = c;
    if (o)
        st->opts = *o;
    else
        pl_gmcr_opts_init(&st->opts);
    if ((unsigned)st->opts.semantics > PL_GMCR_SINGLE) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "unknown sanction semantics");
        pl_stability_free(st);
        return PL_E_ARG;
    }
    unsigned want = st->opts.concepts & ((1u << PL_GMCR_N_CONCEPTS) - 1);
    if (!want)
        want = (1u << PL_GMCR_N_CONCEPTS) - 1;
    st->opts.concepts = want;
    /* SEQSIM is derived from SEQ and SIM; SIM uses Nash. */
    if (want & (1u << PL_GMCR_SEQSIM))
        want |= (1u << PL_GMCR_SEQ) | (1u << PL_GMCR_SIM);
    want |= 1u << PL_GMCR_NASH;
    st->have = want;

    int coal = st->opts.use_coalitions && c->n_coal > 0;
    st->n_units = coal ? (int)c->n_coal : c->n_dm;
    st->unit = pl__calloc((size_t)st->n_units, sizeof *st->unit);
    if (!st->unit)
        goto oom;
    for (int u = 0; u < st->n_units; u++) {
        uint32_t mem = coal ? c->coal[u] : 1u << u;
        st->unit[u].members = mem;
        for (int m = 0; m < c->n_dm; m++)
            if ((mem >> m) & 1u)
                st->unit[u].mask |= c->dm[m].mask;
        if (!(st->unit[u].name = unit_name(c, mem)))
            goto oom;
    }
    pl_status rc;
    int slow = coal || st->opts.gmcrplus_sim;
    if (slow && c->n_states > SLOW_MAX_STATES) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "%s is limited to %d feasible states; this conflict has %u",
                     coal ? "coalition analysis" : "GMCR+'s SIM convention", SLOW_MAX_STATES,
                     (unsigned)c->n_states);
        pl_stability_free(st);
        return PL_E_INPUT;
    }
    rc = slow ? gm_slow(st, diag) : gm_fast(st, diag);
    if (rc != PL_OK) {
        pl_stability_free(st);
        return rc;
    }
    *out = st;
    return PL_OK;
oom:
    pl_stability_free(st);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

size_t pl_stability_unit_count(const pl_stability *st)
{
    return st ? (size_t)st->n_units : 0;
}

const char *pl_stability_unit_name(const pl_stability *st, size_t u)
{
    return st && u < (size_t)st->n_units ? st->unit[u].name : "";
}

int pl_stability_has(const pl_stability *st, pl_gmcr_concept k)
{
    return st && (unsigned)k < PL_GMCR_N_CONCEPTS && ((st->have >> k) & 1u);
}

int pl_stability_is_stable(const pl_stability *st, pl_gmcr_concept k, size_t u, size_t ordinal)
{
    if (!pl_stability_has(st, k) || u >= (size_t)st->n_units || ordinal < 1 ||
        ordinal > st->c->n_states)
        return -1;
    return get_bit(st->stable[k][u], st->c->states[ordinal - 1]);
}

size_t pl_stability_equilibria(const pl_stability *st, pl_gmcr_concept k, size_t **ords)
{
    if (ords)
        *ords = NULL;
    if (!pl_stability_has(st, k))
        return 0;
    const pl_conflict *c = st->c;
    size_t n = 0, cap = 0;
    size_t *v = NULL;
    for (uint32_t i = 0; i < c->n_states; i++) {
        uint32_t s = c->states[i];
        int all = 1;
        for (int u = 0; u < st->n_units && all; u++)
            all = get_bit(st->stable[k][u], s);
        if (!all)
            continue;
        if (ords && pl__grow((void **)&v, &cap, n + 1, sizeof *v) != 0) {
            pl__free(v);
            return 0;
        }
        if (ords)
            v[n] = (size_t)i + 1;
        n++;
    }
    if (ords)
        *ords = v;
    return n;
}

/* ---- explanations ------------------------------------------------------- */

struct pl_gmcr_explanation {
    int stable;
    size_t n;
    pl_gmcr_ui *ui;
    pl_gmcr_step *steps; /* all UIs' steps, back to back */
    char *text;
};

void pl_gmcr_explanation_free(pl_gmcr_explanation *ex)
{
    if (!ex)
        return;
    pl__free(ex->ui);
    pl__free(ex->steps);
    pl__free(ex->text);
    pl__free(ex);
}

int pl_gmcr_explanation_stable(const pl_gmcr_explanation *ex)
{
    return ex ? ex->stable : 0;
}

size_t pl_gmcr_explanation_count(const pl_gmcr_explanation *ex)
{
    return ex ? ex->n : 0;
}

const pl_gmcr_ui *pl_gmcr_explanation_ui(const pl_gmcr_explanation *ex, size_t j)
{
    return ex && j < ex->n ? &ex->ui[j] : NULL;
}

const char *pl_gmcr_explanation_text(const pl_gmcr_explanation *ex)
{
    return ex && ex->text ? ex->text : "";
}

static void state_label(pl_buf *b, const pl_conflict *c, uint32_t x)
{
    char s[PL_GMCR_MAX_OPTIONS + 1];
    gm_state_string(c, x, s);
    pl_buf_printf(b, "state %d (%s)", c->ord[x] + 1, s);
}

/* What changes from x to y, in words: "takes 'A', drops 'B'". */
static void change_words(pl_buf *b, const pl_conflict *c, uint32_t x, uint32_t y)
{
    int first = 1;
    for (int k = 0; k < c->n; k++) {
        if (!(((x ^ y) >> k) & 1u))
            continue;
        pl_buf_printf(b, "%s%s '%s'", first ? "" : ", ", (y >> k) & 1u ? "takes" : "drops",
                      c->opt[k].name);
        first = 0;
    }
}

pl_status pl_stability_explain(const pl_stability *st, pl_gmcr_concept k, size_t u,
                               size_t ordinal, pl_gmcr_explanation **out, pl_diag *diag)
{
    if (!out || !st || u >= (size_t)st->n_units || ordinal < 1 ||
        ordinal > st->c->n_states || (unsigned)k >= PL_GMCR_N_CONCEPTS) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    const pl_conflict *c = st->c;
    uint32_t s = c->states[ordinal - 1];
    const gm_unit *F = &st->unit[u];
    pl_gmcr_concept kk = k;
    if (k == PL_GMCR_SEQSIM)
        kk = pl_stability_has(st, PL_GMCR_SEQ) && get_bit(st->stable[PL_GMCR_SEQ][u], s)
                 ? PL_GMCR_SEQ
                 : PL_GMCR_SIM;
    pl_gmcr_explanation *ex = pl__calloc(1, sizeof *ex);
    uint32_t *mv = pl__malloc((size_t)c->cube * sizeof *mv);
    search *q = pl__calloc(1, sizeof *q);
    pl_buf b;
    pl_buf_init(&b);
    if (!ex || !mv || !q)
        goto oom;
    uint32_t n = unit_moves(c, F, s, 1, mv);
    ex->n = n;
    ex->ui = pl__calloc(n ? n : 1, sizeof *ex->ui);
    size_t steps_cap = (size_t)(n ? n : 1) * 64;
    ex->steps = pl__calloc(steps_cap, sizeof *ex->steps);
    if (!ex->ui || !ex->steps)
        goto oom;
    ex->stable = 1;
    pl_buf_printf(&b, "From ");
    state_label(&b, c, s);
    if (!n) {
        pl_buf_printf(&b, ", %s has no unilateral improvement: stable under every concept.",
                      F->name);
    } else {
        pl_buf_printf(&b, ", %s has %u unilateral improvement%s under %s:", F->name, n,
                      n == 1 ? "" : "s", pl_gmcr_concept_name(k));
    }
    size_t used = 0;
    sim_iter it;
    int have_it = 0;
    if (n && kk == PL_GMCR_SIM) {
        if (sim_iter_init(st, (int)u, s, &it) != 0)
            goto oom;
        have_it = 1;
    }
    for (uint32_t a = 0; a < n; a++) {
        uint32_t y = mv[a];
        pl_gmcr_ui *ui = &ex->ui[a];
        ui->to = (size_t)c->ord[y] + 1;
        ui->steps = ex->steps + used;
        int r = 0;
        if (kk == PL_GMCR_NASH) {
            r = 0;
        } else if (kk == PL_GMCR_SIM) {
            if (!st->opts.gmcrplus_sim) {
                memset(it.idx, 0, sizeof it.idx);
                it.done = 0;
            }
            for (; !it.done; sim_next(&it)) {
                uint32_t z = sim_combine(&it, s, y);
                if (gm_feasible(c, z) && gm_not_better(c, F->members, s, z)) {
                    r = 1;
                    for (int t = 0; t < it.n; t++) {
                        uint32_t to = it.list[t][it.idx[t]];
                        if (to == s)
                            continue;
                        ex->steps[used].unit = (size_t)it.unit[t];
                        ex->steps[used].to = (size_t)c->ord[to] + 1;
                        used++;
                        ui->n_steps++;
                    }
                    ui->sanction_state = (size_t)c->ord[z] + 1;
                    if (st->opts.gmcrplus_sim)
                        sim_next(&it);
                    break;
                }
            }
        } else {
            q->st = st;
            q->focal = (int)u;
            q->s = s;
            q->kind = kk == PL_GMCR_GMR ? SK_GMR : kk == PL_GMCR_SEQ ? SK_SEQ : SK_SMR;
            r = find_sanction(q, y);
            if (r < 0)
                goto oom;
            if (r) {
                for (int t = 0; t < q->path_len; t++) {
                    ex->steps[used].unit = (size_t)q->path_unit[t];
                    ex->steps[used].to = (size_t)c->ord[q->path_state[t]] + 1;
                    used++;
                    ui->n_steps++;
                }
                ui->sanction_state = (size_t)c->ord[q->path_state[q->path_len - 1]] + 1;
            }
        }
        ui->sanctioned = r;
        if (!r)
            ex->stable = 0;
        pl_buf_printf(&b, "\n  - to ");
        state_label(&b, c, y);
        pl_buf_puts(&b, " (");
        change_words(&b, c, s, y);
        pl_buf_puts(&b, ")");
        if (!r) {
            pl_buf_printf(&b, ": %s",
                          kk == PL_GMCR_NASH ? "an improvement (Nash counts no sanctions)"
                                             : "no sanction deters it");
        } else {
            pl_buf_printf(&b, ": deterred by ");
            uint32_t prev = kk == PL_GMCR_SIM ? s : y;
            for (size_t t = 0; t < ui->n_steps; t++) {
                const pl_gmcr_step *sp = &ui->steps[t];
                uint32_t to = c->states[sp->to - 1];
                pl_buf_printf(&b, "%s%s moving to ", t ? (kk == PL_GMCR_SIM ? " and " : ", then ")
                                                       : "",
                              st->unit[sp->unit].name);
                state_label(&b, c, to);
                pl_buf_puts(&b, " (");
                change_words(&b, c, prev, to);
                pl_buf_puts(&b, ")");
                if (kk != PL_GMCR_SIM)
                    prev = to;
            }
            if (kk == PL_GMCR_SIM) {
                pl_buf_printf(&b, " at the same time, which lands in ");
                state_label(&b, c, c->states[ui->sanction_state - 1]);
            }
            pl_buf_printf(&b, ", which %s does not prefer to ", F->name);
            state_label(&b, c, s);
            if (kk == PL_GMCR_SMR)
                pl_buf_puts(&b, " and from which it cannot escape to anything better");
        }
    }
    if (have_it)
        sim_iter_free(&it);
    if (n)
        pl_buf_printf(&b, "\n  => %s under %s.", ex->stable ? "stable" : "unstable",
                      pl_gmcr_concept_name(k));
    if (b.oom)
        goto oom;
    ex->text = pl_buf_take(&b);
    pl__free(mv);
    pl__free(q);
    *out = ex;
    return PL_OK;
oom:
    pl_buf_free(&b);
    pl_gmcr_explanation_free(ex);
    pl__free(mv);
    pl__free(q);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

/* ---- improvement paths -------------------------------------------------- */

pl_status pl_stability_path(const pl_stability *st, size_t from, size_t to, pl_gmcr_step **steps,
                            size_t *n_steps)
{
    if (!st || !steps || !n_steps || from < 1 || to < 1 || from > st->c->n_states ||
        to > st->c->n_states)
        return PL_E_ARG;
    *steps = NULL;
    *n_steps = 0;
    const pl_conflict *c = st->c;
    uint32_t a = c->states[from - 1], z = c->states[to - 1];
    if (a == z)
        return PL_OK;
    uint32_t *par = pl__malloc((size_t)c->cube * sizeof *par);
    int8_t *who = pl__malloc((size_t)c->cube);
    uint32_t *queue = pl__malloc((size_t)c->cube * sizeof *queue);
    uint32_t *mv = pl__malloc((size_t)c->cube * sizeof *mv);
    pl_status rc = PL_E_NOTFOUND;
    if (!par || !who || !queue || !mv) {
        rc = PL_E_NOMEM;
        goto out;
    }
    memset(who, -1, (size_t)c->cube);
    size_t head = 0, tail = 0;
    queue[tail++] = a;
    who[a] = 127;
    par[a] = a;
    while (head < tail && who[z] < 0) {
        uint32_t x = queue[head++];
        for (int u = 0; u < st->n_units && who[z] < 0; u++) {
            uint32_t n = unit_moves(c, &st->unit[u], x, 1, mv);
            for (uint32_t k = 0; k < n; k++) {
                if (who[mv[k]] >= 0)
                    continue;
                who[mv[k]] = (int8_t)u;
                par[mv[k]] = x;
                queue[tail++] = mv[k];
            }
        }
    }
    if (who[z] >= 0) {
        size_t len = 0;
        for (uint32_t t = z; t != a; t = par[t])
            len++;
        pl_gmcr_step *v = pl__malloc(len * sizeof *v);
        if (!v) {
            rc = PL_E_NOMEM;
            goto out;
        }
        size_t k = len;
        for (uint32_t t = z; t != a; t = par[t]) {
            k--;
            v[k].unit = (size_t)who[t];
            v[k].to = (size_t)c->ord[t] + 1;
        }
        *steps = v;
        *n_steps = len;
        rc = PL_OK;
    }
out:
    pl__free(par);
    pl__free(who);
    pl__free(queue);
    pl__free(mv);
    return rc;
}

/* ---- coalition search --------------------------------------------------- */

pl_status pl_gmcr_coalition_search(const pl_conflict *c, const pl_gmcr_opts *o,
                                   pl_gmcr_concept k, char **json, pl_diag *diag)
{
    if (!c || !json || (unsigned)k >= PL_GMCR_N_CONCEPTS) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *json = NULL;
    if (c->n_dm > 8 || c->n_states > SLOW_MAX_STATES) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "the coalition search is limited to 8 decision makers and %d feasible "
                     "states; this conflict has %d and %u",
                     SLOW_MAX_STATES, c->n_dm, (unsigned)c->n_states);
        return PL_E_INPUT;
    }
    pl_conflict *w = gm_clone(c);
    if (!w) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_gmcr_opts opts;
    if (o)
        opts = *o;
    else
        pl_gmcr_opts_init(&opts);
    opts.concepts = 1u << k;
    opts.use_coalitions = 1;
    pl_buf b;
    pl_buf_init(&b);
    pl_buf_puts(&b, "[");
    /* Restricted growth strings a[0..n): a[0] = 0, a[i] <= 1 + max(a[0..i)),
     * enumerate every partition once, in lexicographic order. */
    int n = c->n_dm, a[8] = {0};
    pl_status rc = PL_OK;
    int first = 1;
    for (;;) {
        int blocks = 0;
        for (int i = 0; i < n; i++)
            if (a[i] + 1 > blocks)
                blocks = a[i] + 1;
        uint32_t groups[8] = {0};
        for (int i = 0; i < n; i++)
            groups[a[i]] |= 1u << i;
        rc = pl_conflict_set_coalitions(w, groups, (size_t)blocks, diag);
        if (rc != PL_OK)
            break;
        pl_stability *st;
        rc = pl_stability_analyse(w, &opts, &st, diag);
        if (rc != PL_OK)
            break;
        pl_buf_printf(&b, "%s\n  {\"equilibria\": [", first ? "" : ",");
        first = 0;
        size_t *e;
        size_t ne = pl_stability_equilibria(st, k, &e);
        for (size_t t = 0; t < ne; t++)
            pl_buf_printf(&b, "%s%zu", t ? ", " : "", e[t]);
        pl__free(e);
        pl_buf_puts(&b, "], \"partition\": [");
        for (int g = 0; g < blocks; g++) {
            pl_buf_printf(&b, "%s[", g ? ", " : "");
            int f2 = 1;
            for (int i = 0; i < n; i++)
                if ((groups[g] >> i) & 1u) {
                    /* names are plain text; escape quotes and backslashes */
                    pl_buf_puts(&b, f2 ? "\"" : ", \"");
                    for (const char *p = c->dm[i].name; *p; p++) {
                        if (*p == '"' || *p == '\\')
                            pl_buf_add(&b, "\\", 1);
                        if ((unsigned char)*p >= 0x20)
                            pl_buf_add(&b, p, 1);
                    }
                    pl_buf_puts(&b, "\"");
                    f2 = 0;
                }
            pl_buf_puts(&b, "]");
        }
        pl_buf_puts(&b, "]}");
        pl_stability_free(st);
        /* next restricted growth string */
        int i = n - 1;
        for (; i > 0; i--) {
            int mx = 0;
            for (int j = 0; j < i; j++)
                if (a[j] > mx)
                    mx = a[j];
            if (a[i] <= mx) {
                a[i]++;
                for (int j = i + 1; j < n; j++)
                    a[j] = 0;
                break;
            }
        }
        if (i == 0)
            break;
    }
    pl_buf_puts(&b, "\n]\n");
    pl_conflict_free(w);
    if (rc != PL_OK || b.oom) {
        pl_buf_free(&b);
        if (rc == PL_OK) {
            pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            rc = PL_E_NOMEM;
        }
        return rc;
    }
    *json = pl_buf_take(&b);
    return PL_OK;
}
