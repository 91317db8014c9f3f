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

/* A chart for --charts DIR, rendered and waiting: the folder gets the charts only when
   every file succeeded (or --keep-going), as -o and --report do. */
typedef struct staged_chart {
    char *name; /* the file's name in DIR */
    char *svg;
    size_t len;
} staged_chart;

/* What a command carries from file to file: the report, written as each result is ready
   (to stdout, or to -o FILE's temporary file), so that memory does not grow with the
   number of files; with --report, the HTML page (kept by the library until its close);
   with --charts, the charts rendered so far. */
typedef struct session {
    const cli *c;
    wa_diagnostics *diags;
    progress prog;
    wa_report *rp;   /* NULL for check */
    wa_report *page; /* --report: the HTML page, or NULL */
    staged_chart *charts;
    size_t ncharts, capcharts;
    wa_scenario *like; /* the previous file's scenario: its quantile tables are reused */
    int write_err;   /* the errno of the first failed write; nothing more is written */
    int side_err;    /* the page's or the charts' (only memory can fail): errno, or 0 */
} session;

/* An item's charts, whatever its kind: how many, each one's file name, each one written. */
static size_t chart_count(wa_report_kind kind, const void *item)
{
    return kind == WA_REPORT_RUNS     ? wa_chart_count(item)
           : kind == WA_REPORT_SWEEPS ? wa_sweep_chart_count(item)
                                      : wa_solve_chart_count(item);
}

static size_t chart_name(wa_report_kind kind, const void *item, size_t i, char *buf,
                         size_t size)
{
    return kind == WA_REPORT_RUNS     ? wa_chart_name(item, i, buf, size)
           : kind == WA_REPORT_SWEEPS ? wa_sweep_chart_name(item, i, buf, size)
                                      : wa_solve_chart_name(item, i, buf, size);
}

static wa_status chart_write(FILE *f, wa_report_kind kind, const void *item, size_t i)
{
    return kind == WA_REPORT_RUNS     ? wa_chart_write(f, item, i)
           : kind == WA_REPORT_SWEEPS ? wa_sweep_chart_write(f, item, i)
                                      : wa_solve_chart_write(f, item, i);
}

/* Renders an item's charts for --charts into memory, each under a name of its own: a name
   met before (two files of the same name in different folders, a variant called "base")
   gets "-2", "-3" ... before ".svg". 0, or -1 when out of memory. */
static int stage_charts(session *s, wa_report_kind kind, const void *item)
{
    size_t n = chart_count(kind, item);
    for (size_t i = 0; i < n; i++) {
        size_t len = chart_name(kind, item, i, NULL, 0);
        char *name = malloc(len + 16);
        if (!name)
            return -1;
        chart_name(kind, item, i, name, len + 1);
        for (unsigned copy = 2;; copy++) {
            int seen = 0;
            for (size_t j = 0; j < s->ncharts && !seen; j++)
                seen = strcmp(s->charts[j].name, name) == 0;
            if (!seen)
                break;
            chart_name(kind, item, i, name, len + 1);
            snprintf(name + len - 4, 16, "-%u.svg", copy); /* len - 4: before ".svg" */
        }
        if (s->ncharts == s->capcharts) {
            size_t cap = s->capcharts ? 2 * s->capcharts : 32;
            staged_chart *v = realloc(s->charts, cap * sizeof *v);
            if (!v) {
                free(name);
                return -1;
            }
            s->charts = v;
            s->capcharts = cap;
        }
        staged_chart *sc = &s->charts[s->ncharts];
        sc->name = name;
        sc->svg = NULL;
        sc->len = 0;
        FILE *m = open_memstream(&sc->svg, &sc->len);
        wa_status st = m ? chart_write(m, kind, item, i) : WA_ENOMEM;
        if ((m && fclose(m) != 0) || st != WA_OK) {
            free(sc->svg);
            free(name);
            return -1;
        }
        s->ncharts++;
    }
    return 0;
}

static void free_charts(session *s)
{
    for (size_t i = 0; i < s->ncharts; i++) {
        free(s->charts[i].name);
        free(s->charts[i].svg);
    }
    free(s->charts);
    s->charts = NULL;
    s->ncharts = s->capcharts = 0;
}

/* Keeps sc as the scenario the next file's tables may be copied from (freeing the one
   before): a batch of related files builds each distinct table once. */
