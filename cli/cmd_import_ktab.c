/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the ktab importer lands. */
#include "cli.h"

const char IMPORT_KTAB_HELP[] = "Usage: parley import ktab FILE -o OUT.yaml\n\nNot available in this build yet.\n";

int cmd_import_ktab(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'import ktab' is not available in this build yet");
    return EXIT_INPUT;
}
