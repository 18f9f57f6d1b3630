/* reports/html.c - the self-contained report.html of a run. */
#include "reports/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/csv.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "sim/errors.h"

#ifndef CDNSIM_VERSION
#define CDNSIM_VERSION "0.1.0"
#endif

static const char STYLE[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1000px;"
    "padding:0 1em;color:#222;line-height:1.4}"
    "h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}"
    ".desc{font-size:1.1em;color:#444}.meta{color:#666;font-size:.9em}"
    ".warn{background:#fff3cd;border:1px solid #e0c060;padding:.5em .8em;border-radius:4px}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.92em}"
    "th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}"
    "th{background:#f4f4f4}td.l,th.l{text-align:left}"
    ".ci{color:#777;font-size:.9em}"
    ".cards{display:flex;flex-wrap:wrap;gap:.8em}"
    ".card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:9em}"
    ".card .v{font-size:1.5em;font-weight:600}.card .k{color:#666;font-size:.85em}"
    "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}"
    "figcaption{color:#555;font-size:.9em}"
    "svg.arch text{font-family:inherit}"
    "footer{margin-top:2em;color:#888;font-size:.8em}";

static const cJSON *get(const cJSON *o, const char *k)
{
    return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

/* Prints v with fmt, except that fmt "~" means "about 4 significant digits,
 * never an exponent": 0.0123, 23.56, 2574, 25736; and "~2" two significant
 * digits, for half-widths, again without an exponent from 100 up. */
static void put_num(rbuf *b, const char *fmt, double v)
{
    if (!strcmp(fmt, "~2")) rbuf_printf(b, fabs(v) >= 100 ? "%.0f" : "%.2g", v); /* half-widths */
    else if (strcmp(fmt, "~") != 0) rbuf_printf(b, fmt, v);
    else if (fabs(v) >= 1000) rbuf_printf(b, "%.0f", v);
    else if (fabs(v) >= 1e-3 || v == 0) rbuf_printf(b, "%.4g", v);
    else rbuf_printf(b, "%.2e", v);
}

/* A number with its interval when the summary has one ("NAME_ci"). */
static void num_ci(rbuf *b, const cJSON *obj, const char *key, const char *fmt)
{
    const cJSON *v = get(obj, key);
    if (!cJSON_IsNumber(v)) {
        rbuf_puts(b, "&ndash;");
        return;
    }
    put_num(b, fmt, v->valuedouble);
    char ck[128];
    snprintf(ck, sizeof ck, "%s_ci", key);
    const cJSON *ci = get(obj, ck);
    if (cJSON_IsNumber(ci)) {
        rbuf_puts(b, " <span class=\"ci\">&plusmn; ");
        put_num(b, strcmp(fmt, "~") ? fmt : "~2", ci->valuedouble);
        rbuf_puts(b, "</span>");
    }
}

static void card(rbuf *b, const char *label, const cJSON *obj, const char *key, const char *fmt, const char *unit)
{
    rbuf_puts(b, "<div class=\"card\"><div class=\"v\">");
    num_ci(b, obj, key, fmt);
    rbuf_puts(b, unit);
    rbuf_puts(b, "</div><div class=\"k\">");
    rbuf_html(b, label);
    rbuf_puts(b, "</div></div>\n");
}

/* ---- architecture ------------------------------------------------------ */

typedef struct node {
    const char *id, *kind, *region;
    const cJSON *links;
    int depth, row;
} node;

static int find_node(const node *v, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i].id, id)) return i;
    return -1;
}

static const char *kind_color(const char *kind)
{
    static const char *const pal[] = { "#dbe9f6", "#fde2c8", "#d9f0d3", "#eadcf3", "#fbd9de", "#f6f0c8", "#d6f1f0" };
    unsigned h = 5381;
    for (const char *p = kind ? kind : ""; *p; p++) h = h * 33 + (unsigned char)*p;
    return pal[h % (sizeof pal / sizeof *pal)];
}

#define BOX_W 140
#define BOX_H 42
#define COL_W 180
#define ROW_H 62
#define MAX_DIAGRAM 80

