/*
 * fuzz_gen.c — a structure-aware harness: the bytes are not a scenario but the choices of a
 * generator that writes one, valid most of the time (the inputs, distributions of every
 * kind, derived expressions, correlations, offers and alternatives with every item key,
 * currencies, variants, a vendor section), with parameters now and then at an edge (a tiny
 * width, a huge or tiny magnitude, zero). A plain campaign's corpus holds files the loader
 * refuses; this one reaches the engine. A scenario that loads runs at 256 trials on one
 * thread, the base and every variant (up to 8) through wa_runs, each variant also through
 * wa_run, which must give the same figures to the bit; every report format is rendered;
 * then a sweep of one input and a solve. Errors are normal outcomes; crashes, leaks, hangs
 * and figures that differ are not.
 *
 * The generator reads one byte per choice and 0 once the bytes run out, and 0 is always
 * the plain choice, so a short input is a small scenario and a longer one adds to it.
 * Changing the generator changes what every kept input means: add a choice at the end of
 * its menu where you can, so that the kept corpus (tests/fuzz/corpus/gen) keeps most of
 * what it covers.
 * Built with libFuzzer by scripts/fuzz, replayed on tests/fuzz/corpus/gen by the normal
 * suite through replay.c. With FUZZ_GEN_PRINT set in the environment, the scenario and the
 * studies of every input are written to stderr: the way to read what a finding ran.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walkaway.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the bytes ------------------------------------------------------------------------ */

typedef struct bytes {
    const uint8_t *p;
    size_t n, at;
} bytes;

/* The next byte, or 0 once they have run out. */
static unsigned byte(bytes *b) { return b->at < b->n ? b->p[b->at++] : 0; }

static unsigned pick(bytes *b, unsigned n) { return byte(b) % n; }

/* Something out of the ordinary, about pct times in 100; never once the bytes run out. */
static int rare(bytes *b, unsigned pct) { return byte(b) * 100u >= (100u - pct) * 256u; }

/* ---- the text ------------------------------------------------------------------------- */

typedef struct text {
    char *s;
    size_t len, cap; /* len >= cap: it did not fit, and the scenario is dropped */
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    int n = vsnprintf(room ? t->s + t->len : NULL, room, fmt, ap);
    va_end(ap);
    t->len += n > 0 ? (size_t)n : 0;
}

/* ---- the generator's state -------------------------------------------------------------- */

#define MAX_INPUTS 14
#define MAX_INLINE 4

/* What an input is, which decides where it may be read: a constant anywhere, a sampled or
   derived input where uncertainty is allowed, a per-year one only where a year exists. */
enum kind { CONSTANT, SAMPLED, DERIVED, PER_YEAR };

typedef struct input {
    char name[12];
    enum kind kind;
    int has_value; /* a constant written as a number: sweeps and price lists may use it */
    double value;
    int pinned; /* read by a parameter or a price list: variants leave it as it is */
    const char *param; /* a sampled input's parameter a sweep may vary (NAME.PARAM) */
    double param_value;
} input;

typedef struct gen {
    bytes b;
    text *out;
    int horizon;
    input in[MAX_INPUTS];
    int nin;
    int noffers, nalts;
    int currencies; /* EUR, then GBP, have a rate */
    int vendor;
    char inlined[MAX_INLINE][48]; /* option/label of items whose amount is a distribution */
    int ninlined;
    char vary[160];   /* the sweep's grid, "" for none */
    char solve[160];  /* the solve's NAME=FROM:TO, "" for none */
    char offer[24];   /* the offer solved for */
    const char *target;
} gen;

/* ---- numbers ---------------------------------------------------------------------------- */

/* A positive figure: money or a count mostly, now and then an edge. The mantissa is exact
   in binary, so that most figures print short. */
static double magnitude(gen *g)
{
    static const double usual[] = {1e3, 1e5, 1, 1e6, 100, 10, 1e4, 0.1};
    static const double edge[] = {0, 1e-9, 1e-300, 1e12, 1e300, 5e-324};
    double m = 1 + byte(&g->b) / 16.0;
    if (rare(&g->b, 3))
        return m * edge[pick(&g->b, 6)];
    return m * usual[pick(&g->b, 8)];
}

static double signed_magnitude(gen *g)
{
    double m = magnitude(g);
    return rare(&g->b, 15) ? -m : m;
}

/* A spread around x: a fraction of it mostly, now and then tiny, zero or vast. */
static double width(gen *g, double x)
{
    static const double usual[] = {0.5, 1, 0.2, 2, 0.05, 5};
    static const double edge[] = {1e-12, 1e-15, 0, 1e6};
    double a = fabs(x) > 0 && isfinite(x) ? fabs(x) : 1;
    if (rare(&g->b, 3))
        return a * edge[pick(&g->b, 4)];
    return a * usual[pick(&g->b, 6)];
}

/* One of a few values; the edges only rarely. */
static double one_of(gen *g, const double *usual, unsigned nusual, const double *edge,
                     unsigned nedge)
{
    if (nedge && rare(&g->b, 2))
        return edge[pick(&g->b, nedge)];
    return usual[pick(&g->b, nusual)];
}

/* v as a literal of the format: plain or with a suffix (k, M, B, %), exact where %.15g is
   not. */
static void put_num(gen *g, text *t, double v)
{
    static const struct {
        const char *suffix;
        double unit;
    } forms[] = {{"", 1}, {"k", 1e3}, {"M", 1e6}, {"%", 1e-2}, {"B", 1e9}};
    unsigned f = pick(&g->b, 8);
    if (f >= 5)
        f = 0;
    if (!isfinite(v)) { /* a figure gone past the doubles: the largest one instead */
        put(t, isnan(v) ? "0" : v > 0 ? "1.7976931348623157e308" : "-1.7976931348623157e308");
        return;
    }
    double x = v / forms[f].unit;
    char s[48];
    snprintf(s, sizeof s, "%.15g", x);
    if (strtod(s, NULL) != x)
        snprintf(s, sizeof s, "%.17g", x);
    put(t, "%s%s", s, forms[f].suffix);
}

/* The same inside an expression, where a negative literal needs its parentheses. */
static void put_operand(gen *g, text *t, double v)
{
    put(t, v < 0 ? "(" : "");
    put_num(g, t, v);
    put(t, v < 0 ? ")" : "");
}

/* ---- expressions ------------------------------------------------------------------------ */

/* What an expression may read, and what it did read. */
enum { READ_T = 1, READ_PER_YEAR = 2, READ_UNCERTAIN = 4 };

