// The compare window, the timeline's filter bar and overview strip at 1024x768, and the restored-geometry clamp.
#include "comparewindow.h"
#include "lab/livesource.h"
#include "layoutcheck.h"
#include "mainwindow.h"
#include "model/alignedsource.h"
#include "progressdelegate.h"
#include "recordingfixture.h"
#include "timelineoverview.h"
#include "timelinepanel.h"
#include "timelineview.h"
#include "windowsettings.h"
#include "workertablemodel.h"
#include "workloads/workload.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace threadlab;
using namespace threadlab::testing;

namespace {

QByteArray problemsText(const QStringList &problems)
{
    return problems.join(u"\n"_qs).toUtf8();
}

/// The sample with every time after a stop request stretched threefold: B is the slower run.
Recording slower()
{
    Recording r = sampleRecording();
    QHash<int, qint64> stopAt;
    for (const Event &e : std::as_const(r.events))
        if (e.kind == EventKind::StopRequested && !stopAt.contains(e.worker))
            stopAt.insert(e.worker, e.tNs);
    for (Event &e : r.events)
        if (stopAt.contains(e.worker) && e.tNs > stopAt.value(e.worker))
            e.tNs = stopAt.value(e.worker) + 3 * (e.tNs - stopAt.value(e.worker));
    r.refold();
    return r;
}

} // namespace

