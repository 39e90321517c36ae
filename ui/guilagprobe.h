// Bench hook: the GUI event loop's lag with N sleep-steps workers running, measured offscreen.
#pragma once

namespace threadlab {

struct GuiLag
{
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    int samples = 0;
};

/// Builds a MainWindow (needs a QApplication; use QT_QPA_PLATFORM=offscreen headless), adds and starts
/// `workers` sleep-steps workers, measures how late a 5 ms timer fires for durationMs, shuts down.
GuiLag measureGuiLag(int workers, int durationMs = 3000);
/// measureGuiLag(workers).p99Ms.
double measureGuiLagP99Ms(int workers);

} // namespace threadlab
