// Test helper: the one experiment an AddressSanitizer build cannot show, and why (shared by every test that meets it).
#pragma once

#include "scenarios/scenario.h"

#include <QString>

namespace threadlab::testing {

/// Why this workload cannot show its lesson in this build, or nullptr when it can (every unsanitized build).
/// AddressSanitizer's interceptors change how a cancelled QWaitCondition::wait leaves its internal lock, so the host
/// never reaches the deadlock that sandbox-waitcondition-deadlock (lesson 24) demonstrates; the dev suite covers it.
/// Decided from what the test runs, never from source text: QSKIP(why) where this returns one.
inline const char *asanSkipReason(const QString &workload)
{
#if defined(__SANITIZE_ADDRESS__)
    if (workload == u"sandbox-waitcondition-deadlock")
        return "the sanitizer changes the QWaitCondition deadlock this demonstrates (covered by the unsanitized run)";
#else
    Q_UNUSED(workload)
#endif
    return nullptr;
}

/// The reason of the first worker of the scenario that cannot show its lesson in this build, or nullptr.
inline const char *asanSkipReason(const Scenario &scenario)
{
    for (const ScenarioWorker &w : scenario.workers)
        if (const char *why = asanSkipReason(w.workload))
            return why;
    return nullptr;
}

} // namespace threadlab::testing