static void architecture(rbuf *b, const cJSON *comps)
{
    int n = cJSON_GetArraySize(comps);
    if (n <= 0) {
        rbuf_puts(b, "<p>The summary lists no components.</p>\n");
        return;
    }
    node *v = calloc((size_t)n, sizeof *v);
    if (!v) {
        b->oom = 1;
        return;
    }
    int k = 0;
    for (const cJSON *c = comps->child; c && k < n; c = c->next) {
        if (!c->string) continue;
        v[k].id = c->string;
        v[k].kind = cJSON_GetStringValue(get(c, "kind"));
        v[k].region = cJSON_GetStringValue(get(c, "region"));
        v[k].links = get(c, "links");
        k++;
    }
    n = k;
    /* Layers by longest path from the entry points; n rounds bound it even
     * if a cycle slipped through (the scenario layer rejects them). */
    for (int round = 0; round < n; round++) {
        int changed = 0;
        for (int i = 0; i < n; i++) {
            const cJSON *l;
            cJSON_ArrayForEach(l, v[i].links) {
                int j = cJSON_IsString(l) ? find_node(v, n, l->valuestring) : -1;
                if (j >= 0 && v[j].depth < v[i].depth + 1 && v[i].depth + 1 < n) {
                    v[j].depth = v[i].depth + 1;
                    changed = 1;
                }
            }
        }
        if (!changed) break;
    }
    int cols = 0, rows = 0, *count = calloc((size_t)n + 1, sizeof *count);
    if (!count) {
        free(v);
        b->oom = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        v[i].row = count[v[i].depth]++;
        if (v[i].depth + 1 > cols) cols = v[i].depth + 1;
        if (count[v[i].depth] > rows) rows = count[v[i].depth];
    }
    if (n <= MAX_DIAGRAM) {
        int w = cols * COL_W, h = rows * ROW_H + 10;
        rbuf_printf(b, "<svg class=\"arch\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                       "viewBox=\"0 0 %d %d\" style=\"max-width:100%%;height:auto\" role=\"img\" "
                       "aria-label=\"component diagram\">\n", w, h, w, h);
        rbuf_puts(b, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                     "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
                     "fill=\"#666\"/></marker></defs>\n");
        for (int i = 0; i < n; i++) {
            const cJSON *l;
            cJSON_ArrayForEach(l, v[i].links) {
                int j = cJSON_IsString(l) ? find_node(v, n, l->valuestring) : -1;
                if (j < 0) continue;
                int x1 = v[i].depth * COL_W + 10 + BOX_W, y1 = v[i].row * ROW_H + 10 + BOX_H / 2;
                int x2 = v[j].depth * COL_W + 10, y2 = v[j].row * ROW_H + 10 + BOX_H / 2;
                if (v[j].depth <= v[i].depth) x2 += BOX_W; /* a link backwards: to the right side */
                rbuf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#666\" "
                               "marker-end=\"url(#arrow)\"/>\n", x1, y1, x2, y2);
            }
        }
        for (int i = 0; i < n; i++) {
            int x = v[i].depth * COL_W + 10, y = v[i].row * ROW_H + 10;
            rbuf_printf(b, "<g><title>");
            rbuf_html(b, v[i].id);
            rbuf_printf(b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\" "
                           "stroke=\"#777\"/>", x, y, BOX_W, BOX_H, kind_color(v[i].kind));
            rbuf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"600\">",
                        x + BOX_W / 2, y + 17);
            char shortid[24];
            snprintf(shortid, sizeof shortid, "%s", v[i].id);
            if (strlen(v[i].id) >= sizeof shortid) strcpy(shortid + sizeof shortid - 4, "...");
            rbuf_html(b, shortid);
            rbuf_printf(b, "</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">",
                        x + BOX_W / 2, y + 33);
            rbuf_html(b, v[i].kind ? v[i].kind : "?");
            if (v[i].region) {
                rbuf_puts(b, " &middot; ");
                rbuf_html(b, v[i].region);
            }
            rbuf_puts(b, "</text></g>\n");
        }
        rbuf_puts(b, "</svg>\n");
    } else {
        rbuf_printf(b, "<p>%d components: too many for a diagram; see the list.</p>\n", n);
    }
    rbuf_printf(b, "<details%s><summary>The %d components and their links as a list</summary>\n<ul>\n",
                n <= 12 ? " open" : "", n);
    for (int i = 0; i < n; i++) {
        rbuf_puts(b, "<li><b>");
        rbuf_html(b, v[i].id);
        rbuf_puts(b, "</b> (");
        rbuf_html(b, v[i].kind ? v[i].kind : "?");
        if (v[i].region) {
            rbuf_puts(b, ", ");
            rbuf_html(b, v[i].region);
        }
        rbuf_puts(b, ")");
        int first = 1;
        const cJSON *l;
        cJSON_ArrayForEach(l, v[i].links) {
            if (!cJSON_IsString(l)) continue;
            rbuf_puts(b, first ? " &rarr; " : ", ");
            rbuf_html(b, l->valuestring);
            first = 0;
        }
        rbuf_puts(b, "</li>\n");
    }
    rbuf_puts(b, "</ul>\n</details>\n");
    free(count);
    free(v);
}

