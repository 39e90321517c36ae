// A StopContext driven by a std::stop_source / std::stop_token.
#include "stopsourcecontext.h"

namespace threadlab {

namespace {

class TokenStopCallback : public StopCallback
{
public:
    TokenStopCallback(std::stop_token token, std::function<void()> wake)
        : m_callback(std::move(token), std::move(wake))
    {
    }

private:
    std::stop_callback<std::function<void()>> m_callback;
};

} // namespace

StopSourceContext::StopSourceContext(
    int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, std::stop_source source)
    : StopContext(workerId, std::move(log), std::move(lab))
    , m_source(std::move(source))
    , m_token(m_source.get_token())
{
}

StopSourceContext::StopSourceContext(
    int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, std::stop_token token)
    : StopContext(workerId, std::move(log), std::move(lab))
    , m_source(std::nostopstate)
    , m_token(std::move(token))
{
}

StopSourceContext::~StopSourceContext() = default;

bool StopSourceContext::requestStop()
{
    return m_source.stop_possible() && m_source.request_stop();
}

std::unique_ptr<StopCallback> StopSourceContext::onStopRequested(std::function<void()> wake)
{
    return std::make_unique<TokenStopCallback>(m_token, std::move(wake));
}

} // namespace threadlab
