// lock-holder: each step takes the shared lab mutex, works hold_ms inside it and releases it.
#include "lockholder.h"

#include "lab/labresources.h"
#include "stopcontext.h"

#include <QMutexLocker>

namespace threadlab {

LockHolder::LockHolder(const Params &params)
    : m_steps(params.value(QStringLiteral("steps")).toLongLong())
    , m_holdMs(params.value(QStringLiteral("hold_ms")).toLongLong())
    , m_gapMs(params.value(QStringLiteral("gap_ms")).toLongLong())
    , m_raii(params.value(QStringLiteral("raii")).toBool())
{
}

WorkloadInfo LockHolder::info()
{
    return { name(),
        QStringLiteral("each step takes the shared lab mutex, works hold_ms inside it and releases it; the stop "
                       "is checked outside the lock"),
        QStringLiteral("the sleep inside the lock (a kill there leaves a raw lock() held forever) and the gap "
                       "sleep; never the contended lock() itself (a futex: not a cancellation point)"),
        {
            { QStringLiteral("steps"), ParamType::Integer, QStringLiteral("steps in total"), qint64(200), 1,
                100'000'000, {} },
            { QStringLiteral("hold_ms"), ParamType::Integer,
                QStringLiteral("work (a sleep) inside the lock per step, in milliseconds"), qint64(20), 1, 60'000, {} },
            { QStringLiteral("gap_ms"), ParamType::Integer,
                QStringLiteral("pause outside the lock per step, in milliseconds"), qint64(5), 0, 60'000, {} },
            { QStringLiteral("raii"), ParamType::Boolean,
                QStringLiteral("true: QMutexLocker (unwinding releases it); false: raw lock()/unlock()"), true, 0, 0,
                {} },
        } };
}

void LockHolder::run(StopContext &ctx)
{
    LabResources &lab = ctx.lab();
    const int generation = lab.labMutexGeneration();
    std::shared_ptr<QMutex> mutex = lab.labMutex(generation);
    if (!mutex)
        mutex = lab.labMutex();
    ctx.acquired(ResourceKind::Lock, generation, QStringLiteral("lab mutex"));

    const QString lockAcquired = QStringLiteral("lock acquired");
    const QString lockReleased = QStringLiteral("lock released");
    bool stopped = false;
    for (qint64 i = 0; i < m_steps; ++i) {
        if (ctx.shouldStop()) {
            stopped = true;
            break;
        }
        ctx.pausePoint();
        if (m_raii) {
            QMutexLocker locker(mutex.get());
            ctx.mark(EventKind::Note, i + 1, lockAcquired);
            ctx.sleepNs(m_holdMs * 1'000'000);
        } else {
            mutex->lock();
            ctx.mark(EventKind::Note, i + 1, lockAcquired);
            ctx.sleepNs(m_holdMs * 1'000'000); // a kill landing here leaves the mutex locked forever
            mutex->unlock();
        }
        ctx.mark(EventKind::Note, i + 1, lockReleased);
        ctx.reportStep(i + 1);
        ctx.sleepNs(m_gapMs * 1'000'000);
    }
    if (stopped) {
        ctx.noticeStop();
        ctx.cleanupBegin();
    }
    ctx.released(ResourceKind::Lock, generation, QStringLiteral("lab mutex"));
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
