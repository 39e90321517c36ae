// Comparing two runs: figures equal the folds', lanes aligned at their stop requests, `threadlab compare` bad input.
#include "model/alignedsource.h"
#include "model/runcompare.h"
#include "recording/recordedsource.h"
#include "recordingfixture.h"
#include "threadlabprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace threadlab;
using namespace threadlab::testing;

namespace {

/// The sample recording with every event after a stop request twice as late (B is "slower"), one worker renamed
/// (matched by order) and one worker dropped (A's leftover gets a row of its own).
Recording slowerRecording()
{
    Recording r = sampleRecording();
    QHash<int, qint64> stopAt;
    for (const Event &e : std::as_const(r.events))
        if (e.kind == EventKind::StopRequested && !stopAt.contains(e.worker))
            stopAt.insert(e.worker, e.tNs);
    for (Event &e : r.events)
        if (stopAt.contains(e.worker) && e.tNs > stopAt.value(e.worker))
            e.tNs = stopAt.value(e.worker) + 2 * (e.tNs - stopAt.value(e.worker));
    r.workers[1].name = QStringLiteral("renamed sleeper");
    r.workers[1].cpuTimeNs = 600'000;
    r.workers.removeAt(3); // "pool task"
    for (RunInfo &run : r.runs)
        run.workerIds.removeAll(4);
    r.events.erase(
        std::remove_if(r.events.begin(), r.events.end(), [](const Event &e) { return e.worker == 4; }), r.events.end());
    r.refold();
    return r;
}

std::optional<qint64> latencyOf(const WorkerFold &f, const QString &key)
{
    const Latencies l = f.latencies();
    if (key == u"observed")
        return l.observed;
    if (key == u"exited")
        return l.exited;
    if (key == u"joined")
        return l.joined;
    if (key == u"kill")
        return l.kill;
    if (key == u"cleanup")
        return l.cleanup;
    return std::nullopt;
}

} // namespace

