// token-wait: a condition wait that a std::stop_token should end: the token overload, a stop_callback, or neither.
#pragma once

#include "workload.h"

namespace threadlab {

/// Waits up to timeout_ms on a condition nobody signals, with the stop bridged into a std::stop_source:
/// wait=token uses condition_variable_any::wait_until(lock, token, time, pred) (the stop wakes it);
/// wait=callback a std::condition_variable plus a std::stop_callback that notifies it (the stop wakes it);
/// wait=predicate only checks stop_requested() in the predicate (nobody notifies: it waits out the timeout).
class TokenWait : public Workload
{
public:
    enum class Mode { Token, Callback, Predicate };

    explicit TokenWait(const Params &params);
    static QString name() { return QStringLiteral("token-wait"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    Mode m_mode;
    qint64 m_timeoutMs;
};

/// Worker host only: forks a child, holds a pidfd to it, kills it through the pidfd, and shows what a pid and a
/// pidfd still refer to after the child is reaped.
class PidfdWatch : public Workload
{
public:
    explicit PidfdWatch(const Params &) { }
    static QString name() { return QStringLiteral("pidfd"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

} // namespace threadlab
