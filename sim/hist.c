/* sim/hist.c - log-linear histogram with bounded relative error.
 *
 * Bucket layout. A value v < 2^(SUB_BITS+1) has its own bucket (index v).
 * Above that, let k = floor(log2 v) and s = k - SUB_BITS (>= 1): the top
 * SUB_BITS+1 bits of v, i.e. v >> s, lie in [SUB, 2 SUB), and the bucket index
 * is s * SUB + (v >> s). Consecutive powers of two therefore occupy
 * consecutive runs of SUB indices, indices are monotone in v, and a bucket
 * with shift s holds the 2^s values [(v >> s) << s, ... + 2^s - 1].
 *
 * Error bound. For s >= 1 the bucket's lower bound is at least 2^(s+SUB_BITS)
 * and its width is 2^s, so any value in it is within (2^s - 1) / 2 of the
 * midpoint: a relative error below 2^(s-1) / 2^(s+SUB_BITS) = 2^-(SUB_BITS+1).
 * (Above 2^53 the midpoint itself is rounded to a double, which can bring the
 * error up to the bound exactly, never past it.)
 * Buckets are ordered like values, so the bucket holding the r-th smallest
 * bucketed value is the bucket holding the r-th smallest value; the quantile
 * is thus within that bound of the exact order statistic.
 */
#include "sim/hist.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

/* Largest integer a double (and so a JSON number in most readers) holds
 * exactly: 2^53. */
#define EXACT_DOUBLE_INT 9007199254740992.0

size_t sim_hist_bucket_of(int64_t v)
{
    if (v < (int64_t)(2 * SIM_HIST_SUB)) return v < 0 ? 0 : (size_t)v;
    unsigned k = 63u - (unsigned)__builtin_clzll((uint64_t)v);
    unsigned s = k - SIM_HIST_SUB_BITS;
    return (size_t)s * SIM_HIST_SUB + (size_t)((uint64_t)v >> s);
}

void sim_hist_bucket_range(size_t b, int64_t *lo, int64_t *hi)
{
    int64_t l, u;
    if (b < 2 * SIM_HIST_SUB) {
        l = u = (int64_t)b;
    } else {
        size_t s = b / SIM_HIST_SUB - 1;
        uint64_t top = (uint64_t)(b % SIM_HIST_SUB) + SIM_HIST_SUB; /* v >> s */
        /* top < 2^(SUB_BITS+1): the bucket exists in int64_t only when
         * top << s stays below 2^63. */
        if (b >= SIM_HIST_BUCKETS || s + SIM_HIST_SUB_BITS + 1 > 63) {
            l = u = INT64_MAX;
        } else {
            uint64_t base = top << s;
            l = (int64_t)base;
            u = (int64_t)(base + ((uint64_t)1 << s) - 1);
        }
    }
    if (lo) *lo = l;
    if (hi) *hi = u;
}

int sim_hist_init(sim_hist *h)
{
    memset(h, 0, sizeof *h);
    h->buckets = calloc(SIM_HIST_BUCKETS, sizeof *h->buckets);
    return h->buckets ? 0 : SIM_ENOMEM;
}

void sim_hist_free(sim_hist *h)
{
    free(h->buckets);
    h->buckets = NULL;
    h->count = 0;
}

void sim_hist_reset(sim_hist *h)
{
    if (h->count > 0 && h->buckets) {
        size_t b0 = sim_hist_bucket_of(h->min), b1 = sim_hist_bucket_of(h->max);
        memset(h->buckets + b0, 0, (b1 - b0 + 1) * sizeof *h->buckets);
    }
    h->count = 0;
    h->min = h->max = 0;
    h->sum = h->sumsq = 0.0;
    h->shift = 0;
    h->dsum = h->dsumsq = 0.0;
}

void sim_hist_record_n(sim_hist *h, int64_t v, uint64_t n)
{
    if (n == 0) return;
    if (v < 0) v = 0;
    if (h->count == 0) {
        h->min = h->max = v;
        h->shift = v;
    } else {
        if (v < h->min) h->min = v;
        if (v > h->max) h->max = v;
    }
    h->buckets[sim_hist_bucket_of(v)] += n;
    h->count += n;
    double dv = (double)v, dn = (double)n;
    double d = (double)(v - h->shift); /* both >= 0: no overflow */
    h->sum += dv * dn;
    h->sumsq += dv * dv * dn;
    h->dsum += d * dn;
    h->dsumsq += d * d * dn;
}

