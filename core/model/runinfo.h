// A run: what the user started together (a scenario run, or the workers one action started), with its own zero.
#pragma once

#include <QList>
#include <QString>

namespace threadlab {

/// One run of a lab session. Its zero is its first start request; views, exports and screenshots show
/// run-relative time by default (absolute CLOCK_MONOTONIC times stay in the events).
struct RunInfo
{
    int id = 0; ///< 1, 2, ... in the order runs began
    QString title; ///< the lesson's title, or a description of the action ("3× thread/cpu-spin")
    QString scenario; ///< the scenario's id, empty for an ad-hoc run
    qint64 zeroNs = -1; ///< the run's first start request (-1 until one was made)
    QList<int> workerIds; ///< in the order they were added

    bool operator==(const RunInfo &) const = default;
};

} // namespace threadlab
