// Every built-in scenario loads, and every one whose workloads exist passes its expectations headless.
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"
#include "scenarios/scenariorunner.h"

#include "events/eventlog.h"
#include "lab/lab.h"
#include "ledger/labresources.h"
#include "model/workerfold.h"

#include "asanskip.h"

#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace threadlab;

namespace {

/// Runs a scenario to its result signal (no nested event loop in the runner; the spy waits).
ScenarioResult runToEnd(ScenarioRunner &runner, int timeoutMs = 120'000)
{
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.runLive();
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        qWarning("the scenario did not finish within %d ms", timeoutMs);
    return runner.result();
}

/// The first event of this kind in the worker's log (its timestamp, CLOCK_MONOTONIC ns), or -1.
qint64 firstEventNs(const ScenarioRunner &runner, const QString &worker, EventKind kind)
{
    const Worker *w = runner.worker(worker);
    if (!w)
        return -1;
    for (const Event &e : runner.lab()->log().forWorker(w->id()))
        if (e.kind == kind)
            return e.tNs;
    return -1;
}

QString problemsOf(const ScenarioResult &r)
{
    QStringList problems;
    if (!r.error.isEmpty())
        problems << r.error;
    for (const WorkerResult &w : r.workers)
        for (const QString &f : w.failures)
            problems << w.name + QStringLiteral(": ") + f;
    return problems.join(QStringLiteral("; "));
}

} // namespace

class TestScenarios : public QObject
{
    Q_OBJECT
private slots:
    void catalogueLoads();
    void builtinPasses_data();
    void builtinPasses();
    void stepByStep();
    void failingExpectationFails();
    void missingWorkloadIsSkipped();
    void partlySkippedPassSaysSo();
    void stopCountsFromTheWorkersEvent();
    void slowHostStillGetsItsLesson();
    void endedWithoutTheEvent();
};

void TestScenarios::catalogueLoads()
{
    const QStringList names = ScenarioCatalogue::builtinNames();
    // Issue 12: at least 28 lessons, at least six of them with a Python lane beside its counterpart.
    QVERIFY2(names.size() >= 34, qPrintable(names.join(u", ")));
    int withPython = 0;
    for (const QString &name : names) {
        QString error;
        const auto sc = ScenarioCatalogue::load(name, &error);
        QVERIFY2(sc, qPrintable(error));
        withPython += std::any_of(
            sc->workers.cbegin(), sc->workers.cend(), [](const ScenarioWorker &w) { return isPython(w.backend); });
        QVERIFY(!sc->title.isEmpty());
        QVERIFY2(sc->lesson.contains(QStringLiteral("Python")), qPrintable(name));
        QVERIFY2(!sc->expect.isEmpty(), qPrintable(name));
        // Every claim is backed: every worker has an expectation.
        for (const auto &w : sc->workers)
            QVERIFY2(sc->expect.contains(w.name), qPrintable(name + u'/' + w.name));
    }
    QVERIFY2(withPython >= 8, qPrintable(QString::number(withPython)));

    // A lesson's number names it, as a teacher types it ("7", "07"); a number no lesson has is refused.
    QString error;
    const auto byNumber = ScenarioCatalogue::load(QStringLiteral("7"), &error);
    QVERIFY2(byNumber, qPrintable(error));
    const auto byName = ScenarioCatalogue::load(QStringLiteral("07-threads-that-start-threads"), &error);
    QVERIFY2(byName, qPrintable(error));
    QCOMPARE(byNumber->title, byName->title);
    QVERIFY(ScenarioCatalogue::load(QStringLiteral("07"), &error));
    QVERIFY(!ScenarioCatalogue::load(QStringLiteral("99"), &error));
    QVERIFY2(error.contains(u"a lesson's number"), qPrintable(error));
}

void TestScenarios::builtinPasses_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : ScenarioCatalogue::builtinNames())
        QTest::newRow(qPrintable(name)) << name;
}

