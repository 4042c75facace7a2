/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the expression compiler: the input is an expression
 * source (not NUL-terminated, any bytes). Beyond crashes and leaks it checks
 * the compiler's promises and aborts when one is broken: well-formed programs,
 * well-placed error messages, and px_eval / px_eval3 agreeing with each other.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *       fuzz/fuzz_expr.c src/expr/expr.c src/util/util.c -o fuzz_expr
 *   ./fuzz_expr fuzz/corpus/expr
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scenario of tests/unit/test_expr.c. */
#define NISSUES 4
#define MAXOPT 64

typedef struct fissue {
    const char *name;
    size_t n;
    const char *const *opt;
    const char *attr[2];
    const double *val[2];
} fissue;

static const char *const donbas_opt[] = {"ua", "freeze", "fez", "dmz", "withdraw"};
static const double donbas_km[] = {0, 10, 20, 30, 50};
static const char *const nato_opt[] = {"member", "open", "ban"};
static const char *const army_opt[] = {"a85", "a600", "a800", "none"};
static const double army_troops[] = {85000, 600000, 800000, 1e9};
static const double army_years[] = {5, 10}; /* a800 and none lack it */
static const char *const big_opt[MAXOPT] = {
    "o0",  "o1",  "o2",  "o3",  "o4",  "o5",  "o6",  "o7",  "o8",  "o9",  "o10", "o11", "o12",
    "o13", "o14", "o15", "o16", "o17", "o18", "o19", "o20", "o21", "o22", "o23", "o24", "o25",
    "o26", "o27", "o28", "o29", "o30", "o31", "o32", "o33", "o34", "o35", "o36", "o37", "o38",
    "o39", "o40", "o41", "o42", "o43", "o44", "o45", "o46", "o47", "o48", "o49", "o50", "o51",
    "o52", "o53", "o54", "o55", "o56", "o57", "o58", "o59", "o60", "o61", "o62", "o63"};

static const fissue g_issues[NISSUES] = {
    {"donbas", 5, donbas_opt, {"km", NULL}, {donbas_km, NULL}},
    {"nato", 3, nato_opt, {NULL, NULL}, {NULL, NULL}},
    {"army", 4, army_opt, {"troops", "years"}, {army_troops, army_years}},
    {"big", 64, big_opt, {"v", NULL}, {NULL, NULL}},
};
static const size_t g_nopt[NISSUES] = {5, 3, 4, 64};

static int name_eq(const char *name, const char *s, size_t len)
{
    return strlen(name) == len && memcmp(name, s, len) == 0;
}

static long f_find_issue(void *ud, const char *name, size_t len)
{
    (void)ud;
    for (size_t i = 0; i < NISSUES; i++)
        if (name_eq(g_issues[i].name, name, len))
            return (long)i;
    return -1;
}

static size_t f_n_options(void *ud, size_t issue)
{
    (void)ud;
    return g_issues[issue].n;
}

static long f_find_option(void *ud, size_t issue, const char *name, size_t len)
{
    (void)ud;
    for (size_t k = 0; k < g_issues[issue].n; k++)
        if (name_eq(g_issues[issue].opt[k], name, len))
            return (long)k;
    return -1;
}

static int f_attr(void *ud, size_t issue, size_t option, const char *name, size_t len,
                  double *value)
{
    (void)ud;
    const fissue *is = &g_issues[issue];
    for (int a = 0; a < 2; a++) {
        if (!is->attr[a] || !name_eq(is->attr[a], name, len))
            continue;
        if (issue == 3) { /* big.v = option index */
            *value = (double)option;
            return 0;
        }
        if (issue == 2 && a == 1 && option >= 2)
            return -1;
        *value = is->val[a][option];
        return 0;
    }
    return -1;
}

static const char *f_issue_name(void *ud, size_t issue)
{
    (void)ud;
    return g_issues[issue].name;
}

static const char *f_option_name(void *ud, size_t issue, size_t option)
{
    (void)ud;
    return g_issues[issue].opt[option];
}

static const px_symbols g_sym = {NULL,          NISSUES, f_find_issue,  f_n_options,
                                 f_find_option, f_attr,  f_issue_name,  f_option_name};

static uint64_t full_mask(size_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_expr: broken promise: %s\n", what);
        abort();
    }
}

