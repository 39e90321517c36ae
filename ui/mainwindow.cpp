// The desktop lab: worker table, timeline, details and lesson panes, actions, status bar, shutdown on close.
#include "mainwindow.h"

#include "addworkersdialog.h"
#include "detailspane.h"
#include "events/eventlog.h"
#include "lab/labcapture.h"
#include "lab/livesource.h"
#include "lessonpanel.h"
#include "matrixview.h"
#include "progressdelegate.h"
#include "recording/chrometrace.h"
#include "recording/recordedsource.h"
#include "recording/recordingio.h"
#include "recordingimage.h"
#include "scenariobrowser.h"
#include "scenarios/scenariocatalogue.h"
#include "screenshotdialog.h"
#include "statestyle.h"
#include "timelinerenderer.h"
#include "timelineview.h"
#include "workertablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressDialog>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSysInfo>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QToolBar>
#include <QToolButton>
#include <QWidgetAction>
#include <map>

namespace threadlab {

namespace {
constexpr int ShutdownDeadlineMs = 3000;
constexpr int ShutdownProgressAfterMs = 500;
constexpr int ActionUpdateMs = 100;
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
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(WorkerTableModel::RawValueRole);
    m_proxy->setDynamicSortFilter(false);

    createActions();
    createFileActions();
    createCentral();
    createMenusAndToolBar();
    setAcceptDrops(true);

    m_actionTimer.setSingleShot(true);
    m_actionTimer.setInterval(ActionUpdateMs);
    connect(&m_actionTimer, &QTimer::timeout, this, &MainWindow::updateActions);
    m_statusTimer.setInterval(250);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();

    connect(m_lab.get(), &Lab::workerAdded, this, [this](Worker *w) {
        connect(w, &Worker::stateChanged, this, &MainWindow::scheduleActionUpdate);
        scheduleActionUpdate();
    });
    connect(m_lab.get(), &Lab::workerRemoved, this, &MainWindow::scheduleActionUpdate);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::scheduleActionUpdate);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::scheduleActionUpdate);

    readSettings();
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    if (!m_shutDown)
        shutdownLab();
    // m_lab dies before the child widgets; the model and the details pane hold QPointers to it.
}

QAction *MainWindow::action(const QString &name) const
{
    return m_actions.value(name);
}

QAction *MainWindow::makeAction(
    const QString &name, const QString &text, const QKeySequence &shortcut, const QString &tip)
{
    auto *a = new QAction(text, this);
    a->setObjectName(u"action_"_qs + name);
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    a->setToolTip(
        tip + (shortcut.isEmpty() ? QString() : u" (%1)"_qs.arg(shortcut.toString(QKeySequence::NativeText))));
    a->setStatusTip(tip);
    a->setShortcutContext(Qt::WindowShortcut);
    m_actions.insert(name, a);
    m_baseTips.insert(name, a->toolTip());
    return a;
}

void MainWindow::createActions()
{
    const bool d = m_dark;
    makeAction(
        u"add"_qs, u"&Add workers…"_qs, QKeySequence::New, u"Add workers: backend, workload, parameters, how many"_qs)
        ->setIcon(StateStyle::actionIcon(u"add"_qs, d));
    makeAction(u"start"_qs, u"&Start"_qs, QKeySequence(Qt::CTRL | Qt::Key_R), u"Start the selected workers"_qs)
        ->setIcon(StateStyle::actionIcon(u"start"_qs, d));
    makeAction(u"request"_qs, u"&Request stop"_qs, QKeySequence(Qt::CTRL | Qt::Key_Period),
        u"Ask the selected workers to stop (cooperative)"_qs)
        ->setIcon(StateStyle::actionIcon(u"stop"_qs, d));
    makeAction(u"force"_qs, u"&Force kill"_qs, QKeySequence(Qt::CTRL | Qt::Key_K),
        u"Force-kill the selected workers (terminate / SIGKILL)"_qs)
        ->setIcon(StateStyle::actionIcon(u"kill"_qs, d));
    makeAction(u"escalate"_qs, u"Stop with &escalation"_qs, QKeySequence(Qt::CTRL | Qt::Key_E),
        u"Ask, wait the grace period, then force, then wait the kill timeout"_qs)
        ->setIcon(StateStyle::actionIcon(u"escalate"_qs, d));
    makeAction(u"pause"_qs, u"&Pause"_qs, QKeySequence(Qt::CTRL | Qt::Key_P), u"Pause the selected workers"_qs)
        ->setIcon(StateStyle::actionIcon(u"pause"_qs, d));
    makeAction(u"resume"_qs, u"Res&ume"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
        u"Resume the selected paused workers"_qs)
        ->setIcon(StateStyle::actionIcon(u"start"_qs, d));
    makeAction(u"stopall"_qs, u"Stop &all"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period),
        u"Stop every running worker with escalation"_qs)
        ->setIcon(StateStyle::actionIcon(u"stopall"_qs, d));
    makeAction(u"clear"_qs, u"&Clear finished"_qs, QKeySequence(Qt::CTRL | Qt::Key_L),
        u"Forget finished workers whose code has ended"_qs)
        ->setIcon(StateStyle::actionIcon(u"clear"_qs, d));
    makeAction(u"recover"_qs, u"Re&cover lab"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        u"Recover the lab: a fresh lab mutex, orphaned child threads stopped"_qs)
        ->setIcon(StateStyle::actionIcon(u"recover"_qs, d));
    makeAction(u"fit"_qs, u"&Fit all"_qs, QKeySequence(Qt::CTRL | Qt::Key_0), u"Show the whole timeline"_qs)
        ->setIcon(StateStyle::actionIcon(u"fit"_qs, d));
    makeAction(u"zoomstop"_qs, u"&Zoom to the stop"_qs, QKeySequence(Qt::CTRL | Qt::Key_J),
        u"Zoom the timeline to the stop of the selected worker"_qs)
        ->setIcon(StateStyle::actionIcon(u"zoomstop"_qs, d));
    QAction *follow = makeAction(u"follow"_qs, u"Follow &live"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
        u"Keep the latest time in view while workers run"_qs);
    follow->setIcon(StateStyle::actionIcon(u"follow"_qs, d));
    follow->setCheckable(true);
    follow->setChecked(true);
    QAction *dark = makeAction(u"dark"_qs, u"&Dark palette"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        u"Switch between the light and the dark palette"_qs);
    dark->setCheckable(true);
    dark->setChecked(m_dark);
    makeAction(u"screenshot"_qs, u"&Save timing screenshot…"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        u"Save a PNG of the timeline or the window, with caption, legend and scale bar"_qs)
        ->setIcon(StateStyle::actionIcon(u"shot"_qs, d));
    makeAction(u"copyshot"_qs, u"&Copy screenshot"_qs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        u"Copy a timing screenshot of the timeline to the clipboard"_qs);
    makeAction(u"quit"_qs, u"&Quit"_qs, QKeySequence::Quit, u"Stop every worker and quit"_qs);

    connect(action(u"add"_qs), &QAction::triggered, this, &MainWindow::handleAddWorkers);
    connect(action(u"start"_qs), &QAction::triggered, this, &MainWindow::handleStart);
    connect(action(u"request"_qs), &QAction::triggered, this, [this] { handleStop(StopMethod::Request); });
    connect(action(u"force"_qs), &QAction::triggered, this, [this] { handleStop(StopMethod::Force); });
    connect(action(u"escalate"_qs), &QAction::triggered, this, [this] { handleStop(StopMethod::Escalate); });
    connect(action(u"pause"_qs), &QAction::triggered, this, [this] { handlePause(true); });
    connect(action(u"resume"_qs), &QAction::triggered, this, [this] { handlePause(false); });
    connect(action(u"stopall"_qs), &QAction::triggered, this, &MainWindow::handleStopAll);
    connect(action(u"clear"_qs), &QAction::triggered, this, &MainWindow::handleClearFinished);
    connect(action(u"recover"_qs), &QAction::triggered, this, &MainWindow::handleRecover);
    connect(action(u"zoomstop"_qs), &QAction::triggered, this, &MainWindow::handleZoomToStop);
    connect(action(u"screenshot"_qs), &QAction::triggered, this, &MainWindow::handleSaveScreenshot);
    connect(action(u"copyshot"_qs), &QAction::triggered, this, &MainWindow::handleCopyScreenshot);
    connect(action(u"quit"_qs), &QAction::triggered, this, &QWidget::close);
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkPalette);
}

