// The teacher's flows: start page, presenter mode, font scale and a clean layout at 1024x768 and 1920x1080.
#include "fontscale.h"
#include "guidecontroller.h"
#include "layoutcheck.h"
#include "mainwindow.h"
#include "presenterwindow.h"
#include "scenariobrowser.h"
#include "scenarios/scenariocatalogue.h"
#include "startpage.h"
#include "timelinerenderer.h"
#include "timelineview.h"
#include "timelinezoom.h"
#include "workertablemodel.h"

#include "missingtool.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>

using namespace threadlab;

namespace {

/// The problems as one message for QVERIFY2.
QByteArray problemsText(const QStringList &problems)
{
    return problems.join(u"\n"_qs).toUtf8();
}

/// Where the real app is, or why the test cannot run it (a failure under CI=true, a skip outside it).
struct RealApp
{
    QString xvfb;
    QString app;
    QString missing;
    bool underCi = false;
};

RealApp findRealApp()
{
    RealApp r;
    r.underCi = qEnvironmentVariable("CI").compare(u"true"_qs, Qt::CaseInsensitive) == 0;
    r.xvfb = QStandardPaths::findExecutable(u"xvfb-run"_qs);
    const QString binDir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    r.app = QDir(binDir).filePath(u"threadlab"_qs);
    if (r.xvfb.isEmpty())
        r.missing = u"xvfb-run is not installed (apt-get install xvfb)"_qs;
    else if (binDir.isEmpty() || !QFileInfo(r.app).isExecutable())
        r.missing = u"THREADLAB_BIN_DIR/threadlab not found (run the test through ctest)"_qs;
    return r;
}

/// Runs `threadlab ARGS` in an X server of this size with THREADLAB_LAYOUT_REPORT and returns the report lines.
QStringList layoutReport(const RealApp &real, const QString &screen, const QStringList &args, QString *log)
{
    QTemporaryDir dir;
    const QString report = dir.filePath(u"layout.txt"_qs);
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"QT_QPA_PLATFORM"_qs);
    env.insert(u"THREADLAB_LAYOUT_REPORT"_qs, report);
    env.insert(u"HOME"_qs, dir.path()); // fresh settings: a first run
    env.insert(u"XDG_CONFIG_HOME"_qs, dir.filePath(u"config"_qs));
    proc.setProcessEnvironment(env);
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.start(real.xvfb, QStringList { u"-a"_qs, u"-s"_qs, u"-screen 0 %1x24"_qs.arg(screen), real.app } + args);
    if (!proc.waitForStarted() || !proc.waitForFinished(90000)) {
        proc.kill();
        proc.waitForFinished(5000);
        *log = u"the app did not quit"_qs;
        return {};
    }
    *log = QString::fromLocal8Bit(proc.readAll());
    QFile file(report);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

class TestPresenter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void startPageListsEveryLesson();
    void startPageRunShowsTheLab();
    void recentRecordingsAreRemembered();
    void presenterLayoutIsClean_data();
    void presenterLayoutIsClean();
    void presenterWalksTheLessons();
    void fontScaleScalesTextAndTimelineAndPersists();
    void timelineLegendWrapsAndLanesFollowTheFont();
    void mainWindowFitsAt1024();
    void helpListsShortcutsFromTheActions();
    void realAppPresenterUnderXvfb_data();
    void realAppPresenterUnderXvfb();
    void realAppStartPageUnderXvfb();
    void presentRefusesAnUnknownScenario();
};

void TestPresenter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"ThreadLabTests"_qs);
    QCoreApplication::setApplicationName(u"tst_presenter"_qs);
    QSettings().clear();
}

void TestPresenter::cleanup()
{
    // The text size is app-wide and persisted: a test that fails half-way must not leave the next ones scaled
    // (the font too, as a test may clear the settings while the font is scaled).
    FontScale scale;
    scale.reset();
    QApplication::setFont(scale.fontAt(1.0));
}

