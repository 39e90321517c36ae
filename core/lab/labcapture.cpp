// Building a Recording from a live Lab. Kept apart from recording.cpp so the value type links without the engine.
#include "labcapture.h"

#include "events/eventlog.h"
#include "lab.h"
#include "process/processworker.h"
#include "recording/recordingio.h"

#include <QHash>

namespace threadlab {

Recording captureLab(const Lab &lab, QString title)
{
    Recording rec = Recording::startNew(title);
    rec.events = lab.log().all();
    rec.droppedEvents = lab.log().dropped();

    QHash<int, EventList> perWorker;
    for (const Event &e : std::as_const(rec.events))
        perWorker[e.worker].append(e);

    for (Worker *worker : lab.workers()) {
        if (!worker)
            continue;
        RecordedWorker w;
        w.id = worker->id();
        w.name = worker->spec().name;
        w.backend = worker->spec().backend;
        w.workload = worker->spec().workload;
        w.params = worker->spec().params;
        w.outcome = worker->outcome();
        w.leaks = worker->leaks();
        w.stderrTail = worker->stderrTail();
        w.stepsDone = worker->stepsDone();
        w.cpuTimeNs = worker->cpuTimeNs();
        if (const auto *process = qobject_cast<const ProcessWorker *>(worker))
            w.hostPid = process->pid();
        const EventList events = perWorker.value(w.id);
        for (const Event &e : events) {
            if (e.kind == EventKind::StopRequested) {
                w.method = stopMethodFromString(e.detail);
                break;
            }
        }
        w.latencies = measureLatencies(events);
        rec.workers.append(w);
    }
    // Workers the lab already forgot (clearFinished) still have events: keep them as anonymous tracks.
    for (auto it = perWorker.cbegin(); it != perWorker.cend(); ++it) {
        if (it.key() == LabWorkerId || rec.worker(it.key()))
            continue;
        RecordedWorker w;
        w.id = it.key();
        w.name = QStringLiteral("worker %1").arg(it.key());
        w.latencies = measureLatencies(it.value());
        rec.workers.append(w);
    }
    return rec;
}

bool saveRecordingOfLab(const Lab &lab, const QString &path, QString *error)
{
    return RecordingIO::save(captureLab(lab, {}), path, error);
}

} // namespace threadlab
