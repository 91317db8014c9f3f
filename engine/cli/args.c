/*
 * args.c — the command line: the help text, the option table, option values checked and
 * converted, and the parser (GNU style: options anywhere, "--name value", "--name=value",
 * "-n value", "-nvalue"; "--" ends them; no abbreviations, a near miss gets a
 * suggestion).
 */
#include "cli/args.h"

#include <errno.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"

#define MAX_TRIALS UINT64_C(10000000000) /* SPEC 1: simulation.trials is 1 .. 10^10 */
#define MAX_THREADS 4096

static const char usage_hint[] = "Try 'walkaway --help'.\n";

static const char help_usage[] =
    "Usage: walkaway run [options] SCENARIO...\n"
    "       walkaway check [--quiet] SCENARIO...\n"
    "       walkaway sweep [options] SCENARIO... --vary NAME=FROM:TO:STEPS [--vary ...]\n"
    "       walkaway solve [options] SCENARIO... --vary NAME=FROM:TO --offer OFFER\n"
    "                      [--target c|1-c|LEVEL|mean]\n"
    "       walkaway --help | --version\n"
    "\n"
    "For every vendor offer in a negotiation scenario (YAML), estimate by simulation\n"
    "how likely the buyer's walk-away position is to be cheaper, by how much, what\n"
    "concession would change that, and the price above which to walk away.\n"
    "\n"
    "Commands:\n"
    "  run      simulate each scenario (the base, then each variant) and report\n"
    "  check    validate each scenario and print every problem found\n"
    "  sweep    run a grid of what-ifs on the same random numbers and tabulate how\n"
    "           each offer's answer moves\n"
    "  solve    find the value of NAME at which an offer's decision flips\n"
    "\n"
    "";

/* The rest of --help: a second literal, as C limits one to 4,095 characters. */
static const char help_options[] =
    "Options for run, sweep and solve (defaults come from the scenario's\n"
    "'simulation' section):\n"
    "  -n, --trials N        number of trials, 1 to 10^10; k, M and B suffixes and _\n"
    "                        separators are accepted (200k, 1_000_000)\n"
    "      --seed S          random seed, a whole number from 0 to 2^64-1\n"
    "  -j, --threads N       worker threads, 0 for all cores (default 0); results\n"
    "                        do not depend on it\n"
    "      --method M        monte-carlo, latin-hypercube or sobol\n"
    "      --confidence C    level for the ceilings and the concession needed,\n"
    "                        strictly between 0 and 1 (0.8 or 80%)\n"
    "      --format F        text (default), markdown, json or csv\n"
    "  -o, --output FILE     write the report to FILE instead of stdout; FILE is\n"
    "                        replaced atomically, and only if every run succeeded\n"
    "      --keep-going      with -o: write the results of the files that succeeded\n"
    "                        even when others failed (the exit status still says so)\n"
    "      --report FILE.html\n"
    "                        also write one self-contained HTML page with the\n"
    "                        answer, the tables and the charts of every file and\n"
    "                        variant (run), sweep or solve; replaced atomically,\n"
    "                        like -o\n"
    "      --charts DIR      also write each chart as an SVG file of its own in DIR\n"
    "                        (made if missing), SCENARIO-VARIANT-OFFER-CHART.svg\n"
    "      --no-insight      run: skip sensitivity, value of information, ranking,\n"
    "                        dominance and percentiles (faster on very large runs)\n"
    "      --memory SIZE     the most a run keeps per trial (512M, 8G, 1.5GiB; K, M,\n"
    "                        G and T are powers of 1024); default half the physical\n"
    "                        memory; beyond it the trials are simulated again for\n"
    "                        each pass of the summary: the same results, slower\n"
    "      --set NAME=VALUE  an ad-hoc variant: the base scenario with input NAME\n"
    "                        replaced (repeatable, all in one variant), run after\n"
    "                        the others on the same random numbers; VALUE is in\n"
    "                        scenario syntax: --set uplift=3% or\n"
    "                        --set 'migration={dist: lognormal, p10: 900k, p90: 3M}'\n"
    "      --variant NAME    run only this variant (repeatable, in the order given;\n"
    "                        'base' is the base scenario and 'set' the --set variant\n"
    "                        unless the file declares a variant so named); default:\n"
    "                        the base, every variant in file order, then the --set\n"
    "                        variant; sweep and solve take one, their starting\n"
    "                        point\n"
    "\n"
    "Options for sweep:\n"
    "      --vary NAME=FROM:TO:STEPS\n"
    "      --vary NAME=V1,V2,...\n"
    "                        the values of NAME to sweep: STEPS evenly spaced from\n"
    "                        FROM to TO, or a list; NAME is an input (uplift) or a\n"
    "                        parameter its distribution writes (migration.p90);\n"
    "                        values in scenario syntax (0:40%:9); two --vary make a\n"
    "                        grid, the first down, the second across\n"
    "\n"
    "Options for solve:\n"
    "      --vary NAME=FROM:TO\n"
    "                        the range to search for the value of NAME at which\n"
    "                        the decision flips\n"
    "      --offer OFFER     the offer whose decision it is\n"
    "      --target T        c (default: walking beats the offer with confidence\n"
    "                        c), 1-c (the offer beats walking with confidence c),\n"
    "                        a level (0.5, 90%: P(walk beats) crosses it) or mean\n"
    "                        (the mean advantage of walking crosses 0)\n"
    "\n";