static void keep_like(session *s, wa_scenario *sc)
{
    wa_scenario_free(s->like);
    s->like = sc;
}

/* Adds an item of any kind to a report. */
static wa_status report_add(wa_report *rp, wa_report_kind kind, const void *item)
{
    return kind == WA_REPORT_RUNS     ? wa_report_add(rp, item)
           : kind == WA_REPORT_SWEEPS ? wa_report_add_sweep(rp, item)
                                      : wa_report_add_solve(rp, item);
}

/* Writes one item to the report (and the page and the charts) and frees it. -1 when
   every output is lost (the reasons are in s->write_err and s->side_err), so that further
   runs would be wasted; a report that failed alone (stdout went away: `| head`) does not
   stop the page and the charts. */
static int emit(session *s, wa_report_kind kind, void *item)
{
    wa_status st = s->write_err ? WA_EIO : report_add(s->rp, kind, item);
    if (st != WA_OK && !s->write_err)
        s->write_err = st == WA_ENOMEM ? ENOMEM : errno ? errno : EIO;
    /* the page and the charts are kept in memory until the end: only memory can fail */
    if (!s->side_err && ((s->page && report_add(s->page, kind, item) != WA_OK) ||
                         (s->c->charts && stage_charts(s, kind, item) != 0)))
        s->side_err = ENOMEM;
    if (kind == WA_REPORT_RUNS)
        wa_result_free(item);
    else if (kind == WA_REPORT_SWEEPS)
        wa_sweep_free(item);
    else
        wa_solve_free(item);
    int sides = s->page || s->c->charts;
    return s->side_err || (s->write_err && !sides) ? -1 : 0;
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

/* Whether paths a and b name the same file (both exist) or are the same text. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (strcmp(a, b) == 0)
        return 1;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Whether --charts DIR can take the charts: a folder that can be written, or one that can
   be made (its parent is a writable folder). 0, or an errno value. */
static int charts_dir_ok(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return ENOTDIR;
        return access(dir, W_OK | X_OK) == 0 ? 0 : errno;
    }
    if (errno != ENOENT)
        return errno;
    /* missing: its parent must be a folder to make it in */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *slash = NULL;
    for (size_t i = 0; i < n; i++)
        if (dir[i] == '/')
            slash = dir + i;
    char *parent = slash ? malloc((size_t)(slash - dir) + 2) : NULL;
    if (slash && !parent)
        return ENOMEM;
    if (parent) {
        size_t pl = slash == dir ? 1 : (size_t)(slash - dir);
        memcpy(parent, dir, pl);
        parent[pl] = '\0';
    }
    const char *p = parent ? parent : ".";
    int e = stat(p, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOENT
                              : access(p, W_OK | X_OK) != 0 ? errno : 0;
    free(parent);
    return e;
}

/* Writes the staged charts into dir (made if missing), each file atomically. Returns
   EXIT_OK, or EXIT_IO after saying which file could not be written and why. */
static int write_charts(session *s, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "walkaway: cannot write charts to %s: %s\n", dir, strerror(errno));
        return EXIT_IO;
    }
    for (size_t i = 0; i < s->ncharts; i++) {
        size_t n = strlen(dir) + strlen(s->charts[i].name) + 2;
        char *path = malloc(n);
        if (!path) {
            fputs("walkaway: out of memory\n", stderr);
            return EXIT_IO;
        }
        snprintf(path, n, "%s/%s", dir, s->charts[i].name);
        int err = 0;
        cli_outfile *o = cli_out_open(path, &err);
        if (o) {
            FILE *f = cli_out_stream(o);
            if (fwrite(s->charts[i].svg, 1, s->charts[i].len, f) != s->charts[i].len) {
                err = errno ? errno : EIO;
                cli_out_abort(o);
            } else {
                err = cli_out_commit(o);
            }
        }
        if (err) {
            fprintf(stderr, "walkaway: cannot write %s: %s\n", path, strerror(err));
            free(path);
            return EXIT_IO;
        }
        free(path);
    }
    return EXIT_OK;
}

/* The end of the HTML page: written and put in place when every file succeeded (or
   --keep-going), else dropped with a word. Returns EXIT_OK or EXIT_IO. */
