// The app's side of the fork server: lazy start, ownership (ProcessTree, temp dir), requests, replies, faults.
#include "forkserver.h"

#include "base/clock.h"
#include "forkserverwire.h"
#include "ledger/labresources.h"
#include "ledger/temproot.h"
#include "processsystem.h"
#include "processtree.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QPointer>
#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace threadlab {

namespace {

namespace wire = forkserverwire;

constexpr int StderrTailBytes = 2000;
constexpr int HostIdDigits = 10; ///< every int fits
constexpr int DrainMs = 1000; ///< how long a stopped server's intermediates may take to send their replies
constexpr int SpareReapMs = 2000; ///< a SIGKILLed spare is reaped within milliseconds; the bound guards the impossible

bool s_sparesEnabled = true;

wire::Request startRequest(quint32 id, const QStringList &argv, const QProcessEnvironment &env)
{
    wire::Request r;
    r.id = id;
    for (const QString &a : argv)
        r.argv.push_back(a.toLocal8Bit().toStdString());
    for (const QString &e : env.toStringList())
        r.env.push_back(e.toLocal8Bit().toStdString());
    return r;
}

/// Reaps an exited (or SIGKILLed) process through its pidfd within about ms. It may still be the child of the
/// server's intermediate for a moment (ECHILD until it is re-parented to us, the subreaper).
void reapByPidfd(int pidfd, int ms)
{
    pollfd p { pidfd, POLLIN, 0 };
    while (::poll(&p, 1, ms) < 0 && errno == EINTR) { }
    for (int i = 0; i <= ms; ++i) {
        siginfo_t info {};
        const int rc = ::waitid(idtype_t(P_PIDFD), id_t(pidfd), &info, WEXITED | WNOHANG);
        if (rc == 0 && info.si_pid != 0)
            return;
        if (rc < 0 && errno != ECHILD && errno != EINTR)
            return;
        ::usleep(1000);
    }
}

} // namespace

void ForkServer::setSparesEnabled(bool enabled)
{
    s_sparesEnabled = enabled;
    if (!enabled)
        instance().discardSpare(); // one on its way is discarded when it arrives
}

bool ForkServer::sparesEnabled()
{
    return s_sparesEnabled;
}

ForkServer &ForkServer::instance()
{
    // As ProcessTree: parented to the application, a fresh one for a second application object.
    static QPointer<ForkServer> s_server;
    if (!s_server)
        s_server = new ForkServer(QCoreApplication::closingDown() ? nullptr : QCoreApplication::instance());
    return *s_server;
}

ForkServer::ForkServer(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        const qint64 now = monotonicNowNs();
        for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
            if (it.value() <= now) {
                handleServerGone(
                    QStringLiteral("the fork server did not answer within %1 ms (killed)").arg(ReplyTimeoutMs));
                return;
            }
        m_deadline.start(50);
    });
}

ForkServer::~ForkServer()
{
    failAll(QStringLiteral("the app is shutting down"));
    stopServer();
}

void ForkServer::stopServer()
{
    // The server first, so that the end of its socket can be read: a host or a spare it forked is the app's child,
    // and its reply (pid and pidfd) is the only way to know it; unread, it would end unknown and stay a zombie.
    if (m_server) {
        m_server->disconnect(this);
        if (m_server->state() != QProcess::NotRunning) {
            m_server->kill(); // QProcess's unreaped child: provably ours
            m_server->waitForFinished(2000); // SIGKILL is reaped within milliseconds; bounded
        }
        m_server->deleteLater();
        m_server = nullptr;
    }
    if (m_socket >= 0 && !m_draining)
        drainReplies();
    // The spare next: it goes with the server (one still on its way ends when it reads the end of its socket).
    discardSpare();
    if (m_spare.request != 0) {
        m_pending.remove(m_spare.request);
        ::close(m_spare.control);
        m_spare = Spare {};
        emit spareChanged();
    }
    delete m_notifier;
    m_notifier = nullptr;
    if (m_socket >= 0)
        ::close(m_socket);
    m_socket = -1;
    // At the app's end the tree may be gone already (it kills every tracked process itself).
    if (m_hostId > 0 && !QCoreApplication::closingDown())
        ProcessTree::instance().hostReaped(m_hostId);
    m_hostId = 0;
    m_serverPid = 0;
    if (!m_dir.isEmpty())
        TempRoot::removeDir(m_dir);
    m_dir.clear();
}

