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
        QStringLiteral("gui [RECORDING] [OTHER]"),
        QStringLiteral("open the desktop lab, showing a saved recording read-only (and comparing it with another)"),
        {},
        { { QStringLiteral("recording"), QStringLiteral("a saved recording to show read-only (optional)"),
              QStringLiteral("[RECORDING]") },
            { QStringLiteral("other"),
                QStringLiteral("a second recording: opens File ▸ Compare runs with RECORDING as A and OTHER as B"),
                QStringLiteral("[OTHER]") } },
        &gui,
        QStringLiteral(
            "Qt's own options (-platform NAME, -style NAME, -reverse, ...) go to the desktop lab; a platform "
            "or style this Qt does not have is refused before any window is made (exit 2), as is "
            "QT_QPA_PLATFORM naming one.\n"),
    };
}

int Cli::prepareGui(const QStringList &rest, QString *path, QString *other)
{
    QCommandLineParser p;
    if (const int code = cli::parseCommand(p, guiCommand(), rest); code >= 0)
        return code;
    const QStringList args = p.positionalArguments();
    if (args.size() > 2)
        return cli::usageError(
            QStringLiteral("gui: unexpected argument '%1' (a recording, and one to compare it with)").arg(args.at(2)));
    *path = args.value(0);
    if (other)
        *other = args.value(1);
    for (const QString &file : args) {
        QString error;
        if (!RecordingIO::load(file, &error))
            return cli::usageError(error);
    }
    return -1;
}

} // namespace threadlab
