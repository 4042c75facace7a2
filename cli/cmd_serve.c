/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parley serve: a local web app over one scenario (docs/api.md).
 *
 * The HTTP server lives in the CLI, not in libparley, so the library keeps no
 * dependency on libmicrohttpd. One scenario is served; libmicrohttpd runs a
 * single internal polling thread, so requests are handled one at a time and
 * the scenario (which edits modify) needs no lock.
 *
 * Safety: bound to 127.0.0.1 unless --host says otherwise; request bodies
 * are capped (64 KiB); only a fixed set of routes exists, so no request can
 * name a file on disk; "save" returns the YAML to the browser (a download)
 * instead of writing to a path chosen over HTTP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cli.h"
#include "cmd_web.h"
#include "parley.h"
#include "web_assets.h"

const char SERVE_HELP[] =
    "Usage: parley serve [FILE] [--port P] [--host ADDR] [--as-of DATE]\n"
    "                    [--max-seconds N] [--test-mode]\n"
    "\n"
    "Open a local web app on the scenario: the proposals, the verdicts and their\n"
    "reasons; move a reservation value or a weight, or switch a red line off, and\n"
    "see evaluate, the ZOPA and the bridges update at once; download the edited\n"
    "scenario as YAML. A JSON API is served under /api/ (docs/api.md). Nothing is\n"
    "loaded from the network: the page's script and style are built in.\n"
    "\n"
    "  --port P          TCP port (default 8080; 0 picks a free one). The address\n"
    "                    is printed on standard output as 'listening on URL'.\n"
    "  --host ADDR       IPv4 address to bind (default 127.0.0.1: this machine only)\n"
    "  --max-seconds N   stop after N seconds (for scripts and tests)\n"
    "  --test-mode       enable POST /api/shutdown (for tests)\n";

enum { MAX_BODY = 64 * 1024 };

enum {
    SIM_MAX_RUNS = 100000,   /* per job: a few minutes at most on the reference scenario */
    SIM_MAX_RUNNING = 1,     /* jobs computing at once (the machine has other users) */
    SIM_MAX_KEPT = 8         /* finished jobs kept for GET; the oldest goes first */
};

typedef enum { JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED } job_state;

typedef struct sim_job {
    unsigned id;
    pl_scenario *sc;        /* private; freed by the worker when it ends */
    pl_sim_options so;
    pthread_t th;
    pthread_mutex_t mu;     /* guards done, state, result, error */
    long done;
    job_state state;
    char *result;           /* summary JSON text (pl_free) */
    char error[sizeof ((pl_diag *)0)->message];
    atomic_int cancel;
    double t0, elapsed_ms;
} sim_job;

typedef struct sim_jobs {
    sim_job *job[SIM_MAX_KEPT];
    size_t n;
    unsigned next_id;
} sim_jobs;

typedef struct app {
    pl_scenario *sc;
    char *src;          /* the text the scenario was loaded from */
    size_t src_len;
    const char *name;
    const char *as_of;
    int test_mode;
    volatile sig_atomic_t *stop;
    double last_ms;     /* time of the last recomputation */
    sim_jobs jobs;      /* background simulations (below) */
} app;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- responses ---------------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type,
                             const char *body, size_t len, const char *disposition)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* Everything the page needs comes from this server. */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'");
    if (disposition)
        MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
    json_t *o = json_pack("{s:s, s:i}", "error", msg, "status", (int)code);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    enum MHD_Result ret = reply(c, code, "application/json", s ? s : "{}", s ? strlen(s) : 2, NULL);
    free(s);
    json_decref(o);
    return ret;
}

static enum MHD_Result reply_json(struct MHD_Connection *c, json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    if (!s)
        return reply_error(c, 500, "out of memory");
    enum MHD_Result ret = reply(c, 200, "application/json", s, strlen(s), NULL);
    free(s);
    return ret;
}

/* A library JSON document (pl_free'd) parsed into a jansson value. */
static json_t *lib_json(char *s, pl_status st)
{
    if (st != PL_OK || !s) {
        pl_free(s);
        return NULL;
    }
    json_t *o = json_loads(s, 0, NULL);
    pl_free(s);
    return o;
}

/* ---- analyses --------------------------------------------------------------- */