void sim_hist_record(sim_hist *h, int64_t v)
{
    sim_hist_record_n(h, v, 1);
}

void sim_hist_merge(sim_hist *dst, const sim_hist *src)
{
    if (src->count == 0) return;
    /* Read everything from src before writing dst: they may be the same. */
    uint64_t sn = src->count;
    int64_t smin = src->min, smax = src->max, sshift = src->shift;
    double ssum = src->sum, ssumsq = src->sumsq, sdsum = src->dsum, sdsumsq = src->dsumsq;
    size_t b0 = sim_hist_bucket_of(smin), b1 = sim_hist_bucket_of(smax);
    for (size_t b = b0; b <= b1; b++) dst->buckets[b] += src->buckets[b];
    if (dst->count == 0) {
        dst->min = smin;
        dst->max = smax;
        dst->shift = sshift;
        dst->dsum = sdsum;
        dst->dsumsq = sdsumsq;
    } else {
        if (smin < dst->min) dst->min = smin;
        if (smax > dst->max) dst->max = smax;
        /* Re-centre src's shifted sums on dst's shift:
         *   sum (v - K2)   = sum (v - K1) + n (K1 - K2)
         *   sum (v - K2)^2 = sum (v - K1)^2 + 2 (K1 - K2) sum (v - K1) + n (K1 - K2)^2 */
        double delta = (double)sshift - (double)dst->shift, dn = (double)sn;
        dst->dsum += sdsum + dn * delta;
        dst->dsumsq += sdsumsq + 2.0 * delta * sdsum + dn * delta * delta;
    }
    dst->count += sn;
    dst->sum += ssum;
    dst->sumsq += ssumsq;
}

/* Midpoint of bucket b clamped to [min, max]. */
static double bucket_value(const sim_hist *h, size_t b)
{
    int64_t lo, hi;
    sim_hist_bucket_range(b, &lo, &hi);
    double mid = (double)lo + (double)(hi - lo) / 2.0;
    if (mid < (double)h->min) return (double)h->min;
    if (mid > (double)h->max) return (double)h->max;
    return mid;
}

/* Nearest rank r = ceil(q n) in [1, n]. q n is computed in floating point;
 * when it lands within a few ulps of an integer (0.99 * 100 gives
 * 99.00000000000001) the integer is meant, so round it first. The tolerance
 * is relative to x in units of DBL_EPSILON, so that with huge counts a
 * genuinely fractional q n (say 10^12 - 0.4) is not mistaken for one. */
static uint64_t nearest_rank(double q, uint64_t n)
{
    double x = q * (double)n;
    double r = nearbyint(x);
    if (fabs(x - r) <= 8.0 * DBL_EPSILON * x) x = r;
    double c = ceil(x);
    if (c < 1.0) return 1;
    if (c >= (double)n) return n;
    return (uint64_t)c;
}

double sim_hist_quantile(const sim_hist *h, double q)
{
    if (isnan(q)) return NAN;
    if (h->count == 0) return 0.0;
    if (q < 0.0) q = 0.0;
    if (q > 1.0) q = 1.0;
    uint64_t r = nearest_rank(q, h->count);
    if (r == 1) return (double)h->min;
    if (r == h->count) return (double)h->max;
    size_t b0 = sim_hist_bucket_of(h->min), b1 = sim_hist_bucket_of(h->max);
    uint64_t cum = 0;
    for (size_t b = b0; b <= b1; b++) {
        cum += h->buckets[b];
        if (cum >= r) return bucket_value(h, b);
    }
    return (double)h->max; /* unreachable when the counts are consistent */
}

double sim_hist_mean(const sim_hist *h)
{
    if (h->count == 0) return 0.0;
    return (double)h->shift + h->dsum / (double)h->count;
}

double sim_hist_stddev(const sim_hist *h)
{
    if (h->count == 0 || h->min == h->max) return 0.0;
    double n = (double)h->count, m = h->dsum / n;
    double var = h->dsumsq / n - m * m;
    return var > 0.0 ? sqrt(var) : 0.0;
}

