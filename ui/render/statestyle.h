// Colours, patterns and shape icons of states, outcomes and timeline markers (light and dark palettes).
#pragma once

#include "base/event.h"
#include "base/vocabulary.h"

#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QPalette>

class QPainter;
class QRectF;

namespace threadlab {

/// What a span of a timeline lane shows: the live states plus "unresponsive" (running past a deadline).
enum class SpanKind { Starting, Running, Paused, Stopping, CleaningUp, Unresponsive };

class StateStyle
{
public:
    static bool isDark(const QPalette &palette);
    static QPalette lightPalette();
    static QPalette darkPalette();

    static QColor stateColor(WorkerState state, bool dark);
    static QColor outcomeColor(Outcome outcome, bool dark);
    static QColor spanColor(SpanKind kind, bool dark);
    /// A second cue besides hue, so spans differ in greyscale or for colour-blind readers.
    static Qt::BrushStyle spanPattern(SpanKind kind);
    static QString spanName(SpanKind kind);
    static QColor markerColor(EventKind kind, bool dark);

    /// Draws the state's shape (circle, triangle, bars, octagon, diamond, square) into r.
    static void paintStateShape(QPainter &p, const QRectF &r, WorkerState state, bool dark);
    /// Draws the outcome's shape (check, stop square, cross, bolt, warning triangle…) into r.
    static void paintOutcomeShape(QPainter &p, const QRectF &r, Outcome outcome, bool dark);
    /// Draws an event marker centred at (x, y) with the given half size.
    static void paintMarker(QPainter &p, double x, double y, double half, EventKind kind, bool dark);

    static QIcon stateIcon(WorkerState state, bool dark);
    static QIcon outcomeIcon(Outcome outcome, bool dark);
    /// Toolbar icons drawn with shapes (no image files): "add", "start", "stop", "kill", "escalate",
    /// "pause", "stopall", "clear", "recover", "fit", "zoomstop", "follow", "shot".
    static QIcon actionIcon(const QString &name, bool dark);
};

} // namespace threadlab
