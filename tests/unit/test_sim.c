/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulation lens: sampling, robust, simulate, sensitivity. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parley.h"
#include "sim/simi.h"

static pl_scenario *load(const char *text)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_scenario_load_buffer("test.yaml", text, strlen(text), &sc, &d);
    if (st != PL_OK)
        fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    assert_int_equal(st, PL_OK);
    return sc;
}

static pl_scenario *load_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/sim/%s", PL_TEST_DATA, name);
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_scenario_load_file(path, &sc, &d);
    if (st != PL_OK)
        fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    assert_int_equal(st, PL_OK);
    return sc;
}

/* The value of "key": after the first occurrence of anchor in a JSON text. */
static double json_after(const char *json, const char *anchor, const char *key)
{
    const char *p = strstr(json, anchor);
    assert_non_null(p);
    char k[128];
    snprintf(k, sizeof k, "\"%s\": ", key);
    p = strstr(p, k);
    assert_non_null(p);
    return strtod(p + strlen(k), NULL);
}

/* deal_by_month[m - 1] from the JSON. */
static double deal_by(const char *json, int m)
{
    const char *p = strstr(json, "\"deal_by_month\": [");
    assert_non_null(p);
    p += strlen("\"deal_by_month\": [");
    for (int k = 1; k < m; k++) {
        p = strchr(p, ',');
        assert_non_null(p);
        p++;
    }
    return strtod(p, NULL);
}

static const char HEAD[] =
    "parley: 1\n"
    "scenario: {id: t, name: T, date: 2025-01-01}\n"
    "actors:\n"
    "  - {id: a, name: A, role: party, veto: true, reservation: %s}\n"
    "  - {id: b, name: B, role: party, veto: true, reservation: 40}\n"
    "issues:\n"
    "  - id: x\n"
    "    name: X\n"
    "    status_quo: mid\n"
    "    options:\n"
    "      - {id: lo, position: 0}\n"
    "      - {id: mid, position: 50}\n"
    "      - {id: hi, position: 100}\n"
    "preferences:\n"
    "  a:\n"
    "    weights: {x: 1}\n"
    "    scores: {x: [100, %s, 0]}\n"
    "  b:\n"
    "    weights: {x: 1}\n"
    "    scores: {x: [0, 50, 100]}\n"
    "proposals:\n"
    "  - {id: p_mid, name: Mid, options: {x: mid}}\n";

static char *scenario(const char *res_a, const char *mid_a, const char *war)
{
    size_t n = strlen(HEAD) + strlen(war) + 256;
    char *s = malloc(n);
    assert_non_null(s);
    int k = snprintf(s, n, HEAD, res_a, mid_a);
    snprintf(s + k, n - (size_t)k, "%s", war);
    return s;
}

/* ---- sampling ------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    /* Distinct (seed, run) pairs give distinct seeds; the same pair the same. */
    assert_true(sim_run_seed(1, 0) != sim_run_seed(1, 1));
    assert_true(sim_run_seed(1, 0) != sim_run_seed(2, 0));
    assert_true(sim_run_seed(5, 9) == sim_run_seed(5, 9));
    gsl_rng *r = sim_rng_new();
    assert_non_null(r);
    sim_rng_seed(r, 42);
    double a = gsl_rng_uniform(r);
    sim_rng_seed(r, 42);
    assert_true(a == gsl_rng_uniform(r));
    gsl_rng_free(r);
}

static void test_draws(void **state)
{
    (void)state;
    gsl_rng *r = sim_rng_new();
    sim_rng_seed(r, 7);
    pl_num u = {0}, t = {0}, n = {0}, d = {0};
    u.dist = DIST_UNIFORM;
    u.p[0] = 10, u.p[1] = 20;
    t.dist = DIST_TRIANGULAR;
    t.p[0] = 0, t.p[1] = 1, t.p[2] = 5;
    n.dist = DIST_NORMAL;
    n.p[0] = 0, n.p[1] = 1, n.p[2] = -0.5, n.p[3] = 2;
    pl_alt alt[2] = {{1, 0.25, {0}}, {3, 0.75, {0}}};
    d.dist = DIST_DISCRETE;
    d.alt = alt;
    d.n_alt = 2;
    const int N = 200000;
    double su = 0, st = 0, sd = 0, mn = 1e9, mx = -1e9;
    for (int k = 0; k < N; k++) {
        double x = sim_draw_num(&u, r);
        assert_true(x >= 10 && x <= 20);
        su += x;
        st += sim_draw_num(&t, r);
        double y = sim_draw_num(&n, r);
        mn = y < mn ? y : mn;
        mx = y > mx ? y : mx;
        sd += sim_draw_num(&d, r);
    }
    /* Means within ~5 standard errors. */
    assert_true(fabs(su / N - 15) < 5 * 2.89 / sqrt(N));
    assert_true(fabs(st / N - 2) < 5 * 1.08 / sqrt(N));
    assert_true(fabs(sd / N - 2.5) < 5 * 0.87 / sqrt(N));
    assert_true(mn >= -0.5 && mx <= 2);
    gsl_rng_free(r);
}

/* ---- simulate: known answers ----------------------------------------------- */

static const char WAR_FLAT[] =
    "war:\n"
    "  start: 2025-01-01\n"
    "  horizon: 6\n"
    "  fronts:\n"
    "    - {id: f, holder: b, control: 0.5}\n"
    "  talks: {rule: nash, noise: 10}\n";

/* Nash package x = mid with margins 10 for both; acceptance noise sd 10: each
 * month the deal is signed with p = Phi(1)^2, so P(deal by m) = 1 - (1-p)^m. */
