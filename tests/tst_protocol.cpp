// Tests of the worker-host protocol: a data-driven corpus of good and bad lines with exact errors; the splitter.
#include "process/protocol.h"

#include <QTest>

using namespace threadlab;

class TestProtocol : public QObject
{
    Q_OBJECT
private slots:
    void decode_data();
    void decode();
    void roundTrip();
    void splitterLimits();
    void quoteTruncates();
    void commands();
};

void TestProtocol::decode_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error"); // empty: must decode

    const QByteArray hello = R"({"type":"hello","protocol":1,"pid":42,"pgid":42,"clock":"CLOCK_MONOTONIC","t_ns":5})";
    QTest::newRow("hello") << hello << QString();
    QTest::newRow("event") << QByteArray(R"({"type":"event","t_ns":7,"kind":"stop-observed","value":3})") << QString();
    QTest::newRow("event-detail") << QByteArray(R"({"type":"event","t_ns":7,"kind":"note","detail":"x"})") << QString();
    QTest::newRow("progress") << QByteArray(R"({"type":"progress","t_ns":7,"steps":10})") << QString();
    QTest::newRow("resource") << QByteArray(
        R"({"type":"resource","t_ns":7,"action":"acquired","kind":"process","id":99,"what":"c"})")
                              << QString();
    QTest::newRow("bye") << QByteArray(R"({"type":"bye","t_ns":7,"outcome":"stopped"})") << QString();

    QTest::newRow("empty") << QByteArray() << u"empty line"_qs;
    QTest::newRow("blank") << QByteArray("   ") << u"empty line"_qs;
    QTest::newRow("malformed") << QByteArray(R"({"type": "hello", oops})")
                               << u"malformed JSON: unterminated object at offset 19"_qs;
    QTest::newRow("garbage") << QByteArray("hello world") << u"malformed JSON: illegal value at offset 1"_qs;
    QTest::newRow("array") << QByteArray("[1,2]") << u"not a JSON object"_qs;
    QTest::newRow("oversized") << QByteArray(HostMaxLineBytes + 1, 'x')
                               << u"line too long: 65537 bytes (limit 65536)"_qs;
    QTest::newRow("no-type") << QByteArray(R"({"t_ns":1})") << u"message: missing field \"type\""_qs;
    QTest::newRow("type-not-string") << QByteArray(R"({"type":3,"t_ns":1})")
                                     << u"message: field \"type\" must be a string"_qs;
    QTest::newRow("unknown-type") << QByteArray(R"({"type":"telemetry","t_ns":1})")
                                  << u"unknown message type \"telemetry\""_qs;
    QTest::newRow("no-t_ns") << QByteArray(R"({"type":"bye","outcome":"stopped"})")
                             << u"bye: missing field \"t_ns\""_qs;
    QTest::newRow("t_ns-string") << QByteArray(R"({"type":"bye","t_ns":"5","outcome":"stopped"})")
                                 << u"bye: field \"t_ns\" must be an integer"_qs;
    QTest::newRow("t_ns-fraction") << QByteArray(R"({"type":"bye","t_ns":1.5,"outcome":"stopped"})")
                                   << u"bye: field \"t_ns\" must be an integer"_qs;
    QTest::newRow("t_ns-negative") << QByteArray(R"({"type":"bye","t_ns":-1,"outcome":"stopped"})")
                                   << u"bye: field \"t_ns\" must not be negative"_qs;
    QTest::newRow("wrong-version") << QByteArray(
        R"({"type":"hello","protocol":2,"pid":42,"pgid":42,"clock":"CLOCK_MONOTONIC","t_ns":5})")
                                   << u"unsupported protocol version 2 (expected 1)"_qs;
    QTest::newRow("no-version") << QByteArray(
        R"({"type":"hello","pid":42,"pgid":42,"clock":"CLOCK_MONOTONIC","t_ns":5})")
                                << u"hello: missing field \"protocol\""_qs;
    QTest::newRow("wrong-clock") << QByteArray(
        R"({"type":"hello","protocol":1,"pid":42,"pgid":42,"clock":"CLOCK_REALTIME","t_ns":5})")
                                 << u"unsupported clock \"CLOCK_REALTIME\" (expected CLOCK_MONOTONIC)"_qs;
    QTest::newRow("hello-no-pid") << QByteArray(
        R"({"type":"hello","protocol":1,"pgid":42,"clock":"CLOCK_MONOTONIC","t_ns":5})")
                                  << u"hello: missing field \"pid\""_qs;
    QTest::newRow("hello-zero-pid") << QByteArray(
        R"({"type":"hello","protocol":1,"pid":0,"pgid":42,"clock":"CLOCK_MONOTONIC","t_ns":5})")
                                    << u"hello: pid and pgid must be positive"_qs;
    QTest::newRow("event-unknown-kind") << QByteArray(R"({"type":"event","t_ns":7,"kind":"explode"})")
                                        << u"event: unknown kind \"explode\""_qs;
    QTest::newRow("event-no-kind") << QByteArray(R"({"type":"event","t_ns":7})") << u"event: missing field \"kind\""_qs;
    QTest::newRow("event-detail-number") << QByteArray(R"({"type":"event","t_ns":7,"kind":"note","detail":5})")
                                         << u"event: field \"detail\" must be a string"_qs;
    QTest::newRow("progress-negative") << QByteArray(R"({"type":"progress","t_ns":7,"steps":-2})")
                                       << u"progress: field \"steps\" must not be negative"_qs;
    QTest::newRow("resource-bad-action") << QByteArray(
        R"({"type":"resource","t_ns":7,"action":"stolen","kind":"process","id":99})")
                                         << u"resource: field \"action\" must be \"acquired\" or \"released\""_qs;
    QTest::newRow("bye-unknown-outcome") << QByteArray(R"({"type":"bye","t_ns":7,"outcome":"exploded"})")
                                         << u"bye: unknown outcome \"exploded\""_qs;
    QTest::newRow("bye-none") << QByteArray(R"({"type":"bye","t_ns":7,"outcome":"none"})")
                              << u"bye: unknown outcome \"none\""_qs;
}

