// Strict scenario-file parser: malformed JSON with line:column, bad fields named with what is allowed.
#include "scenarioparser.h"

#include "lab/workerfactory.h"

#include "base/safefile.h"
#include "base/stoplimits.h"
#include "workloads/stopcontext.h"
#include "workloads/workload.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <limits>

namespace threadlab {

namespace {

constexpr int DefaultStopAfterMs = 200;

/// Workloads that a build may lack (process backend / sandbox): a file naming them still loads, and the
/// runner reports the scenario as skipped with the reason.
bool isOptionalWorkload(const QString &name)
{
    return name == u"crash" || name.startsWith(u"sandbox-");
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

/// Thrown inside the parser only, caught in parse(): carries "field: what".
struct ParseFailure
{
    QString message;
};

[[noreturn]] void fail(const QString &field, const QString &what)
{
    throw ParseFailure { field.isEmpty() ? what : field + QStringLiteral(": ") + what };
}

void checkKeys(const QJsonObject &o, const QString &field, const QStringList &allowed)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            fail(field.isEmpty() ? it.key() : field + u'.' + it.key(),
                QStringLiteral("unknown field (allowed: %1)").arg(allowed.join(QStringLiteral(", "))));
}

QString field(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + u'.' + key;
}

QString requireString(const QJsonObject &o, const QString &parent, const QString &key, bool allowEmpty = false)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        fail(field(parent, key), QStringLiteral("missing (required, a string)"));
    if (!v.isString())
        fail(field(parent, key), QStringLiteral("must be a string, not %1").arg(jsonTypeName(v)));
    const QString s = v.toString();
    if (!allowEmpty && s.trimmed().isEmpty())
        fail(field(parent, key), QStringLiteral("must not be empty"));
    return s;
}

qint64 toInteger(const QJsonValue &v, const QString &f, qint64 min, qint64 max, const QString &limitWhat = {})
{
    if (!v.isDouble())
        fail(f, QStringLiteral("must be an integer, not %1").arg(jsonTypeName(v)));
    const double d = v.toDouble();
    // Range first: casting a double beyond qint64 (5e90, found by fuzz_scenario) is undefined behaviour.
    if (!(d >= -9.2e18 && d <= 9.2e18) || d != std::trunc(d))
        fail(f, QStringLiteral("must be an integer, not %1").arg(d));
    const qint64 n = qint64(d);
    if (n < min || n > max)
        fail(f,
            QStringLiteral("%1 is out of range%2 (allowed: %3..%4)")
                .arg(n)
                .arg(limitWhat.isEmpty() ? QString() : QStringLiteral(" (") + limitWhat + u')')
                .arg(min)
                .arg(max));
    return n;
}

std::optional<qint64> optionalInteger(const QJsonObject &o, const QString &parent, const QString &key, qint64 min,
    qint64 max, const QString &limitWhat = {})
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return std::nullopt;
    return toInteger(v, field(parent, key), min, max, limitWhat);
}

QStringList stringList(const QJsonValue &v, const QString &f)
{
    QStringList out;
    if (v.isString())
        return { v.toString() };
    if (!v.isArray())
        fail(f, QStringLiteral("must be a string or an array of strings, not %1").arg(jsonTypeName(v)));
    const QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString())
            fail(QStringLiteral("%1[%2]").arg(f).arg(i),
                QStringLiteral("must be a string, not %1").arg(jsonTypeName(a.at(i))));
        out << a.at(i).toString();
    }
    return out;
}

StopPolicy parsePolicy(const QJsonObject &o, const QString &parent)
{
    StopPolicy p;
    p.graceMs = int(
        optionalInteger(o, parent, QStringLiteral("grace_ms"), GraceMsRange.min, GraceMsRange.max).value_or(p.graceMs));
    p.killTimeoutMs = int(
        optionalInteger(o, parent, QStringLiteral("kill_timeout_ms"), KillTimeoutMsRange.min, KillTimeoutMsRange.max)
            .value_or(p.killTimeoutMs));
    return p;
}

