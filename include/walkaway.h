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
 *
 * Structs that can grow (ABI)
 *   A program compiled against this header keeps working with a later libwalkaway, which
 *   will report more figures. One scheme everywhere, the one of Win32 and libcurl:
 *   - every public struct that can grow starts with `size_t size`, and fields are only ever
 *     appended. A struct the library fills (a result, a diagnostic) has size = the size the
 *     library knows; a struct the caller fills (wa_run_options) gets the size the caller
 *     was compiled with from wa_run_options_init(&o, sizeof o), and the library reads no
 *     field beyond it (later fields take their defaults). WA_HAS(type, p, field) says
 *     whether a struct holds a field, for a program that may meet an older library;
 *   - no growing struct is ever laid out in an array across this interface: the i-th
 *     offer, alternative or sensitivity entry is reached through a function
 *     (wa_result_offer(r, i)), so a larger struct never changes a stride;
 *   - wa_stats, embedded in the others, is frozen: new statistics are new fields of the
 *     struct that holds it;
 *   - enums are only appended to, and functions only added.
 *   wa_version() tells the version of the library actually loaded; WA_VERSION is the one
 *   this header came with.
 */
#ifndef WALKAWAY_H
#define WALKAWAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WA_API __attribute__((visibility("default")))
#else
#define WA_API
#endif

#define WA_VERSION "1.0.0"
#define WA_VERSION_NUMBER 1000000 /* major * 10^6 + minor * 10^3 + patch */

/* The version of the library loaded at run time ("1.0.0"), which may be later than the
   WA_VERSION a program was compiled with. Static storage; never NULL. */
WA_API const char *wa_version(void);
/* The same as a number, like WA_VERSION_NUMBER. */
WA_API int wa_version_number(void);

/* Whether *p, a struct of type `type` whose first field is its size, holds field: a
   program compiled against a later header than the library it runs with tests before it
   reads a field that the library may not have (WA_HAS(wa_offer_summary, o, cost)). */
#define WA_HAS(type, p, field) ((p)->size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* Status codes. The numeric values of the first four match the CLI's exit codes. */
typedef enum wa_status {
    WA_OK = 0,
    WA_EINVALID = 1, /* the scenario (or an option value) is invalid, or the run failed */
    WA_EUSAGE = 2,   /* the caller passed an impossible argument */
    WA_EIO = 3,      /* a file could not be read or written */
    WA_ENOMEM = 4,   /* out of memory */
    WA_ECANCELLED = 5 /* since 1.2: the progress_cancel callback asked to stop */
} wa_status;

/* since 1.2: what a status means, in a few words ("out of memory"), from static storage:
   what to say when not even a diagnostic could be recorded. Never NULL. */
WA_API const char *wa_status_text(wa_status st);

/* ---- the allocator ------------------------------------------------------------------ */

/* since 1.2: the functions every allocation of the library goes through, as sqlite3_config
   sets SQLite's. malloc_fn and realloc_fn return NULL when they cannot allocate, and the
   library then fails cleanly with WA_ENOMEM; they are never asked for 0 bytes, and
   realloc_fn and free_fn only ever see non-NULL blocks from this allocator. They may be
   called from several threads at once (runs are parallel). Not covered: the C library's
   own buffers (stdio, open_memstream) and the internal allocations of libyaml and of GSL's
   eigensolver and quadrature tables, which use malloc. The cJSON library's global hooks
   are pointed at this allocator too. */
typedef struct wa_allocator {
    size_t size; /* sizeof(wa_allocator) */
    void *(*malloc_fn)(void *ctx, size_t n);
    void *(*realloc_fn)(void *ctx, void *p, size_t n);
    void (*free_fn)(void *ctx, void *p);
    void *ctx;
} wa_allocator;

/* Installs a (NULL: the C library's malloc, realloc and free). Call it before any other
   call of the library, or after every object of the library has been freed, with no other
   thread using the library: blocks are freed by the allocator that made them. WA_EUSAGE
   for a missing function or a size too small. */
WA_API wa_status wa_config_allocator(const wa_allocator *a);

/* ---- diagnostics -------------------------------------------------------------------- */

typedef enum wa_severity { WA_ERROR = 0, WA_WARNING = 1, WA_NOTE = 2 } wa_severity;

