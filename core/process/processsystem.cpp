// /proc scans (process groups, CPU time, unreaped children), signal names and the host's location.
#include "processsystem.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace threadlab {

namespace {

struct StatFields
{
    char state = '?';
    qint64 pgrp = 0;
    qint64 utime = 0;
    qint64 stime = 0;
};

/// Parses /proc/<pid>/stat; the comm field may contain spaces and ')' so fields start after the last ')'.
/// One open, one read, one close (QFile would add an fstat and a second read per pid of a scan).
bool readStat(qint64 pid, StatFields *out)
{
    char path[48];
    std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[1024];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return false;
    const QByteArray s = QByteArray::fromRawData(buf, qsizetype(n));
    const qsizetype close = s.lastIndexOf(')');
    if (close < 0 || close + 2 >= s.size())
        return false;
    const QList<QByteArray> fields = s.mid(close + 2).split(' ');
    // fields[0] = state (field 3), [2] = pgrp (5), [11] = utime (14), [12] = stime (15)
    if (fields.size() < 13 || fields[0].isEmpty())
        return false;
    out->state = fields[0].at(0);
    out->pgrp = fields[2].toLongLong();
    out->utime = fields[11].toLongLong();
    out->stime = fields[12].toLongLong();
    return true;
}

} // namespace

QList<qint64> ProcessSystem::processesInGroup(qint64 pgid)
{
    QList<qint64> out;
    if (pgid <= 0)
        return out;
    // The usual case, an empty group, is known in a microsecond: no /proc scan then (a scan reads every pid).
    if (::kill(-pid_t(pgid), 0) != 0 && errno == ESRCH)
        return out;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        StatFields st;
        if (readStat(pid, &st) && st.pgrp == pgid && st.state != 'Z' && st.state != 'X')
            out << pid;
    }
    return out;
}

bool ProcessSystem::isAlive(qint64 pid)
{
    StatFields st;
    return pid > 0 && readStat(pid, &st) && st.state != 'Z' && st.state != 'X';
}

qint64 ProcessSystem::cpuTimeNs(qint64 pid)
{
    StatFields st;
    if (pid <= 0 || !readStat(pid, &st))
        return 0;
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    return (st.utime + st.stime) * (1'000'000'000 / (ticks > 0 ? ticks : 100));
}

QString ProcessSystem::signalName(int signal)
{
    if (const char *abbrev = ::sigabbrev_np(signal))
        return QStringLiteral("SIG") + QString::fromLatin1(abbrev);
    return QStringLiteral("signal %1").arg(signal);
}

QList<qint64> ProcessSystem::unreapedChildren()
{
    QList<qint64> out;
    const QStringList tasks = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &t : tasks) {
        QFile f(QStringLiteral("/proc/self/task/%1/children").arg(t));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &p : f.readAll().split(' ')) {
            bool ok = false;
            const qint64 pid = p.trimmed().toLongLong(&ok);
            if (ok && !out.contains(pid))
                out << pid;
        }
    }
    return out;
}

namespace {

/// Where the app's own host programs live: the installed libexec folder first (an installed app never runs a
/// stray host dropped into bin/), then beside the app. Test builds (THREADLAB_TEST_HOOKS) look in
/// $THREADLAB_BIN_DIR first: test executables live in tests/, away from the app.
QStringList hostDirs()
{
    QStringList dirs;
#ifdef THREADLAB_TEST_HOOKS
    const QString testDir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    if (!testDir.isEmpty())
        dirs << testDir;
#endif
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        dirs << QDir::cleanPath(appDir + QStringLiteral("/" THREADLAB_HOST_DIR_FROM_BIN)) << appDir;
    }
    return dirs;
}

} // namespace

ProcessSystem::PythonHost ProcessSystem::pythonHost(QString *error)
{
    QString interpreter;
#ifdef THREADLAB_TEST_HOOKS
    // Test builds only: a test names another interpreter (or a missing one, to see the refusal).
    if (qEnvironmentVariableIsSet("THREADLAB_PYTHON")) {
        const QFileInfo fi(qEnvironmentVariable("THREADLAB_PYTHON"));
        if (fi.isFile() && fi.isExecutable())
            interpreter = fi.absoluteFilePath();
        if (interpreter.isEmpty()) {
            if (error)
                *error = QStringLiteral("python3 not found (%1 is not an executable)").arg(fi.filePath());
            return {};
        }
    }
#endif
    // Debian's own python3 first (the setup installs it; a PATH shim such as pyenv's adds a shell script and
    // its start-up to every host), then whatever python3 PATH gives.
    if (interpreter.isEmpty())
        interpreter = QStandardPaths::findExecutable(QStringLiteral("python3"), { QStringLiteral("/usr/bin") });
    if (interpreter.isEmpty())
        interpreter = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (interpreter.isEmpty()) {
        if (error)
            *error = QStringLiteral("python3 not found in PATH (install python3, e.g. apt install python3)");
        return {};
    }
    const QStringList dirs = hostDirs();
    for (const QString &d : dirs) {
        const QFileInfo fi(d + QStringLiteral("/threadlab-pyhost.py"));
        if (fi.isFile() && fi.isReadable())
            return { interpreter, fi.canonicalFilePath() };
    }
    if (error)
        *error = QStringLiteral("threadlab-pyhost.py not found in %1 (it is installed with threadlab; reinstall it)")
                     .arg(dirs.join(u", "));
    return {};
}

QString ProcessSystem::hostExecutable(QString *error)
{
    // Only the host shipped with this very app: beside it in the build tree (app/threadlab-worker next to
    // app/threadlab), or <prefix>/libexec/threadlab/ once installed. Never PATH and never a guessed
    // sibling folder, so an app can never start some other build's host.
    const QStringList dirs = hostDirs();
    for (const QString &d : std::as_const(dirs)) {
        const QFileInfo fi(d + QStringLiteral("/threadlab-worker"));
        if (fi.isFile() && fi.isExecutable())
            return fi.canonicalFilePath();
    }
    if (error) {
        *error = dirs.isEmpty()
            ? QStringLiteral("threadlab-worker not found (no application directory to look in)")
            : QStringLiteral("threadlab-worker not found in %1 (it is installed with threadlab; reinstall it)")
                  .arg(dirs.join(u", "));
    }
    return {};
}

} // namespace threadlab
