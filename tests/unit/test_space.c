/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The agreement space against brute force: thousands of small random
 * scenarios (interaction terms, red lines, constraints, ties), every answer
 * of zopa, pareto, solve and evaluate's completions recomputed by listing the
 * whole space with nothing but the public accessors; and the single-best
 * search the simulation calls, with its warm-start hints, against solve. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parley.h"
#include "space/space.h"

#define EPS 1e-9

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64: tiny, seedable, good enough for test generation */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int rint_(int lo, int hi)
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

typedef struct gen {
    char buf[32768];
    size_t len;
    int n_issues;
    int n_opts[8];
} gen;

static void put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, sizeof g->buf - g->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof g->buf - g->len);
    g->len += (size_t)n;
}

/* When set, expressions test only the first two issues, so the last ones are
 * free and the search's suffix tables are exercised. */
static int tests_on_front;

static void random_test(gen *g)
{
    int i = rint_(0, tests_on_front ? 1 : g->n_issues - 1);
    int o = rint_(0, g->n_opts[i] - 1);
    switch (rint_(0, 3)) {
    case 0: put(g, "i%d == o%d", i, o); break;
    case 1: put(g, "i%d != o%d", i, o); break;
    case 2: put(g, "i%d >= o%d", i, o); break;
    default: put(g, "i%d in [o%d, o%d]", i, o, rint_(0, g->n_opts[i] - 1)); break;
    }
}

static void random_expr(gen *g)
{
    switch (rint_(0, 3)) {
    case 0:
        random_test(g);
        break;
    case 1:
        random_test(g);
        put(g, " and ");
        random_test(g);
        break;
    case 2:
        random_test(g);
        put(g, " or ");
        random_test(g);
        break;
    default:
        put(g, "not (");
        random_test(g);
        put(g, ") implies ");
        random_test(g);
        break;
    }
}

/* A random scenario; integer scores make exact ties common. */
static void make_scenario(gen *g, int hard)
{
    g->len = 0;
    g->n_issues = rint_(2, hard ? (tests_on_front ? 6 : 5) : 4);
    int n_act = rint_(2, 4);
    put(g, "parley: 1\nscenario: {id: r, name: R}\nactors:\n");
    for (int a = 0; a < n_act; a++)
        put(g, "  - {id: a%d, name: A%d, role: party, veto: %s, capability: %d, "
               "reservation: %d}\n",
            a, a, a == 0 || rint_(0, 3) ? "true" : "false", rint_(1, 5), rint_(20, 70));
    put(g, "issues:\n");
    for (int i = 0; i < g->n_issues; i++) {
        g->n_opts[i] = rint_(2, 4);
        put(g, "  - id: i%d\n    name: I%d\n    status_quo: o0\n    options:\n", i, i);
        for (int o = 0; o < g->n_opts[i]; o++)
            put(g, "      - {id: o%d, position: %d}\n", o, o * 10);
    }
    put(g, "preferences:\n");
    for (int a = 0; a < n_act; a++) {
        put(g, "  a%d:\n    weights: {", a);
        for (int i = 0; i < g->n_issues; i++)
            put(g, "%si%d: %d", i ? ", " : "", i, rint_(1, 5));
        put(g, "}\n    scores:\n");
        for (int i = 0; i < g->n_issues; i++) {
            put(g, "      i%d: [", i);
            for (int o = 0; o < g->n_opts[i]; o++)
                put(g, "%s%d", o ? ", " : "", rint_(0, 4) * 25);
            put(g, "]\n");
        }
        int ni = rint_(0, 2);
        if (ni) {
            put(g, "    interactions:\n");
            for (int q = 0; q < ni; q++) {
                put(g, "      - {id: x%d, when: \"", q);
                random_expr(g);
                put(g, "\", bonus: %d}\n", rint_(-20, 20));
            }
        }
        int nr = rint_(0, hard ? 2 : 1);
        if (nr) {
            put(g, "    red_lines:\n");
            for (int q = 0; q < nr; q++) {
                put(g, "      - {id: r%d, %s: \"", q, rint_(0, 1) ? "forbid" : "require");
                random_expr(g);
                put(g, "\"}\n");
            }
        }
    }
    if (rint_(0, 1)) {
        put(g, "constraints:\n  - {id: c0, forbid: \"");
        random_expr(g);
        put(g, "\"}\n");
    }
    put(g, "proposals:\n  - {id: p0, name: P0, options: {i0: o%d}}\n", rint_(0, g->n_opts[0] - 1));
}

