// The start page shown on launch: the lessons as a gallery (Run, Step through, Present) and recent recordings.
#include "startpage.h"

#include "base/vocabulary.h"
#include "scenarios/scenariocatalogue.h"

#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>
#include <algorithm>

namespace threadlab {

namespace {
const QString RecentKey = u"recent/recordings"_qs;
constexpr int PathRole = Qt::UserRole + 1;

/// "thread · process" in the order the scenario first uses them.
QString backendsOf(const Scenario &s)
{
    QStringList out;
    for (const ScenarioWorker &w : s.workers)
        if (!out.contains(toString(w.backend)))
            out << toString(w.backend);
    return out.join(u" · "_qs);
}

/// "3 workers · script 0.3 s": read from the file, so it is what running the lesson will do.
QString lengthOf(const Scenario &s)
{
    const int n = int(s.workers.size());
    const QString workers = n == 1 ? u"1 worker"_qs : u"%1 workers"_qs.arg(n);
    return u"%1 · script %2 s"_qs.arg(workers).arg(s.lastActionMs() / 1000.0, 0, 'f', 1);
}
} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_scroll(new QScrollArea(this))
    , m_gallery(new QWidget)
    , m_grid(new QGridLayout(m_gallery))
    , m_recent(new QListWidget(this))
    , m_recentEmpty(new QLabel(u"No recordings yet: File ▸ Save recording keeps a run."_qs, this))
{
    setObjectName(u"startPage"_qs);
    setAccessibleName(u"Start page"_qs);
    auto *title = new QLabel(u"<h2>ThreadLab</h2>"_qs, this);
    auto *intro = new QLabel(u"A lab for stopping threads and processes. Pick a lesson: <b>Run</b> plays it, "
                             "<b>Step through</b> waits for you before each action, <b>Present</b> shows it full "
                             "screen with its text beside the live timeline."_qs,
        this);
    intro->setWordWrap(true);

    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(10);
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        if (QWidget *card = makeCard(name)) {
            m_names << name;
            m_cards << card;
        }
    }
    m_scroll->setWidget(m_gallery);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // Cards reflow into as many columns as fit; the gallery never scrolls sideways.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setAccessibleName(u"Lessons"_qs);
    m_scroll->viewport()->installEventFilter(this); // the viewport's width decides the columns

    auto *side = new QVBoxLayout;
    side->addWidget(new QLabel(u"<b>Recent recordings</b>"_qs, this));
    m_recent->setAccessibleName(u"Recent recordings"_qs);
    m_recent->setTextElideMode(Qt::ElideMiddle);
    m_recentEmpty->setWordWrap(true);
    side->addWidget(m_recent, 1);
    side->addWidget(m_recentEmpty, 1, Qt::AlignTop); // one of the two shows, and takes the free height
    auto *open = new QPushButton(u"Open recording…"_qs, this);
    auto *file = new QPushButton(u"All scenarios…"_qs, this);
    file->setToolTip(u"The lab with the scenario browser: every scenario, and scenario files of your own"_qs);
    auto *empty = new QPushButton(u"Empty lab"_qs, this);
    empty->setToolTip(u"Go to the lab with no lesson: add workers yourself (Workers ▸ Add workers…)"_qs);
    for (QPushButton *b : { open, file, empty })
        side->addWidget(b);
    connect(open, &QPushButton::clicked, this, [this] { emit openRecordingRequested({}); });
    connect(file, &QPushButton::clicked, this, &StartPage::scenariosRequested);
    connect(empty, &QPushButton::clicked, this, &StartPage::emptyLabRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem *item) { emit openRecordingRequested(item->data(PathRole).toString()); });

    auto *body = new QHBoxLayout;
    body->addWidget(m_scroll, 4);
    body->addLayout(side, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(body, 1);
    refreshRecent();
    reflow();
}

