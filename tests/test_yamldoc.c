/*
 * test_yamldoc.c — the YAML tree: shapes, positions, styles, every refusal with its exact
 * message and position, and columns inside scalars.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/source.h"
#include "load/yamldoc.h"

static wa_diagnostics *diags;
static wa_source *src;
static yd_doc *doc;

static void setup(void)
{
    diags = wa_diagnostics_new();
    cr_assert_not_null(diags);
}

static void teardown(void)
{
    yd_free(doc);
    wa_source_free(src);
    wa_diagnostics_free(diags);
}

TestSuite(yamldoc, .init = setup, .fini = teardown);

/* Parses text[0..len) as t.yaml into the globals; returns yd_parse's status. */
static wa_status parse_n(const char *text, size_t len)
{
    yd_free(doc);
    doc = NULL;
    wa_source_free(src);
    src = NULL;
    wa_diagnostics_clear(diags);
    cr_assert_eq(wa_source_from_buffer(text, len, "t.yaml", &src, diags), WA_OK);
    return yd_parse(src, &doc, diags);
}

static wa_status parse(const char *text) { return parse_n(text, strlen(text)); }

static const yd_node *parse_ok(const char *text)
{
    wa_status st = parse(text);
    const wa_diagnostic *e = wa_diagnostics_get(diags, 0);
    cr_assert_eq(st, WA_OK, "%s", e ? e->message : "");
    cr_assert_eq(wa_diagnostics_count(diags), 0);
    cr_assert_not_null(doc);
    return yd_root(doc);
}

/* Diagnostic i is an error at line:col with exactly msg. */
static void expect(size_t i, int line, int col, const char *msg)
{
    const wa_diagnostic *e = wa_diagnostics_get(diags, i);
    cr_assert_not_null(e, "no diagnostic %zu", i);
    cr_assert_eq(e->severity, WA_ERROR);
    cr_assert_eq(e->code, WA_EINVALID);
    cr_assert_str_eq(e->file, "t.yaml");
    cr_assert_str_eq(e->message, msg);
    cr_assert_eq(e->line, line, "%s: line %d", msg, e->line);
    cr_assert_eq(e->column, col, "%s: column %d", msg, e->column);
}

/* text is refused with exactly one error, msg at line:col. */
static void refused(const char *text, int line, int col, const char *msg)
{
    cr_assert_eq(parse(text), WA_EINVALID);
    cr_assert_null(doc);
    cr_assert_eq(wa_diagnostics_count(diags), 1, "%zu diagnostics for %s",
                 wa_diagnostics_count(diags), msg);
    expect(0, line, col, msg);
}

static void expect_scalar(const yd_node *n, const char *value, int style, int line, int col)
{
    cr_assert_not_null(n);
    cr_assert_eq(n->kind, YD_SCALAR);
    cr_assert_str_eq(n->str, value);
    cr_assert_eq(n->len, strlen(value));
    cr_assert_eq(n->style, style, "style of %s: %d", value, n->style);
    cr_assert_eq(n->line, line, "line of %s: %d", value, n->line);
    cr_assert_eq(n->col, col, "column of %s: %d", value, n->col);
}

/* ---- trees -------------------------------------------------------------------------- */

