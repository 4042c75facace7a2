/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The self-contained HTML report (issue #7): inline CSS and SVG only, so the
 * file opens offline, prints, and can be mailed as one attachment. No scripts:
 * hover texts are SVG <title> elements, which every browser shows natively.
 *
 * The document is written as polyglot HTML (well-formed XML, no named
 * entities other than the five XML ones) so that tests can parse it with a
 * plain XML parser and catch any unbalanced tag or unescaped text.
 *
 * Everything is computed through the public API, the same numbers the CLI
 * prints, so the report never disagrees with `parley evaluate/zopa/timeline`.
 */
#include "parley.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "util/util.h"

/* M_PI is POSIX, not C11. */
#define PI_ 3.14159265358979323846

void pl_report_options_init(pl_report_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->timeline = 1;
    opts->pareto = 1;
    opts->max_points = 400;
    opts->war = 1;
    opts->runs = 200;
    opts->tornado_runs = 50;
    opts->seed = 1;
    opts->gmcr = 1;
    opts->max_states = 24;
}

/* ---- small writers ------------------------------------------------------ */

static void esc(pl_buf *b, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '<': pl_buf_puts(b, "&lt;"); break;
        case '>': pl_buf_puts(b, "&gt;"); break;
        case '&': pl_buf_puts(b, "&amp;"); break;
        case '"': pl_buf_puts(b, "&quot;"); break;
        case '\'': pl_buf_puts(b, "&#39;"); break;
        default:
            /* Control characters are not allowed in XML 1.0 text. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                pl_buf_add(b, " ", 1);
            else
                pl_buf_add(b, s, 1);
        }
    }
}

/* Escaped and cut to at most max bytes on a UTF-8 boundary (long proposal
 * names would otherwise push the matrix off the page). */
static void esc_cut(pl_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        esc(b, s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    char *t = pl__strndup(s, max);
    if (!t) {
        b->oom = 1;
        return;
    }
    esc(b, t);
    pl__free(t);
    pl_buf_puts(b, "\xE2\x80\xA6"); /* ellipsis */
}

/* A diverging colour for a margin: red below 0, green above, white at 0,
 * saturating at +-scale. Chosen to stay readable in greyscale print too
 * (lightness falls with |margin|). */
static void margin_colour(double m, double scale, char out[8])
{
    double t = scale > 0 ? fabs(m) / scale : 0;
    if (t > 1)
        t = 1;
    int r, g, bl;
    if (m < 0) { /* towards #c0392b */
        r = (int)lround(255 + t * (192 - 255));
        g = (int)lround(255 + t * (57 - 255));
        bl = (int)lround(255 + t * (43 - 255));
    } else { /* towards #1e8449 */
        r = (int)lround(255 + t * (30 - 255));
        g = (int)lround(255 + t * (132 - 255));
        bl = (int)lround(255 + t * (73 - 255));
    }
    snprintf(out, 8, "#%02x%02x%02x", r & 255, g & 255, bl & 255);
}

/* A set of evidence ids named in captions, kept in first-seen order. */
typedef struct idset {
    const char **id;
    size_t n, cap;
    int oom;
} idset;

static void idset_add(idset *s, const char *id)
{
    if (!id || !*id)
        return;
    for (size_t k = 0; k < s->n; k++)
        if (strcmp(s->id[k], id) == 0)
            return;
    if (pl__grow((void **)&s->id, &s->cap, s->n + 1, sizeof *s->id) != 0) {
        s->oom = 1;
        return;
    }
    s->id[s->n++] = id;
}

static void idset_list(pl_buf *b, const idset *s, const char *none)
{
    if (s->n == 0) {
        esc(b, none);
        return;
    }
    for (size_t k = 0; k < s->n; k++) {
        pl_buf_printf(b, "%s<a href=\"#ev-", k ? ", " : "");
        esc(b, s->id[k]);
        pl_buf_puts(b, "\">");
        esc(b, s->id[k]);
        pl_buf_puts(b, "</a>");
    }
}

static const char CSS[] =
    ":root{--ink:#1c2430;--muted:#5b6675;--line:#d5dbe3;--accent:#2e5c8a;}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:var(--ink);margin:0;background:#f4f6f9;line-height:1.45}\n"
    "main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}\n"
    "header.top{background:#1f3b57;color:#fff;padding:22px 28px}\n"
    "header.top h1{margin:0 0 4px;font-size:1.55em;font-weight:600}\n"
    "header.top p{margin:2px 0;color:#d6e2ee;max-width:1100px}\n"
    ".facts{display:flex;flex-wrap:wrap;gap:10px;margin:18px 0 6px}\n"
    ".fact{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px;"
    "min-width:120px}\n"
    ".fact b{display:block;font-size:1.35em}\n"
    ".fact span{color:var(--muted);font-size:.85em}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:10px;"
    "padding:16px 20px;margin:18px 0}\n"
    "section h2{margin:0 0 10px;font-size:1.2em;color:var(--accent)}\n"
    "figure{margin:0}\n"
    "figcaption{color:var(--muted);font-size:.88em;margin-top:8px;max-width:1050px}\n"
    ".panels{display:flex;flex-wrap:wrap;gap:14px}\n"
    "svg text{font-family:inherit}\n"
    "table{border-collapse:collapse;font-size:.9em;width:100%}\n"
    "th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#eef2f6;font-weight:600}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.nowrap{white-space:nowrap}\n"
    ".bar{display:inline-block;height:10px;background:var(--accent);border-radius:2px}\n"
    ".muted{color:var(--muted)}\n"
    "a{color:var(--accent)}\n"
    "footer{color:var(--muted);font-size:.8em;text-align:center;margin-top:24px}\n"
    "@page{size:A4 landscape;margin:12mm}\n"
    "@media print{body{background:#fff;font-size:9.5pt}main{max-width:none;padding:0}"
    "header.top{background:#fff;color:#000;padding:0 0 8px;border-bottom:2px solid #000}"
    "header.top p{color:#333}section{border:none;padding:6px 0;break-inside:avoid;"
    "page-break-inside:avoid}a{color:inherit;text-decoration:none}}\n";

/* ---- report state ------------------------------------------------------- */

typedef struct rp {
    pl_scenario *sc;
    const pl_report_options *o;
    pl_buf b;
    pl_scenario_info info;
    size_t n_act;
    pl_actor_info *act;
    size_t *veto;      /* indices of veto actors with preferences */
    size_t n_veto;
    size_t *pref;      /* actors with preferences */
    size_t n_pref;
    pl_evaluation *ev;
    pl_space *zopa, *pareto, *nash;
    uint64_t zopa_count;
    int zopa_exact;
    pl_bridges *br;
    json_t *timeline;
    idset cited;       /* every evidence id the report names */
    int pareto_skipped;
    json_t *sim, *sens;          /* pl_simulate_json, pl_sensitivity_json (war only) */
    pl_diag sim_diag, sens_diag; /* why one of them is missing */
} rp;

static void fmt_count(char *buf, size_t n, uint64_t c, int exact)
{
    if (!exact)
        snprintf(buf, n, "more than 1.8e19");
    else if (c < 1000000)
        snprintf(buf, n, "%llu", (unsigned long long)c);
    else
        snprintf(buf, n, "%.3g", (double)c);
}

/* ---- sections ------------------------------------------------------------ */

static void write_header(rp *r)
{
    pl_buf *b = &r->b;
    pl_buf_puts(b, "<header class=\"top\"><h1>");
    esc(b, r->o->title ? r->o->title : r->info.name);
    pl_buf_puts(b, "</h1>");
    if (r->info.description[0]) {
        pl_buf_puts(b, "<p>");
        esc(b, r->info.description);
        pl_buf_puts(b, "</p>");
    }
    const char *as_of = pl_scenario_as_of(r->sc);
    pl_buf_puts(b, "<p>Scenario <code>");
    esc(b, r->info.id);
    pl_buf_puts(b, "</code> from <code>");
    esc(b, r->info.file);
    pl_buf_printf(b, "</code> (hash %s), ", r->info.hash);
    if (as_of) {
        pl_buf_puts(b, "as of ");
        esc(b, as_of);
    } else {
        pl_buf_puts(b, "latest state");
    }
    pl_buf_printf(b, ": %zu of %zu timeline events applied. parley %s.", r->info.n_events_applied,
                  r->info.n_events, pl_version());
    if (r->o->war && pl_scenario_has_war(r->sc))
        pl_buf_printf(b, " Simulation: %ld runs (tornado: %ld per end), seed %llu.", r->o->runs,
                      r->o->tornado_runs, (unsigned long long)r->o->seed);
    pl_buf_puts(b, "</p></header>\n<main>\n");

    char zc[48];
    fmt_count(zc, sizeof zc, r->zopa_count, r->zopa_exact);
    size_t agreed = 0, n_prop = pl_evaluation_count(r->ev);
    for (size_t k = 0; k < n_prop; k++)
        agreed += pl_evaluation_agreed(r->ev, k) != 0;
    pl_buf_puts(b, "<div class=\"facts\">");
    pl_buf_printf(b, "<div class=\"fact\"><b>%zu</b><span>actors (%zu with a veto)</span></div>",
                  r->info.n_actors, r->n_veto);
    pl_buf_printf(b, "<div class=\"fact\"><b>%zu</b><span>issues</span></div>", r->info.n_issues);
    pl_buf_printf(b, "<div class=\"fact\"><b>10<sup>%.1f</sup></b><span>complete packages</span></div>",
                  r->info.log10_packages);
    pl_buf_printf(b, "<div class=\"fact\"><b>%zu / %zu</b><span>proposals agreed</span></div>",
                  agreed, n_prop);
    pl_buf_printf(b, "<div class=\"fact\"><b>%s</b><span>packages in the ZOPA</span></div>", zc);
    pl_buf_printf(b, "<div class=\"fact\"><b>%zu</b><span>evidence items</span></div>",
                  r->info.n_evidence);
    if (r->sim)
        pl_buf_printf(b, "<div class=\"fact\"><b>%.2f</b><span>P(lasting deal within %lld "
                         "months)</span></div>",
                      json_number_value(json_object_get(r->sim, "p_deal")),
                      (long long)json_integer_value(json_object_get(r->sim, "horizon")));
    pl_buf_puts(b, "</div>\n");
}

static const char *actor_id(const rp *r, size_t a)
{
    return a < r->n_act ? r->act[a].id : "?";
}

static void write_matrix(rp *r)
{
    pl_buf *b = &r->b;
    size_t np = pl_evaluation_count(r->ev);
    pl_buf_puts(b, "<section id=\"matrix\"><h2>Acceptability matrix</h2><figure>\n");
    if (np == 0 || r->n_pref == 0) {
        pl_buf_puts(b, "<p class=\"muted\">No proposal is on the table at this date.</p>"
                       "</figure></section>\n");
        return;
    }
    double scale = 1;
    for (size_t k = 0; k < np; k++)
        for (size_t j = 0; j < pl_evaluation_verdict_count(r->ev, k); j++) {
            double m = fabs(pl_evaluation_verdict(r->ev, k, j)->margin);
            if (m > scale)
                scale = m;
        }
    const double LW = 330, CW = 92, CH = 34, TOP = 58, DW = 92;
    double W = LW + CW * (double)r->n_pref + DW + 10, H = TOP + CH * (double)np + 50;
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"12\">\n",
                  W, H, W, H);
    pl_buf_puts(b, "<title>Acceptability matrix: margin of each actor for each proposal</title>\n");
    /* column heads */
    for (size_t j = 0; j < r->n_pref; j++) {
        const pl_actor_info *ai = &r->act[r->pref[j]];
        double x = LW + CW * (double)j + CW / 2;
        pl_buf_printf(b, "<g><title>");
        esc(b, ai->name);
        pl_buf_printf(b, " (%s%s), reservation %.1f</title>", pl_role_string(ai->role),
                      ai->veto ? ", veto" : "", ai->reservation);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">",
                      x, TOP - 26);
        esc_cut(b, ai->id, 14);
        pl_buf_printf(b, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "fill=\"#5b6675\" font-size=\"10\">%s</text></g>\n",
                      x, TOP - 12, ai->veto ? "veto" : "no veto");
    }
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">deal</text>\n",
                  LW + CW * (double)r->n_pref + DW / 2, TOP - 26);
    for (size_t k = 0; k < np; k++) {
        double y = TOP + CH * (double)k;
        long pi = pl_evaluation_proposal(r->ev, k);
        pl_proposal_info pr;
        memset(&pr, 0, sizeof pr);
        if (pi < 0 || pl_scenario_proposal(r->sc, (size_t)pi, &pr) != PL_OK) {
            pr.id = "package";
            pr.name = "ad-hoc package";
            pr.date = pr.author = pr.note = "";
        }
        pl_buf_puts(b, "<g><title>");
        esc(b, pr.name);
        pl_buf_puts(b, " [");
        esc(b, pr.id);
        if (pr.date[0]) {
            pl_buf_puts(b, ", ");
            esc(b, pr.date);
        }
        if (pr.author[0]) {
            pl_buf_puts(b, ", by ");
            esc(b, pr.author);
        }
        pl_buf_printf(b, "]%s</title>", pr.complete ? "" : " (partial: open issues at status quo)");
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", LW - 8,
                      y + CH / 2 + 4);
        esc_cut(b, pr.name, 40);
        if (!pr.complete)
            pl_buf_puts(b, " *");
        pl_buf_puts(b, "</text></g>\n");
        size_t nv = pl_evaluation_verdict_count(r->ev, k);
        for (size_t j = 0; j < nv; j++) {
            const pl_verdict *v = pl_evaluation_verdict(r->ev, k, j);
            size_t col = 0;
            while (col < r->n_pref && r->pref[col] != v->actor)
                col++;
            if (col == r->n_pref)
                continue;
            char fill[8];
            margin_colour(v->margin, scale, fill);
            double x = LW + CW * (double)col;
            pl_buf_puts(b, "<g class=\"cell\"><title>");
            esc(b, r->act[v->actor].name);
            pl_buf_puts(b, " on ");
            esc(b, pr.name);
            pl_buf_printf(b, ": %s. Utility %.1f, margin %+.1f.", v->accept ? "accepts" : "rejects",
                          v->utility, v->margin);
            for (size_t q = 0; q < v->n_reasons; q++) {
                pl_buf_puts(b, "\n- ");
                esc(b, v->reasons[q]);
            }
            if (v->n_evidence) {
                pl_buf_puts(b, "\nEvidence: ");
                for (size_t q = 0; q < v->n_evidence; q++) {
                    if (q)
                        pl_buf_puts(b, ", ");
                    esc(b, v->evidence[q]);
                    idset_add(&r->cited, v->evidence[q]);
                }
            }
            pl_buf_printf(b, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                             "rx=\"3\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                          x + 1, y + 1, CW - 2, CH - 2, fill);
            const char *ink = fabs(v->margin) > 0.55 * scale ? "#ffffff" : "#1c2430";
            pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" "
                             "font-weight=\"600\">%s%+.1f</text>",
                          x + CW / 2, y + CH / 2 + 4, ink,
                          v->n_red_lines_broken ? "\xE2\x9C\x97 " : "", v->margin);
            pl_buf_puts(b, "</g>\n");
        }
        int ok = pl_evaluation_agreed(r->ev, k);
        double x = LW + CW * (double)r->n_pref;
        pl_buf_printf(b, "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" rx=\"3\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                         "text-anchor=\"middle\" fill=\"#ffffff\" font-weight=\"700\">%s</text></g>\n",
                      ok ? "every veto actor accepts" : "at least one veto actor rejects",
                      x + 6, y + 5, DW - 12, CH - 10, ok ? "#1e8449" : "#7a828c", x + DW / 2,
                      y + CH / 2 + 4, ok ? "agreed" : "blocked");
    }
    /* legend */
    double ly = TOP + CH * (double)np + 18;
    pl_buf_puts(b, "<defs><linearGradient id=\"mg\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
                   "<stop offset=\"0\" stop-color=\"#c0392b\"/><stop offset=\"0.5\" "
                   "stop-color=\"#ffffff\"/><stop offset=\"1\" stop-color=\"#1e8449\"/>"
                   "</linearGradient></defs>\n");
    pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"220\" height=\"10\" fill=\"url(#mg)\" "
                     "stroke=\"#d5dbe3\"/>", LW, ly);
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%+.0f</text>",
                  LW, ly + 22, -scale);
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">0</text>",
                  LW + 110, ly + 22);
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%+.0f</text>",
                  LW + 220, ly + 22, scale);
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" "
                     "fill=\"#5b6675\">margin (utility points)</text>\n", LW - 8, ly + 9);
    pl_buf_puts(b, "</svg>\n<figcaption>Each row is a proposal on the table, each column an "
                   "actor with preferences. A cell shows the actor's margin: its utility for "
                   "the proposal minus its reservation value (the worth of no deal); green "
                   "accepts, red rejects; \xE2\x9C\x97 marks a red line crossed. Hover a cell "
                   "for the reasons. * marks a partial proposal, read with its open issues at "
                   "the status quo. Source: <code>parley evaluate</code>; evidence behind the "
                   "verdicts: ");
    idset ev = {0};
    for (size_t k = 0; k < np; k++)
        for (size_t j = 0; j < pl_evaluation_verdict_count(r->ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(r->ev, k, j);
            for (size_t q = 0; q < v->n_evidence; q++)
                idset_add(&ev, v->evidence[q]);
        }
    idset_list(b, &ev, "none cited");
    if (ev.oom)
        b->oom = 1;
    pl__free(ev.id);
    pl_buf_puts(b, ".</figcaption></figure></section>\n");
}

