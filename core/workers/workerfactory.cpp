// Makes the Worker subclass of a WorkerSpec's backend.
#include "workerfactory.h"

#include "concurrentworker.h"
#include "eventloopworker.h"
#include "jthreadworker.h"
#include "process/processbackend.h"
#include "threadworker.h"
#include "workloads/workload.h"

#include <QMutex>
#include <mutex>

namespace threadlab {

namespace {

struct MakerSlot
{
    QMutex mutex;
    ProcessWorkerMaker maker;
};

MakerSlot &makerSlot()
{
    static MakerSlot slot;
    return slot;
}

// The process backend lives in core/process; it is registered on first use so that every caller (the
// Lab, scenarios, the matrix, tests) sees it without having to remember a start-up call.
void ensureProcessBackend()
{
    static std::once_flag once;
    std::call_once(once, [] { registerProcessBackend(); });
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

void setProcessWorkerMaker(ProcessWorkerMaker maker)
{
    QMutexLocker lock(&makerSlot().mutex);
    makerSlot().maker = std::move(maker);
}

bool hasProcessWorkerMaker()
{
    ensureProcessBackend();
    QMutexLocker lock(&makerSlot().mutex);
    return bool(makerSlot().maker);
}

Worker *WorkerFactory::create(int id, const WorkerSpec &spec, std::shared_ptr<EventLog> log,
    std::shared_ptr<LabResources> lab, QThreadPool *pool, QObject *parent, QString *error)
{
    ensureProcessBackend();
    const WorkloadInfo *info = WorkloadRegistry::find(spec.workload);
    if (!info) {
        setError(error,
            QStringLiteral("unknown workload '%1' (allowed: %2)")
                .arg(spec.workload, WorkloadRegistry::names().join(QStringLiteral(", "))));
        return nullptr;
    }
    if (info->processOnly && spec.backend != Backend::Process) {
        setError(error,
            QStringLiteral("workload '%1' runs only in a worker host; use --backend process").arg(spec.workload));
        return nullptr;
    }
    WorkerSpec resolved = spec;
    QString why;
    if (!WorkloadRegistry::resolve(spec.workload, spec.params, &resolved.params, &why)) {
        setError(error, why);
        return nullptr;
    }
    if (resolved.name.isEmpty())
        resolved.name = QStringLiteral("%1-%2").arg(toString(spec.backend)).arg(id);

    switch (spec.backend) {
    case Backend::Thread:
        return new ThreadWorker(id, std::move(resolved), std::move(log), std::move(lab), parent);
    case Backend::EventLoop:
        return new EventLoopWorker(id, std::move(resolved), std::move(log), std::move(lab), parent);
    case Backend::Concurrent:
        if (!pool) {
            setError(error, QStringLiteral("backend 'concurrent' needs the lab's thread pool"));
            return nullptr;
        }
        return new ConcurrentWorker(id, std::move(resolved), std::move(log), std::move(lab), pool, parent);
    case Backend::JThread:
        return new JThreadWorker(id, std::move(resolved), std::move(log), std::move(lab), parent);
    case Backend::Process: {
        ProcessWorkerMaker maker;
        {
            QMutexLocker lock(&makerSlot().mutex);
            maker = makerSlot().maker;
        }
        if (!maker) {
            setError(error, QStringLiteral("backend 'process' needs the worker host"));
            return nullptr;
        }
        Worker *worker = maker(id, std::move(resolved), std::move(log), std::move(lab), parent);
        if (!worker)
            setError(error, QStringLiteral("backend 'process': the worker host could not be prepared"));
        return worker;
    }
    }
    setError(error, QStringLiteral("unknown backend"));
    return nullptr;
}

} // namespace threadlab