int sim_hist_foreach(const sim_hist *h, int (*fn)(const sim_hist_bin *bin, void *ctx), void *ctx)
{
    if (h->count == 0) return 0;
    size_t b0 = sim_hist_bucket_of(h->min), b1 = sim_hist_bucket_of(h->max);
    uint64_t cum = 0;
    for (size_t b = b0; b <= b1; b++) {
        if (h->buckets[b] == 0) continue;
        sim_hist_bin bin;
        bin.index = b;
        sim_hist_bucket_range(b, &bin.lo, &bin.hi);
        if (bin.lo < h->min) bin.lo = h->min;
        if (bin.hi > h->max) bin.hi = h->max;
        bin.value = bucket_value(h, b);
        bin.count = h->buckets[b];
        cum += bin.count;
        bin.cum = cum;
        int rc = fn(&bin, ctx);
        if (rc) return rc;
    }
    return 0;
}

/* ---- JSON ------------------------------------------------------------ */

/* An exact integer: a JSON number when a double holds it exactly, else a
 * decimal string. */
static cJSON *json_u64(uint64_t x)
{
    if ((double)x <= EXACT_DOUBLE_INT) return cJSON_CreateNumber((double)x);
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, x);
    return cJSON_CreateString(buf);
}

static int add_u64(cJSON *o, const char *key, uint64_t x)
{
    cJSON *n = json_u64(x);
    if (!n) return -1;
    cJSON_AddItemToObject(o, key, n);
    return 0;
}

/* cJSON prints doubles with 15 significant digits whenever they read back
 * "close enough" (within DBL_EPSILON), which loses the last bits; merged
 * histograms must be exact, so write 17 digits ourselves. */
static int add_double(cJSON *o, const char *key, double x)
{
    char buf[40];
    cJSON *n;
    if (isfinite(x)) {
        snprintf(buf, sizeof buf, "%.17g", x);
        n = cJSON_CreateRaw(buf);
    } else {
        n = cJSON_CreateNull();
    }
    if (!n) return -1;
    cJSON_AddItemToObject(o, key, n);
    return 0;
}

