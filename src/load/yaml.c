/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "load/yaml.h"

#include <libfyaml.h>
#include <string.h>

#include "util/util.h"

typedef struct frame {
    ynode *node;
    ynode **kids;
    size_t n, cap;
} frame;

static void silent_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d; (void)user; (void)buf; (void)len;
}

static void mark_of(struct fy_event *fye, ynode *n)
{
    const struct fy_mark *m = fy_event_start_mark(fye);
    if (m) {
        n->line = m->line + 1;
        n->col = m->column + 1;
        n->pos = m->input_pos;
    }
}

/* libfyaml marks some tokens (quoted scalars, aliases) just after their
 * opening character; diagnostics should point at the character itself. */
static void back_to(ynode *n, const char *buf, size_t len, char c)
{
    if (n->pos > 0 && n->pos <= len && buf[n->pos - 1] == c && n->col > 1) {
        n->pos--;
        n->col--;
    }
}

static void mark_token(struct fy_token *t, int *line, int *col)
{
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

static int push_kid(frame *f, ynode *kid)
{
    if (pl__grow((void **)&f->kids, &f->cap, f->n + 1, sizeof *f->kids) != 0)
        return -1;
    f->kids[f->n++] = kid;
    return 0;
}

int yaml_parse(pl_arena *arena, const char *file, const char *buf, size_t len,
               ynode **root, pl_diag *diag)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    struct fy_diag *fyd = fy_diag_create(&dcfg);
    if (!fyd) {
        pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
        return -1;
    }
    fy_diag_set_collect_errors(fyd, true);
    struct fy_parse_cfg cfg = {
        .search_path = "",
        .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_DISABLE_MMAP_OPT,
        .userdata = NULL,
        .diag = fyd,
    };
    struct fy_parser *fyp = fy_parser_create(&cfg);
    frame stack[YAML_MAX_DEPTH + 1];
    size_t depth = 0;
    int rc = -1, docs = 0, done = 0;
    *root = NULL;
    if (!fyp || fy_parser_set_string(fyp, buf, len) != 0) {
        pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
        goto out;
    }
    for (;;) {
        struct fy_event *fye = fy_parser_parse(fyp);
        if (!fye) {
            if (fy_parser_get_stream_error(fyp)) {
                void *it = NULL;
                struct fy_diag_error *err = fy_diag_errors_iterate(fyd, &it);
                if (err)
                    /* libfyaml's collected errors are already 1-based */
                    pl__diag_set(diag, PL_E_INPUT, file, err->line, err->column,
                                 "invalid YAML: %s", err->msg ? err->msg : "syntax error");
                else
                    pl__diag_set(diag, PL_E_INPUT, file, 0, 0, "invalid YAML");
                goto out;
            }
            break;
        }
        ynode *node = NULL;
        int err = 0;
        switch (fye->type) {
        case FYET_DOCUMENT_START:
            if (++docs > 1) {
                ynode tmp = {0};
                mark_of(fye, &tmp);
                pl__diag_set(diag, PL_E_INPUT, file, tmp.line, tmp.col,
                             "expected a single YAML document, found a second one");
                err = 1;
            }
            break;
        case FYET_ALIAS: {
            ynode tmp = {0};
            mark_of(fye, &tmp);
            back_to(&tmp, buf, len, '*');
            pl__diag_set(diag, PL_E_INPUT, file, tmp.line, tmp.col,
                         "YAML aliases are not supported: write the value out");
            err = 1;
            break;
        }
        case FYET_SCALAR:
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START: {
            struct fy_token *tag = fye->type == FYET_SCALAR ? fye->scalar.tag
                                 : fye->type == FYET_MAPPING_START ? fye->mapping_start.tag
                                 : fye->sequence_start.tag;
            node = arena_alloc(arena, sizeof *node);
            if (!node) {
                pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
                err = 1;
                break;
            }
            mark_of(fye, node);
            if (node->line == 0 && depth > 0) {
                /* An empty value has no position of its own: use the key's
                 * (or the enclosing collection's). */
                frame *f = &stack[depth - 1];
                const ynode *near = f->n > 0 ? f->kids[f->n - 1] : f->node;
                node->line = near->line;
                node->col = near->col;
                node->pos = near->pos;
            }
            if (tag) {
                int tl = node->line, tc = node->col;
                mark_token(tag, &tl, &tc);
                pl__diag_set(diag, PL_E_INPUT, file, tl, tc, "YAML tags are not supported");
                err = 1;
                break;
            }
            if (fye->type == FYET_SCALAR) {
                size_t tl = 0;
                const char *t = fy_token_get_text(fye->scalar.value, &tl);
                node->type = YN_SCALAR;
                switch (fy_token_scalar_style(fye->scalar.value)) {
                case FYSS_SINGLE_QUOTED: node->style = YS_SINGLE; break;
                case FYSS_DOUBLE_QUOTED: node->style = YS_DOUBLE; break;
                case FYSS_LITERAL: node->style = YS_LITERAL; break;
                case FYSS_FOLDED: node->style = YS_FOLDED; break;
                default: node->style = YS_PLAIN; break;
                }
                if (node->style == YS_SINGLE)
                    back_to(node, buf, len, '\'');
                else if (node->style == YS_DOUBLE)
                    back_to(node, buf, len, '"');
                node->text = arena_strndup(arena, t ? t : "", t ? tl : 0);
                node->len = t ? tl : 0;
                if (!node->text) {
                    pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
                    err = 1;
                    break;
                }
            } else {
                node->type = fye->type == FYET_MAPPING_START ? YN_MAP : YN_SEQ;
            }
            if (depth > 0 && stack[depth - 1].node->type == YN_MAP &&
                stack[depth - 1].n % 2 == 0 && node->type != YN_SCALAR) {
                pl__diag_set(diag, PL_E_INPUT, file, node->line, node->col,
                             "mapping keys must be plain names, found %s",
                             node->type == YN_MAP ? "a mapping" : "a list");
                err = 1;
                break;
            }
            if (depth > 0 && push_kid(&stack[depth - 1], node) != 0) {
                pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
                err = 1;
                break;
            }
            if (depth == 0) {
                if (*root) {
                    err = 1;
                    pl__diag_set(diag, PL_E_INTERNAL, file, node->line, node->col,
                                 "two root nodes");
                    break;
                }
                *root = node;
            }
            if (node->type != YN_SCALAR) {
                if (depth >= YAML_MAX_DEPTH) {
                    pl__diag_set(diag, PL_E_INPUT, file, node->line, node->col,
                                 "nesting deeper than %d levels", YAML_MAX_DEPTH);
                    err = 1;
                    break;
                }
                stack[depth].node = node;
                stack[depth].kids = NULL;
                stack[depth].n = stack[depth].cap = 0;
                depth++;
            }
            break;
        }
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: {
            if (depth == 0)
                break;
            frame *f = &stack[--depth];
            ynode *n = f->node;
            n->kid = arena_alloc(arena, sizeof *n->kid * (f->n ? f->n : 1));
            if (!n->kid) {
                pl__free(f->kids);
                pl__diag_set(diag, PL_E_NOMEM, file, 0, 0, "out of memory");
                err = 1;
                break;
            }
            if (f->n)
                memcpy(n->kid, f->kids, sizeof *n->kid * f->n);
            n->n = n->type == YN_MAP ? f->n / 2 : f->n;
            pl__free(f->kids);
            break;
        }
        case FYET_STREAM_END:
            done = 1;
            break;
        default:
            break;
        }
        fy_parser_event_free(fyp, fye);
        if (err)
            goto out;
        if (done)
            break;
    }
    if (!*root) {
        pl__diag_set(diag, PL_E_INPUT, file, 1, 1, "the file holds no YAML document");
        goto out;
    }
    rc = 0;
out:
    while (depth > 0)
        pl__free(stack[--depth].kids);
    if (fyp)
        fy_parser_destroy(fyp);
    fy_diag_destroy(fyd);
    if (rc != 0)
        *root = NULL;
    return rc;
}