ScriptAction parseAction(const QString &s, const QString &f)
{
    const auto a = scriptActionFromString(s);
    if (!a)
        fail(f,
            QStringLiteral("unknown action '%1' (allowed: %2)").arg(s, scriptActionNames().join(QStringLiteral(", "))));
    return *a;
}

/// "from": the event of the target that atMs / after_ms counts from (absent: the scenario's start).
std::optional<EventKind> parseFrom(const QJsonObject &o, const QString &parent)
{
    const QJsonValue v = o.value(QStringLiteral("from"));
    if (v.isUndefined())
        return std::nullopt;
    QStringList allowed;
    for (EventKind k : scriptAnchorKinds())
        allowed << toString(k);
    const QString f = field(parent, QStringLiteral("from"));
    if (!v.isString())
        fail(f, QStringLiteral("must be a string, not %1 (allowed: %2)").arg(jsonTypeName(v), allowed.join(u", "_qs)));
    const auto kind = eventKindFromString(v.toString());
    if (!kind || !scriptAnchorKinds().contains(*kind))
        fail(f, QStringLiteral("unknown event '%1' (allowed: %2)").arg(v.toString(), allowed.join(u", "_qs)));
    return kind;
}

ScenarioWorker parseWorker(const QJsonValue &v, const QString &f, QList<ScriptStep> *defaultScript)
{
    if (!v.isObject())
        fail(f, QStringLiteral("must be an object, not %1").arg(jsonTypeName(v)));
    const QJsonObject o = v.toObject();
    checkKeys(o, f,
        { QStringLiteral("name"), QStringLiteral("backend"), QStringLiteral("workload"), QStringLiteral("params"),
            QStringLiteral("start_ms"), QStringLiteral("stop") });
    ScenarioWorker w;
    w.name = requireString(o, f, QStringLiteral("name"));
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!namePattern.match(w.name).hasMatch())
        fail(field(f, QStringLiteral("name")),
            QStringLiteral("'%1' is not a valid worker name (allowed: 1 to 64 of A-Z a-z 0-9 _ . -)").arg(w.name));

    const QString backend = requireString(o, f, QStringLiteral("backend"));
    const auto b = backendFromString(backend);
    if (!b)
        fail(field(f, QStringLiteral("backend")),
            QStringLiteral("unknown backend '%1' (allowed: %2)")
                .arg(backend, allNames(backendTerms()).join(QStringLiteral(", "))));
    w.backend = *b;

    w.workload = requireString(o, f, QStringLiteral("workload"));
    const QJsonValue params = o.value(QStringLiteral("params"));
    if (!params.isUndefined() && !params.isObject())
        fail(field(f, QStringLiteral("params")), QStringLiteral("must be an object, not %1").arg(jsonTypeName(params)));
    w.givenParams = params.toObject().toVariantMap();

    const WorkloadInfo *info = WorkerFactory::findWorkload(w.backend, w.workload);
    if (!info && isOptionalWorkload(w.workload)) {
        w.unavailable = QStringLiteral("workload '%1' is not in this build").arg(w.workload);
    } else {
        QString error;
        if (!WorkerFactory::resolveParams(w.backend, w.workload, w.givenParams, &w.params, &error))
            fail(field(f, info ? QStringLiteral("params") : QStringLiteral("workload")), error);
        if (info->processOnly && w.backend != Backend::Process)
            fail(field(f, QStringLiteral("backend")),
                QStringLiteral("workload %1 runs only in the worker host (allowed: process)").arg(w.workload));
    }

    const int startMs = int(optionalInteger(
        o, f, QStringLiteral("start_ms"), 0, MaxScriptMs, QStringLiteral("the script is at most 10 minutes"))
                                .value_or(0));
    defaultScript->append({ startMs, ScriptAction::Start, w.name, {}, std::nullopt, startMs });

    const QJsonValue stop = o.value(QStringLiteral("stop"));
    if (!stop.isUndefined()) {
        const QString sf = field(f, QStringLiteral("stop"));
        if (!stop.isObject())
            fail(sf, QStringLiteral("must be an object, not %1").arg(jsonTypeName(stop)));
        const QJsonObject so = stop.toObject();
        checkKeys(so, sf,
            { QStringLiteral("method"), QStringLiteral("after_ms"), QStringLiteral("from"), QStringLiteral("grace_ms"),
                QStringLiteral("kill_timeout_ms") });
        const QString method = requireString(so, sf, QStringLiteral("method"));
        const auto m = stopMethodFromString(method);
        if (!m)
            fail(field(sf, QStringLiteral("method")),
                QStringLiteral("unknown stop method '%1' (allowed: %2)")
                    .arg(method, allNames(stopMethodTerms()).join(QStringLiteral(", "))));
        const qint64 after = optionalInteger(
            so, sf, QStringLiteral("after_ms"), 0, MaxScriptMs, QStringLiteral("the script is at most 10 minutes"))
                                 .value_or(DefaultStopAfterMs);
        if (startMs + after > MaxScriptMs)
            fail(field(sf, QStringLiteral("after_ms")),
                QStringLiteral("start_ms + after_ms = %1 is beyond the 10-minute script limit (allowed: 0..%2)")
                    .arg(startMs + after)
                    .arg(MaxScriptMs));
        ScriptAction action = ScriptAction::Request;
        switch (*m) {
        case StopMethod::Request:
            action = ScriptAction::Request;
            break;
        case StopMethod::Force:
            action = ScriptAction::Force;
            break;
        case StopMethod::Escalate:
            action = ScriptAction::Escalate;
            break;
        case StopMethod::Sigterm:
            action = ScriptAction::Sigterm;
            break;
        case StopMethod::ForceGroup:
            action = ScriptAction::ForceGroup;
            break;
        case StopMethod::AsyncExc:
            action = ScriptAction::AsyncExc;
            break;
        case StopMethod::Settrace:
            action = ScriptAction::Settrace;
            break;
        case StopMethod::InterpreterExit:
            action = ScriptAction::InterpreterExit;
            break;
        }
        // With from, after_ms counts from the worker's event (it cannot come before its start).
        const std::optional<EventKind> from = parseFrom(so, sf);
        const int earliest = int(startMs + after);
        defaultScript->append({ from ? int(after) : earliest, action, w.name, parsePolicy(so, sf), from, earliest });
    }
    return w;
}

