/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley import genius DOMAIN.xml PROFILE.xml... -o OUT.yaml`: GENIUS XML
 * domains and profiles become a scenario (docs/genius.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
/* Proposed public API; moves into parley.h at merge. */
#include "parley.h"

const char IMPORT_GENIUS_HELP[] =
    "Usage: parley import genius DOMAIN.xml PROFILE.xml... [--semantics genius|negmas]\n"
    "                            [-o OUT.yaml]\n"
    "\n"
    "Convert a GENIUS negotiation domain and one or more of its utility profiles into\n"
    "a parley scenario: one issue per GENIUS issue (integer and real issues become a\n"
    "grid of options), one party with a veto per profile, its reservation value as\n"
    "the worth of no deal. Without -o the scenario is printed.\n"
    "\n"
    "  --semantics genius  (default) GENIUS's reading: each discrete evaluation is\n"
    "                      divided by the best in its issue, so the best item scores\n"
    "                      100; the reservation value x 100 is the disagreement point\n"
    "  --semantics negmas  NegMAS's reading: raw evaluations (x 100 when all of a\n"
    "                      profile's evaluations lie in [0, 1]); the disagreement\n"
    "                      point is max(reservation value, minimum utility)\n"
    "  -o, --output F      write the scenario to F, atomically; nothing on error\n"
    "\n"
    "The output is the same bytes on every run. Errors in the XML are reported as\n"
    "FILE:LINE:COL: error: MESSAGE with exit status 2. See docs/genius.md.\n";

enum { OPT_SEMANTICS = 256 };

int cmd_import_genius(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"semantics", required_argument, NULL, OPT_SEMANTICS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    pl_genius_semantics sem = PL_GENIUS_SEM_GENIUS;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h': fputs(IMPORT_GENIUS_HELP, stdout); return EXIT_OK;
        case OPT_SEMANTICS:
            if (strcmp(optarg, "genius") == 0)
                sem = PL_GENIUS_SEM_GENIUS;
            else if (strcmp(optarg, "negmas") == 0)
                sem = PL_GENIUS_SEM_NEGMAS;
            else {
                cli_error("unknown semantics '%s'; expected genius or negmas", optarg);
                return EXIT_INPUT;
            }
            break;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help import-genius'",
                      argv[optind - 1]);
            return EXIT_INPUT;
        default:
            if (optopt && optopt < 256)
                cli_error("unknown option '-%c'; see 'parley help import-genius'", optopt);
            else
                cli_error("unknown or incomplete option '%s'; see 'parley help import-genius'",
                          argv[optind - 1]);
            return EXIT_INPUT;
        }
    }
    if (optind >= argc) {
        cli_error("import genius needs a domain file and at least one profile; see "
                  "'parley help import-genius'");
        return EXIT_INPUT;
    }
    const char *domain = argv[optind];
    char *yaml = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_import_genius(domain, (const char *const *)(argv + optind + 1),
                                    (size_t)(argc - optind - 1), sem, &yaml, &d);
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    out o;
    memset(&o, 0, sizeof o);
    out_puts(&o, yaml);
    pl_free(yaml);
    int rc = out_commit(&o, output);
    out_free(&o);
    return rc;
}
