// Measures the process backend's spawn against exec of a minimal C program, and bare kills of the host.
#include "processbench.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "forkserver.h"
#include "ledger/labresources.h"
#include "processsystem.h"
#include "processworker.h"
#include "workloads/workload.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>
#include <algorithm>
#include <csignal>
#include <cstring>
#include <elf.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int WaitMs = 10000;

/// Runs the event loop until pred() holds or the deadline passes. `wake` signals quit the loop so pred()
/// is looked at again (the bench is driven by the same signals as the lab; the deadline only bounds a
/// case that never ends).
template <typename Pred> bool waitUntil(const std::function<void(QEventLoop &)> &wake, Pred pred)
{
    if (pred())
        return true;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    wake(loop);
    deadline.start(WaitMs);
    while (!pred() && deadline.isActive())
        loop.exec();
    return pred();
}

bool waitForWorker(ProcessWorker &w, const std::function<bool()> &pred)
{
    return waitUntil(
        [&](QEventLoop &loop) {
            QObject::connect(&w, &Worker::stateChanged, &loop, &QEventLoop::quit);
            QObject::connect(&w, &Worker::finished, &loop, &QEventLoop::quit);
            QObject::connect(&w, &Worker::ended, &loop, &QEventLoop::quit);
        },
        pred);
}

bool waitForProcess(QProcess &p, const std::function<bool()> &pred)
{
    return waitUntil(
        [&](QEventLoop &loop) {
            QObject::connect(&p, &QProcess::readyReadStandardOutput, &loop, &QEventLoop::quit);
            QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
            QObject::connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
        },
        pred);
}

void finish(ProcessBenchCase &c)
{
    QList<qint64> s = c.samplesNs;
    std::sort(s.begin(), s.end());
    if (s.isEmpty())
        return;
    const auto at = [&](double q) { return s.at(qMin(s.size() - 1, qsizetype(q * double(s.size() - 1) + 0.5))); };
    c.p50Ns = at(0.5);
    c.p90Ns = at(0.9);
    c.maxNs = s.last();
}

/// The sleep-steps spec every process case runs (1 ms steps: it only waits to be stopped).
WorkerSpec sleepSpec()
{
    WorkerSpec spec;
    spec.name = QStringLiteral("bench");
    spec.backend = Backend::Process;
    spec.workload = QStringLiteral("sleep-steps");
    WorkloadRegistry::resolve(spec.workload, QVariantMap { { QStringLiteral("step_ms"), 1 } }, &spec.params, nullptr);
    return spec;
}

/// An ELF file with no PT_INTERP program header runs without the dynamic loader (a static program).
bool elfIsStatic(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray bytes = f.read(64 * 1024);
    if (bytes.size() < qsizetype(sizeof(Elf64_Ehdr)) || !bytes.startsWith(ELFMAG) || bytes.at(EI_CLASS) != ELFCLASS64)
        return false;
    Elf64_Ehdr eh;
    std::memcpy(&eh, bytes.constData(), sizeof eh);
    for (int i = 0; i < eh.e_phnum; ++i) {
        const qsizetype at = qsizetype(eh.e_phoff) + qsizetype(i) * eh.e_phentsize;
        if (at + qsizetype(sizeof(Elf64_Phdr)) > bytes.size())
            return false;
        Elf64_Phdr ph;
        std::memcpy(&ph, bytes.constData() + at, sizeof ph);
        if (ph.p_type == PT_INTERP)
            return false;
    }
    return true;
}

/// QProcess start → its first stdout bytes read (the reference's "hello"), or → finished; -1 on failure.
qint64 timeQProcess(const QString &program, bool untilOutput)
{
    QProcess p;
    qint64 doneNs = 0;
    const auto mark = [&] {
        if (doneNs == 0)
            doneNs = monotonicNowNs();
    };
    if (untilOutput)
        QObject::connect(&p, &QProcess::readyReadStandardOutput, &p, mark);
    else
        QObject::connect(&p, &QProcess::finished, &p, mark);
    bool failed = false;
    QObject::connect(&p, &QProcess::errorOccurred, &p, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            failed = true;
    });
    const qint64 t0 = monotonicNowNs();
    p.start(program, QStringList());
    const bool ok = waitForProcess(p, [&] { return doneNs != 0 || failed; }) && !failed;
    if (p.state() != QProcess::NotRunning)
        waitForProcess(p, [&] { return p.state() == QProcess::NotRunning; });
    return ok ? doneNs - t0 : -1;
}

} // namespace

QString benchReferenceProgram(bool *isStatic)
{
    const QString host = ProcessSystem::hostExecutable();
    if (host.isEmpty())
        return {};
    const QFileInfo fi(QFileInfo(host).absolutePath() + QStringLiteral("/threadlab-benchref"));
    if (!fi.isFile() || !fi.isExecutable())
        return {};
    if (isStatic)
        *isStatic = elfIsStatic(fi.absoluteFilePath());
    return fi.absoluteFilePath();
}