/* One scatter panel: actor ax on x, ay on y. */
static void write_panel(rp *r, size_t ax, size_t ay)
{
    pl_buf *b = &r->b;
    const double S = 330, M = 46;
    double lo = 1e300, hi = -1e300;
#define SEE(v) do { double v_ = (v); if (isfinite(v_)) { if (v_ < lo) lo = v_; if (v_ > hi) hi = v_; } } while (0)
    SEE(r->act[ax].reservation);
    SEE(r->act[ay].reservation);
    size_t np = pl_evaluation_count(r->ev);
    for (size_t k = 0; k < np; k++)
        for (size_t j = 0; j < pl_evaluation_verdict_count(r->ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(r->ev, k, j);
            if (v->actor == ax || v->actor == ay)
                SEE(v->utility);
        }
    pl_space *sets[3] = {r->zopa, r->pareto, r->nash};
    for (int s = 0; s < 3; s++) {
        if (!sets[s])
            continue;
        size_t n = pl_space_package_count(sets[s]);
        if (n > r->o->max_points)
            n = r->o->max_points;
        for (size_t k = 0; k < n; k++) {
            SEE(pl_space_utility(sets[s], k, ax));
            SEE(pl_space_utility(sets[s], k, ay));
        }
    }
#undef SEE
    if (!(hi >= lo)) {
        lo = 0;
        hi = 100;
    }
    double pad = (hi - lo) * 0.08 + 1;
    lo -= pad;
    hi += pad;
    double span = hi - lo;
#define PX(u) (M + ((u) - lo) / span * (S - M - 12))
#define PY(u) (S - M - ((u) - lo) / span * (S - M - 12))
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"11\">\n",
                  S, S, S, S);
    pl_buf_puts(b, "<title>Utility of ");
    esc(b, r->act[ax].id);
    pl_buf_puts(b, " against ");
    esc(b, r->act[ay].id);
    pl_buf_puts(b, "</title>\n");
    double x0 = PX(lo), x1 = PX(hi), y0 = PY(lo), y1 = PY(hi);
    pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fbfcfd\" "
                     "stroke=\"#d5dbe3\"/>\n", x0, y1, x1 - x0, y0 - y1);
    /* The quadrant both reservation values allow. */
    double rx = PX(r->act[ax].reservation), ry = PY(r->act[ay].reservation);
    pl_buf_printf(b, "<g><title>both reach their reservation value</title><rect x=\"%.1f\" "
                     "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e3f1e8\"/></g>\n",
                  rx, y1, x1 - rx > 0 ? x1 - rx : 0, ry - y1 > 0 ? ry - y1 : 0);
    pl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1e8449\" "
                     "stroke-dasharray=\"4 3\"/>", rx, y0, rx, y1);
    pl_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1e8449\" "
                     "stroke-dasharray=\"4 3\"/>\n", x0, ry, x1, ry);
    /* ticks */
    double step = span > 60 ? 20 : span > 25 ? 10 : span > 10 ? 5 : 1;
    for (double t = ceil(lo / step) * step; t <= hi; t += step) {
        double tv = t == 0 ? 0.0 : t; /* no "-0" label */
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#5b6675\" "
                         "font-size=\"9\">%.0f</text>", PX(t), y0 + 12, tv);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6675\" "
                         "font-size=\"9\">%.0f</text>\n", x0 - 4, PY(t) + 3, tv);
    }
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">"
                     "utility of ", (x0 + x1) / 2, S - 12);
    esc(b, r->act[ax].id);
    pl_buf_printf(b, "</text><text transform=\"translate(12 %.1f) rotate(-90)\" "
                     "text-anchor=\"middle\" font-weight=\"600\">utility of ", (y0 + y1) / 2);
    esc(b, r->act[ay].id);
    pl_buf_puts(b, "</text>\n");
    /* ZOPA sample (grey), frontier (blue, joined), Nash (red star) */
    if (r->zopa) {
        size_t n = pl_space_package_count(r->zopa);
        if (n > r->o->max_points)
            n = r->o->max_points;
        for (size_t k = 0; k < n; k++)
            pl_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#9aa5b1\"/>",
                          PX(pl_space_utility(r->zopa, k, ax)),
                          PY(pl_space_utility(r->zopa, k, ay)));
        pl_buf_puts(b, "\n");
    }
    if (r->pareto) {
        size_t n = pl_space_package_count(r->pareto);
        if (n > r->o->max_points)
            n = r->o->max_points;
        for (size_t k = 0; k < n; k++) {
            double ux = pl_space_utility(r->pareto, k, ax), uy = pl_space_utility(r->pareto, k, ay);
            pl_buf_printf(b, "<g><title>Pareto package #%zu: %s %.1f, %s %.1f</title>"
                             "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2e5c8a\" "
                             "fill-opacity=\"0.8\"/></g>",
                          k + 1, actor_id(r, ax), ux, actor_id(r, ay), uy, PX(ux), PY(uy));
        }
        pl_buf_puts(b, "\n");
    }
    for (size_t k = 0; k < np; k++) {
        double ux = NAN, uy = NAN;
        for (size_t j = 0; j < pl_evaluation_verdict_count(r->ev, k); j++) {
            const pl_verdict *v = pl_evaluation_verdict(r->ev, k, j);
            if (v->actor == ax)
                ux = v->utility;
            if (v->actor == ay)
                uy = v->utility;
        }
        if (!isfinite(ux) || !isfinite(uy))
            continue;
        long pi = pl_evaluation_proposal(r->ev, k);
        pl_proposal_info pr;
        const char *pid = "package", *pname = "ad-hoc package";
        if (pi >= 0 && pl_scenario_proposal(r->sc, (size_t)pi, &pr) == PL_OK) {
            pid = pr.id;
            pname = pr.name;
        }
        double cx = PX(ux), cy = PY(uy);
        pl_buf_puts(b, "<g><title>");
        esc(b, pname);
        pl_buf_printf(b, ": %s %.1f, %s %.1f</title>", actor_id(r, ax), ux, actor_id(r, ay), uy);
        pl_buf_printf(b, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#e67e22\" "
                         "stroke=\"#7a4a12\" stroke-width=\"0.7\"/>", cx, cy - 5);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#7a4a12\">", cx + 6,
                      cy - 4);
        esc_cut(b, pid, 18);
        pl_buf_puts(b, "</text></g>\n");
    }
    if (r->nash && pl_space_package_count(r->nash) > 0) {
        double ux = pl_space_utility(r->nash, 0, ax), uy = pl_space_utility(r->nash, 0, ay);
        double cx = PX(ux), cy = PY(uy);
        pl_buf_printf(b, "<g><title>Nash bargaining package: %s %.1f, %s %.1f</title>",
                      actor_id(r, ax), ux, actor_id(r, ay), uy);
        pl_buf_puts(b, "<path d=\"");
        for (int q = 0; q < 10; q++) {
            double ang = -PI_ / 2 + q * PI_ / 5, rad = q % 2 ? 3.2 : 8;
            pl_buf_printf(b, "%c%.1f %.1f", q ? 'L' : 'M', cx + rad * cos(ang),
                          cy + rad * sin(ang));
        }
        pl_buf_puts(b, "Z\" fill=\"#c0392b\" stroke=\"#ffffff\" stroke-width=\"0.8\"/></g>\n");
    }
