/* reports/plots.c - writing the gnuplot scripts of a run and running them. */
#include "reports/plots.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/csv.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "sim/errors.h"

void reports_expand(rbuf *b, const char *tmpl, const char *const *keys, const char *const *vals, size_t n)
{
    const char *p = tmpl;
    while (*p) {
        const char *at = strchr(p, '@');
        if (!at) {
            rbuf_puts(b, p);
            return;
        }
        rbuf_append(b, p, (size_t)(at - p));
        const char *end = strchr(at + 1, '@');
        size_t i = n;
        if (end) {
            for (i = 0; i < n; i++)
                if (strlen(keys[i]) == (size_t)(end - at - 1) && !strncmp(at + 1, keys[i], (size_t)(end - at - 1)))
                    break;
        }
        if (i < n) {
            rbuf_puts(b, vals[i]);
            p = end + 1;
        } else {
            rbuf_append(b, "@", 1);
            p = at + 1;
        }
    }
}

/* A gnuplot-safe word: component ids go into a space-separated list. */
static int plain_word(const char *s)
{
    if (!*s) return 0;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\\' || (unsigned char)*p < 0x20) return 0;
    return 1;
}

/* A grey band over the warm-up, whose requests the summary leaves out:
 * the band into m (drawn in every panel), its label into l. */
static void warmup_band(rbuf *m, rbuf *l, double warmup_s)
{
    if (!(warmup_s > 0) || !isfinite(warmup_s)) return;
    rbuf_puts(m, "# the warm-up: not counted in summary.json\n");
    rbuf_printf(m, "set object 1 rect from 0, graph 0 to %.9g, graph 1 behind fc rgb \"#e8e8e8\" fs solid noborder\n",
                warmup_s);
    rbuf_printf(l, "set label 1 \"warm-up\" at %.9g, graph 0.93 center tc rgb \"#777777\" font \",9\"\n",
                warmup_s / 2);
}

/* Every time plot spans the whole run. Left to autoscale, a panel whose
 * column is empty after some time (p50/p99 once no request completes, as in
 * a retry storm that never recovers) stopped there: its time axis no longer
 * lined up with the panels above it and its fault markers fell off it. */
static void time_axis(rbuf *m, double sim_s)
{
    if (!(sim_s > 0) || !isfinite(sim_s)) return;
    rbuf_puts(m, "# the whole run, in every panel (an empty column must not shorten its axis)\n");
    rbuf_printf(m, "set xrange [0:%.9g]\n", sim_s);
}

/* A dashed line (into m) per event time of events.csv, and a label (into l)
 * per group of events closer together than 1.5% of the run (span_s, about 12
 * pixels of the 900-pixel plots: less than the height of a rotated 9-point
 * line): "crash web-2 / drop web-2" at one time, or the two health_down of
 * edge-outage.json 0.3 s apart, share one label at the group's first time,
 * so their texts do not print over each other. */
static void markers(rbuf *m, rbuf *l, const reports_csv *ev, double span_s)
{
    int ct = reports_csv_col(ev, "t_s"), ce = reports_csv_col(ev, "event"), cg = reports_csv_col(ev, "target");
    if (ct < 0) return;
    double near = span_s > 0 && isfinite(span_s) ? 0.015 * span_s : 0;
    rbuf_puts(m, "# one dashed line per event time of events.csv\n");
    rbuf_puts(l, "# the events' labels\n");
    double open_t = NAN, line_t = NAN;
    for (size_t r = 0; r < ev->nrows; r++) {
        double t = reports_csv_num(ev, r, (size_t)ct);
        if (!isfinite(t)) continue;
        if (t != line_t) {
            rbuf_printf(m, "set arrow from %.9g, graph 0 to %.9g, graph 1 nohead dt 2 lc rgb \"#cc0000\" front\n", t, t);
            line_t = t;
        }
        if (!isnan(open_t) && t >= open_t && t - open_t <= near) {
            rbuf_puts(l, " / ");
        } else {
            if (!isnan(open_t))
                rbuf_printf(l, "\" at %.9g, graph 0.98 right rotate by 90 offset -0.7,0 font \",9\" tc rgb \"#cc0000\" "
                               "front\n", open_t);
            rbuf_puts(l, "set label \"");
            open_t = t;
        }
        if (ce >= 0) rbuf_gpstr(l, reports_csv_cell(ev, r, (size_t)ce));
        if (cg >= 0 && *reports_csv_cell(ev, r, (size_t)cg)) {
            rbuf_puts(l, " ");
            rbuf_gpstr(l, reports_csv_cell(ev, r, (size_t)cg));
        }
    }
    if (!isnan(open_t))
        rbuf_printf(l, "\" at %.9g, graph 0.98 right rotate by 90 offset -0.7,0 font \",9\" tc rgb \"#cc0000\" front\n",
                    open_t);
}

