/* child.c: the scheduler program as a child process (see child.h). */
#include "test/child.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "scheduler/prog/zk_wait.h"
#include "test/test.h"

void child_sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

int child_stop(pid_t *pid, int wait_ms)
{
    int status = 0;
    long long deadline = zk_wait_now_ms() + wait_ms;
    if (*pid <= 0)
        return 0;
    kill(*pid, SIGTERM);
    while (waitpid(*pid, &status, WNOHANG) == 0) {
        if (zk_wait_now_ms() > deadline) {
            kill(*pid, SIGKILL);
            waitpid(*pid, &status, 0);
            *pid = 0;
            return -1;
        }
        child_sleep_ms(20);
    }
    *pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void child_dump_log(const char *path)
{
    char *text = NULL;
    if (test_read_file(path, &text) > 0)
        fprintf(stderr, "\n---- %s\n%s", path, text);
    free(text);
}

void child_finish(pid_t *pid, const char *log, int wait_ms)
{
    if (CU_get_number_of_failures() > 0)
        child_dump_log(log);
    child_stop(pid, wait_ms);
}
