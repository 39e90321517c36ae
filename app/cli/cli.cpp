// The headless command line: the list of commands and the top-level parser that hands over to one of them.
#include "cli.h"

#include "commands.h"

namespace threadlab {

namespace {
int startCommand(const QStringList &arguments);
}

const QList<CliCommand> &cliCommands()
{
    static const QList<CliCommand> commands { listCommand(), runCommand(), benchCommand(), scenarioCommand(),
        matrixCommand(), exportCommand(), compareCommand(), guiCommand(), presentCommand(), demoCommand(),
        helpCommand(), versionCommand() };
    return commands;
}

QStringList Cli::commands()
{
    QStringList out;
    for (const CliCommand &c : cliCommands())
        out << c.name;
    return out;
}

QString Cli::mainHelp()
{
    QString text = QStringLiteral("Usage: threadlab [--help] [--version] [COMMAND [options]]\n"
                                  "ThreadLab: a laboratory for stopping threads and processes.\n"
                                  "With no command it opens the desktop lab (or, with no display, runs "
                                  "`threadlab demo`).\n\n"
                                  "Options:\n"
                                  "  -h, --help     Displays help on commandline options.\n"
                                  "  -v, --version  Displays version information.\n\n"
                                  "Commands:\n");
    for (const CliCommand &c : cliCommands())
        text += QStringLiteral("  %1 %2\n").arg(c.name.leftJustified(8), c.summary);
    text += QStringLiteral("\n`threadlab help COMMAND` or `threadlab COMMAND --help` shows a command's options.\n"
                           "Qt's own options (-platform, -style, ...) are checked first and apply to the desktop "
                           "lab.\n"
                           "Exit codes: 0 success, 1 runtime failure, 2 bad usage or input.\n");
    return text;
}

int Cli::exec(const QStringList &arguments)
{
    return cli::runOnLoop([arguments] { return startCommand(arguments); });
}

namespace {

int startCommand(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Displays help on commandline options."));
    p.addOption(help);
    const QCommandLineOption version = p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("the command"));
    if (!p.parse(arguments.isEmpty() ? QStringList { QStringLiteral("threadlab") } : arguments)) {
        if (!p.unknownOptionNames().isEmpty())
            return cli::usageError(QStringLiteral("unknown option '%1' (allowed: --help, --version, or a command: %2)")
                                       .arg(p.unknownOptionNames().constFirst(), cliCommandNames()));
        return cli::usageError(QStringLiteral("%1 (see threadlab --help)").arg(p.errorText()));
    }
    const QStringList positional = p.positionalArguments();
    if (p.isSet(help) || (positional.isEmpty() && !p.isSet(version))) {
        cli::write(stdout, Cli::mainHelp());
        return ExitOk;
    }
    if (p.isSet(version)) {
        cli::writeLine(stdout, QStringLiteral("threadlab %1").arg(QStringLiteral(THREADLAB_VERSION)));
        return ExitOk;
    }
    const CliCommand *command = findCliCommand(positional.constFirst());
    if (!command)
        return cli::usageError(
            QStringLiteral("unknown command '%1' (allowed: %2)").arg(positional.constFirst(), cliCommandNames()));
    QCommandLineParser sub;
    if (const int code = cli::parseCommand(sub, *command, positional.mid(1)); code >= 0)
        return code;
    return command->run(sub);
}

} // namespace

} // namespace threadlab
