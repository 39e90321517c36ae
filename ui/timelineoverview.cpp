// The overview strip under the timeline (see timelineoverview.h).
#include "timelineoverview.h"

#include "statestyle.h"
#include "timelineview.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace threadlab {

namespace {
constexpr int StripHeight = 30;
} // namespace

TimelineOverview::TimelineOverview(TimelineView *view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
{
    setAccessibleName(u"Timeline overview"_qs);
    setToolTip(u"The whole run in miniature; the frame is what the timeline shows. Click or drag to move there."_qs);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setCursor(Qt::PointingHandCursor);
    // At most ~8 repaints a second: a followed live run changes the zoom at 30 Hz, and the strip draws every lane.
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(120);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (isVisible())
            update();
        // Lanes grow while they run even when the view is not following.
        if (m_view && m_view->data().hasOpenSpans())
            m_refresh.start(250);
    });
    connect(view->zoom(), &TimelineZoom::changed, this, [this] {
        if (m_dragging)
            update(); // the user moves the frame: follow the hand
        else if (!m_refresh.isActive())
            m_refresh.start(120);
    });
    m_refresh.start();
}

QSize TimelineOverview::sizeHint() const
{
    return { 400, StripHeight };
}

QSize TimelineOverview::minimumSizeHint() const
{
    return { 100, StripHeight };
}

std::pair<qint64, qint64> TimelineOverview::range() const
{
    if (!m_view)
        return { -1, -1 };
    const TimelineData &data = m_view->data();
    const qint64 first = data.viewStartNs();
    if (first < 0)
        return { -1, -1 };
    const qint64 now = m_view->renderOptions().nowNs;
    return { first, std::max({ now, data.lastNs(), first + 1000 }) };
}

QRectF TimelineOverview::plotRect() const
{
    // Under the view's plot column, so a time sits under the same time of the lanes when all is fitted.
    const int left = m_view ? m_view->renderOptions().labelWidth : 0;
    const int right = m_view ? m_view->plotAreaWidth() : width();
    return QRectF(left, 2, std::max(10, right - left), height() - 4);
}

TimelineOverview::Frame TimelineOverview::frame() const
{
    // Read once per paint or click: the view's render options are not free (fonts and metrics).
    Frame f;
    const auto [first, last] = range();
    f.first = first;
    f.last = last;
    f.plot = plotRect();
    return f;
}

double TimelineOverview::Frame::xForTime(qint64 t) const
{
    if (first < 0)
        return plot.left();
    return plot.left() + double(t - first) / double(last - first) * plot.width();
}

qint64 TimelineOverview::Frame::timeForX(double x) const
{
    if (first < 0)
        return 0;
    return first + std::llround((x - plot.left()) / plot.width() * double(last - first));
}

double TimelineOverview::xForTime(qint64 t) const
{
    return frame().xForTime(t);
}

qint64 TimelineOverview::timeForX(double x) const
{
    return frame().timeForX(x);
}

QRectF TimelineOverview::windowRect() const
{
    return windowRectIn(frame());
}

QRectF TimelineOverview::windowRectIn(const Frame &f) const
{
    if (!m_view || f.first < 0)
        return {};
    const TimeMapping m = m_view->zoom()->mapping().withLeft(m_view->renderOptions().labelWidth);
    const qint64 t0 = m.timeForX(m.left());
    const qint64 t1 = m.endNs(m_view->plotAreaWidth() - m.left());
    const QRectF &r = f.plot;
    const double x0 = std::clamp(f.xForTime(t0), r.left(), r.right());
    const double x1 = std::clamp(f.xForTime(t1), r.left(), r.right());
    return QRectF(x0, r.top(), std::max(3.0, x1 - x0), r.height());
}

void TimelineOverview::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const bool dark = StateStyle::isDark(pal);
    const Frame f = frame();
    const QRectF &r = f.plot;
    p.fillRect(rect(), pal.color(QPalette::Window));
    p.fillRect(r, pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(r.adjusted(-0.5, -0.5, 0.5, 0.5));
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRect(4, 0, int(r.left()) - 8, height()), Qt::AlignVCenter | Qt::AlignLeft,
        fontMetrics().elidedText(u"overview"_qs, Qt::ElideRight, int(r.left()) - 8));
    if (!m_view || f.first < 0)
        return;
    const auto &lanes = m_view->data().lanes();
    if (!lanes.empty()) {
        // Each lane a row of at least one pixel; with more lanes than pixels, several share a row (last drawn wins).
        const double rowH = std::max(1.0, r.height() / double(lanes.size()));
        for (size_t i = 0; i < lanes.size(); ++i) {
            const double y = r.top() + std::min(r.height() - rowH, double(i) * r.height() / double(lanes.size()));
            for (const WorkerStateSpan &s : lanes[i].fold->spans()) {
                const auto kind = TimelineData::spanKindOf(s.state);
                if (!kind)
                    continue;
                const double x0 = std::max(r.left(), f.xForTime(s.beginNs));
                const double x1 = std::min(r.right(), f.xForTime(s.endNs >= 0 ? s.endNs : f.last));
                if (x1 >= r.left() && x0 <= r.right())
                    p.fillRect(QRectF(x0, y, std::max(1.0, x1 - x0), rowH), StateStyle::spanColor(*kind, dark));
            }
        }
    }
    // The visible window: a frame and a veil over the rest.
    const QRectF w = windowRectIn(f);
    QColor veil = pal.color(QPalette::Window);
    veil.setAlpha(120);
    p.fillRect(QRectF(r.left(), r.top(), w.left() - r.left(), r.height()), veil);
    p.fillRect(QRectF(w.right(), r.top(), r.right() - w.right(), r.height()), veil);
    p.setPen(QPen(pal.color(QPalette::Highlight), 2.0));
    p.setBrush(Qt::NoBrush);
    p.drawRect(w.adjusted(1, 1, -1, -1));
}

void TimelineOverview::centreAt(double x)
{
    if (!m_view || range().first < 0)
        return;
    TimelineZoom *zoom = m_view->zoom();
    const TimeMapping m = zoom->mapping();
    const int left = m_view->renderOptions().labelWidth;
    const double plotWidth = m_view->plotAreaWidth() - left;
    const qint64 centre = frame().timeForX(x);
    zoom->setFollowLive(false);
    zoom->setMapping(TimeMapping(centre - std::llround(plotWidth / 2 * m.nsPerPixel()), m.nsPerPixel(), m.left()));
}

void TimelineOverview::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_dragging = true;
    centreAt(event->position().x());
}

void TimelineOverview::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging)
        centreAt(event->position().x());
}

void TimelineOverview::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = false;
    QWidget::mouseReleaseEvent(event);
}

} // namespace threadlab
