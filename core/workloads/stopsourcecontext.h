// A StopContext driven by a std::stop_source / std::stop_token (jthread backend, spawner children, tests).
#pragma once

#include "stopcontext.h"

#include <stop_token>

namespace threadlab {

/// Stop context whose stop flag is a C++20 stop token; wake=notify callbacks are std::stop_callbacks,
/// run by request_stop() on the requesting thread. Force-kill does not exist here (no cancellation).
class StopSourceContext : public StopContext
{
public:
    /// Owns (a share of) source: requestStop() stops it.
    StopSourceContext(int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        std::stop_source source = std::stop_source());
    /// Observes a token owned elsewhere (e.g. std::jthread's); requestStop() then does nothing.
    StopSourceContext(
        int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, std::stop_token token);
    ~StopSourceContext() override;
    Q_DISABLE_COPY_MOVE(StopSourceContext)

    /// Requests the stop (runs the registered wake callbacks on this thread). False if not owned or already.
    bool requestStop();
    std::stop_source stopSource() const { return m_source; }
    std::stop_token stopToken() const { return m_token; }

    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override;

protected:
    bool stopRequested() override { return m_token.stop_requested(); }

private:
    std::stop_source m_source;
    std::stop_token m_token;
};

} // namespace threadlab
