/* task_build.c: LAUNCH and LAUNCH_GROUP operations (see task_build.h).
 *
 * Every message is built on the heap the way protobuf-c unpacks one
 * (malloc'd messages, strings and arrays), so that one
 * protobuf_c_message_free_unpacked() releases an operation
 * whatever state building stopped in. Resources come from the offer: the
 * offer's resources are read into an hdrf_resources "pool"; each taken
 * piece is one offered resource written back as a message with the amount
 * changed, read again and subtracted from the pool, so that the pool is
 * always exactly what is left. */
#include "scheduler/task_build.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/placement.h"
#include "hdrf/resources_pb.h"

typedef struct builder {
    hdrf_resources *pool;
    const char *agent_id;
    const char *framework_id;
    const char *task_id; /* the instance being built, for messages */
    sched_error *err;
} builder;

static int nomem(builder *b)
{
    return sched_error_set(b->err, HDRF_ENOMEM, "task %s: out of memory", b->task_id);
}

/* A new message of `type`, as its INIT macro lays it out. */
#define NEW(type, INIT) new_message(&(type)INIT, sizeof(type))

static void *new_message(const void *initial, size_t size)
{
    void *m = malloc(size);
    if (m)
        memcpy(m, initial, size);
    return m;
}

/* Appends `item` to a repeated field; false when out of memory. */
static bool push(void ***items, size_t *n, void *item)
{
    void **p = realloc(*items, (*n + 1) * sizeof *p);
    if (!p)
        return false;
    p[(*n)++] = item;
    *items = p;
    return true;
}

/* ---- resources ----------------------------------------------------------------------- */

static bool takeable(const hdrf_resource *r, const hdrf_resource *want, bool reserved)
{
    return strcmp(hdrf_resource_name(r), hdrf_resource_name(want)) == 0 &&
           hdrf_resource_type(r) == hdrf_resource_type(want) && !hdrf_resource_is_revocable(r) &&
           !hdrf_resource_is_shared(r) && !hdrf_resource_is_persistent_volume(r) &&
           hdrf_resource_disk_source(r) == HDRF_DISK_SOURCE_NONE &&
           hdrf_resource_is_unreserved(r) != reserved;
}

static bool is_this(const hdrf_resource *r, void *arg) { return r == arg; }

/* One resource of a collection as a new message. */
static Mesos__V1__Resource *one_message(const hdrf_resources *from, const hdrf_resource *r)
{
    hdrf_resources *alone = hdrf_resources_filter(from, is_this, (void *)r);
    Mesos__V1__Resource **msgs = NULL, *msg = NULL;
    size_t n = 0;
    if (alone && hdrf_resources_to_pb(alone, &msgs, &n) == HDRF_OK && n == 1) {
        msg = msgs[0];
        msgs[0] = NULL;
    }
    hdrf_resources_pb_free(msgs, n);
    hdrf_resources_free(alone);
    return msg;
}

/* Takes `piece` out of the pool if the pool holds it: HDRF_OK, HDRF_ENOFIT
 * (pool unchanged), or another failure. */
static int take(builder *b, Mesos__V1__Resource *piece)
{
    hdrf_resources *taken = NULL;
    int status = hdrf_resources_from_pb(&piece, 1, NULL, &taken, NULL);
    if (status == HDRF_OK)
        status = hdrf_resources_contains(b->pool, taken) ? hdrf_resources_subtract(b->pool, taken)
                                                         : HDRF_ENOFIT;
    hdrf_resources_free(taken);
    return status;
}

/* Takes `piece` and appends it to out[]; on failure frees it. */
static int take_into(builder *b, Mesos__V1__Resource *piece, void ***out, size_t *n_out)
{
    int status = take(b, piece);
    if (status == HDRF_OK && !push(out, n_out, piece))
        status = HDRF_ENOMEM;
    if (status != HDRF_OK)
        mesos__v1__resource__free_unpacked(piece, NULL);
    return status;
}