void TestPresenter::startPageListsEveryLesson()
{
    MainWindow w;
    w.setInteractive(false);
    w.resize(1024, 768);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.guide()->isStartPageShown());
    const QStringList builtins = ScenarioCatalogue::builtinNames();
    QVERIFY(builtins.size() >= 10);
    QCOMPARE(w.guide()->startPage()->lessonNames(), builtins);
    for (const QString &name : builtins) {
        QString error;
        const auto s = ScenarioCatalogue::load(name, &error);
        QVERIFY2(s, qPrintable(error));
        auto *card = w.guide()->startPage()->findChild<QFrame *>(u"lessonCard_"_qs + name);
        QVERIFY2(card, qPrintable(name));
        QCOMPARE(card->accessibleName(), s->title);
        QStringList buttons;
        for (auto *b : card->findChildren<QPushButton *>())
            buttons << b->text();
        QCOMPARE(buttons, (QStringList { u"Run"_qs, u"Step through"_qs, u"Present"_qs }));
    }
    QTRY_VERIFY2(layoutProblems(w.guide()->startPage()).isEmpty(),
        problemsText(layoutProblems(w.guide()->startPage())).constData());
}

void TestPresenter::startPageRunShowsTheLab()
{
    MainWindow w;
    w.setInteractive(false);
    w.scenarioBrowser()->setInteractive(false);
    w.resize(1024, 768);
    w.show();
    QVERIFY(w.guide()->isStartPageShown());
    QSignalSpy loaded(w.scenarioBrowser(), &ScenarioBrowser::scenarioLoaded);
    emit w.guide()->startPage()->stepRequested(u"01-exit-flag"_qs);
    QCOMPARE(loaded.size(), 1);
    QVERIFY(!w.guide()->isStartPageShown());
    QVERIFY(w.action(ActionId::Scenarios)->isChecked()); // stepping happens in the scenario browser
    QVERIFY(w.scenarioBrowser()->chosen());
    QCOMPARE(w.scenarioBrowser()->chosen()->id, u"01-exit-flag"_qs);
    w.guide()->startPageAction()->trigger();
    QVERIFY(w.guide()->isStartPageShown());
    w.close();
}

void TestPresenter::recentRecordingsAreRemembered()
{
    QTemporaryDir dir;
    MainWindow w;
    w.setInteractive(false);
    const QString path = dir.filePath(u"r.threadlab.json"_qs);
    QString error;
    QVERIFY2(w.saveRecording(path, &error), qPrintable(error));
    QCOMPARE(StartPage::recentRecordings().value(0), QFileInfo(path).absoluteFilePath());
    QFile::remove(path);
    QVERIFY(!StartPage::recentRecordings().contains(QFileInfo(path).absoluteFilePath())); // missing files drop out
}

void TestPresenter::presenterLayoutIsClean_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<double>("scale");
    QTest::newRow("1024x768") << QSize(1024, 768) << 1.0;
    QTest::newRow("1024x768 text 150 %") << QSize(1024, 768) << 1.5;
    QTest::newRow("1920x1080") << QSize(1920, 1080) << 1.0;
    QTest::newRow("1920x1080 text 200 %") << QSize(1920, 1080) << 2.0;
}

void TestPresenter::presenterLayoutIsClean()
{
    QFETCH(QSize, size);
    QFETCH(double, scale);
    MainWindow w;
    w.setInteractive(false);
    w.scenarioBrowser()->setInteractive(false);
    w.show();
    QString error;
    QVERIFY2(w.guide()->present(u"04-cpu-ignore"_qs, false, &error), qPrintable(error));
    // The process lane needs the worker host, which a test finds through THREADLAB_BIN_DIR (set by ctest).
    const QStringList unavailable = w.scenarioBrowser()->chosen()->unavailableReasons();
    QVERIFY2(unavailable.isEmpty(), qPrintable(unavailable.join(u"; "_qs) + u" (run through ctest)"_qs));
    w.guide()->fontScale()->setFactor(scale);
    PresenterWindow *p = w.guide()->presenter();
    p->resize(size);
    QVERIFY(QTest::qWaitForWindowExposed(p));
    QTRY_COMPARE(p->size(), size);
    p->run();
    // Lanes on the timeline, then the walk: nothing outside its parent, no overlap, no clipped text.
    QTRY_VERIFY2_WITH_TIMEOUT(p->timeline()->data().lanes().size() == 3,
        qPrintable(QString::number(p->timeline()->data().lanes().size())), 10000);
    QTRY_VERIFY2(layoutProblems(p).isEmpty(), problemsText(layoutProblems(p)).constData());
    QVERIFY(!p->lessonText()->toPlainText().isEmpty());
    // The timeline keeps most of the width, and its label column and lanes follow the font.
    QVERIFY(p->timeline()->width() > size.width() / 2);
    const TimelineRenderOptions o = p->timeline()->renderOptions();
    QVERIFY(o.laneHeight >= QFontMetrics(o.font).height() * 2);
    w.guide()->fontScale()->reset();
    w.close();
}