typedef struct space {
    size_t I, A, N;
    long *pk;        /* N * I */
    double *u;       /* N * A */
    int *feasible;   /* constraints */
    int *accept;     /* feasible and every veto actor accepts */
} space;

static int next_pkg(long *p, const size_t *nopt, size_t I)
{
    /* odometer, last issue fastest: lexicographic order */
    for (size_t i = I; i-- > 0;) {
        if (++p[i] < (long)nopt[i])
            return 1;
        p[i] = 0;
    }
    return 0;
}

static int rule_holds(pl_scenario *sc, const pl_rule_info *r, const long *pkg)
{
    int v;
    assert_int_equal(pl_expr_eval(sc, r->expr, pkg, &v, NULL), PL_OK);
    assert_true(v == 0 || v == 1);
    return r->kind == PL_RULE_REQUIRE ? v : !v;
}

static void enumerate(pl_scenario *sc, space *S)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    S->I = in.n_issues;
    S->A = in.n_actors;
    size_t nopt[8];
    S->N = 1;
    for (size_t i = 0; i < S->I; i++) {
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        nopt[i] = ii.n_options;
        S->N *= ii.n_options;
    }
    S->pk = calloc(S->N * S->I, sizeof *S->pk);
    S->u = calloc(S->N * S->A, sizeof *S->u);
    S->feasible = calloc(S->N, sizeof *S->feasible);
    S->accept = calloc(S->N, sizeof *S->accept);
    long p[8] = {0};
    size_t x = 0;
    do {
        memcpy(S->pk + x * S->I, p, sizeof *p * S->I);
        int feas = 1;
        for (size_t k = 0; k < pl_scenario_constraint_count(sc); k++) {
            pl_rule_info r;
            pl_scenario_constraint(sc, k, &r);
            feas &= rule_holds(sc, &r, p);
        }
        int acc = feas;
        for (size_t a = 0; a < S->A; a++) {
            pl_actor_info ai;
            pl_scenario_actor(sc, a, &ai);
            double u = NAN;
            if (ai.has_preferences)
                assert_int_equal(pl_package_utility(sc, a, p, &u), PL_OK);
            S->u[x * S->A + a] = u;
            if (!ai.veto || !ai.has_preferences)
                continue;
            if (u < ai.reservation)
                acc = 0;
            for (size_t k = 0; k < pl_scenario_red_line_count(sc, a); k++) {
                pl_rule_info r;
                pl_scenario_red_line(sc, a, k, &r);
                acc &= rule_holds(sc, &r, p);
            }
        }
        S->feasible[x] = feas;
        S->accept[x] = acc;
        x++;
    } while (next_pkg(p, nopt, S->I));
    assert_int_equal(x, S->N);
}

static void space_free(space *S)
{
    free(S->pk);
    free(S->u);
    free(S->feasible);
    free(S->accept);
}

static int is_veto(pl_scenario *sc, size_t a)
{
    pl_actor_info ai;
    pl_scenario_actor(sc, a, &ai);
    return ai.veto && ai.has_preferences;
}

static double res_of(pl_scenario *sc, size_t a)
{
    pl_actor_info ai;
    pl_scenario_actor(sc, a, &ai);
    return ai.reservation;
}

/* Objectives exactly as documented in parley.h. */
static double objective(pl_scenario *sc, const space *S, size_t x, pl_objective by,
                        const double *ideal)
{
    double s = by == PL_OBJ_EGALITARIAN || by == PL_OBJ_KS ? INFINITY : 0;
    for (size_t a = 0; a < S->A; a++) {
        if (!is_veto(sc, a))
            continue;
        double g = S->u[x * S->A + a] - res_of(sc, a);
        switch (by) {
        case PL_OBJ_NASH: s += log(g > 1e-300 ? g : 1e-300); break;
        case PL_OBJ_UTILITARIAN: s += g; break;
        case PL_OBJ_EGALITARIAN: s = g < s ? g : s; break;
        case PL_OBJ_KS: {
            double span = ideal[a] - res_of(sc, a);
            double r = span > 0 ? g / span : (g >= 0 ? 1.0 : -INFINITY);
            s = r < s ? r : s;
            break;
        }
        default: break;
        }
    }
    return s;
}

