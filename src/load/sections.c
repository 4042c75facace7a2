/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lens sections this build of parley reads, in the order they are parsed.
 * Each lens owns its parser (src/<lens>/); this table only names them. A NULL
 * parser marks a section this build knows but does not support: the loader
 * then reports it at its key. */
#include "load/ld.h"

int smp_parse_section(ld *L, const ynode *section);  /* src/smp/smp_section.c */
int gmcr_parse_section(ld *L, const ynode *section); /* src/gmcr/section.c */
int war_parse_section(ld *L, const ynode *section);  /* src/sim/war.c */

const ld_section ld_sections[] = {
    {"conflict", gmcr_parse_section},
    {"forecast", smp_parse_section},
    {"war", war_parse_section},
    {NULL, NULL},
};
