/* app/progress.c - progress line. */
#include "app/progress.h"

#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(progress *p, sim_engine *eng, sim_time_t end, FILE *f)
{
    p->eng = eng;
    p->end = end;
    p->f = f;
    p->tty = isatty(fileno(f));
    p->shown = false;
    p->t0 = progress_now();
    p->interval = 1.0;
    p->next = p->tty ? 0.25 : 1.0;
    eng->progress = progress_tick;
    eng->progress_ctx = p;
}

void progress_tick(sim_engine *eng, void *ctx)
{
    progress *p = ctx;
    double el = progress_now() - p->t0;
    if (el < p->next) return;
    double frac = p->end > 0 ? (double)eng->now / (double)p->end : 0;
    if (frac > 1) frac = 1;
    double eps = el > 0 ? (double)eng->events / el : 0;
    double eta = frac > 0 ? el * (1 - frac) / frac : 0;
    fprintf(p->f, "%ssimulated %.1fs / %.1fs  %5.1f%%  %.2fM events/s  ETA %.0fs%s", p->tty ? "\r" : "",
            sim_time_to_s(eng->now), sim_time_to_s(p->end), 100 * frac, eps / 1e6, eta, p->tty ? "   " : "\n");
    fflush(p->f);
    p->shown = true;
    if (p->tty) p->next = el + 0.25;
    else {
        p->next = el + p->interval;
        p->interval *= 2;
    }
}

void progress_finish(progress *p)
{
    if (p->tty && p->shown) {
        fputc('\n', p->f);
        fflush(p->f);
    }
    p->eng->progress = NULL;
    p->eng->progress_ctx = NULL;
}
