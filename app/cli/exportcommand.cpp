// `threadlab export RECORDING`: converts a saved recording (trace, CSV, Markdown, PNG/SVG) without running again.
#include "commands.h"

#include "cliexports.h"
#include "recording/recording.h"
#include "recording/recordingio.h"

namespace threadlab {

namespace {

QList<QCommandLineOption> exportOptions()
{
    return CliExports::options(CliExports::All);
}

int exportRecording(const QCommandLineParser &p)
{
    const QStringList inputs = p.positionalArguments();
    if (inputs.size() != 1)
        return cli::usageError(inputs.isEmpty()
                ? QStringLiteral("export: name one recording (threadlab export RECORDING --trace FILE ...)")
                : QStringLiteral("export: unexpected argument '%1' (one recording at a time)").arg(inputs.at(1)));
    ExportTargets exports;
    QString error;
    if (!CliExports::fromParser(p, CliExports::All, &exports, &error))
        return cli::usageError(QStringLiteral("export: ") + error);
    if (!exports.any())
        return cli::usageError(QStringLiteral("export: nothing to write (allowed: --record, --trace, --csv, "
                                              "--measurements, --screenshot)"));
    if (const int code = CliExports::validate(exports, &error))
        return code == ExitUsage ? cli::usageError(error) : cli::failure(error, code);
    const auto rec = RecordingIO::load(inputs.constFirst(), &error);
    if (!rec)
        return cli::usageError(error);
    if (CliExports::write(*rec, exports, &error) != 0)
        return cli::failure(error);
    return ExitOk;
}

} // namespace

CliCommand exportCommand()
{
    return CliCommand {
        QStringLiteral("export"),
        QStringLiteral("export RECORDING [--record FILE] [--trace FILE] [--csv FILE] [--measurements FILE] "
                       "[--screenshot FILE [--scale N] [--dark]]"),
        QStringLiteral("convert a saved recording (trace, CSV, Markdown, PNG/SVG) without running anything again"),
        &exportOptions,
        { { QStringLiteral("recording"), QStringLiteral("a saved recording (.threadlab.json or .threadlab.json.gz)"),
            QStringLiteral("RECORDING") } },
        &exportRecording,
        {},
    };
}

} // namespace threadlab
