/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON documents of the scenario and of evaluate (keys in docs/json.md). */
#include <math.h>
#include <string.h>

#include "core/model.h"
#include "util/json.h"
#include "util/util.h"

typedef struct jb {
    int err;
} jb;

static json_t *chk(jb *J, json_t *v)
{
    if (!v)
        J->err = 1;
    return v;
}

static void set(jb *J, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        J->err = 1;
}

static void push(jb *J, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        J->err = 1;
}

static json_t *jreal(jb *J, double v)
{
    return chk(J, isfinite(v) ? json_real(v) : json_null());
}

static json_t *jstr(jb *J, const char *s)
{
    return chk(J, json_string(s ? s : ""));
}

static json_t *jstrs(jb *J, const char *const *s, size_t n)
{
    json_t *a = chk(J, json_array());
    for (size_t k = 0; k < n; k++)
        push(J, a, jstr(J, s[k]));
    return a;
}

static json_t *jpackage(jb *J, const pl_scenario *sc, const long *pkg)
{
    json_t *o = chk(J, json_object());
    for (size_t i = 0; i < sc->n_issues; i++)
        if (pkg[i] >= 0)
            set(J, o, sc->issue[i].id, jstr(J, sc->issue[i].opt[pkg[i]].id));
    return o;
}

static pl_status finish(jb *J, json_t *root, char **json, pl_diag *diag)
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

static json_t *jscenario_ref(jb *J, const pl_scenario *sc)
{
    json_t *o = chk(J, json_object());
    set(J, o, "id", jstr(J, sc->id));
    set(J, o, "name", jstr(J, sc->name));
    set(J, o, "hash", jstr(J, sc->hash));
    set(J, o, "as_of", sc->as_of[0] ? jstr(J, sc->as_of) : chk(J, json_null()));
    set(J, o, "events_applied", chk(J, json_integer((json_int_t)sc->cur.n_applied)));
    return o;
}

pl_status pl_evaluation_to_json(const pl_scenario *sc, const pl_evaluation *ev, char **json,
                                pl_diag *diag)
{
    if (!sc || !ev || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_evaluation_to_json: invalid argument");
        return PL_E_ARG;
    }
    jb J = {0};
    json_t *root = chk(&J, json_object());
    set(&J, root, "parley_version", jstr(&J, PL_VERSION_STRING));
    set(&J, root, "scenario", jscenario_ref(&J, sc));
    json_t *props = chk(&J, json_array());
    for (size_t k = 0; k < pl_evaluation_count(ev); k++) {
        json_t *p = chk(&J, json_object());
        long pi = pl_evaluation_proposal(ev, k);
        const pl_proposal *pr = pi >= 0 ? &sc->prop[pi] : NULL;
        set(&J, p, "id", jstr(&J, pr ? pr->id : "package"));
        set(&J, p, "name", jstr(&J, pr ? pr->name : "ad-hoc package"));
        set(&J, p, "date", pr && pr->date[0] ? jstr(&J, pr->date) : chk(&J, json_null()));
        set(&J, p, "author", pr && pr->author[0] ? jstr(&J, pr->author) : chk(&J, json_null()));
        const long *pkg = pl_evaluation_package(ev, k);
        set(&J, p, "package", jpackage(&J, sc, pkg));
        json_t *open = chk(&J, json_array());
        int partial = 0;
        for (size_t i = 0; i < sc->n_issues; i++) {
            long given = pr ? pr->opt[i] : -2;
            if (given == -1) {
                partial = 1;
                push(&J, open, jstr(&J, sc->issue[i].id));
            }
        }
        if (!pr) {
            const pl_verdict *v0 = pl_evaluation_verdict(ev, k, 0);
            partial = v0 ? v0->partial : 0;
        }
        set(&J, p, "partial", chk(&J, json_boolean(partial)));
        set(&J, p, "open_issues", open);
        const char *const *cb;
        size_t ncb = pl_evaluation_constraints_broken(ev, k, &cb);
        set(&J, p, "feasible", chk(&J, json_boolean(ncb == 0)));
        set(&J, p, "constraints_broken", jstrs(&J, cb, ncb));
        set(&J, p, "agreed", chk(&J, json_boolean(pl_evaluation_agreed(ev, k))));
        json_t *blocked = chk(&J, json_array());
        json_t *verdicts = chk(&J, json_object());
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            json_t *o = chk(&J, json_object());
            set(&J, o, "accept", chk(&J, json_boolean(v->accept)));
            set(&J, o, "utility", jreal(&J, v->utility));
            set(&J, o, "margin", jreal(&J, v->margin));
            set(&J, o, "reservation", jreal(&J, sc->cur.res[v->actor]));
            set(&J, o, "veto", chk(&J, json_boolean(sc->actor[v->actor].veto)));
            set(&J, o, "red_lines_broken", jstrs(&J, v->red_lines_broken, v->n_red_lines_broken));
            set(&J, o, "reasons", jstrs(&J, v->reasons, v->n_reasons));
            set(&J, o, "evidence", jstrs(&J, v->evidence, v->n_evidence));
            if (v->partial) {
                json_t *c = chk(&J, json_object());
                if (v->has_completions) {
                    json_t *best = chk(&J, json_object());
                    set(&J, best, "utility", jreal(&J, v->best_utility));
                    set(&J, best, "options", jpackage(&J, sc, v->best_package));
                    json_t *worst = chk(&J, json_object());
                    set(&J, worst, "utility", jreal(&J, v->worst_utility));
                    set(&J, worst, "options", jpackage(&J, sc, v->worst_package));
                    set(&J, c, "best", best);
                    set(&J, c, "worst", worst);
                }
                set(&J, o, "completions", c);
            }
            set(&J, verdicts, v->actor_id, o);
            if (sc->actor[v->actor].veto && !v->accept)
                push(&J, blocked, jstr(&J, v->actor_id));
        }
        set(&J, p, "verdicts", verdicts);
        set(&J, p, "blocked_by", blocked);
        push(&J, props, p);
    }
    set(&J, root, "proposals", props);
    return finish(&J, root, json, diag);
}

