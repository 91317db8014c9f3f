/*
 * test_report.c — reports as library calls (wa_report_write, wa_report_buffer), the
 * growable result views and the version calls of walkaway.h.
 *
 * The reports an embedder gets must be exactly what `walkaway run --format F` prints:
 * every bundled scenario is run both ways (base and every variant, the same trials and
 * seed) and the outputs compared byte for byte, the run time aside (it is measured, so it
 * differs between any two runs).
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walkaway.h"

#define TRIALS 20000

static wa_scenario *load(const char *path)
{
    wa_scenario *sc = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_scenario_load(path, &sc, d), WA_OK, "%s does not load", path);
    wa_diagnostics_free(d);
    return sc;
}

/* The base run, then every declared variant, as `walkaway run` makes them. */
static size_t run_all(const wa_scenario *sc, wa_result **r)
{
    size_t n = 0;
    for (long v = -1; v < (long)wa_scenario_variant_count(sc); v++) {
        wa_run_options o;
        wa_run_options_init(&o, sizeof o);
        o.trials = TRIALS;
        o.variant = v;
        cr_assert_eq(wa_run(sc, &o, &r[n], NULL), WA_OK);
        n++;
    }
    return n;
}

/* The CLI's stdout for `run -q -n TRIALS --format fmt path`. */
static char *cli_output(const char *fmt, const char *path)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' run -q -n %d --format %s '%s'", WA_CLI, TRIALS, fmt, path);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    cr_assert(s);
    size_t got;
    while ((got = fread(s + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 2) {
            s = realloc(s, cap *= 2);
            cr_assert(s);
        }
    }
    s[len] = '\0';
    cr_assert_eq(pclose(p), 0, "%s failed", cmd);
    return s;
}

/* The measured run time cut out (its digits vary in number too): what follows
   "elapsed_s": in JSON and "Run time:" in text, up to the end of the value. */
static void mask_elapsed(char *s)
{
    static const char *const keys[] = {"\"elapsed_s\":", "Run time:", "run time"};
    for (size_t k = 0; k < 3; k++)
        for (char *p = strstr(s, keys[k]); p; p = strstr(p + 1, keys[k])) {
            char *v = p + strlen(keys[k]), *end = v;
            while (*end && *end != ',' && *end != '\n')
                end++;
            memmove(v, end, strlen(end) + 1);
        }
}

/* The library's report of r[0..n) in fmt, through wa_report_buffer. */
static char *library_output(wa_format fmt, wa_result *const *r, size_t n)
{
    size_t len = 0;
    cr_assert_eq(wa_report_buffer(fmt, (const wa_result *const *)r, n, NULL, 0, &len), WA_OK);
    char *s = malloc(len + 1);
    cr_assert(s);
    size_t again = 0;
    cr_assert_eq(wa_report_buffer(fmt, (const wa_result *const *)r, n, s, len + 1, &again),
                 WA_OK);
    cr_assert_eq(again, len);
    cr_assert_eq(strlen(s), len);
    return s;
}

Test(report, library_prints_what_the_cli_prints_for_every_bundled_scenario)
{
    static const char *const files[] = {"ibm-audit.yaml", "java-settlement.yaml",
                                        "microsoft-ea.yaml", "migration-plans.yaml",
                                        "vmware-renewal.yaml"};
    static const wa_format fmts[] = {WA_FORMAT_TEXT, WA_FORMAT_JSON, WA_FORMAT_CSV,
                                     WA_FORMAT_MARKDOWN};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", WA_SCENARIOS, files[i]);
        wa_scenario *sc = load(path);
        wa_result *r[64];
        cr_assert(wa_scenario_variant_count(sc) + 1 <= 64);
        size_t n = run_all(sc, r);
        for (size_t k = 0; k < 4; k++) {
            char *lib = library_output(fmts[k], r, n);
            char *cli = cli_output(wa_format_name(fmts[k]), path);
            mask_elapsed(lib);
            mask_elapsed(cli);
            cr_expect_str_eq(lib, cli, "%s, %s: the library's report differs from the CLI's",
                             files[i], wa_format_name(fmts[k]));
            free(lib);
            free(cli);
        }
        for (size_t k = 0; k < n; k++)
            wa_result_free(r[k]);
        wa_scenario_free(sc);
    }
}

static wa_result *one_run(void)
{
    wa_scenario *sc = load(WA_SCENARIOS "/java-settlement.yaml");
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.trials = 2000;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &o, &r, NULL), WA_OK);
    wa_scenario_free(sc); /* the result owns copies of every string it shows */
    return r;
}

