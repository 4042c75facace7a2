/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_want_color(const common_opts *o)
{
    return !o->json && (!o->output || strcmp(o->output, "-") == 0) && isatty(fileno(stdout)) &&
           !getenv("NO_COLOR");
}

int cli_emit_json(out *w, char *json, pl_status st, const pl_diag *d)
{
    if (st != PL_OK) {
        cli_print_diag(d);
        return cli_exit_code(st);
    }
    out_puts(w, json);
    pl_free(json);
    return EXIT_OK;
}

/* ---- check ------------------------------------------------------------- */

int cmd_check(int argc, char **argv)
{
    common_opts o;
    int rc = cli_parse(argc, argv, "check", X_STRICT, &o);
    int strict = o.strict;
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    size_t n_opts = 0;
    for (size_t i = 0; i < in.n_issues; i++) {
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        n_opts += ii.n_options;
    }
    char *uncited = NULL;
    size_t n_uncited = 0;
    if (pl_scenario_uncited(sc, &uncited, &n_uncited) != PL_OK) {
        cli_error("out of memory");
        pl_scenario_free(sc);
        return EXIT_INTERNAL;
    }
    out w = {0};
    if (o.json) {
        out_printf(&w, "{\n  \"actors\": %zu,\n  \"events\": %zu,\n  \"evidence\": %zu,\n"
                       "  \"file\": ", in.n_actors, in.n_events, in.n_evidence);
        out_json_string(&w, o.file ? o.file : "bundled");
        out_printf(&w, ",\n  \"hash\": \"%s\",\n  \"id\": ", in.hash);
        out_json_string(&w, in.id);
        out_printf(&w, ",\n  \"issues\": %zu,\n  \"log10_packages\": %.6f,\n  \"ok\": true,\n"
                       "  \"options\": %zu,\n  \"proposals\": %zu,\n  \"uncited\": %zu\n}\n",
                   in.n_issues, in.log10_packages, n_opts, in.n_proposals, n_uncited);
    } else {
        out_printf(&w, "%s: ok: '%s' (%s): %zu actors, %zu issues, %zu options, %zu proposals, "
                       "%zu evidence, %zu events; %.3g packages\n",
                   o.file ? o.file : CLI_REFERENCE_NAME, in.name, in.id, in.n_actors,
                   in.n_issues, n_opts, in.n_proposals, in.n_evidence, in.n_events,
                   pow(10, in.log10_packages));
    }
    if (strict && n_uncited > 0) {
        fprintf(stderr, "%s: error: %zu %s no evidence and carr%s no 'assume:' rationale:\n%s",
                o.file ? o.file : CLI_REFERENCE_NAME, n_uncited,
                n_uncited == 1 ? "number or rule cites" : "numbers or rules cite",
                n_uncited == 1 ? "ies" : "y", uncited);
        pl_free(uncited);
        out_free(&w);
        pl_scenario_free(sc);
        return EXIT_INPUT;
    }
    pl_free(uncited);
    rc = out_commit(&w, o.output);
    out_free(&w);
    pl_scenario_free(sc);
    return rc;
}

/* ---- show -------------------------------------------------------------- */

