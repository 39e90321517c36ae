// The measuring timeline widget: lanes per worker, Ctrl+wheel zoom, drag pan, Shift+drag Δt, hover values.
#pragma once

#include "timelinedata.h"
#include "timelinerenderer.h"
#include "timelinezoom.h"

#include <QTimer>
#include <QWidget>

class QScrollBar;

namespace threadlab {

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TimelineView)

    TimelineData &data() { return m_data; }
    const TimelineData &data() const { return m_data; }
    TimelineZoom *zoom() const { return m_zoom; }
    /// The options the view paints with (palette, selection, measure…), for exporting what is seen.
    TimelineRenderOptions renderOptions() const;
    /// The plot width (view width minus the scroll bar).
    int plotAreaWidth() const;

    void addLane(int workerId, const QString &name, const QString &subtitle);
    void removeLane(int workerId);
    void applyEvents(const EventList &batch);
    void setSelectedWorker(int workerId);
    int selectedWorker() const { return m_selected; }

    void fitAll();
    /// Zooms to the stop of a worker (stop request → joined, with margins); false if it has none.
    bool zoomToStop(int workerId);
    void setFollowLive(bool follow);
    /// Replaces every lane and event (a reopened recording); frozenNowNs >= 0 is where open spans end
    /// (-1: live, open spans end at the current time).
    void setData(TimelineData data, qint64 frozenNowNs = -1);
    /// Forgets every lane and event and returns to live mode.
    void clearData();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void workerClicked(int workerId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;

private:
    void handleLiveTick();
    void updateScrollRange();
    int laneAt(int y) const;
    QString toolTipAt(const QPoint &pos) const;
    qint64 nowNs() const;

    TimelineData m_data;
    TimelineZoom *m_zoom;
    QScrollBar *m_scroll;
    QTimer m_live;
    int m_selected = -1;
    bool m_panning = false;
    bool m_measuring = false;
    QPointF m_lastPos;
    std::optional<std::pair<qint64, qint64>> m_measure;
    qint64 m_cursorNs = -1;
    qint64 m_frozenNow = -1;
};

} // namespace threadlab
