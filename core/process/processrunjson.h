// The process-specific part of a run's JSON (pid, pgid, exit, orphans, stderr tail), for `threadlab run`.
#pragma once

#include <QJsonObject>

namespace threadlab {

class Worker;

/// For a process worker: {"pid", "pgid", "exit": {"code": N} | {"signal": "SIGKILL", "number": 9} | null,
/// "orphans": [pids], "children": [pids], "stderr": "tail", "protocol_fault": "..." (only if any)}.
/// Empty for other backends: merge it into the run object.
QJsonObject processRunJson(const Worker &worker);

} // namespace threadlab
