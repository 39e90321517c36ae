// Renders the results of `threadlab run` as a readable table and summary, and as the documented JSON.
#include "report.h"

#include "cliutil.h"
#include "recording/recording.h"

#include <QJsonArray>
#include <QSysInfo>
#include <QThread>
#include <array>
#include <cstdio>
#include <map>

namespace threadlab {

namespace {

QString cell(const std::optional<qint64> &ns)
{
    return ns ? formatDuration(*ns) : QStringLiteral("-");
}

QJsonValue nsOrNull(const std::optional<qint64> &ns)
{
    return ns ? QJsonValue(double(*ns)) : QJsonValue(QJsonValue::Null);
}

QString methodName(const std::optional<StopMethod> &m)
{
    return m ? toString(*m) : QStringLiteral("none");
}

struct Figure
{
    const char *name;
    std::optional<qint64> Latencies::*member;
};

constexpr std::array<Figure, 4> figures { {
    { "observed", &Latencies::observed },
    { "exited", &Latencies::exited },
    { "joined", &Latencies::joined },
    { "kill", &Latencies::kill },
} };

std::vector<qint64> samplesOf(const QList<RunResult> &runs, std::optional<qint64> Latencies::*member)
{
    std::vector<qint64> out;
    for (const RunResult &r : runs)
        if (const auto v = r.latencies().*member)
            out.push_back(*v);
    return out;
}

QString leaksText(const LeakList &leaks)
{
    if (leaks.isEmpty())
        return QStringLiteral("none");
    QStringList parts;
    for (const Leak &l : leaks)
        parts << QStringLiteral("%1: %2").arg(l.kind, l.detail);
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString Report::tableHeader()
{
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 leaks; what happened")
        .arg(u"worker"_qs.leftJustified(8), u"backend"_qs.leftJustified(10), u"workload"_qs.leftJustified(13),
            u"method"_qs.leftJustified(8), u"outcome"_qs.leftJustified(12), u"observed"_qs.rightJustified(9),
            u"exited"_qs.rightJustified(9), u"joined"_qs.rightJustified(9), u"kill"_qs.rightJustified(9));
}

QString Report::tableLine(const RunResult &r)
{
    // The latencies and their words come from the fold: "kill" only when a kill took effect.
    const Latencies lat = r.latencies();
    QStringList words;
    for (const LatencyLine &line : r.fold.latencyLines())
        words << line.label;
    const WorkerSnapshot &s = r.snapshot;
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10")
        .arg(s.name.leftJustified(8), toString(s.backend).leftJustified(10), s.workload.leftJustified(13),
            methodName(r.method).leftJustified(8), toString(r.outcome()).leftJustified(12),
            cell(lat.observed).rightJustified(9), cell(lat.exited).rightJustified(9),
            cell(lat.joined).rightJustified(9), cell(lat.kill).rightJustified(9))
        .arg(leaksText(s.leaks)
            + (words.isEmpty() ? QString() : QStringLiteral("; ") + words.join(QStringLiteral("; "))));
}

QString Report::summary(const QList<RunResult> &runs)
{
    QString out;
    std::map<int, int> counts;
    for (const RunResult &r : runs)
        ++counts[int(r.outcome())];
    QStringList outcomeParts;
    for (const auto &t : outcomeTerms())
        if (counts.count(int(t.value)))
            outcomeParts << QStringLiteral("%1 %2").arg(QString::fromLatin1(t.name)).arg(counts[int(t.value)]);
    out += QStringLiteral("summary: %1 run%2: %3\n")
               .arg(runs.size())
               .arg(runs.size() == 1 ? QString() : QStringLiteral("s"))
               .arg(outcomeParts.join(QStringLiteral(", ")));
    out += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
               .arg(u"latency"_qs.leftJustified(9), u"n"_qs.rightJustified(5), u"p50"_qs.rightJustified(9),
                   u"p90"_qs.rightJustified(9), u"p99"_qs.rightJustified(9), u"max"_qs.rightJustified(9));
    for (const Figure &f : figures) {
        const auto samples = samplesOf(runs, f.member);
        if (samples.empty()) {
            out += QStringLiteral("  %1 %2 %3\n")
                       .arg(QString::fromLatin1(f.name).leftJustified(9), u"0"_qs.rightJustified(5),
                           u"-"_qs.rightJustified(9));
            continue;
        }
        const Percentiles p = percentiles(samples);
        out += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                   .arg(QString::fromLatin1(f.name).leftJustified(9), QString::number(p.count).rightJustified(5),
                       formatDuration(p.p50).rightJustified(9), formatDuration(p.p90).rightJustified(9),
                       formatDuration(p.p99).rightJustified(9), formatDuration(p.max).rightJustified(9));
    }
    int leakyRuns = 0;
    std::map<QString, int> kinds;
    for (const RunResult &r : runs) {
        if (!r.snapshot.leaks.isEmpty())
            ++leakyRuns;
        for (const Leak &l : r.snapshot.leaks)
            ++kinds[l.kind];
    }
    if (leakyRuns == 0) {
        out += QStringLiteral("leaks: none\n");
    } else {
        QStringList parts;
        for (const auto &[kind, n] : kinds)
            parts << QStringLiteral("%1 %2").arg(kind).arg(n);
        out += QStringLiteral("leaks: %1 of %2 runs leaked (%3)\n")
                   .arg(leakyRuns)
                   .arg(runs.size())
                   .arg(parts.join(QStringLiteral(", ")));
    }
    return out;
}

QJsonObject Report::machine()
{
    // The machine is described once (MachineInfo, as recordings store it); only the kernel keeps its bare version.
    const MachineInfo info = MachineInfo::current();
    QJsonObject m;
    m[u"cores"_qs] = info.cores;
    m[u"kernel"_qs] = QSysInfo::kernelVersion();
    m[u"cpu"_qs] = info.cpuModel;
    m[u"qt"_qs] = info.qtVersion;
    m[u"os"_qs] = info.os;
    return m;
}

QJsonObject Report::scenarioMachine()
{
    return QJsonObject {
        { QStringLiteral("kernel"), QSysInfo::kernelVersion() },
        { QStringLiteral("os"), QSysInfo::prettyProductName() },
        { QStringLiteral("cpu_arch"), QSysInfo::currentCpuArchitecture() },
        { QStringLiteral("ideal_threads"), QThread::idealThreadCount() },
        { QStringLiteral("qt"), QString::fromLatin1(qVersion()) },
    };
}

QJsonObject Report::runToJson(const RunResult &r)
{
    const WorkerSnapshot &s = r.snapshot;
    QJsonObject o;
    o[u"worker"_qs] = s.name;
    o[u"backend"_qs] = toString(s.backend);
    o[u"workload"_qs] = s.workload;
    o[u"params"_qs] = QJsonObject::fromVariantMap(s.params);
    o[u"method"_qs] = methodName(r.method);
    o[u"state"_qs] = toString(r.fold.state());
    o[u"outcome"_qs] = toString(r.outcome());
    o[u"outcome_class"_qs] = toString(r.fold.outcomeClass());
    o[u"headline"_qs] = r.fold.headline();
    const Latencies latencies = r.latencies();
    QJsonObject lat;
    for (const Figure &f : figures)
        lat[QString::fromLatin1(f.name)] = nsOrNull(latencies.*f.member);
    o[u"latency_ns"_qs] = lat;
    QJsonArray lines;
    for (const LatencyLine &line : r.fold.latencyLines())
        lines.append(
            QJsonObject { { u"key"_qs, line.key }, { u"label"_qs, line.label }, { u"ns"_qs, double(line.ns) } });
    o[u"latency_lines"_qs] = lines;
    o[u"steps"_qs] = double(s.stepsDone);
    o[u"cpu_time_ns"_qs] = double(s.cpuTimeNs);
    if (s.hostPid > 0)
        o[u"host_pid"_qs] = double(s.hostPid);
    QJsonArray leaks;
    for (const Leak &l : s.leaks)
        leaks.append(QJsonObject { { u"kind"_qs, l.kind }, { u"detail"_qs, l.detail } });
    o[u"leaks"_qs] = leaks;
    QJsonArray events;
    for (const Event &e : r.fold.events())
        events.append(QJsonObject { { u"t_ns"_qs, double(e.tNs) }, { u"kind"_qs, toString(e.kind) },
            { u"value"_qs, double(e.value) }, { u"detail"_qs, e.detail } });
    o[u"events"_qs] = events;
    return o;
}

QJsonValue Report::percentilesToJson(const std::vector<qint64> &samples)
{
    if (samples.empty())
        return QJsonValue(QJsonValue::Null);
    const Percentiles p = percentiles(samples);
    return QJsonObject { { u"p50"_qs, double(p.p50) }, { u"p90"_qs, double(p.p90) }, { u"p99"_qs, double(p.p99) },
        { u"max"_qs, double(p.max) } };
}

QJsonObject Report::summaryToJson(const QList<RunResult> &runs)
{
    QJsonObject outcomes;
    for (const RunResult &r : runs) {
        const QString name = toString(r.outcome());
        outcomes[name] = outcomes.value(name).toInt() + 1;
    }
    QJsonObject lat;
    for (const Figure &f : figures)
        lat[QString::fromLatin1(f.name)] = percentilesToJson(samplesOf(runs, f.member));
    return QJsonObject { { u"outcomes"_qs, outcomes }, { u"latency_ns"_qs, lat } };
}

QJsonDocument Report::runsDocument(const QList<RunResult> &runs)
{
    QJsonArray array;
    for (const RunResult &r : runs)
        array.append(runToJson(r));
    QJsonObject root;
    root[u"threadlab"_qs] = QStringLiteral(THREADLAB_VERSION);
    root[u"machine"_qs] = machine();
    root[u"runs"_qs] = array;
    root[u"summary"_qs] = summaryToJson(runs);
    return QJsonDocument(root);
}

bool Report::writeJson(const QJsonDocument &doc, const QString &path, QString *error)
{
    const QByteArray bytes = doc.toJson(QJsonDocument::Indented);
    if (path == u"-") {
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    return cli::writeFile(path, bytes, error);
}

} // namespace threadlab
