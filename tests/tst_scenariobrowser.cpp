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
        QVERIFY(browser->step());
        QCOMPARE(browser->runner()->nextStep(), 2); // one click: both workers start together
        browser->reset();
        QCOMPARE(browser->runner()->nextStep(), 0);
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
