// The side panels follow the fold live: the Lesson tab and the details pane agree with the table without a
// re-selection, and the pane keeps its width between tabs.
#include "detailspane.h"
#include "lessonpanel.h"
#include "mainwindow.h"
#include "scenariobrowser.h"
#include "workertablemodel.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTextDocument>

using namespace threadlab;

class TstSidePanels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void panelsFollowAScenarioRun()
    {
        MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"01-exit-flag"_qs));
        QSignalSpy finished(browser, &ScenarioBrowser::scenarioFinished);
        QVERIFY(browser->load());
        // Selected while still "created": the lesson says the worker has not been started.
        const int id = window.selectedWorkerIds().value(0, -1);
        QVERIFY(id > 0);
        QVERIFY(window.lesson()->toPlainText().contains(u"not been started"_qs));
        browser->run();
        QVERIFY(finished.wait(60000) || !finished.isEmpty());
        // Without selecting again, both panels catch up with the fold and with the table.
        QTRY_VERIFY_WITH_TIMEOUT(!window.lesson()->toPlainText().contains(u"not been started"_qs), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.lesson()->toPlainText().contains(toString(Outcome::Stopped)), 5000);
        const auto tableSteps = [&] {
            for (int r = 0; r < window.model()->rowCount(); ++r) {
                const QModelIndex idx = window.model()->index(r, WorkerTableModel::ProgressColumn);
                if (idx.data(WorkerTableModel::WorkerIdRole).toInt() == id)
                    return QString::number(idx.data(WorkerTableModel::RawValueRole).toLongLong());
            }
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(tableSteps().toLongLong() > 0, 5000);
        const auto detailsText = [&] {
            QTextDocument doc;
            doc.setHtml(window.details()->summaryHtml());
            return doc.toPlainText();
        };
        QTRY_VERIFY2_WITH_TIMEOUT(detailsText().contains(u"steps done: "_qs + tableSteps() + u','),
            qPrintable(detailsText() + u" / table: "_qs + tableSteps()), 5000);
    }

    void tabsKeepTheirWidth()
    {
        MainWindow window;
        window.setInteractive(false);
        window.resize(1024, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTabWidget *tabs = window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        ScenarioBrowser *browser = window.scenarioBrowser();
        browser->setInteractive(false);
        QVERIFY(browser->choose(u"05-killed-holding-lock"_qs));
        QVERIFY(browser->load());
        QCoreApplication::processEvents();
        const int width = tabs->width();
        for (int i = 0; i < 4; ++i) {
            tabs->setCurrentIndex(i % tabs->count());
            QCoreApplication::processEvents();
            QCOMPARE(tabs->width(), width);
        }
    }
};

QTEST_MAIN(TstSidePanels)
#include "tst_sidepanels.moc"
