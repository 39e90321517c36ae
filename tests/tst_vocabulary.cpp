// Every word of the vocabulary round-trips between its enum value and its one spelling.
#include "base/vocabulary.h"

#include <QtTest>

using namespace threadlab;

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
    }
    void unknownWordsAreRefused()
    {
        QVERIFY(!backendFromString(u"fiber"));
        QVERIFY(!stopMethodFromString(u"Request"));
    }
    void spellingsAreTheDocumentedOnes()
    {
        QCOMPARE(allNames(backendTerms()),
                 QStringList({ u"thread"_qs, u"eventloop"_qs, u"concurrent"_qs, u"jthread"_qs, u"process"_qs }));
        QCOMPARE(toString(WorkerState::CleaningUp), QStringLiteral("cleaning-up"));
        QCOMPARE(toString(EventKind::StopObserved), QStringLiteral("stop-observed"));
    }
};

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
