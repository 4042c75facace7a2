/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario's `war:` section (docs/simulate.md): the battlefield, the cost
 * of fighting and the rules of the talks that `parley simulate` plays out.
 * Every number goes into the scenario's pool, so it may be a distribution and
 * cite evidence like any other. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim.h"
#include "util/util.h"

static void war_free(void *p)
{
    /* Everything lives in the scenario's arena. */
    (void)p;
}

const war_model *war_get(const pl_scenario *sc)
{
    return sc ? (const war_model *)sc->ext[PL_EXT_WAR] : NULL;
}

int pl_scenario_has_war(const pl_scenario *sc)
{
    return war_get(sc) != NULL;
}

static int whole(ld *L, const ynode *n, const char *what, long lo, long hi, int *out)
{
    double d;
    if (ld_double(L, n, what, &d) != 0)
        return -1;
    if (d != floor(d) || d < (double)lo || d > (double)hi)
        return ld_fail(L, n, "%s must be a whole number from %ld to %ld", what, lo, hi);
    *out = (int)d;
    return 0;
}

/* A number into the pool, with a readable path for diagnostics and cites. */
static int num(ld *L, const ynode *n, const char *path, const char *what, double lo, double hi,
               const char *desc, int *out)
{
    return ld_num(L, n, path, what, lo, hi, desc, out);
}

static int parse_effects(ld *L, const ynode *seq, war_front *f)
{
    static const char *const keys[] = {"actor", "reservation", "issue", "option", "score",
                                       "evidence", "assume", NULL};
    if (ld_expect_seq(L, seq, "'effects'") != 0)
        return -1;
    f->eff = ld_alloc(L, sizeof *f->eff * (seq->n + 1));
    if (!f->eff)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "an effect") != 0 || ld_check_keys(L, m, keys, "effect") != 0)
            return -1;
        war_effect *e = &f->eff[f->n_eff++];
        const ynode *an = ld_need(L, m, "actor", "an effect");
        if (!an || (e->actor = ld_actor(L, an)) < 0)
            return -1;
        if (!ld_scenario(L)->actor[e->actor].has_pref)
            return ld_fail(L, an, "actor '%s' has no preferences for the war to move",
                           ld_scenario(L)->actor[e->actor].id);
        const ynode *rn = ld_get(m, "reservation"), *in = ld_get(m, "issue");
        char path[256];
        if (rn && in)
            return ld_fail(L, in, "an effect moves either a reservation or an option's "
                                  "score, not both");
        if (rn) {
            e->issue = e->option = -1;
            snprintf(path, sizeof path, "war.fronts.%s.effects.%s.reservation", f->id,
                     ld_scenario(L)->actor[e->actor].id);
            if (num(L, rn, path, "a reservation effect", -1e6, 1e6, "between -1e6 and 1e6",
                    &e->per_share_num) != 0)
                return -1;
            continue;
        }
        if (!in)
            return ld_fail(L, m, "an effect needs 'reservation' or 'issue', 'option' and "
                                 "'score'");
        if ((e->issue = ld_issue(L, in)) < 0)
            return -1;
        const ynode *on = ld_need(L, m, "option", "an effect on an issue");
        if (!on || (e->option = ld_option(L, on, (size_t)e->issue)) < 0)
            return -1;
        const ynode *sn = ld_need(L, m, "score", "an effect on an issue");
        if (!sn)
            return -1;
        snprintf(path, sizeof path, "war.fronts.%s.effects.%s.%s.%s", f->id,
                 ld_scenario(L)->actor[e->actor].id, ld_scenario(L)->issue[e->issue].id,
                 ld_scenario(L)->issue[e->issue].opt[e->option].id);
        if (num(L, sn, path, "a score effect", -1e6, 1e6, "between -1e6 and 1e6",
                &e->per_share_num) != 0)
            return -1;
    }
    return 0;
}