static void show_text(out *w, pl_scenario *sc)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    out_printf(w, "%s%s%s  [%s]\n", c_on(w, "\033[1m"), in.name, c_off(w), in.id);
    if (in.description[0])
        out_printf(w, "%s\n", in.description);
    const char *asof = pl_scenario_as_of(sc);
    out_printf(w, "base date %s; %s: %zu of %zu timeline events applied\n\n",
               in.date[0] ? in.date : "(none)", asof ? asof : "latest", in.n_events_applied,
               in.n_events);

    out_printf(w, "%sActors%s\n", c_on(w, "\033[1m"), c_off(w));
    for (size_t a = 0; a < in.n_actors; a++) {
        pl_actor_info ai;
        pl_scenario_actor(sc, a, &ai);
        out_printf(w, "  %-10s %-28s %-9s %s", ai.id, ai.name, pl_role_string(ai.role),
                   ai.veto ? "veto" : "    ");
        out_printf(w, "  capability %.3g", ai.capability);
        if (ai.has_preferences)
            out_printf(w, "  reservation %.1f", ai.reservation);
        if (ai.ratification_required || ai.ratification_kind[0]) {
            out_printf(w, "  ratification: %s%s", ai.ratification_kind[0] ? ai.ratification_kind : "yes",
                       ai.ratification_required ? " (required)" : "");
            if (ai.support >= 0)
                out_printf(w, ", support %.0f%%", 100 * ai.support);
        }
        out_puts(w, "\n");
    }

    out_printf(w, "\n%sIssues%s (options in order; * status quo)\n", c_on(w, "\033[1m"), c_off(w));
    for (size_t i = 0; i < in.n_issues; i++) {
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        out_printf(w, "  %s - %s\n", ii.id, ii.name);
        for (size_t k = 0; k < ii.n_options; k++) {
            pl_option_info oi;
            pl_scenario_option(sc, i, k, &oi);
            out_printf(w, "    %c %-18s %5.1f  %s", k == ii.status_quo ? '*' : ' ', oi.id,
                       oi.position, oi.label);
            for (size_t q = 0; q < oi.n_attrs; q++) {
                const char *an;
                double av;
                pl_scenario_option_attr(sc, i, k, q, &an, &av);
                out_printf(w, "%s%s=%g%s", q ? ", " : "  (", an, av, q + 1 == oi.n_attrs ? ")" : "");
            }
            out_puts(w, "\n");
        }
    }

    out_printf(w, "\n%sPreferences%s (normalised weights, red lines, interactions)\n",
               c_on(w, "\033[1m"), c_off(w));
    for (size_t a = 0; a < in.n_actors; a++) {
        pl_actor_info ai;
        pl_scenario_actor(sc, a, &ai);
        if (!ai.has_preferences)
            continue;
        out_printf(w, "  %s:", ai.id);
        for (size_t i = 0; i < in.n_issues; i++) {
            double wt = pl_scenario_weight(sc, a, i);
            pl_issue_info ii;
            pl_scenario_issue(sc, i, &ii);
            if (wt > 0)
                out_printf(w, " %s %.0f%%", ii.id, 100 * wt);
        }
        out_puts(w, "\n");
        for (size_t k = 0; k < pl_scenario_red_line_count(sc, a); k++) {
            pl_rule_info r;
            pl_scenario_red_line(sc, a, k, &r);
            out_printf(w, "    red line %-22s %s %s\n", r.id,
                       r.kind == PL_RULE_REQUIRE ? "require" : "forbid ", r.expr);
            if (r.text[0])
                out_printf(w, "      %s\n", r.text);
        }
        for (size_t k = 0; k < pl_scenario_interaction_count(sc, a); k++) {
            pl_interaction_info x;
            pl_scenario_interaction(sc, a, k, &x);
            out_printf(w, "    %+6.1f when %s  [%s]\n", x.bonus, x.when, x.id);
        }
    }
    if (pl_scenario_constraint_count(sc)) {
        out_printf(w, "\n%sConstraints%s\n", c_on(w, "\033[1m"), c_off(w));
        for (size_t k = 0; k < pl_scenario_constraint_count(sc); k++) {
            pl_rule_info r;
            pl_scenario_constraint(sc, k, &r);
            out_printf(w, "  %-24s %s %s\n", r.id, r.kind == PL_RULE_REQUIRE ? "require" : "forbid ",
                       r.expr);
        }
    }

    out_printf(w, "\n%sProposals%s\n", c_on(w, "\033[1m"), c_off(w));
    for (size_t p = 0; p < in.n_proposals; p++) {
        pl_proposal_info pi;
        pl_scenario_proposal(sc, p, &pi);
        out_printf(w, "  %-20s %-10s %s%s%s\n", pi.id, pi.date[0] ? pi.date : "-", pi.name,
                   pi.complete ? "" : " (partial)", pi.on_table ? "" : " [not on the table]");
        for (size_t i = 0; i < in.n_issues; i++) {
            long o2 = pl_scenario_proposal_option(sc, p, i);
            pl_issue_info ii;
            pl_scenario_issue(sc, i, &ii);
            if (o2 >= 0) {
                pl_option_info oi;
                pl_scenario_option(sc, i, (size_t)o2, &oi);
                out_printf(w, "      %-22s %s\n", ii.id, oi.label);
            }
        }
    }

    out_printf(w, "\n%sTimeline%s\n", c_on(w, "\033[1m"), c_off(w));
    for (size_t k = 0; k < in.n_events; k++) {
        pl_event_info ei;
        pl_scenario_event(sc, k, &ei);
        out_printf(w, "  %s %c %s (%zu change%s)\n", ei.date, ei.applied ? '+' : ' ', ei.title,
                   ei.n_changes, ei.n_changes == 1 ? "" : "s");
    }
    out_printf(w, "\n%zu evidence entries; 'parley show --json' lists them.\n", in.n_evidence);
}

