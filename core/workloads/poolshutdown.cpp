// pool-shutdown: a QThreadPool of its own with queued tasks; on a stop, clear() the queue or wait for all of it.
#include "poolshutdown.h"

#include "stopcontext.h"

#include <QThread>
#include <QThreadPool>
#include <atomic>

namespace threadlab {

namespace {
constexpr int WaitSliceMs = 10;
}

PoolShutdown::PoolShutdown(const Params &params)
    : m_clear(params.value(QStringLiteral("clear")).toBool())
    , m_tasks(params.value(QStringLiteral("tasks")).toLongLong())
    , m_taskMs(params.value(QStringLiteral("task_ms")).toLongLong())
    , m_threads(params.value(QStringLiteral("threads")).toLongLong())
{
}

WorkloadInfo PoolShutdown::info()
{
    return { name(),
        QStringLiteral("queues tasks on a QThreadPool of its own; on a stop it clear()s the queue (clear=true) or "
                       "not, then waitForDone(): running tasks always finish; steps are the tasks finished"),
        QStringLiteral("between its waits for the pool (the pool's tasks run on the pool's threads)"),
        {
            { QStringLiteral("clear"), ParamType::Boolean,
                QStringLiteral("on a stop, QThreadPool::clear() removes the queued tasks before waitForDone()"), false,
                0, 0, {} },
            { QStringLiteral("tasks"), ParamType::Integer, QStringLiteral("tasks queued at the start"), qint64(12), 1,
                10'000, {} },
            { QStringLiteral("task_ms"), ParamType::Integer,
                QStringLiteral("how long each task works, in milliseconds"), qint64(300), 1, 60'000, {} },
            { QStringLiteral("threads"), ParamType::Integer, QStringLiteral("the pool's maxThreadCount"), qint64(2), 1,
                64, {} },
        } };
}

void PoolShutdown::run(StopContext &ctx)
{
    std::atomic<qint64> started { 0 };
    std::atomic<qint64> finished { 0 };
    bool stopped = false;
    {
        // Its own pool, never the global one (~QCoreApplication waits on that without a timeout).
        QThreadPool pool;
        pool.setMaxThreadCount(int(m_threads));
        const unsigned long taskMs = static_cast<unsigned long>(m_taskMs);
        for (qint64 i = 0; i < m_tasks; ++i)
            pool.start([&started, &finished, taskMs] {
                started.fetch_add(1);
                QThread::msleep(taskMs);
                finished.fetch_add(1);
            });
        for (ctx.setPhase(WorkerPhase::Blocked); !pool.waitForDone(WaitSliceMs); ctx.setPhase(WorkerPhase::Blocked)) {
            ctx.reportStep(finished.load());
            if (ctx.shouldStop()) {
                stopped = true;
                break;
            }
        }
        if (stopped) {
            ctx.noticeStop();
            ctx.cleanupBegin();
            if (m_clear)
                pool.clear();
            pool.waitForDone(); // bounded: every task ends after task_ms
            const qint64 skipped = m_tasks - started.load();
            ctx.mark(EventKind::Note, skipped,
                m_clear ? QStringLiteral("clear() removed %1 queued tasks; waitForDone() waited only for the running "
                                         "ones")
                              .arg(skipped)
                        : QStringLiteral("waitForDone() without clear() ran every queued task to the end"));
        }
    }
    ctx.reportStep(finished.load());
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