/* And the end of --help, for the same reason. */
static const char help_tail[] =
    "Options for every command:\n"
    "  -q, --quiet           no progress bar and no warnings on stderr; check prints\n"
    "                        nothing for a valid file (otherwise 'FILE: ok')\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Problems go to stderr as 'file:line:column: error: message', with the source\n"
    "line and a caret; every problem in a file is reported. A progress bar is shown\n"
    "on stderr when it is a terminal and a run takes more than a second.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  a scenario is invalid or a run failed\n"
    "  2  usage error\n"
    "  3  a file could not be read or written\n"
    "With several scenario files, each is processed and the status is the worst.\n"
    "\n"
    "Examples:\n"
    "  walkaway check scenarios/*.yaml\n"
    "  walkaway run -n 200k --seed 42 scenarios/ibm-audit.yaml\n"
    "  walkaway sweep --vary ss_uplift=0:10%:5 scenarios/ibm-audit.yaml\n"
    "  walkaway solve --vary settlement_discount.max=0:90% --offer buy-9000-pvu \\\n"
    "                 scenarios/ibm-audit.yaml\n"
    "  walkaway run --format json -o results.json --variant base \\\n"
    "               --variant clean-ilmt-evidence scenarios/ibm-audit.yaml\n";

void cli_print_help(FILE *f)
{
    fputs(help_usage, f);
    fputs(help_options, f);
    fputs(help_tail, f);
}

/* ---- options -------------------------------------------------------------------------- */
typedef enum opt_id {
    OPT_TRIALS, OPT_SEED, OPT_THREADS, OPT_METHOD, OPT_CONFIDENCE, OPT_FORMAT, OPT_OUTPUT,
    OPT_SET, OPT_VARIANT, OPT_VARY, OPT_OFFER, OPT_TARGET, OPT_REPORT, OPT_KEEP_GOING, OPT_QUIET, OPT_HELP,
    OPT_NO_INSIGHT, OPT_MEMORY, OPT_CHARTS,
    OPT_VERSION
} opt_id;

typedef struct optdef {
    const char *name;  /* long name without the dashes */
    char short_name;   /* 0 when none */
    int takes_value;
    opt_id id;
    unsigned commands; /* CMD_* it applies to */
} optdef;

