/* models/comp_cache.c - a component's cache (see comp_cache.h). */
#include "models/comp_cache.h"

#include "sim/errors.h"

static void cache_no_memory(void *c)
{
    comp_out_of_memory(c);
}

int comp_cache_create(component *c, const cache_params *p, cache **out, conf_errors *errs)
{
    cache_params q = *p;
    q.on_no_memory = cache_no_memory; /* the run stops rather than report the shortfall as misses */
    q.no_memory_ctx = c;
    int rc = cache_create(&q, out);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "cannot create a \"%s\" cache of %llu bytes: %s",
                      p->policy, (unsigned long long)p->capacity, sim_strerror(rc));
        return SIM_EPARSE;
    }
    if (rc != 0) return rc;
    c->cache = *out;
    return 0;
}

void comp_cache_report(const cache *k, cJSON *o)
{
    const cache_stats *cs = cache_get_stats(k);
    comp_json_num(o, "evictions", (double)cs->evictions, "%.0f");
    comp_json_num(o, "expirations", (double)cs->expirations, "%.0f");
    comp_json_num(o, "characteristic_time_s", cache_characteristic_time(k) / 1e9, "%.6f");
    comp_json_num(o, "cache_used_bytes", (double)cache_used(k), "%.0f");
    comp_json_num(o, "cache_objects", (double)cache_objects(k), "%.0f");
}