int cmd_show(int argc, char **argv)
{
    common_opts o;
    int rc = cli_parse(argc, argv, "show", 0, &o);
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    out w = {0};
    w.color = cli_want_color(&o);
    if (o.json) {
        char *json;
        pl_diag d;
        pl_status st = pl_scenario_to_json(sc, &json, &d);
        rc = cli_emit_json(&w, json, st, &d);
    } else {
        show_text(&w, sc);
    }
    rc = cli_finish(&w, o.output, rc);
    pl_scenario_free(sc);
    return rc;
}

/* ---- evaluate ---------------------------------------------------------- */

static void option_list(out *w, pl_scenario *sc, const long *pkg, const long *given)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    int first = 1;
    for (size_t i = 0; i < in.n_issues; i++) {
        if (given && given[i] >= 0)
            continue;
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        pl_option_info oi;
        pl_scenario_option(sc, i, (size_t)pkg[i], &oi);
        out_printf(w, "%s%s=%s", first ? "" : ", ", ii.id, oi.id);
        first = 0;
    }
}

static void evaluate_text(out *w, pl_scenario *sc, const pl_evaluation *ev)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    const char *asof = pl_scenario_as_of(sc);
    out_printf(w, "%s%s%s: %zu proposal%s evaluated (%s, %zu of %zu events applied)\n",
               c_on(w, "\033[1m"), in.name, c_off(w), pl_evaluation_count(ev),
               pl_evaluation_count(ev) == 1 ? "" : "s", asof ? asof : "latest",
               in.n_events_applied, in.n_events);
    size_t agreed = 0;
    long *given = malloc(sizeof *given * (in.n_issues ? in.n_issues : 1));
    if (!given) {
        w->oom = 1;
        return;
    }
    for (size_t k = 0; k < pl_evaluation_count(ev); k++) {
        long p = pl_evaluation_proposal(ev, k);
        pl_proposal_info pi = {0};
        if (p >= 0)
            pl_scenario_proposal(sc, (size_t)p, &pi);
        for (size_t i = 0; i < in.n_issues; i++)
            given[i] = p >= 0 ? pl_scenario_proposal_option(sc, (size_t)p, i) : 0;
        out_printf(w, "\n%s%s%s  [%s%s%s%s%s]%s\n", c_on(w, "\033[1m"),
                   p >= 0 ? pi.name : "package", c_off(w), p >= 0 ? pi.id : "ad hoc",
                   pi.date && pi.date[0] ? ", " : "", pi.date ? pi.date : "",
                   pi.author && pi.author[0] ? ", by " : "", pi.author ? pi.author : "",
                   p >= 0 && !pi.complete ? " partial" : "");
        if (p >= 0 && !pi.complete) {
            out_puts(w, "  open issues, read at their status quo: ");
            option_list(w, sc, pl_evaluation_package(ev, k), given);
            out_puts(w, "\n");
        }
        const char *const *cb;
        size_t ncb = pl_evaluation_constraints_broken(ev, k, &cb);
        for (size_t q = 0; q < ncb; q++)
            out_printf(w, "  %simpossible%s: breaks constraint '%s'\n", c_on(w, "\033[33m"),
                       c_off(w), cb[q]);
        out_printf(w, "  %-10s %-7s %8s %8s\n", "actor", "verdict", "utility", "margin");
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            pl_actor_info ai;
            pl_scenario_actor(sc, v->actor, &ai);
            out_printf(w, "  %-10s %s%-7s%s %8.1f %+8.1f%s\n", v->actor_id,
                       c_on(w, v->accept ? "\033[32m" : "\033[31m"),
                       v->accept ? "accept" : "reject", c_off(w), v->utility, v->margin,
                       ai.veto ? "" : "   (no veto)");
        }
        int ok = pl_evaluation_agreed(ev, k);
        agreed += ok;
        if (ok) {
            out_printf(w, "  %s=> agreed by every actor with a veto%s\n", c_on(w, "\033[32m"),
                       c_off(w));
        } else {
            out_printf(w, "  %s=> no agreement%s; blocked by:", c_on(w, "\033[31m"), c_off(w));
            int any = 0;
            for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
                const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
                pl_actor_info ai;
                pl_scenario_actor(sc, v->actor, &ai);
                if (ai.veto && !v->accept) {
                    out_printf(w, " %s", v->actor_id);
                    any = 1;
                }
            }
            out_puts(w, any ? "\n" : " no veto actor; its status-quo reading breaks a "
                                     "constraint (see each actor's best completion)\n");
        }
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            out_printf(w, "    %s%s%s:\n", c_on(w, "\033[1m"), v->actor_id, c_off(w));
            for (size_t r = 0; r < v->n_reasons; r++)
                out_printf(w, "      - %s\n", v->reasons[r]);
            if (v->partial && v->has_completions) {
                out_printf(w, "      best completion %.1f: ", v->best_utility);
                option_list(w, sc, v->best_package, given);
                out_printf(w, "\n      worst completion %.1f: ", v->worst_utility);
                option_list(w, sc, v->worst_package, given);
                out_puts(w, "\n");
            }
            if (v->n_evidence) {
                out_puts(w, "      evidence:");
                for (size_t e = 0; e < v->n_evidence; e++)
                    out_printf(w, " %s", v->evidence[e]);
                out_puts(w, "\n");
            }
        }
    }
    free(given);
    out_printf(w, "\n%zu of %zu proposal%s agreed by every veto actor.\n", agreed,
               pl_evaluation_count(ev), pl_evaluation_count(ev) == 1 ? "" : "s");
}

