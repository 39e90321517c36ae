// The status bar's summary: workers by state and outcome (or the open recording's outcomes), and the machine.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

class QLabel;
class QStatusBar;

namespace threadlab {

class DocumentController;
class Lab;

class StatusSummary : public QObject
{
    Q_OBJECT
public:
    /// Adds its labels to bar; refreshes four times a second.
    StatusSummary(Lab *lab, const DocumentController *document, QStatusBar *bar);
    Q_DISABLE_COPY_MOVE(StatusSummary)

    /// Once the lab is shut down its workers are no longer counted (the last summary stays).
    void setFrozen(bool frozen) { m_frozen = frozen; }
    void update();
    QString text() const;

private:
    QString liveText() const;
    QString recordingText() const;

    QPointer<Lab> m_lab;
    const DocumentController *m_document;
    QLabel *m_counts;
    QLabel *m_machine;
    QTimer m_timer;
    bool m_frozen = false;
};

} // namespace threadlab
