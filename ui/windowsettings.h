// The main window's remembered layout and palette (QSettings group "window" and "view/dark").
#pragma once

#include <QList>
#include <QRect>

class QMainWindow;
class QSplitter;

namespace threadlab {

/// Restores geometry, dock/toolbar state and the splitters (a first run gets defaultSize); returns the
/// remembered palette choice (fallbackDark when none).
bool restoreWindowLayout(QMainWindow *window, const QList<QSplitter *> &splitters, bool fallbackDark);
/// A restored window geometry made usable on a screen whose available area is available: at least minimum (the
/// toolbar fits a 1024 px wide window) unless the screen is smaller, at most the screen, and moved onto it.
QRect clampedGeometry(const QRect &restored, const QRect &available, const QSize &minimum = QSize(1024, 700));

void saveWindowLayout(const QMainWindow *window, const QList<QSplitter *> &splitters, bool dark);

} // namespace threadlab
