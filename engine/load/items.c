/*
 * items.c — the options of a scenario (SPEC 1.4): offers and alternatives with their
 * costs, concessions and savings, each item's amount, timing, growth, probability and
 * currency, the options' includes, and the walk rule.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"
#include "sample/block.h"
#include "sample/rng.h"
#include "util/suggest.h"
#include "util/alloc.h"

/* The item's rarely used part, made when first needed; NULL when out of memory. */
static wa_item_more *more(builder *b, wa_item *it)
{
    if (!it->more && !(it->more = wa_calloc(1, sizeof *it->more)))
        b->oom = 1;
    return it->more;
}

/* An item's `currency`: the report's own needs nothing; another takes its rate from the
   top-level `currencies` (a constant, uncertain or per-year expression, compiled for the
   item). 0, or -1 after reporting. */
static int item_currency(builder *b, wa_item *it, const wa_option *opt, const yd_node *cur)
{
    lctx *lc = &b->lc;
    if (!lc_want(lc, NULL, cur, YD_SCALAR, "currency"))
        return -1;
    const yd_node *rc = yd_get(b->root, "currency");
    const char *own = rc && rc->kind == YD_SCALAR ? rc->str : "USD";
    if (!strcmp(cur->str, own))
        return 0;
    const yd_node *cs = b->currencies;
    for (size_t i = 0; cs && i < cs->n; i++) {
        if (strcmp(yd_key(cs, i)->str, cur->str))
            continue;
        if (b->bad_currency[i])
            return -1; /* reported at the rate */
        if (!more(b, it))
            return -1;
        if (lc_compile(lc, NULL, yd_val(cs, i), "a currency's rate", 1, &it->more->rate))
            return -1;
        it->has_rate = 1;
        return 0;
    }
    const char **names = wa_calloc(cs ? cs->n + 1 : 1, sizeof *names);
    size_t nn = 0;
    for (size_t i = 0; names && cs && i < cs->n; i++)
        names[nn++] = yd_key(cs, i)->str;
    const char *s = names ? wa_suggest(cur->str, cur->len, names, nn) : NULL;
    if (s)
        lc_error(lc, NULL, cur, "'%s' of '%s' is in %s, which has no rate under 'currencies'; did you mean '%s'?",
                 it->label, opt->name, cur->str, s);
    else
        lc_error(lc, NULL, cur,
                 "'%s' of '%s' is in %s, which has no rate: add it under 'currencies' (%s: the "
                 "rate into %s)",
                 it->label, opt->name, cur->str, cur->str, own);
    wa_free(names);
    return -1;
}

/* The override of option opt's item `label`'s inline distribution ("option/label"), marked
   used; NULL when there is none. */
static const wa_override *inline_override(builder *b, const wa_option *opt, const char *label)
{
    size_t no = strlen(opt->name);
    for (size_t i = 0; i < b->ninl; i++) {
        const char *nm = b->inl[i]->name;
        if (!strncmp(nm, opt->name, no) && nm[no] == '/' && !strcmp(nm + no + 1, label)) {
            b->inl_used[i] = 1;
            return b->inl[i];
        }
    }
    return NULL;
}

/* Overrides that named no input and no item's inline distribution. */
void lb_unused_overrides(builder *b)
{
    for (size_t i = 0; i < b->ninl; i++) {
        if (b->inl_used[i])
            continue;
        const wa_override *ov = b->inl[i];
        lc_error_at(&b->lc, ov->src, ov->loc.line, ov->loc.col,
                    "cannot set '%s': there is no such input, nor an item with an inline "
                    "distribution so named (option/label)",
                    ov->name);
    }
}

/* ---- options and items -------------------------------------------------------------- */

/* A hidden or anonymous sampled input made by the loader; returns its slot or -1. */
int lb_anon_input(builder *b, const char *name, wa_dist *d, int hidden)
{
    wa_dist *dist = wa_malloc(sizeof *dist);
    wa_input *in = dist ? lb_new_input(b, name, 0) : NULL;
    if (!in) {
        b->oom = 1;
        wa_dist_free(d);
        wa_free(dist);
        return -1;
    }
    *dist = *d;
    in->kind = WA_IN_SAMPLED;
    in->dist = dist;
    in->hidden = hidden;
    lb_give_slot(b->m, in);
    return in->slot;
}