cJSON *sim_hist_to_json(const sim_hist *h)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON *arr = NULL;
    if (!cJSON_AddNumberToObject(o, "sub_bits", SIM_HIST_SUB_BITS)) goto fail;
    if (add_u64(o, "count", h->count)) goto fail;
    if (h->count > 0) {
        /* min, max, shift are >= 0: recorded values are clamped at 0. */
        if (add_u64(o, "min", (uint64_t)h->min) || add_u64(o, "max", (uint64_t)h->max)) goto fail;
    }
    if (add_double(o, "sum", h->sum) || add_double(o, "sumsq", h->sumsq)) goto fail;
    if (h->count > 0) {
        if (add_u64(o, "shift", (uint64_t)h->shift)) goto fail;
        if (add_double(o, "dsum", h->dsum) || add_double(o, "dsumsq", h->dsumsq)) goto fail;
    }
    arr = cJSON_AddArrayToObject(o, "buckets");
    if (!arr) goto fail;
    if (h->count > 0) {
        size_t b0 = sim_hist_bucket_of(h->min), b1 = sim_hist_bucket_of(h->max);
        for (size_t b = b0; b <= b1; b++) {
            if (h->buckets[b] == 0) continue;
            cJSON *i = cJSON_CreateNumber((double)b), *c = json_u64(h->buckets[b]);
            if (!i || !c) {
                cJSON_Delete(i);
                cJSON_Delete(c);
                goto fail;
            }
            cJSON_AddItemToArray(arr, i);
            cJSON_AddItemToArray(arr, c);
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

typedef struct {
    const char *jpath;
    char *err;
    size_t errlen;
} jctx;

static int jfail(jctx *c, const char *field, const cJSON *found, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "JPATH.field: <message>, found <value>" and returns SIM_EPARSE. */
static int jfail(jctx *c, const char *field, const cJSON *found, const char *fmt, ...)
{
    if (!c->err || c->errlen == 0) return SIM_EPARSE;
    char msg[256], val[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!found) {
        snprintf(val, sizeof val, "nothing");
    } else if (cJSON_IsString(found)) {
        snprintf(val, sizeof val, "\"%.40s\"", found->valuestring);
    } else if (cJSON_IsNumber(found)) {
        snprintf(val, sizeof val, "%.17g", found->valuedouble);
    } else if (cJSON_IsBool(found)) {
        snprintf(val, sizeof val, "%s", cJSON_IsTrue(found) ? "true" : "false");
    } else if (cJSON_IsNull(found)) {
        snprintf(val, sizeof val, "null");
    } else {
        snprintf(val, sizeof val, "%s", cJSON_IsArray(found) ? "an array" : "an object");
    }
    snprintf(c->err, c->errlen, "%s%s%s: %s, found %s", c->jpath, field[0] && field[0] != '[' ? "." : "",
             field, msg, val);
    return SIM_EPARSE;
}

/* Reads a non-negative integer written as a JSON number (integral, at most
 * 2^53 so that it was exact) or a decimal string. 0 or SIM_EPARSE. */
static int json_get_u64(const cJSON *n, uint64_t *out)
{
    if (cJSON_IsNumber(n)) {
        double d = n->valuedouble;
        if (!(d >= 0.0 && d <= EXACT_DOUBLE_INT) || d != floor(d)) return SIM_EPARSE;
        *out = (uint64_t)d;
        return 0;
    }
    if (cJSON_IsString(n)) {
        const char *s = n->valuestring;
        if (!s || *s < '0' || *s > '9') return SIM_EPARSE;
        errno = 0;
        char *end;
        unsigned long long x = strtoull(s, &end, 10);
        if (errno || *end) return SIM_EPARSE;
        *out = (uint64_t)x;
        return 0;
    }
    return SIM_EPARSE;
}

static int get_int(jctx *c, const cJSON *o, const char *key, uint64_t max, int required, uint64_t *out)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!n) {
        if (!required) return 1;
        return jfail(c, key, NULL, "expected a non-negative integer");
    }
    if (json_get_u64(n, out) || *out > max)
        return jfail(c, key, n, "expected an integer in [0, %" PRIu64 "] (above 2^53 as a decimal string)", max);
    return 0;
}

static int get_double(jctx *c, const cJSON *o, const char *key, int required, double *out)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!n) {
        if (!required) return 1;
        return jfail(c, key, NULL, "expected a finite number");
    }
    double d = NAN;
    if (cJSON_IsNumber(n)) {
        d = n->valuedouble;
    } else if (cJSON_IsRaw(n) && n->valuestring) {
        /* A tree straight from sim_hist_to_json, not printed and parsed. */
        char *end;
        d = strtod(n->valuestring, &end);
        if (end == n->valuestring || *end) d = NAN;
    }
    if (!isfinite(d)) return jfail(c, key, n, "expected a finite number");
    *out = d;
    return 0;
}

