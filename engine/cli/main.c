/*
 * main.c — the `walkaway` command line: argument parsing, the run and check commands,
 * diagnostics on stderr, the progress bar and the exit status.
 *
 * A thin layer over the public API (walkaway.h): it loads each scenario, runs the base and
 * the selected variants, prints every diagnostic the library collected, and hands the
 * summaries to a formatter (report_*.c) writing to stdout or, atomically, to -o FILE
 * (output.c). It knows nothing of the engine's internals.
 *
 * Exit status: 0 success; 1 a scenario is invalid or a run failed; 2 usage error; 3 a
 * file could not be read or written. With several scenario files every file is processed
 * and the status is the worst of them.
 *
 * SIGPIPE is ignored: `walkaway run x.yaml | head` then sees EPIPE when head exits, stops
 * writing and exits quietly with the status the runs earned (not 141, which would fail
 * scripts running with `set -o pipefail`). Any other write error on stdout is an I/O
 * error (exit 3) with a message. Ignoring the signal also guarantees that a temporary
 * -o file is always cleaned up by the code path that owns it.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/suggest.h"
#include "walkaway.h"

#include "cli/output.h"
#include "report/report.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

#define MAX_TRIALS UINT64_C(10000000000) /* SPEC 1: simulation.trials is 1 .. 10^10 */
#define MAX_THREADS 4096

static const char usage_hint[] = "Try 'walkaway --help'.\n";

static const char help_text[] =
    "Usage: walkaway run [options] SCENARIO...\n"
    "       walkaway check [--quiet] SCENARIO...\n"
    "       walkaway --help | --version\n"
    "\n"
    "For every vendor offer in a negotiation scenario (YAML), estimate by simulation\n"
    "how likely the buyer's walk-away position is to be cheaper, by how much, what\n"
    "concession would change that, and the price above which to walk away.\n"
    "\n"
    "Commands:\n"
    "  run      simulate each scenario (the base, then each variant) and report\n"
    "  check    validate each scenario and print every problem found\n"
    "\n"
    "Options for run (defaults come from the scenario's 'simulation' section):\n"
    "  -n, --trials N        number of trials, 1 to 10^10; k, M and B suffixes and _\n"
    "                        separators are accepted (200k, 1_000_000)\n"
    "      --seed S          random seed, a whole number from 0 to 2^64-1\n"
    "  -j, --threads N       worker threads, 0 for all cores (default 0); results\n"
    "                        do not depend on it\n"
    "      --method M        monte-carlo, latin-hypercube or sobol\n"
    "      --confidence C    level for the ceilings and the concession needed,\n"
    "                        strictly between 0 and 1 (0.8 or 80%)\n"
    "      --format F        text (default), json or csv\n"
    "  -o, --output FILE     write the report to FILE instead of stdout; FILE is\n"
    "                        replaced atomically, and only if every run succeeded\n"
    "      --set NAME=VALUE  an ad-hoc variant: the base scenario with input NAME\n"
    "                        replaced (repeatable, all in one variant), run after\n"
    "                        the others on the same random numbers; VALUE is in\n"
    "                        scenario syntax: --set uplift=3% or\n"
    "                        --set 'migration={dist: lognormal, p10: 900k, p90: 3M}'\n"
    "      --variant NAME    run only this variant (repeatable, in the order given;\n"
    "                        'base' is the base scenario and 'set' the --set variant\n"
    "                        unless the file declares a variant so named); default:\n"
    "                        the base, every variant in file order, then the --set\n"
    "                        variant\n"
    "\n"
    "Options for run and check:\n"
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
    "  walkaway run --format json -o results.json --variant base \\\n"
    "               --variant clean-ilmt-evidence scenarios/ibm-audit.yaml\n";

/* ---- options -------------------------------------------------------------------------- */

enum { CMD_RUN = 1, CMD_CHECK = 2 };

typedef enum opt_id {
    OPT_TRIALS, OPT_SEED, OPT_THREADS, OPT_METHOD, OPT_CONFIDENCE, OPT_FORMAT, OPT_OUTPUT,
    OPT_SET, OPT_VARIANT, OPT_REPORT, OPT_QUIET, OPT_HELP, OPT_VERSION
} opt_id;

typedef struct optdef {
    const char *name;  /* long name without the dashes */
    char short_name;   /* 0 when none */
    int takes_value;
    opt_id id;
    unsigned commands; /* CMD_* it applies to */
} optdef;