void MainWindow::createCentral()
{
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setAccessibleName(u"Workers"_qs);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WorkerTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->setItemDelegateForColumn(WorkerTableModel::ProgressColumn, new ProgressDelegate(m_table));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    const int w = m_table->fontMetrics().averageCharWidth();
    const int widths[] = { 8, 10, 12, 13, 16, 8, 9, 9, 9, 9, 9, 16, 6 };
    for (int c = 0; c < WorkerTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c] * w + 16);
    for (const char16_t *name : { u"start", u"request", u"force", u"escalate", u"pause", u"resume" })
        m_table->addAction(action(QString::fromUtf16(name)));
    auto *sep = new QAction(m_table);
    sep->setSeparator(true);
    m_table->addAction(sep);
    m_table->addAction(action(u"zoomstop"_qs));
    m_table->addAction(action(u"clear"_qs));
    connect(
        m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::handleSelectionChanged);

    m_timeline = new TimelineView(this);
    connect(m_timeline, &TimelineView::workerClicked, this, [this](int id) { selectWorkers({ id }); });
    connect(action(u"fit"_qs), &QAction::triggered, m_timeline, &TimelineView::fitAll);
    connect(action(u"follow"_qs), &QAction::toggled, m_timeline, &TimelineView::setFollowLive);
    connect(m_timeline->zoom(), &TimelineZoom::followLiveChanged, action(u"follow"_qs), &QAction::setChecked);

    m_timeline->setSource(m_liveSource);
    m_details = new DetailsPane(this);
    m_details->setSource(m_liveSource);
    connect(m_details, &DetailsPane::zeroChosen, m_timeline, [this](DetailsPane::Zero zero, int workerId) {
        if (zero != DetailsPane::Zero::StopRequest || !m_timeline->zeroAtStopRequest(workerId))
            m_timeline->resetZero();
    });
    m_lesson = new LessonPanel(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_details, u"Details"_qs);
    m_tabs->addTab(m_lesson, u"Lesson"_qs);
    m_tabs->setAccessibleName(u"Details and lesson"_qs);

    m_leftSplit = new QSplitter(Qt::Vertical, this);
    m_leftSplit->addWidget(m_table);
    m_leftSplit->addWidget(m_timeline);
    m_leftSplit->setStretchFactor(0, 2);
    m_leftSplit->setStretchFactor(1, 3);
    m_mainSplit = new QSplitter(Qt::Horizontal, this);
    m_mainSplit->addWidget(m_leftSplit);
    m_mainSplit->addWidget(m_tabs);
    m_mainSplit->setStretchFactor(0, 3);
    m_mainSplit->setStretchFactor(1, 1);
    m_mainSplit->setSizes({ 1100, 380 });
    setCentralWidget(m_mainSplit);

    m_scenarios = new ScenarioBrowser(m_lab.get(), this);
    m_scenarioDock = new QDockWidget(u"Scenarios"_qs, this);
    m_scenarioDock->setObjectName(u"scenarioDock"_qs);
    m_scenarioDock->setWidget(m_scenarios);
    m_scenarioDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, m_scenarioDock);
    m_scenarioDock->hide();
    connect(m_scenarioDock, &QDockWidget::visibilityChanged, action(u"scenarios"_qs), &QAction::setChecked);
    connect(action(u"scenarios"_qs), &QAction::triggered, m_scenarioDock, &QDockWidget::setVisible);
    connect(m_scenarios, &ScenarioBrowser::message, this, [this](const QString &text) { showMessage(text, 8000); });
    connect(m_scenarios, &ScenarioBrowser::scenarioLoaded, this, &MainWindow::handleScenarioLoaded);
    connect(m_scenarios, &ScenarioBrowser::scenarioFinished, this, [this](const ScenarioResult &result) {
        m_lesson->setScenarioResult(result);
        m_tabs->setCurrentWidget(m_lesson);
    });

    m_counts = new QLabel(this);
    m_counts->setAccessibleName(u"Worker counts by state"_qs);
    m_machine = new QLabel(TimelineRenderer::machineDescription(), this);
    m_machine->setAccessibleName(u"Machine"_qs);
    statusBar()->addWidget(m_counts, 1);
    statusBar()->addPermanentWidget(m_machine);
}