static int same_pkg(const long *a, const long *b, size_t I)
{
    return memcmp(a, b, sizeof *a * I) == 0;
}

static long find_pkg(const space *S, const long *p)
{
    for (size_t x = 0; x < S->N; x++)
        if (same_pkg(S->pk + x * S->I, p, S->I))
            return (long)x;
    return -1;
}

/* Frontier utilities compared on the 1e-6 grid, as documented in docs/space.md. */
static long long snapv(double v)
{
    return llround(v * 1e6);
}

static int dominates(pl_scenario *sc, const space *S, size_t x, size_t y)
{
    int strict = 0;
    for (size_t a = 0; a < S->A; a++) {
        if (!is_veto(sc, a))
            continue;
        long long ux = snapv(S->u[x * S->A + a]), uy = snapv(S->u[y * S->A + a]);
        if (ux < uy)
            return 0;
        if (ux > uy)
            strict = 1;
    }
    return strict;
}

static int same_vector(pl_scenario *sc, const space *S, size_t x, size_t y)
{
    for (size_t a = 0; a < S->A; a++)
        if (is_veto(sc, a) && snapv(S->u[x * S->A + a]) != snapv(S->u[y * S->A + a]))
            return 0;
    return 1;
}

static void check_zopa_and_solve(pl_scenario *sc, const space *S)
{
    uint64_t expect = 0;
    for (size_t x = 0; x < S->N; x++)
        expect += (uint64_t)S->accept[x];
    for (int threads = 1; threads <= 2; threads++) {
        pl_space_options o;
        pl_space_options_init(&o);
        o.threads = threads;
        o.top_k = 3;
        pl_space *z;
        assert_int_equal(pl_zopa(sc, &o, &z, NULL), PL_OK);
        uint64_t n;
        assert_true(pl_space_count(z, &n));
        assert_int_equal(n, expect);
        assert_int_equal(pl_space_package_count(z), expect < 3 ? expect : 3);
        pl_space_free(z);
    }
    double ideal[8];
    for (size_t a = 0; a < S->A; a++) {
        ideal[a] = -INFINITY;
        for (size_t x = 0; x < S->N; x++)
            if (S->accept[x] && S->u[x * S->A + a] > ideal[a])
                ideal[a] = S->u[x * S->A + a];
    }
    for (int by = 0; by < 4; by++) {
        pl_space_options o;
        pl_space_options_init(&o);
        o.by = (pl_objective)by;
        o.top_k = 4;
        /* top-k by the objective */
        pl_space *z;
        assert_int_equal(pl_zopa(sc, &o, &z, NULL), PL_OK);
        double best = -INFINITY;
        for (size_t x = 0; x < S->N; x++)
            if (S->accept[x]) {
                double v = objective(sc, S, x, o.by, ideal);
                best = v > best ? v : best;
            }
        size_t m = pl_space_package_count(z);
        double prev = INFINITY;
        for (size_t k = 0; k < m; k++) {
            long x = find_pkg(S, pl_space_package(z, k));
            assert_true(x >= 0);
            assert_true(S->accept[x]);
            double v = objective(sc, S, (size_t)x, o.by, ideal);
            assert_true(fabs(v - pl_space_score(z, k)) <= 1e-9 * (1 + fabs(v)));
            assert_true(v <= prev + 1e-9 * (1 + fabs(v)));
            prev = v;
            /* nothing outside the list beats the k-th */
            size_t better = 0;
            for (size_t y = 0; y < S->N; y++)
                if (S->accept[y] && objective(sc, S, y, o.by, ideal) > v + 1e-9 * (1 + fabs(v)))
                    better++;
            assert_true(better <= k);
        }
        pl_space_free(z);
        /* solve: the optimum and every tie */
        pl_space *s;
        assert_int_equal(pl_solve(sc, &o, &s, NULL), PL_OK);
        size_t ties = 0;
        for (size_t x = 0; x < S->N; x++)
            if (S->accept[x] &&
                objective(sc, S, x, o.by, ideal) >= best - 1e-9 * (1 + fabs(best)))
                ties++;
        assert_int_equal(pl_space_package_count(s), ties);
        for (size_t k = 0; k < pl_space_package_count(s); k++) {
            long x = find_pkg(S, pl_space_package(s, k));
            assert_true(x >= 0 && S->accept[x]);
            double v = objective(sc, S, (size_t)x, o.by, ideal);
            assert_true(v >= best - 1e-9 * (1 + fabs(best)));
        }
        pl_space_free(s);
    }
}