static json_t *controls_json(const app *A)
{
    pl_scenario_info in;
    pl_scenario_get_info(A->sc, &in);
    json_t *actors = json_array();
    for (size_t a = 0; a < in.n_actors; a++) {
        pl_actor_info ai;
        if (pl_scenario_actor(A->sc, a, &ai) != PL_OK || !ai.has_preferences)
            continue;
        json_t *w = json_array();
        for (size_t i = 0; i < in.n_issues; i++) {
            pl_issue_info is;
            pl_scenario_issue(A->sc, i, &is);
            json_array_append_new(w, json_pack("{s:s, s:s, s:f, s:f}", "issue", is.id, "name",
                                               is.name, "weight", pl_scenario_weight(A->sc, a, i),
                                               "raw", pl_scenario_weight_raw(A->sc, a, i)));
        }
        json_t *rl = json_array();
        for (size_t k = 0; k < pl_scenario_red_line_all_count(A->sc, a); k++) {
            pl_rule_info ri;
            if (pl_scenario_red_line_all(A->sc, a, k, &ri) != PL_OK)
                continue;
            json_array_append_new(rl, json_pack("{s:s, s:s, s:s, s:b}", "id", ri.id, "text",
                                                ri.text, "expr", ri.expr, "active", ri.active));
        }
        json_array_append_new(actors,
                              json_pack("{s:s, s:s, s:b, s:f, s:o, s:o}", "id", ai.id, "name",
                                        ai.name, "veto", ai.veto, "reservation", ai.reservation,
                                        "weights", w, "red_lines", rl));
    }
    const char *as_of = pl_scenario_as_of(A->sc);
    return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:b}", "id", in.id, "name", in.name, "hash",
                     in.hash, "as_of", as_of, "actors", actors, "war", pl_scenario_has_war(A->sc));
}

enum { BRIDGES_QUICK = 1, BRIDGES_FULL = 2 };

/* evaluate + zopa + bridges + the controls: what the page redraws after an
 * edit, in one round trip. Edits answer with quick bridges (each red-line
 * zone found but not counted): counting the zones is nearly all the work of
 * the bridges on a large scenario, so the page shows everything at once and
 * asks for the counted bridges (GET /api/bridge) next; "bridges_quick" says
 * which it got. */
static json_t *state_json(app *A, pl_diag *d, int with_bridges)
{
    double t0 = now_ms();
    pl_evaluation *ev = NULL;
    pl_space *z = NULL;
    pl_bridges *br = NULL;
    char *s = NULL;
    json_t *evj = NULL, *zj = NULL, *bj = NULL;
    pl_space_options so;
    pl_space_options_init(&so);
    pl_status st = pl_evaluate(A->sc, -1, &ev, d);
    if (st == PL_OK) {
        st = pl_evaluation_to_json(A->sc, ev, &s, d);
        evj = lib_json(s, st);
    }
    if (st == PL_OK && (st = pl_zopa(A->sc, &so, &z, d)) == PL_OK) {
        s = NULL;
        st = pl_space_to_json(A->sc, z, &s, d);
        zj = lib_json(s, st);
    }
    pl_space_options bo = so;
    bo.quick_bridges = with_bridges == BRIDGES_QUICK;
    if (with_bridges && st == PL_OK && (st = pl_bridges_find(A->sc, &bo, &br, d)) == PL_OK) {
        s = NULL;
        st = pl_bridges_to_json(A->sc, br, &s, d);
        bj = lib_json(s, st);
    }
    pl_evaluation_free(ev);
    pl_space_free(z);
    pl_bridges_free(br);
    if (st != PL_OK || !evj || !zj || (with_bridges && !bj)) {
        json_decref(evj);
        json_decref(zj);
        json_decref(bj);
        return NULL;
    }
    A->last_ms = now_ms() - t0;
    return json_pack("{s:o, s:o, s:o, s:b, s:o, s:f}", "evaluate", evj, "zopa", zj, "bridges",
                     bj ? bj : json_null(), "bridges_quick", with_bridges == BRIDGES_QUICK,
                     "controls", controls_json(A), "compute_ms", A->last_ms);
}

static enum MHD_Result reply_state(struct MHD_Connection *c, app *A, int with_bridges)
{
    pl_diag d;
    memset(&d, 0, sizeof d);
    json_t *o = state_json(A, &d, with_bridges);
    if (!o)
        return reply_error(c, 500, d.message[0] ? d.message : "analysis failed");
    return reply_json(c, o);
}

