/* app/conf_dist.c - distributions written in the scenario language:
 * "2ms", {"exp": "1ms"}, {"lognormal": {"mean": "2ms", "p99": "20ms"}},
 * {"empirical": "calib/ssd.json"}, ... (the forms are listed in app/conf.h
 * and docs/scenario.md). Parameters are checked here, with located messages
 * that say which parameter is wrong; sim/dist.c then builds the sampler. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "sim/errors.h"

#define EMPIRICAL_SCHEMA "cdnsim.empirical/1"
#define EMPIRICAL_MAX_POINTS 1000000

static const char *const families[] = {
    "const", "uniform", "exp", "normal", "lognormal", "gamma", "weibull", "pareto", "bounded_pareto", "empirical",
    NULL,
};

static const char *unit_example(conf_unit u)
{
    return u == CONF_UNIT_TIME ? "a duration like \"2ms\"" : u == CONF_UNIT_BYTES ? "a size like \"64KiB\"" : "a number";
}

static char *subpath(const char *jpath, const char *key)
{
    char *p = NULL;
    if (!jpath || !*jpath) return strdup(key);
    if (asprintf(&p, "%s.%s", jpath, key) < 0) return NULL;
    return p;
}

/* A value in the distribution's unit. `num_mult` > 0 lets plain numbers mean
 * that many base units each (an empirical table's "unit"); otherwise a plain
 * number is a value only for sizes (bytes) and unitless distributions, and
 * for durations only 0 is. */
static int read_value(const conf_doc *doc, const cJSON *n, const char *jpath, conf_unit unit, double num_mult,
                      double *out, conf_errors *errs)
{
    char b[96];
    if (cJSON_IsNumber(n) && isfinite(n->valuedouble)) {
        double v = n->valuedouble;
        if (num_mult > 0) {
            if (v < 0 && unit != CONF_UNIT_NONE) goto negative;
            *out = v * num_mult;
            return 0;
        }
        if (unit == CONF_UNIT_NONE) {
            *out = v;
            return 0;
        }
        if (v < 0) goto negative;
        if (unit == CONF_UNIT_BYTES || v == 0) {
            *out = v;
            return 0;
        }
        conf_error_at(errs, doc, n, jpath, "expected a duration with a unit like \"%gms\", found the bare number %s",
                      v, conf_found(n, b, sizeof b));
        return SIM_EPARSE;
    }
    if (cJSON_IsString(n) && unit != CONF_UNIT_NONE) {
        int r;
        if (unit == CONF_UNIT_TIME) {
            sim_time_t t;
            r = conf_parse_duration(n->valuestring, &t);
            if (!r) *out = (double)t;
        } else {
            uint64_t x;
            r = conf_parse_bytes(n->valuestring, &x);
            if (!r) *out = (double)x;
        }
        if (!r) return 0;
        if (r == SIM_ERANGE && strchr(n->valuestring, '-')) goto negative;
        if (r == SIM_ERANGE) conf_error_at(errs, doc, n, jpath, "value out of range: %s", conf_found(n, b, sizeof b));
        else conf_error_at(errs, doc, n, jpath, "expected %s, found %s", unit_example(unit), conf_found(n, b, sizeof b));
        return SIM_EPARSE;
    }
    conf_error_at(errs, doc, n, jpath, "expected %s, found %s", unit_example(unit), conf_found(n, b, sizeof b));
    return SIM_EPARSE;
negative:
    conf_error_at(errs, doc, n, jpath, "expected %s, found the negative value %s", unit_example(unit),
                  conf_found(n, b, sizeof b));
    return SIM_EPARSE;
}

/* A unitless parameter (shape, alpha, sigma, mu). */
static int read_plain(const conf_doc *doc, const cJSON *n, const char *jpath, int positive, double *out,
                      conf_errors *errs)
{
    char b[96];
    if (!cJSON_IsNumber(n) || !isfinite(n->valuedouble)) {
        conf_error_at(errs, doc, n, jpath, "expected a plain number, found %s", conf_found(n, b, sizeof b));
        return SIM_EPARSE;
    }
    if (positive && !(n->valuedouble > 0)) {
        conf_error_at(errs, doc, n, jpath, "must be greater than 0, found %s", conf_found(n, b, sizeof b));
        return SIM_EPARSE;
    }
    *out = n->valuedouble;
    return 0;
}

/* The members of a parameter object, each checked against `keys`. */
typedef struct {
    const cJSON *v[4];
    char *path[4];
} params;

static void params_free(params *p)
{
    for (int i = 0; i < 4; i++) free(p->path[i]);
}

