/*
 * parse.c — expression text → postfix syntax tree (grammar in expr.h, SPEC §1.1).
 *
 * A hand-written lexer with one token of lookahead feeds a recursive-descent parser that
 * follows the grammar rule for rule and emits nodes in postfix order as it goes.
 *
 * Invariants:
 *  - Only the parser recurses, and every cycle of its call graph passes through a point
 *    that counts one nesting level (a parenthesis, a call, a ?: branch, `not`, a unary sign
 *    or `^`); past EX_MAX_NESTING it stops with "expression nested too deeply", so hostile
 *    input cannot overflow the C stack.
 *  - The first error wins: every function returns 0 or -1 and the message is written once,
 *    where the problem is found; callers only unwind.
 *  - Names are interned through a hash table, so a long expression with many names parses
 *    in linear time.
 *  - Character classes are ASCII and tested by hand, never through <ctype.h>, so the
 *    language does not depend on the locale.
 */
#include "util/names.h"
#include "expr/internal.h"
#include "util/suggest.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

/* Bytes of a token quoted in "unexpected '...'" (the message stays one short line). */
#define SHOWN_TOKEN 20
/* Bytes of a number or function name quoted in a message before it is cut with "...". */
#define SHOWN_WORD 64

typedef enum tok_kind {
    TK_END,
    TK_NUM,
    TK_NAME,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_PLUS,
    TK_MINUS,
    TK_STAR,
    TK_SLASH,
    TK_CARET,
    TK_LPAREN,
    TK_RPAREN,
    TK_COMMA,
    TK_QUESTION,
    TK_COLON,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_EQ,
    TK_NE,
    TK_LBRACK,
    TK_RBRACK
} tok_kind;

typedef struct token {
    tok_kind kind;
    size_t start, len; /* bytes of text */
    double value;      /* TK_NUM */
} token;

typedef struct parser {
    const char *s;
    size_t len;
    size_t pos; /* lexer: first byte after the current token */
    token tok;  /* the lookahead */
    ex_ast *ast;
    size_t nodes_cap, names_cap, lists_cap;
    size_t *table; /* name hash table: index into ast->names + 1, 0 = empty */
    size_t table_cap;
    size_t stack; /* depth of the value stack after the nodes emitted so far */
    int depth;    /* nesting levels entered */
    ex_error *err;
} parser;

/* Functions. nargs 0 means "one or more" (min, max). */
typedef struct ex_func {
    const char *name;
    int nargs;
    ex_op op;
} ex_func;

static const ex_func funcs[] = {
    {"min", 0, EX_MIN},     {"max", 0, EX_MAX},         {"abs", 1, EX_ABS},
    {"sqrt", 1, EX_SQRT},   {"exp", 1, EX_EXP},         {"ln", 1, EX_LN},
    {"log10", 1, EX_LOG10}, {"pow", 2, EX_POW},         {"floor", 1, EX_FLOOR},
    {"ceil", 1, EX_CEIL},   {"round", 1, EX_ROUND},     {"clamp", 3, EX_MIN},
    {"if", 3, EX_SELECT},   {"band", 3, EX_BAND},       {"tiered", 3, EX_TIERED},
    {"interp", 3, EX_INTERP},
};
#define NFUNCS (sizeof funcs / sizeof funcs[0])

/* ---- errors and memory ---- */

