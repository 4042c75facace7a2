/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The forecast as JSON (keys in docs/forecast.md), and the movers ranking
 * shared with the text output. */
#include <math.h>
#include <string.h>

#include "smp/smp.h"
#include "util/json.h"
#include "util/util.h"

double pl_smp_result_moved(const pl_smp_result *r, size_t i)
{
    if (!r || i >= r->n || r->n_states == 0)
        return NAN;
    const double *a = r->pos + i * r->d, *b = r->pos + (r->n_states - 1) * r->n * r->d + i * r->d;
    double s = 0;
    for (size_t k = 0; k < r->d; k++)
        s += (a[k] - b[k]) * (a[k] - b[k]);
    return sqrt(s);
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* json_object_set_new that remembers a failure instead of leaking. */
static void put(json_t *o, const char *k, json_t *v, int *bad)
{
    if (!v || json_object_set_new(o, k, v) != 0)
        *bad = 1;
}

static void push(json_t *a, json_t *v, int *bad)
{
    if (!v || json_array_append_new(a, v) != 0)
        *bad = 1;
}

pl_status pl_smp_result_to_json(const pl_smp_model *m, const pl_smp_result *r, size_t max_states,
                                char **json, pl_diag *diag)
{
    if (!m || !r || !json || r->n != m->n || r->d != m->d)
        return PL_E_ARG;
    *json = NULL;
    int bad = 0;
    const size_t n = m->n, d = m->d;
    const pl_smp_params *p = &m->params;
    json_t *root = json_object();
    if (!root)
        goto oom;
    put(root, "model", json_string(pl_smp_kind_name(p->kind)), &bad);
    put(root, "name", json_string(m->name), &bad);
    json_t *par = json_object();
    put(root, "parameters", par, &bad);
    if (par) {
        put(par, "victory_prob", json_string(pl_smp_vpm_name(p->vpm)), &bad);
        put(par, "voting_rule", json_string(pl_smp_vote_name(p->vote)), &bad);
        put(par, "pce", json_string(pl_smp_pce_name(p->pce)), &bad);
        put(par, "transitions", json_string(pl_smp_transition_name(p->transition)), &bad);
        put(par, "risk_range", json_string(pl_smp_risk_range_name(p->risk_range)), &bad);
        put(par, "risk_adjust", json_string(pl_smp_risk_adjust_name(p->risk_adjust)), &bad);
        put(par, "third_party", json_string(pl_smp_third_party_name(p->third_party)), &bad);
        put(par, "bargain_interp", json_string(pl_smp_interp_name(p->interp)), &bad);
        put(par, "bargain_model", json_string(pl_smp_bargain_name(p->bargain)), &bad);
        put(par, "max_rounds", json_integer(p->max_rounds), &bad);
        put(par, "stop_ratio", json_real(p->stop_ratio), &bad);
        if (p->transition == PL_SMP_STOCHASTIC)
            put(par, "seed", json_integer((json_int_t)p->seed), &bad);
    }
    json_t *acts = json_array(), *dims = json_array();
    put(root, "actors", acts, &bad);
    put(root, "dimensions", dims, &bad);
    for (size_t i = 0; acts && i < n; i++)
        push(acts, json_string(m->actor_id[i]), &bad);
    for (size_t k = 0; dims && k < d; k++)
        push(dims, json_string(m->dim_id[k]), &bad);
    put(root, "converged", json_boolean(r->converged), &bad);
    put(root, "rounds_played", json_integer((json_int_t)(r->n_states - 1)), &bad);
    json_t *rounds = json_array();
    put(root, "rounds", rounds, &bad);
    size_t first = max_states && r->n_states > max_states ? r->n_states - max_states : 0;
    for (size_t t = first; rounds && t < r->n_states; t++) {
        json_t *o = json_object(), *pos = json_object(), *pr = json_object();
        push(rounds, o, &bad);
        if (!o || !pos || !pr) {
            json_decref(pos);
            json_decref(pr);
            goto oom;
        }
        put(o, "round", json_integer((json_int_t)t), &bad);
        put(o, "positions", pos, &bad);
        put(o, "probabilities", pr, &bad);
        if (t > 0)
            put(o, "change", num(r->change[t]), &bad);
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array();
            put(pos, m->actor_id[i], v, &bad);
            for (size_t k = 0; v && k < d; k++)
                push(v, json_real(r->pos[(t * n + i) * d + k]), &bad);
            put(pr, m->actor_id[i], num(r->prob[t * n + i]), &bad);
        }
    }
    json_t *fin = json_object();
    put(root, "final", fin, &bad);
    for (size_t k = 0; fin && k < d; k++) {
        json_t *o = json_object();
        put(fin, m->dim_id[k], o, &bad);
        if (!o)
            break;
        put(o, "modal", num(r->modal[k]), &bad);
        put(o, "expected", num(r->expected[k]), &bad);
        put(o, "weighted_mean", num(r->final_mean[k]), &bad);
        put(o, "initial_weighted_mean", num(r->init_mean[k]), &bad);
    }
    put(root, "modal_probability", num(r->modal_p), &bad);
    put(root, "distinct_positions", json_integer((json_int_t)r->distinct), &bad);
    json_t *mov = json_array();
    put(root, "movers", mov, &bad);
    size_t *ord = pl__malloc(n * sizeof *ord);
    if (!ord)
        goto oom;
    pl_smp_result_movers(r, ord);
    for (size_t q = 0; mov && q < n; q++) {
        size_t i = ord[q];
        json_t *o = json_object();
        push(mov, o, &bad);
        if (!o)
            break;
        put(o, "actor", json_string(m->actor_id[i]), &bad);
        put(o, "moved", num(pl_smp_result_moved(r, i)), &bad);
    }
    pl__free(ord);
    if (m->actor_ev) {
        json_t *ev = json_object();
        put(root, "evidence", ev, &bad);
        for (size_t i = 0; ev && i < n; i++) {
            if (!m->actor_ev[i])
                continue;
            json_t *a = json_array();
            put(ev, m->actor_id[i], a, &bad);
            for (const char *s = m->actor_ev[i]; a && *s; s += strlen(s) + 1)
                push(a, json_string(s), &bad);
        }
    }
    if (bad)
        goto oom;
    *json = pl__json_dump(root, 2);
    json_decref(root);
    if (!*json) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    return PL_OK;
oom:
    json_decref(root);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

void pl_smp_result_movers(const pl_smp_result *r, size_t *order)
{
    if (!r || !order)
        return;
    /* Insertion sort: stable, so equal movers stay in actor order. */
    for (size_t i = 0; i < r->n; i++) {
        double mi = pl_smp_result_moved(r, i);
        size_t j = i;
        while (j > 0 && pl_smp_result_moved(r, order[j - 1]) < mi) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}
