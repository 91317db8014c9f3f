/*
 * walkaway.h — the whole public API of libwalkaway.
 *
 * libwalkaway reads a negotiation scenario (YAML), samples its uncertain inputs with a
 * Monte Carlo engine and summarises, per vendor offer, how likely the buyer's walk-away
 * position is to be cheaper. Nothing else is public: every other header in the source tree
 * is internal.
 *
 * Conventions
 *   - Every call that can fail returns a wa_status; the details (severity, file, 1-based
 *     line and column, message) are appended to a wa_diagnostics list owned by the caller.
 *     All problems found are reported, not just the first.
 *   - Handles are opaque. Each constructor has one _free; _free(NULL) is a no-op.
 *   - Getters return pointers borrowed from their handle, valid until it is freed.
 *   - The library never prints, exits or aborts. It turns GSL's abort-on-error handler off
 *     the first time a scenario is loaded, because every parameter is validated first and
 *     every GSL result is checked.
 *   - A loaded scenario is immutable: it may be run from several threads at once.
 *   - Only standard headers are included; no libyaml or GSL type appears here.
 */
#ifndef WALKAWAY_H
#define WALKAWAY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WA_API __attribute__((visibility("default")))
#else
#define WA_API
#endif

#define WA_VERSION "1.0.0"

/* Status codes. The numeric values of the first four match the CLI's exit codes. */
typedef enum wa_status {
    WA_OK = 0,
    WA_EINVALID = 1, /* the scenario (or an option value) is invalid, or the run failed */
    WA_EUSAGE = 2,   /* the caller passed an impossible argument */
    WA_EIO = 3,      /* a file could not be read or written */
    WA_ENOMEM = 4    /* out of memory */
} wa_status;

/* ---- diagnostics -------------------------------------------------------------------- */

typedef enum wa_severity { WA_ERROR = 0, WA_WARNING = 1, WA_NOTE = 2 } wa_severity;

typedef struct wa_diagnostic {
    wa_severity severity;
    wa_status code;          /* WA_EINVALID, WA_EIO, ... */
    const char *file;        /* "" when the problem has no file */
    int line, column;        /* 1-based; 0 when unknown */
    const char *message;     /* one line, no trailing newline */
    const char *source_line; /* the text of that line of the file, or NULL */
} wa_diagnostic;

typedef struct wa_diagnostics wa_diagnostics;

/* A new, empty list; NULL when out of memory. */
WA_API wa_diagnostics *wa_diagnostics_new(void);
WA_API void wa_diagnostics_free(wa_diagnostics *d);
WA_API size_t wa_diagnostics_count(const wa_diagnostics *d);
/* Number of entries with severity WA_ERROR. */
WA_API size_t wa_diagnostics_errors(const wa_diagnostics *d);
/* Borrowed; NULL when i is out of range. */
WA_API const wa_diagnostic *wa_diagnostics_get(const wa_diagnostics *d, size_t i);
/* Forget every entry (the list can be reused for the next file). */
WA_API void wa_diagnostics_clear(wa_diagnostics *d);

/*
 * Formats one diagnostic the way compilers print them:
 *
 *     file:line:column: error: message
 *         source line
 *         ^
 *
 * (the source and caret lines only when known), ending with a newline. Writes at most
 * size bytes including the terminating NUL, like snprintf, and returns the length the
 * whole text needs.
 */
WA_API size_t wa_diagnostic_format(const wa_diagnostic *d, char *buf, size_t size);

/* ---- scenarios ---------------------------------------------------------------------- */

typedef struct wa_scenario wa_scenario;

/* Sampling methods. */
typedef enum wa_method {
    WA_METHOD_DEFAULT = 0, /* in run options: the scenario's own */
    WA_METHOD_MONTE_CARLO = 1,
    WA_METHOD_LATIN_HYPERCUBE = 2,
    WA_METHOD_SOBOL = 3
} wa_method;

/* "monte-carlo", "latin-hypercube", "sobol"; NULL for WA_METHOD_DEFAULT or out of range. */
WA_API const char *wa_method_name(wa_method m);
/* The method named s, or WA_METHOD_DEFAULT when s names none. */
WA_API wa_method wa_method_parse(const char *s);

/*
 * Reads and compiles the scenario at path. On WA_OK *out owns a new scenario (free it
 * with wa_scenario_free); otherwise *out is NULL and diags says why (WA_EIO: the file
 * could not be read; WA_EINVALID: the scenario is invalid). Warnings may be appended on
 * success too. The quantile tables of PERT, beta and gamma inputs are built here, shared
 * among OpenMP's default number of threads (OMP_NUM_THREADS or omp_set_num_threads); the
 * tables are the same whatever that number.
 */
