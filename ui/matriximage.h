// The stop-method matrix as files: the grid as a picture (caption, cells, legend) and as Markdown.
#pragma once

#include "scenarios/matrixrunner.h"

#include <QColor>
#include <QFont>
#include <QImage>

namespace threadlab {

/// The outcome whose shape and colour stand for a cell's class (None while pending).
Outcome matrixCellOutcome(OutcomeClass c);
/// The words a cell shows for its class: the vocabulary's ("stopped", "killed", "ignored", "never stopped", ...).
QString matrixCellLabel(OutcomeClass c);
/// c mixed into base by t (0: base, 1: c): cell backgrounds stay readable in both palettes.
QColor matrixCellTint(const QColor &c, const QColor &base, double t);

/// What the grid shows where: header labels and, per row and column, the index into runner->cells() (-1: none).
struct MatrixGridLayout
{
    QStringList rowLabels;
    QStringList columnLabels;
    QList<QList<int>> cellIndex;
};

/// The columns of the layout the picture shows: those with at least one cell that can run (all, without a runner).
QList<int> matrixImageColumns(const MatrixRunner *runner, const MatrixGridLayout &layout);
/// The grid as a picture for a slide, with caption and legend (scale 1 or 2, light or dark); runner may be null
/// (empty grid). Columns whose every cell is n/a are left out, text is at least 14 px at 1× and the canvas is 16:9.
QImage renderMatrixImage(
    const MatrixRunner *runner, const MatrixGridLayout &layout, const QFont &font, qreal scale, bool dark);
/// Writes runner's Markdown table atomically; error gets one line naming the path on failure.
bool writeMatrixMarkdown(const MatrixRunner *runner, const QString &path, QString *error);

} // namespace threadlab
