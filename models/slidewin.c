/* models/slidewin.c - bucketed sliding window of two counters. */
#include "models/slidewin.h"

#include <string.h>

void slidewin_init(slidewin *w, sim_time_t window)
{
    memset(w, 0, sizeof *w);
    sim_time_t width = (window + SLIDEWIN_BUCKETS - 1) / SLIDEWIN_BUCKETS;
    w->width = width > 0 ? width : 1;
    w->head = 0;
}

void slidewin_clear(slidewin *w)
{
    memset(w->c, 0, sizeof w->c);
    w->sum[0] = w->sum[1] = 0;
}

void slidewin_advance(slidewin *w, sim_time_t now)
{
    int64_t k = (now < 0 ? 0 : now) / w->width;
    if (k <= w->head) return;
    if (k - w->head >= SLIDEWIN_BUCKETS) {
        /* Everything in the window is older than it: start afresh. */
        slidewin_clear(w);
    } else {
        for (int64_t b = w->head + 1; b <= k; b++) {
            uint64_t *cell = w->c[b % SLIDEWIN_BUCKETS];
            w->sum[0] -= cell[0];
            w->sum[1] -= cell[1];
            cell[0] = cell[1] = 0;
        }
    }
    w->head = k;
}

void slidewin_add(slidewin *w, sim_time_t now, int which, uint64_t n)
{
    slidewin_advance(w, now);
    w->c[w->head % SLIDEWIN_BUCKETS][which & 1] += n;
    w->sum[which & 1] += n;
}

uint64_t slidewin_count(slidewin *w, sim_time_t now, int which)
{
    slidewin_advance(w, now);
    return w->sum[which & 1];
}
