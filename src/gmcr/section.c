/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `conflict:` section of a scenario (docs/gmcr.md): decision makers are
 * actors, options name their controller, preferences are option
 * prioritisation statements or explicit rankings, and everything may cite
 * the scenario's evidence. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gmcr/gmcr.h"
#include "load/ld.h"
#include "util/util.h"

typedef struct sp {
    ld *L;
    pl_scenario *sc;
    gm_builder *b;
} sp;

/* ---- the statement language ---------------------------------------------
 *   expr    := 'if' expr 'then' expr | iff
 *   iff     := implies { 'iff' implies }
 *   implies := or [ 'implies' implies ]
 *   or      := and { 'or' and }
 *   and     := unary { 'and' unary }
 *   unary   := ('not' | '-' | '!') unary | '(' expr ')' | 'true' | 'false' | OPTION
 * with '&&', '&', '||', '|' as synonyms. */

typedef struct lex {
    const char *s;
    size_t n, i;
    size_t tok_at, tok_len;
    int tok; /* 0 end, 'w' word, or a punctuation character */
    const gm_builder *b;
    gx_expr *e;
    size_t err_at;
    char err[200];
    int depth;
} lex;

static void next(lex *x)
{
    while (x->i < x->n && isspace((unsigned char)x->s[x->i]))
        x->i++;
    x->tok_at = x->i;
    if (x->i >= x->n) {
        x->tok = 0;
        x->tok_len = 0;
        return;
    }
    char ch = x->s[x->i];
    if (isalpha((unsigned char)ch) || ch == '_') {
        size_t j = x->i;
        while (j < x->n && (isalnum((unsigned char)x->s[j]) || x->s[j] == '_'))
            j++;
        x->tok = 'w';
        x->tok_len = j - x->i;
        x->i = j;
        return;
    }
    if ((ch == '&' || ch == '|') && x->i + 1 < x->n && x->s[x->i + 1] == ch) {
        x->tok = ch;
        x->tok_len = 2;
        x->i += 2;
        return;
    }
    x->tok = (unsigned char)ch;
    x->tok_len = 1;
    x->i++;
}

static int is_word(const lex *x, const char *w)
{
    return x->tok == 'w' && x->tok_len == strlen(w) && memcmp(x->s + x->tok_at, w, x->tok_len) == 0;
}

static int lfail(lex *x, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int lfail(lex *x, size_t at, const char *fmt, ...)
{
    if (x->err[0])
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
    x->err_at = at;
    return -1;
}

static int emit(lex *x, uint8_t op, uint8_t var)
{
    if (gx_push(x->e, op, var) != 0)
        return lfail(x, x->tok_at, "out of memory");
    return 0;
}

static int p_expr(lex *x);

static int p_unary(lex *x)
{
    if (++x->depth > 200)
        return lfail(x, x->tok_at, "the statement is nested too deeply");
    int rc;
    if (is_word(x, "not") || x->tok == '-' || x->tok == '!') {
        next(x);
        rc = p_unary(x) == 0 ? emit(x, GX_NOT, 0) : -1;
    } else if (x->tok == '(') {
        size_t at = x->tok_at;
        next(x);
        rc = p_expr(x);
        if (rc == 0) {
            if (x->tok != ')')
                rc = lfail(x, at, "unbalanced parenthesis: this '(' is never closed");
            else
                next(x);
        }
    } else if (is_word(x, "true") || is_word(x, "false")) {
        rc = emit(x, is_word(x, "true") ? GX_TRUE : GX_FALSE, 0);
        next(x);
    } else if (x->tok == 'w') {
        long found = -1;
        for (size_t k = 0; k < x->b->n_opt && found < 0; k++)
            if (strlen(x->b->opt[k].id) == x->tok_len &&
                memcmp(x->b->opt[k].id, x->s + x->tok_at, x->tok_len) == 0)
                found = (long)k;
        if (found < 0) {
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(x->tok_len < 63 ? x->tok_len : 63),
                     x->s + x->tok_at);
            const char *cands[PL_GMCR_MAX_OPTIONS + 8];
            size_t nc = 0;
            for (size_t k = 0; k < x->b->n_opt && nc < PL_GMCR_MAX_OPTIONS; k++)
                cands[nc++] = x->b->opt[k].id;
            const char *sug = pl__suggest(word, cands, nc);
            if (sug)
                return lfail(x, x->tok_at, "unknown option '%s' (did you mean '%s'?)", word, sug);
            return lfail(x, x->tok_at, "unknown option '%s'; options are the ids under "
                                       "conflict.options",
                         word);
        }
        rc = emit(x, GX_VAR, (uint8_t)found);
        next(x);
    } else if (x->tok == 0) {
        rc = lfail(x, x->tok_at, "the statement ends where an option was expected");
    } else {
        rc = lfail(x, x->tok_at, "unexpected '%c' where an option was expected", x->tok);
    }
    x->depth--;
    return rc;
}

