/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the expression compiler (src/expr). The random tests compare
 * the compiled program against a reference evaluator written directly from
 * the grammar in docs/format.md, so they check the option sets, precedence and
 * folding together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "expr/expr.h"
#include "util/util.h"

/* ------------------------------------------------------------------------ */
/* A counting, failure-injecting allocator                                   */

static long g_live;          /* blocks currently allocated */
static long g_allocs;        /* allocations and reallocations so far */
static long g_fail_from = -1; /* fail every allocation from this one on */

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        if (ptr)
            g_live--;
        free(ptr);
        return NULL;
    }
    long n = g_allocs++;
    if (g_fail_from >= 0 && n >= g_fail_from)
        return NULL;
    void *q = realloc(ptr, nsize);
    if (q && !ptr)
        g_live++;
    return q;
}

static int setup_alloc(void **state)
{
    (void)state;
    g_live = 0;
    g_allocs = 0;
    g_fail_from = -1;
    pl_set_allocator(count_alloc, NULL);
    return 0;
}

static int teardown_alloc(void **state)
{
    (void)state;
    pl_set_allocator(NULL, NULL);
    if (g_live != 0) {
        print_error("%ld blocks leaked\n", g_live);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The fake scenario                                                         */

#define MAXOPT 64

typedef struct fattr {
    const char *name;
    unsigned char has[MAXOPT];
    double v[MAXOPT];
} fattr;

typedef struct fissue {
    const char *name;
    size_t n;
    const char *opt[MAXOPT];
    fattr attrs[2];
    size_t nattrs;
} fissue;

enum { DONBAS, NATO, ARMY, BIG, NISSUES };

static fissue g_issues[NISSUES] = {
    {"donbas", 5, {"ua", "freeze", "fez", "dmz", "withdraw"},
     {{"km", {1, 1, 1, 1, 1}, {0, 10, 20, 30, 50}}}, 1},
    {"nato", 3, {"member", "open", "ban"}, {{0}}, 0},
    {"army", 4, {"a85", "a600", "a800", "none"},
     {{"troops", {1, 1, 1, 1}, {85000, 600000, 800000, 1e9}},
      {"years", {1, 1, 0, 0}, {5, 10, 0, 0}}},
     2},
    {"big", 64, {0}, {{"v", {0}, {0}}}, 1},
};
static char g_big_names[MAXOPT][8];

static void init_big(void)
{
    fissue *b = &g_issues[BIG];
    for (size_t k = 0; k < MAXOPT; k++) {
        snprintf(g_big_names[k], sizeof g_big_names[k], "o%zu", k);
        b->opt[k] = g_big_names[k];
        b->attrs[0].has[k] = 1;
        b->attrs[0].v[k] = (double)k;
    }
}

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
    for (size_t a = 0; a < is->nattrs; a++) {
        if (name_eq(is->attrs[a].name, name, len)) {
            if (!is->attrs[a].has[option])
                return -1;
            *value = is->attrs[a].v[option];
            return 0;
        }
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

static const px_symbols g_sym = {NULL,          NISSUES,     f_find_issue,  f_n_options,
                                 f_find_option, f_attr,      f_issue_name,  f_option_name};

static const size_t g_nopt[NISSUES] = {5, 3, 4, 64};

static uint64_t full_mask(size_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static int compile_str(const char *s, px_expr *e, px_error *err)
{
    return px_compile(s, strlen(s), &g_sym, e, err);
}

/* Compile s, which must be valid. */
static px_expr must_compile(const char *s)
{
    px_expr e = {0};
    px_error err;
    int rc = compile_str(s, &e, &err);
    if (rc != 0) {
        print_error("compiling \"%s\": rc %d at %zu: %s\n", s, rc, err.offset, err.msg);
        fail();
    }
    return e;
}

/* Checks common to every compiled program: the stack discipline, the stated
 * max_depth, and that every test's set is a proper, non-empty subset of its
 * issue's options (anything else should have been folded). */
static void check_program(const px_expr *e)
{
    size_t d = 0, max = 0;
    assert_true(e->n >= 1);
    assert_non_null(e->code);
    for (size_t i = 0; i < e->n; i++) {
        const px_instr *c = &e->code[i];
        switch (c->op) {
        case PX_TEST:
            assert_true(c->issue < NISSUES);
            assert_true(c->set != 0);
            assert_true((c->set & ~full_mask(g_nopt[c->issue])) == 0);
            assert_true(c->set != full_mask(g_nopt[c->issue]));
            /* fall through */
        case PX_TRUE:
        case PX_FALSE:
            if (++d > max)
                max = d;
            break;
        case PX_NOT:
            assert_true(d >= 1);
            break;
        case PX_AND:
        case PX_OR:
        case PX_IMPLIES:
            assert_true(d >= 2);
            d--;
            break;
        default:
            fail_msg("bad opcode %u", c->op);
        }
    }
    assert_int_equal(d, 1);
    assert_int_equal(max, e->max_depth);
    /* A constant program is exactly one instruction. */
    for (size_t i = 0; i < e->n && e->n > 1; i++)
        assert_true(e->code[i].op != PX_TRUE && e->code[i].op != PX_FALSE);
}

/* Compile s and check it is the single test (issue, set), or a constant when
 * issue < 0 (set 0 = false, 1 = true). */
static void expect_single(const char *s, int issue, uint64_t set)
{
    px_expr e = must_compile(s);
    check_program(&e);
    if (e.n != 1) {
        print_error("\"%s\" compiled to %zu instructions\n", s, e.n);
        fail();
    }
    if (issue < 0) {
        if (e.code[0].op != (set ? PX_TRUE : PX_FALSE)) {
            print_error("\"%s\": expected constant %d, got op %u\n", s, (int)set, e.code[0].op);
            fail();
        }
    } else {
        if (e.code[0].op != PX_TEST || e.code[0].issue != (uint32_t)issue ||
            e.code[0].set != set) {
            print_error("\"%s\": expected test(%d, %#llx), got op %u issue %u set %#llx\n", s,
                        issue, (unsigned long long)set, e.code[0].op, e.code[0].issue,
                        (unsigned long long)e.code[0].set);
            fail();
        }
    }
    assert_int_equal(e.max_depth, 1);
    px_free(&e);
}

static void expect_error_n(const char *s, size_t len, size_t off, const char *sub)
{
    px_expr e = {(px_instr *)(uintptr_t)0x1234, 77, 99};
    px_error err;
    memset(&err, 0x55, sizeof err);
    int rc = px_compile(s, len, &g_sym, &e, &err);
    if (rc != -1) {
        print_error("\"%.*s\": expected an error, rc %d\n", (int)len, s, rc);
        if (rc == 0)
            px_free(&e);
        fail();
    }
    /* out untouched on failure */
    assert_true(e.code == (px_instr *)(uintptr_t)0x1234 && e.n == 77 && e.max_depth == 99);
    size_t ml = strnlen(err.msg, sizeof err.msg);
    assert_true(ml > 0 && ml < sizeof err.msg);
    if (err.offset != off || !strstr(err.msg, sub)) {
        print_error("\"%.*s\": expected offset %zu and \"%s\", got offset %zu and \"%s\"\n",
                    (int)(len > 200 ? 200 : len), s, off, sub, err.offset, err.msg);
        fail();
    }
    /* house style: lowercase start, no trailing period */
    assert_true(err.msg[0] >= 'a' && err.msg[0] <= 'z');
    assert_true(err.msg[ml - 1] != '.');
    assert_true(err.offset <= len);
}

static void expect_error(const char *s, size_t off, const char *sub)
{
    expect_error_n(s, strlen(s), off, sub);
}

/* Package helpers: p[] holds an option index per issue. */
static int eval_pkg(const px_expr *e, int d, int n, int a, int b)
{
    uint8_t c[NISSUES] = {(uint8_t)d, (uint8_t)n, (uint8_t)a, (uint8_t)b};
    return px_eval(e, c);
}

static int eval3_pkg(const px_expr *e, long d, long n, long a, long b)
{
    long c[NISSUES] = {d, n, a, b};
    return px_eval3(e, c, g_nopt);
}

/* ------------------------------------------------------------------------ */
/* Reference semantics                                                       */

enum { N_TRUE, N_FALSE, N_NOT, N_AND, N_OR, N_IMP, N_CMP, N_IN, N_ATTR };
static const char *const cmp_text[6] = {"==", "!=", "<", "<=", ">", ">="};

typedef struct node {
    int kind;
    int a, b;          /* children */
    int issue, op, opt; /* N_CMP (op indexes cmp_text) */
    int negate;        /* N_IN */
    uint64_t list;     /* N_IN */
    int attr;          /* N_ATTR: index into the issue's attrs */
    double num;        /* N_ATTR, as the compiler will read it */
} node;

#define POOL 1024
typedef struct tree {
    node nd[POOL];
    int n;
} tree;

static int cmp_int(int op, long x, long y)
{
    switch (op) {
    case 0: return x == y;
    case 1: return x != y;
    case 2: return x < y;
    case 3: return x <= y;
    case 4: return x > y;
    default: return x >= y;
    }
}

static int cmp_dbl(int op, double x, double y)
{
    switch (op) {
    case 0: return x == y;
    case 1: return x != y;
    case 2: return x < y;
    case 3: return x <= y;
    case 4: return x > y;
    default: return x >= y;
    }
}

/* Does option k of the node's issue satisfy the test node? */
static int leaf_holds(const node *t, size_t k)
{
    switch (t->kind) {
    case N_CMP: return cmp_int(t->op, (long)k, t->opt);
    case N_IN: return (int)(((t->list >> k) & 1) ^ (uint64_t)t->negate);
    default: return cmp_dbl(t->op, g_issues[t->issue].attrs[t->attr].v[k], t->num);
    }
}

static int ref_eval(const tree *t, int i, const int *pkg)
{
    const node *x = &t->nd[i];
    switch (x->kind) {
    case N_TRUE: return 1;
    case N_FALSE: return 0;
    case N_NOT: return !ref_eval(t, x->a, pkg);
    case N_AND: return ref_eval(t, x->a, pkg) && ref_eval(t, x->b, pkg);
    case N_OR: return ref_eval(t, x->a, pkg) || ref_eval(t, x->b, pkg);
    case N_IMP: return !ref_eval(t, x->a, pkg) || ref_eval(t, x->b, pkg);
    default: return leaf_holds(x, (size_t)pkg[x->issue]);
    }
}

/* Strong Kleene, with a test on an open issue decided only when all or none
 * of its options satisfy it. */
static int ref_eval3(const tree *t, int i, const long *pkg)
{
    const node *x = &t->nd[i];
    int a, b;
    switch (x->kind) {
    case N_TRUE: return 1;
    case N_FALSE: return 0;
    case N_NOT:
        a = ref_eval3(t, x->a, pkg);
        return a < 0 ? -1 : !a;
    case N_AND:
        a = ref_eval3(t, x->a, pkg);
        b = ref_eval3(t, x->b, pkg);
        return (a == 0 || b == 0) ? 0 : (a == 1 && b == 1) ? 1 : -1;
    case N_OR:
        a = ref_eval3(t, x->a, pkg);
        b = ref_eval3(t, x->b, pkg);
        return (a == 1 || b == 1) ? 1 : (a == 0 && b == 0) ? 0 : -1;
    case N_IMP:
        a = ref_eval3(t, x->a, pkg);
        b = ref_eval3(t, x->b, pkg);
        return (a == 0 || b == 1) ? 1 : (a == 1 && b == 0) ? 0 : -1;
    default: {
        if (pkg[x->issue] >= 0)
            return leaf_holds(x, (size_t)pkg[x->issue]);
        size_t yes = 0, n = g_issues[x->issue].n;
        for (size_t k = 0; k < n; k++)
            yes += (size_t)leaf_holds(x, k);
        return yes == n ? 1 : yes == 0 ? 0 : -1;
    }
    }
}

/* ------------------------------------------------------------------------ */
/* Random expressions                                                        */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
    /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1DULL;
}

static int rnd(rng *r, int n)
{
    return (int)((rnext(r) >> 33) % (uint64_t)n);
}

typedef struct sbuf {
    char s[16384];
    size_t len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (b->len < sizeof b->s) {
        int k = vsnprintf(b->s + b->len, sizeof b->s - b->len, fmt, ap);
        if (k > 0)
            b->len += (size_t)k;
    }
    va_end(ap);
    if (b->len >= sizeof b->s)
        b->len = sizeof b->s - 1;
}

static const char *sp(rng *r)
{
    static const char *const spaces[] = {"", "", " ", " ", " ", "  ", "\t", "\n", "\r\n"};
    return spaces[rnd(r, 9)];
}

static const char *wsp(rng *r)
{
    static const char *const spaces[] = {" ", " ", " ", "  ", "\t", "\n"};
    return spaces[rnd(r, 6)];
}

static int new_node(tree *t, int kind)
{
    assert_true(t->n < POOL);
    node *x = &t->nd[t->n];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return t->n++;
}

static int gen_leaf(tree *t, rng *r)
{
    int c = rnd(r, 100);
    if (c < 4)
        return new_node(t, N_TRUE);
    if (c < 8)
        return new_node(t, N_FALSE);
    int issue = rnd(r, NISSUES);
    int n = (int)g_issues[issue].n;
    if (c < 50) {
        int i = new_node(t, N_CMP);
        t->nd[i].issue = issue;
        t->nd[i].op = rnd(r, 6);
        /* bias towards the ends, where off-by-one errors live */
        int e = rnd(r, 4);
        t->nd[i].opt = e == 0 ? 0 : e == 1 ? n - 1 : rnd(r, n);
        return i;
    }
    if (c < 75) {
        int i = new_node(t, N_IN);
        t->nd[i].issue = issue;
        t->nd[i].negate = rnd(r, 2);
        int m = 1 + rnd(r, 4);
        for (int j = 0; j < m; j++)
            t->nd[i].list |= (uint64_t)1 << (rnd(r, 3) == 0 ? n - 1 : rnd(r, n));
        return i;
    }
    /* attribute tests: donbas.km, army.troops, big.v (never army.years: not
     * every option has it) */
    static const int with_attr[3] = {DONBAS, ARMY, BIG};
    issue = with_attr[rnd(r, 3)];
    n = (int)g_issues[issue].n;
    int i = new_node(t, N_ATTR);
    t->nd[i].issue = issue;
    t->nd[i].op = rnd(r, 6);
    t->nd[i].attr = 0;
    double base = g_issues[issue].attrs[0].v[rnd(r, n)];
    static const double delta[] = {0, 0, 0, 0.5, -0.5, 1, -1};
    double v = base + delta[rnd(r, 7)];
    if (rnd(r, 10) == 0)
        v = -v - 1;
    t->nd[i].num = v;
    return i;
}

static int gen(tree *t, rng *r, int depth, int maxd)
{
    if (depth >= maxd || rnd(r, 100) < 20 + depth * 8)
        return gen_leaf(t, r);
    int c = rnd(r, 100);
    int kind = c < 20 ? N_NOT : c < 47 ? N_AND : c < 74 ? N_OR : N_IMP;
    int i = new_node(t, kind);
    int a = gen(t, r, depth + 1, maxd);
    int b = kind == N_NOT ? 0 : gen(t, r, depth + 1, maxd);
    t->nd[i].a = a;
    t->nd[i].b = b;
    return i;
}

static int prec(int kind)
{
    switch (kind) {
    case N_IMP: return 1;
    case N_OR: return 2;
    case N_AND: return 3;
    case N_NOT: return 4;
    default: return 5;
    }
}

/* Print with as few parentheses as the grammar allows (plus some spare ones),
 * so the parser's precedence and associativity decide the meaning. The number
 * of an attribute test is printed in a random form and read back with strtod
 * so that the reference uses exactly the value the compiler sees. */
static void print_node(tree *t, int i, int need, rng *r, sbuf *b)
{
    node *x = &t->nd[i];
    int paren = prec(x->kind) < need || rnd(r, 12) == 0;
    if (paren)
        put(b, "(%s", sp(r));
    switch (x->kind) {
    case N_TRUE: put(b, "true"); break;
    case N_FALSE: put(b, "false"); break;
    case N_NOT:
        if (rnd(r, 2))
            put(b, "not%s", wsp(r));
        else
            put(b, "!%s", sp(r));
        print_node(t, x->a, 4, r, b);
        break;
    case N_AND:
        print_node(t, x->a, 3, r, b);
        if (rnd(r, 2))
            put(b, "%sand%s", wsp(r), wsp(r));
        else
            put(b, "%s&&%s", sp(r), sp(r));
        print_node(t, x->b, 4, r, b);
        break;
    case N_OR:
        print_node(t, x->a, 2, r, b);
        if (rnd(r, 2))
            put(b, "%sor%s", wsp(r), wsp(r));
        else
            put(b, "%s||%s", sp(r), sp(r));
        print_node(t, x->b, 3, r, b);
        break;
    case N_IMP:
        print_node(t, x->a, 2, r, b);
        put(b, "%simplies%s", wsp(r), wsp(r));
        print_node(t, x->b, 1, r, b);
        break;
    case N_CMP:
        put(b, "%s%s%s%s%s", g_issues[x->issue].name, sp(r), cmp_text[x->op], sp(r),
            g_issues[x->issue].opt[x->opt]);
        break;
    case N_IN: {
        put(b, "%s%s%sin%s[%s", g_issues[x->issue].name, wsp(r), x->negate ? "not " : "", sp(r),
            sp(r));
        int first = 1;
        for (size_t k = 0; k < g_issues[x->issue].n; k++) {
            if (!((x->list >> k) & 1))
                continue;
            int times = rnd(r, 8) == 0 ? 2 : 1; /* duplicates are harmless */
            for (int j = 0; j < times; j++) {
                put(b, "%s%s%s", first ? "" : ",", first ? "" : sp(r), g_issues[x->issue].opt[k]);
                first = 0;
            }
        }
        put(b, "%s]", sp(r));
        break;
    }
    default: { /* N_ATTR */
        char num[64];
        switch (rnd(r, 5)) {
        case 0: snprintf(num, sizeof num, "%.1f", x->num); break;
        case 1: snprintf(num, sizeof num, "%g", x->num); break;
        case 2: snprintf(num, sizeof num, "%e", x->num); break;
        case 3: snprintf(num, sizeof num, x->num >= 0 ? "+%.17g" : "%.17g", x->num); break;
        default: snprintf(num, sizeof num, "%.17g", x->num); break;
        }
        x->num = strtod(num, NULL);
        put(b, "%s%s.%s%s%s%s%s", g_issues[x->issue].name, sp(r),
            g_issues[x->issue].attrs[x->attr].name, sp(r), cmp_text[x->op], sp(r), num);
        break;
    }
    }
    if (paren)
        put(b, "%s)", sp(r));
}

/* Packages used by the random tests: all of donbas x nato x army, and the
 * options of big that matter most (the ends and the 32-bit boundary). */
static const int big_sample[] = {0, 1, 2, 31, 32, 33, 62, 63};

static void compare_all_packages(const px_expr *e, const tree *t, int root, const char *src)
{
    for (int d = 0; d < 5; d++)
        for (int n = 0; n < 3; n++)
            for (int a = 0; a < 4; a++)
                for (size_t bi = 0; bi < sizeof big_sample / sizeof big_sample[0]; bi++) {
                    int pkg[NISSUES] = {d, n, a, big_sample[bi]};
                    int want = ref_eval(t, root, pkg);
                    int got = eval_pkg(e, d, n, a, big_sample[bi]);
                    if (got != want) {
                        print_error("\"%s\" on (%d,%d,%d,%d): got %d, want %d\n", src, d, n, a,
                                    big_sample[bi], got, want);
                        fail();
                    }
                    long pk3[NISSUES] = {d, n, a, big_sample[bi]};
                    assert_int_equal(px_eval3(e, pk3, g_nopt), want);
                }
}

static void random_partial(rng *r, long *pk)
{
    for (int i = 0; i < NISSUES; i++)
        pk[i] = rnd(r, 5) < 2 ? -1 : rnd(r, (int)g_issues[i].n);
}

static void compare_partial(const px_expr *e, const tree *t, int root, const char *src,
                            const long *pk)
{
    int want = ref_eval3(t, root, pk);
    int got = px_eval3(e, pk, g_nopt);
    if (got != want) {
        print_error("\"%s\" on partial (%ld,%ld,%ld,%ld): eval3 %d, reference %d\n", src, pk[0],
                    pk[1], pk[2], pk[3], got, want);
        fail();
    }
}

/* If eval3 decides, every completion must agree (brute force). */
static void check_sound(const px_expr *e, const long *pk, const char *src)
{
    int r3 = px_eval3(e, pk, g_nopt);
    if (r3 < 0)
        return;
    size_t lo[NISSUES], hi[NISSUES];
    for (int i = 0; i < NISSUES; i++) {
        lo[i] = pk[i] >= 0 ? (size_t)pk[i] : 0;
        hi[i] = pk[i] >= 0 ? (size_t)pk[i] + 1 : g_issues[i].n;
    }
    for (size_t d = lo[0]; d < hi[0]; d++)
        for (size_t n = lo[1]; n < hi[1]; n++)
            for (size_t a = lo[2]; a < hi[2]; a++)
                for (size_t b = lo[3]; b < hi[3]; b++)
                    if (eval_pkg(e, (int)d, (int)n, (int)a, (int)b) != r3) {
                        print_error("\"%s\": eval3 says %d on (%ld,%ld,%ld,%ld) but completion "
                                    "(%zu,%zu,%zu,%zu) gives %d\n",
                                    src, r3, pk[0], pk[1], pk[2], pk[3], d, n, a, b, !r3);
                        fail();
                    }
}

/* ------------------------------------------------------------------------ */
/* Tests: option sets                                                        */

static void test_comparison_sets(void **state)
{
    (void)state;
    /* donbas: ua=0 freeze=1 fez=2 dmz=3 withdraw=4 */
    expect_single("donbas == fez", DONBAS, 0x04);
    expect_single("donbas != fez", DONBAS, 0x1B);
    expect_single("donbas < fez", DONBAS, 0x03);
    expect_single("donbas <= fez", DONBAS, 0x07);
    expect_single("donbas > fez", DONBAS, 0x18);
    expect_single("donbas >= fez", DONBAS, 0x1C);
    expect_single("donbas==ua", DONBAS, 0x01);
    expect_single("donbas == withdraw", DONBAS, 0x10);
    /* the ends fold to constants */
    expect_single("donbas >= ua", -1, 1);
    expect_single("donbas < ua", -1, 0);
    expect_single("donbas > withdraw", -1, 0);
    expect_single("donbas <= withdraw", -1, 1);
    expect_single("donbas <= ua", DONBAS, 0x01);
    expect_single("donbas >= withdraw", DONBAS, 0x10);
    expect_single("nato > member", NATO, 0x06);
    expect_single("army < none", ARMY, 0x07);
    /* 64 options: every bit of the set is used */
    expect_single("big == o63", BIG, (uint64_t)1 << 63);
    expect_single("big != o63", BIG, ~((uint64_t)1 << 63));
    expect_single("big != o0", BIG, ~(uint64_t)1);
    expect_single("big > o62", BIG, (uint64_t)1 << 63);
    expect_single("big >= o32", BIG, 0xFFFFFFFF00000000ULL);
    expect_single("big < o32", BIG, 0x00000000FFFFFFFFULL);
    expect_single("big <= o62", BIG, ~((uint64_t)1 << 63));
    expect_single("big >= o0", -1, 1);
    expect_single("big <= o63", -1, 1);
    expect_single("big > o63", -1, 0);
}

static void test_in_sets(void **state)
{
    (void)state;
    expect_single("donbas in [ua, dmz]", DONBAS, 0x09);
    expect_single("donbas not in [ua, dmz]", DONBAS, 0x16);
    expect_single("donbas in[ua,ua]", DONBAS, 0x01);
    expect_single("donbas in [ fez ]", DONBAS, 0x04);
    expect_single("donbas not in [withdraw]", DONBAS, 0x0F);
    expect_single("donbas in [ua, freeze, fez, dmz, withdraw]", -1, 1);
    expect_single("donbas not in [withdraw, dmz, fez, freeze, ua]", -1, 0);
    expect_single("nato in [ban, member]", NATO, 0x05);
    expect_single("big in [o0, o63]", BIG, 0x8000000000000001ULL);
    expect_single("big not in [o0, o63]", BIG, 0x7FFFFFFFFFFFFFFEULL);
    expect_single("big\nnot\tin\r\n[o5]", BIG, ~((uint64_t)1 << 5));
}

static void test_attr_sets(void **state)
{
    (void)state;
    /* army troops: 85000 600000 800000 1e9 */
    expect_single("army.troops >= 600000", ARMY, 0x0E);
    expect_single("army.troops < 6e5", ARMY, 0x01);
    expect_single("army.troops == 800000", ARMY, 0x04);
    expect_single("army.troops != 85000", ARMY, 0x0E);
    expect_single("army.troops <= +600000.0", ARMY, 0x03);
    expect_single("army.troops > 600000", ARMY, 0x0C);
    expect_single("army.troops>8.5E+4", ARMY, 0x0E);
    expect_single("army . troops == 1e9", ARMY, 0x08);
    expect_single("army.troops > 1e9", -1, 0);
    expect_single("army.troops > -1", -1, 1);
    expect_single("army.troops >= 85000", -1, 1);
    expect_single("army.troops == 1", -1, 0);
    expect_single("army.troops != 1", -1, 1);
    expect_single("army.troops > 1e-400", -1, 1); /* underflow is fine: it is 0 */
    /* donbas km: 0 10 20 30 50 */
    expect_single("donbas.km > 15", DONBAS, 0x1C);
    expect_single("donbas.km <= 0", DONBAS, 0x01);
    expect_single("donbas.km >= -0", -1, 1);
    expect_single("donbas.km == 30.0", DONBAS, 0x08);
    expect_single("donbas.km < 10.000000001", DONBAS, 0x03);
    expect_single("big.v >= 63", BIG, (uint64_t)1 << 63);
    expect_single("big.v < 0.5", BIG, 0x01);
    expect_single("big.v > 31.5", BIG, 0xFFFFFFFF00000000ULL);
}

static void test_keywords_as_option_names(void **state)
{
    (void)state;
    /* After a comparison, in a list and after '.', a word is a name even if
     * it spells a keyword, so the lookup decides. */
    expect_error("nato == true", 8, "unknown option 'true' of issue 'nato'");
    expect_error("nato in [member, not]", 17, "unknown option 'not' of issue 'nato'");
    expect_error("army.in > 1", 5, "option 'a85' of issue 'army' has no attribute 'in'");
}

/* ------------------------------------------------------------------------ */
/* Tests: operators, precedence, folding                                     */

/* For a connective, check every row of the truth table on a compiled program
 * whose operands are real tests (A: donbas == ua, B: nato == ban). */
static void truth_table(const char *src, const int want[4])
{
    px_expr e = must_compile(src);
    check_program(&e);
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            int d = a ? 0 : 1, n = b ? 2 : 0;
            int w = want[a * 2 + b];
            if (eval_pkg(&e, d, n, 0, 0) != w) {
                print_error("\"%s\" with A=%d B=%d: want %d\n", src, a, b, w);
                fail();
            }
            assert_int_equal(eval3_pkg(&e, d, n, 0, 0), w);
        }
    px_free(&e);
}

static void test_operators(void **state)
{
    (void)state;
    static const int and_t[4] = {0, 0, 0, 1}, or_t[4] = {0, 1, 1, 1},
                     imp_t[4] = {1, 1, 0, 1}, nand_t[4] = {1, 1, 1, 0};
    truth_table("donbas == ua and nato == ban", and_t);
    truth_table("donbas == ua && nato == ban", and_t);
    truth_table("donbas==ua&&nato==ban", and_t);
    truth_table("donbas == ua or nato == ban", or_t);
    truth_table("donbas == ua || nato == ban", or_t);
    truth_table("donbas==ua||nato==ban", or_t);
    truth_table("donbas == ua implies nato == ban", imp_t);
    truth_table("not (donbas == ua and nato == ban)", nand_t);
    truth_table("!(donbas == ua && nato == ban)", nand_t);
    truth_table("!(donbas==ua&&nato==ban)", nand_t);
    truth_table("not donbas == ua or not nato == ban", nand_t);

    /* literal truth tables fold to a single constant */
    static const char *const lit[] = {"false", "true"};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            char s[64];
            snprintf(s, sizeof s, "%s and %s", lit[a], lit[b]);
            expect_single(s, -1, (uint64_t)(a && b));
            snprintf(s, sizeof s, "%s || %s", lit[a], lit[b]);
            expect_single(s, -1, (uint64_t)(a || b));
            snprintf(s, sizeof s, "%s implies %s", lit[a], lit[b]);
            expect_single(s, -1, (uint64_t)(!a || b));
        }
    expect_single("true", -1, 1);
    expect_single("false", -1, 0);
    expect_single("not true", -1, 0);
    expect_single("!false", -1, 1);
    expect_single("!!!false", -1, 1);
    expect_single("((((true))))", -1, 1);
}

static void test_folding(void **state)
{
    (void)state;
    expect_single("not donbas == fez", DONBAS, 0x1B);
    expect_single("not not donbas == fez", DONBAS, 0x04);
    expect_single("! ! ! donbas == fez", DONBAS, 0x1B);
    expect_single("not big == o0", BIG, ~(uint64_t)1);
    expect_single("true and donbas == ua", DONBAS, 0x01);
    expect_single("donbas == ua and true", DONBAS, 0x01);
    expect_single("donbas == ua and false", -1, 0);
    expect_single("false and donbas == ua", -1, 0);
    expect_single("donbas == ua or true", -1, 1);
    expect_single("true or donbas == ua", -1, 1);
    expect_single("false or donbas == ua", DONBAS, 0x01);
    expect_single("donbas == ua or false", DONBAS, 0x01);
    expect_single("false implies nato == ban", -1, 1);
    expect_single("nato == ban implies true", -1, 1);
    expect_single("true implies nato == ban", NATO, 0x04);
    expect_single("donbas == ua implies false", DONBAS, 0x1E);
    expect_single("donbas < ua or nato == ban", NATO, 0x04);
    expect_single("(donbas == ua or nato == ban) and donbas > withdraw", -1, 0);

    /* not over a compound keeps the NOT; double negation removes it */
    px_expr e = must_compile("not (donbas == ua and nato == ban)");
    check_program(&e);
    assert_int_equal(e.n, 4);
    assert_int_equal(e.code[0].op, PX_TEST);
    assert_int_equal(e.code[0].issue, DONBAS);
    assert_int_equal(e.code[1].op, PX_TEST);
    assert_int_equal(e.code[1].issue, NATO);
    assert_int_equal(e.code[2].op, PX_AND);
    assert_int_equal(e.code[3].op, PX_NOT);
    assert_int_equal(e.max_depth, 2);
    px_free(&e);
    assert_null(e.code);
    e = must_compile("not not (donbas == ua and nato == ban)");
    assert_int_equal(e.n, 3);
    assert_int_equal(e.code[2].op, PX_AND);
    px_free(&e);
    e = must_compile("not (not (donbas == ua or nato == ban))");
    check_program(&e);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.code[2].op, PX_OR);
    px_free(&e);
    e = must_compile("!(donbas == ua and nato == ban) implies false");
    check_program(&e);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.code[2].op, PX_AND);
    assert_int_equal(eval_pkg(&e, 0, 2, 0, 0), 1);
    assert_int_equal(eval_pkg(&e, 0, 1, 0, 0), 0);
    px_free(&e);
    /* a implies false == not a, for compound a too */
    e = must_compile("(donbas == ua or nato == ban) implies false");
    assert_int_equal(e.n, 4);
    assert_int_equal(e.code[2].op, PX_OR);
    assert_int_equal(e.code[3].op, PX_NOT);
    px_free(&e);
    /* a constant in the middle of a chain */
    e = must_compile("donbas == ua and true and nato == ban and (false or army == none)");
    check_program(&e);
    assert_int_equal(e.n, 5);
    assert_int_equal(e.code[0].issue, DONBAS);
    assert_int_equal(e.code[1].issue, NATO);
    assert_int_equal(e.code[2].op, PX_AND);
    assert_int_equal(e.code[3].issue, ARMY);
    assert_int_equal(e.code[3].set, 0x08);
    assert_int_equal(e.code[4].op, PX_AND);
    px_free(&e);
}

