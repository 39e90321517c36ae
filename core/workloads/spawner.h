// spawner: starts child threads running child_workload; propagate decides whether a stop reaches them.
#pragma once

#include "workload.h"

namespace threadlab {

class Spawner : public Workload
{
public:
    explicit Spawner(const Params &params);
    static QString name() { return QStringLiteral("spawner"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    qint64 m_children;
    QString m_childWorkload;
    Params m_childParams;
    bool m_propagate;
    qint64 m_stepMs;
    qint64 m_steps;
    qint64 m_joinTimeoutMs;
};

} // namespace threadlab
