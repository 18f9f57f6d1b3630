/* models/gateway.h - the object store's front end (the S3 endpoint).
 *
 * A request is handled by the gateway's station (authentication, parsing),
 * then the gateway asks the metadata service where the object lives (when a
 * `metadata` is set), then reads it from the data node that holds it (chosen
 * by a stable hash of the object id, the placement the metadata returns) and
 * streams it back. Errors from either step are passed back unchanged.
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
} gateway_conf;

#endif
