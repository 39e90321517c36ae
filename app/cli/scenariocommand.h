// CLI entry points for scenarios and the matrix (wired by the CLI: `threadlab scenario|matrix|list scenarios`).
#pragma once

#include <QStringList>
#include <QTextStream>

namespace threadlab {

/// `threadlab list scenarios`: one line per built-in scenario (name, title, summary). Returns 0.
int listScenariosCommand(QTextStream &out);

/// `threadlab scenario NAME|FILE [--check] [--json FILE|-] [--all]` (args after "scenario"). Runs headless
/// on the running QCoreApplication (a nested event loop), prints each worker's outcome against the
/// expectations. Exit: 0 all passed (or skipped), 1 an expectation failed, 2 bad usage or a bad file.
int scenarioCommand(const QStringList &args, QTextStream &out, QTextStream &err);

/// `threadlab matrix [--backends a,b] [--workloads w[:k=v]...,...] [--methods m,...] [--repeat N]
/// [--stop-after MS] [--grace MS] [--kill-timeout MS] [--json FILE|-] [--markdown FILE|-]` (args after
/// "matrix"). Prints the grid; a progress line on stderr when it is a terminal. Exit: 0, or 2 on bad usage.
int matrixCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace threadlab
