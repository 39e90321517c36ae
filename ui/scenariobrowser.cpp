// The scenario browser: built-in scenarios with their lessons, open a file, load, run live, step, reset.
#include "scenariobrowser.h"

#include "flowlayout.h"
#include "lab/lab.h"
#include "scenarios/lessonrecord.h"
#include "scenarios/lessontext.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"
#include "scenarios/scenariorunner.h"
#include "scenarios/steppacing.h"
#include "workers/worker.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace threadlab {

namespace {
constexpr int PathRole = Qt::UserRole + 1;
} // namespace

ScenarioBrowser::ScenarioBrowser(Lab *lab, QWidget *parent)
    : QWidget(parent)
    , m_lab(lab)
    , m_list(new QListWidget(this))
    , m_preview(new QTextBrowser(this))
    , m_status(new QLabel(this))
    , m_open(new QPushButton(u"Open file…"_qs, this))
    , m_load(new QPushButton(u"Load"_qs, this))
    , m_run(new QPushButton(u"Run"_qs, this))
    , m_step(new QPushButton(u"Step"_qs, this))
    , m_back(new QPushButton(u"Back"_qs, this))
    , m_hint(new QLabel(this))
    , m_reset(new QPushButton(u"Reset"_qs, this))
{
    setAccessibleName(u"Scenario browser"_qs);
    m_list->setAccessibleName(u"Scenarios"_qs);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_preview->setAccessibleName(u"Scenario preview"_qs);
    m_preview->setOpenExternalLinks(false);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(u"Scenario status"_qs);
    m_open->setToolTip(u"Open a scenario file (.json)"_qs);
    m_load->setToolTip(u"Put the scenario's workers into the lab (finished workers are cleared)"_qs);
    m_run->setToolTip(u"Run the scenario's script live, each action at its time"_qs);
    m_step->setToolTip(u"Execute the next step of the script now; in step mode nothing ends before you act"_qs);
    m_back->setToolTip(u"Load the scenario again and replay every step but the last one"_qs);
    m_hint->setWordWrap(true);
    m_hint->setAccessibleName(u"Next step"_qs);
    m_reset->setToolTip(u"Stop what is left, clear finished workers and load the scenario again"_qs);

    // The buttons wrap: in one row they set the dock's minimum width, and five of them took the worker table's
    // outcome columns off a 1024 px window.
    auto *buttons = new FlowLayout(nullptr, 4);
    buttons->setContentsMargins(0, 0, 0, 0);
    for (QPushButton *b : { m_load, m_run, m_step, m_back, m_reset })
        buttons->addWidget(b);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(u"<b>Scenarios</b>"_qs, this), 1);
    top->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_list, 2);
    layout->addWidget(m_preview, 3);
    layout->addLayout(buttons);
    layout->addWidget(m_hint);
    layout->addWidget(m_status);

    connect(m_list, &QListWidget::currentRowChanged, this, &ScenarioBrowser::handleCurrentRowChanged);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] { load(); });
    connect(m_open, &QPushButton::clicked, this, &ScenarioBrowser::openFile);
    connect(m_load, &QPushButton::clicked, this, [this] { load(); });
    connect(m_run, &QPushButton::clicked, this, &ScenarioBrowser::run);
    connect(m_step, &QPushButton::clicked, this, [this] { step(); });
    connect(m_back, &QPushButton::clicked, this, [this] { back(); });
    connect(m_reset, &QPushButton::clicked, this, &ScenarioBrowser::reset);
    populate();
    updateButtons();
}

ScenarioBrowser::~ScenarioBrowser() = default;

void ScenarioBrowser::populate()
{
    for (const QString &name : ScenarioCatalogue::builtinNames()) {
        QString error;
        const auto s = ScenarioCatalogue::load(name, &error);
        auto *item = new QListWidgetItem(s ? s->title : name, m_list);
        item->setData(PathRole, name);
        item->setToolTip(s ? s->summary : error);
    }
}

void ScenarioBrowser::handleCurrentRowChanged(int row)
{
    if (row < 0)
        return;
    const QString name = m_list->item(row)->data(PathRole).toString();
    if (m_chosen && (m_chosen->id == name || m_chosen->path == name))
        return;
    choose(name);
}