static int get_params(const conf_doc *doc, const cJSON *obj, const char *jpath, const char *family,
                      const char *const *keys, const char *forms, params *p, conf_errors *errs)
{
    char b[96];
    memset(p, 0, sizeof *p);
    size_t nk = 0;
    while (keys[nk]) nk++;
    if (!cJSON_IsObject(obj)) {
        conf_error_at(errs, doc, obj, jpath, "expected the %s parameters as an object like %s, found %s", family,
                      forms, conf_found(obj, b, sizeof b));
        return SIM_EPARSE;
    }
    int bad = 0;
    for (const cJSON *m = obj->child; m; m = m->next) {
        size_t k = 0;
        while (k < nk && strcmp(keys[k], m->string)) k++;
        char *kp = subpath(jpath, m->string);
        if (k == nk) {
            const char *dym = conf_did_you_mean(m->string, keys, nk);
            if (dym) conf_error_at_key(errs, doc, m, kp, "unknown %s parameter (did you mean \"%s\"?)", family, dym);
            else conf_error_at_key(errs, doc, m, kp, "unknown %s parameter (expected %s)", family, forms);
            bad = 1;
            free(kp);
            continue;
        }
        p->v[k] = m;
        free(p->path[k]);
        p->path[k] = kp;
    }
    for (size_t k = 0; k < nk; k++)
        if (!p->path[k]) p->path[k] = subpath(jpath, keys[k]);
    return bad ? SIM_EPARSE : 0;
}

static int constructed(const conf_doc *doc, const cJSON *at, const char *jpath, const char *family, int r,
                       conf_errors *errs)
{
    if (!r) return 0;
    if (r == SIM_ENOMEM) conf_error_at(errs, doc, at, jpath, "out of memory");
    else conf_error_at(errs, doc, at, jpath, "invalid %s parameters (%s)", family, sim_strerror(r));
    return SIM_EPARSE;
}

/* ---- empirical tables --------------------------------------------------- */

/* The multiplier of a unit name in the distribution's dimension, via the
 * unit parsers ("1" + unit). */
static int unit_mult(conf_unit unit, const char *name, double *mult)
{
    char buf[32];
    if (strlen(name) > 16 || !*name) return SIM_EPARSE;
    snprintf(buf, sizeof buf, "1%s", name);
    if (unit == CONF_UNIT_TIME) {
        sim_time_t t;
        if (conf_parse_duration(buf, &t) || t <= 0) return SIM_EPARSE;
        *mult = (double)t;
        return 0;
    }
    if (unit == CONF_UNIT_BYTES) {
        uint64_t x;
        if (conf_parse_bytes(buf, &x) || !x) return SIM_EPARSE;
        *mult = (double)x;
        return 0;
    }
    return SIM_EPARSE;
}

static int read_prob(const conf_doc *doc, const cJSON *n, const char *jpath, double *p, conf_errors *errs)
{
    char b[96];
    if (cJSON_IsNumber(n) && n->valuedouble >= 0 && n->valuedouble <= 1) {
        *p = n->valuedouble;
        return 0;
    }
    if (cJSON_IsString(n) && !conf_parse_percent(n->valuestring, p)) return 0;
    conf_error_at(errs, doc, n, jpath, "expected a probability from 0 to 1 (or a percentage like \"99%%\"), found %s",
                  conf_found(n, b, sizeof b));
    return SIM_EPARSE;
}

static const char *const table_keys[] = { "schema", "unit", "quantiles", "histogram", "source", "description", NULL };

/* Reads {"unit": .., "quantiles": [[p, x], ..]} or {.., "histogram":
 * [[lo, hi, w], ..]} from `doc` (the scenario, or an empirical file). */
