// The one fold of a worker's events: states, spans, outcomes, latencies and their words, in any event order.
#include "events/eventlog.h"
#include "lab/lab.h"
#include "model/lanespans.h"
#include "model/workerfold.h"
#include "workers/worker.h"
#include "workloads/workload.h"

#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace threadlab;

namespace {

constexpr qint64 Ms = 1'000'000;

/// A little language for event lists: (ms, kind, value, detail).
Event ev(qint64 ms, EventKind kind, qint64 value = 0, const QString &detail = {})
{
    return Event { ms * Ms, 7, kind, value, detail };
}

Event stopReq(qint64 ms, StopMethod m)
{
    return ev(ms, EventKind::StopRequested, qint64(m), toString(m));
}

Event kill(qint64 ms, StopMethod m)
{
    return ev(ms, EventKind::KillSent, qint64(m), toString(m));
}

Event outcome(qint64 ms, Outcome o)
{
    return ev(ms, EventKind::Outcome, qint64(o), toString(o));
}

EventList started()
{
    return { ev(0, EventKind::Created), ev(1, EventKind::StartRequested), ev(2, EventKind::Started) };
}

QStringList names(const WorkerStateSpanList &spans)
{
    QStringList out;
    for (const WorkerStateSpan &s : spans)
        out << toString(s.state) + (s.isOpen() ? QStringLiteral("…") : QString());
    return out;
}

QStringList keys(const QList<LatencyLine> &lines)
{
    QStringList out;
    for (const LatencyLine &l : lines)
        out << l.key;
    return out;
}

} // namespace

class TestWorkerFold : public QObject
{
    Q_OBJECT
private slots:
    void settlesOutcomes_data()
    {
        QTest::addColumn<int>("raw");
        QTest::addColumn<bool>("requested");
        QTest::addColumn<bool>("observed");
        QTest::addColumn<int>("expected");
        QTest::newRow("returned, never asked") << int(Outcome::Stopped) << false << false << int(Outcome::Completed);
        QTest::newRow("returned after noticing") << int(Outcome::Completed) << true << true << int(Outcome::Stopped);
        QTest::newRow("returned, never noticed") << int(Outcome::Completed) << true << false << int(Outcome::Ignored);
        QTest::newRow("host said stopped, never noticed")
            << int(Outcome::Stopped) << true << false << int(Outcome::Ignored);
        QTest::newRow("killed stands") << int(Outcome::Killed) << true << false << int(Outcome::Killed);
        QTest::newRow("crashed stands") << int(Outcome::Crashed) << true << true << int(Outcome::Crashed);
    }
    void settlesOutcomes()
    {
        QFETCH(int, raw);
        QFETCH(bool, requested);
        QFETCH(bool, observed);
        QFETCH(int, expected);
        QCOMPARE(int(settleOutcome(Outcome(raw), requested, observed)), expected);
    }

