/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley import gmcr FILE -o OUT`: a GMCR+ save file (.gmcr) or a gmcr-json/1
 * file becomes a parley scenario with a conflict: section; with --to
 * gmcr-json, any of those (or a scenario's conflict: section) is written in
 * the plain JSON form, so that parley, GMCR+ and other tools can be compared
 * on the same conflict. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "parley.h"

const char IMPORT_GMCR_HELP[] =
    "Usage: parley import gmcr FILE [-o OUT] [--to yaml|gmcr-json]\n"
    "\n"
    "Convert a GMCR conflict. FILE is a GMCR+ save file (.gmcr), a gmcr-json/1\n"
    "file (.json) or, with --to gmcr-json, a parley scenario with a conflict:\n"
    "section.\n"
    "\n"
    "  --to yaml        (default) a parley scenario: one actor per decision maker,\n"
    "                   one yes/no issue per option and a conflict: section with the\n"
    "                   options, infeasible states, status quo and preferences\n"
    "                   (prioritization statements kept as statements; rankings as\n"
    "                   rankings)\n"
    "  --to gmcr-json   the plain JSON form (docs/gmcr.md); preferences are written\n"
    "                   as exact rankings\n"
    "  -o, --output F   write to F (atomically); default standard output\n"
    "  -h, --help       this help\n";

enum { O_TO = 256 };

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

int cmd_import_gmcr(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, O_TO},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    int to_json = 0;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case O_TO:
            if (strcmp(optarg, "yaml") == 0)
                to_json = 0;
            else if (strcmp(optarg, "gmcr-json") == 0)
                to_json = 1;
            else {
                cli_error("unknown --to '%s': yaml or gmcr-json", optarg);
                return EXIT_INPUT;
            }
            break;
        case 'o': output = optarg; break;
        case 'h': fputs(IMPORT_GMCR_HELP, stdout); return EXIT_OK;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help import-gmcr'",
                      argv[optind - 1]);
            return EXIT_INPUT;
        default:
            cli_error("unknown option '%s'; see 'parley help import-gmcr'", argv[optind - 1]);
            return EXIT_INPUT;
        }
    }
    if (optind >= argc) {
        cli_error("import gmcr needs an input file; see 'parley help import-gmcr'");
        return EXIT_INPUT;
    }
    const char *file = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'parley help import-gmcr'", argv[optind]);
        return EXIT_INPUT;
    }
    pl_conflict *c = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st;
    if (ends_with(file, ".yaml") || ends_with(file, ".yml")) {
        if (!to_json) {
            cli_error("%s is already a parley scenario; use --to gmcr-json to export its "
                      "conflict",
                      file);
            return EXIT_INPUT;
        }
        pl_scenario *sc;
        st = pl_scenario_load_file(file, &sc, &d);
        if (st == PL_OK) {
            st = pl_scenario_conflict(sc, &c, &d);
            pl_scenario_free(sc);
        }
    } else {
        st = pl_conflict_load_json(file, &c, &d);
    }
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    char *text = NULL;
    st = to_json ? pl_conflict_to_json(c, &text, &d) : pl_conflict_to_yaml(c, &text, &d);
    pl_conflict_free(c);
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    out w = {0};
    out_puts(&w, text);
    pl_free(text);
    int rc = out_commit(&w, output);
    out_free(&w);
    return rc;
}
