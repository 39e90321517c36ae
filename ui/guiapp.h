// The GUI entry point for app/main.cpp: builds the QApplication and the main window and runs them.
#pragma once

#include <QString>

namespace threadlab {

/// Builds the QApplication (Fusion style, ThreadLab palette) and the MainWindow and runs the event loop.
/// openRecordingPath, when set, opens that recording read-only at start; a bad file shows its one-line error
/// (message box and status bar) and the app carries on with an empty live lab.
/// THREADLAB_SCREENSHOT_AND_QUIT=<png> runs the demo instead: the built-in demo scenario (00-demo, the same one
/// `threadlab demo` runs headless, or the scenario THREADLAB_SCENARIO names) through the scenario browser, saves
/// screenshots of the window and the timeline to <png> (and <png>-timeline.png, ...), and quits.
int runGui(int &argc, char **argv, const QString &openRecordingPath = {});

} // namespace threadlab
