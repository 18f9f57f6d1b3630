/* app/jsonmem.c - see jsonmem.h. */
#include "app/jsonmem.h"

#include <stdatomic.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

static atomic_ulong failures;

static void *counting_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p) atomic_fetch_add(&failures, 1);
    return p;
}

void app_jsonmem_init(void)
{
    cJSON_Hooks h = { counting_malloc, free };
    cJSON_InitHooks(&h);
}

unsigned long app_jsonmem_failures(void)
{
    return atomic_load(&failures);
}
