/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GENIUS XML domains and utility profiles -> a parley scenario in YAML.
 *
 * The conversion rules and both semantics are documented in docs/genius.md;
 * this file follows that text. Design points:
 *
 *  - libxml2 builds the tree; it is told never to touch the network, never to
 *    substitute entities and never to print (errors reach a handler on the
 *    parser context, which keeps the first one). Documents with a DTD are
 *    refused outright: GENIUS files have none, and without one no entity can
 *    expand into anything surprising.
 *  - libxml2 2.9 knows only the line of an element (and that one is the line
 *    where its start tag ends). For precise columns we index the start tags of
 *    the raw buffer ourselves: in a well-formed document without a DTD the k-th
 *    start tag is the k-th element in document order. The index is checked
 *    against the tree (names must agree) and dropped when it does not fit (a
 *    non-UTF-8 encoding, say); diagnostics then fall back to libxml2's line and
 *    column 1.
 *  - Every allocation of ours goes into one pool freed at the end, so the many
 *    error paths need no cleanup code.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/model.h"
#include "parley.h"
#include "util/util.h"

/* Grid sizes for numeric issues (docs/genius.md). */
#define GX_INT_MAX_POINTS 64
#define GX_REAL_POINTS 11
/* Integer bounds beyond this would lose exactness as doubles. */
#define GX_INT_LIMIT 1e15
/* The date stamped on evidence: GENIUS files carry none, and today's date
 * would make the output differ from run to run. */
#define GX_FIXED_DATE "2000-01-01"

enum { GX_DISCRETE = 0, GX_INTEGER = 1, GX_REAL = 2 };
static const char *const GX_KIND[] = {"discrete", "integer", "real"};

/* ---- the pool and diagnostics ------------------------------------------- */

typedef struct gx_file {
    const char *name; /* as given: used in diagnostics */
    const char *base; /* without directories: used in the scenario */
    const char *stem; /* base without a trailing ".xml" */
    const char *data;
    size_t len;
    xmlDocPtr doc;
    size_t *tag; /* offset of the k-th start tag in document order */
    size_t n_tag;
    int exact;   /* tag[] lines up with the element nodes */
} gx_file;

typedef struct gx {
    pl_diag *diag;
    pl_genius_semantics sem;
    void **blocks;
    size_t n_blocks, cap_blocks;
} gx;

static void *gx_alloc(gx *g, size_t n)
{
    if (pl__grow((void **)&g->blocks, &g->cap_blocks, g->n_blocks + 1, sizeof *g->blocks) != 0)
        return NULL;
    void *p = pl__calloc(1, n ? n : 1);
    if (p)
        g->blocks[g->n_blocks++] = p;
    return p;
}

static void *gx_array(gx *g, size_t count, size_t size)
{
    if (count && size > SIZE_MAX / count)
        return NULL;
    return gx_alloc(g, count * size);
}

