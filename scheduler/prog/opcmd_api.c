/* opcmd_api.c: the operator commands through a scheduler's HTTP API
 * (`--api URL`, see opcmd.h) instead of ZooKeeper.
 *
 * The same commands and, as far as the API tells, the same output: the
 * files of `submit` are read and checked here first (the same refusals),
 * `scale`'s count too, then one request does the command; the server's
 * refusals are its "error" text, the CLI's own messages. A standby
 * answers writes with 307 to the leader, which libcurl follows (a 307
 * keeps the method and the body). Credentials for the API: HTTP Basic as
 * the URL's user information (http://user:password@host:port), or
 * --api_token for a bearer token. */
#include "scheduler/prog/opcmd.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/zk_session.h"

#define TIMEOUT_MS 30000
#define MAX_REDIRECTS 3

typedef struct api_call {
    const sched_options *o;
    long status;
    json_t *answer; /* the answer's JSON, or NULL */
} api_call;

static size_t to_stream(char *data, size_t size, size_t n, void *f)
{
    return fwrite(data, size, n, f) * size;
}

/* One request to <--api><path> with an optional JSON body; the answer's
 * status and JSON in *c. An error: no answer, or one without JSON. */
static int call(api_call *c, const char *method, const char *path, const json_t *body,
                sched_error *err)
{
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL;
    char url[sizeof c->o->api + 600], auth[sizeof c->o->api_token + 32],
        *text = NULL, *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CURLcode rc = CURLE_FAILED_INIT;
    int status = HDRF_OK;
    snprintf(url, sizeof url, "%s%s", c->o->api, path);
    if (h && f && (!body || payload)) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_stream);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
        headers = curl_slist_append(headers, "Content-Type: application/json");
        if (c->o->api_token[0]) {
            snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->o->api_token);
            headers = curl_slist_append(headers, auth);
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        if (payload)
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
        rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
    }
    if (f)
        fclose(f);
    if (rc != CURLE_OK)
        status =
            sched_error_set(err, ZK_EUNAVAILABLE, "API %s: %s", c->o->api,
                            rc == CURLE_FAILED_INIT ? "out of memory" : curl_easy_strerror(rc));
    else if (!(c->answer = text ? json_loads(text, 0, NULL) : NULL))
        status = sched_error_set(err, HDRF_EINVAL, "API %s: %s %s: status %ld, not JSON", c->o->api,
                                 method, path, c->status);
    free(text);
    free(payload);
    curl_slist_free_all(headers);
    if (h)
        curl_easy_cleanup(h);
    return status;
}

/* A 2xx, or the server's refusal as the command's error. */
static int answered(const api_call *c, sched_error *err)
{
    const char *why = json_string_value(json_object_get(c->answer, "error"));
    if (c->status >= 200 && c->status < 300)
        return HDRF_OK;
    return sched_error_set(err,
                           c->status == 404   ? HDRF_ENOTFOUND
                           : c->status == 409 ? HDRF_EEXIST
                           : c->status == 400 ? HDRF_EINVAL
                                              : ZK_EUNAVAILABLE,
                           "%s", why ? why : "the API answered without a reason");
}

/* The "message" of every application of a write's answer, one a line. */
static void print_messages(FILE *out, const json_t *answer)
{
    const json_t *apps = json_object_get(answer, "apps");
    for (size_t i = 0; i < json_array_size(apps); i++)
        fprintf(out, "%s\n",
                json_string_value(json_object_get(json_array_get(apps, i), "message")));
}

static int write_call(api_call *c, const char *method, const char *path, json_t *body, FILE *out,
                      sched_error *err)
{
    int rc = call(c, method, path, body, err);
    if (rc == HDRF_OK && (rc = answered(c, err)) == HDRF_OK)
        print_messages(out, c->answer);
    json_decref(body);
    return rc;
}

static int api_submit(api_call *c, FILE *out, sched_error *err)
{
    json_t *loaded = NULL, *apps = json_array();
    /* every file read and checked before the request, as without --api */
    int rc = opcmd_load_files(c->o->args, c->o->n_args, &loaded, err);
    for (size_t i = 0; rc == HDRF_OK && apps && i < json_array_size(loaded); i++)
        json_array_append(apps, json_object_get(json_array_get(loaded, i), "app"));
    json_decref(loaded);
    if (rc != HDRF_OK || !apps) {
        json_decref(apps);
        return rc != HDRF_OK ? rc : sched_error_set(err, HDRF_ENOMEM, "out of memory");
    }
    return write_call(c, "POST", "/v1/apps", json_pack("{s:o}", "apps", apps), out, err);
}

static int api_scale(api_call *c, FILE *out, sched_error *err)
{
    const char *id = c->o->args[0];
    char path[300];
    long n;
    int rc = opcmd_scale_count(id, c->o->args[1], &n, err);
    if (rc != HDRF_OK)
        return rc;
    snprintf(path, sizeof path, "/v1/apps/%s/scale", id);
    return write_call(c, "POST", path, json_pack("{s:I}", "instances", (json_int_t)n), out, err);
}

static int api_delete(api_call *c, FILE *out, sched_error *err)
{
    char path[300];
    snprintf(path, sizeof path, "/v1/apps/%s%s", c->o->args[0], c->o->force ? "?force=true" : "");
    return write_call(c, "DELETE", path, NULL, out, err);
}

static long long int_of(const json_t *doc, const char *key)
{
    return json_integer_value(json_object_get(doc, key));
}

static const char *str_of(const json_t *doc, const char *key)
{
    const char *s = json_string_value(json_object_get(doc, key));
    return s ? s : "?";
}

