/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "space/space.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "util/util.h"

/* Sums accumulated in search order differ from the canonical (issue-order)
 * sum in the last bits. A package within this distance of a threshold is
 * decided by its canonical utility, so every command agrees with evaluate. */
#define SP_EPS 1e-9

static size_t nz(size_t n)
{
    return n ? n : 1;
}

void sp_spec_default(sp_spec *s)
{
    memset(s, 0, sizeof *s);
    s->veto_only = 1;
    s->red_lines = 1;
    s->reservations = 1;
    s->drop_rule = -1;
    s->relax_actor = -1;
    s->actor_weight_issue = -1;
    s->weight_actor = -1;
}

void sp_ctx_free(sp_ctx *c)
{
    pl__free(c->act);
    pl__free(c->res);
    pl__free(c->order);
    pl__free(c->pos);
    pl__free(c->nopt);
    pl__free(c->vbase);
    pl__free(c->val);
    pl__free(c->sufmax);
    pl__free(c->sufmin);
    pl__free(c->sufprod);
    pl__free(c->sufcount);
    pl__free(c->rule);
    pl__free(c->inter);
    pl__free(c->posb);
    pl__free(c->negb);
    pl__free(c->tbl_v);
    pl__free(c->tbl_combo);
    pl__free(c->tbl_sv);
    pl__free(c->tbl_mask);
    pl__free(c->rule_by);
    pl__free(c->inter_by);
    pl__free(c->rule_from);
    pl__free(c->inter_from);
    memset(c, 0, sizeof *c);
}

static size_t expr_last_depth(const px_expr *ex, const size_t *pos, size_t I)
{
    unsigned char used[PL_MAX_ISSUES];
    memset(used, 0, I);
    px_issues_used(ex, used);
    size_t last = 0;
    for (size_t i = 0; i < I; i++)
        if (used[i] && pos[i] + 1 > last)
            last = pos[i] + 1;
    return last;
}

typedef struct tsort {
    double key;
    uint32_t idx;
} tsort;

static int tsort_cmp(const void *x, const void *y)
{
    const tsort *a = x, *b = y;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

#define TABLE_MAX 512

static int build_table(sp_ctx *c)
{
    size_t I = c->I, K = c->K;
    c->tbl_depth = I;
    if (K == 0)
        return 0;
    size_t d = I, n = 1;
    while (d > c->free_from && d > 0 && n * c->nopt[d - 1] <= TABLE_MAX) {
        n *= c->nopt[d - 1];
        d--;
    }
    if (I - d < 2)
        return 0; /* one depth: the walk is as cheap */
    double *v = pl__malloc(sizeof *v * n * K);
    tsort *ts = pl__malloc(sizeof *ts * n);
    c->tbl_v = pl__malloc(sizeof *c->tbl_v * n * K);
    c->tbl_combo = pl__malloc(sizeof *c->tbl_combo * n);
    if (!v || !ts || !c->tbl_v || !c->tbl_combo) {
        pl__free(v);
        pl__free(ts);
        return -1;
    }
    for (size_t x = 0; x < n; x++) {
        size_t rest = x;
        for (size_t k = 0; k < K; k++)
            v[x * K + k] = 0;
        for (size_t e = I; e-- > d;) {
            size_t o = rest % c->nopt[e];
            rest /= c->nopt[e];
            for (size_t k = 0; k < K; k++)
                v[x * K + k] += c->val[(c->vbase[e] + o) * K + k];
        }
        ts[x] = (tsort){v[x * K], (uint32_t)x};
    }
    qsort(ts, n, sizeof *ts, tsort_cmp);
    for (size_t x = 0; x < n; x++) {
        memcpy(c->tbl_v + x * K, v + (size_t)ts[x].idx * K, sizeof *v * K);
        c->tbl_combo[x] = ts[x].idx;
    }
    c->tbl_depth = d;
    c->tbl_n = n;
    size_t W = (n + 63) / 64;
    c->tbl_w = W;
    c->tbl_sv = pl__malloc(sizeof *c->tbl_sv * n * K);
    c->tbl_mask = pl__calloc(K * (n + 1) * W, sizeof *c->tbl_mask);
    if (!c->tbl_sv || !c->tbl_mask) {
        pl__free(v);
        pl__free(ts);
        return -1;
    }
    for (size_t k = 0; k < K; k++) {
        for (size_t x = 0; x < n; x++)
            ts[x] = (tsort){c->tbl_v[x * K + k], (uint32_t)x};
        qsort(ts, n, sizeof *ts, tsort_cmp);
        uint64_t *m = c->tbl_mask + k * (n + 1) * W;
        for (size_t j = 0; j < n; j++) {
            c->tbl_sv[k * n + j] = ts[j].key;
            memcpy(m + (j + 1) * W, m + j * W, sizeof *m * W);
            m[(j + 1) * W + ts[j].idx / 64] |= (uint64_t)1 << (ts[j].idx % 64);
        }
    }
    pl__free(v);
    pl__free(ts);
    return 0;
}

/* Counting sort of n items by their depth (0..I), stable. */
static int by_depth(const sp_ctx *c, size_t n, const void *items, size_t stride, size_t off,
                    uint32_t **by, size_t **from)
{
    size_t I = c->I;
    *by = pl__malloc(sizeof **by * nz(n));
    *from = pl__calloc(I + 3, sizeof **from);
    if (!*by || !*from)
        return -1;
    const unsigned char *base = items;
    for (size_t x = 0; x < n; x++) {
        size_t dd;
        memcpy(&dd, base + x * stride + off, sizeof dd);
        (*from)[dd + 1]++;
    }
    for (size_t d = 1; d < I + 3; d++)
        (*from)[d] += (*from)[d - 1];
    size_t *fill = pl__malloc(sizeof *fill * (I + 2));
    if (!fill)
        return -1;
    memcpy(fill, *from, sizeof *fill * (I + 2));
    for (size_t x = 0; x < n; x++) {
        size_t dd;
        memcpy(&dd, base + x * stride + off, sizeof dd);
        (*by)[fill[dd]++] = (uint32_t)x;
    }
    pl__free(fill);
    return 0;
}

static int index_by_depth(sp_ctx *c)
{
    if (by_depth(c, c->n_rule, c->rule, sizeof *c->rule, offsetof(sp_rule, decided_at),
                 &c->rule_by, &c->rule_from) != 0)
        return -1;
    return by_depth(c, c->n_inter, c->inter, sizeof *c->inter,
                    offsetof(sp_inter, decided_at), &c->inter_by, &c->inter_from);
}

int sp_ctx_init(sp_ctx *c, const pl_scenario *sc, const sp_spec *spec)
{
    memset(c, 0, sizeof *c);
    const pl_state *st = &sc->cur;
    size_t I = sc->n_issues;
    c->sc = sc;
    c->I = I;
    c->act = pl__malloc(sizeof *c->act * (sc->n_actors + 1));
    c->res = pl__malloc(sizeof *c->res * (sc->n_actors + 1));
    c->order = pl__malloc(sizeof *c->order * I);
    c->nopt = pl__malloc(sizeof *c->nopt * I);
    c->vbase = pl__malloc(sizeof *c->vbase * (I + 1));
    size_t *pos = pl__malloc(sizeof *pos * I);
    unsigned char *tested = pl__calloc(I, 1);
    if (!c->act || !c->res || !c->order || !c->nopt || !c->vbase || !pos || !tested)
        goto fail;
    for (size_t a = 0; a < sc->n_actors; a++) {
        if (!sc->actor[a].has_pref || (spec->veto_only && !sc->actor[a].veto))
            continue;
        c->act[c->K] = a;
        c->res[c->K] = spec->reservations && (long)a != spec->relax_actor ? st->res[a] : -INFINITY;
        c->K++;
    }
    size_t K = c->K;

    /* Which expressions apply, and which issues they test. */
    size_t max_rules = st->n_cons;
    for (size_t k = 0; k < K; k++)
        max_rules += st->n_red[c->act[k]];
    size_t max_inters = 0;
    for (size_t k = 0; k < K; k++)
        max_inters += st->n_inter[c->act[k]];
    c->rule = pl__malloc(sizeof *c->rule * (max_rules ? max_rules : 1));
    c->inter = pl__malloc(sizeof *c->inter * (max_inters ? max_inters : 1));
    if (!c->rule || !c->inter)
        goto fail;
    for (size_t q = 0; q < st->n_cons; q++) {
        const pl_rule *r = &sc->rule[st->cons[q]];
        c->rule[c->n_rule++] = (sp_rule){&r->ex, r->kind, -1, 0};
    }
    if (spec->red_lines)
        for (size_t k = 0; k < K; k++)
            for (size_t q = 0; q < st->n_red[c->act[k]]; q++) {
                uint32_t ri = st->red[c->act[k]][q];
                if ((long)ri == spec->drop_rule)
                    continue;
                const pl_rule *r = &sc->rule[ri];
                c->rule[c->n_rule++] = (sp_rule){&r->ex, r->kind, (int)k, 0};
            }
    for (size_t k = 0; k < K; k++)
        for (size_t q = 0; q < st->n_inter[c->act[k]]; q++) {
            const pl_inter *in = &sc->inter[st->inter[c->act[k]][q]];
            c->inter[c->n_inter++] = (sp_inter){&in->ex, sc->num[in->bonus_num].value, (int)k, 0};
        }
    for (size_t r = 0; r < c->n_rule; r++)
        px_issues_used(c->rule[r].ex, tested);
    for (size_t q = 0; q < c->n_inter; q++)
        px_issues_used(c->inter[q].ex, tested);

    /* Weighted scores, with an optional change of one raw weight (bridges). */
    size_t O = sc->total_opts;
    double *ws = pl__malloc(sizeof *ws * (nz(K * O)));
    if (!ws)
        goto fail;
    for (size_t k = 0; k < K; k++) {
        size_t a = c->act[k];
        if ((long)a == spec->weight_actor && spec->actor_weight_issue >= 0) {
            double sum = 0;
            for (size_t i = 0; i < I; i++) {
                int wn = st->w_num[a * I + i];
                sum += wn < 0 ? 0 : sc->num[wn].value;
            }
            sum += spec->weight_delta;
            for (size_t i = 0; i < I; i++) {
                int wn = st->w_num[a * I + i];
                double raw = (wn < 0 ? 0 : sc->num[wn].value) +
                             ((long)i == spec->actor_weight_issue ? spec->weight_delta : 0);
                double w = sum > 0 ? raw / sum : 0;
                for (size_t o = 0; o < sc->issue[i].n_opt; o++) {
                    size_t x = sc->issue[i].opt_base + o;
                    ws[k * O + x] = w * st->s[a * O + x];
                }
            }
        } else {
            memcpy(ws + k * O, st->ws + a * O, sizeof *ws * O);
        }
    }

    /* Order: tested issues first (decided early), then the others; within
     * each group, the issues whose options matter most come first. */
    double *spread = pl__malloc(sizeof *spread * (I ? I : 1));
    if (!spread) {
        pl__free(ws);
        goto fail;
    }
    for (size_t i = 0; i < I; i++) {
        double s = 0;
        for (size_t k = 0; k < K; k++) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t o = 0; o < sc->issue[i].n_opt; o++) {
                double v = ws[k * O + sc->issue[i].opt_base + o];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            s += hi - lo;
        }
        spread[i] = s;
        c->order[i] = i;
    }
    for (size_t x = 1; x < I; x++) {
        size_t v = c->order[x];
        size_t y = x;
        while (y > 0) {
            size_t u = c->order[y - 1];
            int before = tested[v] != tested[u] ? tested[v] > tested[u] : spread[v] > spread[u];
            if (!before)
                break;
            c->order[y] = u;
            y--;
        }
        c->order[y] = v;
    }
    pl__free(spread);
    for (size_t d = 0; d < I; d++)
        pos[c->order[d]] = d;
    c->pos = pos;
    pos = NULL;
    c->free_from = 0;
    for (size_t d = 0; d < I; d++)
        if (tested[c->order[d]])
            c->free_from = d + 1;

    size_t total = 0;
    for (size_t d = 0; d < I; d++) {
        c->nopt[d] = sc->issue[c->order[d]].n_opt;
        c->vbase[d] = total;
        total += c->nopt[d];
    }
    c->vbase[I] = total;
    c->val = pl__malloc(sizeof *c->val * (nz(total * K)));
    c->sufmax = pl__malloc(sizeof *c->sufmax * (I + 1) * (K ? K : 1));
    c->sufmin = pl__malloc(sizeof *c->sufmin * (I + 1) * (K ? K : 1));
    c->sufprod = pl__malloc(sizeof *c->sufprod * (I + 1));
    c->sufcount = pl__malloc(sizeof *c->sufcount * (I + 1));
    c->posb = pl__calloc(K ? K : 1, sizeof *c->posb);
    c->negb = pl__calloc(K ? K : 1, sizeof *c->negb);
    if (!c->val || !c->sufmax || !c->sufmin || !c->sufprod || !c->sufcount || !c->posb ||
        !c->negb) {
        pl__free(ws);
        goto fail;
    }
    for (size_t d = 0; d < I; d++) {
        const pl_issue *is = &sc->issue[c->order[d]];
        for (size_t o = 0; o < is->n_opt; o++)
            for (size_t k = 0; k < K; k++)
                c->val[(c->vbase[d] + o) * K + k] = ws[k * O + is->opt_base + o];
    }
    pl__free(ws);
    for (size_t k = 0; k < K; k++) {
        c->sufmax[I * K + k] = 0;
        c->sufmin[I * K + k] = 0;
    }
    c->sufprod[I] = 1;
    c->sufcount[I] = 1;
    for (size_t d = I; d-- > 0;) {
        for (size_t k = 0; k < K; k++) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t o = 0; o < c->nopt[d]; o++) {
                double v = c->val[(c->vbase[d] + o) * K + k];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            c->sufmax[d * K + k] = c->sufmax[(d + 1) * K + k] + hi;
            c->sufmin[d * K + k] = c->sufmin[(d + 1) * K + k] + lo;
        }
        c->sufprod[d] = c->sufprod[d + 1] * (double)c->nopt[d];
        uint64_t nx = c->sufcount[d + 1];
        c->sufcount[d] = nx == UINT64_MAX || nx > UINT64_MAX / c->nopt[d] ? UINT64_MAX
                                                                           : nx * c->nopt[d];
    }
    for (size_t r = 0; r < c->n_rule; r++)
        c->rule[r].decided_at = expr_last_depth(c->rule[r].ex, c->pos, I);
    for (size_t q = 0; q < c->n_inter; q++) {
        c->inter[q].decided_at = expr_last_depth(c->inter[q].ex, c->pos, I);
        double b = c->inter[q].bonus;
        if (b > 0)
            c->posb[c->inter[q].owner] += b;
        else
            c->negb[c->inter[q].owner] += b;
    }
    pl__free(pos);
    pl__free(tested);
    if (index_by_depth(c) != 0 || build_table(c) != 0) {
        sp_ctx_free(c);
        return -1;
    }
    return 0;
