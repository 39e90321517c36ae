// Workload parameters: defaults, typed values, and one-line refusals that name the bad value and the allowed ones.
#include "base/params.h"
#include "workloads/workload.h"

#include <QtTest>

using namespace threadlab;

class TestParams : public QObject
{
    Q_OBJECT
private slots:
    void everyWorkloadIsDocumented()
    {
        const QStringList expected = { u"cpu-spin"_qs, u"cpu-ignore"_qs, u"sleep-steps"_qs, u"blocking-wait"_qs,
            u"lock-holder"_qs, u"file-writer"_qs, u"spawner"_qs, u"slow-cleanup"_qs };
        const QStringList inProcess = WorkloadRegistry::names(false);
        for (const QString &name : expected)
            QVERIFY2(inProcess.contains(name), qPrintable(name));
        for (const WorkloadInfo &info : WorkloadRegistry::all()) {
            QVERIFY2(!info.description.isEmpty(), qPrintable(info.name));
            QVERIFY2(!info.cancellationPoints.isEmpty(), qPrintable(info.name));
            for (const ParamSpec &p : info.params) {
                QVERIFY2(!p.description.isEmpty(), qPrintable(p.name));
                QVERIFY2(p.defaultValue.isValid(), qPrintable(p.name));
                if (p.type == ParamType::Integer) {
                    QVERIFY2(p.min <= p.defaultValue.toLongLong() && p.defaultValue.toLongLong() <= p.max,
                        qPrintable(info.name + u' ' + p.name));
                } else if (p.type != ParamType::Boolean) {
                    QVERIFY2(p.choices.contains(p.defaultValue.toString()), qPrintable(info.name + u' ' + p.name));
                }
            }
        }
    }

    void defaultsResolve_data()
    {
        QTest::addColumn<QString>("workload");
        for (const QString &name : WorkloadRegistry::names())
            QTest::newRow(qPrintable(name)) << name;
    }
    void defaultsResolve()
    {
        QFETCH(QString, workload);
        Params params;
        QString error;
        QVERIFY2(WorkloadRegistry::resolve(workload, QStringList(), &params, &error), qPrintable(error));
        const WorkloadInfo *info = WorkloadRegistry::find(workload);
        QVERIFY(info);
        QCOMPARE(params.size(), info->params.size());
        for (const ParamSpec &p : info->params)
            QCOMPARE(params.value(p.name), p.defaultValue);
    }

