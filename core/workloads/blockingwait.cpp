// blocking-wait: blocks on something that never comes (a condition, a pipe, a sleep) until timeout_ms.
#include "blockingwait.h"

#include "base/clock.h"
#include "stopcontext.h"

#include <QByteArray>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <unistd.h>

namespace threadlab {

namespace {

/// Owns an fd; close() happens in normal flow outside any cancellable() scope, so it never fires a cancel.
class FdGuard
{
public:
    explicit FdGuard(int fd)
        : m_fd(fd)
    {
    }
    ~FdGuard()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(FdGuard)
    int get() const { return m_fd; }

private:
    int m_fd;
};

/// What /proc/self/fd/<fd> points to, e.g. "pipe:[123456]".
QString fdTarget(int fd)
{
    char buf[512];
    const QByteArray link = "/proc/self/fd/" + QByteArray::number(fd);
    const ssize_t n = ::readlink(link.constData(), buf, sizeof buf);
    return n > 0 ? QString::fromUtf8(buf, n) : QString();
}

std::chrono::steady_clock::time_point toSteady(qint64 monotonicNs)
{
    // libstdc++'s steady_clock is CLOCK_MONOTONIC, the same clock as monotonicNowNs().
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(monotonicNs));
}

} // namespace

BlockingWait::BlockingWait(const Params &params)
    : m_sliceMs(params.value(QStringLiteral("slice_ms")).toLongLong())
    , m_timeoutMs(params.value(QStringLiteral("timeout_ms")).toLongLong())
{
    const QString wait = params.value(QStringLiteral("wait")).toString();
    m_wait = wait == u"pipe" ? Wait::Pipe : wait == u"sleep" ? Wait::Sleep : Wait::Condition;
    const QString wake = params.value(QStringLiteral("wake")).toString();
    m_wake = wake == u"none" ? Wake::None : wake == u"poll" ? Wake::Poll : Wake::Notify;
}

