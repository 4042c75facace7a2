/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario's `forecast:` section (docs/forecast.md) and the forecast model
 * a scenario yields. The section only overrides: without it every issue is a
 * dimension, positions come from each actor's best-scored option, saliences
 * from its normalised issue weights, capabilities from the actors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load/ld.h"
#include "smp/smp.h"
#include "util/util.h"

struct smp_spec {
    pl_smp_params params;
    size_t n_dims;
    long *dims;            /* issue indices */
    unsigned char *exclude; /* per scenario actor */
    int *cap_num;          /* per actor: number pool index, -1 none */
    int *pos_num, *sal_num; /* per actor x dimension, -1 none */
    int line, col;
};

void smp_spec_free(void *spec)
{
    /* Everything lives in the scenario's arena. */
    (void)spec;
}

static int pick_name(ld *L, const ynode *v, const char *what, const char *(*name)(int), int n,
                     int *out)
{
    const char *s;
    if (ld_str(L, v, what, &s) != 0)
        return -1;
    const char *cands[16];
    for (int k = 0; k < n && k < 16; k++) {
        cands[k] = name(k);
        if (strcmp(s, cands[k]) == 0) {
            *out = k;
            return 0;
        }
    }
    const char *sug = pl__suggest(s, cands, (size_t)n);
    if (sug)
        return ld_fail(L, v, "unknown %s '%s' (did you mean '%s'?)", what, s, sug);
    pl_buf b;
    pl_buf_init(&b);
    for (int k = 0; k < n; k++)
        pl_buf_printf(&b, "%s%s", k ? ", " : "", cands[k]);
    int rc = ld_fail(L, v, "unknown %s '%s' (one of: %s)", what, s, b.s ? b.s : "");
    pl_buf_free(&b);
    return rc;
}

#define NAME_FN(fn, call)                                                     \
    static const char *fn(int v) { return call; }
NAME_FN(n_vpm, pl_smp_vpm_name((pl_smp_vpm)v))
NAME_FN(n_vote, pl_smp_vote_name((pl_smp_vote)v))
NAME_FN(n_pce, pl_smp_pce_name((pl_smp_pce)v))
NAME_FN(n_tr, pl_smp_transition_name((pl_smp_transition)v))
NAME_FN(n_rr, pl_smp_risk_range_name((pl_smp_risk_range)v))
NAME_FN(n_ra, pl_smp_risk_adjust_name((pl_smp_risk_adjust)v))
NAME_FN(n_tp, pl_smp_third_party_name((pl_smp_third_party)v))
NAME_FN(n_iv, pl_smp_interp_name((pl_smp_interp)v))
NAME_FN(n_bm, pl_smp_bargain_name((pl_smp_bargain)v))
NAME_FN(n_kind, pl_smp_kind_name((pl_smp_kind)v))

static const char *n_view(int v)
{
    return v ? "ktab" : "probability";
}

static const char *n_probs(int v)
{
    static const char *const names[] = {"none", "final", "every_round"};
    return v >= 0 && v < 3 ? names[v] : "?";
}

static int whole(ld *L, const ynode *v, const char *what, double lo, double hi, double *out)
{
    if (ld_double(L, v, what, out) != 0)
        return -1;
    if (*out != floor(*out) || *out < lo || *out > hi)
        return ld_fail(L, v, "%s must be a whole number from %g to %g", what, lo, hi);
    return 0;
}

