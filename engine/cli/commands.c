/*
 * commands.c — `run`, `check`, `sweep` and `solve` over the command line's files: each
 * scenario loaded, its variants selected by name and run through wa_run (or studied
 * through wa_sweep_run, wa_solve_run), each result written as soon as it is ready through
 * the library's streaming report (wa_report_add), to stdout or to -o FILE's temporary
 * file, which replaces FILE at the end only if every file succeeded (or --keep-going).
 */
#include "cli/commands.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/diagnostics.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/progress.h"

/* What a command carries from file to file: the report, written as each result is ready
   (to stdout, or to -o FILE's temporary file), so that memory does not grow with the
   number of files. */
typedef struct session {
    const cli *c;
    wa_diagnostics *diags;
    progress prog;
    wa_report *rp;   /* NULL for check */
    wa_scenario *like; /* the previous file's scenario: its quantile tables are reused */
    int write_err;   /* the errno of the first failed write; nothing more is written */
} session;

/* Keeps sc as the scenario the next file's tables may be copied from (freeing the one
   before): a batch of related files builds each distinct table once. */
static void keep_like(session *s, wa_scenario *sc)
{
    wa_scenario_free(s->like);
    s->like = sc;
}

/* Writes one item to the report and frees it. -1 when the write failed (the reason is in
   s->write_err): the output is lost, and further runs would be wasted. */