static void test_simulate_geometric(void **state)
{
    (void)state;
    char *text = scenario("40", "50", WAR_FLAT);
    pl_scenario *sc = load(text);
    free(text);
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 20000;
    o.seed = 3;
    o.threads = 2;
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_simulate_json(sc, &o, &json, &d), PL_OK);
    double phi = 0.5 * erfc(-1 / sqrt(2.0)), p = phi * phi;
    for (int m = 1; m <= 6; m++) {
        double want = 1 - pow(1 - p, m), got = deal_by(json, m);
        double se = sqrt(want * (1 - want) / (double)o.runs);
        assert_true(fabs(got - want) < 5 * se + 1e-12);
    }
    pl_free(json);
    pl_scenario_free(sc);
}

static const char WAR_COST[] =
    "war:\n"
    "  start: 2025-01-01\n"
    "  horizon: 8\n"
    "  fronts:\n"
    "    - {id: f, holder: b, control: 0.5}\n"
    "  costs: {a: 1}\n"
    "  talks: {rule: nash}\n";

/* A's reservation 60 falls by 1 a month; mid is worth 55 to A: the ZOPA opens
 * in month 5, and with no noise every run signs then. */
static void test_simulate_cost_opens_zopa(void **state)
{
    (void)state;
    char *text = scenario("60", "55", WAR_COST);
    pl_scenario *sc = load(text);
    free(text);
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 50;
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_simulate_json(sc, &o, &json, &d), PL_OK);
    for (int m = 1; m <= 4; m++)
        assert_true(deal_by(json, m) == 0);
    for (int m = 5; m <= 8; m++)
        assert_true(deal_by(json, m) == 1);
    assert_true(json_after(json, "\"terms\"", "mid") == 1);
    pl_free(json);
    pl_scenario_free(sc);
}

/* ---- determinism ----------------------------------------------------------- */

static void test_simulate_threads_identical(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 1500;
    o.seed = 11;
    char *ref = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_simulate_json(sc, &o, &ref, &d), PL_OK);
    for (int t = 2; t <= 4; t++) {
        o.threads = t;
        char *json = NULL;
        assert_int_equal(pl_simulate_json(sc, &o, &json, &d), PL_OK);
        assert_string_equal(ref, json);
        pl_free(json);
    }
    /* A different seed gives a different answer. */
    o.seed = 12;
    char *other = NULL;
    assert_int_equal(pl_simulate_json(sc, &o, &other, &d), PL_OK);
    assert_true(strcmp(ref, other) != 0);
    pl_free(other);
    pl_free(ref);
    pl_scenario_free(sc);
}

static pl_scenario *load_reference(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/donbas-2025.yaml", PL_SOURCE_DIR);
    pl_scenario *sc = NULL;
    assert_int_equal(pl_scenario_load_file(path, &sc, NULL), PL_OK);
    return sc;
}

/* The monthly Nash package from the kept frontiers (src/sim/front.c) is the
 * exact search's, month by month: every answer the frontiers give is checked
 * against a fresh sp_best, on the reference scenario (whose samples repeat,
 * so most months go through the frontiers) and on war-mini; and the outputs
 * with and without frontiers are the same bytes, with 1 and 2 threads. */
static void test_front_exact(void **state)
{
    (void)state;
    pl_scenario *ref = load_reference();
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_scenario *mini = load_file("war-mini.yaml");
    pl_scenario *scs[2] = {ref, mini};
    for (int s = 0; s < 2; s++) {
        pl_sim_options o;
        pl_sim_options_init(&o);
        o.runs = s == 0 ? 1500 : 800;
        o.seed = 5;
        o.horizon = 24;
        atomic_store(&pl__sim_front_checked, 0);
        atomic_store(&pl__sim_front_mismatch, 0);
        pl__sim_front_mode = 2;
        char *checked = NULL;
        assert_int_equal(pl_simulate_json(scs[s], &o, &checked, &d), PL_OK);
        long n = atomic_load(&pl__sim_front_checked);
        if (s == 0)
            assert_true(n > 500); /* the frontiers answered, and were checked */
        assert_int_equal(atomic_load(&pl__sim_front_mismatch), 0);
        pl__sim_front_mode = 1;
        char *plain = NULL;
        assert_int_equal(pl_simulate_json(scs[s], &o, &plain, &d), PL_OK);
        pl__sim_front_mode = 0;
        assert_string_equal(checked, plain);
        o.threads = 2;
        char *fast = NULL;
        assert_int_equal(pl_simulate_json(scs[s], &o, &fast, &d), PL_OK);
        assert_string_equal(fast, plain);
        pl_free(checked);
        pl_free(plain);
        pl_free(fast);
    }
    pl_scenario_free(ref);
    pl_scenario_free(mini);
}

/* What MPI relies on: runs computed in pieces give the same records. */
static void test_run_ranges_compose(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 301;
    o.threads = 2;
    size_t sz = pl_sim_record_size(sc);
    unsigned char *all = malloc(sz * 301), *parts = malloc(sz * 301);
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_sim_run_range(sc, &o, 0, 301, all, &d), PL_OK);
    o.threads = 1;
    assert_int_equal(pl_sim_run_range(sc, &o, 0, 100, parts, &d), PL_OK);
    assert_int_equal(pl_sim_run_range(sc, &o, 100, 1, parts + sz * 100, &d), PL_OK);
    assert_int_equal(pl_sim_run_range(sc, &o, 101, 200, parts + sz * 101, &d), PL_OK);
    assert_memory_equal(all, parts, sz * 301);
    assert_int_equal(pl_sim_run_range(sc, &o, 250, 52, parts, &d), PL_E_ARG);
    free(all);
    free(parts);
    pl_scenario_free(sc);
}

/* The reference, 2,000 runs of 24 months from seed in one call (*plain),
 * and room for the same records made another way (*split). */
static pl_scenario *reference_runs(pl_sim_options *o, uint64_t seed, unsigned char **plain,
                                   unsigned char **split)
{
    pl_scenario *sc = load_reference();
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_sim_options_init(o);
    o->runs = 2000;
    o->seed = seed;
    o->horizon = 24;
    size_t sz = pl_sim_record_size(sc);
    *plain = malloc(sz * 2000);
    *split = malloc(sz * 2000);
    assert_non_null(*plain);
    assert_non_null(*split);
    assert_int_equal(pl_sim_run_range(sc, o, 0, 2000, *plain, &d), PL_OK);
    return sc;
}