static enum MHD_Result reply_doc(struct MHD_Connection *c, char *s, pl_status st,
                                 const pl_diag *d)
{
    if (st != PL_OK) {
        pl_free(s);
        return reply_error(c, st == PL_E_NOMEM ? 500 : 422, d->message);
    }
    enum MHD_Result ret = reply(c, 200, "application/json", s, strlen(s), NULL);
    pl_free(s);
    return ret;
}

/* POST /api/edit: {"op": "set_reservation"|"set_weight"|"set_red_line", ...} */
static enum MHD_Result do_edit(struct MHD_Connection *c, app *A, const char *body, size_t len)
{
    json_error_t je;
    json_t *o = json_loadb(body, len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return reply_error(c, 400, "the body must be a JSON object");
    }
    const char *op = json_string_value(json_object_get(o, "op"));
    const char *actor = json_string_value(json_object_get(o, "actor"));
    json_t *val = json_object_get(o, "value");
    long a = actor ? pl_scenario_find_actor(A->sc, actor) : -1;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st;
    unsigned code = 400;
    const char *msg = NULL;
    if (!op) {
        msg = "missing \"op\"";
    } else if (a < 0) {
        msg = "missing or unknown \"actor\"";
        code = actor ? 404 : 400;
    } else if (strcmp(op, "set_reservation") == 0) {
        if (!json_is_number(val))
            msg = "\"value\" must be a number";
        else if ((st = pl_scenario_set_reservation(A->sc, (size_t)a, json_number_value(val), &d)) != PL_OK)
            msg = d.message, code = st == PL_E_NOTFOUND ? 404 : 422;
    } else if (strcmp(op, "set_weight") == 0) {
        const char *issue = json_string_value(json_object_get(o, "issue"));
        long i = issue ? pl_scenario_find_issue(A->sc, issue) : -1;
        if (i < 0)
            msg = "missing or unknown \"issue\"", code = issue ? 404 : 400;
        else if (!json_is_number(val))
            msg = "\"value\" must be a number";
        else if ((st = pl_scenario_set_weight(A->sc, (size_t)a, (size_t)i, json_number_value(val), &d)) != PL_OK)
            msg = d.message, code = st == PL_E_NOTFOUND ? 404 : 422;
    } else if (strcmp(op, "set_red_line") == 0) {
        const char *id = json_string_value(json_object_get(o, "red_line"));
        json_t *on = json_object_get(o, "active");
        size_t n = pl_scenario_red_line_all_count(A->sc, (size_t)a), k = 0;
        for (; id && k < n; k++) {
            pl_rule_info ri;
            if (pl_scenario_red_line_all(A->sc, (size_t)a, k, &ri) == PL_OK && strcmp(ri.id, id) == 0)
                break;
        }
        if (!id || k == n)
            msg = "missing or unknown \"red_line\"", code = id ? 404 : 400;
        else if (!json_is_boolean(on))
            msg = "\"active\" must be true or false";
        else if ((st = pl_scenario_set_red_line_active(A->sc, (size_t)a, k, json_is_true(on), &d)) != PL_OK)
            msg = d.message, code = 422;
    } else {
        msg = "unknown \"op\"";
    }
    enum MHD_Result ret = msg ? reply_error(c, code, msg) : reply_state(c, A, BRIDGES_QUICK);
    json_decref(o);
    return ret;
}

static int reload(app *A, pl_diag *d)
{
    pl_scenario *sc = NULL;
    if (pl_scenario_load_buffer(A->name, A->src, A->src_len, &sc, d) != PL_OK)
        return -1;
    if (A->as_of && pl_scenario_set_as_of(sc, A->as_of, d) != PL_OK) {
        pl_scenario_free(sc);
        return -1;
    }
    pl_scenario_free(A->sc);
    A->sc = sc;
    return 0;
}

/* ---- simulations in the background ---------------------------------------- */

/* A simulation of the reference scenario takes seconds to minutes, far too
 * long for the one request thread: POST /api/simulate starts a worker thread
 * and answers with an id at once; GET /api/simulate/ID reports the progress
 * and, once done, the result. The worker simulates a private copy of the
 * scenario (its edited text, loaded anew), so edits and resets made while it
 * runs neither race with it nor change its answer. */
