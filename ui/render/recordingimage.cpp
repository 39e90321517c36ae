// Headless picture of a recording's timeline (caption, scale bar, legend) as PNG or SVG.
#include "recordingimage.h"

#include "statestyle.h"
#include "timelinedata.h"
#include "timelinerenderer.h"

#include "recording/recordedsource.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QMap>
#include <QPainter>
#include <QSvgGenerator>
#include <QTimeZone>
#include <algorithm>

namespace threadlab {

TimelineData recordingTimelineData(const Recording &rec)
{
    // The same source the GUI shows a recording through, so the picture reads the same folds.
    const RecordedSource source(rec);
    return TimelineData::of(source);
}

QString recordingWorkerDescription(const Recording &rec)
{
    QMap<QString, int> groups;
    for (const RecordedWorker &w : rec.workers)
        ++groups[toString(w.backend) + u'/' + w.workload];
    QStringList parts;
    for (auto it = groups.begin(); it != groups.end(); ++it)
        parts << u"%1× %2"_qs.arg(it.value()).arg(it.key());
    return u"%1 worker%2: %3"_qs.arg(rec.workers.size())
        .arg(rec.workers.size() == 1 ? QString() : u"s"_qs)
        .arg(parts.join(u", "_qs));
}

std::optional<PictureFormat> pictureFormatFor(const QString &path, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"svg")
        return PictureFormat::Svg;
    if (suffix == u"png")
        return PictureFormat::Png;
    if (error)
        *error = u"%1: unknown picture format %2 (allowed: .png, .svg)"_qs.arg(
            QDir::toNativeSeparators(path), suffix.isEmpty() ? u"(no extension)"_qs : u"'."_qs + suffix + u'\'');
    return std::nullopt;
}

QString recordingLessonTitle(const Recording &rec)
{
    if (const RecordedLesson *l = rec.lessonOf(-1); l && !l->title().isEmpty())
        return l->title();
    if (!rec.scenario.isEmpty() && !rec.title.isEmpty())
        return rec.title;
    for (const RunInfo &run : rec.runs)
        if (!run.scenario.isEmpty() && !run.title.isEmpty())
            return run.title;
    return recordingWorkerDescription(rec);
}

QString recordingHeadline(const Recording &rec, int maxWorkers)
{
    // Each line is the fold's own headline; this only picks the workers that measured something and names them.
    const QHash<int, WorkerFold> folds = rec.folds();
    QStringList lines;
    QString only;
    int measured = 0;
    for (const RecordedWorker &w : rec.workers) {
        const auto it = folds.constFind(w.id);
        const QString headline = it == folds.cend() ? QString() : it->headline();
        if (headline.isEmpty())
            continue;
        only = headline;
        if (++measured <= maxWorkers)
            lines << w.name + u": "_qs + headline;
    }
    if (measured == 1)
        return only;
    if (measured > maxWorkers)
        lines << u"%1 more"_qs.arg(measured - maxWorkers);
    return lines.join(u"; "_qs);
}

namespace {

QString machineLine(const Recording &rec)
{
    const MachineInfo &m = rec.machine;
    QStringList parts;
    if (!m.kernel.isEmpty())
        parts << m.kernel;
    if (m.cores > 0)
        parts << u"%1 cores"_qs.arg(m.cores);
    if (!m.qtVersion.isEmpty())
        parts << u"Qt "_qs + m.qtVersion;
    return parts.join(u" · "_qs);
}

} // namespace

bool renderRecordingImage(
    const Recording &rec, const QString &path, const RecordingImageOptions &options, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QDir::toNativeSeparators(path) + u": "_qs + why;
        return false;
    };
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return fail(u"rendering an image needs a QGuiApplication (use QT_QPA_PLATFORM=offscreen)"_qs);

    const TimelineData data = recordingTimelineData(rec);

    QString formatError;
    const auto format = pictureFormatFor(path, &formatError);
    if (!format) {
        if (error)
            *error = formatError;
        return false;
    }
    // A missing folder is made (a slide deck's images/ folder); one that cannot be made is the error.
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return fail(u"cannot create the folder %1"_qs.arg(QDir::toNativeSeparators(dir)));

    TimelineRenderOptions o;
    o.palette = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    o.captionTitle = options.caption.isEmpty() ? recordingLessonTitle(rec) : options.caption;
    QStringList details;
    const QString headline = options.headline.isEmpty() ? recordingHeadline(rec) : options.headline;
    if (!headline.isEmpty())
        details << headline;
    if (rec.date.isValid())
        details << QLocale::system().toString(rec.date.toLocalTime(), QLocale::ShortFormat);
    const QString machine = machineLine(rec);
    if (!machine.isEmpty())
        details << machine;
    o.captionDetails = details.join(u" · "_qs);
    o = TimelineRenderer::forSlides(o);
    o.scaleBar = true;
    o.legend = true;
    o.nowNs = data.lastNs();
    o.zeroNs = data.zeroNs();
    const int width = options.size.width() > 0 ? options.size.width() : 1600;
    const int height = options.size.height() > 0 ? options.size.height()
                                                 : std::clamp(TimelineRenderer::fullHeight(data, o, width), 200, 8000);
    const QSize size(width, height);
    TimeMapping m;
    if (data.viewStartNs() >= 0)
        m = TimeMapping::fit(
            data.viewStartNs(), std::max(data.lastNs(), data.viewStartNs() + 1000), o.labelWidth, width - o.labelWidth);
    m = m.withLeft(o.labelWidth);

    if (*format == PictureFormat::Svg) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(o.captionTitle);
        svg.setDescription(o.captionDetails);
        QPainter p;
        if (!p.begin(&svg))
            return fail(u"cannot write the SVG file"_qs);
        p.setFont(o.font); // the slide font from the first shape on, so no SVG group carries a smaller one
        p.fillRect(QRect(QPoint(0, 0), size), o.palette.color(QPalette::Window));
        TimelineRenderer::render(p, size, data, m, o);
        p.end();
        if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0)
            return fail(u"cannot write the SVG file"_qs);
        return true;
    }
    const qreal scale = options.scale >= 1.5 ? 2.0 : 1.0;
    const QImage img = TimelineRenderer::renderImage(data, m, o, size, scale);
    if (img.isNull())
        return fail(u"the image is too large"_qs);
    if (!img.save(path, "PNG"))
        return fail(u"cannot write the PNG file"_qs);
    return true;
}

} // namespace threadlab
