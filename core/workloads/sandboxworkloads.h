// The isolation sandbox (process only): QThread::terminate() experiments that can kill or hang their process.
#pragma once

#include "workload.h"

namespace threadlab {

/// terminate() with asynchronous cancellation in a malloc/lock-heavy loop: may land inside malloc or
/// while the lock is held; afterwards the host probes the lock and malloc (it may deadlock or crash).
class SandboxAsyncCancel : public Workload
{
public:
    explicit SandboxAsyncCancel(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-async-cancel"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

/// terminate() pending on a busy loop that then ends: the cancel lands in a destructor (noexcept) and
/// the host aborts: "terminate called without an active exception" (SIGABRT).
class SandboxCancelInDestructor : public Workload
{
public:
    explicit SandboxCancelInDestructor(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-cancel-in-destructor"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

/// Qt's plain QThread::terminate() (not ThreadLab's safe terminate) on a loop polling isInterruptionRequested():
/// nothing happens (no cancellation point); once a request ends the loop, the pending cancel fires in Qt's
/// finish() and the host aborts: "terminate called without an active exception" (SIGABRT, exit 134).
class SandboxRawTerminate : public Workload
{
public:
    explicit SandboxRawTerminate(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-raw-terminate"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

/// terminate() of a thread blocked in QWaitCondition::wait, then wakeAll() from another thread: the
/// condition's internal lock was left held, so wakeAll deadlocks; only the app's escalation ends the host.
class SandboxWaitConditionDeadlock : public Workload
{
public:
    explicit SandboxWaitConditionDeadlock(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-waitcondition-deadlock"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

/// Deletes a running QThread: qFatal("QThread: Destroyed while thread is still running"), SIGABRT.
class SandboxDestroyRunningQThread : public Workload
{
public:
    explicit SandboxDestroyRunningQThread(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-destroy-running-qthread"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

/// terminate() of a thread whose catch (...) swallows the forced unwind: "FATAL: exception not rethrown".
class SandboxSwallowUnwind : public Workload
{
public:
    explicit SandboxSwallowUnwind(const Params &) { }
    static QString name() { return QStringLiteral("sandbox-swallow-unwind"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;
};

} // namespace threadlab
