// Front-end hook the GUI-free CLI calls for what needs Qt Gui/Widgets: rendering a recording's image.
#include "clihooks.h"

namespace threadlab {

namespace {

CliHooks::ImageRenderer &rendererSlot()
{
    static CliHooks::ImageRenderer renderer;
    return renderer;
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

} // namespace threadlab
