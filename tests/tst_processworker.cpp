// Tests of the process backend against the real system: stop methods, exits, orphans, .part files, faults, zombies.
#include "events/eventlog.h"
#include "lab/workerfactory.h"
#include "ledger/labresources.h"
#include "ledger/temproot.h"
#include "process/forkserver.h"
#include "process/hoststartqueue.h"
#include "process/processbench.h"
#include "process/processrunjson.h"
#include "process/processsystem.h"
#include "process/processtree.h"
#include "process/processworker.h"
#include "workloads/workload.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace threadlab;

namespace {

constexpr int StartTimeoutMs = 15000;
constexpr int EndTimeoutMs = 20000;

bool hasEvent(const EventLog &log, int worker, EventKind kind)
{
    const EventList events = log.forWorker(worker);
    return std::any_of(events.cbegin(), events.cend(), [kind](const Event &e) { return e.kind == kind; });
}

/// Our unreaped children but the fork server and its idle spare host (resident while the app runs, when hosts are
/// forked by it; a spare not taken by a worker is no worker's host).
QList<qint64> unreapedHosts()
{
    QList<qint64> out = ProcessSystem::unreapedChildren();
    out.removeAll(ForkServer::instance().serverPid());
    out.removeAll(ForkServer::instance().sparePid());
    return out;
}

} // namespace

class TestProcessWorker : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void stopMethods_data();
    void stopMethods();
    void crashes_data();
    void crashes();
    void sigtermGraceExpiresThenIgnored();
    void snapshotWhileRunning();
    void spawnerForceLeavesOrphans();
    void spawnerForceGroupLeavesNone();
    void setsidEscaperReportedAndKilled();
    void fileWriterForceLeavesPart();
    void faultyHost_data();
    void faultyHost();
    void factoryMakesProcessWorkers();
    void runJson();
    void manyWorkersLeaveNothing();
    void startQueueIsBounded();
    void benchSmoke();
    void noUnreapedChildren(); // keep last

private:
    std::unique_ptr<ProcessWorker> make(const QString &workload, const QVariantMap &given);

    std::shared_ptr<EventLog> m_log = std::make_shared<EventLog>();
    std::shared_ptr<LabResources> m_lab = std::make_shared<LabResources>();
    int m_nextId = 1;
};

std::unique_ptr<ProcessWorker> TestProcessWorker::make(const QString &workload, const QVariantMap &given)
{
    WorkerSpec spec;
    spec.name = workload;
    spec.backend = Backend::Process;
    spec.workload = workload;
    QString error;
    if (!WorkloadRegistry::resolve(workload, given, &spec.params, &error))
        qFatal("bad params in test: %s", qPrintable(error));
    return std::make_unique<ProcessWorker>(m_nextId++, spec, m_log, m_lab);
}

void TestProcessWorker::initTestCase()
{
    QString error;
    QVERIFY2(!ProcessSystem::hostExecutable(&error).isEmpty(), qPrintable(error));
}

void TestProcessWorker::stopMethods_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<StopMethod>("method");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<int>("signal"); // 0: a normal exit
    QTest::addColumn<int>("code");

    const QVariantMap sleep { { u"step_ms"_qs, 10 } };
    QTest::newRow("sleep-steps request") << u"sleep-steps"_qs << sleep << StopMethod::Request << Outcome::Stopped << 0
                                         << 0;
    QTest::newRow("sleep-steps sigterm") << u"sleep-steps"_qs << sleep << StopMethod::Sigterm << Outcome::Stopped << 0
                                         << 0;
    QTest::newRow("sleep-steps force") << u"sleep-steps"_qs << sleep << StopMethod::Force << Outcome::Killed << SIGKILL
                                       << 0;
    QTest::newRow("sleep-steps force-group")
        << u"sleep-steps"_qs << sleep << StopMethod::ForceGroup << Outcome::Killed << SIGKILL << 0;
    QTest::newRow("sleep-steps escalate")
        << u"sleep-steps"_qs << sleep << StopMethod::Escalate << Outcome::Stopped << 0 << 0;
    QTest::newRow("cpu-spin request") << u"cpu-spin"_qs << QVariantMap() << StopMethod::Request << Outcome::Stopped << 0
                                      << 0;
    QTest::newRow("cpu-ignore escalate") << u"cpu-ignore"_qs << QVariantMap() << StopMethod::Escalate << Outcome::Killed
                                         << SIGKILL << 0;
}

