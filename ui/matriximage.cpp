// The stop-method matrix as files: the grid as a picture (caption, cells, legend) and as Markdown.
#include "matriximage.h"

#include "statestyle.h"
#include "timelinerenderer.h"

#include <QDateTime>
#include <QDir>
#include <QPainter>
#include <QSaveFile>

namespace threadlab {

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

QImage renderMatrixImage(
    const MatrixRunner *runner, const MatrixGridLayout &layout, const QFont &gridFont, qreal scale, bool dark)
{
    const QPalette pal = dark ? StateStyle::darkPalette() : StateStyle::lightPalette();
    const int rows = int(layout.rowLabels.size());
    const int cols = int(layout.columnLabels.size());
    QFont font = gridFont;
    if (font.pointSizeF() <= 0)
        font.setPointSize(9);
    const QFontMetrics fm(font);
    int labelW = 120;
    for (const QString &label : layout.rowLabels)
        labelW = std::max(labelW, fm.horizontalAdvance(label) + 24);
    const int cellW = 132, cellH = 4 * fm.height() + 8, headH = 2 * fm.height() + 12;
    const int captionH = TimelineRenderer::CaptionHeight, legendH = 34 + fm.height() + 4, margin = 12;
    const QSize size(
        std::max(margin * 2 + labelW + cols * cellW, 760), captionH + headH + rows * cellH + legendH + 2 * margin);
    QImage img((QSizeF(size) * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(scale);
    img.fill(pal.color(QPalette::Window));
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
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
    TimelineRenderer::render(p, QSize(size.width(), captionH), TimelineData(), TimeMapping(), o);
    p.setFont(font);
    const QColor text = pal.color(QPalette::Text);
    const QColor base = pal.color(QPalette::Base);
    const QColor grid = pal.color(QPalette::Mid);
    const int top = captionH + margin;
    const int left = margin + labelW;
    p.fillRect(QRect(margin, top, labelW + cols * cellW, headH + rows * cellH), base);
    p.setPen(text);
    for (int c = 0; c < cols; ++c) {
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRect(left + c * cellW, top, cellW, headH), Qt::AlignCenter, layout.columnLabels.at(c));
    }
    for (int r = 0; r < rows; ++r) {
        const int y = top + headH + r * cellH;
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(text);
        p.drawText(QRect(margin + 8, y, labelW - 12, cellH), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
            layout.rowLabels.at(r));
        p.setFont(font);
        for (int c = 0; c < cols; ++c) {
            const QRect cr(left + c * cellW, y, cellW, cellH);
            const int index = layout.cellIndex.value(r).value(c, -1);
            if (index < 0 || !runner || index >= runner->cells().size())
                continue;
            const MatrixCell &cell = runner->cells().at(index);
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
        p.drawLine(margin, top + headH + r * cellH, left + cols * cellW, top + headH + r * cellH);
    for (int c = 0; c <= cols; ++c)
        p.drawLine(left + c * cellW, top, left + c * cellW, top + headH + rows * cellH);
    p.drawRect(QRect(margin, top, labelW + cols * cellW, headH + rows * cellH));
    // Legend: shape, colour and name of each class.
    int x = margin;
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
    p.drawText(QPoint(margin, ly + fm.height() + 8 + fm.ascent()), u"latency: median stop request → joined"_qs);
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