static void test_precedence(void **state)
{
    (void)state;
    px_expr e;
    /* not binds tighter than and: A=false, B=false distinguishes */
    e = must_compile("not donbas == ua and nato == ban");
    assert_int_equal(eval_pkg(&e, 1, 0, 0, 0), 0); /* (not A) and B = 0; not (A and B) = 1 */
    assert_int_equal(eval_pkg(&e, 1, 2, 0, 0), 1);
    px_free(&e);
    /* and binds tighter than or: A=1 B=0 C=0 */
    e = must_compile("donbas == ua or nato == ban and army == none");
    assert_int_equal(eval_pkg(&e, 0, 0, 0, 0), 1); /* A or (B and C) = 1; (A or B) and C = 0 */
    px_free(&e);
    e = must_compile("nato == ban and army == none or donbas == ua");
    assert_int_equal(eval_pkg(&e, 0, 0, 0, 0), 1);
    px_free(&e);
    /* or binds tighter than implies */
    e = must_compile("donbas == ua or nato == ban implies army == none");
    assert_int_equal(eval_pkg(&e, 0, 0, 0, 0), 0); /* (A or B) -> C = 0; A or (B -> C) = 1 */
    px_free(&e);
    e = must_compile("donbas == ua implies nato == ban or army == none");
    assert_int_equal(eval_pkg(&e, 0, 0, 3, 0), 1); /* A -> (B or C) = 1; (A -> B) or C = 1 */
    assert_int_equal(eval_pkg(&e, 0, 0, 0, 0), 0);
    px_free(&e);
    /* and binds tighter than implies: A=0 */
    e = must_compile("donbas == ua and nato == ban implies army == none");
    assert_int_equal(eval_pkg(&e, 1, 0, 0, 0), 1); /* (A and B) -> C = 1; A and (B -> C) = 0 */
    px_free(&e);
    /* implies is right-associative: A=0, C=0 */
    e = must_compile("donbas == ua implies nato == ban implies army == none");
    assert_int_equal(eval_pkg(&e, 1, 0, 0, 0), 1); /* A -> (B -> C) = 1; (A -> B) -> C = 0 */
    assert_int_equal(e.n, 5);
    assert_int_equal(e.code[3].op, PX_IMPLIES);
    assert_int_equal(e.code[4].op, PX_IMPLIES);
    assert_int_equal(e.max_depth, 3);
    px_free(&e);
    e = must_compile("(donbas == ua implies nato == ban) implies army == none");
    assert_int_equal(eval_pkg(&e, 1, 0, 0, 0), 0);
    assert_int_equal(e.code[2].op, PX_IMPLIES);
    assert_int_equal(e.max_depth, 2);
    px_free(&e);
    /* not applies to a whole implies only with parentheses */
    e = must_compile("not donbas == ua implies nato == ban");
    assert_int_equal(eval_pkg(&e, 1, 0, 0, 0), 0); /* (not A) -> B with A=0,B=0 */
    px_free(&e);
    /* synonyms mix freely with the words */
    e = must_compile("!donbas == ua && nato == ban || army == none");
    px_expr f = must_compile("((not donbas == ua) and nato == ban) or army == none");
    for (int d = 0; d < 5; d++)
        for (int n = 0; n < 3; n++)
            for (int a = 0; a < 4; a++)
                assert_int_equal(eval_pkg(&e, d, n, a, 0), eval_pkg(&f, d, n, a, 0));
    px_free(&e);
    px_free(&f);
}