bool ScenarioBrowser::choose(const QString &nameOrFile, QString *error)
{
    QString why;
    auto s = ScenarioCatalogue::load(nameOrFile, &why);
    if (!s) {
        if (error)
            *error = why;
        m_status->setText(u"<span style=\"color:#c62828\">%1</span>"_qs.arg(why.toHtmlEscaped()));
        emit message(why);
        if (m_interactive)
            QMessageBox::warning(this, u"Scenario refused"_qs, why);
        return false;
    }
    m_chosen = std::move(s);
    // Select its row (built-ins) without re-entering choose().
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(PathRole).toString() == nameOrFile) {
            const QSignalBlocker block(m_list);
            m_list->setCurrentRow(i);
        }
    }
    showPreview();
    m_status->setText(u"Chosen: %1 — press Load, Run or Step"_qs.arg(m_chosen->title.toHtmlEscaped()));
    updateButtons();
    return true;
}

void ScenarioBrowser::showPreview()
{
    if (!m_chosen) {
        m_preview->setHtml(u"<p>Choose a scenario to see its lesson.</p>"_qs);
        return;
    }
    const Scenario &s = *m_chosen;
    QString html = u"<h3>%1</h3><p><i>%2</i></p>"_qs.arg(s.title.toHtmlEscaped(), s.summary.toHtmlEscaped());
    QStringList workers;
    for (const ScenarioWorker &w : s.workers)
        workers << u"%1 (%2/%3)"_qs.arg(w.name, toString(w.backend), w.workload).toHtmlEscaped();
    html += u"<p><b>Workers:</b> %1<br><b>Script:</b> %2 action%3 over %4 ms</p>"_qs.arg(workers.join(u", "_qs))
                .arg(s.script.size())
                .arg(s.script.size() == 1 ? QString() : u"s"_qs)
                .arg(s.lastActionMs());
    const QStringList missing = s.unavailableReasons();
    if (!missing.isEmpty())
        html += u"<p><i>Not available in this build: %1</i></p>"_qs.arg(missing.join(u"; "_qs).toHtmlEscaped());
    // The lesson itself is shown once, in the Lesson tab beside the run; here what each step will do.
    html += u"<p><b>Steps</b> (Step through: nothing ends on its own before you act)</p><ol>"_qs;
    for (int i : stepClicks(s))
        html += u"<li>%1</li>"_qs.arg(clickAction(s, i).toHtmlEscaped());
    html += u"</ol><p><i>The lesson opens in the Lesson tab when you load, run or step.</i></p>"_qs;
    m_preview->setHtml(html);
}

void ScenarioBrowser::openFile()
{
    QSettings settings;
    const QString dir = settings.value(u"scenario/dir"_qs).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, u"Open scenario"_qs, dir, u"ThreadLab scenarios (*.json);;All files (*)"_qs);
    if (path.isEmpty())
        return;
    settings.setValue(u"scenario/dir"_qs, QFileInfo(path).absolutePath());
    if (choose(path)) {
        const QSignalBlocker block(m_list);
        m_list->setCurrentRow(-1);
    }
}

bool ScenarioBrowser::load(bool stepped)
{
    if (!m_chosen || !m_lab)
        return false;
    if (m_runner) {
        // Workers the last load made but never started go with it (else they pile up as "created" rows).
        for (const ScenarioWorker &w : m_runner->scenario().workers)
            if (Worker *lw = m_runner->worker(w.name))
                m_lab->removeUnstarted(lw->id());
        delete m_runner;
        m_runner = nullptr;
    }
    m_lab->clearFinished();
    auto *runner = new ScenarioRunner(*m_chosen, m_lab, this);
    runner->setStepped(stepped, m_clickAllowanceMs);
    m_runner = runner;
    connect(runner, &ScenarioRunner::actionExecuted, this,
        [this, runner](int index, const QString &description, const QString &note) {
            const QString text
                = u"Step %1/%2: %3"_qs.arg(index + 1).arg(runner->scenario().script.size()).arg(description)
                + (note.isEmpty() ? QString() : u" — "_qs + note);
            m_status->setText(text.toHtmlEscaped());
            emit message(text);
            updateButtons();
            showHint();
        });
    connect(runner, &ScenarioRunner::finished, this, [this, runner](const ScenarioResult &result) {
        if (m_chosen && runner->run().id > 0)
            emit lessonRecorded(runner->run().id, recordedLesson(*m_chosen, &result));
        const QString text = u"%1: %2"_qs.arg(m_chosen ? m_chosen->title : result.title, result.verdict());
        m_status->setText(text.toHtmlEscaped());
        emit message(text);
        emit scenarioFinished(result);
        updateButtons();
        showHint();
    });
    const bool ok = runner->prepare();
    QList<int> ids;
    for (const ScenarioWorker &w : m_chosen->workers)
        if (Worker *lw = runner->worker(w.name))
            ids << lw->id();
    if (runner->run().id > 0)
        emit lessonRecorded(runner->run().id, recordedLesson(*m_chosen));
    emit scenarioLoaded(m_chosen->title, m_chosen->summary, m_chosen->lesson, ids);
    if (ok)
        m_status->setText(u"Loaded %1 worker(s) of “%2”"_qs.arg(ids.size()).arg(m_chosen->title.toHtmlEscaped()));
    updateButtons();
    showHint();
    return ok;
}

