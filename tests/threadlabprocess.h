// Test helper: runs the real `threadlab` binary with arguments and collects its exit code and output.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

struct ThreadlabResult
{
    int exitCode = -1; ///< -1: did not start, timed out or crashed
    QByteArray out;
    QByteArray err;
};

inline ThreadlabResult runThreadlabBinary(const QString &binary, const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(binary, args);
    ThreadlabResult r;
    if (!p.waitForStarted(10'000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}
