/* tests/test_units.c - human units: every unit, fractions, whitespace,
 * overflow, negatives, garbage, empty strings, and formatting round trips. */
#include <stdlib.h>

#include "app/conf.h"
#include "sim/errors.h"
#include "tests/harness.h"

#define DUR_OK(s, want) do { sim_time_t _t = -1; int _r = conf_parse_duration(s, &_t); \
    CHECK_EQ_I64(_r, 0); CHECK_EQ_I64(_t, want); } while (0)
#define DUR_ERR(s, err) do { sim_time_t _t = 12345; CHECK_EQ_I64(conf_parse_duration(s, &_t), err); \
    CHECK_EQ_I64(_t, 12345); } while (0)
#define BYTES_OK(s, want) do { uint64_t _b = 7; int _r = conf_parse_bytes(s, &_b); \
    CHECK_EQ_I64(_r, 0); CHECK_EQ_U64(_b, want); } while (0)
#define BYTES_ERR(s, err) CHECK_EQ_I64(conf_parse_bytes(s, &(uint64_t){ 0 }), err)

static void test_durations(void)
{
    DUR_OK("250ns", 250);
    DUR_OK("50us", 50 * SIM_US);
    DUR_OK("50\xc2\xb5s", 50 * SIM_US); /* micro sign */
    DUR_OK("50\xce\xbcs", 50 * SIM_US); /* greek mu */
    DUR_OK("2ms", 2 * SIM_MS);
    DUR_OK("1.5s", 1500 * SIM_MS);
    DUR_OK("2min", 120 * SIM_S);
    DUR_OK("1h", 3600 * SIM_S);
    DUR_OK("0.25h", 900 * SIM_S);
    DUR_OK("0", 0);
    DUR_OK("0.0", 0);
    DUR_OK("0ms", 0);
    DUR_OK("1e3ms", SIM_S);         /* exponent */
    DUR_OK(".5s", 500 * SIM_MS);
    DUR_OK("  5 ms ", 5 * SIM_MS);  /* whitespace around and between */
    DUR_OK("5\tms", 5 * SIM_MS);
    DUR_OK("1.0000000005s", 1000000001); /* rounds to nearest ns (double) */
    DUR_OK("9223372036854775807ns", INT64_MAX); /* exact integer path */
    DUR_ERR("9223372036854775808ns", SIM_ERANGE);
    DUR_ERR("9223372036854775807s", SIM_ERANGE);
    DUR_ERR("99999999999999999999999999h", SIM_ERANGE);
    DUR_ERR("1e300s", SIM_ERANGE);
    DUR_ERR("-5ms", SIM_ERANGE);
    DUR_ERR("100", SIM_EPARSE);    /* unitless: ns? s? */
    DUR_ERR("5 parsecs", SIM_EPARSE);
    DUR_ERR("5MS", SIM_EPARSE);    /* units are case-sensitive */
    DUR_ERR("5m", SIM_EPARSE);     /* minutes or metres? we say min */
    DUR_ERR("ms", SIM_EPARSE);
    DUR_ERR("", SIM_EPARSE);
    DUR_ERR("   ", SIM_EPARSE);
    DUR_ERR(".s", SIM_EPARSE);
    DUR_ERR("1..5s", SIM_EPARSE);
    DUR_ERR("1e", SIM_EPARSE);     /* 'e' is not a unit */
    DUR_ERR("0x10s", SIM_EPARSE);
    DUR_ERR("inf s", SIM_EPARSE);
    DUR_ERR("nan", SIM_EPARSE);
    DUR_ERR("5ms5", SIM_EPARSE);
    DUR_ERR(NULL, SIM_EPARSE);
    /* A string with an embedded NUL is cut there by C: "5\0ms" reads "5". */
    char nul[] = { '5', 0, 'm', 's', 0 };
    DUR_ERR(nul, SIM_EPARSE);
}