void TestPresenter::presenterWalksTheLessons()
{
    MainWindow w;
    w.setInteractive(false);
    w.scenarioBrowser()->setInteractive(false);
    w.show();
    QVERIFY(w.guide()->present({}, false));
    PresenterWindow *p = w.guide()->presenter();
    const QStringList lessons = ScenarioCatalogue::builtinNames();
    QCOMPARE(p->lesson(), lessons.first());
    p->previous(); // nothing before the first
    QCOMPARE(p->lesson(), lessons.first());
    p->next();
    QCOMPARE(p->lesson(), lessons.at(1));
    QCOMPARE(w.scenarioBrowser()->chosen()->id, lessons.at(1));
    QVERIFY(p->lessonText()->toPlainText().contains(w.scenarioBrowser()->chosen()->summary.left(20)));
    // Its numbers are placeholders filled from the run ("—" until measured), never shown raw.
    QVERIFY2(!p->lessonText()->toPlainText().contains(u"{{"_qs), qPrintable(p->lessonText()->toPlainText()));
    // Before its first run the axis starts at the run's zero (or now), never at the machine's boot: the old
    // "-361 min" under a lesson nobody had run yet.
    QCoreApplication::processEvents();
    const qint64 axisStart = p->timeline()->zoom()->mapping().startNs();
    const qint64 zero = p->timeline()->zeroNs();
    QVERIFY2(axisStart > 0, qPrintable(QString::number(axisStart)));
    if (zero >= 0)
        QVERIFY2(qAbs(axisStart - zero) < qint64(60) * 1'000'000'000,
            qPrintable(u"axis %1 zero %2"_qs.arg(axisStart).arg(zero)));
    p->setPointerHighlight(true);
    QVERIFY(p->pointer()->isVisible());
    QCOMPARE(p->pointer()->geometry(), p->rect());
    p->exitAction()->trigger();
    QVERIFY(!p->isVisible());
    QVERIFY(!p->pointer()->isActive());
    QVERIFY(!w.guide()->isPresenting());
    w.close();
}

void TestPresenter::fontScaleScalesTextAndTimelineAndPersists()
{
    MainWindow w;
    w.setInteractive(false);
    w.resize(1024, 768);
    w.show();
    const double basePt = QApplication::font().pointSizeF();
    const int baseLane = w.timeline()->renderOptions().laneHeight;
    const int baseLabel = w.timeline()->renderOptions().labelWidth;
    for (int i = 0; i < 5; ++i)
        w.guide()->largerTextAction()->trigger();
    const double factor = w.guide()->fontScale()->factor();
    QVERIFY(factor > 1.9);
    QVERIFY(QApplication::font().pointSizeF() > basePt * 1.9);
    QTRY_VERIFY(w.timeline()->font().pointSizeF() > basePt * 1.9);
    QVERIFY(w.timeline()->renderOptions().laneHeight > baseLane);
    QVERIFY(w.timeline()->renderOptions().labelWidth > baseLabel);
    QCOMPARE(QSettings().value(u"view/fontScale"_qs).toDouble(), factor);
    // A new window (a new start) comes back at the same scale.
    {
        MainWindow again;
        QCOMPARE(again.guide()->fontScale()->factor(), factor);
    }
    w.guide()->resetTextAction()->trigger();
    QCOMPARE(w.guide()->fontScale()->factor(), 1.0);
    QCOMPARE(QApplication::font().pointSizeF(), basePt);
    QCOMPARE(QSettings().value(u"view/fontScale"_qs).toDouble(), 1.0);
    w.guide()->smallerTextAction()->trigger();
    QVERIFY(w.guide()->fontScale()->factor() < 1.0);
    w.guide()->fontScale()->reset();
    QCOMPARE(w.guide()->resetTextAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
    QVERIFY(w.guide()->largerTextAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Equal)));
}

