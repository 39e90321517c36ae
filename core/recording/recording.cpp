// A recording as a plain value: machine description, look-ups, and the fold of each worker's events.
#include "recording.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QSysInfo>
#include <QThread>
#include <algorithm>

#ifndef THREADLAB_VERSION
#define THREADLAB_VERSION "0.0.0"
#endif

namespace threadlab {

namespace {

QString readCpuModel()
{
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("model name")) {
            const qsizetype colon = line.indexOf(':');
            if (colon >= 0)
                return QString::fromUtf8(line.mid(colon + 1).trimmed());
        }
    }
    return {};
}

} // namespace

MachineInfo MachineInfo::current()
{
    static const MachineInfo info = [] {
        MachineInfo m;
        m.cores = QThread::idealThreadCount();
        m.cpuModel = readCpuModel();
        m.kernel = QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion();
        m.os = QSysInfo::prettyProductName();
        m.qtVersion = QString::fromLatin1(qVersion());
        return m;
    }();
    return info;
}

Recording Recording::startNew(const QString &title)
{
    Recording r;
    r.threadlabVersion = QStringLiteral(THREADLAB_VERSION);
    r.date = QDateTime::currentDateTimeUtc();
    r.machine = MachineInfo::current();
    r.title = title;
    r.appPid = QCoreApplication::applicationPid();
    return r;
}

EventList Recording::eventsOf(int workerId) const
{
    EventList out;
    for (const Event &e : events)
        if (e.worker == workerId)
            out.append(e);
    return out;
}

const RecordedWorker *Recording::worker(int workerId) const
{
    for (const RecordedWorker &w : workers)
        if (w.id == workerId)
            return &w;
    return nullptr;
}

qint64 Recording::firstNs() const
{
    if (events.isEmpty())
        return 0;
    return std::min_element(events.begin(), events.end(), [](const Event &a, const Event &b) {
        return a.tNs < b.tNs;
    })->tNs;
}

qint64 Recording::lastNs() const
{
    if (events.isEmpty())
        return 0;
    return std::max_element(events.begin(), events.end(), [](const Event &a, const Event &b) {
        return a.tNs < b.tNs;
    })->tNs;
}

WorkerFold Recording::foldOf(int workerId) const
{
    WorkerFold fold(workerId);
    for (const Event &e : events)
        fold.add(e);
    return fold;
}

QHash<int, WorkerFold> Recording::folds() const
{
    QHash<int, WorkerFold> out;
    for (const RecordedWorker &w : workers)
        out.insert(w.id, WorkerFold(w.id));
    for (const Event &e : events) {
        const auto it = out.find(e.worker);
        if (it != out.end())
            it->add(e);
    }
    return out;
}

void Recording::refold()
{
    const QHash<int, WorkerFold> all = folds();
    for (RecordedWorker &w : workers) {
        const WorkerFold fold = all.value(w.id, WorkerFold(w.id));
        w.method = fold.method();
        w.outcome = fold.outcome();
        w.latencies = fold.latencies();
    }
}

const RunInfo *Recording::runOf(int workerId) const
{
    for (const RunInfo &run : runs)
        if (run.workerIds.contains(workerId))
            return &run;
    return nullptr;
}

void Recording::fillRunZeros()
{
    for (RunInfo &run : runs) {
        qint64 zero = -1;
        for (const Event &e : std::as_const(events))
            if (e.kind == EventKind::StartRequested && run.workerIds.contains(e.worker) && (zero < 0 || e.tNs < zero))
                zero = e.tNs;
        if (zero >= 0)
            run.zeroNs = zero;
    }
}

const RecordedLesson *Recording::lessonOf(int workerId) const
{
    if (workerId < 0) {
        for (const RunInfo &run : runs)
            if (const auto it = lessons.constFind(run.id); it != lessons.cend())
                return &*it;
        return nullptr;
    }
    const RunInfo *run = runOf(workerId);
    if (!run)
        return nullptr;
    const auto it = lessons.constFind(run->id);
    return it == lessons.cend() ? nullptr : &*it;
}

} // namespace threadlab