static int fail(parser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the error (if the caller asked for it) and returns -1 for the caller to pass up. */
static int fail(parser *p, size_t offset, const char *fmt, ...)
{
    if (p->err) {
        va_list ap;
        va_start(ap, fmt);
        p->err->offset = offset;
        vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int out_of_memory(parser *p)
{
    fail(p, p->tok.start, "out of memory");
    if (p->err)
        p->err->nomem = 1;
    return -1;
}

/* ---- lexer ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_word(char c)
{
    return is_letter(c) || is_digit(c) || c == '_';
}

/* Bytes of the valid UTF-8 character at s[0..n) and its code point, or 0 when the bytes
   are not one (overlong forms and surrogates included). */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t k;
    unsigned c = s[0], min;
    if (c >= 0xc2 && c <= 0xdf)
        k = 2, c &= 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        k = 3, c &= 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        k = 4, c &= 0x07, min = 0x10000;
    else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return k;
}

/* The byte at i starts no token. Non-ASCII characters are quoted whole with their code
   point, because the usual culprits (no-break space, curly quotes) are invisible or look
   like ASCII; control and invalid bytes are shown in hex rather than printed raw. */
static int bad_char(parser *p, size_t i)
{
    unsigned char c = (unsigned char)p->s[i];
    if (c >= 0x20 && c < 0x7f)
        return fail(p, i, "unexpected character '%c'", c);
    if (c < 0x80)
        return fail(p, i, "unexpected control character 0x%02x", c);
    unsigned cp;
    size_t k = utf8_char((const unsigned char *)p->s + i, p->len - i, &cp);
    if (k)
        return fail(p, i, "unexpected character '%.*s' (U+%04X)", (int)k, p->s + i, cp);
    return fail(p, i, "invalid UTF-8 byte 0x%02x", c);
}

/* Reads digit ('_'? digit)* from w[k..m): a '_' only counts between two digits. Appends
   the digits to buf at *nd, skipping leading zeros (they do not change the value), and
   adds the count of digits read to *count. Returns the index after the last digit. */
static size_t scan_digits(const char *w, size_t m, size_t k, char *buf, size_t *nd,
                          size_t *count)
{
    while (k < m && is_digit(w[k])) {
        if (*nd > 0 || w[k] != '0')
            buf[(*nd)++] = w[k];
        ++*count;
        k++;
        if (k + 1 < m && w[k] == '_' && is_digit(w[k + 1]))
            k++;
    }
    return k;
}

static int invalid_number(parser *p, const char *w, size_t m, const char *what)
{
    return fail(p, p->tok.start, "%s'%.*s%s'", what, (int)(m > SHOWN_WORD ? SHOWN_WORD : m),
                w, m > SHOWN_WORD ? "..." : "");
}

/* Converts the number word w[0..m) (see lex_number) into *value, or fails with "invalid
   number" or "number out of range". The digits are rewritten as an integer mantissa with a
   decimal exponent ("2.5M" → "25e5") before strtod: that keeps strtod's correct rounding
   for the whole literal, suffix included (8% is the double nearest 0.08, not 8 * 0.01),
   and keeps the locale's decimal point out of the way, since the string has none. */
static int convert_number(parser *p, const char *w, size_t m, double *value)
{
    char *buf = wa_malloc(m + 32); /* every digit, 'e', a long long exponent, NUL */
    if (!buf)
        return out_of_memory(p);
    size_t nd = 0, nint = 0, nfrac = 0, k;
    k = scan_digits(w, m, 0, buf, &nd, &nint);
    if (k < m && w[k] == '.')
        k = scan_digits(w, m, k + 1, buf, &nd, &nfrac);
    long long e10 = 0;
    int ok = nint + nfrac > 0;
    if (ok && k < m && (w[k] == 'e' || w[k] == 'E')) {
        size_t j = k + 1;
        int neg = 0;
        if (j < m && (w[j] == '+' || w[j] == '-'))
            neg = w[j++] == '-';
        long long x = 0;
        size_t nexp = 0;
        while (j < m && is_digit(w[j])) {
            /* saturate: any exponent this large is out of range (or zero) already */
            if (x < 100000000)
                x = x * 10 + (w[j] - '0');
            nexp++;
            j++;
            if (j + 1 < m && w[j] == '_' && is_digit(w[j + 1]))
                j++;
        }
        ok = nexp > 0;
        e10 = neg ? -x : x;
        k = j;
    }
    if (ok && k < m) {
        switch (w[k]) {
        case 'k': e10 += 3, k++; break;
        case 'M': e10 += 6, k++; break;
        case 'B': e10 += 9, k++; break;
        case '%': e10 -= 2, k++; break;
        default: break;
        }
    }
    if (!ok || k != m) {
        wa_free(buf);
        return invalid_number(p, w, m, "invalid number ");
    }
    if (nd == 0) {
        *value = 0; /* all zeros, whatever the exponent */
    } else {
        snprintf(buf + nd, 32, "e%lld", e10 - (long long)nfrac);
        char *end;
        *value = strtod(buf, &end);
        assert(*end == '\0');
    }
    wa_free(buf);
    /* An underflow to zero or a subnormal is accepted: the literal still means "tiny". */
    if (isinf(*value))
        return invalid_number(p, w, m, "number out of range: ");
    return 0;
}

/* Lexes the number starting at i. The whole run of word characters, dots and '%' (plus a
   sign right after the exponent's 'e') is taken as one word and then validated, so that
   "400kb", "1.2.3" and "2x" are reported whole as invalid numbers rather than as a number
   followed by something unexpected. */
static int lex_number(parser *p, size_t i)
{
    const char *s = p->s;
    size_t j = i, letters = 0;
    while (j < p->len) {
        char c = s[j];
        if (is_word(c) || c == '.' || c == '%') {
            letters += is_letter(c);
            j++;
        } else if ((c == '+' || c == '-') && letters == 1 && (s[j - 1] == 'e' || s[j - 1] == 'E')) {
            j++; /* 1e-3: the sign belongs to the exponent, and 'e' was the first letter */
        } else {
            break;
        }
    }
    p->tok.kind = TK_NUM;
    p->tok.len = j - i;
    p->pos = j;
    return convert_number(p, s + i, j - i, &p->tok.value);
}

/* Advances to the next token: p->tok. Whitespace is space, tab and newline. */
static int next(parser *p)
{
    const char *s = p->s;
    size_t i = p->pos, n = p->len;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
        i++;
    token *t = &p->tok;
    t->start = i;
    t->len = 1;
    t->value = 0;
    if (i == n) {
        t->kind = TK_END;
        t->len = 0;
        p->pos = i;
        return 0;
    }
    char c = s[i];
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1])))
        return lex_number(p, i);
    if (is_letter(c) || c == '_') {
        size_t j = i + 1;
        while (j < n && is_word(s[j]))
            j++;
        t->len = j - i;
        t->kind = TK_NAME;
        if (t->len == 3 && !memcmp(s + i, "and", 3))
            t->kind = TK_AND;
        else if (t->len == 2 && !memcmp(s + i, "or", 2))
            t->kind = TK_OR;
        else if (t->len == 3 && !memcmp(s + i, "not", 3))
            t->kind = TK_NOT;
        p->pos = j;
        return 0;
    }
    char c2 = i + 1 < n ? s[i + 1] : '\0';
    switch (c) {
    case '+': t->kind = TK_PLUS; break;
    case '-': t->kind = TK_MINUS; break;
    case '*': t->kind = TK_STAR; break;
    case '/': t->kind = TK_SLASH; break;
    case '^': t->kind = TK_CARET; break;
    case '(': t->kind = TK_LPAREN; break;
    case ')': t->kind = TK_RPAREN; break;
    case ',': t->kind = TK_COMMA; break;
    case '[': t->kind = TK_LBRACK; break;
    case ']': t->kind = TK_RBRACK; break;
    case '?': t->kind = TK_QUESTION; break;
    case ':': t->kind = TK_COLON; break;
    case '<':
        t->kind = c2 == '=' ? TK_LE : TK_LT;
        break;
    case '>':
        t->kind = c2 == '=' ? TK_GE : TK_GT;
        break;
    case '=':
    case '!':
        if (c2 != '=')
            return bad_char(p, i); /* a lone '=' or '!' is not an operator */
        t->kind = c == '=' ? TK_EQ : TK_NE;
        break;
    default:
        return bad_char(p, i);
    }
    if (t->kind == TK_LE || t->kind == TK_GE || t->kind == TK_EQ || t->kind == TK_NE)
        t->len = 2;
    p->pos = i + t->len;
    return 0;
}

