/* app/scenario_set.h - private to app/scenario*.c: --set PATH=VALUE.
 *
 * A path is keys separated by '.', with "[N]" to index a list:
 * "seed", "workload.rate", "components[2].cache.size". Under `components`
 * a key names a component: first an entry by the id written in the file (the
 * whole group when it has a count), applied to the tree before defaults and
 * expansion; else one expanded member ("edge-3"), applied to that member's
 * copy afterwards. Missing objects along the path are created (so a default
 * can be overridden without writing it first); the models' field tables then
 * reject keys they do not know, naming the --set. */
#ifndef APP_SCENARIO_SET_H
#define APP_SCENARIO_SET_H

#include "app/scenario.h"

typedef struct {
    char *key;  /* NULL for an index */
    long index;
} scn_seg;

typedef struct {
    char *origin;      /* "--set PATH", the prefix of its messages */
    char *value;       /* VALUE text */
    scn_seg *segs;
    size_t nsegs;
    int state;         /* 0 pending, 1 applied, -1 failed */
} scn_set;

typedef struct {
    scn_set *v;
    size_t n;
} scn_sets;

/* Splits and checks each "PATH=VALUE". Returns 0, SIM_EPARSE (recorded) or
 * SIM_ENOMEM; *st must be freed with scn_sets_free in every case. */
int scn_sets_parse(scn_sets *st, const char *const *sets, size_t n, conf_errors *errs);
/* Applies the sets that name a top-level key or a component entry. */
int scn_sets_apply_tree(scn_sets *st, conf_doc *doc, conf_errors *errs);
/* Applies the remaining sets to expanded members; reports names not found. */
int scn_sets_apply_members(scn_sets *st, scenario *s, conf_errors *errs);
void scn_sets_free(scn_sets *st);

/* From app/scenario.c. */
int scenario_is_top_key(const char *key);
const char *scenario_suggest_top_key(const char *key);
int scenario_valid_name(const char *s);

#endif