/* A gate's or lift's 'above' and/or 'below' (control shares, 0..1). */
static int parse_threshold(ld *L, const ynode *m, const char *what, war_threshold *t)
{
    t->above = NAN;
    t->below = NAN;
    const ynode *a = ld_get(m, "above"), *b = ld_get(m, "below");
    if (!a && !b)
        return ld_fail(L, m, "%s needs 'above' or 'below' (a control share)", what);
    if (a && ld_double(L, a, "'above'", &t->above) != 0)
        return -1;
    if (b && ld_double(L, b, "'below'", &t->below) != 0)
        return -1;
    if (a && !(t->above >= 0 && t->above <= 1))
        return ld_fail(L, a, "'above' must be a control share between 0 and 1");
    if (b && !(t->below >= 0 && t->below <= 1))
        return ld_fail(L, b, "'below' must be a control share between 0 and 1");
    return 0;
}

static int parse_gates(ld *L, const ynode *seq, war_front *f)
{
    static const char *const keys[] = {"issue", "option", "above", "below", "evidence",
                                       "assume", NULL};
    if (ld_expect_seq(L, seq, "'gates'") != 0)
        return -1;
    f->gate = ld_alloc(L, sizeof *f->gate * (seq->n + 1));
    if (!f->gate)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "a gate") != 0 || ld_check_keys(L, m, keys, "gate") != 0)
            return -1;
        war_gate *g = &f->gate[f->n_gate++];
        const ynode *in = ld_need(L, m, "issue", "a gate");
        if (!in || (g->issue = ld_issue(L, in)) < 0)
            return -1;
        const ynode *on = ld_need(L, m, "option", "a gate");
        if (!on || (g->option = ld_option(L, on, (size_t)g->issue)) < 0)
            return -1;
        if (parse_threshold(L, m, "a gate", &g->at) != 0)
            return -1;
    }
    return 0;
}

static int parse_lifts(ld *L, const ynode *seq, war_front *f)
{
    static const char *const keys[] = {"actor", "red_line", "above", "below", "evidence",
                                       "assume", NULL};
    pl_scenario *sc = ld_scenario(L);
    if (ld_expect_seq(L, seq, "'lifts'") != 0)
        return -1;
    f->lift = ld_alloc(L, sizeof *f->lift * (seq->n + 1));
    if (!f->lift)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "a lift") != 0 || ld_check_keys(L, m, keys, "lift") != 0)
            return -1;
        war_lift *g = &f->lift[f->n_lift++];
        const ynode *an = ld_need(L, m, "actor", "a lift");
        if (!an || (g->actor = ld_actor(L, an)) < 0)
            return -1;
        const ynode *rn = ld_need(L, m, "red_line", "a lift");
        const char *id;
        if (!rn || ld_str(L, rn, "a red line id", &id) != 0)
            return -1;
        g->rule = -1;
        for (size_t r = 0; r < sc->n_rules; r++)
            if (sc->rule[r].actor == g->actor && strcmp(sc->rule[r].id, id) == 0)
                g->rule = (long)r;
        if (g->rule < 0)
            return ld_fail(L, rn, "actor '%s' has no red line '%s'", sc->actor[g->actor].id, id);
        if (parse_threshold(L, m, "a lift", &g->at) != 0)
            return -1;
    }
    return 0;
}

