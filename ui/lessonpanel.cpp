// The lesson panel: explains the selected worker's backend, its stop methods and its workload.
#include "lessonpanel.h"

#include "model/runsource.h"

#include <QScrollBar>

#include "base/measurements.h"
#include "scenarios/lessonrecord.h"
#include "scenarios/lessontext.h"
#include "scenarios/scenariocatalogue.h"
#include "workloads/workload.h"

namespace threadlab {

LessonPanel::LessonPanel(QWidget *parent)
    : QTextBrowser(parent)
{
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (m_source && m_workerId >= 0)
            showWorker(m_source, m_workerId, m_live); // composes, and so re-renders the lesson too
        else if (m_scenarioSource)
            compose();
    });
    setAccessibleName(u"Lesson"_qs);
    setOpenExternalLinks(false);
    showWorker(nullptr);
}

QString LessonPanel::lessonHtml(Backend backend, const QString &workload, const Worker *worker)
{
    QString html = u"<h3>%1</h3><p>%2</p>"_qs.arg(toString(backend), describe(backend).toHtmlEscaped());
    html += u"<p><b>Ways to stop it</b></p><ul>"_qs;
    for (const auto &t : stopMethodTerms()) {
        const QString why = worker ? worker->refusal(t.value) : QString();
        if (!isInProcess(backend) || (t.value != StopMethod::Sigterm && t.value != StopMethod::ForceGroup)) {
            html += u"<li><b>%1</b>: %2"_qs.arg(
                QString::fromLatin1(t.name), QString::fromUtf8(t.description).toHtmlEscaped());
            if (!why.isEmpty())
                html += u"<br><i>Not now: %1.</i>"_qs.arg(why.toHtmlEscaped());
            html += u"</li>"_qs;
        }
    }
    html += u"</ul>"_qs;
    if (const WorkloadInfo *info = WorkloadRegistry::find(workload)) {
        html += u"<p><b>Workload %1</b>: %2</p>"_qs.arg(info->name.toHtmlEscaped(), info->description.toHtmlEscaped());
        if (!info->cancellationPoints.isEmpty())
            html += u"<p><b>Where a force-kill can land:</b> %1</p>"_qs.arg(info->cancellationPoints.toHtmlEscaped());
    }
    return html;
}

void LessonPanel::showRecordedWorker(Backend backend, const QString &workload)
{
    m_workerId = -1;
    m_workerHtml = lessonHtml(backend, workload, nullptr);
    compose();
}

void LessonPanel::setScenario(const QString &title, const QString &summary, const QString &lessonHtml,
    const RunSource *source, const QList<int> &workerIds)
{
    m_scenarioHtml = u"<h2>%1</h2><p><i>%2</i></p>"_qs.arg(title.toHtmlEscaped(), summary.toHtmlEscaped());
    m_scenarioTemplate = lessonHtml;
    disconnect(m_scenarioConnection);
    m_scenarioSource = source;
    m_scenarioIds = workerIds;
    if (source) {
        // The lesson's numbers change as its workers run: re-render at most a few times a second.
        m_refresh.setSingleShot(true);
        m_refresh.setInterval(300);
        m_scenarioConnection = connect(source, &RunSource::workersChanged, this, [this](const QList<int> &ids) {
            for (int id : ids)
                if (m_scenarioIds.contains(id)) {
                    if (!m_refresh.isActive())
                        m_refresh.start();
                    return;
                }
        });
    }
    m_resultHtml.clear();
    compose();
}

void LessonPanel::setScenarioResult(const ScenarioResult &result)
{
    m_resultHtml = resultHtml(result);
    compose();
}

void LessonPanel::clearScenario()
{
    disconnect(m_scenarioConnection);
    m_scenarioSource = nullptr;
    m_scenarioIds.clear();
    m_scenarioTemplate.clear();
    m_scenarioHtml.clear();
    m_resultHtml.clear();
    compose();
}

