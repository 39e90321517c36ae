// blocked-read and signal-wake: a thread blocked in read() and what can (and cannot) wake it for a stop.
#pragma once

#include "workload.h"

namespace threadlab {

/// A thread blocked in read() on a pipe or a socket; the stop request tries to wake it by an eventfd it also
/// polls, by close() of the fd (does not wake a blocked read) or by shutdown() (wakes a socket read). A byte
/// written at timeout_ms ends the read in any case.
class BlockedRead : public Workload
{
public:
    enum class Fd { Pipe, Socket };
    enum class Wake { None, Eventfd, Close, Shutdown };

    explicit BlockedRead(const Params &params);
    static QString name() { return QStringLiteral("blocked-read"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    Fd m_fd;
    Wake m_wake;
    qint64 m_timeoutMs;
};

/// Worker host only: a thread blocked in read() on a pipe; the stop request sends it a signal with
/// pthread_kill(). Without SA_RESTART the read fails with EINTR and the loop sees the stop; with SA_RESTART the
/// kernel restarts the read and the stop waits for the byte written at timeout_ms.
class SignalWake : public Workload
{
public:
    explicit SignalWake(const Params &params);
    static QString name() { return QStringLiteral("signal-wake"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    bool m_restart;
    qint64 m_timeoutMs;
};

} // namespace threadlab
