/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the GENIUS importer (src/io/genius.c, docs/genius.md).
 *
 * The expected utilities are computed here from numbers transcribed by hand
 * from the XML files, never from the importer's own tables, and compared
 * with what the loader makes of the generated YAML (pl_package_utility). The
 * shared fixtures (../shared/fixtures/genius beside the checkout) are used
 * when present; the tests that need them are skipped, with a message, when
 * they are not. tests/data/genius holds small files of our own: a domain with
 * discrete, integer and real issues, two profiles, and one file per class of
 * bad input, each checked for its exact FILE:LINE:COL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "parley.h"
#include "parley.h"

#define FIXTURES PL_SOURCE_DIR "/../shared/fixtures/genius"
#define DATA PL_TEST_DATA "/genius"
#define EPS 1e-9

/* ------------------------------------------------------------------------ */
/* A counting, failure-injecting allocator                                   */

static long g_live, g_allocs, g_fail_from = -1;

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
    g_live = g_allocs = 0;
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
/* Helpers                                                                    */

static int have_fixtures(void)
{
    struct stat st;
    if (stat(FIXTURES "/Laptop/laptop_domain.xml", &st) == 0)
        return 1;
    print_message("[  SKIP    ] GENIUS fixtures not found at %s (clone shared/ beside the "
                  "checkout to run this test)\n",
                  FIXTURES);
    return 0;
}

/* Import and load; fails the test on any error. */
static pl_scenario *import_load(const char *domain, const char *const *profiles, size_t n,
                                pl_genius_semantics sem, char **yaml_out)
{
    char *yaml = NULL;
    pl_diag d;
    pl_status st = pl_import_genius(domain, profiles, n, sem, &yaml, &d);
    if (st != PL_OK)
        print_error("%s:%d:%d: %s\n", d.file, d.line, d.col, d.message);
    assert_int_equal(st, PL_OK);
    assert_non_null(yaml);
    pl_scenario *sc = NULL;
    st = pl_scenario_load_buffer("import.yaml", yaml, strlen(yaml), &sc, &d);
    if (st != PL_OK)
        print_error("import.yaml:%d:%d: %s\n%s\n", d.line, d.col, d.message, yaml);
    assert_int_equal(st, PL_OK);
    if (yaml_out)
        *yaml_out = yaml;
    else
        pl_free(yaml);
    return sc;
}

static double utility(const pl_scenario *sc, size_t actor, const long *pk)
{
    double u = 0;
    assert_int_equal(pl_package_utility(sc, actor, pk, &u), PL_OK);
    return u;
}

static double reservation(const pl_scenario *sc, size_t actor)
{
    pl_actor_info ai;
    assert_int_equal(pl_scenario_actor(sc, actor, &ai), PL_OK);
    return ai.reservation;
}

static void assert_near(double got, double want)
{
    if (fabs(got - want) > EPS * (1 + fabs(want))) {
        print_error("got %.17g, want %.17g\n", got, want);
        fail();
    }
}

/* ------------------------------------------------------------------------ */
/* Every fixture imports, loads and has the shape of its XML                 */

typedef struct fixture {
    const char *dir, *domain;
    const char *profiles[4];
    size_t n_issues, n_options; /* counted in the domain file by hand */
    double rv;                  /* the profiles' reservation value */
    const char *actors[4];      /* the ids we expect */
} fixture;

