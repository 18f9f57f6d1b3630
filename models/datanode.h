/* models/datanode.h - a storage data node: a queueing station for request
 * handling, then a read from one of its disks (chosen by object hash), then
 * the object streams back. Built on models/server. */
#ifndef MODELS_DATANODE_H
#define MODELS_DATANODE_H

#include "models/server.h"

extern const comp_kind datanode_kind;

#endif
