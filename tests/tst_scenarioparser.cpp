// Scenario files: every kind of bad file is refused with the place and the allowed values; good files load.
#include "base/stoplimits.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"

#include <QTest>

using namespace threadlab;

class TestScenarioParser : public QObject
{
    Q_OBJECT
private slots:
    void badFiles_data();
    void badFiles();
    void goodFiles_data();
    void goodFiles();
    void defaultScript();
    void stopFromEvent();
    void tooManyWorkers();
    void truncatedCorpus();
    void missingFile();
};

namespace {

QByteArray minimal(const QByteArray &workers = R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
    const QByteArray &extra = {})
{
    return R"({"format":1,"title":"t","summary":"s","lesson":"l","workers":)" + workers + extra + "}";
}

} // namespace

void TestScenarioParser::badFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("mustContain");

    QTest::newRow("malformed: line and column") << QByteArray("{\n  \"format\": 1,\n  \"title\": \"x\" \"oops\"\n}")
                                                << QStringList { QStringLiteral("bad.json:3:") };
    QTest::newRow("malformed: unterminated")
        << QByteArray("{\"format\": 1,\n\"title\": \"x") << QStringList { QStringLiteral("bad.json:2:") };
    QTest::newRow("not an object") << QByteArray("[1,2]") << QStringList { QStringLiteral("top level") };
    QTest::newRow("wrong format version")
        << QByteArray(R"({"format":2,"title":"t","summary":"s","lesson":"l","workers":[]})")
        << QStringList { QStringLiteral("format"), QStringLiteral("unsupported format version 2"),
               QStringLiteral("allowed: 1") };
    QTest::newRow("missing format") << QByteArray(R"({"title":"t"})")
                                    << QStringList { QStringLiteral("format: missing") };
    QTest::newRow("missing title") << QByteArray(R"({"format":1,"summary":"s","lesson":"l","workers":[]})")
                                   << QStringList { QStringLiteral("title: missing") };
    QTest::newRow("title not a string") << QByteArray(
        R"({"format":1,"title":3,"summary":"s","lesson":"l","workers":[]})")
                                        << QStringList { QStringLiteral("title: must be a string") };
    QTest::newRow("unknown top-level field") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"colour":"red")") << QStringList { QStringLiteral("colour: unknown field"), QStringLiteral("allowed:") };
    QTest::newRow("no workers") << minimal("[]") << QStringList { QStringLiteral("workers: must have at least one") };
    QTest::newRow("unknown backend") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"},
                           {"name":"b","backend":"thread","workload":"sleep-steps"},
                           {"name":"c","backend":"fiber","workload":"sleep-steps"}])")
                                     << QStringList { QStringLiteral("workers[2].backend: unknown backend 'fiber'"),
                                            QStringLiteral(
                                                "allowed: thread, eventloop, concurrent, jthread, process") };
    QTest::newRow("unknown workload") << minimal(R"([{"name":"a","backend":"thread","workload":"nap"}])")
                                      << QStringList { QStringLiteral("workers[0].workload"),
                                             QStringLiteral("unknown workload 'nap'"), QStringLiteral("sleep-steps") };
    QTest::newRow("unknown parameter") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","params":{"colour":1}}])")
                                       << QStringList { QStringLiteral("workers[0].params"), QStringLiteral("colour"),
                                              QStringLiteral("step_ms") };
    QTest::newRow("parameter out of range")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps","params":{"step_ms":0}}])")
        << QStringList { QStringLiteral("workers[0].params"), QStringLiteral("out of range") };
    QTest::newRow("bad choice") << minimal(
        R"([{"name":"a","backend":"thread","workload":"blocking-wait","params":{"wake":"maybe"}}])")
                                << QStringList { QStringLiteral("wake=maybe"), QStringLiteral("none|poll|notify") };
    QTest::newRow("unknown worker field")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps","colour":1}])")
        << QStringList { QStringLiteral("workers[0].colour: unknown field") };
    QTest::newRow("duplicate name") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"},
                           {"name":"a","backend":"thread","workload":"sleep-steps"}])")
                                    << QStringList { QStringLiteral("workers[1].name: duplicate") };
    QTest::newRow("bad worker name") << minimal(R"([{"name":"a b","backend":"thread","workload":"sleep-steps"}])")
                                     << QStringList { QStringLiteral("workers[0].name"), QStringLiteral("allowed") };
    QTest::newRow("unknown stop method") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"nuke"}}])")
                                         << QStringList { QStringLiteral(
                                                              "workers[0].stop.method: unknown stop method 'nuke'"),
                                                QStringLiteral("request, force, escalate") };
    QTest::newRow("unknown action") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"a"},{"at_ms":10,"action":"explode","target":"a"}])")
                                    << QStringList { QStringLiteral("script[1].action: unknown action 'explode'"),
                                           QStringLiteral(
                                               "start, request, force, escalate, sigterm, force-group, pause, resume, "
                                               "recover") };
    QTest::newRow("bad target") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"b"}])")
                                << QStringList { QStringLiteral("script[0].target: no worker named 'b'"),
                                       QStringLiteral("allowed: *, a") };
    QTest::newRow("script too long") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"a"},{"at_ms":600001,"action":"request","target":"a"}])")
                                     << QStringList { QStringLiteral("script[1].at_ms"), QStringLiteral("10 minutes"),
                                            QStringLiteral("0..600000") };
    QTest::newRow("default script too long") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","start_ms":600000,"stop":{"method":"request","after_ms":5}}])")
                                             << QStringList { QStringLiteral("workers[0].stop.after_ms"),
                                                    QStringLiteral("10-minute") };
    QTest::newRow("never started") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps"},{"name":"b","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"a"}])")
                                   << QStringList { QStringLiteral("workers[1]"), QStringLiteral("never started") };
    QTest::newRow("at_ms not an integer") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":1.5,"action":"start","target":"a"}])")
                                          << QStringList { QStringLiteral("script[0].at_ms: must be an integer") };
    QTest::newRow("grace on start") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"a","grace_ms":5}])")
                                    << QStringList { QStringLiteral("script[0]"), QStringLiteral("grace_ms") };
    QTest::newRow("kill timeout out of range") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"force","kill_timeout_ms":0}}])")
                                               << QStringList { QStringLiteral("kill_timeout_ms"),
                                                      KillTimeoutMsRange.text() };
    QTest::newRow("grace out of range") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"request","grace_ms":600001}}])")
                                        << QStringList { QStringLiteral("grace_ms"), GraceMsRange.text() };
    QTest::newRow("expect unknown worker")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
               R"(,"expect":{"zz":{"outcome":"stopped"}})")
        << QStringList { QStringLiteral("expect.zz: no worker named 'zz'"), QStringLiteral("allowed: a") };
    QTest::newRow("expect unknown outcome")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
               R"(,"expect":{"a":{"outcome":["stopped","vanished"]}})")
        << QStringList { QStringLiteral("expect.a.outcome: unknown outcome 'vanished'"),
               QStringLiteral("completed, stopped") };
    QTest::newRow("expect unknown leak kind")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
               R"(,"expect":{"a":{"leaks_present":["socket"]}})")
        << QStringList { QStringLiteral("expect.a.leaks_present: unknown leak kind 'socket'"),
               QStringLiteral("lock, fd, file, thread, memory, process") };
    QTest::newRow("expect unknown field")
        << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])", R"(,"expect":{"a":{"fast":true}})")
        << QStringList { QStringLiteral("expect.a.fast: unknown field") };
    QTest::newRow("from: unknown event") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"force","from":"hello"}}])")
                                         << QStringList { QStringLiteral("workers[0].stop.from"),
                                                QStringLiteral("unknown event 'hello'"),
                                                QStringLiteral("allowed: started, first-step") };
    QTest::newRow("from: not a string") << minimal(
        R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"force","from":1}}])")
                                        << QStringList { QStringLiteral("workers[0].stop.from: must be a string") };
    QTest::newRow("from: every worker") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"action":"start","target":"a"},{"at_ms":5,"from":"started","action":"request","target":"*"}])")
                                        << QStringList { QStringLiteral("script[1].from"),
                                               QStringLiteral("one worker") };
    QTest::newRow("from: on a start") << minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
        R"(,"script":[{"at_ms":0,"from":"started","action":"start","target":"a"}])")
                                      << QStringList { QStringLiteral("script[0].from") };
    QTest::newRow("process-only workload on a thread")
        << minimal(R"([{"name":"a","backend":"thread","workload":"crash"}])")
        << QStringList { QStringLiteral("workers[0]"), QStringLiteral("process") };
}

