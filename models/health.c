/* models/health.c - health-check state machine and probe schedule. */
#include "models/health.h"

#include <stddef.h>
#include <stdio.h>

#include "sim/errors.h"

const conf_field health_fields[] = {
    { "interval", CONF_DURATION, offsetof(health_conf, interval), "\"1s\"",
      "time between two probes of one member", 0, 0, NULL, NULL },
    { "timeout", CONF_DURATION, offsetof(health_conf, timeout), "\"1s\"",
      "a probe unanswered this long fails (at most the interval)", 0, 0, NULL, NULL },
    { "fall", CONF_INT, offsetof(health_conf, fall), "3",
      "consecutive failed probes to mark a member down", 1, 1000, NULL, NULL },
    { "rise", CONF_INT, offsetof(health_conf, rise), "2",
      "consecutive successful probes to mark it up again", 1, 1000, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

int health_conf_check(const health_conf *hc, char *why, size_t len)
{
    const char *msg = NULL;
    if (hc->interval <= 0) msg = "interval must be positive";
    else if (hc->timeout <= 0) msg = "timeout must be positive";
    else if (hc->timeout > hc->interval)
        msg = "timeout must not exceed the interval (one probe per member at a time)";
    else if (hc->fall < 1 || hc->fall > UINT32_MAX) msg = "fall must be at least 1";
    else if (hc->rise < 1 || hc->rise > UINT32_MAX) msg = "rise must be at least 1";
    if (!msg) return 0;
    if (why && len) snprintf(why, len, "%s", msg);
    return SIM_EINVAL;
}

void health_member_init(health_member *m, const health_conf *hc, sim_time_t start, sim_time_t phase)
{
    *m = (health_member){ 0 };
    m->state = HEALTH_UP;
    if (phase < 0) phase = 0;
    if (hc->interval > 0) phase %= hc->interval;
    m->next_probe = start + phase;
    m->changed = start;
}

sim_time_t health_probe_sent(health_member *m, const health_conf *hc)
{
    sim_time_t t = m->next_probe;
    m->next_probe += hc->interval;
    return t;
}

sim_time_t health_result_time(const health_conf *hc, sim_time_t sent, health_probe outcome,
                              sim_time_t rtt, bool *ok)
{
    if (outcome != HEALTH_PROBE_SILENT && rtt >= 0 && rtt <= hc->timeout) {
        *ok = outcome == HEALTH_PROBE_OK;
        return sent + rtt;
    }
    *ok = false;
    return sent + hc->timeout;
}

health_change health_record(health_member *m, const health_conf *hc, sim_time_t now, bool ok)
{
    m->probes++;
    if (!ok) {
        m->probe_failures++;
        m->oks = 0;
        if (m->fails < UINT32_MAX) m->fails++;
        if (m->state == HEALTH_UP && m->fails >= (uint64_t)hc->fall) {
            m->state = HEALTH_DOWN;
            m->changed = now;
            m->downs++;
            return HEALTH_WENT_DOWN;
        }
        return HEALTH_SAME;
    }
    m->fails = 0;
    if (m->oks < UINT32_MAX) m->oks++;
    if (m->state == HEALTH_DOWN && m->oks >= (uint64_t)hc->rise) {
        m->down_total += now - m->changed;
        m->state = HEALTH_UP;
        m->changed = now;
        m->ups++;
        return HEALTH_WENT_UP;
    }
    return HEALTH_SAME;
}

sim_time_t health_down_time(const health_member *m, sim_time_t now)
{
    return m->down_total + (m->state == HEALTH_DOWN ? now - m->changed : 0);
}

/* Index of the first probe sent at or after t (probes at first + k*interval). */
static int64_t first_probe_at_or_after(const health_conf *hc, sim_time_t first, sim_time_t t)
{
    if (t <= first) return 0;
    return (t - first + hc->interval - 1) / hc->interval;
}

sim_time_t health_down_at(const health_conf *hc, sim_time_t first, sim_time_t fault_at,
                          sim_time_t fail_after)
{
    int64_t k = first_probe_at_or_after(hc, first, fault_at);
    return first + (k + hc->fall - 1) * hc->interval + fail_after;
}

sim_time_t health_up_at(const health_conf *hc, sim_time_t first, sim_time_t recover_at,
                        sim_time_t ok_after)
{
    int64_t k = first_probe_at_or_after(hc, first, recover_at);
    return first + (k + hc->rise - 1) * hc->interval + ok_after;
}
