/*
 * test_cli.c — the `walkaway` program end to end: it is run as a child process (WA_CLI)
 * on the small scenarios in tests/data/cli/, and its exit status, stdout and stderr are
 * checked. Error tests assert the exact text.
 *
 * Children run with their working directory in tests/data/cli, so that file names in
 * messages are short and exact. Their output goes to anonymous temporary files, not
 * pipes, so a large report can never deadlock the test. Runs use few trials and one
 * thread; the tests that interrupt a run wait half a second for it to get going: the
 * whole file takes a few seconds. Faults are real where the machine allows them (a small
 * tmpfs, a read-only bind mount, another user); a test that cannot make its fault here
 * says so and is skipped.
 *
 * JSON is checked with a small parser below rather than cJSON, because the test targets
 * are not linked with libcjson; keeping number lexemes as text also lets the test see the
 * exact digits of a 64-bit seed.
 */
#define _GNU_SOURCE /* mknod, makedev, unshare, mount */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DATA WA_TEST_DATA "/cli"

/* ---- running the program ------------------------------------------------------------- */

typedef struct outcome {
    int status; /* exit status, or 128 + signal */
    char *out;  /* stdout, NUL-terminated */
    char *err;  /* stderr */
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

enum { STDOUT_FILE, STDOUT_DEV_FULL, STDOUT_BROKEN_PIPE };

/* What a child does just before exec: lower a limit, become another user. It may _exit. */
typedef void (*child_setup)(void);

/* A child started but not yet waited for. */
typedef struct child {
    pid_t pid;
    FILE *out, *err;
} child;

/* Starts WA_CLI with argv (NULL-terminated, argv[0] included) in directory dir, after
   setup (NULL: none). Signals are as the program would find them in a shell: not ignored
   because the test runner ignores them, not blocked. */
static child start_child(int mode, child_setup setup, const char *dir, const char *const *argv)
{
    child ch = {-1, tmpfile(), tmpfile()};
    cr_assert(ch.out && ch.err);
    int pfd[2] = {-1, -1};
    if (mode == STDOUT_BROKEN_PIPE)
        cr_assert(pipe(pfd) == 0);
    fflush(stdout);
    fflush(stderr);
    ch.pid = fork();
    cr_assert(ch.pid >= 0);
    if (ch.pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = mode == STDOUT_DEV_FULL ? open("/dev/full", O_WRONLY)
              : mode == STDOUT_BROKEN_PIPE ? pfd[1] : fileno(ch.out);
        if (in < 0 || o < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(fileno(ch.err), 2) < 0)
            _exit(126);
        if (mode == STDOUT_BROKEN_PIPE)
            close(pfd[0]); /* nobody reads: the first write gets EPIPE */
        if (chdir(dir) != 0)
            _exit(126);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        if (setup)
            setup();
        execv(WA_CLI, (char *const *)argv);
        _exit(127);
    }
    if (mode == STDOUT_BROKEN_PIPE) {
        close(pfd[0]);
        close(pfd[1]);
    }
    return ch;
}

/* The outcome of a child that ended with wait status ws. */
static outcome child_outcome(child *ch, int ws)
{
    outcome r;
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = slurp(ch->out);
    r.err = slurp(ch->err);
    return r;
}

/* Waits for pid at most seconds; a child still there then is killed, so that no test can
   hang on it. 1 if it ended by itself (*ws is its status), 0 if it had to be killed. */
static int wait_bounded(pid_t pid, double seconds, int *ws)
{
    for (double t = 0; t < seconds; t += 0.01) {
        pid_t got = waitpid(pid, ws, WNOHANG);
        cr_assert(got >= 0);
        if (got == pid)
            return 1;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, ws, 0);
    return 0;
}

static outcome run_setup(int mode, child_setup setup, const char *dir, const char *const *argv)
{
    child ch = start_child(mode, setup, dir, argv);
    int ws;
    cr_assert(waitpid(ch.pid, &ws, 0) == ch.pid);
    return child_outcome(&ch, ws);
}

static outcome run_mode(int mode, const char *dir, const char *const *argv)
{
    return run_setup(mode, NULL, dir, argv);
}

#define ARGV(...) ((const char *const[]){WA_CLI, __VA_ARGS__, NULL})
#define RUN(...) run_mode(STDOUT_FILE, DATA, ARGV(__VA_ARGS__))
#define RUN_IN(dir, ...) run_mode(STDOUT_FILE, dir, ARGV(__VA_ARGS__))

static void outcome_free(outcome *r)
{
    free(r->out);
    free(r->err);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static size_t count_substr(const char *s, const char *sub)
{
    size_t n = 0;
    for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub))
        n++;
    return n;
}

/* ---- scratch directories --------------------------------------------------------------- */

static char *scratch_dir(void)
{
    char *d = strdup("/tmp/wa-test-cli-XXXXXX");
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
    char *s = calloc(1, 4096);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (s[0])
                strcat(s, " ");
            strncat(s, names[i]->d_name, 4096 - strlen(s) - 2);
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
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p, 0700);
            remove_tree(p);
        } else {
            unlink(p);
        }
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* ---- a small JSON parser (values kept as text) ----------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jnode {
    jtype type;
    char *text;            /* J_STR: the decoded string (ASCII escapes only); J_NUM: lexeme */
    size_t n;
    struct jnode **items;  /* J_ARR, J_OBJ */
    char **keys;           /* J_OBJ */
} jnode;

static void jfree(jnode *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        jfree(j->items[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->text);
    free(j);
}

static void jws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

static char *jstring(const char **p)
{
    if (**p != '"')
        return NULL;
    (*p)++;
    char *s = malloc(strlen(*p) + 1);
    size_t n = 0;
    while (**p && **p != '"') {
        char c = *(*p)++;
        if (c == '\\') {
            c = *(*p)++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': /* not produced for our ASCII-or-UTF-8 names; keep it verbatim */
                s[n++] = '\\';
                break;
            case '"': case '\\': case '/': break;
            default: free(s); return NULL;
            }
        } else if ((unsigned char)c < 0x20) {
            free(s);
            return NULL;
        }
        s[n++] = c;
    }
    if (**p != '"') {
        free(s);
        return NULL;
    }
    (*p)++;
    s[n] = '\0';
    return s;
}

static jnode *jvalue(const char **p);

static void jadd(jnode *j, char *key, jnode *item)
{
    j->items = realloc(j->items, (j->n + 1) * sizeof *j->items);
    cr_assert(j->items);
    if (j->type == J_OBJ) {
        j->keys = realloc(j->keys, (j->n + 1) * sizeof *j->keys);
        cr_assert(j->keys);
        j->keys[j->n] = key;
    }
    j->items[j->n++] = item;
}

static jnode *jcontainer(const char **p, jtype type, char close)
{
    jnode *j = calloc(1, sizeof *j);
    j->type = type;
    (*p)++;
    jws(p);
    if (**p == close) {
        (*p)++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        jws(p);
        if (type == J_OBJ) {
            key = jstring(p);
            jws(p);
            if (!key || **p != ':') {
                free(key);
                jfree(j);
                return NULL;
            }
            (*p)++;
        }
        jnode *v = jvalue(p);
        if (!v) {
            free(key);
            jfree(j);
            return NULL;
        }
        jadd(j, key, v);
        jws(p);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        if (**p == close) {
            (*p)++;
            return j;
        }
        jfree(j);
        return NULL;
    }
}

static jnode *jvalue(const char **p)
{
    jws(p);
    const char *s = *p;
    if (*s == '{')
        return jcontainer(p, J_OBJ, '}');
    if (*s == '[')
        return jcontainer(p, J_ARR, ']');
    jnode *j = calloc(1, sizeof *j);
    if (*s == '"') {
        j->type = J_STR;
        j->text = jstring(p);
    } else if (!strncmp(s, "null", 4)) {
        j->type = J_NULL;
        *p += 4;
        return j;
    } else if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5)) {
        j->type = J_BOOL;
        *p += *s == 't' ? 4 : 5;
        return j;
    } else {
        /* JSON number grammar: -?int frac? exp? */
        const char *q = s;
        if (*q == '-')
            q++;
        if (*q == '0')
            q++;
        else if (*q >= '1' && *q <= '9')
            while (*q >= '0' && *q <= '9')
                q++;
        else
            q = NULL;
        if (q && *q == '.') {
            q++;
            if (*q < '0' || *q > '9')
                q = NULL;
            while (q && *q >= '0' && *q <= '9')
                q++;
        }
        if (q && (*q == 'e' || *q == 'E')) {
            q++;
            if (*q == '+' || *q == '-')
                q++;
            if (*q < '0' || *q > '9')
                q = NULL;
            while (q && *q >= '0' && *q <= '9')
                q++;
        }
        if (q) {
            j->type = J_NUM;
            j->text = strndup(s, (size_t)(q - s));
            *p = q;
        }
    }
    if (!j->text) {
        free(j);
        return NULL;
    }
    return j;
}

/* The whole text must be one value (and whitespace). */
static jnode *jparse(const char *text)
{
    const char *p = text;
    jnode *j = jvalue(&p);
    jws(&p);
    if (j && *p) {
        jfree(j);
        return NULL;
    }
    return j;
}

static jnode *jget(const jnode *o, const char *key)
{
    if (!o || o->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key))
            return o->items[i];
    return NULL;
}

