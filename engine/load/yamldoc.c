/*
 * yamldoc.c — libyaml's event stream folded into a tree of yd_nodes that know where they are.
 *
 * What is accepted, written over libyaml's events:
 *
 *     stream   ::= STREAM-START [document] STREAM-END
 *     document ::= DOCUMENT-START node DOCUMENT-END
 *     node     ::= SCALAR | sequence | mapping            (no anchor; an ALIAS is refused)
 *     sequence ::= SEQUENCE-START node* SEQUENCE-END
 *     mapping  ::= MAPPING-START (SCALAR node)* MAPPING-END   (keys distinct by value)
 *
 * with at most YD_MAX_DEPTH collections open at once.
 *
 * Errors. A libyaml error, a second document or nesting too deep ends the parse: nothing
 * after them would be worth reading, and libyaml's scanner slows down quadratically with
 * flow depth, so a file of 100000 `[` must be left early. Aliases, anchors, non-scalar keys
 * and duplicate keys are reported and the parse goes on, so one run lists them all. Any
 * error means no document.
 *
 * Invariants: the tree is built without recursion: the open collections sit on a fixed
 * stack of YD_MAX_DEPTH frames, and a collection's children on one growing `pending`
 * array until its end event copies them into the arena. Every yaml_event_t is deleted on
 * the path that parsed it. Positions are libyaml's 0-based marks plus one, added only in
 * position(). Nodes, their arrays and their strings all live in the document's arena and
 * go with yd_free.
 */
#include "util/names.h"
#include "load/yamldoc.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "load/text.h"
#include "util/alloc.h"

/* ---- arena ------------------------------------------------------------------------- */

#define CHUNK_BYTES 65536u

typedef struct chunk chunk;
struct chunk {
    chunk *next;
    size_t used, cap;
    max_align_t mem[]; /* cap bytes, aligned for anything */
};

/* Two arenas: nodes and child arrays in one, scalars' texts in the other, so that a short
   text (a constant's "1") does not cost a node's alignment padding after it. */
struct yd_doc {
    chunk *chunks; /* the newest first; only the first is bumped into */
    chunk *texts;  /* the same, for texts */
    yd_node *root;
};

/* size bytes from the arena *list, aligned to align (a power of two, at most max_align_t's), or NULL. */
static void *arena_alloc(chunk **list, size_t size, size_t align)
{
    chunk *c = *list;
    if (c) {
        size_t at = (c->used + align - 1) & ~(align - 1);
        if (at <= c->cap && size <= c->cap - at) {
            c->used = at + size;
            return (char *)c->mem + at;
        }
    }
    /* A large block gets a chunk of its own, linked behind the current one so that the
       room left there is not lost. */
    bool own = size > CHUNK_BYTES / 4;
    size_t cap = own ? size : CHUNK_BYTES;
    if (cap > SIZE_MAX - sizeof(chunk)) /* Catch size_t overflow. */
        return NULL;
    chunk *n = wa_malloc(sizeof(chunk) + cap);
    if (!n)
        return NULL;
    n->used = size;
    n->cap = cap;
    if (own && c) {
        n->next = c->next;
        c->next = n;
    } else {
        n->next = c;
        *list = n;
    }
    return n->mem;
}

/* ---- building ---------------------------------------------------------------------- */

typedef struct frame {
    yd_node *node; /* an open collection */
    size_t first;  /* its children are pending[first..npending) */
    /* A mapping's keys so far, for duplicates: once it has more than SCAN_KEYS of them,
       an open-addressing set of their places in pending (minus first, plus 1; 0 is an
       empty slot), nslots a power of two at least twice the keys. */
    uint32_t *slots;
    size_t nslots;
} frame;

/* A mapping with at most this many keys is checked for duplicates by a scan. */
#define SCAN_KEYS 16

typedef struct builder {
    const wa_source *src;
    wa_diagnostics *d;
    yd_doc *doc;
    int documents;
    frame open[YD_MAX_DEPTH];
    int depth;
    yd_node **pending;
    size_t npending, cap;
    int errors;
    bool nomem;
} builder;

/* The one place where libyaml's 0-based marks become 1-based positions. */
static void position(yaml_mark_t m, int *line, int *col)
{
    *line = m.line < INT_MAX ? (int)m.line + 1 : INT_MAX;
    *col = m.column < INT_MAX ? (int)m.column + 1 : INT_MAX;
}

