/* app/scenario.c - a scenario file: top-level sections, defaults, count
 * expansion, ids. The --set overrides are in app/scenario_set.c.
 *
 * The parsed tree stays the single source of truth: defaults are merged into
 * the component entries in place, and every expanded member gets its own copy
 * of its entry, registered with the document's position map so that a value a
 * member inherited still points at the line where it was written (in the
 * entry, in `defaults`, or on the command line). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/scenario.h"
#include "app/scenario_set.h"
#include "app/sha256.h"
#include "sim/errors.h"

#define SCN_MAX_COUNT 100000

const char *const scenario_component_keys[] = { "id", "kind", "region", "count", NULL };

static const char *const top_keys[] = {
    "name", "description", "seed", "duration", "warmup", "regions", "network",
    "defaults", "components", "workload", "faults", "report", NULL,
};

static const char *const dist_families[] = {
    "const", "uniform", "exp", "normal", "lognormal", "gamma", "weibull", "pareto",
    "bounded_pareto", "empirical", NULL,
};

static size_t count_of(const char *const *v)
{
    size_t n = 0;
    while (v[n]) n++;
    return n;
}

int scenario_is_top_key(const char *key)
{
    for (size_t i = 0; top_keys[i]; i++)
        if (!strcmp(top_keys[i], key)) return 1;
    return 0;
}

const char *scenario_suggest_top_key(const char *key)
{
    return conf_did_you_mean(key, top_keys, count_of(top_keys));
}

/* Ids, group names and region names become parts of other ids, stream names,
 * summary keys and --set paths, so they are kept to a plain alphabet. */
int scenario_valid_name(const char *s)
{
    if (!s || !*s) return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') return 0;
    return strlen(s) <= 128;
}

/* ---- small readers ----------------------------------------------------- */

static void found(const cJSON *n, char *b, size_t len) { conf_found(n, b, len); }

/* A non-negative integer below 2^64, read from the file's digits when they
 * are there (a double holds only 53 bits). */
static int read_u64(const conf_doc *doc, const cJSON *n, uint64_t *out)
{
    if (cJSON_IsString(n)) {
        const char *p = n->valuestring;
        if (!*p) return SIM_EPARSE;
        uint64_t v = 0;
        for (; *p; p++) {
            if (!isdigit((unsigned char)*p)) return SIM_EPARSE;
            unsigned d = (unsigned)(*p - '0');
            if (v > (UINT64_MAX - d) / 10) return SIM_ERANGE;
            v = v * 10 + d;
        }
        *out = v;
        return 0;
    }
    if (!cJSON_IsNumber(n)) return SIM_EPARSE;
    double d = n->valuedouble;
    /* Past 2^53 a double is not exact: take the digits from the file. */
    const char *src = conf_doc_source(doc, n);
    if (isfinite(d) && d >= 9007199254740992.0 && src && isdigit((unsigned char)*src)) {
        uint64_t v = 0;
        const char *q = src;
        for (; isdigit((unsigned char)*q); q++) {
            unsigned dg = (unsigned)(*q - '0');
            if (v > (UINT64_MAX - dg) / 10) return SIM_ERANGE;
            v = v * 10 + dg;
        }
        if (*q != '.' && *q != 'e' && *q != 'E') {
            *out = v;
            return 0;
        }
    }
    if (!isfinite(d) || d != floor(d)) return SIM_EPARSE;
    if (d < 0 || d >= 18446744073709551616.0) return SIM_ERANGE;
    *out = d >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)d;
    return 0;
}

