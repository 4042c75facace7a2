/* The expression language of red lines, constraints and interaction terms
 * (grammar in docs/format.md), compiled to a postfix program of set-membership
 * tests so that later analyses can evaluate it billions of times, and evaluate
 * it on partial packages with three-valued (Kleene) logic. Internal. */
#ifndef PL_EXPR_H
#define PL_EXPR_H

#include <stddef.h>
#include <stdint.h>

/* Instructions of a compiled expression, in postfix order. */
enum {
    PX_TEST = 1,   /* push (option of issue `issue` is in `set`) */
    PX_TRUE,       /* push true */
    PX_FALSE,      /* push false */
    PX_NOT,        /* pop a, push not a */
    PX_AND,        /* pop b, pop a, push a and b */
    PX_OR,         /* pop b, pop a, push a or b */
    PX_IMPLIES     /* pop b, pop a, push (not a) or b */
};

typedef struct px_instr {
    uint32_t op;
    uint32_t issue; /* PX_TEST only */
    uint64_t set;   /* PX_TEST only: bit k set = option k satisfies the test */
} px_instr;

typedef struct px_expr {
    px_instr *code;    /* allocated with pl__malloc */
    size_t n;
    size_t max_depth;  /* evaluation stack depth needed */
} px_expr;

/* What the compiler needs to know about the scenario. Every callback gets ud.
 * Names are given as (pointer, length), not NUL-terminated. */
typedef struct px_symbols {
    void *ud;
    size_t n_issues;
    /* issue index for a name, or -1 */
    long (*find_issue)(void *ud, const char *name, size_t len);
    /* number of options of an issue (1..64) */
    size_t (*n_options)(void *ud, size_t issue);
    /* option index for a name, or -1 */
    long (*find_option)(void *ud, size_t issue, const char *name, size_t len);
    /* 0 and *value set when the option has the attribute, -1 when it does not */
    int (*attr)(void *ud, size_t issue, size_t option, const char *name, size_t len,
                double *value);
    /* names, for "did you mean" suggestions */
    const char *(*issue_name)(void *ud, size_t issue);
    const char *(*option_name)(void *ud, size_t issue, size_t option);
} px_symbols;

typedef struct px_error {
    size_t offset;     /* 0-based byte offset into the source where the error is */
    char msg[256];
} px_error;

/* Compile src[0..len). Returns 0 on success; -1 on a syntax or reference error
 * (err filled; out untouched); -2 when out of memory. Messages are complete
 * sentences without a trailing period, e.g.
 *   "unknown option 'cap_900k' of issue 'army_cap' (did you mean 'cap_800k'?)",
 *   "expected an option id after '=='", "unbalanced parenthesis". */
int px_compile(const char *src, size_t len, const px_symbols *sym, px_expr *out,
               px_error *err);

void px_free(px_expr *e);

/* Evaluate on a complete package: choice[i] = option index of issue i.
 * Returns 1 or 0. */
int px_eval(const px_expr *e, const uint8_t *choice);

/* Evaluate on a partial package: choice[i] = option index, or -1 when open.
 * Returns 1 (true for every completion), 0 (false for every completion) or -1
 * (undecided by Kleene logic; a tautology over open issues such as
 * "a == x or a != x" also gives -1, so 1 and 0 are exact, -1 is conservative).
 * Kleene logic: a test on an open issue is undecided unless its set
 * is empty or contains every option (then it is decided); and/or/not/implies
 * follow the strong Kleene tables. n_options[i] gives the option count of issue
 * i (needed to recognise a full set). */
int px_eval3(const px_expr *e, const long *choice, const size_t *n_options);

/* Mark in used[i] (n_issues entries, zeroed by the caller) every issue the
 * expression tests. */
void px_issues_used(const px_expr *e, unsigned char *used);

#endif
