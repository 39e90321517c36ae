// Backend::Concurrent: QtConcurrent::run with QPromise on the Lab's own QThreadPool; cancel, suspend, resume.
#pragma once

#include "threadworker.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

namespace threadlab {

/// The stop check is QPromise::isCanceled(); every check is also a suspension point (suspendIfRequested).
class ConcurrentStopContext : public StopContext
{
public:
    using StopContext::StopContext;
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override;
    void pausePoint() override;
    /// Set by the task when it starts running (before the workload sees the context).
    void setPromise(QPromise<void> *promise) { m_promise = promise; }
    void fireStopCallbacks() { m_callbacks.fire(); }

protected:
    bool stopRequested() override;

private:
    QPromise<void> *m_promise = nullptr;
    StopCallbackRegistry m_callbacks;
};

class ConcurrentWorker : public Worker
{
    Q_OBJECT
public:
    explicit ConcurrentWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QThreadPool *pool, QObject *parent = nullptr);
    ~ConcurrentWorker() override;
    Q_DISABLE_COPY_MOVE(ConcurrentWorker)

    bool hasEnded() const override;
    qint64 stepsDone() const override;
    qint64 cpuTimeNs() const override;

protected:
    void doStart() override;
    void doRequestStop() override;
    void doForceKill(StopMethod method) override;
    void doPause() override;
    void doResume() override;
    StopContext *stopContext() const override { return m_state->ctx.get(); }

private:
    struct RunState
    {
        std::unique_ptr<Workload> workload;
        std::shared_ptr<ConcurrentStopContext> ctx;
        RunRecord rec;
    };
    void handleFinished();

    std::shared_ptr<RunState> m_state;
    QThreadPool *m_pool;
    QFuture<void> m_future;
    QFutureWatcher<void> m_watcher;
    bool m_joined = false;
};

} // namespace threadlab
