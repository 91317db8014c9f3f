/*
 * yamldoc.h — a scenario's YAML as a small tree whose every node keeps its position.
 *
 * libyaml's events are folded into scalars, mappings and sequences; each node carries the
 * 1-based line and column of its start. The whole tree lives in one arena owned by the
 * yd_doc. Refused with a diagnostic: YAML syntax errors (libyaml's problem and mark),
 * more than one document, aliases and anchors (`*x`, `&x`), mapping keys that are not
 * scalars, duplicate keys (the message names the first), nesting deeper than YD_MAX_DEPTH.
 * Tags are ignored: every scalar is text, interpreted by the loader.
 */
#ifndef WA_YAMLDOC_H
#define WA_YAMLDOC_H

#include <stddef.h>
#include <stdint.h>

#include "load/diag.h"

#define YD_MAX_DEPTH 64

typedef enum yd_kind { YD_SCALAR, YD_MAP, YD_SEQ } yd_kind;

typedef struct yd_node yd_node;
/* 24 bytes: a file of a million inputs has two million nodes. Lengths and counts fit 32
   bits, a source being at most WA_SOURCE_MAX (2^24) bytes; a line or column past 2^24 - 1
   (possible only in a source built by hand) reads as 2^24 - 1. A scalar's len and a
   collection's n are 0 for the other kind, so a loop over n never reads a scalar's text
   as children; str and kids share their place, so read str only from a scalar (or when
   len > 0). */
#define YD_POS_MAX 0xFFFFFFu
struct yd_node {
    uint32_t line : 24; /* 1-based start of the node (for a quoted scalar: its opening quote) */
    uint32_t kind : 8;  /* a yd_kind */
    uint32_t col : 24;
    uint32_t style : 8; /* scalars: 0 plain, '\'' single-quoted, '"' double-quoted,
                           '|' literal, '>' folded; collections: 0 block, '{' or '[' flow */
    uint32_t len;      /* scalar: the value's length in bytes; collections: 0 */
    uint32_t n;        /* map: entries; seq: items; scalar: 0 */
    union {
        const char *str; /* scalar value, NUL-terminated (after YAML unescaping) */
        yd_node **kids;  /* map: key 0, value 0, key 1, value 1 ...; seq: the items */
    };
};

/* Key i of mapping map (a scalar), value i of a mapping, item i of a sequence; i < n. */
static inline const yd_node *yd_key(const yd_node *map, size_t i) { return map->kids[2 * i]; }
static inline const yd_node *yd_val(const yd_node *n, size_t i)
{
    return n->kind == YD_MAP ? n->kids[2 * i + 1] : n->kids[i];
}

typedef struct yd_doc yd_doc;

/* Parses src. On WA_OK *out owns a new document (yd_free); its root is NULL when the file
   holds no document at all (empty or only comments). */
wa_status yd_parse(const wa_source *src, yd_doc **out, wa_diagnostics *d);
const yd_node *yd_root(const yd_doc *doc);
void yd_free(yd_doc *doc);

/* The value under key in a mapping, or NULL (also when map is not a mapping). */
const yd_node *yd_get(const yd_node *map, const char *key);

/* The 1-based column of byte `offset` inside scalar node s, for pointing into an
   expression: exact for single-line plain and quoted scalars (counting UTF-8 characters,
   the opening quote and escape sequences as written in src); the node's own column when
   it cannot be known (multi-line or block scalars). Also sets *line. */
int yd_scalar_column(const wa_source *src, const yd_node *s, size_t offset, int *line);

/* "a mapping", "a sequence", "a scalar": for messages like "expected a mapping, got ...". */
const char *yd_kind_name(yd_kind k);

#endif
