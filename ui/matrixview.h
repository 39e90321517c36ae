// The stop-method matrix window: choose, run with progress (never blocking), grid of outcome cells, exports.
#pragma once

#include "matriximage.h"
#include "scenarios/matrixrunner.h"

#include <QDialog>
#include <QImage>
#include <QPointer>

class QCheckBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace threadlab {

class MatrixView : public QDialog
{
    Q_OBJECT
public:
    explicit MatrixView(QWidget *parent = nullptr);
    ~MatrixView() override;
    Q_DISABLE_COPY_MOVE(MatrixView)

    /// The options the next run uses (also reflected in the choice widgets).
    void setOptions(const MatrixOptions &options);
    MatrixOptions options() const;
    /// Starts a run with options() (returns at once; progress and cells arrive on the event loop).
    void start();
    bool isRunning() const;
    MatrixRunner *runner() const { return m_runner; }
    QTableWidget *grid() const { return m_grid; }
    QProgressBar *progressBar() const { return m_progress; }

    /// The grid as a picture with caption and legend (scale 1 or 2, light or dark).
    QImage renderImage(qreal scale = 1.0, bool dark = false) const;
    /// What the grid shows where (labels and cell indices), as the picture draws it.
    MatrixGridLayout gridLayout() const;
    bool exportImage(const QString &path, qreal scale, bool dark, QString *error = nullptr) const;
    bool exportMarkdown(const QString &path, QString *error = nullptr) const;
    /// The details of one cell's runs (HTML), as the popup shows them.
    QString cellDetailsHtml(int row, int column) const;
    /// Index into runner()->cells() of a grid cell (-1: none).
    int cellIndexAt(int row, int column) const;
    /// When false, nothing modal is shown.
    void setInteractive(bool interactive) { m_interactive = interactive; }

signals:
    void finished();

private:
    void layoutGrid();
    void fitGrid();
    void fillCell(int index);
    void showCellDetails(int row, int column);
    void handleExportImage();
    void handleExportMarkdown();
    void updateButtons();

    QListWidget *m_workloads;
    QListWidget *m_methods;
    QListWidget *m_backends;
    QSpinBox *m_repeat;
    QPushButton *m_run;
    QPushButton *m_exportPng;
    QPushButton *m_exportMd;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTableWidget *m_grid;
    QList<MatrixWorkload> m_allWorkloads;
    QPointer<MatrixRunner> m_runner;
    QList<QPointer<MatrixRunner>> m_old; ///< earlier runs still finishing (never destroyed while running)
    bool m_interactive = true;
};

} // namespace threadlab
