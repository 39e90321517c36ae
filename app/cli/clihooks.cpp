// Front-end hooks the GUI-free core calls for what needs Qt Gui/Widgets: rendering images and GUI lag.
#include "clihooks.h"

namespace threadlab {

namespace {

CliHooks::ImageRenderer &rendererSlot()
{
    static CliHooks::ImageRenderer renderer;
    return renderer;
}

CliHooks::GuiLagProbe &probeSlot()
{
    static CliHooks::GuiLagProbe probe;
    return probe;
}

} // namespace

void CliHooks::setImageRenderer(ImageRenderer renderer)
{
    rendererSlot() = std::move(renderer);
}

const CliHooks::ImageRenderer &CliHooks::imageRenderer()
{
    return rendererSlot();
}

void CliHooks::setGuiLagProbe(GuiLagProbe probe)
{
    probeSlot() = std::move(probe);
}

const CliHooks::GuiLagProbe &CliHooks::guiLagProbe()
{
    return probeSlot();
}

} // namespace threadlab
