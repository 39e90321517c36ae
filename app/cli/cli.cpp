// The headless command line: `threadlab list|run|bench|demo|help`, with QCommandLineParser and exit codes.
#include "cli.h"

#include "benchmark.h"
#include "cliexports.h"
#include "clihooks.h"
#include "lab/lab.h"
#include "process/processworker.h"
#include "events/eventlog.h"
#include "lab/labcapture.h"
#include "recording/recording.h"
#include "recording/recordingio.h"
#include "report.h"
#include "runsession.h"
#include "scenariocommand.h"
#include "base/vocabulary.h"
#include "workloads/workload.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace threadlab {

namespace {

struct Command
{
    const char *name;
    const char *synopsis;
    const char *summary;
};

const QList<Command> &commandTable()
{
    static const QList<Command> table = {
        { "list", "list [backends|workloads|methods|scenarios]",
            "list backends, workloads (with parameters), stop methods or built-in scenarios" },
        { "run",
            "run --backend B --workload W [--param k=v]... --stop METHOD [--stop-after MS] [--grace MS] "
            "[--kill-timeout MS] [--workers N] [--repeat N] [--json FILE|-] [--quiet] [--record FILE] [--trace FILE] "
            "[--csv FILE] [--measurements FILE] [--screenshot FILE [--scale N] [--dark]]",
            "run workers headless, stop them, print outcomes, latencies and leaks" },
        { "bench", "bench [--repeat N] [--json FILE|-]",
            "measure stop latencies, stop-check and recorder costs against a bare std::thread" },
        { "scenario",
            "scenario NAME|FILE... [--all] [--check] [--json FILE|-] [--record FILE] [--trace FILE] [--csv FILE] "
            "[--measurements FILE] [--screenshot FILE [--scale N] [--dark]]",
            "run scenarios headless and check each lesson's expectations (exit 1 if one fails, 2 on a bad file)" },
        { "matrix",
            "matrix [--backends a,b] [--workloads w[:k=v],...] [--methods m,...] [--repeat N] [--stop-after MS] "
            "[--grace MS] [--kill-timeout MS] [--parallel N] [--json FILE|-] [--markdown FILE|-] [--record FILE] "
            "[--trace FILE] [--csv FILE] [--measurements FILE]",
            "measure the stop-method matrix: outcome class, median latency and leaks per combination" },
        { "export",
            "export RECORDING [--record FILE] [--trace FILE] [--csv FILE] [--measurements FILE] "
            "[--screenshot FILE [--scale N] [--dark]]",
            "convert a saved recording (trace, CSV, Markdown, PNG/SVG) without running anything again" },
        { "gui", "gui [RECORDING]", "open the desktop lab, showing a saved recording read-only" },
        { "demo", "demo", "a short headless demonstration (used when no display is available)" },
        { "help", "help [COMMAND]", "show the help of a command" },
    };
    return table;
}

const Command *findCommand(const QString &name)
{
    for (const Command &c : commandTable())
        if (name == QLatin1String(c.name))
            return &c;
    return nullptr;
}

void write(FILE *f, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), f);
    std::fflush(f);
}

void writeLine(FILE *f, const QString &line)
{
    write(f, line + QLatin1Char('\n'));
}

int usageError(const QString &message)
{
    QString line = message;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    writeLine(stderr, QStringLiteral("threadlab: ") + line);
    return ExitUsage;
}

QString commandNames()
{
    QStringList names;
    for (const Command &c : commandTable())
        names << QString::fromLatin1(c.name);
    return names.join(QStringLiteral(", "));
}

// --- options --------------------------------------------------------------------------------------