void MainWindow::createMenusAndToolBar()
{
    QMenu *file = menuBar()->addMenu(u"&File"_qs);
    file->addAction(action(u"openrec"_qs));
    file->addAction(action(u"saverec"_qs));
    file->addAction(action(u"closerec"_qs));
    file->addSeparator();
    QMenu *exports = file->addMenu(u"&Export"_qs);
    for (const char16_t *name : { u"exporttrace", u"exportcsv", u"exportmcsv", u"exportmd", u"exportimage" })
        exports->addAction(action(QString::fromUtf16(name)));
    file->addSeparator();
    file->addAction(action(u"screenshot"_qs));
    file->addAction(action(u"copyshot"_qs));
    file->addSeparator();
    file->addAction(action(u"quit"_qs));
    QMenu *workers = menuBar()->addMenu(u"&Workers"_qs);
    for (const char16_t *name : { u"add", u"start", u"request", u"force", u"escalate", u"pause", u"resume" })
        workers->addAction(action(QString::fromUtf16(name)));
    workers->addSeparator();
    workers->addAction(action(u"stopall"_qs));
    workers->addAction(action(u"clear"_qs));
    workers->addAction(action(u"recover"_qs));
    QMenu *view = menuBar()->addMenu(u"&View"_qs);
    view->addAction(action(u"fit"_qs));
    view->addAction(action(u"zoomstop"_qs));
    view->addAction(action(u"follow"_qs));
    view->addSeparator();
    view->addAction(action(u"scenarios"_qs));
    view->addAction(action(u"matrix"_qs));
    view->addSeparator();
    view->addAction(action(u"dark"_qs));

    QToolBar *tb = addToolBar(u"Lab"_qs);
    tb->setObjectName(u"labToolBar"_qs);
    tb->setAccessibleName(u"Lab toolbar"_qs);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(18, 18));
    tb->addAction(action(u"add"_qs));
    tb->addSeparator();
    for (const char16_t *name : { u"start", u"request", u"force", u"escalate", u"pause" })
        tb->addAction(action(QString::fromUtf16(name)));
    tb->addSeparator();
    m_grace = new QSpinBox(tb);
    m_grace->setRange(0, 60'000);
    m_grace->setSingleStep(100);
    m_grace->setValue(1000);
    m_grace->setSuffix(u" ms"_qs);
    m_grace->setPrefix(u"grace "_qs);
    m_grace->setAccessibleName(u"Grace period"_qs);
    m_grace->setToolTip(u"Grace period: how long a stop request may take before escalating, or before the worker is "
                        "called unresponsive"_qs);
    m_killTimeout = new QSpinBox(tb);
    m_killTimeout->setRange(0, 60'000);
    m_killTimeout->setSingleStep(100);
    m_killTimeout->setValue(1000);
    m_killTimeout->setSuffix(u" ms"_qs);
    m_killTimeout->setPrefix(u"kill timeout "_qs);
    m_killTimeout->setAccessibleName(u"Kill timeout"_qs);
    m_killTimeout->setToolTip(
        u"Kill timeout: how long a force-kill may take before the worker is called unresponsive"_qs);
    tb->addWidget(m_grace);
    tb->addWidget(m_killTimeout);
    tb->addSeparator();
    tb->addAction(action(u"stopall"_qs));
    tb->addAction(action(u"clear"_qs));
    tb->addSeparator();
    tb->addAction(action(u"fit"_qs));
    tb->addAction(action(u"zoomstop"_qs));
    tb->addAction(action(u"follow"_qs));
    tb->addSeparator();
    tb->addAction(action(u"screenshot"_qs));
    // Icons only for the view and screenshot actions, to keep the toolbar compact.
    for (const char16_t *name : { u"fit", u"zoomstop", u"follow", u"screenshot", u"clear", u"stopall" })
        if (QWidget *w = tb->widgetForAction(action(QString::fromUtf16(name))))
            if (auto *button = qobject_cast<QToolButton *>(w))
                button->setToolButtonStyle(Qt::ToolButtonIconOnly);
}

StopPolicy MainWindow::stopPolicy() const
{
    return { m_grace->value(), m_killTimeout->value() };
}

int MainWindow::addWorkers(const WorkerSpec &spec, int count, QString *error)
{
    int made = 0;
    for (int i = 0; i < count; ++i) {
        WorkerSpec s = spec;
        s.name = u"w%1"_qs.arg(++m_nameCounter);
        QString err;
        if (!m_lab->addWorker(s, &err)) {
            if (error && error->isEmpty())
                *error = err;
            break;
        }
        ++made;
    }
    m_model->flush();
    return made;
}

QList<int> MainWindow::selectedWorkerIds() const
{
    QList<int> ids;
    for (const QModelIndex &idx : m_table->selectionModel()->selectedRows())
        ids << idx.data(WorkerTableModel::WorkerIdRole).toInt();
    return ids;
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

void MainWindow::selectWorkers(const QList<int> &workerIds)
{
    m_model->flush();
    QItemSelection sel;
    for (int id : workerIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex a = m_proxy->mapFromSource(m_model->index(row, 0));
        const QModelIndex b = m_proxy->mapFromSource(m_model->index(row, WorkerTableModel::ColumnCount - 1));
        sel.select(a, b);
    }
    m_table->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
    if (!sel.isEmpty()) {
        m_table->selectionModel()->setCurrentIndex(sel.indexes().first(), QItemSelectionModel::NoUpdate);
        m_table->scrollTo(sel.indexes().first());
    }
}

void MainWindow::handleSelectionChanged()
{
    const int id = selectedWorkerIds().value(0, -1);
    m_details->setWorker(id);
    m_lesson->showWorker(m_model->source(), id, selectedWorkers().value(0, nullptr));
    m_timeline->setSelectedWorker(id);
    updateActions();
}

void MainWindow::scheduleActionUpdate()
{
    if (!m_actionTimer.isActive())
        m_actionTimer.start();
}

void MainWindow::updateActions()
{
    const QList<Worker *> sel = m_shutDown ? QList<Worker *>() : selectedWorkers();
    const bool readOnly = isShowingRecording();
    const auto apply = [this, &sel, readOnly](const QString &name, const std::function<QString(Worker *)> &refusal) {
        QAction *a = action(name);
        if (readOnly) {
            a->setEnabled(false);
            a->setToolTip(m_baseTips.value(name) + u"\nthis is a recording: read-only"_qs);
            return;
        }
        if (sel.isEmpty()) {
            a->setEnabled(false);
            a->setToolTip(m_baseTips.value(name) + u"\nSelect one or more workers first."_qs);
            return;
        }
        int ok = 0;
        QStringList why;
        for (Worker *w : sel) {
            const QString r = refusal(w);
            if (r.isEmpty())
                ++ok;
            else if (why.size() < 4)
                why << u"%1: %2"_qs.arg(w->spec().name, r);
        }
        a->setEnabled(ok > 0);
        QString tip = m_baseTips.value(name);
        if (ok == 0)
            tip += u"\nNot available: "_qs + (sel.size() == 1 ? refusal(sel.first()) : why.join(u"; "_qs));
        else if (ok < sel.size())
            tip += u"\nApplies to %1 of the %2 selected; skipped: %3"_qs.arg(ok)
                       .arg(sel.size())
                       .arg(why.join(u"; "_qs));
        a->setToolTip(tip);
        a->setStatusTip(tip);
    };
    apply(u"start"_qs, [](Worker *w) {
        return w->state() == WorkerState::Created ? QString() : u"already started (a worker starts once)"_qs;
    });
    apply(u"request"_qs, [](Worker *w) { return w->refusal(StopMethod::Request); });
    apply(u"force"_qs, [](Worker *w) { return w->refusal(StopMethod::Force); });
    apply(u"escalate"_qs, [](Worker *w) { return w->refusal(StopMethod::Escalate); });
    apply(u"pause"_qs, [](Worker *w) {
        const QString r = w->pauseRefusal();
        if (!r.isEmpty())
            return r;
        return w->state() == WorkerState::Running ? QString() : u"only a running worker can pause"_qs;
    });
    apply(u"resume"_qs, [](Worker *w) {
        const QString r = w->pauseRefusal();
        if (!r.isEmpty())
            return r;
        return w->state() == WorkerState::Paused ? QString() : u"the worker is not paused"_qs;
    });
    bool anyLive = false, anyEnded = false, anyStop = false;
    const QList<Worker *> all = m_shutDown ? QList<Worker *>() : m_lab->workers();
    for (Worker *w : all) {
        anyLive |= !w->isFinished();
        anyEnded |= w->isFinished() && w->hasEnded();
        const int row = m_model->rowOf(w->id());
        anyStop
            |= row >= 0 && m_timeline->data().lane(w->id()) && m_timeline->data().lane(w->id())->stopRequestNs() >= 0;
    }
    action(u"stopall"_qs)->setEnabled(anyLive && !readOnly);
    action(u"clear"_qs)->setEnabled(anyEnded && !readOnly);
    action(u"recover"_qs)->setEnabled(!m_shutDown && !readOnly);
    action(u"add"_qs)->setEnabled(!m_shutDown && !readOnly);
    for (const char16_t *name : { u"stopall", u"clear", u"recover", u"add" }) {
        const QString n = QString::fromUtf16(name);
        action(n)->setToolTip(m_baseTips.value(n) + (readOnly ? u"\nthis is a recording: read-only"_qs : QString()));
    }
    action(u"closerec"_qs)->setEnabled(readOnly);
    action(u"saverec"_qs)->setEnabled(!m_shutDown || readOnly);
    m_scenarios->setEnabled(!readOnly && !m_shutDown);
    m_scenarios->setToolTip(readOnly ? u"this is a recording: read-only (File → Close recording)"_qs : QString());
    const QList<int> ids = selectedWorkerIds();
    const TimelineLane *lane = ids.isEmpty() ? nullptr : m_timeline->data().lane(ids.first());
    const bool canZoom = lane && lane->stopRequestNs() >= 0;
    action(u"zoomstop"_qs)->setEnabled(canZoom);
    action(u"zoomstop"_qs)
        ->setToolTip(m_baseTips.value(u"zoomstop"_qs)
            + (canZoom ? QString() : u"\nSelect a worker that has been asked to stop."_qs));
    Q_UNUSED(anyStop);
}

void MainWindow::updateStatus()
{
    if (isShowingRecording()) {
        std::map<int, int> byOutcome;
        for (const RecordedWorker &w : m_recording->workers)
            ++byOutcome[int(w.outcome)];
        QStringList outcomes;
        for (const auto &[outcome, n] : byOutcome)
            outcomes << u"%1 %2"_qs.arg(n).arg(
                Outcome(outcome) == Outcome::None ? u"no outcome"_qs : toString(Outcome(outcome)));
        const QString text
            = u"Recording (read-only): %1 — %2 workers (%3)"_qs.arg(QFileInfo(m_recordingPath).fileName())
                  .arg(m_recording->workers.size())
                  .arg(outcomes.join(u", "_qs));
        if (m_counts->text() != text)
            m_counts->setText(text);
        return;
    }
    if (m_shutDown)
        return;
    std::map<int, int> byState;
    std::map<int, int> byOutcome;
    const QList<Worker *> all = m_lab->workers();
    for (Worker *w : all) {
        ++byState[int(w->state())];
        if (w->outcome() != Outcome::None)
            ++byOutcome[int(w->outcome())];
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
    if (m_counts->text() != text)
        m_counts->setText(text);
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
    const int before = int(m_lab->workers().size());
    const int made = addWorkers(spec, dialog.count(), &error);
    if (!error.isEmpty())
        showMessage(u"Added %1; refused: %2"_qs.arg(made).arg(error));
    QList<int> ids;
    const QList<Worker *> all = m_lab->workers();
    for (qsizetype i = before; i < all.size(); ++i)
        ids << all[i]->id();
    selectWorkers(ids);
}

void MainWindow::handleStart()
{
    int n = 0;
    for (Worker *w : selectedWorkers()) {
        if (w->state() == WorkerState::Created) {
            w->start();
            ++n;
        }
    }
    m_timeline->setFollowLive(true);
    showMessage(u"Started %1 worker(s)"_qs.arg(n), 3000);
    scheduleActionUpdate();
}

void MainWindow::handleStop(StopMethod method)
{
    int n = 0;
    QStringList refused;
    const StopPolicy policy = stopPolicy();
    for (Worker *w : selectedWorkers()) {
        QString reason;
        if (w->stop(method, policy, &reason))
            ++n;
        else
            refused << u"%1: %2"_qs.arg(w->spec().name, reason);
    }
    QString text = u"%1: sent to %2 worker(s)"_qs.arg(toString(method)).arg(n);
    if (!refused.isEmpty())
        text += u"; refused for "_qs + refused.join(u"; "_qs);
    showMessage(text);
    scheduleActionUpdate();
}

void MainWindow::handlePause(bool pause)
{
    for (Worker *w : selectedWorkers()) {
        if (pause)
            w->pause();
        else
            w->resume();
    }
    scheduleActionUpdate();
}

void MainWindow::handleStopAll()
{
    int n = 0;
    for (Worker *w : m_lab->workers()) {
        if (w->isFinished())
            continue;
        if (w->state() == WorkerState::Created)
            continue;
        if (w->stop(StopMethod::Escalate, stopPolicy()))
            ++n;
    }
    showMessage(u"Stopping %1 worker(s) with escalation"_qs.arg(n));
}

void MainWindow::handleClearFinished()
{
    m_lab->clearFinished();
    m_model->flush();
    scheduleActionUpdate();
}

void MainWindow::handleRecover()
{
    const QStringList lines = m_lab->recover();
    const QString text = lines.isEmpty() ? u"Lab recovered: nothing needed repair"_qs : lines.join(u"; "_qs);
    showMessage(text, 10000);
}

void MainWindow::handleZoomToStop()
{
    const QList<int> ids = selectedWorkerIds();
    if (ids.isEmpty() || !m_timeline->zoomToStop(ids.first()))
        showMessage(u"Select a worker that has been asked to stop"_qs);
}

QString MainWindow::workerSetDescription() const
{
    if (isShowingRecording())
        return recordingWorkerDescription(*m_recording);
    QMap<QString, int> groups;
    const QList<Worker *> all = m_lab->workers();
    for (Worker *w : all)
        ++groups[toString(w->spec().backend) + u'/' + w->spec().workload];
    QStringList parts;
    for (auto it = groups.begin(); it != groups.end(); ++it)
        parts << u"%1× %2"_qs.arg(it.value()).arg(it.key());
    return u"%1 worker%2: %3"_qs.arg(all.size()).arg(all.size() == 1 ? QString() : u"s"_qs).arg(parts.join(u", "_qs));
}

QImage MainWindow::renderScreenshot(const ScreenshotOptions &options)
{
    const QString title = u"ThreadLab — "_qs + workerSetDescription();
    QString details = QLocale::system().toString(QDateTime::currentDateTime(), QLocale::ShortFormat) + u" · "_qs
        + QSysInfo::machineHostName() + u" · "_qs + TimelineRenderer::machineDescription();
    if (isShowingRecording())
        details = u"recorded "_qs + QLocale::system().toString(m_recording->date.toLocalTime(), QLocale::ShortFormat)
            + u" · "_qs + m_recording->machine.kernel + u" · %1 cores · Qt "_qs.arg(m_recording->machine.cores)
            + m_recording->machine.qtVersion;
    const bool restore = options.dark != m_dark;
    if (restore)
        setDarkPalette(options.dark);
    QImage out;
    if (options.target == ScreenshotOptions::Target::Timeline) {
        TimelineRenderOptions o = m_timeline->renderOptions();
        o.palette = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
        o.captionTitle = title;
        o.captionDetails = details;
        o.scaleBar = true;
        o.legend = true;
        o.scrollY = 0;
        o.cursorNs = -1;
        const int width = options.size.width() > 0 ? options.size.width() : 1600;
        const int height = options.size.height() > 0
            ? options.size.height()
            : std::clamp(TimelineRenderer::fullHeight(m_timeline->data(), o), 200, 8000);
        TimeMapping m = m_timeline->zoom()->mapping();
        const TimelineData &data = m_timeline->data();
        if (data.firstNs() >= 0) {
            // Same view as on screen if zoomed; otherwise everything.
            if (m_timeline->zoom()->followLive())
                m = TimeMapping::fit(data.viewStartNs(), std::max(o.nowNs, data.viewStartNs() + 1000), o.labelWidth,
                    width - o.labelWidth);
            else
                m = TimeMapping::fit(m.startNs(), m.endNs(m_timeline->plotAreaWidth() - o.labelWidth), o.labelWidth,
                    width - o.labelWidth, 0.0);
        }
        out = TimelineRenderer::renderImage(data, m.withLeft(o.labelWidth), o, QSize(width, height), options.scale);
    } else {
        const QPixmap pm = grab();
        const QSize logical = size();
        QImage img(
            (QSizeF(logical.width(), logical.height() + TimelineRenderer::CaptionHeight) * options.scale).toSize(),
            QImage::Format_ARGB32_Premultiplied);
        img.setDevicePixelRatio(options.scale);
        const QPalette pal = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
        img.fill(pal.color(QPalette::Window));
        QPainter p(&img);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.setFont(font());
        // The caption strip, drawn by the renderer with no lanes and no axis.
        TimelineRenderOptions o;
        o.palette = pal;
        o.font = font();
        o.captionTitle = title;
        o.captionDetails = details;
        o.legend = false;
        o.axisHeight = 0;
        TimelineData none;
        TimelineRenderer::render(p, QSize(logical.width(), TimelineRenderer::CaptionHeight), none, TimeMapping(), o);
        p.drawPixmap(
            QRectF(0, TimelineRenderer::CaptionHeight, logical.width(), logical.height()), pm, QRectF(pm.rect()));
        p.end();
        out = img;
    }
    if (restore)
        setDarkPalette(!options.dark);
    return out;
}

bool MainWindow::saveScreenshot(const QString &path, const ScreenshotOptions &options)
{
    const QImage img = renderScreenshot(options);
    const bool ok = !img.isNull() && img.save(path, "PNG");
    showMessage(ok ? u"Saved %1 (%2×%3 px)"_qs.arg(QDir::toNativeSeparators(path)).arg(img.width()).arg(img.height())
                   : u"Could not save %1"_qs.arg(QDir::toNativeSeparators(path)));
    return ok;
}

void MainWindow::handleSaveScreenshot()
{
    QSettings settings;
    const QString dir
        = settings.value(u"screenshot/dir"_qs, QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
              .toString();
    const QString name = u"threadlab-%1.png"_qs.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs));
    ScreenshotOptions initial = m_lastShot;
    initial.dark = m_dark;
    ScreenshotDialog dialog(initial, QDir(dir).filePath(name), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_lastShot = dialog.options();
    settings.setValue(u"screenshot/dir"_qs, QFileInfo(dialog.path()).absolutePath());
    saveScreenshot(dialog.path(), m_lastShot);
}

void MainWindow::handleCopyScreenshot()
{
    ScreenshotOptions o = m_lastShot;
    o.target = ScreenshotOptions::Target::Timeline;
    o.dark = m_dark;
    QApplication::clipboard()->setImage(renderScreenshot(o));
    showMessage(u"Timing screenshot copied to the clipboard"_qs, 3000);
}

void MainWindow::setDarkPalette(bool dark)
{
    m_dark = dark;
    QApplication::setPalette(dark ? StateStyle::darkPalette() : StateStyle::lightPalette());
    setPalette(dark ? StateStyle::darkPalette() : StateStyle::lightPalette());
    m_model->setDark(dark);
    const std::pair<const char16_t *, const char16_t *> icons[] = {
        { u"add", u"add" },
        { u"start", u"start" },
        { u"request", u"stop" },
        { u"force", u"kill" },
        { u"escalate", u"escalate" },
        { u"pause", u"pause" },
        { u"resume", u"start" },
        { u"stopall", u"stopall" },
        { u"clear", u"clear" },
        { u"recover", u"recover" },
        { u"fit", u"fit" },
        { u"zoomstop", u"zoomstop" },
        { u"follow", u"follow" },
        { u"screenshot", u"shot" },
    };
    for (const auto &[action, icon] : icons)
        m_actions.value(QString::fromUtf16(action))->setIcon(StateStyle::actionIcon(QString::fromUtf16(icon), dark));
    const QSignalBlocker block(action(u"dark"_qs));
    action(u"dark"_qs)->setChecked(dark);
    m_timeline->update();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDark(StateStyle::isDark(palette()));
    QMainWindow::changeEvent(event);
}

void MainWindow::createFileActions()
{
    makeAction(u"openrec"_qs, u"&Open recording…"_qs, QKeySequence::Open,
        u"Open a saved run (.threadlab.json or .threadlab.json.gz) read-only"_qs);
    makeAction(u"saverec"_qs, u"Save &recording…"_qs, QKeySequence::Save,
        u"Save the run: every event, the measurements, the leaks and the machine"_qs);
    makeAction(u"closerec"_qs, u"&Close recording"_qs, QKeySequence(Qt::CTRL | Qt::Key_W),
        u"Close the recording and return to the live lab"_qs);
    makeAction(u"exporttrace"_qs, u"Export &trace (Chrome/Perfetto)…"_qs, QKeySequence(),
        u"Chrome Trace Event Format JSON for Perfetto UI and Chrome DevTools"_qs);
    makeAction(u"exportcsv"_qs, u"Export &events as CSV…"_qs, QKeySequence(), u"One row per event"_qs);
    makeAction(u"exportmcsv"_qs, u"Export &measurements as CSV…"_qs, QKeySequence(),
        u"One row per worker: outcome, latencies, steps, CPU time, leaks"_qs);
    makeAction(u"exportmd"_qs, u"Export measurements as Mark&down…"_qs, QKeySequence(),
        u"A Markdown table of the measurements, for bug reports and notes"_qs);
    makeAction(u"exportimage"_qs, u"Export &image (PNG/SVG)…"_qs, QKeySequence(),
        u"The timeline with caption, scale bar and legend as PNG (1× or 2×) or SVG"_qs);
    QAction *scenarios = makeAction(u"scenarios"_qs, u"&Scenarios"_qs, QKeySequence(Qt::CTRL | Qt::Key_B),
        u"Show the scenario browser: built-in lessons to load, run and step through"_qs);
    scenarios->setCheckable(true);
    makeAction(u"matrix"_qs, u"Stop-method &matrix…"_qs, QKeySequence(Qt::CTRL | Qt::Key_M),
        u"Measure workloads × backends × stop methods on this machine"_qs);
    connect(action(u"openrec"_qs), &QAction::triggered, this, &MainWindow::handleOpenRecording);
    connect(action(u"saverec"_qs), &QAction::triggered, this, &MainWindow::handleSaveRecording);
    connect(action(u"closerec"_qs), &QAction::triggered, this, &MainWindow::closeRecording);
    for (const char16_t *name : { u"exporttrace", u"exportcsv", u"exportmcsv", u"exportmd", u"exportimage" }) {
        const QString n = QString::fromUtf16(name);
        connect(action(n), &QAction::triggered, this, [this, n] { handleExport(n); });
    }
    connect(action(u"matrix"_qs), &QAction::triggered, this, [this] {
        MatrixView *view = matrixView();
        view->show();
        view->raise();
        view->activateWindow();
    });
}

MatrixView *MainWindow::matrixView()
{
    if (!m_matrix) {
        m_matrix = new MatrixView(this);
        m_matrix->setInteractive(m_interactive);
    }
    return m_matrix;
}

void MainWindow::reportError(const QString &title, const QString &error)
{
    showMessage(error, 0);
    if (m_interactive)
        QMessageBox::warning(this, title, error);
}

bool MainWindow::openRecording(const QString &path, QString *error)
{
    QString why;
    std::optional<Recording> rec = RecordingIO::load(path, &why);
    if (!rec) {
        if (why.isEmpty())
            why = QDir::toNativeSeparators(path) + u": cannot be read"_qs;
        if (error)
            *error = why;
        reportError(u"Recording refused"_qs, why);
        return false;
    }
    m_recording = std::make_shared<const Recording>(std::move(*rec));
    m_recordingPath = path;
    m_recordedSource = std::make_unique<RecordedSource>(*m_recording);
    m_model->setSource(m_recordedSource.get());
    m_timeline->setSource(m_recordedSource.get());
    m_details->setSource(m_recordedSource.get());
    m_lesson->clearScenario();
    if (!m_recording->scenario.isEmpty() || !m_recording->title.isEmpty()) {
        // A recorded scenario brings its lesson back when this build knows it.
        QString ignored;
        const auto sc = m_recording->scenario.isEmpty() ? std::optional<Scenario>()
                                                        : ScenarioCatalogue::load(m_recording->scenario, &ignored);
        if (sc)
            m_lesson->setScenario(sc->title, sc->summary, sc->lesson);
    }
    m_lesson->showWorker(nullptr);
    setWindowTitle(u"ThreadLab — %1 (recording, read-only)"_qs.arg(QFileInfo(path).fileName()));
    showMessage(u"Opened %1: %2 workers, %3 events (read-only)"_qs.arg(QDir::toNativeSeparators(path))
                    .arg(m_recording->workers.size())
                    .arg(m_recording->events.size()));
    updateActions();
    updateStatus();
    return true;
}

void MainWindow::closeRecording()
{
    if (!m_recording)
        return;
    m_recording.reset();
    m_recordingPath.clear();
    m_details->setSource(m_liveSource);
    m_model->setSource(m_liveSource);
    m_timeline->setSource(m_liveSource);
    m_recordedSource.reset();
    m_lesson->clearScenario();
    m_lesson->showWorker(nullptr);
    setWindowTitle(u"ThreadLab"_qs);
    showMessage(u"Back to the live lab"_qs, 3000);
    updateActions();
    updateStatus();
}

Recording MainWindow::currentRecording() const
{
    if (m_recording)
        return *m_recording;
    return captureLab(*m_lab, u"ThreadLab — "_qs + workerSetDescription());
}

bool MainWindow::saveRecording(const QString &path, QString *error)
{
    QString why;
    const bool ok = RecordingIO::save(currentRecording(), path, &why);
    if (error)
        *error = why;
    if (ok)
        showMessage(u"Saved recording %1"_qs.arg(QDir::toNativeSeparators(path)));
    else
        reportError(u"Could not save the recording"_qs, why);
    return ok;
}

bool MainWindow::exportTrace(const QString &path, QString *error)
{
    QString why;
    const bool ok = exportChromeTrace(currentRecording(), path, &why);
    if (error)
        *error = why;
    if (ok)
        showMessage(u"Exported trace %1 (open it in ui.perfetto.dev or chrome://tracing)"_qs.arg(
            QDir::toNativeSeparators(path)));
    else
        reportError(u"Export failed"_qs, why);
    return ok;
}

bool MainWindow::exportTable(const QString &path, CsvKind kind, QString *error)
{
    QString why;
    const bool ok = exportCsv(currentRecording(), path, &why, kind);
    if (error)
        *error = why;
    if (ok)
        showMessage(u"Exported %1"_qs.arg(QDir::toNativeSeparators(path)));
    else
        reportError(u"Export failed"_qs, why);
    return ok;
}

bool MainWindow::exportImage(const QString &path, qreal scale, bool dark, QString *error)
{
    RecordingImageOptions o;
    o.scale = scale;
    o.dark = dark;
    o.caption = workerSetDescription();
    QString why;
    const bool ok = renderRecordingImage(currentRecording(), path, o, &why);
    if (error)
        *error = why;
    if (ok)
        showMessage(u"Exported %1"_qs.arg(QDir::toNativeSeparators(path)));
    else
        reportError(u"Export failed"_qs, why);
    return ok;
}

QString MainWindow::exportDir() const
{
    return QSettings()
        .value(u"export/dir"_qs, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .toString();
}

void MainWindow::rememberExportDir(const QString &path) const
{
    QSettings().setValue(u"export/dir"_qs, QFileInfo(path).absolutePath());
}

void MainWindow::handleOpenRecording()
{
    const QString path = QFileDialog::getOpenFileName(this, u"Open recording"_qs, exportDir(),
        u"ThreadLab recordings (*.threadlab.json *.threadlab.json.gz *.json *.gz);;All files (*)"_qs);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    openRecording(path);
}

void MainWindow::handleSaveRecording()
{
    const QString name
        = u"threadlab-%1.threadlab.json.gz"_qs.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs));
    const QString path = QFileDialog::getSaveFileName(this, u"Save recording"_qs, QDir(exportDir()).filePath(name),
        u"Compressed recording (*.threadlab.json.gz);;Recording (*.threadlab.json)"_qs);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    saveRecording(path);
}

void MainWindow::handleExport(const QString &what)
{
    const QString stamp = QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs);
    QString name, filter, title;
    if (what == u"exporttrace"_qs) {
        title = u"Export trace"_qs;
        name = u"threadlab-%1.trace.json"_qs.arg(stamp);
        filter = u"Chrome trace (*.json)"_qs;
    } else if (what == u"exportcsv"_qs) {
        title = u"Export events as CSV"_qs;
        name = u"threadlab-%1-events.csv"_qs.arg(stamp);
        filter = u"CSV (*.csv)"_qs;
    } else if (what == u"exportmcsv"_qs) {
        title = u"Export measurements as CSV"_qs;
        name = u"threadlab-%1-measurements.csv"_qs.arg(stamp);
        filter = u"CSV (*.csv)"_qs;
    } else if (what == u"exportmd"_qs) {
        title = u"Export measurements as Markdown"_qs;
        name = u"threadlab-%1-measurements.md"_qs.arg(stamp);
        filter = u"Markdown (*.md)"_qs;
    } else {
        title = u"Export image"_qs;
        name = u"threadlab-%1.png"_qs.arg(stamp);
        filter = u"PNG image (*.png);;PNG image at 2× (*.png);;SVG image (*.svg)"_qs;
    }
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, title, QDir(exportDir()).filePath(name), filter, &selected);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    if (what == u"exporttrace"_qs)
        exportTrace(path);
    else if (what == u"exportcsv"_qs)
        exportTable(path, CsvKind::Events);
    else if (what == u"exportmcsv"_qs)
        exportTable(path, CsvKind::Measurements);
    else if (what == u"exportmd"_qs)
        exportTable(path, CsvKind::MarkdownMeasurements);
    else
        exportImage(path, selected.contains(u"2×"_qs) ? 2.0 : 1.0, m_dark);
}