static int read_duration(const conf_doc *doc, const cJSON *n, const char *jpath, sim_time_t *out,
                         conf_errors *errs)
{
    char b[96];
    if (cJSON_IsNumber(n) && n->valuedouble == 0) {
        *out = 0;
        return 0;
    }
    if (cJSON_IsString(n)) {
        int r = conf_parse_duration(n->valuestring, out);
        if (!r) return 0;
        found(n, b, sizeof b);
        if (r == SIM_ERANGE)
            conf_error_at(errs, doc, n, jpath, "duration out of range (0 to 292 years), found %s", b);
        else
            conf_error_at(errs, doc, n, jpath, "expected a duration like \"50ms\" or \"5min\" "
                          "(units ns, us, ms, s, min, h), found %s", b);
        return SIM_EPARSE;
    }
    found(n, b, sizeof b);
    if (cJSON_IsNumber(n))
        conf_error_at(errs, doc, n, jpath, "expected a duration with a unit like \"%gs\", found the bare number %s",
                      n->valuedouble, b);
    else
        conf_error_at(errs, doc, n, jpath, "expected a duration like \"50ms\" or \"5min\", found %s", b);
    return SIM_EPARSE;
}

static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

/* ---- defaults ---------------------------------------------------------- */

/* A distribution is a value, not a record: {"exp": "1ms"} under a default of
 * {"lognormal": {...}} must replace it, never merge into a two-family object. */
static int is_dist_object(const cJSON *n)
{
    if (!cJSON_IsObject(n) || !n->child || n->child->next) return 0;
    for (size_t i = 0; dist_families[i]; i++)
        if (!strcmp(n->child->string, dist_families[i])) return 1;
    return 0;
}

/* Adds to `dst` a copy of every member of `def` that dst lacks, recursively
 * for objects present in both; dst's own values win. */
static int merge_defaults(conf_doc *doc, cJSON *dst, const cJSON *def)
{
    for (const cJSON *d = def->child; d; d = d->next) {
        cJSON *have = cJSON_GetObjectItemCaseSensitive(dst, d->string);
        if (have) {
            if (cJSON_IsObject(have) && cJSON_IsObject(d) && !is_dist_object(have) && !is_dist_object(d)) {
                int r = merge_defaults(doc, have, d);
                if (r) return r;
            }
            continue;
        }
        cJSON *copy = cJSON_Duplicate(d, 1);
        if (!copy) return SIM_ENOMEM;
        if (!cJSON_AddItemToObject(dst, d->string, copy)) {
            cJSON_Delete(copy);
            return SIM_ENOMEM;
        }
        int r = conf_doc_alias(doc, copy, d);
        if (r) return r;
    }
    return 0;
}

/* ---- expansion --------------------------------------------------------- */

static int push_comp(scenario *s, size_t *cap, scn_component c)
{
    if (s->ncomps == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        scn_component *v = realloc(s->comps, nc * sizeof *v);
        if (!v) return SIM_ENOMEM;
        s->comps = v;
        *cap = nc;
    }
    s->comps[s->ncomps++] = c;
    return 0;
}

/* Replaces (or adds) obj[key] with a string, located where `at` was written. */
static int set_string_member(conf_doc *doc, cJSON *obj, const char *key, const char *value, const cJSON *at)
{
    cJSON *nv = cJSON_CreateString(value);
    if (!nv) return SIM_ENOMEM;
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (old) conf_doc_forget(doc, old);
    int rc = conf_json_set_member(obj, key, old, nv);
    if (rc) {
        cJSON_Delete(nv);
        return rc;
    }
    return conf_doc_alias(doc, nv, at);
}

/* One member: a copy of the (merged) entry with its own id and region. */
static int add_member(scenario *s, size_t *cap, const cJSON *entry, const char *jpath, const char *id,
                      const char *group, const char *kind, const char *region, const cJSON *region_node,
                      unsigned replica)
{
    cJSON *copy = cJSON_Duplicate(entry, 1);
    if (!copy) return SIM_ENOMEM;
    scn_component c = { 0 };
    c.node = copy;
    int r = conf_doc_alias(&s->doc, copy, entry);
    cJSON *count = cJSON_GetObjectItemCaseSensitive(copy, "count");
    if (count) {
        conf_doc_forget(&s->doc, count);
        cJSON_DeleteItemFromObjectCaseSensitive(copy, "count");
    }
    const cJSON *id_node = cJSON_GetObjectItemCaseSensitive(entry, "id");
    if (!r && id_node) r = set_string_member(&s->doc, copy, "id", id, id_node);
    if (!r && region_node) r = set_string_member(&s->doc, copy, "region", region, region_node);
    c.id = xstrdup(id);
    c.group = xstrdup(group);
    c.kind = xstrdup(kind);
    c.region = xstrdup(region);
    c.jpath = xstrdup(jpath);
    c.replica = replica;
    if (!r && (!c.id || !c.group || !c.kind || !c.region || !c.jpath)) r = SIM_ENOMEM;
    if (!r) r = push_comp(s, cap, c);
    if (r) {
        free(c.id), free(c.group), free(c.kind), free(c.region), free(c.jpath);
        cJSON_Delete(copy);
    }
    return r;
}

