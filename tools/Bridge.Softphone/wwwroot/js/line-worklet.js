// The phone line's audio, inside an AudioContext that runs at 8 kHz (the browser resamples the microphone and the
// speakers to and from the device's rate with its own filters): the microphone goes out in 20 ms frames of 16-bit
// samples; what the line plays comes in as such frames and is played after a small jitter buffer. Levels (RMS, and
// how much audible audio played) are reported to the page every 100 ms.

const FRAME = 160; // 20 ms at 8 kHz
const START_AFTER = 3; // frames buffered before playback starts or restarts (60 ms)
const MAX_QUEUED = 15; // 300 ms: beyond it the oldest frame goes (the device clock is slower than the line's)
const AUDIBLE = 0.01; // about -40 dBFS: quieter output is silence on the line
const REPORT_EVERY = 800; // samples (100 ms)

class LineProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.mic = new Int16Array(FRAME);
    this.micLength = 0;
    this.queue = [];
    this.playing = null;
    this.position = 0;
    this.waiting = true;
    this.sums = { input: 0, output: 0, samples: 0 };
    this.heard = { audibleSamples: 0, peak: 0 };
    this.port.onmessage = (event) => {
      if (event.data.type === 'play') {
        this.queue.push(event.data.samples);
        if (this.queue.length > MAX_QUEUED) {
          this.queue.shift();
        }
      }
    };
  }

  process(inputs, outputs) {
    const input = inputs[0] && inputs[0][0];
    const output = outputs[0];
    const length = output[0].length;
    if (input) {
      this.capture(input);
    }
    let blockSum = 0;
    for (let i = 0; i < length; i++) {
      const value = this.nextSample();
      for (const channel of output) {
        channel[i] = value;
      }
      blockSum += value * value;
      this.heard.peak = Math.max(this.heard.peak, Math.abs(value));
    }
    if (Math.sqrt(blockSum / length) >= AUDIBLE) {
      this.heard.audibleSamples += length;
    }
    this.sums.output += blockSum;
    this.sums.samples += length;
    if (this.sums.samples >= REPORT_EVERY) {
      this.port.postMessage({
        type: 'levels',
        input: Math.sqrt(this.sums.input / this.sums.samples),
        output: Math.sqrt(this.sums.output / this.sums.samples),
        audibleMs: (this.heard.audibleSamples / sampleRate) * 1000,
        peak: this.heard.peak,
      });
      this.sums = { input: 0, output: 0, samples: 0 };
    }
    return true;
  }

  capture(input) {
    for (let i = 0; i < input.length; i++) {
      const value = Math.max(-1, Math.min(1, input[i]));
      this.sums.input += value * value;
      this.mic[this.micLength++] = value < 0 ? value * 0x8000 : value * 0x7fff;
      if (this.micLength === FRAME) {
        const frame = this.mic;
        this.port.postMessage({ type: 'mic', samples: frame }, [frame.buffer]);
        this.mic = new Int16Array(FRAME);
        this.micLength = 0;
      }
    }
  }

  nextSample() {
    if (this.playing === null || this.position >= this.playing.length) {
      this.playing = null;
      if (this.waiting && this.queue.length >= START_AFTER) {
        this.waiting = false;
      }
      if (!this.waiting && this.queue.length > 0) {
        this.playing = this.queue.shift();
        this.position = 0;
      } else {
        this.waiting = true;
        return 0;
      }
    }
    return this.playing[this.position++] / 32768;
  }
}

registerProcessor('line-processor', LineProcessor);