/* ---- emitting postfix nodes ---- */

/* Appends a node and tracks the depth of the value stack, which ex_compile sizes its
   descriptor stack by. */
static int emit(parser *p, ex_op op, size_t name, double value)
{
    ex_ast *a = p->ast;
    ex_node *q = ex_grow(a->nodes, &p->nodes_cap, a->nnodes + 1, sizeof *q);
    if (!q)
        return out_of_memory(p);
    a->nodes = q;
    a->nodes[a->nnodes++] = (ex_node){.op = op, .name = name, .value = value};
    size_t arity = ex_node_arity(a, &a->nodes[a->nnodes - 1]);
    assert(p->stack >= arity); /* the grammar only emits operators after their operands */
    p->stack = p->stack - arity + 1;
    if (p->stack > a->max_stack)
        a->max_stack = p->stack;
    return 0;
}

static int emit_op(parser *p, ex_op op)
{
    return emit(p, op, 0, 0);
}

static size_t hash_bytes(const char *s, size_t n) { return (size_t)wa_hash(s, n); }

/* Puts names[idx] into a table that has a free cell for it. */
static void table_put(size_t *table, size_t cap, const ex_name *names, size_t idx)
{
    size_t h = hash_bytes(names[idx].text, names[idx].len) & (cap - 1);
    while (table[h])
        h = (h + 1) & (cap - 1);
    table[h] = idx + 1;
}

