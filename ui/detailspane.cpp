// Details of the selected worker: parameters, events relative to a chosen zero, measurements, leaks.
#include "detailspane.h"

#include "base/measurements.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace threadlab {

namespace {
constexpr int RefreshIntervalMs = 250;
constexpr int MaxProgressRows = 3; ///< progress events shown at each end; the rest are summarised
} // namespace

DetailsPane::DetailsPane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_summary(new QTextBrowser(this))
    , m_zero(new QComboBox(this))
    , m_events(new QTableWidget(this))
{
    setAccessibleName(u"Worker details"_qs);
    // Bold only, no size of its own: the title follows the app's font scale. It wraps, so a long name does not
    // make the pane (and the table beside it) wider at 1024 px.
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_summary->setAccessibleName(u"Worker parameters, measurements and leaks"_qs);
    m_summary->setOpenLinks(false);
    m_zero->addItem(u"zero = run start"_qs, int(Zero::RunStart));
    m_zero->addItem(u"zero = stop request"_qs, int(Zero::StopRequest));
    m_zero->setAccessibleName(u"Event time zero"_qs);
    m_zero->setToolTip(u"Event times (here and on the timeline axis) are shown relative to this moment"_qs);
    m_events->setColumnCount(3);
    m_events->setHorizontalHeaderLabels({ u"Time"_qs, u"Event"_qs, u"Detail"_qs });
    m_events->verticalHeader()->hide();
    m_events->horizontalHeader()->setStretchLastSection(true);
    m_events->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_events->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_events->setAlternatingRowColors(true);
    m_events->setAccessibleName(u"Worker events"_qs);
    m_events->verticalHeader()->setDefaultSectionSize(m_events->fontMetrics().height() + 6);

    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_zero);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_summary);
    split->addWidget(m_events);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(head);
    layout->addWidget(split, 1);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DetailsPane::refresh);
    connect(m_zero, &QComboBox::currentIndexChanged, this, [this] {
        refresh();
        emit zeroChosen(zero(), m_workerId);
    });
    refresh();
}

void DetailsPane::setSource(RunSource *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_workerId = -1;
    if (source)
        connect(source, &RunSource::workersChanged, this, &DetailsPane::handleChanged);
    refresh();
}

void DetailsPane::setWorker(int workerId)
{
    if (workerId == m_workerId)
        return;
    m_workerId = workerId;
    refresh();
    if (zero() == Zero::StopRequest)
        emit zeroChosen(zero(), m_workerId);
}

DetailsPane::Zero DetailsPane::zero() const
{
    return Zero(m_zero->currentData().toInt());
}