QList<ProcessBenchCase> processBenchCases(int repetitions, QString *error)
{
    if (ProcessSystem::hostExecutable(error).isEmpty())
        return {};
    repetitions = qMax(1, repetitions);
    auto log = std::make_shared<EventLog>();
    auto lab = std::make_shared<LabResources>();
    const WorkerSpec spec = sleepSpec();
    bool isStatic = false;
    const QString reference = benchReferenceProgram(&isStatic);

    ProcessBenchCase hello { QStringLiteral("process.spawn.hello"), QStringLiteral("process spawn->hello (forkserver)"),
        QStringLiteral(
            "ProcessWorker::start() to the host's hello handled (the fork server's spare host, forked "
            "ahead and idle, takes the start request and says hello; forked on demand if no spare is ready)"),
        {}, 0, 0, 0 };
    ProcessBenchCase helloExec { QStringLiteral("process.spawn.hello.exec"),
        QStringLiteral("process spawn->hello (exec)"),
        QStringLiteral("ProcessWorker::start() to the host's hello handled (exec of threadlab-worker)"), {}, 0, 0, 0 };
    ProcessBenchCase exec { QStringLiteral("ref.process.exec-static"),
        isStatic ? QStringLiteral("exec threadlab-benchref (static C)")
                 : QStringLiteral("exec threadlab-benchref (dynamic C)"),
        reference.isEmpty()
            ? QStringLiteral("threadlab-benchref not found beside the worker host: no exec reference")
            : QStringLiteral("QProcess start to the first line of a minimal %1 C program (exec, no libraries)")
                  .arg(isStatic ? u"static" : u"dynamic"),
        {}, 0, 0, 0 };
    ProcessBenchCase bare { QStringLiteral("ref.process.true"), QStringLiteral("bare QProcess /bin/true"),
        QStringLiteral("QProcess start to finished of /bin/true (dynamic, libc only)"), {}, 0, 0, 0 };
    int id = 1;
    const ProcessStart mode = ProcessWorker::startMode();
    QString forkError;
    // start() -> hello handled of one worker started as start says; the worker is then killed and reaped.
    const auto timeHello = [&](ProcessStart start, ProcessBenchCase &into) {
        ProcessWorker::setStartMode(start);
        ProcessWorker w(id++, spec, log, lab);
        const qint64 t0 = monotonicNowNs();
        w.start();
        if (waitForWorker(w, [&] { return w.state() == WorkerState::Running || w.hasEnded(); }) && w.helloAtNs() > 0)
            into.samplesNs << w.helloAtNs() - t0;
        w.stop(StopMethod::Force, StopPolicy { 5000, 5000 });
        waitForWorker(w, [&] { return w.hasEnded(); });
        // The next spare (asked for after the hello) is forked outside any timed span, as it is in the lab
        // between a user's starts: wait for the server's answer (a bounded wait).
        ForkServer &server = ForkServer::instance();
        waitUntil(
            [&](QEventLoop &loop) { QObject::connect(&server, &ForkServer::spareChanged, &loop, &QEventLoop::quit); },
            [&] { return !server.sparePending(); });
        if (w.helloAtNs() <= 0 && start == ProcessStart::ForkServer && forkError.isEmpty())
            for (const Event &e : log->forWorker(w.id()))
                if (e.kind == EventKind::Note && e.detail.contains(u"fork server"))
                    forkError = e.detail;
        log->takeNew();
    };
    // Not timed: the fork server's own start (once per app) is not a host's spawn.
    timeHello(ProcessStart::ForkServer, hello);
    hello.samplesNs.clear();
    for (int i = 0; i < repetitions; ++i) {
        // Interleaved, so machine noise hits the figure and its references alike.
        if (!reference.isEmpty())
            if (const qint64 ns = timeQProcess(reference, true); ns > 0)
                exec.samplesNs << ns;
        if (const qint64 ns = timeQProcess(QStringLiteral("/bin/true"), false); ns > 0)
            bare.samplesNs << ns;
        timeHello(ProcessStart::Exec, helloExec);
        timeHello(ProcessStart::ForkServer, hello);
    }
    ProcessWorker::setStartMode(mode);
    if (hello.samplesNs.isEmpty() && !forkError.isEmpty())
        hello.description += QStringLiteral("; no sample: ") + forkError;
    QList<ProcessBenchCase> out { hello, helloExec, exec, bare };
    for (auto &c : out)
        finish(c);
    return out;
}

qint64 bareHostKillOnce(int stopAfterMs, QString *error)
{
    const QString exe = ProcessSystem::hostExecutable(error);
    if (exe.isEmpty())
        return -1;
    const WorkerSpec spec = sleepSpec();
    QProcess p;
    p.setProgram(exe);
    const QByteArray params = QJsonDocument(QJsonObject::fromVariantMap(spec.params)).toJson(QJsonDocument::Compact);
    p.setArguments({ QStringLiteral("--worker-id"), QStringLiteral("1"), QStringLiteral("--workload"), spec.workload,
        QStringLiteral("--params"), QString::fromUtf8(params) });
    // As ProcessWorker: its own group, killed with us (async-signal-safe only: Qt 6.4 may vfork).
    p.setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    QTimer killTimer;
    killTimer.setSingleShot(true);
    killTimer.setTimerType(Qt::PreciseTimer); // as RunSession's singleShot (precise below 2 s)
    qint64 killedNs = 0, finishedNs = 0;
    bool hello = false;
    QObject::connect(&p, &QProcess::readyReadStandardOutput, &p, [&] {
        p.readAllStandardOutput();
        if (!hello) {
            hello = true;
            killTimer.start(stopAfterMs);
        }
    });
    QObject::connect(&killTimer, &QTimer::timeout, &p, [&] {
        killedNs = monotonicNowNs();
        p.kill();
    });
    QObject::connect(&p, &QProcess::finished, &p, [&] { finishedNs = monotonicNowNs(); });
    p.start(QIODevice::ReadWrite);
    const bool ok = waitUntil(
        [&](QEventLoop &loop) {
            QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
            QObject::connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
        },
        [&] { return finishedNs != 0 || p.state() == QProcess::NotRunning; });
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(1000); // SIGKILL is reaped within milliseconds; bounded
    }
    if (!ok || killedNs == 0 || finishedNs == 0) {
        if (error)
            *error = QStringLiteral("the bare host did not start or end in time");
        return -1;
    }
    return finishedNs - killedNs;
}

} // namespace threadlab