static void test_bytes(void)
{
    BYTES_OK("512", 512);
    BYTES_OK("512B", 512);
    BYTES_OK("4KB", 4000);
    BYTES_OK("4kB", 4000);
    BYTES_OK("4KiB", 4096);
    BYTES_OK("1.5MB", 1500000);
    BYTES_OK("1.5MiB", 1572864);
    BYTES_OK("10GiB", 10737418240ULL);
    BYTES_OK("10 GB", 10000000000ULL);
    BYTES_OK("2TB", 2000000000000ULL);
    BYTES_OK("1TiB", 1099511627776ULL);
    BYTES_OK("1PB", 1000000000000000ULL);
    BYTES_OK("1PiB", 1125899906842624ULL);
    BYTES_OK("0", 0);
    BYTES_OK("18446744073709551615", UINT64_MAX);
    BYTES_ERR("18446744073709551616", SIM_ERANGE);
    BYTES_ERR("16384PiB", SIM_ERANGE);  /* 2^64 */
    BYTES_ERR("1e30B", SIM_ERANGE);
    BYTES_ERR("-1KiB", SIM_ERANGE);
    BYTES_ERR("10 parsecs", SIM_EPARSE);
    BYTES_ERR("10Gib", SIM_EPARSE);   /* a gibibit is not a size unit */
    BYTES_ERR("GiB", SIM_EPARSE);
    BYTES_ERR("", SIM_EPARSE);
    BYTES_ERR("1,5MB", SIM_EPARSE);
}

