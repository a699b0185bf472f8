/* fuzz_master_info.c: libFuzzer target for finding the master (make fuzz).
 *
 * The first byte picks the reader: the --master flag, a ZooKeeper node's
 * MasterInfo JSON, or a redirect's Location. Whatever is accepted becomes
 * the URL the scheduler calls, so the address must hold nothing that could
 * change that URL's meaning (no '/', '?', '#', '@', space or control
 * character in the host; a path without query or fragment), and the URL
 * read back as a Location gives the same address. A refusal is one line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/master_info.h"

static void check_addr(const master_addr *a)
{
    char url[1024];
    master_addr back;
    if (!a->host[0] || strpbrk(a->host, "/?#@ []\\") || a->port == 0)
        abort();
    for (const char *c = a->host; *c; c++)
        if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
            abort();
    if (a->path[0] != '/' || strpbrk(a->path, "?# \r\n\t"))
        abort();
    if (master_info_url(a, url, sizeof url) != HDRF_OK)
        return; /* too long for this buffer: nothing to compare */
    if (master_info_parse_location(url, strlen(url), &back, NULL) != HDRF_OK ||
        strcmp(back.host, a->host) != 0 || back.port != a->port || strcmp(back.path, a->path) != 0)
        abort();
}

static void check_refusal(int rc, const sched_error *e)
{
    if (rc == HDRF_OK)
        return;
    if (!e->text[0] || strchr(e->text, '\n'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    sched_error e;
    int rc;
    if (size == 0 || !(text = malloc(size)))
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    switch (data[0] % 3) {
    case 0: {
        master_spec s;
        rc = master_info_parse_spec(text, &s, &e);
        if (rc == HDRF_OK && s.kind == MASTER_SPEC_HOST)
            check_addr(&s.addr);
        break;
    }
    case 1: {
        master_info mi;
        rc = master_info_parse(text, size - 1, &mi, &e);
        if (rc == HDRF_OK)
            check_addr(&mi.addr);
        break;
    }
    default: {
        master_addr a;
        rc = master_info_parse_location(text, strlen(text), &a, &e);
        if (rc == HDRF_OK)
            check_addr(&a);
        break;
    }
    }
    check_refusal(rc, &e);
    free(text);
    return 0;
}
