// The desktop lab's window: composes the views, the actions, the commands, the documents and the shutdown.
#pragma once

#include "documentcontroller.h"
#include "lab/lab.h"
#include "labactions.h"
#include "screenshotcomposer.h"
#include "shutdownprogress.h"
#include "stoppolicywidget.h"
#include "workercommands.h"
#include "workertableview.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QDockWidget;
class QSortFilterProxyModel;
class QSpinBox;
class QSplitter;
class QTableView;
class QTabWidget;

namespace threadlab {

class DetailsPane;
class GuideController;
class LiveSource;
class RecordedSource;
class CodePanel;
class LessonPanel;
class MatrixView;
class ScenarioBrowser;
class StatusSummary;
class TimelineView;
class WorkerTableModel;

/// Composition only: each job lives in its own class (LabActions, StopPolicyWidget, WorkerCommands,
/// DocumentController, ScreenshotComposer, StatusSummary, ShutdownProgress); this class builds the views and
/// wires them together.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// Creates and owns its own Lab.
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    Lab &lab() const { return *m_lab; }
    WorkerTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_table->proxy(); }
    QTableView *table() const { return m_table; }
    TimelineView *timeline() const { return m_timeline; }
    DetailsPane *details() const { return m_details; }
    LessonPanel *lesson() const { return m_lesson; }
    CodePanel *code() const { return m_code; }
    ScenarioBrowser *scenarioBrowser() const { return m_scenarios; }
    /// The stop-method matrix window (made on first use).
    MatrixView *matrixView();

    /// Opens a recording read-only: the table, details, timeline and lesson show it exactly as recorded and
    /// the worker actions are disabled. A newer-version or corrupt file is refused with its one-line message
    /// (error, the status bar, and a message box when interactive); the window stays as it was.
    bool openRecording(const QString &path, QString *error = nullptr) { return m_document->open(path, error); }
    /// Back to the live lab.
    void closeRecording() { m_document->close(); }
    bool isShowingRecording() const { return m_document->isShowingRecording(); }
    const Recording *recording() const { return m_document->recording().get(); }
    QString recordingPath() const { return m_document->recordingPath(); }
    /// Saves what is shown (the live lab captured now, or the open recording) as .threadlab.json[.gz].
    bool saveRecording(const QString &path, QString *error = nullptr) { return m_document->save(path, error); }
    /// What is shown as a Recording: the open recording, or the live lab captured now.
    Recording currentRecording() const { return m_document->current(); }
    /// Exports what is shown: Chrome trace (.json), CSV (events or measurements) or Markdown measurements.
    bool exportTrace(const QString &path, QString *error = nullptr) { return m_document->exportTrace(path, error); }
    bool exportTable(const QString &path, CsvKind kind, QString *error = nullptr)
    {
        return m_document->exportTable(path, kind, error);
    }
    /// PNG (scale 1 or 2) or SVG (path ends in .svg) of the timeline, light or dark.
    bool exportImage(const QString &path, qreal scale, bool dark, QString *error = nullptr)
    {
        return m_document->exportImage(path, scale, dark, error);
    }
    DocumentController *document() const { return m_document; }
    /// The start page, Help menu, presenter mode and font scale.
    GuideController *guide() const { return m_guide; }

    QAction *action(ActionId id) const { return m_actions->action(id); }
    LabActions *actions() const { return m_actions; }
    QSpinBox *graceSpin() const { return m_stopPolicy->graceSpin(); }
    QSpinBox *killTimeoutSpin() const { return m_stopPolicy->killTimeoutSpin(); }
    StopPolicyWidget *stopPolicy() const { return m_stopPolicy; }
    WorkerCommands *commands() const { return m_commands; }

    /// Adds count workers like spec (names made up); returns how many were made, error for the first refusal.
    int addWorkers(const WorkerSpec &spec, int count, QString *error = nullptr)
    {
        return m_commands->addWorkers(spec, count, error);
    }
    /// Selects the rows of these workers (table and timeline follow).
    void selectWorkers(const QList<int> &workerIds) { m_table->selectWorkers(workerIds); }
    QList<int> selectedWorkerIds() const { return m_table->selectedWorkerIds(); }
    QList<Worker *> selectedWorkers() const;

    /// Renders a timing screenshot (caption, legend, scale bar) without saving it.
    QImage renderScreenshot(const ScreenshotOptions &options) { return m_screenshots->render(options); }
    bool saveScreenshot(const QString &path, const ScreenshotOptions &options, QString *error = nullptr)
    {
        return m_screenshots->save(path, options, error);
    }
    /// "4 workers: 2× thread/sleep-steps, 2× concurrent/cpu-spin".
    QString workerSetDescription() const { return m_document->workerSetDescription(); }

    void setDarkPalette(bool dark);
    /// When false, nothing modal is shown (tests, scripted screenshots): results go to the status bar.
    void setInteractive(bool interactive);
    bool isInteractive() const { return m_interactive; }
    /// The live lab's source (what the views show unless a recording is open).
    LiveSource *liveSource() const { return m_liveSource; }

    /// Shuts the lab down now and returns its report (documented order, bounded deadline); idempotent.
    /// Closing the window does the same without blocking: progress is shown, and the window closes when done.
    ShutdownReport shutdownLab() { return m_shutdown->finishNow(); }
    /// The shutdown has begun (the lab refuses new work).
    bool isShutDown() const { return m_shutdown->phase() != ShutdownProgress::Phase::Idle; }
    const ShutdownReport &shutdownReport() const { return m_shutdown->report(); }
    ShutdownProgress *shutdownProgress() const { return m_shutdown; }

signals:
    /// The lab has been shut down (e.g. on close); report says what could not be stopped.
    void labShutDown(const threadlab::ShutdownReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createParts();
    void createCentral();
    void connectLab();
    void connectActions();
    void readSettings();
    void writeSettings() const;
    ActionInputs actionInputs() const;
    void handleSelectionChanged();
    void handleAddWorkers();
    void showRecordingInViews();
    void showLiveInViews();
    void handleScenarioLoaded(
        const QString &title, const QString &summary, const QString &lesson, const QList<int> &workerIds);
    void showMessage(const QString &text, int timeoutMs = 6000);

    std::unique_ptr<Lab> m_lab;
    LiveSource *m_liveSource = nullptr; ///< what the views show unless a recording is open
    std::unique_ptr<RecordedSource> m_recordedSource; ///< the open recording's source, if any
    WorkerTableModel *m_model = nullptr;
    WorkerTableView *m_table = nullptr;
    TimelineView *m_timeline = nullptr;
    DetailsPane *m_details = nullptr;
    LessonPanel *m_lesson = nullptr;
    CodePanel *m_code = nullptr;
    ScenarioBrowser *m_scenarios = nullptr;
    QDockWidget *m_scenarioDock = nullptr;
    MatrixView *m_matrix = nullptr;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_mainSplit = nullptr;
    QSplitter *m_leftSplit = nullptr;
    LabActions *m_actions = nullptr;
    StopPolicyWidget *m_stopPolicy = nullptr;
    WorkerCommands *m_commands = nullptr;
    DocumentController *m_document = nullptr;
    ScreenshotComposer *m_screenshots = nullptr;
    StatusSummary *m_status = nullptr;
    ShutdownProgress *m_shutdown = nullptr;
    GuideController *m_guide = nullptr;
    bool m_interactive = true;
    bool m_dark = false;
};

} // namespace threadlab
