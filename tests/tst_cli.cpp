// The real `threadlab` binary: help, version, list, bad input (exit 2, one line) and `run --json -`.
#include "threadlabprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <sys/stat.h>

class TestCli : public QObject
{
    Q_OBJECT

    using Result = ThreadlabResult;

    QString m_binary;
    QTemporaryDir m_tmp; ///< holds a FIFO, a directory and a regular file for the bad-path rows

    Result runThreadlab(const QStringList &args, int timeoutMs = 60'000)
    {
        return runThreadlabBinary(m_binary, args, timeoutMs);
    }

private slots:
    void initTestCase()
    {
        const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
        QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
        m_binary = dir + QStringLiteral("/threadlab");
        QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary));
    }

    void succeeds_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--help") << QStringList { u"--help"_qs } << u"Commands:"_qs;
        QTest::newRow("--version") << QStringList { u"--version"_qs } << u"threadlab 0."_qs;
        QTest::newRow("help run") << QStringList { u"help"_qs, u"run"_qs } << u"--stop-after"_qs;
        QTest::newRow("run --help") << QStringList { u"run"_qs, u"--help"_qs } << u"--kill-timeout"_qs;
        QTest::newRow("bench --help") << QStringList { u"bench"_qs, u"--help"_qs } << u"--repeat"_qs;
        QTest::newRow("list") << QStringList { u"list"_qs } << u"Workloads:"_qs;
        QTest::newRow("list backends") << QStringList { u"list"_qs, u"backends"_qs } << u"jthread"_qs;
        QTest::newRow("list workloads") << QStringList { u"list"_qs, u"workloads"_qs } << u"step_us="_qs;
        QTest::newRow("list methods") << QStringList { u"list"_qs, u"methods"_qs } << u"backends: thread"_qs;
        QTest::newRow("run --help exports") << QStringList { u"run"_qs, u"--help"_qs } << u"--measurements"_qs;
        QTest::newRow("scenario --help exports")
            << QStringList { u"scenario"_qs, u"--help"_qs } << u"--screenshot <FILE>"_qs;
        QTest::newRow("matrix --help exports") << QStringList { u"matrix"_qs, u"--help"_qs } << u"--record <FILE>"_qs;
        QTest::newRow("version") << QStringList { u"version"_qs } << u"threadlab 0."_qs;
        QTest::newRow("help version") << QStringList { u"help"_qs, u"version"_qs } << u"Usage: threadlab version"_qs;
        QTest::newRow("demo --help") << QStringList { u"demo"_qs, u"--help"_qs } << u"00-demo"_qs;
        QTest::newRow("list scenarios has the demo") << QStringList { u"list"_qs, u"scenarios"_qs } << u"00-demo"_qs;
        QTest::newRow("help export") << QStringList { u"help"_qs, u"export"_qs } << u"export RECORDING"_qs;
        QTest::newRow("gui --help") << QStringList { u"gui"_qs, u"--help"_qs } << u"gui [RECORDING]"_qs;
        QTest::newRow("--help lists export") << QStringList { u"--help"_qs } << u"  export   convert"_qs;
    }
    void succeeds()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Result r = runThreadlab(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains(expected), r.out.constData());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        const QStringList base { u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs };
        QTest::newRow("unknown command") << QStringList { u"frobnicate"_qs } << u"unknown command 'frobnicate'"_qs;
        QTest::newRow("unknown top option") << QStringList { u"--frob"_qs } << u"frob"_qs;
        QTest::newRow("unknown run option") << base + QStringList { u"--frob"_qs } << u"frob"_qs;
        QTest::newRow("unknown list") << QStringList { u"list"_qs, u"fish"_qs } << u"'fish'"_qs;
        QTest::newRow("unknown help topic") << QStringList { u"help"_qs, u"fish"_qs } << u"'fish'"_qs;
        QTest::newRow("unknown backend") << QStringList { u"run"_qs, u"--backend"_qs, u"fiber"_qs, u"--workload"_qs,
            u"cpu-spin"_qs } << u"unknown backend 'fiber' (allowed: thread, eventloop"_qs;
        QTest::newRow("unknown workload")
            << QStringList { u"run"_qs, u"--workload"_qs, u"knit"_qs } << u"unknown workload 'knit'"_qs;
        QTest::newRow("missing workload") << QStringList { u"run"_qs } << u"--workload is required"_qs;
        QTest::newRow("unknown method") << base + QStringList { u"--stop"_qs, u"nuke"_qs }
                                        << u"unknown stop method 'nuke' (allowed: request"_qs;
        QTest::newRow("unknown parameter") << base + QStringList { u"--param"_qs, u"colour=red"_qs } << u"colour"_qs;
        QTest::newRow("malformed k=v") << base + QStringList { u"--param"_qs, u"step_ms"_qs }
                                       << u"malformed parameter 'step_ms'"_qs;
        QTest::newRow("parameter out of range")
            << base + QStringList { u"--param"_qs, u"step_ms=0"_qs } << u"step_ms=0"_qs;
        QTest::newRow("more than 512 workers")
            << base + QStringList { u"--workers"_qs, u"513"_qs } << u"more than 512 workers"_qs;
        QTest::newRow("zero workers") << base + QStringList { u"--workers"_qs, u"0"_qs }
                                      << u"--workers 0 is out of range (allowed: 1..512)"_qs;
        QTest::newRow("workers not a number")
            << base + QStringList { u"--workers"_qs, u"many"_qs } << u"--workers 'many' is not a number"_qs;
        QTest::newRow("repeat out of range") << base + QStringList { u"--repeat"_qs, u"10001"_qs }
                                             << u"--repeat 10001 is out of range (allowed: 1..10000)"_qs;
        QTest::newRow("stop-after out of range")
            << base + QStringList { u"--stop-after"_qs, u"-1"_qs } << u"--stop-after -1 is out of range"_qs;
        QTest::newRow("grace out of range")
            << base + QStringList { u"--grace"_qs, u"600001"_qs } << u"--grace 600001 is out of range"_qs;
        QTest::newRow("kill-timeout out of range") << base + QStringList { u"--kill-timeout"_qs, u"0"_qs }
                                                   << u"--kill-timeout 0 is out of range (allowed: 1..600000)"_qs;
        QTest::newRow("force on concurrent") << QStringList { u"run"_qs, u"--backend"_qs, u"concurrent"_qs,
            u"--workload"_qs, u"sleep-steps"_qs, u"--stop"_qs, u"force"_qs }
                                             << u"--stop force refused for backend concurrent"_qs;
        QTest::newRow("force on jthread") << QStringList { u"run"_qs, u"--backend"_qs, u"jthread"_qs, u"--workload"_qs,
            u"sleep-steps"_qs, u"--stop"_qs, u"force"_qs }
                                          << u"--stop force refused for backend jthread"_qs;
        QTest::newRow("sigterm on thread")
            << base + QStringList { u"--stop"_qs, u"sigterm"_qs } << u"--stop sigterm refused for backend thread"_qs;
        QTest::newRow("bench repeat") << QStringList { u"bench"_qs, u"--repeat"_qs, u"0"_qs }
                                      << u"--repeat 0 is out of range"_qs;
        // Strict numbers: no spaces, signs or leading zeros.
        QTest::newRow("number with a space") << base + QStringList { u"--workers"_qs, u" 5"_qs }
                                             << u"--workers ' 5' is not a number (allowed: 1..512"_qs;
        QTest::newRow("number with a plus")
            << base + QStringList { u"--workers"_qs, u"+5"_qs } << u"--workers '+5' is not a number"_qs;
        QTest::newRow("number with leading zeros")
            << base + QStringList { u"--repeat"_qs, u"00010"_qs } << u"--repeat '00010' is not a number"_qs;
        QTest::newRow("scale nan") << base
                + QStringList { u"--screenshot"_qs, u"/tmp/x.png"_qs, u"--scale"_qs, u"nan"_qs }
                                   << u"--scale 'nan' is not allowed (allowed: 0.5..4"_qs;
        QTest::newRow("param with spaces")
            << base + QStringList { u"--param"_qs, u"step_ms = 5"_qs } << u"malformed parameter 'step_ms = 5'"_qs;
        QTest::newRow("param with a sign") << base + QStringList { u"--param"_qs, u"step_ms=+5"_qs }
                                           << u"parameter step_ms=+5 is not an integer for sleep-steps (allowed: "_qs;
        QTest::newRow("param with leading zeros")
            << base + QStringList { u"--param"_qs, u"step_ms=05"_qs } << u"parameter step_ms=05 is not an integer"_qs;
        QTest::newRow("missing value") << QStringList { u"run"_qs, u"--workload"_qs }
                                       << u"run: missing value after '--workload'"_qs;
        QTest::newRow("empty json") << base + QStringList { u"--json"_qs, QString() } << u"--json needs a file name"_qs;
        QTest::newRow("control characters escaped") << QStringList { u"run"_qs, u"--backend"_qs, u"fi\nber\x1b[31m"_qs,
            u"--workload"_qs, u"cpu-spin"_qs } << u"unknown backend 'fi\\nber\\x1b[31m'"_qs;
        // Qt's own options are checked before any QApplication is made (Qt would abort on them).
        QTest::newRow("-platform nope") << QStringList { u"-platform"_qs, u"nope"_qs }
                                        << u"-platform 'nope' is not an available platform (allowed: "_qs;
        QTest::newRow("gui -platform nope") << QStringList { u"gui"_qs, u"-platform"_qs, u"nope"_qs }
                                            << u"-platform 'nope' is not an available platform"_qs;
        QTest::newRow("bench -platform nope")
            << QStringList { u"bench"_qs, u"-platform"_qs, u"nope"_qs } << u"-platform 'nope'"_qs;
        QTest::newRow("-platform without value")
            << QStringList { u"gui"_qs, u"-platform"_qs } << u"Qt option -platform needs a value (allowed: "_qs;
        QTest::newRow("-style nope") << QStringList { u"gui"_qs, u"-style"_qs, u"nope"_qs }
                                     << u"-style 'nope' is not an available style (allowed: "_qs;
        // Every command parses with QCommandLineParser and words its errors the same way.
        QTest::newRow("scenario unknown option")
            << QStringList { u"scenario"_qs, u"--frob"_qs } << u"scenario: unknown option 'frob' (allowed: --all"_qs;
        QTest::newRow("scenario nothing named") << QStringList { u"scenario"_qs } << u"name a built-in scenario"_qs;
        QTest::newRow("matrix unknown option")
            << QStringList { u"matrix"_qs, u"--frob"_qs } << u"matrix: unknown option 'frob' (allowed: --backends"_qs;
        QTest::newRow("matrix repeat zero") << QStringList { u"matrix"_qs, u"--repeat"_qs, u"0"_qs }
                                            << u"--repeat 0 is out of range (allowed: 1..1000)"_qs;
        QTest::newRow("matrix list with spaces") << QStringList { u"matrix"_qs, u"--backends"_qs,
            u"thread, process"_qs } << u"--backends 'thread, process' is not a comma-separated list"_qs;
        QTest::newRow("matrix unknown backend")
            << QStringList { u"matrix"_qs, u"--backends"_qs, u"fiber"_qs } << u"unknown backend 'fiber'"_qs;
        QTest::newRow("matrix param sign") << QStringList { u"matrix"_qs, u"--workloads"_qs,
            u"sleep-steps:step_ms=+1"_qs } << u"parameter step_ms=+1 is not an integer"_qs;
        QTest::newRow("export unknown option")
            << QStringList { u"export"_qs, u"x.json"_qs, u"--frob"_qs } << u"export: unknown option 'frob'"_qs;
        QTest::newRow("export nothing named") << QStringList { u"export"_qs } << u"export: name one recording"_qs;
        QTest::newRow("demo argument") << QStringList { u"demo"_qs, u"now"_qs }
                                       << u"demo: unexpected argument 'now'"_qs;
        QTest::newRow("version argument")
            << QStringList { u"version"_qs, u"2"_qs } << u"version: unexpected argument '2'"_qs;
        QTest::newRow("list two") << QStringList { u"list"_qs, u"backends"_qs, u"methods"_qs }
                                  << u"list: unexpected argument 'methods'"_qs;
        QTest::newRow("gui three recordings")
            << QStringList { u"gui"_qs, u"a"_qs, u"b"_qs, u"c"_qs } << u"gui: unexpected argument 'c'"_qs;
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        const Result r = runThreadlab(args);
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.endsWith(QLatin1Char('\n')), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1); // exactly one line
        QVERIFY2(err.contains(fragment), qPrintable(err));
        QVERIFY2(r.out.isEmpty(), r.out.constData());
    }

    void badPaths_data()
    {
        QVERIFY(m_tmp.isValid());
        const QString fifo = m_tmp.filePath(u"fifo"_qs);
        const QString dir = m_tmp.filePath(u"dir"_qs);
        if (!QFileInfo::exists(fifo))
            QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        QVERIFY(QDir().mkpath(dir));
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        const QStringList base { u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs };
        // Outputs that exist and are not regular files: refused before anything runs.
        QTest::newRow("json to /dev/null") << base + QStringList { u"--json"_qs, u"/dev/null"_qs }
                                           << u"--json: /dev/null is a device (allowed: a regular file"_qs;
        QTest::newRow("json to /dev/full")
            << base + QStringList { u"--json"_qs, u"/dev/full"_qs } << u"/dev/full is a device"_qs;
        QTest::newRow("csv to a FIFO") << base + QStringList { u"--csv"_qs, fifo } << u"is a FIFO (allowed: "_qs;
        QTest::newRow("record to a directory")
            << base + QStringList { u"--record"_qs, dir } << u"is a directory (allowed: "_qs;
        QTest::newRow("trace to /dev/null")
            << base + QStringList { u"--trace"_qs, u"/dev/null"_qs } << u"--trace: /dev/null is a device"_qs;
        QTest::newRow("scenario json to a FIFO") << QStringList { u"scenario"_qs, u"00-demo"_qs, u"--json"_qs, fifo }
                                                 << u"--json: "_qs + fifo + u" is a FIFO"_qs;
        QTest::newRow("matrix markdown to a directory")
            << QStringList { u"matrix"_qs, u"--markdown"_qs, dir } << u"--markdown: "_qs + dir + u" is a directory"_qs;
        QTest::newRow("bench json to /dev/null")
            << QStringList { u"bench"_qs, u"--json"_qs, u"/dev/null"_qs } << u"/dev/null is a device"_qs;
        // Inputs: only regular files are opened; a FIFO with no writer returns at once.
        QTest::newRow("scenario FIFO") << QStringList { u"scenario"_qs, fifo }
                                       << u"is a FIFO (allowed: a regular file)"_qs;
        QTest::newRow("scenario directory") << QStringList { u"scenario"_qs, dir } << u"is a directory"_qs;
        QTest::newRow("export FIFO") << QStringList { u"export"_qs, fifo, u"--csv"_qs, m_tmp.filePath(u"x.csv"_qs) }
                                     << u"is a FIFO (allowed: a regular file)"_qs;
        QTest::newRow("gui FIFO") << QStringList { u"gui"_qs, fifo } << u"is a FIFO (allowed: a regular file)"_qs;
    }
    void badPaths()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        QElapsedTimer timer;
        timer.start();
        const Result r = runThreadlab(args, 30'000);
        // "At once": far below the runner's timeout (a FIFO opened without O_NONBLOCK would wait forever).
        QVERIFY2(timer.elapsed() < 20'000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(err.count(QLatin1Char('\n')), 1); // exactly one line
        QVERIFY2(err.contains(fragment), qPrintable(err));
    }

    void writeErrorIsExit1()
    {
        // A write that fails at run time (the parent is a regular file: ENOTDIR, also as root) is exit 1 naming it.
        QVERIFY(m_tmp.isValid());
        QFile plain(m_tmp.filePath(u"plain"_qs));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const QString target = m_tmp.filePath(u"plain/out.json"_qs);
        const Result r = runThreadlab({ u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs, u"--param"_qs, u"step_ms=1"_qs,
            u"--stop-after"_qs, u"10"_qs, u"--json"_qs, target });
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(u"cannot write "_qs + target), qPrintable(err));
    }

    void runJsonMatchesSchema()
    {
        const Result r = runThreadlab({ u"run"_qs, u"--backend"_qs, u"thread"_qs, u"--workload"_qs, u"sleep-steps"_qs,
            u"--param"_qs, u"step_ms=1"_qs, u"--stop"_qs, u"request"_qs, u"--stop-after"_qs, u"20"_qs, u"--repeat"_qs,
            u"3"_qs, u"--json"_qs, u"-"_qs });
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject root = doc.object();
        QCOMPARE(root.value(u"threadlab"_qs).toString(), QStringLiteral(THREADLAB_VERSION));
        const QJsonObject machine = root.value(u"machine"_qs).toObject();
        for (const auto key : { u"cores", u"kernel", u"cpu", u"qt", u"os" })
            QVERIFY2(machine.contains(key), qPrintable(QStringView(key).toString()));
        QVERIFY(machine.value(u"cores"_qs).toInt() >= 1);

        const QJsonArray runs = root.value(u"runs"_qs).toArray();
        QCOMPARE(runs.size(), 3);
        for (const QJsonValue &v : runs) {
            const QJsonObject run = v.toObject();
            QCOMPARE(run.value(u"backend"_qs).toString(), u"thread"_qs);
            QCOMPARE(run.value(u"workload"_qs).toString(), u"sleep-steps"_qs);
            QCOMPARE(run.value(u"method"_qs).toString(), u"request"_qs);
            QCOMPARE(run.value(u"outcome"_qs).toString(), u"stopped"_qs);
            QVERIFY(!run.value(u"worker"_qs).toString().isEmpty());
            QCOMPARE(run.value(u"params"_qs).toObject().value(u"step_ms"_qs).toInt(), 1);
            const QJsonObject lat = run.value(u"latency_ns"_qs).toObject();
            for (const auto key : { u"observed", u"exited", u"joined" }) {
                QVERIFY2(lat.value(key).isDouble(), qPrintable(QStringView(key).toString()));
                QVERIFY(lat.value(key).toDouble() >= 0);
            }
            QVERIFY(lat.contains(u"kill"_qs));
            QVERIFY(lat.value(u"kill"_qs).isNull()); // no kill was sent
            QVERIFY(run.value(u"leaks"_qs).isArray());
            QVERIFY(run.value(u"leaks"_qs).toArray().isEmpty());
            const QJsonArray events = run.value(u"events"_qs).toArray();
            QVERIFY(events.size() >= 4);
            QStringList kinds;
            for (const QJsonValue &e : events) {
                const QJsonObject ev = e.toObject();
                QVERIFY(ev.value(u"t_ns"_qs).isDouble());
                QVERIFY(ev.contains(u"value"_qs));
                QVERIFY(ev.contains(u"detail"_qs));
                kinds << ev.value(u"kind"_qs).toString();
            }
            for (const auto kind : { u"started", u"stop-requested", u"stop-observed", u"joined" })
                QVERIFY2(kinds.contains(QStringView(kind).toString()), qPrintable(kinds.join(u", "_qs)));
        }
        const QJsonObject summary = root.value(u"summary"_qs).toObject();
        QCOMPARE(summary.value(u"outcomes"_qs).toObject().value(u"stopped"_qs).toInt(), 3);
        const QJsonObject lat = summary.value(u"latency_ns"_qs).toObject();
        const QJsonObject observed = lat.value(u"observed"_qs).toObject();
        for (const auto key : { u"p50", u"p90", u"p99", u"max" })
            QVERIFY2(observed.value(key).isDouble(), qPrintable(QStringView(key).toString()));
        QVERIFY(observed.value(u"p50"_qs).toDouble() <= observed.value(u"max"_qs).toDouble());
        QVERIFY(lat.value(u"kill"_qs).isNull());
        // The table went to stderr, so stdout stays pure JSON.
        QVERIFY(QString::fromUtf8(r.err).contains(u"summary: 3 runs: stopped 3"_qs));
    }

    void runLinesReadTheFold()
    {
        // A request the busy loop never observes: the words come from the fold, and no "kill took" without a kill.
        const Result r = runThreadlab({ u"run"_qs, u"--backend"_qs, u"thread"_qs, u"--workload"_qs, u"cpu-ignore"_qs,
            u"--param"_qs, u"run_ms=800"_qs, u"--stop"_qs, u"request"_qs, u"--stop-after"_qs, u"100"_qs, u"--grace"_qs,
            u"300"_qs, u"--json"_qs, u"-"_qs });
        QCOMPARE(r.exitCode, 0);
        const QString table = QString::fromUtf8(r.err);
        QVERIFY2(!table.contains(u"kill took"_qs), qPrintable(table));
        const QJsonObject run = QJsonDocument::fromJson(r.out).object().value(u"runs"_qs).toArray().at(0).toObject();
        QVERIFY2(QStringList({ u"ignored"_qs, u"unresponsive"_qs }).contains(run.value(u"outcome"_qs).toString()),
            r.out.constData());
        QVERIFY(run.value(u"latency_ns"_qs).toObject().value(u"kill"_qs).isNull());
        QVERIFY(run.value(u"latency_lines"_qs).isArray());
        for (const QJsonValue &line : run.value(u"latency_lines"_qs).toArray()) {
            QVERIFY(!line.toObject().value(u"label"_qs).toString().contains(u"kill took"_qs));
            QVERIFY2(table.contains(line.toObject().value(u"label"_qs).toString()), qPrintable(table));
        }
        QVERIFY(run.contains(u"headline"_qs));
        QVERIFY(run.contains(u"outcome_class"_qs));
    }

    void listNamesComeFirst_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("known");
        QTest::newRow("backends") << u"backends"_qs << u"thread"_qs;
        QTest::newRow("workloads") << u"workloads"_qs << u"cpu-spin"_qs;
        QTest::newRow("methods") << u"methods"_qs << u"request"_qs;
        QTest::newRow("scenarios") << u"scenarios"_qs << u"01-exit-flag"_qs;
    }
    void listNamesComeFirst()
    {
        // Completion scripts and the man page take the first word of each line.
        QFETCH(QString, what);
        QFETCH(QString, known);
        const Result r = runThreadlab({ u"list"_qs, what });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 2);
        QStringList names;
        for (const QString &line : lines) {
            // A long entry wraps: its continuation lines are indented deeper than two spaces (as the completion
            // script and the man page read them).
            if (line.startsWith(u"   "_qs) && !names.isEmpty())
                continue;
            QVERIFY2(!line.startsWith(u' ') && !line.endsWith(u':'), qPrintable(line));
            names << line.section(u' ', 0, 0);
        }
        QVERIFY2(names.contains(known), qPrintable(names.join(u", ")));
    }

    void listFitsEightyColumns_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("backends") << u"backends"_qs;
        QTest::newRow("workloads") << u"workloads"_qs;
        QTest::newRow("methods") << u"methods"_qs;
    }
    void listFitsEightyColumns()
    {
        // Read at a terminal: every line fits 80 columns and the texts start in one column (after the names).
        QFETCH(QString, what);
        const Result r = runThreadlab({ u"list"_qs, what });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
        qsizetype column = -1;
        for (const QString &line : lines) {
            QVERIFY2(line.size() < 80, qPrintable(line));
            qsizetype text = line.indexOf(u' ');
            if (text < 0)
                continue; // a long name on a line of its own: its text starts on the next line
            while (text < line.size() && line.at(text) == u' ')
                ++text;
            if (column < 0)
                column = text;
            QVERIFY2(text == column, qPrintable(line));
        }
    }

    void listWorkloadsNamesBackends()
    {
        // Each workload says which backends run it: the Python host's workloads include python and python-process,
        // the host-only ones only process.
        const Result r = runThreadlab({ u"list"_qs, u"workloads"_qs });
        QCOMPARE(r.exitCode, 0);
        QHash<QString, QString> entries;
        QString current;
        for (const QString &line : QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts)) {
            if (!line.startsWith(u' '))
                current = line.section(u' ', 0, 0);
            entries[current] += u' ' + line.simplified();
        }
        QVERIFY2(entries.value(u"cpu-ignore"_qs)
                     .contains(u"backends: thread, eventloop, concurrent, jthread, process, python, python-process"_qs),
            qPrintable(entries.value(u"cpu-ignore"_qs)));
        QVERIFY2(entries.value(u"cpu-ignore"_qs).contains(u"python backends also: daemon=false"_qs),
            qPrintable(entries.value(u"cpu-ignore"_qs)));
        QVERIFY2(entries.value(u"crash"_qs).contains(u"backends: process;"_qs), qPrintable(entries.value(u"crash"_qs)));
        QVERIFY2(
            entries.value(u"token-wait"_qs).contains(u"backends: thread, eventloop, concurrent, jthread, process;"_qs),
            qPrintable(entries.value(u"token-wait"_qs)));
    }

    void demoIsTheDemoScenario()
    {
        const Result r = runThreadlab({ u"demo"_qs }, 120'000);
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(u"00-demo"_qs) && out.contains(u"[pass]"_qs), qPrintable(out + QString::fromUtf8(r.err)));
        QVERIFY2(out.contains(u"raw-lock-force"_qs), qPrintable(out));
    }

    void runTableAndLeak()
    {
        // A raw-locked lab mutex killed inside the lock: the leak is reported and the lab recovered.
        const Result r = runThreadlab({ u"run"_qs, u"--workload"_qs, u"lock-holder"_qs, u"--param"_qs, u"raii=false"_qs,
            u"--param"_qs, u"hold_ms=200"_qs, u"--param"_qs, u"gap_ms=0"_qs, u"--stop"_qs, u"force"_qs,
            u"--stop-after"_qs, u"50"_qs });
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(u"killed"_qs), qPrintable(out));
        QVERIFY2(out.contains(u"lock"_qs) && out.contains(u"leaked"_qs), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
