// The stop-method matrix: cells match outcome classes written out by hand; n/a cells say why.
#include "scenarios/matrixrunner.h"
#include "scenarios/scenariorunner.h"

#include "model/workerfold.h"
#include "workers/worker.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace threadlab;

class TestMatrix : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cellsMatchExpectedClasses();
    void notAvailableCarriesRefusal();
    void outputs();
    void parseWorkload();

private:
    MatrixOptions smallOptions() const;
    std::unique_ptr<MatrixRunner> m_runner;
};

MatrixOptions TestMatrix::smallOptions() const
{
    MatrixOptions o;
    // The stop comes 100 ms after the worker's own `started`; the cell gives up 1500 ms after the stop (grace or kill
    // timeout). cpu-ignore run_ms=8000 still runs then (5x past that deadline): "never stopped". cpu-ignore
    // run_ms=800 ends by itself 700 ms after the stop: a stop up to 700 ms late still comes before its end, and its
    // end comes over 2x before the deadline: "ignored". (With 200 ms, a stop 100 ms late under two ctest -j2 found
    // the code already returned: "completed".)
    for (const QString &w : { QStringLiteral("sleep-steps"), QStringLiteral("cpu-ignore:run_ms=8000"),
             QStringLiteral("cpu-ignore:run_ms=800") })
        o.workloads << *MatrixOptions::parseWorkload(w, nullptr);
    o.methods = { StopMethod::Request, StopMethod::Force };
    o.backends = { Backend::Thread, Backend::JThread };
    o.repeat = 2;
    o.stopAfterMs = 100;
    o.policy = { 1500, 1500 };
    o.parallel = 2;
    return o;
}

