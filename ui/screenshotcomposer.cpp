// Timing screenshots: the timeline or the whole window with a caption, legend and scale bar, to file or clipboard.
#include "screenshotcomposer.h"

#include "documentcontroller.h"
#include "screenshotdialog.h"
#include "statestyle.h"
#include "timelinerenderer.h"
#include "timelineview.h"
#include "timelinezoom.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>
#include <QWidget>
#include <algorithm>

namespace threadlab {

namespace {
constexpr int DefaultWidth = 1600;
constexpr int MinHeight = 200;
constexpr int MaxHeight = 8000;
} // namespace

ScreenshotComposer::ScreenshotComposer(QWidget *window, TimelineView *timeline, const DocumentController *document)
    : QObject(window)
    , m_window(window)
    , m_timeline(timeline)
    , m_document(document)
{
}

QImage ScreenshotComposer::render(const ScreenshotOptions &options)
{
    const QString title = u"ThreadLab — "_qs + m_document->workerSetDescription();
    QString details = QLocale::system().toString(QDateTime::currentDateTime(), QLocale::ShortFormat) + u" · "_qs
        + QSysInfo::machineHostName() + u" · "_qs + TimelineRenderer::machineDescription();
    if (const auto rec = m_document->recording())
        details = u"recorded "_qs + QLocale::system().toString(rec->date.toLocalTime(), QLocale::ShortFormat)
            + u" · "_qs + rec->machine.kernel + u" · %1 cores · Qt "_qs.arg(rec->machine.cores)
            + rec->machine.qtVersion;
    // A window shot in the other palette needs the widgets repainted in it, and the palette back afterwards.
    const bool restore = m_setDark && options.dark != isDark();
    if (restore)
        m_setDark(options.dark);
    QImage out = options.target == ScreenshotOptions::Target::Timeline ? renderTimeline(options, title, details)
                                                                       : renderWindow(options, title, details);
    if (restore)
        m_setDark(!options.dark);
    return out;
}

QImage ScreenshotComposer::renderTimeline(
    const ScreenshotOptions &options, const QString &title, const QString &details) const
{
    TimelineRenderOptions o = m_timeline->renderOptions();
    o.palette = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    o.captionTitle = title;
    o.captionDetails = details;
    o.scaleBar = true;
    o.legend = true;
    o.scrollY = 0;
    o.cursorNs = -1;
    const TimelineData &data = m_timeline->data();
    const int width = options.size.width() > 0 ? options.size.width() : DefaultWidth;
    const int height = options.size.height() > 0
        ? options.size.height()
        : std::clamp(TimelineRenderer::fullHeight(data, o, width), MinHeight, MaxHeight);
    TimeMapping m = m_timeline->zoom()->mapping();
    if (data.firstNs() >= 0) {
        // Same view as on screen if zoomed; otherwise everything.
        if (m_timeline->zoom()->followLive())
            m = TimeMapping::fit(
                data.viewStartNs(), std::max(o.nowNs, data.viewStartNs() + 1000), o.labelWidth, width - o.labelWidth);
        else
            m = TimeMapping::fit(m.startNs(), m.endNs(m_timeline->plotAreaWidth() - o.labelWidth), o.labelWidth,
                width - o.labelWidth, 0.0);
    }
    return TimelineRenderer::renderImage(data, m.withLeft(o.labelWidth), o, QSize(width, height), options.scale);
}

QImage ScreenshotComposer::renderWindow(
    const ScreenshotOptions &options, const QString &title, const QString &details) const
{
    const QPixmap pm = m_window->grab();
    const QSize logical = m_window->size();
    QImage img((QSizeF(logical.width(), logical.height() + TimelineRenderer::CaptionHeight) * options.scale).toSize(),
        QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(options.scale);
    const QPalette pal = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    img.fill(pal.color(QPalette::Window));
    QPainter p(&img);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setFont(m_window->font());
    // The caption strip, drawn by the renderer with no lanes and no axis.
    TimelineRenderOptions o;
    o.palette = pal;
    o.font = m_window->font();
    o.captionTitle = title;
    o.captionDetails = details;
    o.legend = false;
    o.axisHeight = 0;
    TimelineData none;
    TimelineRenderer::render(p, QSize(logical.width(), TimelineRenderer::CaptionHeight), none, TimeMapping(), o);
    p.drawPixmap(QRectF(0, TimelineRenderer::CaptionHeight, logical.width(), logical.height()), pm, QRectF(pm.rect()));
    p.end();
    return img;
}

bool ScreenshotComposer::save(const QString &path, const ScreenshotOptions &options)
{
    const QImage img = render(options);
    const bool ok = !img.isNull() && img.save(path, "PNG");
    emit message(ok ? u"Saved %1 (%2×%3 px)"_qs.arg(QDir::toNativeSeparators(path)).arg(img.width()).arg(img.height())
                    : u"Could not save %1"_qs.arg(QDir::toNativeSeparators(path)),
        6000);
    return ok;
}

void ScreenshotComposer::handleSave()
{
    QSettings settings;
    const QString dir
        = settings.value(u"screenshot/dir"_qs, QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
              .toString();
    const QString name = u"threadlab-%1.png"_qs.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs));
    ScreenshotOptions initial = m_last;
    initial.dark = isDark();
    ScreenshotDialog dialog(initial, QDir(dir).filePath(name), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_last = dialog.options();
    settings.setValue(u"screenshot/dir"_qs, QFileInfo(dialog.path()).absolutePath());
    save(dialog.path(), m_last);
}

void ScreenshotComposer::handleCopy()
{
    ScreenshotOptions o = m_last;
    o.target = ScreenshotOptions::Target::Timeline;
    o.dark = isDark();
    QApplication::clipboard()->setImage(render(o));
    emit message(u"Timing screenshot copied to the clipboard"_qs, 3000);
}

} // namespace threadlab
