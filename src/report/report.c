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

#include "util/util.h"

/* M_PI is POSIX, not C11. */
#define PI_ 3.14159265358979323846

void pl_report_options_init(pl_report_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->timeline = 1;
    opts->pareto = 1;
    opts->max_points = 400;
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
    pl_buf_printf(b, ": %zu of %zu timeline events applied. parley %s.</p></header>\n<main>\n",
                  r->info.n_events_applied, r->info.n_events, pl_version());

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

/* ---- entry point ----------------------------------------------------------- */

static void rp_free(rp *r)
{
    pl_evaluation_free(r->ev);
    pl_space_free(r->zopa);
    pl_space_free(r->pareto);
    pl_space_free(r->nash);
    pl_bridges_free(r->br);
    json_decref(r->timeline);
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
