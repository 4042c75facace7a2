/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
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

int out_commit(out *o, const char *path)
{
    if (o->oom) {
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
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
        for (int c = 1; c < d->col && c < (int)sizeof d->source_line; c++)
            fputc(d->source_line[c - 1] == '\t' ? '\t' : ' ', stderr);
        fprintf(stderr, "%s^%s\n", green, off);
    }
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