fail:
    pl__free(pos);
    pl__free(tested);
    sp_ctx_free(c);
    return -1;
}

double sp_utility(const sp_ctx *c, size_t k, const long *pkg)
{
    /* Issue order, like model_utility(): identical bits for identical input. */
    double u = 0;
    for (size_t i = 0; i < c->I; i++)
        u += c->val[(c->vbase[c->pos[i]] + (size_t)pkg[i]) * c->K + k];
    for (size_t q = 0; q < c->n_inter; q++)
        if (c->inter[q].owner == (int)k && px_eval3(c->inter[q].ex, pkg, c->sc->n_opts) == 1)
            u += c->inter[q].bonus;
    return u;
}

/* ---- the walker shared by every search -------------------------------- */

typedef struct walker {
    const sp_ctx *c;
    long *pkg;        /* scenario issue order, -1 unassigned */
    double *F;        /* K: values fixed so far, decided bonuses included */
    double *pend_pos; /* K: bonuses not yet decided, positive part */
    double *pend_neg;
    double *ucanon;   /* K: scratch */
    size_t *pos;      /* depth of each issue */
    int dead;         /* a rule that tests no issue is broken: nothing qualifies */
} walker;

static int rule_ok(const sp_rule *r, const long *pkg, const size_t *nopts)
{
    int v = px_eval3(r->ex, pkg, nopts);
    if (v < 0)
        return 1; /* undecided: keep searching */
    return r->kind == PL_RULE_REQUIRE ? v == 1 : v == 0;
}

static int walker_init(walker *w, const sp_ctx *c)
{
    memset(w, 0, sizeof *w);
    w->c = c;
    size_t K = c->K ? c->K : 1;
    w->pkg = pl__malloc(sizeof *w->pkg * (c->I ? c->I : 1));
    w->F = pl__calloc(K, sizeof *w->F);
    w->pend_pos = pl__malloc(sizeof *w->pend_pos * K);
    w->pend_neg = pl__malloc(sizeof *w->pend_neg * K);
    w->ucanon = pl__malloc(sizeof *w->ucanon * K);
    w->pos = pl__malloc(sizeof *w->pos * (c->I ? c->I : 1));
    if (!w->pkg || !w->F || !w->pend_pos || !w->pend_neg || !w->ucanon || !w->pos)
        return -1;
    for (size_t i = 0; i < c->I; i++)
        w->pkg[i] = -1;
    for (size_t d = 0; d < c->I; d++)
        w->pos[c->order[d]] = d;
    for (size_t k = 0; k < c->K; k++) {
        w->pend_pos[k] = c->posb[k];
        w->pend_neg[k] = c->negb[k];
    }
    /* Expressions that test no issue are decided before the search. */
    for (size_t r = 0; r < c->n_rule; r++)
        if (c->rule[r].decided_at == 0 && !rule_ok(&c->rule[r], w->pkg, c->sc->n_opts))
            w->dead = 1;
    for (size_t q = 0; q < c->n_inter; q++)
        if (c->inter[q].decided_at == 0) {
            int k = c->inter[q].owner;
            double b = c->inter[q].bonus;
            if (b > 0)
                w->pend_pos[k] -= b;
            else
                w->pend_neg[k] -= b;
            if (px_eval3(c->inter[q].ex, w->pkg, c->sc->n_opts) == 1)
                w->F[k] += b;
        }
    return 0;
}

static void walker_free(walker *w)
{
    pl__free(w->pkg);
    pl__free(w->F);
    pl__free(w->pend_pos);
    pl__free(w->pend_neg);
    pl__free(w->ucanon);
    pl__free(w->pos);
}

/* Assign option o at depth d; returns 0 when a rule decided at d+1 breaks
 * (the assignment is then already undone). */
static int walker_push(walker *w, size_t d, size_t o)
{
    const sp_ctx *c = w->c;
    size_t i = c->order[d];
    w->pkg[i] = (long)o;
    const double *v = c->val + (c->vbase[d] + o) * c->K;
    for (size_t k = 0; k < c->K; k++)
        w->F[k] += v[k];
    for (size_t x = c->rule_from[d + 1]; x < c->rule_from[d + 2]; x++)
        if (!rule_ok(&c->rule[c->rule_by[x]], w->pkg, c->sc->n_opts)) {
            for (size_t k = 0; k < c->K; k++)
                w->F[k] -= v[k];
            w->pkg[i] = -1;
            return 0;
        }
    for (size_t x = c->inter_from[d + 1]; x < c->inter_from[d + 2]; x++) {
        const sp_inter *in = &c->inter[c->inter_by[x]];
        int k = in->owner;
        if (in->bonus > 0)
            w->pend_pos[k] -= in->bonus;
        else
            w->pend_neg[k] -= in->bonus;
        if (px_eval3(in->ex, w->pkg, c->sc->n_opts) == 1)
            w->F[k] += in->bonus;
    }
    return 1;
}

static void walker_pop(walker *w, size_t d, size_t o)
{
    const sp_ctx *c = w->c;
    size_t i = c->order[d];
    for (size_t x = c->inter_from[d + 1]; x < c->inter_from[d + 2]; x++) {
        const sp_inter *in = &c->inter[c->inter_by[x]];
        int k = in->owner;
        if (px_eval3(in->ex, w->pkg, c->sc->n_opts) == 1)
            w->F[k] -= in->bonus;
        if (in->bonus > 0)
            w->pend_pos[k] += in->bonus;
        else
            w->pend_neg[k] += in->bonus;
    }
    const double *v = c->val + (c->vbase[d] + o) * c->K;
    for (size_t k = 0; k < c->K; k++)
        w->F[k] -= v[k];
    w->pkg[i] = -1;
}

/* Undecided rules at depth d that Kleene logic already shows broken. */
static int rules_alive(const walker *w, size_t d)
{
    const sp_ctx *c = w->c;
    for (size_t x = c->rule_from[d + 1]; x < c->n_rule; x++)
        if (!rule_ok(&c->rule[c->rule_by[x]], w->pkg, c->sc->n_opts))
            return 0;
    return 1;
}

/* Can some completion of the depths >= d still reach every threshold? */
static int walker_reaches(const walker *w, size_t d)
{
    const sp_ctx *c = w->c;
    size_t K = c->K;
    for (size_t k = 0; k < K; k++) {
        double hi = w->F[k] + c->sufmax[d * K + k] + w->pend_pos[k];
        if (hi < c->res[k] - SP_EPS * (1 + fabs(c->res[k])))
            return 0;
    }
    return 1;
}

static size_t rules_pending_after(const sp_ctx *c)
{
    size_t m = 0;
    for (size_t r = 0; r < c->n_rule; r++)
        m = c->rule[r].decided_at > m ? c->rule[r].decided_at : m;
    return m;
}

/* Canonical acceptance of a complete package. */
static int accept_canon(walker *w)
{
    const sp_ctx *c = w->c;
    for (size_t k = 0; k < c->K; k++) {
        w->ucanon[k] = sp_utility(c, k, w->pkg);
        if (w->ucanon[k] < c->res[k])
            return 0;
    }
    return 1;
}

/* ---- counting ---------------------------------------------------------- */

typedef struct counter {
    walker w;
    size_t rules_done;   /* depth from which every rule is decided */
    int stop;            /* stop at the first package */
    int found;
    long *witness;
    uint64_t n;
    int overflow;
    size_t calls;
} counter;

static void add_count(counter *ct, uint64_t x)
{
    if (x == UINT64_MAX || ct->n > UINT64_MAX - x) {
        ct->n = UINT64_MAX;
        ct->overflow = 1;
    } else {
        ct->n += x;
    }
}

/* Write table combination x into the package (depths d..I-1). */
static void table_apply(const sp_ctx *c, size_t d, uint32_t combo, long *pkg)
{
    size_t rest = combo;
    for (size_t e = c->I; e-- > d;) {
        pkg[c->order[e]] = (long)(rest % c->nopt[e]);
        rest /= c->nopt[e];
    }
}

/* Bits set in x, without relying on a popcount instruction the build may
 * not target. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* How many of actor k's sorted table values v keep F + v >= lim (the same
 * floating-point test as the walk's; monotone in v, so a binary search,
 * written so that the compiler can use conditional moves: the outcome of each
 * step is a coin flip the branch predictor would lose). */
static size_t tbl_prefix(const sp_ctx *c, size_t k, double F, double lim)
{
    const double *sv = c->tbl_sv + k * c->tbl_n;
    size_t base = 0, len = c->tbl_n;
    while (len > 1) {
        size_t half = len / 2;
        base += F + sv[base + half - 1] >= lim ? half : 0;
        len -= half;
    }
    return base + (F + sv[base] >= lim);
}

/* An entry is in when every actor clears its reservation by more than the
 * tolerance, out when one misses it by more, and on the border otherwise --
 * decided then by the canonical utility, like every other count. */
static void count_table(counter *ct, size_t d)
{
    walker *w = &ct->w;
    const sp_ctx *c = w->c;
    size_t K = c->K, W = c->tbl_w, n = c->tbl_n;
    uint64_t sure[8], maybe[8];
    uint64_t *hs = W <= 8 ? sure : NULL, *ms = W <= 8 ? maybe : NULL;
    if (!hs) {
        /* Larger tables than TABLE_MAX allows never get here. */
        return;
    }
    for (size_t x = 0; x < W; x++)
        hs[x] = ms[x] = ~(uint64_t)0;
    for (size_t k = 0; k < K; k++) {
        double tol = SP_EPS * (1 + fabs(c->res[k]));
        const uint64_t *m = c->tbl_mask + k * (n + 1) * W;
        size_t jlo = tbl_prefix(c, k, w->F[k], c->res[k] - tol);
        /* The border is a hair wide: step down to its start. */
        const double *sv = c->tbl_sv + k * n;
        double lim_hi = c->res[k] + tol;
        size_t jhi = jlo;
        while (jhi > 0 && !(w->F[k] + sv[jhi - 1] >= lim_hi))
            jhi--;
        for (size_t x = 0; x < W; x++) {
            ms[x] &= m[jlo * W + x];
            hs[x] &= m[jhi * W + x];
        }
    }
    uint64_t cnt = 0;
    for (size_t x = 0; x < W; x++) {
        cnt += popcount64(hs[x]);
        uint64_t border = ms[x] & ~hs[x];
        while (border) {
            size_t e = x * 64 + (size_t)__builtin_ctzll(border);
            border &= border - 1;
            table_apply(c, d, c->tbl_combo[e], w->pkg);
            cnt += (uint64_t)accept_canon(w);
            for (size_t q = d; q < c->I; q++)
                w->pkg[c->order[q]] = -1;
        }
    }
    add_count(ct, cnt);
}

