/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building a conflict from a gm_builder, and the accessors of pl_conflict. */
#include <stdlib.h>
#include <string.h>

#include "gmcr/gmcr.h"
#include "util/util.h"

/* ---- formulas ---------------------------------------------------------- */

int gx_push(gx_expr *e, uint8_t op, uint8_t var)
{
    /* Programs are short; growing one slot at a time keeps this simple. */
    gx_op *p = pl__realloc(e->code, (e->n + 1) * sizeof *p);
    if (!p)
        return -1;
    e->code = p;
    e->code[e->n].op = op;
    e->code[e->n].var = var;
    e->n++;
    return 0;
}

void gx_free(gx_expr *e)
{
    if (!e)
        return;
    pl__free(e->code);
    e->code = NULL;
    e->n = 0;
}

int gx_pattern(gx_expr *e, const char *pat, int n, int *bad)
{
    int terms = 0;
    *bad = -1;
    if ((int)strlen(pat) != n) {
        *bad = (int)strlen(pat) < n ? (int)strlen(pat) : n;
        return -1;
    }
    for (int k = 0; k < n; k++) {
        char ch = pat[k];
        if (ch == '-')
            continue;
        if (ch != 'Y' && ch != 'N' && ch != 'y' && ch != 'n') {
            *bad = k;
            return -1;
        }
        if (gx_push(e, GX_VAR, (uint8_t)k) != 0)
            return -1;
        if ((ch == 'N' || ch == 'n') && gx_push(e, GX_NOT, 0) != 0)
            return -1;
        if (terms++ && gx_push(e, GX_AND, 0) != 0)
            return -1;
    }
    if (!terms && gx_push(e, GX_TRUE, 0) != 0)
        return -1;
    return 0;
}

/* Bit k of word w of the cube is state 64w + k; option o's truth over that
 * word is a fixed stripe for o < 6 and all-or-nothing above. */
static uint64_t var_word(int o, size_t w)
{
    static const uint64_t stripe[6] = {0xAAAAAAAAAAAAAAAAull, 0xCCCCCCCCCCCCCCCCull,
                                       0xF0F0F0F0F0F0F0F0ull, 0xFF00FF00FF00FF00ull,
                                       0xFFFF0000FFFF0000ull, 0xFFFFFFFF00000000ull};
    if (o < 6)
        return stripe[o];
    return (((uint64_t)w << 6) >> o) & 1u ? ~0ull : 0;
}

uint64_t *gx_truth(const gx_expr *e, int n)
{
    size_t words = n >= 6 ? ((size_t)1 << n) >> 6 : 1;
    uint64_t *out = pl__calloc(words, sizeof *out);
    uint64_t *stack = pl__malloc((e->n + 1) * sizeof *stack);
    if (!out || !stack) {
        pl__free(out);
        pl__free(stack);
        return NULL;
    }
    uint64_t tail = n >= 6 ? ~0ull : (((uint64_t)1 << (1u << n)) - 1);
    for (size_t w = 0; w < words; w++) {
        size_t sp = 0;
        for (size_t i = 0; i < e->n; i++) {
            const gx_op *o = &e->code[i];
            switch (o->op) {
            case GX_VAR: stack[sp++] = var_word(o->var, w); break;
            case GX_TRUE: stack[sp++] = ~0ull; break;
            case GX_FALSE: stack[sp++] = 0; break;
            case GX_NOT: stack[sp - 1] = ~stack[sp - 1]; break;
            case GX_AND: sp--; stack[sp - 1] &= stack[sp]; break;
            case GX_OR: sp--; stack[sp - 1] |= stack[sp]; break;
            case GX_IMPLIES: sp--; stack[sp - 1] = ~stack[sp - 1] | stack[sp]; break;
            case GX_IFF: sp--; stack[sp - 1] = ~(stack[sp - 1] ^ stack[sp]); break;
            default: break;
            }
        }
        out[w] = (sp ? stack[0] : 0) & tail;
    }
    pl__free(stack);
    return out;
}

