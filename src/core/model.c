/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* ---- arena ------------------------------------------------------------- */

struct pl_arena_block {
    pl_arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *arena_alloc(pl_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    pl_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 60000 ? n : 60000;
        b = pl__malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(pl_arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *arena_strdup(pl_arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_free(pl_arena *a)
{
    pl_arena_block *b = a->head;
    while (b) {
        pl_arena_block *n = b->next;
        pl__free(b);
        b = n;
    }
    a->head = NULL;
}

/* ---- dates ------------------------------------------------------------- */

int model_valid_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* ---- states ------------------------------------------------------------ */

static void *alloc_n(pl_scenario *sc, size_t elem, size_t n)
{
    return arena_alloc(&sc->arena, elem * (n > 0 ? n : 1));
}

#define ALLOC_N(ptr, n) ((ptr) = alloc_n(sc, sizeof *(ptr), (n)))

int model_state_init(pl_scenario *sc, pl_state *st, const pl_state *src)
{
    size_t A = sc->n_actors, I = sc->n_issues, O = sc->total_opts;
    memset(st, 0, sizeof *st);
    if (!ALLOC_N(st->w_num, A * I) || !ALLOC_N(st->s_num, A * O) ||
        !ALLOC_N(st->res_num, A) || !ALLOC_N(st->cap_num, A) || !ALLOC_N(st->sup_num, A) ||
        !ALLOC_N(st->sq, I) || !ALLOC_N(st->rule_on, sc->n_rules) ||
        !ALLOC_N(st->inter_on, sc->n_inters) || !ALLOC_N(st->withdrawn, sc->n_props) ||
        !ALLOC_N(st->w, A * I) || !ALLOC_N(st->s, A * O) || !ALLOC_N(st->ws, A * O) ||
        !ALLOC_N(st->res, A) || !ALLOC_N(st->cap, A) || !ALLOC_N(st->sup, A) ||
        !ALLOC_N(st->red, A) || !ALLOC_N(st->inter, A) || !ALLOC_N(st->n_red, A) ||
        !ALLOC_N(st->n_inter, A) || !ALLOC_N(st->cons, sc->n_rules))
        return -1;
    for (size_t a = 0; a < A; a++) {
        if (!ALLOC_N(st->red[a], sc->n_rules) || !ALLOC_N(st->inter[a], sc->n_inters))
            return -1;
    }
    if (src)
        model_state_copy(sc, st, src);
    else {
        for (size_t k = 0; k < A * I; k++)
            st->w_num[k] = -1;
        for (size_t k = 0; k < A * O; k++)
            st->s_num[k] = -1;
        for (size_t a = 0; a < A; a++)
            st->res_num[a] = st->cap_num[a] = st->sup_num[a] = -1;
    }
    return 0;
}

void model_state_copy(pl_scenario *sc, pl_state *dst, const pl_state *src)
{
    size_t A = sc->n_actors, I = sc->n_issues, O = sc->total_opts;
    memcpy(dst->w_num, src->w_num, sizeof *dst->w_num * A * I);
    memcpy(dst->s_num, src->s_num, sizeof *dst->s_num * A * O);
    memcpy(dst->res_num, src->res_num, sizeof *dst->res_num * A);
    memcpy(dst->cap_num, src->cap_num, sizeof *dst->cap_num * A);
    memcpy(dst->sup_num, src->sup_num, sizeof *dst->sup_num * A);
    memcpy(dst->sq, src->sq, sizeof *dst->sq * I);
    if (sc->n_rules)
        memcpy(dst->rule_on, src->rule_on, sc->n_rules);
    if (sc->n_inters)
        memcpy(dst->inter_on, src->inter_on, sc->n_inters);
    if (sc->n_props)
        memcpy(dst->withdrawn, src->withdrawn, sc->n_props);
    dst->n_applied = src->n_applied;
}

static double num_value(const pl_scenario *sc, int k, double dflt)
{
    return k < 0 ? dflt : sc->num[k].value;
}

static int rule_active(const pl_scenario *sc, const pl_rule *r)
{
    return num_value(sc, r->credence_num, 1.0) >= 0.5;
}

int model_derive(pl_scenario *sc, pl_state *st, pl_diag *diag)
{
    size_t A = sc->n_actors, I = sc->n_issues, O = sc->total_opts;
    for (size_t a = 0; a < A; a++) {
        const pl_actor *ac = &sc->actor[a];
        st->res[a] = num_value(sc, st->res_num[a], 0.0);
        st->cap[a] = num_value(sc, st->cap_num[a], 0.0);
        st->sup[a] = num_value(sc, st->sup_num[a], -1.0);
        double sum = 0;
        for (size_t i = 0; i < I; i++)
            sum += num_value(sc, st->w_num[a * I + i], 0.0);
        if (ac->has_pref && !(sum > 0)) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ac->line, ac->col,
                         "the issue weights of actor '%s' are all zero", ac->id);
            return -1;
        }
        for (size_t i = 0; i < I; i++) {
            const pl_issue *is = &sc->issue[i];
            double w = ac->has_pref ? num_value(sc, st->w_num[a * I + i], 0.0) / sum : 0.0;
            st->w[a * I + i] = w;
            for (size_t o = 0; o < is->n_opt; o++) {
                size_t k = a * O + is->opt_base + o;
                if (w > 0 && st->s_num[k] < 0) {
                    pl__diag_set(diag, PL_E_INPUT, sc->file, ac->line, ac->col,
                                 "actor '%s' gives issue '%s' a weight but no score for "
                                 "option '%s'", ac->id, is->id, is->opt[o].id);
                    return -1;
                }
                st->s[k] = num_value(sc, st->s_num[k], 0.0);
                st->ws[k] = w * st->s[k];
            }
        }
        st->n_red[a] = st->n_inter[a] = 0;
    }
    st->n_cons = 0;
    for (size_t r = 0; r < sc->n_rules; r++) {
        const pl_rule *ru = &sc->rule[r];
        if (!st->rule_on[r] || !rule_active(sc, ru))
            continue;
        if (ru->actor < 0)
            st->cons[st->n_cons++] = (uint32_t)r;
        else
            st->red[ru->actor][st->n_red[ru->actor]++] = (uint32_t)r;
    }
    for (size_t k = 0; k < sc->n_inters; k++) {
        const pl_inter *in = &sc->inter[k];
        if (st->inter_on[k])
            st->inter[in->actor][st->n_inter[in->actor]++] = (uint32_t)k;
    }
    return 0;
}

/* The rule or interaction of an actor with this id that is in force, or -1. */
static long find_on_rule(const pl_scenario *sc, const pl_state *st, long actor, const char *id)
{
    for (size_t r = 0; r < sc->n_rules; r++)
        if (st->rule_on[r] && sc->rule[r].actor == actor && strcmp(sc->rule[r].id, id) == 0)
            return (long)r;
    return -1;
}

static long find_on_inter(const pl_scenario *sc, const pl_state *st, long actor, const char *id)
{
    for (size_t k = 0; k < sc->n_inters; k++)
        if (st->inter_on[k] && sc->inter[k].actor == actor && strcmp(sc->inter[k].id, id) == 0)
            return (long)k;
    return -1;
}

int model_apply_change(pl_scenario *sc, pl_state *st, const pl_change *ch,
                       const pl_event *ev, pl_diag *diag)
{
    size_t I = sc->n_issues, O = sc->total_opts;
    long a = ch->actor;
    const char *aid = a >= 0 ? sc->actor[a].id : "";
    switch (ch->op) {
    case CH_SET_WEIGHT:
        st->w_num[(size_t)a * I + (size_t)ch->issue] = ch->num;
        break;
    case CH_SET_SCORE:
        st->s_num[(size_t)a * O + sc->issue[ch->issue].opt_base + (size_t)ch->option] = ch->num;
        break;
    case CH_SET_RESERVATION: st->res_num[a] = ch->num; break;
    case CH_SET_CAPABILITY: st->cap_num[a] = ch->num; break;
    case CH_SET_SUPPORT: st->sup_num[a] = ch->num; break;
    case CH_ADD_RED_LINE: {
        const pl_rule *r = &sc->rule[ch->rule];
        if (find_on_rule(sc, st, a, r->id) >= 0) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ch->line, ch->col,
                         "event '%s' adds red line '%s' to actor '%s', which already has "
                         "one with that id in force", ev->id, r->id, aid);
            return -1;
        }
        st->rule_on[ch->rule] = 1;
        break;
    }
    case CH_DROP_RED_LINE: {
        long r = find_on_rule(sc, st, a, ch->id);
        if (r < 0) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ch->line, ch->col,
                         "event '%s' drops red line '%s' of actor '%s', but no such red "
                         "line is in force on %s", ev->id, ch->id, aid, ev->date);
            return -1;
        }
        st->rule_on[r] = 0;
        break;
    }
    case CH_ADD_INTERACTION: {
        const pl_inter *in = &sc->inter[ch->inter];
        if (find_on_inter(sc, st, a, in->id) >= 0) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ch->line, ch->col,
                         "event '%s' adds interaction '%s' to actor '%s', which already "
                         "has one with that id in force", ev->id, in->id, aid);
            return -1;
        }
        st->inter_on[ch->inter] = 1;
        break;
    }
    case CH_DROP_INTERACTION: {
        long k = find_on_inter(sc, st, a, ch->id);
        if (k < 0) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ch->line, ch->col,
                         "event '%s' drops interaction '%s' of actor '%s', but no such "
                         "interaction is in force on %s", ev->id, ch->id, aid, ev->date);
            return -1;
        }
        st->inter_on[k] = 0;
        break;
    }
    case CH_SET_STATUS_QUO:
        st->sq[ch->issue] = (uint32_t)ch->option;
        break;
    case CH_WITHDRAW_PROPOSAL:
        if (st->withdrawn[ch->proposal]) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, ch->line, ch->col,
                         "event '%s' withdraws proposal '%s', which was already withdrawn",
                         ev->id, sc->prop[ch->proposal].id);
            return -1;
        }
        st->withdrawn[ch->proposal] = 1;
        break;
    }
    return 0;
}

