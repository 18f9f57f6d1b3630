/* models/faults.c - parsing the fault timeline and ordering its actions. */
#include "models/faults.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

const char *const fault_kind_names[FAULT_NKINDS] = { "crash", "slow", "partition", "flush", "degrade" };

/* ---- field tables ------------------------------------------------------ */

typedef struct entry_conf {
    sim_time_t at, until, recover, dur;
    const cJSON *act[FAULT_NKINDS];   /* in fault_kind order */
    double factor;
    bool refuse;
    char *label;
} entry_conf;

const conf_field faults_entry_fields[] = {
    { "at", CONF_DURATION, offsetof(entry_conf, at), NULL,
      "when the fault starts (simulated time from the start of the run)", 0, 0, NULL, NULL },
    { "until", CONF_DURATION, offsetof(entry_conf, until), "0",
      "when it ends (absolute time); absent: it lasts to the end of the run", 0, 0, NULL, NULL },
    { "recover", CONF_DURATION, offsetof(entry_conf, recover), "0",
      "crash only: when the crashed components come back (absolute time), same as until", 0, 0, NULL, NULL },
    { "for", CONF_DURATION, offsetof(entry_conf, dur), "0",
      "how long it lasts, instead of until", 0, 0, NULL, NULL },
    { "crash", CONF_JSON, offsetof(entry_conf, act) + FAULT_CRASH * sizeof(const cJSON *), "null",
      "components that stop answering: an id, a group, a list, or {group|region|kind, count}", 0, 0, NULL, NULL },
    { "slow", CONF_JSON, offsetof(entry_conf, act) + FAULT_SLOW * sizeof(const cJSON *), "null",
      "components whose service time is multiplied by factor, or {\"link\": [region, region]}", 0, 0, NULL, NULL },
    { "partition", CONF_JSON, offsetof(entry_conf, act) + FAULT_PARTITION * sizeof(const cJSON *), "null",
      "[region, region]: messages between them are lost; a single region: cut from all others", 0, 0, NULL, NULL },
    { "flush", CONF_JSON, offsetof(entry_conf, act) + FAULT_FLUSH * sizeof(const cJSON *), "null",
      "components whose cache is emptied at `at` (a cold restart)", 0, 0, NULL, NULL },
    { "degrade", CONF_JSON, offsetof(entry_conf, act) + FAULT_DEGRADE * sizeof(const cJSON *), "null",
      "{\"link\": [region, region], \"loss\": \"5%\", \"delay\": \"20ms\"}", 0, 0, NULL, NULL },
    { "factor", CONF_DOUBLE, offsetof(entry_conf, factor), "1",
      "slow only: the multiplier (3 = three times slower)", 0.001, 1e6, NULL, NULL },
    { "refuse", CONF_BOOL, offsetof(entry_conf, refuse), "false",
      "crash only: the host still answers and refuses new requests at once (a dead process) instead of "
      "losing them (a dead machine)", 0, 0, NULL, NULL },
    { "label", CONF_STRING, offsetof(entry_conf, label), "\"\"",
      "a name for reports (default: made from the action)", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct target_conf {
    char *group, *region, *kind;
    int64_t count;
} target_conf;

static const conf_field target_fields[] = {
    { "group", CONF_STRING, offsetof(target_conf, group), "\"\"",
      "members of this group (an entry expanded with count), or this id", 0, 0, NULL, NULL },
    { "region", CONF_STRING, offsetof(target_conf, region), "\"\"",
      "components in this region", 0, 0, NULL, NULL },
    { "kind", CONF_STRING, offsetof(target_conf, kind), "\"\"",
      "components of this kind", 0, 0, NULL, NULL },
    { "count", CONF_INT, offsetof(target_conf, count), "0",
      "only the first count matches, in scenario order (0: all)", 0, 1e9, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct degrade_conf {
    const cJSON *link;
    double loss;
    sim_time_t delay;
} degrade_conf;

static const conf_field degrade_fields[] = {
    { "link", CONF_JSON, offsetof(degrade_conf, link), NULL,
      "[region, region]: the link to degrade (both directions)", 0, 0, NULL, NULL },
    { "loss", CONF_PERCENT, offsetof(degrade_conf, loss), "0",
      "fraction of messages lost on the link", 0, 0, NULL, NULL },
    { "delay", CONF_DURATION, offsetof(degrade_conf, delay), "0",
      "one-way delay added to every message on the link", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* ---- helpers ------------------------------------------------------------- */

typedef struct ctx {
    const conf_doc *doc;
    const faults_world *wd;
    conf_errors *errs;
    bool oom;
} ctx;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* A growable list of component indices. */
typedef struct idxlist {
    size_t *v;
    size_t n, cap;
} idxlist;

static int idx_add(idxlist *l, size_t i)
{
    for (size_t k = 0; k < l->n; k++)
        if (l->v[k] == i) return 0; /* a union: named twice is once */
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        size_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return SIM_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = i;
    return 0;
}

static int region_index(const faults_world *wd, const char *name)
{
    for (size_t i = 0; i < wd->nregions; i++)
        if (!strcmp(wd->regions[i], name)) return (int)i;
    return -1;
}

static const char *cap_word(unsigned need)
{
    if (need & FAULTS_CAN_FLUSH) return "has no cache to flush";
    if (need & FAULTS_CAN_SLOW) return "has no service time to slow down";
    (void)need;
    return "cannot crash (clients are the users, not part of the system)";
}

static void unknown_name(ctx *x, const cJSON *at, const char *jpath, const char *name)
{
    const faults_world *wd = x->wd;
    const char **cand = malloc((2 * wd->ncomps + 1) * sizeof *cand);
    const char *sug = NULL;
    if (cand) {
        size_t k = 0;
        for (size_t i = 0; i < wd->ncomps; i++) {
            cand[k++] = wd->comps[i].id;
            if (wd->comps[i].group) cand[k++] = wd->comps[i].group;
        }
        sug = conf_did_you_mean(name, cand, k);
    }
    conf_error_at(x->errs, x->doc, at, jpath, "no component or group \"%s\"%s%s%s", name,
                  sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
    free(cand);
}

/* A name: an exact id, else every member of a group. Each must be able to
 * undergo `need`. Returns 0, SIM_EPARSE or SIM_ENOMEM. */
static int resolve_name(ctx *x, const cJSON *at, const char *jpath, const char *name, unsigned need, idxlist *out)
{
    const faults_world *wd = x->wd;
    size_t found = 0;
    for (size_t i = 0; i < wd->ncomps && !found; i++)
        if (!strcmp(wd->comps[i].id, name)) {
            found = 1;
            if ((wd->comps[i].can & need) != need) {
                conf_error_at(x->errs, x->doc, at, jpath, "\"%s\" (a %s) %s", name, wd->comps[i].kind, cap_word(need));
                return SIM_EPARSE;
            }
            if (idx_add(out, i)) return SIM_ENOMEM;
        }
    if (found) return 0;
    for (size_t i = 0; i < wd->ncomps; i++) {
        const faults_comp *c = &wd->comps[i];
        if (!c->group || strcmp(c->group, name)) continue;
        found++;
        if ((c->can & need) != need) {
            conf_error_at(x->errs, x->doc, at, jpath, "\"%s\" (a %s in group \"%s\") %s", c->id, c->kind, name,
                          cap_word(need));
            return SIM_EPARSE;
        }
        if (idx_add(out, i)) return SIM_ENOMEM;
    }
    if (found) return 0;
    unknown_name(x, at, jpath, name);
    return SIM_EPARSE;
}

/* {group, region, kind, count}: the matches that can undergo `need`, in
 * scenario order, the first `count` of them. */
static int resolve_filter(ctx *x, const cJSON *obj, const char *jpath, unsigned need, idxlist *out,
                          char *desc, size_t dlen)
{
    target_conf t;
    memset(&t, 0, sizeof t);
    int rc = conf_read_fields(x->doc, obj, jpath, target_fields, NULL, &t, x->errs);
    if (rc) goto done;
    const faults_world *wd = x->wd;
    char jp[512];
    if (!*t.group && !*t.region && !*t.kind) {
        conf_error_at(x->errs, x->doc, obj, jpath,
                      "expected at least one of \"group\", \"region\", \"kind\" to choose the components");
        rc = SIM_EPARSE;
        goto done;
    }
    int region = -1;
    if (*t.region && (region = region_index(wd, t.region)) < 0) {
        const char *sug = conf_did_you_mean(t.region, wd->regions, wd->nregions);
        snprintf(jp, sizeof jp, "%s.region", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(obj, "region"), jp, "unknown region \"%s\"%s%s%s",
                      t.region, sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
        rc = SIM_EPARSE;
        goto done;
    }
    bool group_known = !*t.group, kind_known = !*t.kind;
    size_t matched = 0;
    for (size_t i = 0; i < wd->ncomps; i++) {
        const faults_comp *c = &wd->comps[i];
        bool in_group = !*t.group || !strcmp(c->id, t.group) || (c->group && !strcmp(c->group, t.group));
        bool of_kind = !*t.kind || (c->kind && !strcmp(c->kind, t.kind));
        if (in_group && *t.group) group_known = true;
        if (of_kind && *t.kind) kind_known = true;
        if (!in_group || !of_kind || (region >= 0 && c->region != region)) continue;
        if ((c->can & need) != need) continue;
        if (t.count > 0 && matched == (size_t)t.count) break;
        matched++;
        if (idx_add(out, i)) {
            rc = SIM_ENOMEM;
            goto done;
        }
    }
    if (!group_known) {
        snprintf(jp, sizeof jp, "%s.group", jpath);
        unknown_name(x, cJSON_GetObjectItemCaseSensitive(obj, "group"), jp, t.group);
        rc = SIM_EPARSE;
    } else if (!kind_known) {
        snprintf(jp, sizeof jp, "%s.kind", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(obj, "kind"), jp,
                      "no component of kind \"%s\" in the scenario", t.kind);
        rc = SIM_EPARSE;
    } else if (matched == 0) {
        conf_error_at(x->errs, x->doc, obj, jpath, "no component matches (that %s)",
                      need & FAULTS_CAN_FLUSH ? "has a cache" : need & FAULTS_CAN_SLOW ? "has a service time" : "can crash");
        rc = SIM_EPARSE;
    } else if (t.count > 0 && matched < (size_t)t.count) {
        char cp[560];
        snprintf(cp, sizeof cp, "%s.count", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(obj, "count"), cp,
                      "count asks for %lld components, but only %zu match", (long long)t.count, matched);
        rc = SIM_EPARSE;
    }
    if (!rc) {
        size_t k = 0;
        desc[0] = 0;
        if (t.count > 0) k += (size_t)snprintf(desc + k, dlen - k, "%lld of ", (long long)t.count);
        if (k < dlen && *t.group) k += (size_t)snprintf(desc + k, dlen - k, "group %s ", t.group);
        if (k < dlen && *t.kind) k += (size_t)snprintf(desc + k, dlen - k, "kind %s ", t.kind);
        if (k < dlen && *t.region) k += (size_t)snprintf(desc + k, dlen - k, "region %s ", t.region);
        if (k > 0 && k < dlen) desc[k - 1] = 0;
    }
done:
    conf_free_fields(target_fields, &t);
    return rc;
}

/* Targets of crash / slow / flush: "id", ["id", ...], or a filter object. */
static int resolve_targets(ctx *x, const cJSON *v, const char *jpath, unsigned need, idxlist *out, char *desc,
                           size_t dlen)
{
    char buf[128];
    if (cJSON_IsString(v)) {
        snprintf(desc, dlen, "%s", v->valuestring);
        return resolve_name(x, v, jpath, v->valuestring, need, out);
    }
    if (cJSON_IsArray(v)) {
        int rc = 0, i = 0;
        const cJSON *it;
        size_t k = 0;
        desc[0] = 0;
        if (!v->child) {
            conf_error_at(x->errs, x->doc, v, jpath, "expected at least one component id, found []");
            return SIM_EPARSE;
        }
        cJSON_ArrayForEach(it, v) {
            char jp[512];
            snprintf(jp, sizeof jp, "%s[%d]", jpath, i++);
            if (!cJSON_IsString(it)) {
                conf_error_at(x->errs, x->doc, it, jp, "expected a component id, found %s", conf_found(it, buf, sizeof buf));
                rc = SIM_EPARSE;
                continue;
            }
            int r = resolve_name(x, it, jp, it->valuestring, need, out);
            if (r == SIM_ENOMEM) return r;
            if (r) rc = r;
            if (k < dlen) k += (size_t)snprintf(desc + k, dlen - k, "%s%s", k ? "," : "", it->valuestring);
        }
        return rc;
    }
    if (cJSON_IsObject(v)) return resolve_filter(x, v, jpath, need, out, desc, dlen);
    conf_error_at(x->errs, x->doc, v, jpath,
                  "expected a component id, a list of ids, or {\"group\"|\"region\"|\"kind\": ..., \"count\": N}, found %s",
                  conf_found(v, buf, sizeof buf));
    return SIM_EPARSE;
}

/* [region, region] (distinct unless allow_same), or with allow_one a single
 * region name (link[1] = -1). */
static int resolve_link(ctx *x, const cJSON *v, const char *jpath, bool allow_one, bool allow_same, int link[2])
{
    char buf[128];
    const faults_world *wd = x->wd;
    link[0] = link[1] = -1;
    const cJSON *names[2] = { NULL, NULL };
    int n = 0;
    if (allow_one && cJSON_IsString(v)) {
        names[0] = v;
        n = 1;
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2) {
        names[0] = v->child;
        names[1] = v->child->next;
        n = 2;
    } else {
        conf_error_at(x->errs, x->doc, v, jpath, "expected %s[\"region-a\", \"region-b\"], found %s",
                      allow_one ? "a region name or " : "", conf_found(v, buf, sizeof buf));
        return SIM_EPARSE;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char jp[512];
        if (n == 2) snprintf(jp, sizeof jp, "%s[%d]", jpath, i);
        else snprintf(jp, sizeof jp, "%s", jpath);
        if (!cJSON_IsString(names[i])) {
            conf_error_at(x->errs, x->doc, names[i], jp, "expected a region name, found %s",
                          conf_found(names[i], buf, sizeof buf));
            rc = SIM_EPARSE;
            continue;
        }
        link[i] = region_index(wd, names[i]->valuestring);
        if (link[i] < 0) {
            const char *sug = conf_did_you_mean(names[i]->valuestring, wd->regions, wd->nregions);
            conf_error_at(x->errs, x->doc, names[i], jp, "unknown region \"%s\"%s%s%s", names[i]->valuestring,
                          sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
            rc = SIM_EPARSE;
        }
    }
    if (!rc && n == 1 && wd->nregions < 2) {
        conf_error_at(x->errs, x->doc, v, jpath, "cannot cut \"%s\" from the other regions: there are none",
                      v->valuestring);
        rc = SIM_EPARSE;
    }
    if (!rc && n == 2 && link[0] == link[1] && !allow_same) {
        conf_error_at(x->errs, x->doc, v, jpath, "a partition needs two different regions, found \"%s\" twice",
                      wd->regions[link[0]]);
        rc = SIM_EPARSE;
    }
    return rc;
}

static bool has_key(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

/* ---- one entry ------------------------------------------------------------ */

static int parse_entry(ctx *x, const cJSON *e, const char *jpath, fault *f)
{
    char buf[128];
    memset(f, 0, sizeof *f);
    f->link[0] = f->link[1] = -1;
    f->factor = 1;
    if (!cJSON_IsObject(e)) {
        conf_error_at(x->errs, x->doc, e, jpath,
                      "expected a fault object like {\"at\": \"60s\", \"crash\": \"origin-1\"}, found %s",
                      conf_found(e, buf, sizeof buf));
        return SIM_EPARSE;
    }
    entry_conf ec;
    memset(&ec, 0, sizeof ec);
    int rc = conf_read_fields(x->doc, e, jpath, faults_entry_fields, NULL, &ec, x->errs);
    if (rc) goto out;
    char jp[512];

    /* exactly one action */
    int kind = -1, nact = 0;
    for (int k = 0; k < FAULT_NKINDS; k++)
        if (ec.act[k]) {
            nact++;
            if (kind < 0) kind = k;
        }
    if (nact != 1) {
        conf_error_at(x->errs, x->doc, e, jpath, "expected exactly one action (crash, slow, partition, flush or degrade), found %d",
                      nact);
        rc = SIM_EPARSE;
        goto out;
    }
    f->kind = (fault_kind)kind;
    const cJSON *act = ec.act[kind];
    snprintf(jp, sizeof jp, "%s.%s", jpath, fault_kind_names[kind]);

    /* times */
    f->at = ec.at;
    bool has_until = has_key(e, "until"), has_rec = has_key(e, "recover"), has_for = has_key(e, "for");
    if (has_until + has_rec + has_for > 1) {
        conf_error_at(x->errs, x->doc, e, jpath, "give only one of \"until\", \"recover\" and \"for\"");
        rc = SIM_EPARSE;
        goto out;
    }
    const char *endkey = has_until ? "until" : has_rec ? "recover" : has_for ? "for" : NULL;
    if (has_rec && f->kind != FAULT_CRASH) {
        snprintf(jp, sizeof jp, "%s.recover", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, "recover"), jp,
                      "\"recover\" ends a crash; a %s ends with \"until\" or \"for\"", fault_kind_names[kind]);
        rc = SIM_EPARSE;
        goto out;
    }
    if (endkey && f->kind == FAULT_FLUSH) {
        snprintf(jp, sizeof jp, "%s.%s", jpath, endkey);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, endkey), jp,
                      "a flush is instant (the cache refills by itself): remove \"%s\"", endkey);
        rc = SIM_EPARSE;
        goto out;
    }
    if (f->kind == FAULT_FLUSH) f->until = f->at;
    else if (!endkey) f->until = FAULT_FOREVER;
    else {
        f->until = has_for ? (ec.dur > SIM_TIME_MAX - f->at ? SIM_TIME_MAX : f->at + ec.dur) : has_rec ? ec.recover : ec.until;
        if (f->until <= f->at) {
            char a[32], b[32];
            snprintf(jp, sizeof jp, "%s.%s", jpath, endkey);
            if (has_for)
                conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, endkey), jp,
                              "expected a duration above 0");
            else
                conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, endkey), jp,
                              "expected a time after \"at\" (%s; \"%s\" is absolute, not a duration), found %s",
                              conf_format_duration(f->at, a, sizeof a), endkey, conf_format_duration(f->until, b, sizeof b));
            rc = SIM_EPARSE;
            goto out;
        }
    }
    if (has_key(e, "refuse") && f->kind != FAULT_CRASH) {
        snprintf(jp, sizeof jp, "%s.refuse", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, "refuse"), jp,
                      "\"refuse\" belongs to a crash, not a %s", fault_kind_names[kind]);
        rc = SIM_EPARSE;
        goto out;
    }
    f->refuse = ec.refuse;
    if (has_key(e, "factor") && f->kind != FAULT_SLOW) {
        snprintf(jp, sizeof jp, "%s.factor", jpath);
        conf_error_at(x->errs, x->doc, cJSON_GetObjectItemCaseSensitive(e, "factor"), jp,
                      "\"factor\" belongs to a slow fault, not a %s", fault_kind_names[kind]);
        rc = SIM_EPARSE;
        goto out;
    }

    /* the action */
    char desc[256] = "";
    snprintf(jp, sizeof jp, "%s.%s", jpath, fault_kind_names[kind]);
    idxlist tl = { NULL, 0, 0 };
    switch (f->kind) {
    case FAULT_CRASH:
        rc = resolve_targets(x, act, jp, FAULTS_CAN_CRASH, &tl, desc, sizeof desc);
        break;
    case FAULT_FLUSH:
        rc = resolve_targets(x, act, jp, FAULTS_CAN_FLUSH, &tl, desc, sizeof desc);
        break;
    case FAULT_SLOW:
        if (!has_key(e, "factor")) {
            conf_error_at(x->errs, x->doc, e, jpath, "missing required key \"factor\" (expected a number like 3: "
                          "three times slower)");
            rc = SIM_EPARSE;
            break;
        }
        f->factor = ec.factor;
        if (cJSON_IsObject(act) && has_key(act, "link")) {
            char lp[560];
            const cJSON *l = cJSON_GetObjectItemCaseSensitive(act, "link");
            snprintf(lp, sizeof lp, "%s.link", jp);
            if (act->child->next || act->child != l) {
                conf_error_at(x->errs, x->doc, act, jp, "a slow link takes only \"link\" (the factor goes beside \"slow\")");
                rc = SIM_EPARSE;
                break;
            }
            rc = resolve_link(x, l, lp, false, true, f->link);
            if (!rc) snprintf(desc, sizeof desc, "link %s-%s", x->wd->regions[f->link[0]], x->wd->regions[f->link[1]]);
        } else {
            rc = resolve_targets(x, act, jp, FAULTS_CAN_SLOW, &tl, desc, sizeof desc);
        }
        break;
    case FAULT_PARTITION:
        rc = resolve_link(x, act, jp, true, false, f->link);
        if (!rc && f->link[1] >= 0)
            snprintf(desc, sizeof desc, "%s|%s", x->wd->regions[f->link[0]], x->wd->regions[f->link[1]]);
        else if (!rc)
            snprintf(desc, sizeof desc, "%s|rest", x->wd->regions[f->link[0]]);
        break;
    case FAULT_DEGRADE: {
        if (!cJSON_IsObject(act)) {
            conf_error_at(x->errs, x->doc, act, jp, "expected {\"link\": [region, region], \"loss\": \"5%%\"}, found %s",
                          conf_found(act, buf, sizeof buf));
            rc = SIM_EPARSE;
            break;
        }
        degrade_conf dc;
        memset(&dc, 0, sizeof dc);
        rc = conf_read_fields(x->doc, act, jp, degrade_fields, NULL, &dc, x->errs);
        if (!rc) {
            char lp[560];
            snprintf(lp, sizeof lp, "%s.link", jp);
            rc = resolve_link(x, dc.link, lp, false, true, f->link);
        }
        if (!rc && dc.loss == 0 && dc.delay == 0) {
            conf_error_at(x->errs, x->doc, act, jp, "a degrade that changes nothing: give \"loss\" above 0%% or a \"delay\"");
            rc = SIM_EPARSE;
        }
        if (!rc) {
            f->loss = dc.loss;
            f->delay = dc.delay;
            char d[32];
            snprintf(desc, sizeof desc, "link %s-%s loss %g%% delay %s", x->wd->regions[f->link[0]],
                     x->wd->regions[f->link[1]], dc.loss * 100, conf_format_duration(dc.delay, d, sizeof d));
        }
        conf_free_fields(degrade_fields, &dc);
        break;
    }
    default:
        break;
    }
    if (rc) {
        free(tl.v);
        goto out;
    }
    f->targets = tl.v;
    f->ntargets = tl.n;
    if (ec.label && *ec.label) {
        f->label = xstrdup(ec.label);
    } else {
        char lab[400];
        if (f->kind == FAULT_SLOW) snprintf(lab, sizeof lab, "slow %s x%g", desc, f->factor);
        else snprintf(lab, sizeof lab, "%s %s", fault_kind_names[kind], desc);
        f->label = xstrdup(lab);
    }
    f->jpath = xstrdup(jpath);
    if (!f->label || !f->jpath) rc = SIM_ENOMEM;
out:
    conf_free_fields(faults_entry_fields, &ec);
    return rc;
}

static void fault_release(fault *f)
{
    free(f->targets);
    free(f->label);
    free(f->jpath);
    memset(f, 0, sizeof *f);
}

int faults_parse(faults *fs, const conf_doc *doc, const cJSON *arr, const faults_world *wd, conf_errors *errs)
{
    fs->v = NULL;
    fs->n = 0;
    if (!arr) return 0;
    char buf[128];
    ctx x = { doc, wd, errs, false };
    if (!cJSON_IsArray(arr)) {
        conf_error_at(errs, doc, arr, "faults", "expected an array of fault entries, found %s", conf_found(arr, buf, sizeof buf));
        return SIM_EPARSE;
    }
    int n = cJSON_GetArraySize(arr);
    if (n == 0) return 0;
    fs->v = calloc((size_t)n, sizeof *fs->v);
    if (!fs->v) return SIM_ENOMEM;
    int bad = 0, i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        char jp[64];
        snprintf(jp, sizeof jp, "faults[%d]", i++);
        fault *f = &fs->v[fs->n];
        int rc = parse_entry(&x, e, jp, f);
        if (rc == SIM_ENOMEM) {
            fault_release(f);
            return SIM_ENOMEM;
        }
        if (rc) {
            fault_release(f);
            bad = 1;
            continue;
        }
        fs->n++;
    }
    return bad ? SIM_EPARSE : 0;
}

void faults_free(faults *fs)
{
    for (size_t i = 0; i < fs->n; i++) fault_release(&fs->v[i]);
    free(fs->v);
    fs->v = NULL;
    fs->n = 0;
}

static int action_cmp(const void *pa, const void *pb)
{
    const fault_action *a = pa, *b = pb;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    if (a->end != b->end) return a->end ? -1 : 1; /* ends first */
    return a->fault < b->fault ? -1 : a->fault > b->fault;
}

int faults_actions(const faults *fs, fault_action **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (fs->n == 0) return 0;
    fault_action *v = malloc(2 * fs->n * sizeof *v);
    if (!v) return SIM_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const fault *f = &fs->v[i];
        v[k++] = (fault_action){ f->at, (uint32_t)i, false };
        if (f->until != FAULT_FOREVER && f->until > f->at) v[k++] = (fault_action){ f->until, (uint32_t)i, true };
    }
    /* (t, end-first, file order) is a total order, so qsort's instability
     * cannot reorder equal keys: there are none. */
    qsort(v, k, sizeof *v, action_cmp);
    *out = v;
    *n = k;
    return 0;
}
