// The timeline with its filter bar and overview strip (see timelinepanel.h).
#include "timelinepanel.h"

#include "timelineoverview.h"
#include "timelineview.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace threadlab {

TimelinePanel::TimelinePanel(TimelineView *view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_overview(new TimelineOverview(view, this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_zoomMeasured(new QToolButton(this))
{
    setAccessibleName(u"Timeline panel"_qs);
    view->setParent(this);
    m_filter->setPlaceholderText(u"Filter lanes: name, backend, workload, outcome"_qs);
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(u"Lane filter"_qs);
    m_filter->setToolTip(u"Show only the lanes whose name, backend, workload or outcome contain every word typed "
                         "(e.g. \"process killed\")"_qs);
    m_count->setAccessibleName(u"Lanes shown"_qs);
    m_zoomMeasured->setText(u"Zoom to measured"_qs);
    m_zoomMeasured->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_zoomMeasured->setToolTip(u"Zoom to the Shift+drag interval, or else to the stops of the lanes shown (from the "
                               "first stop request to the last end)"_qs);
    m_zoomMeasured->setAccessibleName(u"Zoom to the measured range"_qs);
    connect(m_filter, &QLineEdit::textChanged, view, &TimelineView::setLaneFilter);
    connect(m_zoomMeasured, &QToolButton::clicked, view, [view] { view->zoomToMeasured(); });
    connect(view, &TimelineView::lanesChanged, m_count, [this](int shown, int total) {
        m_count->setText(shown == total ? u"%1 lanes"_qs.arg(total) : u"%1 of %2 lanes"_qs.arg(shown).arg(total));
    });
    m_count->setText(u"%1 lanes"_qs.arg(view->totalLaneCount()));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(m_zoomMeasured);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(view, 1);
    layout->addWidget(m_overview);
}

} // namespace threadlab