int model_select(pl_scenario *sc, const char *date, pl_diag *diag)
{
    if (date && !model_valid_date(date, strlen(date))) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "invalid date '%s': expected YYYY-MM-DD", date);
        return -1;
    }
    model_state_copy(sc, &sc->cur, &sc->base);
    size_t applied = 0;
    for (size_t e = 0; e < sc->n_events; e++) {
        const pl_event *ev = &sc->event[e];
        if (date && strcmp(ev->date, date) > 0)
            break;
        for (size_t c = 0; c < ev->n_ch; c++)
            if (model_apply_change(sc, &sc->cur, &ev->ch[c], ev, diag) != 0)
                return -1;
        applied++;
    }
    sc->cur.n_applied = applied;
    if (model_derive(sc, &sc->cur, diag) != 0)
        return -1;
    snprintf(sc->as_of, sizeof sc->as_of, "%s", date ? date : "");
    return 0;
}

double model_utility(const pl_scenario *sc, size_t a, const long *pkg)
{
    const pl_state *st = &sc->cur;
    const double *ws = st->ws + a * sc->total_opts;
    double u = 0;
    for (size_t i = 0; i < sc->n_issues; i++)
        u += ws[sc->issue[i].opt_base + (size_t)pkg[i]];
    if (st->n_inter[a]) {
        uint8_t ch[PL_MAX_ISSUES];
        for (size_t i = 0; i < sc->n_issues; i++)
            ch[i] = (uint8_t)pkg[i];
        for (size_t k = 0; k < st->n_inter[a]; k++) {
            const pl_inter *in = &sc->inter[st->inter[a][k]];
            if (px_eval(&in->ex, ch))
                u += sc->num[in->bonus_num].value;
        }
    }
    return u;
}

