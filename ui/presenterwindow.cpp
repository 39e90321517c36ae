// Presenter mode: one lesson at a time, full screen, its text beside the live timeline, for a projector.
#include "presenterwindow.h"

#include "fontscale.h"
#include "lessonpanel.h"
#include "scenariobrowser.h"
#include "scenarios/lessontext.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenariorunner.h"
#include "timelineview.h"
#include "workers/worker.h"

#include "flowlayout.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCursor>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace threadlab {

namespace {
constexpr int PointerPollMs = 30;
constexpr int PointerRadius = 28;
} // namespace

PointerOverlay::PointerOverlay(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"pointerOverlay"_qs);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    setProperty("threadlabOverlay", true);
    parent->installEventFilter(this);
    // The pointer moves over child widgets that take the mouse events; polling the cursor follows it anywhere.
    m_poll.setInterval(PointerPollMs);
    connect(&m_poll, &QTimer::timeout, this, &PointerOverlay::follow);
    hide();
}

void PointerOverlay::setActive(bool active)
{
    m_active = active;
    setVisible(active);
    if (active) {
        setGeometry(parentWidget()->rect());
        raise();
        m_poll.start();
        follow();
    } else {
        m_poll.stop();
    }
}

bool PointerOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize && m_active)
        setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

void PointerOverlay::follow()
{
    const QPoint pos = mapFromGlobal(QCursor::pos());
    if (pos == m_pos)
        return;
    const QRect old(m_pos - QPoint(PointerRadius + 4, PointerRadius + 4), QSize(2, 2) * (PointerRadius + 4));
    m_pos = pos;
    update(old);
    update(QRect(m_pos - QPoint(PointerRadius + 4, PointerRadius + 4), QSize(2, 2) * (PointerRadius + 4)));
}

void PointerOverlay::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    // Yellow with a dark rim: visible on the light and the dark palette, and on a washed-out projector.
    p.setPen(QPen(QColor(0x40, 0x30, 0x00, 200), 2.0));
    p.setBrush(QColor(0xff, 0xd5, 0x00, 90));
    p.drawEllipse(QPointF(m_pos), PointerRadius, PointerRadius);
}

