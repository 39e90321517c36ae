// Tests of the backends: outcomes per backend × workload × method (one meaning per word on all five),
// unresponsive then final, grace-expired vs kill-timeout, refusals as values, queued cancel, pause.
#include "base/measurements.h"
#include "events/eventlog.h"
#include "lab/lab.h"
#include "model/workerfold.h"
#include "workers/worker.h"
#include "workers/workerpriority.h"

#include "taskstate.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <sched.h>

using namespace threadlab;

namespace {

bool hasEvent(const Lab &lab, int worker, EventKind kind)
{
    for (const Event &e : lab.log().forWorker(worker))
        if (e.kind == kind)
            return true;
    return false;
}

/// The kernel thread id a worker's code runs on (the value of its Started event), 0 before it started.
qint64 startedTid(const Lab &lab, int worker)
{
    for (const Event &e : lab.log().forWorker(worker))
        if (e.kind == EventKind::Started)
            return e.value;
    return 0;
}

/// The outcomes recorded for a worker, in order.
QStringList outcomeEvents(const Lab &lab, int worker)
{
    QStringList out;
    for (const Event &e : lab.log().forWorker(worker))
        if (e.kind == EventKind::Outcome)
            out << toString(Outcome(e.value));
    return out;
}

const struct
{
    Backend backend;
    const char *name;
} allBackends[] = { { Backend::Thread, "thread" }, { Backend::EventLoop, "eventloop" },
    { Backend::Concurrent, "concurrent" }, { Backend::JThread, "jthread" }, { Backend::Process, "process" } };

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
    void ignoredOnEveryBackend_data();
    void ignoredOnEveryBackend();
    void unresponsiveThenFinal_data();
    void unresponsiveThenFinal();
    void refusals_data();
    void refusals();
    void refusalsBeforeStartAndAfterEnd();
    void processNeedsWorkerHost();
    void queuedConcurrentCancelledNeverRuns();
    void pauseResumeConcurrent();
    void completedWithoutStop_data();
    void completedWithoutStop();
    void yieldingLabRunsWorkersIdle();
    void requestGoesOutWhenTheLoopIdles_data();
    void requestGoesOutWhenTheLoopIdles();
    void graceCountsFromTheRequest();
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
    QTest::addColumn<int>("final"); // the settled outcome once it ended (endsLater rows)