/* The `skip`-th takeable resource of the pool for `want`, reserved ones
 * first, in the pool's order; NULL past the last. */
static const hdrf_resource *candidate(const builder *b, const hdrf_resource *want, size_t skip)
{
    size_t seen = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < hdrf_resources_size(b->pool); i++) {
            const hdrf_resource *r = hdrf_resources_at(b->pool, i);
            if (takeable(r, want, pass == 0) && seen++ == skip)
                return r;
        }
    return NULL;
}

/* A scalar, split over as many offered resources as it takes. */
static int take_scalar(builder *b, const hdrf_resource *want, void ***out, size_t *n_out)
{
    int64_t left = hdrf_resource_scalar(want);
    int status = HDRF_OK;
    while (status == HDRF_OK && left > 0) {
        const hdrf_resource *r = candidate(b, want, 0);
        int64_t amount;
        Mesos__V1__Resource *piece;
        if (!r)
            return HDRF_ENOFIT;
        amount = hdrf_resource_scalar(r) < left ? hdrf_resource_scalar(r) : left;
        if (!(piece = one_message(b->pool, r)))
            return HDRF_ENOMEM;
        piece->scalar->value = (double)amount / HDRF_MILLI;
        status = take_into(b, piece, out, n_out);
        left -= amount;
    }
    return status;
}

/* Ranges or a set: whole, out of the first offered resource holding them. */
static int take_whole(builder *b, const hdrf_resources *need, const hdrf_resource *want,
                      void ***out, size_t *n_out)
{
    int status = HDRF_ENOFIT;
    const hdrf_resource *r;
    for (size_t skip = 0; status == HDRF_ENOFIT && (r = candidate(b, want, skip)); skip++) {
        Mesos__V1__Resource *piece = one_message(b->pool, r), *wanted = one_message(need, want);
        Mesos__V1__Value__Ranges *ranges;
        Mesos__V1__Value__Set *set;
        if (!piece || !wanted) {
            status = HDRF_ENOMEM;
        } else {
            /* The offered resource's metadata with the wanted value. */
            ranges = piece->ranges, piece->ranges = wanted->ranges, wanted->ranges = ranges;
            set = piece->set, piece->set = wanted->set, wanted->set = set;
            status = take_into(b, piece, out, n_out);
            piece = NULL;
        }
        if (piece)
            mesos__v1__resource__free_unpacked(piece, NULL);
        if (wanted)
            mesos__v1__resource__free_unpacked(wanted, NULL);
    }
    return status;
}

/* Every resource of `need`, taken out of the pool, as messages. */
static int take_all(builder *b, const hdrf_resources *need, const char *what,
                    Mesos__V1__Resource ***out, size_t *n_out)
{
    int status = HDRF_OK;
    size_t i;
    for (i = 0; status == HDRF_OK && i < hdrf_resources_size(need); i++) {
        const hdrf_resource *want = hdrf_resources_at(need, i);
        status = hdrf_resource_type(want) == HDRF_SCALAR
                     ? take_scalar(b, want, (void ***)out, n_out)
                     : take_whole(b, need, want, (void ***)out, n_out);
    }
    const char *name = i > 0 ? hdrf_resource_name(hdrf_resources_at(need, i - 1)) : "";
    if (status == HDRF_ENOFIT)
        return sched_error_set(b->err, status, "task %s: %s: the offer has no room for its %s",
                               b->task_id, what, name);
    if (status == HDRF_ENOMEM)
        return nomem(b);
    if (status != HDRF_OK)
        return sched_error_set(b->err, status, "task %s: %s: %s could not be taken", b->task_id,
                               what, name);
    return HDRF_OK;
}

/* ---- messages -------------------------------------------------------------------------- */

