// The kernel-state sampler: a bounded /proc sweep at a modest rate, recording only changes.
#include "kernelsampler.h"

#include "base/clock.h"
#include "events/eventlog.h"

#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace threadlab {

namespace {
constexpr int DefaultIntervalMs = 50; // 20 Hz: fine enough to see a 10 ms sleep pattern, cheap for 500 threads
constexpr int SweepWaitMs = 1000;
/// A sweep may take at most this share of one core: with many threads (a sweep of 500 takes a few ms) the ticks
/// space out so that sweeping never costs more than 1/DutyDivisor of a CPU.
constexpr qint64 DutyDivisor = 20;
} // namespace

struct KernelSampler::Shared
{
    QHash<int, char> last; ///< the last letter recorded per worker
    std::atomic<qint64> sweeps { 0 };
    std::atomic<qint64> totalNs { 0 };
    std::atomic<qint64> lastNs { 0 }; ///< the duration of the last sweep
};

KernelSampler::KernelSampler(std::shared_ptr<EventLog> log, QObject *parent)
    : QObject(parent)
    , m_log(std::move(log))
    , m_shared(std::make_shared<Shared>())
{
    m_pool.setMaxThreadCount(1);
    m_timer.setInterval(DefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &KernelSampler::handleTick);
}

KernelSampler::~KernelSampler()
{
    m_timer.stop();
    // A sweep reads a few small /proc files; it ends quickly. The pool is ours, so ~QThreadPool waits only on it.
    m_pool.waitForDone(SweepWaitMs);
}

void KernelSampler::watch(int workerId, qint64 pid, qint64 tid)
{
    if (pid <= 0 || tid <= 0)
        return;
    m_targets.insert(workerId, { pid, tid });
    if (!m_timer.isActive())
        m_timer.start();
    handleTick(); // the first sample right away: a short worker is seen at least once
}

void KernelSampler::unwatch(int workerId)
{
    m_targets.remove(workerId);
    if (m_targets.isEmpty())
        m_timer.stop();
}

qint64 KernelSampler::meanSweepNs() const
{
    const qint64 n = m_shared->sweeps.load();
    return n > 0 ? m_shared->totalNs.load() / n : 0;
}

KernelState KernelSampler::readState(qint64 pid, qint64 tid)
{
    char path[64];
    std::snprintf(
        path, sizeof path, "/proc/%lld/task/%lld/stat", static_cast<long long>(pid), static_cast<long long>(tid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return KernelState::Unknown;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return KernelState::Unknown;
    buf[n] = '\0';
    // "tid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
    const char *close = std::strrchr(buf, ')');
    if (!close || close + 2 >= buf + n)
        return KernelState::Unknown;
    return kernelStateFromLetter(close[2]);
}

void KernelSampler::handleTick()
{
    if (m_targets.isEmpty() || (m_sweep.isValid() && !m_sweep.isFinished()))
        return; // the last sweep is still running: skip this tick rather than queue work
    const qint64 now = monotonicNowNs();
    if (m_lastSweepAtNs > 0 && now - m_lastSweepAtNs < DutyDivisor * m_shared->lastNs.load())
        return; // keep the sampler's share of a core bounded, however many threads are watched
    m_lastSweepAtNs = now;
    QList<std::pair<int, Target>> targets;
    targets.reserve(m_targets.size());
    for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it)
        targets.append({ it.key(), it.value() });
    m_sweep = QtConcurrent::run(&m_pool, [targets, log = m_log, shared = m_shared] {
        const qint64 t0 = monotonicNowNs();
        QHash<int, char> &last = shared->last;
        for (const auto &[workerId, target] : targets) {
            const KernelState state = readState(target.pid, target.tid);
            if (state == KernelState::Unknown)
                continue; // gone (its end is recorded by the worker): nothing to say
            const char letter = letterOf(state);
            const auto it = last.find(workerId);
            if (it != last.end() && it.value() == letter)
                continue;
            last.insert(workerId, letter);
            log->record(workerId, EventKind::KernelState, qint64(letter));
        }
        const qint64 took = monotonicNowNs() - t0;
        shared->lastNs.store(took);
        shared->totalNs.fetch_add(took);
        shared->sweeps.fetch_add(1);
    });
}

} // namespace threadlab
