/* SPDX-License-Identifier: GPL-3.0-or-later */
/* parley report: the self-contained HTML report (docs/report.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_web.h"
#include "parley.h"

const char REPORT_HELP[] =
    "Usage: parley report [FILE] [-o report.html] [--as-of DATE] [--no-timeline]\n"
    "                     [--no-pareto] [--title TEXT] [--threads N]\n"
    "\n"
    "Write one self-contained HTML file (inline CSS and SVG, no scripts, nothing\n"
    "loaded from the network; printable) showing the scenario's state: the\n"
    "acceptability matrix (proposals x actors, coloured by margin, reasons on\n"
    "hover), the proposals and the Pareto frontier in utility space (one scatter\n"
    "per pair of veto actors), the ZOPA count and the Nash package along the\n"
    "timeline, the bridges when the ZOPA is empty, and the evidence cited. Every\n"
    "chart's caption names the analysis and the evidence behind it.\n"
    "\n"
    "  --no-timeline   skip the timeline (it re-runs the agreement space per event)\n"
    "  --no-pareto     skip the Pareto frontier in the utility-space charts\n"
    "  --title TEXT    the page title (default: the scenario's name)\n"
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
    int no_tl = 0, no_pareto = 0;
    const char *title = NULL;
    const web_opt spec[] = {
        {"--no-timeline", &no_tl, NULL},
        {"--no-pareto", &no_pareto, NULL},
        {"--title", NULL, &title},
    };
    argc = web_take_opts(argc, argv, spec, sizeof spec / sizeof spec[0]);
    if (argc < 0)
        return EXIT_INPUT;
    common_opts o;
    int rc = cli_parse(argc, argv, "report", X_THREADS, &o);
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
