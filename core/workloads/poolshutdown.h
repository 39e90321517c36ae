// pool-shutdown: a QThreadPool of its own with queued tasks; on a stop, clear() the queue or wait for all of it.
#pragma once

#include "workload.h"

namespace threadlab {

/// Starts `tasks` tasks of task_ms on a pool of `threads`; on a stop request it calls QThreadPool::clear()
/// (clear=true: the queued tasks never run) or not, then waitForDone(). Steps are the tasks that ran to the end.
class PoolShutdown : public Workload
{
public:
    explicit PoolShutdown(const Params &params);
    static QString name() { return QStringLiteral("pool-shutdown"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    bool m_clear;
    qint64 m_tasks;
    qint64 m_taskMs;
    qint64 m_threads;
};

} // namespace threadlab