static int read_table(const conf_doc *doc, const cJSON *obj, const char *jpath, conf_unit unit, int need_schema,
                      sim_dist *out, conf_errors *errs)
{
    char b[96];
    char *kp = NULL;
    int bad = 0;
    if (!cJSON_IsObject(obj)) {
        conf_error_at(errs, doc, obj, jpath, "expected an empirical table {\"quantiles\": [[p, x], ...]} or "
                      "{\"histogram\": [[low, high, weight], ...]}, found %s", conf_found(obj, b, sizeof b));
        return SIM_EPARSE;
    }
    const cJSON *schema = NULL, *unit_n = NULL, *q = NULL, *h = NULL;
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (m->string[0] == '_') continue;
        if (!strcmp(m->string, "schema")) schema = m;
        else if (!strcmp(m->string, "unit")) unit_n = m;
        else if (!strcmp(m->string, "quantiles")) q = m;
        else if (!strcmp(m->string, "histogram")) h = m;
        else if (!strcmp(m->string, "source") || !strcmp(m->string, "description")) continue;
        else {
            const char *dym = conf_did_you_mean(m->string, table_keys, 6);
            kp = subpath(jpath, m->string);
            if (dym) conf_error_at_key(errs, doc, m, kp, "unknown key (did you mean \"%s\"?)", dym);
            else conf_error_at_key(errs, doc, m, kp, "unknown key (expected schema, unit, quantiles or histogram)");
            free(kp);
            bad = 1;
        }
    }
    if (need_schema && !schema) {
        conf_error_at(errs, doc, obj, jpath, "missing \"schema\": \"" EMPIRICAL_SCHEMA "\" (an empirical file "
                      "says what it is)");
        bad = 1;
    } else if (schema && (!cJSON_IsString(schema) || strcmp(schema->valuestring, EMPIRICAL_SCHEMA))) {
        kp = subpath(jpath, "schema");
        conf_error_at(errs, doc, schema, kp, "expected \"" EMPIRICAL_SCHEMA "\", found %s",
                      conf_found(schema, b, sizeof b));
        free(kp);
        bad = 1;
    }
    double mult = 0;
    if (unit_n) {
        kp = subpath(jpath, "unit");
        if (!cJSON_IsString(unit_n) || unit_mult(unit, unit_n->valuestring, &mult)) {
            conf_error_at(errs, doc, unit_n, kp, "expected %s, found %s",
                          unit == CONF_UNIT_TIME ? "a time unit (ns, us, ms, s, min, h)"
                          : unit == CONF_UNIT_BYTES ? "a size unit (B, KB, MB, GB, KiB, MiB, GiB, ...)"
                          : "no unit (this distribution is unitless)",
                          conf_found(unit_n, b, sizeof b));
            free(kp);
            return SIM_EPARSE; /* every value would be wrong too: say it once */
        }
        free(kp);
    }
    if ((q && h) || (!q && !h)) {
        conf_error_at(errs, doc, obj, jpath, q ? "give either \"quantiles\" or \"histogram\", not both"
                      : "missing \"quantiles\": [[p, x], ...] or \"histogram\": [[low, high, weight], ...]");
        return SIM_EPARSE;
    }
    const cJSON *tab = q ? q : h;
    const char *tname = q ? "quantiles" : "histogram";
    char *tp = subpath(jpath, tname);
    int n = cJSON_IsArray(tab) ? cJSON_GetArraySize(tab) : -1;
    int min_n = q ? 2 : 1;
    if (n < min_n || n > EMPIRICAL_MAX_POINTS) {
        conf_error_at(errs, doc, tab, tp, q ? "expected a list of at least 2 points [p, x] (from p = 0 to p = 1), "
                      "found %s" : "expected a list of at least 1 bin [low, high, weight], found %s",
                      conf_found(tab, b, sizeof b));
        free(tp);
        return SIM_EPARSE;
    }
    double *c0 = malloc((size_t)n * sizeof *c0), *c1 = malloc((size_t)n * sizeof *c1);
    double *c2 = malloc((size_t)n * sizeof *c2);
    if (!c0 || !c1 || !c2) {
        free(c0), free(c1), free(c2), free(tp);
        conf_error_at(errs, doc, tab, jpath, "out of memory");
        return SIM_EPARSE;
    }
    int i = 0;
    double wsum = 0;
    for (const cJSON *row = tab->child; row; row = row->next, i++) {
        char rp[512], ep[560];
        snprintf(rp, sizeof rp, "%s[%d]", tp, i);
        int want = q ? 2 : 3;
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != want) {
            conf_error_at(errs, doc, row, rp, "expected %s, found %s", q ? "a pair [p, x]" : "a triple [low, high, weight]",
                          conf_found(row, b, sizeof b));
            bad = 1;
            continue;
        }
        const cJSON *e0 = row->child, *e1 = e0->next;
        snprintf(ep, sizeof ep, "%s[0]", rp);
        if (q) {
            if (read_prob(doc, e0, ep, &c0[i], errs)) {
                bad = 1;
                continue;
            }
            snprintf(ep, sizeof ep, "%s[1]", rp);
            if (read_value(doc, e1, ep, unit, mult, &c1[i], errs)) {
                bad = 1;
                continue;
            }
            if (i == 0 && c0[0] != 0) {
                snprintf(ep, sizeof ep, "%s[0]", rp);
                conf_error_at(errs, doc, e0, ep, "the first point must be at p = 0 (the minimum), found %s",
                              conf_found(e0, b, sizeof b));
                bad = 1;
            }
            if (i == n - 1 && c0[i] != 1) {
                snprintf(ep, sizeof ep, "%s[0]", rp);
                conf_error_at(errs, doc, e0, ep, "the last point must be at p = 1 (the maximum), found %s",
                              conf_found(e0, b, sizeof b));
                bad = 1;
            }
            if (i > 0 && !bad && !(c0[i] > c0[i - 1])) {
                snprintf(ep, sizeof ep, "%s[0]", rp);
                conf_error_at(errs, doc, e0, ep, "probabilities must increase: %g after %g", c0[i], c0[i - 1]);
                bad = 1;
            }
            if (i > 0 && !bad && !(c1[i] >= c1[i - 1])) {
                snprintf(ep, sizeof ep, "%s[1]", rp);
                conf_error_at(errs, doc, e1, ep, "values must not decrease as p grows: %s comes after a larger value",
                              conf_found(e1, b, sizeof b));
                bad = 1;
            }
        } else {
            const cJSON *e2 = e1->next;
            if (read_value(doc, e0, ep, unit, mult, &c0[i], errs)) bad = 1;
            snprintf(ep, sizeof ep, "%s[1]", rp);
            if (read_value(doc, e1, ep, unit, mult, &c1[i], errs)) bad = 1;
            snprintf(ep, sizeof ep, "%s[2]", rp);
            if (!cJSON_IsNumber(e2) || !isfinite(e2->valuedouble) || e2->valuedouble < 0) {
                conf_error_at(errs, doc, e2, ep, "expected a weight >= 0, found %s", conf_found(e2, b, sizeof b));
                bad = 1;
                continue;
            }
            c2[i] = e2->valuedouble;
            wsum += c2[i];
            if (!bad && !(c0[i] <= c1[i])) {
                conf_error_at(errs, doc, row, rp, "the bin's low end is above its high end");
                bad = 1;
            }
        }
    }
    if (!bad && h && !(wsum > 0)) {
        conf_error_at(errs, doc, tab, tp, "all weights are 0");
        bad = 1;
    }
    int r = 0;
    if (!bad) {
        r = q ? sim_dist_empirical_quantiles(out, c0, c1, (size_t)n)
              : sim_dist_empirical_histogram(out, c0, c1, c2, (size_t)n);
        r = constructed(doc, tab, tp, "empirical", r, errs);
    }
    free(c0), free(c1), free(c2), free(tp);
    return bad ? SIM_EPARSE : r;
}

