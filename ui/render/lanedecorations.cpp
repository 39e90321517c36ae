// What a lane shows beside its states: the lab mutex held or waited for, and the orphans the worker left running.
#include "lanedecorations.h"

#include "statestyle.h"
#include "timelinelegend.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>

namespace threadlab {

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isMarker(EventKind k)
{
    return std::find(std::begin(TimelineMarkerKinds), std::end(TimelineMarkerKinds), k)
        != std::end(TimelineMarkerKinds);
}

/// How far a kill marker sent together with its stop request is drawn beside it, in pixels.
constexpr double KillOffsetPx = 13.0;

} // namespace

void LaneDecorations::paintMarkers(const WorkerFold &fold, double radius) const
{
    // At most one per pixel column.
    const int smallH = QFontMetrics(small).height();
    const auto byTime = [](const Event &e, qint64 t) { return e.tNs < t; };
    const EventList &marks = fold.marks();
    auto it = std::lower_bound(marks.begin(), marks.end(), t0, byTime);
    double lastCol = -1e9;
    double stopX = -1e9;
    const double cy = barTop + barH / 2;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (; it != marks.end() && it->tNs <= t1; ++it) {
        if (!isMarker(it->kind))
            continue;
        const double x = m.xForTime(it->tNs);
        // The stop request and the kill are never dropped for sharing a pixel column: they tell the method.
        const bool telling = it->kind == EventKind::StopRequested || it->kind == EventKind::KillSent;
        if (std::floor(x) == lastCol && !telling)
            continue;
        lastCol = std::floor(x);
        if (it->kind == EventKind::StopRequested)
            stopX = x;
        double drawX = x;
        if (it->kind == EventKind::KillSent && std::abs(x - stopX) < KillOffsetPx) {
            // A kill sent with the request (force) would hide under its triangle: drawn beside it, tied to
            // its real time by a dotted line, and labelled.
            drawX = stopX + KillOffsetPx;
            const QColor kc = StateStyle::markerColor(EventKind::KillSent, dark);
            p.setPen(QPen(kc, 1.0, Qt::DotLine));
            p.drawLine(QPointF(x, cy + 6), QPointF(drawX, cy + 6));
            p.setFont(small);
            const QString label = u"kill sent"_qs;
            const QFontMetrics kfm(small);
            QRectF tr(drawX + 8, cy - smallH / 2.0, kfm.horizontalAdvance(label) + 2, smallH);
            // At the right edge (a live run: the kill was just sent) the label goes left of the request's
            // triangle instead of being cut off.
            if (tr.right() > plotRight)
                tr.moveRight(stopX - radius - 6);
            // The label never covers a later marker of the lane (the kill-timeout's triangle): then the
            // dotted line and the legend tell it.
            bool covers = false;
            for (auto later = std::next(it); later != marks.end() && !covers; ++later) {
                const double lx = m.xForTime(later->tNs);
                if (lx > tr.right() + 8)
                    break; // the marks are in time order
                covers = isMarker(later->kind) && lx >= tr.left() - 8;
            }
            if (!covers) {
                QColor behind = base;
                behind.setAlpha(200);
                p.fillRect(tr.adjusted(-2, 0, 2, 0), behind);
                p.setPen(kc);
                p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, label);
            }
            p.setFont(font);
        }
        StateStyle::paintMarker(p, drawX, cy, radius, it->kind, dark);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
}

QColor LaneDecorations::kernelColor(KernelState state, bool dark)
{
    switch (state) {
    case KernelState::Running:
        return dark ? QColor(0x66, 0xd9, 0x7a) : QColor(0x1b, 0x8a, 0x3a);
    case KernelState::Sleeping:
        return dark ? QColor(0x7f, 0xb2, 0xff) : QColor(0x2f, 0x62, 0xc0);
    case KernelState::Uninterruptible:
        return dark ? QColor(0xff, 0xb3, 0x47) : QColor(0xc4, 0x6a, 0x00);
    case KernelState::Zombie:
        return dark ? QColor(0xff, 0x70, 0x70) : QColor(0xb0, 0x1c, 0x1c);
    case KernelState::Stopped:
        return dark ? QColor(0xbb, 0xbb, 0xbb) : QColor(0x70, 0x70, 0x70);
    case KernelState::Unknown:
        break;
    }
    return {};
}

double LaneDecorations::kernelHeightFactor(KernelState state)
{
    return state == KernelState::Sleeping || state == KernelState::Stopped ? 0.5 : 1.0;
}