/* An expression reading one slot: what an inline distribution amount compiles to. */
static int slot_expr(builder *b, const char *name, wa_loc loc, int slot, wa_expr *e)
{
    ex_error err;
    memset(e, 0, sizeof *e);
    ex_ast *ast = ex_parse("x", 1, &err);
    ex_binding bind = {0, 0, slot, NULL, NULL};
    if (ast)
        e->prog = ex_compile(ast, &bind, 1, &err);
    ex_ast_free(ast);
    e->text = lc_strdup(name);
    e->loc = loc;
    e->src = b->lc.src;
    if (!e->prog || !e->text) {
        wa_expr_clear(e);
        b->oom = 1;
        return -1;
    }
    return 0;
}

void lb_setup_flows(wa_item *it, double rate)
{
    double *disc = wa_item_disc(it);
    it->discount_rate = rate;
    for (int k = 0; k < it->nflows; k++)
        disc[k] = pow(1 + rate, -(it->first + k));
    it->factor = 0;
    double g = 0;
    if (it->has_growth && !ex_prog_const(it->more->growth.prog, &g))
        return; /* uncertain growth: summed per trial */
    double gk = 1;
    for (int k = 0; k < it->nflows; k++) {
        it->factor += gk * disc[k];
        gk *= 1 + g;
    }
}

/* Room for the item's discount factors: an array when it has more than one (0, or -1
   when out of memory). */
static int alloc_disc(builder *b, wa_item *it)
{
    if (it->nflows > 1 && !(it->disc.many = wa_malloc((size_t)it->nflows * sizeof *it->disc.many))) {
        b->oom = 1;
        return -1;
    }
    return 0;
}

/* An item's `booked_as` and `vendor_value` (SPEC 1.6): on an offer's items (both) and
   the vendor walk's (booked_as); an alternative's items are the buyer's own. 0, or -1
   after reporting. */
static int vendor_keys(builder *b, const yd_node *n, const wa_option *opt, wa_item *it)
{
    lctx *lc = &b->lc;
    const yd_node *bk = yd_get(n, "booked_as"), *vv = yd_get(n, "vendor_value");
    int rc = 0;
    if (bk && !opt->is_offer && !opt->vendor_walk) {
        lc_error(lc, NULL, bk, "booked_as belongs to an offer's items and the vendor's walk: "
                               "'%s' is an alternative, the buyer's own", opt->name);
        rc = -1;
    } else if (bk && (!lc_want(lc, NULL, bk, YD_SCALAR, "booked_as") || !bk->len)) {
        if (bk->kind == YD_SCALAR)
            lc_error(lc, NULL, bk, "'booked_as' must not be empty");
        rc = -1;
    } else if (bk && (!more(b, it) || !(it->more->booked_as = lc_strdup(bk->str)))) {
        b->oom = 1;
        return -1;
    }
    if (vv && !opt->is_offer) {
        lc_error(lc, NULL, vv, "vendor_value belongs to an offer's items: what one of its cash "
                               "flows is worth to the vendor");
        rc = -1;
    } else if (vv && vv->kind == YD_MAP) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s/vendor_value", opt->name, it->label);
        wa_dist d;
        int slot = -1;
        if (!more(b, it) || lb_make_dist(b, NULL, vv, name, &d) ||
            (slot = lb_anon_input(b, name, &d, 0)) < 0 ||
            slot_expr(b, name, lc_loc(vv), slot, &it->more->vendor_value))
            rc = -1;
        else
            it->has_vendor_value = 1;
    } else if (vv) {
        if (!more(b, it) || lc_compile(lc, NULL, vv, "vendor_value", 1, &it->more->vendor_value))
            rc = -1;
        else
            it->has_vendor_value = 1;
    }
    return rc;
}

const char *lb_item_label(const void *ctx, size_t pos)
{
    return ((const wa_option *)ctx)->items[pos].label;
}