static void test_max_depth(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t depth;
    } cases[] = {
        {"donbas == ua", 1},
        {"true", 1},
        {"donbas == ua and nato == ban", 2},
        {"donbas == ua and nato == ban and army == none and big == o1", 2},
        {"donbas == ua or nato == ban and army == none", 3},
        {"donbas == ua implies nato == ban implies army == none", 3},
        {"(donbas == ua and nato == ban) or (army == none and big == o1)", 3},
        {"donbas == ua and (nato == ban or (army == none and big == o1))", 4},
        {"not not not (donbas == ua and nato == ban)", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        px_expr e = must_compile(cases[i].s);
        check_program(&e);
        if (e.max_depth != cases[i].depth) {
            print_error("\"%s\": max_depth %zu, want %zu\n", cases[i].s, e.max_depth,
                        cases[i].depth);
            fail();
        }
        px_free(&e);
    }
}

static void test_issues_used(void **state)
{
    (void)state;
    unsigned char used[NISSUES];
    px_expr e = must_compile("army.troops > 600000 or nato != ban");
    memset(used, 0, sizeof used);
    px_issues_used(&e, used);
    assert_int_equal(used[DONBAS], 0);
    assert_int_equal(used[NATO], 1);
    assert_int_equal(used[ARMY], 1);
    assert_int_equal(used[BIG], 0);
    px_free(&e);
    /* folded-away tests do not count: the value cannot depend on them */
    e = must_compile("donbas == ua and (army == none or true) and big >= o0");
    memset(used, 0, sizeof used);
    px_issues_used(&e, used);
    assert_int_equal(used[DONBAS], 1);
    assert_int_equal(used[ARMY], 0);
    assert_int_equal(used[BIG], 0);
    px_free(&e);
    e = must_compile("true");
    memset(used, 0, sizeof used);
    px_issues_used(&e, used);
    for (int i = 0; i < NISSUES; i++)
        assert_int_equal(used[i], 0);
    px_free(&e);
}

