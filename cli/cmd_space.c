/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zopa, pareto, solve, bridge, timeline: the agreement-space commands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

const char ZOPA_HELP[] =
    "Usage: parley zopa [FILE] [--top K] [--by nash|ks|egalitarian|utilitarian|ACTOR]\n"
    "                   [--weighted] [--threads N] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "The zone of possible agreement: every complete package that keeps every global\n"
    "constraint and, for every actor with a veto, its red lines and its reservation\n"
    "value. Prints the exact count (also beyond 10^12) and the top K packages\n"
    "(default 10) by the criterion (default nash; ACTOR: that actor's utility), each\n"
    "with every actor's utility and margin. The space is never listed: counting is\n"
    "exact by branch and bound. --threads N (1-8, default 2) never changes results.\n";

const char PARETO_HELP[] =
    "Usage: parley pareto [FILE] [--top K] [--threads N] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "The Pareto-optimal packages among the acceptable ones: no other acceptable\n"
    "package is at least as good for every veto actor and better for one. When the\n"
    "ZOPA is empty, the frontier of the whole feasible space (red lines and\n"
    "reservation values set aside), shown against the disagreement point (the\n"
    "reservation values). One package is listed per distinct utility vector, by\n"
    "summed utility; the text view shows the first 20 (--top K for another number),\n"
    "--json lists them all.\n";

const char SOLVE_HELP[] =
    "Usage: parley solve [FILE] --rule nash|ks|egalitarian|utilitarian [--weighted]\n"
    "                    [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "The exact optimum over the ZOPA of a bargaining rule, with every tie:\n"
    "  nash         the product of gains over reservation values (--weighted: with\n"
    "               exponents proportional to capability)\n"
    "  ks           Kalai-Smorodinsky, ratio definition: max of min over actors of\n"
    "               gain / (ideal - reservation), ideal = the actor's best in the ZOPA\n"
    "  egalitarian  the largest smallest gain\n"
    "  utilitarian  the largest sum of gains\n"
    "An empty ZOPA gives no package (see 'parley bridge').\n";

const char BRIDGE_HELP[] =
    "Usage: parley bridge [FILE] [--quick] [--threads N] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "When the ZOPA is empty: the smallest changes that open it, each with the\n"
    "package it opens and a sentence to act on:\n"
    "  1. for each veto actor, the smallest drop in its reservation value;\n"
    "  2. each single red line whose removal opens the ZOPA (with the Nash package);\n"
    "  3. the smallest side payment on an issue marked 'transferable', and who pays;\n"
    "  4. the smallest change of one issue weight.\n"
    "Listed in that order, each kind by size; a red line by the size of the zone\n"
    "it opens, counted exactly. --quick only checks that such a zone exists (most\n"
    "of the work on a large space): its size is then not given and red-line\n"
    "bridges keep file order.\n";

const char TIMELINE_HELP[] =
    "Usage: parley timeline [FILE] [--json] [-o OUT]\n"
    "\n"
    "For the base model and after each dated event: the ZOPA count, the Nash\n"
    "package, and which veto actor binds (the smallest margin at the Nash package;\n"
    "when the ZOPA is empty, the actor whose reservation drop would open it most\n"
    "cheaply).\n";

/* Parse --by / --rule into options; ACTOR names an actor id (zopa only). */
static int set_objective(pl_scenario *sc, const common_opts *o, int allow_actor,
                         pl_space_options *so)
{
    pl_space_options_init(so);
    if (o->threads)
        so->threads = o->threads;
    if (o->top >= 0)
        so->top_k = (size_t)o->top;
    so->weighted = o->weighted;
    if (!o->by)
        return 0;
    static const char *const names[] = {"nash", "ks", "egalitarian", "utilitarian"};
    for (int k = 0; k < 4; k++)
        if (strcmp(o->by, names[k]) == 0) {
            so->by = (pl_objective)k;
            return 0;
        }
    if (allow_actor) {
        long a = pl_scenario_find_actor(sc, o->by);
        if (a >= 0) {
            so->by = PL_OBJ_ACTOR;
            so->by_actor = a;
            return 0;
        }
        cli_error("unknown criterion '%s': expected nash, ks, egalitarian, utilitarian or an "
                  "actor id", o->by);
    } else {
        cli_error("unknown rule '%s': expected nash, ks, egalitarian or utilitarian", o->by);
    }
    return -1;
}

