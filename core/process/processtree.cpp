// The app's process tree: child subreaper, pidfds for hosts and descendants, signals through them, orphan reaping.
#include "processtree.h"

#include "ledger/leakledger.h"

#include <QCoreApplication>
#include <QDir>
#include <QMutex>
#include <QPointer>
#include <QSet>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace threadlab {

namespace {

constexpr int RefreshMs = 1000; ///< while hosts or descendants are tracked
constexpr int ReapSoonMs = 50; ///< after a kill or a reap: orphans die within milliseconds
constexpr qsizetype EnvironLimit = 256 * 1024;
constexpr int MaxWalk = 100'000; ///< a bound on one walk, against a fork bomb

bool s_subreaper = false;
int s_pidfd = -1; ///< -1 unknown, 0 no (ENOSYS), 1 yes

int pidfdOpen(qint64 pid)
{
#ifdef SYS_pidfd_open
    const long fd = ::syscall(SYS_pidfd_open, pid_t(pid), 0); // always O_CLOEXEC: hosts never inherit it
    if (fd < 0 && errno == ENOSYS)
        s_pidfd = 0;
    else if (s_pidfd < 0)
        s_pidfd = 1;
    return int(fd);
#else
    Q_UNUSED(pid);
    s_pidfd = 0;
    errno = ENOSYS;
    return -1;
#endif
}

int pidfdSendSignal(int fd, int signal)
{
#ifdef SYS_pidfd_send_signal
    return int(::syscall(SYS_pidfd_send_signal, fd, signal, nullptr, 0));
#else
    Q_UNUSED(fd);
    Q_UNUSED(signal);
    errno = ENOSYS;
    return -1;
#endif
}

/// A whole small /proc file (bounded), read with plain syscalls: they are generated, never block.
QByteArray readProc(const QByteArray &path, qsizetype limit = 64 * 1024)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return {};
    QByteArray out;
    char buf[4096];
    while (out.size() < limit) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, n);
    }
    ::close(fd);
    return out;
}

/// The parent pid from /proc/<pid>/stat (field 4; the comm field may hold spaces and ')'), -1 if gone.
qint64 parentOf(qint64 pid)
{
    const QByteArray s = readProc("/proc/" + QByteArray::number(pid) + "/stat");
    const qsizetype close = s.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> f = s.mid(close + 2).split(' ');
    return f.size() > 1 ? f.at(1).toLongLong() : -1;
}

/// State letter and process group from /proc/<pid>/stat (fields 3 and 5); state 0 if gone.
std::pair<char, qint64> stateAndGroupOf(qint64 pid)
{
    const QByteArray s = readProc("/proc/" + QByteArray::number(pid) + "/stat");
    const qsizetype close = s.lastIndexOf(')');
    if (close < 0)
        return { 0, 0 };
    const QList<QByteArray> f = s.mid(close + 2).split(' ');
    return f.size() > 2 && !f.at(0).isEmpty() ? std::pair<char, qint64> { f.at(0).at(0), f.at(2).toLongLong() }
                                              : std::pair<char, qint64> { 0, 0 };
}

