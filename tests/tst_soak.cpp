// Opt-in soak (THREADLAB_SOAK=1, ctest label "soak"): 200 process workers x 10 repetitions leave nothing behind.
#include "events/eventlog.h"
#include "lab/lab.h"
#include "ledger/temproot.h"
#include "process/forkserver.h"
#include "process/processsystem.h"
#include "process/processtree.h"
#include "process/processworker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace threadlab;

namespace {

qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_qs);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

int openFds()
{
    return int(QDir(u"/proc/self/fd"_qs).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size());
}

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT

private slots:
    void churn();
};

void TestSoak::churn()
{
    if (qEnvironmentVariableIntValue("THREADLAB_SOAK") != 1)
        QSKIP("opt-in: THREADLAB_SOAK=1 (200 process workers x 10 repetitions; THREADLAB_SOAK_WORKERS and "
              "THREADLAB_SOAK_ROUNDS change the size)");
    const int perRound = envInt("THREADLAB_SOAK_WORKERS", 200);
    const int rounds = envInt("THREADLAB_SOAK_ROUNDS", 10);
    const QString root = TempRoot::path();
    QVERIFY(!root.isEmpty());
    int fdsBefore = -1;
    qint64 rssAfterFirst = 0;
    int failed = 0;
    int orphans = 0;
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < rounds; ++round) {
        // A fresh lab per round: a lab keeps every event and every run by design (data, not a leak).
        auto labOwner = std::make_unique<Lab>();
        Lab &lab = *labOwner;
        QList<Worker *> workers;
        for (int i = 0; i < perRound; ++i) {
            WorkerSpec spec;
            spec.name = u"r%1.w%2"_qs.arg(round).arg(i);
            spec.backend = Backend::Process;
            spec.workload = u"sleep-steps"_qs;
            spec.params = { { u"step_ms"_qs, 5 }, { u"steps"_qs, 100'000'000 } };
            QString error;
            Worker *w = lab.addWorker(spec, &error);
            QVERIFY2(w, qPrintable(error));
            workers << w;
        }
        for (Worker *w : std::as_const(workers))
            w->start();
        // Every host gets its turn in the start queue and says hello: none fails on 2 loaded cores.
        for (Worker *w : std::as_const(workers))
            QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running || w->isFinished(), 120'000);
        for (Worker *w : std::as_const(workers))
            w->stop(StopMethod::Request, StopPolicy { 10'000, 10'000 });
        for (Worker *w : std::as_const(workers))
            QTRY_VERIFY_WITH_TIMEOUT(w->isFinished() && w->hasEnded() && w->leaksKnown(), 120'000);
        for (Worker *w : std::as_const(workers)) {
            const WorkerSnapshot s = w->snapshot();
            failed += w->outcome() != Outcome::Stopped;
            orphans += int(s.orphanPids.size());
            if (w->outcome() != Outcome::Stopped)
                qWarning("%s: %s", qPrintable(s.name), qPrintable(toString(w->outcome())));
        }
        lab.clearFinished();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QSignalSpy shut(&lab, &Lab::shutdownFinished);
        lab.beginShutdown(1000);
        QVERIFY(shut.wait(30'000));
        labOwner.reset();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        ForkServer::instance().stop(); // the resident fork server is a child too: it goes, and is reaped
        QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::unreapedChildren().isEmpty(), 30'000); // 0 zombies
        // 0 temp entries: only the lab's own directory is left in the root (and the owner file).
        QTRY_COMPARE_WITH_TIMEOUT(QDir(root).entryList({ u"host-*"_qs }, QDir::AllEntries).size(), 0, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(ProcessTree::instance().trackedCount(), 0, 30'000);
        if (round == 0) {
            fdsBefore = openFds();
            rssAfterFirst = residentKiB();
        }
        qInfo("round %d: %d workers, %lld ms so far, fds %d, RSS %lld KiB", round + 1, perRound, clock.elapsed(),
            openFds(), residentKiB());
    }
    const qint64 rssEnd = residentKiB();
    qInfo("soak: %d x %d process workers in %lld ms: %d failed, %d orphans; fds after round 1 %d, at the end %d; "
          "RSS after round 1 %lld KiB, at the end %lld KiB",
        rounds, perRound, clock.elapsed(), failed, orphans, fdsBefore, openFds(), rssAfterFirst, rssEnd);
    QCOMPARE(failed, 0);
    QCOMPARE(orphans, 0);
    QTRY_VERIFY_WITH_TIMEOUT(openFds() <= fdsBefore, 30'000);
    QVERIFY2(rssEnd <= rssAfterFirst + rssAfterFirst / 10 && rssEnd >= rssAfterFirst - rssAfterFirst / 10,
        qPrintable(u"RSS %1 KiB -> %2 KiB"_qs.arg(rssAfterFirst).arg(rssEnd)));
}

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