static char *gx_strndup(gx *g, const char *s, size_t n)
{
    char *p = gx_alloc(g, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *gx_strdup(gx *g, const char *s)
{
    return gx_strndup(g, s, strlen(s));
}

static void gx_pool_free(gx *g)
{
    for (size_t i = 0; i < g->n_blocks; i++)
        pl__free(g->blocks[i]);
    pl__free(g->blocks);
    g->blocks = NULL;
    g->n_blocks = g->cap_blocks = 0;
}

static int gx_oom(gx *g)
{
    pl__diag_set(g->diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
    return -1;
}

/* Line and column (1-based, in characters) of a byte offset. A lone CR ends a
 * line too, as it does for libxml2; a UTF-8 byte order mark takes no column. */
static void gx_off_pos(const gx_file *f, size_t off, int *line, int *col)
{
    const char *d = f->data;
    int l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < off && i < f->len; i++)
        if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= f->len || d[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        }
    if (ls == 0 && f->len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
        ls = 3;
    int c = 1;
    for (size_t i = ls; i < off && i < f->len; i++)
        if (((unsigned char)d[i] & 0xC0) != 0x80)
            c++;
    *line = l;
    *col = c;
}

static int gx_valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                                : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (c == 0 || k == 9 || (k == 1 && c < 0xC2) || i + k >= n + (k ? 0 : 1))
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* Copy the text of a line into diag->source_line, so a front end can draw a
 * caret; skipped when the bytes are not UTF-8 (another encoding). */
static void gx_fill_source_line(pl_diag *d, const gx_file *f, int line)
{
    if (!d || !f || !f->data || line < 1)
        return;
    const char *p = f->data, *end = f->data + f->len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n' || (*p == '\r' && (p + 1 >= end || p[1] != '\n')))
            l++;
    if (p >= end && line > 1)
        return;
    const char *q = p;
    while (q < end && *q != '\n' && *q != '\r')
        q++;
    size_t n = (size_t)(q - p);
    if (n >= sizeof d->source_line)
        n = sizeof d->source_line - 1;
    while (n > 0 && p + n < q && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--; /* never cut a character in two */
    if (!gx_valid_utf8((const unsigned char *)p, n))
        return;
    memcpy(d->source_line, p, n);
    d->source_line[n] = '\0';
}

static int gx_vfail(gx *g, const gx_file *f, int line, int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static int gx_vfail(gx *g, const gx_file *f, int line, int col, const char *fmt, va_list ap)
{
    pl__diag_vset(g->diag, PL_E_INPUT, f ? f->name : NULL, line, col, fmt, ap);
    gx_fill_source_line(g->diag, f, line);
    return -1;
}

static int gx_fail_at(gx *g, const gx_file *f, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int gx_fail_at(gx *g, const gx_file *f, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gx_vfail(g, f, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* The k-th element (1-based, document order) is numbered in node->_private. */
static size_t gx_node_no(xmlNodePtr n)
{
    return (size_t)(uintptr_t)n->_private;
}

static void gx_node_pos(const gx_file *f, xmlNodePtr n, int *line, int *col)
{
    size_t k = gx_node_no(n);
    if (f->exact && k >= 1 && k <= f->n_tag) {
        gx_off_pos(f, f->tag[k - 1], line, col);
        return;
    }
    long l = xmlGetLineNo(n);
    *line = l > 0 && l < INT32_MAX ? (int)l : 1;
    *col = 1;
}

static int gx_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset of the value of attribute attr inside the start tag at tag, or -1. */
static long gx_attr_off(const gx_file *f, size_t tag, const char *attr)
{
    const char *d = f->data;
    size_t n = f->len, i = tag + 1, al = strlen(attr);
    while (i < n && !gx_is_space(d[i]) && d[i] != '>' && d[i] != '/')
        i++;
    for (;;) {
        while (i < n && gx_is_space(d[i]))
            i++;
        if (i >= n || d[i] == '>' || d[i] == '/')
            return -1;
        size_t ns = i;
        while (i < n && !gx_is_space(d[i]) && d[i] != '=' && d[i] != '>')
            i++;
        size_t ne = i;
        while (i < n && gx_is_space(d[i]))
            i++;
        if (i >= n || d[i] != '=')
            return -1;
        i++;
        while (i < n && gx_is_space(d[i]))
            i++;
        if (i >= n || (d[i] != '"' && d[i] != '\''))
            return -1;
        char q = d[i++];
        size_t vs = i;
        while (i < n && d[i] != q)
            i++;
        if (i >= n)
            return -1;
        i++;
        if (ne - ns == al && memcmp(d + ns, attr, al) == 0)
            return (long)vs;
    }
}

static int gx_fail_node(gx *g, const gx_file *f, xmlNodePtr n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int gx_fail_node(gx *g, const gx_file *f, xmlNodePtr n, const char *fmt, ...)
{
    int line, col;
    gx_node_pos(f, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gx_vfail(g, f, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* Point at the value of an attribute when the start tag can be read, else at
 * the element. */
static int gx_fail_attr(gx *g, const gx_file *f, xmlNodePtr n, const char *attr,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int gx_fail_attr(gx *g, const gx_file *f, xmlNodePtr n, const char *attr,
                        const char *fmt, ...)
{
    int line, col;
    size_t k = gx_node_no(n);
    long off = -1;
    if (f->exact && k >= 1 && k <= f->n_tag)
        off = gx_attr_off(f, f->tag[k - 1], attr);
    if (off >= 0)
        gx_off_pos(f, (size_t)off, &line, &col);
    else
        gx_node_pos(f, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gx_vfail(g, f, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct gx_xerr {
    int set, line, col;
    char msg[400];
} gx_xerr;

/* libxml2's structured error handler: keep the first error, print nothing.
 * For parser errors the user data is the parser context. */
static void gx_xml_error(void *ud, xmlErrorPtr e)
{
    xmlParserCtxtPtr c = ud;
    gx_xerr *x = c ? c->_private : NULL;
    if (!x || x->set || !e || e->level < XML_ERR_ERROR)
        return;
    x->set = 1;
    x->line = e->line;
    x->col = e->int2;
    snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "syntax error");
    size_t n = strlen(x->msg);
    while (n > 0 && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
        x->msg[--n] = '\0';
    /* parley's messages start in lower case */
    if (x->msg[0] >= 'A' && x->msg[0] <= 'Z' && !(x->msg[1] >= 'A' && x->msg[1] <= 'Z'))
        x->msg[0] = (char)(x->msg[0] - 'A' + 'a');
}

/* Some libxml2 errors (failed encoding conversions, for one) are raised
 * without a parser context and go to the thread's generic or structured
 * handler, which print to stderr by default. While we parse, those handlers
 * are silent ones; the caller's are put back afterwards. */
static void gx_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void gx_silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

typedef struct gx_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} gx_handlers;

static void gx_mute(gx_handlers *h)
{
    h->generic = xmlGenericError;
    h->generic_ctx = xmlGenericErrorContext;
    h->structured = xmlStructuredError;
    h->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, gx_silent);
    xmlSetStructuredErrorFunc(NULL, gx_silent_structured);
}

static void gx_unmute(const gx_handlers *h)
{
    xmlSetGenericErrorFunc(h->generic_ctx, h->generic);
    xmlSetStructuredErrorFunc(h->structured_ctx, h->structured);
}

static const char *gx_find(const char *d, size_t n, size_t from, const char *pat)
{
    size_t pl = strlen(pat);
    for (size_t i = from; i + pl <= n; i++)
        if (memcmp(d + i, pat, pl) == 0)
            return d + i;
    return NULL;
}

/* Record the offset of every start tag. Only called on a well-formed document,
 * so '<' in content always opens markup. Returns -1 on allocation failure; a
 * DOCTYPE ends the scan with *doctype set to its offset. */
static int gx_index_tags(gx *g, gx_file *f, long *doctype)
{
    const char *d = f->data;
    size_t n = f->len, count = 0;
    *doctype = -1;
    for (size_t i = 0; i < n; i++)
        count += d[i] == '<';
    f->tag = gx_array(g, count ? count : 1, sizeof *f->tag);
    if (!f->tag)
        return -1;
    size_t i = 0;
    while (i < n) {
        if (d[i] != '<') {
            i++;
            continue;
        }
        const char *e;
        if (i + 4 <= n && memcmp(d + i, "<!--", 4) == 0) {
            e = gx_find(d, n, i + 4, "-->");
            i = e ? (size_t)(e - d) + 3 : n;
        } else if (i + 9 <= n && memcmp(d + i, "<![CDATA[", 9) == 0) {
            e = gx_find(d, n, i + 9, "]]>");
            i = e ? (size_t)(e - d) + 3 : n;
        } else if (i + 2 <= n && memcmp(d + i, "<?", 2) == 0) {
            e = gx_find(d, n, i + 2, "?>");
            i = e ? (size_t)(e - d) + 2 : n;
        } else if (i + 2 <= n && d[i + 1] == '!') {
            *doctype = (long)i;
            return 0;
        } else if (i + 2 <= n && d[i + 1] == '/') {
            e = memchr(d + i, '>', n - i);
            i = e ? (size_t)(e - d) + 1 : n;
        } else {
            f->tag[f->n_tag++] = i;
            size_t j = i + 1;
            while (j < n && d[j] != '>') {
                if (d[j] == '"' || d[j] == '\'') {
                    const char *q = memchr(d + j + 1, d[j], n - j - 1);
                    j = q ? (size_t)(q - d) : n;
                }
                j++;
            }
            i = j + 1;
        }
    }
    return 0;
}

/* Number the elements in document order and check that the k-th one has the
 * name of the k-th start tag. Depth is bounded by libxml2 (256 levels). */
static void gx_number(gx_file *f, xmlNodePtr n, size_t *k)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        ++*k;
        n->_private = (void *)(uintptr_t)*k;
        if (*k > f->n_tag) {
            f->exact = 0;
        } else if (f->exact) {
            size_t off = f->tag[*k - 1] + 1, nl = strlen((const char *)n->name);
            char next = off + nl < f->len ? f->data[off + nl] : '\0';
            if (off + nl > f->len || memcmp(f->data + off, n->name, nl) != 0 ||
                !(gx_is_space(next) || next == '>' || next == '/'))
                f->exact = 0;
        }
        gx_number(f, n->children, k);
    }
}

static int gx_parse(gx *g, gx_file *f)
{
    if (f->len > PL_MAX_FILE_BYTES)
        return gx_fail_at(g, f, 0, 0, "file is larger than %u MiB", PL_MAX_FILE_BYTES >> 20);
    if (f->len == 0)
        return gx_fail_at(g, f, 1, 1, "malformed XML: the file is empty");
    gx_handlers saved;
    gx_mute(&saved);
    xmlParserCtxtPtr c = xmlCreateMemoryParserCtxt(f->data, (int)f->len);
    if (!c) {
        gx_unmute(&saved);
        return gx_oom(g);
    }
    /* No network, no entity substitution (no XML_PARSE_NOENT), no DTD
     * loading, and silence: errors go to gx_xml_error only. */
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    c->sax->serror = gx_xml_error;
    c->sax->warning = NULL;
    c->sax->error = NULL;
    c->sax->fatalError = NULL;
    gx_xerr xe;
    memset(&xe, 0, sizeof xe);
    c->_private = &xe;
    xmlParseDocument(c);
    xmlDocPtr doc = c->myDoc;
    int wf = c->wellFormed;
    c->myDoc = NULL;
    c->_private = NULL;
    xmlFreeParserCtxt(c);
    gx_unmute(&saved);
    if (xe.set || !wf || !doc) {
        xmlFreeDoc(doc);
        if (!xe.set)
            return gx_fail_at(g, f, 1, 1, "malformed XML");
        return gx_fail_at(g, f, xe.line > 0 ? xe.line : 1, xe.col > 0 ? xe.col : 1,
                          "malformed XML: %s", xe.msg);
    }
    f->doc = doc;
    long doctype;
    if (gx_index_tags(g, f, &doctype) != 0)
        return gx_oom(g);
    if (doc->intSubset || doc->extSubset || doctype >= 0) {
        int line = 1, col = 1;
        if (doctype >= 0)
            gx_off_pos(f, (size_t)doctype, &line, &col);
        return gx_fail_at(g, f, line, col,
                          "a DOCTYPE is not allowed in GENIUS files (DTDs and entities are "
                          "refused for safety)");
    }
    /* Offsets are those of the raw bytes; they mean something only when the
     * document is in UTF-8 (or ASCII), which the name check below confirms. */
    f->exact = !doc->encoding || xmlStrcasecmp(doc->encoding, BAD_CAST "UTF-8") == 0 ||
               xmlStrcasecmp(doc->encoding, BAD_CAST "US-ASCII") == 0;
    size_t k = 0;
    gx_number(f, doc->children, &k);
    if (k != f->n_tag)
        f->exact = 0;
    return 0;
}

/* ---- reading the tree --------------------------------------------------- */

static int gx_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr gx_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (gx_is(c, name))
            return c;
    return NULL;
}

/* *out is the attribute's value copied into the pool, or NULL when absent. */
static int gx_attr(gx *g, xmlNodePtr n, const char *name, const char **out)
{
    *out = NULL;
    if (!xmlHasNsProp(n, BAD_CAST name, NULL))
        return 0;
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    if (!v)
        return gx_oom(g);
    *out = gx_strdup(g, (const char *)v);
    xmlFree(v);
    return *out ? 0 : gx_oom(g);
}

/* A number as GENIUS writes it: optional blanks around a decimal number
 * (Java's Double.valueOf trims them too). Hex, inf and nan are refused. */
static int gx_parse_double(const char *s, double *out)
{
    while (gx_is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && gx_is_space(s[n - 1]))
        n--;
    if (n == 0 || n > 64)
        return -1;
    char tmp[65];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = tmp[i];
        if (c >= '0' && c <= '9')
            digits = 1;
        else if (!(c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return -1;
    }
    if (!digits)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end != '\0' || !isfinite(v) || errno == ERANGE)
        return -1;
    *out = v + 0.0; /* no negative zero */
    return 0;
}

enum { GX_REQUIRED = 1, GX_NONNEG = 2, GX_INTEGRAL = 4 };

/* Read a numeric attribute. *present is 0 when it is absent and optional. */
static int gx_num(gx *g, const gx_file *f, xmlNodePtr n, const char *attr, const char *what,
                  int flags, int *present, double *out)
{
    const char *s;
    if (gx_attr(g, n, attr, &s) != 0)
        return -1;
    if (present)
        *present = s != NULL;
    if (!s) {
        if (flags & GX_REQUIRED)
            return gx_fail_node(g, f, n, "%s is missing: <%s> has no '%s' attribute", what,
                                (const char *)n->name, attr);
        return 0;
    }
    double v;
    if (gx_parse_double(s, &v) != 0)
        return gx_fail_attr(g, f, n, attr, "%s must be a number, found '%s'", what, s);
    if ((flags & GX_NONNEG) && v < 0)
        return gx_fail_attr(g, f, n, attr, "%s must not be negative, found %s", what, s);
    if ((flags & GX_INTEGRAL) && (v != floor(v) || fabs(v) > GX_INT_LIMIT))
        return gx_fail_attr(g, f, n, attr, "%s must be a whole number (at most 10^15), found %s",
                            what, s);
    *out = v;
    return 0;
}

/* The shortest decimal that reads back as the same double; whole numbers
 * without an exponent (50, not 5e+01). */
static void gx_fmt(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v + 0.0);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* ---- the domain --------------------------------------------------------- */

typedef struct gx_issue {
    long index;
    const char *name;
    int kind;
    size_t n;            /* options */
    const char **label;  /* discrete: the item values; numeric: the number */
    double *value;       /* numeric issues: the value of each option */
    double lo, hi;       /* numeric issues: the bounds */
    const char *id;
    const char **opt_id;
    xmlNodePtr node;
} gx_issue;

typedef struct gx_domain {
    gx_file *f;
    gx_issue *issue;
    size_t n_issue, cap_issue;
    long *obj;           /* indices of objectives */
    size_t n_obj, cap_obj;
} gx_domain;

static int gx_index_attr(gx *g, const gx_file *f, xmlNodePtr n, const char *what, long *out)
{
    double v = 0;
    if (gx_num(g, f, n, "index", what, GX_REQUIRED | GX_NONNEG | GX_INTEGRAL, NULL, &v) != 0)
        return -1;
    *out = (long)v;
    return 0;
}

/* The GENIUS type of an issue: 'type', else 'etype', else 'vtype'; discrete
 * when none is given (the oldest files). */
static int gx_issue_kind(gx *g, const gx_file *f, xmlNodePtr n, const char *name, int *kind)
{
    static const char *const attrs[] = {"type", "etype", "vtype"};
    for (size_t a = 0; a < 3; a++) {
        const char *t;
        if (gx_attr(g, n, attrs[a], &t) != 0)
            return -1;
        if (!t)
            continue;
        for (int k = 0; k < 3; k++)
            if (xmlStrcasecmp(BAD_CAST t, BAD_CAST GX_KIND[k]) == 0) {
                *kind = k;
                return 0;
            }
        return gx_fail_attr(g, f, n, attrs[a],
                            "issue '%s' has type '%s'; parley imports discrete, integer and "
                            "real issues",
                            name, t);
    }
    *kind = GX_DISCRETE;
    return 0;
}

static int gx_lookup_issue(const gx_domain *dm, long index)
{
    for (size_t i = 0; i < dm->n_issue; i++)
        if (dm->issue[i].index == index)
            return (int)i;
    return -1;
}

static int gx_is_objective(const gx_domain *dm, long index)
{
    for (size_t i = 0; i < dm->n_obj; i++)
        if (dm->obj[i] == index)
            return 1;
    return 0;
}

/* Bounds of a numeric issue: 'lowerbound'/'upperbound' on the issue itself
 * (GENIUS's integer issues) or on a <range> child (its real issues). */
static int gx_bounds(gx *g, const gx_file *f, xmlNodePtr n, const char *name, int kind,
                     int required, int *present, double *lo, double *hi)
{
    int flags = (required ? GX_REQUIRED : 0) | (kind == GX_INTEGER ? GX_INTEGRAL : 0);
    xmlNodePtr src = n;
    if (!xmlHasNsProp(n, BAD_CAST "lowerbound", NULL) && gx_child(n, "range"))
        src = gx_child(n, "range");
    char what[200];
    int p1 = 0, p2 = 0;
    snprintf(what, sizeof what, "the lower bound of issue '%s'", name);
    if (gx_num(g, f, src, "lowerbound", what, flags, &p1, lo) != 0)
        return -1;
    snprintf(what, sizeof what, "the upper bound of issue '%s'", name);
    if (gx_num(g, f, src, "upperbound", what, flags, &p2, hi) != 0)
        return -1;
    if (p1 != p2)
        return gx_fail_node(g, f, src, "issue '%s' gives only one of 'lowerbound' and "
                                       "'upperbound'", name);
    *present = p1;
    if (p1 && !(*lo < *hi))
        return gx_fail_attr(g, f, src, "upperbound",
                            "issue '%s' has no room: its upper bound must exceed its lower "
                            "bound (parley needs at least 2 options per issue)",
                            name);
    return 0;
}

/* The numbers of a numeric issue become its options (docs/genius.md): every
 * integer of a range of at most 64, else 64 evenly spread integers; 11 evenly
 * spread points of a real range. */
static int gx_grid(gx *g, gx_issue *is)
{
    size_t n;
    if (is->kind == GX_INTEGER) {
        double span = is->hi - is->lo;
        n = span + 1 <= GX_INT_MAX_POINTS ? (size_t)span + 1 : GX_INT_MAX_POINTS;
    } else {
        n = GX_REAL_POINTS;
    }
    is->n = n;
    is->value = gx_array(g, n, sizeof *is->value);
    is->label = gx_array(g, n, sizeof *is->label);
    if (!is->value || !is->label)
        return gx_oom(g);
    for (size_t k = 0; k < n; k++) {
        double v;
        if (k == n - 1)
            v = is->hi;
        else if (is->kind == GX_INTEGER)
            /* exact in doubles: both operands are integers below 2^53 */
            v = is->lo + floor((double)k * (is->hi - is->lo) / (double)(n - 1) + 0.5);
        else
            v = is->lo + (is->hi - is->lo) * (double)k / (double)(n - 1);
        is->value[k] = v + 0.0;
        char buf[40];
        gx_fmt(buf, sizeof buf, is->value[k]);
        if (!(is->label[k] = gx_strdup(g, buf)))
            return gx_oom(g);
    }
    return 0;
}

static int gx_domain_issue(gx *g, gx_domain *dm, xmlNodePtr n)
{
    const gx_file *f = dm->f;
    if (dm->n_issue >= PL_MAX_ISSUES)
        return gx_fail_node(g, f, n, "too many issues: parley allows at most %d",
                            PL_MAX_ISSUES);
    if (pl__grow((void **)&dm->issue, &dm->cap_issue, dm->n_issue + 1, sizeof *dm->issue) != 0)
        return gx_oom(g);
    gx_issue *is = &dm->issue[dm->n_issue];
    memset(is, 0, sizeof *is);
    is->node = n;
    if (gx_attr(g, n, "name", &is->name) != 0)
        return -1;
    if (!is->name)
        return gx_fail_node(g, f, n, "an <issue> has no 'name' attribute");
    char what[200];
    snprintf(what, sizeof what, "the index of issue '%s'", is->name);
    if (gx_index_attr(g, f, n, what, &is->index) != 0)
        return -1;
    int j = gx_lookup_issue(dm, is->index);
    if (j >= 0 || gx_is_objective(dm, is->index))
        return gx_fail_attr(g, f, n, "index", "issue '%s' has index %ld, which %s%s%s already "
                                              "uses; indices must be unique",
                            is->name, is->index, j >= 0 ? "issue '" : "an objective",
                            j >= 0 ? dm->issue[j].name : "", j >= 0 ? "'" : "");
    if (gx_issue_kind(g, f, n, is->name, &is->kind) != 0)
        return -1;
    if (is->kind == GX_DISCRETE) {
        size_t count = 0;
        for (xmlNodePtr c = n->children; c; c = c->next)
            count += gx_is(c, "item");
        if (count < 2)
            return gx_fail_node(g, f, n, "issue '%s' has %zu item%s; parley needs at least 2 "
                                         "options per issue",
                                is->name, count, count == 1 ? "" : "s");
        if (count > PL_MAX_OPTIONS)
            return gx_fail_node(g, f, n, "issue '%s' has %zu items; parley allows at most %d "
                                         "options per issue",
                                is->name, count, PL_MAX_OPTIONS);
        is->label = gx_array(g, count, sizeof *is->label);
        if (!is->label)
            return gx_oom(g);
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (!gx_is(c, "item"))
                continue;
            const char *v;
            if (gx_attr(g, c, "value", &v) != 0)
                return -1;
            if (!v)
                return gx_fail_node(g, f, c, "an <item> of issue '%s' has no 'value' attribute",
                                    is->name);
            for (size_t k = 0; k < is->n; k++)
                if (strcmp(is->label[k], v) == 0)
                    return gx_fail_attr(g, f, c, "value",
                                        "item '%s' appears twice in issue '%s'", v, is->name);
            is->label[is->n++] = v;
        }
    } else {
        int present = 0;
        if (gx_bounds(g, f, n, is->name, is->kind, 1, &present, &is->lo, &is->hi) != 0 ||
            gx_grid(g, is) != 0)
            return -1;
    }
    dm->n_issue++;
    return 0;
}

/* Issues may sit in nested objectives (GENIUS's objective trees); they are
 * taken in document order. */
static int gx_domain_walk(gx *g, gx_domain *dm, xmlNodePtr obj)
{
    for (xmlNodePtr c = obj->children; c; c = c->next) {
        if (gx_is(c, "issue")) {
            if (gx_domain_issue(g, dm, c) != 0)
                return -1;
        } else if (gx_is(c, "objective")) {
            long idx = -1;
            int present;
            double v;
            if (gx_num(g, dm->f, c, "index", "the index of an objective",
                       GX_NONNEG | GX_INTEGRAL, &present, &v) != 0)
                return -1;
            if (present) {
                idx = (long)v;
                if (pl__grow((void **)&dm->obj, &dm->cap_obj, dm->n_obj + 1, sizeof *dm->obj))
                    return gx_oom(g);
                dm->obj[dm->n_obj++] = idx;
            }
            if (gx_domain_walk(g, dm, c) != 0)
                return -1;
        }
    }
    return 0;
}

/* The <utility_space> of a file: the root itself, or the one inside a
 * <negotiation_template>. */
static int gx_utility_space(gx *g, const gx_file *f, const char *what, xmlNodePtr *out)
{
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (gx_is(root, "utility_space")) {
        *out = root;
        return 0;
    }
    if (gx_is(root, "negotiation_template")) {
        *out = gx_child(root, "utility_space");
        if (!*out)
            return gx_fail_node(g, f, root, "<negotiation_template> has no <utility_space>");
        return 0;
    }
    return gx_fail_node(g, f, root, "not a GENIUS %s: the root element is <%s>, expected "
                                    "<utility_space> or <negotiation_template>",
                        what, root ? (const char *)root->name : "");
}

static int gx_read_domain(gx *g, gx_domain *dm)
{
    xmlNodePtr us, obj;
    if (gx_utility_space(g, dm->f, "domain", &us) != 0)
        return -1;
    if (!(obj = gx_child(us, "objective")))
        return gx_fail_node(g, dm->f, us, "missing issues: <utility_space> has no <objective>, "
                                          "so the domain defines no issues");
    int present;
    double v;
    if (gx_num(g, dm->f, obj, "index", "the index of an objective", GX_NONNEG | GX_INTEGRAL,
               &present, &v) != 0)
        return -1;
    if (present) {
        if (pl__grow((void **)&dm->obj, &dm->cap_obj, 1, sizeof *dm->obj) != 0)
            return gx_oom(g);
        dm->obj[dm->n_obj++] = (long)v;
    }
    if (gx_domain_walk(g, dm, obj) != 0)
        return -1;
    if (dm->n_issue == 0)
        return gx_fail_node(g, dm->f, obj, "missing issues: the domain's <objective> contains "
                                           "no <issue>");
    return 0;
}

/* ---- profiles ----------------------------------------------------------- */

typedef struct gx_profile {
    gx_file *f;
    double *w;          /* per domain issue; -1 until given */
    double **ev;        /* per domain issue and option: the raw evaluation */
    unsigned char **seen;
    xmlNodePtr *inode;  /* the profile's <issue> for each domain issue */
    xmlNodePtr obj;
    int has_rv, has_df;
    double rv, df;
    /* derived */
    const char *id, *ev_id;
    double **score;
    double reservation, min_u, k;
} gx_profile;

static int gx_profile_discrete(gx *g, gx_profile *p, const gx_domain *dm, size_t i,
                               xmlNodePtr n)
{
    const gx_file *f = p->f;
    const gx_issue *is = &dm->issue[i];
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!gx_is(c, "item"))
            continue;
        const char *v;
        if (gx_attr(g, c, "value", &v) != 0)
            return -1;
        if (!v)
            return gx_fail_node(g, f, c, "an <item> of issue '%s' has no 'value' attribute",
                                is->name);
        size_t k;
        for (k = 0; k < is->n; k++)
            if (strcmp(is->label[k], v) == 0)
                break;
        if (k == is->n)
            return gx_fail_attr(g, f, c, "value",
                                "item '%s' of issue '%s' is not in the domain %s", v, is->name,
                                dm->f->base);
        char what[300];
        snprintf(what, sizeof what, "the evaluation of item '%s' of issue '%s'", v, is->name);
        /* A repeated item overrides the earlier one, as in GENIUS (a map). */
        if (gx_num(g, f, c, "evaluation", what, GX_REQUIRED | GX_NONNEG, NULL, &p->ev[i][k]))
            return -1;
        p->seen[i][k] = 1;
    }
    for (size_t k = 0; k < is->n; k++)
        if (!p->seen[i][k])
            return gx_fail_node(g, f, n, "issue '%s' gives no evaluation for its item '%s'",
                                is->name, is->label[k]);
    return 0;
}

/* Numeric issues: GENIUS's linear evaluators, clamped to [0, 1] as GENIUS
 * does. Integer: offset + slope * (x - lowerbound); real: parameter0 +
 * parameter1 * x, or the constant parameter0. */
static int gx_profile_numeric(gx *g, gx_profile *p, const gx_domain *dm, size_t i,
                              xmlNodePtr n)
{
    const gx_file *f = p->f;
    const gx_issue *is = &dm->issue[i];
    xmlNodePtr e = gx_child(n, "evaluator");
    if (!e)
        return gx_fail_node(g, f, n, "%s issue '%s' has no <evaluator>", GX_KIND[is->kind],
                            is->name);
    const char *ft;
    if (gx_attr(g, e, "ftype", &ft) != 0)
        return -1;
    int constant = ft && xmlStrcasecmp(BAD_CAST ft, BAD_CAST "constant") == 0;
    if (ft && !constant && xmlStrcasecmp(BAD_CAST ft, BAD_CAST "linear") != 0)
        return gx_fail_attr(g, f, e, "ftype",
                            "issue '%s' uses the evaluation function '%s'; parley imports "
                            "linear ones (and constant ones for real issues)",
                            is->name, ft);
    if (constant && is->kind == GX_INTEGER)
        return gx_fail_attr(g, f, e, "ftype",
                            "integer issue '%s' uses a constant evaluation function; GENIUS "
                            "supports only linear ones for integer issues",
                            is->name);
    char what[300];
    double a = 0, b = 0, lo = is->lo, hi = is->hi;
    if (is->kind == GX_INTEGER) {
        int present = 0;
        if (gx_bounds(g, f, n, is->name, is->kind, 0, &present, &lo, &hi) != 0)
            return -1;
        snprintf(what, sizeof what, "the slope of issue '%s'", is->name);
        if (gx_num(g, f, e, "slope", what, GX_REQUIRED, NULL, &b) != 0)
            return -1;
        snprintf(what, sizeof what, "the offset of issue '%s'", is->name);
        if (gx_num(g, f, e, "offset", what, GX_REQUIRED, NULL, &a) != 0)
            return -1;
    } else {
        snprintf(what, sizeof what, "parameter0 of issue '%s'", is->name);
        if (gx_num(g, f, e, "parameter0", what, GX_REQUIRED | (constant ? GX_NONNEG : 0), NULL,
                   &a) != 0)
            return -1;
        if (!constant) {
            snprintf(what, sizeof what, "parameter1 of issue '%s'", is->name);
            if (gx_num(g, f, e, "parameter1", what, GX_REQUIRED, NULL, &b) != 0)
                return -1;
        }
    }
    for (size_t k = 0; k < is->n; k++) {
        double x = is->value[k], u;
        if (constant)
            u = a;
        else {
            u = is->kind == GX_INTEGER ? a + b * (x - lo) : a + b * x;
            u = u < 0 ? 0 : u > 1 ? 1 : u;
        }
        if (!isfinite(u))
            return gx_fail_node(g, f, e, "the evaluation function of issue '%s' overflows",
                                is->name);
        p->ev[i][k] = u + 0.0;
        p->seen[i][k] = 1;
    }
    return 0;
}

static int gx_profile_issue(gx *g, gx_profile *p, const gx_domain *dm, xmlNodePtr n)
{
    const gx_file *f = p->f;
    const char *name;
    long index;
    if (gx_attr(g, n, "name", &name) != 0)
        return -1;
    char what[200];
    snprintf(what, sizeof what, "the index of issue '%s'", name ? name : "?");
    if (gx_index_attr(g, f, n, what, &index) != 0)
        return -1;
    int i = gx_lookup_issue(dm, index);
    if (i < 0)
        return gx_fail_attr(g, f, n, "index", "issue %ld%s%s%s is not in the domain %s", index,
                            name ? " ('" : "", name ? name : "", name ? "')" : "", dm->f->base);
    const gx_issue *is = &dm->issue[i];
    if (name && strcmp(name, is->name) != 0)
        return gx_fail_attr(g, f, n, "name", "issue %ld is named '%s' here but '%s' in the "
                                             "domain %s",
                            index, name, is->name, dm->f->base);
    if (p->inode[i]) {
        int line, col;
        gx_node_pos(f, p->inode[i], &line, &col);
        return gx_fail_node(g, f, n, "issue '%s' (index %ld) is evaluated twice (first on "
                                     "line %d)",
                            is->name, index, line);
    }
    p->inode[i] = n;
    int kind = is->kind;
    if (xmlHasNsProp(n, BAD_CAST "type", NULL) || xmlHasNsProp(n, BAD_CAST "etype", NULL) ||
        xmlHasNsProp(n, BAD_CAST "vtype", NULL))
        if (gx_issue_kind(g, f, n, is->name, &kind) != 0)
            return -1;
    if (kind != is->kind)
        return gx_fail_node(g, f, n, "issue '%s' is %s here but %s in the domain %s", is->name,
                            GX_KIND[kind], GX_KIND[is->kind], dm->f->base);
    if (is->kind == GX_DISCRETE)
        return gx_profile_discrete(g, p, dm, (size_t)i, n);
    return gx_profile_numeric(g, p, dm, (size_t)i, n);
}

/* Collects the profile's issues and objectives; weights are read afterwards,
 * when every index they may name is known. */
typedef struct gx_walk {
    xmlNodePtr *wnode;
    size_t n_w, cap_w;
    long *obj;
    size_t n_obj, cap_obj;
} gx_walk;

static int gx_profile_walk(gx *g, gx_profile *p, const gx_domain *dm, xmlNodePtr obj,
                           gx_walk *w)
{
    for (xmlNodePtr c = obj->children; c; c = c->next) {
        if (gx_is(c, "issue")) {
            if (gx_profile_issue(g, p, dm, c) != 0)
                return -1;
        } else if (gx_is(c, "weight")) {
            if (pl__grow((void **)&w->wnode, &w->cap_w, w->n_w + 1, sizeof *w->wnode) != 0)
                return gx_oom(g);
            w->wnode[w->n_w++] = c;
        } else if (gx_is(c, "objective")) {
            int present;
            double v;
            if (gx_num(g, p->f, c, "index", "the index of an objective",
                       GX_NONNEG | GX_INTEGRAL, &present, &v) != 0)
                return -1;
            if (present) {
                if (pl__grow((void **)&w->obj, &w->cap_obj, w->n_obj + 1, sizeof *w->obj) != 0)
                    return gx_oom(g);
                w->obj[w->n_obj++] = (long)v;
            }
            if (gx_profile_walk(g, p, dm, c, w) != 0)
                return -1;
        }
    }
    return 0;
}

static int gx_profile_weights(gx *g, gx_profile *p, const gx_domain *dm, const gx_walk *w)
{
    const gx_file *f = p->f;
    xmlNodePtr *wn = gx_array(g, dm->n_issue, sizeof *wn);
    if (!wn)
        return gx_oom(g);
    for (size_t k = 0; k < w->n_w; k++) {
        xmlNodePtr n = w->wnode[k];
        long index;
        if (gx_index_attr(g, f, n, "the index of a weight", &index) != 0)
            return -1;
        int i = gx_lookup_issue(dm, index);
        if (i < 0) {
            int objective = gx_is_objective(dm, index);
            for (size_t o = 0; o < w->n_obj && !objective; o++)
                objective = w->obj[o] == index;
            if (objective)
                continue; /* objective weights play no part in an additive utility */
            return gx_fail_attr(g, f, n, "index", "a weight names index %ld, which is no issue "
                                                  "of the domain %s",
                                index, dm->f->base);
        }
        if (wn[i]) {
            int line, col;
            gx_node_pos(f, wn[i], &line, &col);
            return gx_fail_node(g, f, n, "issue '%s' (index %ld) has two weights (the first on "
                                         "line %d)",
                                dm->issue[i].name, index, line);
        }
        wn[i] = n;
        char what[300];
        snprintf(what, sizeof what, "the weight of issue '%s'", dm->issue[i].name);
        if (gx_num(g, f, n, "value", what, GX_REQUIRED | GX_NONNEG, NULL, &p->w[i]) != 0)
            return -1;
    }
    double sum = 0;
    for (size_t i = 0; i < dm->n_issue; i++) {
        if (!p->inode[i])
            return gx_fail_node(g, f, p->obj, "missing issue: the profile gives no evaluation "
                                              "for issue '%s' (index %ld) of the domain %s",
                                dm->issue[i].name, dm->issue[i].index, dm->f->base);
        if (!wn[i])
            return gx_fail_node(g, f, p->obj, "missing weight: the profile gives no weight for "
                                              "issue '%s' (index %ld)",
                                dm->issue[i].name, dm->issue[i].index);
        sum += p->w[i];
    }
    if (!(sum > 0) || !isfinite(sum))
        return gx_fail_node(g, f, p->obj, "the issue weights %s; parley needs a positive, "
                                          "finite total",
                            sum > 0 ? "overflow" : "are all 0");
    return 0;
}

static int gx_read_profile(gx *g, gx_profile *p, const gx_domain *dm)
{
    const gx_file *f = p->f;
    size_t ni = dm->n_issue;
    p->w = gx_array(g, ni, sizeof *p->w);
    p->ev = gx_array(g, ni, sizeof *p->ev);
    p->seen = gx_array(g, ni, sizeof *p->seen);
    p->inode = gx_array(g, ni, sizeof *p->inode);
    p->score = gx_array(g, ni, sizeof *p->score);
    if (!p->w || !p->ev || !p->seen || !p->inode || !p->score)
        return gx_oom(g);
    for (size_t i = 0; i < ni; i++) {
        p->ev[i] = gx_array(g, dm->issue[i].n, sizeof **p->ev);
        p->seen[i] = gx_array(g, dm->issue[i].n, 1);
        p->score[i] = gx_array(g, dm->issue[i].n, sizeof **p->score);
        if (!p->ev[i] || !p->seen[i] || !p->score[i])
            return gx_oom(g);
    }
    xmlNodePtr us;
    if (gx_utility_space(g, f, "profile", &us) != 0)
        return -1;
    static const char *const singles[] = {"reservation", "discount_factor"};
    for (size_t s = 0; s < 2; s++) {
        xmlNodePtr first = gx_child(us, singles[s]);
        for (xmlNodePtr c = first ? first->next : NULL; c; c = c->next)
            if (gx_is(c, singles[s]))
                return gx_fail_node(g, f, c, "a second <%s>; a profile has at most one",
                                    singles[s]);
    }
    xmlNodePtr r = gx_child(us, "reservation");
    if (r && gx_num(g, f, r, "value", "the reservation value", GX_REQUIRED | GX_NONNEG, NULL,
                    &p->rv) != 0)
        return -1;
    p->has_rv = r != NULL;
    if (r && g->sem == PL_GENIUS_SEM_GENIUS && p->rv > 1)
        return gx_fail_attr(g, f, r, "value", "the reservation value must lie between 0 and 1 "
                                              "(a GENIUS utility), found %g",
                            p->rv);
    xmlNodePtr df = gx_child(us, "discount_factor");
    if (df && gx_num(g, f, df, "value", "the discount factor", GX_REQUIRED | GX_NONNEG, NULL,
                     &p->df) != 0)
        return -1;
    if (df && p->df > 1)
        return gx_fail_attr(g, f, df, "value", "the discount factor must lie between 0 and 1, "
                                               "found %g",
                            p->df);
    p->has_df = df != NULL;
    if (!(p->obj = gx_child(us, "objective")))
        return gx_fail_node(g, f, us, "missing issues: <utility_space> has no <objective>");
    gx_walk w;
    memset(&w, 0, sizeof w);
    int rc = gx_profile_walk(g, p, dm, p->obj, &w);
    if (rc == 0)
        rc = gx_profile_weights(g, p, dm, &w);
    pl__free(w.wnode);
    pl__free(w.obj);
    return rc;
}

/* ---- scores (docs/genius.md) -------------------------------------------- */

static void gx_scores(gx *g, gx_profile *p, const gx_domain *dm)
{
    size_t ni = dm->n_issue;
    double wsum = 0;
    for (size_t i = 0; i < ni; i++)
        wsum += p->w[i];
    if (g->sem == PL_GENIUS_SEM_GENIUS) {
        p->k = 100;
        for (size_t i = 0; i < ni; i++) {
            const gx_issue *is = &dm->issue[i];
            double max = 0;
            for (size_t k = 0; k < is->n; k++)
                if (p->ev[i][k] > max)
                    max = p->ev[i][k];
            for (size_t k = 0; k < is->n; k++) {
                if (is->kind != GX_DISCRETE)
                    p->score[i][k] = 100 * p->ev[i][k];
                else
                    /* e * 100 / max rather than e / max * 100: exact for whole
                     * multiples, and one rounding only. All 0: no preference. */
                    p->score[i][k] = max > 0 ? p->ev[i][k] * 100 / max : 0;
            }
        }
        p->reservation = p->has_rv ? 100 * p->rv : 0;
        return;
    }
    /* NegMAS: raw evaluations, put on parley's 0-100 scale when they already
     * are utilities in [0, 1]. */
    int unit = 1;
    for (size_t i = 0; i < ni; i++)
        for (size_t k = 0; k < dm->issue[i].n; k++)
            unit &= p->ev[i][k] <= 1;
    p->k = unit ? 100 : 1;
    double min_u = 0;
    for (size_t i = 0; i < ni; i++) {
        double lo = INFINITY;
        for (size_t k = 0; k < dm->issue[i].n; k++) {
            p->score[i][k] = p->k * p->ev[i][k];
            if (p->score[i][k] < lo)
                lo = p->score[i][k];
        }
        /* additive utility: the minimum is the sum of the per-issue minima */
        min_u += p->w[i] / wsum * lo;
    }
    p->min_u = min_u;
    double rv = p->has_rv ? p->k * p->rv : 0;
    p->reservation = rv > min_u ? rv : min_u;
}

/* ---- ids ---------------------------------------------------------------- */

typedef struct gx_ids {
    const char **id;
    size_t n, cap;
} gx_ids;

static int gx_is_keyword(const char *s)
{
    static const char *const kw[] = {"and", "or", "not", "implies", "in", "true", "false"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(s, kw[i]) == 0)
            return 1;
    return 0;
}

static int gx_id_taken(const gx_ids *ids, const char *s)
{
    for (size_t i = 0; i < ids->n; i++)
        if (strcmp(ids->id[i], s) == 0)
            return 1;
    return 0;
}

/* A parley id from free text: ASCII letters and digits lower-cased, every run
 * of anything else one '_' (in numbers '-' reads "m"), at most 63 characters.
 * Ids that would start with a digit, be empty or be a keyword of the
 * expression language get the prefix `kind`_; clashes get _2, _3, ... */
static const char *gx_make_id(gx *g, gx_ids *ids, const char *text, const char *kind,
                              int numeric)
{
    char buf[PL_MAX_ID + 1];
    size_t n = 0;
    int gap = 0;
    for (const char *s = text; *s && n < sizeof buf - 1; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (numeric && c == '-')
            c = 'm';
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && n > 0 && n < sizeof buf - 2)
                buf[n++] = '_';
            gap = 0;
            buf[n++] = c;
        } else {
            gap = 1;
        }
    }
    buf[n] = '\0';
    char base[PL_MAX_ID + 1];
    if (n == 0)
        snprintf(base, sizeof base, "%s", kind);
    else if ((buf[0] >= '0' && buf[0] <= '9') || gx_is_keyword(buf))
        snprintf(base, sizeof base, "%s_%.*s", kind, (int)(PL_MAX_ID - strlen(kind) - 1), buf);
    else
        snprintf(base, sizeof base, "%s", buf);
    char out[PL_MAX_ID + 1];
    snprintf(out, sizeof out, "%s", base);
    for (unsigned long k = 2; gx_id_taken(ids, out); k++) {
        char suffix[24];
        snprintf(suffix, sizeof suffix, "_%lu", k);
        size_t keep = strlen(base);
        if (keep + strlen(suffix) > PL_MAX_ID)
            keep = PL_MAX_ID - strlen(suffix);
        snprintf(out, sizeof out, "%.*s%s", (int)keep, base, suffix);
    }
    if (pl__grow((void **)&ids->id, &ids->cap, ids->n + 1, sizeof *ids->id) != 0)
        return NULL;
    char *s = gx_strdup(g, out);
    if (s)
        ids->id[ids->n++] = s;
    return s;
}

/* The base name of a path, and that without a trailing ".xml". */
static int gx_names(gx *g, gx_file *f)
{
    const char *b = f->name;
    for (const char *s = f->name; *s; s++)
        if (*s == '/' || *s == '\\')
            b = s + 1;
    f->base = b;
    size_t n = strlen(b);
    if (n > 4 && xmlStrcasecmp(BAD_CAST(b + n - 4), BAD_CAST ".xml") == 0)
        n -= 4;
    f->stem = gx_strndup(g, b, n);
    return f->stem ? 0 : gx_oom(g);
}

/* Actor ids from the profiles' file names: the words (runs of ASCII letters
 * and digits) the names do not all share at the start and at the end, so
 * laptop_buyer_utility.xml and laptop_seller_utility.xml give buyer and
 * seller. A single profile keeps its whole name. */
static int gx_actor_ids(gx *g, gx_profile *p, size_t np, gx_ids *ids)
{
    size_t *nw = gx_array(g, np, sizeof *nw);
    const char ***words = gx_array(g, np, sizeof *words);
    if (!nw || !words)
        return gx_oom(g);
    size_t minw = SIZE_MAX;
    for (size_t a = 0; a < np; a++) {
        const char *s = p[a].f->stem;
        size_t len = strlen(s);
        words[a] = gx_array(g, len / 2 + 1, sizeof **words);
        if (!words[a])
            return gx_oom(g);
        for (size_t i = 0; i < len;) {
            while (i < len && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                                (s[i] >= '0' && s[i] <= '9')))
                i++;
            size_t st = i;
            while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                               (s[i] >= '0' && s[i] <= '9')))
                i++;
            if (i > st && !(words[a][nw[a]++] = gx_strndup(g, s + st, i - st)))
                return gx_oom(g);
        }
        if (nw[a] < minw)
            minw = nw[a];
    }
    size_t pre = 0, suf = 0;
    if (np >= 2 && minw > 0) {
        for (;; pre++) {
            int same = pre < minw;
            for (size_t a = 1; a < np && same; a++)
                same = xmlStrcasecmp(BAD_CAST words[a][pre], BAD_CAST words[0][pre]) == 0;
            if (!same)
                break;
        }
        for (;; suf++) {
            int same = suf < minw;
            for (size_t a = 1; a < np && same; a++)
                same = xmlStrcasecmp(BAD_CAST words[a][nw[a] - 1 - suf],
                                     BAD_CAST words[0][nw[0] - 1 - suf]) == 0;
            if (!same)
                break;
        }
        /* every profile keeps at least one word of its own */
        while (pre + suf >= minw && suf > 0)
            suf--;
        while (pre + suf >= minw && pre > 0)
            pre--;
    }
    for (size_t a = 0; a < np; a++) {
        pl_buf b;
        pl_buf_init(&b);
        for (size_t k = pre; k + suf < nw[a]; k++) {
            if (k > pre)
                pl_buf_puts(&b, "_");
            pl_buf_puts(&b, words[a][k]);
        }
        if (b.oom) {
            pl_buf_free(&b);
            return gx_oom(g);
        }
        p[a].id = gx_make_id(g, ids, b.s ? b.s : "", "party", 0);
        pl_buf_free(&b);
        if (!p[a].id)
            return gx_oom(g);
    }
    return 0;
}

/* ---- YAML --------------------------------------------------------------- */

static void gx_num_out(pl_buf *b, double v)
{
    char buf[40];
    gx_fmt(buf, sizeof buf, v);
    pl_buf_puts(b, buf);
}

/* A YAML double-quoted string. Control characters (C0, DEL, C1) and the
 * Unicode line separators are escaped; bytes that are not UTF-8 (possible
 * only in file names) become U+FFFD. */
static void gx_str(pl_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    pl_buf_puts(b, "\"");
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            pl_buf_add(b, "\\", 1);
            pl_buf_add(b, (const char *)p, 1);
            p++;
        } else if (c < 0x20 || c == 0x7F) {
            pl_buf_printf(b, "\\x%02X", c);
            p++;
        } else if (c < 0x80) {
            pl_buf_add(b, (const char *)p, 1);
            p++;
        } else {
            size_t k = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
            int ok = k > 0 && !(k == 1 && c < 0xC2);
            for (size_t j = 1; ok && j <= k; j++)
                ok = (p[j] & 0xC0) == 0x80;
            unsigned long cp = 0;
            if (ok) {
                cp = c & (0x3F >> k);
                for (size_t j = 1; j <= k; j++)
                    cp = cp << 6 | (p[j] & 0x3F);
                static const unsigned long minimum[] = {0, 0x80, 0x800, 0x10000};
                ok = cp >= minimum[k] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) &&
                     cp != 0xFFFE && cp != 0xFFFF;
            }
            if (!ok) {
                pl_buf_puts(b, "\\uFFFD");
                p++;
            } else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                       cp == 0xFEFF) {
                pl_buf_printf(b, "\\u%04lX", cp);
                p += k + 1;
            } else {
                pl_buf_add(b, (const char *)p, k + 1);
                p += k + 1;
            }
        }
    }
    pl_buf_puts(b, "\"");
}

