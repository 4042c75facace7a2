/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the scenario loader and the model it builds, through the
 * public API only: tests/data/good/mini.yaml (every feature of the format) and
 * a few scenarios written here. Expected values are worked out in this file
 * from the numbers in the YAML, independently of the library: central values
 * of distributions by numerical integration, utilities and best/worst
 * completions by brute force over every package. */
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

#define MINI PL_TEST_DATA "/good/mini.yaml"
#define EPS 1e-9

/* cmocka 1.1 compares floats only. */
#define assert_double_equal(a, b, eps) \
    check_double((a), (b), (eps), #a, __FILE__, __LINE__)

static void check_double(double a, double b, double eps, const char *what, const char *file,
                         int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%s is %.17g, expected %.17g (within %g)\n", what, a, b, eps);
        _fail(file, line);
    }
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static pl_scenario *load_text(const char *name, const char *text)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_status st = pl_scenario_load_buffer(name, text, strlen(text), &sc, &d);
    if (st != PL_OK)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.message);
    assert_non_null(sc);
    return sc;
}

static pl_scenario *load_mini(void)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_status st = pl_scenario_load_file(MINI, &sc, &d);
    if (st != PL_OK)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.message);
    assert_non_null(sc);
    return sc;
}

static void set_as_of(pl_scenario *sc, const char *date)
{
    pl_diag d;
    assert_int_equal(pl_scenario_set_as_of(sc, date, &d), PL_OK);
}

static size_t idx(long v)
{
    assert_true(v >= 0);
    return (size_t)v;
}

static pl_actor_info actor(const pl_scenario *sc, const char *id)
{
    pl_actor_info ai;
    assert_int_equal(pl_scenario_actor(sc, idx(pl_scenario_find_actor(sc, id)), &ai), PL_OK);
    assert_string_equal(ai.id, id);
    return ai;
}

static pl_proposal_info proposal(const pl_scenario *sc, const char *id)
{
    pl_proposal_info pi;
    assert_int_equal(pl_scenario_proposal(sc, idx(pl_scenario_find_proposal(sc, id)), &pi),
                     PL_OK);
    assert_string_equal(pi.id, id);
    return pi;
}

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* Simpson's rule for the mean of a normal(mu, sd) truncated to [lo, hi]: the
 * loader uses the closed form, this integrates the density instead. */
static double truncated_normal_mean(double mu, double sd, double lo, double hi)
{
    if (isinf(lo))
        lo = mu - 14 * sd;
    if (isinf(hi))
        hi = mu + 14 * sd;
    const int n = 200000; /* even */
    double h = (hi - lo) / n, mass = 0, first = 0;
    for (int k = 0; k <= n; k++) {
        double x = lo + k * h, z = (x - mu) / sd;
        double f = exp(-0.5 * z * z);
        double wgt = (k == 0 || k == n) ? 1 : (k % 2 ? 4 : 2);
        mass += wgt * f;
        first += wgt * x * f;
    }
    return first / mass;
}

/* ------------------------------------------------------------------------ */
/* A reference model of mini.yaml, written from the file by hand             */

enum { STRIP, GUARANTEE, MONEY, N_ISSUES };
enum { A_HOLDS, SHARED, B_HOLDS };
enum { NONE, WEAK, STRONG };
enum { ZERO, SOME, LOTS };
enum { ACTOR_A, ACTOR_B, ACTOR_M };

/* Which events are applied. */
typedef struct phase {
    int talks;  /* ev_talks, 2025-02-15 */
    int soften; /* ev_soften, 2025-03-10 */
} phase;

static const phase ALL = {1, 1};

static double ref_utility(int a, const long *p, phase ph)
{
    if (a == ACTOR_A) {
        static const double s_strip[] = {100, 60, 0}, s_g[] = {0, 50, 100},
                            s_m[] = {0, 50, 100};
        double u = 0.5 * s_strip[p[STRIP]] + 0.3 * s_g[p[GUARANTEE]] + 0.2 * s_m[p[MONEY]];
        if (p[STRIP] == SHARED && p[GUARANTEE] < STRONG)
            u += -10; /* shared_needs_guarantee */
        return u;
    }
    /* b: strip weight is a normal truncated symmetrically about 60, so 60. */
    double s_g[] = {100, 60, ph.soften ? 30 : 0};
    static const double s_strip[] = {0, 50, 100};
    static const double s_m[] = {100, 80, 0.5 * 60 + 0.5 * 20};
    return 0.6 * s_strip[p[STRIP]] + 0.2 * s_g[p[GUARANTEE]] + 0.2 * s_m[p[MONEY]];
}

static double ref_reservation(int a, phase ph)
{
    if (a == ACTOR_A)
        return ph.talks ? 55 : 50;
    return (40.0 + 45.0 + 50.0) / 3.0; /* triangular */
}

static int ref_feasible(const long *p)
{
    return !(p[MONEY] == LOTS && p[STRIP] == B_HOLDS); /* money_needs_peace */
}

/* The ids of the red lines a package crosses, in pool order, joined by ','. */
static void ref_broken(int a, const long *p, phase ph, char *out, size_t size)
{
    out[0] = '\0';
    if (a == ACTOR_A) {
        if (p[STRIP] == B_HOLDS)
            snprintf(out + strlen(out), size - strlen(out), "keep_strip,");
        if (ph.talks && p[GUARANTEE] == NONE)
            snprintf(out + strlen(out), size - strlen(out), "want_guarantee,");
    } else if (!ph.soften) {
        static const int years[] = {0, 5, 20};
        if (!(years[p[GUARANTEE]] <= 5))
            snprintf(out + strlen(out), size - strlen(out), "no_strong,");
    }
}

static void verdict_broken(const pl_verdict *v, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t k = 0; k < v->n_red_lines_broken; k++)
        snprintf(out + strlen(out), size - strlen(out), "%s,", v->red_lines_broken[k]);
}

/* Check one verdict against the reference model, brute-forcing the best and
 * worst feasible completions of the open issues of `given`. */
static void check_verdict(const pl_scenario *sc, const pl_verdict *v, const long *given,
                          phase ph)
{
    int a = (int)v->actor;
    long sq[N_ISSUES] = {SHARED, NONE, ZERO};
    long pkg[N_ISSUES];
    int partial = 0;
    for (int i = 0; i < N_ISSUES; i++) {
        pkg[i] = given[i] >= 0 ? given[i] : sq[i];
        partial |= given[i] < 0;
    }
    assert_true(ref_feasible(pkg)); /* every headline package here is feasible */
    double u = ref_utility(a, pkg, ph), res = ref_reservation(a, ph);
    char want[256], got[256];
    ref_broken(a, pkg, ph, want, sizeof want);
    verdict_broken(v, got, sizeof got);
    assert_string_equal(got, want);
    assert_double_equal(v->utility, u, EPS);
    assert_double_equal(v->margin, u - res, EPS);
    assert_int_equal(v->accept, want[0] == '\0' && u - res >= -EPS);
    assert_int_equal(v->partial, partial);
    assert_true(v->n_reasons >= 1);
    if (!partial)
        return;
    /* Brute force over every completion of the open issues. */
    double best = -INFINITY, worst = INFINITY;
    long c[N_ISSUES];
    for (c[STRIP] = 0; c[STRIP] < 3; c[STRIP]++)
        for (c[GUARANTEE] = 0; c[GUARANTEE] < 3; c[GUARANTEE]++)
            for (c[MONEY] = 0; c[MONEY] < 3; c[MONEY]++) {
                int ok = ref_feasible(c);
                for (int i = 0; i < N_ISSUES; i++)
                    ok &= given[i] < 0 || given[i] == c[i];
                if (!ok)
                    continue;
                double x = ref_utility(a, c, ph);
                best = fmax(best, x);
                worst = fmin(worst, x);
            }
    assert_true(v->has_completions);
    assert_double_equal(v->best_utility, best, EPS);
    assert_double_equal(v->worst_utility, worst, EPS);
    /* The packages reported are completions of the proposal worth exactly that. */
    for (int i = 0; i < N_ISSUES; i++) {
        if (given[i] >= 0) {
            assert_int_equal(v->best_package[i], given[i]);
            assert_int_equal(v->worst_package[i], given[i]);
        }
    }
    double ub, uw;
    assert_int_equal(pl_package_utility(sc, v->actor, v->best_package, &ub), PL_OK);
    assert_int_equal(pl_package_utility(sc, v->actor, v->worst_package, &uw), PL_OK);
    assert_double_equal(ub, best, EPS);
    assert_double_equal(uw, worst, EPS);
    assert_true(ref_feasible(v->best_package) && ref_feasible(v->worst_package));
}

