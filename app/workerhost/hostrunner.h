// The worker host's main program: hello, run one workload on a thread, forward events, obey stop/SIGTERM, bye.
#pragma once

#include <QByteArray>
#include <QString>
#include <mutex>

namespace threadlab {

/// Runs inside `threadlab-worker`. Modes: the normal host (--worker-id N --workload W --params JSON),
/// a spawner child (--child LIFETIME_MS), and test-only misbehaviour selected by THREADLAB_HOST_MISBEHAVE.
class HostRunner
{
public:
    static int main(int argc, char **argv);

private:
    HostRunner() = default;
    int runHost(int workerId, const QString &workload, const QByteArray &paramsJson);
    static int runChild(int lifetimeMs);
    int misbehave(const QByteArray &mode);
    /// Writes one complete line to stdout (thread-safe; retries short writes).
    void writeLine(const QByteArray &line);

    std::mutex m_writeMutex;
    bool m_stdoutOpen = true;
};

} // namespace threadlab
