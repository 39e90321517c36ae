// Saving and reopening recordings: a versioned JSON document, optionally gzip-compressed with zlib.
#include "recordingio.h"

#include "recordinglimits.h"

#include "base/safefile.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSaveFile>
#include <algorithm>

namespace threadlab {

namespace {

QString prefixed(const QString &source, const QString &message)
{
    return source.isEmpty() ? message : source + QStringLiteral(": ") + message;
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// JSON string literal (UTF-8), escaping quotes, backslashes and control characters.
void appendJsonString(QByteArray &out, const QString &s)
{
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                char buf[8];
                qsnprintf(buf, sizeof buf, "\\u%04x", unsigned(u));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

QJsonValue optionalNs(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject latenciesToJson(const Latencies &l)
{
    return QJsonObject { { QStringLiteral("observed"), optionalNs(l.observed) },
        { QStringLiteral("exited"), optionalNs(l.exited) }, { QStringLiteral("joined"), optionalNs(l.joined) },
        { QStringLiteral("kill"), optionalNs(l.kill) }, { QStringLiteral("cleanup"), optionalNs(l.cleanup) } };
}

// The derived figures (method, outcome, latencies) are written from the fold of the worker's events, whatever
// the RecordedWorker holds, so a file never disagrees with its own events.
QJsonObject workerToJson(const RecordedWorker &w, const WorkerFold &fold)
{
    const std::optional<StopMethod> method = fold.method();
    const Outcome outcome = fold.outcome();
    QJsonArray leaks;
    for (const Leak &leak : w.leaks)
        leaks.append(QJsonObject { { QStringLiteral("kind"), leak.kind }, { QStringLiteral("detail"), leak.detail },
            { QStringLiteral("meaning"), leak.meaning } });
    return QJsonObject {
        { QStringLiteral("id"), w.id },
        { QStringLiteral("name"), w.name },
        { QStringLiteral("backend"), toString(w.backend) },
        { QStringLiteral("workload"), w.workload },
        { QStringLiteral("params"), QJsonObject::fromVariantMap(w.params) },
        { QStringLiteral("method"), method ? QJsonValue(toString(*method)) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("outcome"), toString(outcome) },
        { QStringLiteral("outcome_class"), toString(classOf(outcome)) },
        { QStringLiteral("leaks"), leaks },
        { QStringLiteral("stderr_tail"), w.stderrTail },
        { QStringLiteral("host_pid"), w.hostPid },
        { QStringLiteral("steps_done"), w.stepsDone },
        { QStringLiteral("cpu_time_ns"), w.cpuTimeNs },
        { QStringLiteral("latency_ns"), latenciesToJson(fold.latencies()) },
    };
}

QJsonObject runToJson(const RunInfo &run, const RecordedLesson &lesson)
{
    QJsonArray ids;
    for (int id : run.workerIds)
        ids.append(id);
    QJsonObject o { { QStringLiteral("id"), run.id }, { QStringLiteral("title"), run.title },
        { QStringLiteral("scenario"), run.scenario }, { QStringLiteral("zero_ns"), run.zeroNs },
        { QStringLiteral("workers"), ids } };
    if (!lesson.isEmpty()) // a scenario run keeps its lesson: the scenario as written and the result of its check
        o.insert(QStringLiteral("lesson"),
            QJsonObject {
                { QStringLiteral("scenario"), lesson.scenario }, { QStringLiteral("result"), lesson.result } });
    return o;
}

// Reading: a small cursor that remembers the first error with the place it was found.
class Reader
{
public:
    explicit Reader(QString source)
        : m_source(std::move(source))
    {
    }

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &where, const QString &what)
    {
        if (m_error.isEmpty())
            m_error = prefixed(m_source, QStringLiteral("corrupt recording: %1 %2").arg(where, what));
    }

    qint64 integer(const QJsonObject &o, const QString &key, const QString &where, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() && !required)
            return 0;
        if (!v.isDouble()) {
            fail(where, QStringLiteral("has no number \"%1\"").arg(key));
            return 0;
        }
        return v.toInteger();
    }
    QString string(const QJsonObject &o, const QString &key, const QString &where, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if ((v.isUndefined() || v.isNull()) && !required)
            return {};
        if (!v.isString()) {
            fail(where, QStringLiteral("has no text \"%1\"").arg(key));
            return {};
        }
        return v.toString();
    }
    std::optional<qint64> optionalInteger(const QJsonObject &o, const QString &key, const QString &where)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isDouble()) {
            fail(where, QStringLiteral("has a non-number \"%1\"").arg(key));
            return std::nullopt;
        }
        return v.toInteger();
    }
    template <typename E>
    E word(const QJsonObject &o, const QString &key, const QString &where, std::optional<E> (*parse)(QStringView),
        const QList<Term<E>> &terms)
    {
        const QString s = string(o, key, where);
        if (failed())
            return E {};
        const std::optional<E> v = parse(s);
        if (!v) {
            fail(where,
                QStringLiteral("has unknown %1 \"%2\" (allowed: %3)")
                    .arg(key, s, allNames(terms).join(QStringLiteral(", "))));
            return E {};
        }
        return *v;
    }

private:
    QString m_source;
    QString m_error;
};

Latencies latenciesFromJson(Reader &r, const QJsonObject &o, const QString &where)
{
    Latencies l;
    l.observed = r.optionalInteger(o, QStringLiteral("observed"), where);
    l.exited = r.optionalInteger(o, QStringLiteral("exited"), where);
    l.joined = r.optionalInteger(o, QStringLiteral("joined"), where);
    l.kill = r.optionalInteger(o, QStringLiteral("kill"), where);
    l.cleanup = r.optionalInteger(o, QStringLiteral("cleanup"), where);
    return l;
}

RecordedWorker workerFromJson(Reader &r, const QJsonObject &o, const QString &where)
{
    RecordedWorker w;
    w.id = int(r.integer(o, QStringLiteral("id"), where));
    w.name = r.string(o, QStringLiteral("name"), where);
    w.backend = r.word<Backend>(o, QStringLiteral("backend"), where, &backendFromString, backendTerms());
    w.workload = r.string(o, QStringLiteral("workload"), where);
    w.params = o.value(QStringLiteral("params")).toObject().toVariantMap();
    const QJsonValue method = o.value(QStringLiteral("method"));
    if (method.isString()) {
        w.method = stopMethodFromString(method.toString());
        if (!w.method)
            r.fail(where, QStringLiteral("has unknown method \"%1\"").arg(method.toString()));
    }
    w.outcome = r.word<Outcome>(o, QStringLiteral("outcome"), where, &outcomeFromString, outcomeTerms());
    const QJsonArray leaks = o.value(QStringLiteral("leaks")).toArray();
    for (const QJsonValue &lv : leaks) {
        const QJsonObject lo = lv.toObject();
        w.leaks.append({ r.string(lo, QStringLiteral("kind"), where + QStringLiteral(" leak")),
            r.string(lo, QStringLiteral("detail"), where + QStringLiteral(" leak")),
            r.string(lo, QStringLiteral("meaning"), where + QStringLiteral(" leak"), false) });
    }
    w.stderrTail = r.string(o, QStringLiteral("stderr_tail"), where, false);
    w.hostPid = r.integer(o, QStringLiteral("host_pid"), where, false);
    w.stepsDone = r.integer(o, QStringLiteral("steps_done"), where, false);
    w.cpuTimeNs = r.integer(o, QStringLiteral("cpu_time_ns"), where, false);
    w.latencies = latenciesFromJson(r, o.value(QStringLiteral("latency_ns")).toObject(), where);
    return w;
}

bool isTruncation(const QJsonParseError &e, qsizetype size)
{
    switch (e.error) {
    case QJsonParseError::UnterminatedObject:
    case QJsonParseError::UnterminatedArray:
    case QJsonParseError::UnterminatedString:
        return true;
    default:
        // Any other error at the very end of the text means the text stops early.
        return e.offset >= size - 1;
    }
}

} // namespace

