// Tests the run sources: a live Lab and a Recording give the same folds, runs with their own zero, batched signals.
#include "events/eventbatcher.h"
#include "lab/lab.h"
#include "lab/livesource.h"
#include "recording/recordedsource.h"
#include "workloads/workload.h"

#include <QSignalSpy>
#include <QTest>

using namespace threadlab;

namespace {
WorkerSpec spec(const QString &workload, const QVariantMap &params)
{
    WorkerSpec s;
    s.backend = Backend::Thread;
    s.workload = workload;
    QString error;
    if (!WorkloadRegistry::resolve(workload, params, &s.params, &error))
        qWarning("%s", qPrintable(error));
    return s;
}

Event ev(qint64 tMs, int worker, EventKind kind, qint64 value = 0)
{
    Event e;
    e.tNs = 1'000'000'000 + tMs * 1'000'000;
    e.worker = worker;
    e.kind = kind;
    e.value = value;
    return e;
}
} // namespace

class TestRunSource : public QObject
{
    Q_OBJECT
private slots:
    void recordedSourceFoldsEveryWorker()
    {
        Recording rec = Recording::startNew(u"two"_qs);
        for (int id : { 1, 2 }) {
            RecordedWorker w;
            w.id = id;
            w.name = u"w%1"_qs.arg(id);
            w.workload = u"sleep-steps"_qs;
            w.stepsDone = 5;
            rec.workers << w;
        }
        rec.events << ev(0, 1, EventKind::Created) << ev(10, 1, EventKind::StartRequested)
                   << ev(11, 1, EventKind::Started) << ev(20, 2, EventKind::StartRequested)
                   << ev(21, 2, EventKind::Started) << ev(30, 2, EventKind::Progress, 42)
                   << ev(50, 1, EventKind::StopRequested) << ev(52, 1, EventKind::StopObserved)
                   << ev(53, 1, EventKind::Exited) << ev(54, 1, EventKind::Joined);
        RecordedSource source(rec);
        QCOMPARE(source.workerIds(), QList<int>({ 1, 2 }));
        QCOMPARE(source.snapshot(2).name, u"w2"_qs);
        QVERIFY(source.fold(3) == nullptr);
        QCOMPARE(toString(source.fold(1)->state()), toString(WorkerState::Finished));
        QCOMPARE(toString(source.fold(2)->state()), toString(WorkerState::Running));
        // The recorded steps and the reported ones: the one figure is the larger.
        QCOMPARE(source.steps(1), qint64(5));
        QCOMPARE(source.steps(2), qint64(42));
        QCOMPARE(source.runs().size(), 1);
        QCOMPARE(source.currentZeroNs(), ev(10, 1, EventKind::StartRequested).tNs);
        QCOMPARE(source.nowNs(), ev(54, 1, EventKind::Joined).tNs);
        QVERIFY(source.hasRunningWorkers());
    }

