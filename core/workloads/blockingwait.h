// blocking-wait: blocks on something that never comes (a condition, a pipe, a sleep) until timeout_ms.
#pragma once

#include "workload.h"

namespace threadlab {

class BlockingWait : public Workload
{
public:
    enum class Wait { Condition, Pipe, Sleep };
    enum class Wake { None, Poll, Notify };

    explicit BlockingWait(const Params &params);
    static QString name() { return QStringLiteral("blocking-wait"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    /// Each returns whether a stop was requested when the wait ended.
    bool waitOnCondition(StopContext &ctx, qint64 deadlineNs);
    bool waitOnPipe(StopContext &ctx, qint64 deadlineNs);

    Wait m_wait;
    Wake m_wake;
    qint64 m_sliceMs;
    qint64 m_timeoutMs;
};

} // namespace threadlab
