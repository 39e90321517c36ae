// `threadlab bench`: runs the benchmark cases (built-in and added by the front end) and prints the table.
#include "commands.h"

#include "benchmark.h"
#include "lab/lab.h"
#include "report.h"

#include <algorithm>

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
        { QStringLiteral("case"),
            QStringLiteral("Run only the cases whose name starts with NAME (repeatable; e.g. \"gui lag\", \"thread "
                           "cpu-spin\", \"process\"); the default runs them all."),
            QStringLiteral("NAME") },
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
    QList<BenchCase> cases = Benchmark::defaultCases();
    if (const QStringList wanted = p.values(QStringLiteral("case")); !wanted.isEmpty()) {
        QStringList names;
        for (const BenchCase &c : std::as_const(cases))
            names << c.name;
        for (const QString &w : wanted) {
            if (w.isEmpty()
                || !std::any_of(names.cbegin(), names.cend(), [&w](const QString &n) { return n.startsWith(w); }))
                return cli::usageError(QStringLiteral("--case: no case named '%1...'; the cases are: %2")
                                           .arg(cli::escapeControls(w.left(80)), names.join(u", ")));
        }
        cases.removeIf([&wanted](const BenchCase &c) {
            return std::none_of(
                wanted.cbegin(), wanted.cend(), [&c](const QString &w) { return c.name.startsWith(w); });
        });
    }
    FILE *table = jsonPath == u"-" ? stderr : stdout;
    auto *lab = new Lab(cli::commandScope());
    const QList<BenchRow> rows = Benchmark::run(cases, *lab, repeat,
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
        QStringLiteral("bench [--repeat N] [--json FILE|-] [--case NAME]..."),
        QStringLiteral("measure stop latencies, stop-check and recorder costs against a bare std::thread"),
        &benchOptions,
        {},
        &bench,
        {},
    };
}

} // namespace threadlab