ScriptStep parseStep(const QJsonValue &v, const QString &f, const QStringList &workerNames)
{
    if (!v.isObject())
        fail(f, QStringLiteral("must be an object, not %1").arg(jsonTypeName(v)));
    const QJsonObject o = v.toObject();
    checkKeys(o, f,
        { QStringLiteral("at_ms"), QStringLiteral("from"), QStringLiteral("action"), QStringLiteral("target"),
            QStringLiteral("grace_ms"), QStringLiteral("kill_timeout_ms") });
    ScriptStep s;
    const QJsonValue at = o.value(QStringLiteral("at_ms"));
    if (at.isUndefined())
        fail(field(f, QStringLiteral("at_ms")), QStringLiteral("missing (required, an integer)"));
    s.atMs = int(toInteger(
        at, field(f, QStringLiteral("at_ms")), 0, MaxScriptMs, QStringLiteral("the script is at most 10 minutes")));
    s.action = parseAction(requireString(o, f, QStringLiteral("action")), field(f, QStringLiteral("action")));
    if (s.action == ScriptAction::Recover) {
        s.target = o.value(QStringLiteral("target")).toString(QStringLiteral("*"));
    } else {
        s.target = requireString(o, f, QStringLiteral("target"));
        if (s.target != u"*" && !workerNames.contains(s.target))
            fail(field(f, QStringLiteral("target")),
                QStringLiteral("no worker named '%1' (allowed: *, %2)")
                    .arg(s.target, workerNames.join(QStringLiteral(", "))));
    }
    const bool stopping = stopMethodOf(s.action).has_value();
    if (!stopping && (o.contains(QStringLiteral("grace_ms")) || o.contains(QStringLiteral("kill_timeout_ms"))))
        fail(f,
            QStringLiteral("grace_ms and kill_timeout_ms apply only to request, force, escalate, sigterm, "
                           "force-group"));
    s.policy = parsePolicy(o, f);
    s.from = parseFrom(o, f);
    if (s.from && (s.action == ScriptAction::Start || s.action == ScriptAction::Recover || s.target == u"*"))
        fail(field(f, QStringLiteral("from")),
            QStringLiteral("counts from an event of the one worker the action targets (allowed: a stop, pause or "
                           "resume action with a named target)"));
    s.earliestMs = s.atMs; // an anchored step's is known once every start is parsed
    return s;
}