void TestMatrix::initTestCase()
{
    m_runner = std::make_unique<MatrixRunner>(smallOptions());
    QSignalSpy progress(m_runner.get(), &MatrixRunner::progress);
    QSignalSpy finished(m_runner.get(), &MatrixRunner::finished);
    m_runner->start(); // driven by signals; ends with finished()
    QVERIFY(finished.wait(240'000));
    QVERIFY(m_runner->isFinished());
    QCOMPARE(m_runner->cells().size(), 3 * 2 * 2);
    QCOMPARE(m_runner->runsDone(), m_runner->runsTotal());
    QCOMPARE(progress.size(), m_runner->runsTotal());
}

void TestMatrix::cellsMatchExpectedClasses()
{
    // What every cell must show, written out independently of how the matrix builds its runs: a cell that
    // disagrees is a wrong matrix, not a different run.
    struct Expected
    {
        const char *workload; ///< the workload's label (name and parameters)
        StopMethod method;
        Backend backend;
        const char *cls; ///< the class word of the cell and of each of its runs; "n/a" for not available
    };
    const Expected table[] = {
        { "sleep-steps", StopMethod::Request, Backend::Thread, "stopped" },
        { "sleep-steps", StopMethod::Request, Backend::JThread, "stopped" },
        { "sleep-steps", StopMethod::Force, Backend::Thread, "killed" },
        { "sleep-steps", StopMethod::Force, Backend::JThread, "n/a" },
        { "cpu-ignore run_ms=8000", StopMethod::Request, Backend::Thread, "never-stopped" },
        { "cpu-ignore run_ms=8000", StopMethod::Request, Backend::JThread, "never-stopped" },
        { "cpu-ignore run_ms=8000", StopMethod::Force, Backend::Thread, "never-stopped" },
        { "cpu-ignore run_ms=8000", StopMethod::Force, Backend::JThread, "n/a" },
        // Ended by itself before the deadline: ignored, told apart from never stopped (and from stopped/killed).
        { "cpu-ignore run_ms=800", StopMethod::Request, Backend::Thread, "ignored" },
        { "cpu-ignore run_ms=800", StopMethod::Request, Backend::JThread, "ignored" },
        { "cpu-ignore run_ms=800", StopMethod::Force, Backend::Thread, "ignored" },
        { "cpu-ignore run_ms=800", StopMethod::Force, Backend::JThread, "n/a" },
    };
    QCOMPARE(m_runner->cells().size(), qsizetype(std::size(table)));
    for (const Expected &e : table) {
        const MatrixCell *found = nullptr;
        for (const MatrixCell &cell : m_runner->cells())
            if (cell.workload.label() == QLatin1String(e.workload) && cell.method == e.method
                && cell.backend == e.backend)
                found = &cell;
        const QString what
            = QStringLiteral("%1 / %2 / %3").arg(QLatin1String(e.workload), toString(e.method), toString(e.backend));
        QVERIFY2(found, qPrintable(what + u": no such cell"_qs));
        if (qstrcmp(e.cls, "n/a") == 0) {
            QVERIFY2(!found->available(), qPrintable(what + u": expected not available"_qs));
            continue;
        }
        QCOMPARE(found->runs.size(), 2);
        QVERIFY2(toString(found->outcomeClass()) == QLatin1String(e.cls),
            qPrintable(QStringLiteral("%1: cell %2 (%3), expected %4")
                           .arg(what, toString(found->outcomeClass()), found->outcomes(), QLatin1String(e.cls))));
        for (const WorkerResult &run : found->runs)
            QVERIFY2(toString(run.outcomeClass) == QLatin1String(e.cls),
                qPrintable(QStringLiteral("%1: a run %2, expected %3")
                               .arg(what, toString(run.outcomeClass), QLatin1String(e.cls))));
    }
    // The lessons in one page: sleep-steps stops cleanly on request and is killed by force; cpu-ignore never
    // stops by either.
    const MatrixCell &sleepRequest = m_runner->cells().at(0);
    QCOMPARE(sleepRequest.workload.name, QStringLiteral("sleep-steps"));
    QCOMPARE(toString(sleepRequest.outcomeClass()), toString(OutcomeClass::Stopped));
    QVERIFY(sleepRequest.medianLatencyNs().has_value());
    const MatrixCell &sleepForce = m_runner->cells().at(2);
    QCOMPARE(toString(sleepForce.method), toString(StopMethod::Force));
    QCOMPARE(toString(sleepForce.backend), toString(Backend::Thread));
    QCOMPARE(toString(sleepForce.outcomeClass()), toString(OutcomeClass::Killed)); // told apart from stopped
    // Every run's class is its fold's class of its outcome.
    for (const MatrixCell &cell : m_runner->cells())
        for (const WorkerResult &run : cell.runs)
            QCOMPARE(toString(run.outcomeClass), toString(classOf(run.outcome)));
    const MatrixCell &ignoreForce = m_runner->cells().at(6);
    QCOMPARE(ignoreForce.workload.name, QStringLiteral("cpu-ignore"));
    QCOMPARE(toString(ignoreForce.method), toString(StopMethod::Force));
    QCOMPARE(toString(ignoreForce.backend), toString(Backend::Thread));
    QCOMPARE(toString(ignoreForce.outcomeClass()), toString(OutcomeClass::NeverStopped));
}

void TestMatrix::notAvailableCarriesRefusal()
{
    int seen = 0;
    for (const MatrixCell &cell : m_runner->cells()) {
        const bool expectNa = cell.backend == Backend::JThread && cell.method == StopMethod::Force;
        QCOMPARE(!cell.available(), expectNa);
        if (!expectNa)
            continue;
        ++seen;
        QVERIFY(cell.runs.isEmpty());
        QVERIFY2(cell.notAvailable.contains(QStringLiteral("std::thread has no kill")), qPrintable(cell.notAvailable));
    }
    QCOMPARE(seen, 3);
}

void TestMatrix::outputs()
{
    const QString grid = m_runner->textGrid();
    QVERIFY2(grid.contains(QStringLiteral("never-stopped")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("ignored")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("killed")), qPrintable(grid));
    // The in-process force is named for what it is, in the grid and in the markdown.
    QVERIFY2(grid.contains(QStringLiteral("ThreadLab's safe terminate")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("n/a")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("std::thread has no kill")), qPrintable(grid));
    const QString md = m_runner->markdown();
    QVERIFY(md.startsWith(QStringLiteral("| workload | method | thread | jthread |")));
    QCOMPARE(md.count(u'\n') >= 6, true);
    QVERIFY2(md.contains(QStringLiteral("ThreadLab's safe terminate")), qPrintable(md));
    const QJsonObject json = m_runner->toJson();
    const QJsonArray cells = json.value(QStringLiteral("cells")).toArray();
    QCOMPARE(cells.size(), 12);
    QCOMPARE(cells.at(0).toObject().value(QStringLiteral("class")).toString(), QStringLiteral("stopped"));
    QCOMPARE(cells.at(0).toObject().value(QStringLiteral("leaked")).toBool(), false);
    QVERIFY(cells.at(3).toObject().contains(QStringLiteral("not_available")));
}

void TestMatrix::parseWorkload()
{
    QString error;
    QVERIFY(!MatrixOptions::parseWorkload(QStringLiteral("nap"), &error));
    QVERIFY2(error.contains(QStringLiteral("allowed")), qPrintable(error));
    QVERIFY(!MatrixOptions::parseWorkload(QStringLiteral("sleep-steps:colour=red"), &error));
    QVERIFY2(error.contains(QStringLiteral("step_ms")), qPrintable(error));
    const auto w = MatrixOptions::parseWorkload(QStringLiteral("blocking-wait:wake=none:timeout_ms=500"), &error);
    QVERIFY2(w, qPrintable(error));
    QCOMPARE(w->label(), QStringLiteral("blocking-wait wake=none timeout_ms=500"));
    QCOMPARE(MatrixOptions::defaults().workloads.size(), 5);
}

QTEST_GUILESS_MAIN(TestMatrix)
#include "tst_matrix.moc"
