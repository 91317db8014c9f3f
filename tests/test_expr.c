/*
 * test_expr.c — the expression language (engine/expr.h, SPEC §1.1): grammar, literals,
 * functions, error messages with their offsets, names, folding and column evaluation.
 *
 * Values are compared exactly wherever the arithmetic is exact or the test computes the
 * same IEEE operations in the same order; NaN is compared as "is NaN".
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "expr/internal.h" /* only to look at the compiled program in folding tests */

/* ---- helpers ---- */

/* Same double: equal with the same sign (so -0 != 0), or both NaN. */
static int same(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b && signbit(a) == signbit(b);
}

static ex_ast *parse_ok(const char *s)
{
    ex_error err = {0};
    ex_ast *a = ex_parse(s, strlen(s), &err);
    cr_assert_not_null(a, "'%s' should parse: %s at %zu", s, err.message, err.offset);
    return a;
}

/* The value of an expression without names: it must fold to a constant, and ex_eval must
   fill every trial with that same constant without asking for a workspace. */
static double constant(const char *s)
{
    ex_ast *a = parse_ok(s);
    cr_assert_eq(ex_ast_nnames(a), 0, "'%s' has names", s);
    ex_error err = {0};
    ex_prog *p = ex_compile(a, NULL, 1, &err);
    cr_assert_not_null(p);
    double v = -12345;
    cr_assert(ex_prog_const(p, &v), "'%s' should fold to a constant", s);
    cr_assert_eq(ex_prog_workspace(p, 3), 0);
    cr_assert_eq(ex_prog_nslots(p), 0);
    double out[3] = {-1, -1, -1};
    ex_eval(p, NULL, 0, 3, out, NULL);
    for (int i = 0; i < 3; i++)
        cr_assert(same(out[i], v), "'%s': eval gave %.17g, folding %.17g", s, out[i], v);
    ex_prog_free(p);
    ex_ast_free(a);
    return v;
}

static void expect_value(const char *s, double want)
{
    double got = constant(s);
    cr_assert(same(got, want), "'%s' = %.17g, expected %.17g", s, got, want);
}

static void expect_error_n(const char *s, size_t len, size_t offset, const char *msg)
{
    ex_error err = {.offset = 9999, .message = "untouched"};
    ex_ast *a = ex_parse(s, len, &err);
    cr_assert_null(a, "'%.*s' should not parse", (int)len, s);
    cr_assert_str_eq(err.message, msg, "'%.*s'", (int)len, s);
    cr_assert_eq(err.offset, offset, "'%.*s' (%s): offset %zu, expected %zu", (int)len, s,
                 msg, err.offset, offset);
}

static void expect_error(const char *s, size_t offset, const char *msg)
{
    expect_error_n(s, strlen(s), offset, msg);
}

/* Evaluates s over n trials with name i bound to column cols[i] (slot i) and year t,
   into out; the workspace is exactly ex_prog_workspace doubles, so ASan catches any
   overrun. */
static void eval_columns(const char *s, const double *const *cols, size_t ncols, double t,
                         size_t n, double *out)
{
    ex_ast *a = parse_ok(s);
    cr_assert_eq(ex_ast_nnames(a), ncols, "'%s': %zu names", s, ex_ast_nnames(a));
    ex_binding b[8] = {{0}};
    cr_assert(ncols <= 8);
    for (size_t i = 0; i < ncols; i++)
        b[i].slot = (int)i;
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    cr_assert_not_null(p);
    size_t w = ex_prog_workspace(p, n);
    double *ws = w ? malloc(w * sizeof *ws) : NULL;
    cr_assert(w == 0 || ws);
    for (size_t i = 0; i < w; i++)
        ws[i] = NAN; /* garbage: the program must not read what it did not write */
    ex_eval(p, cols, t, n, out, ws);
    free(ws);
    ex_prog_free(p);
    ex_ast_free(a);
}

/* The same expression, with its names (x, y, z in order of appearance) bound to
   constants: the folded (or scalar-prologue) value for one trial. */
static double eval_bound_const(const char *s, const double *vals, size_t nvals, double t)
{
    ex_ast *a = parse_ok(s);
    ex_binding b[8] = {{0}};
    cr_assert(ex_ast_nnames(a) == nvals);
    for (size_t i = 0; i < nvals; i++)
        b[i] = (ex_binding){.is_const = 1, .value = vals[i]};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    cr_assert_not_null(p);
    cr_assert_eq(ex_prog_nslots(p), 0);
    double ws[64], out = -1;
    cr_assert(ex_prog_workspace(p, 1) <= 64);
    ex_eval(p, NULL, t, 1, &out, ws);
    double v;
    if (ex_prog_const(p, &v))
        cr_assert(same(v, out));
    ex_prog_free(p);
    ex_ast_free(a);
    return out;
}

/* ---- grammar and precedence ---- */

Test(expr, arithmetic_precedence)
{
    expect_value("1 + 2 * 3", 7);
    expect_value("(1 + 2) * 3", 9);
    expect_value("10 - 4 - 3", 3);  /* left-associative */
    expect_value("64 / 4 / 2", 8);
    expect_value("2 * 3 / 4", 1.5);
    expect_value("7 - 2 * 3 + 1", 2);
    expect_value("2 * -3", -6);
    expect_value("- - 3", 3);
    expect_value("+3", 3);
    expect_value("-+-3", 3);
    expect_value("1 - -1", 2);
}

Test(expr, power_binds_tighter_than_unary_minus_and_is_right_associative)
{
    expect_value("-2^2", -4);
    expect_value("2^3^2", 512);
    expect_value("(2^3)^2", 64);
    expect_value("2^-1", 0.5);
    expect_value("-2^-2", -0.25);
    expect_value("2 * 3^2", 18);
    expect_value("(-2)^2", 4);
    expect_value("2^+3", 8);
}

Test(expr, comparisons_yield_one_or_zero)
{
    expect_value("1 < 2", 1);
    expect_value("2 < 2", 0);
    expect_value("2 <= 2", 1);
    expect_value("3 <= 2", 0);
    expect_value("3 > 2", 1);
    expect_value("2 > 2", 0);
    expect_value("2 >= 2", 1);
    expect_value("1 >= 2", 0);
    expect_value("2 == 2", 1);
    expect_value("2 == 3", 0);
    expect_value("2 != 3", 1);
    expect_value("2 != 2", 0);
    expect_value("1 < 2 == 1", 1);  /* (1 < 2) == 1 */
    expect_value("3 > 2 > 1", 0);   /* (3 > 2) > 1, as in C */
    expect_value("1 + 2 < 4", 1);   /* arithmetic binds tighter */
    /* A comparison with a NaN operand is NaN, not 0 or 1, so the NaN reaches the
       finiteness check instead of silently choosing a branch. */
    cr_expect(isnan(constant("0 / 0 == 0 / 0")));
    cr_expect(isnan(constant("0 / 0 != 0 / 0")));
    cr_expect(isnan(constant("0 / 0 < 1")));
    cr_expect(isnan(constant("1 >= 0 / 0")));
}