static void error_at(builder *b, yaml_mark_t m, const char *msg)
{
    int line, col;
    position(m, &line, &col);
    wa_diag_error(b->d, b->src, line, col, "%s", msg);
    b->errors++;
}

static yd_node *new_node(builder *b, yd_kind kind, yaml_mark_t m)
{
    yd_node *n = arena_alloc(&b->doc->chunks, sizeof *n, _Alignof(yd_node));
    if (!n) {
        b->nomem = true;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = kind;
    int line, col;
    position(m, &line, &col);
    n->line = (uint32_t)line < YD_POS_MAX ? (uint32_t)line : YD_POS_MAX;
    n->col = (uint32_t)col < YD_POS_MAX ? (uint32_t)col : YD_POS_MAX;
    return n;
}

static bool same_key(const yd_node *a, const yd_node *b)
{
    return a && a->kind == YD_SCALAR && a->len == b->len && memcmp(a->str, b->str, b->len) == 0;
}

/* Puts place p (pending[f->first + p], a key) into f's set; the set has room. */
static void slot_put(builder *b, frame *f, size_t p)
{
    const yd_node *k = b->pending[f->first + p];
    size_t j = (size_t)wa_hash(k->str, k->len) & (f->nslots - 1);
    while (f->slots[j])
        j = (j + 1) & (f->nslots - 1);
    f->slots[j] = (uint32_t)(p + 1);
}

/* The earlier key of f's mapping with the value of key, or NULL; key is then counted as
   seen. Sets nomem when the set cannot grow. Per mapping, not for the whole file: the
   set lives only while its mapping is open, a scan does for small mappings, and a
   generated mapping of 100000 keys must not take minutes. */
static const yd_node *seen_before(builder *b, frame *f, const yd_node *key)
{
    size_t nkeys = (b->npending - f->first) / 2; /* before this one, at places 0, 2 ... */
    if (nkeys < SCAN_KEYS) {
        for (size_t i = 0; i < nkeys; i++)
            if (same_key(b->pending[f->first + 2 * i], key))
                return b->pending[f->first + 2 * i];
        return NULL;
    }
    if ((nkeys + 1) * 2 > f->nslots) {
        size_t nslots = f->nslots ? f->nslots * 2 : 4 * SCAN_KEYS;
        uint32_t *t = wa_calloc(nslots, sizeof *t);
        if (!t) {
            b->nomem = true;
            return NULL;
        }
        wa_free(f->slots);
        f->slots = t;
        f->nslots = nslots;
        for (size_t i = 0; i < nkeys; i++)
            if (b->pending[f->first + 2 * i]) /* an alias holds a place, not a key */
                slot_put(b, f, 2 * i);
    }
    size_t j = (size_t)wa_hash(key->str, key->len) & (f->nslots - 1);
    for (; f->slots[j]; j = (j + 1) & (f->nslots - 1)) {
        const yd_node *k = b->pending[f->first + f->slots[j] - 1];
        if (same_key(k, key))
            return k;
    }
    f->slots[j] = (uint32_t)(b->npending - f->first + 1);
    return NULL;
}

/* A key as it can appear inside a one-line message: control bytes escaped, long keys cut
   (on a character boundary) with "...". */
static void show_key(char *buf, size_t size, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const size_t shown = 40; /* bytes of the key, before escaping */
    size_t o = 0;
    size_t lim = n;
    if (lim > shown) {
        lim = shown;
        while (lim > 0 && ((unsigned char)s[lim] & 0xC0) == 0x80)
            lim--;
    }
    for (size_t i = 0; i < lim && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\t' || c == '\r') {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7F) {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        } else {
            buf[o++] = (char)c;
        }
    }
    if (lim < n && o + 4 < size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
}

/* Hangs node n under the innermost open collection, or makes it the root. Reports a key
   that is not a scalar and a duplicate key. n is NULL for a node that will not be built
   (an alias): it still takes its place, so keys and values stay paired. */
static void attach(builder *b, yd_node *n, yaml_mark_t m)
{
    if (b->depth == 0) {
        b->doc->root = n;
        return;
    }
    frame *f = &b->open[b->depth - 1];
    if (f->node->kind == YD_MAP && (b->npending - f->first) % 2 == 0 && n) {
        if (n->kind != YD_SCALAR) {
            error_at(b, m, "mapping keys must be scalars");
        } else {
            const yd_node *first = seen_before(b, f, n);
            if (first) {
                char key[200];
                show_key(key, sizeof key, n->str, n->len);
                wa_diag_error(b->d, b->src, n->line, n->col, "duplicate key '%s' (first at line %d)",
                              key, first->line);
                b->errors++;
            }
        }
    }
    if (b->npending == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        yd_node **p = wa_realloc(b->pending, cap * sizeof *p);
        if (!p) {
            b->nomem = true;
            return;
        }
        b->pending = p;
        b->cap = cap;
    }
    b->pending[b->npending++] = n;
}

static int scalar_style(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return '\'';
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return '"';
    case YAML_LITERAL_SCALAR_STYLE: return '|';
    case YAML_FOLDED_SCALAR_STYLE: return '>';
    default: return 0;
    }
}