/* Asserts that o has key with the given type and returns it. */
static jnode *jneed(const jnode *o, const char *key, jtype type)
{
    jnode *v = jget(o, key);
    cr_assert(v, "missing key '%s'", key);
    cr_assert_eq(v->type, type, "key '%s' has type %d, expected %d", key, v->type, type);
    return v;
}

static void check_stats(const jnode *o, const char *key)
{
    static const char *const fields[] = {"mean", "sd",  "min", "max", "p5", "p10",
                                         "p25",  "p50", "p75", "p90", "p95"};
    jnode *st = jneed(o, key, J_OBJ);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        jneed(st, fields[i], J_NUM);
}

/* ---- basics ---------------------------------------------------------------------------- */

Test(cli, version_prints_the_version)
{
    outcome r = RUN("--version");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "walkaway 1.0.0\n");
    cr_assert_str_eq(r.err, "");
    outcome_free(&r);
}

Test(cli, help_lists_commands_options_and_exit_codes)
{
    static const char *const words[] = {
        "Usage: walkaway run [options] SCENARIO...", "walkaway check", "--trials", "--seed",
        "--threads", "--method", "--confidence", "--format", "--output", "--set", "--variant",
        "--quiet", "--help", "--version", "Exit status", "usage error"};
    const char *const forms[] = {"--help", "-h", "help"};
    for (size_t k = 0; k < 3; k++) {
        outcome r = RUN(forms[k]);
        cr_assert_eq(r.status, 0);
        cr_assert_str_eq(r.err, "");
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            cr_assert(strstr(r.out, words[i]), "help lacks '%s'", words[i]);
        outcome_free(&r);
    }
    outcome r = RUN("run", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "Usage: walkaway run"));
    outcome_free(&r);
}

/* ---- usage errors ---------------------------------------------------------------------- */

typedef struct usage_case {
    const char *argv[8];
    const char *message; /* after "walkaway: " */
} usage_case;

static const usage_case usage_cases[] = {
    {{NULL}, "no command given"},
    {{"frobnicate", "renewal.yaml"}, "unknown command 'frobnicate'"},
    {{"rnu", "renewal.yaml"}, "unknown command 'rnu' (did you mean 'run'?)"},
    {{"--quiet", "run", "renewal.yaml"}, "expected a command (run, check, sweep or solve) before '--quiet'"},
    {{"sweep", "renewal.yaml"},
     "sweep needs --vary NAME=FROM:TO:STEPS (or NAME=V1,V2,...)"},
    {{"sweep", "renewal.yaml", "--vary", "price"},
     "invalid value 'price' for --vary: expected NAME=FROM:TO:STEPS or NAME=V1,V2,..."},
    {{"sweep", "--vary", "price=1,2", "--variant", "base", "--variant", "cheap-migration",
      "renewal.yaml"},
     "sweep takes one --variant: the grid is built on it"},
    {{"run", "--vary", "price=1,2", "renewal.yaml"}, "option '--vary' does not apply to 'run'"},
    {{"swep", "renewal.yaml"}, "unknown command 'swep' (did you mean 'sweep'?)"},
    {{"solve", "renewal.yaml", "--offer", "renew"}, "solve needs --vary NAME=FROM:TO"},
    {{"solve", "renewal.yaml", "--vary", "price=1:2", "--vary", "migration=1:2", "--offer",
      "renew"},
     "solve takes one --vary NAME=FROM:TO"},
    {{"solve", "renewal.yaml", "--vary", "price=1:2"},
     "solve needs --offer OFFER: the offer whose decision flips"},
    {{"solve", "--offer", "renew", "--offer", "discount", "renewal.yaml"},
     "option '--offer' is given twice"},
    {{"sweep", "--target", "c", "renewal.yaml"}, "option '--target' does not apply to 'sweep'"},
    {{"run"}, "no scenario file given"},
    {{"check", "--quiet"}, "no scenario file given"},
    {{"run", "-n", "abc", "renewal.yaml"},
     "invalid value 'abc' for -n: expected a whole number of trials from 1 to 10^10"},
    {{"run", "-n", "0", "renewal.yaml"},
     "invalid value '0' for -n: expected a whole number of trials from 1 to 10^10"},
    {{"run", "--trials=10000000001", "renewal.yaml"},
     "invalid value '10000000001' for --trials: expected a whole number of trials from 1 to "
     "10^10"},
    {{"run", "-n1_", "renewal.yaml"},
     "invalid value '1_' for -n: expected a whole number of trials from 1 to 10^10"},
    {{"run", "renewal.yaml", "-n"}, "option '-n' needs a value"},
    {{"run", "renewal.yaml", "--seed"}, "option '--seed' needs a value"},
    {{"run", "--seed", "18446744073709551616", "renewal.yaml"},
     "invalid value '18446744073709551616' for --seed: expected a whole number from 0 to "
     "18446744073709551615"},
    {{"run", "--seed=-1", "renewal.yaml"},
     "invalid value '-1' for --seed: expected a whole number from 0 to 18446744073709551615"},
    {{"run", "-j", "-1", "renewal.yaml"},
     "invalid value '-1' for -j: expected a whole number from 0 (all cores) to 4096"},
    {{"run", "--threads=many", "renewal.yaml"},
     "invalid value 'many' for --threads: expected a whole number from 0 (all cores) to 4096"},
    {{"run", "--method", "random", "renewal.yaml"},
     "invalid value 'random' for --method: expected monte-carlo, latin-hypercube or sobol"},
    {{"run", "--confidence", "1.5", "renewal.yaml"},
     "invalid value '1.5' for --confidence: expected a number strictly between 0 and 1"},
    {{"run", "--confidence=0", "renewal.yaml"},
     "invalid value '0' for --confidence: expected a number strictly between 0 and 1"},
    {{"run", "--confidence", "nan", "renewal.yaml"},
     "invalid value 'nan' for --confidence: expected a number strictly between 0 and 1"},
    {{"run", "--memory", "8x", "renewal.yaml"},
     "invalid value '8x' for --memory: expected a size such as 512M, 8G or 1.5GiB"},
    {{"run", "--memory", "0", "renewal.yaml"},
     "invalid value '0' for --memory: expected a size such as 512M, 8G or 1.5GiB"},
    {{"run", "--memory", "-1G", "renewal.yaml"},
     "invalid value '-1G' for --memory: expected a size such as 512M, 8G or 1.5GiB"},
    {{"run", "--format", "xml", "renewal.yaml"},
     "invalid value 'xml' for --format: expected text, markdown, json or csv"},
    {{"run", "--set", "price", "renewal.yaml"},
     "invalid value 'price' for --set: expected NAME=VALUE"},
    {{"run", "--set", "1x=3", "renewal.yaml"},
     "invalid value '1x=3' for --set: expected NAME=VALUE"},
    {{"run", "-o", "", "renewal.yaml"}, "invalid value '' for -o: expected a file name"},
    {{"run", "--variant=", "renewal.yaml"},
     "invalid value '' for --variant: expected a variant name"},
    {{"run", "--trails", "10", "renewal.yaml"},
     "unknown option '--trails' (did you mean '--trials'?)"},
    {{"run", "-trials", "10", "renewal.yaml"},
     "unknown option '-trials' (did you mean '--trials'?)"},
    {{"run", "--formt=json", "renewal.yaml"},
     "unknown option '--formt' (did you mean '--format'?)"},
    {{"run", "-x", "renewal.yaml"}, "unknown option '-x'"},
    {{"run", "--frobnicate", "renewal.yaml"}, "unknown option '--frobnicate'"},
    {{"run", "--quiet=yes", "renewal.yaml"}, "option '--quiet' does not take a value"},
    {{"check", "--charts", "charts", "renewal.yaml"}, "option '--charts' does not apply to 'check'"},
    {{"run", "--format", "html", "renewal.yaml"},
     "invalid value 'html' for --format: the HTML page is written with --report FILE.html"},
    {{"check", "-n", "10", "renewal.yaml"}, "option '-n' does not apply to 'check'"},
    {{"check", "--format=json", "renewal.yaml"}, "option '--format' does not apply to 'check'"},
};

Test(cli, usage_errors_print_the_exact_message_and_exit_2)
{
    for (size_t i = 0; i < sizeof usage_cases / sizeof usage_cases[0]; i++) {
        const usage_case *uc = &usage_cases[i];
        const char *argv[10] = {WA_CLI};
        for (size_t k = 0; k < 8 && uc->argv[k]; k++)
            argv[k + 1] = uc->argv[k];
        outcome r = run_mode(STDOUT_FILE, DATA, argv);
        char want[512];
        snprintf(want, sizeof want, "walkaway: %s\nTry 'walkaway --help'.\n", uc->message);
        cr_expect_eq(r.status, 2, "case %zu (%s): status %d", i, uc->message, r.status);
        cr_expect_str_eq(r.err, want, "case %zu", i);
        cr_expect_str_eq(r.out, "", "case %zu", i);
        outcome_free(&r);
    }
}

Test(cli, usage_error_creates_no_output_file)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.json");
    outcome r = RUN("run", "-o", out, "--format", "xml", "renewal.yaml");
    cr_assert_eq(r.status, 2);
    char *ls = listing(dir);
    cr_assert_str_eq(ls, "");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(out);
    free(dir);
}

/* ---- option forms ---------------------------------------------------------------------- */

