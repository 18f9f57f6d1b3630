/* models/datanode.c - data node: request handling station + disks. */
#include "models/datanode.h"

/* Default handling: lognormal mean 100 us, p99 500 us of CPU per request
 * (parsing, checksums of a few hundred KiB at ~50 GB/s crc32c are
 * negligible), 16 worker threads. */
static const conf_field datanode_fields[] = {
    STATION_FIELDS(server_conf, st, "16", "{\"lognormal\": {\"mean\": \"100us\", \"p99\": \"500us\"}}", "-1"),
    { "disks", CONF_REFLIST, offsetof(server_conf, next), NULL,
      "ids (or group) of its disks; an object lives on one, chosen by hash", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const comp_kind datanode_kind = {
    .name = "datanode",
    .help = "storage data node: handles the request, reads the object from one of its disks",
    .fields = datanode_fields,
    .conf_size = sizeof(server_conf),
    .ops = &server_ops,
    .flags = 0,
};