/// Whether a process is already on its way out: a SIGKILL pending (to the thread or the whole process, as a group
/// kill leaves it) or the kernel's PF_EXITING set (do_exit() has begun; its fds close before it is a zombie).
/// Such a process is not an orphan left running: under load a group-killed child can outlive its host's reap
/// by a few milliseconds.
bool dyingProcess(qint64 pid)
{
    const QByteArray stat = readProc("/proc/" + QByteArray::number(pid) + "/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return true; // gone
    const QList<QByteArray> f = stat.mid(close + 2).split(' ');
    constexpr quint64 PfExiting = 0x4;
    if (f.size() > 6 && (f.at(6).toULongLong() & PfExiting))
        return true; // field 9 (flags)
    const QByteArray status = readProc("/proc/" + QByteArray::number(pid) + "/status");
    constexpr quint64 KillBit = quint64(1) << (SIGKILL - 1);
    for (const QByteArray &line : status.split('\n'))
        if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:"))
            if (line.mid(7).trimmed().toULongLong(nullptr, 16) & KillBit)
                return true;
    return false;
}

/// The groups signalGroup() sent SIGKILL to, until their id names a new process (the kernel gives out no pid
/// still used as a group id). Read by the leak ledger's probe on a pool thread too, hence the mutex.
struct KilledGroups
{
    QMutex mutex;
    QSet<qint64> groups;
};

KilledGroups &killedGroups()
{
    static KilledGroups k;
    return k;
}

/// Whether the process is in a group that was sent SIGKILL: kill(-pgid, SIGKILL) reached every member the group
/// had, so one still in it is dying (between taking the signal and do_exit() the kernel shows neither a pending
/// SIGKILL nor PF_EXITING, and a loaded machine can hold a process there for long). Nobody joins such a group.
bool inKilledGroup(qint64 pid)
{
    KilledGroups &k = killedGroups();
    {
        QMutexLocker lock(&k.mutex);
        if (k.groups.isEmpty())
            return false;
    }
    const qint64 group = stateAndGroupOf(pid).second;
    QMutexLocker lock(&k.mutex);
    return group > 0 && k.groups.contains(group);
}

/// Children of a process from /proc/<pid>/task/*/children (every thread's).
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> out;
    const QByteArray base = pid == 0 ? QByteArray("/proc/self/task") : "/proc/" + QByteArray::number(pid) + "/task";
    const QStringList tasks = QDir(QString::fromLatin1(base)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &t : tasks) {
        const QByteArray text = readProc(base + '/' + t.toLatin1() + "/children");
        for (const QByteArray &p : text.split(' ')) {
            bool ok = false;
            const qint64 child = p.trimmed().toLongLong(&ok);
            if (ok && child > 0 && !out.contains(child))
                out << child;
        }
    }
    return out;
}

/// The owner mark in a process's environment ("" if none or unreadable, e.g. a zombie's).
QByteArray ownerMarkOf(qint64 pid)
{
    const QByteArray env = readProc("/proc/" + QByteArray::number(pid) + "/environ", EnvironLimit);
    const QByteArray key = ProcessTree::ownerVariable().toLatin1() + '=';
    for (const QByteArray &entry : env.split('\0'))
        if (entry.startsWith(key))
            return entry.mid(key.size());
    return {};
}

} // namespace

ProcessTree &ProcessTree::instance()
{
    // Parented to the application (it dies with it); a second application object gets a fresh tree.
    static QPointer<ProcessTree> s_tree;
    if (!s_tree) // after the application object has gone (late destructors) a parentless one, never deleted
        s_tree = new ProcessTree(QCoreApplication::closingDown() ? nullptr : QCoreApplication::instance());
    return *s_tree;
}

bool ProcessTree::isSubreaper()
{
    return s_subreaper;
}

bool ProcessTree::hasPidfd()
{
    if (s_pidfd < 0) {
        const int fd = pidfdOpen(::getpid());
        if (fd >= 0)
            ::close(fd);
    }
    return s_pidfd == 1;
}

bool ProcessTree::becomeSubreaper()
{
    if (s_subreaper)
        return true;
    // Orphans of our hosts come to us, not to init: they stay known by pid and we can reap them.
    s_subreaper = ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
    // One pidfd per tracked process on top of QProcess's pipes: 200 hosts with children pass the usual
    // soft limit of 1024. Qt polls with poll(), never select(), so a higher limit is safe.
    rlimit nofile {};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &nofile);
    }
    return s_subreaper;
}

ProcessTree::ProcessTree(QObject *parent)
    : QObject(parent)
{
    becomeSubreaper();
    hasPidfd();
    // The ledger probes a worker's processes: one killed with its group, not yet through do_exit(), is no orphan.
    // Once per process (a second application object makes a second tree): the probe threads read it unlocked.
    [[maybe_unused]] static const bool checkSet = [] {
        LeakLedger::setDyingCheck([](qint64 pid) { return dyingProcess(pid) || inKilledGroup(pid); });
        return true;
    }();
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &ProcessTree::refresh);
}

