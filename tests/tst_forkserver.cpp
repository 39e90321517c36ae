// The fork server start of process hosts: our own children, exit codes and signals kept, a dead server recovered.
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "ownermark.h"
#include "process/forkserver.h"
#include "process/processsystem.h"
#include "process/processworker.h"
#include "workloads/workload.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace threadlab;

namespace {

constexpr int StartTimeoutMs = 15000;
constexpr int EndTimeoutMs = 20000;

/// Field 4 (parent) and 5 (process group) of /proc/<pid>/stat; {-1, -1} if gone.
std::pair<qint64, qint64> parentAndGroup(qint64 pid)
{
    QFile f(u"/proc/%1/stat"_qs.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return { -1, -1 };
    const QByteArray s = f.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    return { fields.value(1).toLongLong(), fields.value(2).toLongLong() };
}

/// Live processes (zombies have no environment left) whose environment carries the owner mark of app pid: its
/// hosts, their descendants, its fork server and the server's spare.
/// The app's unreaped children as "pid state group (command)", for a failure message that says what was left.
QString describeUnreaped()
{
    QStringList out;
    for (qint64 pid : ProcessSystem::unreapedChildren()) {
        QFile stat(u"/proc/%1/stat"_qs.arg(pid));
        const QByteArray text = stat.open(QIODevice::ReadOnly) ? stat.readAll().trimmed() : QByteArray("gone");
        out << u"%1 [%2]"_qs.arg(pid).arg(QString::fromLatin1(text.left(120)));
    }
    return u"unreaped: %1; server %2, spare %3"_qs.arg(out.join(u", "))
        .arg(ForkServer::instance().serverPid())
        .arg(ForkServer::instance().sparePid());
}

QByteArray environOf(qint64 pid)
{
    QFile f(u"/proc/%1/environ"_qs.arg(pid));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestForkServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void forkedHostIsOurOwnChild();
    void exitsKept_data();
    void exitsKept();
    void killedServerReportedAndRecovered();
    void serverDiesDuringStart();
    void badStartOption();
    void lessonsAgree();
    void spareTakesTheNextStart();
    void spareKilledFromOutside();
    void spareGoesWithTheServer();
    void noHostLeftAfterTeardown_data();
    void noHostLeftAfterTeardown();
    void serverReapedAtStop(); // keep last

private:
    std::unique_ptr<ProcessWorker> make(const QString &workload, const QVariantMap &given = {});
    /// Starts and stops one host unless a spare is ready; returns the spare's pid (0 if none came).
    qint64 readySpare();

    std::shared_ptr<EventLog> m_log = std::make_shared<EventLog>();
    std::shared_ptr<LabResources> m_lab = std::make_shared<LabResources>();
    int m_nextId = 1;
};

std::unique_ptr<ProcessWorker> TestForkServer::make(const QString &workload, const QVariantMap &given)
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

void TestForkServer::initTestCase()
{
    QString error;
    QVERIFY2(!ProcessSystem::hostExecutable(&error).isEmpty(), qPrintable(error));
    ProcessWorker::setStartMode(ProcessStart::ForkServer);
}

void TestForkServer::forkedHostIsOurOwnChild()
{
    auto w = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    const qint64 server = ForkServer::instance().serverPid();
    QVERIFY(server > 0);
    QVERIFY(w->pid() != server);
    // Our own child (re-parented from the intermediate before its hello), leading its own group.
    const auto [parent, group] = parentAndGroup(w->pid());
    QCOMPARE(parent, qint64(::getpid()));
    QCOMPARE(group, w->pid());
    // Its own owner mark (not the server's) where the app's tree reads it: /proc/<pid>/environ.
    const QByteArray env = environOf(w->pid());
    const QByteArray key = "THREADLAB_OWNER=" + QByteArray::number(::getpid()) + ':';
    const QByteArray serverEnv = environOf(server);
    QVERIFY(env.contains(key));
    QVERIFY(serverEnv.contains(key));
    const auto markIn = [&key](const QByteArray &e) { return e.mid(e.indexOf(key)).split('\0').value(0); };
    QVERIFY2(markIn(env) != markIn(serverEnv), markIn(env).constData());
    // The server is in a group of its own too, and is our child.
    QCOMPARE(parentAndGroup(server), std::make_pair(qint64(::getpid()), server));
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"stopped"_qs);
    QCOMPARE(w->exitCode(), std::optional<int>(0));
    QVERIFY(!ProcessSystem::isAlive(w->pid()));
}

void TestForkServer::exitsKept_data()
{
    QTest::addColumn<QString>("workload");
    QTest::addColumn<int>("method"); // -1: none, the workload ends itself
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<QString>("exit");
    QTest::newRow("force: SIGKILL") << u"sleep-steps"_qs << int(StopMethod::Force) << u"killed"_qs
                                    << u"signal SIGKILL"_qs;
    QTest::newRow("sigterm: graceful") << u"sleep-steps"_qs << int(StopMethod::Sigterm) << u"stopped"_qs
                                       << u"exit code 0"_qs;
    QTest::newRow("crash: exit code 3") << u"crash"_qs << -1 << u"crashed"_qs << u"exit code 3"_qs;
    QTest::newRow("crash: SIGSEGV") << u"crash"_qs << -1 << u"crashed"_qs << u"signal SIGSEGV"_qs;
}

void TestForkServer::exitsKept()
{
    QFETCH(QString, workload);
    QFETCH(int, method);
    QFETCH(QString, outcome);
    QFETCH(QString, exit);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    auto w = workload == u"crash"
        ? make(workload, { { u"mode"_qs, tag.endsWith(u"3") ? u"exit"_qs : u"segv"_qs }, { u"after_ms"_qs, 50 } })
        : make(workload);
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running || w->hasEnded(), StartTimeoutMs);
    if (method >= 0)
        QVERIFY(w->stop(StopMethod(method), StopPolicy { 5000, 5000 }));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), outcome);
    QCOMPARE(w->exitDescription(), exit);
}

