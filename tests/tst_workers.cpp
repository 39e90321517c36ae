// Tests of the in-process backends: outcomes per backend × workload × method, refusals, queued cancel, pause.
#include "lab/lab.h"
#include "events/eventlog.h"
#include "base/measurements.h"
#include "model/workerfold.h"
#include "workers/worker.h"

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

/// Index of the first event of kind, or -1.
qsizetype firstIndex(const EventList &events, EventKind kind)
{
    for (qsizetype i = 0; i < events.size(); ++i)
        if (events.at(i).kind == kind)
            return i;
    return -1;
}

QString kinds(const EventList &events)
{
    QStringList out;
    for (const Event &e : events)
        out << toString(e.kind);
    return out.join(QLatin1Char(' '));
}

Worker *makeWorker(Lab &lab, Backend backend, const QString &workload, const QVariantMap &params)
{
    QString error;
    Worker *w = lab.addWorker({ QString(), backend, workload, params }, &error);
    if (!w)
        qWarning("addWorker failed: %s", qPrintable(error));
    return w;
}

} // namespace

class TestWorkers : public QObject
{
    Q_OBJECT

private slots:
    void outcomes_data();
    void outcomes();
    void refusals_data();
    void refusals();
    void processNeedsWorkerHost();
    void queuedConcurrentCancelledNeverRuns();
    void pauseResumeConcurrent();
    void completedWithoutStop_data();
    void completedWithoutStop();
};

void TestWorkers::outcomes_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<int>("method");
    QTest::addColumn<int>("graceMs");
    QTest::addColumn<int>("killTimeoutMs");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("alternative"); // also accepted (timing-dependent escalation), or None
    QTest::addColumn<bool>("endsLater"); // unresponsive first, then really ends

    const int request = int(StopMethod::Request);
    const int force = int(StopMethod::Force);
    const int escalate = int(StopMethod::Escalate);
    const int stopped = int(Outcome::Stopped);
    const int killed = int(Outcome::Killed);
    const int unresponsive = int(Outcome::Unresponsive);
    const int none = int(Outcome::None);
    const QVariantMap spin { { QStringLiteral("step_us"), 50 } };
    const QVariantMap sleeps { { QStringLiteral("step_ms"), 5 } };
    const QVariantMap notify { { QStringLiteral("wait"), QStringLiteral("condition") },
        { QStringLiteral("wake"), QStringLiteral("notify") }, { QStringLiteral("timeout_ms"), 30000 } };
    const QVariantMap notifyPipe { { QStringLiteral("wait"), QStringLiteral("pipe") },
        { QStringLiteral("wake"), QStringLiteral("notify") }, { QStringLiteral("timeout_ms"), 30000 } };
    const QVariantMap wakeNone { { QStringLiteral("wait"), QStringLiteral("condition") },
        { QStringLiteral("wake"), QStringLiteral("none") }, { QStringLiteral("timeout_ms"), 1500 } };
    const QVariantMap ignore { { QStringLiteral("run_ms"), 1500 } };
    const QVariantMap sleepWaitLong { { QStringLiteral("wait"), QStringLiteral("sleep") },
        { QStringLiteral("wake"), QStringLiteral("none") }, { QStringLiteral("timeout_ms"), 20000 } };

    const struct
    {
        Backend backend;
        const char *name;
    } backends[] = { { Backend::Thread, "thread" }, { Backend::EventLoop, "eventloop" },
        { Backend::Concurrent, "concurrent" }, { Backend::JThread, "jthread" } };
    for (const auto &b : backends) {
        const int be = int(b.backend);
        QTest::addRow("%s cpu-spin request", b.name)
            << be << QStringLiteral("cpu-spin") << spin << request << 5000 << 1000 << stopped << none << false;
        QTest::addRow("%s sleep-steps request", b.name)
            << be << QStringLiteral("sleep-steps") << sleeps << request << 5000 << 1000 << stopped << none << false;
        QTest::addRow("%s blocking-wait notify request", b.name)
            << be << QStringLiteral("blocking-wait") << notify << request << 5000 << 1000 << stopped << none << false;
        QTest::addRow("%s blocking-wait pipe notify request", b.name)
            << be << QStringLiteral("blocking-wait") << notifyPipe << request << 5000 << 1000 << stopped << none
            << false;
        QTest::addRow("%s blocking-wait none request", b.name) << be << QStringLiteral("blocking-wait") << wakeNone
                                                               << request << 300 << 300 << unresponsive << none << true;
    }
    const int thread = int(Backend::Thread);
    const int loop = int(Backend::EventLoop);
    QTest::newRow("thread sleep-steps force")
        << thread << QStringLiteral("sleep-steps") << sleeps << force << 1000 << 5000 << killed << none << false;
    QTest::newRow("eventloop sleep-steps force")
        << loop << QStringLiteral("sleep-steps") << sleeps << force << 1000 << 5000 << killed << none << false;
    QTest::newRow("thread cpu-ignore force")
        << thread << QStringLiteral("cpu-ignore") << ignore << force << 1000 << 300 << unresponsive << none << true;
    QTest::newRow("eventloop cpu-ignore force")
        << loop << QStringLiteral("cpu-ignore") << ignore << force << 1000 << 300 << unresponsive << none << true;
    QTest::newRow("thread blocking-wait sleep escalate") << thread << QStringLiteral("blocking-wait") << sleepWaitLong
                                                         << escalate << 200 << 5000 << killed << none << false;
    QTest::newRow("thread cpu-spin sparse checks escalate")
        << thread << QStringLiteral("cpu-spin")
        << QVariantMap { { QStringLiteral("step_us"), 100 }, { QStringLiteral("check_every"), 3000 } } << escalate
        << 100 << 5000 << killed << stopped << false;
    QTest::newRow("thread cpu-ignore escalate")
        << thread << QStringLiteral("cpu-ignore") << ignore << escalate << 100 << 200 << unresponsive << none << true;
}

