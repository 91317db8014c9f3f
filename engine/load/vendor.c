/*
 * vendor.c — the vendor's side of the table (SPEC 1.6): the `vendor` section, and the
 * hidden series that let the simulation compute what each offer and the vendor's own walk
 * are worth to each of the vendor's tables.
 *
 * The vendor sees an offer's items through their copies: the same expressions, the same
 * draws (so the same events happen in the same trials as on the buyer's side), their
 * amount replaced by `vendor_value` where one is given, discounted at the vendor's rate. A
 * table's series holds the items booked as a word it counts. Savings count for the vendor
 * only with a vendor_value, as a cost to it, like concessions. An offer that includes
 * other offers brings their items too (an included alternative is the buyer's own: nothing
 * to the vendor).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"
#include "util/suggest.h"
#include "util/alloc.h"

static const char *booked(const wa_item *it)
{
    return it->more && it->more->booked_as ? it->more->booked_as : "other";
}

static int counts(const wa_vendor_table *t, const wa_item *it)
{
    if (t->all)
        return 1;
    for (size_t j = 0; j < t->ncounts; j++)
        if (!strcmp(t->counts[j], booked(it)))
            return 1;
    return 0;
}

/* One table: {name, counts: all | [word, ...]}. 0, or -1 after reporting. */
static int load_table(builder *b, const yd_node *n, wa_vendor *v, wa_vendor_table *t)
{
    static const char *const keys[] = {"name", "counts"};
    lctx *lc = &b->lc;
    if (!lc_want(lc, NULL, n, YD_MAP, "a vendor table") ||
        lc_check_keys(lc, NULL, n, keys, 2, "a vendor table"))
        return -1;
    const yd_node *name = yd_get(n, "name"), *c = yd_get(n, "counts");
    if (!name || !c) {
        lc_error(lc, NULL, n, "a vendor table needs a 'name' and 'counts' (a list of booked_as "
                              "words, or all)");
        return -1;
    }
    if (!lc_want(lc, NULL, name, YD_SCALAR, "name"))
        return -1;
    if (!name->len) {
        lc_error(lc, NULL, name, "'name' must not be empty");
        return -1;
    }
    for (size_t i = 0; i < v->ntables; i++)
        if (!strcmp(v->tables[i].name, name->str)) {
            lc_error(lc, NULL, name, "duplicate vendor table '%s' (first at line %d)", name->str,
                     v->tables[i].loc.line);
            return -1;
        }
    t->loc = lc_loc(n);
    if (c->kind == YD_SCALAR && !strcmp(c->str, "all")) {
        t->all = 1;
    } else if (c->kind != YD_SEQ) {
        lc_error(lc, NULL, c, "'counts' must be a list of booked_as words, or all");
        return -1;
    } else if (c->n == 0) {
        lc_error(lc, NULL, c, "'counts' needs at least one booked_as word (or all)");
        return -1;
    } else {
        t->counts = wa_calloc(c->n, sizeof *t->counts);
        if (!t->counts) {
            b->oom = 1;
            return -1;
        }
        for (size_t j = 0; j < c->n; j++) {
            if (!lc_want(lc, NULL, yd_val(c, j), YD_SCALAR, "a booked_as word"))
                return -1;
            if (!(t->counts[t->ncounts++] = lc_strdup(yd_val(c, j)->str))) {
                b->oom = 1;
                return -1;
            }
        }
    }
    if (!(t->name = lc_strdup(name->str))) {
        b->oom = 1;
        return -1;
    }
    return 0;
}

/* Whether some item of an offer or of the vendor's walk is booked as word. */
static int word_used(const wa_model *m, const char *word)
{
    for (size_t k = 0; k < m->noffers; k++)
        for (size_t j = 0; j < m->options[k].nitems; j++)
            if (!strcmp(booked(&m->options[k].items[j]), word))
                return 1;
    for (size_t j = 0; j < m->vendor->walk.nitems; j++)
        if (!strcmp(booked(&m->vendor->walk.items[j]), word))
            return 1;
    return 0;
}

