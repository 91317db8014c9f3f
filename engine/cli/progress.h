/*
 * progress.h — the progress bar on stderr: shown only on a terminal, only when a run
 * takes over a second, redrawn at most ten times a second, erased when the run ends.
 */
#ifndef WA_CLI_PROGRESS_H
#define WA_CLI_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    int enabled;       /* stderr is a terminal and not --quiet */
    int shown;         /* the bar is on screen and must be erased */
    double start;      /* CLOCK_MONOTONIC seconds when the run began */
    double last_draw;
    char label[128];  /* 30 code points of up to 4 bytes each */
} progress;

/* A run of file (and variant, NULL for the base) begins: the clock starts. */
void progress_begin(progress *p, const char *file, const char *variant);

/* The wa_run_options.progress callback (ctx is the progress): called on wa_run's thread,
   so no locking. */
void on_progress(void *ctx, uint64_t done, uint64_t total);

/* The run ended: the bar, if shown, is erased. */
void progress_end(progress *p);

#endif