void TestForkServer::killedServerReportedAndRecovered()
{
    auto running = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    running->start();
    QTRY_VERIFY_WITH_TIMEOUT(running->state() == WorkerState::Running, StartTimeoutMs);
    const qint64 server = ForkServer::instance().serverPid();
    const int started = ForkServer::instance().serversStarted();
    QVERIFY(server > 0);
    ForkServer::instance().killServer();
    QTRY_COMPARE_WITH_TIMEOUT(ForkServer::instance().serverPid(), qint64(0), EndTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!ProcessSystem::isAlive(server), EndTimeoutMs);
    // A host already forked is the app's own child: the server's death does not touch it.
    QVERIFY(ProcessSystem::isAlive(running->pid()));
    QVERIFY(running->state() == WorkerState::Running);
    // The next start brings a new server.
    auto next = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    next->start();
    QTRY_VERIFY_WITH_TIMEOUT(next->state() == WorkerState::Running, StartTimeoutMs);
    QCOMPARE(ForkServer::instance().serversStarted(), started + 1);
    QVERIFY(ForkServer::instance().serverPid() != server);
    for (auto *w : { running.get(), next.get() })
        QVERIFY(w->stop(StopMethod::Request));
    for (auto *w : { running.get(), next.get() }) {
        QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
        QCOMPARE(toString(w->outcome()), u"stopped"_qs);
    }
}

void TestForkServer::serverDiesDuringStart()
{
    // The server dies with the request in flight: the start fails naming the server, or (if it forked first)
    // the host runs; either way nothing is left running afterwards.
    auto w = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    w->start();
    ForkServer::instance().killServer();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running || w->hasEnded(), StartTimeoutMs);
    if (w->hasEnded()) {
        QCOMPARE(toString(w->outcome()), u"failed"_qs);
        bool named = false;
        for (const Event &e : m_log->forWorker(w->id()))
            named = named || e.detail.contains(u"fork server");
        QVERIFY(named);
    } else {
        QVERIFY(w->stop(StopMethod::Force));
        QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    }
    // Every host of this app is reaped (the server and its idle spare aside, a new one may run).
    QTRY_VERIFY2_WITH_TIMEOUT(ProcessSystem::unreapedChildren().size()
            == (ForkServer::instance().serverPid() > 0 ? 1 : 0) + (ForkServer::instance().sparePid() > 0 ? 1 : 0),
        qPrintable(describeUnreaped()), EndTimeoutMs);
}

