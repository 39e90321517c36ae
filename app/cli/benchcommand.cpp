// `threadlab bench`: runs the benchmark cases (built-in and added by the front end) and prints the table.
#include "commands.h"

#include "benchmark.h"
#include "lab/lab.h"
#include "report.h"

namespace threadlab {

namespace {

QList<QCommandLineOption> benchOptions()
{
    return {
        { QStringLiteral("repeat"), QStringLiteral("Repetitions of each latency case (1..10000, default 200)."),
            QStringLiteral("N"), QStringLiteral("200") },
        { QStringLiteral("json"),
            QStringLiteral("Also write the rows as JSON to FILE; with - the JSON goes to stdout and the table to "
                           "stderr."),
            QStringLiteral("FILE|-") },
    };
}

int bench(const QCommandLineParser &p)
{
    if (const int code = cli::refuseArguments(p, QStringLiteral("bench")); code >= 0)
        return code;
    int repeat = 200;
    QString jsonPath;
    QString error;
    if (!cli::intOption(p, QStringLiteral("repeat"), 1, 10'000, &repeat, &error)
        || !cli::fileOption(p, QStringLiteral("json"), &jsonPath, &error, QStringLiteral("a file name or - (stdout)")))
        return cli::usageError(error);
    FILE *table = jsonPath == u"-" ? stderr : stdout;
    auto *lab = new Lab(cli::commandScope());
    const QList<BenchRow> rows = Benchmark::run(Benchmark::defaultCases(), *lab, repeat,
        [](const QString &name) { cli::writeLine(stderr, QStringLiteral("bench: %1").arg(name)); });
    cli::write(table, Benchmark::table(rows));
    int code = ExitOk;
    if (!jsonPath.isEmpty() && !Report::writeJson(Benchmark::toJson(rows, repeat), jsonPath, &error))
        code = cli::failure(error);
    return cli::finishLab(*lab, table, code);
}

} // namespace

CliCommand benchCommand()
{
    return CliCommand {
        QStringLiteral("bench"),
        QStringLiteral("bench [--repeat N] [--json FILE|-]"),
        QStringLiteral("measure stop latencies, stop-check and recorder costs against a bare std::thread"),
        &benchOptions,
        {},
        &bench,
        {},
    };
}

} // namespace threadlab