/* ------------------------------------------------------------------------ */
/* Counts, ids and plain values                                              */

static void test_counts_and_ids(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    assert_string_equal(in.id, "mini");
    assert_string_equal(in.name, "Mini border talks");
    assert_true(contains(in.description, "Two states and a mediator"));
    assert_string_equal(in.date, "2025-01-01");
    assert_string_equal(in.file, MINI);
    assert_int_equal(in.n_actors, 3);
    assert_int_equal(in.n_issues, 3);
    assert_int_equal(in.n_proposals, 3);
    assert_int_equal(in.n_evidence, 3);
    assert_int_equal(in.n_events, 2);
    assert_int_equal(in.n_constraints, 1);
    assert_int_equal(in.n_events_applied, 2);
    assert_double_equal(in.log10_packages, log10(27.0), EPS);
    assert_null(pl_scenario_as_of(sc));

    /* The hash is FNV-1a over the file's bytes. */
    size_t len;
    char *buf = read_all(MINI, &len);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)buf[i];
        h *= 1099511628211ull;
    }
    free(buf);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    assert_string_equal(in.hash, hex);

    static const char *const actors[] = {"a", "b", "m"};
    static const pl_role roles[] = {PL_ROLE_PARTY, PL_ROLE_PARTY, PL_ROLE_MEDIATOR};
    for (size_t k = 0; k < 3; k++) {
        pl_actor_info ai;
        assert_int_equal(pl_scenario_actor(sc, k, &ai), PL_OK);
        assert_string_equal(ai.id, actors[k]);
        assert_int_equal(ai.role, roles[k]);
        assert_int_equal(pl_scenario_find_actor(sc, actors[k]), (long)k);
    }
    pl_actor_info ai;
    assert_int_equal(pl_scenario_actor(sc, 3, &ai), PL_E_NOTFOUND);
    assert_int_equal(pl_scenario_find_actor(sc, "z"), -1);
    assert_int_equal(pl_scenario_find_actor(sc, NULL), -1);
    assert_string_equal(pl_role_string(PL_ROLE_MEDIATOR), "mediator");

    ai = actor(sc, "a");
    assert_string_equal(ai.name, "State A");
    assert_int_equal(ai.veto, 1);
    assert_int_equal(ai.has_preferences, 1);
    assert_double_equal(ai.capability, 0.4, EPS);
    assert_int_equal(ai.ratification_required, 1);
    assert_string_equal(ai.ratification_kind, "referendum");
    assert_double_equal(ai.support, 0.5, EPS); /* uniform 0.4..0.6 */
    assert_int_equal(ai.n_interactions, 1);
    ai = actor(sc, "b");
    assert_double_equal(ai.capability, 0.6, EPS);
    assert_int_equal(ai.ratification_required, 0);
    assert_string_equal(ai.ratification_kind, "");
    assert_double_equal(ai.support, -1, EPS); /* unknown */
    assert_double_equal(ai.reservation, 45, EPS); /* triangular 40, 45, 50 */
    ai = actor(sc, "m");
    assert_int_equal(ai.veto, 0);
    assert_int_equal(ai.has_preferences, 0);
    assert_double_equal(ai.capability, 0, EPS);
    assert_int_equal(ai.n_red_lines, 0);

    static const char *const issues[] = {"strip", "guarantee", "money"};
    static const char *const opts[3][3] = {{"a_holds", "shared", "b_holds"},
                                           {"none", "weak", "strong"},
                                           {"zero", "some", "lots"}};
    for (size_t i = 0; i < 3; i++) {
        pl_issue_info ii;
        assert_int_equal(pl_scenario_issue(sc, i, &ii), PL_OK);
        assert_string_equal(ii.id, issues[i]);
        assert_int_equal(ii.n_options, 3);
        assert_int_equal(pl_scenario_find_issue(sc, issues[i]), (long)i);
        for (size_t o = 0; o < 3; o++) {
            pl_option_info oi;
            assert_int_equal(pl_scenario_option(sc, i, o, &oi), PL_OK);
            assert_string_equal(oi.id, opts[i][o]);
            assert_double_equal(oi.position, 50.0 * (double)o, EPS);
            assert_int_equal(pl_scenario_find_option(sc, i, opts[i][o]), (long)o);
            assert_int_equal(oi.n_attrs, i == 0 ? 0 : 1);
        }
    }
    pl_option_info oi;
    assert_int_equal(pl_scenario_option(sc, 0, 1, &oi), PL_OK);
    assert_string_equal(oi.label, "Shared administration");
    assert_int_equal(pl_scenario_option(sc, 0, 3, &oi), PL_E_NOTFOUND);
    assert_int_equal(pl_scenario_find_option(sc, 0, "weak"), -1);
    const char *an;
    double av;
    assert_int_equal(pl_scenario_option_attr(sc, 1, 2, 0, &an, &av), PL_OK);
    assert_string_equal(an, "years");
    assert_double_equal(av, 20, EPS);
    assert_int_equal(pl_scenario_option_attr(sc, 2, 2, 0, &an, &av), PL_OK);
    assert_string_equal(an, "bn");
    assert_double_equal(av, 50, EPS);
    assert_int_equal(pl_scenario_option_attr(sc, 2, 2, 1, &an, &av), PL_E_NOTFOUND);

    /* Status quo. */
    pl_issue_info ii;
    pl_scenario_issue(sc, STRIP, &ii);
    assert_int_equal(ii.status_quo, SHARED);
    pl_scenario_issue(sc, GUARANTEE, &ii);
    assert_int_equal(ii.status_quo, NONE);
    pl_scenario_issue(sc, MONEY, &ii);
    assert_int_equal(ii.status_quo, ZERO);

    /* The global constraint and the interaction. */
    assert_int_equal(pl_scenario_constraint_count(sc), 1);
    pl_rule_info ri;
    assert_int_equal(pl_scenario_constraint(sc, 0, &ri), PL_OK);
    assert_string_equal(ri.id, "money_needs_peace");
    assert_int_equal(ri.kind, PL_RULE_FORBID);
    assert_string_equal(ri.expr, "money == lots and strip == b_holds");
    assert_string_equal(ri.text, "Donors pay only if A keeps a stake");
    assert_double_equal(ri.credence, 1, EPS);
    assert_int_equal(ri.active, 1);
    assert_int_equal(pl_scenario_interaction_count(sc, ACTOR_A), 1);
    pl_interaction_info xi;
    assert_int_equal(pl_scenario_interaction(sc, ACTOR_A, 0, &xi), PL_OK);
    assert_string_equal(xi.id, "shared_needs_guarantee");
    assert_string_equal(xi.when, "strip == shared and guarantee < strong");
    assert_double_equal(xi.bonus, -10, EPS);
    assert_int_equal(pl_scenario_interaction(sc, ACTOR_A, 1, &xi), PL_E_NOTFOUND);
    pl_scenario_free(sc);
}