/* Checks one entry of `components` and expands it. Returns SIM_ENOMEM only;
 * input errors are recorded and the entry skipped. */
static int expand_entry(scenario *s, size_t *cap, cJSON *entry, size_t index, conf_errors *errs, int *bad)
{
    char jpath[48], sub[96], b[96];
    snprintf(jpath, sizeof jpath, "components[%zu]", index);
    conf_doc *doc = &s->doc;
    if (!cJSON_IsObject(entry)) {
        found(entry, b, sizeof b);
        conf_error_at(errs, doc, entry, jpath, "expected a component object {\"id\": ..., \"kind\": ..., "
                      "\"region\": ...}, found %s", b);
        *bad = 1;
        return 0;
    }
    int ok = 1;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(entry, "kind");
    const cJSON *region = cJSON_GetObjectItemCaseSensitive(entry, "region");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(entry, "count");
    snprintf(sub, sizeof sub, "%s.id", jpath);
    if (!id) {
        conf_error_at(errs, doc, entry, jpath, "missing \"id\" (every component needs a unique id)");
        ok = 0;
    } else if (!cJSON_IsString(id) || !scenario_valid_name(id->valuestring)) {
        found(id, b, sizeof b);
        conf_error_at(errs, doc, id, sub, "expected an id made of letters, digits, '_' and '-' "
                      "(at most 128), found %s", b);
        ok = 0;
    }
    snprintf(sub, sizeof sub, "%s.kind", jpath);
    if (!kind) {
        conf_error_at(errs, doc, entry, jpath, "missing \"kind\" (what the component is, e.g. \"cdn_edge\")");
        ok = 0;
    } else if (!cJSON_IsString(kind) || !kind->valuestring[0]) {
        found(kind, b, sizeof b);
        conf_error_at(errs, doc, kind, sub, "expected a kind name as a string, found %s", b);
        ok = 0;
    }
    long n = 1;
    snprintf(sub, sizeof sub, "%s.count", jpath);
    if (count) {
        if (!cJSON_IsNumber(count) || count->valuedouble != floor(count->valuedouble) ||
            !(count->valuedouble >= 1 && count->valuedouble <= SCN_MAX_COUNT)) {
            found(count, b, sizeof b);
            conf_error_at(errs, doc, count, sub, "expected a whole number of copies from 1 to %d, found %s",
                          SCN_MAX_COUNT, b);
            ok = 0;
        } else {
            n = (long)count->valuedouble;
        }
    }
    snprintf(sub, sizeof sub, "%s.region", jpath);
    size_t nregions = 0;
    if (!region) {
        conf_error_at(errs, doc, entry, jpath, "missing \"region\" (where the component runs)");
        ok = 0;
    } else if (cJSON_IsString(region)) {
        if (!scenario_valid_name(region->valuestring)) {
            found(region, b, sizeof b);
            conf_error_at(errs, doc, region, sub, "expected a region name made of letters, digits, '_' "
                          "and '-', found %s", b);
            ok = 0;
        }
        nregions = 1;
    } else if (cJSON_IsArray(region) && region->child) {
        size_t k = 0;
        for (const cJSON *r = region->child; r; r = r->next, k++) {
            char rp[112];
            snprintf(rp, sizeof rp, "%s[%zu]", sub, k);
            if (!cJSON_IsString(r) || !scenario_valid_name(r->valuestring)) {
                found(r, b, sizeof b);
                conf_error_at(errs, doc, r, rp, "expected a region name, found %s", b);
                ok = 0;
                continue;
            }
            for (const cJSON *q = region->child; q != r; q = q->next)
                if (cJSON_IsString(q) && !strcmp(q->valuestring, r->valuestring)) {
                    conf_error_at(errs, doc, r, rp, "region \"%s\" is listed twice", r->valuestring);
                    ok = 0;
                }
        }
        nregions = k;
        if (ok && (size_t)n * nregions > SCN_MAX_COUNT) {
            conf_error_at(errs, doc, region, sub, "%ld per region in %zu regions is more than %d components",
                          n, nregions, SCN_MAX_COUNT);
            ok = 0;
        }
    } else {
        found(region, b, sizeof b);
        conf_error_at(errs, doc, region, sub, "expected a region name, or a non-empty list of region names "
                      "(one group of `count` per region), found %s", b);
        ok = 0;
    }
    if (!ok) {
        *bad = 1;
        return 0;
    }

    /* Defaults of this kind go under the entry: the entry's keys win. */
    if (s->defaults) {
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(s->defaults, kind->valuestring);
        if (cJSON_IsObject(def)) {
            int r = merge_defaults(doc, entry, def);
            if (r) return r;
        }
    }

    const char *gid = id->valuestring;
    char mid[300];
    if (cJSON_IsString(region)) {
        if (!count) return add_member(s, cap, entry, jpath, gid, gid, kind->valuestring, region->valuestring,
                                      NULL, 0);
        for (long k = 1; k <= n; k++) {
            snprintf(mid, sizeof mid, "%s-%ld", gid, k);
            int r = add_member(s, cap, entry, jpath, mid, gid, kind->valuestring, region->valuestring, NULL,
                               (unsigned)k);
            if (r) return r;
        }
        return 0;
    }
    for (const cJSON *rg = region->child; rg; rg = rg->next) {
        for (long k = 1; k <= n; k++) {
            snprintf(mid, sizeof mid, "%s-%s-%ld", gid, rg->valuestring, k);
            int r = add_member(s, cap, entry, jpath, mid, gid, kind->valuestring, rg->valuestring, rg,
                               (unsigned)k);
            if (r) return r;
        }
    }
    return 0;
}