static int load_item_fields(builder *b, const yd_node *n, wa_option *opt, int sign,
                            wa_item *it)
{
    static const char *const keys[] = {"label",       "amount",   "year",      "years",
                                       "growth",      "probability", "currency", "booked_as",
                                       "vendor_value"};
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    int rc = 0;
    memset(it, 0, sizeof *it);
    it->sign = sign;
    it->happens_slot = -1;
    it->loc = lc_loc(n);
    if (!lc_want(lc, NULL, n, YD_MAP, "item"))
        return -1;
    if (lc_check_keys(lc, NULL, n, keys, 9, "an item"))
        rc = -1;
    const yd_node *label = yd_get(n, "label");
    if (!label) {
        lc_error(lc, NULL, n, "item needs a 'label'");
        return -1;
    }
    if (!lc_want(lc, NULL, label, YD_SCALAR, "label") || label->len == 0) {
        if (label->kind == YD_SCALAR)
            lc_error(lc, NULL, label, "'label' must not be empty");
        return -1;
    }
    long seen = wa_name_slots_find(&b->labels, label->str, lb_item_label, opt);
    if (seen >= 0) {
        lc_error(lc, NULL, label, "duplicate label '%s' in '%s' (first at line %d)", label->str,
                 opt->name, opt->items[seen].loc.line);
        rc = -1;
    }
    it->label = wa_strpool_dup(&m->texts, label->str);
    if (!it->label) {
        b->oom = 1;
        return -1;
    }
    char what[300];
    snprintf(what, sizeof what, "'%s' of '%s'", it->label, opt->name);

    /* when */
    const yd_node *year = yd_get(n, "year"), *years = yd_get(n, "years");
    if (!!year == !!years) {
        lc_error(lc, NULL, n, "item '%s' needs exactly one of 'year' and 'years'", it->label);
        rc = -1;
    } else if (year) {
        double y = 0;
        wa_expr ye = {0};
        int yconst = 0;
        if (lc_compile(lc, NULL, year, "year", 0, &ye) == 0) {
            yconst = ex_prog_const(ye.prog, &y);
            if (yconst)
                wa_expr_clear(&ye);
        }
        if (!ye.prog && !yconst) {
            rc = -1; /* reported */
        } else if (!yconst) {
            /* an uncertain year: each trial's cash flow at its own year (SPEC 1.4) */
            if (!more(b, it)) {
                wa_expr_clear(&ye);
                return -1;
            }
            it->more->year = ye;
            it->has_year = 1;
            it->first = 0;
            it->nflows = 1;
        } else if (y < 0 || (m->horizon && y > m->horizon)) {
            char w[160];
            lc_error(lc, NULL, year, "year %s is outside the horizon 0..%d", lc_written(year, y, w, sizeof w), m->horizon);
            rc = -1;
        } else {
            it->first = y;
            it->nflows = 1;
        }
    } else if (!lc_want(lc, NULL, years, YD_SEQ, "years")) {
        rc = -1;
    } else if (years->n != 2) {
        lc_error(lc, NULL, years, "'years' must be [first, last], not a list of %zu", (size_t)years->n);
        rc = -1;
    } else {
        double a, z;
        int e1 = lc_const(lc, NULL, yd_val(years, 0), "years", &a);
        int e2 = lc_const(lc, NULL, yd_val(years, 1), "years", &z);
        if (e1 || e2) {
            rc = -1;
        } else if (a < 0 || (m->horizon && a > m->horizon)) {
            char w[160];
            lc_error(lc, NULL, yd_val(years, 0), "year %s is outside the horizon 0..%d", lc_written(yd_val(years, 0), a, w, sizeof w), m->horizon);
            rc = -1;
        } else if (z < 0 || (m->horizon && z > m->horizon)) {
            char w[160];
            lc_error(lc, NULL, yd_val(years, 1), "year %s is outside the horizon 0..%d", lc_written(yd_val(years, 1), z, w, sizeof w), m->horizon);
            rc = -1;
        } else if (z < a) {
            lc_error(lc, NULL, years, "'years' must be [first, last] with first <= last, not [%g, %g]", a, z);
            rc = -1;
        } else {
            it->first = a;
            /* steps of 1 from first while within last; a tolerance absorbs 0.1-style
               rounding in fractional years */
            it->nflows = (int)floor(z - a + 1e-9) + 1;
        }
    }

    /* how much */
    const yd_node *amount = yd_get(n, "amount");
    if (!amount) {
        lc_error(lc, NULL, n, "item '%s' needs an 'amount'", it->label);
        rc = -1;
    } else if (amount->kind == YD_MAP || inline_override(b, opt, it->label)) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s", opt->name, it->label);
        /* a variant or --set may replace the inline distribution by its name (SPEC 1.5):
           with another distribution, or with a number or an expression */
        const wa_override *ov = inline_override(b, opt, it->label);
        const wa_source *asrc = ov ? ov->src : NULL;
        const yd_node *an = ov ? ov->value : amount;
        wa_dist d;
        if (ov && amount->kind != YD_MAP) {
            lc_error_at(lc, ov->src, ov->loc.line, ov->loc.col,
                        "cannot set '%s': the item's amount is not a distribution; set the "
                        "inputs it reads instead",
                        ov->name);
            rc = -1;
        } else if (an->kind != YD_MAP) {
            if (lc_compile(lc, asrc, an, "amount", 1, &it->amount))
                rc = -1;
        } else if (lb_make_dist(b, asrc, an, name, &d)) {
            rc = -1;
        } else {
            int slot = lb_anon_input(b, name, &d, 0);
            if (slot < 0 || slot_expr(b, name, lc_loc(an), slot, &it->amount))
                rc = -1;
        }
    } else if (lc_compile(lc, NULL, amount, "amount", 1, &it->amount)) {
        rc = -1;
    }

    if (vendor_keys(b, n, opt, it))
        rc = -1;

    const yd_node *growth = yd_get(n, "growth");
    if (growth) {
        if (!more(b, it))
            return -1;
        if (lc_compile(lc, NULL, growth, "growth", 1, &it->more->growth))
            rc = -1;
        else
            it->has_growth = 1;
    }

    const yd_node *prob = yd_get(n, "probability");
    wa_expr pe = {0};
    double p = 0;
    int prob_const = 0;
    if (prob && lc_compile(lc, NULL, prob, "probability", 1, &pe) == 0) {
        prob_const = ex_prog_const(pe.prog, &p);
        if (prob_const)
            wa_expr_clear(&pe);
    }
    if (prob && !pe.prog && !prob_const) {
        rc = -1; /* reported */
    } else if (prob && !prob_const) {
        /* uncertain or per-year: one uniform per item and trial, drawn like an input; the
           cash flow at year t happens when u > 1 - p(t) (SPEC 1.4) */
        char name[600];
        snprintf(name, sizeof name, "%s/%s/probability", opt->name, it->label);
        wa_dist d;
        wa_dist_error err;
        double lo = 0, hi = 1;
        wa_dist_arg args[2] = {{"min", &lo, 1, 0}, {"max", &hi, 1, 0}};
        if (!more(b, it)) {
            wa_expr_clear(&pe);
            return -1;
        }
        it->more->prob = pe;
        it->has_prob = 1;
        if (wa_dist_make(&d, "uniform", args, 2, &err)) {
            lc_fail(lc, NULL, prob, err.nomem, err.message);
            rc = -1;
        } else if ((it->happens_slot = lb_anon_input(b, name, &d, 1)) < 0) {
            rc = -1;
        }
    } else if (prob) {
        if (!(p >= 0 && p <= 1)) {
            char w[160];
            lc_error(lc, NULL, prob, "probability must be between 0 and 1, not %s", lc_written(prob, p, w, sizeof w));
            rc = -1;
        } else {
            char name[600];
            snprintf(name, sizeof name, "%s/%s/probability", opt->name, it->label);
            wa_dist d;
            wa_dist_error err;
            wa_dist_arg arg = {"p", &p, 1, 0};
            if (wa_dist_make(&d, "bernoulli", &arg, 1, &err)) {
                lc_fail(lc, NULL, prob, err.nomem, err.message);
                rc = -1;
            } else {
                it->happens_slot = lb_anon_input(b, name, &d, 1);
                if (it->happens_slot < 0)
                    rc = -1;
            }
        }
    }
    const yd_node *cur = yd_get(n, "currency");
    if (cur && item_currency(b, it, opt, cur))
        rc = -1;
    if (rc == 0 && it->has_year && it->has_rate && ex_prog_uses_t(it->more->rate.prog)) {
        lc_error(lc, NULL, year,
                 "'%s' of '%s' has an uncertain year, so t would differ from trial to trial: "
                 "its currency's rate cannot be a per-year value",
                 it->label, opt->name);
        rc = -1;
    }
    if (rc == 0 && it->has_year &&
        (ex_prog_uses_t(it->amount.prog) || (it->has_prob && ex_prog_uses_t(it->more->prob.prog)))) {
        lc_error(lc, NULL, year,
                 "'%s' of '%s' has an uncertain year, so t would differ from trial to trial: "
                 "write its amount and probability without t",
                 it->label, opt->name);
        rc = -1;
    }
    if (rc == 0) {
        if (alloc_disc(b, it))
            return -1;
        lb_setup_flows(it, m->discount_rate);
    }
    return rc;
}

