// Tests of the isolation sandbox: each dangerous QThread::terminate() experiment hits the host, never the app.
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "process/forkserver.h"
#include "process/processsystem.h"
#include "process/processworker.h"
#include "workloads/workload.h"

#include "asanskip.h"
#include "taskstate.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTest>
#include <csignal>
#include <sys/wait.h>

using namespace threadlab;

namespace {

constexpr int TimeoutMs = 30000;

/// The outcome a built-in lesson expects of one of its workers (empty if the file or the entry is missing).
QString lessonOutcome(const QString &file, const QString &worker)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll())
        .object()
        .value(u"expect"_qs)
        .toObject()
        .value(worker)
        .toObject()
        .value(u"outcome"_qs)
        .toString();
}

} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void aborts_data();
    void aborts();
    void waitConditionDeadlockIsKilledByEscalation();
    void asyncCancelIsContained();
    void processOnly();
    void appStaysHealthy(); // keep last

private:
    std::unique_ptr<ProcessWorker> make(const QString &workload);

    std::shared_ptr<EventLog> m_log = std::make_shared<EventLog>();
    std::shared_ptr<LabResources> m_lab = std::make_shared<LabResources>();
    int m_nextId = 1;
    int m_startThreads = 0;
};

std::unique_ptr<ProcessWorker> TestSandbox::make(const QString &workload)
{
    WorkerSpec spec;
    spec.name = workload;
    spec.backend = Backend::Process;
    spec.workload = workload;
    QString error;
    if (!WorkloadRegistry::resolve(workload, QVariantMap(), &spec.params, &error))
        qFatal("bad workload in test: %s", qPrintable(error));
    return std::make_unique<ProcessWorker>(m_nextId++, spec, m_log, m_lab);
}

void TestSandbox::initTestCase()
{
    QString error;
    QVERIFY2(!ProcessSystem::hostExecutable(&error).isEmpty(), qPrintable(error));
    m_startThreads = testing::taskCount();
}

// After every experiment the APP is untouched: the lab's own mutex is free and still the first generation
// (nothing had to recover it), the app's thread count is back to its start, and no child process is left.
void TestSandbox::cleanup()
{
    const std::shared_ptr<QMutex> labMutex = m_lab->labMutex();
    QVERIFY(labMutex);
    QVERIFY2(labMutex->tryLock(0), "the lab mutex is held after a sandbox experiment");
    labMutex->unlock();
    QCOMPARE(m_lab->labMutexGeneration(), 0);
    QCOMPARE(m_lab->labMutexHolder(0), qint64(0));
    QVERIFY(m_lab->liveChildren().empty());
    QTRY_COMPARE_WITH_TIMEOUT(testing::taskCount(), m_startThreads, TimeoutMs);
    ForkServer::instance().stop(); // the resident fork server is a child too: it goes, and is reaped
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::unreapedChildren().isEmpty(), TimeoutMs);
    siginfo_t info {};
    errno = 0;
    QCOMPARE(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1);
    QCOMPARE(errno, ECHILD);
}

void TestSandbox::aborts_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QString>("stderrText");
    QTest::newRow("cancel-in-destructor")
        << u"sandbox-cancel-in-destructor"_qs << u"terminate called without an active exception"_qs;
    QTest::newRow("destroy-running-qthread")
        << u"sandbox-destroy-running-qthread"_qs << u"QThread: Destroyed while thread is still running"_qs;
    QTest::newRow("swallow-unwind") << u"sandbox-swallow-unwind"_qs << u"FATAL: exception not rethrown"_qs;
    QTest::newRow("raw-terminate") << u"sandbox-raw-terminate"_qs << u"terminate called without an active exception"_qs;
}

void TestSandbox::aborts()
{
    QFETCH(QString, workload);
    QFETCH(QString, stderrText);
    auto w = make(workload);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
    QCOMPARE(toString(w->outcome()), u"crashed"_qs);
    QCOMPARE(w->exitSignal().value_or(0), SIGABRT);
    QCOMPARE(w->exitDescription(), u"signal SIGABRT"_qs);
    QVERIFY2(w->stderrTail().contains(stderrText), qPrintable(w->stderrTail()));
    if (workload == u"sandbox-destroy-running-qthread") {
        // The lesson that shows this experiment says how it ends; the test holds the lesson to it.
        const QString lesson = QFINDTESTDATA("../resources/scenarios/12-daemon-threads-shutdown.json");
        QCOMPARE(lessonOutcome(lesson, u"destroy-running"_qs), toString(w->outcome()));
    }
}

