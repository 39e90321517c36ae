// Step mode at a speaking pace: clicks, durations stretched to outlast the pauses, every built-in steppable.
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"
#include "scenarios/scenariorunner.h"
#include "scenarios/steppacing.h"

#include "events/eventlog.h"
#include "lab/lab.h"

#include "asanskip.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace threadlab;

namespace {

/// Steps through a runner's clicks with a pause of pauseMs before each click after the first, as a teacher
/// who talks between clicks; then waits for the result. The pause is what is tested, so it is waited out
/// (QTRY on a clock, the event loop running), never slept.
ScenarioResult stepWithPauses(ScenarioRunner &runner, int pauseMs, QStringList *refusals)
{
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QObject::connect(
        &runner, &ScenarioRunner::actionExecuted, &runner, [refusals](int, const QString &, const QString &note) {
            // Recoveries report what they cleaned up; only a refused action is a refusal.
            if (note.contains(QStringLiteral(" refused: ")))
                *refusals << note;
        });
    bool first = true;
    while (!runner.isFinished() && runner.nextStep() < runner.scenario().script.size()) {
        if (!first) {
            QElapsedTimer pause;
            pause.start();
            [&] { QTRY_VERIFY_WITH_TIMEOUT(pause.hasExpired(pauseMs), pauseMs + 10'000); }();
        }
        first = false;
        if (!runner.step())
            break;
    }
    if (finished.isEmpty() && !finished.wait(120'000))
        qWarning("the stepped scenario did not finish");
    return runner.result();
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

void builtinRows()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : ScenarioCatalogue::builtinNames())
        QTest::newRow(qPrintable(name)) << name;
}

} // namespace

class TestStepMode : public QObject
{
    Q_OBJECT
private slots:
    void clicksGroupSameActions();
    void pacingStretchesStoppedWorkers_data() { builtinRows(); }
    void pacingStretchesStoppedWorkers();
    void stepped04WithLongPauses();
    void clickWaitsForTheEvent();
    void builtinSteppable_data() { builtinRows(); }
    void builtinSteppable();
};

void TestStepMode::clicksGroupSameActions()
{
    QString error;
    const auto sc = ScenarioCatalogue::load(QStringLiteral("04-cpu-ignore"), &error);
    QVERIFY2(sc, qPrintable(error));
    // Three starts at 0 are one click; the request and the two forces are three more.
    QCOMPARE(stepClicks(*sc).size(), 4);
    QCOMPARE(clickOf(*sc, 0), 0);
    QCOMPARE(clickEnd(*sc, 0), 3);
    QVERIFY2(clickAction(*sc, 0).contains(QStringLiteral("ignore-request, ignore-terminate and ignore-process")),
        qPrintable(clickAction(*sc, 0)));
    QVERIFY2(clickAction(*sc, 3).contains(QStringLiteral("Request a stop of ignore-request")),
        qPrintable(clickAction(*sc, 3)));
    QVERIFY2(clickWatch(*sc, 3).contains(QStringLiteral("never observes")), qPrintable(clickWatch(*sc, 3)));
    // Every click of every built-in says what it does.
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        const auto s = ScenarioCatalogue::load(name, &error);
        QVERIFY2(s, qPrintable(error));
        for (int i : stepClicks(*s))
            QVERIFY2(!clickAction(*s, i).isEmpty(), qPrintable(name));
    }
}

void TestStepMode::pacingStretchesStoppedWorkers()
{
    // Every built-in is steppable: a worker the script stops keeps every duration parameter it has at least as long
    // as live, and longer wherever clicks lie between its start and its stop.
    QFETCH(QString, name);
    QString error;
    const auto sc = ScenarioCatalogue::load(name, &error);
    QVERIFY2(sc, qPrintable(error));
    const Scenario paced = pacedForSteps(*sc, 30'000);
    QCOMPARE(paced.script.size(), sc->script.size());
    for (qsizetype i = 0; i < sc->workers.size(); ++i) {
        const ScenarioWorker &live = sc->workers.at(i);
        const ScenarioWorker &p = paced.workers.at(i);
        bool longer = false;
        for (const char *key : { "run_ms", "timeout_ms", "steps", "records", "tasks" }) {
            const QString k = QString::fromLatin1(key);
            if (!live.params.contains(k))
                continue;
            QVERIFY2(p.params.value(k).toLongLong() >= live.params.value(k).toLongLong(), qPrintable(live.name));
            longer = longer || p.params.value(k).toLongLong() > live.params.value(k).toLongLong();
        }
        int start = -1, stop = -1;
        for (int a = 0; a < sc->script.size() && stop < 0; ++a) {
            const ScriptStep &s = sc->script.at(a);
            if (s.target != u"*" && s.target != live.name)
                continue;
            if (s.action == ScriptAction::Start && start < 0)
                start = a;
            else if (start >= 0 && stopMethodOf(s.action))
                stop = a;
        }
        const bool pausesBeforeStop = start >= 0 && stop >= 0 && clickOf(*sc, stop) > clickOf(*sc, start);
        if (pausesBeforeStop && !live.params.isEmpty())
            QVERIFY2(longer, qPrintable(name + u'/' + live.name + QStringLiteral(" is not stretched")));
        if (!pausesBeforeStop)
            QCOMPARE(p.params, live.params);
    }
}

void TestStepMode::stepped04WithLongPauses()
{
    // The teacher's report: stepping 04 at a speaking pace, the cpu-ignore workers finished on their own first, the
    // stop steps were refused and the lesson FAILED. Here the workloads are shortened to 1 s and the pauses are
    // longer than that, which is the same race at a twentieth of the time.
    QString error;
    auto sc = ScenarioCatalogue::load(QStringLiteral("04-cpu-ignore"), &error);
    QVERIFY2(sc, qPrintable(error));
    for (ScenarioWorker &w : sc->workers)
        w.params.insert(QStringLiteral("run_ms"), qint64(1000));
    constexpr int PauseMs = 1500;

    {
        // Unpaced (the old step mode): the pause outlasts the workload and the stop is refused.
        ScenarioRunner runner(*sc);
        runner.setStepped(false);
        QVERIFY(runner.prepare());
        QStringList refusals;
        stepWithPauses(runner, PauseMs, &refusals);
        QVERIFY2(!refusals.isEmpty(), "without pacing the pause should outlast the workload");
    }
    ScenarioRunner runner(*sc);
    runner.setStepped(true, 2500);
    QVERIFY(runner.prepare());
    QVERIFY2(runner.nextStepHint().startsWith(QStringLiteral("Start ")), qPrintable(runner.nextStepHint()));
    QStringList refusals;
    const ScenarioResult r = stepWithPauses(runner, PauseMs, &refusals);
    QVERIFY2(refusals.isEmpty(), qPrintable(refusals.join(u"; ")));
    QVERIFY2(r.passed(), qPrintable(problemsOf(r)));
    QVERIFY(r.notes.join(u' ').contains(QStringLiteral("stepped")));
}

void TestStepMode::clickWaitsForTheEvent()
{
    // A click on a stop that counts from the worker's first step, made before that step: the stop is armed and
    // lands when the step comes (never before it), and the next click is the next action.
    QString error;
    const auto sc = ScenarioParser::parse(
        R"({"format":1,"title":"t","summary":"s","lesson":"l",
                "workers":[{"name":"a","backend":"thread","workload":"sleep-steps","params":{"step_ms":500},
                            "stop":{"method":"request","after_ms":100,"from":"first-step","grace_ms":5000}}],
                "expect":{"a":{"outcome":"stopped","steps_min":1}}})",
        QStringLiteral("armed.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    ScenarioRunner runner(*sc);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QVERIFY(runner.step()); // start
    QVERIFY(runner.step()); // the stop, clicked at once: its first step is still 500 ms away
    QCOMPARE(runner.nextStep(), int(runner.scenario().script.size()));
    QVERIFY(!runner.step());
    QVERIFY(finished.wait(60'000) || !finished.isEmpty());
    QVERIFY2(runner.result().passed(), qPrintable(problemsOf(runner.result())));
    qint64 firstStep = -1;
    qint64 requested = -1;
    for (const Event &e : runner.lab()->log().forWorker(runner.worker(u"a"_qs)->id())) {
        if (e.kind == EventKind::FirstStep && firstStep < 0)
            firstStep = e.tNs;
        if (e.kind == EventKind::StopRequested && requested < 0)
            requested = e.tNs;
    }
    QVERIFY(firstStep > 0);
    QVERIFY2(requested >= firstStep, qPrintable(QString::number(requested - firstStep)));
}

void TestStepMode::builtinSteppable()
{
    // Every built-in passes when stepped with pauses between clicks (short pauses and a short allowance here: the
    // stretching itself is checked for every worker by pacingStretchesStoppedWorkers).
    QFETCH(QString, name);
    QString error;
    const auto sc = ScenarioCatalogue::load(name, &error);
    QVERIFY2(sc, qPrintable(error));
    if (const char *why = testing::asanSkipReason(*sc))
        QSKIP(why);
    ScenarioRunner runner(*sc);
    runner.setStepped(true, 3000);
    QStringList refusals;
    const ScenarioResult r = stepWithPauses(runner, 300, &refusals);
    if (r.skipped)
        QSKIP(qPrintable(QStringLiteral("skipped: ") + r.skipReason));
    QVERIFY2(refusals.isEmpty(), qPrintable(refusals.join(u"; ")));
    QVERIFY2(r.passed(), qPrintable(problemsOf(r)));
}

QTEST_GUILESS_MAIN(TestStepMode)
#include "tst_stepmode.moc"
