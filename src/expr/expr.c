/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The expression compiler and its two evaluators (grammar: docs/format.md,
 * "Expressions").
 *
 * Design notes:
 *  - The parser is recursive descent, but only parentheses recurse, and they
 *    are capped at PX_MAX_NEST levels; `not` prefixes and `implies` chains are
 *    handled with loops. So no input can exhaust the C stack.
 *  - Code is emitted in postfix order while parsing, and folded on the fly:
 *    every fold below is exact under both two-valued and strong Kleene logic,
 *    so px_eval3 on the folded program gives exactly what it would give on
 *    the unfolded one.
 *  - Evaluation keeps the value stack in the bits of one or two uint64
 *    registers when max_depth <= 64 (the usual case), else in a fixed array of
 *    PX_STACK_MAX bytes. The 4096-byte source limit bounds every compiled
 *    program far below PX_STACK_MAX (each operand costs at least 3 source
 *    bytes plus a 2-byte connective), and px_compile refuses anything deeper
 *    with "expression too complex", so evaluation never allocates.
 */
#include "expr/expr.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define PX_MAX_LEN 4096
#define PX_MAX_NEST 256
#define PX_STACK_MAX 1024
#define PX_MAX_OPTIONS 64
/* Names longer than this are shortened (with "...") in messages, so three of
 * them always fit in px_error.msg. */
#define PX_SHOW 48

#if defined(__GNUC__) || defined(__clang__)
/* Keeps big locals of leaf helpers out of the frames that recurse. */
#define PX_NOINLINE __attribute__((noinline))
#define PX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PX_NOINLINE
#define PX_PRINTF(a, b)
#endif

enum tk {
    TK_EOF,
    TK_IDENT,
    TK_NUMBER,
    TK_LPAREN,
    TK_RPAREN,
    TK_LBRACK,
    TK_RBRACK,
    TK_COMMA,
    TK_DOT,
    TK_EQ,
    TK_NE,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_IMPLIES,
    TK_IN,
    TK_TRUE,
    TK_FALSE
};

typedef struct tok {
    int kind;
    int word; /* identifier-shaped (an identifier or a keyword) */
    size_t off, len;
} tok;

typedef struct parser {
    const char *src;
    size_t len, pos;
    const px_symbols *sym;
    px_error *err;
    tok cur, prev;
    int has_prev;
    size_t last_end; /* end of the last token lexed, where EOF is reported */
    unsigned nest;
    px_instr *code;
    size_t n, cap;
    size_t *starts; /* operand starts of pending `implies` chains */
    size_t nstarts, capstarts;
} parser;

static const struct {
    const char *text;
    int kind;
} keywords[] = {
    {"and", TK_AND},   {"or", TK_OR},   {"not", TK_NOT},     {"implies", TK_IMPLIES},
    {"in", TK_IN},     {"true", TK_TRUE}, {"false", TK_FALSE},
};

static uint64_t mask_below(size_t k)
{
    return k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1;
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}

static int is_cmp(int kind)
{
    return kind >= TK_EQ && kind <= TK_GE;
}

static PX_PRINTF(3, 4) int fail(parser *p, size_t off, const char *fmt, ...)
{
    va_list ap;
    p->err->offset = off;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(parser *p)
{
    p->err->offset = 0;
    snprintf(p->err->msg, sizeof p->err->msg, "out of memory");
    return -2;
}

/* Arguments for "%.*s%s": a token's text, shortened for messages. */
#define SHOW(p, t)                                                               \
    (int)((t).len > PX_SHOW ? PX_SHOW : (t).len), (p)->src + (t).off,            \
        ((t).len > PX_SHOW ? "..." : "")

/* ------------------------------------------------------------------------ */
/* Lexer                                                                     */

static int lex_number(parser *p, size_t i)
{
    const unsigned char *s = (const unsigned char *)p->src;
    size_t n = p->len, j = i;
    if (s[j] == '+' || s[j] == '-')
        j++;
    while (j < n && is_digit(s[j]))
        j++;
    if (j < n && s[j] == '.') {
        j++;
        while (j < n && is_digit(s[j]))
            j++;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < n && is_digit(s[k])) {
            while (k < n && is_digit(s[k]))
                k++;
            j = k;
        }
    }
    /* "12abc", "1e", "1.2.3" are one malformed number, not a number followed
     * by something else: report the whole run. */
    if (j < n && (is_alnum(s[j]) || s[j] == '.')) {
        while (j < n && (is_alnum(s[j]) || s[j] == '.' || s[j] == '+' || s[j] == '-'))
            j++;
        tok t = {TK_NUMBER, 0, i, j - i};
        return fail(p, i, "malformed number '%.*s%s'", SHOW(p, t));
    }
    p->cur.kind = TK_NUMBER;
    p->cur.word = 0;
    p->cur.off = i;
    p->cur.len = j - i;
    return 0;
}

