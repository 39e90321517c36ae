// Widget test of the matrix view: a tiny matrix runs without blocking, fills its cells and exports.
#include "matrixview.h"

#include <QFile>
#include <QHeaderView>
#include <QProgressBar>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace threadlab;

namespace {

/// Pixels of a clearly saturated colour (the outcome tints and shapes) below the caption.
int colouredPixels(const QImage &image, int fromY)
{
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = fromY; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (QColor(img.pixel(x, y)).hsvSaturation() > 20)
                ++n;
    return n;
}

/// Cells (row, column) whose text is empty or still the waiting mark.
QStringList emptyCells(const QTableWidget *grid)
{
    QStringList empty;
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c) {
            const QTableWidgetItem *item = grid->item(r, c);
            if (!item || item->text().isEmpty() || item->text() == u"…"_qs)
                empty << u"(%1,%2)"_qs.arg(r).arg(c);
        }
    return empty;
}

} // namespace

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

    /// The way the app's scripted demo runs it: the view shown, the process backend in the matrix (its probe
    /// lab's shutdown runs the event loop inside MatrixRunner::start(), so runs and even finished() can come
    /// before start() returns), and the picture taken from the finished() signal. The grid used to be laid out
    /// only after start() returned, so the screenshot and the PNG were empty.
    void gridIsLaidOutWhenProgressAndFinishedArrive()
    {
        MatrixView view;
        view.setInteractive(false);
        MatrixOptions o;
        for (const QString &text : { u"sleep-steps"_qs, u"cpu-ignore:run_ms=600"_qs }) {
            auto w = MatrixOptions::parseWorkload(text, nullptr);
            QVERIFY2(w, qPrintable(text));
            o.workloads << *w;
        }
        o.methods = { StopMethod::Request, StopMethod::Force };
        o.backends = { Backend::Thread, Backend::Process };
        o.repeat = 1;
        view.setOptions(o);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        QStringList problems;
        connect(view.progressBar(), &QProgressBar::valueChanged, &view, [&](int value) {
            if (value > 0 && (view.grid()->rowCount() != 2 || view.grid()->columnCount() != 4))
                problems << u"progress %1 with a %2×%3 grid"_qs.arg(value)
                                .arg(view.grid()->rowCount())
                                .arg(view.grid()->columnCount());
        });
        bool finished = false;
        QStringList emptyAtFinish;
        QImage imageAtFinish;
        connect(&view, &MatrixView::finished, &view, [&] {
            finished = true;
            emptyAtFinish = emptyCells(view.grid());
            if (view.grid()->rowCount() != 2 || view.grid()->columnCount() != 4)
                emptyAtFinish << u"grid %1×%2"_qs.arg(view.grid()->rowCount()).arg(view.grid()->columnCount());
            imageAtFinish = view.renderImage(1.0, false);
        });
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(finished, 90000);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_qs)));
        QVERIFY2(emptyAtFinish.isEmpty(), qPrintable(u"empty at finished(): "_qs + emptyAtFinish.join(u' ')));

        // Rows are the workloads, columns backend × method, in that order.
        QCOMPARE(view.grid()->verticalHeaderItem(0)->text(), u"sleep-steps"_qs);
        QVERIFY(view.grid()->verticalHeaderItem(1)->text().startsWith(u"cpu-ignore"_qs));
        QCOMPARE(view.grid()->horizontalHeaderItem(0)->text(), u"thread\nrequest"_qs);
        QCOMPARE(view.grid()->horizontalHeaderItem(3)->text(), u"process\nforce"_qs);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 4; ++c) {
                const int index = view.cellIndexAt(r, c);
                QVERIFY(index >= 0 && index < view.runner()->cells().size());
                const MatrixCell &cell = view.runner()->cells().at(index);
                const QTableWidgetItem *item = view.grid()->item(r, c);
                if (!cell.notAvailable.isEmpty()) {
                    QCOMPARE(item->text(), u"n/a"_qs);
                    QVERIFY(item->toolTip().contains(cell.notAvailable));
                } else {
                    QVERIFY2(item->text().startsWith(toString(cell.outcomeClass())), qPrintable(item->text()));
                    QVERIFY(!item->icon().isNull());
                }
            }
        QCOMPARE(view.progressBar()->value(), view.runner()->runsTotal());

        // The picture taken at finished() has coloured outcome cells (a blank box has almost none).
        QVERIFY(!imageAtFinish.isNull());
        const int coloured = colouredPixels(imageAtFinish, 60);
        int ranCells = 0;
        for (const MatrixCell &cell : view.runner()->cells())
            ranCells += cell.notAvailable.isEmpty() ? 1 : 0;
        QVERIFY(ranCells > 0);
        QVERIFY2(
            coloured > ranCells * 3000, qPrintable(u"%1 coloured pixels for %2 cells"_qs.arg(coloured).arg(ranCells)));
        QTemporaryDir dir;
        QVERIFY(view.exportImage(dir.filePath(u"m.png"_qs), 1.0, false));
        QImage saved(dir.filePath(u"m.png"_qs));
        QVERIFY(!saved.isNull());
        QVERIFY(colouredPixels(saved, 60) > ranCells * 3000);
        // For a slide: 16:9, not a 2298 px strip.
        QVERIFY2(std::abs(saved.width() * 9 - saved.height() * 16) <= 16 * 2,
            qPrintable(u"%1×%2"_qs.arg(saved.width()).arg(saved.height())));
    }

    /// A column no cell of which can run (SIGTERM on a thread) is left out of the picture; the grid keeps it.
    void pictureDropsColumnsThatAreAllNotAvailable()
    {
        MatrixView view;
        view.setInteractive(false);
        MatrixOptions o;
        auto w = MatrixOptions::parseWorkload(u"sleep-steps"_qs, nullptr);
        QVERIFY(w);
        o.workloads << *w;
        o.methods = { StopMethod::Request, StopMethod::Sigterm };
        o.backends = { Backend::Thread, Backend::Concurrent };
        o.repeat = 1;
        view.setOptions(o);
        view.start();
        QTRY_VERIFY_WITH_TIMEOUT(view.runner()->isFinished(), 60000);
        const MatrixGridLayout layout = view.gridLayout();
        QCOMPARE(layout.columnLabels.size(), 4);
        const QList<int> shown = matrixImageColumns(view.runner(), layout);
        QCOMPARE(shown.size(), 2);
        for (int c : shown)
            QVERIFY2(!layout.columnLabels.at(c).contains(u"sigterm"_qs), qPrintable(layout.columnLabels.at(c)));
        const QImage img = view.renderImage(1.0, false);
        QVERIFY(std::abs(img.width() * 9 - img.height() * 16) <= 32);
    }
};

QTEST_MAIN(TstMatrixView)
#include "tst_matrixview.moc"
