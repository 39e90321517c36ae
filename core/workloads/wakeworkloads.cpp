// blocked-read and signal-wake: a thread blocked in read() and what can (and cannot) wake it for a stop.
#include "wakeworkloads.h"

#include "base/clock.h"
#include "stopcontext.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace threadlab {

namespace {

/// Writes one byte to fd after timeoutMs unless stopped first: the bound on every blocked read here.
class TimeoutWriter
{
public:
    TimeoutWriter(int fd, qint64 timeoutMs)
        : m_thread([this, fd, timeoutMs] {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (!m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return m_stop; })) {
                // MSG_NOSIGNAL: a socket whose peer was shut down must not raise SIGPIPE in the process.
                const char byte = 't';
                if (::send(fd, &byte, 1, MSG_NOSIGNAL) < 0 && errno == ENOTSOCK) [[maybe_unused]]
                    const ssize_t n = ::write(fd, &byte, 1);
            }
        })
    {
    }
    ~TimeoutWriter() { stop(); }
    Q_DISABLE_COPY_MOVE(TimeoutWriter)

    void stop()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::thread m_thread; ///< last: starts once the members it uses exist
};

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

qint64 msSince(qint64 t0)
{
    return (monotonicNowNs() - t0) / 1'000'000;
}

void finish(StopContext &ctx)
{
    if (ctx.shouldStop()) {
        ctx.noticeStop();
        ctx.cleanupBegin();
        ctx.cleanupEnd();
    }
}

} // namespace

BlockedRead::BlockedRead(const Params &params)
    : m_fd(params.value(QStringLiteral("fd")).toString() == u"socket" ? Fd::Socket : Fd::Pipe)
    , m_timeoutMs(params.value(QStringLiteral("timeout_ms")).toLongLong())
{
    const QString wake = params.value(QStringLiteral("wake")).toString();
    m_wake = wake == u"eventfd" ? Wake::Eventfd
        : wake == u"close"      ? Wake::Close
        : wake == u"shutdown"   ? Wake::Shutdown
                                : Wake::None;
}

WorkloadInfo BlockedRead::info()
{
    return { name(),
        QStringLiteral("blocks in read() on a pipe or a socket nobody writes to; the stop request tries to wake it "
                       "(eventfd, close() or shutdown() of the fd); a byte written at timeout_ms ends it anyway"),
        QStringLiteral("the blocked read() (or poll() with wake=eventfd)"),
        {
            { QStringLiteral("fd"), ParamType::Choice, QStringLiteral("what the thread reads: a pipe or a socket"),
                QStringLiteral("pipe"), 0, 0, { QStringLiteral("pipe"), QStringLiteral("socket") } },
            { QStringLiteral("wake"), ParamType::Choice,
                QStringLiteral("what the stop request does: none; eventfd (written, polled beside the fd); close "
                               "(the fd: does not wake a blocked read); shutdown (the socket: wakes the read)"),
                QStringLiteral("eventfd"), 0, 0,
                { QStringLiteral("none"), QStringLiteral("eventfd"), QStringLiteral("close"),
                    QStringLiteral("shutdown") } },
            { QStringLiteral("timeout_ms"), ParamType::Integer,
                QStringLiteral("when a byte arrives anyway and ends the read, in milliseconds"), qint64(1500), 1,
                600'000, {} },
        } };
}

void BlockedRead::run(StopContext &ctx)
{
    int fds[2] = { -1, -1 };
    const int rc
        = m_fd == Fd::Socket ? ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) : ::pipe2(fds, O_CLOEXEC);
    if (rc != 0) {
        ctx.mark(EventKind::Note, errno, QStringLiteral("cannot make the fd pair: %1").arg(errnoText(errno)));
        return;
    }
    const int readFd = fds[0];
    const int writeFd = fds[1];
    // A pipe keeps a reader for the whole run (a second read end), so the timeout's write never meets a pipe
    // without readers (SIGPIPE) after close() took the first one away.
    const int keepReader = m_fd == Fd::Pipe ? ::fcntl(readFd, F_DUPFD_CLOEXEC, 0) : -1;
    const int efd = m_wake == Wake::Eventfd ? ::eventfd(0, EFD_CLOEXEC) : -1;
    // close() by the stop callback: the fd number is never used again by this workload (it may be reused).
    std::atomic<bool> readFdClosed { false };
    std::atomic<int> wakeResult { 0 }; ///< errno of the wake call (0: it succeeded)
    {
        TimeoutWriter timeout(writeFd, m_timeoutMs);
        const Wake wake = m_wake;
        std::unique_ptr<StopCallback> registration = ctx.onStopRequested([&, wake] {
            int result = 0;
            if (wake == Wake::Eventfd) {
                const quint64 one = 1;
                result = ::write(efd, &one, sizeof one) == ssize_t(sizeof one) ? 0 : errno;
            } else if (wake == Wake::Close) {
                if (!readFdClosed.exchange(true))
                    result = ::close(readFd) == 0 ? 0 : errno;
            } else if (wake == Wake::Shutdown) {
                result = ::shutdown(readFd, SHUT_RDWR) == 0 ? 0 : errno;
            }
            wakeResult.store(result);
        });
        ctx.reportStep(1);
        const qint64 t0 = monotonicNowNs();
        ssize_t n = -1;
        int err = 0;
        bool byEventfd = false;
        if (!ctx.shouldStop()) {
            ctx.setPhase(WorkerPhase::Blocked);
            ctx.cancellable([&] {
                char buf[16];
                if (efd >= 0) {
                    pollfd p[2] = { { readFd, POLLIN, 0 }, { efd, POLLIN, 0 } };
                    while (::poll(p, 2, -1) < 0 && errno == EINTR) { }
                    byEventfd = (p[1].revents & POLLIN) != 0;
                    if (byEventfd)
                        return;
                }
                do {
                    n = ::read(readFd, buf, sizeof buf);
                } while (n < 0 && errno == EINTR);
                err = n < 0 ? errno : 0;
            });
            const qint64 ms = msSince(t0);
            QString why;
            if (byEventfd)
                why = QStringLiteral("woken by the eventfd the stop request wrote");
            else if (n > 0)
                why = QStringLiteral("the timeout's byte arrived: the stop did not wake it");
            else if (n == 0)
                why = QStringLiteral("end of file: shutdown() woke it");
            else
                why = QStringLiteral("failed: %1").arg(errnoText(err));
            ctx.mark(EventKind::Note, ms, QStringLiteral("read() returned after %1 ms: %2").arg(ms).arg(why));
        }
        registration.reset();
        timeout.stop();
        if (m_wake == Wake::Close && readFdClosed.load())
            ctx.mark(EventKind::Note, wakeResult.load(),
                wakeResult.load() == 0 ? QStringLiteral("close() of the fd returned at once, yet read() stayed blocked")
                                       : QStringLiteral("close() failed: %1").arg(errnoText(wakeResult.load())));
        if (m_wake == Wake::Shutdown && wakeResult.load() != 0)
            ctx.mark(EventKind::Note, wakeResult.load(),
                QStringLiteral("shutdown() failed: %1").arg(errnoText(wakeResult.load())));
    }
    if (!readFdClosed.exchange(true))
        ::close(readFd);
    ::close(writeFd);
    if (keepReader >= 0)
        ::close(keepReader);
    if (efd >= 0)
        ::close(efd);
    finish(ctx);
}

