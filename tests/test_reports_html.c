/* tests/test_reports_html.c - plots and report.html: the scripts, the images,
 * a page that is well formed, escapes what the scenario says and references
 * only files that exist; and a run without gnuplot. */
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "reports/html.h"
#include "reports/plots.h"
#include "reports/rbuf.h"
#include "reports/reports.h"
#include "tests/harness.h"

#define RUNS "tests/data/runs"

/* Checks that html is well formed enough for a browser and for us: every
 * non-void element closed in order, attribute quotes balanced, and every src
 * or href either a data: URI, a #fragment, or a file that exists under dir
 * (never a network address). Returns 0, or -1 with a reason in msg. */
static int html_check(const char *html, const char *dir, char *msg, size_t len)
{
    static const char *const voids[] = { "meta", "img", "br", "hr", "link", "input", "col", "area", "base",
                                         "source", "wbr", NULL };
    char stack[256][32];
    int depth = 0;
    const char *p = html;
    while ((p = strchr(p, '<'))) {
        if (!strncmp(p, "<!--", 4)) {
            const char *e = strstr(p, "-->");
            if (!e) return snprintf(msg, len, "unterminated comment"), -1;
            p = e + 3;
            continue;
        }
        if (p[1] == '!') {
            p = strchr(p, '>');
            if (!p) return snprintf(msg, len, "unterminated <!"), -1;
            continue;
        }
        int closing = p[1] == '/';
        const char *n = p + 1 + closing;
        size_t nl = strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (nl == 0 || nl >= 32) return snprintf(msg, len, "bad tag at offset %ld: %.20s", (long)(p - html), p), -1;
        char name[32];
        memcpy(name, n, nl);
        name[nl] = '\0';
        /* Scan attributes to the closing '>', honouring quotes. */
        const char *q = n + nl;
        char quote = 0;
        while (*q && (quote || *q != '>')) {
            if (quote && *q == quote) quote = 0;
            else if (!quote && (*q == '"' || *q == '\'')) quote = *q;
            if (!quote && (!strncmp(q, " src=\"", 6) || !strncmp(q, " href=\"", 7))) {
                const char *v = strchr(q, '"') + 1;
                const char *ve = strchr(v, '"');
                if (!ve) return snprintf(msg, len, "unterminated attribute in <%s>", name), -1;
                char ref[1024];
                snprintf(ref, sizeof ref, "%.*s", (int)(ve - v < 1000 ? ve - v : 1000), v);
                if (strncmp(ref, "data:", 5) != 0 && ref[0] != '#') {
                    if (strstr(ref, "://") || !strncmp(ref, "//", 2))
                        return snprintf(msg, len, "network reference %.200s", ref), -1;
                    char path[2048];
                    snprintf(path, sizeof path, "%s/%s", dir, ref);
                    if (access(path, R_OK) != 0) return snprintf(msg, len, "reference to missing file %.200s", ref), -1;
                }
                q = ve + 1;
                continue;
            }
            q++;
        }
        if (!*q) return snprintf(msg, len, "unterminated tag <%s", name), -1;
        int self = q[-1] == '/';
        if (closing) {
            if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
                return snprintf(msg, len, "</%s> closes <%s>", name, depth ? stack[depth - 1] : "(nothing)"), -1;
            depth--;
        } else if (!self) {
            int is_void = 0;
            for (int i = 0; voids[i]; i++) is_void |= !strcmp(voids[i], name);
            if (!is_void) {
                if (depth == 256) return snprintf(msg, len, "nesting too deep"), -1;
                strcpy(stack[depth++], name);
                if (!strcmp(name, "style") || !strcmp(name, "script")) {
                    char end[40];
                    snprintf(end, sizeof end, "</%s>", name);
                    const char *e = strstr(q, end);
                    if (!e) return snprintf(msg, len, "unterminated <%s>", name), -1;
                    q = e - 1;
                }
            }
        }
        p = q + 1;
    }
    if (depth) return snprintf(msg, len, "<%s> never closed", stack[depth - 1]), -1;
    return 0;
}

static void test_checker_can_fail(void)
{
    char msg[256];
    CHECK_EQ_I64(html_check("<html><body><p>x</p></body></html>", ".", msg, sizeof msg), 0);
    CHECK_EQ_I64(html_check("<html><body><p>x</body></html>", ".", msg, sizeof msg), -1);
    CHECK_CONTAINS(msg, "</body> closes <p>");
    CHECK_EQ_I64(html_check("<div><img src=\"nothere.png\"></div>", ".", msg, sizeof msg), -1);
    CHECK_CONTAINS(msg, "missing file");
    CHECK_EQ_I64(html_check("<a href=\"https://example.com/x.js\">x</a>", ".", msg, sizeof msg), -1);
    CHECK_CONTAINS(msg, "network");
    CHECK_EQ_I64(html_check("<p>a <script>alert(1)</script", ".", msg, sizeof msg), -1);
}