void TestProcessWorker::stopMethods()
{
    QFETCH(QString, workload);
    QFETCH(QVariantMap, params);
    QFETCH(StopMethod, method);
    QFETCH(Outcome, outcome);
    QFETCH(int, signal);
    QFETCH(int, code);

    auto w = make(workload, params);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, StartTimeoutMs);
    QVERIFY(ProcessSystem::isAlive(w->pid()));
    QCOMPARE(w->pgid(), w->pid()); // its own process group
    QCOMPARE(ProcessSystem::processesInGroup(w->pgid()), QList<qint64> { w->pid() });

    QString reason;
    QVERIFY2(w->stop(method, StopPolicy { 400, 5000 }, &reason), qPrintable(reason));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), toString(outcome));
    if (signal) {
        QCOMPARE(w->exitSignal().value_or(0), signal);
        QCOMPARE(w->exitDescription(), u"signal "_qs + ProcessSystem::signalName(signal));
    } else {
        QCOMPARE(w->exitCode().value_or(-1), code);
    }
    QVERIFY(!ProcessSystem::isAlive(w->pid()));
    QVERIFY(w->orphanPids().isEmpty());
    bool killSent = false, joined = false;
    for (const Event &e : m_log->forWorker(w->id())) {
        killSent |= e.kind == EventKind::KillSent;
        joined |= e.kind == EventKind::Joined;
    }
    QVERIFY(joined);
    QCOMPARE(killSent, method != StopMethod::Request && !(method == StopMethod::Escalate && !signal));
}

void TestProcessWorker::crashes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("code");
    QTest::newRow("segv") << u"segv"_qs << SIGSEGV << -1;
    QTest::newRow("abort") << u"abort"_qs << SIGABRT << -1;
    QTest::newRow("exit") << u"exit"_qs << 0 << 3;
}

