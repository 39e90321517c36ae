// The main window's remembered layout and palette (QSettings group "window" and "view/dark").
#pragma once

#include <QList>

class QMainWindow;
class QSplitter;

namespace threadlab {

/// Restores geometry, dock/toolbar state and the splitters (a first run gets defaultSize); returns the
/// remembered palette choice (fallbackDark when none).
bool restoreWindowLayout(QMainWindow *window, const QList<QSplitter *> &splitters, bool fallbackDark);
void saveWindowLayout(const QMainWindow *window, const QList<QSplitter *> &splitters, bool dark);

} // namespace threadlab
