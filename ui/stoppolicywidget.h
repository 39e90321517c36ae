// The stop policy a user chooses for the next stop: grace period and kill timeout, remembered across runs.
#pragma once

#include "workers/worker.h"

#include <QWidget>

class QSpinBox;

namespace threadlab {

class StopPolicyWidget : public QWidget
{
    Q_OBJECT
public:
    explicit StopPolicyWidget(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StopPolicyWidget)

    StopPolicy policy() const;
    QSpinBox *graceSpin() const { return m_grace; }
    QSpinBox *killTimeoutSpin() const { return m_killTimeout; }

    /// Reads and writes "stop/graceMs" and "stop/killTimeoutMs" in the application's QSettings.
    void readSettings();
    void writeSettings() const;

private:
    QSpinBox *m_grace;
    QSpinBox *m_killTimeout;
};

} // namespace threadlab