static job_state job_get_state(sim_job *j, long *done)
{
    pthread_mutex_lock(&j->mu);
    job_state s = j->state;
    if (done)
        *done = j->done;
    pthread_mutex_unlock(&j->mu);
    return s;
}

static void *sim_worker(void *arg)
{
    sim_job *j = arg;
    pl_diag d;
    memset(&d, 0, sizeof d);
    size_t sz = pl_sim_record_size(j->sc);
    unsigned char *rec = malloc(sz * (size_t)j->so.runs + 1);
    pl_status st = rec ? PL_OK : PL_E_NOMEM;
    if (!rec)
        snprintf(d.message, sizeof d.message, "out of memory");
    /* Chunks start at one run and double while they take under 100 ms, so
     * progress moves on slow scenarios and costs nothing on fast ones; never
     * more than a fiftieth of the job, so the bar moves smoothly. */
    long chunk = 1, cap = j->so.runs / 50 > 1 ? j->so.runs / 50 : 1, first = 0;
    /* The chunks share what the monthly search keeps (pl_sim_cache). */
    pl_sim_cache *cache = NULL;
    if (st == PL_OK)
        st = pl_sim_cache_new(j->sc, &j->so, &cache, &d);
    while (st == PL_OK && first < j->so.runs && !j->cancel) {
        long n = j->so.runs - first < chunk ? j->so.runs - first : chunk;
        double t = now_ms();
        st = pl_sim_cache_run_range(cache, first, n, rec + sz * (size_t)first, &d);
        if (st != PL_OK)
            break;
        first += n;
        pthread_mutex_lock(&j->mu);
        j->done = first;
        pthread_mutex_unlock(&j->mu);
        if (now_ms() - t < 100 && chunk < cap)
            chunk *= 2;
        if (chunk > cap)
            chunk = cap;
    }
    pl_sim_cache_free(cache);
    char *json = NULL;
    if (st == PL_OK && !j->cancel)
        st = pl_sim_summary_json(j->sc, &j->so, rec, &json, &d);
    free(rec);
    pthread_mutex_lock(&j->mu);
    j->elapsed_ms = now_ms() - j->t0;
    if (j->cancel) {
        j->state = JOB_CANCELLED;
        pl_free(json);
    } else if (st != PL_OK) {
        j->state = JOB_FAILED;
        snprintf(j->error, sizeof j->error, "%s", d.message[0] ? d.message : "the simulation failed");
    } else {
        j->state = JOB_DONE;
        j->result = json;
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* Ends a job: asks its worker to stop at the next chunk and waits for it. */
static void job_free(sim_job *j)
{
    if (!j)
        return;
    j->cancel = 1;
    pthread_join(j->th, NULL);
    pthread_mutex_destroy(&j->mu);
    pl_scenario_free(j->sc);
    pl_free(j->result);
    free(j);
}

static void jobs_stop_all(sim_jobs *J)
{
    for (size_t k = 0; k < J->n; k++)
        J->job[k]->cancel = 1;
    for (size_t k = 0; k < J->n; k++)
        job_free(J->job[k]);
    J->n = 0;
}

static const char *job_state_name(job_state s)
{
    switch (s) {
    case JOB_RUNNING: return "running";
    case JOB_DONE: return "done";
    case JOB_FAILED: return "failed";
    case JOB_CANCELLED: return "cancelled";
    }
    return "?";
}

static json_t *job_json(sim_job *j, int with_result)
{
    pthread_mutex_lock(&j->mu);
    json_t *res = with_result && j->result ? json_loads(j->result, 0, NULL) : NULL;
    double ms = j->state == JOB_RUNNING ? now_ms() - j->t0 : j->elapsed_ms;
    json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:f, s:o, s:o}", "id",
                          (json_int_t)j->id, "state", job_state_name(j->state), "done",
                          (json_int_t)j->done, "total", (json_int_t)j->so.runs, "seed",
                          (json_int_t)j->so.seed, "horizon", (json_int_t)j->so.horizon,
                          "elapsed_ms", ms, "result", res ? res : json_null(), "error",
                          j->state == JOB_FAILED ? json_string(j->error) : json_null());
    pthread_mutex_unlock(&j->mu);
    return o;
}

