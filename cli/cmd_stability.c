/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley stability FILE`: GMCR stability analysis of a scenario's conflict:
 * section, a gmcr-json/1 file or a GMCR+ save file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "parley.h"

const char STABILITY_HELP[] =
    "Usage: parley stability [FILE] [options]\n"
    "\n"
    "Which states of the conflict are stable (Graph Model for Conflict Resolution)?\n"
    "FILE is a scenario with a conflict: section (default: the bundled reference\n"
    "scenario), a gmcr-json/1 file (.json) or a GMCR+ save file (.gmcr).\n"
    "\n"
    "Prints, for every concept, the equilibria (states stable for every decision\n"
    "maker), the verdict on the status quo with the improvement each decision maker\n"
    "has and the sanction that deters it (or not).\n"
    "\n"
    "Options:\n"
    "  --concepts LIST     any of nash,gmr,smr,seq,sim,seqsim (default: all)\n"
    "  --semantics S       sanctions by the other decision makers: closure (textbook,\n"
    "                      default), chain-distinct (each moves at most once, GMCR+),\n"
    "                      single (one move, GMCR+ before 2016)\n"
    "  --gmcrplus          GMCR+'s conventions: chain-distinct sanctions and its SIM\n"
    "                      computation (including its defect); small conflicts only\n"
    "  --coalitions        analyse the conflict's coalitions as single movers\n"
    "  --search-coalitions equilibria (under the first concept) for every partition\n"
    "                      of the decision makers into coalitions (small conflicts)\n"
    "  --explain STATE     explain the verdicts at STATE: an ordinal, a Y/N string or\n"
    "                      'sq' (default: the status quo, when there is one)\n"
    "  --from-status-quo   the paths of unilateral improvements from the status quo to\n"
    "                      each equilibrium\n"
    "  --threads N         worker threads (default: the CPUs, at most 8); the results\n"
    "                      never depend on it\n"
    "  --json              parley's full report as JSON (docs/gmcr.md)\n"
    "  --format gmcr-json  only the gmcr-json/1 results object, for side-by-side\n"
    "                      comparison with other GMCR tools\n"
    "  --as-of DATE        (scenarios) the state of the scenario as of DATE\n"
    "  -o, --output F      write to F (atomically) instead of standard output\n"
    "  -h, --help          this help\n";

enum { O_CONCEPTS = 256, O_SEM, O_GMCRPLUS, O_COAL, O_SEARCH, O_EXPLAIN, O_PATHS, O_THREADS,
       O_JSON, O_FORMAT, O_ASOF };

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Load the conflict named on the command line (or the bundled scenario's). */
static int load_conflict(const char *file, const char *as_of, pl_conflict **c)
{
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st;
    if (file && (ends_with(file, ".json") || ends_with(file, ".gmcr"))) {
        if (as_of) {
            cli_error("--as-of applies to scenarios, not to %s", file);
            return EXIT_INPUT;
        }
        st = pl_conflict_load_json(file, c, &d);
    } else {
        common_opts o;
        memset(&o, 0, sizeof o);
        o.file = file;
        o.as_of = as_of;
        pl_scenario *sc;
        int rc = cli_load(&o, &sc);
        if (rc != EXIT_OK)
            return rc;
        st = pl_scenario_conflict(sc, c, &d);
        pl_scenario_free(sc);
        if (st == PL_E_NOTFOUND) {
            cli_error("%s has no conflict: section; see docs/gmcr.md",
                      file ? file : CLI_REFERENCE_NAME);
            return EXIT_INPUT;
        }
    }
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    return EXIT_OK;
}

static void state_str(const pl_conflict *c, size_t ord, char *buf, size_t n)
{
    if (pl_conflict_state(c, ord, NULL, buf, n) != PL_OK)
        snprintf(buf, n, "?");
}

static long parse_state_arg(const pl_conflict *c, const char *s)
{
    pl_conflict_info in;
    pl_conflict_get_info(c, &in);
    if (strcmp(s, "sq") == 0)
        return in.status_quo;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!errno && end != s && !*end)
        return v >= 1 && (size_t)v <= in.n_states ? v : -1;
    if (strlen(s) != in.n_options)
        return -1;
    uint32_t x = 0;
    for (size_t k = 0; k < in.n_options; k++) {
        if (s[k] == 'Y')
            x |= 1u << k;
        else if (s[k] != 'N')
            return -1;
    }
    return pl_conflict_find_state(c, x);
}

static void print_text(out *w, const pl_conflict *c, const pl_stability *st, long explain,
                       int paths)
{
    pl_conflict_info in;
    pl_conflict_get_info(c, &in);
    char sb[64];
    out_printf(w, "%s%s%s: %zu decision makers, %zu options, %zu feasible states\n",
               c_on(w, "\033[1m"), in.name, c_off(w), in.n_dms, in.n_options, in.n_states);
    out_puts(w, "options (state strings read left to right):\n");
    for (size_t k = 0; k < in.n_options; k++) {
        pl_gmcr_option_info oi;
        pl_conflict_option(c, k, &oi);
        pl_gmcr_dm_info di;
        pl_conflict_dm(c, oi.dm, &di);
        out_printf(w, "  %2zu  %-24s by %-10s%s\n", k + 1, oi.id, di.id,
                   oi.direction == PL_GMCR_N_TO_Y   ? "  (once taken, kept)"
                   : oi.direction == PL_GMCR_Y_TO_N ? "  (once dropped, never retaken)"
                                                    : "");
    }
    if (in.status_quo > 0) {
        state_str(c, (size_t)in.status_quo, sb, sizeof sb);
        out_printf(w, "status quo: state %ld (%s)\n", in.status_quo, sb);
    }
    out_puts(w, "\nequilibria (states stable for every ");
    out_puts(w, pl_stability_unit_count(st) < in.n_dms ? "coalition" : "decision maker");
    out_puts(w, "):\n");
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
        if (!pl_stability_has(st, (pl_gmcr_concept)k))
            continue;
        size_t *e;
        size_t n = pl_stability_equilibria(st, (pl_gmcr_concept)k, &e);
        out_printf(w, "  %-7s %zu", pl_gmcr_concept_name((pl_gmcr_concept)k), n);
        size_t show = n < 12 ? n : 12;
        for (size_t i = 0; i < show; i++) {
            state_str(c, e[i], sb, sizeof sb);
            out_printf(w, "%s %zu (%s)", i ? "," : ":", e[i], sb);
        }
        if (n > show)
            out_printf(w, ", ... (%zu more; --json lists all)", n - show);
        out_puts(w, "\n");
        pl_free(e);
    }
    if (explain > 0) {
        state_str(c, (size_t)explain, sb, sizeof sb);
        out_printf(w, "\n%sstate %ld (%s)%s%s\n", c_on(w, "\033[1m"), explain, sb, c_off(w),
                   explain == in.status_quo ? ", the status quo" : "");
        out_printf(w, "  %-18s", "");
        for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
            if (pl_stability_has(st, (pl_gmcr_concept)k))
                out_printf(w, " %-7s", pl_gmcr_concept_name((pl_gmcr_concept)k));
        out_puts(w, "\n");
        for (size_t u = 0; u < pl_stability_unit_count(st); u++) {
            out_printf(w, "  %-18.18s", pl_stability_unit_name(st, u));
            for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
                if (pl_stability_has(st, (pl_gmcr_concept)k)) {
                    int v = pl_stability_is_stable(st, (pl_gmcr_concept)k, u, (size_t)explain);
                    out_printf(w, " %s%-7s%s", c_on(w, v ? "\033[32m" : "\033[31m"),
                               v ? "stable" : "UNSTAB", c_off(w));
                }
            out_puts(w, "\n");
        }
        /* One paragraph per unit and concept; a unit with no improvement at
         * all is stable under every concept and said so once. */
        for (size_t u = 0; u < pl_stability_unit_count(st); u++) {
            int shown_none = 0;
            for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
                if (!pl_stability_has(st, (pl_gmcr_concept)k) || k == PL_GMCR_SEQSIM)
                    continue;
                pl_gmcr_explanation *ex;
                pl_diag d;
                if (pl_stability_explain(st, (pl_gmcr_concept)k, u, (size_t)explain, &ex, &d) !=
                    PL_OK) {
                    w->oom = 1;
                    return;
                }
                if (pl_gmcr_explanation_count(ex) == 0 && shown_none++) {
                    pl_gmcr_explanation_free(ex);
                    continue;
                }
                if (pl_gmcr_explanation_count(ex))
                    out_printf(w, "\n  %s[%s]%s ", c_on(w, "\033[1m"),
                               pl_gmcr_concept_name((pl_gmcr_concept)k), c_off(w));
                else
                    out_puts(w, "\n  ");
                for (const char *p = pl_gmcr_explanation_text(ex); *p; p++) {
                    char ch[2] = {*p, 0};
                    out_puts(w, ch);
                    if (*p == '\n')
                        out_puts(w, "  ");
                }
                out_puts(w, "\n");
                pl_gmcr_explanation_free(ex);
            }
        }
    }
    if (paths && in.status_quo > 0) {
        out_printf(w, "\n%spaths of unilateral improvements from the status quo%s\n",
                   c_on(w, "\033[1m"), c_off(w));
        /* every state that is an equilibrium under some computed concept */
        size_t shown = 0, unreachable = 0;
        for (size_t s = 1; s <= in.n_states && shown < 50; s++) {
            const char *which = NULL;
            for (int k = 0; k < PL_GMCR_N_CONCEPTS && !which; k++) {
                if (!pl_stability_has(st, (pl_gmcr_concept)k))
                    continue;
                int all = 1;
                for (size_t u = 0; u < pl_stability_unit_count(st) && all; u++)
                    all = pl_stability_is_stable(st, (pl_gmcr_concept)k, u, s) == 1;
                if (all)
                    which = pl_gmcr_concept_name((pl_gmcr_concept)k);
            }
            if (!which)
                continue;
            shown++;
            state_str(c, s, sb, sizeof sb);
            pl_gmcr_step *steps;
            size_t n;
            pl_status ps = pl_stability_path(st, (size_t)in.status_quo, s, &steps, &n);
            if (ps == PL_E_NOTFOUND) {
                unreachable++;
                shown--;
                continue;
            }
            out_printf(w, "  to %zu (%s, %s equilibrium): ", s, sb, which);
            if (ps != PL_OK) {
                w->oom = 1;
                return;
            }
            if (n == 0)
                out_puts(w, "it is the status quo");
            for (size_t t = 0; t < n; t++) {
                state_str(c, steps[t].to, sb, sizeof sb);
                out_printf(w, "%s%s -> %zu (%s)", t ? ", " : "",
                           pl_stability_unit_name(st, steps[t].unit), steps[t].to, sb);
            }
            out_puts(w, "\n");
            pl_free(steps);
        }
        if (unreachable)
            out_printf(w, "  (%zu other equilibri%s cannot be reached from the status quo by "
                          "unilateral improvements)\n",
                       unreachable, unreachable == 1 ? "um" : "a");
    } else if (paths) {
        out_puts(w, "\n(no status quo given: no paths)\n");
    }
}

int cmd_stability(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"concepts", required_argument, NULL, O_CONCEPTS},
        {"semantics", required_argument, NULL, O_SEM},
        {"gmcrplus", no_argument, NULL, O_GMCRPLUS},
        {"coalitions", no_argument, NULL, O_COAL},
        {"search-coalitions", no_argument, NULL, O_SEARCH},
        {"explain", required_argument, NULL, O_EXPLAIN},
        {"from-status-quo", no_argument, NULL, O_PATHS},
        {"threads", required_argument, NULL, O_THREADS},
        {"json", no_argument, NULL, O_JSON},
        {"format", required_argument, NULL, O_FORMAT},
        {"as-of", required_argument, NULL, O_ASOF},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pl_gmcr_opts o;
    pl_gmcr_opts_init(&o);
    const char *output = NULL, *explain_arg = NULL, *as_of = NULL;
    int json = 0, gmcr_json = 0, paths = 0, search = 0, sem_given = 0;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case O_CONCEPTS: {
            o.concepts = 0;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", optarg);
            for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
                int k = pl_gmcr_concept_find(tok);
                if (k < 0) {
                    cli_error("unknown concept '%s' in --concepts; use nash, gmr, smr, seq, sim, "
                              "seqsim",
                              tok);
                    return EXIT_INPUT;
                }
                o.concepts |= 1u << k;
            }
            if (!o.concepts) {
                cli_error("--concepts needs at least one concept");
                return EXIT_INPUT;
            }
            break;
        }
        case O_SEM:
            sem_given = 1;
            if (strcmp(optarg, "closure") == 0)
                o.semantics = PL_GMCR_CLOSURE;
            else if (strcmp(optarg, "chain-distinct") == 0)
                o.semantics = PL_GMCR_CHAIN_DISTINCT;
            else if (strcmp(optarg, "single") == 0)
                o.semantics = PL_GMCR_SINGLE;
            else {
                cli_error("unknown --semantics '%s': closure, chain-distinct or single", optarg);
                return EXIT_INPUT;
            }
            break;
        case O_GMCRPLUS: o.gmcrplus_sim = 1; break;
        case O_COAL: o.use_coalitions = 1; break;
        case O_SEARCH: search = 1; break;
        case O_EXPLAIN: explain_arg = optarg; break;
        case O_PATHS: paths = 1; break;
        case O_THREADS: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 64) {
                cli_error("--threads needs a whole number from 1 to 64, got '%s'", optarg);
                return EXIT_INPUT;
            }
            o.threads = (int)v;
            break;
        }
        case O_JSON: json = 1; break;
        case O_FORMAT:
            if (strcmp(optarg, "gmcr-json") != 0) {
                cli_error("unknown --format '%s': the only format is gmcr-json", optarg);
                return EXIT_INPUT;
            }
            gmcr_json = 1;
            break;
        case O_ASOF: as_of = optarg; break;
        case 'o': output = optarg; break;
        case 'h': fputs(STABILITY_HELP, stdout); return EXIT_OK;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help stability'", argv[optind - 1]);
            return EXIT_INPUT;
        default:
            cli_error("unknown option '%s'; see 'parley help stability'", argv[optind - 1]);
            return EXIT_INPUT;
        }
    }
    const char *file = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'parley help stability'", argv[optind]);
        return EXIT_INPUT;
    }
    if (o.gmcrplus_sim && !sem_given)
        o.semantics = PL_GMCR_CHAIN_DISTINCT;
    pl_conflict *c;
    int rc = load_conflict(file, as_of, &c);
    if (rc != EXIT_OK)
        return rc;
    pl_conflict_info in;
    pl_conflict_get_info(c, &in);
    if (o.use_coalitions && !in.n_coalitions) {
        cli_error("--coalitions: the conflict defines no coalitions");
        pl_conflict_free(c);
        return EXIT_INPUT;
    }
    out w = {0};
    w.color = !json && !gmcr_json && (!output || strcmp(output, "-") == 0) &&
              isatty(fileno(stdout)) && !getenv("NO_COLOR");
    pl_diag d;
    memset(&d, 0, sizeof d);
    if (search) {
        int k = 0;
        unsigned cs = o.concepts ? o.concepts : 1u << PL_GMCR_GMR;
        while (!((cs >> k) & 1u))
            k++;
        char *js;
        pl_status st = pl_gmcr_coalition_search(c, &o, (pl_gmcr_concept)k, &js, &d);
        if (st != PL_OK) {
            cli_print_diag(&d);
            pl_conflict_free(c);
            return cli_exit_code(st);
        }
        out_puts(&w, js);
        pl_free(js);
        rc = out_commit(&w, output);
        out_free(&w);
        pl_conflict_free(c);
        return rc;
    }
    long explain = in.status_quo;
    if (explain_arg) {
        explain = parse_state_arg(c, explain_arg);
        if (explain < 1) {
            cli_error("--explain '%s' names no feasible state (give an ordinal 1..%zu, a "
                      "%zu-character Y/N string or 'sq' with a status quo)",
                      explain_arg, in.n_states, in.n_options);
            pl_conflict_free(c);
            return EXIT_INPUT;
        }
    }
    if (paths && in.status_quo < 1) {
        cli_error("--from-status-quo: the conflict has no status quo");
        pl_conflict_free(c);
        return EXIT_INPUT;
    }
    pl_stability *st;
    pl_status s2 = pl_stability_analyse(c, &o, &st, &d);
    if (s2 != PL_OK) {
        cli_print_diag(&d);
        pl_conflict_free(c);
        return cli_exit_code(s2);
    }
    char *js = NULL;
    if (gmcr_json)
        s2 = pl_stability_to_json(st, &js, &d);
    else if (json) {
        size_t ex = explain > 0 ? (size_t)explain : 0;
        s2 = pl_stability_report_json(st, explain > 0 ? &ex : NULL, explain > 0 ? 1 : 0,
                                      paths ? in.status_quo : -1, &js, &d);
    } else
        print_text(&w, c, st, explain, paths);
    if (s2 != PL_OK) {
        cli_print_diag(&d);
        rc = cli_exit_code(s2);
    } else {
        if (js)
            out_puts(&w, js);
        rc = out_commit(&w, output);
    }
    pl_free(js);
    out_free(&w);
    pl_stability_free(st);
    pl_conflict_free(c);
    return rc;
}