ProcessTree::~ProcessTree()
{
    // The app is ending: nothing it started outlives it (hosts are normally gone already, see ~ProcessWorker;
    // what is left are descendants a host left behind).
    killEverything();
    for (const Node &n : std::as_const(m_nodes))
        if (n.fd >= 0)
            ::close(n.fd);
}

int ProcessTree::registerHost()
{
    const int id = ++m_lastHostId;
    m_hostPids.insert(id, 0);
    return id;
}

QString ProcessTree::markOf(int hostId)
{
    return QStringLiteral("%1:%2").arg(::getpid()).arg(hostId);
}

void ProcessTree::hostStarted(int hostId, qint64 pid, int pidfd)
{
    if (pid <= 0 || !m_hostPids.contains(hostId))
        return;
    // QProcess has not reaped it (that happens on this thread, later): the pid is still ours.
    m_hostPids.insert(hostId, pid);
    if (pidfd >= 0) {
        // The pidfd pins that very process: no parent check (it may not be re-parented to us yet).
        const int fd = ::fcntl(pidfd, F_DUPFD_CLOEXEC, 3);
        if (fd >= 0) {
            forget(pid); // seen as someone's descendant before its start was known: it is a host
            Node n;
            n.pid = pid;
            n.fd = fd;
            n.host = hostId;
            n.isHost = true;
            m_nodes.insert(pid, n);
        }
    } else {
        forget(pid); // as above: a host is tracked as a host, whatever was seen under its pid before
        track(pid, ::getpid(), hostId, true);
    }
    scheduleRefresh();
}

const ProcessTree::Node *ProcessTree::hostNode(int hostId) const
{
    const qint64 pid = m_hostPids.value(hostId);
    const auto it = pid > 0 ? m_nodes.constFind(pid) : m_nodes.constEnd();
    return it != m_nodes.constEnd() && it->isHost && it->host == hostId ? &*it : nullptr;
}

QList<qint64> ProcessTree::hostReaped(int hostId)
{
    // Walk first: the host's children were re-parented to us when it died, before QProcess saw it die.
    if (const Node *n = hostNode(hostId)) {
        // Its group id, to recognise a zombie of that group re-parented to us (see adoptReparented()).
        if (m_reapedHostGroups.size() > 4096)
            m_reapedHostGroups.clear();
        m_reapedHostGroups.insert(n->pid, hostId);
        forget(n->pid);
    }
    m_hostPids.remove(hostId);
    const QList<qint64> live = liveDescendants(hostId);
    reapExited();
    scheduleRefresh();
    return live;
}

void ProcessTree::releaseHost(int hostId)
{
    if (const Node *n = hostNode(hostId))
        forget(n->pid);
    m_hostPids.remove(hostId);
}

QList<qint64> ProcessTree::liveDescendants(int hostId)
{
    walk(hostId);
    QList<qint64> out;
    for (const Node &n : std::as_const(m_nodes))
        if (!n.isHost && n.host == hostId && !exited(n) && !dyingProcess(n.pid) && !inKilledGroup(n.pid))
            out << n.pid;
    std::sort(out.begin(), out.end());
    return out;
}

bool ProcessTree::signalHost(int hostId, int signal)
{
    const Node *n = hostNode(hostId);
    return n && sendSignal(*n, signal);
}

bool ProcessTree::signalGroup(int hostId, int signal)
{
    // The host leads its group and is our unreaped child (a zombie still holds its pid, hence its pgid):
    // nobody else can have that group id.
    const Node *n = hostNode(hostId);
    if (!n || ::kill(-pid_t(n->pid), signal) != 0)
        return false;
    if (signal == SIGKILL) {
        KilledGroups &k = killedGroups();
        QMutexLocker lock(&k.mutex);
        if (k.groups.size() > 4096)
            k.groups.clear();
        k.groups.insert(n->pid);
    }
    return true;
}

