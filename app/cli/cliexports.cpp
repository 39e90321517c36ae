// The export options of `run`, `scenario`, `matrix` and `export`: --record, --trace, --csv, --measurements,
// --screenshot.
#include "cliexports.h"

#include "clihooks.h"
#include "cliutil.h"
#include "recording/chrometrace.h"
#include "recording/csvexport.h"
#include "recording/recording.h"
#include "recording/recordingio.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <algorithm>

namespace threadlab {

bool ExportTargets::any() const
{
    return !record.isEmpty() || !trace.isEmpty() || !csv.isEmpty() || !measurements.isEmpty() || !screenshot.isEmpty();
}

QList<QCommandLineOption> CliExports::options(int allowed)
{
    QList<QCommandLineOption> out;
    const auto add = [&](Option option, const char *name, const char *description, const char *value) {
        if (allowed & option)
            out << QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(description),
                value ? QString::fromLatin1(value) : QString());
    };
    add(Record, "record", "Save the run as a recording (.threadlab.json, gzip when FILE ends in .gz).", "FILE");
    add(Trace, "trace", "Write a Chrome trace JSON (opens in ui.perfetto.dev and Chrome DevTools).", "FILE");
    add(Csv, "csv", "Write every event as CSV.", "FILE");
    add(Measurements, "measurements",
        "Write the measurements per worker as CSV, or as a Markdown table if FILE ends in .md.", "FILE");
    add(Screenshot, "screenshot", "Draw the timeline headless: PNG, or SVG if FILE ends in .svg.", "FILE");
    add(Screenshot, "scale", "Pixel density of the screenshot (0.5..4, default 1).", "N");
    add(Screenshot, "dark", "Dark palette for the screenshot.", nullptr);
    return out;
}

bool CliExports::fromParser(const QCommandLineParser &p, int allowed, ExportTargets *t, QString *error)
{
    const std::pair<Option, std::pair<const char *, QString *>> files[] = {
        { Record, { "record", &t->record } },
        { Trace, { "trace", &t->trace } },
        { Csv, { "csv", &t->csv } },
        { Measurements, { "measurements", &t->measurements } },
        { Screenshot, { "screenshot", &t->screenshot } },
    };
    for (const auto &[option, target] : files) {
        if (!(allowed & option))
            continue;
        if (!cli::fileOption(p, QString::fromLatin1(target.first), target.second, error))
            return false;
    }
    if (!(allowed & Screenshot))
        return true;
    t->dark = p.isSet(QStringLiteral("dark"));
    if (p.isSet(QStringLiteral("scale"))) {
        const QString value = p.value(QStringLiteral("scale"));
        const auto s = cli::strictDecimal(value);
        if (!s || *s < 0.5 || *s > 4.0) {
            *error = QStringLiteral("--scale '%1' is not allowed (allowed: 0.5..4, a plain decimal such as 1 or 1.5)")
                         .arg(value);
            return false;
        }
        t->scale = *s;
        t->scaleSet = true;
    }
    return true;
}

int CliExports::validate(const ExportTargets &t, QString *error)
{
    if (t.screenshot.isEmpty() && (t.scaleSet || t.dark)) {
        *error = QStringLiteral("--scale and --dark need --screenshot FILE");
        return 2;
    }
    const QString suffix = QFileInfo(t.screenshot).suffix().toLower();
    if (!t.screenshot.isEmpty() && suffix != u"png" && suffix != u"svg") {
        // The format follows the extension (the renderer's rule); anything else would be a file misnamed.
        *error = QStringLiteral("--screenshot %1: unknown picture format (allowed: .png, .svg)").arg(t.screenshot);
        return 2;
    }
    if (!t.screenshot.isEmpty() && !CliHooks::imageRenderer()) {
        *error = QStringLiteral("cannot write %1: this build has no image renderer (the desktop front end "
                                "registers it)")
                     .arg(t.screenshot);
        return 1;
    }
    return 0;
}

int CliExports::write(const Recording &rec, const ExportTargets &t, QString *error)
{
    QStringList failures;
    QString e;
    if (!t.record.isEmpty() && !RecordingIO::save(rec, t.record, &e))
        failures << e;
    if (!t.trace.isEmpty() && !exportChromeTrace(rec, t.trace, &(e = QString())))
        failures << e;
    if (!t.csv.isEmpty() && !exportCsv(rec, t.csv, &(e = QString()), CsvKind::Events))
        failures << e;
    if (!t.measurements.isEmpty()) {
        const CsvKind kind = t.measurements.endsWith(u".md", Qt::CaseInsensitive) ? CsvKind::MarkdownMeasurements
                                                                                  : CsvKind::Measurements;
        if (!exportCsv(rec, t.measurements, &(e = QString()), kind))
            failures << e;
    }
    if (!t.screenshot.isEmpty()) {
        const auto &render = CliHooks::imageRenderer();
        if (!render)
            failures << QStringLiteral("cannot write %1: this build has no image renderer").arg(t.screenshot);
        else if (!render(rec, t.screenshot, t.scale, t.dark, &(e = QString())))
            failures << (e.isEmpty() ? QStringLiteral("cannot write %1").arg(t.screenshot) : e);
    }
    for (QString &f : failures) {
        f.replace(QLatin1Char('\n'), QLatin1Char(' '));
        if (!f.contains(u"cannot write") && !f.startsWith(u"cannot"))
            f = QStringLiteral("cannot write: ") + f;
    }
    *error = failures.join(QLatin1Char('\n'));
    return failures.isEmpty() ? 0 : 1;
}

void CliExports::append(Recording &into, const Recording &from, const QString &namePrefix)
{
    int offset = 0;
    for (const RecordedWorker &w : std::as_const(into.workers))
        offset = std::max(offset, w.id);
    for (const Event &e : std::as_const(into.events))
        offset = std::max(offset, e.worker);
    const auto remap = [offset](int id) { return id == LabWorkerId ? id : id + offset; };
    for (RecordedWorker w : from.workers) {
        w.id = remap(w.id);
        if (!namePrefix.isEmpty())
            w.name = namePrefix + QLatin1Char('/') + w.name;
        into.workers.append(w);
    }
    // Each run keeps its title and scenario id, renumbered after the runs already there.
    int runOffset = 0;
    for (const RunInfo &run : std::as_const(into.runs))
        runOffset = std::max(runOffset, run.id);
    for (RunInfo run : from.runs) {
        if (const auto it = from.lessons.constFind(run.id); it != from.lessons.cend())
            into.lessons.insert(run.id + runOffset, *it);
        run.id += runOffset;
        for (int &id : run.workerIds)
            id = remap(id);
        into.runs.append(run);
    }
    EventList merged = into.events;
    merged.reserve(into.events.size() + from.events.size());
    for (Event e : from.events) {
        e.worker = remap(e.worker);
        merged.append(e);
    }
    std::stable_sort(merged.begin(), merged.end(), [](const Event &a, const Event &b) { return a.tNs < b.tNs; });
    into.events = merged;
    into.droppedEvents += from.droppedEvents;
}

} // namespace threadlab