/* An optional whole-number field: 0 and *v untouched when absent, -1 when it
 * is not an integer in [lo, hi]. */
static int int_field(json_t *o, const char *key, json_int_t lo, json_int_t hi, json_int_t *v)
{
    json_t *x = json_object_get(o, key);
    if (!x)
        return 0;
    if (json_is_real(x)) {
        /* 200.0 is 200; the range test comes before the conversion. */
        double r = json_real_value(x);
        if (!(r >= (double)lo && r <= (double)hi && fabs(r) < 9e15 && r == floor(r)))
            return -1;
        *v = (json_int_t)r;
        return 0;
    }
    if (!json_is_integer(x) || json_integer_value(x) < lo || json_integer_value(x) > hi)
        return -1;
    *v = json_integer_value(x);
    return 0;
}

/* POST /api/simulate: {"runs", "seed", "horizon"} (all optional). */
static enum MHD_Result do_simulate(struct MHD_Connection *c, app *A, const char *body,
                                   size_t len)
{
    if (!pl_scenario_has_war(A->sc))
        return reply_error(c, 422, "this scenario has no war: section to simulate "
                                   "(docs/simulate.md)");
    json_error_t je;
    json_t *o = json_loadb(body, len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return reply_error(c, 400, "the body must be a JSON object");
    }
    json_int_t runs = 200, seed = 1, horizon = 0;
    const char *bad = NULL;
    if (int_field(o, "runs", 1, SIM_MAX_RUNS, &runs) != 0)
        bad = "\"runs\" must be a whole number from 1 to 100000";
    else if (int_field(o, "seed", 0, INT64_MAX, &seed) != 0)
        bad = "\"seed\" must be a whole number from 0 to 9223372036854775807";
    else if (int_field(o, "horizon", 1, 1200, &horizon) != 0)
        bad = "\"horizon\" must be a whole number of months from 1 to 1200";
    else {
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            if (strcmp(k, "runs") != 0 && strcmp(k, "seed") != 0 && strcmp(k, "horizon") != 0) {
                bad = "unknown field (expected \"runs\", \"seed\", \"horizon\")";
                break;
            }
        }
    }
    json_decref(o);
    if (bad)
        return reply_error(c, 400, bad);
    sim_jobs *J = &A->jobs;
    size_t running = 0;
    for (size_t k = 0; k < J->n; k++)
        running += job_get_state(J->job[k], NULL) == JOB_RUNNING;
    if (running >= SIM_MAX_RUNNING)
        return reply_error(c, 429, "a simulation is already running: wait for it to finish");
    /* Room: drop the oldest finished job when the table is full. */
    if (J->n == SIM_MAX_KEPT) {
        size_t k = 0;
        while (k < J->n && job_get_state(J->job[k], NULL) == JOB_RUNNING)
            k++;
        if (k == J->n)
            return reply_error(c, 429, "too many simulations running");
        job_free(J->job[k]);
        memmove(&J->job[k], &J->job[k + 1], (J->n - k - 1) * sizeof J->job[0]);
        J->n--;
    }
    /* The private copy: the edited text, loaded anew at the same date. */
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *yaml = NULL;
    pl_scenario *copy = NULL;
    pl_status st = pl_scenario_write_yaml(A->sc, A->src, A->src_len, &yaml, &d);
    if (st == PL_OK)
        st = pl_scenario_load_buffer(A->name, yaml, strlen(yaml), &copy, &d);
    pl_free(yaml);
    if (st == PL_OK && A->as_of)
        st = pl_scenario_set_as_of(copy, A->as_of, &d);
    if (st != PL_OK) {
        pl_scenario_free(copy);
        return reply_error(c, st == PL_E_NOMEM ? 500 : 422, d.message);
    }
    sim_job *j = calloc(1, sizeof *j);
    if (!j) {
        pl_scenario_free(copy);
        return reply_error(c, 500, "out of memory");
    }
    j->id = ++J->next_id;
    j->sc = copy;
    pl_sim_options_init(&j->so);
    j->so.runs = (long)runs;
    j->so.seed = (uint64_t)seed;
    j->so.horizon = (int)horizon;
    j->so.threads = 1;
    j->state = JOB_RUNNING;
    j->t0 = now_ms();
    pthread_mutex_init(&j->mu, NULL);
    if (pthread_create(&j->th, NULL, sim_worker, j) != 0) {
        pthread_mutex_destroy(&j->mu);
        pl_scenario_free(copy);
        free(j);
        return reply_error(c, 500, "cannot start a worker thread");
    }
    J->job[J->n++] = j;
    return reply_json(c, job_json(j, 0));
}

