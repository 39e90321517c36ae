// The stop-method matrix window: choose, run with progress (never blocking), grid of outcome cells, exports.
#include "matrixview.h"

#include "matriximage.h"
#include "statestyle.h"
#include "timelinerenderer.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace threadlab {

namespace {

constexpr int CellRole = Qt::UserRole + 1;

QListWidget *checkList(QWidget *parent, const QString &name)
{
    auto *l = new QListWidget(parent);
    l->setAccessibleName(name);
    l->setMaximumHeight(120);
    return l;
}

void addCheck(QListWidget *l, const QString &text, const QVariant &value, bool checked)
{
    auto *item = new QListWidgetItem(text, l);
    item->setData(Qt::UserRole, value);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

} // namespace

MatrixView::MatrixView(QWidget *parent)
    : QDialog(parent)
    , m_workloads(checkList(this, u"Workloads"_qs))
    , m_methods(checkList(this, u"Stop methods"_qs))
    , m_backends(checkList(this, u"Backends"_qs))
    , m_repeat(new QSpinBox(this))
    , m_run(new QPushButton(u"Run matrix"_qs, this))
    , m_exportPng(new QPushButton(u"Export PNG…"_qs, this))
    , m_exportMd(new QPushButton(u"Export Markdown…"_qs, this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_grid(new QTableWidget(this))
{
    setWindowTitle(u"Stop-method matrix — ThreadLab"_qs);
    setAccessibleName(u"Stop-method matrix"_qs);
    m_repeat->setRange(1, 20);
    m_repeat->setPrefix(u"repeat "_qs);
    m_repeat->setAccessibleName(u"Repeats per cell"_qs);
    m_progress->setAccessibleName(u"Matrix progress"_qs);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(u"%v / %m runs"_qs);
    m_status->setWordWrap(true);
    m_grid->setAccessibleName(u"Matrix grid"_qs);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setWordWrap(true);
    m_grid->horizontalHeader()->setDefaultSectionSize(150);
    m_grid->verticalHeader()->setDefaultSectionSize(54);
    m_grid->setIconSize(QSize(16, 16));
    m_grid->setToolTip(u"Each cell: outcome class, median latency (stop request → joined), leaks. Click a cell "
                       "to see its runs."_qs);
    m_grid->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    const MatrixOptions defaults = MatrixOptions::defaults();
    m_allWorkloads = defaults.workloads;
    for (const MatrixWorkload &w : defaults.workloads)
        addCheck(m_workloads, w.label(), w.label(), true);
    for (const auto &t : stopMethodTerms())
        addCheck(m_methods, QString::fromLatin1(t.name), int(t.value), defaults.methods.contains(t.value));
    for (const auto &t : backendTerms())
        addCheck(m_backends, QString::fromLatin1(t.name), int(t.value), defaults.backends.contains(t.value));
    m_repeat->setValue(defaults.repeat);

    auto *choices = new QHBoxLayout;
    const auto group = [this](const QString &title, QWidget *w) {
        auto *g = new QGroupBox(title, this);
        auto *l = new QVBoxLayout(g);
        l->setContentsMargins(4, 4, 4, 4);
        l->addWidget(w);
        return g;
    };
    choices->addWidget(group(u"Workloads"_qs, m_workloads), 3);
    choices->addWidget(group(u"Stop methods"_qs, m_methods), 1);
    choices->addWidget(group(u"Backends"_qs, m_backends), 1);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_repeat);
    runRow->addWidget(m_run);
    runRow->addWidget(m_progress, 1);
    runRow->addWidget(m_exportPng);
    runRow->addWidget(m_exportMd);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addLayout(runRow);
    layout->addWidget(m_status);
    layout->addWidget(m_grid, 1);
    resize(1280, 760);

    connect(m_run, &QPushButton::clicked, this, &MatrixView::start);
    connect(m_exportPng, &QPushButton::clicked, this, &MatrixView::handleExportImage);
    connect(m_exportMd, &QPushButton::clicked, this, &MatrixView::handleExportMarkdown);
    connect(m_grid, &QTableWidget::cellClicked, this, &MatrixView::showCellDetails);
    m_status->setText(u"Choose workloads, stop methods and backends, then run: each combination is measured on "
                      "this machine (each run in a fresh lab)."_qs);
    updateButtons();
}

MatrixView::~MatrixView()
{
    // A MatrixRunner's destructor stops its runs with their labs' documented shutdown (bounded).
    delete m_runner;
    for (const QPointer<MatrixRunner> &r : std::as_const(m_old))
        delete r;
}

void MatrixView::setOptions(const MatrixOptions &options)
{
    m_allWorkloads = options.workloads;
    m_workloads->clear();
    for (const MatrixWorkload &w : options.workloads)
        addCheck(m_workloads, w.label(), w.label(), true);
    for (int i = 0; i < m_methods->count(); ++i) {
        QListWidgetItem *it = m_methods->item(i);
        it->setCheckState(
            options.methods.contains(StopMethod(it->data(Qt::UserRole).toInt())) ? Qt::Checked : Qt::Unchecked);
    }
    for (int i = 0; i < m_backends->count(); ++i) {
        QListWidgetItem *it = m_backends->item(i);
        it->setCheckState(
            options.backends.contains(Backend(it->data(Qt::UserRole).toInt())) ? Qt::Checked : Qt::Unchecked);
    }
    m_repeat->setValue(options.repeat);
}

MatrixOptions MatrixView::options() const
{
    MatrixOptions o = MatrixOptions::defaults();
    o.workloads.clear();
    for (int i = 0; i < m_workloads->count() && i < m_allWorkloads.size(); ++i)
        if (m_workloads->item(i)->checkState() == Qt::Checked)
            o.workloads << m_allWorkloads.at(i);
    o.methods.clear();
    for (int i = 0; i < m_methods->count(); ++i)
        if (m_methods->item(i)->checkState() == Qt::Checked)
            o.methods << StopMethod(m_methods->item(i)->data(Qt::UserRole).toInt());
    o.backends.clear();
    for (int i = 0; i < m_backends->count(); ++i)
        if (m_backends->item(i)->checkState() == Qt::Checked)
            o.backends << Backend(m_backends->item(i)->data(Qt::UserRole).toInt());
    o.repeat = m_repeat->value();
    return o;
}

bool MatrixView::isRunning() const
{
    return m_runner && !m_runner->isFinished();
}

void MatrixView::start()
{
    if (isRunning())
        return;
    const MatrixOptions o = options();
    if (o.workloads.isEmpty() || o.methods.isEmpty() || o.backends.isEmpty()) {
        m_status->setText(u"Choose at least one workload, one stop method and one backend."_qs);
        return;
    }
    if (m_runner)
        m_old << m_runner; // finished: its retired runs may still be reaping; deleted with the view
    auto *runner = new MatrixRunner(o, this);
    m_runner = runner;
    connect(runner, &MatrixRunner::progress, this, [this](int done, int total, const QString &what) {
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
        m_status->setText(u"Measuring… %1"_qs.arg(what.toHtmlEscaped()));
    });
    connect(runner, &MatrixRunner::cellFinished, this, &MatrixView::fillCell);
    connect(runner, &MatrixRunner::finished, this, [this, runner] {
        if (m_runner != runner)
            return;
        for (int i = 0; i < runner->cells().size(); ++i)
            fillCell(i);
        fitGrid();
        m_progress->setRange(0, std::max(1, runner->runsTotal()));
        m_progress->setValue(runner->runsTotal());
        m_status->setText(
            u"Done: %1 runs in %2 cells, measured on this machine (%3). Latency: median stop request → joined. Click a cell to see its runs."_qs
                .arg(runner->runsTotal())
                .arg(runner->cells().size())
                .arg(TimelineRenderer::machineDescription()));
        updateButtons();
        emit finished();
    });
    // The grid is laid out from the options BEFORE the runner starts: MatrixRunner::start() may run the event
    // loop (its probe lab's shutdown pumps events), so runs, progress and even finished() can arrive inside it;
    // a grid laid out only afterwards was empty when they (and a screenshot or export on finished()) came.
    layoutGrid();
    m_status->setText(u"Starting…"_qs);
    updateButtons();
    runner->start();
    if (m_runner != runner)
        return;
    // Now the cells exist (not-available ones never get cellFinished): show them all.
    for (int i = 0; i < runner->cells().size(); ++i)
        fillCell(i);
    if (!runner->isFinished()) {
        m_progress->setRange(0, std::max(1, runner->runsTotal()));
        m_progress->setValue(runner->runsDone());
    }
    fitGrid();
    updateButtons();
}

int MatrixView::cellIndexAt(int row, int column) const
{
    if (!m_runner || row < 0 || column < 0)
        return -1;
    const QTableWidgetItem *item = m_grid->item(row, column);
    return item ? item->data(CellRole).toInt() : -1;
}

void MatrixView::layoutGrid()
{
    const MatrixOptions &o = m_runner->options();
    const int nm = int(o.methods.size());
    const int nb = int(o.backends.size());
    m_grid->clear();
    m_grid->setRowCount(int(o.workloads.size()));
    m_grid->setColumnCount(nb * nm);
    QStringList rows, columns;
    for (const MatrixWorkload &w : o.workloads)
        rows << w.label();
    for (Backend b : o.backends)
        for (StopMethod m : o.methods)
            columns << toString(b) + u"\n"_qs + toString(m);
    m_grid->setVerticalHeaderLabels(rows);
    m_grid->setHorizontalHeaderLabels(columns);
    m_grid->horizontalHeader()->setMinimumHeight(m_grid->fontMetrics().height() * 2 + 10);
    // Cells are in the runner's order: workload, then method, then backend.
    for (int w = 0; w < o.workloads.size(); ++w)
        for (int m = 0; m < nm; ++m)
            for (int b = 0; b < nb; ++b) {
                auto *item = new QTableWidgetItem;
                item->setData(CellRole, (w * nm + m) * nb + b);
                m_grid->setItem(w, b * nm + m, item);
            }
    for (int i = 0; i < m_runner->cells().size(); ++i)
        fillCell(i);
    fitGrid();
}

void MatrixView::fitGrid()
{
    // Columns share the width (at least 112 px each, then a scroll bar); rows grow to their text.
    m_grid->horizontalHeader()->setMinimumSectionSize(112);
    m_grid->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_grid->resizeRowsToContents();
    for (int r = 0; r < m_grid->rowCount(); ++r)
        m_grid->setRowHeight(r, std::max(m_grid->rowHeight(r), 58));
}

void MatrixView::fillCell(int index)
{
    if (!m_runner || index < 0 || index >= m_runner->cells().size())
        return;
    const MatrixOptions &o = m_runner->options();
    const int nm = int(o.methods.size());
    const int nb = int(o.backends.size());
    const int w = index / (nm * nb);
    const int m = (index / nb) % nm;
    const int b = index % nb;
    QTableWidgetItem *item = m_grid->item(w, b * nm + m);
    if (!item)
        return;
    const MatrixCell &cell = m_runner->cells().at(index);
    const bool dark = StateStyle::isDark(palette());
    const QColor base = palette().color(QPalette::Base);
    if (!cell.notAvailable.isEmpty()) {
        item->setText(u"n/a"_qs);
        item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        item->setBackground(palette().color(QPalette::AlternateBase));
        item->setToolTip(u"Not available: "_qs + cell.notAvailable);
        item->setIcon(QIcon());
        return;
    }
    if (cell.runs.isEmpty()) {
        item->setText(u"…"_qs);
        item->setToolTip(u"waiting to run"_qs);
        return;
    }
    const OutcomeClass c = cell.outcomeClass();
    const auto median = cell.medianLatencyNs();
    QStringList lines { matrixCellLabel(c) };
    if (median)
        lines << formatDuration(*median);
    if (!cell.leakKinds().isEmpty())
        lines << u"leaks: "_qs + cell.leakKinds().join(u", "_qs);
    const bool partial = cell.runs.size() < o.repeat;
    if (partial)
        lines.first() += u" (%1/%2)"_qs.arg(cell.runs.size()).arg(o.repeat);
    item->setText(lines.join(u'\n'));
    item->setIcon(StateStyle::outcomeIcon(matrixCellOutcome(c), dark));
    item->setBackground(matrixCellTint(StateStyle::outcomeColor(matrixCellOutcome(c), dark), base, dark ? 0.30 : 0.18));
    item->setForeground(palette().color(QPalette::Text));
    item->setToolTip(u"%1 × %2 × %3: %4 (%5)"_qs.arg(
        cell.workload.label(), toString(cell.backend), toString(cell.method), matrixCellLabel(c), cell.outcomes()));
}

QString MatrixView::cellDetailsHtml(int row, int column) const
{
    const int index = cellIndexAt(row, column);
    if (index < 0 || index >= m_runner->cells().size())
        return {};
    const MatrixCell &cell = m_runner->cells().at(index);
    QString html = u"<h3>%1 · %2 · %3</h3>"_qs.arg(
        cell.workload.label().toHtmlEscaped(), toString(cell.backend), toString(cell.method));
    if (!cell.notAvailable.isEmpty())
        return html + u"<p>Not available: %1</p>"_qs.arg(cell.notAvailable.toHtmlEscaped());
    html += u"<p><b>%1</b>"_qs.arg(matrixCellLabel(cell.outcomeClass()));
    if (const auto median = cell.medianLatencyNs())
        html += u", median stop → joined %1"_qs.arg(formatDuration(*median));
    html += u"</p><p><i>%1</i>"_qs.arg(MatrixRunner::legend().join(u" "_qs).toHtmlEscaped());
    html += u"</p><table border=\"1\" cellspacing=\"0\" cellpadding=\"4\"><tr><th>Run</th><th>Outcome</th>"
            "<th>Observed</th><th>Exited</th><th>Joined</th><th>Kill</th><th>Steps</th><th>Leaks</th></tr>"_qs;
    const auto d = [](const std::optional<qint64> &v) { return v ? formatDuration(*v) : u"–"_qs; };
    for (int i = 0; i < cell.runs.size(); ++i) {
        const WorkerResult &r = cell.runs.at(i);
        QStringList leaks;
        for (const Leak &l : r.leaks)
            leaks << u"<b>%1</b>: %2"_qs.arg(l.kind.toHtmlEscaped(), l.detail.toHtmlEscaped());
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td><td>%8</td></tr>"_qs
                    .arg(i + 1)
                    .arg(toString(r.outcome), d(r.latencies.observed), d(r.latencies.exited), d(r.latencies.joined),
                        d(r.latencies.kill))
                    .arg(r.stepsDone)
                    .arg(!r.leaksKnown        ? u"not probed"_qs
                            : leaks.isEmpty() ? u"none"_qs
                                              : leaks.join(u"<br>"_qs));
        if (!r.notes.isEmpty())
            html
                += u"<tr><td></td><td colspan=\"7\"><i>%1</i></td></tr>"_qs.arg(r.notes.join(u"; "_qs).toHtmlEscaped());
    }
    html += u"</table>"_qs;
    return html;
}

void MatrixView::showCellDetails(int row, int column)
{
    const QString html = cellDetailsHtml(row, column);
    if (html.isEmpty() || !m_interactive)
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(u"Matrix cell runs"_qs);
    auto *text = new QTextBrowser(dialog);
    text->setHtml(html);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *l = new QVBoxLayout(dialog);
    l->addWidget(text);
    l->addWidget(buttons);
    dialog->resize(720, 360);
    dialog->show();
}

QImage MatrixView::renderImage(qreal scale, bool dark) const
{
    return renderMatrixImage(m_runner, gridLayout(), m_grid->font(), scale, dark);
}

MatrixGridLayout MatrixView::gridLayout() const
{
    MatrixGridLayout layout;
    for (int r = 0; r < m_grid->rowCount(); ++r) {
        const QTableWidgetItem *h = m_grid->verticalHeaderItem(r);
        layout.rowLabels << (h ? h->text() : QString());
        QList<int> row;
        for (int c = 0; c < m_grid->columnCount(); ++c)
            row << cellIndexAt(r, c);
        layout.cellIndex << row;
    }
    for (int c = 0; c < m_grid->columnCount(); ++c) {
        const QTableWidgetItem *h = m_grid->horizontalHeaderItem(c);
        layout.columnLabels << (h ? h->text() : QString());
    }
    return layout;
}

bool MatrixView::exportImage(const QString &path, qreal scale, bool dark, QString *error) const
{
    const QImage img = renderImage(scale, dark);
    if (img.isNull() || !img.save(path, "PNG")) {
        if (error)
            *error = QDir::toNativeSeparators(path) + u": cannot write the PNG file"_qs;
        return false;
    }
    return true;
}

bool MatrixView::exportMarkdown(const QString &path, QString *error) const
{
    return writeMatrixMarkdown(m_runner, path, error);
}

void MatrixView::handleExportImage()
{
    const QString path = QFileDialog::getSaveFileName(this, u"Export matrix image"_qs, u"threadlab-matrix.png"_qs,
        u"PNG image (*.png);;PNG image at 2× (*@2x.png)"_qs);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportImage(path, path.endsWith(u"@2x.png"_qs) ? 2.0 : 1.0, StateStyle::isDark(palette()), &error))
        QMessageBox::warning(this, u"Export failed"_qs, error);
    else
        m_status->setText(u"Saved "_qs + QDir::toNativeSeparators(path));
}

void MatrixView::handleExportMarkdown()
{
    const QString path = QFileDialog::getSaveFileName(
        this, u"Export matrix as Markdown"_qs, u"threadlab-matrix.md"_qs, u"Markdown (*.md)"_qs);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportMarkdown(path, &error))
        QMessageBox::warning(this, u"Export failed"_qs, error);
    else
        m_status->setText(u"Saved "_qs + QDir::toNativeSeparators(path));
}

void MatrixView::updateButtons()
{
    const bool running = isRunning();
    const bool done = m_runner && m_runner->isFinished();
    m_run->setEnabled(!running);
    m_run->setToolTip(running ? u"A run is in progress"_qs : u"Measure every chosen combination"_qs);
    m_exportPng->setEnabled(done);
    m_exportMd->setEnabled(done);
    for (QWidget *w : { static_cast<QWidget *>(m_workloads), static_cast<QWidget *>(m_methods),
             static_cast<QWidget *>(m_backends), static_cast<QWidget *>(m_repeat) })
        w->setEnabled(!running);
}

} // namespace threadlab