Test(cli, accepts_attached_and_separate_option_values)
{
    outcome r = RUN("run", "-n1k", "--seed=5", "-j1", "--confidence=90%", "--format=json",
                    "--method", "monte-carlo", "--variant=base", "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    jnode *j = jparse(r.out);
    cr_assert(j, "not JSON: %s", r.out);
    jnode *res = jneed(j, "results", J_ARR);
    cr_assert_eq(res->n, 1);
    cr_assert_str_eq(jneed(res->items[0], "trials", J_NUM)->text, "1000");
    cr_assert_str_eq(jneed(res->items[0], "seed", J_NUM)->text, "5");
    cr_assert_str_eq(jneed(res->items[0], "confidence", J_NUM)->text, "0.9");
    cr_assert_eq(jneed(res->items[0], "variant", J_NULL)->type, J_NULL);
    jfree(j);
    outcome_free(&r);

    /* after "--" everything is a file name, even one that looks like an option */
    r = RUN("check", "--", "--trials");
    cr_assert_eq(r.status, 3);
    cr_assert_str_eq(r.err, "--trials: error: cannot open '--trials': No such file or "
                            "directory\n");
    outcome_free(&r);

    /* options after the files; 1_000 separators */
    r = RUN("run", "renewal.yaml", "--trials", "1_000", "-j", "1", "--format", "csv", "-q");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, ",1000,"));
    outcome_free(&r);
}

/* ---- I/O errors and invalid scenarios ---------------------------------------------------- */

Test(cli, missing_file_exits_3_with_message)
{
    outcome r = RUN("check", "nope.yaml");
    cr_assert_eq(r.status, 3);
    cr_assert_str_eq(r.err, "nope.yaml: error: cannot open 'nope.yaml': No such file or "
                            "directory\n");
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
    r = RUN("run", "-n", "100", "nope.yaml");
    cr_assert_eq(r.status, 3);
    cr_assert_str_eq(r.err, "nope.yaml: error: cannot open 'nope.yaml': No such file or "
                            "directory\n");
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
}

Test(cli, invalid_scenario_exits_1_with_location_source_and_caret)
{
    outcome r = RUN("check", "one_error.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err,
                     "one_error.yaml:10:30: error: unknown input 'prise'; did you mean 'price'?\n"
                     "      - {label: fee, amount: prise, year: 0}\n"
                     "                             ^\n");
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
}

Test(cli, every_error_in_a_file_is_reported)
{
    outcome r = RUN("check", "two_errors.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err,
                     "two_errors.yaml:6:10: error: uniform needs min < max (min 120000 is not "
                     "below max 80000)\n"
                     "  price: {dist: uniform, min: 120k, max: 80k}\n"
                     "         ^\n"
                     "two_errors.yaml:10:43: error: year 7 is outside the horizon 0..2\n"
                     "      - {label: fee, amount: price, year: 7}\n"
                     "                                          ^\n");
    outcome_free(&r);
}

