// Details of the selected worker: parameters, events relative to a chosen zero, measurements, leaks.
#pragma once

#include "recording/event.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class QTextBrowser;

namespace threadlab {

class Lab;
class Worker;

class DetailsPane : public QWidget
{
    Q_OBJECT
public:
    enum class Zero { Start, StopRequest };

    explicit DetailsPane(Lab *lab, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DetailsPane)

    void setWorker(int workerId);
    int workerId() const { return m_workerId; }
    /// Notes that events arrived; refreshes at most a few times per second if they concern the worker.
    void handleEvents(const EventList &batch);
    /// Rebuilds the pane now.
    void refresh();

    QTableWidget *eventTable() const { return m_events; }
    QString summaryHtml() const;

private:
    QPointer<Lab> m_lab;
    int m_workerId = -1;
    QLabel *m_title;
    QTextBrowser *m_summary;
    QComboBox *m_zero;
    QTableWidget *m_events;
    QTimer m_refreshTimer;
};

} // namespace threadlab