static void test_weights_and_scores(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    /* a: 50/30/20 normalised. */
    assert_double_equal(pl_scenario_weight(sc, ACTOR_A, STRIP), 0.5, EPS);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_A, GUARANTEE), 0.3, EPS);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_A, MONEY), 0.2, EPS);
    /* b: strip is a normal(60, 5) truncated to [50, 70], whose mean is 60. */
    double m = truncated_normal_mean(60, 5, 50, 70);
    assert_double_equal(m, 60, 1e-9);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_B, STRIP), m / (m + 40), 1e-9);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_B, GUARANTEE), 20 / (m + 40), 1e-9);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_B, MONEY), 20 / (m + 40), 1e-9);
    for (size_t a = 0; a < 2; a++) {
        double sum = 0;
        for (size_t i = 0; i < 3; i++)
            sum += pl_scenario_weight(sc, a, i);
        assert_double_equal(sum, 1, EPS);
    }
    assert_double_equal(pl_scenario_weight(sc, ACTOR_M, STRIP), 0, EPS);
    assert_double_equal(pl_scenario_weight(sc, 7, STRIP), 0, EPS);

    assert_double_equal(pl_scenario_score(sc, ACTOR_A, STRIP, A_HOLDS), 100, EPS);
    assert_double_equal(pl_scenario_score(sc, ACTOR_A, STRIP, SHARED), 60, EPS);
    assert_double_equal(pl_scenario_score(sc, ACTOR_A, GUARANTEE, WEAK), 50, EPS);
    assert_double_equal(pl_scenario_score(sc, ACTOR_B, GUARANTEE, NONE), 100, EPS);
    assert_double_equal(pl_scenario_score(sc, ACTOR_B, MONEY, SOME), 80, EPS);
    /* Discrete: 0.5 * 60 + 0.5 * 20. */
    assert_double_equal(pl_scenario_score(sc, ACTOR_B, MONEY, LOTS), 40, EPS);
    /* Set to 30 by ev_soften (all events are applied by default). */
    assert_double_equal(pl_scenario_score(sc, ACTOR_B, GUARANTEE, STRONG), 30, EPS);
    assert_double_equal(pl_scenario_score(sc, ACTOR_M, STRIP, SHARED), 0, EPS);
    pl_scenario_free(sc);
}

/* Central values of every kind of distribution, in a scenario of our own. */
static const char EXTRA[] =
    "parley: 1\n"
    "scenario: {id: extra, name: Extra, date: 2025-01-01}\n"
    "actors:\n"
    "  - id: a\n"
    "    name: A\n"
    "    role: party\n"
    "    veto: true\n"
    "    capability: {dist: normal, mean: 2, sd: 1, low: 0}\n"
    "    reservation: {dist: normal, mean: 50, sd: 10, low: 45, high: 80}\n"
    "    ratification: {required: false, kind: parliament, support: {dist: point, value: 0.7}}\n"
    "  - id: b\n"
    "    name: B\n"
    "    role: guarantor\n"
    "    capability: {dist: triangular, low: 0, mode: 0, high: 3}\n"
    "    reservation: {dist: normal, mean: 30, sd: 4}\n"
    "issues:\n"
    "  - id: x\n"
    "    name: X\n"
    "    status_quo: x1\n"
    "    options: [{id: x1, position: 0}, {id: x2, position: 50}, {id: x3, position: 100}]\n"
    "  - id: y\n"
    "    name: Y\n"
    "    status_quo: y1\n"
    "    options: [{id: y1, position: 0}, {id: y2, position: 100}]\n"
    "preferences:\n"
    "  a:\n"
    "    weights: {x: 3, y: 1}\n"
    "    scores: {x: [0, 50, 100], y: [100, 0]}\n"
    "    red_lines:\n"
    "      - {id: doubtful, forbid: \"x == x1\", credence: 0.3}\n"
    "      - {id: real, forbid: \"y == y2 and x == x2\", credence: 0.5}\n"
    "  b:\n"
    "    weights: {x: {dist: uniform, low: 1, high: 3}, y: 0}\n"
    "    scores:\n"
    "      x:\n"
    "        x1: 100\n"
    "        x2: {dist: discrete, alternatives: [{value: 10, p: 0.25}, {value: 50, p: 0.75}]}\n"
    "        x3: {value: -20, assume: \"scores may be negative\"}\n"
    "timeline:\n"
    "  - id: e2\n"
    "    date: 2025-03-01\n"
    "    title: Later, listed first\n"
    "    changes:\n"
    "      - {op: drop_interaction, actor: a, id: bonus_x3}\n"
    "      - {op: set_reservation, actor: b, value: {dist: uniform, low: 10, high: 20}}\n"
    "  - id: e1\n"
    "    date: 2025-02-01\n"
    "    title: Earlier\n"
    "    changes:\n"
    "      - {op: set_status_quo, issue: x, option: x3}\n"
    "      - {op: set_weight, actor: a, issue: y, value: 3}\n"
    "      - {op: set_capability, actor: a, value: 5}\n"
    "      - {op: set_support, actor: a, value: 0.2}\n"
    "      - {op: add_interaction, actor: a, interaction: {id: bonus_x3, when: \"x == x3\", bonus: 7}}\n"
    "      - {op: set_score, actor: a, issue: y, option: y2, value: 40}\n"
    "      - {op: drop_red_line, actor: a, id: real}\n";

static void test_distributions(void **state)
{
    (void)state;
    pl_scenario *sc = load_text("extra.yaml", EXTRA);
    set_as_of(sc, "2025-01-01");
    pl_actor_info a = actor(sc, "a"), b = actor(sc, "b");
    /* Truncated normals, one- and two-sided, against numerical integration. */
    assert_double_equal(a.capability, truncated_normal_mean(2, 1, 0, INFINITY), 1e-7);
    assert_double_equal(a.reservation, truncated_normal_mean(50, 10, 45, 80), 1e-7);
    assert_true(a.reservation > 50); /* truncation on the left pulls the mean up */
    assert_double_equal(b.reservation, 30, EPS); /* unbounded: the plain mean */
    assert_double_equal(b.capability, 1, EPS);   /* triangular (0 + 0 + 3) / 3 */
    assert_double_equal(a.support, 0.7, EPS);    /* point */
    assert_string_equal(a.ratification_kind, "parliament");
    assert_int_equal(a.ratification_required, 0);
    /* Uniform weight 1..3 on x, 0 on y: all of b's weight is on x. */
    assert_double_equal(pl_scenario_weight(sc, 1, 0), 1, EPS);
    assert_double_equal(pl_scenario_weight(sc, 1, 1), 0, EPS);
    assert_double_equal(pl_scenario_score(sc, 1, 0, 1), 0.25 * 10 + 0.75 * 50, EPS);
    assert_double_equal(pl_scenario_score(sc, 1, 0, 2), -20, EPS);
    assert_double_equal(pl_scenario_weight(sc, 0, 0), 0.75, EPS);
    /* Credence 0.3 is not binding, 0.5 is. */
    assert_int_equal(a.n_red_lines, 1);
    pl_rule_info ri;
    assert_int_equal(pl_scenario_red_line(sc, 0, 0, &ri), PL_OK);
    assert_string_equal(ri.id, "real");
    assert_double_equal(ri.credence, 0.5, EPS);
    assert_int_equal(ri.active, 1);
    assert_int_equal(pl_scenario_red_line(sc, 0, 1, &ri), PL_E_NOTFOUND);
    pl_issue_info ii;
    pl_scenario_issue(sc, 0, &ii);
    assert_int_equal(ii.status_quo, 0);
    long pkg[2] = {2, 1};
    double u;
    assert_int_equal(pl_package_utility(sc, 0, pkg, &u), PL_OK);
    assert_double_equal(u, 0.75 * 100 + 0.25 * 0, EPS);

    /* Events apply in date order, whatever the file order. */
    pl_event_info ei;
    assert_int_equal(pl_scenario_event(sc, 0, &ei), PL_OK);
    assert_string_equal(ei.id, "e1");
    assert_int_equal(ei.n_changes, 7);
    assert_int_equal(ei.applied, 0);
    assert_int_equal(pl_scenario_event(sc, 1, &ei), PL_OK);
    assert_string_equal(ei.id, "e2");

    set_as_of(sc, "2025-02-01");
    a = actor(sc, "a");
    assert_double_equal(a.capability, 5, EPS);
    assert_double_equal(a.support, 0.2, EPS);
    assert_int_equal(a.n_interactions, 1);
    assert_int_equal(a.n_red_lines, 0);
    pl_scenario_issue(sc, 0, &ii);
    assert_int_equal(ii.status_quo, 2);
    assert_double_equal(pl_scenario_weight(sc, 0, 0), 0.5, EPS);
    assert_double_equal(pl_scenario_score(sc, 0, 1, 1), 40, EPS);
    assert_int_equal(pl_package_utility(sc, 0, pkg, &u), PL_OK);
    assert_double_equal(u, 0.5 * 100 + 0.5 * 40 + 7, EPS);
    assert_double_equal(actor(sc, "b").reservation, 30, EPS);

    set_as_of(sc, NULL);
    assert_int_equal(pl_scenario_interaction_count(sc, 0), 0);
    assert_int_equal(pl_package_utility(sc, 0, pkg, &u), PL_OK);
    assert_double_equal(u, 0.5 * 100 + 0.5 * 40, EPS);
    assert_double_equal(actor(sc, "b").reservation, 15, EPS);

    /* The status quo set by e1 is what a partial package is completed with. */
    pl_evaluation *ev;
    pl_diag d;
    long open_x[2] = {-1, 0};
    assert_int_equal(pl_evaluate_package(sc, open_x, &ev, &d), PL_OK);
    assert_int_equal(pl_evaluation_count(ev), 1);
    assert_int_equal(pl_evaluation_proposal(ev, 0), -1);
    assert_int_equal(pl_evaluation_package(ev, 0)[0], 2);
    assert_int_equal(pl_evaluation_package(ev, 0)[1], 0);
    pl_evaluation_free(ev);
    pl_scenario_free(sc);
}

