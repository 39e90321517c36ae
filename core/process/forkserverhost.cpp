// The fork-server start of a worker host: stdio by socket and pipes, exit by pidfd, reap by waitid(P_PIDFD).
#include "forkserverhost.h"

#include <QSocketNotifier>
#include <QTimer>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace threadlab {

namespace {

constexpr qsizetype ReadChunk = 64 * 1024;
constexpr int MaxReparentWaits = 5000; ///< 1 ms each

QString lastError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

} // namespace

ForkServerHost::ForkServerHost(QObject *parent)
    : HostProcess(parent)
{
}

ForkServerHost::~ForkServerHost()
{
    if (m_pidfd >= 0 && !m_reaped) {
        disconnect();
        kill();
        waitForFinished(2000); // SIGKILL is reaped within milliseconds; the bound guards the impossible
    }
    closeFds();
}

void ForkServerHost::closeFds()
{
    delete m_outNotifier;
    delete m_errNotifier;
    delete m_inNotifier;
    delete m_exitNotifier;
    m_outNotifier = m_errNotifier = m_inNotifier = m_exitNotifier = nullptr;
    closeFd(m_stdin);
    closeFd(m_stdout);
    closeFd(m_stderr);
    closeFd(m_pidfd);
}

void ForkServerHost::fail(const QString &why)
{
    m_reaped = true; // never started: nothing to reap
    closeFds();
    // Never from inside start(): the caller connects and then waits, as for QProcess.
    QTimer::singleShot(0, this, [this, why] { emit failedToStart(why); });
}

void ForkServerHost::start(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    m_requested = true;
    int in[2], out[2], err[2];
    // stdin is a socket so that a write to a dead host is EPIPE (MSG_NOSIGNAL), never SIGPIPE.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
        fail(QStringLiteral("no socket for the host's stdin: %1").arg(lastError()));
        return;
    }
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        fail(QStringLiteral("no pipe for the host's stdout: %1").arg(lastError()));
        return;
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        for (int fd : { in[0], in[1], out[0], out[1] })
            ::close(fd);
        fail(QStringLiteral("no pipe for the host's stderr: %1").arg(lastError()));
        return;
    }
    m_stdin = in[0];
    m_stdout = out[0];
    m_stderr = err[0];
    for (int fd : { m_stdin, m_stdout, m_stderr })
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ::shutdown(in[1], SHUT_WR); // the host only reads its stdin
    const int childEnds[3] = { in[1], out[1], err[1] };
    ForkServer &server = ForkServer::instance();
    const QStringList argv = QStringList { program } + arguments;
    // A spare host forked ahead takes the request at once: no fork on this path. Its pid and pidfd are ours now;
    // started() follows from the event loop, as for a reply.
    qint64 sparePid = 0;
    int sparePidfd = -1;
    if (server.adoptSpare(argv, env, childEnds, &sparePid, &sparePidfd)) {
        for (int fd : childEnds)
            ::close(fd);
        m_fromSpare = true;
        m_pidfd = sparePidfd;
        QTimer::singleShot(0, this, [this, sparePid] { attach(sparePid); });
        return;
    }
    connect(&server, &ForkServer::replied, this, &ForkServerHost::handleReply);
    QString error;
    m_request = server.request(argv, env, childEnds, &error);
    for (int fd : childEnds)
        ::close(fd); // the server has its copies (or the request failed)
    if (m_request == 0) {
        server.disconnect(this);
        fail(error);
    }
}

QString ForkServerHost::startDescription() const
{
    return m_fromSpare ? QStringLiteral("a spare host forked ahead by the fork server")
                       : QStringLiteral("forked by the fork server");
}

void ForkServerHost::handleReply(const ForkServer::Reply &reply)
{
    if (reply.id != m_request || m_request == 0)
        return;
    ForkServer::instance().disconnect(this);
    m_request = 0;
    if (!reply.error.isEmpty() || reply.pid <= 0 || reply.pidfd < 0) {
        fail(reply.error.isEmpty() ? QStringLiteral("the fork server sent no pidfd") : reply.error);
        return;
    }
    m_pidfd = ::fcntl(reply.pidfd, F_DUPFD_CLOEXEC, 3);
    if (m_pidfd < 0) {
        // Without a pidfd of our own we may not signal it later: kill it now through the one we were sent.
        ::syscall(SYS_pidfd_send_signal, reply.pidfd, SIGKILL, nullptr, 0);
        ::waitid(idtype_t(P_PIDFD), id_t(reply.pidfd), nullptr, WEXITED);
        fail(QStringLiteral("no fd for the host's pidfd: %1").arg(lastError()));
        return;
    }
    attach(reply.pid);
}

