/* models/gateway.h - the object store's front end (the S3 endpoint).
 *
 * A request is handled by the gateway's station (authentication, parsing),
 * then the gateway asks the metadata service where the object lives (when a
 * `metadata` is set), then reads it from the data node that holds it (chosen
 * by a stable hash of the object id, the placement the metadata returns) and
 * streams it back. Errors from either step are passed back unchanged.
 *
 * A PUT takes the same steps: handling, a metadata update (the metadata
 * kind's `update` time), then the write on the data node. With `replicas`
 * r > 1 the gateway writes r copies, on the data node the hash chooses and
 * the r - 1 following it in the list (all different), and answers once
 * `write_quorum` w of them acknowledged (0: all r); it answers with a
 * failure as soon as more than r - w copies failed. Copies still out after
 * the answer finish on their own (their load counts on their data nodes). A
 * GET reads the first of the r places. The copies are requests from the
 * shared pool, and the per-write bookkeeping is a table that grows by
 * doubling and recycles its slots: nothing is allocated per request once
 * warm.
 */
#ifndef MODELS_GATEWAY_H
#define MODELS_GATEWAY_H

#include "models/component.h"
#include "models/station.h"

extern const comp_kind gateway_kind;

typedef struct gateway_conf {
    station_conf st;
    char *metadata;
    conf_strlist datanodes;
    int64_t replicas;       /* copies of each PUT, >= 1 */
    int64_t write_quorum;   /* acknowledgements before answering; 0: all */
    sim_time_t timeout;     /* per hop, on metadata and data node calls; 0: wait (issue 5) */
} gateway_conf;

#endif