void TestPresenter::timelineLegendWrapsAndLanesFollowTheFont()
{
    // The legend was cut off in a 1024 px window: it wraps into rows, and the layout asks for their height.
    TimelineRenderOptions o;
    o.fitToFont(QApplication::font());
    const int oneRow = TimelineRenderer::legendHeight(4000, o);
    QVERIFY(oneRow >= TimelineRenderer::LegendHeight);
    QVERIFY(TimelineRenderer::legendHeight(500, o) >= 2 * oneRow);
    QCOMPARE(TimelineRenderer::lanesBottom(QSize(500, 600), o), 600 - TimelineRenderer::legendHeight(500, o));
    o.legend = false;
    QCOMPARE(TimelineRenderer::legendHeight(500, o), 0);
    // A larger font makes lanes, the label column, the axis and the legend larger: no text overflows its lane.
    QFont big = QApplication::font();
    big.setPointSizeF(big.pointSizeF() * 2);
    TimelineRenderOptions b;
    b.fitToFont(big);
    TimelineRenderOptions n;
    n.fitToFont(QApplication::font());
    QVERIFY(b.laneHeight > n.laneHeight);
    QVERIFY(b.laneHeight >= QFontMetrics(big).height() * 2);
    QVERIFY(b.labelWidth > n.labelWidth);
    QVERIFY(b.axisHeight > n.axisHeight);
    QVERIFY(TimelineRenderer::legendHeight(1024, b) > TimelineRenderer::legendHeight(1024, n));
}

void TestPresenter::mainWindowFitsAt1024()
{
    // The issue's 1024x768 defects: the toolbar overflowed, the plot was 145 px, the outcome columns were off-screen.
    QSettings().clear(); // a first run: no layout remembered from the tests before
    MainWindow w;
    w.setInteractive(false);
    w.scenarioBrowser()->setInteractive(false);
    w.resize(1024, 768);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.action(ActionId::Scenarios)->trigger();
    QVERIFY(w.scenarioBrowser()->choose(u"04-cpu-ignore"_qs));
    QVERIFY(w.scenarioBrowser()->load());
    QTRY_COMPARE(w.model()->rowCount(), 3);
    QTRY_VERIFY(w.scenarioBrowser()->isVisible());
    auto *toolbar = w.findChild<QToolBar *>(u"labToolBar"_qs);
    QVERIFY(toolbar);
    for (auto *b : toolbar->findChildren<QToolButton *>(u"qt_toolbar_ext_button"_qs))
        QVERIFY2(!b->isVisible(), "the toolbar overflows into »");
    const TimelineRenderOptions o = w.timeline()->renderOptions();
    QVERIFY2(w.timeline()->plotAreaWidth() - o.labelWidth >= 400,
        qPrintable(QString::number(w.timeline()->plotAreaWidth() - o.labelWidth)));
    QVERIFY(TimelineRenderer::lanesBottom(w.timeline()->size(), o) - TimelineRenderer::lanesTop(o) >= 3 * o.laneHeight);
    QTableView *table = w.table();
    if (const QString shots = qEnvironmentVariable("THREADLAB_SHOT_DIR"); !shots.isEmpty())
        QVERIFY(w.grab().save(QDir(shots).filePath(u"main-window-1024-offscreen.png"_qs)));
    for (int column : { WorkerTableModel::NameColumn, WorkerTableModel::StateColumn, WorkerTableModel::OutcomeColumn,
             WorkerTableModel::JoinedColumn, WorkerTableModel::LeaksColumn }) {
        const int right = table->columnViewportPosition(column) + table->columnWidth(column);
        QVERIFY2(table->columnViewportPosition(column) >= 0 && right <= table->viewport()->width() + 2,
            qPrintable(u"%1 ends at %2 of %3"_qs.arg(w.model()->headerData(column, Qt::Horizontal).toString())
                           .arg(right)
                           .arg(table->viewport()->width())));
    }
    w.close();
}