/* ---- tables ------------------------------------------------------------ */

static void td_num(rbuf *b, const cJSON *obj, const char *key, const char *fmt)
{
    rbuf_puts(b, "<td>");
    num_ci(b, obj, key, fmt);
    rbuf_puts(b, "</td>");
}

static void components_table(rbuf *b, const cJSON *comps)
{
    rbuf_puts(b, "<table>\n<tr><th class=\"l\">component</th><th class=\"l\">kind</th><th class=\"l\">region</th>"
                 "<th>requests</th><th>utilization</th><th>mean queue</th><th>mean ms</th><th>p50 ms</th>"
                 "<th>p99 ms</th><th>hit ratio</th><th>byte hit ratio</th></tr>\n");
    for (const cJSON *c = comps ? comps->child : NULL; c; c = c->next) {
        if (!c->string) continue;
        const cJSON *lat = get(c, "latency_ms");
        rbuf_puts(b, "<tr><td class=\"l\">");
        rbuf_html(b, c->string);
        rbuf_puts(b, "</td><td class=\"l\">");
        rbuf_html(b, cJSON_GetStringValue(get(c, "kind")));
        rbuf_puts(b, "</td><td class=\"l\">");
        rbuf_html(b, cJSON_GetStringValue(get(c, "region")));
        rbuf_puts(b, "</td>");
        td_num(b, c, "requests", "%.0f");
        td_num(b, c, "utilization", "%.3f");
        td_num(b, c, "mean_queue", "~");
        td_num(b, lat, "mean", "~");
        td_num(b, lat, "p50", "~");
        td_num(b, lat, "p99", "~");
        if (get(c, "hit_ratio")) td_num(b, c, "hit_ratio", "%.3f");
        else rbuf_puts(b, "<td></td>");
        if (get(c, "byte_hit_ratio")) td_num(b, c, "byte_hit_ratio", "%.3f");
        else rbuf_puts(b, "<td></td>");
        rbuf_puts(b, "</tr>\n");
    }
    rbuf_puts(b, "</table>\n");
}

static void events_table(rbuf *b, const reports_csv *ev)
{
    if (!ev->nrows) {
        rbuf_puts(b, "<p>No events (no faults in this scenario).</p>\n");
        return;
    }
    rbuf_puts(b, "<table>\n<tr>");
    for (size_t j = 0; j < ev->ncols; j++) {
        rbuf_puts(b, "<th class=\"l\">");
        rbuf_html(b, ev->header[j]);
        rbuf_puts(b, "</th>");
    }
    rbuf_puts(b, "</tr>\n");
    for (size_t r = 0; r < ev->nrows; r++) {
        rbuf_puts(b, "<tr>");
        for (size_t j = 0; j < ev->ncols; j++) {
            rbuf_puts(b, "<td class=\"l\">");
            rbuf_html(b, reports_csv_cell(ev, r, j));
            rbuf_puts(b, "</td>");
        }
        rbuf_puts(b, "</tr>\n");
    }
    rbuf_puts(b, "</table>\n");
}