void TestProcessWorker::crashes()
{
    QFETCH(QString, mode);
    QFETCH(int, signal);
    QFETCH(int, code);
    auto w = make(u"crash"_qs, { { u"mode"_qs, mode }, { u"after_ms"_qs, 50 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"crashed"_qs);
    if (signal)
        QCOMPARE(w->exitSignal().value_or(0), signal);
    else
        QCOMPARE(w->exitCode().value_or(-1), code);
    QVERIFY(w->stderrTail().contains(u"crash: dying now, mode="_qs + mode));
}

void TestProcessWorker::sigtermGraceExpiresThenIgnored()
{
    // SIGTERM is a graceful stop for the host, not a kill: its grace running out is grace-expired. The host
    // reading the signal is not the workload observing it: cpu-ignore never does, so it ends ignored.
    auto w = make(u"cpu-ignore"_qs, { { u"run_ms"_qs, 3000 } });
    QSignalSpy finished(w.get(), &Worker::finished);
    QSignalSpy ended(w.get(), &Worker::ended);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, StartTimeoutMs);
    QVERIFY(w->stop(StopMethod::Sigterm, StopPolicy { 200, 1000 }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(Outcome(finished.at(0).at(1).toInt())), u"unresponsive"_qs);
    if (!w->hasEnded())
        QCOMPARE(toString(w->state()), u"unresponsive"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, EndTimeoutMs);
    QCOMPARE(toString(Outcome(ended.at(0).at(1).toInt())), u"ignored"_qs);
    QCOMPARE(toString(w->outcome()), u"ignored"_qs);
    QCOMPARE(toString(w->state()), u"finished"_qs);
    QCOMPARE(w->exitCode().value_or(-1), 0);
    bool grace = false, killTimeout = false, observed = false, byeIgnored = false;
    QStringList outcomes;
    for (const Event &e : m_log->forWorker(w->id())) {
        grace = grace || e.kind == EventKind::GraceExpired;
        killTimeout = killTimeout || e.kind == EventKind::KillTimeout;
        observed = observed || e.kind == EventKind::StopObserved;
        byeIgnored = byeIgnored || (e.kind == EventKind::Note && e.detail == u"bye: ignored");
        if (e.kind == EventKind::Outcome)
            outcomes << toString(Outcome(e.value));
    }
    QVERIFY(grace);
    QVERIFY(!killTimeout);
    QVERIFY(!observed);
    QVERIFY(byeIgnored); // the host settles by the same rule
    QCOMPARE(outcomes, QStringList({ u"unresponsive"_qs, u"ignored"_qs }));
}

void TestProcessWorker::snapshotWhileRunning()
{
    auto w = make(u"cpu-spin"_qs, {});
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 0, StartTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(w->cpuTimeNs() > 0, StartTimeoutMs);
    const Worker &base = *w;
    const WorkerSnapshot snap = base.snapshot();
    QCOMPARE(snap.id, w->id());
    QCOMPARE(snap.name, u"cpu-spin"_qs);
    QCOMPARE(toString(snap.backend), u"process"_qs);
    QCOMPARE(snap.hostPid, w->pid());
    QVERIFY(snap.hostPid > 0);
    QVERIFY(snap.stepsDone > 0);
    QVERIFY(snap.cpuTimeNs > 0);
    QVERIFY(snap.orphanPids.isEmpty());
    QVERIFY(!snap.leaksKnown);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"stopped"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(base.snapshot().leaksKnown, EndTimeoutMs);
    QVERIFY(base.snapshot().cpuTimeNs > 0); // the last figure stays after the reap
}

void TestProcessWorker::spawnerForceLeavesOrphans()
{
    auto w = make(u"spawner"_qs, { { u"children"_qs, 2 } });
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(w->childPids().size(), 2, StartTimeoutMs);
    // The children's resource events (what the leak probe reads) travel in the host's event stream, after the
    // pids: its first step comes after both, so a kill from here cannot cut the second one off (seen under load).
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*m_log, w->id(), EventKind::FirstStep), StartTimeoutMs);
    const QList<qint64> children = w->childPids();
    for (qint64 pid : children)
        QVERIFY(ProcessSystem::processesInGroup(w->pgid()).contains(pid)); // they inherited the group
    QSignalSpy orphans(w.get(), &ProcessWorker::orphansFound);
    QVERIFY(w->stop(StopMethod::Force));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    QCOMPARE(orphans.size(), 1);
    QList<qint64> found = w->orphanPids();
    std::sort(found.begin(), found.end());
    QList<qint64> expected = children;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(found, expected);
    for (qint64 pid : children)
        QVERIFY(ProcessSystem::isAlive(pid)); // live pids in /proc
    // The one snapshot type says it all, no downcast needed.
    const Worker &base = *w;
    WorkerSnapshot snap = base.snapshot();
    QCOMPARE(snap.hostPid, w->pid());
    QCOMPARE(toString(snap.backend), u"process"_qs);
    QCOMPARE(snap.workload, u"spawner"_qs);
    std::sort(snap.orphanPids.begin(), snap.orphanPids.end());
    QCOMPARE(snap.orphanPids, expected);
    QTRY_VERIFY_WITH_TIMEOUT(w->leaksKnown(), EndTimeoutMs);
    int processLeaks = 0;
    for (const Leak &l : w->leaks())
        processLeaks += l.kind == u"process";
    QCOMPARE(processLeaks, 2);

    QCOMPARE(w->killOrphans(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::processesInGroup(w->pgid()).isEmpty(), EndTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(base.snapshot().orphanPids.isEmpty(), EndTimeoutMs); // the snapshot is current
}

void TestProcessWorker::spawnerForceGroupLeavesNone()
{
    auto w = make(u"spawner"_qs, { { u"children"_qs, 2 } });
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(w->childPids().size(), 2, StartTimeoutMs);
    // The children's resource events (what the leak probe reads) travel in the host's event stream, after the
    // pids: its first step comes after both, so a kill from here cannot cut the second one off (seen under load).
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*m_log, w->id(), EventKind::FirstStep), StartTimeoutMs);
    const QList<qint64> children = w->childPids();
    QVERIFY(w->stop(StopMethod::ForceGroup));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::processesInGroup(w->pgid()).isEmpty(), EndTimeoutMs);
    for (qint64 pid : children)
        QTRY_VERIFY_WITH_TIMEOUT(!ProcessSystem::isAlive(pid), EndTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(w->leaksKnown(), EndTimeoutMs);
    for (const Leak &l : w->leaks())
        QVERIFY2(l.kind != u"process", qPrintable(l.detail));
}