/* A simulation split in two parts that share their frontiers (what MPI
 * ranks do): the same records as one call, every frontier answer checked
 * against sp_best, and each part built only its share. */
static void test_cache_parts(void **state)
{
    (void)state;
    pl_sim_options o;
    unsigned char *plain, *split;
    pl_scenario *sc = reference_runs(&o, 5, &plain, &split);
    size_t sz = pl_sim_record_size(sc);
    pl_diag d;
    memset(&d, 0, sizeof d);

    pl_sim_cache *c[2] = {NULL, NULL};
    unsigned char *b[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        o.threads = k + 1; /* the second part probes and builds on two threads */
        assert_int_equal(pl_sim_cache_new(sc, &o, &c[k], &d), PL_OK);
        assert_int_equal(pl_sim_cache_prepare(c[k], k, 2, &d), PL_OK);
        assert_int_equal(pl_sim_cache_export(c[k], &b[k], &len[k], &d), PL_OK);
        assert_true(len[k] > 100000); /* each built a share */
    }
    /* The shares are disjoint: after the exchange, each holds the sum. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(pl_sim_cache_import(c[k], b[1 - k], len[1 - k], &d), PL_OK);
        assert_int_equal(pl_sim_cache_import(c[k], b[1 - k], len[1 - k], &d), PL_OK);
        unsigned char *both = NULL;
        size_t n = 0;
        assert_int_equal(pl_sim_cache_export(c[k], &both, &n, &d), PL_OK);
        assert_int_equal(n, len[0] + len[1] - 24); /* one header, not two */
        pl_free(both);
    }
    atomic_store(&pl__sim_front_checked, 0);
    atomic_store(&pl__sim_front_mismatch, 0);
    pl__sim_front_mode = 2;
    assert_int_equal(pl_sim_cache_run_range(c[0], 0, 1200, split, &d), PL_OK);
    assert_int_equal(pl_sim_cache_run_range(c[1], 1200, 800, split + sz * 1200, &d), PL_OK);
    pl__sim_front_mode = 0;
    assert_true(atomic_load(&pl__sim_front_checked) > 300);
    assert_int_equal(atomic_load(&pl__sim_front_mismatch), 0);
    assert_memory_equal(plain, split, sz * 2000);

    /* Bad calls and bad bytes: refused with a reason, nothing added. */
    assert_int_equal(pl_sim_cache_prepare(c[0], 2, 2, &d), PL_E_ARG);
    assert_int_equal(pl_sim_cache_prepare(NULL, 0, 1, &d), PL_E_ARG);
    assert_int_equal(pl_sim_cache_run_range(c[0], 1999, 2, split, &d), PL_E_ARG);
    assert_int_equal(pl_sim_cache_import(c[0], (const unsigned char *)"hello", 5, &d),
                     PL_E_INPUT);
    assert_non_null(strstr(d.message, "not a parley simulation cache"));
    pl_sim_cache *fresh = NULL;
    assert_int_equal(pl_sim_cache_new(sc, &o, &fresh, &d), PL_OK);
    for (size_t cut = 0; cut < len[0]; cut += 1 + cut / 3) {
        memset(&d, 0, sizeof d);
        assert_int_equal(pl_sim_cache_import(fresh, b[0], cut, &d), PL_E_INPUT);
        assert_true(d.message[0] != 0);
    }
    unsigned char *bad = malloc(len[0]);
    assert_non_null(bad);
    memcpy(bad, b[0], len[0]);
    bad[4] ^= 1; /* the version */
    assert_int_equal(pl_sim_cache_import(fresh, bad, len[0], &d), PL_E_INPUT);
    assert_non_null(strstr(d.message, "version"));
    bad[4] ^= 1;
    /* The last frontier's last tree node is a leaf: give it a child. */
    int32_t child = 1;
    memcpy(bad + len[0] - 8, &child, sizeof child);
    assert_int_equal(pl_sim_cache_import(fresh, bad, len[0], &d), PL_E_INPUT);
    assert_non_null(strstr(d.message, "k-d tree"));
    unsigned char *none = NULL;
    size_t n_none = 0;
    assert_int_equal(pl_sim_cache_export(fresh, &none, &n_none, &d), PL_OK);
    assert_int_equal(n_none, 24); /* nothing was added */
    pl_free(none);
    /* Another scenario's cache. */
    pl_scenario *mini = load_file("war-mini.yaml");
    pl_sim_cache *other = NULL;
    assert_int_equal(pl_sim_cache_new(mini, &o, &other, &d), PL_OK);
    assert_int_equal(pl_sim_cache_import(other, b[0], len[0], &d), PL_E_INPUT);
    assert_non_null(strstr(d.message, "another scenario"));
    pl_sim_cache_free(other);
    pl_scenario_free(mini);
    pl_sim_cache_free(NULL);

    free(bad);
    pl_sim_cache_free(fresh);
    for (int k = 0; k < 2; k++) {
        pl_free(b[k]);
        pl_sim_cache_free(c[k]);
    }
    free(plain);
    free(split);
    pl_scenario_free(sc);
}

/* Parts that claim from one counter, as MPI ranks on one machine do: two
 * threads, each preparing its own cache. */
typedef struct claim_part {
    pl_sim_cache *c;
    atomic_long *next;
    pl_status st;
} claim_part;

static long claim_shared(void *arg)
{
    claim_part *p = arg;
    return atomic_fetch_add(p->next, 1);
}

static long claim_none(void *arg)
{
    (void)arg;
    return -1;
}