/* DELETE /api/simulate/ID: stop a running job (it ends at its next chunk). */
static enum MHD_Result cancel_job(struct MHD_Connection *c, sim_job *j)
{
    j->cancel = 1;
    return reply_json(c, job_json(j, 0));
}

/* GET /api/simulate: whether the scenario can be simulated, and the jobs. */
static enum MHD_Result reply_jobs(struct MHD_Connection *c, app *A)
{
    json_t *list = json_array();
    for (size_t k = 0; k < A->jobs.n; k++)
        json_array_append_new(list, job_json(A->jobs.job[k], 0));
    return reply_json(c, json_pack("{s:b, s:i, s:o}", "war", pl_scenario_has_war(A->sc),
                                   "max_runs", (int)SIM_MAX_RUNS, "jobs", list));
}

static sim_job *find_job(app *A, const char *id)
{
    char *end = NULL;
    if (!*id || *id < '0' || *id > '9')
        return NULL;
    unsigned long v = strtoul(id, &end, 10);
    if (*end)
        return NULL;
    for (size_t k = 0; k < A->jobs.n; k++)
        if (A->jobs.job[k]->id == v)
            return A->jobs.job[k];
    return NULL;
}

/* ---- routing ---------------------------------------------------------------- */

typedef struct req {
    char *body;
    size_t len;
    int too_big;
} req;

