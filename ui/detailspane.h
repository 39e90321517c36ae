// Details of the selected worker: parameters, events relative to a chosen zero, measurements, leaks.
#pragma once

#include "base/event.h"
#include "recording/recording.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <memory>

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
    /// Read-only mode: details come from this recording instead of the lab (nullptr: back to the lab).
    void setRecording(std::shared_ptr<const Recording> recording);
    int workerId() const { return m_workerId; }
    /// Notes that events arrived; refreshes at most a few times per second if they concern the worker.
    void handleEvents(const EventList &batch);
    /// Rebuilds the pane now.
    void refresh();

    QTableWidget *eventTable() const { return m_events; }
    QString summaryHtml() const;

private:
    void refreshRecorded();
    void fillEvents(const EventList &events);
    static QString stderrHtml(const QString &tail, qint64 hostPid);

    QPointer<Lab> m_lab;
    std::shared_ptr<const Recording> m_recording;
    int m_workerId = -1;
    QLabel *m_title;
    QTextBrowser *m_summary;
    QComboBox *m_zero;
    QTableWidget *m_events;
    QTimer m_refreshTimer;
};

} // namespace threadlab