    void liveSourceRunsHaveTheirOwnZero()
    {
        Lab lab;
        LiveSource source(&lab);
        QSignalSpy added(&source, &RunSource::workersAdded);
        QSignalSpy runs(&source, &RunSource::runsChanged);
        Worker *a = lab.addWorker(spec(u"sleep-steps"_qs, { { u"step_ms"_qs, 1 }, { u"steps"_qs, 5 } }));
        QVERIFY(a);
        QCOMPARE(added.size(), 1);
        QCOMPARE(source.runs().size(), 1);
        QCOMPARE(source.currentZeroNs(), qint64(-1)); // no start request yet
        a->start();
        QTRY_VERIFY_WITH_TIMEOUT(source.fold(a->id())->hasEnded(), 10000);
        const qint64 firstZero = source.currentZeroNs();
        QVERIFY(firstZero > 0);
        QCOMPARE(firstZero, source.fold(a->id())->times().startRequested);

        // Clearing ends the run: the next worker begins run 2 with its own zero.
        QSignalSpy removed(&source, &RunSource::workersRemoved);
        lab.clearFinished();
        QCOMPARE(removed.size(), 1);
        QVERIFY(source.workerIds().isEmpty());
        Worker *b = lab.addWorker(spec(u"sleep-steps"_qs, { { u"step_ms"_qs, 1 }, { u"steps"_qs, 5 } }));
        QVERIFY(b);
        QCOMPARE(source.runs().size(), 2);
        QCOMPARE(source.currentRun()->workerIds, QList<int>({ b->id() }));
        b->start();
        QTRY_VERIFY_WITH_TIMEOUT(source.currentZeroNs() > firstZero, 10000);
        QCOMPARE(source.runs().first().zeroNs, firstZero); // the first run keeps its zero
        QVERIFY(runs.size() >= 2);

        // A scenario (or any action) begins a run of its own in the Lab; the source mirrors the Lab's runs.
        const int runSignals = int(runs.size());
        lab.beginRun(u"lesson"_qs, u"01-exit-flag"_qs);
        QVERIFY(runs.size() > runSignals);
        Worker *c = lab.addWorker(spec(u"sleep-steps"_qs, { { u"step_ms"_qs, 1 }, { u"steps"_qs, 5 } }));
        QVERIFY(c);
        QCOMPARE(source.runs().size(), 3);
        QVERIFY(source.runs() == lab.runs());
        QCOMPARE(source.currentRun()->title, u"lesson"_qs);
        QCOMPARE(source.currentRun()->workerIds, QList<int>({ c->id() }));
        QCOMPARE(source.runOf(b->id())->id, 2);
        QCOMPARE(source.currentZeroNs(), qint64(-1));
        lab.shutdown(3000);
    }

    void unresponsiveThreadIsNeverFinishedWhileItsStepsRise()
    {
        Lab lab;
        LiveSource source(&lab);
        Worker *w = lab.addWorker(spec(u"cpu-ignore"_qs, { { u"run_ms"_qs, 1500 } }));
        QVERIFY(w);
        w->start();
        QTRY_VERIFY_WITH_TIMEOUT(source.steps(w->id()) > 0, 5000);
        StopPolicy policy;
        policy.graceMs = 100;
        QVERIFY(w->stop(StopMethod::Request, policy));
        QTRY_COMPARE_WITH_TIMEOUT(toString(source.fold(w->id())->state()), toString(WorkerState::Unresponsive), 5000);
        // While it runs on, every change reports it unresponsive, never finished, and its steps rise.
        const qint64 before = source.steps(w->id());
        QSignalSpy changed(&source, &RunSource::workersChanged);
        QTRY_VERIFY_WITH_TIMEOUT(source.steps(w->id()) > before || source.fold(w->id())->hasEnded(), 5000);
        if (!source.fold(w->id())->hasEnded())
            QCOMPARE(toString(source.fold(w->id())->state()), toString(WorkerState::Unresponsive));
        QVERIFY(!changed.isEmpty());
        // When its code returns on its own, it is finished and its outcome says it ignored the stop.
        QTRY_VERIFY_WITH_TIMEOUT(source.fold(w->id())->hasEnded(), 10000);
        QCOMPARE(toString(source.fold(w->id())->state()), toString(WorkerState::Finished));
        lab.shutdown(3000);
    }

    void foldOutlivesRemoval()
    {
        Lab lab;
        LiveSource source(&lab);
        Worker *w = lab.addWorker(spec(u"sleep-steps"_qs, { { u"step_ms"_qs, 1 }, { u"steps"_qs, 3 } }));
        w->start();
        QTRY_VERIFY_WITH_TIMEOUT(source.fold(w->id()) && source.fold(w->id())->hasEnded(), 10000);
        const auto kept = source.fold(w->id());
        lab.clearFinished();
        QVERIFY(!source.contains(kept->workerId()));
        QVERIFY(kept->eventCount() > 0); // a view holding it can still draw it
        lab.shutdown(1000);
    }
};

QTEST_GUILESS_MAIN(TestRunSource)
#include "tst_runsource.moc"
