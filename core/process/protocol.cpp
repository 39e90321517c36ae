// The worker-host protocol: strict line decoder (size, JSON, types, version, clock) and the encoders.
#include "protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <cmath>

namespace threadlab {

namespace {

constexpr double MaxExactInteger = 9007199254740992.0; // 2^53: larger JSON numbers lose precision

QString missing(QStringView type, QStringView field)
{
    return QStringLiteral("%1: missing field \"%2\"").arg(type, field);
}

bool takeInt(const QJsonObject &o, QStringView type, const QString &field, qint64 *out, QString *error)
{
    const auto it = o.constFind(field);
    if (it == o.constEnd()) {
        *error = missing(type, field);
        return false;
    }
    const double d = it->toDouble(std::nan(""));
    if (!it->isDouble() || !std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > MaxExactInteger) {
        *error = QStringLiteral("%1: field \"%2\" must be an integer").arg(type, field);
        return false;
    }
    *out = qint64(d);
    return true;
}

bool takeString(
    const QJsonObject &o, QStringView type, const QString &field, QString *out, QString *error, bool optional = false)
{
    const auto it = o.constFind(field);
    if (it == o.constEnd()) {
        if (optional)
            return true;
        *error = missing(type, field);
        return false;
    }
    if (!it->isString()) {
        *error = QStringLiteral("%1: field \"%2\" must be a string").arg(type, field);
        return false;
    }
    *out = it->toString();
    return true;
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

std::optional<HostMessage> HostProtocol::decode(QByteArrayView input, QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    if (input.size() > HostMaxLineBytes) {
        *error = QStringLiteral("line too long: %1 bytes (limit %2)").arg(input.size()).arg(HostMaxLineBytes);
        return std::nullopt;
    }
    if (input.trimmed().isEmpty()) {
        *error = QStringLiteral("empty line");
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(input.toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("malformed JSON: %1 at offset %2").arg(pe.errorString()).arg(pe.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    QString type;
    if (!takeString(o, u"message", QStringLiteral("type"), &type, error))
        return std::nullopt;

    HostMessage m;
    if (type == u"hello")
        m.type = HostMessage::Type::Hello;
    else if (type == u"event")
        m.type = HostMessage::Type::Event;
    else if (type == u"progress")
        m.type = HostMessage::Type::Progress;
    else if (type == u"resource")
        m.type = HostMessage::Type::Resource;
    else if (type == u"bye")
        m.type = HostMessage::Type::Bye;
    else if (type == u"phase")
        m.type = HostMessage::Type::Phase;
    else {
        *error = QStringLiteral("unknown message type \"%1\"").arg(type.left(40));
        return std::nullopt;
    }
    if (!takeInt(o, type, QStringLiteral("t_ns"), &m.tNs, error))
        return std::nullopt;
    if (m.tNs < 0) {
        *error = QStringLiteral("%1: field \"t_ns\" must not be negative").arg(type);
        return std::nullopt;
    }

    switch (m.type) {
    case HostMessage::Type::Hello: {
        qint64 protocol = 0;
        QString clock;
        if (!takeInt(o, type, QStringLiteral("protocol"), &protocol, error))
            return std::nullopt;
        if (protocol != HostProtocolVersion) {
            *error = QStringLiteral("unsupported protocol version %1 (expected %2)")
                         .arg(protocol)
                         .arg(HostProtocolVersion);
            return std::nullopt;
        }
        m.protocol = int(protocol);
        if (!takeInt(o, type, QStringLiteral("pid"), &m.pid, error)
            || !takeInt(o, type, QStringLiteral("pgid"), &m.pgid, error)
            || !takeString(o, type, QStringLiteral("clock"), &clock, error))
            return std::nullopt;
        if (m.pid <= 0 || m.pgid <= 0) {
            *error = QStringLiteral("hello: pid and pgid must be positive");
            return std::nullopt;
        }
        if (clock != QLatin1String(HostClockName)) {
            *error = QStringLiteral("unsupported clock \"%1\" (expected %2)")
                         .arg(clock.left(40), QLatin1String(HostClockName));
            return std::nullopt;
        }
        break;
    }
    case HostMessage::Type::Event: {
        QString kind;
        if (!takeString(o, type, QStringLiteral("kind"), &kind, error))
            return std::nullopt;
        const auto k = eventKindFromString(kind);
        if (!k) {
            *error = QStringLiteral("event: unknown kind \"%1\"").arg(kind.left(40));
            return std::nullopt;
        }
        m.kind = *k;
        if (o.contains(u"value") && !takeInt(o, type, QStringLiteral("value"), &m.value, error))
            return std::nullopt;
        if (!takeString(o, type, QStringLiteral("detail"), &m.detail, error, true))
            return std::nullopt;
        break;
    }
    case HostMessage::Type::Progress:
        if (!takeInt(o, type, QStringLiteral("steps"), &m.steps, error))
            return std::nullopt;
        if (m.steps < 0) {
            *error = QStringLiteral("progress: field \"steps\" must not be negative");
            return std::nullopt;
        }
        break;
    case HostMessage::Type::Resource: {
        QString action;
        if (!takeString(o, type, QStringLiteral("action"), &action, error)
            || !takeString(o, type, QStringLiteral("kind"), &m.resourceKind, error)
            || !takeInt(o, type, QStringLiteral("id"), &m.resourceId, error)
            || !takeString(o, type, QStringLiteral("what"), &m.what, error, true))
            return std::nullopt;
        if (action != u"acquired" && action != u"released") {
            *error = QStringLiteral("resource: field \"action\" must be \"acquired\" or \"released\"");
            return std::nullopt;
        }
        m.acquired = action == u"acquired";
        break;
    }
    case HostMessage::Type::Bye: {
        QString outcome;
        if (!takeString(o, type, QStringLiteral("outcome"), &outcome, error))
            return std::nullopt;
        const auto oc = outcomeFromString(outcome);
        if (!oc || *oc == Outcome::None) {
            *error = QStringLiteral("bye: unknown outcome \"%1\"").arg(outcome.left(40));
            return std::nullopt;
        }
        m.outcome = *oc;
        break;
    }
    case HostMessage::Type::Phase: {
        QString phase;
        if (!takeString(o, type, QStringLiteral("phase"), &phase, error))
            return std::nullopt;
        const auto ph = phaseFromString(phase);
        if (!ph) {
            *error = QStringLiteral("phase: unknown phase \"%1\" (allowed: %2)")
                         .arg(phase.left(40), allNames(phaseTerms()).join(QStringLiteral(", ")));
            return std::nullopt;
        }
        m.phase = *ph;
        break;
    }
    }
    return m;
}

namespace {

struct CommandName
{
    HostCommand::Type type;
    const char *name;
};

constexpr CommandName CommandNames[] = {
    { HostCommand::Type::Stop, "stop" },
    { HostCommand::Type::Ping, "ping" },
    { HostCommand::Type::AsyncExc, "async-exc" },
    { HostCommand::Type::Settrace, "settrace" },
    { HostCommand::Type::Exit, "exit" },
    { HostCommand::Type::Terminate, "terminate" },
    { HostCommand::Type::Kill, "kill" },
};

} // namespace

std::optional<HostCommand> HostProtocol::decodeCommand(QByteArrayView input, QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    if (input.size() > HostMaxLineBytes) {
        *error = QStringLiteral("command too long");
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(input.toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("malformed command");
        return std::nullopt;
    }
    const QString cmd = doc.object().value(u"cmd").toString();
    for (const auto &[type, name] : CommandNames)
        if (cmd == QLatin1StringView(name))
            return HostCommand { type };
    *error = QStringLiteral("unknown command \"%1\"").arg(cmd.left(40));
    return std::nullopt;
}

QByteArray HostProtocol::encodeHello(qint64 pid, qint64 pgid, qint64 tNs, int protocol)
{
    return line(QJsonObject { { u"type"_qs, u"hello"_qs }, { u"protocol"_qs, protocol }, { u"pid"_qs, pid },
        { u"pgid"_qs, pgid }, { u"clock"_qs, QLatin1String(HostClockName) }, { u"t_ns"_qs, tNs } });
}

QByteArray HostProtocol::encodeEvent(qint64 tNs, EventKind kind, qint64 value, const QString &detail)
{
    QJsonObject o { { u"type"_qs, u"event"_qs }, { u"t_ns"_qs, tNs }, { u"kind"_qs, toString(kind) } };
    if (value != 0)
        o.insert(u"value"_qs, value);
    if (!detail.isEmpty())
        o.insert(u"detail"_qs, detail.left(4096));
    return line(o);
}

QByteArray HostProtocol::encodePhase(qint64 tNs, WorkerPhase phase)
{
    return line(QJsonObject { { u"type"_qs, u"phase"_qs }, { u"t_ns"_qs, tNs }, { u"phase"_qs, toString(phase) } });
}

QByteArray HostProtocol::encodeProgress(qint64 tNs, qint64 steps)
{
    return line(QJsonObject { { u"type"_qs, u"progress"_qs }, { u"t_ns"_qs, tNs }, { u"steps"_qs, steps } });
}

QByteArray HostProtocol::encodeResource(qint64 tNs, bool acquired, const QString &kind, qint64 id, const QString &what)
{
    return line(QJsonObject { { u"type"_qs, u"resource"_qs }, { u"t_ns"_qs, tNs },
        { u"action"_qs, acquired ? u"acquired"_qs : u"released"_qs }, { u"kind"_qs, kind }, { u"id"_qs, id },
        { u"what"_qs, what } });
}

QByteArray HostProtocol::encodeBye(qint64 tNs, Outcome outcome)
{
    return line(QJsonObject { { u"type"_qs, u"bye"_qs }, { u"t_ns"_qs, tNs }, { u"outcome"_qs, toString(outcome) } });
}

QByteArray HostProtocol::encodeCommand(HostCommand::Type type)
{
    for (const auto &[t, name] : CommandNames)
        if (t == type)
            return line(QJsonObject { { u"cmd"_qs, QLatin1StringView(name) } });
    return line(QJsonObject { { u"cmd"_qs, u"ping"_qs } });
}

QString HostProtocol::quote(QByteArrayView input, qsizetype maxChars)
{
    QString s = QString::fromUtf8(input.first(qMin(input.size(), maxChars * 4)));
    bool truncated = input.size() > maxChars * 4;
    if (s.size() > maxChars) {
        s.truncate(maxChars);
        truncated = true;
    }
    for (QChar &c : s) {
        if (!c.isPrint())
            c = u'?';
    }
    return u'"' + s + (truncated ? u"\u2026\""_qs : u"\""_qs);
}

bool HostLineSplitter::feed(QByteArrayView data, QString *error)
{
    if (m_start > 0 && m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    }
    m_buffer.append(data.data(), data.size());
    // The pending (unterminated) part must stay within the limit; complete lines are checked by decode().
    const qsizetype lastNl = m_buffer.lastIndexOf('\n');
    const qsizetype tailStart = lastNl < 0 ? m_start : lastNl + 1;
    if (m_buffer.size() - tailStart > HostMaxLineBytes) {
        if (error)
            *error = QStringLiteral("line too long: more than %1 bytes without a newline").arg(HostMaxLineBytes);
        return false;
    }
    return true;
}

std::optional<QByteArray> HostLineSplitter::takeLine()
{
    const qsizetype nl = m_buffer.indexOf('\n', m_start);
    if (nl < 0) {
        if (m_start > 0) {
            m_buffer.remove(0, m_start);
            m_start = 0;
        }
        return std::nullopt;
    }
    QByteArray out = m_buffer.mid(m_start, nl - m_start);
    m_start = nl + 1;
    return out;
}

QByteArray HostLineSplitter::pending() const
{
    return m_buffer.mid(m_start);
}

} // namespace threadlab