static int parse_params(ld *L, const ynode *m, pl_smp_params *p)
{
    static const char *const keys[] = {
        "victory_prob", "voting_rule", "pce", "transitions", "risk_range", "risk_adjust",
        "third_party", "bargain_interp", "bargain_model", "receiver_view", "max_rounds",
        "min_rounds", "stop_ratio", "stop_epsilon", "seed", "threads", "probabilities", NULL};
    if (ld_expect_map(L, m, "'parameters'") != 0 || ld_check_keys(L, m, keys, "'parameters'") != 0)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        const char *key = m->kid[2 * k]->text;
        const ynode *v = m->kid[2 * k + 1];
        int e = 0;
        double x;
        if (strcmp(key, "victory_prob") == 0) {
            if (pick_name(L, v, "victory probability model", n_vpm, 5, &e)) return -1;
            p->vpm = (pl_smp_vpm)e;
        } else if (strcmp(key, "voting_rule") == 0) {
            if (pick_name(L, v, "voting rule", n_vote, 6, &e)) return -1;
            p->vote = (pl_smp_vote)e;
        } else if (strcmp(key, "pce") == 0) {
            if (pick_name(L, v, "probability model (pce)", n_pce, 3, &e)) return -1;
            p->pce = (pl_smp_pce)e;
        } else if (strcmp(key, "transitions") == 0) {
            if (pick_name(L, v, "state transition mode", n_tr, 2, &e)) return -1;
            p->transition = (pl_smp_transition)e;
        } else if (strcmp(key, "risk_range") == 0) {
            if (pick_name(L, v, "risk range", n_rr, 3, &e)) return -1;
            p->risk_range = (pl_smp_risk_range)e;
        } else if (strcmp(key, "risk_adjust") == 0) {
            if (pick_name(L, v, "risk adjustment", n_ra, 5, &e)) return -1;
            p->risk_adjust = (pl_smp_risk_adjust)e;
        } else if (strcmp(key, "third_party") == 0) {
            if (pick_name(L, v, "third-party commitment", n_tp, 3, &e)) return -1;
            p->third_party = (pl_smp_third_party)e;
        } else if (strcmp(key, "bargain_interp") == 0) {
            if (pick_name(L, v, "bargain interpolation", n_iv, 3, &e)) return -1;
            p->interp = (pl_smp_interp)e;
        } else if (strcmp(key, "bargain_model") == 0) {
            if (pick_name(L, v, "bargaining model", n_bm, 3, &e)) return -1;
            p->bargain = (pl_smp_bargain)e;
        } else if (strcmp(key, "receiver_view") == 0) {
            if (pick_name(L, v, "receiver view", n_view, 2, &e)) return -1;
            p->ktab_receiver_view = e;
        } else if (strcmp(key, "probabilities") == 0) {
            if (pick_name(L, v, "probabilities setting", n_probs, 3, &e)) return -1;
            p->probabilities = e;
        } else if (strcmp(key, "max_rounds") == 0) {
            if (whole(L, v, "'max_rounds'", 1, 100000, &x)) return -1;
            p->max_rounds = (unsigned)x;
        } else if (strcmp(key, "min_rounds") == 0) {
            if (whole(L, v, "'min_rounds'", 1, 100000, &x)) return -1;
            p->min_rounds = (unsigned)x;
        } else if (strcmp(key, "threads") == 0) {
            if (whole(L, v, "'threads'", 0, 64, &x)) return -1;
            p->threads = (unsigned)x;
        } else if (strcmp(key, "seed") == 0) {
            if (whole(L, v, "'seed'", 0, 9007199254740992.0, &x)) return -1;
            p->seed = (uint64_t)x;
        } else if (strcmp(key, "stop_ratio") == 0 || strcmp(key, "stop_epsilon") == 0) {
            if (ld_double(L, v, key, &x) != 0)
                return -1;
            if (x < 0 || x > 1)
                return ld_fail(L, v, "'%s' must be between 0 and 1, found %g", key, x);
            if (key[5] == 'r')
                p->stop_ratio = x;
            else
                p->stop_epsilon = x;
        }
    }
    return 0;
}

static long dim_index(const smp_spec *s, long issue)
{
    for (size_t k = 0; k < s->n_dims; k++)
        if (s->dims[k] == issue)
            return (long)k;
    return -1;
}

/* positions: / saliences: of one actor: issue id -> number. */
static int parse_values(ld *L, smp_spec *s, const ynode *m, const char *aid, const char *kind,
                        int *slots)
{
    pl_scenario *sc = ld_scenario(L);
    char what[128];
    snprintf(what, sizeof what, "'%s' of actor '%s'", kind, aid);
    if (ld_expect_map(L, m, what) != 0)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        const ynode *kn = m->kid[2 * k], *v = m->kid[2 * k + 1];
        for (size_t j = 0; j < k; j++)
            if (strcmp(m->kid[2 * j]->text, kn->text) == 0)
                return ld_fail(L, kn, "duplicate key '%s' in %s", kn->text, what);
        long is = ld_issue(L, kn);
        if (is < 0)
            return -1;
        long di = dim_index(s, is);
        if (di < 0)
            return ld_fail(L, kn, "'%s' is an issue but not one of the forecast's dimensions "
                                  "(see 'dimensions:')", kn->text);
        char path[256], w2[160];
        snprintf(path, sizeof path, "forecast.actors.%s.%s.%s", aid, kind, sc->issue[is].id);
        snprintf(w2, sizeof w2, "%s of '%s' on '%s'", kind[0] == 'p' ? "position" : "salience",
                 aid, sc->issue[is].id);
        if (ld_num(L, v, path, w2, 0, 100, "between 0 and 100", &slots[di]) != 0)
            return -1;
    }
    return 0;
}

