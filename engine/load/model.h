/*
 * model.h — a compiled scenario: what the loader builds and the engine reads.
 *
 * A wa_model is one fully resolved variant of a scenario: its inputs in an order where
 * every input comes after those it depends on, every expression compiled against that
 * order, every constant folded, every year checked. It is immutable once built and shared
 * by all threads. The scenario (wa_scenario) keeps the source and its YAML tree so that
 * variants and ad-hoc `--set` changes are built the same way as the base.
 *
 * Slots: each input that varies by trial (sampled, or derived from a sampled one) owns a
 * column slot; constants are folded into the programs and own none.
 */
#ifndef WA_MODEL_H
#define WA_MODEL_H

#include <stdint.h>

#include "sample/correlate.h"
#include "sample/dist.h"
#include "expr/expr.h"
#include "load/located.h"
#include "util/strpool.h"
#include "walkaway.h"

/* WA_IN_YEARLY: a derived input that depends on the year t (directly or through another
   such input): it has no column; an item that reads it compiles its expression in place,
   evaluated at each cash flow's year (SPEC 1.1, Time). */
typedef enum wa_input_kind { WA_IN_CONST, WA_IN_DERIVED, WA_IN_SAMPLED, WA_IN_YEARLY } wa_input_kind;

/* One per input, so kept small: a file may declare a million. */
/* A derived or per-year input's definition, apart from the input so that the many
   constants and sampled inputs of a large file do not carry it. */
typedef struct wa_formula {
    wa_expr expr;                  /* WA_IN_DERIVED; WA_IN_YEARLY: its text and place only */
    struct ex_ast *ast;            /* WA_IN_YEARLY: the expression and its bindings */
    struct ex_binding *binds;
} wa_formula;

/* 48 bytes: a file may declare a million inputs. A sampled input's random stream is keyed
   by wa_stream_key(name), worked out when it is drawn. */
typedef struct wa_input {
    const char *name; /* a declared input's: its key's text in the scenario's kept YAML
                         tree; a hidden one's: in the model's pool of names */
    double value;   /* WA_IN_CONST */
    wa_formula *formula; /* WA_IN_DERIVED and WA_IN_YEARLY (owned), else NULL */
    wa_dist *dist;  /* WA_IN_SAMPLED (owned), else NULL: a pointer, not a member, so that
                       an input that is not sampled (most of a large file's) does not
                       carry a distribution's 160 bytes */
    int slot;       /* column slot, -1 for constants */
    unsigned dim;   /* WA_IN_SAMPLED: Sobol' dimension, the name's (wa_model_assign_dims) */
    unsigned char kind;     /* a wa_input_kind */
    unsigned char hidden;   /* made by the loader, not the user's: 1 an item's probability,
                               2 one year's draw of an input drawn per year */
    unsigned char per_year; /* WA_IN_YEARLY drawn afresh every year (`per: year`): its
                               years' draws are the hidden inputs NAME@0 ... NAME@horizon */
} wa_input;

/* What few items have: behind one pointer, made only for an item that has any of it, so
   that the item of a large file (a label, an amount, a year) stays small. */
typedef struct wa_item_more {
    wa_expr growth;       /* has_growth */
    wa_expr prob;         /* has_prob */
    wa_expr year;         /* has_year */
    wa_expr rate;         /* has_rate */
    wa_expr vendor_value; /* has_vendor_value */
    char *booked_as;      /* how the vendor books it; NULL: "other" */
} wa_item_more;

/* One per item, so kept small (120 bytes): a file may list hundreds of thousands. Its
   label and its expressions' texts are in the model's pool of texts. */
typedef struct wa_item {
    const char *label;
    wa_loc loc;
    wa_expr amount;    /* prog NULL: the amount is a number, amount_value (no program) */
    double amount_value;
    double first;      /* year of the first cash flow */
    double factor;     /* amount and growth constant in t, growth constant:
                          sum_k (1+g)^k disc[k]; otherwise unused */
    double discount_rate; /* the rate its flows are discounted at (the vendor's in the
                             vendor's series) */
    union {            /* per flow k: (1 + discount_rate)^-(first + k) (wa_item_disc) */
        double one;    /* nflows <= 1: in the item, not a malloc of 8 bytes */
        double *many;  /* nflows > 1 */
    } disc;
    wa_item_more *more; /* NULL when it has none of it; a copy shares the original's */
    int nflows;        /* 1 for `year`, last - first + 1 for `years` */
    int happens_slot;  /* `probability`: the slot of the item's bernoulli (a constant p),
                          or of its uniform u (has_prob: the cash flow at year t happens
                          when u > 1 - p(t)); -1 without a probability */
    signed char sign;  /* +1 cost, -1 concession or saving */
    unsigned char has_growth;
    unsigned char has_prob;   /* an uncertain or per-year probability */
    unsigned char has_year;   /* an uncertain `year`: one cash flow, discounted at the year
                                 each trial draws (nflows 1, first 0, disc unused) */
    unsigned char has_rate;   /* `currency`: the amount times the currency's rate into the
                                 report's currency, at the cash flow's year (SPEC 1.4) */
    /* the vendor's side (SPEC 1.6) */
    unsigned char has_vendor_value; /* what one cash flow is worth to the vendor, when not
                                       the amount */
    unsigned char is_saving;  /* a buyer's saving: nothing to the vendor without
                                 vendor_value */
    unsigned char borrowed;   /* 0: owns its expressions; else a copy in a hidden series:
                                 1 reports its non-finite values, 2 only its amount's (a
                                 vendor_value), 3 none (another copy does) */
    unsigned char buyer_item, vendor_reported; /* while the vendor's copies are made
                                                  (vendor.c) */
} wa_item;