Test(expr, not_and_or_by_truth)
{
    expect_value("not 0", 1);
    expect_value("not 2", 0);
    expect_value("not -0.5", 0);
    expect_value("not not 2", 1);
    expect_value("2 and 3", 1); /* 1, not the last operand */
    expect_value("2 and 0", 0);
    expect_value("0 and 2", 0);
    expect_value("0 or -5", 1);
    expect_value("0 or 0", 0);
    expect_value("1 or 0 and 0", 1);  /* and binds tighter than or */
    expect_value("(1 or 0) and 0", 0);
    expect_value("not 1 or 1", 1);    /* (not 1) or 1 */
    expect_value("not 1 == 2", 1);    /* not (1 == 2): comparison binds tighter */
    expect_value("not 0 and 0", 0);   /* (not 0) and 0 */
    cr_expect(isnan(constant("0 / 0 and 1"))); /* NaN propagates through logic */
    cr_expect(isnan(constant("0 or 0 / 0")));
    cr_expect(isnan(constant("not (0 / 0)")));
    cr_expect(isnan(constant("0 / 0 ? 1 : 2"))); /* and through a condition */
    cr_expect(isnan(constant("if(0 / 0, 1, 2)")));
}

Test(expr, ternary_is_lowest_and_right_associative)
{
    expect_value("1 ? 2 : 3", 2);
    expect_value("0 ? 2 : 3", 3);
    expect_value("1 ? 2 : 0 ? 3 : 4", 2);  /* 1 ? 2 : (0 ? 3 : 4); left would give 3 */
    expect_value("0 ? 2 : 0 ? 3 : 4", 4);
    expect_value("1 ? 0 ? 5 : 6 : 7", 6);  /* nested in the middle branch */
    expect_value("1 + 1 ? 10 : 20", 10);   /* (1 + 1) ? ... */
    expect_value("0 or 0 ? 1 : 2", 2);
    expect_value("1 ? 2 : 3 + 4", 2);      /* the else branch is a whole expression */
    expect_value("-0.5 ? 1 : 2", 1);
}

Test(expr, whitespace_is_space_tab_newline)
{
    expect_value(" \t1\n+\t2 \n", 3);
    expect_value("max (1, 2)", 2); /* a call even with a space before '(' */
}

/* ---- functions ---- */

Test(expr, every_function)
{
    expect_value("min(3)", 3);
    expect_value("min(3, 1, 2)", 1);
    expect_value("max(3)", 3);
    expect_value("max(3, 1, 2)", 3);
    expect_value("max(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)", 10);
    expect_value("abs(-2.5)", 2.5);
    expect_value("abs(2.5)", 2.5);
    expect_value("sqrt(16)", 4);
    expect_value("exp(0)", 1);
    expect_value("exp(1)", exp(1));
    expect_value("ln(1)", 0);
    expect_value("ln(10)", log(10));
    expect_value("log10(1000)", 3);
    expect_value("pow(2, 10)", 1024);
    expect_value("pow(2, 0.5)", pow(2, 0.5));
    expect_value("floor(-1.5)", -2);
    expect_value("floor(1.5)", 1);
    expect_value("ceil(-1.5)", -1);
    expect_value("ceil(1.2)", 2);
    expect_value("round(2.5)", 3);   /* half away from zero, not to even */
    expect_value("round(-2.5)", -3);
    expect_value("round(2.4)", 2);
    expect_value("clamp(5, 0, 3)", 3);
    expect_value("clamp(-1, 0, 3)", 0);
    expect_value("clamp(2, 0, 3)", 2);
    expect_value("clamp(5, 3, 0)", 0); /* lo > hi: min(max(x, lo), hi) gives hi */
    expect_value("if(1, 2, 3)", 2);
    expect_value("if(0, 2, 3)", 3);
    expect_value("if(2 > 1, 10, 20) + 1", 11);
    expect_value("sqrt(abs(-9)) * max(1, min(4, 2))", 6);
}

Test(expr, min_max_clamp_propagate_nan_in_any_position)
{
    /* fmin/fmax would drop the NaN; it must reach the caller's finiteness check */
    cr_assert(isnan(constant("min(ln(-1), 1)")));
    cr_assert(isnan(constant("min(1, ln(-1))")));
    cr_assert(isnan(constant("max(ln(-1), 1)")));
    cr_assert(isnan(constant("max(1, ln(-1))")));
    cr_assert(isnan(constant("max(1, 2, ln(-1), 3)")));
    cr_assert(isnan(constant("clamp(ln(-1), 0, 1)")));
    cr_assert(isnan(constant("clamp(0.5, ln(-1), 1)")));
    cr_assert(isnan(constant("clamp(0.5, 0, ln(-1))")));
}

Test(expr, domain_errors_give_nan_or_inf_without_trapping)
{
    cr_assert(isnan(constant("ln(-1)")));
    cr_assert(isnan(constant("sqrt(-1)")));
    cr_assert(isnan(constant("0 / 0")));
    expect_value("1 / 0", INFINITY);
    expect_value("-1 / 0", -INFINITY);
    expect_value("ln(0)", -INFINITY);
    expect_value("exp(1000)", INFINITY);
    expect_value("10^400", INFINITY);
}

Test(expr, arity_errors)
{
    expect_error("clamp(1, 2)", 0, "function 'clamp' takes 3 arguments, got 2");
    expect_error("clamp(1, 2, 3, 4)", 0, "function 'clamp' takes 3 arguments, got 4");
    expect_error("x + pow(1)", 4, "function 'pow' takes 2 arguments, got 1");
    expect_error("sqrt()", 0, "function 'sqrt' takes 1 argument, got 0");
    expect_error("abs(1, 2)", 0, "function 'abs' takes 1 argument, got 2");
    expect_error("if(1, 2)", 0, "function 'if' takes 3 arguments, got 2");
    expect_error("min()", 0, "function 'min' takes at least 1 argument");
    expect_error("1 + max( )", 4, "function 'max' takes at least 1 argument");
}

Test(expr, unknown_function_suggests_the_nearest)
{
    expect_error("mx(1)", 0, "unknown function 'mx'; did you mean 'max'?");
    expect_error("1 + sqr(4)", 4, "unknown function 'sqr'; did you mean 'sqrt'?");
    expect_error("MAX(1, 2)", 0, "unknown function 'MAX'; did you mean 'max'?");
    expect_error("log(2)", 0, "unknown function 'log'"); /* ln and log10 are 2 edits away */
    expect_error("foo(1)", 0, "unknown function 'foo'");
    expect_error("t(1)", 0, "unknown function 't'");
    expect_error("x + claim (2)", 4, "unknown function 'claim'");
    /* reported before the arguments are looked at */
    expect_error("foo($)", 0, "unknown function 'foo'");
}

Test(expr, long_function_name_is_cut_in_the_message)
{
    char s[200];
    memset(s, 'f', 100);
    strcpy(s + 100, "(1)");
    char want[200];
    snprintf(want, sizeof want, "unknown function '%.64s...'", s);
    expect_error(s, 0, want);
}

