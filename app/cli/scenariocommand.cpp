// `threadlab scenario`: runs scenarios headless and checks each lesson's expectations (also `threadlab demo`).
#include "commands.h"

#include "cliexports.h"
#include "events/eventlog.h"
#include "lab/lab.h"
#include "lab/labcapture.h"
#include "model/workerfold.h"
#include "recording/recording.h"
#include "report.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenariorunner.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace threadlab {

namespace {

QString latencyText(const std::optional<qint64> &ns)
{
    return ns ? formatDuration(*ns) : QStringLiteral("-");
}

/// The lines of one scenario: each worker's outcome, latencies and headline read from its fold.
QString resultText(const ScenarioResult &r)
{
    QString out = QStringLiteral("%1  %2  [%3]\n").arg(r.id, r.title, r.verdict());
    if (r.skipped)
        out += QStringLiteral("  skipped: %1\n").arg(r.skipReason);
    if (!r.error.isEmpty())
        out += QStringLiteral("  error: %1\n").arg(r.error);
    for (const WorkerResult &w : r.workers) {
        if (!w.skipped.isEmpty()) {
            out += QStringLiteral("  %1  skipped: %2\n").arg(w.name.leftJustified(18), w.skipped);
            continue;
        }
        // The runner filled these from the fold of the worker's events.
        const Latencies &lat = w.latencies;
        QStringList leaks;
        for (const Leak &l : w.leaks)
            leaks << l.kind;
        const Outcome outcome = w.outcome;
        out += QStringLiteral("  %1 %2 %3 observed %4  joined %5  leaks %6  %7%8\n")
                   .arg(w.name.leftJustified(18), (toString(w.backend) + u' ' + w.workload).leftJustified(26),
                       (outcome == Outcome::None ? QStringLiteral("none") : toString(outcome)).leftJustified(13),
                       latencyText(lat.observed).leftJustified(9), latencyText(lat.joined).leftJustified(9),
                       (w.leaksKnown ? (leaks.isEmpty() ? QStringLiteral("none") : leaks.join(u',')) : u"?"_qs)
                           .leftJustified(8),
                       !w.checked ? QStringLiteral("-") : (w.passed() ? QStringLiteral("ok") : QStringLiteral("FAIL")),
                       w.headline.isEmpty() ? QString() : QStringLiteral("  ") + w.headline);
        for (const QString &f : w.failures)
            out += QStringLiteral("      expected: %1\n").arg(f);
        for (const QString &n : w.notes)
            out += QStringLiteral("      note: %1\n").arg(n);
    }
    return out;
}

QList<QCommandLineOption> scenarioOptions()
{
    return QList<QCommandLineOption> {
        { QStringLiteral("all"), QStringLiteral("Run every built-in scenario (see `threadlab list scenarios`).") },
        { QStringLiteral("check"),
            QStringLiteral("Check each worker against the scenario's expectations (always done; exit 1 if one "
                           "fails).") },
        { QStringLiteral("json"), QStringLiteral("Write the results as JSON (- for stdout, the lines to stderr)."),
            QStringLiteral("FILE|-") },
    }
    + CliExports::options(CliExports::All);
}

int scenario(const QCommandLineParser &p)
{
    QStringList targets = p.positionalArguments();
    if (p.isSet(QStringLiteral("all")))
        targets = ScenarioCatalogue::builtinNames() + targets;
    if (targets.isEmpty())
        return cli::usageError(
            QStringLiteral("scenario: name a built-in scenario or a file, or use --all (built-in: %1)")
                .arg(ScenarioCatalogue::builtinNames().join(QStringLiteral(", "))));
    QString jsonTarget;
    ExportTargets exports;
    QString error;
    if (!cli::fileOption(p, QStringLiteral("json"), &jsonTarget, &error, QStringLiteral("a file name or - (stdout)"))
        || !CliExports::fromParser(p, CliExports::All, &exports, &error))
        return cli::usageError(error);
    if (const int code = CliExports::validate(exports, &error))
        return code == ExitUsage ? cli::usageError(error) : cli::failure(error, code);
    return runScenarios(targets, jsonTarget, exports);
}

} // namespace

int runScenarios(const QStringList &names, const QString &jsonTarget, const ExportTargets &exports)
{
    // Nothing half-loaded: every file is parsed before anything runs.
    QList<Scenario> scenarios;
    for (const QString &t : names) {
        QString error;
        auto sc = ScenarioCatalogue::load(t, &error);
        if (!sc)
            return cli::usageError(error);
        scenarios << *sc;
    }
    // Human-readable lines go to stderr when the JSON goes to stdout.
    FILE *text = jsonTarget == u"-" ? stderr : stdout;
    QJsonArray results;
    bool failed = false;
    Recording recording;
    for (const Scenario &sc : std::as_const(scenarios)) {
        ScenarioRunner runner(sc);
        const ScenarioResult r = runner.exec();
        for (const QString &line : resultText(r).split(u'\n', Qt::SkipEmptyParts))
            cli::writeLine(text, cli::escapeControls(line));
        results.append(r.toJson());
        failed = failed || (!r.skipped && !r.passed());
        if (!exports.any() || !runner.lab())
            continue;
        // One recording of the whole command: the scenario's lab, or every scenario's lab one after another.
        Recording part = captureLab(*runner.lab(), sc.title);
        part.scenario = sc.id;
        if (scenarios.size() == 1) {
            recording = part;
        } else {
            if (recording.threadlabVersion.isEmpty())
                recording = Recording::startNew(QStringLiteral("%1 scenarios").arg(scenarios.size()));
            CliExports::append(recording, part, sc.id);
        }
    }
    int code = failed ? ExitFailure : ExitOk;
    QString error;
    if (exports.any() && CliExports::write(recording, exports, &error) != 0)
        code = cli::failure(error);
    if (!jsonTarget.isEmpty()) {
        const QJsonObject doc { { QStringLiteral("threadlab"), QStringLiteral(THREADLAB_VERSION) },
            { QStringLiteral("machine"), Report::scenarioMachine() }, { QStringLiteral("scenarios"), results } };
        if (!Report::writeJson(QJsonDocument(doc), jsonTarget, &error))
            code = cli::failure(error);
    }
    return code;
}

CliCommand scenarioCommand()
{
    return CliCommand {
        QStringLiteral("scenario"),
        QStringLiteral("scenario NAME|FILE... [--all] [--check] [--json FILE|-] [--record FILE] [--trace FILE] "
                       "[--csv FILE] [--measurements FILE] [--screenshot FILE [--scale N] [--dark]]"),
        QStringLiteral("run scenarios headless and check each lesson's expectations (exit 1 if one fails, 2 on a bad "
                       "file)"),
        &scenarioOptions,
        { { QStringLiteral("scenario"), QStringLiteral("a built-in scenario (threadlab list scenarios) or a file"),
            QStringLiteral("NAME|FILE...") } },
        &scenario,
        QStringLiteral("Exit codes: 0 every expectation met (or skipped), 1 one failed or a file could not be written, "
                       "2 bad usage or a bad scenario file.\n"),
    };
}

} // namespace threadlab