static unsigned readable(enum kind k)
{
    return k == PER_YEAR ? READ_PER_YEAR : k == CONSTANT ? 0 : READ_UNCERTAIN;
}

/* An input among the first upto that allow lets an expression read, or -1. */
static int some_input(gen *g, unsigned allow, int upto)
{
    int can[MAX_INPUTS], n = 0;
    for (int i = 0; i < upto; i++)
        if ((readable(g->in[i].kind) & ~allow) == 0)
            can[n++] = i;
    return n ? can[pick(&g->b, (unsigned)n)] : -1;
}

static unsigned leaf(gen *g, text *t, unsigned allow, int upto)
{
    static const double small[] = {1, 2, 0.5, 1e3, 0.03, 12, 1e5, 0.9};
    unsigned k = pick(&g->b, 8);
    if (k >= 1 && k <= 4) {
        int i = some_input(g, allow, upto);
        if (i >= 0) {
            put(t, "%s", g->in[i].name);
            return readable(g->in[i].kind);
        }
    }
    if (k == 5 && (allow & READ_T)) {
        put(t, "t");
        return READ_T;
    }
    if (k == 6) {
        put_operand(g, t, signed_magnitude(g));
        return 0;
    }
    put_operand(g, t, k == 7 ? -small[pick(&g->b, 8)] : small[pick(&g->b, 8)]);
    return 0;
}

/* A constant, now and then written through a constant input (kN + the difference):
   parameters, bounds and price lists take constant inputs too. */
static void put_constant(gen *g, text *t, double v)
{
    int can[MAX_INPUTS], n = 0;
    for (int i = 0; i < g->nin; i++) /* not one so large that v would be lost in the sum */
        if (g->in[i].has_value && fabs(g->in[i].value) <= 1e6 * fabs(v))
            can[n++] = i;
    if (!n || !rare(&g->b, 15)) {
        put_operand(g, t, v);
        return;
    }
    input *in = &g->in[can[pick(&g->b, (unsigned)n)]];
    in->pinned = 1;
    put(t, "(%s + ", in->name);
    put_operand(g, t, v - in->value);
    put(t, ")");
}

/* band, tiered or interp over x: breaks that rise strictly, the values anything. */
static unsigned price_list(gen *g, text *t, int depth, unsigned allow, int upto);

