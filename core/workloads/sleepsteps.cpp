// sleep-steps: sleeps step_ms per step (a cancellation point), checking for a stop between steps.
#include "sleepsteps.h"

#include "stopcontext.h"

namespace threadlab {

SleepSteps::SleepSteps(const Params &params)
    : m_stepMs(params.value(QStringLiteral("step_ms")).toLongLong())
    , m_steps(params.value(QStringLiteral("steps")).toLongLong())
{
}

WorkloadInfo SleepSteps::info()
{
    return { name(), QStringLiteral("sleeps step_ms per step, checking for a stop between steps"),
        QStringLiteral("every sleep (nanosleep), and the stop check once a kill is pending"),
        {
            { QStringLiteral("step_ms"), ParamType::Integer, QStringLiteral("sleep per step, in milliseconds"),
                qint64(10), 1, 60'000, {} },
            { QStringLiteral("steps"), ParamType::Integer,
                QStringLiteral("steps in total (the default runs about 10 s)"), qint64(1000), 1, 100'000'000, {} },
        } };
}

void SleepSteps::run(StopContext &ctx)
{
    for (qint64 i = 0; i < m_steps; ++i) {
        if (ctx.shouldStop()) {
            ctx.noticeStop();
            ctx.cleanupBegin();
            ctx.cleanupEnd();
            return;
        }
        ctx.pausePoint();
        ctx.setPhase(WorkerPhase::Sleeping);
        ctx.sleepNs(m_stepMs * 1'000'000);
        ctx.reportStep(i + 1);
    }
}

} // namespace threadlab