static int read_empirical(const conf_doc *doc, const cJSON *v, const char *jpath, conf_unit unit, sim_dist *out,
                          conf_errors *errs)
{
    char b[96];
    if (cJSON_IsObject(v)) return read_table(doc, v, jpath, unit, 0, out, errs);
    if (!cJSON_IsString(v) || !v->valuestring[0]) {
        conf_error_at(errs, doc, v, jpath, "expected a file name like \"calib/ssd.json\" or a table {\"quantiles\": "
                      "[[p, x], ...]}, found %s", conf_found(v, b, sizeof b));
        return SIM_EPARSE;
    }
    /* Relative to the directory of the file that names it. */
    char *path = NULL;
    const char *dir = doc && doc->dir ? doc->dir : ".";
    int w = v->valuestring[0] == '/' || !strcmp(dir, ".") ? asprintf(&path, "%s", v->valuestring)
                                                          : asprintf(&path, "%s/%s", dir, v->valuestring);
    if (w < 0) return SIM_ENOMEM;
    conf_doc edoc;
    conf_errors le;
    conf_errors_init(&le);
    int r = conf_doc_load(&edoc, path, &le);
    if (r == SIM_ENOENT || r == SIM_EIO) {
        conf_error_at(errs, doc, v, jpath, "cannot read the empirical file %s: %s", path,
                      r == SIM_ENOENT ? "no such file" : "read error");
    } else {
        /* Syntax errors are located in the empirical file itself. */
        for (size_t i = 0; i < le.n; i++) conf_errors_add(errs, "%s", le.msgs[i]);
        if (!r) r = read_table(&edoc, edoc.root, "", unit, 1, out, errs);
        if (r) conf_error_at(errs, doc, v, jpath, "the empirical file %s is invalid (see above)", path);
    }
    conf_errors_free(&le);
    conf_doc_free(&edoc);
    free(path);
    return r ? SIM_EPARSE : 0;
}

/* ---- the families ------------------------------------------------------- */

