/* models/metadata.h - the object store's metadata service: a queueing
 * station whose service is one lookup (bucket + key -> where the data is).
 * Built on models/server. */
#ifndef MODELS_METADATA_H
#define MODELS_METADATA_H

#include "models/server.h"

extern const comp_kind metadata_kind;

#endif