Expectation parseExpectation(const QJsonValue &v, const QString &f)
{
    if (!v.isObject())
        fail(f, QStringLiteral("must be an object, not %1").arg(jsonTypeName(v)));
    const QJsonObject o = v.toObject();
    checkKeys(o, f,
        { QStringLiteral("outcome"), QStringLiteral("leaks_present"), QStringLiteral("leaks_absent"),
            QStringLiteral("observed_max_ms"), QStringLiteral("observed_min_ms"), QStringLiteral("joined_max_ms"),
            QStringLiteral("joined_min_ms"), QStringLiteral("kill_max_ms"), QStringLiteral("steps_min"),
            QStringLiteral("steps_max"), QStringLiteral("ended"), QStringLiteral("notes_present"),
            QStringLiteral("notes_absent") });
    Expectation e;
    const QJsonValue outcome = o.value(QStringLiteral("outcome"));
    if (!outcome.isUndefined()) {
        const QString of = field(f, QStringLiteral("outcome"));
        const QStringList names = stringList(outcome, of);
        if (names.isEmpty())
            fail(of, QStringLiteral("must name at least one outcome"));
        for (const QString &n : names) {
            const auto out = outcomeFromString(n);
            if (!out || *out == Outcome::None)
                fail(of,
                    QStringLiteral("unknown outcome '%1' (allowed: %2)")
                        .arg(n, allNames(outcomeTerms()).join(QStringLiteral(", "))));
            e.outcomes << *out;
        }
    }
    const QStringList kinds = leakKindNames();
    for (const QString &key : { QStringLiteral("leaks_present"), QStringLiteral("leaks_absent") }) {
        const QJsonValue lv = o.value(key);
        if (lv.isUndefined())
            continue;
        const QString lf = field(f, key);
        const QStringList list = stringList(lv, lf);
        for (const QString &k : list)
            if (!kinds.contains(k) && !(k == u"*" && key == u"leaks_absent"))
                fail(lf,
                    QStringLiteral("unknown leak kind '%1' (allowed: %2%3)")
                        .arg(k, kinds.join(QStringLiteral(", ")),
                            key == u"leaks_absent" ? QStringLiteral(", *") : QString()));
        (key == u"leaks_present" ? e.leaksPresent : e.leaksAbsent) = list;
    }
    constexpr qint64 Big = 3'600'000;
    e.observedMaxMs = optionalInteger(o, f, QStringLiteral("observed_max_ms"), 0, Big);
    e.observedMinMs = optionalInteger(o, f, QStringLiteral("observed_min_ms"), 0, Big);
    e.joinedMaxMs = optionalInteger(o, f, QStringLiteral("joined_max_ms"), 0, Big);
    e.joinedMinMs = optionalInteger(o, f, QStringLiteral("joined_min_ms"), 0, Big);
    e.killMaxMs = optionalInteger(o, f, QStringLiteral("kill_max_ms"), 0, Big);
    e.stepsMin = optionalInteger(o, f, QStringLiteral("steps_min"), 0, std::numeric_limits<qint64>::max() / 2);
    e.stepsMax = optionalInteger(o, f, QStringLiteral("steps_max"), 0, std::numeric_limits<qint64>::max() / 2);
    const QJsonValue ended = o.value(QStringLiteral("ended"));
    if (!ended.isUndefined()) {
        if (!ended.isBool())
            fail(field(f, QStringLiteral("ended")),
                QStringLiteral("must be a boolean, not %1").arg(jsonTypeName(ended)));
        e.ended = ended.toBool();
    }
    for (const QString &key : { QStringLiteral("notes_present"), QStringLiteral("notes_absent") }) {
        const QJsonValue nv = o.value(key);
        if (nv.isUndefined())
            continue;
        const QString nf = field(f, key);
        const QStringList texts = stringList(nv, nf);
        for (const QString &t : texts)
            if (t.trimmed().isEmpty())
                fail(nf, QStringLiteral("must not contain an empty text (allowed: any words a note contains)"));
        (key == u"notes_present" ? e.notesPresent : e.notesAbsent) = texts;
    }
    return e;
}