const QCommandLineOption &backendOption()
{
    static const QCommandLineOption o(QStringLiteral("backend"),
        QStringLiteral("Backend: %1 (default thread).").arg(allNames(backendTerms()).join(QStringLiteral(", "))),
        QStringLiteral("B"), QStringLiteral("thread"));
    return o;
}
const QCommandLineOption &workloadOption()
{
    static const QCommandLineOption o(QStringLiteral("workload"),
        QStringLiteral("Workload (required): %1.").arg(WorkloadRegistry::names().join(QStringLiteral(", "))),
        QStringLiteral("W"));
    return o;
}
const QCommandLineOption &paramOption()
{
    static const QCommandLineOption o(QStringLiteral("param"),
        QStringLiteral("A workload parameter (repeatable); see `threadlab list "
                       "workloads`."),
        QStringLiteral("k=v"));
    return o;
}
const QCommandLineOption &stopOption()
{
    static const QCommandLineOption o(QStringLiteral("stop"),
        QStringLiteral("Stop method: %1, or none to let the workload complete "
                       "(default request).")
            .arg(allNames(stopMethodTerms()).join(QStringLiteral(", "))),
        QStringLiteral("METHOD"), QStringLiteral("request"));
    return o;
}
const QCommandLineOption &stopAfterOption()
{
    static const QCommandLineOption o(QStringLiteral("stop-after"),
        QStringLiteral("Stop each worker MS ms after its own `started` (0..600000, "
                       "default 100)."),
        QStringLiteral("MS"), QStringLiteral("100"));
    return o;
}
const QCommandLineOption &graceOption()
{
    static const QCommandLineOption o(QStringLiteral("grace"),
        QStringLiteral("Grace period before a request is declared unresponsive or "
                       "escalated (0..600000, default 1000)."),
        QStringLiteral("MS"), QStringLiteral("1000"));
    return o;
}
const QCommandLineOption &killTimeoutOption()
{
    static const QCommandLineOption o(QStringLiteral("kill-timeout"),
        QStringLiteral("Time a force-kill may take before the worker is declared "
                       "unresponsive (1..600000, default 1000)."),
        QStringLiteral("MS"), QStringLiteral("1000"));
    return o;
}
const QCommandLineOption &workersOption()
{
    static const QCommandLineOption o(QStringLiteral("workers"),
        QStringLiteral("Workers side by side in each repetition (1..512, default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    return o;
}
const QCommandLineOption &repeatOption(bool bench)
{
    static const QCommandLineOption run(QStringLiteral("repeat"),
        QStringLiteral("Repetitions, one after another, each with fresh workers "
                       "(1..10000, default 1)."),
        QStringLiteral("N"), QStringLiteral("1"));
    static const QCommandLineOption benchOpt(QStringLiteral("repeat"),
        QStringLiteral("Repetitions of each latency case (1..10000, default "
                       "200)."),
        QStringLiteral("N"), QStringLiteral("200"));
    return bench ? benchOpt : run;
}
const QCommandLineOption &jsonOption()
{
    static const QCommandLineOption o(QStringLiteral("json"),
        QStringLiteral("Also write the results as JSON to FILE; with - the JSON goes "
                       "to stdout and the table to stderr."),
        QStringLiteral("FILE|-"));
    return o;
}
const QCommandLineOption &quietOption()
{
    static const QCommandLineOption o(
        QStringLiteral("quiet"), QStringLiteral("Print only the summary, not one line per run."));
    return o;
}

const QCommandLineOption &recordOption()
{
    static const QCommandLineOption o(QStringLiteral("record"),
        QStringLiteral("Save the whole run (every repetition) as a recording (.threadlab.json; gzip if FILE ends "
                       "in .gz)."),
        QStringLiteral("FILE"));
    return o;
}
const QCommandLineOption &traceOption()
{
    static const QCommandLineOption o(QStringLiteral("trace"),
        QStringLiteral("Write a Chrome trace JSON (opens in ui.perfetto.dev and Chrome DevTools)."),
        QStringLiteral("FILE"));
    return o;
}
const QCommandLineOption &csvOption()
{
    static const QCommandLineOption o(
        QStringLiteral("csv"), QStringLiteral("Write every event as CSV."), QStringLiteral("FILE"));
    return o;
}
const QCommandLineOption &measurementsOption()
{
    static const QCommandLineOption o(QStringLiteral("measurements"),
        QStringLiteral("Write the measurements per worker as CSV, or as a Markdown table if FILE ends in .md."),
        QStringLiteral("FILE"));
    return o;
}

const QCommandLineOption &screenshotOption()
{
    static const QCommandLineOption o(QStringLiteral("screenshot"),
        QStringLiteral("Draw the timeline headless: PNG, or SVG if FILE ends in .svg."), QStringLiteral("FILE"));
    return o;
}
const QCommandLineOption &scaleOption()
{
    static const QCommandLineOption o(QStringLiteral("scale"),
        QStringLiteral("Pixel density of the screenshot (0.5..4, default 1)."), QStringLiteral("N"));
    return o;
}
const QCommandLineOption &darkOption()
{
    static const QCommandLineOption o(QStringLiteral("dark"), QStringLiteral("Dark palette for the screenshot."));
    return o;
}

void setUp(QCommandLineParser &p, const QString &command)
{
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    const Command *c = findCommand(command);
    p.setApplicationDescription(c ? QString::fromUtf8(c->summary) : QString());
    if (command == u"run") {
        p.addOptions({ backendOption(), workloadOption(), paramOption(), stopOption(), stopAfterOption(), graceOption(),
            killTimeoutOption(), workersOption(), repeatOption(false), jsonOption(), quietOption(), recordOption(),
            traceOption(), csvOption(), measurementsOption(), screenshotOption(), scaleOption(), darkOption() });
    } else if (command == u"bench") {
        p.addOptions({ repeatOption(true), jsonOption() });
    } else if (command == u"list") {
        p.addPositionalArgument(QStringLiteral("what"),
            QStringLiteral("backends, workloads, methods or scenarios (default: all)"),
            QStringLiteral("[backends|workloads|methods|scenarios]"));
    } else if (command == u"help") {
        p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("the command: %1").arg(commandNames()),
            QStringLiteral("[COMMAND]"));
    }
}

QString commandHelp(const QString &command)
{
    QCommandLineParser p;
    setUp(p, command);
    QString text = p.helpText();
    if (command == u"scenario")
        text += QStringLiteral("\nScenario options:\n"
                               "  --all            run every built-in scenario (see `threadlab list scenarios`)\n"
                               "  --check          check each worker against the scenario's expectations (always "
                               "done; exit 1 if one fails)\n"
                               "  --json <file|->  write the results as JSON (- for stdout)\n");
    else if (command == u"matrix")
        text += QStringLiteral(
            "\nMatrix options:\n"
            "  --backends <a,b>          backends to measure (default: all that are available)\n"
            "  --workloads <w[:k=v],..>  workloads with their parameters, e.g. lock-holder:raii=false:gap_ms=0\n"
            "  --methods <m,...>         stop methods (default: request, force, escalate)\n"
            "  --repeat <N>              runs per cell (the cell shows the median latency)\n"
            "  --stop-after <ms>         stop each worker this long after it started\n"
            "  --grace <ms>, --kill-timeout <ms>  the stop deadlines\n"
            "  --parallel <N>            runs measured at the same time (1..64)\n"
            "  --json <file|->, --markdown <file|->  write the grid as JSON or Markdown\n");
    if (command == u"scenario" || command == u"export")
        text += QStringLiteral("\nExports:\n") + CliExports::helpText(CliExports::All);
    else if (command == u"matrix")
        text += QStringLiteral("\nExports:\n")
            + CliExports::helpText(CliExports::Record | CliExports::Trace | CliExports::Csv | CliExports::Measurements);
    const Command *c = findCommand(command);
    const qsizetype eol = text.indexOf(QLatin1Char('\n'));
    const QString usage = QStringLiteral("Usage: threadlab ") + QString::fromLatin1(c ? c->synopsis : "");
    return eol >= 0 ? usage + text.mid(eol) : usage + QLatin1Char('\n');
}

QString mainHelp()
{
    QString text = QStringLiteral("Usage: threadlab [--help] [--version] [COMMAND [options]]\n"
                                  "ThreadLab: a laboratory for stopping threads and processes.\n"
                                  "With no command it opens the desktop lab (or, with no display, runs "
                                  "`threadlab demo`).\n\n"
                                  "Options:\n"
                                  "  -h, --help     Displays help on commandline options.\n"
                                  "  -v, --version  Displays version information.\n\n"
                                  "Commands:\n");
    for (const Command &c : commandTable())
        text += QStringLiteral("  %1 %2\n")
                    .arg(QString::fromLatin1(c.name).leftJustified(8), QString::fromUtf8(c.summary));
    text += QStringLiteral("\n`threadlab help COMMAND` or `threadlab COMMAND --help` shows a command's options.\n"
                           "Exit codes: 0 success, 1 runtime failure, 2 bad usage or input.\n");
    return text;
}

/// Parses a sub-command's arguments. Returns -1 to go on, or an exit code (help printed, or an error).
int parseSub(QCommandLineParser &p, const QString &command, const QStringList &rest)
{
    setUp(p, command);
    if (!p.parse(QStringList { QStringLiteral("threadlab") } + rest))
        return usageError(QStringLiteral("%1: %2 (see threadlab %1 --help)").arg(command, p.errorText()));
    if (p.isSet(QStringLiteral("help"))) {
        write(stdout, commandHelp(command));
        return ExitOk;
    }
    return -1;
}

bool intOption(
    const QCommandLineParser &p, const QCommandLineOption &o, qint64 min, qint64 max, int *out, QString *error)
{
    const QString name = o.names().constFirst();
    const QString text = p.value(o);
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok) {
        *error = QStringLiteral("--%1 '%2' is not a number (allowed: %3..%4)").arg(name, text).arg(min).arg(max);
        return false;
    }
    if (v < min || v > max) {
        *error = QStringLiteral("--%1 %2 is out of range (allowed: %3..%4)").arg(name).arg(v).arg(min).arg(max);
        if (name == u"workers" && v > max)
            *error = QStringLiteral("--workers %1: more than %2 workers (allowed: %3..%2)").arg(v).arg(max).arg(min);
        return false;
    }
    *out = int(v);
    return true;
}

