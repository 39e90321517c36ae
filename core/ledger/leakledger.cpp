// Probes what a finished worker left behind against the real system (locks, fds, files, threads, memory).
#include "leakledger.h"

#include <cstring>

#include "labresources.h"
#include "recordfile.h"
#include "temproot.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThread>
#include <sys/stat.h>
#include <unistd.h>

namespace threadlab {

namespace {

QString readLink(const QByteArray &path)
{
    char buf[4096];
    const ssize_t n = ::readlink(path.constData(), buf, sizeof buf);
    return n > 0 ? QString::fromUtf8(buf, n) : QString();
}

/// Is the mapping still there? By its memfd name if it has one (exact), else by its address.
bool mappingExists(quintptr address, const QString &what)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return false;
    // Each line: "start-end perms offset dev inode path"; read to the end (the file is generated).
    const QByteArray all = maps.readAll();
    const qsizetype memfd = what.indexOf(QStringLiteral("memfd:"));
    if (memfd >= 0) {
        const QByteArray name = "/" + what.mid(memfd).section(QLatin1Char(' '), 0, 0).toUtf8() + " ";
        return all.contains(name);
    }
    const QList<QByteArray> lines = all.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype dash = line.indexOf('-');
        const qsizetype space = line.indexOf(' ');
        if (dash <= 0 || space <= dash)
            continue;
        bool ok1 = false;
        bool ok2 = false;
        const quintptr start = line.left(dash).toULongLong(&ok1, 16);
        const quintptr end = line.mid(dash + 1, space - dash - 1).toULongLong(&ok2, 16);
        if (ok1 && ok2 && address >= start && address < end)
            return true;
    }
    return false;
}

/// The process state letter from /proc/<pid>/stat ('Z' zombie), or 0 if it does not exist.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren >= 0 && paren + 2 < text.size() ? text.at(paren + 2) : 0;
}

} // namespace

namespace {
constexpr int ProcessSettleMs = 200;

std::function<bool(qint64)> &dyingCheck()
{
    static std::function<bool(qint64)> check;
    return check;
}
} // namespace

void LeakLedger::setDyingCheck(std::function<bool(qint64 pid)> check)
{
    dyingCheck() = std::move(check);
}

const char HostProvenLeakPrefix[] = "host-proven leak: ";