/* Emits a reference to the name s[start..start+len), adding it to the distinct names on
   its first appearance. */
static int emit_name(parser *p, size_t start, size_t len)
{
    ex_ast *a = p->ast;
    const char *word = p->s + start;
    /* keep the table at most half full so that probes stay short */
    if ((a->nnames + 1) * 2 > p->table_cap) {
        size_t cap = p->table_cap ? p->table_cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof(size_t))
            return out_of_memory(p);
        size_t *t = wa_calloc(cap, sizeof *t);
        if (!t)
            return out_of_memory(p);
        for (size_t i = 0; i < a->nnames; i++)
            table_put(t, cap, a->names, i);
        wa_free(p->table);
        p->table = t;
        p->table_cap = cap;
    }
    size_t h = hash_bytes(word, len) & (p->table_cap - 1);
    while (p->table[h]) {
        size_t idx = p->table[h] - 1;
        if (a->names[idx].len == len && !memcmp(a->names[idx].text, word, len))
            return emit(p, EX_NAME, idx, 0);
        h = (h + 1) & (p->table_cap - 1);
    }
    ex_name *q = ex_grow(a->names, &p->names_cap, a->nnames + 1, sizeof *q);
    if (!q)
        return out_of_memory(p);
    a->names = q;
    char *text = wa_malloc(len + 1);
    if (!text)
        return out_of_memory(p);
    memcpy(text, word, len);
    text[len] = '\0';
    size_t idx = a->nnames++;
    a->names[idx] = (ex_name){.text = text, .len = len, .offset = start};
    p->table[h] = idx + 1;
    return emit(p, EX_NAME, idx, 0);
}

/* ---- grammar ---- */

/* One nesting level deeper; callers decrement p->depth when the nested part is done. */
static int enter(parser *p)
{
    if (++p->depth > EX_MAX_NESTING)
        return fail(p, p->tok.start, "expression nested too deeply");
    return 0;
}

static int parse_expr(parser *p);
static int parse_unary(parser *p);

static const ex_func *find_func(const char *name, size_t len)
{
    for (size_t i = 0; i < NFUNCS; i++)
        if (strlen(funcs[i].name) == len && !memcmp(funcs[i].name, name, len))
            return &funcs[i];
    return NULL;
}

static int unknown_function(parser *p, size_t start, size_t len)
{
    const char *name = p->s + start;
    int shown = (int)(len > SHOWN_WORD ? SHOWN_WORD : len);
    const char *dots = len > SHOWN_WORD ? "..." : "";
    const char *names[NFUNCS];
    for (size_t i = 0; i < NFUNCS; i++)
        names[i] = funcs[i].name;
    const char *near = wa_suggest(name, len, names, NFUNCS);
    if (near)
        return fail(p, start, "unknown function '%.*s%s'; did you mean '%s'?", shown, name,
                    dots, near);
    return fail(p, start, "unknown function '%.*s%s'", shown, name, dots);
}