void TestSandbox::waitConditionDeadlockIsKilledByEscalation()
{
    if (const char *why = testing::asanSkipReason(u"sandbox-waitcondition-deadlock"_qs))
        QSKIP(why);
    auto w = make(u"sandbox-waitcondition-deadlock"_qs);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stderrTail().contains(u"expect a deadlock"), TimeoutMs);
    QVERIFY(!w->hasEnded());
    QVERIFY(w->stop(StopMethod::Escalate, StopPolicy { 300, 5000 }));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    QCOMPARE(w->exitSignal().value_or(0), SIGKILL);
    QStringList kills;
    for (const Event &e : m_log->forWorker(w->id()))
        if (e.kind == EventKind::KillSent)
            kills << e.detail;
    QCOMPARE(kills, (QStringList { u"sigterm"_qs, u"force-group"_qs })); // request and SIGTERM were not enough
    QVERIFY(!w->stderrTail().contains(u"survived"));
}

void TestSandbox::asyncCancelIsContained()
{
    // Where an asynchronous cancel lands is chance: the host crashes, deadlocks in malloc or survives. The
    // test records which one happened and holds each to its own exact ending; cleanup() proves the app is
    // untouched whichever it was.
    auto w = make(u"sandbox-async-cancel"_qs);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded() || w->stderrTail().contains(u"probing malloc"), TimeoutMs);
    // A surviving host says so right after 10,000 mallocs (microseconds); one that says nothing for 10 s is
    // stuck in malloc's lock, left held by the cancelled thread. qWaitFor returns as soon as either shows.
    const bool settled = QTest::qWaitFor(
        [&w] { return w->hasEnded() || w->stderrTail().contains(u"the host survived the experiment"); }, 10000);
    const QString kind = w->hasEnded() ? u"crashed"_qs : settled ? u"survived"_qs : u"deadlocked"_qs;
    qInfo("async-cancel: the host %s", qPrintable(kind));
    if (kind == u"survived") {
        QVERIFY(w->stop(StopMethod::Request, StopPolicy { 5000, 5000 })); // its idle loop observes a request
        QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
        QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
        QCOMPARE(w->exitDescription(), u"exit code 0"_qs);
    } else if (kind == u"deadlocked") {
        QVERIFY(w->stop(StopMethod::Escalate, StopPolicy { 500, 5000 }));
        QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
        QCOMPARE(toString(w->outcome()), toString(Outcome::Killed));
        QCOMPARE(w->exitDescription(), u"signal SIGKILL"_qs);
    } else {
        QCOMPARE(toString(w->outcome()), toString(Outcome::Crashed));
        QVERIFY2(w->exitSignal().has_value(), qPrintable(w->exitDescription()));
        QCOMPARE(w->exitDescription(), u"signal "_qs + ProcessSystem::signalName(*w->exitSignal()));
    }
}

void TestSandbox::processOnly()
{
    for (const QString &name : { u"sandbox-async-cancel"_qs, u"sandbox-cancel-in-destructor"_qs,
             u"sandbox-waitcondition-deadlock"_qs, u"sandbox-destroy-running-qthread"_qs, u"sandbox-swallow-unwind"_qs,
             u"sandbox-raw-terminate"_qs, u"crash"_qs }) {
        const WorkloadInfo *info = WorkloadRegistry::find(name);
        QVERIFY2(info, qPrintable(name));
        QVERIFY(info->processOnly);
        QVERIFY(!WorkloadRegistry::names(false).contains(name));
    }
}

void TestSandbox::appStaysHealthy()
{
    // After all experiments (cleanup() checked each one): the app can still run a host to a normal end.
    auto w = make(u"sleep-steps"_qs);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, TimeoutMs);
    QVERIFY(w->stop(StopMethod::Request, StopPolicy { 5000, 5000 }));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
    QCOMPARE(toString(w->outcome()), toString(Outcome::Stopped));
    QCOMPARE(w->exitDescription(), u"exit code 0"_qs);
}

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
