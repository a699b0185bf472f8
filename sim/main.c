/* main.c: hdrf-sim, the simulator's command line.
 *
 * Reads a cluster, a modules.json (the allocator's parameters, exactly as
 * deployed) and a workload, runs the simulation (engine.h), prints the
 * summary table and writes the CSV and charts (output.h). With --compare,
 * runs the same cluster and workload under a second modules.json and
 * shows both side by side. Exit status: 0 on success, 1 on bad input or a
 * failed run (one line on stderr saying what and where), 2 on bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cluster.h"
#include "sim/engine.h"
#include "sim/from_master.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/workload.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: hdrf-sim [options] [EXAMPLE_DIR]\n"
            "  Simulates a cluster under hdrf's allocator and reports what happened.\n"
            "  EXAMPLE_DIR holds cluster.json, modules.json and workload.json; options\n"
            "  name them one by one or override them:\n"
            "  --cluster FILE    agents (resources, attributes, domains, reservations)\n"
            "  --modules FILE    a Mesos modules.json: the allocator module's parameters\n"
            "  --module NAME     which module of it (default: the first hdrf allocator)\n"
            "  --workload FILE   frameworks and their jobs, or a generator\n"
            "  --compare FILE    a second modules.json: run both, side by side\n"
            "  --duration D      virtual time to simulate (e.g. 30mins; default: the workload's)\n"
            "  --seed N          replaces the workload's seed\n"
            "  --sample D        time series step (default: the allocation interval)\n"
            "  --window FROM[-TO]  what the summary averages over (e.g. 10mins-30mins, or\n"
            "                    10mins to the end; default: the second half of the run)\n"
            "  --out DIR         where files go (default: sim-out)\n"
            "  --quiet           no progress line (shown when stderr is a terminal)\n"
            "  --cluster-only    print the cluster's agents and totals, and stop\n"
            "  --from-master FILE  a master's /master/state, saved: its agents and the\n"
            "                    tasks its frameworks run become OUT/from-master/, the\n"
            "                    example run (with --hdrf-state FILE, hdrf's /hdrf/state:\n"
            "                    sorters, weights and quota)\n");
}

typedef struct options {
    const char *dir, *cluster, *modules, *module, *workload, *compare, *out, *window;
    const char *from_master, *hdrf_state;
    hdrf_time duration, sample;
    report_window w; /* from `window`, once the duration is known */
    bool has_seed, quiet, cluster_only;
    uint64_t seed;
} options;

/* Returns 0, or 2 after printing what is wrong. */
static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->out = "sim-out";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = strcmp(a, "--cluster") == 0       ? &o->cluster
                            : strcmp(a, "--modules") == 0     ? &o->modules
                            : strcmp(a, "--module") == 0      ? &o->module
                            : strcmp(a, "--workload") == 0    ? &o->workload
                            : strcmp(a, "--compare") == 0     ? &o->compare
                            : strcmp(a, "--out") == 0         ? &o->out
                            : strcmp(a, "--window") == 0      ? &o->window
                            : strcmp(a, "--from-master") == 0 ? &o->from_master
                            : strcmp(a, "--hdrf-state") == 0  ? &o->hdrf_state
                                                              : NULL;
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--cluster-only") == 0) {
            o->cluster_only = true;
        } else if (slot || strcmp(a, "--duration") == 0 || strcmp(a, "--sample") == 0 ||
                   strcmp(a, "--seed") == 0) {
            if (!v) {
                fprintf(stderr, "hdrf-sim: %s needs a value\n", a);
                return 2;
            }
            i++;
            char *end;
            if (slot) {
                *slot = v;
            } else if (strcmp(a, "--seed") == 0) {
                errno = 0;
                o->seed = strtoull(v, &end, 10);
                o->has_seed = true;
                if (*v < '0' || *v > '9' || *end || errno) {
                    fprintf(stderr, "hdrf-sim: --seed %s: expected an integer >= 0\n", v);
                    return 2;
                }
            } else if (!hdrf_duration_parse(v, strcmp(a, "--duration") == 0 ? &o->duration
                                                                            : &o->sample) ||
                       (strcmp(a, "--duration") == 0 ? o->duration : o->sample) <= 0) {
                fprintf(stderr, "hdrf-sim: %s %s: expected a positive duration (e.g. 30secs)\n", a,
                        v);
                return 2;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "hdrf-sim: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else if (o->dir) {
            fprintf(stderr, "hdrf-sim: one example directory at most (%s, then %s)\n", o->dir, a);
            return 2;
        } else {
            o->dir = a;
        }
    }
    return 0;
}