/* NAME '(' args ')', with the lookahead on '('. The call is lowered to operators as the
   arguments arrive (see ex_op in internal.h), so min/max of any arity need no more
   than two stack entries. */
/* '[' expr (',' expr)* ']': the entries' values pushed, their offsets into off[*n..]. */
static int parse_list(parser *p, const char *fname, size_t **off, size_t *n, size_t *cap)
{
    if (p->tok.kind != TK_LBRACK)
        return fail(p, p->tok.start, "%s() takes a list in brackets here, such as [1000, 5000]",
                    fname);
    if (enter(p) || next(p))
        return -1;
    if (p->tok.kind == TK_RBRACK)
        return fail(p, p->tok.start, "%s(): a list needs at least one entry", fname);
    for (;;) {
        size_t *q = ex_grow(*off, cap, *n + 1, sizeof *q);
        if (!q)
            return out_of_memory(p);
        *off = q;
        (*off)[(*n)++] = p->tok.start;
        if (parse_expr(p))
            return -1;
        if (p->tok.kind != TK_COMMA)
            break;
        if (next(p))
            return -1;
    }
    if (p->tok.kind != TK_RBRACK)
        return fail(p, p->tok.start, "expected ']'");
    p->depth--;
    return next(p);
}

/* band(x, [b...], [v...]), tiered(...), interp(x, [x...], [y...]): x, the entries, then the
   node; the lists' lengths checked here, their values where they are known (compile.c). */
static int parse_list_call(parser *p, const ex_func *f, size_t start)
{
    size_t *off = NULL, n = 0, cap = 0, nb = 0, vstart = 0;
    int rc = -1;
    if (enter(p) || next(p) || parse_expr(p))
        goto done;
    if (p->tok.kind != TK_COMMA) {
        fail(p, p->tok.start, "expected ','");
        goto done;
    }
    if (next(p) || parse_list(p, f->name, &off, &n, &cap))
        goto done;
    nb = n;
    if (p->tok.kind != TK_COMMA) {
        fail(p, p->tok.start, "expected ','");
        goto done;
    }
    if (next(p))
        goto done;
    vstart = p->tok.start;
    if (parse_list(p, f->name, &off, &n, &cap))
        goto done;
    if (p->tok.kind != TK_RPAREN) {
        fail(p, p->tok.start, "expected ')'");
        goto done;
    }
    size_t nv = n - nb;
    if (f->op == EX_INTERP && nv != nb) {
        fail(p, vstart, "interp(): %zu x value%s but %zu y value%s; they go in pairs", nb,
             nb == 1 ? "" : "s", nv, nv == 1 ? "" : "s");
        goto done;
    }
    if (f->op != EX_INTERP && nv != nb + 1) {
        fail(p, vstart, "%s(): %zu break%s need %zu %s, one below the first break and one "
             "from each break on, not %zu", f->name, nb, nb == 1 ? "" : "s", nb + 1,
             f->op == EX_BAND ? "prices" : "rates", nv);
        goto done;
    }
    ex_ast *a = p->ast;
    ex_list *l = ex_grow(a->lists, &p->lists_cap, a->nlists + 1, sizeof *l);
    if (!l) {
        out_of_memory(p);
        goto done;
    }
    a->lists = l;
    a->lists[a->nlists] = (ex_list){.call = start, .nb = nb, .nv = nv, .off = off};
    off = NULL; /* the list owns them */
    a->nlists++;
    p->depth--;
    if (emit(p, f->op, a->nlists - 1, 0))
        goto done;
    rc = next(p);
done:
    wa_free(off);
    return rc;
}