static const char *plot_caption(const char *name)
{
    if (!strcmp(name, "latency_cdf")) return "Latency CDF: the fraction of requests finished within each latency (log scale).";
    if (!strcmp(name, "timeline")) return "Throughput, errors and p50/p99 latency per time window; dashed red lines mark events.";
    if (!strcmp(name, "hit_ratio")) return "Hit ratio per cache over time.";
    if (!strcmp(name, "utilization")) return "Utilization per component over time (busy servers / servers).";
    return "";
}

static int plots_section(rbuf *b, const char *outdir, const reports_plot_result *p, char *err, size_t errlen)
{
    if (!p || p->nscripts == 0) {
        rbuf_puts(b, "<p>No plots: the run wrote no latency.csv or timeseries.csv.</p>\n");
        return 0;
    }
    if (p->why[0]) {
        rbuf_puts(b, "<p class=\"warn\">");
        rbuf_html(b, p->why);
        rbuf_puts(b, "</p>\n");
    }
    char path[4096];
    for (size_t i = 0; i < p->nscripts; i++) {
        if (!p->drawn[i]) continue;
        snprintf(path, sizeof path, "%s/plots/%s.png", outdir, p->names[i]);
        size_t len = 0;
        unsigned char *png = (unsigned char *)reports_read_file(path, &len);
        if (!png) {
            snprintf(err, errlen, "%s: cannot read", path);
            return SIM_EIO;
        }
        rbuf_puts(b, "<figure><img alt=\"");
        rbuf_html(b, p->names[i]);
        rbuf_puts(b, "\" src=\"data:image/png;base64,");
        rbuf_base64(b, png, len);
        free(png);
        rbuf_puts(b, "\"><figcaption>");
        rbuf_html(b, plot_caption(p->names[i]));
        rbuf_printf(b, " Script: <a href=\"plots/%s.gp\">plots/%s.gp</a>, vector: <a href=\"plots/%s.svg\">"
                       "plots/%s.svg</a>.</figcaption></figure>\n",
                    p->names[i], p->names[i], p->names[i], p->names[i]);
    }
    return 0;
}

/* One row per replication (from DIR/<dirs[k]>/summary.json), so the spread
 * behind each interval can be seen. */
static void replications_table(rbuf *b, const char *outdir, const cJSON *reps)
{
    const cJSON *dirs = get(reps, "dirs"), *seeds = get(reps, "seeds");
    if (!cJSON_IsArray(dirs) || cJSON_GetArraySize(dirs) == 0) return;
    rbuf_puts(b, "<details><summary>The replications one by one</summary>\n<table>\n<tr><th class=\"l\">replication</th>"
                 "<th class=\"l\">seed</th><th>throughput (requests/s)</th><th>p50 ms</th><th>p99 ms</th>"
                 "<th>failed</th><th class=\"l\">partial</th></tr>\n");
    char path[4096], err[512];
    int k = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, dirs) {
        const cJSON *seed = cJSON_GetArrayItem(seeds, k++);
        if (!cJSON_IsString(d)) continue;
        snprintf(path, sizeof path, "%s/%s/summary.json", outdir, d->valuestring);
        cJSON *r = NULL;
        rbuf_puts(b, "<tr><td class=\"l\">");
        if (reports_json_load(path, &r, err, sizeof err) == 0) {
            /* The link is relative to the page; the file was just read. */
            rbuf_puts(b, "<a href=\"");
            rbuf_html(b, d->valuestring);
            rbuf_puts(b, "/summary.json\">");
            rbuf_html(b, d->valuestring);
            rbuf_puts(b, "</a>");
        } else {
            rbuf_html(b, d->valuestring);
        }
        rbuf_puts(b, "</td><td class=\"l\">");
        rbuf_html(b, cJSON_IsString(seed) ? seed->valuestring : "");
        rbuf_puts(b, "</td>");
        td_num(b, r, "throughput_rps", "%.1f");
        td_num(b, get(r, "latency_ms"), "p50", "~");
        td_num(b, get(r, "latency_ms"), "p99", "~");
        td_num(b, get(r, "requests"), "failed", "%.0f");
        rbuf_printf(b, "<td class=\"l\">%s</td></tr>\n", !r ? "(no summary)" : cJSON_IsTrue(get(r, "partial")) ? "yes" : "");
        cJSON_Delete(r);
    }
    rbuf_puts(b, "</table>\n</details>\n");
}

