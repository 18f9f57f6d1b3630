/* app/progress.h - the progress line of `cdnsim run` on stderr.
 *
 * On a terminal one line is rewritten in place (simulated time, % done,
 * events per second, ETA) a few times a second; off a terminal a line is
 * printed at growing intervals (1 s, 2 s, 4 s, ... of wall time) so logs stay
 * short. Driven by the engine's progress callback (every 64Ki events).
 */
#ifndef APP_PROGRESS_H
#define APP_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/engine.h"

typedef struct progress {
    sim_engine *eng;
    sim_time_t end;
    FILE *f;
    bool tty;
    bool shown;        /* something printed on the current line */
    double t0;         /* wall clock at start, s */
    double next;       /* wall time (since t0) of the next print */
    double interval;   /* off a terminal: doubles after each print */
} progress;

/* Monotonic wall clock in seconds. */
double progress_now(void);

/* Starts reporting on f (stderr) for a run to `end`; installs itself as the
 * engine's progress callback. */
void progress_start(progress *p, sim_engine *eng, sim_time_t end, FILE *f);

/* The engine callback (ctx is the progress). */
void progress_tick(sim_engine *eng, void *ctx);

/* Ends the line on a terminal; removes the callback. */
void progress_finish(progress *p);

#endif