static void gx_emit(gx *g, pl_buf *b, const gx_domain *dm, const gx_profile *p, size_t np,
                    const char *scen_id, const char *dom_ev)
{
    int negmas = g->sem == PL_GENIUS_SEM_NEGMAS;
    const char *semname = negmas ? "NegMAS" : "GENIUS";
    pl_buf_printf(b, "# Imported by 'parley import genius' (%s semantics; docs/genius.md).\n",
                  negmas ? "negmas" : "genius");
    pl_buf_puts(b, "parley: 1\nscenario:\n");
    pl_buf_printf(b, "  id: %s\n  name: ", scen_id);
    gx_str(b, dm->f->stem);
    pl_buf_puts(b, "\n  description: ");
    pl_buf desc;
    pl_buf_init(&desc);
    pl_buf_printf(&desc, "GENIUS domain %s with %zu profile%s, read with %s semantics: ",
                  dm->f->base, np, np == 1 ? "" : "s", semname);
    if (negmas)
        pl_buf_puts(&desc, "raw evaluations (x 100 for a profile whose evaluations all lie in "
                           "[0, 1]); reservation at max(reservation value, minimum utility).");
    else
        pl_buf_puts(&desc, "each evaluation divided by the best in its issue (best = 100); "
                           "reservation = reservation value x 100.");
    pl_buf_puts(&desc, " Status quo: the first option of each issue (GENIUS has none).");
    if (desc.oom)
        b->oom = 1;
    gx_str(b, desc.s ? desc.s : "");
    pl_buf_free(&desc);

    pl_buf_puts(b, "\n\nevidence:\n");
    pl_buf_printf(b, "  - id: %s\n    source: {outlet: GENIUS, title: ", dom_ev);
    gx_str(b, dm->f->base);
    pl_buf_puts(b, ", date: " GX_FIXED_DATE "}\n    reliability: single\n    note: ");
    gx_str(b, "GENIUS domain file. GENIUS files carry no date: " GX_FIXED_DATE
              " is a fixed placeholder, so the output does not change from run to run.");
    pl_buf_puts(b, "\n");
    for (size_t a = 0; a < np; a++) {
        pl_buf_printf(b, "  - id: %s\n    source: {outlet: GENIUS, title: ", p[a].ev_id);
        gx_str(b, p[a].f->base);
        pl_buf_puts(b, ", date: " GX_FIXED_DATE "}\n    reliability: single\n    note: ");
        pl_buf note;
        pl_buf_init(&note);
        pl_buf_printf(&note, "GENIUS utility profile; ");
        char n1[40];
        if (p[a].has_rv) {
            gx_fmt(n1, sizeof n1, p[a].rv);
            pl_buf_printf(&note, "reservation value %s; ", n1);
        } else {
            pl_buf_puts(&note, "no reservation value (GENIUS's default 0); ");
        }
        if (p[a].has_df) {
            gx_fmt(n1, sizeof n1, p[a].df);
            pl_buf_printf(&note, "discount factor %s (not modelled: parley has no clock). ",
                          n1);
        } else {
            pl_buf_puts(&note, "no discount factor. ");
        }
        pl_buf_puts(&note, GX_FIXED_DATE " is a fixed placeholder date.");
        if (note.oom)
            b->oom = 1;
        gx_str(b, note.s ? note.s : "");
        pl_buf_free(&note);
        pl_buf_puts(b, "\n");
    }

    pl_buf_puts(b, "\nactors:\n");
    for (size_t a = 0; a < np; a++) {
        char n1[40], n2[40];
        pl_buf_printf(b, "  - id: %s\n    name: ", p[a].id);
        gx_str(b, p[a].f->stem);
        pl_buf_puts(b, "\n    role: party\n    veto: true\n    capability: {value: 1, assume: ");
        pl_buf why;
        pl_buf_init(&why);
        pl_buf_printf(&why, "GENIUS profile %s: GENIUS has no capability; every party counts "
                            "the same", p[a].f->base);
        gx_str(b, why.s ? why.s : "");
        pl_buf_free(&why);
        pl_buf_puts(b, "}\n    reservation: {value: ");
        gx_num_out(b, p[a].reservation);
        pl_buf_puts(b, ", assume: ");
        pl_buf_init(&why);
        gx_fmt(n1, sizeof n1, p[a].rv);
        if (!negmas) {
            if (p[a].has_rv)
                pl_buf_printf(&why, "GENIUS profile %s, reservation value %s x 100",
                              p[a].f->base, n1);
            else
                pl_buf_printf(&why, "GENIUS profile %s has no reservation value; GENIUS's "
                                    "default 0", p[a].f->base);
        } else {
            gx_fmt(n2, sizeof n2, p[a].min_u);
            pl_buf_printf(&why, "GENIUS profile %s, NegMAS semantics: max(reservation value %s "
                                "x %g, minimum utility %s)",
                          p[a].f->base, p[a].has_rv ? n1 : "0 (absent)", p[a].k, n2);
        }
        if (why.oom)
            b->oom = 1;
        gx_str(b, why.s ? why.s : "");
        pl_buf_free(&why);
        pl_buf_printf(b, "}\n    evidence: [%s]\n", p[a].ev_id);
    }

    pl_buf_puts(b, "\nissues:\n");
    for (size_t i = 0; i < dm->n_issue; i++) {
        const gx_issue *is = &dm->issue[i];
        pl_buf_printf(b, "  - id: %s\n    name: ", is->id);
        gx_str(b, is->name);
        pl_buf_printf(b, "\n    status_quo: %s\n    evidence: [%s]\n    options:\n",
                      is->opt_id[0], dom_ev);
        for (size_t k = 0; k < is->n; k++) {
            double pos;
            if (is->kind == GX_DISCRETE)
                pos = 100.0 * (double)k / (double)(is->n - 1);
            else
                pos = 100.0 * (is->value[k] - is->lo) / (is->hi - is->lo);
            if (k == is->n - 1)
                pos = 100;
            pl_buf_printf(b, "      - {id: %s, label: ", is->opt_id[k]);
            gx_str(b, is->label[k]);
            pl_buf_puts(b, ", position: ");
            gx_num_out(b, pos);
            if (is->kind != GX_DISCRETE) {
                pl_buf_puts(b, ", attrs: {value: ");
                gx_num_out(b, is->value[k]);
                pl_buf_puts(b, "}");
            }
            pl_buf_puts(b, "}\n");
        }
    }

    pl_buf_puts(b, "\npreferences:\n");
    for (size_t a = 0; a < np; a++) {
        pl_buf_printf(b, "  %s:\n    evidence: [%s]\n    weights:\n", p[a].id, p[a].ev_id);
        for (size_t i = 0; i < dm->n_issue; i++) {
            pl_buf_printf(b, "      %s: ", dm->issue[i].id);
            gx_num_out(b, p[a].w[i]);
            pl_buf_puts(b, "\n");
        }
        pl_buf_puts(b, "    scores:\n");
        for (size_t i = 0; i < dm->n_issue; i++) {
            pl_buf_printf(b, "      %s: [", dm->issue[i].id);
            for (size_t k = 0; k < dm->issue[i].n; k++) {
                if (k)
                    pl_buf_puts(b, ", ");
                gx_num_out(b, p[a].score[i][k]);
            }
            pl_buf_puts(b, "]\n");
        }
    }
}

