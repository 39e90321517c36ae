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

    TimelineRenderOptions o;
    o.palette = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    o.captionTitle = u"ThreadLab — "_qs
        + (!options.caption.isEmpty()  ? options.caption
                : !rec.title.isEmpty() ? rec.title + u" · "_qs + recordingWorkerDescription(rec)
                                       : recordingWorkerDescription(rec));
    QStringList details;
    if (rec.date.isValid())
        details << QLocale::system().toString(rec.date.toLocalTime(), QLocale::ShortFormat);
    const QString machine = machineLine(rec);
    if (!machine.isEmpty())
        details << machine;
    details << u"recording"_qs;
    o.captionDetails = details.join(u" · "_qs);
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

    if (path.endsWith(u".svg"_qs, Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(o.captionTitle);
        svg.setDescription(o.captionDetails);
        QPainter p;
        if (!p.begin(&svg))
            return fail(u"cannot write the SVG file"_qs);
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