Test(report, buffer_is_cut_like_snprintf_and_tells_the_whole_length)
{
    wa_result *r = one_run();
    const wa_result *const v[1] = {r};
    size_t len = 0;
    cr_assert_eq(wa_report_buffer(WA_FORMAT_CSV, v, 1, NULL, 0, &len), WA_OK);
    cr_assert(len > 100);
    char small[11];
    memset(small, 'x', sizeof small);
    size_t len2 = 0;
    cr_assert_eq(wa_report_buffer(WA_FORMAT_CSV, v, 1, small, sizeof small, &len2), WA_OK);
    cr_expect_eq(len2, len);
    cr_expect_str_eq(small, "file,scena"); /* 10 bytes and the NUL */
    cr_expect_eq(wa_report_buffer(WA_FORMAT_CSV, v, 1, NULL, 5, &len2), WA_EUSAGE);
    wa_result_free(r);
}

Test(report, no_results_give_an_empty_but_well_formed_report)
{
    char buf[512];
    cr_assert_eq(wa_report_buffer(WA_FORMAT_JSON, NULL, 0, buf, sizeof buf, NULL), WA_OK);
    cr_expect_str_eq(buf, "{\n\t\"walkaway\":\t\"" WA_VERSION "\",\n\t\"results\":\t[]\n}\n");
    cr_assert_eq(wa_report_buffer(WA_FORMAT_CSV, NULL, 0, buf, sizeof buf, NULL), WA_OK);
    cr_expect_eq(strchr(buf, '\n'), buf + strlen(buf) - 1); /* the header row alone */
    cr_expect(strncmp(buf, "file,scenario,variant,offer,trials,", 35) == 0);
    cr_assert_eq(wa_report_buffer(WA_FORMAT_TEXT, NULL, 0, buf, sizeof buf, NULL), WA_OK);
    cr_expect_str_eq(buf, "");
}

Test(report, bad_arguments_are_usage_errors)
{
    wa_result *r = one_run();
    const wa_result *const v[2] = {r, NULL};
    cr_expect_eq(wa_report_write(NULL, WA_FORMAT_JSON, v, 1), WA_EUSAGE);
    cr_expect_eq(wa_report_write(stdout, (wa_format)7, v, 1), WA_EUSAGE);
    cr_expect_eq(wa_report_write(stdout, WA_FORMAT_JSON, NULL, 1), WA_EUSAGE);
    cr_expect_eq(wa_report_write(stdout, WA_FORMAT_JSON, v, 2), WA_EUSAGE); /* v[1] NULL */
    cr_expect_eq(wa_report_buffer((wa_format)-1, v, 1, NULL, 0, NULL), WA_EUSAGE);
    wa_result_free(r);
}

Test(report, a_failed_write_is_an_io_error_with_errno)
{
    wa_result *r = one_run();
    const wa_result *const v[1] = {r};
    char path[] = "/tmp/wa_report_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    FILE *f = fopen(path, "r"); /* a stream that cannot be written */
    cr_assert(f);
    for (int k = 0; k < 3; k++) {
        clearerr(f);
        errno = 0;
        cr_expect_eq(wa_report_write(f, (wa_format)k, v, 1), WA_EIO, "format %d", k);
        cr_expect(ferror(f));
        cr_expect_eq(errno, EBADF);
    }
    fclose(f);
    unlink(path);
    wa_result_free(r);
}

Test(report, format_names_round_trip)
{
    for (int k = 0; k < 5; k++) {
        wa_format f = (wa_format)99;
        cr_assert_eq(wa_format_parse(wa_format_name((wa_format)k), &f), WA_OK);
        cr_expect_eq(f, (wa_format)k);
    }
    wa_format f = WA_FORMAT_CSV;
    cr_expect_eq(wa_format_parse("JSON", &f), WA_EUSAGE);
    cr_expect_eq(wa_format_parse("svg", &f), WA_EUSAGE);
    cr_expect_eq(f, WA_FORMAT_CSV); /* unchanged */
    cr_expect_eq(wa_format_parse("markdown", &f), WA_OK);
    cr_expect_eq(f, WA_FORMAT_MARKDOWN);
    cr_expect_eq(wa_format_parse("html", &f), WA_OK); /* since 1.3 */
    cr_expect_eq(f, WA_FORMAT_HTML);
    cr_expect_null(wa_format_name((wa_format)5));
}

/* ---- the growable views ------------------------------------------------------------- */