Test(cli, failed_run_exits_1)
{
    outcome r = RUN("run", "-n", "200", "-j", "1", "nan_run.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert(!strncmp(r.err, "nan_run.yaml:", 13), "stderr: %s", r.err);
    cr_assert(strstr(r.err, ": error: "), "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
}

Test(cli, unknown_variant_is_an_error_for_that_file)
{
    outcome r = RUN("run", "-n", "100", "-j", "1", "--variant", "cheap-migraton",
                    "renewal.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "renewal.yaml: error: no variant named 'cheap-migraton' (did you "
                            "mean 'cheap-migration'?)\n");
    outcome_free(&r);
    r = RUN("run", "-n", "100", "-j", "1", "--variant", "other", "quoting.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.err, "quoting.yaml: error: no variant named 'other' (the file declares "
                            "no variants)\n");
    outcome_free(&r);
}

Test(cli, several_files_exit_with_the_worst_status)
{
    outcome r = RUN("check", "renewal.yaml", "one_error.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.out, "renewal.yaml: ok\n");
    outcome_free(&r);

    r = RUN("check", "nope.yaml", "renewal.yaml", "one_error.yaml");
    cr_assert_eq(r.status, 3);
    cr_assert_str_eq(r.out, "renewal.yaml: ok\n");
    cr_assert(strstr(r.err, "nope.yaml: error: cannot open"));
    cr_assert(strstr(r.err, "one_error.yaml:10:30: error: "));
    outcome_free(&r);

    /* the good file's results still reach stdout */
    r = RUN("run", "-n", "100", "-j", "1", "--format", "csv", "one_error.yaml", "quoting.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_eq(count_lines(r.out), 2, "stdout: %s", r.out);
    outcome_free(&r);
}

/* ---- check ------------------------------------------------------------------------------- */

Test(cli, check_prints_ok_per_valid_file)
{
    outcome r = RUN("check", "renewal.yaml", "quoting.yaml");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "renewal.yaml: ok\nquoting.yaml: ok\n");
    cr_assert_str_eq(r.err, "");
    outcome_free(&r);
    r = RUN("check", "-q", "renewal.yaml");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
}

Test(cli, warnings_go_to_stderr_once_unless_quiet_and_always_to_json)
{
    /* warn.yaml: base and one variant, each run raising the same warning */
    outcome r = RUN("run", "-n", "100", "-j", "1", "--format", "json", "warn.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(!strncmp(r.err, "warn.yaml", 9), "stderr: %s", r.err);
    cr_assert_eq(count_substr(r.err, ": warning: "), 1, "stderr: %s", r.err);
    outcome_free(&r);

    r = RUN("run", "-n", "100", "-j", "1", "--format", "json", "--quiet", "warn.yaml");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "");
    jnode *j = jparse(r.out);
    cr_assert(j);
    jnode *res = jneed(j, "results", J_ARR);
    cr_assert_eq(res->n, 2);
    for (size_t i = 0; i < res->n; i++) {
        jnode *w = jneed(res->items[i], "warnings", J_ARR);
        cr_assert_geq(w->n, 1);
        cr_assert_eq(w->items[0]->type, J_STR);
    }
    jfree(j);
    outcome_free(&r);

    r = RUN("check", "--quiet", "warn.yaml");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "");
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);
}

/* ---- formats ----------------------------------------------------------------------------- */

Test(cli, json_has_every_spec_key_and_an_exact_seed)
{
    outcome r = RUN("run", "-n", "300", "-j", "1", "--seed", "18446744073709551615", "--format",
                    "json", "renewal.yaml", "quoting.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(r.out[0] && r.out[strlen(r.out) - 1] == '\n');
    jnode *j = jparse(r.out);
    cr_assert(j, "not JSON: %s", r.out);
    cr_assert_str_eq(jneed(j, "walkaway", J_STR)->text, "1.0.0");
    jnode *res = jneed(j, "results", J_ARR);
    cr_assert_eq(res->n, 3); /* renewal base + variant, quoting base */

    static const char *const files[] = {"renewal.yaml", "renewal.yaml", "quoting.yaml"};
    static const size_t noffers[] = {2, 2, 1};
    for (size_t i = 0; i < res->n; i++) {
        jnode *x = res->items[i];
        cr_assert_str_eq(jneed(x, "file", J_STR)->text, files[i]);
        jneed(x, "scenario", J_STR);
        if (i == 1)
            cr_assert_str_eq(jneed(x, "variant", J_STR)->text, "cheap-migration");
        else
            jneed(x, "variant", J_NULL);
        cr_assert_str_eq(jneed(x, "trials", J_NUM)->text, "300");
        cr_assert_str_eq(jneed(x, "seed", J_NUM)->text, "18446744073709551615");
        cr_assert_str_eq(jneed(x, "method", J_STR)->text, "monte-carlo");
        jneed(x, "confidence", J_NUM);
        jneed(x, "currency", J_STR);
        jneed(x, "horizon", J_NUM);
        jneed(x, "elapsed_s", J_NUM);
        jnode *w = jneed(x, "walk", J_OBJ);
        jneed(w, "name", J_STR);
        jneed(w, "chosen_by", J_STR);
        check_stats(w, "cost");
        jnode *c = jneed(w, "ceiling", J_OBJ);
        jneed(c, "expected", J_NUM);
        jneed(c, "confident", J_NUM);
        jneed(c, "accept_below", J_NUM);
        jnode *alts = jneed(x, "alternatives", J_ARR);
        cr_assert_eq(alts->n, 2);
        for (size_t k = 0; k < alts->n; k++) {
            jneed(alts->items[k], "name", J_STR);
            check_stats(alts->items[k], "cost");
            jneed(alts->items[k], "p_cheapest", J_NUM);
        }
        jnode *offers = jneed(x, "offers", J_ARR);
        cr_assert_eq(offers->n, noffers[i]);
        for (size_t k = 0; k < offers->n; k++) {
            jnode *o = offers->items[k];
            jneed(o, "name", J_STR);
            check_stats(o, "cost");
            jneed(o, "p_walk_beats", J_NUM);
            jnode *ci = jneed(o, "p_walk_beats_ci95", J_ARR);
            cr_assert_eq(ci->n, 2);
            cr_assert_eq(ci->items[0]->type, J_NUM);
            cr_assert_eq(ci->items[1]->type, J_NUM);
            check_stats(o, "advantage");
            jneed(o, "concession_needed", J_NUM);
            jneed(o, "expected_shortfall", J_NUM);
            jnode *sens = jneed(o, "sensitivity", J_ARR);
            for (size_t m = 0; m < sens->n; m++) {
                jneed(sens->items[m], "input", J_STR);
                jneed(sens->items[m], "spearman", J_NUM);
                jneed(sens->items[m], "swing_p_walk_beats", J_NUM);
                jneed(sens->items[m], "swing_mean_advantage", J_NUM);
            }
        }
        jneed(x, "warnings", J_ARR);
    }
    cr_assert_str_eq(jneed(res->items[2], "scenario", J_STR)->text, "Deal \"A\", phase 2");
    cr_assert_str_eq(jneed(jneed(res->items[0], "walk", J_OBJ), "chosen_by", J_STR)->text,
                     "named");
    cr_assert_str_eq(jneed(jneed(res->items[2], "walk", J_OBJ), "chosen_by", J_STR)->text,
                     "best");
    jfree(j);
    outcome_free(&r);
}

Test(cli, json_with_every_run_failed_is_still_a_document)
{
    outcome r = RUN("run", "-n", "100", "-j", "1", "--format", "json", "one_error.yaml");
    cr_assert_eq(r.status, 1);
    jnode *j = jparse(r.out);
    cr_assert(j, "not JSON: %s", r.out);
    cr_assert_eq(jneed(j, "results", J_ARR)->n, 0);
    jfree(j);
    outcome_free(&r);
}

Test(cli, csv_has_the_spec_header_and_a_row_per_file_variant_offer)
{
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "renewal.yaml",
                    "quoting.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    const char *header =
        "file,scenario,variant,offer,trials,p_walk_beats,p_walk_beats_lo,p_walk_beats_hi,"
        "offer_mean,walk_mean,advantage_mean,advantage_p5,advantage_p50,advantage_p95,"
        "concession_needed,ceiling_expected,ceiling_confident,walk,ceiling_accept_below,"
        "expected_shortfall,verdict,concession_needed_share,concession_needed_per_unit\n";
    cr_assert(!strncmp(r.out, header, strlen(header)), "stdout: %s", r.out);
    /* (base + 1 variant) x 2 offers + 1 x 1 offer */
    cr_assert_eq(count_lines(r.out), 1 + 4 + 1);
    cr_assert(strstr(r.out, "\nrenewal.yaml,Tiny renewal,,renew,200,"));
    cr_assert(strstr(r.out, "\nrenewal.yaml,Tiny renewal,cheap-migration,discount,200,"));
    cr_assert(strstr(r.out, "\nquoting.yaml,\"Deal \"\"A\"\", phase 2\",,\"flat, fee\",200,"));
    /* every row has 23 fields: 22 commas outside quotes */
    for (const char *line = r.out; *line;) {
        size_t commas = 0;
        int quoted = 0;
        for (; *line && *line != '\n'; line++) {
            if (*line == '"')
                quoted = !quoted;
            else if (*line == ',' && !quoted)
                commas++;
        }
        cr_assert_eq(commas, 22);
        if (*line)
            line++;
    }
    outcome_free(&r);

    r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "--variant", "cheap-migration",
            "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count_lines(r.out), 1 + 2);
    cr_assert_eq(count_substr(r.out, ",cheap-migration,"), 2);
    outcome_free(&r);
}

Test(cli, text_report_reads_as_plain_english)
{
    outcome r = RUN("run", "-n", "500", "-j", "1", "--seed", "11", "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    static const char *const phrases[] = {
        "Tiny renewal\n",
        "  renewal.yaml, base scenario\n",
        "  500 trials (monte-carlo, seed 11), 80% confidence; run time ",
        "  EUR, present value over 3 years, discounted at 5% a year\n",
        "\nThe answer\n",
        "  discount  accept   take it: it beats walking away with 80% confidence",
        "Walk-away position: migrate (named in the scenario)\n",
        "  Expected cost of walking away (the risk-neutral ceiling)  EUR ",
        "  Ceiling at 80% confidence                                 EUR ",
        "  Accept below                                              EUR ",
        "Present value of each option (EUR)\n",
        "walk-away",
        "Offer: renew\n",
        "Offer: discount\n",
        "  Walking away beats this offer in ",
        "% of trials (95% CI ",
        "What drives it",
        "What is worth finding out first\n",
        "Assumptions\n",
        "  price                     uniform                   92k  100k  108k\n",
        "Tiny renewal: variant cheap-migration\n",
        "The answer (cheap-migration)\n",
        "Variants compared (walking is cheaper in, and the verdict)\n",
        "  cheap-migration    97.4% walk  53.8% negotiate  migrate\n",
    };
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        cr_assert(strstr(r.out, phrases[i]), "text lacks '%s':\n%s", phrases[i], r.out);
    /* two results: one rule between them, after a blank line */
    cr_assert_eq(count_substr(r.out, "\n\n========"), 1);
    cr_assert(!strchr(r.out, '\033'), "no terminal escapes in the report");
    outcome_free(&r);
}

Test(cli, set_reaches_the_run)
{
    /* --set is an ad-hoc variant (SPEC §1.5): the base runs as written, then the
       variant "price=100k", in which the renew offer's cost has no spread left */
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "json", "--variant", "base",
                    "--variant", "set", "--set", "price=100k", "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    jnode *j = jparse(r.out);
    cr_assert(j);
    jnode *results = jneed(j, "results", J_ARR);
    cr_assert_eq(results->n, 2);
    cr_assert_eq(jneed(results->items[0], "variant", J_NULL)->type, J_NULL);
    cr_assert_str_eq(jneed(results->items[1], "variant", J_STR)->text, "price=100k");
    double sd[2], mean[2];
    for (int k = 0; k < 2; k++) {
        jnode *offer = jneed(results->items[k], "offers", J_ARR)->items[0];
        jnode *cost = jneed(offer, "cost", J_OBJ);
        sd[k] = strtod(jneed(cost, "sd", J_NUM)->text, NULL);
        mean[k] = strtod(jneed(cost, "mean", J_NUM)->text, NULL);
    }
    cr_assert(sd[0] > 1e-6 * mean[0], "the base keeps its uncertain price: sd %g", sd[0]);
    cr_assert(sd[1] <= 1e-12 * mean[1], "sd %g of a constant cost", sd[1]); /* rounding only */
    jfree(j);
    outcome_free(&r);

    /* without --variant: the base, the declared variant, then the --set variant */
    r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "--set", "price=100k",
            "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, ",price=100k,"), "%s", r.out);
    cr_assert(strstr(r.out, ",cheap-migration,"), "%s", r.out);
    outcome_free(&r);

    r = RUN("run", "-n", "200", "-j", "1", "--set", "prize=100k", "renewal.yaml");
    cr_assert_eq(r.status, 2); /* a usage error, before anything runs (SPEC 3) */
    cr_assert(strstr(r.err, "cannot set 'prize'"), "stderr: %s", r.err);
    outcome_free(&r);
}

/* Removes, in place, every line of s that contains key. */
static void drop_lines_with(char *s, const char *key)
{
    char *w = s;
    for (char *line = s; *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        char save = line[len];
        line[len] = '\0';
        int drop = strstr(line, key) != NULL;
        line[len] = save;
        if (!drop) {
            memmove(w, line, len);
            w += len;
        }
        line += len;
    }
    *w = '\0';
}

Test(cli, same_seed_gives_identical_json_except_elapsed)
{
    outcome a = RUN("run", "-n", "400", "-j", "1", "--seed", "99", "--format", "json",
                    "renewal.yaml");
    outcome b = RUN("run", "-n", "400", "-j", "1", "--seed", "99", "--format", "json",
                    "renewal.yaml");
    cr_assert_eq(a.status, 0);
    cr_assert_eq(b.status, 0);
    drop_lines_with(a.out, "\"elapsed_s\"");
    drop_lines_with(b.out, "\"elapsed_s\"");
    cr_assert_str_eq(a.out, b.out);
    outcome_free(&a);
    outcome_free(&b);
}

/* ---- -o: atomic output ------------------------------------------------------------------ */

Test(cli, output_file_is_written_whole_and_no_temp_file_remains)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "report.csv");
    write_file(out, "old\n");
    chmod(out, 0640);
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "-o", out,
                    "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "");
    char *ls = listing(dir);
    cr_assert_str_eq(ls, "report.csv");
    char *text = read_file(out);
    cr_assert(!strncmp(text, "file,scenario,", 14));
    cr_assert_eq(count_lines(text), 5);
    struct stat st;
    cr_assert(stat(out, &st) == 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "the replaced file keeps its mode");
    free(text);
    free(ls);
    outcome_free(&r);

    /* a new file gets 0666 & ~umask like any other */
    char *fresh = path_in(dir, "fresh.json");
    mode_t old = umask(022);
    r = RUN("run", "-n", "100", "-j", "1", "--format", "json", "--output", fresh,
            "quoting.yaml");
    umask(old);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(stat(fresh, &st) == 0);
    cr_assert_eq(st.st_mode & 07777, 0644);
    ls = listing(dir);
    cr_assert_str_eq(ls, "fresh.json report.csv");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(fresh);
    free(out);
    free(dir);
}

/* -o through a symbolic link replaces the file it names, and the link stays a link. */
Test(cli, output_through_a_symlink_replaces_its_target)
{
    char *dir = scratch_dir();
    char *target = path_in(dir, "real.csv"), *link = path_in(dir, "link.csv");
    write_file(target, "old\n");
    cr_assert(symlink("real.csv", link) == 0);
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "-o", link, "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    struct stat st;
    cr_assert(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link is still a link");
    char *text = read_file(target);
    cr_expect(!strncmp(text, "file,scenario,", 14), "%s", text);
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "link.csv real.csv");
    free(ls);
    free(text);
    outcome_free(&r);
    /* a link to a file not there yet: the file is made where the link points */
    char *dangling = path_in(dir, "later.csv");
    cr_assert(symlink("new.csv", dangling) == 0);
    r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "-o", dangling, "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    ls = listing(dir);
    cr_expect_str_eq(ls, "later.csv link.csv new.csv real.csv");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(dangling);
    free(target);
    free(link);
    free(dir);
}

/* -o to a FIFO writes the report into it (a reader gets it whole); the FIFO stays. */
Test(cli, output_to_a_fifo_is_written_not_replaced)
{
    char *dir = scratch_dir();
    char *fifo = path_in(dir, "pipe"), *got = path_in(dir, "got.csv");
    cr_assert(mkfifo(fifo, 0600) == 0);
    pid_t reader = fork();
    cr_assert(reader >= 0);
    if (reader == 0) { /* copies what comes through the FIFO into got.csv */
        int in = open(fifo, O_RDONLY), out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        char buf[4096];
        ssize_t n;
        while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n)
                _exit(1);
        _exit(in >= 0 && out >= 0 ? 0 : 1);
    }
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "csv", "-o", fifo, "renewal.yaml");
    int ws;
    cr_assert(waitpid(reader, &ws, 0) == reader && WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    cr_assert_eq(r.status, 0, "%s", r.err);
    struct stat st;
    cr_assert(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO is still a FIFO");
    char *text = read_file(got);
    cr_expect(!strncmp(text, "file,scenario,", 14) && count_lines(text) == 5, "%s", text);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(fifo);
    free(got);
    free(dir);
}

/* -o to a character device is written to, never replaced: a null device takes the
   report, a full one gives exit 3. The nodes are made in a scratch folder (mknod needs
   the privilege; without it the test has nothing to check). */
Test(cli, output_to_a_device_is_written_not_replaced)
{
    char *dir = scratch_dir();
    char *null = path_in(dir, "null"), *full = path_in(dir, "full");
    if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0 ||
        mknod(full, S_IFCHR | 0666, makedev(1, 7)) != 0) {
        remove_tree(dir);
        cr_skip_test("cannot make device nodes here (%s)", strerror(errno));
    }
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "json", "-o", null, "renewal.yaml");
    cr_expect_eq(r.status, 0, "%s", r.err);
    struct stat st;
    cr_expect(lstat(null, &st) == 0 && S_ISCHR(st.st_mode), "still a device");
    outcome_free(&r);
    r = RUN("run", "-n", "200", "-j", "1", "--format", "json", "-o", full, "renewal.yaml");
    cr_expect_eq(r.status, 3);
    char want[512];
    snprintf(want, sizeof want, "walkaway: cannot write %s: No space left on device\n", full);
    cr_expect_str_eq(r.err, want);
    cr_expect(lstat(full, &st) == 0 && S_ISCHR(st.st_mode), "still a device");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "full null");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(null);
    free(full);
    free(dir);
}

