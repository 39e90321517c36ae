// The real `threadlab` binary: help, version, list, bad input (exit 2, one line) and `run --json -`.
#include "threadlabprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

class TestCli : public QObject
{
    Q_OBJECT

    using Result = ThreadlabResult;

    QString m_binary;

    Result runThreadlab(const QStringList &args, int timeoutMs = 60'000)
    {
        return runThreadlabBinary(m_binary, args, timeoutMs);
    }

private slots:
    void initTestCase()
    {
        const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
        QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
        m_binary = dir + QStringLiteral("/threadlab");
        QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary));
    }

    void succeeds_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--help") << QStringList { u"--help"_qs } << u"Commands:"_qs;
        QTest::newRow("--version") << QStringList { u"--version"_qs } << u"threadlab 0."_qs;
        QTest::newRow("help run") << QStringList { u"help"_qs, u"run"_qs } << u"--stop-after"_qs;
        QTest::newRow("run --help") << QStringList { u"run"_qs, u"--help"_qs } << u"--kill-timeout"_qs;
        QTest::newRow("bench --help") << QStringList { u"bench"_qs, u"--help"_qs } << u"--repeat"_qs;
        QTest::newRow("list") << QStringList { u"list"_qs } << u"Workloads:"_qs;
        QTest::newRow("list backends") << QStringList { u"list"_qs, u"backends"_qs } << u"jthread"_qs;
        QTest::newRow("list workloads") << QStringList { u"list"_qs, u"workloads"_qs } << u"step_us="_qs;
        QTest::newRow("list methods") << QStringList { u"list"_qs, u"methods"_qs } << u"backends: thread"_qs;
        QTest::newRow("run --help exports") << QStringList { u"run"_qs, u"--help"_qs } << u"--measurements"_qs;
        QTest::newRow("scenario --help exports")
            << QStringList { u"scenario"_qs, u"--help"_qs } << u"--screenshot FILE"_qs;
        QTest::newRow("matrix --help exports") << QStringList { u"matrix"_qs, u"--help"_qs } << u"--record FILE"_qs;
        QTest::newRow("help export") << QStringList { u"help"_qs, u"export"_qs } << u"export RECORDING"_qs;
        QTest::newRow("gui --help") << QStringList { u"gui"_qs, u"--help"_qs } << u"gui [RECORDING]"_qs;
        QTest::newRow("--help lists export") << QStringList { u"--help"_qs } << u"  export   convert"_qs;
    }
    void succeeds()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Result r = runThreadlab(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains(expected), r.out.constData());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        const QStringList base { u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs };
        QTest::newRow("unknown command") << QStringList { u"frobnicate"_qs } << u"unknown command 'frobnicate'"_qs;
        QTest::newRow("unknown top option") << QStringList { u"--frob"_qs } << u"frob"_qs;
        QTest::newRow("unknown run option") << base + QStringList { u"--frob"_qs } << u"frob"_qs;
        QTest::newRow("unknown list") << QStringList { u"list"_qs, u"fish"_qs } << u"'fish'"_qs;
        QTest::newRow("unknown help topic") << QStringList { u"help"_qs, u"fish"_qs } << u"'fish'"_qs;
        QTest::newRow("unknown backend") << QStringList { u"run"_qs, u"--backend"_qs, u"fiber"_qs, u"--workload"_qs,
            u"cpu-spin"_qs } << u"unknown backend 'fiber' (allowed: thread, eventloop"_qs;
        QTest::newRow("unknown workload")
            << QStringList { u"run"_qs, u"--workload"_qs, u"knit"_qs } << u"unknown workload 'knit'"_qs;
        QTest::newRow("missing workload") << QStringList { u"run"_qs } << u"--workload is required"_qs;
        QTest::newRow("unknown method") << base + QStringList { u"--stop"_qs, u"nuke"_qs }
                                        << u"unknown stop method 'nuke' (allowed: request"_qs;
        QTest::newRow("unknown parameter") << base + QStringList { u"--param"_qs, u"colour=red"_qs } << u"colour"_qs;
        QTest::newRow("malformed k=v") << base + QStringList { u"--param"_qs, u"step_ms"_qs }
                                       << u"malformed --param 'step_ms'"_qs;
        QTest::newRow("parameter out of range")
            << base + QStringList { u"--param"_qs, u"step_ms=0"_qs } << u"step_ms=0"_qs;
        QTest::newRow("more than 512 workers")
            << base + QStringList { u"--workers"_qs, u"513"_qs } << u"more than 512 workers"_qs;
        QTest::newRow("zero workers") << base + QStringList { u"--workers"_qs, u"0"_qs }
                                      << u"--workers 0 is out of range (allowed: 1..512)"_qs;
        QTest::newRow("workers not a number")
            << base + QStringList { u"--workers"_qs, u"many"_qs } << u"--workers 'many' is not a number"_qs;
        QTest::newRow("repeat out of range") << base + QStringList { u"--repeat"_qs, u"10001"_qs }
                                             << u"--repeat 10001 is out of range (allowed: 1..10000)"_qs;
        QTest::newRow("stop-after out of range")
            << base + QStringList { u"--stop-after"_qs, u"-1"_qs } << u"--stop-after -1 is out of range"_qs;
        QTest::newRow("grace out of range")
            << base + QStringList { u"--grace"_qs, u"600001"_qs } << u"--grace 600001 is out of range"_qs;
        QTest::newRow("kill-timeout out of range") << base + QStringList { u"--kill-timeout"_qs, u"0"_qs }
                                                   << u"--kill-timeout 0 is out of range (allowed: 1..600000)"_qs;
        QTest::newRow("force on concurrent") << QStringList { u"run"_qs, u"--backend"_qs, u"concurrent"_qs,
            u"--workload"_qs, u"sleep-steps"_qs, u"--stop"_qs, u"force"_qs }
                                             << u"--stop force refused for backend concurrent"_qs;
        QTest::newRow("force on jthread") << QStringList { u"run"_qs, u"--backend"_qs, u"jthread"_qs, u"--workload"_qs,
            u"sleep-steps"_qs, u"--stop"_qs, u"force"_qs }
                                          << u"--stop force refused for backend jthread"_qs;
        QTest::newRow("sigterm on thread")
            << base + QStringList { u"--stop"_qs, u"sigterm"_qs } << u"--stop sigterm refused for backend thread"_qs;
        QTest::newRow("bench repeat") << QStringList { u"bench"_qs, u"--repeat"_qs, u"0"_qs }
                                      << u"--repeat 0 is out of range"_qs;
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        const Result r = runThreadlab(args);
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.endsWith(QLatin1Char('\n')), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1); // exactly one line
        QVERIFY2(err.contains(fragment), qPrintable(err));
        QVERIFY2(r.out.isEmpty(), r.out.constData());
    }

    void runJsonMatchesSchema()
    {
        const Result r = runThreadlab({ u"run"_qs, u"--backend"_qs, u"thread"_qs, u"--workload"_qs, u"sleep-steps"_qs,
            u"--param"_qs, u"step_ms=1"_qs, u"--stop"_qs, u"request"_qs, u"--stop-after"_qs, u"20"_qs, u"--repeat"_qs,
            u"3"_qs, u"--json"_qs, u"-"_qs });
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject root = doc.object();
        QCOMPARE(root.value(u"threadlab"_qs).toString(), QStringLiteral(THREADLAB_VERSION));
        const QJsonObject machine = root.value(u"machine"_qs).toObject();
        for (const auto key : { u"cores", u"kernel", u"cpu", u"qt", u"os" })
            QVERIFY2(machine.contains(key), qPrintable(QStringView(key).toString()));
        QVERIFY(machine.value(u"cores"_qs).toInt() >= 1);

        const QJsonArray runs = root.value(u"runs"_qs).toArray();
        QCOMPARE(runs.size(), 3);
        for (const QJsonValue &v : runs) {
            const QJsonObject run = v.toObject();
            QCOMPARE(run.value(u"backend"_qs).toString(), u"thread"_qs);
            QCOMPARE(run.value(u"workload"_qs).toString(), u"sleep-steps"_qs);
            QCOMPARE(run.value(u"method"_qs).toString(), u"request"_qs);
            QCOMPARE(run.value(u"outcome"_qs).toString(), u"stopped"_qs);
            QVERIFY(!run.value(u"worker"_qs).toString().isEmpty());
            QCOMPARE(run.value(u"params"_qs).toObject().value(u"step_ms"_qs).toInt(), 1);
            const QJsonObject lat = run.value(u"latency_ns"_qs).toObject();
            for (const auto key : { u"observed", u"exited", u"joined" }) {
                QVERIFY2(lat.value(key).isDouble(), qPrintable(QStringView(key).toString()));
                QVERIFY(lat.value(key).toDouble() >= 0);
            }
            QVERIFY(lat.contains(u"kill"_qs));
            QVERIFY(lat.value(u"kill"_qs).isNull()); // no kill was sent
            QVERIFY(run.value(u"leaks"_qs).isArray());
            QVERIFY(run.value(u"leaks"_qs).toArray().isEmpty());
            const QJsonArray events = run.value(u"events"_qs).toArray();
            QVERIFY(events.size() >= 4);
            QStringList kinds;
            for (const QJsonValue &e : events) {
                const QJsonObject ev = e.toObject();
                QVERIFY(ev.value(u"t_ns"_qs).isDouble());
                QVERIFY(ev.contains(u"value"_qs));
                QVERIFY(ev.contains(u"detail"_qs));
                kinds << ev.value(u"kind"_qs).toString();
            }
            for (const auto kind : { u"started", u"stop-requested", u"stop-observed", u"joined" })
                QVERIFY2(kinds.contains(QStringView(kind).toString()), qPrintable(kinds.join(u", "_qs)));
        }
        const QJsonObject summary = root.value(u"summary"_qs).toObject();
        QCOMPARE(summary.value(u"outcomes"_qs).toObject().value(u"stopped"_qs).toInt(), 3);
        const QJsonObject lat = summary.value(u"latency_ns"_qs).toObject();
        const QJsonObject observed = lat.value(u"observed"_qs).toObject();
        for (const auto key : { u"p50", u"p90", u"p99", u"max" })
            QVERIFY2(observed.value(key).isDouble(), qPrintable(QStringView(key).toString()));
        QVERIFY(observed.value(u"p50"_qs).toDouble() <= observed.value(u"max"_qs).toDouble());
        QVERIFY(lat.value(u"kill"_qs).isNull());
        // The table went to stderr, so stdout stays pure JSON.
        QVERIFY(QString::fromUtf8(r.err).contains(u"summary: 3 runs: stopped 3"_qs));
    }

    void runTableAndLeak()
    {
        // A raw-locked lab mutex killed inside the lock: the leak is reported and the lab recovered.
        const Result r = runThreadlab({ u"run"_qs, u"--workload"_qs, u"lock-holder"_qs, u"--param"_qs, u"raii=false"_qs,
            u"--param"_qs, u"hold_ms=200"_qs, u"--param"_qs, u"gap_ms=0"_qs, u"--stop"_qs, u"force"_qs,
            u"--stop-after"_qs, u"50"_qs });
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(u"killed"_qs), qPrintable(out));
        QVERIFY2(out.contains(u"lock"_qs) && out.contains(u"leaked"_qs), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