static char *copy_run(const char *from)
{
    char *dir = tests_mkdtemp();
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cp -r %s/. '%s'", from, dir);
    CHECK_EQ_I64(system(cmd), 0);
    return dir;
}

static int have_gnuplot(void)
{
    return tests_run("command -v gnuplot", NULL, NULL) == 0;
}

static void test_report_of_replicated_run(void)
{
    char *dir = copy_run(RUNS "/base_reps");
    FILE *log = tmpfile();
    reports_options o = { .quiet = 0, .log = log };
    CHECK_EQ_I64(reports_write(dir, &o), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = tests_read_file(path, NULL);
    CHECK_TRUE(html != NULL);
    char msg[512] = "";
    int ok = html ? html_check(html, dir, msg, sizeof msg) : -1;
    if (ok) fprintf(stderr, "report.html: %s\n", msg);
    CHECK_EQ_I64(ok, 0);
    CHECK_CONTAINS(html, "<h1>photo-cdn</h1>");
    /* The description's < and & arrive escaped. */
    CHECK_CONTAINS(html, "to the &lt;origin&gt; &amp; its disk");
    CHECK_CONTAINS(html, "6 replications");
    CHECK_CONTAINS(html, "<a href=\"reps/5/summary.json\">reps/5</a>");
    CHECK_CONTAINS(html, "&plusmn;");
    CHECK_CONTAINS(html, "<svg class=\"arch\"");
    CHECK_CONTAINS(html, "<b>edge-us</b> (cdn_edge, us-east) &rarr; lb");
    CHECK_CONTAINS(html, "node lost, traffic to edge-eu");
    CHECK_CONTAINS(html, "x2 &lt;slower&gt;");
    CHECK_TRUE(!strstr(html ? html : "", "<script"));
    /* Scripts always; images when gnuplot is installed (it is in DEB_PKGS). */
    const char *names[] = { "latency_cdf", "timeline", "hit_ratio", "utilization" };
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/plots/%s.gp", dir, names[i]);
        char *gp = tests_read_file(path, NULL);
        CHECK_TRUE(gp != NULL);
        CHECK_TRUE(gp && !strstr(gp, "@TITLE@") && !strstr(gp, "@MARKERS@") && !strstr(gp, "@IDS@"));
        if (i > 0) CHECK_CONTAINS(gp, "set arrow from 30, graph 0 to 30, graph 1");
        if (i > 0) CHECK_CONTAINS(gp, "set label \"crash edge-us\" at 30");
        free(gp);
        if (!have_gnuplot()) continue;
        snprintf(path, sizeof path, "%s/plots/%s.png", dir, names[i]);
        size_t n = 0;
        char *png = tests_read_file(path, &n);
        CHECK_TRUE(png && n > 1000 && !memcmp(png, "\x89PNG", 4));
        free(png);
        snprintf(path, sizeof path, "%s/plots/%s.svg", dir, names[i]);
        char *svg = tests_read_file(path, NULL);
        CHECK_CONTAINS(svg, "<svg");
        free(svg);
    }
    snprintf(path, sizeof path, "%s/plots/timeline.gp", dir);
    char *gp = tests_read_file(path, NULL);
    CHECK_CONTAINS(gp, "window = 5\n");
    free(gp);
    snprintf(path, sizeof path, "%s/plots/hit_ratio.gp", dir);
    gp = tests_read_file(path, NULL);
    CHECK_CONTAINS(gp, "ids = \"edge-us edge-eu\"");
    free(gp);
    if (have_gnuplot()) CHECK_CONTAINS(html, "src=\"data:image/png;base64,iVBORw0KGgo");
    free(html);
    fclose(log);
    tests_rmtree(dir);
    free(dir);
}

/* A scenario whose name, description, ids and event details try to inject
 * markup (into the page) and gnuplot commands (into the scripts). */
