// The measuring timeline widget: lanes per worker, Ctrl+wheel zoom, drag pan, Shift+drag Δt, hover values.
#include "timelineview.h"

#include "base/clock.h"
#include "model/lanespans.h"
#include "model/runsource.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>

namespace threadlab {

namespace {
constexpr int LiveIntervalMs = 33;
constexpr double WheelZoomPerNotch = 1.25;
} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_zoom(new TimelineZoom(this))
    , m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(u"Timeline"_qs);
    setAccessibleDescription(u"One lane per worker: state spans, stop markers and measured stop latencies"_qs);
    setWhatsThis(u"Ctrl+wheel zooms about the cursor, drag pans, Shift+drag measures an interval, hover shows "
                 "exact values. Keys: + and - zoom, arrows pan, F fits all."_qs);
    m_scroll->setAccessibleName(u"Timeline lanes scroll bar"_qs);
    connect(m_scroll, &QScrollBar::valueChanged, this, [this] { update(); });
    connect(m_zoom, &TimelineZoom::changed, this, [this] { update(); });
    connect(m_zoom, &TimelineZoom::followLiveChanged, this, [this](bool) { update(); });
    m_live.setInterval(LiveIntervalMs);
    connect(&m_live, &QTimer::timeout, this, &TimelineView::handleLiveTick);
    m_live.start();
}

QSize TimelineView::sizeHint() const
{
    return { 900, 360 };
}
QSize TimelineView::minimumSizeHint() const
{
    return { 400, 140 };
}

int TimelineView::plotAreaWidth() const
{
    return width() - (m_scroll->isVisible() ? m_scroll->width() : 0);
}

TimelineRenderOptions TimelineView::renderOptions() const
{
    TimelineRenderOptions o;
    o.palette = palette();
    o.fitToFont(font()); // lanes, labels and axis follow the font scale
    o.scrollY = m_scroll->value();
    o.selectedWorker = m_selected;
    o.nowNs = nowNs();
    o.zeroNs = m_data.zeroNs();
    o.zeroLabel = m_zeroLabel;
    if (m_zeroWorker >= 0)
        if (const TimelineLane *lane = m_data.lane(m_zeroWorker))
            o.zeroLabel = u"since %1's stop request"_qs.arg(lane->name);
    o.measure = m_measure;
    o.cursorNs = m_cursorNs;
    return o;
}

qint64 TimelineView::nowNs() const
{
    if (m_source && m_data.hasOpenSpans())
        return m_source->nowNs();
    return m_data.lastNs();
}

void TimelineView::setSource(RunSource *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_selected = -1;
    m_zeroWorker = -1;
    m_runId = -1;
    m_measure.reset();
    m_cursorNs = -1;
    if (source) {
        connect(source, &RunSource::workersAdded, this, &TimelineView::rebuild);
        connect(source, &RunSource::workersRemoved, this, &TimelineView::rebuild);
        connect(source, &RunSource::workersChanged, this, [this] {
            // A filter on outcomes sees a worker's new outcome (a batch at most ~60 times a second).
            if (!m_filter.isEmpty())
                rebuild();
            // The folds are shared: new events are already in the lanes.
            if (m_zoom->followLive())
                handleLiveTick();
            update();
        });
        connect(source, &RunSource::runsChanged, this, &TimelineView::handleRunsChanged);
    }
    rebuild();
    handleRunsChanged();
    // Following a recording is harmless: its "now" is its last event, so the view stays put.
    m_zoom->setFollowLive(true);
    fitAll();
}

void TimelineView::rebuild()
{
    m_data = m_source ? TimelineData::of(*m_source) : TimelineData();
    m_totalLanes = int(m_data.filter(m_filter));
    const qint64 before = m_data.zeroNs();
    m_data.setZeroNs(zeroNs());
    if (m_zeroWorker >= 0 && !m_data.lane(m_zeroWorker))
        resetZero();
    else if (m_data.zeroNs() != before && m_zoom->followLive())
        fitAll(); // the run's zero came with its events: the axis starts there
    updateScrollRange();
    update();
    emit lanesChanged(int(m_data.lanes().size()), m_totalLanes);
}

void TimelineView::setLaneFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    m_scroll->setValue(0);
    rebuild();
}

