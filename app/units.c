/* app/units.c - human units: "50ms", "10GiB", "1Gbit/s", "2000/s", "90%".
 *
 * Every parser splits the text into a decimal number and a unit suffix, looks
 * the suffix up in a table of multipliers, and checks the range. Whole
 * numbers are multiplied in exact 64-bit integer arithmetic (so
 * "9223372036854775807ns" is exact and one more overflows); numbers with a
 * fraction or exponent go through double, which is exact to 1 part in 2^53. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "sim/errors.h"

typedef struct {
    const char *suffix;
    double mult;     /* multiplier to the base unit */
    uint64_t imult;  /* same as an integer, 0 when not whole */
} unit_def;

/* A number split off a unit string. */
typedef struct {
    int negative;
    int whole;        /* no fraction, no exponent: `u` is exact */
    uint64_t u;       /* the value when whole (saturated at UINT64_MAX, then `big`) */
    int big;          /* whole but does not fit in 64 bits */
    int has_exp;      /* written with an exponent */
    uint64_t frac;    /* fraction digits as an integer ("1.25" -> 25) */
    int fdigits;      /* how many (frac exact when <= 18) */
    double d;         /* the value as a double */
} split_num;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses optional whitespace, an optional '-', a decimal number (digits with
 * an optional fraction and an optional exponent that must have digits, so the
 * 'E' of "1EB" is a unit), and optional whitespace. */
static int split(const char *s, split_num *out, char *unit, size_t unitlen)
{
    memset(out, 0, sizeof *out);
    if (!s) return SIM_EPARSE;
    const char *p = s;
    while (is_space(*p)) p++;
    if (*p == '-') out->negative = 1, p++;
    else if (*p == '+') p++;
    const char *start = p;
    int digits = 0;
    out->whole = 1;
    while (isdigit((unsigned char)*p)) {
        unsigned dg = (unsigned)(*p - '0');
        if (out->u > (UINT64_MAX - dg) / 10) out->big = 1;
        else out->u = out->u * 10 + dg;
        p++, digits++;
    }
    if (*p == '.') {
        p++;
        out->whole = 0;
        while (isdigit((unsigned char)*p)) {
            if (out->fdigits < 19) out->frac = out->frac * 10 + (uint64_t)(*p - '0');
            out->fdigits++;
            p++, digits++;
        }
    }
    if (!digits) return SIM_EPARSE;
    if ((*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q)) q++;
            p = q;
            out->whole = 0;
            out->has_exp = 1;
        }
    }
    /* strtod on exactly the digits we accepted (no hex, no "inf"). */
    char num[128];
    size_t nl = (size_t)(p - start);
    if (nl >= sizeof num) {
        if (out->whole) out->big = 1;
        out->d = HUGE_VAL;
    } else {
        memcpy(num, start, nl);
        num[nl] = 0;
        out->d = strtod(num, NULL);
    }
    while (is_space(*p)) p++;
    size_t ul = strlen(p);
    while (ul > 0 && is_space(p[ul - 1])) ul--;
    if (ul >= unitlen) return SIM_EPARSE;
    memcpy(unit, p, ul);
    unit[ul] = 0;
    return 0;
}

static const unit_def *find_unit(const unit_def *t, const char *u)
{
    for (; t->suffix; t++)
        if (!strcmp(t->suffix, u)) return t;
    return NULL;
}

/* Splits s and finds its unit in `table`. `compact` drops spaces inside the
 * unit ("2000 / s"). */
static int split_unit(const char *s, const unit_def *table, int compact, split_num *n, const unit_def **ud)
{
    char unit[16];
    int r = split(s, n, unit, sizeof unit);
    if (r) return r;
    if (compact) {
        size_t k = 0;
        for (const char *p = unit; *p; p++)
            if (!is_space(*p)) unit[k++] = *p;
        unit[k] = 0;
    }
    *ud = find_unit(table, unit);
    return *ud ? 0 : SIM_EPARSE;
}

/* value * unit as a double, >= 0 and finite. */
static int scale_double(const split_num *n, const unit_def *ud, double *out)
{
    if (n->negative && n->d != 0.0) return SIM_ERANGE;
    double v = n->d * ud->mult;
    if (!isfinite(v) || v > 1e300) return SIM_ERANGE;
    *out = v;
    return 0;
}

/* value * unit as an unsigned integer in the base unit, rounded to nearest,
 * with overflow past `max` reported as SIM_ERANGE. */
