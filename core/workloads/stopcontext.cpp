// The stop-context base: stop-observed / first-step / clean-up marks, resource declarations, sleepNs.
#include "stopcontext.h"

#include "events/eventlog.h"

#include <cerrno>
#include <ctime>
#include <unistd.h>

namespace threadlab {

StopContext::StopContext(int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab)
    : m_workerId(workerId)
    , m_log(std::move(log))
    , m_lab(std::move(lab))
{
}

StopContext::~StopContext() = default;

void StopContext::noticeStop()
{
    if (m_stopNoticed.load(std::memory_order_relaxed))
        return;
    if (m_stopNoticed.exchange(true, std::memory_order_acq_rel))
        return;
    m_log->record(m_workerId, EventKind::StopObserved, m_steps.load(std::memory_order_relaxed));
    if (m_onStopNoticed)
        m_onStopNoticed();
}

void StopContext::reportStep(qint64 stepsDone)
{
    m_steps.store(stepsDone, std::memory_order_relaxed);
    if (!m_firstStepSeen.load(std::memory_order_relaxed)) [[unlikely]] {
        if (!m_firstStepSeen.exchange(true, std::memory_order_relaxed))
            m_log->record(m_workerId, EventKind::FirstStep, stepsDone);
    }
}

void StopContext::cleanupBegin()
{
    setPhase(WorkerPhase::CleaningUp);
    m_log->record(m_workerId, EventKind::CleanupBegin);
}

void StopContext::cleanupEnd()
{
    m_log->record(m_workerId, EventKind::CleanupEnd);
}

void StopContext::mark(EventKind kind, qint64 value, const QString &detail)
{
    m_log->record(m_workerId, kind, value, detail);
}

void StopContext::acquired(ResourceKind kind, qint64 id, const QString &what)
{
    m_log->record(m_workerId, EventKind::Resource, id, toString(kind) + QLatin1Char(' ') + what);
}

void StopContext::released(ResourceKind kind, qint64 id, const QString &what)
{
    m_log->record(m_workerId, EventKind::Released, id, toString(kind) + QLatin1Char(' ') + what);
}

void StopContext::sleepNs(qint64 ns)
{
    if (ns <= 0)
        return;
    cancellable([ns] {
        timespec req { time_t(ns / 1'000'000'000), long(ns % 1'000'000'000) };
        timespec rem {};
        // nanosleep is a cancellation point; a signal (EINTR) only shortens it, so resume with the rest.
        while (::nanosleep(&req, &rem) == -1 && errno == EINTR)
            req = rem;
    });
}

void StopContext::attachToCurrentThread()
{
    m_tid.store(qint64(::gettid()), std::memory_order_release);
    setPhase(WorkerPhase::Working);
}

} // namespace threadlab