static const optdef optdefs[] = {
    {"trials", 'n', 1, OPT_TRIALS, CMD_RUN},
    {"seed", 0, 1, OPT_SEED, CMD_RUN},
    {"threads", 'j', 1, OPT_THREADS, CMD_RUN},
    {"method", 0, 1, OPT_METHOD, CMD_RUN},
    {"confidence", 0, 1, OPT_CONFIDENCE, CMD_RUN},
    {"format", 0, 1, OPT_FORMAT, CMD_RUN},
    {"output", 'o', 1, OPT_OUTPUT, CMD_RUN},
    {"set", 0, 1, OPT_SET, CMD_RUN},
    {"variant", 0, 1, OPT_VARIANT, CMD_RUN},
    {"report", 0, 1, OPT_REPORT, CMD_RUN},
    {"quiet", 'q', 0, OPT_QUIET, CMD_RUN | CMD_CHECK},
    {"help", 'h', 0, OPT_HELP, CMD_RUN | CMD_CHECK},
    {"version", 'V', 0, OPT_VERSION, CMD_RUN | CMD_CHECK},
};
#define NOPTDEFS (sizeof optdefs / sizeof optdefs[0])

typedef struct cli {
    int command;          /* CMD_RUN or CMD_CHECK */
    const char *command_name;
    wa_run_options run;   /* trials, seed, method, confidence, threads; sets filled later */
    cli_format format;
    const char *output;   /* -o FILE, or NULL for stdout */
    const char **sets;    /* borrowed from argv */
    size_t nsets;
    const char **variants;
    size_t nvariants;
    const char **files;
    size_t nfiles;
    int quiet;
} cli;

static void cli_free(cli *c)
{
    free(c->sets);
    free(c->variants);
    free(c->files);
}

/* Prints "walkaway: <problem>" and the hint to stderr; returns EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
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
static const char *suggest(const char *word, const char *const *cands, size_t n)
{
    return wa_suggest(word, strlen(word), cands, n);
}

/* Suggests a long option ("--trials") for a misspelt one given with its dashes. */
static const char *suggest_option(const char *word, size_t len)
{
    static const char *const longs[] = {
        "--trials", "--seed", "--threads", "--method", "--confidence", "--format",
        "--output", "--set", "--variant", "--report", "--quiet", "--help", "--version"};
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
    return suggest(buf, longs, sizeof longs / sizeof longs[0]);
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

/* A level strictly between 0 and 1, as a fraction ("0.8") or a percentage ("80%"). */
static int parse_confidence(const char *s, double *out)
{
    /* strtod would also take leading spaces, hex, "inf" and "nan": none is a level */
    if (!((*s >= '0' && *s <= '9') || *s == '.'))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno != 0)
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
    case OPT_CONFIDENCE:
        if (parse_confidence(v, &c->run.confidence) != 0)
            return usage_error("invalid value '%s' for %.*s: expected a number strictly "
                               "between 0 and 1",
                               v, spelled_len, spelled);
        return 0;
    case OPT_FORMAT:
        if (strcmp(v, "text") == 0)
            c->format = CLI_FORMAT_TEXT;
        else if (strcmp(v, "json") == 0)
            c->format = CLI_FORMAT_JSON;
        else if (strcmp(v, "csv") == 0)
            c->format = CLI_FORMAT_CSV;
        else
            return usage_error("invalid value '%s' for %.*s: expected text, json or csv", v,
                               spelled_len, spelled);
        return 0;
    case OPT_OUTPUT:
        if (!v[0])
            return usage_error("invalid value '' for %.*s: expected a file name", spelled_len,
                               spelled);
        c->output = v;
        return 0;
    case OPT_SET:
        if (!valid_set(v))
            return usage_error("invalid value '%s' for %.*s: expected NAME=VALUE", v,
                               spelled_len, spelled);
        if (push(&c->sets, &c->nsets, v) != 0)
            return usage_error("out of memory");
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

/* What parsing decided: carry on, or exit now with a status (help, version, error). */
typedef struct parse_result {
    int stop;
    int status;
} parse_result;

static parse_result stop_with(int status)
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
    case OPT_HELP:
        fputs(help_text, stdout);
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
        /* Refused before its value is even looked at: the option exists in SPEC, not
           in this build. */
        if (d->id == OPT_REPORT)
            return stop_with(usage_error("--report is not available in this version"));
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
    return ok;
}

/* ---- diagnostics ---------------------------------------------------------------------- */

