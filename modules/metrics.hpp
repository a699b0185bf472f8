// modules/metrics.hpp: the core's metrics as libprocess pull gauges.
//
// The core names its metrics itself (hdrf_allocator_metrics: Mesos's names,
// allocator/mesos/...); the set changes as roles come and go. CoreMetrics
// keeps the last values read from the core and one PullGauge per name, so
// they appear in the master's /metrics/snapshot. A gauge reads its value
// through `read`, which the actor serves (the core is single-threaded). Each
// refresh also posts the roles' dominant shares where the label hook reads
// them (shares.hpp).
#ifndef HDRF_MODULES_METRICS_HPP
#define HDRF_MODULES_METRICS_HPP

#include <functional>
#include <map>
#include <string>

#include <process/future.hpp>
#include <process/metrics/pull_gauge.hpp>

#include <stout/option.hpp>

extern "C" {
#include "hdrf/allocator.h"
}

namespace hdrf
{
namespace shim
{

class CoreMetrics
{
  public:
    using Reader = std::function<process::Future<double>(const std::string &)>;

    explicit CoreMetrics(const Reader &read);
    ~CoreMetrics(); // withdraws every gauge

    // Something changed in the core since the last refresh.
    void touch() { stale = true; }

    // Reads every metric from the core when stale: adds gauges for new names,
    // withdraws those the core no longer emits, posts dominant shares.
    void refresh(const hdrf_allocator *core);

    // The value last read, None for a name the core no longer emits.
    Option<double> value(const std::string &name) const;

  private:
    Reader read;
    bool stale;
    std::map<std::string, double> values;
    std::map<std::string, process::metrics::PullGauge> gauges;
};

} // namespace shim
} // namespace hdrf

#endif
