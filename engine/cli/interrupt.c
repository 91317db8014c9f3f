/*
 * interrupt.c — SIGINT, SIGTERM and SIGHUP (interrupt.h): a flag while a simulation can
 * stop at its next poll, an immediate and tidy death anywhere else.
 *
 * The handler may run on any thread, OpenMP's workers included, so what it shares with
 * the rest of the program is lock-free atomics (async-signal-safe in C11) and buffers
 * that are complete before the atomic that publishes them is set.
 */
#include "cli/interrupt.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler needs lock-free atomics");

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof handled / sizeof handled[0])
static struct sigaction saved[NSIGNALS];
static int installed[NSIGNALS];

/* The last words, formatted before any signal can need them (no stdio in a handler). */
static char message[4200];
static size_t message_len;

static atomic_int armed;  /* a simulation polls interrupt_poll */
static atomic_int caught; /* the signal that asked it to stop, or 0 */

/* Named temporary files to remove on an immediate death: -o now, --report later. */
#define SLOTS 4
static char guarded[SLOTS][4096];
static atomic_int in_use[SLOTS];

/* Says so and dies by sig with its default action. Async-signal-safe. */
static _Noreturn void die_now(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (atomic_load(&in_use[i]))
            unlink(guarded[i]);
    ssize_t w = write(STDERR_FILENO, message, message_len);
    (void)w; /* nothing better to do if stderr is gone */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* Inside the handler sig is blocked: raise makes it pending, unblocking delivers it. */
    raise(sig);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    _exit(128 + sig); /* not reached: the default action of these signals is to die */
}

static void on_signal(int sig)
{
    int none = 0;
    /* the first signal during a simulation: it stops at its next poll */
    if (atomic_load(&armed) && atomic_compare_exchange_strong(&caught, &none, sig))
        return;
    die_now(sig); /* elsewhere, or a second signal: nothing would poll the flag soon */
}

void interrupt_install(const char *output)
{
    int n = -1;
    if (output)
        n = snprintf(message, sizeof message, "walkaway: interrupted; %s not written\n", output);
    if (n < 0 || (size_t)n >= sizeof message)
        n = snprintf(message, sizeof message, "walkaway: interrupted\n");
    message_len = (size_t)n;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaddset(&sa.sa_mask, handled[i]); /* one handler at a time: one message */
    sa.sa_flags = SA_RESTART; /* the flag path must not make a write fail with EINTR */
    for (size_t i = 0; i < NSIGNALS; i++) {
        installed[i] = sigaction(handled[i], NULL, &saved[i]) == 0 &&
                       saved[i].sa_handler != SIG_IGN && /* nohup: stay ignored */
                       sigaction(handled[i], &sa, NULL) == 0;
    }
}

void interrupt_remove(void)
{
    for (size_t i = 0; i < NSIGNALS; i++)
        if (installed[i])
            sigaction(handled[i], &saved[i], NULL);
    memset(installed, 0, sizeof installed);
}

void interrupt_arm(int on)
{
    atomic_store(&armed, on);
}

int interrupt_poll(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx, (void)done, (void)total;
    return atomic_load(&caught) != 0;
}

int interrupt_caught(void)
{
    return atomic_load(&caught);
}

_Noreturn void interrupt_die(void)
{
    int sig = atomic_load(&caught);
    die_now(sig ? sig : SIGINT);
}

int interrupt_guard(const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof guarded[0])
        return -1;
    for (int i = 0; i < SLOTS; i++)
        if (!atomic_load(&in_use[i])) {
            memcpy(guarded[i], path, n + 1);
            atomic_store(&in_use[i], 1); /* after the name: the handler sees it whole */
            return i;
        }
    return -1;
}

void interrupt_unguard(int slot)
{
    if (slot >= 0 && slot < SLOTS)
        atomic_store(&in_use[slot], 0);
}