/* ---- literals ---- */

Test(expr, literal_forms_and_suffixes)
{
    expect_value("0", 0);
    expect_value("007", 7);
    expect_value("1_200", 1200);
    expect_value("1_000_000", 1e6);
    expect_value("3.141_592", 3.141592);
    expect_value("2.5M", 2500000);
    expect_value("3k", 3000);
    expect_value("1.5B", 1.5e9);
    expect_value("8%", 0.08);      /* the double nearest 0.08, not 8 * 0.01 */
    expect_value("12.5%", 0.125);
    expect_value("0.1%", 0.001);
    expect_value("1e-3", 0.001);
    expect_value("1E3", 1000);
    expect_value("1e+3", 1000);
    expect_value("1e1_0", 1e10);
    expect_value("1e3k", 1e6);
    expect_value("1.5e-3k", 1.5);
    expect_value(".5", 0.5);
    expect_value("5.", 5);
    expect_value("1.e2", 100);
    expect_value("0.1", 0.1);
    expect_value("0.000", 0);
    expect_value("0e999999", 0);
    expect_value("123456789012345678901234567890", 123456789012345678901234567890.0);
    expect_value("1.7976931348623157e308", 1.7976931348623157e308);
    expect_value("4.9e-324", 4.9e-324); /* subnormal */
    expect_value("1e-400", 0);          /* underflow is accepted: still "tiny" */
    expect_value("1k-2", 998);          /* the sign only joins an exponent */
    expect_value("2e-3*1000", 2);
}

Test(expr, invalid_numbers)
{
    expect_error("400kb", 0, "invalid number '400kb'");
    expect_error("1__0", 0, "invalid number '1__0'");
    expect_error("1e", 0, "invalid number '1e'");
    expect_error("1e+", 0, "invalid number '1e+'");
    expect_error("1.2.3", 0, "invalid number '1.2.3'");
    expect_error("1_", 0, "invalid number '1_'");
    expect_error("1._5", 0, "invalid number '1._5'");
    expect_error("1_.5", 0, "invalid number '1_.5'");
    expect_error("0x10", 0, "invalid number '0x10'");
    expect_error("2x", 0, "invalid number '2x'");
    expect_error("8%%", 0, "invalid number '8%%'");
    expect_error("1k5", 0, "invalid number '1k5'");
    expect_error("1e-3e", 0, "invalid number '1e-3e'");
    expect_error("1 + 3kk", 4, "invalid number '3kk'");
    expect_error("5 k", 2, "unexpected 'k'"); /* a suffix must touch its number */
}

Test(expr, long_invalid_number_is_cut_in_the_message)
{
    char s[200];
    s[0] = '1';
    memset(s + 1, 'x', 99);
    s[100] = '\0';
    char want[200];
    snprintf(want, sizeof want, "invalid number '%.64s...'", s);
    expect_error(s, 0, want);
}

Test(expr, numbers_out_of_range)
{
    expect_error("1e400", 0, "number out of range: '1e400'");
    expect_error("2 * 1e309", 4, "number out of range: '1e309'");
    expect_error("1e300B", 0, "number out of range: '1e300B'"); /* the suffix tips it over */
    expect_error("1e99999999999999999999", 0, "number out of range: '1e99999999999999999999'");
    char s[400];
    s[0] = '2';
    memset(s + 1, '0', 309);
    s[310] = '\0';
    char want[200];
    snprintf(want, sizeof want, "number out of range: '%.64s...'", s);
    expect_error(s, 0, want);
}

/* ---- syntax errors ---- */

Test(expr, unexpected_characters)
{
    expect_error("$", 0, "unexpected character '$'");
    expect_error("a $ b", 2, "unexpected character '$'");
    expect_error("a = b", 2, "unexpected character '='");
    expect_error("!a", 0, "unexpected character '!'");
    expect_error("a % b", 2, "unexpected character '%'");
    expect_error("a && b", 2, "unexpected character '&'");
    expect_error(".", 0, "unexpected character '.'");
    expect_error("1 + .", 4, "unexpected character '.'");
    expect_error("a\rb", 1, "unexpected control character 0x0d");
    expect_error_n("1 +\0 2", 6, 3, "unexpected control character 0x00");
    expect_error("1 + \xe2\x82\xac", 4, "unexpected character '\xe2\x82\xac' (U+20AC)");
    expect_error("1\xc2\xa0+ 2", 1, "unexpected character '\xc2\xa0' (U+00A0)"); /* no-break space */
    expect_error("1 + \xff", 4, "invalid UTF-8 byte 0xff");
    expect_error("1 + \xe2\x82", 4, "invalid UTF-8 byte 0xe2"); /* truncated sequence */
    expect_error("\xc0\xaf", 0, "invalid UTF-8 byte 0xc0");     /* overlong */
}

Test(expr, unexpected_token_where_an_operator_or_end_was_expected)
{
    expect_error("1 2", 2, "unexpected '2'");
    expect_error("1)", 1, "unexpected ')'");
    expect_error("(1))", 3, "unexpected ')'");
    expect_error("a b", 2, "unexpected 'b'");
    expect_error("1 2.5M", 2, "unexpected '2.5M'");
    expect_error("x not y", 2, "unexpected 'not'");
    expect_error("x (1)", 0, "unknown function 'x'");
    expect_error("1 , 2", 2, "unexpected ','");
    expect_error("1 : 2", 2, "unexpected ':'");
    /* the token's text is cut at 20 bytes */
    expect_error("1 abcdefghijklmnopqrstuvwxyz", 2, "unexpected 'abcdefghijklmnopqrst'");
}

Test(expr, expected_an_expression_where_an_operand_was_missing)
{
    expect_error("", 0, "expected an expression");
    expect_error("   ", 3, "expected an expression");
    expect_error("1 +", 3, "expected an expression");
    expect_error("1 + ", 4, "expected an expression");
    expect_error("1 + )", 4, "expected an expression");
    expect_error("()", 1, "expected an expression");
    expect_error(")", 0, "expected an expression");
    expect_error("max(1,)", 6, "expected an expression");
    expect_error("max(,1)", 4, "expected an expression");
    expect_error("not", 3, "expected an expression");
    expect_error("and", 0, "expected an expression");
    expect_error("1 * * 2", 4, "expected an expression");
    expect_error("-", 1, "expected an expression");
    expect_error("2^", 2, "expected an expression");
    expect_error("a ? : b", 4, "expected an expression");
    expect_error("a ? b :", 7, "expected an expression");
    expect_error("1 == not 0", 5, "expected an expression"); /* not is below comparisons */
}

Test(expr, missing_closers)
{
    expect_error("(1", 2, "expected ')'");
    expect_error("(1 2)", 3, "expected ')'");
    expect_error("max(1 2)", 6, "expected ')'");
    expect_error("sqrt(4", 6, "expected ')'");
    expect_error("1 ? 2", 5, "expected ':' after the '?' branch");
    expect_error("1 ? 2 3", 6, "expected ':' after the '?' branch");
    expect_error("(1 ? 2) : 3", 6, "expected ':' after the '?' branch");
}

