// A scenario run's lesson kept in a recording: made from the scenario and its result, read back when reopened.
#pragma once

#include "recording/recording.h"
#include "scenario.h"
#include "scenarioresult.h"

#include <optional>

namespace threadlab {

/// The lesson of a scenario run as a recording keeps it: the scenario as written and (if given) the result.
RecordedLesson recordedLesson(const Scenario &scenario, const ScenarioResult *result = nullptr);
/// The scenario back from a recorded lesson (parsed and validated as a file); error gets one line.
std::optional<Scenario> scenarioOf(const RecordedLesson &lesson, QString *error = nullptr);
/// The result back from a recorded lesson, as far as it was stored (empty id: none was stored).
ScenarioResult resultOf(const RecordedLesson &lesson);

} // namespace threadlab
