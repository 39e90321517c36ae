// slow-cleanup: sleep-steps that, once stopped, takes cleanup_ms to clean up.
#include "slowcleanup.h"

#include "stopcontext.h"

#include <algorithm>

namespace threadlab {

namespace {
constexpr qint64 CleanupSliceMs = 10;
}

SlowCleanup::SlowCleanup(const Params &params)
    : m_stepMs(params.value(QStringLiteral("step_ms")).toLongLong())
    , m_steps(params.value(QStringLiteral("steps")).toLongLong())
    , m_cleanupMs(params.value(QStringLiteral("cleanup_ms")).toLongLong())
{
}

WorkloadInfo SlowCleanup::info()
{
    return { name(), QStringLiteral("honours a stop, then takes cleanup_ms to clean up"),
        QStringLiteral("every sleep, including the clean-up slices, and the stop check once a kill is pending"),
        {
            { QStringLiteral("step_ms"), ParamType::Integer, QStringLiteral("sleep per step, in milliseconds"),
                qint64(10), 1, 60'000, {} },
            { QStringLiteral("steps"), ParamType::Integer,
                QStringLiteral("steps in total (the default runs about 10 s)"), qint64(1000), 1, 100'000'000, {} },
            { QStringLiteral("cleanup_ms"), ParamType::Integer,
                QStringLiteral("time the clean-up takes after a stop, in milliseconds"), qint64(1000), 0, 600'000, {} },
        } };
}

void SlowCleanup::run(StopContext &ctx)
{
    for (qint64 i = 0; i < m_steps; ++i) {
        if (ctx.shouldStop()) {
            ctx.noticeStop();
            ctx.cleanupBegin();
            for (qint64 left = m_cleanupMs; left > 0; left -= CleanupSliceMs)
                ctx.sleepNs(std::min(left, CleanupSliceMs) * 1'000'000);
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
