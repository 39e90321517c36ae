// The headless command line: `threadlab list|run|bench|demo|help`, with QCommandLineParser and exit codes.
#pragma once

#include <QStringList>

namespace threadlab {

/// Exit codes of the command line.
enum ExitCode : int {
    ExitOk = 0, ///< success (whatever the outcomes of the workers)
    ExitFailure = 1, ///< a runtime failure (e.g. the JSON file cannot be written)
    ExitUsage = 2, ///< bad usage or input; one line on stderr names the bad value and the allowed ones
};

class Cli
{
public:
    /// Runs a command line (arguments()[0] is the program). Needs a QCoreApplication; runs local event
    /// loops, never blocking them. Returns the process exit code.
    static int exec(const QStringList &arguments);
    /// The headless demonstration (`threadlab demo`).
    static int demo();
    /// The sub-commands, for help texts.
    static QStringList commands();
};

} // namespace threadlab