static const fixture FIX[] = {
    {"AMPOvsCity", "ampo_vs_city_template.xml",
     {"ampo_vs_city_ampo_space.xml", "ampo_vs_city_city_space.xml"}, 10, 45, 0,
     {"ampo", "city"}},
    {"Amsterdam", "Amsterdam_domain.xml", {"Amsterdam_party1.xml", "Amsterdam_party2.xml"}, 6,
     24, 0, {"party1", "party2"}},
    {"Camera", "camera_domain.xml", {"camera_buyer_utility.xml", "camera_seller_utility.xml"},
     6, 24, 0, {"buyer", "seller"}},
    {"Car", "adg.xml", {"adg_deal.xml", "adg_deal2.xml"}, 6, 30, 0, {"deal", "deal2"}},
    {"Energy", "energy_domain.xml", {"energy_consumer.xml", "energy_distributor.xml"}, 8, 40,
     0, {"consumer", "distributor"}},
    {"EnglandZimbabwe", "EnglandZimbabwe_domain.xml", {"England.xml", "Zimbabwe.xml"}, 5, 18,
     0, {"england", "zimbabwe"}},
    {"FiftyFiftyA", "FiftyFifty-A-domain.xml",
     {"FiftyFifty-A-prof1.xml", "FiftyFifty-A-prof2.xml"}, 1, 11, 0.5, {"prof1", "prof2"}},
    {"Grocery", "Grocery_domain.xml", {"Grocery_domain_mary.xml", "Grocery_domain_sam.xml"}, 5,
     22, 0, {"mary", "sam"}},
    {"Holiday3", "holiday.xml",
     {"holiday-Profile1.xml", "holiday-Profile2.xml", "holiday-Profile3.xml"}, 5, 20, 0,
     {"profile1", "profile2", "profile3"}},
    {"IS_BT_Acquisition", "IS_BT_Acquisition.xml",
     {"IS_BT_Acquisition_BT_prof.xml", "IS_BT_Acquisition_IS_prof.xml"}, 5, 17, 0,
     {"bt", "is"}},
    {"ItexvsCypress", "ItexvsCypress_domain.xml",
     {"ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"}, 4, 15, 0, {"cypress", "itex"}},
    {"Laptop", "laptop_domain.xml", {"laptop_buyer_utility.xml", "laptop_seller_utility.xml"},
     3, 9, 0, {"buyer", "seller"}},
    {"NiceOrDie", "NiceOrDie.xml", {"NiceOrDie1.xml", "NiceOrDie2.xml"}, 1, 3, 0,
     {"niceordie1", "niceordie2"}},
    {"Party2", "party_domain.xml", {"party1_utility.xml", "party2_utility.xml"}, 6, 23, 0,
     {"party1", "party2"}},
    {"Party3", "party_domain.xml",
     {"party1_utility.xml", "party2_utility.xml", "party3_utility.xml"}, 6, 23, 0,
     {"party1", "party2", "party3"}},
    {"Travel", "travel_domain.xml", {"travel_chox.xml", "travel_fanny.xml"}, 7, 41, 0,
     {"chox", "fanny"}},
    {"University3", "University.xml",
     {"University_util1.xml", "University_util2.xml", "University_util3.xml"}, 5, 24, 0,
     {"util1", "util2", "util3"}},
    {"group2-politics", "Politics.xml",
     {"Politics_util1.xml", "Politics_util2.xml", "Politics_util3.xml"}, 8, 29, 0,
     {"util1", "util2", "util3"}},
};

static void fixture_paths(const fixture *fx, char dom[512], char prof[4][512],
                          const char *ptr[4], size_t *n)
{
    snprintf(dom, 512, "%s/%s/%s", FIXTURES, fx->dir, fx->domain);
    *n = 0;
    for (size_t k = 0; k < 4 && fx->profiles[k]; k++) {
        snprintf(prof[k], 512, "%s/%s/%s", FIXTURES, fx->dir, fx->profiles[k]);
        ptr[k] = prof[k];
        ++*n;
    }
}

