// threadlab: with no arguments the desktop lab (or, without a display, the headless demo); else the CLI.
#include "cli/cli.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLabel>
#include <QMainWindow>
#include <cstdio>

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("threadlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(THREADLAB_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("ThreadLab"));
}

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    setIdentity();
    // Placeholder until ui/mainwindow.h lands (see README): the desktop lab replaces this window.
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("ThreadLab"));
    window.setCentralWidget(new QLabel(QStringLiteral("ThreadLab: the desktop lab is being built. Meanwhile try "
                                                      "`threadlab demo` or `threadlab --help`."),
        &window));
    window.resize(900, 600);
    window.show();
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc <= 1 && displayAvailable())
        return runGui(argc, argv);
    QCoreApplication app(argc, argv);
    setIdentity();
    if (argc <= 1) {
        std::fputs("threadlab: no display found; running the default demonstration headless instead "
                   "(threadlab demo)\n",
            stdout);
        std::fflush(stdout);
        return threadlab::Cli::demo();
    }
    return threadlab::Cli::exec(QCoreApplication::arguments());
}
