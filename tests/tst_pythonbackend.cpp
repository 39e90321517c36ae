// Tests of the python and python-process backends against a real CPython: each stop method's outcome, leaks, orphans.
#include "events/eventlog.h"
#include "lab/workerfactory.h"
#include "ledger/labresources.h"
#include "model/workerfold.h"
#include "process/processsystem.h"
#include "process/processworker.h"
#include "process/pythonworkloads.h"
#include "scenarios/scenario.h"
#include "scenarios/scenariocatalogue.h"

#include "missingtool.h"

#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <csignal>

using namespace threadlab;

namespace {

constexpr int StartTimeoutMs = 20000;
constexpr int EndTimeoutMs = 30000;

} // namespace

class TestPythonBackend : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void vocabulary();
    void stopMethods_data();
    void stopMethods();
    void asyncExcWaitsForTheSleep();
    void settraceNeedsTheTrace();
    void lockHeldAfterAsyncExc_data();
    void lockHeldAfterAsyncExc();
    void daemonAbandonedAtInterpreterExit();
    void spawnerKillLeavesGrandchildren();
    void badParamsRefused();
    void refusedWithoutPython(); // changes the environment: keep near the end
    void noUnreapedChildren(); // keep last

private:
    std::unique_ptr<Worker> make(Backend backend, const QString &workload, const QVariantMap &given);
    std::unique_ptr<Worker> startRunning(Backend backend, const QString &workload, const QVariantMap &given);
    WorkerFold fold(const Worker &w) const { return WorkerFold::of(w.id(), m_log->forWorker(w.id())); }

    std::shared_ptr<EventLog> m_log = std::make_shared<EventLog>();
    std::shared_ptr<LabResources> m_lab = std::make_shared<LabResources>();
    int m_nextId = 1;
};

std::unique_ptr<Worker> TestPythonBackend::make(Backend backend, const QString &workload, const QVariantMap &given)
{
    WorkerSpec spec;
    spec.name = workload;
    spec.backend = backend;
    spec.workload = workload;
    spec.params = given;
    QString error;
    std::unique_ptr<Worker> w(WorkerFactory::create(m_nextId++, spec, m_log, m_lab, nullptr, nullptr, &error));
    if (!w)
        qFatal("cannot make the worker in the test: %s", qPrintable(error));
    return w;
}

std::unique_ptr<Worker> TestPythonBackend::startRunning(
    Backend backend, const QString &workload, const QVariantMap &given)
{
    auto w = make(backend, workload, given);
    w->start();
    // Running after the hello; steps once the workload really runs (CPython starts slowly on a loaded machine).
    const auto working = [&] {
        if (w->stepsDone() > 0 || w->hasEnded())
            return true;
        // blocking-wait does no step before its wait ends: it says where it waits instead.
        const EventList events = m_log->forWorker(w->id());
        return std::any_of(events.cbegin(), events.cend(),
            [](const Event &e) { return e.kind == EventKind::Note && e.detail.startsWith(u"waiting in "); });
    };
    if (!QTest::qWaitFor(working, StartTimeoutMs))
        qWarning("worker %s did not report a step in time", qPrintable(workload));
    return w;
}

void TestPythonBackend::initTestCase()
{
    QString error;
    const ProcessSystem::PythonHost host = ProcessSystem::pythonHost(&error);
    if (host.interpreter.isEmpty())
        THREADLAB_MISSING(u"the python backends need python3 and the host: "_qs + error);
    QVERIFY(host.script.endsWith(u"threadlab-pyhost.py"));
}

void TestPythonBackend::vocabulary()
{
    QCOMPARE(toString(Backend::Python), u"python"_qs);
    QCOMPARE(toString(Backend::PythonProcess), u"python-process"_qs);
    QVERIFY(!isInProcess(Backend::Python));
    QVERIFY(supports(Backend::Python, StopMethod::AsyncExc));
    QVERIFY(supports(Backend::Python, StopMethod::Settrace));
    QVERIFY(!supports(Backend::Python, StopMethod::Force));
    QVERIFY(supports(Backend::PythonProcess, StopMethod::Force));
    QVERIFY(!supports(Backend::Thread, StopMethod::AsyncExc));
    // A method the backend does not offer is refused with the allowed ones named.
    const auto refusal = backendRefusal(Backend::Thread, StopMethod::AsyncExc);
    QVERIFY(refusal);
    QVERIFY2(describe(*refusal).contains(u"allowed: request, force, escalate"), qPrintable(describe(*refusal)));
    QVERIFY(stopMethodFromString(u"async-exc") == StopMethod::AsyncExc);
    QVERIFY(stopMethodFromString(u"interpreter-exit") == StopMethod::InterpreterExit);
}