#undef PX
#undef PY
    pl_buf_puts(b, "</svg>\n");
}


/* Parallel coordinates: one vertical axis per veto actor (utility points,
 * one common scale), one line per package, so all veto actors are seen at
 * once where the scatters show them two by two. */
static void polyline_pkg(rp *r, pl_buf *b, const double *u, double L, double gap, double T,
                         double PH, double lo, double span)
{
    pl_buf_puts(b, "points=\"");
    for (size_t j = 0; j < r->n_veto; j++)
        pl_buf_printf(b, "%s%.1f,%.1f", j ? " " : "", L + gap * (double)j,
                      T + PH - (u[j] - lo) / span * PH);
    pl_buf_puts(b, "\"");
}

static void write_parallel(rp *r)
{
    pl_buf *b = &r->b;
    size_t V = r->n_veto, np = pl_evaluation_count(r->ev);
    if (V < 2)
        return;
    double *u = pl__calloc(V, sizeof *u);
    if (!u) {
        b->oom = 1;
        return;
    }
    double lo = 1e300, hi = -1e300;
    for (size_t j = 0; j < V; j++) {
        double rv = r->act[r->veto[j]].reservation;
        lo = rv < lo ? rv : lo;
        hi = rv > hi ? rv : hi;
    }
    for (size_t k = 0; k < np; k++)
        for (size_t q = 0; q < pl_evaluation_verdict_count(r->ev, k); q++) {
            double x = pl_evaluation_verdict(r->ev, k, q)->utility;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    pl_space *sets[3] = {r->zopa, r->pareto, r->nash};
    for (int t = 0; t < 3; t++)
        for (size_t k = 0; sets[t] && k < pl_space_package_count(sets[t]) && k < r->o->max_points; k++)
            for (size_t j = 0; j < V; j++) {
                double x = pl_space_utility(sets[t], k, r->veto[j]);
                if (isfinite(x)) {
                    lo = x < lo ? x : lo;
                    hi = x > hi ? x : hi;
                }
            }
    double pad = (hi - lo) * 0.05 + 1;
    lo -= pad;
    hi += pad;
    double span = hi - lo;
    const double L = 70, T = 24, PH = 240;
    double gap = V > 1 ? 760.0 / (double)(V - 1) : 0;
    double W = L + gap * (double)(V - 1) + 150, H = T + PH + 40;
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"11\">\n"
                     "<title>Parallel coordinates: utility of every veto actor</title>\n",
                  W, H, W, H);
    for (size_t j = 0; j < V; j++) {
        double x = L + gap * (double)j;
        double ry = T + PH - (r->act[r->veto[j]].reservation - lo) / span * PH;
        pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#9aa5b1\"/>", x, x, T, T + PH);
        pl_buf_printf(b, "<g><title>reservation value of %s: %.1f</title><line x1=\"%.1f\" "
                         "x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1e8449\" "
                         "stroke-width=\"3\"/></g>",
                      actor_id(r, r->veto[j]), r->act[r->veto[j]].reservation, x - 8, x + 8, ry, ry);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "font-weight=\"600\">", x, T - 8);
        esc(b, actor_id(r, r->veto[j]));
        pl_buf_printf(b, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                         "fill=\"#5b6675\" font-size=\"9\">%.0f</text><text x=\"%.1f\" "
                         "y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6675\" font-size=\"9\">"
                         "%.0f</text>\n",
                      x - 4, T + 8, hi, x - 4, T + PH, lo);
    }
    if (r->zopa) {
        for (size_t k = 0; k < pl_space_package_count(r->zopa) && k < r->o->max_points; k++) {
            for (size_t j = 0; j < V; j++)
                u[j] = pl_space_utility(r->zopa, k, r->veto[j]);
            pl_buf_puts(b, "<polyline ");
            polyline_pkg(r, b, u, L, gap, T, PH, lo, span);
            pl_buf_puts(b, " fill=\"none\" stroke=\"#9aa5b1\" stroke-opacity=\"0.5\"/>");
        }
        pl_buf_puts(b, "\n");
    }
    if (r->pareto) {
        for (size_t k = 0; k < pl_space_package_count(r->pareto) && k < r->o->max_points; k++) {
            for (size_t j = 0; j < V; j++)
                u[j] = pl_space_utility(r->pareto, k, r->veto[j]);
            pl_buf_printf(b, "<g><title>Pareto package #%zu</title><polyline ", k + 1);
            polyline_pkg(r, b, u, L, gap, T, PH, lo, span);
            pl_buf_puts(b, " fill=\"none\" stroke=\"#2e5c8a\" stroke-width=\"1.5\"/></g>");
        }
        pl_buf_puts(b, "\n");
    }
    for (size_t k = 0; k < np; k++) {
        int ok = 1;
        for (size_t j = 0; j < V; j++) {
            u[j] = NAN;
            for (size_t q = 0; q < pl_evaluation_verdict_count(r->ev, k); q++) {
                const pl_verdict *v = pl_evaluation_verdict(r->ev, k, q);
                if (v->actor == r->veto[j])
                    u[j] = v->utility;
            }
            ok &= isfinite(u[j]) != 0;
        }
        long pi = pl_evaluation_proposal(r->ev, k);
        pl_proposal_info pr;
        if (!ok || pi < 0 || pl_scenario_proposal(r->sc, (size_t)pi, &pr) != PL_OK)
            continue;
        pl_buf_puts(b, "<g><title>");
        esc(b, pr.name);
        pl_buf_puts(b, "</title><polyline ");
        polyline_pkg(r, b, u, L, gap, T, PH, lo, span);
        pl_buf_puts(b, " fill=\"none\" stroke=\"#e67e22\" stroke-width=\"1.6\" "
                       "stroke-dasharray=\"5 2\"/>");
        double yl = T + PH - (u[V - 1] - lo) / span * PH;
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#7a4a12\">",
                      L + gap * (double)(V - 1) + 6, yl + 3);
        esc_cut(b, pr.id, 22);
        pl_buf_puts(b, "</text></g>\n");
    }
    if (r->nash && pl_space_package_count(r->nash) > 0) {
        for (size_t j = 0; j < V; j++)
            u[j] = pl_space_utility(r->nash, 0, r->veto[j]);
        pl_buf_puts(b, "<g><title>Nash bargaining package</title><polyline ");
        polyline_pkg(r, b, u, L, gap, T, PH, lo, span);
        pl_buf_puts(b, " fill=\"none\" stroke=\"#c0392b\" stroke-width=\"3\"/></g>\n");
    }
    pl_buf_puts(b, "</svg>\n");
    pl__free(u);
}

static void write_space(rp *r)
{
    pl_buf *b = &r->b;
    pl_buf_puts(b, "<section id=\"space\"><h2>Proposals and the Pareto frontier in utility "
                   "space</h2><figure>\n");
    if (r->n_veto < 2) {
        pl_buf_puts(b, "<p class=\"muted\">Fewer than two veto actors with preferences: no "
                       "pairwise view.</p></figure></section>\n");
        return;
    }
    pl_buf_puts(b, "<div class=\"panels\">\n");
    size_t panels = 0;
    for (size_t i = 0; i < r->n_veto && panels < 6; i++)
        for (size_t j = i + 1; j < r->n_veto && panels < 6; j++, panels++)
            write_panel(r, r->veto[i], r->veto[j]);
    pl_buf_puts(b, "</div>\n");
    write_parallel(r);
    pl_buf_puts(b, "<figcaption>Scatters: one panel per pair of veto actors (at most six). "
                   "Axes are utility points; dashed lines are the reservation values and the "
                   "green corner is where both would accept. Below, parallel coordinates: one "
                   "axis per veto actor on a common utility scale, the green tick its "
                   "reservation value; a package is acceptable when its line passes above "
                   "every tick. ");
    if (r->pareto) {
        uint64_t c = 0;
        int ex = pl_space_count(r->pareto, &c);
        if (ex && c < pl_space_package_count(r->pareto))
            c = pl_space_package_count(r->pareto); /* a frontier is all listed */
        char cs[48];
        fmt_count(cs, sizeof cs, c, ex);
        pl_buf_printf(b, "Blue: the Pareto frontier of the %s (%s packages%s). ",
                      strcmp(pl_space_scope(r->pareto), "zopa") == 0
                          ? "ZOPA"
                          : "feasible space, as the ZOPA is empty",
                      cs, pl_space_package_count(r->pareto) > r->o->max_points ? ", first ones drawn" : "");
    }
    if (r->pareto_skipped)
        pl_buf_puts(b, r->zopa_count == 0
                           ? "The ZOPA is empty, so no frontier of acceptable packages is drawn "
                             "(the frontier of the whole feasible space: <code>parley pareto</code>). "
                           : "The ZOPA is too large to draw its frontier here: run "
                             "<code>parley pareto</code>. ");
    if (r->zopa && pl_space_package_count(r->zopa) > 0)
        pl_buf_printf(b, "Grey: the best %zu ZOPA packages by the Nash product. ",
                      pl_space_package_count(r->zopa));
    pl_buf_puts(b, "Orange (diamonds, dashed lines): the proposals on the table (partial ones at their "
                   "status-quo completion). Red (star, thick line): the Nash bargaining package. Source: "
                   "<code>parley pareto</code>, <code>zopa</code> and <code>solve</code> over the "
                   "scenario's weights, scores and reservation values.</figcaption></figure>"
                   "</section>\n");
}

/* The option ids a package differs on from the status quo, as "issue=option". */
static void nash_text(rp *r, pl_buf *b, json_t *nash)
{
    if (!json_is_object(nash)) {
        pl_buf_puts(b, "<span class=\"muted\">(empty ZOPA)</span>");
        return;
    }
    int any = 0;
    for (size_t i = 0; i < r->info.n_issues; i++) {
        pl_issue_info is;
        pl_option_info sq;
        if (pl_scenario_issue(r->sc, i, &is) != PL_OK ||
            pl_scenario_option(r->sc, i, is.status_quo, &sq) != PL_OK)
            continue;
        const char *o = json_string_value(json_object_get(nash, is.id));
        if (!o || strcmp(o, sq.id) == 0)
            continue;
        pl_buf_puts(b, any ? ", " : "");
        esc(b, is.id);
        pl_buf_puts(b, "=");
        esc(b, o);
        any = 1;
    }
    if (!any)
        pl_buf_puts(b, "<span class=\"muted\">the status quo</span>");
}

