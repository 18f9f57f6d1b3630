/* models/net.c - regions, link delays and bandwidths. */
#include "models/net.h"

#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

/* Defaults grounded in ../shared/reference/latency-numbers.md (docs/models.md):
 * same datacenter round trip 0.2-0.5 ms -> one-way mean 250 us with a tail;
 * cross-region ~50 ms round trip (the seed's teaching figure) -> one-way mean
 * 25 ms, p99 50 ms. Bandwidth per transfer: 10 Gbit/s inside a region,
 * 1 Gbit/s across regions. */
const conf_field net_same_region_fields[] = {
    { "delay", CONF_DIST_TIME, offsetof(net_link_conf, delay),
      "{\"lognormal\": {\"mean\": \"250us\", \"p99\": \"1ms\"}}",
      "one-way delay of a message inside a region", 0, 0, NULL, NULL },
    { "bandwidth", CONF_BANDWIDTH, offsetof(net_link_conf, bandwidth), "\"10Gbit/s\"",
      "transfer rate of a payload inside a region", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const conf_field net_cross_region_fields[] = {
    { "delay", CONF_DIST_TIME, offsetof(net_link_conf, delay),
      "{\"lognormal\": {\"mean\": \"25ms\", \"p99\": \"50ms\"}}",
      "one-way delay of a message between two regions", 0, 0, NULL, NULL },
    { "bandwidth", CONF_BANDWIDTH, offsetof(net_link_conf, bandwidth), "\"1Gbit/s\"",
      "transfer rate of a payload between two regions", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};


const conf_field net_pair_fields[] = {
    { "between", CONF_JSON, offsetof(net_pair_conf, between), NULL,
      "the two region names this pair sets, [\"A\", \"B\"] (symmetric)", 0, 0, NULL, NULL },
    { "delay", CONF_DIST_TIME, offsetof(net_pair_conf, delay), NULL,
      "one-way delay between the two regions", 0, 0, NULL, NULL },
    { "bandwidth", CONF_BANDWIDTH, offsetof(net_pair_conf, bandwidth), "\"1Gbit/s\"",
      "transfer rate between the two regions", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct net_conf {
    net_link_conf same, cross;
    const cJSON *pairs;
} net_conf;

const conf_field net_network_fields[] = {
    { "same_region", CONF_OBJECT, offsetof(net_conf, same), "{}",
      "link inside a region: delay, bandwidth", 0, 0, NULL, net_same_region_fields },
    { "cross_region", CONF_OBJECT, offsetof(net_conf, cross), "{}",
      "link between regions unless a pair says otherwise: delay, bandwidth", 0, 0, NULL,
      net_cross_region_fields },
    { "pairs", CONF_JSON, offsetof(net_conf, pairs), "[]",
      "list of {between: [A, B], delay, bandwidth} overriding cross_region for A<->B", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static int net_alloc(net *nt, size_t n)
{
    nt->n = n;
    nt->names = calloc(n, sizeof *nt->names);
    nt->delay = calloc(n * n, sizeof *nt->delay);
    nt->bw = calloc(n * n, sizeof *nt->bw);
    nt->mean_ns = calloc(n * n, sizeof *nt->mean_ns);
    nt->factor = calloc(n * n, sizeof *nt->factor);
    nt->cut = calloc(n * n, sizeof *nt->cut);
    nt->loss = calloc(n * n, sizeof *nt->loss);
    nt->extra = calloc(n * n, sizeof *nt->extra);
    if (!nt->names || !nt->delay || !nt->bw || !nt->mean_ns || !nt->factor || !nt->cut || !nt->loss || !nt->extra)
        return SIM_ENOMEM;
    for (size_t i = 0; i < n * n; i++) {
        nt->factor[i] = 1.0;
        sim_dist_const(&nt->delay[i], 0);
    }
    return 0;
}

static int net_set(net *nt, size_t a, size_t b, const sim_dist *d, double bw)
{
    size_t k = a * nt->n + b;
    sim_dist_free(&nt->delay[k]);
    if (sim_dist_copy(&nt->delay[k], d) != 0) {
        sim_dist_const(&nt->delay[k], 0);
        return SIM_ENOMEM;
    }
    nt->bw[k] = bw;
    nt->mean_ns[k] = sim_dist_mean(d);
    return 0;
}

void net_free(net *nt)
{
    if (nt->names)
        for (size_t i = 0; i < nt->n; i++) free(nt->names[i]);
    if (nt->delay)
        for (size_t i = 0; i < nt->n * nt->n; i++) sim_dist_free(&nt->delay[i]);
    free(nt->names);
    free(nt->delay);
    free(nt->bw);
    free(nt->mean_ns);
    free(nt->factor);
    free(nt->cut);
    free(nt->loss);
    free(nt->extra);
    memset(nt, 0, sizeof *nt);
}

static int net_fill(net *nt, const net_link_conf *same, const net_link_conf *cross)
{
    for (size_t a = 0; a < nt->n; a++)
        for (size_t b = 0; b < nt->n; b++) {
            const net_link_conf *l = a == b ? same : cross;
            if (net_set(nt, a, b, &l->delay, l->bandwidth) != 0) return SIM_ENOMEM;
        }
    return 0;
}

int net_init_simple(net *nt, size_t n, const char *const *names, const net_link_conf *same,
                    const net_link_conf *cross)
{
    memset(nt, 0, sizeof *nt);
    if (n == 0) return SIM_EINVAL;
    if (net_alloc(nt, n) != 0) return SIM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!(nt->names[i] = strdup(names[i]))) return SIM_ENOMEM;
    return net_fill(nt, same, cross);
}

int net_init_json(net *nt, const conf_doc *doc, const cJSON *regions, const cJSON *network,
                  conf_errors *errs)
{
    memset(nt, 0, sizeof *nt);
    int rc = 0;
    char buf[128];
    size_t n = 0;
    if (regions && cJSON_IsArray(regions)) n = (size_t)cJSON_GetArraySize(regions);
    else if (regions && cJSON_IsObject(regions)) n = (size_t)cJSON_GetArraySize(regions);
    else if (regions && !cJSON_IsNull(regions)) {
        conf_error_at(errs, doc, regions, "regions",
                      "expected a list of region names like [\"us-east\", \"eu-west\"], found %s",
                      conf_found(regions, buf, sizeof buf));
        return SIM_EPARSE;
    }
    if (n == 0 && regions && !cJSON_IsNull(regions)) {
        conf_error_at(errs, doc, regions, "regions", "expected at least one region, found an empty list");
        return SIM_EPARSE;
    }
    if (net_alloc(nt, n ? n : 1) != 0) return SIM_ENOMEM;
    if (n == 0) {
        if (!(nt->names[0] = strdup("local"))) return SIM_ENOMEM;
    } else {
        size_t i = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, regions) {
            char path[64];
            snprintf(path, sizeof path, "regions[%zu]", i);
            const char *name = NULL;
            if (cJSON_IsArray(regions)) {
                if (cJSON_IsString(it) && it->valuestring[0]) name = it->valuestring;
                else {
                    conf_error_at(errs, doc, it, path, "expected a region name (a string), found %s",
                                  conf_found(it, buf, sizeof buf));
                    rc = SIM_EPARSE;
                }
            } else {
                name = it->string;
                snprintf(path, sizeof path, "regions.%s", name);
                if (!cJSON_IsObject(it) || cJSON_GetArraySize(it) != 0) {
                    conf_error_at(errs, doc, it, path, "expected {} (regions have no settings yet), found %s",
                                  conf_found(it, buf, sizeof buf));
                    rc = SIM_EPARSE;
                }
            }
            if (name) {
                if (net_region(nt, name) >= 0) {
                    conf_error_at(errs, doc, it, path, "region \"%s\" is listed twice", name);
                    rc = SIM_EPARSE;
                }
                if (!(nt->names[i] = strdup(name))) return SIM_ENOMEM;
            } else if (!(nt->names[i] = strdup("?"))) return SIM_ENOMEM;
            i++;
        }
    }
    net_conf nc;
    memset(&nc, 0, sizeof nc);
    if (network && !cJSON_IsObject(network)) {
        conf_error_at(errs, doc, network, "network", "expected an object with same_region, cross_region, pairs, found %s",
                      conf_found(network, buf, sizeof buf));
        return SIM_EPARSE;
    }
    if (conf_read_fields(doc, network, "network", net_network_fields, NULL, &nc, errs) != 0) {
        conf_free_fields(net_network_fields, &nc);
        return SIM_EPARSE;
    }
    if (net_fill(nt, &nc.same, &nc.cross) != 0) rc = SIM_ENOMEM;
    if (nc.pairs && !cJSON_IsArray(nc.pairs)) {
        conf_error_at(errs, doc, nc.pairs, "network.pairs", "expected a list of {between, delay, bandwidth}, found %s",
                      conf_found(nc.pairs, buf, sizeof buf));
        rc = SIM_EPARSE;
    } else if (nc.pairs) {
        size_t i = 0;
        const cJSON *p;
        cJSON_ArrayForEach(p, nc.pairs) {
            char path[64];
            snprintf(path, sizeof path, "network.pairs[%zu]", i++);
            net_pair_conf pc;
            memset(&pc, 0, sizeof pc);
            if (!cJSON_IsObject(p)) {
                conf_error_at(errs, doc, p, path, "expected {between, delay, bandwidth}, found %s",
                              conf_found(p, buf, sizeof buf));
                rc = SIM_EPARSE;
                continue;
            }
            if (conf_read_fields(doc, p, path, net_pair_fields, NULL, &pc, errs) != 0) {
                rc = SIM_EPARSE;
            } else if (!cJSON_IsArray(pc.between) || cJSON_GetArraySize(pc.between) != 2 ||
                       !cJSON_IsString(cJSON_GetArrayItem(pc.between, 0)) ||
                       !cJSON_IsString(cJSON_GetArrayItem(pc.between, 1))) {
                char bp[96];
                snprintf(bp, sizeof bp, "%s.between", path);
                conf_error_at(errs, doc, pc.between, bp, "expected two region names like [\"us-east\", \"eu-west\"], found %s",
                              conf_found(pc.between, buf, sizeof buf));
                rc = SIM_EPARSE;
            } else {
                const char *names[2] = { cJSON_GetArrayItem(pc.between, 0)->valuestring,
                                         cJSON_GetArrayItem(pc.between, 1)->valuestring };
                int a = net_region(nt, names[0]), b = net_region(nt, names[1]);
                for (int k = 0; k < 2; k++) {
                    if ((k ? b : a) < 0) {
                        const char *name = names[k];
                        const char *sug = conf_did_you_mean(name, (const char *const *)nt->names, nt->n);
                        conf_error_at(errs, doc, cJSON_GetArrayItem(pc.between, k), path,
                                      "between: unknown region \"%s\"%s%s%s", name,
                                      sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
                        rc = SIM_EPARSE;
                    }
                }
                if (a >= 0 && b >= 0) {
                    if (net_set(nt, (size_t)a, (size_t)b, &pc.delay, pc.bandwidth) != 0 ||
                        net_set(nt, (size_t)b, (size_t)a, &pc.delay, pc.bandwidth) != 0)
                        rc = SIM_ENOMEM;
                }
            }
            conf_free_fields(net_pair_fields, &pc);
        }
    }
    conf_free_fields(net_network_fields, &nc);
    return rc;
}

int net_region(const net *nt, const char *name)
{
    for (size_t i = 0; i < nt->n; i++)
        if (nt->names[i] && !strcmp(nt->names[i], name)) return (int)i;
    return -1;
}

sim_time_t net_delay(const net *nt, int a, int b, uint64_t bytes, gsl_rng *r)
{
    size_t k = (size_t)a * nt->n + (size_t)b;
    double ns = sim_dist_sample(&nt->delay[k], r);
    if (bytes && nt->bw[k] > 0) ns += (double)bytes / nt->bw[k] * 1e9;
    return sim_time_from_ns(ns * nt->factor[k]) + nt->extra[k];
}

int net_nearest(const net *nt, int from, const int *cand, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (cand[i] == from) return (int)i;
        if (best < 0 || net_mean_ns(nt, from, cand[i]) < net_mean_ns(nt, from, cand[best])) best = (int)i;
    }
    return best;
}

cJSON *net_conf_to_json(const conf_doc *doc, const cJSON *network)
{
    net_conf nc;
    memset(&nc, 0, sizeof nc);
    conf_errors errs;
    conf_errors_init(&errs);
    cJSON *o = NULL;
    if (conf_read_fields(doc, network, "network", net_network_fields, NULL, &nc, &errs) == 0)
        o = conf_fields_to_json(net_network_fields, &nc);
    conf_free_fields(net_network_fields, &nc);
    conf_errors_free(&errs);
    return o;
}

cJSON *net_to_json(const net *nt)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON *regs = cJSON_AddArrayToObject(o, "regions");
    for (size_t i = 0; regs && i < nt->n; i++) cJSON_AddItemToArray(regs, cJSON_CreateString(nt->names[i]));
    cJSON *links = cJSON_AddArrayToObject(o, "links");
    for (size_t a = 0; links && a < nt->n; a++)
        for (size_t b = a; b < nt->n; b++) {
            size_t k = a * nt->n + b;
            cJSON *l = cJSON_CreateObject();
            if (!l) continue;
            cJSON *bt = cJSON_AddArrayToObject(l, "between");
            cJSON_AddItemToArray(bt, cJSON_CreateString(nt->names[a]));
            cJSON_AddItemToArray(bt, cJSON_CreateString(nt->names[b]));
            char buf[160];
            sim_dist_describe(&nt->delay[k], buf, sizeof buf);
            cJSON_AddStringToObject(l, "delay_ns", buf);
            char mb[64];
            conf_format_duration((sim_time_t)(nt->mean_ns[k] + 0.5), mb, sizeof mb);
            cJSON_AddStringToObject(l, "mean_delay", mb);
            snprintf(buf, sizeof buf, "%.6g Gbit/s", nt->bw[k] * 8 / 1e9);
            cJSON_AddStringToObject(l, "bandwidth", buf);
            cJSON_AddItemToArray(links, l);
        }
    return o;
}
