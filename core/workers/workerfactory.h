// Makes the Worker subclass of a WorkerSpec's backend (process workers through a registered maker).
#pragma once

#include "worker.h"

#include <functional>
#include <memory>

class QThreadPool;

namespace threadlab {

/// Makes a process worker (registered by the process backend, which lives outside the in-process core).
using ProcessWorkerMaker
    = std::function<Worker *(int, WorkerSpec, std::shared_ptr<EventLog>, std::shared_ptr<LabResources>, QObject *)>;

/// Registers the maker of Backend::Process workers (an empty function unregisters it).
void setProcessWorkerMaker(ProcessWorkerMaker maker);
/// True once a process worker maker is registered.
bool hasProcessWorkerMaker();

class WorkerFactory
{
public:
    /// Creates the worker of spec.backend (state created). The workload must exist and be allowed on the
    /// backend; spec.params are resolved (missing ones get their defaults). Returns nullptr and sets
    /// error (one line) otherwise. Concurrent workers run on pool.
    static Worker *create(int id, const WorkerSpec &spec, std::shared_ptr<EventLog> log,
        std::shared_ptr<LabResources> lab, QThreadPool *pool, QObject *parent = nullptr, QString *error = nullptr);
};

} // namespace threadlab
