// A real tiny lab run is captured as a Recording that saves, reopens and exports like a hand-built one.
#include "events/eventlog.h"
#include "lab/lab.h"
#include "lab/labcapture.h"
#include "recording/chrometrace.h"
#include "recording/recordingio.h"
#include "recordingfixture.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenariorunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;
using namespace threadlab::testing;

class TestLabRecording : public QObject
{
    Q_OBJECT
private slots:
    void capturesARealRun()
    {
        Lab lab;
        QString error;
        Worker *worker
            = lab.addWorker({ QStringLiteral("sleeper"), Backend::Thread, QStringLiteral("sleep-steps"), {} }, &error);
        // A lab that cannot make a thread worker is broken, never a reason to skip.
        QVERIFY2(worker, qPrintable(QStringLiteral("the lab cannot make a worker: ") + error));
        worker->start();
        QTRY_VERIFY_WITH_TIMEOUT(worker->state() == WorkerState::Running, 10'000);
        QVERIFY(worker->stop(StopMethod::Request, {}, &error));
        QTRY_VERIFY_WITH_TIMEOUT(worker->isFinished() && worker->hasEnded(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(worker->leaksKnown(), 10'000);

        const Recording rec = captureLab(lab, QStringLiteral("live"));
        QCOMPARE(rec.title, QStringLiteral("live"));
        QCOMPARE(rec.events.size(), lab.log().size());
        QCOMPARE(rec.workers.size(), 1);
        const RecordedWorker &w = rec.workers.first();
        QCOMPARE(w.id, worker->id());
        QCOMPARE(w.name, QStringLiteral("sleeper"));
        QCOMPARE(toString(w.outcome), toString(worker->outcome()));
        QCOMPARE(toString(w.outcome), QStringLiteral("stopped"));
        QVERIFY(w.method == StopMethod::Request);
        QVERIFY(w.latencies.observed.has_value());
        QVERIFY(*w.latencies.observed >= 0);
        QVERIFY(!w.params.isEmpty()); // resolved with defaults

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.threadlab.json.gz"));
        QVERIFY2(saveRecordingOfLab(lab, path, &error), qPrintable(error));
        const std::optional<Recording> back = RecordingIO::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->events.size(), rec.events.size());
        QCOMPARE(back->workers.size(), 1);
        QCOMPARE(back->workers.first().params, w.params);

        // Its trace carries the stop request and an arrow to the exit.
        const QJsonArray events = QJsonDocument::fromJson(ChromeTrace::toJson(*back))
                                      .object()
                                      .value(QStringLiteral("traceEvents"))
                                      .toArray();
        int stops = 0;
        int flows = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("name")).toString() == QStringLiteral("stop-requested"))
                ++stops;
            if (e.value(QStringLiteral("ph")).toString() == QStringLiteral("s"))
                ++flows;
        }
        QCOMPARE(stops, 1);
        QCOMPARE(flows, 1);
        QVERIFY2(exportsDisagreeWithFold(*back).isEmpty(), qPrintable(exportsDisagreeWithFold(*back)));
    }

    void sampleExportsAgreeWithTheFold()
    {
        for (bool huge : { false, true }) {
            const Recording rec = sampleRecording(huge);
            QVERIFY2(exportsDisagreeWithFold(rec).isEmpty(), qPrintable(exportsDisagreeWithFold(rec)));
        }
    }

    /// A real scenario run: its result, its recording, the file and every export tell the fold's story, and the
    /// recording holds the scenario's run with its title and id.
    void scenarioRunExportsAgreeWithTheFold()
    {
        QString error;
        const std::optional<Scenario> scenario = ScenarioCatalogue::load(QStringLiteral("01-exit-flag"), &error);
        QVERIFY2(scenario, qPrintable(error));
        Lab lab;
        ScenarioRunner runner(*scenario, &lab);
        QSignalSpy finished(&runner, &ScenarioRunner::finished);
        runner.runLive();
        QVERIFY(finished.wait(60'000));
        const ScenarioResult result = runner.result();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(runner.run().title, scenario->title);

        Recording rec = captureLab(lab, scenario->title);
        QCOMPARE(rec.runs.size(), 1);
        QCOMPARE(rec.runs.first().title, scenario->title);
        QCOMPARE(rec.runs.first().scenario, scenario->id);
        QVERIFY(rec.runs.first().zeroNs > 0);
        QCOMPARE(rec.scenario, scenario->id);
        QCOMPARE(rec.workers.size(), result.workers.size());
        for (const WorkerResult &r : result.workers) {
            const WorkerFold fold = rec.foldOf(r.id);
            QCOMPARE(toString(r.outcome), toString(fold.outcome()));
            QCOMPARE(toString(r.outcomeClass), toString(fold.outcomeClass()));
            QVERIFY(r.latencies.joined == fold.latencies().joined);
            QVERIFY(r.latencies.observed == fold.latencies().observed);
            QVERIFY(!r.latencyLines.isEmpty());
        }
        QVERIFY2(exportsDisagreeWithFold(rec).isEmpty(), qPrintable(exportsDisagreeWithFold(rec)));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("scenario.threadlab.json"));
        QVERIFY2(RecordingIO::save(rec, path, &error), qPrintable(error));
        const std::optional<Recording> back = RecordingIO::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->runs, rec.runs);
        QVERIFY2(exportsDisagreeWithFold(*back).isEmpty(), qPrintable(exportsDisagreeWithFold(*back)));
    }