static int finish_page(session *s, cli_outfile *page_out, size_t failed)
{
    const cli *c = s->c;
    errno = 0;
    wa_status ps = wa_report_close(s->page);
    s->page = NULL;
    int err = s->side_err ? s->side_err : ps == WA_OK ? 0 : errno ? errno : EIO;
    if (failed > 0 && !c->keep_going) {
        cli_out_abort(page_out);
        fprintf(stderr, "walkaway: %s not written: %zu of %zu scenario file%s failed\n",
                c->report, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
        return EXIT_OK;
    }
    if (err)
        cli_out_abort(page_out);
    else
        err = cli_out_commit(page_out);
    if (err) {
        fprintf(stderr, "walkaway: cannot write %s: %s\n", c->report, strerror(err));
        return EXIT_IO;
    }
    return EXIT_OK;
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
    if (c->report) {
        for (size_t i = 0; i < c->nfiles; i++)
            if (same_file(c->report, c->files[i]))
                return usage_error("--report %s is the scenario file %s: the page would "
                                   "replace it",
                                   c->report, c->files[i]);
        if (c->output && same_file(c->report, c->output))
            return usage_error("--report %s is also -o: the page and the report would "
                               "replace each other",
                               c->report);
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
    cli_outfile *page_out = NULL;
    if (c->report) {
        int err = 0;
        page_out = cli_out_open(c->report, &err);
        if (!page_out) {
            fprintf(stderr, "walkaway: cannot write %s: %s\n", c->report, strerror(err));
            cli_out_abort(out);
            interrupt_remove();
            return EXIT_IO;
        }
    }
    if (c->charts) {
        int err = charts_dir_ok(c->charts);
        if (err) {
            fprintf(stderr, "walkaway: cannot write charts to %s: %s\n", c->charts,
                    strerror(err));
            cli_out_abort(out);
            cli_out_abort(page_out);
            interrupt_remove();
            return EXIT_IO;
        }
    }
    s.diags = wa_diagnostics_new();
    wa_report_kind kind = c->command == CMD_SWEEP   ? WA_REPORT_SWEEPS
                          : c->command == CMD_SOLVE ? WA_REPORT_SOLVES
                                                    : WA_REPORT_RUNS;
    if (!s.diags || (c->command != CMD_CHECK &&
                     wa_report_open(out ? cli_out_stream(out) : stdout, c->format, kind,
                                    &s.rp) != WA_OK) ||
        (page_out &&
         wa_report_open(cli_out_stream(page_out), WA_FORMAT_HTML, kind, &s.page) != WA_OK)) {
        fputs("walkaway: out of memory\n", stderr);
        wa_report_close(s.rp);
        cli_out_abort(out);
        interrupt_remove();
        cli_out_abort(page_out);
        wa_diagnostics_free(s.diags);
        return EXIT_INVALID;
    }

    /* -j bounds the loading too: the quantile tables are built by OpenMP's default team */
    if (c->run.threads > 0)
        omp_set_num_threads(c->run.threads);
    for (size_t i = 0; i < c->nfiles && !s.side_err &&
                       !(s.write_err && !s.page && !c->charts) &&
                       !interrupt_caught();
         i++) {
        int st = process_file(&s, c->files[i]);
        if (st != EXIT_OK)
            failed++;
        worst = st > worst ? st : worst;
    }
    if (interrupt_caught()) { /* nothing is written: FILE stays as it was */
        cli_out_abort(out);
        cli_out_abort(page_out);
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
    if (page_out) {
        int st = finish_page(&s, page_out, failed);
        worst = st > worst ? st : worst;
    }
    if (c->charts && failed > 0 && !c->keep_going) {
        fprintf(stderr, "walkaway: no charts written to %s: %zu of %zu scenario file%s failed\n",
                c->charts, failed, c->nfiles, c->nfiles == 1 ? "" : "s");
    } else if (c->charts && s.side_err) {
        fprintf(stderr, "walkaway: no charts written to %s: %s\n", c->charts,
                strerror(s.side_err));
        worst = EXIT_IO > worst ? EXIT_IO : worst;
    } else if (c->charts) {
        int st = write_charts(&s, c->charts);
        worst = st > worst ? st : worst;
    }
done:
    free_charts(&s);
    interrupt_remove();
    wa_scenario_free(s.like);
    wa_diagnostics_free(s.diags);
    return worst;
}