static json_t *jnum_detail(jb *J, const pl_scenario *sc, int k)
{
    if (k < 0)
        return chk(J, json_null());
    const pl_num *n = &sc->num[k];
    return jreal(J, n->value);
}

static json_t *jrule(jb *J, const pl_scenario *sc, const pl_rule *r)
{
    json_t *o = chk(J, json_object());
    set(J, o, "id", jstr(J, r->id));
    set(J, o, r->kind == PL_RULE_REQUIRE ? "require" : "forbid", jstr(J, r->src));
    set(J, o, "text", jstr(J, r->text));
    set(J, o, "credence", jreal(J, r->credence_num < 0 ? 1.0 : sc->num[r->credence_num].value));
    json_t *ev = chk(J, json_array());
    for (size_t k = 0; k < r->cite.n_ev; k++)
        push(J, ev, jstr(J, sc->ev[r->cite.ev[k]].id));
    set(J, o, "evidence", ev);
    return o;
}

pl_status pl_scenario_to_json(const pl_scenario *sc, char **json, pl_diag *diag)
{
    if (!sc || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_scenario_to_json: invalid argument");
        return PL_E_ARG;
    }
    jb J = {0};
    const pl_state *st = &sc->cur;
    json_t *root = chk(&J, json_object());
    set(&J, root, "parley_version", jstr(&J, PL_VERSION_STRING));
    json_t *hdr = jscenario_ref(&J, sc);
    set(&J, hdr, "description", jstr(&J, sc->description));
    set(&J, hdr, "date", sc->date[0] ? jstr(&J, sc->date) : chk(&J, json_null()));
    set(&J, root, "scenario", hdr);

    json_t *actors = chk(&J, json_array());
    for (size_t a = 0; a < sc->n_actors; a++) {
        const pl_actor *ac = &sc->actor[a];
        json_t *o = chk(&J, json_object());
        set(&J, o, "id", jstr(&J, ac->id));
        set(&J, o, "name", jstr(&J, ac->name));
        set(&J, o, "role", jstr(&J, pl_role_string(ac->role)));
        set(&J, o, "veto", chk(&J, json_boolean(ac->veto)));
        set(&J, o, "capability", jnum_detail(&J, sc, st->cap_num[a]));
        set(&J, o, "reservation", jnum_detail(&J, sc, st->res_num[a]));
        if (ac->rat_kind[0] || ac->rat_required || st->sup_num[a] >= 0) {
            json_t *r = chk(&J, json_object());
            set(&J, r, "required", chk(&J, json_boolean(ac->rat_required)));
            set(&J, r, "kind", jstr(&J, ac->rat_kind));
            set(&J, r, "support", jnum_detail(&J, sc, st->sup_num[a]));
            set(&J, o, "ratification", r);
        }
        if (ac->has_pref) {
            json_t *pref = chk(&J, json_object());
            json_t *w = chk(&J, json_object()), *s = chk(&J, json_object());
            for (size_t i = 0; i < sc->n_issues; i++) {
                double wi = st->w[a * sc->n_issues + i];
                if (wi <= 0)
                    continue;
                set(&J, w, sc->issue[i].id, jreal(&J, wi));
                json_t *row = chk(&J, json_object());
                for (size_t o2 = 0; o2 < sc->issue[i].n_opt; o2++)
                    set(&J, row, sc->issue[i].opt[o2].id,
                        jreal(&J, st->s[a * sc->total_opts + sc->issue[i].opt_base + o2]));
                set(&J, s, sc->issue[i].id, row);
            }
            set(&J, pref, "weights", w);
            set(&J, pref, "scores", s);
            json_t *rl = chk(&J, json_array());
            for (size_t k = 0; k < st->n_red[a]; k++)
                push(&J, rl, jrule(&J, sc, &sc->rule[st->red[a][k]]));
            set(&J, pref, "red_lines", rl);
            json_t *ia = chk(&J, json_array());
            for (size_t k = 0; k < st->n_inter[a]; k++) {
                const pl_inter *in = &sc->inter[st->inter[a][k]];
                json_t *io = chk(&J, json_object());
                set(&J, io, "id", jstr(&J, in->id));
                set(&J, io, "when", jstr(&J, in->when));
                set(&J, io, "bonus", jreal(&J, sc->num[in->bonus_num].value));
                set(&J, io, "note", jstr(&J, in->note));
                push(&J, ia, io);
            }
            set(&J, pref, "interactions", ia);
            set(&J, o, "preferences", pref);
        }
        push(&J, actors, o);
    }
    set(&J, root, "actors", actors);

    json_t *issues = chk(&J, json_array());
    for (size_t i = 0; i < sc->n_issues; i++) {
        const pl_issue *is = &sc->issue[i];
        json_t *o = chk(&J, json_object());
        set(&J, o, "id", jstr(&J, is->id));
        set(&J, o, "name", jstr(&J, is->name));
        set(&J, o, "status_quo", jstr(&J, is->opt[st->sq[i]].id));
        json_t *opts = chk(&J, json_array());
        for (size_t k = 0; k < is->n_opt; k++) {
            const pl_option *op = &is->opt[k];
            json_t *oo = chk(&J, json_object());
            set(&J, oo, "id", jstr(&J, op->id));
            set(&J, oo, "label", jstr(&J, op->label));
            set(&J, oo, "position", jreal(&J, op->position));
            json_t *at = chk(&J, json_object());
            for (size_t q = 0; q < op->n_attrs; q++)
                set(&J, at, op->attr_name[q], jreal(&J, op->attr_value[q]));
            set(&J, oo, "attrs", at);
            push(&J, opts, oo);
        }
        set(&J, o, "options", opts);
        push(&J, issues, o);
    }
    set(&J, root, "issues", issues);

    json_t *cons = chk(&J, json_array());
    for (size_t k = 0; k < st->n_cons; k++)
        push(&J, cons, jrule(&J, sc, &sc->rule[st->cons[k]]));
    set(&J, root, "constraints", cons);

    json_t *props = chk(&J, json_array());
    for (size_t p = 0; p < sc->n_props; p++) {
        const pl_proposal *pr = &sc->prop[p];
        pl_proposal_info info;
        pl_scenario_proposal(sc, p, &info);
        json_t *o = chk(&J, json_object());
        set(&J, o, "id", jstr(&J, pr->id));
        set(&J, o, "name", jstr(&J, pr->name));
        set(&J, o, "date", pr->date[0] ? jstr(&J, pr->date) : chk(&J, json_null()));
        set(&J, o, "author", pr->author[0] ? jstr(&J, pr->author) : chk(&J, json_null()));
        set(&J, o, "options", jpackage(&J, sc, pr->opt));
        set(&J, o, "complete", chk(&J, json_boolean(info.complete)));
        set(&J, o, "on_table", chk(&J, json_boolean(info.on_table)));
        push(&J, props, o);
    }
    set(&J, root, "proposals", props);

    json_t *evs = chk(&J, json_array());
    for (size_t k = 0; k < sc->n_ev; k++) {
        const pl_evidence *e = &sc->ev[k];
        json_t *o = chk(&J, json_object());
        set(&J, o, "id", jstr(&J, e->id));
        set(&J, o, "outlet", jstr(&J, e->outlet));
        set(&J, o, "title", jstr(&J, e->title));
        set(&J, o, "url", jstr(&J, e->url));
        set(&J, o, "date", jstr(&J, e->date));
        set(&J, o, "quote", jstr(&J, e->quote));
        set(&J, o, "reliability", jstr(&J, e->reliability));
        set(&J, o, "contradicts", jstrs(&J, e->contra, e->n_contra));
        push(&J, evs, o);
    }
    set(&J, root, "evidence", evs);

    json_t *tl = chk(&J, json_array());
    for (size_t k = 0; k < sc->n_events; k++) {
        const pl_event *e = &sc->event[k];
        json_t *o = chk(&J, json_object());
        set(&J, o, "id", jstr(&J, e->id));
        set(&J, o, "date", jstr(&J, e->date));
        set(&J, o, "title", jstr(&J, e->title));
        set(&J, o, "changes", chk(&J, json_integer((json_int_t)e->n_ch)));
        set(&J, o, "applied", chk(&J, json_boolean(k < st->n_applied)));
        set(&J, o, "evidence", jstrs(&J, e->ev_ids, e->cite.n_ev));
        push(&J, tl, o);
    }
    set(&J, root, "timeline", tl);
    return finish(&J, root, json, diag);
}