/* Moves the text of e into the model's pool of texts, where every item's is: a few bytes
   rather than a malloc each. On failure the text is dropped (the load fails). 0 or -1. */
static int pool_text(builder *b, wa_expr *e)
{
    if (!e->text)
        return 0;
    char *p = wa_strpool_dup(&b->m->texts, e->text);
    wa_free(e->text);
    e->text = p;
    if (!p)
        b->oom = 1;
    return p ? 0 : -1;
}

/* An item, with its expressions' texts in the model's pool however it went (wa_item_clear
   frees the programs only), and no program for an amount that is a number. */
static int load_item(builder *b, const yd_node *n, wa_option *opt, int sign, wa_item *it)
{
    int rc = load_item_fields(b, n, opt, sign, it);
    /* an amount that is a number needs no program: the simulation fills in the number, as
       the program would (most items of a large file) */
    if (rc == 0 && it->amount.prog && ex_prog_const(it->amount.prog, &it->amount_value)) {
        ex_prog_free(it->amount.prog);
        it->amount.prog = NULL;
    }
    int prc = pool_text(b, &it->amount);
    if (it->more) {
        prc |= pool_text(b, &it->more->growth);
        prc |= pool_text(b, &it->more->prob);
        prc |= pool_text(b, &it->more->year);
        prc |= pool_text(b, &it->more->rate);
        prc |= pool_text(b, &it->more->vendor_value);
    }
    return rc || prc ? -1 : 0;
}