/* What has been printed for the current file. Each variant's run can raise the same
   problem again (a repaired correlation matrix, a bad --set NAME): it is printed once.
   Warnings are keyed by their message, so a warning the library puts both in the
   diagnostics and in the summary's warnings shows once; everything else by its whole
   rendered text. */
typedef struct seen {
    char **v;
    size_t n;
} seen;

/* Returns 1 if key was seen before; otherwise remembers it and returns 0. */
static int seen_check_add(seen *s, const char *kind, const char *key)
{
    size_t lk = strlen(kind), lt = strlen(key);
    for (size_t i = 0; i < s->n; i++)
        if (strncmp(s->v[i], kind, lk) == 0 && strcmp(s->v[i] + lk, key) == 0)
            return 1;
    char **nv = realloc(s->v, (s->n + 1) * sizeof *nv);
    if (!nv)
        return 0; /* print it again rather than lose it */
    s->v = nv;
    char *copy = malloc(lk + lt + 1);
    if (!copy)
        return 0;
    memcpy(copy, kind, lk);
    memcpy(copy + lk, key, lt + 1);
    s->v[s->n++] = copy;
    return 0;
}

static void seen_clear(seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* e rendered by the library's formatter; malloc'ed, NULL when out of memory. */
static char *render_diagnostic(const wa_diagnostic *e)
{
    size_t need = wa_diagnostic_format(e, NULL, 0);
    char *text = malloc(need + 1);
    if (text)
        wa_diagnostic_format(e, text, need + 1);
    return text;
}

/*
 * Prints every entry of d to stderr, each once per file. Errors always; warnings unless
 * quiet; a note goes with the entry before it (it explains that entry). An entry the
 * library could not tie to a file (a run option it refused, say) is prefixed with path,
 * so that with several files the reader still knows which one it is about.
 */
static void print_diagnostics(const wa_diagnostics *d, const char *path, int quiet,
                              seen *shown)
{
    int last_shown = 1;
    for (size_t i = 0; i < wa_diagnostics_count(d); i++) {
        const wa_diagnostic *e = wa_diagnostics_get(d, i);
        char *text = render_diagnostic(e);
        int show;
        if (e->severity == WA_NOTE)
            show = last_shown;
        else if (e->severity == WA_WARNING)
            show = !quiet && !seen_check_add(shown, "W", e->message);
        else
            show = !text || !seen_check_add(shown, "E", text);
        if (show && text && (!e->file || !e->file[0]))
            fprintf(stderr, "%s: ", path);
        if (show)
            fputs(text ? text : "walkaway: out of memory\n", stderr);
        if (e->severity != WA_NOTE)
            last_shown = show;
        free(text);
    }
}

/* The exit status a library status stands for. */
static int exit_code(wa_status st)
{
    switch (st) {
    case WA_OK:
        return EXIT_OK;
    case WA_EUSAGE:
        return EXIT_USAGE;
    case WA_EIO:
        return EXIT_IO;
    default:
        return EXIT_INVALID; /* WA_EINVALID, WA_ENOMEM: the run failed */
    }
}

/* ---- progress bar --------------------------------------------------------------------- */

#define BAR_WIDTH 24
#define LINE_WIDTH 79

typedef struct progress {
    int enabled;       /* stderr is a terminal and not --quiet */
    int shown;         /* the bar is on screen and must be erased */
    double start;      /* CLOCK_MONOTONIC seconds when the run began */
    double last_draw;
    char label[128];  /* 30 code points of up to 4 bytes each */
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Byte offset of the n-th code point of s (its length when s is shorter). */
static size_t cp_offset(const char *s, size_t n)
{
    size_t i = 0, cps = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && cps++ == n)
            break;
    return i;
}

/* The bar must fit an 80-column line: "file variant" is cut to 30 code points, on a code
   point boundary, its end replaced by "..." when something was cut. */
static void set_label(progress *p, const char *file, const char *variant)
{
    char full[512];
    snprintf(full, sizeof full, "%s%s%s", file, variant ? " " : "", variant ? variant : "");
    size_t keep = cp_offset(full, 30);
    const char *dots = "";
    if (full[keep]) {
        keep = cp_offset(full, 27);
        dots = "...";
    }
    /* 27 code points are at most 108 bytes: label always has room */
    memcpy(p->label, full, keep);
    memcpy(p->label + keep, dots, strlen(dots) + 1);
}

static void progress_begin(progress *p, const char *file, const char *variant)
{
    p->shown = 0;
    p->start = now_s();
    p->last_draw = 0;
    set_label(p, file, variant);
}

/* The wa_run_options.progress callback: called on wa_run's thread, so no locking. */
static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    if (!p->enabled || total == 0)
        return;
    double t = now_s(), elapsed = t - p->start;
    /* Short runs never flash a bar; long ones redraw ten times a second at most. */
    if (elapsed < 1.0 || (p->shown && t - p->last_draw < 0.1 && done < total))
        return;
    double frac = done >= total ? 1.0 : (double)done / (double)total;
    int fill = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1], eta[32] = "";
    for (int k = 0; k < BAR_WIDTH; k++)
        bar[k] = k < fill ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    if (done > 0 && done < total) {
        double left = elapsed * (double)(total - done) / (double)done;
        if (left < 100)
            snprintf(eta, sizeof eta, "ETA %.0fs", ceil(left));
        else
            snprintf(eta, sizeof eta, "ETA %.0fm", ceil(left / 60));
    }
    char line[LINE_WIDTH * 2];
    int len = snprintf(line, sizeof line, "\r%s [%s] %3d%% %s", p->label, bar,
                       (int)(frac * 100), eta);
    /* pad so that a shorter line overwrites all of the previous one */
    while (len > 0 && len < LINE_WIDTH && (size_t)len + 1 < sizeof line)
        line[len++] = ' ';
    line[len > 0 ? len : 0] = '\0';
    fputs(line, stderr);
    p->shown = 1;
    p->last_draw = t;
}

