// Registers the process backend (ProcessWorker) with the worker factory; call once at startup.
#pragma once

namespace threadlab {

/// Makes Backend::Process workers available through WorkerFactory (idempotent; WorkerFactory calls it on first use).
/// The Lab, the CLI and tests call it at startup; it lives here because the in-process core does not know the process
/// backend.
void registerProcessBackend();

} // namespace threadlab