int sim_hist_from_json(sim_hist *h, const cJSON *json, const char *jpath, char *err, size_t errlen)
{
    jctx c = { jpath ? jpath : "hist", err, errlen };
    if (err && errlen) err[0] = '\0';
    if (!cJSON_IsObject(json)) return jfail(&c, "", json, "expected a histogram object");

    static const char *const known[] = { "sub_bits", "count", "min", "max", "sum", "sumsq",
                                         "shift", "dsum", "dsumsq", "buckets" };
    for (const cJSON *m = json->child; m; m = m->next) {
        size_t i;
        for (i = 0; i < sizeof known / sizeof known[0]; i++)
            if (m->string && strcmp(m->string, known[i]) == 0) break;
        if (i == sizeof known / sizeof known[0])
            return jfail(&c, m->string ? m->string : "?", m, "unknown key");
    }

    uint64_t sub_bits, count, min = 0, max = 0, shift = 0;
    double sum, sumsq, dsum, dsumsq;
    int rc;
    if ((rc = get_int(&c, json, "sub_bits", 63, 1, &sub_bits))) return rc;
    if (sub_bits != SIM_HIST_SUB_BITS) {
        jfail(&c, "sub_bits", cJSON_GetObjectItemCaseSensitive(json, "sub_bits"),
              "expected %d (the layout this build uses)", SIM_HIST_SUB_BITS);
        return SIM_ENOTSUP;
    }
    if ((rc = get_int(&c, json, "count", UINT64_MAX, 1, &count))) return rc;
    if ((rc = get_int(&c, json, "min", INT64_MAX, count > 0, &min)) < 0) return rc;
    if ((rc = get_int(&c, json, "max", INT64_MAX, count > 0, &max)) < 0) return rc;
    if (count > 0 && min > max)
        return jfail(&c, "max", cJSON_GetObjectItemCaseSensitive(json, "max"), "expected max >= min (%" PRIu64 ")",
                     min);
    if ((rc = get_double(&c, json, "sum", 1, &sum))) return rc;
    if ((rc = get_double(&c, json, "sumsq", 1, &sumsq))) return rc;
    if (sum < 0.0) return jfail(&c, "sum", cJSON_GetObjectItemCaseSensitive(json, "sum"), "expected a sum >= 0");
    if (sumsq < 0.0)
        return jfail(&c, "sumsq", cJSON_GetObjectItemCaseSensitive(json, "sumsq"), "expected a sum >= 0");
    /* The shifted sums are optional: without them, shift 0 makes them the
     * plain sums. */
    if ((rc = get_int(&c, json, "shift", INT64_MAX, 0, &shift)) < 0) return rc;
    if (rc == 1) shift = 0;
    if ((rc = get_double(&c, json, "dsum", 0, &dsum)) < 0) return rc;
    if (rc == 1) dsum = shift == 0 ? sum : NAN;
    if ((rc = get_double(&c, json, "dsumsq", 0, &dsumsq)) < 0) return rc;
    if (rc == 1) dsumsq = shift == 0 ? sumsq : NAN;
    if (isnan(dsum) || isnan(dsumsq))
        return jfail(&c, "shift", cJSON_GetObjectItemCaseSensitive(json, "shift"),
                     "expected dsum and dsumsq alongside a non-zero shift");

    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(json, "buckets");
    if (!cJSON_IsArray(arr)) return jfail(&c, "buckets", arr, "expected an array of index, count pairs");
    int len = cJSON_GetArraySize(arr);
    if (len % 2) return jfail(&c, "buckets", arr, "expected an even number of elements (index, count pairs)");

    /* Pass 1: validate everything, so that h is untouched on error. */
    uint64_t total = 0;
    int64_t prev = -1;
    size_t first = 0, last = 0;
    int k = 0;
    char where[48];
    for (const cJSON *e = arr->child; e; e = e->next->next, k += 2) {
        uint64_t idx, n;
        snprintf(where, sizeof where, "buckets[%d]", k);
        if (json_get_u64(e, &idx) || idx >= SIM_HIST_BUCKETS || (int64_t)idx <= prev)
            return jfail(&c, where, e, "expected a bucket index in [%" PRId64 ", %u) (ascending)", prev + 1,
                         (unsigned)SIM_HIST_BUCKETS - 1);
        snprintf(where, sizeof where, "buckets[%d]", k + 1);
        if (json_get_u64(e->next, &n) || n == 0)
            return jfail(&c, where, e->next, "expected a positive count");
        if (n > UINT64_MAX - total) return jfail(&c, where, e->next, "expected counts whose total fits 64 bits");
        if (prev < 0) first = (size_t)idx;
        last = (size_t)idx;
        prev = (int64_t)idx;
        total += n;
    }
    if (total != count)
        return jfail(&c, "count", cJSON_GetObjectItemCaseSensitive(json, "count"),
                     "expected the sum of the bucket counts (%" PRIu64 ")", total);
    if (count > 0) {
        if (sim_hist_bucket_of((int64_t)min) != first)
            return jfail(&c, "min", cJSON_GetObjectItemCaseSensitive(json, "min"),
                         "expected a value in the first non-empty bucket (%zu)", first);
        if (sim_hist_bucket_of((int64_t)max) != last)
            return jfail(&c, "max", cJSON_GetObjectItemCaseSensitive(json, "max"),
                         "expected a value in the last non-empty bucket (%zu)", last);
    }

    /* Pass 2: fill. */
    sim_hist_reset(h);
    for (const cJSON *e = arr->child; e; e = e->next->next) {
        uint64_t idx = 0, n = 0;
        json_get_u64(e, &idx);
        json_get_u64(e->next, &n);
        h->buckets[idx] = n;
    }
    h->count = count;
    h->min = (int64_t)min;
    h->max = (int64_t)max;
    h->sum = sum;
    h->sumsq = sumsq;
    h->shift = count > 0 ? (int64_t)shift : 0;
    h->dsum = dsum;
    h->dsumsq = dsumsq;
    return 0;
}