/* ---- builder ----------------------------------------------------------- */

void gb_init(gm_builder *b)
{
    memset(b, 0, sizeof *b);
    b->sq = -1;
}

static void free_dm(gb_dm *d)
{
    pl__free(d->id);
    pl__free(d->name);
    for (size_t k = 0; k < d->n_stmt; k++)
        gx_free(&d->stmt[k]);
    pl__free(d->stmt);
    for (size_t k = 0; k < d->n_rank; k++) {
        for (size_t a = 0; a < d->rank[k].n_alts; a++)
            gx_free(&d->rank[k].alts[a]);
        pl__free(d->rank[k].alts);
    }
    pl__free(d->rank);
    gx_free(&d->misp);
    for (size_t k = 0; k < d->n_evidence; k++)
        pl__free(d->evidence[k]);
    pl__free(d->evidence);
    for (size_t k = 0; k < d->n_text; k++)
        pl__free(d->text[k]);
    pl__free(d->text);
}

void gb_free(gm_builder *b)
{
    pl__free(b->name);
    pl__free(b->source);
    for (size_t k = 0; k < b->n_opt; k++) {
        pl__free(b->opt[k].id);
        pl__free(b->opt[k].name);
    }
    pl__free(b->opt);
    for (size_t k = 0; k < b->n_dm; k++)
        free_dm(&b->dm[k]);
    pl__free(b->dm);
    for (size_t k = 0; k < b->n_infeas; k++)
        gx_free(&b->infeas[k]);
    pl__free(b->infeas);
    pl__free(b->coal);
    for (size_t k = 0; k < b->n_itext; k++)
        pl__free(b->itext[k]);
    pl__free(b->itext);
    memset(b, 0, sizeof *b);
}

gb_option *gb_add_option(gm_builder *b)
{
    if (pl__grow((void **)&b->opt, &b->cap_opt, b->n_opt + 1, sizeof *b->opt) != 0)
        return NULL;
    gb_option *o = &b->opt[b->n_opt++];
    memset(o, 0, sizeof *o);
    o->dm = -1;
    return o;
}

gb_dm *gb_add_dm(gm_builder *b)
{
    if (pl__grow((void **)&b->dm, &b->cap_dm, b->n_dm + 1, sizeof *b->dm) != 0)
        return NULL;
    gb_dm *d = &b->dm[b->n_dm++];
    memset(d, 0, sizeof *d);
    d->prioritization = 1;
    return d;
}

gx_expr *gb_add_infeasible(gm_builder *b)
{
    if (pl__grow((void **)&b->infeas, &b->cap_infeas, b->n_infeas + 1, sizeof *b->infeas) != 0)
        return NULL;
    gx_expr *e = &b->infeas[b->n_infeas++];
    memset(e, 0, sizeof *e);
    return e;
}

int gb_dm_add_stmt(gb_dm *d, gx_expr **out)
{
    gx_expr *p = pl__realloc(d->stmt, (d->n_stmt + 1) * sizeof *p);
    if (!p)
        return -1;
    d->stmt = p;
    memset(&p[d->n_stmt], 0, sizeof *p);
    *out = &p[d->n_stmt++];
    return 0;
}

int gb_dm_add_rank(gb_dm *d, gb_rank_item **out)
{
    gb_rank_item *p = pl__realloc(d->rank, (d->n_rank + 1) * sizeof *p);
    if (!p)
        return -1;
    d->rank = p;
    memset(&p[d->n_rank], 0, sizeof *p);
    *out = &p[d->n_rank++];
    return 0;
}

int gb_rank_add_alt(gb_rank_item *r, gx_expr **out)
{
    gx_expr *p = pl__realloc(r->alts, (r->n_alts + 1) * sizeof *p);
    if (!p)
        return -1;
    r->alts = p;
    memset(&p[r->n_alts], 0, sizeof *p);
    *out = &p[r->n_alts++];
    return 0;
}

