/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON documents of the scenario and of evaluate (keys in docs/json.md). */
#include <math.h>
#include <string.h>

#include "core/model.h"
#include "util/json.h"
#include "util/util.h"

static json_t *jpackage(pl_jb *J, const pl_scenario *sc, const long *pkg)
{
    json_t *o = pl__jb_chk(J, json_object());
    for (size_t i = 0; i < sc->n_issues; i++)
        if (pkg[i] >= 0)
            pl__jb_set(J, o, sc->issue[i].id, pl__jb_str(J, sc->issue[i].opt[pkg[i]].id));
    return o;
}

static pl_status finish(pl_jb *J, json_t *root, char **json, pl_diag *diag)
{
    *json = NULL;
    if (!J->err)
        *json = pl__json_dump(root, 2);
    json_decref(root);
    if (!*json) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    return PL_OK;
}

static json_t *jscenario_ref(pl_jb *J, const pl_scenario *sc)
{
    json_t *o = pl__jb_chk(J, json_object());
    pl__jb_set(J, o, "id", pl__jb_str(J, sc->id));
    pl__jb_set(J, o, "name", pl__jb_str(J, sc->name));
    pl__jb_set(J, o, "hash", pl__jb_str(J, sc->hash));
    pl__jb_set(J, o, "as_of", sc->as_of[0] ? pl__jb_str(J, sc->as_of) : pl__jb_chk(J, json_null()));
    pl__jb_set(J, o, "events_applied", pl__jb_chk(J, json_integer((json_int_t)sc->cur.n_applied)));
    return o;
}

pl_status pl_evaluation_to_json(const pl_scenario *sc, const pl_evaluation *ev, char **json,
                                pl_diag *diag)
{
    if (!sc || !ev || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_evaluation_to_json: invalid argument");
        return PL_E_ARG;
    }
    pl_jb J = {0};
    json_t *root = pl__jb_chk(&J, json_object());
    pl__jb_set(&J, root, "parley_version", pl__jb_str(&J, PL_VERSION_STRING));
    pl__jb_set(&J, root, "scenario", jscenario_ref(&J, sc));
    json_t *props = pl__jb_chk(&J, json_array());
    for (size_t k = 0; k < pl_evaluation_count(ev); k++) {
        json_t *p = pl__jb_chk(&J, json_object());
        long pi = pl_evaluation_proposal(ev, k);
        const pl_proposal *pr = pi >= 0 ? &sc->prop[pi] : NULL;
        pl__jb_set(&J, p, "id", pl__jb_str(&J, pr ? pr->id : "package"));
        pl__jb_set(&J, p, "name", pl__jb_str(&J, pr ? pr->name : "ad-hoc package"));
        pl__jb_set(&J, p, "date", pr && pr->date[0] ? pl__jb_str(&J, pr->date) : pl__jb_chk(&J, json_null()));
        pl__jb_set(&J, p, "author", pr && pr->author[0] ? pl__jb_str(&J, pr->author) : pl__jb_chk(&J, json_null()));
        const long *pkg = pl_evaluation_package(ev, k);
        pl__jb_set(&J, p, "package", jpackage(&J, sc, pkg));
        json_t *open = pl__jb_chk(&J, json_array());
        int partial = 0;
        for (size_t i = 0; i < sc->n_issues; i++) {
            long given = pr ? pr->opt[i] : -2;
            if (given == -1) {
                partial = 1;
                pl__jb_push(&J, open, pl__jb_str(&J, sc->issue[i].id));
            }
        }
        if (!pr) {
            const pl_verdict *v0 = pl_evaluation_verdict(ev, k, 0);
            partial = v0 ? v0->partial : 0;
        }
        pl__jb_set(&J, p, "partial", pl__jb_chk(&J, json_boolean(partial)));
        pl__jb_set(&J, p, "open_issues", open);
        const char *const *cb;
        size_t ncb = pl_evaluation_constraints_broken(ev, k, &cb);
        pl__jb_set(&J, p, "feasible", pl__jb_chk(&J, json_boolean(ncb == 0)));
        pl__jb_set(&J, p, "constraints_broken", pl__jb_strs(&J, cb, ncb));
        pl__jb_set(&J, p, "agreed", pl__jb_chk(&J, json_boolean(pl_evaluation_agreed(ev, k))));
        json_t *blocked = pl__jb_chk(&J, json_array());
        json_t *verdicts = pl__jb_chk(&J, json_object());
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            json_t *o = pl__jb_chk(&J, json_object());
            pl__jb_set(&J, o, "accept", pl__jb_chk(&J, json_boolean(v->accept)));
            pl__jb_set(&J, o, "utility", pl__jb_real(&J, v->utility));
            pl__jb_set(&J, o, "margin", pl__jb_real(&J, v->margin));
            pl__jb_set(&J, o, "reservation", pl__jb_real(&J, sc->cur.res[v->actor]));
            pl__jb_set(&J, o, "veto", pl__jb_chk(&J, json_boolean(sc->actor[v->actor].veto)));
            pl__jb_set(&J, o, "red_lines_broken", pl__jb_strs(&J, v->red_lines_broken, v->n_red_lines_broken));
            pl__jb_set(&J, o, "reasons", pl__jb_strs(&J, v->reasons, v->n_reasons));
            pl__jb_set(&J, o, "evidence", pl__jb_strs(&J, v->evidence, v->n_evidence));
            if (v->partial) {
                json_t *c = pl__jb_chk(&J, json_object());
                if (v->has_completions) {
                    json_t *best = pl__jb_chk(&J, json_object());
                    pl__jb_set(&J, best, "utility", pl__jb_real(&J, v->best_utility));
                    pl__jb_set(&J, best, "options", jpackage(&J, sc, v->best_package));
                    json_t *worst = pl__jb_chk(&J, json_object());
                    pl__jb_set(&J, worst, "utility", pl__jb_real(&J, v->worst_utility));
                    pl__jb_set(&J, worst, "options", jpackage(&J, sc, v->worst_package));
                    pl__jb_set(&J, c, "best", best);
                    pl__jb_set(&J, c, "worst", worst);
                }
                pl__jb_set(&J, o, "completions", c);
            }
            pl__jb_set(&J, verdicts, v->actor_id, o);
            if (sc->actor[v->actor].veto && !v->accept)
                pl__jb_push(&J, blocked, pl__jb_str(&J, v->actor_id));
        }
        pl__jb_set(&J, p, "verdicts", verdicts);
        pl__jb_set(&J, p, "blocked_by", blocked);
        pl__jb_push(&J, props, p);
    }
    pl__jb_set(&J, root, "proposals", props);
    return finish(&J, root, json, diag);
}

