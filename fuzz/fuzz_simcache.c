/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for pl_sim_cache_import, the reader of the frontiers MPI
 * ranks exchange (src/sim/front.c), against tests/data/sim/war-mini.yaml.
 * Beyond crashes, leaks and undefined behaviour it aborts when a promise is
 * broken:
 *   - bytes are imported (PL_OK) or refused with PL_E_INPUT and a message;
 *   - a refused input adds nothing (the cache still exports an empty one);
 *   - an accepted input serves a short simulation, and exports as bytes that
 *     a fresh cache accepts again.
 * The seeds are exports of the scenario's own cache (fuzz/corpus/simcache).
 * The input's fingerprint (bytes 8 to 15) is replaced with this build's, so
 * that seeds stay deep inputs when the version or the scenario file changes
 * (a 64-bit hash is nothing a fuzzer can find; unit.test_sim tests the
 * check).
 *
 *   ./fuzz-build/fuzz/fuzz_simcache -max_len=16384 fuzz/corpus/simcache
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const pl_diag *d)
{
    fprintf(stderr, "fuzz_simcache: promise broken: %s\n", what);
    if (d)
        fprintf(stderr, "  diag: status %d: %s\n", (int)d->status, d->message);
    abort();
}

static pl_scenario *scenario(void)
{
    static pl_scenario *sc;
    if (!sc) {
        pl_diag d;
        memset(&d, 0, sizeof d);
        if (pl_scenario_load_file(PL_WAR_MINI, &sc, &d) != PL_OK)
            broken("cannot load " PL_WAR_MINI, &d);
    }
    return sc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pl_scenario *sc = scenario();
    pl_sim_options o;
    pl_sim_options_init(&o);
    o.runs = 12;
    o.seed = 7;
    o.horizon = 8;
    pl_diag d;
    memset(&d, 0, sizeof d);
    pl_sim_cache *c = NULL, *again = NULL;
    if (pl_sim_cache_new(sc, &o, &c, &d) != PL_OK)
        broken("pl_sim_cache_new failed", &d);
    unsigned char *out = NULL;
    size_t len = 0;
    if (pl_sim_cache_export(c, &out, &len, &d) != PL_OK || len != 24)
        broken("a new cache does not export as an empty one", &d);
    unsigned char *in = malloc(size + 1);
    if (!in)
        abort();
    memcpy(in, data, size);
    if (size >= 16)
        memcpy(in + 8, out + 8, 8);
    pl_free(out);
    pl_status st = pl_sim_cache_import(c, in, size, &d);
    free(in);
    if (pl_sim_cache_export(c, &out, &len, &d) != PL_OK)
        broken("pl_sim_cache_export failed", &d);
    if (st == PL_E_INPUT) {
        if (!d.message[0])
            broken("a refusal without a message", &d);
        if (len != 24)
            broken("a refused cache added something", NULL);
    } else if (st == PL_OK) {
        unsigned char *rec = malloc(pl_sim_record_size(sc) * (size_t)o.runs);
        if (!rec)
            abort();
        if (pl_sim_cache_run_range(c, 0, o.runs, rec, &d) != PL_OK)
            broken("a simulation with an accepted cache failed", &d);
        free(rec);
        if (pl_sim_cache_new(sc, &o, &again, &d) != PL_OK ||
            pl_sim_cache_import(again, out, len, &d) != PL_OK)
            broken("an export was refused on import", &d);
    } else {
        broken("neither accepted nor refused as input", &d);
    }
    pl_free(out);
    pl_sim_cache_free(again);
    pl_sim_cache_free(c);
    return 0;
}
