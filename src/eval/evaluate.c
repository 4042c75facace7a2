/* SPDX-License-Identifier: GPL-3.0-or-later */
/* evaluate: each actor's verdict on each proposal, with the reasons a reader
 * can check against the scenario file. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "eval/search.h"
#include "util/util.h"

typedef struct ev_item {
    long proposal;
    long *pkg;               /* status-quo completion */
    int partial;
    const char **cons_broken;
    size_t n_cons_broken;
    pl_verdict *v;
    size_t n_v;
    int agreed;
} ev_item;

struct pl_evaluation {
    pl_arena arena;
    ev_item *item;
    size_t n;
};

typedef struct loss {
    double amount;
    int kind;       /* 0: issue, 1: interaction penalty */
    size_t idx;     /* issue index or interaction pool index */
    size_t best_opt;
} loss;

static const char *opt_label(const pl_scenario *sc, size_t i, long o)
{
    return sc->issue[i].opt[o].label;
}

/* "donbas: Full withdrawal; nato: Constitutional ban" for the issues an
 * expression tests, so a reader sees what triggered it. */
static void describe_tested(const pl_scenario *sc, const px_expr *ex, const long *pkg, pl_buf *b)
{
    unsigned char used[PL_MAX_ISSUES];
    memset(used, 0, sc->n_issues);
    px_issues_used(ex, used);
    int first = 1;
    for (size_t i = 0; i < sc->n_issues; i++) {
        if (!used[i])
            continue;
        pl_buf_printf(b, "%s%s = %s", first ? "" : "; ", sc->issue[i].id,
                      pkg[i] >= 0 ? opt_label(sc, i, pkg[i]) : "(open)");
        first = 0;
    }
}

static void mark_cite(const pl_cite *c, unsigned char *seen)
{
    for (size_t k = 0; k < c->n_ev; k++)
        seen[c->ev[k]] = 1;
}