namespace {
/// The session id of a live process (field 6 of /proc/<pid>/stat), 0 if it is gone.
qint64 sessionOf(qint64 pid)
{
    QFile f(u"/proc/%1/stat"_qs.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray s = f.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 3 ? fields.at(3).toLongLong() : 0;
}
} // namespace

void TestProcessWorker::setsidEscaperReportedAndKilled()
{
    // Grandchildren that called setsid(): a group kill misses them; the app (a child subreaper that tracks
    // them by pidfd) still reports them as orphans and kills them.
    auto w = make(u"spawner"_qs, { { u"children"_qs, 2 }, { u"setsid"_qs, true } });
    w->start();
    QTRY_COMPARE_WITH_TIMEOUT(w->childPids().size(), 2, StartTimeoutMs);
    // The children's resource events (what the leak probe reads) travel in the host's event stream, after the
    // pids: its first step comes after both, so a kill from here cannot cut the second one off (seen under load).
    QTRY_VERIFY_WITH_TIMEOUT(hasEvent(*m_log, w->id(), EventKind::FirstStep), StartTimeoutMs);
    const QList<qint64> children = w->childPids();
    for (qint64 pid : children) {
        QCOMPARE(sessionOf(pid), pid); // escaped: a session (and group) of its own
        QVERIFY(!ProcessSystem::processesInGroup(w->pgid()).contains(pid));
    }
    QVERIFY(ProcessTree::isSubreaper());
    QVERIFY(w->stop(StopMethod::ForceGroup));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    QList<qint64> found = w->orphanPids();
    std::sort(found.begin(), found.end());
    QList<qint64> expected = children;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(found, expected);
    for (qint64 pid : children) {
        QVERIFY(ProcessSystem::isAlive(pid)); // the group kill missed them
        QCOMPARE(ProcessSystem::unreapedChildren().contains(pid), true); // re-parented to us
    }
    QTRY_VERIFY_WITH_TIMEOUT(w->leaksKnown(), EndTimeoutMs);
    int processLeaks = 0;
    for (const Leak &l : w->leaks())
        processLeaks += l.kind == u"process";
    QCOMPARE(processLeaks, 2);
    QCOMPARE(w->killOrphans(), 2);
    for (qint64 pid : children) // killed and reaped by the app: gone from /proc, not even a zombie
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(u"/proc/%1"_qs.arg(pid)) || sessionOf(pid) != pid, EndTimeoutMs);
    QVERIFY(w->snapshot().orphanPids.isEmpty());
}

void TestProcessWorker::fileWriterForceLeavesPart()
{
    auto w = make(u"file-writer"_qs, { { u"records"_qs, 100000 }, { u"record_ms"_qs, 5 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->stepsDone() > 2, StartTimeoutMs);
    QVERIFY(w->stop(StopMethod::Force));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"killed"_qs);
    QString partPath;
    for (const Event &e : m_log->forWorker(w->id()))
        if (e.kind == EventKind::Resource && e.detail.startsWith(u"file "))
            partPath = e.detail.mid(5);
    QVERIFY(partPath.endsWith(u".part"));
    // The OS reclaims descriptors and memory, not files: the probe finds it on disk (and says its size).
    QTRY_VERIFY_WITH_TIMEOUT(w->leaksKnown(), EndTimeoutMs);
    bool reported = false;
    for (const Leak &l : w->leaks()) {
        QVERIFY2(l.kind == u"file", qPrintable(l.kind + u": "_qs + l.detail)); // no false fd/memory leaks
        reported |= l.detail.contains(partPath) && l.detail.contains(u"left on disk"_qs);
    }
    QVERIFY(reported);
    // The host's own directory (inside the app's temporary root) goes once the report has looked at it.
    QVERIFY(TempRoot::isInside(partPath, TempRoot::path()));
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(QFileInfo(partPath).absolutePath()), EndTimeoutMs);
}

