/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_web.h"
#include "run_store.h"

static const char MAIN_HELP[] =
    "parley " PL_VERSION_STRING " - model, analyse and forecast multi-party negotiations\n"
    "\n"
    "Usage: parley [COMMAND] [FILE] [OPTIONS]\n"
    "\n"
    "With no command, parley evaluates the bundled reference scenario (the 2025-26\n"
    "US-Ukraine-Russia talks over Donbas). FILE is a scenario in YAML\n"
    "(docs/format.md); without FILE every command reads the bundled scenario.\n"
    "\n"
    "Commands:\n"
    "  check FILE       validate a scenario and print a one-line summary\n"
    "  show FILE        actors, issues, options, proposals, red lines, timeline\n"
    "  evaluate FILE    who accepts each proposal, and exactly why not\n"
    "  zopa FILE        the zone of possible agreement: exact count, best packages\n"
    "  pareto FILE      the Pareto-optimal acceptable packages\n"
    "  solve FILE       Nash, Kalai-Smorodinsky, egalitarian, utilitarian solutions\n"
    "  bridge FILE      the smallest changes that open an empty ZOPA\n"
    "  timeline FILE    the ZOPA, Nash package and binding actor along the timeline\n"
    "  stability FILE   GMCR stability analysis of the conflict: section\n"
    "  forecast FILE    spatial bargaining forecast (KTAB's SMP)\n"
    "  simulate FILE    bargaining while fighting: Monte Carlo over the war: section\n"
    "  robust FILE      how often the ZOPA and each verdict hold under uncertainty\n"
    "  sensitivity FILE tornado: which uncertain number moves the answers most\n"
    "  game FILE        alternating offers; which sequencing is self-enforcing; .efg\n"
    "  import FORMAT    convert GMCR+, KTAB or GENIUS files into a scenario\n"
    "  report FILE      a self-contained HTML report with charts (-o report.html)\n"
    "  serve FILE       a local web app: edit and see the answers change (--port P)\n"
    "  runs list        the run store: list, show ID, diff ID ID (--db PATH)\n"
    "  help COMMAND     the manual of one command\n"
    "\n"
    "Options for every command:\n"
    "  --as-of DATE     the scenario as of DATE (YYYY-MM-DD): timeline events up to it\n"
    "  --json           machine-readable output with stable, sorted keys (docs/json.md)\n"
    "  -o, --output F   write the result to F (atomically) instead of standard output\n"
    "  -h, --help       show help\n"
    "  --version        print the version\n"
    "\n"
    "Exit status: 0 success, 2 bad input (file, option or reference), 3 internal error.\n"
    "Errors are printed as FILE:LINE:COL: error: MESSAGE. Nothing is written on error.\n";

static const char CHECK_HELP[] =
    "Usage: parley check [FILE] [--strict] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "Load and validate a scenario. Prints one line: the scenario, its counts of\n"
    "actors, issues, options, proposals, evidence and events, and the size of the\n"
    "package space. On the first error prints FILE:LINE:COL: error: MESSAGE and\n"
    "exits with status 2.\n"
    "\n"
    "  --strict   also fail (status 2) when a number, red line or constraint cites no\n"
    "             evidence and carries no 'assume:' rationale, listing each one\n";