static void *prepare_part(void *arg)
{
    claim_part *p = arg;
    pl_diag d;
    memset(&d, 0, sizeof d);
    p->st = pl_sim_cache_prepare_claimed(p->c, claim_shared, p, &d);
    return NULL;
}

static void test_cache_claimed(void **state)
{
    (void)state;
    pl_sim_options o;
    unsigned char *plain, *split;
    pl_scenario *sc = reference_runs(&o, 7, &plain, &split);
    size_t sz = pl_sim_record_size(sc);
    pl_diag d;
    memset(&d, 0, sizeof d);

    /* Everything, by one part. */
    pl_sim_cache *whole = NULL;
    unsigned char *bw = NULL;
    size_t lw = 0;
    assert_int_equal(pl_sim_cache_new(sc, &o, &whole, &d), PL_OK);
    assert_int_equal(pl_sim_cache_prepare(whole, 0, 1, &d), PL_OK);
    assert_int_equal(pl_sim_cache_export(whole, &bw, &lw, &d), PL_OK);
    assert_true(lw > 100000);

    /* Two parts on one counter build between them exactly that, each item
     * once, however the claims interleave. */
    atomic_long next;
    atomic_init(&next, 0);
    claim_part p[2];
    pthread_t tid[2];
    for (int k = 0; k < 2; k++) {
        p[k] = (claim_part){NULL, &next, PL_E_INTERNAL};
        assert_int_equal(pl_sim_cache_new(sc, &o, &p[k].c, &d), PL_OK);
    }
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&tid[k], NULL, prepare_part, &p[k]), 0);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(pthread_join(tid[k], NULL), 0);
        assert_int_equal(p[k].st, PL_OK);
    }
    unsigned char *b[2];
    size_t len[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(pl_sim_cache_export(p[k].c, &b[k], &len[k], &d), PL_OK);
    assert_int_equal(len[0] + len[1] - 24, lw);
    for (int k = 0; k < 2; k++)
        assert_int_equal(pl_sim_cache_import(p[k].c, b[1 - k], len[1 - k], &d), PL_OK);
    atomic_store(&pl__sim_front_checked, 0);
    atomic_store(&pl__sim_front_mismatch, 0);
    pl__sim_front_mode = 2;
    assert_int_equal(pl_sim_cache_run_range(p[0].c, 0, 700, split, &d), PL_OK);
    assert_int_equal(pl_sim_cache_run_range(p[1].c, 700, 1300, split + sz * 700, &d), PL_OK);
    pl__sim_front_mode = 0;
    assert_true(atomic_load(&pl__sim_front_checked) > 300);
    assert_int_equal(atomic_load(&pl__sim_front_mismatch), 0);
    assert_memory_equal(plain, split, sz * 2000);

    /* A part that claims nothing builds nothing; no claim function is an
     * error. */
    pl_sim_cache *idle = NULL;
    unsigned char *bi = NULL;
    size_t li = 0;
    assert_int_equal(pl_sim_cache_new(sc, &o, &idle, &d), PL_OK);
    assert_int_equal(pl_sim_cache_prepare_claimed(idle, claim_none, NULL, &d), PL_OK);
    assert_int_equal(pl_sim_cache_export(idle, &bi, &li, &d), PL_OK);
    assert_int_equal(li, 24);
    assert_int_equal(pl_sim_cache_prepare_claimed(idle, NULL, NULL, &d), PL_E_ARG);
    assert_int_equal(pl_sim_cache_prepare_claimed(NULL, claim_none, NULL, &d), PL_E_ARG);

    pl_free(bi);
    pl_sim_cache_free(idle);
    for (int k = 0; k < 2; k++) {
        pl_free(b[k]);
        pl_sim_cache_free(p[k].c);
    }
    pl_free(bw);
    pl_sim_cache_free(whole);
    free(plain);
    free(split);
    pl_scenario_free(sc);
}

static void test_robust_threads_identical(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 400;
    char *a = NULL, *b = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_robust_json(sc, &o, &a, &d), PL_OK);
    o.threads = 3;
    assert_int_equal(pl_robust_json(sc, &o, &b, &d), PL_OK);
    assert_string_equal(a, b);
    pl_free(a);
    pl_free(b);
    pl_scenario_free(sc);
}

/* ---- robust against a direct recomputation --------------------------------- */

static const char ROBUST_TINY[] =
    "parley: 1\n"
    "scenario: {id: r, name: R, date: 2025-01-01}\n"
    "actors:\n"
    "  - {id: a, name: A, role: party, veto: true,\n"
    "     reservation: {dist: uniform, low: 30, high: 70}}\n"
    "  - {id: b, name: B, role: party, veto: true,\n"
    "     reservation: {dist: triangular, low: 20, mode: 40, high: 60}}\n"
    "issues:\n"
    "  - id: x\n"
    "    name: X\n"
    "    status_quo: m\n"
    "    options:\n"
    "      - {id: l, position: 0}\n"
    "      - {id: m, position: 50}\n"
    "      - {id: h, position: 100}\n"
    "  - id: y\n"
    "    name: Y\n"
    "    status_quo: n\n"
    "    options:\n"
    "      - {id: n, position: 0}\n"
    "      - {id: s, position: 100}\n"
    "preferences:\n"
    "  a:\n"
    "    weights: {x: {dist: uniform, low: 40, high: 80}, y: 30}\n"
    "    scores: {x: [100, 55, 0], y: [0, 100]}\n"
    "    red_lines:\n"
    "      - {id: no_h, forbid: \"x == h\", credence: 0.7}\n"
    "  b:\n"
    "    weights: {x: 70, y: 30}\n"
    "    scores: {x: [0, 50, 100], y: [100, {dist: discrete, alternatives: "
    "[{value: 20, p: 0.5}, {value: 60, p: 0.5}]}]}\n"
    "proposals:\n"
    "  - {id: p1, name: P1, options: {x: m, y: s}}\n";

