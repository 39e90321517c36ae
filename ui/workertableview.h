// The worker table as the main window shows it: sortable rows, progress bars, its context menu of actions.
#pragma once

#include <QList>
#include <QTableView>

class QSortFilterProxyModel;

namespace threadlab {

class WorkerTableModel;

class WorkerTableView : public QTableView
{
    Q_OBJECT
public:
    explicit WorkerTableView(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkerTableView)

    /// Shows model through a sorting proxy (raw values sort), by name first, with the window's column widths.
    void setWorkerModel(WorkerTableModel *model);
    WorkerTableModel *workerModel() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    /// The context menu: the worker actions, a separator, then the view actions.
    void setContextActions(const QList<QAction *> &workerActions, const QList<QAction *> &viewActions);
    /// The worker ids of the selected rows (WorkerTableModel::WorkerIdRole).
    QList<int> selectedWorkerIds() const;
    /// Selects the rows of these workers (after applying the model's pending updates) and scrolls to the first.
    void selectWorkers(const QList<int> &workerIds);

private:
    WorkerTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
};

} // namespace threadlab