Test(expr, error_without_error_struct_and_unterminated_text)
{
    cr_assert_null(ex_parse("1 +", 3, NULL));
    /* only len bytes are read: the text need not be NUL-terminated */
    char *buf = malloc(3);
    cr_assert_not_null(buf);
    memcpy(buf, "42k", 3);
    ex_error err = {0};
    ex_ast *a = ex_parse(buf, 3, &err);
    cr_assert_not_null(a);
    ex_prog *p = ex_compile(a, NULL, 1, &err);
    double v;
    cr_assert(ex_prog_const(p, &v));
    cr_assert_eq(v, 42000);
    ex_prog_free(p);
    ex_ast_free(a);
    memcpy(buf, "1 +", 3);
    expect_error_n(buf, 3, 3, "expected an expression");
    free(buf);
    a = ex_parse("1 + 2 garbage", 5, &err);
    p = ex_compile(a, NULL, 1, &err);
    cr_assert(ex_prog_const(p, &v));
    cr_assert_eq(v, 3);
    ex_prog_free(p);
    ex_ast_free(a);
}

/* ---- hostile input ---- */

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * times + t + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * times, tail, t + 1);
    return s;
}

Test(expr, nesting_up_to_200_levels)
{
    char *s = malloc(200 + 1 + 200 + 1);
    memset(s, '(', 200);
    s[200] = '7';
    memset(s + 201, ')', 200);
    s[401] = '\0';
    expect_value(s, 7);
    free(s);

    s = malloc(201 + 1 + 201 + 1);
    memset(s, '(', 201);
    s[201] = '7';
    memset(s + 202, ')', 201);
    s[403] = '\0';
    expect_error(s, 200, "expression nested too deeply");
    free(s);
}

Test(expr, deep_nesting_is_an_error_not_a_crash)
{
    /* each unit opens one level; the error points at the opening token of the 201st */
    const char *units[] = {"(", "-", "+", "not ", "2^", "max(", "1 ? 1 : ", "1 ? ", "abs(",
                           "if(1, 1, "};
    const size_t at[] = {0, 0, 0, 0, 1, 3, 2, 2, 3, 2};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *s = repeat(units[i], 100000, "1");
        ex_error err = {0};
        ex_ast *a = ex_parse(s, strlen(s), &err);
        cr_assert_null(a, "unit '%s'", units[i]);
        cr_assert_str_eq(err.message, "expression nested too deeply", "unit '%s'", units[i]);
        cr_assert_eq(err.offset, 200 * strlen(units[i]) + at[i], "unit '%s': offset %zu",
                     units[i], err.offset);
        free(s);
    }
}

Test(expr, long_flat_expressions_need_no_deep_stack)
{
    /* 100000 terms: parsed, compiled and evaluated without recursion */
    char *s = repeat("1 + ", 99999, "1");
    expect_value(s, 100000);
    free(s);
    s = repeat("x - ", 99999, "x");
    double x[3] = {1, -2, 0.5}, out[3];
    const double *cols[] = {x};
    eval_columns(s, cols, 1, 0, 3, out);
    cr_assert_eq(out[0], 1 - 99999.0);
    cr_assert_eq(out[1], -2 + 2 * 99999.0);
    cr_assert_eq(out[2], 0.5 - 0.5 * 99999);
    free(s);
    s = repeat("1, ", 99999, "2)");
    char *t = malloc(strlen(s) + 5);
    strcpy(t, "max(");
    strcat(t, s);
    expect_value(t, 2);
    free(t);
    free(s);
}

/* A tiny deterministic generator for the fuzz test (no global state). */
static uint64_t next_rand(uint64_t *st)
{
    *st ^= *st << 13;
    *st ^= *st >> 7;
    *st ^= *st << 17;
    return *st;
}

static void append(char *s, size_t *len, size_t cap, const char *piece)
{
    size_t l = strlen(piece);
    cr_assert(*len + l < cap);
    memcpy(s + *len, piece, l + 1);
    *len += l;
}

/* Appends a random well-formed expression over x, y and t, at most depth levels deep. */
static void gen(char *s, size_t *len, size_t cap, uint64_t *st, int depth)
{
    static const char *const atoms[] = {"x", "y", "t", "0", "1", "2.5", "-0.0", "8%", "1e3",
                                        "1_000", "(0 / 0)", "(1 / 0)"};
    static const char *const ops[] = {"+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==",
                                      "!=", "and", "or"};
    static const char *const f1[] = {"abs", "sqrt", "exp", "ln", "log10", "floor", "ceil",
                                     "round", "min", "max"};
    static const char *const f3[] = {"clamp", "if", "min", "max"};
    uint64_t r = next_rand(st);
    if (depth == 0 || r % 4 == 0) {
        append(s, len, cap, atoms[(r >> 8) % (sizeof atoms / sizeof atoms[0])]);
        return;
    }
    switch ((r >> 4) % 7) {
    case 0:
        append(s, len, cap, (r >> 8) % 2 ? "-(" : "not (");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ")");
        break;
    case 1:
    case 2:
        append(s, len, cap, "(");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ") ");
        append(s, len, cap, ops[(r >> 8) % (sizeof ops / sizeof ops[0])]);
        append(s, len, cap, " (");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ")");
        break;
    case 3:
        append(s, len, cap, f1[(r >> 8) % (sizeof f1 / sizeof f1[0])]);
        append(s, len, cap, "(");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ")");
        break;
    case 4:
        append(s, len, cap, (r >> 8) % 2 ? "pow(" : "max(");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ", ");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ")");
        break;
    case 5:
        append(s, len, cap, f3[(r >> 8) % (sizeof f3 / sizeof f3[0])]);
        append(s, len, cap, "(");
        for (int i = 0; i < 3; i++) {
            if (i)
                append(s, len, cap, ", ");
            gen(s, len, cap, st, depth - 1);
        }
        append(s, len, cap, ")");
        break;
    default:
        append(s, len, cap, "(");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ") ? (");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ") : (");
        gen(s, len, cap, st, depth - 1);
        append(s, len, cap, ")");
        break;
    }
}

/* Random well-formed expressions must parse, and their column evaluation must equal
   folding trial by trial; each is then damaged at one byte, and whatever that gives must
   either parse or fail with an offset inside the text. */
