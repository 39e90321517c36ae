// The sandbox experiments: each runs a QThread inside the worker host and terminates it there, on purpose.
#include "sandboxworkloads.h"

#include "stopcontext.h"

#include "base/clock.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int RawTerminateWaitMs = 500;

void say(const char *text)
{
    const size_t n = std::strlen(text);
    [[maybe_unused]] const ssize_t w = ::write(2, text, n);
}

/// Waits (a few ms at a time) until flag is set or about 5 s passed.
bool waitFor(const std::atomic<bool> &flag)
{
    for (int i = 0; i < 500 && !flag.load(); ++i)
        ::usleep(10'000);
    return flag.load();
}

/// If the host survived the experiment: say so and idle until stopped (so the app can stop it normally).
void survive(StopContext &ctx, const QString &what)
{
    ctx.mark(EventKind::Note, 0, what);
    say("sandbox: the host survived the experiment\n");
    qint64 steps = 0;
    while (!ctx.shouldStop()) {
        ctx.sleepNs(20'000'000);
        ctx.reportStep(++steps);
    }
    ctx.noticeStop();
}

WorkloadInfo sandboxInfo(const QString &name, const QString &description)
{
    return { name, description, QStringLiteral("inside the host's own experiment thread (see description)"), {}, true };
}

class AsyncCancelThread : public QThread
{
public:
    pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
    std::atomic<bool> busy { false };

protected:
    void run() override
    {
        pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, nullptr);
        unsigned n = 0;
        for (;;) {
            pthread_mutex_lock(&mutex);
            void *p = std::malloc(16 + (n++ % 4096));
            std::memset(p, 1, 16);
            std::free(p);
            pthread_mutex_unlock(&mutex);
            if (n == 10'000)
                busy = true;
        }
    }
};

class DestructorThread : public QThread
{
public:
    std::atomic<bool> spinning { false };
    std::atomic<bool> leave { false };

protected:
    void run() override
    {
        struct Logs
        {
            ~Logs() { ::usleep(1000); } // a cancellation point in an implicitly noexcept destructor
        } logs;
        spinning = true;
        while (!leave.load(std::memory_order_relaxed)) { }
    }
};

class PollingThread : public QThread
{
public:
    std::atomic<bool> polling { false };

protected:
    void run() override
    {
        polling = true;
        // The loop of lesson 01, done right for a request and wrong for a terminate: no cancellation point in it.
        while (!isInterruptionRequested()) { }
    }
};

class WaitingThread : public QThread
{
public:
    QMutex mutex;
    QWaitCondition condition;
    std::atomic<bool> waiting { false };

protected:
    void run() override
    {
        QMutexLocker locker(&mutex);
        waiting = true;
        condition.wait(&mutex);
    }
};

class SleepingThread : public QThread
{
public:
    std::atomic<bool> running { false };

protected:
    void run() override
    {
        running = true;
        for (;;)
            QThread::msleep(10);
    }
};

class SwallowingThread : public QThread
{
public:
    std::atomic<bool> running { false };

protected:
    void run() override
    {
        running = true;
        try {
            for (;;)
                QThread::msleep(10); // a cancellation point: the forced unwind starts here
        } catch (...) {
            // The bug: swallowing abi::__forced_unwind. glibc aborts: "FATAL: exception not rethrown".
        }
    }
};

} // namespace

WorkloadInfo SandboxAsyncCancel::info()
{
    return sandboxInfo(name(),
        QStringLiteral("terminate() with PTHREAD_CANCEL_ASYNCHRONOUS in a malloc/lock loop: may land "
                       "inside malloc or with the lock held (crash, deadlock or survival)"));
}

