/* tests/suite_dir.c - a temporary directory per suite (see suite_dir.h). */
#include "tests/suite_dir.h"

#include <stdlib.h>

#include "tests/harness.h"

char *suite_dir;

int suite_dir_setup(void)
{
    suite_dir = tests_mkdtemp();
    return suite_dir ? 0 : 1;
}

int suite_dir_teardown(void)
{
    if (suite_dir) tests_rmtree(suite_dir);
    free(suite_dir);
    suite_dir = NULL;
    return 0;
}
