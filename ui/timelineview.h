// The measuring timeline widget: lanes per worker, Ctrl+wheel zoom, drag pan, Shift+drag Δt, hover values.
#pragma once

#include "model/runsource.h"
#include "timelinedata.h"
#include "timelinerenderer.h"
#include "timelinezoom.h"

#include <QPointer>
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

    const TimelineData &data() const { return m_data; }
    TimelineZoom *zoom() const { return m_zoom; }
    /// The options the view paints with (palette, selection, measure, zero…), for exporting what is seen.
    TimelineRenderOptions renderOptions() const;
    /// The plot width (view width minus the scroll bar).
    int plotAreaWidth() const;

    /// Shows the workers of this source (nullptr: nothing); a new source shows its current run from 0.
    void setSource(RunSource *source);
    RunSource *source() const { return m_source; }
    void setSelectedWorker(int workerId);
    int selectedWorker() const { return m_selected; }

    /// The axis zero: the current run's first start request by default.
    qint64 zeroNs() const;
    /// Re-zeroes the axis at a worker's stop request (false if it has none); resetZero() goes back to the run.
    bool zeroAtStopRequest(int workerId);
    void resetZero();
    bool isZeroAtStopRequest() const { return m_zeroWorker >= 0; }
    /// What the axis zero is, left of the axis (empty: "time since run start"); e.g. a comparison's lanes.
    void setZeroLabel(const QString &label);

    /// Shows only the lanes matching filter (words matched against name, backend · workload and outcome; see
    /// TimelineData::filter()); empty shows all. The lanes shown and the total are laneCount() / totalLaneCount().
    void setLaneFilter(const QString &filter);
    QString laneFilter() const { return m_filter; }
    int totalLaneCount() const { return m_totalLanes; }

    void fitAll();
    /// Zooms to the measured range: the Shift+drag interval if there is one, else from the first stop request of
    /// the lanes shown to the last end after one (their stop brackets). False when there is neither.
    bool zoomToMeasured();
    /// Zooms to the stop of a worker (stop request → joined, with margins); false if it has none.
    bool zoomToStop(int workerId);
    void setFollowLive(bool follow);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void workerClicked(int workerId);
    /// The axis zero moved (a new run, or re-zeroed at a stop request).
    void zeroChanged(qint64 zeroNs);
    /// The lanes shown changed (a rebuild or a new filter): shown of total.
    void lanesChanged(int shown, int total);

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
    void rebuild();
    void handleRunsChanged();
    void updateScrollRange();
    int laneAt(int y) const;
    QString toolTipAt(const QPoint &pos) const;
    qint64 nowNs() const;

    QPointer<RunSource> m_source;
    TimelineData m_data;
    int m_zeroWorker = -1; ///< re-zeroed at this worker's stop request (-1: the run's zero)
    QString m_zeroLabel;
    QString m_filter;
    int m_totalLanes = 0; ///< what the run's zero is (empty: the renderer's "time since run start")
    int m_runId = -1; ///< the run shown; a new one is fitted from its zero
    TimelineZoom *m_zoom;
    QScrollBar *m_scroll;
    QTimer m_live;
    int m_selected = -1;
    bool m_panning = false;
    bool m_measuring = false;
    QPointF m_lastPos;
    std::optional<std::pair<qint64, qint64>> m_measure;
    qint64 m_cursorNs = -1;
};

} // namespace threadlab
