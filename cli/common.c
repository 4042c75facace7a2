/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void out_add(out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t nc = o->cap ? o->cap : 4096;
        while (nc < o->len + n + 1)
            nc *= 2;
        char *p = realloc(o->s, nc);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->s = p;
        o->cap = nc;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

void out_puts(out *o, const char *s)
{
    out_add(o, s, strlen(s));
}

void out_printf(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        o->oom = 1;
        return;
    }
    char *tmp = malloc((size_t)n + 1);
    if (!tmp) {
        va_end(ap2);
        o->oom = 1;
        return;
    }
    vsnprintf(tmp, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    out_add(o, tmp, (size_t)n);
    free(tmp);
}

void out_json_string(out *o, const char *s)
{
    out_add(o, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            out_add(o, e, 2);
        } else if (*p < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *p);
            out_add(o, e, 6);
        } else {
            out_add(o, (const char *)p, 1);
        }
    }
    out_add(o, "\"", 1);
}

void out_free(out *o)
{
    free(o->s);
    memset(o, 0, sizeof *o);
}

const char *c_on(const out *o, const char *code)
{
    return o->color ? code : "";
}

const char *c_off(const out *o)
{
    return o->color ? "\033[0m" : "";
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("parley: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void (*cli_out_hook)(const char *s, size_t len);

int out_commit(out *o, const char *path)
{
    if (o->oom) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    if (cli_out_hook) /* the run store keeps the result (cli/run_store.c) */
        cli_out_hook(o->s ? o->s : "", o->len);
    if (!path || strcmp(path, "-") == 0) {
        if (o->len && fwrite(o->s, 1, o->len, stdout) != o->len) {
            cli_error("cannot write to standard output: %s", strerror(errno));
            return EXIT_INTERNAL;
        }
        if (fflush(stdout) != 0) {
            cli_error("cannot write to standard output: %s", strerror(errno));
            return EXIT_INTERNAL;
        }
        return EXIT_OK;
    }
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    snprintf(tmp, pl + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        cli_error("cannot create '%s': %s", tmp, strerror(errno));
        free(tmp);
        return EXIT_INPUT;
    }
    int ok = (o->len == 0 || fwrite(o->s, 1, o->len, f) == o->len);
    ok &= fflush(f) == 0;
    ok &= fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        remove(tmp);
        free(tmp);
        return EXIT_INPUT;
    }
    free(tmp);
    return EXIT_OK;
}

int cli_exit_code(pl_status st)
{
    switch (st) {
    case PL_OK: return EXIT_OK;
    case PL_E_INPUT:
    case PL_E_IO:
    case PL_E_ARG:
    case PL_E_NOTFOUND: return EXIT_INPUT;
    default: return EXIT_INTERNAL;
    }
}

void cli_print_diag(const pl_diag *d)
{
    int tty = isatty(fileno(stderr)) && !getenv("NO_COLOR");
    const char *bold = tty ? "\033[1m" : "", *red = tty ? "\033[1;31m" : "",
               *green = tty ? "\033[1;32m" : "", *off = tty ? "\033[0m" : "";
    const char *kind = d->status == PL_E_INPUT || d->status == PL_E_IO ||
                               d->status == PL_E_ARG || d->status == PL_E_NOTFOUND
                           ? "error"
                           : "internal error";
    if (d->file[0] && d->line > 0)
        fprintf(stderr, "%s%s:%d:%d:%s %s%s:%s %s\n", bold, d->file, d->line,
                d->col > 0 ? d->col : 1, off, red, kind, off, d->message);
    else if (d->file[0])
        fprintf(stderr, "%s%s:%s %s%s:%s %s\n", bold, d->file, off, red, kind, off, d->message);
    else
        fprintf(stderr, "parley: %s%s:%s %s\n", red, kind, off, d->message);
    /* The caret helps a person at a terminal; scripts get the one line. */
    if (tty && d->source_line[0] && d->line > 0) {
        fprintf(stderr, "%5d | %s\n      | ", d->line, d->source_line);
        /* Columns count characters: step over UTF-8 sequences whole. */
        const unsigned char *p = (const unsigned char *)d->source_line;
        for (int c = 1; c < d->col && *p; c++) {
            fputc(*p == '\t' ? '\t' : ' ', stderr);
            p++;
            while ((*p & 0xc0) == 0x80)
                p++;
        }
        fprintf(stderr, "%s^%s\n", green, off);
    }
}

int cli_fail(pl_scenario *sc, pl_status st, const pl_diag *d)
{
    cli_print_diag(d);
    pl_scenario_free(sc);
    return cli_exit_code(st);
}

int cli_finish(out *w, const char *output, int rc)
{
    if (rc == EXIT_OK)
        rc = out_commit(w, output);
    out_free(w);
    return rc;
}

int cli_load(const common_opts *opts, pl_scenario **sc)
{
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st;
    if (opts->file)
        st = pl_scenario_load_file(opts->file, sc, &d);
    else
        st = pl_scenario_load_buffer(CLI_REFERENCE_NAME, pl_cli_reference_scenario,
                                     pl_cli_reference_scenario_len, sc, &d);
    if (st != PL_OK) {
        cli_print_diag(&d);
        return cli_exit_code(st);
    }
    if (opts->as_of) {
        st = pl_scenario_set_as_of(*sc, opts->as_of, &d);
        if (st != PL_OK) {
            cli_print_diag(&d);
            pl_scenario_free(*sc);
            *sc = NULL;
            return cli_exit_code(st);
        }
    }
    return EXIT_OK;
}

enum { OPT_AS_OF = 256, OPT_JSON, OPT_STRICT, OPT_PROPOSAL, OPT_TOP, OPT_BY, OPT_RULE,
       OPT_WEIGHTED, OPT_THREADS, OPT_RUNS, OPT_SEED, OPT_HORIZON, OPT_MPI,
       OPT_ROUNDS, OPT_OFFERS, OPT_EFG, OPT_QUICK };

static int need_extra(unsigned allowed, unsigned flag, const char *opt, const char *cmd)
{
    if (allowed & flag)
        return 0;
    cli_error("'%s' has no option %s; see 'parley help %s'", cmd, opt, cmd);
    return -1;
}

static int parse_long(const char *s, long lo, long hi, long *value)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *value = v;
    return 0;
}