static int parse_fronts(ld *L, const ynode *seq, war_model *w)
{
    static const char *const keys[] = {"id", "name", "holder", "control", "trend", "volatility",
                                       "effects", "gates", "lifts", "evidence", "assume", NULL};
    if (ld_expect_seq(L, seq, "'fronts'") != 0)
        return -1;
    if (seq->n == 0)
        return ld_fail(L, seq, "'fronts' needs at least one front");
    w->front = ld_alloc(L, sizeof *w->front * seq->n);
    if (!w->front)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "a front") != 0 || ld_check_keys(L, m, keys, "front") != 0)
            return -1;
        war_front *f = &w->front[w->n_front];
        const ynode *idn = ld_need(L, m, "id", "a front");
        if (!idn || ld_id(L, idn, "a front id", &f->id) != 0)
            return -1;
        for (size_t j = 0; j < w->n_front; j++)
            if (strcmp(w->front[j].id, f->id) == 0)
                return ld_fail(L, idn, "duplicate front id '%s'", f->id);
        w->n_front++;
        const ynode *hn = ld_need(L, m, "holder", "a front");
        if (!hn || (f->holder = ld_actor(L, hn)) < 0)
            return -1;
        char path[256];
        const ynode *cn = ld_need(L, m, "control", "a front");
        snprintf(path, sizeof path, "war.fronts.%s.control", f->id);
        if (!cn || num(L, cn, path, "a control share", 0, 1, "between 0 and 1",
                       &f->control_num) != 0)
            return -1;
        const ynode *tn = ld_get(m, "trend");
        f->trend_num = f->vol_num = -1;
        snprintf(path, sizeof path, "war.fronts.%s.trend", f->id);
        if (tn && num(L, tn, path, "a monthly trend", -1, 1, "between -1 and 1",
                      &f->trend_num) != 0)
            return -1;
        const ynode *vn = ld_get(m, "volatility");
        snprintf(path, sizeof path, "war.fronts.%s.volatility", f->id);
        if (vn && num(L, vn, path, "a volatility", 0, 1, "between 0 and 1", &f->vol_num) != 0)
            return -1;
        const ynode *en = ld_get(m, "effects"), *gn = ld_get(m, "gates");
        if (en && parse_effects(L, en, f) != 0)
            return -1;
        if (gn && parse_gates(L, gn, f) != 0)
            return -1;
        const ynode *ln = ld_get(m, "lifts");
        if (ln && parse_lifts(L, ln, f) != 0)
            return -1;
    }
    return 0;
}

static int parse_per_actor(ld *L, const ynode *m, const char *prefix, const char *what,
                           double lo, double hi, const char *desc, int *out)
{
    pl_scenario *sc = ld_scenario(L);
    for (size_t a = 0; a < sc->n_actors; a++)
        out[a] = -1;
    if (ld_expect_map(L, m, what) != 0)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        const ynode *key = m->kid[2 * k], *val = m->kid[2 * k + 1];
        long a = ld_actor(L, key);
        if (a < 0)
            return -1;
        if (out[a] >= 0)
            return ld_fail(L, key, "actor '%s' appears twice in %s", sc->actor[a].id, what);
        char path[256];
        snprintf(path, sizeof path, "%s.%s", prefix, sc->actor[a].id);
        if (num(L, val, path, what, lo, hi, desc, &out[a]) != 0)
            return -1;
    }
    return 0;
}

static int parse_months(ld *L, const ynode *seq, unsigned *mask)
{
    if (ld_expect_seq(L, seq, "'months'") != 0)
        return -1;
    if (seq->n == 0)
        return ld_fail(L, seq, "'months' needs at least one calendar month (1-12)");
    *mask = 0;
    for (size_t k = 0; k < seq->n; k++) {
        int mo = 0;
        if (whole(L, seq->kid[k], "a calendar month", 1, 12, &mo) != 0)
            return -1;
        *mask |= 1u << mo;
    }
    return 0;
}

static int parse_shocks(ld *L, const ynode *seq, war_model *w)
{
    static const char *const keys[] = {"id", "actor", "months", "cost", "evidence", "assume",
                                       NULL};
    if (ld_expect_seq(L, seq, "'shocks'") != 0)
        return -1;
    w->shock = ld_alloc(L, sizeof *w->shock * (seq->n + 1));
    if (!w->shock)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "a shock") != 0 || ld_check_keys(L, m, keys, "shock") != 0)
            return -1;
        war_shock *s = &w->shock[w->n_shock++];
        s->trend_num = -1;
        s->front = -1;
        const char *id;
        const ynode *idn = ld_need(L, m, "id", "a shock");
        if (!idn || ld_id(L, idn, "a shock id", &id) != 0)
            return -1;
        const ynode *an = ld_need(L, m, "actor", "a shock");
        if (!an || (s->actor = ld_actor(L, an)) < 0)
            return -1;
        const ynode *mn = ld_need(L, m, "months", "a shock");
        if (!mn || parse_months(L, mn, &s->months_mask) != 0)
            return -1;
        const ynode *cn = ld_need(L, m, "cost", "a shock");
        char path[256];
        snprintf(path, sizeof path, "war.shocks.%s.cost", id);
        if (!cn || num(L, cn, path, "a shock's cost", 0, 1e6, "between 0 and 1e6",
                       &s->cost_num) != 0)
            return -1;
    }
    return 0;
}