static void progress_end(progress *p)
{
    if (!p->shown)
        return;
    fprintf(stderr, "\r%*s\r", LINE_WIDTH, "");
    p->shown = 0;
}

/* ---- commands ------------------------------------------------------------------------- */

/* Everything a `run` accumulates over its files. */
typedef struct session {
    const cli *c;
    wa_diagnostics *diags;
    progress prog;
    wa_scenario **scenarios; /* kept until the end: summaries may borrow from them */
    size_t nscenarios;
    wa_result **results;
    const wa_summary **summaries;
    size_t nresults;
} session;

static int keep_result(session *s, wa_result *r)
{
    wa_result **nr = realloc(s->results, (s->nresults + 1) * sizeof *nr);
    if (!nr)
        return -1;
    s->results = nr;
    const wa_summary **ns = realloc(s->summaries, (s->nresults + 1) * sizeof *ns);
    if (!ns)
        return -1;
    s->summaries = ns;
    s->results[s->nresults] = r;
    s->summaries[s->nresults] = wa_result_summary(r);
    s->nresults++;
    return 0;
}

/* The selection index of the --set variant: the base scenario with the --set changes. */
#define ADHOC (-3L)

/*
 * The variant indices to run for sc: -1 is the base, ADHOC the --set variant. Without
 * --variant, the base, every declared variant, then the --set variant if there is one.
 * Every unknown name is reported, as "FILE: error: ...".
 * Returns 0, or EXIT_INVALID (*out then NULL).
 */
static int select_variants(const cli *c, const wa_scenario *sc, const char *path, long **out,
                           size_t *nout)
{
    size_t nv = wa_scenario_variant_count(sc);
    size_t cap = c->nvariants ? c->nvariants : nv + 2;
    long *sel = malloc(cap * sizeof *sel);
    size_t n = 0;
    int bad = 0;
    *out = NULL;
    *nout = 0;
    if (!sel) {
        fprintf(stderr, "%s: error: out of memory\n", path);
        return EXIT_INVALID;
    }
    if (c->nvariants == 0) {
        sel[n++] = -1;
        for (size_t k = 0; k < nv; k++)
            sel[n++] = (long)k;
        if (c->nsets)
            sel[n++] = ADHOC;
    }
    for (size_t i = 0; i < c->nvariants; i++) {
        const char *want = c->variants[i];
        long idx = -2;
        for (size_t k = 0; k < nv && idx == -2; k++)
            if (strcmp(wa_scenario_variant_name(sc, k), want) == 0)
                idx = (long)k;
        if (idx == -2 && strcmp(want, "base") == 0)
            idx = -1;
        if (idx == -2 && c->nsets && strcmp(want, "set") == 0)
            idx = ADHOC;
        if (idx == -2) {
            const char **names = malloc((nv + 1) * sizeof *names);
            const char *hint = NULL;
            if (names) {
                for (size_t k = 0; k < nv; k++)
                    names[k] = wa_scenario_variant_name(sc, k);
                names[nv] = "base";
                hint = suggest(want, names, nv + 1);
                free(names);
            }
            if (hint)
                fprintf(stderr, "%s: error: no variant named '%s' (did you mean '%s'?)\n",
                        path, want, hint);
            else if (nv == 0)
                fprintf(stderr, "%s: error: no variant named '%s' (the file declares no "
                                "variants)\n",
                        path, want);
            else
                fprintf(stderr, "%s: error: no variant named '%s' (the file declares %zu; "
                                "'base' is the base scenario)\n",
                        path, want, nv);
            bad = 1;
            continue;
        }
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= sel[k] == idx;
        if (!dup)
            sel[n++] = idx;
    }
    if (bad) {
        free(sel);
        return EXIT_INVALID;
    }
    *out = sel;
    *nout = n;
    return EXIT_OK;
}

