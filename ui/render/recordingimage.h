// Headless picture of a recording's timeline (caption, scale bar, legend) as PNG or SVG.
#pragma once

#include "recording/recording.h"
#include "timelinedata.h"

#include <QSize>
#include <QString>
#include <optional>

namespace threadlab {

/// How renderRecordingImage() draws.
struct RecordingImageOptions
{
    qreal scale = 1.0; ///< device pixel ratio of a PNG: 1 or 2
    bool dark = false;
    QSize size { 1600, 0 }; ///< logical size (height 0: fit every lane)
    QString caption; ///< caption title (empty: recordingLessonTitle())
    QString headline; ///< the measured headline under it (empty: recordingHeadline())
};

/// The picture formats, chosen by the file's extension: ".svg" is SVG, ".png" PNG.
enum class PictureFormat { Png, Svg };
/// The format a picture file gets from its name; an unknown extension is refused (error: one line naming the
/// file and the allowed extensions).
std::optional<PictureFormat> pictureFormatFor(const QString &path, QString *error = nullptr);

/// The lesson's title of a recording (its first recorded lesson, else its scenario's title), else a description
/// of its workers.
QString recordingLessonTitle(const Recording &rec);
/// The measured headline of a recording: each worker's fold headline with its name, at most maxWorkers of them
/// ("ignore-terminate: kill did not land; …"); a single worker's headline alone; empty when nothing was measured.
QString recordingHeadline(const Recording &rec, int maxWorkers = 3);

/// The timeline lanes of a recording, as the GUI shows it (through a RecordedSource).
TimelineData recordingTimelineData(const Recording &rec);
/// "4 workers: 2× thread/sleep-steps, 2× concurrent/cpu-spin".
QString recordingWorkerDescription(const Recording &rec);

/// Writes the timeline picture the GUI saves: PNG, or SVG when path ends in ".svg" (pictureFormatFor()); the
/// caption is the lesson's title and its measured headline, the text at least 14 px at 1×. Needs a QGuiApplication
/// (works with QT_QPA_PLATFORM=offscreen). error gets one line naming the path on failure.
bool renderRecordingImage(
    const Recording &rec, const QString &path, const RecordingImageOptions &options, QString *error);

} // namespace threadlab