static int parse_deadlines(ld *L, const ynode *seq, war_model *w)
{
    static const char *const keys[] = {"id", "month", "actor", "reservation", "note",
                                       "evidence", "assume", NULL};
    if (ld_expect_seq(L, seq, "'deadlines'") != 0)
        return -1;
    w->dl = ld_alloc(L, sizeof *w->dl * (seq->n + 1));
    if (!w->dl)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *m = seq->kid[k];
        if (ld_expect_map(L, m, "a deadline") != 0 ||
            ld_check_keys(L, m, keys, "deadline") != 0)
            return -1;
        war_deadline *d = &w->dl[w->n_dl++];
        const ynode *idn = ld_need(L, m, "id", "a deadline");
        if (!idn || ld_id(L, idn, "a deadline id", &d->id) != 0)
            return -1;
        const ynode *mn = ld_need(L, m, "month", "a deadline");
        if (!mn || whole(L, mn, "a deadline's month", 1, 1200, &d->month) != 0)
            return -1;
        const ynode *an = ld_need(L, m, "actor", "a deadline");
        if (!an || (d->actor = ld_actor(L, an)) < 0)
            return -1;
        const ynode *rn = ld_need(L, m, "reservation", "a deadline");
        char path[256];
        snprintf(path, sizeof path, "war.deadlines.%s.reservation", d->id);
        if (!rn || num(L, rn, path, "a deadline's change of reservation", -1e6, 1e6,
                       "between -1e6 and 1e6", &d->delta_num) != 0)
            return -1;
    }
    return 0;
}

static long find_proposal(const pl_scenario *sc, const char *id)
{
    for (size_t p = 0; p < sc->n_props; p++)
        if (strcmp(sc->prop[p].id, id) == 0)
            return (long)p;
    return -1;
}

/* `first: [actor, ...]`: who delivers before the others. An empty list means
 * the same as no list (everyone at once), so a file can say so explicitly. */
static int parse_first(ld *L, const ynode *fn, war_seq *s)
{
    pl_scenario *sc = ld_scenario(L);
    if (ld_expect_seq(L, fn, "'first' (the actors that deliver first)") != 0)
        return -1;
    s->first = ld_alloc(L, sizeof *s->first * (fn->n + 1));
    if (!s->first)
        return ld_oom(L);
    for (size_t k = 0; k < fn->n; k++) {
        long a = ld_actor(L, fn->kid[k]);
        if (a < 0)
            return -1;
        if (s->is_first[a])
            return ld_fail(L, fn->kid[k], "actor '%s' appears twice in 'first' of sequencing "
                                          "'%s'", sc->actor[a].id, s->id);
        s->is_first[a] = 1;
        s->first[s->n_first++] = a;
    }
    return 0;
}

