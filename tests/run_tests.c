/* tests/run_tests.c - the CUnit runner: every suite, or those named on the
 * command line. Exits 1 when any assertion failed, 0 otherwise. */
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "app/jsonmem.h"

void tests_register_all(void);

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    app_jsonmem_init(); /* as the program does: tests/test_oom.c fails cJSON's allocations too */
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    tests_register_all();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_ErrorCode rc;
    if (argc > 1) {
        rc = CUE_SUCCESS;
        for (int i = 1; i < argc; i++) {
            CU_pSuite s = CU_get_suite(argv[i]);
            if (!s) {
                fprintf(stderr, "no suite named '%s'\n", argv[i]);
                CU_cleanup_registry();
                return 2;
            }
            rc = CU_basic_run_suite(s);
        }
    } else {
        rc = CU_basic_run_tests();
    }
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (rc != CUE_SUCCESS) return 2;
    printf("\n%u passed, %u failed\n", ran - tests_failed, tests_failed);
    return failed ? 1 : 0;
}
