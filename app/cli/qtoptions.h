// Qt's own command-line options (-platform, -style, ...): split from the CLI's and checked before any QApplication.
#pragma once

#include <QStringList>

namespace threadlab {

/// A command line with Qt's options taken out. Qt aborts the process on a platform it cannot load, so the
/// options are checked first, while a one-line error and exit 2 are still possible.
struct QtOptions
{
    QStringList qtArguments; ///< Qt's options with their values, in order (for the QApplication)
    QStringList rest; ///< everything else, the program first (for the CLI)

    /// Splits arguments (arguments[0] is the program). styles: the widget styles this build has.
    /// Returns false with a one-line error naming the bad option and the allowed values.
    static bool split(const QStringList &arguments, const QStringList &styles, QtOptions *out, QString *error);
    /// The platform plugins this Qt can load (their keys, e.g. offscreen, xcb, wayland).
    static QStringList platforms();
    /// Checks QT_QPA_PLATFORM (when set) against platforms(); false with a one-line error.
    static bool checkPlatformEnvironment(QString *error);
};

} // namespace threadlab
