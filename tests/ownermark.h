// Test helper: the live processes carrying an app's owner mark (THREADLAB_OWNER=<app pid>:<host id>).
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QStringList>

/// Live processes (zombies have no environment left) whose environment carries the owner mark of app pid.
inline QList<qint64> markedProcesses(qint64 appPid)
{
    QList<qint64> out;
    const QByteArray mark = "THREADLAB_OWNER=" + QByteArray::number(appPid) + ':';
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/environ").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &entry : f.readAll().split('\0'))
            if (entry.startsWith(mark))
                out << pid;
    }
    return out;
}
