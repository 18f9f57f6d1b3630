/* app/cmd_bench.c - `cdnsim bench`: engine benchmarks (placeholder until PHOLD lands). */
#include <stdio.h>

#include "app/commands.h"

int cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cdnsim bench: not implemented yet\n");
    return APP_EXIT_FAIL;
}