/* The single-best search the simulation uses (sp_best, top 1, no ties,
 * with a warm-start hint and the dominated-option filter) must return what
 * pl_solve lists first, whatever the hint: none, the answer itself, an
 * acceptable package that is not the answer, or an unacceptable one. */
static void check_best_hinted(pl_scenario *sc, const space *S)
{
    static const struct {
        sp_objective obj;
        pl_objective by;
    } objs[] = {{SP_NASH, PL_OBJ_NASH},
                {SP_UTILITARIAN, PL_OBJ_UTILITARIAN},
                {SP_EGALITARIAN, PL_OBJ_EGALITARIAN}};
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    assert_int_equal(sp_ctx_init(&c, sc, &spec), 0);
    long other_ok = -1, bad = -1;
    for (size_t x = 0; x < S->N; x++) {
        if (!S->accept[x] && bad < 0)
            bad = (long)x;
        if (S->accept[x])
            other_ok = (long)x; /* the last acceptable one, rarely the best */
    }
    for (size_t q = 0; q < sizeof objs / sizeof objs[0]; q++) {
        pl_space_options o;
        pl_space_options_init(&o);
        o.by = objs[q].by;
        pl_space *s;
        assert_int_equal(pl_solve(sc, &o, &s, NULL), PL_OK);
        const long *want = pl_space_package_count(s) ? pl_space_package(s, 0) : NULL;
        const long *hints[4] = {NULL, want, other_ok >= 0 ? S->pk + other_ok * S->I : NULL,
                                bad >= 0 ? S->pk + bad * S->I : NULL};
        for (int h = 0; h < 4; h++) {
            sp_best_args a;
            memset(&a, 0, sizeof a);
            a.obj = objs[q].obj;
            a.top_k = 1;
            a.hint = hints[h];
            sp_pkg *p;
            size_t n;
            assert_int_equal(sp_best(&c, &a, &p, &n), 0);
            assert_int_equal(n, want ? 1 : 0);
            if (n)
                assert_memory_equal(p[0].opt, want, sizeof *want * S->I);
            sp_pkgs_free(p, n);
        }
        pl_space_free(s);
    }
    sp_ctx_free(&c);
}

static void check_pareto(pl_scenario *sc, const space *S)
{
    size_t nacc = 0;
    for (size_t x = 0; x < S->N; x++)
        nacc += (size_t)S->accept[x];
    const int *pool = nacc ? S->accept : S->feasible;
    int *opt = calloc(S->N, sizeof *opt);
    size_t expect = 0, distinct = 0;
    for (size_t x = 0; x < S->N; x++) {
        if (!pool[x])
            continue;
        int dom = 0;
        for (size_t y = 0; y < S->N && !dom; y++)
            dom = pool[y] && dominates(sc, S, y, x);
        if (dom)
            continue;
        opt[x] = 1;
        expect++;
        int seen = 0;
        for (size_t y = 0; y < x && !seen; y++)
            seen = opt[y] && same_vector(sc, S, x, y);
        distinct += !seen;
    }
    pl_space_options o;
    pl_space_options_init(&o);
    pl_space *p;
    assert_int_equal(pl_pareto(sc, &o, &p, NULL), PL_OK);
    assert_string_equal(pl_space_scope(p), nacc ? "zopa" : "feasible");
    uint64_t count;
    assert_true(pl_space_count(p, &count));
    assert_int_equal(count, expect);
    assert_int_equal(pl_space_package_count(p), distinct);
    for (size_t k = 0; k < pl_space_package_count(p); k++) {
        long x = find_pkg(S, pl_space_package(p, k));
        assert_true(x >= 0 && pool[x] && opt[x]);
        for (size_t j = 0; j < k; j++) {
            long y = find_pkg(S, pl_space_package(p, j));
            assert_false(same_vector(sc, S, (size_t)x, (size_t)y));
        }
    }
    free(opt);
    pl_space_free(p);
}

