/* models/breaker.c - closed / open / half-open circuit breaker. */
#include "models/breaker.h"

#include <stdio.h>

#include "sim/errors.h"

const conf_field breaker_fields[] = {
    { "consecutive", CONF_INT, offsetof(breaker_conf, consecutive), "5",
      "failures in a row that open the breaker (0: rule off)", 0, 1000000, NULL, NULL },
    { "ratio", CONF_PERCENT, offsetof(breaker_conf, ratio), "\"50%\"",
      "failed fraction over the window that opens it (0: rule off)", 0, 0, NULL, NULL },
    { "min_calls", CONF_INT, offsetof(breaker_conf, min_calls), "20",
      "results in the window before the ratio rule applies", 1, 1000000000, NULL, NULL },
    { "window", CONF_DURATION, offsetof(breaker_conf, window), "\"10s\"",
      "sliding window of the ratio rule", 0, 0, NULL, NULL },
    { "open_for", CONF_DURATION, offsetof(breaker_conf, open_for), "\"5s\"",
      "time open (refusing calls) before trial calls", 0, 0, NULL, NULL },
    { "half_open", CONF_INT, offsetof(breaker_conf, half_open), "1",
      "trial calls when half-open; all must succeed to close", 1, 1000000, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const char *const breaker_state_names[3] = { "closed", "open", "half_open" };

int breaker_conf_check(const breaker_conf *bc, char *why, size_t len)
{
    const char *msg = NULL;
    if (bc->consecutive < 0 || bc->consecutive > UINT32_MAX) msg = "consecutive must be >= 0";
    else if (!(bc->ratio >= 0 && bc->ratio <= 1)) msg = "ratio must be within 0..100%";
    else if (bc->consecutive == 0 && bc->ratio == 0)
        msg = "both rules are off (consecutive 0 and ratio 0): the breaker could never open";
    else if (bc->ratio > 0 && bc->min_calls < 1) msg = "min_calls must be at least 1";
    else if (bc->ratio > 0 && bc->window <= 0) msg = "window must be positive";
    else if (bc->open_for <= 0) msg = "open_for must be positive";
    else if (bc->half_open < 1 || bc->half_open > UINT32_MAX) msg = "half_open must be at least 1";
    if (!msg) return 0;
    if (why && len) snprintf(why, len, "%s", msg);
    return SIM_EINVAL;
}

static void enter(breaker *b, breaker_state s, sim_time_t now)
{
    if (b->state == BREAKER_CLOSED && s != BREAKER_CLOSED) b->tripped_at = now;
    if (b->state != BREAKER_CLOSED && s == BREAKER_CLOSED) b->open_total += now - b->tripped_at;
    if (s == BREAKER_OPEN) b->opens++;
    if (s == BREAKER_CLOSED) {
        /* A closed breaker judges the downstream afresh. */
        b->consecutive = 0;
        slidewin_clear(&b->win);
    }
    b->trials = b->trial_oks = 0;
    b->since = now;
    b->state = s;
}

void breaker_init(breaker *b, const breaker_conf *bc, sim_time_t now)
{
    *b = (breaker){ 0 };
    slidewin_init(&b->win, bc->window > 0 ? bc->window : SIM_S);
    b->state = BREAKER_CLOSED;
    b->since = now;
}

bool breaker_allow(breaker *b, const breaker_conf *bc, sim_time_t now, bool *changed)
{
    if (changed) *changed = false;
    if (b->state == BREAKER_OPEN && now - b->since >= bc->open_for) {
        enter(b, BREAKER_HALF_OPEN, now);
        if (changed) *changed = true;
    }
    bool ok;
    switch (b->state) {
    case BREAKER_CLOSED: ok = true; break;
    case BREAKER_HALF_OPEN:
        ok = b->trials < (uint64_t)bc->half_open;
        if (ok) b->trials++;
        break;
    default: ok = false; break;
    }
    if (ok) b->allowed++;
    else b->refused++;
    return ok;
}

bool breaker_record(breaker *b, const breaker_conf *bc, sim_time_t now, bool ok)
{
    switch (b->state) {
    case BREAKER_OPEN:
        return false;
    case BREAKER_HALF_OPEN:
        if (!ok) {
            enter(b, BREAKER_OPEN, now);
            return true;
        }
        if (++b->trial_oks >= (uint64_t)bc->half_open) {
            enter(b, BREAKER_CLOSED, now);
            return true;
        }
        return false;
    case BREAKER_CLOSED:
        break;
    }
    slidewin_add(&b->win, now, ok ? 0 : 1, 1);
    if (ok) {
        b->consecutive = 0;
        return false;
    }
    b->consecutive++;
    bool trip = bc->consecutive > 0 && b->consecutive >= (uint64_t)bc->consecutive;
    if (!trip && bc->ratio > 0) {
        uint64_t fails = b->win.sum[1], calls = b->win.sum[0] + fails;
        trip = calls >= (uint64_t)bc->min_calls && (double)fails >= bc->ratio * (double)calls;
    }
    if (trip) enter(b, BREAKER_OPEN, now);
    return trip;
}

sim_time_t breaker_open_time(const breaker *b, sim_time_t now)
{
    return b->open_total + (b->state != BREAKER_CLOSED ? now - b->tripped_at : 0);
}
