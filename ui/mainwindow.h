// The desktop lab: worker table, timeline, details and lesson panes, actions, status bar, shutdown on close.
#pragma once

#include "lab/lab.h"
#include "recording/csvexport.h"
#include "recording/recording.h"
#include "screenshotoptions.h"

#include <QMainWindow>
#include <QTimer>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QSplitter;
class QTableView;
class QTabWidget;

namespace threadlab {

class DetailsPane;
class LiveSource;
class RecordedSource;
class LessonPanel;
class MatrixView;
class ScenarioBrowser;
class TimelineView;
class WorkerTableModel;

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
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    TimelineView *timeline() const { return m_timeline; }
    DetailsPane *details() const { return m_details; }
    LessonPanel *lesson() const { return m_lesson; }
    ScenarioBrowser *scenarioBrowser() const { return m_scenarios; }
    /// The stop-method matrix window (made on first use).
    MatrixView *matrixView();

    /// Opens a recording read-only: the table, details, timeline and lesson show it exactly as recorded and
    /// the worker actions are disabled. A newer-version or corrupt file is refused with its one-line message
    /// (error, the status bar, and a message box when interactive); the window stays as it was.
    bool openRecording(const QString &path, QString *error = nullptr);
    /// Back to the live lab.
    void closeRecording();
    bool isShowingRecording() const { return m_recording != nullptr; }
    const Recording *recording() const { return m_recording.get(); }
    QString recordingPath() const { return m_recordingPath; }
    /// Saves what is shown (the live lab captured now, or the open recording) as .threadlab.json[.gz].
    bool saveRecording(const QString &path, QString *error = nullptr);
    /// What is shown as a Recording: the open recording, or the live lab captured now.
    Recording currentRecording() const;
    /// Exports what is shown: Chrome trace (.json), CSV (events or measurements) or Markdown measurements.
    bool exportTrace(const QString &path, QString *error = nullptr);
    bool exportTable(const QString &path, CsvKind kind, QString *error = nullptr);
    /// PNG (scale 1 or 2) or SVG (path ends in .svg) of the timeline, light or dark.
    bool exportImage(const QString &path, qreal scale, bool dark, QString *error = nullptr);

    /// The actions by name: "openrec", "saverec", "closerec", "exporttrace", "exportcsv", "exportmcsv",
    /// "exportmd", "exportimage", "scenarios", "matrix", "add", "start", "request", "force", "escalate", "pause",
    /// "resume", "stopall", "clear", "recover", "fit", "zoomstop", "follow", "dark", "screenshot", "copyshot", "quit".
    QAction *action(const QString &name) const;
    QSpinBox *graceSpin() const { return m_grace; }
    QSpinBox *killTimeoutSpin() const { return m_killTimeout; }

    /// Adds count workers like spec (names made up); returns how many were made, error for the first refusal.
    int addWorkers(const WorkerSpec &spec, int count, QString *error = nullptr);
    /// Selects the rows of these workers (table and timeline follow).
    void selectWorkers(const QList<int> &workerIds);
    QList<int> selectedWorkerIds() const;
    QList<Worker *> selectedWorkers() const;

    /// Renders a timing screenshot (caption, legend, scale bar) without saving it.
    QImage renderScreenshot(const ScreenshotOptions &options);
    bool saveScreenshot(const QString &path, const ScreenshotOptions &options);
    /// "4 workers: 2× thread/sleep-steps, 2× concurrent/cpu-spin".
    QString workerSetDescription() const;

    void setDarkPalette(bool dark);
    /// When false, nothing modal is shown (tests, scripted screenshots): results go to the status bar.
    void setInteractive(bool interactive) { m_interactive = interactive; }

    /// Shuts the lab down (documented order, bounded deadline, progress after 0.5 s); idempotent.
    ShutdownReport shutdownLab();
    bool isShutDown() const { return m_shutDown; }
    const ShutdownReport &shutdownReport() const { return m_report; }

signals:
    /// The lab has been shut down (e.g. on close); report says what could not be stopped.
    void labShutDown(const threadlab::ShutdownReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenusAndToolBar();
    void createCentral();
    void readSettings();
    void writeSettings() const;
    void updateActions();
    void scheduleActionUpdate();
    void updateStatus();
    void handleSelectionChanged();
    void handleAddWorkers();
    void handleStart();
    void handleStop(StopMethod method);
    void handlePause(bool pause);
    void handleStopAll();
    void handleClearFinished();
    void handleRecover();
    void handleZoomToStop();
    void handleSaveScreenshot();
    void handleCopyScreenshot();
    void createFileActions();
    void handleOpenRecording();
    void handleSaveRecording();
    void handleExport(const QString &what);
    void handleScenarioLoaded(
        const QString &title, const QString &summary, const QString &lesson, const QList<int> &workerIds);
    QString exportDir() const;
    void rememberExportDir(const QString &path) const;
    void reportError(const QString &title, const QString &error);
    StopPolicy stopPolicy() const;
    void showMessage(const QString &text, int timeoutMs = 6000);
    QAction *makeAction(const QString &name, const QString &text, const QKeySequence &shortcut, const QString &tip);

    std::unique_ptr<Lab> m_lab;
    LiveSource *m_liveSource = nullptr; ///< what the views show unless a recording is open
    std::unique_ptr<RecordedSource> m_recordedSource; ///< the open recording's source, if any
    WorkerTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    TimelineView *m_timeline = nullptr;
    DetailsPane *m_details = nullptr;
    LessonPanel *m_lesson = nullptr;
    ScenarioBrowser *m_scenarios = nullptr;
    QDockWidget *m_scenarioDock = nullptr;
    MatrixView *m_matrix = nullptr;
    std::shared_ptr<const Recording> m_recording;
    QString m_recordingPath;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_mainSplit = nullptr;
    QSplitter *m_leftSplit = nullptr;
    QSpinBox *m_grace = nullptr;
    QSpinBox *m_killTimeout = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_machine = nullptr;
    QHash<QString, QAction *> m_actions;
    QHash<QString, QString> m_baseTips;
    QTimer m_actionTimer;
    QTimer m_statusTimer;
    int m_nameCounter = 0;
    bool m_interactive = true;
    bool m_shutDown = false;
    bool m_dark = false;
    ShutdownReport m_report;
    ScreenshotOptions m_lastShot;
};

} // namespace threadlab
