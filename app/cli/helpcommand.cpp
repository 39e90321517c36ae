// `threadlab help [COMMAND]` and `threadlab version`: the help texts the man page and completion are made from.
#include "commands.h"

namespace threadlab {

namespace {

int help(const QCommandLineParser &p)
{
    const QStringList args = p.positionalArguments();
    if (args.size() > 1)
        return cli::usageError(QStringLiteral("help: unexpected argument '%1' (allowed: one command: %2)")
                                   .arg(args.at(1), cliCommandNames()));
    if (args.isEmpty()) {
        cli::write(stdout, Cli::mainHelp());
        return ExitOk;
    }
    const CliCommand *c = findCliCommand(args.constFirst());
    if (!c)
        return cli::usageError(
            QStringLiteral("unknown command '%1' (allowed: %2)").arg(args.constFirst(), cliCommandNames()));
    cli::write(stdout, cli::commandHelp(*c));
    return ExitOk;
}

int version(const QCommandLineParser &p)
{
    if (const int code = cli::refuseArguments(p, QStringLiteral("version")); code >= 0)
        return code;
    cli::writeLine(stdout, QStringLiteral("threadlab %1").arg(QStringLiteral(THREADLAB_VERSION)));
    return ExitOk;
}

} // namespace

CliCommand helpCommand()
{
    return CliCommand {
        QStringLiteral("help"),
        QStringLiteral("help [COMMAND]"),
        QStringLiteral("show the help of threadlab or of a command"),
        {},
        { { QStringLiteral("command"), QStringLiteral("the command"), QStringLiteral("[COMMAND]") } },
        &help,
        {},
    };
}

CliCommand versionCommand()
{
    return CliCommand {
        QStringLiteral("version"),
        QStringLiteral("version"),
        QStringLiteral("print the version (also threadlab --version)"),
        {},
        {},
        &version,
        {},
    };
}

} // namespace threadlab
