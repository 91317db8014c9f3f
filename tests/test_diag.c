/*
 * test_diag.c — the diagnostics list, the one formatter (compiler style, caret under the
 * column, windows on long lines) and "did you mean" suggestions.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "load/diag.h"
#include "load/source.h"
#include "util/suggest.h"

static char out[4096];

static const char *format_first(const char *text, int line, int col, wa_severity sev,
                                const char *msg)
{
    wa_source *src = NULL;
    cr_assert_eq(wa_source_from_buffer(text, strlen(text), "f.yaml", &src, NULL), WA_OK);
    wa_diagnostics *d = wa_diagnostics_new();
    wa_diag_add(d, sev, WA_EINVALID, src, line, col, "%s", msg);
    wa_source_free(src); /* the entry keeps its own copy of the line */
    size_t need = wa_diagnostic_format(wa_diagnostics_get(d, 0), out, sizeof out);
    cr_assert_eq(need, strlen(out));
    wa_diagnostics_free(d);
    return out;
}

Test(diag, compiler_style_with_caret)
{
    cr_expect_str_eq(format_first("a: 1\nbb: 2 +\n", 2, 8, WA_ERROR, "expected an expression"),
                     "f.yaml:2:8: error: expected an expression\nbb: 2 +\n       ^\n");
}

Test(diag, warning_and_no_source_line)
{
    cr_expect_str_eq(format_first("a: 1\n", 0, 0, WA_WARNING, "something"),
                     "f.yaml: warning: something\n");
}

Test(diag, caret_counts_characters_and_keeps_tabs)
{
    /* "é" is two bytes and one column; a tab is copied so the caret lines up */
    cr_expect_str_eq(format_first("n\xc3\xa9\tx: y\n", 1, 4, WA_ERROR, "m"),
                     "f.yaml:1:4: error: m\nn\xc3\xa9\tx: y\n  \t^\n");
}

Test(diag, long_lines_are_windowed)
{
    char line[1200];
    memset(line, 'a', 1000);
    memcpy(line + 500, "ZZ", 2);
    line[1000] = '\0';
    format_first(line, 1, 501, WA_ERROR, "here");
    /* 60 columns before the caret, 160 shown, "..." on each cut side */
    const char *second = strchr(out, '\n') + 1;
    const char *third = strchr(second, '\n') + 1;
    cr_expect_eq(strncmp(second, "...", 3), 0);
    cr_expect_eq(third - second, 3 + 160 + 3 + 1);
    cr_expect_eq(strncmp(second + 3 + 60, "ZZ", 2), 0);
    cr_expect_eq(strspn(third, " "), 3 + 60);
    cr_expect_eq(third[63], '^');
}

Test(diag, snprintf_contract)
{
    format_first("a: 1\n", 1, 1, WA_ERROR, "m");
    wa_source *src = NULL;
    cr_assert_eq(wa_source_from_buffer("a: 1\n", 5, "f.yaml", &src, NULL), WA_OK);
    wa_diagnostics *d = wa_diagnostics_new();
    wa_diag_error(d, src, 1, 1, "m");
    char small[8];
    size_t need = wa_diagnostic_format(wa_diagnostics_get(d, 0), small, sizeof small);
    cr_expect_eq(need, strlen(out));
    cr_expect_eq(strlen(small), 7);
    cr_expect_eq(wa_diagnostics_errors(d), 1);
    wa_diagnostics_clear(d);
    cr_expect_eq(wa_diagnostics_count(d), 0);
    cr_expect_null(wa_diagnostics_get(d, 0));
    wa_diagnostics_free(d);
    wa_diagnostics_free(NULL);
    wa_source_free(src);
}

Test(suggest, nearest_within_a_third)
{
    static const char *const keys[] = {"trials", "seed", "method", "confidence", "precision"};
    cr_expect_str_eq(wa_suggest("trails", 6, keys, 5), "trials"); /* a transposition */
    cr_expect_str_eq(wa_suggest("sed", 3, keys, 5), "seed");
    cr_expect_str_eq(wa_suggest("Method", 6, keys, 5), "method"); /* case only */
    cr_expect_null(wa_suggest("colour", 6, keys, 5));
    cr_expect_null(wa_suggest("x", 1, keys, 5));
    static const char *const one[] = {"w"};
    cr_expect_null(wa_suggest("x", 1, one, 1)); /* one letter: never a guess */
    cr_expect_eq(wa_edit_distance("mdoe", 4, "mode", 4), 1);
    cr_expect_eq(wa_edit_distance("", 0, "abc", 3), 3);
}

Test(diag, control_characters_do_not_reach_the_terminal)
{
    /* an ESC sequence in a hostile file is shown as '?' characters, caret in place */
    wa_diagnostics *d = wa_diagnostics_new();
    wa_diag_add(d, WA_ERROR, WA_EINVALID, NULL, 0, 0, "x");
    wa_diagnostic e = *wa_diagnostics_get(d, 0);
    e.file = "f";
    e.line = 1;
    e.column = 5;
    e.source_line = "a\x1b[2Jb";
    wa_diagnostic_format(&e, out, sizeof out);
    cr_expect_str_eq(out, "f:1:5: error: x\na?[2Jb\n    ^\n");
    e.source_line = ""; /* an empty line is not shown */
    wa_diagnostic_format(&e, out, sizeof out);
    cr_expect_str_eq(out, "f:1:5: error: x\n");
    wa_diagnostics_free(d);
}
