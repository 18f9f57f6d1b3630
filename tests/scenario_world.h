/* tests/scenario_world.h - running a scenario file inside the test process
 * (app/world.h) rather than through bin/cdnsim, for tests that look at the
 * components' state after the run.
 *
 * Linked into the test binary as a helper (any file in tests/ whose name
 * does not start with test_). */
#ifndef TESTS_SCENARIO_WORLD_H
#define TESTS_SCENARIO_WORLD_H

#include <stddef.h>

#include "app/world.h"
#include "models/component.h"

/* world_opts for a quiet run inside a test: no progress line, no SIGINT
 * handler, no log; `sets` (nsets of them, borrowed, may be NULL) are the
 * --set overrides. */
void scenario_world_opts(world_opts *o, const char *const *sets, size_t nsets);

/* world_load(w, path, o); when it fails, prints the located errors on
 * stderr. Records one CHECK that it loaded. Returns world_load's result;
 * either way the caller releases *w with world_free(). */
int scenario_world_load(world *w, const char *path, const world_opts *o);

/* The component of w with id `id`, or NULL. */
component *scenario_world_find(const world *w, const char *id);

#endif
