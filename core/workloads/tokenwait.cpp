// token-wait: a condition wait that a std::stop_token should end: the token overload, a stop_callback, or neither.
#include "tokenwait.h"

#include "base/clock.h"
#include "stopcontext.h"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <poll.h>
#include <stop_token>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace threadlab {

TokenWait::TokenWait(const Params &params)
    : m_timeoutMs(params.value(QStringLiteral("timeout_ms")).toLongLong())
{
    const QString wait = params.value(QStringLiteral("wait")).toString();
    m_mode = wait == u"callback" ? Mode::Callback : wait == u"predicate" ? Mode::Predicate : Mode::Token;
}

WorkloadInfo TokenWait::info()
{
    return { name(),
        QStringLiteral("waits on a condition nobody signals; the stop reaches a std::stop_token: "
                       "condition_variable_any's token overload, a stop_callback that notifies, or only a "
                       "predicate that checks stop_requested() (nobody wakes it)"),
        QStringLiteral("the condition wait"),
        {
            { QStringLiteral("wait"), ParamType::Choice,
                QStringLiteral("token: condition_variable_any::wait_until(lock, token, time, pred); callback: "
                               "condition_variable + stop_callback; predicate: stop_requested() in the predicate "
                               "only"),
                QStringLiteral("token"), 0, 0,
                { QStringLiteral("token"), QStringLiteral("callback"), QStringLiteral("predicate") } },
            { QStringLiteral("timeout_ms"), ParamType::Integer,
                QStringLiteral("when the wait gives up, in milliseconds"), qint64(1500), 1, 600'000, {} },
        } };
}

void TokenWait::run(StopContext &ctx)
{
    // The backend's stop (requestInterruption, request_stop, a stdin line...) reaches a std::stop_source, so
    // the wait below is written as it would be against std::jthread's own token.
    std::stop_source source;
    const std::stop_token token = source.get_token();
    std::unique_ptr<StopCallback> bridge = ctx.onStopRequested([&source] { source.request_stop(); });
    ctx.reportStep(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_timeoutMs);
    const qint64 t0 = monotonicNowNs();
    std::mutex mutex;
    if (m_mode == Mode::Token) {
        std::condition_variable_any cv;
        std::unique_lock<std::mutex> lock(mutex);
        ctx.setPhase(WorkerPhase::Blocked);
        // The overload registers its own stop_callback that notifies cv: a stop ends the wait at once.
        ctx.cancellable([&] { static_cast<void>(cv.wait_until(lock, token, deadline, [] { return false; })); });
    } else {
        std::condition_variable cv;
        std::optional<std::stop_callback<std::function<void()>>> notifier;
        if (m_mode == Mode::Callback)
            notifier.emplace(token, std::function<void()>([&mutex, &cv] {
                // Taking the mutex first: a notify between the waiter's check and its sleep would be lost.
                {
                    std::lock_guard<std::mutex> lock(mutex);
                }
                cv.notify_all();
            }));
        std::unique_lock<std::mutex> lock(mutex);
        ctx.setPhase(WorkerPhase::Blocked);
        ctx.cancellable(
            [&] { static_cast<void>(cv.wait_until(lock, deadline, [&token] { return token.stop_requested(); })); });
    }
    const qint64 ms = (monotonicNowNs() - t0) / 1'000'000;
    const bool timedOut = std::chrono::steady_clock::now() >= deadline;
    ctx.mark(EventKind::Note, ms,
        timedOut ? QStringLiteral("the wait timed out after %1 ms (stop requested: %2): nobody woke it")
                       .arg(ms)
                       .arg(token.stop_requested() ? QStringLiteral("yes") : QStringLiteral("no"))
                 : QStringLiteral("the stop woke the wait after %1 ms").arg(ms));
    bridge.reset();
    if (ctx.shouldStop()) {
        ctx.noticeStop();
        ctx.cleanupBegin();
        ctx.cleanupEnd();
    }
}

namespace {

int pidfdOpen(pid_t pid)
{
    return int(::syscall(SYS_pidfd_open, pid, 0));
}

int pidfdSendSignal(int pidfd, int signal)
{
    return int(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace

WorkloadInfo PidfdWatch::info()
{
    return { name(),
        QStringLiteral("forks a child, opens a pidfd to it, kills it through the pidfd, waits for the pidfd to "
                       "become readable, reaps it, then signals the pidfd and the pid again"),
        QStringLiteral("none (worker host only)"), {}, true };
}

void PidfdWatch::run(StopContext &ctx)
{
    const pid_t child = ::fork();
    if (child == 0) {
        for (;;)
            ::pause(); // ended by the parent's SIGKILL
    }
    if (child < 0) {
        ctx.mark(EventKind::Note, errno, QStringLiteral("fork failed: %1").arg(errnoText(errno)));
        return;
    }
    const int pidfd = pidfdOpen(child);
    if (pidfd < 0) {
        const int err = errno;
        ::kill(child, SIGKILL);
        while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) { }
        ctx.mark(EventKind::Note, err, QStringLiteral("pidfd_open failed: %1").arg(errnoText(err)));
        return;
    }
    ctx.mark(EventKind::Note, child, QStringLiteral("child %1 started; a pidfd now refers to that process").arg(child));
    ctx.reportStep(1);
    const qint64 t0 = monotonicNowNs();
    pidfdSendSignal(pidfd, SIGKILL);
    pollfd p { pidfd, POLLIN, 0 };
    ctx.setPhase(WorkerPhase::Blocked);
    const int ready = ::poll(&p, 1, 5000);
    const qint64 ms = (monotonicNowNs() - t0) / 1'000'000;
    ctx.mark(EventKind::Note, ms,
        ready > 0 ? QStringLiteral("the pidfd became readable when the child died, %1 ms after the kill (no SIGCHLD "
                                   "handler needed)")
                        .arg(ms)
                  : QStringLiteral("the pidfd did not become readable"));
    int status = 0;
    ctx.setPhase(WorkerPhase::Working);
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    ctx.reportStep(2);
    const int viaPidfd = pidfdSendSignal(pidfd, 0) == 0 ? 0 : errno;
    ctx.mark(EventKind::Note, viaPidfd,
        viaPidfd == ESRCH ? QStringLiteral("after the reap, pidfd_send_signal fails with ESRCH: the pidfd can never "
                                           "reach another process")
                          : QStringLiteral("after the reap, pidfd_send_signal: %1").arg(errnoText(viaPidfd)));
    const int viaPid = ::kill(child, 0) == 0 ? 0 : errno;
    ctx.mark(EventKind::Note, viaPid,
        viaPid == ESRCH ? QStringLiteral("after the reap, kill(%1, 0) fails with ESRCH for now: the number is free, "
                                         "and once reused kill() would signal a stranger")
                              .arg(child)
                        : QStringLiteral("after the reap, kill(%1, 0) succeeded: the number already belongs to "
                                         "another process")
                              .arg(child));
    ::close(pidfd);
    ctx.reportStep(3);
}

} // namespace threadlab
