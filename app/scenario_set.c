/* app/scenario_set.c - --set PATH=VALUE overrides (see scenario_set.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app/scenario_set.h"
#include "sim/errors.h"

static int parse_path(scn_set *st, const char *path, conf_errors *errs)
{
    const char *p = path;
    size_t cap = 0;
    if (!*p) {
        conf_errors_add(errs, "%s: empty path (expected PATH=VALUE, e.g. --set duration=10min)", st->origin);
        return SIM_EPARSE;
    }
    for (;;) {
        scn_seg seg = { NULL, -1 };
        if (*p == '[') {
            p++;
            if (!isdigit((unsigned char)*p)) goto bad;
            long v = 0;
            while (isdigit((unsigned char)*p)) {
                if (v > 10000000) goto bad;
                v = v * 10 + (*p++ - '0');
            }
            if (*p++ != ']') goto bad;
            seg.index = v;
        } else {
            const char *e = p;
            while (*e && *e != '.' && *e != '[' && *e != ']') e++;
            if (e == p) goto bad;
            if (!(seg.key = strndup(p, (size_t)(e - p)))) return SIM_ENOMEM;
            p = e;
        }
        if (st->nsegs == cap) {
            cap = cap ? 2 * cap : 8;
            scn_seg *v = realloc(st->segs, cap * sizeof *v);
            if (!v) {
                free(seg.key);
                return SIM_ENOMEM;
            }
            st->segs = v;
        }
        st->segs[st->nsegs++] = seg;
        if (!*p) break;
        if (*p == '.') {
            p++;
            if (!*p) goto bad;
        } else if (*p != '[') {
            goto bad;
        }
    }
    if (!st->segs[0].key) goto bad;
    return 0;
bad:
    conf_errors_add(errs, "%s: malformed path (expected keys separated by '.', with [N] for a list index, "
                    "e.g. components[2].cache_size)", st->origin);
    return SIM_EPARSE;
}

int scn_sets_parse(scn_sets *st, const char *const *sets, size_t n, conf_errors *errs)
{
    memset(st, 0, sizeof *st);
    if (!n) return 0;
    st->v = calloc(n, sizeof *st->v);
    if (!st->v) return SIM_ENOMEM;
    st->n = n;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        scn_set *s = &st->v[i];
        const char *text = sets[i] ? sets[i] : "";
        const char *eq = strchr(text, '=');
        size_t pl = eq ? (size_t)(eq - text) : strlen(text);
        if (asprintf(&s->origin, "--set %.*s", (int)pl, text) < 0) {
            s->origin = NULL;
            return SIM_ENOMEM;
        }
        if (!eq) {
            conf_errors_add(errs, "%s: expected PATH=VALUE (e.g. --set components.edge.cache_size=20GiB)", s->origin);
            s->state = -1;
            bad = 1;
            continue;
        }
        if (!(s->value = strdup(eq + 1))) return SIM_ENOMEM;
        char *path = strndup(text, pl);
        if (!path) return SIM_ENOMEM;
        int r = parse_path(s, path, errs);
        free(path);
        if (r == SIM_ENOMEM) return r;
        if (r) {
            s->state = -1;
            bad = 1;
            continue;
        }
        const char *top = s->segs[0].key;
        if (top[0] != '_' && !scenario_is_top_key(top)) {
            const char *dym = scenario_suggest_top_key(top);
            if (dym) conf_errors_add(errs, "%s: unknown top-level key \"%s\" (did you mean \"%s\"?)", s->origin, top, dym);
            else conf_errors_add(errs, "%s: unknown top-level key \"%s\"", s->origin, top);
            s->state = -1;
            bad = 1;
        }
    }
    return bad ? SIM_EPARSE : 0;
}

void scn_sets_free(scn_sets *st)
{
    for (size_t i = 0; i < st->n; i++) {
        scn_set *s = &st->v[i];
        for (size_t k = 0; k < s->nsegs; k++) free(s->segs[k].key);
        free(s->segs);
        free(s->origin);
        free(s->value);
    }
    free(st->v);
    memset(st, 0, sizeof *st);
}

/* VALUE as JSON when it is JSON, else as a string: duration=10min is the
 * string "10min", count=4 the number 4, cache='{"size": "1GiB"}' an object. */