int cmd_evaluate(int argc, char **argv)
{
    common_opts o;
    int rc = cli_parse(argc, argv, "evaluate", X_PROPOSAL, &o);
    const char *proposal = o.proposal;
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    long p = -1;
    if (proposal) {
        p = pl_scenario_find_proposal(sc, proposal);
        if (p < 0) {
            pl_scenario_info in;
            pl_scenario_get_info(sc, &in);
            fprintf(stderr, "parley: error: no proposal '%s' in %s; proposals are:", proposal,
                    o.file ? o.file : CLI_REFERENCE_NAME);
            for (size_t k = 0; k < in.n_proposals; k++) {
                pl_proposal_info pi;
                pl_scenario_proposal(sc, k, &pi);
                fprintf(stderr, " %s", pi.id);
            }
            fputc('\n', stderr);
            pl_scenario_free(sc);
            return EXIT_INPUT;
        }
    }
    pl_evaluation *ev;
    pl_diag d;
    pl_status st = pl_evaluate(sc, p, &ev, &d);
    if (st != PL_OK)
        return cli_fail(sc, st, &d);
    out w = {0};
    w.color = cli_want_color(&o);
    if (o.json) {
        char *json;
        st = pl_evaluation_to_json(sc, ev, &json, &d);
        rc = cli_emit_json(&w, json, st, &d);
    } else {
        evaluate_text(&w, sc, ev);
    }
    rc = cli_finish(&w, o.output, rc);
    pl_evaluation_free(ev);
    pl_scenario_free(sc);
    return rc;
}