static int parse_actor(ld *L, smp_spec *s, const ynode *an, const ynode *m)
{
    pl_scenario *sc = ld_scenario(L);
    static const char *const keys[] = {"exclude", "capability", "positions", "saliences",
                                       "evidence", "assume", NULL};
    long a = ld_actor(L, an);
    if (a < 0)
        return -1;
    const char *aid = sc->actor[a].id;
    char what[96];
    snprintf(what, sizeof what, "forecast actor '%s'", aid);
    if (ld_expect_map(L, m, what) != 0 || ld_check_keys(L, m, keys, what) != 0)
        return -1;
    const ynode *v;
    if ((v = ld_get(m, "exclude"))) {
        int ex;
        if (ld_bool(L, v, "'exclude'", &ex) != 0)
            return -1;
        s->exclude[a] = (unsigned char)ex;
    }
    if ((v = ld_get(m, "capability"))) {
        char path[128], w2[128];
        snprintf(path, sizeof path, "forecast.actors.%s.capability", aid);
        snprintf(w2, sizeof w2, "capability of '%s'", aid);
        if (ld_num(L, v, path, w2, 0, NAN, "a positive number", &s->cap_num[a]) != 0)
            return -1;
        if (!(sc->num[s->cap_num[a]].value > 0))
            return ld_fail(L, v, "capability of '%s' must be positive (an actor with no "
                                 "capability casts no vote; use 'exclude: true')", aid);
    }
    if ((v = ld_get(m, "positions")) &&
        parse_values(L, s, v, aid, "positions", s->pos_num + (size_t)a * s->n_dims) != 0)
        return -1;
    if ((v = ld_get(m, "saliences")) &&
        parse_values(L, s, v, aid, "saliences", s->sal_num + (size_t)a * s->n_dims) != 0)
        return -1;
    return 0;
}

/* The value an actor gets on a dimension, with the section's override. */
static void actor_value(const pl_scenario *sc, const smp_spec *s, size_t a, size_t k,
                        double *pos, double *sal, int *known)
{
    const size_t is = s ? (size_t)s->dims[k] : k;
    const pl_issue *I = &sc->issue[is];
    const pl_actor *A = &sc->actor[a];
    *known = A->has_pref;
    *sal = A->has_pref ? 100 * sc->cur.w[a * sc->n_issues + is] : 0;
    *pos = I->opt[sc->cur.sq[is]].position;
    if (A->has_pref && *sal > 0) {
        /* The position of the best-scored option; the first of equals. */
        double best = -INFINITY;
        for (uint32_t o = 0; o < I->n_opt; o++) {
            double v = sc->cur.s[a * sc->total_opts + I->opt_base + o];
            if (v > best) {
                best = v;
                *pos = I->opt[o].position;
            }
        }
    }
    if (s && s->pos_num[a * s->n_dims + k] >= 0)
        *pos = sc->num[s->pos_num[a * s->n_dims + k]].value;
    if (s && s->sal_num[a * s->n_dims + k] >= 0) {
        *sal = sc->num[s->sal_num[a * s->n_dims + k]].value;
        if (s->pos_num[a * s->n_dims + k] >= 0)
            *known = 1;
    }
}

static double actor_cap(const pl_scenario *sc, const smp_spec *s, size_t a)
{
    if (s && s->cap_num[a] >= 0)
        return sc->num[s->cap_num[a]].value;
    return sc->cur.cap[a];
}

/* An actor takes part when its inputs are known (preferences, or positions
 * and saliences written in the section), it has capability and some salience
 * on the dimensions, and it is not excluded. */
static int takes_part(const pl_scenario *sc, const smp_spec *s, size_t a, size_t nd)
{
    if (s && s->exclude[a])
        return 0;
    if (!(actor_cap(sc, s, a) > 0))
        return 0;
    double total = 0;
    int known = 1;
    for (size_t k = 0; k < nd; k++) {
        double x, w;
        int kn;
        actor_value(sc, s, a, k, &x, &w, &kn);
        total += w;
        known &= kn;
    }
    return known && total > 0;
}

int smp_parse_section(ld *L, const ynode *section);