int conf_read_dist(const conf_doc *doc, const cJSON *node, const char *jpath, conf_unit unit, sim_dist *out,
                   conf_errors *errs)
{
    char b[96];
    double x, y, z;
    int r;
    memset(out, 0, sizeof *out);
    if (!node) {
        conf_error_at(errs, doc, node, jpath, "missing distribution");
        return SIM_EPARSE;
    }
    if (!cJSON_IsObject(node)) {
        /* A plain value is a constant. */
        if ((cJSON_IsNumber(node) || cJSON_IsString(node))) {
            if (read_value(doc, node, jpath, unit, 0, &x, errs)) return SIM_EPARSE;
            return constructed(doc, node, jpath, "const", sim_dist_const(out, x), errs);
        }
        conf_error_at(errs, doc, node, jpath, "expected %s or a distribution like {\"exp\": %s}, found %s",
                      unit_example(unit), unit == CONF_UNIT_BYTES ? "\"64KiB\"" : unit == CONF_UNIT_TIME ? "\"1ms\"" : "2",
                      conf_found(node, b, sizeof b));
        return SIM_EPARSE;
    }
    /* Keys that start with '_' are comments, as everywhere in a scenario
     * (`show` writes "_mean" and "_p99" beside a lognormal). */
    size_t nmem = 0;
    const cJSON *m = NULL;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (c->string[0] == '_') continue;
        nmem++;
        m = c;
    }
    if (nmem != 1) {
        conf_error_at(errs, doc, node, jpath, "a distribution is an object with one key naming its family (const, "
                      "uniform, exp, normal, lognormal, gamma, weibull, pareto, bounded_pareto, empirical), found %zu keys",
                      nmem);
        return SIM_EPARSE;
    }
    const char *fam = m->string;
    char *fp = subpath(jpath, fam);
    if (!fp) return SIM_ENOMEM;
    params p;
    memset(&p, 0, sizeof p);
    r = SIM_EPARSE;
    if (!strcmp(fam, "const")) {
        if (!read_value(doc, m, fp, unit, 0, &x, errs))
            r = constructed(doc, m, fp, fam, sim_dist_const(out, x), errs);
    } else if (!strcmp(fam, "exp")) {
        static const char *const k[] = { "mean", "rate", NULL };
        if (!cJSON_IsObject(m)) {
            if (!read_value(doc, m, fp, unit, 0, &x, errs)) {
                if (!(x > 0)) conf_error_at(errs, doc, m, fp, "the mean must be greater than 0");
                else r = constructed(doc, m, fp, fam, sim_dist_exp(out, x), errs);
            }
        } else if (!get_params(doc, m, fp, fam, k, "{\"mean\": \"1ms\"} or {\"rate\": \"1000/s\"}", &p, errs)) {
            if (!!p.v[0] == !!p.v[1]) {
                conf_error_at(errs, doc, m, fp, "give exactly one of \"mean\" or \"rate\"");
            } else if (p.v[0]) {
                if (!read_value(doc, p.v[0], p.path[0], unit, 0, &x, errs)) {
                    if (!(x > 0)) conf_error_at(errs, doc, p.v[0], p.path[0], "the mean must be greater than 0");
                    else r = constructed(doc, m, fp, fam, sim_dist_exp(out, x), errs);
                }
            } else if (unit != CONF_UNIT_TIME && !cJSON_IsNumber(p.v[1])) {
                conf_error_at(errs, doc, p.v[1], p.path[1], "a rate is only meaningful for times; give the mean");
            } else {
                double rate = 0;
                int rr = cJSON_IsString(p.v[1]) ? conf_parse_rate(p.v[1]->valuestring, &rate)
                         : cJSON_IsNumber(p.v[1]) ? (rate = p.v[1]->valuedouble, 0) : SIM_EPARSE;
                if (rr || !(rate > 0) || !isfinite(rate)) {
                    conf_error_at(errs, doc, p.v[1], p.path[1], "expected a rate above 0 like \"1000/s\", found %s",
                                  conf_found(p.v[1], b, sizeof b));
                } else {
                    /* events per second -> mean gap in the unit */
                    double mean = unit == CONF_UNIT_TIME ? 1e9 / rate : 1.0 / rate;
                    r = constructed(doc, m, fp, fam, sim_dist_exp(out, mean), errs);
                }
            }
        }
    } else if (!strcmp(fam, "uniform")) {
        static const char *const k[] = { "low", "high", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"low\": .., \"high\": ..}", &p, errs)) {
            if (!p.v[0] || !p.v[1]) {
                conf_error_at(errs, doc, m, fp, "missing \"%s\" (uniform needs low and high)", p.v[0] ? "high" : "low");
            } else if (!read_value(doc, p.v[0], p.path[0], unit, 0, &x, errs) &&
                       !read_value(doc, p.v[1], p.path[1], unit, 0, &y, errs)) {
                if (x > y) conf_error_at(errs, doc, p.v[1], p.path[1], "high must not be below low");
                else r = constructed(doc, m, fp, fam, sim_dist_uniform(out, x, y), errs);
            }
        }
    } else if (!strcmp(fam, "normal")) {
        static const char *const k[] = { "mean", "sd", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"mean\": .., \"sd\": ..}", &p, errs)) {
            if (!p.v[0] || !p.v[1]) {
                conf_error_at(errs, doc, m, fp, "missing \"%s\" (normal needs mean and sd)", p.v[0] ? "sd" : "mean");
            } else if (!read_value(doc, p.v[0], p.path[0], unit, 0, &x, errs) &&
                       !read_value(doc, p.v[1], p.path[1], unit, 0, &y, errs)) {
                if (!(y > 0)) conf_error_at(errs, doc, p.v[1], p.path[1], "sd must be greater than 0");
                else r = constructed(doc, m, fp, fam, sim_dist_normal(out, x, y), errs);
            }
        }
    } else if (!strcmp(fam, "lognormal")) {
        static const char *const k[] = { "mean", "p99", "sd", "mu", "sigma", NULL };
        const double z99 = gsl_cdf_ugaussian_Pinv(0.99);
        const char *forms = "{\"mean\": .., \"p99\": ..}, {\"mean\": .., \"sd\": ..} or {\"mu\": .., \"sigma\": ..}";
        /* five keys: more than a params block holds */
        const cJSON *v[5] = { 0 };
        char *vp[5] = { 0 };
        if (!cJSON_IsObject(m)) {
            conf_error_at(errs, doc, m, fp, "expected the lognormal parameters as an object like %s, found %s", forms,
                          conf_found(m, b, sizeof b));
        } else {
            int bad = 0;
            for (const cJSON *c = m->child; c; c = c->next) {
                int i = 0;
                while (k[i] && strcmp(k[i], c->string)) i++;
                char *kp = subpath(fp, c->string);
                if (!k[i]) {
                    const char *dym = conf_did_you_mean(c->string, k, 5);
                    if (dym) conf_error_at_key(errs, doc, c, kp, "unknown lognormal parameter (did you mean \"%s\"?)", dym);
                    else conf_error_at_key(errs, doc, c, kp, "unknown lognormal parameter (expected %s)", forms);
                    bad = 1;
                    free(kp);
                    continue;
                }
                v[i] = c;
                free(vp[i]);
                vp[i] = kp;
            }
            if (!bad) {
                int mean_p99 = v[0] && v[1] && !v[2] && !v[3] && !v[4];
                int mean_sd = v[0] && v[2] && !v[1] && !v[3] && !v[4];
                int mu_sigma = v[3] && v[4] && !v[0] && !v[1] && !v[2];
                if (mean_p99) {
                    if (!read_value(doc, v[0], vp[0], unit, 0, &x, errs) &&
                        !read_value(doc, v[1], vp[1], unit, 0, &y, errs)) {
                        if (!(x > 0)) conf_error_at(errs, doc, v[0], vp[0], "the mean must be greater than 0");
                        else if (!(y > x))
                            conf_error_at(errs, doc, v[1], vp[1], "p99 must be above the mean for a lognormal");
                        else if (log(y / x) >= z99 * z99 / 2)
                            /* ln(p99/mean) = z s - s^2/2 peaks at z^2/2: no lognormal lies beyond */
                            conf_error_at(errs, doc, v[1], vp[1], "p99 is too far above the mean: a lognormal "
                                          "has p99 < %.2f x mean", exp(z99 * z99 / 2));
                        else r = constructed(doc, m, fp, fam, sim_dist_lognormal_mean_p99(out, x, y), errs);
                    }
                } else if (mean_sd) {
                    if (!read_value(doc, v[0], vp[0], unit, 0, &x, errs) &&
                        !read_value(doc, v[2], vp[2], unit, 0, &y, errs)) {
                        if (!(x > 0)) conf_error_at(errs, doc, v[0], vp[0], "the mean must be greater than 0");
                        else if (!(y > 0)) conf_error_at(errs, doc, v[2], vp[2], "sd must be greater than 0");
                        else r = constructed(doc, m, fp, fam, sim_dist_lognormal_mean_sd(out, x, y), errs);
                    }
                } else if (mu_sigma) {
                    if (!read_plain(doc, v[3], vp[3], 0, &x, errs) && !read_plain(doc, v[4], vp[4], 1, &y, errs))
                        r = constructed(doc, m, fp, fam, sim_dist_lognormal(out, x, y), errs);
                } else {
                    conf_error_at(errs, doc, m, fp, "expected one of the parameter sets %s", forms);
                }
            }
        }
        for (int i = 0; i < 5; i++) free(vp[i]);
    } else if (!strcmp(fam, "gamma")) {
        static const char *const k[] = { "shape", "scale", "mean", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"shape\": 2, \"scale\": ..} or {\"shape\": 2, \"mean\": ..}", &p, errs)) {
            if (!p.v[0] || !!p.v[1] == !!p.v[2]) {
                conf_error_at(errs, doc, m, fp, "gamma needs \"shape\" and one of \"scale\" or \"mean\"");
            } else if (!read_plain(doc, p.v[0], p.path[0], 1, &x, errs)) {
                int i = p.v[1] ? 1 : 2;
                if (!read_value(doc, p.v[i], p.path[i], unit, 0, &y, errs)) {
                    if (!(y > 0)) conf_error_at(errs, doc, p.v[i], p.path[i], "must be greater than 0");
                    else r = constructed(doc, m, fp, fam, sim_dist_gamma(out, x, i == 1 ? y : y / x), errs);
                }
            }
        }
    } else if (!strcmp(fam, "weibull")) {
        static const char *const k[] = { "shape", "scale", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"shape\": 1.5, \"scale\": ..}", &p, errs)) {
            if (!p.v[0] || !p.v[1]) {
                conf_error_at(errs, doc, m, fp, "missing \"%s\" (weibull needs shape and scale)", p.v[0] ? "scale" : "shape");
            } else if (!read_plain(doc, p.v[0], p.path[0], 1, &x, errs) &&
                       !read_value(doc, p.v[1], p.path[1], unit, 0, &y, errs)) {
                if (!(y > 0)) conf_error_at(errs, doc, p.v[1], p.path[1], "must be greater than 0");
                else r = constructed(doc, m, fp, fam, sim_dist_weibull(out, y, x), errs);
            }
        }
    } else if (!strcmp(fam, "pareto")) {
        static const char *const k[] = { "alpha", "min", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"alpha\": 1.5, \"min\": ..}", &p, errs)) {
            if (!p.v[0] || !p.v[1]) {
                conf_error_at(errs, doc, m, fp, "missing \"%s\" (pareto needs alpha and min)", p.v[0] ? "min" : "alpha");
            } else if (!read_plain(doc, p.v[0], p.path[0], 1, &x, errs) &&
                       !read_value(doc, p.v[1], p.path[1], unit, 0, &y, errs)) {
                if (!(y > 0)) conf_error_at(errs, doc, p.v[1], p.path[1], "must be greater than 0");
                else r = constructed(doc, m, fp, fam, sim_dist_pareto(out, x, y), errs);
            }
        }
    } else if (!strcmp(fam, "bounded_pareto")) {
        static const char *const k[] = { "alpha", "low", "high", NULL };
        if (!get_params(doc, m, fp, fam, k, "{\"alpha\": 1.2, \"low\": .., \"high\": ..}", &p, errs)) {
            if (!p.v[0] || !p.v[1] || !p.v[2]) {
                conf_error_at(errs, doc, m, fp, "missing \"%s\" (bounded_pareto needs alpha, low and high)",
                              !p.v[0] ? "alpha" : !p.v[1] ? "low" : "high");
            } else if (!read_plain(doc, p.v[0], p.path[0], 1, &x, errs) &&
                       !read_value(doc, p.v[1], p.path[1], unit, 0, &y, errs) &&
                       !read_value(doc, p.v[2], p.path[2], unit, 0, &z, errs)) {
                if (!(y > 0)) conf_error_at(errs, doc, p.v[1], p.path[1], "must be greater than 0");
                else if (!(z > y)) conf_error_at(errs, doc, p.v[2], p.path[2], "high must be above low");
                else r = constructed(doc, m, fp, fam, sim_dist_bounded_pareto(out, x, y, z), errs);
            }
        }
    } else if (!strcmp(fam, "empirical")) {
        r = read_empirical(doc, m, fp, unit, out, errs);
    } else {
        const char *dym = conf_did_you_mean(fam, families, 10);
        if (dym) conf_error_at_key(errs, doc, m, fp, "unknown distribution (did you mean \"%s\"?)", dym);
        else conf_error_at_key(errs, doc, m, fp, "unknown distribution (known: const, uniform, exp, normal, lognormal, "
                               "gamma, weibull, pareto, bounded_pareto, empirical)");
    }
    params_free(&p);
    free(fp);
    if (r) {
        sim_dist_free(out);
        memset(out, 0, sizeof *out);
        return r == SIM_ENOMEM ? SIM_ENOMEM : SIM_EPARSE;
    }
    return 0;
}