static void count_node(counter *ct, size_t d)
{
    walker *w = &ct->w;
    const sp_ctx *c = w->c;
    size_t K = c->K;
    if (ct->stop && ct->found)
        return;
    int inside = d >= ct->rules_done;
    for (size_t k = 0; k < K; k++) {
        double hi = w->F[k] + c->sufmax[d * K + k] + w->pend_pos[k];
        double tol = SP_EPS * (1 + fabs(c->res[k]));
        if (hi < c->res[k] - tol)
            return;
        double lo = w->F[k] + c->sufmin[d * K + k] + w->pend_neg[k];
        if (!(lo >= c->res[k] + tol))
            inside = 0;
    }
    if (d == c->I) {
        if (accept_canon(w)) {
            add_count(ct, 1);
            if (ct->stop && !ct->found) {
                ct->found = 1;
                if (ct->witness)
                    memcpy(ct->witness, w->pkg, sizeof *w->pkg * c->I);
            }
        }
        return;
    }
    if (inside && !ct->stop) {
        add_count(ct, c->sufcount[d]);
        return;
    }
    if (d == c->tbl_depth && d >= ct->rules_done && !ct->stop) {
        count_table(ct, d);
        return;
    }
    if (d < ct->rules_done && !rules_alive(w, d))
        return;
    for (size_t o = 0; o < c->nopt[d]; o++) {
        if (!walker_push(w, d, o))
            continue;
        count_node(ct, d + 1);
        walker_pop(w, d, o);
        if (ct->stop && ct->found)
            return;
    }
}

/* Work for one thread: the prefixes at split depth s with index = t mod T. */
typedef struct count_job {
    const sp_ctx *c;
    size_t split, t, T;
    int rc;
    counter ct;
} count_job;

static void count_prefixes(count_job *j, size_t d, size_t *idx)
{
    counter *ct = &j->ct;
    if (d == j->split) {
        if ((*idx)++ % j->T == j->t)
            count_node(ct, d);
        return;
    }
    for (size_t o = 0; o < j->c->nopt[d]; o++) {
        if (!walker_push(&ct->w, d, o)) {
            /* The pruned subtree still owns its prefix indices. */
            size_t skip = 1;
            for (size_t e = d + 1; e < j->split; e++)
                skip *= j->c->nopt[e];
            *idx += skip;
            continue;
        }
        count_prefixes(j, d + 1, idx);
        walker_pop(&ct->w, d, o);
    }
}

static void *count_thread(void *arg)
{
    count_job *j = arg;
    size_t idx = 0;
    if (!j->ct.w.dead)
        count_prefixes(j, 0, &idx);
    return NULL;
}

int sp_count(const sp_ctx *c, int threads, int stop_at_one, sp_total *out, long *witness)
{
    out->n = 0;
    out->overflow = 0;
    if (c->K == 0 && c->n_rule == 0) {
        out->n = c->sufcount[0];
        out->overflow = c->sufcount[0] == UINT64_MAX;
        if (stop_at_one && witness)
            for (size_t i = 0; i < c->I; i++)
                witness[i] = 0;
        return 0;
    }
    size_t rules_done = rules_pending_after(c);
    if (stop_at_one || threads <= 1) {
        counter ct;
        memset(&ct, 0, sizeof ct);
        if (walker_init(&ct.w, c) != 0) {
            walker_free(&ct.w);
            return -1;
        }
        ct.rules_done = rules_done;
        ct.stop = stop_at_one;
        ct.witness = witness;
        if (!ct.w.dead)
            count_node(&ct, 0);
        out->n = ct.n;
        out->overflow = ct.overflow;
        walker_free(&ct.w);
        return 0;
    }
    /* Split where there are enough prefixes to balance two threads. */
    size_t split = 0;
    double prefixes = 1;
    while (split < c->I && prefixes < 64 * threads) {
        prefixes *= (double)c->nopt[split];
        split++;
    }
    count_job jobs[8];
    pthread_t tid[8];
    int T = threads > 8 ? 8 : threads;
    int rc = 0;
    for (int t = 0; t < T; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].c = c;
        jobs[t].split = split;
        jobs[t].t = (size_t)t;
        jobs[t].T = (size_t)T;
        if (walker_init(&jobs[t].ct.w, c) != 0)
            rc = -1;
        jobs[t].ct.rules_done = rules_done;
    }
    int started[8] = {0};
    if (rc == 0)
        for (int t = 0; t < T; t++)
            started[t] = pthread_create(&tid[t], NULL, count_thread, &jobs[t]) == 0;
    for (int t = 0; t < T; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else if (rc == 0)
            count_thread(&jobs[t]); /* no thread: do its share here */
    }
    uint64_t n = 0;
    int ovf = 0;
    for (int t = 0; t < T; t++) {
        uint64_t x = jobs[t].ct.n;
        ovf |= jobs[t].ct.overflow;
        if (n > UINT64_MAX - x) {
            n = UINT64_MAX;
            ovf = 1;
        } else {
            n += x;
        }
        walker_free(&jobs[t].ct.w);
    }
    out->n = n;
    out->overflow = ovf;
    return rc;
}

/* ---- optimisation (top-k by an objective) ------------------------------ */

double sp_score(const sp_ctx *c, const sp_best_args *a, const double *u)
{
    size_t K = c->K;
    double s;
    switch (a->obj) {
    case SP_ACTOR:
        return u[a->actor_k];
    case SP_UTILITARIAN:
        s = 0;
        for (size_t k = 0; k < K; k++)
            s += u[k] - (isfinite(c->res[k]) ? c->res[k] : 0);
        return s;
    case SP_EGALITARIAN:
        s = INFINITY;
        for (size_t k = 0; k < K; k++) {
            double g = u[k] - (isfinite(c->res[k]) ? c->res[k] : 0);
            s = g < s ? g : s;
        }
        return s;
    case SP_KS:
        s = INFINITY;
        for (size_t k = 0; k < K; k++) {
            double d = isfinite(c->res[k]) ? c->res[k] : 0;
            double span = a->ideal[k] - d;
            double g = span > 0 ? (u[k] - d) / span : (u[k] >= d ? 1.0 : -INFINITY);
            s = g < s ? g : s;
        }
        return s;
    case SP_NASH:
    case SP_NASH_WEIGHTED:
        /* Log of the Nash product: sums instead of products of many terms. */
        s = 0;
        for (size_t k = 0; k < K; k++) {
            double d = isfinite(c->res[k]) ? c->res[k] : 0;
            double g = u[k] - d;
            if (g < 0)
                return -INFINITY;
            double wk = a->obj == SP_NASH_WEIGHTED ? a->weight[k] : 1.0;
            /* A zero gain would make every such package tie at -inf; a tiny
             * floor keeps them ordered by the other gains. */
            s += wk * log(g > 1e-300 ? g : 1e-300);
        }
        return s;
    }
    return -INFINITY;
}

typedef struct best {
    walker w;
    const sp_best_args *a;
    size_t rules_done;
    size_t cap;      /* how many packages to keep */
    sp_pkg *heap;    /* sorted best first (small k: insertion) */
    size_t n;
    double *hi;
    int oom;
    /* Nash objectives: the tangent-plane bound at the incumbent's gains g0.
     * log g <= log g0 + (g - g0) / g0 for every g > 0, so the log Nash
     * product of any completion is at most tconst + sum_k tw_k (F_k +
     * pending_k) + tsuf[d], where tsuf[d] is the best completion of the
     * depths >= d under the linear weights tw -- a separable, Lagrangian-like
     * bound that is tight near the optimum, where the per-actor box bound is
     * not (it lets every actor have its best option on every issue at once). */
    int tangent;       /* 1 when tw/tsuf hold a valid plane */
    double *tw;        /* K */
    double *tsuf;      /* I + 1 */
    double tconst, tmargin;
    double floor;      /* a hint's score: nothing below it can win */
    double ethr, ethr_of; /* exp of the threshold, and the threshold */
    uint8_t *ord;      /* per depth (at vbase[d]): options, most promising first */
    /* Plain Nash: the last depths (untested, every rule decided before them)
     * as a small table of their combinations' values, tail_n x K from depth
     * tail_d. There the exact best completion is a short scan, so a subtree
     * none of whose completions reaches the threshold is cut at once instead
     * of being walked: the bounds above it cannot see how the last issues
     * trade one actor's gain against another's. */
    size_t tail_d, tail_n;
    double *tail_v;
    uint8_t nord[PL_MAX_ISSUES]; /* how many of them to try */
} best;

/* a before b: higher score, then lexicographically smaller package. */
static int pkg_before(const sp_pkg *a, const sp_pkg *b, size_t I)
{
    if (a->score != b->score)
        return a->score > b->score;
    for (size_t i = 0; i < I; i++)
        if (a->opt[i] != b->opt[i])
            return a->opt[i] < b->opt[i];
    return 0;
}

static double tie_tol(double s)
{
    return SP_EPS * (1 + fabs(s));
}

/* Pruning threshold: a subtree whose score bound is below it cannot enter
 * the result. With ties, everything within tolerance of the best stays. */
static double best_threshold(const best *b)
{
    size_t k = b->a->top_k ? b->a->top_k : 1;
    if (b->n < k)
        return -INFINITY;
    double kth = b->heap[k - 1].score;
    if (!b->a->ties)
        return kth;
    double lim = b->heap[0].score - tie_tol(b->heap[0].score);
    return kth < lim ? kth : lim;
}

static int is_nash(const sp_best_args *a)
{
    return a->obj == SP_NASH || a->obj == SP_NASH_WEIGHTED;
}

/* Rebuild the tangent plane at the gains of utility vector u. The plane is a
 * bound for any positive g0; a gain at or near zero would make it useless
 * (and huge), so such a point leaves the previous plane in place. */
static void tangent_at(best *b, const double *u)
{
    const sp_ctx *c = b->w.c;
    size_t K = c->K, I = c->I;
    if (!is_nash(b->a) || !b->tw)
        return;
    double tconst = 0, scale = 0;
    for (size_t k = 0; k < K; k++) {
        double d = isfinite(c->res[k]) ? c->res[k] : 0;
        double g0 = u[k] - d;
        if (!(g0 > 1e-6))
            return;
        double wk = b->a->obj == SP_NASH_WEIGHTED ? b->a->weight[k] : 1.0;
        b->tw[k] = wk / g0;
        tconst += wk * (log(g0) - 1) - b->tw[k] * d;
        scale += fabs(wk * (log(g0) - 1)) + b->tw[k] * (fabs(d) + c->posb[k] - c->negb[k]);
    }
    b->tsuf[I] = 0;
    for (size_t d = I; d-- > 0;) {
        double best_o = -INFINITY, big = 0;
        for (size_t o = 0; o < c->nopt[d]; o++) {
            const double *v = c->val + (c->vbase[d] + o) * K;
            double s = 0, m = 0;
            for (size_t k = 0; k < K; k++) {
                s += b->tw[k] * v[k];
                m += b->tw[k] * fabs(v[k]);
            }
            best_o = s > best_o ? s : best_o;
            big = m > big ? m : big;
        }
        b->tsuf[d] = b->tsuf[d + 1] + best_o;
        scale += big;
    }
    b->tconst = tconst;
    /* Rounding in the sums above and in the walker's running totals is far
     * below this; the margin only ever makes the bound weaker. */
    b->tmargin = 1e-9 * (1 + scale);
    b->tangent = 1;
}

static void best_offer(best *b)
{
    const sp_ctx *c = b->w.c;
    size_t K = c->K, I = c->I;
    size_t topk = b->a->top_k ? b->a->top_k : 1;
    double score = sp_score(c, b->a, b->w.ucanon);
    if (score < best_threshold(b) || score < b->floor)
        return;
    sp_pkg p;
    p.opt = pl__malloc(sizeof *p.opt * (I ? I : 1));
    p.u = pl__malloc(sizeof *p.u * (K ? K : 1));
    if (!p.opt || !p.u) {
        pl__free(p.opt);
        pl__free(p.u);
        b->oom = 1;
        return;
    }
    memcpy(p.opt, b->w.pkg, sizeof *p.opt * I);
    memcpy(p.u, b->w.ucanon, sizeof *p.u * K);
    p.score = score;
    if (b->n == b->cap) {
        sp_pkg *nh = pl__realloc(b->heap, sizeof *nh * (b->cap * 2));
        if (!nh) {
            pl__free(p.opt);
            pl__free(p.u);
            b->oom = 1;
            return;
        }
        b->heap = nh;
        b->cap *= 2;
    }
    size_t x = b->n++;
    while (x > 0 && pkg_before(&p, &b->heap[x - 1], I)) {
        b->heap[x] = b->heap[x - 1];
        x--;
    }
    b->heap[x] = p;
    if (x == 0)
        tangent_at(b, p.u);
    /* Trim: keep the top_k, and with ties whatever ties with the best. */
    double lim = b->a->ties ? b->heap[0].score - tie_tol(b->heap[0].score) : INFINITY;
    while (b->n > topk && b->heap[b->n - 1].score < lim) {
        pl__free(b->heap[b->n - 1].opt);
        pl__free(b->heap[b->n - 1].u);
        b->n--;
    }
}

