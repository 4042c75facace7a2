/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the GENIUS importer (src/io/genius.c). Each input is
 * tried twice, from memory: as a domain with a known-good profile, and as a
 * profile of a known-good domain (both embedded below, so the target needs no
 * files). Beyond crashes, leaks and undefined behaviour it checks the
 * importer's promises and aborts when one is broken:
 *   - success means YAML that parley's own strict loader accepts;
 *   - failure means PL_E_INPUT (or PL_E_NOMEM), no output, and a diagnostic
 *     naming one of the two inputs with a non-empty message;
 *   - the same input gives the same bytes twice.
 * libxml2 must stay silent: anything it printed would show in the fuzzer's log.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *       $(pkg-config --cflags libxml-2.0 libfyaml jansson) fuzz/fuzz_genius.c \
 *       $(find src -name '*.c') \
 *       $(pkg-config --libs libxml-2.0 libfyaml jansson) -lm -o fuzz_genius
 *   ./fuzz_genius -dict=fuzz/genius.dict fuzz/corpus/genius
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"
#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/data/genius/tiny_domain.xml and tiny_a.xml, trimmed. */
static const char DOMAIN[] =
    "<negotiation_template><utility_space><objective index=\"0\" name=\"Tiny\">\n"
    "<issue index=\"1\" name=\"Colour\" type=\"discrete\">\n"
    "<item index=\"1\" value=\"Red\"/><item index=\"2\" value=\"Blue\"/>"
    "<item index=\"3\" value=\"Gr\xc3\xbcn\"/></issue>\n"
    "<issue index=\"2\" name=\"Days\" type=\"integer\" lowerbound=\"1\" upperbound=\"5\"/>\n"
    "<issue index=\"3\" name=\"Price\" type=\"real\"><range lowerbound=\"0\" "
    "upperbound=\"10\"/></issue>\n"
    "</objective></utility_space></negotiation_template>\n";

static const char PROFILE[] =
    "<utility_space><reservation value=\"0.3\"/><discount_factor value=\"0.9\"/>\n"
    "<objective index=\"0\" name=\"Tiny\">\n"
    "<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.3\"/>"
    "<weight index=\"3\" value=\"0.2\"/>\n"
    "<issue index=\"1\" name=\"Colour\"><item value=\"Red\" evaluation=\"5\"/>"
    "<item value=\"Blue\" evaluation=\"2\"/><item value=\"Gr\xc3\xbcn\" evaluation=\"8\"/>"
    "</issue>\n"
    "<issue index=\"2\" name=\"Days\" type=\"integer\"><evaluator ftype=\"linear\" "
    "slope=\"0.25\" offset=\"0\"/></issue>\n"
    "<issue index=\"3\" name=\"Price\" type=\"real\"><evaluator ftype=\"linear\" "
    "parameter0=\"1\" parameter1=\"-0.1\"/></issue>\n"
    "</objective></utility_space>\n";

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_genius: broken promise: %s\n", what);
        abort();
    }
}

static void run(const pl_genius_input *dom, const pl_genius_input *prof,
                pl_genius_semantics sem)
{
    char *yaml = (char *)"sentinel";
    pl_diag d;
    pl_status st = pl_import_genius_buffers(dom, prof, 1, sem, &yaml, &d);
    if (st != PL_OK) {
        check(st == PL_E_INPUT || st == PL_E_NOMEM, "only input or memory errors");
        check(yaml == NULL, "no output on error");
        check(d.message[0] != '\0', "a message");
        /* a fuzzed domain that is valid makes the good profile misfit */
        check(st != PL_E_INPUT || strcmp(d.file, dom->name) == 0 ||
                  strcmp(d.file, prof->name) == 0,
              "the error names one of the inputs");
        check(d.line >= 0 && d.col >= 0, "sane position");
        return;
    }
    check(yaml != NULL, "output on success");
    pl_scenario *sc = NULL;
    pl_diag ld;
    st = pl_scenario_load_buffer("fuzz.yaml", yaml, strlen(yaml), &sc, &ld);
    if (st != PL_OK) {
        fprintf(stderr, "fuzz.yaml:%d:%d: %s\n%s\n", ld.line, ld.col, ld.message, yaml);
        check(0, "the output loads");
    }
    pl_scenario_free(sc);
    char *again = NULL;
    check(pl_import_genius_buffers(dom, prof, 1, sem, &again, &d) == PL_OK, "repeatable");
    check(strcmp(yaml, again) == 0, "deterministic");
    pl_free(again);
    pl_free(yaml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_genius_input in = {"input.xml", (const char *)data, size};
    pl_genius_input dom = {"domain.xml", DOMAIN, sizeof DOMAIN - 1};
    pl_genius_input prof = {"profile.xml", PROFILE, sizeof PROFILE - 1};
    pl_genius_semantics sem = size && (data[0] & 1) ? PL_GENIUS_SEM_NEGMAS : PL_GENIUS_SEM_GENIUS;
    run(&in, &prof, sem); /* as a domain */
    run(&dom, &in, sem);  /* as a profile */
    return 0;
}