void lb_load_vendor(builder *b, const yd_node *root)
{
    static const char *const keys[] = {"name", "discount_rate", "tables", "walk"};
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    const yd_node *n = yd_get(root, "vendor");
    if (!n || !lc_want(lc, NULL, n, YD_MAP, "vendor"))
        return;
    lc_check_keys(lc, NULL, n, keys, 4, "vendor");
    wa_vendor *v = m->vendor = wa_calloc(1, sizeof *v);
    if (!v) {
        b->oom = 1;
        return;
    }
    const yd_node *name = yd_get(n, "name");
    if (name && lc_want(lc, NULL, name, YD_SCALAR, "name") && !name->len)
        lc_error(lc, NULL, name, "'name' must not be empty");
    v->name = lc_strdup(name && name->kind == YD_SCALAR && name->len ? name->str : "vendor");
    v->walk.name = lc_strdup("vendor walk");
    v->walk.vendor_walk = 1;
    if (!v->name || !v->walk.name) {
        b->oom = 1;
        return;
    }
    v->discount_rate = m->discount_rate;
    const yd_node *r = yd_get(n, "discount_rate");
    double x;
    if (r && lc_const(lc, NULL, r, "discount_rate", &x) == 0) {
        char w[160];
        if (x <= -1)
            lc_error(lc, NULL, r, "discount_rate must be above -100%%, not %s",
                     lc_written(r, x, w, sizeof w));
        else
            v->discount_rate = x;
    }

    const yd_node *tl = yd_get(n, "tables");
    if (tl && lc_want(lc, NULL, tl, YD_SEQ, "tables")) {
        if (tl->n == 0)
            lc_error(lc, NULL, tl, "'tables' needs at least one table (or leave it out: one "
                                   "table that counts every item)");
        v->tables = wa_calloc(tl->n ? tl->n : 1, sizeof *v->tables);
        if (!v->tables) {
            b->oom = 1;
            return;
        }
        for (size_t i = 0; i < tl->n; i++) {
            wa_vendor_table *t = &v->tables[v->ntables];
            if (load_table(b, yd_val(tl, i), v, t) == 0) {
                v->ntables++;
                continue;
            }
            /* a table in error keeps nothing it had allocated */
            for (size_t j = 0; j < t->ncounts; j++)
                wa_free(t->counts[j]);
            wa_free(t->counts);
            wa_free(t->name);
            memset(t, 0, sizeof *t);
            if (b->oom)
                return;
        }
    } else if (!tl) { /* one table that counts every item */
        v->tables = wa_calloc(1, sizeof *v->tables);
        if (!v->tables || !(v->tables[0].name = lc_strdup(v->name))) {
            b->oom = 1;
            return;
        }
        v->tables[0].all = 1;
        v->tables[0].loc = lc_loc(n);
        v->ntables = 1;
    }

    static const char *const wkeys[] = {"revenue", "costs"};
    const yd_node *w = yd_get(n, "walk");
    if (w && lc_want(lc, NULL, w, YD_MAP, "walk") &&
        !lc_check_keys(lc, NULL, w, wkeys, 2, "the vendor's walk")) {
        wa_name_slots_free(&b->labels); /* labels are unique within the walk */
        lb_load_items(b, yd_get(w, "revenue"), "revenue", &v->walk, +1);
        lb_load_items(b, yd_get(w, "costs"), "costs", &v->walk, -1);
    }

    /* SPEC 1.6: a table counting a word no item is booked as is a warning (once: on the
       base scenario, not again for each variant) */
    for (size_t t = 0; !b->variant && !lc->nerr && t < v->ntables; t++)
        for (size_t j = 0; j < v->tables[t].ncounts; j++)
            if (!word_used(m, v->tables[t].counts[j]))
                lc_warning(lc, NULL, yd_val(yd_get(yd_val(tl, t), "counts"), j),
                           "vendor table '%s' counts '%s', which no item is booked_as: it "
                           "adds nothing to the table",
                           v->tables[t].name, v->tables[t].counts[j]);
}

/* A copy of item src in a hidden series, discounted at rate: amount its vendor_value when
   use_value. The copy reports its non-finite values only when no other copy does. */
