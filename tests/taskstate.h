// Test helper: what the kernel says a thread of this process is doing, read from /proc/self/task/<tid>.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <initializer_list>
#include <sys/syscall.h>

namespace threadlab::testing {

/// The state letter of a thread of this process (R running, S sleeping, ...), or 0 if it does not exist.
inline char taskState(qint64 tid)
{
    QFile f(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray s = f.readAll();
    const qsizetype close = s.lastIndexOf(')'); // the name in parentheses may itself contain spaces
    return close >= 0 && close + 2 < s.size() ? s.at(close + 2) : 0;
}

/// The system call number a thread is inside, or -1 (running in user space, gone or unreadable).
inline long taskSyscall(qint64 tid)
{
    QFile f(QStringLiteral("/proc/self/task/%1/syscall").arg(tid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    bool ok = false;
    const long nr = f.readAll().split(' ').value(0).trimmed().toLong(&ok);
    return ok ? nr : -1;
}

/// True if the thread sleeps inside one of these system calls: positive evidence that it is blocked there,
/// so a test never has to guess with a sleep that "nothing happened".
inline bool taskBlockedIn(qint64 tid, std::initializer_list<long> calls)
{
    if (tid <= 0 || taskState(tid) != 'S')
        return false;
    const long nr = taskSyscall(tid);
    for (long c : calls)
        if (c == nr)
            return true;
    return false;
}

/// How many threads this process has right now.
inline int taskCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

} // namespace threadlab::testing
