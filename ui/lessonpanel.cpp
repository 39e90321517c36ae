// The lesson panel: explains the selected worker's backend, its stop methods and its workload.
#include "lessonpanel.h"

#include "workloads/workload.h"

namespace threadlab {

LessonPanel::LessonPanel(QWidget *parent)
    : QTextBrowser(parent)
{
    setAccessibleName(u"Lesson"_qs);
    setOpenExternalLinks(false);
    showWorker(nullptr);
}

QString LessonPanel::lessonHtml(Backend backend, const QString &workload, const Worker *worker)
{
    QString html = u"<h3>%1</h3><p>%2</p>"_qs.arg(toString(backend), describe(backend).toHtmlEscaped());
    html += u"<p><b>Ways to stop it</b></p><ul>"_qs;
    for (const auto &t : stopMethodTerms()) {
        const QString why = worker ? worker->refusal(t.value) : QString();
        if (!isInProcess(backend) || (t.value != StopMethod::Sigterm && t.value != StopMethod::ForceGroup)) {
            html += u"<li><b>%1</b>: %2"_qs.arg(
                QString::fromLatin1(t.name), QString::fromUtf8(t.description).toHtmlEscaped());
            if (!why.isEmpty())
                html += u"<br><i>Not now: %1.</i>"_qs.arg(why.toHtmlEscaped());
            html += u"</li>"_qs;
        }
    }
    html += u"</ul>"_qs;
    if (const WorkloadInfo *info = WorkloadRegistry::find(workload)) {
        html += u"<p><b>Workload %1</b>: %2</p>"_qs.arg(info->name.toHtmlEscaped(), info->description.toHtmlEscaped());
        if (!info->cancellationPoints.isEmpty())
            html += u"<p><b>Where a force-kill can land:</b> %1</p>"_qs.arg(info->cancellationPoints.toHtmlEscaped());
    }
    return html;
}

void LessonPanel::showWorker(const Worker *worker)
{
    if (!worker) {
        setHtml(u"<h3>ThreadLab</h3><p>Add workers (Ctrl+N), start them (Ctrl+R) and stop them in different ways: "
                "a cooperative <b>request</b> (Ctrl+.), a <b>force</b>-kill (Ctrl+K) or an <b>escalation</b> "
                "(Ctrl+E) that asks first and forces after a grace period.</p><p>The timeline shows how long each "
                "worker took to <i>notice</i> the stop, to <i>exit</i> and to be <i>joined</i>; the table shows "
                "what leaked.</p>"_qs);
        return;
    }
    setHtml(lessonHtml(worker->spec().backend, worker->spec().workload, worker));
}

} // namespace threadlab
