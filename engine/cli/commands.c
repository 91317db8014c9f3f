/*
 * commands.c — `run`, `check`, `sweep` and `solve` over the command line's files: each
 * scenario loaded, its variants selected by name and run through wa_run (or studied
 * through wa_sweep_run, wa_solve_run), every result kept until the end and written with the library's report
 * calls, to stdout or atomically to -o FILE.
 */
#include "cli/commands.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/diagnostics.h"
#include "cli/output.h"
#include "cli/progress.h"

/* Everything a `run` accumulates over its files. */
typedef struct session {
    const cli *c;
    wa_diagnostics *diags;
    progress prog;
    wa_result **results;
    size_t nresults;
    wa_sweep **sweeps;
    size_t nsweeps;
    wa_solve **solves;
    size_t nsolves;
} session;

static int keep_result(session *s, wa_result *r)
{
    wa_result **nr = realloc(s->results, (s->nresults + 1) * sizeof *nr);
    if (!nr)
        return -1;
    s->results = nr;
    s->results[s->nresults++] = r;
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
        long idx = wa_scenario_variant_find(sc, want);
        if (idx < 0)
            idx = -2;
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
                hint = cli_suggest(want, names, nv + 1);
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

/* Appends item to the array *v of *n pointers; -1 when out of memory. */
static int keep(void ***v, size_t *n, void *item)
{
    void **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    nv[(*n)++] = item;
    *v = nv;
    return 0;
}

/* `sweep` or `solve` on a loaded scenario, on the one selected variant (the base by
   default), kept for the report. Frees sc and clears shown. Returns the exit status. */
static int study_file(session *s, wa_scenario *sc, const char *path, seen *shown)
{
    const cli *c = s->c;
    long *sel = NULL;
    size_t nsel = 0;
    int status = EXIT_OK;
    int sweep = c->command == CMD_SWEEP;
    if (c->nvariants)
        status = select_variants(c, sc, path, &sel, &nsel);
    if (status == EXIT_OK) {
        wa_run_options opt = c->run;
        opt.variant = nsel && sel[0] >= 0 ? sel[0] : -1;
        opt.progress = sweep ? on_progress : NULL; /* a solve's runs are not known ahead */
        opt.progress_ctx = &s->prog;
        progress_begin(&s->prog, path, sweep ? "sweep" : "solve");
        wa_sweep *sw = NULL;
        wa_solve *so = NULL;
        wa_diagnostics_clear(s->diags);
        wa_status st = sweep ? wa_sweep_run(sc, &opt, c->varies, c->nvaries, &sw, s->diags)
                             : wa_solve_run(sc, &opt, c->varies[0], c->offer, c->target, &so,
                                            s->diags);
        progress_end(&s->prog);
        print_diagnostics(s->diags, path, c->quiet, shown);
        if (st != WA_OK) {
            if (wa_diagnostics_errors(s->diags) == 0)
                fprintf(stderr, "%s: error: the %s failed\n", path, sweep ? "sweep" : "solve");
            status = exit_code(st) ? exit_code(st) : EXIT_INVALID;
        } else {
            for (size_t p = 0; p < wa_sweep_point_count(sw) && !c->quiet; p++) {
                const wa_result *r = wa_sweep_point(sw, p);
                for (size_t k = 0; k < wa_result_summary(r)->nwarnings; k++)
                    if (!seen_check_add(shown, "W", wa_result_warning(r, k)))
                        fprintf(stderr, "%s: warning: %s\n", path, wa_result_warning(r, k));
            }
            if (sweep ? keep((void ***)&s->sweeps, &s->nsweeps, sw)
                      : keep((void ***)&s->solves, &s->nsolves, so)) {
                fprintf(stderr, "%s: error: out of memory\n", path);
                wa_sweep_free(sw);
                wa_solve_free(so);
                status = EXIT_INVALID;
            }
        }
    }
    free(sel);
    seen_clear(shown);
    wa_scenario_free(sc);
    return status;
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
    if (c->command & CMD_STUDY)
        return study_file(s, sc, path, &shown);
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
        for (size_t k = 0; k < wa_result_summary(r)->nwarnings && !c->quiet; k++)
            if (!seen_check_add(&shown, "W", wa_result_warning(r, k)))
                fprintf(stderr, "%s: warning: %s\n", path, wa_result_warning(r, k));
        if (keep_result(s, r) != 0) {
            fprintf(stderr, "%s: error: out of memory\n", path);
            wa_result_free(r);
            status = EXIT_INVALID > status ? EXIT_INVALID : status;
        }
    }
    free(sel);
    seen_clear(&shown);
    wa_scenario_free(sc); /* the results own copies of what they show */
    return status;
}

/* The report of every kept result (or sweep) to f; 0, or -1 with errno set. */
static int render(FILE *f, wa_format fmt, const session *s)
{
    wa_status st =
        s->c->command == CMD_SWEEP
            ? wa_report_sweep_write(f, fmt, (const wa_sweep *const *)s->sweeps, s->nsweeps)
        : s->c->command == CMD_SOLVE
            ? wa_report_solve_write(f, fmt, (const wa_solve *const *)s->solves, s->nsolves)
            : wa_report_write(f, fmt, (const wa_result *const *)s->results, s->nresults);
    if (st == WA_ENOMEM)
        errno = ENOMEM;
    else if (st != WA_OK && !errno)
        errno = EIO;
    return st == WA_OK ? 0 : -1;
}

int finish_stdout(int err)
{
    errno = 0;
    if (!err && (fflush(stdout) != 0 || ferror(stdout)))
        err = errno ? errno : EIO;
    if (!err || err == EPIPE)
        return EXIT_OK;
    fprintf(stderr, "walkaway: cannot write to standard output: %s\n", strerror(err));
    return EXIT_IO;
}

int run_files(const cli *c)
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

    if (c->command != CMD_CHECK) {
        if (out && failed > 0) {
            cli_out_abort(out);
            fprintf(stderr, "walkaway: %s not written: %zu of %zu scenario file%s failed\n",
                    c->output, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
        } else if (out) {
            int err = 0;
            if (render(cli_out_stream(out), c->format, &s) != 0) {
                err = errno ? errno : EIO;
                cli_out_abort(out);
            } else {
                err = cli_out_commit(out);
            }
            if (err) {
                fprintf(stderr, "walkaway: cannot write %s: %s\n", c->output, strerror(err));
                worst = EXIT_IO > worst ? EXIT_IO : worst;
            }
        } else if (s.nresults + s.nsweeps + s.nsolves > 0 || c->format != WA_FORMAT_TEXT) {
            /* JSON and CSV readers get a well-formed document even when every run
               failed; the exit status tells them so. */
            int err = 0;
            if (render(stdout, c->format, &s) != 0)
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
    for (size_t i = 0; i < s.nsweeps; i++)
        wa_sweep_free(s.sweeps[i]);
    free(s.sweeps);
    for (size_t i = 0; i < s.nsolves; i++)
        wa_solve_free(s.solves[i]);
    free(s.solves);
    wa_diagnostics_free(s.diags);
    return worst;
}

