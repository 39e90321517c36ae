// A recorded run as a plain value: the machine, the title or parameters, the workers, every event, the measurements.
#pragma once

#include "base/event.h"
#include "base/leak.h"
#include "base/measurements.h"
#include "base/vocabulary.h"
#include "base/params.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantMap>
#include <optional>

namespace threadlab {

/// The machine a run was recorded on.
struct MachineInfo
{
    int cores = 0; ///< QThread::idealThreadCount() (the CPU affinity count)
    QString cpuModel; ///< "model name" of /proc/cpuinfo
    QString kernel; ///< e.g. "linux 6.1.0-18-amd64"
    QString os; ///< QSysInfo::prettyProductName()
    QString qtVersion; ///< the Qt library the app ran with (qVersion())

    /// The machine this process runs on.
    static MachineInfo current();
    bool operator==(const MachineInfo &) const = default;
};

/// One worker of a recording: what it was, how it ended, what it left behind, its measurements.
struct RecordedWorker
{
    int id = 0; ///< the worker id of its events
    QString name;
    Backend backend = Backend::Thread;
    QString workload;
    Params params;
    std::optional<StopMethod> method; ///< the stop method used (empty: none, or not known)
    Outcome outcome = Outcome::None;
    LeakList leaks;
    QString stderrTail; ///< last stderr lines of a process worker (empty for in-process backends)
    qint64 hostPid = 0; ///< pid of the worker-host process (process backend), 0 otherwise
    qint64 stepsDone = 0;
    qint64 cpuTimeNs = 0;
    Latencies latencies; ///< measurements, as derived at recording time
};

/// A run that outlives the app: saved and reopened by RecordingIO, exported by the trace and CSV writers.
struct Recording
{
    /// The version of the file format this build writes; files with a larger one are refused.
    static constexpr int CurrentFormatVersion = 1;

    int formatVersion = CurrentFormatVersion;
    QString threadlabVersion; ///< the ThreadLab that recorded it
    QDateTime date; ///< when it was recorded (UTC)
    MachineInfo machine;
    QString title; ///< free text ("Escalate on cpu-ignore")
    QString scenario; ///< the scenario's name, empty for an ad-hoc run
    QVariantMap parameters; ///< run-level settings (e.g. stop method, grace, kill timeout); JSON-compatible values
    qint64 appPid = 0; ///< pid of the ThreadLab process that recorded it
    qint64 droppedEvents = 0; ///< events the log dropped because it was full
    QList<RecordedWorker> workers;
    EventList events; ///< every event, in recording order

    /// A recording stamped now on this machine (version, date, machine, pid filled in).
    static Recording startNew(const QString &title = {});

    /// The events of one worker, in recording order.
    EventList eventsOf(int workerId) const;
    /// The worker with that id, or nullptr.
    const RecordedWorker *worker(int workerId) const;
    /// Earliest and latest event times (0 when there are no events).
    qint64 firstNs() const;
    qint64 lastNs() const;
    /// Fills every worker's latencies from its events (measureLatencies).
    void remeasure();
};

} // namespace threadlab