static const optdef optdefs[] = {
    {"trials", 'n', 1, OPT_TRIALS, CMD_RUN | CMD_STUDY},
    {"seed", 0, 1, OPT_SEED, CMD_RUN | CMD_STUDY},
    {"threads", 'j', 1, OPT_THREADS, CMD_RUN | CMD_STUDY},
    {"method", 0, 1, OPT_METHOD, CMD_RUN | CMD_STUDY},
    {"confidence", 0, 1, OPT_CONFIDENCE, CMD_RUN | CMD_STUDY},
    {"format", 0, 1, OPT_FORMAT, CMD_RUN | CMD_STUDY},
    {"output", 'o', 1, OPT_OUTPUT, CMD_RUN | CMD_STUDY},
    {"set", 0, 1, OPT_SET, CMD_RUN | CMD_STUDY},
    {"variant", 0, 1, OPT_VARIANT, CMD_RUN | CMD_STUDY},
    {"vary", 0, 1, OPT_VARY, CMD_STUDY},
    {"offer", 0, 1, OPT_OFFER, CMD_SOLVE},
    {"target", 0, 1, OPT_TARGET, CMD_SOLVE},
    {"report", 0, 1, OPT_REPORT, CMD_RUN | CMD_STUDY},
    {"charts", 0, 1, OPT_CHARTS, CMD_RUN | CMD_STUDY},
    {"keep-going", 0, 0, OPT_KEEP_GOING, CMD_RUN | CMD_STUDY},
    {"no-insight", 0, 0, OPT_NO_INSIGHT, CMD_RUN},
    {"memory", 0, 1, OPT_MEMORY, CMD_RUN | CMD_STUDY},
    {"quiet", 'q', 0, OPT_QUIET, CMD_ALL},
    {"help", 'h', 0, OPT_HELP, CMD_ALL},
    {"version", 'V', 0, OPT_VERSION, CMD_ALL},
};
#define NOPTDEFS (sizeof optdefs / sizeof optdefs[0])

void cli_free(cli *c)
{
    free(c->sets);
    free(c->variants);
    free(c->varies);
    free(c->files);
}

/* Prints "walkaway: <problem>" and the hint to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("walkaway: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fputs(usage_hint, stderr);
    va_end(ap);
    return EXIT_USAGE;
}

static int push(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof **v);
    if (!nv)
        return -1;
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

/* ---- did you mean --------------------------------------------------------------------- */

/* The candidate nearest to word (the engine's "did you mean", suggest.h); NULL if none is
   close enough. */
const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
    return wa_suggest(word, strlen(word), cands, n);
}

/* Suggests a long option ("--trials") for a misspelt one given with its dashes. */
static const char *suggest_option(const char *word, size_t len)
{
    static const char *const longs[] = {
        "--trials", "--seed", "--threads", "--method", "--confidence", "--format",
        "--output", "--set", "--variant", "--vary", "--offer", "--target", "--report", "--charts",
        "--quiet", "--help", "--version", "--keep-going", "--no-insight", "--memory"};
    char buf[64];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, word, len);
    buf[len] = '\0';
    /* "-trials": the user meant the long option and typed one dash */
    if (buf[0] == '-' && buf[1] != '-' && len + 1 < sizeof buf) {
        memmove(buf + 1, buf, len + 1);
        buf[0] = '-';
    }
    return cli_suggest(buf, longs, sizeof longs / sizeof longs[0]);
}

/* ---- option values -------------------------------------------------------------------- */

/* A whole number: digits only, no sign, no spaces, at most max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) /* v * 10 + d would wrap */
            return -1;
        v = v * 10 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* A trial count: digits with optional '_' between them and one k/M/B suffix, as scenario
   literals allow ("200k", "1_000_000"). */
static int parse_trials(const char *s, uint64_t *out)
{
    char digits[32];
    size_t n = 0, len = strlen(s);
    uint64_t mult = 1;
    if (len > 0) {
        char last = s[len - 1];
        mult = last == 'k' ? UINT64_C(1000) : last == 'M' ? UINT64_C(1000000)
             : last == 'B' ? UINT64_C(1000000000) : 1;
        if (mult > 1)
            len--;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') {
            /* only between two digits */
            if (i == 0 || i + 1 >= len || s[i - 1] < '0' || s[i - 1] > '9' || s[i + 1] < '0' ||
                s[i + 1] > '9')
                return -1;
            continue;
        }
        if (n + 1 >= sizeof digits)
            return -1;
        digits[n++] = s[i];
    }
    digits[n] = '\0';
    uint64_t v;
    if (parse_u64(digits, MAX_TRIALS, &v) != 0 || v > MAX_TRIALS / mult)
        return -1;
    v *= mult;
    if (v < 1)
        return -1;
    *out = v;
    return 0;
}