static int parse_sequencing(ld *L, const ynode *m, war_model *w)
{
    static const char *const keys[] = {"use", "options", NULL};
    static const char *const okeys[] = {"id", "first", "renege", "cost", "note", "evidence",
                                        "assume", NULL};
    pl_scenario *sc = ld_scenario(L);
    if (ld_expect_map(L, m, "'sequencing'") != 0 ||
        ld_check_keys(L, m, keys, "sequencing") != 0)
        return -1;
    const ynode *seq = ld_need(L, m, "options", "'sequencing'");
    if (!seq || ld_expect_seq(L, seq, "'options'") != 0)
        return -1;
    if (seq->n == 0)
        return ld_fail(L, seq, "'options' needs at least one sequencing");
    w->seq = ld_alloc(L, sizeof *w->seq * seq->n);
    if (!w->seq)
        return ld_oom(L);
    for (size_t k = 0; k < seq->n; k++) {
        const ynode *o = seq->kid[k];
        if (ld_expect_map(L, o, "a sequencing") != 0 ||
            ld_check_keys(L, o, okeys, "sequencing option") != 0)
            return -1;
        war_seq *s = &w->seq[w->n_seq];
        const ynode *idn = ld_need(L, o, "id", "a sequencing");
        if (!idn || ld_id(L, idn, "a sequencing id", &s->id) != 0)
            return -1;
        for (size_t j = 0; j < w->n_seq; j++)
            if (strcmp(w->seq[j].id, s->id) == 0)
                return ld_fail(L, idn, "duplicate sequencing id '%s'", s->id);
        w->n_seq++;
        s->renege_num = ld_alloc(L, sizeof(int) * sc->n_actors);
        s->cost_num = ld_alloc(L, sizeof(int) * sc->n_actors);
        s->is_first = ld_alloc(L, sc->n_actors);
        if (!s->renege_num || !s->cost_num || !s->is_first)
            return ld_oom(L);
        for (size_t a = 0; a < sc->n_actors; a++) {
            s->renege_num[a] = s->cost_num[a] = -1;
            s->is_first[a] = 0;
        }
        s->first = NULL;
        s->n_first = 0;
        const ynode *fn = ld_get(o, "first");
        if (fn && parse_first(L, fn, s) != 0)
            return -1;
        char path[256];
        const ynode *rn = ld_get(o, "renege"), *cn = ld_get(o, "cost");
        snprintf(path, sizeof path, "war.talks.sequencing.%s.renege", s->id);
        if (rn && parse_per_actor(L, rn, path, "a reneging probability", 0, 1,
                                  "between 0 and 1", s->renege_num) != 0)
            return -1;
        snprintf(path, sizeof path, "war.talks.sequencing.%s.cost", s->id);
        if (cn && parse_per_actor(L, cn, path, "a reneging cost", 0, 1e6, "between 0 and 1e6",
                                  s->cost_num) != 0)
            return -1;
    }
    const ynode *un = ld_get(m, "use");
    w->use_seq = 0;
    if (un) {
        const char *id;
        if (ld_str(L, un, "'use'", &id) != 0)
            return -1;
        size_t k = 0;
        while (k < w->n_seq && strcmp(w->seq[k].id, id) != 0)
            k++;
        if (k == w->n_seq)
            return ld_fail(L, un, "unknown sequencing '%s' (not among 'options')", id);
        w->use_seq = k;
    }
    return 0;
}

static int parse_talks(ld *L, const ynode *m, war_model *w)
{
    static const char *const keys[] = {"rule", "drafts", "every", "noise", "ceasefire_days",
                                       "sequencing", "evidence", "assume", NULL};
    pl_scenario *sc = ld_scenario(L);
    if (ld_expect_map(L, m, "'talks'") != 0 || ld_check_keys(L, m, keys, "talks") != 0)
        return -1;
    const ynode *rn = ld_get(m, "rule");
    w->rule = WAR_RULE_NASH;
    if (rn) {
        const char *r;
        if (ld_str(L, rn, "'rule'", &r) != 0)
            return -1;
        if (strcmp(r, "nash") == 0)
            w->rule = WAR_RULE_NASH;
        else if (strcmp(r, "drafts") == 0)
            w->rule = WAR_RULE_DRAFTS;
        else
            return ld_fail(L, rn, "unknown talks rule '%s' (one of: nash, drafts)", r);
    }
    const ynode *dn = ld_get(m, "drafts");
    if (w->rule == WAR_RULE_DRAFTS && !dn)
        return ld_fail(L, rn, "rule 'drafts' needs a list 'drafts' of proposal ids");
    if (dn) {
        if (w->rule != WAR_RULE_DRAFTS)
            return ld_fail(L, dn, "'drafts' applies only with 'rule: drafts'");
        if (ld_expect_seq(L, dn, "'drafts'") != 0)
            return -1;
        if (dn->n == 0)
            return ld_fail(L, dn, "'drafts' needs at least one proposal id");
        w->drafts = ld_alloc(L, sizeof *w->drafts * dn->n);
        if (!w->drafts)
            return ld_oom(L);
        for (size_t k = 0; k < dn->n; k++) {
            const char *id;
            if (ld_str(L, dn->kid[k], "a proposal id", &id) != 0)
                return -1;
            long p = find_proposal(sc, id);
            if (p < 0)
                return ld_fail(L, dn->kid[k], "unknown proposal '%s' in 'drafts'", id);
            w->drafts[w->n_drafts++] = p;
        }
    }
    w->draft_every = 1;
    const ynode *en = ld_get(m, "every");
    if (en && whole(L, en, "'every'", 1, 1200, &w->draft_every) != 0)
        return -1;
    const ynode *nn = ld_get(m, "noise");
    w->noise_num = -1;
    if (nn && num(L, nn, "war.talks.noise", "the acceptance noise", 0, 1e6,
                  "between 0 and 1e6", &w->noise_num) != 0)
        return -1;
    w->ceasefire_num = -1;
    const ynode *cn = ld_get(m, "ceasefire_days");
    if (cn && num(L, cn, "war.talks.ceasefire_days", "'ceasefire_days'", 0, 3650,
                  "between 0 and 3650 days", &w->ceasefire_num) != 0)
        return -1;
    const ynode *sn = ld_get(m, "sequencing");
    if (sn && parse_sequencing(L, sn, w) != 0)
        return -1;
    return 0;
}