void TestPresenter::helpListsShortcutsFromTheActions()
{
    MainWindow w;
    const auto rows = w.guide()->shortcuts();
    const auto has = [&rows](const QString &keys, const QString &what) {
        for (const auto &row : rows)
            if (row.first.contains(keys) && row.second.contains(what))
                return true;
        return false;
    };
    QVERIFY(has(u"F5"_qs, u"Presenter mode"_qs));
    QVERIFY(has(u"Ctrl+0"_qs, u"100 %"_qs));
    QVERIFY(has(u"Ctrl+R"_qs, u"Start"_qs));
    QVERIFY(has(u"PgDown"_qs, u"Presenter: Next"_qs));
    QMenu *help = nullptr;
    for (QAction *a : w.menuBar()->actions())
        if (a->text().remove(u'&') == u"Help")
            help = a->menu();
    QVERIFY(help);
    QStringList items;
    for (QAction *a : help->actions())
        items << a->text().remove(u'&');
    QVERIFY(items.contains(u"Lessons"_qs));
    QVERIFY(items.contains(u"Keyboard shortcuts"_qs));
    QVERIFY(items.contains(u"About ThreadLab"_qs));
    QCOMPARE(help->actions().constFirst()->menu()->actions().size(), ScenarioCatalogue::builtinNames().size());
}

void TestPresenter::realAppPresenterUnderXvfb_data()
{
    QTest::addColumn<QString>("screen");
    QTest::newRow("1024x768") << u"1024x768"_qs;
    QTest::newRow("1920x1080") << u"1920x1080"_qs;
}

void TestPresenter::realAppPresenterUnderXvfb()
{
    // `threadlab present 04-cpu-ignore` in a real X window: full screen, a lesson running, nothing clipped.
    QFETCH(QString, screen);
    const RealApp real = findRealApp();
    if (!real.missing.isEmpty()) {
        if (real.underCi)
            QFAIL(qPrintable(real.missing + u", and CI=true"_qs));
        QSKIP(qPrintable(real.missing + u"; outside CI (CI!=true) this is a skip"_qs));
    }
    QString log;
    const QStringList lines = layoutReport(real, screen, { u"present"_qs, u"04-cpu-ignore"_qs }, &log);
    QVERIFY2(!lines.isEmpty(), qPrintable(log));
    QVERIFY2(lines.contains(u"window presenter "_qs + screen), qPrintable(lines.join(u'\n')));
    const QStringList problems = lines.filter(QRegularExpression(u"^problem presenter: "_qs));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestPresenter::realAppStartPageUnderXvfb()
{
    // The app as a newcomer starts it at 1024x768: the start page, every built-in lesson, nothing clipped.
    const RealApp real = findRealApp();
    if (!real.missing.isEmpty()) {
        if (real.underCi)
            QFAIL(qPrintable(real.missing + u", and CI=true"_qs));
        QSKIP(qPrintable(real.missing + u"; outside CI (CI!=true) this is a skip"_qs));
    }
    QString log;
    const QStringList lines = layoutReport(real, u"1024x768"_qs, {}, &log);
    QVERIFY2(!lines.isEmpty(), qPrintable(log));
    QStringList lessons;
    for (const QString &line : lines)
        if (line.startsWith(u"lesson "_qs))
            lessons << line.mid(7);
    QCOMPARE(lessons, ScenarioCatalogue::builtinNames());
    // The whole window while the start page shows: toolbar, menus, the page itself.
    const QStringList problems = lines.filter(QRegularExpression(u"^problem "_qs));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestPresenter::presentRefusesAnUnknownScenario()
{
    const RealApp real = findRealApp();
    if (!QFileInfo(real.app).isExecutable())
        THREADLAB_MISSING(u"THREADLAB_BIN_DIR/threadlab not found (run the test through ctest)"_qs);
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_qs);
    proc.setProcessEnvironment(env);
    proc.start(real.app, { u"present"_qs, u"no-such-lesson"_qs });
    QVERIFY(proc.waitForFinished(30000));
    QCOMPARE(proc.exitCode(), 2);
    const QStringList err = QString::fromLocal8Bit(proc.readAllStandardError()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(err.size(), 1);
    QVERIFY2(err.constFirst().contains(u"no-such-lesson"_qs), qPrintable(err.constFirst()));
}

QTEST_MAIN(TestPresenter)
#include "tst_presenter.moc"
