// Bench hooks: the GUI event loop's lag with N workers running, and one timeline frame, measured offscreen.
#pragma once

#include <QtGlobal>
#include <vector>

namespace threadlab {

struct GuiLag
{
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    int samples = 0;
    bool workersYield = false; ///< the window's setting the run used (Workers → Workers yield to the window)
};

/// Builds a MainWindow (needs a QApplication; use QT_QPA_PLATFORM=offscreen headless), adds and starts
/// `workers` sleep-steps workers, measures how late a 5 ms timer fires for durationMs, shuts down. The window
/// reads its settings as the app does: the workers yield to it unless the user turned that off.
GuiLag measureGuiLag(int workers, int durationMs = 3000);
/// measureGuiLag(workers).p99Ms.
double measureGuiLagP99Ms(int workers);

/// Frame times (ns) of the desktop lab's timeline (TimelineRenderer, the code of TimelineView::paintEvent) drawing
/// `workers` lanes holding `events` events in all, fitted to the view, `frames` times into a 1400×600 image.
struct TimelinePaint
{
    std::vector<qint64> frameNs;
    qsizetype events = 0;
    int workers = 0;
};
TimelinePaint measureTimelinePaint(qsizetype events = 100'000, int workers = 100, int frames = 40);

} // namespace threadlab