static void req_done(void *cls, struct MHD_Connection *c, void **con_cls,
                     enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

static enum MHD_Result route(app *A, struct MHD_Connection *c, const char *url,
                             const char *method, req *r)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int post = strcmp(method, "POST") == 0;
    if (strstr(url, "..") || strchr(url, '\\') || url[0] != '/')
        return reply_error(c, 400, "bad path");
    if (r->too_big)
        return reply_error(c, 413, "request body too large (limit 64 KiB)");
    /* static assets */
    for (size_t k = 0; k < web_asset_count; k++) {
        if (strcmp(url, web_assets[k].path) != 0)
            continue;
        if (!get)
            return reply_error(c, 405, "method not allowed");
        char type[64];
        snprintf(type, sizeof type, "%s; charset=utf-8", web_assets[k].type);
        return reply(c, 200, type, web_assets[k].data, web_assets[k].len, NULL);
    }
    if (strncmp(url, "/api/", 5) != 0)
        return reply_error(c, 404, "not found");
    const char *ep = url + 5;
    pl_diag d;
    memset(&d, 0, sizeof d);
    char *s = NULL;
    if (strcmp(ep, "edit") == 0) {
        if (!post)
            return reply_error(c, 405, "use POST");
        return do_edit(c, A, r->body ? r->body : "", r->len);
    }
    if (strcmp(ep, "reset") == 0) {
        if (!post)
            return reply_error(c, 405, "use POST");
        if (reload(A, &d) != 0)
            return reply_error(c, 500, d.message);
        return reply_state(c, A, BRIDGES_QUICK);
    }
    if (strcmp(ep, "shutdown") == 0) {
        if (!A->test_mode)
            return reply_error(c, 404, "not found");
        if (!post)
            return reply_error(c, 405, "use POST");
        *A->stop = 1;
        return reply_json(c, json_pack("{s:b}", "stopping", 1));
    }
    if (strcmp(ep, "simulate") == 0) {
        if (post)
            return do_simulate(c, A, r->body ? r->body : "", r->len);
        if (!get)
            return reply_error(c, 405, "use GET or POST");
        return reply_jobs(c, A);
    }
    if (strncmp(ep, "simulate/", 9) == 0) {
        sim_job *j = find_job(A, ep + 9);
        if (!j)
            return reply_error(c, 404, "no such simulation");
        if (strcmp(method, "DELETE") == 0)
            return cancel_job(c, j);
        if (!get)
            return reply_error(c, 405, "use GET or DELETE");
        return reply_json(c, job_json(j, 1));
    }
    if (!get)
        return reply_error(c, 405, "use GET");
    if (strcmp(ep, "state") == 0)
        return reply_state(c, A, BRIDGES_FULL);
    if (strcmp(ep, "controls") == 0)
        return reply_json(c, controls_json(A));
    if (strcmp(ep, "version") == 0)
        return reply_json(c, json_pack("{s:s, s:f}", "parley_version", pl_version(), "last_compute_ms",
                                       A->last_ms));
    if (strcmp(ep, "scenario") == 0) {
        pl_status st = pl_scenario_to_json(A->sc, &s, &d);
        return reply_doc(c, s, st, &d);
    }
    if (strcmp(ep, "evaluate") == 0) {
        pl_evaluation *ev = NULL;
        pl_status st = pl_evaluate(A->sc, -1, &ev, &d);
        if (st == PL_OK)
            st = pl_evaluation_to_json(A->sc, ev, &s, &d);
        pl_evaluation_free(ev);
        return reply_doc(c, s, st, &d);
    }
    if (strcmp(ep, "zopa") == 0 || strcmp(ep, "pareto") == 0 || strcmp(ep, "solve") == 0) {
        pl_space_options so;
        pl_space_options_init(&so);
        pl_space *sp = NULL;
        pl_status st = ep[0] == 'z'   ? pl_zopa(A->sc, &so, &sp, &d)
                       : ep[0] == 'p' ? pl_pareto(A->sc, &so, &sp, &d)
                                      : pl_solve(A->sc, &so, &sp, &d);
        if (st == PL_OK)
            st = pl_space_to_json(A->sc, sp, &s, &d);
        pl_space_free(sp);
        return reply_doc(c, s, st, &d);
    }
    if (strcmp(ep, "bridge") == 0) {
        pl_space_options so;
        pl_space_options_init(&so);
        const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "quick");
        so.quick_bridges = q && strcmp(q, "0") != 0;
        pl_bridges *b = NULL;
        pl_status st = pl_bridges_find(A->sc, &so, &b, &d);
        if (st == PL_OK)
            st = pl_bridges_to_json(A->sc, b, &s, &d);
        pl_bridges_free(b);
        return reply_doc(c, s, st, &d);
    }
    if (strcmp(ep, "timeline") == 0) {
        pl_space_options so;
        pl_space_options_init(&so);
        pl_status st = pl_timeline_json(A->sc, &so, &s, &d);
        return reply_doc(c, s, st, &d);
    }
    if (strcmp(ep, "report") == 0) {
        pl_report_options ro;
        pl_report_options_init(&ro);
        /* ?war=0 skips the simulations (they run on this request thread);
         * ?runs=N&tornado_runs=N&seed=S as on the command line. */
        const char *q;
        char *end = NULL;
        if ((q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "war")) &&
            strcmp(q, "0") == 0)
            ro.war = 0;
        if ((q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "runs"))) {
            ro.runs = strtol(q, &end, 10);
            if (*end || ro.runs < 1 || ro.runs > SIM_MAX_RUNS)
                return reply_error(c, 400, "runs must be a whole number from 1 to 100000");
        }
        if ((q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tornado_runs"))) {
            ro.tornado_runs = strtol(q, &end, 10);
            if (*end || ro.tornado_runs < 1 || ro.tornado_runs > SIM_MAX_RUNS)
                return reply_error(c, 400, "tornado_runs must be a whole number from 1 to 100000");
        }
        if ((q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "seed"))) {
            unsigned long long v = strtoull(q, &end, 10);
            if (*end || !*q || *q == '-')
                return reply_error(c, 400, "seed must be a whole number");
            ro.seed = (uint64_t)v;
        }
        pl_status st = pl_report_html(A->sc, &ro, &s, &d);
        if (st != PL_OK)
            return reply_doc(c, s, st, &d);
        enum MHD_Result ret = reply(c, 200, "text/html; charset=utf-8", s, strlen(s), NULL);
        pl_free(s);
        return ret;
    }
    if (strcmp(ep, "yaml") == 0) {
        pl_status st = pl_scenario_write_yaml(A->sc, A->src, A->src_len, &s, &d);
        if (st != PL_OK)
            return reply_doc(c, s, st, &d);
        pl_scenario_info in;
        pl_scenario_get_info(A->sc, &in);
        char disp[160];
        snprintf(disp, sizeof disp, "attachment; filename=\"%.60s-edited.yaml\"", in.id);
        enum MHD_Result ret = reply(c, 200, "application/yaml; charset=utf-8", s, strlen(s), disp);
        pl_free(s);
        return ret;
    }
    return reply_error(c, 404, "no such API route");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    app *A = cls;
    req *r = *con_cls;
    if (!r) {
        /* First call: only the headers are known. */
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        /* Keep reading an oversized body (and drop it) so the answer is a
         * clean 413 instead of a reset connection. */
        if (!r->too_big && r->len + *upload_size <= MAX_BODY) {
            char *nb = realloc(r->body, r->len + *upload_size + 1);
            if (!nb)
                return MHD_NO;
            memcpy(nb + r->len, upload_data, *upload_size);
            r->body = nb;
            r->len += *upload_size;
            r->body[r->len] = '\0';
        } else {
            r->too_big = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return route(A, c, url, method, r);
}

/* ---- the command ------------------------------------------------------------ */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *t = cap < (64u << 20) ? realloc(s, cap * 2) : NULL;
            if (!t) {
                free(s);
                s = NULL;
            }
            s = t;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return s;
}