static void test_eval3_basics(void **state)
{
    (void)state;
    px_expr e = must_compile("donbas == ua and nato == ban");
    assert_int_equal(eval3_pkg(&e, 1, -1, -1, -1), 0);  /* false and ? */
    assert_int_equal(eval3_pkg(&e, 0, -1, -1, -1), -1); /* true and ? */
    assert_int_equal(eval3_pkg(&e, -1, 0, -1, -1), 0);
    assert_int_equal(eval3_pkg(&e, 0, 2, -1, -1), 1);
    assert_int_equal(eval3_pkg(&e, -1, -1, -1, -1), -1);
    px_free(&e);
    e = must_compile("donbas == ua or nato == ban");
    assert_int_equal(eval3_pkg(&e, 0, -1, -1, -1), 1);
    assert_int_equal(eval3_pkg(&e, 1, -1, -1, -1), -1);
    assert_int_equal(eval3_pkg(&e, 1, 1, -1, -1), 0);
    px_free(&e);
    e = must_compile("donbas == ua implies nato == ban");
    assert_int_equal(eval3_pkg(&e, 1, -1, -1, -1), 1); /* false -> ? */
    assert_int_equal(eval3_pkg(&e, -1, 2, -1, -1), 1); /* ? -> true */
    assert_int_equal(eval3_pkg(&e, -1, 0, -1, -1), -1);
    assert_int_equal(eval3_pkg(&e, 0, 0, -1, -1), 0);
    px_free(&e);
    e = must_compile("not donbas == ua");
    assert_int_equal(eval3_pkg(&e, -1, -1, -1, -1), -1);
    assert_int_equal(eval3_pkg(&e, 0, -1, -1, -1), 0);
    px_free(&e);
    /* Kleene is conservative: a tautology over an open issue is undecided */
    e = must_compile("donbas == ua or donbas != ua");
    assert_int_equal(e.n, 3);
    assert_int_equal(eval3_pkg(&e, -1, 0, 0, 0), -1);
    assert_int_equal(eval3_pkg(&e, 3, 0, 0, 0), 1);
    px_free(&e);
    /* a test whose set is full or empty is decided even on an open issue;
     * here built by hand, as the compiler folds such tests away */
    px_instr code[3] = {{PX_TEST, BIG, ~(uint64_t)0}, {PX_TEST, NATO, 0}, {PX_OR, 0, 0}};
    px_expr h = {code, 3, 2};
    assert_int_equal(eval3_pkg(&h, -1, -1, -1, -1), 1);
    code[0].set = 0;
    assert_int_equal(eval3_pkg(&h, -1, -1, -1, -1), 0);
    code[1].set = 0x07;
    assert_int_equal(eval3_pkg(&h, -1, -1, -1, -1), 1);
    code[1].set = 0x03;
    assert_int_equal(eval3_pkg(&h, -1, -1, -1, -1), -1);
    assert_int_equal(eval3_pkg(&h, -1, 1, -1, -1), 1);
    assert_int_equal(eval3_pkg(&h, -1, 2, -1, -1), 0);
}