static void print_package(out *w, pl_scenario *sc, const long *pkg, const char *indent)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    for (size_t i = 0; i < in.n_issues; i++) {
        pl_issue_info ii;
        pl_option_info oi;
        pl_scenario_issue(sc, i, &ii);
        pl_scenario_option(sc, i, (size_t)pkg[i], &oi);
        out_printf(w, "%s%-22s %s%s\n", indent, ii.id, oi.label,
                   (size_t)pkg[i] == ii.status_quo ? "  (status quo)" : "");
    }
}

static void print_utilities(out *w, pl_scenario *sc, const pl_space *s, size_t k)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    out_puts(w, "   ");
    for (size_t a = 0; a < in.n_actors; a++) {
        double u = pl_space_utility(s, k, a);
        if (isnan(u))
            continue;
        pl_actor_info ai;
        pl_scenario_actor(sc, a, &ai);
        out_printf(w, " %s %.1f (%+.1f)%s", ai.id, u, u - ai.reservation, ai.veto ? "" : "*");
    }
    out_puts(w, "\n");
}

static void print_count(out *w, const pl_space *s)
{
    uint64_t n;
    if (pl_space_count(s, &n))
        out_printf(w, "%llu", (unsigned long long)n);
    else
        out_puts(w, "more than 18446744073709551615");
}

typedef enum { K_ZOPA, K_PARETO, K_SOLVE } space_kind;

static int space_cmd(int argc, char **argv, space_kind kind)
{
    static const char *const names[] = {"zopa", "pareto", "solve"};
    static const unsigned extras[] = {X_TOP | X_BY | X_WEIGHTED | X_THREADS, X_TOP | X_THREADS,
                                      X_RULE | X_WEIGHTED | X_THREADS};
    common_opts o;
    int rc = cli_parse(argc, argv, names[kind], extras[kind], &o);
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    pl_space_options so;
    if (set_objective(sc, &o, kind == K_ZOPA, &so) != 0) {
        pl_scenario_free(sc);
        return EXIT_INPUT;
    }
    pl_space *s = NULL;
    pl_diag d;
    pl_status st = kind == K_ZOPA ? pl_zopa(sc, &so, &s, &d)
                 : kind == K_PARETO ? pl_pareto(sc, &so, &s, &d)
                                    : pl_solve(sc, &so, &s, &d);
    if (st != PL_OK)
        return cli_fail(sc, st, &d);
    out w = {0};
    w.color = cli_want_color(&o);
    if (o.json) {
        char *json;
        st = pl_space_to_json(sc, s, &json, &d);
        rc = cli_emit_json(&w, json, st, &d);
    } else {
        pl_scenario_info in;
        pl_scenario_get_info(sc, &in);
        const char *asof = pl_scenario_as_of(sc);
        out_printf(&w, "%s%s%s (%s): %.3g complete packages\n", c_on(&w, "\033[1m"), in.name,
                   c_off(&w), asof ? asof : "latest", pow(10, in.log10_packages));
        size_t n = pl_space_package_count(s);
        size_t show = n;
        /* A frontier can hold thousands of packages: the text view shows the
         * first 20 unless --top says otherwise; --json always has them all. */
        size_t limit = kind == K_PARETO ? (o.top >= 0 ? (size_t)o.top : 20) : n;
        if (limit < n)
            show = limit;
        if (kind == K_ZOPA) {
            out_puts(&w, "ZOPA: ");
            print_count(&w, s);
            out_printf(&w, " package%s acceptable to every veto actor\n",
                       pl_space_package_count(s) == 1 ? "" : "s");
            if (n)
                out_printf(&w, "top %zu by %s%s:\n", n, o.by ? o.by : "nash",
                           so.weighted ? " (weighted)" : "");
        } else if (kind == K_PARETO) {
            if (strcmp(pl_space_scope(s), "zopa") == 0)
                out_puts(&w, "Pareto frontier of the ZOPA: ");
            else
                out_puts(&w, "The ZOPA is empty. Pareto frontier of the feasible space (red "
                             "lines and reservations set aside): ");
            print_count(&w, s);
            out_printf(&w, " packages, %zu distinct utility vector%s (one package shown "
                           "for each)\n", n, n == 1 ? "" : "s");
            if (n == 0 && strcmp(pl_space_scope(s), "feasible") == 0)
                out_puts(&w, "No package keeps every global constraint: the feasible space "
                             "itself is empty (see 'parley show' for the constraints).\n");
            if (strcmp(pl_space_scope(s), "zopa") != 0) {
                out_puts(&w, "disagreement point (reservation values):");
                for (size_t a = 0; a < in.n_actors; a++) {
                    pl_actor_info ai;
                    pl_scenario_actor(sc, a, &ai);
                    if (ai.veto && ai.has_preferences)
                        out_printf(&w, " %s %.1f", ai.id, ai.reservation);
                }
                out_puts(&w, "\n");
            }
        } else {
            out_puts(&w, "ZOPA: ");
            print_count(&w, s);
            out_puts(&w, " packages\n");
            if (n == 0)
                out_puts(&w, "no package: the ZOPA is empty (try 'parley bridge')\n");
            else
                out_printf(&w, "%s solution%s%s: %zu package%s\n", o.by ? o.by : "nash",
                           so.weighted ? " (weighted)" : "", n > 1 ? ", tied" : "", n,
                           n == 1 ? "" : "s");
        }
        int nash = kind != K_PARETO && so.by == PL_OBJ_NASH;
        for (size_t k = 0; k < show; k++) {
            double sc_k = pl_space_score(s, k);
            if (nash)
                out_printf(&w, "\n  #%zu  Nash product %.6g\n", k + 1,
                           sc_k < -600 ? 0.0 : exp(sc_k));
            else if (kind == K_PARETO)
                out_printf(&w, "\n  #%zu  summed utility %.6g\n", k + 1, sc_k);
            else
                out_printf(&w, "\n  #%zu  %s %.6g\n", k + 1,
                           so.by == PL_OBJ_ACTOR ? "utility" : pl_objective_string(so.by), sc_k);
            print_utilities(&w, sc, s, k);
            print_package(&w, sc, pl_space_package(s, k), "      ");
        }
        if (show < n)
            out_printf(&w, "\n... %zu more (use --top or --json)\n", n - show);
        if (n)
            out_puts(&w, "\n(utility (margin over the reservation value); * no veto)\n");
    }
    rc = cli_finish(&w, o.output, rc);
    pl_space_free(s);
    pl_scenario_free(sc);
    return rc;
}

