/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parley report: the self-contained HTML report (docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_web.h"
#include "parley.h"

const char REPORT_HELP[] =
    "Usage: parley report [FILE] [-o report.html] [--as-of DATE] [--no-timeline]\n"
    "                     [--no-pareto] [--title TEXT] [--threads N] [--runs N]\n"
    "                     [--tornado-runs N] [--seed S] [--no-war] [--no-gmcr]\n"
    "                     [--max-states N]\n"
    "\n"
    "Write one self-contained HTML file (inline CSS and SVG, no scripts, nothing\n"
    "loaded from the network; printable) showing the scenario's state: the\n"
    "acceptability matrix (proposals x actors, coloured by margin, reasons on\n"
    "hover), the proposals and the Pareto frontier in utility space (one scatter\n"
    "per pair of veto actors, and parallel coordinates), the ZOPA count and the\n"
    "Nash package along the timeline; with a war: section, the probability of a\n"
    "lasting deal by month (fan chart) and the tornado chart; with a conflict:\n"
    "section, the GMCR state graph with its equilibria; the bridges when the ZOPA\n"
    "is empty, and the evidence cited. Every chart's caption names the analysis\n"
    "and the evidence behind it.\n"
    "\n"
    "  --no-timeline      skip the timeline (it re-runs the agreement space per event)\n"
    "  --no-pareto        skip the Pareto frontier in the utility-space charts\n"
    "  --title TEXT       the page title (default: the scenario's name)\n"
    "  --runs N           simulation runs for the fan chart (default 200)\n"
    "  --tornado-runs N   runs per end of each uncertain number in the tornado\n"
    "                     (default 50)\n"
    "  --seed S           random seed of both (default 1); same seed, same bytes\n"
    "  --no-war           skip the fan and tornado charts\n"
    "  --no-gmcr          skip the GMCR state graph\n"
    "  --max-states N     most states drawn in the state graph (default 24)\n"
    "\n"
    "Without -o the HTML goes to standard output. See docs/report.md.\n";

/* Take the options only this command knows out of argv, so the shared parser
 * (cli_parse) sees the common ones; returns the new argc. */
int web_take_opts(int argc, char **argv, const web_opt *spec, size_t n_spec)
{
    int w = 1;
    for (int k = 1; k < argc; k++) {
        size_t s = 0;
        for (; s < n_spec; s++)
            if (strcmp(argv[k], spec[s].name) == 0)
                break;
        if (s == n_spec) {
            argv[w++] = argv[k];
            continue;
        }
        if (spec[s].flag) {
            *spec[s].flag = 1;
        } else if (k + 1 < argc) {
            *spec[s].value = argv[++k];
        } else {
            *spec[s].value = NULL;
            cli_error("%s needs a value", spec[s].name);
            return -1;
        }
    }
    argv[w] = NULL;
    return w;
}

int cmd_report(int argc, char **argv)
{
    int no_tl = 0, no_pareto = 0, no_war = 0, no_gmcr = 0;
    const char *title = NULL, *tornado_s = NULL, *states_s = NULL;
    const web_opt spec[] = {
        {"--no-timeline", &no_tl, NULL},
        {"--no-pareto", &no_pareto, NULL},
        {"--title", NULL, &title},
        {"--tornado-runs", NULL, &tornado_s},
        {"--no-war", &no_war, NULL},
        {"--no-gmcr", &no_gmcr, NULL},
        {"--max-states", NULL, &states_s},
    };
    argc = web_take_opts(argc, argv, spec, sizeof spec / sizeof spec[0]);
    if (argc < 0)
        return EXIT_INPUT;
    /* Checked before the scenario is loaded, so a typo costs nothing. */
    char *end = NULL;
    long tornado = tornado_s ? strtol(tornado_s, &end, 10) : 0;
    if (tornado_s && (*end || tornado < 1 || tornado > 100000000)) {
        cli_error("--tornado-runs needs a whole number from 1 to 100000000, got '%s'", tornado_s);
        return EXIT_INPUT;
    }
    long states = states_s ? strtol(states_s, &end, 10) : 0;
    if (states_s && (*end || states < 1 || states > 500)) {
        cli_error("--max-states needs a whole number from 1 to 500, got '%s'", states_s);
        return EXIT_INPUT;
    }
    common_opts o;
    int rc = cli_parse(argc, argv, "report", X_THREADS | X_RUNS, &o);
    if (rc >= 0)
        return rc;
    pl_scenario *sc;
    if ((rc = cli_load(&o, &sc)) != EXIT_OK)
        return rc;
    pl_report_options ro;
    pl_report_options_init(&ro);
    ro.timeline = !no_tl;
    ro.pareto = !no_pareto;
    ro.title = title;
    ro.threads = o.threads;
    ro.war = !no_war;
    ro.gmcr = !no_gmcr;
    if (o.runs > 0)
        ro.runs = o.runs;
    if (o.seed_given)
        ro.seed = (uint64_t)o.seed;
    if (tornado_s)
        ro.tornado_runs = tornado;
    if (states_s)
        ro.max_states = (size_t)states;
    char *html = NULL;
    pl_diag d;
    pl_status st = pl_report_html(sc, &ro, &html, &d);
    pl_scenario_free(sc);
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    out w = {0};
    out_puts(&w, html);
    pl_free(html);
    rc = out_commit(&w, o.output);
    out_free(&w);
    return rc;
}