/* ------------------------------------------------------------------------ */
/* Proposals, evidence and the timeline                                      */

static void test_proposals_and_evidence(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    pl_proposal_info p = proposal(sc, "p_share");
    assert_string_equal(p.name, "Shared strip, weak guarantee");
    assert_string_equal(p.date, "2025-02-01");
    assert_string_equal(p.author, "m");
    assert_int_equal(p.n_specified, 3);
    assert_int_equal(p.complete, 1);
    assert_int_equal(p.on_table, 1);
    assert_int_equal(pl_scenario_proposal_option(sc, 0, STRIP), SHARED);
    assert_int_equal(pl_scenario_proposal_option(sc, 0, GUARANTEE), WEAK);
    assert_int_equal(pl_scenario_proposal_option(sc, 0, MONEY), SOME);
    p = proposal(sc, "p_b");
    assert_string_equal(p.author, "b");
    assert_int_equal(p.complete, 1);
    assert_int_equal(p.on_table, 0); /* withdrawn by ev_soften */
    p = proposal(sc, "p_open");
    assert_string_equal(p.author, "");
    assert_int_equal(p.n_specified, 1);
    assert_int_equal(p.complete, 0);
    assert_int_equal(p.on_table, 1);
    assert_int_equal(pl_scenario_proposal_option(sc, 2, STRIP), SHARED);
    assert_int_equal(pl_scenario_proposal_option(sc, 2, GUARANTEE), -1);
    assert_int_equal(pl_scenario_proposal_option(sc, 2, MONEY), -1);
    assert_int_equal(pl_scenario_proposal_option(sc, 3, 0), -1);
    assert_int_equal(pl_scenario_find_proposal(sc, "p_none"), -1);
    pl_proposal_info pi;
    assert_int_equal(pl_scenario_proposal(sc, 3, &pi), PL_E_NOTFOUND);

    pl_evidence_info e;
    assert_int_equal(pl_scenario_evidence(sc, 0, &e), PL_OK);
    assert_string_equal(e.id, "e_a");
    assert_string_equal(e.outlet, "Gazette");
    assert_string_equal(e.title, "A says no");
    assert_string_equal(e.url, "https://example.org/a");
    assert_string_equal(e.date, "2025-01-02");
    assert_string_equal(e.reliability, "corroborated");
    assert_int_equal(e.n_contradicts, 0);
    assert_int_equal(pl_scenario_evidence(sc, 1, &e), PL_OK);
    assert_string_equal(e.id, "e_b");
    assert_string_equal(e.title, "");
    assert_string_equal(e.quote, "B wants the strip");
    assert_int_equal(e.n_contradicts, 1);
    assert_string_equal(e.contradicts[0], "e_c");
    assert_int_equal(pl_scenario_find_evidence(sc, "e_c"), 2);
    assert_int_equal(pl_scenario_evidence(sc, 2, &e), PL_OK);
    assert_string_equal(e.reliability, "disputed");
    assert_int_equal(pl_scenario_evidence(sc, 3, &e), PL_E_NOTFOUND);

    pl_event_info ev;
    assert_int_equal(pl_scenario_event(sc, 0, &ev), PL_OK);
    assert_string_equal(ev.id, "ev_talks");
    assert_string_equal(ev.date, "2025-02-15");
    assert_int_equal(ev.n_changes, 2);
    assert_int_equal(ev.applied, 1);
    assert_int_equal(ev.n_evidence, 1);
    assert_string_equal(ev.evidence[0], "e_a");
    assert_int_equal(pl_scenario_event(sc, 1, &ev), PL_OK);
    assert_string_equal(ev.id, "ev_soften");
    assert_string_equal(ev.title, "B softens on the guarantee");
    assert_int_equal(ev.n_changes, 3);
    assert_int_equal(pl_scenario_event(sc, 2, &ev), PL_E_NOTFOUND);
    pl_scenario_free(sc);
}

typedef struct as_of_case {
    const char *date;
    size_t applied;
    double res_a;
    size_t red_a, red_b;
    double b_strong;
    int on_share, on_b, on_open;
} as_of_case;

static void test_as_of(void **state)
{
    (void)state;
    static const as_of_case cases[] = {
        {"2024-06-01", 0, 50, 1, 1, 0, 0, 0, 0},  /* before the base date */
        {"2025-01-01", 0, 50, 1, 1, 0, 0, 0, 0},  /* the base date */
        {"2025-02-01", 0, 50, 1, 1, 0, 1, 0, 0},  /* p_share tabled that day */
        {"2025-02-12", 0, 50, 1, 1, 0, 1, 1, 0},
        {"2025-02-14", 0, 50, 1, 1, 0, 1, 1, 0},
        {"2025-02-15", 1, 55, 2, 1, 0, 1, 1, 0},  /* ev_talks applies on its day */
        {"2025-03-01", 1, 55, 2, 1, 0, 1, 1, 1},
        {"2025-03-09", 1, 55, 2, 1, 0, 1, 1, 1},
        {"2025-03-10", 2, 55, 2, 0, 30, 1, 0, 1}, /* ev_soften: p_b withdrawn */
        {"2030-12-31", 2, 55, 2, 0, 30, 1, 0, 1},
        {NULL, 2, 55, 2, 0, 30, 1, 0, 1},
    };
    pl_scenario *sc = load_mini();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const as_of_case *c = &cases[k];
        set_as_of(sc, c->date);
        if (c->date)
            assert_string_equal(pl_scenario_as_of(sc), c->date);
        else
            assert_null(pl_scenario_as_of(sc));
        pl_scenario_info in;
        pl_scenario_get_info(sc, &in);
        assert_int_equal(in.n_events_applied, c->applied);
        pl_event_info ei;
        pl_scenario_event(sc, 0, &ei);
        assert_int_equal(ei.applied, c->applied >= 1);
        pl_scenario_event(sc, 1, &ei);
        assert_int_equal(ei.applied, c->applied >= 2);
        pl_actor_info a = actor(sc, "a"), b = actor(sc, "b");
        assert_double_equal(a.reservation, c->res_a, EPS);
        assert_int_equal(a.n_red_lines, c->red_a);
        assert_int_equal(pl_scenario_red_line_count(sc, ACTOR_A), c->red_a);
        assert_int_equal(b.n_red_lines, c->red_b);
        assert_double_equal(pl_scenario_score(sc, ACTOR_B, GUARANTEE, STRONG), c->b_strong, EPS);
        assert_int_equal(proposal(sc, "p_share").on_table, c->on_share);
        assert_int_equal(proposal(sc, "p_b").on_table, c->on_b);
        assert_int_equal(proposal(sc, "p_open").on_table, c->on_open);
        pl_rule_info ri;
        assert_int_equal(pl_scenario_red_line(sc, ACTOR_A, 0, &ri), PL_OK);
        assert_string_equal(ri.id, "keep_strip");
        assert_int_equal(ri.kind, PL_RULE_FORBID);
        assert_string_equal(ri.text, "A never cedes the strip");
        if (c->red_a == 2) {
            assert_int_equal(pl_scenario_red_line(sc, ACTOR_A, 1, &ri), PL_OK);
            assert_string_equal(ri.id, "want_guarantee");
            assert_int_equal(ri.kind, PL_RULE_REQUIRE);
            assert_string_equal(ri.expr, "guarantee != none");
        }
        if (c->red_b == 1) {
            assert_int_equal(pl_scenario_red_line(sc, ACTOR_B, 0, &ri), PL_OK);
            assert_string_equal(ri.id, "no_strong");
            assert_double_equal(ri.credence, 0.9, EPS);
        }
    }

    /* A malformed date is refused and leaves a usable scenario behind. */
    set_as_of(sc, "2025-02-12");
    pl_diag d;
    static const char *const bad[] = {"2025-02-30", "2025-13-01", "2025-1-1", "", "yesterday",
                                      "2025-02-12x"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        memset(&d, 0, sizeof d);
        assert_int_equal(pl_scenario_set_as_of(sc, bad[k], &d), PL_E_INPUT);
        assert_int_equal(d.status, PL_E_INPUT);
        assert_true(contains(d.message, bad[k]));
        pl_scenario_info in;
        pl_scenario_get_info(sc, &in);
        const char *sel = pl_scenario_as_of(sc);
        assert_true(sel == NULL || strcmp(sel, "2025-02-12") == 0);
        assert_int_equal(in.n_events_applied, sel ? 0 : 2);
    }
    assert_int_equal(pl_scenario_set_as_of(NULL, NULL, &d), PL_E_ARG);
    pl_scenario_free(sc);
}