/* ---- ids --------------------------------------------------------------- */

typedef struct {
    const char *name;
    size_t comp;   /* index of the first component with it */
    int is_group;  /* a count entry's own id */
} name_ref;

static int cmp_name(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->comp < y->comp ? -1 : x->comp > y->comp;
}

/* Ids and group names share one namespace, so that a reference names one
 * thing. Reports each clash at the later component's id. */
static void check_unique(scenario *s, conf_errors *errs, int *bad)
{
    size_t n = 0;
    name_ref *v = malloc((2 * s->ncomps + 1) * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < s->ncomps; i++) {
        v[n++] = (name_ref){ s->comps[i].id, i, 0 };
        /* one group entry per count entry (at its first member) */
        if (strcmp(s->comps[i].group, s->comps[i].id) &&
            (i == 0 || strcmp(s->comps[i - 1].group, s->comps[i].group) ||
             strcmp(s->comps[i - 1].jpath, s->comps[i].jpath)))
            v[n++] = (name_ref){ s->comps[i].group, i, 1 };
    }
    qsort(v, n, sizeof *v, cmp_name);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1].name, v[i].name)) continue;
        const scn_component *a = &s->comps[v[i - 1].comp], *c = &s->comps[v[i].comp];
        const cJSON *aid = cJSON_GetObjectItemCaseSensitive(a->node, "id");
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c->node, "id");
        int l, col;
        conf_doc_pos(&s->doc, aid, &l, &col);
        char where[64] = "";
        if (l) snprintf(where, sizeof where, " at %d:%d", l, col);
        char jp[160];
        snprintf(jp, sizeof jp, "%s.id", c->jpath);
        const char *what = v[i].is_group || v[i - 1].is_group ? "name" : "id";
        if (!strcmp(a->jpath, c->jpath))
            conf_error_at(errs, &s->doc, cid, jp, "duplicate %s \"%s\": the entry's count makes it twice",
                          what, v[i].name);
        else
            conf_error_at(errs, &s->doc, cid, jp, "duplicate %s \"%s\" (also %s%s, by %s%s)", what, v[i].name,
                          v[i - 1].is_group ? "the group of " : "", a->jpath,
                          v[i - 1].is_group || strcmp(a->group, a->id) ? "its count" : "its id", where);
        *bad = 1;
    }
    free(v);
}

