/* models/health.h - the health-check state machine of one pool member.
 *
 * A load balancer (or a database cluster) probes each member on a fixed
 * schedule: probe k of a member is sent at first + k * interval, and its
 * result is known when the answer comes back, or `timeout` after sending when
 * no answer comes (a crashed member answers nothing). A member is marked DOWN
 * after `fall` consecutive failed probes and UP again after `rise`
 * consecutive successful ones (HAProxy calls them fall and rise; Envoy
 * unhealthy_threshold and healthy_threshold). Until it is marked down,
 * traffic still goes to a dead member: that gap is the detection delay.
 *
 * This module is only the state machine and the schedule, with no events:
 * the runtime sends probes at health_next_probe() times, turns what happened
 * to each probe into a result time with health_result_time(), and feeds the
 * results, in the order they are known, to health_record(), which says
 * whether the member just went down or up and stamps the time. Probes are
 * fixed-rate (not "interval after the previous result"), and timeout <=
 * interval, so at most one probe per member is outstanding and results come
 * in the order the probes were sent.
 *
 * Worked numbers (interval 1 s, timeout 1 s, fall 3): a member crashing at c
 * is first probed at c + u, 0 <= u < 1 s; three silent probes later it is
 * down at c + u + 2 s + 1 s, so the detection delay lies in [3 s, 4 s).
 * health_down_at() computes it exactly.
 */
#ifndef MODELS_HEALTH_H
#define MODELS_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/conf.h"
#include "sim/time.h"

/* Parameters, read from a scenario with health_fields, e.g.
 *     "health_check": {"interval": "1s", "timeout": "1s", "fall": 3, "rise": 2} */
typedef struct health_conf {
    sim_time_t interval;   /* between two probes of one member, > 0 */
    sim_time_t timeout;    /* a probe unanswered this long fails; 0 < timeout <= interval */
    int64_t fall;          /* consecutive failures to mark down, >= 1 */
    int64_t rise;          /* consecutive successes to mark up again, >= 1 */
} health_conf;

/* The conf_field table of health_conf (defaults: 1s, 1s, 3, 2). */
extern const conf_field health_fields[];

typedef enum health_state { HEALTH_UP = 0, HEALTH_DOWN = 1 } health_state;

/* What health_record() did to the member. */
typedef enum health_change {
    HEALTH_SAME = 0,       /* no change of state */
    HEALTH_WENT_DOWN,      /* just marked down */
    HEALTH_WENT_UP,        /* just marked up again */
} health_change;

/* What became of one probe. */
typedef enum health_probe {
    HEALTH_PROBE_OK,       /* answered, healthy */
    HEALTH_PROBE_ERROR,    /* answered with an error (e.g. connection refused) */
    HEALTH_PROBE_SILENT,   /* no answer at all (crashed, partitioned, lost) */
} health_probe;

typedef struct health_member {
    health_state state;
    uint32_t fails;            /* consecutive failed results so far */
    uint32_t oks;              /* consecutive successful results so far */
    sim_time_t next_probe;     /* when the next probe is due */
    sim_time_t changed;        /* time of the last change of state (start time at first) */
    sim_time_t down_total;     /* time spent marked down before `changed` if now down,
                                  or in all closed down spells if up */
    uint64_t probes;           /* results recorded */
    uint64_t probe_failures;   /* of which failed */
    uint64_t downs, ups;       /* transitions */
} health_member;

/* Checks a configuration. Returns 0, or SIM_EINVAL with a sentence saying
 * what is wrong written to why (may be NULL). */
int health_conf_check(const health_conf *hc, char *why, size_t len);

/* Starts a member UP at time `start` with its first probe at start + phase
 * (phase in [0, interval): spreading members' phases keeps a pool from
 * probing in lockstep; the caller picks it, e.g. from its random stream). */
void health_member_init(health_member *m, const health_conf *hc, sim_time_t start, sim_time_t phase);

/* When the next probe is due. */
static inline sim_time_t health_next_probe(const health_member *m) { return m->next_probe; }

/* The runtime sends the due probe: returns its send time and moves the
 * schedule on by one interval. */
sim_time_t health_probe_sent(health_member *m, const health_conf *hc);

/* When the result of a probe sent at `sent` is known, and whether it is a
 * success: an answer after `rtt` counts if rtt <= timeout (OK: success,
 * ERROR: failure, both known at sent + rtt); a late or missing answer is a
 * failure known at sent + timeout. */
sim_time_t health_result_time(const health_conf *hc, sim_time_t sent, health_probe outcome,
                              sim_time_t rtt, bool *ok);

/* Records one probe result known at `now` (results in send order). Marks
 * the member down on the fall-th consecutive failure while up, up on the
 * rise-th consecutive success while down; stamps m->changed = now then. */
health_change health_record(health_member *m, const health_conf *hc, sim_time_t now, bool ok);

/* Total time the member has been marked down up to `now`. */
sim_time_t health_down_time(const health_member *m, sim_time_t now);

/* Closed form of the detection schedule, for tests, docs and scenario
 * checks. Probes are sent at first + k * interval (k >= 0); every probe sent
 * before `fault_at` succeeds and every probe sent at or after it fails,
 * its failure known `fail_after` after sending (timeout for a silent member,
 * the error's round trip for a refusing one). Returns the time a member that
 * was up with no failure streak is marked down. */
sim_time_t health_down_at(const health_conf *hc, sim_time_t first, sim_time_t fault_at,
                          sim_time_t fail_after);

/* The same for coming back: probes sent at or after `recover_at` succeed,
 * known `ok_after` after sending; returns when a down member is marked up. */
sim_time_t health_up_at(const health_conf *hc, sim_time_t first, sim_time_t recover_at,
                        sim_time_t ok_after);

#endif