static void write_timeline(rp *r)
{
    pl_buf *b = &r->b;
    json_t *steps = json_object_get(r->timeline, "steps");
    size_t n = json_array_size(steps);
    pl_buf_puts(b, "<section id=\"timeline\"><h2>The ZOPA and the Nash package along the "
                   "timeline</h2><figure>\n");
    if (n == 0) {
        pl_buf_puts(b, "<p class=\"muted\">No timeline.</p></figure></section>\n");
        return;
    }
    double maxlog = 1;
    for (size_t k = 0; k < n; k++) {
        double c = json_number_value(json_object_get(json_array_get(steps, k), "count"));
        if (log10(c + 1) > maxlog)
            maxlog = log10(c + 1);
    }
    const double L = 60, T = 16, PH = 170;
    double bw = (double)n * 56 > 1040 ? 1040.0 / (double)n : 56;
    double W = L + bw * (double)n + 20, H = T + PH + 90;
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"10\">\n",
                  W, H, W, H);
    pl_buf_puts(b, "<title>ZOPA size after each event</title>\n");
    for (int e = 0; e <= (int)ceil(maxlog); e++) {
        double y = T + PH - (double)e / ceil(maxlog) * PH;
        pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6eaef\"/>"
                         "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6675\">%s</text>\n",
                      L, W - 20, y, y, L - 6, y + 3,
                      e == 0 ? "0" : e == 1 ? "10" : e == 2 ? "100" : "");
        if (e > 2)
            pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6675\">"
                             "1e%d</text>\n", L - 6, y + 3, e);
    }
    for (size_t k = 0; k < n; k++) {
        json_t *st = json_array_get(steps, k);
        double c = json_number_value(json_object_get(st, "count"));
        double h = log10(c + 1) / ceil(maxlog) * PH;
        double x = L + bw * (double)k;
        const char *date = json_string_value(json_object_get(st, "date"));
        const char *evn = json_string_value(json_object_get(st, "event"));
        pl_buf_puts(b, "<g><title>");
        esc(b, date ? date : "");
        pl_buf_puts(b, " ");
        esc(b, evn ? evn : "");
        json_t *titles = json_object_get(st, "titles");
        for (size_t q = 0; q < json_array_size(titles); q++) {
            pl_buf_puts(b, q ? "; " : ": ");
            esc(b, json_string_value(json_array_get(titles, q)));
        }
        pl_buf_printf(b, "\nZOPA: %.0f packages", c);
        const char *bind = json_string_value(json_object_get(st, "binding"));
        if (bind) {
            pl_buf_puts(b, ", binding actor ");
            esc(b, bind);
        }
        pl_buf_puts(b, "</title>");
        pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                      x + 2, T + PH - (h > 0 ? h : 1.5), bw - 4, h > 0 ? h : 1.5,
                      c > 0 ? "#2e5c8a" : "#c0392b");
        pl_buf_printf(b, "<text transform=\"translate(%.1f %.1f) rotate(-60)\" "
                         "text-anchor=\"end\" fill=\"#5b6675\" font-size=\"9\">",
                      x + bw / 2 + 3, T + PH + 8);
        esc(b, date ? date : "");
        pl_buf_puts(b, "</text></g>\n");
    }
    pl_buf_printf(b, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" "
                     "font-weight=\"600\">ZOPA packages (log)</text>\n", T + PH / 2);
    pl_buf_puts(b, "</svg>\n");
    /* the table: Nash package per step */
    pl_buf_puts(b, "<table><thead><tr><th>date</th><th>event</th><th>ZOPA</th><th>binding"
                   "</th><th>Nash package (away from the status quo)</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < n; k++) {
        json_t *st = json_array_get(steps, k);
        const char *s;
        pl_buf_puts(b, "<tr><td class=\"nowrap\">");
        esc(b, (s = json_string_value(json_object_get(st, "date"))) ? s : "");
        pl_buf_puts(b, "</td><td>");
        esc(b, (s = json_string_value(json_object_get(st, "event"))) ? s : "");
        json_t *titles = json_object_get(st, "titles");
        if (json_array_size(titles)) {
            pl_buf_puts(b, "<br/><span class=\"muted\">");
            esc(b, json_string_value(json_array_get(titles, 0)));
            pl_buf_puts(b, "</span>");
        }
        pl_buf_printf(b, "</td><td class=\"num\">%.0f</td><td>",
                      json_number_value(json_object_get(st, "count")));
        esc(b, (s = json_string_value(json_object_get(st, "binding"))) ? s : "-");
        pl_buf_puts(b, "</td><td>");
        nash_text(r, b, json_object_get(st, "nash"));
        pl_buf_puts(b, "</td></tr>\n");
    }
    pl_buf_puts(b, "</tbody></table>\n<figcaption>Bars: the exact number of acceptable "
                   "packages (log scale; red when none) in the base model and after each "
                   "dated event; hover for the event. Source: <code>parley timeline</code>; "
                   "evidence behind the events: ");
    idset ev = {0};
    for (size_t k = 0; k < r->info.n_events; k++) {
        pl_event_info ei;
        if (pl_scenario_event(r->sc, k, &ei) != PL_OK)
            continue;
        for (size_t q = 0; q < ei.n_evidence; q++) {
            idset_add(&ev, ei.evidence[q]);
            idset_add(&r->cited, ei.evidence[q]);
        }
    }
    idset_list(b, &ev, "none cited");
    if (ev.oom)
        b->oom = 1;
    pl__free(ev.id);
    pl_buf_puts(b, ".</figcaption></figure></section>\n");
}

static const char *bridge_kind(pl_bridge_kind k)
{
    switch (k) {
    case PL_BRIDGE_RESERVATION: return "reservation value";
    case PL_BRIDGE_RED_LINE: return "red line";
    case PL_BRIDGE_SIDE_PAYMENT: return "side payment";
    case PL_BRIDGE_WEIGHT: return "issue weight";
    }
    return "?";
}

static void write_bridges(rp *r)
{
    pl_buf *b = &r->b;
    pl_buf_puts(b, "<section id=\"bridges\"><h2>Bridges: the smallest changes that open the "
                   "ZOPA</h2><figure>\n");
    size_t n = r->br ? pl_bridges_count(r->br) : 0;
    if (r->zopa_count > 0 || !r->zopa_exact) {
        pl_buf_puts(b, "<p>The ZOPA is not empty: nothing to bridge.</p>");
    } else if (n == 0) {
        pl_buf_puts(b, "<p>The ZOPA is empty and no single change of one reservation value, "
                       "red line, side payment or weight opens it.</p>");
    } else {
        double maxrel = 0;
        for (size_t k = 0; k < n; k++)
            if (pl_bridges_get(r->br, k)->relative > maxrel)
                maxrel = pl_bridges_get(r->br, k)->relative;
        pl_buf_puts(b, "<table><thead><tr><th>#</th><th>change</th><th>who</th><th>relative "
                       "size</th><th>what it takes</th></tr></thead><tbody>\n");
        for (size_t k = 0; k < n; k++) {
            const pl_bridge_info *bi = pl_bridges_get(r->br, k);
            double w = maxrel > 0 ? 120 * bi->relative / maxrel : 0;
            pl_buf_printf(b, "<tr><td>%zu</td><td>%s</td><td>", k + 1, bridge_kind(bi->kind));
            esc(b, actor_id(r, bi->actor));
            pl_buf_printf(b, "</td><td><span class=\"bar\" style=\"width:%.0fpx\"></span> "
                             "%.3g</td><td>", w < 2 ? 2 : w, bi->relative);
            esc(b, bi->explanation);
            pl_buf_puts(b, "</td></tr>\n");
        }
        pl_buf_puts(b, "</tbody></table>\n");
    }
    pl_buf_puts(b, "<figcaption>Each bridge is one change (a reservation value lowered, one "
                   "red line dropped, a side payment on a transferable issue, one weight moved) "
                   "after which some package is acceptable to every veto actor, ranked by its "
                   "size relative to the current value. Source: <code>parley bridge</code>."
                   "</figcaption></figure></section>\n");
}

static void write_evidence(rp *r)
{
    pl_buf *b = &r->b;
    pl_buf_puts(b, "<section id=\"evidence\"><h2>Evidence cited above</h2>\n");
    if (r->cited.n == 0) {
        pl_buf_puts(b, "<p class=\"muted\">None.</p></section>\n");
        return;
    }
    pl_buf_puts(b, "<table><thead><tr><th>id</th><th>date</th><th>source</th><th>reliability"
                   "</th><th>quote</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < r->cited.n; k++) {
        long e = pl_scenario_find_evidence(r->sc, r->cited.id[k]);
        pl_evidence_info ei;
        if (e < 0 || pl_scenario_evidence(r->sc, (size_t)e, &ei) != PL_OK)
            continue;
        pl_buf_puts(b, "<tr id=\"ev-");
        esc(b, ei.id);
        pl_buf_puts(b, "\"><td><code>");
        esc(b, ei.id);
        pl_buf_puts(b, "</code></td><td>");
        esc(b, ei.date);
        pl_buf_puts(b, "</td><td>");
        esc(b, ei.outlet);
        if (ei.title[0]) {
            pl_buf_puts(b, ": ");
            if (ei.url[0]) {
                pl_buf_puts(b, "<a href=\"");
                esc(b, ei.url);
                pl_buf_puts(b, "\">");
            }
            esc(b, ei.title);
            if (ei.url[0])
                pl_buf_puts(b, "</a>");
        }
        pl_buf_puts(b, "</td><td>");
        esc(b, ei.reliability);
        pl_buf_puts(b, "</td><td>");
        esc(b, ei.quote);
        pl_buf_puts(b, "</td></tr>\n");
    }
    pl_buf_puts(b, "</tbody></table></section>\n");
}

/* ---- bargaining while fighting: fan and tornado charts ------------------- */

/* The evidence the war section's numbers cite. The public API names a
 * number's path (pl_sensitivity_json) but not its citations, so the report,
 * being part of the library, reads them from the number pool. */
static void war_evidence(rp *r, idset *s, const char *path, const char *at)
{
    const pl_scenario *sc = r->sc;
    int line = 0, col = 0;
    if (at && sscanf(at, "%d:%d", &line, &col) != 2)
        line = col = 0;
    for (size_t k = 0; k < sc->n_nums; k++) {
        const pl_num *n = &sc->num[k];
        if (!n->path)
            continue;
        if (path ? strcmp(n->path, path) != 0 : strncmp(n->path, "war.", 4) != 0)
            continue;
        if (path && line && (n->line != line || n->col != col))
            continue;
        for (uint32_t q = 0; q < n->cite.n_ev; q++)
            if (n->cite.ev[q] < sc->n_ev)
                idset_add(s, sc->ev[n->cite.ev[q]].id);
        for (uint32_t a = 0; a < n->n_alt; a++)
            for (uint32_t q = 0; q < n->alt[a].cite.n_ev; q++)
                if (n->alt[a].cite.ev[q] < sc->n_ev)
                    idset_add(s, sc->ev[n->alt[a].cite.ev[q]].id);
    }
}

/* Adds s to the evidence listed at the end. The ids are re-pointed at the
 * scenario's own strings: some (a conflict's) die with their section. */
static void cite_all(rp *r, idset *s)
{
    for (size_t k = 0; k < s->n; k++) {
        long e = pl_scenario_find_evidence(r->sc, s->id[k]);
        pl_evidence_info ei;
        if (e >= 0 && pl_scenario_evidence(r->sc, (size_t)e, &ei) == PL_OK)
            idset_add(&r->cited, ei.id);
    }
    if (s->oom)
        r->b.oom = 1;
}

/* Wilson score interval of a binomial proportion: unlike p +- z*se it stays
 * inside [0, 1] and does not collapse to a point at p = 0 or 1. */
