/*
 * test_cli_report.c — `walkaway run --report FILE.html` and `--charts DIR` end to end: the
 * program is run as a child process (WA_CLI) in tests/data/cli, as test_cli.c does, and its
 * exit status, messages and files are checked. Error tests assert the exact text.
 *
 * What is checked: the page and the charts are written whole and nothing else is left in
 * their folders; a run that fails leaves no page and no charts (an old page untouched); the
 * usage errors (a study, --format html, a page that would replace a scenario or -o) and
 * the folders that cannot be written, before anything runs.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA WA_TEST_DATA "/cli"

typedef struct outcome {
    int status; /* exit status, or 128 + signal */
    char *out, *err;
} outcome;

static char *slurp(FILE *f)
{
    fflush(f);
    long n = (fseek(f, 0, SEEK_END) == 0) ? ftell(f) : -1;
    cr_assert(n >= 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert(s);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* Runs WA_CLI with argv (NULL-terminated, argv[0] included) in DATA; output to anonymous
   files, so that a large report cannot block the child, or with broken_pipe to a pipe
   nobody reads (`| head` gone). */
static outcome run_mode(int broken_pipe, const char *const *argv)
{
    FILE *out = tmpfile(), *err = tmpfile();
    int pfd[2] = {-1, -1};
    cr_assert(out && err);
    if (broken_pipe)
        cr_assert(pipe(pfd) == 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = broken_pipe ? pfd[1] : fileno(out);
        if (in < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(fileno(err), 2) < 0)
            _exit(126);
        if (broken_pipe)
            close(pfd[0]); /* nobody reads: the first write gets EPIPE */
        if (chdir(DATA) != 0)
            _exit(126);
        execv(WA_CLI, (char *const *)argv);
        _exit(127);
    }
    if (broken_pipe) {
        close(pfd[0]);
        close(pfd[1]);
    }
    int ws;
    cr_assert(waitpid(pid, &ws, 0) == pid);
    outcome r;
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

#define RUN(...) run_mode(0, (const char *const[]){WA_CLI, __VA_ARGS__, NULL})
#define RUN_BROKEN_PIPE(...) run_mode(1, (const char *const[]){WA_CLI, __VA_ARGS__, NULL})

static void outcome_free(outcome *r)
{
    free(r->out);
    free(r->err);
}

static char *scratch_dir(void)
{
    char *d = strdup("/tmp/wa-test-report-XXXXXX");
    cr_assert(d && mkdtemp(d));
    return d;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    return slurp(f);
}

/* The names in dir, sorted and joined by spaces ("" when empty). */
static char *listing(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    cr_assert(n >= 0);
    char *s = calloc(1, 8192);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (s[0])
                strcat(s, " ");
            strncat(s, names[i]->d_name, 8192 - strlen(s) - 2);
        }
        free(names[i]);
    }
    free(names);
    return s;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = path_in(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static size_t count(const char *s, const char *sub)
{
    size_t n = 0;
    for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub))
        n++;
    return n;
}

/* ---- the page and the charts ------------------------------------------------------------ */

Test(cli_report, page_and_charts_are_written_whole)
{
    char *dir = scratch_dir();
    char *page = path_in(dir, "page.html"), *charts = path_in(dir, "charts");
    outcome r = RUN("run", "-n", "500", "-j", "1", "--report", page, "--charts", charts,
                    "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_str_eq(r.err, "");
    cr_expect(strstr(r.out, "The answer") != NULL, "the text report still goes to stdout");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "charts page.html"); /* no temporary file left */
    free(ls);
    char *html = read_file(page);
    cr_expect(!strncmp(html, "<!DOCTYPE html>", 15));
    /* the base and the variant: S-curves, three per offer (two offers), EVPPI each */
    size_t svgs = count(html, "<svg");
    cr_expect_eq(svgs, 2 * (1 + 2 * 3 + 1), "%zu charts", svgs);
    ls = listing(charts);
    cr_expect_str_eq(ls,
                     "renewal-base-discount-histogram.svg renewal-base-discount-spider.svg "
                     "renewal-base-discount-tornado.svg renewal-base-evppi.svg "
                     "renewal-base-renew-histogram.svg renewal-base-renew-spider.svg "
                     "renewal-base-renew-tornado.svg renewal-base-scurves.svg "
                     "renewal-cheap-migration-discount-histogram.svg "
                     "renewal-cheap-migration-discount-spider.svg "
                     "renewal-cheap-migration-discount-tornado.svg "
                     "renewal-cheap-migration-evppi.svg "
                     "renewal-cheap-migration-renew-histogram.svg "
                     "renewal-cheap-migration-renew-spider.svg "
                     "renewal-cheap-migration-renew-tornado.svg "
                     "renewal-cheap-migration-scurves.svg");
    free(ls);
    char *one = path_in(charts, "renewal-base-renew-histogram.svg");
    char *svg = read_file(one);
    cr_expect(!strncmp(svg, "<?xml", 5) && strstr(svg, "</svg>\n"));
    free(svg);
    free(one);
    /* the same page when run again, whatever the threads: replaced whole */
    outcome r2 = RUN("run", "-n", "500", "-j", "2", "--report", page, "renewal.yaml");
    cr_assert_eq(r2.status, 0);
    char *again = read_file(page);
    cr_expect_str_eq(again, html);
    free(again);
    outcome_free(&r2);
    free(html);
    outcome_free(&r);
    remove_tree(dir);
    free(page);
    free(charts);
    free(dir);
}

Test(cli_report, a_failed_run_leaves_no_page_and_no_charts)
{
    char *dir = scratch_dir();
    char *page = path_in(dir, "page.html"), *charts = path_in(dir, "charts");
    write_file(page, "previous page\n");
    outcome r = RUN("run", "-n", "200", "-j", "1", "--report", page, "--charts", charts,
                    "renewal.yaml", "nan_run.yaml");
    cr_assert_eq(r.status, 1);
    char want[1024];
    snprintf(want, sizeof want,
             "walkaway: %s not written: 1 of 2 scenario files failed\n"
             "walkaway: no charts written to %s: 1 of 2 scenario files failed\n",
             page, charts);
    cr_expect(strstr(r.err, want), "stderr: %s", r.err);
    char *text = read_file(page);
    cr_expect_str_eq(text, "previous page\n");
    free(text);
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "page.html"); /* no charts folder, no temporary file */
    free(ls);
    outcome_free(&r);

    /* with --keep-going, what succeeded */
    r = RUN("run", "-n", "200", "-j", "1", "--keep-going", "--report", page, "renewal.yaml",
            "nan_run.yaml");
    cr_assert_eq(r.status, 1);
    text = read_file(page);
    cr_expect(strstr(text, "Tiny renewal") && !strstr(text, "Fails at run time"));
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(page);
    free(charts);
    free(dir);
}

