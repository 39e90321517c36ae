// The worker table as the main window shows it: sortable rows, progress bars, its context menu of actions.
#include "workertableview.h"

#include "progressdelegate.h"
#include "workertablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QSet>
#include <QSortFilterProxyModel>
#include <algorithm>
#include <iterator>

namespace threadlab {

WorkerTableView::WorkerTableView(QWidget *parent)
    : QTableView(parent)
{
    setAccessibleName(u"Workers"_qs);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setShowGrid(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setItemDelegateForColumn(WorkerTableModel::ProgressColumn, new ProgressDelegate(this));
    // Names differ at their ends ("05-killed-holding-lock-raw-1" vs "…-raii-1"): elided in the middle, whole on hover.
    setItemDelegateForColumn(WorkerTableModel::NameColumn, new MiddleElideDelegate(this));
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void WorkerTableView::setWorkerModel(WorkerTableModel *model)
{
    m_model = model;
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(WorkerTableModel::RawValueRole);
    m_proxy->setDynamicSortFilter(false);
    setModel(m_proxy);
    setSortingEnabled(true);
    sortByColumn(WorkerTableModel::NameColumn, Qt::AscendingOrder);
    const int w = fontMetrics().averageCharWidth();
    const int widths[] = { 12, 10, 12, 12, 16, 8, 9, 9, 9, 9, 9, 12, 6 };
    for (int c = 0; c < WorkerTableModel::ColumnCount && c < int(std::size(widths)); ++c)
        setColumnWidth(c, widths[c] * w + 16);
    // What a stop did comes right after the name and state, so it stays in view in a narrow window (1024 px
    // with the scenario dock open); the measuring columns follow.
    using M = WorkerTableModel;
    const int order[] = { M::NameColumn, M::StateColumn, M::OutcomeColumn, M::JoinedColumn, M::LeaksColumn,
        M::BackendColumn, M::WorkloadColumn, M::ProgressColumn, M::StepsPerSecondColumn, M::CpuColumn, M::ElapsedColumn,
        M::ObservedColumn, M::ExitedColumn };
    static_assert(std::size(order) == M::ColumnCount, "every column has its place");
    for (int visual = 0; visual < int(std::size(order)); ++visual)
        horizontalHeader()->moveSection(horizontalHeader()->visualIndex(order[visual]), visual);
}

void WorkerTableView::setContextActions(const QList<QAction *> &workerActions, const QList<QAction *> &viewActions)
{
    addActions(workerActions);
    auto *sep = new QAction(this);
    sep->setSeparator(true);
    addAction(sep);
    addActions(viewActions);
}

QList<int> WorkerTableView::selectedWorkerIds() const
{
    // From the ranges, not selectedRows(): that asks isRowSelected() of every row against every range, which
    // is quadratic in the selection (500 selected workers: milliseconds on every update of the actions).
    QList<int> ids;
    QSet<int> seen;
    const QAbstractItemModel *m = model();
    if (!m)
        return ids;
    const int lastColumn = m->columnCount() - 1;
    for (const QItemSelectionRange &r : selectionModel()->selection()) {
        const bool wholeRows = r.left() == 0 && r.right() == lastColumn;
        for (int row = r.top(); row <= r.bottom(); ++row) {
            if (!wholeRows && !selectionModel()->isRowSelected(row, r.parent()))
                continue;
            const int id = m->index(row, 0, r.parent()).data(WorkerTableModel::WorkerIdRole).toInt();
            if (!seen.contains(id)) {
                seen.insert(id);
                ids << id;
            }
        }
    }
    return ids;
}

void WorkerTableView::selectWorkers(const QList<int> &workerIds)
{
    if (!m_model)
        return;
    m_model->flush();
    // One range per run of adjacent rows, not one per worker: the selection keeps a persistent index per
    // range end, and every model update (sorting, 4 samples a second) maps each of them again.
    QList<int> rows;
    QModelIndex first; // the first worker asked for becomes the current one
    for (int id : workerIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (!first.isValid())
            first = index;
        rows << index.row();
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QItemSelection sel;
    const int lastColumn = m_proxy->columnCount() - 1;
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        sel.select(m_proxy->index(rows.at(i), 0), m_proxy->index(rows.at(j), lastColumn));
        i = j + 1;
    }
    selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
    if (first.isValid()) {
        selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        scrollTo(first);
    }
}

} // namespace threadlab
