// Every word of the vocabulary has exactly one spelling, the documented one, and round-trips; one capability table.
#include "base/vocabulary.h"
#include "base/workerphase.h"

#include <QSet>
#include <QtTest>

using namespace threadlab;

namespace {

/// Each value of the list appears once, and each spelling once.
template <typename E> bool oneSpellingEach(const QList<Term<E>> &terms, QString *why)
{
    QSet<int> values;
    QSet<QString> names;
    for (const auto &t : terms) {
        const QString name = QString::fromLatin1(t.name);
        if (values.contains(int(t.value)) || names.contains(name)) {
            *why = QStringLiteral("twice: %1").arg(name);
            return false;
        }
        values.insert(int(t.value));
        names.insert(name);
        if (name.isEmpty() || name != name.toLower() || name.contains(u' ') || name.contains(u'_')) {
            *why = QStringLiteral("not a lower-case, dash-separated word: '%1'").arg(name);
            return false;
        }
        if (QString::fromUtf8(t.description).isEmpty()) {
            *why = QStringLiteral("no description: %1").arg(name);
            return false;
        }
    }
    return true;
}

QStringList methods(const QList<StopMethod> &list)
{
    QStringList out;
    for (StopMethod m : list)
        out << toString(m);
    return out;
}

} // namespace

