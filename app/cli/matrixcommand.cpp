// `threadlab matrix`: the stop-method matrix (workloads × methods × backends), as a grid, JSON or Markdown.
#include "commands.h"

#include "cliexports.h"
#include "lab/labcapture.h"
#include "recording/recording.h"
#include "report.h"
#include "scenarios/matrixrunner.h"
#include "scenarios/scenariorunner.h"
#include "workloads/workload.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>

#include <unistd.h>

namespace threadlab {

namespace {

constexpr int ExportOptions = CliExports::Record | CliExports::Trace | CliExports::Csv | CliExports::Measurements;

QList<QCommandLineOption> matrixOptions()
{
    const QString backends = allNames(backendTerms()).join(QStringLiteral(", "));
    const QString methods = allNames(stopMethodTerms()).join(QStringLiteral(", "));
    return QList<QCommandLineOption> {
        { QStringLiteral("backends"),
            QStringLiteral("Backends to measure, comma-separated: %1 (default: all).").arg(backends),
            QStringLiteral("a,b") },
        { QStringLiteral("workloads"),
            QStringLiteral("Workloads with their parameters, comma-separated, e.g. "
                           "lock-holder:raii=false:gap_ms=0 (default: a teaching set)."),
            QStringLiteral("w[:k=v],...") },
        { QStringLiteral("methods"),
            QStringLiteral("Stop methods, comma-separated: %1 (default: request, force, escalate).").arg(methods),
            QStringLiteral("m,...") },
        { QStringLiteral("repeat"), QStringLiteral("Runs per cell; the cell shows the median latency (1..1000)."),
            QStringLiteral("N") },
        { QStringLiteral("stop-after"), QStringLiteral("Stop each worker this long after it started (0..600000)."),
            QStringLiteral("MS") },
        { QStringLiteral("grace"), QStringLiteral("Grace period of a request (0..600000)."), QStringLiteral("MS") },
        { QStringLiteral("kill-timeout"), QStringLiteral("Time a kill may take (0..600000)."), QStringLiteral("MS") },
        { QStringLiteral("parallel"), QStringLiteral("Runs measured at the same time (1..64)."), QStringLiteral("N") },
        { QStringLiteral("json"), QStringLiteral("Write the grid as JSON (- for stdout)."), QStringLiteral("FILE|-") },
        { QStringLiteral("markdown"), QStringLiteral("Write the grid as Markdown (- for stdout)."),
            QStringLiteral("FILE|-") },
    }
    + CliExports::options(ExportOptions);
}

/// The items of a comma-separated option: no empty items, no spaces.
bool listItems(
    const QCommandLineParser &p, const QString &name, const QString &allowed, QStringList *out, QString *error)
{
    const QString v = p.value(name);
    *out = v.split(u',');
    for (const QString &item : std::as_const(*out)) {
        if (item.isEmpty() || std::any_of(item.cbegin(), item.cend(), [](QChar c) { return c.isSpace(); })) {
            *error = QStringLiteral("--%1 '%2' is not a comma-separated list without spaces (allowed: %3)")
                         .arg(name, v, allowed);
            return false;
        }
    }
    return true;
}

/// Reads the options into o; false with a one-line error.
bool readOptions(const QCommandLineParser &p, MatrixOptions &o, QString *error)
{
    QStringList items;
    if (p.isSet(QStringLiteral("backends"))) {
        const QString allowed = allNames(backendTerms()).join(QStringLiteral(", "));
        if (!listItems(p, QStringLiteral("backends"), allowed, &items, error))
            return false;
        o.backends.clear();
        for (const QString &b : std::as_const(items)) {
            const auto backend = backendFromString(b);
            if (!backend) {
                *error = QStringLiteral("unknown backend '%1' (allowed: %2)").arg(b, allowed);
                return false;
            }
            o.backends << *backend;
        }
    }
    if (p.isSet(QStringLiteral("methods"))) {
        const QString allowed = allNames(stopMethodTerms()).join(QStringLiteral(", "));
        if (!listItems(p, QStringLiteral("methods"), allowed, &items, error))
            return false;
        o.methods.clear();
        for (const QString &m : std::as_const(items)) {
            const auto method = stopMethodFromString(m);
            if (!method) {
                *error = QStringLiteral("unknown method '%1' (allowed: %2)").arg(m, allowed);
                return false;
            }
            o.methods << *method;
        }
    }
    if (p.isSet(QStringLiteral("workloads"))) {
        const QString allowed = WorkloadRegistry::names().join(QStringLiteral(", "));
        if (!listItems(p, QStringLiteral("workloads"), allowed, &items, error))
            return false;
        o.workloads.clear();
        for (const QString &w : std::as_const(items)) {
            const QStringList parts = w.split(u':');
            for (const QString &assignment : parts.mid(1))
                if (!cli::checkParam(parts.constFirst(), assignment, error))
                    return false;
            const auto mw = MatrixOptions::parseWorkload(w, error);
            if (!mw)
                return false;
            o.workloads << *mw;
        }
    }
    const std::tuple<const char *, int, int, int *> numbers[] = {
        { "repeat", 1, 1000, &o.repeat },
        { "stop-after", 0, 600'000, &o.stopAfterMs },
        { "grace", 0, 600'000, &o.policy.graceMs },
        { "kill-timeout", 0, 600'000, &o.policy.killTimeoutMs },
        { "parallel", 1, 64, &o.parallel },
    };
    for (const auto &[name, min, max, field] : numbers)
        if (p.isSet(QString::fromLatin1(name)) && !cli::intOption(p, QString::fromLatin1(name), min, max, field, error))
            return false;
    return true;
}

int matrix(const QCommandLineParser &p)
{
    if (const int code = cli::refuseArguments(p, QStringLiteral("matrix")); code >= 0)
        return code;
    MatrixOptions o = MatrixOptions::defaults();
    QString jsonTarget;
    QString markdownTarget;
    ExportTargets exports;
    QString error;
    if (!readOptions(p, o, &error)
        || !cli::fileOption(p, QStringLiteral("json"), &jsonTarget, &error, QStringLiteral("a file name or -"))
        || !cli::fileOption(p, QStringLiteral("markdown"), &markdownTarget, &error, QStringLiteral("a file name or -"))
        || !CliExports::fromParser(p, ExportOptions, &exports, &error))
        return cli::usageError(error);
    if (jsonTarget == u"-" && markdownTarget == u"-")
        return cli::usageError(QStringLiteral("matrix: --json - and --markdown - both want stdout (allowed: one of "
                                              "them, the other to a file)"));
    // Owned by the command's scope: it lives until the event loop has returned.
    auto *runner = new MatrixRunner(o, cli::commandScope());
    struct Shared
    {
        // --record: each run's lab is captured when the run finishes (before the runner retires and deletes it).
        Recording recording;
        QHash<QString, int> runsPerTitle;
    };
    auto shared = std::make_shared<Shared>();
    if (exports.any()) {
        shared->recording = Recording::startNew(QStringLiteral("threadlab matrix"));
        QObject::connect(runner, &MatrixRunner::progress, runner, [runner, shared, o](int, int, const QString &) {
            const auto runners = runner->findChildren<ScenarioRunner *>(Qt::FindDirectChildrenOnly);
            for (ScenarioRunner *r : runners) {
                if (!r->isFinished() || !r->lab() || r->property("threadlab_recorded").toBool())
                    continue;
                r->setProperty("threadlab_recorded", true);
                const QString title = r->scenario().title;
                const int n = ++shared->runsPerTitle[title];
                CliExports::append(shared->recording, captureLab(*r->lab(), title),
                    o.repeat > 1 ? QStringLiteral("%1 #%2").arg(title).arg(n) : title);
            }
        });
    }
    const bool tty = isatty(STDERR_FILENO) == 1;
    if (tty)
        QObject::connect(runner, &MatrixRunner::progress, runner, [](int done, int total, const QString &what) {
            cli::write(stderr,
                QStringLiteral("\r\x1b[K[%1/%2] %3").arg(done).arg(total).arg(cli::escapeControls(what.left(100))));
        });
    QObject::connect(
        runner, &MatrixRunner::finished, runner,
        [=] {
            if (tty)
                cli::write(stderr, QStringLiteral("\r\x1b[K"));
            cli::write(jsonTarget == u"-" || markdownTarget == u"-" ? stderr : stdout, runner->textGrid());
            int code = ExitOk;
            QString error;
            if (!jsonTarget.isEmpty()) {
                QJsonObject doc = runner->toJson();
                doc.insert(QStringLiteral("machine"), Report::scenarioMachine());
                if (!Report::writeJson(QJsonDocument(doc), jsonTarget, &error))
                    code = cli::failure(error);
            }
            if (!markdownTarget.isEmpty()) {
                if (markdownTarget == u"-") {
                    cli::write(stdout, runner->markdown());
                } else if (!cli::writeFile(markdownTarget, runner->markdown().toUtf8(), &error)) {
                    code = cli::failure(error);
                }
            }
            if (exports.any()) {
                Recording &recording = shared->recording;
                recording.parameters.insert(QStringLiteral("repeat"), o.repeat);
                recording.parameters.insert(QStringLiteral("stop_after_ms"), o.stopAfterMs);
                recording.parameters.insert(QStringLiteral("grace_ms"), o.policy.graceMs);
                recording.parameters.insert(QStringLiteral("kill_timeout_ms"), o.policy.killTimeoutMs);
                if (CliExports::write(recording, exports, &error) != 0)
                    code = cli::failure(error);
            }
            cli::exitWith(code);
        },
        Qt::QueuedConnection);
    runner->start();
    return cli::ExitPending;
}

} // namespace

CliCommand matrixCommand()
{
    return CliCommand {
        QStringLiteral("matrix"),
        QStringLiteral("matrix [--backends a,b] [--workloads w[:k=v],...] [--methods m,...] [--repeat N] "
                       "[--stop-after MS] [--grace MS] [--kill-timeout MS] [--parallel N] [--json FILE|-] "
                       "[--markdown FILE|-] [--record FILE] [--trace FILE] [--csv FILE] [--measurements FILE]"),
        QStringLiteral("measure the stop-method matrix: outcome class, median latency and leaks per combination"),
        &matrixOptions,
        {},
        &matrix,
        {},
    };
}

} // namespace threadlab
