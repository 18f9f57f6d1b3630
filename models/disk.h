/* models/disk.h - a disk: `channels` requests served in parallel (the
 * device's internal parallelism at the queue depth the node uses), each
 * taking an access time drawn from `access` plus size / `bandwidth`.
 * Co-located with its data node (COMP_KIND_LOCAL: no network hop).
 * Built on models/server; later calibrated from measurements (issue 9). */
#ifndef MODELS_DISK_H
#define MODELS_DISK_H

#include "models/server.h"

extern const comp_kind disk_kind;

#endif
