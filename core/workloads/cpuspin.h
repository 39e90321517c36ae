// cpu-spin: busy work in steps of step_us, checking for a stop every check_every steps.
#pragma once

#include "workload.h"

namespace threadlab {

class CpuSpin : public Workload
{
public:
    explicit CpuSpin(const Params &params);
    static QString name() { return QStringLiteral("cpu-spin"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

    /// Burns CPU for about ns by busy-waiting on CLOCK_MONOTONIC (never a cancellation point).
    static void burnNs(qint64 ns);

private:
    qint64 m_stepUs;
    qint64 m_checkEvery;
    qint64 m_steps;
};

} // namespace threadlab
