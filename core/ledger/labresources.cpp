// Resources shared by the workers of one lab: the lab mutex (with generations), the lab directory, child threads.
#include "labresources.h"

#include "base/clock.h"
#include "temproot.h"

#include <QDir>
#include <QMutexLocker>
#include <algorithm>
#include <chrono>
#include <thread>

namespace threadlab {

LabResources::LabResources()
{
    // A worker host works in the private directory its app made for it (and removes once it is reaped); anything
    // else gets a directory inside the app's one temporary root. Never the working directory.
    const QString given = qEnvironmentVariable(qPrintable(hostDirVariable()));
    if (!given.isEmpty() && given.startsWith(u'/') && TempRoot::isPrivateDir(given)) {
        m_dir = QDir::cleanPath(given);
    } else {
        m_dir = TempRoot::makeDir(QStringLiteral("lab-"));
        m_ownsDir = !m_dir.isEmpty();
    }
    m_labMutexes.push_back(std::make_shared<QMutex>());
}

LabResources::~LabResources()
{
    // Children hold their own share of the lab, so normally none is left; stop any anyway before the
    // directory goes.
    stopChildren(1000);
    if (m_ownsDir)
        TempRoot::removeDir(m_dir);
    // A lab mutex still held (by a killed worker) is never destroyed: destroying a locked QMutex is
    // undefined. It is kept reachable, on purpose, for the rest of the process.
    static QMutex keptMutex;
    static auto *kept = new std::vector<std::shared_ptr<QMutex>>;
    for (const auto &m : m_labMutexes) {
        if (m->tryLock()) {
            m->unlock();
        } else {
            QMutexLocker lock(&keptMutex);
            kept->push_back(m);
        }
    }
}

std::shared_ptr<QMutex> LabResources::labMutex() const
{
    QMutexLocker lock(&m_mutex);
    return m_labMutexes.back();
}

int LabResources::labMutexGeneration() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_labMutexes.size()) - 1;
}

std::shared_ptr<QMutex> LabResources::labMutex(int generation) const
{
    QMutexLocker lock(&m_mutex);
    if (generation < 0 || size_t(generation) >= m_labMutexes.size())
        return nullptr;
    return m_labMutexes[size_t(generation)];
}

void LabResources::setLabMutexHolder(int generation, qint64 tid)
{
    QMutexLocker lock(&m_mutex);
    if (generation < 0)
        return;
    if (m_labMutexHolders.size() <= size_t(generation))
        m_labMutexHolders.resize(size_t(generation) + 1, 0);
    m_labMutexHolders[size_t(generation)] = tid;
}

qint64 LabResources::labMutexHolder(int generation) const
{
    QMutexLocker lock(&m_mutex);
    return generation >= 0 && size_t(generation) < m_labMutexHolders.size() ? m_labMutexHolders[size_t(generation)] : 0;
}

QString LabResources::labDir() const
{
    return m_dir;
}

std::shared_ptr<LabResources::ChildThread> LabResources::registerChild(int parentWorker)
{
    auto child = std::make_shared<ChildThread>();
    child->parentWorker = parentWorker;
    QMutexLocker lock(&m_mutex);
    // Forget children that have ended and that nobody else refers to any more.
    m_children.erase(std::remove_if(m_children.begin(), m_children.end(),
                         [](const std::shared_ptr<ChildThread> &c) {
                             return c->done.load(std::memory_order_acquire) && c.use_count() == 1;
                         }),
        m_children.end());
    m_children.push_back(child);
    return child;
}

std::vector<std::shared_ptr<LabResources::ChildThread>> LabResources::liveChildren() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<std::shared_ptr<ChildThread>> out;
    for (const auto &c : m_children)
        if (!c->done.load(std::memory_order_acquire))
            out.push_back(c);
    return out;
}

int LabResources::stopChildren(int timeoutMs)
{
    const auto live = liveChildren();
    for (const auto &c : live)
        c->stop.store(true, std::memory_order_release);
    const qint64 giveUp = monotonicNowNs() + qint64(timeoutMs) * 1'000'000;
    for (;;) {
        const int running = int(std::count_if(live.begin(), live.end(),
            [](const std::shared_ptr<ChildThread> &c) { return !c->done.load(std::memory_order_acquire); }));
        if (running == 0 || monotonicNowNs() >= giveUp)
            return running;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

QStringList LabResources::recover(int timeoutMs)
{
    QStringList lines;
    const int generation = labMutexGeneration();
    const std::shared_ptr<QMutex> current = labMutex(generation);
    if (current->tryLock(50)) {
        current->unlock();
    } else {
        // The held mutex stays alive on purpose: destroying a locked QMutex is undefined.
        QMutexLocker lock(&m_mutex);
        m_labMutexes.push_back(std::make_shared<QMutex>());
        lines << QStringLiteral("lab mutex was held (generation %1): replaced by a fresh one (generation %2)")
                     .arg(generation)
                     .arg(m_labMutexes.size() - 1);
    }
    const auto live = liveChildren();
    if (!live.empty()) {
        const int still = stopChildren(timeoutMs);
        const int stopped = int(live.size()) - still;
        if (stopped > 0)
            lines << QStringLiteral("stopped %1 orphaned child thread(s)").arg(stopped);
        if (still > 0)
            lines << QStringLiteral("%1 child thread(s) still running after %2 ms: asked to stop, kept alive")
                         .arg(still)
                         .arg(timeoutMs);
    }
    return lines;
}

} // namespace threadlab