static int p_and(lex *x)
{
    if (p_unary(x) != 0)
        return -1;
    while (is_word(x, "and") || x->tok == '&') {
        next(x);
        if (p_unary(x) != 0 || emit(x, GX_AND, 0) != 0)
            return -1;
    }
    return 0;
}

static int p_or(lex *x)
{
    if (p_and(x) != 0)
        return -1;
    while (is_word(x, "or") || x->tok == '|') {
        next(x);
        if (p_and(x) != 0 || emit(x, GX_OR, 0) != 0)
            return -1;
    }
    return 0;
}

static int p_implies(lex *x)
{
    if (p_or(x) != 0)
        return -1;
    if (is_word(x, "implies")) {
        next(x);
        if (p_implies(x) != 0 || emit(x, GX_IMPLIES, 0) != 0)
            return -1;
    }
    return 0;
}

static int p_iff(lex *x)
{
    if (p_implies(x) != 0)
        return -1;
    while (is_word(x, "iff")) {
        next(x);
        if (p_implies(x) != 0 || emit(x, GX_IFF, 0) != 0)
            return -1;
    }
    return 0;
}

static int p_expr(lex *x)
{
    if (is_word(x, "if")) {
        size_t at = x->tok_at;
        next(x);
        if (p_expr(x) != 0)
            return -1;
        if (!is_word(x, "then"))
            return lfail(x, x->tok_at, "expected 'then' to complete the 'if' at character %zu",
                         at + 1);
        next(x);
        if (p_expr(x) != 0 || emit(x, GX_IMPLIES, 0) != 0)
            return -1;
        return 0;
    }
    return p_iff(x);
}

/* Point a failure at character `off` of scalar n: exact for one-line plain
 * and quoted scalars (a quoted scalar's position is its opening quote). */
static int fail_in(sp *p, const ynode *n, size_t off, const char *what, const char *msg)
{
    ynode at = *n;
    int quoted = n->style == YS_SINGLE || n->style == YS_DOUBLE;
    if (!memchr(n->text, '\n', n->len) && n->style != YS_LITERAL && n->style != YS_FOLDED)
        at.col = n->col + quoted + (int)off;
    return ld_fail(p->L, &at, "in %s: %s", what, msg);
}