/* Can any completion from here reach thr? The leaf's own test (reservations
 * with tolerance, the product of inflated gains against exp(thr)) on every
 * combination of the tail table: a bound, never an answer -- a subtree that
 * passes is walked as usual. */
static int tail_reaches(best *b, double thr)
{
    const walker *w = &b->w;
    const sp_ctx *c = w->c;
    size_t K = c->K;
    if (thr != b->ethr_of) {
        b->ethr_of = thr;
        b->ethr = exp(thr) * (1 - 1e-9);
    }
    for (size_t x = 0; x < b->tail_n; x++) {
        const double *v = b->tail_v + x * K;
        double prod = 1;
        size_t k = 0;
        for (; k < K; k++) {
            double y = w->F[k] + v[k];
            if (y < c->res[k] - SP_EPS * (1 + fabs(c->res[k])))
                break;
            double g = y + SP_EPS * (1 + fabs(y)) - (isfinite(c->res[k]) ? c->res[k] : 0);
            prod *= g > 1e-300 ? g : 1e-300;
        }
        if (k == K && prod >= b->ethr)
            return 1;
    }
    return 0;
}

/* The tail table: the deepest run of untested depths after every rule and
 * interaction term is decided, with at most TAIL_MAX combinations. */
#define TAIL_MAX 64
static int tail_build(best *b)
{
    const sp_ctx *c = b->w.c;
    size_t I = c->I, K = c->K;
    size_t from = c->free_from > b->rules_done ? c->free_from : b->rules_done;
    size_t d = I, n = 1;
    while (d > from && n * c->nopt[d - 1] <= TAIL_MAX) {
        n *= c->nopt[d - 1];
        d--;
    }
    b->tail_d = I + 1; /* none */
    if (I - d < 2 || K == 0)
        return 0; /* one depth: its own bounds are exact enough */
    b->tail_v = pl__calloc(n * K, sizeof *b->tail_v);
    if (!b->tail_v)
        return -1;
    for (size_t x = 0; x < n; x++) {
        size_t rest = x;
        for (size_t e = I; e-- > d;) {
            size_t o = rest % c->nopt[e];
            rest /= c->nopt[e];
            for (size_t k = 0; k < K; k++)
                b->tail_v[x * K + k] += c->val[(c->vbase[e] + o) * K + k];
        }
    }
    /* Only the test "does any combination reach the threshold" is asked of
     * the table, and that test is monotone in every actor's value, so a
     * combination another one matches or beats for every actor can go
     * (of equal ones, the first stays). */
    size_t m = 0;
    for (size_t x = 0; x < n; x++) {
        const double *v = b->tail_v + x * K;
        int dominated = 0;
        for (size_t y = 0; y < n && !dominated; y++) {
            if (y == x)
                continue;
            const double *u = b->tail_v + y * K;
            size_t k = 0, strict = 0;
            for (; k < K && u[k] >= v[k]; k++)
                strict |= u[k] > v[k];
            dominated = k == K && (strict || y < x);
        }
        if (!dominated)
            memmove(b->tail_v + m++ * K, v, sizeof *v * K);
    }
    b->tail_d = d;
    b->tail_n = m;
    return 0;
}

static void best_node(best *b, size_t d)
{
    walker *w = &b->w;
    const sp_ctx *c = w->c;
    size_t K = c->K;
    if (b->oom)
        return;
    for (size_t k = 0; k < K; k++) {
        double hi = w->F[k] + c->sufmax[d * K + k] + w->pend_pos[k];
        if (hi < c->res[k] - SP_EPS * (1 + fabs(c->res[k])))
            return;
        b->hi[k] = hi + SP_EPS * (1 + fabs(hi));
    }
    double thr = best_threshold(b);
    thr = thr > b->floor ? thr : b->floor;
    if (b->tangent && thr > -INFINITY) {
        double t = b->tconst + b->tsuf[d];
        for (size_t k = 0; k < K; k++)
            t += b->tw[k] * (w->F[k] + w->pend_pos[k]);
        if (t + b->tmargin < thr)
            return;
    }
    if (thr > -INFINITY) {
        if (b->a->obj == SP_NASH) {
            /* The same test as below, as a product against exp(thr): no
             * logarithms on the hot path. The slack only weakens it. */
            double prod = 1;
            for (size_t k = 0; k < K; k++) {
                double dk = isfinite(c->res[k]) ? c->res[k] : 0;
                double g = b->hi[k] - dk;
                prod *= g > 1e-300 ? g : 1e-300;
            }
            if (thr != b->ethr_of) {
                b->ethr_of = thr;
                b->ethr = exp(thr) * (1 - 1e-9);
            }
            if (prod < b->ethr)
                return;
        } else if (sp_score(c, b->a, b->hi) < thr)
            return;
    }
    if (d == c->I) {
        if (accept_canon(w))
            best_offer(b);
        return;
    }
    if (d < b->rules_done && !rules_alive(w, d))
        return;
    if (d == b->tail_d && thr > -INFINITY && !tail_reaches(b, thr))
        return;
    size_t n = b->nord[d];
    const uint8_t *ord = b->ord + c->vbase[d];
    for (size_t x = 0; x < n; x++) {
        size_t o = ord[x];
        if (!walker_push(w, d, o))
            continue;
        best_node(b, d + 1);
        walker_pop(w, d, o);
    }
}

void sp_pkgs_free(sp_pkg *p, size_t n)
{
    if (!p)
        return;
    for (size_t k = 0; k < n; k++) {
        pl__free(p[k].opt);
        pl__free(p[k].u);
    }
    pl__free(p);
}

/* A hint that is itself acceptable starts the search with its score as a
 * floor (the winner scores at least that much, and the search still finds
 * the winner itself, so ties resolve exactly as without the hint) and its
 * gains as the tangent point. Without ties only: with ties, packages a little
 * below the best are part of the answer. */
static void hint_start(best *b, const long *hint)
{
    const sp_ctx *c = b->w.c;
    for (size_t i = 0; i < c->I; i++)
        if (hint[i] < 0 || (size_t)hint[i] >= c->sc->n_opts[i])
            return;
    for (size_t r = 0; r < c->n_rule; r++) {
        int v = px_eval3(c->rule[r].ex, hint, c->sc->n_opts);
        if (v != (c->rule[r].kind == PL_RULE_REQUIRE))
            return;
    }
    for (size_t k = 0; k < c->K; k++) {
        b->w.ucanon[k] = sp_utility(c, k, hint);
        if (b->w.ucanon[k] < c->res[k])
            return;
    }
    double s = sp_score(c, b->a, b->w.ucanon);
    if (!b->a->ties && s > -INFINITY)
        b->floor = s;
    tangent_at(b, b->w.ucanon);
}

/* Most promising option first (by the objective's own actor for SP_ACTOR,
 * by the summed value otherwise), so that good bounds come early. Fixed for
 * the whole search: it depends on the depth alone.
 *
 * When only the single best package is wanted, an option of an issue that no
 * expression tests is dropped if an option before it (a smaller index) is
 * worth at least as much to every actor: swapping it in gives a package no
 * worse for anyone (floating-point addition is monotone, so the canonical
 * sums keep the order), acceptable whenever the original is, and first in
 * package order -- so it wins any tie. Options scored identically, common
 * among the issues the considered actors barely care about, otherwise
 * multiply the ties the search must break. nord[d] is how many remain. */
static uint8_t *option_order(const sp_ctx *c, const sp_best_args *a, uint8_t *nord)
{
    size_t K = c->K;
    uint8_t *ord = pl__malloc(nz(c->vbase[c->I]));
    if (!ord)
        return NULL;
    int prune = a->top_k <= 1 && !a->ties;
    for (size_t d = 0; d < c->I; d++) {
        uint8_t *od = ord + c->vbase[d];
        double key[PL_MAX_OPTIONS];
        size_t m = 0;
        for (size_t o = 0; o < c->nopt[d]; o++) {
            const double *v = c->val + (c->vbase[d] + o) * K;
            if (prune && d >= c->free_from) {
                int dominated = 0;
                for (size_t p = 0; p < o && !dominated; p++) {
                    const double *u = c->val + (c->vbase[d] + p) * K;
                    size_t k = 0;
                    while (k < K && u[k] >= v[k])
                        k++;
                    dominated = k == K;
                }
                if (dominated)
                    continue;
            }
            double s = 0;
            if (a->obj == SP_ACTOR)
                s = v[a->actor_k];
            else
                for (size_t k = 0; k < K; k++)
                    s += v[k];
            key[o] = s;
            size_t y = m++;
            while (y > 0 && key[od[y - 1]] < s) {
                od[y] = od[y - 1];
                y--;
            }
            od[y] = (uint8_t)o;
        }
        nord[d] = (uint8_t)m;
    }
    return ord;
}

int sp_best(const sp_ctx *c, const sp_best_args *a, sp_pkg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    best b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.cap = (a->top_k ? a->top_k : 1) + 1;
    b.heap = pl__calloc(b.cap, sizeof *b.heap);
    b.hi = pl__malloc(sizeof *b.hi * (c->K ? c->K : 1));
    b.ord = option_order(c, a, b.nord);
    if (!b.heap || !b.hi || !b.ord || walker_init(&b.w, c) != 0) {
        walker_free(&b.w);
        pl__free(b.heap);
        pl__free(b.hi);
        pl__free(b.ord);
        return -1;
    }
    b.rules_done = rules_pending_after(c);
    b.floor = -INFINITY;
    b.tail_d = c->I + 1;
    if (a->obj == SP_NASH && tail_build(&b) != 0)
        b.oom = 1;
    b.ethr_of = NAN;
    if (is_nash(a)) {
        b.tw = pl__malloc(sizeof *b.tw * (c->K ? c->K : 1));
        b.tsuf = pl__malloc(sizeof *b.tsuf * (c->I + 1));
        if (!b.tw || !b.tsuf) {
            walker_free(&b.w);
            pl__free(b.heap);
            pl__free(b.hi);
            pl__free(b.ord);
            pl__free(b.tail_v);
            pl__free(b.tw);
            pl__free(b.tsuf);
            return -1;
        }
        if (a->hint && !b.w.dead)
            hint_start(&b, a->hint);
    }
    if (!b.w.dead)
        best_node(&b, 0);
    walker_free(&b.w);
    pl__free(b.hi);
    pl__free(b.ord);
    pl__free(b.tail_v);
    pl__free(b.tw);
    pl__free(b.tsuf);
    if (b.oom) {
        sp_pkgs_free(b.heap, b.n);
        return -1;
    }
    *out = b.heap;
    *n = b.n;
    return 0;
}

/* ---- Pareto frontier ---------------------------------------------------- */

/* Frontier utilities are compared on a grid of 1e-6 utility points: two
 * values that round to the same grid point are equal. Dominance is then exact
 * integer comparison and equal vectors merge reliably; the grid is coarse
 * enough that sums taken in different orders (errors near 1e-13) almost never
 * land on different points, and fine enough to mean nothing to an analyst. */
typedef int64_t snap_t;

static snap_t snap(double v)
{
    return (snap_t)llround(v * 1e6);
}

/* A point of a frontier: snapped vector, multiplicity (how many packages
 * share it) and how to rebuild one representative package. */
typedef struct fpt {
    snap_t *v;      /* K */
    uint64_t mult;
    uint64_t a, b;  /* representative: meaning depends on the set */
} fpt;

typedef struct fset {
    size_t n, K;
    double *v;      /* n * K: sums as doubles; compared after snap() */
    uint64_t *mult;
    uint64_t *a, *b;
} fset;

static void fset_free(fset *f)
{
    pl__free(f->v);
    pl__free(f->mult);
    pl__free(f->a);
    pl__free(f->b);
    memset(f, 0, sizeof *f);
}

