/* app/conf_fields.c - typed field tables: how a model declares and reads its
 * parameters, renders them for `show`, and documents them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "sim/errors.h"

#define AT(out, f, type) ((type *)((char *)(out) + (f)->offset))
#define CAT(in, f, type) ((const type *)((const char *)(in) + (f)->offset))

static int has_range(const conf_field *f)
{
    return !(f->min == 0 && f->max == 0);
}

/* Every member the table describes gets its empty value first, so that
 * conf_free_fields is safe whatever reading did. */
static void reset_fields(const conf_field *fields, void *out)
{
    for (const conf_field *f = fields; f->key; f++) {
        switch (f->type) {
        case CONF_BOOL: *AT(out, f, bool) = false; break;
        case CONF_INT: *AT(out, f, int64_t) = 0; break;
        case CONF_DOUBLE:
        case CONF_BANDWIDTH:
        case CONF_RATE:
        case CONF_PERCENT: *AT(out, f, double) = 0; break;
        case CONF_DURATION: *AT(out, f, sim_time_t) = 0; break;
        case CONF_BYTES: *AT(out, f, uint64_t) = 0; break;
        case CONF_STRING:
        case CONF_REF: *AT(out, f, char *) = NULL; break;
        case CONF_ENUM: *AT(out, f, int) = 0; break;
        case CONF_DIST_TIME:
        case CONF_DIST_BYTES: memset(AT(out, f, sim_dist), 0, sizeof(sim_dist)); break;
        case CONF_REFLIST: *AT(out, f, conf_strlist) = (conf_strlist){ NULL, 0 }; break;
        case CONF_OBJECT: if (f->sub) reset_fields(f->sub, AT(out, f, char)); break;
        case CONF_JSON: *AT(out, f, const cJSON *) = NULL; break;
        }
    }
}

static const char *expected_like(const conf_field *f)
{
    switch (f->type) {
    case CONF_BOOL: return "true or false";
    case CONF_INT: return "a whole number";
    case CONF_DOUBLE: return "a number";
    case CONF_DURATION: return "a duration like \"50ms\" (units ns, us, ms, s, min, h)";
    case CONF_BYTES: return "a size like \"10GiB\" (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)";
    case CONF_BANDWIDTH: return "a bandwidth like \"1Gbit/s\" or \"500MB/s\"";
    case CONF_RATE: return "a rate like \"2000/s\" (/s, /ms, /min, /h)";
    case CONF_PERCENT: return "a percentage like \"90%\" or a fraction from 0 to 1";
    case CONF_STRING: return "a string";
    case CONF_ENUM: return "one of the names listed";
    case CONF_DIST_TIME: return "a duration or a distribution like {\"exp\": \"1ms\"}";
    case CONF_DIST_BYTES: return "a size or a distribution like {\"lognormal\": {\"mean\": \"64KiB\", \"p99\": \"4MiB\"}}";
    case CONF_REF: return "a component id";
    case CONF_REFLIST: return "a component id or a list of ids";
    case CONF_OBJECT: return "an object {...}";
    case CONF_JSON: return "a JSON value";
    }
    return "a value";
}

static void wrong(const conf_doc *doc, const cJSON *v, const char *jpath, const conf_field *f, conf_errors *errs)
{
    char b[96];
    conf_error_at(errs, doc, v, jpath, "expected %s, found %s", expected_like(f), conf_found(v, b, sizeof b));
}

static int read_number(const conf_doc *doc, const cJSON *v, const char *jpath, const conf_field *f, double *out,
                       conf_errors *errs)
{
    char b[96];
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        wrong(doc, v, jpath, f, errs);
        return SIM_EPARSE;
    }
    double d = v->valuedouble;
    if (f->type == CONF_INT && (d != floor(d) || fabs(d) >= 9.2e18)) {
        conf_error_at(errs, doc, v, jpath, "expected a whole number, found %s", conf_found(v, b, sizeof b));
        return SIM_EPARSE;
    }
    if (has_range(f) && !(d >= f->min && d <= f->max)) {
        conf_error_at(errs, doc, v, jpath, "expected a number from %.10g to %.10g, found %s", f->min, f->max,
                      conf_found(v, b, sizeof b));
        return SIM_ERANGE;
    }
    *out = d;
    return 0;
}

