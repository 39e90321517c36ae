// The lesson panel: explains the selected worker's backend, its stop methods and its workload.
#pragma once

#include "recording/recording.h"
#include "scenarios/scenarioresult.h"
#include "workers/worker.h"

#include "model/runsource.h"

#include <QPointer>
#include <QTextBrowser>
#include <QTimer>
#include <memory>

namespace threadlab {

class LessonPanel : public QTextBrowser
{
    Q_OBJECT
public:
    explicit LessonPanel(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LessonPanel)

    /// Shows the lesson for a worker (nullptr: the general introduction).
    void showWorker(const Worker *worker);
    /// Shows what happened to a worker of a source (state, outcome, headline from its fold) and its lesson;
    /// live, if not null, adds the "not now" notes of the methods it refuses at the moment.
    void showWorker(const RunSource *source, int workerId, const Worker *live);
    /// "name: state · outcome — meaning<br>headline", read from the fold.
    static QString whatHappenedHtml(const QString &name, const WorkerFold &fold);
    /// Shows the lesson for a recorded worker (no live worker: no "not now" notes).
    void showRecordedWorker(Backend backend, const QString &workload);
    /// A scenario's lesson, shown above the worker lessons until clearScenario(). Its placeholders
    /// ({{worker.kill}}, see LessonText) are filled from the folds of workerIds in source, re-read as they change.
    void setScenario(const QString &title, const QString &summary, const QString &lessonHtml,
        const RunSource *source = nullptr, const QList<int> &workerIds = {});
    /// The expectation results of the scenario's run (pass/fail per worker with reasons), under its lesson.
    void setScenarioResult(const ScenarioResult &result);
    void clearScenario();
    /// A recording opened read-only: each run's recorded lesson (and its result) is shown with that run's workers;
    /// nullptr: back to the live lab. A recording without lessons falls back to the built-in of its scenario id.
    void setRecording(std::shared_ptr<const Recording> recording, const RunSource *source = nullptr);
    bool hasScenario() const { return !m_scenarioHtml.isEmpty(); }
    /// The HTML of a scenario result (no widget state).
    static QString resultHtml(const ScenarioResult &result);

    /// The HTML of the lesson for a backend and workload (no widget state).
    static QString lessonHtml(Backend backend, const QString &workload, const Worker *worker);

private:
    void compose();
    /// Shows the recorded lesson of the run workerId belongs to (-1: the first), if it is not the one shown.
    void showRecordedLesson(int workerId);

    QString m_scenarioHtml; ///< title and summary
    QString m_scenarioTemplate; ///< the lesson as written, rendered on display
    QPointer<const RunSource> m_scenarioSource;
    QList<int> m_scenarioIds;
    QMetaObject::Connection m_scenarioConnection;
    QString m_resultHtml;
    QString m_workerHtml;
    QPointer<const RunSource> m_source; ///< the source of the worker shown (what happened is re-read from its fold)
    int m_workerId = -1;
    QPointer<const Worker> m_live;
    QTimer m_refresh;
    std::shared_ptr<const Recording> m_recording;
    QPointer<const RunSource> m_recordingSource; ///< the recording's workers, to fill its lessons' placeholders
    const RecordedLesson *m_shownLesson = nullptr;
};

} // namespace threadlab