static int parse_call(parser *p, size_t start, size_t len)
{
    const ex_func *f = find_func(p->s + start, len);
    if (!f)
        return unknown_function(p, start, len);
    if (ex_is_list_op(f->op))
        return parse_list_call(p, f, start);
    int is_clamp = !strcmp(f->name, "clamp");
    if (enter(p) || next(p))
        return -1;
    size_t nargs = 0;
    if (p->tok.kind != TK_RPAREN) {
        for (;;) {
            if (parse_expr(p))
                return -1;
            nargs++;
            if (f->nargs == 0 && nargs >= 2 && emit_op(p, f->op))
                return -1;
            if (is_clamp && nargs == 2 && emit_op(p, EX_MAX)) /* max(x, lo) ... */
                return -1;
            if (p->tok.kind != TK_COMMA)
                break;
            if (next(p))
                return -1;
        }
        if (p->tok.kind != TK_RPAREN)
            return fail(p, p->tok.start, "expected ')'");
    }
    p->depth--;
    if (f->nargs == 0 && nargs == 0)
        return fail(p, start, "function '%s' takes at least 1 argument", f->name);
    if (f->nargs > 0 && nargs != (size_t)f->nargs)
        return fail(p, start, "function '%s' takes %d argument%s, got %zu", f->name, f->nargs,
                    f->nargs == 1 ? "" : "s", nargs);
    if (f->nargs > 0 && emit_op(p, f->op)) /* ... then min(that, hi) for clamp */
        return -1;
    return next(p);
}

/* atom := NUMBER | NAME | NAME '(' args ')' | '(' expr ')' */
static int parse_atom(parser *p)
{
    switch (p->tok.kind) {
    case TK_NUM:
        return emit(p, EX_NUM, 0, p->tok.value) || next(p) ? -1 : 0;
    case TK_NAME: {
        size_t start = p->tok.start, len = p->tok.len;
        if (next(p))
            return -1;
        if (p->tok.kind == TK_LPAREN)
            return parse_call(p, start, len);
        if (len == 1 && p->s[start] == 't') {
            if (!p->ast->uses_t)
                p->ast->t_offset = start;
            p->ast->uses_t = 1;
            return emit_op(p, EX_T);
        }
        return emit_name(p, start, len);
    }
    case TK_LPAREN:
        if (enter(p) || next(p) || parse_expr(p))
            return -1;
        if (p->tok.kind != TK_RPAREN)
            return fail(p, p->tok.start, "expected ')'");
        p->depth--;
        return next(p);
    default:
        return fail(p, p->tok.start, "expected an expression");
    }
}

/* pow := atom ('^' unary)? — the exponent is a unary, so 2^-1 works and 2^3^2 = 2^(3^2) */
static int parse_pow(parser *p)
{
    if (parse_atom(p))
        return -1;
    if (p->tok.kind != TK_CARET)
        return 0;
    if (enter(p) || next(p) || parse_unary(p))
        return -1;
    p->depth--;
    return emit_op(p, EX_POW);
}

/* unary := '-' unary | '+' unary | pow — below ^, so -2^2 = -(2^2) */
static int parse_unary(parser *p)
{
    tok_kind k = p->tok.kind;
    if (k != TK_MINUS && k != TK_PLUS)
        return parse_pow(p);
    if (enter(p) || next(p) || parse_unary(p))
        return -1;
    p->depth--;
    return k == TK_MINUS ? emit_op(p, EX_NEG) : 0;
}

/* mul := unary (('*'|'/') unary)* */
static int parse_mul(parser *p)
{
    if (parse_unary(p))
        return -1;
    while (p->tok.kind == TK_STAR || p->tok.kind == TK_SLASH) {
        ex_op op = p->tok.kind == TK_STAR ? EX_MUL : EX_DIV;
        if (next(p) || parse_unary(p) || emit_op(p, op))
            return -1;
    }
    return 0;
}

/* add := mul (('+'|'-') mul)* */
static int parse_add(parser *p)
{
    if (parse_mul(p))
        return -1;
    while (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS) {
        ex_op op = p->tok.kind == TK_PLUS ? EX_ADD : EX_SUB;
        if (next(p) || parse_mul(p) || emit_op(p, op))
            return -1;
    }
    return 0;
}

