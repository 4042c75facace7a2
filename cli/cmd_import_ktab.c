/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `parley import ktab FILE.csv -o FILE.yaml`: a KTAB SMP actor table becomes a
 * scenario: actors, one issue per dimension (options at the positions the
 * actors hold), preferences that reproduce each actor's salience ranking, and
 * a forecast: section carrying the exact positions and saliences, so that
 * `parley forecast FILE.yaml` gives what `parley forecast FILE.csv` gives. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parley.h"

const char IMPORT_KTAB_HELP[] =
    "Usage: parley import ktab FILE.csv -o OUT.yaml\n"
    "\n"
    "Convert a KTAB SMP actor table (CSV: name, description, actors, dimensions;\n"
    "a header; one row per actor with capability, then position and salience per\n"
    "dimension) into a parley scenario with a forecast: section.\n"
    "\n"
    "Options:\n"
    "  -o, --output F    write the scenario to F (atomically); default standard output\n"
    "  -h, --help        this help\n";

#define MAX_OPTS 64 /* the scenario format's limit per issue */
#define MAX_ACTORS 256

/* A YAML double-quoted scalar. */
static void yq(out *w, const char *s)
{
    out_puts(w, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            out_printf(w, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            out_puts(w, " ");
        else
            out_printf(w, "%c", *p);
    }
    out_puts(w, "\"");
}

static void num(out *w, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", v);
    /* The shortest plain decimal that reads back to the same double. */
    for (int prec = 0; prec <= 17; prec++) {
        char t[64];
        snprintf(t, sizeof t, "%.*f", prec, v);
        if (strtod(t, NULL) == v) {
            memcpy(buf, t, sizeof t);
            break;
        }
    }
    out_puts(w, buf);
}

static void opt_id(char *buf, size_t n, double x)
{
    char t[40];
    snprintf(t, sizeof t, "%.4f", x);
    /* trim trailing zeros, '.' -> '_' */
    size_t l = strlen(t);
    while (l > 0 && t[l - 1] == '0')
        t[--l] = '\0';
    if (l > 0 && t[l - 1] == '.')
        t[--l] = '\0';
    for (char *p = t; *p; p++)
        if (*p == '.')
            *p = '_';
    snprintf(buf, n, "p%s", t);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cmd_import_ktab(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h': fputs(IMPORT_KTAB_HELP, stdout); return EXIT_OK;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help import-ktab'",
                      argv[optind - 1]);
            return EXIT_INPUT;
        default:
            cli_error("unknown option '%s'; see 'parley help import-ktab'", argv[optind - 1]);
            return EXIT_INPUT;
        }
    }
    if (optind >= argc) {
        cli_error("import ktab needs a KTAB CSV file; see 'parley help import-ktab'");
        return EXIT_INPUT;
    }
    const char *file = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'parley help import-ktab'", argv[optind]);
        return EXIT_INPUT;
    }
    pl_smp_model *m;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_smp_read_ktab_file(file, &m, &d);
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    const size_t n = mi.n_actors, nd = mi.n_dims;
    if (n > MAX_ACTORS) {
        fprintf(stderr, "%s: error: the table has %zu actors; a parley scenario holds at most "
                        "%d (run 'parley forecast %s' on the table directly)\n",
                file, n, MAX_ACTORS, file);
        pl_smp_model_free(m);
        return EXIT_INPUT;
    }
    double *vals = malloc(n * sizeof *vals);
    double (*opts)[MAX_OPTS] = malloc(nd * sizeof *opts);
    size_t *nopt = malloc(nd * sizeof *nopt);
    if (!vals || !opts || !nopt) {
        free(vals);
        free(opts);
        free(nopt);
        pl_smp_model_free(m);
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    /* Options: the distinct positions held, or 64 evenly spaced ones when
     * there are more; the forecast: section keeps the exact positions. */
    for (size_t k = 0; k < nd; k++) {
        for (size_t i = 0; i < n; i++) {
            pl_smp_actor_info ai;
            pl_smp_model_actor(m, i, &ai);
            vals[i] = ai.position[k];
        }
        qsort(vals, n, sizeof *vals, cmp_double);
        size_t u = 0;
        char prev[64] = "", id[64];
        double tmp[MAX_ACTORS];
        for (size_t i = 0; i < n; i++) {
            opt_id(id, sizeof id, vals[i]);
            if (u == 0 || strcmp(id, prev) != 0) {
                tmp[u++] = vals[i];
                memcpy(prev, id, sizeof id);
            }
        }
        if (u < 2) {
            /* Everyone agrees: the scale still needs two options. */
            tmp[1] = tmp[0] < 100 ? 100 : 0;
            u = 2;
            qsort(tmp, 2, sizeof *tmp, cmp_double);
        }
        if (u > MAX_OPTS) {
            for (size_t q = 0; q < MAX_OPTS; q++)
                opts[k][q] = 100.0 * (double)q / (MAX_OPTS - 1);
            nopt[k] = MAX_OPTS;
        } else {
            memcpy(opts[k], tmp, u * sizeof *tmp);
            nopt[k] = u;
        }
    }
    char sid[64];
    {
        size_t o2 = 0;
        for (const char *p = mi.name; *p && o2 < 40; p++) {
            char ch = *p;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
                sid[o2++] = ch;
            else if (o2 && sid[o2 - 1] != '_')
                sid[o2++] = '_';
        }
        while (o2 && sid[o2 - 1] == '_')
            o2--;
        sid[o2] = '\0';
        if (!o2 || (sid[0] >= '0' && sid[0] <= '9'))
            snprintf(sid, sizeof sid, "ktab_import");
    }
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    out w = {0};
    out_printf(&w, "# Imported by 'parley import ktab' from %s.\n", base);
    out_puts(&w, "# Positions and saliences are KTAB's (0..100); the forecast: section keeps them "
                 "exact.\nparley: 1\nscenario:\n  id: ");
    out_printf(&w, "%s\n  name: ", sid);
    yq(&w, mi.name[0] ? mi.name : sid);
    out_puts(&w, "\n  description: ");
    yq(&w, mi.description);
    out_puts(&w, "\n\nactors:\n");
    for (size_t i = 0; i < n; i++) {
        pl_smp_actor_info ai;
        pl_smp_model_actor(m, i, &ai);
        out_printf(&w, "  - id: %s\n    name: ", ai.id);
        yq(&w, ai.description[0] ? ai.description : ai.name);
        out_puts(&w, "\n    role: party\n    capability: {value: ");
        num(&w, ai.capability);
        out_printf(&w, ", assume: \"KTAB table %s, actor %s\"}\n", base, ai.name);
        out_puts(&w, "    reservation: {value: 0, assume: \"a KTAB table has no reservation "
                     "values\"}\n");
    }
    out_puts(&w, "\nissues:\n");
    for (size_t k = 0; k < nd; k++) {
        /* Status quo: the option nearest the capability x salience weighted mean. */
        double num_ = 0, den = 0;
        for (size_t i = 0; i < n; i++) {
            pl_smp_actor_info ai;
            pl_smp_model_actor(m, i, &ai);
            num_ += ai.capability * ai.salience[k] * ai.position[k];
            den += ai.capability * ai.salience[k];
        }
        double mean = den > 0 ? num_ / den : 50;
        size_t sq = 0;
        for (size_t q = 1; q < nopt[k]; q++)
            if (fabs(opts[k][q] - mean) < fabs(opts[k][sq] - mean))
                sq = q;
        char id[64];
        opt_id(id, sizeof id, opts[k][sq]);
        out_printf(&w, "  - id: %s\n    name: ", pl_smp_model_dim_id(m, k));
        yq(&w, pl_smp_model_dim_name(m, k));
        out_printf(&w, "\n    status_quo: %s\n    options:\n", id);
        for (size_t q = 0; q < nopt[k]; q++) {
            opt_id(id, sizeof id, opts[k][q]);
            out_printf(&w, "      - {id: %s, label: \"", id);
            num(&w, opts[k][q]);
            out_puts(&w, "\", position: ");
            num(&w, opts[k][q]);
            out_puts(&w, "}\n");
        }
    }
    out_puts(&w, "\n# Scores fall linearly with the distance from the actor's KTAB position;\n"
                 "# weights are its saliences.\npreferences:\n");
    for (size_t i = 0; i < n; i++) {
        pl_smp_actor_info ai;
        pl_smp_model_actor(m, i, &ai);
        out_printf(&w, "  %s:\n    assume: \"KTAB table %s\"\n    weights: {", ai.id, base);
        int any = 0;
        for (size_t k = 0; k < nd; k++) {
            if (ai.salience[k] <= 0)
                continue;
            out_printf(&w, "%s%s: ", any ? ", " : "", pl_smp_model_dim_id(m, k));
            num(&w, ai.salience[k]);
            any = 1;
        }
        out_puts(&w, "}\n    scores:\n");
        for (size_t k = 0; k < nd; k++) {
            if (ai.salience[k] <= 0)
                continue;
            out_printf(&w, "      %s: [", pl_smp_model_dim_id(m, k));
            for (size_t q = 0; q < nopt[k]; q++) {
                double s = 100 - fabs(opts[k][q] - ai.position[k]);
                out_puts(&w, q ? ", " : "");
                num(&w, round(s * 100) / 100);
            }
            out_puts(&w, "]\n");
        }
    }
    out_puts(&w, "\nforecast:\n  model: smp\n  actors:\n");
    for (size_t i = 0; i < n; i++) {
        pl_smp_actor_info ai;
        pl_smp_model_actor(m, i, &ai);
        out_printf(&w, "    %s:\n      positions: {", ai.id);
        for (size_t k = 0; k < nd; k++) {
            out_printf(&w, "%s%s: ", k ? ", " : "", pl_smp_model_dim_id(m, k));
            num(&w, ai.position[k]);
        }
        out_puts(&w, "}\n      saliences: {");
        for (size_t k = 0; k < nd; k++) {
            out_printf(&w, "%s%s: ", k ? ", " : "", pl_smp_model_dim_id(m, k));
            num(&w, ai.salience[k]);
        }
        out_puts(&w, "}\n");
    }
    free(vals);
    free(opts);
    free(nopt);
    pl_smp_model_free(m);
    int rc = out_commit(&w, output);
    out_free(&w);
    return rc;
}
