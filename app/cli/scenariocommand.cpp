// `threadlab scenario`: runs scenarios headless and checks each lesson's expectations (also `threadlab demo`).
#include "commands.h"

#include "cliexports.h"
#include "events/eventlog.h"
#include "lab/lab.h"
#include "lab/labcapture.h"
#include "model/workerfold.h"
#include "recording/recording.h"
#include "report.h"
#include "scenarios/lessonrecord.h"
#include "scenarios/lessontext.h"
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
        { QStringLiteral("lesson"),
            QStringLiteral("Print each scenario's lesson after its lines, with the numbers this run measured.") },
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
    return runScenarios(targets, jsonTarget, exports, {}, p.isSet(QStringLiteral("lesson")));
}

} // namespace

namespace {

/// The scenarios of one command, run one after the other on the event loop.
class ScenarioSequence : public QObject
{
public:
    ScenarioSequence(
        QList<Scenario> scenarios, QString jsonTarget, ExportTargets exports, QString epilogue, bool showLesson)
        : QObject(cli::commandScope())
        , m_scenarios(std::move(scenarios))
        , m_jsonTarget(std::move(jsonTarget))
        , m_exports(std::move(exports))
        , m_epilogue(std::move(epilogue))
        , m_showLesson(showLesson)
        // Human-readable lines go to stderr when the JSON goes to stdout.
        , m_text(m_jsonTarget == u"-" ? stderr : stdout)
    {
    }

    void next()
    {
        if (m_index >= m_scenarios.size()) {
            finish();
            return;
        }
        auto *runner = new ScenarioRunner(m_scenarios.at(m_index), nullptr, this);
        // Queued: the runner is done with its own signal before it is read and deleted.
        connect(
            runner, &ScenarioRunner::finished, this, [this, runner] { scenarioDone(runner); }, Qt::QueuedConnection);
        runner->runLive();
    }

private:
    void scenarioDone(ScenarioRunner *runner)
    {
        const Scenario &sc = m_scenarios.at(m_index);
        const ScenarioResult &r = runner->result();
        for (const QString &line : resultText(r).split(u'\n', Qt::SkipEmptyParts))
            cli::writeLine(m_text, cli::escapeControls(line));
        if (m_showLesson) {
            // The runner filled the lesson's placeholders from this run's folds: the numbers are measured here.
            for (const QString &line : LessonText::toPlainText(r.lesson).split(u'\n', Qt::SkipEmptyParts))
                cli::writeLine(m_text, QStringLiteral("    ") + cli::escapeControls(line));
        }
        m_results.append(r.toJson());
        m_failed = m_failed || (!r.skipped && !r.passed());
        if (m_exports.any() && runner->lab()) {
            // One recording of the whole command: the scenario's lab, or every scenario's lab one after another.
            Recording part = captureLab(*runner->lab(), sc.title);
            part.scenario = sc.id;
            // The recording keeps the lesson and its result, so it reopens with the lesson (one per scenario).
            for (const RunInfo &run : std::as_const(part.runs))
                if (run.id == runner->run().id)
                    part.lessons.insert(run.id, recordedLesson(sc, &r));
            if (m_scenarios.size() == 1) {
                // The template: a viewer fills its placeholders from the recorded folds.
                part.parameters.insert(QStringLiteral("lesson"), sc.lesson);
                m_recording = part;
            } else {
                if (m_recording.threadlabVersion.isEmpty())
                    m_recording = Recording::startNew(QStringLiteral("%1 scenarios").arg(m_scenarios.size()));
                CliExports::append(m_recording, part, sc.id);
            }
        }
        runner->deleteLater();
        ++m_index;
        next();
    }

    void finish()
    {
        int code = m_failed ? ExitFailure : ExitOk;
        QString error;
        if (m_exports.any() && CliExports::write(m_recording, m_exports, &error) != 0)
            code = cli::failure(error);
        if (!m_jsonTarget.isEmpty()) {
            const QJsonObject doc { { QStringLiteral("threadlab"), QStringLiteral(THREADLAB_VERSION) },
                { QStringLiteral("machine"), Report::scenarioMachine() }, { QStringLiteral("scenarios"), m_results } };
            if (!Report::writeJson(QJsonDocument(doc), m_jsonTarget, &error))
                code = cli::failure(error);
        }
        if (!m_epilogue.isEmpty())
            cli::writeLine(stdout, m_epilogue);
        cli::exitWith(code);
    }

    const QList<Scenario> m_scenarios;
    const QString m_jsonTarget;
    const ExportTargets m_exports;
    const QString m_epilogue;
    const bool m_showLesson;
    FILE *const m_text;
    qsizetype m_index = 0;
    QJsonArray m_results;
    bool m_failed = false;
    Recording m_recording;
};

} // namespace

int runScenarios(const QStringList &names, const QString &jsonTarget, const ExportTargets &exports,
    const QString &epilogue, bool showLesson)
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
    auto *sequence = new ScenarioSequence(scenarios, jsonTarget, exports, epilogue, showLesson);
    sequence->next();
    return cli::ExitPending;
}

CliCommand scenarioCommand()
{
    return CliCommand {
        QStringLiteral("scenario"),
        QStringLiteral(
            "scenario NAME|FILE... [--all] [--check] [--lesson] [--json FILE|-] [--record FILE] [--trace FILE] "
            "[--csv FILE] [--measurements FILE] [--screenshot FILE [--scale N] [--dark]]"),
        QStringLiteral("run scenarios headless and check each lesson's expectations (exit 1 if one fails, 2 on a bad "
                       "file)"),
        &scenarioOptions,
        { { QStringLiteral("scenario"),
            QStringLiteral("a built-in scenario (threadlab list scenarios), its number (7 for 07-...) or a file"),
            QStringLiteral("NAME|FILE...") } },
        &scenario,
        QStringLiteral("Exit codes: 0 every expectation met (or skipped), 1 one failed or a file could not be written, "
                       "2 bad usage or a bad scenario file.\n"),
    };
}

} // namespace threadlab
