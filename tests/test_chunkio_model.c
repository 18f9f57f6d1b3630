/* tests/test_chunkio_model.c - the disk model's shared bandwidth (models/
 * disk.c), used to model the chunk store (docs/calibration.md), checked
 * against processor-sharing results that hold exactly for these scenarios. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

/* What a run's summary says: latency quantiles and mean (ms), throughput,
 * and under transfer_order rounds the disk's mean round size (else 0). */
typedef struct model_out {
    double p50, p90, p99, mean, rps, round_size;
} model_out;

/* Runs a closed loop of `conc` users reading 1 MiB objects from a disk with
 * the given access distribution (JSON) and shared bandwidth, plus `extra`
 * disk fields, with no network and no data-node time, into *o. On failure
 * returns nonzero and, with errout, the run's stderr (caller frees). */
static int run_model(int conc, const char *access, const char *shared, const char *extra, int channels,
                       model_out *o, char **errout)
{
    char *dir = tests_mkdtemp(), path[4200], *cmd = NULL, *out = NULL, *err = NULL, *text = NULL;
    char json[2048];
    *o = (model_out){ 0 };
    snprintf(json, sizeof json,
             "{\"name\": \"m\", \"duration\": \"21s\", \"warmup\": \"1s\", \"regions\": {\"r\": {}},\n"
             " \"network\": {\"same_region\": {\"delay\": \"0\", \"bandwidth\": \"1000Tbit/s\"}},\n"
             " \"components\": [\n"
             "  {\"id\": \"c\", \"kind\": \"client\", \"region\": \"r\", \"mode\": \"closed\", \"concurrency\": %d,\n"
             "   \"think\": \"0\", \"last_mile\": \"0\", \"to\": \"dn\", \"objects\": 64, \"zipf\": 0,\n"
             "   \"size\": \"1MiB\"},\n"
             "  {\"id\": \"dn\", \"kind\": \"datanode\", \"region\": \"r\", \"servers\": 100000, \"service\": \"0\",\n"
             "   \"disks\": \"d\"},\n"
             "  {\"id\": \"d\", \"kind\": \"disk\", \"region\": \"r\", \"channels\": %d, \"access\": %s,\n"
             "   \"shared_bandwidth\": \"%s\"%s}]}\n",
             conc, channels, access, shared, extra);
    snprintf(path, sizeof path, "%s/s.json", dir);
    int rc = tests_write_file(path, json);
    if (!rc && asprintf(&cmd, "'%s' run '%s' --quiet --out '%s/out'", tests_cdnsim_bin(), path, dir) < 0) rc = -1;
    if (!rc) rc = tests_run(cmd, &out, &err);
    if (rc && !errout) fprintf(stderr, "run failed: %s\n", err ? err : "");
    if (errout) *errout = err ? strdup(err) : NULL;
    snprintf(path, sizeof path, "%s/out/summary.json", dir);
    if (!rc) text = tests_read_file(path, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (j) {
        cJSON *lat = cJSON_GetObjectItem(j, "latency_ms");
        o->p50 = cJSON_GetObjectItem(lat, "p50")->valuedouble;
        o->p90 = cJSON_GetObjectItem(lat, "p90")->valuedouble;
        o->p99 = cJSON_GetObjectItem(lat, "p99")->valuedouble;
        o->mean = cJSON_GetObjectItem(lat, "mean")->valuedouble;
        o->rps = cJSON_GetObjectItem(j, "throughput_rps")->valuedouble;
        cJSON *rs = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "components"), "d"),
                                        "round_size_mean");
        o->round_size = cJSON_IsNumber(rs) ? rs->valuedouble : 0;
    } else {
        rc = -1;
    }
    cJSON_Delete(j);
    free(text), free(cmd), free(out), free(err);
    tests_rmtree(dir);
    free(dir);
    return rc;
}

/* The run with these disk fields must be refused, its error saying `want`
 * (the JSON path and what was expected); both sides are printed if not. */