Test(yamldoc, builds_a_block_mapping_with_positions_and_styles)
{
    const yd_node *r = parse_ok("name: x\n"
                                "list: [a, 'b', \"c\"]\n"
                                "map: {d: e}\n"
                                "seq:\n"
                                "  - 1\n"
                                "  - k: v\n");
    cr_assert_eq(r->kind, YD_MAP);
    cr_assert_eq(r->style, 0);
    cr_assert_eq(r->line, 1);
    cr_assert_eq(r->col, 1);
    cr_assert_eq(r->n, 4);
    expect_scalar(yd_key(r, 0), "name", 0, 1, 1);
    expect_scalar(yd_val(r, 0), "x", 0, 1, 7);
    expect_scalar(yd_key(r, 3), "seq", 0, 4, 1);

    const yd_node *list = yd_get(r, "list");
    cr_assert_eq(list, yd_val(r, 1));
    cr_assert_eq(list->kind, YD_SEQ);
    cr_assert_eq(list->style, '[');
    cr_assert_eq(list->line, 2);
    cr_assert_eq(list->col, 7);
    cr_assert_eq(list->n, 3);
    cr_assert_eq(list->len, 0);
    expect_scalar(yd_val(list, 0), "a", 0, 2, 8);
    expect_scalar(yd_val(list, 1), "b", '\'', 2, 11);
    expect_scalar(yd_val(list, 2), "c", '"', 2, 16);

    const yd_node *map = yd_get(r, "map");
    cr_assert_eq(map->kind, YD_MAP);
    cr_assert_eq(map->style, '{');
    cr_assert_eq(map->n, 1);
    expect_scalar(yd_get(map, "d"), "e", 0, 3, 10);

    const yd_node *seq = yd_get(r, "seq");
    cr_assert_eq(seq->kind, YD_SEQ);
    cr_assert_eq(seq->style, 0);
    cr_assert_eq(seq->line, 5);
    cr_assert_eq(seq->col, 3);
    cr_assert_eq(seq->n, 2);
    expect_scalar(yd_val(seq, 0), "1", 0, 5, 5);
    cr_assert_eq(yd_val(seq, 1)->kind, YD_MAP);
    cr_assert_eq(yd_val(seq, 1)->line, 6);
    cr_assert_eq(yd_val(seq, 1)->col, 5);
    expect_scalar(yd_get(yd_val(seq, 1), "k"), "v", 0, 6, 8);
}

Test(yamldoc, keeps_block_scalar_styles_and_values)
{
    const yd_node *r = parse_ok("lit: |\n  a\n  b\nfold: >\n  a\n  b\nq: \"x\\ty\\u00e9\"\n");
    expect_scalar(yd_get(r, "lit"), "a\nb\n", '|', 1, 6);
    expect_scalar(yd_get(r, "fold"), "a b\n", '>', 4, 7);
    expect_scalar(yd_get(r, "q"), "x\ty\xC3\xA9", '"', 7, 4);
}

Test(yamldoc, gives_empty_collections_no_arrays)
{
    const yd_node *r = parse_ok("a: []\nb: {}\n");
    cr_assert_eq(yd_get(r, "a")->kind, YD_SEQ);
    cr_assert_eq(yd_get(r, "a")->n, 0);
    cr_assert_eq(yd_get(r, "b")->kind, YD_MAP);
    cr_assert_eq(yd_get(r, "b")->n, 0);
    cr_assert_null(yd_get(yd_get(r, "b"), "x"));
}

Test(yamldoc, has_no_root_without_a_document)
{
    cr_assert_null(parse_ok(""));
    cr_assert_null(parse_ok("# only a comment\n\n   # and another\n"));
    cr_assert_null(parse_ok("\xEF\xBB\xBF"));
}

Test(yamldoc, keeps_an_empty_document_as_an_empty_scalar)
{
    /* The loader, not this module, says what is wrong with such a file. */
    expect_scalar(parse_ok("---\n"), "", 0, 2, 1);
    expect_scalar(parse_ok("~\n"), "~", 0, 1, 1);
    expect_scalar(parse_ok("--- # c\n...\n"), "", 0, 2, 1);
}

Test(yamldoc, ignores_a_BOM_and_CRLF_in_positions)
{
    const yd_node *r = parse_ok("\xEF\xBB\xBF" "a: 1\r\n\r\nb:\r\n  - x\r\n");
    expect_scalar(yd_key(r, 0), "a", 0, 1, 1);
    expect_scalar(yd_val(r, 0), "1", 0, 1, 4);
    expect_scalar(yd_key(r, 1), "b", 0, 3, 1);
    expect_scalar(yd_val(yd_get(r, "b"), 0), "x", 0, 4, 5);
}

Test(yamldoc, counts_columns_in_characters)
{
    const yd_node *r = parse_ok("\xC3\xA9t\xC3\xA9: [\xE2\x82\xAC, b]\n");
    expect_scalar(yd_key(r, 0), "\xC3\xA9t\xC3\xA9", 0, 1, 1);
    expect_scalar(yd_val(yd_val(r, 0), 0), "\xE2\x82\xAC", 0, 1, 7);
    expect_scalar(yd_val(yd_val(r, 0), 1), "b", 0, 1, 10);
}

