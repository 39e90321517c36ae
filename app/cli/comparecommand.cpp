// `threadlab compare A B`: two recordings side by side, a table of latency differences per matched worker.
#include "commands.h"

#include "model/runcompare.h"
#include "recording/recordedsource.h"
#include "recording/recordingio.h"
#include "report.h"

#include <QFileInfo>
#include <QJsonDocument>

namespace threadlab {

namespace {

QList<QCommandLineOption> compareOptions()
{
    return {
        { QStringLiteral("json"),
            QStringLiteral("Also write the comparison as JSON to FILE; with - the JSON goes to stdout and the table "
                           "to stderr."),
            QStringLiteral("FILE|-") },
    };
}

/// One side from a recording file: every worker it holds, labelled by the file's name.
std::optional<CompareSide> loadSide(const QString &path, QString *error)
{
    const auto rec = RecordingIO::load(path, error);
    if (!rec)
        return std::nullopt;
    RecordedSource source(*rec);
    QStringList details;
    if (!rec->title.isEmpty())
        details << rec->title;
    if (rec->machine.cores > 0)
        details << QStringLiteral("%1 cores").arg(rec->machine.cores);
    if (!rec->machine.cpuModel.isEmpty())
        details << rec->machine.cpuModel;
    if (rec->date.isValid())
        details << rec->date.toString(Qt::ISODate);
    CompareSide side = CompareSide::of(source, std::nullopt, QFileInfo(path).fileName(), details.join(u" · "_qs));
    if (side.size() == 0) {
        *error = QStringLiteral("%1: the recording has no workers to compare (allowed: a recording of at least one "
                                "worker)")
                     .arg(path);
        return std::nullopt;
    }
    return side;
}

/// The table: per matched worker its outcomes, then each figure either side has: A, B, B−A, B/A.
QString tableText(const RunComparison &c)
{
    QString out;
    out += QStringLiteral("A: %1%2\n")
               .arg(c.a().label, c.a().details.isEmpty() ? QString() : u" · "_qs + c.a().details);
    out += QStringLiteral("B: %1%2\n")
               .arg(c.b().label, c.b().details.isEmpty() ? QString() : u" · "_qs + c.b().details);
    const auto line = [](const QString &worker, const QString &figure, const QString &a, const QString &b,
                          const QString &d, const QString &r) {
        QString text = QStringLiteral("%1 %2 %3 %4 %5 %6")
                           .arg(worker.leftJustified(24), figure.leftJustified(14), a.leftJustified(12),
                               b.leftJustified(12), d.leftJustified(12), r);
        while (text.endsWith(u' '))
            text.chop(1);
        return text + u'\n';
    };
    out += line(u"worker"_qs, u"figure"_qs, u"A"_qs, u"B"_qs, u"B−A"_qs, u"B/A"_qs);
    for (const ComparedWorker &w : c.workers()) {
        QString name = w.name;
        if (w.indexA >= 0 && w.indexB >= 0 && c.b().workers[w.indexB].name != w.name)
            name += u" ↔ "_qs + c.b().workers[w.indexB].name;
        const auto outcome = [](const std::optional<Outcome> &o) { return o ? toString(*o) : u"(none)"_qs; };
        out += line(name, u"outcome"_qs, outcome(w.outcomeA), outcome(w.outcomeB), {}, {});
        for (const CompareFigure &f : w.figures)
            if (f.a || f.b)
                out += line(
                    {}, RunComparison::figureLabel(f.key), f.aText(), f.bText(), f.differenceText(), f.ratioText());
    }
    return out;
}

int compare(const QCommandLineParser &p)
{
    const QStringList inputs = p.positionalArguments();
    if (inputs.size() != 2)
        return cli::usageError(inputs.size() < 2
                ? QStringLiteral("compare: name two recordings (threadlab compare A.threadlab.json B.threadlab.json)")
                : QStringLiteral("compare: unexpected argument '%1' (exactly two recordings)").arg(inputs.at(2)));
    QString jsonPath;
    QString error;
    if (p.isSet(QStringLiteral("json"))
        && !cli::fileOption(p, QStringLiteral("json"), &jsonPath, &error, QStringLiteral("a file name or - (stdout)")))
        return cli::usageError(QStringLiteral("compare: ") + error);
    auto a = loadSide(inputs.at(0), &error);
    if (!a)
        return cli::usageError(error);
    auto b = loadSide(inputs.at(1), &error);
    if (!b)
        return cli::usageError(error);
    const RunComparison c = RunComparison::of(std::move(*a), std::move(*b));
    cli::write(jsonPath == u"-" ? stderr : stdout, tableText(c));
    if (!jsonPath.isEmpty() && !Report::writeJson(QJsonDocument(c.toJson()), jsonPath, &error))
        return cli::failure(error);
    return ExitOk;
}

} // namespace

CliCommand compareCommand()
{
    return CliCommand {
        QStringLiteral("compare"),
        QStringLiteral("compare A B [--json FILE|-]"),
        QStringLiteral("compare two recordings: stop latencies per matched worker (A, B, B−A, B/A)"),
        &compareOptions,
        { { QStringLiteral("a"), QStringLiteral("the first recording (.threadlab.json or .threadlab.json.gz)"),
              QStringLiteral("A") },
            { QStringLiteral("b"), QStringLiteral("the second recording"), QStringLiteral("B") } },
        &compare,
        QStringLiteral("Workers are matched by name, the rest by order. Every figure is the recording's own fold "
                       "(the same numbers the GUI and `threadlab export` show); each lane is measured from its own "
                       "stop request.\n"),
    };
}

} // namespace threadlab
