// Zoom, pan and follow-live state of the timeline: a small QObject shared by the view and its controls.
#pragma once

#include "timemapping.h"

#include <QObject>

namespace threadlab {

class TimelineZoom : public QObject
{
    Q_OBJECT
public:
    explicit TimelineZoom(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TimelineZoom)

    const TimeMapping &mapping() const { return m_mapping; }
    void setMapping(const TimeMapping &mapping);
    /// Following live keeps the latest time at the right edge; any manual zoom or pan turns it off.
    bool followLive() const { return m_follow; }
    void setFollowLive(bool follow);

    /// Zooms by factor (> 1 in) about x; turns follow-live off.
    void zoomAt(double x, double factor);
    void pan(double dxPixels);
    void fit(qint64 t0, qint64 t1, double left, double width);

signals:
    void changed();
    void followLiveChanged(bool follow);

private:
    TimeMapping m_mapping;
    bool m_follow = true;
};

} // namespace threadlab
