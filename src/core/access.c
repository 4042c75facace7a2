/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public read-only view of a scenario (parley.h accessors). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "util/util.h"

pl_status pl_scenario_set_as_of(pl_scenario *sc, const char *date, pl_diag *diag)
{
    if (!sc) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "no scenario");
        return PL_E_ARG;
    }
    if (model_select(sc, date, diag) != 0) {
        /* Keep the scenario usable: fall back to all events. */
        pl_diag tmp;
        pl_status st = diag ? diag->status : PL_E_INPUT;
        model_select(sc, NULL, &tmp);
        return st == PL_OK ? PL_E_INPUT : st;
    }
    return PL_OK;
}

const char *pl_scenario_as_of(const pl_scenario *sc)
{
    return sc && sc->as_of[0] ? sc->as_of : NULL;
}

void pl_scenario_get_info(const pl_scenario *sc, pl_scenario_info *out)
{
    memset(out, 0, sizeof *out);
    if (!sc)
        return;
    out->id = sc->id;
    out->name = sc->name;
    out->description = sc->description;
    out->date = sc->date;
    out->file = sc->file;
    memcpy(out->hash, sc->hash, sizeof out->hash);
    out->n_actors = sc->n_actors;
    out->n_issues = sc->n_issues;
    out->n_proposals = sc->n_props;
    out->n_evidence = sc->n_ev;
    out->n_events = sc->n_events;
    out->n_constraints = sc->cur.n_cons;
    out->n_events_applied = sc->cur.n_applied;
    double l = 0;
    for (size_t i = 0; i < sc->n_issues; i++)
        l += log10((double)sc->issue[i].n_opt);
    out->log10_packages = l;
}

const char *pl_role_string(pl_role role)
{
    switch (role) {
    case PL_ROLE_PARTY: return "party";
    case PL_ROLE_MEDIATOR: return "mediator";
    case PL_ROLE_GUARANTOR: return "guarantor";
    case PL_ROLE_OBSERVER: return "observer";
    }
    return "unknown";
}

pl_status pl_scenario_actor(const pl_scenario *sc, size_t i, pl_actor_info *out)
{
    if (!sc || !out || i >= sc->n_actors)
        return PL_E_NOTFOUND;
    const pl_actor *a = &sc->actor[i];
    out->id = a->id;
    out->name = a->name;
    out->role = a->role;
    out->veto = a->veto;
    out->has_preferences = a->has_pref;
    out->capability = sc->cur.cap[i];
    out->reservation = sc->cur.res[i];
    out->ratification_required = a->rat_required;
    out->ratification_kind = a->rat_kind;
    out->support = sc->cur.sup[i];
    out->n_red_lines = sc->cur.n_red[i];
    out->n_interactions = sc->cur.n_inter[i];
    return PL_OK;
}

long pl_scenario_find_actor(const pl_scenario *sc, const char *id)
{
    if (!sc || !id)
        return -1;
    for (size_t i = 0; i < sc->n_actors; i++)
        if (strcmp(sc->actor[i].id, id) == 0)
            return (long)i;
    return -1;
}

pl_status pl_scenario_issue(const pl_scenario *sc, size_t i, pl_issue_info *out)
{
    if (!sc || !out || i >= sc->n_issues)
        return PL_E_NOTFOUND;
    out->id = sc->issue[i].id;
    out->name = sc->issue[i].name;
    out->n_options = sc->issue[i].n_opt;
    out->status_quo = sc->cur.sq[i];
    return PL_OK;
}

pl_status pl_scenario_option(const pl_scenario *sc, size_t issue, size_t opt,
                             pl_option_info *out)
{
    if (!sc || !out || issue >= sc->n_issues || opt >= sc->issue[issue].n_opt)
        return PL_E_NOTFOUND;
    const pl_option *o = &sc->issue[issue].opt[opt];
    out->id = o->id;
    out->label = o->label;
    out->position = o->position;
    out->n_attrs = o->n_attrs;
    return PL_OK;
}

pl_status pl_scenario_option_attr(const pl_scenario *sc, size_t issue, size_t opt, size_t k,
                                  const char **name, double *value)
{
    if (!sc || issue >= sc->n_issues || opt >= sc->issue[issue].n_opt ||
        k >= sc->issue[issue].opt[opt].n_attrs)
        return PL_E_NOTFOUND;
    if (name)
        *name = sc->issue[issue].opt[opt].attr_name[k];
    if (value)
        *value = sc->issue[issue].opt[opt].attr_value[k];
    return PL_OK;
}