static int write_script(const char *outdir, const char *name, const char *tmpl, const char *const *keys,
                        const char *const *vals, size_t n, char *err, size_t errlen)
{
    rbuf b;
    rbuf_init(&b);
    reports_expand(&b, tmpl, keys, vals, n);
    char path[4096];
    snprintf(path, sizeof path, "%s/plots/%s.gp", outdir, name);
    int rc = b.oom ? SIM_ENOMEM : reports_write_file(path, rbuf_str(&b), b.n);
    if (rc < 0) snprintf(err, errlen, "%s: cannot write (%s)", path, sim_strerror(rc));
    rbuf_free(&b);
    return rc;
}

/* Starts `gnuplot plots/NAME.gp` in outdir and returns its pid, or -1. The
 * child exits 127 when gnuplot cannot be executed. */
static pid_t start_gnuplot(const char *outdir, const char *cmd, const char *name)
{
    char script[256], log[4096];
    snprintf(script, sizeof script, "plots/%s.gp", name);
    snprintf(log, sizeof log, "%s/plots/gnuplot.log", outdir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (in >= 0) dup2(in, 0);
        if (chdir(outdir) != 0) _exit(126);
        execlp(cmd, cmd, script, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Exit status of a started gnuplot, -1 when it was not started or died. */
static int wait_gnuplot(pid_t pid)
{
    if (pid < 0) return -1;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int reports_plots_write(const char *outdir, const char *gnuplot_cmd, reports_plot_result *res, char *err,
                        size_t errlen)
{
    memset(res, 0, sizeof *res);
    char path[4096];
    cJSON *sum = NULL;
    snprintf(path, sizeof path, "%s/summary.json", outdir);
    int rc = reports_json_load(path, &sum, err, errlen);
    if (rc < 0) return rc;
    snprintf(path, sizeof path, "%s/plots", outdir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        cJSON_Delete(sum);
        return SIM_EIO;
    }
    rbuf title, mark, labels, hit, util;
    rbuf_init(&title);
    rbuf_init(&mark);
    rbuf_init(&labels);
    rbuf_init(&hit);
    rbuf_init(&util);
    const char *name = reports_json_str(sum, "scenario.name");
    rbuf_gpstr(&title, name ? name : "cdnsim run");
    double sim_s = reports_json_num(sum, "sim_s", 0);
    warmup_band(&mark, &labels, reports_json_num(sum, "warmup_s", 0));
    time_axis(&mark, sim_s);
    cJSON_Delete(sum);

    reports_csv ev = { 0 }, ts = { 0 };
    snprintf(path, sizeof path, "%s/events.csv", outdir);
    if (reports_file_exists(path)) {
        rc = reports_csv_load(path, &ev, err, errlen);
        if (rc < 0) goto out;
        markers(&mark, &labels, &ev, sim_s);
    }
    char window[64] = "1";
    int have_ts = 0;
    snprintf(path, sizeof path, "%s/timeseries.csv", outdir);
    if (reports_file_exists(path)) {
        rc = reports_csv_load(path, &ts, err, errlen);
        if (rc < 0) goto out;
        have_ts = 1;
        int ct = reports_csv_col(&ts, "t_s");
        if (ct >= 0 && ts.nrows >= 2) {
            double w = reports_csv_num(&ts, 1, (size_t)ct) - reports_csv_num(&ts, 0, (size_t)ct);
            if (w > 0) snprintf(window, sizeof window, "%.9g", w);
        }
        for (size_t j = 0; j < ts.ncols; j++) {
            const char *h = ts.header[j];
            if (!strncmp(h, "hit_ratio:", 10) && plain_word(h + 10)) {
                rbuf_puts(&hit, hit.n ? " " : "");
                rbuf_puts(&hit, h + 10);
            } else if (!strncmp(h, "util:", 5) && plain_word(h + 5)) {
                rbuf_puts(&util, util.n ? " " : "");
                rbuf_puts(&util, h + 5);
            }
        }
    }
    if (title.oom || mark.oom || labels.oom || hit.oom || util.oom) {
        rc = SIM_ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    const char *keys[] = { "TITLE", "MARKERS", "LABELS", "WINDOW_S", "IDS" };
    struct {
        const char *name, *tmpl;
        int want;
        const char *ids;
    } plots[REPORTS_MAX_PLOTS] = {
        { "latency_cdf", reports_gp_latency_cdf, 0, "" },
        { "timeline", reports_gp_timeline, have_ts, "" },
        { "hit_ratio", reports_gp_hit_ratio, hit.n > 0, rbuf_str(&hit) },
        { "utilization", reports_gp_utilization, util.n > 0, rbuf_str(&util) },
    };
    snprintf(path, sizeof path, "%s/latency.csv", outdir);
    plots[0].want = reports_file_exists(path);
    for (int i = 0; i < REPORTS_MAX_PLOTS; i++) {
        if (!plots[i].want) continue;
        const char *vals[] = { rbuf_str(&title), rbuf_str(&mark), rbuf_str(&labels), window, plots[i].ids };
        rc = write_script(outdir, plots[i].name, plots[i].tmpl, keys, vals, 5, err, errlen);
        if (rc < 0) goto out;
        res->names[res->nscripts++] = plots[i].name;
    }
    /* Draw. A missing gnuplot skips the images, never the run. */
    const char *cmd = gnuplot_cmd;
    if (!cmd || !*cmd) cmd = getenv("CDNSIM_GNUPLOT");
    if (!cmd || !*cmd) cmd = "gnuplot";
    snprintf(path, sizeof path, "%s/plots/gnuplot.log", outdir);
    unlink(path);
    /* The scripts are independent: draw them all at once (a few processes,
     * each mostly busy rendering; on a big run the heat map's SVG is the
     * slowest). */
    pid_t pids[REPORTS_MAX_PLOTS];
    for (size_t i = 0; i < res->nscripts; i++) pids[i] = start_gnuplot(outdir, cmd, res->names[i]);
    size_t failed = 0;
    for (size_t i = 0; i < res->nscripts; i++) {
        int st = wait_gnuplot(pids[i]);
        if (st == 127 || st == -1) {
            res->skipped = 1;
            snprintf(res->why, sizeof res->why, "plots skipped: could not run '%s' (install gnuplot-nox); "
                     "the scripts are in %s/plots/", cmd, outdir);
            continue;
        }
        char png[4096], svg[4096];
        snprintf(png, sizeof png, "%s/plots/%s.png", outdir, res->names[i]);
        snprintf(svg, sizeof svg, "%s/plots/%s.svg", outdir, res->names[i]);
        res->drawn[i] = st == 0 && reports_file_exists(png) && reports_file_exists(svg);
        if (!res->drawn[i]) failed++;
    }
    if (res->skipped)
        for (size_t i = 0; i < res->nscripts; i++) res->drawn[i] = 0;
    if (failed && !res->skipped)
        snprintf(res->why, sizeof res->why, "%zu plot(s) failed: see %s/plots/gnuplot.log", failed, outdir);
    rc = 0;
out:
    reports_csv_free(&ev);
    reports_csv_free(&ts);
    rbuf_free(&title);
    rbuf_free(&mark);
    rbuf_free(&labels);
    rbuf_free(&hit);
    rbuf_free(&util);
    return rc;
}
