/*
 * progress.c — the progress bar: "file variant [#####-----]  42% ETA 5s" on one 79-column
 * line of stderr, redrawn in place with a carriage return.
 */
#include "cli/progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BAR_WIDTH 24
#define LINE_WIDTH 79


static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Byte offset of the n-th code point of s (its length when s is shorter). */
static size_t cp_offset(const char *s, size_t n)
{
    size_t i = 0, cps = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && cps++ == n)
            break;
    return i;
}

/* The bar must fit an 80-column line: "file variant" is cut to 30 code points, on a code
   point boundary, its end replaced by "..." when something was cut. */
static void set_label(progress *p, const char *file, const char *variant)
{
    char full[512];
    snprintf(full, sizeof full, "%s%s%s", file, variant ? " " : "", variant ? variant : "");
    size_t keep = cp_offset(full, 30);
    const char *dots = "";
    if (full[keep]) {
        keep = cp_offset(full, 27);
        dots = "...";
    }
    /* 27 code points are at most 108 bytes: label always has room */
    memcpy(p->label, full, keep);
    memcpy(p->label + keep, dots, strlen(dots) + 1);
}

void progress_begin(progress *p, const char *file, const char *variant)
{
    p->shown = 0;
    p->start = now_s();
    p->last_draw = 0;
    set_label(p, file, variant);
}

void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    if (!p->enabled || total == 0)
        return;
    double t = now_s(), elapsed = t - p->start;
    /* Short runs never flash a bar; long ones redraw ten times a second at most. */
    if (elapsed < 1.0 || (p->shown && t - p->last_draw < 0.1 && done < total))
        return;
    double frac = done >= total ? 1.0 : (double)done / (double)total;
    int fill = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1], eta[32] = "";
    for (int k = 0; k < BAR_WIDTH; k++)
        bar[k] = k < fill ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    if (done > 0 && done < total) {
        double left = elapsed * (double)(total - done) / (double)done;
        if (left < 100)
            snprintf(eta, sizeof eta, "ETA %.0fs", ceil(left));
        else
            snprintf(eta, sizeof eta, "ETA %.0fm", ceil(left / 60));
    }
    char line[LINE_WIDTH * 2];
    int len = snprintf(line, sizeof line, "\r%s [%s] %3d%% %s", p->label, bar,
                       (int)(frac * 100), eta);
    /* pad so that a shorter line overwrites all of the previous one */
    while (len > 0 && len < LINE_WIDTH && (size_t)len + 1 < sizeof line)
        line[len++] = ' ';
    line[len > 0 ? len : 0] = '\0';
    fputs(line, stderr);
    p->shown = 1;
    p->last_draw = t;
}

void progress_end(progress *p)
{
    if (!p->shown)
        return;
    fprintf(stderr, "\r%*s\r", LINE_WIDTH, "");
    p->shown = 0;
}