static void check_refused(const char *shared, const char *extra, const char *want)
{
    model_out o;
    char *err = NULL;
    CHECK_TRUE(run_model(1, "\"1ms\"", shared, extra, 16, &o, &err) != 0);
    CHECK_CONTAINS(err ? err : "", want);
    free(err);
}

/* 1 MiB at 2 GB/s: 524.288 us of transfer when alone. */
#define XFER_MS 0.524288

static void test_lone_request_takes_access(void)
{
    /* Concurrency 1: the access time is the whole time, transfer included. */
    model_out o;
    CHECK_EQ_I64(run_model(1, "\"1ms\"", "2GB/s", "", 16, &o, NULL), 0);
    CHECK_NEAR(o.mean, 1.0, 1e-4);
    CHECK_NEAR(o.rps, 1000.0, 1.0);
}

static void test_synchronised_sharing(void)
{
    /* Four users start together with a constant access time: each spends
     * 1 ms - 0.524 ms on access, then the four transfers share 2 GB/s and
     * end together after 4 x 0.524 ms. Every request takes exactly that. */
    model_out o;
    CHECK_EQ_I64(run_model(4, "\"1ms\"", "2GB/s", "", 16, &o, NULL), 0);
    double want = 1.0 - XFER_MS + 4 * XFER_MS;
    /* The summary gives ms with 4 decimals: 1e-4 is its resolution. */
    CHECK_NEAR(o.mean, want, 1e-4);
    CHECK_NEAR(o.p50, want, want / 512); /* histogram resolution */
    CHECK_NEAR(o.rps, 4 / want * 1000, 1.0);
    /* An access time shorter than the transfer leaves only the transfer. */
    CHECK_EQ_I64(run_model(4, "\"100us\"", "2GB/s", "", 16, &o, NULL), 0);
    CHECK_NEAR(o.mean, 4 * XFER_MS, 1e-4);
}

static void test_saturation_is_bandwidth(void)
{
    /* 64 users, random access times (exp, o.mean 300 us): the device is
     * transferring nearly always, so throughput is B / size = 1907.3/s. The
     * probability that no transfer is active is tiny with 64 users and a
     * transfer phase (64 x 0.52 ms) far longer than the access phase; the 2%
     * margin covers it. Little's law then gives the o.mean response 64 / X. */
    model_out o;
    CHECK_EQ_I64(run_model(64, "{\"exp\": \"300us\"}", "2GB/s", "", 64, &o, NULL), 0);
    CHECK_NEAR(o.rps, 2e9 / 1048576.0, 0.02 * 2e9 / 1048576.0);
    CHECK_NEAR(o.mean, 64.0 / o.rps * 1000, 0.01 * 64.0 / o.rps * 1000);
    /* Without sharing, the same 64 users on 64 channels only see the access
     * time plus 1 MiB at 2 GB/s per channel: o.mean 0.3 + 0.524 ms (about 1.5
     * million samples: the standard error of the o.mean is ~0.0003 ms). */
    CHECK_EQ_I64(run_model(64, "{\"exp\": \"300us\"}, \"bandwidth\": \"2GB/s\"", "0B/s", "", 64, &o, NULL), 0);
    CHECK_NEAR(o.mean, 0.3 + XFER_MS, 0.005);
}

/* A curve through 2 GB/s at n = 1, 3 GB/s at 3 and 5 GB/s at 5 (linear
 * between, constant beyond): B(4) = 4 GB/s, B(8) = 5 GB/s. It replaces
 * shared_bandwidth (set to a wrong 1 GB/s here to show it is ignored). */
#define CURVE ", \"bandwidth_curve\": [[1, \"2GB/s\"], [3, 3e9], [5, \"5GB/s\"]]"

