// Tests of the Lab: adding workers, the documented shutdown order, destroying it with workers still running.
#include "events/eventbatcher.h"
#include "events/eventlog.h"
#include "lab/lab.h"
#include "ledger/labresources.h"
#include "workers/worker.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace threadlab;

namespace {

bool hasEvent(const Lab &lab, int worker, EventKind kind)
{
    for (const Event &e : lab.log().forWorker(worker))
        if (e.kind == kind)
            return true;
    return false;
}

/// Starts one worker of every in-process backend (plus the given extras) and waits until each runs.
QList<Worker *> startAll(Lab &lab, const QList<WorkerSpec> &extra = {})
{
    QList<WorkerSpec> specs;
    const QVariantMap sleeps { { QStringLiteral("step_ms"), 5 } };
    for (Backend b : { Backend::Thread, Backend::EventLoop, Backend::Concurrent, Backend::JThread }) {
        specs << WorkerSpec { QStringLiteral("%1-sleep").arg(toString(b)), b, QStringLiteral("sleep-steps"), sleeps };
        specs << WorkerSpec { QStringLiteral("%1-spin").arg(toString(b)), b, QStringLiteral("cpu-spin"), {} };
        specs << WorkerSpec { QStringLiteral("%1-notify").arg(toString(b)), b, QStringLiteral("blocking-wait"), {} };
    }
    specs << extra;
    QList<Worker *> out;
    for (const WorkerSpec &s : specs) {
        QString error;
        Worker *w = lab.addWorker(s, &error);
        if (!w) {
            qWarning("addWorker: %s", qPrintable(error));
            return {};
        }
        w->start();
        out << w;
    }
    return out;
}

} // namespace

class TestLab : public QObject
{
    Q_OBJECT

private slots:
    void addWorkerRecordsCreated();
    void batchesEvents();
    void shutdownReportsUnstoppable();
    void destroyWithRunningWorkers();
    void clearFinished();
    void shutdownOfAQuietLab();
    void blockingWrapperForTheCli();
};

void TestLab::addWorkerRecordsCreated()
{
    Lab lab;
    QSignalSpy added(&lab, &Lab::workerAdded);
    QString error;
    Worker *w = lab.addWorker({ QStringLiteral("a"), Backend::Thread, QStringLiteral("sleep-steps"), {} }, &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(added.size(), 1);
    QCOMPARE(w->spec().name, QStringLiteral("a"));
    QVERIFY(w->spec().params.contains(QStringLiteral("step_ms"))); // resolved with defaults
    QCOMPARE(toString(w->state()), toString(WorkerState::Created));
    QVERIFY(hasEvent(lab, w->id(), EventKind::Created));
    QCOMPARE(lab.worker(w->id()), w);
    QCOMPARE(lab.workers().size(), 1);
    QCOMPARE(w->parent(), &lab);

    QVERIFY(!lab.addWorker(
        { QString(), Backend::Thread, QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), -3 } } }, &error));
    QVERIFY2(error.contains(u"step_ms"), qPrintable(error));
    QVERIFY(!lab.addWorker({ QString(), Backend::Thread, QStringLiteral("crash"), {} }, &error));
    QVERIFY2(error.contains(u"process"), qPrintable(error));
    QVERIFY(lab.pool().maxThreadCount() >= 64);
}

