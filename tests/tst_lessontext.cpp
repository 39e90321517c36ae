// Lesson texts: placeholders filled from the fold's measurements, and no built-in lesson with a typed-in timing.
#include "base/workersnapshot.h"
#include "model/workerfold.h"
#include "recording/recordedsource.h"
#include "recording/recording.h"
#include "scenarios/lessontext.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioresult.h"

#include <QTest>

using namespace threadlab;

namespace {

constexpr qint64 Ms = 1'000'000;

Event ev(qint64 ns, EventKind kind, qint64 value = 0, const QString &detail = {})
{
    return Event { ns, 3, kind, value, detail };
}

/// A worker asked to stop at 100 ms that saw it 2 µs later, exited at 101 ms and was joined at 102 ms.
WorkerFold politeFold()
{
    return WorkerFold::of(3,
        { ev(0, EventKind::Created), ev(1 * Ms, EventKind::StartRequested), ev(2 * Ms, EventKind::Started),
            ev(100 * Ms, EventKind::StopRequested, qint64(StopMethod::Request), toString(StopMethod::Request)),
            ev(100 * Ms + 2000, EventKind::StopObserved), ev(101 * Ms, EventKind::Exited),
            ev(102 * Ms, EventKind::Joined),
            ev(102 * Ms, EventKind::Outcome, qint64(Outcome::Stopped), toString(Outcome::Stopped)) });
}

LessonFigureMap sampleFigures()
{
    WorkerSnapshot s;
    s.name = u"polite"_qs;
    s.cpuTimeNs = 40 * Ms;
    s.params = { { u"step_ms"_qs, QVariant::fromValue<qint64>(10) }, { u"raii"_qs, true },
        { u"children"_qs, QVariant::fromValue<qint64>(2) } };
    LessonFigureMap m;
    m.insert(u"polite"_qs, LessonFigures::of(politeFold(), s, 1234));
    LessonFigures waiting; // created, never started, nothing measured
    m.insert(u"waiting"_qs, waiting);
    LessonFigures slow;
    slow.started = true;
    slow.latencies.observed = 50 * Ms;
    slow.steps = 0;
    m.insert(u"slow"_qs, slow);
    return m;
}

} // namespace