long pl_scenario_find_issue(const pl_scenario *sc, const char *id)
{
    if (!sc || !id)
        return -1;
    for (size_t i = 0; i < sc->n_issues; i++)
        if (strcmp(sc->issue[i].id, id) == 0)
            return (long)i;
    return -1;
}

long pl_scenario_find_option(const pl_scenario *sc, size_t issue, const char *id)
{
    if (!sc || !id || issue >= sc->n_issues)
        return -1;
    for (size_t o = 0; o < sc->issue[issue].n_opt; o++)
        if (strcmp(sc->issue[issue].opt[o].id, id) == 0)
            return (long)o;
    return -1;
}

double pl_scenario_weight(const pl_scenario *sc, size_t actor, size_t issue)
{
    if (!sc || actor >= sc->n_actors || issue >= sc->n_issues)
        return 0;
    return sc->cur.w[actor * sc->n_issues + issue];
}

double pl_scenario_score(const pl_scenario *sc, size_t actor, size_t issue, size_t opt)
{
    if (!sc || actor >= sc->n_actors || issue >= sc->n_issues || opt >= sc->issue[issue].n_opt)
        return 0;
    return sc->cur.s[actor * sc->total_opts + sc->issue[issue].opt_base + opt];
}

static void rule_info(const pl_scenario *sc, const pl_rule *r, pl_rule_info *out)
{
    out->id = r->id;
    out->kind = r->kind;
    out->expr = r->src;
    out->text = r->text;
    out->credence = r->credence_num < 0 ? 1.0 : sc->num[r->credence_num].value;
    out->active = out->credence >= 0.5;
}

size_t pl_scenario_red_line_count(const pl_scenario *sc, size_t actor)
{
    return sc && actor < sc->n_actors ? sc->cur.n_red[actor] : 0;
}

pl_status pl_scenario_red_line(const pl_scenario *sc, size_t actor, size_t k, pl_rule_info *out)
{
    if (!sc || !out || actor >= sc->n_actors || k >= sc->cur.n_red[actor])
        return PL_E_NOTFOUND;
    rule_info(sc, &sc->rule[sc->cur.red[actor][k]], out);
    return PL_OK;
}

size_t pl_scenario_constraint_count(const pl_scenario *sc)
{
    return sc ? sc->cur.n_cons : 0;
}

pl_status pl_scenario_constraint(const pl_scenario *sc, size_t k, pl_rule_info *out)
{
    if (!sc || !out || k >= sc->cur.n_cons)
        return PL_E_NOTFOUND;
    rule_info(sc, &sc->rule[sc->cur.cons[k]], out);
    return PL_OK;
}

size_t pl_scenario_interaction_count(const pl_scenario *sc, size_t actor)
{
    return sc && actor < sc->n_actors ? sc->cur.n_inter[actor] : 0;
}

pl_status pl_scenario_interaction(const pl_scenario *sc, size_t actor, size_t k,
                                  pl_interaction_info *out)
{
    if (!sc || !out || actor >= sc->n_actors || k >= sc->cur.n_inter[actor])
        return PL_E_NOTFOUND;
    const pl_inter *in = &sc->inter[sc->cur.inter[actor][k]];
    out->id = in->id;
    out->when = in->when;
    out->bonus = sc->num[in->bonus_num].value;
    out->note = in->note;
    return PL_OK;
}

static int prop_on_table(const pl_scenario *sc, size_t p)
{
    const pl_proposal *pr = &sc->prop[p];
    if (sc->cur.withdrawn[p])
        return 0;
    return !(sc->as_of[0] && pr->date[0] && strcmp(pr->date, sc->as_of) > 0);
}

pl_status pl_scenario_proposal(const pl_scenario *sc, size_t p, pl_proposal_info *out)
{
    if (!sc || !out || p >= sc->n_props)
        return PL_E_NOTFOUND;
    const pl_proposal *pr = &sc->prop[p];
    out->id = pr->id;
    out->name = pr->name;
    out->date = pr->date;
    out->author = pr->author;
    out->note = pr->note;
    out->n_specified = pr->n_specified;
    out->complete = pr->n_specified == sc->n_issues;
    out->on_table = prop_on_table(sc, p);
    return PL_OK;
}

long pl_scenario_proposal_option(const pl_scenario *sc, size_t p, size_t issue)
{
    if (!sc || p >= sc->n_props || issue >= sc->n_issues)
        return -1;
    return sc->prop[p].opt[issue];
}

long pl_scenario_find_proposal(const pl_scenario *sc, const char *id)
{
    if (!sc || !id)
        return -1;
    for (size_t p = 0; p < sc->n_props; p++)
        if (strcmp(sc->prop[p].id, id) == 0)
            return (long)p;
    return -1;
}