/* -o naming one of the scenario files (or a link to it) is a usage error before
   anything runs; the scenario is left as it was. */
Test(cli, output_that_is_an_input_is_a_usage_error)
{
    char *dir = scratch_dir();
    char *self = path_in(dir, "self.yaml"), *alias = path_in(dir, "alias.yaml");
    char *orig = read_file(DATA "/renewal.yaml");
    write_file(self, orig);
    cr_assert(symlink("self.yaml", alias) == 0);
    outcome r = RUN_IN(dir, "run", "-n", "200", "-o", "self.yaml", "self.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "walkaway: -o self.yaml is the scenario file self.yaml: the report "
                            "would replace it\nTry 'walkaway --help'.\n");
    outcome_free(&r);
    r = RUN_IN(dir, "sweep", "--vary", "price=1,2", "-o", "alias.yaml", "self.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "-o alias.yaml is the scenario file self.yaml") != NULL, "%s", r.err);
    outcome_free(&r);
    char *now = read_file(self);
    cr_expect_str_eq(now, orig);
    free(now);
    free(orig);
    remove_tree(dir);
    free(self);
    free(alias);
    free(dir);
}

Test(cli, output_file_untouched_when_a_scenario_fails)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.json");
    write_file(out, "previous contents\n");
    outcome r = RUN("run", "-n", "100", "-j", "1", "--format", "json", "-o", out,
                    "renewal.yaml", "one_error.yaml");
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.out, "");
    char want[512];
    snprintf(want, sizeof want, "walkaway: %s not written: 1 of 2 scenario files failed\n", out);
    cr_assert(strstr(r.err, want), "stderr: %s", r.err);
    char *text = read_file(out);
    cr_assert_str_eq(text, "previous contents\n");
    char *ls = listing(dir);
    cr_assert_str_eq(ls, "out.json");
    free(ls);
    free(text);
    outcome_free(&r);

    /* nothing is created where nothing existed */
    char *none = path_in(dir, "none.json");
    r = RUN("run", "-n", "100", "-j", "1", "-o", none, "nan_run.yaml");
    cr_assert_eq(r.status, 1);
    snprintf(want, sizeof want, "walkaway: %s not written: 1 of 1 scenario file failed\n",
             none);
    cr_assert(strstr(r.err, want), "stderr: %s", r.err);
    ls = listing(dir);
    cr_assert_str_eq(ls, "out.json");
    free(ls);
    outcome_free(&r);
    remove_tree(dir);
    free(none);
    free(out);
    free(dir);
}

Test(cli, unwritable_output_exits_3_and_leaves_files_alone)
{
    char *dir = scratch_dir();
    char want[512];

    /* the parent "directory" is a regular file */
    char *plain = path_in(dir, "plain");
    write_file(plain, "x\n");
    char *bad = path_in(plain, "out.json");
    outcome r = RUN("run", "-n", "100", "-j", "1", "-o", bad, "renewal.yaml");
    cr_assert_eq(r.status, 3);
    snprintf(want, sizeof want, "walkaway: cannot write %s: Not a directory\n", bad);
    cr_assert_str_eq(r.err, want);
    cr_assert_str_eq(r.out, "");
    outcome_free(&r);

    /* the directory does not exist */
    char *missing = path_in(dir, "missing/out.json");
    r = RUN("run", "-n", "100", "-j", "1", "-o", missing, "renewal.yaml");
    cr_assert_eq(r.status, 3);
    snprintf(want, sizeof want, "walkaway: cannot write %s: No such file or directory\n",
             missing);
    cr_assert_str_eq(r.err, want);
    outcome_free(&r);

    /* the target is a directory */
    char *sub = path_in(dir, "sub");
    cr_assert(mkdir(sub, 0755) == 0);
    r = RUN("run", "-n", "100", "-j", "1", "-o", sub, "renewal.yaml");
    cr_assert_eq(r.status, 3);
    snprintf(want, sizeof want, "walkaway: cannot write %s: Is a directory\n", sub);
    cr_assert_str_eq(r.err, want);
    outcome_free(&r);

    char *ls = listing(dir);
    cr_assert_str_eq(ls, "plain sub");
    free(ls);
    ls = listing(sub);
    cr_assert_str_eq(ls, "");
    free(ls);
    char *text = read_file(plain);
    cr_assert_str_eq(text, "x\n");
    free(text);
    remove_tree(dir);
    free(sub);
    free(missing);
    free(bad);
    free(plain);
    free(dir);
}

/* ---- -o under faults: a folder, a full disk, a read-only folder, another writer -------- */

/* A folder as the output, or a file in a folder that is not there, named as a user would
   (relative to where the program runs): exit 3 before anything runs, nothing created. */
Test(cli, a_folder_or_a_missing_folder_as_output_exits_3_and_creates_nothing)
{
    char *dir = scratch_dir();
    char *sub = path_in(dir, "somedir");
    cr_assert(mkdir(sub, 0755) == 0);
    static const struct {
        const char *output, *cause;
    } cases[] = {
        {"somedir", "Is a directory"},
        {"somedir/", "Is a directory"},
        {"missingdir/out.txt", "No such file or directory"},
        {"missingdir/", "No such file or directory"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        outcome r = RUN_IN(dir, "run", "-n", "100", "-j", "1", "-o", cases[i].output,
                           DATA "/renewal.yaml");
        char want[256];
        snprintf(want, sizeof want, "walkaway: cannot write %s: %s\n", cases[i].output,
                 cases[i].cause);
        cr_expect_eq(r.status, 3, "-o %s", cases[i].output);
        cr_expect_str_eq(r.err, want);
        cr_expect_str_eq(r.out, "");
        outcome_free(&r);
    }
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "somedir");
    free(ls);
    ls = listing(sub);
    cr_expect_str_eq(ls, "");
    free(ls);
    remove_tree(dir);
    free(sub);
    free(dir);
}

/* A mount namespace of the test's own (Criterion runs each test in a process of its
   own), so that what the test mounts vanishes with it, even when it fails half-way. 0, or
   -1 when mounting is not allowed here (a user namespace would not do: Criterion's test
   process has threads, and a process with threads cannot enter one). */
