// slow-cleanup: sleep-steps that, once stopped, takes cleanup_ms to clean up.
#pragma once

#include "workload.h"

namespace threadlab {

class SlowCleanup : public Workload
{
public:
    explicit SlowCleanup(const Params &params);
    static QString name() { return QStringLiteral("slow-cleanup"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    qint64 m_stepMs;
    qint64 m_steps;
    qint64 m_cleanupMs;
};

} // namespace threadlab