/* The plain decimal number s starts with, and where it ends; -1 when none. strtod would
   also take leading spaces, a sign, hex, "inf" and "nan": none is meant here. */
static int leading_number(const char *s, double *v, char **end)
{
    if (!((*s >= '0' && *s <= '9') || *s == '.'))
        return -1;
    errno = 0;
    *v = strtod(s, end);
    return *end == s || errno != 0 ? -1 : 0;
}

/* A size in bytes: a positive number with an optional unit K, M, G or T (powers of
   1024), optionally followed by "i" and "B" ("512M", "8GiB", "1.5G", "4000000000"). */
static int parse_size(const char *s, double *out)
{
    char *end;
    double v;
    if (leading_number(s, &v, &end))
        return -1;
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
    if (u && *end) {
        v *= pow(1024, (double)(u - units + 1));
        end++;
        if (*end == 'i')
            end++;
    }
    if (*end == 'B' || (*end == 'b' && u))
        end++;
    if (*end || !isfinite(v) || !(v >= 1))
        return -1;
    *out = v;
    return 0;
}

/* A level strictly between 0 and 1, as a fraction ("0.8") or a percentage ("80%"). */
static int parse_confidence(const char *s, double *out)
{
    char *end;
    double v;
    if (leading_number(s, &v, &end))
        return -1;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end || !isfinite(v) || !(v > 0 && v < 1))
        return -1;
    *out = v;
    return 0;
}

/* NAME=VALUE with NAME an identifier ([A-Za-z_][A-Za-z0-9_]*) and VALUE not empty. */
static int valid_set(const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s || !eq[1])
        return 0;
    const char *slash = memchr(s, '/', (size_t)(eq - s));
    if (slash) /* an item's inline distribution: option/label */
        return slash > s && slash + 1 < eq;
    for (const char *p = s; p < eq; p++) {
        int alpha = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_';
        int digit = *p >= '0' && *p <= '9';
        if (!alpha && !(digit && p > s))
            return 0;
    }
    return 1;
}

/* Applies one option's value; spelled is the option as the user typed it (for messages).
   Returns 0 or the exit status of the usage error already printed. */