/* ---- expression symbols ------------------------------------------------ */

static long sym_find_issue(void *ud, const char *name, size_t len)
{
    const pl_scenario *sc = ud;
    for (size_t i = 0; i < sc->n_issues; i++)
        if (strlen(sc->issue[i].id) == len && memcmp(sc->issue[i].id, name, len) == 0)
            return (long)i;
    return -1;
}

static size_t sym_n_options(void *ud, size_t issue)
{
    const pl_scenario *sc = ud;
    return sc->issue[issue].n_opt;
}

static long sym_find_option(void *ud, size_t issue, const char *name, size_t len)
{
    const pl_scenario *sc = ud;
    const pl_issue *is = &sc->issue[issue];
    for (size_t o = 0; o < is->n_opt; o++)
        if (strlen(is->opt[o].id) == len && memcmp(is->opt[o].id, name, len) == 0)
            return (long)o;
    return -1;
}

static int sym_attr(void *ud, size_t issue, size_t option, const char *name, size_t len,
                    double *value)
{
    const pl_scenario *sc = ud;
    const pl_option *op = &sc->issue[issue].opt[option];
    for (size_t k = 0; k < op->n_attrs; k++)
        if (strlen(op->attr_name[k]) == len && memcmp(op->attr_name[k], name, len) == 0) {
            *value = op->attr_value[k];
            return 0;
        }
    return -1;
}

static const char *sym_issue_name(void *ud, size_t issue)
{
    const pl_scenario *sc = ud;
    return sc->issue[issue].id;
}

static const char *sym_option_name(void *ud, size_t issue, size_t option)
{
    const pl_scenario *sc = ud;
    return sc->issue[issue].opt[option].id;
}

void model_symbols(pl_scenario *sc, px_symbols *sym)
{
    sym->ud = sc;
    sym->n_issues = sc->n_issues;
    sym->find_issue = sym_find_issue;
    sym->n_options = sym_n_options;
    sym->find_option = sym_find_option;
    sym->attr = sym_attr;
    sym->issue_name = sym_issue_name;
    sym->option_name = sym_option_name;
}
