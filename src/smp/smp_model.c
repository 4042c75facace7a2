/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMP model handle: actors, dimensions, parameters, and the result's
 * summaries. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "smp/smp.h"
#include "util/util.h"

void pl_smp_params_default(pl_smp_params *p)
{
    memset(p, 0, sizeof *p);
    p->kind = PL_SMP_KTAB;
    p->vpm = PL_SMP_VPM_LINEAR;
    p->vote = PL_SMP_VOTE_PROP;
    p->pce = PL_SMP_PCE_CONDITIONAL;
    p->transition = PL_SMP_DETERMINISTIC;
    p->risk_range = PL_SMP_RISK_MID;
    p->risk_adjust = PL_SMP_RISK_ADJ_ONE_THIRD;
    p->third_party = PL_SMP_TP_SEMI_COMMIT;
    p->interp = PL_SMP_INTERP_S2P2;
    p->bargain = PL_SMP_BARGAIN_INIT_ONLY;
    p->ktab_receiver_view = 1;
    p->max_rounds = 100;
    p->min_rounds = 2;
    p->stop_ratio = 0.02;
    p->stop_epsilon = 1e-4;
    p->seed = 1;
    p->threads = 0;
    p->probabilities = 2;
}

static const char *pick(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}

#define NAMES(fn, type, ...)                                                  \
    const char *fn(type v)                                                    \
    {                                                                         \
        static const char *const names[] = {__VA_ARGS__};                     \
        return pick(names, sizeof names / sizeof names[0], (int)v);          \
    }

NAMES(pl_smp_vpm_name, pl_smp_vpm, "linear", "square", "quartic", "octic", "binary")
NAMES(pl_smp_vote_name, pl_smp_vote, "binary", "prop_bin", "proportional", "prop_cubic", "cubic",
      "asym_prospect")
NAMES(pl_smp_pce_name, pl_smp_pce, "conditional", "markov_incentive", "markov_uniform")
NAMES(pl_smp_transition_name, pl_smp_transition, "deterministic", "stochastic")
NAMES(pl_smp_risk_range_name, pl_smp_risk_range, "min", "mid", "max")
NAMES(pl_smp_risk_adjust_name, pl_smp_risk_adjust, "full", "two_thirds", "half", "one_third",
      "none")
NAMES(pl_smp_third_party_name, pl_smp_third_party, "no_commit", "semi_commit", "full_commit")
NAMES(pl_smp_interp_name, pl_smp_interp, "s1p1", "s2p2", "s2pmax")
NAMES(pl_smp_bargain_name, pl_smp_bargain, "init_only", "init_rcvr", "pw_comp")
NAMES(pl_smp_kind_name, pl_smp_kind, "smp", "bdm")

char *smp_strdup(const char *s)
{
    return pl__strdup(s ? s : "");
}

void pl_smp_model_free(pl_smp_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        if (m->actor_id)
            pl__free(m->actor_id[i]);
        if (m->actor_name)
            pl__free(m->actor_name[i]);
        if (m->actor_desc)
            pl__free(m->actor_desc[i]);
        if (m->actor_ev)
            pl__free(m->actor_ev[i]);
    }
    for (size_t k = 0; k < m->d; k++) {
        if (m->dim_id)
            pl__free(m->dim_id[k]);
        if (m->dim_name)
            pl__free(m->dim_name[k]);
    }
    pl__free(m->actor_id);
    pl__free(m->actor_name);
    pl__free(m->actor_desc);
    pl__free(m->actor_ev);
    pl__free(m->dim_id);
    pl__free(m->dim_name);
    pl__free(m->cap);
    pl__free(m->pos);
    pl__free(m->sal);
    pl__free(m->name);
    pl__free(m->description);
    pl__free(m);
}

