// Makes the Worker subclass of a WorkerSpec's backend.
#pragma once

#include "workers/worker.h"
#include "workloads/workload.h"

#include <memory>

class QThreadPool;

namespace threadlab {

class WorkerFactory
{
public:
    /// Creates the worker of spec.backend (state created). The workload must exist and be allowed on the
    /// backend; spec.params are resolved (missing ones get their defaults). Returns nullptr and sets
    /// error (one line) otherwise. Concurrent workers run on pool.
    static Worker *create(int id, const WorkerSpec &spec, std::shared_ptr<EventLog> log,
        std::shared_ptr<LabResources> lab, QThreadPool *pool, QObject *parent = nullptr, QString *error = nullptr);

    /// Why the backend cannot run this workload (unknown to its catalogue, or process only); empty when it can.
    static QString workloadRefusal(Backend backend, const QString &workload);
    /// The workload catalogue of a backend: the Python host's for python and python-process, else the C++ one.
    static const WorkloadInfo *findWorkload(Backend backend, const QString &workload);
    static QStringList workloadNames(Backend backend);
    /// Resolves parameters against the backend's catalogue; false with one line (what is wrong, what is allowed).
    static bool resolveParams(
        Backend backend, const QString &workload, const QVariantMap &given, Params *out, QString *error);
    static bool resolveParams(
        Backend backend, const QString &workload, const QStringList &assignments, Params *out, QString *error);
    /// Why the backend cannot run on this machine (python3 or the Python host missing); empty when it can.
    static QString backendUnavailable(Backend backend);
};

} // namespace threadlab
