// The stop policy a user chooses for the next stop: grace period and kill timeout, remembered across runs.
#include "stoppolicywidget.h"

#include <QHBoxLayout>
#include <QSettings>
#include <QSpinBox>

namespace threadlab {

namespace {

constexpr int DefaultMs = 1000;
constexpr int MaxMs = 60'000;

QSpinBox *makeSpin(QWidget *parent, const QString &prefix, const QString &name, const QString &tip)
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(0, MaxMs);
    spin->setSingleStep(100);
    spin->setValue(DefaultMs);
    spin->setSuffix(u" ms"_qs);
    spin->setPrefix(prefix);
    spin->setAccessibleName(name);
    spin->setToolTip(tip);
    return spin;
}

} // namespace

StopPolicyWidget::StopPolicyWidget(QWidget *parent)
    : QWidget(parent)
    , m_grace(makeSpin(this, u"grace "_qs, u"Grace period"_qs,
          u"Grace period: how long a stop request may take before escalating, or before the worker is called "
          "unresponsive"_qs))
    , m_killTimeout(makeSpin(this, u"kill timeout "_qs, u"Kill timeout"_qs,
          u"Kill timeout: how long a force-kill may take before the worker is called unresponsive"_qs))
{
    setAccessibleName(u"Stop policy"_qs);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_grace);
    layout->addWidget(m_killTimeout);
}

StopPolicy StopPolicyWidget::policy() const
{
    return { m_grace->value(), m_killTimeout->value() };
}

void StopPolicyWidget::readSettings()
{
    const QSettings s;
    m_grace->setValue(s.value(u"stop/graceMs"_qs, DefaultMs).toInt());
    m_killTimeout->setValue(s.value(u"stop/killTimeoutMs"_qs, DefaultMs).toInt());
}

void StopPolicyWidget::writeSettings() const
{
    QSettings s;
    s.setValue(u"stop/graceMs"_qs, m_grace->value());
    s.setValue(u"stop/killTimeoutMs"_qs, m_killTimeout->value());
}

} // namespace threadlab
