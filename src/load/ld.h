/* The loader's toolkit, for the parsers of lens-specific sections
 * (`conflict:`, `forecast:`, `war:`). A section parser receives the YAML node
 * of its section after the core model (actors, issues, evidence, preferences,
 * proposals, timeline) is loaded, so it can resolve references to it, and
 * reports errors through ld_fail() with the same precision as the core.
 * Internal. */
#ifndef PL_LD_H
#define PL_LD_H

#include <stdarg.h>
#include "core/model.h"
#include "load/yaml.h"

typedef struct ld ld;

pl_scenario *ld_scenario(ld *L);
const char *ld_file(ld *L);

/* Every failure returns -1 after filling the diagnostic. */
int ld_fail(ld *L, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ld_oom(ld *L);
void *ld_alloc(ld *L, size_t n); /* zeroed, freed with the scenario */

ynode *ld_get(const ynode *m, const char *key);                 /* NULL when absent */
ynode *ld_need(ld *L, const ynode *m, const char *key, const char *what);
int ld_expect_map(ld *L, const ynode *n, const char *what);
int ld_expect_seq(ld *L, const ynode *n, const char *what);
/* allowed: NULL-terminated; unknown keys get "did you mean", duplicates fail */
int ld_check_keys(ld *L, const ynode *m, const char *const *allowed, const char *what);

int ld_str(ld *L, const ynode *n, const char *what, const char **out);
int ld_id(ld *L, const ynode *n, const char *what, const char **out);
int ld_bool(ld *L, const ynode *n, const char *what, int *out);
int ld_double(ld *L, const ynode *n, const char *what, double *out);
int ld_date(ld *L, const ynode *n, const char *what, const char **out);

/* References to the core model; -1 (diagnostic filled) when unknown. */
long ld_actor(ld *L, const ynode *n);
long ld_issue(ld *L, const ynode *n);
long ld_option(ld *L, const ynode *n, size_t issue);
long ld_evidence(ld *L, const ynode *n);

/* A citation ('evidence:' ids and/or 'assume:') of mapping m. */
int ld_cite(ld *L, const ynode *m, pl_cite *out);

/* A number in any form of docs/format.md (plain, cited, distribution), into
 * the scenario's number pool; *out is its index (sc->num[*out].value is the
 * central value). lo/hi bound the whole distribution (NAN: unbounded); desc
 * says the bound in words ("between 0 and 1"). */
int ld_num(ld *L, const ynode *n, const char *path, const char *what, double lo, double hi,
           const char *desc, int *out);

/* Lens sections. A parser stores its model in sc->ext[slot] and the function
 * that frees it in sc->ext_free[slot]. */
typedef int (*ld_section_fn)(ld *L, const ynode *section);
typedef struct ld_section {
    const char *name;
    ld_section_fn parse;
} ld_section;

extern const ld_section ld_sections[];

#endif
