// CSV and Markdown exports of a recording's events and measurements.
#include "csvexport.h"

#include <QHash>
#include <QSaveFile>

namespace threadlab {

namespace {

const QString crlf = QStringLiteral("\r\n");

QString joinRow(const QStringList &cells)
{
    QStringList quoted;
    quoted.reserve(cells.size());
    for (const QString &c : cells)
        quoted << CsvExport::field(c);
    return quoted.join(QLatin1Char(',')) + crlf;
}

QString nsCell(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : QString();
}

QString leaksText(const LeakList &leaks)
{
    QStringList parts;
    for (const Leak &l : leaks)
        parts << l.kind + QStringLiteral(": ") + l.detail;
    return parts.join(QStringLiteral("; "));
}

QString methodText(const WorkerFold &fold)
{
    return fold.method() ? toString(*fold.method()) : QString();
}

QString markdownCell(QString s)
{
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    s.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    s.replace(QStringLiteral("\r\n"), QStringLiteral("<br>"));
    s.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return s;
}

QString durationCell(const std::optional<qint64> &v)
{
    return v ? formatDuration(*v) : QStringLiteral("–");
}

} // namespace

QString CsvExport::field(const QString &value)
{
    const bool needsQuotes = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"'))
        || value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'));
    if (!needsQuotes)
        return value;
    QString q = value;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QByteArray CsvExport::eventsCsv(const Recording &rec)
{
    QString out = joinRow({ QStringLiteral("worker"), QStringLiteral("name"), QStringLiteral("backend"),
        QStringLiteral("t_ns"), QStringLiteral("kind"), QStringLiteral("value"), QStringLiteral("detail") });
    out.reserve(rec.events.size() * 48);
    QHash<int, const RecordedWorker *> byId;
    for (const RecordedWorker &w : rec.workers)
        byId.insert(w.id, &w);
    for (const Event &e : rec.events) {
        const RecordedWorker *w = byId.value(e.worker);
        out += joinRow(
            { QString::number(e.worker), w ? w->name : QStringLiteral("lab"), w ? toString(w->backend) : QString(),
                QString::number(e.tNs), toString(e.kind), QString::number(e.value), e.detail });
    }
    return out.toUtf8();
}

QByteArray CsvExport::measurementsCsv(const Recording &rec)
{
    QString out = joinRow({ QStringLiteral("worker"), QStringLiteral("name"), QStringLiteral("backend"),
        QStringLiteral("workload"), QStringLiteral("method"), QStringLiteral("outcome"), QStringLiteral("observed_ns"),
        QStringLiteral("exited_ns"), QStringLiteral("joined_ns"), QStringLiteral("kill_ns"),
        QStringLiteral("cleanup_ns"), QStringLiteral("steps"), QStringLiteral("cpu_time_ns"),
        QStringLiteral("leaks") });
    const QHash<int, WorkerFold> folds = rec.folds();
    for (const RecordedWorker &w : rec.workers) {
        const WorkerFold fold = folds.value(w.id, WorkerFold(w.id));
        const Latencies l = fold.latencies();
        out += joinRow({ QString::number(w.id), w.name, toString(w.backend), w.workload, methodText(fold),
            toString(fold.outcome()), nsCell(l.observed), nsCell(l.exited), nsCell(l.joined), nsCell(l.kill),
            nsCell(l.cleanup), QString::number(w.stepsDone), QString::number(w.cpuTimeNs), leaksText(w.leaks) });
    }
    return out.toUtf8();
}

QString CsvExport::measurementsMarkdown(const Recording &rec)
{
    QString out = QStringLiteral("| Worker | Backend | Workload | Method | Outcome | Observed | Exited | Joined | Kill "
                                 "| Clean-up | Leaks |\n"
                                 "|---|---|---|---|---|--:|--:|--:|--:|--:|---|\n");
    const QHash<int, WorkerFold> folds = rec.folds();
    for (const RecordedWorker &w : rec.workers) {
        const WorkerFold fold = folds.value(w.id, WorkerFold(w.id));
        const Latencies l = fold.latencies();
        const QStringList cells { markdownCell(w.name), toString(w.backend), markdownCell(w.workload),
            fold.method() ? toString(*fold.method()) : QStringLiteral("–"), toString(fold.outcome()),
            durationCell(l.observed), durationCell(l.exited), durationCell(l.joined), durationCell(l.kill),
            durationCell(l.cleanup), w.leaks.isEmpty() ? QStringLiteral("none") : markdownCell(leaksText(w.leaks)) };
        out += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    }
    return out;
}

bool exportCsv(const Recording &recording, const QString &path, QString *error, CsvKind kind)
{
    QByteArray data;
    switch (kind) {
    case CsvKind::Events:
        data = CsvExport::eventsCsv(recording);
        break;
    case CsvKind::Measurements:
        data = CsvExport::measurementsCsv(recording);
        break;
    case CsvKind::MarkdownMeasurements:
        data = CsvExport::measurementsMarkdown(recording).toUtf8();
        break;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace threadlab