static int loss_cmp_desc(const loss *x, const loss *y)
{
    if (x->amount != y->amount)
        return x->amount > y->amount ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int push_str(pl_arena *ar, const char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        const char **na = arena_alloc(ar, sizeof *na * nc);
        if (!na)
            return -1;
        if (*n)
            memcpy(na, *arr, sizeof *na * *n);
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = s;
    return 0;
}

static int add_reason(pl_evaluation *ev, pl_verdict *v, size_t *cap, pl_buf *b)
{
    if (b->oom)
        return -1;
    const char *s = arena_strndup(&ev->arena, b->s ? b->s : "", b->len);
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
    if (!s)
        return -1;
    return push_str(&ev->arena, (const char ***)&v->reasons, &v->n_reasons, cap, s);
}

/* sq_pkg: the status-quo reading; given: the proposal itself (-1 = open). */
static int verdict(pl_evaluation *ev, const pl_scenario *sc, size_t a, const long *sq_pkg,
                   const long *given, int partial, int sq_feasible, pl_verdict *v)
{
    const pl_state *st = &sc->cur;
    size_t I = sc->n_issues;
    pl_buf b;
    pl_buf_init(&b);
    size_t rcap = 0;
    int rc = -1;
    unsigned char *seen = pl__calloc(sc->n_ev ? sc->n_ev : 1, 1);
    loss *losses = pl__malloc(sizeof *losses * (I + st->n_inter[a] + 1));
    long *pkg = arena_alloc(&ev->arena, sizeof *pkg * I);
    long *bestp = arena_alloc(&ev->arena, sizeof *bestp * I);
    long *worstp = arena_alloc(&ev->arena, sizeof *worstp * I);
    if (!seen || !losses || !pkg || !bestp || !worstp)
        goto out;
    memcpy(pkg, sq_pkg, sizeof *pkg * I);
    v->actor = a;
    v->actor_id = sc->actor[a].id;
    v->partial = partial;

    if (partial) {
        int r1 = search_extreme(sc, a, given, +1, &v->best_utility, bestp);
        int r2 = search_extreme(sc, a, given, -1, &v->worst_utility, worstp);
        if (r1 < 0 || r2 < 0)
            goto out;
        v->has_completions = r1 == 1 && r2 == 1;
        if (!sq_feasible && v->has_completions)
            memcpy(pkg, bestp, sizeof *pkg * I);
    }
    v->best_package = v->has_completions ? bestp : NULL;
    v->worst_package = v->has_completions ? worstp : NULL;

    int feasible = model_feasible(sc, pkg, NULL);
    v->utility = model_utility(sc, a, pkg);
    v->margin = v->utility - st->res[a];
    mark_cite(&sc->num[st->res_num[a]].cite, seen);

    /* Red lines. */
    const char **broken = NULL;
    size_t nb = 0, bcap = 0;
    uint8_t ch[PL_MAX_ISSUES];
    for (size_t i = 0; i < I; i++)
        ch[i] = (uint8_t)pkg[i];
    if (!feasible) {
        long bad = -1;
        model_feasible(sc, pkg, &bad);
        const pl_rule *r = &sc->rule[bad];
        pl_buf_printf(&b, "the package is impossible: it breaks constraint '%s'", r->id);
        if (r->text[0])
            pl_buf_printf(&b, " (%s)", r->text);
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    }
    for (size_t k = 0; k < st->n_red[a]; k++) {
        const pl_rule *r = &sc->rule[st->red[a][k]];
        int val = px_eval(&r->ex, ch);
        if (r->kind == PL_RULE_REQUIRE ? val : !val)
            continue;
        if (push_str(&ev->arena, &broken, &nb, &bcap, r->id) != 0)
            goto out;
        mark_cite(&r->cite, seen);
        pl_buf_printf(&b, "crosses red line '%s'", r->id);
        if (r->text[0])
            pl_buf_printf(&b, ": %s", r->text);
        pl_buf_puts(&b, " [");
        describe_tested(sc, &r->ex, pkg, &b);
        pl_buf_puts(&b, "]");
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    }
    v->red_lines_broken = broken;
    v->n_red_lines_broken = nb;
    v->accept = feasible && nb == 0 && v->margin >= 0;

    /* What the package costs the actor against its best options, so that a
     * shortfall can be pinned on the issues that cause most of it. */
    size_t nl = 0;
    const double *ws = st->ws + a * sc->total_opts;
    for (size_t i = 0; i < I; i++) {
        const pl_issue *is = &sc->issue[i];
        size_t bo = 0;
        for (size_t o = 1; o < is->n_opt; o++)
            if (ws[is->opt_base + o] > ws[is->opt_base + bo])
                bo = o;
        double l = ws[is->opt_base + bo] - ws[is->opt_base + (size_t)pkg[i]];
        if (l > 1e-9)
            losses[nl++] = (loss){l, 0, i, bo};
    }
    for (size_t k = 0; k < st->n_inter[a]; k++) {
        const pl_inter *in = &sc->inter[st->inter[a][k]];
        double bonus = sc->num[in->bonus_num].value;
        if (bonus < 0 && px_eval(&in->ex, ch))
            losses[nl++] = (loss){-bonus, 1, st->inter[a][k], 0};
    }
    for (size_t x = 1; x < nl; x++) {
        loss t = losses[x];
        size_t y = x;
        while (y > 0 && loss_cmp_desc(&t, &losses[y - 1]) < 0) {
            losses[y] = losses[y - 1];
            y--;
        }
        losses[y] = t;
    }
    if (v->margin < 0) {
        pl_buf_printf(&b, "utility %.1f is %.1f below its reservation value %.1f (what no deal "
                          "is worth to it)", v->utility, -v->margin, st->res[a]);
        size_t show = nl < 3 ? nl : 3;
        if (show) {
            pl_buf_puts(&b, "; the largest shortfalls: ");
            for (size_t x = 0; x < show; x++) {
                const loss *l = &losses[x];
                if (x)
                    pl_buf_puts(&b, ", ");
                if (l->kind == 0) {
                    size_t i = l->idx;
                    pl_buf_printf(&b, "%s -%.1f ('%s' instead of '%s')", sc->issue[i].id,
                                  l->amount, opt_label(sc, i, pkg[i]),
                                  opt_label(sc, i, (long)l->best_opt));
                    size_t wn = (size_t)st->w_num[a * I + i];
                    mark_cite(&sc->num[wn].cite, seen);
                    int sn = st->s_num[a * sc->total_opts + sc->issue[i].opt_base + (size_t)pkg[i]];
                    if (sn >= 0)
                        mark_cite(&sc->num[sn].cite, seen);
                } else {
                    const pl_inter *in = &sc->inter[l->idx];
                    pl_buf_printf(&b, "penalty '%s' -%.1f", in->id, l->amount);
                    if (in->note[0])
                        pl_buf_printf(&b, " (%s)", in->note);
                    mark_cite(&sc->num[in->bonus_num].cite, seen);
                }
            }
        }
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    } else if (nb > 0 || !feasible) {
        pl_buf_printf(&b, "without that, utility %.1f would clear its reservation value %.1f "
                          "by %.1f", v->utility, st->res[a], v->margin);
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    } else {
        pl_buf_printf(&b, "utility %.1f clears its reservation value %.1f by %.1f and no red "
                          "line is crossed", v->utility, st->res[a], v->margin);
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    }
    if (partial) {
        if (!sq_feasible && v->has_completions)
            pl_buf_puts(&b, "the proposal is silent on some issues and leaving them at the "
                            "status quo is impossible, so it is judged on its best feasible "
                            "completion for this actor");
        else
            pl_buf_puts(&b, "the proposal is silent on some issues, read here at their status "
                            "quo");
        if (v->has_completions)
            pl_buf_printf(&b, "; over the open issues its utility ranges from %.1f to %.1f",
                          v->worst_utility, v->best_utility);
        else
            pl_buf_puts(&b, "; no completion of the open issues is feasible");
        if (add_reason(ev, v, &rcap, &b) != 0)
            goto out;
    }
    /* Evidence, in file order. */
    size_t ne = 0;
    for (size_t k = 0; k < sc->n_ev; k++)
        ne += seen[k];
    const char **eids = arena_alloc(&ev->arena, sizeof *eids * (ne ? ne : 1));
    if (!eids)
        goto out;
    ne = 0;
    for (size_t k = 0; k < sc->n_ev; k++)
        if (seen[k])
            eids[ne++] = sc->ev[k].id;
    v->evidence = eids;
    v->n_evidence = ne;
    rc = 0;
out:
    pl_buf_free(&b);
    pl__free(seen);
    pl__free(losses);
    return rc;
}

static int eval_one(pl_evaluation *ev, const pl_scenario *sc, long p, const long *given,
                    ev_item *it)
{
    size_t I = sc->n_issues;
    it->proposal = p;
    it->pkg = arena_alloc(&ev->arena, sizeof *it->pkg * I);
    if (!it->pkg)
        return -1;
    for (size_t i = 0; i < I; i++) {
        it->partial |= given[i] < 0;
        it->pkg[i] = given[i] >= 0 ? given[i] : (long)sc->cur.sq[i];
    }
    /* Which constraints the headline package breaks. */
    size_t cap = 0;
    for (size_t k = 0; k < sc->cur.n_cons; k++) {
        const pl_rule *r = &sc->rule[sc->cur.cons[k]];
        int val = px_eval3(&r->ex, it->pkg, sc->n_opts);
        if (r->kind == PL_RULE_REQUIRE ? val == 0 : val == 1)
            if (push_str(&ev->arena, &it->cons_broken, &it->n_cons_broken, &cap, r->id) != 0)
                return -1;
    }
    int sq_feasible = it->n_cons_broken == 0;
    size_t nv = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        nv += sc->actor[a].has_pref;
    it->v = arena_alloc(&ev->arena, sizeof *it->v * (nv ? nv : 1));
    if (!it->v)
        return -1;
    it->agreed = sq_feasible;
    for (size_t a = 0; a < sc->n_actors; a++) {
        if (!sc->actor[a].has_pref)
            continue;
        pl_verdict *v = &it->v[it->n_v++];
        if (verdict(ev, sc, a, it->pkg, given, it->partial, sq_feasible, v) != 0)
            return -1;
        if (sc->actor[a].veto && !v->accept)
            it->agreed = 0;
    }
    return 0;
}

static pl_status start(const pl_scenario *sc, size_t n, pl_evaluation **out, pl_diag *diag)
{
    *out = NULL;
    pl_evaluation *ev = pl__calloc(1, sizeof *ev);
    if (!ev || !(ev->item = arena_alloc(&ev->arena, sizeof *ev->item * (n ? n : 1)))) {
        pl__free(ev);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    (void)sc;
    *out = ev;
    return PL_OK;
}

pl_status pl_evaluate(const pl_scenario *sc, long proposal, pl_evaluation **out, pl_diag *diag)
{
    if (!sc || !out) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_evaluate: invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    if (proposal >= (long)sc->n_props || proposal < -1) {
        pl__diag_set(diag, PL_E_NOTFOUND, NULL, 0, 0, "no proposal with index %ld", proposal);
        return PL_E_NOTFOUND;
    }
    pl_evaluation *ev;
    pl_status st = start(sc, sc->n_props, &ev, diag);
    if (st != PL_OK)
        return st;
    for (size_t p = 0; p < sc->n_props; p++) {
        if (proposal >= 0 && (long)p != proposal)
            continue;
        pl_proposal_info info;
        pl_scenario_proposal(sc, p, &info);
        if (proposal < 0 && !info.on_table)
            continue;
        if (eval_one(ev, sc, (long)p, sc->prop[p].opt, &ev->item[ev->n]) != 0) {
            pl_evaluation_free(ev);
            pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
            return PL_E_NOMEM;
        }
        ev->n++;
    }
    *out = ev;
    return PL_OK;
}

pl_status pl_evaluate_package(const pl_scenario *sc, const long *package, pl_evaluation **out,
                              pl_diag *diag)
{
    if (!sc || !out || !package) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_evaluate_package: invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    for (size_t i = 0; i < sc->n_issues; i++)
        if (package[i] < -1 || package[i] >= (long)sc->issue[i].n_opt) {
            pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "option index %ld out of range for issue "
                         "'%s'", package[i], sc->issue[i].id);
            return PL_E_ARG;
        }
    pl_evaluation *ev;
    pl_status st = start(sc, 1, &ev, diag);
    if (st != PL_OK)
        return st;
    if (eval_one(ev, sc, -1, package, &ev->item[0]) != 0) {
        pl_evaluation_free(ev);
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    ev->n = 1;
    *out = ev;
    return PL_OK;
}

void pl_evaluation_free(pl_evaluation *ev)
{
    if (!ev)
        return;
    arena_free(&ev->arena);
    pl__free(ev);
}

size_t pl_evaluation_count(const pl_evaluation *ev)
{
    return ev ? ev->n : 0;
}

long pl_evaluation_proposal(const pl_evaluation *ev, size_t k)
{
    return ev && k < ev->n ? ev->item[k].proposal : -1;
}

const long *pl_evaluation_package(const pl_evaluation *ev, size_t k)
{
    return ev && k < ev->n ? ev->item[k].pkg : NULL;
}

size_t pl_evaluation_constraints_broken(const pl_evaluation *ev, size_t k,
                                        const char *const **ids)
{
    if (!ev || k >= ev->n) {
        if (ids)
            *ids = NULL;
        return 0;
    }
    if (ids)
        *ids = ev->item[k].cons_broken;
    return ev->item[k].n_cons_broken;
}

size_t pl_evaluation_verdict_count(const pl_evaluation *ev, size_t k)
{
    return ev && k < ev->n ? ev->item[k].n_v : 0;
}

const pl_verdict *pl_evaluation_verdict(const pl_evaluation *ev, size_t k, size_t j)
{
    if (!ev || k >= ev->n || j >= ev->item[k].n_v)
        return NULL;
    return &ev->item[k].v[j];
}

int pl_evaluation_agreed(const pl_evaluation *ev, size_t k)
{
    return ev && k < ev->n ? ev->item[k].agreed : 0;
}