Test(expr, random_expressions_evaluate_like_folding_and_damage_fails_cleanly)
{
    uint64_t st = 0x9e3779b97f4a7c15ULL;
    enum { CAP = 1 << 15 };
    char *s = malloc(CAP);
    double xcol[5] = {1, -1, 0, 2.5, NAN}, ycol[5] = {0, 3, -2, 1e300, -0.5};
    static const char damage[] = "()+-*/^,?:<>=!$ .xt_1e%";
    size_t parsed_damaged = 0;
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0;
        s[0] = '\0';
        gen(s, &len, CAP, &st, 1 + iter % 5);
        ex_error err = {0};
        ex_ast *a = ex_parse(s, len, &err);
        cr_assert_not_null(a, "'%s': %s at %zu", s, err.message, err.offset);
        size_t nn = ex_ast_nnames(a);
        cr_assert(nn <= 2, "'%s'", s);
        ex_binding b[2] = {{.slot = 0}, {.slot = 1}};
        ex_prog *p = ex_compile(a, b, 0, &err);
        cr_assert_not_null(p);
        size_t w = ex_prog_workspace(p, 5);
        double *ws = malloc((w ? w : 1) * sizeof *ws), out[5];
        const double *cols[2] = {xcol, ycol};
        double t = iter % 3;
        ex_eval(p, cols, t, 5, out, ws);
        for (int i = 0; i < 5; i++) {
            double vals[2] = {xcol[i], ycol[i]};
            double want = eval_bound_const(s, vals, nn, t);
            cr_assert(same(out[i], want), "'%s' trial %d: %.17g vs %.17g", s, i, out[i], want);
        }
        free(ws);
        ex_prog_free(p);
        ex_ast_free(a);

        s[next_rand(&st) % len] = damage[next_rand(&st) % (sizeof damage - 1)];
        err.offset = SIZE_MAX;
        a = ex_parse(s, len, &err);
        if (a) {
            parsed_damaged++;
            ex_ast_free(a);
        } else {
            cr_assert(err.offset <= len, "'%s': offset %zu", s, err.offset);
            cr_assert(err.message[0] != '\0');
        }
    }
    /* the damage must produce both outcomes, or the test is not probing anything */
    cr_assert_gt(parsed_damaged, 100);
    cr_assert_lt(parsed_damaged, 2900);
    free(s);
}

Test(expr, long_garbage_is_rejected)
{
    size_t n = 1 << 20;
    char *s = malloc(n);
    uint64_t st = 12345;
    for (size_t i = 0; i < n; i++)
        s[i] = (char)(next_rand(&st) & 0xff);
    ex_error err = {.offset = SIZE_MAX};
    cr_assert_null(ex_parse(s, n, &err));
    cr_assert(err.offset < n);
    free(s);
}

/* ---- names and t ---- */

Test(expr, names_in_order_of_first_appearance)
{
    ex_ast *a = parse_ok("b + a * b + max(c, t, a) + sqrt(d_1) + _x");
    cr_assert_eq(ex_ast_nnames(a), 5);
    const char *want[] = {"b", "a", "c", "d_1", "_x"};
    size_t off[] = {0, 4, 16, 32, 39};
    for (size_t i = 0; i < 5; i++) {
        size_t o = 9999;
        cr_assert_str_eq(ex_ast_name(a, i, &o), want[i]);
        cr_assert_eq(o, off[i], "name %zu: offset %zu", i, o);
        cr_assert_str_eq(ex_ast_name(a, i, NULL), want[i]);
    }
    cr_assert_null(ex_ast_name(a, 5, NULL));
    cr_assert(ex_ast_uses_t(a));
    ex_ast_free(a);
}

Test(expr, keywords_functions_and_t_are_not_names)
{
    ex_ast *a = parse_ok("x and not y or pow(t, 2) > tt");
    cr_assert_eq(ex_ast_nnames(a), 3);
    cr_assert_str_eq(ex_ast_name(a, 0, NULL), "x");
    cr_assert_str_eq(ex_ast_name(a, 1, NULL), "y");
    cr_assert_str_eq(ex_ast_name(a, 2, NULL), "tt");
    cr_assert(ex_ast_uses_t(a));
    ex_ast_free(a);

    /* a function's name without '(' is an ordinary name (an input may be called max) */
    a = parse_ok("max + android + order + nothing");
    cr_assert_eq(ex_ast_nnames(a), 4);
    cr_assert_str_eq(ex_ast_name(a, 0, NULL), "max");
    cr_assert_str_eq(ex_ast_name(a, 1, NULL), "android");
    cr_assert_str_eq(ex_ast_name(a, 2, NULL), "order");
    cr_assert_str_eq(ex_ast_name(a, 3, NULL), "nothing");
    cr_assert_not(ex_ast_uses_t(a));
    ex_ast_free(a);
}

Test(expr, many_distinct_names)
{
    /* a0 + a1 + ... + a4999 + a0: distinct, ordered, with first offsets */
    size_t n = 5000;
    char *s = malloc(n * 10 + 16), *q = s;
    size_t *offs = malloc(n * sizeof *offs);
    for (size_t i = 0; i < n; i++) {
        offs[i] = (size_t)(q - s);
        q += sprintf(q, "a%zu + ", i);
    }
    strcpy(q, "a0");
    ex_ast *a = parse_ok(s);
    cr_assert_eq(ex_ast_nnames(a), n);
    char want[16];
    for (size_t i = 0; i < n; i++) {
        size_t o;
        snprintf(want, sizeof want, "a%zu", i);
        cr_assert_str_eq(ex_ast_name(a, i, &o), want);
        cr_assert_eq(o, offs[i]);
    }
    ex_ast_free(a);
    free(offs);
    free(s);
}

/* ---- compiling ---- */

Test(expr, constant_bindings_fold)
{
    ex_ast *a = parse_ok("2 * x + 1");
    ex_binding b = {.is_const = 1, .value = 3};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, &b, 0, &err);
    double v;
    cr_assert(ex_prog_const(p, &v));
    cr_assert_eq(v, 7);
    cr_assert_not(ex_prog_uses_t(p));
    cr_assert_eq(ex_prog_nslots(p), 0);
    cr_assert_eq(ex_prog_workspace(p, 4096), 0);
    ex_prog_free(p);
    ex_ast_free(a);
}

Test(expr, t_is_zero_folds_t)
{
    ex_ast *a = parse_ok("100 * 1.5^t + t");
    ex_error err = {0};
    ex_prog *p = ex_compile(a, NULL, 1, &err);
    double v;
    cr_assert(ex_prog_const(p, &v));
    cr_assert_eq(v, 100);
    cr_assert_not(ex_prog_uses_t(p));
    ex_prog_free(p);

    /* otherwise t is a value of ex_eval, the same for every trial */
    p = ex_compile(a, NULL, 0, &err);
    cr_assert_not(ex_prog_const(p, &v));
    cr_assert(ex_prog_uses_t(p));
    cr_assert_eq(ex_prog_nslots(p), 0);
    double ws[16], out[3];
    cr_assert(ex_prog_workspace(p, 3) <= 16);
    ex_eval(p, NULL, 2, 3, out, ws);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(out[i], 100 * 1.5 * 1.5 + 2);
    ex_prog_free(p);
    ex_ast_free(a);
}