static int apply_value(cli *c, const optdef *d, const char *spelled, int spelled_len,
                       const char *v)
{
    uint64_t u;
    switch (d->id) {
    case OPT_TRIALS:
        if (parse_trials(v, &u) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a whole number of "
                               "trials from 1 to 10^10",
                               v, spelled_len, spelled);
        c->run.trials = u;
        return 0;
    case OPT_SEED:
        if (parse_u64(v, UINT64_MAX, &u) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a whole number from 0 "
                               "to 18446744073709551615",
                               v, spelled_len, spelled);
        c->run.has_seed = 1;
        c->run.seed = u;
        return 0;
    case OPT_THREADS:
        if (parse_u64(v, MAX_THREADS, &u) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a whole number from 0 "
                               "(all cores) to %d",
                               v, spelled_len, spelled, MAX_THREADS);
        c->run.threads = (int)u;
        return 0;
    case OPT_METHOD: {
        wa_method m = wa_method_parse(v);
        if (m == WA_METHOD_DEFAULT)
            return usage_error("invalid value '%s' for %.*s: expected monte-carlo, "
                               "latin-hypercube or sobol",
                               v, spelled_len, spelled);
        c->run.method = m;
        return 0;
    }
    case OPT_MEMORY:
        if (parse_size(v, &c->run.memory) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a size such as 512M, "
                               "8G or 1.5GiB",
                               v, spelled_len, spelled);
        return 0;
    case OPT_CONFIDENCE:
        if (parse_confidence(v, &c->run.confidence) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a number strictly "
                               "between 0 and 1",
                               v, spelled_len, spelled);
        return 0;
    case OPT_FORMAT:
        /* the library's HTML page has an option of its own, written beside the report */
        if (strcmp(v, "html") == 0)
            return usage_error("invalid value 'html' for %.*s: the HTML page is written with "
                               "--report FILE.html",
                               spelled_len, spelled);
        if (wa_format_parse(v, &c->format) != WA_OK)
            return usage_error("invalid value '%s' for %.*s: expected text, markdown, json or csv", v,
                               spelled_len, spelled);
        return 0;
    case OPT_OUTPUT:
        if (!v[0])
            return usage_error("invalid value '' for %.*s: expected a file name", spelled_len,
                               spelled);
        c->output = v;
        return 0;
    case OPT_REPORT:
    case OPT_CHARTS:
        if (!v[0])
            return usage_error("invalid value '' for %.*s: expected %s", spelled_len, spelled,
                               d->id == OPT_REPORT ? "a file name" : "a folder");
        *(d->id == OPT_REPORT ? &c->report : &c->charts) = v;
        return 0;
    case OPT_SET:
        if (!valid_set(v))
            return usage_error("invalid value '%s' for %.*s: expected NAME=VALUE", v,
                               spelled_len, spelled);
        if (push(&c->sets, &c->nsets, v) != 0)
            return usage_error("out of memory");
        return 0;
    case OPT_VARY:
        if (!strchr(v, '=') || v[0] == '=')
            return usage_error("invalid value '%s' for %.*s: expected NAME=FROM:TO:STEPS or "
                               "NAME=V1,V2,...",
                               v, spelled_len, spelled);
        if (push(&c->varies, &c->nvaries, v) != 0)
            return usage_error("out of memory");
        return 0;
    case OPT_OFFER:
    case OPT_TARGET:
        if (!v[0])
            return usage_error("invalid value '' for %.*s: expected %s", spelled_len, spelled,
                               d->id == OPT_OFFER ? "an offer's name" : "c, 1-c, mean or a level");
        if ((d->id == OPT_OFFER ? c->offer : c->target) != NULL)
            return usage_error("option '%.*s' is given twice", spelled_len, spelled);
        *(d->id == OPT_OFFER ? &c->offer : &c->target) = v;
        return 0;
    case OPT_VARIANT:
        if (!v[0])
            return usage_error("invalid value '' for %.*s: expected a variant name",
                               spelled_len, spelled);
        if (push(&c->variants, &c->nvariants, v) != 0)
            return usage_error("out of memory");
        return 0;
    default:
        return 0;
    }
}

/* What parsing decided: carry on, or exit now with a status (help, version, error). */static parse_result stop_with(int status)
{
    parse_result r = {1, status};
    return r;
}

static parse_result flag(cli *c, const optdef *d)
{
    switch (d->id) {
    case OPT_QUIET:
        c->quiet = 1;
        break;
    case OPT_KEEP_GOING:
        c->keep_going = 1;
        break;
    case OPT_NO_INSIGHT:
        c->run.no_insight = 1;
        break;
    case OPT_HELP:
        cli_print_help(stdout);
        return stop_with(EXIT_OK);
    case OPT_VERSION:
        puts("walkaway " WA_VERSION);
        return stop_with(EXIT_OK);
    default:
        break;
    }
    parse_result r = {0, 0};
    return r;
}

/*
 * Parses argv[first..argc) for command c->command: options anywhere (GNU style), "--"
 * ends them. Long options as "--name value" or "--name=value", short ones as "-n value"
 * or "-nvalue". Options are not abbreviated: a near miss gets a suggestion instead.
 */