void TestProtocol::decode()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    QString got;
    const auto m = HostProtocol::decode(line, &got);
    if (error.isEmpty()) {
        QVERIFY2(m.has_value(), qPrintable(got));
        QCOMPARE(m->tNs > 0, true);
    } else {
        QVERIFY(!m.has_value());
        QCOMPARE(got, error);
    }
}

void TestProtocol::roundTrip()
{
    QString error;
    auto strip = [](QByteArray l) {
        l.chop(1);
        return l;
    };
    auto hello = HostProtocol::decode(strip(HostProtocol::encodeHello(10, 11, 12)), &error);
    QVERIFY2(hello, qPrintable(error));
    QVERIFY(hello->type == HostMessage::Type::Hello);
    QCOMPARE(hello->pid, 10);
    QCOMPARE(hello->pgid, 11);
    QCOMPARE(hello->tNs, 12);
    QCOMPARE(hello->protocol, HostProtocolVersion);

    const qint64 bigNs = 1'234'567'890'123'456; // realistic CLOCK_MONOTONIC values survive JSON doubles
    auto event
        = HostProtocol::decode(strip(HostProtocol::encodeEvent(bigNs, EventKind::CleanupEnd, 7, u"d"_qs)), &error);
    QVERIFY2(event, qPrintable(error));
    QCOMPARE(event->tNs, bigNs);
    QCOMPARE(toString(event->kind), toString(EventKind::CleanupEnd));
    QCOMPARE(event->value, 7);
    QCOMPARE(event->detail, u"d"_qs);

    auto bye = HostProtocol::decode(strip(HostProtocol::encodeBye(3, Outcome::Stopped)), &error);
    QVERIFY(bye);
    QCOMPARE(toString(bye->outcome), toString(Outcome::Stopped));

    auto res = HostProtocol::decode(strip(HostProtocol::encodeResource(3, false, u"process"_qs, 77, u"c"_qs)), &error);
    QVERIFY(res);
    QCOMPARE(res->acquired, false);
    QCOMPARE(res->resourceId, 77);

    // Every encoded line is a single line.
    QCOMPARE(HostProtocol::encodeEvent(1, EventKind::Note, 0, u"a\nb"_qs).count('\n'), 1);
}

void TestProtocol::splitterLimits()
{
    HostLineSplitter s;
    QString error;
    QVERIFY(s.feed("{\"a\":1}\n{\"b\"", &error));
    QCOMPARE(s.takeLine().value(), QByteArray("{\"a\":1}"));
    QVERIFY(!s.takeLine());
    QCOMPARE(s.pending(), QByteArray("{\"b\""));
    QVERIFY(s.feed(":2}\n", &error));
    QCOMPARE(s.takeLine().value(), QByteArray("{\"b\":2}"));

    HostLineSplitter big;
    QVERIFY(big.feed(QByteArray(HostMaxLineBytes, 'x'), &error));
    QVERIFY(!big.feed("y", &error)); // the limit holds before any newline arrives
    QCOMPARE(error, u"line too long: more than 65536 bytes without a newline"_qs);
}

void TestProtocol::quoteTruncates()
{
    QCOMPARE(HostProtocol::quote("abc"), u"\"abc\""_qs);
    QCOMPARE(HostProtocol::quote("a\tb"), u"\"a?b\""_qs);
    const QString q = HostProtocol::quote(QByteArray(1000, 'z'), 10);
    QCOMPARE(q, u"\"zzzzzzzzzz\u2026\""_qs);
}

void TestProtocol::commands()
{
    QString error;
    auto stop = HostProtocol::decodeCommand("{\"cmd\":\"stop\"}", &error);
    QVERIFY(stop);
    QVERIFY(stop->type == HostCommand::Type::Stop);
    QVERIFY(!HostProtocol::decodeCommand("{\"cmd\":\"reboot\"}", &error));
    QCOMPARE(error, u"unknown command \"reboot\""_qs);
    QVERIFY(!HostProtocol::decodeCommand("nope", &error));
    QCOMPARE(error, u"malformed command"_qs);
    QByteArray enc = HostProtocol::encodeCommand(HostCommand::Type::Stop);
    enc.chop(1);
    QVERIFY(HostProtocol::decodeCommand(enc, &error));
}

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