static unsigned expr(gen *g, text *t, int depth, unsigned allow, int upto)
{
    static const char *const cmp[] = {"<", "<=", ">", ">=", "==", "!="};
    static const char *const round_[] = {"floor", "ceil", "round"};
    static const char *const logs[] = {"ln", "log10"};
    unsigned op = depth > 0 ? pick(&g->b, 22) : 0, r = 0;
    switch (op) {
    case 0:
        return leaf(g, t, allow, upto);
    case 1:
    case 2:
    case 3:
        put(t, "(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, op == 1 ? " + " : op == 2 ? " - " : " * ");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    case 4: /* a division that cannot divide by zero */
        put(t, "(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, " / (abs(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, ") + 1))");
        return r;
    case 5: /* a power, on a base that cannot be negative when it is not whole */
        if (rare(&g->b, 50)) {
            put(t, "(");
            r = expr(g, t, depth - 1, allow, upto);
            put(t, ") ^ 2");
        } else {
            put(t, "pow(abs(");
            r = expr(g, t, depth - 1, allow, upto);
            put(t, "), %s)", rare(&g->b, 50) ? "0.5" : "1.5");
        }
        return r;
    case 6:
        put(t, "(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, " %s ", cmp[pick(&g->b, 6)]);
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    case 7:
    case 8: /* a conditional, as ?: or as if() */
        put(t, op == 7 ? "(" : "if(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, " %s ", cmp[pick(&g->b, 6)]);
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, op == 7 ? " ? " : ", ");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, op == 7 ? " : " : ", ");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    case 9:
        put(t, "(");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, rare(&g->b, 50) ? " and " : " or ");
        put(t, rare(&g->b, 50) ? "not " : "");
        r |= expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    case 10:
    case 11: {
        unsigned n = 1 + pick(&g->b, 3);
        put(t, op == 10 ? "min(" : "max(");
        for (unsigned i = 0; i < n; i++) {
            put(t, i ? ", " : "");
            r |= expr(g, t, depth - 1, allow, upto);
        }
        put(t, ")");
        return r;
    }
    case 12:
    case 13:
        put(t, op == 12 ? "abs(" : "sqrt(abs(");
        r = expr(g, t, depth - 1, allow, upto);
        put(t, op == 12 ? ")" : "))");
        return r;
    case 14: /* exp of at most 10: no overflow */
        put(t, "exp(min(");
        r = expr(g, t, depth - 1, allow, upto);
        put(t, ", 10))");
        return r;
    case 15:
        put(t, "%s(abs(", logs[pick(&g->b, 2)]);
        r = expr(g, t, depth - 1, allow, upto);
        put(t, ") + 1)");
        return r;
    case 16:
        put(t, "%s(", round_[pick(&g->b, 3)]);
        r = expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    case 17: {
        double lo = signed_magnitude(g);
        put(t, "clamp(");
        r = expr(g, t, depth - 1, allow, upto);
        put(t, ", ");
        put_constant(g, t, lo);
        put(t, ", ");
        put_constant(g, t, lo + width(g, lo));
        put(t, ")");
        return r;
    }
    case 18:
    case 19:
        return price_list(g, t, depth, allow, upto);
    case 20:
        put(t, "-");
        return leaf(g, t, allow, upto);
    default: /* now and then, what may give a NaN: a run that reports it */
        if (!rare(&g->b, 30))
            return leaf(g, t, allow, upto);
        put(t, rare(&g->b, 50) ? "ln(" : "(1 / ");
        r = expr(g, t, depth - 1, allow, upto);
        put(t, ")");
        return r;
    }
}

static unsigned price_list(gen *g, text *t, int depth, unsigned allow, int upto)
{
    static const char *const fn[] = {"band", "tiered", "interp"};
    unsigned f = pick(&g->b, 3), k = 1 + pick(&g->b, 4);
    put(t, "%s(", fn[f]);
    unsigned r = expr(g, t, depth - 1, allow, upto);
    put(t, ", [");
    double x = signed_magnitude(g);
    for (unsigned i = 0; i < k; i++) {
        put(t, i ? ", " : "");
        put_constant(g, t, x);
        double w = width(g, x);
        x += w > 0 ? w : 1;
    }
    put(t, "], [");
    for (unsigned i = 0; i < k + (f != 2); i++) { /* band, tiered: one more price */
        put(t, i ? ", " : "");
        put_constant(g, t, signed_magnitude(g));
    }
    put(t, "])");
    return r;
}

/* An expression into its own text, then quoted into t: the flags it read. */
static unsigned quoted_expr(gen *g, text *t, int depth, unsigned allow, int upto)
{
    char s[2048];
    text e = {s, 0, sizeof s};
    unsigned r = expr(g, &e, depth, allow, upto);
    if (e.len >= e.cap)
        t->len = t->cap; /* too long: the scenario is dropped */
    else
        put(t, "\"%s\"", s);
    return r;
}

/* ---- distributions ------------------------------------------------------------------ */

typedef struct drawn {
    enum kind kind;
    const char *param; /* a parameter a sweep may vary, or NULL */
    double param_value;
    double center, spread; /* where truncate bounds go */
    int truncatable;
} drawn;

static void param(gen *g, text *t, drawn *d, const char *key, double v)
{
    put(t, ", %s: ", key);
    put_constant(g, t, v);
    if (!d->param) {
        d->param = key;
        d->param_value = v;
    }
}

static void bounded(gen *g, text *t, drawn *d, int with_mode)
{
    static const double at[] = {0.3, 0.5, 0.1, 0.8};
    static const double edge[] = {0, 1};
    double lo = signed_magnitude(g), w = width(g, lo);
    param(g, t, d, "min", lo);
    if (with_mode)
        param(g, t, d, "mode", lo + w * one_of(g, at, 4, edge, 2));
    param(g, t, d, "max", lo + w);
}

/* Two quantiles pNN < pMM, of positive values when positive. */
static void quantiles(gen *g, text *t, drawn *d, int positive)
{
    static const char *const pairs[][2] = {{"p10", "p90"}, {"p5", "p95"}, {"p50", "p90"},
                                           {"p25", "p75"}, {"p1", "p99"},  {"p10", "p50"}};
    unsigned k = pick(&g->b, 6);
    double lo = positive ? magnitude(g) : signed_magnitude(g), w = width(g, lo);
    param(g, t, d, pairs[k][0], lo); /* the key a sweep varies: static, as param() keeps it */
    put(t, ", %s: ", pairs[k][1]);
    put_num(g, t, lo + w);
    d->center = lo + w / 2;
    d->spread = w;
}

/* A metalog through 2, 3 or 5 quantiles of a skewed normal shape, feasible mostly, now and
   then bounded. */
static void metalog(gen *g, text *t, drawn *d)
{
    static const struct {
        int n;
        double p[5], z[5];
    } sets[] = {{3, {0.1, 0.5, 0.9}, {-1.2816, 0, 1.2816}},
                {2, {0.1, 0.9}, {-1.2816, 1.2816}},
                {5, {0.05, 0.25, 0.5, 0.75, 0.95}, {-1.6449, -0.6745, 0, 0.6745, 1.6449}},
                {3, {0.25, 0.5, 0.75}, {-0.6745, 0, 0.6745}}};
    static const double skew[] = {1, 1.5, 0.7, 1.2};
    static const double edge[] = {3, 0.2, 10};
    unsigned s = pick(&g->b, 4), form = pick(&g->b, 3);
    double m = signed_magnitude(g), w = width(g, m), up = one_of(g, skew, 4, edge, 3);
    double q[5];
    put(t, ", quantiles: {");
    for (int i = 0; i < sets[s].n; i++) {
        double z = sets[s].z[i];
        q[i] = m + w * z * (z > 0 ? up : 1);
        if (form == 0)
            put(t, "%sp%g: ", i ? ", " : "", 100 * sets[s].p[i]);
        else
            put(t, form == 1 ? "%s%g: " : "%s%g%%: ", i ? ", " : "",
                form == 1 ? sets[s].p[i] : 100 * sets[s].p[i]);
        put_num(g, t, q[i]);
    }
    put(t, "}");
    if (rare(&g->b, 30)) {
        put(t, ", lower: ");
        put_num(g, t, q[0] - w * (1 + pick(&g->b, 3)));
    }
    if (rare(&g->b, 20)) {
        put(t, ", upper: ");
        put_num(g, t, q[sets[s].n - 1] + w * (1 + pick(&g->b, 3)));
    }
    d->center = m;
    d->spread = w;
}

static void discrete(gen *g, text *t, drawn *d)
{
    static const double weights[] = {1, 0.5, 2, 3};
    static const double edge[] = {0};
    unsigned n = 1 + pick(&g->b, 5);
    int weighted = rare(&g->b, 50);
    put(t, ", values: [");
    for (unsigned i = 0; i < n; i++) {
        put(t, i ? ", " : "");
        put_num(g, t, signed_magnitude(g));
    }
    put(t, "]");
    if (weighted) {
        put(t, ", weights: [");
        for (unsigned i = 0; i < n; i++) {
            put(t, i ? ", " : "");
            put_num(g, t, one_of(g, weights, 4, edge, 1));
        }
        put(t, "]");
    }
    (void)d;
}

/* The families of the format, and the parameters of each. */
static void family(gen *g, text *t, drawn *d, unsigned f)
{
    static const double shapes[] = {2, 0.5, 1, 3, 5, 0.1, 50};
    static const double lambdas[] = {4, 6, 1, 0.5, 100};
    static const double ps[] = {0.1, 0.5, 0.3, 0.9, 0.05};
    static const double p_edge[] = {0, 1};
    static const double means[] = {3, 0.5, 6, 20, 1000};
    static const double mean_edge[] = {0, 1e6};
    static const double sigmas[] = {0.5, 0.1, 1, 2};
    static const char *const names[] = {
        "uniform", "triangular", "pert",  "normal",    "normal",  "lognormal", "lognormal",
        "lognormal", "beta",    "gamma", "gamma",     "bernoulli", "poisson", "discrete",
        "metalog", "constant"};
    put(t, "{dist: %s", names[f]);
    double m;
    switch (f) {
    case 0:
    case 1:
        bounded(g, t, d, f == 1);
        break;
    case 2:
        bounded(g, t, d, 1);
        if (rare(&g->b, 30))
            param(g, t, d, "lambda", one_of(g, lambdas, 5, p_edge, 1));
        break;
    case 3:
        m = signed_magnitude(g);
        param(g, t, d, "mean", m);
        param(g, t, d, "sd", d->spread = width(g, m));
        d->center = m;
        d->truncatable = 1;
        break;
    case 4:
    case 5:
        quantiles(g, t, d, f == 5);
        d->truncatable = 1;
        break;
    case 6:
    case 10:
        m = magnitude(g);
        param(g, t, d, "mean", m);
        param(g, t, d, "sd", d->spread = width(g, m));
        d->center = m;
        d->truncatable = 1;
        break;
    case 7:
        param(g, t, d, "mu", d->center = (double)pick(&g->b, 18) - 2);
        param(g, t, d, "sigma", one_of(g, sigmas, 4, p_edge, 1));
        d->center = exp(d->center);
        d->spread = d->center;
        d->truncatable = 1;
        break;
    case 8:
        param(g, t, d, "a", one_of(g, shapes, 7, p_edge, 1));
        param(g, t, d, "b", one_of(g, shapes, 7, p_edge, 1));
        if (rare(&g->b, 40)) {
            m = signed_magnitude(g);
            param(g, t, d, "min", m);
            param(g, t, d, "max", m + width(g, m));
        }
        break;
    case 9:
        param(g, t, d, "shape", one_of(g, shapes, 7, p_edge, 1));
        param(g, t, d, "scale", d->spread = magnitude(g));
        d->center = d->spread;
        d->truncatable = 1;
        break;
    case 11:
        param(g, t, d, "p", one_of(g, ps, 5, p_edge, 2));
        break;
    case 12:
        param(g, t, d, "mean", one_of(g, means, 5, mean_edge, 2));
        break;
    case 13:
        discrete(g, t, d);
        break;
    case 14:
        metalog(g, t, d);
        break;
    default:
        param(g, t, d, "value", signed_magnitude(g));
        break;
    }
}

/* truncate, on the families that take it: bounds about the centre, on one side or both. */
static void truncate_(gen *g, text *t, const drawn *d)
{
    static const double k[] = {1, 2, 0.5, 3};
    static const double edge[] = {0, -1, 40};
    unsigned sides = 1 + pick(&g->b, 3);
    put(t, ", truncate: {");
    if (sides & 1) {
        put(t, "min: ");
        put_num(g, t, d->center - d->spread * one_of(g, k, 4, edge, 3));
    }
    if (sides & 2) {
        put(t, "%smax: ", sides & 1 ? ", " : "");
        put_num(g, t, d->center + d->spread * one_of(g, k, 4, edge, 3));
    }
    put(t, "}");
}

/* A distribution mapping: its kind (a constant one counts as derived: it may not be
   correlated), PER_YEAR when drawn every year. */
static drawn distribution(gen *g, text *t, int per_year_ok)
{
    drawn d = {SAMPLED, NULL, 0, 0, 1, 0};
    unsigned f = pick(&g->b, 16);
    family(g, t, &d, f);
    if (d.truncatable && rare(&g->b, 20))
        truncate_(g, t, &d);
    if (f == 15)
        d.kind = DERIVED;
    if (per_year_ok && rare(&g->b, 12)) {
        put(t, ", per: year");
        d.kind = PER_YEAR;
    }
    put(t, "}");
    return d;
}

/* ---- the scenario's top ------------------------------------------------------------------ */

static void header(gen *g)
{
    static const double rates[] = {0.08, 0, 0.05, 0.1, 0.03, 0.15, -0.02};
    static const double rate_edge[] = {-0.99, 1e-12, 5};
    text *t = g->out;
    g->horizon = 1 + (int)pick(&g->b, 10);
    put(t, "walkaway: 1\nname: generated %u\n", pick(&g->b, 100));
    if (rare(&g->b, 20))
        put(t, "description: >-\n  made by fuzz_gen.c from the fuzzer's bytes\n");
    put(t, "currency: %s\n", rare(&g->b, 20) ? "CHF" : "USD");
    put(t, "horizon: %d\ndiscount_rate: ", g->horizon);
    put_num(g, t, one_of(g, rates, 7, rate_edge, 3));
    put(t, "\n");
    if (rare(&g->b, 15)) {
        put(t, "risk_tolerance: ");
        put_num(g, t, magnitude(g));
        put(t, "\n");
    }
}

static void simulation(gen *g)
{
    static const char *const methods[] = {"monte-carlo", "latin-hypercube", "sobol"};
    static const double confidence[] = {0.8, 0.5, 0.9, 0.95, 0.6};
    static const double confidence_edge[] = {0.001, 0.999, 1e-9};
    static const int replicates[] = {16, 2, 4, 8, 32, 256};
    static const double precision[] = {0.05, 0.01, 0.2, 0.4};
    text *t = g->out;
    unsigned m = pick(&g->b, 3);
    put(t, "simulation:\n  trials: 256\n  seed: ");
    if (rare(&g->b, 5)) {
        put(t, "18446744073709551615\n");
    } else { /* two bytes, read in order: not two calls in one expression */
        unsigned high = byte(&g->b);
        put(t, "%u\n", high * 256u + byte(&g->b));
    }
    put(t, "  method: %s\n  confidence: ", methods[m]);
    put_num(g, t, one_of(g, confidence, 5, confidence_edge, 3));
    put(t, "\n");
    if (m == 2 && rare(&g->b, 40))
        put(t, "  replicates: %d\n", replicates[pick(&g->b, 6)]);
    if (rare(&g->b, 10)) {
        put(t, "  precision: ");
        put_num(g, t, precision[pick(&g->b, 4)]);
        put(t, "\n");
    }
    if (rare(&g->b, 10))
        put(t, "  strict: %s\n", rare(&g->b, 50) ? "true" : "false");
}

/* ---- inputs ------------------------------------------------------------------------------ */

/* Input i: a number, a distribution, or an expression over the inputs before it (which
   rules out cycles). Its definition goes into a text of its own first, as its kind names
   it. */
static void one_input(gen *g, int i)
{
    char s[4096];
    text def = {s, 0, sizeof s};
    input *in = &g->in[i];
    unsigned how = pick(&g->b, 8);
    if (how == 0 || how == 7) { /* 0: the plain choice, a constant */
        in->kind = CONSTANT;
        in->has_value = 1;
        in->value = how == 0 ? magnitude(g) : signed_magnitude(g);
        put_num(g, &def, in->value);
    } else if (how <= 4) {
        drawn d = distribution(g, &def, 1);
        in->kind = d.kind;
        in->param = d.kind == SAMPLED ? d.param : NULL;
        in->param_value = d.param_value;
    } else { /* derived: per-year when it reads t, or reads what is */
        unsigned r = quoted_expr(g, &def, 1 + (int)pick(&g->b, 3),
                                 READ_T | READ_PER_YEAR | READ_UNCERTAIN, i);
        in->kind = r & (READ_T | READ_PER_YEAR) ? PER_YEAR : r ? DERIVED : CONSTANT;
    }
    snprintf(in->name, sizeof in->name, "%c%d",
             "ksdy"[in->kind], i); /* k constant, s sampled, d derived, y per year */
    if (def.len >= def.cap)
        g->out->len = g->out->cap;
    else
        put(g->out, "  %s: %s\n", in->name, s);
}

static void inputs(gen *g)
{
    g->nin = (int)pick(&g->b, MAX_INPUTS + 1);
    if (!g->nin)
        return;
    put(g->out, "inputs:\n");
    for (int i = 0; i < g->nin; i++)
        one_input(g, i);
}

/* A rate into the report's currency: a constant, an uncertain input kept positive, or a
   rate per year. */
static void currencies(gen *g)
{
    static const char *const code[] = {"EUR", "GBP"};
    if (!rare(&g->b, 20))
        return;
    g->currencies = 1 + (int)pick(&g->b, 2);
    put(g->out, "currencies:\n");
    for (int c = 0; c < g->currencies; c++) {
        put(g->out, "  %s: ", code[c]);
        unsigned how = pick(&g->b, 4);
        int i = how == 1 ? some_input(g, READ_UNCERTAIN | READ_PER_YEAR, g->nin) : -1;
        if (i >= 0)
            put(g->out, "\"max(%s, 0.01)\"\n", g->in[i].name);
        else if (how == 2)
            put(g->out, "\"1.1 * 1.02^t\"\n");
        else
            put(g->out, "%s\n", c ? "1.27" : "1.08");
    }
}

/* Rank correlations between sampled inputs: small ones mostly (a valid matrix), now and
   then strong ones that may not hold together, or an edge. */
static void correlations(gen *g)
{
    static const double rho[] = {0.2, -0.1, 0.3, 0.1, -0.3, 0.5, 0.9, -0.9};
    static const double rho_edge[] = {0.999, -0.999, 0, 1};
    int can[MAX_INPUTS], n = 0, pairs = 0;
    for (int i = 0; i < g->nin; i++)
        if (g->in[i].kind == SAMPLED)
            can[n++] = i;
    if (n < 2 || !rare(&g->b, 40))
        return;
    put(g->out, "correlations:\n");
    for (int a = 0; a < n && pairs < 8; a++)
        for (int b = a + 1; b < n && pairs < 8; b++) {
            if (pairs && !rare(&g->b, 40))
                continue;
            put(g->out, "  - [%s, %s, ", g->in[can[a]].name, g->in[can[b]].name);
            put_num(g, g->out, one_of(g, rho, 8, rho_edge, 4));
            put(g->out, "]\n");
            pairs++;
        }
}

/* ---- items ------------------------------------------------------------------------------- */

enum role { OFFER, ALTERNATIVE, VENDOR_WALK };

/* year: an uncertain input, clamped to the horizon mostly; 0 when there is none. */
static int uncertain_year(gen *g, const char *pad)
{
    int i = some_input(g, READ_UNCERTAIN, g->nin);
    if (i < 0 || g->in[i].kind == CONSTANT)
        return 0;
    if (rare(&g->b, 3)) /* drawn years outside the horizon: a run-time error */
        put(g->out, "%syear: %s\n", pad, g->in[i].name);
    else
        put(g->out, "%syear: \"clamp(%s, 0, %d)\"\n", pad, g->in[i].name, g->horizon);
    return 1;
}

/* year or years, within the horizon mostly. Returns whether the year is fixed: an
   uncertain one rules out t and per-year values in the amount and probability. */
static int timing(gen *g, const char *pad)
{
    text *t = g->out;
    int h = g->horizon, a = (int)pick(&g->b, (unsigned)h + 1);
    switch (pick(&g->b, 8)) {
    case 0:
        put(t, "%syear: 0\n", pad);
        return 1;
    case 1:
    case 2:
        put(t, "%syears: [%d, %d]\n", pad, a, a + (int)pick(&g->b, (unsigned)(h - a) + 1));
        return 1;
    case 3:
        put(t, "%syears: [1, %d]\n", pad, h);
        return 1;
    case 4:
        put(t, "%syear: %g\n", pad, a + (a < h ? 0.5 : 0));
        return 1;
    case 5:
        put(t, "%syears: [0.5, %g]\n", pad, h - 0.5);
        return 1;
    case 6:
        if (uncertain_year(g, pad))
            return 0;
        break;
    default:
        break;
    }
    put(t, "%syear: %d\n", pad, rare(&g->b, 1) ? h + 1 : h);
    return 1;
}

static void amount(gen *g, int fixed, enum role role, const char *option, const char *label)
{
    text *t = g->out;
    unsigned allow = fixed ? READ_T | READ_PER_YEAR | READ_UNCERTAIN : READ_UNCERTAIN;
    unsigned how = pick(&g->b, 8);
    if (how == 1) {
        (void)distribution(g, t, 0);
        if (role != VENDOR_WALK && g->ninlined < MAX_INLINE)
            snprintf(g->inlined[g->ninlined++], sizeof g->inlined[0], "%s/%s", option, label);
    } else if (how >= 2 && how <= 5) { /* a figure times a factor: money-sized mostly */
        char s[2048];
        text e = {s, 0, sizeof s};
        put_num(g, &e, magnitude(g));
        put(&e, " * ");
        (void)expr(g, &e, (int)pick(&g->b, 4), allow, g->nin);
        if (e.len >= e.cap)
            t->len = t->cap;
        else
            put(t, "\"%s\"", s);
    } else if (how == 6) {
        (void)quoted_expr(g, t, 1 + (int)pick(&g->b, 3), allow, g->nin);
    } else {
        put_num(g, t, magnitude(g));
    }
}

static void growth(gen *g, const char *pad, int fixed)
{
    static const double rates[] = {0.03, 0.05, 0.1, -0.05, 0.2};
    static const double edge[] = {-1, 10, -2};
    unsigned allow = fixed ? READ_T | READ_PER_YEAR | READ_UNCERTAIN : READ_UNCERTAIN;
    put(g->out, "%sgrowth: ", pad);
    if (rare(&g->b, 50)) {
        put(g->out, "\"clamp(");
        char s[2048];
        text e = {s, 0, sizeof s};
        (void)expr(g, &e, (int)pick(&g->b, 3), allow, g->nin);
        put(g->out, "%s, -0.5, 0.5)\"\n", e.len < e.cap ? s : "0");
        return;
    }
    put_num(g, g->out, one_of(g, rates, 5, edge, 3));
    put(g->out, "\n");
}

static void probability(gen *g, const char *pad, int fixed)
{
    static const double ps[] = {0.1, 0.5, 0.9, 0.25};
    static const double edge[] = {0, 1, 1.5, -0.1};
    unsigned allow = fixed ? READ_T | READ_PER_YEAR | READ_UNCERTAIN : READ_UNCERTAIN;
    put(g->out, "%sprobability: ", pad);
    unsigned how = pick(&g->b, 4);
    if (how == 1 && fixed) {
        put(g->out, "\"min(10%% * t, 1)\"\n");
    } else if (how == 2) {
        char s[2048];
        text e = {s, 0, sizeof s};
        (void)expr(g, &e, (int)pick(&g->b, 3), allow, g->nin);
        put(g->out, "\"clamp(%s, 0, 1)\"\n", e.len < e.cap ? s : "0");
    } else {
        put_num(g, g->out, one_of(g, ps, 4, edge, 4));
        put(g->out, "\n");
    }
}

static void item(gen *g, enum role role, const char *option, const char *list, int k)
{
    static const char *const labels[] = {"licences", "S&S",     "services", "migration",
                                         "fee",      "support", "true-up",  "project"};
    static const char *const booked[] = {"subscription", "new-licence", "support",
                                         "compliance",   "services",    "other"};
    const char *pad = "        ";
    char label[40];
    snprintf(label, sizeof label, "%s %s%d", labels[pick(&g->b, 8)], list, k);
    /* the timing decides what the amount may read, so both go into texts of their own */
    char s_amount[4096], s_timing[256];
    text amt = {s_amount, 0, sizeof s_amount}, tim = {s_timing, 0, sizeof s_timing};
    text *out = g->out;
    g->out = &tim;
    int fixed = timing(g, pad);
    g->out = &amt;
    amount(g, fixed, role, option, label);
    g->out = out;
    if (amt.len >= amt.cap || tim.len >= tim.cap) {
        out->len = out->cap;
        return;
    }
    put(out, "      - label: %s\n%samount: %s\n%s", label, pad, s_amount, s_timing);
    if (rare(&g->b, 25))
        growth(g, pad, fixed);
    if (rare(&g->b, 20))
        probability(g, pad, fixed);
    if (g->currencies && rare(&g->b, 25))
        put(out, "%scurrency: %s\n", pad,
            rare(&g->b, 5) ? "JPY" : pick(&g->b, (unsigned)g->currencies) ? "GBP" : "EUR");
    if (role != ALTERNATIVE && rare(&g->b, g->vendor ? 60 : 10))
        put(out, "%sbooked_as: %s\n", pad, booked[pick(&g->b, 6)]);
    if (role == OFFER && rare(&g->b, g->vendor ? 25 : 5)) {
        put(out, "%svendor_value: ", pad);
        if (rare(&g->b, 30))
            (void)distribution(g, out, 0);
        else
            (void)quoted_expr(g, out, (int)pick(&g->b, 3),
                              fixed ? READ_T | READ_PER_YEAR | READ_UNCERTAIN : READ_UNCERTAIN,
                              g->nin);
        put(out, "\n");
    }
}

/* A list of items, min to min + 2 of them. tag keeps labels unique across an option's
   lists. */
static void items(gen *g, enum role role, const char *option, const char *list,
                  const char *tag, int min)
{
    int n = min + (int)pick(&g->b, 3);
    if (n <= 0)
        return;
    put(g->out, "    %s:\n", list);
    for (int k = 0; k < n; k++)
        item(g, role, option, tag, k);
}

/* ---- options ------------------------------------------------------------------------------ */

static void option_name(char *s, size_t n, enum role role, int k)
{
    snprintf(s, n, role == OFFER ? "offer-%d" : "alt-%d", k);
}

/* includes: one option written before this one, so that no cycle can form. */
static void includes(gen *g, enum role role, int k)
{
    int before = role == OFFER ? k : g->noffers + k;
    if (!before || !rare(&g->b, 15))
        return;
    int j = (int)pick(&g->b, (unsigned)before);
    char name[24];
    if (j < g->noffers)
        option_name(name, sizeof name, OFFER, j);
    else
        option_name(name, sizeof name, ALTERNATIVE, j - g->noffers);
    put(g->out, "    includes: [%s]\n", name);
}

/* The units an offer's price is quoted in: a count positive in every trial mostly. */
static void price_units(gen *g)
{
    static const double counts[] = {1920, 500, 1, 10000, 3.5};
    static const double edge[] = {0, -5};
    put(g->out, "    price_units: {label: core-year, count: ");
    unsigned how = pick(&g->b, 4);
    int i = how == 1 ? some_input(g, READ_UNCERTAIN | READ_PER_YEAR, g->nin) : -1;
    if (i >= 0)
        put(g->out, "\"max(%s, 1)\"", g->in[i].name);
    else if (how == 2)
        put(g->out, "\"100 + t\"");
    else
        put_num(g, g->out, one_of(g, counts, 5, edge, 2));
    if (rare(&g->b, 50))
        put(g->out, ", years: [0, %d]}\n", g->horizon);
    else
        put(g->out, ", year: %d}\n", (int)pick(&g->b, (unsigned)g->horizon + 1));
}

static void option(gen *g, enum role role, int k)
{
    char name[24];
    option_name(name, sizeof name, role, k);
    put(g->out, "  - name: %s\n", name);
    if (rare(&g->b, 15))
        put(g->out, "    description: option %d as the generator made it\n", k);
    includes(g, role, k);
    if (role == OFFER && rare(&g->b, 20))
        price_units(g);
    items(g, role, name, "costs", "c", rare(&g->b, 3) ? 0 : 1);
    if (rare(&g->b, 30))
        items(g, role, name, "concessions", "x", 1);
    if (rare(&g->b, 25))
        items(g, role, name, "savings", "s", 1);
}

static void options(gen *g)
{
    g->noffers = 1 + (int)pick(&g->b, 3);
    g->nalts = 1 + (int)pick(&g->b, 3);
    put(g->out, "offers:\n");
    for (int k = 0; k < g->noffers; k++)
        option(g, OFFER, k);
    put(g->out, "alternatives:\n");
    for (int k = 0; k < g->nalts; k++)
        option(g, ALTERNATIVE, k);
}

/* walk: named or best with several alternatives, now and then named with one. */
static void walk(gen *g)
{
    if (g->nalts >= 2) {
        unsigned k = pick(&g->b, (unsigned)g->nalts + 1);
        if (k == 0)
            put(g->out, "walk: best\n");
        else
            put(g->out, "walk: alt-%u\n", k - 1);
    } else if (rare(&g->b, 30)) {
        put(g->out, "walk: alt-0\n");
    }
}

/* ---- variants ---------------------------------------------------------------------------- */

/* A replacement for input i that keeps what reads it valid: a constant (which parameters
   and years may read) gets a number; a per-year input may stay per-year; any other gets a
   number, a distribution or an expression over the inputs before it. */
static void replacement(gen *g, int i)
{
    const input *in = &g->in[i];
    unsigned how = in->kind == CONSTANT ? 0 : pick(&g->b, 3);
    unsigned allow = in->kind == PER_YEAR ? READ_T | READ_PER_YEAR | READ_UNCERTAIN
                                          : READ_UNCERTAIN;
    if (how == 1)
        (void)distribution(g, g->out, in->kind == PER_YEAR);
    else if (how == 2)
        (void)quoted_expr(g, g->out, 1 + (int)pick(&g->b, 2), allow, i);
    else
        put_num(g, g->out, in->has_value ? in->value + width(g, in->value) : signed_magnitude(g));
    put(g->out, "\n");
}

/* What a variant may set: the inputs no parameter or price list reads (their index), then
   the inline distributions (index nin + k). */
static int settable(const gen *g, int *can)
{
    int n = 0;
    for (int i = 0; i < g->nin; i++)
        if (!g->in[i].pinned)
            can[n++] = i;
    for (int k = 0; k < g->ninlined; k++)
        can[n++] = g->nin + k;
    return n;
}

static void variant(gen *g, int v, const int *can, int n)
{
    int done[MAX_INPUTS + MAX_INLINE] = {0};
    put(g->out, "  - name: variant-%d\n", v);
    if (rare(&g->b, 20))
        put(g->out, "    description: what if, number %d\n", v);
    put(g->out, "    set:\n");
    for (int s = 0, sets = 1 + (int)pick(&g->b, 3); s < sets; s++) {
        int j = can[pick(&g->b, (unsigned)n)];
        if (done[j]) /* a key twice is a YAML error: once each */
            continue;
        done[j] = 1;
        if (j < g->nin) {
            put(g->out, "      %s: ", g->in[j].name);
            replacement(g, j);
        } else { /* an item's inline distribution, by its option/label */
            put(g->out, "      \"%s\": ", g->inlined[j - g->nin]);
            if (rare(&g->b, 50))
                (void)distribution(g, g->out, 0);
            else
                put_num(g, g->out, magnitude(g));
            put(g->out, "\n");
        }
    }
}

static void variants(gen *g)
{
    int can[MAX_INPUTS + MAX_INLINE], n = settable(g, can), count = (int)pick(&g->b, 6);
    if (!count || !n)
        return;
    put(g->out, "variants:\n");
    for (int v = 0; v < count; v++)
        variant(g, v, can, n);
}

/* ---- the vendor's side ------------------------------------------------------------------- */

static void vendor_tables(gen *g)
{
    static const char *const words[] = {"subscription", "new-licence", "support",
                                        "compliance",   "services",    "nothing-booked"};
    int n = 1 + (int)pick(&g->b, 3);
    put(g->out, "  tables:\n");
    for (int k = 0; k < n; k++) {
        put(g->out, "    - name: table %d\n      counts: ", k);
        if (rare(&g->b, 30)) {
            put(g->out, "all\n");
            continue;
        }
        put(g->out, "[%s", words[pick(&g->b, 6)]);
        if (rare(&g->b, 50))
            put(g->out, ", %s", words[pick(&g->b, 5)]);
        put(g->out, "]\n");
    }
}

static void vendor(gen *g)
{
    if (!g->vendor)
        return;
    int name = rare(&g->b, 50), rate = rare(&g->b, 30), tables = rare(&g->b, 60);
    int walk_ = rare(&g->b, 70);
    put(g->out, "vendor:\n");
    if (name || !(rate || tables || walk_)) /* an empty vendor would be no mapping */
        put(g->out, "  name: The Vendor\n");
    if (rate)
        put(g->out, "  discount_rate: 10%%\n");
    if (tables)
        vendor_tables(g);
    if (!walk_)
        return;
    /* the vendor's walk: items indented as an option's, under walk: */
    put(g->out, "  walk:\n");
    items(g, VENDOR_WALK, "vendor", "revenue", "r", 1);
    items(g, VENDOR_WALK, "vendor", "costs", "c", 0);
}

/* ---- the studies ------------------------------------------------------------------------- */

/* A sweep and a solve over one input (a constant) or one parameter of a sampled one. */
static void studies(gen *g)
{
    static const char *const targets[] = {NULL, "c", "1-c", "0.5", "mean", "90%"};
    int can[MAX_INPUTS], n = 0;
    for (int i = 0; i < g->nin; i++)
        if (g->in[i].has_value || g->in[i].param)
            can[n++] = i;
    if (!n)
        return;
    const input *in = &g->in[can[pick(&g->b, (unsigned)n)]];
    char name[32];
    double v = in->has_value ? in->value : in->param_value;
    snprintf(name, sizeof name, in->has_value ? "%s" : "%s.%s", in->name, in->param);
    double lo = v - width(g, v), hi = v + width(g, v);
    text vary = {g->vary, 0, sizeof g->vary}, solve = {g->solve, 0, sizeof g->solve};
    int list = rare(&g->b, 30); /* NAME=V1,V2 rather than NAME=FROM:TO:STEPS */
    put(&vary, "%s=", name);
    put_num(g, &vary, lo);
    put(&vary, list ? "," : ":");
    put_num(g, &vary, hi);
    if (!list)
        put(&vary, ":%u", 2 + pick(&g->b, 3));
    put(&solve, "%s=", name);
    put_num(g, &solve, lo);
    put(&solve, ":");
    put_num(g, &solve, hi);
    snprintf(g->offer, sizeof g->offer, "offer-%u", pick(&g->b, (unsigned)g->noffers));
    g->target = targets[pick(&g->b, 6)];
    if (vary.len >= vary.cap || solve.len >= solve.cap)
        g->vary[0] = g->solve[0] = '\0';
    if (rare(&g->b, 80)) /* a solve is some 40 runs: one time in 5 */
        g->solve[0] = '\0';
}

/* ---- the scenario -------------------------------------------------------------------------- */

/* Writes the scenario the bytes choose into t; 0 when it did not fit. */
static int generate(gen *g, const uint8_t *data, size_t size, text *t)
{
    memset(g, 0, sizeof *g);
    g->b = (bytes){data, size, 0};
    g->out = t;
    header(g);
    g->vendor = rare(&g->b, 25);
    simulation(g);
    inputs(g);
    currencies(g);
    correlations(g);
    options(g);
    walk(g);
    variants(g);
    vendor(g);
    studies(g);
    return t->len < t->cap;
}

/* ---- the harness ------------------------------------------------------------------------- */

static wa_run_options run_options(uint64_t trials, int insight)
{
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = trials;
    o.threads = 1;
    o.no_insight = !insight;
    return o;
}

static void render(const wa_result *r)
{
    static char buf[1 << 16];
    for (int f = 0; f <= WA_FORMAT_HTML; f++)
        (void)wa_report_buffer((wa_format)f, &r, 1, buf, sizeof buf, NULL);
}

static int same_bits(const void *a, const void *b, size_t n) { return !memcmp(a, b, n); }

/* Whether two results of one run have the same figures, to the bit. */
static int same(const wa_result *a, const wa_result *b)
{
    const wa_summary *x = wa_result_summary(a), *y = wa_result_summary(b);
    if (x->noffers != y->noffers || x->nalternatives != y->nalternatives || x->walk != y->walk ||
        !same_bits(&x->walk_cost, &y->walk_cost, sizeof x->walk_cost))
        return 0;
    for (size_t k = 0; k < x->noffers; k++) {
        const wa_offer_summary *o = wa_result_offer(a, k), *p = wa_result_offer(b, k);
        if (!same_bits(&o->cost, &p->cost, sizeof o->cost) ||
            !same_bits(&o->advantage, &p->advantage, sizeof o->advantage) ||
            !same_bits(&o->p_walk_beats, &p->p_walk_beats, sizeof o->p_walk_beats) ||
            !same_bits(&o->concession_needed, &p->concession_needed, sizeof(double)))
            return 0;
    }
    for (size_t i = 0; i < x->nalternatives; i++) {
        const wa_alternative_summary *o = wa_result_alternative(a, i),
                                     *p = wa_result_alternative(b, i);
        if (!same_bits(&o->cost, &p->cost, sizeof o->cost) ||
            !same_bits(&o->p_cheapest, &p->p_cheapest, sizeof o->p_cheapest))
            return 0;
    }
    return 1;
}

/* wa_runs promises wa_run's result to the bit: a difference is a finding like a crash. */
static void agree(wa_status sa, const wa_result *a, wa_status sb, const wa_result *b, long v)
{
    if (sa == sb && (sa != WA_OK || same(a, b)))
        return;
    fprintf(stderr, "fuzz_gen: variant %ld: wa_runs_run gave status %d, wa_run %d%s\n", v,
            (int)sa, (int)sb, sa == sb ? ", with different figures" : "");
    abort();
}

/* The base and every variant (up to 8), as `walkaway run` does, through wa_runs; each
   variant also through wa_run, without the insight (which the comparison leaves out) to
   save time. */
static void runs(const wa_scenario *sc, wa_diagnostics *d)
{
    wa_run_options o = run_options(256, 1), plain = run_options(256, 0);
    wa_runs *rs = NULL;
    wa_result *r = NULL;
    if (wa_runs_new(sc, &o, &rs, &r, d) == WA_OK)
        render(r);
    wa_result_free(r);
    long nv = (long)wa_scenario_variant_count(sc);
    for (long v = 0; v < nv && v < 8; v++) {
        o.variant = plain.variant = v;
        wa_result *a = NULL, *b = NULL;
        wa_status sa = rs ? wa_runs_run(rs, &o, &a, d) : wa_run(sc, &o, &a, d);
        if (rs) {
            wa_status sb = wa_run(sc, &plain, &b, d);
            agree(sa, a, sb, b, v);
        }
        if (a)
            render(a);
        wa_result_free(a);
        wa_result_free(b);
    }
    wa_runs_free(rs);
}

static void sweep(const wa_scenario *sc, const char *vary, wa_diagnostics *d)
{
    wa_run_options o = run_options(64, 0);
    const char *const grid[1] = {vary};
    wa_sweep *sw = NULL;
    if (wa_sweep_run(sc, &o, grid, 1, &sw, d) == WA_OK) {
        static char buf[1 << 16];
        const wa_sweep *const one[1] = {sw};
        for (int f = 0; f < 4; f++)
            (void)wa_report_sweep_buffer((wa_format)f, one, 1, buf, sizeof buf, NULL);
    }
    wa_sweep_free(sw);
}

static void solve(const wa_scenario *sc, const gen *g, wa_diagnostics *d)
{
    wa_run_options o = run_options(32, 0);
    wa_solve *so = NULL;
    if (wa_solve_run(sc, &o, g->solve, g->offer, g->target, &so, d) == WA_OK) {
        static char buf[1 << 16];
        const wa_solve *const one[1] = {so};
        for (int f = 0; f < 4; f++)
            (void)wa_report_solve_buffer((wa_format)f, one, 1, buf, sizeof buf, NULL);
    }
    wa_solve_free(so);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char s[1 << 16];
    static gen g;
    text t = {s, 0, sizeof s};
    if (!generate(&g, data, size, &t))
        return 0;
    if (getenv("FUZZ_GEN_PRINT"))
        fprintf(stderr, "%s# sweep: %s\n# solve: %s for %s, target %s\n", s, g.vary, g.solve,
                g.offer, g.target ? g.target : "(default)");
    wa_diagnostics *d = wa_diagnostics_new();
    wa_scenario *sc = NULL;
    if (d && wa_scenario_load_buffer(s, t.len, "gen.yaml", &sc, d) == WA_OK) {
        runs(sc, d);
        if (g.vary[0])
            sweep(sc, g.vary, d);
        if (g.solve[0])
            solve(sc, &g, d);
    }
    wa_scenario_free(sc);
    wa_diagnostics_free(d);
    return 0;
}