static void wilson(double p, double n, double z, double *lo, double *hi)
{
    double z2 = z * z, d = 1 + z2 / n;
    double c = (p + z2 / (2 * n)) / d;
    double h = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / d;
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

static void sim_failed(pl_buf *b, const char *what, const pl_diag *d)
{
    pl_buf_printf(b, "<p class=\"muted\">The %s could not be computed: ", what);
    esc(b, d->message[0] ? d->message : "unknown error");
    pl_buf_puts(b, "</p>");
}

static void write_fan(rp *r)
{
    pl_buf *b = &r->b;
    json_t *j = r->sim;
    pl_buf_puts(b, "<section id=\"deal\"><h2>Probability of a lasting deal over time</h2>"
                   "<figure>\n");
    if (!j) {
        sim_failed(b, "simulation", &r->sim_diag);
        pl_buf_puts(b, "</figure></section>\n");
        return;
    }
    json_t *bm = json_object_get(j, "deal_by_month");
    size_t H = json_array_size(bm);
    double n = (double)r->o->runs;
    const char *start = json_string_value(json_object_get(j, "start"));
    const double L = 56, T = 16, PW = 860, PH = 240;
    double W = L + PW + 30, Ht = T + PH + 52;
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"11\">\n"
                     "<title>Probability of a lasting deal signed by the end of each month"
                     "</title>\n",
                  W, Ht, W, Ht);
#define FX(m) (L + (double)(m) / (double)(H ? H : 1) * PW)
#define FY(p) (T + PH - (p) * PH)
    for (int q = 0; q <= 4; q++) {
        double p = q / 4.0;
        pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#e6eaef\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                         "fill=\"#5b6675\">%.2f</text>\n",
                      L, L + PW, FY(p), FY(p), L - 6, FY(p) + 4, p);
    }
    size_t tick = H <= 12 ? 1 : H <= 36 ? 3 : H <= 120 ? 12 : 60;
    for (size_t m = 0; m <= H; m += tick)
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "fill=\"#5b6675\">%zu</text>", FX(m), T + PH + 16, m);
    pl_buf_printf(b, "\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"600\">"
                     "months from the start of the simulation",
                  L + PW / 2, T + PH + 38);
    if (start) {
        pl_buf_puts(b, " (");
        esc(b, start);
        pl_buf_puts(b, ")");
    }
    pl_buf_printf(b, "</text><text transform=\"translate(14 %.1f) rotate(-90)\" "
                     "text-anchor=\"middle\" font-weight=\"600\">P(lasting deal)</text>\n",
                  T + PH / 2);
    /* Bands: 90% then 50%, as closed polygons over months 0..H (month 0:
     * no deal yet, a point). */
    static const double Z[2] = {1.6448536269514722, 0.6744897501960817};
    static const char *const FILL[2] = {"#c9d8e8", "#8fb0d1"};
    for (int z = 0; z < 2 && H > 0; z++) {
        pl_buf_printf(b, "<g><title>%s interval of the estimate (Monte Carlo error, %ld runs)"
                         "</title><polygon fill=\"%s\" points=\"%.1f,%.1f",
                      z ? "50%" : "90%", r->o->runs, FILL[z], FX(0), FY(0.0));
        for (size_t m = 1; m <= H; m++) {
            double p = json_number_value(json_array_get(bm, m - 1)), lo, hi;
            wilson(p, n, Z[z], &lo, &hi);
            pl_buf_printf(b, " %.1f,%.1f", FX(m), FY(hi));
        }
        for (size_t m = H; m >= 1; m--) {
            double p = json_number_value(json_array_get(bm, m - 1)), lo, hi;
            wilson(p, n, Z[z], &lo, &hi);
            pl_buf_printf(b, " %.1f,%.1f", FX(m), FY(lo));
        }
        pl_buf_puts(b, "\"/></g>\n");
    }
    pl_buf_printf(b, "<polyline fill=\"none\" stroke=\"#1f3b57\" stroke-width=\"2.2\" "
                     "points=\"%.1f,%.1f", FX(0), FY(0.0));
    for (size_t m = 1; m <= H; m++)
        pl_buf_printf(b, " %.1f,%.1f", FX(m), FY(json_number_value(json_array_get(bm, m - 1))));
    pl_buf_puts(b, "\"/>\n");
    for (size_t m = 1; m <= H; m++) {
        double p = json_number_value(json_array_get(bm, m - 1)), l50, h50, l90, h90;
        wilson(p, n, Z[1], &l50, &h50);
        wilson(p, n, Z[0], &l90, &h90);
        pl_buf_printf(b, "<g><title>month %zu: P(deal) %.3f (50%%: %.3f-%.3f, 90%%: "
                         "%.3f-%.3f)</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                         "fill=\"#1f3b57\"/></g>",
                      m, p, l50, h50, l90, h90, FX(m), FY(p));
    }
    pl_buf_puts(b, "\n");
    json_t *md = json_object_get(j, "month_of_deal");
    double med = json_number_value(json_object_get(md, "p50"));
    if (json_is_number(json_object_get(md, "p50")) && med >= 0 && med <= (double)H)
        pl_buf_printf(b, "<g><title>median month of the deals signed: %.1f</title><line "
                         "x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" "
                         "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"%.1f\" "
                         "fill=\"#c0392b\" font-size=\"10\">median deal month</text></g>\n",
                      med, FX(med), FX(med), T, T + PH, FX(med) + 4, T + 12);
    /* legend */
    double lx = L + PW - 250, ly = T + PH - 62;
    pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"240\" height=\"54\" fill=\"#ffffff\" "
                     "fill-opacity=\"0.85\" stroke=\"#d5dbe3\"/>"
                     "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1f3b57\" "
                     "stroke-width=\"2.2\"/><text x=\"%.1f\" y=\"%.1f\">estimate</text>"
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"9\" fill=\"#8fb0d1\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\">50%% interval</text>"
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"9\" fill=\"#c9d8e8\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\">90%% interval (Monte Carlo error)</text>\n",
                  lx, ly, lx + 8, lx + 26, ly + 12, ly + 12, lx + 32, ly + 16, lx + 8, ly + 22,
                  lx + 32, ly + 31, lx + 8, ly + 37, lx + 32, ly + 46);
#undef FX
#undef FY
    pl_buf_puts(b, "</svg>\n");
    pl_buf_printf(b, "<p>P(a lasting deal within %zu months) = <b>%.3f</b> over %ld runs "
                     "(seed %llu)",
                  H, json_number_value(json_object_get(j, "p_deal")), r->o->runs,
                  (unsigned long long)r->o->seed);
    if (json_is_number(json_object_get(md, "p50")))
        pl_buf_printf(b, "; among the deals, the month of signing: median %.1f (10%%: %.1f, "
                         "90%%: %.1f)",
                      med, json_number_value(json_object_get(md, "p10")),
                      json_number_value(json_object_get(md, "p90")));
    pl_buf_puts(b, ".</p>\n");
    pl_buf_printf(b, "<figcaption>The line is the share of the %ld simulated runs in which a "
                     "lasting deal (signed, ratified, and implemented without reneging) was "
                     "signed by the end of each month; each run draws every uncertain number "
                     "of the scenario and the battlefield month by month, so that uncertainty "
                     "is inside the estimate. The bands are 50%% and 90%% Wilson intervals of "
                     "the estimate: the sampling error of %ld runs only, which more runs "
                     "narrow. Source: <code>parley simulate --runs %ld --seed %llu</code> "
                     "(the <code>war:</code> section: fronts, costs, shocks, deadlines, talks "
                     "and sequencing); evidence behind the war section's numbers: ",
                  r->o->runs, r->o->runs, r->o->runs, (unsigned long long)r->o->seed);
    idset ev = {0};
    war_evidence(r, &ev, NULL, NULL);
    idset_list(b, &ev, "none cited");
    cite_all(r, &ev);
    pl__free(ev.id);
    pl_buf_puts(b, ".</figcaption></figure></section>\n");
}

static void write_tornado(rp *r)
{
    pl_buf *b = &r->b;
    json_t *j = r->sens;
    pl_buf_puts(b, "<section id=\"tornado\"><h2>Which uncertain number matters most "
                   "(tornado)</h2><figure>\n");
    if (!j) {
        sim_failed(b, "sensitivity analysis", &r->sens_diag);
        pl_buf_puts(b, "</figure></section>\n");
        return;
    }
    json_t *rows = json_object_get(j, "rows");
    /* The 12-month probability is the headline; where it moves for no number
     * (no deal comes in the first year, as on the reference scenario) the
     * probability within the horizon is drawn instead. */
    const char *KLO = "deal12_low", *KHI = "deal12_high", *KB = "deal12";
    char within[48] = "12 months";
    int moves12 = 0;
    for (size_t k = 0; k < json_array_size(rows); k++) {
        json_t *e = json_array_get(rows, k);
        json_t *a = json_object_get(e, KLO), *c = json_object_get(e, KHI);
        moves12 |= json_is_number(a) && json_is_number(c) &&
                   json_number_value(a) != json_number_value(c);
    }
    if (!moves12 && json_is_number(json_object_get(json_object_get(j, "base"), "deal_horizon"))) {
        KLO = "deal_horizon_low";
        KHI = "deal_horizon_high";
        KB = "deal_horizon";
        snprintf(within, sizeof within, "%lld months, the whole horizon",
                 (long long)json_integer_value(json_object_get(j, "horizon")));
    }
    json_t *base = json_object_get(json_object_get(j, "base"), KB);
    size_t n = 0;
    for (size_t k = 0; k < json_array_size(rows); k++)
        n += json_is_number(json_object_get(json_array_get(rows, k), KLO)) != 0;
    if (n == 0 || !json_is_number(base)) {
        pl_buf_puts(b, "<p class=\"muted\">The scenario has no uncertain number to move.</p>"
                       "</figure></section>\n");
        return;
    }
    const size_t MAXR = 15;
    size_t shown = n < MAXR ? n : MAXR;
    double b0 = json_number_value(base), lo = b0, hi = b0;
    for (size_t k = 0, s = 0; k < json_array_size(rows) && s < shown; k++) {
        json_t *e = json_array_get(rows, k);
        if (!json_is_number(json_object_get(e, KLO)))
            continue;
        s++;
        double a = json_number_value(json_object_get(e, KLO));
        double c = json_number_value(json_object_get(e, KHI));
        lo = fmin(lo, fmin(a, c));
        hi = fmax(hi, fmax(a, c));
    }
    lo = floor((lo - 0.01) * 20) / 20;
    hi = ceil((hi + 0.01) * 20) / 20;
    if (lo < 0)
        lo = 0;
    if (hi > 1)
        hi = 1;
    if (hi - lo < 0.1)
        hi = lo + 0.1;
    const double LW = 330, PW = 520, T = 30, RH = 24;
    double W = LW + PW + 190, Ht = T + RH * (double)shown + 46;
#define TX(p) (LW + ((p) - lo) / (hi - lo) * PW)
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"11\">\n"
                     "<title>Tornado: P(lasting deal within %s) with each uncertain "
                     "number at its low and high value</title>\n",
                  W, Ht, W, Ht, within);
    double step = hi - lo > 0.5 ? 0.1 : hi - lo > 0.2 ? 0.05 : 0.02;
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step)
        pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#e6eaef\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "fill=\"#5b6675\" font-size=\"10\">%.2f</text>\n",
                      TX(t), TX(t), T - 4, T + RH * (double)shown, TX(t), T - 10, t);
    size_t s = 0;
    for (size_t k = 0; k < json_array_size(rows) && s < shown; k++) {
        json_t *e = json_array_get(rows, k);
        if (!json_is_number(json_object_get(e, KLO)))
            continue;
        double y = T + RH * (double)s++;
        double pl = json_number_value(json_object_get(e, KLO));
        double ph = json_number_value(json_object_get(e, KHI));
        const char *path = json_string_value(json_object_get(e, "path"));
        const char *at = json_string_value(json_object_get(e, "at"));
        idset ev = {0};
        war_evidence(r, &ev, path ? path : "", at);
        pl_buf_puts(b, "<g><title>");
        esc(b, path ? path : "?");
        if (at) {
            pl_buf_puts(b, " (line:column ");
            esc(b, at);
            pl_buf_puts(b, ")");
        }
        pl_buf_printf(b, "\nat its low value %.4g: P(deal within %s) %.3f\n"
                         "at its high value %.4g: %.3f\nZOPA size %.0f at low, %.0f at high; "
                         "the Nash package %s",
                      json_number_value(json_object_get(e, "low")), within, pl,
                      json_number_value(json_object_get(e, "high")), ph,
                      json_number_value(json_object_get(e, "zopa_low")),
                      json_number_value(json_object_get(e, "zopa_high")),
                      json_is_true(json_object_get(e, "nash_changes")) ? "changes" : "stays");
        if (ev.n) {
            pl_buf_puts(b, "\nEvidence: ");
            for (size_t q = 0; q < ev.n; q++) {
                pl_buf_puts(b, q ? ", " : "");
                esc(b, ev.id[q]);
            }
        }
        pl_buf_puts(b, "</title>");
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", LW - 8,
                      y + RH / 2 + 4);
        esc_cut(b, path ? path : "?", 48);
        pl_buf_puts(b, "</text>");
        /* The low end light, the high end dark, each from the base line. */
        double xb = TX(b0), xl = TX(pl), xh = TX(ph);
        pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                         "fill=\"#9cc3e4\"/>",
                      fmin(xb, xl), y + 4, fmax(fabs(xl - xb), 1.0), RH - 8);
        pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                         "fill=\"#1f3b57\"/>",
                      fmin(xb, xh), y + 4, fmax(fabs(xh - xb), 1.0), RH - 8);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#5b6675\" font-size=\"10\">"
                         "%.3f .. %.3f</text></g>\n",
                      LW + PW + 10, y + RH / 2 + 4, pl, ph);
        cite_all(r, &ev);
        pl__free(ev.id);
    }
    pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" "
                     "stroke-width=\"1.5\"/>",
                  TX(b0), TX(b0), T - 4, T + RH * (double)shown + 4);
    double ly = T + RH * (double)shown + 22;
    pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"#9cc3e4\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\">number at its low value</text>"
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"#1f3b57\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\">at its high value</text>"
                     "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" "
                     "stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%.1f\">every number at its "
                     "centre: %.3f</text>\n",
                  LW, ly, LW + 20, ly + 9, LW + 180, ly, LW + 200, ly + 9, LW + 320, LW + 320,
                  ly - 2, ly + 12, LW + 326, ly + 9, b0);
