// Colours, patterns and shape icons of states, outcomes and timeline markers (light and dark palettes).
#include "statestyle.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QPolygonF>
#include <cmath>
#include <functional>

namespace threadlab {

namespace {

QPolygonF regularPolygon(const QRectF &r, int n, double phase)
{
    QPolygonF poly;
    const QPointF c = r.center();
    const double rad = std::min(r.width(), r.height()) / 2.0;
    for (int i = 0; i < n; ++i) {
        const double a = phase + 2.0 * M_PI * i / n;
        poly << QPointF(c.x() + rad * std::cos(a), c.y() + rad * std::sin(a));
    }
    return poly;
}

QPixmap iconPixmap(int size, const std::function<void(QPainter &, const QRectF &)> &draw)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    draw(p, QRectF(1.5, 1.5, size - 3.0, size - 3.0));
    return pm;
}

QIcon shapeIcon(const std::function<void(QPainter &, const QRectF &)> &draw)
{
    QIcon icon;
    for (int s : { 16, 24, 32, 48 })
        icon.addPixmap(iconPixmap(s, draw));
    return icon;
}

} // namespace

bool StateStyle::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette StateStyle::lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf2, 0xf4, 0xf7));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x8e));
    p.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Button, QColor(0xea, 0xec, 0xef));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0xc4, 0xc8, 0xce));
    p.setColor(QPalette::Dark, QColor(0x9a, 0xa0, 0xa8));
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1f, 0x5f, 0xc6));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa0, 0xa8));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa0, 0xa8));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9a, 0xa0, 0xa8));
    return p;
}

QPalette StateStyle::darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x23, 0x26, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Base, QColor(0x1a, 0x1c, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x24, 0x27, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x33, 0x39));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x90, 0x98));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Button, QColor(0x2e, 0x32, 0x38));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x45, 0x4a, 0x52));
    p.setColor(QPalette::Dark, QColor(0x15, 0x17, 0x1a));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x46));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb0, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x76, 0x7e));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x76, 0x7e));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x76, 0x7e));
    return p;
}

QColor StateStyle::stateColor(WorkerState state, bool dark)
{
    switch (state) {
    case WorkerState::Created:
        return dark ? QColor(0x9a, 0xa3, 0xad) : QColor(0x7d, 0x86, 0x90);
    case WorkerState::Starting:
        return dark ? QColor(0x7f, 0xc8, 0xe8) : QColor(0x2a, 0x8c, 0xb8);
    case WorkerState::Running:
        return dark ? QColor(0x5c, 0xc8, 0x7a) : QColor(0x2e, 0x9a, 0x4f);
    case WorkerState::Paused:
        return dark ? QColor(0xb3, 0x9d, 0xf0) : QColor(0x7a, 0x5c, 0xd0);
    case WorkerState::Stopping:
        return dark ? QColor(0xf2, 0xb4, 0x4c) : QColor(0xd0, 0x86, 0x10);
    case WorkerState::CleaningUp:
        return dark ? QColor(0xf0, 0xd0, 0x60) : QColor(0xb8, 0x9a, 0x10);
    case WorkerState::Unresponsive:
        return outcomeColor(Outcome::Unresponsive, dark);
    case WorkerState::Finished:
        return dark ? QColor(0x8c, 0xa6, 0xd9) : QColor(0x3b, 0x5b, 0x9a);
    }
    return Qt::gray;
}

