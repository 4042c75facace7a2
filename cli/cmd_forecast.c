/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley forecast`: the spatial bargaining forecast (KTAB's SMP, or the
 * classic Bueno de Mesquita model) of a scenario or of a KTAB CSV table. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "parley.h"

const char FORECAST_HELP[] =
    "Usage: parley forecast [FILE] [options]\n"
    "\n"
    "Forecast where positions converge (spatial bargaining model). FILE is a\n"
    "scenario (its forecast: section, docs/forecast.md) or a KTAB SMP table\n"
    "(*.csv); without FILE the bundled reference scenario is used.\n"
    "\n"
    "Prints every round's positions and each position's probability, the final\n"
    "forecast per dimension (modal position, probability-weighted expected\n"
    "position, capability x salience weighted mean) and who moved most.\n"
    "\n"
    "Options:\n"
    "  --rounds N        play at most N rounds (default 100, as KTAB)\n"
    "  --model M         smp (KTAB's Spatial Model of Politics, default) or bdm\n"
    "                    (classic Bueno de Mesquita, one dimension)\n"
    "  --stochastic      draw bargains by probability instead of taking the likeliest\n"
    "  --seed S          seed of the stochastic mode (default 1)\n"
    "  --threads T       worker threads (default: all processors; same result)\n"
    "  --last N          show only the last N rounds (the JSON too)\n"
    "  --as-of DATE      the scenario as of DATE (YYYY-MM-DD)\n"
    "  --json            JSON output (keys: docs/forecast.md)\n"
    "  -o, --output F    write to F (atomically) instead of standard output\n"
    "  -h, --help        this help\n";

enum { OPT_ROUNDS = 300, OPT_MODEL, OPT_STOCH, OPT_SEED, OPT_THREADS, OPT_LAST, OPT_ASOF,
       OPT_JSON };

static int ends_with_csv(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && (strcmp(s + n - 4, ".csv") == 0 || strcmp(s + n - 4, ".CSV") == 0);
}

static int parse_uint(const char *s, const char *opt, unsigned long lo, unsigned long hi,
                      unsigned long *res)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || *s == '-' || v < lo || v > hi) {
        cli_error("%s needs a whole number from %lu to %lu, got '%s'", opt, lo, hi, s);
        return -1;
    }
    *res = v;
    return 0;
}

static void text_output(out *w, const pl_smp_model *m, const pl_smp_result *r, size_t last,
                        const char *src)
{
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    const size_t n = mi.n_actors, d = mi.n_dims, T = pl_smp_result_states(r);
    const pl_smp_params *p = &mi.params;
    out_printf(w, "%sForecast: %s%s  (%s)\n", c_on(w, "\033[1m"), mi.name[0] ? mi.name : src,
               c_off(w), src);
    if (p->kind == PL_SMP_BDM)
        out_printf(w, "model: classic Bueno de Mesquita expected utility");
    else
        out_printf(w, "model: KTAB SMP (%s victory, %s voting, %s PCE, %s, %s bargains)",
                   pl_smp_vpm_name(p->vpm), pl_smp_vote_name(p->vote), pl_smp_pce_name(p->pce),
                   pl_smp_third_party_name(p->third_party), pl_smp_interp_name(p->interp));
    out_printf(w, "; %s", pl_smp_transition_name(p->transition));
    if (p->transition == PL_SMP_STOCHASTIC)
        out_printf(w, " (seed %llu)", (unsigned long long)p->seed);
    out_printf(w, "\n%zu actors, %zu dimension%s; %zu round%s played, %s\n\n", n, d,
               d == 1 ? "" : "s", T - 1, T == 2 ? "" : "s",
               pl_smp_result_converged(r) ? "positions settled" : "stopped at the round limit");

    int idw = 6;
    for (size_t i = 0; i < n; i++) {
        pl_smp_actor_info ai;
        pl_smp_model_actor(m, i, &ai);
        int l = (int)strlen(ai.id);
        idw = l > idw ? (l > 24 ? 24 : l) : idw;
    }
    size_t first = last && T > last ? T - last : 0;
    for (size_t t = first; t < T; t++) {
        out_printf(w, "%sRound %zu%s", c_on(w, "\033[1m"), t, c_off(w));
        if (t > 0 && isfinite(pl_smp_result_change(r, t)))
            out_printf(w, "  (movement %.4f of round 1's)", pl_smp_result_change(r, t));
        out_printf(w, "\n  %-*s", idw, "actor");
        for (size_t k = 0; k < d; k++)
            out_printf(w, " %10.10s", pl_smp_model_dim_id(m, k));
        out_printf(w, " %8s\n", "prob");
        const double *x = pl_smp_result_positions(r, t);
        for (size_t i = 0; i < n; i++) {
            pl_smp_actor_info ai;
            pl_smp_model_actor(m, i, &ai);
            out_printf(w, "  %-*.*s", idw, idw, ai.id);
            for (size_t k = 0; k < d; k++)
                out_printf(w, " %10.2f", x[i * d + k]);
            double pr = pl_smp_result_probability(r, t, i);
            if (isnan(pr))
                out_printf(w, " %8s\n", "-");
            else
                out_printf(w, " %8.4f\n", pr);
        }
        out_puts(w, "\n");
    }

    out_printf(w, "%sFinal forecast%s (0..100 scale)\n", c_on(w, "\033[1m"), c_off(w));
    out_printf(w, "  %-22s %9s %9s %14s %9s\n", "dimension", "modal", "expected",
               "weighted mean", "initial");
    for (size_t k = 0; k < d; k++) {
        pl_smp_forecast f;
        pl_smp_result_forecast(r, k, &f);
        out_printf(w, "  %-22.22s %9.2f %9.2f %14.2f %9.2f\n", pl_smp_model_dim_id(m, k),
                   f.modal, f.expected, f.weighted_mean, f.initial_mean);
    }
    double mp = pl_smp_result_modal_probability(r);
    if (!isnan(mp))
        out_printf(w, "  modal position's probability %.4f; %zu distinct final positions\n",
                   mp, pl_smp_result_distinct(r));

    size_t *ord = malloc(n * sizeof *ord);
    if (!ord) {
        w->oom = 1;
        return;
    }
    pl_smp_result_movers(r, ord);
    out_printf(w, "\n%sMoved most%s (distance from round 0 to the end)\n", c_on(w, "\033[1m"),
               c_off(w));
    const double *x0 = pl_smp_result_positions(r, 0), *xt = pl_smp_result_positions(r, T - 1);
    for (size_t q = 0; q < n && q < 5; q++) {
        size_t i = ord[q];
        pl_smp_actor_info ai;
        pl_smp_model_actor(m, i, &ai);
        out_printf(w, "  %-*.*s %7.2f  ", idw, idw, ai.id, pl_smp_result_moved(r, i));
        for (size_t k = 0; k < d; k++)
            out_printf(w, "%s%.2f->%.2f", k ? ", " : "", x0[i * d + k], xt[i * d + k]);
        const char *ev = pl_smp_model_actor_evidence(m, i);
        if (ev && *ev) {
            out_puts(w, "  [");
            for (const char *s = ev; *s; s += strlen(s) + 1)
                out_printf(w, "%s%s", s == ev ? "" : ", ", s);
            out_puts(w, "]");
        }
        out_puts(w, "\n");
    }
    free(ord);
}

int cmd_forecast(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"rounds", required_argument, NULL, OPT_ROUNDS},
        {"model", required_argument, NULL, OPT_MODEL},
        {"stochastic", no_argument, NULL, OPT_STOCH},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"last", required_argument, NULL, OPT_LAST},
        {"as-of", required_argument, NULL, OPT_ASOF},
        {"json", no_argument, NULL, OPT_JSON},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    common_opts o;
    memset(&o, 0, sizeof o);
    unsigned long rounds = 0, seed = 0, threads = 0, last = 0;
    int have_rounds = 0, have_seed = 0, have_threads = 0, stochastic = 0, model = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROUNDS:
            if (parse_uint(optarg, "--rounds", 1, 100000, &rounds) != 0)
                return EXIT_INPUT;
            have_rounds = 1;
            break;
        case OPT_MODEL:
            if (strcmp(optarg, "smp") == 0 || strcmp(optarg, "ktab") == 0)
                model = PL_SMP_KTAB;
            else if (strcmp(optarg, "bdm") == 0)
                model = PL_SMP_BDM;
            else {
                cli_error("--model must be 'smp' or 'bdm', got '%s'", optarg);
                return EXIT_INPUT;
            }
            break;
        case OPT_STOCH: stochastic = 1; break;
        case OPT_SEED:
            if (parse_uint(optarg, "--seed", 0, (unsigned long)-1, &seed) != 0)
                return EXIT_INPUT;
            have_seed = 1;
            break;
        case OPT_THREADS:
            if (parse_uint(optarg, "--threads", 1, 64, &threads) != 0)
                return EXIT_INPUT;
            have_threads = 1;
            break;
        case OPT_LAST:
            if (parse_uint(optarg, "--last", 1, 1000000, &last) != 0)
                return EXIT_INPUT;
            break;
        case OPT_ASOF: o.as_of = optarg; break;
        case OPT_JSON: o.json = 1; break;
        case 'o': o.output = optarg; break;
        case 'h': o.help = 1; break;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help forecast'", argv[optind - 1]);
            return EXIT_INPUT;
        default:
            if (optopt && optopt < 256)
                cli_error("unknown option '-%c'; see 'parley help forecast'", optopt);
            else
                cli_error("unknown or incomplete option '%s'; see 'parley help forecast'",
                          argv[optind - 1]);
            return EXIT_INPUT;
        }
    }
    if (o.help) {
        fputs(FORECAST_HELP, stdout);
        return EXIT_OK;
    }
    if (optind < argc)
        o.file = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'parley help forecast'", argv[optind]);
        return EXIT_INPUT;
    }

    pl_smp_model *m = NULL;
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    int rc;
    const char *src = o.file ? o.file : CLI_REFERENCE_NAME;
    if (o.file && ends_with_csv(o.file)) {
        if (o.as_of) {
            cli_error("--as-of applies to scenarios, not to a KTAB table");
            return EXIT_INPUT;
        }
        pl_status st = pl_smp_read_ktab_file(o.file, &m, &d);
        if (st != PL_OK) {
            cli_print_diag(&d);
            return cli_exit_code(st);
        }
    } else {
        if ((rc = cli_load(&o, &sc)) != EXIT_OK)
            return rc;
        pl_status st = pl_smp_model_from_scenario(sc, &m, &d);
        if (st != PL_OK) {
            cli_print_diag(&d);
            pl_scenario_free(sc);
            return cli_exit_code(st);
        }
    }
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    pl_smp_params p = mi.params;
    if (have_rounds)
        p.max_rounds = (unsigned)rounds;
    if (model >= 0)
        p.kind = (pl_smp_kind)model;
    if (stochastic)
        p.transition = PL_SMP_STOCHASTIC;
    if (have_seed)
        p.seed = seed;
    if (have_threads)
        p.threads = (unsigned)threads;
    pl_smp_model_set_params(m, &p);

    pl_smp_result *r = NULL;
    pl_status st = pl_smp_run(m, NULL, &r, &d);
    if (st != PL_OK) {
        if (!d.file[0])
            snprintf(d.file, sizeof d.file, "%s", src);
        cli_print_diag(&d);
        pl_smp_model_free(m);
        pl_scenario_free(sc);
        return cli_exit_code(st);
    }
    out w = {0};
    w.color = !o.json && (!o.output || strcmp(o.output, "-") == 0) && isatty(fileno(stdout)) &&
              !getenv("NO_COLOR");
    rc = EXIT_OK;
    if (o.json) {
        char *json = NULL;
        st = pl_smp_result_to_json(m, r, last ? last : 0, &json, &d);
        if (st != PL_OK) {
            cli_print_diag(&d);
            rc = cli_exit_code(st);
        } else {
            out_puts(&w, json);
            pl_free(json);
        }
    } else {
        text_output(&w, m, r, last, src);
    }
    if (rc == EXIT_OK)
        rc = out_commit(&w, o.output);
    out_free(&w);
    pl_smp_result_free(r);
    pl_smp_model_free(m);
    pl_scenario_free(sc);
    return rc;
}
