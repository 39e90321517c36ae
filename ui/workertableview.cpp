// The worker table as the main window shows it: sortable rows, progress bars, its context menu of actions.
#include "workertableview.h"

#include "progressdelegate.h"
#include "workertablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QSortFilterProxyModel>
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
    QList<int> ids;
    for (const QModelIndex &idx : selectionModel()->selectedRows())
        ids << idx.data(WorkerTableModel::WorkerIdRole).toInt();
    return ids;
}

void WorkerTableView::selectWorkers(const QList<int> &workerIds)
{
    if (!m_model)
        return;
    m_model->flush();
    QItemSelection sel;
    for (int id : workerIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        sel.select(m_proxy->mapFromSource(m_model->index(row, 0)),
            m_proxy->mapFromSource(m_model->index(row, WorkerTableModel::ColumnCount - 1)));
    }
    selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
    if (!sel.isEmpty()) {
        selectionModel()->setCurrentIndex(sel.indexes().first(), QItemSelectionModel::NoUpdate);
        scrollTo(sel.indexes().first());
    }
}

} // namespace threadlab
