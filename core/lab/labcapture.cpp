// Building a Recording from a live Lab. Kept apart from recording.cpp so the value type links without the engine.
#include "labcapture.h"

#include "events/eventlog.h"
#include "lab.h"
#include "recording/recordingio.h"

#include <QSet>
#include <algorithm>

namespace threadlab {

Recording captureLab(const Lab &lab, QString title, const QList<int> &runIds)
{
    Recording rec = Recording::startNew(title);
    rec.droppedEvents = lab.log().dropped();

    QSet<int> wanted;
    for (const RunInfo &run : lab.runs()) {
        if (!runIds.isEmpty() && !runIds.contains(run.id))
            continue;
        rec.runs.append(run);
        for (int id : run.workerIds)
            wanted.insert(id);
    }
    if (rec.runs.size() == 1 && rec.scenario.isEmpty())
        rec.scenario = rec.runs.constFirst().scenario;

    const EventList all = lab.log().all();
    qint64 first = -1;
    qint64 last = -1;
    for (const Event &e : all) {
        if (!wanted.contains(e.worker))
            continue;
        rec.events.append(e);
        first = first < 0 ? e.tNs : std::min(first, e.tNs);
        last = std::max(last, e.tNs);
    }
    // The lab's own notes (recoveries, shutdown) that happened while these runs went on.
    if (first >= 0) {
        EventList merged;
        merged.reserve(rec.events.size());
        for (const Event &e : all)
            if (wanted.contains(e.worker) || (e.worker == LabWorkerId && e.tNs >= first && e.tNs <= last))
                merged.append(e);
        rec.events = std::move(merged);
    }

    for (const RunInfo &run : std::as_const(rec.runs)) {
        for (int id : run.workerIds) {
            RecordedWorker w;
            // The live snapshot, or the one the lab kept when it forgot the worker (clearFinished()).
            static_cast<WorkerSnapshot &>(w) = lab.snapshotOf(id);
            if (w.id != id) {
                w.id = id; // never known to the lab as a worker: its events still tell its life
                w.name = QStringLiteral("worker %1").arg(id);
            }
            rec.workers.append(w);
        }
    }
    rec.fillRunZeros();
    rec.refold();
    return rec;
}

bool saveRecordingOfLab(const Lab &lab, const QString &path, QString *error)
{
    return RecordingIO::save(captureLab(lab, {}), path, error);
}

} // namespace threadlab