static int direct_ok(const pl_scenario *vs, const long *pkg)
{
    uint8_t ch[8];
    for (size_t i = 0; i < vs->n_issues; i++)
        ch[i] = (uint8_t)pkg[i];
    for (size_t a = 0; a < vs->n_actors; a++) {
        if (!vs->actor[a].veto || !vs->actor[a].has_pref)
            continue;
        for (size_t k = 0; k < vs->cur.n_red[a]; k++) {
            const pl_rule *r = &vs->rule[vs->cur.red[a][k]];
            int t = px_eval(&r->ex, ch);
            if ((r->kind == PL_RULE_REQUIRE) != (t != 0))
                return 0;
        }
        if (model_utility(vs, a, pkg) < vs->cur.res[a])
            return 0;
    }
    return 1;
}

static void test_robust_vs_direct(void **state)
{
    (void)state;
    pl_scenario *sc = load(ROBUST_TINY);
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 3000;
    o.seed = 99;
    o.threads = 2;
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_robust_json(sc, &o, &json, &d), PL_OK);

    /* The same streams, an independent enumeration of the 6 packages. */
    sim_view v;
    assert_int_equal(sim_view_init(&v, sc), 0);
    gsl_rng *r = sim_rng_new();
    long open = 0, agreed = 0;
    for (long run = 0; run < o.runs; run++) {
        sim_rng_seed(r, sim_run_seed(o.seed, (uint64_t)run));
        assert_int_equal(sim_view_sample(&v, r, &d), 0);
        int any = 0;
        for (long x = 0; x < 3; x++)
            for (long y = 0; y < 2; y++) {
                long pkg[2] = {x, y};
                any |= direct_ok(&v.sc, pkg);
            }
        open += any;
        long p1[2] = {1, 1};
        agreed += direct_ok(&v.sc, p1);
    }
    gsl_rng_free(r);
    sim_view_free(&v);
    double pz = json_after(json, "\"zopa_nonempty\"", "p");
    double pa = json_after(json, "\"p1\"", "agreed");
    assert_true(fabs(pz - (double)open / (double)o.runs) < 1e-12);
    assert_true(fabs(pa - (double)agreed / (double)o.runs) < 1e-12);
    assert_true(pz > 0.05 && pz < 0.999);
    pl_free(json);
    pl_scenario_free(sc);
}

/* An analytic robust answer: one package worth 55 to A, A's reservation
 * uniform on [30, 70]: P(ZOPA non-empty) = P(res <= 55) = 25/40. */
static void test_robust_analytic(void **state)
{
    (void)state;
    char *text = scenario("{dist: uniform, low: 30, high: 70}", "55", "");
    pl_scenario *sc = load(text);
    free(text);
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 20000;
    o.seed = 5;
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_robust_json(sc, &o, &json, &d), PL_OK);
    double p = json_after(json, "\"zopa_nonempty\"", "p"), want = 25.0 / 40.0;
    assert_true(fabs(p - want) < 5 * sqrt(want * (1 - want) / 20000));
    assert_true(fabs(json_after(json, "\"p_mid\"", "agreed") - p) < 1e-12);
    pl_free(json);
    pl_scenario_free(sc);
}

/* ---- sensitivity ----------------------------------------------------------- */

static void test_sensitivity_ranks(void **state)
{
    (void)state;
    pl_scenario *sc = load(ROBUST_TINY);
    pl_sim_options o;
    pl_sim_options_init(&o);
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_sensitivity_json(sc, &o, &json, &d), PL_OK);
    /* Four uncertain numbers (the credence is not a distribution). */
    int rows = 0;
    for (const char *p = json; (p = strstr(p, "\"path\"")); p++)
        rows++;
    assert_int_equal(rows, 4);
    /* B's reservation from 20 to 60 closes the ZOPA (2 packages to 0): the
     * largest swing, ahead of A's (2 to 1). */
    const char *first = strstr(json, "\"rows\"");
    assert_non_null(first);
    const char *path = strstr(first, "\"path\": \"");
    assert_non_null(path);
    assert_memory_equal(path + 9, "actors.b.reservation", 20);
    pl_free(json);
    pl_scenario_free(sc);
}

/* The tornado's base probabilities come from the same streams as simulate:
 * within 12 months is deal_by_month[11], within the horizon is p_deal. */
static void test_sensitivity_horizon(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 300;
    o.seed = 5;
    char *sens = NULL, *sim = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_sensitivity_json(sc, &o, &sens, &d), PL_OK);
    assert_int_equal(pl_simulate_json(sc, &o, &sim, &d), PL_OK);
    double d12 = json_after(sens, "\"base\"", "deal12");
    double dh = json_after(sens, "\"base\"", "deal_horizon");
    assert_true(d12 == deal_by(sim, 12));
    assert_true(dh == json_after(sim, "\"p_deal\"", "p_deal"));
    assert_true(dh >= d12);
    assert_true(json_after(sens, "\"horizon\"", "horizon") == 24);
    assert_non_null(strstr(sens, "\"deal_horizon_low\""));
    pl_free(sens);
    pl_free(sim);
    pl_scenario_free(sc);
}

/* ---- game ---------------------------------------------------------------------- */

/* war-mini without its sequencings: the plain game. */
static pl_scenario *load_war_mini_plain(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/sim/war-mini.yaml", PL_TEST_DATA);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[16384];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    char *cut = strstr(text, "    sequencing:\n"); /* the last block of the file */
    assert_non_null(cut);
    *cut = '\0';
    return load(text);
}

/* war-mini's ZOPA has two packages: line+strong (a 70, b 55) and line+weak
 * (a 54, b 70). With one round, A's ultimatum takes strong (B's 55 beats its
 * reservation less a month's cost); with two or more, B proposes next and A
 * must concede weak already in round 1. */
