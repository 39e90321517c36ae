// The export options of `run`, `scenario`, `matrix` and `export`: --record, --trace, --csv, --measurements,
// --screenshot.
#include "cliexports.h"

#include "clihooks.h"
#include "recording/chrometrace.h"
#include "recording/csvexport.h"
#include "recording/recording.h"
#include "recording/recordingio.h"

#include <algorithm>

namespace threadlab {

bool ExportTargets::any() const
{
    return !record.isEmpty() || !trace.isEmpty() || !csv.isEmpty() || !measurements.isEmpty() || !screenshot.isEmpty();
}

int CliExports::takeOption(const QStringList &args, qsizetype &i, int allowed, ExportTargets *t, QString *error)
{
    QString name = args.at(i);
    QString value;
    bool inlineValue = false;
    const qsizetype eq = name.indexOf(QLatin1Char('='));
    if (name.startsWith(u"--") && eq > 0) {
        value = name.mid(eq + 1);
        name = name.left(eq);
        inlineValue = true;
    }
    struct Target
    {
        const char16_t *name;
        Option option;
        QString *field;
    };
    const Target targets[] = {
        { u"--record", Record, &t->record },
        { u"--trace", Trace, &t->trace },
        { u"--csv", Csv, &t->csv },
        { u"--measurements", Measurements, &t->measurements },
        { u"--screenshot", Screenshot, &t->screenshot },
    };
    const auto takeValue = [&](QString *out) {
        if (!inlineValue) {
            if (i + 1 >= args.size() || args.at(i + 1).isEmpty()) {
                *error = QStringLiteral("%1 needs a file name").arg(name);
                return false;
            }
            value = args.at(++i);
        }
        if (value.isEmpty()) {
            *error = QStringLiteral("%1 needs a file name").arg(name);
            return false;
        }
        *out = value;
        return true;
    };
    for (const Target &target : targets) {
        if (name != QStringView(target.name) || !(allowed & target.option))
            continue;
        return takeValue(target.field) ? 1 : -1;
    }
    if (!(allowed & Screenshot))
        return 0;
    if (name == u"--dark") {
        if (inlineValue) {
            *error = QStringLiteral("--dark takes no value");
            return -1;
        }
        t->dark = true;
        return 1;
    }
    if (name == u"--scale") {
        QString text;
        if (!inlineValue) {
            if (i + 1 >= args.size()) {
                *error = QStringLiteral("--scale needs a value (allowed: 0.5..4, e.g. 1 or 2)");
                return -1;
            }
            value = args.at(++i);
        }
        bool ok = false;
        const double s = value.toDouble(&ok);
        if (!ok || s < 0.5 || s > 4.0) {
            *error = QStringLiteral("--scale '%1' is not allowed (allowed: 0.5..4, e.g. 1 or 2)").arg(value);
            return -1;
        }
        t->scale = s;
        t->scaleSet = true;
        return 1;
    }
    return 0;
}

int CliExports::validate(const ExportTargets &t, QString *error)
{
    if (t.screenshot.isEmpty() && (t.scaleSet || t.dark)) {
        *error = QStringLiteral("--scale and --dark need --screenshot FILE");
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

QString CliExports::helpText(int allowed)
{
    QString out;
    const auto line = [&out](const char *option, const char *text) {
        out += QStringLiteral("  %1 %2\n").arg(QString::fromLatin1(option).leftJustified(22), QString::fromUtf8(text));
    };
    if (allowed & Record)
        line("--record FILE", "Save the run as a recording (.threadlab.json, gzip when FILE ends in .gz).");
    if (allowed & Trace)
        line("--trace FILE", "Chrome trace JSON (opens in ui.perfetto.dev and Chrome DevTools).");
    if (allowed & Csv)
        line("--csv FILE", "Every event as CSV.");
    if (allowed & Measurements)
        line("--measurements FILE", "Measurements per worker as CSV, or a Markdown table if FILE ends in .md.");
    if (allowed & Screenshot) {
        line("--screenshot FILE", "Timeline picture, PNG or SVG (by .svg), rendered headless.");
        line("--scale N", "Pixel density of the screenshot (0.5..4, default 1).");
        line("--dark", "Dark palette for the screenshot.");
    }
    return out;
}

} // namespace threadlab