void TestPythonBackend::stopMethods_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<StopMethod>("method");
    QTest::addColumn<Outcome>("outcome");

    const QVariantMap sleep { { u"step_ms"_qs, 20 } };
    const QVariantMap busy { { u"run_ms"_qs, 60000 } };
    const QVariantMap traced { { u"run_ms"_qs, 60000 }, { u"trace"_qs, true } };
    const QVariantMap handled { { u"run_ms"_qs, 60000 }, { u"sigterm_handler"_qs, true } };
    const auto P = Backend::Python;
    const auto PP = Backend::PythonProcess;
    QTest::newRow("python cpu-spin request")
        << P << u"cpu-spin"_qs << QVariantMap() << StopMethod::Request << Outcome::Stopped;
    QTest::newRow("python sleep-steps request")
        << P << u"sleep-steps"_qs << sleep << StopMethod::Request << Outcome::Stopped;
    QTest::newRow("python cpu-ignore async-exc")
        << P << u"cpu-ignore"_qs << busy << StopMethod::AsyncExc << Outcome::Killed;
    QTest::newRow("python cpu-ignore settrace")
        << P << u"cpu-ignore"_qs << traced << StopMethod::Settrace << Outcome::Killed;
    QTest::newRow("python cpu-ignore async-exc repeated")
        << P << u"cpu-ignore"_qs << QVariantMap { { u"run_ms"_qs, 60000 }, { u"repeat_ms"_qs, 5 } }
        << StopMethod::AsyncExc << Outcome::Killed;
    QTest::newRow("python cpu-ignore escalate")
        << P << u"cpu-ignore"_qs << busy << StopMethod::Escalate << Outcome::Killed;
    QTest::newRow("python sleep-steps escalate")
        << P << u"sleep-steps"_qs << sleep << StopMethod::Escalate << Outcome::Stopped;
    QTest::newRow("python blocking-wait notify request")
        << P << u"blocking-wait"_qs << QVariantMap { { u"wait"_qs, u"queue"_qs }, { u"wake"_qs, u"notify"_qs } }
        << StopMethod::Request << Outcome::Stopped;
    QTest::newRow("python-process sleep-steps request")
        << PP << u"sleep-steps"_qs << sleep << StopMethod::Request << Outcome::Stopped;
    QTest::newRow("python-process cpu-ignore sigterm")
        << PP << u"cpu-ignore"_qs << busy << StopMethod::Sigterm << Outcome::Killed;
    QTest::newRow("python-process cpu-ignore sigterm handled")
        << PP << u"cpu-ignore"_qs << handled << StopMethod::Sigterm << Outcome::Stopped;
    QTest::newRow("python-process cpu-ignore force")
        << PP << u"cpu-ignore"_qs << busy << StopMethod::Force << Outcome::Killed;
    QTest::newRow("python-process cpu-ignore escalate")
        << PP << u"cpu-ignore"_qs << busy << StopMethod::Escalate << Outcome::Killed;
}

void TestPythonBackend::stopMethods()
{
    QFETCH(Backend, backend);
    QFETCH(QString, workload);
    QFETCH(QVariantMap, params);
    QFETCH(StopMethod, method);
    QFETCH(Outcome, outcome);

    auto w = startRunning(backend, workload, params);
    QVERIFY(!w->hasEnded());
    QString reason;
    QVERIFY2(w->stop(method, StopPolicy { 300, 10000 }, &reason), qPrintable(reason));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), toString(outcome));
    const WorkerFold f = fold(*w);
    QCOMPARE(toString(f.outcome()), toString(outcome));
    if (outcome == Outcome::Killed)
        QVERIFY(f.latencies().kill.has_value());
    auto *pw = qobject_cast<ProcessWorker *>(w.get());
    QVERIFY(pw);
    QCOMPARE(pw->exitCode().value_or(-1), 0); // the host itself ends cleanly and says bye
    QVERIFY(!ProcessSystem::isAlive(pw->pid()));
    QVERIFY(pw->orphanPids().isEmpty());
}

void TestPythonBackend::asyncExcWaitsForTheSleep()
{
    // An async exception is checked between bytecodes: a thread inside time.sleep(0.5) sees it only when the
    // sleep returns. The kill is sent right after the first step, so most of a 500 ms sleep is still ahead.
    auto w = startRunning(Backend::Python, u"sleep-steps"_qs, { { u"step_ms"_qs, 500 } });
    QVERIFY(w->stop(StopMethod::AsyncExc, StopPolicy { 300, 10000 }));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    const auto kill = fold(*w).latencies().kill;
    QVERIFY(kill);
    QVERIFY2(*kill > 100'000'000, qPrintable(formatDuration(*kill))); // generous: typically ~450 ms
}

void TestPythonBackend::settraceNeedsTheTrace()
{
    // KThread.kill() only sets a flag that the trace function reads: a thread started untraced never sees it.
    auto w = startRunning(Backend::Python, u"cpu-ignore"_qs, { { u"run_ms"_qs, 1500 } });
    QSignalSpy ended(w.get(), &Worker::ended);
    QVERIFY(w->stop(StopMethod::Settrace, StopPolicy { 100, 200 }));
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"ignored"_qs);
    bool killTimeout = false;
    for (const Event &e : m_log->forWorker(w->id()))
        killTimeout = killTimeout || e.kind == EventKind::KillTimeout;
    QVERIFY(killTimeout);
}

void TestPythonBackend::lockHeldAfterAsyncExc_data()
{
    QTest::addColumn<bool>("raii");
    QTest::newRow("raw acquire") << false;
    QTest::newRow("with lock") << true;
}

