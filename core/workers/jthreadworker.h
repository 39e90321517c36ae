// Backend::JThread: a C++20 std::jthread stopped by request_stop() on its std::stop_token.
#pragma once

#include "threadworker.h"

#include <stop_token>
#include <thread>

namespace threadlab {

/// The stop check is std::stop_token::stop_requested(); wake=notify callbacks are std::stop_callbacks.
class JThreadStopContext : public StopContext
{
public:
    using StopContext::StopContext;
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override;
    /// Set by the thread before the workload runs (the token of the jthread running it).
    void setToken(std::stop_token token) { m_token = std::move(token); }

protected:
    bool stopRequested() override { return m_token.stop_requested(); }

private:
    std::stop_token m_token;
};

class JThreadWorker : public Worker
{
    Q_OBJECT
public:
    explicit JThreadWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QObject *parent = nullptr);
    ~JThreadWorker() override;
    Q_DISABLE_COPY_MOVE(JThreadWorker)

    bool hasEnded() const override;
    qint64 stepsDone() const override;
    qint64 cpuTimeNs() const override;

protected:
    void doStart() override;
    void doRequestStop() override;
    void doForceKill(StopMethod method) override;
    StopContext *stopContext() const override { return m_state->ctx.get(); }

private:
    struct RunState
    {
        std::unique_ptr<Workload> workload;
        std::shared_ptr<JThreadStopContext> ctx;
        RunRecord rec;
        std::atomic<bool> done { false }; ///< the thread's last act is done; join is immediate
    };
    void handleThreadDone();

    std::shared_ptr<RunState> m_state;
    std::jthread m_thread;
    bool m_joined = false;
};

} // namespace threadlab
