// A bounded queue for starting worker hosts: at most a few start at once, so 200 hosts on 2 cores all say hello.
#pragma once

#include <QList>
#include <QPointer>
#include <functional>

namespace threadlab {

/// One per app, main thread only. A host counts as starting from its start until its hello (or its end); the
/// next queued host starts when one of those slots frees. A host's hello deadline begins when it really starts,
/// so a long queue never fails hosts that merely waited their turn.
class HostStartQueue
{
public:
    /// How many hosts may be starting at once.
    static constexpr int MaxStarting = 4;

    static HostStartQueue &instance();
    /// A ticket for enqueue() and done() (taken first: start may run, and end, inside enqueue()).
    int newTicket() { return ++m_lastTicket; }
    /// Queues start (run at once if a slot is free, else when one frees, while owner is alive).
    void enqueue(int ticket, QObject *owner, std::function<void()> start);
    /// The host said hello, ended or never started (idempotent; a queued ticket is dropped).
    void done(int ticket);
    /// Hosts starting now, and waiting.
    int starting() const { return int(m_starting.size()); }
    int waiting() const { return int(m_waiting.size()); }

private:
    HostStartQueue() = default;
    void startNext();

    struct Entry
    {
        int ticket = 0;
        QPointer<QObject> owner;
        std::function<void()> start;
    };
    QList<Entry> m_waiting;
    QList<int> m_starting;
    int m_lastTicket = 0;
};

} // namespace threadlab
