/* launch.c: TaskInfo and TaskGroupInfo from an application (see launch.h).
 *
 * Every message and string is on the heap, so that one
 * protobuf_c_message_free_unpacked() of the operation frees the tree
 * however far building it went. */
#include "launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"
#include "hdrf/resources_pb.h"

static void *new_msg(size_t size, const void *init)
{
    void *p = malloc(size);
    if (p)
        memcpy(p, init, size);
    return p;
}

#define NEW(type, INIT) ((type *)new_msg(sizeof(type), &(type)INIT))

static char *dup_text(const char *s) { return s ? strdup(s) : NULL; }

static Mesos__V1__TaskID *task_id_msg(const char *id)
{
    Mesos__V1__TaskID *m = NEW(Mesos__V1__TaskID, MESOS__V1__TASK_ID__INIT);
    if (m && !(m->value = strdup(id))) {
        free(m);
        m = NULL;
    }
    return m;
}

static Mesos__V1__AgentID *agent_id_msg(const char *id)
{
    Mesos__V1__AgentID *m = NEW(Mesos__V1__AgentID, MESOS__V1__AGENT_ID__INIT);
    if (m && !(m->value = strdup(id))) {
        free(m);
        m = NULL;
    }
    return m;
}

/* The resources, allocated to `role` (NULL: left unallocated). */
static bool resources_msgs(const hdrf_resources *rs, const char *role, Mesos__V1__Resource ***out,
                           size_t *n)
{
    hdrf_resources *copy = rs ? hdrf_resources_copy(rs) : NULL;
    bool ok = copy && (!role || hdrf_resources_allocate(copy, role) == HDRF_OK) &&
              hdrf_resources_to_pb(copy, out, n) == HDRF_OK;
    hdrf_resources_free(copy);
    return ok;
}

/* Variables of `a` then of `b` (either may be empty); NULL when none. */
static bool environment(const app_pair *a, size_t na, const app_pair *b, size_t nb,
                        Mesos__V1__Environment **out)
{
    Mesos__V1__Environment *env;
    *out = NULL;
    if (na + nb == 0)
        return true;
    if (!(env = NEW(Mesos__V1__Environment, MESOS__V1__ENVIRONMENT__INIT)))
        return false;
    *out = env;
    if (!(env->variables = calloc(na + nb, sizeof *env->variables)))
        return false;
    for (size_t i = 0; i < na + nb; i++) {
        const app_pair *p = i < na ? &a[i] : &b[i - na];
        Mesos__V1__Environment__Variable *v =
            NEW(Mesos__V1__Environment__Variable, MESOS__V1__ENVIRONMENT__VARIABLE__INIT);
        if (!v)
            return false;
        env->variables[env->n_variables++] = v;
        if (!(v->name = strdup(p->key)) || !(v->value = strdup(p->value)))
            return false;
    }
    return true;
}

static bool command(const app_command *c, const app_pair *env1, size_t n1, const app_pair *env2,
                    size_t n2, Mesos__V1__CommandInfo **out)
{
    Mesos__V1__CommandInfo *m = NEW(Mesos__V1__CommandInfo, MESOS__V1__COMMAND_INFO__INIT);
    if (!(*out = m))
        return false;
    m->has_shell = true;
    m->shell = c->shell != NULL;
    if (c->shell)
        return (m->value = strdup(c->shell)) && environment(env1, n1, env2, n2, &m->environment);
    if (!(m->value = strdup(c->argv[0])) || !(m->arguments = calloc(c->argc, sizeof(char *))))
        return false;
    for (size_t i = 0; i < c->argc; i++)
        if (!(m->arguments[m->n_arguments++] = strdup(c->argv[i])))
            return false;
    return environment(env1, n1, env2, n2, &m->environment);
}

static bool labels(const app *a, Mesos__V1__Labels **out)
{
    Mesos__V1__Labels *m;
    *out = NULL;
    if (!a->n_labels)
        return true;
    if (!(*out = m = NEW(Mesos__V1__Labels, MESOS__V1__LABELS__INIT)) ||
        !(m->labels = calloc(a->n_labels, sizeof *m->labels)))
        return false;
    for (size_t i = 0; i < a->n_labels; i++) {
        Mesos__V1__Label *l = NEW(Mesos__V1__Label, MESOS__V1__LABEL__INIT);
        if (!l)
            return false;
        m->labels[m->n_labels++] = l;
        if (!(l->key = strdup(a->labels[i].key)) || !(l->value = strdup(a->labels[i].value)))
            return false;
    }
    return true;
}

/* A TaskInfo with name, ids and resources. */
static Mesos__V1__TaskInfo *task_msg(const char *name, const char *task_id,
                                     const Mesos__V1__Offer *offer, const hdrf_resources *rs,
                                     const char *role)
{
    Mesos__V1__TaskInfo *t = NEW(Mesos__V1__TaskInfo, MESOS__V1__TASK_INFO__INIT);
    if (t && (!(t->name = dup_text(name)) || !(t->task_id = task_id_msg(task_id)) ||
              !(t->agent_id = agent_id_msg(offer->agent_id->value)) ||
              !resources_msgs(rs, role, &t->resources, &t->n_resources))) {
        mesos__v1__task_info__free_unpacked(t, NULL);
        t = NULL;
    }
    return t;
}

