// robust-mutex (worker host only): a process-shared mutex whose owner process dies holding it.
#include "robustmutex.h"

#include "base/clock.h"
#include "stopcontext.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace threadlab {

RobustMutex::RobustMutex(const Params &params)
    : m_robust(params.value(QStringLiteral("robust")).toBool())
    , m_waitMs(params.value(QStringLiteral("wait_ms")).toLongLong())
{
}

WorkloadInfo RobustMutex::info()
{
    return { name(),
        QStringLiteral("a child process locks a process-shared mutex and exits holding it; the host then locks it "
                       "with a deadline: robust=true gets EOWNERDEAD, robust=false waits in vain (ETIMEDOUT)"),
        QStringLiteral("none (worker host only)"),
        {
            { QStringLiteral("robust"), ParamType::Boolean,
                QStringLiteral("PTHREAD_MUTEX_ROBUST: the next locker learns that the owner died"), true, 0, 0, {} },
            { QStringLiteral("wait_ms"), ParamType::Integer,
                QStringLiteral("how long the host waits for the lock, in milliseconds"), qint64(1000), 1, 60'000, {} },
        },
        true };
}

void RobustMutex::run(StopContext &ctx)
{
    void *memory = ::mmap(nullptr, sizeof(pthread_mutex_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        ctx.mark(
            EventKind::Note, errno, QStringLiteral("mmap failed: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        return;
    }
    auto *mutex = static_cast<pthread_mutex_t *>(memory);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    if (m_robust)
        pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(mutex, &attr);
    pthread_mutexattr_destroy(&attr);

    const pid_t child = ::fork();
    if (child == 0) {
        // The owner: takes the lock and dies holding it (as a killed process would).
        pthread_mutex_lock(mutex);
        ::_exit(0);
    }
    if (child < 0) {
        ctx.mark(
            EventKind::Note, errno, QStringLiteral("fork failed: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        ::munmap(memory, sizeof(pthread_mutex_t));
        return;
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    ctx.mark(
        EventKind::Note, child, QStringLiteral("child %1 took the lock and exited without unlocking it").arg(child));
    ctx.reportStep(1);

    timespec deadline {};
    ::clock_gettime(CLOCK_REALTIME, &deadline);
    const qint64 end = qint64(deadline.tv_sec) * 1'000'000'000 + deadline.tv_nsec + m_waitMs * 1'000'000;
    deadline.tv_sec = time_t(end / 1'000'000'000);
    deadline.tv_nsec = long(end % 1'000'000'000);
    const qint64 t0 = monotonicNowNs();
    ctx.setPhase(WorkerPhase::WaitingForLock);
    const int rc = pthread_mutex_timedlock(mutex, &deadline);
    const qint64 waited = (monotonicNowNs() - t0) / 1'000'000;
    if (rc == EOWNERDEAD) {
        ctx.mark(EventKind::Note, waited,
            QStringLiteral("EOWNERDEAD after %1 ms: the owner died holding the lock (the data it guarded may be "
                           "half-updated); pthread_mutex_consistent() makes the lock usable again")
                .arg(waited));
        pthread_mutex_consistent(mutex);
        pthread_mutex_unlock(mutex);
    } else if (rc == ETIMEDOUT) {
        ctx.mark(EventKind::Note, waited,
            QStringLiteral("ETIMEDOUT after %1 ms: a plain process-shared mutex whose owner died stays locked for "
                           "ever")
                .arg(waited));
    } else if (rc == 0) {
        ctx.mark(EventKind::Note, waited, QStringLiteral("locked after %1 ms").arg(waited));
        pthread_mutex_unlock(mutex);
    } else {
        ctx.mark(EventKind::Note, rc,
            QStringLiteral("pthread_mutex_timedlock failed: %1").arg(QString::fromLocal8Bit(strerror(rc))));
    }
    ctx.setPhase(WorkerPhase::Working);
    ctx.reportStep(2);
    ::munmap(memory, sizeof(pthread_mutex_t));
}

} // namespace threadlab
