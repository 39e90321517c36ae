// The scenario browser: built-in scenarios with their lessons, open a file, load, run live, step, reset.
#include "scenariobrowser.h"

#include "lab/lab.h"
#include "scenarios/lessontext.h"
#include "scenarios/scenariocatalogue.h"
#include "scenarios/scenarioparser.h"
#include "scenarios/scenariorunner.h"
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
    m_step->setToolTip(u"Execute the next action of the script now"_qs);
    m_reset->setToolTip(u"Stop what is left, clear finished workers and load the scenario again"_qs);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (QPushButton *b : { m_load, m_run, m_step, m_reset })
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
    layout->addWidget(m_status);

    connect(m_list, &QListWidget::currentRowChanged, this, &ScenarioBrowser::handleCurrentRowChanged);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] { load(); });
    connect(m_open, &QPushButton::clicked, this, &ScenarioBrowser::openFile);
    connect(m_load, &QPushButton::clicked, this, [this] { load(); });
    connect(m_run, &QPushButton::clicked, this, &ScenarioBrowser::run);
    connect(m_step, &QPushButton::clicked, this, [this] { step(); });
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
    // Before a run nothing is measured: its placeholders say so (parameters show their configured values).
    html += LessonText::render(s.lesson, LessonText::figures(s));
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

bool ScenarioBrowser::load()
{
    if (!m_chosen || !m_lab)
        return false;
    if (m_runner) {
        delete m_runner;
        m_runner = nullptr;
    }
    m_lab->clearFinished();
    auto *runner = new ScenarioRunner(*m_chosen, m_lab, this);
    m_runner = runner;
    connect(runner, &ScenarioRunner::actionExecuted, this,
        [this, runner](int index, const QString &description, const QString &note) {
            const QString text
                = u"Step %1/%2: %3"_qs.arg(index + 1).arg(runner->scenario().script.size()).arg(description)
                + (note.isEmpty() ? QString() : u" — "_qs + note);
            m_status->setText(text.toHtmlEscaped());
            emit message(text);
            updateButtons();
        });
    connect(runner, &ScenarioRunner::finished, this, [this](const ScenarioResult &result) {
        const QString text = u"%1: %2"_qs.arg(m_chosen ? m_chosen->title : result.title, result.verdict());
        m_status->setText(text.toHtmlEscaped());
        emit message(text);
        emit scenarioFinished(result);
        updateButtons();
    });
    const bool ok = runner->prepare();
    QList<int> ids;
    for (const ScenarioWorker &w : m_chosen->workers)
        if (Worker *lw = runner->worker(w.name))
            ids << lw->id();
    emit scenarioLoaded(m_chosen->title, m_chosen->summary, m_chosen->lesson, ids);
    if (ok)
        m_status->setText(u"Loaded %1 worker(s) of “%2”"_qs.arg(ids.size()).arg(m_chosen->title.toHtmlEscaped()));
    updateButtons();
    return ok;
}

void ScenarioBrowser::run()
{
    if (!m_runner || m_runner->isFinished() || m_runner->nextStep() >= m_runner->scenario().script.size()) {
        if (m_runner && !m_runner->isFinished())
            return; // settling: the run is already on its way
        if (!load())
            return;
    }
    m_status->setText(u"Running “%1”…"_qs.arg(m_chosen->title.toHtmlEscaped()));
    m_runner->runLive();
    updateButtons();
}

bool ScenarioBrowser::step()
{
    if ((!m_runner || m_runner->isFinished()) && !load())
        return false;
    const bool ok = m_runner->step();
    updateButtons();
    return ok;
}

void ScenarioBrowser::reset()
{
    if (m_runner && m_lab) {
        for (const ScenarioWorker &w : m_runner->scenario().workers) {
            Worker *lw = m_runner->worker(w.name);
            if (lw && !lw->isFinished() && lw->state() != WorkerState::Created)
                lw->stop(StopMethod::Escalate, StopPolicy { 200, 500 });
        }
    }
    load();
}

void ScenarioBrowser::updateButtons()
{
    const bool chosen = m_chosen.has_value();
    const bool running = m_runner && !m_runner->isFinished();
    const bool scriptLeft = running && m_runner->nextStep() < m_runner->scenario().script.size();
    m_load->setEnabled(chosen);
    m_run->setEnabled(chosen && (!running || scriptLeft));
    m_step->setEnabled(chosen && (!running || scriptLeft));
    m_reset->setEnabled(chosen && m_runner);
}

} // namespace threadlab
