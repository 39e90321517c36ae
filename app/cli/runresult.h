// The result of one worker of a `threadlab run`: its snapshot and the fold of its events (state, outcome, latencies).
#pragma once

#include "base/vocabulary.h"
#include "base/workersnapshot.h"
#include "model/workerfold.h"

#include <optional>

namespace threadlab {

/// One JSON "run": one worker of one repetition. Its life is read from the fold, never derived here.
struct RunResult
{
    WorkerSnapshot snapshot; ///< identity ("r2.w1": repetition 2, worker 1), sampled figures, leaks
    std::optional<StopMethod> method; ///< the method asked for; empty: "none" (let it complete)
    WorkerFold fold; ///< every event of the worker, folded

    Outcome outcome() const { return fold.outcome(); }
    Latencies latencies() const { return fold.latencies(); }
};

} // namespace threadlab