/* The item's nflows discount factors. */
static inline double *wa_item_disc(wa_item *it)
{
    return it->nflows > 1 ? it->disc.many : &it->disc.one;
}
static inline const double *wa_item_cdisc(const wa_item *it)
{
    return it->nflows > 1 ? it->disc.many : &it->disc.one;
}

typedef struct wa_option {
    char *name;
    char *description;
    wa_loc loc;
    int is_offer;
    int vendor_walk;    /* the vendor section's walk (its items may be booked_as) */
    int is_units;       /* a hidden option holding an offer's units (positive in every trial) */
    wa_item *items;
    size_t nitems;
    int has_units;      /* an offer's `price_units`: its label and the PV of the units */
    char *units_label;
    double units_pv;    /* the units' PV when the same in every trial, else NaN */
    size_t units_series; /* else the hidden option (index >= noptions) whose PV is U */
    wa_expr units_count; /* while the model is built: a count that varies by trial */
    double units_first;
    int units_nflows;
    size_t *includes;   /* options whose PV this one adds, trial by trial (SPEC 1.4) */
    size_t nincludes;
    const struct yd_node *includes_node; /* while the model is built */
} wa_option;

/* One table of the vendor's side: who must say yes, and the items it counts. */
typedef struct wa_vendor_table {
    char *name;
    wa_loc loc;
    int all;            /* counts every item */
    char **counts;      /* else the booked_as words it counts */
    size_t ncounts;
} wa_vendor_table;

/* The vendor section (SPEC 1.6). Its walk's items are simulated through hidden series
   that copy them, as are the offers' items seen by the vendor: per offer and table, the
   PV to the vendor of the items the table counts (discounted at the vendor's rate). */
typedef struct wa_vendor {
    char *name;
    double discount_rate;
    wa_vendor_table *tables;
    size_t ntables;
    wa_option walk;        /* revenue (+1) then costs (-1); owns the items' expressions */
    size_t *offer_series;  /* [k * ntables + t]: offer k as table t counts it */
    size_t *walk_series;   /* [t]: the vendor's walk as table t counts it */
    size_t *offer_all;     /* [k]: offer k counting every item */
    size_t walk_all;       /* R: the vendor's walk counting every item */
} wa_vendor;

typedef enum wa_walk_rule { WA_WALK_NAMED, WA_WALK_BEST, WA_WALK_ONLY } wa_walk_rule;

/* A correlated input of the base that this model does not sample (a variant pinned it or
   derived it from others): the copula still draws its column, from the input's own stream
   and dimension, so that every other correlated input keeps its draws. */
typedef struct wa_ghost {
    char *name;
    uint64_t key;
    unsigned dim;
    int slot;      /* a column of its own, read by the copula only */
} wa_ghost;

typedef struct wa_model {
    wa_input *inputs;     /* in dependency order */
    wa_strpool names;     /* the inputs' names */
    wa_strpool texts;     /* the items' labels and their expressions' texts */
    size_t ninputs;
    size_t nslots;
    size_t *slot_input;   /* slot -> index in inputs (ninputs for a ghost's slot) */
    wa_option *options;   /* offers first, then alternatives, each in file order, then
                             nhidden hidden options (simulated, never reported):
                             the units of the offers whose price_units count varies by
                             trial, then the vendor's series */
    size_t noptions, noffers, nhidden;
    size_t *include_order; /* the options with includes, each after those it includes */
    size_t ninclude_order;
    wa_walk_rule walk_rule;
    size_t walk;          /* WA_WALK_NAMED/ONLY: index of the alternative (0-based among
                             alternatives) */
    int horizon;
    double discount_rate;
    int has_risk_tolerance;
    double risk_tolerance;
    size_t workspace;     /* doubles of expression workspace per trial (max over programs) */
    size_t nexprs;        /* expressions checked for finiteness, numbered in expr_id order */
    wa_corr_plan corr;    /* the Gaussian copula (correlate.h); corr.k == 0: none */
    int *corr_slots;      /* the column slot of each correlated input, in plan order */
    char **corr_names;    /* their names, in plan order */
    size_t ncorr_names;   /* corr.k once the plan is made */
    double *corr_rho;     /* the base's k x k matrix handed to the plan (ties solved for)
                             when the plan repaired it; NULL when the plan's spearman_used
                             is that matrix, and in a variant's model */
    wa_ghost *ghosts;     /* correlated inputs of the base not sampled here */
    size_t nghosts;
    char *corr_warning;   /* the repair warning showing both matrices, or NULL */
    char *per_year_note;  /* the inputs drawn per year, which the insight leaves out */
    char *corr_note;      /* the pairs whose target ties make unreachable, or NULL */
    wa_vendor *vendor;    /* the vendor's side, or NULL */
} wa_model;

