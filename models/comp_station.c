/* models/comp_station.c - a component's station (see comp_station.h). */
#include "models/comp_station.h"

#include "sim/errors.h"

int comp_station_init(component *c, station *st, const station_conf *sc, station_done_fn done, conf_errors *errs)
{
    int rc = station_init(st, c->env->eng, sc, c->rng, done, c);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "expected at least one server");
        return SIM_EPARSE;
    }
    if (rc != 0) return rc;
    c->st = st;
    return 0;
}
