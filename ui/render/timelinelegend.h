// The timeline's legend: its entries (state spans, markers, the kernel strip), their layout in rows and painting.
#pragma once

#include "base/workerphase.h"
#include "statestyle.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <functional>

class QFont;
class QFontMetrics;
class QPainter;
class QRect;
class QRectF;

namespace threadlab {

/// The events drawn as markers on a lane (and listed in the legend), in the legend's order.
inline constexpr EventKind TimelineMarkerKinds[] = { EventKind::StopRequested, EventKind::StopObserved,
    EventKind::KillSent, EventKind::KillTimeout, EventKind::Exited, EventKind::Joined, EventKind::Leak };

/// One legend entry: a swatch (span, marker, the join line or a kernel state) and its name.
struct LegendEntry
{
    enum class Kind { Span, Join, Marker, Kernel } kind;
    SpanKind span = SpanKind::Running;
    EventKind marker = EventKind::StopRequested;
    QString name;
    KernelState kernel = KernelState::Unknown;
};

/// The legend laid out in rows that fit a width: the x of each entry and its row.
struct LegendLayout
{
    QList<QPointF> at; ///< x, row
    int rows = 1;
    double rowHeight = 0;
};

class TimelineLegend
{
public:
    static QList<LegendEntry> entries();
    /// Width of an entry's swatch and the gap after it, at scale k.
    static double swatchWidth(const LegendEntry &e, double k);
    static LegendLayout layout(const QList<LegendEntry> &entries, const QFontMetrics &fm, double k, double width);
    /// The height of the legend's rows laid out in width (asked several times a frame: the last answer is kept).
    static int height(const QFont &font, double k, int width);
    /// Paints every entry from top in rows fitting width (drawSpan paints a span swatch as the lanes do); *lastX
    /// and *lastCy say where the last row ends (the scale bar goes after it).
    static void paint(QPainter &p, double top, double width, const QFontMetrics &fm, double k, bool dark,
        const QColor &text, const std::function<void(const QRectF &, SpanKind)> &drawSpan, double *lastX,
        double *lastCy);

    /// The colours a legend picture is painted with: the strip, its top line, the names and the swatches' base.
    struct Colors
    {
        QColor window, line, text, base;
    };
    /// As paint(), into the strip `area` (its top line included), from a picture kept per thread: the entries never
    /// change with the data, so a live view redrawing many times a second blits them (shaping their text was a
    /// third of a frame) and repaints them only when the size, font, scale or colours change. *layout gets the
    /// layout; *lastX and *lastCy are in p's coordinates.
    static void paintCached(QPainter &p, const QRect &area, const QFont &font, double k, bool dark,
        const Colors &colors, const std::function<void(QPainter &, const QRectF &, SpanKind)> &drawSpan, double *lastX,
        double *lastCy, LegendLayout *layout);
};

} // namespace threadlab