void ScenarioBrowser::run()
{
    if (!m_runner || m_runner->isFinished() || m_runner->nextStep() >= m_runner->scenario().script.size()) {
        if (m_runner && !m_runner->isFinished())
            return; // settling: the run is already on its way
        if (!load())
            return;
    } else if (m_runner->isStepped() && m_runner->nextStep() == 0) {
        // Loaded for stepping but run live: live durations, so the run is the one the lesson's figures describe.
        if (!load())
            return;
    }
    m_status->setText(u"Running “%1”…"_qs.arg(m_chosen->title.toHtmlEscaped()));
    m_runner->runLive();
    updateButtons();
}

bool ScenarioBrowser::step()
{
    const bool fresh = !m_runner || m_runner->isFinished() || (!m_runner->isStepped() && m_runner->nextStep() == 0);
    if (fresh && !load(true))
        return false;
    const bool ok = m_runner->step();
    updateButtons();
    showHint();
    return ok;
}

bool ScenarioBrowser::back()
{
    if (!m_runner || m_runner->nextStep() == 0)
        return false;
    const QList<int> clicks = stepClicks(m_runner->scenario());
    const int done = int(std::upper_bound(clicks.cbegin(), clicks.cend(), m_runner->nextStep() - 1) - clicks.cbegin());
    reset();
    if (!m_runner || (!m_runner->isStepped() && !load(true)))
        return false;
    for (int i = 0; i + 1 < done; ++i)
        m_runner->step();
    updateButtons();
    showHint();
    return true;
}

QString ScenarioBrowser::nextStepHint() const
{
    if (!m_runner)
        return m_chosen ? u"Step through: each click does one thing; nothing ends on its own before you act."_qs
                        : QString();
    const QList<int> clicks = stepClicks(m_runner->scenario());
    const int next = clickOf(m_runner->scenario(), m_runner->nextStep());
    const QString hint = m_runner->nextStepHint();
    if (hint.isEmpty())
        return {};
    return u"Next (%1/%2): %3"_qs.arg(next + 1).arg(clicks.size()).arg(hint);
}

void ScenarioBrowser::showHint()
{
    m_hint->setText(nextStepHint());
}

void ScenarioBrowser::reset()
{
    const bool stepped = m_runner && m_runner->isStepped();
    if (m_runner && m_lab) {
        for (const ScenarioWorker &w : m_runner->scenario().workers) {
            Worker *lw = m_runner->worker(w.name);
            if (lw && !lw->isFinished() && lw->state() != WorkerState::Created)
                lw->stop(StopMethod::Escalate, StopPolicy { 200, 500 });
        }
    }
    load(stepped);
}

void ScenarioBrowser::updateButtons()
{
    const bool chosen = m_chosen.has_value();
    const bool running = m_runner && !m_runner->isFinished();
    const bool scriptLeft = running && m_runner->nextStep() < m_runner->scenario().script.size();
    m_load->setEnabled(chosen);
    m_run->setEnabled(chosen && (!running || scriptLeft));
    m_step->setEnabled(chosen && (!running || scriptLeft));
    m_back->setEnabled(m_runner && m_runner->nextStep() > 0);
    m_reset->setEnabled(chosen && m_runner);
}

} // namespace threadlab
