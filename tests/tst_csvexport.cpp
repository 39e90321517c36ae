// The CSV exports parse back (RFC 4180) with commas, quotes and line breaks intact; the Markdown table is well-formed.
#include "recording/csvexport.h"
#include "recordingfixture.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;
using namespace threadlab::testing;

namespace {

using Row = QStringList;

/// A small, strict RFC 4180 parser: records end in CRLF; quoted fields may hold commas, CR, LF and "" for a quote.
std::optional<QList<Row>> parseCsv(const QString &text, QString *error)
{
    QList<Row> rows;
    Row row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < n && text[i + 1] == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    i += 2;
                    continue;
                }
                quoted = false;
                ++i;
                if (i < n && text[i] != QLatin1Char(',') && text[i] != QLatin1Char('\r')) {
                    *error = QStringLiteral("garbage after a closing quote at %1").arg(i);
                    return std::nullopt;
                }
                continue;
            }
            field += c;
            ++i;
            continue;
        }
        if (c == QLatin1Char('"')) {
            if (fieldStarted) {
                *error = QStringLiteral("quote inside an unquoted field at %1").arg(i);
                return std::nullopt;
            }
            quoted = true;
            fieldStarted = true;
            ++i;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            fieldStarted = false;
            ++i;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= n || text[i + 1] != QLatin1Char('\n')) {
                *error = QStringLiteral("bare CR at %1").arg(i);
                return std::nullopt;
            }
            row << field;
            rows << row;
            row.clear();
            field.clear();
            fieldStarted = false;
            i += 2;
        } else if (c == QLatin1Char('\n')) {
            *error = QStringLiteral("bare LF outside quotes at %1").arg(i);
            return std::nullopt;
        } else {
            field += c;
            fieldStarted = true;
            ++i;
        }
    }
    if (quoted) {
        *error = QStringLiteral("unterminated quoted field");
        return std::nullopt;
    }
    if (fieldStarted || !row.isEmpty()) {
        *error = QStringLiteral("last record lacks its CRLF");
        return std::nullopt;
    }
    return rows;
}

QString ns(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : QString();
}

} // namespace