void TimelineView::handleRunsChanged()
{
    const auto run = m_source ? m_source->currentRun() : std::nullopt;
    const int runId = run ? run->id : -1;
    const qint64 before = m_data.zeroNs();
    const bool newRun = runId != m_runId;
    if (newRun) {
        // A new run is shown from its own zero, fitted from 0 (never squashed at the right edge).
        m_runId = runId;
        m_zeroWorker = -1;
        m_zoom->setFollowLive(true);
    }
    m_data.setZeroNs(zeroNs());
    // A new run is fitted even when rebuild() already took its zero (its events came before runsChanged).
    if (newRun || m_data.zeroNs() != before) {
        if (m_zoom->followLive())
            fitAll();
        emit zeroChanged(m_data.zeroNs());
    }
    update();
}

qint64 TimelineView::zeroNs() const
{
    if (m_zeroWorker >= 0)
        if (const TimelineLane *lane = m_data.lane(m_zeroWorker); lane && lane->stopRequestNs() >= 0)
            return lane->stopRequestNs();
    return m_source ? m_source->currentZeroNs() : -1;
}

bool TimelineView::zeroAtStopRequest(int workerId)
{
    const TimelineLane *lane = m_data.lane(workerId);
    if (!lane || lane->stopRequestNs() < 0)
        return false;
    m_zeroWorker = workerId;
    m_data.setZeroNs(lane->stopRequestNs());
    emit zeroChanged(m_data.zeroNs());
    update();
    return true;
}

void TimelineView::resetZero()
{
    if (m_zeroWorker < 0)
        return;
    m_zeroWorker = -1;
    m_data.setZeroNs(m_source ? m_source->currentZeroNs() : -1);
    emit zeroChanged(m_data.zeroNs());
    update();
}

void TimelineView::setZeroLabel(const QString &label)
{
    m_zeroLabel = label;
    update();
}

void TimelineView::setSelectedWorker(int workerId)
{
    if (m_selected == workerId)
        return;
    m_selected = workerId;
    const int idx = m_data.laneIndex(workerId);
    if (idx >= 0) {
        const TimelineRenderOptions o = renderOptions();
        const int laneTop = idx * o.laneHeight;
        const int visible = TimelineRenderer::lanesBottom(size(), o) - TimelineRenderer::lanesTop(o);
        if (laneTop < m_scroll->value() || laneTop + o.laneHeight > m_scroll->value() + visible)
            m_scroll->setValue(laneTop - visible / 3);
    }
    update();
}

void TimelineView::fitAll()
{
    // From the run's start (not the first event ever: older workers' lanes must not squash this run).
    // Nothing recorded yet (a lesson loaded, not run): the coming second from now, so the axis reads 0 onwards.
    const bool empty = m_data.viewStartNs() < 0 || m_data.lastNs() < 0;
    const qint64 clock = m_source ? m_source->nowNs() : -1;
    const qint64 start = m_data.viewStartNs() >= 0 ? m_data.viewStartNs() : std::max<qint64>(clock, 0);
    const qint64 end = empty ? start + 1'000'000'000 : std::max(nowNs(), start + 1000);
    const TimelineRenderOptions o = renderOptions();
    m_zoom->fit(start, end, o.labelWidth, plotAreaWidth() - o.labelWidth);
}

bool TimelineView::zoomToStop(int workerId)
{
    const TimelineLane *lane = m_data.lane(workerId);
    if (!lane || lane->stopRequestNs() < 0)
        return false;
    const Latencies lat = lane->fold->latencies();
    const qint64 req = lane->stopRequestNs();
    qint64 end = req + std::max<qint64>(1000, lat.joined.value_or(lat.exited.value_or(0)));
    if (!lat.joined && !lat.exited)
        end = std::max(end, nowNs());
    const qint64 span = end - req;
    m_zoom->setFollowLive(false);
    const TimelineRenderOptions o = renderOptions();
    // Leave room on the right for the bracket's label.
    m_zoom->fit(req - span / 4, end + span, o.labelWidth, plotAreaWidth() - o.labelWidth);
    return true;
}

bool TimelineView::zoomToMeasured()
{
    qint64 from = -1;
    qint64 to = -1;
    if (m_measure && m_measure->first != m_measure->second) {
        from = std::min(m_measure->first, m_measure->second);
        to = std::max(m_measure->first, m_measure->second);
    } else {
        for (const TimelineLane &lane : m_data.lanes()) {
            const qint64 req = lane.stopRequestNs();
            if (req < 0)
                continue;
            const qint64 end = lane.fold->hasEnded() ? lane.fold->times().endNs() : nowNs();
            from = from < 0 ? req : std::min(from, req);
            to = std::max({ to, end, req + 1000 });
        }
    }
    if (from < 0)
        return false;
    m_zoom->setFollowLive(false);
    const TimelineRenderOptions o = renderOptions();
    // Room on the right for the brackets' labels.
    const qint64 span = std::max<qint64>(1000, to - from);
    m_zoom->fit(from - span / 10, to + span / 3, o.labelWidth, plotAreaWidth() - o.labelWidth);
    return true;
}

