// lock-holder: each step takes the shared lab mutex, works hold_ms inside it and releases it.
#include "lockholder.h"

#include "ledger/labresources.h"
#include "stopcontext.h"

#include <QMutexLocker>
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace threadlab {

LockHolder::LockHolder(const Params &params)
    : m_steps(params.value(QStringLiteral("steps")).toLongLong())
    , m_holdMs(params.value(QStringLiteral("hold_ms")).toLongLong())
    , m_gapMs(params.value(QStringLiteral("gap_ms")).toLongLong())
    , m_raii(params.value(QStringLiteral("raii")).toBool())
    , m_invariant(params.value(QStringLiteral("invariant")).toBool())
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
            { QStringLiteral("invariant"), ParamType::Boolean,
                QStringLiteral("true: each step updates a two-field record the lock protects (first, then hold_ms, "
                               "then second) and checks on taking the lock that both agree; a stop landing "
                               "between the two updates leaves it half-updated for the next holder"),
                false, 0, 0, {} },
        } };
}

namespace {
constexpr int LockWaitSliceMs = 20;

/// The data the lab mutex protects: two fields that must always agree (the invariant). Atomics only so that a
/// holder of a recovered (abandoned) mutex and the holder of the fresh one never race in the C++ sense.
struct SharedRecord
{
    std::atomic<qint64> first { 0 };
    std::atomic<qint64> second { 0 };
};

/// The record of a lab: one per LabResources, forgotten once that lab is gone.
SharedRecord &recordOf(const std::shared_ptr<LabResources> &lab)
{
    static QMutex registryMutex;
    static std::map<std::weak_ptr<LabResources>, std::unique_ptr<SharedRecord>, std::owner_less<>> registry;
    QMutexLocker locker(&registryMutex);
    for (auto it = registry.begin(); it != registry.end();)
        it = it->first.expired() ? registry.erase(it) : std::next(it);
    std::unique_ptr<SharedRecord> &slot = registry[lab];
    if (!slot)
        slot = std::make_unique<SharedRecord>();
    return *slot;
}

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
        ctx.setPhase(WorkerPhase::WaitingForLock);
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
    SharedRecord *record = m_invariant ? &recordOf(ctx.labPtr()) : nullptr;
    // Inside the lock: check the invariant the last holder should have kept, then update the two fields with the
    // work (the sleep, where a kill lands) between them.
    const auto workInsideLock = [&] {
        if (!record) {
            ctx.sleepNs(m_holdMs * 1'000'000);
            return;
        }
        const qint64 first = record->first.load(std::memory_order_relaxed);
        const qint64 second = record->second.load(std::memory_order_relaxed);
        if (first != second)
            ctx.mark(EventKind::Note, first,
                QStringLiteral("invariant broken: first=%1 second=%2 (the last holder was stopped between its two "
                               "updates; the lock was free, the data half-updated)")
                    .arg(first)
                    .arg(second));
        const qint64 next = std::max(first, second) + 1;
        record->first.store(next, std::memory_order_relaxed);
        ctx.sleepNs(m_holdMs * 1'000'000);
        record->second.store(next, std::memory_order_relaxed);
    };
    int generation = -1;
    const QString lockAcquired = QStringLiteral("lock acquired");
    const QString lockReleased = QStringLiteral("lock released");
    bool stopped = false;
    for (qint64 i = 0; i < m_steps && !stopped; ++i) {
        // Not a landing point for a kill: one sent while the worker is between two holds lands in the next hold's
        // sleep (or the gap sleep), as the workload's info() says, so a raw lock() killed is always a leak.
        if (ctx.shouldStopNoKillLanding()) {
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
            ctx.setPhase(WorkerPhase::InsideLock);
            workInsideLock();
        } else {
            ctx.mark(EventKind::Note, i + 1, lockAcquired);
            ctx.setPhase(WorkerPhase::InsideLock);
            workInsideLock(); // a kill landing here leaves the mutex locked forever
            ctx.lab().setLabMutexHolder(generation, 0);
            mutex->unlock();
        }
        ctx.mark(EventKind::Note, i + 1, lockReleased);
        ctx.reportStep(i + 1);
        ctx.setPhase(WorkerPhase::Sleeping);
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
