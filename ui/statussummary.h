// The status bar's summary: workers by state and outcome (or the open recording's outcomes), and the machine.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

class QLabel;
class QStatusBar;

namespace threadlab {

class DocumentController;
class RunSource;

class StatusSummary : public QObject
{
    Q_OBJECT
public:
    /// Adds its labels to bar; refreshes four times a second. Counts read the folds of source (the views' one).
    StatusSummary(RunSource *source, const DocumentController *document, QStatusBar *bar);
    Q_DISABLE_COPY_MOVE(StatusSummary)

    /// Once the lab is shut down its workers are no longer counted (the last summary stays).
    void setFrozen(bool frozen) { m_frozen = frozen; }
    /// Counts the workers of another source (the live one, or an open recording's).
    void setSource(RunSource *source);
    void update();
    QString text() const;

private:
    QString liveText() const;
    QString recordingText() const;

    QPointer<RunSource> m_source;
    const DocumentController *m_document;
    QLabel *m_counts;
    QLabel *m_machine;
    QTimer m_timer;
    bool m_frozen = false;
};

} // namespace threadlab