static void test_fixtures_all(void **state)
{
    (void)state;
    if (!have_fixtures()) {
        skip();
        return;
    }
    for (size_t f = 0; f < sizeof FIX / sizeof FIX[0]; f++) {
        const fixture *fx = &FIX[f];
        char dom[512], prof[4][512];
        const char *ptr[4];
        size_t np;
        fixture_paths(fx, dom, prof, ptr, &np);
        for (int sem = 0; sem < 2; sem++) {
            pl_scenario *sc = import_load(dom, ptr, np, (pl_genius_semantics)sem, NULL);
            pl_scenario_info si;
            pl_scenario_get_info(sc, &si);
            assert_int_equal(si.n_issues, fx->n_issues);
            assert_int_equal(si.n_actors, np);
            size_t nopt = 0;
            for (size_t i = 0; i < si.n_issues; i++) {
                pl_issue_info ii;
                assert_int_equal(pl_scenario_issue(sc, i, &ii), PL_OK);
                assert_int_equal(ii.status_quo, 0); /* the first option */
                nopt += ii.n_options;
            }
            assert_int_equal(nopt, fx->n_options);
            for (size_t a = 0; a < np; a++) {
                pl_actor_info ai;
                assert_int_equal(pl_scenario_actor(sc, a, &ai), PL_OK);
                assert_string_equal(ai.id, fx->actors[a]);
                assert_int_equal(ai.role, PL_ROLE_PARTY);
                assert_true(ai.veto);
                assert_near(ai.capability, 1);
                if (sem == PL_GENIUS_SEM_GENIUS) {
                    assert_near(ai.reservation, 100 * fx->rv);
                    /* The best item of each issue scores 100, all lie in
                     * [0, 100], so the best package is worth exactly 100. */
                    long *best = calloc(si.n_issues, sizeof *best);
                    assert_non_null(best);
                    for (size_t i = 0; i < si.n_issues; i++) {
                        pl_issue_info ii;
                        pl_scenario_issue(sc, i, &ii);
                        double top = -1;
                        for (size_t o = 0; o < ii.n_options; o++) {
                            double s = pl_scenario_score(sc, a, i, o);
                            assert_true(s >= 0 && s <= 100);
                            if (s > top) {
                                top = s;
                                best[i] = (long)o;
                            }
                        }
                        assert_near(top, 100);
                    }
                    assert_near(utility(sc, a, best), 100);
                    free(best);
                }
            }
            pl_scenario_free(sc);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Utilities computed by hand from the Laptop XML                           */

/* laptop_*_utility.xml, evaluations in the domain's item order. */
static const double LAP_W[2][3] = {
    {0.4452125771655631, 0.37808251708013424, 0.1767567099260568},
    {0.37808251708013424, 0.1767567099260568, 0.4452125771655631},
};
static const double LAP_E[2][3][3] = {
    {{12, 20, 30}, {30, 20, 9}, {30, 10, 20}},
    {{12, 30, 20}, {20, 30, 9}, {3, 2, 1}},
};

static void test_laptop_utilities(void **state)
{
    (void)state;
    if (!have_fixtures()) {
        skip();
        return;
    }
    const char *prof[2] = {FIXTURES "/Laptop/laptop_buyer_utility.xml",
                           FIXTURES "/Laptop/laptop_seller_utility.xml"};
    for (int sem = 0; sem < 2; sem++) {
        pl_scenario *sc =
            import_load(FIXTURES "/Laptop/laptop_domain.xml", prof, 2, (pl_genius_semantics)sem,
                        NULL);
        for (size_t a = 0; a < 2; a++) {
            double wsum = LAP_W[a][0] + LAP_W[a][1] + LAP_W[a][2];
            double max[3], min[3];
            for (int i = 0; i < 3; i++) {
                max[i] = fmax(fmax(LAP_E[a][i][0], LAP_E[a][i][1]), LAP_E[a][i][2]);
                min[i] = fmin(fmin(LAP_E[a][i][0], LAP_E[a][i][1]), LAP_E[a][i][2]);
            }
            for (long x = 0; x < 27; x++) {
                long pk[3] = {x % 3, x / 3 % 3, x / 9};
                double u = 0;
                for (int i = 0; i < 3; i++) {
                    double e = LAP_E[a][i][pk[i]];
                    /* GENIUS: U = sum w_i e_i / max_i (weights sum to 1) */
                    u += LAP_W[a][i] / wsum * (sem == 0 ? 100 * e / max[i] : e);
                }
                assert_near(utility(sc, a, pk), u);
            }
            if (sem == PL_GENIUS_SEM_GENIUS) {
                assert_near(reservation(sc, a), 0);
            } else {
                /* NegMAS: evaluations above 1, so raw; disagreement at the
                 * minimum utility (reservation value 0 is below it). */
                double mu = 0;
                for (int i = 0; i < 3; i++)
                    mu += LAP_W[a][i] / wsum * min[i];
                assert_near(reservation(sc, a), mu);
            }
        }
        pl_scenario_free(sc);
    }
}

/* AMPOvsCity: the AMPO profile lists value "0" twice in its first issue
 * (evaluation 0, then 8: the later one wins, as in GENIUS's map), and the two
 * profiles list "Commisioner Daniels" in different orders. */
static void test_ampo_items(void **state)
{
    (void)state;
    if (!have_fixtures()) {
        skip();
        return;
    }
    const char *prof[2] = {FIXTURES "/AMPOvsCity/ampo_vs_city_ampo_space.xml",
                           FIXTURES "/AMPOvsCity/ampo_vs_city_city_space.xml"};
    pl_scenario *sc = import_load(FIXTURES "/AMPOvsCity/ampo_vs_city_template.xml", prof, 2,
                                  PL_GENIUS_SEM_GENIUS, NULL);
    long sal = pl_scenario_find_issue(sc, "increase_in_starting_salaries");
    long dan = pl_scenario_find_issue(sc, "commisioner_daniels");
    assert_true(sal >= 0 && dan >= 0);
    static const double ampo_sal[] = {8, 36, 64, 84, 96, 100};
    static const double city_sal[] = {100, 64, 36, 16, 4, 0};
    for (size_t o = 0; o < 6; o++) {
        assert_near(pl_scenario_score(sc, 0, (size_t)sal, o), ampo_sal[o]);
        assert_near(pl_scenario_score(sc, 1, (size_t)sal, o), city_sal[o]);
    }
    /* domain order: Fire, Keep */
    assert_int_equal(pl_scenario_find_option(sc, (size_t)dan, "fire"), 0);
    assert_near(pl_scenario_score(sc, 0, (size_t)dan, 0), 100);
    assert_near(pl_scenario_score(sc, 0, (size_t)dan, 1), 0);
    assert_near(pl_scenario_score(sc, 1, (size_t)dan, 0), 0);
    assert_near(pl_scenario_score(sc, 1, (size_t)dan, 1), 100);
    assert_near(pl_scenario_weight(sc, 0, (size_t)sal), 0.457);
    pl_scenario_free(sc);
}

static void test_fixture_determinism(void **state)
{
    (void)state;
    if (!have_fixtures()) {
        skip();
        return;
    }
    const char *prof[3] = {FIXTURES "/Holiday3/holiday-Profile1.xml",
                           FIXTURES "/Holiday3/holiday-Profile2.xml",
                           FIXTURES "/Holiday3/./holiday-Profile3.xml"};
    char *a = NULL, *b = NULL;
    pl_diag d;
    assert_int_equal(pl_import_genius(FIXTURES "/Holiday3/holiday.xml", prof, 3,
                                      PL_GENIUS_SEM_NEGMAS, &a, &d),
                     PL_OK);
    prof[2] = FIXTURES "/Holiday3/holiday-Profile3.xml"; /* another path, same file */
    assert_int_equal(pl_import_genius(FIXTURES "/../genius/Holiday3/holiday.xml", prof, 3,
                                      PL_GENIUS_SEM_NEGMAS, &b, &d),
                     PL_OK);
    assert_string_equal(a, b);
    pl_free(a);
    pl_free(b);
}

/* ------------------------------------------------------------------------ */
/* Our own files: numeric issues, both semantics                             */

static const char *const TINY[2] = {DATA "/tiny_a.xml", DATA "/tiny_b.xml"};

/* The Units grid: 64 evenly spread integers of 0..1000. */
static double units_at(size_t k)
{
    return floor((double)k * 1000.0 / 63.0 + 0.5);
}

static double clamp01(double u)
{
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

/* Raw GENIUS evaluation of option o of issue i for profile a of tiny_*.xml,
 * written from the XML. */
static double tiny_eval(size_t a, size_t i, size_t o)
{
    static const double colour[2][3] = {{0.5, 0.25, 0.8}, {10, 40, 20}};
    switch (i) {
    case 0: return colour[a][o];
    case 1: return a == 0 ? clamp01(0.25 * (double)o) : clamp01(0.5 + 0.1 * (double)o);
    case 2: return a == 0 ? clamp01(1 - 0.1 * (double)o) : 0.7;
    default:
        return a == 0 ? clamp01(-0.5 + 0.002 * units_at(o)) : clamp01(0.001 * units_at(o));
    }
}

static void test_tiny_numeric(void **state)
{
    (void)state;
    char *yaml = NULL;
    for (int sem = 0; sem < 2; sem++) {
        pl_scenario *sc = import_load(DATA "/tiny_domain.xml", TINY, 2,
                                      (pl_genius_semantics)sem, sem == 0 ? &yaml : NULL);
        static const size_t nopt[4] = {3, 5, 11, 64};
        static const char *const ids[4] = {"colour", "days", "price", "units"};
        for (size_t i = 0; i < 4; i++) {
            pl_issue_info ii;
            assert_int_equal(pl_scenario_issue(sc, i, &ii), PL_OK);
            assert_string_equal(ii.id, ids[i]);
            assert_int_equal(ii.n_options, nopt[i]);
        }
        /* labels keep the original text; numeric options carry their value */
        pl_option_info oi;
        assert_int_equal(pl_scenario_option(sc, 0, 1, &oi), PL_OK);
        assert_string_equal(oi.label, "Blue & \"green\"");
        assert_int_equal(pl_scenario_option(sc, 0, 2, &oi), PL_OK);
        assert_string_equal(oi.label, "Grün");
        assert_int_equal(pl_scenario_option(sc, 3, 1, &oi), PL_OK);
        assert_string_equal(oi.label, "16");
        assert_string_equal(oi.id, "v16");
        assert_int_equal(pl_scenario_find_option(sc, 2, "v10"), 10);
        assert_int_equal(pl_scenario_find_option(sc, 0, "blue_green"), 1);
        assert_int_equal(pl_scenario_find_option(sc, 0, "gr_n"), 2);
        const char *an;
        double av;
        assert_int_equal(pl_scenario_option_attr(sc, 3, 63, 0, &an, &av), PL_OK);
        assert_string_equal(an, "value");
        assert_near(av, 1000);
        assert_int_equal(pl_scenario_option(sc, 3, 63, &oi), PL_OK);
        assert_near(oi.position, 100);
        assert_int_equal(pl_scenario_option(sc, 2, 5, &oi), PL_OK);
        assert_near(oi.position, 50);

        static const double w[2][4] = {{0.4, 0.3, 0.2, 0.1}, {1, 1, 1, 1}};
        double k[2];
        for (size_t a = 0; a < 2; a++) {
            double wsum = w[a][0] + w[a][1] + w[a][2] + w[a][3];
            double max[4] = {0, 0, 0, 0}, min[4] = {1e300, 1e300, 1e300, 1e300};
            int unit = 1;
            for (size_t i = 0; i < 4; i++)
                for (size_t o = 0; o < nopt[i]; o++) {
                    double e = tiny_eval(a, i, o);
                    max[i] = fmax(max[i], e);
                    min[i] = fmin(min[i], e);
                    unit &= e <= 1;
                }
            k[a] = unit ? 100 : 1;
            /* a spread of packages, including all-first and all-last */
            for (size_t x = 0; x < 200; x++) {
                long pk[4];
                double u = 0;
                for (size_t i = 0; i < 4; i++) {
                    pk[i] = (long)((x * (2 * i + 3) + x / 7) % nopt[i]);
                    if (x == 1)
                        pk[i] = (long)nopt[i] - 1;
                    if (x == 0)
                        pk[i] = 0;
                    double e = tiny_eval(a, i, (size_t)pk[i]);
                    double s;
                    if (sem == PL_GENIUS_SEM_GENIUS)
                        s = i == 0 ? 100 * e / max[i] : 100 * e; /* numeric: not rescaled */
                    else
                        s = k[a] * e;
                    u += w[a][i] / wsum * s;
                }
                assert_near(utility(sc, a, pk), u);
            }
            double mu = 0;
            for (size_t i = 0; i < 4; i++)
                mu += w[a][i] / wsum * k[a] * min[i];
            double rv = a == 0 ? 0.3 : 0; /* tiny_b has no reservation value */
            if (sem == PL_GENIUS_SEM_GENIUS)
                assert_near(reservation(sc, a), 100 * rv);
            else
                assert_near(reservation(sc, a), fmax(k[a] * rv, mu));
        }
        if (sem == PL_GENIUS_SEM_NEGMAS) {
            assert_near(k[0], 100); /* tiny_a: every evaluation in [0, 1] */
            assert_near(k[1], 1);   /* tiny_b: raw evaluations up to 40 */
            assert_near(reservation(sc, 0), 30);
            assert_near(reservation(sc, 1), 2.8);
        }
        pl_scenario_free(sc);
    }
    /* the words all profile names share are dropped (tiny_a, tiny_b -> a, b);
     * the discount factor and the fixed date are recorded */
    assert_non_null(strstr(yaml, "\n  - id: a\n"));
    assert_non_null(strstr(yaml, "\n  - id: b\n"));
    assert_non_null(strstr(yaml, "discount factor 0.9"));
    assert_non_null(strstr(yaml, "date: 2000-01-01"));
    pl_free(yaml);
    yaml = NULL;
    /* a single profile keeps its whole file name as id */
    pl_scenario *one = import_load(DATA "/tiny_domain.xml", TINY, 1, PL_GENIUS_SEM_GENIUS, &yaml);
    pl_actor_info ai;
    assert_int_equal(pl_scenario_actor(one, 0, &ai), PL_OK);
    assert_string_equal(ai.id, "tiny_a");
    pl_scenario_free(one);
    pl_free(yaml);
}

static void test_determinism(void **state)
{
    (void)state;
    for (int sem = 0; sem < 2; sem++) {
        char *a = NULL, *b = NULL;
        pl_diag d;
        assert_int_equal(pl_import_genius(DATA "/tiny_domain.xml", TINY, 2,
                                          (pl_genius_semantics)sem, &a, &d),
                         PL_OK);
        const char *other[2] = {DATA "/./tiny_a.xml", DATA "/../genius/tiny_b.xml"};
        assert_int_equal(pl_import_genius(DATA "/./tiny_domain.xml", other, 2,
                                          (pl_genius_semantics)sem, &b, &d),
                         PL_OK);
        assert_string_equal(a, b);
        pl_free(a);
        pl_free(b);
    }
}

/* ------------------------------------------------------------------------ */
/* Bad input: one file per class, exact place and message                    */

typedef struct bad_case {
    const char *domain, *profile; /* under tests/data/genius */
    int line, col;
    const char *message; /* a substring of the message */
} bad_case;

static const bad_case BAD[] = {
    {"tiny_domain.xml", "bad_malformed.xml", 7, 13,
     "malformed XML: opening and ending tag mismatch: item line 6 and issue"},
    {"tiny_domain.xml", "bad_unknown_issue.xml", 14, 19,
     "issue 9 ('Units') is not in the domain tiny_domain.xml"},
    {"tiny_domain.xml", "bad_unknown_item.xml", 4, 30,
     "item 'Rouge' of issue 'Colour' is not in the domain tiny_domain.xml"},
    {"tiny_domain.xml", "bad_weight_nan.xml", 19, 30,
     "the weight of issue 'Price' must be a number, found 'heavy'"},
    {"tiny_domain.xml", "bad_weight_negative.xml", 18, 30,
     "the weight of issue 'Days' must not be negative, found -0.5"},
    {"tiny_domain.xml", "bad_eval_negative.xml", 6, 48,
     "the evaluation of item 'Grün' of issue 'Colour' must not be negative, found -20"},
    {"tiny_domain.xml", "bad_item_missing_eval.xml", 5, 7,
     "<item> has no 'evaluation' attribute"},
    {"tiny_domain.xml", "bad_missing_issue.xml", 2, 3,
     "missing issue: the profile gives no evaluation for issue 'Days' (index 2)"},
    {"tiny_domain.xml", "bad_missing_weight.xml", 2, 3,
     "missing weight: the profile gives no weight for issue 'Units' (index 4)"},
    {"tiny_domain.xml", "bad_doctype.xml", 2, 1, "a DOCTYPE is not allowed"},
    {"bad_domain_no_issues.xml", "tiny_a.xml", 3, 5,
     "missing issues: the domain's <objective> contains no <issue>"},
    {"bad_root.xml", "tiny_a.xml", 2, 1, "not a GENIUS domain: the root element is <domain>"},
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
        const bad_case *b = &BAD[k];
        char dom[512], prof[512];
        snprintf(dom, sizeof dom, "%s/%s", DATA, b->domain);
        snprintf(prof, sizeof prof, "%s/%s", DATA, b->profile);
        const char *pp = prof;
        const char *bad_file = strncmp(b->domain, "bad_", 4) == 0 ? dom : prof;
        for (int sem = 0; sem < 2; sem++) {
            char *yaml = (char *)"untouched";
            pl_diag d;
            pl_status st = pl_import_genius(dom, &pp, 1, (pl_genius_semantics)sem, &yaml, &d);
            if (st != PL_E_INPUT || d.line != b->line || d.col != b->col ||
                !strstr(d.message, b->message) || strcmp(d.file, bad_file) != 0)
                print_error("%s: got %s:%d:%d: %s\n", b->profile, d.file, d.line, d.col,
                            d.message);
            assert_int_equal(st, PL_E_INPUT);
            assert_null(yaml);
            assert_string_equal(d.file, bad_file);
            assert_int_equal(d.line, b->line);
            assert_int_equal(d.col, b->col);
            assert_non_null(strstr(d.message, b->message));
            assert_true(d.source_line[0] != '\0'); /* for the caret */
        }
    }
}

static void test_bad_calls(void **state)
{
    (void)state;
    char *yaml = (char *)"untouched";
    pl_diag d;
    /* no profiles */
    assert_int_equal(pl_import_genius(DATA "/tiny_domain.xml", NULL, 0, PL_GENIUS_SEM_GENIUS,
                                      &yaml, &d),
                     PL_E_INPUT);
    assert_null(yaml);
    assert_string_equal(d.file, DATA "/tiny_domain.xml");
    assert_non_null(strstr(d.message, "no profiles"));
    /* a file that is not there */
    const char *missing = DATA "/no_such_profile.xml";
    assert_int_equal(pl_import_genius(DATA "/tiny_domain.xml", &missing, 1,
                                      PL_GENIUS_SEM_GENIUS, &yaml, &d),
                     PL_E_IO);
    assert_string_equal(d.file, missing);
    /* invalid arguments */
    assert_int_equal(pl_import_genius(NULL, TINY, 1, PL_GENIUS_SEM_GENIUS, &yaml, &d), PL_E_ARG);
    assert_int_equal(pl_import_genius(DATA "/tiny_domain.xml", TINY, 1, PL_GENIUS_SEM_GENIUS,
                                      NULL, &d),
                     PL_E_ARG);
    assert_int_equal(pl_import_genius(DATA "/tiny_domain.xml", TINY, 1, (pl_genius_semantics)7,
                                      &yaml, &d),
                     PL_E_ARG);
    /* from memory: an empty buffer, and bytes that are not XML */
    pl_genius_input dom = {"mem_domain.xml", "", 0};
    pl_genius_input pr = {"mem_profile.xml", "<utility_space/>", 16};
    assert_int_equal(pl_import_genius_buffers(&dom, &pr, 1, PL_GENIUS_SEM_GENIUS, &yaml, &d),
                     PL_E_INPUT);
    assert_string_equal(d.file, "mem_domain.xml");
    assert_int_equal(d.line, 1);
    dom.data = "\x01\x02 not xml";
    dom.len = 11;
    assert_int_equal(pl_import_genius_buffers(&dom, &pr, 1, PL_GENIUS_SEM_GENIUS, &yaml, &d),
                     PL_E_INPUT);
    assert_non_null(strstr(d.message, "malformed XML"));
    /* NULL diag is allowed */
    assert_int_equal(pl_import_genius_buffers(&dom, &pr, 1, PL_GENIUS_SEM_GENIUS, &yaml, NULL),
                     PL_E_INPUT);
}

/* libxml2 raises some errors (failed encoding conversions) without a parser
 * context, through handlers that print by default: the importer must keep
 * them quiet too. Standard error is captured in a temporary file. */
static void test_silence(void **state)
{
    (void)state;
    static const char ucs4[] = "\x00\x00\x00\x3c\x00\x00\x00\x61\xff\xff\xff\xff\x00\x00";
    static const char iso2022[] =
        "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n<a>\x1b$B\xff\xff</a>";
    char path[] = "/tmp/parley_genius_stderr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    pl_genius_input good = {"tiny_a.xml", "<utility_space/>", 16};
    pl_genius_input bad[2] = {{"ucs4.xml", ucs4, sizeof ucs4 - 1},
                              {"iso2022.xml", iso2022, sizeof iso2022 - 1}};
    pl_status st[4];
    char *yaml = NULL;
    pl_diag d;
    for (int k = 0; k < 2; k++) {
        st[2 * k] = pl_import_genius_buffers(&bad[k], &good, 1, PL_GENIUS_SEM_GENIUS, &yaml, &d);
        st[2 * k + 1] = pl_import_genius_buffers(&good, &bad[k], 1, PL_GENIUS_SEM_GENIUS, &yaml,
                                                 &d);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    for (int k = 0; k < 4; k++)
        assert_int_equal(st[k], PL_E_INPUT);
    assert_int_equal(size, 0);
}

/* Every allocation failure is reported as PL_E_NOMEM and leaks nothing. */
static void test_out_of_memory(void **state)
{
    (void)state;
    char *yaml = NULL;
    pl_diag d;
    for (long fail = 0;; fail++) {
        g_allocs = 0;
        g_fail_from = fail;
        pl_status st =
            pl_import_genius(DATA "/tiny_domain.xml", TINY, 2, PL_GENIUS_SEM_NEGMAS, &yaml, &d);
        g_fail_from = -1;
        if (st == PL_OK) {
            assert_true(fail > 10);
            pl_free(yaml);
            break;
        }
        assert_int_equal(st, PL_E_NOMEM);
        assert_null(yaml);
        assert_int_equal(g_live, 0);
        assert_true(fail < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_all),
        cmocka_unit_test(test_laptop_utilities),
        cmocka_unit_test(test_ampo_items),
        cmocka_unit_test(test_fixture_determinism),
        cmocka_unit_test_setup_teardown(test_tiny_numeric, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_determinism, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_bad_input, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_bad_calls, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_silence, setup_alloc, teardown_alloc),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup_alloc, teardown_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