static void test_game_backward_induction(void **state)
{
    (void)state;
    pl_scenario *sc = load_war_mini_plain();
    pl_game_options g;
    pl_game_options_init(&g);
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *json = NULL;
    g.rounds = 1;
    assert_int_equal(pl_game_json(sc, &g, &json, &d), PL_OK);
    assert_non_null(strstr(json, "\"guarantee\": \"strong\""));
    assert_true(json_after(json, "\"payoffs\"", "a") == 70);
    assert_non_null(strstr(json, "\"sequencing\": null"));
    assert_non_null(strstr(json, "\"sequencings\": []"));
    pl_free(json);
    g.rounds = 12;
    assert_int_equal(pl_game_json(sc, &g, &json, &d), PL_OK);
    assert_non_null(strstr(json, "\"guarantee\": \"weak\""));
    assert_true(json_after(json, "\"payoffs\"", "b") == 70);
    pl_free(json);
    /* The Gambit tree: 2 offers x (agreement, breakdown, round 2), round 2
     * with 2 offers x (agreement, breakdown, no agreement): 16 leaves. */
    g.rounds = 2;
    g.offers = 2;
    char *efg = NULL;
    assert_int_equal(pl_game_efg(sc, &g, &efg, &d), PL_OK);
    assert_memory_equal(efg, "EFG 2 R ", 8);
    int leaves = 0;
    for (const char *p = efg; (p = strstr(p, "\nt \"")); p++)
        leaves++;
    assert_int_equal(leaves, 16);
    assert_non_null(strstr(efg, "t \"no agreement\" 16 "));
    pl_free(efg);
    g.rounds = 30;
    assert_int_equal(pl_game_efg(sc, &g, &efg, &d), PL_E_ARG);
    assert_non_null(strstr(d.message, "at most 100000"));
    pl_scenario_free(sc);
}

/* A tiny war with one candidate package, (g yes, w leave): A gets its
 * guarantee, B the withdrawal; each is worth 50 to both. Under a_first A
 * delivers first and B, the late mover, would keep the withdrawal and take
 * the guarantee back: x'_b = (none, leave), worth 100 to B and 0 to A. */
static const char TINY_WAR[] =
    "parley: 1\n"
    "scenario: {id: tiny, name: Tiny, date: 2025-01-01}\n"
    "actors:\n"
    "  - {id: a, name: A, role: party, veto: true, reservation: 30}\n"
    "  - {id: b, name: B, role: party, veto: true, reservation: 45}\n"
    "issues:\n"
    "  - id: g\n"
    "    name: Guarantee\n"
    "    status_quo: none\n"
    "    options: [{id: none, position: 0}, {id: 'yes', position: 100}]\n"
    "  - id: w\n"
    "    name: Withdrawal\n"
    "    status_quo: stay\n"
    "    options: [{id: stay, position: 0}, {id: leave, position: 100}]\n"
    "preferences:\n"
    "  a:\n"
    "    weights: {g: 50, w: 50}\n"
    "    scores: {g: [0, 100], w: [40, 0]}\n"
    "  b:\n"
    "    weights: {g: 50, w: 50}\n"
    "    scores: {g: [100, 0], w: [0, 100]}\n"
    "war:\n"
    "  start: 2025-01-01\n"
    "  fronts: [{id: f, holder: b, control: 0.5}]\n"
    "  costs: {a: 1, b: 1}\n"
    "  talks:\n"
    "    sequencing:\n"
    "      options:\n"
    "        - {id: a_first, first: [a], renege: {a: 0.5}, cost: {a: 4, b: 20}}\n"
    "        - {id: at_once, renege: {a: 0.1, b: 0.2}, cost: {b: 20}}\n";

/* ---- a minimal reader of the .efg we write, to solve the tree -------------- */

typedef struct efg_rd {
    const char *p;
    int outcomes, bad;
    double psum_err;   /* largest |sum of a chance node's probabilities - 1| */
} efg_rd;

/* The tokens of one line: quoted strings (without quotes), braces, words. */
static int efg_tokens(efg_rd *R, char tok[][64], int max)
{
    int n = 0;
    while (*R->p && *R->p != '\n') {
        if (*R->p == ' ' || *R->p == ',') {
            R->p++;
            continue;
        }
        if (n == max) {
            R->bad = 1;
            return n;
        }
        size_t k = 0;
        if (*R->p == '"') {
            R->p++;
            while (*R->p && *R->p != '"' && k < 63)
                tok[n][k++] = *R->p++;
            if (*R->p == '"')
                R->p++;
        } else {
            while (*R->p && *R->p != ' ' && *R->p != ',' && *R->p != '\n' && k < 63)
                tok[n][k++] = *R->p++;
        }
        tok[n++][k] = '\0';
    }
    if (*R->p == '\n')
        R->p++;
    return n;
}

/* Solve the subtree at R->p by backward induction (a player takes the first
 * best action for itself; chance averages). */
static void efg_solve(efg_rd *R, double v[2])
{
    char tok[64][64];
    int n = efg_tokens(R, tok, 64);
    v[0] = v[1] = NAN;
    if (R->bad || n < 1) {
        R->bad = 1;
        return;
    }
    if (strcmp(tok[0], "t") == 0) {
        /* t "name" OUTCOME "" { x y } */
        if (n != 8 || strcmp(tok[4], "{") != 0 || strcmp(tok[7], "}") != 0 ||
            atoi(tok[2]) != R->outcomes + 1) {
            R->bad = 1;
            return;
        }
        R->outcomes++;
        v[0] = strtod(tok[5], NULL);
        v[1] = strtod(tok[6], NULL);
        return;
    }
    int open = -1, close = -1;
    for (int k = 0; k < n; k++) {
        if (strcmp(tok[k], "{") == 0 && open < 0)
            open = k;
        if (strcmp(tok[k], "}") == 0)
            close = k;
    }
    if (open < 0 || close < open) {
        R->bad = 1;
        return;
    }
    if (strcmp(tok[0], "p") == 0) {
        int player = atoi(tok[2]);
        if (player < 1 || player > 2 || open != 5) {
            R->bad = 1;
            return;
        }
        for (int a = 0; a < close - open - 1; a++) {
            double c[2];
            efg_solve(R, c);
            if (a == 0 || c[player - 1] > v[player - 1]) {
                v[0] = c[0];
                v[1] = c[1];
            }
        }
        return;
    }
    if (strcmp(tok[0], "c") == 0) {
        if (open != 4 || (close - open - 1) % 2 != 0) {
            R->bad = 1;
            return;
        }
        double sum = 0;
        v[0] = v[1] = 0;
        for (int a = 0; a < (close - open - 1) / 2; a++) {
            double pr = strtod(tok[open + 2 + 2 * a], NULL), c[2];
            sum += pr;
            efg_solve(R, c);
            v[0] += pr * c[0];
            v[1] += pr * c[1];
        }
        if (fabs(sum - 1) > R->psum_err)
            R->psum_err = fabs(sum - 1);
        return;
    }
    R->bad = 1;
}