Test(yamldoc, ignores_tags)
{
    const yd_node *r = parse_ok("a: !!str 5\nb: !custom [1]\n");
    expect_scalar(yd_get(r, "a"), "5", 0, 1, 4); /* the node starts at its tag */
    cr_assert_eq(yd_get(r, "b")->kind, YD_SEQ);
}

Test(yamldoc, reads_a_very_long_line)
{
    size_t n = 1000000;
    char *text = malloc(n + 8);
    cr_assert_not_null(text);
    memcpy(text, "k: ", 3);
    memset(text + 3, 'x', n);
    memcpy(text + 3 + n, "\n", 2);
    const yd_node *r = parse_ok(text);
    cr_assert_eq(yd_get(r, "k")->len, n);
    free(text);
}

Test(yamldoc, gets_values_by_key)
{
    const yd_node *r = parse_ok("a: 1\nab: 2\n'': 3\n");
    expect_scalar(yd_get(r, "ab"), "2", 0, 2, 5);
    expect_scalar(yd_get(r, ""), "3", 0, 3, 5);
    cr_assert_null(yd_get(r, "b"));
    cr_assert_null(yd_get(r, "a\xC3"));
    cr_assert_null(yd_get(yd_get(r, "a"), "a")); /* not a mapping */
    cr_assert_null(yd_get(NULL, "a"));
    cr_assert_null(yd_get(r, NULL));
}

Test(yamldoc, names_kinds)
{
    cr_assert_str_eq(yd_kind_name(YD_SCALAR), "a scalar");
    cr_assert_str_eq(yd_kind_name(YD_MAP), "a mapping");
    cr_assert_str_eq(yd_kind_name(YD_SEQ), "a sequence");
    cr_assert_null(yd_root(NULL));
    yd_free(NULL);
}

Test(yamldoc, accepts_64_levels_of_nesting)
{
    char text[300];
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    text[128] = '\0';
    const yd_node *n = parse_ok(text);
    int depth = 0;
    for (; n->n; n = yd_val(n, 0))
        depth++;
    cr_assert_eq(depth, 63); /* 64 sequences, the innermost empty */
}

Test(yamldoc, handles_many_keys_in_one_mapping)
{
    size_t keys = 100000;
    char *text = malloc(keys * 16 + 32);
    cr_assert_not_null(text);
    size_t o = 0;
    for (size_t i = 0; i < keys; i++)
        o += (size_t)sprintf(text + o, "k%zu: %zu\n", i, i);
    const yd_node *r = parse_ok(text);
    cr_assert_eq(r->n, keys);
    expect_scalar(yd_get(r, "k99999"), "99999", 0, 100000, 9);
    /* ... and still finds a duplicate among them. */
    sprintf(text + o, "k77: again\n");
    cr_assert_eq(parse(text), WA_EINVALID);
    cr_assert_eq(wa_diagnostics_count(diags), 1);
    expect(0, 100001, 1, "duplicate key 'k77' (first at line 78)");
    free(text);
}

/* ---- refusals --------------------------------------------------------------------------- */

Test(yamldoc, reports_libyaml_syntax_errors)
{
    refused("a: b: c\n", 1, 5, "YAML syntax error: mapping values are not allowed in this context; a value holding ': ' (such as c ? a : b) must be quoted");
    refused("a:\n\t- 1\n", 2, 1, "YAML syntax error: found character that cannot start any token");
    refused("- a\nb: 1\n", 2, 1,
            "YAML syntax error: did not find expected '-' indicator (while parsing a block "
            "collection that starts at line 1, column 1)");
    refused("a: \"\\q\"\n", 1, 5,
            "YAML syntax error: found unknown escape character (while parsing a quoted scalar "
            "that starts at line 1, column 4)");
}

Test(yamldoc, says_where_an_unclosed_construct_starts)
{
    refused("x: 1\nname: \"abc\n", 3, 1,
            "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar "
            "that starts at line 2, column 7)");
    refused("a: {b: 1\n", 2, 1,
            "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping "
            "that starts at line 1, column 4)");
}