pl_status pl_smp_model_new(size_t n_actors, size_t n_dims, pl_smp_model **out, pl_diag *diag)
{
    if (!out)
        return PL_E_ARG;
    *out = NULL;
    if (n_actors == 0 || n_dims == 0 || n_actors > (1u << 20) || n_dims > 4096 ||
        n_actors > SIZE_MAX / 8 / n_dims) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "a forecast model needs 1 to 1048576 actors and 1 to 4096 dimensions");
        return PL_E_ARG;
    }
    pl_smp_model *m = pl__calloc(1, sizeof *m);
    if (!m)
        goto oom;
    m->n = n_actors;
    m->d = n_dims;
    pl_smp_params_default(&m->params);
    m->name = smp_strdup("");
    m->description = smp_strdup("");
    m->actor_id = pl__calloc(n_actors, sizeof *m->actor_id);
    m->actor_name = pl__calloc(n_actors, sizeof *m->actor_name);
    m->actor_ev = pl__calloc(n_actors, sizeof *m->actor_ev);
    m->actor_desc = pl__calloc(n_actors, sizeof *m->actor_desc);
    m->dim_id = pl__calloc(n_dims, sizeof *m->dim_id);
    m->dim_name = pl__calloc(n_dims, sizeof *m->dim_name);
    m->cap = pl__calloc(n_actors, sizeof *m->cap);
    m->pos = pl__calloc(n_actors * n_dims, sizeof *m->pos);
    m->sal = pl__calloc(n_actors * n_dims, sizeof *m->sal);
    if (!m->name || !m->description || !m->actor_id || !m->actor_name || !m->actor_ev || !m->actor_desc ||
        !m->dim_id || !m->dim_name || !m->cap || !m->pos || !m->sal)
        goto oom;
    char buf[32];
    for (size_t i = 0; i < n_actors; i++) {
        snprintf(buf, sizeof buf, "a%zu", i + 1);
        if (!(m->actor_id[i] = smp_strdup(buf)) || !(m->actor_name[i] = smp_strdup("")) ||
            !(m->actor_desc[i] = smp_strdup("")))
            goto oom;
        m->cap[i] = 1;
    }
    for (size_t k = 0; k < n_dims; k++) {
        snprintf(buf, sizeof buf, "d%zu", k + 1);
        if (!(m->dim_id[k] = smp_strdup(buf)) || !(m->dim_name[k] = smp_strdup(buf)))
            goto oom;
    }
    *out = m;
    return PL_OK;
oom:
    pl_smp_model_free(m);
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

static pl_status replace(char **slot, const char *s)
{
    char *c = smp_strdup(s);
    if (!c)
        return PL_E_NOMEM;
    pl__free(*slot);
    *slot = c;
    return PL_OK;
}

pl_status pl_smp_model_set_actor(pl_smp_model *m, size_t i, const char *id, const char *name,
                                 double capability)
{
    if (!m || i >= m->n)
        return PL_E_ARG;
    if (id && replace(&m->actor_id[i], id) != PL_OK)
        return PL_E_NOMEM;
    if (name && replace(&m->actor_name[i], name) != PL_OK)
        return PL_E_NOMEM;
    m->cap[i] = capability;
    return PL_OK;
}

pl_status pl_smp_model_set_actor_description(pl_smp_model *m, size_t i, const char *text)
{
    if (!m || i >= m->n)
        return PL_E_ARG;
    return text ? replace(&m->actor_desc[i], text) : PL_OK;
}

pl_status pl_smp_model_set_value(pl_smp_model *m, size_t actor, size_t dim, double position,
                                 double salience)
{
    if (!m || actor >= m->n || dim >= m->d)
        return PL_E_ARG;
    m->pos[actor * m->d + dim] = position;
    m->sal[actor * m->d + dim] = salience;
    return PL_OK;
}

pl_status pl_smp_model_set_dim(pl_smp_model *m, size_t k, const char *id, const char *name)
{
    if (!m || k >= m->d)
        return PL_E_ARG;
    if (id && replace(&m->dim_id[k], id) != PL_OK)
        return PL_E_NOMEM;
    if (name && replace(&m->dim_name[k], name) != PL_OK)
        return PL_E_NOMEM;
    return PL_OK;
}

pl_status pl_smp_model_set_name(pl_smp_model *m, const char *name, const char *description)
{
    if (!m)
        return PL_E_ARG;
    if (name && replace(&m->name, name) != PL_OK)
        return PL_E_NOMEM;
    if (description && replace(&m->description, description) != PL_OK)
        return PL_E_NOMEM;
    return PL_OK;
}

pl_status pl_smp_model_set_params(pl_smp_model *m, const pl_smp_params *p)
{
    if (!m || !p)
        return PL_E_ARG;
    m->params = *p;
    return PL_OK;
}