void TestScenarioParser::badFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, mustContain);
    QString error;
    const auto sc = ScenarioParser::parse(json, QStringLiteral("bad.json"), &error);
    QVERIFY2(!sc, qPrintable(QStringLiteral("accepted: ") + QString::fromUtf8(json)));
    QVERIFY2(error.startsWith(QStringLiteral("bad.json")), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    for (const QString &part : mustContain)
        QVERIFY2(error.contains(part), qPrintable(QStringLiteral("'%1' not in: %2").arg(part, error)));
}

void TestScenarioParser::goodFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("workers");
    QTest::addColumn<int>("steps");
    QTest::newRow("minimal") << minimal() << 1 << 1;
    QTest::newRow("explicit script with every action")
        << minimal(R"([{"name":"a","backend":"concurrent","workload":"sleep-steps","params":{"step_ms":"5"}}])",
               R"(,"script":[{"at_ms":0,"action":"start","target":"*"},{"at_ms":5,"action":"pause","target":"a"},
                          {"at_ms":6,"action":"resume","target":"a"},{"at_ms":7,"action":"request","target":"a","grace_ms":10},
                          {"at_ms":8,"action":"recover"}],
                          "expect":{"a":{"outcome":["stopped","completed"],"leaks_absent":"*","observed_max_ms":100}})")
        << 1 << 5;
    QTest::newRow("optional workload absent or present")
        << minimal(R"([{"name":"a","backend":"process","workload":"crash","params":{"mode":"segv"}}])") << 1 << 1;
    QTest::newRow("pool and settle") << minimal(
        R"([{"name":"a","backend":"concurrent","workload":"cpu-spin"}])", R"(,"pool_threads":2,"settle_ms":1000)")
                                     << 1 << 1;
}