static json_t *jnum_detail(pl_jb *J, const pl_scenario *sc, int k)
{
    if (k < 0)
        return pl__jb_chk(J, json_null());
    const pl_num *n = &sc->num[k];
    return pl__jb_real(J, n->value);
}

static json_t *jrule(pl_jb *J, const pl_scenario *sc, const pl_rule *r)
{
    json_t *o = pl__jb_chk(J, json_object());
    pl__jb_set(J, o, "id", pl__jb_str(J, r->id));
    pl__jb_set(J, o, r->kind == PL_RULE_REQUIRE ? "require" : "forbid", pl__jb_str(J, r->src));
    pl__jb_set(J, o, "text", pl__jb_str(J, r->text));
    pl__jb_set(J, o, "credence", pl__jb_real(J, r->credence_num < 0 ? 1.0 : sc->num[r->credence_num].value));
    json_t *ev = pl__jb_chk(J, json_array());
    for (size_t k = 0; k < r->cite.n_ev; k++)
        pl__jb_push(J, ev, pl__jb_str(J, sc->ev[r->cite.ev[k]].id));
    pl__jb_set(J, o, "evidence", ev);
    return o;
}

pl_status pl_scenario_to_json(const pl_scenario *sc, char **json, pl_diag *diag)
{
    if (!sc || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_scenario_to_json: invalid argument");
        return PL_E_ARG;
    }
    pl_jb J = {0};
    const pl_state *st = &sc->cur;
    json_t *root = pl__jb_chk(&J, json_object());
    pl__jb_set(&J, root, "parley_version", pl__jb_str(&J, PL_VERSION_STRING));
    json_t *hdr = jscenario_ref(&J, sc);
    pl__jb_set(&J, hdr, "description", pl__jb_str(&J, sc->description));
    pl__jb_set(&J, hdr, "date", sc->date[0] ? pl__jb_str(&J, sc->date) : pl__jb_chk(&J, json_null()));
    pl__jb_set(&J, root, "scenario", hdr);

    json_t *actors = pl__jb_chk(&J, json_array());
    for (size_t a = 0; a < sc->n_actors; a++) {
        const pl_actor *ac = &sc->actor[a];
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "id", pl__jb_str(&J, ac->id));
        pl__jb_set(&J, o, "name", pl__jb_str(&J, ac->name));
        pl__jb_set(&J, o, "role", pl__jb_str(&J, pl_role_string(ac->role)));
        pl__jb_set(&J, o, "veto", pl__jb_chk(&J, json_boolean(ac->veto)));
        pl__jb_set(&J, o, "capability", jnum_detail(&J, sc, st->cap_num[a]));
        pl__jb_set(&J, o, "reservation", jnum_detail(&J, sc, st->res_num[a]));
        if (ac->rat_kind[0] || ac->rat_required || st->sup_num[a] >= 0) {
            json_t *r = pl__jb_chk(&J, json_object());
            pl__jb_set(&J, r, "required", pl__jb_chk(&J, json_boolean(ac->rat_required)));
            pl__jb_set(&J, r, "kind", pl__jb_str(&J, ac->rat_kind));
            pl__jb_set(&J, r, "support", jnum_detail(&J, sc, st->sup_num[a]));
            pl__jb_set(&J, o, "ratification", r);
        }
        if (ac->has_pref) {
            json_t *pref = pl__jb_chk(&J, json_object());
            json_t *w = pl__jb_chk(&J, json_object()), *s = pl__jb_chk(&J, json_object());
            for (size_t i = 0; i < sc->n_issues; i++) {
                double wi = st->w[a * sc->n_issues + i];
                if (wi <= 0)
                    continue;
                pl__jb_set(&J, w, sc->issue[i].id, pl__jb_real(&J, wi));
                json_t *row = pl__jb_chk(&J, json_object());
                for (size_t o2 = 0; o2 < sc->issue[i].n_opt; o2++)
                    pl__jb_set(&J, row, sc->issue[i].opt[o2].id,
                        pl__jb_real(&J, st->s[a * sc->total_opts + sc->issue[i].opt_base + o2]));
                pl__jb_set(&J, s, sc->issue[i].id, row);
            }
            pl__jb_set(&J, pref, "weights", w);
            pl__jb_set(&J, pref, "scores", s);
            json_t *rl = pl__jb_chk(&J, json_array());
            for (size_t k = 0; k < st->n_red[a]; k++)
                pl__jb_push(&J, rl, jrule(&J, sc, &sc->rule[st->red[a][k]]));
            pl__jb_set(&J, pref, "red_lines", rl);
            json_t *ia = pl__jb_chk(&J, json_array());
            for (size_t k = 0; k < st->n_inter[a]; k++) {
                const pl_inter *in = &sc->inter[st->inter[a][k]];
                json_t *io = pl__jb_chk(&J, json_object());
                pl__jb_set(&J, io, "id", pl__jb_str(&J, in->id));
                pl__jb_set(&J, io, "when", pl__jb_str(&J, in->when));
                pl__jb_set(&J, io, "bonus", pl__jb_real(&J, sc->num[in->bonus_num].value));
                pl__jb_set(&J, io, "note", pl__jb_str(&J, in->note));
                pl__jb_push(&J, ia, io);
            }
            pl__jb_set(&J, pref, "interactions", ia);
            pl__jb_set(&J, o, "preferences", pref);
        }
        pl__jb_push(&J, actors, o);
    }
    pl__jb_set(&J, root, "actors", actors);

    json_t *issues = pl__jb_chk(&J, json_array());
    for (size_t i = 0; i < sc->n_issues; i++) {
        const pl_issue *is = &sc->issue[i];
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "id", pl__jb_str(&J, is->id));
        pl__jb_set(&J, o, "name", pl__jb_str(&J, is->name));
        pl__jb_set(&J, o, "status_quo", pl__jb_str(&J, is->opt[st->sq[i]].id));
        json_t *opts = pl__jb_chk(&J, json_array());
        for (size_t k = 0; k < is->n_opt; k++) {
            const pl_option *op = &is->opt[k];
            json_t *oo = pl__jb_chk(&J, json_object());
            pl__jb_set(&J, oo, "id", pl__jb_str(&J, op->id));
            pl__jb_set(&J, oo, "label", pl__jb_str(&J, op->label));
            pl__jb_set(&J, oo, "position", pl__jb_real(&J, op->position));
            json_t *at = pl__jb_chk(&J, json_object());
            for (size_t q = 0; q < op->n_attrs; q++)
                pl__jb_set(&J, at, op->attr_name[q], pl__jb_real(&J, op->attr_value[q]));
            pl__jb_set(&J, oo, "attrs", at);
            pl__jb_push(&J, opts, oo);
        }
        pl__jb_set(&J, o, "options", opts);
        pl__jb_push(&J, issues, o);
    }
    pl__jb_set(&J, root, "issues", issues);

    json_t *cons = pl__jb_chk(&J, json_array());
    for (size_t k = 0; k < st->n_cons; k++)
        pl__jb_push(&J, cons, jrule(&J, sc, &sc->rule[st->cons[k]]));
    pl__jb_set(&J, root, "constraints", cons);

    json_t *props = pl__jb_chk(&J, json_array());
    for (size_t p = 0; p < sc->n_props; p++) {
        const pl_proposal *pr = &sc->prop[p];
        pl_proposal_info info;
        pl_scenario_proposal(sc, p, &info);
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "id", pl__jb_str(&J, pr->id));
        pl__jb_set(&J, o, "name", pl__jb_str(&J, pr->name));
        pl__jb_set(&J, o, "date", pr->date[0] ? pl__jb_str(&J, pr->date) : pl__jb_chk(&J, json_null()));
        pl__jb_set(&J, o, "author", pr->author[0] ? pl__jb_str(&J, pr->author) : pl__jb_chk(&J, json_null()));
        pl__jb_set(&J, o, "options", jpackage(&J, sc, pr->opt));
        pl__jb_set(&J, o, "complete", pl__jb_chk(&J, json_boolean(info.complete)));
        pl__jb_set(&J, o, "on_table", pl__jb_chk(&J, json_boolean(info.on_table)));
        pl__jb_push(&J, props, o);
    }
    pl__jb_set(&J, root, "proposals", props);

    json_t *evs = pl__jb_chk(&J, json_array());
    for (size_t k = 0; k < sc->n_ev; k++) {
        const pl_evidence *e = &sc->ev[k];
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "id", pl__jb_str(&J, e->id));
        pl__jb_set(&J, o, "outlet", pl__jb_str(&J, e->outlet));
        pl__jb_set(&J, o, "title", pl__jb_str(&J, e->title));
        pl__jb_set(&J, o, "url", pl__jb_str(&J, e->url));
        pl__jb_set(&J, o, "date", pl__jb_str(&J, e->date));
        pl__jb_set(&J, o, "quote", pl__jb_str(&J, e->quote));
        pl__jb_set(&J, o, "reliability", pl__jb_str(&J, e->reliability));
        pl__jb_set(&J, o, "contradicts", pl__jb_strs(&J, e->contra, e->n_contra));
        pl__jb_push(&J, evs, o);
    }
    pl__jb_set(&J, root, "evidence", evs);

    json_t *tl = pl__jb_chk(&J, json_array());
    for (size_t k = 0; k < sc->n_events; k++) {
        const pl_event *e = &sc->event[k];
        json_t *o = pl__jb_chk(&J, json_object());
        pl__jb_set(&J, o, "id", pl__jb_str(&J, e->id));
        pl__jb_set(&J, o, "date", pl__jb_str(&J, e->date));
        pl__jb_set(&J, o, "title", pl__jb_str(&J, e->title));
        pl__jb_set(&J, o, "changes", pl__jb_chk(&J, json_integer((json_int_t)e->n_ch)));
        pl__jb_set(&J, o, "applied", pl__jb_chk(&J, json_boolean(k < st->n_applied)));
        pl__jb_set(&J, o, "evidence", pl__jb_strs(&J, e->ev_ids, e->cite.n_ev));
        pl__jb_push(&J, tl, o);
    }
    pl__jb_set(&J, root, "timeline", tl);
    return finish(&J, root, json, diag);
}
