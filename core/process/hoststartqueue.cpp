// The bounded start queue of worker hosts: at most MaxStarting between start and hello.
#include "hoststartqueue.h"

#include <QObject>

namespace threadlab {

HostStartQueue &HostStartQueue::instance()
{
    static HostStartQueue queue;
    return queue;
}

void HostStartQueue::enqueue(int ticket, QObject *owner, std::function<void()> start)
{
    m_waiting.append(Entry { ticket, owner, std::move(start) });
    startNext();
}

void HostStartQueue::done(int ticket)
{
    if (ticket <= 0)
        return;
    m_waiting.removeIf([ticket](const Entry &e) { return e.ticket == ticket; });
    if (m_starting.removeAll(ticket) > 0)
        startNext();
}

void HostStartQueue::startNext()
{
    while (m_starting.size() < MaxStarting && !m_waiting.isEmpty()) {
        Entry e = m_waiting.takeFirst();
        if (!e.owner)
            continue; // its worker went away while it waited
        m_starting.append(e.ticket);
        e.start();
    }
}

} // namespace threadlab