/* Appends name=value to *env (made when NULL). */
static void add_var(Mesos__V1__Environment **env, const char *name, const char *value, bool *ok)
{
    if (!*ok)
        return;
    if (!*env && !(*env = NEW(Mesos__V1__Environment, MESOS__V1__ENVIRONMENT__INIT))) {
        *ok = false;
        return;
    }
    Mesos__V1__Environment__Variable *v =
        NEW(Mesos__V1__Environment__Variable, MESOS__V1__ENVIRONMENT__VARIABLE__INIT);
    if (!v || !push((void ***)&(*env)->variables, &(*env)->n_variables, v)) {
        free(v);
        *ok = false;
        return;
    }
    v->name = strdup(name);
    v->value = strdup(value);
    *ok = v->name && v->value;
}

static Mesos__V1__Environment *environment(const app_pair *a, size_t n_a, const app_pair *c,
                                           size_t n_c, bool *ok)
{
    Mesos__V1__Environment *env = NULL;
    for (size_t i = 0; *ok && i < n_a + n_c; i++) {
        const app_pair *p = i < n_a ? &a[i] : &c[i - n_a];
        add_var(&env, p->key, p->value, ok);
    }
    return env;
}

/* The host ports, as Marathon names them: PORT0.., PORTS (comma-separated),
 * PORT_<NAME> (upper case) for a named one. */
static void port_vars(Mesos__V1__Environment **env, const app *a, const long *ports, bool *ok)
{
    char name[48], value[16], all[APP_MAX_PORTS * 7 + 1] = "";
    for (size_t i = 0; *ok && i < a->n_ports; i++) {
        snprintf(name, sizeof name, "PORT%zu", i);
        snprintf(value, sizeof value, "%ld", ports[i]);
        add_var(env, name, value, ok);
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%ld", i ? "," : "", ports[i]);
        if (a->ports[i].name) {
            size_t k = (size_t)snprintf(name, sizeof name, "PORT_");
            for (const char *s = a->ports[i].name; *s && k + 1 < sizeof name; s++)
                name[k++] = (char)toupper((unsigned char)*s);
            name[k] = '\0';
            add_var(env, name, value, ok);
        }
    }
    if (a->n_ports)
        add_var(env, "PORTS", all, ok);
}

/* The app's artifacts, as the command's URIs (Mesos's defaults written out:
 * extract true, executable and cache false). */
static void uris(Mesos__V1__CommandInfo *cmd, const app *a, bool *ok)
{
    for (size_t i = 0; *ok && i < a->n_fetch; i++) {
        const app_fetch *f = &a->fetch[i];
        Mesos__V1__CommandInfo__URI *u =
            NEW(Mesos__V1__CommandInfo__URI, MESOS__V1__COMMAND_INFO__URI__INIT);
        if (!u || !push((void ***)&cmd->uris, &cmd->n_uris, u)) {
            free(u);
            *ok = false;
            return;
        }
        u->has_executable = u->has_extract = u->has_cache = 1;
        u->executable = f->executable;
        u->extract = f->extract;
        u->cache = f->cache;
        *ok = (u->value = strdup(f->uri)) &&
              (!f->output_file || (u->output_file = strdup(f->output_file)));
    }
}

static Mesos__V1__CommandInfo *command(const app_command *c, const app *a,
                                       Mesos__V1__Environment *env, bool *ok)
{
    Mesos__V1__CommandInfo *cmd = NEW(Mesos__V1__CommandInfo, MESOS__V1__COMMAND_INFO__INIT);
    if (!cmd) {
        *ok = false;
        return NULL;
    }
    cmd->environment = env;
    uris(cmd, a, ok);
    if (a->user)
        *ok = *ok && (cmd->user = strdup(a->user));
    cmd->has_shell = 1;
    cmd->shell = c->shell != NULL;
    if (c->shell) {
        *ok = *ok && (cmd->value = strdup(c->shell));
        return cmd;
    }
    *ok = *ok && (cmd->value = strdup(c->argv[0]));
    for (size_t i = 0; *ok && i < c->argc; i++) {
        char *arg = strdup(c->argv[i]);
        if (!arg || !push((void ***)&cmd->arguments, &cmd->n_arguments, arg)) {
            free(arg);
            *ok = false;
        }
    }
    return cmd;
}