static void test_uncited(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    char *report = NULL;
    size_t n = 0;
    assert_int_equal(pl_scenario_uncited(sc, &report, &n), PL_OK);
    /* b's preferences cite nothing: 3 weights, 8 plain scores (the discrete
     * one cites evidence in every alternative), the credence of no_strong and
     * no_strong itself. Everything else is covered by its own citation or an
     * enclosing one. */
    assert_int_equal(n, 13);
    assert_true(contains(report, "preferences.b.weights.strip (" MINI ":88:22)\n"));
    assert_true(contains(report, "preferences.b.scores.money.some (" MINI ":94:15)\n"));
    assert_false(contains(report, "preferences.b.scores.money.lots"));
    assert_false(contains(report, "preferences.a."));
    assert_false(contains(report, "actors."));
    assert_false(contains(report, "keep_strip")); /* inherits a's preferences evidence */
    assert_true(contains(report, "no_strong"));
    size_t lines = 0;
    for (const char *s = report; *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, n);
    pl_free(report);
    assert_int_equal(pl_scenario_uncited(sc, NULL, &n), PL_E_ARG);
    pl_scenario_free(sc);

    sc = load_text("cited.yaml",
                   "parley: 1\n"
                   "scenario: {id: c, name: C}\n"
                   "evidence:\n"
                   "  - {id: e1, source: {outlet: O, date: 2025-01-01}, reliability: single}\n"
                   "actors:\n"
                   "  - {id: a, name: A, role: party, reservation: 1, evidence: [e1]}\n"
                   "issues:\n"
                   "  - id: x\n"
                   "    name: X\n"
                   "    status_quo: p\n"
                   "    options: [{id: p, position: 0}, {id: q, position: 1}]\n"
                   "preferences:\n"
                   "  a: {weights: {x: 1}, scores: {x: [0, 1]}, assume: \"made up\"}\n");
    assert_int_equal(pl_scenario_uncited(sc, &report, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_string_equal(report, "");
    pl_free(report);
    pl_scenario_free(sc);
}

/* ------------------------------------------------------------------------ */
/* Expressions, utilities and evaluate                                        */

static void test_expr_eval(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    typedef struct {
        const char *expr;
        long pkg[3];
        int want;
    } ec;
    static const ec cases[] = {
        {"strip == shared", {-1, -1, -1}, -1},
        {"strip == shared", {SHARED, -1, -1}, 1},
        {"strip == shared", {B_HOLDS, -1, -1}, 0},
        {"strip == shared and guarantee == strong", {SHARED, -1, -1}, -1},
        {"strip == shared and guarantee == strong", {A_HOLDS, -1, -1}, 0},
        {"strip == a_holds or guarantee == none", {A_HOLDS, -1, -1}, 1},
        {"strip == b_holds or guarantee == none", {A_HOLDS, -1, -1}, -1},
        {"guarantee.years <= 5", {-1, -1, -1}, -1},
        {"guarantee.years <= 5", {-1, WEAK, -1}, 1},
        {"guarantee.years <= 5", {-1, STRONG, -1}, 0},
        {"money.bn >= 0", {-1, -1, -1}, 1}, /* holds for every option */
        {"not (money in [zero, some])", {-1, -1, LOTS}, 1},
        {"money not in [zero, some]", {-1, -1, SOME}, 0},
        {"strip == shared implies guarantee != none", {B_HOLDS, -1, -1}, 1},
        {"strip == shared implies guarantee != none", {SHARED, -1, -1}, -1},
        {"strip == shared implies guarantee != none", {SHARED, NONE, -1}, 0},
        {"guarantee > weak", {-1, STRONG, -1}, 1},
        {"guarantee < weak || !(money == lots)", {SHARED, NONE, ZERO}, 1},
        {"true and false", {-1, -1, -1}, 0},
        {"strip >= shared && strip <= shared", {SHARED, NONE, ZERO}, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int v = 99;
        pl_diag d;
        assert_int_equal(pl_expr_eval(sc, cases[k].expr, cases[k].pkg, &v, &d), PL_OK);
        if (v != cases[k].want)
            fail_msg("'%s': got %d, want %d", cases[k].expr, v, cases[k].want);
    }
    /* Errors point into the expression. */
    pl_diag d;
    int v;
    long open[3] = {-1, -1, -1};
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_expr_eval(sc, "strip == nowhere", open, &v, &d), PL_E_INPUT);
    assert_int_equal(d.status, PL_E_INPUT);
    assert_string_equal(d.file, "<expr>");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 10);
    assert_true(contains(d.message, "unknown option 'nowhere' of issue 'strip'"));
    assert_string_equal(d.source_line, "strip == nowhere");
    assert_int_equal(pl_expr_eval(sc, "(strip == shared", open, &v, &d), PL_E_INPUT);
    assert_int_equal(d.col, 1);
    assert_true(contains(d.message, "unbalanced parenthesis"));
    assert_int_equal(pl_expr_eval(sc, "stirp == shared", open, &v, &d), PL_E_INPUT);
    assert_true(contains(d.message, "did you mean 'strip'?"));
    long bad[3] = {3, 0, 0};
    assert_int_equal(pl_expr_eval(sc, "strip == shared", bad, &v, &d), PL_E_ARG);
    long bad2[3] = {0, -2, 0};
    assert_int_equal(pl_expr_eval(sc, "strip == shared", bad2, &v, &d), PL_E_ARG);
    assert_int_equal(pl_expr_eval(sc, NULL, open, &v, &d), PL_E_ARG);
    assert_int_equal(pl_expr_eval(NULL, "true", open, &v, &d), PL_E_ARG);
    pl_scenario_free(sc);
}

static void test_package_utility(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    static const char *const dates[] = {"2025-01-01", "2025-02-20", NULL};
    static const phase phases[] = {{0, 0}, {1, 0}, {1, 1}};
    for (size_t k = 0; k < 3; k++) {
        set_as_of(sc, dates[k]);
        long p[N_ISSUES];
        int fired = 0;
        for (p[STRIP] = 0; p[STRIP] < 3; p[STRIP]++)
            for (p[GUARANTEE] = 0; p[GUARANTEE] < 3; p[GUARANTEE]++)
                for (p[MONEY] = 0; p[MONEY] < 3; p[MONEY]++)
                    for (int a = 0; a < 2; a++) {
                        double u = NAN;
                        assert_int_equal(pl_package_utility(sc, (size_t)a, p, &u), PL_OK);
                        assert_double_equal(u, ref_utility(a, p, phases[k]), EPS);
                        fired += a == ACTOR_A && p[STRIP] == SHARED && p[GUARANTEE] < STRONG;
                    }
        assert_int_equal(fired, 6); /* the interaction term was exercised */
    }
    /* Worked by hand: shared, weak, some -> 30 + 15 + 10 - 10. */
    long share[3] = {SHARED, WEAK, SOME};
    double u;
    assert_int_equal(pl_package_utility(sc, ACTOR_A, share, &u), PL_OK);
    assert_double_equal(u, 45, EPS);
    long strong[3] = {SHARED, STRONG, SOME};
    assert_int_equal(pl_package_utility(sc, ACTOR_A, strong, &u), PL_OK);
    assert_double_equal(u, 30 + 30 + 10, EPS);
    assert_int_equal(pl_package_utility(sc, ACTOR_M, share, &u), PL_E_NOTFOUND);
    long open[3] = {SHARED, -1, SOME};
    assert_int_equal(pl_package_utility(sc, ACTOR_A, open, &u), PL_E_ARG);
    long over[3] = {SHARED, 3, SOME};
    assert_int_equal(pl_package_utility(sc, ACTOR_A, over, &u), PL_E_ARG);
    assert_int_equal(pl_package_utility(sc, 9, share, &u), PL_E_ARG);
    assert_int_equal(pl_package_utility(sc, ACTOR_A, NULL, &u), PL_E_ARG);
    pl_scenario_free(sc);
}

static const pl_verdict *verdict_of(const pl_evaluation *ev, size_t k, const char *actor_id)
{
    for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
        const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
        if (strcmp(v->actor_id, actor_id) == 0)
            return v;
    }
    fail_msg("no verdict for '%s'", actor_id);
    return NULL;
}

