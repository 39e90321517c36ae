// The newcomer's and the teacher's way in: the start page, the Help menu, presenter mode and the font scale.
#include "guidecontroller.h"

#include "fontscale.h"
#include "layoutcheck.h"
#include "mainwindow.h"
#include "presenterwindow.h"
#include "scenariobrowser.h"
#include "scenarios/scenariocatalogue.h"
#include "startpage.h"
#include "timelinerenderer.h"
#include "timelineview.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace threadlab {

GuideController::GuideController(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_fontScale(new FontScale(this))
    , m_start(new StartPage)
    , m_pages(new QStackedWidget)
{
    // The lab (the window's central widget so far) goes behind the start page in a stack.
    QWidget *lab = window->takeCentralWidget();
    m_pages->setObjectName(u"pages"_qs);
    m_pages->addWidget(m_start);
    m_pages->addWidget(lab);
    window->setCentralWidget(m_pages);
    createActions();
    addMenus();
    connectStartPage();
    showStartPage();
}

void GuideController::createActions()
{
    const auto make = [this](const QString &text, const QList<QKeySequence> &keys, const QString &tip) {
        auto *a = new QAction(text, m_window);
        a->setShortcuts(keys);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        m_window->addAction(a);
        return a;
    };
    m_startAction = make(u"S&tart page"_qs, { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H) },
        u"The lessons, recent recordings and a way into the lab"_qs);
    m_presentAction = make(u"&Presenter mode"_qs, { QKeySequence(Qt::Key_F5) },
        u"Full screen, one lesson at a time, its text beside the live timeline"_qs);
    m_larger
        = make(u"&Larger text"_qs, { QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus) },
            u"Scale every text up, the timeline too (kept for the next start)"_qs);
    m_smaller = make(u"S&maller text"_qs, { QKeySequence(Qt::CTRL | Qt::Key_Minus) }, u"Scale every text down"_qs);
    m_resetText
        = make(u"Text at &100 %"_qs, { QKeySequence(Qt::CTRL | Qt::Key_0) }, u"Every text at its normal size"_qs);
    connect(m_startAction, &QAction::triggered, this, &GuideController::showStartPage);
    connect(m_presentAction, &QAction::triggered, this, [this] {
        const auto &chosen = m_window->scenarioBrowser()->chosen();
        present(chosen ? chosen->id : QString());
    });
    connect(m_larger, &QAction::triggered, m_fontScale, &FontScale::increase);
    connect(m_smaller, &QAction::triggered, m_fontScale, &FontScale::decrease);
    connect(m_resetText, &QAction::triggered, m_fontScale, &FontScale::reset);
    connect(m_fontScale, &FontScale::changed, m_window, [this] {
        m_window->statusBar()->showMessage(u"Text at %1 (Ctrl+0: 100 %)"_qs.arg(m_fontScale->percentText()), 4000);
    });
}

void GuideController::addMenus()
{
    QMenuBar *bar = m_window->menuBar();
    QMenu *view = nullptr;
    for (QAction *a : bar->actions())
        if (a->menu() && a->text().remove(u'&') == u"View")
            view = a->menu();
    if (!view)
        view = bar->addMenu(u"&View"_qs);
    QAction *first = view->actions().value(0);
    view->insertAction(first, m_startAction);
    view->insertAction(first, m_presentAction);
    view->insertSeparator(first);
    view->addSeparator();
    view->addActions({ m_larger, m_smaller, m_resetText });

    QMenu *help = bar->addMenu(u"&Help"_qs);
    QMenu *lessons = help->addMenu(u"&Lessons"_qs);
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        QString error;
        const auto s = ScenarioCatalogue::load(name, &error);
        QAction *a = lessons->addAction(s ? s->title : name);
        a->setToolTip(s ? s->summary : error);
        connect(a, &QAction::triggered, this, [this, name] { runLesson(name, true); });
    }
    help->addAction(m_startAction);
    help->addAction(u"&Keyboard shortcuts"_qs, this, &GuideController::showShortcuts);
    help->addSeparator();
    help->addAction(u"&About ThreadLab"_qs, this, &GuideController::showAbout);
}

