// Step mode at a speaking pace: the clicks of a script, the workloads stretched to outlast them, what each click does.
#pragma once

#include "scenario.h"

#include <QList>
#include <QString>

namespace threadlab {

/// How long each click of a stepped lesson may take before something the lesson is about ends on its own.
constexpr int DefaultClickAllowanceMs = 60'000;

/// The clicks of a stepped script: actions of the same kind at the same time are one click ("start all three",
/// "request a stop of both"). Returns the index of the first action of each click, ascending; empty script: none.
QList<int> stepClicks(const Scenario &scenario);
/// The click (index into stepClicks()) that action index belongs to; -1 when out of range.
int clickOf(const Scenario &scenario, int actionIndex);
/// One past the last action of the click that starts at actionIndex.
int clickEnd(const Scenario &scenario, int actionIndex);

/// The scenario with its workers' durations stretched for step mode: a worker that the script stops runs, on its
/// own, at least clickAllowanceMs longer per click between its start and its stop than it does live, so a teacher
/// who pauses between clicks never finds it already finished ("worker has already finished"). Only durations are
/// stretched (run_ms, timeout_ms, steps, records), never what the code does; workers the script never stops (a
/// crash, a sandbox experiment) end as they do live, because their own end is the lesson. A wait's timeout counts
/// from the start, so where timeout_ms is stretched the grace of the click that stops it is stretched alike.
Scenario pacedForSteps(const Scenario &scenario, int clickAllowanceMs = DefaultClickAllowanceMs);

/// What the click starting at actionIndex will do, one sentence ("Request a stop of ignore-request (grace 500 ms).").
QString clickAction(const Scenario &scenario, int actionIndex);
/// What to watch after that click, from the lesson's expectations ("Watch: ignore-request never observes it and
/// runs on past its grace."); empty when the expectations say nothing about it.
QString clickWatch(const Scenario &scenario, int actionIndex);

} // namespace threadlab
