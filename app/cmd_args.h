/* app/cmd_args.h - the arguments run, validate and show share:
 * SCENARIO [--seed N] [--out DIR] [--set PATH=VALUE]... [--quiet]. */
#ifndef APP_CMD_ARGS_H
#define APP_CMD_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/world.h"

typedef struct cmd_args {
    const char *scenario;
    world_opts opts;
    const char **sets;   /* owned array (strings borrowed from argv) */
    size_t nsets;
    bool help;
    /* flags a command accepts besides SCENARIO and --set */
    unsigned allowed;
    /* extra flags recognised by the caller: returns the number of argv
     * entries consumed (1 or 2), 0 when not recognised, -1 on error */
    int (*extra)(struct cmd_args *a, int argc, char **argv, int i, void *ctx);
    void *extra_ctx;
} cmd_args;

enum { CMD_ARG_SEED = 1u << 0, CMD_ARG_OUT = 1u << 1, CMD_ARG_QUIET = 1u << 2 };

/* Parses argv[1..argc-1] (argv[0] is the command name). On a usage error
 * prints "cdnsim CMD: ..." on stderr and returns -1; 0 otherwise. */
int cmd_args_parse(cmd_args *a, int argc, char **argv);
void cmd_args_free(cmd_args *a);

/* Strict number parser for command-line values: the whole of s must be a
 * decimal whole number in [lo, hi] (no sign, no space). 0 with *out set, or
 * -1 (s NULL, empty, malformed or out of range) with *out unchanged. */
int cmd_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* Prints the located errors and returns the exit code for a load result. */
int cmd_report_errors(const char *cmd, int rc, const conf_errors *errs);

/* What every command using cmd_args does first: parses argv (as
 * cmd_args_parse) and answers --help with help(). Returns -1 when the
 * command goes on with *a filled in (the caller frees it); otherwise *a is
 * freed already and the command returns the result, APP_EXIT_USAGE after a
 * usage error or APP_EXIT_OK after the help. */
int cmd_args_begin(cmd_args *a, int argc, char **argv, void (*help)(void));

/* Loads a->scenario with a's options into *w (world_load), printing the
 * located errors as cmd_report_errors does for `cdnsim CMD`. Returns the
 * exit code: APP_EXIT_OK when *w is loaded. Either way the caller releases
 * *w with world_free(). */
int cmd_load_world(const char *cmd, const cmd_args *a, world *w);

#endif
