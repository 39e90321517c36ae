// The event log is thread-safe, bounded in count and bytes (counting drops), and hands out new events once.
#include "base/clock.h"
#include "base/measurements.h"
#include "events/eventlog.h"
#include "events/recorderbench.h"
#include "model/workerfold.h"

#include <QtTest>
#include <algorithm>
#include <future>
#include <latch>
#include <thread>
#include <vector>

using namespace threadlab;

namespace {

bool sameEvent(const Event &a, const Event &b)
{
    return a.tNs == b.tNs && a.worker == b.worker && a.kind == b.kind && a.value == b.value && a.detail == b.detail;
}

bool sameList(const EventList &a, const EventList &b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), sameEvent);
}

EventList filtered(const EventList &events, int worker)
{
    EventList out;
    for (const Event &e : events)
        if (e.worker == worker)
            out.append(e);
    return out;
}

/// Runs `fn(t)` on `threads` threads started together, and joins them.
template <typename Fn> void onThreads(int threads, Fn fn)
{
    std::latch start(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            start.arrive_and_wait();
            fn(t);
        });
    for (auto &th : pool)
        th.join();
}

} // namespace

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
    void manyThreadsLoseNothingUnderCapacity()
    {
        constexpr int Threads = 8;
        constexpr int Events = 25'000;
        EventLog log(Threads * Events);
        onThreads(Threads, [&log](int t) {
            for (int i = 0; i < Events; ++i)
                log.record(t, EventKind::Progress, i);
        });
        QCOMPARE(log.size(), Threads * Events);
        QCOMPARE(log.dropped(), 0);
        // Each thread's events keep their recording order.
        for (int t = 0; t < Threads; ++t) {
            const EventList mine = log.forWorker(t);
            QCOMPARE(mine.size(), Events);
            for (int i = 0; i < Events; ++i)
                QCOMPARE(mine.at(i).value, i);
        }
    }
    void dropCountIsExactOverCapacity()
    {
        constexpr int Threads = 4;
        constexpr int Events = 20'000;
        constexpr qsizetype Capacity = 50'000;
        EventLog log(Capacity);
        onThreads(Threads, [&log](int t) {
            for (int i = 0; i < Events; ++i)
                log.record(t, EventKind::Progress, i);
        });
        // Nothing vanishes, and exactly the events past the capacity are dropped.
        QCOMPARE(log.size(), Capacity);
        QCOMPARE(log.dropped(), Threads * Events - Capacity);
        QCOMPARE(log.all().size(), log.size());
    }
    void perWorkerIndexEqualsFilterOfAll()
    {
        EventLog log;
        EventList batches;
        std::atomic<bool> done { false };
        // Recorders on several threads (workers record their own events) ...
        std::thread recorders([&log, &done] {
            onThreads(3, [&log](int t) {
                for (int i = 0; i < 20'000; ++i)
                    log.record(i % 5, EventKind::Progress, t * 100'000 + i);
            });
            done = true;
        });
        // ... while the owner thread adds host events with their own (older) timestamps and drains batches.
        qint64 i = 0;
        while (!done.load() && i < 50'000) { // bounded: the recorders may be starved on a loaded machine
            log.recordAt(monotonicNowNs() - 1'000'000, int(i % 7), EventKind::Note, i, u"host"_qs);
            ++i;
            if (i % 64 == 0)
                batches += log.takeNew();
        }
        recorders.join();
        batches += log.takeNew();
        const EventList all = log.all();
        QCOMPARE(all.size(), 60'000 + i);
        // takeNew hands out each event once, in the order of all().
        QVERIFY(sameList(batches, all));
        for (int w = 0; w < 7; ++w)
            QVERIFY2(sameList(log.forWorker(w), filtered(all, w)), qPrintable(QString::number(w)));
        QVERIFY(log.forWorker(42).isEmpty());
    }
    void aBatchIsMergedByTimeAndKeepsEachThreadsOrder()
    {
        EventLog log;
        // Both threads stay alive until both recorded, so each has its own buffer.
        std::latch recorded(2);
        std::thread a([&] {
            log.recordAt(10, 1, EventKind::Note, 10);
            log.recordAt(30, 1, EventKind::Note, 30);
            log.recordAt(25, 1, EventKind::Note, 25); // late: stays after 30 (its thread's order)
            recorded.arrive_and_wait();
        });
        std::thread b([&] {
            log.recordAt(20, 2, EventKind::Note, 20);
            recorded.arrive_and_wait();
        });
        a.join();
        b.join();
        const EventList batch = log.takeNew();
        QList<qint64> values;
        for (const Event &e : batch)
            values << e.value;
        QCOMPARE(values, (QList<qint64> { 10, 20, 30, 25 }));
    }
    void boundedInBytes()
    {
        constexpr qsizetype MaxBytes = 64 * 1024;
        EventLog log(1'000'000, MaxBytes);
        const QString detail(500, u'x');
        constexpr int Offered = 1'000;
        for (int i = 0; i < Offered; ++i)
            log.record(1, EventKind::Note, i, i % 2 ? detail : QString());
        QVERIFY(log.dropped() > 0);
        QCOMPARE(log.size() + log.dropped(), Offered);
        QVERIFY2(log.bytes() <= MaxBytes, qPrintable(QString::number(log.bytes())));
        QVERIFY(log.bytes() > MaxBytes / 2);
    }
    void longDetailsAreTruncatedWithAMark()
    {
        EventLog log;
        log.record(1, EventKind::Note, 0, QString(100'000, u'y'));
        log.record(1, EventKind::Note, 0, u"short"_qs);
        const EventList events = log.all();
        QCOMPARE(events.size(), 2);
        const QString &cut = events.at(0).detail;
        QVERIFY(cut.size() < EventLog::MaxDetailChars + 40);
        QVERIFY2(cut.endsWith(u"… [truncated, 100000 chars]"_qs), qPrintable(cut.right(40)));
        QCOMPARE(events.at(1).detail, u"short"_qs);
    }
    void exitedThreadsHandTheirBuffersBack()
    {
        EventLog log;
        constexpr int Waves = 250;
        constexpr int PerWave = 4;
        for (int w = 0; w < Waves; ++w)
            onThreads(PerWave, [&log, w](int t) {
                for (int i = 0; i < 10; ++i)
                    log.record(w * PerWave + t, EventKind::Progress, i);
            });
        QCOMPARE(log.size(), Waves * PerWave * 10);
        // 1000 threads came and went; buffers are reused, so there are only as many as ran at once.
        QVERIFY2(log.threadBuffers() <= PerWave, qPrintable(QString::number(log.threadBuffers())));
        // 10'000 events fit in a few chunks: no chunk per thread was left behind (besides the touched spares the
        // feeder keeps for a lab-sized log).
        QVERIFY2(log.chunks() <= 10'000 / EventLog::ChunkEvents + PerWave + EventLog::FedSpareChunks,
            qPrintable(QString::number(log.chunks())));
    }
    void aLogMayDieBeforeItsThreadsAndViceVersa()
    {
        auto first = std::make_unique<EventLog>();
        EventLog second;
        std::promise<void> recorded;
        std::promise<void> logGone;
        std::thread th([&] {
            first->record(1, EventKind::Started);
            second.record(2, EventKind::Started);
            recorded.set_value();
            logGone.get_future().wait();
            second.record(2, EventKind::Exited); // after `first` died: its own buffer is still right
        });
        recorded.get_future().wait();
        QCOMPARE(first->size(), 1);
        first.reset();
        logGone.set_value();
        th.join(); // the thread exits: gives its buffer of `second` back, skips the dead `first`
        QCOMPARE(second.size(), 2);
        std::thread([&second] { second.record(3, EventKind::Started); }).join();
        QCOMPARE(second.threadBuffers(), 1); // the exited thread's buffer was reused
        QCOMPARE(second.forWorker(3).size(), 1);
    }
    void recorderBenchCountsEveryAppend()
    {
        const RecorderWorstCase w = measureRecorderWorstCase(20'000, 2);
        QCOMPARE(qsizetype(w.appendNs.size()), 20'000);
        QCOMPARE(w.stored, 20'000);
        QCOMPARE(w.dropped, 0);
        // Every append is the recorder's own (the row's figure, blocked ones included) or lost its CPU to the OS
        // or to the hypervisor: counted once.
        QCOMPARE(qint64(w.ownNs.size()) + w.preemptedAppends + w.stolenAppends, qint64(20'000));
        QVERIFY(w.blockedAppends <= qint64(w.ownNs.size()));
        QVERIFY(w.blockedMaxNs <= w.rawMaxNs);
        QVERIFY(w.stolenMaxNs <= w.rawMaxNs);
        QVERIFY(w.stolenAppends == 0 || w.stolenMaxNs > RecorderWorstCase::StolenThresholdNs);
        QVERIFY(w.preemptedAppends <= w.involuntarySwitches);
        if (!w.ownNs.empty())
            QVERIFY(*std::max_element(w.ownNs.begin(), w.ownNs.end()) <= w.rawMaxNs);
        const RecorderCost c = measureRecorderCost(3, 100);
        QCOMPARE(c.perEventPs.size(), std::size_t(3));
    }
    void aLargeLogOwnsItsFeeder()
    {
        const auto threads
            = [] { return QDir(u"/proc/self/task"_qs).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(); };
        const qsizetype before = threads();
        {
            EventLog log; // lab-sized: it starts a feeder that keeps touched chunks ready
            QCOMPARE(threads(), before + 1);
            constexpr int Events = 200'000; // ~800 chunks: the pool is fed many times over
            std::thread([&log] {
                for (int i = 0; i < Events; ++i)
                    log.record(1, EventKind::Progress, i);
            }).join();
            QCOMPARE(log.size(), Events);
            QCOMPARE(log.dropped(), 0);
            QVERIFY2(log.chunks() <= Events / EventLog::ChunkEvents + 2 + EventLog::FedSpareChunks,
                qPrintable(QString::number(log.chunks())));
        }
        QCOMPARE(threads(), before); // the log joined its feeder
        {
            EventLog small(10'000); // small logs (a host's, a child's) start no thread
            QCOMPARE(threads(), before);
        }
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
            { 100, 1, EventKind::StopRequested, 0, {} },
            { 150, 1, EventKind::StopObserved, 0, {} },
            { 170, 1, EventKind::CleanupBegin, 0, {} },
            { 190, 1, EventKind::CleanupEnd, 0, {} },
            { 200, 1, EventKind::Exited, 0, {} },
            { 260, 1, EventKind::Joined, 0, {} },
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
