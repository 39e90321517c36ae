// The lab's shutdown as the window shows it: non-modal progress, a notice naming what could not be stopped.
#pragma once

#include "lab/lab.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QMessageBox;
class QProgressDialog;
class QWidget;

namespace threadlab {

/// Driven by signals and timers: begin() returns at once, finished() comes when the lab reports, then
/// readyToClose() (at once, or after the notice's deadline when something could not be stopped). Nothing
/// here runs an event loop or waits for a click (Lab::beginShutdown() + Lab::shutdownFinished()); finishNow() is
/// the path for destructors, which never waits either.
class ShutdownProgress : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Idle, Stopping, Done };

    ShutdownProgress(Lab *lab, QWidget *window);
    ~ShutdownProgress() override;
    Q_DISABLE_COPY_MOVE(ShutdownProgress)

    /// When false, nothing is shown and readyToClose() follows finished() at once.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /// How long the lab may take (requests, then force) and how long a notice stays before the window closes.
    void setDeadlines(int shutdownMs, int noticeMs);

    /// Starts the shutdown (idempotent).
    void begin();
    /// Finishes the shutdown before returning (for destructors and code after the event loop); idempotent.
    ShutdownReport finishNow();

    Phase phase() const { return m_phase; }
    const ShutdownReport &report() const { return m_report; }
    /// The notice naming what could not be stopped (nullptr when none is shown).
    QMessageBox *notice() const;
    /// Closes the notice without asking to close again (the window is closing anyway).
    void dismissNotice();

signals:
    void began();
    void finished(const threadlab::ShutdownReport &report);
    /// The window may close now.
    void readyToClose();
    void message(const QString &text, int timeoutMs);

private:
    void runLabShutdown();
    void handleFinished(const ShutdownReport &report, bool synchronous);
    void showProgress();
    void showNotice(const QString &text);

    QPointer<Lab> m_lab;
    QWidget *m_window;
    Phase m_phase = Phase::Idle;
    ShutdownReport m_report;
    QTimer m_progressDelay;
    QTimer m_noticeDeadline;
    QPointer<QProgressDialog> m_progress;
    QPointer<QMessageBox> m_notice;
    int m_shutdownMs = 3000;
    int m_noticeMs = 6000;
    bool m_interactive = true;
};

} // namespace threadlab