pl_status pl_smp_model_validate(const pl_smp_model *m, pl_diag *diag)
{
    if (!m)
        return PL_E_ARG;
    if (m->n < 2) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "a forecast needs at least 2 actors, found %zu", m->n);
        return PL_E_INPUT;
    }
    for (size_t i = 0; i < m->n; i++) {
        const char *id = m->actor_id[i];
        if (!isfinite(m->cap[i]) || m->cap[i] <= 0) {
            pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                         "actor '%s': capability must be a positive number, found %g", id,
                         m->cap[i]);
            return PL_E_INPUT;
        }
        double total = 0;
        for (size_t k = 0; k < m->d; k++) {
            double x = m->pos[i * m->d + k], s = m->sal[i * m->d + k];
            if (!isfinite(x) || x < 0 || x > 100) {
                pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                             "actor '%s': position on '%s' must be between 0 and 100, found %g",
                             id, m->dim_id[k], x);
                return PL_E_INPUT;
            }
            if (!isfinite(s) || s < 0 || s > 100) {
                pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                             "actor '%s': salience on '%s' must be between 0 and 100, found %g",
                             id, m->dim_id[k], s);
                return PL_E_INPUT;
            }
            total += s;
        }
        if (total > 100 + 1e-9) {
            pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                         "actor '%s': saliences sum to %g, more than 100", id, total);
            return PL_E_INPUT;
        }
        if (total <= 0) {
            pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                         "actor '%s': every salience is 0; give it some salience or leave it out",
                         id);
            return PL_E_INPUT;
        }
    }
    if (m->params.kind == PL_SMP_BDM && m->d != 1) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "the Bueno de Mesquita model works on one dimension; this model has %zu "
                     "(choose one with 'dimensions:')",
                     m->d);
        return PL_E_INPUT;
    }
    const pl_smp_params *p = &m->params;
    if (p->max_rounds < 1 || p->max_rounds > 100000 || !(p->stop_ratio >= 0) ||
        !(p->stop_epsilon >= 0) || !isfinite(p->stop_ratio) || !isfinite(p->stop_epsilon)) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "invalid stopping rule: max_rounds must be 1..100000 and the ratios >= 0");
        return PL_E_INPUT;
    }
    return PL_OK;
}

void pl_smp_model_get_info(const pl_smp_model *m, pl_smp_model_info *out)
{
    memset(out, 0, sizeof *out);
    if (!m)
        return;
    out->name = m->name;
    out->description = m->description;
    out->n_actors = m->n;
    out->n_dims = m->d;
    out->params = m->params;
}

pl_status pl_smp_model_actor(const pl_smp_model *m, size_t i, pl_smp_actor_info *out)
{
    if (!m || !out || i >= m->n)
        return PL_E_NOTFOUND;
    out->id = m->actor_id[i];
    out->name = m->actor_name[i];
    out->description = m->actor_desc[i];
    out->capability = m->cap[i];
    out->position = m->pos + i * m->d;
    out->salience = m->sal + i * m->d;
    return PL_OK;
}

const char *pl_smp_model_dim_id(const pl_smp_model *m, size_t k)
{
    return m && k < m->d ? m->dim_id[k] : NULL;
}

const char *pl_smp_model_dim_name(const pl_smp_model *m, size_t k)
{
    return m && k < m->d ? m->dim_name[k] : NULL;
}

const char *pl_smp_model_actor_evidence(const pl_smp_model *m, size_t i)
{
    return m && i < m->n ? m->actor_ev[i] : NULL;
}

void smp_make_id(const char *text, const char *prefix, size_t idx, char *const *used, size_t n,
                 char out[64])
{
    size_t o = 0;
    int last_us = 1;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && o < 48; p++) {
        if (isalnum(*p)) {
            if (o == 0 && isdigit(*p))
                out[o++] = '_';
            out[o++] = (char)*p;
            last_us = 0;
        } else if (!last_us) {
            out[o++] = '_';
            last_us = 1;
        }
    }
    while (o > 0 && out[o - 1] == '_')
        o--;
    if (o == 0)
        o = (size_t)snprintf(out, 64, "%s%zu", prefix, idx + 1);
    out[o] = '\0';
    /* Names that collapse to the same id get a numeric suffix. */
    char base[48];
    snprintf(base, sizeof base, "%s", out);
    for (unsigned k = 2;; k++) {
        int clash = 0;
        for (size_t j = 0; j < n && !clash; j++)
            clash = used[j] && strcmp(used[j], out) == 0;
        if (!clash)
            break;
        snprintf(out, 64, "%.47s_%u", base, k);
    }
}

/* ---- results -------------------------------------------------------------- */

void pl_smp_result_free(pl_smp_result *r)
{
    if (!r)
        return;
    pl__free(r->pos);
    pl__free(r->prob);
    pl__free(r->change);
    pl__free(r->w_cs);
    pl__free(r->init_mean);
    pl__free(r->final_mean);
    pl__free(r->modal);
    pl__free(r->expected);
    pl__free(r->group);
    pl__free(r);
}