static int private_mounts(void)
{
    if (unshare(CLONE_NEWNS) != 0)
        return -1;
    return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/* dir becomes read-only for everyone, root included: a read-only bind mount onto itself.
   0 or -1. */
static int make_read_only(const char *dir)
{
    return mount(dir, dir, NULL, MS_BIND, NULL) == 0 &&
                   mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0
               ? 0
               : -1;
}

/* Fills the file system of dir: the file "filler" grows until the disk is full. */
static void fill_disk(const char *dir)
{
    char *path = path_in(dir, "filler");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    static const char block[1024];
    while (write(fd, block, sizeof block) > 0)
        continue;
    cr_assert_eq(errno, ENOSPC);
    close(fd);
    free(path);
}

/* A full disk (a 64 KiB tmpfs, filled): exit 3 naming the file and the cause, the old file
   kept, no temporary file left. A CSV report is small and fails when it is flushed at the
   commit; a JSON one is larger than stdio's buffer and fails while it is written. */
Test(cli, full_disk_exits_3_and_keeps_the_old_file)
{
    char *dir = scratch_dir();
    if (private_mounts() != 0 || mount("wa-test", dir, "tmpfs", 0, "size=64k") != 0) {
        int e = errno;
        remove_tree(dir);
        cr_skip_test("cannot mount a small tmpfs here (%s)", strerror(e));
    }
    char *out = path_in(dir, "out.txt");
    write_file(out, "keep me\n");
    fill_disk(dir);
    static const char *const formats[] = {"csv", "json"};
    for (size_t i = 0; i < 2; i++) {
        outcome r = RUN("run", "-n", "200", "-j", "1", "--format", formats[i], "-o", out,
                        "renewal.yaml");
        cr_expect_eq(r.status, 3, "--format %s", formats[i]);
        char want[512];
        snprintf(want, sizeof want, "walkaway: cannot write %s: No space left on device\n", out);
        cr_expect_str_eq(r.err, want);
        outcome_free(&r);
    }
    char *text = read_file(out);
    cr_expect_str_eq(text, "keep me\n");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "filler out.txt");
    free(ls);
    free(text);
    umount2(dir, MNT_DETACH);
    remove_tree(dir);
    free(out);
    free(dir);
}

/* The child may not grow a file past 2 KiB, and ignores SIGXFSZ: write() then fails with
   EFBIG, as on a full disk, wherever the program runs. */
static void limit_file_size(void)
{
    struct rlimit rl = {2048, 2048};
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        _exit(125);
}

Test(cli, a_write_that_fails_exits_3_and_keeps_the_old_file)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.json");
    write_file(out, "keep me\n");
    outcome r = run_setup(STDOUT_FILE, limit_file_size, DATA,
                          ARGV("run", "-n", "200", "-j", "1", "--format", "json", "-o", out,
                               "renewal.yaml"));
    cr_expect_eq(r.status, 3);
    char want[512];
    snprintf(want, sizeof want, "walkaway: cannot write %s: File too large\n", out);
    cr_expect_str_eq(r.err, want);
    char *text = read_file(out);
    cr_expect_str_eq(text, "keep me\n");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "out.json");
    free(ls);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(out);
    free(dir);
}

static uid_t nobody_uid;
static gid_t nobody_gid;

/* The child becomes the unprivileged user nobody, for whom permission bits count. */
static void become_nobody(void)
{
    if (setgroups(0, NULL) != 0 || setgid(nobody_gid) != 0 || setuid(nobody_uid) != 0)
        _exit(125);
}

/* Whether the program can run as nobody here: the user exists, and the program and the
   test scenarios are open to others. */
static int nobody_can_run(void)
{
    struct passwd *pw = getpwnam("nobody");
    if (!pw)
        return 0;
    nobody_uid = pw->pw_uid;
    nobody_gid = pw->pw_gid;
    pid_t pid = fork();
    if (pid == 0) {
        become_nobody();
        _exit(access(WA_CLI, X_OK) == 0 && access(DATA "/renewal.yaml", R_OK) == 0 ? 0 : 1);
    }
    int ws;
    return pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
}

/* A folder the user may not write to: exit 3 before anything runs, the old file kept.
   Root ignores permission bits, so as root the program runs as nobody. */
Test(cli, read_only_directory_exits_3_and_keeps_the_old_file)
{
    child_setup setup = NULL;
    if (geteuid() == 0) {
        if (!nobody_can_run())
            cr_skip_test("root ignores permission bits, and the program cannot run as nobody "
                         "here");
        setup = become_nobody;
    }
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.txt");
    write_file(out, "keep me\n");
    cr_assert(chmod(dir, 0555) == 0);
    outcome r = run_setup(STDOUT_FILE, setup, DATA,
                          ARGV("run", "-n", "100", "-j", "1", "-o", out, "renewal.yaml"));
    chmod(dir, 0700);
    cr_expect_eq(r.status, 3);
    char want[512];
    snprintf(want, sizeof want, "walkaway: cannot write %s: Permission denied\n", out);
    cr_expect_str_eq(r.err, want);
    char *text = read_file(out);
    cr_expect_str_eq(text, "keep me\n");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "out.txt");
    free(ls);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(out);
    free(dir);
}

/* The scenario comes through a FIFO. The program prepares -o before it loads anything,
   so once the FIFO has a reader, whatever the test does to the output happens during the
   run. Returns the writing end; kills the child and fails if it ends first or takes more
   than 10 s to read. */
static int fifo_writer_once_read(const char *fifo, pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        int fd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (fd >= 0) {
            cr_assert(fcntl(fd, F_SETFL, 0) == 0);
            return fd;
        }
        int ws;
        if (errno != ENXIO || waitpid(pid, &ws, WNOHANG) != 0)
            break;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("the program never read its scenario");
    return -1;
}

/* Sends the scenario through the FIFO's writing end and closes it: the run goes on. */
static void feed(int fd)
{
    char *text = read_file(DATA "/renewal.yaml");
    size_t n = strlen(text);
    cr_assert(write(fd, text, n) == (ssize_t)n);
    close(fd);
    free(text);
}

/* A mount made read-only before the run (exit 3 at once) and during it (the commit
   fails): the old file is kept, no temporary file left, even for root. */
Test(cli, read_only_mount_before_or_during_the_run_exits_3)
{
    char *dir = scratch_dir();
    char *folder = path_in(dir, "folder"), *fifo = path_in(dir, "in.yaml");
    cr_assert(mkdir(folder, 0755) == 0 && mkfifo(fifo, 0600) == 0);
    char *out = path_in(folder, "out.txt");
    write_file(out, "keep me\n");
    if (private_mounts() != 0 || make_read_only(folder) != 0) {
        int e = errno;
        remove_tree(dir);
        cr_skip_test("cannot make a read-only bind mount here (%s)", strerror(e));
    }
    outcome r = RUN_IN(dir, "run", "-n", "100", "-j", "1", "-o", "folder/out.txt",
                       DATA "/renewal.yaml");
    cr_expect_eq(r.status, 3);
    cr_expect_str_eq(r.err, "walkaway: cannot write folder/out.txt: Read-only file system\n");
    outcome_free(&r);
    cr_assert(umount2(folder, 0) == 0);

    child ch = start_child(STDOUT_FILE, NULL, dir,
                           ARGV("run", "-n", "100", "-j", "1", "-o", "folder/out.txt",
                                "in.yaml"));
    int fd = fifo_writer_once_read(fifo, ch.pid);
    int ro = make_read_only(folder);
    feed(fd);
    int ws;
    cr_assert(wait_bounded(ch.pid, 60, &ws), "the run did not end");
    r = child_outcome(&ch, ws);
    cr_assert_eq(ro, 0, "cannot make the folder read-only during the run");
    cr_expect_eq(r.status, 3);
    cr_expect_str_eq(r.err, "walkaway: cannot write folder/out.txt: Read-only file system\n");
    outcome_free(&r);
    umount2(folder, MNT_DETACH);
    char *text = read_file(out);
    cr_expect_str_eq(text, "keep me\n");
    char *ls = listing(folder);
    cr_expect_str_eq(ls, "out.txt");
    free(ls);
    free(text);
    remove_tree(dir);
    free(out);
    free(fifo);
    free(folder);
    free(dir);
}

/* What another program does to out.txt (which holds "old\n") while a run is going. */
typedef enum {
    UNTOUCHED,
    REPLACED,  /* renamed over by a file of the same size and time: only the inode differs */
    RESIZED,   /* rewritten in place, longer, its time put back: only the size differs */
    RETIMED,   /* rewritten in place, as long, its time set back: only the time differs */
    CREATED,   /* there was no out.txt at the start; there is one now */
    REMOVED,   /* removed: nothing of anyone's is lost by writing the report */
} meddling;

static void meddle(meddling m, const char *out, const char *dir)
{
    char *other = path_in(dir, "other.txt");
    struct stat st;
    cr_assert(m == CREATED || stat(out, &st) == 0);
    if (m == REPLACED) {
        write_file(other, "new\n");
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        cr_assert(utimensat(AT_FDCWD, other, times, 0) == 0 && rename(other, out) == 0);
    } else if (m == RESIZED) {
        write_file(out, "the other program's\n");
        struct timespec times[2] = {st.st_atim, st.st_mtim};
        cr_assert(utimensat(AT_FDCWD, out, times, 0) == 0);
    } else if (m == CREATED) {
        write_file(out, "the other program's\n");
    } else if (m == RETIMED) {
        write_file(out, "new\n");
        struct timespec times[2] = {{978307200, 0}, {978307200, 0}}; /* 2001-01-01 */
        cr_assert(utimensat(AT_FDCWD, out, times, 0) == 0);
    } else if (m == REMOVED) {
        cr_assert(unlink(out) == 0);
    }
    free(other);
}

/* Runs `run -o out.txt in.yaml` in a scratch folder, m happening to out.txt during the
   run; checks the outcome and what out.txt holds then. */