int war_parse_section(ld *L, const ynode *section)
{
    static const char *const keys[] = {"start", "horizon", "fronts", "costs", "shocks",
                                       "deadlines", "talks", "evidence", "assume", NULL};
    pl_scenario *sc = ld_scenario(L);
    if (ld_expect_map(L, section, "the 'war' section") != 0 ||
        ld_check_keys(L, section, keys, "war") != 0)
        return -1;
    war_model *w = ld_alloc(L, sizeof *w);
    if (!w)
        return ld_oom(L);
    const ynode *sn = ld_need(L, section, "start", "the 'war' section");
    if (!sn || ld_date(L, sn, "'start'", &w->start) != 0)
        return -1;
    w->start_month = (w->start[5] - '0') * 10 + (w->start[6] - '0');
    w->horizon = 24;
    const ynode *hn = ld_get(section, "horizon");
    if (hn) {
        double d;
        if (ld_double(L, hn, "'horizon'", &d) != 0)
            return -1;
        if (d == 0)
            return ld_fail(L, hn, "the horizon is zero months: nothing to simulate (give 1 "
                                  "to 1200)");
        if (whole(L, hn, "'horizon' (months)", 1, 1200, &w->horizon) != 0)
            return -1;
    }
    const ynode *fn = ld_need(L, section, "fronts", "the 'war' section");
    if (!fn || parse_fronts(L, fn, w) != 0)
        return -1;
    w->cost_num = ld_alloc(L, sizeof(int) * (sc->n_actors + 1));
    if (!w->cost_num)
        return ld_oom(L);
    for (size_t a = 0; a < sc->n_actors; a++)
        w->cost_num[a] = -1;
    const ynode *cn = ld_get(section, "costs");
    if (cn && parse_per_actor(L, cn, "war.costs", "a monthly cost of war", 0, 1e6,
                              "between 0 and 1e6", w->cost_num) != 0)
        return -1;
    const ynode *shn = ld_get(section, "shocks"), *dn = ld_get(section, "deadlines"),
                *tn = ld_get(section, "talks");
    if (shn && parse_shocks(L, shn, w) != 0)
        return -1;
    if (dn && parse_deadlines(L, dn, w) != 0)
        return -1;
    if (tn && parse_talks(L, tn, w) != 0)
        return -1;
    if (!tn) {
        w->rule = WAR_RULE_NASH;
        w->draft_every = 1;
        w->noise_num = -1;
        w->ceasefire_num = -1;
    }
    sc->ext[PL_EXT_WAR] = w;
    sc->ext_free[PL_EXT_WAR] = war_free;
    return 0;
}
