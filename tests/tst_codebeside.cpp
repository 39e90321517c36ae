// Code beside the run and the kernel strip: every workload x backend has an excerpt with its phases marked, the
// phases published by real workers (in-process, in a worker host, in the Python host), the kernel states sampled.
#include "events/eventlog.h"
#include "lab/kernelsampler.h"
#include "lab/lab.h"
#include "model/workerfold.h"
#include "process/protocol.h"
#include "process/pythonworkloads.h"
#include "scenarios/codeexcerpt.h"
#include "workloads/workload.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <unistd.h>

using namespace threadlab;

namespace {

constexpr int ObserveTimeoutMs = 30000; // a cold CPython host on a loaded 2-core machine starts in seconds
constexpr int EndTimeoutMs = 30000;

QStringList workloadsOf(Backend b)
{
    return isPython(b) ? PythonWorkloads::names() : WorkloadRegistry::names(true);
}

} // namespace

class TestCodeBeside : public QObject
{
    Q_OBJECT
private slots:
    void everyWorkloadHasAnExcerpt();
    void everyPhaseHasAMarkedLine();
    void malformedMarkersRefused();
    void phaseLineRoundTrips();
    void phasesObserved_data();
    void phasesObserved();
    void kernelStates_data();
    void kernelStates();
    void readStateOfOwnThread();
};

void TestCodeBeside::everyWorkloadHasAnExcerpt()
{
    for (const auto &term : backendTerms()) {
        const QString backendName = QString::fromLatin1(term.name);
        for (const QString &workload : workloadsOf(term.value)) {
            QString error;
            const auto excerpt = CodeExcerpts::load(workload, term.value, &error);
            QVERIFY2(excerpt, qPrintable(QStringLiteral("%1/%2: %3").arg(backendName, workload, error)));
            QVERIFY2(excerpt->lines.size() >= 5,
                qPrintable(QStringLiteral("%1/%2: too short to read").arg(backendName, workload)));
            QVERIFY2(excerpt->lines.size() <= 30,
                qPrintable(QStringLiteral("%1/%2: %3 lines is not a short excerpt")
                               .arg(backendName, workload)
                               .arg(excerpt->lines.size())));
            // Where the code ends, and (every workload runs some code first) where it works.
            QVERIFY2(excerpt->lineOf(WorkerPhase::Finished) >= 0,
                qPrintable(QStringLiteral("%1/%2: no finished line").arg(backendName, workload)));
            QVERIFY2(excerpt->lineOf(WorkerPhase::Working) >= 0,
                qPrintable(QStringLiteral("%1/%2: no working line").arg(backendName, workload)));
            // Markers never show: the panel shows code, not bookkeeping.
            for (const QString &line : excerpt->lines)
                QVERIFY2(!line.contains(u"//@") && !line.contains(u"#@"), qPrintable(line));
            QVERIFY(!CodeExcerpts::stopCheckOf(term.value).isEmpty());
        }
    }
}

void TestCodeBeside::everyPhaseHasAMarkedLine()
{
    // Each phase a workload publishes (StopContext::setPhase, Ctx.phase in the Python host) is marked in its
    // excerpts; here: the phases of the four lesson workloads, in both languages.
    const QHash<QString, QList<WorkerPhase>> phases {
        { u"cpu-spin"_qs, { WorkerPhase::Checking, WorkerPhase::Working, WorkerPhase::CleaningUp } },
        { u"sleep-steps"_qs, { WorkerPhase::Checking, WorkerPhase::Sleeping, WorkerPhase::CleaningUp } },
        { u"lock-holder"_qs,
            { WorkerPhase::Checking, WorkerPhase::WaitingForLock, WorkerPhase::InsideLock, WorkerPhase::Sleeping,
                WorkerPhase::CleaningUp } },
        { u"blocking-wait"_qs,
            { WorkerPhase::Checking, WorkerPhase::Blocked, WorkerPhase::Sleeping, WorkerPhase::CleaningUp } },
    };
    for (Backend b : { Backend::Thread, Backend::Python }) {
        for (auto it = phases.cbegin(); it != phases.cend(); ++it) {
            const auto excerpt = CodeExcerpts::load(it.key(), b);
            QVERIFY(excerpt);
            for (WorkerPhase p : it.value())
                QVERIFY2(excerpt->lineOf(p) >= 0,
                    qPrintable(
                        QStringLiteral("%1 (%2): no line marked %3").arg(it.key(), excerpt->language, toString(p))));
        }
    }
    // And every phase word is used by some excerpt.
    for (const auto &term : phaseTerms()) {
        if (term.value == WorkerPhase::None)
            continue;
        bool used = false;
        for (const QString &w : WorkloadRegistry::names(true))
            if (const auto e = CodeExcerpts::load(w, Backend::Thread); e && e->lineOf(term.value) >= 0)
                used = true;
        QVERIFY2(used, term.name);
    }
}

