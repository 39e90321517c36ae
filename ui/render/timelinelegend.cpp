// The timeline's legend: entries for the state spans, the markers and the kernel strip, wrapped into rows.
#include "timelinelegend.h"

#include "lanedecorations.h"
#include "timelinerenderer.h"

#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace threadlab {

QList<LegendEntry> TimelineLegend::entries()
{
    QList<LegendEntry> out;
    for (SpanKind k : { SpanKind::Starting, SpanKind::Running, SpanKind::Paused, SpanKind::Stopping,
             SpanKind::CleaningUp, SpanKind::Unresponsive })
        out.append({ LegendEntry::Kind::Span, k, EventKind::StopRequested, StateStyle::spanName(k) });
    for (EventKind k : TimelineMarkerKinds) {
        if (k == EventKind::Leak)
            continue;
        if (k == EventKind::Joined)
            out.append({ LegendEntry::Kind::Join, SpanKind::Running, k, u"awaiting join"_qs });
        out.append({ LegendEntry::Kind::Marker, SpanKind::Running, k, toString(k) });
    }
    // The kernel strip under each lane: the letter of /proc/.../stat and its word.
    for (KernelState s : { KernelState::Running, KernelState::Sleeping, KernelState::Uninterruptible,
             KernelState::Zombie, KernelState::Stopped })
        out.append({ LegendEntry::Kind::Kernel, SpanKind::Running, EventKind::KernelState,
            u"%1 %2"_qs.arg(QChar::fromLatin1(letterOf(s))).arg(toString(s)), s });
    return out;
}

double TimelineLegend::swatchWidth(const LegendEntry &e, double k)
{
    return (e.kind == LegendEntry::Kind::Span ? 26 : e.kind == LegendEntry::Kind::Join ? 22 : 14) * k;
}

LegendLayout TimelineLegend::layout(const QList<LegendEntry> &entries, const QFontMetrics &fm, double k, double width)
{
    LegendLayout out;
    out.rowHeight = std::max(double(TimelineRenderer::LegendHeight), fm.height() + 12.0);
    double x = 10;
    int row = 0;
    for (const LegendEntry &e : entries) {
        const double w = swatchWidth(e, k) + fm.horizontalAdvance(e.name) + 10;
        if (x > 10 && width > 0 && x + w > width - 8) {
            ++row;
            x = 10;
        }
        out.at << QPointF(x, row);
        x += w;
    }
    out.rows = row + 1;
    return out;
}

int TimelineLegend::height(const QFont &font, double k, int width)
{
    struct Last
    {
        QString font;
        double k = -1;
        int width = -1;
        int height = 0;
    };
    thread_local Last last;
    const QString key = font.key();
    if (last.k != k || last.width != width || last.font != key) {
        const LegendLayout l = layout(entries(), QFontMetrics(font), k, width);
        last = { key, k, width, int(std::ceil(l.rows * l.rowHeight)) };
    }
    return last.height;
}

void TimelineLegend::paint(QPainter &p, double top, double width, const QFontMetrics &fm, double k, bool dark,
    const QColor &text, const std::function<void(const QRectF &, SpanKind)> &drawSpan, double *lastX, double *lastCy)
{
    const QList<LegendEntry> all = entries();
    const LegendLayout lay = layout(all, fm, k, width);
    double x = 10;
    double cy = top + lay.rowHeight / 2.0;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (int i = 0; i < all.size(); ++i) {
        const LegendEntry &e = all.at(i);
        x = lay.at.at(i).x();
        cy = top + lay.rowHeight * (lay.at.at(i).y() + 0.5);
        if (e.kind == LegendEntry::Kind::Span)
            drawSpan(QRectF(x, cy - 6 * k, 22 * k, 12 * k), e.span);
        else if (e.kind == LegendEntry::Kind::Join)
            p.fillRect(QRectF(x, cy - 1.5 * k, 18 * k, 3 * k), StateStyle::stateColor(WorkerState::Finished, dark));
        else if (e.kind == LegendEntry::Kind::Kernel) {
            const double f = LaneDecorations::kernelHeightFactor(e.kernel);
            p.fillRect(QRectF(x, cy - 4 * k + 8 * k * (1 - f), 10 * k, 8 * k * f),
                LaneDecorations::kernelColor(e.kernel, dark));
        } else
            StateStyle::paintMarker(p, x + 5 * k, cy, 5.0 * k, e.marker, dark);
        x += swatchWidth(e, k);
        p.setPen(text);
        p.drawText(QPointF(x, cy + fm.ascent() / 2.0 - 1), e.name);
        x += fm.horizontalAdvance(e.name) + 10;
    }
    *lastX = x;
    *lastCy = cy;
}

namespace {

/// What the legend's picture depends on (never the data): its size, the font, the scale and the colours.
struct PictureKey
{
    QSize size;
    qreal dpr = 0;
    QString font;
    double k = 0;
    bool dark = false;
    QRgb window = 0, line = 0, text = 0, base = 0;
    bool operator==(const PictureKey &) const = default;
};

struct Picture
{
    PictureKey key;
    QImage image;
    LegendLayout layout;
    double lastX = 0;
    double lastCy = 0;
};

} // namespace

void TimelineLegend::paintCached(QPainter &p, const QRect &area, const QFont &font, double k, bool dark,
    const Colors &colors, const std::function<void(QPainter &, const QRectF &, SpanKind)> &drawSpan, double *lastX,
    double *lastCy, LegendLayout *layout)
{
    const qreal dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const PictureKey key { area.size(), dpr, font.key(), k, dark, colors.window.rgba(), colors.line.rgba(),
        colors.text.rgba(), colors.base.rgba() };
    thread_local Picture cached;
    if (!(cached.key == key) || cached.image.isNull()) {
        cached.key = key;
        cached.image = QImage((QSizeF(area.size()) * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
        cached.image.setDevicePixelRatio(dpr);
        QPainter lp(&cached.image);
        lp.fillRect(QRect(QPoint(0, 0), area.size()), colors.window);
        lp.setPen(colors.line);
        lp.drawLine(QPointF(0, 0.5), QPointF(area.width(), 0.5));
        lp.setFont(font);
        const QFontMetrics fm(font);
        paint(
            lp, 0, area.width(), fm, k, dark, colors.text,
            [&lp, &drawSpan](const QRectF &r, SpanKind kind) { drawSpan(lp, r, kind); }, &cached.lastX, &cached.lastCy);
        cached.layout = TimelineLegend::layout(entries(), fm, k, area.width());
    }
    p.drawImage(area.topLeft(), cached.image);
    *lastX = area.left() + cached.lastX;
    *lastCy = area.top() + cached.lastCy;
    *layout = cached.layout;
}

} // namespace threadlab
