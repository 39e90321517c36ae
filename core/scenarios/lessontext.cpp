// Lesson texts with placeholders ({{worker.kill}}, {{a.observed / b.observed}}) filled from the run's measurements.
#include "lessontext.h"

#include "base/workersnapshot.h"
#include "model/runsource.h"
#include "model/workerfold.h"
#include "scenario.h"
#include "scenarioresult.h"

#include <QRegularExpression>
#include <cmath>
#include <optional>

namespace threadlab {

namespace {

const QString NotMeasured = QStringLiteral("(not measured yet)");
const QString Unknown = QStringLiteral("—");

/// {{ operand }} or {{ operand / operand }}; an operand is name.field, the name may itself contain dots.
const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(\{\{\s*([A-Za-z0-9_.-]+)\s*(?:/\s*([A-Za-z0-9_.-]+)\s*)?\}\})"));
    return re;
}

/// A number followed by a time unit, not part of a name ("step-10ms") or of a placeholder.
const QRegularExpression &timingPattern()
{
    static const QRegularExpression re(QStringLiteral(
        R"((?<![\w.\-])\d+(?:[.,]\d+)?\s*(?:ns|µs|&micro;s|&#181;s|us|ms|s|min|sec|seconds?|milliseconds?|microseconds?|nanoseconds?)(?![\w]))"));
    return re;
}

struct Operand
{
    QString worker;
    QString field;
};

std::optional<Operand> splitOperand(const QString &s)
{
    const qsizetype dot = s.lastIndexOf(u'.');
    if (dot <= 0 || dot == s.size() - 1)
        return std::nullopt;
    return Operand { s.left(dot), s.mid(dot + 1) };
}

enum class Kind { Duration, Count, Word, Text };

/// The value of one operand: a number with its kind, or the word/text; unknown/unmeasured say why not.
struct Value
{
    bool known = true; ///< the worker and field exist
    bool measured = false;
    Kind kind = Kind::Duration;
    double number = 0;
    QString text;
};

Value latency(const std::optional<qint64> &ns)
{
    Value v;
    v.measured = ns.has_value();
    v.number = double(ns.value_or(0));
    return v;
}

Value valueOf(const Operand &op, const LessonFigureMap &figures)
{
    const auto it = figures.constFind(op.worker);
    Value v;
    if (it == figures.cend()) {
        v.known = false;
        return v;
    }
    const LessonFigures &f = *it;
    const QString &field = op.field;
    if (field == u"observed")
        return latency(f.latencies.observed);
    if (field == u"exited")
        return latency(f.latencies.exited);
    if (field == u"joined")
        return latency(f.latencies.joined);
    if (field == u"kill")
        return latency(f.latencies.kill);
    if (field == u"cleanup")
        return latency(f.latencies.cleanup);
    if (field == u"cpu") {
        v.measured = f.started;
        v.number = double(f.cpuNs);
        return v;
    }
    if (field == u"steps") {
        v.measured = f.started;
        v.kind = Kind::Count;
        v.number = double(f.steps);
        return v;
    }
    if (field == u"outcome") {
        v.measured = f.outcome != Outcome::None;
        v.kind = Kind::Word;
        v.text = v.measured ? toString(f.outcome) : QString();
        return v;
    }
    const auto p = f.params.constFind(field);
    if (p == f.params.cend()) {
        v.known = false;
        return v;
    }
    // A parameter is what this run was configured with: as true as any measurement of it.
    v.measured = true;
    if (p->typeId() == QMetaType::LongLong || p->typeId() == QMetaType::Int) {
        const qint64 n = p->toLongLong();
        if (field.endsWith(u"_ms")) {
            v.number = double(n) * 1e6;
        } else if (field.endsWith(u"_us")) {
            v.number = double(n) * 1e3;
        } else {
            v.kind = Kind::Count;
            v.number = double(n);
        }
        return v;
    }
    v.kind = Kind::Text;
    v.text = p->typeId() == QMetaType::Bool ? (p->toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                            : p->toString();
    return v;
}

QString show(const Value &v)
{
    if (!v.known)
        return Unknown;
    if (!v.measured)
        return NotMeasured;
    switch (v.kind) {
    case Kind::Duration:
        return formatDuration(qint64(v.number));
    case Kind::Count:
        return QString::number(qint64(v.number));
    case Kind::Word:
    case Kind::Text:
        return v.text;
    }
    return Unknown;
}

QString ratio(const Value &a, const Value &b)
{
    const bool numeric = [](const Value &v) { return v.kind == Kind::Duration || v.kind == Kind::Count; }(a)
        && (b.kind == Kind::Duration || b.kind == Kind::Count);
    if (!a.known || !b.known || !numeric)
        return Unknown;
    if (!a.measured || !b.measured)
        return NotMeasured;
    if (b.number == 0)
        return Unknown;
    const double r = a.number / b.number;
    if (!std::isfinite(r))
        return Unknown;
    // Two significant figures below 10, whole numbers above: a ratio is a rough figure.
    return std::abs(r) >= 10 ? QString::number(std::llround(r)) : QString::number(r, 'g', 2);
}

QString problemOf(const QString &operand, const QHash<QString, Params> &params)
{
    const auto op = splitOperand(operand);
    if (!op)
        return QStringLiteral("'%1' is not worker.field").arg(operand);
    const auto it = params.constFind(op->worker);
    if (it == params.cend()) {
        QStringList names = params.keys();
        names.sort();
        return QStringLiteral("no worker named '%1' (allowed: %2)").arg(op->worker, names.join(QStringLiteral(", ")));
    }
    if (!LessonText::fieldNames().contains(op->field) && !it->contains(op->field)) {
        QStringList allowed = LessonText::fieldNames();
        QStringList paramNames = it->keys();
        paramNames.sort();
        allowed += paramNames;
        return QStringLiteral("no field '%1' (allowed: %2)").arg(op->field, allowed.join(QStringLiteral(", ")));
    }
    return {};
}

} // namespace

LessonFigures LessonFigures::of(const WorkerFold &fold, const WorkerSnapshot &snapshot, qint64 steps)
{
    LessonFigures f;
    f.started = fold.times().started >= 0 || fold.times().firstStep >= 0 || fold.hasEnded();
    f.latencies = fold.latencies();
    f.steps = steps;
    f.cpuNs = snapshot.cpuTimeNs;
    f.outcome = fold.outcome();
    f.params = snapshot.params;
    return f;
}

LessonFigures LessonFigures::of(const WorkerResult &result)
{
    LessonFigures f;
    f.started = result.skipped.isEmpty() && result.id >= 0;
    f.latencies = result.latencies;
    f.steps = result.stepsDone;
    f.cpuNs = result.cpuTimeNs;
    f.outcome = result.outcome;
    f.params = result.params;
    return f;
}

QStringList LessonText::fieldNames()
{
    return { QStringLiteral("observed"), QStringLiteral("exited"), QStringLiteral("joined"), QStringLiteral("kill"),
        QStringLiteral("cleanup"), QStringLiteral("cpu"), QStringLiteral("steps"), QStringLiteral("outcome") };
}

namespace {

/// Whether position `at` of a lesson's text sits inside an open bracket of its paragraph: "(joined in {{x}})".
bool insideBrackets(const QString &text, qsizetype at)
{
    const qsizetype paragraph = std::max(text.lastIndexOf(u"<p>", at), text.lastIndexOf(u"<li>", at));
    const QStringView before
        = QStringView(text).mid(std::max<qsizetype>(paragraph, 0), at - std::max<qsizetype>(paragraph, 0));
    return before.count(u'(') > before.count(u')');
}

/// A figure not measured yet reads "(not measured yet)", without its own brackets where the lesson already put
/// the placeholder in brackets (no "((not measured yet))").
QString unbracketed(const QString &shown, const QString &text, qsizetype at)
{
    if (shown == NotMeasured && insideBrackets(text, at))
        return shown.mid(1, shown.size() - 2);
    return shown;
}

} // namespace

QString LessonText::render(const QString &text, const LessonFigureMap &figures)
{
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const auto a = splitOperand(m.captured(1));
        if (!a) {
            out += Unknown;
            continue;
        }
        const Value va = valueOf(*a, figures);
        if (m.captured(2).isEmpty()) {
            out += unbracketed(show(va), text, m.capturedStart()).toHtmlEscaped();
            continue;
        }
        const auto b = splitOperand(m.captured(2));
        out += b ? unbracketed(ratio(va, valueOf(*b, figures)), text, m.capturedStart()) : Unknown;
    }
    out += QStringView(text).mid(last);
    return out;
}

