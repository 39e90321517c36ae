// Makes the Worker subclass of a WorkerSpec's backend.
#include "workerfactory.h"

#include "process/processworker.h"
#include "workers/concurrentworker.h"
#include "workers/eventloopworker.h"
#include "workers/jthreadworker.h"
#include "workers/threadworker.h"
#include "workloads/workload.h"

namespace threadlab {

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

Worker *WorkerFactory::create(int id, const WorkerSpec &spec, std::shared_ptr<EventLog> log,
    std::shared_ptr<LabResources> lab, QThreadPool *pool, QObject *parent, QString *error)
{
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
    case Backend::Process:
        return new ProcessWorker(id, std::move(resolved), std::move(log), std::move(lab), parent);
    }
    setError(error, QStringLiteral("unknown backend"));
    return nullptr;
}

} // namespace threadlab
