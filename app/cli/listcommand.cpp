// `threadlab list [backends|workloads|methods|scenarios]`: one entry per line, its name first.
#include "commands.h"

#include "lab/lab.h"
#include "lab/workerfactory.h"
#include "runsession.h"
#include "scenarios/scenariocatalogue.h"
#include "workloads/workload.h"

#include <algorithm>

namespace threadlab {

namespace {

const QStringList &lists()
{
    static const QStringList names { QStringLiteral("backends"), QStringLiteral("workloads"), QStringLiteral("methods"),
        QStringLiteral("scenarios") };
    return names;
}

/// Lines of the lists stay within an 80-column terminal: no more than this many characters each.
constexpr qsizetype ListLineWidth = 79;

/// One entry: its name first, padded to nameWidth (a longer name on a line of its own), then text wrapped at
/// ListLineWidth; continuation lines are indented under the text (completion scripts and the man page read
/// deeper-indented lines as continuations). A word too long for a line (a long choice list) breaks after a '|' or ','.
QString entry(const QString &name, qsizetype nameWidth, const QString &text)
{
    struct Piece
    {
        QString text;
        bool glued; ///< continues the previous word: no space before it
    };
    const QString indent(nameWidth + 1, u' ');
    const qsizetype room = ListLineWidth - indent.size();
    // A word ending in ':' keeps the next one on its line: a line ending in ':' reads as a heading to the
    // completion script and the man page.
    QStringList words;
    for (const QString &w : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!words.isEmpty() && words.last().endsWith(u':'))
            words.last() += u' ' + w;
        else
            words << w;
    }
    QList<Piece> pieces;
    for (QString word : std::as_const(words)) {
        bool glued = false;
        while (word.size() > room) {
            qsizetype cut = room - 1;
            while (cut > 0 && word.at(cut) != u'|' && word.at(cut) != u',')
                --cut;
            if (cut <= 0)
                break;
            pieces.append({ word.left(cut + 1), glued });
            word = word.mid(cut + 1);
            glued = true;
        }
        pieces.append({ word, glued });
    }
    // A name wider than its column stands on its own line; the text starts on the next, in the text column.
    QString out = name.size() < nameWidth ? name.leftJustified(nameWidth) + u' ' : name + u'\n' + indent;
    qsizetype column = name.size() < nameWidth ? out.size() : indent.size();
    bool lineStart = true;
    for (const Piece &p : std::as_const(pieces)) {
        const qsizetype gap = lineStart || p.glued ? 0 : 1;
        if (!lineStart && column + gap + p.text.size() > ListLineWidth) {
            out += u'\n' + indent;
            column = indent.size();
            lineStart = true;
        } else if (gap) {
            out += u' ';
            ++column;
        }
        out += p.text;
        column += p.text.size();
        lineStart = false;
    }
    return out + u'\n';
}

qsizetype backendNameWidth()
{
    qsizetype width = 0;
    for (const auto &t : backendTerms())
        width = qMax(width, qsizetype(qstrlen(t.name)));
    return width + 1;
}

QString listBackends()
{
    QString out;
    for (const auto &t : backendTerms())
        out += entry(QString::fromLatin1(t.name), backendNameWidth(), QString::fromUtf8(t.description));
    return out;
}

/// Every workload of every backend's catalogue (the C++ one, then the Python host's own), each name once.
QStringList allWorkloadNames()
{
    QStringList names;
    for (const auto &b : backendTerms())
        for (const QString &n : WorkerFactory::workloadNames(b.value))
            if (!names.contains(n))
                names << n;
    return names;
}

QString listWorkloads()
{
    const QStringList names = allWorkloadNames();
    // The column fits the everyday workloads; the long sandbox names stand on their own line.
    constexpr qsizetype WorkloadNameWidth = 14;
    QString out;
    for (const QString &name : names) {
        // Which backends run it: asked of the factory that refuses the others.
        QStringList backends;
        const WorkloadInfo *shown = nullptr;
        QStringList pythonOnly;
        for (const auto &b : backendTerms()) {
            if (!WorkerFactory::workloadRefusal(b.value, name).isEmpty())
                continue;
            backends << QString::fromLatin1(b.name);
            const WorkloadInfo *info = WorkerFactory::findWorkload(b.value, name);
            if (!shown) {
                shown = info;
            } else if (info != shown && isPython(b.value)) {
                for (const ParamSpec &s : info->params)
                    if (!std::any_of(shown->params.cbegin(), shown->params.cend(),
                            [&](const ParamSpec &c) { return c.name == s.name; })
                        && !pythonOnly.contains(s.synopsis()))
                        pythonOnly << s.synopsis();
            }
        }
        QStringList synopses;
        for (const ParamSpec &s : shown->params)
            synopses << s.synopsis();
        QString text = QStringLiteral("%1; backends: %2; params: %3")
                           .arg(shown->description, backends.join(QStringLiteral(", ")),
                               synopses.isEmpty() ? QStringLiteral("none") : synopses.join(QStringLiteral(", ")));
        if (!pythonOnly.isEmpty())
            text += QStringLiteral("; python backends also: %1").arg(pythonOnly.join(QStringLiteral(", ")));
        text += QStringLiteral("; cancellation points: %1").arg(shown->cancellationPoints);
        out += entry(name, WorkloadNameWidth, text);
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
    qsizetype width = QStringLiteral("none").size();
    for (const auto &m : stopMethodTerms())
        width = qMax(width, qsizetype(qstrlen(m.name)));
    QString out;
    for (const auto &m : stopMethodTerms()) {
        QStringList allowed;
        for (qsizetype i = 0; i < probes.size(); ++i)
            if (probes[i] && RunSession::backendRefusal(*probes[i], m.value).isEmpty())
                allowed << QString::fromLatin1(backendTerms()[i].name);
        out += entry(QString::fromLatin1(m.name), width + 1,
            QStringLiteral("%1 (backends: %2)")
                .arg(QString::fromUtf8(m.description),
                    allowed.isEmpty() ? QStringLiteral("none yet") : allowed.join(QStringLiteral(", "))));
    }
    out += entry(u"none"_qs, width + 1, u"(threadlab run only) do not stop: let the workload complete"_qs);
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
