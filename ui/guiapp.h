// The GUI entry point for app/main.cpp: builds the QApplication and the main window and runs them.
#pragma once

namespace threadlab {

/// Builds the QApplication (Fusion style, ThreadLab palette) and the MainWindow and runs the event loop.
/// THREADLAB_SCREENSHOT_AND_QUIT=<png> runs a short scripted demo instead: adds workers, starts them, stops
/// them in different ways, saves a timing screenshot of the window to <png> (and <png>-timeline.png), and quits.
int runGui(int &argc, char **argv);

} // namespace threadlab
