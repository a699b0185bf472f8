// modules/shares.cpp: the roles' dominant shares, from the allocator module
// to the label hook module (see shares.hpp).
#include "shares.hpp"

#include <mutex>

using std::string;

namespace hdrf
{
namespace shim
{

namespace
{

const string PREFIX = "allocator/mesos/roles/";
const string SUFFIX = "/shares/dominant";

std::mutex &boardLock()
{
    static std::mutex lock;
    return lock;
}

std::map<string, double> &board()
{
    static std::map<string, double> shares;
    return shares;
}

} // namespace

void publishShares(const std::map<string, double> &metrics)
{
    std::map<string, double> shares;
    for (const auto &metric : metrics) {
        const string &name = metric.first;
        if (name.size() > PREFIX.size() + SUFFIX.size() &&
            name.compare(0, PREFIX.size(), PREFIX) == 0 &&
            name.compare(name.size() - SUFFIX.size(), SUFFIX.size(), SUFFIX) == 0) {
            const string role =
                name.substr(PREFIX.size(), name.size() - PREFIX.size() - SUFFIX.size());
            shares[role] = metric.second;
        }
    }

    std::lock_guard<std::mutex> guard(boardLock());
    board() = std::move(shares);
}

Option<double> dominantShare(const string &role)
{
    std::lock_guard<std::mutex> guard(boardLock());
    auto it = board().find(role);
    if (it == board().end()) {
        return None();
    }
    return it->second;
}

} // namespace shim
} // namespace hdrf