void GuideController::connectStartPage()
{
    connect(m_start, &StartPage::runRequested, this, [this](const QString &name) { runLesson(name, false); });
    connect(m_start, &StartPage::stepRequested, this, [this](const QString &name) { runLesson(name, true); });
    connect(m_start, &StartPage::presentRequested, this, [this](const QString &name) { present(name); });
    connect(m_start, &StartPage::emptyLabRequested, this, &GuideController::showLab);
    connect(m_start, &StartPage::scenariosRequested, this, [this] {
        showLab();
        showScenarioDock();
    });
    connect(m_start, &StartPage::openRecordingRequested, this, [this](const QString &path) {
        if (path.isEmpty())
            m_window->document()->handleOpen();
        else
            m_window->openRecording(path);
    });
    // Whatever brings something into the lab shows the lab.
    DocumentController *doc = m_window->document();
    connect(doc, &DocumentController::recordingOpened, this, [this] {
        StartPage::addRecentRecording(m_window->recordingPath());
        m_start->refreshRecent();
        showLab();
    });
    connect(doc, &DocumentController::recordingSaved, this, [this](const QString &path) {
        StartPage::addRecentRecording(path);
        m_start->refreshRecent();
    });
    connect(m_window->scenarioBrowser(), &ScenarioBrowser::scenarioLoaded, this, &GuideController::showLab);
    // The scenario dock opens at most a quarter of the window wide: at 1024 px the table keeps its outcome columns.
    // (After the dock has been laid out: its width is known only then.)
    connect(m_window->action(ActionId::Scenarios), &QAction::toggled, this, [this](bool shown) {
        if (shown)
            QTimer::singleShot(0, this, [this] {
                auto *dock = m_window->findChild<QDockWidget *>(u"scenarioDock"_qs);
                const int cap = m_window->width() / 4;
                if (dock && dock->isVisible() && !dock->isFloating() && dock->width() > cap)
                    m_window->resizeDocks({ dock }, { cap }, Qt::Horizontal);
            });
    });
    connect(&m_window->lab(), &Lab::workerAdded, this, &GuideController::showLab);
}

void GuideController::runLesson(const QString &scenario, bool stepThrough)
{
    ScenarioBrowser *browser = m_window->scenarioBrowser();
    showLab();
    if (!browser->choose(scenario))
        return;
    if (stepThrough) {
        showScenarioDock(); // its Step button is where the teacher goes on
        browser->load();
    } else {
        browser->run();
    }
}

void GuideController::showScenarioDock()
{
    // The action is checkable: trigger() toggles it, so only trigger it when the dock is hidden.
    if (QAction *dock = m_window->action(ActionId::Scenarios); !dock->isChecked())
        dock->trigger();
}

bool GuideController::isStartPageShown() const
{
    return m_pages->currentWidget() == m_start;
}

void GuideController::showStartPage()
{
    m_start->refreshRecent();
    m_pages->setCurrentWidget(m_start);
}

void GuideController::showLab()
{
    m_pages->setCurrentIndex(1);
}