class TestVocabulary : public QObject
{
    Q_OBJECT
private slots:
    void roundTrips()
    {
        for (const auto &t : backendTerms())
            QVERIFY(backendFromString(toString(t.value)) == t.value);
        for (const auto &t : stopMethodTerms())
            QVERIFY(stopMethodFromString(toString(t.value)) == t.value);
        for (const auto &t : stateTerms())
            QVERIFY(stateFromString(toString(t.value)) == t.value);
        for (const auto &t : outcomeTerms())
            QVERIFY(outcomeFromString(toString(t.value)) == t.value);
        for (const auto &t : eventKindTerms())
            QVERIFY(eventKindFromString(toString(t.value)) == t.value);
        for (const auto &t : outcomeClassTerms())
            QVERIFY(outcomeClassFromString(toString(t.value)) == t.value);
        for (const auto &t : refusalReasonTerms())
            QVERIFY(refusalReasonFromString(toString(t.value)) == t.value);
    }
    void unknownWordsAreRefused()
    {
        QVERIFY(!backendFromString(u"fiber"));
        QVERIFY(!stopMethodFromString(u"Request"));
        QVERIFY(!outcomeFromString(u"Ignored"));
        QVERIFY(!stateFromString(u"cleaning_up"));
        QVERIFY(!eventKindFromString(u"kill_timeout"));
    }
    void eachWordHasOneSpelling()
    {
        QString why;
        QVERIFY2(oneSpellingEach(backendTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(stopMethodTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(stateTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(outcomeTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(eventKindTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(outcomeClassTerms(), &why), qPrintable(why));
        QVERIFY2(oneSpellingEach(refusalReasonTerms(), &why), qPrintable(why));
    }
    void spellingsAreTheDocumentedOnes()
    {
        // Written out here on purpose (not read from the table): a change of spelling must be deliberate.
        QCOMPARE(allNames(backendTerms()),
            QStringList({ u"thread"_qs, u"eventloop"_qs, u"concurrent"_qs, u"jthread"_qs, u"process"_qs, u"python"_qs,
                u"python-process"_qs }));
        QCOMPARE(allNames(stopMethodTerms()),
            QStringList({ u"request"_qs, u"force"_qs, u"escalate"_qs, u"sigterm"_qs, u"force-group"_qs, u"async-exc"_qs,
                u"settrace"_qs, u"interpreter-exit"_qs }));
        QCOMPARE(allNames(stateTerms()),
            QStringList({ u"created"_qs, u"starting"_qs, u"running"_qs, u"paused"_qs, u"stopping"_qs, u"cleaning-up"_qs,
                u"unresponsive"_qs, u"finished"_qs }));
        QCOMPARE(allNames(outcomeTerms()),
            QStringList({ u"none"_qs, u"completed"_qs, u"stopped"_qs, u"ignored"_qs, u"cancelled"_qs, u"killed"_qs,
                u"unresponsive"_qs, u"crashed"_qs, u"failed"_qs }));
        QCOMPARE(allNames(outcomeClassTerms()),
            QStringList({ u"pending"_qs, u"completed"_qs, u"stopped"_qs, u"killed"_qs, u"ignored"_qs,
                u"never-stopped"_qs, u"crashed"_qs }));
        QCOMPARE(allNames(eventKindTerms()),
            QStringList({ u"created"_qs, u"start-requested"_qs, u"started"_qs, u"first-step"_qs, u"stop-requested"_qs,
                u"stop-observed"_qs, u"cleanup-begin"_qs, u"cleanup-end"_qs, u"exited"_qs, u"joined"_qs,
                u"kill-sent"_qs, u"kill-timeout"_qs, u"grace-expired"_qs, u"paused"_qs, u"resumed"_qs, u"progress"_qs,
                u"resource"_qs, u"released"_qs, u"leak"_qs, u"note"_qs, u"outcome"_qs, u"kernel-state"_qs }));
        QCOMPARE(allNames(phaseTerms()),
            QStringList({ u"none"_qs, u"checking"_qs, u"working"_qs, u"sleeping"_qs, u"waiting-lock"_qs,
                u"inside-lock"_qs, u"blocked"_qs, u"cleaning-up"_qs, u"finished"_qs }));
        QCOMPARE(allNames(kernelStateTerms()),
            QStringList(
                { u"unknown"_qs, u"running"_qs, u"sleeping"_qs, u"uninterruptible"_qs, u"zombie"_qs, u"stopped"_qs }));
        QCOMPARE(allNames(refusalReasonTerms()),
            QStringList({ u"not-started"_qs, u"already-ended"_qs, u"needs-process"_qs, u"no-force"_qs, u"no-pause"_qs,
                u"not-running"_qs, u"unsupported"_qs }));
        // Every enum value has its word (toString of an unlisted value would be empty).
        QCOMPARE(toString(WorkerState::Unresponsive), u"unresponsive"_qs);
        QCOMPARE(toString(Outcome::Ignored), u"ignored"_qs);
        QCOMPARE(toString(EventKind::GraceExpired), u"grace-expired"_qs);
        QCOMPARE(toString(EventKind::KillTimeout), u"kill-timeout"_qs);
        QCOMPARE(toString(RefusalReason::NeedsProcess), u"needs-process"_qs);
    }
    void capabilitiesAreOneTable()
    {
        // The documented capabilities, written out: which stop methods each backend has, and pause.
        const QList<BackendCapabilities> &table = backendCapabilities();
        QCOMPARE(table.size(), backendTerms().size());
        for (qsizetype i = 0; i < table.size(); ++i)
            QCOMPARE(toString(table.at(i).backend), toString(backendTerms().at(i).value));
        const QStringList threadMethods { u"request"_qs, u"force"_qs, u"escalate"_qs };
        QCOMPARE(methods(capabilitiesOf(Backend::Thread).stopMethods), threadMethods);
        QCOMPARE(methods(capabilitiesOf(Backend::EventLoop).stopMethods), threadMethods);
        QCOMPARE(methods(capabilitiesOf(Backend::Concurrent).stopMethods), QStringList { u"request"_qs });
        QCOMPARE(methods(capabilitiesOf(Backend::JThread).stopMethods), QStringList { u"request"_qs });
        QCOMPARE(methods(capabilitiesOf(Backend::Process).stopMethods),
            QStringList({ u"request"_qs, u"force"_qs, u"escalate"_qs, u"sigterm"_qs, u"force-group"_qs }));
        QCOMPARE(methods(capabilitiesOf(Backend::Python).stopMethods),
            QStringList({ u"request"_qs, u"escalate"_qs, u"force-group"_qs, u"async-exc"_qs, u"settrace"_qs,
                u"interpreter-exit"_qs }));
        QCOMPARE(methods(capabilitiesOf(Backend::PythonProcess).stopMethods),
            QStringList({ u"request"_qs, u"force"_qs, u"escalate"_qs, u"sigterm"_qs, u"force-group"_qs }));
        QCOMPARE(capabilitiesOf(Backend::Thread).pause, false);
        QCOMPARE(capabilitiesOf(Backend::EventLoop).pause, false);
        QCOMPARE(capabilitiesOf(Backend::Concurrent).pause, true);
        QCOMPARE(capabilitiesOf(Backend::JThread).pause, false);
        QCOMPARE(capabilitiesOf(Backend::Process).pause, true);
        for (const BackendCapabilities &c : table) {
            // A reason exactly where the capability is missing.
            QCOMPARE(QString::fromUtf8(c.noForceWhy).isEmpty(), c.stopMethods.contains(StopMethod::Force));
            QCOMPARE(QString::fromUtf8(c.noPauseWhy).isEmpty(), c.pause);
            for (const auto &m : stopMethodTerms())
                QCOMPARE(bool(backendRefusal(c.backend, m.value)), !c.stopMethods.contains(m.value));
            QCOMPARE(bool(pauseRefusal(c.backend)), !c.pause);
        }
    }
    void refusalsAreValuesWithNeutralWords()
    {
        const auto sigterm = backendRefusal(Backend::Thread, StopMethod::Sigterm);
        QVERIFY(sigterm);
        QCOMPARE(toString(sigterm->reason), u"needs-process"_qs);
        QCOMPARE(describe(*sigterm), u"sigterm signals a process; thread workers run inside the app's own process"_qs);
        const auto force = backendRefusal(Backend::JThread, StopMethod::Force);
        QVERIFY(force);
        QCOMPARE(toString(force->reason), u"no-force"_qs);
        QCOMPARE(describe(*force),
            u"force is not available for jthread: std::thread has no kill; request_stop() only asks"_qs);
        const auto escalate = backendRefusal(Backend::Concurrent, StopMethod::Escalate);
        QVERIFY(escalate);
        QCOMPARE(toString(escalate->reason), u"no-force"_qs);
        QVERIFY(describe(*escalate).startsWith(u"escalate needs force; force is not available for concurrent: "));
        const auto asyncExc = backendRefusal(Backend::Thread, StopMethod::AsyncExc);
        QVERIFY(asyncExc);
        QCOMPARE(toString(asyncExc->reason), u"unsupported"_qs);
        QCOMPARE(describe(*asyncExc), u"async-exc is not available for thread (allowed: request, force, escalate)"_qs);
        QCOMPARE(describe(Refusal { RefusalReason::NotStarted, Backend::Process, StopMethod::Request }),
            u"the worker has not been started"_qs);
        QCOMPARE(describe(Refusal { RefusalReason::AlreadyEnded, Backend::Thread, StopMethod::Force }),
            u"the worker has already finished"_qs);
        QCOMPARE(describe(Refusal { RefusalReason::NotRunning, Backend::Process, std::nullopt }),
            u"the worker is not running"_qs);
        // No engine wording tells the user which front-end option to use.
        for (const auto &b : backendTerms()) {
            for (const auto &m : stopMethodTerms())
                if (const auto r = backendRefusal(b.value, m.value))
                    QVERIFY2(!describe(*r).contains(u"--"), qPrintable(describe(*r)));
            if (const auto r = pauseRefusal(b.value))
                QVERIFY2(!describe(*r).contains(u"--"), qPrintable(describe(*r)));
        }
    }
};

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
