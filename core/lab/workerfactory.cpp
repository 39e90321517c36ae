// Makes the Worker subclass of a WorkerSpec's backend.
#include "workerfactory.h"

#include "process/processsystem.h"
#include "process/processworker.h"
#include "process/pythonworkloads.h"
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
    if (const QString why = workloadRefusal(spec.backend, spec.workload); !why.isEmpty()) {
        setError(error, why);
        return nullptr;
    }
    if (const QString why = backendUnavailable(spec.backend); !why.isEmpty()) {
        setError(error, why);
        return nullptr;
    }
    WorkerSpec resolved = spec;
    QString why;
    if (!resolveParams(spec.backend, spec.workload, spec.params, &resolved.params, &why)) {
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
    case Backend::Python:
    case Backend::PythonProcess:
        return new ProcessWorker(id, std::move(resolved), std::move(log), std::move(lab), parent);
    }
    setError(error, QStringLiteral("unknown backend"));
    return nullptr;
}

QString WorkerFactory::workloadRefusal(Backend backend, const QString &workload)
{
    const WorkloadInfo *info = findWorkload(backend, workload);
    if (!info)
        return QStringLiteral("unknown workload '%1' for backend %2 (allowed: %3)")
            .arg(workload, toString(backend), workloadNames(backend).join(QStringLiteral(", ")));
    if (info->processOnly && backend != Backend::Process)
        return QStringLiteral("workload '%1' runs only in a worker host; use --backend process").arg(workload);
    return {};
}

const WorkloadInfo *WorkerFactory::findWorkload(Backend backend, const QString &workload)
{
    return isPython(backend) ? PythonWorkloads::find(workload) : WorkloadRegistry::find(workload);
}

QStringList WorkerFactory::workloadNames(Backend backend)
{
    return isPython(backend) ? PythonWorkloads::names() : WorkloadRegistry::names();
}

bool WorkerFactory::resolveParams(
    Backend backend, const QString &workload, const QVariantMap &given, Params *out, QString *error)
{
    return isPython(backend) ? PythonWorkloads::resolve(workload, given, out, error)
                             : WorkloadRegistry::resolve(workload, given, out, error);
}

bool WorkerFactory::resolveParams(
    Backend backend, const QString &workload, const QStringList &assignments, Params *out, QString *error)
{
    QVariantMap given;
    return WorkloadRegistry::parseAssignments(assignments, &given, error)
        && resolveParams(backend, workload, given, out, error);
}

QString WorkerFactory::backendUnavailable(Backend backend)
{
    if (!isPython(backend))
        return {};
    QString error;
    if (ProcessSystem::pythonHost(&error).interpreter.isEmpty())
        return QStringLiteral("backend %1 is not available: %2").arg(toString(backend), error);
    return {};
}

} // namespace threadlab
