/* oom_params_hooks.c: every call of hdrf/params.h and hdrf/hooks.h under
 * allocation failure. Both objects are immutable once made, so what is
 * checked is that a failed parse or decoration reports HDRF_ENOMEM, leaves
 * its result empty and leaks nothing, and that everything read back from
 * the objects is what the clean run read. */
#include <stdlib.h>
#include <string.h>

#include "hdrf/hooks.h"
#include "hdrf/params.h"
#include "lib/sbuf.h"
#include "test/oom/oom.h"
#include "test/oom/oom_scenarios.h"

static const hdrf_param every_key[] = {
    {"weights", "eng=3,eng/batch=0.5,ads=1"},
    {"role_sorter", "hdrf"},
    {"framework_sorter", "random"},
    {"random_seed", "42"},
    {"fairness_excluded_resources", "gpus,fpgas"},
    {"filter_gpu_resources", "off"},
    {"min_allocatable_resources", "cpus:0.01|mem:32;disk:10"},
    {"agent_recovery_factor", "0.5"},
    {"recovery_timeout", "5mins"},
    {"allocation_interval", "0.5secs"},
    {"quota_guarantees", "prod=cpus:10;mem:4096,ads=cpus:2"},
    {"quota_limits", "prod=cpus:20;mem:8192,batch=cpus:0"},
    {"nested_quota", "hdrf"},
    {"explain", "true"},
    {"log_level", "debug"},
};

static const char manifest[] =
    "{\"libraries\":[{\"file\":\"libhdrf-mesos.so\",\"modules\":["
    "{\"name\":\"io_hdrf_LabelHook\",\"parameters\":[{\"key\":\"labels\",\"value\":\"a=b\"}]},"
    "{\"name\":\"io_hdrf_HierarchicalAllocator\",\"parameters\":["
    "{\"key\":\"weights\",\"value\":\"eng=2\"},{\"key\":\"quota_limits\",\"value\":\"eng=cpus:4\"},"
    "{\"key\":\"log_level\",\"value\":\"warning\"}]}]}]}";

static void read_params(oom *o, const hdrf_params *p)
{
    const hdrf_allocator_options *opt = hdrf_params_options(p);
    oom_log(o, "options interval %lld excluded %zu gpu %d region %s min %s factor %g timeout %lld",
            (long long)opt->allocation_interval, opt->nfairness_excluded, opt->filter_gpu_resources,
            opt->region ? opt->region : "-",
            opt->min_allocatable_resources ? opt->min_allocatable_resources : "-",
            opt->agent_recovery_factor, (long long)opt->recovery_timeout);
    oom_log(o, "explain %d log %s weights %zu eng %g quotas %zu", hdrf_params_explain(p),
            hdrf_log_level_name(hdrf_params_log_level(p)), hdrf_params_weight_count(p),
            hdrf_params_weight(p, "eng"), hdrf_params_quota_count(p));
    for (size_t i = 0; i < hdrf_params_weight_count(p); i++)
        oom_log(o, "weight %s %g", hdrf_params_weight_role(p, i), hdrf_params_weight_value(p, i));
    for (size_t i = 0; i < hdrf_params_quota_count(p); i++)
        oom_log(o, "quota %s %zu", hdrf_params_quota(p, i)->role,
                hdrf_params_quota(p, i)->quota.nlimits);
    for (size_t i = 0; i < hdrf_params_key_count(); i++)
        oom_log(o, "%s = %s (default %s)", hdrf_params_key(i),
                hdrf_params_value(p, hdrf_params_key(i)), hdrf_params_default(i));
}