static cJSON *make_value(const char *text)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(text, &end, 1);
    if (v) return v;
    return cJSON_CreateString(text);
}

static const char *type_name(const cJSON *n)
{
    if (cJSON_IsObject(n)) return "an object";
    if (cJSON_IsArray(n)) return "a list";
    if (cJSON_IsString(n)) return "a string";
    if (cJSON_IsNumber(n)) return "a number";
    if (cJSON_IsBool(n)) return "a boolean";
    return "null";
}

/* Sets base.segs[0..n) = VALUE. Objects missing on the way are created. */
static int set_path(conf_doc *doc, cJSON *base, const scn_seg *segs, size_t n, const scn_set *st,
                    conf_errors *errs)
{
    cJSON *cur = base;
    for (size_t i = 0; i + 1 < n; i++) {
        const scn_seg *g = &segs[i];
        cJSON *next;
        if (!g->key) {
            if (!cJSON_IsArray(cur)) {
                conf_errors_add(errs, "%s: [%ld] indexes a list, but the value there is %s", st->origin, g->index,
                                type_name(cur));
                return SIM_EPARSE;
            }
            next = cJSON_GetArrayItem(cur, (int)g->index);
            if (!next) {
                int sz = cJSON_GetArraySize(cur);
                conf_errors_add(errs, "%s: index [%ld] is past the end of a list of %d", st->origin, g->index, sz);
                return SIM_EPARSE;
            }
        } else {
            if (!cJSON_IsObject(cur)) {
                conf_errors_add(errs, "%s: cannot set \"%s\" inside %s", st->origin, g->key, type_name(cur));
                return SIM_EPARSE;
            }
            next = cJSON_GetObjectItemCaseSensitive(cur, g->key);
            if (!next) {
                next = cJSON_CreateObject();
                if (!next || !cJSON_AddItemToObject(cur, g->key, next)) {
                    cJSON_Delete(next);
                    return SIM_ENOMEM;
                }
                if (conf_doc_mark(doc, next, st->origin)) return SIM_ENOMEM;
            }
        }
        cur = next;
    }
    const scn_seg *g = &segs[n - 1];
    cJSON *v = make_value(st->value);
    if (!v) return SIM_ENOMEM;
    if (!g->key) {
        if (!cJSON_IsArray(cur)) {
            conf_errors_add(errs, "%s: [%ld] indexes a list, but the value there is %s", st->origin, g->index,
                            type_name(cur));
            cJSON_Delete(v);
            return SIM_EPARSE;
        }
        int sz = cJSON_GetArraySize(cur);
        if (g->index > sz) {
            conf_errors_add(errs, "%s: index [%ld] is past the end of a list of %d (use [%d] to append)",
                            st->origin, g->index, sz, sz);
            cJSON_Delete(v);
            return SIM_EPARSE;
        }
        if (g->index == sz) {
            if (!cJSON_AddItemToArray(cur, v)) {
                cJSON_Delete(v);
                return SIM_ENOMEM;
            }
        } else {
            cJSON *old = cJSON_GetArrayItem(cur, (int)g->index);
            conf_doc_forget(doc, old);
            if (!cJSON_ReplaceItemViaPointer(cur, old, v)) {
                cJSON_Delete(v);
                return SIM_ENOMEM;
            }
        }
    } else {
        if (!cJSON_IsObject(cur)) {
            conf_errors_add(errs, "%s: cannot set \"%s\" inside %s", st->origin, g->key, type_name(cur));
            cJSON_Delete(v);
            return SIM_EPARSE;
        }
        cJSON *old = cJSON_GetObjectItemCaseSensitive(cur, g->key);
        if (old) conf_doc_forget(doc, old);
        int rc = conf_json_set_member(cur, g->key, old, v);
        if (rc) {
            cJSON_Delete(v);
            return rc;
        }
    }
    return conf_doc_mark(doc, v, st->origin) ? SIM_ENOMEM : 0;
}

