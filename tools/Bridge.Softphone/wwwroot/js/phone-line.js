// One call: the WebSocket to the softphone server (which is Twilio for the bridge) and the audio graph
// microphone -> line worklet -> speakers, all at 8 kHz. Audio travels as 16-bit PCM; the server does the µ-law.

export const LINE_RATE = 8000;

export class PhoneLine extends EventTarget {
  constructor(number) {
    super();
    this.number = number;
    this.socket = null;
    this.context = null;
    this.stream = null;
  }

  async open() {
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: true },
    });
    // The browser resamples the microphone and the output to and from 8 kHz: the page hears the line's own rate.
    this.context = new AudioContext({ sampleRate: LINE_RATE, latencyHint: 'interactive' });
    await this.context.audioWorklet.addModule('js/line-worklet.js');
    const microphone = this.context.createMediaStreamSource(this.stream);
    this.worklet = new AudioWorkletNode(this.context, 'line-processor', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    microphone.connect(this.worklet).connect(this.context.destination);
    await this.context.resume();

    const url = new URL('call', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('to', this.number);
    this.socket = new WebSocket(url);
    this.socket.binaryType = 'arraybuffer';
    this.worklet.port.onmessage = (event) => this.fromWorklet(event.data);
    this.socket.onmessage = (event) => this.fromServer(event.data);
    this.socket.onclose = () => this.close();
    this.socket.onerror = () => this.emit('error', { message: 'the connection to the softphone server failed' });
  }

  press(key) {
    this.send({ type: 'dtmf', key });
  }

  hangUp() {
    this.send({ type: 'hangup' });
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  fromWorklet(message) {
    if (message.type === 'mic') {
      if (this.socket && this.socket.readyState === WebSocket.OPEN) {
        this.socket.send(message.samples.buffer);
      }
    } else if (message.type === 'levels') {
      this.emit('levels', message);
    }
  }

  fromServer(data) {
    if (data instanceof ArrayBuffer) {
      const samples = new Int16Array(data);
      this.worklet.port.postMessage({ type: 'play', samples }, [samples.buffer]);
      return;
    }
    const message = JSON.parse(data);
    this.emit(message.type, message);
  }

  close() {
    if (this.stream) {
      this.stream.getTracks().forEach((track) => track.stop());
      this.stream = null;
    }
    if (this.context) {
      this.context.close();
      this.context = null;
    }
    if (this.socket) {
      this.socket = null;
      this.emit('closed', {});
    }
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