void TestWorkers::outcomes()
{
    QFETCH(int, backend);
    QFETCH(QString, workload);
    QFETCH(QVariantMap, params);
    QFETCH(int, method);
    QFETCH(int, graceMs);
    QFETCH(int, killTimeoutMs);
    QFETCH(int, expected);
    QFETCH(int, alternative);
    QFETCH(bool, endsLater);

    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), workload, params);
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    QSignalSpy ended(w, &Worker::ended);
    QSignalSpy probed(w, &Worker::leaksProbed);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(lab, w->id(), EventKind::Started), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Running), 5000);
    if (workload != u"blocking-wait" && workload != u"cpu-ignore")
        QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000);
    else
        QTest::qWait(50); // let it reach its blocking call / busy loop (not synchronisation: either is fine)

    QString reason;
    QVERIFY2(w->stop(StopMethod(method), { graceMs, killTimeoutMs }, &reason), qPrintable(reason));
    QVERIFY(w->state() == WorkerState::Stopping || w->state() == WorkerState::CleaningUp
        || w->state() == WorkerState::Finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const auto got = Outcome(finished.at(0).at(1).toInt());
    QVERIFY2(int(got) == expected || int(got) == alternative,
        qPrintable(QStringLiteral("outcome %1, events: %2").arg(toString(got), kinds(lab.log().forWorker(w->id())))));
    QCOMPARE(toString(w->outcome()), toString(got));
    QCOMPARE(toString(w->state()), toString(WorkerState::Finished));

    if (endsLater) {
        QVERIFY(!w->hasEnded() || ended.size() == 1);
        // Keeps running (and burning CPU for cpu-ignore) until its own end; then it is joined normally.
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
        QCOMPARE(toString(w->outcome()), toString(Outcome::Unresponsive));
        bool noted = false;
        for (const Event &e : lab.log().forWorker(w->id()))
            noted = noted || (e.kind == EventKind::Note && e.detail.startsWith(u"ended after being unresponsive"));
        QVERIFY(noted);
        if (workload == u"cpu-ignore")
            QVERIFY2(w->cpuTimeNs() > 100'000'000, qPrintable(QString::number(w->cpuTimeNs())));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 5000);
    }
    QVERIFY(w->hasEnded());
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 1, 10000);

    const EventList events = lab.log().forWorker(w->id());
    QList<EventKind> order { EventKind::Created, EventKind::StartRequested, EventKind::Started,
        EventKind::StopRequested };
    if (got == Outcome::Stopped)
        order << EventKind::StopObserved;
    if (got == Outcome::Killed)
        order << EventKind::KillSent;
    order << EventKind::Exited << EventKind::Joined;
    qsizetype last = -1;
    for (EventKind k : order) {
        const qsizetype at = firstIndex(events, k);
        QVERIFY2(at > last, qPrintable(QStringLiteral("%1 out of order in: %2").arg(toString(k), kinds(events))));
        last = at;
    }
    const Latencies lat = WorkerFold::of(w->id(), events).latencies();
    QVERIFY(lat.exited && *lat.exited >= 0);
    QVERIFY(lat.joined && *lat.joined >= *lat.exited);
    if (got == Outcome::Stopped) {
        QVERIFY(lat.observed && *lat.observed >= 0);
    }
    if (got == Outcome::Killed) {
        QVERIFY(lat.kill && *lat.kill >= 0);
        QVERIFY2(w->leaks().isEmpty() || workload != u"sleep-steps", qPrintable(w->leaks().value(0).detail));
    }
    if (got == Outcome::Stopped)
        QVERIFY2(w->leaks().isEmpty(), qPrintable(w->leaks().value(0).detail));
}

