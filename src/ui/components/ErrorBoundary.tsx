// Keeps a failing panel from blanking the page: the panel shows its error
// (in a role="alert") and the rest of the explorer keeps working.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null; key: number }> {
  override state = { error: null as Error | null, key: 0 };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <section aria-label={this.props.name} className="panel panel-broken">
          <div role="alert" className="alert shown">
            <p className="alert-error">
              The {this.props.name} panel failed: {this.state.error.message}
            </p>
            <button type="button" onClick={() => this.setState((s) => ({ error: null, key: s.key + 1 }))}>
              Retry
            </button>
          </div>
        </section>
      );
    }
    return (
      <div className="boundary" key={this.state.key} style={{ display: 'contents' }}>
        {this.props.children}
      </div>
    );
  }
}