static void check_completions(pl_scenario *sc, const space *S)
{
    pl_evaluation *ev;
    assert_int_equal(pl_evaluate(sc, 0, &ev, NULL), PL_OK);
    long given = pl_scenario_proposal_option(sc, 0, 0);
    for (size_t j = 0; j < pl_evaluation_verdict_count(ev, 0); j++) {
        const pl_verdict *v = pl_evaluation_verdict(ev, 0, j);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t x = 0; x < S->N; x++) {
            if (!S->feasible[x] || S->pk[x * S->I] != given)
                continue;
            double u = S->u[x * S->A + v->actor];
            lo = u < lo ? u : lo;
            hi = u > hi ? u : hi;
        }
        if (S->I == 1)
            continue;
        assert_true(v->partial);
        if (hi == -INFINITY) {
            assert_false(v->has_completions);
            continue;
        }
        assert_true(v->has_completions);
        assert_true(fabs(v->best_utility - hi) <= 1e-9 * (1 + fabs(hi)));
        assert_true(fabs(v->worst_utility - lo) <= 1e-9 * (1 + fabs(lo)));
    }
    pl_evaluation_free(ev);
}

/* The frontiers the simulation keeps (sp_front_build): for one issue held
 * at each of its options in turn (a class; and once with nothing held),
 * every kept point is a package of the class that the constraints and red
 * lines allow, with its utilities; and at random reservations above the
 * build's floor the best Nash product over the kept points is the best over
 * the whole class, to within the build's slack. */
static void check_front(pl_scenario *sc, const space *S)
{
    sp_spec spec;
    sp_spec_default(&spec);
    sp_ctx c;
    assert_int_equal(sp_ctx_init(&c, sc, &spec), 0);
    if (c.K == 0 || c.K > 3) {
        sp_ctx_free(&c);
        return;
    }
    size_t K = c.K, I = S->I, nopt[8];
    int *ok = malloc(sizeof *ok * S->N);
    assert_non_null(ok);
    for (size_t i = 0; i < I; i++) {
        pl_issue_info ii;
        pl_scenario_issue(sc, i, &ii);
        nopt[i] = ii.n_options;
    }
    for (size_t x = 0; x < S->N; x++) {
        ok[x] = S->feasible[x];
        for (size_t k = 0; k < K && ok[x]; k++)
            for (size_t q = 0; q < pl_scenario_red_line_count(sc, c.act[k]); q++) {
                pl_rule_info r;
                pl_scenario_red_line(sc, c.act[k], q, &r);
                ok[x] &= rule_holds(sc, &r, S->pk + x * I);
            }
    }
    size_t fi = (size_t)rint_(0, (int)I - 1);
    double floor[3];
    for (size_t k = 0; k < K; k++)
        floor[k] = c.res[k] - rint_(0, 20);
    sp_front_work *ws = sp_front_work_new();
    assert_non_null(ws);
    /* Both builds: the grouped one, and the plain enumeration it falls back
     * to on spaces too large to test here. */
    long steps = (long)nopt[fi] + 1;
    for (long step = 0; step < 2 * steps; step++) {
        long o = step % steps - 1;
        pl__sp_front_plain = step >= steps;
        long fixed[8];
        for (size_t i = 0; i < I; i++)
            fixed[i] = -1;
        fixed[fi] = o;
        memcpy(c.res, floor, sizeof *floor * K);
        sp_front F;
        int rc = sp_front_build(&c, o >= 0 ? fixed : NULL, ws, &F);
        pl__sp_front_plain = 0;
        if (rc == 1)
            continue;
        assert_int_equal(rc, 0);
        /* Package codes count in package order, as the space lists them. */
        for (size_t p = 0; p < F.n; p++) {
            long pk[8];
            sp_front_decode(nopt, I, F.code[p], pk);
            size_t x = (size_t)F.code[p];
            assert_true(x < S->N && same_pkg(S->pk + x * I, pk, I));
            assert_true(ok[x] && (o < 0 || pk[fi] == o));
            for (size_t k = 0; k < K; k++) {
                double u = S->u[x * S->A + c.act[k]];
                assert_true(fabs(F.u[p * K + k] - u) <= 1e-9 * (1 + fabs(u)));
            }
        }
        for (int t = 0; t < 6; t++) {
            double r[3];
            for (size_t k = 0; k < K; k++)
                r[k] = floor[k] + rint_(0, 3000) / 100.0;
            double best = 0, got = 0;
            for (size_t x = 0; x < S->N; x++) {
                if (!ok[x] || (o >= 0 && S->pk[x * I + fi] != o))
                    continue;
                double prod = 1;
                for (size_t k = 0; k < K; k++) {
                    double g = S->u[x * S->A + c.act[k]] - r[k];
                    prod *= g > 0 ? g : 0;
                }
                best = prod > best ? prod : best;
            }
            for (size_t p = 0; p < F.n; p++) {
                double prod = 1;
                for (size_t k = 0; k < K; k++) {
                    double g = F.u[p * K + k] - r[k];
                    prod *= g > 0 ? g : 0;
                }
                got = prod > got ? prod : got;
            }
            assert_true(got <= best * (1 + 1e-9) + 1e-9);
            assert_true(got >= best - 1e-5 * (1 + best));
        }
        sp_front_free(&F);
    }
    sp_front_work_free(ws);
    free(ok);
    sp_ctx_free(&c);
}

