// The compact worker picker: backend, workload, its parameters (defaults and ranges), how many.
#pragma once

#include "workers/worker.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace threadlab {

class AddWorkersDialog : public QDialog
{
    Q_OBJECT
public:
    /// Restores the last used choices from QSettings.
    explicit AddWorkersDialog(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(AddWorkersDialog)

    Backend backend() const;
    QString workload() const;
    int count() const;
    /// The parameters as edited (typed values), not yet resolved.
    QVariantMap parameterValues() const;
    /// A resolved spec (name left empty); false and error if the core refuses the values.
    bool makeSpec(WorkerSpec *spec, QString *error) const;

    void setBackend(Backend backend);
    void setWorkload(const QString &workload);
    void setCount(int count);
    /// Sets one parameter's editor (for tests and presets); false if no such parameter.
    bool setParameter(const QString &name, const QVariant &value);

    /// Saves the current choices to QSettings (done on accept()).
    void saveSettings() const;

    void accept() override;

private:
    void rebuildParameters();
    void updateDescription();

    QComboBox *m_backend;
    QComboBox *m_workload;
    QSpinBox *m_count;
    QLabel *m_description;
    QLabel *m_error;
    QFormLayout *m_paramForm;
    QWidget *m_paramBox;
    QHash<QString, QWidget *> m_editors;
};

} // namespace threadlab
