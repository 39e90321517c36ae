// The lab: owns the workers, the event log, the shared resources and the worker thread pool.
#pragma once

#include "base/event.h"
#include "workers/worker.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <memory>

namespace threadlab {

class EventBatcher;
class EventLog;
class LabResources;

/// What shutdown() achieved.
struct ShutdownReport
{
    int stopped = 0; ///< workers that ended within the deadline
    QStringList stillRunning; ///< workers (and child threads) that could not be stopped: kept alive, said here
    qint64 durationNs = 0;
};

class Lab : public QObject
{
    Q_OBJECT
public:
    explicit Lab(QObject *parent = nullptr);
    /// Shuts down (see shutdown()) with a default deadline if that was not done yet.
    ~Lab() override;
    Q_DISABLE_COPY_MOVE(Lab)

    /// Makes a worker (state created). Returns nullptr and sets error (one line) on a bad spec.
    Worker *addWorker(const WorkerSpec &spec, QString *error = nullptr);
    QList<Worker *> workers() const;
    Worker *worker(int id) const;
    /// Forgets finished workers whose code has ended (their events stay in the log).
    void clearFinished();

    EventLog &log() const { return *m_log; }
    std::shared_ptr<EventLog> logPtr() const { return m_log; }
    LabResources &resources() const { return *m_resources; }
    EventBatcher &batcher() const { return *m_batcher; }
    QThreadPool &pool() { return *m_pool; }

    /// Recovers the lab (fresh lab mutex, orphaned child threads stopped); one line per action.
    QStringList recover();

    /// The documented shutdown order: refuse new work; request a stop of every worker (cancel futures,
    /// interrupt + quit threads, stop processes); wait up to deadlineMs pumping events; force what is left
    /// where force exists; stop orphaned child threads; wait again. Threads that still run are kept alive
    /// (never destroyed while running) and named in the report.
    ShutdownReport shutdown(int deadlineMs = 3000);

signals:
    void workerAdded(threadlab::Worker *worker);
    void workerRemoved(int workerId);
    void eventsRecorded(const threadlab::EventList &batch);

private:
    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<LabResources> m_resources;
    EventBatcher *m_batcher = nullptr;
    /// Owned; deliberately leaked if a task still runs at destruction (~QThreadPool would block on it).
    QThreadPool *m_pool = nullptr;
    QList<QPointer<Worker>> m_workers;
    int m_nextId = 1;
    bool m_shutDown = false;
};

} // namespace threadlab
