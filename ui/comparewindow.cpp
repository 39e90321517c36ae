// Compare two runs: the pickers, the aligned timeline and the table of differences (see comparewindow.h).
#include "comparewindow.h"

#include "lab/livesource.h"
#include "mainwindow.h"
#include "model/alignedsource.h"
#include "recording/recordedsource.h"
#include "recording/recordingio.h"
#include "timelineview.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace threadlab {

namespace {
enum Column { WorkerColumn, FigureColumn, AColumn, BColumn, DifferenceColumn, RatioColumn, ColumnCount };
} // namespace

CompareWindow::CompareWindow(RunSource *live, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_live(live)
    , m_pickA(new QComboBox(this))
    , m_pickB(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_split(new QSplitter(Qt::Vertical, this))
    , m_timeline(new TimelineView(this))
    , m_table(new QTableWidget(this))
{
    setWindowTitle(u"ThreadLab — Compare runs"_qs);
    setAccessibleName(u"Compare runs"_qs);
    auto *pickers = new QHBoxLayout;
    const auto addSide = [this, pickers](int side, QComboBox *combo) {
        auto *label = new QLabel(side == 0 ? u"&A:"_qs : u"&B:"_qs, this);
        label->setBuddy(combo);
        combo->setAccessibleName(side == 0 ? u"Run A"_qs : u"Run B"_qs);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(16);
        combo->setToolTip(u"A run of this lab, or a recording opened with Open…"_qs);
        auto *open = new QPushButton(u"Open…"_qs, this);
        open->setToolTip(u"Compare a saved recording (.threadlab.json)"_qs);
        connect(open, &QPushButton::clicked, this, [this, side] { handleOpen(side); });
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_filling)
                recompute();
        });
        pickers->addWidget(label);
        pickers->addWidget(combo, 1);
        pickers->addWidget(open);
    };
    addSide(0, m_pickA);
    pickers->addSpacing(12);
    addSide(1, m_pickB);
    auto *swap = new QPushButton(u"Swap"_qs, this);
    swap->setToolTip(u"Swap A and B"_qs);
    connect(swap, &QPushButton::clicked, this, [this] {
        const int a = m_pickA->currentIndex();
        m_filling = true;
        m_pickA->setCurrentIndex(m_pickB->currentIndex());
        m_filling = false;
        m_pickB->setCurrentIndex(a);
        recompute();
    });
    pickers->addWidget(swap);

    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timeline->setZeroLabel(u"since each stop request"_qs);
    m_timeline->setAccessibleName(u"Compared lanes, aligned at their stop requests"_qs);
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({ u"Worker"_qs, u"Figure"_qs, u"A"_qs, u"B"_qs, u"B−A"_qs, u"B/A"_qs });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(WorkerColumn, QHeaderView::Stretch);
    for (int c = FigureColumn; c < ColumnCount; ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_table->setAccessibleName(u"Latency differences per matched worker"_qs);
    m_split->addWidget(m_timeline);
    m_split->addWidget(m_table);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pickers);
    layout->addWidget(m_summary);
    layout->addWidget(m_split, 1);
    refreshChoices();
}

CompareWindow::~CompareWindow()
{
    m_timeline->setSource(nullptr); // before the aligned source dies
}

CompareWindow *CompareWindow::showFor(MainWindow *window, const QString &compareWith)
{
    auto *w = window->findChild<CompareWindow *>(QString(), Qt::FindDirectChildrenOnly);
    if (!w) {
        w = new CompareWindow(window->liveSource(), window);
        w->setInteractive(window->isInteractive());
        // Over the main window, as large: the lanes and the table both need the room.
        w->setGeometry(window->geometry());
    }
    w->refreshChoices();
    const auto add = [w](const QString &path, int side) {
        const int known = w->picker(0)->findText(QFileInfo(path).fileName());
        if (known >= 0)
            w->choose(side, known);
        else
            w->addRecording(path, side);
    };
    if (window->isShowingRecording())
        add(window->recordingPath(), 0);
    if (!compareWith.isEmpty())
        add(compareWith, 1);
    w->show();
    w->raise();
    w->activateWindow();
    return w;
}

int CompareWindow::choiceCount() const
{
    return int(m_choices.size());
}

void CompareWindow::refreshChoices()
{
    // Keep the recordings; the live runs are read again (a new run may have begun).
    const QString a = m_pickA->currentText();
    const QString b = m_pickB->currentText();
    QList<Choice> kept;
    for (const Choice &c : std::as_const(m_choices))
        if (c.owned)
            kept << c;
    m_choices.clear();
    if (m_live)
        for (const RunInfo &run : m_live->runs())
            if (!run.workerIds.isEmpty())
                m_choices.append({ u"Run %1: %2"_qs.arg(run.id).arg(run.title), u"this lab"_qs, nullptr, run });
    m_choices += kept;
    rebuildPickers();
    const int n = int(m_choices.size());
    const int ia = m_pickA->findText(a);
    const int ib = m_pickB->findText(b);
    m_filling = true;
    // By default the last two runs: before and after.
    m_pickA->setCurrentIndex(ia >= 0 ? ia : std::max(0, n - 2));
    m_pickB->setCurrentIndex(ib >= 0 ? ib : std::max(0, n - 1));
    m_filling = false;
    recompute();
}

