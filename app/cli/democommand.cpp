// `threadlab demo`: the built-in demo scenario (00-demo), run headless by the same runner as every scenario.
#include "commands.h"

#include "cliexports.h"

namespace threadlab {

namespace {

const QString &demoScenario()
{
    static const QString name = QStringLiteral("00-demo");
    return name;
}

int demo(const QCommandLineParser &p)
{
    if (const int code = cli::refuseArguments(p, QStringLiteral("demo")); code >= 0)
        return code;
    return Cli::startDemo();
}

} // namespace

int Cli::demo()
{
    return cli::runOnLoop(&Cli::startDemo);
}

int Cli::startDemo()
{
    cli::writeLine(stdout,
        QStringLiteral("ThreadLab %1 demonstration: the built-in scenario %2, headless (threadlab scenario %2).")
            .arg(QStringLiteral(THREADLAB_VERSION), demoScenario()));
    return runScenarios({ demoScenario() }, {}, ExportTargets(),
        QStringLiteral("More: threadlab --help, threadlab list scenarios, threadlab bench."), true);
}

CliCommand demoCommand()
{
    return CliCommand {
        QStringLiteral("demo"),
        QStringLiteral("demo"),
        QStringLiteral("a short headless demonstration: the built-in scenario 00-demo (used when no display is "
                       "available)"),
        {},
        {},
        &demo,
        {},
    };
}

} // namespace threadlab