QColor StateStyle::outcomeColor(Outcome outcome, bool dark)
{
    switch (outcome) {
    case Outcome::None:
        return dark ? QColor(0x9a, 0xa3, 0xad) : QColor(0x7d, 0x86, 0x90);
    case Outcome::Completed:
        return dark ? QColor(0x5c, 0xc8, 0x7a) : QColor(0x1f, 0x84, 0x3e);
    case Outcome::Stopped:
        return dark ? QColor(0x6f, 0xb0, 0xff) : QColor(0x1f, 0x5f, 0xc6);
    case Outcome::Ignored:
        return dark ? QColor(0xe0, 0xa8, 0x60) : QColor(0x9a, 0x5a, 0x00);
    case Outcome::Cancelled:
        return dark ? QColor(0xa0, 0xb0, 0xc0) : QColor(0x55, 0x66, 0x77);
    case Outcome::Killed:
        return dark ? QColor(0xff, 0x7a, 0x6e) : QColor(0xc6, 0x2a, 0x1f);
    case Outcome::Unresponsive:
        return dark ? QColor(0xff, 0x5c, 0xa8) : QColor(0xb0, 0x10, 0x6a);
    case Outcome::Crashed:
        return dark ? QColor(0xff, 0x9d, 0x4d) : QColor(0xb8, 0x4a, 0x00);
    case Outcome::Failed:
        return dark ? QColor(0xff, 0x7a, 0x6e) : QColor(0x9a, 0x1f, 0x1f);
    }
    return Qt::gray;
}

QColor StateStyle::spanColor(SpanKind kind, bool dark)
{
    switch (kind) {
    case SpanKind::Starting:
        return stateColor(WorkerState::Starting, dark);
    case SpanKind::Running:
        return stateColor(WorkerState::Running, dark);
    case SpanKind::Paused:
        return stateColor(WorkerState::Paused, dark);
    case SpanKind::Stopping:
        return stateColor(WorkerState::Stopping, dark);
    case SpanKind::CleaningUp:
        return stateColor(WorkerState::CleaningUp, dark);
    case SpanKind::Unresponsive:
        return outcomeColor(Outcome::Unresponsive, dark);
    }
    return Qt::gray;
}

Qt::BrushStyle StateStyle::spanPattern(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Starting:
        return Qt::Dense6Pattern;
    case SpanKind::Running:
        return Qt::SolidPattern;
    case SpanKind::Paused:
        return Qt::HorPattern;
    case SpanKind::Stopping:
        return Qt::BDiagPattern;
    case SpanKind::CleaningUp:
        return Qt::DiagCrossPattern;
    case SpanKind::Unresponsive:
        return Qt::CrossPattern;
    }
    return Qt::SolidPattern;
}

QString StateStyle::spanName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Starting:
        return toString(WorkerState::Starting);
    case SpanKind::Running:
        return toString(WorkerState::Running);
    case SpanKind::Paused:
        return toString(WorkerState::Paused);
    case SpanKind::Stopping:
        return toString(WorkerState::Stopping);
    case SpanKind::CleaningUp:
        return toString(WorkerState::CleaningUp);
    case SpanKind::Unresponsive:
        return toString(Outcome::Unresponsive);
    }
    return {};
}

QColor StateStyle::markerColor(EventKind kind, bool dark)
{
    switch (kind) {
    case EventKind::StopRequested:
        return stateColor(WorkerState::Stopping, dark);
    case EventKind::StopObserved:
        return dark ? QColor(0xff, 0xe0, 0x70) : QColor(0x8a, 0x6a, 0x00);
    case EventKind::KillSent:
    case EventKind::KillTimeout:
        return outcomeColor(Outcome::Killed, dark);
    case EventKind::Exited:
        return dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x30, 0x34, 0x3a);
    case EventKind::Joined:
        return stateColor(WorkerState::Finished, dark);
    case EventKind::Leak:
        return outcomeColor(Outcome::Crashed, dark);
    default:
        return dark ? QColor(0xb0, 0xb6, 0xbe) : QColor(0x60, 0x66, 0x6e);
    }
}