static void check_evaluation(const pl_scenario *sc, const pl_evaluation *ev, phase ph)
{
    for (size_t k = 0; k < pl_evaluation_count(ev); k++) {
        long p = pl_evaluation_proposal(ev, k);
        assert_true(p >= 0);
        long given[N_ISSUES];
        for (size_t i = 0; i < N_ISSUES; i++)
            given[i] = pl_scenario_proposal_option(sc, (size_t)p, i);
        assert_int_equal(pl_evaluation_verdict_count(ev, k), 2); /* m has no preferences */
        int agreed = 1;
        for (size_t j = 0; j < 2; j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            assert_non_null(v);
            assert_int_equal(v->actor, j);
            check_verdict(sc, v, given, ph);
            agreed &= v->accept;
        }
        assert_null(pl_evaluation_verdict(ev, k, 2));
        assert_int_equal(pl_evaluation_agreed(ev, k), agreed);
        const long *pkg = pl_evaluation_package(ev, k);
        static const long sq[N_ISSUES] = {SHARED, NONE, ZERO};
        for (size_t i = 0; i < N_ISSUES; i++)
            assert_int_equal(pkg[i], given[i] >= 0 ? given[i] : sq[i]);
        const char *const *ids;
        assert_int_equal(pl_evaluation_constraints_broken(ev, k, &ids), 0);
    }
}

static void test_evaluate(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    pl_evaluation *ev = NULL;
    pl_diag d;
    assert_int_equal(pl_evaluate(sc, -1, &ev, &d), PL_OK);
    /* p_b was withdrawn: p_share and p_open are on the table. */
    assert_int_equal(pl_evaluation_count(ev), 2);
    assert_int_equal(pl_evaluation_proposal(ev, 0), 0);
    assert_int_equal(pl_evaluation_proposal(ev, 1), 2);
    check_evaluation(sc, ev, ALL);
    /* The values, written out. */
    const pl_verdict *v = verdict_of(ev, 0, "a");
    assert_int_equal(v->accept, 0);
    assert_double_equal(v->utility, 45, EPS);
    assert_double_equal(v->margin, -10, EPS);
    assert_int_equal(v->n_red_lines_broken, 0);
    assert_int_equal(v->partial, 0);
    assert_int_equal(v->has_completions, 0);
    assert_null(v->best_package);
    assert_int_equal(v->n_evidence, 1);
    assert_string_equal(v->evidence[0], "e_a");
    assert_true(contains(v->reasons[0], "10.0 below its reservation value 55.0"));
    v = verdict_of(ev, 0, "b");
    assert_int_equal(v->accept, 1);
    assert_double_equal(v->utility, 58, EPS);
    assert_double_equal(v->margin, 13, EPS);
    assert_int_equal(pl_evaluation_agreed(ev, 0), 0);
    v = verdict_of(ev, 1, "a");
    assert_int_equal(v->partial, 1);
    assert_int_equal(v->n_red_lines_broken, 1);
    assert_string_equal(v->red_lines_broken[0], "want_guarantee");
    assert_double_equal(v->utility, 20, EPS);
    assert_double_equal(v->best_utility, 80, EPS);
    assert_double_equal(v->worst_utility, 20, EPS);
    assert_int_equal(v->best_package[GUARANTEE], STRONG);
    assert_int_equal(v->best_package[MONEY], LOTS);
    v = verdict_of(ev, 1, "b");
    assert_int_equal(v->accept, 1);
    assert_double_equal(v->utility, 70, EPS);
    assert_double_equal(v->best_utility, 70, EPS);
    assert_double_equal(v->worst_utility, 44, EPS);
    pl_evaluation_free(ev);

    /* One proposal by index, even one no longer on the table. */
    assert_int_equal(pl_evaluate(sc, 1, &ev, &d), PL_OK);
    assert_int_equal(pl_evaluation_count(ev), 1);
    check_evaluation(sc, ev, ALL);
    v = verdict_of(ev, 0, "a");
    assert_int_equal(v->n_red_lines_broken, 2); /* keep_strip and want_guarantee */
    assert_double_equal(v->utility, 0, EPS);
    v = verdict_of(ev, 0, "b");
    assert_double_equal(v->utility, 100, EPS);
    assert_int_equal(v->accept, 1);
    pl_evaluation_free(ev);

    /* Earlier states of the world. */
    static const char *const dates[] = {"2025-02-12", "2025-03-05"};
    static const phase phases[] = {{0, 0}, {1, 0}};
    static const size_t counts[] = {2, 3};
    for (size_t k = 0; k < 2; k++) {
        set_as_of(sc, dates[k]);
        assert_int_equal(pl_evaluate(sc, -1, &ev, &d), PL_OK);
        assert_int_equal(pl_evaluation_count(ev), counts[k]);
        check_evaluation(sc, ev, phases[k]);
        pl_evaluation_free(ev);
    }
    set_as_of(sc, NULL);

    /* An ad-hoc package that breaks the global constraint. */
    long bad[3] = {B_HOLDS, STRONG, LOTS};
    assert_int_equal(pl_evaluate_package(sc, bad, &ev, &d), PL_OK);
    const char *const *ids;
    assert_int_equal(pl_evaluation_constraints_broken(ev, 0, &ids), 1);
    assert_string_equal(ids[0], "money_needs_peace");
    assert_int_equal(pl_evaluation_agreed(ev, 0), 0);
    for (size_t j = 0; j < pl_evaluation_verdict_count(ev, 0); j++) {
        v = pl_evaluation_verdict(ev, 0, j);
        assert_int_equal(v->accept, 0);
        assert_true(contains(v->reasons[0], "money_needs_peace"));
    }
    pl_evaluation_free(ev);
    /* A partial package whose open issues must avoid the constraint. */
    long part[3] = {B_HOLDS, -1, -1};
    assert_int_equal(pl_evaluate_package(sc, part, &ev, &d), PL_OK);
    assert_int_equal(pl_evaluation_constraints_broken(ev, 0, &ids), 0);
    for (size_t j = 0; j < 2; j++)
        check_verdict(sc, pl_evaluation_verdict(ev, 0, j), part, ALL);
    pl_evaluation_free(ev);

    /* Bad arguments. */
    assert_int_equal(pl_evaluate(sc, 3, &ev, &d), PL_E_NOTFOUND);
    assert_null(ev);
    assert_int_equal(pl_evaluate(sc, -2, &ev, &d), PL_E_NOTFOUND);
    assert_int_equal(pl_evaluate(NULL, -1, &ev, &d), PL_E_ARG);
    long over[3] = {0, 0, 5};
    assert_int_equal(pl_evaluate_package(sc, over, &ev, &d), PL_E_ARG);
    assert_null(ev);
    assert_int_equal(pl_evaluation_count(NULL), 0);
    assert_null(pl_evaluation_verdict(NULL, 0, 0));
    pl_scenario_free(sc);
}