int lb_load_items(builder *b, const yd_node *list, const char *key, wa_option *opt, int sign)
{
    if (!list)
        return 0;
    if (!lc_want(&b->lc, NULL, list, YD_SEQ, key))
        return -1;
    wa_item *v = wa_realloc(opt->items, (opt->nitems + list->n + 1) * sizeof *v);
    if (!v) {
        b->oom = 1;
        return -1;
    }
    opt->items = v;
    int rc = 0;
    for (size_t i = 0; i < list->n; i++) {
        wa_item *it = &opt->items[opt->nitems];
        if (load_item(b, yd_val(list, i), opt, sign, it) == 0) {
            it->is_saving = !strcmp(key, "savings");
            if (wa_name_slots_add(&b->labels, it->label, opt->nitems, lb_item_label, opt) < 0)
                b->oom = 1;
            opt->nitems++;
        } else {
            rc = -1;
            wa_item_clear(it);
        }
    }
    return rc;
}

/* An offer's `price_units` (SPEC 1.4): {label, count, year | years}. U, the units' present
   value, is sum_t count(t) (1 + r)^-t over the years; the concession needed per unit is
   the c-quantile of D / U. A count the same in every trial (numbers, constant inputs, t)
   gives U here; one that varies by trial is kept for lb_units_series, which makes it a
   hidden option simulated like the others. 0, or -1 after reporting. */