static int scale_u64(const split_num *n, const unit_def *ud, uint64_t max, uint64_t *out)
{
    if (n->negative && !(n->d == 0.0)) return SIM_ERANGE;
    if (n->whole && !n->big && ud->imult) {
        if (n->u != 0 && ud->imult > max / n->u) return SIM_ERANGE;
        uint64_t v = n->u * ud->imult;
        if (v > max) return SIM_ERANGE;
        *out = v;
        return 0;
    }
    /* "9223372036.854775807s": a decimal fraction times a power-of-ten
     * unit is exact in integers when the unit has at least as many zeros. */
    if (!n->whole && !n->has_exp && !n->big && ud->imult && n->fdigits <= 18) {
        uint64_t p10 = 1;
        for (int i = 0; i < n->fdigits; i++) p10 *= 10;
        if (ud->imult % p10 == 0) {
            uint64_t step = ud->imult / p10;
            if (n->u != 0 && ud->imult > max / n->u) return SIM_ERANGE;
            uint64_t v = n->u * ud->imult;
            if (n->frac != 0 && step > (max - v) / n->frac) return SIM_ERANGE;
            *out = v + n->frac * step;
            return 0;
        }
    }
    double v = n->d * ud->mult;
    if (!isfinite(v) || v >= 18446744073709551616.0) return SIM_ERANGE;
    uint64_t w = v < 9.2e18 ? (uint64_t)llround(v) : (uint64_t)v;
    if (w > max) return SIM_ERANGE;
    *out = w;
    return 0;
}

static const unit_def duration_units[] = {
    { "ns", 1, 1 },
    { "us", 1e3, 1000 },
    { "\xc2\xb5s", 1e3, 1000 }, /* µs, MICRO SIGN */
    { "\xce\xbcs", 1e3, 1000 }, /* μs, GREEK SMALL LETTER MU */
    { "ms", 1e6, 1000000 },
    { "s", 1e9, 1000000000 },
    { "min", 60e9, 60000000000ULL },
    { "h", 3600e9, 3600000000000ULL },
    { NULL, 0, 0 },
};

int conf_parse_duration(const char *s, sim_time_t *out)
{
    split_num n;
    char unit[16];
    int r = split(s, &n, unit, sizeof unit);
    if (r) return r;
    if (!unit[0]) {
        /* Only 0 may go without a unit: "100" could be ns, ms or s. */
        if (n.d == 0.0) {
            *out = 0;
            return 0;
        }
        return SIM_EPARSE;
    }
    const unit_def *ud = find_unit(duration_units, unit);
    if (!ud) return SIM_EPARSE;
    uint64_t v;
    r = scale_u64(&n, ud, (uint64_t)INT64_MAX, &v);
    if (r) return r;
    *out = (sim_time_t)v;
    return 0;
}

#define KI 1024ULL
static const unit_def byte_units[] = {
    { "", 1, 1 },
    { "B", 1, 1 },
    { "KB", 1e3, 1000ULL }, { "kB", 1e3, 1000ULL },
    { "MB", 1e6, 1000000ULL },
    { "GB", 1e9, 1000000000ULL },
    { "TB", 1e12, 1000000000000ULL },
    { "PB", 1e15, 1000000000000000ULL },
    { "KiB", 1024.0, KI },
    { "MiB", 1048576.0, KI * KI },
    { "GiB", 1073741824.0, KI * KI * KI },
    { "TiB", 1099511627776.0, KI * KI * KI * KI },
    { "PiB", 1125899906842624.0, KI * KI * KI * KI * KI },
    { NULL, 0, 0 },
};

int conf_parse_bytes(const char *s, uint64_t *out)
{
    split_num n;
    const unit_def *ud;
    int r = split_unit(s, byte_units, 0, &n, &ud);
    return r ? r : scale_u64(&n, ud, UINT64_MAX, out);
}

/* Bandwidth in bytes per second: bit-based units are divided by 8. */
static const unit_def bandwidth_units[] = {
    { "bit/s", 1.0 / 8, 0 }, { "b/s", 1.0 / 8, 0 }, { "bps", 1.0 / 8, 0 },
    { "kbit/s", 1e3 / 8, 0 }, { "Kbit/s", 1e3 / 8, 0 }, { "kb/s", 1e3 / 8, 0 }, { "Kb/s", 1e3 / 8, 0 },
    { "kbps", 1e3 / 8, 0 }, { "Kbps", 1e3 / 8, 0 },
    { "Mbit/s", 1e6 / 8, 0 }, { "Mb/s", 1e6 / 8, 0 }, { "Mbps", 1e6 / 8, 0 },
    { "Gbit/s", 1e9 / 8, 0 }, { "Gb/s", 1e9 / 8, 0 }, { "Gbps", 1e9 / 8, 0 },
    { "Tbit/s", 1e12 / 8, 0 }, { "Tb/s", 1e12 / 8, 0 }, { "Tbps", 1e12 / 8, 0 },
    { "B/s", 1, 0 }, { "KB/s", 1e3, 0 }, { "kB/s", 1e3, 0 }, { "MB/s", 1e6, 0 },
    { "GB/s", 1e9, 0 }, { "TB/s", 1e12, 0 },
    { "KiB/s", 1024.0, 0 }, { "MiB/s", 1048576.0, 0 }, { "GiB/s", 1073741824.0, 0 },
    { "TiB/s", 1099511627776.0, 0 },
    { NULL, 0, 0 },
};

