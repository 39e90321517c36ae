// The GUI entry point for app/main.cpp: builds the QApplication and the main window and runs them.
#pragma once

#include <QString>
#include <optional>

namespace threadlab {

/// Builds the QApplication (Fusion style, ThreadLab palette) and the MainWindow and runs the event loop.
/// openRecordingPath, when set, opens that recording read-only at start; a bad file shows its one-line error
/// (message box and status bar) and the app carries on with an empty live lab.
/// THREADLAB_SCREENSHOT_AND_QUIT=<png> runs the demo instead: the built-in demo scenario (00-demo, the same one
/// `threadlab demo` runs headless, or the scenario THREADLAB_SCENARIO names) through the scenario browser, saves
/// screenshots of the window and the timeline to <png> (and <png>-timeline.png, ...), and quits.
/// presentScenario, when set, starts in presenter mode on that lesson (empty string: the first lesson), as
/// `threadlab present [SCENARIO]` does. THREADLAB_LAYOUT_REPORT=<file> writes the layout check of every shown window
/// (and the start page's lessons) to file once the window has settled, then quits (the xvfb geometry tests).
/// compareWithPath, when set with openRecordingPath, opens the compare window: that recording (A) against this one (B).
int runGui(int &argc, char **argv, const QString &openRecordingPath = {},
    const std::optional<QString> &presentScenario = std::nullopt, const QString &compareWithPath = {});

} // namespace threadlab