static void check_meddled(meddling m)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.txt"), *fifo = path_in(dir, "in.yaml");
    if (m != CREATED)
        write_file(out, "old\n");
    cr_assert(mkfifo(fifo, 0600) == 0);
    child ch = start_child(STDOUT_FILE, NULL, dir,
                           ARGV("run", "-n", "200", "-j", "1", "--format", "csv", "-o",
                                "out.txt", "in.yaml"));
    int fd = fifo_writer_once_read(fifo, ch.pid);
    meddle(m, out, dir);
    feed(fd);
    int ws;
    cr_assert(wait_bounded(ch.pid, 60, &ws), "the run did not end");
    outcome r = child_outcome(&ch, ws);
    char *text = read_file(out);
    if (m == UNTOUCHED || m == REMOVED) {
        cr_expect_eq(r.status, 0, "case %d: %s", m, r.err);
        cr_expect(!strncmp(text, "file,scenario,", 14), "case %d: %s", m, text);
    } else {
        cr_expect_eq(r.status, 3, "case %d", m);
        cr_expect_str_eq(r.err, "walkaway: out.txt not written: it was changed during the run\n",
                         "case %d", m);
        cr_expect_str_eq(text, m == REPLACED || m == RETIMED ? "new\n" : "the other program's\n",
                         "case %d", m);
    }
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "in.yaml out.txt", "case %d", m);
    free(ls);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(fifo);
    free(out);
    free(dir);
}

/* Another program that writes the output file while the run is going keeps its work:
   the report is not put in its place (exit 3). An untouched or removed file is written. */
Test(cli, output_changed_during_the_run_is_not_replaced)
{
    for (meddling m = UNTOUCHED; m <= REMOVED; m++)
        check_meddled(m);
}

/* ---- signals --------------------------------------------------------------------------- */

/* A scenario whose trials are slow (120 beta inputs) and small (two options), so that a
   run of many trials lasts long enough to be interrupted without taking much memory. */
static void write_slow_scenario(const char *path)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("walkaway: 1\nname: slow\ncurrency: EUR\nhorizon: 1\ndiscount_rate: 5%\n"
          "simulation:\n  trials: 1000\n  seed: 1\ninputs:\n", f);
    for (int i = 0; i < 120; i++)
        fprintf(f, "  x%d: {dist: beta, a: 2.5, b: 3.5, min: 1k, max: 2k}\n", i);
    fputs("offers:\n  - name: renew\n    costs:\n      - {label: all, year: 0, amount: x0", f);
    for (int i = 1; i < 120; i++)
        fprintf(f, " + x%d", i);
    fputs("}\nalternatives:\n  - name: migrate\n    costs:\n"
          "      - {label: migration, amount: 180k, year: 0}\nwalk: migrate\n", f);
    cr_assert(fclose(f) == 0);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Starts argv (a long run of slow.yaml with -o out.txt) in a folder where out.txt holds
   an old report, lets the run get going, sends sig, and checks that the program died of
   it promptly, having said so (SIGKILL: nothing), with out.txt as it was and no other
   file left. */
static void check_interrupted(int sig, const char *const *argv)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.txt"), *slow = path_in(dir, "slow.yaml");
    write_slow_scenario(slow);
    write_file(out, "old report\n");
    child ch = start_child(STDOUT_FILE, NULL, dir, argv);
    nanosleep(&(struct timespec){0, 500000000}, NULL); /* loaded, and well into the run */
    int ws;
    pid_t gone = waitpid(ch.pid, &ws, WNOHANG);
    if (gone == 0)
        cr_assert(kill(ch.pid, sig) == 0);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int ended = gone != 0 || wait_bounded(ch.pid, 20, &ws);
    double took = seconds_since(&t0);
    outcome r = child_outcome(&ch, ws);
    cr_assert_eq(gone, 0, "the run ended before it could be interrupted: %s", r.err);
    cr_assert(ended, "the run went on after %s", strsignal(sig));
    cr_expect(WIFSIGNALED(ws) && WTERMSIG(ws) == sig, "status %d, stderr: %s", r.status, r.err);
    cr_expect(took < 5, "%.1f s to stop", took);
    cr_expect_str_eq(r.err, sig == SIGKILL ? "" : "walkaway: interrupted; out.txt not written\n");
    char *text = read_file(out);
    cr_expect_str_eq(text, "old report\n");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "out.txt slow.yaml");
    free(ls);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(slow);
    free(out);
    free(dir);
}

#define LONG_RUN ARGV("run", "-n", "20M", "-j", "1", "-o", "out.txt", "slow.yaml")

Test(cli, sigint_stops_a_run_and_keeps_the_old_file)
{
    check_interrupted(SIGINT, LONG_RUN);
}

Test(cli, sigterm_stops_a_run_and_keeps_the_old_file)
{
    check_interrupted(SIGTERM, LONG_RUN);
}

/* SIGKILL cannot be caught: the temporary file has no name until the commit, so nothing
   is left either. */
Test(cli, sigkill_leaves_the_old_file_and_no_temporary_file)
{
    check_interrupted(SIGKILL, LONG_RUN);
}

Test(cli, sigint_stops_a_sweep)
{
    check_interrupted(SIGINT, ARGV("sweep", "-n", "20M", "-j", "1", "--vary", "x0=1k,2k", "-o",
                                   "out.txt", "slow.yaml"));
}

Test(cli, sigterm_stops_a_solve)
{
    check_interrupted(SIGTERM, ARGV("solve", "-n", "20M", "-j", "1", "--vary", "x0=1k:2k",
                                    "--offer", "renew", "-o", "out.txt", "slow.yaml"));
}

/* A signal while nothing polls for it (here: the scenario is a FIFO nobody writes to yet)
   ends the program at once, in the same way. */
Test(cli, a_signal_while_loading_ends_the_program_at_once)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "out.txt"), *fifo = path_in(dir, "in.yaml");
    write_file(out, "old report\n");
    cr_assert(mkfifo(fifo, 0600) == 0);
    child ch = start_child(STDOUT_FILE, NULL, dir,
                           ARGV("run", "-n", "100", "-j", "1", "-o", "out.txt", "in.yaml"));
    int fd = fifo_writer_once_read(fifo, ch.pid);
    kill(ch.pid, SIGHUP);
    int ws;
    int ended = wait_bounded(ch.pid, 10, &ws);
    close(fd);
    outcome r = child_outcome(&ch, ws);
    cr_assert(ended, "the program went on after SIGHUP");
    cr_expect(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGHUP, "status %d, stderr: %s", r.status,
              r.err);
    cr_expect_str_eq(r.err, "walkaway: interrupted; out.txt not written\n");
    char *text = read_file(out);
    cr_expect_str_eq(text, "old report\n");
    char *ls = listing(dir);
    cr_expect_str_eq(ls, "in.yaml out.txt");
    free(ls);
    free(text);
    outcome_free(&r);
    remove_tree(dir);
    free(fifo);
    free(out);
    free(dir);
}

/* ---- stdout trouble -------------------------------------------------------------------- */

Test(cli, full_stdout_is_an_io_error)
{
    outcome r = run_mode(STDOUT_DEV_FULL, DATA,
                         ARGV("run", "-n", "100", "-j", "1", "renewal.yaml"));
    cr_assert_eq(r.status, 3);
    cr_assert_str_eq(r.err, "walkaway: cannot write to standard output: No space left on "
                            "device\n");
    outcome_free(&r);
}

Test(cli, closed_pipe_on_stdout_ends_quietly)
{
    outcome r = run_mode(STDOUT_BROKEN_PIPE, DATA,
                         ARGV("run", "-n", "100", "-j", "1", "renewal.yaml"));
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.err, "");
    outcome_free(&r);
}

/* ---- sweep ---------------------------------------------------------------------------- */

Test(cli, sweep_prints_a_table_per_offer)
{
    outcome r = RUN("sweep", "-n", "1000", "--vary", "price=80k:120k:3", "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "");
    cr_expect(strstr(r.out, "  Swept:       3 points: price from 80k to 120k (3 values)\n") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "\nOffer: renew\n  price  P(walk beats)") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "\nOffer: discount\n") != NULL);
    outcome_free(&r);
}

/* SPEC 4: with the vendor section the CSV gains p_deal, decided by the first file; a later
   file without one leaves it empty. The text report says who prefers each offer. */
Test(cli, the_vendor_side_in_csv_and_text)
{
    outcome r = RUN("run", "-n", "200", "--format", "csv", "vendor.yaml", "quoting.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, ",concession_needed_per_unit,p_deal\n") != NULL, "%s", r.out);
    for (const char *line = r.out; *line;) {
        size_t commas = 0;
        int quoted = 0;
        for (; *line && *line != '\n'; line++) {
            if (*line == '"')
                quoted = !quoted;
            else if (*line == ',' && !quoted)
                commas++;
        }
        cr_expect_eq(commas, 23);
        if (*line)
            line++;
    }
    cr_expect(strstr(r.out, "\nquoting.yaml,") && strstr(r.out, ",\n"), "%s", r.out);
    outcome_free(&r);
    r = RUN("run", "-n", "2000", "vendor.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\nThe other side of the table: Supplier\n  buy: the buyer prefers "
                            "it to walking in ") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "A cash settlement between USD ") != NULL, "%s", r.out);
    outcome_free(&r);
}

/* --memory: the budget for per-trial results, in binary units. Beyond it the run is not
   refused: its trials are simulated again for each pass of the summary (SPEC 5), and the
   output is the in-memory run's. */