void oom_params(oom *o)
{
    hdrf_params *p = NULL;
    hdrf_allocator *a = NULL;
    hdrf_error e = {0};
    hdrf_time t = 0;
    int rc = HDRF_OK;
    bool ok = false;
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_params_parse(every_key, sizeof every_key / sizeof *every_key, &p, &e));
    read_params(o, p);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_allocator_new(hdrf_params_options(p), NULL, &a, &e));
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_params_apply(p, a));
    oom_log(o, "apply %d", rc);
    hdrf_allocator_free(a);
    hdrf_params_free(p);
    p = NULL;
    hdrf_param bad[] = {{"weights", "eng=2"}, {"quota_limits", "eng=cpus:-1"}};
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_params_parse(bad, 2, &p, &e));
    oom_log(o, "bad %d %s", rc, e.text);
    OOM_CALL(o, rc == HDRF_ENOMEM, rc = hdrf_params_parse(NULL, 0, &p, &e));
    read_params(o, p);
    hdrf_params_free(p);
    p = NULL;
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_params_from_modules_json(manifest, "modules.json", NULL, &p, &e));
    read_params(o, p);
    hdrf_params_free(p);
    p = NULL;
    OOM_CALL(o, rc == HDRF_ENOMEM,
             rc = hdrf_params_from_modules_json("{\"libraries\":[{\"modules\":[{]}]}",
                                                "modules.json", NULL, &p, &e));
    oom_log(o, "bad manifest %d %s %s", rc, e.text, e.token);
    OOM_CALL(o, false, ok = hdrf_duration_parse("1.5hrs", &t));
    oom_log(o, "duration %d %lld", ok, (long long)t);
}

static void log_result(oom *o, int rc, const hdrf_hooks_result *r, const hdrf_error *e)
{
    oom_log(o, "decorate %d verdict %d n %zu %s", rc, r->verdict, r->nlabels,
            r->verdict == HDRF_HOOKS_REFUSE ? e->text : "");
    for (size_t i = 0; i < r->nlabels; i++)
        oom_log(o, "  %s=%s", r->labels[i].key, r->labels[i].value ? r->labels[i].value : "(none)");
}

static void decorate(oom *o, const hdrf_hooks *h, hdrf_hooks_stage stage,
                     const hdrf_hooks_launch *launch)
{
    static const hdrf_label labels[] = {{"team", "ads"}, {"hdrf.role", "forged"}, {"key", NULL}};
    hdrf_hooks_result r = {HDRF_HOOKS_KEEP, NULL, 0};
    hdrf_error e = {0};
    int rc = HDRF_OK;
    OOM_CALL(o, rc == HDRF_ENOMEM && r.verdict == HDRF_HOOKS_KEEP && !r.labels,
             rc = hdrf_hooks_decorate(h, stage, labels, 3, launch, &r, &e));
    log_result(o, rc, &r, &e);
    hdrf_hooks_result_free(&r);
}

void oom_hooks(oom *o)
{
    const hdrf_hooks_param params[] = {
        {"labels", "team=ads, hdrf.role={role},hdrf.owner={framework.name}@{agent.hostname},"
                   "hdrf.share={role.dominant_share}, hdrf.k\\,ey=a\\=b, hdrf.flag"},
        {"agent_labels", "hdrf.ran_on={agent.hostname},hdrf.agent={agent.id}"},
        {"reserved_prefix", "hdrf."},
        {"on_forged_label", "strip"}};
    const hdrf_hooks_param reject[] = {{"on_forged_label", "reject"}, {"labels", "hdrf.x=1"}};
    const hdrf_hooks_param bad[] = {{"labels", "a={nope}"}};
    hdrf_hooks_launch launch = {"eng", "fw1", "spark", "agent1", "host1", true, 0.25};
    hdrf_hooks *h = NULL;
    hdrf_error e = {0};
    int rc = HDRF_OK;
    OOM_CALL(o, rc == HDRF_ENOMEM && !h, rc = hdrf_hooks_new(params, 4, &h, &e));
    decorate(o, h, HDRF_HOOKS_MASTER, &launch);
    decorate(o, h, HDRF_HOOKS_AGENT, &launch);
    hdrf_hooks_free(h);
    h = NULL;
    OOM_CALL(o, rc == HDRF_ENOMEM && !h, rc = hdrf_hooks_new(reject, 2, &h, &e));
    decorate(o, h, HDRF_HOOKS_MASTER, &launch);
    hdrf_hooks_free(h);
    h = NULL;
    OOM_CALL(o, rc == HDRF_ENOMEM && !h, rc = hdrf_hooks_new(bad, 1, &h, &e));
    oom_log(o, "bad hooks %d %s %s %d", rc, e.text, e.token, e.position);
    OOM_CALL(o, rc == HDRF_ENOMEM && !h, rc = hdrf_hooks_new(NULL, 0, &h, &e));
    decorate(o, h, HDRF_HOOKS_MASTER, &launch);
    hdrf_hooks_free(h);
}