void TestScenarios::builtinPasses()
{
    QFETCH(QString, name);
    QString error;
    const auto sc = ScenarioCatalogue::load(name, &error);
    QVERIFY2(sc, qPrintable(error));
    if (const char *why = testing::asanSkipReason(*sc))
        QSKIP(why);
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    if (r.skipped)
        QSKIP(qPrintable(QStringLiteral("skipped: ") + r.skipReason));
    QStringList problems;
    if (!r.error.isEmpty())
        problems << r.error;
    for (const WorkerResult &w : r.workers)
        for (const QString &f : w.failures)
            problems << w.name + QStringLiteral(": ") + f;
    QVERIFY2(r.passed(), qPrintable(problems.join(QStringLiteral("; "))));
    // Each worker's result is its fold's: the class is the class of the outcome, the run is the lesson's.
    for (const WorkerResult &w : r.workers)
        if (w.skipped.isEmpty())
            QCOMPARE(toString(w.outcomeClass), toString(classOf(w.outcome)));
    QCOMPARE(runner.run().title, sc->title);
    QCOMPARE(runner.run().scenario, sc->id);
    if (!r.skippedWorkers().isEmpty())
        qInfo("%s: partly skipped: %s", qPrintable(name), qPrintable(r.skippedWorkers().join(u"; ")));
}

void TestScenarios::stepByStep()
{
    QString error;
    const auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"thread","workload":"sleep-steps","params":{"step_ms":5}}],
                "script":[{"at_ms":0,"action":"start","target":"a"},{"at_ms":60000,"action":"request","target":"a"}],
                "expect":{"a":{"outcome":"stopped","leaks_absent":"*"}}})",
        QStringLiteral("step.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    QSignalSpy actions(&runner, &ScenarioRunner::actionExecuted);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QVERIFY(runner.step());
    QCOMPARE(actions.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(runner.worker(QStringLiteral("a"))->stepsDone() > 0, 10000);
    // The second action runs now, not at 60 s: a teacher clicks through.
    QVERIFY(runner.step());
    QVERIFY(!runner.step());
    QVERIFY(finished.wait(20000) || !finished.isEmpty());
    QVERIFY2(runner.result().passed(), qPrintable(runner.result().workers.value(0).failures.join(u"; ")));
}

void TestScenarios::failingExpectationFails()
{
    QString error;
    const auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"thread","workload":"sleep-steps",
                            "stop":{"method":"request","after_ms":50}}],
                "expect":{"a":{"outcome":"killed","leaks_present":["lock"]}}})",
        QStringLiteral("wrong.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    QVERIFY(!r.passed());
    QCOMPARE(r.workers.size(), 1);
    QCOMPARE(toString(r.workers.at(0).outcome), toString(Outcome::Stopped));
    QCOMPARE(r.workers.at(0).failures.size(), 2);
    QVERIFY(r.workers.at(0).failures.at(0).contains(QStringLiteral("outcome stopped, expected killed")));
}

void TestScenarios::missingWorkloadIsSkipped()
{
    QString error;
    auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"process","workload":"sandbox-from-the-future"}],
                "expect":{"a":{"outcome":"crashed"}}})",
        QStringLiteral("future.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    QVERIFY(r.skipped);
    QCOMPARE(r.verdict(), QStringLiteral("skipped"));
    QVERIFY2(r.skipReason.contains(QStringLiteral("sandbox-from-the-future")), qPrintable(r.skipReason));
}

void TestScenarios::partlySkippedPassSaysSo()
{
    // One worker runs and passes, the other cannot run in this build: a pass, but not a plain one.
    QString error;
    auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"thread","workload":"sleep-steps",
                            "stop":{"method":"request","after_ms":50}},
                           {"name":"b","backend":"process","workload":"sandbox-from-the-future"}],
                "expect":{"a":{"outcome":"stopped"},"b":{"outcome":"crashed"}}})",
        QStringLiteral("partly.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    QVERIFY(!r.skipped);
    QVERIFY(r.passed());
    QCOMPARE(r.verdict(), QStringLiteral("pass, partly skipped"));
    QCOMPARE(r.skippedWorkers().size(), 1);
    QVERIFY2(r.skippedWorkers().first().startsWith(QStringLiteral("b: ")), qPrintable(r.skippedWorkers().first()));
}

