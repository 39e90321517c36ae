// The event log is thread-safe, bounded (counting drops), and hands out new events once.
#include "events/eventlog.h"
#include "base/measurements.h"
#include "model/workerfold.h"

#include <QtTest>
#include <thread>
#include <vector>

using namespace threadlab;

class TestEventLog : public QObject
{
    Q_OBJECT
private slots:
    void concurrentAppendsAreAllKept()
    {
        EventLog log;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&log, t] {
                for (int i = 0; i < 10'000; ++i)
                    log.record(t, EventKind::Progress, i);
            });
        for (auto &th : threads)
            th.join();
        QCOMPARE(log.size(), 40'000);
        QCOMPARE(log.forWorker(2).size(), 10'000);
        QCOMPARE(log.dropped(), 0);
    }
    void boundedWithVisibleDrops()
    {
        EventLog log(10);
        for (int i = 0; i < 15; ++i)
            log.record(1, EventKind::Note);
        QCOMPARE(log.size(), 10);
        QCOMPARE(log.dropped(), 5);
    }
    void takeNewHandsOutEachEventOnce()
    {
        EventLog log;
        log.record(1, EventKind::Started);
        QCOMPARE(log.takeNew().size(), 1);
        QCOMPARE(log.takeNew().size(), 0);
        log.record(1, EventKind::Exited);
        QCOMPARE(log.takeNew().size(), 1);
        QCOMPARE(log.all().size(), 2);
    }
    void latenciesComeFromEvents()
    {
        EventList events = {
            { 100, 1, EventKind::StopRequested, 0, {} }, { 150, 1, EventKind::StopObserved, 0, {} },
            { 170, 1, EventKind::CleanupBegin, 0, {} },  { 190, 1, EventKind::CleanupEnd, 0, {} },
            { 200, 1, EventKind::Exited, 0, {} },        { 260, 1, EventKind::Joined, 0, {} },
        };
        const Latencies l = WorkerFold::of(1, events).latencies();
        QCOMPARE(l.observed.value_or(-1), 50);
        QCOMPARE(l.exited.value_or(-1), 100);
        QCOMPARE(l.joined.value_or(-1), 160);
        QCOMPARE(l.cleanup.value_or(-1), 20);
        QVERIFY(!l.kill);
    }
    void percentilesAreNearestRank()
    {
        std::vector<qint64> s;
        for (int i = 1; i <= 100; ++i)
            s.push_back(i);
        const Percentiles p = percentiles(s);
        QCOMPARE(p.p50, 50);
        QCOMPARE(p.p90, 90);
        QCOMPARE(p.p99, 99);
        QCOMPARE(p.max, 100);
    }
    void durationsUseAdaptiveUnits()
    {
        QCOMPARE(formatDuration(812), QStringLiteral("812 ns"));
        QCOMPARE(formatDuration(4'100), QStringLiteral("4.10 µs"));
        QCOMPARE(formatDuration(38'000'000), QStringLiteral("38.0 ms"));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
