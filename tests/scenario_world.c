/* tests/scenario_world.c - a scenario run inside the test process (see
 * scenario_world.h). */
#include "tests/scenario_world.h"

#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

void scenario_world_opts(world_opts *o, const char *const *sets, size_t nsets)
{
    world_opts_init(o);
    o->progress = WORLD_PROGRESS_OFF;
    o->handle_sigint = false;
    o->log = NULL;
    o->sets = sets;
    o->nsets = nsets;
}

int scenario_world_load(world *w, const char *path, const world_opts *o)
{
    conf_errors errs;
    conf_errors_init(&errs);
    int rc = world_load(w, path, o, &errs);
    if (rc != 0) conf_errors_print(&errs, stderr);
    conf_errors_free(&errs);
    CHECK_EQ_I64(rc, 0);
    return rc;
}

component *scenario_world_find(const world *w, const char *id)
{
    for (size_t i = 0; i < w->ncomps; i++)
        if (!strcmp(w->comps[i]->id, id)) return w->comps[i];
    return NULL;
}