int cmd_zopa(int argc, char **argv)
{
    return space_cmd(argc, argv, K_ZOPA);
}

int cmd_pareto(int argc, char **argv)
{
    return space_cmd(argc, argv, K_PARETO);
}

int cmd_solve(int argc, char **argv)
{
    return space_cmd(argc, argv, K_SOLVE);
}

int cmd_bridge(int argc, char **argv)
{
    common_opts o;
    int rc = cli_parse(argc, argv, "bridge", X_THREADS | X_QUICK, &o);
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    pl_space_options so;
    set_objective(sc, &o, 0, &so);
    so.quick_bridges = o.quick;
    pl_bridges *b = NULL;
    pl_diag d;
    pl_status st = pl_bridges_find(sc, &so, &b, &d);
    if (st != PL_OK)
        return cli_fail(sc, st, &d);
    out w = {0};
    w.color = cli_want_color(&o);
    if (o.json) {
        char *json;
        st = pl_bridges_to_json(sc, b, &json, &d);
        rc = cli_emit_json(&w, json, st, &d);
    } else {
        pl_scenario_info in;
        pl_scenario_get_info(sc, &in);
        const char *asof = pl_scenario_as_of(sc);
        uint64_t z = pl_bridges_zopa_count(b);
        out_printf(&w, "%s%s%s (%s)\n", c_on(&w, "\033[1m"), in.name, c_off(&w),
                   asof ? asof : "latest");
        if (z > 0 && o.quick) {
            out_puts(&w, "The ZOPA is not empty: nothing to bridge. See 'parley zopa'.\n");
        } else if (z > 0) {
            out_printf(&w, "The ZOPA is not empty (%llu packages): nothing to bridge. See "
                           "'parley zopa'.\n", (unsigned long long)z);
        } else if (pl_bridges_count(b) == 0) {
            out_puts(&w, "The ZOPA is empty and no single change of the kinds searched opens "
                         "it.\n");
        } else {
            static const char *const kinds[] = {"Reservation values", "Red lines",
                                                "Side payments", "Issue weights"};
            int last = -1;
            out_printf(&w, "The ZOPA is empty. %zu single changes would open it:\n",
                       pl_bridges_count(b));
            for (size_t k = 0; k < pl_bridges_count(b); k++) {
                const pl_bridge_info *x = pl_bridges_get(b, k);
                if ((int)x->kind != last) {
                    out_printf(&w, "\n%s%s%s\n", c_on(&w, "\033[1m"), kinds[x->kind], c_off(&w));
                    last = (int)x->kind;
                }
                out_printf(&w, "  %zu. %s\n", k + 1, x->explanation);
                print_package(&w, sc, x->package, "       ");
            }
        }
    }
    rc = cli_finish(&w, o.output, rc);
    pl_bridges_free(b);
    pl_scenario_free(sc);
    return rc;
}

