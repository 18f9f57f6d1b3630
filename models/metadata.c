/* models/metadata.c - metadata lookup station. */
#include "models/metadata.h"

/* Default lookup: lognormal mean 1 ms, p99 5 ms - an indexed read in a
 * replicated key-value store inside one datacenter (a few same-datacenter
 * round trips of 0.2-0.5 ms plus an SSD read, per
 * ../shared/reference/latency-numbers.md). 8 workers, unlimited queue. */
static const conf_field metadata_fields[] = {
    STATION_FIELDS(server_conf, st, "8", "{\"lognormal\": {\"mean\": \"1ms\", \"p99\": \"5ms\"}}", "-1"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const comp_kind metadata_kind = {
    .name = "metadata",
    .help = "metadata lookup service (a queueing station answering where an object's data is)",
    .fields = metadata_fields,
    .conf_size = sizeof(server_conf),
    .ops = &server_ops,
    .flags = 0,
};