void MainWindow::handleScenarioLoaded(
    const QString &title, const QString &summary, const QString &lesson, const QList<int> &workerIds)
{
    m_lesson->setScenario(title, summary, lesson);
    m_tabs->setCurrentWidget(m_lesson);
    m_liveSource->beginRun(title, {}, workerIds); // a loaded scenario is a run of its own, from 0
    m_model->flush();
    selectWorkers(workerIds);
    m_timeline->setFollowLive(true);
    scheduleActionUpdate();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    const QString path = urls.first().toLocalFile();
    // Open after the drop returns, so a message box does not run inside the drag-and-drop loop.
    QTimer::singleShot(0, this, [this, path] { openRecording(path); });
}

ShutdownReport MainWindow::shutdownLab()
{
    if (m_shutDown)
        return m_report;
    m_shutDown = true;
    updateActions();
    // Lab::shutdown pumps events while it waits, so this timer can show progress after half a second.
    QProgressDialog *progress = nullptr;
    QTimer showProgress;
    showProgress.setSingleShot(true);
    if (isVisible()) {
        connect(&showProgress, &QTimer::timeout, this, [this, &progress] {
            progress
                = new QProgressDialog(u"Stopping every worker (requests first, then force)…"_qs, QString(), 0, 0, this);
            progress->setWindowTitle(u"ThreadLab is shutting down"_qs);
            progress->setWindowModality(Qt::WindowModal);
            progress->setMinimumDuration(0);
            progress->setCancelButton(nullptr);
            progress->show();
        });
        showProgress.start(ShutdownProgressAfterMs);
    }
    m_report = m_lab->shutdown(ShutdownDeadlineMs);
    showProgress.stop();
    delete progress;
    if (!m_report.stillRunning.isEmpty()) {
        const QString text = u"These could not be stopped and are left running until the process exits: "_qs
            + m_report.stillRunning.join(u", "_qs);
        qWarning("threadlab: %s", qUtf8Printable(text));
        showMessage(text, 0);
        if (m_interactive && isVisible())
            QMessageBox::warning(this, u"Some workers could not be stopped"_qs,
                text + u"\n\nThey keep running, never destroyed while running; ThreadLab exits safely."_qs);
    }
    emit labShutDown(m_report);
    return m_report;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    writeSettings();
    shutdownLab();
    event->accept();
}