Test(yamldoc, reports_syntax_errors_on_CRLF_lines)
{
    refused("a: 1\r\nb: c: d\r\n", 2, 5,
            "YAML syntax error: mapping values are not allowed in this context; a value holding ': ' (such as c ? a : b) must be quoted");
    cr_assert_str_eq(wa_diagnostics_get(diags, 0)->source_line, "b: c: d");
}

Test(yamldoc, refuses_a_second_document)
{
    refused("a: 1\n---\nb: [2\n", 2, 1, "more than one YAML document in the file");
    refused("--- 1\n--- 2\n--- 3\n", 2, 1, "more than one YAML document in the file");
    refused("a: 1\n...\n---\nb: 2\n", 3, 1, "more than one YAML document in the file");
}

Test(yamldoc, refuses_aliases_and_anchors)
{
    cr_assert_eq(parse("base: &b 10\ncopy: *b\nlist: &l [1]\n"), WA_EINVALID);
    cr_assert_null(doc);
    cr_assert_eq(wa_diagnostics_count(diags), 3);
    expect(0, 1, 7, "YAML anchors are not supported");
    expect(1, 2, 7, "YAML aliases are not supported; write the value out");
    expect(2, 3, 7, "YAML anchors are not supported");
}

Test(yamldoc, refuses_an_alias_as_a_key_once)
{
    cr_assert_eq(parse("a: &x 1\n*x : 2\n"), WA_EINVALID);
    cr_assert_eq(wa_diagnostics_count(diags), 2); /* not also "mapping keys must be scalars" */
    expect(0, 1, 4, "YAML anchors are not supported");
    expect(1, 2, 1, "YAML aliases are not supported; write the value out");
    cr_assert_eq(parse("? *x\n: 2\n? *x\n: 3\n"), WA_EINVALID);
    cr_assert_eq(wa_diagnostics_count(diags), 2); /* no duplicate: aliases have no value */
    expect(0, 1, 3, "YAML aliases are not supported; write the value out");
    expect(1, 3, 3, "YAML aliases are not supported; write the value out");
}

Test(yamldoc, refuses_keys_that_are_not_scalars)
{
    refused("? [1, 2]\n: x\n", 1, 3, "mapping keys must be scalars");
    refused("{{a: 1}: x}\n", 1, 2, "mapping keys must be scalars");
    /* Equal collections are not reported as duplicates as well. */
    cr_assert_eq(parse("? [1]\n: x\n? [1]\n: y\n"), WA_EINVALID);
    cr_assert_eq(wa_diagnostics_count(diags), 2);
    expect(0, 1, 3, "mapping keys must be scalars");
    expect(1, 3, 3, "mapping keys must be scalars");
}

Test(yamldoc, refuses_duplicate_keys_naming_the_first)
{
    refused("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)");
    /* by value, whatever the quoting */
    refused("a: 1\n\"a\": 2\n", 2, 1, "duplicate key 'a' (first at line 1)");
    refused("x: {'k': 1, k: 2}\n", 1, 13, "duplicate key 'k' (first at line 1)");
    /* the same key in two mappings is fine */
    parse_ok("x: {a: 1}\ny: {a: 2}\na: 3\n");
}

Test(yamldoc, shows_odd_duplicate_keys_on_one_line)
{
    refused("\"a\\nb\\x01\": 1\n\"a\\nb\\x01\": 2\n", 2, 1,
            "duplicate key 'a\\nb\\x01' (first at line 1)");
    refused("? \"0123456789012345678901234567890123456789\xC3\xA9z\"\n: 1\n"
            "? \"0123456789012345678901234567890123456789\xC3\xA9z\"\n: 2\n",
            3, 3, "duplicate key '0123456789012345678901234567890123456789...' (first at line 1)");
    refused("\"012345678901234567890123456789012345678\xC3\xA9z\": 1\n"
            "\"012345678901234567890123456789012345678\xC3\xA9z\": 2\n", 2, 1,
            "duplicate key '012345678901234567890123456789012345678...' (first at line 1)");
}

