// The main window's remembered layout and palette (QSettings group "window" and "view/dark").
#include "windowsettings.h"

#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QSplitter>

namespace threadlab {

namespace {
constexpr QSize DefaultSize { 1480, 900 };
/// Version 2 of the layout (the timeline under table and tabs, full width): a splitter state saves its
/// orientation, so the states of the earlier layout are not restored into this one.
QString splitterKey(int i)
{
    return u"layout2/split%1"_qs.arg(i);
}
} // namespace

bool restoreWindowLayout(QMainWindow *window, const QList<QSplitter *> &splitters, bool fallbackDark)
{
    QSettings s;
    s.beginGroup(u"window"_qs);
    if (s.contains(u"geometry"_qs)) {
        window->restoreGeometry(s.value(u"geometry"_qs).toByteArray());
        // An old or foreign geometry (a 682x489 window overflowed its toolbar; a screen since unplugged) is made
        // to fit: large enough for the toolbar, never larger than the screen, on it.
        if (const QScreen *screen = window->screen(); screen && !window->isMaximized() && !window->isFullScreen())
            window->setGeometry(clampedGeometry(window->geometry(), screen->availableGeometry()));
    } else if (const QScreen *screen = window->screen()) {
        // A first run uses the screen: up to 1920 px wide (a projector, a laptop, 1600x1000) the whole of it,
        // a larger monitor a comfortable window in its middle.
        const QRect available = screen->availableGeometry();
        if (available.width() <= 1920) {
            window->setGeometry(available);
            // Maximized too, so a window manager fits the frame in; not offscreen, where tests size the window.
            if (QGuiApplication::platformName() != u"offscreen"_qs)
                window->setWindowState(window->windowState() | Qt::WindowMaximized);
        } else {
            window->resize(DefaultSize);
            window->move(available.center() - QPoint(DefaultSize.width(), DefaultSize.height()) / 2);
        }
    } else
        window->resize(DefaultSize);
    window->restoreState(s.value(u"state"_qs).toByteArray());
    for (int i = 0; i < splitters.size(); ++i)
        if (s.contains(splitterKey(i)))
            splitters.at(i)->restoreState(s.value(splitterKey(i)).toByteArray());
    s.endGroup();
    return s.value(u"view/dark"_qs, fallbackDark).toBool();
}

QRect clampedGeometry(const QRect &restored, const QRect &available, const QSize &minimum)
{
    if (!available.isValid())
        return restored;
    const QSize size = restored.size().expandedTo(minimum).boundedTo(available.size());
    QRect out(restored.topLeft(), size);
    // Onto the screen: the right and bottom edges first, then the left and top (which win).
    if (out.right() > available.right())
        out.moveRight(available.right());
    if (out.bottom() > available.bottom())
        out.moveBottom(available.bottom());
    if (out.left() < available.left())
        out.moveLeft(available.left());
    if (out.top() < available.top())
        out.moveTop(available.top());
    return out;
}

void saveWindowLayout(const QMainWindow *window, const QList<QSplitter *> &splitters, bool dark)
{
    QSettings s;
    s.beginGroup(u"window"_qs);
    s.setValue(u"geometry"_qs, window->saveGeometry());
    s.setValue(u"state"_qs, window->saveState());
    for (int i = 0; i < splitters.size(); ++i)
        s.setValue(splitterKey(i), splitters.at(i)->saveState());
    s.endGroup();
    s.setValue(u"view/dark"_qs, dark);
}

} // namespace threadlab