void TimelineView::setFollowLive(bool follow)
{
    m_zoom->setFollowLive(follow);
    if (follow)
        fitAll();
}

void TimelineView::handleLiveTick()
{
    if (!m_data.hasOpenSpans())
        return;
    if (m_zoom->followLive())
        fitAll();
    update();
}

void TimelineView::updateScrollRange()
{
    const TimelineRenderOptions o = renderOptions();
    const int total = int(m_data.lanes().size()) * o.laneHeight;
    const int visible = TimelineRenderer::lanesBottom(size(), o) - TimelineRenderer::lanesTop(o);
    m_scroll->setRange(0, std::max(0, total - visible));
    m_scroll->setPageStep(std::max(1, visible));
    m_scroll->setSingleStep(o.laneHeight);
    m_scroll->setVisible(total > visible);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    const TimelineRenderOptions o = renderOptions();
    const int top = TimelineRenderer::lanesTop(o);
    const int bottom = TimelineRenderer::lanesBottom(size(), o);
    m_scroll->setGeometry(width() - m_scroll->sizeHint().width(), top, m_scroll->sizeHint().width(), bottom - top);
    updateScrollRange();
    QWidget::resizeEvent(event);
    if (m_zoom->followLive())
        fitAll();
}

void TimelineView::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    TimelineRenderOptions o = renderOptions();
    o.exposed = event->rect();
    TimeMapping m = m_zoom->mapping().withLeft(o.labelWidth);
    TimelineRenderer::render(p, QSize(plotAreaWidth(), height()), m_data, m, o);
    if (m_scroll->isVisible())
        p.fillRect(QRect(plotAreaWidth(), 0, width() - plotAreaWidth(), height()), palette().color(QPalette::Window));
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        m_zoom->zoomAt(event->position().x(), std::pow(WheelZoomPerNotch, notches));
    } else if (event->modifiers() & Qt::ShiftModifier || event->angleDelta().x() != 0) {
        const double dx = event->angleDelta().x() != 0 ? event->angleDelta().x() / 120.0 : notches;
        m_zoom->pan(dx * 60);
    } else {
        m_scroll->setValue(m_scroll->value() - int(notches * renderOptions().laneHeight * 2));
    }
    event->accept();
}

int TimelineView::laneAt(int y) const
{
    const TimelineRenderOptions o = renderOptions();
    const int top = TimelineRenderer::lanesTop(o);
    if (y < top || y >= TimelineRenderer::lanesBottom(size(), o))
        return -1;
    const int idx = (y - top + m_scroll->value()) / o.laneHeight;
    return idx < int(m_data.lanes().size()) ? idx : -1;
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_lastPos = event->position();
    const int lane = laneAt(int(event->position().y()));
    if (lane >= 0)
        emit workerClicked(m_data.lanes()[size_t(lane)].workerId);
    if (event->position().x() < renderOptions().labelWidth)
        return;
    if (event->modifiers() & Qt::ShiftModifier) {
        m_measuring = true;
        const qint64 t = m_zoom->mapping().withLeft(renderOptions().labelWidth).timeForX(event->position().x());
        m_measure = std::make_pair(t, t);
    } else {
        m_panning = true;
        m_measure.reset();
        setCursor(Qt::ClosedHandCursor);
    }
    update();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const TimeMapping m = m_zoom->mapping().withLeft(renderOptions().labelWidth);
    if (m_panning) {
        m_zoom->pan(event->position().x() - m_lastPos.x());
        m_scroll->setValue(m_scroll->value() - int(event->position().y() - m_lastPos.y()));
    } else if (m_measuring && m_measure) {
        m_measure->second = m.timeForX(event->position().x());
    }
    m_lastPos = event->position();
    m_cursorNs = event->position().x() >= renderOptions().labelWidth ? m.timeForX(event->position().x()) : -1;
    update();
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    m_panning = false;
    m_measuring = false;
    if (m_measure && m_measure->first == m_measure->second)
        m_measure.reset();
    unsetCursor();
    QWidget::mouseReleaseEvent(event);
    update();
}

