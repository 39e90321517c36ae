// Paints the timeline (axis, lanes, spans, markers, brackets, legend, caption, scale bar); usable headless.
#pragma once

#include "timelinedata.h"
#include "timemapping.h"

#include <QFont>
#include <QImage>
#include <QPalette>
#include <QRect>
#include <QString>
#include <optional>

class QPainter;

namespace threadlab {

/// Everything the renderer needs besides the data and the mapping.
struct TimelineRenderOptions
{
    QPalette palette;
    int laneHeight = 36;
    int labelWidth = 180;
    int axisHeight = 28;
    int scrollY = 0; ///< vertical scroll of the lanes, pixels
    int selectedWorker = -1;
    qint64 zeroNs = -1; ///< axis labels are relative to this time (-1: the data's zero, the run's start)
    QString zeroLabel; ///< what the zero is, left of the axis (empty: "time since run start")
    qint64 nowNs = -1; ///< where open spans end (-1: the last event)
    std::optional<std::pair<qint64, qint64>> measure; ///< a Shift+drag interval
    qint64 cursorNs = -1; ///< hover line
    bool legend = true;
    bool scaleBar = false;
    QString captionTitle; ///< empty: no caption
    QString captionDetails;
    QRect exposed; ///< only this part needs painting (null: everything)
    QFont font; ///< base font (default: the painter's)

    /// Sets font and the sizes that follow it (lane height, label column, axis): the defaults at the usual 9-10 pt
    /// font and proportionally larger with a larger one, so a scaled-up font (presenter mode) never overflows.
    void fitToFont(const QFont &f);
};

class TimelineRenderer
{
public:
    static constexpr int LegendHeight = 30; ///< one legend row at the default font
    static constexpr int CaptionHeight = 52;
    /// The caption's height for the options' font (0 without a caption).
    static int captionHeight(const TimelineRenderOptions &options);
    /// The legend's height in one row for the options' font (0 without a legend).
    static int legendHeight(const TimelineRenderOptions &options);
    /// Options for a picture on a slide: text of at least minTextPx pixels at 1× (the smallest text included),
    /// lanes, label column and axis sized to fit it.
    static TimelineRenderOptions forSlides(TimelineRenderOptions options, int minTextPx = 14);

    /// Paints into [0,0,size]; mapping.left() must equal options.labelWidth.
    static void render(QPainter &p, const QSize &size, const TimelineData &data, const TimeMapping &mapping,
        const TimelineRenderOptions &options);
    /// Height needed to show every lane plus axis, legend and caption (width: the legend wraps to it; 0: one row).
    static int fullHeight(const TimelineData &data, const TimelineRenderOptions &options, int width = 0);
    /// The legend's height at this width: it wraps into as many rows as its entries need (0: none).
    static int legendHeight(int width, const TimelineRenderOptions &options);
    /// Renders into a new image of size × dpr pixels (device pixel ratio set), fitting all time if fit.
    static QImage renderImage(const TimelineData &data, const TimeMapping &mapping, TimelineRenderOptions options,
        const QSize &size, qreal dpr);
    /// Top of the lane area (below caption and axis).
    static int lanesTop(const TimelineRenderOptions &options);
    /// Bottom of the lane area (above the legend).
    static int lanesBottom(const QSize &size, const TimelineRenderOptions &options);
    /// A "nice" tick step (1, 2, 5 × 10^k ns) so ticks are at least minPixels apart.
    static qint64 niceStep(double nsPerPixel, double minPixels);
    /// A tick label with as many digits as the step needs ("250 µs", "1.5 ms", "2 min").
    static QString formatTick(qint64 ns, qint64 stepNs);
    /// "Linux 6.1 · x86_64 · 2 cores · Qt 6.4.2".
    static QString machineDescription();
};

} // namespace threadlab
