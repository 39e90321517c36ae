// What the app reads from and does to the system for process workers: /proc scans, signal names, host location.
#pragma once

#include <QList>
#include <QString>

namespace threadlab {

/// Small, stateless helpers over /proc and kill(2); safe on any thread.
class ProcessSystem
{
public:
    /// Live (not zombie) processes whose process group is pgid, from /proc/<pid>/stat.
    static QList<qint64> processesInGroup(qint64 pgid);
    /// True if /proc/<pid> exists and is not a zombie.
    static bool isAlive(qint64 pid);
    /// user + system CPU time of a process in ns (0 if it is gone).
    static qint64 cpuTimeNs(qint64 pid);
    /// "SIGKILL", "SIGSEGV"...; "signal N" for numbers without a name.
    static QString signalName(int signal);
    /// Children of this process that are not yet reaped (zombies included), from /proc/self/task/*/children.
    static QList<qint64> unreapedChildren();
    /// The worker host shipped with this app: next to it (build tree) or in <prefix>/libexec/threadlab
    /// (installed); test builds (THREADLAB_TEST_HOOKS) look in $THREADLAB_BIN_DIR first. Never PATH.
    /// Empty with error set when not found.
    static QString hostExecutable(QString *error = nullptr);

    /// The Python worker host: an interpreter (python3 from PATH; test builds: $THREADLAB_PYTHON first) and
    /// the script threadlab-pyhost.py shipped with this app, looked up like hostExecutable() (never PATH).
    struct PythonHost
    {
        QString interpreter;
        QString script;
    };
    /// Empty fields with error set (one line naming what is missing) when either is not found.
    static PythonHost pythonHost(QString *error = nullptr);
};

} // namespace threadlab
