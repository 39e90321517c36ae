// Building a Recording from a live Lab (its runs, their workers, their leaks and their events).
#pragma once

#include "recording/recording.h"

namespace threadlab {

class Lab;

/// A snapshot of the lab as a Recording: the runs asked for (default: all) with their scenario and title, only
/// the workers of those runs (Worker::snapshot(), plus the method, outcome and latencies of the fold of their
/// events), their events and the lab's own events within their time span.
Recording captureLab(const Lab &lab, QString title, const QList<int> &runIds = {});

/// Entry point for the CLI and the GUI: captureLab() then RecordingIO::save(); error gets one line.
bool saveRecordingOfLab(const Lab &lab, const QString &path, QString *error);

} // namespace threadlab