void TestScenarios::stopCountsFromTheWorkersEvent()
{
    // The worker's first step comes only after a 400 ms step: a stop counted from the scenario's start (100 ms)
    // would land before it; counted from the first step it lands at least 100 ms after it, read from the log.
    QString error;
    const auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"thread","workload":"sleep-steps","params":{"step_ms":400},
                            "stop":{"method":"request","after_ms":100,"from":"first-step","grace_ms":5000}}],
                "expect":{"a":{"outcome":"stopped","steps_min":1}}})",
        QStringLiteral("from.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    QStringList descriptions;
    connect(&runner, &ScenarioRunner::actionExecuted, &runner,
        [&descriptions](int, const QString &description, const QString &) { descriptions << description; });
    const ScenarioResult r = runToEnd(runner);
    QVERIFY2(r.passed(), qPrintable(problemsOf(r)));
    const qint64 firstStep = firstEventNs(runner, u"a"_qs, EventKind::FirstStep);
    const qint64 requested = firstEventNs(runner, u"a"_qs, EventKind::StopRequested);
    QVERIFY(firstStep > 0);
    QVERIFY(requested > 0);
    QVERIFY2(requested - firstStep >= 100'000'000,
        qPrintable(QStringLiteral("stop requested %1 ns after the first step").arg(requested - firstStep)));
    QVERIFY2(descriptions.join(u'|').contains(u"100 ms from a's first-step: request a"_qs),
        qPrintable(descriptions.join(u'|')));
}

void TestScenarios::slowHostStillGetsItsLesson()
{
    // Lesson 06 with a worker host that takes a whole second to start (as on a loaded machine): its SIGKILL at
    // 500 ms from the scenario's start would land before the host opened its file (no file leak) and its SIGTERM
    // before the host handles it. Counted from the host's first record, both show what the lesson says.
    const QString realDir = qEnvironmentVariable("THREADLAB_BIN_DIR");
    if (realDir.isEmpty() || !QFile::exists(realDir + u"/threadlab-worker"_qs))
        QFAIL("THREADLAB_BIN_DIR does not name the build's threadlab-worker (run through ctest)");
    QTemporaryDir slowDir;
    QVERIFY(slowDir.isValid());
    QFile wrapper(slowDir.filePath(u"threadlab-worker"_qs));
    QVERIFY(wrapper.open(QIODevice::WriteOnly));
    // exec keeps the pid and the process group the lab gave the host: only its start is late.
    wrapper.write("#!/bin/sh\nsleep 1\nexec '" + QFile::encodeName(realDir) + "/threadlab-worker' \"$@\"\n");
    wrapper.close();
    QVERIFY(wrapper.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    qputenv("THREADLAB_BIN_DIR", QFile::encodeName(slowDir.path()));
    // The late start is the exec'd host's: a resident fork server (the default) would skip the wrapper.
    const QByteArray oldStart = qgetenv("THREADLAB_PROCESS_START");
    qputenv("THREADLAB_PROCESS_START", "exec");
    const auto restore = qScopeGuard([&] {
        qputenv("THREADLAB_BIN_DIR", QFile::encodeName(realDir));
        if (oldStart.isNull())
            qunsetenv("THREADLAB_PROCESS_START");
        else
            qputenv("THREADLAB_PROCESS_START", oldStart);
    });

    QString error;
    const auto sc = ScenarioCatalogue::load(u"06-half-written-files"_qs, &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    QVERIFY2(!r.skipped, qPrintable(r.skipReason));
    QVERIFY2(r.passed(), qPrintable(problemsOf(r)));
    for (const QString &name : { u"sigterm-process"_qs, u"sigkill-process"_qs }) {
        const qint64 startRequested = firstEventNs(runner, name, EventKind::StartRequested);
        const qint64 started = firstEventNs(runner, name, EventKind::Started);
        const qint64 stopRequested = firstEventNs(runner, name, EventKind::StopRequested);
        QVERIFY2(startRequested > 0 && started > 0 && stopRequested > started, qPrintable(name));
        // The host really was late: its code began to run after the time a script counted from the start stopped it.
        QVERIFY2(started - startRequested >= 500'000'000, qPrintable(name));
    }
}

void TestScenarios::endedWithoutTheEvent()
{
    // A worker that dies before its first step: the action counted from that step comes at its end, refused with
    // a note, and the run still finishes (it does not wait for an event that can never come).
    QString error;
    const auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"process","workload":"crash","params":{"mode":"segv","after_ms":0},
                            "stop":{"method":"force","after_ms":100,"from":"first-step"}}],
                "expect":{"a":{"outcome":"crashed"}}})",
        QStringLiteral("never.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    const ScenarioResult r = runToEnd(runner);
    QVERIFY2(!r.skipped, qPrintable(r.skipReason));
    QVERIFY2(r.passed(), qPrintable(problemsOf(r)));
    QVERIFY2(r.notes.join(u'|').contains(u"ended without first-step"_qs), qPrintable(r.notes.join(u'|')));
}

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