QByteArray RecordingIO::toJson(const Recording &rec)
{
    const QHash<int, WorkerFold> folds = rec.folds();
    QJsonArray workers;
    for (const RecordedWorker &w : rec.workers)
        workers.append(workerToJson(w, folds.value(w.id, WorkerFold(w.id))));
    QJsonArray runs;
    for (const RunInfo &run : rec.runs)
        runs.append(runToJson(run, rec.lessons.value(run.id)));
    const QJsonObject machine { { QStringLiteral("cores"), rec.machine.cores },
        { QStringLiteral("cpu_model"), rec.machine.cpuModel }, { QStringLiteral("kernel"), rec.machine.kernel },
        { QStringLiteral("os"), rec.machine.os }, { QStringLiteral("qt"), rec.machine.qtVersion } };
    const QJsonObject head {
        { QStringLiteral("format"), formatName() },
        { QStringLiteral("format_version"), Recording::CurrentFormatVersion }, // what this build writes
        { QStringLiteral("threadlab"), rec.threadlabVersion },
        { QStringLiteral("date"), rec.date.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("machine"), machine },
        { QStringLiteral("title"), rec.title },
        { QStringLiteral("scenario"), rec.scenario },
        { QStringLiteral("parameters"), QJsonObject::fromVariantMap(rec.parameters) },
        { QStringLiteral("app_pid"), rec.appPid },
        { QStringLiteral("dropped_events"), rec.droppedEvents },
        { QStringLiteral("event_count"), rec.events.size() },
        { QStringLiteral("runs"), runs },
        { QStringLiteral("workers"), workers },
    };
    // The head goes through QJsonDocument; the events (the bulk) are written directly, one per line,
    // as the last member ("events" also sorts last, so the file reads like QJsonDocument would write it).
    QByteArray out = QJsonDocument(head).toJson(QJsonDocument::Indented);
    const qsizetype close = out.lastIndexOf('}');
    out.truncate(close);
    while (out.endsWith('\n') || out.endsWith(' '))
        out.chop(1);
    out.reserve(out.size() + rec.events.size() * 80 + 64);
    out += ",\n    \"events\": [";
    bool first = true;
    for (const Event &e : rec.events) {
        out += first ? "\n        {\"t_ns\": " : ",\n        {\"t_ns\": ";
        first = false;
        out += QByteArray::number(e.tNs);
        out += ", \"worker\": ";
        out += QByteArray::number(e.worker);
        out += ", \"kind\": ";
        appendJsonString(out, toString(e.kind));
        out += ", \"value\": ";
        out += QByteArray::number(e.value);
        if (!e.detail.isEmpty()) {
            out += ", \"detail\": ";
            appendJsonString(out, e.detail);
        }
        out += '}';
    }
    out += first ? "]\n}\n" : "\n    ]\n}\n";
    return out;
}