int smp_parse_section(ld *L, const ynode *section)
{
    pl_scenario *sc = ld_scenario(L);
    static const char *const keys[] = {"model", "dimensions", "parameters", "actors",
                                       "evidence", "assume", "note", NULL};
    if (ld_expect_map(L, section, "'forecast'") != 0 ||
        ld_check_keys(L, section, keys, "'forecast'") != 0)
        return -1;
    smp_spec *s = ld_alloc(L, sizeof *s);
    if (!s)
        return ld_oom(L);
    s->line = section->line;
    s->col = section->col;
    pl_smp_params_default(&s->params);
    const ynode *v;
    if ((v = ld_get(section, "model"))) {
        int e = 0;
        if (pick_name(L, v, "forecast model", n_kind, 2, &e) != 0)
            return -1;
        s->params.kind = (pl_smp_kind)e;
    }
    if ((v = ld_get(section, "parameters")) && parse_params(L, v, &s->params) != 0)
        return -1;
    if ((v = ld_get(section, "dimensions"))) {
        if (ld_expect_seq(L, v, "'dimensions'") != 0)
            return -1;
        if (v->n == 0)
            return ld_fail(L, v, "'dimensions' must name at least one issue");
        s->dims = ld_alloc(L, v->n * sizeof *s->dims);
        if (!s->dims)
            return ld_oom(L);
        for (size_t k = 0; k < v->n; k++) {
            long is = ld_issue(L, v->kid[k]);
            if (is < 0)
                return -1;
            if (dim_index(s, is) >= 0)
                return ld_fail(L, v->kid[k], "issue '%s' is listed twice in 'dimensions'",
                               sc->issue[is].id);
            s->dims[s->n_dims++] = is;
        }
    } else {
        s->n_dims = sc->n_issues;
        s->dims = ld_alloc(L, s->n_dims * sizeof *s->dims);
        if (!s->dims)
            return ld_oom(L);
        for (size_t k = 0; k < s->n_dims; k++)
            s->dims[k] = (long)k;
    }
    const size_t na = sc->n_actors, nd = s->n_dims;
    s->exclude = ld_alloc(L, na);
    s->cap_num = ld_alloc(L, na * sizeof *s->cap_num);
    s->pos_num = ld_alloc(L, na * nd * sizeof *s->pos_num);
    s->sal_num = ld_alloc(L, na * nd * sizeof *s->sal_num);
    if (!s->exclude || !s->cap_num || !s->pos_num || !s->sal_num)
        return ld_oom(L);
    for (size_t i = 0; i < na; i++)
        s->cap_num[i] = -1;
    for (size_t i = 0; i < na * nd; i++)
        s->pos_num[i] = s->sal_num[i] = -1;
    const ynode *acts = ld_get(section, "actors");
    if (acts) {
        if (ld_expect_map(L, acts, "'actors' of 'forecast'") != 0)
            return -1;
        for (size_t k = 0; k < acts->n; k++) {
            const ynode *an = acts->kid[2 * k];
            for (size_t j = 0; j < k; j++)
                if (strcmp(acts->kid[2 * j]->text, an->text) == 0)
                    return ld_fail(L, an, "actor '%s' appears twice in 'forecast'", an->text);
            if (parse_actor(L, s, an, acts->kid[2 * k + 1]) != 0)
                return -1;
        }
    }
    /* Checks on the merged inputs (in the base state; the as-of state is
     * checked again when a forecast is run). */
    size_t taking = 0;
    for (size_t a = 0; a < na; a++) {
        const ynode *where = section;
        for (size_t k = 0; acts && k < acts->n; k++)
            if (strcmp(acts->kid[2 * k]->text, sc->actor[a].id) == 0)
                where = acts->kid[2 * k];
        double total = 0;
        int known = 1;
        for (size_t k = 0; k < nd; k++) {
            double x, w;
            int kn;
            actor_value(sc, s, a, k, &x, &w, &kn);
            total += w;
            known &= kn;
        }
        if (!(s->exclude[a]) && total > 100 + 1e-9)
            return ld_fail(L, where, "saliences of '%s' on the forecast's dimensions sum to %g, "
                                     "more than 100", sc->actor[a].id, total);
        if (!known && where != section && !s->exclude[a]) {
            int any = 0;
            for (size_t k = 0; k < nd; k++)
                any |= s->pos_num[a * nd + k] >= 0 || s->sal_num[a * nd + k] >= 0;
            if (any)
                return ld_fail(L, where, "actor '%s' has no preferences, so the forecast needs "
                                         "both its position and its salience on every dimension",
                               sc->actor[a].id);
        }
        taking += (size_t)takes_part(sc, s, a, nd);
    }
    if (taking < 2)
        return ld_fail(L, section, "a forecast needs at least 2 actors with capability, "
                                   "positions and saliences; %zu qualify", taking);
    if (s->params.kind == PL_SMP_BDM && nd != 1)
        return ld_fail(L, ld_get(section, "model"), "the Bueno de Mesquita model works on one "
                       "dimension; choose it with 'dimensions: [ISSUE]' (%zu given)", nd);
    sc->ext[PL_EXT_FORECAST] = s;
    sc->ext_free[PL_EXT_FORECAST] = smp_spec_free;
    return 0;
}