QString ProcessTree::describeHost(int hostId) const
{
    if (!m_hostPids.contains(hostId))
        return QStringLiteral("host %1 is not registered").arg(hostId);
    const qint64 pid = m_hostPids.value(hostId);
    if (pid <= 0)
        return QStringLiteral("host %1 not started yet").arg(hostId);
    const auto it = m_nodes.constFind(pid);
    if (it == m_nodes.constEnd())
        return QStringLiteral("pid %1 not tracked; parent %2").arg(pid).arg(parentOf(pid));
    if (!it->isHost || it->host != hostId)
        return QStringLiteral("pid %1 tracked as a descendant of host %2").arg(pid).arg(it->host);
    return QStringLiteral("pid %1 tracked, %2, pidfd %3")
        .arg(pid)
        .arg(exited(*it) ? u"exited"_qs : u"running"_qs)
        .arg(it->fd >= 0 ? u"yes"_qs : u"no"_qs);
}

int ProcessTree::killDescendants(int hostId)
{
    int killed = 0;
    for (qint64 pid : liveDescendants(hostId)) {
        const auto it = m_nodes.constFind(pid);
        if (it != m_nodes.constEnd() && sendSignal(*it, SIGKILL))
            ++killed;
    }
    scheduleRefresh();
    return killed;
}

int ProcessTree::killEverything()
{
    walk();
    int killed = 0;
    for (const Node &n : std::as_const(m_nodes))
        if (!exited(n) && sendSignal(n, SIGKILL))
            ++killed;
    scheduleRefresh();
    return killed;
}

bool ProcessTree::isAlive(qint64 pid) const
{
    const auto it = m_nodes.constFind(pid);
    return it != m_nodes.constEnd() && !exited(*it);
}

bool ProcessTree::isDying(qint64 pid)
{
    return dyingProcess(pid);
}

bool ProcessTree::track(qint64 pid, qint64 expectedParent, int host, bool isHost)
{
    if (pid <= 1 || m_nodes.contains(pid))
        return false;
    // The kernel gives out no pid still used as a group id: a process with this pid means that group is gone.
    {
        KilledGroups &k = killedGroups();
        QMutexLocker lock(&k.mutex);
        k.groups.remove(pid);
    }
    Node n;
    n.pid = pid;
    n.host = host;
    n.isHost = isHost;
    n.fd = pidfdOpen(pid);
    if (n.fd < 0 && errno != ENOSYS)
        return false; // gone already
    // The pid was read from /proc before the pidfd was opened: make sure it still names the child we saw (a
    // recycled pid would have another parent). After this, the pidfd pins that very process.
    if (parentOf(pid) != expectedParent) {
        if (n.fd >= 0)
            ::close(n.fd);
        return false;
    }
    m_nodes.insert(pid, n);
    return true;
}

void ProcessTree::forget(qint64 pid)
{
    const auto it = m_nodes.find(pid);
    if (it == m_nodes.end())
        return;
    if (it->fd >= 0)
        ::close(it->fd);
    m_nodes.erase(it);
}

bool ProcessTree::exited(const Node &n) const
{
    if (n.fd >= 0) {
        // A pidfd polls readable once the process has exited (a zombie included).
        pollfd p { n.fd, POLLIN, 0 };
        return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
    }
    const QByteArray s = readProc("/proc/" + QByteArray::number(n.pid) + "/stat");
    const qsizetype close = s.lastIndexOf(')');
    return close < 0 || close + 2 >= s.size() || s.at(close + 2) == 'Z' || s.at(close + 2) == 'X';
}

bool ProcessTree::sendSignal(const Node &n, int signal) const
{
    if (n.fd >= 0)
        return pidfdSendSignal(n.fd, signal) == 0;
    // No pidfd on this kernel: only a pid proven ours, i.e. our own child (we are the only one to reap a
    // descendant, hosts are reaped by QProcess on this thread) or the child of a host that is still unreaped.
    const qint64 parent = parentOf(n.pid);
    bool owned = parent == ::getpid();
    for (auto it = m_hostPids.cbegin(); !owned && it != m_hostPids.cend(); ++it)
        owned = it.value() > 0 && it.value() == parent && hostNode(it.key());
    return owned && ::kill(pid_t(n.pid), signal) == 0;
}

