/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Write a synthetic agreement space as a parley scenario (see space_gen.h).
 * Usage: space_gen ISSUES OPTIONS PARTIES [RED_LINES [QUANTILE [SEED]]] */
#include "space_gen.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s ISSUES OPTIONS PARTIES [RED_LINES [QUANTILE [SEED]]]\n",
                argv[0]);
        return 2;
    }
    space_gen g = {atoi(argv[1]), atoi(argv[2]), atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 0,
                   argc > 5 ? atof(argv[5]) : 0.0,
                   argc > 6 ? strtoull(argv[6], NULL, 10) : 1};
    if (g.issues < 1 || g.issues > 1024 || g.options < 2 || g.options > 64 || g.parties < 1 ||
        g.parties > 256 || g.red_lines < 0) {
        fprintf(stderr, "%s: out of range\n", argv[0]);
        return 2;
    }
    gen_buf b = {0};
    space_generate(&g, &b);
    fwrite(b.s, 1, b.len, stdout);
    free(b.s);
    return 0;
}