static int fset_alloc(fset *f, size_t n, size_t K)
{
    memset(f, 0, sizeof *f);
    f->K = K;
    f->v = pl__malloc(sizeof *f->v * nz(n * K));
    f->mult = pl__malloc(sizeof *f->mult * (n ? n : 1));
    f->a = pl__malloc(sizeof *f->a * (n ? n : 1));
    f->b = pl__malloc(sizeof *f->b * (n ? n : 1));
    if (!f->v || !f->mult || !f->a || !f->b) {
        fset_free(f);
        return -1;
    }
    return 0;
}

static uint64_t add_sat(uint64_t x, uint64_t y)
{
    return x > UINT64_MAX - y ? UINT64_MAX : x + y;
}

/* qsort has no context argument in C11: the arrays being sorted, one set per
 * thread so that concurrent searches never share them. */
static _Thread_local const snap_t *g_sv;
static _Thread_local const uint64_t *g_sa, *g_sb;
static _Thread_local size_t g_sk;

static int lex_desc(const void *x, const void *y)
{
    size_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    const snap_t *p = g_sv + i * g_sk, *q = g_sv + j * g_sk;
    for (size_t k = 0; k < g_sk; k++)
        if (p[k] != q[k])
            return p[k] > q[k] ? -1 : 1;
    /* equal vectors: keep the representative that comes first */
    if (g_sa[i] != g_sa[j])
        return g_sa[i] < g_sa[j] ? -1 : 1;
    if (g_sb[i] != g_sb[j])
        return g_sb[i] < g_sb[j] ? -1 : 1;
    return 0;
}

typedef struct scand {
    snap_t sum;
    uint32_t idx;
} scand;