void DetailsPane::handleChanged(const QList<int> &workerIds)
{
    // At most a few rebuilds a second, and only for the worker shown.
    if (m_workerId >= 0 && workerIds.contains(m_workerId) && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

QString DetailsPane::stderrHtml(const QString &tail, qint64 hostPid)
{
    if (tail.isEmpty() && hostPid <= 0)
        return {};
    QString html = u"<p><b>Host process</b>"_qs;
    if (hostPid > 0)
        html += u": pid %1"_qs.arg(hostPid);
    html += u"</p><p><b>Host stderr</b> (last lines):</p>"_qs;
    if (tail.trimmed().isEmpty())
        html += u"<p><i>nothing written to stderr</i></p>"_qs;
    else
        html += u"<pre style=\"font-size:small\">%1</pre>"_qs.arg(tail.toHtmlEscaped());
    return html;
}

QString DetailsPane::summaryHtml() const
{
    return m_summary->toHtml();
}

void DetailsPane::refresh()
{
    const auto fold = m_source ? m_source->fold(m_workerId) : nullptr;
    if (!fold) {
        m_title->setText(u"No worker selected"_qs);
        m_summary->setHtml(u"<p>Select a worker in the table or the timeline to see its parameters, events, "
                           "measured stop latencies and leaks.</p>"_qs);
        m_events->setRowCount(0);
        return;
    }
    const WorkerSnapshot w = m_source->snapshot(m_workerId);
    m_title->setText(u"%1 · %2 · %3"_qs.arg(w.name, toString(w.backend), w.workload));

    QString html;
    html += u"<p><b>State:</b> %1 — %2"_qs.arg(toString(fold->state()), describe(fold->state()).toHtmlEscaped());
    if (fold->outcome() != Outcome::None)
        html += u"<br><b>Outcome:</b> %1 — %2"_qs.arg(
            toString(fold->outcome()), describe(fold->outcome()).toHtmlEscaped());
    if (fold->method())
        html += u"<br><b>Stop method:</b> %1"_qs.arg(toString(*fold->method()));
    html += u"</p><p><b>Parameters:</b> "_qs;
    QStringList params;
    for (auto it = w.params.begin(); it != w.params.end(); ++it)
        params << u"<code>%1=%2</code>"_qs.arg(it.key().toHtmlEscaped(), it.value().toString().toHtmlEscaped());
    html += params.isEmpty() ? u"none"_qs : params.join(u", "_qs);
    html += u"</p><p><b>Measurements</b> (from the stop request):<br>"_qs;
    const QList<LatencyLine> lines = fold->latencyLines();
    if (lines.isEmpty())
        html += u"&nbsp;&nbsp;—<br>"_qs;
    for (const LatencyLine &line : lines)
        html += u"&nbsp;&nbsp;<b>%1</b><br>"_qs.arg(line.label.toHtmlEscaped());
    html += u"&nbsp;&nbsp;steps done: <b>%1</b>, CPU time: <b>%2</b></p>"_qs.arg(m_source->steps(m_workerId))
                .arg(formatDuration(w.cpuTimeNs));
    html += u"<p><b>Leaks:</b> "_qs;
    if (!w.leaksKnown) {
        html += u"not probed yet (probed after the worker ends)"_qs;
    } else if (w.leaks.isEmpty()) {
        html += u"none found on the system"_qs;
    } else {
        html += u"<ul>"_qs;
        for (const Leak &l : w.leaks)
            html += u"<li><b>%1</b>: %2<br><i>%3</i></li>"_qs.arg(
                l.kind.toHtmlEscaped(), l.detail.toHtmlEscaped(), l.meaning.toHtmlEscaped());
        html += u"</ul>"_qs;
    }
    html += u"</p>"_qs;
    html += stderrHtml(w.stderrTail, w.hostPid);
    if (!w.orphanPids.isEmpty()) {
        QStringList pids;
        for (qint64 pid : w.orphanPids)
            pids << QString::number(pid);
        html += u"<p><b>orphans still alive</b>: %1</p>"_qs.arg(pids.join(u", "_qs));
    }
    m_summary->setHtml(html);
    // Run-relative by default: the same zero as the timeline axis.
    const auto run = m_source->runOf(m_workerId);
    qint64 zero = run && run->zeroNs >= 0 ? run->zeroNs : fold->firstNs();
    if (this->zero() == Zero::StopRequest && fold->times().stopRequested >= 0)
        zero = fold->times().stopRequested;
    fillEvents(*fold, zero);
}

void DetailsPane::fillEvents(const WorkerFold &fold, qint64 zero)
{
    // Events, relative to the chosen zero; dense progress events summarised.
    const std::vector<Event> &events = fold.events();
    qsizetype progressTotal = 0;
    for (const Event &e : events)
        progressTotal += e.kind == EventKind::Progress;
    QList<const Event *> shown;
    qsizetype progressSeen = 0;
    bool summarised = false;
    static const Event summary { 0, 0, EventKind::Note, 0, {} };
    for (const Event &e : events) {
        if (e.kind == EventKind::Progress) {
            ++progressSeen;
            if (progressSeen > MaxProgressRows && progressSeen <= progressTotal - MaxProgressRows) {
                if (!summarised) {
                    shown << &summary;
                    summarised = true;
                }
                continue;
            }
        }
        shown << &e;
    }
    m_events->setUpdatesEnabled(false);
    m_events->setRowCount(int(shown.size()));
    for (int i = 0; i < shown.size(); ++i) {
        const Event &e = *shown[i];
        QString time, kind, detail;
        if (&e == &summary) {
            kind = u"progress"_qs;
            detail = u"… %1 more progress events …"_qs.arg(progressTotal - 2 * MaxProgressRows);
        } else {
            const qint64 rel = e.tNs - zero;
            time = (rel >= 0 ? u"+"_qs : u"−"_qs) + formatDuration(std::abs(rel));
            kind = toString(e.kind);
            detail = e.detail;
            if (detail.isEmpty() && e.value != 0)
                detail = QString::number(e.value);
        }
        const auto item = [](const QString &s) { return new QTableWidgetItem(s); };
        auto *t = item(time);
        t->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_events->setItem(i, 0, t);
        m_events->setItem(i, 1, item(kind));
        m_events->setItem(i, 2, item(detail));
    }
    m_events->resizeColumnToContents(0);
    m_events->resizeColumnToContents(1);
    m_events->setUpdatesEnabled(true);
}

} // namespace threadlab
