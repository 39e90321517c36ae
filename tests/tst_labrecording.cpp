// A real tiny lab run is captured as a Recording that saves, reopens and exports like a hand-built one.
#include "lab/lab.h"
#include "recording/chrometrace.h"
#include "events/eventlog.h"
#include "lab/labcapture.h"
#include "recording/recordingio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;

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
        if (!worker)
            QSKIP(qPrintable(QStringLiteral("the lab cannot make a worker yet: ") + error));
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
    }
};

QTEST_GUILESS_MAIN(TestLabRecording)
#include "tst_labrecording.moc"
