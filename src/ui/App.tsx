// The skbwalk explorer: step controls on top, the machine, the call stack and
// the skb in the middle, the script's events, captures and terminal below.
import { useEffect } from 'react';
import { MotionConfig } from 'framer-motion';
import { useExplorer } from './store.ts';
import { useKeyboard } from './hooks/useKeyboard.ts';
import { usePlayback } from './hooks/usePlayback.ts';
import { CurrentFunction, StepStatus } from './components/StepStatus.tsx';
import { StepControls } from './components/StepControls.tsx';
import { PlayControls } from './components/PlayControls.tsx';
import { Timeline } from './components/Timeline.tsx';
import { BreakpointForm } from './components/BreakpointForm.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { Notice } from './components/Notice.tsx';
import { ScenarioEditor } from './components/ScenarioEditor.tsx';
import { CallStack } from './components/CallStack.tsx';
import { SkbPanel } from './skb/SkbPanel.tsx';
import { Topology } from './topology/Topology.tsx';
import { EventsPanel } from './components/EventsPanel.tsx';
import { CapturesPanel } from './components/CapturesPanel.tsx';
import { TerminalPanel } from './components/TerminalPanel.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { ScenarioNarrative } from './components/ScenarioNarrative.tsx';

export function App() {
  useKeyboard();
  usePlayback();
  useEffect(() => {
    void useExplorer.getState().run();
  }, []);
  return (
    <MotionConfig reducedMotion="user">
      <header className="app-header">
        <div className="title">
          <h1>skbwalk</h1>
          <span className="tagline">the Linux kernel moving a packet, one call at a time</span>
        </div>
        <div className="controls">
          <StepControls />
          <PlayControls />
          <BreakpointForm />
        </div>
        <div className="timeline-row">
          <StepStatus />
          <Timeline />
          <CurrentFunction />
        </div>
        <ScenarioNarrative />
        <ErrorBanner />
        <Notice />
      </header>
      <main className="explorer">
        <ErrorBoundary name="Topology">
          <Topology />
        </ErrorBoundary>
        <ErrorBoundary name="Call stack">
          <CallStack />
        </ErrorBoundary>
        <ErrorBoundary name="skb">
          <SkbPanel />
        </ErrorBoundary>
        <section aria-label="Scenario" className="panel panel-scenario">
          <header className="panel-head">
            <h2>Scenario</h2>
          </header>
          <div className="panel-body">
            <ScenarioEditor />
          </div>
        </section>
        <ErrorBoundary name="Terminal">
          <TerminalPanel />
        </ErrorBoundary>
        <ErrorBoundary name="Events">
          <EventsPanel />
        </ErrorBoundary>
        <ErrorBoundary name="Captures">
          <CapturesPanel />
        </ErrorBoundary>
      </main>
    </MotionConfig>
  );
}
