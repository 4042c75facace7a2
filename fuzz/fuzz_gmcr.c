/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the GMCR conflict readers (gmcr-json/1 and GMCR+
 * .gmcr): any bytes must give a conflict or a diagnostic, never a crash or a
 * leak. A diagnostic for text that is valid JSON (a semantic error) must have
 * a position inside the input: its values are located by path. Accepted
 * conflicts that are small enough are also analysed, explained
 * and written back, and the verdicts of the two engines (the fast one and the
 * generic one, reached through a one-DM-per-coalition partition) must agree.
 *
 *   (build as in fuzz/CMakeLists.txt, then)
 *   ./fuzz-build/fuzz/fuzz_gmcr -max_len=16384 fuzz/corpus/gmcr
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether line:col (1-based, columns in UTF-8 characters) lies within the
 * input: on one of its lines, at most one past that line's last character. */
static int inside(const uint8_t *data, size_t size, int line, int col)
{
    if (line < 1 || col < 1)
        return 0;
    size_t i = 0;
    for (int l = 1; l < line; l++) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        if (!nl)
            return 0;
        i = (size_t)(nl - data) + 1;
    }
    int chars = 0;
    for (; i < size && data[i] != '\n'; i++)
        chars += (data[i] & 0xC0) != 0x80;
    return col <= chars + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_conflict *c = NULL;
    pl_diag d;
    pl_status st = pl_conflict_load_json_buffer("fuzz.json", (const char *)data, size, &c, &d);
    if (st != PL_OK) {
        if (c)
            abort(); /* a failure must not produce a handle */
        if (st == PL_E_INPUT) {
            /* The reader's own flags, so that the same texts count as JSON. */
            json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
            if (root && (!inside(data, size, d.line, d.col) || strcmp(d.file, "fuzz.json") != 0))
                abort(); /* a semantic error without its place in the input */
            json_decref(root);
        }
        return 0;
    }
    pl_conflict_info in;
    pl_conflict_get_info(c, &in);
    char *s = NULL;
    if (pl_conflict_to_yaml(c, &s, &d) == PL_OK)
        pl_free(s);
    if (pl_conflict_to_json(c, &s, &d) == PL_OK)
        pl_free(s);
    if (in.n_options <= 10 && in.n_dms <= 4) {
        pl_gmcr_opts o;
        pl_gmcr_opts_init(&o);
        o.threads = 1;
        pl_stability *fast = NULL, *slow = NULL;
        if (pl_stability_analyse(c, &o, &fast, &d) == PL_OK) {
            uint32_t g[16];
            for (size_t i = 0; i < in.n_dms; i++)
                g[i] = 1u << i;
            pl_conflict_set_coalitions(c, g, in.n_dms, &d);
            o.use_coalitions = 1;
            if (pl_stability_analyse(c, &o, &slow, &d) == PL_OK) {
                for (int k = 0; k < PL_GMCR_N_CONCEPTS; k++)
                    for (size_t u = 0; u < in.n_dms; u++)
                        for (size_t x = 1; x <= in.n_states && x <= 64; x++)
                            if (pl_stability_is_stable(fast, (pl_gmcr_concept)k, u, x) !=
                                pl_stability_is_stable(slow, (pl_gmcr_concept)k, u, x))
                                abort();
                pl_stability_free(slow);
            }
            pl_gmcr_explanation *ex;
            if (pl_stability_explain(fast, PL_GMCR_SEQ, 0, 1, &ex, &d) == PL_OK)
                pl_gmcr_explanation_free(ex);
            if (pl_stability_to_json(fast, &s, &d) == PL_OK)
                pl_free(s);
            pl_stability_free(fast);
        }
    }
    pl_conflict_free(c);
    return 0;
}