Test(api, every_view_carries_its_size_and_lists_end_in_null)
{
    wa_result *r = one_run();
    const wa_summary *s = wa_result_summary(r);
    cr_assert_eq(s->size, sizeof *s);
    cr_assert(WA_HAS(wa_summary, s, nwarnings));
    cr_assert_eq(s->noffers, 2);
    cr_assert_eq(s->nalternatives, 2);
    for (size_t k = 0; k < s->noffers; k++)
        cr_expect_eq(wa_result_offer(r, k)->size, sizeof(wa_offer_summary));
    for (size_t a = 0; a < s->nalternatives; a++)
        cr_expect_eq(wa_result_alternative(r, a)->size, sizeof(wa_alternative_summary));
    cr_expect_str_eq(wa_result_alternative(r, s->walk)->name, s->walk_name);
    cr_expect_null(wa_result_offer(r, s->noffers));
    cr_expect_null(wa_result_alternative(r, s->nalternatives));
    cr_expect_null(wa_result_warning(r, s->nwarnings));
    cr_expect_null(wa_result_sensitivity(r, 0, wa_result_offer(r, 0)->nsensitivity));
    cr_expect_null(wa_result_sensitivity(r, s->noffers, 0));
    cr_expect_null(wa_result_summary(NULL));
    cr_expect_null(wa_result_offer(NULL, 0));
    /* a view from an older library: the field past its size is absent */
    wa_offer_summary old = *wa_result_offer(r, 0);
    old.size = offsetof(wa_offer_summary, expected_shortfall);
    cr_expect(WA_HAS(wa_offer_summary, &old, concession_needed));
    cr_expect(!WA_HAS(wa_offer_summary, &old, expected_shortfall));
    wa_result_free(r);
}

Test(api, options_init_writes_only_the_size_it_is_given)
{
    unsigned char buf[sizeof(wa_run_options) + 16];
    memset(buf, 0xAB, sizeof buf);
    wa_run_options_init((wa_run_options *)(void *)buf, 24);
    for (size_t i = 24; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0xAB, "byte %zu written", i);
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    cr_expect_eq(o.size, sizeof o);
    cr_expect_eq(o.variant, -1);
}

Test(api, options_of_another_size_are_read_up_to_it)
{
    wa_scenario *sc = load(WA_SCENARIOS "/java-settlement.yaml");
    /* a caller compiled against a later header: a larger struct, whose unknown tail the
       library ignores */
    struct {
        wa_run_options o;
        double later_fields[4];
    } big;
    memset(&big, 0x7F, sizeof big);
    wa_run_options_init(&big.o, sizeof big);
    big.o.trials = 1000;
    wa_result *r = NULL;
    cr_assert_eq(wa_run(sc, &big.o, &r, NULL), WA_OK);
    cr_expect_eq(wa_result_summary(r)->trials, 1000);
    wa_result_free(r);
    /* a size no version ever had */
    wa_run_options o;
    wa_run_options_init(&o, sizeof o);
    o.size = 8;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_run(sc, &o, &r, d), WA_EUSAGE);
    cr_assert_null(r);
    char msg[256];
    wa_diagnostic_format(wa_diagnostics_get(d, 0), msg, sizeof msg);
    cr_expect_str_eq(msg, "error: wa_run_options.size is 8: call wa_run_options_init(&o, "
                          "sizeof o) first\n");
    wa_diagnostics_free(d);
    wa_scenario_free(sc);
}

Test(api, diagnostics_carry_their_size)
{
    wa_scenario *sc = NULL;
    wa_diagnostics *d = wa_diagnostics_new();
    cr_assert_eq(wa_scenario_load_buffer("walkaway: 2\n", 12, "v.yaml", &sc, d), WA_EINVALID);
    cr_assert(wa_diagnostics_count(d) > 0);
    cr_expect_eq(wa_diagnostics_get(d, 0)->size, sizeof(wa_diagnostic));
    wa_diagnostics_free(d);
}

Test(api, version_at_run_time_is_the_header_s)
{
    cr_expect_str_eq(wa_version(), WA_VERSION);
    cr_expect_eq(wa_version_number(), WA_VERSION_NUMBER);
}

Test(api, variant_found_by_name)
{
    wa_scenario *sc = load(WA_SCENARIOS "/ibm-audit.yaml");
    size_t n = wa_scenario_variant_count(sc);
    cr_assert(n >= 2);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(wa_scenario_variant_find(sc, wa_scenario_variant_name(sc, i)), (long)i);
    cr_expect_eq(wa_scenario_variant_find(sc, "base"), -1);
    cr_expect_eq(wa_scenario_variant_find(sc, NULL), -1);
    cr_expect_eq(wa_scenario_variant_find(NULL, "x"), -1);
    wa_scenario_free(sc);
}