static void timeline_text(out *w, pl_scenario *sc, const char *json)
{
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    json_t *steps = root ? json_object_get(root, "steps") : NULL;
    size_t k;
    json_t *row;
    json_array_foreach(steps, k, row) {
        const char *date = json_string_value(json_object_get(row, "date"));
        const char *ev = json_string_value(json_object_get(row, "event"));
        const char *bind = json_string_value(json_object_get(row, "binding"));
        json_t *cnt = json_object_get(row, "count");
        char cbuf[32];
        if (json_is_integer(cnt))
            snprintf(cbuf, sizeof cbuf, "%lld", (long long)json_integer_value(cnt));
        else
            snprintf(cbuf, sizeof cbuf, "huge");
        out_printf(w, "  %-10s  %-28.28s %12s  %-10s ", date ? date : "-", ev ? ev : "-", cbuf,
                   bind ? bind : "-");
        json_t *nash = json_object_get(row, "nash");
        if (!json_is_object(nash)) {
            json_t *rls = json_object_get(row, "binding_red_lines");
            if (json_array_size(rls)) {
                out_puts(w, "(empty; opened by dropping one of:");
                size_t q;
                json_t *r;
                json_array_foreach(rls, q, r) out_printf(w, " %s", json_string_value(r));
                out_puts(w, ")\n");
            } else {
                out_puts(w, "(empty ZOPA)\n");
            }
            continue;
        }
        int first = 1;
        const char *issue;
        json_t *opt;
        json_object_foreach(nash, issue, opt) {
            long i = pl_scenario_find_issue(sc, issue);
            pl_issue_info ii;
            if (i < 0 || pl_scenario_issue(sc, (size_t)i, &ii) != PL_OK)
                continue;
            long oi = pl_scenario_find_option(sc, (size_t)i, json_string_value(opt));
            if (oi == (long)ii.status_quo)
                continue;
            out_printf(w, "%s%s=%s", first ? "" : ", ", issue, json_string_value(opt));
            first = 0;
        }
        out_puts(w, first ? "(the status quo)\n" : "\n");
    }
    json_decref(root);
}

int cmd_timeline(int argc, char **argv)
{
    common_opts o;
    int rc = cli_parse(argc, argv, "timeline", X_THREADS, &o);
    if (rc >= 0)
        return rc;
    if (o.as_of) {
        cli_error("timeline covers every date; --as-of does not apply");
        return EXIT_INPUT;
    }
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    pl_space_options so;
    set_objective(sc, &o, 0, &so);
    char *json = NULL;
    pl_diag d;
    pl_status st = pl_timeline_json(sc, &so, &json, &d);
    if (st != PL_OK)
        return cli_fail(sc, st, &d);
    out w = {0};
    w.color = cli_want_color(&o);
    if (o.json) {
        out_puts(&w, json);
    } else {
        /* The text view is drawn from the same JSON document, so the two can
         * never disagree. */
        pl_scenario_info in;
        pl_scenario_get_info(sc, &in);
        out_printf(&w, "%s%s%s: the agreement space along the timeline\n\n", c_on(&w, "\033[1m"),
                   in.name, c_off(&w));
        out_printf(&w, "  %-10s  %-28s %12s  %-10s %s\n", "date", "event", "ZOPA", "binding",
                   "Nash package (options away from the status quo)");
        timeline_text(&w, sc, json);
    }
    pl_free(json);
    rc = cli_finish(&w, o.output, rc);
    pl_scenario_free(sc);
    return rc;
}
