// Details of the selected worker: parameters, events relative to a chosen zero, measurements, leaks.
#include "detailspane.h"

#include "lab/lab.h"
#include "process/processworker.h"
#include "events/eventlog.h"
#include "base/measurements.h"
#include "model/workerfold.h"
#include "workers/worker.h"

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

DetailsPane::DetailsPane(Lab *lab, QWidget *parent)
    : QWidget(parent)
    , m_lab(lab)
    , m_title(new QLabel(this))
    , m_summary(new QTextBrowser(this))
    , m_zero(new QComboBox(this))
    , m_events(new QTableWidget(this))
{
    setAccessibleName(u"Worker details"_qs);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_summary->setAccessibleName(u"Worker parameters, measurements and leaks"_qs);
    m_summary->setOpenLinks(false);
    m_zero->addItem(u"zero = start"_qs, int(Zero::Start));
    m_zero->addItem(u"zero = stop request"_qs, int(Zero::StopRequest));
    m_zero->setAccessibleName(u"Event time zero"_qs);
    m_zero->setToolTip(u"Event times are shown relative to this moment"_qs);
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
    connect(m_zero, &QComboBox::currentIndexChanged, this, &DetailsPane::refresh);
    refresh();
}

void DetailsPane::setWorker(int workerId)
{
    if (workerId == m_workerId)
        return;
    m_workerId = workerId;
    refresh();
}

