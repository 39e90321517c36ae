// The lab's shutdown as the window shows it: non-modal progress, a notice naming what could not be stopped.
#include "shutdownprogress.h"

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
    // The one place that starts the lab's shutdown. Lab::shutdown(int) still returns its report (pumping the
    // lab's own events meanwhile); once the lab has its signal-driven shutdown this becomes
    // "connect(lab, &Lab::shutdownFinished, ...) + start it", and nothing else here changes.
    QTimer::singleShot(0, this, &ShutdownProgress::runLabShutdown);
}

void ShutdownProgress::runLabShutdown()
{
    if (m_phase != Phase::Stopping || m_inLab)
        return;
    m_inLab = true;
    const ShutdownReport report = m_lab ? m_lab->shutdown(m_shutdownMs) : ShutdownReport();
    m_inLab = false;
    handleFinished(report, false);
}

ShutdownReport ShutdownProgress::finishNow()
{
    if (m_phase == Phase::Done || m_inLab)
        return m_report; // inside the lab's own shutdown, the report comes when it returns
    if (m_phase == Phase::Idle) {
        m_phase = Phase::Stopping;
        emit began();
    }
    m_inLab = true;
    const ShutdownReport report = m_lab ? m_lab->shutdown(m_shutdownMs) : ShutdownReport();
    m_inLab = false;
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
        const QString text = u"These could not be stopped and are left running until the process exits: "_qs
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