static void test_hostile_strings(void)
{
    char *dir = copy_run(RUNS "/base");
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *text = tests_read_file(path, NULL);
    cJSON *s = cJSON_Parse(text);
    free(text);
    cJSON *sc = cJSON_GetObjectItem(s, "scenario");
    cJSON_ReplaceItemInObject(sc, "name", cJSON_CreateString("<script>alert(1)</script>\" \nsystem \"rm -rf x"));
    cJSON_ReplaceItemInObject(sc, "description", cJSON_CreateString("a</p><img src=x onerror=alert(1)>"));
    cJSON *comps = cJSON_GetObjectItem(s, "components");
    cJSON *evil = cJSON_CreateObject();
    cJSON_AddStringToObject(evil, "kind", "<b>disk</b>");
    cJSON_AddStringToObject(evil, "region", "'us'");
    cJSON *links = cJSON_AddArrayToObject(evil, "links");
    cJSON_AddItemToArray(links, cJSON_CreateString("dns"));
    cJSON_AddItemToObject(comps, "x\"><svg onload=alert(1)>", evil);
    char *out = cJSON_Print(s);
    tests_write_file(path, out);
    free(out);
    cJSON_Delete(s);
    snprintf(path, sizeof path, "%s/events.csv", dir);
    tests_write_file(path, "t_s,event,target,detail\n20,\"crash\"\" ; system \"\"id\",<i>edge</i>,</td>\n");
    reports_plot_result pr;
    CHECK_EQ_I64(reports_plots_write(dir, NULL, &pr, err, sizeof err), 0);
    CHECK_EQ_I64(reports_html_write(dir, &pr, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = tests_read_file(path, NULL);
    char msg[512] = "";
    int ok = html ? html_check(html, dir, msg, sizeof msg) : -1;
    if (ok) fprintf(stderr, "report.html: %s\n", msg);
    CHECK_EQ_I64(ok, 0);
    CHECK_TRUE(html && !strstr(html, "<script"));
    CHECK_TRUE(html && !strstr(html, "<img src=x"));
    CHECK_TRUE(html && !strstr(html, "<svg onload"));
    CHECK_CONTAINS(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    CHECK_CONTAINS(html, "&lt;i&gt;edge&lt;/i&gt;");
    free(html);
    /* In the scripts the title is one gnuplot string: quote escaped, line
     * break flattened, so "system" stays inside the string. */
    snprintf(path, sizeof path, "%s/plots/timeline.gp", dir);
    char *gp = tests_read_file(path, NULL);
    CHECK_CONTAINS(gp, "\\\"  system \\\"rm -rf x");
    CHECK_CONTAINS(gp, "set label \"crash\\\" ; system \\\"id <i>edge</i>\"");
    free(gp);
    if (have_gnuplot()) {
        for (size_t i = 0; i < pr.nscripts; i++) CHECK_TRUE(pr.drawn[i]);
    }
    tests_rmtree(dir);
    free(dir);
}

static void test_without_gnuplot(void)
{
    char *dir = copy_run(RUNS "/base");
    char cmd[4096];
    char *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "CDNSIM_GNUPLOT=/nonexistent/gnuplot %s report '%s'", tests_cdnsim_bin(), dir);
    CHECK_EQ_I64(tests_run(cmd, &out, &err), 0);
    CHECK_CONTAINS(err, "plots skipped");
    CHECK_CONTAINS(err, "report.html");
    char path[4096];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = tests_read_file(path, NULL);
    CHECK_CONTAINS(html, "plots skipped");
    char msg[512] = "";
    CHECK_EQ_I64(html ? html_check(html, dir, msg, sizeof msg) : -1, 0);
    CHECK_TRUE(html && !strstr(html, "data:image/png"));
    free(html);
    snprintf(path, sizeof path, "%s/plots/timeline.gp", dir);
    CHECK_EQ_I64(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/plots/timeline.png", dir);
    CHECK_TRUE(access(path, R_OK) != 0);
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

static void test_report_command(void)
{
    char cmd[4096];
    char *out = NULL, *err = NULL;
    struct {
        const char *args;
        int want;
        const char *in_err;
    } cases[] = {
        { "", 2, "expected a run directory" },
        { RUNS "/missing", 2, "missing/summary.json: cannot read" },
        { RUNS "/bad", 2, "bad/summary.json:4:" },
        { "a b", 2, "found a second" },
        { "--bogus", 2, "unknown option" },
        { "--help", 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(cmd, sizeof cmd, "%s report %s", tests_cdnsim_bin(), cases[i].args);
        CHECK_EQ_I64(tests_run(cmd, &out, &err), cases[i].want);
        CHECK_CONTAINS(err, cases[i].in_err);
        free(out);
        free(err);
    }
    /* Only summary.json: a page without plots, still well formed. */
    char *dir = tests_mkdtemp();
    snprintf(cmd, sizeof cmd, "cp %s/summary.json '%s'/ && %s report --quiet '%s'", RUNS "/base", dir,
             tests_cdnsim_bin(), dir);
    CHECK_EQ_I64(tests_run(cmd, &out, &err), 0);
    CHECK_STR(err, "");
    char path[4096], msg[256];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = tests_read_file(path, NULL);
    CHECK_CONTAINS(html, "No plots");
    CHECK_EQ_I64(html ? html_check(html, dir, msg, sizeof msg) : -1, 0);
    free(html);
    free(out);
    free(err);
    /* A malformed events.csv is bad input. */
    snprintf(path, sizeof path, "%s/events.csv", dir);
    tests_write_file(path, "t_s,event,target,detail\n1,crash\n");
    snprintf(cmd, sizeof cmd, "%s report '%s'", tests_cdnsim_bin(), dir);
    CHECK_EQ_I64(tests_run(cmd, &out, &err), 2);
    CHECK_CONTAINS(err, "events.csv:2: expected 4 fields");
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

/* More than 10 stations: the utilization plot switches to a heat map; both
 * branches of the template must draw. */
static void test_many_components(void)
{
    char *dir = copy_run(RUNS "/base");
    char path[4096], err[512];
    rbuf ts;
    rbuf_init(&ts);
    rbuf_puts(&ts, "t_s,offered,completed,failed,timed_out,rejected,p50_ms,p99_ms");
    for (int c = 0; c < 14; c++) rbuf_printf(&ts, ",util:disk-%d,queue:disk-%d", c, c);
    rbuf_puts(&ts, "\n");
    for (int w = 0; w < 20; w++) {
        rbuf_printf(&ts, "%d,100,99,1,0,0,2.5,9.5", w);
        for (int c = 0; c < 14; c++) rbuf_printf(&ts, ",%.3f,%.3f", (c * 7 + w) % 10 / 10.0, 0.5);
        rbuf_puts(&ts, "\n");
    }
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    tests_write_file(path, rbuf_str(&ts));
    rbuf_free(&ts);
    reports_plot_result pr;
    CHECK_EQ_I64(reports_plots_write(dir, NULL, &pr, err, sizeof err), 0);
    CHECK_EQ_U64(pr.nscripts, 3); /* no hit_ratio columns: no hit ratio plot */
    for (size_t i = 0; i < pr.nscripts; i++) {
        if (have_gnuplot()) CHECK_TRUE(pr.drawn[i]);
        if (!strcmp(pr.names[i], "hit_ratio")) CHECK_TRUE(0);
    }
    snprintf(path, sizeof path, "%s/plots/utilization.gp", dir);
    char *gp = tests_read_file(path, NULL);
    CHECK_CONTAINS(gp, "ids = \"disk-0 disk-1 disk-2");
    free(gp);
    /* Events at the same time share one line and one label. */
    snprintf(path, sizeof path, "%s/events.csv", dir);
    tests_write_file(path, "t_s,event,target,detail\n5,crash,disk-1,\n5,drop,disk-1,x\n7.5,recover,disk-1,\n");
    CHECK_EQ_I64(reports_plots_write(dir, NULL, &pr, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/plots/timeline.gp", dir);
    gp = tests_read_file(path, NULL);
    CHECK_CONTAINS(gp, "set label \"crash disk-1 / drop disk-1\" at 5,");
    CHECK_CONTAINS(gp, "set label \"recover disk-1\" at 7.5,");
    const char *first = gp ? strstr(gp, "set arrow from 5,") : NULL;
    CHECK_TRUE(first && !strstr(first + 1, "set arrow from 5,"));
    CHECK_CONTAINS(gp, "window = 1\n");
    free(gp);
    tests_rmtree(dir);
    free(dir);
}

static void test_expand(void)
{
    rbuf b;
    rbuf_init(&b);
    const char *k[] = { "A", "BB" }, *v[] = { "1", "two" };
    reports_expand(&b, "x@A@y@BB@z@C@ mail@host @", k, v, 2);
    CHECK_STR(rbuf_str(&b), "x1ytwoz@C@ mail@host @");
    rbuf_free(&b);
}

void test_reports_html_register(void)
{
    static const tests_case cases[] = {
        { "checker_can_fail", test_checker_can_fail },
        { "report_of_replicated_run", test_report_of_replicated_run },
        { "hostile_strings", test_hostile_strings },
        { "without_gnuplot", test_without_gnuplot },
        { "report_command", test_report_command },
        { "many_components", test_many_components },
        { "expand", test_expand },
        { NULL, NULL },
    };
    tests_add_suite("reports_html", cases);
}