    void cooperativeStop()
    {
        EventList events = started();
        events << stopReq(100, StopMethod::Request) << ev(103, EventKind::StopObserved)
               << ev(103, EventKind::CleanupBegin) << ev(110, EventKind::CleanupEnd) << ev(111, EventKind::Exited)
               << ev(112, EventKind::Joined) << outcome(112, Outcome::Stopped);
        const WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.state()), toString(WorkerState::Finished));
        QCOMPARE(toString(f.outcome()), toString(Outcome::Stopped));
        QCOMPARE(toString(f.outcomeClass()), toString(OutcomeClass::Stopped));
        QCOMPARE(names(f.spans()),
            QStringList({ u"created"_qs, u"starting"_qs, u"running"_qs, u"stopping"_qs, u"cleaning-up"_qs }));
        QCOMPARE(*f.latencies().observed, 3 * Ms);
        QCOMPARE(*f.latencies().joined, 12 * Ms);
        QVERIFY(!f.latencies().kill);
        QCOMPARE(keys(f.latencyLines()), QStringList({ u"observed"_qs, u"stopped"_qs, u"cleanup"_qs }));
        QCOMPARE(f.headline(), u"stopped in 12.0 ms"_qs);
        QCOMPARE(f.method(), std::optional<StopMethod>(StopMethod::Request));
    }

    void ignoredRequestIsNotCompletedNorKillTimeout()
    {
        // cpu-ignore: asked at 100 ms, grace 300 ms expires, the code returns on its own at 800 ms.
        EventList events = started();
        events << stopReq(100, StopMethod::Request) << ev(400, EventKind::GraceExpired)
               << outcome(400, Outcome::Unresponsive);
        WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.state()), toString(WorkerState::Unresponsive));
        QCOMPARE(toString(f.outcome()), toString(Outcome::Unresponsive));
        QVERIFY(!f.hasEnded());
        QCOMPARE(names(f.spans()).last(), u"unresponsive…"_qs);
        QCOMPARE(keys(f.latencyLines()), QStringList({ u"grace-expired"_qs }));
        QCOMPARE(f.headline(), u"grace expired after 300.0 ms"_qs);

        f.add(ev(800, EventKind::Exited));
        f.add(ev(801, EventKind::Joined));
        f.add(outcome(801, Outcome::Completed));
        QCOMPARE(toString(f.state()), toString(WorkerState::Finished));
        QCOMPARE(toString(f.outcome()), toString(Outcome::Ignored));
        QCOMPARE(toString(f.outcomeClass()), toString(OutcomeClass::Ignored));
        QCOMPARE(f.headline(), u"ignored the stop; ended by itself after 701.0 ms"_qs);
    }

    void killThatNeverLanded()
    {
        EventList events = started();
        events << stopReq(100, StopMethod::Force) << kill(100, StopMethod::Force) << ev(1100, EventKind::KillTimeout)
               << outcome(1100, Outcome::Unresponsive) << ev(2400, EventKind::Exited) << ev(2400, EventKind::Joined)
               << outcome(2400, Outcome::Completed);
        const WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.outcome()), toString(Outcome::Ignored));
        QVERIFY(!f.latencies().kill); // never "kill took 2.30 s"
        QCOMPARE(f.headline(), u"kill did not land; ended by itself after 2.30 s"_qs);
        QVERIFY(keys(f.latencyLines()).contains(u"kill-timeout"_qs));
        QVERIFY(!keys(f.latencyLines()).contains(u"grace-expired"_qs));
    }

    void killThatLanded()
    {
        EventList events = started();
        events << stopReq(100, StopMethod::Escalate) << ev(400, EventKind::Note) << kill(400, StopMethod::Force)
               << ev(401, EventKind::Exited) << ev(402, EventKind::Joined) << outcome(402, Outcome::Killed);
        const WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.outcome()), toString(Outcome::Killed));
        QCOMPARE(*f.latencies().kill, 2 * Ms); // from the kill that landed, not from the request
        QCOMPARE(f.headline(), u"kill took 2.00 ms"_qs);
    }

    void gracefulSigtermIsAStop()
    {
        EventList events = started();
        events << stopReq(100, StopMethod::Sigterm) << kill(100, StopMethod::Sigterm)
               << ev(101, EventKind::StopObserved) << ev(105, EventKind::Exited) << ev(106, EventKind::Joined)
               << outcome(106, Outcome::Stopped);
        const WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.outcome()), toString(Outcome::Stopped));
        QVERIFY(!f.latencies().kill);
        QVERIFY(f.headline().startsWith(u"stopped after SIGTERM in 6.00 ms"_qs));
    }

    void unhandledSigtermIsNotAKill()
    {
        EventList events = started();
        events << stopReq(100, StopMethod::Sigterm) << kill(100, StopMethod::Sigterm)
               << ev(400, EventKind::GraceExpired) << outcome(400, Outcome::Unresponsive) << ev(700, EventKind::Exited)
               << ev(701, EventKind::Joined) << outcome(701, Outcome::Completed);
        const WorkerFold f = WorkerFold::of(7, events);
        QCOMPARE(toString(f.outcome()), toString(Outcome::Ignored));
        QCOMPARE(f.headline(), u"ignored SIGTERM; ended by itself after 601.0 ms"_qs);
    }

    void anyOrderGivesTheSameFold()
    {
        EventList events = started();
        events << ev(50, EventKind::Progress, 10) << stopReq(100, StopMethod::Request)
               << ev(120, EventKind::StopObserved) << ev(150, EventKind::Exited) << ev(151, EventKind::Joined)
               << outcome(151, Outcome::Stopped);
        const WorkerFold inOrder = WorkerFold::of(7, events);
        std::reverse(events.begin(), events.end());
        const WorkerFold reversed = WorkerFold::of(7, events);
        QCOMPARE(reversed.spans(), inOrder.spans());
        QCOMPARE(reversed.times(), inOrder.times());
        QCOMPARE(toString(reversed.outcome()), toString(inOrder.outcome()));
        QCOMPARE(reversed.latencyLines(), inOrder.latencyLines());
        QCOMPARE(reversed.reportedSteps(), 10);
        for (qsizetype i = 1; i < inOrder.spans().size(); ++i)
            QCOMPARE(inOrder.spans()[i].beginNs, inOrder.spans()[i - 1].endNs);
    }

    void ignoresOtherWorkers()
    {
        WorkerFold f(7);
        Event other = ev(1, EventKind::StartRequested);
        other.worker = 8;
        f.add(other);
        QCOMPARE(f.eventCount(), 0);
        QCOMPARE(toString(f.state()), toString(WorkerState::Created));
    }

    /// The lab mutex from the notes a lock-holder records: holding, waiting (until the wait is over), and a lock
    /// held when the code ended closes there.
    void lockSpansFromNotes()
    {
        EventList events = started();
        events << ev(10, EventKind::Note, 1, LabMutexNote::Acquired.toString())
               << ev(20, EventKind::Note, 1, LabMutexNote::Released.toString())
               << ev(25, EventKind::Note, 0, LabMutexNote::Waiting.toString())
               << ev(60, EventKind::Note, 0, LabMutexNote::WaitOver.toString())
               << ev(60, EventKind::Note, 2, LabMutexNote::Acquired.toString()) << ev(90, EventKind::Exited);
        const LockSpanList spans = lockSpansOf(WorkerFold::of(7, events));
        QCOMPARE(spans.size(), 3);
        QCOMPARE(spans.at(0), (LockSpan { 10 * Ms, 20 * Ms, false }));
        QCOMPARE(spans.at(1), (LockSpan { 25 * Ms, 60 * Ms, true }));
        QCOMPARE(spans.at(2), (LockSpan { 60 * Ms, 90 * Ms, false }));
        QVERIFY(spans.at(1).covers(40 * Ms));
        QVERIFY(lockSpansOf(WorkerFold::of(7, started())).isEmpty());
    }

    /// The real lock-holder writes the words the fold reads: a second holder waits while the first holds.
    void lockHolderIsSeenWaiting()
    {
        Lab lab;
        const auto spec = [](const QString &name, qint64 holdMs) {
            WorkerSpec s;
            s.name = name;
            s.backend = Backend::Thread;
            s.workload = u"lock-holder"_qs;
            WorkloadRegistry::resolve(s.workload,
                QVariantMap { { u"hold_ms"_qs, holdMs }, { u"gap_ms"_qs, 0 }, { u"steps"_qs, 1 } }, &s.params, nullptr);
            return s;
        };
        Worker *holder = lab.addWorker(spec(u"holder"_qs, 600));
        Worker *waiter = lab.addWorker(spec(u"waiter"_qs, 10));
        QVERIFY(holder && waiter);
        holder->start();
        QTRY_VERIFY_WITH_TIMEOUT(
            lockSpansOf(WorkerFold::of(holder->id(), lab.log().forWorker(holder->id()))).size() == 1, 10000);
        waiter->start();
        QTRY_VERIFY_WITH_TIMEOUT(waiter->hasEnded() && holder->hasEnded(), 20000);
        const LockSpanList spans = lockSpansOf(WorkerFold::of(waiter->id(), lab.log().forWorker(waiter->id())));
        QVERIFY(!spans.isEmpty());
        QVERIFY(spans.first().waiting);
        QVERIFY(std::any_of(spans.cbegin(), spans.cend(), [](const LockSpan &s) { return !s.waiting; }));
        lab.beginShutdown(3000);
    }

    /// Orphans left in the process group: from their spawn (declared) or when found, until the lab killed them.
    void orphanSpansFromNotes()
    {
        EventList events = started();
        events << ev(5, EventKind::Resource, 456, u"process 456"_qs) << ev(100, EventKind::KillSent, 9, u"force"_qs)
               << ev(101, EventKind::Exited)
               << ev(101, EventKind::Note, 2, u"orphans still in process group 123: 456 789"_qs)
               << ev(400, EventKind::Note, 2, u"killed 2 orphan(s) of process group 123"_qs);
        const QList<OrphanSpan> spans = orphanSpansOf(WorkerFold::of(7, events));
        QCOMPARE(spans.size(), 2);
        QCOMPARE(spans.at(0), (OrphanSpan { 456, 5 * Ms, 400 * Ms }));
        QCOMPARE(spans.at(1), (OrphanSpan { 789, 101 * Ms, 400 * Ms }));
        EventList alive = started();
        alive << ev(101, EventKind::Exited) << ev(101, EventKind::Note, 1, u"orphans still in process group 9: 10"_qs);
        QCOMPARE(orphanSpansOf(WorkerFold::of(7, alive)).value(0).endNs, qint64(-1));
    }
};

QTEST_GUILESS_MAIN(TestWorkerFold)
#include "tst_workerfold.moc"