static int copy_item(builder *b, wa_item *dst, wa_item *src, double rate, int use_value)
{
    *dst = *src;
    if (src->nflows > 1 &&
        !(dst->disc.many = wa_malloc((size_t)src->nflows * sizeof *dst->disc.many))) {
        b->oom = 1;
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    if (use_value && src->has_vendor_value) {
        dst->amount = src->more->vendor_value;
        dst->borrowed = src->vendor_reported ? 3 : 2;
    } else {
        dst->borrowed = src->vendor_reported || src->buyer_item ? 3 : 1;
    }
    src->vendor_reported = 1;
    dst->has_vendor_value = 0;
    lb_setup_flows(dst, rate);
    return 0;
}

/* A new hidden option named name (copied); NULL when out of memory. */
static wa_option *hidden(builder *b, const char *name)
{
    wa_model *m = b->m;
    wa_option *v = wa_realloc(m->options, (wa_model_nseries(m) + 1) * sizeof *v);
    if (!v) {
        b->oom = 1;
        return NULL;
    }
    m->options = v;
    wa_option *o = &m->options[wa_model_nseries(m)];
    memset(o, 0, sizeof *o);
    m->nhidden++;
    if (!(o->name = lc_strdup(name))) {
        b->oom = 1;
        return NULL;
    }
    return o;
}

static int add_item(builder *b, size_t h, wa_item *src, double rate, int use_value)
{
    wa_option *o = &b->m->options[h];
    wa_item *v = wa_realloc(o->items, (o->nitems + 1) * sizeof *v);
    if (!v) {
        b->oom = 1;
        return -1;
    }
    o->items = v;
    if (copy_item(b, &o->items[o->nitems], src, rate, use_value))
        return -1;
    o->nitems++;
    return 0;
}

/* Offer k's items that table t (NULL: every item) counts, with those of the offers it
   includes, into hidden option h. */
static int add_offer(builder *b, size_t h, size_t k, const wa_vendor_table *t)
{
    wa_model *m = b->m;
    for (size_t j = 0; j < m->options[k].nitems; j++) {
        wa_item *it = &m->options[k].items[j];
        if ((t && !counts(t, it)) || (it->is_saving && !it->has_vendor_value))
            continue;
        if (add_item(b, h, it, m->vendor->discount_rate, 1))
            return -1;
    }
    for (size_t i = 0; i < m->options[k].nincludes; i++) {
        size_t j = m->options[k].includes[i];
        if (j < m->noffers && add_offer(b, h, j, t))
            return -1;
    }
    return 0;
}

void lb_vendor_series(builder *b)
{
    wa_model *m = b->m;
    wa_vendor *v = m->vendor;
    if (!v || b->oom || b->lc.nerr)
        return;
    size_t nt = v->ntables;
    v->offer_series = wa_calloc(m->noffers * nt + 1, sizeof *v->offer_series);
    v->walk_series = wa_calloc(nt + 1, sizeof *v->walk_series);
    v->offer_all = wa_calloc(m->noffers + 1, sizeof *v->offer_all);
    if (!v->offer_series || !v->walk_series || !v->offer_all) {
        b->oom = 1;
        return;
    }
    /* the buyer's own items report their values; copies of them only a vendor_value */
    for (size_t k = 0; k < m->noptions; k++)
        for (size_t j = 0; j < m->options[k].nitems; j++)
            m->options[k].items[j].buyer_item = 1;
    for (size_t k = 0; k < m->noffers; k++) {
        size_t h = wa_model_nseries(m);
        if (!hidden(b, m->options[k].name) || add_offer(b, h, k, NULL))
            return;
        v->offer_all[k] = h;
        for (size_t t = 0; t < nt; t++) {
            if (v->tables[t].all) {
                v->offer_series[k * nt + t] = h;
                continue;
            }
            size_t ht = wa_model_nseries(m);
            if (!hidden(b, m->options[k].name) || add_offer(b, ht, k, &v->tables[t]))
                return;
            v->offer_series[k * nt + t] = ht;
        }
    }
    size_t h = wa_model_nseries(m);
    if (!hidden(b, v->walk.name))
        return;
    for (size_t j = 0; j < v->walk.nitems; j++)
        if (add_item(b, h, &v->walk.items[j], v->discount_rate, 0))
            return;
    v->walk_all = h;
    for (size_t t = 0; t < nt; t++) {
        if (v->tables[t].all) {
            v->walk_series[t] = h;
            continue;
        }
        size_t ht = wa_model_nseries(m);
        if (!hidden(b, v->walk.name))
            return;
        for (size_t j = 0; j < v->walk.nitems; j++)
            if (counts(&v->tables[t], &v->walk.items[j]) &&
                add_item(b, ht, &v->walk.items[j], v->discount_rate, 0))
                return;
        v->walk_series[t] = ht;
    }
}