void LessonPanel::setRecording(std::shared_ptr<const Recording> recording, const RunSource *source)
{
    m_recording = std::move(recording);
    m_recordingSource = source;
    m_shownLesson = nullptr;
    clearScenario();
    if (!m_recording)
        return;
    if (m_recording->lessons.isEmpty()) {
        // An older recording: its scenario's lesson when this build knows it.
        QString ignored;
        if (!m_recording->scenario.isEmpty())
            if (const auto sc = ScenarioCatalogue::load(m_recording->scenario, &ignored)) {
                // Its numbers are the recording's: the placeholders are filled from the recorded folds.
                const QString recorded = m_recording->parameters.value(u"lesson"_qs).toString();
                setScenario(sc->title, sc->summary, recorded.isEmpty() ? sc->lesson : recorded, source,
                    source ? source->workerIds() : QList<int>());
            }
        return;
    }
    showRecordedLesson(-1);
}

void LessonPanel::showRecordedLesson(int workerId)
{
    if (!m_recording)
        return;
    const RecordedLesson *lesson = m_recording->lessonOf(workerId);
    if (!lesson || lesson == m_shownLesson)
        return;
    m_shownLesson = lesson;
    // The lesson's placeholders are filled from its own run's recorded folds.
    QList<int> ids;
    for (const RunInfo &run : m_recording->runs)
        if (const auto it = m_recording->lessons.constFind(run.id); it != m_recording->lessons.cend() && &*it == lesson)
            ids = run.workerIds;
    const RunSource *source = m_recordingSource;
    QString error;
    if (const auto sc = scenarioOf(*lesson, &error)) {
        setScenario(sc->title, sc->summary, sc->lesson, source, ids);
    } else {
        // A lesson this build cannot parse still shows what it says.
        setScenario(lesson->title(), lesson->scenario.value(u"summary"_qs).toString(),
            lesson->scenario.value(u"lesson"_qs).toString(), source, ids);
    }
    if (!lesson->result.isEmpty())
        setScenarioResult(resultOf(*lesson));
}

QString LessonPanel::resultHtml(const ScenarioResult &result)
{
    QString html = u"<h3>Result: %1</h3>"_qs.arg(result.verdict().toHtmlEscaped());
    if (result.skipped)
        html += u"<p>Skipped: %1</p>"_qs.arg(result.skipReason.toHtmlEscaped());
    if (!result.error.isEmpty())
        html += u"<p style=\"color:#c62828\"><b>Error:</b> %1</p>"_qs.arg(result.error.toHtmlEscaped());
    html += u"<table cellspacing=\"0\" cellpadding=\"3\" border=\"0\" width=\"100%\">"_qs;
    for (const WorkerResult &w : result.workers) {
        QString mark, colour;
        if (!w.skipped.isEmpty()) {
            mark = u"–"_qs;
            colour = u"#808080"_qs;
        } else if (!w.checked) {
            mark = u"·"_qs;
            colour = u"#808080"_qs;
        } else if (w.passed()) {
            mark = u"✔"_qs;
            colour = u"#2e7d32"_qs;
        } else {
            mark = u"✘"_qs;
            colour = u"#c62828"_qs;
        }
        html += u"<tr><td valign=\"top\" style=\"color:%1\"><b>%2</b></td><td><b>%3</b> %4"_qs.arg(
            colour, mark, w.name.toHtmlEscaped(), w.outcome == Outcome::None ? QString() : toString(w.outcome));
        if (w.latencies.joined)
            html += u", joined after %1"_qs.arg(formatDuration(*w.latencies.joined));
        if (w.leaksKnown && !w.leaks.isEmpty()) {
            QStringList kinds;
            for (const Leak &l : w.leaks)
                kinds << l.kind;
            kinds.removeDuplicates();
            html += u", leaks: %1"_qs.arg(kinds.join(u", "_qs).toHtmlEscaped());
        }
        if (!w.skipped.isEmpty())
            html += u"<br><i>not run here: %1</i>"_qs.arg(w.skipped.toHtmlEscaped());
        for (const QString &f : w.failures)
            html += u"<br><span style=\"color:#c62828\">%1</span>"_qs.arg(f.toHtmlEscaped());
        for (const QString &n : w.notes)
            html += u"<br><i>%1</i>"_qs.arg(n.toHtmlEscaped());
        html += u"</td></tr>"_qs;
    }
    html += u"</table>"_qs;
    for (const QString &n : result.notes)
        html += u"<p><i>%1</i></p>"_qs.arg(n.toHtmlEscaped());
    return html;
}