/* ------------------------------------------------------------------------ */
/* Tests: random expressions against the reference                           */

static void test_random_vs_reference(void **state)
{
    (void)state;
    static tree t;
    static sbuf b;
    rng r = {0x9E3779B97F4A7C15ULL};
    int done = 0, deep = 0, consts = 0;
    while (done < 3000) {
        t.n = 0;
        b.len = 0;
        int root = gen(&t, &r, 0, 1 + rnd(&r, 7));
        print_node(&t, root, 0, &r, &b);
        if (b.len > 4096)
            continue;
        px_expr e = {0};
        px_error err;
        int rc = px_compile(b.s, b.len, &g_sym, &e, &err);
        if (rc != 0) {
            print_error("\"%.*s\": rc %d at %zu: %s\n", (int)b.len, b.s, rc, err.offset, err.msg);
            fail();
        }
        b.s[b.len] = '\0';
        check_program(&e);
        deep += e.max_depth > 3;
        consts += e.n == 1 && e.code[0].op != PX_TEST;
        compare_all_packages(&e, &t, root, b.s);
        for (int k = 0; k < 20; k++) {
            long pk[NISSUES];
            random_partial(&r, pk);
            compare_partial(&e, &t, root, b.s, pk);
            if (done % 8 == 0 && k < 4)
                check_sound(&e, pk, b.s);
        }
        px_free(&e);
        done++;
    }
    /* the generator must actually exercise nesting and folding */
    assert_true(deep > 100);
    assert_true(consts > 50);
}

