// The scenario browser: built-in scenarios with their lessons, open a file, load, run live, step, reset.
#pragma once

#include "recording/recording.h"
#include "scenarios/scenario.h"
#include "scenarios/scenarioresult.h"
#include "scenarios/scenariorunner.h"

#include <QPointer>
#include <QWidget>
#include <optional>

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace threadlab {

class Lab;

class ScenarioBrowser : public QWidget
{
    Q_OBJECT
public:
    /// Runs scenarios on lab (the window's), so its table and timeline show the workers.
    explicit ScenarioBrowser(Lab *lab, QWidget *parent = nullptr);
    ~ScenarioBrowser() override;
    Q_DISABLE_COPY_MOVE(ScenarioBrowser)

    /// Chooses a built-in scenario by name or a scenario file (not yet loaded into the lab); a bad file is
    /// refused with its one-line message (error, and the message() signal) and nothing changes.
    bool choose(const QString &nameOrFile, QString *error = nullptr);
    /// The chosen scenario (shown in the preview).
    const std::optional<Scenario> &chosen() const { return m_chosen; }

    /// Load: clears the lab's finished workers and makes the scenario's workers (state created). stepped: made for
    /// step mode, their durations stretched so that nothing ends before the click that stops it.
    bool load(bool stepped = false);
    /// Run: runs the (rest of the) script live on the lab; loads first if needed.
    void run();
    /// Step: executes the next click of the script now (loads for step mode first if needed). False when none is left.
    bool step();
    /// Back: loads the scenario again and replays every click but the last one done.
    bool back();
    /// Reset: stops what the last run left running, clears finished workers and loads the scenario again.
    void reset();

    ScenarioRunner *runner() const { return m_runner; }
    QListWidget *list() const { return m_list; }
    QTextBrowser *preview() const { return m_preview; }
    /// When false, nothing modal is shown (tests, scripted screenshots).
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /// Test hook: how long each click may take in step mode (default DefaultClickAllowanceMs).
    void setClickAllowanceMs(int ms) { m_clickAllowanceMs = ms; }
    /// What the next click will do and what to watch (shown under the buttons).
    QString nextStepHint() const;

signals:
    /// A scenario was loaded into the lab: show its lesson beside the timeline.
    void scenarioLoaded(
        const QString &title, const QString &summary, const QString &lessonHtml, const QList<int> &workerIds);
    /// The run finished; the expectation results.
    void scenarioFinished(const threadlab::ScenarioResult &result);
    /// The lesson of the lab's run runId (on load, and again with its result when it finished): what a recording
    /// saved from the window keeps.
    void lessonRecorded(int runId, const threadlab::RecordedLesson &lesson);
    /// A line for the status bar.
    void message(const QString &text);

private:
    void populate();
    void openFile();
    void showPreview();
    void updateButtons();
    void showHint();
    void handleCurrentRowChanged(int row);

    QPointer<Lab> m_lab;
    QListWidget *m_list;
    QTextBrowser *m_preview;
    QLabel *m_status;
    QPushButton *m_open;
    QPushButton *m_load;
    QPushButton *m_run;
    QPushButton *m_step;
    QPushButton *m_back;
    QLabel *m_hint;
    QPushButton *m_reset;
    std::optional<Scenario> m_chosen;
    QPointer<ScenarioRunner> m_runner;
    bool m_interactive = true;
    int m_clickAllowanceMs = DefaultClickAllowanceMs;
};

} // namespace threadlab
