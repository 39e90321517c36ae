// The desktop lab's window: composes the views, the actions, the commands, the documents and the shutdown.
#include "mainwindow.h"

#include "addworkersdialog.h"
#include "codepanel.h"
#include "comparewindow.h"
#include "detailspane.h"
#include "guidecontroller.h"
#include "lab/livesource.h"
#include "lessonpanel.h"
#include "mainmenus.h"
#include "matrixview.h"
#include "recording/recordedsource.h"
#include "scenariobrowser.h"
#include "statestyle.h"
#include "statussummary.h"
#include "timelinepanel.h"
#include "timelineview.h"
#include "windowsettings.h"
#include "workertablemodel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <optional>

namespace threadlab {

namespace {
constexpr int ShutdownDeadlineMs = 3000;
constexpr int ShutdownNoticeMs = 6000;
using A = ActionId;
const QString WorkersYieldKey = QStringLiteral("lab/workersYield");
/// THREADLAB_WORKERS_YIELD=0|1 overrides the setting (and is not saved): the test suite runs with 0, so that a GUI
/// test's workers are not starved by the test running beside it.
std::optional<bool> workersYieldOverride()
{
    const QByteArray env = qgetenv("THREADLAB_WORKERS_YIELD");
    if (env == "0" || env == "1")
        return env == "1";
    return std::nullopt;
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_lab(std::make_unique<Lab>())
{
    setWindowTitle(u"ThreadLab"_qs);
    setAccessibleName(u"ThreadLab main window"_qs);
    m_dark = StateStyle::isDark(palette());
    m_liveSource = new LiveSource(m_lab.get(), this);
    m_model = new WorkerTableModel(m_liveSource, this);
    m_model->setDark(m_dark);

    createParts();
    createCentral();
    addMainMenus(this, *m_actions);
    addLabToolBar(this, *m_actions, m_stopPolicy);
    m_guide = new GuideController(this); // after the menus and the central widget it wraps
    m_screenshots = new ScreenshotComposer(this, m_timeline, m_document);
    m_screenshots->setPaletteSwitch([this] { return m_dark; }, [this](bool dark) { setDarkPalette(dark); });
    m_status = new StatusSummary(m_liveSource, m_document, statusBar());
    connectActions();
    connectLab();

    readSettings();
    m_actions->updateNow();
    m_status->update();
}

MainWindow::~MainWindow()
{
    m_shutdown->finishNow();
    // m_lab dies before the child widgets; the model and the details pane hold QPointers to it.
}

void MainWindow::createParts()
{
    m_actions = new LabActions(m_dark, this);
    m_actions->setInputs([this] { return actionInputs(); });
    m_stopPolicy = new StopPolicyWidget(this);
    m_commands = new WorkerCommands(m_lab.get(), this);
    m_commands->setSelection([this] { return selectedWorkers(); });
    m_commands->setPolicy([this] { return m_stopPolicy->policy(); });
    m_document = new DocumentController(m_lab.get(), this);
    m_document->acceptDrops();
    m_shutdown = new ShutdownProgress(m_lab.get(), this);
    m_shutdown->setDeadlines(ShutdownDeadlineMs, ShutdownNoticeMs);
}

void MainWindow::createCentral()
{
    m_table = new WorkerTableView(this);
    m_table->setWorkerModel(m_model);
    m_table->setContextActions(m_actions->actions({ A::Start, A::Request, A::Force, A::Escalate, A::Pause, A::Resume }),
        m_actions->actions({ A::ZoomToStop, A::Clear }));
    connect(
        m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::handleSelectionChanged);
    m_timeline = new TimelineView(this);
    m_timeline->setSource(m_liveSource);
    m_details = new DetailsPane(this);
    m_details->setSource(m_liveSource);
    // "zero = stop request" in the details pane moves the timeline's zero too.
    connect(m_details, &DetailsPane::zeroChosen, m_timeline, [this](DetailsPane::Zero zero, int workerId) {
        if (zero != DetailsPane::Zero::StopRequest || !m_timeline->zeroAtStopRequest(workerId))
            m_timeline->resetZero();
    });
    m_lesson = new LessonPanel(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_details, u"Details"_qs);
    m_tabs->addTab(m_lesson, u"Lesson"_qs);
    m_code = new CodePanel(this);
    m_code->setSource(m_liveSource);
    m_tabs->addTab(m_code, u"Code"_qs);
    m_tabs->setAccessibleName(u"Details, lesson and code"_qs);
    // The pane keeps the width the user gave it: no page's content may widen it when its tab is shown.
    for (QWidget *page :
        { static_cast<QWidget *>(m_details), static_cast<QWidget *>(m_lesson), static_cast<QWidget *>(m_code) })
        page->setSizePolicy(QSizePolicy::Ignored, page->sizePolicy().verticalPolicy());
    m_tabs->setMinimumWidth(240);

    const auto split = [this](Qt::Orientation o, QWidget *a, QWidget *b, int stretchA, int stretchB) {
        auto *s = new QSplitter(o, this);
        s->addWidget(a);
        s->addWidget(b);
        s->setStretchFactor(0, stretchA);
        s->setStretchFactor(1, stretchB);
        return s;
    };
    // The timeline spans the whole width under the table and the tabs: at 1024x768 with the scenario dock open
    // it keeps a usable plot, which it did not beside the tabs.
    m_leftSplit = split(Qt::Horizontal, m_table, m_tabs, 3, 1);
    m_leftSplit->setSizes({ 640, 320 });
    m_mainSplit = split(Qt::Vertical, m_leftSplit, new TimelinePanel(m_timeline, this), 2, 3);
    m_mainSplit->setSizes({ 300, 500 });
    setCentralWidget(m_mainSplit);

    m_scenarios = new ScenarioBrowser(m_lab.get(), this);
    m_scenarioDock = new QDockWidget(u"Scenarios"_qs, this);
    m_scenarioDock->setObjectName(u"scenarioDock"_qs);
    m_scenarioDock->setWidget(m_scenarios);
    m_scenarioDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, m_scenarioDock);
    m_scenarioDock->hide();
}

void MainWindow::connectActions()
{
    const auto on = [this](ActionId id, auto &&slot) { connect(action(id), &QAction::triggered, this, slot); };
    on(A::Add, [this] { handleAddWorkers(); });
    on(A::Start, [this] { m_commands->start(); });
    on(A::Request, [this] { m_commands->stop(StopMethod::Request); });
    on(A::Force, [this] { m_commands->stop(StopMethod::Force); });
    on(A::Escalate, [this] { m_commands->stop(StopMethod::Escalate); });
    on(A::Pause, [this] { m_commands->pause(true); });
    on(A::Resume, [this] { m_commands->pause(false); });
    on(A::StopAll, [this] { m_commands->stopAll(); });
    on(A::Clear, [this] { m_commands->clearFinished(); });
    on(A::Recover, [this] { m_commands->recover(); });
    on(A::ZoomToStop, [this] {
        if (!m_timeline->zoomToStop(selectedWorkerIds().value(0, -1)))
            showMessage(u"Select a worker that has been asked to stop"_qs);
    });
    on(A::Screenshot, [this] { m_screenshots->handleSave(); });
    on(A::CopyScreenshot, [this] { m_screenshots->handleCopy(); });
    on(A::Quit, [this] { close(); });
    on(A::OpenRecording, [this] { m_document->handleOpen(); });
    on(A::SaveRecording, [this] { m_document->handleSave(); });
    on(A::CloseRecording, [this] { closeRecording(); });
    for (ActionId id :
        { A::ExportTrace, A::ExportEventsCsv, A::ExportMeasurementsCsv, A::ExportMarkdown, A::ExportImage })
        on(id, [this, id] { m_document->handleExport(id, m_dark); });
    on(A::Compare, [this] { CompareWindow::showFor(this); });
    on(A::Matrix, [this] {
        MatrixView *view = matrixView();
        view->show();
        view->raise();
        view->activateWindow();
    });
    connect(action(A::Dark), &QAction::toggled, this, &MainWindow::setDarkPalette);
    connect(action(A::YieldToWindow), &QAction::toggled, m_lab.get(), &Lab::setWorkersYield);
    connect(action(A::Fit), &QAction::triggered, m_timeline, &TimelineView::fitAll);
    connect(action(A::Follow), &QAction::toggled, m_timeline, &TimelineView::setFollowLive);
    connect(m_timeline->zoom(), &TimelineZoom::followLiveChanged, action(A::Follow), &QAction::setChecked);
    connect(m_timeline, &TimelineView::workerClicked, this, [this](int id) { selectWorkers({ id }); });
    connect(m_scenarioDock, &QDockWidget::visibilityChanged, action(A::Scenarios), &QAction::setChecked);
    connect(action(A::Scenarios), &QAction::triggered, m_scenarioDock, &QDockWidget::setVisible);

    connect(m_commands, &WorkerCommands::message, this, &MainWindow::showMessage);
    connect(m_document, &DocumentController::message, this, &MainWindow::showMessage);
    connect(m_screenshots, &ScreenshotComposer::message, this, &MainWindow::showMessage);
    connect(m_shutdown, &ShutdownProgress::message, this, &MainWindow::showMessage);
    connect(m_scenarios, &ScenarioBrowser::message, this, [this](const QString &text) { showMessage(text, 8000); });
    connect(m_commands, &WorkerCommands::workersChanged, this, [this] {
        m_model->flush();
        m_actions->scheduleUpdate();
    });
    connect(m_commands, &WorkerCommands::commandApplied, m_actions, &LabActions::scheduleUpdate);
    connect(m_commands, &WorkerCommands::workersStarted, m_timeline, [this] { m_timeline->setFollowLive(true); });
    connect(m_actions, &LabActions::updated, this, [this](bool liveLabUsable) {
        m_scenarios->setEnabled(liveLabUsable);
        m_scenarios->setToolTip(
            isShowingRecording() ? u"this is a recording: read-only (File → Close recording)"_qs : QString());
    });
    connect(m_document, &DocumentController::recordingOpened, this, &MainWindow::showRecordingInViews);
    connect(m_document, &DocumentController::recordingClosed, this, &MainWindow::showLiveInViews);
    connect(m_scenarios, &ScenarioBrowser::scenarioLoaded, this, &MainWindow::handleScenarioLoaded);
    connect(m_scenarios, &ScenarioBrowser::lessonRecorded, m_document, &DocumentController::noteLesson);
    connect(m_scenarios, &ScenarioBrowser::scenarioFinished, this, [this](const ScenarioResult &result) {
        m_lesson->setScenarioResult(result);
        m_tabs->setCurrentWidget(m_lesson);
    });
    connect(m_shutdown, &ShutdownProgress::began, this, [this] {
        m_status->setFrozen(true);
        m_actions->updateNow();
    });
    connect(m_shutdown, &ShutdownProgress::finished, this, &MainWindow::labShutDown);
    connect(m_shutdown, &ShutdownProgress::readyToClose, this, [this] {
        if (isVisible())
            close();
    });
}

void MainWindow::connectLab()
{
    // The views follow their source; the window only keeps the actions' enable rules fresh.
    connect(m_lab.get(), &Lab::workerAdded, this, [this](Worker *w) {
        connect(w, &Worker::stateChanged, m_actions, &LabActions::scheduleUpdate);
        m_actions->scheduleUpdate();
    });
    connect(m_lab.get(), &Lab::workerRemoved, m_actions, &LabActions::scheduleUpdate);
    connect(m_model, &QAbstractItemModel::dataChanged, m_actions, &LabActions::scheduleUpdate);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_actions, &LabActions::scheduleUpdate);
}

ActionInputs MainWindow::actionInputs() const
{
    ActionInputs in;
    in.readOnly = isShowingRecording();
    in.shutDown = isShutDown();
    if (!in.shutDown) {
        in.selected = selectedWorkers();
        in.all = m_lab->workers();
    }
    const QList<int> ids = selectedWorkerIds();
    const TimelineLane *lane = ids.isEmpty() ? nullptr : m_timeline->data().lane(ids.first());
    in.canZoomToStop = lane && lane->stopRequestNs() >= 0;
    return in;
}

QList<Worker *> MainWindow::selectedWorkers() const
{
    QList<Worker *> out;
    if (isShowingRecording())
        return out; // the ids are the recording's, not the lab's
    for (int id : selectedWorkerIds())
        if (Worker *w = m_lab->worker(id))
            out << w;
    return out;
}

void MainWindow::handleSelectionChanged()
{
    const int id = selectedWorkerIds().value(0, -1);
    m_details->setWorker(id);
    m_code->setWorker(id);
    m_lesson->showWorker(m_model->source(), id, selectedWorkers().value(0, nullptr));
    m_timeline->setSelectedWorker(id);
    m_actions->updateNow();
}

void MainWindow::showMessage(const QString &text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::handleAddWorkers()
{
    AddWorkersDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    WorkerSpec spec;
    QString error;
    if (!dialog.makeSpec(&spec, &error)) {
        showMessage(error);
        return;
    }
    const int made = addWorkers(spec, dialog.count(), &error);
    if (!error.isEmpty())
        showMessage(u"Added %1; refused: %2"_qs.arg(made).arg(error));
    selectWorkers(m_commands->lastAdded());
}

void MainWindow::handleScenarioLoaded(
    const QString &title, const QString &summary, const QString &lesson, const QList<int> &workerIds)
{
    m_lesson->setScenario(title, summary, lesson, m_liveSource, workerIds);
    m_tabs->setCurrentWidget(m_lesson);
    // The scenario's run began in the Lab (ScenarioRunner::prepare()); the live source mirrors it.
    m_model->flush();
    selectWorkers(workerIds);
    m_timeline->setFollowLive(true);
    m_actions->scheduleUpdate();
}

MatrixView *MainWindow::matrixView()
{
    if (!m_matrix) {
        m_matrix = new MatrixView(this);
        m_matrix->setInteractive(m_interactive);
    }
    return m_matrix;
}

void MainWindow::setInteractive(bool interactive)
{
    m_interactive = interactive;
    m_document->setInteractive(interactive);
    m_shutdown->setInteractive(interactive);
    m_screenshots->setInteractive(interactive);
}

void MainWindow::showRecordingInViews()
{
    const auto rec = m_document->recording();
    m_recordedSource = std::make_unique<RecordedSource>(*rec);
    m_model->setSource(m_recordedSource.get());
    m_timeline->setSource(m_recordedSource.get());
    m_details->setSource(m_recordedSource.get());
    m_code->setSource(m_recordedSource.get());
    m_status->setSource(m_recordedSource.get());
    m_lesson->setRecording(rec, m_recordedSource.get()); // each run's recorded lesson, filled from its folds
    m_lesson->showWorker(nullptr);
    setWindowTitle(u"ThreadLab — %1 (recording, read-only)"_qs.arg(QFileInfo(m_document->recordingPath()).fileName()));
    m_actions->updateNow();
    m_status->update();
}

void MainWindow::showLiveInViews()
{
    m_details->setSource(m_liveSource);
    m_code->setSource(m_liveSource);
    m_model->setSource(m_liveSource);
    m_timeline->setSource(m_liveSource);
    m_status->setSource(m_liveSource);
    m_recordedSource.reset();
    m_timeline->setFollowLive(true);
    m_lesson->setRecording(nullptr);
    m_lesson->showWorker(nullptr);
    setWindowTitle(u"ThreadLab"_qs);
    m_actions->updateNow();
    m_status->update();
}

void MainWindow::setDarkPalette(bool dark)
{
    m_dark = dark;
    const QPalette pal = dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    QApplication::setPalette(pal);
    setPalette(pal);
    m_model->setDark(dark);
    m_actions->setDark(dark);
    const QSignalBlocker block(action(A::Dark));
    action(A::Dark)->setChecked(dark);
    m_timeline->update();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDark(StateStyle::isDark(palette()));
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    writeSettings();
    if (m_shutdown->phase() == ShutdownProgress::Phase::Done) {
        m_shutdown->dismissNotice();
        event->accept();
        return;
    }
    // The window stays until the lab has shut down (progress shows meanwhile); then it closes itself.
    event->ignore();
    m_shutdown->begin();
}

void MainWindow::readSettings()
{
    const bool dark = restoreWindowLayout(this, { m_mainSplit, m_leftSplit }, m_dark);
    m_stopPolicy->readSettings();
    const bool yield = workersYieldOverride().value_or(QSettings().value(WorkersYieldKey, true).toBool());
    action(A::YieldToWindow)->setChecked(yield);
    m_lab->setWorkersYield(yield);
    if (dark != m_dark)
        setDarkPalette(dark);
}

void MainWindow::writeSettings() const
{
    saveWindowLayout(this, { m_mainSplit, m_leftSplit }, m_dark);
    m_stopPolicy->writeSettings();
    if (!workersYieldOverride())
        QSettings().setValue(WorkersYieldKey, action(A::YieldToWindow)->isChecked());
}

} // namespace threadlab
