// The stop-method matrix: cells agree with individual runs of the same combination; n/a cells say why.
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
    void cellsAgreeWithIndividualRuns();
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
    for (const QString &w : { QStringLiteral("sleep-steps"), QStringLiteral("cpu-ignore:run_ms=800") })
        o.workloads << *MatrixOptions::parseWorkload(w, nullptr);
    o.methods = { StopMethod::Request, StopMethod::Force };
    o.backends = { Backend::Thread, Backend::JThread };
    o.repeat = 2;
    o.stopAfterMs = 100;
    o.policy = { 300, 300 };
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
    QCOMPARE(m_runner->cells().size(), 2 * 2 * 2);
    QCOMPARE(m_runner->runsDone(), m_runner->runsTotal());
    QCOMPARE(progress.size(), m_runner->runsTotal());
}

void TestMatrix::cellsAgreeWithIndividualRuns()
{
    for (const MatrixCell &cell : m_runner->cells()) {
        if (!cell.available())
            continue;
        QCOMPARE(cell.runs.size(), 2);
        // The same combination run on its own, as `threadlab run` or a scenario would.
        Scenario sc;
        sc.id = QStringLiteral("single");
        ScenarioWorker sw;
        sw.name = QStringLiteral("w");
        sw.backend = cell.backend;
        sw.workload = cell.workload.name;
        sw.params = cell.workload.params;
        sc.workers << sw;
        sc.script << ScriptStep { 0, ScriptAction::Start, sw.name, {} }
                  << ScriptStep { 100, cell.method == StopMethod::Force ? ScriptAction::Force : ScriptAction::Request,
                         sw.name, StopPolicy { 300, 300 } };
        ScenarioRunner runner(sc);
        QSignalSpy done(&runner, &ScenarioRunner::finished);
        runner.runLive();
        QVERIFY(done.wait(60'000));
        const ScenarioResult r = runner.result();
        MatrixCell single = cell;
        single.runs = { r.workers.value(0) };
        const QString what = QStringLiteral("%1 / %2 / %3: matrix %4 (%5), single %6 (%7)")
                                 .arg(cell.workload.label(), toString(cell.method), toString(cell.backend),
                                     toString(cell.outcomeClass()), cell.outcomes(), toString(single.outcomeClass()),
                                     single.outcomes());
        QVERIFY2(cell.outcomeClass() == single.outcomeClass(), qPrintable(what));
        for (const WorkerResult &run : cell.runs)
            QVERIFY2(run.outcome == r.workers.value(0).outcome, qPrintable(what));
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
    QCOMPARE(seen, 2);
}

void TestMatrix::outputs()
{
    const QString grid = m_runner->textGrid();
    QVERIFY2(grid.contains(QStringLiteral("never-stopped")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("killed")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("n/a")), qPrintable(grid));
    QVERIFY2(grid.contains(QStringLiteral("std::thread has no kill")), qPrintable(grid));
    const QString md = m_runner->markdown();
    QVERIFY(md.startsWith(QStringLiteral("| workload | method | thread | jthread |")));
    QCOMPARE(md.count(u'\n') >= 6, true);
    const QJsonObject json = m_runner->toJson();
    const QJsonArray cells = json.value(QStringLiteral("cells")).toArray();
    QCOMPARE(cells.size(), 8);
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