void StateStyle::paintStateShape(QPainter &p, const QRectF &r, WorkerState state, bool dark)
{
    const QColor c = stateColor(state, dark);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(c.darker(dark ? 100 : 130), std::max(1.0, r.width() / 10.0)));
    p.setBrush(c);
    const QRectF s = r.adjusted(r.width() * 0.08, r.height() * 0.08, -r.width() * 0.08, -r.height() * 0.08);
    switch (state) {
    case WorkerState::Created:
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(c, std::max(1.5, r.width() / 7.0)));
        p.drawEllipse(s.adjusted(1, 1, -1, -1));
        break;
    case WorkerState::Starting: {
        QPolygonF tri;
        tri << s.topLeft() << QPointF(s.right(), s.center().y()) << s.bottomLeft();
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(c, std::max(1.5, r.width() / 7.0)));
        p.drawPolygon(tri);
        break;
    }
    case WorkerState::Running: {
        QPolygonF tri;
        tri << s.topLeft() << QPointF(s.right(), s.center().y()) << s.bottomLeft();
        p.drawPolygon(tri);
        break;
    }
    case WorkerState::Paused: {
        const double w = s.width() * 0.34;
        p.drawRect(QRectF(s.left(), s.top(), w, s.height()));
        p.drawRect(QRectF(s.right() - w, s.top(), w, s.height()));
        break;
    }
    case WorkerState::Stopping:
        p.drawPolygon(regularPolygon(s, 8, M_PI / 8));
        break;
    case WorkerState::CleaningUp:
        p.drawPolygon(regularPolygon(s, 4, -M_PI / 2));
        break;
    case WorkerState::Unresponsive: {
        // The outcome's warning triangle: the same shape in the state and outcome columns.
        p.restore();
        paintOutcomeShape(p, r, Outcome::Unresponsive, dark);
        return;
    }
    case WorkerState::Finished:
        p.drawRect(s.adjusted(s.width() * 0.1, s.height() * 0.1, -s.width() * 0.1, -s.height() * 0.1));
        break;
    }
    p.restore();
}

