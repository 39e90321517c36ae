// The worker host's process spawner: posix_spawn of the host in child mode, declared as Process resources.
#include "hostspawner.h"

#include "workloads/stopcontext.h"

#include <csignal>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace threadlab {

HostSpawner::HostSpawner(const Params &params, QByteArray selfExe, Notify notify)
    : m_children(int(params.value(QStringLiteral("children"), 2).toLongLong()))
    , m_propagate(params.value(QStringLiteral("propagate"), true).toBool())
    , m_setsid(params.value(QStringLiteral("setsid"), false).toBool())
    , m_stepMs(params.value(QStringLiteral("step_ms"), 10).toLongLong())
    , m_steps(params.value(QStringLiteral("steps"), 500).toLongLong())
    , m_selfExe(std::move(selfExe))
    , m_notify(std::move(notify))
{
}

qint64 HostSpawner::spawnChild(const QByteArray &selfExe, int lifetimeMs, bool escape)
{
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none); // the host blocks SIGTERM for its signalfd; children must not
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(
        &attr, short(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (escape ? POSIX_SPAWN_SETSID : 0)));
    QByteArray lifetime = QByteArray::number(lifetimeMs);
    char arg1[] = "--child";
    char *argv[] = { const_cast<char *>(selfExe.constData()), arg1, lifetime.data(), nullptr };
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, selfExe.constData(), nullptr, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? qint64(pid) : -1;
}

void HostSpawner::run(StopContext &ctx)
{
    std::vector<qint64> pids;
    for (int i = 0; i < m_children; ++i) {
        const qint64 pid = spawnChild(m_selfExe, 120'000, m_setsid);
        if (pid <= 0)
            continue;
        pids.push_back(pid);
        ctx.acquired(ResourceKind::Process, pid,
            m_setsid ? QStringLiteral("child process %1 (setsid: in a session of its own)").arg(pid)
                     : QStringLiteral("child process %1 (in the host's group)").arg(pid));
        if (m_notify)
            m_notify(true, pid);
    }
    // The spawner's own steps, as its parameters say (the in-process spawner does the same): the table shows
    // "done / steps", so a loop that ignored them showed "939 / 500" and never ended by itself.
    bool stopped = false;
    for (qint64 i = 0; i < m_steps; ++i) {
        if (ctx.shouldStop()) {
            stopped = true;
            break;
        }
        ctx.sleepNs(m_stepMs * 1'000'000);
        ctx.reportStep(i + 1);
    }
    if (stopped) {
        ctx.noticeStop();
        ctx.cleanupBegin();
    }
    if (m_propagate) {
        for (qint64 pid : pids)
            ::kill(pid_t(pid), SIGTERM);
        for (qint64 pid : pids) {
            int status = 0;
            ::waitpid(pid_t(pid), &status, 0);
            ctx.released(ResourceKind::Process, pid, QStringLiteral("child process %1").arg(pid));
            if (m_notify)
                m_notify(false, pid);
        }
    }
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
