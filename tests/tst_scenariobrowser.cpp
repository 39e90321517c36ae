// Widget tests of the scenario browser in the main window: load a built-in scenario, run it, show the lesson.
#include "lessonpanel.h"
#include "mainwindow.h"
#include "scenariobrowser.h"
#include "workertablemodel.h"

#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>

using namespace threadlab;

class TstScenarioBrowser : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void listsBuiltins()
    {
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.scenarioBrowser()->list()->count() >= 14);
    }

    void loadAndRunShowsLesson()
    {
        MainWindow window;
        window.setInteractive(false);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"01-exit-flag"_qs));
        QVERIFY(browser->preview()->toPlainText().contains(browser->chosen()->title));
        std::optional<ScenarioResult> result;
        connect(browser, &ScenarioBrowser::scenarioFinished, this, [&result](const ScenarioResult &r) { result = r; });
        QVERIFY(browser->load());
        QCOMPARE(window.model()->rowCount(), int(browser->chosen()->workers.size()));
        QVERIFY(window.lesson()->hasScenario());
        QVERIFY(window.lesson()->toPlainText().contains(browser->chosen()->title));
        // The lesson text appears once: in the Lesson tab, not again in the browser's preview.
        QTextDocument lessonText;
        lessonText.setHtml(browser->chosen()->lesson);
        const QString firstLine = lessonText.toPlainText().section(u'\n', 0, 0).left(40);
        QVERIFY(!firstLine.isEmpty());
        QVERIFY(window.lesson()->toPlainText().contains(firstLine));
        QVERIFY2(!browser->preview()->toPlainText().contains(firstLine), qPrintable(firstLine));
        browser->run();
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000);
        QVERIFY2(result->passed(), qPrintable(LessonPanel::resultHtml(*result)));
        QTRY_VERIFY(window.lesson()->toPlainText().contains(u"Result:"_qs));
        for (int r = 0; r < window.model()->rowCount(); ++r)
            QTRY_VERIFY(
                window.model()->index(r, WorkerTableModel::OutcomeColumn).data(WorkerTableModel::OutcomeRole).toInt()
                != int(Outcome::None));
    }

    void stepExecutesOneAction()
    {
        MainWindow window;
        window.setInteractive(false);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"01-exit-flag"_qs));
        // Before a click the browser says what stepping means; then each click says what the next one does.
        QVERIFY(!browser->nextStepHint().isEmpty());
        QVERIFY(browser->step());
        // One click: both workers start together (same action, same time).
        QCOMPARE(browser->runner()->nextStep(), 2);
        QVERIFY(browser->runner()->isStepped());
        QVERIFY2(
            browser->nextStepHint().contains(u"Request a stop of spin-thread"_qs), qPrintable(browser->nextStepHint()));
        QVERIFY2(browser->nextStepHint().contains(u"Watch:"_qs), qPrintable(browser->nextStepHint()));
        browser->reset();
        QCOMPARE(browser->runner()->nextStep(), 0);
        QVERIFY(browser->runner()->isStepped());
    }

    void backReplaysAllButTheLastClick()
    {
        MainWindow window;
        window.setInteractive(false);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"05-killed-holding-lock"_qs));
        QVERIFY(browser->step()); // start raii-locker
        QVERIFY(browser->step()); // force raii-locker
        QCOMPARE(browser->runner()->nextStep(), 2);
        QVERIFY(browser->back());
        QCOMPARE(browser->runner()->nextStep(), 1);
        QVERIFY(browser->runner()->isStepped());
        QVERIFY2(browser->nextStepHint().contains(u"Force-kill raii-locker"_qs), qPrintable(browser->nextStepHint()));
        QVERIFY(browser->back());
        QCOMPARE(browser->runner()->nextStep(), 0);
        QVERIFY(!browser->back());
    }

    void runAfterLoadIsLive()
    {
        MainWindow window;
        window.setInteractive(false);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"01-exit-flag"_qs));
        QVERIFY(browser->load());
        // Loading again forgets the workers the first load made and never started: one row per scenario worker.
        QVERIFY(browser->load());
        QTRY_COMPARE(window.model()->rowCount(), int(browser->chosen()->workers.size()));
        QVERIFY(!browser->runner()->isStepped());
        browser->run();
        QVERIFY(!browser->runner()->isStepped());
    }

    void badFileRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"title\": ");
        f.close();
        MainWindow window;
        window.setInteractive(false);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QString error;
        QVERIFY(!browser->choose(path, &error));
        QVERIFY2(error.contains(u"bad.json"_qs), qPrintable(error));
        QVERIFY(!browser->chosen());
    }
};

QTEST_MAIN(TstScenarioBrowser)
#include "tst_scenariobrowser.moc"
