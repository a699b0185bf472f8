/* oom_main.c: the fault-injection runner (`hdrf-oom-tests [NAME...]`).
 *
 * A CUnit suite with one case per scenario; each runs its scenario once
 * cleanly and then once per allocation it makes, that allocation failing
 * (oom.h). jansson's allocations are not injected: after a failed one,
 * jansson 2.14's lexer can abort on an assert of its own (load.c,
 * lex_scan_string), so only the core's own allocations fail here. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "test/oom/failalloc.h"
#include "test/oom/oom_scenarios.h"

typedef struct scenario {
    const char *name;
    void (*run)(oom *o);
} scenario;

static const scenario scenarios[] = {
    {"resources", oom_resources},
    {"sorter_drf", oom_sorter_drf},
    {"sorter_drf_untracked", oom_sorter_drf_untracked},
    {"sorter_hdrf", oom_sorter_hdrf},
    {"sorter_random", oom_sorter_random},
    {"params", oom_params},
    {"hooks", oom_hooks},
    {"allocator_drf", oom_allocator_drf},
    {"allocator_hdrf", oom_allocator_hdrf},
};
enum { NSCENARIOS = sizeof scenarios / sizeof scenarios[0] };

static int argc_;
static char **argv_;

static bool wanted(const char *name)
{
    if (argc_ < 2)
        return true;
    for (int i = 1; i < argc_; i++)
        if (strcmp(argv_[i], name) == 0)
            return true;
    return false;
}

#define CASE(i)                                                                                    \
    static void run_##i(void)                                                                      \
    {                                                                                              \
        if (i < NSCENARIOS && wanted(scenarios[i].name))                                           \
            CU_ASSERT(oom_run(scenarios[i].name, scenarios[i].run));                               \
    }
CASE(0)
CASE(1)
CASE(2)
CASE(3)
CASE(4)
CASE(5)
CASE(6)
CASE(7)
CASE(8)

int main(int argc, char **argv)
{
    static CU_TestFunc runs[] = {run_0, run_1, run_2, run_3, run_4, run_5, run_6, run_7, run_8};
    _Static_assert(sizeof runs / sizeof *runs == NSCENARIOS, "one case per scenario");
    argc_ = argc;
    argv_ = argv;
    for (int i = 1; i < argc; i++) {
        bool known = false;
        for (size_t k = 0; k < NSCENARIOS; k++)
            known = known || strcmp(argv[i], scenarios[k].name) == 0;
        if (!known) {
            fprintf(stderr, "usage: %s [SCENARIO...]; scenarios:", argv[0]);
            for (size_t k = 0; k < NSCENARIOS; k++)
                fprintf(stderr, " %s", scenarios[k].name);
            fputc('\n', stderr);
            return 2;
        }
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite suite = CU_add_suite("oom", NULL, NULL);
    for (size_t i = 0; suite && i < NSCENARIOS; i++)
        if (!CU_add_test(suite, scenarios[i].name, runs[i]))
            suite = NULL;
    if (!suite) {
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
