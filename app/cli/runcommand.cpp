// `threadlab run`: workers of one backend and workload, stopped after a delay; a table, a summary and JSON.
#include "commands.h"

#include "cliexports.h"
#include "events/eventlog.h"
#include "lab/lab.h"
#include "lab/labcapture.h"
#include "lab/workerfactory.h"
#include "recording/recording.h"
#include "report.h"
#include "runsession.h"
#include "workloads/workload.h"

#include <algorithm>

namespace threadlab {

namespace {

QList<QCommandLineOption> runOptions()
{
    QList<QCommandLineOption> o {
        { QStringLiteral("backend"),
            QStringLiteral("Backend: %1 (default thread).").arg(allNames(backendTerms()).join(QStringLiteral(", "))),
            QStringLiteral("B"), QStringLiteral("thread") },
        { QStringLiteral("workload"),
            QStringLiteral("Workload (required): %1.").arg(WorkloadRegistry::names().join(QStringLiteral(", "))),
            QStringLiteral("W") },
        { QStringLiteral("param"),
            QStringLiteral("A workload parameter, key=value without spaces (repeatable); see `threadlab list "
                           "workloads`."),
            QStringLiteral("k=v") },
        { QStringLiteral("stop"),
            QStringLiteral("Stop method: %1, or none to let the workload complete (default request).")
                .arg(allNames(stopMethodTerms()).join(QStringLiteral(", "))),
            QStringLiteral("METHOD"), QStringLiteral("request") },
        { QStringLiteral("stop-after"),
            QStringLiteral("Stop each worker MS ms after its own `started` (0..600000, default 100)."),
            QStringLiteral("MS"), QStringLiteral("100") },
        { QStringLiteral("grace"),
            QStringLiteral("Grace period before a request is declared unresponsive or escalated (0..600000, default "
                           "1000)."),
            QStringLiteral("MS"), QStringLiteral("1000") },
        { QStringLiteral("kill-timeout"),
            QStringLiteral("Time a force-kill may take before the worker is declared unresponsive (1..600000, "
                           "default 1000)."),
            QStringLiteral("MS"), QStringLiteral("1000") },
        { QStringLiteral("timeout"),
            QStringLiteral("With --stop none: force the workers still running after MS ms (1..86400000, default "
                           "300000, i.e. 5 minutes)."),
            QStringLiteral("MS"), QStringLiteral("300000") },
        { QStringLiteral("workers"), QStringLiteral("Workers side by side in each repetition (1..512, default 1)."),
            QStringLiteral("N"), QStringLiteral("1") },
        { QStringLiteral("repeat"),
            QStringLiteral("Repetitions, one after another, each with fresh workers (1..10000, default 1)."),
            QStringLiteral("N"), QStringLiteral("1") },
        { QStringLiteral("json"),
            QStringLiteral("Also write the results as JSON to FILE; with - the JSON goes to stdout and the table to "
                           "stderr."),
            QStringLiteral("FILE|-") },
        { QStringLiteral("quiet"), QStringLiteral("Print only the summary, not one line per run.") },
    };
    return o + CliExports::options(CliExports::All);
}

/// A declared worker of `threadlab run`, as it goes into the recording (taken before the lab forgets it).
RecordedWorker recordedWorker(const RunResult &r)
{
    const WorkerSnapshot &s = r.snapshot;
    RecordedWorker w;
    w.id = s.id;
    w.name = s.name;
    w.backend = s.backend;
    w.workload = s.workload;
    w.params = s.params;
    w.method = r.method;
    w.outcome = r.outcome();
    w.leaks = s.leaks;
    w.latencies = r.latencies();
    w.stderrTail = s.stderrTail;
    w.stepsDone = s.stepsDone;
    w.cpuTimeNs = s.cpuTimeNs;
    w.hostPid = s.hostPid;
    return w;
}

/// The recording of a whole `threadlab run`: every event of the lab's log, every repetition's workers.
Recording runRecording(const Lab &lab, const RunOptions &o, const QList<RecordedWorker> &declared)
{
    const QString title
        = QStringLiteral("%1 %2, stop %3 after %4 ms%5")
              .arg(toString(o.backend), o.workload, o.method ? toString(*o.method) : QStringLiteral("none"))
              .arg(o.stopAfterMs)
              .arg(o.repeat > 1 ? QStringLiteral(", %1 repetitions").arg(o.repeat) : QString());
    Recording rec = captureLab(lab, title);
    QList<RecordedWorker> workers = declared;
    for (const RecordedWorker &w : std::as_const(rec.workers)) {
        const bool known
            = std::any_of(declared.cbegin(), declared.cend(), [&w](const RecordedWorker &d) { return d.id == w.id; });
        if (!known)
            workers << w;
    }
    rec.workers = workers;
    rec.parameters = QVariantMap {
        { QStringLiteral("backend"), toString(o.backend) },
        { QStringLiteral("workload"), o.workload },
        { QStringLiteral("method"), o.method ? toString(*o.method) : QStringLiteral("none") },
        { QStringLiteral("stop_after_ms"), o.stopAfterMs },
        { QStringLiteral("grace_ms"), o.policy.graceMs },
        { QStringLiteral("kill_timeout_ms"), o.policy.killTimeoutMs },
        { QStringLiteral("workers"), o.workers },
        { QStringLiteral("repeat"), o.repeat },
    };
    return rec;
}

/// Reads and checks every option into o; returns -1 to go on, else the exit code (the error printed).
int readOptions(const QCommandLineParser &p, RunOptions &o, QString *jsonPath, ExportTargets *exports)
{
    const QString backend = p.value(QStringLiteral("backend"));
    const auto b = backendFromString(backend);
    if (!b)
        return cli::usageError(QStringLiteral("unknown backend '%1' (allowed: %2)")
                                   .arg(backend, allNames(backendTerms()).join(QStringLiteral(", "))));
    o.backend = *b;
    if (!p.isSet(QStringLiteral("workload")))
        return cli::usageError(QStringLiteral("run: --workload is required (allowed: %1)")
                                   .arg(WorkloadRegistry::names().join(QStringLiteral(", "))));
    o.workload = p.value(QStringLiteral("workload"));
    const QStringList assignments = p.values(QStringLiteral("param"));
    QString error;
    for (const QString &a : assignments)
        if (!cli::checkParam(o.workload, a, &error))
            return cli::usageError(error);
    if (!WorkerFactory::resolveParams(o.backend, o.workload, assignments, &o.params, &error))
        return cli::usageError(error);
    const QString stop = p.value(QStringLiteral("stop"));
    if (stop == u"none") {
        o.method.reset();
    } else if (const auto m = stopMethodFromString(stop)) {
        o.method = *m;
    } else {
        return cli::usageError(QStringLiteral("unknown stop method '%1' (allowed: %2, none)")
                                   .arg(stop, allNames(stopMethodTerms()).join(QStringLiteral(", "))));
    }
    if (!cli::intOption(p, QStringLiteral("stop-after"), 0, 600'000, &o.stopAfterMs, &error)
        || !cli::intOption(p, QStringLiteral("grace"), 0, 600'000, &o.policy.graceMs, &error)
        || !cli::intOption(p, QStringLiteral("kill-timeout"), 1, 600'000, &o.policy.killTimeoutMs, &error)
        || !cli::intOption(p, QStringLiteral("workers"), 1, 512, &o.workers, &error)
        || !cli::intOption(p, QStringLiteral("repeat"), 1, 10'000, &o.repeat, &error)
        || !cli::intOption(p, QStringLiteral("timeout"), 1, 86'400'000, &o.noneTimeoutMs, &error)
        || !cli::fileOption(p, QStringLiteral("json"), jsonPath, &error, QStringLiteral("a file name or - (stdout)"))
        || !CliExports::fromParser(p, CliExports::All, exports, &error))
        return cli::usageError(error);
    if (const int code = CliExports::validate(*exports, &error))
        return code == ExitUsage ? cli::usageError(error) : cli::failure(error, code);
    return -1;
}

int run(const QCommandLineParser &p)
{
    if (const int code = cli::refuseArguments(p, QStringLiteral("run")); code >= 0)
        return code;
    RunOptions o;
    QString jsonPath;
    ExportTargets exports;
    if (const int code = readOptions(p, o, &jsonPath, &exports); code >= 0)
        return code;
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    FILE *table = jsonPath == u"-" ? stderr : stdout;

    // Owned by the command's scope: they live until the event loop has returned.
    auto *lab = new Lab(cli::commandScope());
    auto *session = new RunSession(lab, o, lab);
    struct Shared
    {
        bool headerPrinted = false;
        // Every repetition's workers, snapshotted when declared (the lab forgets them between repetitions).
        QList<RecordedWorker> recorded;
    };
    auto shared = std::make_shared<Shared>();
    QObject::connect(session, &RunSession::recordReady, session, [=](const RunResult &r) {
        if (exports.any())
            shared->recorded << recordedWorker(r);
        if (quiet)
            return;
        if (!shared->headerPrinted)
            cli::writeLine(table, Report::tableHeader());
        shared->headerPrinted = true;
        cli::writeLine(table, cli::escapeControls(Report::tableLine(r)));
    });
    QObject::connect(session, &RunSession::note, session,
        [table](const QString &line) { cli::writeLine(table, QStringLiteral("note: ") + cli::escapeControls(line)); });
    QObject::connect(session, &RunSession::done, session, [=](int exitCode, const QString &why) {
        int code = exitCode;
        if (code != ExitOk) {
            if (code == ExitUsage)
                cli::usageError(why);
            else
                cli::failure(why, code);
            cli::finishLab(*lab, stderr, code);
            return;
        }
        cli::write(table, Report::summary(session->records()));
        if (const qint64 dropped = lab->log().dropped(); dropped > 0)
            cli::writeLine(table,
                QStringLiteral("events dropped: %1 (the event log holds at most %2 events; figures that need a "
                               "dropped event are missing)")
                    .arg(dropped)
                    .arg(lab->log().capacity()));
        QString error;
        if (!jsonPath.isEmpty() && !Report::writeJson(Report::runsDocument(session->records()), jsonPath, &error))
            code = cli::failure(error);
        if (exports.any()) {
            const Recording rec = runRecording(*lab, o, shared->recorded);
            if (CliExports::write(rec, exports, &error) != 0)
                code = cli::failure(error);
        }
        cli::finishLab(*lab, table, code);
    });
    session->start();
    return cli::ExitPending;
}

} // namespace

CliCommand runCommand()
{
    return CliCommand {
        QStringLiteral("run"),
        QStringLiteral(
            "run --workload W [--backend B] [--param k=v]... [--stop METHOD] [--stop-after MS] [--grace MS] "
            "[--kill-timeout MS] [--timeout MS] [--workers N] [--repeat N] [--json FILE|-] [--quiet] [--record FILE] "
            "[--trace FILE] [--csv FILE] [--measurements FILE] [--screenshot FILE [--scale N] [--dark]]"),
        QStringLiteral("run workers headless, stop them, print outcomes, latencies and leaks"),
        &runOptions,
        {},
        &run,
        {},
    };
}

} // namespace threadlab
