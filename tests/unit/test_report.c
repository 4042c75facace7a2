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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_report),
        cmocka_unit_test(test_as_of_and_options),
        cmocka_unit_test(test_edited_scenario),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
