/*
 * interrupt.h — SIGINT, SIGTERM and SIGHUP while a command runs.
 *
 * During a simulation (between interrupt_arm(1) and interrupt_arm(0)) the first signal
 * only sets a flag: the library asks interrupt_poll, its progress_cancel callback, after
 * each block of trials, stops and returns WA_ECANCELLED, and the command unwinds through
 * its ordinary failure path, which drops the temporary output file. Anywhere else
 * (loading, writing the report, a file that blocks) and at a second signal, the handler
 * acts at once: it removes the named temporary files (interrupt_guard), if any, and
 * dies. Either way the last words are "walkaway: interrupted" (with "; FILE not written"
 * when -o was given), and the process then dies by the same signal with its default
 * action, so that the shell sees death by signal (130 for Ctrl-C), the Unix convention.
 *
 * A signal ignored when the program started (nohup, a background job of a script) stays
 * ignored.
 */
#ifndef WA_CLI_INTERRUPT_H
#define WA_CLI_INTERRUPT_H

#include <stdint.h>

/* Points the signals at the handler. output is the -o FILE named in the message, or NULL. */
void interrupt_install(const char *output);

/* Puts back the actions the signals had before interrupt_install: from here on a signal
   acts as it would on any program (the output is complete, or nothing is left to undo). */
void interrupt_remove(void);

/* on: a simulation that polls interrupt_poll begins; 0: it returned. */
void interrupt_arm(int on);

/* The wa_run_options.progress_cancel callback: nonzero once a signal has been caught. */
int interrupt_poll(void *ctx, uint64_t done, uint64_t total);

/* The signal caught while armed, or 0. */
int interrupt_caught(void);

/* After a caught signal and the command's cleanup: says "walkaway: interrupted ..." and
   dies by that signal. */
_Noreturn void interrupt_die(void);

/* A named temporary file that an immediate death must remove. Returns a slot for
   interrupt_unguard, or -1 when none is free or the name is too long (an interrupt would
   then leave that file behind, nothing worse). */
int interrupt_guard(const char *path);

/* The file of slot is gone or renamed: forget it. -1 is fine. */
void interrupt_unguard(int slot);

#endif