static void test_json(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    pl_evaluation *ev;
    pl_diag d;
    assert_int_equal(pl_evaluate(sc, -1, &ev, &d), PL_OK);
    char *js = NULL;
    assert_int_equal(pl_evaluation_to_json(sc, ev, &js, &d), PL_OK);
    assert_non_null(js);
    static const char *const keys[] = {
        "\"proposals\"", "\"verdicts\"", "\"accept\"", "\"utility\"", "\"margin\"",
        "\"red_lines_broken\"", "\"reasons\"", "\"p_share\"", "\"p_open\"",
        "\"want_guarantee\"", "\"completions\"", "\"scenario\"", "\"margin\": -10",
        "\"utility\": 58"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (!contains(js, keys[k]))
            fail_msg("%s missing from the JSON", keys[k]);
    assert_false(contains(js, "\"p_b\""));
    assert_int_equal(js[0], '{');
    /* Deterministic. */
    char *js2 = NULL;
    assert_int_equal(pl_evaluation_to_json(sc, ev, &js2, &d), PL_OK);
    assert_string_equal(js, js2);
    pl_free(js);
    pl_free(js2);
    pl_evaluation_free(ev);

    assert_int_equal(pl_scenario_to_json(sc, &js, &d), PL_OK);
    assert_true(contains(js, "\"mini\""));
    assert_true(contains(js, "\"shared_needs_guarantee\""));
    assert_true(contains(js, "\"e_c\""));
    pl_free(js);
    assert_int_equal(pl_scenario_to_json(sc, NULL, &d), PL_E_ARG);
    assert_int_equal(pl_evaluation_to_json(sc, NULL, &js, &d), PL_E_ARG);
    pl_scenario_free(sc);
}

/* ------------------------------------------------------------------------ */
/* Memory                                                                    */

static long g_live;            /* blocks currently allocated */
static long g_allocs;          /* allocations and reallocations so far */
static long g_fail_at = -1;    /* fail exactly this allocation */
static long g_fail_from = -1;  /* fail every allocation from this one on */
static long g_failed;          /* failures injected */

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
    if (n == g_fail_at || (g_fail_from >= 0 && n >= g_fail_from)) {
        g_failed++;
        return NULL;
    }
    void *q = realloc(ptr, nsize);
    if (q && !ptr)
        g_live++;
    return q;
}

static void counting(long fail_at, long fail_from)
{
    g_allocs = 0;
    g_failed = 0;
    g_fail_at = fail_at;
    g_fail_from = fail_from;
}

static int setup_alloc(void **state)
{
    (void)state;
    g_live = 0;
    counting(-1, -1);
    pl_set_allocator(count_alloc, NULL);
    return 0;
}

static int teardown_alloc(void **state)
{
    (void)state;
    pl_set_allocator(NULL, NULL);
    return 0;
}

static void test_allocator_counts(void **state)
{
    (void)state;
    size_t len;
    char *buf = read_all(MINI, &len);
    pl_scenario *sc = NULL;
    pl_diag d;
    assert_int_equal(pl_scenario_load_buffer("mini.yaml", buf, len, &sc, &d), PL_OK);
    assert_true(g_allocs > 0);
    assert_true(g_live > 0);
    long held = g_live;
    pl_evaluation *ev;
    assert_int_equal(pl_evaluate(sc, -1, &ev, &d), PL_OK);
    char *js;
    assert_int_equal(pl_evaluation_to_json(sc, ev, &js, &d), PL_OK);
    assert_true(g_live > held);
    pl_free(js);
    pl_evaluation_free(ev);
    assert_int_equal(g_live, held);
    pl_scenario_free(sc);
    assert_int_equal(g_live, 0);
    /* Failed loads free everything too. */
    static const char bad[] = "parley: 1\nscenario: {id: s, name: S}\nactors: []\n";
    assert_int_equal(pl_scenario_load_buffer("bad", bad, strlen(bad), &sc, &d), PL_E_INPUT);
    assert_null(sc);
    assert_int_equal(g_live, 0);
    free(buf);
}

/* Check a scenario loaded despite injected failures is the real one. */
static void check_mini_shape(const pl_scenario *sc)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    assert_int_equal(in.n_actors, 3);
    assert_int_equal(in.n_issues, 3);
    assert_int_equal(in.n_proposals, 3);
    assert_int_equal(in.n_events, 2);
    assert_int_equal(in.n_constraints, 1);
    assert_int_equal(pl_scenario_red_line_count(sc, ACTOR_A), 2);
    assert_double_equal(pl_scenario_weight(sc, ACTOR_A, STRIP), 0.5, EPS);
}

static void test_allocation_failures_load(void **state)
{
    (void)state;
    size_t len;
    char *buf = read_all(MINI, &len);
    long nomem = 0;
    for (int mode = 0; mode < 2; mode++) {
        for (long n = 0;; n++) {
            assert_true(n < 100000);
            if (mode == 0)
                counting(n, -1); /* only the n-th allocation fails */
            else
                counting(-1, n); /* every allocation from the n-th on fails */
            pl_scenario *sc = (pl_scenario *)&sc; /* must be overwritten */
            pl_diag d;
            pl_status st = pl_scenario_load_buffer("mini.yaml", buf, len, &sc, &d);
            if (st == PL_OK) {
                check_mini_shape(sc);
                pl_scenario_free(sc);
            } else {
                if (st != PL_E_NOMEM)
                    fail_msg("allocation %ld failing (mode %d) gave status %d: %s", n, mode,
                             (int)st, d.message);
                assert_null(sc);
                assert_int_equal(d.status, PL_E_NOMEM);
                nomem++;
            }
            if (g_live != 0)
                fail_msg("allocation %ld failing (mode %d): %ld blocks leaked", n, mode, g_live);
            if (g_failed == 0)
                break; /* the load needs fewer than n + 1 allocations */
        }
    }
    assert_true(nomem > 0);
    free(buf);
}

