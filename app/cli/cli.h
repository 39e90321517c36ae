// The headless command line: `threadlab COMMAND [options]`, one command per file, exit codes.
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
    /// Runs a command line (arguments[0] is the program; Qt's own options already taken out). Needs a
    /// QCoreApplication; runs the command on the application's event loop (QCoreApplication::exec()), never a
    /// nested one. Returns the process exit code.
    static int exec(const QStringList &arguments);
    /// The headless demonstration (`threadlab demo`): the built-in scenario 00-demo, on the event loop.
    static int demo();
    /// Starts the demonstration from the event loop; returns cli::ExitPending or an exit code.
    static int startDemo();
    /// `threadlab gui [RECORDING]` before the QApplication exists: parses rest (the arguments after "gui") and
    /// checks the recording. Returns -1 with path set to open the GUI, or an exit code (help or an error printed).
    /// A second recording (other) opens the compare window, the first as A and the second as B.
    static int prepareGui(const QStringList &rest, QString *path, QString *other = nullptr);
    /// `threadlab present [SCENARIO]` before the QApplication exists: parses rest and checks the scenario.
    /// Returns -1 with scenario set (empty: the first lesson) to open presenter mode, or an exit code.
    static int preparePresent(const QStringList &rest, QString *scenario);
    /// The text of `threadlab --help`.
    static QString mainHelp();
    /// The sub-commands, for help texts and completion.
    static QStringList commands();
};

} // namespace threadlab