/* A bare number is not accepted: "100" could be bits or bytes. */
int conf_parse_bandwidth(const char *s, double *bytes_per_s)
{
    split_num n;
    const unit_def *ud;
    int r = split_unit(s, bandwidth_units, 0, &n, &ud);
    return r ? r : scale_double(&n, ud, bytes_per_s);
}

static const unit_def rate_units[] = {
    { "", 1, 0 }, { "/s", 1, 0 }, { "/ms", 1e3, 0 }, { "/us", 1e6, 0 }, { "/min", 1.0 / 60, 0 },
    { "/h", 1.0 / 3600, 0 },
    { NULL, 0, 0 },
};

int conf_parse_rate(const char *s, double *per_s)
{
    split_num n;
    const unit_def *ud;
    int r = split_unit(s, rate_units, 1, &n, &ud);
    return r ? r : scale_double(&n, ud, per_s);
}

int conf_parse_percent(const char *s, double *fraction)
{
    split_num n;
    char unit[16];
    int r = split(s, &n, unit, sizeof unit);
    if (r) return r;
    double v;
    if (!strcmp(unit, "%")) v = n.d / 100.0;
    else if (!unit[0]) v = n.d;
    else return SIM_EPARSE;
    if (n.negative && n.d != 0.0) return SIM_ERANGE;
    if (!(v >= 0.0 && v <= 1.0)) return SIM_ERANGE;
    *fraction = v;
    return 0;
}

/* ---- formatting ---------------------------------------------------------- */

/* Writes q + r/den as a decimal with trailing zeros trimmed; den is a power
 * of ten, so the result is exact. */
static void put_decimal(char *buf, size_t len, uint64_t q, uint64_t r, uint64_t den, const char *unit)
{
    if (r == 0) {
        snprintf(buf, len, "%llu%s", (unsigned long long)q, unit);
        return;
    }
    int width = 0;
    for (uint64_t d = den; d > 1 && width < 19; d /= 10) width++;
    /* r < den, so exactly `width` digits with leading zeros. */
    char frac[24];
    for (int i = width - 1; i >= 0; i--, r /= 10) frac[i] = (char)('0' + r % 10);
    frac[width] = 0;
    size_t fl = (size_t)width;
    while (fl > 0 && frac[fl - 1] == '0') frac[--fl] = 0;
    snprintf(buf, len, "%llu.%s%s", (unsigned long long)q, frac, unit);
}

const char *conf_format_duration(sim_time_t t, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    if (t == 0) {
        snprintf(buf, len, "0");
        return buf;
    }
    char *p = buf;
    size_t l = len;
    uint64_t u;
    if (t < 0) {
        if (len < 2) {
            buf[0] = 0;
            return buf;
        }
        *p++ = '-', l--;
        u = (uint64_t)(-(t + 1)) + 1;
    } else {
        u = (uint64_t)t;
    }
    /* Whole hours or minutes read better than seconds; otherwise the largest
     * unit not above the value, with an exact decimal fraction. */
    if (u % 3600000000000ULL == 0) snprintf(p, l, "%lluh", (unsigned long long)(u / 3600000000000ULL));
    else if (u % 60000000000ULL == 0) snprintf(p, l, "%llumin", (unsigned long long)(u / 60000000000ULL));
    else if (u >= 1000000000ULL) put_decimal(p, l, u / 1000000000ULL, u % 1000000000ULL, 1000000000ULL, "s");
    else if (u >= 1000000ULL) put_decimal(p, l, u / 1000000ULL, u % 1000000ULL, 1000000ULL, "ms");
    else if (u >= 1000ULL) put_decimal(p, l, u / 1000ULL, u % 1000ULL, 1000ULL, "us");
    else snprintf(p, l, "%lluns", (unsigned long long)u);
    return buf;
}

const char *conf_format_bytes(uint64_t b, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    static const struct { const char *u; uint64_t m; } units[] = {
        { "PiB", KI * KI * KI * KI * KI }, { "PB", 1000000000000000ULL },
        { "TiB", KI * KI * KI * KI }, { "TB", 1000000000000ULL },
        { "GiB", KI * KI * KI }, { "GB", 1000000000ULL },
        { "MiB", KI * KI }, { "MB", 1000000ULL },
        { "KiB", KI }, { "KB", 1000ULL },
    };
    /* The largest unit that shows the value exactly with at most two
     * decimals ("1.5GiB", "10GB"); else plain bytes. */
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        uint64_t m = units[i].m;
        if (b < m) continue;
        uint64_t q = b / m, r = b % m;
        /* r / m must be k/100 exactly: r * 100 divisible by m. Use long
         * double-free integer math: r*100 fits since r < m <= 2^50. */
        if ((r * 100) % m != 0) continue;
        put_decimal(buf, len, q, r * 100 / m, 100, units[i].u);
        return buf;
    }
    snprintf(buf, len, "%lluB", (unsigned long long)b);
    return buf;
}