static parse_result parse_args(cli *c, int argc, char **argv, int first)
{
    parse_result ok = {0, 0};
    int only_files = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || a[1] == '\0') {
            if (push(&c->files, &c->nfiles, a) != 0)
                return stop_with(usage_error("out of memory"));
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
            continue;
        }

        const optdef *d = NULL;
        const char *value = NULL; /* attached value ("--x=v", "-nv"), if any */
        int spelled_len;
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            spelled_len = eq ? (int)(eq - a) : (int)strlen(a);
            for (size_t k = 0; k < NOPTDEFS; k++)
                if ((size_t)spelled_len - 2 == strlen(optdefs[k].name) &&
                    strncmp(a + 2, optdefs[k].name, (size_t)spelled_len - 2) == 0)
                    d = &optdefs[k];
            if (eq)
                value = eq + 1;
        } else {
            spelled_len = 2;
            for (size_t k = 0; k < NOPTDEFS; k++)
                if (optdefs[k].short_name == a[1])
                    d = &optdefs[k];
            /* "-q" style flags take nothing attached: "-quiet" is a misspelt long option */
            if (d && a[2]) {
                if (d->takes_value)
                    value = a + 2;
                else
                    d = NULL;
            }
            if (!d)
                spelled_len = (int)strlen(a);
        }
        if (!d) {
            const char *s = suggest_option(a, (size_t)spelled_len);
            if (s)
                return stop_with(usage_error("unknown option '%.*s' (did you mean '%s'?)",
                                             spelled_len, a, s));
            return stop_with(usage_error("unknown option '%.*s'", spelled_len, a));
        }
        if (!(d->commands & (unsigned)c->command))
            return stop_with(usage_error("option '%.*s' does not apply to '%s'", spelled_len,
                                         a, c->command_name));
        if (!d->takes_value) {
            if (value)
                return stop_with(usage_error("option '%.*s' does not take a value",
                                             spelled_len, a));
            parse_result r = flag(c, d);
            if (r.stop)
                return r;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return stop_with(usage_error("option '%.*s' needs a value", spelled_len, a));
            value = argv[++i];
        }
        int st = apply_value(c, d, a, spelled_len, value);
        if (st)
            return stop_with(st);
    }
    if (c->nfiles == 0)
        return stop_with(usage_error("no scenario file given"));
    if (c->command == CMD_SWEEP && c->nvaries == 0)
        return stop_with(usage_error("sweep needs --vary NAME=FROM:TO:STEPS (or NAME=V1,V2,...)"));
    if (c->command == CMD_SWEEP && c->nvariants > 1)
        return stop_with(usage_error("sweep takes one --variant: the grid is built on it"));
    if (c->command == CMD_SOLVE && c->nvaries != 1)
        return stop_with(usage_error(c->nvaries ? "solve takes one --vary NAME=FROM:TO"
                                                : "solve needs --vary NAME=FROM:TO"));
    if (c->command == CMD_SOLVE && !c->offer)
        return stop_with(usage_error("solve needs --offer OFFER: the offer whose decision flips"));
    if (c->command == CMD_SOLVE && c->nvariants > 1)
        return stop_with(usage_error("solve takes one --variant: the runs are built on it"));
    return ok;
}

parse_result cli_parse(cli *c, int argc, char **argv)
{
    static const char *const commands[] = {"run", "check", "sweep", "solve", "help"};
    memset(c, 0, sizeof *c);
    wa_run_options_init(&c->run, sizeof c->run);
    c->format = WA_FORMAT_TEXT;

    if (argc < 2)
        return stop_with(usage_error("no command given"));
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        cli_print_help(stdout);
        return stop_with(EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("walkaway " WA_VERSION);
        return stop_with(EXIT_OK);
    }
    if (cmd[0] == '-')
        return stop_with(usage_error("expected a command (run, check, sweep or solve) before '%s'", cmd));

    if (strcmp(cmd, "run") == 0) {
        c->command = CMD_RUN;
    } else if (strcmp(cmd, "check") == 0) {
        c->command = CMD_CHECK;
    } else if (strcmp(cmd, "sweep") == 0) {
        c->command = CMD_SWEEP;
    } else if (strcmp(cmd, "solve") == 0) {
        c->command = CMD_SOLVE;
    } else {
        const char *s = cli_suggest(cmd, commands, sizeof commands / sizeof commands[0]);
        if (s)
            return stop_with(usage_error("unknown command '%s' (did you mean '%s'?)", cmd, s));
        return stop_with(usage_error("unknown command '%s'", cmd));
    }
    c->command_name = cmd;

    parse_result pr = parse_args(c, argc, argv, 2);
    c->run.sets = c->sets;
    c->run.nsets = c->nsets;
    return pr;
}