static void test_curve_exact(void)
{
    model_out o;
    /* With a curve a request's whole time is work: 1 ms x B(1) = 2e6 bytes.
     * Alone it takes exactly the access time. */
    CHECK_EQ_I64(run_model(1, "\"1ms\"", "1GB/s", CURVE, 16, &o, NULL), 0);
    CHECK_NEAR(o.mean, 1.0, 1e-4);
    /* Four synchronised users: four works of 2e6 bytes share B(4) = 4 GB/s
     * and end together after 8e6 / 4e9 s = 2 ms. */
    CHECK_EQ_I64(run_model(4, "\"1ms\"", "1GB/s", CURVE, 16, &o, NULL), 0);
    double want = 2.0;
    CHECK_NEAR(o.mean, want, 1e-4); /* the summary's 4 decimals */
    CHECK_NEAR(o.rps, 4 / want * 1000, 1.0);
    /* Eight: beyond the last point B = 5 GB/s: 16e6 / 5e9 s = 3.2 ms;
     * channels (4 here) limit nothing with a curve. */
    CHECK_EQ_I64(run_model(8, "\"1ms\"", "1GB/s", CURVE, 4, &o, NULL), 0);
    CHECK_NEAR(o.mean, 3.2, 1e-4);
    /* An access time shorter than size / B(1) (100 us < 0.52 ms) is still
     * the lone time: nothing is truncated. */
    CHECK_EQ_I64(run_model(1, "\"100us\"", "1GB/s", CURVE, 16, &o, NULL), 0);
    CHECK_NEAR(o.mean, 0.1, 1e-4);
    /* A first point above 1 holds below it: [[2, 2GB/s]]: B(1) = B(2), two
     * users take 2 x 2e6 / 2e9 s = 2 ms. */
    CHECK_EQ_I64(run_model(2, "\"1ms\"", "1GB/s", ", \"bandwidth_curve\": [[2, \"2GB/s\"]]", 16, &o, NULL),
                 0);
    CHECK_NEAR(o.mean, 2.0, 1e-4);
}