void TestProcessWorker::faultyHost_data()
{
    QTest::addColumn<QByteArray>("mode");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("quoted");
    QTest::addColumn<bool>("exec"); // started by QProcess, which does not report the end of stdout while the host runs
    QTest::newRow("no-hello") << QByteArray("no-hello") << u"no hello within 1500 ms"_qs << QString() << false;
    QTest::newRow("malformed") << QByteArray("malformed") << u"malformed JSON: "_qs
                               << u"input: \"{\"type\": \"hello\", this is not JSON\""_qs << false;
    QTest::newRow("oversized") << QByteArray("oversized") << u"line too long: "_qs << u"input: \"xxxxxxxx"_qs << false;
    QTest::newRow("early-close") << QByteArray("early-close")
                                 << u"the host closed its stdout before bye and kept running"_qs << QString() << false;
    QTest::newRow("early-close exec") << QByteArray("early-close")
                                      << u"the host closed its stdout before bye and kept running"_qs << QString()
                                      << true;
    QTest::newRow("wrong-version") << QByteArray("wrong-version") << u"unsupported protocol version 99 (expected 1)"_qs
                                   << u"\"protocol\":99"_qs << false;
    QTest::newRow("unknown-type") << QByteArray("unknown-type") << u"unknown message type \"telemetry\""_qs
                                  << u"input: \"{\"type\":\"telemetry\",\"t_ns\":1}\""_qs << false;
}

void TestProcessWorker::faultyHost()
{
    QFETCH(QByteArray, mode);
    QFETCH(QString, fault);
    QFETCH(QString, quoted);
    QFETCH(bool, exec);
    // Only the host that never says hello needs the short deadline (it is what that row tests); the others must
    // not race it: a host slow to start on a loaded machine would fault with "no hello" instead of their fault.
    ProcessWorker::setHelloTimeoutMs(mode == "no-hello" ? 1500 : 60'000);
    const ProcessStart start = ProcessWorker::startMode();
    if (exec)
        ProcessWorker::setStartMode(ProcessStart::Exec);
    const auto restoreStart = qScopeGuard([start] { ProcessWorker::setStartMode(start); });
    auto w = make(u"sleep-steps"_qs, {});
    qputenv("THREADLAB_HOST_MISBEHAVE", mode);
    w->start();
    qunsetenv("THREADLAB_HOST_MISBEHAVE");
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    ProcessWorker::setHelloTimeoutMs(-1);
    QCOMPARE(toString(w->outcome()), u"failed"_qs);
    QVERIFY2(w->protocolFault().startsWith(fault), qPrintable(w->protocolFault()));
    QString note;
    for (const Event &e : m_log->forWorker(w->id()))
        if (e.kind == EventKind::Note && e.detail.startsWith(u"protocol fault: "))
            note = e.detail;
    QVERIFY2(note.contains(fault), qPrintable(note));
    QVERIFY2(note.contains(quoted), qPrintable(note));
    QVERIFY(note.size() < 400); // quoted input is truncated
    QVERIFY(w->stderrTail().contains(u"misbehaving on purpose"));
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::processesInGroup(w->pgid()).isEmpty(), EndTimeoutMs);
}

void TestProcessWorker::factoryMakesProcessWorkers()
{
    WorkerSpec spec;
    spec.backend = Backend::Process;
    spec.workload = u"sleep-steps"_qs;
    QString error;
    std::unique_ptr<Worker> w(WorkerFactory::create(m_nextId++, spec, m_log, m_lab, nullptr, nullptr, &error));
    QVERIFY2(w, qPrintable(error));
    QVERIFY(qobject_cast<ProcessWorker *>(w.get()));
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"stopped"_qs);
}