static int load_price_units(builder *b, wa_option *o, const yd_node *pu)
{
    static const char *const keys[] = {"label", "count", "year", "years"};
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    if (!lc_want(lc, NULL, pu, YD_MAP, "price_units") ||
        lc_check_keys(lc, NULL, pu, keys, 4, "price_units"))
        return -1;
    const yd_node *label = yd_get(pu, "label"), *count = yd_get(pu, "count");
    const yd_node *year = yd_get(pu, "year"), *years = yd_get(pu, "years");
    if (!label || !count || !!year == !!years) {
        lc_error(lc, NULL, pu, "price_units needs a 'label', a 'count' and one of 'year' and 'years'");
        return -1;
    }
    if (!lc_want(lc, NULL, label, YD_SCALAR, "label") || !label->len)
        return -1;
    double first = 0, last = 0;
    if (year ? lc_const(lc, NULL, year, "year", &first)
             : (!lc_want(lc, NULL, years, YD_SEQ, "years") || years->n != 2 ||
                lc_const(lc, NULL, yd_val(years, 0), "years", &first) ||
                lc_const(lc, NULL, yd_val(years, 1), "years", &last))) {
        if (years && years->kind == YD_SEQ && years->n != 2)
            lc_error(lc, NULL, years, "'years' must be [first, last], not a list of %zu", (size_t)years->n);
        return -1;
    }
    if (year)
        last = first;
    for (int k = 0; k < 2; k++) { /* as an item's years */
        const yd_node *at = year ? year : yd_val(years, k);
        double y = k ? last : first;
        if (y < 0 || (m->horizon && y > m->horizon)) {
            char w[160];
            lc_error(lc, NULL, at, "year %s is outside the horizon 0..%d", lc_written(at, y, w, sizeof w),
                     m->horizon);
            return -1;
        }
    }
    if (last < first) {
        lc_error(lc, NULL, years, "'years' must be [first, last] with first <= last, not [%g, %g]", first, last);
        return -1;
    }
    wa_expr e;
    if (lc_compile(lc, NULL, count, "price_units count", 1, &e))
        return -1;
    o->units_label = lc_strdup(label->str);
    if (!o->units_label) {
        wa_expr_clear(&e);
        b->oom = 1;
        return -1;
    }
    o->has_units = 1;
    o->units_pv = NAN;
    if (ex_prog_nslots(e.prog)) { /* varies by trial: a hidden option (lb_units_series) */
        o->units_count = e;
        o->units_first = first;
        o->units_nflows = (int)floor(last - first + 1e-9) + 1;
        return 0;
    }
    size_t w = ex_prog_workspace(e.prog, 1);
    double *ws = wa_malloc((w ? w : 1) * sizeof *ws), u = 0;
    if (!ws) {
        wa_expr_clear(&e);
        b->oom = 1;
        return -1;
    }
    for (double t = first; t <= last + 1e-9; t += 1) {
        double c;
        ex_eval(e.prog, NULL, t, 1, &c, ws);
        u += c * pow(1 + m->discount_rate, -t);
    }
    wa_free(ws);
    wa_expr_clear(&e);
    if (!(u > 0) || !isfinite(u)) {
        lc_error(lc, NULL, count, "price_units: the units come to %g (present value), not a positive number",
                 u);
        return -1;
    }
    o->units_pv = u;
    return 0;
}

/* After every option is loaded: each offer whose price_units count varies by trial gets a
   hidden option after the alternatives, one item (the count at each of its years,
   discounted like a cost), whose PV in each trial is the offer's U. */
void lb_units_series(builder *b)
{
    wa_model *m = b->m;
    size_t need = 0;
    for (size_t k = 0; k < m->noffers; k++)
        need += m->options[k].units_count.prog != NULL;
    if (!need)
        return;
    wa_option *v = wa_realloc(m->options, (m->noptions + need) * sizeof *v);
    if (!v) {
        b->oom = 1;
        return;
    }
    m->options = v;
    for (size_t k = 0; k < m->noffers; k++) {
        wa_option *o = &m->options[k];
        if (!o->units_count.prog)
            continue;
        size_t h = m->noptions + m->nhidden;
        wa_option *u = &m->options[h];
        memset(u, 0, sizeof *u);
        m->nhidden++;
        u->loc = o->units_count.loc;
        u->is_units = 1;
        u->items = wa_calloc(1, sizeof *u->items);
        u->name = lc_strdup(o->name); /* its messages name the offer */
        if (!u->items || !u->name) {
            b->oom = 1;
            return;
        }
        u->nitems = 1;
        wa_item *it = &u->items[0];
        it->amount = o->units_count;
        memset(&o->units_count, 0, sizeof o->units_count);
        int bad = pool_text(b, &it->amount); /* first: the item frees no text of its own */
        it->label = wa_strpool_dup(&m->texts, "price_units count");
        it->nflows = o->units_nflows;
        if (bad || !it->label || alloc_disc(b, it)) {
            b->oom = 1;
            return;
        }
        it->loc = it->amount.loc;
        it->sign = +1;
        it->first = o->units_first;
        it->happens_slot = -1;
        lb_setup_flows(it, m->discount_rate);
        o->units_series = h;
    }
}

static long find_option(const wa_model *m, const char *name)
{
    for (size_t i = 0; i < m->noptions; i++)
        if (m->options[i].name && !strcmp(m->options[i].name, name))
            return (long)i;
    return -1;
}