/* ---- the page ---------------------------------------------------------- */

int reports_html_write(const char *outdir, const reports_plot_result *plots, char *err, size_t errlen)
{
    char path[4096];
    cJSON *sum = NULL;
    snprintf(path, sizeof path, "%s/summary.json", outdir);
    int rc = reports_json_load(path, &sum, err, errlen);
    if (rc < 0) return rc;
    reports_csv ev = { 0 };
    snprintf(path, sizeof path, "%s/events.csv", outdir);
    int have_ev = reports_file_exists(path);
    if (have_ev && (rc = reports_csv_load(path, &ev, err, errlen)) < 0) {
        reports_csv_free(&ev);
        cJSON_Delete(sum);
        return rc;
    }
    const char *name = reports_json_str(sum, "scenario.name");
    const char *desc = reports_json_str(sum, "scenario.description");
    const cJSON *reps = get(sum, "replications");
    int nreps = (int)reports_json_num(sum, "replications.count", 1);

    rbuf b;
    rbuf_init(&b);
    rbuf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cdnsim report: ");
    rbuf_html(&b, name ? name : "run");
    rbuf_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", STYLE);
    rbuf_html(&b, name ? name : "cdnsim run");
    rbuf_puts(&b, "</h1>\n");
    if (desc && *desc) {
        rbuf_puts(&b, "<p class=\"desc\">");
        rbuf_html(&b, desc);
        rbuf_puts(&b, "</p>\n");
    }
    rbuf_puts(&b, "<p class=\"meta\">");
    const cJSON *seed = get(sum, "seed");
    if (cJSON_IsNumber(seed)) rbuf_printf(&b, "seed %.0f &middot; ", seed->valuedouble);
    rbuf_printf(&b, "%g s simulated after a %g s warm-up &middot; %.0f events in %.2f s of wall time",
                reports_json_num(sum, "sim_s", 0), reports_json_num(sum, "warmup_s", 0),
                reports_json_num(sum, "events", 0), reports_json_num(sum, "wall_s", 0));
    const char *sha = reports_json_str(sum, "scenario.sha256");
    if (sha) {
        rbuf_puts(&b, " &middot; scenario sha256 ");
        char shortsha[17];
        snprintf(shortsha, sizeof shortsha, "%s", sha);
        rbuf_html(&b, shortsha);
    }
    rbuf_puts(&b, "</p>\n");
    if (reps)
        rbuf_printf(&b, "<p class=\"meta\">%d replications with independent seeds: every number is their mean, "
                        "&plusmn; the half-width of its %.0f%% Student-t confidence interval.</p>\n",
                    nreps, 100 * reports_json_num(sum, "replications.confidence", 0.95));
    if (cJSON_IsTrue(get(sum, "partial")))
        rbuf_puts(&b, "<p class=\"warn\">This run was stopped early: the numbers cover only part of the "
                      "scenario (partial run).</p>\n");

    const cJSON *req = get(sum, "requests"), *lat = get(sum, "latency_ms");
    rbuf_puts(&b, "<h2>Headline numbers</h2>\n<div class=\"cards\">\n");
    card(&b, "throughput (completed requests/s)", sum, "throughput_rps", "%.1f", "");
    card(&b, "p50 latency", lat, "p50", "~", " ms");
    card(&b, "p99 latency", lat, "p99", "~", " ms");
    card(&b, "p99.9 latency", lat, "p999", "~", " ms");
    card(&b, "mean latency", lat, "mean", "~", " ms");
    /* The summary's own availability (completed / issued, docs/summary.md) when it has one, so that
     * the page, summary.json and compare show the same number; older summaries without it get
     * completed / finished, labelled as such. */
    const cJSON *av = get(sum, "availability"), *av_ci = get(sum, "availability_ci");
    double ok = reports_json_num(req, "completed", -1);
    double bad = reports_json_num(req, "failed", 0) + reports_json_num(req, "timed_out", 0) +
                 reports_json_num(req, "rejected", 0);
    if (cJSON_IsNumber(av)) {
        rbuf_printf(&b, "<div class=\"card\"><div class=\"v\">%.3f%%", 100 * av->valuedouble);
        if (cJSON_IsNumber(av_ci)) {
            rbuf_puts(&b, " <span class=\"ci\">&plusmn; ");
            put_num(&b, "~2", 100 * av_ci->valuedouble);
            rbuf_puts(&b, "%</span>");
        }
        rbuf_puts(&b, "</div><div class=\"k\">availability (completed / issued)</div></div>\n");
    } else if (ok >= 0 && ok + bad > 0) {
        rbuf_printf(&b, "<div class=\"card\"><div class=\"v\">%.3f%%</div><div class=\"k\">availability "
                        "(completed / finished)</div></div>\n", 100 * ok / (ok + bad));
    }
    rbuf_puts(&b, "</div>\n<table>\n<tr><th class=\"l\">requests</th><th>issued</th><th>completed</th><th>failed</th>"
                  "<th>timed out</th><th>rejected</th></tr>\n<tr><td class=\"l\">all</td>");
    td_num(&b, req, "issued", "%.0f");
    td_num(&b, req, "completed", "%.0f");
    td_num(&b, req, "failed", "%.0f");
    td_num(&b, req, "timed_out", "%.0f");
    td_num(&b, req, "rejected", "%.0f");
    rbuf_puts(&b, "</tr>\n</table>\n<table>\n<tr><th class=\"l\">latency (ms)</th><th>mean</th><th>p50</th>"
                  "<th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
    static const char *const qs[] = { "mean", "p50", "p90", "p99", "p999", "max" };
    rbuf_puts(&b, "<tr><td class=\"l\">all</td>");
    for (int i = 0; i < 6; i++) td_num(&b, lat, qs[i], "~");
    rbuf_puts(&b, "</tr>\n");
    for (const cJSON *op = get(sum, "by_op") ? get(sum, "by_op")->child : NULL; op; op = op->next) {
        rbuf_puts(&b, "<tr><td class=\"l\">");
        rbuf_html(&b, op->string);
        rbuf_puts(&b, "</td>");
        for (int i = 0; i < 6; i++) td_num(&b, get(op, "latency_ms"), qs[i], "~");
        rbuf_puts(&b, "</tr>\n");
    }
    rbuf_puts(&b, "</table>\n");
    if (reps) replications_table(&b, outdir, reps);

    rbuf_puts(&b, "<h2>Architecture</h2>\n");
    architecture(&b, get(sum, "components"));
    rbuf_puts(&b, "<h2>Plots</h2>\n");
    rc = plots_section(&b, outdir, plots, err, errlen);
    if (rc == 0) {
        rbuf_puts(&b, "<h2>Components</h2>\n");
        components_table(&b, get(sum, "components"));
        rbuf_puts(&b, "<h2>Events</h2>\n");
        if (have_ev) events_table(&b, &ev);
        else rbuf_puts(&b, "<p>No events.csv in this run.</p>\n");
        rbuf_puts(&b, "<h2>Files</h2>\n<ul>\n");
        static const char *const files[] = { "summary.json", "timeseries.csv", "latency.csv", "events.csv" };
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "%s/%s", outdir, files[i]);
            if (reports_file_exists(path)) rbuf_printf(&b, "<li><a href=\"%s\">%s</a></li>\n", files[i], files[i]);
        }
        rbuf_puts(&b, "</ul>\n");
        rbuf_printf(&b, "<footer>Written by cdnsim %s. The page is self-contained: the plots are embedded.</footer>\n"
                        "</body>\n</html>\n", CDNSIM_VERSION);
        if (b.oom) {
            rc = SIM_ENOMEM;
            snprintf(err, errlen, "out of memory writing the report");
        } else {
            snprintf(path, sizeof path, "%s/report.html", outdir);
            rc = reports_write_file(path, rbuf_str(&b), b.n);
            if (rc < 0) snprintf(err, errlen, "%s: cannot write", path);
        }
    }
    rbuf_free(&b);
    reports_csv_free(&ev);
    cJSON_Delete(sum);
    return rc;
}
