// The spawner's steps never pass its "steps" parameter on any backend: the table's "done / total" (once "939 / 500").
#include "lab/lab.h"
#include "lab/livesource.h"
#include "lab/workerfactory.h"
#include "workloads/workload.h"

#include <QSignalSpy>
#include <QTest>

using namespace threadlab;

class TestSpawnerProgress : public QObject
{
    Q_OBJECT
private slots:
    void neverBeyondTotal_data()
    {
        QTest::addColumn<Backend>("backend");
        QTest::newRow("thread") << Backend::Thread;
        QTest::newRow("process") << Backend::Process;
        QTest::newRow("python") << Backend::Python;
    }
    void neverBeyondTotal()
    {
        QFETCH(Backend, backend);
        constexpr qint64 Total = 20;
        WorkerSpec spec;
        spec.backend = backend;
        spec.workload = u"spawner"_qs;
        QString error;
        QVERIFY2(WorkerFactory::resolveParams(backend, spec.workload,
                     { { u"steps"_qs, Total }, { u"step_ms"_qs, 5 }, { u"children"_qs, 1 } }, &spec.params, &error),
            qPrintable(error));
        Lab lab;
        LiveSource source(&lab);
        Worker *w = lab.addWorker(spec, &error);
        QVERIFY2(w, qPrintable(error));
        const int id = w->id();
        qint64 most = 0;
        // Every figure the views are given, as they are given it (batches), is at most the total.
        connect(&source, &RunSource::workersChanged, this, [&] {
            most = std::max(most, source.steps(id));
            QVERIFY2(source.steps(id) <= Total, qPrintable(u"%1 / %2"_qs.arg(source.steps(id)).arg(Total)));
        });
        w->start();
        // The spawner ends by itself after its steps (the process host used to loop until stopped).
        // Its outcome comes after the end (a host's after its reap and leak probe): wait for that, not the end.
        QTRY_VERIFY_WITH_TIMEOUT(
            source.fold(id) && source.fold(id)->hasEnded() && source.fold(id)->outcome() != Outcome::None, 30'000);
        source.sampleNow();
        QCOMPARE(source.steps(id), Total);
        QVERIFY(most <= Total);
        QCOMPARE(toString(source.fold(id)->outcome()), toString(Outcome::Completed));
        lab.shutdown(3000);
    }
};

QTEST_GUILESS_MAIN(TestSpawnerProgress)
#include "tst_spawnerprogress.moc"