static int emit(session *s, wa_report_kind kind, void *item)
{
    wa_status st = s->write_err ? WA_EIO
                   : kind == WA_REPORT_RUNS   ? wa_report_add(s->rp, item)
                   : kind == WA_REPORT_SWEEPS ? wa_report_add_sweep(s->rp, item)
                                              : wa_report_add_solve(s->rp, item);
    if (st != WA_OK && !s->write_err)
        s->write_err = st == WA_ENOMEM ? ENOMEM : errno ? errno : EIO;
    if (kind == WA_REPORT_RUNS)
        wa_result_free(item);
    else if (kind == WA_REPORT_SWEEPS)
        wa_sweep_free(item);
    else
        wa_solve_free(item);
    return s->write_err ? -1 : 0;
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
        opt.progress_cancel = interrupt_poll;
        opt.progress_ctx = &s->prog;
        progress_begin(&s->prog, path, sweep ? "sweep" : "solve");
        wa_sweep *sw = NULL;
        wa_solve *so = NULL;
        wa_diagnostics_clear(s->diags);
        interrupt_arm(1);
        wa_status st = sweep ? wa_sweep_run(sc, &opt, c->varies, c->nvaries, &sw, s->diags)
                             : wa_solve_run(sc, &opt, c->varies[0], c->offer, c->target, &so,
                                            s->diags);
        interrupt_arm(0);
        progress_end(&s->prog);
        if (interrupt_caught()) { /* stopped for a signal: run_files says so, once */
            wa_sweep_free(sw);
            wa_solve_free(so);
            status = EXIT_INVALID;
        } else if (st != WA_OK) {
            print_diagnostics(s->diags, path, c->quiet, shown);
            if (wa_diagnostics_errors(s->diags) == 0)
                fprintf(stderr, "%s: error: the %s failed: %s\n", path, sweep ? "sweep" : "solve",
                        wa_status_text(st));
            status = exit_code(st) ? exit_code(st) : EXIT_INVALID;
        } else {
            print_diagnostics(s->diags, path, c->quiet, shown);
            for (size_t p = 0; p < wa_sweep_point_count(sw) && !c->quiet; p++) {
                const wa_result *r = wa_sweep_point(sw, p);
                for (size_t k = 0; k < wa_result_summary(r)->nwarnings; k++)
                    if (!seen_check_add(shown, "W", wa_result_warning(r, k)))
                        fprintf(stderr, "%s: warning: %s\n", path, wa_result_warning(r, k));
            }
            emit(s, sweep ? WA_REPORT_SWEEPS : WA_REPORT_SOLVES,
                 sweep ? (void *)sw : (void *)so);
        }
    }
    free(sel);
    seen_clear(shown);
    keep_like(s, sc);
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
    wa_status st = wa_scenario_load_sharing(path, s->like, &sc, s->diags);
    print_diagnostics(s->diags, path, c->quiet, &shown);
    if (st != WA_OK) {
        if (wa_diagnostics_errors(s->diags) == 0) /* never silent, even if the list is */
            fprintf(stderr, "%s: error: cannot load the scenario: %s\n", path, wa_status_text(st));
        seen_clear(&shown);
        return exit_code(st) ? exit_code(st) : EXIT_INVALID;
    }
    /* a misspelt --set NAME is a usage error before anything runs (SPEC 3) */
    if (c->command != CMD_CHECK && c->nsets) {
        wa_diagnostics_clear(s->diags);
        if (wa_scenario_check_sets(sc, c->sets, c->nsets, s->diags) != WA_OK) {
            print_diagnostics(s->diags, path, c->quiet, &shown);
            seen_clear(&shown);
            keep_like(s, sc);
            return EXIT_USAGE;
        }
    }
    if (c->command == CMD_CHECK) {
        if (!c->quiet)
            printf("%s: ok\n", path);
        keep_like(s, sc);
        seen_clear(&shown);
        return EXIT_OK;
    }
    if (c->command & CMD_STUDY)
        return study_file(s, sc, path, &shown);
    long *sel;
    size_t nsel;
    status = select_variants(c, sc, path, &sel, &nsel);
    /* Several runs of the file share the first one's draws (wa_runs): each variant costs
       only what it changes, with the same results as a run of its own. */
    wa_runs *rs = NULL;
    for (size_t i = 0; i < nsel; i++) {
        wa_run_options opt = c->run;
        /* --set's changes make a variant of their own; the others run as declared */
        opt.variant = sel[i] == ADHOC ? -1 : sel[i];
        if (sel[i] != ADHOC) {
            opt.sets = NULL;
            opt.nsets = 0;
        }
        opt.progress = on_progress;
        opt.progress_cancel = interrupt_poll;
        opt.progress_ctx = &s->prog;
        progress_begin(&s->prog, path,
                       sel[i] == ADHOC ? "set"
                       : sel[i] < 0    ? NULL
                                       : wa_scenario_variant_name(sc, (size_t)sel[i]));
        wa_result *r = NULL;
        wa_diagnostics_clear(s->diags);
        interrupt_arm(1);
        if (i == 0 && nsel > 1) {
            st = wa_runs_new(sc, &opt, &rs, &r, s->diags);
        } else {
            st = rs ? wa_runs_run(rs, &opt, &r, s->diags) : wa_run(sc, &opt, &r, s->diags);
        }
        interrupt_arm(0);
        progress_end(&s->prog);
        if (interrupt_caught()) { /* the run stopped for a signal: run_files says so, once */
            wa_result_free(r);
            status = EXIT_INVALID;
            break;
        }
        print_diagnostics(s->diags, path, c->quiet, &shown);
        if (st != WA_OK) {
            if (wa_diagnostics_errors(s->diags) == 0)
                fprintf(stderr, "%s: error: the run failed: %s\n", path, wa_status_text(st));
            int e = exit_code(st) ? exit_code(st) : EXIT_INVALID;
            status = e > status ? e : status;
            continue;
        }
        for (size_t k = 0; k < wa_result_summary(r)->nwarnings && !c->quiet; k++)
            if (!seen_check_add(&shown, "W", wa_result_warning(r, k)))
                fprintf(stderr, "%s: warning: %s\n", path, wa_result_warning(r, k));
        if (emit(s, WA_REPORT_RUNS, r) != 0)
            break;
    }
    wa_runs_free(rs);
    free(sel);
    seen_clear(&shown);
    keep_like(s, sc); /* the results own copies of what they show */
    return status;
}

