/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lens sections this build of parley reads, in the order they are parsed.
 * Each lens owns its parser (src/<lens>/); this table only names them. */
#include "load/ld.h"

static int unsupported(ld *L, const ynode *section)
{
    return ld_fail(L, section, "this section is not supported by this version of parley (%s)",
                   PL_VERSION_STRING);
}

const ld_section ld_sections[] = {
    {"conflict", unsupported},
    {"forecast", unsupported},
    {"war", unsupported},
    {NULL, NULL},
};