static int scand_cmp(const void *x, const void *y)
{
    const scand *a = x, *b = y;
    if (a->sum != b->sum)
        return a->sum > b->sum ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The non-dominated points of f, equal points merged (multiplicities added,
 * the first representative kept). Result into out, lexicographically
 * descending. Three or fewer actors: sweep on the first coordinate with a
 * Fenwick tree on the second holding the best third, O(n log n). More actors:
 * each point against the kept ones, in order of decreasing sum. */
/* A point's (y, z) on the staircase of kept points. */
typedef struct step2 {
    snap_t y, z;
} step2;

/* The staircase of points kept so far, projected on (y, z): y ascending, z
 * descending. */
typedef struct stair {
    step2 *s;
    size_t n;
} stair;

/* The first step with y' >= y (t->n if none). Without a branch on the
 * comparison (a conditional move): the sweeps ask this a few times per
 * point, and the outcomes are a coin toss for the branch predictor. */
static size_t stair_find(const stair *t, int64_t y)
{
    size_t n = t->n;
    if (n == 0)
        return 0;
    const step2 *b = t->s;
    while (n > 1) {
        size_t h = n / 2;
        b = b[h].y < y ? b + h : b;
        n -= h;
    }
    return (size_t)(b - t->s) + (b->y < y);
}

/* Some step with y' >= y and z' >= z? */
static int stair_covers(const stair *t, int64_t y, int64_t z)
{
    size_t lo = stair_find(t, y);
    return lo < t->n && t->s[lo].z >= z;
}

/* stair_add with lo = stair_find(t, y) already known. */
static void stair_add_at(stair *t, size_t lo, int64_t y, int64_t z)
{
    if (lo < t->n && t->s[lo].z >= z)
        return;
    /* Drop the steps (y, z) covers: y' <= y and z' <= z, just before lo (and
     * at lo when y' == y). */
    size_t end = lo < t->n && t->s[lo].y == y ? lo + 1 : lo;
    size_t beg = lo;
    while (beg > 0 && t->s[beg - 1].z <= z)
        beg--;
    memmove(t->s + beg + 1, t->s + end, sizeof *t->s * (t->n - end));
    t->n = t->n - (end - beg) + 1;
    t->s[beg] = (step2){y, z};
}

static void stair_add(stair *t, int64_t y, int64_t z)
{
    stair_add_at(t, stair_find(t, y), y, z);
}

static int fset_pareto_runs(fset *f, fset *out, size_t nruns);

/* idx[0, n) = the indices 0..n-1 in cmp order, given nruns consecutive runs
 * (run r from start[r] to start[r+1], the last to n) each sorted but for
 * neighbours that round to a grid differently -- a sorted frontier shifted
 * by one option each: a k-way merge of the runs by their heads, then an
 * insertion pass for those local swaps. */
/* Always inlined: each caller's comparison is then inlined into its copy
 * (a call per comparison was a sixth of a frontier build). */
static inline __attribute__((always_inline)) void
merge_runs(uint32_t *idx, size_t n, const size_t *start, size_t nruns,
           int (*cmp)(const void *, const void *))
{
    size_t head[PL_MAX_OPTIONS];
    for (size_t r = 0; r < nruns; r++)
        head[r] = start[r];
    for (size_t x = 0; x < n; x++) {
        size_t pick = nruns;
        uint32_t bi = 0;
        for (size_t r = 0; r < nruns; r++) {
            size_t end = r + 1 < nruns ? start[r + 1] : n;
            if (head[r] == end)
                continue;
            uint32_t ci = (uint32_t)head[r];
            if (pick == nruns || cmp(&ci, &bi) < 0) {
                pick = r;
                bi = ci;
            }
        }
        idx[x] = bi;
        head[pick]++;
    }
    for (size_t x = 1; x < n; x++) {
        uint32_t t = idx[x];
        size_t y = x;
        while (y > 0 && cmp(&t, &idx[y - 1]) < 0) {
            idx[y] = idx[y - 1];
            y--;
        }
        idx[y] = t;
    }
}

static int fset_pareto(fset *f, fset *out)
{
    return fset_pareto_runs(f, out, 1);
}

/* nruns > 1: f holds nruns equal-length runs, each already in (nearly)
 * lexicographically descending order, as when a sorted frontier is shifted by
 * each option of an issue; they are merged instead of sorted. */
static int fset_pareto_runs(fset *f, fset *out, size_t nruns)
{
    size_t n = f->n, K = f->K;
    uint32_t *idx = pl__malloc(sizeof *idx * (n ? n : 1));
    unsigned char *keep = pl__calloc(n ? n : 1, 1);
    snap_t *sv = pl__malloc(sizeof *sv * nz(n * K));
    step2 *st2 = NULL;
    scand *cs = NULL;
    uint32_t *kept = NULL;
    int rc = -1;
    if (!idx || !keep || !sv)
        goto done;
    for (size_t x = 0; x < n * K; x++)
        sv[x] = snap(f->v[x]);
    for (size_t x = 0; x < n; x++)
        idx[x] = (uint32_t)x;
    g_sv = sv;
    g_sa = f->a;
    g_sb = f->b;
    g_sk = K;
    if (nruns > 1 && n % nruns == 0 && nruns <= PL_MAX_OPTIONS) {
        size_t start[PL_MAX_OPTIONS];
        for (size_t r = 0; r < nruns; r++)
            start[r] = r * (n / nruns);
        merge_runs(idx, n, start, nruns, lex_desc);
    } else {
        qsort(idx, n, sizeof *idx, lex_desc);
    }
    /* merge equal vectors into the first of each run */
    size_t m = 0;
    for (size_t x = 0; x < n; x++) {
        if (m > 0 && memcmp(sv + (size_t)idx[m - 1] * K, sv + (size_t)idx[x] * K,
                            sizeof *sv * K) == 0) {
            f->mult[idx[m - 1]] = add_sat(f->mult[idx[m - 1]], f->mult[idx[x]]);
            continue;
        }
        idx[m++] = idx[x];
    }
    if (K <= 3) {
        /* In lexicographically descending order every earlier point has a
         * first coordinate at least as large, so p is dominated exactly when
         * an earlier kept point is at least as good in (y, z) (vectors are
         * distinct now). The kept points' (y, z) frontier is a staircase:
         * y ascending, z descending; the first step with y' >= y has the
         * largest z' among them. */
        st2 = pl__malloc(sizeof *st2 * (m ? m : 1));
        if (!st2)
            goto done;
        stair t = {st2, 0};
        for (size_t x = 0; x < m; x++) {
            const snap_t *p = sv + (size_t)idx[x] * K;
            snap_t y = K > 1 ? p[1] : 0, z = K > 2 ? p[2] : 0;
            if (stair_covers(&t, y, z))
                continue;
            keep[x] = 1;
            stair_add(&t, y, z);
        }
    } else {
        cs = pl__malloc(sizeof *cs * (m ? m : 1));
        kept = pl__malloc(sizeof *kept * (m ? m : 1));
        if (!cs || !kept)
            goto done;
        for (size_t x = 0; x < m; x++) {
            snap_t sum = 0;
            for (size_t k = 0; k < K; k++)
                sum += sv[(size_t)idx[x] * K + k];
            cs[x] = (scand){sum, (uint32_t)x};
        }
        qsort(cs, m, sizeof *cs, scand_cmp);
        size_t nk = 0;
        for (size_t x = 0; x < m; x++) {
            const snap_t *p = sv + (size_t)idx[cs[x].idx] * K;
            int dom = 0;
            for (size_t y = 0; y < nk && !dom; y++) {
                const snap_t *q = sv + (size_t)idx[kept[y]] * K;
                int ge = 1;
                for (size_t k = 0; k < K && ge; k++)
                    ge = q[k] >= p[k];
                dom = ge; /* distinct vectors: >= everywhere means strictly better */
            }
            if (!dom) {
                kept[nk++] = cs[x].idx;
                keep[cs[x].idx] = 1;
            }
        }
    }
    size_t nk = 0;
    for (size_t x = 0; x < m; x++)
        nk += keep[x];
    if (fset_alloc(out, nk, K) != 0)
        goto done;
    out->n = 0;
    for (size_t x = 0; x < m; x++) {
        if (!keep[x])
            continue;
        size_t src = idx[x], dst = out->n++;
        memcpy(out->v + dst * K, f->v + src * K, sizeof *f->v * K);
        out->mult[dst] = f->mult[src];
        out->a[dst] = f->a[src];
        out->b[dst] = f->b[src];
    }
    rc = 0;
done:
    pl__free(idx);
    pl__free(keep);
    pl__free(sv);
    pl__free(st2);
    pl__free(cs);
    pl__free(kept);
    return rc;
}

typedef struct prefix_walk {
    walker w;
    size_t f;
    size_t rules_done;
    fset acc;          /* prefix vectors so far */
    size_t cap;
    int oom;
} prefix_walk;

/* Encode the prefix (depths < f) as a mixed-radix number. */
static uint64_t prefix_code(const sp_ctx *c, const long *pkg, size_t f)
{
    uint64_t code = 0;
    for (size_t d = 0; d < f; d++)
        code = code * c->nopt[d] + (uint64_t)pkg[c->order[d]];
    return code;
}

static void prefix_decode(const sp_ctx *c, uint64_t code, size_t f, long *pkg)
{
    for (size_t d = f; d-- > 0;) {
        pkg[c->order[d]] = (long)(code % c->nopt[d]);
        code /= c->nopt[d];
    }
}

/* Reduce the prefix vectors to their frontier in place: the buffers keep
 * their capacity, so the walk refills them without growing them again (fresh
 * memory costs a page fault per page). */
static int prefix_compact(prefix_walk *P)
{
    fset out;
    if (fset_pareto(&P->acc, &out) != 0)
        return -1;
    fset *a = &P->acc;
    if (!a->v) {
        /* Nothing was ever stored (no prefix qualifies): take out as it is. */
        fset_free(a);
        *a = out;
        P->cap = out.n;
        return 0;
    }
    size_t K = a->K ? a->K : 1;
    memcpy(a->v, out.v, sizeof *a->v * out.n * K);
    memcpy(a->mult, out.mult, sizeof *a->mult * out.n);
    memcpy(a->a, out.a, sizeof *a->a * out.n);
    memcpy(a->b, out.b, sizeof *a->b * out.n);
    a->n = out.n;
    fset_free(&out);
    return 0;
}

static void prefix_node(prefix_walk *P, size_t d)
{
    walker *w = &P->w;
    const sp_ctx *c = w->c;
    size_t K = c->K;
    if (P->oom || !walker_reaches(w, d))
        return;
    if (d < P->rules_done && !rules_alive(w, d))
        return;
    if (d == P->f) {
        fset *a = &P->acc;
        if (a->n == P->cap) {
            /* Keep memory bounded: drop dominated prefixes as we go. */
            if (a->n >= 65536 && prefix_compact(P) != 0) {
                P->oom = 1;
                return;
            }
            if (a->n == P->cap) {
                size_t nc = P->cap ? P->cap * 2 : 65536;
                double *nv = pl__realloc(a->v, sizeof *nv * nc * (K ? K : 1));
                if (nv)
                    a->v = nv;
                uint64_t *nm = pl__realloc(a->mult, sizeof *nm * nc);
                if (nm)
                    a->mult = nm;
                uint64_t *na = pl__realloc(a->a, sizeof *na * nc);
                if (na)
                    a->a = na;
                uint64_t *nb = pl__realloc(a->b, sizeof *nb * nc);
                if (nb)
                    a->b = nb;
                if (!nv || !nm || !na || !nb) {
                    P->oom = 1;
                    return;
                }
                P->cap = nc;
            }
        }
        size_t x = a->n++;
        for (size_t k = 0; k < K; k++)
            a->v[x * K + k] = w->F[k];
        a->mult[x] = 1;
        a->a[x] = prefix_code(c, w->pkg, P->f);
        a->b[x] = 0;
        return;
    }
    for (size_t o = 0; o < c->nopt[d]; o++) {
        if (!walker_push(w, d, o))
            continue;
        prefix_node(P, d + 1);
        walker_pop(w, d, o);
    }
}

typedef struct fsort {
    double sum;
    size_t idx;
    const long *pk;
    size_t I;
} fsort;

static int fsort_cmp(const void *x, const void *y)
{
    const fsort *a = x, *b = y;
    if (a->sum != b->sum)
        return a->sum > b->sum ? -1 : 1;
    for (size_t i = 0; i < a->I; i++)
        if (a->pk[i] != b->pk[i])
            return a->pk[i] < b->pk[i] ? -1 : 1;
    return 0;
}

/* The prefix (tested issues, with their constraints, red lines and bonuses) is
 * enumerated and its vectors reduced to their frontier; then the untested
 * issues are added one at a time, keeping only the frontier of the partial
 * sums (for additive values the frontier of a sum is the frontier of the sum
 * of frontiers). Last, in the ZOPA scope, the points that reach every
 * reservation are kept, which is exact because anything that dominates an
 * acceptable point is acceptable too. */
int sp_pareto(const sp_ctx *c, sp_pkg **out, size_t *n, uint64_t *count)
{
    *out = NULL;
    *n = 0;
    *count = 0;
    size_t I = c->I, K = c->K, f = c->free_from;
    int rc = -1;
    fset *lv = pl__calloc(I + 1, sizeof *lv); /* lv[d]: frontier after depths < d */
    prefix_walk P;
    memset(&P, 0, sizeof P);
    long *pk = pl__malloc(sizeof *pk * (I ? I : 1));
    sp_pkg *res = NULL;
    fsort *fs = NULL;
    if (!lv || !pk)
        goto done;
    if (walker_init(&P.w, c) != 0)
        goto done;
    P.f = f;
    P.acc.K = K;
    P.rules_done = rules_pending_after(c);
    if (!P.w.dead)
        prefix_node(&P, 0);
    if (P.oom || prefix_compact(&P) != 0)
        goto done;
    lv[f] = P.acc;
    memset(&P.acc, 0, sizeof P.acc);
    /* One buffer for every depth's candidate sums, grown when needed: fresh
     * allocations of that size cost page faults each time. */
    fset all;
    size_t all_cap = 0;
    memset(&all, 0, sizeof all);
    for (size_t d = f; d < I; d++) {
        const fset *prev = &lv[d];
        size_t no = c->nopt[d];
        if (prev->n * no > all_cap) {
            fset_free(&all);
            all_cap = prev->n * no * 2;
            if (fset_alloc(&all, all_cap, K) != 0)
                goto done;
        }
        all.n = prev->n * no;
        for (size_t o = 0; o < no; o++)
            for (size_t j = 0; j < prev->n; j++) {
                size_t x = o * prev->n + j;
                const double *ov = c->val + (c->vbase[d] + o) * K;
                for (size_t k = 0; k < K; k++)
                    all.v[x * K + k] = prev->v[j * K + k] + ov[k];
                all.mult[x] = prev->mult[j];
                all.a[x] = j;  /* parent */
                all.b[x] = o;  /* option at depth d */
            }
        int r = fset_pareto_runs(&all, &lv[d + 1], no);
        if (r != 0) {
            fset_free(&all);
            goto done;
        }
    }
    fset_free(&all);
    const fset *fin = &lv[I];
    /* Rebuild a representative package per point; keep those that reach
     * every reservation (canonical utilities, as evaluate computes them). */
    res = pl__calloc(fin->n ? fin->n : 1, sizeof *res);
    fs = pl__malloc(sizeof *fs * (fin->n ? fin->n : 1));
    if (!res || !fs)
        goto done;
    size_t m = 0;
    uint64_t total = 0;
    for (size_t x = 0; x < fin->n; x++) {
        for (size_t i = 0; i < I; i++)
            pk[i] = -1;
        uint64_t j = x;
        for (size_t d = I; d-- > f;) {
            pk[c->order[d]] = (long)lv[d + 1].b[j];
            j = lv[d + 1].a[j];
        }
        prefix_decode(c, lv[f].a[j], f, pk);
        res[m].opt = pl__malloc(sizeof *res[m].opt * (I ? I : 1));
        res[m].u = pl__malloc(sizeof *res[m].u * (K ? K : 1));
        if (!res[m].opt || !res[m].u) {
            pl__free(res[m].opt);
            pl__free(res[m].u);
            goto done;
        }
        memcpy(res[m].opt, pk, sizeof *pk * I);
        int ok = 1;
        double sum = 0;
        for (size_t k = 0; k < K; k++) {
            res[m].u[k] = sp_utility(c, k, pk);
            sum += res[m].u[k];
            ok &= res[m].u[k] >= c->res[k];
        }
        if (!ok) {
            pl__free(res[m].opt);
            pl__free(res[m].u);
            continue;
        }
        res[m].score = sum;
        total = add_sat(total, fin->mult[x]);
        fs[m] = (fsort){sum, m, res[m].opt, I};
        m++;
    }
    qsort(fs, m, sizeof *fs, fsort_cmp);
    sp_pkg *sorted = pl__calloc(m ? m : 1, sizeof *sorted);
    if (!sorted) {
        for (size_t x = 0; x < m; x++) {
            pl__free(res[x].opt);
            pl__free(res[x].u);
        }
        goto done;
    }
    for (size_t x = 0; x < m; x++)
        sorted[x] = res[fs[x].idx];
    *out = sorted;
    *n = m;
    *count = total;
    rc = 0;
done:
    pl__free(res);
    pl__free(fs);
    if (lv)
        for (size_t d = 0; d <= I; d++)
            fset_free(&lv[d]);
    pl__free(lv);
    fset_free(&P.acc);
    walker_free(&P.w);
    pl__free(pk);
    return rc;
}

/* ---- a frontier kept for many Nash searches ----------------------------- */

/* Points on a grid of SP_FRONT_GRID, so that "at least as good" is exact
 * integer comparison and transitive; three coordinates always (missing
 * actors are 0). */
typedef struct mset {
    size_t n, cap, K;
    double *v;       /* n * K */
    uint64_t *code;
    uint8_t *sh;
} mset;

static void mset_free(mset *s)
{
    pl__free(s->v);
    pl__free(s->code);
    pl__free(s->sh);
    memset(s, 0, sizeof *s);
}

static int mset_reserve(mset *s, size_t n)
{
    if (n <= s->cap)
        return 0;
    size_t nc = s->cap ? s->cap : 1024;
    while (nc < n)
        nc *= 2;
    size_t K = s->K ? s->K : 1;
    double *v = pl__realloc(s->v, sizeof *v * nc * K);
    if (v)
        s->v = v;
    uint64_t *code = pl__realloc(s->code, sizeof *code * nc);
    if (code)
        s->code = code;
    uint8_t *sh = pl__realloc(s->sh, nc);
    if (sh)
        s->sh = sh;
    if (!v || !code || !sh)
        return -1;
    s->cap = nc;
    return 0;
}

/* llround(y) without the library call (y well inside the int64 range, as
 * the build's bound on the sums ensures): the difference from the truncated
 * value is exact, and halves go away from zero. */
static inline int64_t round_away(double y)
{
    int64_t i = (int64_t)y;
    double fr = y - (double)i;
    return i + (fr >= 0.5) - (fr <= -0.5);
}

static _Thread_local const int64_t *g_fv;
static _Thread_local const uint64_t *g_fc;

static int front_cmp(const void *x, const void *y)
{
    size_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    const int64_t *p = g_fv + 3 * i, *q = g_fv + 3 * j;
    for (size_t k = 0; k < 3; k++)
        if (p[k] != q[k])
            return p[k] > q[k] ? -1 : 1;
    return g_fc[i] < g_fc[j] ? -1 : g_fc[i] > g_fc[j];
}

/* Scratch of the reductions, kept across them: fresh memory costs a page
 * fault per page. */
typedef struct mwork {
    size_t cap;
    int64_t *sv;
    uint32_t *idx, *sl;
    unsigned char *keep;
    step2 *t1, *t2;
    mset out;
} mwork;

static void mwork_free(mwork *w)
{
    pl__free(w->sv);
    pl__free(w->idx);
    pl__free(w->sl);
    pl__free(w->keep);
    pl__free(w->t1);
    pl__free(w->t2);
    mset_free(&w->out);
    memset(w, 0, sizeof *w);
}

static int mwork_reserve(mwork *w, size_t n)
{
    if (n <= w->cap)
        return 0;
    size_t nc = w->cap ? w->cap : 1024;
    while (nc < n)
        nc *= 2;
    pl__free(w->sv);
    pl__free(w->idx);
    pl__free(w->sl);
    pl__free(w->keep);
    pl__free(w->t1);
    pl__free(w->t2);
    w->sv = pl__malloc(sizeof *w->sv * 3 * nc);
    w->idx = pl__malloc(sizeof *w->idx * nc);
    w->sl = pl__malloc(sizeof *w->sl * nc);
    w->keep = pl__malloc(nc);
    w->t1 = pl__malloc(sizeof *w->t1 * nc);
    w->t2 = pl__malloc(sizeof *w->t2 * nc);
    if (!w->sv || !w->idx || !w->sl || !w->keep || !w->t1 || !w->t2) {
        w->cap = 0;
        return -1;
    }
    w->cap = nc;
    return 0;
}

/* Reduce s in place to the points no other point dominates with a margin:
 * q dominates p when q >= p on the grid for every actor and q >= p + D for
 * one. That relation is transitive, and whatever dominates p with a margin,
 * some point of the ordinary frontier S (no point >= and different) does
 * too, so p stays exactly when it is in S or no point of S is >= p + D e_j
 * for any j. Sweeping in lexicographically descending order, every point
 * >= p comes before p: staircase one holds S so far (the y and z shifts),
 * staircase two the points of S at least D ahead on the first coordinate.
 * Equal sums to the last bit: the package first in package order stays,
 * flagged.
 *
 * nruns > 1: s holds nruns consecutive runs (starts in run[]), each sorted
 * but for neighbours that round to the grid differently -- a sorted set
 * shifted by one option each -- and they are merged instead of sorted. */
static int mset_reduce(mset *s, mwork *w, const size_t *run, size_t nruns)
{
    size_t n = s->n, K = s->K;
    w->out.K = K;
    w->out.n = 0;
    if (mwork_reserve(w, n ? n : 1) != 0 || mset_reserve(&w->out, n ? n : 1) != 0)
        return -1;
    int64_t *sv = w->sv;
    uint32_t *idx = w->idx, *sl = w->sl;
    unsigned char *keep = w->keep;
    stair t1 = {w->t1, 0}, t2 = {w->t2, 0};
    memset(keep, 0, n);
    for (size_t x = 0; x < n; x++) {
        for (size_t k = 0; k < 3; k++)
            sv[3 * x + k] = k < K ? round_away(s->v[x * K + k] / SP_FRONT_GRID) : 0;
    }
    g_fv = sv;
    g_fc = s->code;
    if (nruns > 1 && nruns <= PL_MAX_OPTIONS) {
        merge_runs(idx, n, run, nruns, front_cmp);
    } else {
        for (size_t x = 0; x < n; x++)
            idx[x] = (uint32_t)x;
        qsort(idx, n, sizeof *idx, front_cmp);
    }
    const int64_t D = (int64_t)llround(SP_FRONT_MARGIN / SP_FRONT_GRID);
    size_t ns = 0, ptr = 0;
    for (size_t r = 0; r < n; r++) {
        size_t x = idx[r];
        const int64_t *p = sv + 3 * x;
        /* the same sums to the last bit as a point kept before it (they are
         * neighbours on the grid, so a short look back finds it) */
        int same = 0;
        for (size_t q = r; q-- > 0 && !same;) {
            size_t y = idx[q];
            if (memcmp(sv + 3 * y, p, sizeof *p * 3) != 0)
                break;
            if (keep[y] && memcmp(s->v + y * K, s->v + x * K, sizeof *s->v * K) == 0) {
                s->sh[y] = 1;
                same = 1;
            }
        }
        if (same)
            continue;
        /* One search on staircase one answers both questions at y = p[1]:
         * is p covered, and is it covered with z ahead by D. */
        size_t lo = stair_find(&t1, p[1]);
        if (lo == t1.n || t1.s[lo].z < p[2]) {
            keep[x] = 1;
            sl[ns++] = (uint32_t)x;
            stair_add_at(&t1, lo, p[1], p[2]);
            continue;
        }
        while (ptr < ns && sv[3 * sl[ptr]] >= p[0] + D) {
            stair_add(&t2, sv[3 * sl[ptr] + 1], sv[3 * sl[ptr] + 2]);
            ptr++;
        }
        if (t1.s[lo].z >= p[2] + D || stair_covers(&t2, p[1], p[2]) ||
            stair_covers(&t1, p[1] + D, p[2]))
            continue;
        keep[x] = 1;
    }
    mset *out = &w->out;
    for (size_t r = 0; r < n; r++) {
        size_t x = idx[r];
        if (!keep[x])
            continue;
        memcpy(out->v + out->n * K, s->v + x * K, sizeof *s->v * K);
        out->code[out->n] = s->code[x];
        out->sh[out->n] = s->sh[x];
        out->n++;
    }
    /* The result becomes s; s's buffers become the next output's. */
    mset t = *s;
    *s = *out;
    *out = t;
    return 0;
}

typedef struct front_walk {
    walker w;
    const long *fixed;
    const uint64_t *rad; /* per issue: its weight in the package code */
    size_t f, rules_done;
    mset acc;
    mwork *work;
    int oom;
} front_walk;

static void front_prefix(front_walk *P, size_t d)
{
    walker *w = &P->w;
    const sp_ctx *c = w->c;
    size_t K = c->K;
    if (P->oom || !walker_reaches(w, d))
        return;
    if (d < P->rules_done && !rules_alive(w, d))
        return;
    if (d == P->f) {
        mset *a = &P->acc;
        if (a->n == a->cap && a->n >= 65536 && mset_reduce(a, P->work, NULL, 1) != 0) {
            P->oom = 1;
            return;
        }
        if (mset_reserve(a, a->n + 1) != 0) {
            P->oom = 1;
            return;
        }
        uint64_t code = 0;
        for (size_t e = 0; e < P->f; e++)
            code += (uint64_t)w->pkg[c->order[e]] * P->rad[c->order[e]];
        memcpy(a->v + a->n * K, w->F, sizeof *w->F * K);
        a->code[a->n] = code;
        a->sh[a->n] = 0;
        a->n++;
        return;
    }
    long fx = P->fixed ? P->fixed[c->order[d]] : -1;
    for (size_t o = 0; o < c->nopt[d]; o++) {
        if (fx >= 0 && (long)o != fx)
            continue;
        if (!walker_push(w, d, o))
            continue;
        front_prefix(P, d + 1);
        walker_pop(w, d, o);
    }
}

/* Issue d's options as points into g (scores from val, codes o * rad),
 * those allow strikes out left out (allow NULL: none), and, when prune,
 * those an earlier allowed option matches or beats for every actor; fixed
 * >= 0: that option alone. */
static int issue_points(const sp_ctx *c, size_t d, const double *val,
                        const unsigned char *allow, int prune, long fixed, uint64_t rad,
                        mset *g)
{
    size_t K = c->K, base = c->vbase[d];
    g->K = K;
    g->n = 0;
    for (size_t o = 0; o < c->nopt[d]; o++) {
        if ((fixed >= 0 && (long)o != fixed) || (allow && !allow[base + o]))
            continue;
        const double *v = val + (base + o) * K;
        int dominated = 0;
        for (size_t q = 0; q < o && !dominated && prune && fixed < 0; q++) {
            const double *u = val + (base + q) * K;
            size_t k = 0;
            while (k < K && u[k] >= v[k])
                k++;
            dominated = (!allow || allow[base + q]) && k == K;
        }
        if (dominated)
            continue;
        if (mset_reserve(g, g->n + 1) != 0)
            return -1;
        memcpy(g->v + g->n * K, v, sizeof *v * K);
        g->code[g->n] = (uint64_t)o * rad;
        g->sh[g->n] = 0;
        g->n++;
    }
    return 0;
}

/* acc becomes acc + g, reduced: every kept point plus each point of g (one
 * run of acc's points per point of g, so that the reduction merges rather
 * than sorts), less the sums that cannot reach c->res with rest (per actor)
 * still to come. nx is scratch, swapped with acc. */
static int mset_step(const sp_ctx *c, mset *acc, mset *nx, const mset *g, const double *rest,
                     mwork *mw)
{
    size_t K = c->K;
    nx->K = K;
    nx->n = 0;
    if (mset_reserve(nx, acc->n * g->n) != 0)
        return -1;
    size_t run[PL_MAX_OPTIONS];
    for (size_t x = 0; x < g->n; x++) {
        if (x < PL_MAX_OPTIONS)
            run[x] = nx->n;
        for (size_t j = 0; j < acc->n; j++) {
            double *dst = nx->v + nx->n * K;
            int reach = 1;
            for (size_t k = 0; k < K; k++) {
                dst[k] = acc->v[j * K + k] + g->v[x * K + k];
                reach &= !(dst[k] + rest[k] < c->res[k] - SP_EPS * (1 + fabs(c->res[k])));
            }
            if (!reach)
                continue;
            nx->code[nx->n] = acc->code[j] + g->code[x];
            nx->sh[nx->n] = acc->sh[j] | g->sh[x];
            nx->n++;
        }
    }
    int merge = g->n <= PL_MAX_OPTIONS;
    if (mset_reduce(nx, mw, merge ? run : NULL, merge ? g->n : 1) != 0)
        return -1;
    mset t = *acc;
    *acc = *nx;
    *nx = t;
    return 0;
}

/* ---- the tested issues in independent groups ------------------------- */

/* With the moved issues fixed, many rules and interaction terms test one
 * free issue or none: those become options struck out, bonuses folded into
 * an option's scores, a constant bonus, or (a rule broken outright) an empty
 * frontier. The rest tie the free tested issues into groups that share no
 * expression. Each group is enumerated alone and reduced, and then the
 * groups, the single issues and the base are added up step by step like the
 * untested issues: enumerating the sum of the groups' sizes instead of
 * their product. */

typedef struct fg_walk {
    const sp_ctx *c;
    long *pkg;              /* fixed issues set, every other -1 */
    const size_t *dep;      /* the group's depths, ascending */
    size_t n_dep;
    const uint32_t *rule;   /* its rules and interaction terms */
    size_t n_rule;
    const uint32_t *inter;
    size_t n_inter;
    const unsigned char *allow; /* allow[vbase[d] + o] */
    const double *oval;     /* (vbase[d] + o) * K + k: unary bonuses folded in */
    const double *gsuf;     /* (j * K + k): best of the group's depths >= j */
    const double *need;     /* K: what the group must reach */
    const uint64_t *rad;
    double *F;              /* (n_dep + 1) * K: partial sums by level */
    uint64_t *code;         /* n_dep + 1 */
    mset *out;
    int oom;
} fg_walk;

static void fg_enum(fg_walk *G, size_t j)
{
    const sp_ctx *c = G->c;
    size_t K = c->K;
    const double *F = G->F + j * K;
    for (size_t k = 0; k < K; k++)
        if (F[k] + G->gsuf[j * K + k] < G->need[k])
            return;
    if (j == G->n_dep) {
        mset *o = G->out;
        if (mset_reserve(o, o->n + 1) != 0) {
            G->oom = 1;
            return;
        }
        double *v = o->v + o->n * K;
        memcpy(v, F, sizeof *v * K);
        for (size_t q = 0; q < G->n_inter; q++) {
            const sp_inter *in = &c->inter[G->inter[q]];
            if (px_eval3(in->ex, G->pkg, c->sc->n_opts) == 1)
                v[in->owner] += in->bonus;
        }
        o->code[o->n] = G->code[j];
        o->sh[o->n] = 0;
        o->n++;
        return;
    }
    size_t d = G->dep[j], i = c->order[d];
    for (size_t o = 0; o < c->nopt[d] && !G->oom; o++) {
        if (!G->allow[c->vbase[d] + o])
            continue;
        G->pkg[i] = (long)o;
        int ok = 1;
        for (size_t r = 0; r < G->n_rule && ok; r++)
            ok = rule_ok(&c->rule[G->rule[r]], G->pkg, c->sc->n_opts);
        if (ok) {
            const double *v = G->oval + (c->vbase[d] + o) * K;
            for (size_t k = 0; k < K; k++)
                G->F[(j + 1) * K + k] = F[k] + v[k];
            G->code[j + 1] = G->code[j] + (uint64_t)o * G->rad[i];
            fg_enum(G, j + 1);
        }
    }
    G->pkg[i] = -1;
}

static size_t find_root(size_t *up, size_t x)
{
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

int pl__sp_front_plain = 0;

/* The tested depths [0, f) with the fixed options, as described above, into
 * acc (reduced). Returns 0, -1 out of memory, 1 when it does not apply (too
 * many reductions for the slack: the plain enumeration is used). */
static int front_groups(const sp_ctx *c, const long *fixed, const uint64_t *rad, mwork *mw,
                        mset *acc, mset *nx)
{
    size_t I = c->I, K = c->K, f = c->free_from, R = c->n_rule, Q = c->n_inter;
    size_t O = c->vbase[I > 0 ? I - 1 : 0] + (I > 0 ? c->nopt[I - 1] : 0);
    const size_t *nopts = c->sc->n_opts;
    int rc = -1;
    long *pkg = pl__malloc(sizeof *pkg * (I ? I : 1));
    size_t *up = pl__malloc(sizeof *up * (I ? I : 1));
    size_t *rfree = pl__malloc(sizeof *rfree * (R + Q + 1)); /* a free issue, or I */
    size_t *rcnt = pl__malloc(sizeof *rcnt * (R + Q + 1));
    unsigned char *allow = pl__malloc(O ? O : 1);
    double *oval = pl__malloc(sizeof *oval * (O ? O : 1) * K);
    unsigned char *used = pl__malloc(I ? I : 1);
    uint32_t *lst = pl__malloc(sizeof *lst * (R + Q + 1));
    size_t *dep = pl__malloc(sizeof *dep * (I ? I : 1));
    double *Fs = pl__malloc(sizeof *Fs * (I + 1) * K);
    uint64_t *codes = pl__malloc(sizeof *codes * (I + 1));
    double *gsuf = pl__malloc(sizeof *gsuf * (I + 1) * K);
    double *dmax = pl__malloc(sizeof *dmax * (I + 1) * K); /* per depth */
    double *pmax = pl__malloc(sizeof *pmax * (I + 1) * K);  /* per part */
    size_t *pfirst = pl__malloc(sizeof *pfirst * (I + 1)); /* per part: its first depth */
    size_t *root = pl__malloc(sizeof *root * (I ? I : 1));   /* per depth: its group */
    mset *gset = pl__calloc(I + 1, sizeof *gset);
    if (!pkg || !up || !rfree || !rcnt || !allow || !oval || !used || !lst || !dep || !Fs ||
        !codes || !gsuf || !dmax || !pmax || !pfirst || !root || !gset)
        goto done;
    double base[3] = {0, 0, 0};
    uint64_t base_code = 0;
    for (size_t i = 0; i < I; i++)
        pkg[i] = fixed ? fixed[i] : -1;
    for (size_t d = 0; d < I; d++) {
        up[d] = d;
        size_t i = c->order[d];
        /* (fixed untested issues are added by the untested steps) */
        if (d < f && fixed && fixed[i] >= 0) {
            for (size_t k = 0; k < K; k++)
                base[k] += c->val[(c->vbase[d] + (size_t)fixed[i]) * K + k];
            base_code += (uint64_t)fixed[i] * rad[i];
        }
    }
    memcpy(oval, c->val, sizeof *oval * O * K);
    memset(allow, 1, O);
    acc->n = 0;
    /* Each expression's free issues: none, one, or a group's tie. */
    int broken = 0;
    for (size_t x = 0; x < R + Q; x++) {
        const px_expr *ex = x < R ? c->rule[x].ex : c->inter[x - R].ex;
        memset(used, 0, I);
        px_issues_used(ex, used);
        rcnt[x] = 0;
        rfree[x] = I;
        for (size_t d = 0; d < f; d++) {
            size_t i = c->order[d];
            if (!used[i] || (fixed && fixed[i] >= 0))
                continue;
            if (rcnt[x]++ == 0)
                rfree[x] = d;
            else
                up[find_root(up, d)] = find_root(up, rfree[x]);
        }
        if (rcnt[x] == 0) {
            if (x < R)
                broken |= !rule_ok(&c->rule[x], pkg, nopts);
            else if (px_eval3(ex, pkg, nopts) == 1)
                base[c->inter[x - R].owner] += c->inter[x - R].bonus;
        } else if (rcnt[x] == 1) {
            size_t d = rfree[x], i = c->order[d];
            for (size_t o = 0; o < c->nopt[d]; o++) {
                pkg[i] = (long)o;
                if (x < R)
                    allow[c->vbase[d] + o] &= (unsigned char)rule_ok(&c->rule[x], pkg, nopts);
                else if (px_eval3(ex, pkg, nopts) == 1)
                    oval[(c->vbase[d] + o) * K + (size_t)c->inter[x - R].owner] +=
                        c->inter[x - R].bonus;
            }
            pkg[i] = -1;
        }
    }
    if (broken) {
        rc = 0; /* nothing is acceptable: an empty frontier */
        goto done;
    }
    /* Each free tested issue's best allowed option, per actor. */
    for (size_t d = 0; d < f; d++) {
        if (fixed && fixed[c->order[d]] >= 0)
            continue;
        for (size_t k = 0; k < K; k++) {
            double hi = -INFINITY;
            for (size_t o = 0; o < c->nopt[d]; o++)
                if (allow[c->vbase[d] + o])
                    hi = fmax(hi, oval[(c->vbase[d] + o) * K + k]);
            if (hi == -INFINITY) {
                rc = 0; /* an issue with every option struck out */
                goto done;
            }
            dmax[d * K + k] = hi;
        }
    }
    /* The parts, in depth order of their first issue: a group's members
     * share the root find_root gives. */
    size_t n_part = 0;
    for (size_t d = 0; d < f; d++)
        root[d] = find_root(up, d);
    for (size_t d = 0; d < f; d++) {
        size_t i = c->order[d];
        if (fixed && fixed[i] >= 0)
            continue;
        size_t p = n_part;
        for (size_t q = 0; q < n_part; q++)
            if (root[pfirst[q]] == root[d])
                p = q;
        if (p == n_part)
            pfirst[n_part++] = d;
    }
    /* Every reduction may lose a grid step: the groups', the steps adding
     * the parts, and the untested steps after them. */
    if ((double)(2 * n_part + (I - f) + 1) * SP_FRONT_GRID > SP_FRONT_SLACK / 2) {
        rc = 1;
        goto done;
    }
    for (size_t p = 0; p < n_part; p++) {
        mset *g = &gset[p];
        g->K = K;
        g->n = 0;
        size_t nd = 0;
        for (size_t d = pfirst[p]; d < f; d++)
            if (root[d] == root[pfirst[p]] && !(fixed && fixed[c->order[d]] >= 0))
                dep[nd++] = d;
        size_t nr = 0, ni = 0;
        for (size_t x = 0; x < R + Q; x++)
            if (rcnt[x] >= 2 && root[rfree[x]] == root[pfirst[p]])
                lst[x < R ? nr++ : R + Q - 1 - ni++] = (uint32_t)(x < R ? x : x - R);
        /* lst: the rules from the front, the interaction terms from the back */
        uint32_t *gr = lst, *gi = lst + R + Q - ni;
        double posb[3] = {0, 0, 0};
        for (size_t q = 0; q < ni; q++)
            if (c->inter[gi[q]].bonus > 0)
                posb[c->inter[gi[q]].owner] += c->inter[gi[q]].bonus;
        for (size_t k = 0; k < K; k++)
            gsuf[nd * K + k] = posb[k];
        for (size_t j = nd; j-- > 0;)
            for (size_t k = 0; k < K; k++)
                gsuf[j * K + k] = gsuf[(j + 1) * K + k] + dmax[dep[j] * K + k];
        if (nd == 1 && nr == 0 && ni == 0) {
            /* A single issue: its allowed options, less those an option
             * before it matches or beats (as for the untested issues) --
             * unless bonuses were folded in, where that need not hold for
             * the canonical sums. */
            size_t d = dep[0];
            int folded = 0;
            for (size_t o = 0; o < c->nopt[d] && !folded; o++)
                for (size_t k = 0; k < K; k++)
                    folded |= oval[(c->vbase[d] + o) * K + k] != c->val[(c->vbase[d] + o) * K + k];
            if (issue_points(c, d, oval, allow, !folded, -1, rad[c->order[d]], g) != 0)
                goto done;
        } else {
            /* What the group must reach: the floor, less the best of
             * everything else (rounding loosened by far more than it). */
            double need[3];
            for (size_t k = 0; k < K; k++) {
                double rest = base[k] + c->sufmax[f * K + k];
                for (size_t d = 0; d < f; d++)
                    if (!(fixed && fixed[c->order[d]] >= 0) && root[d] != root[pfirst[p]])
                        rest += dmax[d * K + k];
                for (size_t q = 0; q < Q; q++)
                    if (c->inter[q].owner == (int)k && c->inter[q].bonus > 0 && rcnt[R + q] >= 2 &&
                        root[rfree[R + q]] != root[pfirst[p]])
                        rest += c->inter[q].bonus;
                need[k] = c->res[k] - rest - SP_EPS * (1 + fabs(c->res[k])) - 1e-9 * (1 + fabs(rest));
            }
            fg_walk G = {c, pkg, dep, nd, gr, nr, gi, ni, allow, oval, gsuf, need, rad,
                         Fs, codes, g, 0};
            for (size_t k = 0; k < K; k++)
                Fs[k] = 0;
            codes[0] = 0;
            fg_enum(&G, 0);
            if (G.oom || mset_reduce(g, mw, NULL, 1) != 0)
                goto done;
        }
        for (size_t k = 0; k < K; k++) {
            double hi = -INFINITY;
            for (size_t x = 0; x < g->n; x++)
                hi = fmax(hi, g->v[x * K + k]);
            pmax[p * K + k] = hi;
        }
        if (g->n == 0) {
            rc = 0; /* the group has no acceptable combination */
            goto done;
        }
    }
    /* The base, then each part added and reduced. */
    if (mset_reserve(acc, 1) != 0)
        goto done;
    memcpy(acc->v, base, sizeof *acc->v * K);
    acc->code[0] = base_code;
    acc->sh[0] = 0;
    acc->n = 1;
    for (size_t p = 0; p < n_part; p++) {
        double rest[3];
        for (size_t k = 0; k < K; k++) {
            rest[k] = c->sufmax[f * K + k];
            for (size_t q = p + 1; q < n_part; q++)
                rest[k] += pmax[q * K + k];
        }
        if (mset_step(c, acc, nx, &gset[p], rest, mw) != 0)
            goto done;
    }
    rc = 0;
done:
    if (gset)
        for (size_t p = 0; p <= I; p++)
            mset_free(&gset[p]);
    pl__free(gset);
    pl__free(pkg);
    pl__free(up);
    pl__free(rfree);
    pl__free(rcnt);
    pl__free(allow);
    pl__free(oval);
    pl__free(used);
    pl__free(lst);
    pl__free(dep);
    pl__free(Fs);
    pl__free(codes);
    pl__free(gsuf);
    pl__free(dmax);
    pl__free(pmax);
    pl__free(pfirst);
    pl__free(root);
    return rc;
}

void sp_front_free(sp_front *f)
{
    pl__free(f->u);
    pl__free(f->code);
    pl__free(f->shared);
    memset(f, 0, sizeof *f);
}

void sp_front_decode(const size_t *n_opts, size_t I, uint64_t code, long *pkg)
{
    for (size_t i = I; i-- > 0;) {
        pkg[i] = (long)(code % n_opts[i]);
        code /= n_opts[i];
    }
}

/* As sp_pareto: the tested issues are enumerated (holding the fixed ones),
 * then the untested ones added one at a time, reducing after each. An
 * untested option another option before it matches or beats for every actor
 * is skipped, as in sp_best: swapping it in never lowers a canonical sum,
 * so its packages never win a tie. Partial sums that cannot reach the floor
 * c->res go. */
struct sp_front_work {
    mwork w;
    mset acc, nx;
    mset opt; /* an untested issue's options */
};

sp_front_work *sp_front_work_new(void)
{
    return pl__calloc(1, sizeof(sp_front_work));
}

void sp_front_work_free(sp_front_work *w)
{
    if (!w)
        return;
    mwork_free(&w->w);
    mset_free(&w->acc);
    mset_free(&w->nx);
    mset_free(&w->opt);
    pl__free(w);
}

int sp_front_build(const sp_ctx *c, const long *fixed, sp_front_work *ws, sp_front *out)
{
    memset(out, 0, sizeof *out);
    size_t I = c->I, K = c->K;
    if (K == 0 || K > 3 || c->sufcount[0] == UINT64_MAX || c->sufcount[0] > (UINT64_MAX >> 1))
        return 1;
    /* Each reduction may lose up to a grid step: all of them together must
     * stay within the slack; and the grid must hold every sum. */
    if ((double)(I - c->free_from + 1) * SP_FRONT_GRID > SP_FRONT_SLACK / 2)
        return 1;
    for (size_t k = 0; k < K; k++) {
        double big = c->posb[k] - c->negb[k];
        for (size_t d = 0; d < I; d++) {
            long fx = fixed ? fixed[c->order[d]] : -1;
            double m = 0;
            for (size_t o = 0; o < c->nopt[d]; o++)
                if (fx < 0 || (long)o == fx) {
                    double v = fabs(c->val[(c->vbase[d] + o) * K + k]);
                    m = v > m ? v : m;
                }
            big += m;
        }
        if (!(big < 1e7))
            return 1;
    }
    const pl_scenario *sc = c->sc;
    uint64_t *rad = pl__malloc(sizeof *rad * (I ? I : 1));
    front_walk P;
    memset(&P, 0, sizeof P);
    /* The workspace's buffers, whatever K they last served (capacities are
     * counted in points of K doubles, so they are reset when K differs). */
    if (ws->acc.K != K) {
        mset_free(&ws->acc);
        mset_free(&ws->nx);
        mset_free(&ws->opt);
        mset_free(&ws->w.out);
    }
    mset nx = ws->nx;
    nx.K = K;
    nx.n = 0;
    P.acc = ws->acc;
    P.acc.K = K;
    P.acc.n = 0;
    P.work = &ws->w;
    int rc = -1;
    if (!rad || walker_init(&P.w, c) != 0)
        goto done;
    uint64_t m = 1;
    for (size_t i = I; i-- > 0;) {
        rad[i] = m;
        m *= sc->n_opts[i];
    }
    P.fixed = fixed;
    P.rad = rad;
    P.f = c->free_from;
    P.rules_done = rules_pending_after(c);
    int gr = pl__sp_front_plain ? 1 : front_groups(c, fixed, rad, &ws->w, &P.acc, &nx);
    if (gr < 0)
        goto done;
    if (gr == 1) {
        P.acc.n = 0;
        if (!P.w.dead)
            front_prefix(&P, 0);
        if (P.oom || mset_reduce(&P.acc, &ws->w, NULL, 1) != 0)
            goto done;
    }
    /* The untested issues one by one, each less its options an earlier one
     * matches or beats. */
    for (size_t d = P.f; d < I; d++) {
        size_t i = c->order[d];
        if (issue_points(c, d, c->val, NULL, 1, fixed ? fixed[i] : -1, rad[i], &ws->opt) != 0 ||
            mset_step(c, &P.acc, &nx, &ws->opt, c->sufmax + (d + 1) * K, &ws->w) != 0)
            goto done;
    }
    /* What reaches the floor, to within the build's slack. */
    size_t n = 0;
    for (size_t x = 0; x < P.acc.n; x++) {
        size_t k = 0;
        while (k < K && P.acc.v[x * K + k] >= c->res[k] - SP_FRONT_SLACK)
            k++;
        if (k < K)
            continue;
        memmove(P.acc.v + n * K, P.acc.v + x * K, sizeof *P.acc.v * K);
        P.acc.code[n] = P.acc.code[x];
        P.acc.sh[n] = P.acc.sh[x];
        n++;
    }
    out->u = pl__malloc(sizeof *out->u * (n ? n : 1) * K);
    out->code = pl__malloc(sizeof *out->code * (n ? n : 1));
    out->shared = pl__malloc(n ? n : 1);
    if (!out->u || !out->code || !out->shared) {
        sp_front_free(out);
        goto done;
    }
    if (n) { /* (an empty frontier may never have had buffers) */
        memcpy(out->u, P.acc.v, sizeof *out->u * n * K);
        memcpy(out->code, P.acc.code, sizeof *out->code * n);
        memcpy(out->shared, P.acc.sh, n);
    }
    out->n = n;
    out->K = K;
    rc = 0;
done:
    ws->acc = P.acc;
    ws->nx = nx;
    walker_free(&P.w);
    pl__free(rad);
    return rc;
}
