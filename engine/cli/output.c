/*
 * output.c — atomic file output: a temporary file in the target's directory, fsync, rename.
 *
 * The temporary file is anonymous (Linux's O_TMPFILE) until the report is complete, then
 * linked under a temporary name and renamed over the target: whatever kills the run,
 * SIGKILL included, leaves nothing behind. Where O_TMPFILE is not supported, a named
 * ".walkaway.XXXXXX" is made at once, and removed on every way out but SIGKILL. Invariant:
 * while a named temporary file exists its name is guarded (interrupt.h), so that a signal
 * handler can remove it; commit and abort remove or rename it before unguarding.
 *
 * The target is what a symbolic link names (the link stays a link). A device or a FIFO is
 * not replaced: the report waits in an anonymous file and is written to it at the end, so
 * a failed run writes nothing there either.
 *
 * What the target was when the output was prepared (which file, its size and modification
 * time, or its absence) is kept: a target that another program changed meanwhile is not
 * replaced at the commit, so that its work is not silently lost.
 */
#define _GNU_SOURCE /* O_TMPFILE, realpath, renameat2 */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/interrupt.h"

struct cli_outfile {
    char *path;     /* where the report goes: FILE, or the file a symbolic link names */
    char *tmp;      /* the named temporary file next to it (NULL: anonymous, O_TMPFILE) */
    char *dir;      /* their directory, fsync'ed after the rename */
    int direct;     /* FILE is a device or a FIFO: written to, not replaced */
    int fd;         /* the temporary file (anonymous or named) */
    int slot;       /* tmp's interrupt_guard slot, or -1 */
    int existed;    /* FILE was there when the output was prepared: seen is what it was */
    struct stat seen;
    FILE *stream;
};

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

/* The file a path finally names: itself, or what its symbolic links lead to (a link to a
   file not there yet leads to where that file would be). NULL with errno set. */
static char *final_path(const char *path)
{
    char *r = realpath(path, NULL);
    if (r || errno != ENOENT)
        return r;
    /* a dangling link: its target, relative to the link's directory */
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return errno == EINVAL ? dup_n(path, strlen(path)) : NULL; /* not a link: itself */
    buf[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (buf[0] == '/' || !slash)
        return dup_n(buf, (size_t)n);
    size_t d = (size_t)(slash - path) + 1;
    char *j = malloc(d + (size_t)n + 1);
    if (j) {
        memcpy(j, path, d);
        memcpy(j + d, buf, (size_t)n + 1);
    }
    return j;
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
    cli_outfile *o = calloc(1, sizeof *o);
    if (!o)
        goto fail;
    o->fd = -1;
    o->slot = -1;
    struct stat lst;
    o->path = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) ? final_path(path)
                                                             : dup_n(path, strlen(path));
    if (!o->path) {
        e = errno ? errno : ENOMEM;
        goto fail;
    }
    if (stat(o->path, &st) == 0) {
        o->existed = 1;
        o->seen = st; /* compared at the commit: see same_as_seen */
        /* A directory as target would only fail at rename, after the whole run. */
        if (S_ISDIR(st.st_mode)) {
            e = EISDIR;
            goto fail;
        }
        /* A device or a FIFO is written to at the end, never replaced by a file. */
        o->direct = !S_ISREG(st.st_mode);
        if (o->direct && access(o->path, W_OK) != 0) {
            e = errno;
            goto fail;
        }
    }
    const char *slash = strrchr(o->path, '/');
    o->dir = slash ? dup_n(o->path, slash == o->path ? 1 : (size_t)(slash - o->path))
                   : dup_n(".", 1);
    if (!o->dir)
        goto fail;
    if (o->direct) {
        /* the report waits in an anonymous file, so a failed run writes nothing */
        FILE *t = tmpfile();
        if (!t) {
            e = errno;
            goto fail;
        }
        o->stream = t;
        return o;
    }
#ifdef O_TMPFILE
    /* An anonymous file in FILE's directory: it has no name until the report is complete,
       so nothing is left behind whatever kills the run, SIGKILL included. */
    fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) {
        o->fd = fd;
        o->stream = fdopen(fd, "w");
        if (!o->stream) {
            e = errno;
            close(fd);
            goto fail;
        }
        return o;
    }
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
        e = errno; /* the directory cannot take a file (missing, read-only ...): say so now */
        goto fail;
    }
