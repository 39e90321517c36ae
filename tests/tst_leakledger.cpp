// The leak ledger proven against the system: real pthread_cancel kills through ThreadStopContextBase, a
// simulated lock leak, recover(); and a clean run reports nothing.
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "ledger/leakledger.h"
#include "ledger/temproot.h"
#include "workloads/filewriter.h"
#include "workloads/threadcancellation.h"
#include "workloads/workload.h"

#include <QDir>
#include <QtTest>
#include <pthread.h>
#include <sys/stat.h>
#include <thread>

using namespace threadlab;

namespace {

/// The smallest thread backend: an atomic flag plus the cancellation points of ThreadStopContextBase.
class FlagStopContext : public ThreadStopContextBase
{
public:
    using ThreadStopContextBase::ThreadStopContextBase;
    std::atomic<bool> stop { false };
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()>) override { return nullptr; }

protected:
    bool stopRequested() override { return stop.load(std::memory_order_relaxed); }
};

/// Runs a workload on a std::thread the way the thread backend does (cancellation disabled outside
/// cancellable()) and can force-kill it with pthread_cancel, as QThread::terminate() does.
class KillableRun
{
public:
    explicit KillableRun(std::shared_ptr<LabResources> lab)
        : m_lab(std::move(lab))
    {
    }
    ~KillableRun()
    {
        if (m_thread.joinable()) {
            m_ctx->stop = true;
            m_thread.join();
        }
    }
    Q_DISABLE_COPY_MOVE(KillableRun)

