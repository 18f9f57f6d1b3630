/* models/metadata.c - metadata lookup station. */
#include "models/metadata.h"

/* Default lookup: lognormal mean 1 ms, p99 5 ms - an indexed read in a
 * replicated key-value store inside one datacenter (a few same-datacenter
 * round trips of 0.2-0.5 ms plus an SSD read, per
 * ../shared/reference/latency-numbers.md). 8 workers, unlimited queue.
 * An update (a PUT) is a replicated write: a consensus round of one or two
 * same-datacenter round trips (0.2-0.5 ms each) plus a durable log append
 * (a crash-safe write is ~1.7 ms p50 for 1 MiB there, less for a small
 * record): lognormal mean 2 ms, p99 8 ms. */
static const conf_field metadata_fields[] = {
    STATION_FIELDS(server_conf, st, "8", "{\"lognormal\": {\"mean\": \"1ms\", \"p99\": \"5ms\"}}", "-1"),
    { "update", CONF_DIST_TIME, offsetof(server_conf, write_service),
      "{\"lognormal\": {\"mean\": \"2ms\", \"p99\": \"8ms\"}}",
      "service time of a metadata update (a PUT records where the new object lives)", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const comp_kind metadata_kind = {
    .name = "metadata",
    .help = "metadata service: a queueing station answering where an object's data is (lookup) or recording it (update)",
    .fields = metadata_fields,
    .conf_size = sizeof(server_conf),
    .ops = &server_ops,
    .flags = 0,
};
