// The main window's remembered layout and palette (QSettings group "window" and "view/dark").
#include "windowsettings.h"

#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QSplitter>

namespace threadlab {

namespace {
constexpr QSize DefaultSize { 1480, 900 };
/// The keys the splitters had before they were a list: settings of earlier versions keep working.
QString splitterKey(int i)
{
    return i == 0 ? u"mainSplit"_qs : i == 1 ? u"leftSplit"_qs : u"split%1"_qs.arg(i);
}
} // namespace

bool restoreWindowLayout(QMainWindow *window, const QList<QSplitter *> &splitters, bool fallbackDark)
{
    QSettings s;
    s.beginGroup(u"window"_qs);
    if (s.contains(u"geometry"_qs))
        window->restoreGeometry(s.value(u"geometry"_qs).toByteArray());
    else if (const QScreen *screen = window->screen())
        window->resize(DefaultSize.boundedTo(screen->availableGeometry().size())); // a 1024x768 projector too
    else
        window->resize(DefaultSize);
    window->restoreState(s.value(u"state"_qs).toByteArray());
    for (int i = 0; i < splitters.size(); ++i)
        if (s.contains(splitterKey(i)))
            splitters.at(i)->restoreState(s.value(splitterKey(i)).toByteArray());
    s.endGroup();
    return s.value(u"view/dark"_qs, fallbackDark).toBool();
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
