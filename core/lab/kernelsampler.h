// Samples the kernel's view of each worker thread (/proc/<pid>/task/<tid>/stat) off the owner's thread.
#pragma once

#include "base/workerphase.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <memory>

namespace threadlab {

class EventLog;

/// Every interval a sweep on its own one-thread pool reads the state letter of each watched thread and records a
/// kernel-state event into the run when it changed (so recordings and pictures carry it). Only threads a worker
/// recorded itself are watched (the tid of its started event, in its own process or its host's): nothing else is
/// read. A sweep still running when the next tick comes makes that tick skip, and the ticks space out so that
/// sweeping takes at most 5 % of one core (500 threads: a sweep of a few ms, so still several per second).
class KernelSampler : public QObject
{
    Q_OBJECT
public:
    explicit KernelSampler(std::shared_ptr<EventLog> log, QObject *parent = nullptr);
    /// Stops the ticks and waits for a running sweep with a short deadline (a sweep only reads /proc).
    ~KernelSampler() override;
    Q_DISABLE_COPY_MOVE(KernelSampler)

    /// Watches the thread tid of process pid for the worker (replaces an earlier target of the same worker).
    void watch(int workerId, qint64 pid, qint64 tid);
    /// Stops watching the worker (its code ended: its tid may be reused).
    void unwatch(int workerId);
    int watchedCount() const { return int(m_targets.size()); }
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

    /// The state of thread tid of process pid now (one read of its stat file); Unknown if it is gone.
    static KernelState readState(qint64 pid, qint64 tid);
    /// The mean duration of a sweep so far in ns (0 before the first), for the bench.
    qint64 meanSweepNs() const;

private:
    struct Target
    {
        qint64 pid = 0;
        qint64 tid = 0;
    };
    struct Shared; ///< what the sweeps keep between them (touched by one sweep at a time)
    void handleTick();

    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<Shared> m_shared;
    QHash<int, Target> m_targets;
    QThreadPool m_pool;
    QFuture<void> m_sweep;
    qint64 m_lastSweepAtNs = 0;
    QTimer m_timer;
};

} // namespace threadlab
