// modules/shares.hpp: the roles' dominant shares, from the allocator module
// to the label hook module.
//
// Both modules live in one shared library but in different actors: the
// allocator's actor posts the shares each time it reads the core's metrics
// (after every run), and the hook, running in the master's actor, reads the
// latest posted share of a launch's role for {role.dominant_share}. A mutex
// guards the board; nothing else is shared between the two modules.
#ifndef HDRF_MODULES_SHARES_HPP
#define HDRF_MODULES_SHARES_HPP

#include <map>
#include <string>

#include <stout/option.hpp>

namespace hdrf
{
namespace shim
{

// Keeps allocator/mesos/roles/<role>/shares/dominant of `metrics` as the
// board's whole content (an empty map clears it).
void publishShares(const std::map<std::string, double> &metrics);

// The role's latest dominant share; None when no allocator posted one.
Option<double> dominantShare(const std::string &role);

} // namespace shim
} // namespace hdrf

#endif