void TestProcessWorker::runJson()
{
    auto w = make(u"crash"_qs, { { u"mode"_qs, u"abort"_qs }, { u"after_ms"_qs, 10 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    const QJsonObject o = processRunJson(*w);
    QCOMPARE(o.value(u"pid").toInteger(), w->pid());
    QCOMPARE(o.value(u"pgid").toInteger(), w->pid());
    QCOMPARE(o.value(u"exit").toObject().value(u"signal").toString(), u"SIGABRT"_qs);
    QVERIFY(o.value(u"orphans").toArray().isEmpty());
    QVERIFY(o.value(u"stderr").toString().contains(u"crash: dying now"));
}

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
} // namespace

void TestProcessWorker::manyWorkersLeaveNothing()
{
    // The descriptors a process worker opens are pipes (QProcess's or its own), its stdin socket (forked hosts)
    // and pidfds; list them by their targets.
    const auto workerFds = [] {
        QStringList out;
        const QStringList fds
            = QDir(u"/proc/self/fd"_qs).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
        for (const QString &fd : fds) {
            char buf[256];
            const QByteArray path = "/proc/self/fd/" + fd.toLatin1();
            const ssize_t len = ::readlink(path.constData(), buf, sizeof buf - 1);
            const QString target = len > 0 ? QString::fromLatin1(buf, len) : QString();
            if (target.startsWith(u"pipe:") || target.startsWith(u"socket:") || target.contains(u"pidfd"))
                out << fd + u" -> "_qs + target;
        }
        return out;
    };
    // The soak is 10 rounds of 200 workers: THREADLAB_SOAK_ROUNDS=10 THREADLAB_SOAK_WORKERS=200.
    // The suite runs a smaller one so a loaded CI machine stays quick.
    const auto envInt = [](const char *name, int fallback) {
        bool ok = false;
        const int v = qEnvironmentVariableIntValue(name, &ok);
        return ok && v > 0 ? v : fallback;
    };
    const int rounds = envInt("THREADLAB_SOAK_ROUNDS", 3);
    const int perRound = envInt("THREADLAB_SOAK_WORKERS", 20);
    // The fork server's spare host holds descriptors of its own (its control socket, its pidfds), more once it is
    // ready than while it is being forked: both counts are taken with a spare ready (or none, spares off), the first
    // after round 1 (which may have started the server), the second after the last round.
    const auto settleSpare = [] {
        ForkServer::instance().prepareSpare();
        return !ForkServer::instance().sparePending();
    };
    QStringList fdsBefore; // after the first round, which may have started the fork server and its spare
    qint64 rssAfterFirstRound = 0;
    QElapsedTimer soak;
    soak.start();
    for (int round = 0; round < rounds; ++round) {
        // A fresh event log per round: the log keeps every event by design, which is data, not a leak.
        m_log = std::make_shared<EventLog>();
        std::vector<std::unique_ptr<ProcessWorker>> workers;
        for (int i = 0; i < perRound; ++i) {
            // Runs until stopped (its default 5 s could end on its own while a loaded machine starts the others,
            // and a stop to an ended worker is refused).
            workers.push_back(make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 }, { u"steps"_qs, 10'000'000 } }));
            workers.back()->start();
        }
        for (auto &w : workers)
            QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
        for (auto &w : workers)
            QVERIFY(w->stop(round == 1 ? StopMethod::ForceGroup : StopMethod::Request, StopPolicy { 5000, 5000 }));
        for (auto &w : workers)
            QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
        for (auto &w : workers)
            QVERIFY(w->orphanPids().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(unreapedHosts().isEmpty(), EndTimeoutMs);
        for (auto &w : workers) // no orphan: nothing is left in any worker's process group
            QVERIFY(ProcessSystem::processesInGroup(w->pgid()).isEmpty());
        workers.clear();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (round == 0) {
            rssAfterFirstRound = residentKiB();
            QTRY_VERIFY_WITH_TIMEOUT(settleSpare(), EndTimeoutMs);
            fdsBefore = workerFds();
        }
    }
    QTRY_VERIFY2_WITH_TIMEOUT(settleSpare() && workerFds().size() <= fdsBefore.size(), // no leaked descriptor
        qPrintable(workerFds().join(u", ") + u" before: "_qs + fdsBefore.join(u", ")), EndTimeoutMs);
    // Memory back to its level after the first round (allocator warm-up) within 10% (4 MiB floor).
    const qint64 rssEnd = residentKiB();
    qInfo("soak: %d rounds x %d process workers in %lld ms; RSS after round 1 %lld KiB, at the end %lld KiB", rounds,
        perRound, soak.elapsed(), rssAfterFirstRound, rssEnd);
#if defined(__SANITIZE_ADDRESS__)
    // ASan holds freed memory in its quarantine (256 MiB by default), so RSS there grows without a leak: only a
    // growth beyond the quarantine says something.
    const qint64 allowanceKiB = 256 * 1024;
#else
    const qint64 allowanceKiB = qMax<qint64>(rssAfterFirstRound / 10, 4096);
#endif
    QVERIFY2(rssEnd <= rssAfterFirstRound + allowanceKiB,
        qPrintable(u"RSS grew from %1 KiB to %2 KiB"_qs.arg(rssAfterFirstRound).arg(rssEnd)));
}