LeakList LeakLedger::probe(
    const EventList &workerEvents, const LabResources &lab, int lockProbeMs, const QString &fileDir)
{
    const QString allowedDir = fileDir.isEmpty() ? lab.labDir() : fileDir;
    LeakList leaks;
    QSet<QString> seen;
    qint64 workerTid = 0; // the thread that ran the workload (the value of its started event)
    for (const Event &e : workerEvents)
        if (e.kind == EventKind::Started && e.value > 0)
            workerTid = e.value;
    for (const Event &e : workerEvents) {
        if (e.kind == EventKind::Note && e.detail.startsWith(QLatin1StringView(HostProvenLeakPrefix))) {
            // A worker host probed what only it can reach (its own lock) after the workload ended and
            // reported the failed probe: that probe is the evidence, as a tryLock is in the app.
            const QString rest = e.detail.mid(qsizetype(std::strlen(HostProvenLeakPrefix)));
            leaks << Leak { rest.section(QStringLiteral(": "), 0, 0), rest.section(QStringLiteral(": "), 1),
                QStringLiteral("the next user of it in the host waits for ever; only the end of the host process "
                               "frees it") };
            continue;
        }
        if (e.kind != EventKind::Resource)
            continue;
        const qsizetype space = e.detail.indexOf(QLatin1Char(' '));
        const QString kind = space < 0 ? e.detail : e.detail.left(space);
        const QString what = space < 0 ? QString() : e.detail.mid(space + 1);
        const QString key = kind + QLatin1Char(':') + QString::number(e.value) + QLatin1Char(':') + what;
        if (seen.contains(key))
            continue;
        seen.insert(key);

        if (kind == toString(ResourceKind::Lock)) {
            const auto mutex = lab.labMutex(int(e.value));
            if (!mutex)
                continue;
            if (mutex->tryLock(lockProbeMs)) {
                mutex->unlock();
                continue;
            }
            // Held by someone: blame this worker only if its own thread is the recorded holder (a lock
            // legitimately held by another running worker, or leaked by another, is not this one's leak).
            const qint64 holder = lab.labMutexHolder(int(e.value));
            if (holder != 0 && workerTid != 0 && holder != workerTid)
                continue;
            leaks << Leak { kind,
                QStringLiteral("lab mutex (generation %1) still locked: tryLock(%2 ms) failed")
                    .arg(e.value)
                    .arg(lockProbeMs),
                QStringLiteral("the next worker that needs the lock waits forever; use Recover lab") };
        } else if (kind == toString(ResourceKind::Fd)) {
            const QString target = readLink("/proc/self/fd/" + QByteArray::number(e.value));
            if (target.isEmpty() || target != what.section(QStringLiteral(" ("), 0, 0))
                continue;
            leaks << Leak { kind, QStringLiteral("fd %1 still open (%2)").arg(e.value).arg(target),
                QStringLiteral("the descriptor stays open until the application exits; enough of these "
                               "and every open() fails with EMFILE") };
        } else if (kind == toString(ResourceKind::File)) {
            // Only inside the worker's own lab directory: a path named elsewhere is never opened (it could be a
            // FIFO, a device or someone else's file).
            if (!TempRoot::isInside(what, allowedDir)) {
                leaks << Leak { kind,
                    QStringLiteral("file %1 is outside the %2 lab dir: not read")
                        .arg(what, fileDir.isEmpty() ? QStringLiteral("worker's") : QStringLiteral("host's")),
                    QStringLiteral("a worker's temporary files belong in its lab directory (%1); nothing outside "
                                   "it is probed or removed")
                        .arg(allowedDir) };
                continue;
            }
            struct stat st
            {
            };
            if (::lstat(QFile::encodeName(what).constData(), &st) != 0)
                continue;
            if (!S_ISREG(st.st_mode)) {
                leaks << Leak { kind,
                    QStringLiteral("%1 left in the lab dir is not a regular file: not read").arg(what),
                    QStringLiteral("it is removed with the lab directory") };
                continue;
            }
            const RecordFile::Scan scan = RecordFile::scan(what);
            leaks << Leak { kind,
                QStringLiteral("temporary file %1 left on disk (%2)").arg(what, RecordFile::describe(scan)),
                scan.halfWritten ? QStringLiteral("the file was never committed and ends in a half-written "
                                                  "record: a reader trusting it would read garbage")
                                 : QStringLiteral("the file was never committed or removed: it wastes disk "
                                                  "and may be mistaken for real output") };
        } else if (kind == toString(ResourceKind::Thread)) {
            if (e.value <= 0 || !QFileInfo::exists(QStringLiteral("/proc/self/task/%1").arg(e.value)))
                continue;
            bool running = false;
            for (const auto &child : lab.liveChildren())
                if (child->tid.load(std::memory_order_acquire) == e.value)
                    running = true;
            if (!running)
                continue;
            leaks << Leak { kind, QStringLiteral("child thread tid %1 still running").arg(e.value),
                QStringLiteral("nobody stopped or joined it: it keeps running (and using CPU and memory) "
                               "after its parent ended; use Recover lab") };
        } else if (kind == toString(ResourceKind::Memory)) {
            if (e.value == 0 || !mappingExists(quintptr(e.value), what))
                continue;
            leaks << Leak { kind, QStringLiteral("%1 still mapped").arg(what.section(QStringLiteral(" memfd:"), 0, 0)),
                QStringLiteral("the memory is never freed: each such run makes the application bigger") };
        } else if (kind == toString(ResourceKind::Process)) {
            // A group kill reaches the children at once, but they take a moment to die after their parent
            // was reaped: give them that moment before calling them orphans.
            const auto running = [pid = e.value] {
                const char state = processState(pid);
                return state != 0 && state != 'Z' && state != 'X' && !(dyingCheck() && dyingCheck()(pid));
            };
            const QDeadlineTimer settle(ProcessSettleMs);
            while (running() && !settle.hasExpired())
                QThread::msleep(2);
            if (!running())
                continue;
            leaks << Leak { kind, QStringLiteral("process %1 still running (orphan)").arg(e.value),
                QStringLiteral("the process outlived its worker: it keeps running until someone kills it "
                               "(kill its process group)") };
        }
    }
    return leaks;
}

} // namespace threadlab
