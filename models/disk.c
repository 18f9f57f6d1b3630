/* models/disk.c - disk: access time + transfer at bandwidth, c channels. */
#include "models/disk.h"

/* Default: an NVMe SSD per ../shared/reference/latency-numbers.md: random
 * read median 80-150 us with p99 of a few hundred us -> lognormal mean 120 us,
 * p99 400 us; sequential read 1-3 GB/s -> 2 GB/s; 4 channels. */
static const conf_field disk_fields[] = {
    { "channels", CONF_INT, offsetof(server_conf, st.servers), "4",
      "requests the device serves in parallel", 1, 1e6, NULL, NULL },
    { "queue_limit", CONF_INT, offsetof(server_conf, st.queue_limit), "-1",
      "most requests waiting; more are rejected (-1: unlimited)", -1, 1e12, NULL, NULL },
    { "access", CONF_DIST_TIME, offsetof(server_conf, st.service),
      "{\"lognormal\": {\"mean\": \"120us\", \"p99\": \"400us\"}}",
      "access time of one read (seek + rotation for an HDD, flash read for an SSD)", 0, 0, NULL, NULL },
    { "bandwidth", CONF_BANDWIDTH, offsetof(server_conf, bandwidth), "\"2GB/s\"",
      "transfer rate of one channel: adds size / bandwidth", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const comp_kind disk_kind = {
    .name = "disk",
    .help = "disk: access time + size / bandwidth, `channels` in parallel, FIFO queue",
    .fields = disk_fields,
    .conf_size = sizeof(server_conf),
    .ops = &server_ops,
    .flags = COMP_KIND_LOCAL,
};
