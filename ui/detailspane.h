// Details of the selected worker: parameters, events relative to a chosen zero, measurements, leaks.
#pragma once

#include "model/runsource.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QTextBrowser;

namespace threadlab {

class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    enum class Zero { RunStart, StopRequest };

    explicit DetailsPane(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DetailsPane)

    /// Shows workers of this source (nullptr: none); the selection is cleared.
    void setSource(RunSource *source);
    void setWorker(int workerId);
    int workerId() const { return m_workerId; }
    Zero zero() const;
    /// Rebuilds the pane now.
    void refresh();

    QTableWidget *eventTable() const { return m_events; }
    QComboBox *zeroBox() const { return m_zero; }
    QString summaryHtml() const;

signals:
    /// The user chose the zero of event times; the timeline follows (StopRequest: this worker's request).
    void zeroChosen(threadlab::DetailsPane::Zero zero, int workerId);

private:
    void handleChanged(const QList<int> &workerIds);
    void fillEvents(const WorkerFold &fold, qint64 zero);
    static QString stderrHtml(const QString &tail, qint64 hostPid);

    QPointer<RunSource> m_source;
    int m_workerId = -1;
    QLabel *m_title;
    QTextBrowser *m_summary;
    QComboBox *m_zero;
    QTableWidget *m_events;
    QTimer m_refreshTimer;
};

} // namespace threadlab