Test(expr, constant_subexpressions_fold_into_one_instruction)
{
    /* (2 + 3) and k * 2 fold: what is left is one column instruction writing out */
    ex_ast *a = parse_ok("x * (2 + 3) - k * 2");
    ex_binding b[2] = {{.slot = 0}, {.is_const = 1, .value = 4}};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    cr_assert_eq(p->ncode, 2); /* x * 5, then - 8 */
    cr_assert_eq(p->code[0].b.kind, EX_K_CONST);
    cr_assert_eq(p->code[0].b.value, 5);
    cr_assert_eq(p->code[1].b.value, 8);
    cr_assert_eq(p->nscode, 0);
    double x[2] = {1, -2}, out[2];
    const double *cols[] = {x};
    double *ws = malloc((ex_prog_workspace(p, 2) + 1) * sizeof *ws);
    ex_eval(p, cols, 0, 2, out, ws);
    cr_assert_eq(out[0], -3);
    cr_assert_eq(out[1], -18);
    free(ws);
    ex_prog_free(p);
    ex_ast_free(a);
}

Test(expr, constant_condition_drops_the_other_branch)
{
    /* a variant flag chooses a branch at compile time; the other is not computed */
    ex_ast *a = parse_ok("flag ? x * 2 : y * 3 + ln(z)");
    ex_binding b[4] = {{.is_const = 1, .value = 0}, {.slot = 0}, {.slot = 1}, {.slot = 2}};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    cr_assert_eq(ex_prog_nslots(p), 2);
    cr_assert_eq(ex_prog_slot(p, 0), 1);
    cr_assert_eq(ex_prog_slot(p, 1), 2);
    cr_assert_eq(ex_prog_slot(p, 2), -1);
    cr_assert_eq(p->ncode, 3);
    ex_prog_free(p);

    b[0].value = 1;
    p = ex_compile(a, b, 0, &err);
    cr_assert_eq(ex_prog_nslots(p), 1);
    cr_assert_eq(ex_prog_slot(p, 0), 0);
    cr_assert_eq(p->ncode, 1);
    cr_assert_eq(ex_prog_workspace(p, 4096), 0); /* x * 2 writes out directly */
    ex_prog_free(p);
    ex_ast_free(a);

    /* a dropped branch that read t no longer makes the program read t */
    a = parse_ok("if(1, x, x * t)");
    b[0] = (ex_binding){.slot = 0};
    p = ex_compile(a, b, 0, &err);
    cr_assert_not(ex_prog_uses_t(p));
    cr_assert_eq(ex_prog_workspace(p, 10), 0);
    ex_prog_free(p);
    ex_ast_free(a);
}

Test(expr, slots_are_distinct_in_order_of_first_read)
{
    ex_ast *a = parse_ok("y + x * y + x");
    ex_binding b[2] = {{.slot = 7}, {.slot = 3}};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    cr_assert_eq(ex_prog_nslots(p), 2);
    /* x * y is computed first, so slot 3 (x) is read first */
    cr_assert_eq(ex_prog_slot(p, 0), 3);
    cr_assert_eq(ex_prog_slot(p, 1), 7);
    ex_prog_free(p);
    ex_ast_free(a);
}

Test(expr, ex_free_functions_accept_null)
{
    ex_ast_free(NULL);
    ex_prog_free(NULL);
}

/* ---- evaluating columns ---- */

Test(expr, trivial_programs_copy_or_fill)
{
    double x[3] = {1, -2, 3.5}, out[3];
    const double *cols[] = {x};
    eval_columns("x", cols, 1, 0, 3, out);
    cr_assert_arr_eq(out, x, sizeof x);
    eval_columns("(((x)))", cols, 1, 0, 3, out);
    cr_assert_arr_eq(out, x, sizeof x);
    eval_columns("t", NULL, 0, 4, 3, out);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(out[i], 4);
    eval_columns("t * t + 1", NULL, 0, 3, 3, out);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(out[i], 10);
    eval_columns("5", NULL, 0, 0, 3, out);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(out[i], 5);
    out[0] = 99;
    eval_columns("x + 1", cols, 1, 0, 0, out); /* n = 0 writes nothing */
    cr_assert_eq(out[0], 99);
}

/* Reference for the column test, in the same operation order as the expression. */
static double reference(double x, double y, double z, double t)
{
    double sel = x > y ? x : y;
    double m = x < y ? x : y;
    m = m < z ? m : z;
    m = m < 1 ? m : 1;
    return x * 2 + 3 / y - sel + m * pow(1.5, t) + (z != 0 ? 1.0 : 0.0) - round(z) + t;
}

static void check_columns(size_t n)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
    double *out = malloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i * 0.25 - 100;
        y[i] = (double)(i % 7) - 3.5;
        z[i] = (double)(i % 5) * 0.5 - 1;
        out[i] = NAN;
    }
    const double *cols[] = {x, y, z};
    const char *s = "x * 2 + 3 / y - (x > y ? x : y) + min(x, y, z, 1) * 1.5^t + (z and 1) "
                    "- round(z) + t";
    for (double t = 0; t <= 3; t++) {
        eval_columns(s, cols, 3, t, n, out);
        for (size_t i = 0; i < n; i++) {
            double want = reference(x[i], y[i], z[i], t);
            cr_assert(same(out[i], want), "n=%zu t=%g trial %zu: %.17g, expected %.17g", n, t,
                      i, out[i], want);
        }
    }
    free(x);
    free(y);
    free(z);
    free(out);
}

Test(expr, columns_of_1_3_and_4096_trials)
{
    check_columns(1);
    check_columns(3);
    check_columns(4096);
}

Test(expr, unchosen_branch_never_leaks_nan)
{
    double x[4] = {-1, exp(1), 0, 4}, out[4];
    const double *cols[] = {x};
    eval_columns("x > 0 ? ln(x) : 0", cols, 1, 0, 4, out);
    cr_assert_eq(out[0], 0);
    cr_assert_eq(out[1], 1);
    cr_assert_eq(out[2], 0);
    cr_assert_eq(out[3], log(4));
    eval_columns("if(x >= 0, sqrt(x), -1)", cols, 1, 0, 4, out);
    cr_assert_eq(out[0], -1);
    cr_assert_eq(out[2], 0);
    cr_assert_eq(out[3], 2);
    /* a NaN constant branch */
    eval_columns("x < 0 ? 0 : ln(-1) * 0 + x", cols, 1, 0, 4, out);
    cr_assert_eq(out[0], 0);
    cr_assert(isnan(out[1]));
    /* a condition that depends on t only: the same branch for every trial */
    eval_columns("t > 1 ? x : ln(-1)", cols, 1, 2, 4, out);
    cr_assert_arr_eq(out, x, sizeof x);
    eval_columns("t > 1 ? x : ln(-1)", cols, 1, 0, 4, out);
    for (int i = 0; i < 4; i++)
        cr_assert(isnan(out[i]));
    eval_columns("t > 1 ? ln(-1) : x", cols, 1, 0, 4, out);
    cr_assert_arr_eq(out, x, sizeof x);
}

Test(expr, select_on_t_reuses_its_own_register)
{
    /* x * 2 sits in the register the select writes: copying onto itself is a no-op */
    double x[3] = {1, 2, 3}, y[3] = {10, 20, 30}, out[3];
    const double *cols[] = {x, y};
    eval_columns("(t > 1 ? x * 2 : y) + 1", cols, 2, 2, 3, out);
    cr_assert_eq(out[0], 3);
    cr_assert_eq(out[2], 7);
    eval_columns("(t > 1 ? x * 2 : y) + 1", cols, 2, 0, 3, out);
    cr_assert_eq(out[0], 11);
    cr_assert_eq(out[2], 31);
}