class TestCompareGui : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_a;
    QString m_b;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"ThreadLabTests"_qs);
        QCoreApplication::setApplicationName(u"tst_comparegui"_qs);
        QSettings().clear();
        m_a = m_tmp.filePath(u"before.threadlab.json"_qs);
        m_b = m_tmp.filePath(u"after.threadlab.json"_qs);
        QString error;
        QVERIFY2(RecordingIO::save(sampleRecording(), m_a, &error), qPrintable(error));
        QVERIFY2(RecordingIO::save(slower(), m_b, &error), qPrintable(error));
    }

    void compareWindowShowsTheFolds()
    {
        MainWindow w;
        w.setInteractive(false);
        w.resize(1024, 768);
        w.show();
        QString error;
        QVERIFY2(w.openRecording(m_a, &error), qPrintable(error));
        CompareWindow *c = CompareWindow::showFor(&w, m_b);
        QVERIFY(c);
        QCOMPARE(c->picker(0)->currentText(), u"before.threadlab.json"_qs);
        QCOMPARE(c->picker(1)->currentText(), u"after.threadlab.json"_qs);
        const RunComparison &cmp = c->comparison();
        QCOMPARE(cmp.workers().size(), 5);
        // The table shows the comparison's words, which are the folds' figures.
        QTableWidget *t = c->table();
        int row = 0;
        for (const ComparedWorker &cw : cmp.workers()) {
            QCOMPARE(t->item(row, 0)->text(), cw.name);
            ++row; // the outcome row
            for (const CompareFigure &f : cw.figures) {
                if (!f.a && !f.b)
                    continue;
                QCOMPARE(t->item(row, 2)->text(), f.aText());
                QCOMPARE(t->item(row, 3)->text(), f.bText());
                QCOMPARE(t->item(row, 4)->text(), f.differenceText());
                QCOMPARE(t->item(row, 5)->text(), f.ratioText());
                ++row;
            }
        }
        QCOMPARE(t->rowCount(), row);
        // Lanes aligned at their stop requests: every lane asked to stop has its request at the axis zero.
        const TimelineData &data = c->timeline()->data();
        QCOMPARE(int(data.lanes().size()), 10);
        QCOMPARE(c->timeline()->zeroNs(), AlignedSource::AlignZeroNs);
        int atZero = 0;
        for (const TimelineLane &lane : data.lanes())
            if (lane.stopRequestNs() >= 0) {
                QCOMPARE(lane.stopRequestNs(), AlignedSource::AlignZeroNs);
                ++atZero;
            }
        QCOMPARE(atZero, 8);
        // Swapping the sides recomputes.
        c->choose(0, c->picker(1)->currentIndex());
        QCOMPARE(c->comparison().a().label, u"after.threadlab.json"_qs);
        c->resize(1024, 768);
        QTRY_VERIFY2(layoutProblems(c).isEmpty(), problemsText(layoutProblems(c)).constData());
        if (const QString shots = qEnvironmentVariable("THREADLAB_SHOT_DIR"); !shots.isEmpty())
            QVERIFY(c->grab().save(QDir(shots).filePath(u"compare-offscreen.png"_qs)));
        c->close();
        w.close();
    }

    void compareTwoLiveRuns()
    {
        MainWindow w;
        w.setInteractive(false);
        WorkerSpec spec;
        spec.workload = u"sleep-steps"_qs;
        QString error;
        QVERIFY2(WorkloadRegistry::resolve(
                     spec.workload, { { u"step_ms"_qs, 1 }, { u"steps"_qs, 5 } }, &spec.params, &error),
            qPrintable(error));
        for (const QString &title : { u"before"_qs, u"after"_qs }) {
            w.lab().beginRun(title);
            spec.name = u"sleeper"_qs;
            Worker *worker = w.lab().addWorker(spec, &error);
            QVERIFY2(worker, qPrintable(error));
            worker->start();
            QTRY_VERIFY_WITH_TIMEOUT(worker->state() == WorkerState::Finished, 20'000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(w.liveSource()->runs().size() == 2
                && w.liveSource()->fold(w.liveSource()->runs().last().workerIds.value(0))
                && w.liveSource()->fold(w.liveSource()->runs().last().workerIds.value(0))->hasEnded(),
            20'000);
        CompareWindow *c = CompareWindow::showFor(&w);
        // The last two runs by default: before (A) and after (B), matched by name.
        QCOMPARE(c->picker(0)->currentText(), u"Run 1: before"_qs);
        QCOMPARE(c->picker(1)->currentText(), u"Run 2: after"_qs);
        QCOMPARE(c->comparison().workers().size(), 1);
        const ComparedWorker &cw = c->comparison().workers().first();
        QVERIFY(cw.indexA >= 0 && cw.indexB >= 0);
        QVERIFY(cw.outcomeA == Outcome::Completed && cw.outcomeB == Outcome::Completed);
        QCOMPARE(int(c->timeline()->data().lanes().size()), 2);
        c->close();
        w.shutdownLab();
    }

    void compareActionInTheFileMenu()
    {
        MainWindow w;
        w.setInteractive(false);
        QAction *a = w.action(ActionId::Compare);
        QVERIFY(a && a->isEnabled());
        a->trigger();
        auto *c = w.findChild<CompareWindow *>();
        QVERIFY(c && c->isVisible());
        c->close();
    }

    void filterAndOverviewAt1024()
    {
        QSettings().clear();
        MainWindow w;
        w.setInteractive(false);
        w.resize(1024, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QString error;
        QVERIFY2(w.openRecording(m_a, &error), qPrintable(error));
        auto *panel = w.findChild<TimelinePanel *>();
        QVERIFY(panel);
        QTRY_VERIFY2(layoutProblems(panel).isEmpty(), problemsText(layoutProblems(panel)).constData());
        // Everything of the panel inside the window, the overview and the filter visible and of real size.
        const QRect inWindow(panel->mapTo(&w, QPoint(0, 0)), panel->size());
        QVERIFY2(w.rect().contains(inWindow),
            qPrintable(
                u"%1,%2 %3x%4"_qs.arg(inWindow.x()).arg(inWindow.y()).arg(inWindow.width()).arg(inWindow.height())));
        QVERIFY(panel->overview()->isVisible() && panel->overview()->height() >= 20);
        QVERIFY(panel->filterEdit()->isVisible() && panel->filterEdit()->width() >= 200);
        QVERIFY(panel->view()->height() >= 3 * panel->view()->renderOptions().laneHeight);
        QCOMPARE(int(w.timeline()->data().lanes().size()), 5);
        QCOMPARE(panel->countLabel()->text(), u"5 lanes"_qs);

        // The filter: words against name, backend · workload and outcome, all of them.
        panel->filterEdit()->setText(u"killed"_qs);
        QCOMPARE(int(w.timeline()->data().lanes().size()), 2); // "sleeper" and "host"
        QCOMPARE(panel->countLabel()->text(), u"2 of 5 lanes"_qs);
        panel->filterEdit()->setText(u"killed process"_qs);
        QCOMPARE(int(w.timeline()->data().lanes().size()), 1);
        QCOMPARE(w.timeline()->data().lanes().front().name, u"host"_qs);
        panel->filterEdit()->clear();
        QCOMPARE(int(w.timeline()->data().lanes().size()), 5);

        // Zoom to the measured range: from the first stop request to the last end after one.
        QVERIFY(w.timeline()->zoomToMeasured());
        const TimeMapping m = w.timeline()->zoom()->mapping();
        const qint64 firstStop = w.timeline()->data().lane(1)->stopRequestNs();
        QVERIFY(m.startNs() <= firstStop);
        QVERIFY(
            m.endNs(w.timeline()->plotAreaWidth() - m.left()) >= w.timeline()->data().lane(3)->fold->times().joined);

        // The overview: the window frame inside the strip; a click there moves the view's window.
        TimelineOverview *o = panel->overview();
        QTRY_VERIFY(o->windowRect().width() > 0);
        const QRectF before = o->windowRect();
        const qint64 startBefore = w.timeline()->zoom()->mapping().startNs();
        const int left = w.timeline()->renderOptions().labelWidth;
        const int x = before.center().x() < (left + w.timeline()->plotAreaWidth()) / 2
            ? w.timeline()->plotAreaWidth() - 5
            : left + 5;
        QTest::mouseClick(o, Qt::LeftButton, {}, QPoint(x, o->height() / 2));
        QVERIFY(w.timeline()->zoom()->mapping().startNs() != startBefore);
        QVERIFY(!w.timeline()->zoom()->followLive());
        w.close();
    }

    void geometryClamp_data()
    {
        QTest::addColumn<QRect>("restored");
        QTest::addColumn<QRect>("available");
        QTest::addColumn<QRect>("expected");
        const QRect screen(0, 0, 1920, 1080);
        QTest::newRow("old tiny window") << QRect(100, 80, 682, 489) << screen << QRect(100, 80, 1024, 700);
        QTest::newRow("fine as it is") << QRect(10, 10, 1400, 900) << screen << QRect(10, 10, 1400, 900);
        QTest::newRow("larger than the screen") << QRect(0, 0, 2600, 1500) << screen << QRect(0, 0, 1920, 1080);
        QTest::newRow("off the right edge") << QRect(1500, 900, 1200, 800) << screen << QRect(720, 280, 1200, 800);
        QTest::newRow("a screen since unplugged") << QRect(-1900, 20, 1200, 800) << screen << QRect(0, 20, 1200, 800);
        QTest::newRow("a small screen") << QRect(0, 0, 682, 489) << QRect(0, 0, 800, 600) << QRect(0, 0, 800, 600);
    }
    void geometryClamp()
    {
        QFETCH(QRect, restored);
        QFETCH(QRect, available);
        QFETCH(QRect, expected);
        QCOMPARE(clampedGeometry(restored, available), expected);
    }

    void tinySavedGeometryRestoresUsable()
    {
        QSettings().clear();
        {
            MainWindow old;
            old.resize(682, 489);
            old.show();
            QVERIFY(QTest::qWaitForWindowExposed(&old));
            saveWindowLayout(&old, {}, false);
        }
        MainWindow w;
        const QSize screen = w.screen()->availableGeometry().size();
        const QSize expected = QSize(1024, 700).boundedTo(screen);
        QVERIFY2(w.width() >= expected.width() && w.height() >= expected.height(),
            qPrintable(
                u"%1x%2 on a %3x%4 screen"_qs.arg(w.width()).arg(w.height()).arg(screen.width()).arg(screen.height())));
        QVERIFY(w.width() <= screen.width() && w.height() <= screen.height());
        QSettings().clear();
    }

    void nameColumnElidesInTheMiddle()
    {
        MainWindow w;
        w.setInteractive(false);
        QString error;
        QVERIFY2(w.openRecording(m_a, &error), qPrintable(error));
        const QModelIndex name = w.proxy()->index(0, WorkerTableModel::NameColumn);
        // The view paints names with the middle-eliding delegate.
        QVERIFY(qobject_cast<MiddleElideDelegate *>(w.table()->itemDelegateForIndex(name)));
        struct Probe : MiddleElideDelegate
        {
            using MiddleElideDelegate::initStyleOption;
            using MiddleElideDelegate::MiddleElideDelegate;
        } probe;
        QStyleOptionViewItem option;
        probe.initStyleOption(&option, name);
        QCOMPARE(option.textElideMode, Qt::ElideMiddle);
        const QString tip = name.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(name.data(Qt::DisplayRole).toString()), qPrintable(tip));
    }
};

QTEST_MAIN(TestCompareGui)
#include "tst_comparegui.moc"
