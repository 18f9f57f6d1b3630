/* models/server.h - a generic queueing server, and the operations that the
 * station-based kinds (metadata, datanode, disk) share.
 *
 * A request waits for one of the station's servers, is served (service time
 * plus size / bandwidth when a bandwidth is set), then either is answered or,
 * when the kind has downstream targets, is forwarded to one of them (chosen
 * by a stable hash of the object id: data placement) and answered when that
 * answer comes back. A full queue rejects the request (status rejected).
 *
 * A kind whose table declares `write_service` (metadata's "update") serves
 * PUTs from that distribution, and is a control-plane service: its answers
 * carry no object bytes (a lookup returns a location, not the photo).
 *
 * Kinds built on it declare their own field table over server_conf; the
 * downstream list is the first CONF_REF/CONF_REFLIST field of the table (its
 * key may differ: "next" here, "disks" for a data node).
 */
#ifndef MODELS_SERVER_H
#define MODELS_SERVER_H

#include "models/component.h"
#include "models/station.h"

extern const comp_kind server_kind;

typedef struct server_conf {
    station_conf st;
    double bandwidth;      /* bytes/s of payload processing; 0: none */
    conf_strlist next;     /* downstream targets (optional) */
    sim_dist write_service;/* ns: service of a PUT, used only by kinds whose field table
                              has an entry for it (metadata's "update"); others serve
                              every operation from st.service */
    sim_time_t timeout;    /* per hop, on `next` (server kind only); 0: wait (issue 5) */
} server_conf;

/* The shared operations; kinds built on server_conf point their ops here. */
extern const comp_ops server_ops;

#endif