// --- list ---------------------------------------------------------------------------------------

QString listBackends()
{
    QString out = QStringLiteral("Backends:\n");
    for (const auto &t : backendTerms())
        out += QStringLiteral("  %1 %2\n")
                   .arg(QString::fromLatin1(t.name).leftJustified(11), QString::fromUtf8(t.description));
    return out;
}

QString listWorkloads()
{
    QString out = QStringLiteral("Workloads:\n");
    for (const WorkloadInfo &w : WorkloadRegistry::all()) {
        out += QStringLiteral("  %1 %2%3\n")
                   .arg(w.name.leftJustified(14), w.description,
                       w.processOnly ? QStringLiteral(" (process backend only)") : QString());
        QStringList synopses;
        for (const ParamSpec &s : w.params)
            synopses << s.synopsis();
        out += QStringLiteral("  %1 params: %2\n")
                   .arg(QString().leftJustified(14),
                       synopses.isEmpty() ? QStringLiteral("none") : synopses.join(QStringLiteral(", ")));
        out += QStringLiteral("  %1 cancellation points: %2\n").arg(QString().leftJustified(14), w.cancellationPoints);
    }
    return out;
}

QString listMethods()
{
    // Which backends allow each method: asked of real (never started) workers.
    Lab lab;
    QList<Worker *> probes;
    const QString workload = WorkloadRegistry::names(false).value(0);
    Params params;
    QString error;
    WorkloadRegistry::resolve(workload, QStringList(), &params, &error);
    for (const auto &b : backendTerms()) {
        WorkerSpec spec { QStringLiteral("probe"), b.value, workload, params };
        probes << lab.addWorker(spec, &error);
    }
    QString out = QStringLiteral("Stop methods:\n");
    for (const auto &m : stopMethodTerms()) {
        QStringList allowed;
        for (qsizetype i = 0; i < probes.size(); ++i)
            if (probes[i] && RunSession::backendRefusal(*probes[i], m.value).isEmpty())
                allowed << QString::fromLatin1(backendTerms()[i].name);
        out += QStringLiteral("  %1 %2\n")
                   .arg(QString::fromLatin1(m.name).leftJustified(12), QString::fromUtf8(m.description));
        out += QStringLiteral("  %1 backends: %2\n")
                   .arg(QString().leftJustified(12),
                       allowed.isEmpty() ? QStringLiteral("none yet") : allowed.join(QStringLiteral(", ")));
    }
    out += QStringLiteral("  %1 %2\n")
               .arg(u"none"_qs.leftJustified(12), u"(threadlab run only) do not stop: let the workload complete"_qs);
    lab.shutdown(1000);
    return out;
}

