// Cancellation helpers for the thread backends (see the contract in threadcancellation.h).
#include "threadcancellation.h"

#include <pthread.h>

namespace threadlab {

CancellationDisabledScope::CancellationDisabledScope()
{
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &m_old);
}

CancellationDisabledScope::~CancellationDisabledScope()
{
    int ignored = 0;
    pthread_setcancelstate(m_old, &ignored);
}

void disableThreadCancellation()
{
    int ignored = 0;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &ignored);
}

void enableCancellationAndTest(int *old)
{
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, old);
    pthread_testcancel();
}

void restoreCancellation(int old)
{
    int ignored = 0;
    pthread_setcancelstate(old, &ignored);
}

void ThreadStopContextBase::cancellationPoint()
{
    if (m_depth > 0) {
        pthread_testcancel(); // already enabled by an enclosing cancellable()
        return;
    }
    int old = 0;
    enableCancellationAndTest(&old);
    restoreCancellation(old);
}

void ThreadStopContextBase::enterCancellable()
{
    if (m_depth++ > 0) {
        pthread_testcancel();
        return;
    }
    enableCancellationAndTest(&m_saved);
}

void ThreadStopContextBase::leaveCancellable()
{
    if (--m_depth > 0)
        return;
    restoreCancellation(m_saved);
}

} // namespace threadlab