/* dir/name when `given` is NULL; the result lives in `buf`. */
static const char *in_dir(const char *given, const char *dir, const char *name, char *buf,
                          size_t len)
{
    if (given)
        return given;
    if (!dir)
        return NULL;
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

static int print_cluster(const char *path, const sim_cluster *c)
{
    hdrf_resources *total = sim_cluster_total(c);
    hdrf_quantities *quantities = total ? hdrf_quantities_of(total) : NULL;
    int status = 1;
    if (!quantities) {
        fprintf(stderr, "hdrf-sim: out of memory\n");
        goto out;
    }
    printf("cluster %s: %zu agents in %zu groups\n\n", path, c->nagents, c->ngroups);
    printf("%-20s %6s  %s\n", "agents", "count", "resources of each agent");
    for (size_t i = 0; i < c->ngroups; i++) {
        char *text = hdrf_resources_format(c->groups[i].resources);
        if (!text) {
            fprintf(stderr, "hdrf-sim: out of memory\n");
            goto out;
        }
        printf("%-20s %6zu  %s\n", c->groups[i].hostname, c->groups[i].count, text);
        free(text);
    }
    printf("\n%-20s %16s\n", "resource", "cluster total");
    for (size_t i = 0; i < hdrf_quantities_size(quantities); i++) {
        long long milli = (long long)hdrf_quantities_value(quantities, i);
        printf("%-20s %12lld.%03lld\n", hdrf_quantities_name(quantities, i), milli / 1000,
               milli % 1000);
    }
    status = 0;
out:
    hdrf_quantities_free(quantities);
    hdrf_resources_free(total);
    return status;
}

static hdrf_params *load_params(const char *path, const char *module, char *why, size_t len)
{
    char *text = NULL;
    hdrf_params *p = NULL;
    hdrf_error e;
    FILE *f = fopen(path, "rb");
    size_t size = 0;
    if (!f) {
        output_say(why, len, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) >= 0) {
        size = (size_t)ftell(f);
        rewind(f);
        if ((text = malloc(size + 1)) && fread(text, 1, size, f) == size)
            text[size] = '\0';
        else
            free(text), text = NULL;
    }
    fclose(f);
    if (!text) {
        output_say(why, len, "%s: cannot read", path);
        return NULL;
    }
    int rc = hdrf_params_from_modules_json(text, path, module, &p, &e);
    if (rc == HDRF_EINVAL && e.line > 0)
        output_say(why, len, "%s:%d:%d: %s", path, e.line, e.column, e.text);
    else if (rc == HDRF_EINVAL)
        output_say(why, len, "%s: %s: %s", e.source, e.token, e.text);
    else if (rc != HDRF_OK)
        output_say(why, len, "%s: %s", path, hdrf_strerror(rc));
    free(text);
    return p;
}

/* "modules-hdrf.json" -> "modules-hdrf": names a run in a comparison. */
static void label_of(const char *path, char *buf, size_t len)
{
    const char *base = strrchr(path, '/');
    snprintf(buf, len, "%s", base ? base + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
}

typedef struct run_ctx {
    const options *o;
    const sim_cluster *cluster;
    const char *cluster_file;
    const sim_workload *workload;
} run_ctx;

/* Runs under `p` and writes the files in `dir`, titled `title`; `label`
 * (or NULL) names the run on the progress line. */
static int simulate(const run_ctx *c, const hdrf_params *p, const char *label, const char *title,
                    const char *dir, sim_result **out, char *why, size_t len)
{
    char logpath[4096];
    FILE *log = NULL;
    if (output_mkdirs(dir, why, len) != 0)
        return 1;
    snprintf(logpath, sizeof logpath, "%s/decisions.log", dir);
    if (hdrf_params_log_level(p) >= HDRF_LOG_INFO && !(log = fopen(logpath, "w"))) {
        output_say(why, len, "%s: cannot write: %s", logpath, strerror(errno));
        return 1;
    }
    /* Progress only where a person watches: a log would keep every update. */
    bool progress = !c->o->quiet && isatty(STDERR_FILENO);
    sim_inputs in = {c->cluster,   c->cluster_file, c->workload, p,   c->o->duration,
                     c->o->sample, label,           progress,    log, stderr};
    int rc = sim_run(&in, out, why, len);
    if (log && fclose(log) != 0 && rc == HDRF_OK) {
        output_say(why, len, "%s: cannot write", logpath);
        sim_result_free(*out);
        *out = NULL;
        return 1;
    }
    if (rc != HDRF_OK)
        return 1;
    return output_run(dir, *out, title, &c->o->w, why, len) == 0 ? 0 : 1;
}

static int run_all(const options *o, const run_ctx *c, const char *modules, char *why, size_t len)
{
    hdrf_params *pa = load_params(modules, o->module, why, len), *pb = NULL;
    sim_result *ra = NULL, *rb = NULL;
    char la[128], lb[128], da[4096], db[4096];
    int status = 1;
    if (!pa)
        goto out;
    if (!o->compare) {
        status = simulate(c, pa, NULL, modules, o->out, &ra, why, len);
        if (status == 0 && report_summary(stdout, ra, modules, &o->w) != 0)
            status = 1;
        goto out;
    }
    if (!(pb = load_params(o->compare, o->module, why, len)))
        goto out;
    label_of(modules, la, sizeof la);
    label_of(o->compare, lb, sizeof lb);
    if (strcmp(la, lb) == 0) {
        snprintf(la, sizeof la, "a");
        snprintf(lb, sizeof lb, "b");
    }
    snprintf(da, sizeof da, "%s/%s", o->out, la);
    snprintf(db, sizeof db, "%s/%s", o->out, lb);
    if ((status = simulate(c, pa, la, la, da, &ra, why, len)) != 0 ||
        (status = simulate(c, pb, lb, lb, db, &rb, why, len)) != 0)
        goto out;
    if (report_summary(stdout, ra, la, &o->w) != 0 || printf("\n") < 0 ||
        report_summary(stdout, rb, lb, &o->w) != 0 || printf("\n") < 0 ||
        report_compare(stdout, ra, la, rb, lb, &o->w) != 0)
        status = 1;
    else
        status = output_compare(o->out, ra, la, rb, lb, &o->w, why, len) == 0 ? 0 : 1;
out:
    sim_result_free(ra);
    sim_result_free(rb);
    hdrf_params_free(pa);
    hdrf_params_free(pb);
    return status;
}

int main(int argc, char **argv)
{
    char why[1024] = "", b1[4096], b2[4096], b3[4096];
    options o;
    sim_cluster *cluster = NULL;
    sim_workload *workload = NULL;
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    int status = parse_args(argc, argv, &o);
    if (status != 0)
        return status;
    char from[2048]; /* leaves room for dir/name in in_dir()'s buffers */
    if (o.from_master) {
        if (o.dir) {
            fprintf(stderr, "hdrf-sim: --from-master builds the example: give no directory (%s)\n",
                    o.dir);
            return 2;
        }
        snprintf(from, sizeof from, "%s/from-master", o.out);
        if (output_mkdirs(from, why, sizeof why) != 0 ||
            sim_from_master(o.from_master, o.hdrf_state, from, why, sizeof why) != 0) {
            fprintf(stderr, "hdrf-sim: %s\n", why);
            return 1;
        }
        fprintf(stderr, "hdrf-sim: %s/{cluster,workload,modules}.json from %s\n", from,
                o.from_master);
        o.dir = from;
    } else if (o.hdrf_state) {
        fprintf(stderr, "hdrf-sim: --hdrf-state goes with --from-master\n");
        return 2;
    }
    const char *cpath = in_dir(o.cluster, o.dir, "cluster.json", b1, sizeof b1);
    const char *mpath = in_dir(o.modules, o.dir, "modules.json", b2, sizeof b2);
    const char *wpath = in_dir(o.workload, o.dir, "workload.json", b3, sizeof b3);
    if (!cpath || (!o.cluster_only && (!mpath || !wpath))) {
        usage(stderr);
        return 2;
    }
    status = 1;
    if (!(cluster = sim_cluster_load(cpath, why, sizeof why)))
        goto out;
    if (o.cluster_only) {
        status = print_cluster(cpath, cluster);
        goto out;
    }
    if (!(workload = sim_workload_load(wpath, o.has_seed ? &o.seed : NULL, why, sizeof why)))
        goto out;
    /* The window is checked against the duration before anything runs. */
    hdrf_time duration = o.duration ? o.duration : workload->duration;
    o.w = report_default_window(duration);
    if (o.window && report_window_parse(o.window, duration, &o.w, why, sizeof why) != 0) {
        status = 2;
        goto out;
    }
    run_ctx c = {&o, cluster, cpath, workload};
    status = run_all(&o, &c, mpath, why, sizeof why);
    fflush(stdout);
    if (status == 0)
        fprintf(stderr, "hdrf-sim: table, timeseries.csv and charts in %s/\n", o.out);
out:
    if (status != 0 && why[0])
        fprintf(stderr, "hdrf-sim: %s\n", why);
    sim_workload_free(workload);
    sim_cluster_free(cluster);
    return status;
}