static void test_curve_bad_input(void)
{
    /* Each malformed curve is refused with its JSON path and what was expected. */
    static const struct { const char *curve, *want; } cases[] = {
        { ", \"bandwidth_curve\": 5", "bandwidth_curve: expected a list of 1 to 32 points" },
        { ", \"bandwidth_curve\": []", "bandwidth_curve: expected a list of 1 to 32 points" },
        { ", \"bandwidth_curve\": [[1, \"fast\"]]", "bandwidth_curve[0]: expected [n, bandwidth]" },
        { ", \"bandwidth_curve\": [[0, \"1GB/s\"]]", "bandwidth_curve[0]: expected [n, bandwidth]" },
        { ", \"bandwidth_curve\": [[1, -5]]", "bandwidth_curve[0]: expected [n, bandwidth]" },
        { ", \"bandwidth_curve\": [[1, \"1GB/s\", 3]]", "bandwidth_curve[0]: expected [n, bandwidth]" },
        { ", \"bandwidth_curve\": [[1, \"1GB/s\"], {\"n\": 2}]", "bandwidth_curve[1]: expected [n, bandwidth]" },
        { ", \"bandwidth_curve\": [[4, \"1GB/s\"], [2, \"2GB/s\"]]",
          "bandwidth_curve[1]: expected n greater than the previous point's 4, found 2" },
        { ", \"journal\": \"1ms\", \"bandwidth_curve\": [[1, \"1GB/s\"]]",
          "journal: journal cannot be combined with bandwidth_curve" },
        { ", \"write_weight_curve\": 0.5", "write_weight_curve: expected a list of 1 to 32 points like [4, 0.5]" },
        { ", \"write_weight_curve\": [[1, 0]]", "write_weight_curve[0]: expected [n, weight]" },
        { ", \"write_weight_curve\": [[1, 2000]]", "write_weight_curve[0]: expected [n, weight]" },
        { ", \"write_weight_curve\": [[1, \"half\"]]", "write_weight_curve[0]: expected [n, weight]" },
        { ", \"write_weight_curve\": [[2, 0.5], [2, 0.3]]",
          "write_weight_curve[1]: expected n greater than the previous point's 2, found 2" },
        { ", \"journal\": {\"exp\": \"1ms\"}, \"bandwidth_curve\": [[1, \"1GB/s\"]]",
          "journal: journal cannot be combined with bandwidth_curve" },
        { ", \"journal\": {\"pareto\": {\"alpha\": 0.9, \"min\": \"1ms\"}}", "journal: journal needs a finite mean" },
        { ", \"journal\": \"fast\"", "journal: expected a duration" },
        { ", \"journal\": {\"exp\": \"-1ms\"}", "journal.exp: expected a duration" },
        { ", \"spell_every\": \"1s\"", "spell_length: spell_every needs a spell_length above 0" },
        { ", \"spell_length\": \"10ms\"", "spell_length: a spell needs spell_every" },
        { ", \"spell_factor\": 2", "spell_factor: a spell needs spell_every" },
        { ", \"spell_every\": {\"pareto\": {\"alpha\": 0.5, \"min\": \"1s\"}}, \"spell_length\": \"1ms\"",
          "spell_every: spells need a finite mean" },
        { ", \"spell_every\": \"1s\", \"spell_length\": \"1ms\", \"spell_factor\": 0.5", "spell_factor" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_refused("1GB/s", cases[i].curve, cases[i].want);
}

/* One transfer at a time changes who waits, not the throughput. Two users,
 * a lone read of 3x where x = 1 MiB / 2 GB/s is the transfer: a channel
 * part of 2x, then x of transfer. Both start together; under sharing they
 * stay in step, transferring together at half speed: 2x + 2x = 4x each,
 * 2 / 4x reads/s. One at a time (fifo, and elevator, which has nobody to
 * sort), the first goes in x and the second waits for it, which puts
 * them out of step for good: from then on each arrives while the other is
 * in its channel part and takes exactly 3x, 2 / 3x reads/s. */
static void test_order_two_users_exact(void)
{
    static const char *orders[] = { "shared", "fifo", "elevator" };
    for (int i = 0; i < 3; i++) {
        char extra[64];
        snprintf(extra, sizeof extra, ", \"transfer_order\": \"%s\"", orders[i]);
        model_out o;
        CHECK_EQ_I64(run_model(2, "\"1.572864ms\"", "2GB/s", extra, 16, &o, NULL), 0);
        double want = i == 0 ? 4 * XFER_MS : 3 * XFER_MS;
        CHECK_NEAR(o.p50, want, want * 0.003); /* the histogram's 1/512 */
        CHECK_NEAR(o.p99, want, want * 0.003);
        CHECK_NEAR(o.rps, 2 / want * 1e3, 2 / want * 1e3 * 0.001);
    }
}

/* With a device queue that holds every request the elevator never sorts:
 * the same draws and the same arrival order give the same run as fifo. */
static void test_elevator_full_device_is_fifo(void)
{
    model_out f, e;
    CHECK_EQ_I64(run_model(8, "{\"exp\": \"1ms\"}", "2GB/s", ", \"transfer_order\": \"fifo\"", 16, &f, NULL), 0);
    CHECK_EQ_I64(run_model(8, "{\"exp\": \"1ms\"}", "2GB/s",
                             ", \"transfer_order\": \"elevator\", \"device_queue\": 8", 16, &e, NULL),
                 0);
    CHECK_NEAR(e.p50, f.p50, 0);
    CHECK_NEAR(e.p99, f.p99, 0);
    CHECK_NEAR(e.mean, f.mean, 0);
    CHECK_NEAR(e.rps, f.rps, 0);
}

/* C users, each read a transfer of x alone (no channel part): a single
 * server with no idle time, so every order moves 1 / x reads/s and, by
 * Little's law, the mean latency is C x. FIFO serves them in a fixed
 * rotation: every read takes exactly C x. The elevator sweeps positions
 * upwards; a read lands at a uniform distance ahead of the sweep and waits
 * for it to get there, so for large C its latency is close to uniform on
 * (0, T), T the time of a sweep, and the mean C x gives T = 2 C x:
 * quantile q is near 2 q C x. A sweep serves about 2C = 128 reads, a
 * number that varies from sweep to sweep by about sqrt(128), 9%: that
 * smears the upper end of the uniform by about 9% of T and leaves its
 * middle in place. Hence: p50 within 3% of T / 2 (granularity 1/128 of T,
 * the histogram's 0.2%, sampling over 38,000 reads 0.3%), p90 within 5% of
 * 0.9 T (one smear's width from the end), and p99 within 10% of T. */
static void test_elevator_spreads_latency(void)
{
    const int c = 64;
    double t = 2 * c * XFER_MS;
    model_out f, e;
    CHECK_EQ_I64(run_model(c, "\"0.524288ms\"", "2GB/s", ", \"transfer_order\": \"fifo\"", 16, &f, NULL), 0);
    CHECK_EQ_I64(run_model(c, "\"0.524288ms\"", "2GB/s", ", \"transfer_order\": \"elevator\"", 16, &e, NULL), 0);
    CHECK_NEAR(f.p50, c * XFER_MS, c * XFER_MS * 0.003);
    CHECK_NEAR(f.p99, c * XFER_MS, c * XFER_MS * 0.003);
    /* reads/s: 1 / x, less the c reads in flight when the 20 s window
     * opens, which began before it and are not counted */
    double rps = 1e3 / XFER_MS - c / 20.0;
    CHECK_NEAR(f.rps, rps, rps * 0.0005);
    CHECK_NEAR(e.rps, rps, rps * 0.0005);
    CHECK_NEAR(e.mean, c * XFER_MS, c * XFER_MS * 0.01);
    CHECK_NEAR(e.p50, 0.50 * t, 0.03 * t);
    CHECK_NEAR(e.p90, 0.90 * t, 0.05 * t);
    CHECK_NEAR(e.p99, 1.00 * t, 0.10 * t);
}

/* transfer_order rounds, on a curve of one point (a fixed bandwidth). A
 * lone request whose drawn time t is at least round_wake + completion_time
 * takes exactly t: its transfer (t - completion) ends after the round's
 * close, and its answer then has its CPU time. So at one in flight rounds
 * gives the very run fifo gives (the same draws from the same stream). */
#define ONE_POINT ", \"bandwidth_curve\": [[1, \"2GB/s\"]]"
/* rounds on that point, closed 1 us after they begin */
#define ROUNDS_1US ONE_POINT ", \"transfer_order\": \"rounds\", \"round_wake\": \"1us\""

static void test_rounds_lone_is_fifo(void)
{
    const char *access = "{\"uniform\": {\"low\": \"100us\", \"high\": \"300us\"}}";
    model_out f, r;
    CHECK_EQ_I64(run_model(1, access, "1GB/s", ONE_POINT ", \"transfer_order\": \"fifo\"", 16, &f, NULL), 0);
    CHECK_EQ_I64(run_model(1, access, "1GB/s",
                             ONE_POINT ", \"transfer_order\": \"rounds\", \"round_wake\": \"20us\", "
                                       "\"completion_cpus\": 2, \"completion_time\": \"10us\"",
                             16, &r, NULL),
                 0);
    CHECK_NEAR(r.mean, f.mean, 0);
    CHECK_NEAR(r.p50, f.p50, 0);
    CHECK_NEAR(r.p99, f.p99, 0);
    CHECK_NEAR(r.rps, f.rps, 0);
    CHECK_NEAR(r.round_size, 1, 0);
}

/* Sixteen users. First every request is 40 us of transfer, one at a time,
 * and answers take no CPU: all sixteen are answered together and come back
 * together, so every round has 16 requests and every request takes
 * 16 x 40 = 640 us (the round's transfers start as its requests arrive;
 * the 1 us wake only decides who is in it).
 * Then every request is 50 us, of which 10 us is its answer's CPU: still
 * 40 us of transfer. With two CPUs, a round's 16 answers leave in pairs at 10,
 * 20, ..., 80 us. The first pair opens a round that closes 1 us later
 * (round_wake), so it holds just those two; the other 14 arrive while it
 * transfers and form the next round, closed 1 us after the two are
 * answered. Rounds alternate 2 and 14 (mean 8), the device never idles
 * (the 14 queue behind the 2, the next 2 behind the 14), so throughput is
 * still 1 / 40 us and the mean 640 us (Little), but a request now takes
 * from 580 to 700 us, by where its answer falls in the pairs. Less the 16
 * requests begun before the 20 s window, 25000 - 16 / 20 reads/s. */
static void test_rounds_stragglers_exact(void)
{
    model_out o;
    CHECK_EQ_I64(run_model(16, "\"40us\"", "1GB/s", ROUNDS_1US ", \"completion_time\": \"0s\"", 16, &o, NULL),
                 0);
    CHECK_NEAR(o.round_size, 16, 1e-3);
    CHECK_NEAR(o.p50, 0.640, 0.640 / 512); /* the histogram's resolution */
    CHECK_NEAR(o.p99, 0.640, 0.640 / 512);
    CHECK_EQ_I64(run_model(16, "\"50us\"", "1GB/s",
                           ROUNDS_1US ", \"completion_cpus\": 2, \"completion_time\": \"10us\"", 16, &o, NULL),
                 0);
    CHECK_NEAR(o.round_size, 8, 1e-3);
    CHECK_NEAR(o.mean, 0.640, 1e-4); /* the summary's 4 decimals */
    CHECK_NEAR(o.rps, 25000 - 16 / 20.0, 0.5);
    CHECK_TRUE(o.p50 > 0.580 && o.p50 < 0.700);
    CHECK_NEAR(o.p99, 0.700, 0.700 / 512);
}

/* round_stall_above: slowness belongs to rounds. Four users, every draw
 * 100 us, above the 60 us threshold: each request's own time becomes 60 us
 * (twenty draws all above it), and the round's opener brings a stall of
 * 40 us. The four arrive together, the round closes 1 us later and the
 * device stops for 40 us: the four transfers (4 x 60 us) end at 280 us,
 * and so does every request, round after round - where without the stall
 * each takes 4 x 100 = 400 us. One stall per round, of 40 us.
 * At one in flight a stall is the request's own: a request takes its
 * drawn time whatever the threshold, so uniform draws on 100-300 us keep
 * their quantiles (p50 200 us, p99 298 us; over some 100,000 draws the
 * sampling error is below 0.1%, the histogram's resolution 0.2%). */
static void test_rounds_stall(void)
{
    model_out o;
    CHECK_EQ_I64(run_model(4, "\"100us\"", "1GB/s", ROUNDS_1US ", \"round_stall_above\": \"60us\"", 16, &o, NULL), 0);
    CHECK_NEAR(o.p50, 0.280, 0.280 / 512);
    CHECK_NEAR(o.p99, 0.280, 0.280 / 512);
    CHECK_NEAR(o.rps, 4 / 0.280e-3 - 4 / 20.0, 1);
    CHECK_NEAR(o.round_size, 4, 1e-3);
    CHECK_EQ_I64(run_model(4, "\"100us\"", "1GB/s", ROUNDS_1US, 16, &o, NULL), 0);
    CHECK_NEAR(o.p50, 0.400, 0.400 / 512);
    CHECK_EQ_I64(run_model(1, "{\"uniform\": {\"low\": \"100us\", \"high\": \"300us\"}}", "1GB/s",
                           ROUNDS_1US ", \"round_stall_above\": \"150us\", \"completion_time\": \"10us\"", 16, &o,
                           NULL),
                 0);
    CHECK_NEAR(o.p50, 0.200, 0.200 * 0.003);
    CHECK_NEAR(o.p99, 0.298, 0.298 * 0.003);
    CHECK_NEAR(o.mean, 0.200, 0.200 * 0.003);
}

static void test_order_bad_input(void)
{
    /* Each wrong combination is refused with its JSON path and why. */
    static const struct { const char *shared, *extra, *want; } cases[] = {
        { "2GB/s", ", \"transfer_order\": \"lifo\"", "transfer_order" },
        { "2GB/s", ", \"transfer_order\": 3", "transfer_order" },
        { "0B/s", ", \"transfer_order\": \"fifo\"",
          "transfer_order: fifo, elevator and rounds need shared_bandwidth or bandwidth_curve" },
        { "2GB/s", ", \"transfer_order\": \"fifo\", \"device_queue\": 2",
          "device_queue: device_queue applies to transfer_order \"elevator\" only" },
        { "2GB/s", ", \"device_queue\": 4", "device_queue: device_queue applies" },
        { "2GB/s", ", \"transfer_order\": \"elevator\", \"device_queue\": \"lots\"", "device_queue" },
        { "2GB/s", ", \"transfer_order\": \"elevator\", \"device_queue\": 0", "device_queue" },
        { "2GB/s", ", \"transfer_order\": \"elevator\", \"write_weight\": 0.5",
          "write_weight: write_weight applies to transfer_order \"shared\" only" },
        { "2GB/s", ", \"transfer_order\": \"fifo\", \"write_weight_curve\": [[1, 0.5]]",
          "write_weight_curve: write_weight_curve needs shared_bandwidth or bandwidth_curve, with transfer_order" },
        { "0B/s", ", \"write_weight_curve\": [[1, 0.5]]", "write_weight_curve: write_weight_curve needs" },
        { "2GB/s", ", \"transfer_order\": \"rounds\"", "transfer_order: rounds needs bandwidth_curve" },
        { "0B/s", ", \"transfer_order\": \"rounds\", \"round_wake\": \"1us\"",
          "transfer_order: fifo, elevator and rounds need shared_bandwidth or bandwidth_curve" },
        { "2GB/s", ", \"transfer_order\": \"fifo\", \"round_wake\": \"1us\"",
          "round_wake: round_wake, completion_cpus, completion_time and round_stall_above apply to transfer_order "
          "\"rounds\" only" },
        { "2GB/s", ", \"completion_time\": \"1us\"", "completion_time: round_wake, completion_cpus" },
        { "2GB/s", ", \"completion_cpus\": 2", "completion_cpus: round_wake, completion_cpus" },
        { "2GB/s", ", \"round_stall_above\": \"1ms\"", "round_stall_above: round_wake, completion_cpus" },
        { "2GB/s", ", \"write_share\": 0.5, \"transfer_order\": \"fifo\"",
          "write_share: write_share needs shared_bandwidth or bandwidth_curve, transfer_order \"shared\" and no "
          "journal" },
        { "0B/s", ", \"write_share\": 0.5", "write_share: write_share needs" },
        { "2GB/s", ", \"write_share\": 0.5, \"journal\": \"1ms\"", "write_share: write_share needs" },
        { "2GB/s", ", \"write_share\": 0", "write_share" },
        { "2GB/s", ", \"write_share\": 1.5", "write_share" },
        { "2GB/s", ", \"write_share\": \"half\"", "write_share" },
        { "2GB/s", ONE_POINT ", \"transfer_order\": \"rounds\", \"round_stall_above\": \"-1ms\"",
          "round_stall_above" },
        { "2GB/s", ONE_POINT ", \"transfer_order\": \"rounds\", \"round_stall_above\": [1]",
          "round_stall_above" },
        { "2GB/s", ONE_POINT ", \"transfer_order\": \"rounds\", \"completion_cpus\": 0", "completion_cpus" },
        { "2GB/s", ONE_POINT ", \"transfer_order\": \"rounds\", \"round_wake\": \"soon\"", "round_wake" },
        { "2GB/s", ONE_POINT ", \"transfer_order\": \"rounds\", \"round_wake\": {\"exp\": \"-1us\"}",
          "round_wake.exp: expected a duration" },
        { "2GB/s",
          ONE_POINT ", \"transfer_order\": \"rounds\", "
                    "\"completion_time\": {\"pareto\": {\"alpha\": 0.9, \"min\": \"1us\"}}",
          "completion_time: expected a distribution with a finite mean" },
        { "2GB/s", ", \"write_tail_above\": \"2ms\"", "write_tail_above: write_tail_above needs bandwidth_curve" },
        { "2GB/s", ", \"write_tail_bandwidth\": \"1GB/s\"",
          "write_tail_bandwidth: write_tail_bandwidth needs write_tail_above" },
        { "2GB/s", ONE_POINT ", \"write\": \"1ms\", \"write_tail_above\": \"2ms\"",
          "write_tail_above: write_tail_above must fall inside `write`: no write time is above it" },
        { "2GB/s", ONE_POINT ", \"write\": \"1ms\", \"write_tail_above\": \"500us\"",
          "write_tail_above: write_tail_above must fall inside `write`: every write time is above it" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"100s\"", "write_tail_above: write_tail_above must fall" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"soon\"", "write_tail_above" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"2ms\", \"write_tail_bandwidth\": -1",
          "write_tail_bandwidth" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"2ms\", \"write_tail_window\": [1]", "write_tail_window" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"2ms\", \"write_tail_follows\": \"writes\"",
          "write_tail_follows" },
        { "2GB/s", ONE_POINT ", \"write_tail_above\": \"2ms\", \"write_tail_follows\": \"reads\", "
                    "\"write_tail_read_boost\": -1",
          "write_tail_read_boost" },
        /* companions set to other than their defaults without what they
         * modify would be ignored: refused (defaults pass: `show` prints them) */
        { "2GB/s", ONE_POINT ", \"write_tail_window\": \"50ms\"",
          "write_tail_window: write_tail_window needs write_tail_above" },
        { "2GB/s", ONE_POINT ", \"write_tail_follows\": \"reads\"",
          "write_tail_follows: write_tail_follows needs write_tail_above" },
        { "2GB/s", ONE_POINT ", \"write_tail_read_boost\": 0.7",
          "write_tail_read_boost: write_tail_read_boost needs write_tail_follows \"reads\"" },
        { "2GB/s", ONE_POINT ", \"write\": {\"uniform\": {\"low\": \"1ms\", \"high\": \"3ms\"}}, \"write_tail_above\": \"2ms\", "
                    "\"write_tail_read_boost\": 0.7",
          "write_tail_read_boost: write_tail_read_boost needs write_tail_follows \"reads\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_refused(cases[i].shared, cases[i].extra, cases[i].want);
}

void test_chunkio_model_register(void)
{
    static const tests_case cases[] = {
        { "lone_request_takes_access", test_lone_request_takes_access },
        { "synchronised_sharing", test_synchronised_sharing },
        { "saturation_is_bandwidth", test_saturation_is_bandwidth },
        { "curve_exact", test_curve_exact },
        { "curve_bad_input", test_curve_bad_input },
        { "order_two_users_exact", test_order_two_users_exact },
        { "elevator_full_device_is_fifo", test_elevator_full_device_is_fifo },
        { "elevator_spreads_latency", test_elevator_spreads_latency },
        { "rounds_lone_is_fifo", test_rounds_lone_is_fifo },
        { "rounds_stragglers_exact", test_rounds_stragglers_exact },
        { "rounds_stall", test_rounds_stall },
        { "order_bad_input", test_order_bad_input },
        { NULL, NULL },
    };
    tests_add_suite("chunkio_model", cases);
}