/* ---- entry points ------------------------------------------------------- */

static pl_status gx_status(const gx *g)
{
    return g->diag->status == PL_OK ? PL_E_INTERNAL : g->diag->status;
}

pl_status pl_import_genius_buffers(const pl_genius_input *domain,
                                   const pl_genius_input *profiles, size_t n_profiles,
                                   pl_genius_semantics semantics, char **yaml, pl_diag *diag)
{
    pl_diag local;
    if (!diag)
        diag = &local;
    memset(diag, 0, sizeof *diag);
    if (yaml)
        *yaml = NULL;
    if (!yaml || !domain || (!domain->data && domain->len) || (n_profiles && !profiles) ||
        (semantics != PL_GENIUS_SEM_GENIUS && semantics != PL_GENIUS_SEM_NEGMAS)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_import_genius: invalid argument");
        return PL_E_ARG;
    }
    for (size_t a = 0; a < n_profiles; a++)
        if (!profiles[a].data && profiles[a].len) {
            pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_import_genius: invalid argument");
            return PL_E_ARG;
        }
    const char *dname = domain->name ? domain->name : "<domain>";
    if (n_profiles == 0) {
        pl__diag_set(diag, PL_E_INPUT, dname, 0, 0, "no profiles: give at least one GENIUS "
                                                    "utility profile after the domain");
        return PL_E_INPUT;
    }
    if (n_profiles > PL_MAX_ACTORS) {
        pl__diag_set(diag, PL_E_INPUT, profiles[PL_MAX_ACTORS].name, 0, 0,
                     "too many profiles: %zu (parley allows at most %d actors)", n_profiles,
                     PL_MAX_ACTORS);
        return PL_E_INPUT;
    }

    gx g;
    memset(&g, 0, sizeof g);
    g.diag = diag;
    g.sem = semantics;
    gx_domain dm;
    memset(&dm, 0, sizeof dm);
    gx_file *files = gx_array(&g, n_profiles + 1, sizeof *files);
    gx_profile *p = gx_array(&g, n_profiles, sizeof *p);
    gx_ids issue_ids = {0}, actor_ids = {0}, ev_ids = {0}, scen_ids = {0}, opt_ids = {0};
    pl_buf out;
    pl_buf_init(&out);
    int rc = -1;
    if (!files || !p) {
        gx_oom(&g);
        goto done;
    }
    for (size_t k = 0; k <= n_profiles; k++) {
        const pl_genius_input *in = k == 0 ? domain : &profiles[k - 1];
        files[k].name = in->name ? in->name : k == 0 ? "<domain>" : "<profile>";
        files[k].data = in->data ? in->data : "";
        files[k].len = in->len;
        if (gx_names(&g, &files[k]) != 0)
            goto done;
    }
    dm.f = &files[0];
    if (gx_parse(&g, dm.f) != 0 || gx_read_domain(&g, &dm) != 0)
        goto done;
    for (size_t a = 0; a < n_profiles; a++) {
        p[a].f = &files[a + 1];
        if (gx_parse(&g, p[a].f) != 0 || gx_read_profile(&g, &p[a], &dm) != 0)
            goto done;
        gx_scores(&g, &p[a], &dm);
    }

    /* ids: issues, then each issue's options, actors, evidence */
    for (size_t i = 0; i < dm.n_issue; i++) {
        gx_issue *is = &dm.issue[i];
        if (!(is->id = gx_make_id(&g, &issue_ids, is->name, "issue", 0)) ||
            !(is->opt_id = gx_array(&g, is->n, sizeof *is->opt_id))) {
            gx_oom(&g);
            goto done;
        }
        opt_ids.n = 0;
        for (size_t k = 0; k < is->n; k++) {
            /* numeric options: "v" and the number (250 -> v250, -5 -> vm5) */
            char num[48];
            snprintf(num, sizeof num, "v%s", is->label[k]);
            if (!(is->opt_id[k] = gx_make_id(&g, &opt_ids,
                                             is->kind == GX_DISCRETE ? is->label[k] : num,
                                             is->kind == GX_DISCRETE ? "opt" : "v",
                                             is->kind != GX_DISCRETE))) {
                gx_oom(&g);
                goto done;
            }
        }
    }
    if (gx_actor_ids(&g, p, n_profiles, &actor_ids) != 0)
        goto done;
    const char *dom_ev = gx_make_id(&g, &ev_ids, "e_domain", "e", 0);
    const char *scen_id = gx_make_id(&g, &scen_ids, dm.f->stem, "scenario", 0);
    if (!dom_ev || !scen_id) {
        gx_oom(&g);
        goto done;
    }
    for (size_t a = 0; a < n_profiles; a++) {
        char text[PL_MAX_ID + 3];
        snprintf(text, sizeof text, "e_%s", p[a].id);
        if (!(p[a].ev_id = gx_make_id(&g, &ev_ids, text, "e", 0))) {
            gx_oom(&g);
            goto done;
        }
    }
    gx_emit(&g, &out, &dm, p, n_profiles, scen_id, dom_ev);
    if (out.oom) {
        gx_oom(&g);
        goto done;
    }
    *yaml = pl_buf_take(&out);
    if (!*yaml) {
        gx_oom(&g);
        goto done;
    }
    rc = 0;
done:;
    pl_status st = rc == 0 ? PL_OK : gx_status(&g);
    for (size_t k = 0; files && k <= n_profiles; k++)
        xmlFreeDoc(files[k].doc);
    pl_buf_free(&out);
    pl__free(dm.issue);
    pl__free(dm.obj);
    pl__free(issue_ids.id);
    pl__free(actor_ids.id);
    pl__free(ev_ids.id);
    pl__free(scen_ids.id);
    pl__free(opt_ids.id);
    gx_pool_free(&g);
    if (st == PL_OK)
        memset(diag, 0, sizeof *diag);
    return st;
}