void LessonPanel::compose()
{
    // Recomposing as the worker runs must not scroll the lesson away from what the reader is reading.
    const int scroll = verticalScrollBar()->value();
    // The lesson's placeholders are filled from its run's folds each time: its numbers are this run's.
    const QString lesson = m_scenarioTemplate.isEmpty()
        ? QString()
        : LessonText::render(m_scenarioTemplate,
            m_scenarioSource ? LessonText::figures(*m_scenarioSource, m_scenarioIds) : LessonFigureMap());
    setHtml(
        m_scenarioHtml.isEmpty() ? m_workerHtml : m_scenarioHtml + lesson + m_resultHtml + u"<hr>"_qs + m_workerHtml);
    verticalScrollBar()->setValue(scroll);
}

void LessonPanel::showWorker(const RunSource *source, int workerId, const Worker *live)
{
    if (m_source != source) {
        if (m_source)
            disconnect(m_source, nullptr, this, nullptr);
        m_source = source;
        if (source) {
            // What happened changes as the worker runs: recompose at most a few times a second.
            m_refresh.setSingleShot(true);
            m_refresh.setInterval(300);
            connect(source, &RunSource::workersChanged, this, [this](const QList<int> &ids) {
                if (ids.contains(m_workerId) && !m_refresh.isActive())
                    m_refresh.start();
            });
        }
    }
    m_workerId = workerId;
    m_live = live;
    if (workerId >= 0)
        showRecordedLesson(workerId);
    const auto fold = source ? source->fold(workerId) : nullptr;
    if (!fold) {
        m_workerId = -1;
        showWorker(nullptr);
        return;
    }
    const WorkerSnapshot s = source->snapshot(workerId);
    m_workerHtml = whatHappenedHtml(s.name, *fold) + lessonHtml(s.backend, s.workload, live);
    compose();
}

QString LessonPanel::whatHappenedHtml(const QString &name, const WorkerFold &fold)
{
    // What this run showed, in the fold's own words, before the general lesson.
    QString html = u"<p><b>%1</b>: %2"_qs.arg(name.toHtmlEscaped(), toString(fold.state()));
    if (fold.outcome() != Outcome::None)
        html += u" · outcome <b>%1</b> — %2"_qs.arg(toString(fold.outcome()), describe(fold.outcome()).toHtmlEscaped());
    const QString headline = fold.headline();
    if (!headline.isEmpty())
        html += u"<br>%1"_qs.arg(headline.toHtmlEscaped());
    return html + u"</p>"_qs;
}

void LessonPanel::showWorker(const Worker *worker)
{
    m_workerId = -1; // no fold to follow
    if (!worker) {
        m_workerHtml
            = (u"<h3>ThreadLab</h3><p>Add workers (Ctrl+N), start them (Ctrl+R) and stop them in different ways: "
               "a cooperative <b>request</b> (Ctrl+.), a <b>force</b>-kill (Ctrl+K) or an <b>escalation</b> "
               "(Ctrl+E) that asks first and forces after a grace period.</p><p>The timeline shows how long each "
               "worker took to <i>notice</i> the stop, to <i>exit</i> and to be <i>joined</i>; the table shows "
               "what leaked.</p>"_qs);
        compose();
        return;
    }
    m_workerHtml = lessonHtml(worker->spec().backend, worker->spec().workload, worker);
    compose();
}

} // namespace threadlab
