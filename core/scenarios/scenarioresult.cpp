// JSON form of scenario results (the same words as `threadlab run --json`).
#include "scenarioresult.h"

#include "lessontext.h"

#include <QJsonArray>

namespace threadlab {

namespace {

QJsonValue ns(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject WorkerResult::toJson() const
{
    QJsonArray leakArray;
    for (const Leak &l : leaks)
        leakArray.append(QJsonObject { { QStringLiteral("kind"), l.kind }, { QStringLiteral("detail"), l.detail } });
    QJsonObject latency {
        { QStringLiteral("observed"), ns(latencies.observed) },
        { QStringLiteral("exited"), ns(latencies.exited) },
        { QStringLiteral("joined"), ns(latencies.joined) },
        { QStringLiteral("kill"), ns(latencies.kill) },
    };
    return QJsonObject {
        { QStringLiteral("worker"), name },
        { QStringLiteral("backend"), toString(backend) },
        { QStringLiteral("workload"), workload },
        { QStringLiteral("params"), QJsonObject::fromVariantMap(params) },
        { QStringLiteral("outcome"), toString(outcome) },
        { QStringLiteral("outcome_class"), toString(outcomeClass) },
        { QStringLiteral("latency_lines"), QJsonArray::fromStringList(latencyLines) },
        { QStringLiteral("headline"), headline },
        { QStringLiteral("latency_ns"), latency },
        { QStringLiteral("leaks"), leaksKnown ? QJsonValue(leakArray) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("ended"), ended },
        { QStringLiteral("steps"), double(stepsDone) },
        { QStringLiteral("notes"), QJsonArray::fromStringList(notes) },
        { QStringLiteral("skipped"), skipped.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(skipped) },
        { QStringLiteral("checked"), checked },
        { QStringLiteral("passed"), passed() },
        { QStringLiteral("failures"), QJsonArray::fromStringList(failures) },
    };
}

bool ScenarioResult::passed() const
{
    if (skipped || !error.isEmpty())
        return false;
    for (const auto &w : workers)
        if (!w.passed())
            return false;
    return true;
}

QStringList ScenarioResult::skippedWorkers() const
{
    QStringList out;
    for (const auto &w : workers)
        if (!w.skipped.isEmpty())
            out << w.name + QStringLiteral(": ") + w.skipped;
    return out;
}

QString ScenarioResult::verdict() const
{
    if (skipped)
        return QStringLiteral("skipped");
    if (!passed())
        return QStringLiteral("FAIL");
    // A pass that could not check every worker says so; the notes name the ones skipped and why.
    return skippedWorkers().isEmpty() ? QStringLiteral("pass") : QStringLiteral("pass, partly skipped");
}

QJsonObject ScenarioResult::toJson() const
{
    QJsonArray runs;
    for (const auto &w : workers)
        runs.append(w.toJson());
    QJsonObject o {
        { QStringLiteral("scenario"), id },
        { QStringLiteral("title"), title },
        { QStringLiteral("path"), path },
        { QStringLiteral("verdict"), verdict() },
        { QStringLiteral("duration_ns"), double(durationNs) },
        { QStringLiteral("runs"), runs },
        { QStringLiteral("notes"), QJsonArray::fromStringList(notes) },
        { QStringLiteral("lesson"), LessonText::toPlainText(lesson) },
    };
    if (skipped)
        o.insert(QStringLiteral("skip_reason"), skipReason);
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    return o;
}

} // namespace threadlab
