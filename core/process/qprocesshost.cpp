// The exec start of a worker host: QProcess in its own process group with PR_SET_PDEATHSIG(SIGKILL).
#include "qprocesshost.h"

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace threadlab {

QProcessHost::QProcessHost(QObject *parent)
    : HostProcess(parent)
{
    // Runs in the child between fork and exec; on Qt 6.4 vfork-style on a 4 KiB stack sharing our memory:
    // async-signal-safe calls only, no allocation, no Qt.
    m_process.setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    connect(&m_process, &QProcess::started, this, [this] {
        m_pid = m_process.processId();
        emit started();
    });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &HostProcess::readyReadStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &HostProcess::readyReadStderr);
    connect(&m_process, &QProcess::readChannelFinished, this, &HostProcess::stdoutClosed);
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        // Qt reports the signal number as the exit code of a CrashExit.
        emit finished(code, status == QProcess::CrashExit);
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            emit failedToStart(m_process.errorString());
    });
}

QProcessHost::~QProcessHost()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        m_process.kill();
        m_process.waitForFinished(2000); // SIGKILL is reaped within milliseconds; the bound guards the impossible
    }
}

void QProcessHost::start(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(env);
    m_process.start(QIODevice::ReadWrite);
}

bool QProcessHost::waitForFinished(int ms)
{
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(ms);
}

} // namespace threadlab