Test(expr, infinities_and_nans_reach_the_output)
{
    double x[3] = {0, -1, 2}, out[3];
    const double *cols[] = {x};
    eval_columns("1 / x", cols, 1, 0, 3, out);
    cr_assert(isinf(out[0]) && out[0] > 0);
    eval_columns("ln(x)", cols, 1, 0, 3, out);
    cr_assert(isinf(out[0]) && out[0] < 0);
    cr_assert(isnan(out[1]));
    cr_assert_eq(out[2], log(2));
}

/* Every operator in every operand shape (column, scalar constant, scalar t), evaluated
   over columns with awkward values, must equal the same expression folded trial by trial:
   the column loops and the folding agree bit for bit. */
Test(expr, column_loops_match_folding_for_every_operator_and_shape)
{
    static const char *const bin[] = {"+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==",
                                      "!=", "and", "or"};
    static const char *const fn2[] = {"min", "max", "pow"};
    static const char *const fn1[] = {"-", "not ", "abs", "sqrt", "exp", "ln", "log10",
                                      "floor", "ceil", "round"};
    static const char *const pairs[][2] = {{"x", "y"}, {"x", "1.5"}, {"-2.5", "x"},
                                           {"x", "t"}, {"t", "x"},   {"x", "x"}};
    double xs[] = {0, -0.0, 1, -1, 2.5, -2.5, 0.5, 1e308, -1e-310, INFINITY, -INFINITY, NAN};
    enum { N = sizeof xs / sizeof xs[0] };
    double x[N], y[N], z[N], out[N];
    for (int i = 0; i < N; i++) {
        x[i] = xs[i];
        y[i] = xs[(i * 5 + 3) % N];
        z[i] = xs[(i * 7 + 1) % N];
    }
    const double *cols[] = {x, y, z};
    char s[128];
    const double ts[] = {0, 2, -1.5};
    for (int ti = 0; ti < 3; ti++) {
        double t = ts[ti];
        size_t nexpr = 0;
        for (int form = 0; form < 4; form++) {
            size_t count = form == 0   ? sizeof bin / sizeof bin[0]
                           : form == 1 ? sizeof fn2 / sizeof fn2[0]
                           : form == 2 ? sizeof fn1 / sizeof fn1[0]
                                       : 8;
            for (size_t k = 0; k < count; k++) {
                for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++) {
                    const char *l = pairs[pi][0], *r = pairs[pi][1];
                    if (form == 0)
                        snprintf(s, sizeof s, "(%s) %s (%s)", l, bin[k], r);
                    else if (form == 1)
                        snprintf(s, sizeof s, "%s(%s, %s)", fn2[k], l, r);
                    else if (form == 2 && pi < 2)
                        snprintf(s, sizeof s, "%s(%s)", fn1[k], pi == 0 ? "x" : "x * t");
                    else if (form == 3 && pi == 0) {
                        static const char *const sel[] = {
                            "x ? y : z",          "x ? y : 2",     "x ? 2 : y",
                            "x ? 1 : -1",         "t ? x : y",     "t > 1 ? x : 3",
                            "t > 1 ? 3 : y * t", "clamp(x, y, z)",
                        };
                        snprintf(s, sizeof s, "%s", sel[k]);
                    } else
                        continue;
                    ex_ast *a = parse_ok(s);
                    size_t nn = ex_ast_nnames(a);
                    ex_ast_free(a);
                    eval_columns(s, cols, nn, t, N, out);
                    for (int i = 0; i < N; i++) {
                        double vals[3] = {x[i], y[i], z[i]};
                        double want = eval_bound_const(s, vals, nn, t);
                        cr_assert(same(out[i], want), "'%s' t=%g trial %d: %.17g vs %.17g", s,
                                  t, i, out[i], want);
                    }
                    nexpr++;
                }
            }
        }
        cr_assert_eq(nexpr, 13 * 6 + 3 * 6 + 10 * 2 + 8);
    }
}

Test(expr, workspace_grows_with_trials_and_pending_values)
{
    ex_ast *a = parse_ok("(x + 1) * (y + 2) * t");
    ex_binding b[2] = {{.slot = 0}, {.slot = 1}};
    ex_error err = {0};
    ex_prog *p = ex_compile(a, b, 0, &err);
    /* two registers are live at once (x + 1 and y + 2), one more keeps their t-free
       product across years (ex_eval_year), plus the scalar t */
    cr_assert_eq(ex_prog_workspace(p, 4096), 3 * 4096 + 1);
    cr_assert_eq(ex_prog_workspace(p, 1), 4);
    cr_assert_eq(ex_prog_workspace(p, SIZE_MAX), SIZE_MAX); /* saturates, no overflow */
    ex_prog_free(p);
    ex_ast_free(a);
}

/* The case behind NaN-propagating comparisons: ln of a negative draw in a condition must
   give NaN for that trial (to be reported), whichever branch would have been chosen. */
Test(expr, nan_condition_is_not_a_silent_choice)
{
    const double x[4] = {-1, 2, -3, 0.5};
    const double *cols[1] = {x};
    ex_ast *ast = parse_ok("ln(x) > 0 ? 10 : 20");
    ex_binding b = {0, 0, 0, NULL, NULL};
    ex_prog *p = ex_compile(ast, &b, 1, NULL);
    cr_assert_not_null(p);
    double ws[64], out[4];
    cr_assert_leq(ex_prog_workspace(p, 4), 64);
    ex_eval(p, cols, 0, 4, out, ws);
    cr_expect(isnan(out[0]));
    cr_expect_eq(out[1], 10);
    cr_expect(isnan(out[2]));
    cr_expect_eq(out[3], 20);
    ex_prog_free(p);
    ex_ast_free(ast);
}

/* x^n for a whole n of at most 16 in size is square-and-multiply (expr/internal.h). Each
   squaring doubles the relative error carried, so the result is within n - 1 roundings of
   the exact power, plus one for the reciprocal of a negative n, and pow() is within half an
   ulp: |n| + 1 ulps is asserted. Exact where the powers are exact, and the same bits
   whether the base is a column (vectorised loop) or folded from a constant. Other
   exponents are pow()'s own. */