#undef TX
    pl_buf_puts(b, "</svg>\n");
    pl_buf_printf(b, "<figcaption>Each bar is one uncertain number of the scenario moved from "
                     "its low to its high value (the bounds of its distribution) with every "
                     "other number at its central value; the bar spans the probability of a "
                     "lasting deal within %s at the two ends (light: low, dark: high), "
                     "%ld runs each with common random numbers (seed %llu). Largest swing "
                     "first%s; hover a bar for the ZOPA size and the Nash package at both ends "
                     "and the number's evidence. Source: <code>parley sensitivity --runs %ld "
                     "--seed %llu</code>; evidence behind the numbers drawn: ",
                  within, r->o->tornado_runs, (unsigned long long)r->o->seed,
                  n > shown ? "; the first 15 are drawn" : "", r->o->tornado_runs,
                  (unsigned long long)r->o->seed);
    idset all = {0};
    for (size_t k = 0, q = 0; k < json_array_size(rows) && q < shown; k++) {
        json_t *e = json_array_get(rows, k);
        if (!json_is_number(json_object_get(e, KLO)))
            continue;
        q++;
        const char *path = json_string_value(json_object_get(e, "path"));
        war_evidence(r, &all, path ? path : "", json_string_value(json_object_get(e, "at")));
    }
    idset_list(b, &all, "none cited");
    if (all.oom)
        b->oom = 1;
    pl__free(all.id);
    pl_buf_puts(b, ".</figcaption></figure></section>\n");
}

/* ---- the GMCR state graph ------------------------------------------------- */

/* Distinct in colour and in lightness, so that arrows of different decision
 * makers stay apart in greyscale print too. */
static const char *const DM_COLOUR[8] = {"#1f77b4", "#d35400", "#2e8b57", "#8e44ad",
                                         "#b03a2e", "#17a2b8", "#6d4c41", "#c2185b"};
static const char *const CONCEPT_COLOUR[PL_GMCR_N_CONCEPTS] = {
    "#b03a2e", "#5d6d7e", "#8e44ad", "#1f618d", "#117a65", "#b9770e"};
static const char *const CONCEPT_LABEL[PL_GMCR_N_CONCEPTS] = {"Nash", "GMR", "SMR", "SEQ",
                                                              "SIM", "SEQ&amp;SIM"};

/* Conflicts larger than this are not analysed for the report: the stability
 * analysis would dominate its running time (`parley stability` does it). */
enum { GM_MAX_STATES = 1 << 18 };

typedef struct gm_edge {
    size_t from, to, unit; /* indices into the drawn states; unit = mover */
    int on_path;
} gm_edge;

typedef struct gm {
    pl_conflict *c;
    pl_stability *st;
    pl_conflict_info ci;
    size_t units;
    unsigned char *eqmask; /* per ordinal (1-based): bit k = equilibrium under k */
    size_t n_eq_any;
    size_t *sel;           /* drawn ordinals, in selection order */
    size_t n_sel;
    gm_edge *edge;
    size_t n_edge, cap_edge;
    size_t n_path_states;  /* drawn states that lie on a path but are no equilibrium */
    int paths_found;
} gm;

static long gm_index(const gm *g, size_t ord)
{
    for (size_t k = 0; k < g->n_sel; k++)
        if (g->sel[k] == ord)
            return (long)k;
    return -1;
}

static int gm_add_edge(gm *g, size_t from, size_t to, size_t unit, int on_path)
{
    for (size_t k = 0; k < g->n_edge; k++)
        if (g->edge[k].from == from && g->edge[k].to == to && g->edge[k].unit == unit) {
            g->edge[k].on_path |= on_path;
            return 0;
        }
    if (pl__grow((void **)&g->edge, &g->cap_edge, g->n_edge + 1, sizeof *g->edge) != 0)
        return -1;
    g->edge[g->n_edge++] = (gm_edge){from, to, unit, on_path};
    return 0;
}