static void test_allocation_failures_analyses(void **state)
{
    (void)state;
    pl_scenario *sc = load_mini();
    long held = g_live;
    for (long n = 0;; n++) {
        assert_true(n < 100000);
        counting(n, -1);
        pl_diag d;
        pl_evaluation *ev = NULL;
        pl_status st = pl_evaluate(sc, -1, &ev, &d);
        assert_true(st == PL_OK || st == PL_E_NOMEM);
        if (st == PL_OK) {
            check_evaluation(sc, ev, ALL);
            char *js = NULL;
            st = pl_evaluation_to_json(sc, ev, &js, &d);
            assert_true(st == PL_OK || st == PL_E_NOMEM);
            assert_true((st == PL_OK) == (js != NULL));
            pl_free(js);
        } else {
            assert_null(ev);
        }
        pl_evaluation_free(ev);
        char *js = NULL;
        st = pl_scenario_to_json(sc, &js, &d);
        assert_true(st == PL_OK || st == PL_E_NOMEM);
        pl_free(js);
        char *rep = NULL;
        size_t cnt;
        st = pl_scenario_uncited(sc, &rep, &cnt);
        assert_true(st == PL_OK || st == PL_E_NOMEM);
        pl_free(rep);
        st = pl_scenario_set_as_of(sc, "2025-02-20", &d);
        assert_true(st == PL_OK || st == PL_E_NOMEM);
        st = pl_scenario_set_as_of(sc, NULL, &d);
        assert_true(st == PL_OK || st == PL_E_NOMEM);
        assert_null(pl_scenario_as_of(sc));
        int v;
        long open[3] = {-1, -1, -1};
        st = pl_expr_eval(sc, "strip == shared or stirp == a_holds", open, &v, &d);
        assert_true(st == PL_E_INPUT || st == PL_E_NOMEM);
        if (g_live != held)
            fail_msg("allocation %ld failing: %ld blocks leaked", n, g_live - held);
        if (g_failed == 0)
            break;
    }
    counting(-1, -1);
    set_as_of(sc, NULL);
    pl_scenario_free(sc);
    assert_int_equal(g_live, 0);
}

static void test_free_null(void **state)
{
    (void)state;
    pl_scenario_free(NULL);
    pl_evaluation_free(NULL);
    pl_free(NULL);
    pl_scenario_info in;
    pl_scenario_get_info(NULL, &in);
    assert_int_equal(in.n_actors, 0);
    assert_null(pl_scenario_as_of(NULL));
    assert_int_equal(pl_scenario_find_issue(NULL, "x"), -1);
    assert_int_equal(pl_scenario_red_line_count(NULL, 0), 0);
}

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                               */

static void expect_diag(const char *name, const char *text, pl_status st, int line, int col,
                        const char *msg, const char *source_line)
{
    pl_scenario *sc = (pl_scenario *)&sc;
    pl_diag d;
    memset(&d, 'x', sizeof d); /* everything must be overwritten */
    assert_int_equal(pl_scenario_load_buffer(name, text, strlen(text), &sc, &d), st);
    assert_null(sc);
    assert_int_equal(d.status, st);
    assert_string_equal(d.file, name);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
    if (!contains(d.message, msg))
        fail_msg("message '%s' lacks '%s'", d.message, msg);
    assert_non_null(memchr(d.source_line, '\0', sizeof d.source_line));
    if (source_line)
        assert_string_equal(d.source_line, source_line);
    /* The same failure without a diag. */
    assert_int_equal(pl_scenario_load_buffer(name, text, strlen(text), &sc, NULL), st);
    assert_null(sc);
}

static void test_diagnostics(void **state)
{
    (void)state;
    expect_diag("d.yaml",
                "parley: 1\n"
                "scenario: {id: s, name: S}\n"
                "actors:\n"
                "  - {id: a, name: A, role: partty}\n"
                "issues: []\n",
                PL_E_INPUT, 4, 28, "unknown role 'partty' (did you mean 'party'?)",
                "  - {id: a, name: A, role: partty}");
    /* An error inside an expression points at the column inside the string. */
    expect_diag("e.yaml",
                "parley: 1\n"
                "scenario: {id: s, name: S}\n"
                "actors: [{id: a, name: A, role: party, reservation: 1}]\n"
                "issues:\n"
                "  - {id: x, name: X, status_quo: p, options: [{id: p, position: 0}, {id: q, position: 1}]}\n"
                "preferences:\n"
                "  a:\n"
                "    weights: {x: 1}\n"
                "    scores: {x: [0, 1]}\n"
                "    red_lines: [{id: r, forbid: \"x == p or x === q\"}]",
                PL_E_INPUT, 10, 48, "in red line 'r' of 'a': unexpected '=' (did you mean '=='?)",
                "    red_lines: [{id: r, forbid: \"x == p or x === q\"}]");
    /* CRLF line endings: no '\r' in the source line, columns unchanged. */
    expect_diag("crlf.yaml",
                "parley: 1\r\nscenario: {id: s, name: S, date: 2025-02-29}\r\nactors: []\r\n",
                PL_E_INPUT, 2, 34, "found '2025-02-29'", "scenario: {id: s, name: S, date: 2025-02-29}");
    /* A long line is cut to fit, still NUL-terminated. */
    char big[2048];
    int n = snprintf(big, sizeof big, "parley: 1\nscenario: {id: s, name: \"");
    memset(big + n, 'n', 900);
    snprintf(big + n + 900, sizeof big - (size_t)n - 900, "\", date: 2025-04-31}\nactors: []\n");
    pl_scenario *sc = NULL;
    pl_diag d;
    assert_int_equal(pl_scenario_load_buffer("long.yaml", big, strlen(big), &sc, &d), PL_E_INPUT);
    assert_int_equal(d.line, 2);
    assert_int_equal(strlen(d.source_line), sizeof d.source_line - 1);
    assert_int_equal(strncmp(d.source_line, "scenario: {id: s, name: \"nnn", 28), 0);
    /* Other statuses. */
    expect_diag("v.yaml", "parley: 2\n", PL_E_INPUT, 1, 9, "unsupported format version 2", "parley: 2");
    expect_diag("empty.yaml", "", PL_E_INPUT, 1, 1, "holds no YAML document", NULL);
    assert_int_equal(pl_scenario_load_buffer("x", NULL, 0, &sc, &d), PL_E_INPUT);
    assert_true(contains(d.message, "no YAML document"));
    assert_int_equal(pl_scenario_load_buffer("x", NULL, 5, &sc, &d), PL_E_ARG);
    assert_int_equal(pl_scenario_load_buffer("x", "a", 1, NULL, &d), PL_E_ARG);
    assert_int_equal(pl_scenario_load_file(NULL, &sc, &d), PL_E_ARG);
    assert_int_equal(pl_scenario_load_file(PL_TEST_DATA "/no/such/file.yaml", &sc, &d), PL_E_IO);
    assert_null(sc);
    assert_int_equal(d.status, PL_E_IO);
    assert_string_equal(d.file, PL_TEST_DATA "/no/such/file.yaml");
    assert_true(contains(d.message, "cannot open"));
    /* Over 64 MiB: refused before a byte is read. */
    size_t huge = ((size_t)64 << 20) + 1;
    char *mem = malloc(huge);
    assert_non_null(mem);
    assert_int_equal(pl_scenario_load_buffer("huge.yaml", mem, huge, &sc, &d), PL_E_INPUT);
    assert_true(contains(d.message, "larger than 64 MiB"));
    free(mem);
    /* The name defaults to "<buffer>". */
    assert_int_equal(pl_scenario_load_buffer(NULL, "[]", 2, &sc, &d), PL_E_INPUT);
    assert_string_equal(d.file, "<buffer>");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 1);
    /* Success clears a stale diag. */
    memset(&d, 'x', sizeof d);
    assert_int_equal(pl_scenario_load_file(MINI, &sc, &d), PL_OK);
    assert_int_equal(d.status, PL_OK);
    assert_string_equal(d.message, "");
    pl_scenario_free(sc);
    assert_string_equal(pl_status_string(PL_OK), pl_status_string(PL_OK));
    assert_true(strlen(pl_status_string(PL_E_NOMEM)) > 0);
    assert_string_equal(pl_version(), PL_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_ids),
        cmocka_unit_test(test_weights_and_scores),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_proposals_and_evidence),
        cmocka_unit_test(test_as_of),
        cmocka_unit_test(test_uncited),
        cmocka_unit_test(test_expr_eval),
        cmocka_unit_test(test_package_utility),
        cmocka_unit_test(test_evaluate),
        cmocka_unit_test(test_json),
        cmocka_unit_test_setup_teardown(test_allocator_counts, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_allocation_failures_load, setup_alloc,
                                        teardown_alloc),
        cmocka_unit_test_setup_teardown(test_allocation_failures_analyses, setup_alloc,
                                        teardown_alloc),
        cmocka_unit_test(test_free_null),
        cmocka_unit_test(test_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
