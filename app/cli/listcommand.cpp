// `threadlab list [backends|workloads|methods|scenarios]`: one entry per line, its name first.
#include "commands.h"

#include "lab/lab.h"
#include "runsession.h"
#include "scenarios/scenariocatalogue.h"
#include "workloads/workload.h"

namespace threadlab {

namespace {

const QStringList &lists()
{
    static const QStringList names { QStringLiteral("backends"), QStringLiteral("workloads"), QStringLiteral("methods"),
        QStringLiteral("scenarios") };
    return names;
}

// Each line starts with the name, so completion scripts and the man page can take the first word.
QString listBackends()
{
    QString out;
    for (const auto &t : backendTerms())
        out += QStringLiteral("%1 %2\n").arg(
            QString::fromLatin1(t.name).leftJustified(11), QString::fromUtf8(t.description));
    return out;
}

QString listWorkloads()
{
    QString out;
    for (const WorkloadInfo &w : WorkloadRegistry::all()) {
        QStringList synopses;
        for (const ParamSpec &s : w.params)
            synopses << s.synopsis();
        out += QStringLiteral("%1 %2%3; params: %4; cancellation points: %5\n")
                   .arg(w.name.leftJustified(14), w.description,
                       w.processOnly ? QStringLiteral(" (process backend only)") : QString(),
                       synopses.isEmpty() ? QStringLiteral("none") : synopses.join(QStringLiteral(", ")),
                       w.cancellationPoints);
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
    QString out;
    for (const auto &m : stopMethodTerms()) {
        QStringList allowed;
        for (qsizetype i = 0; i < probes.size(); ++i)
            if (probes[i] && RunSession::backendRefusal(*probes[i], m.value).isEmpty())
                allowed << QString::fromLatin1(backendTerms()[i].name);
        out += QStringLiteral("%1 %2 (backends: %3)\n")
                   .arg(QString::fromLatin1(m.name).leftJustified(12), QString::fromUtf8(m.description),
                       allowed.isEmpty() ? QStringLiteral("none yet") : allowed.join(QStringLiteral(", ")));
    }
    out += QStringLiteral("%1 %2\n").arg(
        u"none"_qs.leftJustified(12), u"(threadlab run only) do not stop: let the workload complete"_qs);
    return out; // ~Lab: the probes never started, nothing to wait for
}

int list(const QCommandLineParser &p)
{
    const QStringList what = p.positionalArguments();
    const QString allowed = lists().join(QStringLiteral(", "));
    if (what.size() > 1)
        return cli::usageError(QStringLiteral("list: unexpected argument '%1' (allowed: %2)").arg(what.at(1), allowed));
    const QString w = what.value(0);
    if (w.isEmpty())
        cli::write(stdout,
            QStringLiteral("Backends:\n") + listBackends() + QStringLiteral("\nWorkloads:\n") + listWorkloads()
                + QStringLiteral("\nStop methods:\n") + listMethods());
    else if (w == u"backends")
        cli::write(stdout, listBackends());
    else if (w == u"workloads")
        cli::write(stdout, listWorkloads());
    else if (w == u"methods")
        cli::write(stdout, listMethods());
    else if (w == u"scenarios")
        return listScenarios();
    else
        return cli::usageError(QStringLiteral("list: unknown list '%1' (allowed: %2)").arg(w, allowed));
    return ExitOk;
}

} // namespace

int listScenarios()
{
    QString out;
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        QString error;
        const auto sc = ScenarioCatalogue::load(name, &error);
        out += sc ? QStringLiteral("%1  %2: %3\n").arg(name.leftJustified(32), sc->title, sc->summary)
                  : QStringLiteral("%1  (broken: %2)\n").arg(name.leftJustified(32), cli::escapeControls(error));
    }
    cli::write(stdout, out);
    return ExitOk;
}

CliCommand listCommand()
{
    return CliCommand {
        QStringLiteral("list"),
        QStringLiteral("list [backends|workloads|methods|scenarios]"),
        QStringLiteral("list backends, workloads (with parameters), stop methods or built-in scenarios, one per line "
                       "with its name first"),
        {},
        { { QStringLiteral("what"),
            QStringLiteral("backends, workloads, methods or scenarios (default: all but "
                           "scenarios, with headings)"),
            QStringLiteral("[backends|workloads|methods|scenarios]") } },
        &list,
        {},
    };
}

} // namespace threadlab
