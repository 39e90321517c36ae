// The worker commands of the main window, applied to the selection: add, start, stop, pause, clear, recover.
#pragma once

#include "workers/worker.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>

namespace threadlab {

class Lab;

/// No widgets: it reads the selection and the stop policy through the functions it is given and says what
/// it did in message(); the owner refreshes views on workersChanged() and actions on commandApplied().
class WorkerCommands : public QObject
{
    Q_OBJECT
public:
    explicit WorkerCommands(Lab *lab, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkerCommands)

    void setSelection(std::function<QList<Worker *>()> selection) { m_selection = std::move(selection); }
    void setPolicy(std::function<StopPolicy()> policy) { m_policy = std::move(policy); }

    /// Adds count workers like spec (named w1, w2, ...); returns how many were made, error for the first refusal.
    int addWorkers(const WorkerSpec &spec, int count, QString *error = nullptr);
    /// Ids of the workers made by the last addWorkers().
    QList<int> lastAdded() const { return m_lastAdded; }
    void start();
    void stop(StopMethod method);
    void pause(bool pause);
    /// Every started, unfinished worker with escalation (the selection does not matter).
    void stopAll();
    void clearFinished();
    void recover();

signals:
    void message(const QString &text, int timeoutMs);
    /// Workers were added or forgotten.
    void workersChanged();
    /// A command went to some workers; their states will change.
    void commandApplied();
    /// Workers were started (views may want to follow the live end).
    void workersStarted();

private:
    QList<Worker *> selection() const { return m_selection ? m_selection() : QList<Worker *>(); }
    StopPolicy policy() const { return m_policy ? m_policy() : StopPolicy(); }

    QPointer<Lab> m_lab;
    std::function<QList<Worker *>()> m_selection;
    std::function<StopPolicy()> m_policy;
    QList<int> m_lastAdded;
    int m_nameCounter = 0;
};

} // namespace threadlab
