// The exec start of a worker host: QProcess (vfork + exec), in its own group with PR_SET_PDEATHSIG.
#pragma once

#include "hostprocess.h"

#include <QProcess>

namespace threadlab {

/// A host exec'd by QProcess: QProcess owns the pipes and the reap (ProcessTree opens the pidfd).
class QProcessHost final : public HostProcess
{
    Q_OBJECT
public:
    explicit QProcessHost(QObject *parent = nullptr);
    /// SIGKILL and a bounded wait if still running (QProcess's own would wait 30 s).
    ~QProcessHost() override;
    Q_DISABLE_COPY_MOVE(QProcessHost)

    void start(const QString &program, const QStringList &arguments, const QProcessEnvironment &env) override;
    qint64 pid() const override { return m_pid; }
    bool isRunning() const override { return m_process.state() != QProcess::NotRunning; }
    void write(const QByteArray &data) override { m_process.write(data); }
    QByteArray readAllStdout() override { return m_process.readAllStandardOutput(); }
    QByteArray readAllStderr() override { return m_process.readAllStandardError(); }
    void kill() override { m_process.kill(); }
    bool waitForFinished(int ms) override;
    ProcessStart startMode() const override { return ProcessStart::Exec; }
    bool reportsStdoutEnd() const override { return false; }

private:
    QProcess m_process;
    qint64 m_pid = 0;
};

} // namespace threadlab
