// The sub-commands of `threadlab`, one per file (runcommand.cpp, listcommand.cpp, ...), listed by cli.cpp.
#pragma once

#include "cliutil.h"

namespace threadlab {

CliCommand listCommand();
CliCommand runCommand();
CliCommand benchCommand();
CliCommand scenarioCommand();
CliCommand matrixCommand();
CliCommand exportCommand();
CliCommand compareCommand();
CliCommand guiCommand();
CliCommand presentCommand();
CliCommand demoCommand();
CliCommand helpCommand();
CliCommand versionCommand();

/// `threadlab list scenarios`: one line per built-in scenario, its name first. Returns 0.
int listScenarios();

/// Runs scenarios headless and prints each worker's line (read from the fold); also `threadlab demo`.
/// Exit: 0 all passed (or skipped), 1 an expectation failed or an export failed. Returns cli::ExitPending
/// (and calls cli::exitWith() when done, after printing epilogue if any) or ExitUsage for a bad scenario.
/// showLesson: after each scenario's lines, its lesson with the numbers this run measured.
struct ExportTargets;
int runScenarios(const QStringList &names, const QString &jsonTarget, const ExportTargets &exports,
    const QString &epilogue = {}, bool showLesson = false);

} // namespace threadlab