static Mesos__V1__Labels *labels(const app *a, bool *ok)
{
    Mesos__V1__Labels *l;
    if (a->n_labels == 0)
        return NULL;
    if (!(l = NEW(Mesos__V1__Labels, MESOS__V1__LABELS__INIT))) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; *ok && i < a->n_labels; i++) {
        Mesos__V1__Label *x = NEW(Mesos__V1__Label, MESOS__V1__LABEL__INIT);
        if (!x || !push((void ***)&l->labels, &l->n_labels, x)) {
            free(x);
            *ok = false;
            break;
        }
        x->key = strdup(a->labels[i].key);
        x->value = strdup(a->labels[i].value);
        *ok = x->key && x->value;
    }
    return l;
}

/* A TaskInfo named `name` with id `id` on the builder's agent, with the
 * app's kill policy. */
static Mesos__V1__TaskInfo *task_info(builder *b, const app *a, const char *name, const char *id,
                                      bool *ok)
{
    Mesos__V1__TaskInfo *t = NEW(Mesos__V1__TaskInfo, MESOS__V1__TASK_INFO__INIT);
    if (!t || !(t->task_id = NEW(Mesos__V1__TaskID, MESOS__V1__TASK_ID__INIT)) ||
        !(t->agent_id = NEW(Mesos__V1__AgentID, MESOS__V1__AGENT_ID__INIT)) ||
        !(t->name = strdup(name)) || !(t->task_id->value = strdup(id)) ||
        !(t->agent_id->value = strdup(b->agent_id)))
        *ok = false;
    if (t && a->has_kill_grace &&
        (!(t->kill_policy = NEW(Mesos__V1__KillPolicy, MESOS__V1__KILL_POLICY__INIT)) ||
         !(t->kill_policy->grace_period =
               NEW(Mesos__V1__DurationInfo, MESOS__V1__DURATION_INFO__INIT))))
        *ok = false;
    else if (t && a->has_kill_grace)
        t->kill_policy->grace_period->nanoseconds = (int64_t)(a->kill_grace_seconds * 1e9 + 0.5);
    return t;
}

static Mesos__V1__Offer__Operation *operation(Mesos__V1__Offer__Operation__Type type)
{
    Mesos__V1__Offer__Operation *op =
        NEW(Mesos__V1__Offer__Operation, MESOS__V1__OFFER__OPERATION__INIT);
    if (op) {
        op->has_type = 1;
        op->type = type;
    }
    return op;
}

/* The app's health check, for the agent to run (Mesos's TaskInfo.health_check;
 * every number written out, its defaults included); the port is the task's
 * PORT<port_index>, or the fixed one. */