/* The hand-computed tiny case (docs/simulate.md, "game"):
 *   a_first: B's gain from reneging 100 - 20 - 50 = 30 > 0, not
 *     self-enforcing; P = 0.5; B_a = 0.5*0 + 0.5*(30 - 1) - 0.5*4 = 12.5,
 *     B_b = 0.5*(100 - 20) + 0.5*(45 - 1) = 62.
 *   at_once: self-enforcing; P = 0.9*0.8 = 0.72;
 *     B_a = 0.72*50 + 0.28*29 = 44.12, B_b = 0.72*50 + 0.28*44 - 0.2*20 = 44.32.
 * Two rounds: in round 2 B must offer at_once (a_first leaves A 11.5 < 28);
 * in round 1 A offers at_once (B: 44.32 >= 0.05*44 + 0.95*43.32 = 43.354).
 * With a_first alone nothing beats waiting: A gets 0.05*29 + 0.95*28 = 28.05,
 * B 0.05*44 + 0.95*43 = 43.05. */
static void test_game_commitment(void **state)
{
    (void)state;
    pl_scenario *sc = load(TINY_WAR);
    pl_game_options g;
    pl_game_options_init(&g);
    g.rounds = 2;
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *json = NULL;
    assert_int_equal(pl_game_json(sc, &g, &json, &d), PL_OK);
    const double eps = 1e-9;
    /* The equilibrium. */
    const char *eq = strstr(json, "\"equilibrium\"");
    assert_non_null(eq);
    assert_non_null(strstr(eq, "\"sequencing\": \"at_once\""));
    assert_true(fabs(json_after(json, "\"equilibrium\"", "p_holds") - 0.72) < eps);
    assert_true(json_after(json, "\"equilibrium\"", "round") == 1);
    assert_true(fabs(json_after(eq, "\"payoffs\"", "a") - 44.12) < eps);
    assert_true(fabs(json_after(eq, "\"payoffs\"", "b") - 44.32) < eps);
    /* a_first: B is the late mover, its cherry-picked package and gain. */
    const char *s1 = strstr(json, "\"id\": \"a_first\"");
    assert_non_null(s1);
    const char *row = s1;
    while (row > json && strncmp(row, "\"alone\"", 7) != 0)
        row--; /* the row's object starts with "alone" (sorted keys) */
    const char *lm = strstr(s1, "\"late_movers\"");
    assert_non_null(lm);
    assert_true(fabs(json_after(lm, "\"b\"", "gain") - 30) < eps);
    const char *cp = strstr(lm, "\"package\": {");
    assert_non_null(cp);
    assert_non_null(strstr(cp, "\"g\": \"none\""));
    assert_true(strstr(cp, "\"g\": \"none\"") < strstr(cp, "\"w\": \"leave\""));
    assert_true(json_after(s1, "\"p_holds\"", "p_holds") == 0.5);
    assert_true(fabs(json_after(s1, "\"payoffs_if_agreed\"", "a") - 12.5) < eps);
    assert_true(fabs(json_after(s1, "\"payoffs_if_agreed\"", "b") - 62) < eps);
    assert_non_null(strstr(s1, "\"reneger\": \"b\""));
    assert_non_null(strstr(s1, "\"self_enforcing\": false"));
    /* ...and alone it yields no agreement. */
    assert_non_null(strstr(row, "\"round\": null"));
    assert_true(strstr(row, "\"round\": null") < s1);
    assert_true(fabs(json_after(row, "\"payoffs\"", "a") - 28.05) < eps);
    assert_true(fabs(json_after(row, "\"payoffs\"", "b") - 43.05) < eps);
    /* at_once: no late mover, self-enforcing. */
    const char *s2 = strstr(json, "\"id\": \"at_once\"");
    assert_non_null(s2);
    assert_non_null(strstr(s2, "\"late_movers\": {}"));
    assert_true(fabs(json_after(s2, "\"payoffs_if_agreed\"", "a") - 44.12) < eps);
    assert_true(fabs(json_after(s2, "\"payoffs_if_agreed\"", "b") - 44.32) < eps);
    assert_non_null(strstr(s2, "\"self_enforcing\": true"));
    pl_free(json);

    /* The Gambit tree of the same game: well-formed, and solving it gives
     * parley's equilibrium payoffs. Outcomes: per offer in a round, a_first
     * has 3 (collapse; comply, renege) and at_once 4 (holds; A, B, both
     * fail); plus a breakdown and (round 2) no agreement: round 2 has
     * 5 + 6 = 11 and round 1 (3 + 1 + 11) + (4 + 1 + 11) = 31. */
    char *efg = NULL;
    assert_int_equal(pl_game_efg(sc, &g, &efg, &d), PL_OK);
    assert_memory_equal(efg, "EFG 2 R ", 8);
    int depth = 0, minb = 0;
    for (const char *p = efg; *p; p++) {
        depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
        if (depth < minb)
            minb = depth;
    }
    assert_int_equal(depth, 0);
    assert_int_equal(minb, 0);
    assert_non_null(strstr(efg, "\"renege\""));
    efg_rd R = {0};
    R.p = strstr(efg, "\n\n");
    assert_non_null(R.p);
    R.p += 2;
    double v[2];
    efg_solve(&R, v);
    assert_false(R.bad);
    assert_int_equal(*R.p, '\0');
    assert_int_equal(R.outcomes, 31);
    assert_true(R.psum_err < 1e-12);
    assert_true(fabs(v[0] - 44.12) < 1e-5);
    assert_true(fabs(v[1] - 44.32) < 1e-5);
    pl_free(efg);

    /* One round: A's ultimatum is still at_once (a_first pays A only 12.5). */
    g.rounds = 1;
    assert_int_equal(pl_game_json(sc, &g, &json, &d), PL_OK);
    assert_non_null(strstr(json, "\"sequencing\": \"at_once\""));
    pl_free(json);
    pl_scenario_free(sc);
}