void DetailsPane::setRecording(std::shared_ptr<const Recording> recording)
{
    m_recording = std::move(recording);
    m_workerId = -1;
    refresh();
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

void DetailsPane::refreshRecorded()
{
    const RecordedWorker *w = m_recording->worker(m_workerId);
    if (!w) {
        m_title->setText(u"No worker selected"_qs);
        m_summary->setHtml(u"<p>This is a recording (read-only): select a worker in the table or the timeline to "
                           "see its parameters, events, measured stop latencies and leaks as recorded.</p>"_qs);
        m_events->setRowCount(0);
        return;
    }
    m_title->setText(u"%1 · %2 · %3 (recorded)"_qs.arg(w->name, toString(w->backend), w->workload));
    const Latencies &lat = w->latencies;
    QString html;
    if (w->outcome != Outcome::None)
        html += u"<p><b>Outcome:</b> %1 — %2"_qs.arg(toString(w->outcome), describe(w->outcome).toHtmlEscaped());
    else
        html += u"<p><b>Outcome:</b> none recorded"_qs;
    if (w->method)
        html += u"<br><b>Stop method:</b> %1"_qs.arg(toString(*w->method));
    html += u"</p><p><b>Parameters:</b> "_qs;
    QStringList params;
    for (auto it = w->params.begin(); it != w->params.end(); ++it)
        params << u"<code>%1=%2</code>"_qs.arg(it.key().toHtmlEscaped(), it.value().toString().toHtmlEscaped());
    html += params.isEmpty() ? u"none"_qs : params.join(u", "_qs);
    html += u"</p><p><b>Measurements</b> (from the stop request):<br>"_qs;
    const auto row = [](const QString &label, const std::optional<qint64> &v) {
        return u"&nbsp;&nbsp;%1: <b>%2</b><br>"_qs.arg(label, v ? formatDuration(*v) : u"—"_qs);
    };
    html += row(u"stop noticed after"_qs, lat.observed);
    html += row(u"code exited after"_qs, lat.exited);
    html += row(u"joined after"_qs, lat.joined);
    html += row(u"kill → joined"_qs, lat.kill);
    html += row(u"clean-up took"_qs, lat.cleanup);
    html += u"&nbsp;&nbsp;steps done: <b>%1</b>, CPU time: <b>%2</b></p>"_qs.arg(w->stepsDone)
                .arg(formatDuration(w->cpuTimeNs));
    html += u"<p><b>Leaks:</b> "_qs;
    if (w->leaks.isEmpty()) {
        html += u"none found on the system"_qs;
    } else {
        html += u"<ul>"_qs;
        for (const Leak &l : w->leaks)
            html += u"<li><b>%1</b>: %2<br><i>%3</i></li>"_qs.arg(
                l.kind.toHtmlEscaped(), l.detail.toHtmlEscaped(), l.meaning.toHtmlEscaped());
        html += u"</ul>"_qs;
    }
    html += u"</p>"_qs;
    html += stderrHtml(w->stderrTail, w->hostPid);
    m_summary->setHtml(html);
    fillEvents(m_recording->eventsOf(w->id));
}

void DetailsPane::handleEvents(const EventList &batch)
{
    if (m_recording)
        return;
    if (m_workerId < 0 || m_refreshTimer.isActive())
        return;
    for (const Event &e : batch) {
        if (e.worker == m_workerId) {
            m_refreshTimer.start();
            return;
        }
    }
}

QString DetailsPane::summaryHtml() const
{
    return m_summary->toHtml();
}

void DetailsPane::refresh()
{
    if (m_recording) {
        refreshRecorded();
        return;
    }
    Worker *w = m_lab ? m_lab->worker(m_workerId) : nullptr;
    if (!w) {
        m_title->setText(u"No worker selected"_qs);
        m_summary->setHtml(u"<p>Select a worker in the table or the timeline to see its parameters, events, "
                           "measured stop latencies and leaks.</p>"_qs);
        m_events->setRowCount(0);
        return;
    }
    const WorkerSpec &spec = w->spec();
    m_title->setText(u"%1 · %2 · %3"_qs.arg(spec.name, toString(spec.backend), spec.workload));
    const EventList events = m_lab->log().forWorker(w->id());
    const Latencies lat = WorkerFold::of(w->id(), events).latencies();

    QString html;
    html += u"<p><b>State:</b> %1 — %2"_qs.arg(toString(w->state()), describe(w->state()).toHtmlEscaped());
    if (w->outcome() != Outcome::None)
        html += u"<br><b>Outcome:</b> %1 — %2"_qs.arg(toString(w->outcome()), describe(w->outcome()).toHtmlEscaped());
    html += u"</p><p><b>Parameters:</b> "_qs;
    QStringList params;
    for (auto it = spec.params.begin(); it != spec.params.end(); ++it)
        params << u"<code>%1=%2</code>"_qs.arg(it.key().toHtmlEscaped(), it.value().toString().toHtmlEscaped());
    html += params.isEmpty() ? u"none"_qs : params.join(u", "_qs);
    html += u"</p><p><b>Measurements</b> (from the stop request):<br>"_qs;
    const auto row = [](const QString &label, const std::optional<qint64> &v) {
        return u"&nbsp;&nbsp;%1: <b>%2</b><br>"_qs.arg(label, v ? formatDuration(*v) : u"—"_qs);
    };
    html += row(u"stop noticed after"_qs, lat.observed);
    html += row(u"code exited after"_qs, lat.exited);
    html += row(u"joined after"_qs, lat.joined);
    html += row(u"kill → joined"_qs, lat.kill);
    html += row(u"clean-up took"_qs, lat.cleanup);
    html += u"&nbsp;&nbsp;steps done: <b>%1</b>, CPU time: <b>%2</b></p>"_qs.arg(w->stepsDone())
                .arg(formatDuration(w->cpuTimeNs()));
    html += u"<p><b>Leaks:</b> "_qs;
    if (!w->leaksKnown()) {
        html += u"not probed yet (probed after the worker ends)"_qs;
    } else if (w->leaks().isEmpty()) {
        html += u"none found on the system"_qs;
    } else {
        html += u"<ul>"_qs;
        for (const Leak &l : w->leaks())
            html += u"<li><b>%1</b>: %2<br><i>%3</i></li>"_qs.arg(
                l.kind.toHtmlEscaped(), l.detail.toHtmlEscaped(), l.meaning.toHtmlEscaped());
        html += u"</ul>"_qs;
    }
    html += u"</p>"_qs;
    if (!isInProcess(spec.backend)) {
        const auto *process = qobject_cast<const ProcessWorker *>(w);
        html += stderrHtml(w->stderrTail(), process ? process->pid() : 0);
        if (process) {
            QStringList facts;
            const auto pids = [](const QList<qint64> &list) {
                QStringList out;
                for (qint64 pid : list)
                    out << QString::number(pid);
                return out.join(u", "_qs);
            };
            if (!process->childPids().isEmpty())
                facts << u"children declared: %1"_qs.arg(pids(process->childPids()));
            if (!process->orphanPids().isEmpty())
                facts << u"<b>orphans still alive</b>: %1"_qs.arg(pids(process->orphanPids()));
            if (!facts.isEmpty())
                html += u"<p>"_qs + facts.join(u"<br>"_qs) + u"</p>"_qs;
        }
    }
    m_summary->setHtml(html);
    fillEvents(events);
}

void DetailsPane::fillEvents(const EventList &events)
{
    // Events, relative to the chosen zero; dense progress events summarised.
    qint64 zero = events.isEmpty() ? 0 : events.first().tNs;
    const Zero z = Zero(m_zero->currentData().toInt());
    for (const Event &e : events) {
        if ((z == Zero::Start && (e.kind == EventKind::StartRequested || e.kind == EventKind::Started))
            || (z == Zero::StopRequest && e.kind == EventKind::StopRequested)) {
            zero = e.tNs;
            break;
        }
    }
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
