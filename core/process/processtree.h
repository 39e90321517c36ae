// Every process the app started and their descendants, known by pidfd: signals that never hit a recycled pid.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace threadlab {

/// One per app (instance()), main thread only. The app is a child subreaper, so a descendant that loses its
/// parent (a host killed alone, a grandchild that called setsid()) is re-parented to the app and stays known.
/// Hosts are QProcess children: the tree holds a pidfd for each while it is unreaped and never reaps one
/// (QProcess keeps its exit status). Descendants are found by walking /proc/<pid>/task/*/children from the
/// hosts, and, once re-parented to the app, by the owner mark in their environment ($THREADLAB_OWNER). Every
/// signal goes through a pidfd (pidfd_send_signal), or, where the kernel has none (ENOSYS), to a pid proven
/// owned (our unreaped child, or the unreaped child of a live host). Re-parented orphans are reaped by the
/// tree with waitid(P_PIDFD) / waitpid(that pid), never waitpid(-1).
class ProcessTree final : public QObject
{
    Q_OBJECT
public:
    /// The app's tree (made on first use; makes the app a child subreaper).
    static ProcessTree &instance();
    /// Makes this process a child subreaper and lifts the soft fd limit (pidfds); main() calls it first thing,
    /// instance() again. Returns whether the process is a subreaper.
    static bool becomeSubreaper();
    /// Whether prctl(PR_SET_CHILD_SUBREAPER) succeeded for this process.
    static bool isSubreaper();
    /// Whether this kernel has pidfd_open (else signals go to proven-owned pids only).
    static bool hasPidfd();
    /// The environment variable that marks every process a host and its descendants run in.
    static QString ownerVariable() { return QStringLiteral("THREADLAB_OWNER"); }

    /// Registers a host about to start; returns its id (> 0). Its mark goes into the host's environment.
    int registerHost();
    /// "<app pid>:<host id>": the value of ownerVariable() in the host's environment (inherited by its children).
    static QString markOf(int hostId);
    /// The host started: pid is an unreaped child of the app (QProcess's), now tracked by pidfd. pidfd >= 0: a
    /// pidfd of it obtained while it was provably ours (by the fork server's intermediate, its parent); the tree keeps
    /// a dup and trusts it instead of checking the parent. Such a host is reaped by its HostProcess (waitid on its
    /// pidfd), never by the tree.
    void hostStarted(int hostId, qint64 pid, int pidfd = -1);
    /// QProcess reaped the host (or it never started): its pid may be recycled from now on and is never signalled
    /// again. Returns the host's descendants still running (its orphans, setsid escapers included).
    QList<qint64> hostReaped(int hostId);
    /// The host goes on under another id (the fork server's spare, adopted by a worker that registers it with
    /// hostStarted() under its own id): forgotten under hostId, without a reap's bookkeeping; still the caller's.
    void releaseHost(int hostId);
    /// The host's descendants still running (walks /proc first).
    QList<qint64> liveDescendants(int hostId);
    /// Signal to the host itself (through its pidfd); false if it is not tracked (not started or reaped).
    bool signalHost(int hostId, int signal);
    /// Signal to the host's process group: kill(-pgid) only while the host (the group leader, setpgid(0, 0)) is
    /// unreaped, so the group id cannot have been recycled. False if the host is not tracked.
    bool signalGroup(int hostId, int signal);
    /// What the tree knows of a host, for a note when a signal was not sent: "pid 123, tracked, running", ...
    QString describeHost(int hostId) const;
    /// SIGKILL to every live descendant of the host (pidfd each); returns how many were alive.
    int killDescendants(int hostId);
    /// Last resort (second signal, shutdown escalation): SIGKILL every tracked host and descendant.
    int killEverything();
    /// Whether a tracked descendant is still running (false when not tracked: no guess from /proc).
    bool isAlive(qint64 pid) const;
    /// Alive but already on its way out (SIGKILL pending or the kernel's PF_EXITING set): its fds may be closed
    /// before it is reapable.
    static bool isDying(qint64 pid);
    /// Processes tracked (hosts and descendants not yet reaped): for tests and the soak.
    int trackedCount() const { return int(m_nodes.size()); }

    /// Walks the hosts' subtrees for new descendants, adopts re-parented ones, reaps those that exited.
    void refresh();
    /// refresh() soon, from the event loop (coalesced): after a host declared a child, a kill, a reap.
    void scheduleRefresh();

private:
    explicit ProcessTree(QObject *parent = nullptr);
    ~ProcessTree() override;
    Q_DISABLE_COPY_MOVE(ProcessTree)

    struct Node
    {
        qint64 pid = 0;
        int fd = -1; ///< pidfd, -1 when the kernel has none
        int host = 0; ///< the id of the host it descends from
        bool isHost = false;
    };
    bool track(qint64 pid, qint64 expectedParent, int host, bool isHost);
    void forget(qint64 pid);
    bool exited(const Node &n) const;
    bool sendSignal(const Node &n, int signal) const;
    void walk(int hostId = 0);
    const Node *hostNode(int hostId) const;
    void adoptReparented();
    void reapExited();

    QHash<qint64, Node> m_nodes;
    QHash<int, qint64> m_hostPids; ///< host id -> pid while unreaped (0 before it started)
    QHash<qint64, int> m_reapedHostGroups; ///< pgid (the reaped host's pid) -> host id
    int m_lastHostId = 0;
    QTimer m_refresh;
};

} // namespace threadlab
