// timer-loop: an event loop (QEventLoop + QTimer) doing one step per tick: what only quit()/exit() ends.
#pragma once

#include "workload.h"

namespace threadlab {

/// The worker of a classic event-driven QThread: its work is timer events in an event loop, not a loop of
/// its own. requestInterruption() sets a flag nobody reads while the loop waits for its next event; a
/// QThread::quit()/exit() (the eventloop backend's stop) ends every event loop of the thread. check=true
/// makes each tick read isInterruptionRequested() (through the stop check) and leave the loop itself.
class TimerLoop : public Workload
{
public:
    explicit TimerLoop(const Params &params);
    static QString name() { return QStringLiteral("timer-loop"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    qint64 m_stepMs;
    qint64 m_steps;
    bool m_check;
};

} // namespace threadlab