void TimelineView::leaveEvent(QEvent *event)
{
    m_cursorNs = -1;
    update();
    QWidget::leaveEvent(event);
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const int labelWidth = renderOptions().labelWidth;
    const double center = labelWidth + (plotAreaWidth() - labelWidth) / 2.0;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_zoom->zoomAt(center, 1.5);
        break;
    case Qt::Key_Minus:
        m_zoom->zoomAt(center, 1 / 1.5);
        break;
    case Qt::Key_Left:
        m_zoom->pan(80);
        break;
    case Qt::Key_Right:
        m_zoom->pan(-80);
        break;
    case Qt::Key_F:
        fitAll();
        break;
    case Qt::Key_Escape:
        m_measure.reset();
        update();
        break;
    default:
        QWidget::keyPressEvent(event);
    }
}

bool TimelineView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    if (event->type() == QEvent::FontChange) {
        // A new font scale makes lanes taller, the axis and legend higher and the label column wider.
        QResizeEvent same(size(), size());
        resizeEvent(&same);
        update();
    }
    return QWidget::event(event);
}

QString TimelineView::toolTipAt(const QPoint &pos) const
{
    const int idx = laneAt(pos.y());
    const TimelineRenderOptions o = renderOptions();
    if (idx < 0)
        return {};
    const TimelineLane &lane = m_data.lanes()[size_t(idx)];
    if (pos.x() < o.labelWidth)
        return u"<b>%1</b><br>%2"_qs.arg(lane.name.toHtmlEscaped(), lane.subtitle.toHtmlEscaped());
    const TimeMapping m = m_zoom->mapping().withLeft(o.labelWidth);
    const qint64 t = m.timeForX(pos.x());
    const qint64 zero = m_data.zeroNs();
    const qint64 slack = std::llround(6 * m.nsPerPixel());
    const WorkerFold &fold = *lane.fold;
    const qint64 stopNs = fold.times().stopRequested;
    const auto byTime = [](const Event &e, qint64 v) { return e.tNs < v; };
    auto it = std::lower_bound(fold.marks().begin(), fold.marks().end(), t - slack, byTime);
    QStringList lines;
    lines << u"<b>%1</b> · t = %2"_qs.arg(lane.name.toHtmlEscaped(), formatDuration(t - zero));
    for (; it != fold.marks().end() && it->tNs <= t + slack; ++it) {
        QString line = u"%1 at %2"_qs.arg(toString(it->kind), formatDuration(it->tNs - zero));
        if (stopNs >= 0 && it->tNs >= stopNs && it->kind != EventKind::StopRequested)
            line += u" (stop + %1)"_qs.arg(formatDuration(it->tNs - stopNs));
        if (!it->detail.isEmpty())
            line += u": "_qs + it->detail.toHtmlEscaped();
        lines << line;
        if (lines.size() > 8)
            break;
    }
    for (const WorkerStateSpan &s : fold.spans()) {
        const qint64 end = s.endNs >= 0 ? s.endNs : nowNs();
        if (t >= s.beginNs && t <= end) {
            lines << u"%1 for %2%3"_qs.arg(
                toString(s.state), formatDuration(end - s.beginNs), s.endNs < 0 ? u" (so far)"_qs : QString());
            break;
        }
    }
    for (const LockSpan &ls : lockSpansOf(fold)) {
        if (ls.covers(t)) {
            const qint64 end = ls.endNs >= 0 ? ls.endNs : nowNs();
            lines << u"%1 the lab mutex for %2%3"_qs.arg(ls.waiting ? u"waiting for"_qs : u"holding"_qs,
                formatDuration(end - ls.beginNs), ls.endNs < 0 ? u" (so far)"_qs : QString());
            break;
        }
    }
    // The kernel strip: the sampled state covering t (spans are time-sorted).
    const KernelStateSpanList &kernel = fold.kernelSpans();
    auto k = std::upper_bound(
        kernel.begin(), kernel.end(), t, [](qint64 v, const KernelStateSpan &s) { return v < s.beginNs; });
    if (k != kernel.begin()) {
        --k;
        const qint64 end = k->endNs >= 0 ? k->endNs : nowNs();
        if (t <= end)
            lines << u"kernel: %1 %2 (%3)"_qs.arg(QChar::fromLatin1(letterOf(k->state)))
                         .arg(toString(k->state), describe(k->state).toHtmlEscaped());
    }
    for (const LatencyLine &line : fold.latencyLines())
        lines << line.label.toHtmlEscaped();
    if (m_measure)
        lines << u"Δt (Shift+drag) = %1"_qs.arg(formatDuration(std::abs(m_measure->second - m_measure->first)));
    return lines.join(u"<br>"_qs);
}

} // namespace threadlab
