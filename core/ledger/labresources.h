// Resources shared by the workers of one lab: the lab mutex, the private lab directory, spawned child threads.
#pragma once

#include <QMutex>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace threadlab {

/// Owned through std::shared_ptr by the Lab and by every running worker, so that a worker that cannot
/// be stopped never touches freed memory.
class LabResources
{
public:
    LabResources();
    ~LabResources();
    Q_DISABLE_COPY_MOVE(LabResources)

    /// The current lab mutex and its generation (a recovered lab gets a fresh mutex and generation + 1).
    std::shared_ptr<QMutex> labMutex() const;
    int labMutexGeneration() const;
    /// The mutex of a given generation, if it still exists.
    std::shared_ptr<QMutex> labMutex(int generation) const;

    /// The kernel thread id that holds the lab mutex of a generation (0: nobody, as far as the lock-holder
    /// workload said). Set right after locking and cleared right before unlocking, so a raw lock left held by
    /// a killed thread keeps its holder: that lets the leak ledger blame the right worker, and only it.
    void setLabMutexHolder(int generation, qint64 tid);
    qint64 labMutexHolder(int generation) const;

    /// Private directory of this lab: inside the app's TempRoot (removed when the lab is destroyed), or, in a
    /// worker host, the directory the app made for it ($THREADLAB_HOST_DIR, removed by the app).
    QString labDir() const;
    /// The environment variable naming a host's directory (set by the app for each host it starts).
    static QString hostDirVariable() { return QStringLiteral("THREADLAB_HOST_DIR"); }

    /// A child thread started by a spawner; it polls stop and sets done when it ends.
    struct ChildThread
    {
        int parentWorker = -1;
        std::atomic<qint64> tid { 0 };
        std::atomic<bool> stop { false };
        std::atomic<bool> done { false };
    };
    /// Registers a child thread so the lab can stop it later.
    std::shared_ptr<ChildThread> registerChild(int parentWorker);
    /// Child threads still running (done == false).
    std::vector<std::shared_ptr<ChildThread>> liveChildren() const;

    /// Makes the lab clean again: a fresh lab mutex if the current one is held (the poisoned one is kept
    /// alive on purpose: destroying a locked mutex is undefined), and stops orphaned child threads,
    /// waiting up to timeoutMs. Returns one line per thing it did.
    QStringList recover(int timeoutMs = 1000);

    /// Stops every child thread and waits up to timeoutMs; returns how many are still running.
    int stopChildren(int timeoutMs);

    /// Whether the workers' threads run with SCHED_IDLE, yielding the CPU to the app's window (see
    /// workers/workerpriority.h). Read by each thread backend as its worker's code starts.
    void setWorkersYield(bool yield) { m_workersYield.store(yield, std::memory_order_relaxed); }
    bool workersYield() const { return m_workersYield.load(std::memory_order_relaxed); }

private:
    mutable QMutex m_mutex;
    std::vector<std::shared_ptr<QMutex>> m_labMutexes; ///< index = generation
    std::vector<qint64> m_labMutexHolders; ///< index = generation
    std::vector<std::shared_ptr<ChildThread>> m_children;
    QString m_dir;
    bool m_ownsDir = false;
    std::atomic<bool> m_workersYield { false };
};

} // namespace threadlab