static int popcount_u8(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Equilibria are drawn in this order: those under the most concepts first
 * (a Nash equilibrium is one under every concept), then by ordinal. */
typedef struct gm_rank {
    int concepts;
    size_t ord;
} gm_rank;

static int rank_cmp(const void *a, const void *b)
{
    const gm_rank *x = a, *y = b;
    if (x->concepts != y->concepts)
        return y->concepts - x->concepts;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Chooses the states to draw and the improvement edges between them.
 * Returns PL_OK or PL_E_NOMEM. */
static pl_status gm_select(gm *g, size_t cap)
{
    size_t N = g->ci.n_states;
    long sq = g->ci.status_quo;
    g->sel = pl__calloc(N < cap ? (N ? N : 1) : cap, sizeof *g->sel);
    if (!g->sel)
        return PL_E_NOMEM;
    if (N <= cap) {
        for (size_t s = 1; s <= N; s++)
            g->sel[g->n_sel++] = s;
    } else {
        gm_rank *eq = pl__calloc(g->n_eq_any ? g->n_eq_any : 1, sizeof *eq);
        size_t ne = 0;
        if (!eq)
            return PL_E_NOMEM;
        for (size_t s = 1; s <= N; s++)
            if (g->eqmask[s])
                eq[ne++] = (gm_rank){popcount_u8(g->eqmask[s]), s};
        qsort(eq, ne, sizeof *eq, rank_cmp);
        if (sq >= 1)
            g->sel[g->n_sel++] = (size_t)sq;
        /* Each equilibrium with the improvement path leading to it from the
         * status quo when the whole path fits, else on its own. */
        for (size_t k = 0; k < ne && g->n_sel < cap; k++) {
            size_t e = eq[k].ord;
            if (gm_index(g, e) >= 0)
                continue;
            pl_gmcr_step *steps = NULL;
            size_t n_steps = 0, fresh = 0;
            int path = sq >= 1 && k < 400 &&
                       pl_stability_path(g->st, (size_t)sq, e, &steps, &n_steps) == PL_OK &&
                       n_steps > 0;
            for (size_t q = 0; path && q < n_steps; q++)
                fresh += gm_index(g, steps[q].to) < 0;
            if (path && g->n_sel + fresh <= cap) {
                for (size_t q = 0; q < n_steps; q++)
                    if (gm_index(g, steps[q].to) < 0) {
                        g->sel[g->n_sel++] = steps[q].to;
                        g->n_path_states += !g->eqmask[steps[q].to];
                    }
            } else {
                g->sel[g->n_sel++] = e;
            }
            pl_free(steps);
        }
        pl__free(eq);
    }
    /* Paths from the status quo to every drawn equilibrium (marked), then
     * every unilateral improvement between drawn states. */
    if (sq >= 1) {
        for (size_t k = 0; k < g->n_sel; k++) {
            if (!g->eqmask[g->sel[k]] || g->sel[k] == (size_t)sq)
                continue;
            pl_gmcr_step *steps = NULL;
            size_t n_steps = 0;
            if (pl_stability_path(g->st, (size_t)sq, g->sel[k], &steps, &n_steps) == PL_OK) {
                size_t from = (size_t)sq;
                for (size_t q = 0; q < n_steps; q++) {
                    long a = gm_index(g, from), b = gm_index(g, steps[q].to);
                    if (a >= 0 && b >= 0 &&
                        gm_add_edge(g, (size_t)a, (size_t)b, steps[q].unit, 1) != 0) {
                        pl_free(steps);
                        return PL_E_NOMEM;
                    }
                    from = steps[q].to;
                }
                g->paths_found |= n_steps > 0;
            }
            pl_free(steps);
        }
    }
    for (size_t k = 0; k < g->n_sel; k++)
        for (size_t u = 0; u < g->units; u++) {
            pl_gmcr_explanation *ex = NULL;
            pl_status st = pl_stability_explain(g->st, PL_GMCR_NASH, u, g->sel[k], &ex, NULL);
            if (st == PL_E_NOMEM)
                return st;
            for (size_t q = 0; ex && q < pl_gmcr_explanation_count(ex); q++) {
                long t = gm_index(g, pl_gmcr_explanation_ui(ex, q)->to);
                if (t >= 0 && gm_add_edge(g, k, (size_t)t, u, 0) != 0) {
                    pl_gmcr_explanation_free(ex);
                    return PL_E_NOMEM;
                }
            }
            pl_gmcr_explanation_free(ex);
        }
    return PL_OK;
}

static void gm_free(gm *g)
{
    pl_stability_free(g->st);
    pl_conflict_free(g->c);
    pl__free(g->eqmask);
    pl__free(g->sel);
    pl__free(g->edge);
}

static void gm_state_string(const gm *g, size_t ord, char *buf, size_t n)
{
    uint32_t dec = 0;
    if (pl_conflict_state(g->c, ord, &dec, buf, n) != PL_OK)
        snprintf(buf, n, "?");
}

/* The drawing: one column per number of options that differ from the status
 * quo (options taken, without one), so moves away from the status quo go
 * right; within a column, states by ordinal. No randomness anywhere. */
static void gm_draw(rp *r, gm *g)
{
    pl_buf *b = &r->b;
    size_t nopt = g->ci.n_options, D = g->n_sel;
    long sq = g->ci.status_quo;
    char sqs[40] = "", cur[40];
    if (sq >= 1)
        gm_state_string(g, (size_t)sq, sqs, sizeof sqs);
    size_t *col = pl__calloc(D ? D : 1, sizeof *col), *row = pl__calloc(D ? D : 1, sizeof *row);
    size_t *order = pl__calloc(D ? D : 1, sizeof *order);
    double *x = pl__calloc(D ? D : 1, sizeof *x), *y = pl__calloc(D ? D : 1, sizeof *y);
    if (!col || !row || !order || !x || !y) {
        b->oom = 1;
        goto out;
    }
    for (size_t k = 0; k < D; k++) {
        gm_state_string(g, g->sel[k], cur, sizeof cur);
        size_t d = 0;
        for (size_t q = 0; q < nopt && cur[q]; q++)
            d += sq >= 1 ? cur[q] != sqs[q] : cur[q] == 'Y';
        col[k] = d;
        order[k] = k;
    }
    /* rows: by ordinal within a column (selection order is not ordinal order) */
    for (size_t k = 1; k < D; k++)
        for (size_t q = k; q > 0; q--) {
            size_t a = order[q - 1], c = order[q];
            if (col[a] < col[c] || (col[a] == col[c] && g->sel[a] < g->sel[c]))
                break;
            order[q - 1] = c;
            order[q] = a;
        }
    /* Columns taller than MAXROWS are wrapped into several. */
    const size_t MAXROWS = 8;
    size_t slot = 0, last = (size_t)-1, inrow = 0, maxrow = 0;
    size_t *xslot = pl__calloc(D ? D : 1, sizeof *xslot);
    if (!xslot) {
        b->oom = 1;
        goto out;
    }
    for (size_t q = 0; q < D; q++) {
        size_t k = order[q];
        if (col[k] != last || inrow == MAXROWS) {
            if (q > 0)
                slot++;
            inrow = 0;
            last = col[k];
        }
        xslot[k] = slot;
        row[k] = inrow++;
        if (inrow > maxrow)
            maxrow = inrow;
    }
    size_t nslots = D ? slot + 1 : 0;
    int show_yn = nopt <= 14;
    double NW = show_yn ? (double)(nopt * 7 + 22) : 58, NH = 42;
    if (NW < 62)
        NW = 62;
    double GAPX = NW + 58, GAPY = 62, L = 20, T = 40;
    double W = L + GAPX * (double)nslots + 20, LEG = 24.0 * (double)((g->units + 3) / 4) + 52;
    double H = T + GAPY * (double)maxrow + LEG;
    if (W < 760)
        W = 760;
    for (size_t k = 0; k < D; k++) {
        x[k] = L + GAPX * (double)xslot[k] + NW / 2;
        y[k] = T + GAPY * (double)row[k] + NH / 2;
    }
    /* Scaled down to the page when wider (the viewBox keeps it sharp). */
    pl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
                     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-size=\"11\" "
                     "style=\"max-width:100%%;height:auto\">\n"
                     "<title>GMCR state graph: states, unilateral improvements and "
                     "equilibria</title>\n<defs>",
                  W, H, W, H);
    for (size_t u = 0; u < g->units; u++)
        pl_buf_printf(b, "<marker id=\"gm-arrow-%zu\" viewBox=\"0 0 10 10\" refX=\"9\" "
                         "refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\">"
                         "<path d=\"M0 0L10 5L0 10z\" fill=\"%s\"/></marker>",
                      u, DM_COLOUR[u % 8]);
    pl_buf_puts(b, "</defs>\n");
    /* column heads */
    size_t prev = (size_t)-1;
    for (size_t q = 0; q < D; q++) {
        size_t k = order[q];
        if (xslot[k] == prev)
            continue;
        prev = xslot[k];
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#5b6675\" "
                         "font-size=\"10\">%zu %s</text>",
                      x[k], T - 16, col[k],
                      sq >= 1 ? (col[k] == 1 ? "change" : "changes") : "taken");
    }
    pl_buf_puts(b, "\n");
    /* edges: a quadratic curve bent to one side, so that opposite moves
     * between the same two states do not overlap */
    for (size_t e = 0; e < g->n_edge; e++) {
        const gm_edge *E = &g->edge[e];
        double x1 = x[E->from], y1 = y[E->from], x2 = x[E->to], y2 = y[E->to];
        double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy);
        if (len < 1)
            continue;
        double cx = (x1 + x2) / 2 - dy / len * len * 0.18, cy = (y1 + y2) / 2 + dx / len * len * 0.18;
        double hw = NW / 2 + 2, hh = NH / 2 + 2;
        double ax = cx - x1, ay = cy - y1, bx = x2 - cx, by = y2 - cy;
        double ta = fmin(fabs(ax) > 1e-9 ? hw / fabs(ax) : 1e9, fabs(ay) > 1e-9 ? hh / fabs(ay) : 1e9);
        double tb = fmin(fabs(bx) > 1e-9 ? hw / fabs(bx) : 1e9, fabs(by) > 1e-9 ? hh / fabs(by) : 1e9);
        if (ta > 1)
            ta = 1;
        if (tb > 1)
            tb = 1;
        double sx = x1 + ax * ta, sy = y1 + ay * ta, ex = x2 - bx * tb, ey = y2 - by * tb;
        pl_buf_puts(b, "<g><title>");
        esc(b, pl_stability_unit_name(g->st, E->unit));
        pl_buf_printf(b, " improves from state %zu to state %zu%s</title>", g->sel[E->from],
                      g->sel[E->to], E->on_path ? " (on the path from the status quo)" : "");
        pl_buf_printf(b, "<path d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" fill=\"none\" "
                         "stroke=\"%s\" stroke-width=\"%s\" stroke-opacity=\"%s\" "
                         "marker-end=\"url(#gm-arrow-%zu)\"/></g>\n",
                      sx, sy, cx, cy, ex, ey, DM_COLOUR[E->unit % 8], E->on_path ? "3" : "1.3",
                      E->on_path ? "1" : "0.75", E->unit);
    }
    /* nodes */
    for (size_t k = 0; k < D; k++) {
        size_t s = g->sel[k];
        unsigned m = g->eqmask[s];
        int is_sq = sq >= 1 && s == (size_t)sq;
        gm_state_string(g, s, cur, sizeof cur);
        pl_buf_printf(b, "<g class=\"gm-state\"><title>State %zu (%s)%s", s, cur,
                      is_sq ? ", the status quo" : "");
        int any = 0;
        for (size_t o = 0; o < nopt && cur[o]; o++) {
            if (cur[o] != 'Y')
                continue;
            pl_gmcr_option_info oi;
            if (pl_conflict_option(g->c, o, &oi) != PL_OK)
                continue;
            pl_buf_puts(b, any ? ", " : "\nOptions taken: ");
            esc(b, oi.id);
            any = 1;
        }
        if (!any)
            pl_buf_puts(b, "\nNo option taken");
        if (m) {
            pl_buf_puts(b, "\nEquilibrium under:");
            for (int c = 0; c < PL_GMCR_N_CONCEPTS; c++)
                if (m >> c & 1u)
                    pl_buf_printf(b, " %s", CONCEPT_LABEL[c]);
        }
        pl_buf_puts(b, "</title>");
        pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"7\" "
                         "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
                      x[k] - NW / 2, y[k] - NH / 2, NW, NH, is_sq ? "#dbe8f5" : "#ffffff",
                      m ? "#1c2430" : "#9aa5b1", m ? "2.2" : "1");
        if (is_sq)
            pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                             "rx=\"9\" fill=\"none\" stroke=\"#2e5c8a\" stroke-width=\"1.5\" "
                             "stroke-dasharray=\"4 2\"/>",
                          x[k] - NW / 2 - 4, y[k] - NH / 2 - 4, NW + 8, NH + 8);
        pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "font-weight=\"700\">%s%zu</text>",
                      x[k], y[k] - 6, is_sq ? "SQ " : "", s);
        if (show_yn)
            pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                             "font-family=\"monospace\" font-size=\"10\" fill=\"#5b6675\">%s"
                             "</text>",
                          x[k], y[k] + 6, cur);
        /* one badge per concept, filled where the state is an equilibrium */
        double bx0 = x[k] - 3 * 9 + 1;
        for (int c = 0; c < PL_GMCR_N_CONCEPTS; c++)
            pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"6\" "
                             "fill=\"%s\" stroke=\"%s\" stroke-width=\"0.6\"/>",
                          bx0 + 9 * c, y[k] + NH / 2 - 9, m >> c & 1u ? CONCEPT_COLOUR[c] : "none",
                          m >> c & 1u ? CONCEPT_COLOUR[c] : "#c5ccd5");
        pl_buf_puts(b, "</g>\n");
    }
    /* legend: decision makers (arrow colours), concepts (badges), status quo */
    double ly = T + GAPY * (double)maxrow + 10;
    for (size_t u = 0; u < g->units; u++) {
        double lx = L + 190.0 * (double)(u % 4), yy = ly + 24.0 * (double)(u / 4);
        pl_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                         "stroke-width=\"2\" marker-end=\"url(#gm-arrow-%zu)\"/><text x=\"%.1f\" "
                         "y=\"%.1f\">",
                      lx, lx + 26, yy, yy, DM_COLOUR[u % 8], u, lx + 32, yy + 4);
        esc_cut(b, pl_stability_unit_name(g->st, u), 26);
        pl_buf_puts(b, "</text>\n");
    }
    double cy0 = ly + 24.0 * (double)((g->units + 3) / 4) + 4;
    pl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#5b6675\">equilibrium under:</text>",
                  L, cy0 + 4);
    for (int c = 0; c < PL_GMCR_N_CONCEPTS; c++)
        pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"8\" fill=\"%s\"/>"
                         "<text x=\"%.1f\" y=\"%.1f\">%s</text>",
                      L + 118 + 92.0 * c, cy0 - 4, CONCEPT_COLOUR[c], L + 131 + 92.0 * c, cy0 + 4,
                      CONCEPT_LABEL[c]);
    pl_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"11\" rx=\"3\" "
                     "fill=\"#dbe8f5\" stroke=\"#2e5c8a\" stroke-dasharray=\"4 2\"/><text "
                     "x=\"%.1f\" y=\"%.1f\">status quo</text>\n",
                  L + 118 + 92.0 * 6, cy0 - 6, L + 139 + 92.0 * 6, cy0 + 4);
    pl_buf_puts(b, "</svg>\n");
    pl__free(xslot);
out:
    pl__free(col);
    pl__free(row);
    pl__free(order);
    pl__free(x);
    pl__free(y);
}

