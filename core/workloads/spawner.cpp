// spawner: starts child threads running child_workload; propagate decides whether a stop reaches them.
#include "spawner.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "stopcontext.h"
#include "threadcancellation.h"

#include <chrono>
#include <cxxabi.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

namespace threadlab {

namespace {

using ChildThread = LabResources::ChildThread;

/// wake=notify for a child: a small watcher thread polls the child's stop flag and calls wake once.
class PollingStopCallback : public StopCallback
{
public:
    PollingStopCallback(std::shared_ptr<ChildThread> child, std::function<void()> wake)
        : m_watcher([child = std::move(child), wake = std::move(wake)](std::stop_token token) {
            while (!token.stop_requested()) {
                if (child->stop.load(std::memory_order_acquire)) {
                    wake();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        })
    {
    }

private:
    std::jthread m_watcher; // its destructor requests stop and joins
};

/// The stop context of a child thread: its stop flag is ChildThread::stop, set by the spawner or the lab.
/// It never refers to the parent's context (which may be gone): it holds its own shares of the lab.
class ChildStopContext : public StopContext
{
public:
    ChildStopContext(int parentWorker, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        std::shared_ptr<ChildThread> child)
        : StopContext(parentWorker, std::move(log), std::move(lab))
        , m_child(std::move(child))
    {
    }
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override
    {
        return std::make_unique<PollingStopCallback>(m_child, std::move(wake));
    }

protected:
    bool stopRequested() override { return m_child->stop.load(std::memory_order_relaxed); }

private:
    std::shared_ptr<ChildThread> m_child;
};

THREADLAB_CATCHES_FORCED_UNWIND
void childMain(std::shared_ptr<LabResources> lab, std::shared_ptr<ChildThread> child, QString workload, Params params)
{
    struct DoneOnExit
    {
        ChildThread &child;
        ~DoneOnExit() { child.done.store(true, std::memory_order_release); }
    } doneOnExit { *child };
    child->tid.store(qint64(::gettid()), std::memory_order_release);
    try {
        // The child's own marks go to a small private log: they must not pollute the parent's timeline.
        ChildStopContext ctx(child->parentWorker, std::make_shared<EventLog>(4096), lab, child);
        ctx.attachToCurrentThread();
        if (auto w = WorkloadRegistry::create(workload, params))
            w->run(ctx);
    } catch (const abi::__forced_unwind &) {
        throw;
    } catch (...) {
        // A detached std::thread must not let an exception escape (std::terminate).
    }
}

} // namespace

Spawner::Spawner(const Params &params)
    : m_children(params.value(QStringLiteral("children")).toLongLong())
    , m_childWorkload(params.value(QStringLiteral("child_workload")).toString())
    , m_propagate(params.value(QStringLiteral("propagate")).toBool())
    , m_stepMs(params.value(QStringLiteral("step_ms")).toLongLong())
    , m_steps(params.value(QStringLiteral("steps")).toLongLong())
    , m_joinTimeoutMs(params.value(QStringLiteral("join_timeout_ms")).toLongLong())
{
    // Children run their workload with its own defaults.
    WorkloadRegistry::resolve(m_childWorkload, QVariantMap(), &m_childParams, nullptr);
}

WorkloadInfo Spawner::info()
{
    return { name(),
        QStringLiteral("starts child threads running child_workload; propagate=true passes the stop to them and "
                       "joins them, propagate=false leaves them running (orphans)"),
        QStringLiteral("its sleeps between steps and while joining children; the children are std::threads "
                       "that no force reaches"),
        {
            { QStringLiteral("children"), ParamType::Integer, QStringLiteral("child threads to start"), qint64(2), 1,
                64, {} },
            { QStringLiteral("child_workload"), ParamType::Workload,
                QStringLiteral("workload each child runs, with its defaults"), QStringLiteral("sleep-steps"), 0, 0,
                {} },
            { QStringLiteral("propagate"), ParamType::Boolean,
                QStringLiteral("pass the stop to the children and join them"), true, 0, 0, {} },
            { QStringLiteral("step_ms"), ParamType::Integer,
                QStringLiteral("the spawner's own sleep per step, in milliseconds"), qint64(10), 1, 60'000, {} },
            { QStringLiteral("steps"), ParamType::Integer,
                QStringLiteral("the spawner's own steps (the default runs about 5 s)"), qint64(500), 1, 100'000'000,
                {} },
            { QStringLiteral("join_timeout_ms"), ParamType::Integer,
                QStringLiteral("propagate=true: how long to wait for the children to end, in milliseconds"),
                qint64(2000), 1, 600'000, {} },
            { QStringLiteral("setsid"), ParamType::Boolean,
                QStringLiteral("process backend: each child process calls setsid(), leaving the host's group and "
                               "session (a group kill misses it; the app still finds and kills it)"),
                false, 0, 0, {} },
        } };
}

void Spawner::run(StopContext &ctx)
{
    LabResources &lab = ctx.lab();
    std::vector<std::shared_ptr<ChildThread>> children;
    for (qint64 i = 0; i < m_children; ++i) {
        auto child = lab.registerChild(ctx.workerId());
        try {
            std::thread(childMain, ctx.labPtr(), child, m_childWorkload, m_childParams).detach();
            children.push_back(child);
        } catch (const std::system_error &e) {
            child->done.store(true, std::memory_order_release);
            ctx.mark(EventKind::Note, i,
                QStringLiteral("could not start child thread: %1").arg(QString::fromLocal8Bit(e.what())));
        }
    }
    // Declare each child once it has said who it is (bounded wait, in sleeps: cancellation points).
    for (qsizetype i = 0; i < qsizetype(children.size()); ++i) {
        const auto &child = children[size_t(i)];
        const qint64 giveUp = monotonicNowNs() + 1'000'000'000;
        while (child->tid.load(std::memory_order_acquire) == 0 && monotonicNowNs() < giveUp)
            ctx.sleepNs(100'000);
        ctx.acquired(ResourceKind::Thread, child->tid.load(std::memory_order_acquire),
            QStringLiteral("child %1 running %2").arg(i + 1).arg(m_childWorkload));
    }

    bool stopped = false;
    for (qint64 i = 0; i < m_steps; ++i) {
        if (ctx.shouldStop()) {
            stopped = true;
            break;
        }
        ctx.pausePoint();
        ctx.setPhase(WorkerPhase::Sleeping);
        ctx.sleepNs(m_stepMs * 1'000'000);
        ctx.reportStep(i + 1);
    }
    if (stopped) {
        ctx.noticeStop();
        ctx.cleanupBegin();
    }
    if (m_propagate) {
        for (const auto &child : children)
            child->stop.store(true, std::memory_order_release);
        const qint64 giveUp = monotonicNowNs() + m_joinTimeoutMs * 1'000'000;
        const auto allDone = [&children] {
            for (const auto &child : children)
                if (!child->done.load(std::memory_order_acquire))
                    return false;
            return true;
        };
        while (!allDone() && monotonicNowNs() < giveUp)
            ctx.sleepNs(1'000'000);
        for (qsizetype i = 0; i < qsizetype(children.size()); ++i) {
            const auto &child = children[size_t(i)];
            const qint64 tid = child->tid.load(std::memory_order_acquire);
            if (child->done.load(std::memory_order_acquire))
                ctx.released(
                    ResourceKind::Thread, tid, QStringLiteral("child %1 running %2").arg(i + 1).arg(m_childWorkload));
            else
                ctx.mark(EventKind::Note, tid,
                    QStringLiteral("child thread tid %1 did not end within %2 ms").arg(tid).arg(m_joinTimeoutMs));
        }
    } else {
        ctx.mark(EventKind::Note, qint64(children.size()),
            QStringLiteral("%1 child thread(s) left running (propagate=false)").arg(children.size()));
    }
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