    const int request = int(StopMethod::Request);
    const int force = int(StopMethod::Force);
    const int escalate = int(StopMethod::Escalate);
    const int stopped = int(Outcome::Stopped);
    const int killed = int(Outcome::Killed);
    const int unresponsive = int(Outcome::Unresponsive);
    const int none = int(Outcome::None);
    const int ignored = int(Outcome::Ignored);
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
            << be << QStringLiteral("cpu-spin") << spin << request << 5000 << 1000 << stopped << none << false << none;
        QTest::addRow("%s sleep-steps request", b.name) << be << QStringLiteral("sleep-steps") << sleeps << request
                                                        << 5000 << 1000 << stopped << none << false << none;
        QTest::addRow("%s blocking-wait notify request", b.name)
            << be << QStringLiteral("blocking-wait") << notify << request << 5000 << 1000 << stopped << none << false
            << none;
        QTest::addRow("%s blocking-wait pipe notify request", b.name)
            << be << QStringLiteral("blocking-wait") << notifyPipe << request << 5000 << 1000 << stopped << none
            << false << none;
        QTest::addRow("%s blocking-wait none request", b.name)
            << be << QStringLiteral("blocking-wait") << wakeNone << request << 300 << 300 << unresponsive << none
            << true << stopped;
    }
    const int thread = int(Backend::Thread);
    const int loop = int(Backend::EventLoop);
    QTest::newRow("thread sleep-steps force") << thread << QStringLiteral("sleep-steps") << sleeps << force << 1000
                                              << 5000 << killed << none << false << none;
    QTest::newRow("eventloop sleep-steps force")
        << loop << QStringLiteral("sleep-steps") << sleeps << force << 1000 << 5000 << killed << none << false << none;
    QTest::newRow("thread cpu-ignore force") << thread << QStringLiteral("cpu-ignore") << ignore << force << 1000 << 300
                                             << unresponsive << none << true << ignored;
    QTest::newRow("eventloop cpu-ignore force") << loop << QStringLiteral("cpu-ignore") << ignore << force << 1000
                                                << 300 << unresponsive << none << true << ignored;
    QTest::newRow("thread blocking-wait sleep escalate") << thread << QStringLiteral("blocking-wait") << sleepWaitLong
                                                         << escalate << 200 << 5000 << killed << none << false << none;
    // A check every 300 ms of the clock: three 100 ms steps, not 3000 short ones, which a thread starved of CPU (a
    // loaded machine) takes seconds to get through (each step ends on the clock, but needs the CPU to be seen).
    QTest::newRow("thread cpu-spin sparse checks escalate")
        << thread << QStringLiteral("cpu-spin")
        << QVariantMap { { QStringLiteral("step_us"), 100'000 }, { QStringLiteral("check_every"), 3 } } << escalate
        << 100 << 5000 << killed << stopped << false << none;
    QTest::newRow("thread cpu-ignore escalate") << thread << QStringLiteral("cpu-ignore") << ignore << escalate << 100
                                                << 200 << unresponsive << none << true << ignored;
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
    QFETCH(int, final);

    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), workload, params);
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    QSignalSpy ended(w, &Worker::ended);
    QSignalSpy probed(w, &Worker::leaksProbed);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(lab, w->id(), EventKind::Started), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Running), 5000);
    if (workload != u"blocking-wait") {
        QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000); // cpu-ignore: a step done = inside its busy loop
    } else {
        // Positive evidence that it reached its blocking call: its thread sleeps in the kernel's wait.
        const qint64 tid = startedTid(lab, w->id());
        QTRY_VERIFY_WITH_TIMEOUT(
            testing::taskBlockedIn(tid, { SYS_futex, SYS_poll, SYS_ppoll, SYS_nanosleep, SYS_clock_nanosleep }), 10000);
    }

    const qint64 cpuBeforeStop = w->cpuTimeNs();
    QString reason;
    QVERIFY2(w->stop(StopMethod(method), { graceMs, killTimeoutMs }, &reason), qPrintable(reason));
    QVERIFY(w->state() == WorkerState::Stopping || w->state() == WorkerState::CleaningUp
        || w->state() == WorkerState::Finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    auto got = Outcome(finished.at(0).at(1).toInt());
    QVERIFY2(int(got) == expected || int(got) == alternative,
        qPrintable(QStringLiteral("outcome %1, events: %2").arg(toString(got), kinds(lab.log().forWorker(w->id())))));
    if (!endsLater || !w->hasEnded()) {
        QCOMPARE(toString(w->outcome()), toString(got));
        QCOMPARE(toString(w->state()), toString(endsLater ? WorkerState::Unresponsive : WorkerState::Finished));
    }

    if (endsLater) {
        // A request's grace ran out with no kill: grace-expired; after a kill: kill-timeout.
        const bool killed = StopMethod(method) != StopMethod::Request;
        QCOMPARE(hasEvent(lab, w->id(), EventKind::KillTimeout), killed);
        QCOMPARE(hasEvent(lab, w->id(), EventKind::GraceExpired), !killed);
        // Keeps running (and burning CPU for cpu-ignore) until its own end; then it is joined normally.
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
        QCOMPARE(finished.size(), 1); // finished() once: the provisional unresponsive
        QCOMPARE(toString(Outcome(ended.at(0).at(1).toInt())), toString(Outcome(final)));
        QCOMPARE(toString(w->outcome()), toString(Outcome(final)));
        QCOMPARE(toString(w->state()), toString(WorkerState::Finished));
        QCOMPARE(outcomeEvents(lab, w->id()), QStringList({ toString(got), toString(Outcome(final)) }));
        bool noted = false;
        for (const Event &e : lab.log().forWorker(w->id()))
            noted = noted || (e.kind == EventKind::Note && e.detail.startsWith(u"ended after being unresponsive"));
        QVERIFY(noted);
        // It kept burning CPU after the stop (an outcome; how much depends on the machine's load).
        if (workload == u"cpu-ignore")
            QVERIFY2(w->cpuTimeNs() > cpuBeforeStop,
                qPrintable(u"%1 ns before the stop, %2 ns at the end"_qs.arg(cpuBeforeStop).arg(w->cpuTimeNs())));
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 5000);
        QCOMPARE(toString(Outcome(ended.at(0).at(1).toInt())), toString(got));
    }
    QVERIFY(w->hasEnded());
    // The engine and the fold tell the same story.
    const WorkerFold fold = WorkerFold::of(w->id(), lab.log().forWorker(w->id()));
    QCOMPARE(toString(fold.outcome()), toString(w->outcome()));
    QCOMPARE(toString(fold.state()), toString(WorkerState::Finished));
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 1, 10000);

    const EventList events = lab.log().forWorker(w->id());
    got = w->outcome(); // the settled final outcome decides what the events must show
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