    void typedValues()
    {
        Params params;
        QString error;
        QVERIFY2(WorkloadRegistry::resolve(u"blocking-wait"_qs, { u"wait=pipe"_qs, u"slice_ms=7"_qs }, &params, &error),
            qPrintable(error));
        QCOMPARE(params.value(u"wait"_qs).toString(), u"pipe"_qs);
        QCOMPARE(params.value(u"slice_ms"_qs).typeId(), QMetaType::LongLong);
        QCOMPARE(params.value(u"slice_ms"_qs).toLongLong(), 7);
        QCOMPARE(params.value(u"wake"_qs).toString(), u"notify"_qs);

        for (const auto &[text, value] : { std::pair { u"true"_qs, true }, std::pair { u"1"_qs, true },
                 std::pair { u"false"_qs, false }, std::pair { u"0"_qs, false } }) {
            QVERIFY2(WorkloadRegistry::resolve(u"lock-holder"_qs, { u"raii="_qs + text }, &params, &error),
                qPrintable(error));
            QCOMPARE(params.value(u"raii"_qs).typeId(), QMetaType::Bool);
            QCOMPARE(params.value(u"raii"_qs).toBool(), value);
        }

        // Typed values from a map (scenario files, the GUI).
        QVariantMap given { { u"steps"_qs, 5 }, { u"raii"_qs, false } };
        QVERIFY2(WorkloadRegistry::resolve(u"lock-holder"_qs, given, &params, &error), qPrintable(error));
        QCOMPARE(params.value(u"steps"_qs).toLongLong(), 5);
        QCOMPARE(params.value(u"raii"_qs).toBool(), false);

        QVERIFY2(WorkloadRegistry::resolve(u"spawner"_qs, { u"child_workload=cpu-spin"_qs }, &params, &error),
            qPrintable(error));
        QCOMPARE(params.value(u"child_workload"_qs).toString(), u"cpu-spin"_qs);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("workload");
        QTest::addColumn<QStringList>("assignments");
        QTest::addColumn<QString>("message");

        QTest::newRow("unknown workload") << u"fibers"_qs << QStringList()
                                          << u"unknown workload 'fibers' (allowed: cpu-spin, cpu-ignore, sleep-steps, "
                                             "blocking-wait, lock-holder, file-writer, spawner, slow-cleanup"_qs;
        QTest::newRow("unknown parameter")
            << u"cpu-spin"_qs << QStringList { u"speed=3"_qs }
            << u"unknown parameter 'speed' for workload cpu-spin (allowed: step_us, check_every, steps)"_qs;
        QTest::newRow("malformed: no =") << u"cpu-spin"_qs << QStringList { u"steps"_qs }
                                         << u"malformed parameter 'steps': expected key=value"_qs;
        QTest::newRow("malformed: no key")
            << u"cpu-spin"_qs << QStringList { u"=5"_qs } << u"malformed parameter '=5': expected key=value"_qs;
        QTest::newRow("out of range low")
            << u"cpu-spin"_qs << QStringList { u"step_us=0"_qs }
            << u"parameter step_us=0 is out of range for cpu-spin (allowed: 1..100000)"_qs;
        QTest::newRow("out of range high")
            << u"sleep-steps"_qs << QStringList { u"step_ms=60001"_qs }
            << u"parameter step_ms=60001 is out of range for sleep-steps (allowed: 1..60000)"_qs;
        QTest::newRow("not an integer")
            << u"sleep-steps"_qs << QStringList { u"steps=ten"_qs }
            << u"parameter steps=ten is not an integer for sleep-steps (allowed: 1..100000000)"_qs;
        QTest::newRow("bad bool")
            << u"lock-holder"_qs << QStringList { u"raii=yes"_qs }
            << u"parameter raii=yes is not a boolean for lock-holder (allowed: true|false|1|0)"_qs;
        QTest::newRow("bad choice")
            << u"blocking-wait"_qs << QStringList { u"wait=socket"_qs }
            << u"parameter wait=socket is not a valid choice for blocking-wait (allowed: condition|pipe|sleep)"_qs;
        QTest::newRow("spawner cannot spawn spawners")
            << u"spawner"_qs << QStringList { u"child_workload=spawner"_qs }
            << u"parameter child_workload=spawner is not an allowed workload for spawner (allowed: "
               "cpu-spin|cpu-ignore|sleep-steps|blocking-wait|lock-holder|file-writer|slow-cleanup|blocked-read|pool-shutdown|token-wait|timer-loop)"_qs;
    }
    void badInput()
    {
        QFETCH(QString, workload);
        QFETCH(QStringList, assignments);
        QFETCH(QString, message);
        Params params;
        QString error;
        QVERIFY(!WorkloadRegistry::resolve(workload, assignments, &params, &error));
        QVERIFY2(error.startsWith(message), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
    }

    void synopsis()
    {
        const WorkloadInfo *spin = WorkloadRegistry::find(u"cpu-spin"_qs);
        QVERIFY(spin);
        QCOMPARE(spin->params.first().synopsis(), u"step_us=100 (1..100000)"_qs);
        const WorkloadInfo *lock = WorkloadRegistry::find(u"lock-holder"_qs);
        QVERIFY(lock);
        QCOMPARE(lock->params.at(3).synopsis(), u"raii=true (true|false)"_qs);
        QCOMPARE(lock->params.last().synopsis(), u"invariant=false (true|false)"_qs);
        const WorkloadInfo *wait = WorkloadRegistry::find(u"blocking-wait"_qs);
        QVERIFY(wait);
        QCOMPARE(wait->params.first().synopsis(), u"wait=condition (condition|pipe|sleep)"_qs);
    }

    void createsEveryInProcessWorkload()
    {
        for (const QString &name : WorkloadRegistry::names(false)) {
            Params params;
            QVERIFY(WorkloadRegistry::resolve(name, QStringList(), &params, nullptr));
            QVERIFY2(WorkloadRegistry::create(name, params), qPrintable(name));
        }
        QVERIFY(!WorkloadRegistry::create(u"nope"_qs, {}));
    }
};

QTEST_GUILESS_MAIN(TestParams)
#include "tst_params.moc"
