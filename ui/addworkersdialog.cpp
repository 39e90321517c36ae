// The compact worker picker: backend, workload, its parameters (defaults and ranges), how many.
#include "addworkersdialog.h"

#include "workloads/workload.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

namespace threadlab {

AddWorkersDialog::AddWorkersDialog(QWidget *parent)
    : QDialog(parent)
    , m_backend(new QComboBox(this))
    , m_workload(new QComboBox(this))
    , m_count(new QSpinBox(this))
    , m_description(new QLabel(this))
    , m_error(new QLabel(this))
    , m_paramForm(nullptr)
    , m_paramBox(new QGroupBox(u"Parameters"_qs, this))
{
    setWindowTitle(u"Add workers"_qs);
    setAccessibleName(u"Add workers"_qs);
    for (const auto &t : backendTerms()) {
        m_backend->addItem(QString::fromLatin1(t.name), int(t.value));
        m_backend->setItemData(m_backend->count() - 1, QString::fromUtf8(t.description), Qt::ToolTipRole);
    }
    m_backend->setAccessibleName(u"Backend"_qs);
    m_workload->setAccessibleName(u"Workload"_qs);
    m_count->setRange(1, 500);
    m_count->setAccessibleName(u"How many workers"_qs);
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::RichText);
    m_description->setMinimumWidth(440);
    m_description->setContentsMargins(0, 6, 0, 6);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #c62a1f;"_qs);
    m_error->hide();

    auto *top = new QFormLayout;
    top->addRow(u"&Backend:"_qs, m_backend);
    top->addRow(u"&Workload:"_qs, m_workload);
    top->addRow(u"&How many:"_qs, m_count);
    m_paramForm = new QFormLayout(m_paramBox);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(u"Add"_qs);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddWorkersDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddWorkersDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_description);
    layout->addWidget(m_paramBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_backend, &QComboBox::currentIndexChanged, this, [this] {
        rebuildParameters();
        updateDescription();
    });
    connect(m_workload, &QComboBox::currentIndexChanged, this, [this] {
        rebuildParameters();
        updateDescription();
    });

    QSettings settings;
    settings.beginGroup(u"picker"_qs);
    const auto backend = backendFromString(settings.value(u"backend"_qs, u"thread"_qs).toString());
    setBackend(backend.value_or(Backend::Thread));
    rebuildParameters();
    setWorkload(settings.value(u"workload"_qs, u"sleep-steps"_qs).toString());
    setCount(settings.value(u"count"_qs, 4).toInt());
    const QVariantMap last = settings.value(u"params/"_qs + workload()).toMap();
    for (auto it = last.begin(); it != last.end(); ++it)
        setParameter(it.key(), it.value());
    settings.endGroup();
    updateDescription();
}

Backend AddWorkersDialog::backend() const
{
    return Backend(m_backend->currentData().toInt());
}
QString AddWorkersDialog::workload() const
{
    return m_workload->currentText();
}
int AddWorkersDialog::count() const
{
    return m_count->value();
}

void AddWorkersDialog::setBackend(Backend backend)
{
    const int idx = m_backend->findData(int(backend));
    if (idx >= 0)
        m_backend->setCurrentIndex(idx);
}

void AddWorkersDialog::setWorkload(const QString &workload)
{
    const int idx = m_workload->findText(workload);
    if (idx >= 0)
        m_workload->setCurrentIndex(idx);
}

void AddWorkersDialog::setCount(int count)
{
    m_count->setValue(count);
}

bool AddWorkersDialog::setParameter(const QString &name, const QVariant &value)
{
    QWidget *w = m_editors.value(name);
    if (auto *spin = qobject_cast<QSpinBox *>(w))
        spin->setValue(int(value.toLongLong()));
    else if (auto *check = qobject_cast<QCheckBox *>(w))
        check->setChecked(value.toBool());
    else if (auto *combo = qobject_cast<QComboBox *>(w)) {
        const int idx = combo->findText(value.toString());
        if (idx < 0)
            return false;
        combo->setCurrentIndex(idx);
    } else
        return false;
    return true;
}