static void test_bandwidth_rate_percent(void)
{
    double v = 0;
    CHECK_EQ_I64(conf_parse_bandwidth("1Gbit/s", &v), 0);
    CHECK_NEAR(v, 125e6, 1e-6);
    CHECK_EQ_I64(conf_parse_bandwidth("100Mbit/s", &v), 0);
    CHECK_NEAR(v, 12.5e6, 1e-6);
    CHECK_EQ_I64(conf_parse_bandwidth("10Gbps", &v), 0);
    CHECK_NEAR(v, 1.25e9, 1e-3);
    CHECK_EQ_I64(conf_parse_bandwidth("500MB/s", &v), 0);
    CHECK_NEAR(v, 500e6, 1e-6);
    CHECK_EQ_I64(conf_parse_bandwidth("1GiB/s", &v), 0);
    CHECK_NEAR(v, 1073741824.0, 1e-6);
    CHECK_EQ_I64(conf_parse_bandwidth("2.5 kbit/s", &v), 0);
    CHECK_NEAR(v, 312.5, 1e-9);
    CHECK_EQ_I64(conf_parse_bandwidth("8bit/s", &v), 0);
    CHECK_NEAR(v, 1, 1e-12);
    CHECK_EQ_I64(conf_parse_bandwidth("100", &v), SIM_EPARSE); /* bits or bytes? */
    CHECK_EQ_I64(conf_parse_bandwidth("-1Gbit/s", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_bandwidth("1e999Gbit/s", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_bandwidth("1Gbit", &v), SIM_EPARSE);
    CHECK_EQ_I64(conf_parse_bandwidth("", &v), SIM_EPARSE);

    /* Formatting (what `show` prints): bytes or bits, whichever needs fewer
     * significant digits, bytes on a tie; and it reads back to the same value. */
    static const struct { double bps; const char *text; } fmt[] = {
        { 2e9, "2GB/s" },          { 1.25e9, "10Gbit/s" },  { 62.5e6, "500Mbit/s" },
        { 0, "0B/s" },             { 1.25e14, "1000Tbit/s" }, { 1e15, "1000TB/s" },
        { 1073741824.0, "1.073741824GB/s" }, { 3, "3B/s" }, { 0.125, "1bit/s" },
        { 312.5, "2.5kbit/s" },
    };
    for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
        char buf[64];
        CHECK_STR(conf_format_bandwidth(fmt[i].bps, buf, sizeof buf), fmt[i].text);
        CHECK_EQ_I64(conf_parse_bandwidth(buf, &v), 0);
        CHECK_NEAR(v, fmt[i].bps, fmt[i].bps * 1e-12);
    }

    CHECK_EQ_I64(conf_parse_rate("2000/s", &v), 0);
    CHECK_NEAR(v, 2000, 1e-9);
    CHECK_EQ_I64(conf_parse_rate("5/ms", &v), 0);
    CHECK_NEAR(v, 5000, 1e-9);
    CHECK_EQ_I64(conf_parse_rate("300/min", &v), 0);
    CHECK_NEAR(v, 5, 1e-12);
    CHECK_EQ_I64(conf_parse_rate("36/h", &v), 0);
    CHECK_NEAR(v, 0.01, 1e-15);
    CHECK_EQ_I64(conf_parse_rate("1000", &v), 0);
    CHECK_NEAR(v, 1000, 1e-9);
    CHECK_EQ_I64(conf_parse_rate("2000 / s", &v), 0);
    CHECK_NEAR(v, 2000, 1e-9);
    CHECK_EQ_I64(conf_parse_rate("1.5/us", &v), 0);
    CHECK_NEAR(v, 1.5e6, 1e-6);
    CHECK_EQ_I64(conf_parse_rate("-3/s", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_rate("3/fortnight", &v), SIM_EPARSE);
    CHECK_EQ_I64(conf_parse_rate("/s", &v), SIM_EPARSE);

    CHECK_EQ_I64(conf_parse_percent("90%", &v), 0);
    CHECK_NEAR(v, 0.9, 1e-15);
    CHECK_EQ_I64(conf_parse_percent("0.5", &v), 0);
    CHECK_NEAR(v, 0.5, 1e-15);
    CHECK_EQ_I64(conf_parse_percent("100 %", &v), 0);
    CHECK_NEAR(v, 1, 1e-15);
    CHECK_EQ_I64(conf_parse_percent("0%", &v), 0);
    CHECK_NEAR(v, 0, 0);
    CHECK_EQ_I64(conf_parse_percent("150%", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_percent("1.5", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_percent("-1%", &v), SIM_ERANGE);
    CHECK_EQ_I64(conf_parse_percent("90 percent", &v), SIM_EPARSE);
    CHECK_EQ_I64(conf_parse_percent("", &v), SIM_EPARSE);
}

static void test_format(void)
{
    char b[64];
    CHECK_STR(conf_format_duration(0, b, sizeof b), "0");
    CHECK_STR(conf_format_duration(250, b, sizeof b), "250ns");
    CHECK_STR(conf_format_duration(50 * SIM_US, b, sizeof b), "50us");
    CHECK_STR(conf_format_duration(1500 * SIM_US, b, sizeof b), "1.5ms");
    CHECK_STR(conf_format_duration(1500 * SIM_MS, b, sizeof b), "1.5s");
    CHECK_STR(conf_format_duration(120 * SIM_S, b, sizeof b), "2min");
    CHECK_STR(conf_format_duration(7200 * SIM_S, b, sizeof b), "2h");
    CHECK_STR(conf_format_duration(90 * SIM_S, b, sizeof b), "90s");
    CHECK_STR(conf_format_duration(1000000001, b, sizeof b), "1.000000001s");
    CHECK_STR(conf_format_duration(-2 * SIM_MS, b, sizeof b), "-2ms");
    CHECK_STR(conf_format_bytes(0, b, sizeof b), "0B");
    CHECK_STR(conf_format_bytes(512, b, sizeof b), "512B");
    CHECK_STR(conf_format_bytes(1024, b, sizeof b), "1KiB");
    CHECK_STR(conf_format_bytes(1000, b, sizeof b), "1KB");
    CHECK_STR(conf_format_bytes(1536, b, sizeof b), "1.5KiB");
    CHECK_STR(conf_format_bytes(10737418240ULL, b, sizeof b), "10GiB");
    CHECK_STR(conf_format_bytes(1610612736ULL, b, sizeof b), "1.5GiB");
    CHECK_STR(conf_format_bytes(2000000000000ULL, b, sizeof b), "2TB");
    CHECK_STR(conf_format_bytes(1234567, b, sizeof b), "1234567B");
    /* Small buffers are cut, never overrun. */
    char small[4];
    conf_format_duration(1500 * SIM_MS, small, sizeof small);
    CHECK_EQ_U64(strlen(small), 3);

    /* Round trips: format then parse gives the value back exactly. */
    const sim_time_t ts[] = { 1, 999, 1000, 123456789, 1000000001, 86400 * SIM_S, INT64_MAX, 61 * SIM_S + 7 };
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        sim_time_t back = -1;
        CHECK_EQ_I64(conf_parse_duration(conf_format_duration(ts[i], b, sizeof b), &back), 0);
        CHECK_EQ_I64(back, ts[i]);
    }
    const uint64_t bs[] = { 1, 1023, 1024, 1536, 1000, 999999, 1ULL << 40, 3ULL << 29, UINT64_MAX };
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++) {
        uint64_t back = 0;
        CHECK_EQ_I64(conf_parse_bytes(conf_format_bytes(bs[i], b, sizeof b), &back), 0);
        CHECK_EQ_U64(back, bs[i]);
    }
}

void test_units_register(void)
{
    static const tests_case cases[] = {
        { "durations", test_durations },
        { "bytes", test_bytes },
        { "bandwidth, rate, percent", test_bandwidth_rate_percent },
        { "format and round trip", test_format },
        { NULL, NULL },
    };
    tests_add_suite("units", cases);
}
