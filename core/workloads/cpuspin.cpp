// cpu-spin: busy work in steps of step_us, checking for a stop every check_every steps.
#include "cpuspin.h"

#include "base/clock.h"
#include "stopcontext.h"

namespace threadlab {

CpuSpin::CpuSpin(const Params &params)
    : m_stepUs(params.value(QStringLiteral("step_us")).toLongLong())
    , m_checkEvery(params.value(QStringLiteral("check_every")).toLongLong())
    , m_steps(params.value(QStringLiteral("steps")).toLongLong())
{
}

WorkloadInfo CpuSpin::info()
{
    return { name(), QStringLiteral("busy CPU work in steps of step_us, checking for a stop every check_every steps"),
        QStringLiteral("only the stop check (shouldStop) once a kill is pending; the busy work itself has none"),
        {
            { QStringLiteral("step_us"), ParamType::Integer, QStringLiteral("CPU time burnt per step, in microseconds"),
                qint64(100), 1, 100'000, {} },
            { QStringLiteral("check_every"), ParamType::Integer, QStringLiteral("steps between two stop checks"),
                qint64(1), 1, 1'000'000, {} },
            { QStringLiteral("steps"), ParamType::Integer,
                QStringLiteral("steps in total (the default runs about 10 s)"), qint64(100'000), 1, 1'000'000'000, {} },
        } };
}

void CpuSpin::burnNs(qint64 ns)
{
    const qint64 end = monotonicNowNs() + ns;
    while (monotonicNowNs() < end) { }
}

void CpuSpin::run(StopContext &ctx)
{
    const qint64 stepNs = m_stepUs * 1000;
    for (qint64 i = 0; i < m_steps; ++i) {
        if (i % m_checkEvery == 0) {
            if (ctx.shouldStop()) {
                ctx.noticeStop();
                ctx.cleanupBegin();
                ctx.cleanupEnd();
                return;
            }
            ctx.pausePoint();
        }
        ctx.setPhase(WorkerPhase::Working);
        burnNs(stepNs);
        ctx.reportStep(i + 1);
    }
}

} // namespace threadlab
