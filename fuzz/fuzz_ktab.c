/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the KTAB SMP CSV reader (src/smp/smp_ktab.c). Beyond
 * crashes and leaks it checks the reader's promises and aborts when one is
 * broken: a failure produces no model and a placed diagnostic; a success
 * produces a model that validates, and a short forecast of a small one runs.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *       fuzz/fuzz_ktab.c src/smp/smp_ktab.c src/smp/smp_model.c \
 *       src/smp/smp_engine.c src/smp/smp_bdm.c src/util/util.c \
 *       -lm -lpthread -o fuzz_ktab
 *   ./fuzz_ktab fuzz/corpus/ktab
 *
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_smp_model *m = (pl_smp_model *)&m;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_status st = pl_smp_read_ktab("fuzz.csv", (const char *)data, size, &m, &d);
    if (st != PL_OK) {
        if (m != NULL || d.status != st || !d.message[0])
            abort();
        if (st == PL_E_INPUT && d.line < 0)
            abort();
        return 0;
    }
    if (!m || pl_smp_model_validate(m, &d) != PL_OK)
        abort();
    pl_smp_model_info mi;
    pl_smp_model_get_info(m, &mi);
    if (mi.n_actors <= 12 && mi.n_dims <= 4) {
        pl_smp_params p = mi.params;
        p.max_rounds = 3;
        p.threads = 1;
        pl_smp_result *r;
        if (pl_smp_run(m, &p, &r, &d) != PL_OK)
            abort();
        const double *x = pl_smp_result_positions(r, pl_smp_result_states(r) - 1);
        for (size_t i = 0; i < mi.n_actors * mi.n_dims; i++)
            if (!(x[i] >= 0 && x[i] <= 100))
                abort();
        pl_smp_result_free(r);
    }
    pl_smp_model_free(m);
    return 0;
}