std::optional<Recording> RecordingIO::fromJson(const QByteArray &json, const QString &source, QString *error)
{
    if (json.trimmed().isEmpty()) {
        setError(error, prefixed(source, QStringLiteral("empty file, not a ThreadLab recording")));
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        if (isTruncation(pe, json.size()))
            setError(error,
                prefixed(source,
                    QStringLiteral("truncated file (the JSON stops after %1 bytes, in the middle of the document)")
                        .arg(json.size())));
        else
            setError(error,
                prefixed(source,
                    QStringLiteral("corrupt file (invalid JSON at byte %1: %2)").arg(pe.offset).arg(pe.errorString())));
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QStringLiteral("format")).toString() != formatName()) {
        setError(error,
            prefixed(source, QStringLiteral("not a ThreadLab recording (no \"format\": \"%1\")").arg(formatName())));
        return std::nullopt;
    }
    const QJsonValue versionValue = root.value(QStringLiteral("format_version"));
    const qint64 version = versionValue.isDouble() ? versionValue.toInteger() : 0;
    if (version > Recording::CurrentFormatVersion) {
        setError(error,
            prefixed(source,
                QStringLiteral("made by a newer ThreadLab (recording format version %1; "
                               "this ThreadLab reads up to version %2): update ThreadLab "
                               "to open it")
                    .arg(version)
                    .arg(Recording::CurrentFormatVersion)));
        return std::nullopt;
    }
    if (version < 1) {
        setError(error,
            prefixed(source,
                QStringLiteral("corrupt recording: \"format_version\" is missing or not a "
                               "positive number")));
        return std::nullopt;
    }

    Reader r(source);
    Recording rec;
    rec.formatVersion = int(version);
    const QString top = QStringLiteral("the file");
    rec.threadlabVersion = r.string(root, QStringLiteral("threadlab"), top);
    rec.date = QDateTime::fromString(r.string(root, QStringLiteral("date"), top), Qt::ISODateWithMs);
    const QJsonObject machine = root.value(QStringLiteral("machine")).toObject();
    const QString m = QStringLiteral("machine");
    rec.machine.cores = int(r.integer(machine, QStringLiteral("cores"), m, false));
    rec.machine.cpuModel = r.string(machine, QStringLiteral("cpu_model"), m, false);
    rec.machine.kernel = r.string(machine, QStringLiteral("kernel"), m, false);
    rec.machine.os = r.string(machine, QStringLiteral("os"), m, false);
    rec.machine.qtVersion = r.string(machine, QStringLiteral("qt"), m, false);
    rec.title = r.string(root, QStringLiteral("title"), top, false);
    rec.scenario = r.string(root, QStringLiteral("scenario"), top, false);
    rec.parameters = root.value(QStringLiteral("parameters")).toObject().toVariantMap();
    rec.appPid = r.integer(root, QStringLiteral("app_pid"), top, false);
    rec.droppedEvents = r.integer(root, QStringLiteral("dropped_events"), top, false);

    const QJsonValue workersValue = root.value(QStringLiteral("workers"));
    if (!workersValue.isArray())
        r.fail(top, QStringLiteral("has no array \"workers\""));
    const QJsonArray workers = workersValue.toArray();
    for (qsizetype i = 0; i < workers.size() && !r.failed(); ++i) {
        const QJsonValue wv = workers.at(i);
        const QString where = QStringLiteral("worker %1").arg(i);
        if (!wv.isObject())
            r.fail(where, QStringLiteral("is not an object"));
        else
            rec.workers.append(workerFromJson(r, wv.toObject(), where));
    }

    const QJsonValue eventsValue = root.value(QStringLiteral("events"));
    if (!eventsValue.isArray())
        r.fail(top, QStringLiteral("has no array \"events\""));
    const QJsonArray events = eventsValue.toArray();
    rec.events.reserve(events.size());
    const QString kindKey = QStringLiteral("kind");
    const QString tKey = QStringLiteral("t_ns");
    const QString workerKey = QStringLiteral("worker");
    const QString valueKey = QStringLiteral("value");
    const QString detailKey = QStringLiteral("detail");
    for (qsizetype i = 0; i < events.size() && !r.failed(); ++i) {
        const QJsonObject eo = events.at(i).toObject();
        Event e;
        const QJsonValue t = eo.value(tKey);
        const QJsonValue worker = eo.value(workerKey);
        const QJsonValue kind = eo.value(kindKey);
        if (!t.isDouble() || !worker.isDouble() || !kind.isString()) {
            r.fail(QStringLiteral("event %1").arg(i), QStringLiteral("lacks \"t_ns\", \"worker\" or \"kind\""));
            break;
        }
        const std::optional<EventKind> k = eventKindFromString(kind.toString());
        if (!k) {
            r.fail(QStringLiteral("event %1").arg(i), QStringLiteral("has unknown kind \"%1\"").arg(kind.toString()));
            break;
        }
        e.tNs = t.toInteger();
        e.worker = worker.toInt();
        e.kind = *k;
        e.value = eo.value(valueKey).toInteger();
        e.detail = eo.value(detailKey).toString();
        rec.events.append(std::move(e));
    }
    if (version >= 2 && !r.failed()) {
        const QJsonValue runsValue = root.value(QStringLiteral("runs"));
        if (!runsValue.isArray())
            r.fail(top, QStringLiteral("has no array \"runs\" (required from format version 2)"));
        const QJsonArray runs = runsValue.toArray();
        for (qsizetype i = 0; i < runs.size() && !r.failed(); ++i) {
            const QString where = QStringLiteral("run %1").arg(i);
            const QJsonObject ro = runs.at(i).toObject();
            RunInfo run;
            run.id = int(r.integer(ro, QStringLiteral("id"), where));
            run.title = r.string(ro, QStringLiteral("title"), where, false);
            run.scenario = r.string(ro, QStringLiteral("scenario"), where, false);
            run.zeroNs = r.optionalInteger(ro, QStringLiteral("zero_ns"), where).value_or(-1);
            for (const QJsonValue &id : ro.value(QStringLiteral("workers")).toArray()) {
                if (!id.isDouble() || !rec.worker(id.toInt()))
                    r.fail(where, QStringLiteral("names a worker the file does not hold"));
                else
                    run.workerIds.append(id.toInt());
            }
            const QJsonValue lesson = ro.value(QStringLiteral("lesson"));
            if (!lesson.isUndefined() && !lesson.toObject().value(QStringLiteral("scenario")).isObject())
                r.fail(where, QStringLiteral("has a \"lesson\" without a \"scenario\" object"));
            else if (!lesson.isUndefined())
                rec.lessons.insert(run.id,
                    { lesson.toObject().value(QStringLiteral("scenario")).toObject(),
                        lesson.toObject().value(QStringLiteral("result")).toObject() });
            rec.runs.append(run);
        }
    } else if (!r.failed()) {
        // Version 1 had no runs: the whole file is one run holding every worker.
        RunInfo run;
        run.id = 1;
        run.title = rec.title;
        run.scenario = rec.scenario;
        for (const RecordedWorker &w : std::as_const(rec.workers))
            run.workerIds.append(w.id);
        rec.runs.append(run);
        rec.fillRunZeros();
    }
    if (!r.failed()) {
        const QJsonValue count = root.value(QStringLiteral("event_count"));
        if (count.isDouble() && count.toInteger() != rec.events.size())
            r.fail(
                top, QStringLiteral("declares %1 events but holds %2").arg(count.toInteger()).arg(rec.events.size()));
    }
    if (r.failed()) {
        setError(error, r.error());
        return std::nullopt;
    }
    // One truth: what the file says was derived is derived again from its events by the fold.
    rec.refold();
    return rec;
}

