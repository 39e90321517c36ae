// Zoom, pan and follow-live state of the timeline: a small QObject shared by the view and its controls.
#include "timelinezoom.h"

namespace threadlab {

TimelineZoom::TimelineZoom(QObject *parent)
    : QObject(parent)
{
}

void TimelineZoom::setMapping(const TimeMapping &mapping)
{
    if (mapping == m_mapping)
        return;
    m_mapping = mapping;
    emit changed();
}

void TimelineZoom::setFollowLive(bool follow)
{
    if (follow == m_follow)
        return;
    m_follow = follow;
    emit followLiveChanged(follow);
}

void TimelineZoom::zoomAt(double x, double factor)
{
    setFollowLive(false);
    setMapping(m_mapping.zoomedAt(x, factor));
}

void TimelineZoom::pan(double dxPixels)
{
    setFollowLive(false);
    setMapping(m_mapping.panned(dxPixels));
}

void TimelineZoom::fit(qint64 t0, qint64 t1, double left, double width)
{
    setMapping(TimeMapping::fit(t0, t1, left, width));
}

} // namespace threadlab
