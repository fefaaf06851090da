// The skbwalk explorer: step controls on top, the machine, the call stack and
// the skb in the middle, the script's events, captures and terminal below.
import { useEffect, useMemo, useState } from 'react';
import { tourSeen, useExplorer } from './store.ts';
import { useKeyboard } from './hooks/useKeyboard.ts';
import { usePlayback } from './hooks/usePlayback.ts';
import { CurrentFunction, StepStatus } from './components/StepStatus.tsx';
import { StepControls } from './components/StepControls.tsx';
import { PlayControls } from './components/PlayControls.tsx';
import { Timeline } from './components/Timeline.tsx';
import { BreakpointForm } from './components/BreakpointForm.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { EmptyRun } from './components/EmptyRun.tsx';
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
import { SearchControls } from './components/SearchControls.tsx';
import { GalleryGuide } from './gallery/GalleryGuide.tsx';
import { LinkAlert } from './components/LinkAlert.tsx';
import { RunProgress } from './components/RunProgress.tsx';
import { ShareControls } from './components/ShareControls.tsx';
import { ExportMenu } from './export/ExportMenu.tsx';
import { useShare, fullAppUrl } from './shareApp.ts';
import type { EmbedPanel } from './share/embedOptions.ts';
import { HelpButton, tourCode } from './components/HelpButton.tsx';
import { documentTitle } from './documentTitle.ts';
import { firstViewShown, useDeferred } from './afterFirstView.ts';
import { settledWriter } from './afterPaint.ts';

/** Puts the theme (light/dark, or none: the system's) and the embed flag on <html> for the stylesheet. */
function useDocumentAttributes(embed: boolean): void {
  const theme = useExplorer((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme) root.dataset.theme = theme;
    else delete root.dataset.theme;
  }, [theme]);
  useEffect(() => {
    const root = document.documentElement;
    if (embed) root.dataset.embed = '';
    else delete root.dataset.embed;
  }, [embed]);
}

/** The tab's title: the step, the scenario's title, skbwalk. */
function useDocumentTitle(): void {
  const step = useExplorer((s) => s.view?.step ?? null);
  const total = useExplorer((s) => s.summary?.total ?? null);
  const title = useExplorer((s) => s.summary?.title ?? '');
  // Set once the step is painted: a title change costs the browser a moment the picture need not wait for.
  useEffect(() => titleWriter.schedule(() => (document.title = documentTitle(step, total, title))), [step, total, title]);
}

/** The title follows a held key or playing at most once a second, and each step the reader pauses at. */
const titleWriter = settledWriter(150, 1000);

/** Whether the page was opened by a shared link (read before the app writes its own link to the address bar). */
const openedWithLink = () => typeof location !== 'undefined' && location.hash.startsWith('#s=');

/**
 * Opens the tour once the first run is on screen, on a first visit only: not
 * when the reader has finished or skipped it, and not when the page opened a
 * shared link (it shows what its author chose; Help is there).
 */
function useFirstVisitTour(): void {
  const [sharedLink] = useState(openedWithLink);
  const ready = useExplorer((s) => s.summary !== null);
  useEffect(() => {
    if (ready && !sharedLink && !tourSeen()) useExplorer.getState().openTour(0);
  }, [ready, sharedLink]);
}

/** The tour, once its code has come (after the first view, or when Help is pressed). */
function TourWhenLoaded() {
  const mod = useDeferred(tourCode);
  return mod ? <mod.Tour /> : null;
}

/** Once the first run is on screen (or has failed), the parts the first view did without are fetched. */
function useAfterFirstView(): void {
  const settled = useExplorer((s) => s.summary !== null || s.error !== null);
  useEffect(() => {
    if (settled) firstViewShown();
  }, [settled]);
}

/**
 * What follows every step without drawing anything (playback's clock, the
 * tab's title): a component of its own, so that a step re-renders it and not
 * the whole app under it.
 */
function StepFollowers() {
  usePlayback();
  useDocumentTitle();
  return null;
}

export function App() {
  useAfterFirstView();
  useKeyboard();
  const embed = useShare((s) => s.options.embed);
  useDocumentAttributes(embed);
  return (
    <>
      <StepFollowers />
      {embed ? <EmbedApp /> : <FullApp />}
    </>
  );
}

/** The "Open in skbwalk" link: the full app at the state on display. */
function OpenInSkbwalk() {
  const hash = useShare((s) => s.hash);
  const href = useMemo(() => {
    const u = new URL(fullAppUrl(location.href));
    u.hash = hash;
    return u.href;
  }, [hash]);
  return (
    <a className="open-full" href={href} target="_blank" rel="noopener noreferrer">
      Open in skbwalk
    </a>
  );
}

function EmbedPanelView({ panel }: { panel: EmbedPanel }) {
  switch (panel) {
    case 'skb':
      return <SkbPanel />;
    case 'events':
      return <EventsPanel />;
    case 'captures':
      return <CapturesPanel />;
    case 'terminal':
      return <TerminalPanel />;
    default:
      return <CallStack />;
  }
}

/** The compact layout for an iframe (?embed=1): the diagram, the step controls and status, and one panel. */
function EmbedApp() {
  const controls = useShare((s) => s.options.controls);
  const panel = useShare((s) => s.embedPanel);
  return (
    <>
      <header className="app-header embed-header">
        {controls && (
          <div className="controls">
            <StepControls compact />
            <PlayControls compact />
          </div>
        )}
        <div className="timeline-row">
          <StepStatus />
          {controls && <Timeline />}
          <CurrentFunction />
          <OpenInSkbwalk />
        </div>
        <RunProgress />
        <LinkAlert />
        <ErrorBanner withProblems />
        <EmptyRun />
        <Notice />
      </header>
      <main className="explorer embed-main">
        <ErrorBoundary name="Topology">
          <Topology />
        </ErrorBoundary>
        <ErrorBoundary name="Panel">
          <EmbedPanelView panel={panel} />
        </ErrorBoundary>
      </main>
    </>
  );
}

function FullApp() {
  useFirstVisitTour();
  return (
    <>
      <header className="app-header">
        <div className="title">
          <h1>skbwalk</h1>
          <span className="tagline">the Linux kernel moving a packet, one call at a time</span>
          <HelpButton />
        </div>
        <ShareControls />
        <ExportMenu />
        <div className="controls">
          <StepControls />
          <PlayControls />
          <SearchControls />
          <BreakpointForm />
        </div>
        <div className="timeline-row">
          <StepStatus />
          <Timeline />
          <CurrentFunction />
        </div>
        <RunProgress />
        <ScenarioNarrative />
        <GalleryGuide />
        <LinkAlert />
        <ErrorBanner />
        <EmptyRun />
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
      <TourWhenLoaded />
    </>
  );
}