static void check_program(const px_expr *e)
{
    size_t d = 0, max = 0;
    check(e->n >= 1 && e->code != NULL, "non-empty program");
    for (size_t i = 0; i < e->n; i++) {
        const px_instr *c = &e->code[i];
        switch (c->op) {
        case PX_TEST:
            check(c->issue < NISSUES, "test issue in range");
            check(c->set != 0 && c->set != full_mask(g_nopt[c->issue]) &&
                      (c->set & ~full_mask(g_nopt[c->issue])) == 0,
                  "test set proper, non-empty and within the options");
            /* fall through */
        case PX_TRUE:
        case PX_FALSE:
            if (++d > max)
                max = d;
            break;
        case PX_NOT:
            check(d >= 1, "NOT has an operand");
            break;
        case PX_AND:
        case PX_OR:
        case PX_IMPLIES:
            check(d >= 2, "binary op has two operands");
            d--;
            break;
        default:
            check(0, "valid opcode");
        }
    }
    check(d == 1, "program leaves one value");
    check(max == e->max_depth, "max_depth exact");
}

/* eval3 must be sound: when it decides, every completion agrees. Open issues
 * are those whose bit is set in `open`; big (64 options) is only opened alone
 * to keep each run cheap. */
static void check_partial(const px_expr *e, const uint8_t *base, unsigned open)
{
    long pk[NISSUES];
    for (int i = 0; i < NISSUES; i++)
        pk[i] = (open >> i) & 1 ? -1 : base[i];
    int r3 = px_eval3(e, pk, g_nopt);
    check(r3 >= -1 && r3 <= 1, "eval3 range");
    size_t lo[NISSUES], hi[NISSUES];
    for (int i = 0; i < NISSUES; i++) {
        lo[i] = pk[i] >= 0 ? (size_t)pk[i] : 0;
        hi[i] = pk[i] >= 0 ? (size_t)pk[i] + 1 : g_nopt[i];
    }
    int seen[2] = {0, 0};
    uint8_t c[NISSUES];
    for (size_t a = lo[0]; a < hi[0]; a++)
        for (size_t b = lo[1]; b < hi[1]; b++)
            for (size_t d = lo[2]; d < hi[2]; d++)
                for (size_t g = lo[3]; g < hi[3]; g++) {
                    c[0] = (uint8_t)a;
                    c[1] = (uint8_t)b;
                    c[2] = (uint8_t)d;
                    c[3] = (uint8_t)g;
                    seen[px_eval(e, c)] = 1;
                }
    if (r3 == 1)
        check(!seen[0], "eval3 true means every completion is true");
    if (r3 == 0)
        check(!seen[1], "eval3 false means every completion is false");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    px_expr e;
    px_error err;
    memset(&e, 0, sizeof e);
    int rc = px_compile((const char *)data, size, &g_sym, &e, &err);
    if (rc != 0) {
        size_t ml = strnlen(err.msg, sizeof err.msg);
        check(rc == -1, "only syntax errors without allocation failures");
        check(e.code == NULL, "out untouched on error");
        check(err.offset <= size, "error offset within the source");
        check(ml > 0 && ml < sizeof err.msg, "error message present");
        check(err.msg[0] >= 'a' && err.msg[0] <= 'z', "message starts lowercase");
        check(err.msg[ml - 1] != '.', "message has no trailing period");
        return 0;
    }
    check_program(&e);

    /* packages derived from the input, plus the extremes */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    uint8_t pk[3][NISSUES] = {
        {0, 0, 0, 0},
        {4, 2, 3, 63},
        {(uint8_t)(h % 5), (uint8_t)(h / 5 % 3), (uint8_t)(h / 15 % 4), (uint8_t)(h / 60 % 64)},
    };
    for (int p = 0; p < 3; p++) {
        int v = px_eval(&e, pk[p]);
        check(v == 0 || v == 1, "eval range");
        long l[NISSUES];
        for (int i = 0; i < NISSUES; i++)
            l[i] = pk[p][i];
        check(px_eval3(&e, l, g_nopt) == v, "eval3 agrees with eval on a complete package");
    }
    check_partial(&e, pk[2], 0x7);        /* donbas, nato, army open */
    check_partial(&e, pk[1], 0x8);        /* big open */
    check_partial(&e, pk[0], 1u << (h % 3)); /* one small issue open */

    unsigned char used[NISSUES] = {0};
    px_issues_used(&e, used);
    px_free(&e);
    return 0;
}