void wa_model_free(wa_model *m);
/* Frees what an item owns (a copy in a hidden series owns its discount factors only; the
   texts are the model's). */
void wa_item_clear(wa_item *it);

/* Input in described as the reports show it (kind, distribution or expression, value,
   p10/p50/p90 of a sampled one); its strings are borrowed from in. */
void wa_input_describe(const wa_input *in, wa_input_summary *e);

/* The series a simulation computes: the options, then the hidden units. */
static inline size_t wa_model_nseries(const wa_model *m) { return m->noptions + m->nhidden; }

/* Simulation settings shared by all variants. */
typedef struct wa_settings {
    uint64_t trials;
    uint64_t seed;
    wa_method method;
    double confidence;
    unsigned replicates; /* sobol's independent randomisations (SPEC 5) */
    int has_precision;
    double precision;
    int strict;
} wa_settings;

/* A correlation entry as written (applied by the sampling stage). The names are
   borrowed: the base model's (its pool of names), or the YAML tree's when the inputs are
   in error; both live as long as the scenario. */
typedef struct wa_corr {
    const char *a, *b;
    double rho;
    wa_loc loc;
} wa_corr;

struct yd_node;
struct yd_doc;

typedef struct wa_variant {
    char *name;
    wa_loc loc;
    const struct yd_node *set; /* the `set` mapping; its model is built when it runs */
} wa_variant;

struct wa_scenario {
    struct wa_source *src;
    struct yd_doc *doc;
    char *name;
    char *description;
    char *currency;
    wa_settings settings;
    wa_corr *corrs;
    size_t ncorrs;
    wa_model *base;
    wa_variant *variants;
    size_t nvariants;
    /* per declared input: wa_scenario_input_info, made when first asked for */
    struct wa_input_summary *_Atomic input_info;
};

/* One replacement of an input's definition: a variant's `set` entry or a --set. */
typedef struct wa_override {
    const char *name;
    const struct yd_node *value;
    const struct wa_source *src; /* where value was written (for messages) */
    wa_loc loc;                  /* where the name was written */
} wa_override;

/* Attaches the correlations to the base model (load/correlations.c): finds the correlated
   sampled inputs, prepares the copula and, when the matrix had to be repaired, a warning
   with both matrices (an error under strict). Returns WA_OK, WA_EINVALID or WA_ENOMEM. */
wa_status wa_model_correlate(wa_model *m, const struct wa_source *src, const wa_corr *corrs,
                             size_t ncorrs, int strict, wa_diagnostics *d);

/* Gives a variant's (or a --set) model the base's copula, unchanged (SPEC 1.5): the same
   correlated names in the same order and the same matrix, so that every input keeps the
   draws it has in the base. A correlated input the variant pinned or derived becomes a
   ghost column. Call before wa_model_assign_dims. Returns WA_OK or WA_ENOMEM. */
wa_status wa_model_share_copula(wa_model *m, const wa_model *base);

/* Sobol' dimensions by name (SPEC 1.5: never by position): with base NULL, m is the base
   and its sampled inputs take 0, 1, ... in model order; otherwise each sampled input and
   ghost takes the dimension its name has in the base, and a name the base does not sample
   takes the next one past the base's, in model order. Returns one past the largest
   dimension used (0 when nothing is sampled). */
unsigned wa_model_assign_dims(wa_model *m, const wa_model *base);

/* Which options of b compute, bit for bit, what the same option of a computes (two models
   of one scenario: a base and a what-if; load/compare.c): same[o] = 1 or 0 for every
   option. Returns 0, or -1 when out of memory or the models do not have the same options
   (then nothing is known to be the same). */
int wa_model_options_same(const wa_model *a, const wa_model *b, unsigned char *same);

/* For every slot of b, the slot of a that holds the very same column (the input of the
   same name, provably the same: load/compare.c), or -1. Returns 0, or -1 when out of
   memory. */
int wa_model_slot_map(const wa_model *a, const wa_model *b, int *map);

/* What wa_model_build makes. */
typedef enum wa_build {
    WA_BUILD_FULL,        /* a model to run, quantile tables included */
    WA_BUILD_CHECK,       /* every check, no quantile tables: a model to check and free */
    WA_BUILD_CHECK_INPUTS /* the inputs' checks only: enough when the overrides change
                             nothing the options can see (scenario.c says when) */
} wa_build;

/* Builds the model of the scenario's root with the given overrides; the quantile tables
   of inputs whose distribution is the same as in share (may be NULL) are copied from it
   rather than built (mode WA_BUILD_FULL). Every problem goes to d; returns WA_OK with
   *out, or WA_EINVALID / WA_ENOMEM with *out NULL. */
wa_status wa_model_build(const struct wa_source *src, const struct yd_node *root,
                         const wa_override *ov, size_t nov, const wa_model *share,
                         wa_build mode, wa_model **out, wa_diagnostics *d);

#endif