void TestProcessWorker::startQueueIsBounded()
{
    // 12 hosts asked to start at once: at most HostStartQueue::MaxStarting between start and hello, all run.
    std::vector<std::unique_ptr<ProcessWorker>> workers;
    int mostStarting = 0;
    for (int i = 0; i < 12; ++i) {
        workers.push_back(make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } }));
        connect(workers.back().get(), &Worker::stateChanged, this,
            [&mostStarting] { mostStarting = qMax(mostStarting, HostStartQueue::instance().starting()); });
    }
    for (auto &w : workers) {
        w->start();
        mostStarting = qMax(mostStarting, HostStartQueue::instance().starting());
    }
    QVERIFY(HostStartQueue::instance().waiting() > 0);
    for (auto &w : workers)
        QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    QVERIFY(mostStarting <= HostStartQueue::MaxStarting);
    QCOMPARE(HostStartQueue::instance().starting(), 0);
    for (auto &w : workers)
        QVERIFY(w->stop(StopMethod::Request));
    for (auto &w : workers)
        QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    for (auto &w : workers)
        QCOMPARE(toString(w->outcome()), u"stopped"_qs);
}

void TestProcessWorker::benchSmoke()
{
    QString error;
    bool ok = false;
    const int env = qEnvironmentVariableIntValue("THREADLAB_BENCH_REPS", &ok);
    const int reps = ok && env > 0 ? env : 10; // the full bench (>= 100) is `threadlab bench`
    const QList<ProcessBenchCase> cases = processBenchCases(reps, &error);
    QVERIFY2(!cases.isEmpty(), qPrintable(error));
    const bool haveReference = !benchReferenceProgram().isEmpty(); // built beside the host with the app
    for (const ProcessBenchCase &c : cases) {
        QCOMPARE(c.samplesNs.size(), c.key == u"ref.process.exec-static" && !haveReference ? 0 : reps);
        qInfo("%-26s p50 %8.3f ms  p90 %8.3f ms  max %8.3f ms", qPrintable(c.name), double(c.p50Ns) / 1e6,
            double(c.p90Ns) / 1e6, double(c.maxNs) / 1e6);
    }
}

void TestProcessWorker::noUnreapedChildren()
{
    ForkServer::instance().stop(); // reaped like any host (the bench smoke starts it in either mode)
    QTRY_VERIFY_WITH_TIMEOUT(ProcessSystem::unreapedChildren().isEmpty(), EndTimeoutMs);
    siginfo_t info {};
    errno = 0;
    QCOMPARE(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1);
    QCOMPARE(errno, ECHILD);
}

QTEST_GUILESS_MAIN(TestProcessWorker)
#include "tst_processworker.moc"
