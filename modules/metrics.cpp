// modules/metrics.cpp: the core's metrics as libprocess pull gauges.
#include "metrics.hpp"

#include <utility>

#include <process/metrics/metrics.hpp>

#include "shares.hpp"

using std::string;

namespace hdrf
{
namespace shim
{

CoreMetrics::CoreMetrics(const Reader &_read) : read(_read), stale(true) {}

CoreMetrics::~CoreMetrics()
{
    for (const auto &gauge : gauges) {
        process::metrics::remove(gauge.second);
    }
    publishShares(std::map<string, double>());
}

void CoreMetrics::refresh(const hdrf_allocator *core)
{
    if (!stale) {
        return;
    }

    std::map<string, double> fresh;
    hdrf_allocator_metrics(
        core,
        [](void *arg, const char *name, double value) {
            (*static_cast<std::map<string, double> *>(arg))[name] = value;
        },
        &fresh);
    values = std::move(fresh);
    stale = false;

    for (auto it = gauges.begin(); it != gauges.end();) {
        if (values.count(it->first) == 0) {
            process::metrics::remove(it->second);
            it = gauges.erase(it);
        } else {
            ++it;
        }
    }

    for (const auto &metric : values) {
        if (gauges.count(metric.first) == 0) {
            const string name = metric.first;
            const Reader reader = read;
            process::metrics::PullGauge gauge(name, [reader, name]() { return reader(name); });
            gauges.emplace(name, gauge);
            process::metrics::add(gauge);
        }
    }

    publishShares(values);
}

Option<double> CoreMetrics::value(const string &name) const
{
    auto it = values.find(name);
    if (it == values.end()) {
        return None();
    }
    return it->second;
}

} // namespace shim
} // namespace hdrf