void TestPythonBackend::lockHeldAfterAsyncExc()
{
    QFETCH(bool, raii);
    auto w = startRunning(Backend::Python, u"lock-holder"_qs,
        { { u"raii"_qs, raii }, { u"hold_ms"_qs, 100 }, { u"gap_ms"_qs, 0 }, { u"steps"_qs, 100000 } });
    QSignalSpy probed(w.get(), &Worker::leaksProbed);
    QVERIFY(w->stop(StopMethod::AsyncExc, StopPolicy { 300, 10000 }));
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    bool lockLeak = false;
    for (const Leak &l : w->leaks())
        lockLeak = lockLeak || l.kind == u"lock";
    QCOMPARE(lockLeak, !raii);
}

void TestPythonBackend::daemonAbandonedAtInterpreterExit()
{
    // A daemon thread is abandoned when the interpreter exits: its clean-up never runs, its .part stays on disk.
    auto w = startRunning(Backend::Python, u"file-writer"_qs,
        { { u"daemon"_qs, true }, { u"records"_qs, 100000 }, { u"record_ms"_qs, 5 }, { u"record_bytes"_qs, 64 } });
    QSignalSpy probed(w.get(), &Worker::leaksProbed);
    QVERIFY(w->stop(StopMethod::InterpreterExit, StopPolicy { 300, 10000 }));
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    bool fileLeak = false;
    for (const Leak &l : w->leaks())
        fileLeak = fileLeak || l.kind == u"file";
    QVERIFY(fileLeak);
}

void TestPythonBackend::spawnerKillLeavesGrandchildren()
{
    auto w = startRunning(Backend::PythonProcess, u"spawner"_qs, { { u"children"_qs, 2 } });
    QSignalSpy probed(w.get(), &Worker::leaksProbed);
    QVERIFY(w->stop(StopMethod::Force, StopPolicy { 300, 10000 }));
    QTRY_COMPARE_WITH_TIMEOUT(probed.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    auto *pw = qobject_cast<ProcessWorker *>(w.get());
    QVERIFY(pw);
    QCOMPARE(pw->orphanPids().size(), 2); // kill() reaches the child only: its grandchildren survive
    int processLeaks = 0;
    for (const Leak &l : w->leaks())
        processLeaks += l.kind == u"process" ? 1 : 0;
    QCOMPARE(processLeaks, 2);
    QCOMPARE(pw->killOrphans(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::processesInGroup(pw->pgid()).isEmpty(), EndTimeoutMs);
}

void TestPythonBackend::badParamsRefused()
{
    Params out;
    QString error;
    QVERIFY(!WorkerFactory::resolveParams(
        Backend::Python, u"blocking-wait"_qs, QStringList { u"wait=pipe"_qs }, &out, &error));
    QVERIFY2(error.contains(u"allowed: sleep|event|queue|recv"), qPrintable(error));
    QVERIFY(!WorkerFactory::resolveParams(Backend::Python, u"crash"_qs, QVariantMap(), &out, &error));
    QVERIFY2(error.contains(u"unknown workload 'crash'"), qPrintable(error));
    QVERIFY(WorkerFactory::resolveParams(
        Backend::Python, u"cpu-ignore"_qs, QStringList { u"trace=true"_qs }, &out, &error));
    QCOMPARE(out.value(u"trace"_qs).toBool(), true);
}

void TestPythonBackend::refusedWithoutPython()
{
    qputenv("THREADLAB_PYTHON", "/nonexistent/python3");
    WorkerSpec spec { u"p"_qs, Backend::Python, u"sleep-steps"_qs, {} };
    QString error;
    std::unique_ptr<Worker> w(WorkerFactory::create(m_nextId++, spec, m_log, m_lab, nullptr, nullptr, &error));
    // A lesson with a Python lane is skipped with the reason, its other lanes unaffected.
    QString loadError;
    const auto lesson = ScenarioCatalogue::load(u"16-python-async-exception"_qs, &loadError);
    qunsetenv("THREADLAB_PYTHON");
    QVERIFY(!w);
    QVERIFY2(error.startsWith(u"backend python is not available: python3 not found"), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
    QVERIFY2(lesson, qPrintable(loadError));
    const ScenarioWorker *python = lesson->worker(u"py-busy"_qs);
    const ScenarioWorker *qt = lesson->worker(u"qt-busy"_qs);
    QVERIFY(python && qt);
    qputenv("THREADLAB_PYTHON", "/nonexistent/python3");
    const QString pythonWhy = Scenario::unavailableReason(*python);
    const QString qtWhy = Scenario::unavailableReason(*qt);
    qunsetenv("THREADLAB_PYTHON");
    QVERIFY2(pythonWhy.startsWith(u"backend python is not available: python3 not found"), qPrintable(pythonWhy));
    QVERIFY2(qtWhy.isEmpty(), qPrintable(qtWhy));
}

void TestPythonBackend::noUnreapedChildren()
{
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::unreapedChildren().isEmpty(), EndTimeoutMs);
}

QTEST_GUILESS_MAIN(TestPythonBackend)
#include "tst_pythonbackend.moc"