/* Loads one file and, for `run`, runs its selected variants. Returns its exit status. */
static int process_file(session *s, const char *path)
{
    const cli *c = s->c;
    seen shown = {NULL, 0};
    wa_scenario *sc = NULL;
    int status = EXIT_OK;

    wa_diagnostics_clear(s->diags);
    wa_status st = wa_scenario_load(path, &sc, s->diags);
    print_diagnostics(s->diags, path, c->quiet, &shown);
    if (st != WA_OK) {
        if (wa_diagnostics_errors(s->diags) == 0) /* never silent, even if the list is */
            fprintf(stderr, "%s: error: cannot load the scenario\n", path);
        seen_clear(&shown);
        return exit_code(st) ? exit_code(st) : EXIT_INVALID;
    }
    if (c->command == CMD_CHECK) {
        if (!c->quiet)
            printf("%s: ok\n", path);
        wa_scenario_free(sc);
        seen_clear(&shown);
        return EXIT_OK;
    }
    wa_scenario **ns = realloc(s->scenarios, (s->nscenarios + 1) * sizeof *ns);
    if (!ns) {
        fprintf(stderr, "%s: error: out of memory\n", path);
        wa_scenario_free(sc);
        seen_clear(&shown);
        return EXIT_INVALID;
    }
    s->scenarios = ns;
    s->scenarios[s->nscenarios++] = sc;

    long *sel;
    size_t nsel;
    status = select_variants(c, sc, path, &sel, &nsel);
    for (size_t i = 0; i < nsel; i++) {
        wa_run_options opt = c->run;
        /* --set's changes make a variant of their own; the others run as declared */
        opt.variant = sel[i] == ADHOC ? -1 : sel[i];
        if (sel[i] != ADHOC) {
            opt.sets = NULL;
            opt.nsets = 0;
        }
        opt.progress = on_progress;
        opt.progress_ctx = &s->prog;
        progress_begin(&s->prog, path,
                       sel[i] == ADHOC ? "set"
                       : sel[i] < 0    ? NULL
                                       : wa_scenario_variant_name(sc, (size_t)sel[i]));
        wa_result *r = NULL;
        wa_diagnostics_clear(s->diags);
        st = wa_run(sc, &opt, &r, s->diags);
        progress_end(&s->prog);
        print_diagnostics(s->diags, path, c->quiet, &shown);
        if (st != WA_OK) {
            if (wa_diagnostics_errors(s->diags) == 0)
                fprintf(stderr, "%s: error: the run failed\n", path);
            int e = exit_code(st) ? exit_code(st) : EXIT_INVALID;
            status = e > status ? e : status;
            continue;
        }
        const wa_summary *sum = wa_result_summary(r);
        for (size_t k = 0; k < sum->nwarnings && !c->quiet; k++)
            if (!seen_check_add(&shown, "W", sum->warnings[k]))
                fprintf(stderr, "%s: warning: %s\n", path, sum->warnings[k]);
        if (keep_result(s, r) != 0) {
            fprintf(stderr, "%s: error: out of memory\n", path);
            wa_result_free(r);
            status = EXIT_INVALID > status ? EXIT_INVALID : status;
        }
    }
    free(sel);
    seen_clear(&shown);
    return status;
}

static int render(FILE *f, cli_format fmt, const wa_summary *const *v, size_t n)
{
    switch (fmt) {
    case CLI_FORMAT_JSON:
        return cli_report_json(f, v, n);
    case CLI_FORMAT_CSV:
        return cli_report_csv(f, v, n);
    default:
        return cli_report_text(f, v, n);
    }
}

/* Flushes stdout. Returns 0, or EXIT_IO after saying why; a reader that went away (EPIPE,
   `| head`) is not an error. err is a write error already seen, or 0. */
