// /proc scans (process groups, CPU time, unreaped children), signal names and the host's location.
#include "processsystem.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <csignal>
#include <cstring>
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
bool readStat(qint64 pid, StatFields *out)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray s = f.readAll();
    const qsizetype close = s.lastIndexOf(')');
    if (close < 0)
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

QString ProcessSystem::hostExecutable(QString *error)
{
    // Only the host shipped with this very app: beside it in the build tree (app/threadlab-worker next to
    // app/threadlab), or <prefix>/libexec/threadlab/ once installed. Never PATH and never a guessed
    // sibling folder, so an app can never start some other build's host.
    QStringList dirs;
#ifdef THREADLAB_TEST_HOOKS
    // Test builds only: test executables live in tests/, away from the app, and point here at app/.
    const QString testDir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    if (!testDir.isEmpty())
        dirs << testDir;
#endif
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        // Installed layout first: an installed app never runs a stray threadlab-worker dropped into bin/.
        dirs << QDir::cleanPath(appDir + QStringLiteral("/" THREADLAB_HOST_DIR_FROM_BIN)) << appDir;
    }
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
