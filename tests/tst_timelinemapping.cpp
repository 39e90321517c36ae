// Tests the timeline's time↔x mapping: round trips, zoom about the cursor, pan, fit, nice axis steps.
#include "../ui/render/timemapping.h"

#include <QTest>

using namespace threadlab;

class TestTimelineMapping : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void zoomKeepsCursorTime_data();
    void zoomKeepsCursorTime();
    void zoomIsClamped();
    void panMovesContent();
    void fitShowsInterval();
    void tickLabelsNeverRepeat_data();
    void tickLabelsNeverRepeat();
};

void TestTimelineMapping::roundTrip_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<double>("nsPerPixel");
    QTest::addColumn<double>("left");
    QTest::newRow("ns scale") << qint64(1'000'000'000'000) << 0.5 << 180.0;
    QTest::newRow("us scale") << qint64(5'123'456'789'012) << 1000.0 << 0.0;
    QTest::newRow("ms scale") << qint64(42) << 1e6 << 10.0;
    QTest::newRow("minutes") << qint64(86'400'000'000'000) << 1e9 << 200.0;
}

void TestTimelineMapping::roundTrip()
{
    QFETCH(qint64, start);
    QFETCH(double, nsPerPixel);
    QFETCH(double, left);
    const TimeMapping m(start, nsPerPixel, left);
    for (double x : { left, left + 1.0, left + 333.5, left + 1999.0 }) {
        const qint64 t = m.timeForX(x);
        QVERIFY2(std::abs(m.xForTime(t) - x) <= 0.5 / std::min(1.0, nsPerPixel) + 1e-6, qPrintable(QString::number(x)));
    }
    for (qint64 dt : { qint64(0), qint64(1), qint64(12345), qint64(987'654'321) }) {
        const qint64 t = start + dt;
        QVERIFY(std::llabs(m.timeForX(m.xForTime(t)) - t) <= std::max<qint64>(1, qint64(nsPerPixel * 1e-6)));
    }
    QCOMPARE(m.xForTime(start), left);
}

void TestTimelineMapping::zoomKeepsCursorTime_data()
{
    QTest::addColumn<double>("nsPerPixel");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("factor");
    QTest::newRow("zoom in 2x at 300") << 1000.0 << 300.0 << 2.0;
    QTest::newRow("zoom out 4x at 900") << 1000.0 << 900.0 << 0.25;
    QTest::newRow("wheel notch at left edge") << 1e6 << 180.0 << 1.25;
    QTest::newRow("deep zoom") << 3.0 << 777.0 << 10.0;
}

void TestTimelineMapping::zoomKeepsCursorTime()
{
    QFETCH(double, nsPerPixel);
    QFETCH(double, x);
    QFETCH(double, factor);
    const TimeMapping m(10'000'000'000, nsPerPixel, 180.0);
    const qint64 before = m.timeForX(x);
    TimeMapping z = m.zoomedAt(x, factor);
    QVERIFY(qAbs(z.nsPerPixel() - nsPerPixel / factor) < 1e-9 * nsPerPixel);
    QVERIFY2(std::llabs(z.timeForX(x) - before) <= 1, qPrintable(QString::number(z.timeForX(x) - before)));
    // Repeated zooms do not drift.
    for (int i = 0; i < 20; ++i)
        z = z.zoomedAt(x, i % 2 ? factor : 1.0 / factor);
    QVERIFY(std::llabs(z.timeForX(x) - before) <= 20);
}

void TestTimelineMapping::zoomIsClamped()
{
    TimeMapping m(0, 1.0);
    for (int i = 0; i < 100; ++i)
        m = m.zoomedAt(50, 10.0);
    QCOMPARE(m.nsPerPixel(), TimeMapping::MinNsPerPixel);
    for (int i = 0; i < 100; ++i)
        m = m.zoomedAt(50, 0.1);
    QCOMPARE(m.nsPerPixel(), TimeMapping::MaxNsPerPixel);
}

void TestTimelineMapping::panMovesContent()
{
    const TimeMapping m(1'000'000, 100.0, 0.0);
    const qint64 t = m.timeForX(400);
    const TimeMapping p = m.panned(50);
    QCOMPARE(p.xForTime(t), 450.0);
    QCOMPARE(p.nsPerPixel(), m.nsPerPixel());
}

void TestTimelineMapping::fitShowsInterval()
{
    const TimeMapping m = TimeMapping::fit(5'000, 1'005'000, 180.0, 1000.0);
    QVERIFY(m.xForTime(5'000) >= 180.0);
    QVERIFY(m.xForTime(1'005'000) <= 1180.0);
    QVERIFY(m.xForTime(5'000) < 180.0 + 50);
    QVERIFY(m.xForTime(1'005'000) > 1180.0 - 50);
    const TimeMapping degenerate = TimeMapping::fit(7, 7, 0.0, 100.0);
    QVERIFY(degenerate.nsPerPixel() > 0);
}

void TestTimelineMapping::tickLabelsNeverRepeat_data()
{
    QTest::addColumn<qint64>("startNs"); // left edge, relative to the run's zero
    QTest::addColumn<double>("nsPerPixel");
    QTest::newRow("whole run, 3 s") << qint64(0) << 3e9 / 1000;
    QTest::newRow("µs near 0") << qint64(-2000) << 10.0;
    QTest::newRow("µs at 1.5 s") << qint64(1'500'000'000) << 100.0;
    QTest::newRow("ns at 2.3 s") << qint64(2'300'000'017) << 0.05;
    QTest::newRow("ms at 12 s") << qint64(12'000'000'000) << 20'000.0;
    QTest::newRow("10 µs at 7 min") << qint64(420'000'000'000) << 120.0;
    QTest::newRow("minutes") << qint64(0) << 600e9 / 1000;
}

void TestTimelineMapping::tickLabelsNeverRepeat()
{
    QFETCH(qint64, startNs);
    QFETCH(double, nsPerPixel);
    // As the renderer does: a step at least 90 px wide, ticks on multiples of it, labels relative to zero.
    const TimeMapping m(startNs, nsPerPixel, 0);
    const qint64 step = TimeMapping::niceStep(m.nsPerPixel(), 90);
    const qint64 first = qint64(std::floor(double(startNs) / double(step))) * step;
    QStringList labels;
    for (qint64 t = first; t <= m.endNs(1000); t += step)
        labels << TimeMapping::tickLabel(t, step);
    QVERIFY2(labels.size() >= 3, qPrintable(labels.join(u", "_qs)));
    for (qsizetype i = 1; i < labels.size(); ++i)
        QVERIFY2(labels[i] != labels[i - 1], qPrintable(labels.join(u", "_qs)));
}

QTEST_GUILESS_MAIN(TestTimelineMapping)
#include "tst_timelinemapping.moc"