PresenterWindow *GuideController::presenter()
{
    if (!m_presenter) {
        m_presenter
            = new PresenterWindow(m_window->scenarioBrowser(), m_window->timeline()->source(), m_fontScale, m_window);
        connect(m_presenter, &PresenterWindow::exited, this, [this] {
            showLab();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    return m_presenter;
}

bool GuideController::present(const QString &scenario, bool fullScreen, QString *error)
{
    if (m_window->isShowingRecording())
        m_window->closeRecording(); // presenter mode runs lessons on the live lab
    PresenterWindow *p = presenter();
    if (!p->showLesson(scenario, error))
        return false;
    if (fullScreen) {
        // The whole screen the main window is on; set explicitly too, as without a window manager (a kiosk, Xvfb)
        // nobody else resizes a full-screen window.
        if (const QScreen *screen = m_window->screen())
            p->setGeometry(screen->geometry());
        p->showFullScreen();
    } else
        p->showNormal();
    p->raise();
    p->activateWindow();
    return true;
}

bool GuideController::isPresenting() const
{
    return m_presenter && m_presenter->isVisible();
}

QList<QPair<QString, QString>> GuideController::shortcuts()
{
    // Read from the actions themselves, so the list cannot drift from what the keys do.
    QList<QPair<QString, QString>> out;
    const auto collect = [&out](const QList<QAction *> &actions, const QString &where) {
        for (const QAction *a : actions) {
            if (a->shortcuts().isEmpty())
                continue;
            QStringList keys;
            for (const QKeySequence &k : a->shortcuts())
                keys << k.toString(QKeySequence::NativeText);
            QString what = a->text().remove(u'&');
            if (!where.isEmpty())
                what = where + u": "_qs + what;
            out.append({ keys.join(u", "_qs), what });
        }
    };
    // The window's actions: its own (added to it) and the lab's (its direct children); each once.
    QList<QAction *> windowActions = m_window->QWidget::actions();
    for (QAction *a : m_window->findChildren<QAction *>(Qt::FindDirectChildrenOnly))
        if (!windowActions.contains(a))
            windowActions << a;
    collect(windowActions, {});
    collect(presenter()->actions(), u"Presenter"_qs);
    out.append({ u"Ctrl+wheel, + / −"_qs, u"Timeline: zoom about the cursor"_qs });
    out.append({ u"Drag, arrows"_qs, u"Timeline: pan"_qs });
    out.append({ u"Shift+drag"_qs, u"Timeline: measure an interval"_qs });
    out.append({ u"F"_qs, u"Timeline: fit all"_qs });
    return out;
}

void GuideController::showShortcuts()
{
    const auto rows = shortcuts();
    QDialog dialog(m_window);
    dialog.setWindowTitle(u"Keyboard shortcuts"_qs);
    auto *table = new QTableWidget(int(rows.size()), 2, &dialog);
    table->setHorizontalHeaderLabels({ u"Keys"_qs, u"Does"_qs });
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows.at(i).first));
        table->setItem(i, 1, new QTableWidgetItem(rows.at(i).second));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(dialog.fontMetrics().averageCharWidth() * 80, dialog.fontMetrics().height() * 30);
    dialog.exec();
}

void GuideController::showAbout()
{
    QMessageBox::about(m_window, u"About ThreadLab"_qs,
        u"<h3>ThreadLab %1</h3><p>A laboratory for stopping threads and processes: start workers, stop them "
        "with each method, and see what really happens, measured on this machine.</p><p>%2</p>"
        "<p>Run <code>threadlab --help</code> for the command line.</p>"_qs.arg(
            QCoreApplication::applicationVersion().toHtmlEscaped(),
            TimelineRenderer::machineDescription().toHtmlEscaped()));
}

void GuideController::scheduleLayoutReport(MainWindow *window, const QString &path, int delayMs)
{
    QTimer::singleShot(delayMs, window, [window, path] {
        QStringList lines;
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (!top->isVisible())
                continue;
            const QString name
                = top->objectName().isEmpty() ? QString::fromLatin1(top->metaObject()->className()) : top->objectName();
            lines << u"window %1 %2x%3"_qs.arg(name).arg(top->width()).arg(top->height());
            for (const QString &problem : layoutProblems(top))
                lines << u"problem %1: %2"_qs.arg(name, problem);
        }
        if (auto *guide = window->findChild<GuideController *>()) {
            if (guide->isStartPageShown())
                for (const QString &name : guide->startPage()->lessonNames())
                    lines << u"lesson "_qs + name;
        }
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Text))
            file.write((lines.join(u'\n') + u'\n').toUtf8());
        window->close();
    });
}

} // namespace threadlab