void AddWorkersDialog::rebuildParameters()
{
    // Workload list: process-only workloads only for the process backend.
    const QString current = m_workload->currentText();
    const bool process = backend() == Backend::Process;
    {
        const QSignalBlocker block(m_workload);
        m_workload->clear();
        for (const WorkloadInfo &info : WorkloadRegistry::all()) {
            if (info.processOnly && !process)
                continue;
            m_workload->addItem(info.name);
            m_workload->setItemData(m_workload->count() - 1, info.description, Qt::ToolTipRole);
        }
        const int idx = m_workload->findText(current);
        m_workload->setCurrentIndex(idx >= 0 ? idx : 0);
    }
    while (m_paramForm->rowCount() > 0)
        m_paramForm->removeRow(0);
    m_editors.clear();
    const WorkloadInfo *info = WorkloadRegistry::find(workload());
    if (!info)
        return;
    for (const ParamSpec &spec : info->params) {
        QWidget *editor = nullptr;
        switch (spec.type) {
        case ParamType::Integer: {
            auto *spin = new QSpinBox(m_paramBox);
            const qint64 maxInt = std::numeric_limits<int>::max();
            spin->setRange(int(std::min(spec.min, maxInt)), int(std::min(spec.max, maxInt)));
            spin->setValue(int(std::min(spec.defaultValue.toLongLong(), maxInt)));
            spin->setGroupSeparatorShown(true);
            if (spec.name.endsWith(u"_ms"))
                spin->setSuffix(u" ms"_qs);
            else if (spec.name.endsWith(u"_us"))
                spin->setSuffix(u" µs"_qs);
            editor = spin;
            break;
        }
        case ParamType::Boolean: {
            auto *check = new QCheckBox(m_paramBox);
            check->setChecked(spec.defaultValue.toBool());
            editor = check;
            break;
        }
        case ParamType::Choice:
        case ParamType::Workload: {
            auto *combo = new QComboBox(m_paramBox);
            combo->addItems(spec.choices);
            combo->setCurrentText(spec.defaultValue.toString());
            editor = combo;
            break;
        }
        }
        editor->setToolTip(spec.description + u"\n"_qs + spec.synopsis());
        editor->setAccessibleName(spec.name);
        editor->setAccessibleDescription(spec.description);
        m_editors.insert(spec.name, editor);
        m_paramForm->addRow(spec.name + u':', editor);
    }
    m_paramBox->setVisible(!info->params.isEmpty());
    adjustSize();
}

void AddWorkersDialog::updateDescription()
{
    const WorkloadInfo *info = WorkloadRegistry::find(workload());
    QString html = u"<b>%1</b>: %2"_qs.arg(toString(backend()), describe(backend()).toHtmlEscaped());
    if (info) {
        html += u"<br><b>%1</b>: %2"_qs.arg(info->name.toHtmlEscaped(), info->description.toHtmlEscaped());
        if (!info->cancellationPoints.isEmpty())
            html += u"<br><i>Cancellation points:</i> "_qs + info->cancellationPoints.toHtmlEscaped();
    }
    m_description->setText(html);
    m_description->setMinimumHeight(m_description->heightForWidth(std::max(440, m_description->width())));
    adjustSize();
}

QVariantMap AddWorkersDialog::parameterValues() const
{
    QVariantMap out;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        if (auto *spin = qobject_cast<QSpinBox *>(it.value()))
            out.insert(it.key(), qint64(spin->value()));
        else if (auto *check = qobject_cast<QCheckBox *>(it.value()))
            out.insert(it.key(), check->isChecked());
        else if (auto *combo = qobject_cast<QComboBox *>(it.value()))
            out.insert(it.key(), combo->currentText());
    }
    return out;
}

bool AddWorkersDialog::makeSpec(WorkerSpec *spec, QString *error) const
{
    WorkerSpec s;
    s.backend = backend();
    s.workload = workload();
    if (!WorkloadRegistry::resolve(s.workload, parameterValues(), &s.params, error))
        return false;
    *spec = s;
    return true;
}

void AddWorkersDialog::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(u"picker"_qs);
    settings.setValue(u"backend"_qs, toString(backend()));
    settings.setValue(u"workload"_qs, workload());
    settings.setValue(u"count"_qs, count());
    settings.setValue(u"params/"_qs + workload(), parameterValues());
    settings.endGroup();
}

void AddWorkersDialog::accept()
{
    WorkerSpec spec;
    QString error;
    if (!makeSpec(&spec, &error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    saveSettings();
    QDialog::accept();
}

} // namespace threadlab
