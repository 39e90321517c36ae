// robust-mutex (worker host only): a process-shared mutex whose owner process dies holding it.
#pragma once

#include "workload.h"

namespace threadlab {

/// Forks a child that locks a process-shared mutex in shared memory and exits without unlocking; then locks it
/// with a deadline: a robust mutex reports EOWNERDEAD (made consistent again), a plain one times out for ever.
class RobustMutex : public Workload
{
public:
    explicit RobustMutex(const Params &params);
    static QString name() { return QStringLiteral("robust-mutex"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    bool m_robust;
    qint64 m_waitMs;
};

} // namespace threadlab