Test(cli, memory_sets_the_budget_for_per_trial_results)
{
    /* renewal.yaml has 2 offers and 2 alternatives: 10^6 trials keep 30.5 MiB */
    outcome a = RUN("run", "-q", "-n", "1M", "--format", "json", "--variant", "base",
                    "--memory", "30MiB", "renewal.yaml");
    cr_expect_eq(a.status, 0, "%s", a.err);
    cr_expect_str_eq(a.err, "");
    outcome b = RUN("run", "-q", "-n", "1M", "--format", "json", "--variant", "base",
                    "--memory", "31M", "renewal.yaml");
    cr_expect_eq(b.status, 0, "%s", b.err);
    drop_lines_with(a.out, "\"elapsed_s\"");
    drop_lines_with(b.out, "\"elapsed_s\"");
    cr_expect(strstr(a.out, "\"trials\":\t1000000") != NULL, "%s", a.out);
    cr_expect_str_eq(a.out, b.out);
    outcome_free(&a);
    outcome_free(&b);
    a = RUN("run", "-q", "-n", "1M", "--memory", "lots", "renewal.yaml");
    cr_expect_eq(a.status, 2);
    outcome_free(&a);
}

/* One long CSV for two files' sweeps: the columns the first decided, kept after it is
   freed (the sanitized suite checks the lifetime). */
Test(cli, a_sweep_csv_of_two_files_has_one_header)
{
    outcome r = RUN("sweep", "-n", "200", "--format", "csv", "--vary", "price=80k,120k",
                    "renewal.yaml", "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(count_substr(r.out, "file,scenario,variant,price,offer,"), 1, "%s", r.out);
    /* 2 files x 2 points x 2 offers */
    cr_expect_eq(count_lines(r.out), 1 + 8, "%s", r.out);
    outcome_free(&r);
}

Test(cli, sweep_misspelt_name_is_a_usage_error_before_anything_runs)
{
    outcome r = RUN("sweep", "--vary", "prce=1,2", "--vary", "migration.mod=1,2", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err,
                     "renewal.yaml: error: --vary: no input named 'prce' (did you mean 'price'?)\n"
                     "renewal.yaml: error: --vary migration.mod: 'migration' has no parameter "
                     "'mod'; did you mean 'mode'?\n");
    cr_expect_str_eq(r.out, "");
    outcome_free(&r);
}

Test(cli, sweep_json_to_a_file)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "sweep.json");
    outcome r = RUN("sweep", "-n", "500", "--format", "json", "-o", out, "--vary",
                    "migration.max=250k,400k", "--variant", "cheap-migration", "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "");
    FILE *f = fopen(out, "r");
    cr_assert(f);
    char *t = slurp(f);
    cr_expect(strstr(t, "\"sweeps\":") && strstr(t, "\"variant\":\t\"cheap-migration\"") &&
                  strstr(t, "\"migration.max\":\t250000"),
              "%s", t);
    free(t);
    outcome_free(&r);
    remove_tree(dir);
    free(out);
    free(dir);
}

/* ---- solve ---------------------------------------------------------------------------- */

Test(cli, solve_says_where_the_decision_flips)
{
    outcome r = RUN("solve", "-n", "4000", "--vary", "price=50k:150k", "--offer", "renew",
                    "--target", "1-c", "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "");
    cr_expect(strstr(r.out, "  Solved for:  price from 50k to 150k\n  Offer:       renew\n"
                            "  Target:      P(walk beats) = 20%\n") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "renew stops beating walking away with 80% confidence once") != NULL,
              "%s", r.out);
    outcome_free(&r);
}

Test(cli, solve_misspelt_offer_is_a_usage_error)
{
    outcome r = RUN("solve", "--vary", "price=50k:150k", "--offer", "renw", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "renewal.yaml: error: --offer: no offer named 'renw' (did you mean "
                            "'renew'?)\n");
    cr_expect_str_eq(r.out, "");
    outcome_free(&r);
}

/* ---- batches ---------------------------------------------------------------------------- */

Test(cli, keep_going_writes_what_succeeded)
{
    char *dir = scratch_dir();
    char *out = path_in(dir, "batch.csv");
    outcome r = RUN("run", "-n", "500", "--format", "csv", "--keep-going", "-o", out,
                    "renewal.yaml", "one_error.yaml");
    cr_expect_eq(r.status, 1);
    char want[1024];
    snprintf(want, sizeof want,
             "walkaway: %s written without 1 of 2 scenario files (--keep-going)\n", out);
    cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
    FILE *f = fopen(out, "r");
    cr_assert(f, "%s was not written", out);
    char *t = slurp(f);
    size_t rows = 0;
    for (const char *p = t; *p; p++)
        rows += *p == '\n';
    cr_expect_eq(rows, 1 + 2 * 2, "%s", t); /* header, 2 offers x (base + 1 variant) */
    cr_expect(strstr(t, "one_error") == NULL);
    free(t);
    outcome_free(&r);
    remove_tree(dir);
    free(out);
    free(dir);
}

Test(cli, a_batch_prints_one_document_with_every_file)
{
    outcome r = RUN("run", "-n", "300", "--format", "json", "--variant", "base", "renewal.yaml",
                    "renewal.yaml", "renewal.yaml");
    cr_assert_eq(r.status, 0, "%s", r.err);
    size_t files = 0;
    for (const char *p = strstr(r.out, "\"file\":"); p; p = strstr(p + 1, "\"file\":"))
        files++;
    cr_expect_eq(files, 3);
    /* one document: a head, three results separated by ", ", one end */
    cr_expect(strncmp(r.out, "{\n\t\"walkaway\":", 14) == 0);
    cr_expect(strcmp(r.out + strlen(r.out) - 4, "]\n}\n") == 0, "%s", r.out);
    outcome_free(&r);
}

Test(cli, a_misspelt_set_name_is_a_usage_error_before_anything_runs)
{
    outcome r = RUN("run", "-n", "300", "--set", "prise=1", "renewal.yaml");
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(r.err, "renewal.yaml: error: --set prise: cannot set 'prise': there is no "
                            "such input; did you mean 'price'?\n");
    cr_expect_str_eq(r.out, ""); /* not even the base report */
    outcome_free(&r);
}

Test(cli, markdown_is_the_same_report_as_markdown)
{
    outcome r = RUN("run", "-n", "500", "-j", "1", "--seed", "11", "--format", "markdown",
                    "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    static const char *const phrases[] = {
        "# Tiny renewal\n",
        "\n## The answer\n\n| Offer | Verdict | What to do | Walking is cheaper in |\n|---|---|---|---:|\n",
        "\n## Walk-away position: migrate (named in the scenario)\n",
        "\n## What is worth finding out first\n",
        "\n## Assumptions\n",
        "| price | uniform | 92k | 100k | 108k |\n",
        "\n---\n\n# Tiny renewal: variant cheap-migration\n",
        "\n## Variants compared (walking is cheaper in, and the verdict)\n",
        "| cheap-migration | 97.4% walk | 53.8% negotiate | migrate |\n",
    };
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        cr_assert(strstr(r.out, phrases[i]), "markdown lacks '%s':\n%s", phrases[i], r.out);
    cr_assert(!strstr(r.out, "\n\n\n"), "one blank line between blocks:\n%s", r.out);
    outcome_free(&r);
}

Test(cli, no_insight_skips_the_insight_only)
{
    outcome a = RUN("run", "-n", "2000", "-j", "1", "--format", "csv", "renewal.yaml");
    outcome b = RUN("run", "-n", "2000", "-j", "1", "--format", "csv", "--no-insight",
                    "renewal.yaml");
    cr_assert_eq(a.status, 0, "stderr: %s", a.err);
    cr_assert_eq(b.status, 0, "stderr: %s", b.err);
    /* the same rows but concession_needed_share (the column before the last, per unit,
       which renewal.yaml has not), empty without it */
    char *la = a.out, *lb = b.out;
    size_t rows = 0;
    while (*la && *lb) {
        char *ea = strchr(la, '\n'), *eb = strchr(lb, '\n');
        cr_assert(ea && eb);
        char *ca = ea, *cb = eb;
        while (ca > la && ca[-1] != ',')
            ca--;
        while (cb > lb && cb[-1] != ',')
            cb--;
        ea = --ca, eb = --cb; /* the share ends at the last comma */
        while (ca > la && ca[-1] != ',')
            ca--;
        while (cb > lb && cb[-1] != ',')
            cb--;
        cr_assert_eq(ca - la, cb - lb);
        cr_assert(!strncmp(la, lb, (size_t)(ca - la)), "rows differ before the share");
        if (rows++ > 0) {
            cr_assert(ea > ca, "the share is there with the insight");
            cr_assert_eq(eb, cb, "and empty without it");
        }
        la = strchr(ea, '\n') + 1, lb = strchr(eb, '\n') + 1;
    }
    cr_assert_eq(rows, 1 + 4);
    outcome_free(&a);
    outcome_free(&b);
}

Test(cli, set_reaches_an_inline_distribution_by_option_and_label)
{
    /* renewal.yaml's shrink alternative has an inline distribution, "productivity loss" */
    outcome r = RUN("run", "-n", "200", "-j", "1", "--format", "json", "--variant", "set",
                    "--set", "shrink/productivity loss=1", "renewal.yaml");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "\"variant\":\t\"shrink/productivity loss=1\""), "%s", r.out);
    outcome_free(&r);
    r = RUN("run", "-n", "200", "-j", "1", "--set", "shrink/productivty loss=1", "renewal.yaml");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "cannot set 'shrink/productivty loss': there is no such input; did "
                            "you mean 'shrink/productivity loss'?"),
              "stderr: %s", r.err);
    outcome_free(&r);
}