Test(report, a_report_streams_item_by_item_as_one_document)
{
    wa_result *a = one_run(), *b = one_run();
    const wa_result *const v[2] = {a, b};
    size_t need = 0;
    cr_assert_eq(wa_report_buffer(WA_FORMAT_JSON, v, 2, NULL, 0, &need), WA_OK);
    char *whole = malloc(need + 1);
    cr_assert_eq(wa_report_buffer(WA_FORMAT_JSON, v, 2, whole, need + 1, NULL), WA_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert(m);
    wa_report *rp = NULL;
    cr_assert_eq(wa_report_open(m, WA_FORMAT_JSON, WA_REPORT_RUNS, &rp), WA_OK);
    cr_expect_eq(wa_report_add(rp, a), WA_OK);
    cr_expect_eq(wa_report_add_sweep(rp, (const wa_sweep *)a), WA_EUSAGE); /* wrong kind */
    cr_expect_eq(wa_report_add(rp, b), WA_OK);
    cr_expect_eq(wa_report_close(rp), WA_OK);
    fclose(m);
    cr_expect_str_eq(text, whole); /* the same bytes as the whole document at once */
    free(text);
    free(whole);
    cr_expect_eq(wa_report_open(NULL, WA_FORMAT_JSON, WA_REPORT_RUNS, &rp), WA_EUSAGE);
    cr_expect_eq(wa_report_open(stdout, WA_FORMAT_JSON, (wa_report_kind)3, &rp), WA_EUSAGE);
    cr_expect_eq(wa_report_close(NULL), WA_OK);
    wa_result_free(a);
    wa_result_free(b);
}

Test(api, loading_with_a_like_scenario_gives_the_same_bits)
{
    wa_scenario *like = load(WA_SCENARIOS "/migration-plans.yaml"), *a = NULL, *b = NULL;
    /* the same file (every table shared) and another (none or few shared) */
    static const char *const files[] = {WA_SCENARIOS "/migration-plans.yaml",
                                        WA_SCENARIOS "/ibm-audit.yaml"};
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(wa_scenario_load(files[i], &a, NULL), WA_OK);
        cr_assert_eq(wa_scenario_load_sharing(files[i], like, &b, NULL), WA_OK);
        for (long v = -1; v < (long)wa_scenario_variant_count(a); v++) {
            wa_run_options o;
            wa_run_options_init(&o, sizeof o);
            o.trials = 5000;
            o.variant = v;
            wa_result *x = NULL, *y = NULL;
            cr_assert_eq(wa_run(a, &o, &x, NULL), WA_OK);
            cr_assert_eq(wa_run(b, &o, &y, NULL), WA_OK);
            char tx[1 << 15], ty[1 << 15];
            wa_report_buffer(WA_FORMAT_CSV, (const wa_result *const *)&x, 1, tx, sizeof tx, NULL);
            wa_report_buffer(WA_FORMAT_CSV, (const wa_result *const *)&y, 1, ty, sizeof ty, NULL);
            cr_expect_str_eq(tx, ty, "%s, variant %ld", files[i], v);
            wa_result_free(x);
            wa_result_free(y);
        }
        wa_scenario_free(a);
        wa_scenario_free(b);
    }
    wa_scenario_free(like);
}

Test(api, a_scenario_lists_its_inputs_offers_and_alternatives)
{
    wa_scenario *sc = load(WA_SCENARIOS "/java-settlement.yaml");
    cr_assert(wa_scenario_input_count(sc) > 10);
    cr_expect_str_eq(wa_scenario_input_name(sc, 0), "employees");
    cr_expect_null(wa_scenario_input_name(sc, wa_scenario_input_count(sc)));
    cr_assert_eq(wa_scenario_offer_count(sc), 2);
    cr_expect_str_eq(wa_scenario_offer_name(sc, 0), "pay-back-fees-then-migrate");
    cr_expect_str_eq(wa_scenario_offer_name(sc, 1), "subscription-3yr");
    cr_expect_null(wa_scenario_offer_name(sc, 2));
    cr_assert_eq(wa_scenario_alternative_count(sc), 2);
    cr_expect_str_eq(wa_scenario_alternative_name(sc, 0), "openjdk-and-dispute");
    cr_expect_null(wa_scenario_alternative_name(sc, 2));
    cr_expect_eq(wa_scenario_input_count(NULL), 0);
    wa_scenario_free(sc);
}
