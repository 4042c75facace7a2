/* Exact best/worst completion of a partial package for one actor, by
 * branch and bound over the open issues. Internal. */
#ifndef PL_SEARCH_H
#define PL_SEARCH_H

#include "core/model.h"

/* Find the feasible completion of pkg (-1 = open) that maximises (sign = +1)
 * or minimises (sign = -1) actor a's utility. Feasible: keeps every active
 * global constraint. Ties go to the completion met first (deterministic).
 * Returns 1 and fills *u / out (n_issues) when one exists, 0 when no
 * completion is feasible, -1 on allocation failure. */
int search_extreme(const pl_scenario *sc, size_t a, const long *pkg, int sign, double *u,
                   long *out);

/* 1 when the complete package keeps every active global constraint; the
 * first broken constraint's pool index in *broken otherwise (0 returned). */
int model_feasible(const pl_scenario *sc, const long *pkg, long *broken);

#endif
