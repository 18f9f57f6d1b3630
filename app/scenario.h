/* app/scenario.h - loading a scenario file: top-level sections, per-kind
 * defaults, `count` expansion, --set overrides, the file's sha256.
 *
 * The scenario layer knows the language's structure but not the models: it
 * checks the top-level keys and their JSON types, expands `components` into
 * one scn_component per simulated component (defaults merged under each, the
 * component's own keys winning), and leaves every per-kind parameter to the
 * runtime, which reads comp->node with conf_read_fields() and reports errors
 * through the same conf_errors list (with the same file:line:col and path).
 *
 * Order of work in scenario_load (so that a --set is checked exactly like a
 * value written in the file):
 *   1. read and parse the file (located JSON), hash its bytes;
 *   2. apply every --set PATH=VALUE that names a top-level key, a section, a
 *      component entry by index ("components[2].x") or by the id written in
 *      the file ("components.edge.x", the whole group when it has a count);
 *   3. check the top-level keys and types; read name, seed, duration, warmup;
 *   4. expand components: merge `defaults[kind]` under each entry, then copy
 *      the entry once per member of its `count` (ids "<id>-1".."<id>-N", or
 *      "<id>-<region>-<k>" when `region` is a list);
 *   5. apply the --set that name one expanded member ("components.edge-3.x");
 *   6. check that ids are unique.
 * See docs/scenario.md for the language itself.
 */
#ifndef APP_SCENARIO_H
#define APP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "sim/time.h"

/* One simulated component after defaults, count and --set. */
typedef struct scn_component {
    char *id;          /* unique across the scenario: "edge-us-east-2" */
    char *group;       /* the id written in the file; equals id when the entry has no count */
    char *kind;        /* as written ("cdn_edge"); validated by scenario_check_kinds() */
    char *region;      /* this member's region */
    unsigned replica;  /* 1-based index within its group (per region when `region` is a
                          list); 0 when the entry has no count */
    const cJSON *node; /* this component's effective object (defaults merged, --set
                          applied, "count" removed, "id"/"region" set to this
                          member's). Owned by the scenario; each member has its own
                          copy, located at the positions of the text it came from.
                          Read it with conf_read_fields(&s->doc, node, jpath, fields,
                          scenario_component_keys, ...). */
    char *jpath;       /* where its entry is in the file: "components[3]" */
} scn_component;

/* Keys of a component object that belong to the scenario layer, not to the
 * model: pass as `ignore` to conf_read_fields(). NULL-terminated:
 * "id", "kind", "region", "count". */
extern const char *const scenario_component_keys[];

typedef struct scenario {
    conf_doc doc;            /* the parsed file; errors are located through it */
    char *name;              /* default: the file name without directory and ".json" */
    char *description;       /* "" when absent */
    uint64_t seed;           /* default 1 */
    sim_time_t duration;     /* required, > 0: simulated time including the warm-up */
    sim_time_t warmup;       /* default 0, < duration: measurements start here */
    char sha256[65];         /* lowercase hex of the file's bytes (before --set) */
    /* Sections kept raw for the runtime (borrowed from doc; NULL when absent).
     * Their JSON type is checked here: regions, network, workload and report
     * are objects, faults is an array. */
    const cJSON *regions, *network, *workload, *faults, *report;
    const cJSON *defaults;   /* object of per-kind objects, NULL when absent */
    scn_component *comps;    /* in file order; count members in order 1..N */
    size_t ncomps;
    void *index;             /* private: sorted ids and groups for find/resolve */
} scenario;

/* Loads the scenario file at `path` and applies the `nsets` overrides in
 * `sets`, each "PATH=VALUE" as typed after --set (VALUE is parsed as JSON when
 * it is valid JSON, else taken as a string: --set duration=10s works
 * unquoted). Every problem (file, syntax, section types, ids, --set paths) is
 * added to `errs`, located ("demo.json:12:5: components[0].id: ..." or
 * "--set components.edge.cache.size: ..."), and loading goes on as far as it
 * sensibly can so that one run reports many errors.
 * Returns 0 when nothing was wrong; SIM_ENOENT when the file cannot be read;
 * SIM_EPARSE when anything was wrong with it. In every case *s is initialised
 * and must be released with scenario_free() (safe after any result). */
int scenario_load(scenario *s, const char *path, const char *const *sets, size_t nsets,
                  conf_errors *errs);

/* Same from memory: `name` is the file name used in messages and for the
 * default scenario name; relative paths inside (empirical files) resolve
 * against `dir` (NULL: the current directory). */
int scenario_parse(scenario *s, const char *name, const char *dir, const char *text, size_t len,
                   const char *const *sets, size_t nsets, conf_errors *errs);

/* Releases everything the scenario owns. Safe on a zeroed or failed scenario. */
void scenario_free(scenario *s);

/* Checks every component's `kind` and every key of `defaults` against the
 * NULL-terminated list of known kinds, recording "unknown kind "cdn_egde"
 * (did you mean "cdn_edge"?)" errors at the place the kind was written.
 * Returns 0 or SIM_EPARSE. The runtime calls it with its registry of models. */
int scenario_check_kinds(const scenario *s, const char *const *kinds, conf_errors *errs);

/* The components named by a reference: an exact id, else a group (all the
 * members of a `count` entry, in order). O(log n). Writes up to `max` indices into
 * s->comps to idx (idx may be NULL when max is 0) and returns how many match
 * in total (0: dangling reference), like snprintf. */
size_t scenario_resolve(const scenario *s, const char *ref, size_t *idx, size_t max);

/* Index of the component with exactly this id, or -1. */
long scenario_find(const scenario *s, const char *id);

/* The effective scenario for `show`: name, description, seed, duration,
 * warmup (as unit strings), the raw sections, and `components` as the
 * expanded list (defaults merged, counts expanded, --set applied; no
 * `defaults`). A new tree owned by the caller (cJSON_Delete), NULL on out of
 * memory. Per-kind defaults that the models fill in are not included: the
 * runtime adds them with conf_fields_to_json(). */
cJSON *scenario_effective_json(const scenario *s);

#endif