void TestLab::batchesEvents()
{
    Lab lab;
    QSignalSpy batches(&lab, &Lab::eventsRecorded);
    Worker *w = lab.addWorker({ QString(), Backend::JThread, QStringLiteral("sleep-steps"),
        { { QStringLiteral("step_ms"), 1 }, { QStringLiteral("steps"), 50 } } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    lab.batcher().flush();
    QTRY_VERIFY_WITH_TIMEOUT(!batches.isEmpty(), 5000);
    qsizetype total = 0;
    for (const auto &args : std::as_const(batches))
        total += args.at(0).value<EventList>().size();
    QVERIFY(total >= 5);
    QVERIFY(batches.size() < total); // batched, not one signal per event
}

void TestLab::shutdownReportsUnstoppable()
{
    auto *lab = new Lab;
    const QList<Worker *> all = startAll(*lab,
        // The stubborn one must still run when the shutdown gives up: 8 s is over 5x the spawner's start-up
        // plus the 1 s shutdown deadline, even on a loaded 2-core machine.
        { { QStringLiteral("stubborn"), Backend::Thread, QStringLiteral("cpu-ignore"),
              { { QStringLiteral("run_ms"), 8000 } } },
            { QStringLiteral("orphans"), Backend::Thread, QStringLiteral("spawner"),
                { { QStringLiteral("propagate"), false } } } });
    QVERIFY(!all.isEmpty());
    for (Worker *w : all)
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*lab, w->id(), EventKind::Started), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lab->resources().liveChildren().empty(), 10000);

    QElapsedTimer timer;
    timer.start();
    QSignalSpy finished(lab, &Lab::shutdownFinished);
    lab->beginShutdown(1000);
    // Driven by timers and signals: the call returns before the shutdown is done (an outcome, not a timing:
    // the report comes later as a signal).
    QCOMPARE(finished.size(), 0);
    QVERIFY(lab->shutdownPhase() != ShutdownPhase::Done);
    QVERIFY(finished.wait(20'000));
    QCOMPARE(finished.size(), 1);
    QVERIFY(lab->shutdownPhase() == ShutdownPhase::Done);
    const ShutdownReport report = finished.first().at(0).value<ShutdownReport>();
    QCOMPARE(report.stillRunning, lab->shutdownReport().stillRunning);
    qInfo("shutdown report after %lld ms", timer.elapsed()); // the timing itself belongs to the benchmark
    // It did not wait for the stubborn one: the report names it as still running.
    QCOMPARE(report.stillRunning.size(), 1);
    QVERIFY2(report.stillRunning.first().startsWith(u"stubborn"), qPrintable(report.stillRunning.join(u'|')));
    QCOMPARE(report.stopped, all.size() - 1);
    QVERIFY(report.durationNs > 0);
    QVERIFY(lab->resources().liveChildren().empty()); // orphaned child threads were stopped
    QString error;
    QVERIFY(!lab->addWorker({ QString(), Backend::Thread, QStringLiteral("sleep-steps"), {} }, &error));

    Worker *stubborn = all.at(all.size() - 2);
    QCOMPARE(stubborn->spec().name, QStringLiteral("stubborn"));
    QCOMPARE(stubborn->parent(), nullptr); // detached: never destroyed while its thread runs
    QVERIFY(!lab->workers().contains(stubborn));
    QSignalSpy ended(stubborn, &Worker::ended);
    delete lab; // must not qFatal (no running QThread is destroyed) and must not block on the stubborn one
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 60000); // it ends by itself later
    delete stubborn;
}

void TestLab::destroyWithRunningWorkers()
{
    auto *lab = new Lab;
    const QList<Worker *> all = startAll(*lab,
        { { QStringLiteral("stubborn"), Backend::Thread, QStringLiteral("cpu-ignore"),
              { { QStringLiteral("run_ms"), 6000 } } },
            { QStringLiteral("stubborn-pool"), Backend::Concurrent, QStringLiteral("cpu-ignore"),
                { { QStringLiteral("run_ms"), 6000 } } },
            { QStringLiteral("kill-me"), Backend::Thread, QStringLiteral("blocking-wait"),
                { { QStringLiteral("wake"), QStringLiteral("none") },
                    { QStringLiteral("wait"), QStringLiteral("sleep") } } } });
    QVERIFY(!all.isEmpty());
    for (Worker *w : all)
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*lab, w->id(), EventKind::Started), 10000);
    const int killMe = all.last()->id();
    const std::shared_ptr<EventLog> log = lab->logPtr();

    QElapsedTimer timer;
    timer.start();
    delete lab; // ~Lab: stop requested, force sent, what runs detached; never an event loop, no abort, no hang
    // Only "it did not hang": ~Lab never waits now; 30 s is far above any loaded machine.
    QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
    // The thread blocked without a wake was forced (its sleep is a cancellation point); the detached worker
    // reports its end once the event loop runs again.
    const auto killed = [&] {
        for (const Event &e : log->forWorker(killMe))
            if (e.kind == EventKind::Outcome && Outcome(e.value) == Outcome::Killed)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(killed(), 30000);
}

void TestLab::clearFinished()
{
    Lab lab;
    QSignalSpy removed(&lab, &Lab::workerRemoved);
    Worker *w = lab.addWorker({ QString(), Backend::Thread, QStringLiteral("sleep-steps"),
        { { QStringLiteral("steps"), 3 }, { QStringLiteral("step_ms"), 1 } } });
    Worker *idle = lab.addWorker({ QString(), Backend::Thread, QStringLiteral("sleep-steps"), {} });
    QVERIFY(w && idle);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QTRY_VERIFY(w->hasEnded());
    lab.clearFinished();
    QCOMPARE(removed.size(), 1);
    QCOMPARE(lab.workers().size(), 1);
    QCOMPARE(lab.workers().first(), idle);
}

void TestLab::shutdownOfAQuietLab()
{
    // Nothing runs: the shutdown still ends with its signal, from the event loop, never inside the call.
    Lab lab;
    QVERIFY(lab.addWorker({ QString(), Backend::Thread, QStringLiteral("sleep-steps"), {} }));
    QSignalSpy finished(&lab, &Lab::shutdownFinished);
    lab.beginShutdown(3000);
    QCOMPARE(finished.size(), 0);
    QVERIFY(finished.wait(10'000));
    const ShutdownReport report = finished.first().at(0).value<ShutdownReport>();
    QCOMPARE(report.stopped, 0);
    QVERIFY(report.stillRunning.isEmpty());
    lab.beginShutdown(3000); // a second call does nothing
    QVERIFY(!finished.wait(100)); // no second report
    QCOMPARE(finished.size(), 1);
}

void TestLab::blockingWrapperForTheCli()
{
    Lab lab;
    Worker *w = lab.addWorker(
        { QString(), Backend::Thread, QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } } });
    QVERIFY(w);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(lab, w->id(), EventKind::Started), 10000);
    QSignalSpy finished(&lab, &Lab::shutdownFinished);
    const ShutdownReport report = lab.shutdown(3000);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(report.stopped, 1);
    QVERIFY(report.stillRunning.isEmpty());
    QVERIFY(w->hasEnded());
}

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
