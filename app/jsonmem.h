/* app/jsonmem.h - cJSON's allocations, watched.
 *
 * cJSON reports a failed allocation inside cJSON_Add...ToObject only by
 * leaving the item out, so a summary built while memory ran short could be
 * written with keys missing. The program routes cJSON's allocations through
 * here (app_jsonmem_init, once at start), and code that builds JSON for
 * output compares app_jsonmem_failures() before and after. */
#ifndef APP_JSONMEM_H
#define APP_JSONMEM_H

/* Installs the counting allocator as cJSON's (cJSON_InitHooks). Call once,
 * before any cJSON use, from main (the program's and the tests'). */
void app_jsonmem_init(void);

/* How many of cJSON's allocations have failed since the program started. */
unsigned long app_jsonmem_failures(void);

#endif
