// The result of one worker of a `threadlab run`: what ran, how it ended, its latencies, leaks and events.
#pragma once

#include "base/leak.h"
#include "base/event.h"
#include "base/measurements.h"
#include "base/vocabulary.h"
#include "base/params.h"

#include <optional>

namespace threadlab {

/// One JSON "run": one worker of one repetition.
struct RunResult
{
    QString worker; ///< e.g. "r2.w1": repetition 2, worker 1
    Backend backend = Backend::Thread;
    QString workload;
    Params params;
    std::optional<StopMethod> method; ///< empty: "none" (let it complete)
    Outcome outcome = Outcome::None;
    Latencies latencies;
    LeakList leaks;
    EventList events;
};

} // namespace threadlab