/* The entry of `components` whose written id is `name`, or NULL. */
static cJSON *find_entry(cJSON *comps, const char *name, long *index)
{
    long i = 0;
    for (cJSON *e = cJSON_IsArray(comps) ? comps->child : NULL; e; e = e->next, i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(id) && !strcmp(id->valuestring, name)) {
            *index = i;
            return e;
        }
    }
    return NULL;
}

int scn_sets_apply_tree(scn_sets *sets, conf_doc *doc, conf_errors *errs)
{
    int bad = 0;
    for (size_t i = 0; i < sets->n; i++) {
        scn_set *st = &sets->v[i];
        if (st->state) continue;
        if (!strcmp(st->segs[0].key, "components") && st->nsegs >= 2 && st->segs[1].key) {
            cJSON *comps = cJSON_GetObjectItemCaseSensitive(doc->root, "components");
            long idx;
            if (!find_entry(comps, st->segs[1].key, &idx)) continue; /* maybe a member: later */
            /* Rewrite "components.edge" as "components[idx]". */
            free(st->segs[1].key);
            st->segs[1].key = NULL;
            st->segs[1].index = idx;
        }
        int r = set_path(doc, doc->root, st->segs, st->nsegs, st, errs);
        if (r == SIM_ENOMEM) return r;
        st->state = r ? -1 : 1;
        if (r) bad = 1;
    }
    return bad ? SIM_EPARSE : 0;
}

int scn_sets_apply_members(scn_sets *sets, scenario *s, conf_errors *errs)
{
    int bad = 0;
    for (size_t i = 0; i < sets->n; i++) {
        scn_set *st = &sets->v[i];
        if (st->state) continue;
        const char *name = st->segs[1].key;
        long c = scenario_find(s, name);
        if (c < 0) {
            /* Suggest among ids and group names. */
            size_t nc = 2 * s->ncomps;
            const char **cand = nc ? malloc(nc * sizeof *cand) : NULL;
            const char *dym = NULL;
            if (cand) {
                for (size_t k = 0; k < s->ncomps; k++) {
                    cand[2 * k] = s->comps[k].id;
                    cand[2 * k + 1] = s->comps[k].group;
                }
                dym = conf_did_you_mean(name, cand, nc);
            }
            if (dym) conf_errors_add(errs, "%s: no component or group \"%s\" (did you mean \"%s\"?)", st->origin,
                                     name, dym);
            else conf_errors_add(errs, "%s: no component or group \"%s\"", st->origin, name);
            free(cand);
            st->state = -1;
            bad = 1;
            continue;
        }
        if (st->nsegs == 2 || (st->segs[2].key && (!strcmp(st->segs[2].key, "id") || !strcmp(st->segs[2].key, "kind") ||
                                                   !strcmp(st->segs[2].key, "region") || !strcmp(st->segs[2].key, "count")))) {
            conf_errors_add(errs, "%s: \"%s\" is one member of the group \"%s\"; its %s can only be changed for "
                            "the whole group (--set components.%s...)", st->origin, name, s->comps[c].group,
                            st->nsegs == 2 ? "definition" : st->segs[2].key, s->comps[c].group);
            st->state = -1;
            bad = 1;
            continue;
        }
        int r = set_path(&s->doc, (cJSON *)s->comps[c].node, st->segs + 2, st->nsegs - 2, st, errs);
        if (r == SIM_ENOMEM) return r;
        st->state = r ? -1 : 1;
        if (r) bad = 1;
    }
    return bad ? SIM_EPARSE : 0;
}
