// lock-holder: each step takes the shared lab mutex, works hold_ms inside it and releases it.
#include "lockholder.h"

#include "ledger/labresources.h"
#include "stopcontext.h"

#include <QMutexLocker>
#include <mutex>

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
        QStringLiteral("the sleep inside the lock (a kill there leaves a raw lock() held forever), the gap "
                       "sleep and between the tryLock slices of a wait for the lock"),
        {
            { QStringLiteral("steps"), ParamType::Integer, QStringLiteral("steps in total"), qint64(200), 1,
                100'000'000, {} },
            { QStringLiteral("hold_ms"), ParamType::Integer,
                QStringLiteral("work (a sleep) inside the lock per step, in milliseconds"), qint64(20), 1, 60'000, {} },
            { QStringLiteral("gap_ms"), ParamType::Integer,
                QStringLiteral("pause outside the lock per step, in milliseconds"), qint64(5), 0, 60'000, {} },
            { QStringLiteral("raii"), ParamType::Boolean,
                QStringLiteral(
                    "true: a RAII guard, like QMutexLocker (unwinding releases it); false: raw lock()/unlock()"),
                true, 0, 0, {} },
        } };
}

namespace {
constexpr int LockWaitSliceMs = 20;

struct HolderGuard
{
    LabResources &lab;
    int generation;
    ~HolderGuard() { lab.setLabMutexHolder(generation, 0); }
};
} // namespace

// Takes the current lab mutex. A contended lock() is a futex wait that neither a stop request nor a
// terminate() can interrupt, so the wait is done in tryLock slices with a stop check between them: the
// worker is shown waiting, stays stoppable, and picks up a fresh mutex as soon as the lab is recovered.
// Returns nullptr if a stop arrived while waiting.
std::shared_ptr<QMutex> LockHolder::acquire(StopContext &ctx, int *generation)
{
    LabResources &lab = ctx.lab();
    bool waitingMarked = false;
    for (;;) {
        const int current = lab.labMutexGeneration();
        std::shared_ptr<QMutex> mutex = lab.labMutex(current);
        if (mutex && mutex->tryLock(LockWaitSliceMs)) {
            if (current != *generation) {
                if (*generation >= 0)
                    ctx.released(ResourceKind::Lock, *generation, QStringLiteral("lab mutex"));
                ctx.acquired(ResourceKind::Lock, current, QStringLiteral("lab mutex"));
                *generation = current;
            }
            lab.setLabMutexHolder(current, ctx.threadId());
            if (waitingMarked)
                ctx.mark(EventKind::Note, current, QStringLiteral("lock wait over"));
            return mutex;
        }
        if (!waitingMarked) {
            ctx.mark(EventKind::Note, current, QStringLiteral("waiting for the lab mutex"));
            waitingMarked = true;
        }
        if (ctx.shouldStop())
            return nullptr;
        ctx.cancellable([] {}); // lets a pending force-kill land between slices
    }
}

void LockHolder::run(StopContext &ctx)
{
    int generation = -1;
    const QString lockAcquired = QStringLiteral("lock acquired");
    const QString lockReleased = QStringLiteral("lock released");
    bool stopped = false;
    for (qint64 i = 0; i < m_steps && !stopped; ++i) {
        if (ctx.shouldStop()) {
            stopped = true;
            break;
        }
        ctx.pausePoint();
        std::shared_ptr<QMutex> mutex = acquire(ctx, &generation);
        if (!mutex) {
            stopped = true;
            break;
        }
        if (m_raii) {
            // A RAII guard adopts the lock taken by acquire(): unwinding a kill releases it (and forgets
            // the holder first, as the guards are destroyed in reverse order).
            std::unique_lock<QMutex> guard(*mutex, std::adopt_lock);
            HolderGuard holder { ctx.lab(), generation };
            ctx.mark(EventKind::Note, i + 1, lockAcquired);
            ctx.sleepNs(m_holdMs * 1'000'000);
        } else {
            ctx.mark(EventKind::Note, i + 1, lockAcquired);
            ctx.sleepNs(m_holdMs * 1'000'000); // a kill landing here leaves the mutex locked forever
            ctx.lab().setLabMutexHolder(generation, 0);
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
    if (generation >= 0)
        ctx.released(ResourceKind::Lock, generation, QStringLiteral("lab mutex"));
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