static Mesos__V1__HealthCheck *health_check(const app *a, const long *ports, bool *ok)
{
    const app_health *h = &a->health;
    Mesos__V1__HealthCheck *c = NEW(Mesos__V1__HealthCheck, MESOS__V1__HEALTH_CHECK__INIT);
    if (!c) {
        *ok = false;
        return NULL;
    }
    c->has_delay_seconds = c->has_interval_seconds = c->has_timeout_seconds = 1;
    c->has_consecutive_failures = c->has_grace_period_seconds = c->has_type = 1;
    c->delay_seconds = h->delay_seconds;
    c->interval_seconds = h->interval_seconds;
    c->timeout_seconds = h->timeout_seconds;
    c->consecutive_failures = (uint32_t)h->max_consecutive_failures;
    c->grace_period_seconds = h->grace_period_seconds;
    uint32_t port = (uint32_t)(h->port_index >= 0 ? ports[h->port_index] : h->port);
    if (h->kind == APP_CHECK_HTTP) {
        c->type = MESOS__V1__HEALTH_CHECK__TYPE__HTTP;
        if (!(c->http = NEW(Mesos__V1__HealthCheck__HTTPCheckInfo,
                            MESOS__V1__HEALTH_CHECK__HTTPCHECK_INFO__INIT)) ||
            !(c->http->path = strdup(h->path ? h->path : "/")))
            *ok = false;
        else
            c->http->port = port;
    } else if (h->kind == APP_CHECK_TCP) {
        c->type = MESOS__V1__HEALTH_CHECK__TYPE__TCP;
        if (!(c->tcp = NEW(Mesos__V1__HealthCheck__TCPCheckInfo,
                           MESOS__V1__HEALTH_CHECK__TCPCHECK_INFO__INIT)))
            *ok = false;
        else
            c->tcp->port = port;
    } else {
        c->type = MESOS__V1__HEALTH_CHECK__TYPE__COMMAND;
        if (!(c->command = NEW(Mesos__V1__CommandInfo, MESOS__V1__COMMAND_INFO__INIT)) ||
            !(c->command->value = strdup(h->command)))
            *ok = false;
        else
            c->command->has_shell = c->command->shell = 1;
    }
    return c;
}

/* A command app's instance: one TaskInfo in a LAUNCH. */
static int build_launch(builder *b, const orch_launch *l, Mesos__V1__Offer__Operation **out)
{
    const app *a = l->app;
    bool ok = true;
    int status;
    Mesos__V1__Offer__Operation *op = operation(MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH);
    Mesos__V1__TaskInfo *t = NULL;
    *out = op;
    if (!op || !(op->launch = NEW(Mesos__V1__Offer__Operation__Launch,
                                  MESOS__V1__OFFER__OPERATION__LAUNCH__INIT)))
        return nomem(b);
    t = task_info(b, a, a->id, l->task_id, &ok);
    if (t && !push((void ***)&op->launch->task_infos, &op->launch->n_task_infos, t)) {
        mesos__v1__task_info__free_unpacked(t, NULL);
        return nomem(b);
    }
    if (!ok)
        return nomem(b);
    Mesos__V1__Environment *env = environment(a->env, a->n_env, NULL, 0, &ok);
    port_vars(&env, a, l->ports, &ok);
    t->command = command(&a->command, a, env, &ok);
    t->labels = labels(a, &ok);
    if (a->has_health)
        t->health_check = health_check(a, l->ports, &ok);
    if (!ok)
        return nomem(b);
    status = take_all(b, a->resources, "resources", &t->resources, &t->n_resources);
    if (status == HDRF_OK && a->n_ports) {
        hdrf_resources *ports = placement_ports_resources(l->ports, a->n_ports);
        status = ports ? take_all(b, ports, "ports", &t->resources, &t->n_resources) : nomem(b);
        hdrf_resources_free(ports);
    }
    return status;
}

/* A task-group app's instance: the default executor and one task per
 * container, in a LAUNCH_GROUP. */