Test(expr, whole_powers_match_pow_and_fold_alike)
{
    enum { N = 200 };
    double x[N], out[N];
    for (int i = 0; i < N; i++)
        x[i] = i == 0 ? 0.0 : i == 1 ? -0.0 : (i % 2 ? -1 : 1) * (0.01 + 0.37 * i);
    const double *cols[1] = {x};
    static const char *exprs[] = {"x^0", "x^1", "x^2", "x^3", "x^5", "x^7", "x^-1", "x^-3",
                                  "x^13", "x^16", "x^-16", "x^17", "x^64", "x^2.5", "x^-0.5"};
    for (size_t e = 0; e < sizeof exprs / sizeof *exprs; e++) {
        double y = atof(exprs[e] + 2);
        eval_columns(exprs[e], cols, 1, 0, N, out);
        for (int i = 0; i < N; i++) {
            double want = pow(x[i], y), got = out[i];
            int whole = fabs(y) <= 16 && y == floor(y);
            if (!whole || !isfinite(want) || want == 0) {
                cr_assert(same(got, want), "%s at %.17g: %.17g, pow %.17g", exprs[e], x[i], got, want);
            } else {
                double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
                cr_assert(fabs(got - want) <= (fabs(y) + 1) * ulp, "%s at %.17g: %.17g, pow %.17g", exprs[e],
                          x[i], got, want);
            }
            double v = x[i];
            cr_assert(same(eval_bound_const(exprs[e], &v, 1, 0), got), "%s at %.17g: folded differs",
                      exprs[e], x[i]);
        }
    }
    expect_value("2^10", 1024);
    expect_value("(-2)^3", -8);
    expect_value("0^0", 1);
    expect_value("0^-1", INFINITY);
    expect_value("0.5^16", 0x1p-16); /* powers of two are exact */
}

/* ---- price lists (SPEC 1.1) ---- */

Test(expr, band_tiered_and_interp_by_hand)
{
    const double x[] = {-5, 0, 999.5, 1000, 2500, 5000, 7000, NAN};
    const double *cols[1] = {x};
    enum { N = sizeof x / sizeof x[0] };
    double out[N];
    /* band: 15 below 1000, 12 from 1000, 10 from 5000 (the break belongs to the band it
       opens) */
    eval_columns("band(x, [1000, 5000], [15, 12, 10])", cols, 1, 0, N, out);
    const double band[] = {15, 15, 15, 12, 12, 10, 10};
    for (int i = 0; i < N - 1; i++)
        cr_expect_eq(out[i], band[i], "band at %g: %g", x[i], out[i]);
    cr_expect(isnan(out[N - 1]), "a NaN x stays NaN");
    /* tiered: the first 1000 at 15, the next 4000 at 12, the rest at 10 */
    eval_columns("tiered(x, [1000, 5000], [15, 12, 10])", cols, 1, 0, N, out);
    const double tier[] = {-75, 0, 999.5 * 15, 15000, 15000 + 1500 * 12, 15000 + 48000,
                           63000 + 20000};
    for (int i = 0; i < N - 1; i++)
        cr_expect_eq(out[i], tier[i], "tiered at %g: %.17g", x[i], out[i]);
    cr_expect(isnan(out[N - 1]));
    /* interp: flat beyond the ends, straight between */
    eval_columns("interp(x, [0, 5000, 10000], [0, 100, 150])", cols, 1, 0, N, out);
    const double lin[] = {0, 0, 999.5 / 50, 20, 50, 100, 120};
    for (int i = 0; i < N - 1; i++)
        cr_expect(fabs(out[i] - lin[i]) < 1e-12, "interp at %g: %.17g", x[i], out[i]);
    cr_expect(isnan(out[N - 1]));
    /* constants fold */
    expect_value("band(3, [1, 2], [10, 20, 30])", 30);
    expect_value("tiered(3, [1, 2], [10, 20, 30])", 10 + 20 + 30);
    expect_value("interp(1.5, [1, 2], [10, 20])", 15);
}

Test(expr, price_lists_with_lengths_that_do_not_match_are_refused_at_the_list)
{
    expect_error("band(x, [1000, 5000], [15, 12])", 22,
                 "band(): 2 breaks need 3 prices, one below the first break and one from each "
                 "break on, not 2");
    expect_error("tiered(x, [1000], [15, 12, 10])", 18,
                 "tiered(): 1 break need 2 rates, one below the first break and one from each "
                 "break on, not 3");
    expect_error("interp(x, [1, 2, 3], [10, 20])", 21,
                 "interp(): 3 x values but 2 y values; they go in pairs");
    expect_error("band(x, 1000, [15, 12])", 8,
                 "band() takes a list in brackets here, such as [1000, 5000]");
    expect_error("band(x, [], [15])", 9, "band(): a list needs at least one entry");
}

Test(expr, price_lists_want_constant_increasing_breaks)
{
    ex_ast *a = parse_ok("band(x, [1000, 1000], [1, 2, 3])");
    ex_binding b = {0, 0, 0, NULL, NULL};
    ex_error err = {0};
    cr_expect_null(ex_compile(a, &b, 1, &err));
    cr_expect_eq(err.offset, 15);
    cr_expect_str_eq(err.message, "band(): the breaks must increase strictly, but 1000 comes after 1000");
    ex_ast_free(a);
    a = parse_ok("interp(x, [0, y], [1, 2])");
    ex_binding b2[2] = {{1, 7, -1, NULL, NULL}, {0, 0, 0, NULL, NULL}};
    cr_expect_null(ex_compile(a, b2, 1, &err));
    cr_expect_eq(err.offset, 14);
    cr_expect_str_eq(err.message, "interp(): a price list takes constants (numbers and "
                                  "constant inputs), not uncertain or per-year values");
    ex_ast_free(a);
}

/* ex_eval_year computes the t-free part once: later years give ex_eval's bits. */
Test(expr, a_later_year_reuses_the_t_free_part_to_the_bit)
{
    enum { N = 37 };
    double x[N], y[N], full[N], part[N];
    for (int i = 0; i < N; i++)
        x[i] = 1.0 / (i + 3), y[i] = (i % 5) - 2.5;
    const double *cols[2] = {x, y};
    static const char *const exprs[] = {
        "(x + 1) * (y + 2) * t",
        "exp(x) * (1 + 5%)^t + ln(x + 1) * y / (t + 1)",
        "t < 2 ? sqrt(x) * y : x * 100 + t",
        "band(x * 10, [1, 2], [5, 6, 7]) * max(t, y)",
        "x * y + t * 0 + x",
    };
    for (size_t e = 0; e < sizeof exprs / sizeof *exprs; e++) {
        ex_ast *a = parse_ok(exprs[e]);
        ex_binding b[2] = {{.slot = 0}, {.slot = 1}};
        ex_error err = {0};
        ex_prog *p = ex_compile(a, b, 0, &err);
        cr_assert_not_null(p, "%s", exprs[e]);
        size_t w = ex_prog_workspace(p, N);
        double *ws = malloc((w ? w : 1) * sizeof *ws), *ws2 = malloc((w ? w : 1) * sizeof *ws2);
        for (int year = 0; year < 6; year++) {
            ex_eval(p, cols, year, N, full, ws2);
            ex_eval_year(p, cols, year, N, part, ws, year > 0);
            for (int i = 0; i < N; i++)
                cr_assert(same(full[i], part[i]), "%s, year %d, trial %d: %.17g vs %.17g",
                          exprs[e], year, i, part[i], full[i]);
        }
        free(ws);
        free(ws2);
        ex_prog_free(p);
        ex_ast_free(a);
    }
}