static int lex(parser *p)
{
    const unsigned char *s = (const unsigned char *)p->src;
    size_t n = p->len, i = p->pos;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i == n) {
        p->cur.kind = TK_EOF;
        p->cur.word = 0;
        p->cur.off = p->last_end;
        p->cur.len = 0;
        p->pos = n;
        return 0;
    }
    unsigned char c = s[i];
    int kind;
    size_t len = 1;
    if (is_alpha(c)) {
        size_t j = i + 1;
        while (j < n && is_alnum(s[j]))
            j++;
        len = j - i;
        kind = TK_IDENT;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
            if (strlen(keywords[k].text) == len && memcmp(keywords[k].text, s + i, len) == 0) {
                kind = keywords[k].kind;
                break;
            }
        }
        p->cur.kind = kind;
        p->cur.word = 1;
        p->cur.off = i;
        p->cur.len = len;
        p->pos = p->last_end = i + len;
        return 0;
    }
    if (is_digit(c) || ((c == '+' || c == '-') && i + 1 < n && is_digit(s[i + 1]))) {
        int rc = lex_number(p, i);
        if (rc == 0)
            p->pos = p->last_end = i + p->cur.len;
        return rc;
    }
    int next_eq = i + 1 < n && s[i + 1] == '=';
    switch (c) {
    case '(': kind = TK_LPAREN; break;
    case ')': kind = TK_RPAREN; break;
    case '[': kind = TK_LBRACK; break;
    case ']': kind = TK_RBRACK; break;
    case ',': kind = TK_COMMA; break;
    case '.': kind = TK_DOT; break;
    case '=':
        if (!next_eq)
            return fail(p, i, "unexpected '=' (did you mean '=='?)");
        kind = TK_EQ;
        len = 2;
        break;
    case '!':
        kind = next_eq ? TK_NE : TK_NOT;
        len = next_eq ? 2 : 1;
        break;
    case '<':
        kind = next_eq ? TK_LE : TK_LT;
        len = next_eq ? 2 : 1;
        break;
    case '>':
        kind = next_eq ? TK_GE : TK_GT;
        len = next_eq ? 2 : 1;
        break;
    case '&':
        if (!(i + 1 < n && s[i + 1] == '&'))
            return fail(p, i, "unexpected '&' (did you mean '&&'?)");
        kind = TK_AND;
        len = 2;
        break;
    case '|':
        if (!(i + 1 < n && s[i + 1] == '|'))
            return fail(p, i, "unexpected '|' (did you mean '||'?)");
        kind = TK_OR;
        len = 2;
        break;
    default:
        return fail(p, i, "unexpected character '%c'", c);
    }
    p->cur.kind = kind;
    p->cur.word = 0;
    p->cur.off = i;
    p->cur.len = len;
    p->pos = p->last_end = i + len;
    return 0;
}

static int advance(parser *p)
{
    p->prev = p->cur;
    p->has_prev = 1;
    return lex(p);
}

/* "expected WHAT after 'PREV'", or the end-of-input variant. */
static int expected(parser *p, const char *what)
{
    if (p->cur.kind == TK_EOF) {
        if (!p->has_prev)
            return fail(p, p->cur.off, "empty expression");
        return fail(p, p->cur.off, "unexpected end of expression (expected %s after '%.*s%s')",
                    what, SHOW(p, p->prev));
    }
    if (p->has_prev)
        return fail(p, p->cur.off, "expected %s after '%.*s%s'", what, SHOW(p, p->prev));
    return fail(p, p->cur.off, "expected %s, found '%.*s%s'", what, SHOW(p, p->cur));
}