int smp_result_push(pl_smp_result *r, const double *x01)
{
    size_t nd = r->n * r->d;
    if (r->n_states == r->cap_states) {
        size_t nc = r->cap_states ? 2 * r->cap_states : 16;
        double *p = pl__realloc(r->pos, nc * nd * sizeof *p);
        if (!p)
            return -1;
        r->pos = p;
        double *q = pl__realloc(r->prob, nc * r->n * sizeof *q);
        if (!q)
            return -1;
        r->prob = q;
        double *c = pl__realloc(r->change, nc * sizeof *c);
        if (!c)
            return -1;
        r->change = c;
        r->cap_states = nc;
    }
    double *dst = r->pos + r->n_states * nd;
    for (size_t i = 0; i < nd; i++)
        dst[i] = 100 * x01[i];
    for (size_t i = 0; i < r->n; i++)
        r->prob[r->n_states * r->n + i] = NAN;
    r->change[r->n_states] = NAN;
    r->n_states++;
    return 0;
}

static void wmean(const pl_smp_result *r, const double *x, double *out)
{
    for (size_t k = 0; k < r->d; k++) {
        double num = 0, den = 0;
        for (size_t i = 0; i < r->n; i++) {
            num += r->w_cs[i * r->d + k] * x[i * r->d + k];
            den += r->w_cs[i * r->d + k];
        }
        out[k] = den > 0 ? num / den : NAN;
    }
}

int smp_result_finish(pl_smp_result *r, const pl_smp_model *m)
{
    size_t n = r->n, d = r->d;
    r->w_cs = pl__malloc(n * d * sizeof *r->w_cs);
    r->init_mean = pl__malloc(d * sizeof(double));
    r->final_mean = pl__malloc(d * sizeof(double));
    r->modal = pl__malloc(d * sizeof(double));
    r->expected = pl__malloc(d * sizeof(double));
    if (!r->w_cs || !r->init_mean || !r->final_mean || !r->modal || !r->expected)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++)
            r->w_cs[i * d + k] = m->cap[i] * m->sal[i * d + k];
    const double *x0 = r->pos, *xt = r->pos + (r->n_states - 1) * n * d;
    wmean(r, x0, r->init_mean);
    wmean(r, xt, r->final_mean);
    /* Distinct positions as the engine grouped them (KTAB's rule): each
     * group's first actor stands for it. */
    const double *pt = r->prob + (r->n_states - 1) * n;
    r->modal_p = -1;
    for (size_t k = 0; k < d; k++)
        r->expected[k] = 0;
    for (size_t i = 0; r->group && i < n; i++) {
        if (r->group[i] != i || isnan(pt[i]))
            continue;
        double p = pt[i];
        if (p > r->modal_p) {
            r->modal_p = p;
            for (size_t k = 0; k < d; k++)
                r->modal[k] = xt[i * d + k];
        }
        for (size_t k = 0; k < d; k++)
            r->expected[k] += p * xt[i * d + k];
    }
    if (r->modal_p < 0) {
        r->modal_p = NAN;
        for (size_t k = 0; k < d; k++)
            r->modal[k] = r->expected[k] = NAN;
    }
    return 0;
}

size_t pl_smp_result_states(const pl_smp_result *r)
{
    return r ? r->n_states : 0;
}

int pl_smp_result_converged(const pl_smp_result *r)
{
    return r ? r->converged : 0;
}

const double *pl_smp_result_positions(const pl_smp_result *r, size_t t)
{
    return r && t < r->n_states ? r->pos + t * r->n * r->d : NULL;
}

double pl_smp_result_probability(const pl_smp_result *r, size_t t, size_t i)
{
    return r && t < r->n_states && i < r->n ? r->prob[t * r->n + i] : NAN;
}

double pl_smp_result_change(const pl_smp_result *r, size_t t)
{
    return r && t < r->n_states ? r->change[t] : NAN;
}

pl_status pl_smp_result_forecast(const pl_smp_result *r, size_t k, pl_smp_forecast *out)
{
    if (!r || !out || k >= r->d)
        return PL_E_NOTFOUND;
    out->modal = r->modal[k];
    out->expected = r->expected[k];
    out->weighted_mean = r->final_mean[k];
    out->initial_mean = r->init_mean[k];
    return PL_OK;
}

double pl_smp_result_modal_probability(const pl_smp_result *r)
{
    return r ? r->modal_p : NAN;
}

size_t pl_smp_result_distinct(const pl_smp_result *r)
{
    return r ? r->distinct : 0;
}