typedef struct wa_diagnostic {
    size_t size;             /* sizeof this struct as the library knows it */
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

/* The same, faster in a batch of related files: the quantile table of an input whose
   distribution is the same as the input of that name in `like` (may be NULL) is copied
   from it instead of built (about a millisecond each). The scenario is, bit for bit, the
   one wa_scenario_load gives; like is only read, and may be freed afterwards. */
WA_API wa_status wa_scenario_load_sharing(const char *path, const wa_scenario *like,
                                          wa_scenario **out, wa_diagnostics *diags);

/* The same from a buffer; name is used as the file name in diagnostics. */
WA_API wa_status wa_scenario_load_buffer(const char *text, size_t len, const char *name,
                                         wa_scenario **out, wa_diagnostics *diags);

WA_API void wa_scenario_free(wa_scenario *sc);

WA_API const char *wa_scenario_name(const wa_scenario *sc);
WA_API const char *wa_scenario_file(const wa_scenario *sc);
/* What the scenario holds, before any run: its inputs as declared (section `inputs`),
   its offers and its alternatives, in file order; NULL out of range. */
WA_API size_t wa_scenario_input_count(const wa_scenario *sc);
WA_API const char *wa_scenario_input_name(const wa_scenario *sc, size_t i);
WA_API size_t wa_scenario_offer_count(const wa_scenario *sc);
WA_API const char *wa_scenario_offer_name(const wa_scenario *sc, size_t i);
WA_API size_t wa_scenario_alternative_count(const wa_scenario *sc);
WA_API const char *wa_scenario_alternative_name(const wa_scenario *sc, size_t i);
/* Variants declared in the file (section `variants`), in file order. */
WA_API size_t wa_scenario_variant_count(const wa_scenario *sc);
WA_API const char *wa_scenario_variant_name(const wa_scenario *sc, size_t i);
/* Checks --set changes ("NAME=VALUE") before anything runs: every NAME must be an input of
   the scenario. WA_OK, or WA_EUSAGE with a diagnostic per bad one (with a suggestion).
   The values themselves are checked when a run builds its model. */
WA_API wa_status wa_scenario_check_sets(const wa_scenario *sc, const char *const *sets,
                                        size_t n, wa_diagnostics *diags);
/* The index of the variant named name, or -1 when the file declares none so named. */
WA_API long wa_scenario_variant_find(const wa_scenario *sc, const char *name);
/* since 1.2: declared input i (as wa_scenario_input_name) as the base scenario defines it:
   its kind, distribution or expression, value, and a sampled input's p10, p50 and p90
   (the view wa_result_input gives after a run); NULL out of range, and NULL when memory
   runs out: the first call describes every input (later ones only look up). Borrowed
   from sc; safe to call from several threads at once. */
struct wa_input_summary;
WA_API const struct wa_input_summary *wa_scenario_input_info(const wa_scenario *sc, size_t i);

/* ---- running ------------------------------------------------------------------------ */

/* since 1.2: an input set from C to a number, as --set NAME=VALUE does, without text. */
typedef struct wa_input_value {
    const char *name;
    double value;       /* finite */
} wa_input_value;

/* Called now and then from the thread that called wa_run with the trials done so far. */
typedef void (*wa_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* since 1.2: called like wa_progress_fn (with progress_ctx); returning nonzero stops the
   run: wa_run and the studies return WA_ECANCELLED, with no result. */
typedef int (*wa_progress_cancel_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct wa_run_options {
    size_t size;        /* set by wa_run_options_init: the size the caller compiled with */
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
    /* since 1.1: nonzero skips the insight (sensitivity, value of information, ranking and
       dominance, percentiles, certainty equivalents, concession_needed_share), for a
       faster run when only the other figures are wanted */
    int no_insight;
    /* since 1.2: bytes the run may keep per trial at most (its present values); 0: half
       the physical memory, read at run time. A run that needs more is not refused: its
       trials are simulated a window at a time, and again for each pass of the summary
       over them, with the very same results, at the cost of those passes */
    double memory;
    /* since 1.2: asked now and then, from the calling thread, whether to stop (NULL: never) */
    wa_progress_cancel_fn progress_cancel;
    /* since 1.2: inputs set to numbers, in the same variant as the sets (after them) */
    const wa_input_value *values;
    size_t nvalues;
} wa_run_options;

/* Fills o with the defaults (everything from the scenario, all cores, the base variant)
   and records size, which must be sizeof *o as the caller was compiled:
       wa_run_options o;
       wa_run_options_init(&o, sizeof o);
   A size smaller than the first version's struct is refused by wa_run (WA_EUSAGE). */
WA_API void wa_run_options_init(wa_run_options *o, size_t size);

typedef struct wa_result wa_result;

/*
 * Simulates sc with options opt (NULL: defaults) and summarises. On WA_OK *out owns a new
 * result (wa_result_free); otherwise *out is NULL and diags says why: WA_EUSAGE for a bad
 * option value or options not set up by wa_run_options_init; WA_EINVALID for a --set
 * value that is not valid, or a run that produced a non-finite value (the message names
 * the expression, its location and how many trials were affected); WA_ENOMEM when the
 * run does not fit in memory.
 */
WA_API wa_status wa_run(const wa_scenario *sc, const wa_run_options *opt, wa_result **out,
                        wa_diagnostics *diags);

WA_API void wa_result_free(wa_result *r);

/* ---- many runs of one scenario -----------------------------------------------------
 *
 * Runs that differ from a start only by their variant or --set changes share its draws:
 * the start is simulated once, and each run simulates again only the options its changes
 * reach (the others are provably the same program on the same inputs), with only the
 * inputs those read; the figures of the others are copied. Every result is, bit for bit,
 * the one wa_run gives. What `walkaway run` does for a file's variants, and sweeps and
 * solves for their points. Memory: the start's per-trial arrays, and one more for each
 * option a run changes.
 */
typedef struct wa_runs wa_runs;

/* Simulates the start (options as wa_run's; NULL: defaults). *out owns a new wa_runs
   (wa_runs_free), which borrows sc: free it first. With first not NULL, *first owns the
   start's own result, as wa_run(sc, start) gives it. Returns as wa_run. */
WA_API wa_status wa_runs_new(const wa_scenario *sc, const wa_run_options *start, wa_runs **out,
                             wa_result **first, wa_diagnostics *diags);
/* The result wa_run(sc, opt) gives; opt may name another variant or other --set changes.
   A run whose trials, seed, method or confidence differ from the start's, or under
   precision stopping, is a whole wa_run. Returns as wa_run. */
WA_API wa_status wa_runs_run(wa_runs *rs, const wa_run_options *opt, wa_result **out,
                             wa_diagnostics *diags);
WA_API void wa_runs_free(wa_runs *rs);

/* ---- results: read-only views borrowed from a wa_result ------------------------------
 *
 * Every view is borrowed from its result, valid until wa_result_free, and starts with its
 * size (see "Structs that can grow" above). The i-th entry of a list is reached through a
 * function, never by indexing an array; out of range gives NULL. */

/* The eleven statistics of SPEC section 2 of one series. Frozen: it never grows. */
typedef struct wa_stats {
    double mean, sd, min, max, p5, p10, p25, p50, p75, p90, p95;
} wa_stats;

typedef struct wa_summary {
    size_t size;
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
    size_t walk;                /* the walk position's index among the alternatives */
    wa_stats walk_cost;
    double ceiling_expected, ceiling_confident, ceiling_accept_below;
    size_t nalternatives;       /* wa_result_alternative(r, 0 .. nalternatives-1) */
    size_t noffers;             /* wa_result_offer(r, 0 .. noffers-1) */
    size_t nwarnings;           /* wa_result_warning(r, 0 .. nwarnings-1) */
    /* since 1.1 (check with WA_HAS) */
    const char *description;    /* the scenario's, or NULL */
    double discount_rate;
    size_t nranking;            /* wa_result_ranking(r, 0 .. nranking-1): every option */
    size_t ndominance;          /* wa_result_dominance(r, 0 .. ndominance-1) */
    /* value of information: EVPI over all options, and per sampled input (ranked) */
    double evpi, evpi_se;
    const char *best_in_expectation; /* the option with the lowest mean cost */
    const char *voi_method;     /* how EVPPI is estimated (docs/how-it-works) */
    size_t nvoi;                /* wa_result_voi(r, 0 .. nvoi-1) */
    size_t ninputs;             /* wa_result_input(r, 0 .. ninputs-1): the assumptions */
    int has_risk_tolerance;
    double risk_tolerance;
    /* since 1.2: the vendor's side (SPEC 1.6), with a vendor section */
    const char *vendor;          /* the vendor's name, or NULL without a vendor section */
    wa_stats vendor_walk;        /* R: the vendor walk's PV counting every item, its
                                    reservation value for a cash settlement paid today */
    double zopa_p_exists;        /* P(W > R): some cash settlement suits both sides */
    wa_stats zopa_width;         /* W - R */
    int has_settlement_range;    /* 0 when the c-quantile of R exceeds the (1-c)-quantile
                                    of W: no settlement suits both with confidence c */
    double settlement_range[2];  /* [c-quantile of R, (1-c)-quantile of W] */
} wa_summary;

typedef struct wa_alternative_summary {
    size_t size;
    const char *name;
    wa_stats cost;      /* present value */
    double p_cheapest;  /* fraction of trials in which it is the cheapest alternative */
    /* since 1.1 */
    const char *description;      /* or NULL */
    int has_certainty_equivalent; /* the scenario sets risk_tolerance */
    double certainty_equivalent;  /* R ln E[exp(PV / R)] */
    const double *percentiles;    /* p1 ... p99 of the cost: 99 numbers, or NULL */
} wa_alternative_summary;

typedef struct wa_offer_summary {
    size_t size;
    const char *name;
    wa_stats cost;             /* present value O */
    double p_walk_beats;       /* fraction of trials with W < O */
    double p_walk_beats_ci95[2]; /* Wilson interval */
    wa_stats advantage;        /* D = O - W */
    double concession_needed;  /* c-quantile of D */
    double expected_shortfall; /* mean of the ceil(0.05 n) smallest D */
    size_t nsensitivity;       /* wa_result_sensitivity(r, k, 0 .. nsensitivity-1) */
    const char *verdict;       /* "walk" when p_walk_beats >= c, "accept" when it is at most
                                  1 - c, otherwise "negotiate" (c: the confidence) */
    /* since 1.1 */
    const char *description;      /* or NULL */
    int has_certainty_equivalent;
    double certainty_equivalent;
    double concession_needed_share; /* c-quantile of D / O; NaN unless O > 0 in every trial */
    const double *cost_percentiles;      /* p1 ... p99 of O: 99 numbers, or NULL */
    const double *advantage_percentiles; /* p1 ... p99 of D */
    const char *price_units;             /* the offer's price_units label, or NULL */
    double concession_needed_per_unit;   /* c-quantile of D / U (U: the units' PV); NaN
                                            without price_units */
    /* since 1.2: the vendor's side, with a vendor section (else has_vendor 0) */
    int has_vendor;
    size_t nvendor_tables;       /* wa_result_vendor_table(r, k, 0 .. nvendor_tables-1) */
    double p_buyer_prefers;      /* P(O < W): the buyer prefers the offer to walking */
    double p_accepts;            /* P(every vendor table prefers the deal to none) */
    double p_deal;               /* P(O < W and every table prefers): in the zone of
                                    agreement */
    double joint_gain;           /* mean (W - O) + mean V, V counting every item: what the
                                    deal creates for both sides */
} wa_offer_summary;

/* One of the vendor's tables as it sees an offer (SPEC 1.6). */
typedef struct wa_vendor_table_summary {
    size_t size;
    const char *name;
    wa_stats value;     /* V_T: the PV to the vendor of the offer's items the table counts,
                           minus that of the vendor walk's */
    double p_prefers;   /* P(V_T > 0) */
} wa_vendor_table_summary;

typedef struct wa_sensitivity {
    size_t size;
    const char *input;
    double spearman;
    double swing_p_walk_beats;
    double swing_mean_advantage;
    /* since 1.1 */
    double contribution;            /* spearman^2 over the sum of all inputs' */
    double deciles_mean_advantage[10]; /* mean D in each tenth of the input's draws */
    double deciles_p_walk_beats[10];
} wa_sensitivity;

/* An input as the run used it, for the report's assumptions. */
typedef struct wa_input_summary {
    size_t size;
    const char *name;
    const char *kind;          /* "sampled", "derived" or "constant" */
    const char *distribution;  /* sampled: its family ("pert"); derived: its expression */
    double value;              /* constant: its value */
    double p10, p50, p90;      /* sampled: exact quantiles of its distribution; else NaN */
} wa_input_summary;

/* An option in the ranking: by mean cost, lowest first. */
typedef struct wa_rank {
    size_t size;
    const char *name;
    const char *role;   /* "offer" or "alternative" */
    double mean;
    double p_best;      /* fraction of trials in which it is the cheapest of all options */
} wa_rank;

/* better's cost is stochastically smaller than worse's: order 1 (every quantile no
   larger) or 2 (every upper-tail mean no larger: every risk-averse buyer prefers it). */
typedef struct wa_dominance {
    size_t size;
    const char *better, *worse;
    int order;
} wa_dominance;

/* What learning one sampled input before deciding is worth (EVPPI). */
typedef struct wa_voi {
    size_t size;
    const char *input;
    double evppi, evppi_se;
    double share;       /* evppi / evpi */
} wa_voi;

/* The run's header, walk position and counts; NULL when r is NULL. */
WA_API const wa_summary *wa_result_summary(const wa_result *r);
/* Alternative i, in file order. */
WA_API const wa_alternative_summary *wa_result_alternative(const wa_result *r, size_t i);
/* Offer k, in file order. */
WA_API const wa_offer_summary *wa_result_offer(const wa_result *r, size_t k);
/* Offer k's i-th input by sensitivity, strongest first. */
WA_API const wa_sensitivity *wa_result_sensitivity(const wa_result *r, size_t k, size_t i);
/* The run's i-th warning (also in the diagnostics wa_run filled), one line. */
WA_API const char *wa_result_warning(const wa_result *r, size_t i);
/* The run's i-th input, in the order the model evaluates them (each after those it reads). */
WA_API const wa_input_summary *wa_result_input(const wa_result *r, size_t i);
/* Every option by mean cost, lowest first. */
WA_API const wa_rank *wa_result_ranking(const wa_result *r, size_t i);
/* The i-th pair where one option dominates another, in ranking order. */
WA_API const wa_dominance *wa_result_dominance(const wa_result *r, size_t i);
/* The i-th sampled input by value of information, largest first. */
WA_API const wa_voi *wa_result_voi(const wa_result *r, size_t i);
/* Offer k as the vendor's table t sees it (tables in file order); NULL without a vendor
   section or out of range. */
WA_API const wa_vendor_table_summary *wa_result_vendor_table(const wa_result *r, size_t k,
                                                             size_t t);

/* ---- chart data (since 1.3) ----------------------------------------------------------
 *
 * What the charts of --report draw, for an embedder who draws its own: percentiles of
 * every series a chart shows, and histograms on round bin edges. Every figure is exact
 * (order statistics, integer counts), so the same for any number of threads; a run
 * without insight (no_insight) has none of them. */

/* Which series a chart figure is of; k says which offer or alternative (0 otherwise). */
typedef enum wa_series_of {
    WA_OF_OFFER = 0,       /* offer k's cost O */
    WA_OF_ADVANTAGE = 1,   /* offer k's D = O - W */
    WA_OF_WALK = 2,        /* the walk position's cost W */
    WA_OF_ALTERNATIVE = 3, /* alternative k's cost */
    WA_OF_VENDOR_WALK = 4  /* R, the vendor's walk-away (with a vendor section) */
} wa_series_of;

/* The p-th percentile (p = 1 .. 99, type 7) of series `of`; NaN when the run has none
   (no insight, no vendor section) or an argument is out of range. */
WA_API double wa_result_percentile(const wa_result *r, wa_series_of of, size_t k, unsigned p);

/* A histogram on round edges: edge i (0 .. nbins) is a multiple of the round width (1, 2 or
   5 times a power of ten), so that 0, when in range, is an edge and a chart's ticks fall
   on edges. Bin i holds the trials with edge i <= x < edge i + 1. */
typedef struct wa_histogram {
    size_t size;
    size_t nbins;      /* wa_result_histogram_count(r, of, k, 0 .. nbins-1) */
    double width;      /* the bins' width */
    uint64_t below;    /* trials below edge 0 */
    uint64_t above;    /* trials at or above edge nbins */
    uint64_t trials;   /* below + above + every bin's count */
} wa_histogram;

/* The histogram of series `of`: per offer, D's (16 to 42 round bins over its central 99%,
   stretched to 0 when 0 lies within a quarter of that range of it); W's, and with a vendor
   section R's on the same edges (over both central 99%), so that they can be drawn
   together. NULL for other series, out of range, or a run without insight. */
WA_API const wa_histogram *wa_result_histogram(const wa_result *r, wa_series_of of, size_t k);
/* Edge i (0 .. nbins) of that histogram, the round number exactly (0.3, not 0.1 × 3);
   NaN out of range. */
WA_API double wa_result_histogram_edge(const wa_result *r, wa_series_of of, size_t k,
                                       size_t i);
/* The trials in bin i; 0 out of range. */
WA_API uint64_t wa_result_histogram_count(const wa_result *r, wa_series_of of, size_t k,
                                          size_t i);

/* ---- studies: sweeps ------------------------------------------------------------------
 *
 * A sweep runs a grid of what-ifs on common random numbers: every point is the run that
 * wa_run makes with the point's values as --set changes (to the bit), on the same seed.
 */

typedef struct wa_sweep wa_sweep;

/*
 * Runs the grid of vary[0..nvary), each "NAME=FROM:TO:STEPS" (STEPS evenly spaced values,
 * both ends included) or "NAME=V1,V2,...", values in scenario syntax (40%, 1.2M). NAME is
 * an input ("uplift") or a parameter that the input's distribution mapping writes
 * ("migration.p90"). The grid is every combination, the first name outermost. opt is as
 * for wa_run (its variant and --set changes apply at every point, its progress callback
 * sees the whole grid, and its progress_cancel is also asked with the whole grid's trials
 * before each batch of points, the first time before any point runs). On WA_OK *out owns a new sweep (wa_sweep_free). WA_EUSAGE, before
 * anything runs, for a malformed or misspelt NAME (with a suggestion), a name varied twice
 * or also --set, or a grid of more than 10^6 points; otherwise as wa_run, with a note
 * naming the point that failed.
 */
WA_API wa_status wa_sweep_run(const wa_scenario *sc, const wa_run_options *opt,
                              const char *const *vary, size_t nvary, wa_sweep **out,
                              wa_diagnostics *diags);
WA_API void wa_sweep_free(wa_sweep *s);

/* The varied names, in the order given, and the values of each. */
WA_API size_t wa_sweep_vary_count(const wa_sweep *s);
WA_API const char *wa_sweep_vary_name(const wa_sweep *s, size_t v);
WA_API size_t wa_sweep_value_count(const wa_sweep *s, size_t v);
/* The j-th value of name v; NaN out of range. */
WA_API double wa_sweep_value(const wa_sweep *s, size_t v, size_t j);

/* The points: every combination, the first name outermost (row-major). */
WA_API size_t wa_sweep_point_count(const wa_sweep *s);
/* Which value of name v point p takes (an index for wa_sweep_value). */
WA_API size_t wa_sweep_point_index(const wa_sweep *s, size_t p, size_t v);
/* The whole result at point p (borrowed from s); NULL out of range. */
WA_API const wa_result *wa_sweep_point(const wa_sweep *s, size_t p);
/* Seconds the whole sweep took. */
WA_API double wa_sweep_elapsed(const wa_sweep *s);
/* What the grid is built on: the variant's name, the --set changes, or both ("v, a=1");
   NULL for the base scenario. */
WA_API const char *wa_sweep_variant(const wa_sweep *s);

/* ---- studies: solves ------------------------------------------------------------------
 *
 * Where a decision flips: the value of NAME in [FROM, TO] at which an offer's
 * p_walk_beats crosses a target level (or its mean advantage crosses 0), by bisection on
 * common random numbers, so the answer is deterministic for a seed.
 */

typedef struct wa_solve wa_solve;

/* One crossing of the target. */
typedef struct wa_crossing {
    size_t size;
    double value;       /* NAME's value there, in NAME's own units */
    double interval[2]; /* where the target lies within the figure's 95% interval */
    int rising;         /* 1: the figure rises through the target as NAME grows */
} wa_crossing;

typedef struct wa_solution {
    size_t size;
    const char *file;
    const char *scenario;
    const char *variant;    /* as wa_sweep_variant: NULL for the base */
    const char *name;       /* NAME, as given ("migration.p90") */
    const char *offer;
    const char *target;     /* as given: "c", "1-c", "0.5", "mean", or a level */
    int target_is_mean;     /* 1: mean advantage crosses 0; 0: p_walk_beats crosses level */
    double level;           /* the level p_walk_beats crosses (0 for the mean) */
    double from, to;
    uint64_t trials, seed;
    wa_method method;
    double confidence;
    int found;              /* 0: no crossing in [from, to] */
    size_t ncrossings;      /* wa_solve_crossing(s, 0 .. ncrossings-1), by value */
    double end_from, end_to; /* the figure (p_walk_beats or mean advantage) at from and to */
    size_t runs;            /* simulations made */
    double elapsed_s;
} wa_solution;

/*
 * Solves: vary is "NAME=FROM:TO" (NAME as for wa_sweep_run), offer an offer's name,
 * target NULL or "c" (p_walk_beats = confidence: walking beats the offer with
 * confidence c), "1-c" (the offer beats walking with confidence c), a level strictly
 * between 0 and 1 ("0.5", "90%"), or "mean" (mean advantage = 0). The range is scanned at
 * 17 evenly spaced values for every change of side, each then bisected to 2^-20 of the
 * range; two crossings closer than a sixteenth of the range may be seen as none. On WA_OK
 * *out owns a new solve (wa_solve_free), found or not. WA_EUSAGE before anything runs for
 * a malformed or misspelt NAME, offer or target (with suggestions); otherwise as wa_run.
 */
WA_API wa_status wa_solve_run(const wa_scenario *sc, const wa_run_options *opt,
                              const char *vary, const char *offer, const char *target,
                              wa_solve **out, wa_diagnostics *diags);
WA_API void wa_solve_free(wa_solve *s);
/* Borrowed from s. */
WA_API const wa_solution *wa_solve_solution(const wa_solve *s);
/* The i-th crossing, lowest value first; NULL out of range. */
WA_API const wa_crossing *wa_solve_crossing(const wa_solve *s, size_t i);

/* Since 1.3: every run the solve made (the scan, then the bisections), lowest value
   first, for drawing the figure against NAME. */
typedef struct wa_solve_eval {
    size_t size;
    double value;   /* NAME's value, in NAME's own units */
    double figure;  /* p_walk_beats, or the mean advantage for target "mean" */
    double ci95[2]; /* the figure's 95% interval */
} wa_solve_eval;

WA_API size_t wa_solve_eval_count(const wa_solve *s);
/* The i-th run by value; NULL out of range. */
WA_API const wa_solve_eval *wa_solve_evaluation(const wa_solve *s, size_t i);

/* ---- reports: what the CLI prints, as library calls ----------------------------------- */

typedef enum wa_format {
    WA_FORMAT_TEXT = 0, /* the readable report */
    WA_FORMAT_JSON = 1, /* SPEC section 4 */
    WA_FORMAT_CSV = 2,  /* one row per (result, offer) */
    WA_FORMAT_MARKDOWN = 3, /* the readable report as Markdown, for memos */
    WA_FORMAT_HTML = 4  /* since 1.3: one self-contained page with charts */
} wa_format;

/* "text", "json", "csv", "markdown", "html"; NULL out of range. */
WA_API const char *wa_format_name(wa_format f);
/* Sets *out to the format named s ("text", "json", "csv"): WA_OK, or WA_EUSAGE when s
   names none (*out is then unchanged). */
WA_API wa_status wa_format_parse(const char *s, wa_format *out);

/* What a report holds. */
typedef enum wa_report_kind {
    WA_REPORT_RUNS = 0,   /* results of wa_run */
    WA_REPORT_SWEEPS = 1, /* wa_sweep_run */
    WA_REPORT_SOLVES = 2  /* wa_solve_run */
} wa_report_kind;

/* A report written item by item, as results become ready: a batch's output streams and
   its memory does not grow with the number of files. */
typedef struct wa_report wa_report;

/* Starts a report of `kind` in format fmt on f (nothing is written before the first item
   or wa_report_close). WA_OK with *out, WA_EUSAGE for a NULL f or an unknown format or
   kind, WA_ENOMEM. WA_FORMAT_HTML (since 1.3): one self-contained page (runs, sweeps or
   solves, with their charts), written whole at wa_report_close
   because it opens with the contents and the answers of every item; until then the
   report keeps the page in memory (well under a megabyte for a file of five variants). */
WA_API wa_status wa_report_open(FILE *f, wa_format fmt, wa_report_kind kind, wa_report **out);
/* Writes one more item; it must be of the report's kind (WA_EUSAGE otherwise, and for a
   sweep whose varied names differ from the first's in CSV). WA_EIO when a write failed
   (errno says why); the report then writes nothing more. */
WA_API wa_status wa_report_add(wa_report *rp, const wa_result *r);
WA_API wa_status wa_report_add_sweep(wa_report *rp, const wa_sweep *s);
WA_API wa_status wa_report_add_solve(wa_report *rp, const wa_solve *s);
/* Ends the document (a JSON document without items is still well-formed) and frees rp,
   whatever happened before; NULL is fine. WA_OK, WA_EIO, or the first error of the
   report's writes. */
WA_API wa_status wa_report_close(wa_report *rp);

/*
 * Writes the report of results r[0..n) (in that order: a file's base run, then its
 * variants, then the next file's...) in format fmt to f, exactly as `walkaway run
 * --format FMT` prints it. n may be 0 (JSON: an empty "results"; CSV: the header alone;
 * text: nothing). Returns WA_OK; WA_EIO when a write failed (errno says why and ferror(f)
 * is set); WA_ENOMEM; WA_EUSAGE for a NULL f, a NULL r with n > 0, a NULL entry or an
 * unknown format. Output does not depend on the locale.
 */
WA_API wa_status wa_report_write(FILE *f, wa_format fmt, const wa_result *const *r, size_t n);

/*
 * The same report into buf: writes at most size bytes including the terminating NUL, like
 * snprintf (buf may be NULL when size is 0), and sets *length (if not NULL) to the length
 * of the whole report, so that a caller can size a buffer with a first call. Returns
 * WA_OK (even when the report was cut to fit), WA_ENOMEM or WA_EUSAGE as above.
 */
WA_API wa_status wa_report_buffer(wa_format fmt, const wa_result *const *r, size_t n,
                                  char *buf, size_t size, size_t *length);

/*
 * The report of sweeps s[0..n), as `walkaway sweep --format FMT` prints it: text, a table
 * per offer (one varied name: a row per value; two: a decision table, rows by columns);
 * JSON, SPEC section 4's "sweeps"; CSV, long (a row per point and offer, a column per
 * varied name; every sweep must vary the same names). Statuses as wa_report_write.
 */
WA_API wa_status wa_report_sweep_write(FILE *f, wa_format fmt, const wa_sweep *const *s,
                                       size_t n);
/* The report of solves s[0..n), as `walkaway solve --format FMT` prints it: text, the
   answer in a sentence with its Monte Carlo interval; JSON, SPEC section 4's "solves";
   CSV, a row per solve. Statuses as wa_report_write. */
WA_API wa_status wa_report_solve_write(FILE *f, wa_format fmt, const wa_solve *const *s,
                                       size_t n);
WA_API wa_status wa_report_solve_buffer(wa_format fmt, const wa_solve *const *s, size_t n,
                                        char *buf, size_t size, size_t *length);
/* The same into buf, as wa_report_buffer. */
WA_API wa_status wa_report_sweep_buffer(wa_format fmt, const wa_sweep *const *s, size_t n,
                                        char *buf, size_t size, size_t *length);

/* ---- charts (since 1.3) ------------------------------------------------------------
 *
 * The charts the HTML report draws for a result, one standalone SVG document each (for
 * slides and memos; `walkaway run --charts DIR`): the S-curves of the walk-away and every
 * offer; per offer the histogram of D, the tornado and the spider; the value of
 * information; with a vendor section, both walk-aways and the settlement range. A chart
 * whose data the run lacks (no_insight) is not among them.
 */

/* How many charts result r has; 0 for NULL. */
WA_API size_t wa_chart_count(const wa_result *r);
/* Chart i's file name, "SCENARIO-VARIANT-OFFER-CHART.svg" (SCENARIO: the file's name
   without folder and extension; VARIANT "base" for the base; OFFER only for the charts of
   one offer; CHART one of scurves, histogram, tornado, spider, evppi, vendor), each part
   lowered to ASCII letters, digits, '.', '_' and '-'. Writes at most size bytes including
   the NUL, like snprintf (buf may be NULL when size is 0), and returns the whole length;
   0 when i is out of range. */
WA_API size_t wa_chart_name(const wa_result *r, size_t i, char *buf, size_t size);
/* Writes chart i to f as a standalone SVG document (its own styles; nothing fetched).
   WA_OK; WA_EUSAGE for a NULL argument or i out of range; WA_EIO when a write failed;
   WA_ENOMEM. */
WA_API wa_status wa_chart_write(FILE *f, const wa_result *r, size_t i);

/* The charts of a sweep (`walkaway sweep --charts DIR`), one per offer: with one varied
   name, P(walk beats) against its values with the 95% band and the verdicts' lines at c
   and 1 - c (and P(deal) with a vendor section); with two, a heat map of P(walk beats)
   over the grid with its c and 1 - c contours (and the cells both sides prefer outlined).
   A sweep of three or more names, or of more points than a chart can show (10,000), has
   none. Named "SCENARIO-VARIANT-OFFER-sweep.svg" or "...-heatmap.svg"; otherwise as the
   calls above. */
WA_API size_t wa_sweep_chart_count(const wa_sweep *s);
WA_API size_t wa_sweep_chart_name(const wa_sweep *s, size_t i, char *buf, size_t size);
WA_API wa_status wa_sweep_chart_write(FILE *f, const wa_sweep *s, size_t i);

/* The chart of a solve: its figure at every run against NAME, with the 95% band, the
   target and each crossing with its interval. One chart, "SCENARIO-VARIANT-OFFER-solve.svg". */
WA_API size_t wa_solve_chart_count(const wa_solve *s);
WA_API size_t wa_solve_chart_name(const wa_solve *s, size_t i, char *buf, size_t size);
WA_API wa_status wa_solve_chart_write(FILE *f, const wa_solve *s, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* WALKAWAY_H */
