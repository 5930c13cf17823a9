// Domain events (`user.created`, ...) and where they go.

export type EventPayload = Record<string, unknown>;

export interface EventPublisher {
  publish(name: string, payload: EventPayload): Promise<void>;
  close(): Promise<void>;
}

// Keeps published events in a list: the publisher when there is no broker.
export class InMemoryEventLog implements EventPublisher {
  readonly published: { name: string; payload: EventPayload }[] = [];

  async publish(name: string, payload: EventPayload): Promise<void> {
    this.published.push({ name, payload });
  }

  async close(): Promise<void> {}
}
