/* app/cmd_validate.c - `cdnsim validate`: check a scenario without running. */
#include <stdio.h>

#include "app/cmd_args.h"
#include "app/commands.h"

static void validate_help(void)
{
    puts("usage: cdnsim validate SCENARIO [--set PATH=VALUE]...\n"
         "\n"
         "Checks the scenario without running it: JSON syntax, sections, units, every\n"
         "component's parameters (unknown keys with a \"did you mean\"), regions, references\n"
         "between components (dangling ids) and cycles in the component graph. Every error\n"
         "is printed with file:line:column and its JSON path.\n"
         "\n"
         "options:\n"
         "  --set PATH=VALUE  check with this override applied (repeatable)\n"
         "  --help, -h        this help\n"
         "\n"
         "exit codes: 0 valid (prints \"ok\"), 2 invalid (all errors on stderr)");
}

int cmd_validate(int argc, char **argv)
{
    cmd_args a = { .allowed = 0 };
    int early = cmd_args_begin(&a, argc, argv, validate_help);
    if (early >= 0) return early;
    world w;
    int code = cmd_load_world("validate", &a, &w);
    if (code == APP_EXIT_OK)
        printf("ok: %s (%zu component%s, %zu region%s)\n", a.scenario, w.ncomps, w.ncomps == 1 ? "" : "s",
               w.net.n, w.net.n == 1 ? "" : "s");
    world_free(&w);
    cmd_args_free(&a);
    return code;
}