Scenario parseDocument(const QJsonObject &root)
{
    checkKeys(root, {},
        { QStringLiteral("$schema"), QStringLiteral("format"), QStringLiteral("title"), QStringLiteral("summary"),
            QStringLiteral("lesson"), QStringLiteral("workers"), QStringLiteral("script"), QStringLiteral("expect"),
            QStringLiteral("settle_ms"), QStringLiteral("pool_threads") });
    Scenario sc;
    sc.source = root;
    const QJsonValue format = root.value(QStringLiteral("format"));
    if (format.isUndefined())
        fail(QStringLiteral("format"), QStringLiteral("missing (required: %1)").arg(ScenarioFormatVersion));
    if (!format.isDouble() || format.toDouble() != ScenarioFormatVersion)
        fail(QStringLiteral("format"),
            QStringLiteral("unsupported format version %1 (allowed: %2)")
                .arg(format.isDouble() ? QString::number(format.toDouble()) : jsonTypeName(format))
                .arg(ScenarioFormatVersion));
    sc.title = requireString(root, {}, QStringLiteral("title"));
    sc.summary = requireString(root, {}, QStringLiteral("summary"));
    sc.lesson = requireString(root, {}, QStringLiteral("lesson"));
    sc.settleMs = int(optionalInteger(root, {}, QStringLiteral("settle_ms"), 0, MaxScriptMs).value_or(sc.settleMs));

    sc.poolThreads = int(optionalInteger(root, {}, QStringLiteral("pool_threads"), 1, MaxScenarioWorkers).value_or(0));

    const QJsonValue workers = root.value(QStringLiteral("workers"));
    if (!workers.isArray())
        fail(QStringLiteral("workers"),
            workers.isUndefined()
                ? QStringLiteral("missing (required, an array of 1..%1 workers)").arg(MaxScenarioWorkers)
                : QStringLiteral("must be an array, not %1").arg(jsonTypeName(workers)));
    const QJsonArray wa = workers.toArray();
    if (wa.isEmpty())
        fail(QStringLiteral("workers"), QStringLiteral("must have at least one worker"));
    if (wa.size() > MaxScenarioWorkers)
        fail(QStringLiteral("workers"),
            QStringLiteral("%1 workers is too many (allowed: 1..%2)").arg(wa.size()).arg(MaxScenarioWorkers));
    QList<ScriptStep> defaultScript;
    QStringList names;
    for (qsizetype i = 0; i < wa.size(); ++i) {
        const QString f = QStringLiteral("workers[%1]").arg(i);
        ScenarioWorker w = parseWorker(wa.at(i), f, &defaultScript);
        if (names.contains(w.name) || w.name == u"*")
            fail(f + QStringLiteral(".name"), QStringLiteral("duplicate worker name '%1'").arg(w.name));
        names << w.name;
        sc.workers << w;
    }

    const QJsonValue script = root.value(QStringLiteral("script"));
    if (script.isUndefined()) {
        sc.script = defaultScript;
    } else {
        if (!script.isArray())
            fail(QStringLiteral("script"), QStringLiteral("must be an array, not %1").arg(jsonTypeName(script)));
        const QJsonArray sa = script.toArray();
        for (qsizetype i = 0; i < sa.size(); ++i)
            sc.script << parseStep(sa.at(i), QStringLiteral("script[%1]").arg(i), names);
        sc.scriptGiven = true;
        for (qsizetype i = 0; i < wa.size(); ++i) {
            const QJsonObject wo = wa.at(i).toObject();
            if (wo.contains(QStringLiteral("stop")) || wo.contains(QStringLiteral("start_ms")))
                fail(QStringLiteral("workers[%1]").arg(i),
                    QStringLiteral("start_ms and stop make the default script; with an explicit script, use "
                                   "script actions instead"));
        }
    }
    // A step counted from its target's event runs no sooner than atMs after that worker's (first) start.
    for (ScriptStep &s : sc.script) {
        if (!s.from || !sc.scriptGiven)
            continue;
        int startMs = MaxScriptMs;
        for (const ScriptStep &st : std::as_const(sc.script))
            if (st.action == ScriptAction::Start && (st.target == s.target || st.target == u"*"))
                startMs = std::min(startMs, st.atMs);
        s.earliestMs = int(std::min<qint64>(MaxScriptMs, qint64(startMs) + s.atMs));
    }
    std::stable_sort(sc.script.begin(), sc.script.end(),
        [](const ScriptStep &a, const ScriptStep &b) { return a.earliestMs < b.earliestMs; });
    for (qsizetype i = 0; i < sc.workers.size(); ++i) {
        const QString &n = sc.workers.at(i).name;
        const bool started = std::any_of(sc.script.cbegin(), sc.script.cend(), [&](const ScriptStep &s) {
            return s.action == ScriptAction::Start && (s.target == n || s.target == u"*");
        });
        if (!started)
            fail(QStringLiteral("workers[%1]").arg(i),
                QStringLiteral("worker '%1' is never started by the script (add a start action)").arg(n));
    }

    const QJsonValue expect = root.value(QStringLiteral("expect"));
    if (!expect.isUndefined()) {
        if (!expect.isObject())
            fail(QStringLiteral("expect"), QStringLiteral("must be an object, not %1").arg(jsonTypeName(expect)));
        const QJsonObject eo = expect.toObject();
        for (auto it = eo.begin(); it != eo.end(); ++it) {
            const QString f = QStringLiteral("expect.") + it.key();
            if (!names.contains(it.key()))
                fail(f,
                    QStringLiteral("no worker named '%1' (allowed: %2)")
                        .arg(it.key(), names.join(QStringLiteral(", "))));
            sc.expect.insert(it.key(), parseExpectation(it.value(), f));
        }
    }
    return sc;
}

} // namespace

