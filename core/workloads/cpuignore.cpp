// cpu-ignore: the same busy work as cpu-spin, never checking for a stop (the bug to recognise).
#include "cpuignore.h"

#include "base/clock.h"
#include "cpuspin.h"
#include "stopcontext.h"

namespace threadlab {

CpuIgnore::CpuIgnore(const Params &params)
    : m_stepUs(params.value(QStringLiteral("step_us")).toLongLong())
    , m_runMs(params.value(QStringLiteral("run_ms")).toLongLong())
{
}

WorkloadInfo CpuIgnore::info()
{
    return { name(), QStringLiteral("the same busy CPU work, never checking for a stop: only its end stops it"),
        QStringLiteral("none: it never checks and never blocks, so a terminate cannot land"),
        {
            { QStringLiteral("step_us"), ParamType::Integer, QStringLiteral("CPU time burnt per step, in microseconds"),
                qint64(100), 1, 100'000, {} },
            { QStringLiteral("run_ms"), ParamType::Integer,
                QStringLiteral("how long it runs, in milliseconds (at most 10 minutes)"), qint64(5000), 1, 600'000,
                {} },
        } };
}

void CpuIgnore::run(StopContext &ctx)
{
    // Deliberately no shouldStop(), no pausePoint(), no cancellable(): nothing can interrupt this loop.
    const qint64 stepNs = m_stepUs * 1000;
    const qint64 end = monotonicNowNs() + m_runMs * 1'000'000;
    qint64 steps = 0;
    while (monotonicNowNs() < end) {
        CpuSpin::burnNs(stepNs);
        ctx.reportStep(++steps);
    }
}

} // namespace threadlab
