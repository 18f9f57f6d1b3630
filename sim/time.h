/* sim/time.h - simulated time.
 *
 * Simulated time is a signed 64-bit count of nanoseconds since the start of
 * the run. 2^63 ns is about 292 years, far past any scenario; signed so that
 * differences need no casts. Helpers convert to and from seconds for reports
 * only: the engine itself never uses floating-point time.
 */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>

typedef int64_t sim_time_t;

#define SIM_NS ((sim_time_t)1)
#define SIM_US ((sim_time_t)1000)
#define SIM_MS ((sim_time_t)1000000)
#define SIM_S  ((sim_time_t)1000000000)
#define SIM_TIME_MAX INT64_MAX

/* Seconds as a double, for reports. */
static inline double sim_time_to_s(sim_time_t t) { return (double)t / 1e9; }
static inline double sim_time_to_ms(sim_time_t t) { return (double)t / 1e6; }

/* A duration in (possibly fractional) nanoseconds rounded to the nearest
 * whole nanosecond, clamped to [0, SIM_TIME_MAX]. Distributions sample
 * doubles; this is the one place they become time. NaN maps to 0. */
static inline sim_time_t sim_time_from_ns(double ns)
{
    if (!(ns > 0.0)) return 0;
    if (ns >= 9.2e18) return SIM_TIME_MAX;
    return (sim_time_t)(ns + 0.5);
}

static inline sim_time_t sim_time_from_s(double s) { return sim_time_from_ns(s * 1e9); }

#endif