/* ---- usage errors and folders that cannot be written --------------------------------------- */

Test(cli_report, sweeps_and_solves_have_pages_and_charts_too)
{
    char *dir = scratch_dir();
    char *page = path_in(dir, "sweep.html"), *charts = path_in(dir, "charts");
    outcome r = RUN("sweep", "-n", "500", "--vary", "price=90k,100k", "--vary",
                    "migration.max=250k,320k,400k", "--report", page, "--charts", charts,
                    "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char *html = read_file(page);
    cr_expect_eq(count(html, "<figure class=\"chart heatmap\">"), 2); /* one per offer */
    free(html);
    char *ls = listing(charts);
    cr_expect_str_eq(ls, "renewal-base-discount-heatmap.svg renewal-base-renew-heatmap.svg");
    free(ls);
    outcome_free(&r);
    char *solved = path_in(dir, "solve.html");
    r = RUN("solve", "-n", "500", "--vary", "price=90k:110k", "--offer", "renew", "--report",
            solved, "--charts", charts, "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    html = read_file(solved);
    cr_expect_eq(count(html, "<figure class=\"chart solve\">"), 1);
    free(html);
    ls = listing(charts); /* the folder's charts are replaced one by one, not emptied */
    cr_expect_str_eq(ls, "renewal-base-discount-heatmap.svg renewal-base-renew-heatmap.svg "
                         "renewal-base-renew-solve.svg");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(page);
    free(solved);
    free(charts);
    free(dir);
}

Test(cli_report, usage_errors)
{
    outcome r;
    r = RUN("run", "--format", "html", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: invalid value 'html' for --format: the HTML page is "
                            "written with --report FILE.html\nTry 'walkaway --help'.\n");
    outcome_free(&r);
    r = RUN("run", "--report=", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: invalid value '' for --report: expected a file name\n"
                            "Try 'walkaway --help'.\n");
    outcome_free(&r);
    r = RUN("check", "--report", "x.html", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: option '--report' does not apply to 'check'\n"
                            "Try 'walkaway --help'.\n");
    outcome_free(&r);
}

Test(cli_report, a_page_may_not_replace_a_scenario_or_the_report)
{
    outcome r = RUN("run", "--report", "renewal.yaml", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: --report renewal.yaml is the scenario file renewal.yaml: "
                            "the page would replace it\nTry 'walkaway --help'.\n");
    outcome_free(&r);
    r = RUN("run", "-o", "same.html", "--report", "same.html", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: --report same.html is also -o: the page and the report "
                            "would replace each other\nTry 'walkaway --help'.\n");
    outcome_free(&r);
    struct stat st;
    cr_expect(stat(DATA "/same.html", &st) != 0, "nothing was written");
}

Test(cli_report, folders_that_cannot_be_written_exit_3_before_running)
{
    char *dir = scratch_dir();
    char *missing = path_in(dir, "missing/page.html");
    outcome r = RUN("run", "-n", "100", "--report", missing, "renewal.yaml");
    cr_expect_eq(r.status, 3);
    char want[1024];
    snprintf(want, sizeof want, "walkaway: cannot write %s: No such file or directory\n",
             missing);
    cr_expect_str_eq(r.err, want);
    cr_expect_str_eq(r.out, "", "nothing ran");
    outcome_free(&r);

    char *plain = path_in(dir, "plain");
    write_file(plain, "x\n");
    r = RUN("run", "-n", "100", "--charts", plain, "renewal.yaml");
    cr_expect_eq(r.status, 3);
    snprintf(want, sizeof want, "walkaway: cannot write charts to %s: Not a directory\n", plain);
    cr_expect_str_eq(r.err, want);
    outcome_free(&r);

    char *deep = path_in(dir, "no/such/charts");
    r = RUN("run", "-n", "100", "--charts", deep, "renewal.yaml");
    cr_expect_eq(r.status, 3);
    snprintf(want, sizeof want, "walkaway: cannot write charts to %s: No such file or directory\n",
             deep);
    cr_expect_str_eq(r.err, want);
    outcome_free(&r);
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "plain");
    free(ls);
    remove_tree(dir);
    free(missing);
    free(plain);
    free(deep);
    free(dir);
}

Test(cli_report, the_page_is_written_when_stdout_goes_away)
{
    /* `walkaway run --report page.html a.yaml b.yaml | head`: the text report stops, the
       page still holds every run */
    char *dir = scratch_dir();
    char *page = path_in(dir, "page.html");
    outcome r = RUN_BROKEN_PIPE("run", "-n", "200", "-j", "1", "--report", page, "renewal.yaml",
                                "vendor.yaml");
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_str_eq(r.err, "");
    char *html = read_file(page);
    cr_expect_eq(count(html, "<section class=\"run\""), 3, "renewal's two runs and vendor's");
    free(html);
    outcome_free(&r);
    remove_tree(dir);
    free(page);
    free(dir);
}