void TestCodeBeside::malformedMarkersRefused()
{
    CodeExcerpt e;
    QString error;
    QVERIFY(!CodeExcerpts::parse(u"a();  //@ snoozing\n"_qs, u"//"_qs, &e, &error));
    QVERIFY2(error.contains(u"snoozing") && error.contains(u"sleeping"), qPrintable(error));
    CodeExcerpt ok;
    QVERIFY(
        CodeExcerpts::parse(u"x\nsleep(1);   //@ sleeping\n}  //@ finished cleaning-up\n"_qs, u"//"_qs, &ok, &error));
    QCOMPARE(ok.lines, QStringList({ u"x"_qs, u"sleep(1);"_qs, u"}"_qs }));
    QCOMPARE(ok.lineOf(WorkerPhase::Sleeping), 1);
    QCOMPARE(ok.lineOf(WorkerPhase::CleaningUp), 2);
    QCOMPARE(ok.lineOf(WorkerPhase::Blocked), -1);
}

void TestCodeBeside::phaseLineRoundTrips()
{
    for (const auto &term : phaseTerms()) {
        QString error;
        const QByteArray line = HostProtocol::encodePhase(42, term.value);
        const auto m = HostProtocol::decode(line.trimmed(), &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(int(m->type), int(HostMessage::Type::Phase));
        QCOMPARE(toString(m->phase), toString(term.value));
    }
    QString error;
    QVERIFY(!HostProtocol::decode(R"({"type":"phase","t_ns":1,"phase":"dozing"})", &error));
    QVERIFY2(error.contains(u"dozing") && error.contains(u"inside-lock"), qPrintable(error));
}

void TestCodeBeside::phasesObserved_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<WorkerPhase>("expected");
    const QVariantMap spin { { u"steps"_qs, 1'000'000'000 } };
    const QVariantMap sleep { { u"step_ms"_qs, 40 }, { u"steps"_qs, 100'000 } };
    const QVariantMap lock { { u"hold_ms"_qs, 40 }, { u"gap_ms"_qs, 10 }, { u"steps"_qs, 100'000 } };
    const QVariantMap wait { { u"timeout_ms"_qs, 600'000 } };
    for (Backend b : { Backend::Thread, Backend::JThread, Backend::Process, Backend::Python, Backend::PythonProcess }) {
        const QString n = toString(b);
        QTest::addRow("%s/cpu-spin", qPrintable(n)) << b << u"cpu-spin"_qs << spin << WorkerPhase::Working;
        QTest::addRow("%s/sleep-steps", qPrintable(n)) << b << u"sleep-steps"_qs << sleep << WorkerPhase::Sleeping;
        QTest::addRow("%s/lock-holder", qPrintable(n)) << b << u"lock-holder"_qs << lock << WorkerPhase::InsideLock;
        QTest::addRow("%s/blocking-wait", qPrintable(n)) << b << u"blocking-wait"_qs << wait << WorkerPhase::Blocked;
    }
}

void TestCodeBeside::phasesObserved()
{
    QFETCH(Backend, backend);
    QFETCH(QString, workload);
    QFETCH(QVariantMap, params);
    QFETCH(WorkerPhase, expected);
    const auto excerpt = CodeExcerpts::load(workload, backend);
    QVERIFY(excerpt);

    Lab lab;
    QString error;
    Worker *w = lab.addWorker({ workload, backend, workload, params }, &error);
    QVERIFY2(w, qPrintable(error));
    // Read the phase as the code panel does, at about frame rate, and keep every phase seen.
    QList<WorkerPhase> seen;
    QTimer poll;
    poll.setInterval(5);
    connect(&poll, &QTimer::timeout, this, [&] {
        const WorkerPhase p = w->phase();
        if (seen.isEmpty() || seen.constLast() != p)
            seen << p;
    });
    poll.start();
    w->start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(expected), ObserveTimeoutMs);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(toString(w->phase()), toString(WorkerPhase::Finished), EndTimeoutMs);
    poll.stop();
    // Every phase the worker published is a line of its excerpt: the highlight always has a line to go to.
    for (WorkerPhase p : std::as_const(seen))
        if (p != WorkerPhase::None)
            QVERIFY2(excerpt->lineOf(p) >= 0, qPrintable(QStringLiteral("%1 has no line").arg(toString(p))));
    QCOMPARE(toString(w->snapshot().phase), toString(WorkerPhase::Finished));
}

void TestCodeBeside::kernelStates_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("workload");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<char>("letter");
    const QVariantMap spin { { u"steps"_qs, 1'000'000'000 } };
    const QVariantMap sleep { { u"step_ms"_qs, 200 }, { u"steps"_qs, 100'000 } };
    for (Backend b : { Backend::Thread, Backend::Process, Backend::Python, Backend::PythonProcess }) {
        QTest::addRow("%s/sleeping", qPrintable(toString(b))) << b << u"sleep-steps"_qs << sleep << 'S';
        QTest::addRow("%s/running", qPrintable(toString(b))) << b << u"cpu-spin"_qs << spin << 'R';
    }
}

void TestCodeBeside::kernelStates()
{
    QFETCH(Backend, backend);
    QFETCH(QString, workload);
    QFETCH(QVariantMap, params);
    QFETCH(char, letter);
    Lab lab;
    QString error;
    Worker *w = lab.addWorker({ workload, backend, workload, params }, &error);
    QVERIFY2(w, qPrintable(error));
    QSet<char> letters;
    qint64 startedTid = 0;
    connect(&lab, &Lab::eventsRecorded, this, [&](const EventList &batch) {
        for (const Event &e : batch) {
            if (e.worker != w->id())
                continue;
            if (e.kind == EventKind::KernelState)
                letters.insert(char(e.value));
            if (e.kind == EventKind::Started)
                startedTid = e.value;
        }
    });
    w->start();
    // A positive observation: the sampler recorded the state the workload is in most of the time.
    QTRY_VERIFY_WITH_TIMEOUT(letters.contains(letter), ObserveTimeoutMs);
    QVERIFY(startedTid > 0); // the tid the worker recorded itself is what was sampled
    QVERIFY(lab.kernelSampler().watchedCount() >= 1);
    QVERIFY(w->stop(StopMethod::Request));
    QTRY_VERIFY_WITH_TIMEOUT(w->hasEnded(), EndTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(lab.kernelSampler().watchedCount(), 0, EndTimeoutMs);
    // The fold turns the samples into spans for the strip, never into marks.
    const WorkerFold fold = WorkerFold::of(w->id(), lab.log().forWorker(w->id()));
    QVERIFY(!fold.kernelSpans().isEmpty());
    for (const Event &e : fold.marks())
        QVERIFY(e.kind != EventKind::KernelState);
    bool found = false;
    for (const KernelStateSpan &s : fold.kernelSpans())
        found = found || s.state == kernelStateFromLetter(letter);
    QVERIFY(found);
}

void TestCodeBeside::readStateOfOwnThread()
{
    // This thread is on a CPU while it reads its own stat file.
    QCOMPARE(toString(KernelSampler::readState(::getpid(), ::gettid())), toString(KernelState::Running));
    QCOMPARE(toString(KernelSampler::readState(::getpid(), 0x7ffffff0)), toString(KernelState::Unknown));
    for (const auto &t : kernelStateTerms())
        if (t.value != KernelState::Unknown)
            QCOMPARE(toString(kernelStateFromLetter(letterOf(t.value))), toString(t.value));
}

QTEST_GUILESS_MAIN(TestCodeBeside)
#include "tst_codebeside.moc"
