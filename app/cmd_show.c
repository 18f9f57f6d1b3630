/* app/cmd_show.c - `cdnsim show`: the effective scenario and request paths;
 * `cdnsim show --kinds` documents every component kind. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "models/net.h"
#include "models/registry.h"

static void show_help(void)
{
    puts("usage: cdnsim show SCENARIO [--seed N] [--set PATH=VALUE]... [--paths]\n"
         "       cdnsim show --kinds\n"
         "\n"
         "Prints the effective scenario as JSON - per-kind defaults merged, `count` expanded,\n"
         "--set applied and every model parameter filled in with its default - then the\n"
         "request paths through the component graph, one line per client, e.g.\n"
         "  users-eu[eu-west] -> dns -> edge[eu-west] x2 -> origin-lb[us-east] -> ...\n"
         "(\"x2\": one of two alternatives; {a, b}: steps taken in turn).\n"
         "The JSON part is itself a scenario that `validate` accepts (references to a\n"
         "`count` group name its members; the network has every pair of regions with its\n"
         "mean delay under the comment key \"_links\"). Fault targets that name a group are\n"
         "copied as written, and members hash objects as separate components, so only a\n"
         "scenario without `count` runs to the same summary from it.\n"
         "\n"
         "options:\n"
         "  --seed N          show with this seed\n"
         "  --set PATH=VALUE  apply an override (repeatable)\n"
         "  --paths           print only the request paths\n"
         "  --kinds           print every component kind with its parameters (Markdown,\n"
         "                    the tables of docs/models.md); needs no scenario\n"
         "  --help, -h        this help\n"
         "\n"
         "exit codes: 0 ok, 2 bad input (errors on stderr)");
}

/* Markdown of every kind: the generator of docs/models.md's tables. */
static void print_kinds(FILE *f)
{
    for (const comp_kind *const *k = comp_kinds; *k; k++) {
        const char *h = (*k)->help;
        fprintf(f, "### `%s`\n\n%c%s.\n\n", (*k)->name, toupper((unsigned char)h[0]), h + 1);
        conf_fields_markdown((*k)->fields, f);
        fputc('\n', f);
    }
    fputs("### `network`\n\nThe links between regions (top-level section).\n\n", f);
    conf_fields_markdown(net_network_fields, f);
    fputs("\nEach entry of `pairs`:\n\n", f);
    conf_fields_markdown(net_pair_fields, f);
    fputc('\n', f);
    fputs("### `report`\n\nWhat a run writes (top-level section).\n\n", f);
    conf_fields_markdown(world_report_fields(), f);
}

struct show_flags {
    bool paths, kinds;
};

static int show_extra(cmd_args *a, int argc, char **argv, int i, void *ctx)
{
    (void)a;
    (void)argc;
    struct show_flags *fl = ctx;
    if (!strcmp(argv[i], "--paths")) {
        fl->paths = true;
        return 1;
    }
    if (!strcmp(argv[i], "--kinds")) {
        fl->kinds = true;
        return 1;
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    struct show_flags fl = { false, false };
    bool help = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--kinds")) fl.kinds = true;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) help = true;
    }
    if (fl.kinds && !help) {
        print_kinds(stdout);
        return APP_EXIT_OK;
    }
    cmd_args a = { .allowed = CMD_ARG_SEED, .extra = show_extra, .extra_ctx = &fl };
    int early = cmd_args_begin(&a, argc, argv, show_help);
    if (early >= 0) return early;
    world w;
    int code = cmd_load_world("show", &a, &w);
    if (code == APP_EXIT_OK) {
        if (fl.paths) world_print_paths(&w, stdout);
        else world_show(&w, stdout);
    }
    world_free(&w);
    cmd_args_free(&a);
    return code;
}