class TestCsvExport : public QObject
{
    Q_OBJECT
private slots:
    void fieldQuoting_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("plain") << QStringLiteral("plain");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("crlf") << QStringLiteral("a\r\nb") << QStringLiteral("\"a\r\nb\"");
        QTest::newRow("unicode") << QStringLiteral("µs · ok") << QStringLiteral("µs · ok");
    }
    void fieldQuoting()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(CsvExport::field(value), expected);
        QString error;
        const auto rows = parseCsv(CsvExport::field(value) + QStringLiteral(",x\r\n"), &error);
        QVERIFY2(rows, qPrintable(error));
        QCOMPARE(rows->first(), (Row { value, QStringLiteral("x") }));
    }

    void eventsParseBack()
    {
        Recording r = sampleRecording();
        r.events.append(
            { r.lastNs() + 1, 1, EventKind::Note, -7, QStringLiteral("comma, \"quote\"\nnew line\r\nand CRLF") });
        QString error;
        const auto rows = parseCsv(QString::fromUtf8(CsvExport::eventsCsv(r)), &error);
        QVERIFY2(rows, qPrintable(error));
        QCOMPARE(rows->size(), r.events.size() + 1);
        QCOMPARE(rows->first(),
            (Row { QStringLiteral("worker"), QStringLiteral("name"), QStringLiteral("backend"), QStringLiteral("t_ns"),
                QStringLiteral("kind"), QStringLiteral("value"), QStringLiteral("detail") }));
        for (qsizetype i = 0; i < r.events.size(); ++i) {
            const Row &row = rows->at(i + 1);
            const Event &e = r.events[i];
            QCOMPARE(row.size(), 7);
            QCOMPARE(row[0].toInt(), e.worker);
            const RecordedWorker *w = r.worker(e.worker);
            QCOMPARE(row[1], w ? w->name : QStringLiteral("lab"));
            QCOMPARE(row[2], w ? toString(w->backend) : QString());
            QCOMPARE(row[3].toLongLong(), e.tNs);
            QCOMPARE(eventKindFromString(row[4]), std::optional<EventKind>(e.kind));
            QCOMPARE(row[5].toLongLong(), e.value);
            QCOMPARE(row[6], e.detail);
        }
    }

    void measurementsParseBack()
    {
        const Recording r = sampleRecording();
        QString error;
        const auto rows = parseCsv(QString::fromUtf8(CsvExport::measurementsCsv(r)), &error);
        QVERIFY2(rows, qPrintable(error));
        QCOMPARE(rows->size(), r.workers.size() + 1);
        QCOMPARE(rows->first().size(), 14);
        QCOMPARE(rows->first()[6], QStringLiteral("observed_ns"));
        for (qsizetype i = 0; i < r.workers.size(); ++i) {
            const Row &row = rows->at(i + 1);
            const RecordedWorker &w = r.workers[i];
            QCOMPARE(row.size(), 14);
            QCOMPARE(row[0].toInt(), w.id);
            QCOMPARE(row[1], w.name);
            QCOMPARE(row[5], toString(w.outcome));
            QCOMPARE(row[6], ns(w.latencies.observed));
            QCOMPARE(row[7], ns(w.latencies.exited));
            QCOMPARE(row[8], ns(w.latencies.joined));
            QCOMPARE(row[9], ns(w.latencies.kill));
            QCOMPARE(row[10], ns(w.latencies.cleanup));
            QCOMPARE(row[11].toLongLong(), w.stepsDone);
            QCOMPARE(row[12].toLongLong(), w.cpuTimeNs);
            QCOMPARE(row[13].isEmpty(), w.leaks.isEmpty());
        }
        // Figures that apply are there, those that do not are empty: worker 1 was stopped, worker 4 never was.
        QCOMPARE(rows->at(1)[6], QStringLiteral("3333"));
        QCOMPARE(rows->at(4)[6], QString());
        QCOMPARE(rows->at(3)[13], QStringLiteral("process: pid 4243, still alive"));
    }

    void markdownTable()
    {
        const Recording r = sampleRecording();
        const QString md = CsvExport::measurementsMarkdown(r);
        const QStringList lines = md.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), r.workers.size() + 2);
        const auto columns = [](const QString &line) {
            // Count unescaped pipes.
            int n = 0;
            for (qsizetype i = 0; i < line.size(); ++i)
                if (line[i] == QLatin1Char('|') && (i == 0 || line[i - 1] != QLatin1Char('\\')))
                    ++n;
            return n;
        };
        for (const QString &line : lines) {
            QVERIFY2(line.startsWith(QLatin1Char('|')) && line.endsWith(QLatin1Char('|')), qPrintable(line));
            QCOMPARE(columns(line), 12);
        }
        QVERIFY(lines[2].contains(QStringLiteral("3.33 µs"))); // worker 1 observed its stop after 3333 ns
        QVERIFY(lines[2].contains(QStringLiteral("stopped")));
        QVERIFY(lines[5].contains(QStringLiteral("–"))); // worker 4: no stop, no latency
    }

    void writesFiles_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("firstLine");
        QTest::newRow("events") << int(CsvKind::Events) << QStringLiteral("worker,name,backend,t_ns,kind,value,detail");
        QTest::newRow("measurements") << int(CsvKind::Measurements)
                                      << QStringLiteral("worker,name,backend,workload,method,outcome,observed_ns");
        QTest::newRow("markdown") << int(CsvKind::MarkdownMeasurements) << QStringLiteral("| Worker | Backend");
    }
    void writesFiles()
    {
        QFETCH(int, kind);
        QFETCH(QString, firstLine);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QString error;
        QVERIFY2(exportCsv(sampleRecording(), path, &error, CsvKind(kind)), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(f.readAll()).startsWith(firstLine));
        QVERIFY(!exportCsv(sampleRecording(), QStringLiteral("/proc/nope/x.csv"), &error, CsvKind(kind)));
        QVERIFY2(error.startsWith(QStringLiteral("/proc/nope/x.csv: ")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
