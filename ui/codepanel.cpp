// Code beside the run: the excerpt of the selected worker's workload with its current line highlighted.
#include "codepanel.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QVBoxLayout>

namespace threadlab {

CodePanel::CodePanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_stopCheck(new QLabel(this))
    , m_code(new QPlainTextEdit(this))
    , m_now(new QLabel(this))
{
    setAccessibleName(u"Code beside the run"_qs);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_stopCheck->setWordWrap(true);
    m_stopCheck->setAccessibleName(u"The backend's stop check"_qs);
    m_code->setReadOnly(true);
    // Wrapped: a pane a third of a 1024 px window wide shows whole lines rather than a sideways scroll.
    m_code->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_code->setAccessibleName(u"Workload code"_qs);
    m_now->setWordWrap(true);
    m_now->setTextFormat(Qt::RichText);
    m_now->setAccessibleName(u"Where the code is now"_qs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_stopCheck);
    layout->addWidget(m_code, 1);
    layout->addWidget(m_now);
    m_poll.setInterval(PollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &CodePanel::poll);
    applyFont();
    reload();
}

void CodePanel::setSource(RunSource *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    m_workerId = -1;
    if (source)
        connect(source, &RunSource::workersChanged, this, [this](const QList<int> &ids) {
            if (ids.contains(m_workerId)) {
                poll();
                updatePolling();
            }
        });
    reload();
}

void CodePanel::setWorker(int workerId)
{
    if (workerId == m_workerId)
        return;
    m_workerId = workerId;
    reload();
}

void CodePanel::reload()
{
    const bool known = m_source && m_source->contains(m_workerId);
    if (!known) {
        m_excerpt.reset();
        m_loadedKey.clear();
        m_title->setText(u"Code beside the run"_qs);
        m_stopCheck->setText(u"Select a worker to see its workload's code; the line it runs now is highlighted."_qs);
        m_code->clear();
        m_now->clear();
        m_phase = WorkerPhase::None;
        m_line = -1;
        updatePolling();
        return;
    }
    const WorkerSnapshot s = m_source->snapshot(m_workerId);
    m_title->setText(u"%1 · %2"_qs.arg(s.workload, toString(s.backend)));
    m_stopCheck->setText(CodeExcerpts::stopCheckOf(s.backend));
    const QString key = s.workload + u'/' + (isPython(s.backend) ? u"py"_qs : u"cpp"_qs);
    if (key != m_loadedKey) {
        m_loadedKey = key;
        QString error;
        m_excerpt = CodeExcerpts::load(s.workload, s.backend, &error);
        m_code->setPlainText(m_excerpt ? m_excerpt->lines.join(u'\n') : error);
        m_line = -2; // force a re-highlight
    }
    m_phase = WorkerPhase::None;
    poll();
    updatePolling();
}

void CodePanel::poll()
{
    if (!m_source || !m_source->contains(m_workerId))
        return;
    const auto fold = m_source->fold(m_workerId);
    WorkerPhase phase = m_source->phase(m_workerId);
    if (fold && fold->hasEnded())
        phase = WorkerPhase::Finished; // the code is over, whatever was published last
    const int line = m_excerpt ? m_excerpt->lineOf(phase) : -1;
    QString kernel;
    if (fold && !fold->kernelSpans().isEmpty()) {
        const KernelStateSpan &k = fold->kernelSpans().constLast();
        if (k.isOpen())
            kernel = u" · kernel: <b>%1</b> (%2)"_qs.arg(QChar::fromLatin1(letterOf(k.state))).arg(toString(k.state));
    }
    const QString nowText = phase == WorkerPhase::None
        ? (fold && fold->times().started >= 0 ? u"Now: <i>no phase measured</i> (a recording keeps none)"_qs
                                              : u"Now: <i>not started</i>"_qs)
        : u"Now: <b>%1</b> — %2"_qs.arg(toString(phase), describe(phase).toHtmlEscaped());
    m_now->setText(nowText + kernel);
    m_phase = phase;
    if (line != m_line)
        highlight(line);
}

void CodePanel::highlight(int line)
{
    m_line = line;
    QList<QTextEdit::ExtraSelection> selections;
    if (line >= 0) {
        QTextEdit::ExtraSelection sel;
        const QPalette pal = palette();
        sel.format.setBackground(pal.color(QPalette::Highlight));
        sel.format.setForeground(pal.color(QPalette::HighlightedText));
        sel.format.setProperty(QTextFormat::FullWidthSelection, true);
        // The whole block: a long line wrapped in a narrow pane is highlighted on every row it takes.
        QTextCursor block(m_code->document()->findBlockByNumber(line));
        block.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        sel.cursor = block;
        selections << sel;
        // The line in the middle of the view, so the code around it shows too.
        m_code->setTextCursor(QTextCursor(m_code->document()->findBlockByNumber(line)));
        m_code->centerCursor();
    }
    m_code->setExtraSelections(selections);
}

void CodePanel::updatePolling()
{
    const auto fold = m_source ? m_source->fold(m_workerId) : nullptr;
    const bool running = fold && fold->times().startRequested >= 0 && !fold->hasEnded();
    if (running && isVisible())
        m_poll.start();
    else
        m_poll.stop();
}

void CodePanel::applyFont()
{
    // The code follows the app's font (and so its font scale), in the fixed-pitch family.
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(QApplication::font().pointSizeF());
    m_code->setFont(mono);
}

void CodePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange)
        applyFont();
    if (event->type() == QEvent::PaletteChange && m_line >= 0)
        highlight(m_line);
    QWidget::changeEvent(event);
}

void CodePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    poll();
    if (m_line >= 0)
        highlight(m_line); // centre it again now that the view has its real size
    updatePolling();
}

void CodePanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poll.stop();
}

} // namespace threadlab
