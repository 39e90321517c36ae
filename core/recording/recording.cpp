// A recorded run as a plain value: machine description, look-ups and re-measurement.
#include "recording.h"

#include <QCoreApplication>
#include <QFile>
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

void Recording::remeasure()
{
    for (RecordedWorker &w : workers)
        w.latencies = measureLatencies(eventsOf(w.id));
}

} // namespace threadlab
