/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTML report (src/report/report.c): structure, escaping, determinism,
 * self-containment and argument checks. Well-formedness is checked with
 * xmllint by tests/e2e/report_test.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parley.h"

static size_t count(const char *s, const char *w)
{
    size_t n = 0;
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        n++;
    return n;
}

static pl_scenario *mini(void)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    if (pl_scenario_load_file(PL_TEST_DATA "/good/mini.yaml", &sc, &d) != PL_OK)
        fail_msg("%s", d.message);
    return sc;
}

static void test_mini_report(void **state)
{
    (void)state;
    pl_scenario *sc = mini();
    char *html = NULL;
    pl_diag d;
    assert_int_equal(pl_report_html(sc, NULL, &html, &d), PL_OK);
    assert_non_null(html);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    /* every section, balanced SVG, a caption per chart section */
    const char *ids[] = {"id=\"matrix\"", "id=\"space\"", "id=\"timeline\"", "id=\"bridges\"",
                         "id=\"evidence\""};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        assert_non_null(strstr(html, ids[k]));
    assert_int_equal(count(html, "<svg "), count(html, "</svg>"));
    assert_true(count(html, "<svg ") >= 3); /* matrix, one scatter (a, b), timeline */
    assert_int_equal(count(html, "<figcaption>"), 4);
    /* the verdicts: 2 proposals x 2 actors, with reasons on hover */
    assert_int_equal(count(html, "class=\"cell\""), 4);
    assert_non_null(strstr(html, "below its reservation value"));
    /* evidence named in captions is listed at the end */
    assert_non_null(strstr(html, "id=\"ev-e_a\""));
    assert_non_null(strstr(html, "href=\"#ev-e_a\""));
    /* self-contained */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link "));
    assert_null(strstr(html, "url(http"));
    /* timeline: 3 steps, ZOPA 1, 1, 3 */
    assert_non_null(strstr(html, "ev_soften"));
    /* deterministic, and the as-of selection is left alone */
    char *again = NULL;
    assert_int_equal(pl_report_html(sc, NULL, &again, NULL), PL_OK);
    assert_string_equal(html, again);
    assert_null(pl_scenario_as_of(sc));
    pl_free(again);
    pl_free(html);
    pl_scenario_free(sc);
}

static void test_as_of_and_options(void **state)
{
    (void)state;
    pl_scenario *sc = mini();
    assert_int_equal(pl_scenario_set_as_of(sc, "2025-02-20", NULL), PL_OK);
    pl_report_options o;
    pl_report_options_init(&o);
    o.timeline = 0;
    o.pareto = 0;
    o.title = "A <b>&\"title\"";
    char *html = NULL;
    assert_int_equal(pl_report_html(sc, &o, &html, NULL), PL_OK);
    assert_null(strstr(html, "id=\"timeline\""));
    assert_non_null(strstr(html, "A &lt;b&gt;&amp;&quot;title&quot;"));
    assert_null(strstr(html, "<b>&"));
    assert_non_null(strstr(html, "as of 2025-02-20"));
    assert_string_equal(pl_scenario_as_of(sc), "2025-02-20");
    pl_free(html);
    pl_scenario_free(sc);
}

static void test_edited_scenario(void **state)
{
    (void)state;
    pl_scenario *sc = mini();
    /* a high reservation empties the ZOPA: the bridges section lists changes */
    long a = pl_scenario_find_actor(sc, "a");
    assert_int_equal(pl_scenario_set_reservation(sc, (size_t)a, 95, NULL), PL_OK);
    char *html = NULL;
    assert_int_equal(pl_report_html(sc, NULL, &html, NULL), PL_OK);
    assert_non_null(strstr(html, "as the ZOPA is empty"));
    pl_free(html);
    pl_scenario_free(sc);
}

static void test_bad_args(void **state)
{
    (void)state;
    char *html = (char *)1;
    pl_diag d;
    assert_int_equal(pl_report_html(NULL, NULL, &html, &d), PL_E_ARG);
    assert_null(html);
    pl_scenario *sc = mini();
    assert_int_equal(pl_report_html(sc, NULL, NULL, &d), PL_E_ARG);
    pl_scenario_free(sc);
}

/* mini.yaml with a two-player conflict section appended: 2 DMs, 3 options,
 * one infeasible pattern, so every state is drawn. */
static pl_scenario *mini_conflict(void)
{
    static const char CONFLICT[] =
        "conflict:\n"
        "  name: Strip standoff\n"
        "  decision_makers: [a, b]\n"
        "  options:\n"
        "    - {id: a_talks, by: a, name: \"A talks\"}\n"
        "    - {id: a_yields, by: a, name: \"A yields the strip\"}\n"
        "    - {id: b_halts, by: b, name: \"B halts\"}\n"
        "  infeasible:\n"
        "    - {when: \"a_yields and not a_talks\", evidence: [e_a]}\n"
        "  status_quo: []\n"
        "  preferences:\n"
        "    a:\n"
        "      statements:\n"
        "        - {statement: \"b_halts\", evidence: [e_a]}\n"
        "        - \"not a_yields\"\n"
        "        - \"a_talks\"\n"
        "    b:\n"
        "      statements:\n"
        "        - {statement: \"a_yields\", evidence: [e_b]}\n"
        "        - \"not b_halts\"\n"
        "        - \"a_talks\"\n";
    FILE *f = fopen(PL_TEST_DATA "/good/mini.yaml", "rb");
    assert_non_null(f);
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - sizeof CONFLICT - 2, f);
    fclose(f);
    buf[n++] = '\n';
    memcpy(buf + n, CONFLICT, sizeof CONFLICT);
    pl_scenario *sc = NULL;
    pl_diag d;
    if (pl_scenario_load_buffer("mini-conflict.yaml", buf, strlen(buf), &sc, &d) != PL_OK)
        fail_msg("%s", d.message);
    return sc;
}