void TestWorkers::ignoredOnEveryBackend_data()
{
    QTest::addColumn<int>("backend");
    for (const auto &b : allBackends)
        QTest::newRow(b.name) << int(b.backend);
}

void TestWorkers::ignoredOnEveryBackend()
{
    // `threadlab run --backend B --workload cpu-ignore --param run_ms=800 --stop request --stop-after 100
    // --grace 2000`: a stop the code never observes, and it returns on its own within the grace: ignored.
    QFETCH(int, backend);
    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("cpu-ignore"), { { QStringLiteral("run_ms"), 800 } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    QSignalSpy ended(w, &Worker::ended);
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->state()), toString(WorkerState::Running), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 15000); // busy in its loop: the stop lands mid-run
    QString reason;
    QVERIFY2(w->stop(StopMethod::Request, { 2000, 1000 }, &reason), qPrintable(reason));
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
    const EventList events = lab.log().forWorker(w->id());
    QCOMPARE(finished.size(), 1);
    QVERIFY2(Outcome(finished.at(0).at(1).toInt()) == Outcome::Ignored, qPrintable(kinds(events)));
    QCOMPARE(toString(Outcome(ended.at(0).at(1).toInt())), u"ignored"_qs);
    QCOMPARE(toString(w->outcome()), u"ignored"_qs);
    QCOMPARE(toString(w->state()), u"finished"_qs);
    QCOMPARE(firstIndex(events, EventKind::StopObserved), -1);
    QCOMPARE(firstIndex(events, EventKind::GraceExpired), -1);
    QCOMPARE(outcomeEvents(lab, w->id()), QStringList { u"ignored"_qs });
    const WorkerFold fold = WorkerFold::of(w->id(), events);
    QCOMPARE(toString(fold.outcome()), u"ignored"_qs);
    QCOMPARE(toString(fold.outcomeClass()), u"ignored"_qs);
}

void TestWorkers::unresponsiveThenFinal_data()
{
    QTest::addColumn<int>("backend");
    for (const auto &b : allBackends)
        QTest::newRow(b.name) << int(b.backend);
}

