// Backend::JThread: request_stop() only asks; the thread tells its owner it ended by a queued call.
#include "jthreadworker.h"

#include "events/eventlog.h"
#include "workloads/workload.h"

#include <QMetaObject>
#include <optional>

namespace threadlab {

namespace {

class JStopCallback : public StopCallback
{
public:
    JStopCallback(const std::stop_token &token, std::function<void()> wake)
        : m_callback(token, std::move(wake))
    {
    }

private:
    std::stop_callback<std::function<void()>> m_callback;
};

} // namespace

std::unique_ptr<StopCallback> JThreadStopContext::onStopRequested(std::function<void()> wake)
{
    return std::make_unique<JStopCallback>(m_token, std::move(wake));
}

JThreadWorker::JThreadWorker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : Worker(id, std::move(spec), std::move(log), std::move(lab), parent)
    , m_state(std::make_shared<RunState>())
{
    m_state->ctx = std::make_shared<JThreadStopContext>(id, logPtr(), labPtr());
    m_state->ctx->setStopNoticedHook(stopNoticedNotifier());
}

JThreadWorker::~JThreadWorker()
{
    detachOwnerLink();
    if (!m_thread.joinable())
        return;
    if (m_state->done.load(std::memory_order_acquire)) {
        m_thread.join();
        return;
    }
    // ~jthread would request_stop() and join, blocking for as long as the code runs: ask and let it go.
    m_thread.request_stop();
    m_thread.detach();
}

bool JThreadWorker::hasEnded() const
{
    return m_joined || state() == WorkerState::Created;
}

qint64 JThreadWorker::stepsDone() const
{
    return m_state->ctx->stepsDone();
}

qint64 JThreadWorker::cpuTimeNs() const
{
    return m_state->rec.cpuTimeNs(m_state->ctx->threadId());
}

void JThreadWorker::doStart()
{
    m_state->workload = WorkloadRegistry::create(spec().workload, spec().params);
    if (!m_state->workload) {
        record(EventKind::Note, 0, QStringLiteral("cannot create workload '%1'").arg(spec().workload));
        m_joined = true;
        handleEnded(Outcome::Failed);
        return;
    }
    std::shared_ptr<RunState> state = m_state;
    std::shared_ptr<EventLog> log = logPtr();
    const int workerId = id();
    std::function<void()> onStarted = codeStartedNotifier();
    std::function<void(std::function<void()>)> post = poster();
    m_thread = std::jthread([state, log, workerId, onStarted, post, self = this](std::stop_token token) {
        state->ctx->setToken(std::move(token));
        runWorkloadGuarded(*state->workload, *state->ctx, state->rec, *log, workerId, onStarted);
        // Last act: tell the owner (if it still exists) on its own thread; it then joins at once. self is
        // used only there, where the owner is alive by construction.
        post([self] { self->handleThreadDone(); });
        state->done.store(true, std::memory_order_release);
    });
}

void JThreadWorker::doRequestStop()
{
    m_thread.request_stop(); // runs the registered std::stop_callbacks here
}

void JThreadWorker::doForceKill(StopMethod)
{
    // Refused (vocabulary's capability table): std::thread has no kill.
}

void JThreadWorker::handleThreadDone()
{
    if (m_joined)
        return;
    if (m_thread.joinable())
        m_thread.join(); // immediate: the thread's last act was posting this call
    m_joined = true;
    const RunRecord &rec = m_state->rec;
    if (rec.end.load() == RunRecord::Threw)
        record(EventKind::Note, 0, QStringLiteral("the workload threw: %1").arg(rec.what));
    handleEnded(rec.outcome(false));
}

} // namespace threadlab
