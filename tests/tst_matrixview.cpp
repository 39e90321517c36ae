// Widget test of the matrix view: a tiny matrix runs without blocking, fills its cells and exports.
#include "matrixview.h"

#include <QFile>
#include <QProgressBar>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace threadlab;

class TstMatrixView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void runsTinyMatrix()
    {
        MatrixView view;
        view.setInteractive(false);
        MatrixOptions o;
        auto w = MatrixOptions::parseWorkload(u"sleep-steps"_qs, nullptr);
        QVERIFY(w);
        o.workloads << *w;
        o.methods = { StopMethod::Request, StopMethod::Force };
        o.backends = { Backend::Thread, Backend::Concurrent };
        o.repeat = 1;
        view.setOptions(o);
        view.start();
        QVERIFY(view.isRunning() || view.runner()->isFinished());
        QCOMPARE(view.grid()->rowCount(), 1);
        QCOMPARE(view.grid()->columnCount(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(view.runner()->isFinished(), 60000);
        QCOMPARE(view.progressBar()->value(), view.runner()->runsTotal());
        for (int c = 0; c < 4; ++c) {
            const QString text = view.grid()->item(0, c)->text();
            QVERIFY2(!text.isEmpty() && text != u"…"_qs, qPrintable(text));
            QVERIFY(!view.cellDetailsHtml(0, c).isEmpty());
        }
        QTemporaryDir dir;
        QVERIFY(view.exportImage(dir.filePath(u"m.png"_qs), 2.0, false));
        QVERIFY(QFile::exists(dir.filePath(u"m.png"_qs)));
        QVERIFY(view.exportMarkdown(dir.filePath(u"m.md"_qs)));
        QFile md(dir.filePath(u"m.md"_qs));
        QVERIFY(md.open(QIODevice::ReadOnly));
        QVERIFY(md.readAll().contains("|"));
    }
};

QTEST_MAIN(TstMatrixView)
#include "tst_matrixview.moc"