void conf_dist_release(sim_dist *d)
{
    if (!d) return;
    sim_dist_free(d);
    memset(d, 0, sizeof *d);
}

/* ---- back to the language ----------------------------------------------- */

static cJSON *value_json(double x, conf_unit unit)
{
    char b[64];
    if (unit == CONF_UNIT_NONE) return cJSON_CreateNumber(x);
    if (unit == CONF_UNIT_TIME) {
        if (x >= 0 && x < 9.2e18 && x == floor(x)) return cJSON_CreateString(conf_format_duration((sim_time_t)x, b, sizeof b));
        snprintf(b, sizeof b, "%.9gns", x);
        return cJSON_CreateString(b);
    }
    if (x >= 0 && x < 1.8e19 && x == floor(x)) return cJSON_CreateString(conf_format_bytes((uint64_t)x, b, sizeof b));
    snprintf(b, sizeof b, "%.9gB", x);
    return cJSON_CreateString(b);
}

static cJSON *wrap(const char *family, cJSON *params)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !params || !cJSON_AddItemToObject(o, family, params)) {
        cJSON_Delete(o);
        cJSON_Delete(params);
        return NULL;
    }
    return o;
}

static cJSON *obj2(const char *k1, cJSON *v1, const char *k2, cJSON *v2, const char *k3, cJSON *v3)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && v1 && v2 && (!k3 || v3);
    ok = ok && cJSON_AddItemToObject(o, k1, v1);
    if (!ok) cJSON_Delete(v1);
    ok = ok && cJSON_AddItemToObject(o, k2, v2);
    if (!ok) cJSON_Delete(v2);
    if (k3) {
        ok = ok && cJSON_AddItemToObject(o, k3, v3);
        if (!ok) cJSON_Delete(v3);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *conf_dist_to_json(const sim_dist *d, conf_unit u)
{
    char b[256];
    switch (d->kind) {
    case SIM_DIST_CONST: return value_json(d->a, u);
    case SIM_DIST_EXP: return wrap("exp", value_json(d->a, u));
    case SIM_DIST_UNIFORM: return wrap("uniform", obj2("low", value_json(d->a, u), "high", value_json(d->b, u), NULL, NULL));
    case SIM_DIST_NORMAL: return wrap("normal", obj2("mean", value_json(d->a, u), "sd", value_json(d->b, u), NULL, NULL));
    case SIM_DIST_LOGNORMAL: {
        /* mu and sigma read back exactly; "_mean" and "_p99" (comments: the
         * parser skips keys that start with '_') say what they mean, in the
         * form a scenario usually gives them, rounded to whole ns or bytes. */
        cJSON *o = wrap("lognormal", obj2("mu", cJSON_CreateNumber(d->a), "sigma", cJSON_CreateNumber(d->b), NULL,
                                          NULL));
        if (o && u != CONF_UNIT_NONE) {
            cJSON *m = value_json(nearbyint(sim_dist_mean(d)), u);
            cJSON *q = value_json(nearbyint(sim_dist_quantile(d, 0.99)), u);
            if (!m || !cJSON_AddItemToObject(o, "_mean", m)) cJSON_Delete(m);
            if (!q || !cJSON_AddItemToObject(o, "_p99", q)) cJSON_Delete(q);
        }
        return o;
    }
    case SIM_DIST_GAMMA:
        return wrap("gamma", obj2("shape", cJSON_CreateNumber(d->a), "scale", value_json(d->b, u), NULL, NULL));
    case SIM_DIST_WEIBULL:
        return wrap("weibull", obj2("shape", cJSON_CreateNumber(d->b), "scale", value_json(d->a, u), NULL, NULL));
    case SIM_DIST_PARETO:
        return wrap("pareto", obj2("alpha", cJSON_CreateNumber(d->a), "min", value_json(d->b, u), NULL, NULL));
    case SIM_DIST_BPARETO:
        return wrap("bounded_pareto", obj2("alpha", cJSON_CreateNumber(d->a), "low", value_json(d->b, u), "high",
                                           value_json(d->c, u)));
    case SIM_DIST_EMPIRICAL:
        sim_dist_describe(d, b, sizeof b);
        return wrap("empirical", cJSON_CreateString(b));
    }
    return cJSON_CreateNull();
}
