// Cancellation helpers for the thread backends: where a QThread::terminate() (pthread_cancel) can land.
#pragma once

#include "stopcontext.h"

/// On a function whose try block has `catch (abi::__forced_unwind &) { throw; }`: glibc's forced-unwind
/// exception has no object, so binding that reference makes UBSan's null check report a false error (the
/// reference is never used; the handler only rethrows).
#define THREADLAB_CATCHES_FORCED_UNWIND __attribute__((no_sanitize("null")))

namespace threadlab {

// Where a terminate can land: the contract between the workers, the workloads and the engine.
//
// QThread::terminate() is pthread_cancel() with the default DEFERRED type: it acts only when the target
// thread reaches a cancellation point (nanosleep, poll, read, write, close, pthread_cond_wait,
// pthread_testcancel, ...) while cancellation is ENABLED; it then unwinds the stack (glibc forced unwind,
// abi::__forced_unwind), running C++ destructors. The dangerous cases are a cancel that fires in the
// middle of a destructor in normal flow (noexcept: std::terminate, the process aborts), a catch (...)
// that swallows the unwind (glibc: "FATAL: exception not rethrown"), and a pending cancel that fires
// after run() returns, inside Qt's own finish().
//
// So the thread backends run the workload with cancellation DISABLED (disableThreadCancellation() at the
// top of run(), or CancellationDisabledScope), and enable it only:
//  1. inside StopContext::cancellable(f): enterCancellable() enables it and tests once, f runs its
//     blocking call (a real cancellation point), leaveCancellable() disables it again without a test.
//     Workloads put only the blocking call itself in there, never an object whose destructor can reach a
//     cancellation point in normal flow (an fd closer lives outside the scope);
//  2. at StopContext::shouldStop() once the owner has called setKillPending(): cancellationPoint() is
//     enable; pthread_testcancel(); disable.
// Everywhere else (destructors, the engine's bookkeeping, the code after the workload returned) a
// pending cancel stays pending and harmless; run() keeps it disabled until it returns, so the cancel never
// lands in QThread's finish(). Busy code with no cancellation point (cpu-ignore) cannot be terminated.
// Nothing here catches abi::__forced_unwind; code that must catch (...) rethrows it first.
// Once a cancel has been acted upon glibc ignores further cancellation points, so the destructors that
// run during the forced unwind are safe.

/// RAII: disables pthread cancellation for its lifetime (no test on the way out), restores the old state.
class CancellationDisabledScope
{
public:
    CancellationDisabledScope();
    ~CancellationDisabledScope();
    Q_DISABLE_COPY_MOVE(CancellationDisabledScope)

private:
    int m_old = 0;
};

/// Disables cancellation of the calling thread (call first thing in run()); never a cancellation point.
void disableThreadCancellation();
/// Enables cancellation (old state stored in *old) and lets a pending cancel land now (pthread_testcancel).
void enableCancellationAndTest(int *old);
/// Restores the state saved by enableCancellationAndTest(), without a test.
void restoreCancellation(int old);

/// StopContext base for the thread backends (thread, eventloop): implements the cancellation points;
/// subclasses add only stopRequested() and onStopRequested(). Its methods run on the worker's thread.
class ThreadStopContextBase : public StopContext
{
public:
    using StopContext::StopContext;

protected:
    void cancellationPoint() override;
    void enterCancellable() override;
    void leaveCancellable() override;

private:
    int m_depth = 0; ///< nesting of cancellable() (only touched by the worker's thread)
    int m_saved = 0; ///< cancel state before the outermost cancellable()
};

} // namespace threadlab