void TestWorkers::unresponsiveThenFinal()
{
    // A request whose grace runs out while the code still runs: grace-expired (no kill was sent), state
    // unresponsive (never finished while it runs); when the code returns, its settled outcome follows.
    QFETCH(int, backend);
    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("cpu-ignore"), { { QStringLiteral("run_ms"), 3000 } });
    QVERIFY(w);
    QSignalSpy finished(w, &Worker::finished);
    QSignalSpy ended(w, &Worker::ended);
    QSignalSpy states(w, &Worker::stateChanged);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 15000);
    QVERIFY(w->stop(StopMethod::Request, { 200, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(toString(Outcome(finished.at(0).at(1).toInt())), u"unresponsive"_qs);
    QVERIFY(w->isFinished()); // the outcome is decided (provisionally)...
    if (!w->hasEnded()) { // ...while the code still runs (the grace is 200 ms of a 3 s run)
        QCOMPARE(toString(w->state()), u"unresponsive"_qs);
        QCOMPARE(toString(w->outcome()), u"unresponsive"_qs);
        QVERIFY(ended.isEmpty());
        QVERIFY(w->refusal(StopMethod::Request).isEmpty()); // it may still be asked again
        const WorkerFold live = WorkerFold::of(w->id(), lab.log().forWorker(w->id()));
        QCOMPARE(toString(live.state()), u"unresponsive"_qs);
        QVERIFY(!live.hasEnded());
    }
    QVERIFY(hasEvent(lab, w->id(), EventKind::GraceExpired));
    QVERIFY(!hasEvent(lab, w->id(), EventKind::KillTimeout));

    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(toString(Outcome(ended.at(0).at(1).toInt())), u"ignored"_qs);
    QCOMPARE(toString(w->outcome()), u"ignored"_qs);
    QCOMPARE(toString(w->state()), u"finished"_qs);
    QCOMPARE(outcomeEvents(lab, w->id()), QStringList({ u"unresponsive"_qs, u"ignored"_qs }));
    const WorkerFold fold = WorkerFold::of(w->id(), lab.log().forWorker(w->id()));
    QCOMPARE(toString(fold.outcome()), u"ignored"_qs);
    QCOMPARE(toString(fold.state()), u"finished"_qs);
    QVERIFY(fold.times().graceExpired >= 0);
    QVERIFY(fold.times().graceExpired - fold.times().stopRequested >= 200'000'000); // the whole grace, from the request
    QCOMPARE(fold.times().killTimeout, -1);
    // Never finished while it ran: finished is the last state it entered, and only once.
    QStringList seen;
    for (const auto &args : std::as_const(states))
        seen << toString(WorkerState(args.at(1).toInt()));
    QCOMPARE(seen.count(u"finished"_qs), 1);
    QCOMPARE(seen.last(), u"finished"_qs);
    QVERIFY2(seen.contains(u"unresponsive"_qs), qPrintable(seen.join(u' ')));
}

void TestWorkers::refusals_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<int>("method"); // -1: pause
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("message");

    // The neutral wordings, written out: no engine line tells the user which --backend to pick.
    const QString conc = QStringLiteral(
        "force is not available for concurrent: pooled threads are shared and cannot be killed; QFuture::cancel() "
        "only asks");
    const QString jt
        = QStringLiteral("force is not available for jthread: std::thread has no kill; request_stop() only asks");
    const QString threadPause = QStringLiteral("pause is not available for %1: QThread has no safe suspension from "
                                               "outside; only concurrent (QFuture::suspend()) and process (SIGSTOP) "
                                               "workers pause");
    QTest::newRow("concurrent force") << int(Backend::Concurrent) << int(StopMethod::Force) << u"no-force"_qs << conc;
    QTest::newRow("jthread force") << int(Backend::JThread) << int(StopMethod::Force) << u"no-force"_qs << jt;
    QTest::newRow("concurrent escalate") << int(Backend::Concurrent) << int(StopMethod::Escalate) << u"no-force"_qs
                                         << QStringLiteral("escalate needs force; ") + conc;
    QTest::newRow("jthread escalate") << int(Backend::JThread) << int(StopMethod::Escalate) << u"no-force"_qs
                                      << QStringLiteral("escalate needs force; ") + jt;
    QTest::newRow("thread sigterm")
        << int(Backend::Thread) << int(StopMethod::Sigterm) << u"needs-process"_qs
        << QStringLiteral("sigterm signals a process; thread workers run inside the app's own process");
    QTest::newRow("eventloop sigterm")
        << int(Backend::EventLoop) << int(StopMethod::Sigterm) << u"needs-process"_qs
        << QStringLiteral("sigterm signals a process; eventloop workers run inside the app's own process");
    QTest::newRow("jthread sigterm")
        << int(Backend::JThread) << int(StopMethod::Sigterm) << u"needs-process"_qs
        << QStringLiteral("sigterm signals a process; jthread workers run inside the app's own process");
    QTest::newRow("thread force-group")
        << int(Backend::Thread) << int(StopMethod::ForceGroup) << u"needs-process"_qs
        << QStringLiteral("force-group signals a process; thread workers run inside the app's own process");
    QTest::newRow("concurrent force-group")
        << int(Backend::Concurrent) << int(StopMethod::ForceGroup) << u"needs-process"_qs
        << QStringLiteral("force-group signals a process; concurrent workers run inside the app's own process");
    QTest::newRow("thread pause") << int(Backend::Thread) << -1 << u"no-pause"_qs << threadPause.arg(u"thread"_qs);
    QTest::newRow("eventloop pause") << int(Backend::EventLoop) << -1 << u"no-pause"_qs
                                     << threadPause.arg(u"eventloop"_qs);
    QTest::newRow("jthread pause") << int(Backend::JThread) << -1 << u"no-pause"_qs
                                   << QStringLiteral("pause is not available for jthread: std::jthread has no "
                                                     "suspension; only concurrent (QFuture::suspend()) and process "
                                                     "(SIGSTOP) workers pause");
}

void TestWorkers::refusals()
{
    QFETCH(int, backend);
    QFETCH(int, method);
    QFETCH(QString, reason);
    QFETCH(QString, message);

    QVERIFY(!message.contains(u"--backend"));
    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("sleep-steps"), { { QStringLiteral("step_ms"), 5 } });
    QVERIFY(w);
    // A backend refusal holds before the start too (front ends check before starting anything).
    const auto early = method < 0 ? w->pauseRefusalFor() : w->refusalFor(StopMethod(method));
    QVERIFY(early);
    QCOMPARE(toString(early->reason), reason);
    QSignalSpy finished(w, &Worker::finished);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000);
    if (method < 0) {
        const auto refused = w->pauseRefusalFor();
        QVERIFY(refused);
        QCOMPARE(toString(refused->reason), reason);
        QCOMPARE(int(refused->backend), backend);
        QVERIFY(!refused->method);
        QCOMPARE(w->pauseRefusal(), message);
        w->pause();
        QVERIFY(w->state() != WorkerState::Paused);
    } else {
        const auto refused = w->refusalFor(StopMethod(method));
        QVERIFY(refused);
        QCOMPARE(toString(refused->reason), reason);
        QCOMPARE(int(refused->backend), backend);
        QCOMPARE(int(refused->method.value_or(StopMethod::Request)), method);
        QString why;
        QVERIFY(!w->stop(StopMethod(method), {}, &why));
        QCOMPARE(why, message);
        QCOMPARE(w->refusal(StopMethod(method)), message);
        QVERIFY(!hasEvent(lab, w->id(), EventKind::StopRequested));
    }
    QVERIFY(!w->refusalFor(StopMethod::Request));
    QVERIFY(w->stop(StopMethod::Request, { 5000, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
}

void TestWorkers::refusalsBeforeStartAndAfterEnd()
{
    Lab lab;
    Worker *w = makeWorker(lab, Backend::Thread, QStringLiteral("sleep-steps"),
        { { QStringLiteral("step_ms"), 2 }, { QStringLiteral("steps"), 5 } });
    QVERIFY(w);
    const auto before = w->refusalFor(StopMethod::Request);
    QVERIFY(before);
    QCOMPARE(toString(before->reason), u"not-started"_qs);
    QCOMPARE(w->refusal(StopMethod::Request), u"the worker has not been started"_qs);
    QSignalSpy ended(w, &Worker::ended);
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 10000);
    const auto after = w->refusalFor(StopMethod::Force);
    QVERIFY(after);
    QCOMPARE(toString(after->reason), u"already-ended"_qs);
    QCOMPARE(w->refusal(StopMethod::Force), u"the worker has already finished"_qs);
    QString why;
    QVERIFY(!w->stop(StopMethod::Request, {}, &why));
    QCOMPARE(why, u"the worker has already finished"_qs);
}

void TestWorkers::processNeedsWorkerHost()
{
    // The lab always links the process layer: a process worker is made (it needs the host only to start), and
    // an unknown workload is refused by name. (This used to skip whenever a maker was registered: always.)
    Lab lab;
    QString error;
    Worker *w = lab.addWorker({ QString(), Backend::Process, QStringLiteral("sleep-steps"), {} }, &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(toString(w->spec().backend), toString(Backend::Process));
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
    // The window is the blocker's own progress, not a sleep: while the pool's only thread takes 20 more steps
    // of the blocker, the queued task must stay queued.
    const qint64 blockerSteps = blocker->stepsDone();
    QTRY_VERIFY_WITH_TIMEOUT(blocker->stepsDone() >= blockerSteps + 20, 10000);
    QCOMPARE(lab.pool().activeThreadCount(), 1);
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
    // Positive evidence that it is parked at its pause point: its thread sleeps in a futex (a step's sleep is a
    // nanosleep, so this is not a step in progress); then its steps stay where they were.
    QTRY_VERIFY_WITH_TIMEOUT(testing::taskBlockedIn(startedTid(lab, w->id()), { SYS_futex }), 5000);
    const qint64 atPause = w->stepsDone();
    QVERIFY(testing::taskBlockedIn(startedTid(lab, w->id()), { SYS_futex }));
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
void TestWorkers::yieldingLabRunsWorkersIdle()
{
    // The window's lab: every thread backend's code runs with SCHED_IDLE (Linux), the pool's threads included.
    // A lab that does not yield (the CLI's) keeps the app's own policy.
    const QVariantMap slow { { QStringLiteral("step_ms"), 5 } };
    for (const bool yield : { true, false }) {
        Lab lab;
        lab.setWorkersYield(yield);
        QCOMPARE(lab.workersYield(), yield);
        QList<Worker *> workers;
        for (Backend b : { Backend::Thread, Backend::EventLoop, Backend::Concurrent, Backend::JThread })
            workers << makeWorker(lab, b, QStringLiteral("sleep-steps"), slow);
        for (Worker *w : std::as_const(workers)) {
            QVERIFY(w);
            w->start();
        }
        for (Worker *w : std::as_const(workers)) {
            QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 10000);
            const qint64 tid = startedTid(lab, w->id());
            QVERIFY(tid > 0);
            const int policy = threadSchedPolicy(tid);
            if (yield)
                QVERIFY2(policy == SCHED_IDLE, qPrintable(toString(w->spec().backend) + u" policy %1"_qs.arg(policy)));
            else // each lab has a pool of its own: none of its threads ran idle
                QVERIFY2(policy == SCHED_OTHER, qPrintable(toString(w->spec().backend) + u" policy %1"_qs.arg(policy)));
        }
        for (Worker *w : std::as_const(workers))
            QVERIFY(w->stop(StopMethod::Request, { 10000, 1000 }));
        for (Worker *w : std::as_const(workers))
            QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), 10000);
    }
}