void TestWorkers::refusals_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<int>("method"); // -1: pause
    QTest::addColumn<QString>("message");

    const QString conc = QStringLiteral("force is not available for concurrent: pooled threads are shared and cannot "
                                        "be killed; QFuture::cancel() only asks (use a process to kill at once)");
    const QString jt
        = QStringLiteral("force is not available for jthread: std::thread has no kill; request_stop() only asks");
    const QString sig = QStringLiteral("sigterm signals a process; use --backend process");
    const QString pause = QStringLiteral("pause needs QFuture::suspend(), which only concurrent workers support");
    QTest::newRow("concurrent force") << int(Backend::Concurrent) << int(StopMethod::Force) << conc;
    QTest::newRow("jthread force") << int(Backend::JThread) << int(StopMethod::Force) << jt;
    QTest::newRow("concurrent escalate") << int(Backend::Concurrent) << int(StopMethod::Escalate)
                                         << QStringLiteral("escalate needs force; ") + conc;
    QTest::newRow("thread sigterm") << int(Backend::Thread) << int(StopMethod::Sigterm) << sig;
    QTest::newRow("eventloop sigterm") << int(Backend::EventLoop) << int(StopMethod::Sigterm) << sig;
    QTest::newRow("jthread sigterm") << int(Backend::JThread) << int(StopMethod::Sigterm) << sig;
    QTest::newRow("thread force-group") << int(Backend::Thread) << int(StopMethod::ForceGroup)
                                        << QStringLiteral("force-group signals a process; use --backend process");
    QTest::newRow("thread pause") << int(Backend::Thread) << -1 << pause;
    QTest::newRow("eventloop pause") << int(Backend::EventLoop) << -1 << pause;
    QTest::newRow("jthread pause") << int(Backend::JThread) << -1 << pause;
}