static void on_scalar(builder *b, const yaml_event_t *ev)
{
    if (ev->data.scalar.anchor)
        error_at(b, ev->start_mark, "YAML anchors are not supported");
    yd_node *n = new_node(b, YD_SCALAR, ev->start_mark);
    size_t len = ev->data.scalar.length;
    char *s = n ? arena_alloc(&b->doc->texts, len + 1, 1) : NULL;
    if (!s) {
        b->nomem = true;
        return;
    }
    memcpy(s, ev->data.scalar.value, len);
    s[len] = '\0';
    n->str = s;
    n->len = (uint32_t)len;
    n->style = (unsigned char)scalar_style(ev->data.scalar.style);
    attach(b, n, ev->start_mark);
}

/* Returns false when the parse must stop (nesting too deep). */
static bool on_collection_start(builder *b, const yaml_event_t *ev)
{
    bool map = ev->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (anchor)
        error_at(b, ev->start_mark, "YAML anchors are not supported");
    if (b->depth == YD_MAX_DEPTH) {
        int line, col;
        position(ev->start_mark, &line, &col);
        wa_diag_error(b->d, b->src, line, col, "nesting deeper than %d levels", YD_MAX_DEPTH);
        b->errors++;
        return false;
    }
    yd_node *n = new_node(b, map ? YD_MAP : YD_SEQ, ev->start_mark);
    if (!n)
        return true;
    if (map)
        n->style = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE ? '{' : 0;
    else
        n->style = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE ? '[' : 0;
    attach(b, n, ev->start_mark);
    b->open[b->depth].node = n;
    b->open[b->depth].first = b->npending;
    b->open[b->depth].slots = NULL;
    b->open[b->depth].nslots = 0;
    b->depth++;
    return true;
}

/* Moves the innermost collection's children from pending into the arena. */
static void on_collection_end(builder *b)
{
    frame *f = &b->open[--b->depth];
    yd_node *n = f->node;
    size_t count = b->npending - f->first;
    yd_node **kids = b->pending ? b->pending + f->first : NULL; /* none yet: no offset on NULL */
    b->npending = f->first;
    wa_free(f->slots);
    f->slots = NULL;
    f->nslots = 0;
    n->n = (uint32_t)(n->kind == YD_MAP ? count / 2 : count); /* a key, then its value */
    if (count == 0)
        return;
    n->kids = arena_alloc(&b->doc->chunks, count * sizeof *n->kids, _Alignof(yd_node *));
    if (!n->kids) {
        b->nomem = true;
        return;
    }
    memcpy(n->kids, kids, count * sizeof *n->kids);
    /* A large collection leaves pending large: give the room back, so that the rest of
       the parse does not carry it. */
    if (b->cap > 1024 && b->npending < b->cap / 8) {
        size_t cap = b->npending > 512 ? b->npending * 2 : 1024;
        yd_node **p = wa_realloc(b->pending, cap * sizeof *p);
        if (p) { /* else keep the larger one */
            b->pending = p;
            b->cap = cap;
        }
    }
}

/* Folds one event into the tree. Returns false when the parse is over. */
static bool on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0) {
            error_at(b, ev->start_mark, "more than one YAML document in the file");
            return false;
        }
        return true;
    case YAML_SCALAR_EVENT:
        on_scalar(b, ev);
        return true;
    case YAML_ALIAS_EVENT:
        error_at(b, ev->start_mark, "YAML aliases are not supported; write the value out");
        attach(b, NULL, ev->start_mark);
        return true;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return on_collection_start(b, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        on_collection_end(b);
        return true;
    case YAML_STREAM_END_EVENT:
        return false;
    default: /* stream start, document end */
        return true;
    }
}