Test(yamldoc, reports_every_tree_problem_in_one_pass)
{
    cr_assert_eq(parse("a: 1\n"
                       "b: {c: 1, c: 2}\n"
                       "a: *x\n"
                       "? [k]\n"
                       ": v\n"
                       "d: [1\n"),
                 WA_EINVALID);
    cr_assert_null(doc);
    cr_assert_eq(wa_diagnostics_count(diags), 5);
    expect(0, 2, 11, "duplicate key 'c' (first at line 2)");
    expect(1, 3, 1, "duplicate key 'a' (first at line 1)");
    expect(2, 3, 4, "YAML aliases are not supported; write the value out");
    expect(3, 4, 3, "mapping keys must be scalars");
    expect(4, 7, 1,
           "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence "
           "that starts at line 6, column 4)");
}

Test(yamldoc, refuses_nesting_deeper_than_64)
{
    char text[300];
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    text[130] = '\0';
    refused(text, 1, 65, "nesting deeper than 64 levels");

    /* Block style counts the same. */
    char block[8192];
    size_t o = 0;
    for (int i = 0; i < 65; i++)
        o += (size_t)sprintf(block + o, "%*sk:\n", 2 * i, "");
    refused(block, 65, 129, "nesting deeper than 64 levels");
}

Test(yamldoc, stops_early_in_absurdly_deep_nesting, .timeout = 10)
{
    /* libyaml alone takes seconds per 100000 levels (its scanner is quadratic in flow
       depth); stopping at level 65 makes this instant. */
    size_t n = 100000;
    char *text = malloc(2 * n + 2);
    cr_assert_not_null(text);
    memset(text, '[', n);
    memset(text + n, ']', n);
    memcpy(text + 2 * n, "\n", 2);
    refused(text, 1, 65, "nesting deeper than 64 levels");
    text[n] = '\0'; /* and unclosed */
    refused(text, 1, 65, "nesting deeper than 64 levels");
    free(text);
}

Test(yamldoc, reports_reader_errors_without_a_position)
{
    /* wa_source refuses control characters itself; a source built by hand reaches
       libyaml's reader, whose errors carry a byte offset only. */
    char text[] = "a: \x01\n";
    wa_source bad = {"t.yaml", text, sizeof text - 1};
    cr_assert_eq(yd_parse(&bad, &doc, diags), WA_EINVALID);
    cr_assert_null(doc);
    cr_assert_eq(wa_diagnostics_count(diags), 1);
    expect(0, 0, 0, "YAML syntax error: control characters are not allowed");
}

Test(yamldoc, rejects_impossible_arguments)
{
    cr_assert_eq(yd_parse(NULL, &doc, diags), WA_EUSAGE);
    cr_assert_null(doc);
    wa_source empty = {"t.yaml", NULL, 0};
    cr_assert_eq(yd_parse(&empty, NULL, diags), WA_EUSAGE);
    cr_assert_eq(yd_parse(&empty, &doc, diags), WA_OK);
    cr_assert_null(yd_root(doc));
}

/* ---- columns inside scalars ------------------------------------------------------------- */

/* The column (and line) of value byte `offset` in the scalar under key `key`. */
static void expect_column(const char *key, size_t offset, int line, int col)
{
    const yd_node *n = yd_get(yd_root(doc), key);
    cr_assert_not_null(n, "no key %s", key);
    int l = -1;
    int c = yd_scalar_column(src, n, offset, &l);
    cr_assert_eq(c, col, "%s[%zu]: column %d, not %d", key, offset, c, col);
    cr_assert_eq(l, line, "%s[%zu]: line %d, not %d", key, offset, l, line);
}

