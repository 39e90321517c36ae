// The export options of `run`, `scenario`, `matrix` and `export`: --record, --trace, --csv, --measurements,
// --screenshot.
#pragma once

#include <QCommandLineOption>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace threadlab {

struct Recording;

/// The files a command was asked to write from its recording (empty: not asked).
struct ExportTargets
{
    QString record; ///< .threadlab.json recording (gzip when the name ends in .gz)
    QString trace; ///< Chrome Trace Event Format JSON
    QString csv; ///< events CSV
    QString measurements; ///< measurements CSV, or a Markdown table when the name ends in .md
    QString screenshot; ///< timeline picture: PNG, or SVG by the .svg extension
    double scale = 1.0; ///< device pixel ratio of the screenshot (--scale)
    bool dark = false; ///< dark palette for the screenshot (--dark)
    bool scaleSet = false;

    /// True if any file is asked for.
    bool any() const;
};

/// Parsing and writing of the export options, shared by the commands.
class CliExports
{
public:
    /// Which options a command accepts.
    enum Option { Record = 1, Trace = 2, Csv = 4, Measurements = 8, Screenshot = 16, All = 31 };

    /// The options in `allowed`, for a command's QCommandLineParser.
    static QList<QCommandLineOption> options(int allowed);
    /// Reads the options in `allowed` from a parsed command line; false with a one-line error if one is
    /// malformed (an empty file name, a --scale that is not a plain decimal in 0.5..4).
    static bool fromParser(const QCommandLineParser &p, int allowed, ExportTargets *targets, QString *error);
    /// Checks what can be checked before a run: --scale/--dark need --screenshot, a screenshot needs the
    /// image renderer of the desktop front end. Returns 0, or an exit code (2 usage, 1 unavailable) with error.
    static int validate(const ExportTargets &targets, QString *error);
    /// Writes every requested file. Returns 0, or 1 when a file cannot be written (error: one line per
    /// failure, each naming the file and the reason).
    static int write(const Recording &recording, const ExportTargets &targets, QString *error);
    /// Appends `from` to `into`: worker ids renumbered past into's, names prefixed ("prefix/name"), events
    /// merged in time order. Used for a run made of several labs (scenarios, matrix cells).
    static void append(Recording &into, const Recording &from, const QString &namePrefix);
};

} // namespace threadlab