void CompareWindow::rebuildPickers()
{
    m_filling = true;
    for (QComboBox *combo : { m_pickA, m_pickB }) {
        combo->clear();
        for (const Choice &c : std::as_const(m_choices))
            combo->addItem(c.label);
    }
    m_filling = false;
}

bool CompareWindow::addRecording(const QString &path, int side, QString *error)
{
    QString why;
    const auto rec = RecordingIO::load(path, &why);
    if (!rec) {
        if (error)
            *error = why;
        return false;
    }
    QStringList details;
    if (!rec->title.isEmpty())
        details << rec->title;
    if (rec->machine.cores > 0)
        details << u"%1 cores"_qs.arg(rec->machine.cores);
    if (!rec->machine.cpuModel.isEmpty())
        details << rec->machine.cpuModel;
    const QString a = m_pickA->currentText();
    const QString b = m_pickB->currentText();
    m_choices.append(
        { QFileInfo(path).fileName(), details.join(u" · "_qs), std::make_shared<RecordedSource>(*rec), std::nullopt });
    rebuildPickers();
    m_filling = true;
    m_pickA->setCurrentIndex(side == 0 ? int(m_choices.size()) - 1 : std::max(0, m_pickA->findText(a)));
    m_pickB->setCurrentIndex(side == 1 ? int(m_choices.size()) - 1 : std::max(0, m_pickB->findText(b)));
    m_filling = false;
    recompute();
    return true;
}

void CompareWindow::choose(int side, int index)
{
    picker(side)->setCurrentIndex(index);
}

void CompareWindow::handleOpen(int side)
{
    const QString path = QFileDialog::getOpenFileName(this, u"Compare a recording"_qs, QString(),
        u"ThreadLab recordings (*.threadlab.json *.threadlab.json.gz *.json *.gz);;All files (*)"_qs);
    if (path.isEmpty())
        return;
    QString error;
    if (!addRecording(path, side, &error) && m_interactive)
        QMessageBox::warning(this, u"Compare runs"_qs, error);
}

CompareSide CompareWindow::sideOf(int index) const
{
    if (index < 0 || index >= m_choices.size())
        return {};
    const Choice &c = m_choices.at(index);
    const RunSource *source = c.owned ? c.owned.get() : m_live.data();
    if (!source)
        return {};
    return CompareSide::of(*source, c.run, c.label, c.details);
}

void CompareWindow::recompute()
{
    m_comparison = RunComparison::of(sideOf(m_pickA->currentIndex()), sideOf(m_pickB->currentIndex()));
    auto aligned = std::make_unique<AlignedSource>(m_comparison);
    m_timeline->setSource(aligned.get());
    m_aligned = std::move(aligned);
    const auto line = [](const QString &which, const CompareSide &s) {
        return u"<b>%1</b> %2 — %3 worker(s)%4"_qs.arg(which, s.label.toHtmlEscaped())
            .arg(s.size())
            .arg(s.details.isEmpty() ? QString() : u" · "_qs + s.details.toHtmlEscaped());
    };
    m_summary->setText(line(u"A:"_qs, m_comparison.a()) + u"<br>"_qs + line(u"B:"_qs, m_comparison.b())
        + u"<br>Workers matched by name, the rest by order; each lane is shown from its own stop request."_qs);
    fillTable();
}

void CompareWindow::fillTable()
{
    m_table->setRowCount(0);
    const auto add = [this](const QStringList &cells, bool first) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells.value(c));
            if (c >= AColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == WorkerColumn && first) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setToolTip(cells.value(c));
            }
            m_table->setItem(row, c, item);
        }
    };
    for (const ComparedWorker &w : m_comparison.workers()) {
        QString name = w.name;
        if (w.indexA >= 0 && w.indexB >= 0 && m_comparison.b().workers[w.indexB].name != w.name)
            name += u" ↔ "_qs + m_comparison.b().workers[w.indexB].name;
        const auto outcome = [](const std::optional<Outcome> &o) { return o ? toString(*o) : u"(none)"_qs; };
        add({ name, u"outcome"_qs, outcome(w.outcomeA), outcome(w.outcomeB), {}, {} }, true);
        for (const CompareFigure &f : w.figures)
            if (f.a || f.b)
                add({ {}, RunComparison::figureLabel(f.key), f.aText(), f.bText(), f.differenceText(), f.ratioText() },
                    false);
    }
}

} // namespace threadlab
