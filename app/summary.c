/* app/summary.c - summary.json and latency.csv. */
#include "app/summary.h"
#include "app/faultrun.h"
#include "app/jsonmem.h"

#include <math.h>

#include "app/world.h"
#include "models/request.h"

const double summary_quantiles[] = { 0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75,
                                     0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 1 };
const size_t summary_nquantiles = sizeof summary_quantiles / sizeof summary_quantiles[0];

void summary_write_latency_csv(const sim_hist *h, FILE *f)
{
    fputs("q,latency_ms\n", f);
    for (size_t i = 0; i < summary_nquantiles; i++) {
        double q = summary_quantiles[i];
        if (h->count == 0) fprintf(f, "%g,\n", q);
        else if (q >= 1) fprintf(f, "%g,%.4f\n", q, (double)h->max / 1e6);
        else fprintf(f, "%g,%.4f\n", q, sim_hist_quantile(h, q) / 1e6);
    }
}

static void add_requests(cJSON *o, const world_stats *s)
{
    cJSON *r = cJSON_AddObjectToObject(o, "requests");
    if (!r) return;
    comp_json_num(r, "issued", (double)s->issued, "%.0f");
    comp_json_num(r, "completed", (double)s->completed, "%.0f");
    comp_json_num(r, "failed", (double)s->failed, "%.0f");
    comp_json_num(r, "timed_out", (double)s->timed_out, "%.0f");
    comp_json_num(r, "rejected", (double)s->rejected, "%.0f");
}

cJSON *world_summary(const world *w)
{
    unsigned long json_failures = app_jsonmem_failures();
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "schema", SUMMARY_SCHEMA);
    cJSON *sc = cJSON_AddObjectToObject(o, "scenario");
    if (sc) {
        cJSON_AddStringToObject(sc, "name", w->scn.name ? w->scn.name : "");
        cJSON_AddStringToObject(sc, "sha256", w->scn.sha256);
        cJSON_AddStringToObject(sc, "description", w->scn.description ? w->scn.description : "");
    }
    comp_json_num(o, "seed", (double)w->seed, "%.0f");
    if (w->seed > (1ULL << 53)) {
        /* beyond a double's integers: print exactly */
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)w->seed);
        cJSON *raw = cJSON_CreateRaw(buf);
        if (!raw || conf_json_set_member(o, "seed", cJSON_GetObjectItemCaseSensitive(o, "seed"), raw) != 0) {
            cJSON_Delete(raw);
            cJSON_Delete(o);
            return NULL;
        }
    }
    sim_time_t reached = w->ran ? w->reached : 0;
    comp_json_num(o, "sim_s", sim_time_to_s(reached), "%.6f");
    comp_json_num(o, "warmup_s", sim_time_to_s(w->scn.warmup), "%.6f");
    comp_json_num(o, "wall_s", w->wall_s, "%.3f");
    comp_json_num(o, "events", (double)w->eng.events, "%.0f");
    comp_json_num(o, "events_per_s", w->wall_s > 0 ? (double)w->eng.events / w->wall_s : 0, "%.0f");
    cJSON_AddBoolToObject(o, "partial", w->partial);
    add_requests(o, &w->all);
    double measured_s = sim_time_to_s(reached - w->scn.warmup);
    comp_json_num(o, "throughput_rps", measured_s > 0 ? (double)w->all.completed / measured_s : 0, "%.4f");
    comp_json_latency(o, "latency_ms", &w->all.latency);
    cJSON *by = cJSON_AddObjectToObject(o, "by_op");
    for (int i = 0; by && i < REQ_NOPS; i++) {
        if (!w->by_op[i].issued && !w->by_op[i].completed) continue;
        cJSON *op = cJSON_AddObjectToObject(by, req_op_names[i]);
        if (!op) continue;
        add_requests(op, &w->by_op[i]);
        comp_json_num(op, "throughput_rps", measured_s > 0 ? (double)w->by_op[i].completed / measured_s : 0, "%.4f");
        comp_json_latency(op, "latency_ms", &w->by_op[i].latency);
    }
    if (fault_run_report(w, o) != 0) { /* a summary missing part of a fault's report would mislead */
        cJSON_Delete(o);
        return NULL;
    }
    cJSON *comps = cJSON_AddObjectToObject(o, "components");
    for (size_t i = 0; comps && i < w->ncomps; i++) {
        cJSON *c = comp_report(w->comps[i]);
        if (c && !cJSON_AddItemToObject(comps, w->comps[i]->id, c)) cJSON_Delete(c);
    }
    if (!comps || app_jsonmem_failures() != json_failures) { /* keys would be missing */
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