QStringList LessonText::problems(const QString &text, const QHash<QString, Params> &params)
{
    QStringList out;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        for (int i = 1; i <= 2; ++i) {
            if (m.captured(i).isEmpty())
                continue;
            const QString why = problemOf(m.captured(i), params);
            if (!why.isEmpty())
                out << QStringLiteral("%1: %2").arg(m.captured(0), why);
        }
    }
    // A brace pair that is not a well-formed placeholder would be shown as typed: name it too.
    static const QRegularExpression stray(QStringLiteral(R"(\{\{[^}]*\}\})"));
    auto s = stray.globalMatch(text);
    while (s.hasNext()) {
        const QString p = s.next().captured(0);
        if (!placeholderPattern().match(p).hasMatch())
            out << QStringLiteral("%1: not a placeholder (allowed: {{worker.field}} or {{a.field / b.field}})").arg(p);
    }
    return out;
}

QStringList LessonText::typedTimings(const QString &text)
{
    QString outside = text;
    outside.replace(placeholderPattern(), QStringLiteral(" "));
    QStringList out;
    auto it = timingPattern().globalMatch(outside);
    while (it.hasNext())
        out << it.next().captured(0);
    return out;
}

LessonFigureMap LessonText::figures(const Scenario &scenario)
{
    LessonFigureMap out;
    for (const ScenarioWorker &w : scenario.workers) {
        LessonFigures f;
        f.params = w.params;
        out.insert(w.name, f);
    }
    return out;
}

LessonFigureMap LessonText::figures(const ScenarioResult &result)
{
    LessonFigureMap out;
    for (const WorkerResult &w : result.workers)
        if (!out.contains(w.name))
            out.insert(w.name, LessonFigures::of(w));
    return out;
}

LessonFigureMap LessonText::figures(const RunSource &source, const QList<int> &workerIds)
{
    LessonFigureMap out;
    for (int id : workerIds) {
        const auto fold = source.fold(id);
        if (!fold)
            continue;
        const WorkerSnapshot s = source.snapshot(id);
        if (!out.contains(s.name))
            out.insert(s.name, LessonFigures::of(*fold, s, source.steps(id)));
    }
    return out;
}

QString LessonText::toPlainText(const QString &html)
{
    QString s = html;
    static const QRegularExpression heading(QStringLiteral("</h[1-6]>"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression block(
        QStringLiteral("</p>|<br\\s*/?>|</li>"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression item(QStringLiteral("<li>"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    s.replace(heading, QStringLiteral(":\n"));
    s.replace(block, QStringLiteral("\n"));
    s.replace(item, QStringLiteral("- "));
    s.replace(tag, QString());
    s.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    s.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    s.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    s.replace(QStringLiteral("&#39;"), QStringLiteral("'"));
    s.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    s.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    QStringList lines;
    for (const QString &line : s.split(u'\n'))
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    return lines.join(u'\n');
}

} // namespace threadlab