static int leaf_is_const(const node *x)
{
    if (x->kind == N_TRUE || x->kind == N_FALSE)
        return 1;
    size_t yes = 0, n = g_issues[x->issue].n;
    for (size_t k = 0; k < n; k++)
        yes += (size_t)leaf_holds(x, k);
    return yes == 0 || yes == n;
}

/* Programs deeper than 64 take the evaluators' array path. */
static void test_deep_programs(void **state)
{
    (void)state;
    static tree t;
    static sbuf b;
    rng r = {12345};
    int over64 = 0;
    for (int round = 0; round < 60; round++) {
        t.n = 0;
        b.len = 0;
        int len = 60 + rnd(&r, 140);
        int kind = round % 3 == 0 ? N_IMP : -1;
        /* a right-leaning spine: a implies (b implies ...), or
         * a and (b or (c and ...)) with parentheses */
        int root = -1, prev = -1;
        for (int i = 0; i < len; i++) {
            /* only leaves that cannot fold to a constant, which would
             * collapse the spine */
            int leaf;
            for (;;) {
                leaf = gen_leaf(&t, &r);
                if (!leaf_is_const(&t.nd[leaf]))
                    break;
                t.n--;
            }
            if (i == len - 1) {
                if (prev < 0)
                    root = leaf;
                else
                    t.nd[prev].b = leaf;
                break;
            }
            int k = kind >= 0 ? kind : (rnd(&r, 2) ? N_AND : N_OR);
            int x = new_node(&t, k);
            t.nd[x].a = leaf;
            if (prev < 0)
                root = x;
            else
                t.nd[prev].b = x;
            prev = x;
        }
        print_node(&t, root, 0, &r, &b);
        if (b.len > 4096)
            continue;
        px_expr e = {0};
        px_error err;
        int rc = px_compile(b.s, b.len, &g_sym, &e, &err);
        if (rc != 0) {
            print_error("rc %d at %zu: %s\n", rc, err.offset, err.msg);
            fail();
        }
        b.s[b.len] = '\0';
        check_program(&e);
        over64 += e.max_depth > 64;
        compare_all_packages(&e, &t, root, b.s);
        for (int k = 0; k < 50; k++) {
            long pk[NISSUES];
            random_partial(&r, pk);
            compare_partial(&e, &t, root, b.s, pk);
            if (k < 3)
                check_sound(&e, pk, b.s);
        }
        px_free(&e);
    }
    assert_true(over64 >= 30);
}

