/* models/trace_replay.h - a workload that replays a request trace instead of
 * drawing Zipf: every line (CSV) or record (oracleGeneral) of `trace` becomes
 * one GET for that object id and size, sent to `to`.
 *
 * Time: by default the trace's times are honoured: request i is issued
 * (t_i - t_0) * time_unit / speedup after the start (time_unit = what one
 * unit of the trace's time column means, 1 s by default as in
 * oracleGeneral; speedup > 1 compresses the trace). With `rate` > 0 the
 * trace's times are ignored and requests are issued as a Poisson stream at
 * that rate, in trace order. Times that go backwards issue at once.
 *
 * The file is streamed (models/trace.h); `loop` starts it over at the end.
 * A malformed line stops the replay (reported in the summary and as an
 * event) unless `skip_bad`. Responses cross `last_mile` like a client's.
 */
#ifndef MODELS_TRACE_REPLAY_H
#define MODELS_TRACE_REPLAY_H

#include "models/component.h"

extern const comp_kind trace_replay_kind;

typedef struct trace_replay_conf {
    char *to;
    char *trace;
    int format;              /* trace_format */
    int64_t time_col, id_col, size_col;
    bool no_header, ignore_size, skip_bad, loop;
    sim_time_t time_unit;
    double speedup;
    double rate;             /* > 0: Poisson at this rate, trace times ignored */
    sim_dist last_mile;
} trace_replay_conf;

#endif
