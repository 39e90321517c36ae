// A recording as a plain value: the machine, the runs, the workers, every event, the measurements the fold derives.
#pragma once

#include "base/event.h"
#include "base/leak.h"
#include "base/measurements.h"
#include "base/params.h"
#include "base/vocabulary.h"
#include "base/workersnapshot.h"
#include "model/runinfo.h"
#include "model/workerfold.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
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

/// One worker of a recording: its snapshot (identity, sampled figures, leaks, host) plus what its fold says.
/// method, outcome and latencies are copies of the fold of its events, filled by Recording::refold() (and so by
/// captureLab() and RecordingIO::load()); they are never set on their own: the file always gets the fold's.
struct RecordedWorker : WorkerSnapshot
{
    std::optional<StopMethod> method; ///< the fold's: the method of the first stop request (empty: none)
    Outcome outcome = Outcome::None; ///< the fold's settled outcome
    Latencies latencies; ///< the fold's latencies
};

/// The lesson a scenario run was: the scenario file as written (title, summary, lesson, workers, script, expect) and
/// the result of its expectation check (empty when the run had not finished). Kept as JSON: the recording layer
/// lies below the scenarios; core/scenarios/lessonrecord.h makes and reads it.
struct RecordedLesson
{
    QJsonObject scenario;
    QJsonObject result;

    bool isEmpty() const { return scenario.isEmpty(); }
    QString title() const { return scenario.value(QStringLiteral("title")).toString(); }
    bool operator==(const RecordedLesson &) const = default;
};

/// A run that outlives the app: saved and reopened by RecordingIO, exported by the trace and CSV writers.
struct Recording
{
    /// The version of the file format this build writes; files with a larger one are refused.
    /// Version 2 added "runs"; a version-1 file opens as one run holding every worker.
    static constexpr int CurrentFormatVersion = 2;

    int formatVersion = CurrentFormatVersion;
    QString threadlabVersion; ///< the ThreadLab that recorded it
    QDateTime date; ///< when it was recorded (UTC)
    MachineInfo machine;
    QString title; ///< free text ("Escalate on cpu-ignore")
    QString scenario; ///< the scenario's name, empty for an ad-hoc run
    /// Run-level settings (e.g. stop method, grace, kill timeout); JSON-compatible values. A scenario's recording
    /// keeps its lesson template under "lesson" (placeholders unfilled: a view renders them from the folds).
    QVariantMap parameters;
    qint64 appPid = 0; ///< pid of the ThreadLab process that recorded it
    qint64 droppedEvents = 0; ///< events the log dropped because it was full
    QList<RunInfo> runs; ///< what was started together, in the order the runs began
    QMap<int, RecordedLesson> lessons; ///< the lesson of each scenario run, by run id (ad-hoc runs have none)
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
    /// The one fold of a worker's events: state, spans, latencies, outcome. Every export reads this.
    WorkerFold foldOf(int workerId) const;
    /// The fold of every worker of the recording, in one pass over the events.
    QHash<int, WorkerFold> folds() const;
    /// Copies each worker's method, outcome and latencies from the fold of its events.
    void refold();
    /// Same as refold() (the name older callers use).
    void remeasure() { refold(); }
    /// The run a worker belongs to, or nullptr.
    const RunInfo *runOf(int workerId) const;
    /// The lesson of the run a worker belongs to (nullptr: none); workerId -1: the first run's lesson.
    const RecordedLesson *lessonOf(int workerId) const;
    /// Each run's zero from its workers' first start request (left as is when none was requested).
    void fillRunZeros();
};

} // namespace threadlab
