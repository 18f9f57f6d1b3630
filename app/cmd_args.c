/* app/cmd_args.c - shared argument parsing for run, validate, show. */
#include "app/cmd_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "sim/errors.h"

static int add_set(cmd_args *a, const char *s)
{
    const char **ns = realloc(a->sets, (a->nsets + 1) * sizeof *ns);
    if (!ns) return -1;
    a->sets = ns;
    a->sets[a->nsets++] = s;
    return 0;
}

int cmd_args_parse(cmd_args *a, int argc, char **argv)
{
    const char *cmd = argv[0];
    world_opts_init(&a->opts);
    a->scenario = NULL;
    a->sets = NULL;
    a->nsets = 0;
    a->help = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *val = NULL;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            a->help = true;
            return 0;
        }
        if (a->extra) {
            int k = a->extra(a, argc, argv, i, a->extra_ctx);
            if (k < 0) return -1;
            if (k > 0) {
                i += k - 1;
                continue;
            }
        }
#define TAKE(name)                                                                         \
    (!strcmp(s, name) ? (i + 1 < argc ? (val = argv[++i], 1)                               \
                                      : (fprintf(stderr, "cdnsim %s: %s needs a value\n", cmd, name), -1)) \
     : !strncmp(s, name "=", sizeof(name)) ? (val = s + sizeof(name), 1) : 0)
        int t;
        if ((t = TAKE("--set")) != 0) {
            if (t < 0) return -1;
            if (!strchr(val, '=')) {
                fprintf(stderr, "cdnsim %s: --set expects PATH=VALUE, found \"%s\"\n", cmd, val);
                return -1;
            }
            if (add_set(a, val) != 0) return -1;
        } else if ((a->allowed & CMD_ARG_SEED) && (t = TAKE("--seed")) != 0) {
            if (t < 0) return -1;
            char *end;
            errno = 0;
            unsigned long long v = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-') {
                fprintf(stderr, "cdnsim %s: --seed expects a non-negative integer, found \"%s\"\n", cmd, val);
                return -1;
            }
            a->opts.has_seed = true;
            a->opts.seed = v;
        } else if ((a->allowed & CMD_ARG_OUT) && (t = TAKE("--out")) != 0) {
            if (t < 0) return -1;
            if (!*val) {
                fprintf(stderr, "cdnsim %s: --out expects a directory\n", cmd);
                return -1;
            }
            a->opts.outdir = val;
        } else if ((a->allowed & CMD_ARG_QUIET) && (!strcmp(s, "--quiet") || !strcmp(s, "-q"))) {
            a->opts.progress = WORLD_PROGRESS_OFF;
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "cdnsim %s: unknown option \"%s\" (see cdnsim %s --help)\n", cmd, s, cmd);
            return -1;
        } else if (!a->scenario) {
            a->scenario = s;
        } else {
            fprintf(stderr, "cdnsim %s: one scenario at a time (got \"%s\" and \"%s\")\n", cmd, a->scenario, s);
            return -1;
        }
#undef TAKE
    }
    if (!a->scenario) {
        fprintf(stderr, "cdnsim %s: missing SCENARIO (see cdnsim %s --help)\n", cmd, cmd);
        return -1;
    }
    a->opts.sets = a->sets;
    a->opts.nsets = a->nsets;
    return 0;
}

void cmd_args_free(cmd_args *a)
{
    free(a->sets);
    a->sets = NULL;
}

int cmd_report_errors(const char *cmd, int rc, const conf_errors *errs)
{
    if (rc == 0) return APP_EXIT_OK;
    conf_errors_print(errs, stderr);
    if (rc == SIM_EPARSE || rc == SIM_ENOENT || rc == SIM_EINVAL || rc == SIM_ERANGE) {
        fprintf(stderr, "cdnsim %s: %zu error%s\n", cmd, errs->n + errs->dropped, errs->n + errs->dropped == 1 ? "" : "s");
        return APP_EXIT_USAGE;
    }
    fprintf(stderr, "cdnsim %s: %s\n", cmd, sim_strerror(rc));
    return APP_EXIT_FAIL;
}

int cmd_args_begin(cmd_args *a, int argc, char **argv, void (*help)(void))
{
    if (cmd_args_parse(a, argc, argv) != 0) {
        cmd_args_free(a);
        return APP_EXIT_USAGE;
    }
    if (a->help) {
        help();
        cmd_args_free(a);
        return APP_EXIT_OK;
    }
    return -1;
}

int cmd_load_world(const char *cmd, const cmd_args *a, world *w)
{
    conf_errors errs;
    conf_errors_init(&errs);
    int rc = world_load(w, a->scenario, &a->opts, &errs);
    int code = cmd_report_errors(cmd, rc, &errs);
    conf_errors_free(&errs);
    return code;
}

int cmd_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}
