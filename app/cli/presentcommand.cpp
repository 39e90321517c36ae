// `threadlab present [SCENARIO]`: checked here (before any QApplication exists), shown by app/main.cpp.
#include "commands.h"

#include "scenarios/scenariocatalogue.h"

namespace threadlab {

namespace {

int present(const QCommandLineParser &)
{
    // Reached only through Cli::exec(): presenter mode needs the QApplication app/main.cpp makes.
    return cli::usageError(QStringLiteral("present: presenter mode is started by the threadlab program itself "
                                          "(allowed: threadlab present [SCENARIO])"));
}

} // namespace

CliCommand presentCommand()
{
    return CliCommand {
        QStringLiteral("present"),
        QStringLiteral("present [SCENARIO]"),
        QStringLiteral("open the desktop lab in presenter mode (full screen, one lesson at a time)"),
        {},
        { { QStringLiteral("scenario"),
            QStringLiteral("the lesson to start with: a built-in scenario name (threadlab list scenarios) or a "
                           "scenario file; default: the first lesson"),
            QStringLiteral("[SCENARIO]") } },
        &present,
        QStringLiteral("Keys in presenter mode: PageDown/PageUp next/previous lesson, R run, Space or S step, "
                       "Backspace reset, L pointer highlight, Ctrl+= / Ctrl+- / Ctrl+0 text size (kept for the next "
                       "start), Esc or F5 leave.\n"),
    };
}

int Cli::preparePresent(const QStringList &rest, QString *scenario)
{
    QCommandLineParser p;
    if (const int code = cli::parseCommand(p, presentCommand(), rest); code >= 0)
        return code;
    const QStringList args = p.positionalArguments();
    if (args.size() > 1)
        return cli::usageError(
            QStringLiteral("present: unexpected argument '%1' (one scenario at a time)").arg(args.at(1)));
    *scenario = args.value(0);
    if (!scenario->isEmpty()) {
        QString error;
        if (!ScenarioCatalogue::load(*scenario, &error))
            return cli::usageError(QStringLiteral("present: %1").arg(error));
    }
    return -1;
}

} // namespace threadlab