/* ------------------------------------------------------------------------ */
/* Tests: errors                                                             */

static void test_errors_syntax(void **state)
{
    (void)state;
    expect_error("", 0, "empty expression");
    expect_error("   \n\t", 0, "empty expression");
    expect_error_n(NULL, 0, 0, "empty expression");
    expect_error("donbas ==", 9, "unexpected end of expression (expected an option id after '==')");
    expect_error("donbas == ", 9, "unexpected end of expression (expected an option id after '==')");
    expect_error("donbas == (ua)", 10, "expected an option id after '=='");
    expect_error("donbas == 5", 10, "expected an option id after '=='");
    expect_error("donbas", 6,
                 "unexpected end of expression (expected a comparison operator, 'in' or '.' "
                 "after 'donbas')");
    expect_error("donbas ua", 7, "expected a comparison operator, 'in' or '.' after 'donbas'");
    expect_error("donbas not [ua]", 11, "expected 'in' after 'not'");
    expect_error("donbas in ua", 10, "expected '[' after 'in'");
    expect_error("donbas not in", 13, "unexpected end of expression (expected '[' after 'in')");
    expect_error("donbas in []", 11, "empty option list");
    expect_error("donbas not in [ ]", 16, "empty option list");
    expect_error("donbas in [ua,]", 14, "expected an option id after ','");
    expect_error("donbas in [,ua]", 11, "expected an option id after '['");
    expect_error("donbas in [ua fez]", 14, "expected ',' or ']' after 'ua'");
    expect_error("donbas in [ua", 13, "unexpected end of expression (expected ',' or ']' after 'ua')");
    expect_error("donbas == ua and", 16,
                 "unexpected end of expression (expected an expression after 'and')");
    expect_error("donbas == ua and or nato == ban", 17, "expected an expression after 'and'");
    expect_error("donbas == ua implies", 20,
                 "unexpected end of expression (expected an expression after 'implies')");
    expect_error("!", 1, "unexpected end of expression (expected an expression after '!')");
    expect_error("not", 3, "unexpected end of expression (expected an expression after 'not')");
    expect_error("()", 1, "expected an expression after '('");
    expect_error(")", 0, "expected an expression, found ')'");
    expect_error("and", 0, "expected an expression, found 'and'");
    expect_error("in [ua]", 0, "expected an expression, found 'in'");
    expect_error("true false", 5, "unexpected 'false' after the end of the expression");
    expect_error("donbas == ua nato == ban", 13, "unexpected 'nato' after the end of the expression");
    expect_error("donbas == ua, nato == ban", 12, "unexpected ',' after the end of the expression");
    expect_error("donbas == ua AND nato == ban", 13,
                 "unexpected 'AND' after the end of the expression (keywords are lowercase: "
                 "did you mean 'and'?)");
    expect_error("(donbas == ua Or nato == ban)", 14, "did you mean 'or'?");
    expect_error("NOT donbas == ua", 0,
                 "unknown issue 'NOT' (keywords are lowercase: did you mean 'not'?)");
}

static void test_errors_parentheses(void **state)
{
    (void)state;
    expect_error("(donbas == ua", 0, "unbalanced parenthesis: this '(' is never closed");
    expect_error("((donbas == ua)", 0, "unbalanced parenthesis");
    expect_error("(true) and (donbas == ua", 11, "unbalanced parenthesis: this '(' is never closed");
    expect_error("donbas == ua)", 12, "unbalanced parenthesis: this ')' has no matching '('");
    expect_error("(donbas == ua))", 14, "unbalanced parenthesis: this ')' has no matching '('");
    expect_error("(donbas == ua nato == ban)", 14,
                 "expected 'and', 'or', 'implies' or ')' after 'ua'");
    expect_error("(donbas == ua]", 13, "expected 'and', 'or', 'implies' or ')' after 'ua'");

    /* nesting: 256 levels are fine, the 257th is refused where it opens */
    static char s[1200];
    size_t n = 0;
    for (int i = 0; i < 256; i++)
        s[n++] = '(';
    memcpy(s + n, "donbas==ua", 10);
    n += 10;
    for (int i = 0; i < 256; i++)
        s[n++] = ')';
    px_expr e = {0};
    px_error err;
    assert_int_equal(px_compile(s, n, &g_sym, &e, &err), 0);
    assert_int_equal(e.n, 1);
    px_free(&e);
    n = 0;
    for (int i = 0; i < 257; i++)
        s[n++] = '(';
    memcpy(s + n, "true", 4);
    n += 4;
    for (int i = 0; i < 257; i++)
        s[n++] = ')';
    expect_error_n(s, n, 256, "nested too deeply");
    /* the fuzzer's favourite: a long run of '(' */
    memset(s, '(', 1000);
    expect_error_n(s, 1000, 256, "nested too deeply");
    /* not and implies chains are loops, not nesting */
    n = 0;
    for (int i = 0; i < 600; i++)
        s[n++] = '!';
    memcpy(s + n, "donbas==ua", 10);
    n += 10;
    assert_int_equal(px_compile(s, n, &g_sym, &e, &err), 0);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.code[0].set, 0x01);
    px_free(&e);
}

static void test_errors_names(void **state)
{
    (void)state;
    expect_error("donbaz == ua", 0, "unknown issue 'donbaz' (did you mean 'donbas'?)");
    expect_error("nato == ban and amry == none", 16, "unknown issue 'amry' (did you mean 'army'?)");
    expect_error("nato == member and zzzzzz == x", 19, "unknown issue 'zzzzzz'");
    px_error err;
    px_expr e = {0};
    assert_int_equal(compile_str("zzzzzz == x", &e, &err), -1);
    assert_null(strstr(err.msg, "did you mean"));
    expect_error("donbas == fezz", 10, "unknown option 'fezz' of issue 'donbas' (did you mean 'fez'?)");
    expect_error("donbas in [ua, withdrew]", 15,
                 "unknown option 'withdrew' of issue 'donbas' (did you mean 'withdraw'?)");
    expect_error("big == o64", 7, "unknown option 'o64' of issue 'big' (did you mean 'o");
    expect_error("nato != qqqqqqqq", 8, "unknown option 'qqqqqqqq' of issue 'nato'");
    assert_int_equal(compile_str("nato != qqqqqqqq", &e, &err), -1);
    assert_null(strstr(err.msg, "did you mean"));
    /* case matters */
    expect_error("Donbas == ua", 0, "unknown issue 'Donbas' (did you mean 'donbas'?)");
    expect_error("donbas == UA", 10, "unknown option 'UA' of issue 'donbas'");
    /* an option of another issue */
    expect_error("donbas == ban", 10, "unknown option 'ban' of issue 'donbas'");
    /* a very long name is shortened in the message, not overflowed */
    static char s[600];
    memset(s, 'x', 300);
    memcpy(s + 300, " == ua", 7);
    expect_error(s, 0, "unknown issue 'xxxxxxxx");
    assert_int_equal(compile_str(s, &e, &err), -1);
    assert_non_null(strstr(err.msg, "...'"));
    memcpy(s, "donbas == ", 10);
    memset(s + 10, 'y', 500);
    s[510] = '\0';
    expect_error(s, 10, "unknown option 'yyyy");
}

