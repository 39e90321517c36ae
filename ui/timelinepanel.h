// The timeline with its own small toolbar (lane filter, lanes shown, zoom to the measured range) and overview strip.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace threadlab {

class TimelineOverview;
class TimelineView;

/// Wraps a TimelineView for runs of 100+ workers: a filter line edit above it (name, backend, workload, outcome),
/// how many lanes it shows, a "zoom to measured range" button, and the overview strip of the whole run under it.
class TimelinePanel : public QWidget
{
    Q_OBJECT
public:
    /// Takes view as its child.
    explicit TimelinePanel(TimelineView *view, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TimelinePanel)

    TimelineView *view() const { return m_view; }
    TimelineOverview *overview() const { return m_overview; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *countLabel() const { return m_count; }
    QToolButton *zoomToMeasuredButton() const { return m_zoomMeasured; }

private:
    TimelineView *m_view;
    TimelineOverview *m_overview;
    QLineEdit *m_filter;
    QLabel *m_count;
    QToolButton *m_zoomMeasured;
};

} // namespace threadlab
