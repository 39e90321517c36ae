// Front-end hook the GUI-free CLI calls for what needs Qt Gui/Widgets: rendering a recording's image.
#pragma once

#include <QString>
#include <functional>

namespace threadlab {

struct Recording;

/// Registered by app/main.cpp (which links the GUI library); the CLI never links Gui/Widgets itself.
class CliHooks
{
public:
    /// Writes the timeline picture of a recording (PNG, or SVG by the .svg extension); error gets one line.
    using ImageRenderer
        = std::function<bool(const Recording &rec, const QString &path, qreal scale, bool dark, QString *error)>;

    static void setImageRenderer(ImageRenderer renderer);
    /// The registered renderer (empty when the front end registered none).
    static const ImageRenderer &imageRenderer();
};

} // namespace threadlab