PresenterWindow::PresenterWindow(ScenarioBrowser *browser, RunSource *source, FontScale *fontScale, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_browser(browser)
    , m_fontScale(fontScale)
    , m_names(ScenarioCatalogue::builtinNames())
    , m_title(new QLabel(this))
    , m_counter(new QLabel(this))
    , m_status(new QLabel(this))
    , m_scaleLabel(new QLabel(this))
    , m_text(new QTextBrowser(this))
    , m_timeline(new TimelineView(this))
    , m_split(new QSplitter(Qt::Horizontal, this))
    , m_pointer(nullptr)
{
    setObjectName(u"presenter"_qs);
    setWindowTitle(u"ThreadLab — presenter"_qs);
    setAccessibleName(u"Presenter"_qs);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    m_title->setAccessibleName(u"Lesson title"_qs);
    m_counter->setAccessibleName(u"Lesson number"_qs);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAccessibleName(u"What happened last"_qs);
    m_scaleLabel->setAccessibleName(u"Font scale"_qs);
    m_text->setAccessibleName(u"Lesson text"_qs);
    m_text->setOpenExternalLinks(false);
    m_text->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // it wraps; a projector never scrolls sideways
    m_text->setLineWrapMode(QTextEdit::WidgetWidth);
    m_timeline->setSource(source);
    m_source = source;

    auto *controls = new QWidget(this);
    controls->setObjectName(u"presenterControls"_qs);
    auto *flow = new FlowLayout(controls, 6);
    const auto add
        = [this, flow](const QString &text, const QString &tip, const QList<QKeySequence> &keys, auto &&slot) {
              QPushButton *b = addButton(text, tip, keys);
              flow->addWidget(b);
              connect(b, &QPushButton::clicked, this, slot);
              return b;
          };
    m_previous = add(u"◀ Previous"_qs, u"The previous lesson"_qs, { Qt::Key_PageUp }, [this] { previous(); });
    m_next = add(u"Next ▶"_qs, u"The next lesson"_qs, { Qt::Key_PageDown }, [this] { next(); });
    add(u"Run"_qs, u"Run the lesson, each action at its time"_qs, { Qt::Key_R }, [this] { run(); });
    add(u"Step"_qs, u"Do the next action of the lesson now"_qs, { Qt::Key_Space, Qt::Key_S }, [this] { step(); });
    add(u"Reset"_qs, u"Stop what is left and load the lesson again"_qs, { Qt::Key_Backspace }, [this] { reset(); });
    add(u"A−"_qs, u"Smaller text"_qs, { QKeySequence(Qt::CTRL | Qt::Key_Minus) }, [this] { m_fontScale->decrease(); });
    add(u"A+"_qs, u"Larger text"_qs, { QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus) },
        [this] { m_fontScale->increase(); });
    add(u"100 %"_qs, u"Text at 100 %"_qs, { QKeySequence(Qt::CTRL | Qt::Key_0) }, [this] { m_fontScale->reset(); });
    flow->addWidget(m_scaleLabel);
    // Checkable: toggled() alone drives the overlay (clicked() would come after it and undo it).
    QPushButton *pointer = add(u"Pointer"_qs, u"Highlight the mouse pointer for the audience"_qs, { Qt::Key_L }, [] {});
    pointer->setCheckable(true);
    QPushButton *exit
        = add(u"Exit"_qs, u"Leave presenter mode"_qs, { Qt::Key_Escape, Qt::Key_F5 }, [this] { close(); });
    m_exit = exit->actions().value(0);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_counter, 0, Qt::AlignTop);

    m_split->addWidget(m_text);
    m_split->addWidget(m_timeline);
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(controls);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_status);

    m_pointer = new PointerOverlay(this);
    connect(pointer, &QPushButton::toggled, m_pointer, &PointerOverlay::setActive);
    m_pointerButton = pointer;

    if (m_browser) {
        connect(m_browser, &ScenarioBrowser::scenarioLoaded, this,
            [this](const QString &title, const QString &summary, const QString &lesson, const QList<int> &ids) {
                handleLoaded(title, summary, lesson, ids);
            });
        connect(m_browser, &ScenarioBrowser::scenarioFinished, this, &PresenterWindow::handleFinished);
        connect(m_browser, &ScenarioBrowser::message, m_status, &QLabel::setText);
    }
    connect(m_fontScale, &FontScale::changed, this, &PresenterWindow::updateHeader);
    // The lesson's figures fill in as its workers are measured, as in the main window's Lesson tab.
    m_refresh = new QTimer(this);
    m_refresh->setInterval(500);
    connect(m_refresh, &QTimer::timeout, this, &PresenterWindow::composeText);
    updateHeader();
}

PresenterWindow::~PresenterWindow() = default;

QPushButton *PresenterWindow::addButton(const QString &text, const QString &tip, const QList<QKeySequence> &keys)
{
    auto *b = new QPushButton(text, this);
    b->setFocusPolicy(Qt::NoFocus); // Space steps the lesson; it must not press a focused button twice
    QStringList names;
    for (const QKeySequence &k : keys)
        names << k.toString(QKeySequence::NativeText);
    b->setToolTip(u"%1 (%2)"_qs.arg(tip, names.join(u", "_qs)));
    b->setAccessibleName(tip);
    auto *a = new QAction(text, b);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WindowShortcut);
    addAction(a);
    b->addAction(a);
    connect(a, &QAction::triggered, b, &QPushButton::click);
    return b;
}

bool PresenterWindow::showLesson(const QString &name, QString *error)
{
    const QString wanted = name.isEmpty() ? m_names.value(0) : name;
    if (!m_browser)
        return false;
    stopLeftovers();
    if (!m_browser->choose(wanted, error))
        return false;
    const qsizetype i = m_names.indexOf(m_browser->chosen()->id);
    m_index = i >= 0 ? int(i) : m_index;
    m_resultHtml.clear();
    m_browser->load();
    m_timeline->setFollowLive(true);
    updateHeader();
    return true;
}

