// A scenario run's lesson kept in a recording: made from the scenario and its result, read back when reopened.
#include "lessonrecord.h"

#include "scenarioparser.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace threadlab {

namespace {

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}

std::optional<qint64> optionalNs(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
}

} // namespace

RecordedLesson recordedLesson(const Scenario &scenario, const ScenarioResult *result)
{
    RecordedLesson l;
    l.scenario = scenario.source;
    if (l.scenario.isEmpty()) {
        // Made in code, not read from a file: keep what a reader needs to see the lesson.
        l.scenario = QJsonObject { { QStringLiteral("format"), ScenarioFormatVersion },
            { QStringLiteral("title"), scenario.title }, { QStringLiteral("summary"), scenario.summary },
            { QStringLiteral("lesson"), scenario.lesson } };
    }
    if (result)
        l.result = result->toJson();
    return l;
}

std::optional<Scenario> scenarioOf(const RecordedLesson &lesson, QString *error)
{
    return ScenarioParser::parse(
        QJsonDocument(lesson.scenario).toJson(QJsonDocument::Compact), QStringLiteral("recorded lesson"), error);
}

ScenarioResult resultOf(const RecordedLesson &lesson)
{
    ScenarioResult r;
    const QJsonObject &o = lesson.result;
    if (o.isEmpty())
        return r;
    r.id = o.value(QStringLiteral("scenario")).toString();
    r.title = o.value(QStringLiteral("title")).toString();
    r.path = o.value(QStringLiteral("path")).toString();
    r.skipped = o.value(QStringLiteral("verdict")).toString() == u"skipped";
    r.skipReason = o.value(QStringLiteral("skip_reason")).toString();
    r.error = o.value(QStringLiteral("error")).toString();
    r.notes = strings(o.value(QStringLiteral("notes")));
    r.durationNs = o.value(QStringLiteral("duration_ns")).toInteger();
    for (const QJsonValue &v : o.value(QStringLiteral("runs")).toArray()) {
        const QJsonObject wo = v.toObject();
        WorkerResult w;
        w.name = wo.value(QStringLiteral("worker")).toString();
        w.workload = wo.value(QStringLiteral("workload")).toString();
        if (const auto b = backendFromString(wo.value(QStringLiteral("backend")).toString()))
            w.backend = *b;
        if (const auto out = outcomeFromString(wo.value(QStringLiteral("outcome")).toString()))
            w.outcome = *out;
        if (const auto c = outcomeClassFromString(wo.value(QStringLiteral("outcome_class")).toString()))
            w.outcomeClass = *c;
        w.latencyLines = strings(wo.value(QStringLiteral("latency_lines")));
        w.headline = wo.value(QStringLiteral("headline")).toString();
        const QJsonObject lat = wo.value(QStringLiteral("latency_ns")).toObject();
        w.latencies.observed = optionalNs(lat.value(QStringLiteral("observed")));
        w.latencies.exited = optionalNs(lat.value(QStringLiteral("exited")));
        w.latencies.joined = optionalNs(lat.value(QStringLiteral("joined")));
        w.latencies.kill = optionalNs(lat.value(QStringLiteral("kill")));
        const QJsonValue leaks = wo.value(QStringLiteral("leaks"));
        w.leaksKnown = leaks.isArray();
        for (const QJsonValue &lv : leaks.toArray()) {
            Leak leak;
            leak.kind = lv.toObject().value(QStringLiteral("kind")).toString();
            leak.detail = lv.toObject().value(QStringLiteral("detail")).toString();
            w.leaks << leak;
        }
        w.ended = wo.value(QStringLiteral("ended")).toBool();
        w.stepsDone = wo.value(QStringLiteral("steps")).toInteger();
        w.notes = strings(wo.value(QStringLiteral("notes")));
        w.skipped = wo.value(QStringLiteral("skipped")).toString();
        w.checked = wo.value(QStringLiteral("checked")).toBool();
        w.failures = strings(wo.value(QStringLiteral("failures")));
        r.workers << w;
    }
    return r;
}

} // namespace threadlab
