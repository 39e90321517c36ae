// The lab's shutdown as the window shows it: non-modal progress, a notice naming what could not be stopped.
#include "shutdownprogress.h"

#include "workers/worker.h"

#include <QMessageBox>
#include <QProgressDialog>
#include <QWidget>

namespace threadlab {

namespace {
constexpr int ProgressAfterMs = 500;
} // namespace

ShutdownProgress::ShutdownProgress(Lab *lab, QWidget *window)
    : QObject(window)
    , m_lab(lab)
    , m_window(window)
{
    m_progressDelay.setSingleShot(true);
    m_progressDelay.setInterval(ProgressAfterMs);
    connect(&m_progressDelay, &QTimer::timeout, this, &ShutdownProgress::showProgress);
    m_noticeDeadline.setSingleShot(true);
    connect(&m_noticeDeadline, &QTimer::timeout, this, &ShutdownProgress::readyToClose);
}

ShutdownProgress::~ShutdownProgress()
{
    delete m_progress.data();
    delete m_notice.data();
}

void ShutdownProgress::setDeadlines(int shutdownMs, int noticeMs)
{
    m_shutdownMs = qMax(0, shutdownMs);
    m_noticeMs = qMax(0, noticeMs);
}

void ShutdownProgress::begin()
{
    if (m_phase != Phase::Idle)
        return;
    m_phase = Phase::Stopping;
    emit began();
    if (m_interactive && m_window->isVisible())
        m_progressDelay.start();
    // From the event loop: a lab with nothing left to stop finishes at once, and the window must not be closed
    // again from inside its own closeEvent().
    QTimer::singleShot(0, this, &ShutdownProgress::runLabShutdown);
}

void ShutdownProgress::runLabShutdown()
{
    if (m_phase != Phase::Stopping)
        return;
    if (!m_lab) {
        handleFinished(ShutdownReport(), false);
        return;
    }
    // The lab's shutdown is a state machine of its own (timers and the workers' signals): nothing here waits, runs
    // a nested event loop or asks for a click; its report arrives with shutdownFinished().
    connect(m_lab.data(), &Lab::shutdownFinished, this,
        [this](const ShutdownReport &report) { handleFinished(report, false); });
    if (m_lab->shutdownPhase() == ShutdownPhase::Done)
        handleFinished(m_lab->shutdownReport(), false);
    else
        m_lab->beginShutdown(m_shutdownMs);
}

ShutdownReport ShutdownProgress::finishNow()
{
    if (m_phase == Phase::Done)
        return m_report;
    if (m_phase == Phase::Idle) {
        m_phase = Phase::Stopping;
        emit began();
    }
    // Destructors and code after the event loop: no waiting. The lab's own destructor ends what is left at once
    // (force where it exists; what still runs is detached and kept alive, never destroyed while running).
    ShutdownReport report;
    if (m_lab && m_lab->shutdownPhase() == ShutdownPhase::Done) {
        report = m_lab->shutdownReport();
    } else if (m_lab) {
        for (const Worker *w : m_lab->workers())
            if (!w->hasEnded() && w->state() != WorkerState::Created)
                report.stillRunning << w->spec().name;
    }
    handleFinished(report, true);
    return m_report;
}

void ShutdownProgress::showProgress()
{
    if (m_phase != Phase::Stopping || m_progress)
        return;
    m_progress
        = new QProgressDialog(u"Stopping every worker (requests first, then force)…"_qs, QString(), 0, 0, m_window);
    m_progress->setWindowTitle(u"ThreadLab is shutting down"_qs);
    m_progress->setWindowModality(Qt::NonModal);
    m_progress->setMinimumDuration(0);
    m_progress->setCancelButton(nullptr);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    m_progress->show();
}

void ShutdownProgress::handleFinished(const ShutdownReport &report, bool synchronous)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_report = report;
    m_progressDelay.stop();
    delete m_progress.data();
    const bool notice = !report.stillRunning.isEmpty();
    if (notice) {
        const QString text
            = (synchronous ? u"Still running as the window went, ended without waiting (force where it "
                             "exists, else left running until the process exits): "_qs
                           : u"These could not be stopped and are left running until the process exits: "_qs)
            + report.stillRunning.join(u", "_qs);
        qWarning("threadlab: %s", qUtf8Printable(text));
        emit message(text, 0);
        if (!synchronous && m_interactive && m_window->isVisible())
            showNotice(text);
    }
    emit finished(m_report);
    if (synchronous)
        return; // the caller is closing or destroying the window itself
    if (m_notice)
        m_noticeDeadline.start(m_noticeMs);
    else
        emit readyToClose();
}

QMessageBox *ShutdownProgress::notice() const
{
    return m_notice.data();
}

void ShutdownProgress::dismissNotice()
{
    m_noticeDeadline.stop();
    if (m_notice) {
        disconnect(m_notice.data(), nullptr, this, nullptr);
        m_notice->close();
    }
}

void ShutdownProgress::showNotice(const QString &text)
{
    // Non-modal and never waited on: the window closes after the notice's deadline, or when closed again.
    m_notice = new QMessageBox(QMessageBox::Warning, u"Some workers could not be stopped"_qs,
        text
            + u"\n\nThey keep running, never destroyed while running; ThreadLab exits safely in %1 s."_qs.arg(
                (m_noticeMs + 999) / 1000),
        QMessageBox::Close, m_window);
    m_notice->setWindowModality(Qt::NonModal);
    m_notice->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_notice, &QMessageBox::finished, this, &ShutdownProgress::readyToClose);
    m_notice->show();
}

} // namespace threadlab