    bool start(const QString &name, const QStringList &assignments)
    {
        Params params;
        QString error;
        if (!WorkloadRegistry::resolve(name, assignments, &params, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        m_workload = WorkloadRegistry::create(name, params);
        m_ctx = std::make_unique<FlagStopContext>(7, m_log, m_lab);
        m_thread = std::thread([this] {
            struct EndedOnExit
            {
                std::atomic<bool> &ended;
                ~EndedOnExit() { ended.store(true); } // also runs during the forced unwind
            } endedOnExit { m_ended };
            disableThreadCancellation();
            m_ctx->attachToCurrentThread();
            m_workload->run(*m_ctx);
            disableThreadCancellation(); // a pending cancel must never fire after the workload
        });
        return true;
    }
    void kill()
    {
        m_ctx->setKillPending();
        pthread_cancel(m_thread.native_handle());
    }
    void join() { m_thread.join(); }
    bool ended() const { return m_ended.load(); }
    FlagStopContext &ctx() { return *m_ctx; }
    EventList events() const { return m_log->forWorker(7); }
    bool has(const QString &detail) const
    {
        for (const Event &e : m_log->all())
            if (e.detail == detail)
                return true;
        return false;
    }

private:
    std::shared_ptr<EventLog> m_log = std::make_shared<EventLog>();
    std::shared_ptr<LabResources> m_lab;
    std::unique_ptr<Workload> m_workload;
    std::unique_ptr<FlagStopContext> m_ctx;
    std::atomic<bool> m_ended { false };
    std::thread m_thread;
};

QStringList kinds(const LeakList &leaks)
{
    QStringList out;
    for (const Leak &l : leaks)
        out << l.kind;
    out.sort();
    return out;
}

} // namespace

class TestLeakLedger : public QObject
{
    Q_OBJECT
private slots:
    void cleanRunReportsNothing()
    {
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        QVERIFY(run.start(u"file-writer"_qs, { u"records=2"_qs, u"record_ms=0"_qs, u"raii=false"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 5000);
        run.join();
        QVERIFY(LeakLedger::probe(run.events(), *lab).isEmpty());
        QVERIFY(LeakLedger::probe({}, *lab).isEmpty());
    }

    void simulatedLockLeakIsReportedAndRecovered()
    {
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        QVERIFY(run.start(u"lock-holder"_qs, { u"steps=1"_qs, u"hold_ms=1"_qs, u"raii=false"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 5000);
        run.join();
        QVERIFY(LeakLedger::probe(run.events(), *lab).isEmpty());

        const auto poisoned = lab->labMutex();
        poisoned->lock(); // as if the worker had died holding it
        const LeakList leaks = LeakLedger::probe(run.events(), *lab, 50);
        QCOMPARE(leaks.size(), 1);
        QCOMPARE(leaks.first().kind, u"lock"_qs);
        QCOMPARE(leaks.first().detail, u"lab mutex (generation 0) still locked: tryLock(50 ms) failed"_qs);
        QCOMPARE(leaks.first().meaning, u"the next worker that needs the lock waits forever; use Recover lab"_qs);

        QCOMPARE(lab->recover(),
            QStringList { u"lab mutex was held (generation 0): replaced by a fresh one (generation 1)"_qs });
        QCOMPARE(lab->labMutexGeneration(), 1);
        QVERIFY(lab->labMutex() != poisoned);
        QVERIFY(lab->labMutex(0) == poisoned); // kept alive: destroying a locked mutex is undefined
        QVERIFY(lab->labMutex()->tryLock(0));
        lab->labMutex()->unlock();
        QCOMPARE(lab->recover(), QStringList()); // nothing left to do

        KillableRun next(lab); // the next experiment runs on the fresh mutex
        QVERIFY(next.start(u"lock-holder"_qs, { u"steps=2"_qs, u"hold_ms=1"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(next.ended(), 5000);
        next.join();
        QCOMPARE(next.ctx().stepsDone(), 2);
        poisoned->unlock();
    }

    void killInsideTheLock_data()
    {
        QTest::addColumn<bool>("raii");
        QTest::newRow("raii=true: released by unwinding") << true;
        QTest::newRow("raii=false: held forever") << false;
    }
    void killInsideTheLock()
    {
        QFETCH(bool, raii);
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        // A long hold and no gap: the worker spends nearly all its time sleeping inside the lock.
        QVERIFY(run.start(
            u"lock-holder"_qs, { u"hold_ms=10000"_qs, u"gap_ms=0"_qs, raii ? u"raii=true"_qs : u"raii=false"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.has(u"lock acquired"_qs), 5000);
        run.kill();
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 5000); // landed in the sleep: the destructors ran
        run.join();
        QCOMPARE(run.ctx().stepsDone(), 0);
        const auto mutex = lab->labMutex(0);
        if (raii) {
            QVERIFY(mutex->tryLock(200));
            mutex->unlock();
            QVERIFY(LeakLedger::probe(run.events(), *lab).isEmpty());
        } else {
            QVERIFY(!mutex->tryLock(200)); // the real system: nobody can take it any more
            QCOMPARE(kinds(LeakLedger::probe(run.events(), *lab)), QStringList { u"lock"_qs });
            QCOMPARE(lab->recover().size(), 1);
            QVERIFY(lab->labMutex()->tryLock(0));
            lab->labMutex()->unlock();
            // The dead thread's lock can never be unlocked; leave the old mutex alive (the lab keeps it).
        }
    }

    void killedFileWriter_data()
    {
        QTest::addColumn<bool>("raii");
        QTest::addColumn<QStringList>("leakKinds");
        QTest::newRow("raii=true: only the file") << true << QStringList { u"file"_qs };
        QTest::newRow("raii=false: file, fd and memory") << false << QStringList { u"fd"_qs, u"file"_qs, u"memory"_qs };
    }
    void killedFileWriter()
    {
        QFETCH(bool, raii);
        QFETCH(QStringList, leakKinds);
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        QVERIFY(run.start(u"file-writer"_qs,
            { u"record_ms=1000"_qs, u"record_bytes=64"_qs, raii ? u"raii=true"_qs : u"raii=false"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.ctx().stepsDone() >= 1, 5000);
        run.kill();
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 5000);
        run.join();
        const QDir dir(lab->labDir());
        const QStringList parts = dir.entryList({ u"*.part"_qs }, QDir::Files);
        QCOMPARE(parts.size(), 1); // never committed
        QVERIFY(dir.entryList({ u"*.dat"_qs }, QDir::Files).isEmpty());
        const LeakList leaks = LeakLedger::probe(run.events(), *lab);
        QCOMPARE(kinds(leaks), leakKinds);
        for (const Leak &leak : leaks) {
            QVERIFY(!leak.meaning.isEmpty());
            if (leak.kind == u"file")
                QVERIFY2(leak.detail.contains(u"1 complete record"_qs), qPrintable(leak.detail));
        }
    }

    void halfWrittenRecordIsDetected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"x.dat"_qs);
        // Write two whole records with the workload, then cut the file inside the second.
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        QVERIFY(run.start(u"file-writer"_qs, { u"records=2"_qs, u"record_ms=0"_qs, u"record_bytes=100"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 5000);
        run.join();
        const QStringList files = QDir(lab->labDir()).entryList({ u"*.dat"_qs }, QDir::Files);
        QCOMPARE(files.size(), 1);
        QVERIFY(QFile::copy(QDir(lab->labDir()).filePath(files.first()), path));
        FileWriter::RecordScan whole = FileWriter::scanRecords(path);
        QCOMPARE(whole.completeRecords, 2);
        QVERIFY(!whole.halfWritten);
        QFile file(path);
        QVERIFY(file.resize(whole.sizeBytes - 30));
        const FileWriter::RecordScan cut = FileWriter::scanRecords(path);
        QCOMPARE(cut.completeRecords, 1);
        QVERIFY(cut.halfWritten);
        QCOMPARE(FileWriter::describe(cut), u"210 bytes, 1 complete record, the last record half-written"_qs);
    }

    void terminateCannotLandInBusyCode()
    {
        auto lab = std::make_shared<LabResources>();
        KillableRun run(lab);
        QVERIFY(run.start(u"cpu-ignore"_qs, { u"run_ms=300"_qs }));
        QTRY_VERIFY_WITH_TIMEOUT(run.ctx().stepsDone() > 0, 5000);
        run.kill();
        // The cancel stays pending; the loop ends by itself and the thread exits normally, no abort.
        QTRY_VERIFY_WITH_TIMEOUT(run.ended(), 10000);
        run.join();
        QVERIFY(run.ctx().stepsDone() > 1);
    }

    void processLeakProbesProc()
    {
        auto log = std::make_shared<EventLog>();
        LabResources lab;
        log->record(3, EventKind::Resource, qint64(::getpid()), u"process the test itself"_qs);
        log->record(3, EventKind::Resource, 999'999'999, u"process long gone"_qs);
        const LeakList leaks = LeakLedger::probe(log->all(), lab);
        QCOMPARE(leaks.size(), 1);
        QCOMPARE(leaks.first().detail, QStringLiteral("process %1 still running (orphan)").arg(::getpid()));
    }

    void fileProbeStaysInsideTheLabDir()
    {
        // A worker (or a host) may name any path: only its own lab directory is looked at, never blocking.
        auto log = std::make_shared<EventLog>();
        LabResources lab;
        const QString dir = lab.labDir();
        QVERIFY(TempRoot::isInside(dir, TempRoot::path()));
        const QString fifo = dir + u"/stuck.part"_qs;
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0); // opening it for reading would block
        const QString link = dir + u"/link.part"_qs;
        QVERIFY(QFile::link(u"/etc/hostname"_qs, link));
        log->record(4, EventKind::Resource, 0, u"file /etc/hostname"_qs);
        log->record(4, EventKind::Resource, 0, u"file "_qs + dir + u"/../../elsewhere.part"_qs);
        log->record(4, EventKind::Resource, 0, u"file "_qs + fifo);
        log->record(4, EventKind::Resource, 0, u"file "_qs + link);
        QElapsedTimer clock;
        clock.start();
        const LeakList leaks = LeakLedger::probe(log->all(), lab, 50);
        QVERIFY(clock.elapsed() < 10'000); // returned at all: nothing blocked
        QCOMPARE(leaks.size(), 4);
        QVERIFY2(
            leaks.at(0).detail.contains(u"outside the worker's lab dir: not read"_qs), qPrintable(leaks.at(0).detail));
        QVERIFY2(
            leaks.at(1).detail.contains(u"outside the worker's lab dir: not read"_qs), qPrintable(leaks.at(1).detail));
        QVERIFY2(leaks.at(2).detail.contains(u"not a regular file: not read"_qs), qPrintable(leaks.at(2).detail));
        QVERIFY2(leaks.at(3).detail.contains(u"not a regular file: not read"_qs), qPrintable(leaks.at(3).detail));
        // A host's files: its own directory is the only one allowed, the app's lab directory is not.
        auto hostLog = std::make_shared<EventLog>();
        hostLog->record(5, EventKind::Resource, 0, u"file "_qs + dir + u"/a.part"_qs);
        const LeakList hostLeaks = LeakLedger::probe(hostLog->all(), lab, 50, TempRoot::path() + u"/host-5-abcdef"_qs);
        QCOMPARE(hostLeaks.size(), 1);
        QVERIFY(hostLeaks.first().detail.contains(u"outside the host's lab dir: not read"_qs));
    }
};

QTEST_GUILESS_MAIN(TestLeakLedger)
#include "tst_leakledger.moc"