/* libyaml's error as one diagnostic: its problem at its mark, and what it was reading
   when that construct started somewhere else (an unclosed quote, bracket, mapping). */
static void syntax_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        b->nomem = true;
        return;
    }
    const char *problem = p->problem ? p->problem : "unknown error";
    b->errors++;
    if (p->error == YAML_READER_ERROR) {
        /* Its mark is not set, only a byte offset. wa_source refuses everything the reader
           would, so this is reached only with a source built by hand. */
        wa_diag_error(b->d, b->src, 0, 0, "YAML syntax error: %s", problem);
        return;
    }
    int line, col, cline, ccol;
    position(p->problem_mark, &line, &col);
    position(p->context_mark, &cline, &ccol);
    /* The usual way to meet "mapping values are not allowed" in a scenario is an
       unquoted `c ? a : b`: say so, since YAML's own words do not point there. */
    const char *hint = strcmp(problem, "mapping values are not allowed in this context") == 0
                           ? "; a value holding ': ' (such as c ? a : b) must be quoted"
                           : "";
    if (p->context && (cline != line || ccol != col))
        wa_diag_error(b->d, b->src, line, col, "YAML syntax error: %s (%s that starts at line %d, column %d)%s",
                      problem, p->context, cline, ccol, hint);
    else
        wa_diag_error(b->d, b->src, line, col, "YAML syntax error: %s%s", problem, hint);
}

wa_status yd_parse(const wa_source *src, yd_doc **out, wa_diagnostics *d)
{
    if (!out)
        return WA_EUSAGE;
    *out = NULL;
    if (!src || (!src->text && src->len > 0) || src->len > UINT32_MAX) /* (see yd_node) */
        return WA_EUSAGE;
    builder b = {.src = src, .d = d};
    b.doc = wa_calloc(1, sizeof *b.doc);
    yaml_parser_t parser;
    if (!b.doc || !yaml_parser_initialize(&parser)) {
        wa_free(b.doc);
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory parsing YAML");
        return WA_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(src->text ? src->text : ""),
                                 src->len);
    for (bool more = true; more && !b.nomem;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&b, &parser);
            break; /* ev was left empty: nothing to delete */
        }
        more = on_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    wa_free(b.pending);
    for (int i = 0; i < b.depth; i++) /* left open by an error */
        wa_free(b.open[i].slots);

    if (b.nomem) {
        wa_diag_add(d, WA_ERROR, WA_ENOMEM, src, 0, 0, "out of memory parsing YAML");
        yd_free(b.doc);
        return WA_ENOMEM;
    }
    if (b.errors) {
        yd_free(b.doc);
        return WA_EINVALID;
    }
    *out = b.doc;
    return WA_OK;
}

const yd_node *yd_root(const yd_doc *doc)
{
    return doc ? doc->root : NULL;
}

void yd_free(yd_doc *doc)
{
    if (!doc)
        return;
    for (int a = 0; a < 2; a++)
        for (chunk *c = a ? doc->texts : doc->chunks, *next; c; c = next) {
            next = c->next;
            wa_free(c);
        }
    wa_free(doc);
}

const yd_node *yd_get(const yd_node *map, const char *key)
{
    if (!map || map->kind != YD_MAP || !key)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < map->n; i++) {
        const yd_node *k = yd_key(map, i);
        if (k && k->kind == YD_SCALAR && k->len == n && memcmp(k->str, key, n) == 0)
            return yd_val(map, i);
    }
    return NULL;
}

const char *yd_kind_name(yd_kind k)
{
    switch (k) {
    case YD_MAP: return "a mapping";
    case YD_SEQ: return "a sequence";
    default: return "a scalar";
    }
}

/* ---- columns inside scalars ------------------------------------------------------- */

/* Bytes in the UTF-8 character that starts with byte c (1 for a stray byte). */
static size_t char_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* The character after the one at p, never past end. */
static const unsigned char *next_char(const unsigned char *p, const unsigned char *end)
{
    size_t n = char_len(*p);
    return (size_t)(end - p) < n ? end : p + n;
}