void TestWorkers::refusals()
{
    QFETCH(int, backend);
    QFETCH(int, method);
    QFETCH(QString, message);

    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000);
    if (method < 0) {
        QCOMPARE(w->pauseRefusal(), message);
        w->pause();
        QVERIFY(w->state() != WorkerState::Paused);
    } else {
        QString reason;
        QVERIFY(!w->stop(StopMethod(method), {}, &reason));
        QCOMPARE(reason, message);
        QCOMPARE(w->refusal(StopMethod(method)), message);
        QVERIFY(!hasEvent(lab, w->id(), EventKind::StopRequested));
    }
    QVERIFY(w->stop(StopMethod::Request, { 5000, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
}

void TestWorkers::processNeedsWorkerHost()
{
    Lab lab;
    QString error;
    Worker *w = lab.addWorker({ QString(), Backend::Process, QStringLiteral("sleep-steps"), {} }, &error);
    if (w)
        QSKIP("a process worker maker is registered in this build");
    QCOMPARE(error, QStringLiteral("backend 'process' needs the worker host"));
    QVERIFY(!lab.addWorker({ QString(), Backend::Thread, QStringLiteral("no-such-workload"), {} }, &error));
    QVERIFY(error.contains(u"no-such-workload"));
}

void TestWorkers::queuedConcurrentCancelledNeverRuns()
{
    Lab lab;
    lab.pool().setMaxThreadCount(1);
    Worker *blocker
        = makeWorker(lab, Backend::Concurrent, QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } });
    Worker *queued
        = makeWorker(lab, Backend::Concurrent, QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } });
    QVERIFY(blocker && queued);
    QSignalSpy queuedFinished(queued, &Worker::finished);
    QSignalSpy blockerFinished(blocker, &Worker::finished);
    blocker->start();
    QTRY_VERIFY_WITH_TIMEOUT(blocker->stepsDone() > 0, 10000);
    queued->start();
    QTest::qWait(200); // the pool's only thread is busy: the task must stay queued
    QCOMPARE(toString(queued->state()), toString(WorkerState::Starting));
    QVERIFY(!hasEvent(lab, queued->id(), EventKind::Started));

    QVERIFY(queued->stop(StopMethod::Request, { 10000, 1000 }));
    QVERIFY(blocker->stop(StopMethod::Request, { 10000, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(blockerFinished.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queuedFinished.size(), 1, 10000);
    QCOMPARE(toString(blocker->outcome()), toString(Outcome::Stopped));
    QCOMPARE(toString(queued->outcome()), toString(Outcome::Cancelled));
    QCOMPARE(queued->stepsDone(), 0);
    QVERIFY(!hasEvent(lab, queued->id(), EventKind::Started));
    QVERIFY(!hasEvent(lab, queued->id(), EventKind::Exited));
    QVERIFY(hasEvent(lab, queued->id(), EventKind::Joined));
}

void TestWorkers::pauseResumeConcurrent()
{
    Lab lab;
    Worker *w
        = makeWorker(lab, Backend::Concurrent, QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000);
    QVERIFY(w->pauseRefusal().isEmpty());
    w->pause();
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Paused), 5000);
    QVERIFY(hasEvent(lab, w->id(), EventKind::Paused));
    const qint64 atPause = w->stepsDone();
    QTest::qWait(300); // observing that no progress happens while paused
    QCOMPARE(w->stepsDone(), atPause);
    w->resume();
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Running), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > atPause, 5000);
    QVERIFY(hasEvent(lab, w->id(), EventKind::Resumed));

    // A stop while paused wakes it (cancel wakes a suspended task).
    w->pause();
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Paused), 5000);
    QVERIFY(w->stop(StopMethod::Request, { 5000, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
}

void TestWorkers::completedWithoutStop_data()
{
    QTest::addColumn<int>("backend");
    QTest::newRow("thread") << int(Backend::Thread);
    QTest::newRow("eventloop") << int(Backend::EventLoop);
    QTest::newRow("concurrent") << int(Backend::Concurrent);
    QTest::newRow("jthread") << int(Backend::JThread);
}

void TestWorkers::completedWithoutStop()
{
    QFETCH(int, backend);
    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("sleep-steps"),
        { { QStringLiteral("step_ms"), 2 }, { QStringLiteral("steps"), 10 } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(toString(w->outcome()), toString(Outcome::Completed));
    QCOMPARE(w->stepsDone(), 10);
    QVERIFY(w->cpuTimeNs() >= 0);
    QVERIFY(w->hasEnded());
    QVERIFY(!w->stop(StopMethod::Request));
}

QTEST_GUILESS_MAIN(TestWorkers)
#include "tst_workers.moc"