static int compile_stmt(sp *p, const ynode *n, const char *what, gx_expr *e)
{
    const char *src;
    if (ld_str(p->L, n, what, &src) != 0)
        return -1;
    lex x;
    memset(&x, 0, sizeof x);
    x.s = n->text;
    x.n = n->len;
    x.b = p->b;
    x.e = e;
    next(&x);
    int rc = p_expr(&x);
    if (rc == 0 && x.tok != 0)
        rc = lfail(&x, x.tok_at, "unexpected '%.*s' after a complete statement",
                   (int)(x.tok_len < 40 ? x.tok_len : 40), x.s + x.tok_at);
    if (rc != 0)
        return fail_in(p, n, x.err_at, what, x.err);
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static long find_dm(const gm_builder *b, const char *id)
{
    for (size_t i = 0; i < b->n_dm; i++)
        if (strcmp(b->dm[i].id, id) == 0)
            return (long)i;
    return -1;
}

static long find_opt(const gm_builder *b, const char *id)
{
    for (size_t k = 0; k < b->n_opt; k++)
        if (strcmp(b->opt[k].id, id) == 0)
            return (long)k;
    return -1;
}

static long need_opt(sp *p, const ynode *n, const char *what)
{
    const char *id;
    if (ld_id(p->L, n, what, &id) != 0)
        return -1;
    long k = find_opt(p->b, id);
    if (k < 0) {
        const char *cands[PL_GMCR_MAX_OPTIONS];
        size_t nc = 0;
        for (size_t t = 0; t < p->b->n_opt && nc < PL_GMCR_MAX_OPTIONS; t++)
            cands[nc++] = p->b->opt[t].id;
        const char *sug = pl__suggest(id, cands, nc);
        if (sug)
            ld_fail(p->L, n, "unknown option '%s' in %s (did you mean '%s'?)", id, what, sug);
        else
            ld_fail(p->L, n, "unknown option '%s' in %s", id, what);
    }
    return k;
}

/* A state: a Y/N string in option order, or a list of the option ids taken. */
static int parse_state(sp *p, const ynode *n, const char *what, long *out)
{
    long x = 0;
    if (n->type == YN_SEQ) {
        for (size_t k = 0; k < n->n; k++) {
            long o = need_opt(p, n->kid[k], what);
            if (o < 0)
                return -1;
            x |= 1L << o;
        }
        *out = x;
        return 0;
    }
    const char *s;
    if (ld_str(p->L, n, what, &s) != 0)
        return -1;
    if (strlen(s) != p->b->n_opt)
        return ld_fail(p->L, n,
                       "%s: '%s' has %zu characters; a state has one Y or N per option (%zu)",
                       what, s, strlen(s), p->b->n_opt);
    for (size_t k = 0; k < p->b->n_opt; k++) {
        if (s[k] == 'Y')
            x |= 1L << k;
        else if (s[k] != 'N')
            return fail_in(p, n, k, what, "a state is written with Y and N only");
    }
    *out = x;
    return 0;
}

/* A pattern string (Y/N/-) or a state list, as a formula. */
static int parse_pattern(sp *p, const ynode *n, const char *what, gx_expr *e)
{
    if (n->type == YN_SEQ) {
        long x;
        if (parse_state(p, n, what, &x) != 0)
            return -1;
        char pat[PL_GMCR_MAX_OPTIONS + 1];
        for (size_t k = 0; k < p->b->n_opt; k++)
            pat[k] = (x >> k) & 1 ? 'Y' : 'N';
        pat[p->b->n_opt] = '\0';
        int bad;
        return gx_pattern(e, pat, (int)p->b->n_opt, &bad) ? ld_oom(p->L) : 0;
    }
    const char *s;
    if (ld_str(p->L, n, what, &s) != 0)
        return -1;
    int bad;
    if (gx_pattern(e, s, (int)p->b->n_opt, &bad) != 0) {
        if (bad < 0)
            return ld_oom(p->L);
        if (strlen(s) != p->b->n_opt)
            return ld_fail(p->L, n, "%s: '%s' has %zu characters; a pattern has one Y, N or - "
                                    "per option (%zu)",
                           what, s, strlen(s), p->b->n_opt);
        return fail_in(p, n, (size_t)bad, what, "a pattern is written with Y, N and - only");
    }
    return 0;
}

static int add_evidence(sp *p, gb_dm *d, const ynode *m)
{
    const ynode *ev = ld_get(m, "evidence");
    if (!ev)
        return 0;
    if (ld_expect_seq(p->L, ev, "'evidence'") != 0)
        return -1;
    for (size_t k = 0; k < ev->n; k++) {
        long e = ld_evidence(p->L, ev->kid[k]);
        if (e < 0)
            return -1;
        const char *id = p->sc->ev[e].id;
        int dup = 0;
        for (size_t t = 0; t < d->n_evidence; t++)
            dup |= strcmp(d->evidence[t], id) == 0;
        if (!dup && gb_dm_add_evidence(d, id) != 0)
            return ld_oom(p->L);
    }
    return 0;
}

/* ---- the section ------------------------------------------------------------ */

static const char *const TOP[] = {"name", "decision_makers", "options", "infeasible",
                                  "status_quo", "preferences", "coalitions", "note",
                                  "evidence", NULL};
static const char *const OPT_KEYS[] = {"id", "by", "name", "label", "direction", "evidence",
                                       "assume", "note", NULL};
static const char *const INF_KEYS[] = {"pattern", "mutually_exclusive", "at_least_one_of",
                                       "when", "note", "evidence", "assume", NULL};
static const char *const PREF_KEYS[] = {"statements", "ranking", "misperceives", "evidence",
                                        "assume", "note", NULL};
static const char *const STMT_KEYS[] = {"statement", "evidence", "assume", "note", NULL};

static int parse_options(sp *p, const ynode *n)
{
    if (ld_expect_seq(p->L, n, "'conflict.options'") != 0)
        return -1;
    if (n->n == 0)
        return ld_fail(p->L, n, "the conflict has no options");
    if (n->n > PL_GMCR_MAX_OPTIONS)
        return ld_fail(p->L, n->kid[PL_GMCR_MAX_OPTIONS],
                       "the conflict has %zu options; at most %d are supported (the analysis "
                       "visits all 2^n combinations)",
                       n->n, PL_GMCR_MAX_OPTIONS);
    for (size_t k = 0; k < n->n; k++) {
        const ynode *m = n->kid[k];
        if (ld_expect_map(p->L, m, "a conflict option") != 0 ||
            ld_check_keys(p->L, m, OPT_KEYS, "a conflict option") != 0)
            return -1;
        const ynode *idn = ld_need(p->L, m, "id", "a conflict option");
        const ynode *byn = ld_get(m, "by");
        const char *id, *by;
        if (!idn || ld_id(p->L, idn, "the option id", &id) != 0)
            return -1;
        if (find_opt(p->b, id) >= 0)
            return ld_fail(p->L, idn, "duplicate option id '%s'", id);
        if (!byn)
            return ld_fail(p->L, m, "option '%s' is controlled by no one: give 'by:' with the id "
                                    "of the decision maker who controls it",
                           id);
        if (ld_id(p->L, byn, "the controller ('by')", &by) != 0)
            return -1;
        long dm = find_dm(p->b, by);
        if (dm < 0) {
            if (ld_actor(p->L, byn) < 0)
                return -1;
            return ld_fail(p->L, byn,
                           "option '%s' is controlled by '%s', which is an actor but not one of "
                           "conflict.decision_makers",
                           id, by);
        }
        gb_option *o = gb_add_option(p->b);
        if (!o || !(o->id = pl__strdup(id)))
            return ld_oom(p->L);
        o->dm = (int)dm;
        o->line = m->line;
        o->col = m->col;
        const ynode *nm = ld_get(m, "name");
        if (!nm)
            nm = ld_get(m, "label");
        if (nm) {
            const char *s;
            if (ld_str(p->L, nm, "the option name", &s) != 0)
                return -1;
            if (!(o->name = pl__strdup(s)))
                return ld_oom(p->L);
        }
        const ynode *dn = ld_get(m, "direction");
        if (dn) {
            const char *s;
            if (ld_str(p->L, dn, "the direction", &s) != 0)
                return -1;
            if (strcmp(s, "both") == 0)
                o->dir = PL_GMCR_BOTH;
            else if (strcmp(s, "n_to_y") == 0 || strcmp(s, "N_to_Y_only") == 0)
                o->dir = PL_GMCR_N_TO_Y;
            else if (strcmp(s, "y_to_n") == 0 || strcmp(s, "Y_to_N_only") == 0)
                o->dir = PL_GMCR_Y_TO_N;
            else
                return ld_fail(p->L, dn, "unknown direction '%s': use both, n_to_y (once taken "
                                         "it stays) or y_to_n (once dropped it stays dropped)",
                               s);
        }
        pl_cite cite;
        if (ld_cite(p->L, m, &cite) != 0)
            return -1;
    }
    return 0;
}

static int parse_infeasible(sp *p, const ynode *n)
{
    if (ld_expect_seq(p->L, n, "'conflict.infeasible'") != 0)
        return -1;
    for (size_t k = 0; k < n->n; k++) {
        const ynode *m = n->kid[k];
        if (ld_expect_map(p->L, m, "an infeasibility condition") != 0 ||
            ld_check_keys(p->L, m, INF_KEYS, "an infeasibility condition") != 0)
            return -1;
        const ynode *pat = ld_get(m, "pattern"), *mx = ld_get(m, "mutually_exclusive"),
                    *al = ld_get(m, "at_least_one_of"), *wh = ld_get(m, "when");
        int kinds = !!pat + !!mx + !!al + !!wh;
        if (kinds != 1)
            return ld_fail(p->L, m, "an infeasibility condition needs exactly one of pattern, "
                                    "mutually_exclusive, at_least_one_of, when");
        gx_expr *e = gb_add_infeasible(p->b);
        if (!e)
            return ld_oom(p->L);
        if (pat) {
            if (parse_pattern(p, pat, "the infeasible pattern", e) != 0)
                return -1;
        } else if (wh) {
            if (compile_stmt(p, wh, "the infeasibility condition", e) != 0)
                return -1;
        } else {
            const ynode *l = mx ? mx : al;
            if (ld_expect_seq(p->L, l, mx ? "'mutually_exclusive'" : "'at_least_one_of'") != 0)
                return -1;
            if (l->n < 2)
                return ld_fail(p->L, l, "list at least two options");
            /* mutually exclusive: any two taken together; at least one of:
             * all of them dropped. */
            long ids[PL_GMCR_MAX_OPTIONS];
            for (size_t t = 0; t < l->n && t < PL_GMCR_MAX_OPTIONS; t++)
                if ((ids[t] = need_opt(p, l->kid[t], "the infeasibility condition")) < 0)
                    return -1;
            int terms = 0;
            for (size_t a = 0; a < l->n && a < PL_GMCR_MAX_OPTIONS; a++) {
                if (al) {
                    if (gx_push(e, GX_VAR, (uint8_t)ids[a]) || gx_push(e, GX_NOT, 0) ||
                        (a && gx_push(e, GX_AND, 0)))
                        return ld_oom(p->L);
                    continue;
                }
                for (size_t c2 = a + 1; c2 < l->n && c2 < PL_GMCR_MAX_OPTIONS; c2++) {
                    if (gx_push(e, GX_VAR, (uint8_t)ids[a]) ||
                        gx_push(e, GX_VAR, (uint8_t)ids[c2]) || gx_push(e, GX_AND, 0) ||
                        (terms++ && gx_push(e, GX_OR, 0)))
                        return ld_oom(p->L);
                }
            }
        }
        const ynode *src = pat ? pat : wh;
        if (src && src->type == YN_SCALAR &&
            gb_strv_add(&p->b->itext, &p->b->n_itext, src->text) != 0)
            return ld_oom(p->L);
        pl_cite cite;
        if (ld_cite(p->L, m, &cite) != 0)
            return -1;
    }
    return 0;
}

static int parse_pref(sp *p, gb_dm *d, const ynode *m)
{
    if (ld_expect_map(p->L, m, "a preference block") != 0 ||
        ld_check_keys(p->L, m, PREF_KEYS, "a preference block") != 0)
        return -1;
    const ynode *st = ld_get(m, "statements"), *rk = ld_get(m, "ranking");
    if (!!st + !!rk != 1)
        return ld_fail(p->L, m, "give the preferences of '%s' as exactly one of 'statements' "
                                "(option prioritization) or 'ranking'",
                       d->id);
    if (add_evidence(p, d, m) != 0)
        return -1;
    d->line = m->line;
    d->col = m->col;
    if (st) {
        if (ld_expect_seq(p->L, st, "'statements'") != 0)
            return -1;
        if (st->n == 0)
            return ld_fail(p->L, st, "'%s' has no preference statements", d->id);
        for (size_t k = 0; k < st->n; k++) {
            const ynode *s = st->kid[k];
            if (s->type == YN_MAP) {
                if (ld_check_keys(p->L, s, STMT_KEYS, "a preference statement") != 0)
                    return -1;
                if (add_evidence(p, d, s) != 0)
                    return -1;
                s = ld_need(p->L, s, "statement", "a preference statement");
                if (!s)
                    return -1;
            }
            gx_expr *e;
            if (gb_dm_add_stmt(d, &e) != 0)
                return ld_oom(p->L);
            if (compile_stmt(p, s, "the preference statement", e) != 0)
                return -1;
            if (gb_strv_add(&d->text, &d->n_text, s->text) != 0)
                return ld_oom(p->L);
        }
    } else {
        d->prioritization = 0;
        if (ld_expect_seq(p->L, rk, "'ranking'") != 0)
            return -1;
        if (rk->n == 0)
            return ld_fail(p->L, rk, "the ranking of '%s' is empty", d->id);
        for (size_t k = 0; k < rk->n; k++) {
            const ynode *it = rk->kid[k];
            gb_rank_item *ri;
            if (gb_dm_add_rank(d, &ri) != 0)
                return ld_oom(p->L);
            ri->line = it->line;
            ri->col = it->col;
            /* a list of scalars is a tie; a list of ids must be written as a
             * Y/N string to stay unambiguous */
            size_t na = it->type == YN_SEQ ? it->n : 1;
            for (size_t a = 0; a < na; a++) {
                const ynode *one = it->type == YN_SEQ ? it->kid[a] : it;
                gx_expr *e;
                if (gb_rank_add_alt(ri, &e) != 0)
                    return ld_oom(p->L);
                if (one->type != YN_SCALAR)
                    return ld_fail(p->L, one, "a ranking entry is a state or pattern string, or "
                                              "a list of them (a tie)");
                if (parse_pattern(p, one, "the ranking", e) != 0)
                    return -1;
            }
        }
    }
    const ynode *mp = ld_get(m, "misperceives");
    if (mp) {
        if (ld_expect_seq(p->L, mp, "'misperceives'") != 0)
            return -1;
        for (size_t k = 0; k < mp->n; k++) {
            if (parse_pattern(p, mp->kid[k], "'misperceives'", &d->misp) != 0)
                return -1;
            if (d->has_misp && gx_push(&d->misp, GX_OR, 0) != 0)
                return ld_oom(p->L);
            d->has_misp = 1;
        }
    }
    return 0;
}

static void free_conflict(void *p)
{
    pl_conflict_free(p);
}

static int parse(sp *p, const ynode *sec)
{
    ld *L = p->L;
    gm_builder *b = p->b;
    if (ld_expect_map(L, sec, "the 'conflict' section") != 0 ||
        ld_check_keys(L, sec, TOP, "the 'conflict' section") != 0)
        return -1;
    b->file = ld_file(L);
    b->line = sec->line;
    b->col = sec->col;
    const ynode *nm = ld_get(sec, "name");
    const char *s = p->sc->name;
    if (nm && ld_str(L, nm, "the conflict name", &s) != 0)
        return -1;
    if (!(b->name = pl__strdup(s ? s : "")) || !(b->source = pl__strdup(ld_file(L))))
        return ld_oom(L);

    const ynode *dms = ld_need(L, sec, "decision_makers", "the 'conflict' section");
    if (!dms || ld_expect_seq(L, dms, "'decision_makers'") != 0)
        return -1;
    if (dms->n == 0)
        return ld_fail(L, dms, "the conflict has no decision makers");
    if (dms->n > PL_GMCR_MAX_DMS)
        return ld_fail(L, dms, "at most %d decision makers are supported", PL_GMCR_MAX_DMS);
    for (size_t k = 0; k < dms->n; k++) {
        long a = ld_actor(L, dms->kid[k]);
        if (a < 0)
            return -1;
        const pl_actor *ac = &p->sc->actor[a];
        if (find_dm(b, ac->id) >= 0)
            return ld_fail(L, dms->kid[k], "decision maker '%s' is listed twice", ac->id);
        gb_dm *d = gb_add_dm(b);
        if (!d || !(d->id = pl__strdup(ac->id)) || !(d->name = pl__strdup(ac->name)))
            return ld_oom(L);
        d->line = d->dline = dms->kid[k]->line;
        d->col = d->dcol = dms->kid[k]->col;
    }
    const ynode *opts = ld_need(L, sec, "options", "the 'conflict' section");
    if (!opts || parse_options(p, opts) != 0)
        return -1;
    const ynode *n;
    if ((n = ld_get(sec, "infeasible")) && parse_infeasible(p, n) != 0)
        return -1;
    if ((n = ld_get(sec, "status_quo"))) {
        if (parse_state(p, n, "the status quo", &b->sq) != 0)
            return -1;
        b->sq_line = n->line;
        b->sq_col = n->col;
    }
    const ynode *prefs = ld_need(L, sec, "preferences", "the 'conflict' section");
    if (!prefs || ld_expect_map(L, prefs, "'conflict.preferences'") != 0)
        return -1;
    for (size_t k = 0; k < prefs->n; k++) {
        const ynode *key = prefs->kid[2 * k];
        const char *id;
        if (ld_id(L, key, "a decision maker id", &id) != 0)
            return -1;
        long i = find_dm(b, id);
        if (i < 0) {
            if (ld_actor(L, key) < 0)
                return -1;
            return ld_fail(L, key, "'%s' has preferences but is not one of "
                                   "conflict.decision_makers",
                           id);
        }
        for (size_t t = 0; t < k; t++)
            if (strcmp(prefs->kid[2 * t]->text, id) == 0)
                return ld_fail(L, key, "duplicate preferences for '%s'", id);
        if (parse_pref(p, &b->dm[i], prefs->kid[2 * k + 1]) != 0)
            return -1;
    }
    for (size_t i = 0; i < b->n_dm; i++)
        if (b->dm[i].n_stmt == 0 && b->dm[i].n_rank == 0) {
            ynode at = *prefs;
            at.line = b->dm[i].line;
            at.col = b->dm[i].col;
            return ld_fail(L, &at, "decision maker '%s' has no preferences under "
                                   "conflict.preferences",
                           b->dm[i].id);
        }
    if ((n = ld_get(sec, "coalitions"))) {
        if (ld_expect_seq(L, n, "'coalitions'") != 0)
            return -1;
        b->coal = pl__calloc(n->n + 1, sizeof *b->coal);
        if (!b->coal)
            return ld_oom(L);
        uint32_t seen = 0;
        for (size_t k = 0; k < n->n; k++) {
            const ynode *g = n->kid[k];
            if (ld_expect_seq(L, g, "a coalition (a list of decision makers)") != 0)
                return -1;
            if (g->n == 0)
                return ld_fail(L, g, "an empty coalition");
            for (size_t t = 0; t < g->n; t++) {
                const char *id;
                if (ld_id(L, g->kid[t], "a decision maker id", &id) != 0)
                    return -1;
                long i = find_dm(b, id);
                if (i < 0)
                    return ld_fail(L, g->kid[t], "'%s' is not one of conflict.decision_makers",
                                   id);
                if ((seen >> i) & 1u)
                    return ld_fail(L, g->kid[t], "'%s' is in two coalitions", id);
                seen |= 1u << i;
                b->coal[k] |= 1u << i;
            }
        }
        if (seen != (1u << b->n_dm) - 1) {
            for (size_t i = 0; i < b->n_dm; i++)
                if (!((seen >> i) & 1u))
                    return ld_fail(L, n, "decision maker '%s' is in no coalition; the coalitions "
                                         "must split all decision makers",
                                   b->dm[i].id);
        }
        b->n_coal = n->n;
    }
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_conflict *c = NULL;
    pl_status st = gm_build(b, &c, &d);
    if (st == PL_E_NOMEM)
        return ld_oom(L);
    if (st != PL_OK) {
        ynode at = *sec;
        at.line = d.line ? d.line : sec->line;
        at.col = d.line ? d.col : sec->col;
        return ld_fail(L, &at, "%s", d.message);
    }
    p->sc->ext[PL_EXT_CONFLICT] = c;
    p->sc->ext_free[PL_EXT_CONFLICT] = free_conflict;
    return 0;
}

int gmcr_parse_section(ld *L, const ynode *section)
{
    gm_builder b;
    gb_init(&b);
    sp p = {L, ld_scenario(L), &b};
    int rc = parse(&p, section);
    gb_free(&b);
    return rc;
}

pl_status pl_scenario_conflict(const pl_scenario *sc, pl_conflict **out, pl_diag *diag)
{
    if (!sc || !out) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    *out = NULL;
    const pl_conflict *c = sc->ext[PL_EXT_CONFLICT];
    if (!c) {
        pl__diag_set(diag, PL_E_NOTFOUND, sc->file, 0, 0,
                     "the scenario has no 'conflict' section");
        return PL_E_NOTFOUND;
    }
    *out = gm_clone(c);
    if (!*out) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    return PL_OK;
}