QWidget *StartPage::makeCard(const QString &name)
{
    QString error;
    const auto s = ScenarioCatalogue::load(name, &error);
    if (!s)
        return nullptr; // a broken built-in is a build error, caught by the scenario tests
    auto *card = new QFrame(m_gallery);
    card->setObjectName(u"lessonCard_"_qs + name);
    card->setFrameShape(QFrame::StyledPanel);
    card->setAccessibleName(s->title);
    card->setAccessibleDescription(s->summary);
    auto *title = new QLabel(u"<b>%1</b>"_qs.arg(s->title.toHtmlEscaped()), card);
    title->setWordWrap(true);
    // The summary's first sentence is the one line; the whole summary is the tooltip.
    QString line = s->summary.section(u". "_qs, 0, 0);
    if (line.size() < s->summary.size() && !line.endsWith(u'.'))
        line += u'.';
    auto *summary = new QLabel(line, card);
    summary->setTextFormat(Qt::PlainText);
    summary->setWordWrap(true);
    summary->setToolTip(s->summary);
    auto *facts = new QLabel(u"%1 · %2"_qs.arg(backendsOf(*s), lengthOf(*s)), card);
    facts->setWordWrap(true);
    facts->setTextFormat(Qt::PlainText);
    facts->setForegroundRole(QPalette::PlaceholderText);
    const QStringList unavailable = s->unavailableReasons();
    auto *run = new QPushButton(u"Run"_qs, card);
    auto *step = new QPushButton(u"Step through"_qs, card);
    auto *present = new QPushButton(u"Present"_qs, card);
    run->setToolTip(u"Run %1 now, each action at its time"_qs.arg(s->title));
    step->setToolTip(u"Load %1 and do each action when you press Step"_qs.arg(s->title));
    present->setToolTip(u"Show %1 full screen, its text beside the live timeline (F5)"_qs.arg(s->title));
    connect(run, &QPushButton::clicked, this, [this, name] { emit runRequested(name); });
    connect(step, &QPushButton::clicked, this, [this, name] { emit stepRequested(name); });
    connect(present, &QPushButton::clicked, this, [this, name] { emit presentRequested(name); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(run);
    buttons->addWidget(step);
    buttons->addWidget(present);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(card);
    layout->addWidget(title);
    layout->addWidget(summary);
    layout->addWidget(facts);
    if (!unavailable.isEmpty()) {
        auto *why = new QLabel(unavailable.join(u"; "_qs), card);
        why->setWordWrap(true);
        layout->addWidget(why);
    }
    layout->addStretch(1);
    layout->addLayout(buttons);
    return card;
}

void StartPage::reflow()
{
    if (m_cards.isEmpty())
        return;
    // As many columns as cards of the widest button row fit, so no card is narrower than its buttons.
    int cardMin = 0;
    for (QWidget *card : std::as_const(m_cards))
        cardMin = std::max(cardMin, card->minimumSizeHint().width());
    const int available = m_scroll->viewport()->width();
    const int columns = std::clamp(available / std::max(1, cardMin + m_grid->spacing()), 1, 3);
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (QWidget *card : std::as_const(m_cards))
        m_grid->removeWidget(card);
    for (int i = 0; i < m_cards.size(); ++i)
        m_grid->addWidget(m_cards.at(i), i / columns, i % columns);
    for (int c = 0; c < 3; ++c)
        m_grid->setColumnStretch(c, c < columns ? 1 : 0);
    // Spare height goes below the last row, not into the cards.
    const int rows = int((m_cards.size() + columns - 1) / columns);
    for (int r = 0; r <= int(m_cards.size()); ++r)
        m_grid->setRowStretch(r, r == rows ? 1 : 0);
}

bool StartPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        reflow();
    return QWidget::eventFilter(watched, event);
}

void StartPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_columns = 0; // a new font scale changes how many cards fit
        reflow();
    }
}

QStringList StartPage::recentRecordings()
{
    QStringList out;
    for (const QString &path : QSettings().value(RecentKey).toStringList())
        if (QFileInfo::exists(path) && !out.contains(path))
            out << path;
    return out.mid(0, MaxRecent);
}

void StartPage::addRecentRecording(const QString &path)
{
    if (path.isEmpty())
        return;
    QStringList list = QSettings().value(RecentKey).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    QSettings().setValue(RecentKey, list.mid(0, MaxRecent));
}

void StartPage::refreshRecent()
{
    m_recent->clear();
    for (const QString &path : recentRecordings()) {
        auto *item = new QListWidgetItem(QFileInfo(path).fileName(), m_recent);
        item->setData(PathRole, path);
        item->setToolTip(path);
    }
    m_recent->setVisible(m_recent->count() > 0);
    m_recentEmpty->setVisible(m_recent->count() == 0);
}

} // namespace threadlab
