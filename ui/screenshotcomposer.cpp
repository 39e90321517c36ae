// Timing screenshots: the timeline or the whole window with a caption, legend and scale bar, to file or clipboard.
#include "screenshotcomposer.h"

#include "documentcontroller.h"
#include "recordingimage.h"
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
#include <QMessageBox>
#include <QPainter>
#include <QSettings>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QSysInfo>
#include <QWidget>
#include <algorithm>

namespace threadlab {

namespace {
constexpr int DefaultWidth = 1600;
constexpr int MinHeight = 200;
constexpr int MaxHeight = 8000;
} // namespace

ScreenshotOptions ScreenshotOptions::fromSettings()
{
    const QSettings s;
    ScreenshotOptions o;
    o.target = s.value(u"screenshot/target"_qs).toString() == u"window" ? Target::Window : Target::Timeline;
    o.scale = s.value(u"screenshot/scale"_qs, 1.0).toDouble() > 1.5 ? 2.0 : 1.0;
    o.size = QSize(std::clamp(s.value(u"screenshot/width"_qs, DefaultWidth).toInt(), 600, 4000), 0);
    o.caption = s.value(u"screenshot/caption"_qs, true).toBool();
    return o;
}

void ScreenshotOptions::toSettings() const
{
    QSettings s;
    s.setValue(u"screenshot/target"_qs, target == Target::Window ? u"window"_qs : u"timeline"_qs);
    s.setValue(u"screenshot/scale"_qs, scale);
    s.setValue(u"screenshot/width"_qs, size.width());
    s.setValue(u"screenshot/caption"_qs, caption);
}

ScreenshotComposer::ScreenshotComposer(QWidget *window, TimelineView *timeline, const DocumentController *document)
    : QObject(window)
    , m_window(window)
    , m_timeline(timeline)
    , m_document(document)
{
}

QString ScreenshotComposer::captionTitle() const
{
    return m_document->title();
}

QString ScreenshotComposer::captionDetails() const
{
    QStringList parts;
    const QString headline = m_document->measuredHeadline();
    if (!headline.isEmpty())
        parts << headline;
    if (const auto rec = m_document->recording())
        parts << u"recorded "_qs + QLocale::system().toString(rec->date.toLocalTime(), QLocale::ShortFormat) + u" · "_qs
                + rec->machine.kernel + u" · %1 cores · Qt "_qs.arg(rec->machine.cores) + rec->machine.qtVersion;
    else
        parts << QLocale::system().toString(QDateTime::currentDateTime(), QLocale::ShortFormat) + u" · "_qs
                + QSysInfo::machineHostName() + u" · "_qs + TimelineRenderer::machineDescription();
    return parts.join(u" · "_qs);
}

QImage ScreenshotComposer::render(const ScreenshotOptions &options)
{
    const QString title = options.caption ? captionTitle() : QString();
    const QString details = options.caption ? captionDetails() : QString();
    // A window shot in the other palette needs the widgets repainted in it, and the palette back afterwards.
    const bool restore = m_setDark && options.dark != isDark();
    if (restore)
        m_setDark(options.dark);
    QImage out;
    if (options.target == ScreenshotOptions::Target::Timeline) {
        const TimelineShot shot = timelineShot(options, title, details);
        out = TimelineRenderer::renderImage(m_timeline->data(), shot.mapping, shot.options, shot.size, options.scale);
    } else {
        out = renderWindow(options, title, details);
    }
    if (restore)
        m_setDark(!options.dark);
    return out;
}

ScreenshotComposer::TimelineShot ScreenshotComposer::timelineShot(
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
    // A slide shows the run, not the state of the window: no selected lane, no measuring interval.
    o.selectedWorker = -1;
    o.measure.reset();
    o = TimelineRenderer::forSlides(o);
    const TimelineData &data = m_timeline->data();
    const int width = options.size.width() > 0 ? options.size.width() : DefaultWidth;
    const int height = options.size.height() > 0
        ? options.size.height()
        : std::clamp(TimelineRenderer::fullHeight(data, o, width), MinHeight, MaxHeight);
    TimeMapping m = m_timeline->zoom()->mapping();
    const int viewLabelWidth = m_timeline->renderOptions().labelWidth;
    if (data.firstNs() >= 0) {
        // Same view as on screen if zoomed; otherwise everything.
        if (m_timeline->zoom()->followLive())
            m = TimeMapping::fit(
                data.viewStartNs(), std::max(o.nowNs, data.viewStartNs() + 1000), o.labelWidth, width - o.labelWidth);
        else
            m = TimeMapping::fit(m.startNs(), m.endNs(m_timeline->plotAreaWidth() - viewLabelWidth), o.labelWidth,
                width - o.labelWidth, 0.0);
    }
    return { o, m.withLeft(o.labelWidth), QSize(width, height) };
}

QImage ScreenshotComposer::renderWindow(
    const ScreenshotOptions &options, const QString &title, const QString &details) const
{
    const QPixmap pm = m_window->grab();
    const QSize logical = m_window->size();
    TimelineRenderOptions captionOptions;
    captionOptions.font = m_window->font();
    captionOptions.captionTitle = title;
    const int captionHeight = TimelineRenderer::captionHeight(TimelineRenderer::forSlides(captionOptions));
    QImage img((QSizeF(logical.width(), logical.height() + captionHeight) * options.scale).toSize(),
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
    o = TimelineRenderer::forSlides(o);
    o.legend = false;
    o.axisHeight = 0;
    const int captionH = TimelineRenderer::captionHeight(o);
    TimelineData none;
    TimelineRenderer::render(p, QSize(logical.width(), captionH), none, TimeMapping(), o);
    p.drawPixmap(QRectF(0, captionH, logical.width(), logical.height()), pm, QRectF(pm.rect()));
    p.end();
    return img;
}

void ScreenshotComposer::fail(const QString &why, QString *error)
{
    if (error)
        *error = why;
    emit message(why, 0);
    if (m_interactive)
        QMessageBox::warning(m_window, u"Screenshot not saved"_qs, why);
}

bool ScreenshotComposer::writeSvg(const QString &path, const ScreenshotOptions &options, QString *error)
{
    const QString title = options.caption ? captionTitle() : QString();
    const QString details = options.caption ? captionDetails() : QString();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setTitle(title);
    svg.setDescription(details);
    QPainter p;
    if (options.target == ScreenshotOptions::Target::Timeline) {
        // Vector all the way: the renderer paints on the SVG as it paints on the screen.
        TimelineShot shot = timelineShot(options, title, details);
        shot.options.palette = options.dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
        svg.setSize(shot.size);
        svg.setViewBox(QRect(QPoint(0, 0), shot.size));
        if (!p.begin(&svg)) {
            *error = u"%1: cannot write the SVG file"_qs.arg(QDir::toNativeSeparators(path));
            return false;
        }
        p.setFont(shot.options.font); // the slide font from the first shape on, so no SVG group carries a smaller one
        p.fillRect(QRect(QPoint(0, 0), shot.size), shot.options.palette.color(QPalette::Window));
        TimelineRenderer::render(p, shot.size, m_timeline->data(), shot.mapping, shot.options);
    } else {
        // The window is pixels: an SVG holding the grabbed picture at its logical size.
        const QImage img = render(options);
        const QSize logical = (QSizeF(img.size()) / img.devicePixelRatio()).toSize();
        svg.setSize(logical);
        svg.setViewBox(QRect(QPoint(0, 0), logical));
        if (!p.begin(&svg)) {
            *error = u"%1: cannot write the SVG file"_qs.arg(QDir::toNativeSeparators(path));
            return false;
        }
        p.drawImage(QRect(QPoint(0, 0), logical), img);
    }
    p.end();
    if (QFileInfo(path).size() <= 0) {
        *error = u"%1: cannot write the SVG file"_qs.arg(QDir::toNativeSeparators(path));
        return false;
    }
    return true;
}

bool ScreenshotComposer::save(const QString &path, const ScreenshotOptions &options, QString *error)
{
    QString why;
    const auto format = pictureFormatFor(path, &why);
    if (!format) {
        fail(why, error);
        return false;
    }
    // A folder that does not exist yet (a first run, a new slide deck) is made; one that cannot be is the error.
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        fail(u"Cannot create the folder %1 for the screenshot"_qs.arg(QDir::toNativeSeparators(dir)), error);
        return false;
    }
    QSize size;
    if (*format == PictureFormat::Svg) {
        if (!writeSvg(path, options, &why)) {
            fail(why, error);
            return false;
        }
    } else {
        const QImage img = render(options);
        if (img.isNull() || !img.save(path, "PNG")) {
            fail(u"Could not write %1"_qs.arg(QDir::toNativeSeparators(path)), error);
            return false;
        }
        size = img.size();
    }
    emit message(size.isValid()
            ? u"Saved %1 (%2×%3 px)"_qs.arg(QDir::toNativeSeparators(path)).arg(size.width()).arg(size.height())
            : u"Saved %1"_qs.arg(QDir::toNativeSeparators(path)),
        6000);
    return true;
}

void ScreenshotComposer::handleSave()
{
    const QString dir
        = QSettings()
              .value(u"screenshot/dir"_qs, QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
              .toString();
    const QString name = u"threadlab-%1.png"_qs.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs));
    ScreenshotOptions initial = m_last;
    initial.dark = isDark();
    ScreenshotDialog dialog(initial, QDir(dir).filePath(name), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_last = dialog.options();
    m_last.toSettings();
    QSettings().setValue(u"screenshot/dir"_qs, QFileInfo(dialog.path()).absolutePath());
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
