/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the scenario loader (src/load) and everything a loaded
 * scenario feeds: evaluate, the JSON writers, the uncited report and the
 * timeline replay. Beyond crashes, leaks and undefined behaviour it checks the
 * library's promises and aborts when one is broken:
 *   - a failed load returns PL_E_INPUT (PL_E_NOMEM cannot happen here), no
 *     scenario, and a diagnostic naming the input with a non-empty message
 *     (with -DFUZZ_LOAD_STRICT_POSITIONS also a position inside the input:
 *     line 1..lines+1, col 1..length+1);
 *   - a loaded scenario accepts every as-of date, evaluates, and its verdicts
 *     are consistent (accept implies a non-negative margin and no red line
 *     crossed; the headline utility lies between the worst and the best
 *     completion, which pl_package_utility confirms);
 *   - the JSON is produced, twice the same.
 * FUZZ_LOAD_STRICT_POSITIONS is off by default because of known position bugs
 * (empty scalars and NUL bytes have no position, libfyaml's syntax errors are
 * shifted by one line and column); turn it on once they are fixed:
 *   cmake ... -DCMAKE_C_FLAGS=-DFUZZ_LOAD_STRICT_POSITIONS
 *
 *   CC=clang-14 cmake -S . -B fuzz-build -DPARLEY_FUZZ=ON -DPARLEY_SANITIZE=ON \
 *       -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF && cmake --build fuzz-build
 *   ./fuzz-build/fuzz/fuzz_load -dict=fuzz/load.dict -max_len=8192 fuzz/corpus/load
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.yaml"

static void broken(const char *what, const pl_diag *d)
{
    fprintf(stderr, "fuzz_load: promise broken: %s\n", what);
    if (d)
        fprintf(stderr, "  diag: status %d, %s:%d:%d: %s\n", (int)d->status, d->file, d->line,
                d->col, d->message);
    abort();
}

#ifdef FUZZ_LOAD_STRICT_POSITIONS
/* Lines in the input and the length in bytes of line `line` (1-based). */
static size_t line_length(const uint8_t *data, size_t size, int line, size_t *n_lines)
{
    size_t lines = 1, len = 0, cur = 1;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n') {
            lines++;
            cur++;
            continue;
        }
        if ((int)cur == line && data[i] != '\r')
            len++;
    }
    *n_lines = lines;
    return len;
}
#endif

static void check_failure(const uint8_t *data, size_t size, pl_status st, const pl_scenario *sc,
                          const pl_diag *d)
{
    if (sc)
        broken("a failed load produced a scenario", d);
    if (st != PL_E_INPUT)
        broken("a failed load did not return PL_E_INPUT", d);
    if (d->status != st)
        broken("diag.status differs from the returned status", d);
    if (!memchr(d->message, '\0', sizeof d->message) || !d->message[0])
        broken("empty or unterminated message", d);
    if (!memchr(d->source_line, '\0', sizeof d->source_line))
        broken("unterminated source line", d);
    if (strcmp(d->file, NAME) != 0)
        broken("the diagnostic does not name the input", d);
    if (d->line < 0 || d->col < 0)
        broken("negative position", d);
#ifdef FUZZ_LOAD_STRICT_POSITIONS
    if (d->line == 0 || d->col == 0)
        broken("an input error without a position", d);
    size_t n_lines;
    size_t len = line_length(data, size, d->line, &n_lines);
    if ((size_t)d->line > n_lines)
        broken("the error's line is past the end of the input", d);
    if ((size_t)d->col > len + 1)
        broken("the error's column is past the end of its line", d);
#else
    (void)data;
    (void)size;
#endif
}

static int close_enough(double a, double b)
{
    return fabs(a - b) <= 1e-6 * (1 + fabs(a) + fabs(b));
}