#endif
    {
        /* no O_TMPFILE here: a named temporary file, removed on every way out but SIGKILL */
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
        o->slot = interrupt_guard(o->tmp);
        o->fd = fd;
        o->stream = fdopen(fd, "w");
        if (!o->stream) {
            e = errno;
            close(fd);
            unlink(o->tmp);
            interrupt_unguard(o->slot);
            goto fail;
        }
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

/* The temporary file is made 0600; a report replacing FILE should keep FILE's mode, and a
   new one should get what open(..., 0666) would have given it. */
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

/* A device or FIFO: the whole report, copied from the anonymous file. 0 or an errno. */
static int copy_direct(cli_outfile *o)
{
    if (fflush(o->stream) != 0 || ferror(o->stream) || fseek(o->stream, 0, SEEK_SET) != 0)
        return errno ? errno : EIO;
    int fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    char buf[65536];
    size_t n;
    int e = 0;
    while (!e && (n = fread(buf, 1, sizeof buf, o->stream)) > 0)
        for (size_t at = 0; !e && at < n;) {
            ssize_t w = write(fd, buf + at, n - at);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                e = w < 0 ? errno : EIO;
            else
                at += (size_t)w;
        }
    if (!e && ferror(o->stream))
        e = EIO;
    if (close(fd) != 0 && !e && errno != EINVAL)
        e = errno;
    return e;
}

/* Gives the anonymous file a name next to FILE, so that it can be renamed over it. */
static int name_anonymous(cli_outfile *o)
{
    static const char tmpl[] = ".walkaway.XXXXXX";
    size_t dlen = strlen(o->dir);
    o->tmp = malloc(dlen + 1 + sizeof tmpl);
    if (!o->tmp)
        return ENOMEM;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    for (int tries = 0; tries < 100; tries++) {
        /* a fresh name each time: mkstemp's letters, without creating the file */
        memcpy(o->tmp, o->dir, dlen);
        o->tmp[dlen] = '/';
        memcpy(o->tmp + dlen + 1, tmpl, sizeof tmpl);
        int probe = mkstemp(o->tmp);
        if (probe < 0)
            return errno;
        close(probe);
        unlink(o->tmp);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
            o->slot = interrupt_guard(o->tmp);
            return 0;
        }
        if (errno != EEXIST)
            return errno;
    }
    return EEXIST;
}

/* Whether st is the file cli_out_open saw: the same file, size and modification time.
   Another program that replaced it (a new inode) or wrote to it (size or time) shows. */
static int same_as_seen(const cli_outfile *o, const struct stat *st)
{
    return o->existed && st->st_dev == o->seen.st_dev && st->st_ino == o->seen.st_ino &&
           st->st_size == o->seen.st_size && st->st_mtim.tv_sec == o->seen.st_mtim.tv_sec &&
           st->st_mtim.tv_nsec == o->seen.st_mtim.tv_nsec;
}

/* Renames the complete temporary file over FILE, unless FILE changed since cli_out_open
   (CLI_OUT_CHANGED): another program's work is not clobbered. A FILE removed meanwhile is
   simply written. Where FILE is absent the rename itself refuses a file made in the last
   instant (Linux's RENAME_NOREPLACE); where it exists, the check is as late as it can be.
   0, CLI_OUT_CHANGED or an errno value. */
static int move_into_place(const cli_outfile *o)
{
    struct stat st;
    if (stat(o->path, &st) == 0)
        return same_as_seen(o, &st) ? (rename(o->tmp, o->path) == 0 ? 0 : errno)
                                    : CLI_OUT_CHANGED;
    if (errno != ENOENT)
        return errno;
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno == EEXIST)
        return CLI_OUT_CHANGED;
    if (errno != EINVAL && errno != ENOSYS)
        return errno; /* EINVAL, ENOSYS: the file system cannot; a plain rename then */
#endif
    return rename(o->tmp, o->path) == 0 ? 0 : errno;
}

int cli_out_commit(cli_outfile *o)
{
    int e = 0;
    errno = 0;
    if (o->direct) {
        e = copy_direct(o);
        fclose(o->stream);
        outfile_free(o);
        return e;
    }
    if (fflush(o->stream) != 0 || ferror(o->stream))
        e = errno ? errno : EIO;
    if (!e)
        e = set_mode(o);
    if (!e && fsync(fileno(o->stream)) != 0)
        e = errno;
    if (!e && !o->tmp)
        e = name_anonymous(o);
    if (fclose(o->stream) != 0 && !e)
        e = errno;
    o->stream = NULL;
    if (!e)
        e = move_into_place(o);
    if (e) {
        if (o->tmp)
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
    interrupt_unguard(o->slot);
    outfile_free(o);
    return e;
}

void cli_out_abort(cli_outfile *o)
{
    if (!o)
        return;
    if (o->stream)
        fclose(o->stream);
    if (o->tmp)
        unlink(o->tmp);
    interrupt_unguard(o->slot);
    outfile_free(o);
}

void cli_out_error(const char *shown, int err)
{
    if (err == CLI_OUT_CHANGED)
        fprintf(stderr, "walkaway: %s not written: it was changed during the run\n", shown);
    else
        fprintf(stderr, "walkaway: cannot write %s: %s\n", shown, strerror(err));
}
