// The worker-host protocol: one JSON object per line; message types, strict decoder with limits, encoders.
#pragma once

#include "base/event.h"
#include "base/vocabulary.h"
#include "base/workerphase.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

namespace threadlab {

/// Protocol version spoken by this build (host and app must agree exactly).
constexpr int HostProtocolVersion = 1;
/// Longest accepted line, without its newline; a longer one is a protocol fault.
constexpr qsizetype HostMaxLineBytes = 64 * 1024;
/// The only clock a host may declare.
inline constexpr char HostClockName[] = "CLOCK_MONOTONIC";

/// One decoded line from the host (stdout). Only the fields of its type are meaningful.
struct HostMessage
{
    enum class Type { Hello, Event, Progress, Resource, Bye, Phase };
    Type type = Type::Hello;
    qint64 tNs = 0; ///< the host's CLOCK_MONOTONIC ns
    // hello
    qint64 pid = 0;
    qint64 pgid = 0;
    int protocol = 0;
    // event
    EventKind kind = EventKind::Note;
    qint64 value = 0;
    QString detail;
    // progress
    qint64 steps = 0;
    // resource: a child process (or other resource) the host declares
    bool acquired = true;
    QString resourceKind; ///< ResourceKind spelling, e.g. "process"
    qint64 resourceId = 0; ///< e.g. a pid
    QString what;
    // bye
    Outcome outcome = Outcome::None;
    // phase: where the workload's code is now (sent when it changes, sampled like progress)
    WorkerPhase phase = WorkerPhase::None;
};

/// A command from the app (stdin). threadlab-worker acts on stop and ping; the Python host
/// (threadlab-pyhost.py) also on the Python stop methods: async-exc, settrace, exit (the interpreter's),
/// terminate and kill (of its multiprocessing child).
struct HostCommand
{
    enum class Type { Stop, Ping, AsyncExc, Settrace, Exit, Terminate, Kill };
    Type type = Type::Stop;
};

/// Decoding and encoding of the protocol. Every decode error is one line that names the fault exactly.
class HostProtocol
{
public:
    /// Decodes one line (without its newline). Returns nullopt and sets error on any fault: oversized,
    /// malformed JSON, not an object, unknown type, missing or mistyped field, wrong version or clock.
    static std::optional<HostMessage> decode(QByteArrayView line, QString *error);
    static std::optional<HostCommand> decodeCommand(QByteArrayView line, QString *error);

    static QByteArray encodeHello(qint64 pid, qint64 pgid, qint64 tNs, int protocol = HostProtocolVersion);
    static QByteArray encodeEvent(qint64 tNs, EventKind kind, qint64 value, const QString &detail);
    static QByteArray encodeProgress(qint64 tNs, qint64 steps);
    static QByteArray encodeResource(qint64 tNs, bool acquired, const QString &kind, qint64 id, const QString &what);
    static QByteArray encodeBye(qint64 tNs, Outcome outcome);
    static QByteArray encodePhase(qint64 tNs, WorkerPhase phase);
    static QByteArray encodeCommand(HostCommand::Type type);

    /// The offending input for a Note: printable, at most maxChars characters, "…" when truncated.
    static QString quote(QByteArrayView input, qsizetype maxChars = 120);
};

/// Splits a byte stream into lines and enforces the line limit even before a newline arrives.
class HostLineSplitter
{
public:
    /// Appends data; returns false (and sets error) once the pending line exceeds HostMaxLineBytes.
    bool feed(QByteArrayView data, QString *error);
    /// Takes the next complete line (without newline); nullopt when none is complete.
    std::optional<QByteArray> takeLine();
    /// Bytes received after the last newline (an unterminated tail).
    QByteArray pending() const;

private:
    QByteArray m_buffer;
    qsizetype m_start = 0;
};

} // namespace threadlab