void TestScenarioParser::goodFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(int, workers);
    QFETCH(int, steps);
    QString error;
    const auto sc = ScenarioParser::parse(json, QStringLiteral("good.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    QCOMPARE(sc->workers.size(), workers);
    QCOMPARE(sc->script.size(), steps);
    QCOMPARE(sc->id, QStringLiteral("good"));
}

void TestScenarioParser::defaultScript()
{
    QString error;
    const auto sc = ScenarioParser::parse(
        minimal(
            R"([{"name":"a","backend":"thread","workload":"sleep-steps","stop":{"method":"force","after_ms":300,"kill_timeout_ms":700}},
                        {"name":"b","backend":"thread","workload":"sleep-steps","start_ms":100}])"),
        QStringLiteral("d.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    QCOMPARE(sc->script.size(), 3);
    QVERIFY(sc->script.at(0).action == ScriptAction::Start);
    QCOMPARE(sc->script.at(1).atMs, 100);
    QVERIFY(sc->script.at(2).action == ScriptAction::Force);
    QCOMPARE(sc->script.at(2).atMs, 300);
    QCOMPARE(sc->script.at(2).policy.killTimeoutMs, 700);
    QVERIFY(!sc->scriptGiven);
    // Resolved with defaults: every parameter present, typed.
    QCOMPARE(sc->workers.at(0).params.value(QStringLiteral("step_ms")).toLongLong(), 10);
}

void TestScenarioParser::stopFromEvent()
{
    // after_ms counts from the worker's own event; the order of the script is by the soonest each can run.
    QString error;
    const auto sc = ScenarioParser::parse(
        minimal(
            R"([{"name":"a","backend":"thread","workload":"sleep-steps","start_ms":100,"stop":{"method":"force","after_ms":300,"from":"first-step"}},
                {"name":"b","backend":"thread","workload":"sleep-steps","stop":{"method":"request","after_ms":350}}])"),
        QStringLiteral("d.json"), &error);
    QVERIFY2(sc, qPrintable(error));
    QCOMPARE(sc->script.size(), 4);
    const ScriptStep &force = sc->script.at(3);
    QVERIFY(force.action == ScriptAction::Force);
    QCOMPARE(force.atMs, 300);
    QCOMPARE(force.earliestMs, 400);
    QVERIFY(force.from == EventKind::FirstStep);
    QVERIFY(sc->script.at(2).action == ScriptAction::Request);
    QVERIFY(!sc->script.at(2).from);
    QCOMPARE(sc->lastActionMs(), 400);

    // In an explicit script, at_ms counts from the event, and the soonest is after the target's start.
    const auto explicitScript = ScenarioParser::parse(
        minimal(R"([{"name":"a","backend":"thread","workload":"sleep-steps"}])",
            R"(,"script":[{"at_ms":200,"action":"start","target":"a"},{"at_ms":50,"from":"started","action":"pause","target":"a"}])"),
        QStringLiteral("e.json"), &error);
    QVERIFY2(explicitScript, qPrintable(error));
    QCOMPARE(explicitScript->script.at(1).atMs, 50);
    QCOMPARE(explicitScript->script.at(1).earliestMs, 250);
    QVERIFY(explicitScript->script.at(1).from == EventKind::Started);
}

void TestScenarioParser::tooManyWorkers()
{
    QByteArray workers = "[";
    for (int i = 0; i <= MaxScenarioWorkers; ++i)
        workers += (i ? "," : "") + QByteArray(R"({"name":"w)") + QByteArray::number(i)
            + R"(","backend":"thread","workload":"sleep-steps"})";
    workers += "]";
    QString error;
    QVERIFY(!ScenarioParser::parse(minimal(workers), QStringLiteral("many.json"), &error));
    QVERIFY2(error.contains(QStringLiteral("513 workers is too many (allowed: 1..512)")), qPrintable(error));
}

void TestScenarioParser::truncatedCorpus()
{
    // Every prefix of a real file is either refused with one line naming the file, or parsed fully.
    QFile f(ScenarioCatalogue::builtinPath(QStringLiteral("05-killed-holding-lock")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    for (qsizetype n = 0; n < bytes.size(); n += 7) {
        QString error;
        const auto sc = ScenarioParser::parse(bytes.left(n), QStringLiteral("cut.json"), &error);
        QVERIFY(!sc);
        QVERIFY2(error.startsWith(QStringLiteral("cut.json:")), qPrintable(error));
    }
}

void TestScenarioParser::missingFile()
{
    QString error;
    QVERIFY(!ScenarioCatalogue::load(QStringLiteral("/nonexistent/x.json"), &error));
    QVERIFY2(error.contains(QStringLiteral("built-in:")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestScenarioParser)
#include "tst_scenarioparser.moc"
