// The catalogue of workloads: their documentation, parameter validation and creation.
#include "workload.h"

#include "blockingwait.h"
#include "cpuignore.h"
#include "cpuspin.h"
#include "crash.h"
#include "filewriter.h"
#include "lockholder.h"
#include "poolshutdown.h"
#include "robustmutex.h"
#include "sandboxworkloads.h"
#include "sleepsteps.h"
#include "slowcleanup.h"
#include "spawner.h"
#include "timerloop.h"
#include "tokenwait.h"
#include "wakeworkloads.h"

#include <cmath>
#include <functional>

namespace threadlab {

namespace {

using Factory = std::function<std::unique_ptr<Workload>(const Params &)>;

struct Entry
{
    WorkloadInfo info;
    Factory create;
};

template <typename W> Entry entry()
{
    return { W::info(), [](const Params &p) { return std::unique_ptr<Workload>(std::make_unique<W>(p)); } };
}

const QList<Entry> &entries()
{
    static const QList<Entry> list = [] {
        QList<Entry> l = {
            entry<CpuSpin>(),
            entry<CpuIgnore>(),
            entry<SleepSteps>(),
            entry<BlockingWait>(),
            entry<LockHolder>(),
            entry<FileWriter>(),
            entry<Spawner>(),
            entry<SlowCleanup>(),
            entry<BlockedRead>(),
            entry<PoolShutdown>(),
            entry<TokenWait>(),
            entry<TimerLoop>(),
            // Process only (the worker host): written by the process issue.
            entry<Crash>(),
            entry<SandboxAsyncCancel>(),
            entry<SandboxCancelInDestructor>(),
            entry<SandboxWaitConditionDeadlock>(),
            entry<SandboxDestroyRunningQThread>(),
            entry<SandboxSwallowUnwind>(),
            entry<SandboxRawTerminate>(),
            entry<SignalWake>(),
            entry<RobustMutex>(),
            entry<PidfdWatch>(),
        };
        // A Workload-typed parameter accepts every in-process workload except the spawner itself.
        QStringList childNames;
        for (const auto &e : l)
            if (!e.info.processOnly && e.info.name != Spawner::name())
                childNames << e.info.name;
        for (auto &e : l)
            for (auto &p : e.info.params)
                if (p.type == ParamType::Workload)
                    p.choices = childNames;
        return l;
    }();
    return list;
}

QString valueText(const QVariant &v)
{
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

bool isString(const QVariant &v)
{
    return v.typeId() == QMetaType::QString || v.typeId() == QMetaType::QByteArray;
}

bool isIntegral(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

/// Converts one given value to the spec's type; on failure sets error.
bool convert(const WorkloadInfo &info, const ParamSpec &spec, const QVariant &given, QVariant *out, QString *error)
{
    const QString shown = valueText(given);
    const auto fail = [&](const QString &what, const QString &allowed) {
        if (error)
            *error = QStringLiteral("parameter %1=%2 %3 for %4 (allowed: %5)")
                         .arg(spec.name, shown, what, info.name, allowed);
        return false;
    };
    switch (spec.type) {
    case ParamType::Integer: {
        const QString range = QStringLiteral("%1..%2").arg(spec.min).arg(spec.max);
        bool ok = false;
        qint64 n = 0;
        if (isString(given)) {
            n = given.toString().trimmed().toLongLong(&ok);
        } else if (isIntegral(given)) {
            n = given.toLongLong(&ok);
        } else if (given.typeId() == QMetaType::Double) {
            const double d = given.toDouble();
            // Range first: casting a double beyond qint64 (1e24, found by fuzz_scenario) is undefined behaviour.
            ok = d >= -9.2e18 && d <= 9.2e18 && d == std::trunc(d);
            n = ok ? qint64(d) : 0;
        }
        if (!ok)
            return fail(QStringLiteral("is not an integer"), range);
        if (n < spec.min || n > spec.max)
            return fail(QStringLiteral("is out of range"), range);
        *out = QVariant::fromValue<qint64>(n);
        return true;
    }
    case ParamType::Boolean: {
        if (given.typeId() == QMetaType::Bool) {
            *out = given.toBool();
            return true;
        }
        const QString s = isString(given) ? given.toString().trimmed() : (isIntegral(given) ? shown : QString());
        if (s == u"true" || s == u"1") {
            *out = true;
            return true;
        }
        if (s == u"false" || s == u"0") {
            *out = false;
            return true;
        }
        return fail(QStringLiteral("is not a boolean"), QStringLiteral("true|false|1|0"));
    }
    case ParamType::Choice:
    case ParamType::Workload: {
        const QString s = isString(given) ? given.toString().trimmed() : QString();
        if (!s.isEmpty() && spec.choices.contains(s)) {
            *out = s;
            return true;
        }
        return fail(spec.type == ParamType::Workload ? QStringLiteral("is not an allowed workload")
                                                     : QStringLiteral("is not a valid choice"),
            spec.choices.join(QLatin1Char('|')));
    }
    }
    return false;
}

} // namespace

const QList<WorkloadInfo> &WorkloadRegistry::all()
{
    static const QList<WorkloadInfo> infos = [] {
        QList<WorkloadInfo> l;
        for (const auto &e : entries())
            l << e.info;
        return l;
    }();
    return infos;
}

const WorkloadInfo *WorkloadRegistry::find(const QString &name)
{
    for (const auto &info : all())
        if (info.name == name)
            return &info;
    return nullptr;
}

QStringList WorkloadRegistry::names(bool includeProcessOnly)
{
    QStringList out;
    for (const auto &info : all())
        if (includeProcessOnly || !info.processOnly)
            out << info.name;
    return out;
}

bool WorkloadRegistry::parseAssignments(const QStringList &assignments, QVariantMap *out, QString *error)
{
    for (const QString &a : assignments) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        if (eq <= 0 || a.left(eq).trimmed().isEmpty()) {
            if (error)
                *error = QStringLiteral("malformed parameter '%1': expected key=value").arg(a);
            return false;
        }
        out->insert(a.left(eq).trimmed(), a.mid(eq + 1));
    }
    return true;
}

bool WorkloadRegistry::resolve(const QString &workload, const QStringList &assignments, Params *out, QString *error)
{
    QVariantMap given;
    return parseAssignments(assignments, &given, error) && resolve(workload, given, out, error);
}

bool WorkloadRegistry::resolve(const QString &workload, const QVariantMap &given, Params *out, QString *error)
{
    const WorkloadInfo *info = find(workload);
    if (!info) {
        if (error)
            *error = QStringLiteral("unknown workload '%1' (allowed: %2)")
                         .arg(workload, names().join(QStringLiteral(", ")));
        return false;
    }
    return resolve(*info, given, out, error);
}

bool WorkloadRegistry::resolve(const WorkloadInfo &workloadInfo, const QVariantMap &given, Params *out, QString *error)
{
    const WorkloadInfo *info = &workloadInfo;
    Params resolved;
    for (const auto &spec : info->params)
        resolved.insert(spec.name, spec.defaultValue);
    for (auto it = given.cbegin(); it != given.cend(); ++it) {
        const ParamSpec *spec = nullptr;
        for (const auto &s : info->params)
            if (s.name == it.key())
                spec = &s;
        if (!spec) {
            QStringList allowed;
            for (const auto &s : info->params)
                allowed << s.name;
            if (error)
                *error = QStringLiteral("unknown parameter '%1' for workload %2 (allowed: %3)")
                             .arg(it.key(), info->name,
                                 allowed.isEmpty() ? QStringLiteral("none") : allowed.join(QStringLiteral(", ")));
            return false;
        }
        QVariant value;
        if (!convert(*info, *spec, it.value(), &value, error))
            return false;
        resolved.insert(spec->name, value);
    }
    if (out)
        *out = resolved;
    return true;
}

std::unique_ptr<Workload> WorkloadRegistry::create(const QString &name, const Params &params)
{
    for (const auto &e : entries())
        if (e.info.name == name && e.create)
            return e.create(params);
    return nullptr;
}

} // namespace threadlab
