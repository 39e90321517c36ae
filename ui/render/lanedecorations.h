// What a lane shows beside its states: the lab mutex held or waited for, and the orphans the worker left running.
#pragma once

#include "model/lanespans.h"
#include "timemapping.h"

#include <QColor>
#include <QFont>
#include <functional>

class QPainter;

namespace threadlab {

/// Painted by the timeline renderer over one lane's bar, from the model's spans (lanespans.h), never re-derived.
struct LaneDecorations
{
    QPainter &p;
    const TimeMapping &m;
    double plotLeft;
    double plotRight;
    double barTop;
    double barH;
    qint64 t0; ///< the visible time range
    qint64 t1;
    qint64 now; ///< where open spans end
    QColor base;
    QColor text;
    QFont font;
    QFont small;
    bool dark;

    /// The lab mutex: held is a violet strip over the bar; waiting cross-hatches the bar and names the holder
    /// (holderAt(t): who held it at t, empty if nobody known).
    void paintLocks(const LockSpanList &spans, const std::function<QString(qint64)> &holderAt) const;
    /// After the worker's end its row carries one thin running bar per orphan until the lab killed it (or now),
    /// labelled with the pids.
    void paintOrphans(const WorkerFold &fold) const;
    /// The kernel's view of the worker's thread (its kernel-state spans) as a thin strip from top, h high: a
    /// colour per state, and running / uninterruptible / zombie full height, sleeping / stopped half height, so
    /// the states differ by more than hue.
    void paintKernelStates(const WorkerFold &fold, double top, double h) const;
    /// The lane's markers (stop request, observed, kill sent, ...) on the bar's middle, at most one per pixel column
    /// except the request and the kill; a kill sent with its request is drawn beside it and labelled.
    void paintMarkers(const WorkerFold &fold, double radius) const;

    static QColor kernelColor(KernelState state, bool dark);
    /// How much of the strip's height the state fills (1 or 0.5).
    static double kernelHeightFactor(KernelState state);

    /// The colour of the lab mutex: violet, apart from every state colour.
    static QColor lockColor(bool dark);
};

} // namespace threadlab
