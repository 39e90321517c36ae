// The worker host's stop context: std::stop_source plus std::stop_callback registrations.
#include "hoststopcontext.h"

namespace threadlab {

namespace {

class HostStopCallback final : public StopCallback
{
public:
    HostStopCallback(std::stop_token token, std::function<void()> wake)
        : m_callback(std::move(token), std::move(wake))
    {
    }

private:
    std::stop_callback<std::function<void()>> m_callback;
};

} // namespace

HostStopContext::HostStopContext(int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab)
    : StopContext(workerId, std::move(log), std::move(lab))
{
}

bool HostStopContext::requestStop()
{
    return m_source.request_stop();
}

std::unique_ptr<StopCallback> HostStopContext::onStopRequested(std::function<void()> wake)
{
    return std::make_unique<HostStopCallback>(m_source.get_token(), std::move(wake));
}

} // namespace threadlab
