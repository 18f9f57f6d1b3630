/* models/comp_station.h - a component's station (models/station.h) built from
 * its parameters, with the error a scenario author sees when they are
 * impossible. Shared by the kinds that serve requests from a station
 * (cdn_edge, app_cache, db nodes, ...). */
#ifndef MODELS_COMP_STATION_H
#define MODELS_COMP_STATION_H

#include "app/conf.h"
#include "models/component.h"
#include "models/station.h"

/* station_init(st, c's engine, sc, c->rng, done, c), then c->st = st so that
 * the base counters and reports see it. sc is copied (the caller keeps it).
 * Returns 0; SIM_EPARSE after adding "expected at least one server" at c's
 * JSON path to errs when sc has no server; or another SIM_E* code from
 * station_init (st is then not set on c). Either way st must be released
 * with station_free(). */
int comp_station_init(component *c, station *st, const station_conf *sc, station_done_fn done, conf_errors *errs);

#endif