static bool launch_command(const app *a, const char *task_id, const Mesos__V1__Offer *offer,
                           const char *role, Mesos__V1__Offer__Operation *op)
{
    Mesos__V1__Offer__Operation__Launch *l =
        NEW(Mesos__V1__Offer__Operation__Launch, MESOS__V1__OFFER__OPERATION__LAUNCH__INIT);
    Mesos__V1__TaskInfo *t;
    op->type = MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH;
    if (!(op->launch = l) || !(l->task_infos = calloc(1, sizeof *l->task_infos)) ||
        !(t = task_msg(a->id, task_id, offer, a->resources, role)))
        return false;
    l->task_infos[l->n_task_infos++] = t;
    return command(&a->command, a->env, a->n_env, NULL, 0, &t->command) && labels(a, &t->labels);
}

static bool launch_group(const app *a, const char *task_id, const Mesos__V1__Offer *offer,
                         const char *role, Mesos__V1__Offer__Operation *op)
{
    Mesos__V1__Offer__Operation__LaunchGroup *l = NEW(
        Mesos__V1__Offer__Operation__LaunchGroup, MESOS__V1__OFFER__OPERATION__LAUNCH_GROUP__INIT);
    Mesos__V1__ExecutorInfo *e;
    Mesos__V1__TaskGroupInfo *g;
    char id[512];
    op->type = MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH_GROUP;
    if (!(op->launch_group = l) ||
        !(l->executor = e = NEW(Mesos__V1__ExecutorInfo, MESOS__V1__EXECUTOR_INFO__INIT)) ||
        !(l->task_group = g = NEW(Mesos__V1__TaskGroupInfo, MESOS__V1__TASK_GROUP_INFO__INIT)))
        return false;
    e->has_type = true;
    e->type = MESOS__V1__EXECUTOR_INFO__TYPE__DEFAULT;
    snprintf(id, sizeof id, "%s.executor", task_id);
    if (!(e->executor_id = NEW(Mesos__V1__ExecutorID, MESOS__V1__EXECUTOR_ID__INIT)) ||
        !(e->executor_id->value = strdup(id)) ||
        !resources_msgs(a->executor_resources, role, &e->resources, &e->n_resources) ||
        !(g->tasks = calloc(a->n_containers, sizeof *g->tasks)))
        return false;
    for (size_t i = 0; i < a->n_containers; i++) {
        const app_container *c = &a->containers[i];
        Mesos__V1__TaskInfo *t;
        snprintf(id, sizeof id, "%s.%s", task_id, c->name);
        if (!(t = task_msg(c->name, id, offer, c->resources, role)))
            return false;
        g->tasks[g->n_tasks++] = t;
        if (!command(&c->command, a->env, a->n_env, c->env, c->n_env, &t->command) ||
            !labels(a, &t->labels))
            return false;
    }
    return true;
}

int launch_operation(const app *a, const char *task_id, const Mesos__V1__Offer *offer,
                     Mesos__V1__Offer__Operation **out, sched_error *err)
{
    Mesos__V1__Offer__Operation *op =
        NEW(Mesos__V1__Offer__Operation, MESOS__V1__OFFER__OPERATION__INIT);
    const char *role = offer->allocation_info && offer->allocation_info->role
                           ? offer->allocation_info->role
                           : NULL;
    bool ok;
    *out = NULL;
    if (!op)
        return sched_error_set(err, HDRF_ENOMEM, "launch %s: out of memory", task_id);
    op->has_type = true;
    ok = a->n_containers ? launch_group(a, task_id, offer, role, op)
                         : launch_command(a, task_id, offer, role, op);
    if (!ok) {
        launch_operation_free(op);
        return sched_error_set(err, HDRF_ENOMEM, "launch %s: out of memory", task_id);
    }
    *out = op;
    return HDRF_OK;
}

void launch_operation_free(Mesos__V1__Offer__Operation *op)
{
    if (op)
        protobuf_c_message_free_unpacked(&op->base, NULL);
}

void launch_instance_id(const char *task_id, char *out, size_t size)
{
    const char *dot = strchr(task_id, '.');
    const char *second = dot ? strchr(dot + 1, '.') : NULL;
    size_t len = second ? (size_t)(second - task_id) : strlen(task_id);
    snprintf(out, size, "%.*s", (int)len, task_id);
}

void launch_kill_id(const app *a, const char *task_id, char *out, size_t size)
{
    if (a && a->n_containers)
        snprintf(out, size, "%s.%s", task_id, a->containers[0].name);
    else
        snprintf(out, size, "%s", task_id);
}