int cli_parse(int argc, char **argv, const char *cmd, unsigned allowed, common_opts *o)
{
    static const struct option longopts[] = {
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"json", no_argument, NULL, OPT_JSON},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"proposal", required_argument, NULL, OPT_PROPOSAL},
        {"top", required_argument, NULL, OPT_TOP},
        {"by", required_argument, NULL, OPT_BY},
        {"rule", required_argument, NULL, OPT_RULE},
        {"weighted", no_argument, NULL, OPT_WEIGHTED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"runs", required_argument, NULL, OPT_RUNS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"mpi", no_argument, NULL, OPT_MPI},
        {"rounds", required_argument, NULL, OPT_ROUNDS},
        {"offers", required_argument, NULL, OPT_OFFERS},
        {"efg", no_argument, NULL, OPT_EFG},
        {"quick", no_argument, NULL, OPT_QUICK},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->top = -1;
    o->runs = -1;
    o->seed = 1;
    optind = 1;
    opterr = 0;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_AS_OF: o->as_of = optarg; break;
        case OPT_JSON: o->json = 1; break;
        case 'o': o->output = optarg; break;
        case 'h': o->help = 1; break;
        case OPT_STRICT:
            if (need_extra(allowed, X_STRICT, "--strict", cmd))
                return EXIT_INPUT;
            o->strict = 1;
            break;
        case OPT_PROPOSAL:
            if (need_extra(allowed, X_PROPOSAL, "--proposal", cmd))
                return EXIT_INPUT;
            o->proposal = optarg;
            break;
        case OPT_TOP:
            if (need_extra(allowed, X_TOP, "--top", cmd))
                return EXIT_INPUT;
            if (parse_long(optarg, 0, 1000000, &v) != 0) {
                cli_error("--top needs a whole number from 0 to 1000000, got '%s'", optarg);
                return EXIT_INPUT;
            }
            o->top = v;
            break;
        case OPT_BY:
            if (need_extra(allowed, X_BY, "--by", cmd))
                return EXIT_INPUT;
            o->by = optarg;
            break;
        case OPT_RULE:
            if (need_extra(allowed, X_RULE, "--rule", cmd))
                return EXIT_INPUT;
            o->by = optarg;
            break;
        case OPT_QUICK:
            if (need_extra(allowed, X_QUICK, "--quick", cmd))
                return EXIT_INPUT;
            o->quick = 1;
            break;
        case OPT_WEIGHTED:
            if (need_extra(allowed, X_WEIGHTED, "--weighted", cmd))
                return EXIT_INPUT;
            o->weighted = 1;
            break;
        case OPT_THREADS:
            if (need_extra(allowed, X_THREADS, "--threads", cmd))
                return EXIT_INPUT;
            if (parse_long(optarg, 1, 8, &v) != 0) {
                cli_error("--threads needs a number from 1 to 8, got '%s'", optarg);
                return EXIT_INPUT;
            }
            o->threads = (int)v;
            break;
        case OPT_RUNS:
            if (need_extra(allowed, X_RUNS, "--runs", cmd))
                return EXIT_INPUT;
            if (parse_long(optarg, 1, 100000000, &v) != 0) {
                cli_error("--runs needs a whole number from 1 to 100000000, got '%s'", optarg);
                return EXIT_INPUT;
            }
            o->runs = v;
            break;
        case OPT_SEED: {
            if (need_extra(allowed, X_RUNS, "--seed", cmd))
                return EXIT_INPUT;
            char *end;
            errno = 0;
            unsigned long long sv = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                cli_error("--seed needs a whole number from 0 to 18446744073709551615, got '%s'",
                          optarg);
                return EXIT_INPUT;
            }
            o->seed = sv;
            o->seed_given = 1;
            break;
        }
        case OPT_HORIZON: {
            if (need_extra(allowed, X_HORIZON, "--horizon", cmd))
                return EXIT_INPUT;
            /* "24", "24m": months; "2y": years. */
            char buf[32];
            size_t n = strlen(optarg);
            long mult = 1;
            if (n > 0 && n < sizeof buf) {
                memcpy(buf, optarg, n + 1);
                if (buf[n - 1] == 'm' || buf[n - 1] == 'y') {
                    mult = buf[n - 1] == 'y' ? 12 : 1;
                    buf[n - 1] = '\0';
                }
            } else {
                buf[0] = '\0';
            }
            if (parse_long(buf, 0, 1200, &v) != 0 || v * mult > 1200) {
                cli_error("--horizon needs months like 24m (or years like 2y), at most 1200 "
                          "months, got '%s'", optarg);
                return EXIT_INPUT;
            }
            if (v == 0) {
                cli_error("--horizon is zero months: nothing to simulate");
                return EXIT_INPUT;
            }
            o->horizon = (int)(v * mult);
            break;
        }
        case OPT_ROUNDS:
        case OPT_OFFERS:
            if (need_extra(allowed, X_GAME, c == OPT_ROUNDS ? "--rounds" : "--offers", cmd))
                return EXIT_INPUT;
            if (parse_long(optarg, 1, c == OPT_ROUNDS ? 1000 : 100000, &v) != 0) {
                cli_error("%s needs a whole number from 1 to %d, got '%s'",
                          c == OPT_ROUNDS ? "--rounds" : "--offers",
                          c == OPT_ROUNDS ? 1000 : 100000, optarg);
                return EXIT_INPUT;
            }
            if (c == OPT_ROUNDS)
                o->rounds = (int)v;
            else
                o->offers = (int)v;
            break;
        case OPT_EFG:
            if (need_extra(allowed, X_GAME, "--efg", cmd))
                return EXIT_INPUT;
            o->efg = 1;
            break;
        case OPT_MPI:
            if (need_extra(allowed, X_MPI, "--mpi", cmd))
                return EXIT_INPUT;
            o->mpi = 1;
            break;
        case ':':
            cli_error("option '%s' needs a value; see 'parley help %s'", argv[optind - 1], cmd);
            return EXIT_INPUT;
        default:
            if (optopt && optopt < 256)
                cli_error("unknown option '-%c'; see 'parley help %s'", optopt, cmd);
            else
                cli_error("unknown option '%s'; see 'parley help %s'", argv[optind - 1], cmd);
            return EXIT_INPUT;
        }
    }
    if (o->help) {
        fputs(cli_help_text(cmd), stdout);
        return EXIT_OK;
    }
    if (optind < argc)
        o->file = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'parley help %s'", argv[optind], cmd);
        return EXIT_INPUT;
    }
    return -1;
}
