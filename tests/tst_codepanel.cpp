// The code panel: the selected worker's excerpt, its current line highlighted live, font scale, in the main window.
#include "codepanel.h"
#include "lab/lab.h"
#include "lab/livesource.h"
#include "mainwindow.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTest>

using namespace threadlab;

namespace {
constexpr int ObserveTimeoutMs = 20000;
} // namespace

class TestCodePanel : public QObject
{
    Q_OBJECT
private slots:
    void highlightFollowsTheWorker();
    void fontFollowsTheApp();
    void tabInTheMainWindow();
};

void TestCodePanel::highlightFollowsTheWorker()
{
    Lab lab;
    LiveSource source(&lab);
    CodePanel panel;
    panel.resize(400, 500);
    panel.setSource(&source);
    panel.show();
    QCOMPARE(panel.highlightedLine(), -1);
    QString error;
    Worker *w = lab.addWorker(
        { u"sleeper"_qs, Backend::Thread, u"sleep-steps"_qs, { { u"step_ms"_qs, 100 }, { u"steps"_qs, 100'000 } } },
        &error);
    QVERIFY2(w, qPrintable(error));
    panel.setWorker(w->id());
    QVERIFY(panel.excerpt());
    QCOMPARE(panel.excerpt()->language, u"C++"_qs);
    QVERIFY(panel.codeView()->toPlainText().contains(u"ctx.sleepNs"));
    w->start();
    const int sleeping = panel.excerpt()->lineOf(WorkerPhase::Sleeping);
    QVERIFY(sleeping >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(panel.highlightedLine(), sleeping, ObserveTimeoutMs);
    QCOMPARE(toString(panel.shownPhase()), toString(WorkerPhase::Sleeping));
    QCOMPARE(panel.codeView()->extraSelections().size(), 1);
    QCOMPARE(panel.codeView()->extraSelections().constFirst().cursor.blockNumber(), sleeping);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_COMPARE_WITH_TIMEOUT(
        panel.highlightedLine(), panel.excerpt()->lineOf(WorkerPhase::Finished), ObserveTimeoutMs);
    QCOMPARE(toString(panel.shownPhase()), toString(WorkerPhase::Finished));
    panel.setWorker(-1);
    QCOMPARE(panel.highlightedLine(), -1);
}

void TestCodePanel::fontFollowsTheApp()
{
    CodePanel panel;
    panel.show();
    const QFont before = QApplication::font();
    QFont bigger = before;
    bigger.setPointSizeF(before.pointSizeF() * 2);
    QApplication::setFont(bigger);
    QTRY_COMPARE(panel.codeView()->font().pointSizeF(), bigger.pointSizeF());
    QApplication::setFont(before);
    QTRY_COMPARE(panel.codeView()->font().pointSizeF(), before.pointSizeF());
}

void TestCodePanel::tabInTheMainWindow()
{
    MainWindow window;
    window.show();
    auto *tabs = window.findChild<QTabWidget *>();
    QVERIFY(tabs);
    QVERIFY(tabs->indexOf(window.code()) >= 0);
    QCOMPARE(tabs->tabText(tabs->indexOf(window.code())), u"Code"_qs);
}

QTEST_MAIN(TestCodePanel)
#include "tst_codepanel.moc"