static void test_errors_attributes(void **state)
{
    (void)state;
    expect_error("army.years > 1", 5, "option 'a800' of issue 'army' has no attribute 'years'");
    expect_error("nato.troops > 1", 5, "option 'member' of issue 'nato' has no attribute 'troops'");
    expect_error("army . size", 7, "option 'a85' of issue 'army' has no attribute 'size'");
    /* the attribute is checked before the rest of the test */
    expect_error("army.years", 5, "has no attribute 'years'");
    expect_error("army. > 1", 6, "expected an attribute name after '.'");
    expect_error("army.", 5, "unexpected end of expression (expected an attribute name after '.')");
    expect_error("army.troops 5", 12, "expected a comparison operator after 'army.troops'");
    expect_error("army.troops", 11,
                 "unexpected end of expression (expected a comparison operator after "
                 "'army.troops')");
    expect_error("army.troops in [a85]", 12, "expected a comparison operator after 'army.troops'");
    expect_error("army.troops >", 13, "unexpected end of expression (expected a number after '>')");
    expect_error("army.troops > a85", 14, "expected a number after '>'");
    expect_error("army.troops > 1e999", 14, "number '1e999' is out of range");
    expect_error("army.troops > -1e999", 14, "number '-1e999' is out of range");
    expect_error("army.troops > 12abc", 14, "malformed number '12abc'");
    expect_error("army.troops > 1e", 14, "malformed number '1e'");
    expect_error("army.troops > 1e+", 14, "malformed number '1e+'");
    expect_error("army.troops > 1.2.3", 14, "malformed number '1.2.3'");
    expect_error("army.troops > 0x10", 14, "malformed number '0x10'");
    expect_error("army.troops > - 5", 14, "unexpected character '-'");
    expect_error("army.troops > .5", 14, "expected a number after '>'");
    expect_error("army.troops > inf", 14, "expected a number after '>'");
    expect_error("army.troops > nan", 14, "expected a number after '>'");
    static char s[400];
    memcpy(s, "army.troops > ", 14);
    memset(s + 14, '1', 200);
    s[214] = '\0';
    expect_error(s, 14, "is too long");
}

static void test_errors_characters(void **state)
{
    (void)state;
    expect_error("donbas == ua and nato == b\xc3\xa4n", 26, "non-ASCII byte 0xc3");
    expect_error("\xef\xbb\xbf" "donbas == ua", 0, "non-ASCII byte 0xef");
    expect_error("donbas == ua\x01", 12, "control character 0x01");
    expect_error("donbas ==\x7fua", 9, "control character 0x7f");
    expect_error("donbas\v== ua", 6, "control character 0x0b");
    expect_error_n("donbas\0== ua", 12, 6, "control character 0x00");
    expect_error("donbas = ua", 7, "unexpected '=' (did you mean '=='?)");
    expect_error("donbas == ua & nato == ban", 13, "unexpected '&' (did you mean '&&'?)");
    expect_error("donbas == ua | nato == ban", 13, "unexpected '|' (did you mean '||'?)");
    expect_error("donbas == ua @", 13, "unexpected character '@'");
    expect_error("donbas == 'ua'", 10, "unexpected character '''");
    expect_error("donbas =< ua", 7, "unexpected '='");
}

static void test_errors_length(void **state)
{
    (void)state;
    static char s[5000];
    /* exactly 4096 bytes is fine */
    memset(s, ' ', sizeof s);
    memcpy(s, "donbas == ua", 12);
    px_expr e = {0};
    px_error err;
    assert_int_equal(px_compile(s, 4096, &g_sym, &e, &err), 0);
    px_free(&e);
    expect_error_n(s, 4097, 4096, "expression longer than 4096 bytes");
    /* the source need not be NUL-terminated: only len bytes are read */
    char t[12];
    memcpy(t, "donbas == ua", 12);
    assert_int_equal(px_compile(t, sizeof t, &g_sym, &e, &err), 0);
    px_free(&e);
    /* a prefix is compiled as itself */
    expect_error_n("donbas == ua", 9, 9, "unexpected end of expression");
    /* the longest programs stay far from the evaluator's limits */
    size_t n = 0;
    while (n + 12 <= 4096) {
        memcpy(s + n, "nato<ban||", 10);
        n += 10;
    }
    memcpy(s + n - 10, "nato==ban ", 10);
    assert_int_equal(px_compile(s, n, &g_sym, &e, &err), 0);
    check_program(&e);
    px_free(&e);
    n = 0;
    while (n + 24 <= 4096) {
        memcpy(s + n, "nato<ban implies ", 17);
        n += 17;
    }
    memcpy(s + n, "nato==ban", 9);
    n += 9;
    assert_int_equal(px_compile(s, n, &g_sym, &e, &err), 0);
    check_program(&e);
    assert_true(e.max_depth > 64);
    uint8_t c[NISSUES] = {0, 2, 0, 0};
    assert_int_equal(px_eval(&e, c), 1);
    c[1] = 0;
    assert_int_equal(px_eval(&e, c), 0);
    px_free(&e);
}

static void test_no_symbols(void **state)
{
    (void)state;
    px_expr e = {0};
    px_error err;
    assert_int_equal(px_compile("true or false", 13, NULL, &e, &err), 0);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.code[0].op, PX_TRUE);
    px_free(&e);
    assert_int_equal(px_compile("donbas == ua", 12, NULL, &e, &err), -1);
    assert_int_equal(err.offset, 0);
    assert_non_null(strstr(err.msg, "unknown issue 'donbas'"));
    /* err may be NULL */
    assert_int_equal(px_compile("donbas ==", 9, &g_sym, &e, NULL), -1);
    px_free(NULL);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    static const char *const srcs[] = {
        "donbas == ua",
        "donbas == ua and (nato == ban or army.troops > 600000) implies big in [o1, o2]",
        "donbas == ua implies nato == ban implies army == none implies big != o3",
        "zzzz == ua",                   /* the suggestion allocates */
        "donbas == ua and (nato == x", /* error after allocations */
    };
    int saw_oom = 0;
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        px_expr good = {0};
        px_error err;
        int want = compile_str(srcs[i], &good, &err);
        for (long k = 0; k < 64; k++) {
            g_allocs = 0;
            g_fail_from = k;
            px_expr e = {0};
            int rc = compile_str(srcs[i], &e, &err);
            g_fail_from = -1;
            if (rc == -2) {
                saw_oom = 1;
                assert_string_equal(err.msg, "out of memory");
                assert_null(e.code);
            } else {
                assert_int_equal(rc, want);
                if (rc == 0) {
                    check_program(&e);
                    assert_int_equal(e.n, good.n);
                    assert_memory_equal(e.code, good.code, e.n * sizeof *e.code);
                }
            }
            px_free(&e);
            assert_int_equal(g_live, want == 0 ? 1 : 0);
        }
        px_free(&good);
        assert_int_equal(g_live, 0);
    }
    assert_true(saw_oom);
}

int main(void)
{
    init_big();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_comparison_sets, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_in_sets, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_attr_sets, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_keywords_as_option_names, setup_alloc,
                                        teardown_alloc),
        cmocka_unit_test_setup_teardown(test_operators, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_folding, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_precedence, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_max_depth, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_issues_used, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_eval3_basics, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_random_vs_reference, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_deep_programs, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_syntax, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_parentheses, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_names, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_attributes, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_characters, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_errors_length, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_no_symbols, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup_alloc, teardown_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