static int api_list(api_call *c, FILE *out, sched_error *err)
{
    int rc = call(c, "GET", "/v1/apps", NULL, err);
    const json_t *apps;
    if (rc != HDRF_OK || (rc = answered(c, err)) != HDRF_OK)
        return rc;
    apps = json_object_get(c->answer, "apps");
    fprintf(out, "%-24s %9s %7s %5s  %s\n", "ID", "INSTANCES", "RUNNING", "TASKS", "STATE");
    for (size_t i = 0; i < json_array_size(apps); i++) {
        const json_t *a = json_array_get(apps, i);
        fprintf(out, "%-24s %9lld %7lld %5lld  %s\n", str_of(a, "id"), int_of(a, "instances"),
                int_of(a, "tasks_running"), int_of(a, "tasks_live"), str_of(a, "state"));
    }
    return HDRF_OK;
}

/* `status <id>`: the application and its tasks; its transactions. */
static int api_status_app(api_call *c, FILE *out, sched_error *err)
{
    const char *id = c->o->args[0];
    char path[300];
    api_call txns = {c->o, 0, NULL};
    const json_t *a, *tasks, *list;
    int rc;
    snprintf(path, sizeof path, "/v1/apps/%s", id);
    if ((rc = call(c, "GET", path, NULL, err)) != HDRF_OK || (rc = answered(c, err)) != HDRF_OK ||
        (rc = call(&txns, "GET", "/v1/transactions", NULL, err)) != HDRF_OK ||
        (rc = answered(&txns, err)) != HDRF_OK) {
        json_decref(txns.answer);
        return rc;
    }
    a = c->answer;
    tasks = json_object_get(a, "tasks");
    fprintf(out, "app: %s\ndesired: %lld instance(s)%s\nstate: %s\n", id, int_of(a, "instances"),
            json_is_true(json_object_get(a, "deleted")) ? ", deleted" : "", str_of(a, "state"));
    fprintf(out, "tasks: %zu (%lld running)\n", json_array_size(tasks), int_of(a, "tasks_running"));
    for (size_t i = 0; i < json_array_size(tasks); i++) {
        const json_t *t = json_array_get(tasks, i);
        fprintf(out, "  %s %s on %s (%s)\n", str_of(t, "id"), str_of(t, "state"), str_of(t, "host"),
                str_of(t, "agent"));
    }
    fprintf(out, "transactions:\n");
    list = json_object_get(txns.answer, "transactions");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *t = json_array_get(list, i);
        if (strcmp(str_of(t, "app"), id) == 0)
            fprintf(out, "  %s %s %s, target %lld\n", str_of(t, "id"), str_of(t, "kind"),
                    str_of(t, "status"), int_of(t, "target"));
    }
    json_decref(txns.answer);
    return HDRF_OK;
}

/* `status`: the leader, the framework, counts. */
static int api_status(api_call *c, FILE *out, sched_error *err)
{
    api_call apps = {c->o, 0, NULL}, deps = {c->o, 0, NULL};
    const json_t *leader, *fid, *list;
    long long tasks = 0;
    int rc;
    if ((rc = call(c, "GET", "/v1/leader", NULL, err)) != HDRF_OK ||
        (rc = answered(c, err)) != HDRF_OK ||
        (rc = call(&apps, "GET", "/v1/apps", NULL, err)) != HDRF_OK ||
        (rc = answered(&apps, err)) != HDRF_OK ||
        (rc = call(&deps, "GET", "/v1/deployments", NULL, err)) != HDRF_OK ||
        (rc = answered(&deps, err)) != HDRF_OK)
        goto out;
    leader = json_object_get(c->answer, "leader");
    fid = json_object_get(c->answer, "framework_id");
    if (json_is_object(leader)) {
        fprintf(out, "leader: %s (%s)\n", str_of(leader, "instance"), str_of(leader, "member"));
        if (str_of(leader, "api")[0])
            fprintf(out, "leader api: %s\n", str_of(leader, "api"));
    } else {
        fprintf(out, "leader: none\n");
    }
    fprintf(out, "framework id: %s\n", json_is_string(fid) ? json_string_value(fid) : "none yet");
    list = json_object_get(apps.answer, "apps");
    for (size_t i = 0; i < json_array_size(list); i++)
        tasks += int_of(json_array_get(list, i), "tasks_live");
    fprintf(out, "applications: %zu desired\n", json_array_size(list));
    fprintf(out, "tasks: %lld\n", tasks);
    fprintf(out, "transactions pending: %zu\n",
            json_array_size(json_object_get(deps.answer, "deployments")));
out:
    json_decref(apps.answer);
    json_decref(deps.answer);
    return rc;
}

int opcmd_api_run(const sched_options *o, FILE *out, sched_error *err)
{
    api_call c = {o, 0, NULL};
    int rc;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return sched_error_set(err, HDRF_ENOMEM, "libcurl failed to initialise");
    switch (o->command) {
    case SCHED_CMD_SUBMIT:
        rc = api_submit(&c, out, err);
        break;
    case SCHED_CMD_SCALE:
        rc = api_scale(&c, out, err);
        break;
    case SCHED_CMD_DELETE:
        rc = api_delete(&c, out, err);
        break;
    case SCHED_CMD_LIST:
        rc = api_list(&c, out, err);
        break;
    case SCHED_CMD_STATUS:
        rc = o->n_args ? api_status_app(&c, out, err) : api_status(&c, out, err);
        break;
    default:
        rc = sched_error_set(err, HDRF_EINVAL, "not an operator command");
    }
    json_decref(c.answer);
    curl_global_cleanup();
    return rc;
}