int lb_load_options(builder *b, const yd_node *root, const char *key, int is_offer)
{
    /* SPEC 1.4: every option may have costs, concessions and savings */
    static const char *const keys[] = {"name",    "description", "costs",      "concessions",
                                       "savings", "includes",    "price_units"};
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    const yd_node *list = yd_get(root, key);
    if (!list) {
        lc_error(lc, NULL, root, "missing required key '%s'", key);
        return -1;
    }
    if (!lc_want(lc, NULL, list, YD_SEQ, key))
        return -1;
    if (list->n == 0) {
        lc_error(lc, NULL, list, "'%s' needs at least one %s", key,
                 is_offer ? "offer" : "alternative");
        return -1;
    }
    wa_option *v = wa_realloc(m->options, (m->noptions + list->n) * sizeof *v);
    if (!v) {
        b->oom = 1;
        return -1;
    }
    m->options = v;
    int rc = 0;
    for (size_t i = 0; i < list->n; i++) {
        const yd_node *n = yd_val(list, i);
        if (!lc_want(lc, NULL, n, YD_MAP, is_offer ? "an offer" : "an alternative")) {
            rc = -1;
            continue;
        }
        if (lc_check_keys(lc, NULL, n, keys, 7, is_offer ? "an offer" : "an alternative"))
            rc = -1;
        const yd_node *name = yd_get(n, "name");
        if (!name) {
            lc_error(lc, NULL, n, "%s needs a 'name'", is_offer ? "an offer" : "an alternative");
            rc = -1;
            continue;
        }
        if (!lc_want(lc, NULL, name, YD_SCALAR, "name")) {
            rc = -1;
            continue;
        }
        if (name->len == 0) {
            lc_error(lc, NULL, name, "'name' must not be empty");
            rc = -1;
            continue;
        }
        long dup = find_option(m, name->str);
        if (dup >= 0) {
            lc_error(lc, NULL, name, "duplicate option name '%s' (first at line %d)", name->str,
                     m->options[dup].loc.line);
            rc = -1;
            continue;
        }
        wa_option *o = &m->options[m->noptions++];
        memset(o, 0, sizeof *o);
        o->is_offer = is_offer;
        o->loc = lc_loc(n);
        o->name = lc_strdup(name->str);
        const yd_node *desc = yd_get(n, "description");
        if (desc && lc_want(lc, NULL, desc, YD_SCALAR, "description"))
            o->description = lc_strdup(desc->str);
        else if (desc)
            rc = -1;
        if (!o->name || (desc && desc->kind == YD_SCALAR && !o->description)) {
            b->oom = 1;
            return -1;
        }
        wa_name_slots_free(&b->labels); /* labels are unique within an option */
        if (lb_load_items(b, yd_get(n, "costs"), "costs", o, +1))
            rc = -1;
        if (lb_load_items(b, yd_get(n, "concessions"), "concessions", o, -1))
            rc = -1;
        if (lb_load_items(b, yd_get(n, "savings"), "savings", o, -1))
            rc = -1;
        o->includes_node = yd_get(n, "includes"); /* resolved once every option is known */
        const yd_node *pu = yd_get(n, "price_units");
        if (pu && !is_offer) {
            lc_error(lc, NULL, pu, "price_units belong to offers: the units a vendor's price is quoted in");
            rc = -1;
        } else if (pu && load_price_units(b, o, pu)) {
            rc = -1;
        }
    }
    return rc;
}

/* The options' `includes`: names of other options, without duplicates or cycles; then
   m->include_order, each option after those it includes (a depth-first post-order). */
