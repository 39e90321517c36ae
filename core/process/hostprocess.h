// How a worker host process is started and followed: one interface, exec (QProcess) and fork-server starts.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>
#include <memory>
#include <optional>

namespace threadlab {

/// How the app starts a `threadlab-worker` host: exec of the binary by QProcess (every host maps Qt and ICU
/// again), or a fork of the app's resident, pre-loaded fork server. The words are the CLI's and the JSON's.
enum class ProcessStart { Exec, ForkServer };
QString toString(ProcessStart start);
std::optional<ProcessStart> processStartFromString(const QString &name);
/// "exec, forkserver": for the one-line usage error.
QString processStartNames();

/// One host process: started in its own process group with PR_SET_PDEATHSIG(SIGKILL), stdin written, stdout and
/// stderr read, reaped once. Signals go through ProcessTree (pidfd()), never through this object; kill() is the
/// last resort for a host the tree does not know. Main thread only.
class HostProcess : public QObject
{
    Q_OBJECT
public:
    /// Makes the implementation for start (the fork server only runs `threadlab-worker`).
    static std::unique_ptr<HostProcess> create(ProcessStart start);
    ~HostProcess() override = default;
    Q_DISABLE_COPY_MOVE(HostProcess)

    /// Starts program with arguments and exactly env; started() or failedToStart() follows, never at once.
    virtual void start(const QString &program, const QStringList &arguments, const QProcessEnvironment &env) = 0;
    /// The host's pid once started() was emitted (0 before).
    virtual qint64 pid() const = 0;
    /// A pidfd of the host obtained while it was provably ours (the tree dups it), or -1: the tree opens one
    /// itself on our unreaped child.
    virtual int pidfd() const { return -1; }
    /// Starting or started, and not reaped yet.
    virtual bool isRunning() const = 0;
    virtual void write(const QByteArray &data) = 0;
    virtual QByteArray readAllStdout() = 0;
    virtual QByteArray readAllStderr() = 0;
    /// SIGKILL to the host itself while it is unreaped (a last resort).
    virtual void kill() = 0;
    /// Blocks at most ms for the reap (destructors only); true once reaped.
    virtual bool waitForFinished(int ms) = 0;
    /// True when stdoutClosed() is emitted as soon as the host closes its stdout, even while it keeps running.
    /// QProcess (exec) closes the channel silently at that end-of-file and says so only when the host is reaped
    /// (qprocess.cpp, tryReadFromChannel): its owner has to look for itself.
    virtual bool reportsStdoutEnd() const { return true; }
    /// How this start works, for the host's start note ("exec", "forkserver").
    virtual ProcessStart startMode() const = 0;
    /// How the start went, for the host's start note: "exec", "forked by the fork server", ...
    virtual QString startDescription() const
    {
        return startMode() == ProcessStart::Exec ? QStringLiteral("exec") : QStringLiteral("forked by the fork server");
    }

signals:
    void started();
    void failedToStart(const QString &why);
    void readyReadStdout();
    void readyReadStderr();
    /// stdout reached its end (the host closed it, or exited).
    void stdoutClosed();
    /// Reaped: code is the exit code, or the signal number when signalled.
    void finished(int code, bool signalled);

protected:
    explicit HostProcess(QObject *parent = nullptr)
        : QObject(parent)
    {
    }
};

} // namespace threadlab