namespace {

void ignoreSignal(int) { }

/// Installs (once per signal) an empty handler, with or without SA_RESTART. Only in the worker host.
void installHandler(int signal, bool restart)
{
    static std::mutex mutex;
    static bool installed[2] = { false, false };
    std::lock_guard<std::mutex> lock(mutex);
    if (installed[restart])
        return;
    struct sigaction sa = {};
    sa.sa_handler = &ignoreSignal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    ::sigaction(signal, &sa, nullptr);
    installed[restart] = true;
}

} // namespace

SignalWake::SignalWake(const Params &params)
    : m_restart(params.value(QStringLiteral("restart")).toBool())
    , m_timeoutMs(params.value(QStringLiteral("timeout_ms")).toLongLong())
{
}

WorkloadInfo SignalWake::info()
{
    return { name(),
        QStringLiteral("blocks in read() on a pipe; the stop request signals the thread with pthread_kill(): "
                       "EINTR without SA_RESTART, a silently restarted read with it"),
        QStringLiteral("none (worker host only)"),
        {
            { QStringLiteral("restart"), ParamType::Boolean,
                QStringLiteral("install the signal handler with SA_RESTART (the kernel restarts the read)"), false, 0,
                0, {} },
            { QStringLiteral("timeout_ms"), ParamType::Integer,
                QStringLiteral("when a byte arrives anyway and ends the read, in milliseconds"), qint64(1500), 1,
                600'000, {} },
        },
        true };
}

void SignalWake::run(StopContext &ctx)
{
    // Two real-time signals, one per handler flavour, so the two never share a disposition.
    const int signal = m_restart ? SIGRTMIN + 5 : SIGRTMIN + 4;
    installHandler(signal, m_restart);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);

    int fds[2] = { -1, -1 };
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        ctx.mark(EventKind::Note, errno, QStringLiteral("pipe2 failed: %1").arg(errnoText(errno)));
        return;
    }
    {
        TimeoutWriter timeout(fds[1], m_timeoutMs);
        const pthread_t self = pthread_self();
        std::unique_ptr<StopCallback> registration
            = ctx.onStopRequested([self, signal] { ::pthread_kill(self, signal); });
        ctx.reportStep(1);
        const qint64 t0 = monotonicNowNs();
        int interrupted = 0;
        while (!ctx.shouldStop()) {
            char buf[16];
            ctx.setPhase(WorkerPhase::Blocked);
            const ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR) {
                ++interrupted;
                ctx.mark(EventKind::Note, msSince(t0),
                    QStringLiteral("read() failed with EINTR after %1 ms: the signal interrupted it, the loop "
                                   "checks the stop")
                        .arg(msSince(t0)));
                continue;
            }
            if (n > 0)
                ctx.mark(EventKind::Note, msSince(t0),
                    QStringLiteral("read() returned only when the timeout's byte arrived (%1 ms): %2")
                        .arg(msSince(t0))
                        .arg(m_restart ? QStringLiteral("SA_RESTART restarted it after the signal")
                                       : QStringLiteral("no signal came")));
            break;
        }
        registration.reset();
        timeout.stop();
    }
    ::close(fds[0]);
    ::close(fds[1]);
    finish(ctx);
}

} // namespace threadlab