void lb_load_includes(builder *b)
{
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    size_t n = m->noptions;
    for (size_t o = 0; o < n; o++) {
        wa_option *op = &m->options[o];
        const yd_node *in = op->includes_node;
        op->includes_node = NULL;
        if (!in)
            continue;
        if (!lc_want(lc, NULL, in, YD_SEQ, "includes"))
            continue;
        op->includes = wa_calloc(in->n ? in->n : 1, sizeof *op->includes);
        if (!op->includes) {
            b->oom = 1;
            return;
        }
        for (size_t i = 0; i < in->n; i++) {
            const yd_node *nm = yd_val(in, i);
            if (!lc_want(lc, NULL, nm, YD_SCALAR, "an included option's name"))
                continue;
            long k = find_option(m, nm->str);
            if (k < 0) {
                const char **names = wa_malloc(n * sizeof *names);
                if (!names) {
                    b->oom = 1;
                    return;
                }
                for (size_t j = 0; j < n; j++)
                    names[j] = m->options[j].name;
                const char *s = wa_suggest(nm->str, nm->len, names, n);
                if (s)
                    lc_error(lc, NULL, nm, "'%s' includes '%s', which is no offer or alternative; did you mean '%s'?",
                             op->name, nm->str, s);
                else
                    lc_error(lc, NULL, nm, "'%s' includes '%s', which is no offer or alternative",
                             op->name, nm->str);
                wa_free(names);
                continue;
            }
            int dup = 0;
            for (size_t j = 0; j < op->nincludes; j++)
                dup |= op->includes[j] == (size_t)k;
            if (dup) {
                lc_error(lc, NULL, nm, "'%s' includes '%s' twice", op->name, nm->str);
                continue;
            }
            op->includes[op->nincludes++] = (size_t)k;
        }
    }
    if (lc->nerr)
        return;
    /* depth-first, iterative: state 0 new, 1 on the path, 2 done */
    unsigned char *state = wa_calloc(n ? n : 1, 1);
    size_t *stack = wa_malloc((n ? n : 1) * sizeof *stack), *next = wa_calloc(n ? n : 1, sizeof *next);
    m->include_order = wa_malloc((n ? n : 1) * sizeof *m->include_order);
    if (!state || !stack || !next || !m->include_order) {
        b->oom = 1;
        goto done;
    }
    for (size_t s = 0; s < n; s++) {
        if (state[s] || !m->options[s].nincludes)
            continue;
        size_t top = 0;
        stack[top++] = s;
        state[s] = 1;
        while (top) {
            size_t o = stack[top - 1];
            const wa_option *op = &m->options[o];
            if (next[o] < op->nincludes) {
                size_t k = op->includes[next[o]++];
                if (state[k] == 1) { /* a cycle: from k on the path back to k */
                    char msg[1024];
                    size_t pos = 0, from = top;
                    while (from > 0 && stack[from - 1] != k)
                        from--;
                    for (size_t i = from - 1; i < top && pos < sizeof msg; i++)
                        pos += (size_t)snprintf(msg + pos, sizeof msg - pos, "%s -> ",
                                                m->options[stack[i]].name);
                    if (pos < sizeof msg)
                        snprintf(msg + pos, sizeof msg - pos, "%s", m->options[k].name);
                    lc_error_at(lc, NULL, m->options[k].loc.line, m->options[k].loc.col,
                                "options include each other in a cycle: %s", msg);
                    goto done;
                }
                if (state[k] == 0 && m->options[k].nincludes) {
                    state[k] = 1;
                    stack[top++] = k;
                }
            } else {
                state[o] = 2;
                m->include_order[m->ninclude_order++] = o;
                top--;
            }
        }
    }
done:
    wa_free(state);
    wa_free(stack);
    wa_free(next);
}

void lb_load_walk(builder *b, const yd_node *root)
{
    lctx *lc = &b->lc;
    wa_model *m = b->m;
    size_t nalts = m->noptions - m->noffers;
    const yd_node *w = yd_get(root, "walk");
    if (!w) {
        if (nalts == 1) {
            m->walk_rule = WA_WALK_ONLY;
            m->walk = 0;
        } else if (nalts > 1) {
            lc_error(lc, NULL, root,
                     "'walk' is required when there are several alternatives: name one, or write 'walk: best'");
        }
        return;
    }
    if (!lc_want(lc, NULL, w, YD_SCALAR, "walk"))
        return;
    if (!strcmp(w->str, "best")) {
        m->walk_rule = WA_WALK_BEST;
        return;
    }
    long i = find_option(m, w->str);
    if (i >= 0 && m->options[i].is_offer) {
        lc_error(lc, NULL, w, "'walk' must name an alternative, and '%s' is an offer", w->str);
        return;
    }
    if (i < 0) {
        const char **alts = wa_calloc(nalts + 1, sizeof *alts);
        if (!alts) {
            b->oom = 1;
            return;
        }
        for (size_t k = 0; k < nalts; k++)
            alts[k] = m->options[m->noffers + k].name;
        alts[nalts] = "best";
        const char *s = wa_suggest(w->str, w->len, alts, nalts + 1);
        if (s)
            lc_error(lc, NULL, w, "'walk' names '%s', which is not an alternative; did you mean '%s'?",
                     w->str, s);
        else
            lc_error(lc, NULL, w, "'walk' names '%s', which is not an alternative (write an alternative's name, or 'best')",
                     w->str);
        wa_free(alts);
        return;
    }
    m->walk_rule = WA_WALK_NAMED;
    m->walk = (size_t)i - m->noffers;
}

