// The GUI entry point for app/main.cpp: builds the QApplication and the main window and runs them.
#pragma once

#include <QString>

namespace threadlab {

/// Builds the QApplication (Fusion style, ThreadLab palette) and the MainWindow and runs the event loop.
/// openRecordingPath, when set, opens that recording read-only at start; a bad file shows its one-line error
/// (message box and status bar) and the app carries on with an empty live lab.
/// THREADLAB_SCREENSHOT_AND_QUIT=<png> runs a short scripted demo instead: adds workers, starts them, stops
/// them in different ways, saves a timing screenshot of the window to <png> (and <png>-timeline.png), and quits.
/// With THREADLAB_SCENARIO=<name> the demo loads and runs that built-in scenario instead of the ad-hoc workers.
int runGui(int &argc, char **argv, const QString &openRecordingPath = {});

} // namespace threadlab