/* A word that is a keyword in the wrong case ("AND") is a likely slip. */
static const char *keyword_like(const parser *p, const tok *t)
{
    if (t->kind != TK_IDENT)
        return NULL;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
        const char *kw = keywords[k].text;
        if (strlen(kw) != t->len)
            continue;
        size_t i = 0;
        for (; i < t->len; i++) {
            unsigned char c = (unsigned char)p->src[t->off + i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            if (c != (unsigned char)kw[i])
                break;
        }
        if (i == t->len)
            return kw;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Code emission and folding                                                 */

static int emit(parser *p, uint32_t op, uint32_t issue, uint64_t set)
{
    if (p->n == p->cap) {
        void *a = p->code;
        if (pl__grow(&a, &p->cap, p->n + 1, sizeof *p->code) != 0)
            return oom(p);
        p->code = a;
    }
    p->code[p->n].op = op;
    p->code[p->n].issue = issue;
    p->code[p->n].set = set;
    p->n++;
    return 0;
}

/* The constant value of the subprogram code[s..e), or -1 if it is not one. */
static int const_of(const parser *p, size_t s, size_t e)
{
    if (e - s != 1)
        return -1;
    if (p->code[s].op == PX_TRUE)
        return 1;
    if (p->code[s].op == PX_FALSE)
        return 0;
    return -1;
}

static void set_const(parser *p, size_t s, int v)
{
    p->code[s].op = v ? PX_TRUE : PX_FALSE;
    p->code[s].issue = 0;
    p->code[s].set = 0;
    p->n = s + 1;
}

static uint64_t full_set(const parser *p, uint32_t issue)
{
    return mask_below(p->sym->n_options(p->sym->ud, issue));
}

/* Negate the subprogram code[s..n). */
static int fold_not(parser *p, size_t s)
{
    if (p->n - s == 1) {
        px_instr *c = &p->code[s];
        if (c->op == PX_TRUE || c->op == PX_FALSE) {
            set_const(p, s, c->op == PX_FALSE);
            return 0;
        }
        if (c->op == PX_TEST) {
            /* Tests are never empty or full here (emit_test folds those), so
             * neither is the complement. */
            c->set = full_set(p, c->issue) & ~c->set;
            return 0;
        }
    }
    if (p->code[p->n - 1].op == PX_NOT) {
        p->n--;
        return 0;
    }
    return emit(p, PX_NOT, 0, 0);
}

/* Drop code[s1..s2), keeping code[s2..n) in its place. */
static void keep_right(parser *p, size_t s1, size_t s2)
{
    memmove(p->code + s1, p->code + s2, (p->n - s2) * sizeof *p->code);
    p->n -= s2 - s1;
}

/* Combine A = code[s1..s2) and B = code[s2..n) with a binary connective. */
static int fold_bin(parser *p, uint32_t op, size_t s1, size_t s2)
{
    int a = const_of(p, s1, s2), b = const_of(p, s2, p->n);
    switch (op) {
    case PX_AND:
        if (a == 0 || b == 0)
            set_const(p, s1, 0);
        else if (a == 1)
            keep_right(p, s1, s2);
        else if (b == 1)
            p->n = s2;
        else
            return emit(p, op, 0, 0);
        return 0;
    case PX_OR:
        if (a == 1 || b == 1)
            set_const(p, s1, 1);
        else if (a == 0)
            keep_right(p, s1, s2);
        else if (b == 0)
            p->n = s2;
        else
            return emit(p, op, 0, 0);
        return 0;
    default: /* PX_IMPLIES */
        if (a == 0 || b == 1)
            set_const(p, s1, 1);
        else if (a == 1)
            keep_right(p, s1, s2);
        else if (b == 0) {
            p->n = s2;
            return fold_not(p, s1);
        } else
            return emit(p, op, 0, 0);
        return 0;
    }
}

static int emit_test(parser *p, uint32_t issue, uint64_t set, uint64_t full)
{
    set &= full;
    if (set == 0)
        return emit(p, PX_FALSE, 0, 0);
    if (set == full)
        return emit(p, PX_TRUE, 0, 0);
    return emit(p, PX_TEST, issue, set);
}

/* ------------------------------------------------------------------------ */
/* Name lookup                                                               */

/* Copy a token into a NUL-terminated buffer for pl__suggest; 0 if too long. */
static int word_copy(const parser *p, const tok *t, char *buf, size_t size)
{
    if (t->len >= size)
        return 0;
    memcpy(buf, p->src + t->off, t->len);
    buf[t->len] = '\0';
    return 1;
}

static PX_NOINLINE int unknown_issue(parser *p, const tok *t)
{
    const px_symbols *sym = p->sym;
    const char *sug = NULL;
    char word[PX_SHOW + 16];
    if (sym && sym->issue_name && sym->n_issues > 0 &&
        sym->n_issues <= SIZE_MAX / sizeof(const char *) && word_copy(p, t, word, sizeof word)) {
        /* Out of memory here only costs the suggestion. */
        const char **cands = pl__malloc(sym->n_issues * sizeof *cands);
        if (cands) {
            for (size_t i = 0; i < sym->n_issues; i++)
                cands[i] = sym->issue_name(sym->ud, i);
            sug = pl__suggest(word, cands, sym->n_issues);
            pl__free(cands);
        }
    }
    if (sug)
        return fail(p, t->off, "unknown issue '%.*s%s' (did you mean '%.64s'?)", SHOW(p, *t), sug);
    const char *kw = keyword_like(p, t);
    if (kw)
        return fail(p, t->off, "unknown issue '%.*s%s' (keywords are lowercase: did you mean '%s'?)",
                    SHOW(p, *t), kw);
    return fail(p, t->off, "unknown issue '%.*s%s'", SHOW(p, *t));
}

static PX_NOINLINE int unknown_option(parser *p, const tok *t, const tok *it, size_t issue,
                                      size_t nopt)
{
    const px_symbols *sym = p->sym;
    const char *sug = NULL;
    char word[PX_SHOW + 16];
    const char *cands[PX_MAX_OPTIONS];
    if (sym->option_name && word_copy(p, t, word, sizeof word)) {
        for (size_t k = 0; k < nopt; k++)
            cands[k] = sym->option_name(sym->ud, issue, k);
        sug = pl__suggest(word, cands, nopt);
    }
    if (sug)
        return fail(p, t->off, "unknown option '%.*s%s' of issue '%.*s%s' (did you mean '%.64s'?)",
                    SHOW(p, *t), SHOW(p, *it), sug);
    return fail(p, t->off, "unknown option '%.*s%s' of issue '%.*s%s'", SHOW(p, *t), SHOW(p, *it));
}

static int find_issue(parser *p, const tok *t, uint32_t *issue, size_t *nopt)
{
    const px_symbols *sym = p->sym;
    long i = -1;
    if (sym && sym->find_issue && sym->n_options && sym->find_option)
        i = sym->find_issue(sym->ud, p->src + t->off, t->len);
    if (i < 0 || (unsigned long)i >= sym->n_issues || (unsigned long)i > UINT32_MAX)
        return unknown_issue(p, t);
    size_t k = sym->n_options(sym->ud, (size_t)i);
    if (k < 1 || k > PX_MAX_OPTIONS)
        return fail(p, t->off, "issue '%.*s%s' has %zu options (1 to %d are supported)",
                    SHOW(p, *t), k, PX_MAX_OPTIONS);
    *issue = (uint32_t)i;
    *nopt = k;
    return 0;
}

static int find_option(parser *p, const tok *t, const tok *it, uint32_t issue, size_t nopt,
                       size_t *opt)
{
    long k = p->sym->find_option(p->sym->ud, issue, p->src + t->off, t->len);
    if (k < 0 || (unsigned long)k >= nopt)
        return unknown_option(p, t, it, issue, nopt);
    *opt = (size_t)k;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Parser                                                                    */

static int parse_implies(parser *p);

static uint64_t cmp_set(int kind, size_t k, uint64_t full)
{
    switch (kind) {
    case TK_EQ: return (uint64_t)1 << k;
    case TK_NE: return full & ~((uint64_t)1 << k);
    case TK_LT: return mask_below(k);
    case TK_LE: return mask_below(k + 1);
    case TK_GT: return full & ~mask_below(k + 1);
    default: return full & ~mask_below(k); /* TK_GE */
    }
}

static int cmp_num(int kind, double a, double b)
{
    switch (kind) {
    case TK_EQ: return a == b;
    case TK_NE: return a != b;
    case TK_LT: return a < b;
    case TK_LE: return a <= b;
    case TK_GT: return a > b;
    default: return a >= b; /* TK_GE */
    }
}

static PX_NOINLINE int number_value(parser *p, const tok *t, double *out)
{
    char buf[128];
    if (t->len >= sizeof buf)
        return fail(p, t->off, "number '%.*s%s' is too long", SHOW(p, *t));
    memcpy(buf, p->src + t->off, t->len);
    buf[t->len] = '\0';
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    /* The lexer admits only decimal syntax, so strtod consumes all of it
     * (unless a locale with another decimal point is active). */
    if (end != buf + t->len)
        return fail(p, t->off, "malformed number '%.*s%s'", SHOW(p, *t));
    if (!isfinite(v))
        return fail(p, t->off, "number '%.*s%s' is out of range", SHOW(p, *t));
    *out = v;
    return 0;
}

/* ISSUE '.' ATTR op NUMBER; cur is the '.'. */
static PX_NOINLINE int parse_attr_test(parser *p, const tok *it, uint32_t issue, size_t nopt)
{
    const px_symbols *sym = p->sym;
    int rc = advance(p);
    if (rc)
        return rc;
    if (!p->cur.word)
        return expected(p, "an attribute name");
    tok at = p->cur;
    /* Check every option now, so the error points at the attribute even when
     * the rest of the test is also wrong. */
    for (size_t k = 0; k < nopt; k++) {
        double v;
        if (!sym->attr || sym->attr(sym->ud, issue, k, p->src + at.off, at.len, &v) != 0) {
            const char *on = sym->option_name ? sym->option_name(sym->ud, issue, k) : NULL;
            if (on)
                return fail(p, at.off, "option '%.64s' of issue '%.*s%s' has no attribute '%.*s%s'",
                            on, SHOW(p, *it), SHOW(p, at));
            return fail(p, at.off, "option %zu of issue '%.*s%s' has no attribute '%.*s%s'", k,
                        SHOW(p, *it), SHOW(p, at));
        }
    }
    if ((rc = advance(p)) != 0)
        return rc;
    if (!is_cmp(p->cur.kind)) {
        if (p->cur.kind == TK_EOF)
            return fail(p, p->cur.off,
                        "unexpected end of expression (expected a comparison operator after "
                        "'%.*s%s.%.*s%s')",
                        SHOW(p, *it), SHOW(p, at));
        return fail(p, p->cur.off, "expected a comparison operator after '%.*s%s.%.*s%s'",
                    SHOW(p, *it), SHOW(p, at));
    }
    int op = p->cur.kind;
    if ((rc = advance(p)) != 0)
        return rc;
    if (p->cur.kind != TK_NUMBER)
        return expected(p, "a number");
    double x;
    if ((rc = number_value(p, &p->cur, &x)) != 0)
        return rc;
    uint64_t set = 0;
    for (size_t k = 0; k < nopt; k++) {
        double v = 0;
        if (sym->attr(sym->ud, issue, k, p->src + at.off, at.len, &v) != 0)
            return fail(p, at.off, "attribute '%.*s%s' of issue '%.*s%s' changed during compilation",
                        SHOW(p, at), SHOW(p, *it));
        if (cmp_num(op, v, x))
            set |= (uint64_t)1 << k;
    }
    if ((rc = emit_test(p, issue, set, mask_below(nopt))) != 0)
        return rc;
    return advance(p);
}

/* A test; cur is the issue identifier. */
static int parse_test(parser *p)
{
    tok it = p->cur;
    uint32_t issue = 0;
    size_t nopt = 0, k = 0;
    int rc = find_issue(p, &it, &issue, &nopt);
    if (rc)
        return rc;
    uint64_t full = mask_below(nopt), set = 0;
    if ((rc = advance(p)) != 0)
        return rc;
    if (p->cur.kind == TK_DOT)
        return parse_attr_test(p, &it, issue, nopt);
    if (is_cmp(p->cur.kind)) {
        int op = p->cur.kind;
        if ((rc = advance(p)) != 0)
            return rc;
        if (!p->cur.word)
            return expected(p, "an option id");
        if ((rc = find_option(p, &p->cur, &it, issue, nopt, &k)) != 0)
            return rc;
        set = cmp_set(op, k, full);
    } else if (p->cur.kind == TK_IN || p->cur.kind == TK_NOT) {
        int negate = p->cur.kind == TK_NOT;
        if (negate) {
            if ((rc = advance(p)) != 0)
                return rc;
            if (p->cur.kind != TK_IN)
                return expected(p, "'in'");
        }
        if ((rc = advance(p)) != 0)
            return rc;
        if (p->cur.kind != TK_LBRACK)
            return expected(p, "'['");
        if ((rc = advance(p)) != 0)
            return rc;
        if (p->cur.kind == TK_RBRACK)
            return fail(p, p->cur.off, "empty option list");
        for (;;) {
            if (!p->cur.word)
                return expected(p, "an option id");
            if ((rc = find_option(p, &p->cur, &it, issue, nopt, &k)) != 0)
                return rc;
            set |= (uint64_t)1 << k;
            if ((rc = advance(p)) != 0)
                return rc;
            if (p->cur.kind == TK_RBRACK)
                break;
            if (p->cur.kind != TK_COMMA)
                return expected(p, "',' or ']'");
            if ((rc = advance(p)) != 0)
                return rc;
        }
        if (negate)
            set = full & ~set;
    } else {
        return expected(p, "a comparison operator, 'in' or '.'");
    }
    if ((rc = emit_test(p, issue, set, full)) != 0)
        return rc;
    return advance(p); /* past the option or ']' */
}

static int parse_primary(parser *p)
{
    int rc;
    switch (p->cur.kind) {
    case TK_LPAREN: {
        tok lp = p->cur;
        if (p->nest >= PX_MAX_NEST)
            return fail(p, lp.off, "expression nested too deeply (more than %d parentheses)",
                        PX_MAX_NEST);
        p->nest++;
        if ((rc = advance(p)) != 0 || (rc = parse_implies(p)) != 0)
            return rc;
        if (p->cur.kind == TK_EOF)
            return fail(p, lp.off, "unbalanced parenthesis: this '(' is never closed");
        if (p->cur.kind != TK_RPAREN) {
            const char *kw = keyword_like(p, &p->cur);
            if (kw)
                return fail(p, p->cur.off,
                            "expected 'and', 'or', 'implies' or ')' after '%.*s%s' (keywords "
                            "are lowercase: did you mean '%s'?)",
                            SHOW(p, p->prev), kw);
            return expected(p, "'and', 'or', 'implies' or ')'");
        }
        p->nest--;
        return advance(p);
    }
    case TK_TRUE:
    case TK_FALSE:
        if ((rc = emit(p, p->cur.kind == TK_TRUE ? PX_TRUE : PX_FALSE, 0, 0)) != 0)
            return rc;
        return advance(p);
    case TK_IDENT:
        return parse_test(p);
    default:
        return expected(p, "an expression");
    }
}

static int parse_unary(parser *p)
{
    size_t s = p->n, nots = 0;
    int rc;
    while (p->cur.kind == TK_NOT) {
        nots++;
        if ((rc = advance(p)) != 0)
            return rc;
    }
    if ((rc = parse_primary(p)) != 0)
        return rc;
    return (nots & 1) ? fold_not(p, s) : 0;
}

static int parse_and(parser *p)
{
    size_t s1 = p->n;
    int rc = parse_unary(p);
    while (rc == 0 && p->cur.kind == TK_AND) {
        size_t s2 = p->n;
        if ((rc = advance(p)) != 0 || (rc = parse_unary(p)) != 0)
            break;
        rc = fold_bin(p, PX_AND, s1, s2);
    }
    return rc;
}

static int parse_or(parser *p)
{
    size_t s1 = p->n;
    int rc = parse_and(p);
    while (rc == 0 && p->cur.kind == TK_OR) {
        size_t s2 = p->n;
        if ((rc = advance(p)) != 0 || (rc = parse_and(p)) != 0)
            break;
        rc = fold_bin(p, PX_OR, s1, s2);
    }
    return rc;
}

/* a implies b implies c = a implies (b implies c): collect the operands with a
 * loop, then fold from the right. */
static int parse_implies(parser *p)
{
    size_t base = p->nstarts;
    int rc;
    for (;;) {
        if (p->nstarts == p->capstarts) {
            void *a = p->starts;
            if (pl__grow(&a, &p->capstarts, p->nstarts + 1, sizeof *p->starts) != 0)
                return oom(p);
            p->starts = a;
        }
        p->starts[p->nstarts++] = p->n;
        if ((rc = parse_or(p)) != 0)
            return rc;
        if (p->cur.kind != TK_IMPLIES)
            break;
        if ((rc = advance(p)) != 0)
            return rc;
    }
    for (size_t i = p->nstarts - 1; i > base; i--)
        if ((rc = fold_bin(p, PX_IMPLIES, p->starts[i - 1], p->starts[i])) != 0)
            return rc;
    p->nstarts = base;
    return 0;
}

static size_t stack_depth(const px_instr *code, size_t n)
{
    size_t d = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        switch (code[i].op) {
        case PX_TEST:
        case PX_TRUE:
        case PX_FALSE:
            if (++d > max)
                max = d;
            break;
        case PX_NOT:
            break;
        default:
            d--;
            break;
        }
    }
    return max;
}

int px_compile(const char *src, size_t len, const px_symbols *sym, px_expr *out, px_error *err)
{
    px_error dummy;
    parser p;
    memset(&p, 0, sizeof p);
    p.src = src ? src : "";
    p.len = src ? len : 0;
    p.sym = sym;
    p.err = err ? err : &dummy;
    p.err->offset = 0;
    p.err->msg[0] = '\0';

    if (p.len > PX_MAX_LEN)
        return fail(&p, PX_MAX_LEN, "expression longer than %d bytes", PX_MAX_LEN);

    /* Bad bytes are reported before anything else: a word like "b\xc3\xa4n"
     * would otherwise be reported as an unknown option 'b'. */
    for (size_t i = 0; i < p.len; i++) {
        unsigned char c = (unsigned char)p.src[i];
        if (c >= 0x80)
            return fail(&p, i, "non-ASCII byte 0x%02x (expressions are plain ASCII)", c);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return fail(&p, i, "control character 0x%02x in expression", c);
    }

    int rc = lex(&p);
    if (rc == 0)
        rc = parse_implies(&p);
    if (rc == 0 && p.cur.kind != TK_EOF) {
        if (p.cur.kind == TK_RPAREN) {
            rc = fail(&p, p.cur.off, "unbalanced parenthesis: this ')' has no matching '('");
        } else {
            const char *kw = keyword_like(&p, &p.cur);
            if (kw)
                rc = fail(&p, p.cur.off,
                          "unexpected '%.*s%s' after the end of the expression (keywords are "
                          "lowercase: did you mean '%s'?)",
                          SHOW(&p, p.cur), kw);
            else
                rc = fail(&p, p.cur.off, "unexpected '%.*s%s' after the end of the expression",
                          SHOW(&p, p.cur));
        }
    }
    size_t depth = rc == 0 ? stack_depth(p.code, p.n) : 0;
    if (rc == 0 && depth > PX_STACK_MAX)
        rc = fail(&p, 0, "expression too complex");
    pl__free(p.starts);
    if (rc != 0) {
        pl__free(p.code);
        return rc;
    }
    if (p.n < p.cap) {
        /* Programs live as long as the scenario; give the slack back. */
        px_instr *shrunk = pl__realloc(p.code, p.n * sizeof *p.code);
        if (shrunk)
            p.code = shrunk;
    }
    out->code = p.code;
    out->n = p.n;
    out->max_depth = depth;
    return 0;
}

void px_free(px_expr *e)
{
    if (!e)
        return;
    pl__free(e->code);
    e->code = NULL;
    e->n = 0;
    e->max_depth = 0;
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */

static int eval_deep(const px_expr *e, const uint8_t *choice)
{
    uint8_t st[PX_STACK_MAX];
    size_t sp = 0;
    for (size_t i = 0; i < e->n; i++) {
        const px_instr *c = &e->code[i];
        switch (c->op) {
        case PX_TEST: {
            unsigned k = choice[c->issue];
            st[sp++] = k < 64 ? (uint8_t)((c->set >> k) & 1) : 0;
            break;
        }
        case PX_TRUE: st[sp++] = 1; break;
        case PX_FALSE: st[sp++] = 0; break;
        case PX_NOT: st[sp - 1] ^= 1; break;
        case PX_AND: sp--; st[sp - 1] &= st[sp]; break;
        case PX_OR: sp--; st[sp - 1] |= st[sp]; break;
        case PX_IMPLIES: sp--; st[sp - 1] = (uint8_t)((st[sp - 1] ^ 1) | st[sp]); break;
        default: break;
        }
    }
    return sp ? st[sp - 1] : 0;
}

int px_eval(const px_expr *e, const uint8_t *choice)
{
    if (e->n == 0 || e->max_depth > PX_STACK_MAX)
        return 0;
    if (e->max_depth > 64)
        return eval_deep(e, choice);
    /* Bit i of s is the i-th value from the top of the stack. */
    uint64_t s = 0, b;
    const px_instr *c = e->code, *end = c + e->n;
    for (; c < end; c++) {
        switch (c->op) {
        case PX_TEST: {
            unsigned k = choice[c->issue];
            s = s << 1 | (k < 64 ? (c->set >> k) & 1 : 0);
            break;
        }
        case PX_TRUE: s = s << 1 | 1; break;
        case PX_FALSE: s <<= 1; break;
        case PX_NOT: s ^= 1; break;
        case PX_AND: b = s & 1; s = (s >> 1) & (~(uint64_t)1 | b); break;
        case PX_OR: b = s & 1; s = (s >> 1) | b; break;
        case PX_IMPLIES: b = s & 1; s = ((s >> 1) ^ 1) | b; break;
        default: break;
        }
    }
    return (int)(s & 1);
}

/* A test under Kleene logic: *t = definitely true, *f = definitely false. */
static void test3(const px_instr *c, const long *choice, const size_t *n_options, uint64_t *t,
                  uint64_t *f)
{
    long k = choice[c->issue];
    if (k >= 0) {
        uint64_t v = k < 64 ? (c->set >> k) & 1 : 0;
        *t = v;
        *f = v ^ 1;
        return;
    }
    uint64_t full = n_options ? mask_below(n_options[c->issue]) : 0;
    *t = n_options && (c->set & full) == full;
    *f = n_options ? (c->set & full) == 0 : c->set == 0;
}

static int eval3_deep(const px_expr *e, const long *choice, const size_t *n_options)
{
    /* Per entry: bit 0 = definitely true, bit 1 = definitely false. */
    uint8_t st[PX_STACK_MAX];
    size_t sp = 0;
    for (size_t i = 0; i < e->n; i++) {
        const px_instr *c = &e->code[i];
        uint8_t a, b;
        switch (c->op) {
        case PX_TEST: {
            uint64_t t, f;
            test3(c, choice, n_options, &t, &f);
            st[sp++] = (uint8_t)(t | f << 1);
            break;
        }
        case PX_TRUE: st[sp++] = 1; break;
        case PX_FALSE: st[sp++] = 2; break;
        case PX_NOT: a = st[sp - 1]; st[sp - 1] = (uint8_t)((a >> 1) | (a & 1) << 1); break;
        case PX_AND:
            b = st[--sp];
            a = st[sp - 1];
            st[sp - 1] = (uint8_t)((a & b & 1) | ((a | b) & 2));
            break;
        case PX_OR:
            b = st[--sp];
            a = st[sp - 1];
            st[sp - 1] = (uint8_t)(((a | b) & 1) | (a & b & 2));
            break;
        case PX_IMPLIES:
            b = st[--sp];
            a = st[sp - 1];
            /* true when a is false or b true; false when a true and b false */
            st[sp - 1] = (uint8_t)((((a >> 1) | b) & 1) | ((a << 1) & b & 2));
            break;
        default: break;
        }
    }
    if (sp == 0)
        return -1;
    return (st[sp - 1] & 1) ? 1 : (st[sp - 1] & 2) ? 0 : -1;
}

int px_eval3(const px_expr *e, const long *choice, const size_t *n_options)
{
    if (e->n == 0 || e->max_depth > PX_STACK_MAX)
        return -1;
    if (e->max_depth > 64)
        return eval3_deep(e, choice, n_options);
    /* Two bit stacks: t (definitely true) and f (definitely false). */
    uint64_t t = 0, f = 0, ta, fa, tb, fb, x;
    const px_instr *c = e->code, *end = c + e->n;
    for (; c < end; c++) {
        switch (c->op) {
        case PX_TEST:
            test3(c, choice, n_options, &tb, &fb);
            t = t << 1 | tb;
            f = f << 1 | fb;
            break;
        case PX_TRUE: t = t << 1 | 1; f <<= 1; break;
        case PX_FALSE: t <<= 1; f = f << 1 | 1; break;
        case PX_NOT: x = (t ^ f) & 1; t ^= x; f ^= x; break;
        case PX_AND:
            tb = t & 1; fb = f & 1; t >>= 1; f >>= 1;
            t &= ~(uint64_t)1 | tb;
            f |= fb;
            break;
        case PX_OR:
            tb = t & 1; fb = f & 1; t >>= 1; f >>= 1;
            t |= tb;
            f &= ~(uint64_t)1 | fb;
            break;
        case PX_IMPLIES:
            tb = t & 1; fb = f & 1; t >>= 1; f >>= 1;
            ta = t & 1; fa = f & 1;
            t = (t & ~(uint64_t)1) | fa | tb;
            f = (f & ~(uint64_t)1) | (ta & fb);
            break;
        default: break;
        }
    }
    return (t & 1) ? 1 : (f & 1) ? 0 : -1;
}

void px_issues_used(const px_expr *e, unsigned char *used)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->code[i].op == PX_TEST)
            used[e->code[i].issue] = 1;
}
