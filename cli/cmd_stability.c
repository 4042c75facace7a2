/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the stability lens lands. */
#include "cli.h"

const char STABILITY_HELP[] = "Usage: parley stability FILE\n\nNot available in this build yet.\n";

int cmd_stability(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'stability' is not available in this build yet");
    return EXIT_INPUT;
}