void MainWindow::readSettings()
{
    QSettings s;
    s.beginGroup(u"window"_qs);
    if (s.contains(u"geometry"_qs))
        restoreGeometry(s.value(u"geometry"_qs).toByteArray());
    else
        resize(1480, 900);
    restoreState(s.value(u"state"_qs).toByteArray());
    if (s.contains(u"mainSplit"_qs))
        m_mainSplit->restoreState(s.value(u"mainSplit"_qs).toByteArray());
    if (s.contains(u"leftSplit"_qs))
        m_leftSplit->restoreState(s.value(u"leftSplit"_qs).toByteArray());
    s.endGroup();
    m_grace->setValue(s.value(u"stop/graceMs"_qs, 1000).toInt());
    m_killTimeout->setValue(s.value(u"stop/killTimeoutMs"_qs, 1000).toInt());
    const bool dark = s.value(u"view/dark"_qs, m_dark).toBool();
    if (dark != m_dark)
        setDarkPalette(dark);
}

void MainWindow::writeSettings() const
{
    QSettings s;
    s.beginGroup(u"window"_qs);
    s.setValue(u"geometry"_qs, saveGeometry());
    s.setValue(u"state"_qs, saveState());
    s.setValue(u"mainSplit"_qs, m_mainSplit->saveState());
    s.setValue(u"leftSplit"_qs, m_leftSplit->saveState());
    s.endGroup();
    s.setValue(u"stop/graceMs"_qs, m_grace->value());
    s.setValue(u"stop/killTimeoutMs"_qs, m_killTimeout->value());
    s.setValue(u"view/dark"_qs, m_dark);
}

} // namespace threadlab