/* ---- lookups ------------------------------------------------------------ */

/* Ids sorted, and groups sorted with the range of their members (the
 * members of one entry are contiguous in comps), so that resolving every
 * reference of a large scenario is n log n rather than n^2. */
typedef struct {
    const char *name;
    size_t first, n;
} scn_key;

typedef struct {
    scn_key *ids, *groups;
    size_t nids, ngroups;
} scn_index;

static int cmp_key(const void *a, const void *b)
{
    const scn_key *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->first > y->first) - (x->first < y->first);
}

static void index_free(scenario *s)
{
    scn_index *ix = s->index;
    if (ix) free(ix->ids), free(ix->groups), free(ix);
    s->index = NULL;
}

/* On out of memory the lookups fall back to a linear scan. */
static void index_build(scenario *s)
{
    index_free(s);
    scn_index *ix = calloc(1, sizeof *ix);
    if (!ix) return;
    ix->ids = malloc((s->ncomps + 1) * sizeof *ix->ids);
    ix->groups = malloc((s->ncomps + 1) * sizeof *ix->groups);
    if (!ix->ids || !ix->groups) {
        free(ix->ids), free(ix->groups), free(ix);
        return;
    }
    for (size_t i = 0; i < s->ncomps; i++) {
        ix->ids[ix->nids++] = (scn_key){ s->comps[i].id, i, 1 };
        if (i > 0 && !strcmp(s->comps[i].jpath, s->comps[i - 1].jpath)) ix->groups[ix->ngroups - 1].n++;
        else ix->groups[ix->ngroups++] = (scn_key){ s->comps[i].group, i, 1 };
    }
    qsort(ix->ids, ix->nids, sizeof *ix->ids, cmp_key);
    qsort(ix->groups, ix->ngroups, sizeof *ix->groups, cmp_key);
    s->index = ix;
}

/* The first key named `name`, or NULL. */
static const scn_key *lookup(const scn_key *v, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && !strcmp(v[lo].name, name) ? &v[lo] : NULL;
}

long scenario_find(const scenario *s, const char *id)
{
    if (!id) return -1;
    const scn_index *ix = s->index;
    if (ix) {
        const scn_key *k = lookup(ix->ids, ix->nids, id);
        return k ? (long)k->first : -1;
    }
    for (size_t i = 0; i < s->ncomps; i++)
        if (!strcmp(s->comps[i].id, id)) return (long)i;
    return -1;
}

size_t scenario_resolve(const scenario *s, const char *ref, size_t *idx, size_t max)
{
    long one = scenario_find(s, ref);
    if (one >= 0) {
        if (max > 0 && idx) idx[0] = (size_t)one;
        return 1;
    }
    size_t n = 0;
    if (!ref) return 0;
    const scn_index *ix = s->index;
    if (ix) {
        const scn_key *k = lookup(ix->groups, ix->ngroups, ref);
        if (!k) return 0;
        for (size_t i = 0; i < k->n && idx && i < max; i++) idx[i] = k->first + i;
        return k->n;
    }
    for (size_t i = 0; i < s->ncomps; i++) {
        if (strcmp(s->comps[i].group, ref)) continue;
        if (n < max && idx) idx[n] = i;
        n++;
    }
    return n;
}

/* ---- top level --------------------------------------------------------- */

static int safe_dir_name(const char *s)
{
    if (!strcmp(s, ".") || !strcmp(s, "..") || strlen(s) > 200) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f) return 0;
    return 1;
}

