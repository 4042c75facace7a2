/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writers: the gmcr-json/1 results object, the conflict in gmcr-json/1, and a
 * parley scenario with a `conflict:` section (what `parley import gmcr`
 * writes). */
#include <stdio.h>
#include <string.h>

#include "gmcr/gmcr.h"
#include "util/json.h"
#include "util/util.h"

static pl_status nomem(pl_diag *d)
{
    pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

static int get_bit(const uint64_t *b, uint32_t x)
{
    return (int)((b[x >> 6] >> (x & 63)) & 1u);
}

pl_status pl_stability_to_json(const pl_stability *st, char **json, pl_diag *diag)
{
    if (!st || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *json = NULL;
    const pl_conflict *c = st->c;
    json_t *root = json_object();
    json_t *states = json_array();
    json_t *stable = json_object();
    json_t *eq = json_object();
    int bad = !root || !states || !stable || !eq;
    char sbuf[PL_GMCR_MAX_OPTIONS + 1];
    for (uint32_t i = 0; i < c->n_states && !bad; i++) {
        gm_state_string(c, c->states[i], sbuf);
        json_t *o = json_pack("{s:I,s:I,s:s}", "ordinal", (json_int_t)i + 1, "decimal",
                              (json_int_t)c->states[i], "state", sbuf);
        bad |= !o || json_array_append_new(states, o) != 0;
    }
    for (int k = 0; k < PL_GMCR_N_CONCEPTS && !bad; k++) {
        if (!((st->opts.concepts >> k) & 1u))
            continue;
        json_t *per = json_object();
        json_t *eql = json_array();
        bad |= !per || !eql;
        for (int u = 0; u < st->n_units && !bad; u++) {
            json_t *l = json_array();
            bad |= !l;
            for (uint32_t i = 0; i < c->n_states && !bad; i++)
                if (get_bit(st->stable[k][u], c->states[i]))
                    bad |= json_array_append_new(l, json_integer((json_int_t)i + 1)) != 0;
            bad |= json_object_set_new(per, st->unit[u].name, l) != 0;
        }
        for (uint32_t i = 0; i < c->n_states && !bad; i++) {
            int all = 1;
            for (int u = 0; u < st->n_units && all; u++)
                all = get_bit(st->stable[k][u], c->states[i]);
            if (all)
                bad |= json_array_append_new(eql, json_integer((json_int_t)i + 1)) != 0;
        }
        bad |= json_object_set_new(stable, pl_gmcr_concept_name((pl_gmcr_concept)k), per) != 0;
        bad |= json_object_set_new(eq, pl_gmcr_concept_name((pl_gmcr_concept)k), eql) != 0;
    }
    char tool[64];
    snprintf(tool, sizeof tool, "parley %s", PL_VERSION_STRING);
    const char *sem = st->opts.gmcrplus_sim ? "gmcrplus" : "";
    (void)sem;
    if (!bad) {
        bad |= json_object_set_new(root, "conflict", json_string(c->name)) != 0;
        bad |= json_object_set_new(root, "tool", json_string(tool)) != 0;
        bad |= json_object_set_new(root, "semantics",
                                   json_string(pl_gmcr_semantics_name(st->opts.semantics))) != 0;
        if (st->opts.gmcrplus_sim)
            bad |= json_object_set_new(root, "sim", json_string("gmcrplus")) != 0;
        bad |= json_object_set(root, "states", states) != 0;
        bad |= json_object_set(root, "stable", stable) != 0;
        bad |= json_object_set(root, "equilibria", eq) != 0;
    }
    json_decref(states);
    json_decref(stable);
    json_decref(eq);
    char *s = bad ? NULL : pl__json_dump(root, 2);
    json_decref(root);
    if (!s)
        return nomem(diag);
    *json = s;
    return PL_OK;
}

/* ---- the conflict as gmcr-json/1 ---------------------------------------- */

static const char *dir_json(pl_gmcr_direction d)
{
    return d == PL_GMCR_N_TO_Y ? "N_to_Y_only" : d == PL_GMCR_Y_TO_N ? "Y_to_N_only" : "both";
}

/* The ranking of DM i, most preferred first, ties grouped: exact, whatever
 * the method the preferences came from. */
static json_t *ranking_json(const pl_conflict *c, int i)
{
    const uint32_t *pay = c->dm[i].pay;
    uint32_t top = 0;
    for (uint32_t k = 0; k < c->n_states; k++)
        if (pay[c->states[k]] > top)
            top = pay[c->states[k]];
    json_t *rk = json_array();
    char sbuf[PL_GMCR_MAX_OPTIONS + 1];
    for (uint32_t lv = top; lv >= 1 && rk; lv--) {
        json_t *grp = json_array();
        if (!grp) {
            json_decref(rk);
            return NULL;
        }
        for (uint32_t k = 0; k < c->n_states; k++)
            if (pay[c->states[k]] == lv) {
                gm_state_string(c, c->states[k], sbuf);
                json_array_append_new(grp, json_string(sbuf));
            }
        if (json_array_size(grp) == 1) {
            json_array_append(rk, json_array_get(grp, 0));
            json_decref(grp);
        } else if (json_array_size(grp) > 1) {
            json_array_append_new(rk, grp);
        } else {
            json_decref(grp);
        }
    }
    return rk;
}

pl_status pl_conflict_to_json(const pl_conflict *c, char **json, pl_diag *diag)
{
    if (!c || !json) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *json = NULL;
    json_t *root = json_object(), *opts = json_array(), *dms = json_array(),
           *inf = json_array();
    int bad = !root || !opts || !dms || !inf;
    for (int k = 0; k < c->n && !bad; k++)
        bad |= json_array_append_new(opts, json_pack("{s:s,s:i,s:s}", "name", c->opt[k].name,
                                                     "dm", c->opt[k].dm, "direction",
                                                     dir_json(c->opt[k].dir))) != 0;
    for (int i = 0; i < c->n_dm && !bad; i++) {
        json_t *rk = ranking_json(c, i);
        bad |= !rk;
        if (!bad)
            bad |= json_array_append_new(
                       dms, json_pack("{s:s,s:{s:s,s:o}}", "name", c->dm[i].name, "preference",
                                      "method", "ranking", "ranking", rk)) != 0;
    }
    /* Infeasible states, one pattern each: exact and tool-neutral. */
    char sbuf[PL_GMCR_MAX_OPTIONS + 1];
    for (uint32_t x = 0; x < c->cube && !bad; x++)
        if (!gm_feasible(c, x)) {
            gm_state_string(c, x, sbuf);
            bad |= json_array_append_new(inf, json_string(sbuf)) != 0;
        }
    if (!bad) {
        json_object_set_new(root, "format", json_string("gmcr-json/1"));
        json_object_set_new(root, "name", json_string(c->name));
        json_object_set_new(root, "source", json_string(c->source));
        json_object_set(root, "options", opts);
        json_object_set(root, "decision_makers", dms);
        json_object_set(root, "infeasible", inf);
        if (c->n_coal) {
            json_t *co = json_array();
            for (size_t k = 0; k < c->n_coal && co; k++) {
                json_t *g = json_array();
                for (int m = 0; m < c->n_dm; m++)
                    if ((c->coal[k] >> m) & 1u)
                        json_array_append_new(g, json_integer(m));
                json_array_append_new(co, g);
            }
            json_object_set_new(root, "coalitions", co);
        } else {
            json_object_set_new(root, "coalitions", json_null());
        }
        json_object_set_new(root, "misperceived", json_null());
        if (c->sq >= 0) {
            gm_state_string(c, (uint32_t)c->sq, sbuf);
            json_object_set_new(root, "status_quo", json_string(sbuf));
        }
    }
    json_decref(opts);
    json_decref(dms);
    json_decref(inf);
    char *s = bad ? NULL : pl__json_dump(root, 2);
    json_decref(root);
    if (!s)
        return nomem(diag);
    *json = s;
    return PL_OK;
}

/* ---- the conflict as a parley scenario ---------------------------------- */

/* A YAML double-quoted scalar. */
static void yq(pl_buf *b, const char *s)
{
    pl_buf_puts(b, "\"");
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            pl_buf_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            pl_buf_printf(b, "\\x%02x", ch);
        else
            pl_buf_add(b, s, 1);
    }
    pl_buf_puts(b, "\"");
}

static const char *dir_yaml(pl_gmcr_direction d)
{
    return d == PL_GMCR_N_TO_Y ? "n_to_y" : d == PL_GMCR_Y_TO_N ? "y_to_n" : "both";
}

pl_status pl_conflict_to_yaml(const pl_conflict *c, char **yaml, pl_diag *diag)
{
    if (!c || !yaml) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *yaml = NULL;
    pl_buf b;
    pl_buf_init(&b);
    char sbuf[PL_GMCR_MAX_OPTIONS + 1];
    pl_buf_puts(&b, "# Imported by parley from a GMCR conflict");
    if (c->source[0]) {
        pl_buf_puts(&b, " (");
        pl_buf_puts(&b, c->source);
        pl_buf_puts(&b, ")");
    }
    pl_buf_puts(&b, ".\n# Each GMCR option is also an issue with options no/yes, so that the\n"
                    "# scenario is complete; the analysis reads the `conflict:` section.\n");
    pl_buf_puts(&b, "parley: 1\nscenario:\n  id: ");
    /* the scenario id: the first DM-independent identifier we can make */
    {
        char id[64];
        size_t k = 0;
        int us = 0;
        for (const char *p = c->name; *p && k < 40; p++) {
            unsigned char ch = (unsigned char)*p;
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
                id[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
                us = 0;
            } else if (!us && k) {
                id[k++] = '_';
                us = 1;
            }
        }
        while (k && id[k - 1] == '_')
            k--;
        id[k] = '\0';
        pl_buf_printf(&b, "%s%s\n", (!k || (id[0] >= '0' && id[0] <= '9')) ? "gmcr_" : "", id);
    }
    pl_buf_puts(&b, "  name: ");
    yq(&b, c->name[0] ? c->name : "GMCR conflict");
    pl_buf_puts(&b, "\n\nactors:\n");
    for (int i = 0; i < c->n_dm; i++) {
        pl_buf_printf(&b, "  - id: %s\n    name: ", c->dm[i].id);
        yq(&b, c->dm[i].name);
        pl_buf_puts(&b, "\n    role: party\n");
    }
    pl_buf_puts(&b, "\nissues:\n");
    for (int k = 0; k < c->n; k++) {
        int sq = c->sq >= 0 && ((c->sq >> k) & 1);
        pl_buf_printf(&b, "  - id: %s\n    name: ", c->opt[k].id);
        yq(&b, c->opt[k].name);
        pl_buf_printf(&b, "\n    status_quo: %s\n    options:\n"
                          "      - {id: absent, label: \"No\", position: 0}\n"
                          "      - {id: taken, label: \"Yes\", position: 100}\n",
                      sq ? "taken" : "absent");
    }
    pl_buf_puts(&b, "\nconflict:\n  name: ");
    yq(&b, c->name);
    pl_buf_puts(&b, "\n  decision_makers: [");
    for (int i = 0; i < c->n_dm; i++)
        pl_buf_printf(&b, "%s%s", i ? ", " : "", c->dm[i].id);
    pl_buf_puts(&b, "]\n  options:\n");
    for (int k = 0; k < c->n; k++) {
        pl_buf_printf(&b, "    - {id: %s, by: %s, name: ", c->opt[k].id, c->dm[c->opt[k].dm].id);
        yq(&b, c->opt[k].name);
        if (c->opt[k].dir != PL_GMCR_BOTH)
            pl_buf_printf(&b, ", direction: %s", dir_yaml(c->opt[k].dir));
        pl_buf_puts(&b, "}\n");
    }
    if (c->n_states < c->cube) {
        pl_buf_puts(&b, "  infeasible:\n");
        if (c->n_infeas_text) {
            for (size_t k = 0; k < c->n_infeas_text; k++) {
                const char *t = c->infeas_text[k];
                int pattern = 1;
                for (const char *p = t; *p; p++)
                    pattern &= *p == 'Y' || *p == 'N' || *p == '-';
                pl_buf_printf(&b, "    - %s: ", pattern ? "pattern" : "when");
                yq(&b, t);
                pl_buf_puts(&b, "\n");
            }
        } else {
            for (uint32_t x = 0; x < c->cube; x++)
                if (!gm_feasible(c, x)) {
                    gm_state_string(c, x, sbuf);
                    pl_buf_printf(&b, "    - pattern: %s\n", sbuf);
                }
        }
    }
    if (c->sq >= 0) {
        gm_state_string(c, (uint32_t)c->sq, sbuf);
        pl_buf_printf(&b, "  status_quo: %s\n", sbuf);
    }
    pl_buf_puts(&b, "  preferences:\n");
    for (int i = 0; i < c->n_dm; i++) {
        const gm_dm *d = &c->dm[i];
        pl_buf_printf(&b, "    %s:\n", d->id);
        if (d->prioritization && d->n_pref_text) {
            pl_buf_puts(&b, "      statements:\n");
            for (size_t k = 0; k < d->n_pref_text; k++) {
                pl_buf_puts(&b, "        - ");
                yq(&b, d->pref_text[k]);
                pl_buf_puts(&b, "\n");
            }
        } else {
            pl_buf_puts(&b, "      ranking:\n");
            uint32_t top = 0;
            for (uint32_t k = 0; k < c->n_states; k++)
                if (d->pay[c->states[k]] > top)
                    top = d->pay[c->states[k]];
            for (uint32_t lv = top; lv >= 1; lv--) {
                int cnt = 0;
                for (uint32_t k = 0; k < c->n_states; k++)
                    cnt += d->pay[c->states[k]] == lv;
                if (!cnt)
                    continue;
                pl_buf_puts(&b, cnt > 1 ? "        - [" : "        - ");
                int first = 1;
                for (uint32_t k = 0; k < c->n_states; k++)
                    if (d->pay[c->states[k]] == lv) {
                        gm_state_string(c, c->states[k], sbuf);
                        pl_buf_printf(&b, "%s%s", first ? "" : ", ", sbuf);
                        first = 0;
                    }
                pl_buf_puts(&b, cnt > 1 ? "]\n" : "\n");
            }
        }
    }
    if (c->n_coal) {
        pl_buf_puts(&b, "  coalitions:\n");
        for (size_t k = 0; k < c->n_coal; k++) {
            pl_buf_puts(&b, "    - [");
            int first = 1;
            for (int m = 0; m < c->n_dm; m++)
                if ((c->coal[k] >> m) & 1u) {
                    pl_buf_printf(&b, "%s%s", first ? "" : ", ", c->dm[m].id);
                    first = 0;
                }
            pl_buf_puts(&b, "]\n");
        }
    }
    for (int i = 0; i < c->n_dm; i++)
        if (c->dm[i].misp) {
            pl_buf_puts(&b, "  # note: misperceptions of the source are not kept in this "
                            "format\n");
            break;
        }
    if (b.oom) {
        pl_buf_free(&b);
        return nomem(diag);
    }
    *yaml = pl_buf_take(&b);
    return PL_OK;
}

/* ---- the full report ----------------------------------------------------- */

static json_t *explanation_json(const pl_stability *st, pl_gmcr_concept k, size_t u, size_t s,
                                int *bad)
{
    pl_gmcr_explanation *ex;
    if (pl_stability_explain(st, k, u, s, &ex, NULL) != PL_OK) {
        *bad = 1;
        return NULL;
    }
    json_t *uis = json_array();
    for (size_t j = 0; j < pl_gmcr_explanation_count(ex) && uis; j++) {
        const pl_gmcr_ui *ui = pl_gmcr_explanation_ui(ex, j);
        json_t *sanc = json_array();
        for (size_t t = 0; t < ui->n_steps && sanc; t++)
            json_array_append_new(sanc, json_pack("{s:s,s:I}", "by",
                                                  pl_stability_unit_name(st, ui->steps[t].unit),
                                                  "to", (json_int_t)ui->steps[t].to));
        json_t *o = json_pack("{s:I,s:b,s:o}", "to", (json_int_t)ui->to, "sanctioned",
                              ui->sanctioned, "sanction", sanc);
        if (o && ui->sanction_state)
            json_object_set_new(o, "lands_in", json_integer((json_int_t)ui->sanction_state));
        if (!o || json_array_append_new(uis, o) != 0)
            *bad = 1;
    }
    json_t *r = json_pack("{s:I,s:s,s:s,s:b,s:o,s:s}", "state", (json_int_t)s, "unit",
                          pl_stability_unit_name(st, u), "concept", pl_gmcr_concept_name(k),
                          "stable", pl_gmcr_explanation_stable(ex), "improvements", uis, "text",
                          pl_gmcr_explanation_text(ex));
    pl_gmcr_explanation_free(ex);
    if (!r)
        *bad = 1;
    return r;
}

pl_status pl_stability_report_json(const pl_stability *st, const size_t *explain,
                                   size_t n_explain, long paths_from, char **json, pl_diag *diag)
{
    if (!st || !json || (n_explain && !explain)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *json = NULL;
    const pl_conflict *c = st->c;
    char *base = NULL;
    pl_status rc = pl_stability_to_json(st, &base, diag);
    if (rc != PL_OK)
        return rc;
    json_t *root = json_loads(base, 0, NULL);
    pl__free(base);
    if (!root)
        return nomem(diag);
    int bad = 0;
    json_t *opts = json_array(), *dms = json_array(), *exs = json_array();
    for (int k = 0; k < c->n && opts; k++)
        bad |= json_array_append_new(
                   opts, json_pack("{s:s,s:s,s:s,s:s}", "id", c->opt[k].id, "name", c->opt[k].name,
                                   "by", c->dm[c->opt[k].dm].id, "direction",
                                   dir_yaml(c->opt[k].dir))) != 0;
    for (int i = 0; i < c->n_dm && dms; i++) {
        json_t *ev = json_array();
        for (size_t e = 0; e < c->dm[i].n_evidence && ev; e++)
            json_array_append_new(ev, json_string(c->dm[i].evidence[e]));
        bad |= json_array_append_new(dms, json_pack("{s:s,s:s,s:o}", "id", c->dm[i].id, "name",
                                                    c->dm[i].name, "evidence", ev)) != 0;
    }
    for (size_t e = 0; e < n_explain && exs && !bad; e++) {
        if (explain[e] < 1 || explain[e] > c->n_states)
            continue;
        for (int u = 0; u < st->n_units && !bad; u++)
            for (int k = 0; k < PL_GMCR_N_CONCEPTS && !bad; k++) {
                if (!((st->opts.concepts >> k) & 1u))
                    continue;
                json_t *x = explanation_json(st, (pl_gmcr_concept)k, (size_t)u, explain[e], &bad);
                if (x)
                    bad |= json_array_append_new(exs, x) != 0;
            }
    }
    bad |= !opts || !dms || !exs;
    if (!bad) {
        json_object_set_new(root, "options", opts);
        json_object_set_new(root, "decision_makers", dms);
        json_object_set_new(root, "explanations", exs);
        json_object_set_new(root, "status_quo", c->sq >= 0
                                                    ? json_integer((json_int_t)c->ord[c->sq] + 1)
                                                    : json_null());
        opts = dms = exs = NULL;
    }
    json_decref(opts);
    json_decref(dms);
    json_decref(exs);
    if (!bad && paths_from >= 1 && (size_t)paths_from <= c->n_states) {
        json_t *paths = json_array();
        /* targets: the union of equilibria of the computed concepts */
        for (uint32_t i = 0; i < c->n_states && paths && !bad; i++) {
            int any = 0;
            for (int k = 0; k < PL_GMCR_N_CONCEPTS && !any; k++) {
                if (!((st->opts.concepts >> k) & 1u))
                    continue;
                int all = 1;
                for (int u = 0; u < st->n_units && all; u++)
                    all = get_bit(st->stable[k][u], c->states[i]);
                any = all;
            }
            if (!any)
                continue;
            pl_gmcr_step *steps;
            size_t n;
            pl_status pr = pl_stability_path(st, (size_t)paths_from, (size_t)i + 1, &steps, &n);
            if (pr == PL_E_NOMEM) {
                bad = 1;
                break;
            }
            json_t *o = json_pack("{s:I,s:b}", "to", (json_int_t)i + 1, "reachable", pr == PL_OK);
            if (pr == PL_OK) {
                json_t *sv = json_array();
                for (size_t t = 0; t < n && sv; t++)
                    json_array_append_new(
                        sv, json_pack("{s:s,s:I}", "by", st->unit[steps[t].unit].name, "to",
                                      (json_int_t)steps[t].to));
                json_object_set_new(o, "steps", sv);
                pl__free(steps);
            }
            bad |= !o || json_array_append_new(paths, o) != 0;
        }
        if (paths)
            json_object_set_new(root, "paths", paths);
        else
            bad = 1;
    }
    char *s = bad ? NULL : pl__json_dump(root, 2);
    json_decref(root);
    if (!s)
        return nomem(diag);
    *json = s;
    return PL_OK;
}
