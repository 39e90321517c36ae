// Headless picture of a recording's timeline (caption, scale bar, legend) as PNG or SVG.
#pragma once

#include "recording/recording.h"
#include "timelinedata.h"

#include <QSize>
#include <QString>

namespace threadlab {

/// How renderRecordingImage() draws.
struct RecordingImageOptions
{
    qreal scale = 1.0; ///< device pixel ratio of a PNG: 1 or 2
    bool dark = false;
    QSize size { 1600, 0 }; ///< logical size (height 0: fit every lane)
    QString caption; ///< caption title (empty: the recording's title or a description of its workers)
};

/// The timeline lanes of a recording, as the GUI shows it (through a RecordedSource).
TimelineData recordingTimelineData(const Recording &rec);
/// "4 workers: 2× thread/sleep-steps, 2× concurrent/cpu-spin".
QString recordingWorkerDescription(const Recording &rec);

/// Writes the timeline picture the GUI saves: PNG, or SVG when path ends in ".svg". Needs a QGuiApplication
/// (works with QT_QPA_PLATFORM=offscreen). error gets one line naming the path on failure.
bool renderRecordingImage(
    const Recording &rec, const QString &path, const RecordingImageOptions &options, QString *error);

} // namespace threadlab