static void write_gmcr(rp *r)
{
    pl_buf *b = &r->b;
    gm g;
    memset(&g, 0, sizeof g);
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_scenario_conflict(r->sc, &g.c, &d);
    if (st == PL_E_NOTFOUND)
        return;
    pl_buf_puts(b, "<section id=\"gmcr\"><h2>The conflict model: states, moves and "
                   "equilibria (GMCR)</h2><figure>\n");
    if (st != PL_OK) {
        if (st == PL_E_NOMEM)
            b->oom = 1;
        sim_failed(b, "conflict model", &d);
        goto done;
    }
    pl_conflict_get_info(g.c, &g.ci);
    if (g.ci.n_states > GM_MAX_STATES) {
        pl_buf_printf(b, "<p class=\"muted\">The conflict has %zu feasible states, too many "
                         "to analyse for the report: run <code>parley stability</code>.</p>",
                      g.ci.n_states);
        goto done;
    }
    pl_gmcr_opts go;
    pl_gmcr_opts_init(&go);
    go.threads = r->o->threads;
    if ((st = pl_stability_analyse(g.c, &go, &g.st, &d)) != PL_OK) {
        if (st == PL_E_NOMEM)
            b->oom = 1;
        sim_failed(b, "stability analysis", &d);
        goto done;
    }
    g.units = pl_stability_unit_count(g.st);
    g.eqmask = pl__calloc(g.ci.n_states + 1, 1);
    if (!g.eqmask) {
        b->oom = 1;
        goto done;
    }
    size_t n_eq[PL_GMCR_N_CONCEPTS] = {0};
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
        size_t *ords = NULL;
        n_eq[k] = pl_stability_equilibria(g.st, (pl_gmcr_concept)k, &ords);
        for (size_t q = 0; ords && q < n_eq[k]; q++)
            if (ords[q] >= 1 && ords[q] <= g.ci.n_states) {
                g.n_eq_any += g.eqmask[ords[q]] == 0;
                g.eqmask[ords[q]] |= (unsigned char)(1u << k);
            }
        pl_free(ords);
    }
    size_t cap = r->o->max_states ? r->o->max_states : 24;
    if (gm_select(&g, cap) != PL_OK) {
        b->oom = 1;
        goto done;
    }
    gm_draw(r, &g);
    /* The key to the state strings, and the equilibria of every concept. */
    pl_buf_puts(b, "<p class=\"muted\">State strings read left to right: ");
    for (size_t o = 0; o < g.ci.n_options; o++) {
        pl_gmcr_option_info oi;
        pl_gmcr_dm_info di;
        if (pl_conflict_option(g.c, o, &oi) != PL_OK ||
            pl_conflict_dm(g.c, oi.dm, &di) != PL_OK)
            continue;
        pl_buf_printf(b, "%s%zu <code>", o ? "; " : "", o + 1);
        esc(b, oi.id);
        pl_buf_puts(b, "</code> (");
        esc(b, di.id);
        pl_buf_puts(b, ")");
    }
    pl_buf_puts(b, ". Y: the option is taken.</p>\n");
    pl_buf_puts(b, "<table><thead><tr><th>concept</th><th>equilibria</th><th>states (drawn "
                   "ones in bold)</th></tr></thead><tbody>\n");
    for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++) {
        pl_buf_printf(b, "<tr><td><span class=\"bar\" style=\"width:10px;background:%s\">"
                         "</span> %s</td><td class=\"num\">%zu</td><td>",
                      CONCEPT_COLOUR[k], CONCEPT_LABEL[k], n_eq[k]);
        size_t shown = 0;
        char cur[40];
        for (size_t s = 1; s <= g.ci.n_states && shown < 16; s++) {
            if (!(g.eqmask[s] >> k & 1u))
                continue;
            gm_state_string(&g, s, cur, sizeof cur);
            int drawn = gm_index(&g, s) >= 0;
            pl_buf_printf(b, "%s%s%zu (%s)%s", shown ? ", " : "", drawn ? "<b>" : "", s,
                          cur, drawn ? "</b>" : "");
            shown++;
        }
        if (n_eq[k] > shown)
            pl_buf_printf(b, ", &#8230; (%zu more)", n_eq[k] - shown);
        if (!n_eq[k])
            pl_buf_puts(b, "<span class=\"muted\">none</span>");
        pl_buf_puts(b, "</td></tr>\n");
    }
    pl_buf_puts(b, "</tbody></table>\n");
    pl_buf_puts(b, "<figcaption>The conflict section read as a graph model: ");
    esc(b, g.ci.name);
    pl_buf_printf(b, ", %zu decision makers, %zu options, %zu feasible states. ", g.units,
                  g.ci.n_options, g.ci.n_states);
    if (g.n_sel == g.ci.n_states)
        pl_buf_puts(b, "Every feasible state is drawn. ");
    else
        pl_buf_printf(b, "For readability only %zu of the %zu states are drawn: %s the "
                         "equilibria that hold under the most concepts (%zu states are an "
                         "equilibrium under at least one concept)%s. ",
                      g.n_sel, g.ci.n_states, g.ci.status_quo >= 1 ? "the status quo," : "",
                      g.n_eq_any,
                      g.n_path_states ? " and the states on the improvement paths from the "
                                        "status quo to them"
                                      : "");
    pl_buf_puts(b, "A box is a state (its number and which options are taken); a dark border "
                   "marks an equilibrium, and the six badges under it say under which "
                   "stability concepts (Nash, general and symmetric metarationality, "
                   "sequential and simultaneous stability, SEQ&amp;SIM). An arrow is a "
                   "unilateral improvement between drawn states: a move by one decision maker "
                   "(its colour) to a state it prefers. ");
    if (g.ci.status_quo >= 1)
        pl_buf_printf(b, "Columns count the options that differ from the status quo (state "
                         "%ld, dashed). %s",
                      g.ci.status_quo,
                      g.paths_found ? "Thick arrows: the shortest paths of unilateral "
                                      "improvements from the status quo to the drawn "
                                      "equilibria. "
                                    : "No drawn equilibrium can be reached from the status quo "
                                      "by unilateral improvements. ");
    else
        pl_buf_puts(b, "The conflict gives no status quo; columns count the options taken. ");
    pl_buf_puts(b, "Source: <code>parley stability</code> (closure semantics); evidence behind "
                   "the preferences: ");
    idset ev = {0};
    for (size_t i = 0; i < g.ci.n_dms; i++) {
        pl_gmcr_dm_info di;
        if (pl_conflict_dm(g.c, i, &di) != PL_OK)
            continue;
        for (size_t q = 0; q < di.n_evidence; q++)
            idset_add(&ev, di.evidence[q]);
    }
    idset_list(b, &ev, "none cited");
    cite_all(r, &ev);
    pl__free(ev.id);
    pl_buf_puts(b, ".</figcaption>");
done:
    pl_buf_puts(b, "</figure></section>\n");
    gm_free(&g);
}

/* ---- entry point ----------------------------------------------------------- */

static void rp_free(rp *r)
{
    pl_evaluation_free(r->ev);
    pl_space_free(r->zopa);
    pl_space_free(r->pareto);
    pl_space_free(r->nash);
    pl_bridges_free(r->br);
    json_decref(r->timeline);
    json_decref(r->sim);
    json_decref(r->sens);
    pl__free(r->act);
    pl__free(r->veto);
    pl__free(r->pref);
    pl__free(r->cited.id);
    pl_buf_free(&r->b);
}

pl_status pl_report_html(pl_scenario *sc, const pl_report_options *opts, char **html,
                         pl_diag *diag)
{
    if (html)
        *html = NULL;
    if (!sc || !html) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_report_html: NULL argument");
        return PL_E_ARG;
    }
    pl_report_options dflt;
    if (!opts) {
        pl_report_options_init(&dflt);
        opts = &dflt;
    }
    if (opts->war && (opts->runs < 1 || opts->runs > 100000000 || opts->tornado_runs < 1 ||
                      opts->tornado_runs > 100000000)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0,
                     "pl_report_html: runs and tornado_runs must be 1 to 100000000");
        return PL_E_ARG;
    }
    rp r;
    memset(&r, 0, sizeof r);
    r.sc = sc;
    r.o = opts;
    pl_buf_init(&r.b);
    pl_scenario_get_info(sc, &r.info);
    pl_status st = PL_OK;

    r.n_act = r.info.n_actors;
    r.act = pl__calloc(r.n_act ? r.n_act : 1, sizeof *r.act);
    r.veto = pl__calloc(r.n_act ? r.n_act : 1, sizeof *r.veto);
    r.pref = pl__calloc(r.n_act ? r.n_act : 1, sizeof *r.pref);
    if (!r.act || !r.veto || !r.pref) {
        st = PL_E_NOMEM;
        goto oom;
    }
    for (size_t a = 0; a < r.n_act; a++) {
        if ((st = pl_scenario_actor(sc, a, &r.act[a])) != PL_OK)
            goto fail;
        if (r.act[a].has_preferences) {
            r.pref[r.n_pref++] = a;
            if (r.act[a].veto)
                r.veto[r.n_veto++] = a;
        }
    }
    if ((st = pl_evaluate(sc, -1, &r.ev, diag)) != PL_OK)
        goto fail;
    pl_space_options so;
    pl_space_options_init(&so);
    so.threads = opts->threads;
    so.top_k = 60;
    if ((st = pl_zopa(sc, &so, &r.zopa, diag)) != PL_OK)
        goto fail;
    r.zopa_exact = pl_space_count(r.zopa, &r.zopa_count);
    so.top_k = 10;
    /* The frontier of an empty ZOPA is that of the whole feasible space
     * (pl_pareto's scope says which); both are cheap since the frontier is
     * built by merging issue frontiers. */
    r.pareto_skipped = 0;
    if (opts->pareto && !r.pareto_skipped &&
        (st = pl_pareto(sc, &so, &r.pareto, diag)) != PL_OK)
        goto fail;
    if ((st = pl_solve(sc, &so, &r.nash, diag)) != PL_OK)
        goto fail;
    if (r.zopa_exact && r.zopa_count == 0 && (st = pl_bridges_find(sc, &so, &r.br, diag)) != PL_OK)
        goto fail;
    if (opts->timeline && r.info.n_events > 0) {
        char *tj = NULL;
        if ((st = pl_timeline_json(sc, &so, &tj, diag)) != PL_OK)
            goto fail;
        json_error_t je;
        r.timeline = json_loads(tj, 0, &je);
        pl_free(tj);
        if (!r.timeline) {
            st = PL_E_INTERNAL;
            pl__diag_set(diag, st, NULL, 0, 0, "report: the timeline JSON does not parse: %s",
                         je.text);
            goto fail;
        }
        /* pl_timeline_json restores the as-of selection; the info (events
         * applied) is re-read so the header describes the current state. */
        pl_scenario_get_info(sc, &r.info);
    }

    if (opts->war && pl_scenario_has_war(sc)) {
        /* A failed simulation is shown in its section: the rest of the report
         * still stands. Only running out of memory fails the whole. */
        pl_sim_options sim;
        pl_sim_options_init(&sim);
        sim.runs = opts->runs;
        sim.seed = opts->seed;
        sim.threads = opts->threads > 0 ? (opts->threads > 64 ? 64 : opts->threads) : 2;
        char *sj = NULL;
        pl_status ss = pl_simulate_json(sc, &sim, &sj, &r.sim_diag);
        if (ss == PL_E_NOMEM) {
            st = ss;
            goto oom;
        }
        r.sim = ss == PL_OK ? json_loads(sj, 0, NULL) : NULL;
        pl_free(sj);
        if (ss == PL_OK && !r.sim)
            pl__diag_set(&r.sim_diag, PL_E_INTERNAL, NULL, 0, 0, "the simulation's JSON does not parse");
        sim.runs = opts->tornado_runs;
        sj = NULL;
        ss = pl_sensitivity_json(sc, &sim, &sj, &r.sens_diag);
        if (ss == PL_E_NOMEM) {
            st = ss;
            goto oom;
        }
        r.sens = ss == PL_OK ? json_loads(sj, 0, NULL) : NULL;
        pl_free(sj);
        if (ss == PL_OK && !r.sens)
            pl__diag_set(&r.sens_diag, PL_E_INTERNAL, NULL, 0, 0, "the sensitivity JSON does not parse");
    }

    pl_buf *b = &r.b;
    pl_buf_puts(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
                   "<head><meta charset=\"utf-8\"/>\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                   "<meta name=\"generator\" content=\"parley " PL_VERSION_STRING "\"/>\n<title>");
    esc(b, opts->title ? opts->title : r.info.name);
    pl_buf_puts(b, " - parley report</title>\n<style>\n");
    pl_buf_puts(b, CSS);
    pl_buf_puts(b, "</style></head>\n<body>\n");
    write_header(&r);
    write_matrix(&r);
    write_space(&r);
    if (r.timeline)
        write_timeline(&r);
    if (opts->war && pl_scenario_has_war(sc)) {
        write_fan(&r);
        write_tornado(&r);
    }
    if (opts->gmcr)
        write_gmcr(&r);
    write_bridges(&r);
    write_evidence(&r);
    pl_buf_puts(b, "<footer>Made by parley " PL_VERSION_STRING " from the scenario file alone; "
                   "this page loads nothing from the network.</footer>\n</main>\n</body>\n</html>\n");
    if (b->oom || r.cited.oom) {
        st = PL_E_NOMEM;
        goto oom;
    }
    *html = pl_buf_take(b);
    if (!*html) {
        st = PL_E_NOMEM;
        goto oom;
    }
    rp_free(&r);
    return PL_OK;
oom:
    pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory while writing the report");
fail:
    rp_free(&r);
    return st;
}
