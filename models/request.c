/* models/request.c - request pool and return path. */
#include "models/request.h"

#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

const char *const req_op_names[REQ_NOPS] = { "GET", "PUT", "DELETE", "HEAD" };
const char *const req_status_names[] = { "pending", "ok", "failed", "timed_out", "rejected" };

void req_pool_init(req_pool *p)
{
    memset(p, 0, sizeof *p);
    p->slab_reqs = 1024;
}

void req_pool_free(req_pool *p)
{
    for (size_t i = 0; i < p->nslabs; i++) free(p->slabs[i]);
    free(p->slabs);
    memset(p, 0, sizeof *p);
}

static int req_pool_grow(req_pool *p)
{
    if (p->nslabs == p->cap_slabs) {
        size_t nc = p->cap_slabs ? p->cap_slabs * 2 : 8;
        request **ns = realloc(p->slabs, nc * sizeof *ns);
        if (!ns) return SIM_ENOMEM;
        p->slabs = ns;
        p->cap_slabs = nc;
    }
    request *slab = calloc(p->slab_reqs, sizeof *slab);
    if (!slab) return SIM_ENOMEM;
    p->slabs[p->nslabs++] = slab;
    for (size_t i = p->slab_reqs; i-- > 0;) {
        slab[i].qnext = p->free_list;
        p->free_list = &slab[i];
    }
    /* Larger slabs as the run grows: few allocations even at high load. */
    if (p->slab_reqs < 65536) p->slab_reqs *= 2;
    return 0;
}

request *req_new(req_pool *p)
{
    if (!p->free_list && req_pool_grow(p) != 0) return NULL;
    request *r = p->free_list;
    p->free_list = r->qnext;
    uint32_t gen = r->gen;
    /* Only the header needs clearing: path[] entries are written before read. */
    memset(r, 0, offsetof(request, path));
    r->gen = gen;
    r->id = p->next_id++;
    p->live++;
    return r;
}

request *req_new_copy(req_pool *p, const request *r)
{
    request *n = req_new(p);
    if (!n) return NULL;
    n->op = r->op;
    n->object = r->object;
    n->size = r->size;
    n->issued = r->issued;
    n->client = r->client;
    n->region = r->region;
    n->user = r->user;
    n->flags = r->flags & REQ_F_MEASURED;
    return n;
}

void req_free(req_pool *p, request *r)
{
    r->gen++;
    r->st = NULL;
    r->qnext = p->free_list;
    p->free_list = r;
    p->live--;
}

int req_push(request *r, struct component *c, uint32_t state)
{
    if (r->depth >= REQ_PATH_MAX) return SIM_ERANGE;
    req_hop *h = &r->path[r->depth++];
    h->c = c;
    h->arrived = r->arrived;
    h->state = state;
    return 0;
}

bool req_pop(request *r, req_hop *hop)
{
    if (!r->depth) return false;
    *hop = r->path[--r->depth];
    return true;
}
