/* session.h: facts of the recorded Mesos 1.11.0 session that several suites
 * check against (test/data/session.*, copied from the shared fixtures).
 *
 * The ids are those the recorded master handed out; the ACCEPT text is what
 * `protoc --decode=mesos.v1.scheduler.Call` prints for the ACCEPT of
 * session.calls.json, written out by hand. The proto suite builds that call
 * in C with `shell: true` added to its command; the wire suite decodes it
 * from the recorded JSON, which has no shell field: COMMAND_EXTRA holds the
 * line that differs. */
#ifndef HDRF_TEST_SESSION_H
#define HDRF_TEST_SESSION_H

#include "scheduler/wire.h"
#include "test/http_stub.h"

/* The first OFFERS event of session.recordio, decoded (wire_event_free()),
 * or NULL: one offer of cpus 4, mem 4096, disk 1000, ports 31000-32000 on
 * `localhost` (rack r1, zone a), allocated to role eng (session.c). */
sched_event *session_offers(void);

/* The byte length of the first `records` records of a RecordIO stream, or 0. */
size_t session_records_prefix(const char *data, size_t len, int records);

/* Queues on the stub master a SUBSCRIBE reply of the first `records`
 * recorded events (3: SUBSCRIBED, HEARTBEAT, OFFERS; 6: and the three
 * UPDATEs of task hello-1), the stream then held open. 0, or -1. */
int session_push_subscription(http_stub *stub, int records);

#define MASTER_ID "1e8bba61-ce12-4c72-8fc3-5014c0521afd"
#define AGENT_ID MASTER_ID "-S0"
#define SESSION_FRAMEWORK MASTER_ID "-0002"

#define SESSION_ACCEPT_TEXT(COMMAND_EXTRA)                                                         \
    "framework_id {\n"                                                                             \
    "  value: \"" SESSION_FRAMEWORK "\"\n"                                                         \
    "}\n"                                                                                          \
    "type: ACCEPT\n"                                                                               \
    "accept {\n"                                                                                   \
    "  offer_ids {\n"                                                                              \
    "    value: \"" MASTER_ID "-O2\"\n"                                                            \
    "  }\n"                                                                                        \
    "  operations {\n"                                                                             \
    "    type: LAUNCH\n"                                                                           \
    "    launch {\n"                                                                               \
    "      task_infos {\n"                                                                         \
    "        name: \"hello\"\n"                                                                    \
    "        task_id {\n"                                                                          \
    "          value: \"hello-1\"\n"                                                               \
    "        }\n"                                                                                  \
    "        agent_id {\n"                                                                         \
    "          value: \"" AGENT_ID "\"\n"                                                          \
    "        }\n"                                                                                  \
    "        resources {\n"                                                                        \
    "          name: \"cpus\"\n"                                                                   \
    "          type: SCALAR\n"                                                                     \
    "          scalar {\n"                                                                         \
    "            value: 0.5\n"                                                                     \
    "          }\n"                                                                                \
    "          allocation_info {\n"                                                                \
    "            role: \"eng\"\n"                                                                  \
    "          }\n"                                                                                \
    "        }\n"                                                                                  \
    "        resources {\n"                                                                        \
    "          name: \"mem\"\n"                                                                    \
    "          type: SCALAR\n"                                                                     \
    "          scalar {\n"                                                                         \
    "            value: 64\n"                                                                      \
    "          }\n"                                                                                \
    "          allocation_info {\n"                                                                \
    "            role: \"eng\"\n"                                                                  \
    "          }\n"                                                                                \
    "        }\n"                                                                                  \
    "        command {\n"                                                                          \
    "          value: \"echo hello; sleep 1\"\n" COMMAND_EXTRA "        }\n"                       \
    "      }\n"                                                                                    \
    "    }\n"                                                                                      \
    "  }\n"                                                                                        \
    "  filters {\n"                                                                                \
    "    refuse_seconds: 5\n"                                                                      \
    "  }\n"                                                                                        \
    "}\n"

#endif