void ForkServer::drainReplies()
{
    // The server is gone, but an intermediate it forked may still be at work: it holds the socket and sends its one
    // reply before it exits (a fork, a pidfd_open, a send: milliseconds). The end of the stream says every one of
    // them did; the deadline bounds a stream that never ends.
    m_draining = true;
    const QDeadlineTimer deadline(DrainMs);
    while (!deadline.hasExpired()) {
        pollfd p { m_socket, POLLIN, 0 };
        const int rc = ::poll(&p, 1, int(qMax<qint64>(0, deadline.remainingTime())));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            break;
        char c = 0;
        const ssize_t peeked = ::recv(m_socket, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            break; // the end of the stream: no writer is left
        handleReadable();
    }
    m_draining = false;
}

bool ForkServer::ensureRunning(QString *error)
{
    if (m_server)
        return true;
    if (!ProcessTree::hasPidfd() || !ProcessTree::isSubreaper()) {
        *error = QStringLiteral("the fork server needs pidfds and a subreaper app (this kernel: pidfd %1, "
                                "subreaper %2); use --process-start exec")
                     .arg(ProcessTree::hasPidfd() ? u"yes" : u"no", ProcessTree::isSubreaper() ? u"yes" : u"no");
        return false;
    }
    const QString exe = ProcessSystem::hostExecutable(error);
    if (exe.isEmpty())
        return false;
    m_dir = TempRoot::makeDir(QStringLiteral("forkserver-"), error);
    if (m_dir.isEmpty())
        return false;
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        *error = QStringLiteral("no socket for the fork server: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        TempRoot::removeDir(m_dir);
        m_dir.clear();
        return false;
    }
    m_socket = pair[0];
    const int serverEnd = pair[1];
    ::fcntl(m_socket, F_SETFL, ::fcntl(m_socket, F_GETFL) | O_NONBLOCK);
    m_hostId = ProcessTree::instance().registerHost();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The mark with its host id zero-padded: a forked host never exec's, so /proc/<pid>/environ shows the server's
    // block, where the host writes its own mark over this one (same length; see ForkServerLoop).
    env.insert(ProcessTree::ownerVariable(),
        QStringLiteral("%1:%2").arg(::getpid()).arg(m_hostId, HostIdDigits, 10, QLatin1Char('0')));
    env.insert(LabResources::hostDirVariable(), m_dir);
    m_server = new QProcess(this);
    m_server->setProgram(exe);
    m_server->setArguments({ QStringLiteral("--fork-server") });
    m_server->setProcessEnvironment(env);
    m_server->setStandardInputFile(QProcess::nullDevice());
    m_server->setStandardOutputFile(QProcess::nullDevice());
    // Async-signal-safe only (Qt 6.4 may vfork): the socket at fd 3 without FD_CLOEXEC, own group, death signal.
    m_server->setChildProcessModifier([serverEnd] {
        if (serverEnd == wire::ServerSocketFd)
            ::fcntl(serverEnd, F_SETFD, 0);
        else
            ::dup2(serverEnd, wire::ServerSocketFd);
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    connect(m_server, &QProcess::started, this, [this] {
        m_serverPid = m_server->processId();
        ProcessTree::instance().hostStarted(m_hostId, m_serverPid);
    });
    connect(m_server, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        const QString how = status == QProcess::CrashExit
            ? QStringLiteral("killed by %1").arg(ProcessSystem::signalName(code))
            : QStringLiteral("exited with code %1").arg(code);
        const QString tail = QString::fromUtf8(m_server->readAllStandardError().right(StderrTailBytes)).trimmed();
        handleServerGone(QStringLiteral("the fork server (pid %1) %2%3")
                             .arg(m_serverPid)
                             .arg(how, tail.isEmpty() ? QString() : QStringLiteral(": ") + tail));
    });
    connect(m_server, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            handleServerGone(QStringLiteral("the fork server failed to start: %1").arg(m_server->errorString()));
    });
    m_server->start(QIODevice::ReadOnly);
    ::close(serverEnd); // the child has its copy (or failed to start)
    if (!m_server) { // failed to start, already cleaned up
        *error = QStringLiteral("the fork server failed to start");
        return false;
    }
    ++m_started;
    m_notifier = new QSocketNotifier(m_socket, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ForkServer::handleReadable);
    return true;
}

quint32 ForkServer::request(const QStringList &argv, const QProcessEnvironment &env, const int stdio[3], QString *error)
{
    if (!ensureRunning(error))
        return 0;
    const wire::Request r = startRequest(++m_lastId == 0 ? ++m_lastId : m_lastId, argv, env);
    const std::vector<char> bytes = wire::encode(r);
    if (bytes.empty()) {
        *error = QStringLiteral("the start request is larger than %1 bytes (arguments and environment)")
                     .arg(wire::MaxRequestBytes);
        return 0;
    }
    if (!wire::sendMessage(m_socket, bytes.data(), bytes.size(), stdio, wire::StdioFds)) {
        *error = QStringLiteral("cannot send to the fork server: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        handleServerGone(*error);
        return 0;
    }
    m_pending.insert(r.id, monotonicNowNs() + qint64(ReplyTimeoutMs) * 1'000'000);
    if (!m_deadline.isActive())
        m_deadline.start(50);
    return r.id;
}

void ForkServer::deliver(Reply reply)
{
    emit replied(reply);
    if (reply.pidfd >= 0)
        ::close(reply.pidfd);
}

void ForkServer::handleReadable()
{
    for (;;) {
        wire::Reply r;
        int fd = -1;
        int fdCount = 0;
        const long n = wire::receiveMessage(m_socket, &r, sizeof r, &fd, 1, &fdCount);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (m_draining && (n <= 0 || n != long(sizeof r))) {
            if (fdCount == 1)
                ::close(fd);
            return;
        }
        if (n == 0) {
            handleServerGone(QStringLiteral("the fork server closed its socket"));
            return;
        }
        const bool valid = n == long(sizeof r) && r.magic == wire::Magic && m_pending.contains(r.id)
            && ((r.pid > 0 && r.error == 0 && fdCount == 1) || (r.pid == 0 && r.error != 0 && fdCount == 0));
        if (!valid) {
            if (fdCount == 1)
                ::close(fd);
            if (m_draining)
                return;
            handleServerGone(n < 0 ? QStringLiteral("bad message from the fork server: %1")
                                         .arg(QString::fromLocal8Bit(std::strerror(errno)))
                                   : QStringLiteral("bad reply from the fork server (%1 bytes)").arg(n));
            return;
        }
        m_pending.remove(r.id);
        Reply reply;
        reply.id = r.id;
        reply.pid = r.pid;
        reply.pidfd = fdCount == 1 ? fd : -1;
        if (r.error != 0)
            reply.error = QStringLiteral("the fork server could not fork: %1")
                              .arg(QString::fromLocal8Bit(std::strerror(r.error)));
        if (reply.id == m_spare.request)
            handleSpareReply(reply);
        else
            deliver(reply);
    }
}

void ForkServer::failAll(const QString &why)
{
    const QList<quint32> ids = m_pending.keys();
    m_pending.clear();
    m_deadline.stop();
    for (quint32 id : ids) {
        if (id == m_spare.request)
            continue; // not a start: stopServer() forgets it
        Reply r;
        r.id = id;
        r.error = why;
        deliver(r);
    }
}

void ForkServer::handleServerGone(const QString &why)
{
    // Its hosts already forked are the app's own children and live on; only pending starts fail.
    stopServer();
    failAll(why);
}

void ForkServer::stop()
{
    handleServerGone(QStringLiteral("the fork server was stopped"));
}

void ForkServer::killServer()
{
    if (m_hostId > 0)
        ProcessTree::instance().signalHost(m_hostId, SIGKILL);
}

} // namespace threadlab

namespace threadlab {

void ForkServer::prepareSpare()
{
    if (!s_sparesEnabled || !m_server || m_socket < 0 || m_spare.request != 0 || m_spare.pid > 0
        || QCoreApplication::closingDown())
        return;
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
        return; // no spare: starts fork on demand, as without spares
    ::fcntl(pair[0], F_SETFL, ::fcntl(pair[0], F_GETFL) | O_NONBLOCK); // adoptSpare() never blocks
    wire::Request r;
    r.id = ++m_lastId == 0 ? ++m_lastId : m_lastId;
    r.spare = true;
    const std::vector<char> bytes = wire::encode(r);
    const bool sent = wire::sendMessage(m_socket, bytes.data(), bytes.size(), &pair[1], wire::SpareFds);
    const int sendErrno = errno;
    ::close(pair[1]); // the server has its copy (or the send failed)
    if (!sent) {
        ::close(pair[0]);
        handleServerGone(
            QStringLiteral("cannot send to the fork server: %1").arg(QString::fromLocal8Bit(std::strerror(sendErrno))));
        return;
    }
    m_spare.control = pair[0];
    m_spare.request = r.id;
    m_pending.insert(r.id, monotonicNowNs() + qint64(ReplyTimeoutMs) * 1'000'000);
    if (!m_deadline.isActive())
        m_deadline.start(50);
}

void ForkServer::handleSpareReply(const Reply &reply)
{
    m_spare.request = 0;
    if (!reply.error.isEmpty() || reply.pid <= 0 || reply.pidfd < 0) {
        // No retry here: the next host's hello asks again; meanwhile starts fork on demand.
        if (reply.pidfd >= 0)
            ::close(reply.pidfd);
        ::close(m_spare.control);
        m_spare = Spare {};
        emit spareChanged();
        return;
    }
    m_spare.pid = reply.pid;
    m_spare.pidfd = reply.pidfd; // ours from here (handleReadable() closes only what it delivers)
    // Owned like any host: tracked by pidfd (killed with everything at the app's end), never taken for an orphan.
    m_spare.hostId = ProcessTree::instance().registerHost();
    ProcessTree::instance().hostStarted(m_spare.hostId, m_spare.pid, m_spare.pidfd);
    // It dies on its own only if someone kills it: then it is reaped and forgotten.
    m_spare.exitNotifier = new QSocketNotifier(m_spare.pidfd, QSocketNotifier::Read, this);
    connect(m_spare.exitNotifier, &QSocketNotifier::activated, this, &ForkServer::discardSpare);
    if (!s_sparesEnabled) {
        discardSpare();
        return;
    }
    emit spareChanged();
}

void ForkServer::discardSpare()
{
    if (m_spare.pid <= 0)
        return;
    delete m_spare.exitNotifier;
    ::close(m_spare.control); // it would end by itself on reading the end of the stream; SIGKILL is at once
    ::syscall(SYS_pidfd_send_signal, m_spare.pidfd, SIGKILL, nullptr, 0);
    reapByPidfd(m_spare.pidfd, SpareReapMs);
    ::close(m_spare.pidfd);
    // At the app's end the tree may be gone already (it kills every tracked process itself).
    if (!QCoreApplication::closingDown())
        ProcessTree::instance().hostReaped(m_spare.hostId);
    m_spare = Spare {};
    emit spareChanged();
}

bool ForkServer::adoptSpare(
    const QStringList &argv, const QProcessEnvironment &env, const int stdio[3], qint64 *pid, int *pidfd)
{
    if (m_spare.pid <= 0 || !s_sparesEnabled)
        return false;
    pollfd p { m_spare.pidfd, POLLIN, 0 };
    if (::poll(&p, 1, 0) > 0) { // it died (killed from outside) and its notifier has not run yet
        discardSpare();
        return false;
    }
    const std::vector<char> bytes = wire::encode(startRequest(0, argv, env));
    if (bytes.empty())
        return false; // request() says why
    if (!wire::sendMessage(m_spare.control, bytes.data(), bytes.size(), stdio, wire::StdioFds)) {
        discardSpare();
        return false;
    }
    *pid = m_spare.pid;
    *pidfd = m_spare.pidfd;
    delete m_spare.exitNotifier;
    ::close(m_spare.control); // the request is queued before the end of the stream
    // The worker registers it under its own id when its start is handled (hostStarted with this pidfd).
    ProcessTree::instance().releaseHost(m_spare.hostId);
    m_spare = Spare {};
    emit spareChanged();
    return true;
}

} // namespace threadlab