class TestRunCompare : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_binary;

    ThreadlabResult runThreadlab(const QStringList &args) { return runThreadlabBinary(m_binary, args, 60'000); }
    QString save(const Recording &r, const QString &name)
    {
        const QString path = m_tmp.filePath(name);
        QString error;
        if (!RecordingIO::save(r, path, &error))
            qWarning() << error;
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
        if (!dir.isEmpty())
            m_binary = dir + QStringLiteral("/threadlab");
    }

    void figuresAreTheFolds()
    {
        RecordedSource sa(sampleRecording());
        RecordedSource sb(slowerRecording());
        const RunComparison c
            = RunComparison::of(CompareSide::of(sa, std::nullopt, u"A"_qs), CompareSide::of(sb, std::nullopt, u"B"_qs));
        QCOMPARE(c.workers().size(), 5); // four pairs and A's leftover
        int checked = 0;
        for (const ComparedWorker &w : c.workers()) {
            const int idA = w.indexA >= 0 ? c.a().workers[w.indexA].id : -1;
            const int idB = w.indexB >= 0 ? c.b().workers[w.indexB].id : -1;
            for (const CompareFigure &f : w.figures) {
                const auto expect = [&](const RunSource &s, int id) -> std::optional<qint64> {
                    if (id < 0)
                        return std::nullopt;
                    if (f.key == u"cpu") // 0: never sampled, no figure
                        return s.snapshot(id).cpuTimeNs > 0 ? std::optional<qint64>(s.snapshot(id).cpuTimeNs)
                                                            : std::nullopt;
                    if (f.key == u"steps")
                        return s.steps(id);
                    return latencyOf(*s.fold(id), f.key);
                };
                QVERIFY2(f.a == expect(sa, idA), qPrintable(w.name + u" A "_qs + f.key));
                QVERIFY2(f.b == expect(sb, idB), qPrintable(w.name + u" B "_qs + f.key));
                if (f.a && f.b)
                    QCOMPARE(*f.difference(), *f.b - *f.a);
                ++checked;
            }
            if (idA >= 0)
                QVERIFY(w.outcomeA == sa.fold(idA)->outcome());
            if (idB >= 0)
                QVERIFY(w.outcomeB == sb.fold(idB)->outcome());
        }
        QCOMPARE(checked, 5 * int(RunComparison::figureKeys().size()));
        // Matched by name, then by order: "sleeper" (A) meets "renamed sleeper" (B); "pool task" has no B.
        QCOMPARE(c.workers()[0].name, u"spin, \"one\""_qs);
        QCOMPARE(c.workers()[0].indexB, 0);
        const ComparedWorker &sleeper = c.workers()[1];
        QCOMPARE(c.b().workers[sleeper.indexB].name, u"renamed sleeper"_qs);
        const ComparedWorker &pool = c.workers()[3];
        QCOMPARE(pool.name, u"pool task"_qs);
        QCOMPARE(pool.indexB, -1);
        // B is twice as slow after the stop request: B/A of the observed latency is 2.
        const CompareFigure &observed = c.workers()[0].figures[0];
        QCOMPARE(observed.key, u"observed"_qs);
        QCOMPARE(*observed.ratio(), 2.0);
        QCOMPARE(observed.ratioText(), u"2.00×"_qs);
        QVERIFY(observed.differenceText().startsWith(u'+'));
        // The JSON carries the same numbers.
        const QJsonObject json = c.toJson();
        QCOMPARE(json.value(u"format"_qs).toString(), u"threadlab-compare"_qs);
        const QJsonObject first = json.value(u"workers"_qs).toArray().at(0).toObject();
        const QJsonObject fig = first.value(u"figures"_qs).toArray().at(0).toObject();
        QCOMPARE(fig.value(u"a"_qs).toInteger(), *observed.a);
        QCOMPARE(fig.value(u"b_minus_a"_qs).toInteger(), *observed.difference());
    }

    void lanesAlignedAtStop()
    {
        RecordedSource sa(sampleRecording());
        RecordedSource sb(slowerRecording());
        const RunComparison c
            = RunComparison::of(CompareSide::of(sa, std::nullopt, u"A"_qs), CompareSide::of(sb, std::nullopt, u"B"_qs));
        AlignedSource aligned(c);
        QCOMPARE(aligned.workerIds().size(), 9); // 4 pairs + 1
        QCOMPARE(aligned.currentZeroNs(), AlignedSource::AlignZeroNs);
        int stopped = 0;
        for (int id : aligned.workerIds()) {
            const auto [side, index] = aligned.origin(id);
            const CompareSide &s = side == 0 ? c.a() : c.b();
            const WorkerFold &original = *s.folds[index];
            const WorkerFold &lane = *aligned.fold(id);
            // Every lane re-zeroed at its own stop request (or its start request when never asked to stop).
            if (original.times().stopRequested >= 0) {
                QCOMPARE(lane.times().stopRequested, AlignedSource::AlignZeroNs);
                ++stopped;
            } else {
                QCOMPARE(lane.times().startRequested, AlignedSource::AlignZeroNs);
            }
            // The same fold, shifted: its spans, outcome and latencies are the original's.
            QVERIFY(lane.outcome() == original.outcome());
            QVERIFY(lane.latencyLines() == original.latencyLines());
            QCOMPARE(lane.spans().size(), original.spans().size());
            for (qsizetype i = 0; i < lane.spans().size(); ++i)
                QCOMPARE(lane.spans()[i].beginNs + aligned.shiftNs(id), original.spans()[i].beginNs);
            QVERIFY(aligned.snapshot(id).name.startsWith(side == 0 ? u"A · "_qs : u"B · "_qs));
        }
        QCOMPARE(stopped, 4 + 4); // workers 1, 2, 3 and 5 of each side (4, only in A, completed unasked)
        // Pairs lie one under the other: A's lane, then B's.
        QVERIFY(aligned.origin(1) == std::make_pair(0, 0));
        QVERIFY(aligned.origin(2) == std::make_pair(1, 0));
    }

    void cli()
    {
        QVERIFY2(!m_binary.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
        const QString a = save(sampleRecording(), u"a.threadlab.json"_qs);
        const QString b = save(slowerRecording(), u"b.threadlab.json.gz"_qs);
        const ThreadlabResult r = runThreadlab({ u"compare"_qs, a, b });
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(u"B−A"_qs) && out.contains(u"2.00×"_qs) && out.contains(u"sleeper ↔ renamed sleeper"_qs),
            r.out.constData());
        const ThreadlabResult j = runThreadlab({ u"compare"_qs, a, b, u"--json"_qs, u"-"_qs });
        QCOMPARE(j.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(j.out).object();
        RecordedSource sa(sampleRecording());
        RecordedSource sb(slowerRecording());
        const RunComparison c = RunComparison::of(
            CompareSide::of(sa, std::nullopt, u"a.threadlab.json"_qs), CompareSide::of(sb, std::nullopt, u"x"_qs));
        QCOMPARE(json.value(u"workers"_qs), c.toJson().value(u"workers"_qs));
    }

    void cliBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        const QString good = m_tmp.filePath(u"good.threadlab.json"_qs);
        const QString corrupt = m_tmp.filePath(u"corrupt.threadlab.json"_qs);
        const QString empty = m_tmp.filePath(u"empty.threadlab.json"_qs);
        const QString missing = m_tmp.filePath(u"missing.threadlab.json"_qs);
        QTest::newRow("nothing named") << QStringList { u"compare"_qs } << u"compare: name two recordings"_qs;
        QTest::newRow("one recording") << QStringList { u"compare"_qs, good } << u"compare: name two recordings"_qs;
        QTest::newRow("three recordings")
            << QStringList { u"compare"_qs, good, good, good } << u"compare: unexpected argument"_qs;
        QTest::newRow("missing file") << QStringList { u"compare"_qs, good, missing } << missing;
        QTest::newRow("corrupt file") << QStringList { u"compare"_qs, corrupt, good } << corrupt;
        QTest::newRow("no workers") << QStringList { u"compare"_qs, good, empty } << u"no workers to compare"_qs;
        QTest::newRow("json is a directory")
            << QStringList { u"compare"_qs, good, good, u"--json"_qs, m_tmp.path() } << u"--json"_qs;
        QTest::newRow("unknown option") << QStringList { u"compare"_qs, good, good, u"--frob"_qs } << u"frob"_qs;
    }
    void cliBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        QVERIFY2(!m_binary.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
        if (!QFileInfo::exists(m_tmp.filePath(u"good.threadlab.json"_qs))) {
            save(sampleRecording(), u"good.threadlab.json"_qs);
            QFile corrupt(m_tmp.filePath(u"corrupt.threadlab.json"_qs));
            QVERIFY(corrupt.open(QIODevice::WriteOnly));
            corrupt.write("{\"format\": \"threadlab-recording\", \"version\": 2, \"workers\": [");
            corrupt.close();
            save(Recording::startNew(u"nothing"_qs), u"empty.threadlab.json"_qs);
        }
        const ThreadlabResult r = runThreadlab(args);
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains(u'\n'), qPrintable(err)); // one line
        QVERIFY2(err.contains(fragment), qPrintable(err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRunCompare)
#include "tst_runcompare.moc"
