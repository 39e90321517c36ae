// Tests of the isolation sandbox: each dangerous QThread::terminate() experiment hits the host, never the app.
#include "ledger/labresources.h"
#include "process/processsystem.h"
#include "process/processworker.h"
#include "events/eventlog.h"
#include "workloads/workload.h"

#include <QMutex>
#include <QTest>
#include <csignal>
#include <sys/wait.h>

using namespace threadlab;

namespace {

constexpr int TimeoutMs = 30000;

} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
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
}

void TestSandbox::waitConditionDeadlockIsKilledByEscalation()
{
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's interceptors change how a cancelled QWaitCondition::wait leaves its internal lock,
    // so the host does not reach the deadlock this demonstrates; the unsanitized suite covers it.
    QSKIP("the sanitizer changes the deadlock this demonstrates (covered by the unsanitized run)");
#endif
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
    // Where an asynchronous cancel lands is luck: the host may crash, deadlock (ended by the escalation)
    // or survive. Whatever happens stays in the host.
    auto w = make(u"sandbox-async-cancel"_qs);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded() || w->stderrTail().contains(u"probing malloc"), TimeoutMs);
    QTest::qWait(300); // give a deadlock or a crash the chance to show (an observation window, not a sync)
    if (!w->hasEnded())
        QVERIFY(w->stop(StopMethod::Escalate, StopPolicy { 500, 5000 }));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), TimeoutMs);
    const Outcome o = w->outcome();
    QVERIFY2(o == Outcome::Stopped || o == Outcome::Killed || o == Outcome::Crashed, qPrintable(toString(o)));
    qInfo("async-cancel outcome: %s (%s)", qPrintable(toString(o)), qPrintable(w->exitDescription()));
}

void TestSandbox::processOnly()
{
    for (const QString &name :
        { u"sandbox-async-cancel"_qs, u"sandbox-cancel-in-destructor"_qs, u"sandbox-waitcondition-deadlock"_qs,
            u"sandbox-destroy-running-qthread"_qs, u"sandbox-swallow-unwind"_qs, u"crash"_qs }) {
        const WorkloadInfo *info = WorkloadRegistry::find(name);
        QVERIFY2(info, qPrintable(name));
        QVERIFY(info->processOnly);
        QVERIFY(!WorkloadRegistry::names(false).contains(name));
    }
}

void TestSandbox::appStaysHealthy()
{
    QMutex m;
    QVERIFY(m.tryLock(100));
    m.unlock();
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::unreapedChildren().isEmpty(), TimeoutMs);
    siginfo_t info {};
    errno = 0;
    QCOMPARE(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1);
    QCOMPARE(errno, ECHILD);
}

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
