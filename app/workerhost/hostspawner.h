// The process flavour of `spawner` inside the worker host: its children are processes in the host's group.
#pragma once

#include "workloads/workload.h"

#include <QString>
#include <functional>
#include <vector>

namespace threadlab {

/// Starts `children` child processes (the host re-executed in child mode); they inherit the host's process
/// group, so SIGKILL to the host alone orphans them and SIGKILL to the group does not. propagate=true stops
/// and reaps them on a graceful stop; propagate=false leaves them running (a leak the app reports). setsid=true
/// puts each child in a session (and group) of its own: a group kill misses it, the app's process tree does not.
class HostSpawner final : public Workload
{
public:
    using Notify = std::function<void(bool acquired, qint64 pid)>;
    HostSpawner(const Params &params, QByteArray selfExe, Notify notify);
    void run(StopContext &ctx) override;

    /// Starts one child of this executable in child mode with the given signal mask cleared, in a session of
    /// its own if escape (setsid()); -1 on error.
    static qint64 spawnChild(const QByteArray &selfExe, int lifetimeMs, bool escape = false);

private:
    int m_children = 2;
    bool m_propagate = true;
    bool m_setsid = false;
    qint64 m_stepMs = 10;
    qint64 m_steps = 500;
    QByteArray m_selfExe;
    Notify m_notify;
};

} // namespace threadlab