static void check_evaluation(const pl_scenario *sc, const pl_evaluation *ev)
{
    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    for (size_t k = 0; k < pl_evaluation_count(ev); k++) {
        const long *pkg = pl_evaluation_package(ev, k);
        if (!pkg)
            broken("an evaluated proposal without a package", NULL);
        for (size_t i = 0; i < in.n_issues; i++) {
            pl_issue_info ii;
            if (pl_scenario_issue(sc, i, &ii) != PL_OK || pkg[i] < 0 ||
                (size_t)pkg[i] >= ii.n_options)
                broken("the evaluated package is not complete", NULL);
        }
        int all_accept = 1;
        for (size_t j = 0; j < pl_evaluation_verdict_count(ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(ev, k, j);
            pl_actor_info ai;
            if (!v || pl_scenario_actor(sc, v->actor, &ai) != PL_OK || !ai.has_preferences)
                broken("a verdict for an actor without preferences", NULL);
            if (!isfinite(v->utility) || !isfinite(v->margin))
                broken("a non-finite utility or margin", NULL);
            if (!close_enough(v->margin, v->utility - ai.reservation))
                broken("margin != utility - reservation", NULL);
            if (v->accept && (v->margin < 0 || v->n_red_lines_broken > 0))
                broken("accepted despite a shortfall or a crossed red line", NULL);
            if (v->n_reasons == 0)
                broken("a verdict without reasons", NULL);
            for (size_t r = 0; r < v->n_reasons; r++)
                if (!v->reasons[r] || !v->reasons[r][0])
                    broken("an empty reason", NULL);
            if (v->has_completions) {
                if (!v->best_package || !v->worst_package)
                    broken("completions without packages", NULL);
                if (v->worst_utility > v->best_utility + 1e-6 * (1 + fabs(v->best_utility)))
                    broken("worst completion above the best", NULL);
                if (v->utility > v->best_utility + 1e-6 * (1 + fabs(v->best_utility)) ||
                    v->utility < v->worst_utility - 1e-6 * (1 + fabs(v->worst_utility)))
                    broken("headline utility outside [worst, best] completion", NULL);
                double ub, uw;
                if (pl_package_utility(sc, v->actor, v->best_package, &ub) != PL_OK ||
                    pl_package_utility(sc, v->actor, v->worst_package, &uw) != PL_OK ||
                    !close_enough(ub, v->best_utility) || !close_enough(uw, v->worst_utility))
                    broken("completion utilities disagree with pl_package_utility", NULL);
            }
            if (ai.veto && !v->accept)
                all_accept = 0;
        }
        if (pl_evaluation_agreed(ev, k) && !all_accept)
            broken("agreed although a veto actor rejects", NULL);
    }
}

static void exercise(pl_scenario *sc)
{
    pl_diag d;
    pl_evaluation *ev = NULL;
    pl_status st = pl_evaluate(sc, -1, &ev, &d);
    if (st != PL_OK)
        broken("pl_evaluate failed on a loaded scenario", &d);
    check_evaluation(sc, ev);
    char *j1 = NULL, *j2 = NULL;
    if (pl_evaluation_to_json(sc, ev, &j1, &d) != PL_OK || !j1 || j1[0] != '{')
        broken("pl_evaluation_to_json failed", &d);
    if (pl_evaluation_to_json(sc, ev, &j2, &d) != PL_OK || strcmp(j1, j2) != 0)
        broken("pl_evaluation_to_json is not deterministic", &d);
    pl_free(j1);
    pl_free(j2);
    pl_evaluation_free(ev);
    if (pl_scenario_to_json(sc, &j1, &d) != PL_OK || !j1 || j1[0] != '{')
        broken("pl_scenario_to_json failed", &d);
    pl_free(j1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_status st = pl_scenario_load_buffer(NAME, (const char *)data, size, &sc, &d);
    if (st != PL_OK) {
        check_failure(data, size, st, sc, &d);
        return 0;
    }
    if (!sc || d.status != PL_OK)
        broken("a successful load without a scenario or with a diagnostic", &d);

    pl_scenario_info in;
    pl_scenario_get_info(sc, &in);
    char *report = NULL;
    size_t n_uncited = 0;
    if (pl_scenario_uncited(sc, &report, &n_uncited) != PL_OK || !report)
        broken("pl_scenario_uncited failed", NULL);
    pl_free(report);

    exercise(sc);

    /* Each proposal on its own, on the table or not. */
    for (size_t p = 0; p < in.n_proposals && p < 4; p++) {
        pl_evaluation *ev = NULL;
        if (pl_evaluate(sc, (long)p, &ev, &d) != PL_OK || pl_evaluation_count(ev) != 1)
            broken("pl_evaluate of one proposal failed", &d);
        check_evaluation(sc, ev);
        pl_evaluation_free(ev);
    }

    /* The timeline, replayed up to a few dates: early, the base date, every
     * event's date (up to 4), far in the future, and back. */
    const char *dates[8];
    char evdates[4][11];
    size_t nd = 0;
    dates[nd++] = "1900-01-01";
    if (in.date && in.date[0])
        dates[nd++] = in.date;
    for (size_t k = 0; k < in.n_events && k < 4; k++) {
        pl_event_info ei;
        if (pl_scenario_event(sc, k, &ei) != PL_OK)
            broken("pl_scenario_event failed", NULL);
        snprintf(evdates[k], sizeof evdates[k], "%s", ei.date);
        dates[nd++] = evdates[k];
    }
    dates[nd++] = "2999-12-31";
    for (size_t k = 0; k < nd; k++) {
        if (pl_scenario_set_as_of(sc, dates[k], &d) != PL_OK)
            broken("pl_scenario_set_as_of refused a valid date", &d);
        pl_scenario_info at;
        pl_scenario_get_info(sc, &at);
        if (at.n_events_applied > at.n_events)
            broken("more events applied than exist", NULL);
        /* Exactly the events dated on or before the as-of date apply. */
        size_t due = 0;
        for (size_t e = 0; e < at.n_events; e++) {
            pl_event_info ei;
            if (pl_scenario_event(sc, e, &ei) != PL_OK)
                broken("pl_scenario_event failed", NULL);
            due += strcmp(ei.date, dates[k]) <= 0;
        }
        if (at.n_events_applied != due)
            broken("the events applied are not those dated on or before the as-of date",
                   NULL);
        exercise(sc);
    }
    if (pl_scenario_set_as_of(sc, "2025-02-30", &d) != PL_E_INPUT)
        broken("pl_scenario_set_as_of accepted 2025-02-30", &d);
    if (pl_scenario_set_as_of(sc, NULL, &d) != PL_OK)
        broken("pl_scenario_set_as_of(NULL) failed", &d);
    pl_scenario_info last;
    pl_scenario_get_info(sc, &last);
    if (last.n_events_applied != last.n_events)
        broken("not every event applied without an as-of date", NULL);
    pl_scenario_free(sc);
    return 0;
}
