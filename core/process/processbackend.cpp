// Registers the process backend with the worker factory.
#include "processbackend.h"

#include "process/processworker.h"
#include "workers/workerfactory.h"

namespace threadlab {

void registerProcessBackend()
{
    setProcessWorkerMaker([](int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
                              QObject *parent) -> Worker * {
        return new ProcessWorker(id, std::move(spec), std::move(log), std::move(lab), parent);
    });
}

} // namespace threadlab