/* Reports a unit parser's failure: "out of range" or "expected ...". */
static int unit_error(const conf_doc *doc, const cJSON *v, const char *jpath, const conf_field *f, int r,
                      conf_errors *errs)
{
    char b[96];
    conf_found(v, b, sizeof b);
    if (r == SIM_ERANGE) {
        if (v->valuestring && strchr(v->valuestring, '-'))
            conf_error_at(errs, doc, v, jpath, "expected %s, found the negative value %s", expected_like(f), b);
        else
            conf_error_at(errs, doc, v, jpath, "value out of range: %s", b);
    } else {
        conf_error_at(errs, doc, v, jpath, "expected %s, found %s", expected_like(f), b);
    }
    return SIM_EPARSE;
}

static int read_one(const conf_doc *doc, const cJSON *v, const char *jpath, const conf_field *f, void *out,
                    conf_errors *errs);

static char *join_path(const char *jpath, const char *key)
{
    char *p = NULL;
    if (jpath && *jpath) {
        if (asprintf(&p, "%s.%s", jpath, key) < 0) return NULL;
    } else {
        p = strdup(key);
    }
    return p;
}

static int read_fields(const conf_doc *doc, const cJSON *obj, const cJSON *at, const char *jpath,
                       const conf_field *fields, const char *const *ignore, void *out, conf_errors *errs);

int conf_read_fields(const conf_doc *doc, const cJSON *obj, const char *jpath, const conf_field *fields,
                     const char *const *ignore, void *out, conf_errors *errs)
{
    return read_fields(doc, obj, obj, jpath, fields, ignore, out, errs);
}

/* `at` locates "missing" errors when obj is absent: the enclosing object. */
static int read_fields(const conf_doc *doc, const cJSON *obj, const cJSON *at, const char *jpath,
                       const conf_field *fields, const char *const *ignore, void *out, conf_errors *errs)
{
    int bad = 0;
    char b[96];
    reset_fields(fields, out);
    if (obj && !cJSON_IsObject(obj)) {
        conf_error_at(errs, doc, obj, jpath, "expected an object {...}, found %s", conf_found(obj, b, sizeof b));
        return SIM_EPARSE;
    }
    /* Unknown keys first, in the order written. */
    size_t nkeys = 0;
    for (const conf_field *f = fields; f->key; f++) nkeys++;
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next) {
        if (m->string[0] == '_') continue; /* "_comment" and the like */
        int known = 0;
        for (const conf_field *f = fields; f->key && !known; f++) known = !strcmp(f->key, m->string);
        for (size_t i = 0; ignore && ignore[i] && !known; i++) known = !strcmp(ignore[i], m->string);
        if (known) continue;
        bad = 1;
        char *kp = join_path(jpath, m->string);
        const char **cand = malloc((nkeys + 1) * sizeof *cand);
        const char *dym = NULL;
        if (cand) {
            size_t k = 0;
            for (const conf_field *f = fields; f->key; f++) cand[k++] = f->key;
            dym = conf_did_you_mean(m->string, cand, k);
        }
        if (dym) {
            conf_error_at_key(errs, doc, m, kp ? kp : jpath, "unknown key (did you mean \"%s\"?)", dym);
        } else {
            /* List the keys when there are few enough to read. */
            char list[512] = "";
            size_t used = 0;
            for (const conf_field *f = fields; f->key && nkeys <= 16; f++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", f->key);
                if (w < 0 || (size_t)w >= sizeof list - used) break;
                used += (size_t)w;
            }
            if (!nkeys) conf_error_at_key(errs, doc, m, kp ? kp : jpath, "unknown key (this takes no parameters)");
            else if (used) conf_error_at_key(errs, doc, m, kp ? kp : jpath, "unknown key (known: %s)", list);
            else conf_error_at_key(errs, doc, m, kp ? kp : jpath, "unknown key");
        }
        free(cand);
        free(kp);
    }
    for (const conf_field *f = fields; f->key; f++) {
        char *kp = join_path(jpath, f->key);
        if (!kp) {
            conf_errors_add(errs, "out of memory");
            return SIM_ENOMEM;
        }
        const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, f->key) : NULL;
        if (v) {
            if (read_one(doc, v, kp, f, out, errs)) bad = 1;
        } else if (f->type == CONF_OBJECT) {
            /* An absent section is all its own defaults. */
            if (f->sub && read_fields(doc, NULL, obj ? obj : at, kp, f->sub, NULL, AT(out, f, char), errs)) bad = 1;
        } else if (f->type == CONF_JSON && f->def) {
            *AT(out, f, const cJSON *) = NULL;
        } else if (f->def) {
            cJSON *dv = cJSON_Parse(f->def);
            if (!dv) {
                conf_errors_add(errs, "%s: internal error: the default %s is not JSON", kp, f->def);
                bad = 1;
            } else {
                if (read_one(doc, dv, kp, f, out, errs)) {
                    conf_errors_add(errs, "%s: internal error: the default %s is invalid", kp, f->def);
                    bad = 1;
                }
                /* Nothing read keeps a pointer into dv except CONF_JSON,
                 * handled above. */
                cJSON_Delete(dv);
            }
        } else {
            conf_error_at(errs, doc, obj ? obj : at, jpath, "missing required key \"%s\" (expected %s)", f->key,
                          expected_like(f));
            bad = 1;
        }
        free(kp);
    }
    return bad ? SIM_EPARSE : 0;
}