int list(const QStringList &rest)
{
    QCommandLineParser p;
    if (const int code = parseSub(p, QStringLiteral("list"), rest); code >= 0)
        return code;
    const QStringList what = p.positionalArguments();
    if (what.size() > 1)
        return usageError(
            QStringLiteral("list: unexpected argument '%1' (allowed: backends, workloads, methods, scenarios)")
                .arg(what.at(1)));
    const QString w = what.value(0);
    if (w.isEmpty()) {
        write(stdout, listBackends() + QLatin1Char('\n') + listWorkloads() + QLatin1Char('\n') + listMethods());
    } else if (w == u"backends") {
        write(stdout, listBackends());
    } else if (w == u"workloads") {
        write(stdout, listWorkloads());
    } else if (w == u"methods") {
        write(stdout, listMethods());
    } else if (w == u"scenarios") {
        QTextStream out(stdout);
        return listScenariosCommand(out);
    } else {
        return usageError(
            QStringLiteral("list: unknown list '%1' (allowed: backends, workloads, methods, scenarios)").arg(w));
    }
    return ExitOk;
}

// --- run ----------------------------------------------------------------------------------------

/// Keeps still-running (unstoppable) threads from touching freed globals during exit: after a shutdown
/// that left threads running, the process ends at once (stdio flushed) instead of running destructors.
[[noreturn]] void exitNow(int code)
{
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

int finishLab(Lab &lab, FILE *notes, int code)
{
    const ShutdownReport report = lab.shutdown(2000);
    if (!report.stillRunning.isEmpty()) {
        writeLine(notes,
            QStringLiteral("note: still running at exit (cannot be stopped, kept alive): %1")
                .arg(report.stillRunning.join(QStringLiteral(", "))));
        exitNow(code);
    }
    return code;
}

/// A declared worker of `threadlab run`, as it goes into the recording (taken before the lab forgets it).
RecordedWorker recordedWorker(const Lab &lab, const RunResult &r)
{
    RecordedWorker w;
    w.id = r.events.isEmpty() ? 0 : r.events.constFirst().worker;
    w.name = r.worker;
    w.backend = r.backend;
    w.workload = r.workload;
    w.params = r.params;
    w.method = r.method;
    w.outcome = r.outcome;
    w.leaks = r.leaks;
    w.latencies = r.latencies;
    if (const Worker *worker = lab.worker(w.id)) {
        w.stderrTail = worker->stderrTail();
        w.stepsDone = worker->stepsDone();
        w.cpuTimeNs = worker->cpuTimeNs();
        if (const auto *process = qobject_cast<const ProcessWorker *>(worker))
            w.hostPid = process->pid();
    }
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

int run(const QStringList &rest)
{
    QCommandLineParser p;
    if (const int code = parseSub(p, QStringLiteral("run"), rest); code >= 0)
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("run: unexpected argument '%1' (options start with --; see threadlab run "
                                         "--help)")
                              .arg(p.positionalArguments().constFirst()));
    RunOptions o;
    const QString backend = p.value(backendOption());
    const auto b = backendFromString(backend);
    if (!b)
        return usageError(QStringLiteral("unknown backend '%1' (allowed: %2)")
                              .arg(backend, allNames(backendTerms()).join(QStringLiteral(", "))));
    o.backend = *b;
    if (!p.isSet(workloadOption()))
        return usageError(QStringLiteral("run: --workload is required (allowed: %1)")
                              .arg(WorkloadRegistry::names().join(QStringLiteral(", "))));
    o.workload = p.value(workloadOption());
    const QStringList assignments = p.values(paramOption());
    for (const QString &a : assignments) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        if (eq <= 0 || a.left(eq).trimmed().isEmpty())
            return usageError(QStringLiteral("malformed --param '%1': expected key=value").arg(a));
    }
    QString error;
    if (!WorkloadRegistry::resolve(o.workload, assignments, &o.params, &error))
        return usageError(error);
    const QString stop = p.value(stopOption());
    if (stop == u"none") {
        o.method.reset();
    } else if (const auto m = stopMethodFromString(stop)) {
        o.method = *m;
    } else {
        return usageError(QStringLiteral("unknown stop method '%1' (allowed: %2, none)")
                              .arg(stop, allNames(stopMethodTerms()).join(QStringLiteral(", "))));
    }
    if (!intOption(p, stopAfterOption(), 0, 600'000, &o.stopAfterMs, &error)
        || !intOption(p, graceOption(), 0, 600'000, &o.policy.graceMs, &error)
        || !intOption(p, killTimeoutOption(), 1, 600'000, &o.policy.killTimeoutMs, &error)
        || !intOption(p, workersOption(), 1, 512, &o.workers, &error)
        || !intOption(p, repeatOption(false), 1, 10'000, &o.repeat, &error))
        return usageError(error);
    const QString jsonPath = p.value(jsonOption());
    if (p.isSet(jsonOption()) && jsonPath.isEmpty())
        return usageError(QStringLiteral("--json needs a file name or - (stdout)"));
    const bool quiet = p.isSet(quietOption());
    FILE *table = jsonPath == u"-" ? stderr : stdout;
    ExportTargets exports;
    const std::pair<const QCommandLineOption *, QString *> fileOptions[] = {
        { &recordOption(), &exports.record },
        { &traceOption(), &exports.trace },
        { &csvOption(), &exports.csv },
        { &measurementsOption(), &exports.measurements },
        { &screenshotOption(), &exports.screenshot },
    };
    for (const auto &[option, field] : fileOptions) {
        *field = p.value(*option);
        if (p.isSet(*option) && field->isEmpty())
            return usageError(QStringLiteral("--%1 needs a file name").arg(option->names().constFirst()));
    }
    if (p.isSet(scaleOption())) {
        const QStringList scaleArgs { QStringLiteral("--scale"), p.value(scaleOption()) };
        qsizetype at = 0;
        if (CliExports::takeOption(scaleArgs, at, CliExports::Screenshot, &exports, &error) < 0)
            return usageError(error);
    }
    exports.dark = p.isSet(darkOption());
    if (const int code = CliExports::validate(exports, &error)) {
        if (code == ExitUsage)
            return usageError(error);
        writeLine(stderr, QStringLiteral("threadlab: ") + error);
        return code;
    }

    Lab lab;
    RunSession session(&lab, o);
    bool headerPrinted = false;
    // Every repetition's workers, snapshotted when declared (the lab forgets them between repetitions).
    QList<RecordedWorker> recorded;
    QObject::connect(&session, &RunSession::recordReady, &session, [&](const RunResult &r) {
        if (exports.any())
            recorded << recordedWorker(lab, r);
        if (quiet)
            return;
        if (!headerPrinted)
            writeLine(table, Report::tableHeader());
        headerPrinted = true;
        writeLine(table, Report::tableLine(r));
    });
    QObject::connect(&session, &RunSession::note, &session,
        [&](const QString &line) { writeLine(table, QStringLiteral("note: ") + line); });
    int code = session.exec(&error);
    if (code != ExitOk) {
        if (code == ExitUsage)
            usageError(error);
        else
            writeLine(stderr, QStringLiteral("threadlab: ") + error);
        return finishLab(lab, stderr, code);
    }
    write(table, Report::summary(session.records()));
    if (const qint64 dropped = lab.log().dropped(); dropped > 0)
        writeLine(table,
            QStringLiteral("events dropped: %1 (the event log holds at most %2 events; figures that need a dropped "
                           "event are missing)")
                .arg(dropped)
                .arg(lab.log().capacity()));
    if (!jsonPath.isEmpty() && !Report::writeJson(Report::runsDocument(session.records()), jsonPath, &error)) {
        writeLine(stderr, QStringLiteral("threadlab: ") + error);
        code = ExitFailure;
    }
    if (exports.any()) {
        const Recording rec = runRecording(lab, o, recorded);
        if (CliExports::write(rec, exports, &error) != 0) {
            for (const QString &line : error.split(QLatin1Char('\n')))
                writeLine(stderr, QStringLiteral("threadlab: ") + line);
            code = ExitFailure;
        }
    }
    return finishLab(lab, table, code);
}

// --- export -------------------------------------------------------------------------------------

int exportCommand(const QStringList &rest)
{
    if (rest.contains(u"--help"_qs) || rest.contains(u"-h"_qs)) {
        write(stdout, commandHelp(QStringLiteral("export")));
        return ExitOk;
    }
    ExportTargets exports;
    QStringList inputs;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        QString error;
        const int taken = CliExports::takeOption(rest, i, CliExports::All, &exports, &error);
        if (taken < 0)
            return usageError(QStringLiteral("export: ") + error);
        if (taken > 0)
            continue;
        if (rest.at(i).startsWith(u"-") && rest.at(i) != u"-")
            return usageError(QStringLiteral("export: unknown option '%1' (allowed: --record, --trace, --csv, "
                                             "--measurements, --screenshot, --scale, --dark)")
                                  .arg(rest.at(i)));
        inputs << rest.at(i);
    }
    if (inputs.size() != 1)
        return usageError(inputs.isEmpty()
                ? QStringLiteral("export: name one recording (threadlab export RECORDING --trace FILE ...)")
                : QStringLiteral("export: unexpected argument '%1' (one recording at a time)").arg(inputs.at(1)));
    if (!exports.any())
        return usageError(QStringLiteral("export: nothing to write (use --trace, --csv, --measurements, "
                                         "--screenshot or --record)"));
    QString error;
    if (const int code = CliExports::validate(exports, &error)) {
        writeLine(stderr, QStringLiteral("threadlab: ") + error);
        return code;
    }
    const auto rec = RecordingIO::load(inputs.constFirst(), &error);
    if (!rec)
        return usageError(error);
    if (CliExports::write(*rec, exports, &error) != 0) {
        for (const QString &line : error.split(QLatin1Char('\n')))
            writeLine(stderr, QStringLiteral("threadlab: ") + line);
        return ExitFailure;
    }
    return ExitOk;
}

// --- bench --------------------------------------------------------------------------------------

int bench(const QStringList &rest)
{
    QCommandLineParser p;
    if (const int code = parseSub(p, QStringLiteral("bench"), rest); code >= 0)
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("bench: unexpected argument '%1'").arg(p.positionalArguments().constFirst()));
    int repeat = 200;
    QString error;
    if (!intOption(p, repeatOption(true), 1, 10'000, &repeat, &error))
        return usageError(error);
    const QString jsonPath = p.value(jsonOption());
    if (p.isSet(jsonOption()) && jsonPath.isEmpty())
        return usageError(QStringLiteral("--json needs a file name or - (stdout)"));
    FILE *table = jsonPath == u"-" ? stderr : stdout;

    Lab lab;
    const QList<BenchRow> rows = Benchmark::run(Benchmark::defaultCases(), lab, repeat,
        [](const QString &name) { writeLine(stderr, QStringLiteral("bench: %1").arg(name)); });
    write(table, Benchmark::table(rows));
    int code = ExitOk;
    if (!jsonPath.isEmpty() && !Report::writeJson(Benchmark::toJson(rows, repeat), jsonPath, &error)) {
        writeLine(stderr, QStringLiteral("threadlab: ") + error);
        code = ExitFailure;
    }
    return finishLab(lab, table, code);
}

// --- demo ---------------------------------------------------------------------------------------

struct DemoStep
{
    const char *title;
    Backend backend;
    const char *workload;
    QStringList params;
    StopMethod method;
    int stopAfterMs;
    int killTimeoutMs;
};

int runDemo()
{
    const QList<DemoStep> steps = {
        { "A thread asked to stop (request) notices at its next check", Backend::Thread, "cpu-spin",
            { u"step_us=50"_qs }, StopMethod::Request, 50, 1000 },
        { "A sleeping thread force-killed (QThread::terminate) dies at its sleep", Backend::Thread, "sleep-steps",
            { u"step_ms=5"_qs }, StopMethod::Force, 50, 1000 },
        { "A busy loop that never checks ignores terminate: unresponsive, still burning CPU", Backend::Thread,
            "cpu-ignore", { u"run_ms=1000"_qs }, StopMethod::Force, 50, 300 },
        { "Force-killed while holding a raw-locked mutex: the lock stays held (a leak, then recovered)",
            Backend::Thread, "lock-holder", { u"raii=false"_qs, u"hold_ms=50"_qs, u"gap_ms=0"_qs }, StopMethod::Force,
            120, 1000 },
    };
    writeLine(stdout,
        QStringLiteral("ThreadLab %1 demonstration: starting workers and stopping them, headless.")
            .arg(QStringLiteral(THREADLAB_VERSION)));
    Lab lab;
    for (const DemoStep &s : steps) {
        RunOptions o;
        o.backend = s.backend;
        o.workload = QString::fromLatin1(s.workload);
        o.method = s.method;
        o.stopAfterMs = s.stopAfterMs;
        o.policy.killTimeoutMs = s.killTimeoutMs;
        o.repeat = 1;
        QString error;
        writeLine(stdout,
            QStringLiteral("\n== %1\n   threadlab run --backend %2 --workload %3%4 --stop %5 "
                           "--stop-after %6%7")
                .arg(QString::fromUtf8(s.title), toString(s.backend), o.workload,
                    s.params.isEmpty() ? QString()
                                       : QStringLiteral(" --param ") + s.params.join(QStringLiteral(" --param ")),
                    toString(s.method))
                .arg(s.stopAfterMs)
                .arg(s.killTimeoutMs != 1000 ? QStringLiteral(" --kill-timeout %1").arg(s.killTimeoutMs) : QString()));
        if (!WorkloadRegistry::resolve(o.workload, s.params, &o.params, &error)) {
            writeLine(stdout, QStringLiteral("   skipped: ") + error);
            continue;
        }
        RunSession session(&lab, o);
        QObject::connect(&session, &RunSession::recordReady, &session, [](const RunResult &r) {
            writeLine(stdout, Report::tableHeader());
            writeLine(stdout, Report::tableLine(r));
        });
        QObject::connect(&session, &RunSession::note, &session,
            [](const QString &line) { writeLine(stdout, QStringLiteral("note: ") + line); });
        if (session.exec(&error) != ExitOk)
            writeLine(stdout, QStringLiteral("   skipped: ") + error);
    }
    writeLine(stdout, QStringLiteral("\nMore: threadlab --help, threadlab list, threadlab bench."));
    return finishLab(lab, stdout, ExitOk);
}

int demoCommand(const QStringList &rest)
{
    QCommandLineParser p;
    if (const int code = parseSub(p, QStringLiteral("demo"), rest); code >= 0)
        return code;
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("demo: unexpected argument '%1'").arg(p.positionalArguments().constFirst()));
    return runDemo();
}

} // namespace

QStringList Cli::commands()
{
    QStringList out;
    for (const Command &c : commandTable())
        out << QString::fromLatin1(c.name);
    return out;
}

int Cli::demo()
{
    return runDemo();
}

int Cli::exec(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption help = p.addHelpOption();
    const QCommandLineOption version = p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("the command"));
    if (!p.parse(arguments))
        return usageError(QStringLiteral("%1 (see threadlab --help)").arg(p.errorText()));
    const QStringList positional = p.positionalArguments();
    if (positional.isEmpty()) {
        if (p.isSet(version)) {
            writeLine(stdout, QStringLiteral("threadlab %1").arg(QStringLiteral(THREADLAB_VERSION)));
            return ExitOk;
        }
        write(stdout, mainHelp());
        return ExitOk;
    }
    if (p.isSet(help)) {
        write(stdout, mainHelp());
        return ExitOk;
    }
    if (p.isSet(version)) {
        writeLine(stdout, QStringLiteral("threadlab %1").arg(QStringLiteral(THREADLAB_VERSION)));
        return ExitOk;
    }
    const QString command = positional.constFirst();
    const QStringList rest = positional.mid(1);
    if (command == u"list")
        return list(rest);
    if (command == u"run")
        return run(rest);
    if (command == u"bench")
        return bench(rest);
    if (command == u"demo")
        return demoCommand(rest);
    if (command == u"export")
        return exportCommand(rest);
    if (command == u"gui") {
        if (rest.contains(u"--help"_qs) || rest.contains(u"-h"_qs)) {
            write(stdout, commandHelp(command));
            return ExitOk;
        }
        return usageError(QStringLiteral("gui: the desktop lab is started by the threadlab program itself"));
    }
    if (command == u"scenario" || command == u"matrix") {
        if (rest.contains(u"--help"_qs) || rest.contains(u"-h"_qs)) {
            write(stdout, commandHelp(command));
            return ExitOk;
        }
        QTextStream out(stdout);
        QTextStream err(stderr);
        return command == u"scenario" ? scenarioCommand(rest, out, err) : matrixCommand(rest, out, err);
    }
    if (command == u"help") {
        QCommandLineParser hp;
        if (const int code = parseSub(hp, command, rest); code >= 0)
            return code;
        const QString topic = hp.positionalArguments().value(0);
        if (topic.isEmpty()) {
            write(stdout, mainHelp());
            return ExitOk;
        }
        if (!findCommand(topic))
            return usageError(QStringLiteral("unknown command '%1' (allowed: %2)").arg(topic, commandNames()));
        write(stdout, commandHelp(topic));
        return ExitOk;
    }
    return usageError(QStringLiteral("unknown command '%1' (allowed: %2)").arg(command, commandNames()));
}

} // namespace threadlab