void SandboxAsyncCancel::run(StopContext &ctx)
{
    auto *thread = new AsyncCancelThread; // leaked on purpose if it cannot be waited for
    thread->start();
    waitFor(thread->busy);
    ctx.reportStep(1);
    say("sandbox: terminate() with asynchronous cancellation\n");
    thread->terminate();
    const bool ended = thread->wait(2000);
    ctx.mark(EventKind::Note, ended,
        ended ? QStringLiteral("the thread was cancelled") : QStringLiteral("the thread did not end within 2 s"));
    const bool locked = pthread_mutex_trylock(&thread->mutex) != 0;
    if (!locked)
        pthread_mutex_unlock(&thread->mutex);
    ctx.mark(EventKind::Note, locked,
        locked ? QStringLiteral("the lock was left held by the cancelled thread") : QStringLiteral("the lock is free"));
    say("sandbox: probing malloc after the cancel\n");
    for (int i = 0; i < 10'000; ++i)
        std::free(std::malloc(16 + size_t(i % 4096)));
    survive(ctx, QStringLiteral("malloc still works after the asynchronous cancel"));
    if (ended)
        delete thread;
}

WorkloadInfo SandboxCancelInDestructor::info()
{
    return sandboxInfo(name(),
        QStringLiteral("terminate() pending on a busy loop, then the loop ends: the cancel lands in a "
                       "destructor and the host aborts (terminate called without an active "
                       "exception)"));
}

void SandboxCancelInDestructor::run(StopContext &ctx)
{
    auto *thread = new DestructorThread;
    thread->start();
    waitFor(thread->spinning);
    ctx.reportStep(1);
    say("sandbox: terminate() on a busy loop (no cancellation point: the cancel stays pending)\n");
    thread->terminate();
    ::usleep(50'000);
    say("sandbox: letting the loop end; the destructor's usleep is a cancellation point\n");
    thread->leave = true;
    const bool ended = thread->wait(5000);
    survive(ctx,
        ended ? QStringLiteral("the thread ended without aborting the host")
              : QStringLiteral("the thread is still running"));
    if (ended)
        delete thread;
}

WorkloadInfo SandboxRawTerminate::info()
{
    return sandboxInfo(name(),
        QStringLiteral("Qt's plain QThread::terminate() on a loop polling isInterruptionRequested(): nothing "
                       "happens; once a request ends the loop the pending cancel fires in Qt's finish() and the "
                       "host aborts (terminate called without an active exception)"));
}

void SandboxRawTerminate::run(StopContext &ctx)
{
    auto *thread = new PollingThread; // deleted only if it ended without taking the host down
    thread->start();
    waitFor(thread->polling);
    ctx.reportStep(1);
    say("sandbox: plain QThread::terminate() on a loop polling isInterruptionRequested()\n");
    const qint64 sentNs = monotonicNowNs();
    thread->terminate();
    const bool ended = thread->wait(RawTerminateWaitMs);
    const qint64 waitedMs = (monotonicNowNs() - sentNs) / 1'000'000;
    ctx.mark(EventKind::Note, waitedMs,
        ended ? QStringLiteral("terminate() ended the polling loop")
              : QStringLiteral("terminate() had no effect: the loop still ran %1 ms later (it has no cancellation "
                               "point)")
                    .arg(waitedMs));
    ctx.reportStep(2);
    // The note must leave the host before the abort: the host flushes its events every few tens of ms.
    ::usleep(200'000);
    say("sandbox: requestInterruption(): the loop returns with the cancel still pending\n");
    thread->requestInterruption();
    const bool endedNow = thread->wait(5000);
    survive(ctx,
        endedNow ? QStringLiteral("the thread ended without aborting the host")
                 : QStringLiteral("the thread is still running"));
    if (endedNow)
        delete thread;
}

WorkloadInfo SandboxWaitConditionDeadlock::info()
{
    return sandboxInfo(name(),
        QStringLiteral("terminate() of a thread blocked in QWaitCondition::wait, then wakeAll(): the "
                       "condition's internal lock was left held and wakeAll deadlocks"));
}

void SandboxWaitConditionDeadlock::run(StopContext &ctx)
{
    auto *thread = new WaitingThread; // never deleted: its condition is poisoned
    thread->start();
    waitFor(thread->waiting);
    ::usleep(50'000); // let it enter pthread_cond_wait
    ctx.reportStep(1);
    say("sandbox: terminate() of a thread blocked in QWaitCondition::wait\n");
    thread->terminate();
    const bool ended = thread->wait(2000);
    ctx.mark(EventKind::Note, ended,
        ended ? QStringLiteral("the waiting thread was cancelled") : QStringLiteral("the waiting thread did not end"));
    say("sandbox: wakeAll() from another thread (expect a deadlock)\n");
    {
        QMutexLocker locker(&thread->mutex);
        thread->condition.wakeAll();
    }
    survive(ctx, QStringLiteral("wakeAll() returned: no deadlock this time"));
}

WorkloadInfo SandboxDestroyRunningQThread::info()
{
    return sandboxInfo(name(),
        QStringLiteral("deletes a running QThread: qFatal(\"QThread: Destroyed while thread is still "
                       "running\") aborts the host"));
}

void SandboxDestroyRunningQThread::run(StopContext &ctx)
{
    auto *thread = new SleepingThread;
    thread->start();
    waitFor(thread->running);
    ctx.reportStep(1);
    say("sandbox: deleting a running QThread\n");
    delete thread;
    survive(ctx, QStringLiteral("deleting the running QThread did not abort"));
}

WorkloadInfo SandboxSwallowUnwind::info()
{
    return sandboxInfo(name(),
        QStringLiteral("terminate() of a thread whose catch (...) swallows the forced unwind: glibc "
                       "aborts the host (FATAL: exception not rethrown)"));
}

void SandboxSwallowUnwind::run(StopContext &ctx)
{
    auto *thread = new SwallowingThread;
    thread->start();
    waitFor(thread->running);
    ::usleep(20'000);
    ctx.reportStep(1);
    say("sandbox: terminate() of a thread whose catch (...) swallows the unwind\n");
    thread->terminate();
    const bool ended = thread->wait(5000);
    survive(ctx, ended ? QStringLiteral("the swallowed unwind did not abort") : QStringLiteral("the thread is stuck"));
    if (ended)
        delete thread;
}

} // namespace threadlab
