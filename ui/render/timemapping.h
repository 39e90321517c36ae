// The time↔x mapping of the timeline: a plain value type (start time, ns per pixel, left edge).
#pragma once

#include <QString>
#include <QtGlobal>
#include <algorithm>
#include <cmath>

namespace threadlab {

/// Maps CLOCK_MONOTONIC nanoseconds to widget x coordinates and back. Immutable operations return a
/// new mapping, so views can compare before/after and tests need no widget.
class TimeMapping
{
public:
    static constexpr double MinNsPerPixel = 0.01; ///< 100 px per ns at most
    static constexpr double MaxNsPerPixel = 600e9 / 100.0; ///< ~10 minutes over 100 px at least

    constexpr TimeMapping() = default;
    constexpr TimeMapping(qint64 startNs, double nsPerPixel, double left = 0.0)
        : m_startNs(startNs)
        , m_nsPerPixel(std::clamp(nsPerPixel, MinNsPerPixel, MaxNsPerPixel))
        , m_left(left)
    {
    }

    /// Time shown at the left edge (x == left()).
    constexpr qint64 startNs() const { return m_startNs; }
    constexpr double nsPerPixel() const { return m_nsPerPixel; }
    constexpr double left() const { return m_left; }

    constexpr double xForTime(qint64 tNs) const { return m_left + double(tNs - m_startNs) / m_nsPerPixel; }
    qint64 timeForX(double x) const { return m_startNs + std::llround((x - m_left) * m_nsPerPixel); }
    /// Time at the right edge of a plot area of the given width.
    qint64 endNs(double width) const { return timeForX(m_left + width); }
    /// Width in pixels of a duration.
    constexpr double widthFor(qint64 durationNs) const { return double(durationNs) / m_nsPerPixel; }

    /// Zooms by factor (> 1 zooms in) keeping the time under x fixed.
    TimeMapping zoomedAt(double x, double factor) const
    {
        const double anchor = double(m_startNs) + (x - m_left) * m_nsPerPixel;
        const double npp = std::clamp(m_nsPerPixel / factor, MinNsPerPixel, MaxNsPerPixel);
        return TimeMapping(std::llround(anchor - (x - m_left) * npp), npp, m_left);
    }
    /// Moves the view so that content moves by dx pixels to the right.
    TimeMapping panned(double dxPixels) const
    {
        return TimeMapping(m_startNs - std::llround(dxPixels * m_nsPerPixel), m_nsPerPixel, m_left);
    }
    /// Same scale, with the left edge at another x.
    constexpr TimeMapping withLeft(double left) const { return TimeMapping(m_startNs, m_nsPerPixel, left); }
    /// Shows [t0, t1] across width pixels starting at left, with a small margin on each side.
    static TimeMapping fit(qint64 t0, qint64 t1, double left, double width, double marginFraction = 0.03)
    {
        if (t1 <= t0)
            t1 = t0 + 1000;
        width = std::max(width, 1.0);
        const double span = double(t1 - t0) * (1.0 + 2 * marginFraction);
        const double npp = span / width;
        return TimeMapping(t0 - std::llround(double(t1 - t0) * marginFraction), npp, left);
    }

    /// A "nice" tick step (1, 2, 5 × 10^k ns) so ticks are at least minPixels apart.
    static qint64 niceStep(double nsPerPixel, double minPixels)
    {
        const double raw = std::max(1.0, nsPerPixel * minPixels);
        double mag = std::pow(10.0, std::floor(std::log10(raw)));
        for (;;) {
            for (double m : { 1.0, 2.0, 5.0 })
                if (m * mag >= raw)
                    return std::max<qint64>(1, qint64(m * mag));
            mag *= 10.0;
        }
    }
    /// A tick label of a time relative to the zero ("250 µs", "1.5 ms", "1.50002 s"): the unit follows the
    /// larger of the time and the step, the digits follow the step, so consecutive ticks never read the same.
    static QString tickLabel(qint64 ns, qint64 stepNs)
    {
        struct Unit
        {
            double scale;
            const char16_t *name;
        };
        static constexpr Unit units[]
            = { { 60e9, u"min" }, { 1e9, u"s" }, { 1e6, u"ms" }, { 1e3, u"µs" }, { 1, u"ns" } };
        const double a = std::max(std::abs(double(ns)), double(stepNs));
        for (const Unit &u : units) {
            if (a >= u.scale || u.scale == 1) {
                const double stepInUnit = double(stepNs) / u.scale;
                int decimals = 0;
                while (decimals < 9 && stepInUnit * std::pow(10.0, decimals) < 0.999)
                    ++decimals;
                if (u.scale == 60e9)
                    decimals = std::max(decimals, 1);
                return QString::number(double(ns) / u.scale, 'f', decimals) + QLatin1Char(' ')
                    + QString::fromUtf16(u.name);
            }
        }
        return QString::number(ns) + QStringLiteral(" ns");
    }

    friend constexpr bool operator==(const TimeMapping &, const TimeMapping &) = default;

private:
    qint64 m_startNs = 0;
    double m_nsPerPixel = 1000.0;
    double m_left = 0.0;
};

} // namespace threadlab