void TestWorkers::requestGoesOutWhenTheLoopIdles_data()
{
    QTest::addColumn<int>("backend");
    for (const auto &b : allBackends)
        QTest::newRow(b.name) << int(b.backend);
}

void TestWorkers::requestGoesOutWhenTheLoopIdles()
{
    // Inside a running event loop, a request is recorded and sent after the owner's own work for it, when the
    // loop next goes idle: when stop() returns the state says stopping and nothing is recorded yet. Then the
    // request comes before the stop is observed, and a force asked in the same turn comes after the request.
    QFETCH(int, backend);
    Lab lab;
    Worker *w = makeWorker(lab, Backend(backend), QStringLiteral("cpu-spin"), {});
    QVERIFY(w);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 15000);
    // The eventloop's force unwinds through its event loop (Qt warns of an exception; outcomes() has that row).
    const bool forces = w->refusal(StopMethod::Force).isEmpty() && Backend(backend) != Backend::EventLoop;
    bool accepted = false;
    bool recordedAtReturn = true;
    WorkerState stateAtReturn = WorkerState::Created;
    QEventLoop loop;
    QTimer::singleShot(0, &loop, [&] {
        accepted = w->stop(StopMethod::Request, { 10000, 5000 });
        recordedAtReturn = hasEvent(lab, w->id(), EventKind::StopRequested);
        stateAtReturn = w->state();
        if (forces)
            w->stop(StopMethod::Force, { 10000, 5000 });
        loop.quit();
    });
    loop.exec();
    QVERIFY(accepted);
    QVERIFY(!recordedAtReturn);
    QCOMPARE(toString(stateAtReturn), toString(WorkerState::Stopping));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), 15000);
    const EventList events = lab.log().forWorker(w->id());
    QStringList requests;
    for (const Event &e : events)
        if (e.kind == EventKind::StopRequested)
            requests << toString(StopMethod(e.value));
    const QStringList expected = forces ? QStringList { toString(StopMethod::Request), toString(StopMethod::Force) }
                                        : QStringList { toString(StopMethod::Request) };
    QCOMPARE(requests, expected);
    if (!forces) {
        const qsizetype observed = firstIndex(events, EventKind::StopObserved);
        QVERIFY2(observed > firstIndex(events, EventKind::StopRequested), qPrintable(kinds(events)));
        QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
    }
}

void TestWorkers::graceCountsFromTheRequest()
{
    // A request made inside a running loop goes out when the loop idles, and its grace starts then: "grace
    // expired after" is never less than the grace asked for, measured from the recorded request.
    Lab lab;
    Worker *w = makeWorker(lab, Backend::Thread, QStringLiteral("cpu-ignore"), { { QStringLiteral("run_ms"), 1500 } });
    QVERIFY(w);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, 15000);
    QEventLoop loop;
    QTimer::singleShot(0, &loop, [&] {
        w->stop(StopMethod::Request, { 200, 5000 });
        loop.quit();
    });
    loop.exec();
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(lab, w->id(), EventKind::GraceExpired), 15000);
    const WorkerFold fold = WorkerFold::of(w->id(), lab.log().forWorker(w->id()));
    QVERIFY(fold.times().stopRequested >= 0);
    QVERIFY2(fold.times().graceExpired - fold.times().stopRequested >= 200'000'000,
        qPrintable(formatDuration(fold.times().graceExpired - fold.times().stopRequested)));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), 15000);
}

#include "tst_workers.moc"
