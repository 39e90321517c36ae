// What a timing screenshot shows: the window or the timeline alone, its size, pixel density, palette and caption.
#pragma once

#include <QSize>
#include <QString>

namespace threadlab {

struct ScreenshotOptions
{
    enum class Target { Window, Timeline };
    Target target = Target::Timeline;
    QSize size { 1600, 0 }; ///< logical size of a timeline screenshot (height 0: fit every lane)
    double scale = 1.0; ///< device pixel ratio: 1 or 2
    bool dark = false;
    bool caption = true; ///< the lesson's title and its measured headline above the picture

    /// The options last used (QSettings "screenshot/..."), the defaults before the first save.
    static ScreenshotOptions fromSettings();
    /// Remembers these options for the next save, also after a restart.
    void toSettings() const;
};

} // namespace threadlab
