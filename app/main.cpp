// threadlab: with no arguments the desktop lab (or, without a display, the headless demo); else the CLI.
#include "cli/cli.h"
#include "guiapp.h"

#include <QCoreApplication>
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

} // namespace

int main(int argc, char **argv)
{
    if (argc <= 1 && displayAvailable())
        return threadlab::runGui(argc, argv);
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