void StateStyle::paintOutcomeShape(QPainter &p, const QRectF &r, Outcome outcome, bool dark)
{
    const QColor c = outcomeColor(outcome, dark);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    const double lw = std::max(1.6, r.width() / 6.0);
    p.setPen(QPen(c, lw, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    const QRectF s = r.adjusted(r.width() * 0.15, r.height() * 0.15, -r.width() * 0.15, -r.height() * 0.15);
    switch (outcome) {
    case Outcome::None:
        p.drawLine(QPointF(s.left(), s.center().y()), QPointF(s.right(), s.center().y()));
        break;
    case Outcome::Completed: {
        QPolygonF tick;
        tick << QPointF(s.left(), s.center().y()) << QPointF(s.left() + s.width() * 0.38, s.bottom())
             << QPointF(s.right(), s.top());
        p.drawPolyline(tick);
        break;
    }
    case Outcome::Stopped:
        p.setBrush(c);
        p.drawRect(s.adjusted(1, 1, -1, -1));
        break;
    case Outcome::Ignored: {
        // A return arrow: the code went its own way and came back by itself.
        QPainterPath path;
        path.moveTo(s.right(), s.top() + s.height() * 0.25);
        path.lineTo(s.left() + s.width() * 0.35, s.top() + s.height() * 0.25);
        path.arcTo(QRectF(s.left(), s.top() + s.height() * 0.25, s.width() * 0.7, s.height() * 0.75), 90, 180);
        p.drawPath(path);
        p.drawLine(QPointF(s.right(), s.top() + s.height() * 0.25), QPointF(s.right() - s.width() * 0.25, s.top()));
        p.drawLine(QPointF(s.right(), s.top() + s.height() * 0.25),
            QPointF(s.right() - s.width() * 0.25, s.top() + s.height() * 0.5));
        break;
    }
    case Outcome::Cancelled:
        p.drawEllipse(s);
        p.drawLine(QPointF(s.left() + s.width() * 0.15, s.bottom() - s.height() * 0.15),
            QPointF(s.right() - s.width() * 0.15, s.top() + s.height() * 0.15));
        break;
    case Outcome::Killed:
        p.drawLine(s.topLeft(), s.bottomRight());
        p.drawLine(s.topRight(), s.bottomLeft());
        break;
    case Outcome::Unresponsive: {
        QPolygonF tri;
        tri << QPointF(s.center().x(), s.top()) << s.bottomRight() << s.bottomLeft();
        p.setPen(QPen(c, std::max(1.2, lw * 0.7), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolygon(tri);
        p.drawLine(QPointF(s.center().x(), s.top() + s.height() * 0.35),
            QPointF(s.center().x(), s.bottom() - s.height() * 0.3));
        break;
    }
    case Outcome::Crashed: {
        QPolygonF bolt;
        bolt << QPointF(s.center().x() + s.width() * 0.2, s.top())
             << QPointF(s.left() + s.width() * 0.2, s.center().y())
             << QPointF(s.right() - s.width() * 0.2, s.center().y())
             << QPointF(s.center().x() - s.width() * 0.2, s.bottom());
        p.drawPolyline(bolt);
        break;
    }
    case Outcome::Failed:
        p.drawEllipse(s);
        p.drawLine(QPointF(s.center().x(), s.top() + s.height() * 0.2), QPointF(s.center().x(), s.center().y() + 1));
        p.drawPoint(QPointF(s.center().x(), s.bottom() - s.height() * 0.2));
        break;
    }
    p.restore();
}

void StateStyle::paintMarker(QPainter &p, double x, double y, double half, EventKind kind, bool dark)
{
    const QColor c = markerColor(kind, dark);
    const QColor outline = dark ? QColor(0x10, 0x10, 0x10) : QColor(0xff, 0xff, 0xff);
    p.setPen(QPen(outline, 1.0));
    p.setBrush(c);
    switch (kind) {
    case EventKind::StopRequested: { // downward triangle: "stop asked here"
        QPolygonF tri;
        tri << QPointF(x - half, y - half) << QPointF(x + half, y - half) << QPointF(x, y + half);
        p.drawPolygon(tri);
        break;
    }
    case EventKind::StopObserved: // circle: "the worker saw it"
        p.drawEllipse(QPointF(x, y), half * 0.85, half * 0.85);
        break;
    case EventKind::KillSent: { // a cross
        p.setPen(QPen(c, std::max(2.0, half / 2.5), Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x - half, y - half), QPointF(x + half, y + half));
        p.drawLine(QPointF(x + half, y - half), QPointF(x - half, y + half));
        break;
    }
    case EventKind::KillTimeout: { // warning triangle
        QPolygonF tri;
        tri << QPointF(x, y - half) << QPointF(x + half, y + half) << QPointF(x - half, y + half);
        p.drawPolygon(tri);
        break;
    }
    case EventKind::Exited: // a tall bar: "the code returned"
        p.drawRect(QRectF(x - 1.5, y - half * 1.2, 3.0, half * 2.4));
        break;
    case EventKind::Joined: // a square: "the owner knows"
        p.drawRect(QRectF(x - half * 0.8, y - half * 0.8, half * 1.6, half * 1.6));
        break;
    case EventKind::Leak: // diamond
        p.drawPolygon(regularPolygon(QRectF(x - half, y - half, 2 * half, 2 * half), 4, -M_PI / 2));
        break;
    default:
        p.drawEllipse(QPointF(x, y), half * 0.5, half * 0.5);
        break;
    }
}

QIcon StateStyle::stateIcon(WorkerState state, bool dark)
{
    return shapeIcon([state, dark](QPainter &p, const QRectF &r) { paintStateShape(p, r, state, dark); });
}

QIcon StateStyle::outcomeIcon(Outcome outcome, bool dark)
{
    return shapeIcon([outcome, dark](QPainter &p, const QRectF &r) { paintOutcomeShape(p, r, outcome, dark); });
}

QIcon StateStyle::actionIcon(const QString &name, bool dark)
{
    const QColor ink = dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x30, 0x36, 0x3e);
    return shapeIcon([name, dark, ink](QPainter &p, const QRectF &r) {
        const double lw = std::max(1.5, r.width() / 9.0);
        p.setPen(QPen(ink, lw, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        const QRectF s = r.adjusted(r.width() * 0.12, r.height() * 0.12, -r.width() * 0.12, -r.height() * 0.12);
        if (name == u"add") {
            p.drawLine(QPointF(s.center().x(), s.top()), QPointF(s.center().x(), s.bottom()));
            p.drawLine(QPointF(s.left(), s.center().y()), QPointF(s.right(), s.center().y()));
        } else if (name == u"start") {
            paintStateShape(p, s, WorkerState::Running, dark);
        } else if (name == u"stop") {
            paintStateShape(p, s, WorkerState::Stopping, dark);
        } else if (name == u"kill") {
            paintOutcomeShape(p, s, Outcome::Killed, dark);
        } else if (name == u"escalate") {
            p.setPen(QPen(stateColor(WorkerState::Stopping, dark), lw, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(s.left(), s.bottom()), QPointF(s.center().x(), s.center().y()));
            p.setPen(QPen(outcomeColor(Outcome::Killed, dark), lw, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(s.center().x(), s.center().y()), QPointF(s.right(), s.top()));
            p.drawLine(QPointF(s.right() - s.width() * 0.35, s.top()), QPointF(s.right(), s.top()));
            p.drawLine(QPointF(s.right(), s.top()), QPointF(s.right(), s.top() + s.height() * 0.35));
        } else if (name == u"pause") {
            paintStateShape(p, s, WorkerState::Paused, dark);
        } else if (name == u"stopall") {
            p.setBrush(stateColor(WorkerState::Stopping, dark));
            p.setPen(Qt::NoPen);
            p.drawRect(QRectF(s.left(), s.top(), s.width() * 0.6, s.height() * 0.6));
            p.setBrush(outcomeColor(Outcome::Killed, dark));
            p.drawRect(
                QRectF(s.left() + s.width() * 0.4, s.top() + s.height() * 0.4, s.width() * 0.6, s.height() * 0.6));
        } else if (name == u"clear") {
            p.drawLine(QPointF(s.left(), s.top() + s.height() * 0.2), QPointF(s.right(), s.top() + s.height() * 0.2));
            p.drawRect(
                QRectF(s.left() + s.width() * 0.18, s.top() + s.height() * 0.2, s.width() * 0.64, s.height() * 0.8));
        } else if (name == u"recover") {
            p.drawArc(s, 30 * 16, 300 * 16);
            p.drawLine(QPointF(s.right() - 1, s.top() + s.height() * 0.2), QPointF(s.right(), s.center().y() - 1));
        } else if (name == u"fit") {
            p.drawLine(QPointF(s.left(), s.center().y()), QPointF(s.right(), s.center().y()));
            p.drawLine(QPointF(s.left(), s.top()), QPointF(s.left(), s.bottom()));
            p.drawLine(QPointF(s.right(), s.top()), QPointF(s.right(), s.bottom()));
        } else if (name == u"zoomstop") {
            p.drawEllipse(QRectF(s.left(), s.top(), s.width() * 0.7, s.height() * 0.7));
            p.drawLine(QPointF(s.left() + s.width() * 0.6, s.top() + s.height() * 0.6), s.bottomRight());
            paintMarker(p, s.left() + s.width() * 0.35, s.top() + s.height() * 0.35, s.width() * 0.15,
                EventKind::StopRequested, dark);
        } else if (name == u"follow") {
            p.drawLine(QPointF(s.left(), s.center().y()), QPointF(s.right() - s.width() * 0.25, s.center().y()));
            QPolygonF tri;
            tri << QPointF(s.right() - s.width() * 0.35, s.top() + s.height() * 0.2)
                << QPointF(s.right(), s.center().y())
                << QPointF(s.right() - s.width() * 0.35, s.bottom() - s.height() * 0.2);
            p.setBrush(ink);
            p.drawPolygon(tri);
        } else if (name == u"shot") {
            p.drawRoundedRect(QRectF(s.left(), s.top() + s.height() * 0.2, s.width(), s.height() * 0.8), 2, 2);
            p.drawEllipse(QPointF(s.center().x(), s.center().y() + s.height() * 0.1), s.width() * 0.2, s.width() * 0.2);
        }
    });
}

} // namespace threadlab