    /// Runs: workers added together join one run; beginRun() and clearing workers start new ones; a recording
    /// asked for one run holds only that run's workers and events.
    void runsAndRecordingsOfSomeRuns()
    {
        Lab lab;
        QSignalSpy began(&lab, &Lab::runBegan);
        const WorkerSpec quick { QString(), Backend::Thread, QStringLiteral("sleep-steps"),
            { { QStringLiteral("steps"), 2 }, { QStringLiteral("step_ms"), 1 } } };
        Worker *a = lab.addWorker(quick);
        Worker *b = lab.addWorker(quick);
        QVERIFY(a && b);
        QCOMPARE(began.size(), 1);
        QCOMPARE(lab.currentRun().workerIds, QList<int>({ a->id(), b->id() }));
        QCOMPARE(lab.currentRun().title, QStringLiteral("2× thread/sleep-steps"));
        QCOMPARE(lab.currentRun().zeroNs, qint64(-1)); // nothing was started yet
        a->start();
        b->start();
        QTRY_VERIFY_WITH_TIMEOUT(a->hasEnded() && b->hasEnded() && a->leaksKnown() && b->leaksKnown(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(lab.runs().first().zeroNs > 0, 10'000);

        const RunInfo lesson = lab.beginRun(QStringLiteral("A lesson"), QStringLiteral("01-exit-flag"));
        QCOMPARE(began.size(), 2);
        QCOMPARE(lesson.id, 2);
        Worker *c = lab.addWorker(quick);
        QVERIFY(c);
        c->start();
        QTRY_VERIFY_WITH_TIMEOUT(c->hasEnded() && c->leaksKnown(), 10'000);
        QCOMPARE(lab.runs().size(), 2);
        QCOMPARE(lab.runs().at(1).workerIds, QList<int>({ c->id() }));

        lab.clearFinished();
        QCOMPARE(lab.currentRun().id, 0); // the next worker added begins a new run
        Worker *d = lab.addWorker(quick);
        QVERIFY(d);
        QCOMPARE(lab.runs().size(), 3);
        QCOMPARE(lab.currentRun().workerIds, QList<int>({ d->id() }));

        // Only run 2: its one worker, its events, its title and scenario id.
        const Recording only = captureLab(lab, QStringLiteral("part"), { 2 });
        QCOMPARE(only.runs.size(), 1);
        QCOMPARE(only.runs.first().title, QStringLiteral("A lesson"));
        QCOMPARE(only.scenario, QStringLiteral("01-exit-flag"));
        QCOMPARE(only.workers.size(), 1);
        QCOMPARE(only.workers.first().id, c->id());
        QCOMPARE(only.workers.first().workload, QStringLiteral("sleep-steps")); // kept after clearFinished()
        for (const Event &e : only.events)
            QVERIFY(e.worker == c->id() || e.worker == LabWorkerId);
        QCOMPARE(toString(only.workers.first().outcome), QStringLiteral("completed"));

        // All runs by default.
        const Recording all = captureLab(lab, QStringLiteral("all"));
        QCOMPARE(all.runs.size(), 3);
        QCOMPARE(all.workers.size(), 4);
        QVERIFY2(exportsDisagreeWithFold(all).isEmpty(), qPrintable(exportsDisagreeWithFold(all)));
    }
};

QTEST_GUILESS_MAIN(TestLabRecording)
#include "tst_labrecording.moc"