int finish_stdout(int err)
{
    errno = 0;
    if (!err && (fflush(stdout) != 0 || ferror(stdout)))
        err = errno ? errno : EIO;
    if (!err || err == EPIPE)
        return EXIT_OK;
    if (err == ENOMEM) { /* the report could not be built: not an I/O error */
        fputs("walkaway: out of memory: the report is incomplete\n", stderr);
        return EXIT_INVALID;
    }
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

    /* The report must not replace one of the scenarios it is made from. */
    struct stat os;
    if (c->output && c->command != CMD_CHECK && stat(c->output, &os) == 0)
        for (size_t i = 0; i < c->nfiles; i++) {
            struct stat is;
            if (stat(c->files[i], &is) == 0 && is.st_dev == os.st_dev && is.st_ino == os.st_ino)
                return usage_error("-o %s is the scenario file %s: the report would replace it",
                                   c->output, c->files[i]);
        }
    /* A signal stops the runs and leaves -o FILE as it was (interrupt.h); before the
       output is prepared, so that a named temporary file is never unguarded. */
    if (c->command != CMD_CHECK)
        interrupt_install(c->output);
    /* Fail before hours of simulation, not after, if the report could never be stored. */
    cli_outfile *out = NULL;
    if (c->output && c->command != CMD_CHECK) {
        int err = 0;
        out = cli_out_open(c->output, &err);
        if (!out) {
            interrupt_remove();
            cli_out_error(c->output, err);
            return EXIT_IO;
        }
    }
    s.diags = wa_diagnostics_new();
    wa_report_kind kind = c->command == CMD_SWEEP   ? WA_REPORT_SWEEPS
                          : c->command == CMD_SOLVE ? WA_REPORT_SOLVES
                                                    : WA_REPORT_RUNS;
    if (!s.diags || (c->command != CMD_CHECK &&
                     wa_report_open(out ? cli_out_stream(out) : stdout, c->format, kind,
                                    &s.rp) != WA_OK)) {
        fputs("walkaway: out of memory\n", stderr);
        cli_out_abort(out);
        interrupt_remove();
        wa_diagnostics_free(s.diags);
        return EXIT_INVALID;
    }

    /* -j bounds the loading too: the quantile tables are built by OpenMP's default team */
    if (c->run.threads > 0)
        omp_set_num_threads(c->run.threads);
    for (size_t i = 0; i < c->nfiles && !s.write_err && !interrupt_caught(); i++) {
        int st = process_file(&s, c->files[i]);
        if (st != EXIT_OK)
            failed++;
        worst = st > worst ? st : worst;
    }
    if (interrupt_caught()) { /* nothing is written: FILE stays as it was */
        cli_out_abort(out);
        interrupt_die();
    }
    if (c->command == CMD_CHECK)
        goto done;

    /* JSON and CSV readers get a well-formed document even when every run failed; the
       exit status tells them so. */
    wa_status cs = wa_report_close(s.rp);
    int err = s.write_err ? s.write_err : cs == WA_OK ? 0 : errno ? errno : EIO;
    if (!out) {
        int st = finish_stdout(err);
        worst = st > worst ? st : worst;
    } else if (failed > 0 && !c->keep_going) {
        cli_out_abort(out);
        fprintf(stderr, "walkaway: %s not written: %zu of %zu scenario file%s failed\n",
                c->output, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
    } else {
        if (err)
            cli_out_abort(out);
        else
            err = cli_out_commit(out);
        if (err == ENOMEM) { /* the report could not be built: not an I/O error */
            fprintf(stderr, "walkaway: %s not written: out of memory\n", c->output);
            worst = EXIT_INVALID > worst ? EXIT_INVALID : worst;
        } else if (err) {
            cli_out_error(c->output, err);
            worst = EXIT_IO > worst ? EXIT_IO : worst;
        } else if (failed > 0) {
            fprintf(stderr, "walkaway: %s written without %zu of %zu scenario file%s (--keep-going)\n",
                    c->output, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
        }
    }
done:
    interrupt_remove();
    wa_scenario_free(s.like);
    wa_diagnostics_free(s.diags);
    return worst;
}