WorkloadInfo BlockingWait::info()
{
    return { name(),
        QStringLiteral("blocks on something that never comes; wake=none waits it out, poll waits in slices, "
                       "notify lets the stop request wake it"),
        QStringLiteral("the wait itself (pthread_cond_clockwait, poll/read on the pipe, nanosleep), and the "
                       "stop check once a kill is pending"),
        {
            { QStringLiteral("wait"), ParamType::Choice,
                QStringLiteral("what it blocks on: a std::condition_variable, a pipe read or a sleep"),
                QStringLiteral("condition"), 0, 0,
                { QStringLiteral("condition"), QStringLiteral("pipe"), QStringLiteral("sleep") } },
            { QStringLiteral("wake"), ParamType::Choice,
                QStringLiteral("how a stop reaches the wait: none (only at timeout), poll (between slices), "
                               "notify (the request wakes it)"),
                QStringLiteral("notify"), 0, 0,
                { QStringLiteral("none"), QStringLiteral("poll"), QStringLiteral("notify") } },
            { QStringLiteral("slice_ms"), ParamType::Integer,
                QStringLiteral("wake=poll: length of one wait slice, in milliseconds"), qint64(50), 1, 10'000, {} },
            { QStringLiteral("timeout_ms"), ParamType::Integer,
                QStringLiteral("when the thing that never comes is given up on, in milliseconds"), qint64(10'000), 1,
                3'600'000, {} },
        } };
}

void BlockingWait::run(StopContext &ctx)
{
    const qint64 deadline = monotonicNowNs() + m_timeoutMs * 1'000'000;
    const bool stopped = m_wait == Wait::Pipe ? waitOnPipe(ctx, deadline) : waitOnCondition(ctx, deadline);
    ctx.reportStep(1);
    if (stopped) {
        ctx.noticeStop();
        ctx.cleanupBegin();
        ctx.cleanupEnd();
    }
}

bool BlockingWait::waitOnCondition(StopContext &ctx, qint64 deadlineNs)
{
    const qint64 sliceNs = m_sliceMs * 1'000'000;
    if (m_wait == Wait::Sleep && m_wake != Wake::Notify) {
        // A plain sleep: nothing can wake it early.
        if (m_wake == Wake::None) {
            ctx.setPhase(WorkerPhase::Sleeping);
            ctx.sleepNs(deadlineNs - monotonicNowNs());
            return ctx.shouldStop();
        }
        for (qint64 now = monotonicNowNs(); now < deadlineNs; now = monotonicNowNs()) {
            if (ctx.shouldStop())
                return true;
            ctx.pausePoint();
            ctx.setPhase(WorkerPhase::Sleeping);
            ctx.sleepNs(std::min(sliceNs, deadlineNs - now));
        }
        return ctx.shouldStop();
    }

    // std::condition_variable + std::mutex, not QWaitCondition: a cancelled QWaitCondition::wait leaves its
    // internal lock held and the next wakeAll deadlocks; glibc's pthread_cond_clockwait re-acquires the
    // std::mutex before unwinding and the unique_lock releases it (verified on glibc 2.36).
    std::mutex mutex;
    std::condition_variable cv;
    bool woken = false;
    std::unique_ptr<StopCallback> registration; // declared last: unregistered before cv and mutex die
    if (m_wake == Wake::Notify) {
        registration = ctx.onStopRequested([&mutex, &cv, &woken] {
            {
                std::lock_guard<std::mutex> lock(mutex);
                woken = true;
            }
            cv.notify_all();
        });
    }
    const auto waitUntil = [&](qint64 untilNs) {
        ctx.setPhase(WorkerPhase::Blocked);
        ctx.cancellable([&] {
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait_until(lock, toSteady(untilNs), [&woken] { return woken; });
        });
    };
    switch (m_wake) {
    case Wake::None:
        waitUntil(deadlineNs);
        break;
    case Wake::Poll:
        for (qint64 now = monotonicNowNs(); now < deadlineNs; now = monotonicNowNs()) {
            if (ctx.shouldStop())
                return true;
            ctx.pausePoint();
            waitUntil(std::min(now + sliceNs, deadlineNs));
        }
        break;
    case Wake::Notify:
        if (!ctx.shouldStop())
            waitUntil(deadlineNs);
        break;
    }
    return ctx.shouldStop();
}

bool BlockingWait::waitOnPipe(StopContext &ctx, qint64 deadlineNs)
{
    int fds[2] = { -1, -1 };
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        ctx.mark(EventKind::Note, errno, QStringLiteral("pipe2 failed"));
        return ctx.shouldStop();
    }
    const FdGuard readEnd(fds[0]);
    const FdGuard writeEnd(fds[1]);
    const QString readWhat = fdTarget(fds[0]) + QStringLiteral(" (read end)");
    const QString writeWhat = fdTarget(fds[1]) + QStringLiteral(" (write end)");
    ctx.acquired(ResourceKind::Fd, fds[0], readWhat);
    ctx.acquired(ResourceKind::Fd, fds[1], writeWhat);

    std::unique_ptr<StopCallback> registration; // declared after the fds: unregistered before they close
    if (m_wake == Wake::Notify) {
        const int wfd = writeEnd.get();
        registration = ctx.onStopRequested([wfd] {
            const char byte = 1;
            [[maybe_unused]] const ssize_t n = ::write(wfd, &byte, 1);
        });
    }
    // Returns true if the pipe became readable (someone wrote the wake-up byte) before untilNs.
    const auto readUntil = [&](qint64 untilNs) {
        ctx.setPhase(WorkerPhase::Blocked);
        return ctx.cancellable([&] {
            pollfd p { readEnd.get(), POLLIN, 0 };
            for (;;) {
                const qint64 left = untilNs - monotonicNowNs();
                if (left <= 0)
                    return false;
                const int rc = ::poll(&p, 1, int((left + 999'999) / 1'000'000));
                if (rc > 0) {
                    char buf[16];
                    [[maybe_unused]] const ssize_t n = ::read(readEnd.get(), buf, sizeof buf);
                    return true;
                }
                if (rc < 0 && errno != EINTR)
                    return false;
            }
        });
    };
    switch (m_wake) {
    case Wake::None:
        readUntil(deadlineNs);
        break;
    case Wake::Poll:
        for (qint64 now = monotonicNowNs(); now < deadlineNs; now = monotonicNowNs()) {
            if (ctx.shouldStop())
                break;
            ctx.pausePoint();
            readUntil(std::min(now + m_sliceMs * 1'000'000, deadlineNs));
        }
        break;
    case Wake::Notify:
        if (!ctx.shouldStop())
            readUntil(deadlineNs);
        break;
    }
    registration.reset();
    ctx.released(ResourceKind::Fd, fds[1], writeWhat);
    ctx.released(ResourceKind::Fd, fds[0], readWhat);
    return ctx.shouldStop();
}

} // namespace threadlab