static void default_name(scenario *s)
{
    const char *p = s->doc.path ? s->doc.path : "scenario";
    const char *slash = strrchr(p, '/');
    if (slash) p = slash + 1;
    size_t l = strlen(p);
    if (l > 5 && !strcmp(p + l - 5, ".json")) l -= 5;
    s->name = strndup(p, l);
}

static const cJSON *section(scenario *s, const char *key, int want_array, conf_errors *errs, int *bad)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(s->doc.root, key);
    if (!n) return NULL;
    if (want_array ? cJSON_IsArray(n) : cJSON_IsObject(n)) return n;
    char b[96];
    found(n, b, sizeof b);
    conf_error_at(errs, &s->doc, n, key, "expected %s, found %s", want_array ? "a list [...]" : "an object {...}", b);
    *bad = 1;
    return NULL;
}

static int load_tree(scenario *s, const char *const *sets, size_t nsets, conf_errors *errs)
{
    conf_doc *doc = &s->doc;
    cJSON *root = doc->root;
    int bad = 0, r;
    char b[96];

    scn_sets st;
    r = scn_sets_parse(&st, sets, nsets, errs);
    if (r == SIM_ENOMEM) goto out;
    if (r) bad = 1;
    r = scn_sets_apply_tree(&st, doc, errs);
    if (r == SIM_ENOMEM) goto out;
    if (r) bad = 1;

    for (const cJSON *m = root->child; m; m = m->next) {
        if (m->string[0] == '_' || scenario_is_top_key(m->string)) continue;
        const char *dym = scenario_suggest_top_key(m->string);
        if (dym) conf_error_at_key(errs, doc, m, m->string, "unknown top-level key (did you mean \"%s\"?)", dym);
        else conf_error_at_key(errs, doc, m, m->string, "unknown top-level key (known: name, description, seed, "
                               "duration, warmup, regions, network, defaults, components, workload, faults, report)");
        bad = 1;
    }

    const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "name");
    int name_ok = n && cJSON_IsString(n) && n->valuestring[0];
    if (n && !name_ok) {
        found(n, b, sizeof b);
        conf_error_at(errs, doc, n, "name", "expected a non-empty string, found %s", b);
        bad = 1;
    } else if (name_ok && !safe_dir_name(n->valuestring)) {
        /* The run's output goes to out/<name>/ by default. */
        found(n, b, sizeof b);
        conf_error_at(errs, doc, n, "name", "the name becomes a directory name: it cannot contain '/', '\\' or "
                      "control characters, or be \".\" or \"..\", found %s", b);
        bad = 1;
        name_ok = 0;
    }
    if (name_ok) s->name = xstrdup(n->valuestring);
    else default_name(s);
    n = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (n && !cJSON_IsString(n)) {
        found(n, b, sizeof b);
        conf_error_at(errs, doc, n, "description", "expected a string, found %s", b);
        bad = 1;
    }
    s->description = xstrdup(cJSON_IsString(n) ? n->valuestring : "");
    if (!s->name || !s->description) {
        r = SIM_ENOMEM;
        goto out;
    }

    s->seed = 1;
    n = cJSON_GetObjectItemCaseSensitive(root, "seed");
    if (n) {
        int rr = read_u64(doc, n, &s->seed);
        if (rr) {
            found(n, b, sizeof b);
            conf_error_at(errs, doc, n, "seed", "expected a whole number from 0 to 18446744073709551615, found %s", b);
            bad = 1;
        }
    }
    n = cJSON_GetObjectItemCaseSensitive(root, "duration");
    if (!n) {
        conf_error_at(errs, doc, root, NULL, "missing \"duration\" (how much simulated time to run, e.g. \"5min\")");
        bad = 1;
    } else if (!read_duration(doc, n, "duration", &s->duration, errs) && s->duration <= 0) {
        conf_error_at(errs, doc, n, "duration", "must be greater than 0");
        bad = 1;
    } else if (s->duration <= 0) {
        bad = 1;
    }
    n = cJSON_GetObjectItemCaseSensitive(root, "warmup");
    if (n) {
        if (read_duration(doc, n, "warmup", &s->warmup, errs)) bad = 1;
        else if (s->duration > 0 && s->warmup >= s->duration) {
            char w[48], d[48];
            conf_error_at(errs, doc, n, "warmup", "the warm-up (%s) must be shorter than the duration (%s), "
                          "which includes it", conf_format_duration(s->warmup, w, sizeof w),
                          conf_format_duration(s->duration, d, sizeof d));
            bad = 1;
        }
    }

    s->regions = section(s, "regions", 0, errs, &bad);
    s->network = section(s, "network", 0, errs, &bad);
    s->workload = section(s, "workload", 0, errs, &bad);
    s->faults = section(s, "faults", 1, errs, &bad);
    s->report = section(s, "report", 0, errs, &bad);
    s->defaults = section(s, "defaults", 0, errs, &bad);
    if (s->defaults) {
        for (const cJSON *d = s->defaults->child; d; d = d->next) {
            if (cJSON_IsObject(d) || d->string[0] == '_') continue;
            char jp[160];
            snprintf(jp, sizeof jp, "defaults.%s", d->string);
            found(d, b, sizeof b);
            conf_error_at(errs, doc, d, jp, "expected an object of parameters for kind \"%s\", found %s",
                          d->string, b);
            bad = 1;
        }
    }

    cJSON *comps = cJSON_GetObjectItemCaseSensitive(root, "components");
    if (!comps) {
        conf_error_at(errs, doc, root, NULL, "missing \"components\" (the list of servers, caches, ...)");
        bad = 1;
    } else if (!cJSON_IsArray(comps)) {
        found(comps, b, sizeof b);
        conf_error_at(errs, doc, comps, "components", "expected a list [...] of components, found %s", b);
        bad = 1;
    } else if (!comps->child) {
        conf_error_at(errs, doc, comps, "components", "expected at least one component, found an empty list");
        bad = 1;
    } else {
        size_t cap = 0, i = 0;
        for (cJSON *e = comps->child; e; e = e->next, i++) {
            r = expand_entry(s, &cap, e, i, errs, &bad);
            if (r) goto out;
        }
    }

    index_build(s);
    r = scn_sets_apply_members(&st, s, errs);
    if (r == SIM_ENOMEM) goto out;
    if (r) bad = 1;
    check_unique(s, errs, &bad);
    r = bad ? SIM_EPARSE : 0;