static pl_status gx_read_file(const char *path, char **buf, size_t *len, pl_diag *diag)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        return PL_E_IO;
    }
    size_t cap = 0;
    for (;;) {
        if (pl__grow((void **)buf, &cap, *len + 65536, 1) != 0) {
            fclose(f);
            pl__free(*buf);
            *buf = NULL;
            pl__diag_set(diag, PL_E_NOMEM, path, 0, 0, "out of memory");
            return PL_E_NOMEM;
        }
        size_t got = fread(*buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0 || *len > PL_MAX_FILE_BYTES)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        pl__free(*buf);
        *buf = NULL;
        pl__diag_set(diag, PL_E_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        return PL_E_IO;
    }
    return PL_OK;
}

pl_status pl_import_genius(const char *domain_path, const char *const *profile_paths,
                           size_t n_profiles, pl_genius_semantics semantics, char **yaml,
                           pl_diag *diag)
{
    pl_diag local;
    if (!diag)
        diag = &local;
    memset(diag, 0, sizeof *diag);
    if (yaml)
        *yaml = NULL;
    if (!domain_path || !yaml || (n_profiles && !profile_paths)) {
        pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_import_genius: invalid argument");
        return PL_E_ARG;
    }
    for (size_t a = 0; a < n_profiles; a++)
        if (!profile_paths[a]) {
            pl__diag_set(diag, PL_E_ARG, NULL, 0, 0, "pl_import_genius: invalid argument");
            return PL_E_ARG;
        }
    if (n_profiles > PL_MAX_ACTORS)
        n_profiles = PL_MAX_ACTORS + 1; /* read no more than needed to say so */
    pl_genius_input *in = pl__calloc(n_profiles + 1, sizeof *in);
    if (!in) {
        pl__diag_set(diag, PL_E_NOMEM, NULL, 0, 0, "out of memory");
        return PL_E_NOMEM;
    }
    pl_status st = PL_OK;
    for (size_t k = 0; k <= n_profiles && st == PL_OK; k++) {
        char *buf;
        in[k].name = k == 0 ? domain_path : profile_paths[k - 1];
        st = gx_read_file(in[k].name, &buf, &in[k].len, diag);
        in[k].data = buf;
    }
    if (st == PL_OK)
        st = pl_import_genius_buffers(&in[0], in + 1, n_profiles, semantics, yaml, diag);
    for (size_t k = 0; k <= n_profiles; k++)
        pl__free((void *)in[k].data);
    pl__free(in);
    return st;
}
