// `threadlab gui [RECORDING]`: checked here (before any QApplication exists), opened by app/main.cpp.
#include "commands.h"

#include "recording/recordingio.h"

namespace threadlab {

namespace {

int gui(const QCommandLineParser &)
{
    // Reached only through Cli::exec(): the desktop lab needs the QApplication app/main.cpp makes.
    return cli::usageError(QStringLiteral("gui: the desktop lab is started by the threadlab program itself (allowed: "
                                          "threadlab gui [RECORDING])"));
}

} // namespace

CliCommand guiCommand()
{
    return CliCommand {
        QStringLiteral("gui"),
        QStringLiteral("gui [RECORDING]"),
        QStringLiteral("open the desktop lab, showing a saved recording read-only"),
        {},
        { { QStringLiteral("recording"), QStringLiteral("a saved recording to show read-only (optional)"),
            QStringLiteral("[RECORDING]") } },
        &gui,
        QStringLiteral(
            "Qt's own options (-platform NAME, -style NAME, -reverse, ...) go to the desktop lab; a platform "
            "or style this Qt does not have is refused before any window is made (exit 2), as is "
            "QT_QPA_PLATFORM naming one.\n"),
    };
}

int Cli::prepareGui(const QStringList &rest, QString *path)
{
    QCommandLineParser p;
    if (const int code = cli::parseCommand(p, guiCommand(), rest); code >= 0)
        return code;
    const QStringList args = p.positionalArguments();
    if (args.size() > 1)
        return cli::usageError(
            QStringLiteral("gui: unexpected argument '%1' (one recording at a time)").arg(args.at(1)));
    *path = args.value(0);
    if (!path->isEmpty()) {
        QString error;
        if (!RecordingIO::load(*path, &error))
            return cli::usageError(error);
    }
    return -1;
}

} // namespace threadlab
