/* app/commands.h - the subcommands of bin/cdnsim.
 *
 * Each command is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * command name; it returns the process exit code: 0 ok, 1 run failed (or, for
 * compare, a regression), 2 bad input. Each prints its own --help. */
#ifndef APP_COMMANDS_H
#define APP_COMMANDS_H

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary; /* one line for `cdnsim --help` */
} app_command;

/* The table in app/main.c, terminated by a NULL name. */
extern const app_command app_commands[];

enum { APP_EXIT_OK = 0, APP_EXIT_FAIL = 1, APP_EXIT_USAGE = 2 };

int cmd_bench(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_chunkio(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_cachesim(int argc, char **argv);

#endif
