/* models/registry.h - every component kind, by name. A new kind adds one
 * line to models/registry.c. */
#ifndef MODELS_REGISTRY_H
#define MODELS_REGISTRY_H

#include <stddef.h>

#include "models/component.h"

/* NULL-terminated list of every kind, in documentation order. */
extern const comp_kind *const comp_kinds[];

/* The kind named `name`, or NULL. */
const comp_kind *comp_kind_find(const char *name);

/* The kind names, NULL-terminated, for "did you mean" (static storage). */
const char *const *comp_kind_names(size_t *n);

#endif
