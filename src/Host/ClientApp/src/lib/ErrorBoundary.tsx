// A page that fails while drawing says so in words instead of leaving a blank screen.
import { Alert, Button } from 'antd';
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(previous: { resetKey?: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        type="error"
        showIcon
        data-testid="page-error"
        message="页面出错了 / This page failed"
        description={this.state.error.message}
        action={<Button onClick={() => this.setState({ error: undefined })}>重试 / Retry</Button>}
      />
    );
  }
}
