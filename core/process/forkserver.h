// The app's side of the fork server: starts `threadlab-worker --fork-server` lazily, sends start requests.
#pragma once

#include <QHash>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

class QSocketNotifier;

namespace threadlab {

/// One per app (instance()), main thread only. The server is owned like a host: exec'd by QProcess in its own
/// process group with PR_SET_PDEATHSIG, tracked by ProcessTree (pidfd, the THREADLAB_OWNER mark), with a
/// directory in the run's temp root; killed and reaped with the app. A request carries the host's argv,
/// environment and stdio fds; the reply its pid and a pidfd taken when it was created. A server that dies,
/// answers nonsense or does not answer within ReplyTimeoutMs fails every pending start with a clear reason and
/// is killed; the next request starts a new one.
/// It keeps one spare host ready (prepareSpare(), after a host's hello): forked by the server ahead of need, the
/// app's child in its own group with PR_SET_PDEATHSIG, tracked by ProcessTree as a host of its own, waiting on a
/// control socket. adoptSpare() hands it a worker's start request (argv, environment, stdio) and the worker's
/// HostProcess its pid and pidfd: a start without a fork. The spare is killed and reaped with the server (stop(),
/// the server's death, the app's end), and whenever it dies on its own.
class ForkServer final : public QObject
{
    Q_OBJECT
public:
    static constexpr int ReplyTimeoutMs = 5000;

    struct Reply
    {
        quint32 id = 0;
        qint64 pid = 0;
        int pidfd = -1; ///< closed after replied(): a receiver keeps a dup
        QString error;
    };

    static ForkServer &instance();
    /// Sends a start request for program's argv and env with the host's stdin, stdout and stderr ends (sent,
    /// not closed). Returns its id (> 0), or 0 with error set. replied() follows, once, never inside this call.
    quint32 request(const QStringList &argv, const QProcessEnvironment &env, const int stdio[3], QString *error);
    /// Hands the ready spare host the start request (its argv, env and stdio ends, sent, not closed): on true, pid
    /// and pidfd (the caller's from now on) are the host's. False when no spare is ready or it cannot take the
    /// request (then the caller uses request()). Never starts a server or forks.
    bool adoptSpare(
        const QStringList &argv, const QProcessEnvironment &env, const int stdio[3], qint64 *pid, int *pidfd);
    /// Asks the running server for a spare host unless one is ready or on its way (a host's start calls it once the
    /// host said hello: off the start's path). Does nothing without a running server or with spares disabled.
    void prepareSpare();
    /// The ready spare's pid (0 if none), and whether one is ready or on its way.
    qint64 sparePid() const { return m_spare.pid; }
    bool sparePending() const { return m_spare.request != 0; }
    /// Spares on (the default) or off (every start forks; the current spare is discarded).
    static void setSparesEnabled(bool enabled);
    static bool sparesEnabled();
    /// The running server's pid (0 if none) and how many servers this app has started.
    qint64 serverPid() const { return m_serverPid; }
    int serversStarted() const { return m_started; }
    /// Test hook: SIGKILL to the server (through its pidfd), as if it crashed; pending starts fail when its
    /// death is seen, and the next request starts a new server.
    void killServer();
    /// Ends the server now (closes its socket, SIGKILL, bounded reap) and fails pending starts; the next request
    /// starts a new one. The app's end does this too.
    void stop();

signals:
    /// The answer to request reply.id (direct connections only: the pidfd is closed after the emit).
    void replied(const threadlab::ForkServer::Reply &reply);
    /// A spare became ready, or was used, discarded or failed.
    void spareChanged();

private:
    explicit ForkServer(QObject *parent = nullptr);
    ~ForkServer() override;
    Q_DISABLE_COPY_MOVE(ForkServer)

    bool ensureRunning(QString *error);
    void handleReadable();
    void handleServerGone(const QString &why);
    void failAll(const QString &why);
    void stopServer();
    /// Reads the replies still on their way from a stopped server's intermediates, until the end of the stream.
    void drainReplies();
    void deliver(Reply reply);
    /// The reply to the spare request: keeps the spare (tracked by ProcessTree) or forgets the request.
    void handleSpareReply(const Reply &reply);
    /// Kills (pidfd) and reaps (bounded) the spare, or forgets its pending request.
    void discardSpare();

    struct Spare
    {
        quint32 request = 0; ///< its request's id while the server has not answered
        int control = -1; ///< our end of its control socket
        qint64 pid = 0;
        int pidfd = -1;
        int hostId = 0; ///< its id in ProcessTree while it is ready
        QSocketNotifier *exitNotifier = nullptr;
    };

    QProcess *m_server = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    int m_socket = -1;
    /// stopServer() is reading the replies the server sent before it went: the end of the stream or a bad
    /// message ends that read instead of stopping the server again.
    bool m_draining = false;
    int m_hostId = 0; ///< the server's id in ProcessTree
    qint64 m_serverPid = 0;
    int m_started = 0;
    QString m_dir;
    quint32 m_lastId = 0;
    QHash<quint32, qint64> m_pending; ///< id -> deadline (CLOCK_MONOTONIC ns)
    QTimer m_deadline;
    Spare m_spare;
};

} // namespace threadlab
