// The storage of an EventLog (internal to core/events): a chunk of events and one thread's buffer.
#pragma once

#include "eventlog.h"

#include <QtGlobal>
#include <atomic>
#include <memory>
#include <new>
#include <sys/mman.h>

/// Internal names, kept out of `threadlab` so no other file's Chunk or Producer can collide with them.
namespace threadlab::eventbuffers {

/// A fixed block of events, never freed or moved while its log lives (readers keep pointers into it).
/// Its pages are mapped populated (one kernel call instead of a fault per page, and no growth of the calling
/// thread's malloc arena) and every event is value-initialised, so appends into it never page-fault.
struct Chunk
{
    static constexpr std::size_t Bytes = std::size_t(EventLog::ChunkEvents) * sizeof(Event);
    Chunk()
    {
        void *memory = mmap(nullptr, Bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (memory == MAP_FAILED)
            throw std::bad_alloc();
        events = static_cast<Event *>(memory);
        std::uninitialized_value_construct_n(events, EventLog::ChunkEvents);
    }
    ~Chunk()
    {
        std::destroy_n(events, EventLog::ChunkEvents);
        munmap(events, Bytes);
    }
    Q_DISABLE_COPY_MOVE(Chunk)
    Event *events = nullptr;
    std::atomic<Chunk *> next { nullptr }; ///< set by the producer before it publishes an event in `next`
    Chunk *poolNext = nullptr; ///< the next spare while in the pool (set once, before the chunk is pushed)
};

/// One thread buffer: written by exactly one thread at a time (ownership changes under the store mutex).
struct alignas(64) Producer
{
    explicit Producer(Chunk *first, int order)
        : cur(first)
        , head(first)
        , index(order)
        , readChunk(first)
    {
    }
    // Owner fields: touched on every append.
    Chunk *cur;
    qsizetype fill = 0; ///< events in cur
    qsizetype writable = 0; ///< appends allowed before the slow path (reserved and room in cur)
    qsizetype spare = 0; ///< reserved slots that did not fit in cur
    std::atomic<qint64> published { 0 }; ///< events written so far; release-stored after each event
    std::atomic<qint64> dropped { 0 }; ///< written by the owner only; read by anyone

    // Immutable after creation.
    Chunk *const head;
    const int index; ///< creation order: the tie-break of the merge
    Producer *nextProducer = nullptr; ///< list of every producer, published through EventStore::producers

    // Reader fields (under EventStore::readMutex), on their own cache line.
    alignas(64) Chunk *readChunk;
    qsizetype readPos = 0;
    qint64 readCount = 0;
};

} // namespace threadlab::eventbuffers
