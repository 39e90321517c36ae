// The status bar's summary: workers by state and outcome (or the open recording's outcomes), and the machine.
#include "statussummary.h"

#include "documentcontroller.h"
#include "model/runsource.h"
#include "timelinerenderer.h"

#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>
#include <map>

namespace threadlab {

namespace {
constexpr int RefreshMs = 250;
} // namespace

StatusSummary::StatusSummary(RunSource *source, const DocumentController *document, QStatusBar *bar)
    : QObject(bar)
    , m_source(source)
    , m_document(document)
    , m_counts(new QLabel(bar))
    , m_machine(new QLabel(TimelineRenderer::machineDescription(), bar))
{
    m_counts->setAccessibleName(u"Worker counts by state"_qs);
    m_machine->setAccessibleName(u"Machine"_qs);
    bar->addWidget(m_counts, 1);
    bar->addPermanentWidget(m_machine);
    m_timer.setInterval(RefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &StatusSummary::update);
    m_timer.start();
}

QString StatusSummary::text() const
{
    return m_counts->text();
}

void StatusSummary::setSource(RunSource *source)
{
    m_source = source;
    update();
}

void StatusSummary::update()
{
    QString t;
    if (!m_source)
        return;
    if (m_document->isShowingRecording())
        t = recordingText();
    else if (!m_frozen)
        t = liveText();
    else
        return;
    if (m_counts->text() != t)
        m_counts->setText(t);
}

QString StatusSummary::recordingText() const
{
    std::map<int, int> byOutcome;
    const QList<int> ids = m_source->workerIds();
    for (int id : ids)
        if (const auto fold = m_source->fold(id))
            ++byOutcome[int(fold->outcome())];
    QStringList outcomes;
    for (const auto &[outcome, n] : byOutcome)
        outcomes << u"%1 %2"_qs.arg(n).arg(
            Outcome(outcome) == Outcome::None ? u"no outcome"_qs : toString(Outcome(outcome)));
    return u"Recording (read-only): %1 — %2 workers (%3)"_qs.arg(QFileInfo(m_document->recordingPath()).fileName())
        .arg(ids.size())
        .arg(outcomes.join(u", "_qs));
}

QString StatusSummary::liveText() const
{
    std::map<int, int> byState;
    std::map<int, int> byOutcome;
    // The folds the table and the timeline read: the counts can never disagree with them.
    const QList<int> all = m_source->workerIds();
    for (int id : all) {
        const auto fold = m_source->fold(id);
        if (!fold)
            continue;
        ++byState[int(fold->state())];
        if (fold->outcome() != Outcome::None)
            ++byOutcome[int(fold->outcome())];
    }
    QStringList parts;
    parts << u"%1 worker%2"_qs.arg(all.size()).arg(all.size() == 1 ? QString() : u"s"_qs);
    for (const auto &[state, n] : byState)
        parts << u"%1 %2"_qs.arg(n).arg(toString(WorkerState(state)));
    QString text = parts.join(u"  ·  "_qs);
    if (!byOutcome.empty()) {
        QStringList outcomes;
        for (const auto &[outcome, n] : byOutcome)
            outcomes << u"%1 %2"_qs.arg(n).arg(toString(Outcome(outcome)));
        text += u"   ("_qs + outcomes.join(u", "_qs) + u')';
    }
    return text;
}

} // namespace threadlab