static int finish_stdout(int err)
{
    errno = 0;
    if (!err && (fflush(stdout) != 0 || ferror(stdout)))
        err = errno ? errno : EIO;
    if (!err || err == EPIPE)
        return EXIT_OK;
    fprintf(stderr, "walkaway: cannot write to standard output: %s\n", strerror(err));
    return EXIT_IO;
}

static int run_files(const cli *c)
{
    session s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.prog.enabled = !c->quiet && isatty(STDERR_FILENO);
    int worst = EXIT_OK;
    size_t failed = 0;

    /* Fail before hours of simulation, not after, if the report could never be stored. */
    cli_outfile *out = NULL;
    if (c->output) {
        int err = 0;
        out = cli_out_open(c->output, &err);
        if (!out) {
            fprintf(stderr, "walkaway: cannot write %s: %s\n", c->output, strerror(err));
            return EXIT_IO;
        }
    }
    s.diags = wa_diagnostics_new();
    if (!s.diags) {
        fputs("walkaway: out of memory\n", stderr);
        cli_out_abort(out);
        return EXIT_INVALID;
    }

    /* -j bounds the loading too: the quantile tables are built by OpenMP's default team */
    if (c->run.threads > 0)
        omp_set_num_threads(c->run.threads);
    for (size_t i = 0; i < c->nfiles; i++) {
        int st = process_file(&s, c->files[i]);
        if (st != EXIT_OK)
            failed++;
        worst = st > worst ? st : worst;
    }

    if (c->command == CMD_RUN) {
        if (out && failed > 0) {
            cli_out_abort(out);
            fprintf(stderr, "walkaway: %s not written: %zu of %zu scenario file%s failed\n",
                    c->output, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
        } else if (out) {
            int err = 0;
            if (render(cli_out_stream(out), c->format, s.summaries, s.nresults) != 0) {
                err = errno ? errno : EIO;
                cli_out_abort(out);
            } else {
                err = cli_out_commit(out);
            }
            if (err) {
                fprintf(stderr, "walkaway: cannot write %s: %s\n", c->output, strerror(err));
                worst = EXIT_IO > worst ? EXIT_IO : worst;
            }
        } else if (s.nresults > 0 || c->format != CLI_FORMAT_TEXT) {
            /* JSON and CSV readers get a well-formed document even when every run
               failed; the exit status tells them so. */
            int err = 0;
            if (render(stdout, c->format, s.summaries, s.nresults) != 0)
                err = errno ? errno : EIO;
            int st = finish_stdout(err);
            worst = st > worst ? st : worst;
        }
    } else {
        cli_out_abort(out);
    }

    for (size_t i = 0; i < s.nresults; i++)
        wa_result_free(s.results[i]);
    free(s.results);
    free(s.summaries);
    for (size_t i = 0; i < s.nscenarios; i++)
        wa_scenario_free(s.scenarios[i]);
    free(s.scenarios);
    wa_diagnostics_free(s.diags);
    return worst;
}

int main(int argc, char **argv)
{
    static const char *const commands[] = {"run", "check", "help"};
    signal(SIGPIPE, SIG_IGN); /* see the top of the file */

    if (argc < 2)
        return usage_error("no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(help_text, stdout);
        return finish_stdout(0);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("walkaway " WA_VERSION);
        return finish_stdout(0);
    }
    if (strcmp(cmd, "sweep") == 0)
        return usage_error("'sweep' is not available in this version");
    if (cmd[0] == '-')
        return usage_error("expected a command (run or check) before '%s'", cmd);

    cli c;
    memset(&c, 0, sizeof c);
    wa_run_options_init(&c.run);
    c.format = CLI_FORMAT_TEXT;
    if (strcmp(cmd, "run") == 0) {
        c.command = CMD_RUN;
    } else if (strcmp(cmd, "check") == 0) {
        c.command = CMD_CHECK;
    } else {
        const char *s = suggest(cmd, commands, sizeof commands / sizeof commands[0]);
        if (s)
            return usage_error("unknown command '%s' (did you mean '%s'?)", cmd, s);
        return usage_error("unknown command '%s'", cmd);
    }
    c.command_name = cmd;

    parse_result pr = parse_args(&c, argc, argv, 2);
    int status;
    if (pr.stop) {
        status = pr.status == EXIT_OK ? finish_stdout(0) : pr.status;
    } else {
        c.run.sets = c.sets;
        c.run.nsets = c.nsets;
        status = run_files(&c);
        if (c.command == CMD_CHECK) {
            int st = finish_stdout(0);
            status = st > status ? st : status;
        }
    }
    cli_free(&c);
    return status;
}
