// Keeps published events in a list: the publisher when there is no broker.
class InMemoryEventLog {
  published = [];

  async publish(name, payload) {
    this.published.push({ name, payload });
  }

  async close() { }
}

module.exports = { InMemoryEventLog };