int cmd_serve(int argc, char **argv)
{
    const char *port_s = NULL, *host = NULL, *max_s = NULL;
    int test_mode = 0;
    const web_opt spec[] = {
        {"--port", NULL, &port_s},
        {"--host", NULL, &host},
        {"--max-seconds", NULL, &max_s},
        {"--test-mode", &test_mode, NULL},
    };
    argc = web_take_opts(argc, argv, spec, sizeof spec / sizeof spec[0]);
    if (argc < 0)
        return EXIT_INPUT;
    common_opts o;
    int rc = cli_parse(argc, argv, "serve", 0, &o);
    if (rc >= 0)
        return rc;
    char *end = NULL;
    long port = port_s ? strtol(port_s, &end, 10) : 8080;
    if (port_s && (*end || port < 0 || port > 65535)) {
        cli_error("--port needs a number from 0 to 65535, got '%s'", port_s);
        return EXIT_INPUT;
    }
    double max_sec = max_s ? strtod(max_s, &end) : 0;
    if (max_s && (*end || !(max_sec > 0))) {
        cli_error("--max-seconds needs a positive number, got '%s'", max_s);
        return EXIT_INPUT;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host ? host : "127.0.0.1", &sa.sin_addr) != 1) {
        cli_error("--host needs an IPv4 address, got '%s'", host);
        return EXIT_INPUT;
    }

    app A;
    memset(&A, 0, sizeof A);
    A.as_of = o.as_of;
    A.test_mode = test_mode;
    A.stop = &g_stop;
    if (o.file) {
        A.src = read_all(o.file, &A.src_len);
        if (!A.src) {
            cli_error("cannot read '%s': %s", o.file, strerror(errno));
            return EXIT_INPUT;
        }
        A.name = o.file;
    } else {
        A.src = malloc(pl_cli_reference_scenario_len + 1);
        if (!A.src)
            return EXIT_INTERNAL;
        memcpy(A.src, pl_cli_reference_scenario, pl_cli_reference_scenario_len);
        A.src_len = pl_cli_reference_scenario_len;
        A.name = CLI_REFERENCE_NAME;
    }
    pl_diag d;
    memset(&d, 0, sizeof d);
    if (reload(&A, &d) != 0) {
        cli_print_diag(&d);
        free(A.src);
        return cli_exit_code(d.status);
    }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *dm = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, &A,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, req_done,
        NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)256, MHD_OPTION_END);
    if (!dm) {
        cli_error("cannot listen on %s:%ld (in use, or not allowed)", host ? host : "127.0.0.1",
                  port);
        pl_scenario_free(A.sc);
        free(A.src);
        return EXIT_INPUT;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(dm, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = di ? di->port : (unsigned)port;
    char addr[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
    printf("parley serve: listening on http://%s:%u/\n", addr, bound);
    fflush(stdout);
    double t0 = now_ms();
    while (!g_stop) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (max_sec > 0 && now_ms() - t0 > max_sec * 1000)
            break;
    }
    MHD_stop_daemon(dm);
    /* Running simulations stop at their next chunk. */
    jobs_stop_all(&A.jobs);
    pl_scenario_free(A.sc);
    free(A.src);
    return EXIT_OK;
}
