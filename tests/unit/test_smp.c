/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The spatial forecast lens (src/smp): KTAB's published examples against the
 * final positions KTAB's smpc computes (ktab_outputs.json), each formula step,
 * thread-count independence, the stochastic mode's reproducibility, the CSV
 * reader's errors and the forecast: section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "smp/smp.h"



static const char *const FIXTURES[] = {"SOE-Competitive", "SOE-Pol-Comp",  "SOE-Policy",
                                       "dummyData-a040",  "dummyData_3Dim", "dummyData_6Dim"};

static const char *fixture_dir(void)
{
    /* The fixtures live in the shared folder next to the repository; a copy
     * may sit in tests/data/smp. */
    static char dir[1024];
    const char *cands[] = {PL_SOURCE_DIR "/../shared/fixtures/ktab", "/work/shared/fixtures/ktab",
                           PL_TEST_DATA "/smp/ktab"};
    for (size_t k = 0; k < 3; k++) {
        char p[1100];
        snprintf(p, sizeof p, "%s/ktab_outputs.json", cands[k]);
        FILE *f = fopen(p, "rb");
        if (f) {
            fclose(f);
            snprintf(dir, sizeof dir, "%s", cands[k]);
            return dir;
        }
    }
    return NULL;
}

static pl_smp_model *load_fixture(const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.csv", fixture_dir(), name);
    pl_smp_model *m = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_smp_read_ktab_file(path, &m, &d);
    if (st != PL_OK)
        print_error("%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    assert_int_equal(st, PL_OK);
    return m;
}

/* ---- KTAB's examples ------------------------------------------------------- */

static void test_ktab_examples(void **state)
{
    (void)state;
    if (!fixture_dir()) {
        print_message("KTAB fixtures not found; skipped\n");
        skip();
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/ktab_outputs.json", fixture_dir());
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    assert_non_null(root);
    for (size_t f = 0; f < sizeof FIXTURES / sizeof FIXTURES[0]; f++) {
        char key[128];
        snprintf(key, sizeof key, "%s_csv", FIXTURES[f]);
        json_t *o = json_object_get(root, key);
        assert_non_null(o);
        pl_smp_model *m = load_fixture(FIXTURES[f]);
        pl_smp_result *r;
        pl_diag d;
        assert_int_equal(pl_smp_run(m, NULL, &r, &d), PL_OK);
        pl_smp_model_info mi;
        pl_smp_model_get_info(m, &mi);
        size_t T = pl_smp_result_states(r);
        assert_int_equal(T - 1, (size_t)json_integer_value(json_object_get(o, "rounds")));
        assert_true(pl_smp_result_converged(r));
        /* Final positions: KTAB's to 1e-6. */
        json_t *fp = json_object_get(o, "final_positions");
        const double *x = pl_smp_result_positions(r, T - 1);
        assert_int_equal(json_object_size(fp), mi.n_actors);
        for (size_t i = 0; i < mi.n_actors; i++) {
            pl_smp_actor_info ai;
            pl_smp_model_actor(m, i, &ai);
            json_t *v = json_object_get(fp, ai.name);
            assert_non_null(v);
            for (size_t k = 0; k < mi.n_dims; k++) {
                double want = json_real_value(json_array_get(v, k));
                if (fabs(want - x[i * mi.n_dims + k]) > 1e-6)
                    fail_msg("%s: actor %s dim %zu: %.10f, KTAB %.10f", FIXTURES[f], ai.name, k,
                             x[i * mi.n_dims + k], want);
            }
        }
        /* Every round's movement, as KTAB logs it (4 decimals). */
        json_t *fc = json_object_get(o, "frac_change");
        for (size_t t = 1; t < T; t++) {
            double want = json_real_value(json_array_get(fc, t - 1));
            if (json_is_integer(json_array_get(fc, t - 1)))
                want = (double)json_integer_value(json_array_get(fc, t - 1));
            assert_true(fabs(pl_smp_result_change(r, t) - want) <= 0.5e-4 + 1e-12);
        }
        /* Summaries: weighted means exactly; KTAB rounds probabilities to 4
         * decimals before its expected position, so that agrees to ~1e-3. */
        assert_true(fabs(pl_smp_result_modal_probability(r) -
                         json_real_value(json_object_get(o, "modal_prob"))) <= 0.5e-4 + 1e-12);
        assert_int_equal(pl_smp_result_distinct(r),
                         (size_t)json_integer_value(json_object_get(o, "unique_final_positions")));
        for (size_t k = 0; k < mi.n_dims; k++) {
            pl_smp_forecast fo;
            assert_int_equal(pl_smp_result_forecast(r, k, &fo), PL_OK);
            assert_true(fabs(fo.modal - json_real_value(json_array_get(json_object_get(o, "modal"), k))) < 1e-6);
            assert_true(fabs(fo.weighted_mean - json_real_value(json_array_get(json_object_get(o, "wmean_T"), k))) < 1e-9);
            assert_true(fabs(fo.initial_mean - json_real_value(json_array_get(json_object_get(o, "wmean_0"), k))) < 1e-9);
            assert_true(fabs(fo.expected - json_real_value(json_array_get(json_object_get(o, "expected"), k))) < 5e-3);
        }
        pl_smp_result_free(r);
        pl_smp_model_free(m);
    }
    json_decref(root);
}

/* ---- thread count and stochastic mode -------------------------------------- */

static pl_smp_result *run_with(pl_smp_model *m, unsigned threads, int stochastic, uint64_t seed)
{
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    pl_smp_params p = mi.params;
    p.threads = threads;
    p.transition = stochastic ? PL_SMP_STOCHASTIC : PL_SMP_DETERMINISTIC;
    p.seed = seed;
    pl_smp_result *r;
    pl_diag d;
    assert_int_equal(pl_smp_run(m, &p, &r, &d), PL_OK);
    return r;
}

static int same_result(const pl_smp_result *a, const pl_smp_result *b, size_t nd)
{
    if (pl_smp_result_states(a) != pl_smp_result_states(b))
        return 0;
    for (size_t t = 0; t < pl_smp_result_states(a); t++)
        if (memcmp(pl_smp_result_positions(a, t), pl_smp_result_positions(b, t),
                   nd * sizeof(double)) != 0)
            return 0;
    return 1;
}

/* A synthetic table big enough (80 actors) for every kernel to run threaded. */
static pl_smp_model *synthetic(size_t n, size_t d, uint64_t seed)
{
    pl_smp_model *m;
    assert_int_equal(pl_smp_model_new(n, d, &m, NULL), PL_OK);
    for (size_t i = 0; i < n; i++) {
        pl_smp_model_set_actor(m, i, NULL, NULL, 10 + 190 * smp_uniform(seed, 1, i));
        double left = 90;
        for (size_t k = 0; k < d; k++) {
            double s = k + 1 == d ? left : left * smp_uniform(seed, 2 + k, i) * 0.8;
            left -= s;
            pl_smp_model_set_value(m, i, k, floor(10000 * smp_uniform(seed, 50 + k, i)) / 100,
                                   floor(100 * s) / 100);
        }
    }
    return m;
}

static void test_threads_same_bits(void **state)
{
    (void)state;
    pl_smp_model *m = synthetic(80, 3, 42);
    pl_smp_result *a = run_with(m, 1, 0, 1), *b = run_with(m, 2, 0, 1), *c = run_with(m, 5, 0, 1);
    assert_true(same_result(a, b, 80 * 3));
    assert_true(same_result(a, c, 80 * 3));
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_result_free(c);
    pl_smp_model_free(m);
}

static void test_stochastic_reproducible(void **state)
{
    (void)state;
    pl_smp_model *m = synthetic(80, 2, 7);
    pl_smp_result *a = run_with(m, 1, 1, 99), *b = run_with(m, 3, 1, 99),
                  *c = run_with(m, 2, 1, 100), *det = run_with(m, 2, 0, 99);
    assert_true(same_result(a, b, 80 * 2));
    /* Another seed, or deterministic mode, takes another path. */
    assert_false(same_result(a, c, 80 * 2) && same_result(a, det, 80 * 2));
    pl_smp_result_free(a);
    pl_smp_result_free(b);
    pl_smp_result_free(c);
    pl_smp_result_free(det);
    pl_smp_model_free(m);
}

/* The engine's shortcuts (pruned target search, blocked kernels) against the
 * plain computation, bit for bit, over random tables: spread positions, and
 * positions on a coarse grid, where identical actors tie exactly. */
static pl_smp_model *grid_table(size_t n, size_t d, uint64_t seed)
{
    pl_smp_model *m;
    assert_int_equal(pl_smp_model_new(n, d, &m, NULL), PL_OK);
    for (size_t i = 0; i < n; i++) {
        /* Few distinct actors: copies of the first five, capability and all. */
        size_t src = i % 5;
        pl_smp_model_set_actor(m, i, NULL, NULL, 10 + 190 * smp_uniform(seed, 1, src));
        for (size_t k = 0; k < d; k++)
            pl_smp_model_set_value(m, i, k, 25 * floor(5 * smp_uniform(seed, 50 + k, src)),
                                   floor(9000 / (double)d) / 100);
    }
    return m;
}

static void expect_same_as_reference(const pl_smp_model *m, const pl_smp_params *p)
{
    pl_smp_result *a, *b;
    pl_diag d;
    assert_int_equal(pl_smp_run(m, p, &a, &d), PL_OK);
    assert_int_equal(smp_run_reference(m, p, &b, &d), PL_OK);
    const size_t n = m->n, nd = n * m->d;
    assert_true(same_result(a, b, nd));
    assert_int_equal(pl_smp_result_converged(a), pl_smp_result_converged(b));
    for (size_t t = 0; t < pl_smp_result_states(a); t++)
        for (size_t i = 0; i < n; i++) {
            double x = pl_smp_result_probability(a, t, i), y = pl_smp_result_probability(b, t, i);
            assert_memory_equal(&x, &y, sizeof x);
        }
    pl_smp_result_free(a);
    pl_smp_result_free(b);
}

static void test_shortcuts_exact(void **state)
{
    (void)state;
    static const size_t sizes[][2] = {{5, 1}, {9, 3}, {17, 2}, {33, 6}, {60, 4}, {70, 2}};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
        for (uint64_t seed = 1; seed <= 3; seed++)
            for (int v = 0; v < 4; v++) {
                const size_t n = sizes[z][0], d = sizes[z][1];
                pl_smp_model *m = v == 3 ? grid_table(n, d, seed) : synthetic(n, d, seed);
                pl_smp_params p;
                pl_smp_params_default(&p);
                p.threads = 1 + (unsigned)(seed % 2);
                if (v == 1) {
                    p.bargain = PL_SMP_BARGAIN_INIT_RCVR;
                    p.pce = PL_SMP_PCE_MARKOV_INCENTIVE;
                } else if (v == 2) {
                    p.risk_adjust = PL_SMP_RISK_ADJ_FULL;
                    p.risk_range = PL_SMP_RISK_MAX;
                    p.interp = PL_SMP_INTERP_S1P1;
                }
                expect_same_as_reference(m, &p);
                pl_smp_model_free(m);
            }
}

/* ---- formula steps --------------------------------------------------------- */

static void test_formulas(void **state)
{
    (void)state;
    /* u(d, R) = (1 - d)(1 + d R), and (1 - d)(1 + R) beyond d = 1. */
    assert_true(smp_util(0, 0.7) == 1);
    assert_true(fabs(smp_util(0.25, 1) - 0.75 * 1.25) < 1e-15);
    assert_true(fabs(smp_util(0.5, -0.5) - 0.5 * 0.75) < 1e-15);
    assert_true(fabs(smp_util(1.1, 0.5) - (-0.1 * 1.5)) < 1e-15);
    /* Salience-weighted distance: sqrt(sum s^2 dx^2 / sum s^2). */
    double a[2] = {0.2, 0.8}, b[2] = {0.6, 0.8}, s[2] = {0.3, 0.4};
    assert_true(fabs(smp_distance(a, b, s, 2) - sqrt(0.09 * 0.16 / 0.25)) < 1e-15);
    /* Votes and victory probabilities. */
    assert_true(fabs(smp_vote(PL_SMP_VOTE_PROP, 2, 0.7, 0.4) - 0.6) < 1e-15);
    assert_true(smp_vote(PL_SMP_VOTE_BINARY, 2, 0.7, 0.4) == 2);
    assert_true(fabs(smp_vote(PL_SMP_VOTE_ASYMPROSP, 3, 0.7, 0.4) - 0.6) < 1e-15);
    assert_true(fabs(smp_vote(PL_SMP_VOTE_ASYMPROSP, 3, 0.4, 0.7) + 0.9) < 1e-15);
    double p1, p2;
    smp_vprob(PL_SMP_VPM_LINEAR, 3, 1, &p1, &p2);
    assert_true(fabs(p1 - 0.75) < 1e-15 && fabs(p2 - 0.25) < 1e-15);
    smp_vprob(PL_SMP_VPM_SQUARE, 3, 1, &p1, &p2);
    assert_true(fabs(p1 - 0.9) < 1e-15);
    smp_vprob(PL_SMP_VPM_BINARY, 1.2, 1, &p1, &p2);
    assert_true(fabs(p1 - 1) < 1e-5);
    /* Conditional PCE of three options under two voters. */
    double w[2] = {1, 2}, u[6] = {1, 0.5, 0, 0, 0.5, 1}, c[9], pv[9], p[3];
    smp_coalitions(PL_SMP_VOTE_PROP, w, u, 2, 3, c);
    assert_true(fabs(c[1 * 3 + 0] - (1e-8 + 1.0)) < 1e-12);  /* option 1 over 0: voter 1 */
    assert_true(fabs(c[0 * 3 + 1] - (1e-8 + 0.5)) < 1e-12);  /* option 0 over 1: voter 0 */
    assert_int_equal(smp_pce(PL_SMP_PCE_CONDITIONAL, PL_SMP_VPM_LINEAR, c, 3, pv, p), 0);
    assert_true(fabs(p[0] + p[1] + p[2] - 1) < 1e-12);
    assert_true(p[2] > p[1] && p[1] > p[0]);
    double pm[3];
    assert_int_equal(smp_pce(PL_SMP_PCE_MARKOV_UNIFORM, PL_SMP_VPM_LINEAR, c, 3, pv, pm), 0);
    assert_true(fabs(pm[0] + pm[1] + pm[2] - 1) < 1e-5);
    assert_int_equal(smp_pce(PL_SMP_PCE_MARKOV_INCENTIVE, PL_SMP_VPM_LINEAR, c, 3, pv, pm), 0);
    assert_true(fabs(pm[0] + pm[1] + pm[2] - 1) < 1e-6);
    /* Risk attitudes on [-1/2, 1]: the least likely -1/2, the likeliest 1. */
    double r[3];
    smp_big_r(PL_SMP_RISK_MID, p, 3, r);
    assert_true(fabs(r[0] + 0.5) < 1e-12 && fabs(r[2] - 1) < 1e-12);
    smp_big_r(PL_SMP_RISK_MIN, p, 3, r);
    assert_true(fabs(r[0]) < 1e-12 && fabs(r[2] - 1) < 1e-12);
    double flat[2] = {0.5, 0.5};
    smp_big_r(PL_SMP_RISK_MID, flat, 2, r);
    assert_true(r[0] == 0 && r[1] == 0);
    assert_true(fabs(smp_est_r(PL_SMP_RISK_ADJ_ONE_THIRD, 1, -0.5) - 0.5) < 1e-15);
    assert_true(smp_est_r(PL_SMP_RISK_ADJ_FULL, 1, -0.5) == -0.5);
    /* Bargains: S2P2 weights s^2 P^2, rounded to 4 decimals. */
    assert_true(smp_round4(0.12345) == 0.1235 || fabs(smp_round4(0.12345) - 0.1235) < 1e-15);
    double ti[1] = {0.2}, tj[1] = {0.8}, si[1] = {0.5}, sj[1] = {0.5}, bi[1], bj[1];
    smp_interp(PL_SMP_INTERP_S2P2, ti, si, 0.5, tj, sj, 0.5, 1, bi, bj);
    assert_true(fabs(bi[0] - 0.5) < 1e-12 && fabs(bj[0] - 0.5) < 1e-12);
    smp_interp(PL_SMP_INTERP_S2P2, ti, si, 1.0, tj, sj, 0.0, 1, bi, bj);
    assert_true(fabs(bi[0] - 0.2) < 1e-12 && fabs(bj[0] - 0.2) < 1e-4);
    /* Stochastic draws depend only on (seed, round, actor). */
    assert_true(smp_uniform(1, 2, 3) == smp_uniform(1, 2, 3));
    assert_true(smp_uniform(1, 2, 3) != smp_uniform(1, 2, 4));
    assert_true(smp_uniform(1, 2, 3) >= 0 && smp_uniform(1, 2, 3) < 1);
}

/* ---- bad CSV ---------------------------------------------------------------- */

static void expect_csv_error(const char *csv, int line, int col, const char *needle)
{
    pl_smp_model *m = (pl_smp_model *)1;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_smp_read_ktab("t.csv", csv, strlen(csv), &m, &d);
    assert_int_equal(st, PL_E_INPUT);
    assert_null(m);
    if (d.line != line || (col && d.col != col) || !strstr(d.message, needle))
        fail_msg("got %d:%d '%s', want %d:%d '%s'", d.line, d.col, d.message, line, col, needle);
}

static void test_bad_csv(void **state)
{
    (void)state;
    const char *head = "S,desc,2,1\nActor,Desc,Power,P,S\n";
    char buf[512];
    expect_csv_error("", 0, 0, "empty file");
    expect_csv_error("S,desc,2\n", 1, 0, "line 1 must hold");
    expect_csv_error("S,desc,two,1\n", 1, 8, "number of actors");
    expect_csv_error("S,desc,1,1\nActor,Desc,Power,P,S\na,,1,50,50\n", 1, 8, "at least 2 actors");
    expect_csv_error("S,desc,2,2\nActor,Desc,Power,P,S\n", 2, 0,
                     "the header has 5 columns (1 dimension) but line 1 says 2 dimensions");
    expect_csv_error("S,desc,2,1\nActor,Desc,Power,P,S,P2,S2\n", 2, 22, "line 1 says 1 dimension");
    snprintf(buf, sizeof buf, "%sa,,x1,50,50\nb,,1,50,50\n", head);
    expect_csv_error(buf, 3, 4, "capability of 'a' must be a number, found 'x1'");
    snprintf(buf, sizeof buf, "%sa,,-3,50,50\nb,,1,50,50\n", head);
    expect_csv_error(buf, 3, 4, "capability of 'a' must be positive");
    snprintf(buf, sizeof buf, "%sa,,3,50,50\nb,,1,150,50\n", head);
    expect_csv_error(buf, 4, 6, "between 0 and 100");
    snprintf(buf, sizeof buf, "S,d,2,2\nActor,Desc,Power,P,S,P2,S2\na,,1,50,60,20,50\nb,,1,5,5,5,5\n");
    expect_csv_error(buf, 3, 15, "sum to 110, more than 100");
    snprintf(buf, sizeof buf, "%sa,,3,50,50\n", head);
    expect_csv_error(buf, 3, 0, "says 2 actors but the table ends after 1");
    snprintf(buf, sizeof buf, "%sa,,3,50,50\nb,,1,5,5\nc,,1,5,5\n", head);
    expect_csv_error(buf, 5, 1, "table has more");
    snprintf(buf, sizeof buf, "%sa,,3,50,50\na,,1,5,5\n", head);
    expect_csv_error(buf, 4, 1, "appears twice");
    snprintf(buf, sizeof buf, "%s\"a,,3,50,50\nb,,1,5,5\n", head);
    expect_csv_error(buf, 3, 1, "unterminated quoted field");
    snprintf(buf, sizeof buf, "%sa,,3,50,0\nb,,1,5,5\n", head);
    expect_csv_error(buf, 3, 0, "every salience of 'a' is 0");
    snprintf(buf, sizeof buf, "%sa,,3,50\nb,,1,5,5\n", head);
    expect_csv_error(buf, 3, 0, "actor row has 4 fields");
    /* A good one, with quotes, CRLF, trailing commas and blank lines. */
    const char *good = "\"My, scenario\",d,2,1,0,\r\nActor,Desc,Power,\"Pos\",Sal,\r\n"
                       "a, \"Actor \"\"A\"\"\", 3 ,50,50,\r\n\r\nb,,1,5,5\r\n\r\n";
    pl_smp_model *m;
    pl_diag d;
    assert_int_equal(pl_smp_read_ktab("g.csv", good, strlen(good), &m, &d), PL_OK);
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    assert_string_equal(mi.name, "My, scenario");
    pl_smp_actor_info ai;
    pl_smp_model_actor(m, 0, &ai);
    assert_string_equal(ai.description, "Actor \"A\"");
    assert_true(ai.capability == 3 && ai.position[0] == 50 && ai.salience[0] == 50);
    pl_smp_model_free(m);
}

/* ---- the forecast: section -------------------------------------------------- */

static const char *SCEN_HEAD =
    "parley: 1\n"
    "scenario: {id: t, name: T}\n"
    "evidence:\n"
    "  - {id: e1, source: {outlet: X, date: 2025-01-01}, reliability: single}\n"
    "actors:\n"
    "  - {id: a, name: A, role: party, capability: {value: 3, evidence: [e1]}, reservation: 0}\n"
    "  - {id: b, name: B, role: party, capability: 1, reservation: 0}\n"
    "  - {id: c, name: C, role: observer, capability: 1}\n"
    "issues:\n"
    "  - id: land\n    name: Land\n    status_quo: half\n    options:\n"
    "      - {id: none, label: N, position: 0}\n"
    "      - {id: half, label: H, position: 50}\n"
    "      - {id: all, label: A, position: 100}\n"
    "  - id: money\n    name: Money\n    status_quo: zero\n    options:\n"
    "      - {id: zero, label: Z, position: 0}\n"
    "      - {id: lots, label: L, position: 100}\n"
    "preferences:\n"
    "  a: {weights: {land: 60, money: 40}, scores: {land: [100, 50, 0], money: [0, 100]}}\n"
    "  b: {weights: {land: 80, money: 20}, scores: {land: [0, 40, 100], money: [100, 0]}}\n";

static pl_status load_with(const char *section, pl_scenario **sc, pl_diag *d)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", SCEN_HEAD, section);
    memset(d, 0, sizeof *d);
    return pl_scenario_load_buffer("t.yaml", buf, strlen(buf), sc, d);
}

static void expect_section_error(const char *section, int line, const char *needle)
{
    pl_scenario *sc;
    pl_diag d;
    assert_int_equal(load_with(section, &sc, &d), PL_E_INPUT);
    if ((line && d.line != line) || !strstr(d.message, needle))
        fail_msg("got %d:%d '%s', want line %d '%s'", d.line, d.col, d.message, line, needle);
}

static void test_section(void **state)
{
    (void)state;
    pl_scenario *sc;
    pl_diag d;
    /* No section: every issue, positions from the best option, saliences from weights. */
    assert_int_equal(load_with("", &sc, &d), PL_OK);
    pl_smp_model *m;
    assert_int_equal(pl_smp_model_from_scenario(sc, &m, &d), PL_OK);
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    assert_int_equal(mi.n_actors, 2); /* the observer has no preferences */
    assert_int_equal(mi.n_dims, 2);
    pl_smp_actor_info ai;
    pl_smp_model_actor(m, 0, &ai);
    assert_true(ai.capability == 3 && ai.position[0] == 0 && ai.position[1] == 100);
    assert_true(fabs(ai.salience[0] - 60) < 1e-9 && fabs(ai.salience[1] - 40) < 1e-9);
    assert_string_equal(pl_smp_model_actor_evidence(m, 0), "e1");
    pl_smp_model_free(m);
    pl_scenario_free(sc);

    /* Overrides. */
    assert_int_equal(load_with("forecast:\n"
                               "  dimensions: [land]\n"
                               "  parameters: {max_rounds: 5, victory_prob: square}\n"
                               "  actors:\n"
                               "    b: {capability: 2, positions: {land: 70}, saliences: {land: 30}}\n"
                               "    c: {positions: {land: {value: 40, evidence: [e1]}}, saliences: {land: 50}}\n",
                               &sc, &d),
                     PL_OK);
    assert_int_equal(pl_smp_model_from_scenario(sc, &m, &d), PL_OK);
    pl_smp_model_get_info(m, &mi);
    assert_int_equal(mi.n_actors, 3);
    assert_int_equal(mi.n_dims, 1);
    assert_int_equal(mi.params.max_rounds, 5);
    assert_int_equal(mi.params.vpm, PL_SMP_VPM_SQUARE);
    pl_smp_model_actor(m, 1, &ai);
    assert_true(ai.capability == 2 && ai.position[0] == 70 && ai.salience[0] == 30);
    pl_smp_result *r;
    assert_int_equal(pl_smp_run(m, NULL, &r, &d), PL_OK);
    assert_true(pl_smp_result_states(r) <= 6);
    char *json;
    assert_int_equal(pl_smp_result_to_json(m, r, 0, &json, &d), PL_OK);
    assert_non_null(strstr(json, "\"weighted_mean\""));
    assert_non_null(strstr(json, "\"positions\""));
    pl_free(json);
    pl_smp_result_free(r);
    pl_smp_model_free(m);
    pl_scenario_free(sc);

    expect_section_error("forecast:\n  dimensions: [land, guns]\n", 0, "guns");
    expect_section_error("forecast:\n  actors:\n    a: {saliences: {money: 70}}\n", 0,
                         "sum to 130, more than 100");
    expect_section_error("forecast:\n  dimensions: [land]\n  actors:\n    a: {saliences: {money: 10}}\n",
                         0, "not one of the forecast's dimensions");
    expect_section_error("forecast:\n  actors:\n    a: {capability: -1}\n", 0, "capability of 'a'");
    expect_section_error("forecast:\n  actors:\n    a: {capability: lots}\n", 0, "number");
    expect_section_error("forecast:\n  actors:\n    b: {exclude: true}\n", 0, "at least 2 actors");
    expect_section_error("forecast:\n  parameters: {voting_rule: propotional}\n", 0,
                         "did you mean 'proportional'");
    expect_section_error("forecast:\n  model: bdm\n", 0, "one dimension");
    expect_section_error("forecast:\n  actors:\n    c: {positions: {land: 10}}\n", 0,
                         "needs both its position and its salience");
    expect_section_error("forecast:\n  actors:\n    zz: {exclude: true}\n", 0, "zz");
}

/* ---- the classic BdM model --------------------------------------------------- */

static void test_bdm(void **state)
{
    (void)state;
    pl_smp_model *m = synthetic(12, 1, 3);
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    pl_smp_params p = mi.params;
    p.kind = PL_SMP_BDM;
    pl_smp_result *r, *r2;
    pl_diag d;
    assert_int_equal(pl_smp_run(m, &p, &r, &d), PL_OK);
    p.threads = 3;
    assert_int_equal(pl_smp_run(m, &p, &r2, &d), PL_OK);
    assert_true(same_result(r, r2, 12));
    size_t T = pl_smp_result_states(r);
    assert_true(T >= 2);
    const double *x = pl_smp_result_positions(r, T - 1);
    for (size_t i = 0; i < 12; i++)
        assert_true(x[i] >= 0 && x[i] <= 100);
    pl_smp_forecast f;
    assert_int_equal(pl_smp_result_forecast(r, 0, &f), PL_OK);
    assert_true(f.expected >= 0 && f.expected <= 100);
    pl_smp_result_free(r);
    pl_smp_result_free(r2);
    p.kind = PL_SMP_BDM;
    pl_smp_model_free(m);
    m = synthetic(5, 2, 3);
    assert_int_equal(pl_smp_run(m, &p, &r, &d), PL_E_INPUT);
    pl_smp_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas),
        cmocka_unit_test(test_ktab_examples),
        cmocka_unit_test(test_threads_same_bits),
        cmocka_unit_test(test_shortcuts_exact),
        cmocka_unit_test(test_stochastic_reproducible),
        cmocka_unit_test(test_bad_csv),
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_bdm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