static int build_group(builder *b, const orch_launch *l, Mesos__V1__Offer__Operation **out)
{
    const app *a = l->app;
    bool ok = true;
    int status;
    char id[256];
    Mesos__V1__Offer__Operation *op = operation(MESOS__V1__OFFER__OPERATION__TYPE__LAUNCH_GROUP);
    Mesos__V1__Offer__Operation__LaunchGroup *g = NULL;
    Mesos__V1__ExecutorInfo *e = NULL;
    *out = op;
    if (!op ||
        !(g = op->launch_group = NEW(Mesos__V1__Offer__Operation__LaunchGroup,
                                     MESOS__V1__OFFER__OPERATION__LAUNCH_GROUP__INIT)) ||
        !(e = g->executor = NEW(Mesos__V1__ExecutorInfo, MESOS__V1__EXECUTOR_INFO__INIT)) ||
        !(g->task_group = NEW(Mesos__V1__TaskGroupInfo, MESOS__V1__TASK_GROUP_INFO__INIT)) ||
        !(e->executor_id = NEW(Mesos__V1__ExecutorID, MESOS__V1__EXECUTOR_ID__INIT)) ||
        !(e->executor_id->value = strdup(l->task_id)))
        return nomem(b);
    e->has_type = 1;
    e->type = MESOS__V1__EXECUTOR_INFO__TYPE__DEFAULT;
    if (b->framework_id &&
        (!(e->framework_id = NEW(Mesos__V1__FrameworkID, MESOS__V1__FRAMEWORK_ID__INIT)) ||
         !(e->framework_id->value = strdup(b->framework_id))))
        return nomem(b);
    if ((status = take_all(b, a->executor_resources, "executor_resources", &e->resources,
                           &e->n_resources)) != HDRF_OK)
        return status;
    for (size_t i = 0; i < a->n_containers; i++) {
        const app_container *c = &a->containers[i];
        Mesos__V1__TaskInfo *t;
        snprintf(id, sizeof id, "%s.%s", l->task_id, c->name);
        t = task_info(b, a, c->name, id, &ok);
        if (t && !push((void ***)&g->task_group->tasks, &g->task_group->n_tasks, t)) {
            mesos__v1__task_info__free_unpacked(t, NULL);
            return nomem(b);
        }
        if (!ok)
            return nomem(b);
        t->command =
            command(&c->command, a, environment(a->env, a->n_env, c->env, c->n_env, &ok), &ok);
        t->labels = labels(a, &ok);
        if (!ok)
            return nomem(b);
        if ((status = take_all(b, c->resources, c->name, &t->resources, &t->n_resources)) !=
            HDRF_OK)
            return status;
    }
    return HDRF_OK;
}

int task_build_accept(const orch_out *out, size_t accept, const Mesos__V1__Offer *offer,
                      const char *framework_id, Mesos__V1__Offer__Operation ***ops, size_t *n_ops,
                      sched_error *err)
{
    builder b = {NULL, offer->agent_id ? offer->agent_id->value : NULL, framework_id, "?", err};
    const orch_accept *acc = &out->accepts[accept];
    hdrf_error e;
    int status;
    *ops = NULL;
    *n_ops = 0;
    if (accept >= out->n_accepts)
        return sched_error_set(err, HDRF_EINVAL, "accept %zu: there are %zu", accept,
                               out->n_accepts);
    if (!b.agent_id)
        return sched_error_set(err, HDRF_EINVAL, "offer: no agent id");
    if ((status = hdrf_resources_from_pb(offer->resources, offer->n_resources, NULL, &b.pool,
                                         &e)) != HDRF_OK)
        return sched_error_set(err, status, "offer: resources: %s", e.text);
    if (!(*ops = calloc(acc->n ? acc->n : 1, sizeof **ops)))
        status = sched_error_set(err, HDRF_ENOMEM, "offer: out of memory");
    for (size_t k = 0; status == HDRF_OK && k < acc->n; k++) {
        const orch_launch *l = &out->launches[acc->first + k];
        b.task_id = l->task_id;
        status =
            l->app->n_containers ? build_group(&b, l, &(*ops)[k]) : build_launch(&b, l, &(*ops)[k]);
        *n_ops = k + 1;
    }
    hdrf_resources_free(b.pool);
    if (status != HDRF_OK) {
        task_build_free(*ops, *n_ops);
        *ops = NULL;
        *n_ops = 0;
    }
    return status;
}

void task_build_free(Mesos__V1__Offer__Operation **ops, size_t n_ops)
{
    for (size_t i = 0; ops && i < n_ops; i++)
        if (ops[i])
            protobuf_c_message_free_unpacked(&ops[i]->base, NULL);
    free(ops);
}
