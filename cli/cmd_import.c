/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley import FORMAT ...`: dispatch to the importer of each format. */
#include <string.h>

#include "cli.h"

const char IMPORT_HELP[] =
    "Usage: parley import FORMAT INPUT... -o OUT.yaml\n"
    "\n"
    "Convert another tool's files into a parley scenario.\n"
    "\n"
    "Formats:\n"
    "  gmcr FILE        GMCR+ save files (.gmcr) and the plain GMCR JSON form\n"
    "  ktab FILE.csv    KTAB SMP actor tables\n"
    "  genius DOMAIN.xml PROFILE.xml...  GENIUS domains and utility profiles\n"
    "\n"
    "See 'parley help import-FORMAT' for the options of each.\n";

int cmd_import(int argc, char **argv)
{
    if (argc < 2) {
        cli_error("import needs a format; see 'parley help import'");
        return EXIT_INPUT;
    }
    if (strcmp(argv[1], "gmcr") == 0)
        return cmd_import_gmcr(argc - 1, argv + 1);
    if (strcmp(argv[1], "ktab") == 0)
        return cmd_import_ktab(argc - 1, argv + 1);
    if (strcmp(argv[1], "genius") == 0)
        return cmd_import_genius(argc - 1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(IMPORT_HELP, stdout);
        return EXIT_OK;
    }
    cli_error("unknown import format '%s'; see 'parley help import'", argv[1]);
    return EXIT_INPUT;
}
