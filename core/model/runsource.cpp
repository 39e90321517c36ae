// The common part of every run source: run look-ups and time bounds derived from the folds.
#include "runsource.h"

#include <algorithm>

namespace threadlab {

RunSource::RunSource(QObject *parent)
    : QObject(parent)
{
}

RunSource::~RunSource() = default;

std::optional<RunInfo> RunSource::runOf(int workerId) const
{
    const QList<RunInfo> all = runs();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->workerIds.contains(workerId))
            return *it;
    return std::nullopt;
}

std::optional<RunInfo> RunSource::currentRun() const
{
    const QList<RunInfo> all = runs();
    if (all.isEmpty())
        return std::nullopt;
    return all.last();
}

qint64 RunSource::currentZeroNs() const
{
    const auto run = currentRun();
    return run ? run->zeroNs : -1;
}

qint64 RunSource::firstNs() const
{
    qint64 first = -1;
    for (int id : workerIds())
        if (const auto f = fold(id); f && f->firstNs() >= 0)
            first = first < 0 ? f->firstNs() : std::min(first, f->firstNs());
    return first;
}

qint64 RunSource::lastNs() const
{
    qint64 last = -1;
    for (int id : workerIds())
        if (const auto f = fold(id))
            last = std::max(last, f->lastNs());
    return last;
}

qint64 RunSource::steps(int workerId) const
{
    const auto f = fold(workerId);
    return std::max(snapshot(workerId).stepsDone, f ? f->reportedSteps() : qint64(0));
}

bool RunSource::hasRunningWorkers() const
{
    const QList<int> ids = workerIds();
    return std::any_of(ids.begin(), ids.end(), [this](int id) {
        const auto f = fold(id);
        return f && f->firstNs() >= 0 && !f->hasEnded();
    });
}

qint64 runZeroOf(const QList<std::shared_ptr<const WorkerFold>> &folds)
{
    qint64 zero = -1;
    for (const auto &f : folds)
        if (f && f->times().startRequested >= 0)
            zero = zero < 0 ? f->times().startRequested : std::min(zero, f->times().startRequested);
    return zero;
}

} // namespace threadlab