static int read_one(const conf_doc *doc, const cJSON *v, const char *jpath, const conf_field *f, void *out,
                    conf_errors *errs)
{
    char b[96];
    double d;
    int r;
    switch (f->type) {
    case CONF_BOOL:
        if (!cJSON_IsBool(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        *AT(out, f, bool) = cJSON_IsTrue(v);
        return 0;
    case CONF_INT:
        if ((r = read_number(doc, v, jpath, f, &d, errs))) return r;
        *AT(out, f, int64_t) = (int64_t)d;
        return 0;
    case CONF_DOUBLE:
        if ((r = read_number(doc, v, jpath, f, &d, errs))) return r;
        *AT(out, f, double) = d;
        return 0;
    case CONF_DURATION:
        if (cJSON_IsNumber(v) && v->valuedouble == 0) {
            *AT(out, f, sim_time_t) = 0;
            return 0;
        }
        if (cJSON_IsNumber(v)) {
            conf_error_at(errs, doc, v, jpath, "expected a duration with a unit like \"%gms\" or \"%gs\", found the "
                          "bare number %s", v->valuedouble, v->valuedouble, conf_found(v, b, sizeof b));
            return SIM_EPARSE;
        }
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        if ((r = conf_parse_duration(v->valuestring, AT(out, f, sim_time_t)))) return unit_error(doc, v, jpath, f, r, errs);
        return 0;
    case CONF_BYTES:
        if (cJSON_IsNumber(v)) {
            d = v->valuedouble;
            if (!(d >= 0 && d < 18446744073709551616.0 && d == floor(d))) {
                conf_error_at(errs, doc, v, jpath, "expected %s, found %s", expected_like(f), conf_found(v, b, sizeof b));
                return SIM_EPARSE;
            }
            *AT(out, f, uint64_t) = d >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)d;
            return 0;
        }
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        if ((r = conf_parse_bytes(v->valuestring, AT(out, f, uint64_t)))) return unit_error(doc, v, jpath, f, r, errs);
        return 0;
    case CONF_BANDWIDTH:
        if (cJSON_IsNumber(v)) {
            conf_error_at(errs, doc, v, jpath, "expected %s, found the bare number %s (bits or bytes?)",
                          expected_like(f), conf_found(v, b, sizeof b));
            return SIM_EPARSE;
        }
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        if ((r = conf_parse_bandwidth(v->valuestring, AT(out, f, double)))) return unit_error(doc, v, jpath, f, r, errs);
        return 0;
    case CONF_RATE:
        if (cJSON_IsNumber(v)) {
            d = v->valuedouble;
            if (!(d >= 0 && isfinite(d))) {
                conf_error_at(errs, doc, v, jpath, "expected %s, found %s", expected_like(f), conf_found(v, b, sizeof b));
                return SIM_EPARSE;
            }
            *AT(out, f, double) = d;
            return 0;
        }
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        if ((r = conf_parse_rate(v->valuestring, AT(out, f, double)))) return unit_error(doc, v, jpath, f, r, errs);
        return 0;
    case CONF_PERCENT:
        if (cJSON_IsNumber(v)) {
            d = v->valuedouble;
            if (!(d >= 0 && d <= 1)) {
                conf_error_at(errs, doc, v, jpath, "expected a fraction from 0 to 1 (or a percentage like \"90%%\"), "
                              "found %s", conf_found(v, b, sizeof b));
                return SIM_EPARSE;
            }
            *AT(out, f, double) = d;
            return 0;
        }
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        if ((r = conf_parse_percent(v->valuestring, AT(out, f, double)))) {
            if (r == SIM_ERANGE) {
                conf_error_at(errs, doc, v, jpath, "expected a percentage from 0%% to 100%%, found %s",
                              conf_found(v, b, sizeof b));
                return SIM_EPARSE;
            }
            return unit_error(doc, v, jpath, f, r, errs);
        }
        return 0;
    case CONF_STRING:
        if (!cJSON_IsString(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        free(*AT(out, f, char *));
        if (!(*AT(out, f, char *) = strdup(v->valuestring))) return SIM_ENOMEM;
        return 0;
    case CONF_REF:
        if (!cJSON_IsString(v) || !v->valuestring[0]) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        free(*AT(out, f, char *));
        if (!(*AT(out, f, char *) = strdup(v->valuestring))) return SIM_ENOMEM;
        return 0;
    case CONF_ENUM: {
        size_t n = 0;
        while (f->enum_values && f->enum_values[n]) n++;
        if (cJSON_IsString(v))
            for (size_t i = 0; i < n; i++)
                if (!strcmp(v->valuestring, f->enum_values[i])) {
                    *AT(out, f, int) = (int)i;
                    return 0;
                }
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", f->enum_values[i]);
            if (w < 0 || (size_t)w >= sizeof list - used) break;
            used += (size_t)w;
        }
        const char *dym = cJSON_IsString(v) ? conf_did_you_mean(v->valuestring, f->enum_values, n) : NULL;
        if (dym)
            conf_error_at(errs, doc, v, jpath, "expected one of %s, found %s (did you mean \"%s\"?)", list,
                          conf_found(v, b, sizeof b), dym);
        else
            conf_error_at(errs, doc, v, jpath, "expected one of %s, found %s", list, conf_found(v, b, sizeof b));
        return SIM_EPARSE;
    }
    case CONF_DIST_TIME:
    case CONF_DIST_BYTES: {
        sim_dist *dst = AT(out, f, sim_dist);
        conf_dist_release(dst);
        memset(dst, 0, sizeof *dst);
        r = conf_read_dist(doc, v, jpath, f->type == CONF_DIST_TIME ? CONF_UNIT_TIME : CONF_UNIT_BYTES, dst, errs);
        if (r) memset(dst, 0, sizeof *dst); /* unusable: make it safe to free */
        return r;
    }
    case CONF_REFLIST: {
        conf_strlist *l = AT(out, f, conf_strlist);
        for (size_t i = 0; i < l->n; i++) free(l->v[i]);
        free(l->v);
        *l = (conf_strlist){ NULL, 0 };
        if (cJSON_IsString(v) && v->valuestring[0]) {
            l->v = malloc(sizeof *l->v);
            if (!l->v || !(l->v[0] = strdup(v->valuestring))) {
                free(l->v);
                l->v = NULL;
                return SIM_ENOMEM;
            }
            l->n = 1;
            return 0;
        }
        if (!cJSON_IsArray(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        int n = cJSON_GetArraySize(v), bad = 0;
        l->v = calloc(n ? (size_t)n : 1, sizeof *l->v);
        if (!l->v) return SIM_ENOMEM;
        for (const cJSON *e = v->child; e; e = e->next) {
            if (!cJSON_IsString(e) || !e->valuestring[0]) {
                char ep[256];
                snprintf(ep, sizeof ep, "%s[%zu]", jpath, l->n);
                conf_error_at(errs, doc, e, ep, "expected a component id, found %s", conf_found(e, b, sizeof b));
                bad = 1;
                continue;
            }
            if (!(l->v[l->n] = strdup(e->valuestring))) return SIM_ENOMEM;
            l->n++;
        }
        return bad ? SIM_EPARSE : 0;
    }
    case CONF_OBJECT:
        if (!cJSON_IsObject(v)) return wrong(doc, v, jpath, f, errs), SIM_EPARSE;
        return f->sub ? conf_read_fields(doc, v, jpath, f->sub, NULL, AT(out, f, char), errs) : 0;
    case CONF_JSON:
        *AT(out, f, const cJSON *) = v;
        return 0;
    }
    return SIM_EINVAL;
}

void conf_free_fields(const conf_field *fields, void *out)
{
    if (!fields || !out) return;
    for (const conf_field *f = fields; f->key; f++) {
        switch (f->type) {
        case CONF_STRING:
        case CONF_REF:
            free(*AT(out, f, char *));
            *AT(out, f, char *) = NULL;
            break;
        case CONF_REFLIST: {
            conf_strlist *l = AT(out, f, conf_strlist);
            for (size_t i = 0; i < l->n; i++) free(l->v[i]);
            free(l->v);
            *l = (conf_strlist){ NULL, 0 };
            break;
        }
        case CONF_DIST_TIME:
        case CONF_DIST_BYTES:
            conf_dist_release(AT(out, f, sim_dist));
            break;
        case CONF_OBJECT:
            if (f->sub) conf_free_fields(f->sub, AT(out, f, char));
            break;
        default:
            break;
        }
    }
}

/* ---- rendering ---------------------------------------------------------- */

/* v with the largest decimal prefix (k, M, G, T) that leaves it >= 1,
 * followed by that prefix and unit, into buf ("%.10g": exact enough to read
 * back). Returns the number of significant digits written (500 -> 1,
 * 62.5 -> 3). */
static int format_si(double v, const char *unit, char *buf, size_t len)
{
    static const char *const prefix[] = { "", "k", "M", "G", "T" };
    int k = 0;
    while (k < 4 && fabs(v) >= 1e3) {
        v /= 1e3;
        k++;
    }
    char num[40];
    snprintf(num, sizeof num, "%.10g", v);
    snprintf(buf, len, "%s%s%s", num, prefix[k], unit);
    int first = -1, last = -1, i = 0;
    for (const char *p = num; *p && *p != 'e'; p++) {
        if (*p < '0' || *p > '9') continue;
        if (*p != '0') {
            if (first < 0) first = i;
            last = i;
        }
        i++;
    }
    return first < 0 ? 1 : last - first + 1;
}

/* In bytes (B/s, kB/s, MB/s, ...) or bits (bit/s, kbit/s, ...), whichever
 * says it in fewer digits, bytes on a tie: a disk's "2GB/s" comes back as
 * 2GB/s and not 16Gbit/s, a link's "500Mbit/s" as 500Mbit/s and not
 * 62.5MB/s. The parser reads both back (app/units.c). */
const char *conf_format_bandwidth(double bps, char *buf, size_t len)
{
    char bits[64];
    int digits_bits = format_si(bps * 8, "bit/s", bits, sizeof bits);
    if (format_si(bps, "B/s", buf, len) > digits_bits) snprintf(buf, len, "%s", bits);
    return buf;
}

cJSON *conf_fields_to_json(const conf_field *fields, const void *in)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char b[64];
    for (const conf_field *f = fields; f->key; f++) {
        cJSON *v = NULL;
        switch (f->type) {
        case CONF_BOOL: v = cJSON_CreateBool(*CAT(in, f, bool)); break;
        case CONF_INT: v = cJSON_CreateNumber((double)*CAT(in, f, int64_t)); break;
        case CONF_DOUBLE: v = cJSON_CreateNumber(*CAT(in, f, double)); break;
        case CONF_DURATION: v = cJSON_CreateString(conf_format_duration(*CAT(in, f, sim_time_t), b, sizeof b)); break;
        case CONF_BYTES: v = cJSON_CreateString(conf_format_bytes(*CAT(in, f, uint64_t), b, sizeof b)); break;
        case CONF_BANDWIDTH: v = cJSON_CreateString(conf_format_bandwidth(*CAT(in, f, double), b, sizeof b)); break;
        case CONF_RATE:
            snprintf(b, sizeof b, "%.10g/s", *CAT(in, f, double));
            v = cJSON_CreateString(b);
            break;
        case CONF_PERCENT:
            snprintf(b, sizeof b, "%.10g%%", *CAT(in, f, double) * 100);
            v = cJSON_CreateString(b);
            break;
        case CONF_STRING:
        case CONF_REF: {
            const char *s = *CAT(in, f, char *);
            v = s ? cJSON_CreateString(s) : cJSON_CreateNull();
            break;
        }
        case CONF_ENUM: {
            int i = *CAT(in, f, int);
            size_t n = 0;
            while (f->enum_values && f->enum_values[n]) n++;
            v = i >= 0 && (size_t)i < n ? cJSON_CreateString(f->enum_values[i]) : cJSON_CreateNull();
            break;
        }
        case CONF_DIST_TIME:
        case CONF_DIST_BYTES:
            v = conf_dist_to_json(CAT(in, f, sim_dist), f->type == CONF_DIST_TIME ? CONF_UNIT_TIME : CONF_UNIT_BYTES);
            break;
        case CONF_REFLIST: {
            const conf_strlist *l = CAT(in, f, conf_strlist);
            v = cJSON_CreateArray();
            for (size_t i = 0; v && i < l->n; i++) {
                cJSON *s = cJSON_CreateString(l->v[i]);
                if (!s || !cJSON_AddItemToArray(v, s)) {
                    cJSON_Delete(s);
                    cJSON_Delete(v);
                    v = NULL;
                }
            }
            break;
        }
        case CONF_OBJECT: v = f->sub ? conf_fields_to_json(f->sub, CAT(in, f, char)) : cJSON_CreateObject(); break;
        case CONF_JSON: {
            const cJSON *j = *(const cJSON *const *)((const char *)in + f->offset);
            v = j ? cJSON_Duplicate(j, 1) : cJSON_CreateNull();
            break;
        }
        }
        if (!v || !cJSON_AddItemToObject(o, f->key, v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

static const char *type_doc(const conf_field *f, char *buf, size_t len)
{
    switch (f->type) {
    case CONF_BOOL: return "bool";
    case CONF_INT:
        if (has_range(f)) snprintf(buf, len, "integer, %.10g to %.10g", f->min, f->max);
        else snprintf(buf, len, "integer");
        return buf;
    case CONF_DOUBLE:
        if (has_range(f)) snprintf(buf, len, "number, %.10g to %.10g", f->min, f->max);
        else snprintf(buf, len, "number");
        return buf;
    case CONF_DURATION: return "duration";
    case CONF_BYTES: return "size";
    case CONF_BANDWIDTH: return "bandwidth";
    case CONF_RATE: return "rate";
    case CONF_PERCENT: return "percent";
    case CONF_STRING: return "string";
    case CONF_ENUM: {
        size_t used = (size_t)snprintf(buf, len, "one of");
        for (size_t i = 0; f->enum_values && f->enum_values[i] && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s `%s`", i ? "," : "", f->enum_values[i]);
        return buf;
    }
    case CONF_DIST_TIME: return "distribution (time)";
    case CONF_DIST_BYTES: return "distribution (size)";
    case CONF_REF: return "component id";
    case CONF_REFLIST: return "component id(s)";
    case CONF_OBJECT: return "object";
    case CONF_JSON: return "JSON";
    }
    return "?";
}

/* Markdown cells cannot hold '|' or newlines. */
static void put_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n') fputc(' ', f);
        else fputc(*s, f);
    }
}

static void markdown_rows(const conf_field *fields, const char *prefix, FILE *out)
{
    char tb[256];
    for (const conf_field *f = fields; f->key; f++) {
        char key[256];
        snprintf(key, sizeof key, "%s%s", prefix, f->key);
        fputs("| `", out);
        put_cell(out, key);
        fputs("` | ", out);
        put_cell(out, type_doc(f, tb, sizeof tb));
        fputs(" | ", out);
        if (f->type == CONF_OBJECT) fputs("see below", out);
        else if (f->def) {
            fputs("`", out);
            put_cell(out, f->def);
            fputs("`", out);
        } else fputs("required", out);
        fputs(" | ", out);
        put_cell(out, f->help ? f->help : "");
        fputs(" |\n", out);
        if (f->type == CONF_OBJECT && f->sub) {
            char sub[300];
            snprintf(sub, sizeof sub, "%s.", key);
            markdown_rows(f->sub, sub, out);
        }
    }
}

void conf_fields_markdown(const conf_field *fields, FILE *f)
{
    fputs("| key | type | default | meaning |\n|---|---|---|---|\n", f);
    markdown_rows(fields, "", f);
}