bool RecordingIO::save(const Recording &recording, const QString &path, QString *error)
{
    QByteArray data = toJson(recording);
    if (path.endsWith(QStringLiteral(".gz"), Qt::CaseInsensitive)) {
        data = gzipCompress(data);
        if (data.isEmpty()) {
            setError(error, prefixed(path, QStringLiteral("cannot compress (zlib failed)")));
            return false;
        }
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, prefixed(path, QStringLiteral("cannot write: %1").arg(file.errorString())));
        return false;
    }
    if (file.write(data) != data.size() || !file.commit()) {
        setError(error, prefixed(path, QStringLiteral("cannot write: %1").arg(file.errorString())));
        return false;
    }
    return true;
}

std::optional<Recording> RecordingIO::load(const QString &path, QString *error)
{
    // Only a regular file is opened (a FIFO must not block), and never more than the limits.
    QString why;
    std::optional<QByteArray> read = readRegularFile(path, RecordingLimits::MaxDecompressedBytes, &why);
    if (!read) {
        setError(error, prefixed(path, why));
        return std::nullopt;
    }
    QByteArray data = std::move(*read);
    if (isGzip(data) && data.size() > RecordingLimits::MaxCompressedBytes) {
        setError(error,
            prefixed(
                path, QStringLiteral("is too large (%1 bytes compressed; allowed: at most 64 MiB)").arg(data.size())));
        return std::nullopt;
    }
    if (isGzip(data)) {
        QString why;
        std::optional<QByteArray> plain = gzipDecompress(data, &why);
        if (!plain) {
            setError(error, prefixed(path, why));
            return std::nullopt;
        }
        data = std::move(*plain);
    }
    return fromJson(data, path, error);
}

bool saveRecording(const Recording &recording, const QString &path, QString *error)
{
    return RecordingIO::save(recording, path, error);
}

} // namespace threadlab