Test(yamldoc, finds_columns_in_plain_scalars)
{
    parse_ok("a: x + y\n"
             "\xC3\xA9: x + y\n"            /* a two-byte name before the value */
             "b: \xE2\x82\xAC + y\n"        /* a three-byte character inside */
             "c: !!str x + y\n"             /* a tag before it */
             "f: [0, x + y]\n");
    expect_column("a", 0, 1, 4);
    expect_column("a", 2, 1, 6);
    expect_column("a", 5, 1, 9);  /* the end */
    expect_column("a", 99, 1, 9); /* past the end: the end */
    expect_column("\xC3\xA9", 2, 2, 6);
    expect_column("b", 4, 3, 6);  /* '+' after € and a space */
    expect_column("b", 1, 3, 4);  /* inside €: its column */
    expect_column("c", 2, 4, 12);
    const yd_node *seq = yd_get(yd_root(doc), "f");
    int line;
    cr_assert_eq(yd_scalar_column(src, yd_val(seq, 1), 4, &line), 12);
    cr_assert_eq(line, 5);
}

Test(yamldoc, finds_columns_in_single_quoted_scalars)
{
    parse_ok("a: 'it''s + y'\n"
             "b: '\xC3\xA9 + y'\n"
             "c: !!str 'x + y'\n");
    expect_column("a", 0, 1, 5);
    expect_column("a", 2, 1, 7);  /* the quote pair */
    expect_column("a", 3, 1, 9);  /* s: '' took two columns */
    expect_column("a", 5, 1, 11); /* + */
    expect_column("a", 8, 1, 14); /* the end: the closing quote */
    expect_column("b", 3, 2, 7);
    expect_column("c", 2, 3, 13);
}

Test(yamldoc, finds_columns_in_double_quoted_scalars)
{
    parse_ok("a: \"\\u00e9 + \\x41\\\"\\\\z\"\n"
             "b: \"\\U0001F600\\N\\_\\L\\P!\\t\\/\"\n"
             "c: \"\xC3\xA9 + y\"\n");
    /* a's value: é(2) ' ' '+' ' ' A " \ z */
    expect_column("a", 0, 1, 5);
    expect_column("a", 1, 1, 5);  /* inside \u00e9: the backslash */
    expect_column("a", 2, 1, 11);
    expect_column("a", 3, 1, 12);
    expect_column("a", 5, 1, 14); /* \x41 */
    expect_column("a", 6, 1, 18); /* \" */
    expect_column("a", 7, 1, 20); /* \\ */
    expect_column("a", 8, 1, 22); /* z */
    expect_column("a", 9, 1, 23); /* the end: the closing quote */
    /* b's value: U+1F600 (4 bytes) NEL(2) NBSP(2) LS(3) PS(3) ! TAB / */
    expect_column("b", 4, 2, 15);
    expect_column("b", 6, 2, 17);
    expect_column("b", 8, 2, 19);
    expect_column("b", 11, 2, 21);
    expect_column("b", 14, 2, 23);
    expect_column("b", 15, 2, 24);
    expect_column("b", 16, 2, 26);
    expect_column("c", 3, 3, 7);
    cr_assert_eq(yd_get(yd_root(doc), "b")->len, 17);
}

Test(yamldoc, falls_back_to_the_node_on_other_lines)
{
    parse_ok("a: x +\n  y\n"
             "b: \"x +\n  y\"\n"
             "c: |\n  x + y\n"
             "d: >\n  x + y\n"
             "e: \"x \\\n  y\"\n");
    expect_column("a", 2, 1, 6); /* the first line is still exact */
    expect_column("a", 4, 1, 4); /* y: the node */
    expect_column("a", 3, 1, 4); /* the space a line break became */
    expect_column("b", 2, 3, 7);
    expect_column("b", 4, 3, 4);
    expect_column("c", 2, 5, 4);
    expect_column("d", 2, 7, 4);
    expect_column("e", 1, 9, 6);
    expect_column("e", 2, 9, 4); /* y, after an escaped line break */
    /* not a scalar, and no node at all */
    int line = -1;
    cr_assert_eq(yd_scalar_column(src, yd_root(doc), 0, &line), 1);
    cr_assert_eq(line, 1);
    cr_assert_eq(yd_scalar_column(src, NULL, 0, &line), 0);
    cr_assert_eq(line, 0);
}

Test(yamldoc, finds_columns_on_CRLF_and_BOM_lines)
{
    parse_ok("\xEF\xBB\xBF" "a: x + y\r\nb: 'x + y'\r\n");
    expect_column("a", 2, 1, 6);
    expect_column("b", 4, 2, 9);
}