static int cmp_op(tok_kind k, ex_op *op)
{
    switch (k) {
    case TK_LT: *op = EX_LT; return 1;
    case TK_LE: *op = EX_LE; return 1;
    case TK_GT: *op = EX_GT; return 1;
    case TK_GE: *op = EX_GE; return 1;
    case TK_EQ: *op = EX_EQ; return 1;
    case TK_NE: *op = EX_NE; return 1;
    default: return 0;
    }
}

/* cmp := add (cmpop add)* — left to right, as in C: 1 < 2 == 1 is (1 < 2) == 1 */
static int parse_cmp(parser *p)
{
    if (parse_add(p))
        return -1;
    ex_op op;
    while (cmp_op(p->tok.kind, &op)) {
        if (next(p) || parse_add(p) || emit_op(p, op))
            return -1;
    }
    return 0;
}

/* not := 'not' not | cmp */
static int parse_not(parser *p)
{
    if (p->tok.kind != TK_NOT)
        return parse_cmp(p);
    if (enter(p) || next(p) || parse_not(p))
        return -1;
    p->depth--;
    return emit_op(p, EX_NOT);
}

/* and := not ('and' not)* */
static int parse_and(parser *p)
{
    if (parse_not(p))
        return -1;
    while (p->tok.kind == TK_AND) {
        if (next(p) || parse_not(p) || emit_op(p, EX_AND))
            return -1;
    }
    return 0;
}

/* or := and ('or' and)* */
static int parse_or(parser *p)
{
    if (parse_and(p))
        return -1;
    while (p->tok.kind == TK_OR) {
        if (next(p) || parse_and(p) || emit_op(p, EX_OR))
            return -1;
    }
    return 0;
}

/* expr := or ('?' expr ':' expr)? — the else branch is an expr, hence right-associative */
static int parse_expr(parser *p)
{
    if (parse_or(p))
        return -1;
    if (p->tok.kind != TK_QUESTION)
        return 0;
    if (enter(p) || next(p) || parse_expr(p))
        return -1;
    if (p->tok.kind != TK_COLON)
        return fail(p, p->tok.start, "expected ':' after the '?' branch");
    if (next(p) || parse_expr(p))
        return -1;
    p->depth--;
    return emit_op(p, EX_SELECT);
}

/* ---- public ---- */

ex_ast *ex_parse(const char *text, size_t len, ex_error *err)
{
    parser p = {.s = text, .len = len, .err = err};
    if (err)
        err->nomem = 0;
    p.ast = wa_calloc(1, sizeof *p.ast);
    if (!p.ast) {
        out_of_memory(&p);
        return NULL;
    }
    int rc = next(&p) || parse_expr(&p);
    if (!rc && p.tok.kind != TK_END) {
        /* a complete expression followed by more: an operator or the end was expected */
        size_t n = p.tok.len > SHOWN_TOKEN ? SHOWN_TOKEN : p.tok.len;
        rc = fail(&p, p.tok.start, "unexpected '%.*s'", (int)n, text + p.tok.start);
    }
    wa_free(p.table);
    if (rc) {
        ex_ast_free(p.ast);
        return NULL;
    }
    assert(p.stack == 1);
    return p.ast;
}

void ex_ast_free(ex_ast *ast)
{
    if (!ast)
        return;
    for (size_t i = 0; i < ast->nnames; i++)
        wa_free(ast->names[i].text);
    wa_free(ast->names);
    wa_free(ast->nodes);
    for (size_t i = 0; i < ast->nlists; i++)
        wa_free(ast->lists[i].off);
    wa_free(ast->lists);
    wa_free(ast);
}

size_t ex_ast_nnames(const ex_ast *ast)
{
    return ast->nnames;
}

/* NULL (and *offset untouched) when i is out of range. */
const char *ex_ast_name(const ex_ast *ast, size_t i, size_t *offset)
{
    if (i >= ast->nnames)
        return NULL;
    if (offset)
        *offset = ast->names[i].offset;
    return ast->names[i].text;
}

size_t ex_ast_t_offset(const ex_ast *ast)
{
    return ast->t_offset;
}

int ex_ast_uses_t(const ex_ast *ast)
{
    return ast->uses_t;
}
