/*
 * run.h — what the run stage shares with the studies built on it (study/): the caller's
 * options read by their size, and a run in its steps (plan, simulate, summarise), so that
 * a study can simulate only what a what-if changes.
 */
#ifndef WA_RUN_H
#define WA_RUN_H

#include "walkaway.h"

/* The caller's options read into this version's struct: the fields within opt->size, the
   defaults for the rest (opt NULL: all defaults). WA_EUSAGE, with a diagnostic, for a
   size no version ever had. */
wa_status wa_run_options_read(const wa_run_options *opt, wa_run_options *o, wa_diagnostics *d);

/* The --set changes parsed (run.c). */
typedef struct sets {
    struct wa_source **src;
    struct yd_doc **doc;
    struct wa_override *ov;
    size_t n;
    char *label; /* "name=value, ..." for the summary's variant field */
} sets;

/* A run set up and checked, before anything is simulated: the options read, the model to
   run (the base's, a variant's, or one built for --set changes and owned here), the
   figures the run takes from the options or the scenario, and its label. */
typedef struct wa_run_plan {
    const struct wa_scenario *sc;
    wa_run_options o;
    const struct wa_model *m;
    struct wa_model *own;
    sets ss;
    int has_sets;
    uint64_t trials, seed;
    wa_method method;
    unsigned replicates; /* sobol: simulation.replicates (else 0) */
    double conf;
    int threads;
    char *label;  /* the result's variant: NULL for the base */
    char **value_sets; /* o.values as "NAME=VALUE" (%.17g: exact), after o.sets */
    const char **all_sets;
} wa_run_plan;

/* Reads and checks opt against sc and builds what --set changes need. WA_OK, or the
   status of the first problem (with its diagnostics); *p needs wa_run_plan_free either
   way (it is a no-op after a failure). */
wa_status wa_run_plan_make(const struct wa_scenario *sc, const wa_run_options *opt,
                           wa_run_plan *p, wa_diagnostics *d);
void wa_run_plan_free(wa_run_plan *p);

/* One per-trial array per option of the plan's model, for its trials (within the memory
   budget); pv must hold noptions NULLs. Free each with wa_big_free. */
wa_status wa_run_plan_alloc(const wa_run_plan *p, double **pv, wa_diagnostics *d);

/* Simulates all the plan's trials (no precision rounds) into pv: every option, or only
   those with options[o] != 0, with workspaces from pool or (NULL) its own (simulate.h). */
struct wa_sim_pool;
wa_status wa_run_plan_simulate(const wa_run_plan *p, const unsigned char *options,
                               double *const *pv, struct wa_sim_pool *pool, wa_diagnostics *d);

/* The plan's result from the trials tr, with the model's warnings and extra_warning (may
   be NULL). reuse and same as wa_summarise: figures of series that same[] marks unchanged
   are copied from reuse. NULL when out of memory, or when regenerated trials could not be
   had (tr->st then says why, with its diagnostic). */
struct wa_trials;
wa_result *wa_run_plan_summarise(const wa_run_plan *p, struct wa_trials *tr,
                                 const char *extra_warning, const wa_result *reuse,
                                 const unsigned char *same);

/* Adds the insight (insight.h) to r, summarised from the trials tr; 0, or -1 when out of
   memory (or tr->st as above). Every result handed to a caller has it but a study's
   points (sweep, solve), which report none of it. */
int wa_run_plan_insight(const wa_run_plan *p, struct wa_trials *tr, wa_result *r);

/* Whether `copies` sets of the plan's per-trial arrays fit the memory budget
   (wa_run_options.memory). */
int wa_run_plan_fits(const wa_run_plan *p, double copies);

/* The plan's whole result, simulated and summarised: held in memory within the budget,
   else window by window (simulate/trials.h), with the same bits. rounds: precision
   stopping (simulation.precision) as a run does it; insight: with the insight. The
   elapsed time is left to the caller. */
wa_status wa_run_plan_result(const wa_run_plan *p, int rounds, int insight, wa_result **out,
                             wa_diagnostics *d);

#endif
