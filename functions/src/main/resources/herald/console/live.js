// A WebSocket connection to Herald's realtime API, as Ayon's clients make it: connect, send the auth message with
// the key and the subscriptions, then receive events. It reconnects after a drop, waiting longer each time.

export class LiveSocket {
  constructor(url, key, { subscribe, project, onMessage, onState }) {
    this.url = url;
    this.key = key;
    this.subscribe = subscribe;
    this.project = project;
    this.onMessage = onMessage;
    this.onState = onState || (() => {});
    this.closed = false;
    this.delay = 500;
  }

  open() {
    if (!this.url) {
      this.onState('unavailable', 'This deployment gives the console no WebSocket URL');
      return this;
    }
    this.onState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.delay = 500;
      socket.send(JSON.stringify({
        topic: 'auth', token: this.key, subscribe: this.subscribe, project: this.project || null,
      }));
      this.onState('live');
    });
    socket.addEventListener('message', (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      if (data && data.topic !== 'heartbeat') this.onMessage(data);
    });
    socket.addEventListener('close', () => {
      if (this.closed) return;
      this.onState('reconnecting');
      setTimeout(() => { if (!this.closed) this.open(); }, this.delay);
      this.delay = Math.min(this.delay * 2, 15000);
    });
    return this;
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close();
  }
}