/* war-mini: under withdrawal_first B keeps the settled strip and takes the
 * guarantee back (weak -> none): 0.3 * (100 - 70) = 9 points with no cost;
 * under guarantees_first A, the late mover, has nothing to take back. */
static void test_game_war_mini(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_game_options g;
    pl_game_options_init(&g);
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *json = NULL;
    assert_int_equal(pl_game_json(sc, &g, &json, &d), PL_OK);
    const char *w = strstr(json, "\"id\": \"withdrawal_first\"");
    assert_non_null(w);
    assert_true(fabs(json_after(w, "\"late_movers\"", "gain") - 9) < 1e-9);
    assert_non_null(strstr(w, "\"self_enforcing\": false"));
    const char *gf = strstr(json, "\"id\": \"guarantees_first\"");
    assert_non_null(gf);
    assert_true(json_after(gf, "\"late_movers\"", "gain") == 0);
    assert_non_null(strstr(gf, "\"self_enforcing\": true"));
    assert_non_null(strstr(json, "\"sequencing\": \"simultaneous_snapback\""));
    pl_free(json);
    pl_scenario_free(sc);
}

/* ---- bad input -------------------------------------------------------------- */

static void expect_load_error(const char *war, int line, const char *msg)
{
    char *text = scenario("40", "50", war);
    pl_scenario *sc = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(pl_scenario_load_buffer("t.yaml", text, strlen(text), &sc, &d),
                     PL_E_INPUT);
    free(text);
    assert_null(sc);
    if (!strstr(d.message, msg) || d.line != line)
        fprintf(stderr, "got %d:%d: %s\n", d.line, d.col, d.message);
    assert_int_equal(d.line, line);
    assert_non_null(strstr(d.message, msg));
}

static void test_bad_war(void **state)
{
    (void)state;
    /* The scenario head is 22 lines; the war section starts on line 23. */
    expect_load_error("war:\n  start: 2025-01-01\n  horizon: 0\n"
                      "  fronts: [{id: f, holder: b, control: 0.5}]\n",
                      25, "horizon is zero");
    expect_load_error("war:\n  start: 2025-01-01\n"
                      "  fronts: [{id: f, holder: zz, control: 0.5}]\n",
                      25, "unknown actor 'zz'");
    expect_load_error("war:\n  start: 2025-01-01\n"
                      "  fronts: [{id: f, holder: b, control: 1.5}]\n",
                      25, "between 0 and 1");
    expect_load_error("war:\n  start: 2025-01-01\n"
                      "  fronts: [{id: f, holder: b, control: 0.5}]\n"
                      "  talks: {rule: drafts, drafts: [nope]}\n",
                      26, "unknown proposal 'nope'");
    expect_load_error("war:\n  start: 2025-01-01\n"
                      "  fronts: [{id: f, holder: b, control: 0.5,\n"
                      "            effects: [{actor: a, issue: x, option: zz, score: 1}]}]\n",
                      26, "unknown option 'zz'");
    expect_load_error("war:\n  start: 2025-01-01\n  fronts: []\n", 25, "at least one front");
}

static void test_bad_options(void **state)
{
    (void)state;
    pl_scenario *sc = load_file("war-mini.yaml");
    pl_sim_options o;
    pl_sim_options_init(&o);
    char *json = NULL;
    pl_diag d;
    memset(&d, 0, sizeof d);
    o.runs = 0;
    assert_int_equal(pl_simulate_json(sc, &o, &json, &d), PL_E_ARG);
    assert_non_null(strstr(d.message, "at least 1"));
    o.runs = -5;
    assert_int_equal(pl_robust_json(sc, &o, &json, &d), PL_E_ARG);
    assert_null(json);
    pl_scenario_free(sc);
    /* No war section: simulate refuses with a clear message. */
    char *text = scenario("40", "50", "");
    sc = load(text);
    free(text);
    pl_sim_options_init(&o);
    assert_int_equal(pl_simulate_json(sc, &o, &json, &d), PL_E_INPUT);
    assert_non_null(strstr(d.message, "no 'war:' section"));
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_draws),
        cmocka_unit_test(test_simulate_geometric),
        cmocka_unit_test(test_simulate_cost_opens_zopa),
        cmocka_unit_test(test_simulate_threads_identical),
        cmocka_unit_test(test_run_ranges_compose),
        cmocka_unit_test(test_front_exact),
        cmocka_unit_test(test_cache_parts),
        cmocka_unit_test(test_cache_claimed),
        cmocka_unit_test(test_robust_threads_identical),
        cmocka_unit_test(test_robust_vs_direct),
        cmocka_unit_test(test_robust_analytic),
        cmocka_unit_test(test_sensitivity_ranks),
        cmocka_unit_test(test_sensitivity_horizon),
        cmocka_unit_test(test_game_backward_induction),
        cmocka_unit_test(test_game_commitment),
        cmocka_unit_test(test_game_war_mini),
        cmocka_unit_test(test_bad_war),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