/* Evidence ids behind a number, appended to b as NUL-separated entries. */
static void add_cites(pl_buf *b, const pl_scenario *sc, int num)
{
    if (num < 0)
        return;
    const pl_cite *c = &sc->num[num].cite;
    for (uint32_t k = 0; k < c->n_ev; k++) {
        const char *id = sc->ev[c->ev[k]].id;
        int seen = 0;
        for (size_t p = 0; b->s && p < b->len && !seen; p += strlen(b->s + p) + 1)
            seen = strcmp(b->s + p, id) == 0;
        if (!seen)
            pl_buf_add(b, id, strlen(id) + 1);
    }
}

pl_status pl_smp_model_from_scenario(const pl_scenario *sc, pl_smp_model **out, pl_diag *diag)
{
    if (!sc || !out)
        return PL_E_ARG;
    *out = NULL;
    const smp_spec *s = sc->ext[PL_EXT_FORECAST];
    const size_t nd = s ? s->n_dims : sc->n_issues;
    size_t n = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        n += (size_t)takes_part(sc, s, a, nd);
    if (n < 2) {
        pl__diag_set(diag, PL_E_INPUT, sc->file, s ? s->line : 0, s ? s->col : 0,
                     "a forecast needs at least 2 actors with capability, positions and "
                     "saliences; %zu qualify%s",
                     n, pl_scenario_as_of(sc) ? " as of the selected date" : "");
        return PL_E_INPUT;
    }
    pl_smp_model *m;
    pl_status st = pl_smp_model_new(n, nd, &m, diag);
    if (st != PL_OK)
        return st;
    if (s)
        m->params = s->params;
    if (pl_smp_model_set_name(m, sc->name, sc->description) != PL_OK)
        goto oom;
    for (size_t k = 0; k < nd; k++) {
        const pl_issue *I = &sc->issue[s ? (size_t)s->dims[k] : k];
        if (pl_smp_model_set_dim(m, k, I->id, I->name) != PL_OK)
            goto oom;
    }
    size_t i = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        if (!takes_part(sc, s, a, nd))
            continue;
        if (pl_smp_model_set_actor(m, i, sc->actor[a].id, sc->actor[a].name,
                                   actor_cap(sc, s, a)) != PL_OK)
            goto oom;
        pl_buf ev;
        pl_buf_init(&ev);
        add_cites(&ev, sc, s && s->cap_num[a] >= 0 ? s->cap_num[a] : sc->cur.cap_num[a]);
        double total = 0;
        for (size_t k = 0; k < nd; k++) {
            double x, w;
            int kn;
            actor_value(sc, s, a, k, &x, &w, &kn);
            total += w;
            pl_smp_model_set_value(m, i, k, x, w);
            size_t is = s ? (size_t)s->dims[k] : k;
            if (s && s->pos_num[a * nd + k] >= 0)
                add_cites(&ev, sc, s->pos_num[a * nd + k]);
            else if (sc->actor[a].has_pref)
                add_cites(&ev, sc, sc->cur.w_num[a * sc->n_issues + is]);
            if (s && s->sal_num[a * nd + k] >= 0)
                add_cites(&ev, sc, s->sal_num[a * nd + k]);
        }
        if (ev.oom) {
            pl_buf_free(&ev);
            goto oom;
        }
        if (ev.len) {
            pl_buf_add(&ev, "", 1);
            m->actor_ev[i] = pl_buf_take(&ev);
            if (!m->actor_ev[i])
                goto oom;
        }
        pl_buf_free(&ev);
        if (total > 100 + 1e-9) {
            pl__diag_set(diag, PL_E_INPUT, sc->file, s ? s->line : 0, s ? s->col : 0,
                         "saliences of '%s' sum to %g, more than 100%s", sc->actor[a].id,
                         total, pl_scenario_as_of(sc) ? " as of the selected date" : "");
            pl_smp_model_free(m);
            return PL_E_INPUT;
        }
        i++;
    }
    *out = m;
    return PL_OK;
oom:
    pl_smp_model_free(m);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}
