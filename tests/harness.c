/* tests/harness.c - shared helpers for the CUnit suites. */
#include "tests/harness.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/conf.h"

void tests_add_suite(const char *name, const tests_case *cases)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    if (!s) {
        fprintf(stderr, "cannot add suite %s: %s\n", name, CU_get_error_msg());
        exit(2);
    }
    for (const tests_case *c = cases; c->name; c++) {
        if (!CU_add_test(s, c->name, c->fn)) {
            fprintf(stderr, "cannot add test %s.%s: %s\n", name, c->name, CU_get_error_msg());
            exit(2);
        }
    }
}

void tests_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s:%d: %s\n", file, line, msg);
    CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
}

const char *tests_cdnsim_bin(void)
{
    const char *b = getenv("CDNSIM_BIN");
    return b && *b ? b : "bin/cdnsim";
}

const char *tests_shared_dir(void)
{
    const char *s = getenv("CDNSIM_SHARED");
    return s && *s ? s : "../shared";
}

int tests_under_asan(void)
{
    const char *s = getenv("CDNSIM_ASAN");
    return s && *s && strcmp(s, "0") != 0;
}

char *tests_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

int tests_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

char *tests_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/cdnsim-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(buf)) return NULL;
    return strdup(buf);
}

void tests_rmtree(const char *path)
{
    if (!path || !*path || strcmp(path, "/") == 0) return;
    char *cmd = NULL;
    if (asprintf(&cmd, "rm -rf '%s'", path) < 0) return;
    if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", path);
    free(cmd);
}

int tests_run(const char *cmd, char **out, char **err)
{
    char *dir = tests_mkdtemp();
    if (!dir) return -1;
    char *full = NULL;
    if (asprintf(&full, "( %s ) >'%s/out' 2>'%s/err' </dev/null", cmd, dir, dir) < 0) {
        tests_rmtree(dir);
        free(dir);
        return -1;
    }
    int st = system(full);
    free(full);
    char path[4200];
    if (out) {
        snprintf(path, sizeof path, "%s/out", dir);
        *out = tests_read_file(path, NULL);
        if (!*out) *out = strdup("");
    }
    if (err) {
        snprintf(path, sizeof path, "%s/err", dir);
        *err = tests_read_file(path, NULL);
        if (!*err) *err = strdup("");
    }
    tests_rmtree(dir);
    free(dir);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

const char *tests_errors_joined(const struct conf_errors *e)
{
    static char buf[16384];
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < e->n && used < sizeof buf; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\n", e->msgs[i]);
    return buf;
}
