// lock-holder: each step takes the shared lab mutex, works hold_ms inside it and releases it.
#pragma once

#include "workload.h"

#include <QMutex>
#include <memory>

namespace threadlab {

class LockHolder : public Workload
{
public:
    explicit LockHolder(const Params &params);
    static QString name() { return QStringLiteral("lock-holder"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    static std::shared_ptr<QMutex> acquire(StopContext &ctx, int *generation);

    qint64 m_steps;
    qint64 m_holdMs;
    qint64 m_gapMs;
    bool m_raii;
    bool m_invariant;
};

} // namespace threadlab
