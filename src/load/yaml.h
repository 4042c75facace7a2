/* A minimal YAML tree with source positions, built from libfyaml's event
 * parser. libfyaml's document API does not expose where a mapping or a
 * sequence starts; every diagnostic parley prints needs that, so the loader
 * builds its own small tree from events (which do carry marks). Internal. */
#ifndef PL_YAML_H
#define PL_YAML_H

#include <stddef.h>
#include "parley.h"
#include "core/model.h"

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } yn_type;

typedef enum { YS_PLAIN, YS_SINGLE, YS_DOUBLE, YS_LITERAL, YS_FOLDED } yn_style;

typedef struct ynode {
    yn_type type;
    yn_style style;       /* scalars */
    int line, col;        /* 1-based */
    size_t pos;           /* byte offset of the node's first character */
    const char *text;     /* scalars: NUL-terminated value */
    size_t len;
    size_t n;             /* map: pairs; seq: items */
    struct ynode **kid;   /* map: key0, value0, key1, value1, ...; seq: items */
} ynode;

#define YAML_MAX_DEPTH 64

/* Parse buf[0..len) as one YAML document. Aliases, tags and more than one
 * document are refused. Nodes live in arena. */
int yaml_parse(pl_arena *arena, const char *file, const char *buf, size_t len,
               ynode **root, pl_diag *diag);

#endif