out:
    scn_sets_free(&st);
    return r;
}

static int finish(scenario *s, int r, conf_errors *errs)
{
    if (r == SIM_ENOMEM) conf_errors_add(errs, "%s: out of memory", s->doc.path ? s->doc.path : "scenario");
    return r;
}

int scenario_parse(scenario *s, const char *name, const char *dir, const char *text, size_t len,
                   const char *const *sets, size_t nsets, conf_errors *errs)
{
    memset(s, 0, sizeof *s);
    app_sha256_hex(text, len, s->sha256);
    int r = conf_doc_parse(&s->doc, name, text, len, errs);
    if (r) return r == SIM_ENOMEM ? SIM_ENOMEM : SIM_EPARSE;
    if (dir) {
        char *d = strdup(dir);
        if (!d) return finish(s, SIM_ENOMEM, errs);
        free(s->doc.dir);
        s->doc.dir = d;
    }
    return finish(s, load_tree(s, sets, nsets, errs), errs);
}

int scenario_load(scenario *s, const char *path, const char *const *sets, size_t nsets, conf_errors *errs)
{
    memset(s, 0, sizeof *s);
    int r = conf_doc_load(&s->doc, path, errs);
    if (r) return r == SIM_ENOENT || r == SIM_EIO ? SIM_ENOENT : r == SIM_ENOMEM ? SIM_ENOMEM : SIM_EPARSE;
    app_sha256_hex(s->doc.text, s->doc.len, s->sha256);
    return finish(s, load_tree(s, sets, nsets, errs), errs);
}