WA_API wa_status wa_scenario_load(const char *path, wa_scenario **out, wa_diagnostics *diags);

/* The same from a buffer; name is used as the file name in diagnostics. */
WA_API wa_status wa_scenario_load_buffer(const char *text, size_t len, const char *name,
                                         wa_scenario **out, wa_diagnostics *diags);

WA_API void wa_scenario_free(wa_scenario *sc);

WA_API const char *wa_scenario_name(const wa_scenario *sc);
WA_API const char *wa_scenario_file(const wa_scenario *sc);
/* Variants declared in the file (section `variants`), in file order. */
WA_API size_t wa_scenario_variant_count(const wa_scenario *sc);
WA_API const char *wa_scenario_variant_name(const wa_scenario *sc, size_t i);

/* ---- running ------------------------------------------------------------------------ */

/* Called now and then from the thread that called wa_run with the trials done so far. */
typedef void (*wa_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct wa_run_options {
    uint64_t trials;    /* 0: the scenario's simulation.trials */
    int has_seed;       /* nonzero: use seed instead of the scenario's */
    uint64_t seed;
    wa_method method;   /* WA_METHOD_DEFAULT: the scenario's */
    double confidence;  /* 0: the scenario's; otherwise in (0, 1) */
    int threads;        /* 0: all cores */
    /* Ad-hoc changes, each "NAME=VALUE" with VALUE in scenario syntax (a number, an
       expression or a flow mapping such as {dist: uniform, min: 1, max: 2}). */
    const char *const *sets;
    size_t nsets;
    /* Which declared variant to run: -1 for the base scenario. */
    long variant;
    wa_progress_fn progress;
    void *progress_ctx;
} wa_run_options;

/* Fills o with the defaults: everything from the scenario, all cores, the base variant. */
WA_API void wa_run_options_init(wa_run_options *o);

typedef struct wa_result wa_result;

/*
 * Simulates sc with options opt (NULL: defaults) and summarises. On WA_OK *out owns a new
 * result (wa_result_free); otherwise *out is NULL and diags says why: WA_EINVALID for a
 * bad option value or a run that produced a non-finite value (the message names the
 * expression, its location and how many trials were affected), WA_ENOMEM when the run
 * does not fit in memory.
 */
WA_API wa_status wa_run(const wa_scenario *sc, const wa_run_options *opt, wa_result **out,
                        wa_diagnostics *diags);

WA_API void wa_result_free(wa_result *r);

/* ---- results: read-only views borrowed from a wa_result ------------------------------ */

typedef struct wa_stats {
    double mean, sd, min, max, p5, p10, p25, p50, p75, p90, p95;
} wa_stats;

typedef struct wa_sensitivity {
    const char *input;
    double spearman;
    double swing_p_walk_beats;
    double swing_mean_advantage;
} wa_sensitivity;

typedef struct wa_alternative_summary {
    const char *name;
    wa_stats cost;      /* present value */
    double p_cheapest;  /* fraction of trials in which it is the cheapest alternative */
} wa_alternative_summary;

typedef struct wa_offer_summary {
    const char *name;
    wa_stats cost;             /* present value O */
    double p_walk_beats;       /* fraction of trials with W < O */
    double p_walk_beats_ci95[2]; /* Wilson interval */
    wa_stats advantage;        /* D = O - W */
    double concession_needed;  /* c-quantile of D */
    double expected_shortfall; /* mean of the ceil(0.05 n) smallest D */
    const wa_sensitivity *sensitivity; /* may be empty */
    size_t nsensitivity;
} wa_offer_summary;

typedef struct wa_summary {
    const char *file;
    const char *scenario;
    const char *variant;       /* NULL for the base scenario */
    uint64_t trials;
    uint64_t seed;
    wa_method method;
    double confidence;
    const char *currency;
    int horizon;
    double elapsed_s;
    const char *walk_name;
    const char *walk_chosen_by; /* "named", "best" or "only" */
    wa_stats walk_cost;
    double ceiling_expected, ceiling_confident, ceiling_accept_below;
    const wa_alternative_summary *alternatives;
    size_t nalternatives;
    const wa_offer_summary *offers;
    size_t noffers;
    const char *const *warnings;
    size_t nwarnings;
} wa_summary;

/* Borrowed from r. */
WA_API const wa_summary *wa_result_summary(const wa_result *r);

#ifdef __cplusplus
}
#endif
#endif /* WALKAWAY_H */
