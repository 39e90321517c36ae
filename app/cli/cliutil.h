// Shared plumbing of the CLI commands: one wording of errors, strict numbers, parsing a command's arguments.
#pragma once

#include "cli.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <cstdio>
#include <functional>
#include <optional>

namespace threadlab {

class Lab;

/// A positional argument of a command, for its help.
struct CliPositional
{
    QString name;
    QString description;
    QString syntax;
};

/// One sub-command of `threadlab`: its words, its options and what it does.
struct CliCommand
{
    QString name;
    QString synopsis; ///< the usage line after "threadlab "
    QString summary; ///< one line, for `threadlab help`
    /// The command's options (the help option is added by the parser).
    std::function<QList<QCommandLineOption>()> options;
    QList<CliPositional> positionals;
    /// Runs the parsed command (from the application's event loop); returns the exit code, or cli::ExitPending
    /// when its result comes later (it then calls cli::exitWith() from the event loop).
    std::function<int(const QCommandLineParser &)> run;
    /// More help after the options (e.g. the exit codes of `scenario`); may be empty.
    QString moreHelp;
};

/// Every command, in help order (defined in cli.cpp).
const QList<CliCommand> &cliCommands();
const CliCommand *findCliCommand(QStringView name);
/// "list, run, ..." for error messages.
QString cliCommandNames();

namespace cli {

/// What a command returns when its result arrives later, from a signal: it calls exitWith() then.
constexpr int ExitPending = -1000;
/// Runs start() from the application's event loop and the loop until exitWith() (or start() returns a code
/// other than ExitPending). Objects parented to commandScope() are destroyed when the loop has returned.
int runOnLoop(const std::function<int()> &start);
/// Ends the loop of runOnLoop() with code (queued: the loop always sees it, even before it runs).
void exitWith(int code);
/// The parent of what a pending command owns (its lab, its runners); nullptr outside runOnLoop().
QObject *commandScope();

/// Control characters (and DEL) as \n, \t, \r or \xNN, so a message stays on one line.
QString escapeControls(const QString &text);
/// Writes text as UTF-8 and flushes.
void write(FILE *f, const QString &text);
void writeLine(FILE *f, const QString &line);
/// "threadlab: <message>" on stderr, one line; returns ExitUsage.
int usageError(const QString &message);
/// "threadlab: <line>" on stderr for each line of message (runtime failures); returns code.
int failure(const QString &message, int code = ExitFailure);

/// A strict integer: "0" or an optional '-' then 1-9 then digits; no spaces, '+' or leading zeros.
std::optional<qint64> strictInteger(QStringView text);
/// A strict decimal: digits without leading zeros, optionally '.' and digits ("0.5", "2"); no sign, no nan.
std::optional<double> strictDecimal(QStringView text);
/// The integer value of an option within min..max; false with a one-line error naming the allowed range.
bool intOption(const QCommandLineParser &p, const QString &name, qint64 min, qint64 max, int *out, QString *error);
/// The value of a file option that is set; false with an error if it is empty.
bool fileOption(const QCommandLineParser &p, const QString &name, QString *out, QString *error,
    const QString &allowed = QStringLiteral("a file name"));
/// Checks a workload parameter's syntax before the registry reads it: key=value, no spaces or control
/// characters, an integer parameter written as a plain integer. False with a one-line error.
bool checkParam(const QString &workload, const QString &assignment, QString *error);
/// The options, as "--a, --b" for error messages.
QString optionNames(const QList<QCommandLineOption> &options);

/// The full help of a command: its usage line, summary, options, arguments and more help.
QString commandHelp(const CliCommand &command);
/// Sets up the parser of a command and parses rest (the arguments after the command name). Returns -1 to go
/// on, ExitOk after printing the help (--help), or ExitUsage after printing the one-line error.
int parseCommand(QCommandLineParser &p, const CliCommand &command, const QStringList &rest);
/// ExitUsage with "<command>: unexpected argument 'x' (...)" if the parser has positional arguments.
int refuseArguments(const QCommandLineParser &p, const QString &command);

/// Why path cannot be an output file: it exists and is not a regular file (a directory, device, FIFO or
/// socket; symbolic links are followed). Empty if it can be written.
QString outputRefusal(const QString &path);
/// Writes bytes to path atomically (QSaveFile: the old file stays intact until the new one is complete). False
/// with "cannot write PATH: reason" on any error (a refused path, ENOSPC, no permission).
bool writeFile(const QString &path, const QByteArray &bytes, QString *error);

/// Begins the lab's shutdown and returns ExitPending; when it has finished, exitWith(code). A thread that
/// cannot be stopped is named and the process ends at once (it would run global destructors under its feet).
int finishLab(Lab &lab, FILE *notes, int code);

} // namespace cli

} // namespace threadlab
