// Makes the Worker subclass of a WorkerSpec's backend.
#pragma once

#include "workers/worker.h"

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
};

} // namespace threadlab