void TestForkServer::badStartOption()
{
    const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
    QProcess app;
    app.start(
        dir + u"/threadlab"_qs, { u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs, u"--process-start"_qs, u"spawn"_qs });
    QVERIFY(app.waitForFinished(30'000));
    QCOMPARE(app.exitCode(), 2);
    const QList<QByteArray> lines = app.readAllStandardError().trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains("exec, forkserver") && lines.first().contains("spawn"), lines.first().constData());
}

namespace {

/// The stop-related events of one worker ("scenario/worker") from a `--csv` export, as ms after its first event.
QString stopEvents(const QString &csvPath, const QString &name)
{
    QFile f(csvPath);
    if (!f.open(QIODevice::ReadOnly))
        return u"    (no events: %1)"_qs.arg(f.errorString());
    static const QStringList kinds { u"stop-requested"_qs, u"kill-sent"_qs, u"grace-expired"_qs, u"kill-timeout"_qs,
        u"note"_qs, u"exited"_qs, u"joined"_qs, u"outcome"_qs };
    QStringList out;
    qint64 first = -1;
    while (!f.atEnd()) {
        // worker,name,backend,t_ns,kind,value,detail (only the detail may hold commas, quoted)
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        const QStringList c = line.split(u',');
        if (c.size() < 7 || c.at(1) != name)
            continue;
        const qint64 t = c.at(3).toLongLong();
        if (first < 0)
            first = t;
        if (kinds.contains(c.at(4)))
            out << u"%1 ms %2 %3"_qs.arg(QString::number((t - first) / 1e6, 'f', 1), c.at(4), c.mid(6).join(u','));
    }
    return u"    events: "_qs + out.join(u" | "_qs);
}

/// `threadlab scenario ... --check --json` with one start mode: per scenario its verdict, then per run the
/// worker, its outcome, whether its check passed and the kinds of its leaks (pids differ between runs).
QStringList lessonResults(const QString &binary, const QString &mode, const QStringList &scenarios)
{
    QTemporaryDir out;
    const QString json = out.filePath(u"s.json"_qs);
    const QString csv = out.filePath(u"e.csv"_qs);
    QProcess app;
    app.start(binary,
        QStringList { u"scenario"_qs } + scenarios
            + QStringList { u"--check"_qs, u"--json"_qs, json, u"--csv"_qs, csv, u"--process-start"_qs, mode });
    if (!app.waitForFinished(240'000))
        return { u"timed out"_qs };
    QFile f(json);
    if (!f.open(QIODevice::ReadOnly))
        return { u"no JSON; exit %1: %2"_qs.arg(app.exitCode()).arg(QString::fromUtf8(app.readAllStandardError())) };
    QStringList lines;
    for (const QJsonValue &sv : QJsonDocument::fromJson(f.readAll()).object().value(u"scenarios").toArray()) {
        const QJsonObject s = sv.toObject();
        lines << s.value(u"scenario").toString() + u": "_qs + s.value(u"verdict").toString();
        for (const QJsonValue &rv : s.value(u"runs").toArray()) {
            const QJsonObject r = rv.toObject();
            QStringList kinds;
            for (const QJsonValue &l : r.value(u"leaks").toArray())
                kinds << l.toObject().value(u"kind").toString();
            kinds.sort();
            // Not the outcome itself: where a lesson accepts two (a busy thread 'ignored' or 'unresponsive', as load
            // decides), either is a pass. A failure's reasons are kept, so that a difference says what went wrong.
            QStringList failures;
            for (const QJsonValue &fv : r.value(u"failures").toArray())
                failures << fv.toString();
            const bool passed = r.value(u"passed").toBool();
            lines << u"  %1 %2 %3 passed=%4 %5"_qs.arg(r.value(u"backend").toString(), r.value(u"worker").toString(),
                kinds.join(u','), passed ? u"yes"_qs : u"no"_qs, failures.join(u"; "));
            if (!passed) // what the worker's stop went through, so that a failure explains itself
                lines << stopEvents(csv, s.value(u"scenario").toString() + u'/' + r.value(u"worker").toString());
        }
    }
    return lines;
}

} // namespace

void TestForkServer::lessonsAgree()
{
    // The lessons with process workers: the same outcomes, checks and leak reports whichever way hosts start.
    const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
    const QStringList scenarios { u"06-half-written-files"_qs, u"08-sigterm-vs-sigkill"_qs,
        u"09-grandchildren-survive"_qs, u"10-escalation"_qs, u"14-crash-containment"_qs };
    const QStringList exec = lessonResults(dir + u"/threadlab"_qs, u"exec"_qs, scenarios);
    const QStringList forked = lessonResults(dir + u"/threadlab"_qs, u"forkserver"_qs, scenarios);
    QVERIFY2(exec.size() > scenarios.size(), qPrintable(exec.join(u'\n')));
    // Both lists whole on a difference (the first differing line is often a verdict, its reasons come after),
    // printed on their own: QTest cuts a failure message short.
    if (forked != exec)
        qInfo().noquote() << u"exec:\n"_qs + exec.join(u'\n') + u"\nforkserver:\n"_qs + forked.join(u'\n');
    QVERIFY2(forked == exec, "the lessons' results differ between exec and forkserver starts (printed above)");
}

qint64 TestForkServer::readySpare()
{
    if (ForkServer::instance().sparePid() == 0) {
        // The server forks a spare once a host said hello.
        auto w = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
        w->start();
        if (!QTest::qWaitFor([&] { return w->state() == WorkerState::Running || w->hasEnded(); }, StartTimeoutMs))
            return 0;
        w->stop(StopMethod::Request);
        if (!QTest::qWaitFor([&] { return w->hasEnded(); }, EndTimeoutMs))
            return 0;
    }
    return QTest::qWaitFor([] { return ForkServer::instance().sparePid() > 0; }, StartTimeoutMs)
        ? ForkServer::instance().sparePid()
        : 0;
}

void TestForkServer::spareTakesTheNextStart()
{
    QVERIFY(ForkServer::sparesEnabled());
    const qint64 spare = readySpare();
    QVERIFY(spare > 0);
    // Ready before any start asks for it: our own child (re-parented once the server's intermediate, which
    // replied with its pid, has exited), leading its own group, with the death signal armed, and known to the
    // tree as a host (never as anyone's orphan).
    QTRY_COMPARE_WITH_TIMEOUT(parentAndGroup(spare), std::make_pair(qint64(::getpid()), spare), StartTimeoutMs);
    QVERIFY(ProcessSystem::unreapedChildren().contains(spare));
    auto w = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    QCOMPARE(w->pid(), spare); // its hello named the spare's pid and group
    QCOMPARE(w->pgid(), spare);
    bool noted = false;
    for (const Event &e : m_log->forWorker(w->id()))
        noted = noted || e.detail.contains(u"a spare host forked ahead by the fork server");
    QVERIFY(noted);
    // Its own owner mark, not the server's: written when it took the request.
    const QByteArray key = "THREADLAB_OWNER=" + QByteArray::number(::getpid()) + ':';
    const auto markIn = [&key](const QByteArray &e) { return e.mid(e.indexOf(key)).split('\0').value(0); };
    QVERIFY(environOf(spare).contains(key));
    QVERIFY(markIn(environOf(spare)) != markIn(environOf(ForkServer::instance().serverPid())));
    // The next spare comes after this host's hello, and is another process.
    QTRY_VERIFY_WITH_TIMEOUT(ForkServer::instance().sparePid() > 0, StartTimeoutMs);
    QVERIFY(ForkServer::instance().sparePid() != spare);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"stopped"_qs);
    QCOMPARE(w->exitCode(), std::optional<int>(0));
    QVERIFY(w->orphanPids().isEmpty());
    QVERIFY(!ProcessSystem::unreapedChildren().contains(spare));
}

void TestForkServer::spareKilledFromOutside()
{
    const qint64 spare = readySpare();
    QVERIFY(spare > 0);
    // Our own unreaped child (so the pid cannot have been recycled; re-parented to us once the intermediate that
    // forked it has exited): killed as a stranger would.
    QTRY_COMPARE_WITH_TIMEOUT(parentAndGroup(spare).first, qint64(::getpid()), StartTimeoutMs);
    QCOMPARE(::kill(pid_t(spare), SIGKILL), 0);
    // Seen, reaped and forgotten; the next start forks (or takes a new spare), never the dead one.
    QTRY_VERIFY_WITH_TIMEOUT(ForkServer::instance().sparePid() != spare, EndTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!ProcessSystem::unreapedChildren().contains(spare), EndTimeoutMs);
    auto w = make(u"sleep-steps"_qs, { { u"step_ms"_qs, 5 } });
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(w->state() == WorkerState::Running, StartTimeoutMs);
    QVERIFY(w->pid() != spare);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QCOMPARE(toString(w->outcome()), u"stopped"_qs);
}

void TestForkServer::spareGoesWithTheServer()
{
    const qint64 spare = readySpare();
    QVERIFY(spare > 0);
    // The server dies (as if it crashed): its spare is killed and reaped with it, not left idle for ever.
    ForkServer::instance().killServer();
    QTRY_COMPARE_WITH_TIMEOUT(ForkServer::instance().serverPid(), qint64(0), EndTimeoutMs);
    QCOMPARE(ForkServer::instance().sparePid(), qint64(0));
    QTRY_VERIFY_WITH_TIMEOUT(!ProcessSystem::unreapedChildren().contains(spare), EndTimeoutMs);
    QVERIFY(!ProcessSystem::isAlive(spare));
}

void TestForkServer::noHostLeftAfterTeardown_data()
{
    QTest::addColumn<int>("signal"); // 0: the run ends by itself
    QTest::newRow("normal quit after 6 starts") << 0;
    QTest::newRow("SIGTERM with a spare idle") << int(SIGTERM);
}

void TestForkServer::noHostLeftAfterTeardown()
{
    // A real app: hosts started one after another (each after the first may take a spare), then its end. No
    // process it started is left, spare or not: found in /proc by the owner mark every one of them carries.
    QFETCH(int, signal);
    const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
    QTemporaryDir out;
    const QString json = out.filePath(u"runs.json"_qs);
    const QList<qint64> before = ProcessSystem::unreapedChildren();
    QProcess app;
    app.start(dir + u"/threadlab"_qs,
        { u"run"_qs, u"--backend"_qs, u"process"_qs, u"--workload"_qs, u"sleep-steps"_qs, u"--repeat"_qs,
            signal ? u"3"_qs : u"6"_qs, u"--stop"_qs, u"request"_qs, u"--stop-after"_qs,
            signal ? u"600000"_qs : u"50"_qs, u"--process-start"_qs, u"forkserver"_qs, u"--quiet"_qs, u"--json"_qs,
            json });
    QVERIFY(app.waitForStarted(10'000));
    const qint64 pid = app.processId();
    // Whatever ends this test, the app ends by SIGTERM, as a user would end it: it then stops and reaps its own
    // processes. (QProcess's destructor would SIGKILL it, and its server and hosts, killed by their death signal,
    // would be re-parented to this process, a subreaper, and fail the next test's count of unreaped children.)
    // Then its processes that outlived it, if any (killed by it or by their death signal as it exited), are
    // re-parented to this process, a subreaper: they are reaped here, where the app's job ends.
    const auto endApp = qScopeGuard([&app, pid, before] {
        if (app.state() != QProcess::NotRunning) {
            ::kill(pid_t(pid), SIGTERM); // our own child, not yet reaped
            app.waitForFinished(60'000);
        }
        QDeadlineTimer deadline(EndTimeoutMs);
        int reaped = 0;
        for (;;) {
            QList<qint64> alive;
            for (qint64 child : ProcessSystem::unreapedChildren()) {
                if (before.contains(child) || child == pid)
                    continue;
                if (::waitpid(pid_t(child), nullptr, WNOHANG) == pid_t(child))
                    ++reaped; // dead: reaped now
                else
                    alive << child;
            }
            if (alive.isEmpty() || deadline.hasExpired())
                break;
            QTest::qWait(20);
        }
        if (reaped > 0)
            qInfo("the app ended before reaping %d of its processes (dead; re-parented here and reaped)", reaped);
    });
    QSignalSpy finished(&app, &QProcess::finished);
    if (signal) {
        // The server, the first host and the spare forked after its hello (slow on a loaded machine: three
        // processes started one after the other, each loading Qt).
        QTRY_VERIFY_WITH_TIMEOUT(markedProcesses(pid).size() >= 3 || !finished.isEmpty(), 60'000);
        QVERIFY(finished.isEmpty());
        QCOMPARE(::kill(pid_t(pid), signal), 0); // our own child, running (finished() not seen)
    }
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60'000);
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), signal ? 128 + signal : 0);
    QTRY_VERIFY2_WITH_TIMEOUT(markedProcesses(pid).isEmpty(),
        qPrintable(u"left running: %1"_qs.arg(QString::number(markedProcesses(pid).value(0)))), 5000);
    if (signal)
        return;
    // The starts did take spares (most of 5 can; a loaded machine may fork some on demand).
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const qsizetype adopted = f.readAll().count("a spare host forked ahead by the fork server");
    QVERIFY2(adopted >= 1, qPrintable(u"%1 starts took a spare"_qs.arg(adopted)));
}

void TestForkServer::serverReapedAtStop()
{
    const qint64 server = ForkServer::instance().serverPid();
    ForkServer::instance().stop();
    QCOMPARE(ForkServer::instance().serverPid(), qint64(0));
    if (server > 0)
        QVERIFY(!ProcessSystem::isAlive(server));
    QTRY_VERIFY2_WITH_TIMEOUT(
        ProcessSystem::unreapedChildren().isEmpty(), qPrintable(describeUnreaped()), EndTimeoutMs);
    siginfo_t info {};
    errno = 0;
    QCOMPARE(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1);
    QCOMPARE(errno, ECHILD);
}

QTEST_GUILESS_MAIN(TestForkServer)
#include "tst_forkserver.moc"
