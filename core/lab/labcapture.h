// Building a Recording from a live Lab (its workers, their leaks and every event of its log).
#pragma once

#include "recording/recording.h"

namespace threadlab {

class Lab;

/// A snapshot of the lab as a Recording: every worker (spec, outcome, leaks, stderr tail, host pid, steps,
/// CPU time, measured latencies, the stop method of its first stop request) and every event in its log.
Recording captureLab(const Lab &lab, QString title);

/// Entry point for the CLI and the GUI: captureLab() then RecordingIO::save(); error gets one line.
bool saveRecordingOfLab(const Lab &lab, const QString &path, QString *error);

} // namespace threadlab
