// The fork-server start of a worker host: forked by the resident server, reaped by us through its pidfd.
#pragma once

#include "forkserver.h"
#include "hostprocess.h"

class QSocketNotifier;

namespace threadlab {

/// A host forked by ForkServer (re-parented to the app: our own child). Its stdin is a socket written with
/// MSG_NOSIGNAL, stdout and stderr are pipes read without blocking; its pidfd (taken by the server's intermediate
/// while the host was its unreaped child) tells of the exit, and waitid(P_PIDFD) reaps it, keeping the exit code or
/// signal. Where the fork server has a spare host ready, the spare takes the request instead (no fork).
class ForkServerHost final : public HostProcess
{
    Q_OBJECT
public:
    explicit ForkServerHost(QObject *parent = nullptr);
    /// SIGKILL through the pidfd and a bounded wait for the reap if still running.
    ~ForkServerHost() override;
    Q_DISABLE_COPY_MOVE(ForkServerHost)

    void start(const QString &program, const QStringList &arguments, const QProcessEnvironment &env) override;
    qint64 pid() const override { return m_pid; }
    int pidfd() const override { return m_pidfd; }
    bool isRunning() const override { return m_requested && !m_reaped; }
    void write(const QByteArray &data) override;
    QByteArray readAllStdout() override;
    QByteArray readAllStderr() override;
    void kill() override;
    bool waitForFinished(int ms) override;
    ProcessStart startMode() const override { return ProcessStart::ForkServer; }
    QString startDescription() const override;

private:
    void handleReply(const ForkServer::Reply &reply);
    /// The host runs (forked for us, or a spare that took our request): notifiers, started(), queued stdin.
    void attach(qint64 pid);
    void fail(const QString &why);
    /// Reads what fd has now into buffer (non-blocking); false at the end of the stream.
    static bool drain(int fd, QByteArray &buffer);
    void handleStdoutReady();
    void handleStderrReady();
    void flushStdin();
    /// waitid(P_PIDFD, WNOHANG): true once reaped (finished() emitted).
    bool reap();
    void closeFds();

    quint32 m_request = 0;
    bool m_requested = false;
    bool m_reaped = false;
    bool m_stdoutEnded = false;
    bool m_fromSpare = false; ///< a spare host of the fork server took the request
    bool m_spareAsked = false; ///< prepareSpare() was called after the host's first output
    int m_reparentWaits = 0;
    qint64 m_pid = 0;
    int m_pidfd = -1;
    int m_stdin = -1; ///< our end of the host's stdin socket
    int m_stdout = -1;
    int m_stderr = -1;
    QByteArray m_out;
    QByteArray m_err;
    QByteArray m_in; ///< written before the start, or not yet taken by the socket
    QSocketNotifier *m_outNotifier = nullptr;
    QSocketNotifier *m_errNotifier = nullptr;
    QSocketNotifier *m_inNotifier = nullptr;
    QSocketNotifier *m_exitNotifier = nullptr;
};

} // namespace threadlab
