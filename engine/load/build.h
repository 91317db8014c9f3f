/*
 * build.h — what the model builder's files share (load/model.c: inputs, economics and the
 * whole; load/items.c: options, their items and includes, the walk rule): the builder's
 * state and the helpers each side calls.
 */
#ifndef WA_BUILD_H
#define WA_BUILD_H

#include "load/loader.h"
#include "load/model.h"
#include "util/names.h"

/* One per declared input, so kept small (20 bytes): a file may declare a million. Its name
   and definition are read from the inputs mapping (def_key, def_node in model.c): entry i
   of b->inputs, or the value of the override that replaces it. */
typedef struct def {
    uint32_t dep0, ndeps; /* its dependencies: b->deps[dep0 .. dep0 + ndeps) */
    uint32_t input;       /* index in m->inputs once resolved */
    uint32_t ov;          /* 0, or 1 + the index in b->ovs of the override that replaces it */
    unsigned char state;  /* 0 new, 1 on the DFS stack, 2 resolved */
    unsigned char bad;
} def;

typedef struct builder {
    lctx lc;
    wa_model *m;
    def *defs;
    size_t ndefs;
    const yd_node *inputs;    /* the inputs mapping: def i is its entry i */
    const wa_override *ovs;   /* the variant's or --set's replacements */
    uint32_t *deps;           /* every def's dependencies, def after def */
    size_t ndeps, cap_deps;
    const char **names; /* def names, for suggestions: listed when first needed */
    wa_name_slots def_index; /* def name -> its index in defs */
    wa_name_slots labels; /* the labels of the option being loaded -> their item's index
                             (lb_item_label reads them) */
    size_t cap_inputs;
    int oom;
    int variant;        /* building a variant or --set changes, not the base scenario */
    const yd_node *root;
    const yd_node *currencies; /* the `currencies` map once checked, or NULL */
    unsigned char *bad_currency; /* per entry: its rate did not compile (reported) */
    /* overrides of an item's inline distribution ("option/label"), matched by the items */
    const wa_override **inl;
    unsigned char *inl_used;
    size_t ninl;
} builder;

/* model.c: a new input at the end of m->inputs (zeroed, slot -1), NULL on OOM, its name
   borrowed (text of the scenario's tree, which outlives every model built from it) or
   copied into the model's pool; a column
   slot for it; a distribution from a mapping (0, or -1 after reporting). */
wa_input *lb_new_input(builder *b, const char *name, int borrow);
void lb_give_slot(wa_model *m, wa_input *in);
int lb_make_dist(builder *b, const wa_source *src, const yd_node *n, const char *owner,
                 wa_dist *out);

/* items.c: a hidden or anonymous sampled input made by the loader (its slot, or -1); the
   offers or the alternatives of the root; the options' includes; the walk rule; the
   overrides that named nothing. */
int lb_anon_input(builder *b, const char *name, wa_dist *d, int hidden);
int lb_load_options(builder *b, const yd_node *root, const char *key, int is_offer);
void lb_load_includes(builder *b);
void lb_load_walk(builder *b, const yd_node *root);
void lb_units_series(builder *b);
/* items.c: the items of list (key "costs", "savings", ...) appended to opt with sign; an
   item's discount factors at rate. vendor.c: the vendor section and its hidden series. */
int lb_load_items(builder *b, const yd_node *list, const char *key, wa_option *opt, int sign);
void lb_setup_flows(wa_item *it, double rate);
/* items.c: the label of item pos of the option ctx (a wa_option), for b->labels. */
const char *lb_item_label(const void *ctx, size_t pos);
void lb_load_vendor(builder *b, const yd_node *root);
void lb_vendor_series(builder *b);
void lb_unused_overrides(builder *b);

#endif
