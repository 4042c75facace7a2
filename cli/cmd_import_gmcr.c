/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the gmcr importer lands. */
#include "cli.h"

const char IMPORT_GMCR_HELP[] = "Usage: parley import gmcr FILE -o OUT.yaml\n\nNot available in this build yet.\n";

int cmd_import_gmcr(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'import gmcr' is not available in this build yet");
    return EXIT_INPUT;
}
