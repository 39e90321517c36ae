// CLI entry points for scenarios and the matrix (wired by the CLI: `threadlab scenario|matrix|list scenarios`).
#include "scenariocommand.h"

#include "cliexports.h"
#include "scenarios/matrixrunner.h"
#include "lab/labcapture.h"
#include "recording/recording.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"
#include "scenarios/scenariorunner.h"
#include "workloads/workload.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSysInfo>
#include <QThread>

#include <unistd.h>

namespace threadlab {

namespace {

bool writeOutput(const QString &target, const QByteArray &data, QTextStream &out, QTextStream &err)
{
    if (target == u"-") {
        out << QString::fromUtf8(data);
        out.flush();
        return true;
    }
    QFile f(target);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        err << QStringLiteral("cannot write %1: %2\n").arg(target, f.errorString());
        return false;
    }
    return true;
}

QString latencyText(const std::optional<qint64> &ns)
{
    return ns ? formatDuration(*ns) : QStringLiteral("-");
}

void printResult(const ScenarioResult &r, QTextStream &out)
{
    out << QStringLiteral("%1  %2  [%3]\n").arg(r.id, r.title, r.verdict());
    if (r.skipped)
        out << QStringLiteral("  skipped: %1\n").arg(r.skipReason);
    if (!r.error.isEmpty())
        out << QStringLiteral("  error: %1\n").arg(r.error);
    for (const WorkerResult &w : r.workers) {
        if (!w.skipped.isEmpty()) {
            out << QStringLiteral("  %1  skipped: %2\n").arg(w.name.leftJustified(18), w.skipped);
            continue;
        }
        QStringList leaks;
        for (const Leak &l : w.leaks)
            leaks << l.kind;
        out << QStringLiteral("  %1 %2 %3 observed %4  joined %5  leaks %6  %7\n")
                   .arg(w.name.leftJustified(18), (toString(w.backend) + u' ' + w.workload).leftJustified(26),
                       (w.outcome == Outcome::None ? QStringLiteral("none") : toString(w.outcome)).leftJustified(13),
                       latencyText(w.latencies.observed).leftJustified(9),
                       latencyText(w.latencies.joined).leftJustified(9),
                       (w.leaksKnown ? (leaks.isEmpty() ? QStringLiteral("none") : leaks.join(u','))
                                     : QStringLiteral("?"))
                           .leftJustified(8),
                       !w.checked ? QStringLiteral("-") : (w.passed() ? QStringLiteral("ok") : QStringLiteral("FAIL")));
        for (const QString &f : w.failures)
            out << QStringLiteral("      expected: %1\n").arg(f);
        for (const QString &n : w.notes)
            out << QStringLiteral("      note: %1\n").arg(n);
    }
    out.flush();
}

QJsonObject machineJson()
{
    return QJsonObject {
        { QStringLiteral("kernel"), QSysInfo::kernelVersion() },
        { QStringLiteral("os"), QSysInfo::prettyProductName() },
        { QStringLiteral("cpu_arch"), QSysInfo::currentCpuArchitecture() },
        { QStringLiteral("ideal_threads"), QThread::idealThreadCount() },
        { QStringLiteral("qt"), QString::fromLatin1(qVersion()) },
    };
}

/// Splits "a,b" lists, also accepting repeated options.
QStringList listValue(const QString &v)
{
    QStringList out;
    for (const QString &s : v.split(u',', Qt::SkipEmptyParts))
        out << s.trimmed();
    return out;
}

} // namespace

int listScenariosCommand(QTextStream &out)
{
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        QString error;
        const auto sc = ScenarioCatalogue::load(name, &error);
        if (sc)
            out << QStringLiteral("%1  %2: %3\n").arg(name.leftJustified(32), sc->title, sc->summary);
        else
            out << QStringLiteral("%1  (broken: %2)\n").arg(name.leftJustified(32), error);
    }
    out.flush();
    return 0;
}

int scenarioCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QStringList targets;
    QString jsonTarget;
    bool all = false;
    ExportTargets exports;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        QString exportError;
        const int taken = CliExports::takeOption(args, i, CliExports::All, &exports, &exportError);
        if (taken < 0) {
            err << exportError << '\n';
            return 2;
        }
        if (taken > 0)
            continue;
        if (a == u"--check") {
            // Expectations are always checked; --check only makes the intent explicit.
        } else if (a == u"--all") {
            all = true;
        } else if (a == u"--json") {
            if (i + 1 >= args.size()) {
                err << "--json needs a file name or -\n";
                return 2;
            }
            jsonTarget = args.at(++i);
        } else if (a.startsWith(u"--json=")) {
            jsonTarget = a.mid(7);
        } else if (a.startsWith(u"-") && a != u"-") {
            err << QStringLiteral("unknown option '%1' (allowed: --check, --json FILE|-, --all, --record FILE, "
                                  "--trace FILE, --csv FILE, --measurements FILE, --screenshot FILE, --scale N, "
                                  "--dark)\n")
                       .arg(a);
            return 2;
        } else {
            targets << a;
        }
    }
    if (all)
        targets = ScenarioCatalogue::builtinNames() + targets;
    if (targets.isEmpty()) {
        err << QStringLiteral("scenario: name a built-in scenario or a file, or use --all (built-in: %1)\n")
                   .arg(ScenarioCatalogue::builtinNames().join(QStringLiteral(", ")));
        return 2;
    }
    if (QString exportError; const int code = CliExports::validate(exports, &exportError)) {
        err << exportError << '\n';
        return code;
    }
    // Nothing half-loaded: every file is parsed before anything runs.
    QList<Scenario> scenarios;
    for (const QString &t : std::as_const(targets)) {
        QString error;
        auto sc = ScenarioCatalogue::load(t, &error);
        if (!sc) {
            err << error << '\n';
            return 2;
        }
        scenarios << *sc;
    }
    // Human-readable lines go to stderr when the JSON goes to stdout.
    QTextStream &text = jsonTarget == u"-" ? err : out;
    QJsonArray results;
    bool failed = false;
    Recording recording;
    for (const Scenario &sc : std::as_const(scenarios)) {
        ScenarioRunner runner(sc);
        const ScenarioResult r = runner.exec();
        printResult(r, text);
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
    int exportCode = 0;
    if (exports.any()) {
        QString exportError;
        exportCode = CliExports::write(recording, exports, &exportError);
        if (exportCode != 0)
            err << exportError << '\n';
        err.flush();
    }
    if (!jsonTarget.isEmpty()) {
        const QJsonObject doc { { QStringLiteral("threadlab"), QStringLiteral(THREADLAB_VERSION) },
            { QStringLiteral("machine"), machineJson() }, { QStringLiteral("scenarios"), results } };
        if (!writeOutput(jsonTarget, QJsonDocument(doc).toJson(), out, err))
            return 2;
    }
    return failed || exportCode != 0 ? 1 : 0;
}

int matrixCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    MatrixOptions o = MatrixOptions::defaults();
    QString jsonTarget;
    QString markdownTarget;
    ExportTargets exports;
    const int exportOptions = CliExports::Record | CliExports::Trace | CliExports::Csv | CliExports::Measurements;
    const auto needValue = [&](qsizetype &i, const QString &opt, QString *value) {
        if (i + 1 >= args.size()) {
            err << QStringLiteral("%1 needs a value\n").arg(opt);
            return false;
        }
        *value = args.at(++i);
        return true;
    };
    const auto intValue = [&](const QString &opt, const QString &v, int min, int max, int *outValue) {
        bool ok = false;
        const int n = v.toInt(&ok);
        if (!ok || n < min || n > max) {
            err << QStringLiteral("%1 %2 is not allowed (allowed: %3..%4)\n").arg(opt, v).arg(min).arg(max);
            return false;
        }
        *outValue = n;
        return true;
    };
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString exportError;
        const int taken = CliExports::takeOption(args, i, exportOptions, &exports, &exportError);
        if (taken < 0) {
            err << exportError << '\n';
            return 2;
        }
        if (taken > 0)
            continue;
        QString a = args.at(i);
        QString v;
        const qsizetype eq = a.indexOf(u'=');
        bool inlineValue = a.startsWith(u"--") && eq > 0;
        if (inlineValue) {
            v = a.mid(eq + 1);
            a = a.left(eq);
        }
        const auto value = [&] { return inlineValue || needValue(i, a, &v); };
        if (a == u"--backends") {
            if (!value())
                return 2;
            o.backends.clear();
            for (const QString &b : listValue(v)) {
                const auto backend = backendFromString(b);
                if (!backend) {
                    err << QStringLiteral("unknown backend '%1' (allowed: %2)\n")
                               .arg(b, allNames(backendTerms()).join(QStringLiteral(", ")));
                    return 2;
                }
                o.backends << *backend;
            }
        } else if (a == u"--methods") {
            if (!value())
                return 2;
            o.methods.clear();
            for (const QString &m : listValue(v)) {
                const auto method = stopMethodFromString(m);
                if (!method) {
                    err << QStringLiteral("unknown method '%1' (allowed: %2)\n")
                               .arg(m, allNames(stopMethodTerms()).join(QStringLiteral(", ")));
                    return 2;
                }
                o.methods << *method;
            }
        } else if (a == u"--workloads") {
            if (!value())
                return 2;
            o.workloads.clear();
            for (const QString &w : listValue(v)) {
                QString error;
                const auto mw = MatrixOptions::parseWorkload(w, &error);
                if (!mw) {
                    err << error << '\n';
                    return 2;
                }
                o.workloads << *mw;
            }
        } else if (a == u"--repeat") {
            if (!value() || !intValue(a, v, 1, 1000, &o.repeat))
                return 2;
        } else if (a == u"--stop-after") {
            if (!value() || !intValue(a, v, 0, 600000, &o.stopAfterMs))
                return 2;
        } else if (a == u"--grace") {
            if (!value() || !intValue(a, v, 0, 600000, &o.policy.graceMs))
                return 2;
        } else if (a == u"--kill-timeout") {
            if (!value() || !intValue(a, v, 0, 600000, &o.policy.killTimeoutMs))
                return 2;
        } else if (a == u"--parallel") {
            if (!value() || !intValue(a, v, 1, 64, &o.parallel))
                return 2;
        } else if (a == u"--json") {
            if (!value())
                return 2;
            jsonTarget = v;
        } else if (a == u"--markdown") {
            if (!value())
                return 2;
            markdownTarget = v;
        } else {
            err << QStringLiteral("unknown option '%1' (allowed: --backends, --workloads, --methods, --repeat, "
                                  "--stop-after, --grace, --kill-timeout, --parallel, --json, --markdown, --record, "
                                  "--trace, --csv, --measurements)\n")
                       .arg(args.at(i));
            return 2;
        }
    }
    if (o.backends.isEmpty() || o.methods.isEmpty() || o.workloads.isEmpty()) {
        err << "matrix: need at least one backend, method and workload\n";
        return 2;
    }
    MatrixRunner runner(o);
    // --record: each run's lab is captured when the run finishes (before the runner retires and deletes it).
    Recording recording;
    QHash<QString, int> runsPerTitle;
    QObject capture;
    if (exports.any()) {
        recording = Recording::startNew(QStringLiteral("threadlab matrix"));
        QObject::connect(&runner, &MatrixRunner::progress, &capture, [&](int, int, const QString &) {
            const auto runners = runner.findChildren<ScenarioRunner *>(Qt::FindDirectChildrenOnly);
            for (ScenarioRunner *r : runners) {
                if (!r->isFinished() || !r->lab() || r->property("threadlab_recorded").toBool())
                    continue;
                r->setProperty("threadlab_recorded", true);
                const QString title = r->scenario().title;
                const int n = ++runsPerTitle[title];
                CliExports::append(recording, captureLab(*r->lab(), title),
                    o.repeat > 1 ? QStringLiteral("%1 #%2").arg(title).arg(n) : title);
            }
        });
    }
    const bool tty = isatty(STDERR_FILENO) == 1;
    QObject context;
    if (tty)
        QObject::connect(&runner, &MatrixRunner::progress, &context, [&err](int done, int total, const QString &what) {
            err << QStringLiteral("\r\x1b[K[%1/%2] %3").arg(done).arg(total).arg(what.left(100));
            err.flush();
        });
    runner.exec();
    if (tty) {
        err << QStringLiteral("\r\x1b[K");
        err.flush();
    }
    QTextStream &text = (jsonTarget == u"-" || markdownTarget == u"-") ? err : out;
    text << runner.textGrid();
    text.flush();
    if (!jsonTarget.isEmpty()) {
        QJsonObject doc = runner.toJson();
        doc.insert(QStringLiteral("machine"), machineJson());
        if (!writeOutput(jsonTarget, QJsonDocument(doc).toJson(), out, err))
            return 2;
    }
    if (!markdownTarget.isEmpty() && !writeOutput(markdownTarget, runner.markdown().toUtf8(), out, err))
        return 2;
    if (exports.any()) {
        recording.parameters.insert(QStringLiteral("repeat"), o.repeat);
        recording.parameters.insert(QStringLiteral("stop_after_ms"), o.stopAfterMs);
        recording.parameters.insert(QStringLiteral("grace_ms"), o.policy.graceMs);
        recording.parameters.insert(QStringLiteral("kill_timeout_ms"), o.policy.killTimeoutMs);
        QString exportError;
        if (const int code = CliExports::write(recording, exports, &exportError)) {
            err << exportError << '\n';
            err.flush();
            return code;
        }
    }
    return 0;
}

} // namespace threadlab
