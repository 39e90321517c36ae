// timer-loop: an event loop (QEventLoop + QTimer) doing one step per tick: what only quit()/exit() ends.
#include "timerloop.h"

#include "stopcontext.h"

#include <QEventLoop>
#include <QTimer>

namespace threadlab {

TimerLoop::TimerLoop(const Params &params)
    : m_stepMs(params.value(QStringLiteral("step_ms")).toLongLong())
    , m_steps(params.value(QStringLiteral("steps")).toLongLong())
    , m_check(params.value(QStringLiteral("check")).toBool())
{
}

WorkloadInfo TimerLoop::info()
{
    return { name(),
        QStringLiteral("an event loop with a timer: one step per tick of step_ms; quit()/exit() of its thread ends "
                       "the loop, a requestInterruption() is read only with check=true"),
        QStringLiteral("none: the loop waits in poll() with cancellation disabled, and the tick checks only with "
                       "check=true"),
        {
            { QStringLiteral("step_ms"), ParamType::Integer,
                QStringLiteral("timer interval (one step per tick), in ms"), qint64(50), 1, 60'000, {} },
            { QStringLiteral("steps"), ParamType::Integer,
                QStringLiteral("ticks in total, after which the loop quits itself"), qint64(200), 1, 100'000'000, {} },
            { QStringLiteral("check"), ParamType::Boolean,
                QStringLiteral("each tick checks for a stop request (isInterruptionRequested() on the thread backends) "
                               "and quits the loop itself"),
                false, 0, 0, {} },
        } };
}

void TimerLoop::run(StopContext &ctx)
{
    // The loop is this thread's event loop (the thread backend has no other; on the eventloop backend the work
    // slot runs it inside exec()): QThread::quit()/exit() exits every event loop of the thread, this one too.
    QEventLoop loop;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(int(m_stepMs));
    qint64 ticks = 0;
    bool lastTick = false;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        if (m_check && ctx.shouldStop()) {
            ctx.noticeStop();
            ctx.mark(EventKind::Note, ticks, QStringLiteral("a tick read the stop request and quit the loop"));
            loop.quit();
            return;
        }
        ctx.reportStep(++ticks);
        if (ticks >= m_steps) {
            lastTick = true;
            ctx.mark(EventKind::Note, ticks, QStringLiteral("the last tick: the loop quit itself"));
            loop.quit();
        }
    });
    timer.start();
    ctx.mark(EventKind::Note, 0, QStringLiteral("exec(): the event loop waits for its timer"));
    loop.exec();
    timer.stop();
    if (lastTick)
        return;
    // Left before the last tick and not by a tick of its own: quit()/exit() ended the loop. The code after exec()
    // is where such a worker sees the stop.
    if (!ctx.stopNoticed()) {
        ctx.noticeStop();
        ctx.mark(EventKind::Note, ticks, QStringLiteral("exec() returned before the last tick: quit() ended the loop"));
    }
}

} // namespace threadlab
