// The overview strip under the timeline: the whole run in miniature, the visible window marked, click to navigate.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace threadlab {

class TimelineView;

/// Every lane of the view's data as a thin row of its state colours, from the run's start to now, and the time
/// window the view shows as a frame. A click centres the view there; a drag moves it (follow-live turns off).
/// Reads the view's data and zoom; owns no state of its own beyond the drag.
class TimelineOverview : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineOverview(TimelineView *view, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TimelineOverview)

    /// The whole range the strip shows, [first, last] (first < 0: nothing to show).
    std::pair<qint64, qint64> range() const;
    /// The strip's x of a time, and back (the strip spans the view's plot column).
    double xForTime(qint64 t) const;
    qint64 timeForX(double x) const;
    /// The visible window of the view, in strip coordinates.
    QRectF windowRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    /// The strip's time range and plot rectangle, read once.
    struct Frame
    {
        qint64 first = -1;
        qint64 last = -1;
        QRectF plot;
        double xForTime(qint64 t) const;
        qint64 timeForX(double x) const;
    };
    Frame frame() const;
    QRectF windowRectIn(const Frame &f) const;
    void centreAt(double x);
    QRectF plotRect() const;

    QPointer<TimelineView> m_view;
    QTimer m_refresh;
    bool m_dragging = false;
};

} // namespace threadlab
