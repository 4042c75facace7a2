/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the forecast lens lands. */
#include "cli.h"

const char FORECAST_HELP[] = "Usage: parley forecast FILE\n\nNot available in this build yet.\n";

int cmd_forecast(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'forecast' is not available in this build yet");
    return EXIT_INPUT;
}