static const char SHOW_HELP[] =
    "Usage: parley show [FILE] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "Print the scenario in readable text: actors (role, veto, capability,\n"
    "reservation value, ratification), issues with their ordered options and status\n"
    "quo, each actor's weights, red lines and interaction terms, global\n"
    "constraints, proposals and the timeline (which events apply under --as-of).\n"
    "--json prints the whole model as one JSON object.\n";

static const char EVALUATE_HELP[] =
    "Usage: parley evaluate [FILE] [--proposal ID] [--as-of DATE] [--json] [-o OUT]\n"
    "\n"
    "For each proposal on the table (or only --proposal ID) and each actor with\n"
    "preferences: its utility, whether it keeps the actor's red lines, its margin\n"
    "over the reservation value (the worth of no deal), accept or reject, and for\n"
    "every verdict the reasons: which red line is crossed and on which issues, or\n"
    "the shortfall and the issues that cause most of it.\n"
    "\n"
    "A partial proposal (silent on some issues) is read with those issues at their\n"
    "status quo; the best and worst feasible completion for each actor are also\n"
    "reported. A proposal is agreed when every actor with a veto accepts it.\n"
    "\n"
    "  --proposal ID   evaluate one proposal (even one not yet tabled at --as-of)\n"
    "\n"
    "JSON: {\"proposals\": [{\"id\", \"name\", \"verdicts\": {ACTOR: {\"accept\",\n"
    "\"utility\", \"margin\", \"red_lines_broken\", \"reasons\", ...}}, ...}]}; see\n"
    "docs/json.md for every key.\n";

const char *cli_help_text(const char *command)
{
    if (!command)
        return MAIN_HELP;
    if (strcmp(command, "check") == 0)
        return CHECK_HELP;
    if (strcmp(command, "show") == 0)
        return SHOW_HELP;
    if (strcmp(command, "evaluate") == 0)
        return EVALUATE_HELP;
    if (strcmp(command, "zopa") == 0)
        return ZOPA_HELP;
    if (strcmp(command, "pareto") == 0)
        return PARETO_HELP;
    if (strcmp(command, "solve") == 0)
        return SOLVE_HELP;
    if (strcmp(command, "bridge") == 0)
        return BRIDGE_HELP;
    if (strcmp(command, "timeline") == 0)
        return TIMELINE_HELP;
    if (strcmp(command, "stability") == 0)
        return STABILITY_HELP;
    if (strcmp(command, "forecast") == 0)
        return FORECAST_HELP;
    if (strcmp(command, "simulate") == 0)
        return SIMULATE_HELP;
    if (strcmp(command, "robust") == 0)
        return ROBUST_HELP;
    if (strcmp(command, "sensitivity") == 0)
        return SENSITIVITY_HELP;
    if (strcmp(command, "game") == 0)
        return GAME_HELP;
    if (strcmp(command, "import") == 0)
        return IMPORT_HELP;
    if (strcmp(command, "import-gmcr") == 0)
        return IMPORT_GMCR_HELP;
    if (strcmp(command, "import-ktab") == 0)
        return IMPORT_KTAB_HELP;
    if (strcmp(command, "import-genius") == 0)
        return IMPORT_GENIUS_HELP;
    if (strcmp(command, "report") == 0)
        return REPORT_HELP;
    if (strcmp(command, "serve") == 0)
        return SERVE_HELP;
    if (strcmp(command, "runs") == 0)
        return RUNS_HELP;
    return NULL;
}

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
} command;

static const command COMMANDS[] = {
    {"check", cmd_check},
    {"show", cmd_show},
    {"evaluate", cmd_evaluate},
    {"zopa", cmd_zopa},
    {"pareto", cmd_pareto},
    {"solve", cmd_solve},
    {"bridge", cmd_bridge},
    {"timeline", cmd_timeline},
    {"stability", cmd_stability},
    {"forecast", cmd_forecast},
    {"simulate", cmd_simulate},
    {"robust", cmd_robust},
    {"sensitivity", cmd_sensitivity},
    {"game", cmd_game},
    {"import", cmd_import},
    {"report", cmd_report},
    {"serve", cmd_serve},
    {"runs", cmd_runs},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        char *args[] = {"evaluate", NULL};
        return cmd_evaluate(1, args);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(MAIN_HELP, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("parley %s\n", pl_version());
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *t = cli_help_text(argc > 2 ? argv[2] : NULL);
        if (!t) {
            cli_error("no such command '%s'; try 'parley --help'", argv[2]);
            return EXIT_INPUT;
        }
        fputs(t, stdout);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof COMMANDS / sizeof COMMANDS[0]; k++)
        if (strcmp(cmd, COMMANDS[k].name) == 0)
            return run_recorded(COMMANDS[k].name, COMMANDS[k].fn, argc - 1, argv + 1);
    if (cmd[0] == '-' || strchr(cmd, '/') || strstr(cmd, ".yaml") || strstr(cmd, ".yml")) {
        /* A file or options without a command go to the default command. */
        argv[0] = "evaluate";
        return cmd_evaluate(argc, argv);
    }
    cli_error("unknown command '%s'; try 'parley --help'", cmd);
    return EXIT_INPUT;
}