void LaneDecorations::paintKernelStates(const WorkerFold &fold, double top, double h) const
{
    // Few spans per lane (one per change, sampled at 20 Hz): a linear scan with culling; a span narrower than
    // a pixel still gets one, so a short burst of running stays visible.
    const KernelStateSpanList &spans = fold.kernelSpans();
    double lastX = -1e9;
    for (const KernelStateSpan &s : spans) {
        if (s.state == KernelState::Unknown)
            continue;
        const qint64 end = s.endNs >= 0 ? s.endNs : std::max(now, s.beginNs);
        if (end < t0 || s.beginNs > t1)
            continue;
        double x0 = std::max(m.xForTime(s.beginNs), plotLeft - 2);
        const double x1 = std::max(x0 + 1, std::min(m.xForTime(end), plotRight + 2));
        if (x1 <= lastX)
            continue; // this pixel column is painted already
        x0 = std::max(x0, lastX);
        const double f = kernelHeightFactor(s.state);
        p.fillRect(QRectF(x0, top + h * (1 - f), x1 - x0, h * f), kernelColor(s.state, dark));
        lastX = x1;
    }
}

QColor LaneDecorations::lockColor(bool dark)
{
    return dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x7b, 0x1f, 0xa2);
}

void LaneDecorations::paintLocks(const LockSpanList &spans, const std::function<QString(qint64)> &holderAt) const
{
    const int smallH = QFontMetrics(small).height();
    for (const LockSpan &ls : spans) {
        const qint64 end = ls.endNs >= 0 ? ls.endNs : std::max(now, ls.beginNs);
        if (end < t0 || ls.beginNs > t1)
            continue;
        const double x0 = std::max(m.xForTime(ls.beginNs), plotLeft - 2);
        const double x1 = std::max(x0 + 1, std::min(m.xForTime(end), plotRight + 2));
        if (!ls.waiting) {
            p.fillRect(QRectF(x0, barTop - 4, x1 - x0, 3), lockColor(dark));
            continue;
        }
        const QRectF bar(x0, barTop, x1 - x0, barH);
        // Cross-hatched in the lock's violet: not a state colour, so never read as "stopping".
        p.fillRect(bar, mix(base, lockColor(dark), 0.25));
        p.fillRect(bar, QBrush(lockColor(dark), Qt::DiagCrossPattern));
        const QString holder = holderAt(ls.beginNs);
        const QString label = holder.isEmpty() ? u"waiting for the lab mutex"_qs
                                               : u"waiting for the lab mutex, held by %1"_qs.arg(holder);
        p.setFont(small);
        const QFontMetrics lfm(small);
        const QString shown = lfm.elidedText(label, Qt::ElideRight, int(bar.width()) - 10);
        if (bar.width() > 60 && !shown.isEmpty()) {
            QColor behind = base;
            behind.setAlpha(220);
            const QRectF tr(bar.left() + 4, bar.center().y() - smallH / 2.0, lfm.horizontalAdvance(shown) + 2, smallH);
            p.fillRect(tr, behind);
            p.setPen(lockColor(dark));
            p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, shown);
        }
        p.setFont(font);
    }
}

void LaneDecorations::paintOrphans(const WorkerFold &fold) const
{
    const int smallH = QFontMetrics(small).height();
    const QList<OrphanSpan> orphans = orphanSpansOf(fold);
    const qint64 parentEnd = fold.times().endNs();
    if (!orphans.isEmpty() && parentEnd >= 0) {
        const double h = std::max(3.0, barH / double(orphans.size()) - 1);
        const QColor oc = StateStyle::spanColor(SpanKind::Running, dark);
        QStringList pids;
        double labelX = plotLeft;
        double labelRight = plotLeft;
        for (qsizetype k = 0; k < orphans.size(); ++k) {
            const OrphanSpan &os = orphans.at(k);
            const qint64 from = std::max(os.beginNs, parentEnd);
            const qint64 end = os.endNs >= 0 ? os.endNs : std::max(now, from);
            pids << QString::number(os.pid);
            if (end < t0 || from > t1)
                continue;
            const double x0 = std::max(m.xForTime(from), plotLeft - 2);
            const double x1 = std::max(x0 + 1, std::min(m.xForTime(end), plotRight + 2));
            const QRectF r(x0, barTop + k * (h + 1), x1 - x0, h);
            p.fillRect(r, mix(base, oc, 0.55));
            p.fillRect(r, QBrush(oc, Qt::Dense6Pattern));
            labelX = std::max(labelX, x0 + 6);
            labelRight = std::max(labelRight, x1);
        }
        const bool alive
            = std::any_of(orphans.cbegin(), orphans.cend(), [](const OrphanSpan &os) { return os.endNs < 0; });
        const QString label = u"%1 orphan%2 (pid %3) %4"_qs.arg(orphans.size())
                                  .arg(orphans.size() == 1 ? QString() : u"s"_qs)
                                  .arg(pids.join(u", "_qs), alive ? u"still running"_qs : u"ran on until killed"_qs);
        p.setFont(small);
        const QFontMetrics ofm(small);
        // At the right end of the orphans' bars (they run on to now), clear of the markers at the parent's end.
        const double w = ofm.horizontalAdvance(label) + 2;
        const QRectF tr(
            std::max(labelX, std::min(labelRight, plotRight) - w - 6), barTop + barH / 2 - smallH / 2.0, w, smallH);
        QColor behind = base;
        behind.setAlpha(200);
        p.fillRect(tr, behind);
        p.setPen(text);
        p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, label);
        p.setFont(font);
    }
}

} // namespace threadlab
