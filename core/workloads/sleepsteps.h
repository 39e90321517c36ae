// sleep-steps: sleeps step_ms per step (a cancellation point), checking for a stop between steps.
#pragma once

#include "workload.h"

namespace threadlab {

class SleepSteps : public Workload
{
public:
    explicit SleepSteps(const Params &params);
    static QString name() { return QStringLiteral("sleep-steps"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    qint64 m_stepMs;
    qint64 m_steps;
};

} // namespace threadlab