void ForkServerHost::attach(qint64 pid)
{
    if (m_reaped)
        return;
    m_pid = pid;
    m_outNotifier = new QSocketNotifier(m_stdout, QSocketNotifier::Read, this);
    connect(m_outNotifier, &QSocketNotifier::activated, this, &ForkServerHost::handleStdoutReady);
    m_errNotifier = new QSocketNotifier(m_stderr, QSocketNotifier::Read, this);
    connect(m_errNotifier, &QSocketNotifier::activated, this, &ForkServerHost::handleStderrReady);
    m_exitNotifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
    connect(m_exitNotifier, &QSocketNotifier::activated, this, &ForkServerHost::reap);
    emit started();
    flushStdin();
}

bool ForkServerHost::drain(int fd, QByteArray &buffer)
{
    if (fd < 0)
        return false;
    for (;;) {
        const qsizetype old = buffer.size();
        buffer.resize(old + ReadChunk);
        const ssize_t n = ::read(fd, buffer.data() + old, size_t(ReadChunk));
        buffer.resize(old + qMax<qsizetype>(n, 0));
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

void ForkServerHost::handleStdoutReady()
{
    const bool open = drain(m_stdout, m_out);
    if (!m_out.isEmpty())
        emit readyReadStdout();
    if (!m_spareAsked) {
        // The host said hello (or ended): the next spare is forked now, off this start's path.
        m_spareAsked = true;
        ForkServer::instance().prepareSpare();
    }
    if (!open && !m_stdoutEnded) {
        m_stdoutEnded = true;
        delete m_outNotifier;
        m_outNotifier = nullptr;
        closeFd(m_stdout);
        emit stdoutClosed();
    }
}

void ForkServerHost::handleStderrReady()
{
    if (!drain(m_stderr, m_err)) {
        delete m_errNotifier;
        m_errNotifier = nullptr;
        closeFd(m_stderr);
    }
    if (!m_err.isEmpty())
        emit readyReadStderr();
}

QByteArray ForkServerHost::readAllStdout()
{
    drain(m_stdout, m_out);
    return std::exchange(m_out, {});
}

QByteArray ForkServerHost::readAllStderr()
{
    drain(m_stderr, m_err);
    return std::exchange(m_err, {});
}

void ForkServerHost::write(const QByteArray &data)
{
    if (m_reaped)
        return;
    m_in += data;
    if (m_pid > 0)
        flushStdin();
}

void ForkServerHost::flushStdin()
{
    while (!m_in.isEmpty() && m_stdin >= 0) {
        const ssize_t n = ::send(m_stdin, m_in.constData(), size_t(m_in.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            m_in.remove(0, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_inNotifier) {
                m_inNotifier = new QSocketNotifier(m_stdin, QSocketNotifier::Write, this);
                connect(m_inNotifier, &QSocketNotifier::activated, this, &ForkServerHost::flushStdin);
            }
            m_inNotifier->setEnabled(true);
            return;
        }
        m_in.clear(); // EPIPE: the host is gone or closed its stdin
    }
    if (m_inNotifier)
        m_inNotifier->setEnabled(false);
}

void ForkServerHost::kill()
{
    if (m_pidfd >= 0 && !m_reaped)
        ::syscall(SYS_pidfd_send_signal, m_pidfd, SIGKILL, nullptr, 0);
}

bool ForkServerHost::reap()
{
    if (m_reaped || m_pidfd < 0)
        return m_reaped;
    siginfo_t info {};
    int rc = -1;
    do
        rc = ::waitid(idtype_t(P_PIDFD), id_t(m_pidfd), &info, WEXITED | WNOHANG);
    while (rc < 0 && errno == EINTR);
    if (rc == 0 && info.si_pid == 0)
        return false; // not exited yet
    if (rc < 0 && errno == ECHILD && ++m_reparentWaits <= MaxReparentWaits) {
        // Killed while still the server's intermediate's child: it becomes ours when the intermediate exits
        // (within milliseconds). Look again soon; the pidfd stays readable, so its notifier rests meanwhile.
        if (m_exitNotifier)
            m_exitNotifier->setEnabled(false);
        QTimer::singleShot(1, this, &ForkServerHost::reap);
        return false;
    }
    m_reaped = true;
    delete m_exitNotifier;
    m_exitNotifier = nullptr;
    // What it wrote before it died is in the pipes: the receiver drains it (readAll*) in its finished() slot.
    int code = 0;
    bool signalled = false;
    if (rc == 0) {
        signalled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
        code = info.si_status;
    } else {
        code = 255; // never ours after MaxReparentWaits: cannot happen (the intermediate exits at once)
    }
    emit finished(code, signalled);
    return true;
}

bool ForkServerHost::waitForFinished(int ms)
{
    if (m_reaped || m_pidfd < 0)
        return true;
    pollfd p { m_pidfd, POLLIN, 0 };
    while (::poll(&p, 1, ms) < 0 && errno == EINTR) { }
    for (int i = 0; i < ms && !reap() && (p.revents & POLLIN); ++i)
        ::usleep(1000); // exited, not re-parented to us yet (bounded by ms)
    return m_reaped;
}

} // namespace threadlab
