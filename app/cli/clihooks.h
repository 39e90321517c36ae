// Front-end hooks the GUI-free core calls for what needs Qt Gui/Widgets: rendering images and GUI lag.
#pragma once

#include <QString>
#include <functional>
#include <optional>

namespace threadlab {

struct Recording;

/// The GUI event loop's lag measured by the front end (ms).
struct GuiLagSample
{
    int workers = 0;
    int samples = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

/// Registered by app/main.cpp (which links the GUI library); the core never links Gui/Widgets itself.
class CliHooks
{
public:
    /// Writes the timeline picture of a recording (PNG, or SVG by the .svg extension); error gets one line.
    using ImageRenderer
        = std::function<bool(const Recording &rec, const QString &path, qreal scale, bool dark, QString *error)>;
    /// Measures the GUI lag with `workers` sleep-steps workers; empty (with reason set) if it cannot run.
    using GuiLagProbe = std::function<std::optional<GuiLagSample>(int workers, QString *reason)>;

    static void setImageRenderer(ImageRenderer renderer);
    /// The registered renderer (empty when the front end registered none).
    static const ImageRenderer &imageRenderer();
    static void setGuiLagProbe(GuiLagProbe probe);
    static const GuiLagProbe &guiLagProbe();
};

} // namespace threadlab