pl_status pl_scenario_evidence(const pl_scenario *sc, size_t k, pl_evidence_info *out)
{
    if (!sc || !out || k >= sc->n_ev)
        return PL_E_NOTFOUND;
    const pl_evidence *e = &sc->ev[k];
    out->id = e->id;
    out->outlet = e->outlet;
    out->title = e->title;
    out->url = e->url;
    out->date = e->date;
    out->quote = e->quote;
    out->reliability = e->reliability;
    out->note = e->note;
    out->n_contradicts = e->n_contra;
    out->contradicts = e->contra;
    return PL_OK;
}

long pl_scenario_find_evidence(const pl_scenario *sc, const char *id)
{
    if (!sc || !id)
        return -1;
    for (size_t k = 0; k < sc->n_ev; k++)
        if (strcmp(sc->ev[k].id, id) == 0)
            return (long)k;
    return -1;
}

pl_status pl_scenario_event(const pl_scenario *sc, size_t k, pl_event_info *out)
{
    if (!sc || !out || k >= sc->n_events)
        return PL_E_NOTFOUND;
    const pl_event *e = &sc->event[k];
    out->id = e->id;
    out->date = e->date;
    out->title = e->title;
    out->n_changes = e->n_ch;
    out->applied = k < sc->cur.n_applied;
    out->n_evidence = e->cite.n_ev;
    out->evidence = e->ev_ids;
    return PL_OK;
}

pl_status pl_package_utility(const pl_scenario *sc, size_t actor, const long *package,
                             double *utility)
{
    if (!sc || !package || !utility || actor >= sc->n_actors)
        return PL_E_ARG;
    if (!sc->actor[actor].has_pref)
        return PL_E_NOTFOUND;
    for (size_t i = 0; i < sc->n_issues; i++)
        if (package[i] < 0 || package[i] >= (long)sc->issue[i].n_opt)
            return PL_E_ARG;
    *utility = model_utility(sc, actor, package);
    return PL_OK;
}

pl_status pl_expr_eval(const pl_scenario *sc, const char *expr, const long *package, int *value,
                       pl_diag *diag)
{
    if (!sc || !expr || !package || !value) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_expr_eval: invalid argument");
        return PL_E_ARG;
    }
    for (size_t i = 0; i < sc->n_issues; i++)
        if (package[i] < -1 || package[i] >= (long)sc->issue[i].n_opt) {
            pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "option index out of range for issue '%s'",
                         sc->issue[i].id);
            return PL_E_ARG;
        }
    px_symbols sym;
    model_symbols((pl_scenario *)sc, &sym);
    px_expr ex;
    px_error err;
    int rc = px_compile(expr, strlen(expr), &sym, &ex, &err);
    if (rc == -2) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    if (rc != 0) {
        pl__diag_set(diag, PL_E_INPUT, "<expr>", 1, (int)err.offset + 1, "%s", err.msg);
        if (diag)
            snprintf(diag->source_line, sizeof diag->source_line, "%s", expr);
        return PL_E_INPUT;
    }
    *value = px_eval3(&ex, package, sc->n_opts);
    px_free(&ex);
    return PL_OK;
}

static void cite_report(const pl_scenario *sc, pl_buf *b, size_t *count)
{
    for (size_t k = 0; k < sc->n_nums; k++) {
        const pl_num *n = &sc->num[k];
        if (n->cite.n_ev || n->cite.assume)
            continue;
        pl_buf_printf(b, "%s (%s:%d:%d)\n", n->path, sc->file, n->line, n->col);
        (*count)++;
    }
    for (size_t r = 0; r < sc->n_rules; r++) {
        const pl_rule *ru = &sc->rule[r];
        if (ru->cite.n_ev || ru->cite.assume)
            continue;
        if (ru->actor >= 0)
            pl_buf_printf(b, "red line %s of %s (%s:%d:%d)\n", ru->id, sc->actor[ru->actor].id,
                          sc->file, ru->line, ru->col);
        else
            pl_buf_printf(b, "constraint %s (%s:%d:%d)\n", ru->id, sc->file, ru->line, ru->col);
        (*count)++;
    }
}

pl_status pl_scenario_uncited(const pl_scenario *sc, char **report, size_t *count)
{
    if (!sc || !report || !count)
        return PL_E_ARG;
    pl_buf b;
    pl_buf_init(&b);
    *count = 0;
    cite_report(sc, &b, count);
    *report = pl_buf_take(&b);
    return *report ? PL_OK : PL_E_NOMEM;
}