static size_t utf8_size(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* The value bytes produced by the escape at p ('\\' then at least one byte before end)
   and, in *src_len, the bytes (all ASCII, so also columns) it takes in the source; 0 for
   an escape that does not end on this line. Mirrors libyaml's scanner. */
static size_t escape_size(const unsigned char *p, const unsigned char *end, size_t *src_len)
{
    int digits;
    switch (p[1]) {
    case '0': case 'a': case 'b': case 't': case '\t': case 'n': case 'v': case 'f':
    case 'r': case 'e': case ' ': case '"': case '/': case '\\':
        *src_len = 2;
        return 1;
    case 'N': case '_': /* U+0085, U+00A0 */
        *src_len = 2;
        return 2;
    case 'L': case 'P': /* U+2028, U+2029 */
        *src_len = 2;
        return 3;
    case 'x': digits = 2; break;
    case 'u': digits = 4; break;
    case 'U': digits = 8; break;
    default: return 0;
    }
    if (end - p < 2 + digits)
        return 0;
    uint32_t cp = 0;
    for (int i = 0; i < digits; i++) {
        unsigned char c = p[2 + i];
        unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (v == 16)
            return 0;
        cp = cp << 4 | v;
    }
    *src_len = 2 + (size_t)digits;
    return utf8_size(cp);
}

/* Walks the scalar's first source line from its node position, matching source characters
   to value bytes, to the character or escape that produces value byte `offset` (or to the
   end of the value). Returns its column, or 0 when it is not on this line (or the source
   does not match the value: then the node's column is the honest answer). */
static int walk_scalar(const unsigned char *p, const unsigned char *end, int col,
                       const yd_node *s, size_t offset)
{
    const unsigned char *v = (const unsigned char *)s->str;
    /* A tag like `!!str` comes first: the node starts at it. (Anchors are refused.) */
    if (p < end && *p == '!') {
        while (p < end && *p != ' ' && *p != '\t') {
            p = next_char(p, end);
            col++;
        }
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
            col++;
        }
    }
    if (s->style == '\'' || s->style == '"') {
        if (p == end || *p != s->style)
            return 0;
        p++;
        col++;
    }
    int quote = s->style;
    for (size_t at = 0;;) {
        if (at == s->len) /* then offset == at: the end, where a quote must close the value */
            return !quote || (p < end && *p == quote) ? col : 0;
        if (p >= end)
            return 0; /* the value goes on, on the next line */
        size_t produced, bytes, cols; /* value bytes; source bytes and columns taken */
        if (quote == '\'' && *p == '\'') {
            if (end - p < 2 || p[1] != '\'')
                return 0; /* a closing quote before the value ends: cannot be */
            produced = 1;
            bytes = cols = 2;
        } else if (quote == '"' && *p == '\\') {
            if (end - p < 2 || !(produced = escape_size(p, end, &bytes)))
                return 0; /* an escaped line break, or a malformed escape */
            cols = bytes;
        } else if (quote == '"' && *p == '"') {
            return 0;
        } else {
            produced = bytes = char_len(*p);
            cols = 1;
            if ((size_t)(end - p) < bytes || at + bytes > s->len || memcmp(p, v + at, bytes) != 0)
                return 0;
        }
        if (at + produced > offset)
            return col; /* offset is in this character or escape */
        at += produced;
        p += bytes;
        col += (int)cols;
    }
}

int yd_scalar_column(const wa_source *src, const yd_node *s, size_t offset, int *line)
{
    int unused;
    if (!line)
        line = &unused;
    if (!s) {
        *line = 0;
        return 0;
    }
    *line = s->line;
    if (s->kind != YD_SCALAR || !s->str || !src || (s->style != 0 && s->style != '\'' && s->style != '"'))
        return s->col;
    if (offset > s->len)
        offset = s->len;
    size_t n;
    const unsigned char *p = (const unsigned char *)wa_source_line(src, s->line, &n);
    if (!p)
        return s->col;
    const unsigned char *end = p + n;
    /* To the node's column; libyaml counts columns in characters. */
    for (int col = 1; col < s->col; col++) {
        if (p >= end)
            return s->col;
        p = next_char(p, end);
    }
    int col = walk_scalar(p, end, s->col, s, offset);
    return col ? col : s->col;
}