static void test_gmcr_graph(void **state)
{
    (void)state;
    pl_scenario *sc = mini_conflict();
    char *html = NULL;
    assert_int_equal(pl_report_html(sc, NULL, &html, NULL), PL_OK);
    assert_non_null(strstr(html, "<section id=\"gmcr\">"));
    /* 2^3 - 2 infeasible = 6 states, all drawn, one of them the status quo */
    assert_int_equal(count(html, "class=\"gm-state\""), 6);
    assert_non_null(strstr(html, "Every feasible state is drawn"));
    assert_int_equal(count(html, ", the status quo"), 1);
    assert_non_null(strstr(html, "marker-end=\"url(#gm-arrow-0)\""));
    assert_non_null(strstr(html, "marker-end=\"url(#gm-arrow-1)\""));
    assert_non_null(strstr(html, "SEQ&amp;SIM"));
    /* the preferences' evidence is cited and listed */
    assert_non_null(strstr(html, "href=\"#ev-e_b\""));
    assert_non_null(strstr(html, "id=\"ev-e_b\""));
    assert_int_equal(count(html, "<svg "), count(html, "</svg>"));
    /* with a cap, fewer states, and the caption says so */
    pl_report_options o;
    pl_report_options_init(&o);
    o.max_states = 3;
    char *small = NULL;
    assert_int_equal(pl_report_html(sc, &o, &small, NULL), PL_OK);
    assert_true(count(small, "class=\"gm-state\"") <= 3);
    assert_non_null(strstr(small, "For readability only"));
    /* off */
    o.gmcr = 0;
    char *none = NULL;
    assert_int_equal(pl_report_html(sc, &o, &none, NULL), PL_OK);
    assert_null(strstr(none, "id=\"gmcr\""));
    /* no conflict section: no graph */
    pl_scenario *m = mini();
    char *plain = NULL;
    assert_int_equal(pl_report_html(m, NULL, &plain, NULL), PL_OK);
    assert_null(strstr(plain, "id=\"gmcr\""));
    assert_null(strstr(plain, "id=\"deal\""));
    assert_null(strstr(plain, "id=\"tornado\""));
    pl_free(plain);
    pl_scenario_free(m);
    pl_free(none);
    pl_free(small);
    pl_free(html);
    pl_scenario_free(sc);
}

static void test_war_charts(void **state)
{
    (void)state;
    pl_scenario *sc = NULL;
    pl_diag d;
    if (pl_scenario_load_file(PL_TEST_DATA "/sim/war-mini.yaml", &sc, &d) != PL_OK)
        fail_msg("%s", d.message);
    pl_report_options o;
    pl_report_options_init(&o);
    assert_int_equal(o.runs, 200);
    assert_int_equal(o.seed, 1);
    o.runs = 60;
    o.tornado_runs = 10;
    o.seed = 5;
    o.threads = 1;
    char *html = NULL;
    assert_int_equal(pl_report_html(sc, &o, &html, &d), PL_OK);
    assert_non_null(strstr(html, "<section id=\"deal\">"));
    assert_non_null(strstr(html, "<section id=\"tornado\">"));
    assert_non_null(strstr(html, "parley simulate --runs 60 --seed 5"));
    assert_non_null(strstr(html, "parley sensitivity --runs 10 --seed 5"));
    /* the war section's evidence is cited in the captions and listed */
    assert_non_null(strstr(html, "href=\"#ev-e_front\""));
    assert_non_null(strstr(html, "id=\"ev-e_front\""));
    /* one row per uncertain number, hover text naming its path */
    assert_non_null(strstr(html, "war.fronts.strip.control"));
    assert_int_equal(count(html, "<svg "), count(html, "</svg>"));
    /* threads never change the bytes */
    o.threads = 3;
    char *again = NULL;
    assert_int_equal(pl_report_html(sc, &o, &again, NULL), PL_OK);
    assert_string_equal(html, again);
    /* bad run counts are refused before anything is computed */
    char *bad = (char *)1;
    o.runs = 0;
    assert_int_equal(pl_report_html(sc, &o, &bad, &d), PL_E_ARG);
    assert_null(bad);
    o.runs = 10;
    o.tornado_runs = -1;
    assert_int_equal(pl_report_html(sc, &o, &bad, &d), PL_E_ARG);
    /* off: no simulation at all, so no run count is checked */
    o.war = 0;
    char *off = NULL;
    assert_int_equal(pl_report_html(sc, &o, &off, NULL), PL_OK);
    assert_null(strstr(off, "id=\"deal\""));
    pl_free(off);
    pl_free(again);
    pl_free(html);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_report),
        cmocka_unit_test(test_as_of_and_options),
        cmocka_unit_test(test_edited_scenario),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_gmcr_graph),
        cmocka_unit_test(test_war_charts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