void scenario_free(scenario *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->ncomps; i++) {
        scn_component *c = &s->comps[i];
        free(c->id), free(c->group), free(c->kind), free(c->region), free(c->jpath);
        cJSON_Delete((cJSON *)c->node);
    }
    free(s->comps);
    index_free(s);
    free(s->name);
    free(s->description);
    conf_doc_free(&s->doc);
    memset(s, 0, sizeof *s);
}

int scenario_check_kinds(const scenario *s, const char *const *kinds, conf_errors *errs)
{
    if (!kinds) return 0;
    size_t nk = count_of(kinds);
    int bad = 0;
    for (size_t i = 0; i < s->ncomps; i++) {
        const scn_component *c = &s->comps[i];
        int known = 0;
        for (size_t k = 0; k < nk; k++)
            if (!strcmp(kinds[k], c->kind)) known = 1;
        if (known) continue;
        const cJSON *kn = cJSON_GetObjectItemCaseSensitive(c->node, "kind");
        char jp[160];
        snprintf(jp, sizeof jp, "%s.kind", c->jpath);
        const char *dym = conf_did_you_mean(c->kind, kinds, nk);
        if (dym) conf_error_at(errs, &s->doc, kn, jp, "unknown kind \"%s\" (did you mean \"%s\"?)", c->kind, dym);
        else conf_error_at(errs, &s->doc, kn, jp, "unknown kind \"%s\" (see docs/models.md for the kinds)", c->kind);
        bad = 1;
    }
    if (s->defaults) {
        for (const cJSON *d = s->defaults->child; d; d = d->next) {
            int known = d->string[0] == '_';
            for (size_t k = 0; k < nk; k++)
                if (!strcmp(kinds[k], d->string)) known = 1;
            if (known) continue;
            char jp[160];
            snprintf(jp, sizeof jp, "defaults.%s", d->string);
            const char *dym = conf_did_you_mean(d->string, kinds, nk);
            if (dym) conf_error_at_key(errs, &s->doc, d, jp, "unknown kind (did you mean \"%s\"?)", dym);
            else conf_error_at_key(errs, &s->doc, d, jp, "unknown kind (see docs/models.md for the kinds)");
            bad = 1;
        }
    }
    return bad ? SIM_EPARSE : 0;
}


static int add_dup(cJSON *obj, const char *key, const cJSON *src)
{
    if (!src) return 0;
    cJSON *c = cJSON_Duplicate(src, 1);
    if (!c) return SIM_ENOMEM;
    if (!cJSON_AddItemToObject(obj, key, c)) {
        cJSON_Delete(c);
        return SIM_ENOMEM;
    }
    return 0;
}

cJSON *scenario_effective_json(const scenario *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char b[48];
    int ok = cJSON_AddStringToObject(o, "name", s->name ? s->name : "") != NULL;
    ok = ok && cJSON_AddStringToObject(o, "description", s->description ? s->description : "");
    if (s->seed <= 9007199254740992ULL) ok = ok && cJSON_AddNumberToObject(o, "seed", (double)s->seed);
    else {
        snprintf(b, sizeof b, "%llu", (unsigned long long)s->seed);
        ok = ok && cJSON_AddStringToObject(o, "seed", b);
    }
    ok = ok && cJSON_AddStringToObject(o, "duration", conf_format_duration(s->duration, b, sizeof b));
    ok = ok && cJSON_AddStringToObject(o, "warmup", conf_format_duration(s->warmup, b, sizeof b));
    ok = ok && !add_dup(o, "regions", s->regions) && !add_dup(o, "network", s->network);
    cJSON *arr = ok ? cJSON_AddArrayToObject(o, "components") : NULL;
    for (size_t i = 0; arr && i < s->ncomps; i++) {
        cJSON *c = cJSON_Duplicate(s->comps[i].node, 1);
        if (!c || !cJSON_AddItemToArray(arr, c)) {
            cJSON_Delete(c);
            ok = 0;
            break;
        }
    }
    ok = ok && arr && !add_dup(o, "workload", s->workload) && !add_dup(o, "faults", s->faults) &&
         !add_dup(o, "report", s->report);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
