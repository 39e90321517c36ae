// The stop-method matrix as files: the grid as a picture (caption, cells, legend) and as Markdown.
#include "matriximage.h"

#include "statestyle.h"
#include "timelinerenderer.h"

#include <QDateTime>
#include <QDir>
#include <QPainter>
#include <QSaveFile>

namespace threadlab {

namespace {
/// The smallest text of the picture, in pixels at 1×: readable on a projected slide.
constexpr int MinTextPx = 15;
} // namespace

Outcome matrixCellOutcome(OutcomeClass c)
{
    switch (c) {
    case OutcomeClass::Completed:
        return Outcome::Completed;
    case OutcomeClass::Stopped:
        return Outcome::Stopped;
    case OutcomeClass::Killed:
        return Outcome::Killed;
    case OutcomeClass::Ignored:
        return Outcome::Ignored;
    case OutcomeClass::NeverStopped:
        return Outcome::Unresponsive;
    case OutcomeClass::Crashed:
        return Outcome::Crashed;
    case OutcomeClass::Pending:
        break;
    }
    return Outcome::None;
}

QString matrixCellLabel(OutcomeClass c)
{
    return toString(c);
}

QColor matrixCellTint(const QColor &c, const QColor &base, double t)
{
    return QColor::fromRgbF(float(base.redF() * (1 - t) + c.redF() * t),
        float(base.greenF() * (1 - t) + c.greenF() * t), float(base.blueF() * (1 - t) + c.blueF() * t));
}

QList<int> matrixImageColumns(const MatrixRunner *runner, const MatrixGridLayout &layout)
{
    // A column where no cell can run (a stop method no backend of the grid has) says nothing on a slide.
    QList<int> shown;
    for (int c = 0; c < layout.columnLabels.size(); ++c) {
        bool informative = !runner;
        for (int r = 0; r < layout.rowLabels.size() && !informative; ++r) {
            const int index = layout.cellIndex.value(r).value(c, -1);
            informative
                = index >= 0 && index < runner->cells().size() && runner->cells().at(index).notAvailable.isEmpty();
        }
        if (informative)
            shown << c;
    }
    return shown;
}

QImage renderMatrixImage(
    const MatrixRunner *runner, const MatrixGridLayout &layout, const QFont &gridFont, qreal scale, bool dark)
{
    const QPalette pal = dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    const auto cellAt = [&](int r, int c) -> const MatrixCell * {
        const int index = layout.cellIndex.value(r).value(c, -1);
        return index < 0 || !runner || index >= runner->cells().size() ? nullptr : &runner->cells().at(index);
    };
    const QList<int> shownColumns = matrixImageColumns(runner, layout);
    const int rows = int(layout.rowLabels.size());
    const int cols = int(shownColumns.size());
    // Text for a slide: at least 14 px at 1×, whatever the grid's screen font is.
    QFont font = gridFont;
    font.setPixelSize(MinTextPx);
    const QFontMetrics fm(font);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    int labelW = 120;
    for (const QString &label : layout.rowLabels)
        labelW = std::max(labelW, bfm.horizontalAdvance(label) + 24);
    int cellW = 32 + fm.horizontalAdvance(u"never stopped"_qs);
    for (int c : std::as_const(shownColumns))
        for (const QString &word : QString(layout.columnLabels.at(c)).replace(u'\n', u' ').split(u' '))
            cellW = std::max(cellW, bfm.horizontalAdvance(word) + 16);
    const int cellH = 4 * fm.height() + 8, headH = 2 * bfm.height() + 12;
    const int legendH = 34 + fm.height() + 4, margin = 16;
    // The caption, drawn by the timeline renderer so all pictures look alike.
    TimelineRenderOptions o;
    o.palette = pal;
    o.font = font;
    o.captionTitle = u"ThreadLab — stop-method matrix"_qs
        + (runner ? u" (%1 runs, repeat %2)"_qs.arg(runner->runsTotal()).arg(runner->options().repeat) : QString());
    o.captionDetails = QLocale::system().toString(QDateTime::currentDateTime(), QLocale::ShortFormat) + u" · "_qs
        + TimelineRenderer::machineDescription();
    o.legend = false;
    o.axisHeight = 0;
    const int captionH = TimelineRenderer::captionHeight(o);
    const QSize content(
        std::max(margin * 2 + labelW + cols * cellW, 760), captionH + headH + rows * cellH + legendH + 2 * margin);
    // A 16:9 slide: the grid centred on a canvas of that shape, never cropped.
    int canvasH = std::max(content.height(), (content.width() * 9 + 15) / 16);
    const int canvasW = std::max(content.width(), (canvasH * 16 + 8) / 9);
    canvasH = std::max(canvasH, (canvasW * 9 + 15) / 16);
    const QSize size(canvasW, canvasH);
    QImage img((QSizeF(size) * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(scale);
    img.fill(pal.color(QPalette::Window));
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    TimelineRenderer::render(p, QSize(size.width(), captionH), TimelineData(), TimeMapping(), o);
    const int dx = (canvasW - content.width()) / 2;
    p.setFont(font);
    const QColor text = pal.color(QPalette::Text);
    const QColor base = pal.color(QPalette::Base);
    const QColor grid = pal.color(QPalette::Mid);
    const int top = captionH + margin + (canvasH - content.height()) / 2;
    const int left = dx + margin + labelW;
    const int gridLeft = dx + margin;
    p.fillRect(QRect(gridLeft, top, labelW + cols * cellW, headH + rows * cellH), base);
    p.setPen(text);
    p.setFont(bold);
    for (int c = 0; c < cols; ++c)
        p.drawText(QRect(left + c * cellW, top, cellW, headH), Qt::AlignCenter | Qt::TextWordWrap,
            layout.columnLabels.at(shownColumns.at(c)));
    for (int r = 0; r < rows; ++r) {
        const int y = top + headH + r * cellH;
        p.setFont(bold);
        p.setPen(text);
        p.drawText(QRect(gridLeft + 8, y, labelW - 12, cellH), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
            layout.rowLabels.at(r));
        p.setFont(font);
        for (int c = 0; c < cols; ++c) {
            const QRect cr(left + c * cellW, y, cellW, cellH);
            const MatrixCell *cellPtr = cellAt(r, shownColumns.at(c));
            if (!cellPtr)
                continue;
            const MatrixCell &cell = *cellPtr;
            if (!cell.notAvailable.isEmpty()) {
                p.fillRect(cr, pal.color(QPalette::AlternateBase));
                QBrush hatch(grid, Qt::BDiagPattern);
                p.fillRect(cr, hatch);
                p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
                p.drawText(cr, Qt::AlignCenter, u"n/a"_qs);
                continue;
            }
            if (cell.runs.isEmpty())
                continue;
            const OutcomeClass cc = cell.outcomeClass();
            const Outcome oc = matrixCellOutcome(cc);
            p.fillRect(cr, matrixCellTint(StateStyle::outcomeColor(oc, dark), base, dark ? 0.30 : 0.18));
            StateStyle::paintOutcomeShape(p, QRectF(cr.left() + 6, cr.top() + 6, 14, 14), oc, dark);
            p.setPen(text);
            QStringList lines { matrixCellLabel(cc) };
            if (const auto median = cell.medianLatencyNs())
                lines << formatDuration(*median);
            if (!cell.leakKinds().isEmpty())
                lines << u"leaks: "_qs + cell.leakKinds().join(u", "_qs);
            p.drawText(cr.adjusted(24, 4, -4, -4), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines.join(u'\n'));
        }
    }
    p.setPen(QPen(grid, 1));
    for (int r = 0; r <= rows; ++r)
        p.drawLine(gridLeft, top + headH + r * cellH, left + cols * cellW, top + headH + r * cellH);
    for (int c = 0; c <= cols; ++c)
        p.drawLine(left + c * cellW, top, left + c * cellW, top + headH + rows * cellH);
    p.drawRect(QRect(gridLeft, top, labelW + cols * cellW, headH + rows * cellH));
    // Legend: shape, colour and name of each class.
    int x = gridLeft;
    const int ly = top + headH + rows * cellH + 10;
    // Pending (OutcomeClass's first) stands for "not available": a cell that never ran.
    for (OutcomeClass cc : { OutcomeClass::Completed, OutcomeClass::Stopped, OutcomeClass::Killed,
             OutcomeClass::Ignored, OutcomeClass::NeverStopped, OutcomeClass::Crashed, OutcomeClass::Pending }) {
        const bool notAvailable = cc == OutcomeClass::Pending;
        if (notAvailable)
            p.fillRect(QRect(x, ly, 14, 14), QBrush(grid, Qt::BDiagPattern));
        else
            StateStyle::paintOutcomeShape(p, QRectF(x, ly, 14, 14), matrixCellOutcome(cc), dark);
        p.setPen(text);
        const QString label = notAvailable ? u"not available"_qs : matrixCellLabel(cc);
        p.drawText(QPoint(x + 20, ly + fm.ascent()), label);
        x += 20 + fm.horizontalAdvance(label) + 24;
    }
    // On a line of its own: seven classes already fill the narrowest picture's width.
    p.drawText(QPoint(gridLeft, ly + fm.height() + 8 + fm.ascent()), u"latency: median stop request → joined"_qs);
    p.end();
    return img;
}

bool writeMatrixMarkdown(const MatrixRunner *runner, const QString &path, QString *error)
{
    QSaveFile f(path);
    if (!runner || !f.open(QIODevice::WriteOnly) || f.write(runner->markdown().toUtf8()) < 0 || !f.commit()) {
        if (error)
            *error = QDir::toNativeSeparators(path)
                + (runner ? u": cannot write the file"_qs : u": nothing measured yet"_qs);
        return false;
    }
    return true;
}

} // namespace threadlab
