// The stop context of a workload running inside the worker host: a std::stop_source driven by stdin/SIGTERM.
#pragma once

#include "workloads/stopcontext.h"

#include <stop_token>

namespace threadlab {

/// Stop requests arrive on the host's main thread (a stdin "stop", SIGTERM, stdin closed) and are
/// delivered to the workload through a std::stop_source; notify callbacks run in the requesting thread.
class HostStopContext final : public StopContext
{
public:
    HostStopContext(int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab);

    /// Asks the workload to stop; returns true the first time.
    bool requestStop();
    bool isStopRequested() const { return m_source.stop_requested(); }
    std::stop_token token() const { return m_source.get_token(); }

    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override;

protected:
    bool stopRequested() override { return m_source.stop_requested(); }

private:
    std::stop_source m_source;
};

} // namespace threadlab
