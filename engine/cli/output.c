/*
 * output.c — atomic file output: temporary file in the target's directory, fsync, rename.
 *
 * Invariant: while a handle exists, exactly one temporary file ".walkaway.XXXXXX" exists
 * in the target's directory, and its name is also held in pending_path so that a signal
 * handler can remove it. Commit and abort both remove or rename it before freeing.
 */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cli_outfile {
    char *path;     /* the target, as given */
    char *tmp;      /* the temporary file next to it */
    char *dir;      /* their directory, fsync'ed after the rename */
    FILE *stream;
};

/* The only mutable globals of the program, because a signal handler can reach nothing
   else: the temporary file to unlink if the user interrupts a run, and the handlers to
   put back afterwards. Written only while the signals are not yet (or no longer)
   pointed at the handler. */
static char pending_path[4096];
static volatile sig_atomic_t pending;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])
static struct sigaction saved_actions[NSIGNALS];

static void on_signal(int sig)
{
    /* unlink, signal and raise are async-signal-safe. Dying by the same signal keeps the
       exit status the shell expects (130 for Ctrl-C). */
    if (pending)
        unlink(pending_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void guard_begin(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= sizeof pending_path)
        return; /* too long to remember: an interrupt would leave it behind, nothing worse */
    memcpy(pending_path, tmp, n + 1);
    pending = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(cleanup_signals[i], &sa, &saved_actions[i]);
}

static void guard_end(void)
{
    if (!pending)
        return;
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(cleanup_signals[i], &saved_actions[i], NULL);
    pending = 0;
}

static char *dup_n(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static void outfile_free(cli_outfile *o)
{
    if (!o)
        return;
    free(o->path);
    free(o->tmp);
    free(o->dir);
    free(o);
}

cli_outfile *cli_out_open(const char *path, int *err)
{
    static const char tmpl[] = ".walkaway.XXXXXX";
    struct stat st;
    int e = ENOMEM, fd = -1;

    if (!path || !path[0]) {
        *err = ENOENT;
        return NULL;
    }
    /* A directory as target would only fail at rename, after the whole run. */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        *err = EISDIR;
        return NULL;
    }
    cli_outfile *o = calloc(1, sizeof *o);
    if (!o)
        goto fail;
    const char *slash = strrchr(path, '/');
    o->path = dup_n(path, strlen(path));
    o->dir = slash ? dup_n(path, slash == path ? 1 : (size_t)(slash - path)) : dup_n(".", 1);
    if (!o->path || !o->dir)
        goto fail;
    size_t dlen = strlen(o->dir);
    o->tmp = malloc(dlen + 1 + sizeof tmpl);
    if (!o->tmp)
        goto fail;
    memcpy(o->tmp, o->dir, dlen);
    o->tmp[dlen] = '/';
    memcpy(o->tmp + dlen + 1, tmpl, sizeof tmpl);

    fd = mkstemp(o->tmp);
    if (fd < 0) {
        e = errno;
        goto fail;
    }
    guard_begin(o->tmp);
    o->stream = fdopen(fd, "w");
    if (!o->stream) {
        e = errno;
        close(fd);
        unlink(o->tmp);
        guard_end();
        goto fail;
    }
    return o;

fail:
    outfile_free(o);
    *err = e;
    return NULL;
}

FILE *cli_out_stream(cli_outfile *o)
{
    return o ? o->stream : NULL;
}

/* mkstemp makes the file 0600; a report replacing FILE should keep FILE's mode, and a new
   one should get what open(..., 0666) would have given it. */
static int set_mode(cli_outfile *o)
{
    struct stat st;
    mode_t mode;
    if (stat(o->path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0); /* umask can only be read by setting it */
        umask(mask);
        mode = 0666 & ~mask;
    }
    return fchmod(fileno(o->stream), mode) == 0 ? 0 : errno;
}

int cli_out_commit(cli_outfile *o)
{
    int e = 0;
    errno = 0;
    if (fflush(o->stream) != 0 || ferror(o->stream))
        e = errno ? errno : EIO;
    if (!e)
        e = set_mode(o);
    if (!e && fsync(fileno(o->stream)) != 0)
        e = errno;
    if (fclose(o->stream) != 0 && !e)
        e = errno;
    o->stream = NULL;
    if (!e && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        unlink(o->tmp);
    } else {
        /* Make the rename itself durable. Best effort: some file systems refuse to fsync
           a directory, and the report is complete either way. */
        int dfd = open(o->dir, O_RDONLY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    guard_end();
    outfile_free(o);
    return e;
}

void cli_out_abort(cli_outfile *o)
{
    if (!o)
        return;
    if (o->stream)
        fclose(o->stream);
    unlink(o->tmp);
    guard_end();
    outfile_free(o);
}