void ProcessTree::walk(int hostId)
{
    // Breadth-first from every tracked process that still runs (of one host, or all): a new child is tracked
    // under its parent's host.
    adoptReparented();
    QList<qint64> queue;
    for (const Node &n : std::as_const(m_nodes))
        if ((hostId == 0 || n.host == hostId) && !exited(n))
            queue << n.pid;
    for (qsizetype i = 0; i < queue.size() && i < MaxWalk; ++i) {
        const qint64 parent = queue.at(i);
        const int host = m_nodes.value(parent).host;
        for (qint64 child : childrenOf(parent))
            if (track(child, parent, host, false))
                queue << child;
    }
}

void ProcessTree::adoptReparented()
{
    if (!s_subreaper)
        return;
    // Our own children that are not hosts: descendants re-parented to us. Their environment says whose.
    const QByteArray prefix = QByteArray::number(::getpid()) + ':';
    const QList<qint64> hostPids = m_hostPids.values();
    for (qint64 pid : childrenOf(0)) {
        if (m_nodes.contains(pid) || hostPids.contains(pid))
            continue;
        const QByteArray mark = ownerMarkOf(pid);
        bool ok = false;
        int host = mark.startsWith(prefix) ? mark.mid(prefix.size()).toInt(&ok) : 0;
        if (mark.isEmpty()) {
            // A zombie has no environment left: a child killed with its host's group, re-parented to us before
            // we saw it. Its group still names the host (a pid we tracked, recently reaped): ours to reap.
            const auto [state, group] = stateAndGroupOf(pid);
            // A host leads its own group (pid == group): never one of those, QProcess reaps it.
            host = state == 'Z' && group != pid ? m_reapedHostGroups.value(group) : 0;
            ok = host > 0;
        }
        // A host not yet known to have started is QProcess's child, not an orphan: never touch it.
        if (!ok || host <= 0 || host > m_lastHostId || m_hostPids.value(host, -1) == 0
            || m_hostPids.value(host, -1) == pid)
            continue;
        track(pid, ::getpid(), host, false);
    }
}

void ProcessTree::reapExited()
{
    QList<qint64> gone;
    for (const Node &n : std::as_const(m_nodes)) {
        if (n.isHost || !exited(n))
            continue;
        siginfo_t info {};
        int rc = -1;
        // Only this very process: waitid(P_PIDFD) or waitpid(its pid), never waitpid(-1) (QProcess keeps its own).
        if (n.fd >= 0)
            rc = ::waitid(idtype_t(P_PIDFD), id_t(n.fd), &info, WEXITED | WNOHANG);
        else if (parentOf(n.pid) == ::getpid())
            rc = ::waitpid(pid_t(n.pid), nullptr, WNOHANG) > 0 ? 0 : -1;
        if (rc == 0 && (n.fd < 0 || info.si_pid != 0)) {
            gone << n.pid;
            continue;
        }
        // Not our child: a zombie its parent (a live host) will reap, or one reaped already (ESRCH).
        if (n.fd >= 0 && pidfdSendSignal(n.fd, 0) != 0 && errno == ESRCH)
            gone << n.pid;
        else if (n.fd < 0 && parentOf(n.pid) < 0)
            gone << n.pid;
    }
    for (qint64 pid : std::as_const(gone))
        forget(pid);
}

void ProcessTree::refresh()
{
    walk();
    reapExited();
    // Exited, ours to reap, not reaped yet (it exited while being re-parented): look again soon. A zombie whose
    // parent is a live host waits for that host (or for its end) at the slow pace.
    bool pending = false;
    for (const Node &n : std::as_const(m_nodes))
        pending = pending || (!n.isHost && exited(n) && parentOf(n.pid) == ::getpid());
    if (QCoreApplication::closingDown() || !QCoreApplication::instance())
        return;
    if (pending)
        m_refresh.start(ReapSoonMs);
    else if (!m_nodes.isEmpty())
        m_refresh.start(RefreshMs);
}

void ProcessTree::scheduleRefresh()
{
    // No timers once the application is going (its event dispatcher may be gone already).
    if (QCoreApplication::closingDown() || !QCoreApplication::instance())
        return;
    if (!m_refresh.isActive() || m_refresh.remainingTime() > ReapSoonMs)
        m_refresh.start(ReapSoonMs);
}

} // namespace threadlab
