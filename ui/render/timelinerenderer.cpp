// Paints the timeline (axis, lanes, spans, markers, brackets, legend, caption, scale bar); usable headless.
#include "timelinerenderer.h"

#include "lanedecorations.h"
#include "model/lanespans.h"
#include "timelinelegend.h"

#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QSysInfo>
#include <QThread>
#include <QVarLengthArray>
#include <algorithm>
#include <cmath>
#include <optional>

namespace threadlab {

namespace {

/// The small text (axis, subtitles, legend, bracket labels) is this much of the base font.
constexpr double SmallFactor = 0.88;

/// f with its size (pixels or points, whichever it has) times k.
QFont scaledFont(QFont f, double k)
{
    if (f.pixelSize() > 0)
        f.setPixelSize(std::max(1, int(std::lround(f.pixelSize() * k))));
    else
        f.setPointSizeF(std::max(1.0, f.pointSizeF() * k));
    return f;
}

/// The base font: the given one, or 9 pt when it has no size.
QFont baseFont(QFont f)
{
    if (f.pixelSize() <= 0 && f.pointSizeF() <= 0)
        f.setPointSize(9);
    return f;
}

QFont smallFont(const QFont &base)
{
    QFont f = scaledFont(base, SmallFactor);
    if (f.pixelSize() <= 0 && f.pointSizeF() < 7.0)
        f.setPointSizeF(7.0);
    return f;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

void drawSpanRect(QPainter &p, const QRectF &r, SpanKind kind, bool dark, const QColor &base)
{
    const QColor c = StateStyle::spanColor(kind, dark);
    const Qt::BrushStyle pattern = StateStyle::spanPattern(kind);
    if (pattern == Qt::SolidPattern) {
        p.fillRect(r, c);
    } else {
        p.fillRect(r, mix(base, c, dark ? 0.35 : 0.28));
        QBrush hatch(c, pattern);
        p.fillRect(r, hatch);
    }
    if (r.width() >= 3) {
        p.setPen(QPen(c.darker(dark ? 90 : 135), 1.0));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
    }
}

/// The renderer's fonts: the base one (a 9 pt default when none is set), its small and bold variants.
struct Fonts
{
    QFont base, small, bold;
    explicit Fonts(const QFont &given)
        : base(given)
    {
        if (base.pixelSize() <= 0 && base.pointSizeF() <= 0)
            base.setPointSize(9);
        small = base;
        if (base.pointSizeF() > 0)
            small.setPointSizeF(std::max(7.0, base.pointSizeF() * 0.88));
        else
            small.setPixelSize(std::max(9, int(base.pixelSize() * 0.88)));
        bold = base;
        bold.setBold(true);
    }
};

/// How much larger than the default lane (36 px) this lane is: bars, markers and gaps grow with it.
double laneScale(const TimelineRenderOptions &o)
{
    return std::max(1.0, o.laneHeight / 36.0);
}

} // namespace

void TimelineRenderOptions::fitToFont(const QFont &f)
{
    font = f;
    const Fonts fonts(f);
    const QFontMetrics fm(fonts.base);
    const QFontMetrics sfm(fonts.small);
    // Two text lines (name, subtitle) plus the bar: the 36 px default holds a 9-10 pt font.
    laneHeight = std::max(36, QFontMetrics(fonts.bold).height() + sfm.height() + 8);
    labelWidth = std::max(180, fm.averageCharWidth() * 24);
    axisHeight = std::max(28, sfm.height() + 12);
}

qint64 TimelineRenderer::niceStep(double nsPerPixel, double minPixels)
{
    return TimeMapping::niceStep(nsPerPixel, minPixels);
}

QString TimelineRenderer::formatTick(qint64 ns, qint64 stepNs)
{
    return TimeMapping::tickLabel(ns, stepNs);
}

QString TimelineRenderer::machineDescription()
{
    return QStringLiteral("%1 %2 · %3 · %4 cores · Qt %5")
        .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion().section(u'-', 0, 0), QSysInfo::currentCpuArchitecture())
        .arg(QThread::idealThreadCount())
        .arg(QString::fromLatin1(qVersion()));
}

int TimelineRenderer::captionHeight(const TimelineRenderOptions &o)
{
    if (o.captionTitle.isEmpty())
        return 0;
    const QFont font = baseFont(o.font);
    QFont title = scaledFont(font, 1.25);
    title.setBold(true);
    return std::max(CaptionHeight, QFontMetrics(title).height() + QFontMetrics(font).height() + 16);
}

int TimelineRenderer::legendHeight(const TimelineRenderOptions &o)
{
    return legendHeight(0, o);
}

TimelineRenderOptions TimelineRenderer::forSlides(TimelineRenderOptions o, int minTextPx)
{
    // The smallest text is the "small" font (0.88 of the base): size the base so that it is minTextPx.
    QFont font = baseFont(o.font);
    font.setPixelSize(int(std::ceil(minTextPx / SmallFactor)));
    o.font = font;
    QFont bold = font;
    bold.setBold(true);
    const QFontMetrics fm(bold), sfm(smallFont(font));
    o.laneHeight = std::max(o.laneHeight, fm.height() + sfm.height() + 10);
    o.labelWidth = std::max(o.labelWidth, fm.averageCharWidth() * 22);
    o.axisHeight = std::max(o.axisHeight, sfm.height() + 12);
    return o;
}

int TimelineRenderer::lanesTop(const TimelineRenderOptions &o)
{
    return captionHeight(o) + o.axisHeight;
}

int TimelineRenderer::legendHeight(int width, const TimelineRenderOptions &o)
{
    if (!o.legend)
        return 0;
    const Fonts fonts(o.font);
    return TimelineLegend::height(fonts.small, laneScale(o), width);
}

int TimelineRenderer::lanesBottom(const QSize &size, const TimelineRenderOptions &o)
{
    return size.height() - legendHeight(size.width(), o);
}

int TimelineRenderer::fullHeight(const TimelineData &data, const TimelineRenderOptions &o, int width)
{
    return lanesTop(o) + int(data.lanes().size()) * o.laneHeight + legendHeight(width, o) + 4;
}

QImage TimelineRenderer::renderImage(
    const TimelineData &data, const TimeMapping &mapping, TimelineRenderOptions options, const QSize &size, qreal dpr)
{
    QImage img((QSizeF(size) * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(dpr);
    img.fill(options.palette.color(QPalette::Window));
    options.exposed = QRect();
    QPainter p(&img);
    render(p, size, data, mapping, options);
    return img;
}

void TimelineRenderer::render(
    QPainter &p, const QSize &size, const TimelineData &data, const TimeMapping &m, const TimelineRenderOptions &o)
{
    const QPalette &pal = o.palette;
    const bool dark = StateStyle::isDark(pal);
    const QRect all(QPoint(0, 0), size);
    const QRect exposed = o.exposed.isNull() ? all : o.exposed.intersected(all);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor mid = pal.color(QPalette::Mid);
    const QColor dim = mix(text, base, 0.45);

    p.save();
    p.setClipRect(exposed);
    p.fillRect(exposed, base);

    const Fonts fonts(o.font == QFont() ? p.font() : o.font);
    const QFont &font = fonts.base;
    const QFont &small = fonts.small;
    const QFont &bold = fonts.bold;
    p.setFont(font);
    const QFontMetrics fm(font);
    const QFontMetrics boldFm(bold);
    const QFontMetrics smallFm(small);
    const double k = laneScale(o); // bars, markers and gaps grow with the lane
    const int textH = fm.height();

    const int captionH = captionHeight(o);
    const int axisTop = captionH;
    const int top = lanesTop(o);
    const int bottom = lanesBottom(size, o);
    const double plotLeft = o.labelWidth;
    const double plotRight = size.width();
    const double plotWidth = plotRight - plotLeft;
    const qint64 t0 = m.timeForX(std::max<double>(plotLeft, exposed.left()) - 2);
    const qint64 t1 = m.timeForX(std::min<double>(plotRight, exposed.right() + 1) + 2);
    // Time 0 of the axis: the run's zero; with no run yet, the first event; with nothing at all, the plot's left
    // edge (never the machine's boot, which read "-361 min" before a lesson's first run).
    const qint64 zero = o.zeroNs >= 0 ? o.zeroNs
        : data.zeroNs() >= 0          ? data.zeroNs()
        : data.firstNs() >= 0         ? data.firstNs()
                                      : std::max<qint64>(0, m.timeForX(plotLeft));
    const qint64 now = o.nowNs >= 0 ? o.nowNs : data.lastNs();

    // Caption.
    if (captionH > 0 && exposed.top() < captionH) {
        p.fillRect(QRect(0, 0, size.width(), captionH), pal.color(QPalette::Window));
        p.setPen(text);
        QFont title = scaledFont(font, 1.25);
        title.setBold(true);
        p.setFont(title);
        const int titleH = QFontMetrics(title).height();
        p.drawText(QRect(12, 6, size.width() - 24, titleH), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(title).elidedText(o.captionTitle, Qt::ElideRight, size.width() - 24));
        p.setFont(font);
        p.setPen(dim);
        p.drawText(QRect(12, 8 + titleH, size.width() - 24, textH), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(o.captionDetails, Qt::ElideRight, size.width() - 24));
        p.setPen(mid);
        p.drawLine(0, captionH - 1, size.width(), captionH - 1);
    }

    // Grid step for the axis and the vertical grid lines.
    const qint64 step = niceStep(m.nsPerPixel(), 90);
    const qint64 firstTick = zero + qint64(std::floor(double(t0 - zero) / double(step))) * step;

    // Lanes.
    const int laneCount = int(data.lanes().size());
    // Who is on the lab mutex when (the model's lock spans of each fold): a waiter's label names the holder.
    // Folded on first use: a frame shows a few lanes of hundreds, and only a waiter's label asks about the others.
    std::vector<std::optional<LockSpanList>> lockCache(static_cast<size_t>(laneCount));
    const auto locks = [&](int i) -> const LockSpanList & {
        std::optional<LockSpanList> &l = lockCache[size_t(i)];
        if (!l)
            l = lockSpansOf(*data.lanes()[size_t(i)].fold);
        return *l;
    };
    const auto holderAt = [&](qint64 t, int except) -> QString {
        for (int i = 0; i < laneCount; ++i)
            if (i != except)
                for (const LockSpan &s : locks(i))
                    if (!s.waiting && s.covers(t))
                        return data.lanes()[size_t(i)].name;
        // Nobody alive holds it: the last holder that ended with the lock leaked (a raw lock killed inside).
        for (int i = 0; i < laneCount; ++i) {
            const LockSpanList &l = locks(i);
            if (i == except || l.isEmpty() || l.last().waiting || l.last().endNs > t)
                continue;
            for (const QString &leak : data.lanes()[size_t(i)].fold->leakLines())
                if (leak.contains(u"lock"_qs) || leak.contains(u"mutex"_qs))
                    return data.lanes()[size_t(i)].name + u", killed holding it"_qs;
        }
        return {};
    };
    const int firstLane = std::max(0, (exposed.top() - top + o.scrollY) / o.laneHeight);
    const int lastLane = std::min(laneCount - 1, (exposed.bottom() - top + o.scrollY) / o.laneHeight);
    p.save();
    p.setClipRect(QRect(0, top, size.width(), bottom - top).intersected(exposed));
    const QColor grid = mix(base, mid, 0.45);
    p.setPen(QPen(grid, 1.0));
    for (qint64 t = firstTick; t <= t1; t += step) {
        const double x = std::round(m.xForTime(t)) + 0.5;
        if (x >= plotLeft)
            p.drawLine(QPointF(x, top), QPointF(x, bottom));
    }
    QVarLengthArray<QLineF, 2048> ticks;
    for (int i = firstLane; i <= lastLane; ++i) {
        const TimelineLane &lane = data.lanes()[size_t(i)];
        const int y = top + i * o.laneHeight - o.scrollY;
        const QRect laneRect(0, y, size.width(), o.laneHeight);
        if (lane.workerId == o.selectedWorker)
            p.fillRect(laneRect, mix(base, pal.color(QPalette::Highlight), dark ? 0.22 : 0.12));
        else if (i % 2)
            p.fillRect(
                QRectF(plotLeft, y, plotWidth, o.laneHeight), mix(base, pal.color(QPalette::AlternateBase), 0.7));

        const double barTop = y + 5 * k;
        const double barH = 13 * k;
        p.save();
        p.setClipRect(QRectF(plotLeft, y, plotWidth, o.laneHeight).toRect().intersected(exposed));
        const WorkerFold &fold = *lane.fold;
        const KeyTimes &times = fold.times();
        // State spans, as the fold has them (few per lane: a linear scan with culling).
        for (const WorkerStateSpan &s : fold.spans()) {
            const auto kind = TimelineData::spanKindOf(s.state);
            if (!kind)
                continue;
            const qint64 end = s.endNs >= 0 ? s.endNs : std::max(now, s.beginNs);
            if (end < t0 || s.beginNs > t1)
                continue;
            double x0 = std::max(m.xForTime(s.beginNs), plotLeft - 2);
            double x1 = std::min(m.xForTime(end), plotRight + 2);
            if (x1 - x0 < 1)
                x1 = x0 + 1;
            drawSpanRect(p, QRectF(x0, barTop, x1 - x0, barH), *kind, dark, base);
        }
        // Beside the states: who holds or waits for the lab mutex, and the orphans the worker left running.
        const LaneDecorations decor { p, m, plotLeft, plotRight, barTop, barH, t0, t1, now, base, text, font, small,
            dark };
        decor.paintLocks(locks(i), [&](qint64 t) { return holderAt(t, i); });
        decor.paintOrphans(fold);
        decor.paintKernelStates(fold, barTop + barH + 1 * k, 4 * k);
        // Exited but not yet joined: a thin line, the owner has not noticed yet.
        if (times.exited >= 0 && (times.joined < 0 || times.joined > times.exited)) {
            const qint64 end = times.joined >= 0 ? times.joined : now;
            if (end >= t0 && times.exited <= t1) {
                const double x0 = std::max(m.xForTime(times.exited), plotLeft - 2);
                const double x1 = std::min(m.xForTime(end), plotRight + 2);
                if (x1 > x0) {
                    const QColor jc = StateStyle::stateColor(WorkerState::Finished, dark);
                    p.fillRect(QRectF(x0, barTop + barH / 2 - 1.5, x1 - x0, 3), jc);
                }
            }
        }
        // Progress ticks: at most one per pixel column (lower_bound jumps to the next column).
        const std::vector<qint64> &progress = fold.progressTimes();
        if (!progress.empty()) {
            p.setPen(QPen(mix(StateStyle::spanColor(SpanKind::Running, dark), text, 0.35), 1.0));
            auto it = std::lower_bound(progress.begin(), progress.end(), t0);
            const double ty = barTop + barH + 5.5 * k; // below the kernel strip
            // One drawLines() per lane: a lane full of steps has a tick in every column, and a drawLine() call
            // per tick made a frame of 100k events cost ~30 ms in QPainter's per-call overhead alone.
            ticks.clear();
            while (it != progress.end() && *it <= t1) {
                const double col = std::floor(m.xForTime(*it));
                ticks.append(QLineF(col + 0.5, ty, col + 0.5, ty + 3));
                it = std::lower_bound(it + 1, progress.end(), m.timeForX(col + 1));
            }
            p.drawLines(ticks.constData(), int(ticks.size()));
        }
        // Stop bracket: request → noticed → ended, labelled with the fold's own words.
        if (times.stopRequested >= 0) {
            const Latencies lat = fold.latencies();
            const qint64 req = times.stopRequested;
            std::optional<qint64> endRel = lat.joined ? lat.joined : lat.exited;
            const double bx0 = m.xForTime(req);
            const double by = y + o.laneHeight - 9.5 * k;
            QStringList parts;
            for (const LatencyLine &line : fold.latencyLines())
                if (line.key != u"cleanup"_qs)
                    parts << line.label;
            const QColor bc = dark ? QColor(0xe8, 0xc0, 0x70) : QColor(0x8a, 0x55, 0x00);
            p.setPen(QPen(bc, 1.2));
            double labelX = bx0 + 6;
            if (endRel) {
                const double bx1 = std::max(bx0 + 1.0, m.xForTime(req + *endRel));
                p.drawLine(QPointF(bx0, by), QPointF(bx1, by));
                p.drawLine(QPointF(bx0, by - 4), QPointF(bx0, by + 3));
                p.drawLine(QPointF(bx1, by - 4), QPointF(bx1, by + 3));
                if (lat.observed) {
                    const double ox = m.xForTime(req + *lat.observed);
                    p.drawLine(QPointF(ox, by - 3), QPointF(ox, by + 1));
                }
                labelX = bx1 + 6;
            } else {
                p.setPen(QPen(bc, 1.2, Qt::DashLine));
                const double bx1 = std::min(m.xForTime(now), plotRight);
                if (bx1 > bx0)
                    p.drawLine(QPointF(bx0, by), QPointF(bx1, by));
                parts << u"waiting "_qs + formatDuration(std::max<qint64>(0, now - req));
                labelX = bx1 + 6;
            }
            const double bracketEnd = endRel ? m.xForTime(req + *endRel) : m.xForTime(now);
            if (bx0 > plotRight || bracketEnd < plotLeft)
                parts.clear(); // the stop is out of view: no floating label
            if (!parts.isEmpty()) {
                p.setFont(small);
                const QString label = parts.join(u"  ·  "_qs);
                const int w = QFontMetrics(small).horizontalAdvance(label);
                labelX = std::clamp(labelX, plotLeft + 4, std::max(plotLeft + 4, plotRight - w - 6));
                const QRectF tr(labelX, by - smallFm.height() / 2.0, w + 2, smallFm.height());
                QColor behind = base;
                behind.setAlpha(225);
                p.fillRect(tr.adjusted(-3, 0, 3, 0), behind);
                p.setPen(bc);
                p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, label);
                p.setFont(font);
            }
        }
        decor.paintMarkers(fold, 5.0 * k);
        p.restore();

        // Label column.
        if (exposed.left() < o.labelWidth) {
            p.fillRect(QRect(0, y, o.labelWidth, o.laneHeight),
                lane.workerId == o.selectedWorker
                    ? mix(pal.color(QPalette::Window), pal.color(QPalette::Highlight), 0.18)
                    : pal.color(QPalette::Window));
            p.setPen(text);
            p.setFont(bold);
            // Name and subtitle share the lane's height in proportion to their fonts.
            const int nameH = boldFm.height();
            const int gap = std::max(1, (o.laneHeight - nameH - smallFm.height()) / 3);
            p.drawText(QRect(10, y + gap, o.labelWidth - 16, nameH), Qt::AlignLeft | Qt::AlignVCenter,
                boldFm.elidedText(lane.name, Qt::ElideMiddle, o.labelWidth - 16));
            p.setFont(small);
            p.setPen(dim);
            p.drawText(QRect(10, y + gap + nameH, o.labelWidth - 16, smallFm.height()),
                Qt::AlignLeft | Qt::AlignVCenter, smallFm.elidedText(lane.subtitle, Qt::ElideRight, o.labelWidth - 16));
            p.setFont(font);
        }
        p.setPen(QPen(mix(base, mid, 0.5), 1.0));
        p.drawLine(QPointF(0, y + o.laneHeight - 0.5), QPointF(size.width(), y + o.laneHeight - 0.5));
    }
    if (laneCount == 0) {
        p.setPen(dim);
        p.drawText(QRect(int(plotLeft), top, int(plotWidth), bottom - top), Qt::AlignCenter,
            u"No workers yet: add some with Workers ▸ Add workers… (Ctrl+N)"_qs);
    }
    p.setPen(QPen(mid, 1.0));
    p.drawLine(QPointF(plotLeft - 0.5, top), QPointF(plotLeft - 0.5, bottom));

    // Measured interval (Shift+drag) and the "now" line.
    if (o.measure) {
        const qint64 a = std::min(o.measure->first, o.measure->second);
        const qint64 b = std::max(o.measure->first, o.measure->second);
        const double xa = m.xForTime(a), xb = m.xForTime(b);
        QColor hl = pal.color(QPalette::Highlight);
        hl.setAlpha(50);
        p.fillRect(QRectF(xa, top, std::max(1.0, xb - xa), bottom - top), hl);
        p.setPen(QPen(pal.color(QPalette::Highlight), 1.0, Qt::DashLine));
        p.drawLine(QPointF(xa, top), QPointF(xa, bottom));
        p.drawLine(QPointF(xb, top), QPointF(xb, bottom));
        const QString label = u"Δt = "_qs + formatDuration(b - a);
        p.setFont(bold);
        const int w = boldFm.horizontalAdvance(label) + 14;
        const QRectF box((xa + xb) / 2 - w / 2.0, top + 4, w, boldFm.height() + 6);
        p.setBrush(pal.color(QPalette::Highlight));
        p.setPen(Qt::NoPen);
        p.drawRoundedRect(box, 4, 4);
        p.setPen(pal.color(QPalette::HighlightedText));
        p.drawText(box, Qt::AlignCenter, label);
        p.setFont(font);
    }
    if (o.cursorNs >= 0) {
        const double x = std::round(m.xForTime(o.cursorNs)) + 0.5;
        p.setPen(QPen(mix(text, base, 0.3), 1.0, Qt::DotLine));
        if (x >= plotLeft)
            p.drawLine(QPointF(x, top), QPointF(x, bottom));
    }
    p.restore();

    // Axis.
    if (exposed.top() < top && exposed.bottom() >= axisTop) {
        const QRect axis(0, axisTop, size.width(), o.axisHeight);
        p.fillRect(axis, pal.color(QPalette::Window));
        p.setPen(mid);
        p.drawLine(QPointF(0, top - 0.5), QPointF(size.width(), top - 0.5));
        p.setFont(small);
        p.setPen(dim);
        p.drawText(QRect(10, axisTop, o.labelWidth - 14, o.axisHeight), Qt::AlignLeft | Qt::AlignVCenter,
            o.zeroLabel.isEmpty() ? u"time since run start"_qs : o.zeroLabel);
        p.setClipRect(QRectF(plotLeft, axisTop, plotWidth, o.axisHeight).toRect().intersected(exposed));
        const QFontMetrics axisFm(small);
        for (qint64 t = firstTick; t <= t1; t += step) {
            const double x = std::round(m.xForTime(t)) + 0.5;
            p.setPen(mid);
            p.drawLine(QPointF(x, top - 6), QPointF(x, top));
            p.setPen(text);
            const QString label = formatTick(t - zero, step);
            if (x < plotLeft - 1 || x + 3 + axisFm.horizontalAdvance(label) > plotRight)
                continue;
            p.drawText(QRectF(x + 3, axisTop, axisFm.horizontalAdvance(label) + 4, o.axisHeight - 4),
                Qt::AlignLeft | Qt::AlignVCenter, label);
        }
        if (o.cursorNs >= 0) {
            const QString label = formatDuration(o.cursorNs - zero);
            const int w = QFontMetrics(small).horizontalAdvance(label) + 10;
            const double x = m.xForTime(o.cursorNs);
            const QRectF box(x - w / 2.0, axisTop + 4, w, o.axisHeight - 8);
            p.setPen(Qt::NoPen);
            p.setBrush(pal.color(QPalette::ToolTipBase));
            p.drawRoundedRect(box, 3, 3);
            p.setPen(pal.color(QPalette::ToolTipText));
            p.drawText(box, Qt::AlignCenter, label);
        }
        p.setClipRect(exposed);
        p.setFont(font);
    }

    // Legend (and the scale bar at its right end).
    if (o.legend && exposed.bottom() >= bottom) {
        const QRect legend(0, bottom, size.width(), size.height() - bottom);
        p.setFont(small);
        // Entries wrap into rows (a 1024 px window shows all of them); the scale bar ends the last row.
        double x = 10;
        double cy = bottom;
        LegendLayout lay;
        TimelineLegend::paintCached(
            p, legend, small, k, dark, { pal.color(QPalette::Window), mid, text, base },
            [dark, base](QPainter &lp, const QRectF &r, SpanKind kind) { drawSpanRect(lp, r, kind, dark, base); }, &x,
            &cy, &lay);
        p.setRenderHint(QPainter::Antialiasing, false);
        if (o.scaleBar) {
            const qint64 barNs = niceStep(m.nsPerPixel(), 80);
            const double w = m.widthFor(barNs);
            const QString label = formatTick(barNs, barNs);
            const double right = size.width() - 14;
            const double left = right - w;
            if (left > x + 10) {
                p.setPen(QPen(text, 2.0));
                p.drawLine(QPointF(left, cy + 4), QPointF(right, cy + 4));
                p.drawLine(QPointF(left, cy), QPointF(left, cy + 8));
                p.drawLine(QPointF(right, cy), QPointF(right, cy + 8));
                p.setPen(text);
                p.drawText(QRectF(left, cy - lay.rowHeight / 2.0 + 2, w, lay.rowHeight / 2.0 - 2),
                    Qt::AlignHCenter | Qt::AlignBottom, label);
            }
        }
        p.setFont(font);
    }
    p.restore();
}

} // namespace threadlab
