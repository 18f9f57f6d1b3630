/* models/registry.c - the table of component kinds. */
#include "models/registry.h"

#include <string.h>

#include "models/app_cache.h"
#include "models/cdn_edge.h"
#include "models/client.h"
#include "models/datanode.h"
#include "models/db.h"
#include "models/disk.h"
#include "models/dns.h"
#include "models/gateway.h"
#include "models/lb.h"
#include "models/metadata.h"
#include "models/server.h"
#include "models/trace_replay.h"

const comp_kind *const comp_kinds[] = {
    &client_kind,
    &trace_replay_kind,
    &dns_kind,
    &cdn_edge_kind,
    &app_cache_kind,
    &lb_kind,
    &gateway_kind,
    &metadata_kind,
    &datanode_kind,
    &disk_kind,
    &server_kind,
    &db_kind,
    &db_node_kind,
    NULL,
};

const comp_kind *comp_kind_find(const char *name)
{
    for (const comp_kind *const *k = comp_kinds; *k; k++)
        if (!strcmp((*k)->name, name)) return *k;
    return NULL;
}

const char *const *comp_kind_names(size_t *n)
{
    static const char *names[64];
    size_t i = 0;
    for (const comp_kind *const *k = comp_kinds; *k && i < 63; k++) names[i++] = (*k)->name;
    names[i] = NULL;
    if (n) *n = i;
    return names;
}