static void run_random(int n, int hard, uint64_t seed)
{
    rng_state = seed;
    gen *g = malloc(sizeof *g);
    assert_non_null(g);
    for (int t = 0; t < n; t++) {
        make_scenario(g, hard);
        pl_scenario *sc;
        pl_diag d;
        pl_status st = pl_scenario_load_buffer("random.yaml", g->buf, g->len, &sc, &d);
        if (st != PL_OK)
            fail_msg("generated scenario did not load: %s:%d:%d: %s\n%s", d.file, d.line, d.col,
                     d.message, g->buf);
        space S;
        enumerate(sc, &S);
        check_zopa_and_solve(sc, &S);
        check_best_hinted(sc, &S);
        check_pareto(sc, &S);
        check_completions(sc, &S);
        check_front(sc, &S);
        space_free(&S);
        pl_scenario_free(sc);
    }
    free(g);
}

static void test_random_small(void **state)
{
    (void)state;
    run_random(1500, 0, 1);
}

static void test_random_harder(void **state)
{
    (void)state;
    run_random(500, 1, 2);
}

static void test_random_free_tail(void **state)
{
    (void)state;
    tests_on_front = 1;
    run_random(400, 1, 3);
    tests_on_front = 0;
}

static void test_mini_known(void **state)
{
    (void)state;
    pl_scenario *sc;
    assert_int_equal(pl_scenario_load_file(PL_TEST_DATA "/good/mini.yaml", &sc, NULL), PL_OK);
    pl_space_options o;
    pl_space_options_init(&o);
    pl_space *z;
    assert_int_equal(pl_zopa(sc, &o, &z, NULL), PL_OK);
    uint64_t n;
    assert_true(pl_space_count(z, &n));
    /* Hand count (latest state): strip=shared with a strong guarantee and
     * nothing or 10 bn, or a weak guarantee with 50 bn. */
    assert_int_equal(n, 3);
    pl_space_free(z);
    /* An empty ZOPA gives an empty solve, not an error. */
    assert_int_equal(pl_scenario_set_as_of(sc, "2025-02-20", NULL), PL_OK);
    assert_int_equal(pl_solve(sc, &o, &z, NULL), PL_OK);
    assert_true(pl_space_count(z, &n));
    pl_space_free(z);
    pl_bridges *b;
    assert_int_equal(pl_bridges_find(sc, &o, &b, NULL), PL_OK);
    assert_int_equal(pl_bridges_zopa_count(b), n);
    pl_bridges_free(b);
    pl_scenario_free(sc);
}

static void test_no_veto_actor(void **state)
{
    (void)state;
    static const char y[] =
        "parley: 1\nscenario: {id: x, name: X}\n"
        "actors: [{id: a, name: A, role: party, reservation: 1}]\n"
        "issues: [{id: i, name: I, status_quo: p, options: [{id: p, position: 0}, "
        "{id: q, position: 1}]}]\n"
        "preferences: {a: {weights: {i: 1}, scores: {i: [0, 100]}}}\n";
    pl_scenario *sc;
    assert_int_equal(pl_scenario_load_buffer("x.yaml", y, sizeof y - 1, &sc, NULL), PL_OK);
    pl_space_options o;
    pl_space_options_init(&o);
    pl_space *z = (pl_space *)1;
    pl_diag d;
    assert_int_equal(pl_zopa(sc, &o, &z, &d), PL_E_INPUT);
    assert_null(z);
    assert_non_null(strstr(d.message, "veto"));
    pl_space_free(NULL);
    pl_bridges_free(NULL);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_known),
        cmocka_unit_test(test_no_veto_actor),
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_harder),
        cmocka_unit_test(test_random_free_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