int gb_strv_add(char ***v, size_t *n, const char *s)
{
    char **p = pl__realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *v = p;
    if (!(p[*n] = pl__strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

int gb_dm_add_evidence(gb_dm *d, const char *id)
{
    char **p = pl__realloc(d->evidence, (d->n_evidence + 1) * sizeof *p);
    if (!p)
        return -1;
    d->evidence = p;
    if (!(p[d->n_evidence] = pl__strdup(id)))
        return -1;
    d->n_evidence++;
    return 0;
}

/* ---- build ------------------------------------------------------------- */

void gm_state_string(const pl_conflict *c, uint32_t x, char *buf)
{
    for (int k = 0; k < c->n; k++)
        buf[k] = (x >> k) & 1u ? 'Y' : 'N';
    buf[c->n] = '\0';
}

long gm_parse_state(const pl_conflict *c, const char *s)
{
    if ((int)strlen(s) != c->n)
        return -1;
    long x = 0;
    for (int k = 0; k < c->n; k++) {
        if (s[k] == 'Y' || s[k] == 'y')
            x |= 1L << k;
        else if (s[k] != 'N' && s[k] != 'n')
            return -1;
    }
    return x;
}

static void conflict_free_parts(pl_conflict *c)
{
    pl__free(c->name);
    pl__free(c->source);
    for (int k = 0; k < c->n; k++) {
        pl__free(c->opt[k].id);
        pl__free(c->opt[k].name);
    }
    pl__free(c->opt);
    for (int i = 0; i < c->n_dm; i++) {
        gm_dm *d = &c->dm[i];
        pl__free(d->id);
        pl__free(d->name);
        pl__free(d->pay);
        pl__free(d->misp);
        for (size_t k = 0; k < d->n_evidence; k++)
            pl__free(d->evidence[k]);
        pl__free(d->evidence);
        for (size_t k = 0; k < d->n_pref_text; k++)
            pl__free(d->pref_text[k]);
        pl__free(d->pref_text);
    }
    pl__free(c->dm);
    pl__free(c->feas);
    pl__free(c->states);
    pl__free(c->ord);
    pl__free(c->coal);
    for (size_t k = 0; k < c->n_infeas_text; k++)
        pl__free(c->infeas_text[k]);
    pl__free(c->infeas_text);
}

void pl_conflict_free(pl_conflict *c)
{
    if (!c)
        return;
    conflict_free_parts(c);
    pl__free(c);
}

static pl_status fail(pl_diag *d, const gm_builder *b, int line, int col, const char *msg, ...)
    __attribute__((format(printf, 5, 6)));
static pl_status fail(pl_diag *d, const gm_builder *b, int line, int col, const char *msg, ...)
{
    va_list ap;
    va_start(ap, msg);
    pl__diag_vset(d, PL_E_INPUT, b->file, line, col, msg, ap);
    va_end(ap);
    return PL_E_INPUT;
}

static pl_status nomem(pl_diag *d)
{
    pl__diag_set(d, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return PL_E_NOMEM;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Dense ranks (1 = least preferred) of 64-bit scores over the feasible
 * states, so that every DM's preference is a small integer and equal scores
 * stay equal. */
static int rank_scores(pl_conflict *c, const uint64_t *score, uint32_t *pay)
{
    uint64_t *u = pl__malloc((size_t)c->n_states * sizeof *u);
    if (!u)
        return -1;
    for (uint32_t k = 0; k < c->n_states; k++)
        u[k] = score[c->states[k]];
    qsort(u, c->n_states, sizeof *u, cmp_u64);
    size_t m = 0;
    for (uint32_t k = 0; k < c->n_states; k++)
        if (m == 0 || u[m - 1] != u[k])
            u[m++] = u[k];
    for (uint32_t k = 0; k < c->n_states; k++) {
        uint32_t x = c->states[k];
        size_t lo = 0, hi = m;
        while (lo + 1 < hi) {
            size_t mid = (lo + hi) / 2;
            if (u[mid] <= score[x])
                lo = mid;
            else
                hi = mid;
        }
        pay[x] = (uint32_t)lo + 1;
    }
    pl__free(u);
    return 0;
}

static pl_status build_prioritization(pl_conflict *c, gm_builder *b, const gb_dm *d, uint32_t *pay,
                                      pl_diag *diag)
{
    if (d->n_stmt > 63)
        return fail(diag, b, d->line, d->col,
                    "decision maker '%s' has %zu preference statements; at most 63 are supported",
                    d->id, d->n_stmt);
    uint64_t *score = pl__calloc(c->cube, sizeof *score);
    if (!score)
        return nomem(diag);
    for (size_t k = 0; k < d->n_stmt; k++) {
        uint64_t *t = gx_truth(&d->stmt[k], c->n);
        if (!t) {
            pl__free(score);
            return nomem(diag);
        }
        uint64_t wgt = (uint64_t)1 << (d->n_stmt - 1 - k);
        size_t words = c->cube >= 64 ? c->cube / 64 : 1;
        for (size_t w = 0; w < words; w++)
            for (uint64_t bits = t[w]; bits; bits &= bits - 1)
                score[w * 64 + (size_t)__builtin_ctzll(bits)] += wgt;
        pl__free(t);
    }
    int rc;
    if (d->n_stmt <= 20) {
        /* Scores are below 2^20: rank them with a table instead of a sort. */
        size_t span = (size_t)1 << d->n_stmt;
        uint32_t *rank = pl__calloc(span, sizeof *rank);
        rc = rank ? 0 : -1;
        if (rank) {
            for (uint32_t k = 0; k < c->n_states; k++)
                rank[score[c->states[k]]] = 1;
            uint32_t r = 0;
            for (size_t v = 0; v < span; v++)
                if (rank[v])
                    rank[v] = ++r;
            for (uint32_t k = 0; k < c->n_states; k++)
                pay[c->states[k]] = rank[score[c->states[k]]];
            pl__free(rank);
        }
    } else {
        rc = rank_scores(c, score, pay);
    }
    pl__free(score);
    return rc ? nomem(diag) : PL_OK;
}

static pl_status build_ranking(pl_conflict *c, gm_builder *b, const gb_dm *d, uint32_t *pay,
                               pl_diag *diag)
{
    uint32_t levels = (uint32_t)d->n_rank;
    for (size_t g = 0; g < d->n_rank; g++) {
        const gb_rank_item *it = &d->rank[g];
        for (size_t a = 0; a < it->n_alts; a++) {
            uint64_t *t = gx_truth(&it->alts[a], c->n);
            if (!t)
                return nomem(diag);
            size_t hits = 0;
            for (uint32_t x = 0; x < c->cube; x++) {
                if (!((t[x >> 6] >> (x & 63)) & 1u))
                    continue;
                char sbuf[PL_GMCR_MAX_OPTIONS + 1];
                gm_state_string(c, x, sbuf);
                if (!gm_feasible(c, x)) {
                    if (d->rank_exact) {
                        pl__free(t);
                        return fail(diag, b, it->line, it->col,
                                    "the ranking of '%s' lists state %s, which is infeasible",
                                    d->id, sbuf);
                    }
                    continue;
                }
                hits++;
                if (pay[x]) {
                    if (d->rank_exact) {
                        pl__free(t);
                        return fail(diag, b, it->line, it->col,
                                    "the ranking of '%s' lists state %s twice", d->id, sbuf);
                    }
                    continue; /* patterns: the first (more preferred) match wins */
                }
                pay[x] = levels - (uint32_t)g;
            }
            pl__free(t);
            if (!hits)
                return fail(diag, b, it->line, it->col,
                            "entry %zu of the ranking of '%s' matches no feasible state", g + 1,
                            d->id);
        }
    }
    for (uint32_t k = 0; k < c->n_states; k++) {
        uint32_t x = c->states[k];
        if (!pay[x]) {
            char sbuf[PL_GMCR_MAX_OPTIONS + 1];
            gm_state_string(c, x, sbuf);
            return fail(diag, b, d->line, d->col,
                        "the ranking of '%s' does not rank feasible state %s (ordinal %u); "
                        "every feasible state must be ranked",
                        d->id, sbuf, k + 1);
        }
    }
    return PL_OK;
}

static char *dup_or_empty(const char *s)
{
    return pl__strdup(s ? s : "");
}

pl_status gm_build(gm_builder *b, pl_conflict **out, pl_diag *diag)
{
    *out = NULL;
    if (b->n_dm == 0)
        return fail(diag, b, b->line, b->col, "the conflict has no decision makers");
    if (b->n_dm > PL_GMCR_MAX_DMS)
        return fail(diag, b, b->line, b->col,
                    "the conflict has %zu decision makers; at most %d are supported", b->n_dm,
                    PL_GMCR_MAX_DMS);
    if (b->n_opt == 0)
        return fail(diag, b, b->line, b->col, "the conflict has no options");
    if (b->n_opt > PL_GMCR_MAX_OPTIONS)
        return fail(diag, b, b->opt[PL_GMCR_MAX_OPTIONS].line, b->opt[PL_GMCR_MAX_OPTIONS].col,
                    "the conflict has %zu options; at most %d are supported (the analysis "
                    "visits all 2^n combinations)",
                    b->n_opt, PL_GMCR_MAX_OPTIONS);
    for (size_t k = 0; k < b->n_opt; k++)
        if (b->opt[k].dm < 0 || (size_t)b->opt[k].dm >= b->n_dm)
            return fail(diag, b, b->opt[k].line, b->opt[k].col,
                        "option '%s' is controlled by no decision maker", b->opt[k].id);
    for (size_t i = 0; i < b->n_dm; i++) {
        int any = 0;
        for (size_t k = 0; k < b->n_opt; k++)
            any |= b->opt[k].dm == (int)i;
        if (!any)
            return fail(diag, b, b->dm[i].dline, b->dm[i].dcol,
                        "decision maker '%s' controls no option", b->dm[i].id);
        if (b->dm[i].prioritization ? b->dm[i].n_stmt == 0 : b->dm[i].n_rank == 0)
            return fail(diag, b, b->dm[i].line, b->dm[i].col,
                        "decision maker '%s' has no preferences (give statements or a ranking)",
                        b->dm[i].id);
    }

    pl_conflict *c = pl__calloc(1, sizeof *c);
    if (!c)
        return nomem(diag);
    pl_status st = PL_OK;
    c->n = (int)b->n_opt;
    c->cube = (uint32_t)1 << c->n;
    c->n_dm = (int)b->n_dm;
    c->sq = b->sq;
    size_t words = c->cube >= 64 ? c->cube / 64 : 1;
    c->name = dup_or_empty(b->name);
    c->source = dup_or_empty(b->source);
    c->opt = pl__calloc(b->n_opt, sizeof *c->opt);
    c->dm = pl__calloc(b->n_dm, sizeof *c->dm);
    c->feas = pl__calloc(words, sizeof *c->feas);
    c->ord = pl__malloc((size_t)c->cube * sizeof *c->ord);
    if (!c->name || !c->source || !c->opt || !c->dm || !c->feas || !c->ord)
        goto oom;
    for (int k = 0; k < c->n; k++) {
        c->opt[k].id = dup_or_empty(b->opt[k].id);
        c->opt[k].name = dup_or_empty(b->opt[k].name ? b->opt[k].name : b->opt[k].id);
        if (!c->opt[k].id || !c->opt[k].name)
            goto oom;
        c->opt[k].dm = b->opt[k].dm;
        c->opt[k].dir = (pl_gmcr_direction)b->opt[k].dir;
        if (b->opt[k].dir == PL_GMCR_N_TO_Y)
            c->fwd |= 1u << k;
        else if (b->opt[k].dir == PL_GMCR_Y_TO_N)
            c->back |= 1u << k;
        c->dm[b->opt[k].dm].mask |= 1u << k;
    }

    /* Feasibility. */
    for (size_t w = 0; w < words; w++)
        c->feas[w] = c->cube >= 64 ? ~0ull : (((uint64_t)1 << c->cube) - 1);
    for (size_t k = 0; k < b->n_infeas; k++) {
        uint64_t *t = gx_truth(&b->infeas[k], c->n);
        if (!t)
            goto oom;
        for (size_t w = 0; w < words; w++)
            c->feas[w] &= ~t[w];
        pl__free(t);
    }
    c->n_states = 0;
    for (uint32_t x = 0; x < c->cube; x++)
        c->n_states += (uint32_t)gm_feasible(c, x);
    if (c->n_states == 0) {
        st = fail(diag, b, b->line, b->col,
                  "every state of the conflict is infeasible: the infeasibility conditions "
                  "rule out all %u option combinations",
                  c->cube);
        goto done;
    }
    c->states = pl__malloc((size_t)c->n_states * sizeof *c->states);
    if (!c->states)
        goto oom;
    {
        uint32_t k = 0;
        for (uint32_t x = 0; x < c->cube; x++) {
            if (gm_feasible(c, x)) {
                c->ord[x] = (int32_t)k;
                c->states[k++] = x;
            } else {
                c->ord[x] = -1;
            }
        }
    }
    if (c->sq >= 0 && (c->sq >= (long)c->cube || !gm_feasible(c, (uint32_t)c->sq))) {
        char sbuf[PL_GMCR_MAX_OPTIONS + 1];
        gm_state_string(c, (uint32_t)c->sq, sbuf);
        st = fail(diag, b, b->sq_line, b->sq_col,
                  "the status quo %s is infeasible: it matches an infeasibility condition", sbuf);
        goto done;
    }

    /* Preferences. */
    for (int i = 0; i < c->n_dm; i++) {
        gb_dm *bd = &b->dm[i];
        gm_dm *d = &c->dm[i];
        d->id = dup_or_empty(bd->id);
        d->name = dup_or_empty(bd->name ? bd->name : bd->id);
        d->pay = pl__calloc(c->cube, sizeof *d->pay);
        if (!d->id || !d->name || !d->pay)
            goto oom;
        d->prioritization = bd->prioritization;
        st = bd->prioritization ? build_prioritization(c, b, bd, d->pay, diag)
                                : build_ranking(c, b, bd, d->pay, diag);
        if (st != PL_OK)
            goto done;
        for (uint32_t x = 0; x < c->cube; x++)
            if (!gm_feasible(c, x))
                d->pay[x] = 0;
        if (bd->has_misp) {
            d->misp = gx_truth(&bd->misp, c->n);
            if (!d->misp)
                goto oom;
        }
        if (bd->n_text) {
            d->pref_text = pl__calloc(bd->n_text, sizeof *d->pref_text);
            if (!d->pref_text)
                goto oom;
            for (size_t e = 0; e < bd->n_text; e++)
                if (!(d->pref_text[d->n_pref_text++] = pl__strdup(bd->text[e])))
                    goto oom;
        }
        if (bd->n_evidence) {
            d->evidence = pl__calloc(bd->n_evidence, sizeof *d->evidence);
            if (!d->evidence)
                goto oom;
            for (size_t e = 0; e < bd->n_evidence; e++)
                if (!(d->evidence[d->n_evidence++] = pl__strdup(bd->evidence[e])))
                    goto oom;
        }
    }

    /* Coalitions: a partition of the DMs. */
    if (b->n_coal) {
        uint32_t seen = 0;
        for (size_t k = 0; k < b->n_coal; k++) {
            if (!b->coal[k] || (b->coal[k] & seen) ||
                (b->coal[k] >> c->n_dm) != 0) {
                st = fail(diag, b, b->line, b->col,
                          "the coalitions must split the decision makers into non-empty groups, "
                          "each decision maker in exactly one");
                goto done;
            }
            seen |= b->coal[k];
        }
        if (seen != ((1u << c->n_dm) - 1)) {
            st = fail(diag, b, b->line, b->col,
                      "the coalitions must cover every decision maker");
            goto done;
        }
        c->coal = pl__malloc(b->n_coal * sizeof *c->coal);
        if (!c->coal)
            goto oom;
        memcpy(c->coal, b->coal, b->n_coal * sizeof *c->coal);
        c->n_coal = b->n_coal;
    }
    if (b->n_itext) {
        c->infeas_text = pl__calloc(b->n_itext, sizeof *c->infeas_text);
        if (!c->infeas_text)
            goto oom;
        for (size_t k = 0; k < b->n_itext; k++)
            if (!(c->infeas_text[c->n_infeas_text++] = pl__strdup(b->itext[k])))
                goto oom;
    }
    *out = c;
    return PL_OK;
oom:
    st = nomem(diag);
done:
    pl_conflict_free(c);
    return st;
}

/* ---- accessors --------------------------------------------------------- */

void pl_conflict_get_info(const pl_conflict *c, pl_conflict_info *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->name = c->name;
    out->source = c->source;
    out->n_options = (size_t)c->n;
    out->n_dms = (size_t)c->n_dm;
    out->n_states = c->n_states;
    out->status_quo = c->sq >= 0 ? (long)c->ord[c->sq] + 1 : -1;
    out->n_coalitions = c->n_coal;
}

pl_status pl_conflict_option(const pl_conflict *c, size_t k, pl_gmcr_option_info *out)
{
    if (!c || !out || k >= (size_t)c->n)
        return PL_E_ARG;
    out->id = c->opt[k].id;
    out->name = c->opt[k].name;
    out->dm = (size_t)c->opt[k].dm;
    out->direction = c->opt[k].dir;
    return PL_OK;
}

pl_status pl_conflict_dm(const pl_conflict *c, size_t i, pl_gmcr_dm_info *out)
{
    if (!c || !out || i >= (size_t)c->n_dm)
        return PL_E_ARG;
    out->id = c->dm[i].id;
    out->name = c->dm[i].name;
    out->n_options = (size_t)__builtin_popcount(c->dm[i].mask);
    out->n_evidence = c->dm[i].n_evidence;
    out->evidence = (const char *const *)c->dm[i].evidence;
    return PL_OK;
}

pl_status pl_conflict_state(const pl_conflict *c, size_t ordinal, uint32_t *decimal, char *buf,
                            size_t bufsize)
{
    if (!c || ordinal < 1 || ordinal > c->n_states)
        return PL_E_ARG;
    uint32_t x = c->states[ordinal - 1];
    if (decimal)
        *decimal = x;
    if (buf) {
        if (bufsize < (size_t)c->n + 1)
            return PL_E_ARG;
        gm_state_string(c, x, buf);
    }
    return PL_OK;
}

long pl_conflict_find_state(const pl_conflict *c, uint32_t decimal)
{
    if (!c || decimal >= c->cube || c->ord[decimal] < 0)
        return -1;
    return (long)c->ord[decimal] + 1;
}

uint32_t pl_conflict_payoff(const pl_conflict *c, size_t dm, size_t ordinal)
{
    if (!c || dm >= (size_t)c->n_dm || ordinal < 1 || ordinal > c->n_states)
        return 0;
    return c->dm[dm].pay[c->states[ordinal - 1]];
}

uint32_t pl_conflict_coalition(const pl_conflict *c, size_t k)
{
    return c && k < c->n_coal ? c->coal[k] : 0;
}

pl_status pl_conflict_set_coalitions(pl_conflict *c, const uint32_t *groups, size_t n,
                                     pl_diag *diag)
{
    if (!c || (n && !groups)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "invalid argument");
        return PL_E_ARG;
    }
    uint32_t seen = 0;
    for (size_t k = 0; k < n; k++) {
        if (!groups[k] || (groups[k] & seen) || (groups[k] >> c->n_dm) != 0) {
            pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                         "coalition %zu is empty, overlaps another or names an unknown "
                         "decision maker",
                         k + 1);
            return PL_E_INPUT;
        }
        seen |= groups[k];
    }
    if (n && seen != ((1u << c->n_dm) - 1)) {
        pl__diag_set(diag, PL_E_INPUT, NULL, 0, 0,
                     "the coalitions must cover every decision maker");
        return PL_E_INPUT;
    }
    uint32_t *p = NULL;
    if (n) {
        p = pl__malloc(n * sizeof *p);
        if (!p)
            return nomem(diag);
        memcpy(p, groups, n * sizeof *p);
    }
    pl__free(c->coal);
    c->coal = p;
    c->n_coal = n;
    return PL_OK;
}

static char **dup_strv(char *const *v, size_t n, int *bad)
{
    if (!n)
        return NULL;
    char **d = pl__calloc(n, sizeof *d);
    if (!d) {
        *bad = 1;
        return NULL;
    }
    for (size_t k = 0; k < n; k++)
        if (!(d[k] = pl__strdup(v[k])))
            *bad = 1;
    return d;
}

pl_conflict *gm_clone(const pl_conflict *c)
{
    pl_conflict *d = pl__calloc(1, sizeof *d);
    if (!d)
        return NULL;
    int bad = 0;
    *d = *c;
    size_t words = c->cube >= 64 ? c->cube / 64 : 1;
    d->name = pl__strdup(c->name);
    d->source = pl__strdup(c->source);
    d->opt = pl__calloc((size_t)c->n, sizeof *d->opt);
    d->dm = pl__calloc((size_t)c->n_dm, sizeof *d->dm);
    d->feas = pl__malloc(words * sizeof *d->feas);
    d->states = pl__malloc((size_t)c->n_states * sizeof *d->states);
    d->ord = pl__malloc((size_t)c->cube * sizeof *d->ord);
    d->coal = c->n_coal ? pl__malloc(c->n_coal * sizeof *d->coal) : NULL;
    d->infeas_text = dup_strv(c->infeas_text, c->n_infeas_text, &bad);
    if (!d->name || !d->source || !d->opt || !d->dm || !d->feas || !d->states || !d->ord ||
        (c->n_coal && !d->coal) || bad) {
        d->n = 0;
        d->n_dm = 0;
        pl_conflict_free(d);
        return NULL;
    }
    memcpy(d->feas, c->feas, words * sizeof *d->feas);
    memcpy(d->states, c->states, (size_t)c->n_states * sizeof *d->states);
    memcpy(d->ord, c->ord, (size_t)c->cube * sizeof *d->ord);
    if (c->n_coal)
        memcpy(d->coal, c->coal, c->n_coal * sizeof *d->coal);
    for (int k = 0; k < c->n; k++) {
        d->opt[k] = c->opt[k];
        d->opt[k].id = pl__strdup(c->opt[k].id);
        d->opt[k].name = pl__strdup(c->opt[k].name);
        bad |= !d->opt[k].id || !d->opt[k].name;
    }
    for (int i = 0; i < c->n_dm; i++) {
        const gm_dm *s = &c->dm[i];
        gm_dm *t = &d->dm[i];
        *t = *s;
        t->id = pl__strdup(s->id);
        t->name = pl__strdup(s->name);
        t->pay = pl__malloc((size_t)c->cube * sizeof *t->pay);
        t->misp = s->misp ? pl__malloc(words * sizeof *t->misp) : NULL;
        t->evidence = dup_strv(s->evidence, s->n_evidence, &bad);
        t->pref_text = dup_strv(s->pref_text, s->n_pref_text, &bad);
        if (!t->id || !t->name || !t->pay || (s->misp && !t->misp)) {
            bad = 1;
            continue;
        }
        memcpy(t->pay, s->pay, (size_t)c->cube * sizeof *t->pay);
        if (s->misp)
            memcpy(t->misp, s->misp, words * sizeof *t->misp);
    }
    if (bad) {
        pl_conflict_free(d);
        return NULL;
    }
    return d;
}