void PresenterWindow::next()
{
    if (m_index + 1 < m_names.size())
        showLesson(m_names.at(m_index + 1));
}

void PresenterWindow::previous()
{
    if (m_index > 0)
        showLesson(m_names.at(m_index - 1));
}

void PresenterWindow::run()
{
    if (m_browser) {
        m_resultHtml.clear();
        m_browser->run();
        m_timeline->setFollowLive(true);
    }
}

void PresenterWindow::step()
{
    if (m_browser && !m_browser->step())
        m_status->setText(u"No action left in this lesson: Reset to go again, Next ▶ for the next lesson"_qs);
}

void PresenterWindow::reset()
{
    if (m_browser) {
        m_resultHtml.clear();
        m_browser->reset();
    }
}

void PresenterWindow::setPointerHighlight(bool on)
{
    m_pointerButton->setChecked(on);
}

void PresenterWindow::stopLeftovers()
{
    // Moving on must not leave the last lesson's workers running under the next one's timeline.
    ScenarioRunner *runner = m_browser ? m_browser->runner() : nullptr;
    if (!runner)
        return;
    for (const ScenarioWorker &w : runner->scenario().workers) {
        Worker *lw = runner->worker(w.name);
        if (lw && !lw->isFinished() && lw->state() != WorkerState::Created)
            lw->stop(StopMethod::Escalate, StopPolicy { 200, 500 });
    }
}

void PresenterWindow::handleLoaded(
    const QString &title, const QString &summary, const QString &lessonHtml, const QList<int> &ids)
{
    m_title->setText(u"<h2>%1</h2>"_qs.arg(title.toHtmlEscaped()));
    m_lessonHtml = u"<p><i>%1</i></p>%2"_qs.arg(summary.toHtmlEscaped(), lessonHtml);
    m_resultHtml.clear();
    m_workerIds = ids;
    composeText();
    m_refresh->start();
    m_status->setText(u"Loaded: Run (R) plays the lesson, Step (Space) does one action at a time"_qs);
    m_timeline->setFollowLive(true);
}

void PresenterWindow::handleFinished(const ScenarioResult &result)
{
    m_resultHtml = LessonPanel::resultHtml(result);
    composeText();
    m_refresh->stop();
    m_timeline->fitAll();
}

void PresenterWindow::composeText()
{
    const int scroll = m_text->verticalScrollBar()->value();
    const LessonFigureMap figures = m_source ? LessonText::figures(*m_source, m_workerIds) : LessonFigureMap();
    const QString html = LessonText::render(m_lessonHtml, figures) + m_resultHtml;
    if (html != m_shownHtml) {
        m_shownHtml = html;
        m_text->setHtml(html);
        m_text->verticalScrollBar()->setValue(scroll);
    }
}

void PresenterWindow::updateHeader()
{
    m_counter->setText(u"Lesson %1 of %2"_qs.arg(m_index + 1).arg(m_names.size()));
    m_scaleLabel->setText(u"text at %1"_qs.arg(m_fontScale->percentText()));
    if (m_previous)
        m_previous->setEnabled(m_index > 0);
    if (m_next)
        m_next->setEnabled(m_index + 1 < m_names.size());
}

void PresenterWindow::updateSplit()
{
    // The lesson text gets 40 % of the width: readable lines, and the timeline keeps most of the screen.
    const int w = m_split->width();
    m_split->setSizes({ w * 2 / 5, w - w * 2 / 5 });
}

void PresenterWindow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateSplit();
}

void PresenterWindow::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateHeader();
}

void PresenterWindow::closeEvent(QCloseEvent *event)
{
    // Leaving presenter mode hides the window; the lab and the lesson go on in the main window.
    m_pointerButton->setChecked(false);
    hide();
    event->ignore();
    emit exited();
}

} // namespace threadlab