class TestLessonText : public QObject
{
    Q_OBJECT

private slots:
    void render_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no placeholder") << u"<p>plain</p>"_qs << u"<p>plain</p>"_qs;
        QTest::newRow("observed") << u"seen in {{polite.observed}}"_qs << u"seen in %1"_qs.arg(formatDuration(2000));
        QTest::newRow("joined") << u"{{polite.joined}}"_qs << formatDuration(2 * Ms);
        QTest::newRow("exited") << u"{{ polite.exited }}"_qs << formatDuration(1 * Ms);
        QTest::newRow("steps") << u"{{polite.steps}} steps"_qs << u"1234 steps"_qs;
        QTest::newRow("cpu") << u"{{polite.cpu}}"_qs << formatDuration(40 * Ms);
        QTest::newRow("outcome") << u"<b>{{polite.outcome}}</b>"_qs << u"<b>stopped</b>"_qs;
        QTest::newRow("duration param") << u"{{polite.step_ms}}"_qs << formatDuration(10 * Ms);
        QTest::newRow("count param") << u"{{polite.children}}"_qs << u"2"_qs;
        QTest::newRow("boolean param") << u"{{polite.raii}}"_qs << u"true"_qs;
        QTest::newRow("kill not measured") << u"{{polite.kill}}"_qs << u"(not measured yet)"_qs;
        QTest::newRow("not started") << u"{{waiting.steps}}/{{waiting.outcome}}"_qs
                                     << u"(not measured yet)/(not measured yet)"_qs;
        QTest::newRow("unknown worker") << u"{{nobody.kill}}"_qs << u"—"_qs;
        QTest::newRow("unknown field") << u"{{polite.colour}}"_qs << u"—"_qs;
        QTest::newRow("no field") << u"{{polite}}"_qs << u"—"_qs;
        QTest::newRow("ratio") << u"{{slow.observed / polite.observed}}×"_qs << u"25000×"_qs;
        QTest::newRow("small ratio") << u"{{polite.observed / slow.observed}}"_qs << u"4e-05"_qs;
        QTest::newRow("ratio below ten") << u"{{polite.joined / polite.exited}}"_qs << u"2"_qs;
        QTest::newRow("not measured in brackets") << u"<p>(joined in {{polite.kill}}) and {{polite.kill}}</p>"_qs
                                                  << u"<p>(joined in not measured yet) and (not measured yet)</p>"_qs;
        QTest::newRow("brackets of an earlier paragraph")
            << u"<p>(open</p><p>{{polite.kill}}</p>"_qs << u"<p>(open</p><p>(not measured yet)</p>"_qs;
        QTest::newRow("ratio not measured") << u"{{polite.kill / polite.joined}}"_qs << u"(not measured yet)"_qs;
        QTest::newRow("ratio by zero") << u"{{polite.joined / slow.steps}}"_qs << u"—"_qs;
        QTest::newRow("ratio of a word") << u"{{polite.outcome / polite.joined}}"_qs << u"—"_qs;
        QTest::newRow("two in a row") << u"{{polite.steps}}{{polite.steps}}"_qs << u"12341234"_qs;
        QTest::newRow("unclosed") << u"{{polite.steps"_qs << u"{{polite.steps"_qs;
    }

    void render()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(LessonText::render(text, sampleFigures()), expected);
    }

    void renderWithoutFiguresNeverFails()
    {
        QCOMPARE(LessonText::render(u"a {{x.kill}} b {{x.kill / y.kill}}"_qs, {}), u"a — b —"_qs);
    }

    void figuresOfAScenarioResult()
    {
        ScenarioResult r;
        WorkerResult w;
        w.id = 1;
        w.name = u"busy"_qs;
        w.latencies.kill = 3 * Ms;
        w.stepsDone = 7;
        w.outcome = Outcome::Killed;
        r.workers << w;
        WorkerResult skipped;
        skipped.name = u"host"_qs;
        skipped.skipped = u"no worker host"_qs;
        r.workers << skipped;
        const LessonFigureMap m = LessonText::figures(r);
        QCOMPARE(LessonText::render(u"{{busy.kill}} {{busy.steps}} {{busy.outcome}} {{host.steps}}"_qs, m),
            u"%1 7 killed (not measured yet)"_qs.arg(formatDuration(3 * Ms)));
    }

    void figuresOfASource()
    {
        // What the GUI's lesson panel and a reopened recording read: the folds of a source, by worker name.
        Recording rec = Recording::startNew(u"lesson"_qs);
        RecordedWorker w;
        w.id = 3;
        w.name = u"polite"_qs;
        w.stepsDone = 9;
        w.params = { { u"step_ms"_qs, QVariant::fromValue<qint64>(10) } };
        rec.workers << w;
        const WorkerFold fold = politeFold();
        rec.events = EventList(fold.events().cbegin(), fold.events().cend());
        rec.runs << RunInfo { 1, u"lesson"_qs, u"x"_qs, 0, { 3 } };
        rec.refold();
        const RecordedSource source(rec);
        const LessonFigureMap m = LessonText::figures(source, { 3, 99 });
        QCOMPARE(m.size(), 1);
        QCOMPARE(LessonText::render(u"{{polite.joined}} {{polite.outcome}} {{polite.steps}} {{polite.step_ms}}"_qs, m),
            u"%1 stopped 9 %2"_qs.arg(formatDuration(2 * Ms), formatDuration(10 * Ms)));
    }

    void typedTimings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("count");
        QTest::newRow("ms") << u"after 300 ms"_qs << 1;
        QTest::newRow("glued") << u"within 5ms"_qs << 1;
        QTest::newRow("µs") << u"took 362 µs"_qs << 1;
        QTest::newRow("decimal s") << u"ended after 2.30 s."_qs << 1;
        QTest::newRow("ns per call") << u"about 2.7 ns/call"_qs << 1;
        QTest::newRow("seconds") << u"a 1 second wait and 30 seconds more"_qs << 2;
        QTest::newRow("placeholder") << u"took {{a.kill}} and {{a.step_ms}}"_qs << 0;
        QTest::newRow("worker name") << u"step-10ms and step-1000ms"_qs << 0;
        QTest::newRow("steps word") << u"2 steps, 3 signals, exit 134"_qs << 0;
        QTest::newRow("identifier") << u"<code>hold_ms</code>, wait(1000)"_qs << 0;
    }

    void typedTimings()
    {
        QFETCH(QString, text);
        QFETCH(int, count);
        QCOMPARE(LessonText::typedTimings(text).size(), count);
    }

    void builtinLessonsTypeInNoTiming_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &n : ScenarioCatalogue::builtinNames())
            QTest::newRow(qPrintable(n)) << n;
    }

    void builtinLessonsTypeInNoTiming()
    {
        QFETCH(QString, name);
        QString error;
        const auto sc = ScenarioCatalogue::load(name, &error);
        QVERIFY2(sc, qPrintable(error));
        // Every number a lesson shows is measured on this run: a typed-in timing would be a claim nobody checks.
        const QStringList typed = LessonText::typedTimings(sc->title + u' ' + sc->summary + u' ' + sc->lesson);
        QVERIFY2(typed.isEmpty(), qPrintable(u"typed-in timings: "_qs + typed.join(u" | "_qs)));
        QHash<QString, Params> params;
        for (const ScenarioWorker &w : sc->workers)
            params.insert(w.name, w.params);
        const QStringList problems = LessonText::problems(sc->lesson, params);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u" | "_qs)));
        // Before a run (the scenario browser's preview): parameters are shown, measurements are not yet.
        const QString preview = LessonText::render(sc->lesson, LessonText::figures(*sc));
        QVERIFY(!preview.contains(u"{{"_qs));
        QVERIFY(!preview.contains(u"—"_qs));
    }

    void problemsNameWhatIsWrong()
    {
        const QHash<QString, Params> params { { u"a"_qs, Params { { u"step_ms"_qs, 5 } } } };
        QVERIFY(LessonText::problems(u"{{a.kill}} {{a.step_ms}} {{a.kill / a.cpu}}"_qs, params).isEmpty());
        const QStringList p = LessonText::problems(u"{{b.kill}} {{a.colour}} {{ nonsense }} {{a b}}"_qs, params);
        QCOMPARE(p.size(), 4);
        QVERIFY(p.at(0).contains(u"no worker named 'b'"_qs));
        QVERIFY(p.at(1).contains(u"no field 'colour'"_qs));
        QVERIFY(p.at(2).contains(u"not worker.field"_qs));
        QVERIFY(p.at(3).contains(u"not a placeholder"_qs));
    }

    void plainText()
    {
        QCOMPARE(LessonText::toPlainText(u"<h3>What</h3><p>a <b>b</b> &lt;c&gt;</p><ul><li>x</li></ul>"_qs),
            u"What:\na b <c>\n- x"_qs);
    }
};

QTEST_GUILESS_MAIN(TestLessonText)
#include "tst_lessontext.moc"