std::optional<Scenario> ScenarioParser::parse(const QByteArray &json, const QString &path, QString *error)
{
    const auto setError = [&](const QString &e) {
        if (error)
            *error = e;
        return std::nullopt;
    };
    if (json.size() > MaxFileBytes)
        return setError(
            QStringLiteral("%1: file is %2 bytes (allowed: at most %3)").arg(path).arg(json.size()).arg(MaxFileBytes));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(pe.offset, 0, json.size());
        const QByteArray before = json.left(offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
        return setError(QStringLiteral("%1:%2:%3: %4").arg(path).arg(line).arg(column).arg(pe.errorString()));
    }
    if (!doc.isObject())
        return setError(QStringLiteral("%1:1:1: the top level must be a JSON object").arg(path));
    try {
        Scenario sc = parseDocument(doc.object());
        sc.path = path;
        sc.id = QFileInfo(path).completeBaseName();
        return sc;
    } catch (const ParseFailure &f) {
        return setError(path + QStringLiteral(": ") + f.message);
    }
}

std::optional<Scenario> ScenarioParser::loadFile(const QString &path, QString *error)
{
    // Only a regular file is opened (a FIFO must not block); parse() words the size limit.
    QString why;
    const std::optional<QByteArray> bytes = readRegularFile(path, MaxFileBytes + 1, &why);
    if (!bytes) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return std::nullopt;
    }
    return parse(*bytes, path, error);
}

} // namespace threadlab
