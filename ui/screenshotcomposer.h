// Timing screenshots: the timeline or the whole window with a caption, legend and scale bar, to file or clipboard.
#pragma once

#include "screenshotoptions.h"
#include "timelinerenderer.h"
#include "timemapping.h"

#include <QImage>
#include <QObject>
#include <functional>

class QWidget;

namespace threadlab {

class DocumentController;
class TimelineView;

class ScreenshotComposer : public QObject
{
    Q_OBJECT
public:
    /// window is grabbed for window shots and parents the dialog; the caption describes document.
    ScreenshotComposer(QWidget *window, TimelineView *timeline, const DocumentController *document);
    Q_DISABLE_COPY_MOVE(ScreenshotComposer)

    /// How a window shot in the other palette switches the palette for the grab and back.
    void setPaletteSwitch(std::function<bool()> isDark, std::function<void(bool)> setDark)
    {
        m_isDark = std::move(isDark);
        m_setDark = std::move(setDark);
    }

    /// When false, nothing modal is shown (errors go to message() only).
    void setInteractive(bool interactive) { m_interactive = interactive; }

    /// Renders a timing screenshot without saving it.
    QImage render(const ScreenshotOptions &options);
    /// Saves a timing screenshot: SVG for ".svg", PNG for ".png", any other extension refused; a missing folder is
    /// made. A failure is shown in a dialog (when interactive) and message(); error gets the one line.
    bool save(const QString &path, const ScreenshotOptions &options, QString *error = nullptr);
    /// The caption's title: the lesson's title (else a description of the workers shown).
    QString captionTitle() const;
    /// The caption's second line: the measured headline of the fold, then when and where it was measured.
    QString captionDetails() const;
    /// The dialog (target, size, scale, palette, path), then save().
    void handleSave();
    /// A timeline shot with the last options, to the clipboard.
    void handleCopy();

signals:
    void message(const QString &text, int timeoutMs);

private:
    /// The timeline's picture: the options, mapping and logical size it is drawn with.
    struct TimelineShot
    {
        TimelineRenderOptions options;
        TimeMapping mapping;
        QSize size;
    };
    TimelineShot timelineShot(const ScreenshotOptions &options, const QString &title, const QString &details) const;
    QImage renderWindow(const ScreenshotOptions &options, const QString &title, const QString &details) const;
    bool writeSvg(const QString &path, const ScreenshotOptions &options, QString *error);
    void fail(const QString &why, QString *error);
    bool isDark() const { return m_isDark && m_isDark(); }

    QWidget *m_window;
    TimelineView *m_timeline;
    const DocumentController *m_document;
    std::function<bool()> m_isDark;
    std::function<void(bool)> m_setDark;
    ScreenshotOptions m_last = ScreenshotOptions::fromSettings();
    bool m_interactive = true;
};

} // namespace threadlab
